// committee site search: folds tones and case the way the CLI does (committee_cli.vietnamese.fold),
// so "truong hai long" finds "Trương Hải Long". The index is search-index.js, built with the site.
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase()
      .replace(/[^a-z0-9/]+/g, " ").trim();
  }
  var KIND = { person: "Người", committee: "Ban", decision: "Quyết định" };
  function search(query) {
    var words = fold(query).split(" ").filter(Boolean);
    if (!words.length) { return []; }
    return (window.COMMITTEE_SEARCH_INDEX || []).filter(function (entry) {
      var text = " " + entry.folded + " ";
      return words.every(function (w) { return text.indexOf(w) !== -1; });
    });
  }
  function show(query) {
    var list = document.getElementById("results");
    var summary = document.getElementById("summary");
    list.textContent = "";
    var found = search(query);
    found.forEach(function (entry) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = entry.url;
      link.textContent = entry.label;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = KIND[entry.kind] + ": ";
      item.appendChild(kind);
      item.appendChild(link);
      list.appendChild(item);
    });
    summary.textContent = query.trim() ? (found.length ? "Tìm thấy " + found.length + " kết quả." :
      "Không tìm thấy kết quả nào.") : "";
  }
  document.addEventListener("DOMContentLoaded", function () {
    var input = document.getElementById("q");
    var form = document.getElementById("search");
    var query = new URLSearchParams(window.location.search).get("q") || "";
    input.value = query;
    show(query);
    input.addEventListener("input", function () { show(input.value); });
    form.addEventListener("submit", function (event) { event.preventDefault(); show(input.value); });
  });
}());
