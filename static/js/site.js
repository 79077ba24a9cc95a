// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  function formatRemaining(ms, labels) {
    if (ms <= 0) return labels.dataset.countdownOver || "";
    const total = Math.floor(ms / 1000);
    const days = Math.floor(total / 86400);
    const hours = Math.floor((total % 86400) / 3600);
    const minutes = Math.floor((total % 3600) / 60);
    const seconds = total % 60;
    const pad = (n) => String(n).padStart(2, "0");
    // The page renders the word for one day and for more (German and English have these
    // two plural forms; a language with more would need its count's form from the server).
    const dayWord = days === 1 ? labels.dataset.countdownDay : labels.dataset.countdownDays;
    const dayPart = days > 0 ? days + " " + (dayWord || "d") + " " : "";
    return dayPart + pad(hours) + ":" + pad(minutes) + ":" + pad(seconds);
  }

  function startCountdowns() {
    const countdowns = document.querySelectorAll("[data-countdown-target]");
    if (!countdowns.length) return;
    const tick = () => {
      countdowns.forEach((element) => {
        const target = Date.parse(element.dataset.countdownTarget);
        if (Number.isNaN(target)) return;
        element.textContent = formatRemaining(target - Date.now(), element);
      });
    };
    tick();
    window.setInterval(tick, 1000);
  }

  function autoSubmitLanguage() {
    const select = document.getElementById("language-select");
    if (!select) return;
    select.addEventListener("change", () => select.form.submit());
  }

  // The user menu is a <details>: it opens without this; here it only closes like a menu,
  // on Escape (focus back on its summary) and on a click outside it.
  function closeMenusLikeMenus() {
    const menus = document.querySelectorAll("details.user-menu");
    if (!menus.length) return;
    document.addEventListener("keydown", (event) => {
      if (event.key !== "Escape") return;
      menus.forEach((menu) => {
        if (!menu.open) return;
        menu.open = false;
        menu.querySelector("summary").focus();
      });
    });
    document.addEventListener("click", (event) => {
      menus.forEach((menu) => {
        if (menu.open && !menu.contains(event.target)) menu.open = false;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    startCountdowns();
    autoSubmitLanguage();
    closeMenusLikeMenus();
  });
})();
