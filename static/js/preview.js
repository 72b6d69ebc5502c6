/* Preview only (qiskills content preview, make run): reload the page when the content changes.
   The server streams one "changed" event once the content differs from the version this page
   was built from (app/preview/web.py). Loaded only in preview, so the CSP stays strict. */
(function () {
  "use strict";
  var banner = document.getElementById("qi-preview");
  if (!banner || !window.EventSource) return;
  var since = encodeURIComponent(banner.getAttribute("data-version") || "");
  var source = new EventSource("/preview/events?since=" + since);
  source.addEventListener("changed", function () {
    source.close();
    window.location.reload();
  });
  // After an HTMX swap the address changed but the banner did not: come back to this page.
  var toggle = banner.querySelector("form");
  if (toggle) {
    toggle.addEventListener("submit", function () {
      toggle.elements.next.value = window.location.pathname + window.location.search;
    });
  }
})();
