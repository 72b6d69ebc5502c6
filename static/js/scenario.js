/* QI Skills scenario player (loaded only by the player page): focus and conflicts after HTMX swaps. */
(function () {
  "use strict";
  var on = document.addEventListener.bind(document);
  function player(e) {
    return e.detail.target && e.detail.target.id === "scenario-player";
  }
  // A 409 (a stale tab or device) carries where the run really is: show it.
  on("htmx:beforeSwap", function (e) {
    if (player(e) && e.detail.xhr.status === 409) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });
  // Focus the message, else the new node, for screen readers.
  on("htmx:afterSwap", function (e) {
    var swapped = player(e) && document.getElementById("scenario-player");
    var focus = swapped && swapped.querySelector(".nhsuk-error-message, .qi-scenario__focus");
    if (focus) {
      if (!focus.hasAttribute("tabindex")) focus.tabIndex = -1;
      focus.focus();
    }
  });
})();
