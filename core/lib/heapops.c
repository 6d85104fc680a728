/*
 * heapops.c -- heap operations by hand: the "C extension author" lesson's API
 * (pml_heap_* in pymemlab.h).
 *
 * The host plays C code that holds PyObject * variables.  Each object it creates gets a
 * *handle*: a small positive number, never reused, that names the object for as long as the
 * lab lives.  Next to the object the handle records how many references *the host owns*:
 *
 *     new      owned = 1                 (a new reference, like PyList_New)
 *     incref   owned += 1                (Py_INCREF)
 *     decref   owned -= 1, needs owned>0 (Py_DECREF; may free the object)
 *     link     the container takes its own reference (PyList_Append, PyDict_SetItem);
 *              with PML_HEAP_STEAL it takes the host's instead (PyList_SetItem): owned -= 1
 *     unlink   the container drops its reference (may free the item)
 *
 * Misuse is refused before it can corrupt anything, with an error code and a message:
 * decref of a reference the host does not own (in C: an over-decref, the object is freed
 * while a container still points to it), any use of a handle whose object has been freed
 * (in C: a use after free), an unknown handle, a wrong kind of object.  Since the core only
 * ever drops references the host demonstrably owns, no sequence of calls can free an object
 * that something still refers to.
 *
 * Invariant (heap_check verifies it after every call in PML_DEBUG builds): an entry is
 * ALIVE iff its object has not been deallocated; then obj != NULL, ob_refcnt >= owned >= 0,
 * and a non-static object is in `index` under its address.  A FREED_* entry has
 * obj == NULL and owned == 0.  pm_dealloc calls pm_heapops_forget for every object whose
 * refcount reaches zero, which moves its entry from ALIVE to FREED_REFCOUNT (or FREED_GC
 * during a collection).  Static objects (small ints, latin-1 characters, "") never die.
 */
#include "pm.h"
#include "lang/ast.h"

enum { HEAP_MAX_HANDLES = 1 << 16, HEAP_REPR_MAX = 60 };
enum { ALIVE = 0, FREED_REFCOUNT = 1, FREED_GC = 2 };

typedef struct HeapEntry {
    PmObject *obj;          /* NULL once freed */
    Pm_ssize_t owned;       /* references the host owns */
    uintptr_t id;           /* id() of the object, kept for messages after it is freed */
    char type[8];           /* "int", "str", "list", "dict" */
    uint8_t state;          /* ALIVE, FREED_REFCOUNT, FREED_GC */
} HeapEntry;

struct PmHeapOps {
    HeapEntry *entries;     /* handle h is entries[h - 1] */
    int count, cap;
    /* open addressing (linear probing) from a non-static live object's address to its
     * handle; 0 is an empty slot */
    int *index;
    size_t index_cap;       /* a power of two, or 0 */
    size_t index_used;
    char error[320];        /* the message of the last failed call, "" after a success */
    pmast_buf json;         /* pml_heap_json's result */
};

/* ------------------------------------------------------------------ address index */

static size_t slot_of(const PmHeapOps *h, const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (size_t)x & (h->index_cap - 1);
}

static int index_find(const PmHeapOps *h, const PmObject *o)
{
    if (h->index_cap == 0) return 0;
    for (size_t i = slot_of(h, o);; i = (i + 1) & (h->index_cap - 1)) {
        int hd = h->index[i];
        if (hd == 0) return 0;
        if (h->entries[hd - 1].obj == o) return hd;
    }
}

static int index_grow(PmHeapOps *h)
{
    size_t cap = h->index_cap ? h->index_cap * 2 : 64;
    int *idx = calloc(cap, sizeof(int));
    if (idx == NULL) return -1;
    int *old = h->index;
    size_t oldcap = h->index_cap;
    h->index = idx;
    h->index_cap = cap;
    for (size_t i = 0; i < oldcap; i++) {
        int hd = old[i];
        if (hd == 0) continue;
        size_t j = slot_of(h, h->entries[hd - 1].obj);
        while (idx[j]) j = (j + 1) & (cap - 1);
        idx[j] = hd;
    }
    free(old);
    return 0;
}

static int index_add(PmHeapOps *h, int hd)
{
    if ((h->index_used + 1) * 2 > h->index_cap && index_grow(h) < 0) return -1;
    size_t i = slot_of(h, h->entries[hd - 1].obj);
    while (h->index[i]) i = (i + 1) & (h->index_cap - 1);
    h->index[i] = hd;
    h->index_used++;
    return 0;
}

