// The profile page's behaviours (its in-place editing is htmx; see app.js for Escape).

// The skills field as a tag input (progressive enhancement: without this, the field
// takes "python, django" and the server splits it). A comma adds what was typed, as
// Enter does; Enter on an empty field adds nothing. The server trims and de-duplicates.
(function () {
  if (window.jobmateTagInput) return;
  window.jobmateTagInput = true;
  var sent = null;            // the text the add request in flight carries
  var enterPending = false;   // Enter pressed while it travels
  var carry = null, old = null, hadFocus = false, refused = false, resend = null;

  function isTagInput(element) {
    return element instanceof HTMLInputElement && element.hasAttribute("data-tag-input");
  }
  // Sends what the field holds up to its last comma (all of it for Enter); what
  // follows the comma is still being typed and stays in the field.
  function submit(input, wholeField) {
    var typed = input.value;
    var part = wholeField ? typed : typed.slice(0, typed.lastIndexOf(",") + 1);
    if (!part.replace(/,/g, "").trim()) {  // only commas: nothing to add, drop them
      input.value = typed.slice(part.length);
      return;
    }
    sent = part;
    input.value = part;
    // A form just swapped in may not be bound by htmx yet (it binds new content as it
    // settles): the submit would then be the browser's own, a page load. Bind it now.
    if (window.htmx) { window.htmx.process(input.form); }
    input.form.requestSubmit();  // htmx reads the form's values here, synchronously
    input.value = typed;
  }
  document.addEventListener("input", function (event) {
    // "input" rather than a key event: phone keyboards do not report the comma key.
    var input = event.target;
    if (isTagInput(input) && input.value.indexOf(",") !== -1 && sent === null) submit(input, false);
    // While a request travels the comma stays; what it closes is sent once it is back.
  });
  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!isTagInput(input) || event.key !== "Enter" || event.isComposing) return;
    event.preventDefault();
    if (sent !== null) {
      enterPending = Boolean(input.value.trim());
    } else if (input.value.trim()) {
      submit(input, true);
    }
  });
  // Every answer redraws the section, field included: what the field holds and was
  // not sent must not be lost. It goes into the new field, with the focus if it had it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.target.id !== "skills") return;
    old = event.detail.target.querySelector("[data-tag-input]");
    var value = old ? old.value : "";
    hadFocus = old !== null && document.activeElement === old;
    carry = sent !== null && value.indexOf(sent) === 0 ? value.slice(sent.length) : value;
    refused = event.detail.xhr.status >= 400 || (event.detail.serverResponse || "").indexOf("errorlist") !== -1;
  });
  document.addEventListener("htmx:afterSwap", function () {
    var input = document.querySelector("#skills [data-tag-input]");
    if (carry === null || !input || input === old) return;  // not the skills' answer
    // A refused skill comes back in the field, its error beside it: what followed is
    // kept after it. Otherwise what was carried goes first, then anything typed since.
    input.value = refused ? input.value + carry : carry.replace(/^[\s,]+/, "") + input.value;
    var pendingEnter = enterPending;
    carry = old = null;
    sent = null;
    enterPending = false;
    if (hadFocus) {
      input.focus();
      input.setSelectionRange(input.value.length, input.value.length);
    }
    if (refused) return;
    // What the carried text asks for is sent once htmx has wired the new form up.
    if (input.value.indexOf(",") !== -1) {
      resend = "comma";
    } else if (pendingEnter && input.value.trim()) {
      resend = "enter";
    }
  });
  document.addEventListener("htmx:afterSettle", function () {
    var input = document.querySelector("#skills [data-tag-input]");
    if (resend === null || !input || sent !== null) return;
    var wholeField = resend === "enter";
    resend = null;
    submit(input, wholeField);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    if (!event.detail.successful && sent !== null && elt && elt.closest && elt.closest("#skills")) {
      sent = null;  // nothing was swapped: the field still holds everything
      enterPending = false;
    }
  });
})();

// The bookmarklet is a javascript: link, made to be dragged to the bookmarks bar and run on
// a job page. Clicked here it would only trip our Content-Security-Policy: say what to do.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a.bookmarklet");
  if (!link) return;
  event.preventDefault();
  var hint = document.getElementById("bookmarklet-hint");
  if (hint) hint.hidden = false;
});

// "Copy" beside a secret shown once (a new API token, an invitation link). The Clipboard API
// needs a secure context (HTTPS or localhost); a JobMate reached over plain HTTP on a home
// network has none, so the selected text is copied the older way there. The button says
// what happened, and so does a status line for screen readers.
(function () {
  document.querySelectorAll("[data-copy]").forEach(function (button) { button.hidden = false; });

  function copied(field) {
    field.focus();
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(field.value).then(function () { return true; }, function () { return false; });
    }
    var done = false;
    try { done = document.execCommand("copy"); } catch (error) { done = false; }
    return Promise.resolve(done);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy]");
    if (!button) return;
    var field = document.getElementById(button.dataset.copy);
    if (!field) return;
    var label = button.dataset.label || button.textContent;
    button.dataset.label = label;
    copied(field).then(function (done) {
      var said = done ? button.dataset.copied : button.dataset.failed;
      button.textContent = said;
      var status = button.parentNode.querySelector("[data-copy-status]");
      if (status) status.textContent = said;
      clearTimeout(button.copyTimer);
      button.copyTimer = setTimeout(function () { button.textContent = label; }, 3000);
    });
  });
})();
