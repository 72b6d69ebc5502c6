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

  // Offline: see docs/architecture.md.
  var sw = navigator.serviceWorker;
  if (!sw) return;
  function flush() {
    sw.ready.then(function (r) { r.active.postMessage("flush"); });
  }
  function say(before, text) {
    var p = document.createElement("p");
    p.className = "nhsuk-body-s";
    p.setAttribute("role", "status");
    before.before(p);
    setTimeout(function () { p.textContent = text; }, 50); // so it is announced
    return p;
  }
  sw.register("/sw.js").then(function () { document.dispatchEvent(new Event("qi:offline")); }, function () {});
  addEventListener("online", flush);
  flush();
  // The worker kept an answer for later (a 204: the form stays).
  on("htmx:afterRequest", function (e) {
    var form = e.detail.elt, xhr = e.detail.xhr;
    if (!xhr || !xhr.getResponseHeader("X-Qi-Held")) return;
    if (form.qiHeld) form.qiHeld.remove();
    form.qiHeld = say(form.querySelector("[type=submit]"), "Saved on this phone, will send when you're back online.");
  });
  // It sent one: show the reply.
  sw.addEventListener("message", function (e) {
    var d = e.data, keys = document.querySelectorAll("[name=form_key]"), section, i;
    for (i = 0; i < keys.length; i++) if (keys[i].value === d.sent) section = keys[i].closest(".qi-question");
    if (!section) return;
    if (d.html) htmx.swap(section, d.html, { swapStyle: "outerHTML" });
    section = document.getElementById(section.id);
    say(section.querySelector(":scope>.qi-feedback,:scope>form") || section.lastChild,
      d.html ? "Sent." : "Not sent (error " + d.status + "): please answer again.");
  });
})();