/* Knuth's deletion for linear probing (Algorithm R): move later members of the cluster
 * back into the hole unless their home slot lies cyclically in (hole, member]. */
static void index_remove(PmHeapOps *h, const PmObject *o)
{
    if (h->index_cap == 0) return;
    size_t mask = h->index_cap - 1, i = slot_of(h, o);
    while (h->index[i] && h->entries[h->index[i] - 1].obj != o) i = (i + 1) & mask;
    if (h->index[i] == 0) return;
    h->index[i] = 0;
    h->index_used--;
    for (size_t j = (i + 1) & mask; h->index[j]; j = (j + 1) & mask) {
        size_t home = slot_of(h, h->entries[h->index[j] - 1].obj);
        bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (!stays) {
            h->index[i] = h->index[j];
            h->index[j] = 0;
            i = j;
        }
    }
}

/* ------------------------------------------------------------------ the table */

#ifdef PML_DEBUG
static void heap_check(PmHeapOps *h)
{
    if (h == NULL) return;
    for (int i = 0; i < h->count; i++) {
        HeapEntry *e = &h->entries[i];
        if (e->state == ALIVE) {
            if (e->obj == NULL || e->owned < 0 || Pm_REFCNT(e->obj) < e->owned) abort();
            if (!pm_is_static(e->obj) && index_find(h, e->obj) != i + 1) abort();
        } else if (e->obj != NULL || e->owned != 0) {
            abort();
        }
    }
}
#else
#define heap_check(h) ((void)0)
#endif

static PmHeapOps *table(PmVM *vm)
{
    if (vm->heapops == NULL) vm->heapops = calloc(1, sizeof(PmHeapOps));
    return vm->heapops;
}

static int fail(PmVM *vm, int code, const char *fmt, ...) PM_PRINTF(3, 4);
static int fail(PmVM *vm, int code, const char *fmt, ...)
{
    PmHeapOps *h = table(vm);
    if (h) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(h->error, sizeof h->error, fmt, ap);
        va_end(ap);
    }
    return code;
}

static int ok(PmVM *vm, int result)
{
    if (vm->heapops) vm->heapops->error[0] = 0;
    heap_check(vm->heapops);
    return result;
}

/* A Python exception raised inside the core (MemoryError, TypeError: unhashable type, ...)
 * as an error: "link: TypeError: unhashable type: 'list'". */
static int fail_with_exception(PmVM *vm, const char *what)
{
    PmObject *exc = PmErr_Fetch(vm);
    bool nomem = exc && PmType_IsSubtype(Pm_TYPE(exc), PME(vm, MemoryError));
    PmObject *line = exc ? pm_format_exception_only(vm, exc) : NULL;
    Pm_ssize_t n = 0;
    const char *text = line && PmStr_Check(line) ? PmStr_AsUTF8(vm, line, &n) : NULL;
    int r = fail(vm, nomem ? PML_HEAP_ENOMEM : PML_HEAP_EVALUE, "%s: %.*s", what,
                 text ? (int)n : 16, text ? text : "the core failed");
    Pm_XDECREF(vm, line);
    Pm_XDECREF(vm, exc);
    PmErr_Clear(vm);
    return r;
}

static bool busy(PmVM *vm)
{
    return vm->frame != NULL || vm->gc.collecting;
}

static const char *article(const char *type)
{
    return type[0] == 'i' ? "an" : "a";       /* an int; a str, a list, a dict */
}

static const char *cause_text(uint8_t state)
{
    return state == FREED_GC ? "by the garbage collector" : "when its reference count reached 0";
}

/* A handle's ALIVE entry, or NULL with *err set (busy lab, unknown handle, use after free). */
static HeapEntry *lookup(PmVM *vm, int hd, const char *op, int *err)
{
    PmHeapOps *h = vm->heapops;
    if (busy(vm)) {
        *err = fail(vm, PML_HEAP_EBUSY, "%s: the lab is running a program", op);
        return NULL;
    }
    if (h == NULL || hd <= 0 || hd > h->count) {
        *err = fail(vm, PML_HEAP_EUNKNOWN, "%s: there is no object with handle %d", op, hd);
        return NULL;
    }
    HeapEntry *e = &h->entries[hd - 1];
    if (e->state != ALIVE) {
        *err = fail(vm, PML_HEAP_EFREED,
                    "%s: use after free: handle %d was %s %s (id %llu) that was freed %s; in C "
                    "this pointer now dangles and using it reads memory that may already "
                    "belong to another object", op, hd, article(e->type), e->type, (unsigned long long)e->id,
                    cause_text(e->state));
        return NULL;
    }
    return e;
}

