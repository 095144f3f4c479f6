/* The page editor's live preview (cms.preview).

   Markdown: each markdown block's textarea gets a "Preview" pane below it. As the author types
   (debounced) the text goes to the server's one renderer and sanitiser, so the pane shows what
   pupils will see; the answer is sanitised HTML and is the only thing written into the pane.
   Formulas: a formula block's LaTeX is drawn below it by the vendored KaTeX, with the lesson
   page's options (static/js/site.js), in display mode when the block's checkbox says so.

   Blocks are added to a StreamField at any time, so new textareas are found as they appear. */
(function () {
  "use strict";

  var MARKDOWN_DELAY_MS = 400;
  var FORMULA_DELAY_MS = 150;
  var KATEX_OPTIONS = { throwOnError: false, trust: false, maxSize: 20, maxExpand: 500 };
  var prepared = new WeakSet();

  function csrfToken() {
    var config = window.wagtailConfig || {};
    if (config.CSRF_TOKEN) return config.CSRF_TOKEN;
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // The server counts characters as Python does (code points), not UTF-16 units.
  function codePoints(text) {
    var count = 0;
    for (var i = 0; i < text.length; i++) {
      var unit = text.charCodeAt(i);
      if (unit < 0xdc00 || unit > 0xdfff) count++;
    }
    return count;
  }

  function debounce(fn, delay) {
    var timer = null;
    return function () {
      if (timer) clearTimeout(timer);
      timer = setTimeout(function () {
        timer = null;
        fn();
      }, delay);
    };
  }

  function makePane(textarea, kind) {
    var details = document.createElement("details");
    details.className = "lms-preview lms-preview--" + kind;
    details.open = true;
    var summary = document.createElement("summary");
    summary.textContent = textarea.dataset.previewLabel;
    var body = document.createElement("div");
    body.className = "lms-preview__body";
    body.setAttribute("aria-live", "polite");
    details.append(summary, body);
    textarea.insertAdjacentElement("afterend", details);
    return { details: details, body: body };
  }

  function showMessage(body, text, isError) {
    var p = document.createElement("p");
    p.className = "lms-preview__message" + (isError ? " lms-preview__message--error" : "");
    p.textContent = text;
    body.replaceChildren(p);
  }

  function whenVisible(element, fn) {
    if (!("IntersectionObserver" in window)) {
      fn();
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (entry) { return entry.isIntersecting; })) {
        observer.disconnect();
        fn();
      }
    });
    observer.observe(element);
  }

  function setUpMarkdown(textarea) {
    var pane = makePane(textarea, "markdown");
    var shown = null; // the text the pane shows
    var inFlight = null;

    function render() {
      if (!pane.details.open) return;
      var text = textarea.value;
      if (text === shown) return;
      if (!text.trim()) {
        shown = text;
        showMessage(pane.body, textarea.dataset.previewEmpty, false);
        return;
      }
      var limit = Number(textarea.dataset.previewMaxChars);
      var length = codePoints(text);
      if (length > limit) {
        shown = text;
        var tooLong = textarea.dataset.previewTooLong
          .replace("%(length)s", String(length))
          .replace("%(limit)s", String(limit));
        showMessage(pane.body, tooLong, true);
        return;
      }
      if (inFlight) inFlight.abort();
      var request = new AbortController();
      inFlight = request;
      var form = new FormData();
      form.append("text", text);
      pane.body.setAttribute("aria-busy", "true");
      fetch(textarea.dataset.markdownPreview, {
        method: "POST",
        body: form,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest" },
        signal: request.signal,
      })
        .then(function (response) {
          return response
            .json()
            .catch(function () {
              return {};
            })
            .then(function (data) {
              if (response.ok && typeof data.html === "string") {
                shown = text;
                // Rendered and sanitised by the server's one sanitiser (cms.markdown).
                pane.body.innerHTML = data.html;
              } else {
                showMessage(pane.body, data.error || textarea.dataset.previewError, true);
              }
            });
        })
        .catch(function (error) {
          if (error.name !== "AbortError") {
            showMessage(pane.body, textarea.dataset.previewError, true);
          }
        })
        .finally(function () {
          if (inFlight === request) {
            inFlight = null;
            pane.body.removeAttribute("aria-busy");
          }
        });
    }

    textarea.addEventListener("input", debounce(render, MARKDOWN_DELAY_MS));
    pane.details.addEventListener("toggle", render);
    whenVisible(pane.details, render);
  }

  function setUpFormula(textarea) {
    var pane = makePane(textarea, "formula");
    var name = textarea.name || "";
    var siblingName = name.slice(0, name.lastIndexOf("-") + 1) + textarea.dataset.formulaPreview;
    var scope = textarea.form || document;

    function displayBox() {
      return scope.querySelector('input[name="' + CSS.escape(siblingName) + '"]');
    }

    function draw() {
      var latex = textarea.value;
      var box = displayBox();
      var target = document.createElement("div");
      target.className = "lms-preview__formula";
      if (latex.trim() && window.katex) {
        window.katex.render(
          latex,
          target,
          Object.assign({ displayMode: box ? box.checked : true }, KATEX_OPTIONS)
        );
      } else {
        target.textContent = latex;
      }
      pane.body.replaceChildren(target);
    }

    textarea.addEventListener("input", debounce(draw, FORMULA_DELAY_MS));
    scope.addEventListener("change", function (event) {
      if (event.target === displayBox()) draw();
    });
    draw();
  }

  var SELECTORS = [
    ["textarea[data-markdown-preview]", setUpMarkdown],
    ["textarea[data-formula-preview]", setUpFormula],
  ];

  function scan(root) {
    SELECTORS.forEach(function (pair) {
      var found = Array.from(root.querySelectorAll(pair[0]));
      if (root.matches && root.matches(pair[0])) found.push(root);
      found.forEach(function (textarea) {
        if (prepared.has(textarea)) return;
        prepared.add(textarea);
        pair[1](textarea);
      });
    });
  }

  function start() {
    scan(document);
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        mutation.addedNodes.forEach(function (node) {
          if (node.nodeType === Node.ELEMENT_NODE) scan(node);
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
