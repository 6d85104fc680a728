/*
 * pm_trace_snapshot.c -- a heap snapshot as SNAPSHOT.md's "frames" and "objects".
 *
 * ## Which objects
 *
 * Roots, in this order: the variables of every frame on vm->frame (outermost first; a
 * module frame shows the program's own globals, not the dunders new_main puts there), the
 * values on each frame's evaluation stack, then every object in the collector's generation
 * lists that the program created (w->preexisting holds the tracked objects alive when the
 * run started: those are left out unless something reachable refers to them).  From the
 * roots the walk is breadth first over labelled references, up to w->max_objects objects.
 *
 * ## Where the walk stops
 *
 * Some objects are shown but not expanded (their "refs" are empty): modules, code objects,
 * builtin functions and descriptors, builtin types, the builtins/sys/modules/interned
 * dicts, and every object (other than a constant tuple or frozenset) that already existed
 * when the run started -- otherwise one `import sys` would pull the whole interpreter into
 * every step.
 *
 * ## Labels (SNAPSHOT.md)
 *
 * "[i]" list/tuple items, "[key repr]" dict values and "key→" dict keys, "item" set members,
 * ".attr" instance attributes (inline values or __slots__), "__dict__", "__class__",
 * "cell", "closure[i]" and "default[i]" (a function's closure cells and defaults, drawn from
 * the function: the tuples holding them are not shown), "__func__"/"__self__" of bound
 * methods, "weak" for a weakref's referent (a weak edge: the referent is shown but the edge
 * is not a reference), the field names of functions, classes, exceptions, ranges and
 * slices, a generator frame's local names and "stack", and "ref" for anything else a type's
 * tp_traverse visits.
 *
 * Nothing here allocates in the modelled heap, changes a refcount or runs Python code.
 */
#include "pm.h"
#include "gc/gc.h"
#include "trace/pm_trace.h"

/* ------------------------------------------------------------------ facts about objects */

Pm_ssize_t pm_trace_refcount(PmObject *o)
{
    /* the adjustment lib/sysmodule.c's getrefcount makes for static objects */
    Pm_ssize_t n = Pm_REFCNT(o);
    if (pm_is_static(o)) {
        int k = Pm_KIND(o);
        bool immortal = k == PMT_INT || k == PMT_STR || k == PMT_TUPLE;
        n = n - PM_STATIC_REFCNT + (immortal ? 999999999 : 1000);
    }
    return n;
}

/* PmObject_SizeOf without looking up __sizeof__ (a class may define one in Python): the
 * builtin computation the type inherits (tp_sizeof, else basicsize + itemsize * |size|). */
static Pm_ssize_t model_size(PmVM *vm, PmObject *o)
{
    PmType *tp = Pm_TYPE(o);
    Pm_ssize_t n;
    if (PmType_Check(o)) {
        n = PmType_HasFeature((PmType *)o, PM_TPFLAGS_HEAPTYPE) ? 888 : 408;
    } else if (tp->tp_sizeof) {
        n = tp->tp_sizeof(vm, o);
    } else {
        n = tp->tp_basicsize;
        /* only these kinds are PmVarObjects (ob_size); code counts 2 bytes per instruction */
        int k = tp->tp_kind;
        Pm_ssize_t items = k == PMT_INT || k == PMT_BOOL || k == PMT_TUPLE ? Pm_SIZE(o)
                         : k == PMT_CODE ? ((PmCode *)o)->co_ncode : 0;
        n += (items < 0 ? -items : items) * tp->tp_itemsize;
    }
    bool gc = PmType_HasFeature(tp, PM_TPFLAGS_HAVE_GC) &&
              !(PmType_Check(o) && !PmType_HasFeature((PmType *)o, PM_TPFLAGS_HEAPTYPE));
    if (gc) n += PM_MODEL_GC_HEAD;
    if (PmType_HasFeature(tp, PM_TPFLAGS_MANAGED_DICT)) n += PM_MODEL_MANAGED_PRE;
    return n;
}