void pm_heapops_forget(PmVM *vm, PmObject *o)
{
    PmHeapOps *h = vm->heapops;
    if (h->index_used == 0) return;
    int hd = index_find(h, o);
    if (hd == 0) return;
    index_remove(h, o);
    HeapEntry *e = &h->entries[hd - 1];
    e->obj = NULL;
    e->owned = 0;
    e->state = vm->gc.collecting ? FREED_GC : FREED_REFCOUNT;
}

void pm_heapops_free(PmVM *vm)
{
    PmHeapOps *h = vm->heapops;
    if (h == NULL) return;
    vm->heapops = NULL;
    free(h->entries);
    free(h->index);
    pmast_buf_free(&h->json);
    free(h);
}

/* ------------------------------------------------------------------ operations */

static PmObject *make(PmVM *vm, const char *kind, const char *value, size_t len)
{
    if (strcmp(kind, "list") == 0) return PmList_New(vm, 0);
    if (strcmp(kind, "dict") == 0) return PmDict_New(vm);
    if (strcmp(kind, "str") == 0) return PmStr_FromUTF8(vm, value ? value : "", value ? len : 0);
    /* int: a literal as int(text) takes it; small ints come from the cache */
    return PmLong_FromString(vm, value ? value : "0", value ? len : 1, 10);
}

int pml_heap_new(pml_vm *lab, const char *kind, const char *value, size_t len)
{
    PmVM *vm = (PmVM *)lab;
    PmHeapOps *h = table(vm);
    if (h == NULL) return PML_HEAP_ENOMEM;
    if (busy(vm)) return fail(vm, PML_HEAP_EBUSY, "new: the lab is running a program");
    if (kind == NULL || (strcmp(kind, "int") && strcmp(kind, "str") && strcmp(kind, "list") &&
                         strcmp(kind, "dict")))
        return fail(vm, PML_HEAP_EKIND, "new: unknown kind '%.20s' (int, str, list or dict)",
                    kind ? kind : "");
    if (h->count >= HEAP_MAX_HANDLES)
        return fail(vm, PML_HEAP_ELIMIT, "new: too many handles (%d)", HEAP_MAX_HANDLES);
    if (h->count == h->cap) {
        int cap = h->cap ? h->cap * 2 : 16;
        HeapEntry *n = realloc(h->entries, sizeof(HeapEntry) * (size_t)cap);
        if (n == NULL) return fail(vm, PML_HEAP_ENOMEM, "new: out of host memory");
        h->entries = n;
        h->cap = cap;
    }
    PmObject *o = make(vm, kind, value, len);
    if (o == NULL) return fail_with_exception(vm, "new");
    HeapEntry *e = &h->entries[h->count];
    memset(e, 0, sizeof *e);
    e->obj = o;
    e->owned = 1;
    e->id = (uintptr_t)o;
    snprintf(e->type, sizeof e->type, "%s", kind);
    e->state = ALIVE;
    int hd = ++h->count;
    if (!pm_is_static(o) && index_add(h, hd) < 0) {
        h->count--;
        Pm_DECREF(vm, o);
        return fail(vm, PML_HEAP_ENOMEM, "new: out of host memory");
    }
    return ok(vm, hd);
}

static int refcount_result(PmObject *o)
{
    Pm_ssize_t n = Pm_REFCNT(o);
    return n > 0x7fffffff ? 0x7fffffff : (int)n;
}

int pml_heap_incref(pml_vm *lab, int hd)
{
    PmVM *vm = (PmVM *)lab;
    int err;
    HeapEntry *e = lookup(vm, hd, "incref", &err);
    if (e == NULL) return err;
    Pm_INCREF(e->obj);
    e->owned++;
    return ok(vm, refcount_result(e->obj));
}

