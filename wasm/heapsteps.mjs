// heapsteps.mjs -- "C steps": reference counting by hand, written as CPython C API calls, one
// statement per line, and run against a lab's hand-driven heap (lab.heap of pymemlab.mjs).
// Lesson 9 (lessons/09-c-extension-view) and the `heap` exercises (EXERCISES.md) use it; the
// page runs it in its grading worker, wasm/grading.mjs in Node.  Nothing is evaluated: the
// text is parsed into the statements below and each becomes one or two lab.heap calls.
//
//   items = PyList_New(0)                     // PyObject *items = PyList_New(0);
//   n = PyLong_FromLong(1000)
//   PyList_Append(items, n)                   // the list takes a reference of its own
//   Py_DECREF(n)                              // so drop ours
//   return items                              // the caller owns what it gets back
//
// Statements: `NAME = EXPR`, `EXPR` (a call) and `return EXPR`; `PyObject *` before a NAME, a
// trailing `;`, several statements on a line separated by `;`, and // and /* */ comments are
// allowed, so real C lines can be pasted.  EXPR is a NAME or a call of FUNCTIONS (below), whose
// object arguments may themselves be calls: PyList_SetItem(list, 0, PyLong_FromLong(7)).
//
//   parseSteps(text)          -> { statements, errors }     (errors: [{ line, code: 'syntax', text }])
//   runSteps(lab, text, opts) -> a trace (below); the lab is reset first (opts.reset = false
//                                keeps its state); works with a Lab and with a WorkerLab
//   describeLabel, FUNCTIONS, LIMITS        Types: heapsteps.d.ts
//
// The trace, plain JSON (text fields are { en, zh }):
//   { version: 1, errors, outcome,
//     objects: [{ handle, label, type, name }],    in order of creation; label: the variable it
//                                                  was made for ("a (2)" for a second one), or
//                                                  the call that made it (name null)
//     steps: [{ line, phase: 'function' | 'caller' | 'collector', source, c, calls,
//               result: { kind, ... } | null, error: { code, core, text, message } | null,
//               freed: [{ handle, how: 'refcount' | 'gc' }],
//               state: { [handle]: { alive, freed, refcount, owned, repr, static, nulls } } }],
//     refused: { line, phase, code, text } | null,  the first refused statement (it stops there)
//     returned: handle | null,
//     end: { leaks: [{ handle, count }], nullSlots: [{ handle, slots }], borrowedReturn,
//            collected, cycle: [handles freed by the collector], survivors: [handles] } | null }
//
// outcome: 'syntax' (errors), the code of a refused statement ('use-after-free', 'not-owned',
// ...), 'borrowed-return' or 'dangling-return' (the caller's Py_DECREF of the result was
// refused), 'leak' (references still owned when the function ends), 'null-slots', 'cycle' (only
// the collector freed what the caller let go), or 'ok'.
//
// After `return x` runs, the trace plays the caller: one Py_DECREF of the result (phase
// 'caller'), then PyGC_Collect() if anything is still alive (phase 'collector'), so a leak is
// seen to survive the collector and a cycle to need it.

export const LIMITS = Object.freeze({ statements: 200, objects: 64, listSize: 64, string: 200 });

const INT_MIN = -(2n ** 63n);
const INT_MAX = 2n ** 63n - 1n;

// params: int (an integer literal), str (a "string"), obj (an object: a name or an object
// call), obj? (an object that may be NULL), var (a variable name).  returns: 'new' (you own
// the result), 'borrowed' (you do not), null (no object).
export const FUNCTIONS = Object.freeze({
  PyLong_FromLong: { params: ['int'], returns: 'new', makes: 'int', example: 'n = PyLong_FromLong(1000)' },
  PyUnicode_FromString: { params: ['str'], returns: 'new', makes: 'str', example: 's = PyUnicode_FromString("text")' },
  PyList_New: { params: ['int'], returns: 'new', makes: 'list', example: 'items = PyList_New(0)' },
  PyDict_New: { params: [], returns: 'new', makes: 'dict', example: 'd = PyDict_New()' },
  Py_NewRef: { params: ['obj'], returns: 'new', example: 'mine = Py_NewRef(x)' },
  PyList_GetItem: { params: ['obj', 'int'], returns: 'borrowed', example: 'first = PyList_GetItem(items, 0)' },
  Py_INCREF: { params: ['obj'], returns: null, example: 'Py_INCREF(x)' },
  Py_DECREF: { params: ['obj'], returns: null, example: 'Py_DECREF(x)' },
  Py_XDECREF: { params: ['obj?'], returns: null, example: 'Py_XDECREF(x)' },
  Py_CLEAR: { params: ['var'], returns: null, example: 'Py_CLEAR(x)' },
  PyList_Append: { params: ['obj', 'obj'], returns: null, example: 'PyList_Append(items, x)' },
  PyList_SetItem: { params: ['obj', 'int', 'obj'], returns: null, example: 'PyList_SetItem(items, 0, x)' },
  PyDict_SetItem: { params: ['obj', 'obj', 'obj'], returns: null, example: 'PyDict_SetItem(d, key, value)' },
  PySequence_DelItem: { params: ['obj', 'int'], returns: null, example: 'PySequence_DelItem(items, 0)' },
  PyDict_DelItem: { params: ['obj', 'obj'], returns: null, example: 'PyDict_DelItem(d, key)' },
  Py_REFCNT: { params: ['obj'], returns: null, example: 'Py_REFCNT(x)' },
  PyGC_Collect: { params: [], returns: null, example: 'PyGC_Collect()' },
});

