// main.mjs -- the playground page: run the textarea's program in a lab, show its output.
// Program output is only ever inserted as text (textContent), never as markup.
// For now the lab runs on the page's own thread; the Web Worker wrapper comes later.
import { createLab } from '../wasm/pymemlab.mjs';

const source = document.getElementById('source');
const runButton = document.getElementById('run');
const output = document.getElementById('output');
const statusLine = document.getElementById('status');
const versionTag = document.getElementById('version');

const STATUS_TEXT = {
  ok: 'finished',
  exception: 'uncaught exception',
  'syntax-error': 'syntax error',
  limit: 'stopped by a limit',
  internal: 'internal error',
};

function setStatus(text, kind = '') {
  statusLine.textContent = text;
  statusLine.className = `status ${kind}`;
}

// Append output in program order; stderr is styled apart from stdout.
function appendOutput(stream, text) {
  if (!text) return;
  const last = output.lastChild;
  const cls = stream === 2 ? 'stderr' : 'stdout';
  if (last && last.className === cls) {
    last.textContent += text;
  } else {
    const span = document.createElement('span');
    span.className = cls;
    span.textContent = text;
    output.append(span);
  }
}

function run(lab) {
  output.replaceChildren();
  const decoders = { 1: new TextDecoder(), 2: new TextDecoder() };
  const started = performance.now();
  const result = lab.run(source.value, {
    filename: 'main.py',
    onWrite: (stream, bytes) => appendOutput(stream, decoders[stream].decode(bytes, { stream: true })),
  });
  for (const stream of [1, 2]) appendOutput(stream, decoders[stream].decode());
  const ms = Math.max(1, Math.round(performance.now() - started));
  setStatus(`${STATUS_TEXT[result.status] ?? result.status} · ${ms} ms`, result.status === 'ok' ? 'ok' : 'error');
}

async function main() {
  let lab;
  try {
    lab = await createLab();
  } catch (err) {
    setStatus('could not load the WebAssembly build', 'error');
    appendOutput(2, `${err}\nBuild it with: make serve\n`);
    return;
  }
  versionTag.textContent = `core ${lab.version}`;
  setStatus('ready');
  runButton.disabled = false;
  runButton.addEventListener('click', () => run(lab));
  source.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run(lab);
    }
  });
}

main();