int pml_heap_decref(pml_vm *lab, int hd)
{
    PmVM *vm = (PmVM *)lab;
    int err;
    HeapEntry *e = lookup(vm, hd, "decref", &err);
    if (e == NULL) return err;
    if (e->owned == 0)
        return fail(vm, PML_HEAP_ENOTOWNED,
                    "decref: your code owns no reference to handle %d (%s %s with refcount "
                    "%lld, all held by other objects); in C this decref would free it while "
                    "they still point to it, and their next use would be a use after free",
                    hd, article(e->type), e->type, (long long)Pm_REFCNT(e->obj));
    PmObject *o = e->obj;
    e->owned--;
    bool last = Pm_REFCNT(o) == 1;
    Pm_DECREF(vm, o);             /* may free o: pm_heapops_forget updates the entry */
    PmErr_Clear(vm);
    return ok(vm, last ? 0 : refcount_result(o));
}

int pml_heap_link(pml_vm *lab, int container, int item, int key, int flags)
{
    PmVM *vm = (PmVM *)lab;
    int err;
    HeapEntry *c = lookup(vm, container, "link", &err);
    if (c == NULL) return err;
    HeapEntry *it = lookup(vm, item, "link", &err);
    if (it == NULL) return err;
    /* entries move only in pml_heap_new, so c and it stay valid below */
    PmObject *co = c->obj, *io = it->obj;
    if (Pm_TYPE(co) != PMT(vm, LIST) && Pm_TYPE(co) != PMT(vm, DICT))
        return fail(vm, PML_HEAP_EKIND, "link: handle %d is %s %s, not a list or dict",
                    container, article(c->type), c->type);
    if ((flags & PML_HEAP_STEAL) && it->owned == 0)
        return fail(vm, PML_HEAP_ENOTOWNED,
                    "link: the container would steal your reference to handle %d, but your "
                    "code owns none", item);
    int r;
    if (Pm_TYPE(co) == PMT(vm, LIST)) {
        if (key != 0)
            return fail(vm, PML_HEAP_EVALUE, "link: a list takes no key (link appends)");
        r = PmList_Append(vm, co, io);
    } else {
        HeapEntry *k = lookup(vm, key, "link (key)", &err);
        if (k == NULL) return err;
        r = PmDict_SetItem(vm, co, k->obj, io);
    }
    if (r < 0) return fail_with_exception(vm, "link");
    if (flags & PML_HEAP_STEAL) {
        /* the container now holds the reference the host gave away; io stays alive */
        it->owned--;
        Pm_DECREF(vm, io);
    }
    return ok(vm, 0);
}

int pml_heap_unlink(pml_vm *lab, int container, int item)
{
    PmVM *vm = (PmVM *)lab;
    int err;
    HeapEntry *c = lookup(vm, container, "unlink", &err);
    if (c == NULL) return err;
    HeapEntry *it = lookup(vm, item, "unlink", &err);
    if (it == NULL) return err;
    PmObject *co = c->obj, *io = it->obj;
    int r;
    if (Pm_TYPE(co) == PMT(vm, LIST)) {
        Pm_ssize_t i, n = Pm_SIZE(co);
        for (i = 0; i < n && PmList_GET_ITEM(co, i) != io; i++) {}
        if (i == n)
            return fail(vm, PML_HEAP_EVALUE, "unlink: handle %d is not in list %d", item,
                        container);
        r = PmList_SetSlice(vm, co, i, i + 1, NULL);
    } else if (Pm_TYPE(co) == PMT(vm, DICT)) {
        r = PmDict_DelItem(vm, co, io);
    } else {
        return fail(vm, PML_HEAP_EKIND, "unlink: handle %d is %s %s, not a list or dict",
                    container, article(c->type), c->type);
    }
    if (r < 0) return fail_with_exception(vm, "unlink");
    PmErr_Clear(vm);
    return ok(vm, 0);
}

int pml_heap_collect(pml_vm *lab)
{
    PmVM *vm = (PmVM *)lab;
    if (table(vm) == NULL) return PML_HEAP_ENOMEM;
    if (busy(vm)) return fail(vm, PML_HEAP_EBUSY, "collect: the lab is running a program");
    Pm_ssize_t n = pm_gc_collect(vm, 2);
    PmErr_Clear(vm);
    return ok(vm, n < 0 ? 0 : n > 0x7fffffff ? 0x7fffffff : (int)n);
}

int pml_heap_refcount(pml_vm *lab, int hd)
{
    PmVM *vm = (PmVM *)lab;
    int err;
    HeapEntry *e = lookup(vm, hd, "refcount", &err);
    if (e == NULL) return err;
    return ok(vm, refcount_result(e->obj));
}

