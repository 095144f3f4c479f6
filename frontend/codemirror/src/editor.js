// The platform's code editor: CodeMirror 6 over a plain <textarea>, exposed as window.LmsCodeEditor.
//
// The textarea stays the source of truth for the form: it is hidden, the editor is put after it,
// and every change is written back to textarea.value with a bubbling "input" event, so the form
// still submits the textarea and page scripts that listen for input (autosave) keep working.
//
//   <textarea id="code" name="code" data-code-editor data-language="python"></textarea>
//   <select data-code-language-for="code">...<option value="cpp">C++</option></select>
//
// Built by `make editor` into static/vendor/codemirror/codemirror.min.js (one IIFE, no requests).

import { Compartment, EditorState } from "@codemirror/state";
import {
  EditorView,
  drawSelection,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import {
  HighlightStyle,
  bracketMatching,
  indentOnInput,
  indentUnit,
  syntaxHighlighting,
} from "@codemirror/language";
import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { python } from "@codemirror/lang-python";
import { cpp } from "@codemirror/lang-cpp";
import { tags as t } from "@lezer/highlight";

const editors = new WeakMap(); // textarea -> handle

// "python", "py", "python3" -> python; "cpp", "c++", "c++17", "c", "c11" -> cpp; anything else: plain.
function normalizeLanguage(code) {
  const lang = String(code == null ? "" : code).trim().toLowerCase();
  if (lang.startsWith("py")) return "python";
  if (lang.startsWith("cpp") || lang.startsWith("c++") || lang.startsWith("g++") || /^c\d*$/.test(lang)) {
    return "cpp";
  }
  return "plain";
}

function languageExtension(code) {
  switch (normalizeLanguage(code)) {
    case "python":
      return python();
    case "cpp":
      return cpp();
    default:
      return [];
  }
}

// Light and high-contrast: every colour reads at WCAG AA (4.5:1 or better) on white and on the
// active-line tint; keywords are bold too, so the structure shows without relying on colour.
const highlightStyle = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword, t.operatorKeyword, t.definitionKeyword, t.moduleKeyword], color: "#6d28d9", fontWeight: "bold" },
  { tag: [t.string, t.special(t.string), t.character], color: "#0f7b3f" },
  { tag: t.escape, color: "#b45309", fontWeight: "bold" },
  { tag: [t.number, t.integer, t.float], color: "#b4420a" },
  { tag: [t.bool, t.null, t.atom, t.self], color: "#c2410c", fontWeight: "bold" },
  { tag: [t.comment, t.lineComment, t.blockComment, t.docComment], color: "#5b6475", fontStyle: "italic" },
  { tag: [t.function(t.variableName), t.function(t.propertyName), t.function(t.definition(t.variableName))], color: "#1d4ed8" },
  { tag: [t.definition(t.variableName), t.definition(t.propertyName)], color: "#0b4f8a" },
  { tag: [t.className, t.typeName, t.namespace, t.standard(t.typeName)], color: "#a21caf" },
  { tag: [t.processingInstruction, t.meta, t.annotation], color: "#9d174d" },
  { tag: [t.macroName], color: "#9d174d" },
  { tag: [t.operator, t.punctuation, t.bracket], color: "#334155" },
  { tag: t.propertyName, color: "#1f3a68" },
  { tag: t.invalid, color: "#b91c1c", textDecoration: "underline wavy" },
]);

const theme = EditorView.theme({
  "&": {
    color: "#1f2a44",
    backgroundColor: "#ffffff",
    border: "2px solid var(--line, #e2e7f0)",
    borderRadius: "12px",
    maxHeight: "60vh",
    fontSize: "15px",
  },
  "&.cm-focused": { outline: "none", borderColor: "var(--primary, #4263eb)" },
  ".cm-scroller": {
    fontFamily: 'ui-monospace, "JetBrains Mono", "Cascadia Code", "DejaVu Sans Mono", Menlo, Consolas, "Liberation Mono", monospace',
    lineHeight: "1.5",
    overflow: "auto",
    borderRadius: "10px",
  },
  // About 14 lines tall when short; grows with the text up to 60vh, then scrolls.
  ".cm-content, .cm-gutter": { minHeight: "21em" },
  ".cm-content": { padding: "6px 0", caretColor: "#111827" },
  ".cm-line": { padding: "0 10px 0 6px" },
  ".cm-cursor, .cm-dropCursor": { borderLeft: "2px solid #111827" },
  ".cm-gutters": {
    backgroundColor: "#f6f8fc",
    color: "#5b6475",
    borderRight: "1px solid var(--line, #e2e7f0)",
    borderRadius: "10px 0 0 10px",
  },
  ".cm-lineNumbers .cm-gutterElement": { padding: "0 8px 0 12px", minWidth: "2.5ch" },
  ".cm-activeLine": { backgroundColor: "#eef3ff" },
  ".cm-activeLineGutter": { backgroundColor: "#e1e8fb", color: "#1f2a44" },
  "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, ::selection": {
    backgroundColor: "#c7d7fe",
  },
  "&.cm-focused .cm-matchingBracket": { backgroundColor: "#c3f0d2", outline: "1px solid #2f9e44" },
  "&.cm-focused .cm-nonmatchingBracket": { backgroundColor: "#ffd9d9", outline: "1px solid #e03131" },
  "&.lms-readonly": { backgroundColor: "#f6f8fc" },
  "&.lms-readonly .cm-activeLine, &.lms-readonly .cm-activeLineGutter": { backgroundColor: "transparent" },
  "&.lms-invalid": { borderColor: "var(--danger, #e03131)" },
});

