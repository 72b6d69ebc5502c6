/* QI Skills: ordering questions. Only pages with one load this. Up and Down swap a step with its
   neighbour's (the selects stay the form, so it works without this file), say where it went,
   and keep focus on the step so the keyboard can keep moving it. */
(function () {
  "use strict";
  function show(el) {
    el.querySelectorAll("[data-move]").forEach(function (b) { b.hidden = false; });
  }
  show(document);
  if (window.qiOrdering) return; // loaded again by a swapped-in form: listeners are there
  window.qiOrdering = true;
  if (window.htmx) htmx.onLoad(show);
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("[data-move]");
    if (!b) return;
    var d = b.dataset.move, row = b.closest("li"), rows = [].slice.call(row.parentNode.children);
    var to = rows[rows.indexOf(row) + +d], here = row.querySelector("select");
    var there = to.querySelector("select"), v = here.value;
    here.value = there.value;
    there.value = v;
    row.closest("fieldset").querySelector("[data-moved]").textContent =
      there.selectedOptions[0].text + " moved to position " + (rows.indexOf(to) + 1) + ".";
    (to.querySelector("[data-move='" + d + "']") || there).focus();
  });
})();
