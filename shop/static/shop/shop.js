/* Small progressive enhancements; every page works without them. */
(function () {
  "use strict";
  var input = document.getElementById("site-search-q");
  if (!input || !window.fetch) { return; }
  var url = input.getAttribute("data-autocomplete-url");
  var list = document.createElement("datalist");
  list.id = "site-search-suggestions";
  input.setAttribute("list", list.id);
  input.parentNode.appendChild(list);
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var q = input.value.trim();
    if (q.length < 2) { return; }
    timer = setTimeout(function () {
      fetch(url + "?q=" + encodeURIComponent(q), { headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) {
          list.innerHTML = "";
          (data.suggestions || []).forEach(function (s) {
            var option = document.createElement("option");
            option.value = s.value;
            option.label = s.label || s.value;
            list.appendChild(option);
          });
        })
        .catch(function () {});
    }, 150);
  });
})();
