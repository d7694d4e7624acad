// Drag a roadmap bar sideways to move its dates. The drawing carries its time scale in data
// attributes (data-axis-start, data-pixels-per-day), so the new start is computed here and
// sent to the same move endpoint the table's forms use; the answer is the re-drawn board.
(function () {
  "use strict";
  var DAY = 86400000;
  var drag = null;
  var suppressClick = false;

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; }
    catch (e) { return ""; }
  }

  function addDays(iso, days) {
    var parts = iso.split("-");
    var time = Date.UTC(+parts[0], +parts[1] - 1, +parts[2]) + days * DAY;
    return new Date(time).toISOString().slice(0, 10);
  }

  function svgX(svg, clientX) {
    // Screen pixels to SVG user units (the drawing may be scaled to fit).
    var box = svg.getBoundingClientRect();
    var width = svg.viewBox && svg.viewBox.baseVal ? svg.viewBox.baseVal.width : box.width;
    return clientX * (width / box.width);
  }

  function barAt(target) {
    var bar = target.closest ? target.closest("g.hw-item.hw-bar[data-start]") : null;
    if (!bar) { return null; }
    var board = bar.closest(".roadmap-board[data-move-base]");
    var svg = bar.closest("svg[data-pixels-per-day]");
    return board && svg ? { bar: bar, board: board, svg: svg } : null;
  }

  document.addEventListener("pointerdown", function (event) {
    if (event.button !== 0) { return; }
    var found = barAt(event.target);
    if (!found) { return; }
    drag = {
      bar: found.bar, board: found.board, svg: found.svg,
      x: svgX(found.svg, event.clientX), days: 0,
      ppd: parseFloat(found.svg.getAttribute("data-pixels-per-day")),
    };
    found.bar.setPointerCapture && found.bar.setPointerCapture(event.pointerId);
  });

  document.addEventListener("pointermove", function (event) {
    if (!drag) { return; }
    var dx = svgX(drag.svg, event.clientX) - drag.x;
    drag.days = Math.round(dx / drag.ppd);
    if (drag.days !== 0) { drag.bar.classList.add("hw-dragging"); }
    drag.bar.setAttribute("transform", "translate(" + (drag.days * drag.ppd) + ",0)");
    event.preventDefault();
  });

  function finish(event) {
    if (!drag) { return; }
    var current = drag;
    drag = null;
    if (current.days === 0) {
      current.bar.removeAttribute("transform");
      current.bar.classList.remove("hw-dragging");
      return;
    }
    suppressClick = true;  // the pointer was released over the bar's link: do not follow it
    var key = current.bar.getAttribute("data-item-id");
    var start = addDays(current.bar.getAttribute("data-start"), current.days);
    var body = new URLSearchParams();
    body.set("start", start);
    var url = current.board.getAttribute("data-move-base") + encodeURIComponent(key) + "/move" + window.location.search;
    fetch(url, {
      method: "POST",
      headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" },
      body: body,
      credentials: "same-origin",
    }).then(function (response) {
      return response.text().then(function (html) { return { ok: response.ok, html: html }; });
    }).then(function (answer) {
      var holder = document.createElement("div");
      holder.innerHTML = answer.html;
      var fresh = holder.querySelector("#roadmap-board");
      if (fresh) {
        current.board.replaceWith(fresh);
        if (window.htmx) { window.htmx.process(fresh); }
      } else {
        current.bar.removeAttribute("transform");
      }
    }).catch(function () {
      current.bar.removeAttribute("transform");
      current.bar.classList.remove("hw-dragging");
      var status = document.getElementById("roadmap-status");
      if (status) { status.textContent = "The move could not be saved; try again."; }
    });
  }

  document.addEventListener("pointerup", finish);
  document.addEventListener("pointercancel", function () {
    if (drag) { drag.bar.removeAttribute("transform"); drag.bar.classList.remove("hw-dragging"); }
    drag = null;
  });
  document.addEventListener("click", function (event) {
    if (suppressClick) {
      suppressClick = false;
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);
  document.addEventListener("dragstart", function (event) {
    if (barAt(event.target)) { event.preventDefault(); }
  });
})();
