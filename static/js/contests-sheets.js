// The judge's score sheet (templates/contests/sheet.html): − and + buttons beside each count,
// and a running total. Only a help at the field: without script the counts are plain number
// fields and the total is the saved one; when the sheet is saved the server counts the points
// again (contests.sheet_scores), and its score is the one that counts.
(function () {
  "use strict";

  var form = document.querySelector("[data-sheet-form]");
  if (!form) return;
  var lang = document.documentElement.lang || undefined;
  var numbers = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  var inputs = Array.prototype.slice.call(form.querySelectorAll(".stepper-input"));
  var total = form.querySelector("[data-sheet-total]");

  function count(input) {
    var value = parseInt(input.value, 10);
    var max = parseInt(input.max, 10);
    if (isNaN(value) || value < 0) return 0;
    return isNaN(max) ? value : Math.min(value, max);
  }

  // Points in hundredths, so 0.1 + 0.2 adds up as on the server (Decimals there).
  function hundredths(text) {
    var value = parseFloat(String(text || "0").replace(",", "."));
    return isNaN(value) ? 0 : Math.round(value * 100);
  }

  function recount() {
    if (!total) return;
    var sum = 0;
    inputs.forEach(function (input) {
      var points = hundredths(input.dataset.points) * count(input);
      sum += input.dataset.kind === "penalty" ? -points : points;
    });
    total.textContent = numbers.format(Math.max(sum, 0) / 100);
  }

  function step(input, by) {
    var max = parseInt(input.max, 10);
    var next = count(input) + by;
    if (next < 0) next = 0;
    if (!isNaN(max) && next > max) next = max;
    input.value = String(next);
    input.dispatchEvent(new Event("input", { bubbles: true }));
    updateButtons(input);
  }

  function updateButtons(input) {
    var box = input.closest(".stepper");
    var value = count(input);
    var max = parseInt(input.max, 10);
    box.querySelectorAll("[data-step]").forEach(function (button) {
      var by = parseInt(button.dataset.step, 10);
      button.disabled = form.querySelector("fieldset[disabled]") !== null ||
        (by < 0 && value <= 0) || (by > 0 && !isNaN(max) && value >= max);
    });
  }

  inputs.forEach(function (input) {
    var box = input.closest(".stepper");
    box.classList.add("is-enhanced");
    box.querySelectorAll("[data-step]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        step(input, parseInt(button.dataset.step, 10));
      });
    });
    input.addEventListener("input", function () {
      recount();
      updateButtons(input);
    });
    updateButtons(input);
  });
  recount();

  // A second tap on "Save" while the first is on its way sends nothing more (the server would
  // take it harmlessly anyway: the same sheet again changes nothing).
  form.addEventListener("submit", function (event) {
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "1";
  });
  window.addEventListener("pageshow", function () {
    delete form.dataset.sending;
  });
})();
