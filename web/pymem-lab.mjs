// pymem-lab.mjs -- the entry of the embeddable element: one script tag defines <pymem-lab>.
//
//   <script type="module" src="https://YOUR.SITE/pymemlab/build/web/pymem-lab.js"></script>
//   <pymem-lab code="x = [1, 2]&#10;y = x" panels="heap,output" height="480" autorun></pymem-lab>
//
// Bundled by web/build.mjs into build/web/pymem-lab.js; it finds the core at ../../wasm/
// and the lessons at ../../lessons/ next to itself (attributes wasm-base and lessons-base
// override both).
export { PymemLab } from './elements/pymem-lab.js';
export { EVENTS } from './events.js';
export { setLanguage, getLanguage } from './i18n.js';
