/* QI Skills: small enhancements on top of plain HTML pages. Pages work without this file. */
(function () {
  "use strict";
  // No nhsuk-frontend JavaScript is loaded, so <body> never gets "nhsuk-frontend-supported":
  // the header navigation wraps rather than hiding links behind a script-driven "More" menu.

  // After HTMX swaps content in, move focus to what changed so screen readers announce it.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || !target.id) return;
    var swapped = document.getElementById(target.id);
    if (!swapped) return;
    var focus =
      swapped.id === "main-content"
        ? swapped.querySelector("h1")
        : swapped.querySelector(".qi-feedback__title, .nhsuk-error-message, input");
    if (focus) {
      if (!focus.hasAttribute("tabindex") && focus.tagName !== "INPUT") {
        focus.setAttribute("tabindex", "-1");
      }
      focus.focus();
    }
  });
})();
