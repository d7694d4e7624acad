// Triage from the keyboard: j / k move between items, l links the current one to an idea,
// a archives it. Every action is one of the item's own buttons, so it also works by mouse,
// by screen reader, and (as plain forms and links) without JavaScript.
(function () {
  "use strict";
  var list = document.querySelector("[data-triage]");
  if (!list) { return; }
  var index = 0;

  function items() { return Array.prototype.slice.call(list.querySelectorAll("[data-triage-item]")); }

  function select(i, focus) {
    var all = items();
    if (!all.length) { return; }
    index = Math.max(0, Math.min(i, all.length - 1));
    all.forEach(function (item, j) { item.classList.toggle("is-current", j === index); });
    if (focus) {
      all[index].focus();
      all[index].scrollIntoView({ block: "nearest" });
    }
  }

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]") || document.querySelector("dialog[open]");
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    var current = items()[index];
    var key = event.key;
    if (key === "j" || key === "k") {
      select(index + (key === "j" ? 1 : -1), true);
      event.preventDefault();
    } else if ((key === "l" || key === "a") && current) {
      var button = current.querySelector('[data-key="' + key + '"]');
      if (button) { button.click(); event.preventDefault(); }
    }
  });

  // Clicking or tabbing into an item makes it the current one.
  list.addEventListener("focusin", function (event) {
    var item = event.target.closest("[data-triage-item]");
    if (item) { select(items().indexOf(item), false); }
  });

  // After a triage action (a POST) the item is swapped: keep it selected, or after archiving
  // move on to the next one.
  var pending = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    var verb = (event.detail.requestConfig && event.detail.requestConfig.verb) || "";
    if (verb.toLowerCase() === "post" && (list.contains(elt) || elt.closest("[data-close-dialog]"))) {
      pending = { advance: Boolean(elt.closest("[data-advance]")) };
    }
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!pending) { return; }
    select(index + (pending.advance ? 1 : 0), true);
    pending = null;
  });

  // A link chosen in the dialog: close it and come back to the item.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt.closest("[data-close-dialog]");
    var verb = (event.detail.requestConfig && event.detail.requestConfig.verb) || "";
    // Only the link itself (a POST) closes the dialog, not the searches typed in it.
    if (!form || !event.detail.successful || verb.toLowerCase() !== "post") { return; }
    var dialog = form.closest("dialog");
    if (dialog) { dialog.close(); }
    select(index, true);
  });

  select(0, false);
})();
