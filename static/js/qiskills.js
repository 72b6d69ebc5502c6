/* QI Skills: small enhancements on top of plain HTML pages. Pages work without this file. */
(function () {
  "use strict";
  document.body && document.body.classList.add("nhsuk-frontend-supported");
  document.addEventListener("DOMContentLoaded", function () {
    document.body.classList.add("nhsuk-frontend-supported");
  });
  // After HTMX swaps the main content, move focus to its heading so screen readers announce it.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (target && target.id === "main-content") {
      var heading = target.querySelector("h1");
      if (heading) {
        if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
        heading.focus();
      }
    }
  });
})();