// ---- messages (every text the trace carries, in both languages) ----------------------------

const A = { en: (type) => (type === 'int' ? `an ${type}` : `a ${type}`), zh: (type) => type };
const KIND_NAME = {
  int: { en: 'an integer', zh: '一个整数' },
  str: { en: 'a string in double quotes', zh: '一个双引号字符串' },
  obj: { en: 'an object (a variable, or a call that returns one)', zh: '一个对象（变量，或返回对象的调用）' },
  'obj?': { en: 'an object (a variable, or a call that returns one)', zh: '一个对象（变量，或返回对象的调用）' },
  var: { en: 'a variable', zh: '一个变量' },
};
const HOW = {
  refcount: { en: 'when its reference count reached 0', zh: '引用计数降到 0 时' },
  gc: { en: 'by the garbage collector', zh: '被垃圾回收器回收' },
};

const MESSAGES = {
  // syntax
  token: (p) => ({ en: `unexpected ${p.token}`, zh: `无法理解 ${p.token}` }),
  string: () => ({ en: 'the string has no closing "', zh: '字符串缺少结尾的 "' }),
  comment: () => ({ en: 'the /* comment is never closed', zh: '/* 注释没有结束' }),
  expected: (p) => ({ en: `expected ${p.what.en} after ${p.after}`, zh: `${p.after} 之后应当是${p.what.zh}` }),
  unknown: (p) => ({
    en: `${p.fn} is not one of the calls this lab knows (${p.known})`,
    zh: `${p.fn} 不是本实验认识的调用（可用的有：${p.known}）`,
  }),
  arity: (p) => ({
    en: `${p.fn} takes ${p.want} argument${p.want === 1 ? '' : 's'}, not ${p.got}`,
    zh: `${p.fn} 需要 ${p.want} 个参数，而不是 ${p.got} 个`,
  }),
  argKind: (p) => ({
    en: `argument ${p.n} of ${p.fn} must be ${KIND_NAME[p.kind].en}`,
    zh: `${p.fn} 的第 ${p.n} 个参数必须是${KIND_NAME[p.kind].zh}`,
  }),
  noObject: (p) => ({
    en: `${p.fn} returns no object: it cannot be assigned, returned or passed on`,
    zh: `${p.fn} 不返回对象：不能赋值、返回或作为参数传递`,
  }),
  undeclared: (p) => ({
    en: `${p.name} is not defined yet: assign it first, e.g. ${p.name} = PyList_New(0)`,
    zh: `${p.name} 还没有定义：请先给它赋值，例如 ${p.name} = PyList_New(0)`,
  }),
  afterReturn: () => ({ en: 'nothing runs after return', zh: 'return 之后的语句永远不会执行' }),
  notCall: () => ({ en: 'a statement must call a function, assign a name or return', zh: '每条语句必须是函数调用、赋值或 return' }),
  range: (p) => ({ en: `${p.value} is out of range for ${p.fn}`, zh: `${p.value} 超出了 ${p.fn} 的取值范围` }),
  tooLong: (p) => ({ en: `more than ${p.n} statements`, zh: `语句超过 ${p.n} 条` }),
  stringLong: (p) => ({ en: `the string is longer than ${p.n} characters`, zh: `字符串超过 ${p.n} 个字符` }),
  empty: () => ({ en: 'there are no statements: write one C API call per line', zh: '没有任何语句：请每行写一个 C API 调用' }),
  // refusals at run time
  'use-after-free': (p) => ({
    en: `${p.name} points to ${A.en(p.type)} that was already freed (line ${p.at}, ${HOW[p.how].en}). In C the pointer now dangles: reading through it reads memory that may already belong to another object, and writing through it corrupts that object. CPython would crash or silently corrupt memory; the lab refused the call.`,
    zh: `${p.name} 指向的 ${A.zh(p.type)} 已经被释放了（第 ${p.at} 行，${HOW[p.how].zh}）。在 C 中这个指针已经悬空：通过它读取，读到的可能是已属于另一个对象的内存；通过它写入，则会破坏那个对象。CPython 会崩溃或悄悄损坏内存；本实验拒绝了这次调用。`,
  }),
  'not-owned': (p) => ({
    en: `You own no reference to ${p.name}: ${p.refcount === 1 ? 'its only reference belongs to another object' : `its ${p.refcount} references belong to other objects`}. In C this ${p.fn} would drop a reference that is not yours, so the object would be freed while something still points to it: a use after free waiting to happen. The lab refused it.`,
    zh: `你并不拥有 ${p.name} 的任何引用：它的 ${p.refcount} 个引用都属于其他对象。在 C 中，这次 ${p.fn} 会丢掉一个不属于你的引用，于是对象会在仍有东西指向它时被释放：这是一次埋下的释放后使用。本实验拒绝了它。`,
  }),
  'not-owned-steal': (p) => ({
    en: `${p.fn} steals a reference to ${p.name}, but you own none to give away: the list would hold a reference that nobody ever took. Take one first (Py_INCREF), or use PyList_Append, which takes its own.`,
    zh: `${p.fn} 会窃取 ${p.name} 的一个引用，但你并没有可以交出的引用：列表将持有一个从未被获取的引用。请先获取一个（Py_INCREF），或者改用会自己获取引用的 PyList_Append。`,
  }),
  nullReturn: (p) => ({
    en: `${p.name} is NULL: a C function may return NULL only after setting an exception; without one, CPython raises SystemError.`,
    zh: `${p.name} 是 NULL：C 函数只有在设置了异常之后才能返回 NULL；否则 CPython 会抛出 SystemError。`,
  }),
  null: (p) => ({
    en: `${p.name} is NULL: in C, ${p.fn} would dereference a NULL pointer and crash.`,
    zh: `${p.name} 是 NULL：在 C 中，${p.fn} 会解引用空指针并崩溃。`,
  }),
  index: (p) => ({
    en: `${p.fn}: index ${p.index} is out of range for ${p.name}, which has ${p.size} slot${p.size === 1 ? '' : 's'}.`,
    zh: `${p.fn}：下标 ${p.index} 超出了 ${p.name} 的范围（它有 ${p.size} 个槽位）。`,
  }),
  'slot-order': (p) => ({
    en: `${p.fn}(${p.name}, ${p.index}, …): this lab fills the slots of PyList_New(n) in order, and slot ${p.next} is next. Replacing an item that is already set is not modelled here.`,
    zh: `${p.fn}(${p.name}, ${p.index}, …)：本实验按顺序填充 PyList_New(n) 的槽位，下一个应当是第 ${p.next} 个槽位。这里不模拟替换已经设置好的元素。`,
  }),
  'slots-first': (p) => ({
    en: `${p.name} still has ${p.count} NULL slot${p.count === 1 ? '' : 's'} from PyList_New: fill ${p.count === 1 ? 'it' : 'them'} with PyList_SetItem first (in C, PyList_Append would add after the NULL slots).`,
    zh: `${p.name} 还有 PyList_New 留下的 ${p.count} 个 NULL 槽位：请先用 PyList_SetItem 填满（在 C 中，PyList_Append 会把元素加在这些 NULL 槽位之后）。`,
  }),
  'wrong-kind': (p) => ({
    en: `${p.fn} needs ${A.en(p.want)}, but ${p.name} is ${A.en(p.type)}.`,
    zh: `${p.fn} 需要一个 ${p.want}，但 ${p.name} 是一个 ${p.type}。`,
  }),
  'too-many-objects': (p) => ({ en: `more than ${p.n} objects`, zh: `对象超过 ${p.n} 个` }),
  core: (p) => ({ en: `${p.fn}: the core refused it: ${p.message}`, zh: `${p.fn}：内核拒绝了它：${p.message}` }),
};