static const char *shared_kind(PmVM *vm, PmObject *o)
{
    if (o == vm->none || o == vm->true_ || o == vm->false_ || o == vm->ellipsis ||
        o == vm->notimpl)
        return "singleton";
    if (o == vm->empty_str || o == vm->empty_tuple) return "empty";
    if (Pm_TYPE(o) == PMT(vm, INT) && Pm_SIZE(o) >= -1 && Pm_SIZE(o) <= 1) {
        int64_t v = Pm_SIZE(o) == 0 ? 0 : (int64_t)((PmLong *)o)->ob_digit[0] * Pm_SIZE(o);
        if (v >= -PM_NSMALLNEG && v < PM_NSMALLPOS && vm->small_ints[v + PM_NSMALLNEG] == o)
            return "small-int";
    }
    if (Pm_TYPE(o) == PMT(vm, STR)) {
        if (PmStr_GET_LENGTH(o) == 1 && ((PmStr *)o)->kind == 1 &&
            vm->latin1[PmStr_READ(o, 0)] == o)
            return "latin1-char";
        if (((PmStr *)o)->interned) return "interned";
    }
    return NULL;
}

static bool is_program_filename(PmVM *vm, PmObject *fn)
{
    if (vm->src_filename == NULL || fn == NULL || !PmStr_Check(fn)) return false;
    const char *s = vm->src_filename;
    size_t n = strlen(s);
    if (((PmStr *)fn)->ascii) {
        return (size_t)PmStr_GET_LENGTH(fn) == n && memcmp(PmStr_DATA(fn), s, n) == 0;
    }
    /* compare code point by code point with the UTF-8 name (no conversion needed) */
    size_t i = 0;
    for (Pm_ssize_t k = 0; k < PmStr_GET_LENGTH(fn); k++) {
        char tmp[4];
        size_t len = pm_str_utf8_encode_char(tmp, PmStr_READ(fn, k));
        if (i + len > n || memcmp(s + i, tmp, len) != 0) return false;
        i += len;
    }
    return i == n;
}

bool pm_trace_is_program_code(PmVM *vm, PmCode *co)
{
    return is_program_filename(vm, co->co_filename);
}

int pm_trace_current_line(PmVM *vm)
{
    for (PmFrame *f = vm->frame; f; f = f->previous)
        if (pm_trace_is_program_code(vm, f->f_code)) return pm_code_line(f->f_code, f->lasti);
    return 0;
}

/* ------------------------------------------------------------------ snapshot bookkeeping */

void pm_trace_snap_reset(PmTraceSnap *s)
{
    s->n = 0;
    pm_trace_map_clear(&s->index);
}

void pm_trace_snap_free(PmTraceSnap *s)
{
    free(s->v);
    pm_trace_map_free(&s->index);
    memset(s, 0, sizeof *s);
}

typedef struct Walker {
    PmTraceWalk *w;
    PmTraceBuf *out;
    bool first_ref;
    PmTraceMap infra;       /* the VM's own containers made during the run: module dicts,
                               gc.garbage, gc.callbacks, the module body's function */
} Walker;

static bool preexisting(const PmTraceWalk *w, PmObject *o)
{
    uint32_t v;
    return w->preexisting && pm_trace_map_get(w->preexisting, (uintptr_t)o, &v) && v == 1;
}

/* Add `o` to the snapshot unless it is there; false when the cap stopped it. */
static bool add(Walker *k, PmObject *o)
{
    PmTraceSnap *s = k->w->snap;
    uintptr_t id = (uintptr_t)o;
    if (pm_trace_map_get(&s->index, id, NULL)) return true;
    if (s->n >= k->w->max_objects) {
        k->w->truncated = true;
        return false;
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        PmTraceObj *v = realloc(s->v, cap * sizeof *v);
        if (v == NULL) {
            k->w->truncated = true;
            return false;
        }
        s->v = v;
        s->cap = cap;
    }
    if (pm_trace_map_put(&s->index, id, (uint32_t)s->n) < 0) {
        k->w->truncated = true;
        return false;
    }
    PmTraceObj *e = &s->v[s->n++];
    e->id = id;
    e->refcount = pm_trace_refcount(o);
    e->type = Pm_TYPE(o);
    snprintf(e->type_name, sizeof e->type_name, "%s", Pm_TYPE(o)->tp_name);
    e->died = PM_TRACE_ALIVE;
    return true;
}

