// Headway's small amount of JavaScript: everything else is htmx attributes in the templates.
(function () {
  "use strict";
  // Open and close <dialog> elements from buttons: data-open="dialog-id", data-close.
  document.addEventListener("click", function (event) {
    var opener = event.target.closest("[data-open]");
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute("data-open"));
      if (dialog) { dialog.showModal(); }
    }
    var closer = event.target.closest("[data-close]");
    if (closer) {
      var parent = closer.closest("dialog");
      if (parent) { parent.close(); }
    }
  });
  // Problem+json answers to htmx requests: show their detail instead of failing silently.
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var text = "The request failed (" + xhr.status + ").";
    try { text = JSON.parse(xhr.responseText).detail || text; } catch (e) { /* HTML answer */ }
    var region = document.getElementById("htmx-errors");
    if (region) { region.textContent = text; region.hidden = false; }
  });
})();
