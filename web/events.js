// events.js -- the catalogue of every DOM event the page's elements exchange (STYLE.md 16).
//
// Elements take data in through attributes and properties and send everything out as
// bubbling, composed CustomEvents whose names are listed here and nowhere else.  `emit`
// refuses a name that is not in the catalogue, so the list below stays the whole story.
//
// name                          from                 detail
// ----------------------------  -------------------  -------------------------------------
// pml-run                       stepper, editor      {}                 record and show the last step
// pml-step                      stepper, editor      { delta }          move by delta steps (records first if needed)
// pml-seek                      stepper, gc panel    { index }          jump to step `index`
// pml-reset                     stepper              {}                 drop the recording, clear the views
// pml-stop                      stepper              {}                 stop a running recording
// pml-code-change               editor               { code }           the editor's text changed (debounced)
// pml-select-object             heap, table, panels  { id }             focus one object (null: none)
// pml-heap-expand               heap                 { type }           show every object of a collapsed group
// pml-load-code                 lessons, exercise    { code }           put a snippet into the editor
// pml-lesson-open               lessons              { id, path }       a lesson was chosen
// pml-exercise-result           exercise             { lesson, exercise, kind, passed, attempts }  a check finished
// pml-language-change           language switch      { lang }           'en' | 'zh'
// pml-theme-change              theme switch         { theme }          'light' | 'dark'
// pml-ready                     <pymem-lab>          { version, error }  the core loaded (or failed to)
// pml-step-change               <pymem-lab>          { index, total, line }   the shown step changed
// pml-recorded                  <pymem-lab>          { status, steps, truncated }  a recording finished
// pymemlab:exercise-passed      <pymem-lab>          { lesson, exercise, ... }     also posted to the
//                                                    parent window when the lab runs in an iframe

export const EVENTS = Object.freeze({
  RUN: 'pml-run',
  STEP: 'pml-step',
  SEEK: 'pml-seek',
  RESET: 'pml-reset',
  STOP: 'pml-stop',
  CODE_CHANGE: 'pml-code-change',
  SELECT_OBJECT: 'pml-select-object',
  HEAP_EXPAND: 'pml-heap-expand',
  LOAD_CODE: 'pml-load-code',
  LESSON_OPEN: 'pml-lesson-open',
  EXERCISE_RESULT: 'pml-exercise-result',
  LANGUAGE_CHANGE: 'pml-language-change',
  THEME_CHANGE: 'pml-theme-change',
  READY: 'pml-ready',
  STEP_CHANGE: 'pml-step-change',
  RECORDED: 'pml-recorded',
  EXERCISE_PASSED: 'pymemlab:exercise-passed',
});

const KNOWN = new Set(Object.values(EVENTS));

/** Dispatch a catalogued event from `target`: bubbles and crosses shadow roots. */
export function emit(target, name, detail = {}) {
  if (!KNOWN.has(name)) throw new Error(`events.js: unknown event ${name}`);
  return target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}
