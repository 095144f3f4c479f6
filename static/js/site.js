// Small progressive enhancements: copy buttons, formulas, no double submits.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var block = button.closest(".code-block");
    var code = block && block.querySelector("pre");
    if (!code || !navigator.clipboard) return;
    navigator.clipboard.writeText(code.innerText).then(function () {
      var original = button.textContent;
      button.textContent = button.dataset.copiedLabel || "✓";
      button.classList.add("is-copied");
      setTimeout(function () {
        button.textContent = original;
        button.classList.remove("is-copied");
      }, 1600);
    });
  });

  // The header's "Menu" button folds the menu on a phone (CSS shows the button only there).
  document.querySelectorAll("[data-menu-toggle]").forEach(function (button) {
    var menu = document.getElementById(button.getAttribute("aria-controls"));
    if (!menu) return;
    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("is-open", open);
    }
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || button.getAttribute("aria-expanded") !== "true") return;
      setOpen(false);
      if (button.offsetParent !== null) button.focus();
    });
  });

  // Boxes that scroll sideways (Markdown code, pupils' texts, wide tables) can be scrolled with
  // the keyboard: each becomes focusable once its content is wider than it is. Code blocks and
  // the marked-up scrollers (tabindex in the template) are focusable already.
  function focusableScrollers() {
    document.querySelectorAll("pre, .table-scroll, .grid-scroll").forEach(function (box) {
      if (box.closest("[tabindex]") || box.scrollWidth <= box.clientWidth) return;
      if (box.querySelector("a[href], button, input, select, textarea, [tabindex]")) return;
      box.tabIndex = 0;
    });
  }
  window.addEventListener("load", focusableScrollers);

  // Print buttons on login cards and invites.
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });

  // Forms that remove something ask first.
  document.addEventListener("submit", function (event) {
    var message = event.target.dataset && event.target.dataset.confirm;
    if (message && !window.confirm(message)) event.preventDefault();
  });

  // A second click on a submit button marked data-once does nothing (the server is idempotent too).
  document.addEventListener("submit", function (event) {
    if (event.defaultPrevented) return; // a data-confirm dialog was cancelled
    var button = event.target.querySelector("[data-once]");
    if (!button) return;
    if (button.dataset.sent) {
      event.preventDefault();
      return;
    }
    button.dataset.sent = "1";
    button.setAttribute("aria-disabled", "true");
  });

  // The notifications page marks what it shows as read, by POST (the GET itself changes
  // nothing). Without script, the form's button does the same.
  document.querySelectorAll("form[data-mark-read]").forEach(function (form) {
    if (!window.fetch) return;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    }).then(function (response) {
      if (response.ok) form.hidden = true;
    });
  });

  function renderFormulas() {
    if (!window.katex) return;
    document.querySelectorAll(".formula:not([data-rendered])").forEach(function (el) {
      try {
        window.katex.render(el.textContent, el, {
          displayMode: el.dataset.display === "true",
          throwOnError: false,
          trust: false,
          maxSize: 20,
          maxExpand: 500,
        });
        el.dataset.rendered = "1";
      } catch (err) {
        el.classList.add("formula-error");
      }
    });
  }
  window.addEventListener("load", renderFormulas);

  // On a phone the course outline starts folded, so the lesson itself comes first.
  if (window.matchMedia("(max-width: 900px)").matches) {
    document.querySelectorAll(".sidebar-outline[open]").forEach(function (el) {
      el.removeAttribute("open");
    });
  }
})();
