// Scorecard form: "Add a criterion" appends a blank row. Without JavaScript the form already
// offers blank rows, so the button stays hidden.
(function () {
  "use strict";
  var ROW_INPUT = /-(\d+)-(name|weight|low|high|remove)$/;

  function reveal(root) {
    root.querySelectorAll("[data-add-criterion]").forEach(function (button) {
      button.hidden = false;
    });
  }

  document.addEventListener("DOMContentLoaded", function () { reveal(document); });
  document.addEventListener("htmx:load", function (event) { reveal(event.target); });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-criterion]");
    if (!button) { return; }
    var table = document.getElementById(button.getAttribute("data-add-criterion"));
    if (!table) { return; }
    var body = table.tBodies[0];
    var index = body.rows.length;
    var row = body.rows[index - 1].cloneNode(true);
    row.cells[row.cells.length - 1].textContent = "";
    row.querySelectorAll("input").forEach(function (input) {
      input.name = input.name.replace(ROW_INPUT, "-" + index + "-$2");
      if (input.id) { input.id = input.id.replace(ROW_INPUT, "-" + index + "-$2"); }
      var label = input.getAttribute("aria-label");
      if (label) { input.setAttribute("aria-label", label.replace(/\d+$/, String(index + 1))); }
      input.value = "";
    });
    body.appendChild(row);
    row.querySelector("input").focus();
  });
})();
