// The board's drag and drop (SortableJS), its keyboard moves, its "Move to…" menus and the
// phone's column switcher. Every move is the POST of a card's "Move to…" form, which works
// without this file. Here the card moves at once where the person put it, and the answer
// is that card as the server has it now, with the counts of the two columns (out of band);
// a refused or stale move answers the board as it is (the card back in place, the reason
// as a toast), swapped in whole.
(function () {
  "use strict";

  var busy = false;
  var focusAfter = null;   // the card to focus once the answer is in (a keyboard move)
  var openClosed = [];     // the closed columns unfolded before a move, unfolded again after

  function board() { return document.getElementById("board"); }
  function live() { return document.getElementById("board-live"); }

  function announce(text) {
    var region = live();
    if (!region || !text) { return; }
    region.textContent = "";
    // A new text in a cleared region is read even when it is the same as before.
    setTimeout(function () { region.textContent = text; }, 50);
  }

  function statuses() {
    return Array.prototype.map.call(document.querySelectorAll("#board .board-column__cards"),
                                    function (list) { return list.dataset.status; });
  }

  function cardsOf(list) {
    return Array.prototype.filter.call(list.children, function (child) { return child.classList.contains("board-card"); });
  }

  function send(card, status, before) {
    if (busy || !window.htmx) { return; }
    busy = true;
    openClosed = Array.prototype.map.call(document.querySelectorAll("#board details.board-column--closed[open]"),
                                          function (column) { return column.dataset.column; });
    var values = { status: status, from: card.dataset.status };
    if (before !== undefined) { values.before = before; }
    board().setAttribute("aria-busy", "true");
    // The CSRF header comes with htmx from the body's hx-headers (base.html).
    window.htmx.ajax("POST", card.dataset.moveUrl, { target: card, swap: "outerHTML", values: values })
      .then(landed, landed);
  }

  // A card sent to another column by the keyboard or its menu: on top of that column, where
  // the server puts it too.
  function moveTo(card, status) {
    var list = document.querySelector('#board .board-column__cards[data-status="' + status + '"]');
    if (list && status !== card.dataset.status) { list.insertBefore(card, list.firstChild); }
    send(card, status);
  }

  // The board as the server has it, after a move that could not be sent.
  function reload() {
    busy = false;
    window.htmx.ajax("GET", window.location.href, { target: "#board", swap: "outerHTML" }).then(landed, landed);
  }

  function dropped(event) {
    var card = event.item;
    if (event.from === event.to && event.oldIndex === event.newIndex) { return; }
    if (event.to.querySelector(".board-more")) {  // a folded column not loaded yet: on its top
      send(card, event.to.dataset.status);
      return;
    }
    var next = card.nextElementSibling;
    while (next && !next.classList.contains("board-card")) { next = next.nextElementSibling; }
    send(card, event.to.dataset.status, next ? next.dataset.id : "");
  }

  function arm() {
    if (!window.Sortable) { return; }
    document.querySelectorAll("#board .board-column__cards").forEach(function (list) {
      if (list.dataset.sortable) { return; }
      list.dataset.sortable = "1";
      window.Sortable.create(list, {
        group: "board", draggable: ".board-card", animation: 150,
        // Sortable's own drag (mouse and touch events) rather than the browser's, which
        // would drag the card's link instead of the card.
        forceFallback: true, fallbackTolerance: 4, delay: 200, delayOnTouchOnly: true,
        filter: "summary, select, option, button, input, label", preventOnFilter: false,
        onStart: function () { document.querySelector("#board .board-lanes").classList.add("is-dragging"); },
        onEnd: function (event) {
          document.querySelector("#board .board-lanes").classList.remove("is-dragging");
          dropped(event);
        }
      });
    });
  }

  // A closed column is folded: dragging a card over its heading unfolds it to drop there.
  document.addEventListener("pointermove", function (event) {
    var lanes = document.querySelector("#board .board-lanes.is-dragging");
    if (!lanes) { return; }
    var under = document.elementFromPoint(event.clientX, event.clientY);
    var folded = under && under.closest && under.closest("details.board-column--closed:not([open])");
    if (folded) { folded.open = true; }
  });

  function nextColumn(card, step) {
    var order = statuses();
    var allowed = card.dataset.moves ? card.dataset.moves.split(" ") : [];
    for (var i = order.indexOf(card.dataset.status) + step; i >= 0 && i < order.length; i += step) {
      if (allowed.indexOf(order[i]) !== -1) { return order[i]; }
    }
    return null;
  }

  // Shift+arrows on a focused card: left and right to the previous or next column it may
  // go to, up and down within its column.
  function keyMove(card, key) {
    if (key === "ArrowRight" || key === "ArrowLeft") {
      var status = nextColumn(card, key === "ArrowRight" ? 1 : -1);
      if (!status) { announce(live().dataset.nothingLeft); return; }
      focusAfter = card.dataset.id;
      moveTo(card, status);
    } else {
      var siblings = cardsOf(card.parentNode);
      var index = siblings.indexOf(card);
      if (key === "ArrowUp" && index > 0) {
        focusAfter = card.dataset.id;
        card.parentNode.insertBefore(card, siblings[index - 1]);
        send(card, card.dataset.status, siblings[index - 1].dataset.id);
      } else if (key === "ArrowDown" && index < siblings.length - 1) {
        focusAfter = card.dataset.id;
        card.parentNode.insertBefore(card, siblings[index + 1].nextSibling);
        send(card, card.dataset.status, siblings[index + 2] ? siblings[index + 2].dataset.id : "");
      } else {
        announce(live().dataset.nothingLeft);
      }
    }
  }

  var pendingKey = null;  // a key pressed while a move travelled: played once it has landed

  document.addEventListener("keydown", function (event) {
    var card = event.target;
    if (!event.shiftKey || !card.classList || !card.classList.contains("board-card") || !board()) { return; }
    if (["ArrowRight", "ArrowLeft", "ArrowUp", "ArrowDown"].indexOf(event.key) === -1) { return; }
    event.preventDefault();
    if (busy) { pendingKey = { id: card.dataset.id, key: event.key }; return; }
    keyMove(card, event.key);
  });

  // The phone's switcher: one column at a time, without a page load.
  function showColumn(status) {
    document.querySelectorAll("#board .board-column").forEach(function (column) {
      var on = column.dataset.column === status;
      column.classList.toggle("is-current", on);
      if (on && column.tagName === "DETAILS") { column.open = true; }
    });
    document.querySelectorAll("#board .board-switcher a").forEach(function (link) {
      if (link.dataset.column === status) { link.setAttribute("aria-current", "true"); } else { link.removeAttribute("aria-current"); }
    });
    var url = new URL(window.location.href);
    url.searchParams.set("column", status);
    window.history.replaceState(window.history.state, "", url.toString());
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("#board .board-switcher a[data-column]");
    if (!link) { return; }
    event.preventDefault();
    showColumn(link.dataset.column);
  });

  // A card's "Move to…" menu: the same move as a drag, without leaving the page.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var card = form.closest && form.closest("#board .board-card");
    if (!card || !window.htmx || !form.hasAttribute("data-move")) { return; }
    event.preventDefault();
    if (busy) { return; }
    focusAfter = card.dataset.id;
    moveTo(card, form.elements.status.value);
  });

  // A refused or stale move answers 409 with the board as it is: show it (htmx would not).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (event.detail.xhr.status === 409 && target && target.id === "board") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
    // A folded column's cards, arriving while a card is dragged over it: swapping them in
    // would take the dragged card out of the page. They are fetched again once it lands.
    if (target && target.classList.contains("board-column__cards") && target.querySelector(".sortable-ghost")) {
      event.detail.shouldSwap = false;
      reloadAfter.push(target);
    }
    if (target && target.contains(document.activeElement) && document.activeElement.id) {
      refocus = document.activeElement.id;  // a card the keyboard just moved into that column
    }
  });

  var reloadAfter = [];  // folded columns whose cards could not be swapped in during a drag
  var refocus = null;

  document.addEventListener("htmx:afterSwap", function () {
    if (!refocus) { return; }
    var card = document.getElementById(refocus);
    refocus = null;
    if (card) { card.focus(); }
  });

  document.body.addEventListener("board:announce", function (event) { announce(event.detail.text); });

  function failed() {
    if (!busy) { return; }
    announce(live().dataset.failed);
    reload();
  }
  document.addEventListener("htmx:sendError", failed);
  document.addEventListener("htmx:responseError", failed);

  // The answer to a move is in (or it failed): the board is the person's again.
  function landed() {
    var fresh = board();
    busy = false;
    if (!fresh) { return; }
    fresh.removeAttribute("aria-busy");
    openClosed.forEach(function (status) {  // after a whole board, the columns open before
      var column = fresh.querySelector('details.board-column--closed[data-column="' + status + '"]');
      if (column) { column.open = true; }
    });
    arm();
    reloadAfter.splice(0).forEach(function (list) {
      if (document.body.contains(list)) {
        window.htmx.ajax("GET", list.getAttribute("hx-get"), { target: list, swap: "innerHTML" });
      }
    });
    if (focusAfter) {
      var card = document.getElementById("card-" + focusAfter);
      focusAfter = null;
      if (card) {
        var column = card.closest(".board-column");
        if (column && !column.classList.contains("is-current") && window.matchMedia("(max-width: 700px)").matches) {
          showColumn(column.dataset.column);
        }
        if (column && column.tagName === "DETAILS") { column.open = true; }
        card.focus();
      }
    }
    if (pendingKey) {
      var waiting = document.getElementById("card-" + pendingKey.id);
      var key = pendingKey.key;
      pendingKey = null;
      if (waiting) { keyMove(waiting, key); }
    }
  }

  document.addEventListener("DOMContentLoaded", arm);
  document.addEventListener("htmx:afterSettle", arm);  // a filtered board, swapped in
})();
