/*
 * gluesim: remember the check boxes a reader ticks (the start-here path) in this browser.
 *
 * Each box is keyed by its page and its position on the page, in localStorage, which works
 * from file:// and from a local server alike. Nothing leaves the browser.
 * Written for gluesim (Apache-2.0).
 */
(function () {
  "use strict";
  var boxes = document.querySelectorAll(".task-list-item input[type=checkbox]");
  var page = location.pathname.split("/").slice(-2).join("/");

  function key(index) {
    return "gluesim-check:" + page + ":" + index;
  }

  function store() {
    try {
      return window.localStorage;
    } catch (error) {
      return null;  // storage turned off: the boxes still tick, they are just not remembered
    }
  }

  var storage = store();
  boxes.forEach(function (box, index) {
    box.disabled = false;
    if (storage && storage.getItem(key(index)) === "1") {
      box.checked = true;
    }
    box.addEventListener("change", function () {
      if (storage) {
        storage.setItem(key(index), box.checked ? "1" : "0");
      }
    });
  });
})();
