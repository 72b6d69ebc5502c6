/* QI Skills: enhancements on top of plain HTML pages, which work without this file. */
(function () {
  "use strict";
  var on = document.addEventListener.bind(document);

  // Focus what a swap changed, for screen readers.
  on("htmx:afterSwap", function (e) {
    var target = e.detail.target;
    var swapped = target && target.id && document.getElementById(target.id);
    if (!swapped) return;
    var focus =
      swapped.id === "main-content"
        ? swapped.querySelector("h1")
        : swapped.querySelector(".qi-feedback__title, .nhsuk-error-message, input");
    if (!focus) return;
    if (focus.tagName !== "INPUT" && !focus.hasAttribute("tabindex")) focus.tabIndex = -1;
    focus.focus();
  });

  // A failed request is never silent (see docs/architecture.md).
  function fail(e) {
    var elt = e.detail.elt, target = e.detail.target, status = e.detail.xhr.status;
    var alert = elt.qiAlert || (elt.qiAlert = document.createElement("p"));
    var button = elt.querySelector("[type=submit]");
    alert.className = "nhsuk-error-message";
    alert.setAttribute("role", "alert");
    alert.textContent =
      (e.type == "htmx:sendError"
        ? "Not sent: you seem to be offline. "
        : status >= 500
          ? "Not saved: the server had a problem. "
          : "Not sent (error " + status + "). ") +
      (elt.closest(".qi-question") ? "Your answer is still selected" : "What you typed is still here") +
      "; try again.";
    if (!target.contains(elt)) target.prepend(alert);
    else if (button) button.before(alert);
    else elt.after(alert);
  }
  on("htmx:sendError", fail);
  on("htmx:responseError", fail);
  on("htmx:beforeRequest", function (e) {
    if (e.detail.elt.qiAlert) e.detail.elt.qiAlert.remove();
  });
})();
