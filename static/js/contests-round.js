// The round's pages: the countdown to the end of one's window (the server gives the seconds
// left, so a wrong clock on the pupil's computer does not matter; the page only counts them
// down), the starter code when the language changes, and a run's page that refreshes itself
// until its verdict is in. Without this script the pages still work: the server decides.
(function () {
  "use strict";

  function clock(seconds) {
    var h = Math.floor(seconds / 3600);
    var m = Math.floor(seconds / 60) % 60;
    var s = seconds % 60;
    return h + ":" + (m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
  }

  var timer = document.querySelector("[data-round-clock]");
  if (timer) {
    var value = timer.querySelector(".round-clock-value");
    var total = parseInt(timer.dataset.secondsLeft, 10) || 0;
    var started = Date.now();
    var tick = function () {
      var left = Math.max(0, total - Math.floor((Date.now() - started) / 1000));
      value.textContent = left > 0 ? clock(left) : timer.dataset.over;
      timer.classList.toggle("is-short", left > 0 && left <= 300);
      if (left > 0) {
        setTimeout(tick, 1000 - ((Date.now() - started) % 1000));
        return;
      }
      timer.classList.add("is-over");
      document.querySelectorAll("[data-round-form] [type=submit]").forEach(function (button) {
        button.disabled = true;
      });
    };
    tick();
  }

  // A program still the starter code (or empty) becomes the new language's starter.
  var language = document.getElementById("round-language");
  var source = document.getElementById("round-source");
  var startersNode = document.getElementById("round-starters");
  if (language && source && startersNode) {
    var starters = JSON.parse(startersNode.textContent || "{}");
    var previous = language.value;
    language.addEventListener("change", function () {
      var editor = window.LmsCodeEditor && window.LmsCodeEditor.get(source);
      var current = (editor ? editor.getValue() : source.value).trim();
      if (!current || current === (starters[previous] || "").trim()) {
        var starter = starters[language.value] || "";
        if (editor) editor.setValue(starter); else source.value = starter;
      }
      previous = language.value;
    });
  }

  // A run being judged: look again in a few seconds (at most ~10 minutes of looking).
  var poll = document.querySelector("[data-round-poll]");
  if (poll) {
    var key = "contests-poll-" + poll.dataset.roundPoll;
    var count = parseInt(window.sessionStorage.getItem(key) || "0", 10);
    if (count < 200) {
      window.sessionStorage.setItem(key, String(count + 1));
      setTimeout(function () { window.location.reload(); }, count < 20 ? 1500 : 3000);
    }
  }
})();