const text = (key, params = {}) => MESSAGES[key](params);

class StepError extends Error {
  constructor(code, key, params) {
    super(code);
    this.code = code;
    this.text = text(key, params);
  }
}

// ---- parsing --------------------------------------------------------------------------------

const IDENT = /^[A-Za-z_]\w*/;

// One line's tokens: { t: 'id' | 'int' | 'str' | '(' | ')' | ',' | '=' | '*' | ';', v }.
// `comment` says whether the line starts inside a /* comment; returns where it ends.
function tokenize(line, comment) {
  const toks = [];
  let i = 0;
  while (i < line.length) {
    if (comment) {
      const end = line.indexOf('*/', i);
      if (end < 0) return { toks, comment: true };
      i = end + 2;
      comment = false;
      continue;
    }
    const c = line[i];
    if (c === ' ' || c === '\t') { i++; continue; }
    if (line.startsWith('//', i)) break;
    if (line.startsWith('/*', i)) { comment = true; i += 2; continue; }
    if ('(),=*;'.includes(c)) { toks.push({ t: c, v: c }); i++; continue; }
    const id = IDENT.exec(line.slice(i));
    if (id) { toks.push({ t: 'id', v: id[0] }); i += id[0].length; continue; }
    const num = /^-?\d+/.exec(line.slice(i));
    if (num && !/^[\w]/.test(line.slice(i + num[0].length))) {
      toks.push({ t: 'int', v: num[0] });
      i += num[0].length;
      continue;
    }
    if (c === '"') {
      let s = '';
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && j + 1 < line.length) {
          const e = line[++j];
          s += e === 'n' ? '\n' : e === 't' ? '\t' : e;
        } else {
          s += line[j];
        }
      }
      if (j >= line.length) throw new StepError('syntax', 'string');
      toks.push({ t: 'str', v: s });
      i = j + 1;
      continue;
    }
    throw new StepError('syntax', 'token', { token: JSON.stringify(line.slice(i, i + 12).split(/\s/)[0] || c) });
  }
  return { toks, comment };
}

