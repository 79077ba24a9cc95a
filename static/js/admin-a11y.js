// The admin's select2 widgets (autocomplete fields), made accessible after select2 draws
// them: its search field gets the name of the field it searches, and its list of chosen
// items holds only list items (select2 puts its "clear" cross straight into the <ul>).
// Everything works without this file; it only adds names and moves one element.
(function () {
  "use strict";

  const script = document.currentScript;
  const fallbackName = (script && script.dataset.searchLabel) || "Search";

  function selectOf(field) {
    // A multiple select2 searches inline, right after the <select> it replaces ...
    const container = field.closest(".select2-container");
    const before = container && container.previousElementSibling;
    if (before && before.tagName === "SELECT") return before;
    // ... a single one in a dropdown that names the select's results list.
    const match = /^select2-(.+)-results$/.exec(field.getAttribute("aria-controls") || "");
    return match ? document.getElementById(match[1]) : null;
  }

  function nameOf(select) {
    if (!select) return fallbackName;
    if (select.getAttribute("aria-label")) return select.getAttribute("aria-label");
    const label = select.id && document.querySelector('label[for="' + CSS.escape(select.id) + '"]');
    return label ? label.textContent.replace(/:\s*$/, "").trim() : fallbackName;
  }

  function fix(root) {
    root.querySelectorAll(".select2-search__field:not([aria-label])").forEach((field) => {
      field.setAttribute("aria-label", nameOf(selectOf(field)));
    });
    root.querySelectorAll("ul.select2-selection__rendered > :not(li)").forEach((node) => {
      const item = document.createElement("li");
      item.className = "select2-selection__clear-item";
      node.replaceWith(item);
      item.appendChild(node);
    });
  }

  // select2 draws late (and again on every change): look again whenever the page changes.
  new MutationObserver(() => fix(document)).observe(document.documentElement, {
    childList: true,
    subtree: true,
  });
  document.addEventListener("DOMContentLoaded", () => fix(document));
})();