/* A str object as a JSON string, complete (names are not cut). */
static void json_str_obj(PmTraceBuf *out, PmObject *s)
{
    if (s == NULL || !PmStr_Check(s)) {
        pm_trace_buf_puts(out, "\"?\"");
        return;
    }
    if (((PmStr *)s)->ascii) {
        pm_trace_buf_json_str(out, PmStr_DATA(s), (size_t)PmStr_GET_LENGTH(s));
        return;
    }
    size_t n = (size_t)PmStr_GET_LENGTH(s);
    char *tmp = malloc(n * 4 + 1);
    if (tmp == NULL) {
        out->failed = true;
        return;
    }
    size_t len = 0;
    for (size_t i = 0; i < n; i++) len += pm_str_utf8_encode_char(tmp + len, PmStr_READ(s, (Pm_ssize_t)i));
    pm_trace_buf_json_str(out, tmp, len);
    free(tmp);
}

/* ------------------------------------------------------------------ frames */

static bool is_dunder(PmObject *k)
{
    Pm_ssize_t n = PmStr_GET_LENGTH(k);
    return n >= 4 && PmStr_READ(k, 0) == '_' && PmStr_READ(k, 1) == '_' &&
           PmStr_READ(k, n - 1) == '_' && PmStr_READ(k, n - 2) == '_';
}

static void var(Walker *k, bool *first, PmObject *name, PmObject *value)
{
    pm_trace_buf_puts(k->out, *first ? "[" : ",[");
    *first = false;
    json_str_obj(k->out, name);
    pm_trace_buf_printf(k->out, ",%" PRIuPTR "]", (uintptr_t)value);
    add(k, value);
}

/* The variables of a namespace dict: module globals without dunders, a class body
 * without __module__/__qualname__. */
static void dict_vars(Walker *k, bool *first, PmObject *d, bool module)
{
    Pm_ssize_t pos = 0;
    PmObject *key, *value;
    while (PmDict_Next(d, &pos, &key, &value)) {
        if (!PmStr_Check(key)) continue;
        if (module ? is_dunder(key)
                   : (PmStr_EqualToASCII(key, "__module__") || PmStr_EqualToASCII(key, "__qualname__")))
            continue;
        var(k, first, key, value);
    }
}

static void frame_json(Walker *k, PmFrame *f)
{
    PmVM *vm = k->w->vm;
    PmCode *co = f->f_code;
    int line = f == k->w->top && k->w->top_pc >= 0 ? pm_code_line(co, k->w->top_pc)
                                                    : pm_code_line(co, f->lasti);
    pm_trace_buf_puts(k->out, "{\"name\":");
    json_str_obj(k->out, co->co_name);
    pm_trace_buf_printf(k->out, ",\"line\":%d,\"vars\":[", line);
    bool first = true;
    if (f->f_locals && PmDict_Check(f->f_locals)) {
        dict_vars(k, &first, f->f_locals, f->f_locals == f->f_globals);
    } else {
        for (int i = 0; i < co->co_nlocalsplus; i++)
            if (f->localsplus[i])
                var(k, &first, PmTuple_GET_ITEM(co->co_localsplusnames, i), f->localsplus[i]);
    }
    pm_trace_buf_puts(k->out, "]}");
    (void)vm;
}

static void frames_json(Walker *k)
{
    PmVM *vm = k->w->vm;
    PmFrame *top = k->w->top ? k->w->top : vm->frame;
    size_t n = 0;
    for (PmFrame *f = top; f; f = f->previous) n++;
    PmFrame **order = malloc((n ? n : 1) * sizeof *order);
    if (order == NULL) {
        k->out->failed = true;
        return;
    }
    size_t i = n;
    for (PmFrame *f = top; f; f = f->previous) order[--i] = f;
    pm_trace_buf_puts(k->out, "\"frames\":[");
    bool first = true;
    if (k->w->globals && PmDict_Check((PmObject *)k->w->globals)) {
        pm_trace_buf_printf(k->out, "{\"name\":\"<module>\",\"line\":%d,\"vars\":[",
                            k->w->end_line);
        bool fv = true;
        dict_vars(k, &fv, (PmObject *)k->w->globals, true);
        pm_trace_buf_puts(k->out, "]}");
        first = false;
    }
    for (i = 0; i < n; i++) {
        if (!first) pm_trace_buf_puts(k->out, ",");
        first = false;
        frame_json(k, order[i]);
    }
    pm_trace_buf_puts(k->out, "]");
    /* the evaluation stacks are roots too (a for loop's iterator, a call's arguments) */
    for (i = 0; i < n; i++) {
        PmFrame *f = order[i];
        int base = f->f_code->co_nlocalsplus;
        for (int j = 0; j < f->stacktop; j++)
            if (f->localsplus[base + j]) add(k, f->localsplus[base + j]);
    }
    free(order);
}

