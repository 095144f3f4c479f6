// The grading page (templates/assessments/grading/grade.html), three enhancements. Without
// script the page still works: every preview is shown one under the other, the total is the
// one the server rendered, and the feedback is plain markdown in a textarea.
//
// 1. The viewer: one photo or PDF at a time, with previous/next buttons, the arrow keys while
//    the viewer (or its larger view) has focus, and a larger view in a <dialog>.
// 2. The rubric's running total as levels are picked. Only a hint: the server adds the chosen
//    levels up again when the grade is saved, and its sum is the grade.
// 3. A formatting toolbar for the feedback (bold, list, link, code), and a preview rendered by
//    the server's one sanitiser (cms.markdown through a small POST view): the browser never
//    turns the markdown into HTML itself, and the stored feedback stays markdown.
(function () {
  "use strict";

  var lang = document.documentElement.lang || undefined;
  var numbers = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });

  function isTyping(target) {
    return !!(target && target.closest && target.closest("input, textarea, select, [contenteditable]"));
  }

  // --- 1. The viewer ---------------------------------------------------------------------------

  function setUpViewer(viewer) {
    var slides = Array.prototype.slice.call(viewer.querySelectorAll(".viewer-slide"));
    if (!slides.length) return;
    var dialog = document.querySelector("[data-viewer-dialog]");
    var stage = dialog && dialog.querySelector("[data-viewer-dialog-stage]");
    var dialogName = dialog && dialog.querySelector("[data-viewer-dialog-name]");
    var links = Array.prototype.slice.call(document.querySelectorAll("[data-viewer-show]"));
    var positionTemplate = (viewer.querySelector("[data-viewer-position]").textContent || "").trim();
    var current = 0;

    viewer.classList.add("is-enhanced");
    viewer.tabIndex = -1; // focusable by script, so the arrow keys can be given to it
    var bar = viewer.querySelector("[data-viewer-bar]");
    if (bar) bar.hidden = false;
    var hint = viewer.querySelector("[data-viewer-hint]");
    if (hint) hint.hidden = false;

    function positionText(index) {
      // The server wrote "1 of N" in the page's language; only the first number changes.
      return positionTemplate.replace(/\d+/, String(index + 1));
    }

    function show(index, focusViewer) {
      current = (index + slides.length) % slides.length;
      slides.forEach(function (slide, n) {
        slide.hidden = n !== current;
      });
      links.forEach(function (link) {
        var on = Number(link.dataset.viewerShow) === current + 1;
        if (on) link.setAttribute("aria-current", "true");
        else link.removeAttribute("aria-current");
        link.closest("li").classList.toggle("is-current", on);
      });
      document.querySelectorAll("[data-viewer-position]").forEach(function (node) {
        node.textContent = positionText(current);
      });
      document.querySelectorAll("[data-viewer-prev], [data-viewer-next]").forEach(function (button) {
        button.disabled = slides.length < 2;
      });
      if (dialog && dialog.open) fillDialog();
      if (focusViewer) viewer.focus({ preventScroll: true });
    }

    function fillDialog() {
      var slide = slides[current];
      stage.textContent = "";
      var media;
      if (slide.dataset.kind === "image") {
        media = document.createElement("img");
        media.alt = slide.dataset.name;
      } else {
        media = document.createElement("iframe");
        media.title = slide.querySelector("iframe").title;
      }
      media.className = "viewer-dialog-media";
      media.src = slide.dataset.src + (slide.dataset.kind === "pdf" ? "#view=FitH" : "");
      stage.appendChild(media);
      dialogName.textContent = slide.dataset.name;
    }

    function openDialog() {
      if (!dialog || typeof dialog.showModal !== "function") return false;
      fillDialog();
      dialog.showModal();
      return true;
    }

    viewer.addEventListener("click", function (event) {
      if (event.target.closest("[data-viewer-prev]")) show(current - 1);
      else if (event.target.closest("[data-viewer-next]")) show(current + 1);
      else if (event.target.closest("[data-viewer-zoom]")) openDialog();
      else if (event.target.closest("[data-viewer-open]") && openDialog()) event.preventDefault();
    });
    links.forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        show(Number(link.dataset.viewerShow) - 1, true);
        viewer.scrollIntoView({ block: "nearest", behavior: "smooth" });
      });
    });

    function onKey(event) {
      if (isTyping(event.target) || event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === "ArrowLeft") show(current - 1);
      else if (event.key === "ArrowRight") show(current + 1);
      else return;
      event.preventDefault();
    }
    viewer.addEventListener("keydown", onKey);
    if (dialog) {
      dialog.addEventListener("keydown", onKey);
      dialog.addEventListener("click", function (event) {
        if (event.target.closest("[data-viewer-prev]")) show(current - 1);
        else if (event.target.closest("[data-viewer-next]")) show(current + 1);
        else if (event.target === dialog) dialog.close(); // a click on the backdrop
      });
      dialog.addEventListener("close", function () {
        stage.textContent = ""; // stop a PDF's viewer
        viewer.focus({ preventScroll: true });
      });
    }
    show(0);
  }

  // --- 2. The rubric's running total ---------------------------------------------------------

  function setUpTotal(table) {
    var box = document.querySelector("[data-rubric-total]");
    if (!box) return;
    var max = Number(box.dataset.max);
    var penalty = Number(box.dataset.penalty) || 0;
    var pointsNode = box.querySelector("[data-total-points]");
    var chosenNode = box.querySelector("[data-total-chosen]");
    var finalNode = box.querySelector("[data-total-final]");

    function update() {
      var total = 0;
      var chosen = 0;
      table.querySelectorAll("input[type=radio]:checked").forEach(function (input) {
        total += Number(input.dataset.points) || 0;
        chosen += 1;
      });
      total = Math.round(total * 100) / 100;
      pointsNode.textContent = numbers.format(total);
      if (chosenNode) chosenNode.textContent = String(chosen);
      if (finalNode) {
        // As the server does: two decimals, halves rounded up (assessments.scoring).
        var final = Math.round((total * (100 - penalty)) + Number.EPSILON) / 100;
        finalNode.textContent = numbers.format(final);
      }
      box.classList.toggle("is-complete", chosen === Number(box.dataset.criteria));
      box.classList.toggle("is-over", total > max);
    }
    table.addEventListener("change", update);
    update();
  }

  // --- 3. The feedback's toolbar and preview -------------------------------------------------

  function replaceSelection(textarea, before, after, placeholder) {
    var start = textarea.selectionStart;
    var end = textarea.selectionEnd;
    var value = textarea.value;
    var selected = value.slice(start, end) || placeholder;
    textarea.focus();
    textarea.setRangeText(before + selected + after, start, end, "end");
    // Leave the inner text selected, so typing replaces the placeholder.
    textarea.setSelectionRange(start + before.length, start + before.length + selected.length);
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function prefixLines(textarea, prefix) {
    var value = textarea.value;
    var start = value.lastIndexOf("\n", textarea.selectionStart - 1) + 1;
    var end = textarea.selectionEnd;
    var lines = value.slice(start, end).split("\n");
    var text = lines
      .map(function (line) {
        return line.indexOf(prefix) === 0 ? line : prefix + line;
      })
      .join("\n");
    // A list needs an empty line before it to be a list, not part of the paragraph.
    var needsGap = start > 0 && value.slice(0, start).slice(-2) !== "\n\n";
    var lead = needsGap ? "\n" : "";
    textarea.focus();
    textarea.setRangeText(lead + text, start, end, "end");
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  var TOOLS = {
    bold: function (textarea) {
      replaceSelection(textarea, "**", "**", "…");
    },
    list: function (textarea) {
      prefixLines(textarea, "- ");
    },
    link: function (textarea) {
      var start = textarea.selectionStart;
      var selected = textarea.value.slice(start, textarea.selectionEnd) || "…";
      textarea.focus();
      textarea.setRangeText("[" + selected + "](https://)", start, textarea.selectionEnd, "end");
      // The address is what is left to type: select "https://" after the text.
      var urlStart = start + selected.length + 3;
      textarea.setSelectionRange(urlStart, urlStart + "https://".length);
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    },
    code: function (textarea) {
      var selected = textarea.value.slice(textarea.selectionStart, textarea.selectionEnd);
      if (selected.indexOf("\n") >= 0) replaceSelection(textarea, "```\n", "\n```", "");
      else replaceSelection(textarea, "`", "`", "…");
    },
  };

  function setUpEditor(field) {
    var textarea = field.querySelector("textarea");
    var toolbar = field.querySelector("[data-md-toolbar]");
    var output = field.querySelector("[data-md-output]");
    var toggle = field.querySelector("[data-md-preview]");
    var form = field.closest("form");
    if (!textarea || !toolbar || !window.fetch) return;
    toolbar.hidden = false;
    var previewing = false;
    var requestId = 0;

    toolbar.addEventListener("click", function (event) {
      var tool = event.target.closest("[data-md]");
      if (tool) {
        if (previewing) setPreview(false);
        TOOLS[tool.dataset.md](textarea);
      } else if (event.target.closest("[data-md-preview]")) {
        setPreview(!previewing);
      }
    });
    textarea.addEventListener("keydown", function (event) {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      var key = event.key.toLowerCase();
      if (key === "b") TOOLS.bold(textarea);
      else if (key === "k") TOOLS.link(textarea);
      else return;
      event.preventDefault();
    });

    function setPreview(on) {
      previewing = on;
      toggle.setAttribute("aria-pressed", on ? "true" : "false");
      toggle.textContent = on ? toggle.dataset.labelEdit : toggle.dataset.labelPreview;
      output.hidden = !on;
      textarea.hidden = on;
      field.classList.toggle("is-previewing", on);
      if (on) render();
      else textarea.focus();
    }

    function render() {
      var text = textarea.value;
      if (!text.trim()) {
        output.innerHTML = "";
        var empty = document.createElement("p");
        empty.className = "muted";
        empty.textContent = output.dataset.empty;
        output.appendChild(empty);
        return;
      }
      var mine = ++requestId;
      output.setAttribute("aria-busy", "true");
      var body = new FormData();
      body.append("text", text);
      body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
      fetch(field.dataset.previewUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      })
        .then(function (response) {
          return response.json().then(function (data) {
            return { ok: response.ok, data: data };
          });
        })
        .then(function (result) {
          if (mine !== requestId) return; // an older answer after a newer request
          if (!result.ok) throw { shown: result.data.error };
          // The server's sanitised HTML (cms.markdown.render_markdown), the same the pupil gets.
          output.innerHTML = result.data.html;
        })
        .catch(function (error) {
          if (mine !== requestId) return;
          output.textContent = "";
          var message = document.createElement("p");
          message.className = "field-error";
          // The server's own words (a text too long), else "could not be loaded".
          message.textContent = (error && error.shown) || output.dataset.failed;
          output.appendChild(message);
        })
        .finally(function () {
          if (mine === requestId) output.removeAttribute("aria-busy");
        });
    }

    // The form is saved from the textarea whatever is shown; a save while previewing is fine.
    form.addEventListener("submit", function () {
      textarea.hidden = false;
    });
  }

  document.querySelectorAll("[data-viewer]").forEach(setUpViewer);
  document.querySelectorAll("[data-rubric]").forEach(setUpTotal);
  document.querySelectorAll("[data-md-editor]").forEach(setUpEditor);
})();
