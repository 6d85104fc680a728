// embed.mjs -- the iframe page (embed.html).  Everything comes from the URL fragment:
//
//   embed.html#code=z...&panels=heap,output&readonly=1&theme=dark&lang=zh&step=3&lesson=ID
//
// code is compressed as in permalinks (lib/permalink.js); step (or autorun=1) records the
// program at once and shows that step.  When an exercise is passed the lab posts
// { type: 'pymemlab:exercise-passed', lesson, exercise, ... } to the parent window.
import './elements/pymem-lab.js';
import { readFragment } from './lib/permalink.js';
import { setLanguage } from './i18n.js';

const params = await readFragment(location.hash);
const lab = document.createElement('pymem-lab');
if (params.lang) setLanguage(params.lang, { persist: false });
if (params.code != null) lab.setAttribute('code', params.code);
if (params.lesson) lab.setAttribute('lesson', params.lesson);
lab.setAttribute('panels', params.panels || 'heap,output');
for (const flag of ['readonly', 'read-only']) if (params[flag] === '1' || params[flag] === 'true') lab.setAttribute('read-only', '');
if (params.theme === 'light' || params.theme === 'dark') lab.setAttribute('theme', params.theme);
if (params.step !== undefined) { lab.setAttribute('autorun', ''); lab.setAttribute('step', String(params.step)); }
if (params.autorun === '1') lab.setAttribute('autorun', '');
lab.setAttribute('wasm-base', new URL('../wasm/', location.href).href);
lab.setAttribute('lessons-base', new URL('../lessons/', location.href).href);
document.body.append(lab);
