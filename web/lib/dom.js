// dom.js -- build DOM nodes from data without ever parsing markup.
//
// h('div', { class: 'card', 'aria-label': label }, 'text', child) creates the element, sets
// attributes with setAttribute and appends strings as text nodes.  There is no innerHTML in
// web/: program output and reprs can only ever become text.

const SVG_NS = 'http://www.w3.org/2000/svg';

function fill(el, props, children) {
  for (const [k, v] of Object.entries(props ?? {})) {
    if (v == null || v === false) continue;
    if (k === 'text') el.textContent = String(v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function h(tag, props, ...children) {
  return fill(document.createElement(tag), props, children);
}

export function svg(tag, props, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), props, children);
}

/** Replace all children of el with the given nodes. */
export function replace(el, ...children) {
  el.replaceChildren();
  return fill(el, null, children);
}