/* ------------------------------------------------------------------ references */

static void ref(Walker *k, const char *label, PmObject *target)
{
    if (target == NULL) return;
    pm_trace_buf_puts(k->out, k->first_ref ? "[[" : ",[");
    k->first_ref = false;
    pm_trace_buf_json_str(k->out, label, strlen(label));
    pm_trace_buf_printf(k->out, ",%" PRIuPTR "]", (uintptr_t)target);
    add(k, target);
}

static void ref_index(Walker *k, const char *fmt, Pm_ssize_t i, PmObject *target)
{
    char label[48];
    snprintf(label, sizeof label, fmt, (long long)i);
    ref(k, label, target);
}

static void ref_attr(Walker *k, PmObject *name, PmObject *target)
{
    PmTraceRepr r;
    memset(&r, 0, sizeof r);
    r.max = PM_TRACE_REPR_CHARS;
    r.buf[r.len++] = '.';
    r.chars = 1;
    if (PmStr_Check(name)) pm_trace_repr_str_body(name, &r);
    r.buf[r.len] = 0;
    ref(k, r.buf, target);
}

static void items_refs(Walker *k, PmObject *const *items, Pm_ssize_t n, const char *fmt)
{
    for (Pm_ssize_t i = 0; i < n; i++) ref_index(k, fmt, i, items[i]);
}

static void dict_refs(Walker *k, PmObject *d)
{
    Pm_ssize_t pos = 0;
    PmObject *key, *value;
    while (PmDict_Next(d, &pos, &key, &value)) {
        ref(k, "key→", key);
        PmTraceRepr r;
        pm_trace_repr(k->w->vm, key, &r, 40);
        char label[PM_TRACE_REPR_BYTES + 4];
        snprintf(label, sizeof label, "[%s]", r.buf);
        ref(k, label, value);
    }
}

/* Name of __slots__ member i of `tp` (a member descriptor somewhere on its MRO). */
static PmObject *slot_name(PmType *tp, Pm_ssize_t i)
{
    PmObject *mro = tp->tp_mro;
    for (Pm_ssize_t m = 0; mro && PmTuple_Check(mro) && m < Pm_SIZE(mro); m++) {
        PmType *t = (PmType *)PmTuple_GET_ITEM(mro, m);
        if (t->tp_dict == NULL) continue;
        Pm_ssize_t pos = 0;
        PmObject *key, *value;
        while (PmDict_Next(t->tp_dict, &pos, &key, &value))
            if (Pm_KIND(value) == PMT_MEMBER_DESCR && ((PmDescr *)value)->u.d_member_index == i)
                return key;
    }
    return NULL;
}

static void instance_refs(Walker *k, PmObject *o)
{
    PmType *tp = Pm_TYPE(o);
    PmObject **slots = PmInstance_SLOTS(o);
    for (Pm_ssize_t i = 0; i < tp->ht_nslots; i++) {
        if (slots[i] == NULL) continue;
        PmObject *name = slot_name(tp, i);
        if (name) ref_attr(k, name, slots[i]);
        else ref_index(k, "slot[%lld]", i, slots[i]);
    }
    PmInstanceExtra *x = PmInstance_EXTRA(o);
    if (x->values)
        for (Pm_ssize_t i = 0; i < x->values->n; i++)
            if (x->values->vals[i]) ref_attr(k, x->values->keys[i], x->values->vals[i]);
    ref(k, "__dict__", x->dict);
}

typedef struct Collect {
    PmObject **v;
    size_t n, cap;
} Collect;

static int collect_visit(PmVM *vm, PmObject *o, void *arg)
{
    (void)vm;
    Collect *c = arg;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        PmObject **v = realloc(c->v, cap * sizeof *v);
        if (v == NULL) return 1;
        c->v = v;
        c->cap = cap;
    }
    c->v[c->n++] = o;
    return 0;
}

