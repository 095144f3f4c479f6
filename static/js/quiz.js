// A quiz attempt's page: every answer is sent to the server as it is given (the form itself
// still works without this script), the time left is shown (the server decides it); formulas
// are drawn by site.js. The server closes an attempt whose time is up; this only follows it.
(function () {
  "use strict";
  var form = document.getElementById("quiz-form");
  var timers = document.querySelectorAll(".quiz-timer");

  function fmt(seconds) {
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    var mm = (h && m < 10 ? "0" : "") + m, ss = (s < 10 ? "0" : "") + s;
    return (h ? h + ":" : "") + mm + ":" + ss;
  }

  var pending = {};   // position -> timer id of a debounced save
  var inFlight = 0;

  function fieldsetOf(el) { return el.closest("fieldset[data-position]"); }

  function status(fieldset, text, state) {
    var el = fieldset.querySelector(".quiz-saved");
    if (el) { el.textContent = text; el.dataset.state = state || ""; }
  }

  function markAnswered(fieldset) {
    var position = fieldset.dataset.position;
    var nav = document.querySelector('.quiz-nav-item[data-position="' + position + '"]');
    if (nav) nav.classList.add("is-answered");
  }

  // One save at a time, in the order given: a later answer to a question can never be
  // overtaken by an earlier one still in flight, and the server sees one request per pupil.
  var queue = Promise.resolve();

  function send(fieldset, attempt, keepalive) {
    if (keepalive) return post(fieldset, attempt, true);  // the page is going: no waiting
    queue = queue.then(function () { return post(fieldset, attempt, false); });
    return queue;
  }

  function post(fieldset, attempt, keepalive) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    data.append("position", fieldset.dataset.position);
    fieldset.querySelectorAll("input, select, textarea").forEach(function (el) {
      if (!el.name || el.disabled) return;
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
      data.append(el.name, el.value);
    });
    status(fieldset, form.dataset.saving, "saving");
    inFlight += 1;
    return fetch(form.dataset.answerUrl, {
      method: "POST", body: data, credentials: "same-origin", keepalive: !!keepalive,
      headers: { "X-Requested-With": "fetch" },
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.ok) {
          status(fieldset, "✓ " + form.dataset.saved, "saved");
          markAnswered(fieldset);
        } else if (body.closed && body.review) {
          window.location.href = body.review;
        } else {
          status(fieldset, body.message || form.dataset.offline, "error");
        }
      });
    }).catch(function () {
      status(fieldset, form.dataset.offline, "error");
      var wait = Math.min(30000, 1000 * Math.pow(2, attempt || 0));
      setTimeout(function () { send(fieldset, (attempt || 0) + 1); }, wait);
    }).finally(function () { inFlight -= 1; });
  }

  function schedule(fieldset, delay) {
    var position = fieldset.dataset.position;
    clearTimeout(pending[position]);
    pending[position] = setTimeout(function () {
      delete pending[position];
      send(fieldset, 0);
    }, delay);
  }

  function flush(keepalive) {
    Object.keys(pending).forEach(function (position) {
      clearTimeout(pending[position]);
      delete pending[position];
      var fieldset = form.querySelector('fieldset[data-position="' + position + '"]');
      if (fieldset) send(fieldset, 0, keepalive);
    });
  }

  if (form) {
    form.addEventListener("change", function (event) {
      var fieldset = fieldsetOf(event.target);
      if (fieldset) schedule(fieldset, 0);
    });
    form.addEventListener("input", function (event) {
      var fieldset = fieldsetOf(event.target);
      if (fieldset && (event.target.type === "text" || event.target.tagName === "TEXTAREA")) {
        schedule(fieldset, 700);
      }
    });
    // Leaving the page by a link: what is still waiting goes first.
    window.addEventListener("pagehide", function () { flush(true); });
    document.querySelectorAll(".quiz-nav-item").forEach(function (link) {
      link.addEventListener("click", function () { flush(true); });
    });
  }

  timers.forEach(function (timer) {
    var left = parseInt(timer.dataset.seconds, 10);
    var value = timer.querySelector(".quiz-timer-value");
    var ends = Date.now() + left * 1000;
    function tick() {
      var now = Math.max(0, Math.round((ends - Date.now()) / 1000));
      value.textContent = fmt(now);
      timer.classList.toggle("is-short", now <= 60);
      if (now === 60 && timer.dataset.warning) timer.setAttribute("aria-label", timer.dataset.warning);
      if (now <= 0) {
        clearInterval(id);
        if (form) flush(true);
        // The server has closed the attempt with the answers given; the summary page says so.
        setTimeout(function () {
          window.location.href = form ? form.dataset.summaryUrl : window.location.href;
        }, 1500);
      }
    }
    var id = setInterval(tick, 1000);
    tick();
  });

})();
