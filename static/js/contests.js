// A contest's page: the countdown to the end of one's window. The server gives the seconds
// left (so a wrong clock on a school computer does not matter); this only ticks them down.
// Without script the page shows the end time instead.
(function () {
  "use strict";

  function two(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function text(seconds) {
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    return (h ? h + ":" + two(m) : String(m)) + ":" + two(s);
  }

  document.querySelectorAll("[data-contest-clock]").forEach(function (clock) {
    var left = parseInt(clock.dataset.secondsLeft, 10);
    var value = clock.querySelector("[data-clock-value]");
    if (isNaN(left) || !value) return;
    var deadline = Date.now() + left * 1000;
    value.hidden = false;
    function tick() {
      var seconds = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      value.textContent = seconds ? text(seconds) : clock.dataset.over;
      clock.classList.toggle("is-low", seconds < 300);
      if (seconds) {
        window.setTimeout(tick, 500);
      }
    }
    tick();
  });
})();