static void traverse_refs(Walker *k, PmObject *o)
{
    PmType *tp = Pm_TYPE(o);
    if (tp->tp_traverse == NULL || !pm_gc_is_gc(o)) return;
    Collect c = {0};
    tp->tp_traverse(k->w->vm, o, collect_visit, &c);
    for (size_t i = 0; i < c.n; i++) ref(k, "ref", c.v[i]);
    free(c.v);
}

static void function_refs(Walker *k, PmFunction *f)
{
    ref(k, "__code__", f->func_code);
    ref(k, "__globals__", f->func_globals);
    ref(k, "__builtins__", f->func_builtins);
    ref(k, "__module__", f->func_module);
    if (f->func_defaults && PmTuple_Check(f->func_defaults))
        items_refs(k, ((PmTuple *)f->func_defaults)->ob_item, Pm_SIZE(f->func_defaults),
                   "default[%lld]");
    else ref(k, "__defaults__", f->func_defaults);
    ref(k, "__kwdefaults__", f->func_kwdefaults);
    ref(k, "__doc__", f->func_doc);
    ref(k, "__name__", f->func_name);
    ref(k, "__dict__", f->func_dict);
    if (f->func_closure && PmTuple_Check(f->func_closure))
        items_refs(k, ((PmTuple *)f->func_closure)->ob_item, Pm_SIZE(f->func_closure),
                   "closure[%lld]");
    else ref(k, "__closure__", f->func_closure);
    ref(k, "__annotations__", f->func_annotations);
    ref(k, "__qualname__", f->func_qualname);
}

static void generator_refs(Walker *k, PmGen *g)
{
    ref(k, "__name__", g->gi_name);
    ref(k, "__qualname__", g->gi_qualname);
    ref(k, "exc_state", g->gi_exc_state);
    PmFrame *f = g->gi_frame;
    if (f == NULL) return;
    ref(k, "gi_frame.f_func", f->f_func);
    ref(k, "gi_frame", f->frame_obj);
    PmCode *co = f->f_code;
    for (int i = 0; i < co->co_nlocalsplus; i++)
        if (f->localsplus[i]) ref_attr(k, PmTuple_GET_ITEM(co->co_localsplusnames, i), f->localsplus[i]);
    for (int j = 0; j < f->stacktop; j++) ref(k, "stack", f->localsplus[co->co_nlocalsplus + j]);
}

static void exception_refs(Walker *k, PmBaseException *e)
{
    ref(k, "__dict__", e->dict);
    ref(k, "args", e->args);
    ref(k, "__notes__", e->notes);
    ref(k, "__traceback__", e->traceback);
    ref(k, "__context__", e->context);
    ref(k, "__cause__", e->cause);
    for (int i = 0; i < PM_EXC_NFIELDS; i++) ref_index(k, "field[%lld]", i, e->fields[i]);
}

