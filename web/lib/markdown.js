// markdown.js -- the small part of Markdown the lessons use, turned into DOM nodes (never
// into an HTML string): headings, paragraphs, lists, block quotes, fenced code, GitHub-style
// pipe tables, and inline code, bold, italics and links.  Raw HTML in the source is shown as
// text.
//
// renderMarkdown(text, { onCode(lang, code) -> Node|null }) -> DocumentFragment
import { h } from './dom.js';

const SAFE_URL = /^(https?:|mailto:|#|\.{0,2}\/|[\w-]+(\.[\w-]+)*\/?($|[?#]))/i;

export function renderInline(text) {
  const out = [];
  const re = /(`+)([\s\S]*?[^`])\1(?!`)|\*\*([^*]+)\*\*|__([^_]+)__|\*([^*\s][^*]*)\*|_([^_\s][^_]*)_|\[([^\]]+)\]\(([^)\s]+)\)/g;
  let last = 0;
  for (let m; (m = re.exec(text));) {
    if (m.index > last) out.push(text.slice(last, m.index));
    if (m[1]) out.push(h('code', {}, m[2].trim()));
    else if (m[3] || m[4]) out.push(h('strong', {}, renderInline(m[3] ?? m[4])));
    else if (m[5] || m[6]) out.push(h('em', {}, renderInline(m[5] ?? m[6])));
    else if (m[7]) {
      const url = m[8];
      out.push(SAFE_URL.test(url) ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, renderInline(m[7])) : m[7]);
    }
    last = re.lastIndex;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

// A table's separator line: | --- | :---: | ---: |
const TABLE_RULE = /^\s*\|?(\s*:?-{3,}:?\s*\|)+\s*(:?-{3,}:?\s*)?$/;

// The cells of a table row: split at unescaped pipes, the outer pipes dropped.
function cells(line) {
  return line.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '')
    .split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
}

export function renderMarkdown(text, { onCode } = {}) {
  const frag = document.createDocumentFragment();
  const lines = String(text).replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  const para = [];
  const flush = () => {
    if (para.length) frag.append(h('p', {}, renderInline(para.join(' '))));
    para.length = 0;
  };
  while (i < lines.length) {
    const line = lines[i];
    const fence = line.match(/^(```+|~~~+)\s*([\w+-]*)/);
    if (fence) {
      flush();
      const body = [];
      i++;
      while (i < lines.length && !lines[i].startsWith(fence[1])) body.push(lines[i++]);
      i++;
      const code = body.join('\n') + '\n';
      const block = h('pre', { class: `code lang-${fence[2] || 'text'}` }, h('code', {}, code));
      const extra = onCode?.(fence[2], code);
      frag.append(extra ? h('div', { class: 'code-block' }, block, extra) : block);
      continue;
    }
    if (line.trimStart().startsWith('|') && TABLE_RULE.test(lines[i + 1] ?? '')) {
      flush();
      const head = cells(line);
      i += 2;
      const body = [];
      while (i < lines.length && lines[i].trimStart().startsWith('|')) body.push(cells(lines[i++]));
      frag.append(h('table', { class: 'md-table' },
        h('thead', {}, h('tr', {}, head.map((c) => h('th', { scope: 'col' }, renderInline(c))))),
        h('tbody', {}, body.map((row) => h('tr', {}, head.map((_, k) => h('td', {}, renderInline(row[k] ?? ''))))))));
      continue;
    }
    const heading = line.match(/^(#{1,6})\s+(.*)$/);
    if (heading) {
      flush();
      const level = Math.min(6, heading[1].length + 1); // the panel's own title is the h2
      frag.append(h(`h${level}`, {}, renderInline(heading[2])));
      i++;
      continue;
    }
    if (/^\s*([-*+]|\d+[.)])\s+/.test(line)) {
      flush();
      const ordered = /^\s*\d/.test(line);
      const list = h(ordered ? 'ol' : 'ul');
      while (i < lines.length && /^\s*([-*+]|\d+[.)])\s+/.test(lines[i])) {
        let item = lines[i].replace(/^\s*([-*+]|\d+[.)])\s+/, '');
        i++;
        while (i < lines.length && /^\s{2,}\S/.test(lines[i]) && !/^\s*([-*+]|\d+[.)])\s+/.test(lines[i])) item += ' ' + lines[i++].trim();
        list.append(h('li', {}, renderInline(item)));
      }
      frag.append(list);
      continue;
    }
    if (line.startsWith('>')) {
      flush();
      const quote = [];
      while (i < lines.length && lines[i].startsWith('>')) quote.push(lines[i++].replace(/^>\s?/, ''));
      frag.append(h('blockquote', {}, renderMarkdown(quote.join('\n'), { onCode })));
      continue;
    }
    if (!line.trim()) { flush(); i++; continue; }
    para.push(line.trim());
    i++;
  }
  flush();
  return frag;
}
