// The live standings: every few seconds, while the page is visible, ask for the board alone
// (?fragment=1) with the ETag of the one shown; the server answers 304 when nothing moved, or
// the new board, which replaces the old one in place (the table keeps its scroll position).
// Without script the page is whole as served, with a Refresh link.
(function () {
  "use strict";

  var live = document.querySelector("[data-standings-live]");
  if (!live || !window.fetch) return;
  var board = document.getElementById("standings-board");
  var state = live.querySelector("[data-standings-state]");
  var url = live.dataset.fragmentUrl;
  var every = Math.max(5, parseInt(live.dataset.pollSeconds, 10) || 10) * 1000;
  var etag = live.dataset.etag || null;
  var timer = null;
  var failures = 0;
  var busy = false;

  function markMe() {
    var me = live.dataset.me && document.getElementById(live.dataset.me);
    if (me) me.classList.add("is-me");
  }

  function say(text, stale) {
    if (!state || !text) return;
    state.textContent = text;
    live.querySelector(".standings-status").classList.toggle("is-stale", !!stale);
  }

  function replace(html) {
    var scroller = board.querySelector(".standings-scroll");
    var left = scroller ? scroller.scrollLeft : 0;
    var top = scroller ? scroller.scrollTop : 0;
    var hadFocus = scroller && document.activeElement === scroller;
    board.innerHTML = html;
    scroller = board.querySelector(".standings-scroll");
    if (scroller) {
      scroller.scrollLeft = left;
      scroller.scrollTop = top;
      if (hadFocus) scroller.focus({ preventScroll: true });
    }
    markMe();
  }

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(poll, delay);
  }

  function poll() {
    if (document.visibilityState !== "visible" || busy) return;
    busy = true;
    var headers = { "X-Requested-With": "fetch" };
    if (etag) headers["If-None-Match"] = etag;
    fetch(url, { headers: headers, cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 304) return null;
        if (!response.ok) throw new Error(String(response.status));
        etag = response.headers.get("ETag") || etag;
        return response.text();
      })
      .then(function (html) {
        if (html !== null) replace(html);
        failures = 0;
        say(live.dataset.okText, false);
        schedule(every);
      })
      .catch(function () {
        failures += 1;
        say(live.dataset.staleText, true);
        // Back off while the server is away: 20 s, 40 s, then every minute.
        schedule(Math.min(every * Math.pow(2, failures), 60000));
      })
      .then(function () {
        busy = false;
      });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") schedule(0);
    else clearTimeout(timer);
  });

  markMe();
  schedule(every);
})();
