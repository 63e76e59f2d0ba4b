// The candidate's code editor: CodeMirror 6 with the languages Assay grades.
// Built into src/assay/web/static/vendor/editor.js by `npm run build`; served by Assay itself.
import { EditorView, basicSetup } from "codemirror";
import { EditorState, Compartment } from "@codemirror/state";
import { keymap } from "@codemirror/view";
import { indentWithTab } from "@codemirror/commands";
import { indentUnit } from "@codemirror/language";
import { python } from "@codemirror/lang-python";
import { javascript } from "@codemirror/lang-javascript";
import { java } from "@codemirror/lang-java";
import { sql, PostgreSQL, SQLite } from "@codemirror/lang-sql";

const LANGUAGES = {
  python: () => python(),
  node: () => javascript(),
  javascript: () => javascript(),
  java: () => java(),
  sqlite: () => sql({ dialect: SQLite }),
  postgresql: () => sql({ dialect: PostgreSQL }),
  sql: () => sql(),
};

function languageSupport(name) {
  const make = LANGUAGES[name];
  return make ? make() : [];
}

// Tab indents (as programmers expect); Escape then Tab leaves the editor, so keyboard users
// are never trapped (CodeMirror's documented escape hatch).
export function create(parent, { doc = "", language = "python", label = "Code editor", onChange } = {}) {
  const languageSlot = new Compartment();
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        basicSetup,
        keymap.of([indentWithTab]),
        indentUnit.of(language === "java" || language === "node" ? "  " : "    "),
        languageSlot.of(languageSupport(language)),
        EditorView.contentAttributes.of({ "aria-label": label }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged && onChange) onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    view,
    getValue: () => view.state.doc.toString(),
    setValue: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    setLanguage: (name) => view.dispatch({ effects: languageSlot.reconfigure(languageSupport(name)) }),
    focus: () => view.focus(),
  };
}

window.AssayEditor = { create };
