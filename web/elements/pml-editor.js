// <pml-editor> -- the Python editor (CodeMirror 6).
//
// attributes: read-only, label (accessible name)
// properties: value (the source text), line (the line to highlight, 1-based, or null)
// events out: pml-code-change { code } (debounced), pml-run (Ctrl/Cmd+Enter),
//             pml-step { delta } (Alt+Arrow keys), pml-seek { index } (Alt+Home/End)
import { EditorState, Compartment, StateEffect, StateField, RangeSet } from '@codemirror/state';
import {
  EditorView, keymap, lineNumbers, highlightActiveLineGutter, drawSelection, Decoration,
  GutterMarker, gutter,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { indentOnInput, bracketMatching, syntaxHighlighting, HighlightStyle, indentUnit } from '@codemirror/language';
import { python } from '@codemirror/lang-python';
import { tags } from '@lezer/highlight';
import { emit, EVENTS } from '../events.js';
import { t } from '../i18n.js';

const setLine = StateEffect.define();

class ArrowMarker extends GutterMarker {
  toDOM() {
    const span = document.createElement('span');
    span.className = 'cm-pml-arrow';
    span.textContent = '▶';
    return span;
  }
}
const arrow = new ArrowMarker();

const currentLine = StateField.define({
  create: () => 0,
  update(value, tr) {
    for (const e of tr.effects) if (e.is(setLine)) value = e.value;
    if (value > tr.state.doc.lines) value = 0;
    return value;
  },
});

const lineDecorations = EditorView.decorations.compute([currentLine, 'doc'], (state) => {
  const n = state.field(currentLine);
  if (!n || n > state.doc.lines) return Decoration.none;
  return Decoration.set([Decoration.line({ class: 'cm-pml-current' }).range(state.doc.line(n).from)]);
});

const lineGutter = gutter({
  class: 'cm-pml-gutter',
  markers: (view) => {
    const n = view.state.field(currentLine);
    if (!n || n > view.state.doc.lines) return RangeSet.empty;
    return RangeSet.of([arrow.range(view.state.doc.line(n).from)]);
  },
  lineMarkerChange: (update) => update.transactions.some((tr) => tr.effects.some((e) => e.is(setLine))),
});

const highlight = HighlightStyle.define([
  { tag: [tags.keyword, tags.controlKeyword, tags.definitionKeyword, tags.moduleKeyword, tags.operatorKeyword], color: 'var(--syn-keyword)', fontWeight: '600' },
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--syn-string)' },
  { tag: [tags.number, tags.bool, tags.null], color: 'var(--syn-number)' },
  { tag: [tags.comment, tags.lineComment], color: 'var(--syn-comment)', fontStyle: 'italic' },
  { tag: [tags.function(tags.variableName), tags.function(tags.definition(tags.variableName))], color: 'var(--syn-function)' },
  { tag: [tags.className, tags.definition(tags.className)], color: 'var(--syn-class)' },
  { tag: [tags.self, tags.special(tags.variableName)], color: 'var(--syn-self)' },
  { tag: tags.propertyName, color: 'var(--syn-property)' },
  { tag: [tags.operator, tags.punctuation, tags.bracket], color: 'var(--syn-punct)' },
]);

const theme = EditorView.theme({
  '&': { height: '100%', backgroundColor: 'var(--code-bg)', color: 'var(--text)', fontSize: '14px' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.6' },
  '.cm-content': { caretColor: 'var(--text)', padding: '8px 0' },
  '.cm-gutters': { backgroundColor: 'var(--code-bg)', color: 'var(--muted)', border: 'none' },
  '.cm-activeLineGutter': { backgroundColor: 'transparent', color: 'var(--text)' },
  '&.cm-focused': { outline: 'none' },
  '&.cm-focused .cm-cursor': { borderLeftColor: 'var(--text)' },
  '.cm-selectionBackground, &.cm-focused .cm-selectionBackground, ::selection': { backgroundColor: 'var(--selection) !important' },
  '.cm-pml-current': { backgroundColor: 'var(--current-line)', boxShadow: 'inset 3px 0 0 var(--accent)' },
  '.cm-pml-gutter': { width: '14px', color: 'var(--accent)' },
  '.cm-pml-arrow': { fontSize: '10px', paddingLeft: '2px' },
  '.cm-matchingBracket': { backgroundColor: 'var(--selection)', outline: '1px solid var(--border)' },
});

export class PmlEditor extends HTMLElement {
  static observedAttributes = ['read-only', 'label'];

  constructor() {
    super();
    this.readOnly = new Compartment();
    this.label = new Compartment();
    this.view = null;
    this.initial = '';
    this.timer = 0;
  }

  connectedCallback() {
    if (this.view) return;
    const send = (name, detail) => () => { emit(this, name, detail); return true; };
    const state = EditorState.create({
      doc: this.initial,
      extensions: [
        lineNumbers(), lineGutter, highlightActiveLineGutter(), history(), drawSelection(),
        indentOnInput(), bracketMatching(), indentUnit.of('    '),
        keymap.of([
          { key: 'Mod-Enter', run: send(EVENTS.RUN) },
          { key: 'Alt-ArrowRight', run: send(EVENTS.STEP, { delta: 1 }) },
          { key: 'Alt-ArrowLeft', run: send(EVENTS.STEP, { delta: -1 }) },
          { key: 'Alt-Home', run: send(EVENTS.SEEK, { index: 0 }) },
          { key: 'Alt-End', run: send(EVENTS.SEEK, { index: -1 }) },
          ...defaultKeymap, ...historyKeymap, indentWithTab,
        ]),
        python(), syntaxHighlighting(highlight), theme, currentLine, lineDecorations,
        this.readOnly.of(this.readOnlyExtensions()),
        this.label.of(this.labelExtension()),
        EditorView.updateListener.of((u) => {
          if (!u.docChanged) return;
          clearTimeout(this.timer);
          this.timer = setTimeout(() => emit(this, EVENTS.CODE_CHANGE, { code: this.value }), 250);
        }),
      ],
    });
    this.view = new EditorView({ state, parent: this, root: this.getRootNode() });
  }

  disconnectedCallback() {
    clearTimeout(this.timer);
  }

  attributeChangedCallback() {
    if (!this.view) return;
    this.view.dispatch({ effects: [
      this.readOnly.reconfigure(this.readOnlyExtensions()),
      this.label.reconfigure(this.labelExtension()),
    ] });
  }

  readOnlyExtensions() {
    const ro = this.hasAttribute('read-only');
    return [EditorState.readOnly.of(ro), EditorView.editable.of(!ro)];
  }

  labelExtension() {
    return EditorView.contentAttributes.of({
      'aria-label': this.getAttribute('label') || t('editor.label'),
      'aria-multiline': 'true',
    });
  }

  get value() {
    return this.view ? this.view.state.doc.toString() : this.initial;
  }

  set value(code) {
    code = String(code ?? '');
    if (!this.view) { this.initial = code; return; }
    if (code === this.value) return;
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: code } });
  }

  set line(n) {
    if (!this.view) return;
    const target = Number(n) > 0 ? Number(n) : 0;
    const effects = [setLine.of(target)];
    if (target && target <= this.view.state.doc.lines) {
      effects.push(EditorView.scrollIntoView(this.view.state.doc.line(target).from, { y: 'nearest' }));
    }
    this.view.dispatch({ effects });
  }

  get line() {
    return this.view ? this.view.state.field(currentLine) : 0;
  }

  focus() {
    this.view?.focus();
  }
}

customElements.define('pml-editor', PmlEditor);
