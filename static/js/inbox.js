// The inbox's keyboard: j/k move, a approve, r reject, o open, x tick, u undo, ? help.
// Everything it does is a click on a link or a button that also works without it.
(function () {
  "use strict";

  function rows() { return Array.prototype.slice.call(document.querySelectorAll("#offer-list .offer-row")); }
  function detail() { return document.querySelector("#offer-detail [data-offer-id]"); }
  function selectedRow() { return document.querySelector("#offer-list .offer-row.is-selected"); }

  function markSelected(id) {
    var found = null;
    rows().forEach(function (row) {
      var on = row.dataset.offerId === id;
      row.classList.toggle("is-selected", on);
      if (on) { found = row; }
    });
    return found;
  }

  function syncSelection() {
    var shown = detail();
    markSelected(shown ? shown.dataset.offerId : null);
  }

  // A new offer in the pane is read from its top: the pane scrolls back up, and on a
  // phone (where the pane sits above the list) the page comes back to it.
  function showDetailTop(event) {
    var pane = document.getElementById("offer-detail");
    if (!pane || event.detail.target !== pane) { return; }
    pane.scrollTop = 0;
    if (pane.getBoundingClientRect().top < 0) { pane.scrollIntoView({ block: "start" }); }
  }

  function move(step) {
    var all = rows();
    if (!all.length) { return; }
    var index = all.indexOf(selectedRow());
    var next = all[Math.min(all.length - 1, Math.max(0, index + step))];
    if (index === -1) { next = all[0]; }
    if (next && next !== all[index]) {
      markSelected(next.dataset.offerId).scrollIntoView({ block: "nearest" });
      next.querySelector(".offer-row__link").click();
    } else if (step > 0) {
      var more = document.querySelector("#load-more a");
      if (more) { more.click(); }
    }
  }

  function press(selector) {
    var target = document.querySelector(selector);
    if (target) { target.click(); }
  }

  function toggleHelp() {
    var dialog = document.getElementById("shortcuts");
    if (!dialog) { return; }
    if (dialog.open) { dialog.close(); } else { dialog.showModal(); }
  }

  var keys = {
    j: function () { move(1); },
    k: function () { move(-1); },
    a: function () { press("#offer-detail [data-key='a']"); },
    r: function () { press("#offer-detail [data-key='r']"); },
    o: function () {
      var link = document.querySelector("#offer-detail a[data-key='o']");
      if (link) { window.open(link.href, "_blank", "noopener"); }
    },
    x: function () {
      var row = selectedRow();
      var box = row && row.querySelector(".offer-row__check");
      if (box) { box.checked = !box.checked; }
    },
    u: function () {
      var form = document.getElementById("undo-form");
      if (form) { form.requestSubmit(); }
    },
    "?": toggleHelp,
  };

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) { return; }
    var dialog = document.getElementById("shortcuts");
    if (dialog && dialog.open && event.key !== "?") { return; }
    var action = keys[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-shortcuts]")) { toggleHelp(); }
  });

  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-select-all]")) {
      rows().forEach(function (row) { row.querySelector(".offer-row__check").checked = event.target.checked; });
    }
  });

  document.addEventListener("htmx:afterSettle", syncSelection);
  document.addEventListener("htmx:afterSwap", showDetailTop);
  document.addEventListener("DOMContentLoaded", function () {
    // What only makes sense with this script: the help button and "tick all".
    document.querySelectorAll("[data-shortcuts], .bulk-bar__all").forEach(function (el) { el.hidden = false; });
    syncSelection();
  });
  document.addEventListener("htmx:afterSettle", function () {
    document.querySelectorAll(".bulk-bar__all").forEach(function (el) { el.hidden = false; });
  });
})();
