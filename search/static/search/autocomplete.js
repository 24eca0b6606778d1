/* The header search box as a WAI-ARIA 1.2 combobox with a listbox of suggestions:
   article, name, availability and the viewer's price. Arrow keys move, Enter opens
   the highlighted product, Escape closes. Without it the box is a plain search. */
(function () {
  "use strict";
  var input = document.getElementById("site-search-q");
  if (!input || !window.fetch) { return; }
  var url = input.getAttribute("data-autocomplete-url");
  var form = input.form;
  var list = document.createElement("ul");
  var status = document.createElement("div");
  var items = [];
  var active = -1;
  var timer = null;
  var pending = null;

  list.id = "site-search-listbox";
  list.className = "search-suggest";
  list.setAttribute("role", "listbox");
  list.hidden = true;
  status.className = "sr-only";
  status.setAttribute("role", "status");
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);
  input.removeAttribute("list");
  form.appendChild(list);
  form.appendChild(status);

  function text(tag, className, value) {
    var node = document.createElement(tag);
    node.className = className;
    node.textContent = value || "";
    return node;
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    if (!items.length) { return; }
    active = (index + items.length) % items.length;
    Array.prototype.forEach.call(list.children, function (option, i) {
      option.setAttribute("aria-selected", i === active ? "true" : "false");
    });
    var option = list.children[active];
    input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  }

  function open(suggestion) {
    window.location.assign(suggestion.url);
  }

  function show(data) {
    items = data.suggestions || [];
    list.textContent = "";
    list.setAttribute("aria-label", data.label || "");
    items.forEach(function (s, i) {
      var option = document.createElement("li");
      option.id = "site-search-option-" + i;
      option.className = "search-suggest__option";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.appendChild(text("span", "search-suggest__article", s.article));
      option.appendChild(text("span", "search-suggest__name", s.name));
      option.appendChild(text("span", "search-suggest__stock" + (s.in_stock ? " is-in-stock" : ""), s.availability));
      option.appendChild(text("span", "search-suggest__price", s.price));
      option.addEventListener("mousedown", function (event) { event.preventDefault(); });
      option.addEventListener("click", function () { open(s); });
      list.appendChild(option);
    });
    active = -1;
    input.removeAttribute("aria-activedescendant");
    status.textContent = data.status || "";
    if (items.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    } else {
      close();
    }
  }

  function load(q) {
    if (pending) { pending.abort(); }
    pending = window.AbortController ? new AbortController() : null;
    fetch(url + "?q=" + encodeURIComponent(q), {
      headers: { "Accept": "application/json" },
      credentials: "same-origin",
      signal: pending ? pending.signal : undefined
    })
      .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
      .then(function (data) { if (input.value.trim() === q) { show(data); } })
      .catch(function () {});
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (q.length < 2) { close(); items = []; return; }
    timer = setTimeout(function () { load(q); }, 150);
  });

  input.addEventListener("keydown", function (event) {
    var expanded = !list.hidden;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!items.length) { return; }
      event.preventDefault();
      if (!expanded) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
      if (event.altKey) { return; }
      highlight(event.key === "ArrowDown" ? active + 1 : (active < 0 ? -1 : active - 1));
    } else if (event.key === "Enter") {
      if (expanded && active >= 0) {
        event.preventDefault();
        open(items[active]);
      }
    } else if (event.key === "Escape") {
      if (expanded) {
        event.preventDefault();
        close();
      }
    }
  });

  input.addEventListener("blur", close);
})();