function cspNonce() {
  const meta = document.querySelector('meta[name="csp-nonce"]');
  return (meta && (meta.getAttribute("content") || meta.nonce)) || "";
}

function labelText(textarea) {
  const labels = textarea.labels ? Array.from(textarea.labels) : [];
  const text = labels.map((label) => label.textContent.trim()).filter(Boolean).join(" ");
  return text || textarea.getAttribute("aria-label") || "";
}

function attach(textarea, options = {}) {
  if (!(textarea instanceof HTMLTextAreaElement)) throw new TypeError("LmsCodeEditor.attach needs a <textarea>");
  const existing = editors.get(textarea);
  if (existing) return existing;

  const readOnly = Boolean(options.readOnly || textarea.readOnly || textarea.disabled);
  const language = new Compartment();
  const contentAttributes = { translate: "no" };
  const label = labelText(textarea);
  if (label) contentAttributes["aria-label"] = label;
  for (const name of ["aria-describedby", "aria-invalid", "aria-required"]) {
    if (textarea.hasAttribute(name)) contentAttributes[name] = textarea.getAttribute(name);
  }
  if (textarea.required) contentAttributes["aria-required"] = "true";

  const nonce = cspNonce();
  const extensions = [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    drawSelection(),
    EditorState.allowMultipleSelections.of(true),
    indentOnInput(),
    indentUnit.of("    "),
    EditorState.tabSize.of(4),
    syntaxHighlighting(highlightStyle),
    bracketMatching(),
    closeBrackets(),
    highlightActiveLine(),
    // Tab indents; the view's own tab-focus mode lets Escape then Tab (or Ctrl-M) leave the editor.
    keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
    language.of(languageExtension(options.language)),
    theme,
    EditorView.contentAttributes.of(contentAttributes),
    EditorView.editorAttributes.of({ class: readOnly ? "lms-code-editor lms-readonly" : "lms-code-editor" }),
    EditorView.updateListener.of((update) => {
      if (!update.docChanged) return;
      textarea.value = update.state.doc.toString();
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }),
  ];
  if (nonce) extensions.push(EditorView.cspNonce.of(nonce));
  if (readOnly) extensions.push(EditorState.readOnly.of(true));

  const view = new EditorView({ doc: textarea.value, extensions });
  textarea.insertAdjacentElement("afterend", view.dom);
  textarea.hidden = true;
  textarea.style.display = "none";
  textarea.dataset.codeEditorAttached = "";

  // A <label for> click focuses the editor instead of the hidden textarea.
  for (const labelEl of textarea.labels || []) {
    labelEl.addEventListener("click", (event) => {
      event.preventDefault();
      view.focus();
    });
  }
  // A required, empty textarea is hidden, so the browser cannot show it: show the editor instead.
  textarea.addEventListener("invalid", () => {
    view.dom.classList.add("lms-invalid");
    view.focus();
  });
  // A form reset puts the textarea back to its default; the editor follows.
  if (textarea.form) {
    textarea.form.addEventListener("reset", () => {
      setTimeout(() => {
        if (textarea.value !== view.state.doc.toString()) {
          view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: textarea.value } });
        }
      });
    });
  }

  const handle = {
    view,
    setLanguage(code) {
      view.dispatch({ effects: language.reconfigure(languageExtension(code)) });
    },
    getValue() {
      return view.state.doc.toString();
    },
    setValue(text) {
      const value = text == null ? "" : String(text);
      if (value === view.state.doc.toString()) return;
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: value } });
    },
    focus() {
      view.focus();
    },
  };
  view.dom.addEventListener("input", () => view.dom.classList.remove("lms-invalid"));
  editors.set(textarea, handle);
  return handle;
}

function truthy(value) {
  return value != null && !/^(false|0|no|off)$/i.test(value.trim());
}

function languageSelectFor(textarea) {
  if (!textarea.id) return null;
  const selects = document.querySelectorAll("select[data-code-language-for]");
  for (const select of selects) {
    if (select.getAttribute("data-code-language-for") === textarea.id) return select;
  }
  return null;
}

// Attaches every textarea[data-code-editor] under root (the document by default) not yet attached.
function attachAll(root = document) {
  const handles = [];
  for (const textarea of root.querySelectorAll("textarea[data-code-editor]")) {
    if (editors.has(textarea)) continue;
    const select = languageSelectFor(textarea);
    // The select's current value wins: the browser may have restored it (back button).
    const language = (select && select.value) || textarea.getAttribute("data-language") || "";
    handles.push(attach(textarea, { language, readOnly: truthy(textarea.getAttribute("data-readonly")) }));
  }
  return handles;
}

function get(textarea) {
  return editors.get(textarea) || null;
}

document.addEventListener("change", (event) => {
  const select = event.target;
  if (!(select instanceof HTMLSelectElement) || !select.hasAttribute("data-code-language-for")) return;
  const textarea = document.getElementById(select.getAttribute("data-code-language-for"));
  const handle = textarea && editors.get(textarea);
  if (handle) handle.setLanguage(select.value);
});

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", () => attachAll());
} else {
  attachAll();
}

window.LmsCodeEditor = { attach, attachAll, get, normalizeLanguage };