int pml_heap_alive(pml_vm *lab, int hd)
{
    PmVM *vm = (PmVM *)lab;
    PmHeapOps *h = table(vm);
    if (h == NULL) return PML_HEAP_ENOMEM;
    if (hd <= 0 || hd > h->count)
        return fail(vm, PML_HEAP_EUNKNOWN, "alive: there is no object with handle %d", hd);
    return ok(vm, h->entries[hd - 1].state == ALIVE);
}

int pml_heap_release_all(pml_vm *lab)
{
    PmVM *vm = (PmVM *)lab;
    PmHeapOps *h = vm->heapops;
    if (h == NULL) return 0;
    if (busy(vm)) return fail(vm, PML_HEAP_EBUSY, "release: the lab is running a program");
    long long released = 0;
    /* Each decref drops a reference the host owns, so an object outlives its own entry's
     * loop even when an earlier release freed a container that held it. */
    for (int i = 0; i < h->count; i++) {
        HeapEntry *e = &h->entries[i];
        while (e->state == ALIVE && e->owned > 0) {
            e->owned--;
            released++;
            Pm_DECREF(vm, e->obj);
            PmErr_Clear(vm);
        }
    }
    return ok(vm, released > 0x7fffffff ? 0x7fffffff : (int)released);
}

const char *pml_heap_error(pml_vm *lab)
{
    PmVM *vm = (PmVM *)lab;
    return vm->heapops ? vm->heapops->error : "";
}

/* ------------------------------------------------------------------ JSON */

static void put_json_string(pmast_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    pmast_buf_puts(b, "\"");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            char esc[2] = { '\\', (char)c };
            pmast_buf_put(b, esc, 2);
        } else if (c < 0x20 || c == 0x7f) {
            char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
            pmast_buf_put(b, esc, 6);
        } else {
            pmast_buf_put(b, &s[i], 1);
        }
    }
    pmast_buf_puts(b, "\"");
}

