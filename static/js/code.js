// A code exercise's page: the draft is saved as the pupil types; "Run on the examples", "Run
// with my input" and "Hand in" go to the server, and the verdicts are shown as they arrive
// (the page polls a small JSON). Without this script the form still hands the code in.
// Everything the server sends is put on the page as text, never as HTML.
(function () {
  "use strict";
  var form = document.getElementById("code-form");
  var results = document.getElementById("code-results");
  var POLL_MS = 700;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function csrf() {
    var field = document.querySelector("[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function post(url, fields) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", csrf());
    Object.keys(fields).forEach(function (key) { data.append(key, fields[key]); });
    return fetch(url, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) throw new Error(body.error || (form && form.dataset.failed) || "error");
        return body;
      });
    });
  }

  function poll(url, onUpdate) {
    return fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) throw new Error(form ? form.dataset.failed : "error");
        return response.json();
      })
      .then(function (body) {
        onUpdate(body);
        if (!body.done && !body.stuck) {
          return new Promise(function (resolve) { setTimeout(resolve, POLL_MS); })
            .then(function () { return poll(url, onUpdate); });
        }
        return body;
      });
  }

  function mb(kb) { return (kb / 1024).toFixed(1); }

  // --- a submission's verdicts (the exercise page after "Hand in", and the submission page) ---
  var labels = form ? form.dataset : {};

  function testsTable(tests) {
    var table = el("table", "code-tests");
    var head = el("tr");
    [labels.testLabel || "#", labels.resultLabel, labels.timeLabel, labels.memoryLabel].forEach(function (text) { head.appendChild(el("th", "", text)); });
    table.appendChild(el("thead")).appendChild(head);
    var body = el("tbody");
    tests.forEach(function (test) {
      var row = el("tr", "verdict-row verdict-" + test.verdict);
      var number = el("td", "", String(test.number));
      if (test.is_example && labels.exampleLabel) {
        number.appendChild(document.createTextNode(" "));
        number.appendChild(el("span", "state-badge", labels.exampleLabel));
      }
      row.appendChild(number);
      var verdict = el("td", "", test.emoji + " " + test.label);
      if (test.message) verdict.appendChild(el("pre", "code-message", test.message));
      if (test.output) {
        var details = el("details");
        details.appendChild(el("summary", "", labels.outputLabel || "Output"));
        details.appendChild(el("pre", "", test.output));
        verdict.appendChild(details);
      }
      row.appendChild(verdict);
      row.appendChild(el("td", "", test.time_s.toFixed(3) + " s"));
      row.appendChild(el("td", "", mb(test.memory_kb) + " MB"));
      body.appendChild(row);
    });
    table.appendChild(body);
    return table;
  }

  function renderStatus(box, status) {
    box.textContent = "";
    var line = el("p", "code-verdict-line");
    line.appendChild(el("span", "code-verdict-emoji", status.emoji));
    line.appendChild(document.createTextNode(" "));
    line.appendChild(el("strong", "", status.label));
    if (status.tests_total) {
      line.appendChild(document.createTextNode(" "));
      line.appendChild(el("span", "muted", status.tests_passed + " / " + status.tests_total + " " + (labels.passedLabel || "")));
    }
    if (status.points !== null && status.points !== undefined) {
      line.appendChild(el("span", "code-points", (labels.pointsLabel || "") + ": " + status.points + " / " + status.max_points));
    }
    box.appendChild(line);
    if (status.compile_output) box.appendChild(el("pre", "code-message", status.compile_output));
    if (status.tests.length) {
      var wrap = el("div", "table-scroll");
      wrap.appendChild(testsTable(status.tests));
      box.appendChild(wrap);
    }
    box.dataset.state = status.done ? "done" : "working";
  }

  var statusBox = document.getElementById("code-status");
  if (statusBox && statusBox.dataset.statusUrl && !statusBox.dataset.done) {
    poll(statusBox.dataset.statusUrl, function (status) { renderStatus(statusBox, status); })
      .then(function (status) { if (status.done) window.location.reload(); })
      .catch(function () {});
  }

  if (!form) return;

  // --- the draft -------------------------------------------------------------------------------
  var source = document.getElementById("code-source");
  var language = document.getElementById("code-language");
  var savedNote = form.querySelector(".code-saved");
  var starters = JSON.parse(document.getElementById("code-starters").textContent || "{}");
  var saveTimer = null;
  var saving = Promise.resolve();

  function note(text, state) { savedNote.textContent = text; savedNote.dataset.state = state || ""; }

  function saveDraft() {
    saveTimer = null;
    var fields = { language: language.value, source: source.value };
    note(form.dataset.saving, "saving");
    saving = saving.then(function () {
      return post(form.dataset.draftUrl, fields)
        .then(function () { note("✓ " + form.dataset.saved, "saved"); })
        .catch(function (error) { note(error.message || form.dataset.unsaved, "error"); });
    });
  }

  source.addEventListener("input", function () {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = setTimeout(saveDraft, 1200);
  });

  var previousLanguage = language.value;
  language.addEventListener("change", function () {
    // A program still the starter code (or empty) becomes the new language's starter.
    var current = source.value.trim();
    if (!current || current === (starters[previousLanguage] || "").trim()) {
      var editor = window.LmsCodeEditor && window.LmsCodeEditor.get(source);
      var starter = starters[language.value] || "";
      if (editor) editor.setValue(starter); else source.value = starter;
    }
    previousLanguage = language.value;
    saveDraft();
  });

  window.addEventListener("beforeunload", function () { if (saveTimer) saveDraft(); });

  // --- runs that are not counted --------------------------------------------------------------
  function renderRun(body) {
    results.textContent = "";
    body.results.forEach(function (item) {
      var card = el("div", "code-run verdict-row verdict-" + item.verdict);
      var title = (item.number ? (labels.testLabel || "") + " " + item.number + ": " : "") + (item.label || item.verdict);
      card.appendChild(el("p", "code-run-title", title));
      [["input", labels.inputLabel], ["expected", labels.expectedLabel], ["output", labels.outputLabel]].forEach(function (pair) {
        if (item[pair[0]] === undefined || item[pair[0]] === "" && pair[0] !== "output") return;
        var block = el("div", "code-run-part");
        block.appendChild(el("p", "code-example-title", pair[1]));
        block.appendChild(el("pre", "", item[pair[0]]));
        card.appendChild(block);
      });
      if (item.message) card.appendChild(el("pre", "code-message", item.message));
      results.appendChild(card);
    });
    if (body.stuck) results.appendChild(el("p", "notice", form.dataset.stuck));
  }

  function busy(on) {
    form.querySelectorAll("button").forEach(function (button) { button.disabled = on; });
  }

  form.querySelectorAll("[data-run]").forEach(function (button) {
    button.addEventListener("click", function () {
      var kind = button.dataset.run;
      var fields = { language: language.value, source: source.value, kind: kind };
      if (kind === "custom") fields.input = document.getElementById("code-input").value;
      busy(true);
      results.textContent = "";
      results.appendChild(el("p", "muted", form.dataset.running));
      post(form.dataset.runUrl, fields)
        .then(function (body) { return poll(body.status_url, function (status) { if (status.done || status.stuck) renderRun(status); }); })
        .catch(function (error) { results.textContent = ""; results.appendChild(el("p", "notice", error.message)); })
        .then(function () { busy(false); });
    });
  });

  // --- handing in ---------------------------------------------------------------------------
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (saveTimer) { clearTimeout(saveTimer); saveTimer = null; }
    busy(true);
    var box = el("div", "code-verdict");
    results.textContent = "";
    results.appendChild(box);
    box.appendChild(el("p", "muted", form.dataset.queued));
    post(form.action, { language: language.value, source: source.value })
      .then(function (body) {
        return poll(body.status_url, function (status) { renderStatus(box, status); }).then(function (status) {
          var link = el("a", "btn btn-ghost", (labels.detailsLabel || "") + " →");
          link.href = body.page_url;
          box.appendChild(link);
          return status;
        });
      })
      .catch(function (error) { box.textContent = ""; box.appendChild(el("p", "notice", error.message)); })
      .then(function () { busy(false); });
  });
})();
