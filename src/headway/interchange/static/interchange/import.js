// Suggest the chosen CSV file's own column names in the mapping fields (a <datalist>).
(function () {
  "use strict";
  function columnsOf(line) {
    var counts = { ",": 0, ";": 0, "\t": 0 };
    Object.keys(counts).forEach(function (d) { counts[d] = line.split(d).length - 1; });
    var delimiter = Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a]; })[0];
    var names = [], current = "", quoted = false;
    for (var i = 0; i < line.length; i++) {
      var c = line[i];
      if (c === '"') {
        if (quoted && line[i + 1] === '"') { current += '"'; i++; } else { quoted = !quoted; }
      } else if (c === delimiter && !quoted) { names.push(current.trim()); current = ""; }
      else { current += c; }
    }
    names.push(current.trim());
    return names.filter(function (n, idx) { return n && names.indexOf(n) === idx; });
  }
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches('.import-form input[type="file"]') || !input.files.length) { return; }
    var list = document.getElementById("csv-columns");
    if (!list) { return; }
    input.files[0].slice(0, 65536).text().then(function (text) {
      var first = text.replace(/^\uFEFF/, "").split(/\r?\n/)[0] || "";
      list.replaceChildren.apply(list, columnsOf(first).map(function (name) {
        var option = document.createElement("option");
        option.value = name;
        return option;
      }));
    });
  });
})();