static void put_fmt(pmast_buf *b, const char *fmt, ...) PM_PRINTF(2, 3);
static void put_fmt(pmast_buf *b, const char *fmt, ...)
{
    char tmp[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0) pmast_buf_put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* UTF-8 text cut to at most HEAP_REPR_MAX code points, ending with "…" when cut. */
static void put_short(pmast_buf *b, const char *s, size_t n)
{
    size_t i = 0, prev = 0;
    int cps = 0;
    while (i < n && cps < HEAP_REPR_MAX) {
        prev = i;
        i++;
        while (i < n && ((unsigned char)s[i] & 0xc0) == 0x80) i++;
        cps++;
    }
    if (i >= n) {
        put_json_string(b, s, n);
        return;
    }
    /* keep HEAP_REPR_MAX - 1 code points and the ellipsis */
    pmast_buf cut = {0};
    pmast_buf_put(&cut, s, prev);
    pmast_buf_puts(&cut, "\xe2\x80\xa6");
    if (cut.oom) b->oom = 1;
    else put_json_string(b, cut.data, cut.len);
    pmast_buf_free(&cut);
}

static void put_repr(PmVM *vm, pmast_buf *b, PmObject *o)
{
    PmObject *r = PmObject_Repr(vm, o);
    Pm_ssize_t n = 0;
    const char *s = r && PmStr_Check(r) ? PmStr_AsUTF8(vm, r, &n) : NULL;
    if (s) put_short(b, s, (size_t)n);
    else pmast_buf_puts(b, "\"<repr failed>\"");
    Pm_XDECREF(vm, r);
    PmErr_Clear(vm);
}

static void put_ref(PmHeapOps *h, pmast_buf *b, const char *label, PmObject *target,
                    bool *first)
{
    if (!*first) pmast_buf_puts(b, ",");
    *first = false;
    pmast_buf_puts(b, "[");
    put_json_string(b, label, strlen(label));
    int hd = index_find(h, target);
    if (hd) put_fmt(b, ",%d,", hd);
    else pmast_buf_puts(b, ",null,");
    put_fmt(b, "%llu]", (unsigned long long)(uintptr_t)target);
}

/* Labels as in core/trace/SNAPSHOT.md: "[i]" list items, "key→" dict keys, "[key]" values. */
static void put_refs(PmVM *vm, PmHeapOps *h, pmast_buf *b, PmObject *o)
{
    bool first = true;
    char label[96];
    pmast_buf_puts(b, "[");
    if (Pm_TYPE(o) == PMT(vm, LIST)) {
        for (Pm_ssize_t i = 0; i < Pm_SIZE(o); i++) {
            snprintf(label, sizeof label, "[%lld]", (long long)i);
            put_ref(h, b, label, PmList_GET_ITEM(o, i), &first);
        }
    } else if (Pm_TYPE(o) == PMT(vm, DICT)) {
        Pm_ssize_t pos = 0;
        PmObject *k, *v;
        while (PmDict_Next(o, &pos, &k, &v)) {
            /* repr only of keys whose repr runs no Python code */
            bool plain = Pm_TYPE(k) == PMT(vm, STR) || Pm_TYPE(k) == PMT(vm, INT);
            PmObject *r = plain ? PmObject_Repr(vm, k) : NULL;
            Pm_ssize_t n = 0;
            const char *s = r && PmStr_Check(r) ? PmStr_AsUTF8(vm, r, &n) : NULL;
            if (s == NULL) { s = Pm_TYPE(k)->tp_name; n = (Pm_ssize_t)strlen(s); }
            if (n > 40) n = 40;
            snprintf(label, sizeof label, "%.*s\xe2\x86\x92", (int)n, s);
            put_ref(h, b, label, k, &first);
            snprintf(label, sizeof label, "[%.*s]", (int)n, s);
            put_ref(h, b, label, v, &first);
            Pm_XDECREF(vm, r);
            PmErr_Clear(vm);
        }
    }
    pmast_buf_puts(b, "]");
}

static void put_entry(PmVM *vm, PmHeapOps *h, pmast_buf *b, int hd)
{
    HeapEntry *e = &h->entries[hd - 1];
    put_fmt(b, "{\"handle\":%d,\"type\":\"%s\",\"id\":%llu,", hd, e->type,
            (unsigned long long)e->id);
    if (e->state != ALIVE) {
        put_fmt(b, "\"alive\":false,\"freed\":\"%s\",\"owned\":0}",
                e->state == FREED_GC ? "gc" : "refcount");
        return;
    }
    PmObject *o = e->obj;
    bool tracked = PmObject_IS_GC(o) && pm_gc_is_tracked(o);
    Pm_ssize_t size = PmObject_SizeOf(vm, o);
    PmErr_Clear(vm);
    put_fmt(b, "\"alive\":true,\"freed\":null,\"owned\":%lld,\"refcount\":%lld,",
            (long long)e->owned, (long long)Pm_REFCNT(o));
    put_fmt(b, "\"size\":%lld,\"tracked\":%s,\"gen\":", (long long)(size < 0 ? 0 : size),
            tracked ? "true" : "false");
    if (tracked) put_fmt(b, "%d,", Pm_AS_GC(o)->gen == PM_GC_PERMANENT ? 2 : Pm_AS_GC(o)->gen);
    else pmast_buf_puts(b, "null,");
    put_fmt(b, "\"static\":%s,\"repr\":", pm_is_static(o) ? "true" : "false");
    put_repr(vm, b, o);
    pmast_buf_puts(b, ",\"refs\":");
    put_refs(vm, h, b, o);
    pmast_buf_puts(b, "}");
}

const char *pml_heap_json(pml_vm *lab, size_t *len)
{
    PmVM *vm = (PmVM *)lab;
    PmHeapOps *h = table(vm);
    if (len) *len = 0;
    if (h == NULL) return NULL;
    if (busy(vm)) {
        fail(vm, PML_HEAP_EBUSY, "json: the lab is running a program");
        return NULL;
    }
    pmast_buf_free(&h->json);
    pmast_buf *b = &h->json;
    pmast_buf_puts(b, "[");
    for (int hd = 1; hd <= h->count; hd++) {
        if (hd > 1) pmast_buf_puts(b, ",");
        put_entry(vm, h, b, hd);
    }
    pmast_buf_puts(b, "]");
    pmast_buf_put(b, "", 1);          /* NUL-terminate */
    if (b->oom) {
        pmast_buf_free(b);
        fail(vm, PML_HEAP_ENOMEM, "json: out of host memory");
        return NULL;
    }
    if (len) *len = b->len - 1;
    ok(vm, 0);
    return b->data;
}
