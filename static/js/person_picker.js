// Person pickers (apps/core/people.py, core/widgets/person_select.html): a search box above a
// <select> narrows its options to the people whose name, pinyin or initials contain what was
// typed ("chen", "cc", "陈"). The box is hidden in the HTML, so without JavaScript only the plain
// select shows. Options are taken out and put back rather than hidden, because phones' native
// pickers ignore hidden options.
(function () {
  "use strict";

  var originals = new WeakMap();

  function normalise(text) {
    return (text || "").toLowerCase().replace(/\s+/g, "");
  }

  function matches(option, query) {
    if (!query || option.value === "") {
      return true;
    }
    var words = (option.getAttribute("data-search") || option.textContent).split(" ");
    return words.some(function (word) {
      return normalise(word).indexOf(query) !== -1;
    });
  }

  function filter(box) {
    var select = document.getElementById(box.getAttribute("data-person-search"));
    if (!select) {
      return;
    }
    if (!originals.has(select)) {
      originals.set(
        select,
        Array.prototype.map.call(select.children, function (node) {
          return node.cloneNode(true);
        })
      );
    }
    var query = normalise(box.value);
    var current = select.value;
    var found = [];
    var keep = function (option) {
      // The chosen person stays, so filtering never changes the choice behind the user's back.
      var kept = option.value === current || matches(option, query);
      if (kept && option.value !== "" && matches(option, query)) {
        found.push(option.value);
      }
      return kept;
    };
    var nodes = [];
    originals.get(select).forEach(function (node) {
      if (node.tagName === "OPTGROUP") {
        var group = node.cloneNode(false);
        Array.prototype.forEach.call(node.children, function (option) {
          if (keep(option)) {
            group.appendChild(option.cloneNode(true));
          }
        });
        if (group.children.length) {
          nodes.push(group);
        }
      } else if (keep(node)) {
        nodes.push(node.cloneNode(true));
      }
    });
    select.replaceChildren.apply(select, nodes);
    select.value = current;
    // One person left: choose them, as a search field with a single answer would.
    if (query && found.length === 1 && found[0] !== current) {
      select.value = found[0];
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
    box.classList.toggle("is-invalid", Boolean(query) && found.length === 0);
  }

  function reveal(root) {
    root.querySelectorAll("input[data-person-search]").forEach(function (box) {
      box.hidden = false;
    });
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("input[data-person-search]")) {
      filter(event.target);
    }
  });

  // Enter in the search box narrows the list; it must not submit the form half filled in.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches && event.target.matches("input[data-person-search]")) {
      event.preventDefault();
    }
  });

  reveal(document);
  document.addEventListener("htmx:load", function (event) {
    reveal(event.detail.elt);
  });
})();