const describe = (tok) => (tok ? (tok.t === 'str' ? JSON.stringify(tok.v) : tok.v) : 'the end of the line');
const WHAT = {
  call: { en: 'a call or a name', zh: '一个调用或名字' },
  paren: { en: '"("', zh: '“(”' },
  close: { en: '"," or ")"', zh: '“,” 或 “)”' },
  name: { en: 'a variable name', zh: '一个变量名' },
  end: { en: 'the end of the statement', zh: '语句结束' },
};

class Parser {
  constructor(toks) { this.toks = toks; this.i = 0; }
  peek(k = 0) { return this.toks[this.i + k]; }
  next() { return this.toks[this.i++]; }
  expect(t, what, after) {
    const tok = this.next();
    if (!tok || tok.t !== t) throw new StepError('syntax', 'expected', { what: WHAT[what], after });
    return tok;
  }

  // EXPR := NAME | INT | STRING | NAME '(' [EXPR {',' EXPR}] ')'
  expr(after) {
    const tok = this.next();
    if (!tok) throw new StepError('syntax', 'expected', { what: WHAT.call, after });
    if (tok.t === 'int') return { type: 'int', value: tok.v };
    if (tok.t === 'str') return { type: 'str', value: tok.v };
    if (tok.t !== 'id') throw new StepError('syntax', 'token', { token: describe(tok) });
    if (this.peek()?.t !== '(') return { type: 'name', name: tok.v };
    this.next();
    const args = [];
    if (this.peek()?.t === ')') {
      this.next();
    } else {
      for (;;) {
        args.push(this.expr(args.length ? '","' : `${tok.v}(`));
        const sep = this.next();
        if (sep?.t === ')') break;
        if (sep?.t !== ',') throw new StepError('syntax', 'expected', { what: WHAT.close, after: describe(this.toks[this.i - 2]) });
      }
    }
    return { type: 'call', fn: tok.v, args };
  }

  // STMT := 'return' EXPR | ['PyObject' '*'] NAME '=' EXPR | EXPR
  statement() {
    const first = this.peek();
    let stmt;
    if (first.t === 'id' && first.v === 'return') {
      this.next();
      stmt = { type: 'return', expr: this.expr('return') };
    } else {
      if (first.t === 'id' && first.v === 'PyObject' && this.peek(1)?.t === '*') {
        this.i += 2;
        const name = this.next();
        if (name?.t !== 'id' || this.peek()?.t !== '=') throw new StepError('syntax', 'expected', { what: WHAT.name, after: 'PyObject *' });
        this.i--;
      }
      if (this.peek()?.t === 'id' && this.peek(1)?.t === '=') {
        const name = this.next().v;
        this.next();
        stmt = { type: 'assign', name, expr: this.expr('=') };
      } else {
        const expr = this.expr('');
        if (expr.type !== 'call') throw new StepError('syntax', 'notCall');
        stmt = { type: 'call', expr };
      }
    }
    if (this.i < this.toks.length) throw new StepError('syntax', 'expected', { what: WHAT.end, after: describe(this.toks[this.i - 1]) });
    return stmt;
  }
}

const KNOWN = Object.keys(FUNCTIONS).join(', ');
const returnsObject = (node) => node.type === 'name' || (node.type === 'call' && FUNCTIONS[node.fn]?.returns != null);

// Check a parsed expression against FUNCTIONS and the names defined so far.
function check(node, declared, as) {
  if (node.type === 'name') {
    if (!declared.has(node.name)) throw new StepError('syntax', 'undeclared', { name: node.name });
    return;
  }
  if (node.type !== 'call') throw new StepError('syntax', 'expected', { what: WHAT.call, after: as });
  const spec = FUNCTIONS[node.fn];
  if (!spec) throw new StepError('syntax', 'unknown', { fn: node.fn, known: KNOWN });
  if (node.args.length !== spec.params.length) throw new StepError('syntax', 'arity', { fn: node.fn, want: spec.params.length, got: node.args.length });
  node.args.forEach((arg, k) => {
    const kind = spec.params[k];
    const bad = () => new StepError('syntax', 'argKind', { fn: node.fn, n: k + 1, kind });
    if (kind === 'int') {
      if (arg.type !== 'int') throw bad();
      const v = BigInt(arg.value);
      // a C long; a list size up to LIMITS.listSize; an index below it
      const [min, max] = node.fn === 'PyLong_FromLong' ? [INT_MIN, INT_MAX]
        : node.fn === 'PyList_New' ? [0n, BigInt(LIMITS.listSize)] : [0n, BigInt(LIMITS.listSize - 1)];
      if (v < min || v > max) throw new StepError('syntax', 'range', { value: arg.value, fn: node.fn });
    } else if (kind === 'str') {
      if (arg.type !== 'str') throw bad();
      if ([...arg.value].length > LIMITS.string) throw new StepError('syntax', 'stringLong', { n: LIMITS.string });
    } else if (kind === 'var') {
      if (arg.type !== 'name') throw bad();
      check(arg, declared, node.fn);
    } else {
      if (arg.type !== 'name' && arg.type !== 'call') throw bad();
      check(arg, declared, node.fn);
      if (!returnsObject(arg)) throw new StepError('syntax', 'noObject', { fn: arg.fn });
    }
  });
}

