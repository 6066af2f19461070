// JobMate's small behaviours. Every page works without this file.
(function () {
  "use strict";

  function dismiss(toast) {
    toast.classList.add("is-leaving");
    setTimeout(function () { toast.remove(); }, 250);
  }

  function armToasts(root) {
    var fresh = root.querySelectorAll(".toast:not([data-armed])");
    if (!fresh.length) { return; }
    // The newest news replaces the older: a quick run of decisions shows one toast at a
    // time, not a pile over the page. Errors stay until dismissed.
    document.querySelectorAll(".toast[data-armed]:not(.toast--error):not(.is-leaving)").forEach(dismiss);
    fresh.forEach(function (toast) {
      toast.dataset.armed = "1";
      toast.querySelector(".toast__close").addEventListener("click", function () { dismiss(toast); });
      if (!toast.classList.contains("toast--error")) {
        setTimeout(function () { dismiss(toast); }, 6000);
      }
    });
  }

  // A field that takes the browser's time zone (sign-up; "use this browser's" on the
  // profile): the IANA name the browser knows, checked on the server like any input.
  function fillTimeZones() {
    var zone = "";
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (error) { zone = ""; }
    document.querySelectorAll("[data-browser-time-zone]").forEach(function (field) {
      if (field.tagName === "INPUT" && !field.value) { field.value = zone; }
      if (field.tagName === "BUTTON") { field.value = zone; field.hidden = !zone; }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { armToasts(document); fillTimeZones(); });
  document.addEventListener("htmx:afterSettle", function () { armToasts(document); });
  // An answer whose only content is out of band (an undo that puts a row back, a toast)
  // may never settle: its toasts are armed as they land.
  document.addEventListener("htmx:oobAfterSwap", function () { armToasts(document); });

  // Escape in a form edited in place clicks its Cancel link (marked data-cancel-on-escape).
  // Here rather than in an hx-trigger filter: htmx evaluates those, and our
  // Content-Security-Policy forbids eval.
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Escape" || event.isComposing || !event.target.closest) { return; }
    var form = event.target.closest("form");
    var cancel = form && form.querySelector("[data-cancel-on-escape]");
    if (!cancel) { return; }
    // A form just swapped in may not have its hx-get bound yet (htmx binds new content as
    // it settles): the click would then only follow the link's #anchor and change nothing.
    if (window.htmx) { window.htmx.process(cancel); }
    cancel.click();
  });

  // Polls that only matter to someone looking (the bell's count): none while the page is
  // hidden, and one at once when it shows again. Here rather than in an hx-trigger filter,
  // which htmx would evaluate.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var source = event.detail && event.detail.elt;
    if (document.hidden && source && source.hasAttribute && source.hasAttribute("data-poll-when-visible")) {
      event.preventDefault();
    }
  });
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && window.htmx) { window.htmx.trigger(document.body, "page-visible"); }
  });

  // A field shown to be copied (a new API token) selects its whole text on a click.
  document.addEventListener("click", function (event) {
    if (event.target.matches && event.target.matches("input[data-select-on-click]")) { event.target.select(); }
  });
})();