/* The references of the builtin part of `o` (its kind's struct). */
static void kind_refs(Walker *k, PmObject *o)
{
    PmVM *vm = k->w->vm;
    switch (Pm_KIND(o)) {
    case PMT_TUPLE:
        items_refs(k, ((PmTuple *)o)->ob_item, Pm_SIZE(o), "[%lld]");
        return;
    case PMT_LIST:
        items_refs(k, ((PmList *)o)->ob_item, Pm_SIZE(o), "[%lld]");
        return;
    case PMT_DICT:
        dict_refs(k, o);
        return;
    case PMT_SET: case PMT_FROZENSET: {
        Pm_ssize_t pos = 0;
        PmObject *key;
        Pm_hash_t h;
        while (PmSet_Next(o, &pos, &key, &h)) ref(k, "item", key);
        return;
    }
    case PMT_FUNCTION:
        function_refs(k, (PmFunction *)o);
        return;
    case PMT_CELL:
        ref(k, "cell", ((PmCell *)o)->ob_ref);
        return;
    case PMT_METHOD:
        ref(k, "__func__", ((PmMethod *)o)->im_func);
        ref(k, "__self__", ((PmMethod *)o)->im_self);
        return;
    case PMT_WEAKREF: case PMT_WEAKPROXY: case PMT_WEAKCALLABLEPROXY:
        ref(k, "weak", ((PmWeakRef *)o)->wr_object);
        ref(k, "__callback__", ((PmWeakRef *)o)->wr_callback);
        return;
    case PMT_TYPE: {
        PmType *tp = (PmType *)o;
        if (!PmType_HasFeature(tp, PM_TPFLAGS_HEAPTYPE)) return;
        ref(k, "__dict__", tp->tp_dict);
        ref(k, "__mro__", tp->tp_mro);
        ref(k, "__bases__", tp->tp_bases);
        ref(k, "__base__", (PmObject *)tp->tp_base);
        ref(k, "__name__", tp->ht_name);
        ref(k, "__qualname__", tp->ht_qualname);
        ref(k, "__slots__", tp->ht_slots);
        return;
    }
    case PMT_GENERATOR:
        generator_refs(k, (PmGen *)o);
        return;
    case PMT_BASE_EXCEPTION:
        exception_refs(k, (PmBaseException *)o);
        return;
    case PMT_RANGE: {
        PmRange *r = (PmRange *)o;
        ref(k, "start", r->start);
        ref(k, "stop", r->stop);
        ref(k, "step", r->step);
        ref(k, "len", r->length);
        return;
    }
    case PMT_SLICE: {
        PmSlice *s = (PmSlice *)o;
        ref(k, "start", s->start);
        ref(k, "stop", s->stop);
        ref(k, "step", s->step);
        return;
    }
    case PMT_PROPERTY: {
        PmProperty *p = (PmProperty *)o;
        ref(k, "fget", p->prop_get);
        ref(k, "fset", p->prop_set);
        ref(k, "fdel", p->prop_del);
        ref(k, "__doc__", p->prop_doc);
        ref(k, "__name__", p->prop_name);
        return;
    }
    case PMT_STATICMETHOD: case PMT_CLASSMETHOD:
        ref(k, "__func__", ((PmStaticOrClassMethod *)o)->sm_callable);
        ref(k, "__dict__", ((PmStaticOrClassMethod *)o)->sm_dict);
        return;
    default:
        traverse_refs(k, o);
        (void)vm;
        return;
    }
}

static void object_refs(Walker *k, PmObject *o)
{
    PmType *tp = Pm_TYPE(o);
    bool instance = PmType_HasFeature(tp, PM_TPFLAGS_HEAPTYPE) && tp->ht_extra_offset;
    if (instance) instance_refs(k, o);
    if (!(instance && Pm_KIND(o) == PMT_INSTANCE)) kind_refs(k, o);
    if (PmType_HasFeature(tp, PM_TPFLAGS_HEAPTYPE)) ref(k, "__class__", (PmObject *)tp);
}

/* Shown, not expanded (see the comment at the top). */
static bool is_leaf(Walker *k, PmObject *o)
{
    PmTraceWalk *w = k->w;
    PmVM *vm = w->vm;
    switch (Pm_KIND(o)) {
    case PMT_MODULE: case PMT_CODE: case PMT_CFUNCTION: case PMT_TEXTIO:
    case PMT_METHOD_DESCR: case PMT_CLASSMETHOD_DESCR: case PMT_GETSET_DESCR:
    case PMT_MEMBER_DESCR: case PMT_WRAPPER_DESCR:
        return true;
    case PMT_TYPE:
        if (!PmType_HasFeature((PmType *)o, PM_TPFLAGS_HEAPTYPE)) return true;
        break;
    default:
        break;
    }
    if (o == vm->builtins || o == vm->modules || o == vm->sysdict || o == vm->interned)
        return true;
    if (pm_trace_map_get(&k->infra, (uintptr_t)o, NULL)) return true;
    if (preexisting(w, o) && Pm_KIND(o) != PMT_TUPLE && Pm_KIND(o) != PMT_FROZENSET)
        return true;
    return false;
}

/* ------------------------------------------------------------------ objects */