/** Parse C steps: { statements: [{ line, source, node }], errors: [{ line, code, text }] }. */
export function parseSteps(source) {
  const statements = [];
  const errors = [];
  const declared = new Set();
  let comment = false;
  let returned = false;
  const lines = String(source ?? '').replace(/\r\n?/g, '\n').split('\n');
  lines.forEach((raw, index) => {
    const line = index + 1;
    let toks;
    try {
      ({ toks, comment } = tokenize(raw, comment));
    } catch (err) {
      errors.push({ line, code: err.code ?? 'syntax', text: err.text });
      return;
    }
    const groups = [[]];
    for (const tok of toks) { if (tok.t === ';') groups.push([]); else groups.at(-1).push(tok); }
    for (const group of groups) {
      if (!group.length) continue;
      try {
        if (returned) throw new StepError('syntax', 'afterReturn');
        const node = new Parser(group).statement();
        check(node.expr, declared, node.type === 'return' ? 'return' : node.type === 'assign' ? '=' : '');
        if (node.type !== 'call' && !returnsObject(node.expr)) throw new StepError('syntax', 'noObject', { fn: node.expr.fn });
        if (node.type === 'assign') declared.add(node.name);
        if (node.type === 'return') returned = true;
        if (statements.length >= LIMITS.statements) throw new StepError('syntax', 'tooLong', { n: LIMITS.statements });
        statements.push({ line, source: sourceOf(node), node });
      } catch (err) {
        if (!(err instanceof StepError)) throw err;
        errors.push({ line, code: err.code, text: err.text });
      }
    }
  });
  if (comment) errors.push({ line: lines.length, code: 'syntax', text: text('comment') });
  if (!statements.length && !errors.length) errors.push({ line: 1, code: 'syntax', text: text('empty') });
  return { statements, errors };
}

// The statement as C (declarations with PyObject *; Py_REFCNT printed).
function exprText(node) {
  if (node.type === 'name') return node.name;
  if (node.type === 'int') return node.value;
  if (node.type === 'str') return `"${node.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}"`;
  return `${node.fn}(${node.args.map(exprText).join(', ')})`;
}

function sourceOf(node) {
  if (node.type === 'return') return `return ${exprText(node.expr)}`;
  if (node.type === 'assign') return `${node.name} = ${exprText(node.expr)}`;
  return exprText(node.expr);
}

function cText(node, declaredBefore) {
  if (node.type === 'return') return `return ${exprText(node.expr)};`;
  if (node.type === 'assign') return `${declaredBefore ? '' : 'PyObject *'}${node.name} = ${exprText(node.expr)};`;
  if (node.expr.fn === 'Py_REFCNT') return `printf("%zd\\n", ${exprText(node.expr)});`;
  return `${exprText(node.expr)};`;
}

/** The label of an object in a trace: its variable name, or the call that made it. */
export function describeLabel(trace, handle) {
  return trace.objects.find((o) => o.handle === handle)?.label ?? `#${handle}`;
}

// ---- running --------------------------------------------------------------------------------

