// The backlog's manual order: drag a feature (SortableJS) or use its Up / Down buttons; each move
// is one POST to /api/v1/features/{id}/rank naming the new neighbour, so only that row changes.
(function () {
  "use strict";
  var list = document.getElementById("backlog");
  if (!list || !list.hasAttribute("data-sortable")) { return; }

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; }
    catch (e) { return ""; }
  }
  function announce(text) {
    var region = document.getElementById("backlog-status");
    if (region) { region.textContent = text; }
  }
  function items() {
    return Array.prototype.filter.call(list.children, function (el) {
      return el.classList.contains("backlog__item");
    });
  }
  function titleOf(item) {
    var link = item.querySelector(".backlog__title");
    return link ? link.textContent : "The feature";
  }
  function save(item) {
    var all = items();
    var index = all.indexOf(item);
    var body = {};
    if (index > 0) { body.after = Number(all[index - 1].dataset.id); }
    else if (all.length > 1) { body.before = Number(all[1].dataset.id); }
    else { return; }
    announce("Saving the new order…");
    fetch("/api/v1/features/" + item.dataset.id + "/rank", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      announce(titleOf(item) + " moved to place " + (index + 1) + ". Saved.");
    }).catch(function () {
      announce("The new order could not be saved; reload the page to see the saved order.");
    });
  }

  if (typeof Sortable !== "undefined") {
    Sortable.create(list, {
      handle: ".backlog__handle",
      draggable: ".backlog__item",
      forceFallback: true,  // mouse events rather than native drag and drop: same in every browser
      animation: 120,
      onEnd: function (event) {
        if (event.oldIndex !== event.newIndex) { save(event.item); }
      }
    });
  }

  list.addEventListener("click", function (event) {
    var button = event.target.closest("[data-move]");
    if (!button) { return; }
    var item = button.closest(".backlog__item");
    var all = items();
    var index = all.indexOf(item);
    if (button.dataset.move === "up" && index > 0) {
      list.insertBefore(item, all[index - 1]);
    } else if (button.dataset.move === "down" && index < all.length - 1) {
      list.insertBefore(item, all[index + 1].nextSibling);
    } else {
      return;
    }
    save(item);
    button.focus();
  });
})();
