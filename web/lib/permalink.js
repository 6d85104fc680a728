// permalink.js -- the page's state in the URL fragment, so a snippet and a step are a link.
//
//   #code=z<base64url(deflate-raw(UTF-8 source))>&step=5&lesson=ID
//
// "z" marks compressed code; "b" marks plain base64url (used where CompressionStream is
// missing).  Other keys: step (0-based index), lesson (a lesson id), and for the iframe
// page panels, height, readonly, theme and lang.  Unknown keys are ignored.

function toBase64url(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text) {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function pipe(bytes, stream) {
  const res = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await res.arrayBuffer());
}

export async function encodeCode(code) {
  const bytes = new TextEncoder().encode(code);
  if (typeof CompressionStream === 'function') {
    return 'z' + toBase64url(await pipe(bytes, new CompressionStream('deflate-raw')));
  }
  return 'b' + toBase64url(bytes);
}

export async function decodeCode(text) {
  const kind = text[0];
  const bytes = fromBase64url(text.slice(1));
  if (kind === 'z') return new TextDecoder().decode(await pipe(bytes, new DecompressionStream('deflate-raw')));
  if (kind === 'b') return new TextDecoder().decode(bytes);
  throw new Error('unknown code encoding');
}

/** Parse a fragment ("#a=1&b=2") into an object of strings; code is decoded. */
export async function readFragment(hash) {
  const params = new URLSearchParams(String(hash ?? '').replace(/^#/, ''));
  const out = Object.fromEntries(params);
  if (out.code) {
    try {
      out.code = await decodeCode(out.code);
    } catch {
      delete out.code;
    }
  }
  if (out.step !== undefined) {
    const n = Number.parseInt(out.step, 10);
    if (Number.isFinite(n) && n >= 0) out.step = n;
    else delete out.step;
  }
  return out;
}

/** Build a fragment from { code, step, lesson, ... } (code is compressed). */
export async function writeFragment(state) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(state)) {
    if (v == null || v === '') continue;
    params.set(k, k === 'code' ? await encodeCode(v) : String(v));
  }
  return '#' + params.toString();
}
