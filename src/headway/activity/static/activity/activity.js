// @mentions in comment boxes: the word being typed after "@" goes to the autocomplete (htmx
// fetches the matching members); choosing one completes the mention. Without JavaScript the
// comment box is a plain textarea and mentions still work when typed in full.
(function () {
  "use strict";
  if (window.headwayMentions) { return; }
  window.headwayMentions = true;

  var TYPING = /(^|[^\w@.+\-\/])@([\w.+\-]*)$/;

  function typed(box) {
    var before = box.value.slice(0, box.selectionStart);
    var match = TYPING.exec(before);
    return match ? match[2] : null;
  }

  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("textarea[data-mentions]")) { return; }
    var query = document.getElementById(box.id + "-q");
    if (query) { query.value = typed(box) || ""; }
  }, true);

  document.addEventListener("click", function (event) {
    var choice = event.target.closest("[data-mention]");
    if (!choice) { return; }
    var options = choice.closest(".mention-options");
    var box = options && document.querySelector('textarea[data-mentions="' + options.id + '"]');
    if (!box) { return; }
    var partial = typed(box);
    var caret = box.selectionStart;
    // Replace "@partial" (or insert at the caret when the caret is no longer after one).
    var start = partial === null ? caret : caret - partial.length - 1;
    var insert = "@" + choice.getAttribute("data-mention") + " ";
    box.value = box.value.slice(0, start) + insert + box.value.slice(caret);
    var end = start + insert.length;
    options.innerHTML = "";
    var query = document.getElementById(box.id + "-q");
    if (query) { query.value = ""; }
    box.focus();
    box.setSelectionRange(end, end);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var box = event.target.closest && event.target.closest("textarea[data-mentions]");
    var options = box && document.getElementById(box.getAttribute("data-mentions"));
    if (options) { options.innerHTML = ""; }
  });
})();