const jsString = (s) => `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;

class Run {
  constructor(lab) {
    this.heap = lab.heap;
    this.vars = new Map();       // name -> handle, or null (NULL)
    this.jsNames = new Map();    // handle -> the name used for it in the lab.heap column
    this.slots = new Map();      // list handle -> { size, filled }: PyList_New(n > 0)
    this.trace = {
      version: 1, errors: [], outcome: null, objects: [], steps: [], refused: null, returned: null, end: null,
    };
    this.state = {};
    this.temps = 0;
  }

  object(handle) { return this.trace.objects.find((o) => o.handle === handle); }
  label(handle) { return this.object(handle)?.label ?? `#${handle}`; }
  js(handle) { return this.jsNames.get(handle) ?? String(handle); }
  typeOf(handle) { return this.object(handle)?.type; }
  // When the object was freed: the line of the step whose state first shows it dead.
  freedAt(handle) {
    const step = this.trace.steps.find((s) => s.freed.some((f) => f.handle === handle));
    return step ? { at: step.line, how: step.freed.find((f) => f.handle === handle).how } : null;
  }

  // A HeapError of the core as a refusal naming the object involved.
  // nameOf(handle): how the statement names the object (its variable, else its label).
  async refusal(err, fn, handles, { steal = false, nameOf = (h) => this.label(h) } = {}) {
    if (err?.name !== 'HeapError') throw err;
    if (err.code === 'use-after-free') {
      for (const h of handles) {
        if (await this.heap.alive(h)) continue;
        const when = this.freedAt(h) ?? { at: '?', how: this.state[h]?.freed ?? 'refcount' };
        return this.refused(err, 'use-after-free', { name: nameOf(h), type: this.typeOf(h), at: when.at, how: when.how });
      }
    }
    if (err.code === 'not-owned') {
      const h = handles.at(-1);
      const refcount = await this.heap.refcount(h);
      return this.refused(err, 'not-owned', { name: nameOf(h), refcount, fn }, steal ? 'not-owned-steal' : 'not-owned');
    }
    return this.refused(err, err.code ?? 'core', { fn, message: err.message }, 'core');
  }

  refused(err, code, params, key = code) {
    const e = new StepError(code, key, params);
    e.core = true;
    e.message = err.message;
    return e;
  }

  // Evaluate an object expression; returns its handle (or null for NULL when nullable).
  // `name`: the variable the result is assigned to, if it is (it names a new object).
  async value(node, row, { fn = '', nullable = false, name = null } = {}) {
    if (node.type === 'name') {
      const h = this.vars.get(node.name);
      if (h === null && !nullable) throw new StepError('null', fn === 'return' ? 'nullReturn' : 'null', { name: node.name, fn });
      return h;
    }
    return this.call(node, row, name);
  }

  async made(row, node, kind, value, name) {
    if (this.trace.objects.length >= LIMITS.objects) throw new StepError('limit', 'too-many-objects', { n: LIMITS.objects });
    let h;
    try {
      h = await (value === undefined ? this.heap.new(kind) : this.heap.new(kind, value));
    } catch (err) {
      throw await this.refusal(err, node.fn, []);
    }
    // a second object assigned to the same name is "a (2)" in the table, a2 in the JS column
    const same = name ? this.trace.objects.filter((o) => o.name === name).length : 0;
    const label = name ? (same ? `${name} (${same + 1})` : name) : exprText(node);
    const js = name ? (same ? `${name}${same + 1}` : name) : `tmp${++this.temps}`;
    this.jsNames.set(h, js);
    this.trace.objects.push({ handle: h, label, type: kind, name });
    row.calls.push(`${js} = heap.new(${jsString(kind)}${value === undefined ? '' : `, ${jsString(value)}`})`);
    return h;
  }

  needKind(h, want, name, fn) {
    const type = this.typeOf(h);
    if (type !== want && this.state[h]?.alive !== false) throw new StepError('wrong-kind', 'wrong-kind', { fn, want, name, type });
  }

  // The handles of a list's items, in order (from lab.heap.objects()).
  async items(h) {
    const list = await this.heap.objects();
    const entry = list.find((o) => o.handle === h);
    return (entry?.refs ?? []).map((r) => r[1]);
  }

  async call(node, row, name = null) {
    const { fn, args } = node;
    const spec = FUNCTIONS[fn];
    const heap = this.heap;
    if (spec.makes) {
      const kind = spec.makes;
      const value = kind === 'int' || kind === 'str' ? args[0].value : undefined;
      const h = await this.made(row, node, kind, value, name);
      if (kind === 'list' && Number(args[0].value) > 0) this.slots.set(h, { size: Number(args[0].value), filled: 0 });
      row.result = { kind: 'new', handle: h };
      return h;
    }
    // how this call names each object it is given: the variable, else the object's label
    // (messages) or its temporary (the lab.heap column)
    const said = new Map();
    const jsSaid = new Map();
    const arg = async (k, opts = {}) => {
      const h = await this.value(args[k], row, { fn, ...opts });
      if (h != null && args[k].type === 'name') { said.set(h, args[k].name); jsSaid.set(h, args[k].name); }
      return h;
    };
    const nameOf = (h) => said.get(h) ?? this.label(h);
    const js = (h) => jsSaid.get(h) ?? this.js(h);
    const argName = (k) => (args[k].type === 'name' ? args[k].name : exprText(args[k]));
    const guard = async (handles, op, opts = {}) => {
      try { return await op(); } catch (err) { throw await this.refusal(err, fn, handles, { ...opts, nameOf }); }
    };
    const index = (k) => Number(args[k].value);
    switch (fn) {
      case 'Py_NewRef': {
        const h = await arg(0);
        await guard([h], () => heap.incref(h));
        row.calls.push(`heap.incref(${js(h)})${name ? `; ${name} = ${js(h)}` : ''}`);
        row.result = { kind: 'newref', handle: h };
        return h;
      }
      case 'PyList_GetItem': {
        const l = await arg(0);
        this.needKind(l, 'list', argName(0), fn);
        await guard([l], () => heap.refcount(l));
        const items = await this.items(l);
        const i = index(1);
        const size = this.slots.get(l)?.size ?? items.length;
        if (i >= size) throw new StepError('index', 'index', { fn, index: i, name: argName(0), size });
        row.calls.push(`${name ? `${name} = ` : ''}heap.objects()[${js(l)} - 1].refs[${i}][1]`);
        const h = i < items.length ? items[i] : null;
        row.result = { kind: 'borrowed', handle: h };
        return h;
      }
      case 'Py_INCREF': case 'Py_DECREF': case 'Py_XDECREF': case 'Py_CLEAR': {
        const h = await arg(0, { nullable: fn === 'Py_XDECREF' || fn === 'Py_CLEAR' });
        if (h == null) { row.result = { kind: 'null-noop' }; return null; }
        if (fn === 'Py_CLEAR') this.vars.set(args[0].name, null); // CPython clears the variable first
        const inc = fn === 'Py_INCREF';
        const refcount = await guard([h], () => (inc ? heap.incref(h) : heap.decref(h)));
        row.calls.push(fn === 'Py_CLEAR' ? `tmp = ${js(h)}; ${args[0].name} = null; heap.decref(tmp)`
          : `heap.${inc ? 'incref' : 'decref'}(${js(h)})`);
        row.result = { kind: inc ? 'incref' : fn === 'Py_CLEAR' ? 'clear' : 'decref', handle: h, refcount };
        return null;
      }
      case 'PyList_Append': case 'PyList_SetItem': {
        const steal = fn === 'PyList_SetItem';
        const l = await arg(0);
        this.needKind(l, 'list', argName(0), fn);
        const slots = this.slots.get(l);
        let i = null;
        if (steal) {
          i = index(1);
          const size = slots?.size ?? (await this.items(l)).length;
          if (i >= size) throw new StepError('index', 'index', { fn, index: i, name: argName(0), size });
          if (!slots || i !== slots.filled) {
            throw new StepError('slot-order', 'slot-order', { fn, name: argName(0), index: i, next: slots ? slots.filled : size });
          }
        } else if (slots && slots.filled < slots.size) {
          throw new StepError('slots-first', 'slots-first', { name: argName(0), count: slots.size - slots.filled });
        }
        const item = await arg(steal ? 2 : 1);
        await guard([l, item], () => heap.link(l, item, steal ? { steal: true } : undefined), { steal });
        row.calls.push(`heap.link(${js(l)}, ${js(item)}${steal ? ', { steal: true }' : ''})`);
        if (steal) slots.filled++;
        row.result = { kind: steal ? 'steal' : 'append', handle: item, container: l, index: i };
        return null;
      }
      case 'PyDict_SetItem': {
        const d = await arg(0);
        this.needKind(d, 'dict', argName(0), fn);
        const key = await arg(1);
        const value = await arg(2);
        await guard([d, key, value], () => heap.link(d, value, { key }));
        row.calls.push(`heap.link(${js(d)}, ${js(value)}, { key: ${js(key)} })`);
        row.result = { kind: 'dictset', handle: value, key, container: d };
        return null;
      }
      case 'PySequence_DelItem': {
        const l = await arg(0);
        this.needKind(l, 'list', argName(0), fn);
        await guard([l], () => heap.refcount(l));
        const items = await this.items(l);
        const i = index(1);
        if (i >= items.length) throw new StepError('index', 'index', { fn, index: i, name: argName(0), size: items.length });
        await guard([l, items[i]], () => heap.unlink(l, items[i]));
        row.calls.push(`heap.unlink(${js(l)}, ${js(items[i])})`);
        const slots = this.slots.get(l);
        if (slots) { slots.size--; slots.filled--; }
        row.result = { kind: 'delitem', handle: items[i], container: l };
        return null;
      }
      case 'PyDict_DelItem': {
        const d = await arg(0);
        this.needKind(d, 'dict', argName(0), fn);
        const key = await arg(1);
        await guard([d, key], () => heap.unlink(d, key));
        row.calls.push(`heap.unlink(${js(d)}, ${js(key)})`);
        row.result = { kind: 'delitem', handle: key, container: d };
        return null;
      }
      case 'Py_REFCNT': {
        const h = await arg(0);
        const refcount = await guard([h], () => heap.refcount(h));
        row.calls.push(`heap.refcount(${js(h)})`);
        row.result = { kind: 'refcnt', handle: h, refcount };
        return null;
      }
      case 'PyGC_Collect': {
        const found = await guard([], () => heap.collect());
        row.calls.push('heap.collect()');
        row.result = { kind: 'collect', found };
        return null;
      }
      default:
        throw new Error(`heapsteps: no implementation of ${fn}`);
    }
  }

  async statement(st, row) {
    const { node } = st;
    if (node.type === 'return') {
      const h = await this.value(node.expr, row, { fn: 'return' });
      row.result = { kind: 'return', handle: h };
      this.trace.returned = h;
      return;
    }
    if (node.type === 'call') {
      await this.call(node.expr, row);
      return;
    }
    // assignment: a new object takes the name; a borrowed pointer or a copy is an alias
    const alias = node.expr.type === 'name';
    const h = await this.value(node.expr, row, { fn: '=', nullable: alias, name: node.name });
    this.vars.set(node.name, h);
    if (alias) row.result = { kind: 'alias', handle: h };
  }

  // Every object's state now; the freed list of `row` is what died since the last row.
  async snapshot(row) {
    const list = await this.heap.objects();
    const state = {};
    for (const o of list) {
      const slots = this.slots.get(o.handle);
      state[o.handle] = o.alive
        ? { alive: true, freed: null, refcount: o.refcount, owned: o.owned, repr: o.repr, static: o.static,
          nulls: slots ? slots.size - slots.filled : 0 }
        : { alive: false, freed: o.freed, owned: 0 };
    }
    row.freed = Object.keys(state).map(Number)
      .filter((h) => !state[h].alive && this.state[h]?.alive)
      .map((h) => ({ handle: h, how: state[h].freed }));
    row.state = state;
    this.state = state;
  }

  async step(row, body) {
    try {
      await body();
    } catch (err) {
      if (!(err instanceof StepError)) throw err;
      row.error = { code: err.code, core: Boolean(err.core), text: err.text, message: err.core ? err.message : null };
    }
    await this.snapshot(row);
    this.trace.steps.push(row);
    if (row.error && !this.trace.refused) {
      this.trace.refused = { line: row.line, phase: row.phase, code: row.error.code, text: row.error.text };
    }
    return !row.error;
  }
}

