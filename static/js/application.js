// The application page's behaviours (its editing in place is htmx). Every part works without this file.
(function () {
  "use strict";

  // "Copy" beside the cover letter, as on the profile page: the Clipboard API in a secure
  // context, else the selected text copied the older way (a JobMate on plain HTTP at home).
  function copy(field) {
    field.focus();
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(field.value).then(function () { return true; }, function () { return false; });
    }
    var done = false;
    try { done = document.execCommand("copy"); } catch (error) { done = false; }
    return Promise.resolve(done);
  }

  function showCopyButtons(root) {
    root.querySelectorAll("[data-copy][hidden]").forEach(function (button) { button.hidden = false; });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) return;
    var field = document.getElementById(button.dataset.copy);
    if (!field) return;
    var label = button.dataset.label || button.textContent;
    button.dataset.label = label;
    copy(field).then(function (done) {
      var said = done ? button.dataset.copied : button.dataset.failed;
      button.textContent = said;
      var status = button.parentNode.querySelector("[data-copy-status]");
      if (status) status.textContent = said;
      clearTimeout(button.copyTimer);
      button.copyTimer = setTimeout(function () { button.textContent = label; }, 3000);
    });
  });

  // A refused or stale move answers 409 with the status part and its message: show it (htmx would not).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (event.detail.xhr.status === 409 && target && target.id === "application-status") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // A move answers with the status part alone (tracker/board_views.py): the history has a
  // new line and the interviews' "Move to Interview" may have to go, so both are fetched again.
  var status = null;
  function watchStatus() {
    var page = document.getElementById("application");
    var current = document.getElementById("application-status");
    if (!page || !current) return;
    if (status !== null && current !== status && window.htmx) {
      window.htmx.ajax("GET", page.dataset.historyUrl, {target: "#application-history", swap: "outerHTML"});
      window.htmx.ajax("GET", page.dataset.interviewsUrl, {target: "#application-interviews", swap: "outerHTML"});
    }
    status = current;
  }

  document.addEventListener("DOMContentLoaded", function () {
    showCopyButtons(document);
    watchStatus();
  });
  document.addEventListener("htmx:afterSettle", function () {
    showCopyButtons(document);
    watchStatus();
  });
})();