static void object_json(Walker *k, PmObject *o)
{
    PmVM *vm = k->w->vm;
    PmTraceBuf *out = k->out;
    PmTraceRepr r;
    pm_trace_repr(vm, o, &r, PM_TRACE_REPR_CHARS);
    pm_trace_buf_printf(out, "\"%" PRIuPTR "\":{\"type\":", (uintptr_t)o);
    PmType *tp = Pm_TYPE(o);
    if (PmType_HasFeature(tp, PM_TPFLAGS_HEAPTYPE) && tp->ht_name && PmStr_Check(tp->ht_name))
        json_str_obj(out, tp->ht_name);
    else
        pm_trace_buf_json_str(out, tp->tp_name, strlen(tp->tp_name));
    pm_trace_buf_puts(out, ",\"repr\":");
    pm_trace_buf_json_str(out, r.buf, r.len);
    bool tracked = pm_gc_is_gc(o) && pm_gc_is_tracked(o);
    pm_trace_buf_printf(out, ",\"refcount\":%lld,\"size\":%lld,\"gen\":",
                        (long long)pm_trace_refcount(o), (long long)model_size(vm, o));
    if (tracked) {
        int gen = Pm_AS_GC(o)->gen;
        pm_trace_buf_printf(out, "%d", gen > 2 ? 2 : gen);
    } else {
        pm_trace_buf_puts(out, "null");
    }
    pm_trace_buf_printf(out, ",\"tracked\":%s,\"shared\":", tracked ? "true" : "false");
    const char *sh = shared_kind(vm, o);
    if (sh) pm_trace_buf_printf(out, "\"%s\"", sh);
    else pm_trace_buf_puts(out, "null");
    pm_trace_buf_puts(out, ",\"refs\":");
    k->first_ref = true;
    if (!is_leaf(k, o)) object_refs(k, o);
    pm_trace_buf_puts(out, k->first_ref ? "[]" : "]");
    pm_trace_buf_printf(out, ",\"weak\":%s}", PmWeakref_Check(o) ? "true" : "false");
}

/* Containers the VM makes for itself while the program runs (importing a builtin module
 * makes its dict; the gc module its lists; pm_eval_code a function around the module's
 * code): shown when referenced, never expanded, never roots. */
static void infra_set(Walker *k)
{
    PmVM *vm = k->w->vm;
    if (vm->modules && PmDict_Check(vm->modules)) {
        Pm_ssize_t pos = 0;
        PmObject *key, *m;
        while (PmDict_Next(vm->modules, &pos, &key, &m))
            if (Pm_KIND(m) == PMT_MODULE && ((PmModule *)m)->md_dict)
                pm_trace_map_put(&k->infra, (uintptr_t)((PmModule *)m)->md_dict, 1);
    }
    if (vm->gc.garbage) pm_trace_map_put(&k->infra, (uintptr_t)vm->gc.garbage, 1);
    if (vm->gc.callbacks) pm_trace_map_put(&k->infra, (uintptr_t)vm->gc.callbacks, 1);
    for (PmFrame *f = k->w->top ? k->w->top : vm->frame; f; f = f->previous)
        if (f->previous == NULL && f->f_locals && f->f_locals == f->f_globals)
            pm_trace_map_put(&k->infra, (uintptr_t)f->f_func, 1);
}

void pm_trace_snapshot_write(PmTraceWalk *w, PmTraceBuf *out)
{
    PmVM *vm = w->vm;
    Walker k = {w, out, true, {0}};
    pm_trace_snap_reset(w->snap);
    w->truncated = false;
    frames_json(&k);
    infra_set(&k);
    if (w->preexisting) {
        for (int g = 0; g < PM_GC_NUM_GENERATIONS; g++) {
            PmGCHead *head = &vm->gc.gen[g].head;
            for (PmGCHead *h = head->gc_next; h != head; h = h->gc_next) {
                PmObject *o = Pm_FROM_GC(h);
                int kind = Pm_KIND(o);
                if (preexisting(w, o) || kind == PMT_MODULE || kind == PMT_CFUNCTION ||
                    pm_trace_map_get(&k.infra, (uintptr_t)o, NULL))
                    continue;
                add(&k, o);
            }
        }
    }
    pm_trace_buf_puts(out, ",\"objects\":{");
    for (size_t i = 0; i < w->snap->n; i++) {
        if (i) pm_trace_buf_puts(out, ",");
        object_json(&k, (PmObject *)w->snap->v[i].id);
    }
    pm_trace_buf_printf(out, "},\"objectsTruncated\":%s", w->truncated ? "true" : "false");
    pm_trace_map_free(&k.infra);
}