const newRow = (line, phase, source, c) => ({ line, phase, source, c, calls: [], result: null, error: null, freed: [], state: {} });

/**
 * Run C steps against lab.heap (reset first unless options.reset === false) and return the
 * trace described at the top of this file.
 */
export async function runSteps(lab, source, options = {}) {
  const parsed = typeof source === 'string' ? parseSteps(source) : source;
  const run = new Run(lab);
  const { trace } = run;
  if (parsed.errors.length) {
    trace.errors = parsed.errors;
    trace.outcome = 'syntax';
    return trace;
  }
  if (options.reset !== false) await lab.reset();
  const declared = new Set();
  for (const st of parsed.statements) {
    const row = newRow(st.line, 'function', st.source, cText(st.node, st.node.type === 'assign' && declared.has(st.node.name)));
    if (st.node.type === 'assign') declared.add(st.node.name);
    if (!(await run.step(row, () => run.statement(st, row)))) break;
  }
  if (!trace.refused) await finish(run);
  trace.outcome = outcomeOf(trace);
  return trace;
}

// The end of the function: what is still owned, then the caller's Py_DECREF of the result and,
// if anything is left, a collection.
async function finish(run) {
  const { trace } = run;
  const state = run.state;
  const returned = trace.returned;
  const end = { leaks: [], nullSlots: [], borrowedReturn: false, collected: null, cycle: [], survivors: [] };
  trace.end = end;
  for (const { handle } of trace.objects) {
    const s = state[handle];
    if (!s?.alive) continue;
    const extra = s.owned - (handle === returned ? 1 : 0);
    if (extra > 0) end.leaks.push({ handle, count: extra });
    if (s.nulls > 0) {
      const slots = run.slots.get(handle);
      end.nullSlots.push({ handle, slots: Array.from({ length: slots.size - slots.filled }, (_, k) => slots.filled + k) });
    }
  }
  if (returned == null) return;
  end.borrowedReturn = Boolean(state[returned]?.alive) && state[returned].owned === 0;
  const line = trace.steps.at(-1).line;
  const label = run.label(returned);
  const caller = newRow(line, 'caller', `Py_DECREF(${label})`, `Py_DECREF(result);`);
  const ok = await run.step(caller, async () => {
    let refcount;
    try {
      refcount = await run.heap.decref(returned);
    } catch (err) {
      throw await run.refusal(err, 'Py_DECREF', [returned], { nameOf: () => 'result' });
    }
    caller.calls.push(`heap.decref(${run.js(returned)})`);
    caller.result = { kind: 'decref', handle: returned, refcount };
  });
  if (!ok) return;
  const alive = () => trace.objects.filter((o) => run.state[o.handle]?.alive && !run.state[o.handle].static).map((o) => o.handle);
  if (!alive().length) return;
  const collector = newRow(line, 'collector', 'PyGC_Collect()', 'PyGC_Collect();');
  await run.step(collector, async () => {
    const found = await run.heap.collect();
    collector.calls.push('heap.collect()');
    collector.result = { kind: 'collect', found };
    end.collected = found;
  });
  end.cycle = collector.freed.filter((f) => f.how === 'gc').map((f) => f.handle);
  end.survivors = alive();
}

function outcomeOf(trace) {
  if (trace.errors.length) return 'syntax';
  if (trace.refused) {
    if (trace.refused.phase === 'caller') return trace.refused.code === 'not-owned' ? 'borrowed-return' : 'dangling-return';
    return trace.refused.code;
  }
  const end = trace.end;
  if (end.leaks.length) return 'leak';
  if (end.nullSlots.length) return 'null-slots';
  if (end.cycle.length) return 'cycle';
  return 'ok';
}
