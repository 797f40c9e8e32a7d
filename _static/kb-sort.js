/* Sortable tables: a button in each column heading sorts the rows; aria-sort tells screen
   readers. A search box, where a table has one, narrows it to matching rows. Without
   JavaScript the table is a plain table in its original order and the box is not shown. */
(function () {
  function key(cell) {
    var v = cell.getAttribute("data-sort") || cell.textContent.trim();
    var n = parseFloat(v.replace(/,/g, ""));
    return isNaN(n) || /[a-z]/i.test(v.replace(/[\d.,\s%+−-]/g, "")) ? v.toLowerCase() : n;
  }
  document.addEventListener("DOMContentLoaded", function () {
    // A search box narrows a table to the rows that hold what the reader types.
    document.querySelectorAll("input[data-kb-filter]").forEach(function (input) {
      var table = document.getElementById(input.getAttribute("data-kb-filter"));
      if (!table) return;
      input.closest("[hidden]") && input.closest("[hidden]").removeAttribute("hidden");
      input.addEventListener("input", function () {
        var words = input.value.trim().toLowerCase();
        Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
          row.hidden = words !== "" && row.textContent.toLowerCase().indexOf(words) < 0;
        });
      });
    });
    // Filters by a row's data attributes (status, theme); a link ending in #status-x or
    // #theme-y opens the page filtered.
    document.querySelectorAll("form.kb-filters").forEach(function (form) {
      var table = form.parentNode.querySelector("table");
      var selects = form.querySelectorAll("select[data-kb-filter-column]");
      var count = form.querySelector(".kb-filter-count");
      function apply() {
        var shown = 0;
        Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
          var keep = Array.prototype.every.call(selects, function (s) {
            return !s.value || row.getAttribute("data-" + s.getAttribute("data-kb-filter-column")) === s.value;
          });
          row.hidden = !keep;
          shown += keep ? 1 : 0;
        });
        if (count) count.textContent = shown + " of " + table.tBodies[0].rows.length + " shown";
      }
      function fromHash() {
        var m = /^#(status|theme)-([a-z_]+)$/.exec(window.location.hash);
        selects.forEach(function (s) {
          var column = s.getAttribute("data-kb-filter-column");
          if (m && m[1] === column) s.value = m[2];
          else if (m) s.value = "";
        });
        apply();
      }
      form.removeAttribute("hidden");
      selects.forEach(function (s) { s.addEventListener("change", apply); });
      window.addEventListener("hashchange", fromHash);
      fromHash();
    });
    document.querySelectorAll("table.kb-sortable").forEach(function (table) {
      var heads = table.querySelectorAll("thead th");
      heads.forEach(function (th, col) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "kb-sort";
        button.textContent = th.textContent.trim();
        th.textContent = "";
        th.appendChild(button);
        th.setAttribute("aria-sort", "none");
        button.addEventListener("click", function () {
          var ascending = th.getAttribute("aria-sort") !== "ascending";
          heads.forEach(function (h) { h.setAttribute("aria-sort", "none"); });
          th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
          var body = table.tBodies[0];
          var rows = Array.prototype.slice.call(body.rows);
          rows.sort(function (a, b) {
            var x = key(a.cells[col]), y = key(b.cells[col]);
            return (x > y ? 1 : x < y ? -1 : 0) * (ascending ? 1 : -1);
          });
          rows.forEach(function (r) { body.appendChild(r); });
        });
      });
    });
  });
})();
