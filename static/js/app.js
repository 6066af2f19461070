// JobMate's small behaviours. Every page works without this file.
(function () {
  "use strict";

  function dismiss(toast) {
    toast.classList.add("is-leaving");
    setTimeout(function () { toast.remove(); }, 250);
  }

  function armToasts(root) {
    root.querySelectorAll(".toast:not([data-armed])").forEach(function (toast) {
      toast.dataset.armed = "1";
      toast.querySelector(".toast__close").addEventListener("click", function () { dismiss(toast); });
      // Errors stay until dismissed; other messages leave by themselves.
      if (!toast.classList.contains("toast--error")) {
        setTimeout(function () { dismiss(toast); }, 6000);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { armToasts(document); });
  document.addEventListener("htmx:afterSettle", function () { armToasts(document); });
})();
