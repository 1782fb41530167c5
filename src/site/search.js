// Optional search over search.json: shown only once the list has loaded, so the pages work
// the same without JavaScript. Results are built with textContent, never as markup.
(function () {
  "use strict";
  var box = document.getElementById("site-search");
  if (!box || !window.fetch) { return; }
  var input = document.getElementById("search-words");
  var status = document.getElementById("search-status");
  var results = document.getElementById("search-results");
  fetch("search.json").then(function (r) { return r.json(); }).then(function (entries) {
    box.hidden = false;
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      results.textContent = "";
      if (!words.length) { status.textContent = ""; return; }
      var found = entries.filter(function (e) {
        var text = (e.title + " " + e.about + " " + (e.badge || "")).toLowerCase();
        return words.every(function (w) { return text.indexOf(w) !== -1; });
      });
      status.textContent = found.length + (found.length === 1 ? " link found" : " links found");
      found.slice(0, 30).forEach(function (e) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = e.href;
        a.textContent = e.title;
        li.appendChild(a);
        li.appendChild(document.createTextNode(" — " + e.about + (e.badge ? " (" + e.badge + ")" : "")));
        results.appendChild(li);
      });
    });
  }).catch(function () { /* no list, no box: the pages still have every link */ });
})();
