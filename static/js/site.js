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

  document.addEventListener("DOMContentLoaded", () => {
    startCountdowns();
    autoSubmitLanguage();
  });
})();
