// The inbox's keyboard: j/k move, a approve, r reject, o open, x tick, u undo, ? help.
// Everything it does is a click on a link or a button that also works without it.
//
// Keys pressed while the pane is loading wait their turn, in order: "a" then "j" approves
// the open offer and then moves, never moves first and approves another one.
(function () {
  "use strict";

  var PANES = ["offer-detail", "inbox-workspace"];
  var waiting = [];      // keys pressed while a request for the pane was running
  var busy = null;       // that request (its XMLHttpRequest), until its answer has settled
  var busySince = 0;
  var lastIndex = 0;     // where the selection was, for when its row leaves the list

  function rows() { return Array.prototype.slice.call(document.querySelectorAll("#offer-list .offer-row")); }
  function detail() { return document.querySelector("#offer-detail [data-offer-id]"); }
  function selectedRow() { return document.querySelector("#offer-list .offer-row.is-selected"); }

  function markSelected(id) {
    var found = null;
    rows().forEach(function (row, index) {
      var on = row.dataset.offerId === id;
      row.classList.toggle("is-selected", on);
      if (on) { found = row; lastIndex = index; }
    });
    return found;
  }

  function syncSelection() {
    var shown = detail();
    markSelected(shown ? shown.dataset.offerId : null);
  }

  // On a phone the pane sits above the list: the offer's full text is folded there, so
  // that the list follows close below (the summary unfolds it).
  var PHONE = window.matchMedia("(max-width: 900px)");
  function foldOnPhone(root) {
    if (!PHONE.matches) { return; }
    root.querySelectorAll(".offer-detail__more[open]").forEach(function (more) { more.open = false; });
  }

  // A new offer in the pane is read from its top: the pane scrolls back up, and on a
  // phone (where the pane sits above the list) the page comes back to it, its title
  // below the sticky header rather than under it.
  function showDetailTop(event) {
    var pane = document.getElementById("offer-detail");
    if (event.detail.target && event.detail.target.id === "inbox-workspace" && pane) { foldOnPhone(pane); }
    if (!pane || event.detail.target !== pane) { return; }
    foldOnPhone(pane);
    pane.scrollTop = 0;
    var header = document.querySelector(".topbar");
    var covered = header ? header.getBoundingClientRect().bottom : 0;
    var top = pane.getBoundingClientRect().top;
    if (top < covered) { window.scrollBy(0, top - covered - 8); }
  }

  function move(step) {
    var all = rows();
    if (!all.length) { return; }
    var index = all.indexOf(selectedRow());
    var next;
    if (index === -1) {
      // The open offer is not in the list (it was just decided, or lies further down):
      // carry on from where the selection was.
      next = all[Math.min(all.length - 1, Math.max(0, step > 0 ? lastIndex : lastIndex - 1))];
    } else {
      next = all[Math.min(all.length - 1, Math.max(0, index + step))];
    }
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
  // Keys that wait for the pane; the others act at once.
  var SEQUENCED = { j: true, k: true, a: true, r: true, u: true };

  function run(key) {
    keys[key]();
  }

  function settle() {
    busy = null;
    while (busy === null && waiting.length) { run(waiting.shift()); }
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var target = event.target;
    // Typing in a field is typing; a ticked checkbox keeps the keyboard working.
    if (target.closest && target.closest("input:not([type=checkbox]), textarea, select, [contenteditable]")) { return; }
    var dialog = document.getElementById("shortcuts");
    if (dialog && dialog.open && event.key !== "?") { return; }
    if (!keys[event.key]) { return; }
    event.preventDefault();
    if (busy !== null && Date.now() - busySince > 10000) {
      // A request that never ended: start afresh rather than replay old keys.
      busy = null;
      waiting = [];
    }
    if (busy !== null && SEQUENCED[event.key]) {
      if (waiting.length < 20) { waiting.push(event.key); }
      return;
    }
    run(event.key);
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (PANES.indexOf(event.detail.target && event.detail.target.id) !== -1) {
      busy = event.detail.xhr;
      busySince = Date.now();
    }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    // An answer that swaps nothing (an error, a toast only) never settles: once htmx has
    // let go of the request, the waiting keys go on.
    if (xhr && xhr === busy) { setTimeout(function () { if (busy === xhr) { settle(); } }, 100); }
    if (event.detail.elt && event.detail.elt.id === "bulk-form") {
      document.querySelectorAll(".offer-row__check, [data-select-all]").forEach(function (box) { box.checked = false; });
    }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    syncSelection();
    document.querySelectorAll(".bulk-bar__all").forEach(function (el) { el.hidden = false; });
    // htmx fires this once per settled element (out-of-band ones too): only the first
    // for the pane's own request lets the next key go.
    if (busy !== null && event.detail.xhr === busy) { settle(); }
  });
  document.addEventListener("htmx:afterSwap", showDetailTop);

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-shortcuts]")) { toggleHelp(); }
  });

  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-select-all]")) {
      rows().forEach(function (row) { row.querySelector(".offer-row__check").checked = event.target.checked; });
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    // What only makes sense with this script: the help button and "tick all".
    document.querySelectorAll("[data-shortcuts], .bulk-bar__all").forEach(function (el) { el.hidden = false; });
    foldOnPhone(document);
    syncSelection();
  });
})();
