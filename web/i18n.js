// i18n.js -- every string the page shows, in English and Simplified Chinese.
//
// t(key, params) looks the key up in the current language (falling back to English) and
// fills {name} placeholders from params.  Program output and object reprs never pass
// through here; they are shown as they are, as text.  The language is kept in
// localStorage ('pymemlab:lang'); the default follows navigator.language.

export const LANGUAGES = Object.freeze({ en: 'English', zh: '简体中文' });

export const STRINGS = {
  en: {
    'app.title': 'PyMemLab',
    'app.tagline': 'See how CPython 3.11 manages memory',
    'app.loading': 'loading the core…',
    'app.ready': 'ready',
    'app.loadFailed': 'Could not load the WebAssembly build.',
    'app.loadHint': 'Build it with: make serve',
    'app.version': 'core {version}',
    'app.language': 'Language',
    'app.theme': 'Theme',
    'app.themeLight': 'Light theme',
    'app.themeDark': 'Dark theme',
    'app.share': 'Copy link',
    'app.shareDone': 'Link copied',
    'app.shareFailed': 'Link in the address bar',
    'app.lessons': 'Lessons',
    'app.help': 'Keys',
    'app.helpText': 'Ctrl+Enter run · Alt+→ step · Alt+← back · Alt+Home first step · Alt+End last step · Esc then Tab leaves the editor · arrow keys move between objects in the heap',
    'app.embedOpen': 'Open in PyMemLab',

    'editor.label': 'Python source (main.py)',
    'editor.readOnly': 'read-only',

    'ctl.run': 'Run',
    'ctl.runTitle': 'Run the whole program and show the last step (Ctrl+Enter)',
    'ctl.stop': 'Stop',
    'ctl.stopTitle': 'Stop the running program',
    'ctl.back': 'Back',
    'ctl.backTitle': 'Previous step (Alt+←)',
    'ctl.step': 'Step',
    'ctl.stepTitle': 'Next step (Alt+→)',
    'ctl.reset': 'Reset',
    'ctl.resetTitle': 'Forget the recording',
    'ctl.slider': 'Step',
    'ctl.position': 'step {index} of {total}',
    'ctl.positionLine': 'step {index} of {total} · line {line}',
    'ctl.noRecording': 'not run yet',

    'status.recording': 'running… {seconds} s',
    'status.ok': 'finished · {steps} steps · {ms} ms',
    'status.exception': 'uncaught exception · {steps} steps',
    'status.syntax-error': 'syntax error',
    'status.limit': 'stopped by a limit · {steps} steps',
    'status.internal': 'internal error',
    'status.stopped': 'stopped',
    'status.truncated': 'recording cut at {steps} steps',
    'status.changed': 'the code changed since this run',
    'status.slow': 'Still running after {seconds} s. The program may not end: press Stop.',

    'panel.output': 'Output',
    'panel.events': 'Events',
    'panel.gc': 'GC',
    'panel.memory': 'Memory',
    'panel.lessons': 'Lessons',
    'panel.tabs': 'Panels',

    'heap.label': 'Heap',
    'heap.graph': 'Graph',
    'heap.table': 'Table',
    'heap.view': 'Heap view',
    'heap.empty': 'Run or step through the program to see its objects.',
    'heap.summary': '{objects} objects, {shared} shared, {cycles} in cycles, {freed} freed at this step',
    'heap.frames': 'Frames',
    'heap.shelf': 'Shared objects: cached small ints, interned strings, singletons',
    'heap.shelfShort': 'shared',
    'heap.refcount': 'refcount {n}',
    'heap.size': '{n} B',
    'heap.gen': 'gen {n}',
    'heap.untracked': 'untracked',
    'heap.tracked': 'tracked by the gc',
    'heap.notTracked': 'not tracked by the gc',
    'heap.cycle': 'cycle',
    'heap.inCycle': 'part of a reference cycle',
    'heap.freed.refcount': 'freed: refcount reached 0',
    'heap.freed.gc': 'collected by the gc',
    'heap.more': '+{n} more {type}',
    'heap.moreTitle': 'Show all {n} {type} objects',
    'heap.moreRefs': '+{n} more references',
    'heap.internals': 'Internals',
    'heap.internalsTitle': "Also draw what every class, function and module carries: class dicts' dunder entries, mro and bases, code objects, globals and builtins, names, and each instance's __class__",
    'heap.internalsHidden': '{n} internal objects are hidden (tick “Internals” to see them).',
    'heap.hidden': 'More than {limit} objects: some are grouped by type below.',
    'heap.truncated': 'The recorder kept only part of the heap at this step (too many objects).',
    'heap.cardLabel': '{type} object {id}, {repr}, refcount {refcount}, {size} bytes',
    'heap.varLabel': '{name} points to {type} object {id}',
    'heap.delta': 'refcount changed by {delta}',
    'heap.shared.small-int': 'cached small int',
    'heap.shared.interned': 'interned string',
    'heap.shared.latin1-char': 'cached one-character string',
    'heap.shared.singleton': 'singleton',
    'heap.shared.empty': 'shared empty object',
    'heap.weak': 'weak reference',
    'heap.legend': 'Legend',
    'heap.legendRef': 'reference',
    'heap.legendWeak': 'weak reference',
    'heap.legendCycle': 'cycle',
    'heap.legendFreed': 'freed at this step',

    'table.caption': 'Objects alive at step {index}',
    'table.id': 'id',
    'table.type': 'type',
    'table.value': 'value',
    'table.refcount': 'refcount',
    'table.size': 'size',
    'table.gen': 'generation',
    'table.shared': 'shared',
    'table.cycle': 'cycle',
    'table.names': 'names',
    'table.refs': 'references',
    'table.freedCaption': 'Freed at this step',
    'table.cause': 'cause',
    'table.yes': 'yes',
    'table.no': 'no',

    'output.label': 'Program output',
    'output.empty': 'No output yet.',
    'output.future': 'Output after this step is hidden until you step further.',

    'events.label': 'Events at this step',
    'events.filter': 'Show kinds',
    'events.none': 'No events at this step.',
    'events.more': '{n} more events not shown',
    'events.dropped': '{n} earlier events of this step were not kept',
    'events.count': '{n} events',
    'events.line': 'line {line}',

    'gc.counts': 'Allocations since the last collection, per generation',
    'gc.generation': 'generation {n}',
    'gc.countOf': '{count} of {threshold}',
    'gc.disabled': 'automatic collection is disabled (gc.disable())',
    'gc.noCollections': 'No collection ran at this step.',
    'gc.allCollections': 'Collections in this run',
    'gc.noneInRun': 'No collection ran in this program.',
    'gc.goto': 'step {index}: generation {gen}, {collected} freed',
    'gc.collection': 'Collection of generation {gen}',
    'gc.summary': '{examined} objects examined · {collected} unreachable collected · {uncollectable} uncollectable · {promoted} promoted',
    'gc.freedCount': '{n} objects freed',
    'gc.gcRefs': 'gc_refs after subtracting internal references',
    'gc.replay': 'How the collector decided',
    'gc.gcRefsHelp': 'gc_refs starts as the refcount; every reference from another examined object is subtracted. What is left counts references from outside: those objects and everything they reach survive.',
    'gc.object': 'object',
    'gc.refs': 'gc_refs',
    'gc.verdict': 'verdict',
    'gc.reachable': 'reachable',
    'gc.unreachable': 'unreachable',
    'gc.finalized': 'Finalizers run (__del__)',
    'gc.callbacks': 'Weakref callbacks run',
    'gc.freed': 'Freed',
    'gc.none': 'none',

    'mem.tracemalloc': 'tracemalloc: traced memory',
    'mem.current': 'current {n}',
    'mem.peak': 'peak {n}',
    'mem.noTracemalloc': 'tracemalloc is not tracing in this program. Add "import tracemalloc" and "tracemalloc.start()" to follow its numbers here.',
    'mem.arenas': 'pymalloc arenas, pools and blocks',
    'mem.arenaTitle': 'arena {n} (1 MiB, 64 pools of 16 KiB)',
    'mem.poolTitle': 'pool {pool}: {state}, size class {cls} ({size} B blocks), {used} of {capacity} blocks used',
    'mem.poolUncarved': 'pool {pool}: not carved yet',
    'mem.noPools': 'The allocator map is not available in this build.',
    'mem.legend': 'block size',
    'mem.state.used': 'used',
    'mem.state.full': 'full',
    'mem.state.empty': 'empty',
    'mem.state.uncarved': 'not carved',
    'mem.stats': '{arenas} arenas · {pools} pools in use · {blocks} blocks in use',
    'mem.atEnd': 'State at the end of the run.',

    'lessons.title': 'Lessons',
    'lessons.none': 'No lessons are installed here.',
    'lessons.back': 'All lessons',
    'lessons.tryIt': 'Open in the editor',
    'lessons.loadFailed': 'Could not load this lesson.',

    'kind.alloc': 'alloc',
    'kind.free': 'free',
    'kind.incref': 'incref',
    'kind.decref': 'decref',
    'kind.gc-start': 'gc start',
    'kind.gc-end': 'gc end',
    'kind.weakref-clear': 'weakref cleared',
    'kind.weakref-callback': 'weakref callback',
    'kind.finalize': 'finalize',
  },

  zh: {
    'app.title': 'PyMemLab',
    'app.tagline': '看 CPython 3.11 如何管理内存',
    'app.loading': '正在加载内核…',
    'app.ready': '就绪',
    'app.loadFailed': '无法加载 WebAssembly 构建。',
    'app.loadHint': '请先构建：make serve',
    'app.version': '内核 {version}',
    'app.language': '语言',
    'app.theme': '主题',
    'app.themeLight': '浅色主题',
    'app.themeDark': '深色主题',
    'app.share': '复制链接',
    'app.shareDone': '链接已复制',
    'app.shareFailed': '链接已在地址栏中',
    'app.lessons': '课程',
    'app.help': '快捷键',
    'app.helpText': 'Ctrl+Enter 运行 · Alt+→ 下一步 · Alt+← 上一步 · Alt+Home 第一步 · Alt+End 最后一步 · 先按 Esc 再按 Tab 离开编辑器 · 在堆视图中用方向键在对象之间移动',
    'app.embedOpen': '在 PyMemLab 中打开',

    'editor.label': 'Python 源代码（main.py）',
    'editor.readOnly': '只读',

    'ctl.run': '运行',
    'ctl.runTitle': '运行整个程序并显示最后一步（Ctrl+Enter）',
    'ctl.stop': '停止',
    'ctl.stopTitle': '停止正在运行的程序',
    'ctl.back': '上一步',
    'ctl.backTitle': '上一步（Alt+←）',
    'ctl.step': '下一步',
    'ctl.stepTitle': '下一步（Alt+→）',
    'ctl.reset': '重置',
    'ctl.resetTitle': '丢弃本次记录',
    'ctl.slider': '步骤',
    'ctl.position': '第 {index} 步，共 {total} 步',
    'ctl.positionLine': '第 {index} 步，共 {total} 步 · 第 {line} 行',
    'ctl.noRecording': '尚未运行',

    'status.recording': '运行中… {seconds} 秒',
    'status.ok': '已完成 · {steps} 步 · {ms} 毫秒',
    'status.exception': '未捕获的异常 · {steps} 步',
    'status.syntax-error': '语法错误',
    'status.limit': '因达到限制而停止 · {steps} 步',
    'status.internal': '内部错误',
    'status.stopped': '已停止',
    'status.truncated': '记录在第 {steps} 步处截断',
    'status.changed': '代码在这次运行后已修改',
    'status.slow': '已运行 {seconds} 秒仍未结束，程序可能不会终止：请按“停止”。',

    'panel.output': '输出',
    'panel.events': '事件',
    'panel.gc': '垃圾回收',
    'panel.memory': '内存',
    'panel.lessons': '课程',
    'panel.tabs': '面板',

    'heap.label': '堆',
    'heap.graph': '图',
    'heap.table': '表格',
    'heap.view': '堆视图',
    'heap.empty': '运行或单步执行程序即可看到它的对象。',
    'heap.summary': '{objects} 个对象，{shared} 个共享，{cycles} 个在循环中，本步释放 {freed} 个',
    'heap.frames': '栈帧',
    'heap.shelf': '共享对象：缓存的小整数、驻留字符串、单例',
    'heap.shelfShort': '共享',
    'heap.refcount': '引用计数 {n}',
    'heap.size': '{n} 字节',
    'heap.gen': '第 {n} 代',
    'heap.untracked': '未跟踪',
    'heap.tracked': '被垃圾回收器跟踪',
    'heap.notTracked': '不被垃圾回收器跟踪',
    'heap.cycle': '循环',
    'heap.inCycle': '属于一个引用循环',
    'heap.freed.refcount': '已释放：引用计数降为 0',
    'heap.freed.gc': '被垃圾回收器回收',
    'heap.more': '另有 {n} 个 {type}',
    'heap.moreTitle': '显示全部 {n} 个 {type} 对象',
    'heap.moreRefs': '另有 {n} 个引用',
    'heap.internals': '内部对象',
    'heap.internalsTitle': '同时画出每个类、函数和模块附带的内部结构：类字典中的双下划线条目、mro 和基类、代码对象、全局与内置命名空间、名字，以及每个实例的 __class__',
    'heap.internalsHidden': '隐藏了 {n} 个内部对象（勾选“内部对象”即可查看）。',
    'heap.hidden': '对象超过 {limit} 个：部分对象按类型归组显示在下方。',
    'heap.truncated': '这一步的对象太多，记录器只保留了堆的一部分。',
    'heap.cardLabel': '{type} 对象 {id}，{repr}，引用计数 {refcount}，{size} 字节',
    'heap.varLabel': '{name} 指向 {type} 对象 {id}',
    'heap.delta': '引用计数变化 {delta}',
    'heap.shared.small-int': '缓存的小整数',
    'heap.shared.interned': '驻留字符串',
    'heap.shared.latin1-char': '缓存的单字符字符串',
    'heap.shared.singleton': '单例',
    'heap.shared.empty': '共享的空对象',
    'heap.weak': '弱引用',
    'heap.legend': '图例',
    'heap.legendRef': '引用',
    'heap.legendWeak': '弱引用',
    'heap.legendCycle': '循环',
    'heap.legendFreed': '本步释放',

    'table.caption': '第 {index} 步时存活的对象',
    'table.id': 'id',
    'table.type': '类型',
    'table.value': '值',
    'table.refcount': '引用计数',
    'table.size': '大小',
    'table.gen': '代',
    'table.shared': '共享',
    'table.cycle': '循环',
    'table.names': '名字',
    'table.refs': '引用',
    'table.freedCaption': '本步释放的对象',
    'table.cause': '原因',
    'table.yes': '是',
    'table.no': '否',

    'output.label': '程序输出',
    'output.empty': '还没有输出。',
    'output.future': '这一步之后的输出会在继续单步时显示。',

    'events.label': '本步的事件',
    'events.filter': '显示的种类',
    'events.none': '本步没有事件。',
    'events.more': '还有 {n} 个事件未显示',
    'events.dropped': '这一步较早的 {n} 个事件没有保留',
    'events.count': '{n} 个事件',
    'events.line': '第 {line} 行',

    'gc.counts': '自上次回收以来各代的分配计数',
    'gc.generation': '第 {n} 代',
    'gc.countOf': '{count} / {threshold}',
    'gc.disabled': '自动回收已关闭（gc.disable()）',
    'gc.noCollections': '这一步没有进行回收。',
    'gc.allCollections': '本次运行中的回收',
    'gc.noneInRun': '这个程序没有进行回收。',
    'gc.goto': '第 {index} 步：第 {gen} 代，释放 {collected} 个',
    'gc.collection': '第 {gen} 代的回收',
    'gc.summary': '检查 {examined} 个对象 · 回收 {collected} 个不可达对象 · {uncollectable} 个无法回收 · {promoted} 个晋升',
    'gc.freedCount': '释放了 {n} 个对象',
    'gc.gcRefs': '减去内部引用后的 gc_refs',
    'gc.replay': '回收器是如何判断的',
    'gc.gcRefsHelp': 'gc_refs 从引用计数开始，每个来自其他被检查对象的引用都被减去。剩下的是来自外部的引用：这些对象以及它们能到达的一切都会存活。',
    'gc.object': '对象',
    'gc.refs': 'gc_refs',
    'gc.verdict': '结论',
    'gc.reachable': '可达',
    'gc.unreachable': '不可达',
    'gc.finalized': '运行的终结器（__del__）',
    'gc.callbacks': '运行的弱引用回调',
    'gc.freed': '已释放',
    'gc.none': '无',

    'mem.tracemalloc': 'tracemalloc：跟踪的内存',
    'mem.current': '当前 {n}',
    'mem.peak': '峰值 {n}',
    'mem.noTracemalloc': '这个程序没有启用 tracemalloc。加上 "import tracemalloc" 和 "tracemalloc.start()" 即可在这里看到它的数字。',
    'mem.arenas': 'pymalloc 的 arena、pool 与 block',
    'mem.arenaTitle': 'arena {n}（1 MiB，64 个 16 KiB 的 pool）',
    'mem.poolTitle': 'pool {pool}：{state}，大小类别 {cls}（{size} 字节的 block），已用 {used} / {capacity}',
    'mem.poolUncarved': 'pool {pool}：尚未划分',
    'mem.noPools': '这个构建没有提供分配器地图。',
    'mem.legend': 'block 大小',
    'mem.state.used': '部分使用',
    'mem.state.full': '已满',
    'mem.state.empty': '空闲',
    'mem.state.uncarved': '未划分',
    'mem.stats': '{arenas} 个 arena · {pools} 个 pool 在用 · {blocks} 个 block 在用',
    'mem.atEnd': '运行结束时的状态。',

    'lessons.title': '课程',
    'lessons.none': '这里没有安装课程。',
    'lessons.back': '全部课程',
    'lessons.tryIt': '在编辑器中打开',
    'lessons.loadFailed': '无法加载这节课。',

    'kind.alloc': '分配',
    'kind.free': '释放',
    'kind.incref': '增加引用',
    'kind.decref': '减少引用',
    'kind.gc-start': '回收开始',
    'kind.gc-end': '回收结束',
    'kind.weakref-clear': '弱引用被清除',
    'kind.weakref-callback': '弱引用回调',
    'kind.finalize': '终结',
  },
};

const STORAGE_KEY = 'pymemlab:lang';
const listeners = new Set();
let current = initialLanguage();

function initialLanguage() {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (saved && saved in STRINGS) return saved;
  } catch { /* storage may be blocked (sandboxed iframes) */ }
  const nav = globalThis.navigator?.language ?? 'en';
  return /^zh\b/i.test(nav) ? 'zh' : 'en';
}

export function getLanguage() {
  return current;
}

/** Switch every element's language; `persist` keeps the choice for the next visit. */
export function setLanguage(lang, { persist = true } = {}) {
  if (!(lang in STRINGS) || lang === current) return;
  current = lang;
  if (persist) {
    try { globalThis.localStorage?.setItem(STORAGE_KEY, lang); } catch { /* ignore */ }
  }
  for (const fn of listeners) fn(lang);
}

/** Call fn(lang) after every change of language; returns a function that stops it. */
export function onLanguageChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function t(key, params) {
  let s = STRINGS[current]?.[key] ?? STRINGS.en[key];
  if (s === undefined) return key;
  if (params) s = s.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
  return s;
}

/** A byte count as text: 1,234 B / 12.1 KiB / 3.4 MiB. */
export function formatBytes(n) {
  if (n == null) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(2)} MiB`;
}
