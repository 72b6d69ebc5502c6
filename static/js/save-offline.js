/* "Save this module for offline" (module pages only): shown once qiskills.js has registered the
   service worker; asks it to keep the module page and every lesson it links to, then says how
   it went. Without JavaScript or a service worker the button stays hidden. */
(() => {
  "use strict";
  const box = document.getElementById("save-offline"), sw = navigator.serviceWorker;
  if (!box || !sw) return;
  const button = box.querySelector("button"), status = box.querySelector("[role=status]");
  const show = () => (box.hidden = false);
  if (sw.controller) show();
  document.addEventListener("qi:offline", show);
  button.addEventListener("click", () => {
    button.disabled = true;
    status.textContent = "Saving…";
    const links = [...document.querySelectorAll(".qi-lesson-list a")].map((a) => a.pathname);
    sw.ready.then((r) => r.active.postMessage({ save: [...new Set([location.pathname, ...links])] }));
  });
  sw.addEventListener("message", (e) => {
    if (e.data.saved === undefined) return;
    const { saved, of } = e.data;
    button.disabled = false;
    status.textContent = saved === of
      ? "Saved: this module and its " + (of - 1) + " lessons can be read on this phone with no connection."
      : "Only " + saved + " of " + of + " pages were saved. Check your connection and try again.";
  });
})();
