/*
 * ceval.c -- frames and the bytecode interpreter.
 *
 * Reference discipline is CPython 3.11's, instruction by instruction (see lang/opcode.h):
 * every value on the evaluation stack is a strong reference; CALL of a Python function
 * moves the arguments (and the function) from the caller's stack into the new frame; a
 * frame releases its locals in index order when it ends.
 *
 * Calls between Python functions do not recurse in C: CALL pushes the callee's frame and
 * the loop carries on in it; RETURN_VALUE pops back.  C recursion happens only when C code
 * calls back into Python (type_call running __init__, a __repr__ slot, a sort key...);
 * those activations are capped by PM_MAX_C_DEPTH whatever sys.setrecursionlimit says, so
 * no program can overflow the C (wasm) stack.
 */
#include "pm.h"
#include "lang/opcode.h"
#include "trace/pm_trace.h"

enum { PM_MAX_C_DEPTH = 800 };

/* ------------------------------------------------------------------ the frame stack */

typedef struct PmChunk {
    struct PmChunk *prev;
    size_t size, used;
    /* frames follow, 16-aligned */
} PmChunk;

enum { CHUNK_SIZE = 256 * 1024 };

static size_t align16(size_t n)
{
    return (n + 15) & ~(size_t)15;
}

size_t pm_frame_size(PmCode *co)
{
    size_t slots = (size_t)co->co_nlocalsplus + (size_t)co->co_stacksize;
    return align16(sizeof(PmFrame) + slots * sizeof(PmObject *) +
                   (size_t)co->co_nblocks * sizeof(PmTryBlock));
}

static PmFrame *datastack_push(PmVM *vm, size_t size)
{
    PmChunk *c = vm->datastack;
    size_t head = align16(sizeof(PmChunk));
    if (c == NULL || c->used + size > c->size) {
        size_t want = size + head > CHUNK_SIZE ? size + head : CHUNK_SIZE;
        PmChunk *n = pmmem_malloc(&vm->mem, want);   /* counted against the memory limit */
        if (n == NULL) return NULL;
        n->prev = c;
        n->size = want;
        n->used = head;
        vm->datastack = c = n;
    }
    PmFrame *f = (PmFrame *)((char *)c + c->used);
    c->used += size;
    return f;
}

static void datastack_pop(PmVM *vm, PmFrame *f)
{
    PmChunk *c = vm->datastack;
    c->used = (size_t)((char *)f - (char *)c);
    if (c->used == align16(sizeof(PmChunk)) && c->prev) {
        vm->datastack = c->prev;
        pmmem_free(&vm->mem, c);
    }
}

void pm_datastack_free(PmVM *vm)
{
    while (vm->datastack) {
        PmChunk *p = vm->datastack->prev;
        pmmem_free(&vm->mem, vm->datastack);
        vm->datastack = p;
    }
}

/* A zeroed frame for `func` (stealing the reference to func). */
static PmFrame *frame_push(PmVM *vm, PmObject *func, PmObject *locals)
{
    PmCode *co = (PmCode *)((PmFunction *)func)->func_code;
    size_t size = pm_frame_size(co);
    PmFrame *f = datastack_push(vm, size);
    if (f == NULL) {
        Pm_DECREF(vm, func);
        PmErr_NoMemory(vm);
        return NULL;
    }
    /* zero the header and the locals; the stack and block slots are written before read */
    memset(f, 0, offsetof(PmFrame, localsplus) + (size_t)co->co_nlocalsplus * sizeof(PmObject *));
    f->f_func = func;
    f->f_code = co;
    f->f_globals = ((PmFunction *)func)->func_globals;
    f->f_builtins = ((PmFunction *)func)->func_builtins;
    f->f_locals = Pm_XNewRef(locals);
    f->on_datastack = true;
    f->alloc_size = size;
    f->blocks = (PmTryBlock *)&f->localsplus[co->co_nlocalsplus + co->co_stacksize];
    f->lasti = -1;
    return f;
}

void pm_frame_clear(PmVM *vm, PmFrame *f)
{
    int n = f->f_code->co_nlocalsplus + f->stacktop;
    for (int i = 0; i < n; i++) Pm_CLEAR(vm, f->localsplus[i]);
    f->stacktop = 0;
    Pm_CLEAR(vm, f->f_locals);
    Pm_CLEAR(vm, f->exc_info);
    Pm_CLEAR(vm, f->f_func);
}

/* End a frame: give its data to its frame object if one exists, else release it. */
static void frame_exit(PmVM *vm, PmFrame *f)
{
    vm->recursion_depth--;
    if (f->frame_obj) {
        pm_frame_object_take_ownership(vm, f);
    } else {
        pm_frame_clear(vm, f);
    }
    if (f->on_datastack) datastack_pop(vm, f);
}

/* ------------------------------------------------------------------ argument binding */

static PmObject *qualname_of(PmFrame *f)
{
    return ((PmFunction *)f->f_func)->func_qualname;
}

static int missing_args_error(PmVM *vm, PmFrame *f, bool kwonly, int first, int count)
{
    PmCode *co = f->f_code;
    PmObject *names = PmList_New(vm, 0);
    if (names == NULL) return -1;
    for (int i = first; i < first + count; i++) {
        if (f->localsplus[i] != NULL) continue;
        PmObject *r = PmObject_Repr(vm, PmTuple_GET_ITEM(co->co_localsplusnames, i));
        if (r == NULL || PmList_Append(vm, names, r) < 0) { Pm_XDECREF(vm, r); Pm_DECREF(vm, names); return -1; }
        Pm_DECREF(vm, r);
    }
    Pm_ssize_t n = Pm_SIZE(names);
    PmObject *text;
    if (n == 1) {
        text = Pm_NewRef(PmList_GET_ITEM(names, 0));
    } else {
        PmObject *sep = PmStr_FromString(vm, ", ");
        PmObject *head = sep ? PmList_GetSlice(vm, names, 0, n - 1) : NULL;
        PmObject *joined = head ? PmStr_Join(vm, sep, head) : NULL;
        text = joined ? PmStr_FromFormat(vm, n == 2 ? "%U and %U" : "%U, and %U", joined,
                                         PmList_GET_ITEM(names, n - 1)) : NULL;
        Pm_XDECREF(vm, sep);
        Pm_XDECREF(vm, head);
        Pm_XDECREF(vm, joined);
    }
    Pm_DECREF(vm, names);
    if (text == NULL) return -1;
    PmErr_Format(vm, PME(vm, TypeError), "%U() missing %zd required %s argument%s: %U",
                 qualname_of(f), n, kwonly ? "keyword-only" : "positional", n == 1 ? "" : "s",
                 text);
    Pm_DECREF(vm, text);
    return -1;
}

static int too_many_positional(PmVM *vm, PmFrame *f, size_t given, int ndefaults, int kwgiven)
{
    PmCode *co = f->f_code;
    int total = co->co_argcount;
    char want[64];
    if (ndefaults) snprintf(want, sizeof want, "from %d to %d", total - ndefaults, total);
    else snprintf(want, sizeof want, "%d", total);
    const char *plural = (ndefaults == 0 && total == 1) ? "" : "s";
    if (kwgiven) {
        PmErr_Format(vm, PME(vm, TypeError),
                     "%U() takes %s positional argument%s but %zu positional argument%s (and %d keyword-only argument%s) were given",
                     qualname_of(f), want, plural, given, given == 1 ? "" : "s", kwgiven,
                     kwgiven == 1 ? "" : "s");
    } else {
        PmErr_Format(vm, PME(vm, TypeError), "%U() takes %s positional argument%s but %zu %s given",
                     qualname_of(f), want, plural, given, given == 1 ? "was" : "were");
    }
    return -1;
}

static int find_kwarg_slot(PmCode *co, PmObject *name, int first, int last)
{
    for (int i = first; i < last; i++)
        if (PmTuple_GET_ITEM(co->co_localsplusnames, i) == name) return i;
    for (int i = first; i < last; i++)
        if (PmStr_Equal(PmTuple_GET_ITEM(co->co_localsplusnames, i), name)) return i;
    return -1;
}

/* Bind keyword arguments; values are consumed (stolen) in every case. */
static int bind_keywords(PmVM *vm, PmFrame *f, PmObject *const *values, PmObject *kwnames,
                         PmObject *kwdict, bool steal)
{
    PmCode *co = f->f_code;
    int nk = (int)Pm_SIZE(kwnames);
    int total = co->co_argcount + co->co_kwonlyargcount;
    for (int k = 0; k < nk; k++) {
        PmObject *name = PmTuple_GET_ITEM(kwnames, k);
        PmObject *v = values[k];
        if (!steal) Pm_INCREF(v);
        int slot = find_kwarg_slot(co, name, co->co_posonlyargcount, total);
        if (slot < 0) {
            if (kwdict == NULL) {
                if (find_kwarg_slot(co, name, 0, co->co_posonlyargcount) >= 0)
                    PmErr_Format(vm, PME(vm, TypeError),
                                 "%U() got some positional-only arguments passed as keyword arguments: '%U'",
                                 qualname_of(f), name);
                else
                    PmErr_Format(vm, PME(vm, TypeError),
                                 "%U() got an unexpected keyword argument '%U'", qualname_of(f), name);
                goto fail;
            }
            int r = PmDict_SetItem(vm, kwdict, name, v);
            Pm_DECREF(vm, v);
            if (r < 0) { k++; goto fail_rest; }
            continue;
        }
        if (f->localsplus[slot] != NULL) {
            PmErr_Format(vm, PME(vm, TypeError), "%U() got multiple values for argument '%U'",
                         qualname_of(f), name);
            goto fail;
        }
        f->localsplus[slot] = v;
        continue;
    fail:
        Pm_DECREF(vm, v);
        k++;
    fail_rest:
        if (steal)
            for (; k < nk; k++) Pm_DECREF(vm, values[k]);
        return -1;
    }
    return 0;
}

static int fill_defaults(PmVM *vm, PmFrame *f, size_t npos)
{
    PmCode *co = f->f_code;
    PmFunction *fn = (PmFunction *)f->f_func;
    int argc = co->co_argcount;
    int ndef = fn->func_defaults ? (int)Pm_SIZE(fn->func_defaults) : 0;
    int first_default = argc - ndef;
    if ((int)npos < argc) {
        for (int i = (int)npos; i < first_default; i++)
            if (f->localsplus[i] == NULL) return missing_args_error(vm, f, false, 0, first_default);
        for (int i = first_default > (int)npos ? first_default : (int)npos; i < argc; i++)
            if (f->localsplus[i] == NULL)
                f->localsplus[i] = Pm_NewRef(PmTuple_GET_ITEM(fn->func_defaults, i - first_default));
    }
    int missing = 0;
    for (int i = argc; i < argc + co->co_kwonlyargcount; i++) {
        if (f->localsplus[i]) continue;
        PmObject *name = PmTuple_GET_ITEM(co->co_localsplusnames, i);
        PmObject *d = fn->func_kwdefaults ? PmDict_GetItem_Borrow(vm, fn->func_kwdefaults, name) : NULL;
        if (d) f->localsplus[i] = Pm_NewRef(d);
        else missing++;
    }
    if (missing) return missing_args_error(vm, f, true, argc, co->co_kwonlyargcount);
    return 0;
}

/* Set up cells and free variables (3.11's MAKE_CELL and COPY_FREE_VARS). */
static int init_cells(PmVM *vm, PmFrame *f)
{
    PmCode *co = f->f_code;
    int nfree = co->co_nfreevars;
    int first_free = co->co_nlocalsplus - nfree;
    for (int i = co->co_ncellvars ? 0 : first_free; i < first_free; i++) {
        if (!(co->co_localspluskinds[i] & PM_CO_FAST_CELL)) continue;
        PmObject *cell = PmCell_New(vm, f->localsplus[i]);
        if (cell == NULL) return -1;
        Pm_SETREF(vm, f->localsplus[i], cell);
    }
    if (nfree) {
        PmObject *closure = ((PmFunction *)f->f_func)->func_closure;
        for (int i = 0; i < nfree; i++)
            f->localsplus[first_free + i] = Pm_NewRef(PmTuple_GET_ITEM(closure, i));
    }
    return 0;
}

/* CPython's initialize_locals.  args[0..total) are consumed if `steal`, else borrowed. */
static int frame_init_args(PmVM *vm, PmFrame *f, PmObject *const *args, size_t nargs,
                           PmObject *kwnames, bool steal)
{
    PmCode *co = f->f_code;
    int argc = co->co_argcount;
    PmObject *kwdict = NULL;
    size_t nkw = kwnames ? (size_t)Pm_SIZE(kwnames) : 0;
    if (nkw == 0 && nargs == (size_t)argc && co->co_kwonlyargcount == 0 &&
        !(co->co_flags & (PM_CO_VARARGS | PM_CO_VARKEYWORDS))) {
        /* the common call: exactly the positional parameters (nothing to default) */
        for (size_t i = 0; i < nargs; i++) f->localsplus[i] = steal ? args[i] : Pm_NewRef(args[i]);
        return co->co_ncellvars || co->co_nfreevars ? init_cells(vm, f) : 0;
    }
    int total_named = argc + co->co_kwonlyargcount;
    if (co->co_flags & PM_CO_VARKEYWORDS) {
        kwdict = PmDict_New(vm);
        if (kwdict == NULL) goto fail_all;
        int slot = total_named + ((co->co_flags & PM_CO_VARARGS) ? 1 : 0);
        f->localsplus[slot] = kwdict;
    }
    size_t npos = nargs < (size_t)argc ? nargs : (size_t)argc;
    for (size_t i = 0; i < npos; i++) f->localsplus[i] = steal ? args[i] : Pm_NewRef(args[i]);
    if (co->co_flags & PM_CO_VARARGS) {
        PmObject *rest = nargs > npos ? (steal ? PmTuple_FromArraySteal(vm, args + npos, (Pm_ssize_t)(nargs - npos))
                                               : PmTuple_FromArray(vm, args + npos, (Pm_ssize_t)(nargs - npos)))
                                      : Pm_NewRef(vm->empty_tuple);
        if (rest == NULL) { npos = nargs; goto fail_kw; }
        f->localsplus[total_named] = rest;
    } else if (nargs > (size_t)argc) {
        int kwgiven = 0;
        for (size_t k = 0; k < nkw; k++)
            if (find_kwarg_slot(co, PmTuple_GET_ITEM(kwnames, k), argc, total_named) >= 0) kwgiven++;
        PmFunction *fn = (PmFunction *)f->f_func;
        too_many_positional(vm, f, nargs, fn->func_defaults ? (int)Pm_SIZE(fn->func_defaults) : 0, kwgiven);
        if (steal) for (size_t i = npos; i < nargs; i++) Pm_DECREF(vm, args[i]);
        npos = nargs;
        goto fail_kw;
    }
    if (nkw && bind_keywords(vm, f, args + nargs, kwnames, kwdict, steal) < 0) return -1;
    if (fill_defaults(vm, f, nargs) < 0) return -1;
    return init_cells(vm, f);
fail_all:
    npos = 0;
    if (steal) for (size_t i = 0; i < nargs; i++) Pm_DECREF(vm, args[i]);
    npos = nargs;
fail_kw:
    (void)npos;
    if (steal) for (size_t k = 0; k < nkw; k++) Pm_DECREF(vm, args[nargs + k]);
    return -1;
}

static int enter_frame_check(PmVM *vm)
{
    if (vm->recursion_depth + 1 > vm->recursion_limit) {
        PmErr_SetString(vm, PME(vm, RecursionError), "maximum recursion depth exceeded");
        return -1;
    }
    vm->recursion_depth++;
    return 0;
}

/* Push and initialise a frame for a Python function call.  Takes `func`; args consumed if
 * steal.  NULL on error (everything released). */
static PmFrame *push_call_frame(PmVM *vm, PmObject *func, PmObject *const *args, size_t nargs,
                                PmObject *kwnames, bool steal, PmObject *locals)
{
    size_t total = nargs + (kwnames ? (size_t)Pm_SIZE(kwnames) : 0);
    if (enter_frame_check(vm) < 0) {
        if (steal) for (size_t i = 0; i < total; i++) Pm_DECREF(vm, args[i]);
        Pm_DECREF(vm, func);
        return NULL;
    }
    PmFrame *f = frame_push(vm, func, locals);
    if (f == NULL) {
        vm->recursion_depth--;
        if (steal) for (size_t i = 0; i < total; i++) Pm_DECREF(vm, args[i]);
        return NULL;
    }
    if (frame_init_args(vm, f, args, nargs, kwnames, steal) < 0) {
        frame_exit(vm, f);
        return NULL;
    }
    return f;
}

PmObject *pm_eval_call(PmVM *vm, PmObject *func, PmObject *const *args, size_t nargs,
                       PmObject *kwnames)
{
    PmFrame *f = push_call_frame(vm, Pm_NewRef(func), args, nargs, kwnames, false, NULL);
    if (f == NULL) return NULL;
    return pm_eval_frame(vm, f, NULL, false);
}

/* Run a code object as a module or class body with `locals` as its namespace. */
PmObject *pm_eval_code(PmVM *vm, PmObject *code, PmObject *globals, PmObject *locals)
{
    PmObject *func = PmFunction_New(vm, code, globals, NULL);
    if (func == NULL) return NULL;
    PmFrame *f = push_call_frame(vm, func, NULL, 0, NULL, true, locals);
    if (f == NULL) return NULL;
    return pm_eval_frame(vm, f, NULL, false);
}

/* Run a class body (lib/builtins.c's __build_class__): func's code, its closure, `ns` as
 * the frame's locals -- CPython's _PyEval_Vector(tstate, func, ns, NULL, 0, NULL). */
PmObject *pm_eval_class_body(PmVM *vm, PmObject *func, PmObject *ns)
{
    PmFrame *f = push_call_frame(vm, Pm_NewRef(func), NULL, 0, NULL, true, ns);
    if (f == NULL) return NULL;
    return pm_eval_frame(vm, f, NULL, false);
}

/* ------------------------------------------------------------------ exceptions helpers */

void pm_exc_chain_context(PmVM *vm, PmObject *exc)
{
    PmObject *handled = vm->exc_info;
    if (handled == NULL || handled == exc || !PmExc_Check(exc)) return;
    /* avoid creating a cycle: cut exc out of handled's context chain */
    PmObject *o = handled;
    for (int guard = 0; guard < 10000; guard++) {
        PmObject *ctx = ((PmBaseException *)o)->context;
        if (ctx == NULL) break;
        if (ctx == exc) {
            ((PmBaseException *)o)->context = NULL;
            Pm_DECREF(vm, ctx);
            break;
        }
        o = ctx;
    }
    Pm_SETREF(vm, ((PmBaseException *)exc)->context, Pm_NewRef(handled));
}

static void add_traceback(PmVM *vm, PmFrame *f)
{
    PmObject *exc = vm->exc;
    if (exc == NULL || !PmExc_Check(exc)) return;
    PmBaseException *e = (PmBaseException *)exc;
    Pm_INCREF(exc);
    PmObject *tb = pm_traceback_new(vm, e->traceback, f);
    if (tb == NULL) {
        /* out of memory for the entry: keep raising the original exception without it */
        PmErr_Clear(vm);
        vm->exc = exc;
        return;
    }
    Pm_DECREF(vm, exc);
    Pm_SETREF(vm, e->traceback, tb);
}

static PmObject *make_exception(PmVM *vm, PmObject *v)
{
    if (PmExcClass_Check(v)) {
        PmObject *e = PmObject_CallNoArgs(vm, v);
        if (e && !PmExc_Check(e)) {
            PmErr_Format(vm, PME(vm, TypeError),
                         "calling %R should have returned an instance of BaseException, not %T", v, e);
            Pm_DECREF(vm, e);
            return NULL;
        }
        return e;
    }
    if (PmExc_Check(v)) return Pm_NewRef(v);
    PmErr_SetString(vm, PME(vm, TypeError), "exceptions must derive from BaseException");
    return NULL;
}

/* RAISE_VARARGS (CPython's do_raise).  Takes both references. */
static void do_raise(PmVM *vm, PmObject *exc, PmObject *cause)
{
    if (exc == NULL) {
        if (vm->exc_info == NULL) {
            PmErr_SetString(vm, PME(vm, RuntimeError), "No active exception to reraise");
            return;
        }
        Pm_SETREF(vm, vm->exc, Pm_NewRef(vm->exc_info));
        return;
    }
    PmObject *value = make_exception(vm, exc);
    Pm_DECREF(vm, exc);
    if (value == NULL) { Pm_XDECREF(vm, cause); return; }
    if (cause) {
        PmObject *c = NULL;
        if (cause == Pm_None(vm)) {
            c = NULL;
        } else {
            c = make_exception(vm, cause);
            if (c == NULL) {
                if (!PmErr_ExceptionMatches(vm, PME(vm, TypeError)) || PmExcClass_Check(cause)) {
                    Pm_DECREF(vm, cause);
                    Pm_DECREF(vm, value);
                    return;
                }
                PmErr_Clear(vm);
                PmErr_SetString(vm, PME(vm, TypeError), "exception causes must derive from BaseException");
                Pm_DECREF(vm, cause);
                Pm_DECREF(vm, value);
                return;
            }
        }
        Pm_DECREF(vm, cause);
        PmBaseException *e = (PmBaseException *)value;
        Pm_SETREF(vm, e->cause, c);
        e->suppress_context = 1;
    }
    pm_err_set_raised(vm, value);
}

/* ------------------------------------------------------------------ name errors */

static void name_error(PmVM *vm, PmObject *name)
{
    PmErr_Format(vm, PME(vm, NameError), "name '%U' is not defined", name);
    if (vm->exc && PmExc_Check(vm->exc)) {
        PmBaseException *e = (PmBaseException *)vm->exc;
        if (e->extra == NULL) e->extra = Pm_NewRef(name);
    }
}

static void unbound_local(PmVM *vm, PmCode *co, int i)
{
    PmObject *name = PmTuple_GET_ITEM(co->co_localsplusnames, i);
    if (i >= co->co_nlocalsplus - co->co_nfreevars)
        PmErr_Format(vm, PME(vm, NameError),
                     "cannot access free variable '%U' where it is not associated with a value in enclosing scope",
                     name);
    else
        PmErr_Format(vm, PME(vm, UnboundLocalError),
                     "cannot access local variable '%U' where it is not associated with a value", name);
}

/* ------------------------------------------------------------------ imports */

static PmObject *import_name(PmVM *vm, PmObject *name)
{
    PmObject *m = PmDict_GetItem_Borrow(vm, vm->modules, name);
    if (m) return Pm_NewRef(m);
    if (PmErr_Occurred(vm)) return NULL;
    m = pm_import_builtin_module(vm, name);
    if (m || PmErr_Occurred(vm)) return m;
    PmErr_Format(vm, PME(vm, ModuleNotFoundError), "No module named '%U'", name);
    return NULL;
}

static PmObject *import_from(PmVM *vm, PmObject *module, PmObject *name)
{
    PmObject *x = PmObject_LookupAttr(vm, module, name);
    if (x || PmErr_Occurred(vm)) return x;
    PmObject *mn = Pm_KIND(module) == PMT_MODULE ? ((PmModule *)module)->md_name : NULL;
    if (mn)
        PmErr_Format(vm, PME(vm, ImportError), "cannot import name '%U' from '%U' (unknown location)",
                     name, mn);
    else
        PmErr_Format(vm, PME(vm, ImportError), "cannot import name '%U'", name);
    return NULL;
}

/* ------------------------------------------------------------------ unpacking */

static int unpack_iterable(PmVM *vm, PmObject *v, int argcnt, int argcntafter, PmObject **sp)
{
    PmObject *it = PmObject_GetIter(vm, v);
    if (it == NULL) {
        if (PmErr_ExceptionMatches(vm, PME(vm, TypeError)) && Pm_TYPE(v)->tp_iter == NULL &&
            Pm_TYPE(v)->tp_as_sequence.sq_item == NULL) {
            PmErr_Clear(vm);
            PmErr_Format(vm, PME(vm, TypeError), "cannot unpack non-iterable %s object",
                         Pm_TYPE(v)->tp_name);
        }
        return -1;
    }
    int i = 0;
    for (; i < argcnt; i++) {
        PmObject *w = PmIter_Next(vm, it);
        if (w == NULL) {
            if (!PmErr_Occurred(vm)) {
                if (argcntafter == -1)
                    PmErr_Format(vm, PME(vm, ValueError), "not enough values to unpack (expected %d, got %d)", argcnt, i);
                else
                    PmErr_Format(vm, PME(vm, ValueError), "not enough values to unpack (expected at least %d, got %d)",
                                 argcnt + argcntafter, i);
            }
            goto error;
        }
        *--sp = w;
    }
    if (argcntafter == -1) {
        PmObject *w = PmIter_Next(vm, it);
        if (w == NULL) {
            if (PmErr_Occurred(vm)) goto error;
            Pm_DECREF(vm, it);
            return 0;
        }
        Pm_DECREF(vm, w);
        Pm_ssize_t len = -1;
        if (Pm_KIND(v) == PMT_LIST || Pm_KIND(v) == PMT_TUPLE || Pm_KIND(v) == PMT_DICT) len = PmObject_Length(vm, v);
        if (len >= 0)
            PmErr_Format(vm, PME(vm, ValueError), "too many values to unpack (expected %d, got %zd)", argcnt, len);
        else
            PmErr_Format(vm, PME(vm, ValueError), "too many values to unpack (expected %d)", argcnt);
        goto error;
    }
    PmObject *l = PmSequence_List(vm, it);
    if (l == NULL) goto error;
    *--sp = l;
    i++;
    Pm_ssize_t ll = Pm_SIZE(l);
    if (ll < argcntafter) {
        PmErr_Format(vm, PME(vm, ValueError), "not enough values to unpack (expected at least %d, got %zd)",
                     argcnt + argcntafter, argcnt + ll);
        goto error;
    }
    for (int j = argcntafter; j > 0; j--, i++) *--sp = PmList_GET_ITEM(l, ll - j);
    Pm_SIZE(l) = ll - argcntafter;
    Pm_DECREF(vm, it);
    return 0;
error:
    for (; i > 0; i--, sp++) Pm_DECREF(vm, *sp);
    Pm_DECREF(vm, it);
    return -1;
}

/* ------------------------------------------------------------------ misc helpers */

static PmObject *format_value(PmVM *vm, PmObject *value, int which, PmObject *spec)
{
    PmObject *v = value;
    int conv = which & PM_FVC_MASK;
    if (conv == PM_FVC_STR) v = PmObject_Str(vm, value);
    else if (conv == PM_FVC_REPR || conv == PM_FVC_ASCII) v = PmObject_Repr(vm, value);
    else Pm_INCREF(v);
    if (v == NULL) return NULL;
    if (spec == NULL && Pm_IS_TYPE(vm, v, STR)) return v;
    PmObject *r = PmObject_Format(vm, v, spec);
    Pm_DECREF(vm, v);
    return r;
}

/* CPython's _PyObject_GetMethod: [method, self] when the attribute is a plain method
 * found on the type and not shadowed by the instance; else [NULL, attribute]. */
static int get_method(PmVM *vm, PmObject *obj, PmObject *name, PmObject **meth)
{
    PmType *tp = Pm_TYPE(obj);
    if (tp->tp_getattro != PmObject_GenericGetAttr) {
        *meth = PmObject_GetAttr(vm, obj, name);
        return 0;
    }
    PmObject *descr = PmType_Lookup(vm, tp, name);
    bool meth_found = false;
    if (descr) {
        int k = Pm_KIND(descr);
        if (k == PMT_FUNCTION || k == PMT_METHOD_DESCR) {
            meth_found = true;
        } else if (Pm_TYPE(descr)->tp_descr_get && Pm_TYPE(descr)->tp_descr_set) {
            *meth = Pm_TYPE(descr)->tp_descr_get(vm, descr, obj, (PmObject *)tp);
            return 0;
        }
    }
    if (meth_found && tp->ht_extra_offset && tp->ht_has_dict) {
        /* an instance with inline values or a __dict__: only an attribute of its own can
         * shadow the method (CPython looks in the dict; no bound method is made) */
        PmObject *attr = pm_instance_getattr_borrow(vm, obj, name);
        if (attr == NULL && PmErr_Occurred(vm)) {
            *meth = NULL;
            return 0;
        }
        *meth = Pm_NewRef(attr ? attr : descr);
        return attr == NULL;
    }
    if (tp->ht_extra_offset || Pm_KIND(obj) == PMT_MODULE || Pm_KIND(obj) == PMT_FUNCTION) {
        *meth = NULL;
        if (meth_found) Pm_INCREF(descr);
        PmObject *attr = PmObject_GenericGetAttr(vm, obj, name);
        if (meth_found) {
            if (attr && attr != descr && !(Pm_KIND(attr) == PMT_METHOD && ((PmMethod *)attr)->im_func == descr)) {
                Pm_DECREF(vm, descr);
                *meth = attr;
                return 0;
            }
            Pm_XDECREF(vm, attr);
            if (attr == NULL) { Pm_DECREF(vm, descr); return 0; }
            *meth = descr;
            return 1;
        }
        *meth = attr;
        return 0;
    }
    if (meth_found) {
        *meth = Pm_NewRef(descr);
        return 1;
    }
    *meth = PmObject_GenericGetAttr(vm, obj, name);
    return 0;
}

static int exc_match_check(PmVM *vm, PmObject *type)
{
    if (Pm_IS_TYPE(vm, type, TUPLE)) {
        for (Pm_ssize_t i = 0; i < Pm_SIZE(type); i++)
            if (exc_match_check(vm, PmTuple_GET_ITEM(type, i)) < 0) return -1;
        return 0;
    }
    if (PmExcClass_Check(type)) return 0;
    PmErr_SetString(vm, PME(vm, TypeError),
                    "catching classes that do not inherit from BaseException is not allowed");
    return -1;
}

static int dict_update_error(PmVM *vm, PmObject *update, bool merge, PmObject *func)
{
    if (PmErr_ExceptionMatches(vm, PME(vm, AttributeError)) || !merge) {
        if (!merge && !PmErr_ExceptionMatches(vm, PME(vm, AttributeError))) return -1;
        PmErr_Clear(vm);
        if (merge)
            PmErr_Format(vm, PME(vm, TypeError), "%U argument after ** must be a mapping, not %.200s",
                         func && Pm_KIND(func) == PMT_FUNCTION ? ((PmFunction *)func)->func_qualname : vm->empty_str,
                         Pm_TYPE(update)->tp_name);
        else
            PmErr_Format(vm, PME(vm, TypeError), "'%.200s' object is not a mapping", Pm_TYPE(update)->tp_name);
    }
    return -1;
}

/* Flatten an args tuple + kwargs dict into a vectorcall array. */
static PmObject *call_ex(PmVM *vm, PmObject *func, PmObject *args, PmObject *kwargs)
{
    Pm_ssize_t na = Pm_SIZE(args), nk = kwargs ? PmDict_Size(kwargs) : 0;
    PmObject *small[16];
    PmObject **stack = na + nk <= 16 ? small : malloc((size_t)(na + nk) * sizeof(PmObject *));
    if (stack == NULL) return PmErr_NoMemory(vm);
    for (Pm_ssize_t i = 0; i < na; i++) stack[i] = PmTuple_GET_ITEM(args, i);
    PmObject *kwnames = NULL;
    if (nk) {
        kwnames = PmTuple_New(vm, nk);
        if (kwnames == NULL) goto done;
        Pm_ssize_t pos = 0, j = 0;
        PmObject *k, *v;
        while (PmDict_Next(kwargs, &pos, &k, &v)) {
            if (!PmStr_Check(k)) {
                PmErr_Format(vm, PME(vm, TypeError), "keywords must be strings");
                Pm_CLEAR(vm, kwnames);
                goto done;
            }
            PmTuple_SET_ITEM(kwnames, j, Pm_NewRef(k));
            stack[na + j++] = v;
        }
    }
    PmObject *r = PmObject_Vectorcall(vm, func, stack, (size_t)na, kwnames);
    Pm_XDECREF(vm, kwnames);
    if (stack != small) free(stack);
    return r;
done:
    if (stack != small) free(stack);
    return NULL;
}

/* ------------------------------------------------------------------ the loop */

#define TOP() (sp[-1])
#define SECOND() (sp[-2])
#define THIRD() (sp[-3])
#define PEEK(n) (sp[-(n)])
#define PUSH(v) (*sp++ = (v))
#define POP() (*--sp)
#define SET_TOP(v) (sp[-1] = (v))
#define SAVE() (f->stacktop = (int)(sp - stack_base))
#define LOCAL(i) (f->localsplus[i])
#define NAME(i) PmTuple_GET_ITEM(co->co_names, (i))
#define CONST(i) PmTuple_GET_ITEM(co->co_consts, (i))
#define JUMPTO(t) (pc = (t))
#define ERROR_IF(cond) do { if (cond) goto error; } while (0)

/* Dispatch.  With GCC or clang on a native target each instruction ends by jumping through
 * the table of label addresses itself (one indirect jump per opcode, which the branch
 * predictor learns far better than the switch's single one); wasm has no computed goto, so
 * there, and with -DPM_NO_COMPUTED_GOTO, instructions end with `break` out of the switch
 * (not `continue`: that shapes the wasm control flow so that V8 runs it about 8% slower).
 * NEXT() runs the same per-instruction check as the top of the loop. */
#if (defined(__GNUC__) || defined(__clang__)) && !defined(__wasm__) && !defined(PM_NO_COMPUTED_GOTO)
#define PM_COMPUTED_GOTO 1
#define TARGET(op) TARGET_##op: case op
#define NEXT() do {                                                  \
        if (PM_UNLIKELY(vm->ticks <= 0)) goto next_instr;            \
        vm->ticks--;                                                 \
        instr = co->co_code[pc];                                     \
        f->lasti = pc++;                                             \
        oparg = (int)PM_ARG(instr);                                  \
        goto *dispatch_table[PM_OP(instr)];                          \
    } while (0)
#else
#define PM_COMPUTED_GOTO 0
#define TARGET(op) case op
#define NEXT() break
#endif

static PmObject *binary_subscr(PmVM *vm, PmObject *c, PmObject *k)
{
    if (Pm_IS_TYPE(vm, c, LIST) && Pm_IS_TYPE(vm, k, INT)) {
        Pm_ssize_t n = Pm_SIZE(k);
        if (n == 0 || n == 1) {
            Pm_ssize_t i = n ? ((PmLong *)k)->ob_digit[0] : 0;
            if (i < Pm_SIZE(c)) return Pm_NewRef(PmList_GET_ITEM(c, i));
        }
    }
    return PmObject_GetItem(vm, c, k);
}

/* The slow path of the per-instruction check (vm.h `ticks`), before instruction pc of f
 * (its stack saved): the step limit, the gc safe point, the recorder's line hook; then the
 * countdown to the next time one of them can be due.  0, or -1 with an exception set. */
static int eval_checks(PmVM *vm, PmFrame *f, int pc)
{
    pm_eval_sync_steps(vm);    /* this instruction included */
    if (vm->step_limit && vm->steps > vm->step_limit) {
        vm->limit_hit = 1;
        f->lasti = pc;
        vm->tick_arm = vm->ticks = 0;
        PmErr_SetString(vm, PME(vm, RuntimeError), "step limit reached");
        return -1;
    }
    PmGCState *gs = &vm->gc;
    if (gs->gen[0].count > gs->gen[0].threshold && gs->enabled && gs->gen[0].threshold != 0 &&
        !gs->collecting) {
        f->lasti = pc - 1;
        pm_gc_maybe_collect(vm);
    }
    if (vm->trace != NULL) {     /* pml_record: line steps (trace/pm_trace.h) */
        if (pm_trace_line(vm, f, pc) < 0) {
            f->lasti = pc;
            vm->tick_arm = vm->ticks = 0;
            return -1;
        }
    }
    pm_eval_sync_steps(vm);    /* what finalizers run by the collection executed */
    int64_t arm = (int64_t)1 << 30;
    if (vm->trace != NULL || (gs->gen[0].count > gs->gen[0].threshold && gs->enabled))
        arm = 0;    /* recording, or a collection that could not run yet: check every time */
    else if (vm->step_limit)
        arm = vm->step_limit - vm->steps < (uint64_t)arm ? (int64_t)(vm->step_limit - vm->steps) : arm;
    vm->tick_arm = vm->ticks = arm;
    return 0;
}

PmObject *pm_eval_frame(PmVM *vm, PmFrame *f, PmObject *sent, bool throw)
{
    if (++vm->c_depth > PM_MAX_C_DEPTH) {
        vm->c_depth--;
        PmErr_SetString(vm, PME(vm, RecursionError),
                        "maximum recursion depth exceeded while calling a Python object");
        if (sent) Pm_DECREF(vm, sent);
        if (f->gen == NULL) frame_exit(vm, f);
        return NULL;
    }
    f->is_entry = true;
    f->previous = vm->frame;
    vm->frame = f;
    PmCode *co;
    PmObject **stack_base, **sp;
    int pc;
    PmObject *kwnames = NULL;
    PmObject *retval = NULL;
    PmInstr instr;
    int oparg;
#if PM_COMPUTED_GOTO
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"   /* the default entry, then each opcode's */
    static void *const dispatch_table[256] = {
        [0 ... 255] = &&unknown_opcode,
#define PM_TARGET_ENTRY(name) [OP_##name] = &&TARGET_OP_##name,
        PM_OPCODES(PM_TARGET_ENTRY)
#undef PM_TARGET_ENTRY
    };
#pragma GCC diagnostic pop
#endif

resume_frame:
    co = f->f_code;
    stack_base = &f->localsplus[co->co_nlocalsplus];
    sp = stack_base + f->stacktop;
    pc = f->lasti + 1;
    if (f->gen && sent) {
        PUSH(sent);
        sent = NULL;
    }
    if (throw) {
        throw = false;
        goto error;
    }

    for (;;) {
#if PM_COMPUTED_GOTO
    next_instr:
#endif
        if (PM_UNLIKELY(--vm->ticks < 0)) {
            SAVE();
            if (eval_checks(vm, f, pc) < 0) goto error;
        }
        instr = co->co_code[pc];
        f->lasti = pc++;
        oparg = (int)PM_ARG(instr);
        switch (PM_OP(instr)) {
        TARGET(OP_NOP): TARGET(OP_RESUME):
            NEXT();
        TARGET(OP_POP_TOP): {
            PmObject *v = POP();
            SAVE();
            Pm_DECREF(vm, v);
            NEXT();
        }
        TARGET(OP_PUSH_NULL):
            PUSH(NULL);
            NEXT();
        TARGET(OP_COPY): {
            PmObject *v = PEEK(oparg);
            PUSH(Pm_NewRef(v));
            NEXT();
        }
        TARGET(OP_SWAP): {
            PmObject *t = TOP();
            SET_TOP(PEEK(oparg));
            PEEK(oparg) = t;
            NEXT();
        }
        TARGET(OP_LOAD_CONST):
            PUSH(Pm_NewRef(CONST(oparg)));
            NEXT();
        TARGET(OP_LOAD_FAST): {
            PmObject *v = LOCAL(oparg);
            if (v == NULL) { unbound_local(vm, co, oparg); goto error; }
            PUSH(Pm_NewRef(v));
            NEXT();
        }
        TARGET(OP_STORE_FAST): {
            PmObject *v = POP();
            PmObject *old = LOCAL(oparg);
            LOCAL(oparg) = v;
            SAVE();
            Pm_XDECREF(vm, old);
            NEXT();
        }
        TARGET(OP_DELETE_FAST): {
            PmObject *old = LOCAL(oparg);
            if (old == NULL) { unbound_local(vm, co, oparg); goto error; }
            LOCAL(oparg) = NULL;
            SAVE();
            Pm_DECREF(vm, old);
            NEXT();
        }
        TARGET(OP_LOAD_NAME): {
            PmObject *name = NAME(oparg), *v = NULL;
            if (f->f_locals) v = PmDict_GetItem_Borrow(vm, f->f_locals, name);
            if (v == NULL) v = PmDict_GetItem_Borrow(vm, f->f_globals, name);
            if (v == NULL) v = PmDict_GetItem_Borrow(vm, f->f_builtins, name);
            if (v == NULL) { ERROR_IF(PmErr_Occurred(vm)); name_error(vm, name); goto error; }
            PUSH(Pm_NewRef(v));
            NEXT();
        }
        TARGET(OP_STORE_NAME): {
            PmObject *v = POP();
            SAVE();
            PmObject *ns = f->f_locals ? f->f_locals : f->f_globals;
            int r = PmDict_SetItem(vm, ns, NAME(oparg), v);
            Pm_DECREF(vm, v);
            ERROR_IF(r < 0);
            NEXT();
        }
        TARGET(OP_DELETE_NAME): {
            SAVE();
            PmObject *ns = f->f_locals ? f->f_locals : f->f_globals;
            if (PmDict_DelItem(vm, ns, NAME(oparg)) < 0) {
                if (PmErr_ExceptionMatches(vm, PME(vm, KeyError))) {
                    PmErr_Clear(vm);
                    name_error(vm, NAME(oparg));
                }
                goto error;
            }
            NEXT();
        }
        TARGET(OP_LOAD_GLOBAL): {
            PmObject *name = NAME(oparg >> 1);
            size_t slot = (((uintptr_t)co >> 4) * 31u + (size_t)pc) & (PM_GLOBAL_CACHE_SIZE - 1);
            PmObject *v = PmDict_LoadGlobal_Borrow(vm, f->f_globals, f->f_builtins, name,
                                                   &vm->global_cache[slot]);
            if (v == NULL) { ERROR_IF(PmErr_Occurred(vm)); name_error(vm, name); goto error; }
            if (oparg & 1) PUSH(NULL);
            PUSH(Pm_NewRef(v));
            NEXT();
        }
        TARGET(OP_STORE_GLOBAL): {
            PmObject *v = POP();
            SAVE();
            int r = PmDict_SetItem(vm, f->f_globals, NAME(oparg), v);
            Pm_DECREF(vm, v);
            ERROR_IF(r < 0);
            NEXT();
        }
        TARGET(OP_DELETE_GLOBAL): {
            SAVE();
            if (PmDict_DelItem(vm, f->f_globals, NAME(oparg)) < 0) {
                if (PmErr_ExceptionMatches(vm, PME(vm, KeyError))) {
                    PmErr_Clear(vm);
                    name_error(vm, NAME(oparg));
                }
                goto error;
            }
            NEXT();
        }
        TARGET(OP_LOAD_DEREF): TARGET(OP_LOAD_CLOSURE): {
            PmObject *cell = LOCAL(oparg);
            if (PM_OP(instr) == OP_LOAD_CLOSURE) { PUSH(Pm_NewRef(cell)); NEXT(); }
            PmObject *v = ((PmCell *)cell)->ob_ref;
            if (v == NULL) { unbound_local(vm, co, oparg); goto error; }
            PUSH(Pm_NewRef(v));
            NEXT();
        }
        TARGET(OP_LOAD_CLASSDEREF): {
            PmObject *name = PmTuple_GET_ITEM(co->co_localsplusnames, oparg);
            PmObject *v = f->f_locals ? PmDict_GetItem_Borrow(vm, f->f_locals, name) : NULL;
            if (v == NULL) {
                ERROR_IF(PmErr_Occurred(vm));
                v = ((PmCell *)LOCAL(oparg))->ob_ref;
                if (v == NULL) { unbound_local(vm, co, oparg); goto error; }
            }
            PUSH(Pm_NewRef(v));
            NEXT();
        }
        TARGET(OP_STORE_DEREF): {
            PmObject *v = POP();
            PmCell *cell = (PmCell *)LOCAL(oparg);
            PmObject *old = cell->ob_ref;
            cell->ob_ref = v;
            SAVE();
            Pm_XDECREF(vm, old);
            NEXT();
        }
        TARGET(OP_DELETE_DEREF): {
            PmCell *cell = (PmCell *)LOCAL(oparg);
            PmObject *old = cell->ob_ref;
            if (old == NULL) { unbound_local(vm, co, oparg); goto error; }
            cell->ob_ref = NULL;
            SAVE();
            Pm_DECREF(vm, old);
            NEXT();
        }
        TARGET(OP_LOAD_ATTR): {
            PmObject *owner = TOP();
            SAVE();
            PmObject *v = PmObject_GetAttr(vm, owner, NAME(oparg));
            Pm_DECREF(vm, owner);
            SET_TOP(v);
            if (v == NULL) { sp--; goto error; }
            NEXT();
        }
        TARGET(OP_LOAD_METHOD): {
            PmObject *obj = TOP();
            SAVE();
            PmObject *meth = NULL;
            int is_meth = get_method(vm, obj, NAME(oparg), &meth);
            if (meth == NULL) {
                pm_exc_attribute_error_context(vm, obj, NAME(oparg));
                sp--;
                Pm_DECREF(vm, obj);
                goto error;
            }
            if (is_meth) {
                SET_TOP(meth);
                PUSH(obj);
            } else {
                SET_TOP(NULL);
                Pm_DECREF(vm, obj);
                PUSH(meth);
            }
            NEXT();
        }
        TARGET(OP_STORE_ATTR): {
            PmObject *owner = POP(), *v = POP();
            SAVE();
            int r = PmObject_SetAttr(vm, owner, NAME(oparg), v);
            Pm_DECREF(vm, v);
            Pm_DECREF(vm, owner);
            ERROR_IF(r < 0);
            NEXT();
        }
        TARGET(OP_DELETE_ATTR): {
            PmObject *owner = POP();
            SAVE();
            int r = PmObject_SetAttr(vm, owner, NAME(oparg), NULL);
            Pm_DECREF(vm, owner);
            ERROR_IF(r < 0);
            NEXT();
        }
        TARGET(OP_UNARY_POSITIVE): TARGET(OP_UNARY_NEGATIVE): TARGET(OP_UNARY_INVERT): TARGET(OP_UNARY_NOT): {
            PmObject *v = TOP();
            SAVE();
            PmObject *r;
            switch (PM_OP(instr)) {
            case OP_UNARY_POSITIVE: r = PmNumber_Positive(vm, v); break;
            case OP_UNARY_NEGATIVE: r = PmNumber_Negative(vm, v); break;
            case OP_UNARY_INVERT: r = PmNumber_Invert(vm, v); break;
            default: {
                int t = PmObject_IsTrue(vm, v);
                r = t < 0 ? NULL : Pm_Bool(vm, !t);
            }
            }
            Pm_DECREF(vm, v);
            SET_TOP(r);
            if (r == NULL) { sp--; goto error; }
            NEXT();
        }
        TARGET(OP_BINARY_OP): {
            PmObject *rhs = POP(), *lhs = TOP();
            SAVE();
            PmObject *r;
            if (oparg == PM_BINOP_INPLACE + PM_BINOP_ADD && Pm_IS_TYPE(vm, lhs, STR) &&
                Pm_IS_TYPE(vm, rhs, STR)) {
                r = PmStr_Concat(vm, lhs, rhs);
            } else {
                r = PmNumber_BinaryOp(vm, lhs, rhs, oparg);
            }
            Pm_DECREF(vm, lhs);
            Pm_DECREF(vm, rhs);
            SET_TOP(r);
            if (r == NULL) { sp--; goto error; }
            NEXT();
        }
        TARGET(OP_COMPARE_OP): {
            PmObject *right = POP(), *left = TOP();
            SAVE();
            PmObject *r = PmObject_RichCompare(vm, left, right, oparg);
            Pm_DECREF(vm, left);
            Pm_DECREF(vm, right);
            SET_TOP(r);
            if (r == NULL) { sp--; goto error; }
            NEXT();
        }
        TARGET(OP_IS_OP): {
            PmObject *right = POP(), *left = TOP();
            bool res = (left == right) ^ (oparg != 0);
            SET_TOP(Pm_Bool(vm, res));
            SAVE();
            Pm_DECREF(vm, left);
            Pm_DECREF(vm, right);
            NEXT();
        }
        TARGET(OP_CONTAINS_OP): {
            PmObject *right = POP(), *left = POP();
            SAVE();
            int r = PmSequence_Contains(vm, right, left);
            Pm_DECREF(vm, left);
            Pm_DECREF(vm, right);
            ERROR_IF(r < 0);
            PUSH(Pm_Bool(vm, r ^ oparg));
            NEXT();
        }
        TARGET(OP_BINARY_SUBSCR): {
            PmObject *sub = POP(), *container = TOP();
            SAVE();
            PmObject *r = binary_subscr(vm, container, sub);
            Pm_DECREF(vm, container);
            Pm_DECREF(vm, sub);
            SET_TOP(r);
            if (r == NULL) { sp--; goto error; }
            NEXT();
        }
        TARGET(OP_STORE_SUBSCR): {
            PmObject *sub = POP(), *container = POP(), *v = POP();
            SAVE();
            int r = PmObject_SetItem(vm, container, sub, v);
            Pm_DECREF(vm, v);
            Pm_DECREF(vm, container);
            Pm_DECREF(vm, sub);
            ERROR_IF(r < 0);
            NEXT();
        }
        TARGET(OP_DELETE_SUBSCR): {
            PmObject *sub = POP(), *container = POP();
            SAVE();
            int r = PmObject_DelItem(vm, container, sub);
            Pm_DECREF(vm, container);
            Pm_DECREF(vm, sub);
            ERROR_IF(r < 0);
            NEXT();
        }
        TARGET(OP_BUILD_SLICE): {
            PmObject *step = oparg == 3 ? POP() : NULL;
            PmObject *stop = POP(), *start = TOP();
            PmObject *s = PmSlice_New(vm, start, stop, step);
            SET_TOP(s);
            SAVE();
            Pm_DECREF(vm, start);
            Pm_DECREF(vm, stop);
            Pm_XDECREF(vm, step);
            if (s == NULL) { sp--; goto error; }
            NEXT();
        }
        TARGET(OP_BUILD_TUPLE): {
            PmObject *t = PmTuple_FromArraySteal(vm, sp - oparg, oparg);
            sp -= oparg;
            if (t == NULL) goto error;
            PUSH(t);
            NEXT();
        }
        TARGET(OP_BUILD_LIST): {
            PmObject *l = PmList_New(vm, oparg);
            if (l == NULL) goto error;
            for (int i = oparg; --i >= 0;) PmList_SET_ITEM(l, i, POP());
            PUSH(l);
            NEXT();
        }
        TARGET(OP_BUILD_SET): {
            PmObject *s = PmSet_New(vm, NULL);
            int err = s == NULL;
            for (int i = oparg; i > 0; i--) {
                PmObject *item = PEEK(i);
                if (!err && PmSet_Add(vm, s, item) < 0) err = 1;
            }
            for (int i = 0; i < oparg; i++) { PmObject *x = POP(); Pm_DECREF(vm, x); }
            SAVE();
            if (err) { Pm_XDECREF(vm, s); goto error; }
            PUSH(s);
            NEXT();
        }
        TARGET(OP_BUILD_MAP): {
            PmObject *d = PmDict_FromItems(vm, sp - 2 * oparg, 2, sp - 2 * oparg + 1, 2, oparg);
            for (int i = 0; i < 2 * oparg; i++) { PmObject *x = POP(); Pm_DECREF(vm, x); }
            SAVE();
            if (d == NULL) goto error;
            PUSH(d);
            NEXT();
        }
        TARGET(OP_BUILD_CONST_KEY_MAP): {
            PmObject *keys = POP();
            PmObject *d = PmDict_FromItems(vm, &PmTuple_GET_ITEM(keys, 0), 1, sp - oparg, 1, oparg);
            Pm_DECREF(vm, keys);
            for (int i = 0; i < oparg; i++) { PmObject *x = POP(); Pm_DECREF(vm, x); }
            SAVE();
            if (d == NULL) goto error;
            PUSH(d);
            NEXT();
        }
        TARGET(OP_BUILD_STRING): {
            PmObject *s = pm_str_join_array(vm, vm->empty_str, sp - oparg, oparg);
            for (int i = 0; i < oparg; i++) { PmObject *x = POP(); Pm_DECREF(vm, x); }
            SAVE();
            if (s == NULL) goto error;
            PUSH(s);
            NEXT();
        }
        TARGET(OP_LIST_APPEND): {
            PmObject *v = POP();
            int r = PmList_Append(vm, PEEK(oparg), v);
            SAVE();
            Pm_DECREF(vm, v);
            ERROR_IF(r < 0);
            NEXT();
        }
        TARGET(OP_SET_ADD): {
            PmObject *v = POP();
            int r = PmSet_Add(vm, PEEK(oparg), v);
            SAVE();
            Pm_DECREF(vm, v);
            ERROR_IF(r < 0);
            NEXT();
        }
        TARGET(OP_MAP_ADD): {
            PmObject *value = POP(), *key = POP();
            int r = PmDict_SetItem(vm, PEEK(oparg), key, value);
            SAVE();
            Pm_DECREF(vm, key);
            Pm_DECREF(vm, value);
            ERROR_IF(r < 0);
            NEXT();
        }
        TARGET(OP_LIST_EXTEND): {
            PmObject *it = POP();
            PmObject *l = PEEK(oparg);
            SAVE();
            int r = PmList_Extend(vm, l, it);
            if (r < 0 && PmErr_ExceptionMatches(vm, PME(vm, TypeError)) &&
                Pm_TYPE(it)->tp_iter == NULL && Pm_TYPE(it)->tp_as_sequence.sq_item == NULL) {
                PmErr_Clear(vm);
                PmErr_Format(vm, PME(vm, TypeError), "Value after * must be an iterable, not %.200s",
                             Pm_TYPE(it)->tp_name);
            }
            Pm_DECREF(vm, it);
            ERROR_IF(r < 0);
            NEXT();
        }
        TARGET(OP_SET_UPDATE): {
            PmObject *it = POP();
            SAVE();
            int r = PmSet_Update(vm, PEEK(oparg), it);
            Pm_DECREF(vm, it);
            ERROR_IF(r < 0);
            NEXT();
        }
        TARGET(OP_DICT_UPDATE): TARGET(OP_DICT_MERGE): {
            PmObject *update = POP();
            PmObject *d = PEEK(oparg);
            SAVE();
            int r = PM_OP(instr) == OP_DICT_UPDATE ? PmDict_Merge(vm, d, update, true)
                                                  : PmDict_MergeEx(vm, d, update, 2);
            if (r < 0) {
                if (PM_OP(instr) == OP_DICT_MERGE && PmErr_ExceptionMatches(vm, PME(vm, KeyError))) {
                    /* keep KeyError from MergeEx: "got multiple values for keyword argument" */
                } else {
                    dict_update_error(vm, update, PM_OP(instr) == OP_DICT_MERGE, PEEK(oparg + 2));
                }
            }
            Pm_DECREF(vm, update);
            ERROR_IF(r < 0);
            NEXT();
        }
        TARGET(OP_LIST_TO_TUPLE): {
            PmObject *l = TOP();
            PmObject *t = PmList_AsTuple(vm, l);
            SET_TOP(t);
            SAVE();
            Pm_DECREF(vm, l);
            if (t == NULL) { sp--; goto error; }
            NEXT();
        }
        TARGET(OP_UNPACK_SEQUENCE): {
            PmObject *seq = POP();
            SAVE();
            if ((Pm_IS_TYPE(vm, seq, TUPLE) || Pm_IS_TYPE(vm, seq, LIST)) && Pm_SIZE(seq) == oparg) {
                PmObject **items = Pm_IS_TYPE(vm, seq, TUPLE) ? ((PmTuple *)seq)->ob_item
                                                             : ((PmList *)seq)->ob_item;
                for (int i = oparg; --i >= 0;) PUSH(Pm_NewRef(items[i]));
            } else {
                if (unpack_iterable(vm, seq, oparg, -1, sp + oparg) < 0) {
                    Pm_DECREF(vm, seq);
                    goto error;
                }
                sp += oparg;
            }
            SAVE();
            Pm_DECREF(vm, seq);
            NEXT();
        }
        TARGET(OP_UNPACK_EX): {
            int before = oparg & 0xff, after = oparg >> 8;
            int total = before + 1 + after;
            PmObject *seq = POP();
            SAVE();
            if (unpack_iterable(vm, seq, before, after, sp + total) < 0) {
                Pm_DECREF(vm, seq);
                goto error;
            }
            sp += total;
            SAVE();
            Pm_DECREF(vm, seq);
            NEXT();
        }
        TARGET(OP_JUMP):
            JUMPTO(oparg);
            NEXT();
        TARGET(OP_POP_JUMP_IF_FALSE): TARGET(OP_POP_JUMP_IF_TRUE): {
            PmObject *v = POP();
            SAVE();
            int t;
            if (v == Pm_True(vm)) t = 1;
            else if (v == Pm_False(vm) || v == Pm_None(vm)) t = 0;
            else {
                t = PmObject_IsTrue(vm, v);
                if (t < 0) { Pm_DECREF(vm, v); goto error; }
            }
            Pm_DECREF(vm, v);
            if (t == (PM_OP(instr) == OP_POP_JUMP_IF_TRUE)) JUMPTO(oparg);
            NEXT();
        }
        TARGET(OP_POP_JUMP_IF_NONE): TARGET(OP_POP_JUMP_IF_NOT_NONE): {
            PmObject *v = POP();
            SAVE();
            bool none = v == Pm_None(vm);
            Pm_DECREF(vm, v);
            if (none == (PM_OP(instr) == OP_POP_JUMP_IF_NONE)) JUMPTO(oparg);
            NEXT();
        }
        TARGET(OP_JUMP_IF_FALSE_OR_POP): TARGET(OP_JUMP_IF_TRUE_OR_POP): {
            PmObject *v = TOP();
            int t = v == Pm_True(vm) ? 1 : (v == Pm_False(vm) || v == Pm_None(vm)) ? 0
                                                                                    : PmObject_IsTrue(vm, v);
            ERROR_IF(t < 0);
            if (t == (PM_OP(instr) == OP_JUMP_IF_TRUE_OR_POP)) {
                JUMPTO(oparg);
            } else {
                sp--;
                SAVE();
                Pm_DECREF(vm, v);
            }
            NEXT();
        }
        TARGET(OP_GET_ITER): {
            PmObject *v = TOP();
            SAVE();
            PmObject *it = PmObject_GetIter(vm, v);
            Pm_DECREF(vm, v);
            SET_TOP(it);
            if (it == NULL) { sp--; goto error; }
            NEXT();
        }
        TARGET(OP_FOR_ITER): {
            PmObject *it = TOP();
            SAVE();
            PmObject *next = Pm_TYPE(it)->tp_iternext(vm, it);
            if (next) {
                PUSH(next);
                NEXT();
            }
            if (PmErr_Occurred(vm)) {
                if (!PmErr_ExceptionMatches(vm, PME(vm, StopIteration))) goto error;
                PmErr_Clear(vm);
            }
            sp--;
            SAVE();
            Pm_DECREF(vm, it);
            JUMPTO(oparg);
            NEXT();
        }
        TARGET(OP_RETURN_VALUE): {
            retval = POP();
            SAVE();
            goto return_from_frame;
        }
        TARGET(OP_KW_NAMES):
            kwnames = CONST(oparg);
            NEXT();
        TARGET(OP_CALL): {
            bool is_meth = PEEK(oparg + 2) != NULL;
            PmObject *function = PEEK(oparg + 1);
            if (!is_meth && Pm_KIND(function) == PMT_METHOD) {
                PmMethod *m = (PmMethod *)function;
                PEEK(oparg + 1) = Pm_NewRef(m->im_self);
                PEEK(oparg + 2) = Pm_NewRef(m->im_func);
                Pm_DECREF(vm, function);
                is_meth = true;
            }
            int total = oparg + is_meth;
            function = PEEK(total + 1);
            int nkw = kwnames ? (int)Pm_SIZE(kwnames) : 0;
            int positional = total - nkw;
            PmObject *kw = kwnames;
            kwnames = NULL;
            if (Pm_KIND(function) == PMT_FUNCTION) {
                PmObject **args = sp - total;
                sp -= total + 2 - is_meth;   /* args and the function move into the frame */
                SAVE();
                PmFrame *nf = push_call_frame(vm, function, args, (size_t)positional, kw, true, NULL);
                if (nf == NULL) goto error;
                nf->previous = f;
                vm->frame = f = nf;
                goto resume_frame;
            }
            SAVE();
            PmObject *res = PmObject_Vectorcall(vm, function, sp - total, (size_t)positional, kw);
            for (int i = 0; i < total; i++) { PmObject *x = POP(); Pm_DECREF(vm, x); }
            PmObject *fn = POP();
            if (!is_meth) sp--;   /* the NULL below the callable */
            SAVE();
            Pm_DECREF(vm, fn);
            if (res == NULL) goto error;
            PUSH(res);
            NEXT();
        }
        TARGET(OP_CALL_FUNCTION_EX): {
            PmObject *kwargs = oparg & 1 ? POP() : NULL;
            PmObject *callargs = POP();
            PmObject *func = TOP();
            SAVE();
            PmObject *res = NULL;
            if (!Pm_IS_TYPE(vm, callargs, TUPLE)) {
                PmObject *t = PmSequence_Tuple(vm, callargs);
                Pm_DECREF(vm, callargs);
                callargs = t;
            }
            if (callargs) res = call_ex(vm, func, callargs, kwargs);
            Pm_XDECREF(vm, callargs);
            Pm_XDECREF(vm, kwargs);
            sp--;
            PmObject *null = POP();
            (void)null;
            SAVE();
            Pm_DECREF(vm, func);
            if (res == NULL) goto error;
            PUSH(res);
            NEXT();
        }
        TARGET(OP_MAKE_FUNCTION): {
            PmObject *code = POP();
            PmObject *func = PmFunction_New(vm, code, f->f_globals, ((PmCode *)code)->co_qualname);
            Pm_DECREF(vm, code);
            if (func == NULL) goto error;
            PmFunction *fn = (PmFunction *)func;
            if (oparg & PM_MF_CLOSURE) fn->func_closure = POP();
            if (oparg & PM_MF_ANNOTATIONS) { PmObject *a = POP(); Pm_DECREF(vm, a); }
            if (oparg & PM_MF_KWDEFAULTS) fn->func_kwdefaults = POP();
            if (oparg & PM_MF_DEFAULTS) fn->func_defaults = POP();
            PmObject *doc = Pm_SIZE(((PmCode *)fn->func_code)->co_consts)
                                ? PmTuple_GET_ITEM(((PmCode *)fn->func_code)->co_consts, 0) : NULL;
            if (doc && PmStr_Check(doc) && (((PmCode *)fn->func_code)->co_flags & PM_CO_OPTIMIZED))
                Pm_SETREF(vm, fn->func_doc, Pm_NewRef(doc));
            PUSH(func);
            NEXT();
        }
        TARGET(OP_LOAD_BUILD_CLASS): {
            PmObject *bc = PmDict_GetItem_Borrow(vm, f->f_builtins, PMID(vm, __build_class__));
            if (bc == NULL) {
                PmErr_SetString(vm, PME(vm, NameError), "__build_class__ not found");
                goto error;
            }
            PUSH(Pm_NewRef(bc));
            NEXT();
        }
        TARGET(OP_SETUP_FINALLY): TARGET(OP_SETUP_CLEANUP): {
            PmTryBlock *b = &f->blocks[f->nblocks++];
            b->type = PM_OP(instr) == OP_SETUP_FINALLY ? PM_BLOCK_FINALLY : PM_BLOCK_CLEANUP;
            b->handler = oparg;
            b->level = (int)(sp - stack_base);
            NEXT();
        }
        TARGET(OP_POP_BLOCK):
            f->nblocks--;
            NEXT();
        TARGET(OP_PUSH_EXC_INFO): {
            PmObject *v = TOP();
            PmObject *prev = vm->exc_info;
            SET_TOP(prev ? prev : Pm_NewRef(Pm_None(vm)));
            vm->exc_info = Pm_NewRef(v);
            PUSH(v);
            NEXT();
        }
        TARGET(OP_POP_EXCEPT): {
            PmObject *prev = POP();
            PmObject *cur = vm->exc_info;
            vm->exc_info = prev == Pm_None(vm) ? NULL : prev;
            if (prev == Pm_None(vm)) Pm_DECREF(vm, prev);
            SAVE();
            Pm_XDECREF(vm, cur);
            NEXT();
        }
        TARGET(OP_CHECK_EXC_MATCH): {
            PmObject *right = POP(), *left = TOP();
            SAVE();
            if (exc_match_check(vm, right) < 0) { Pm_DECREF(vm, right); goto error; }
            int r = PmObject_IsInstance(vm, left, right);
            Pm_DECREF(vm, right);
            ERROR_IF(r < 0);
            PUSH(Pm_Bool(vm, r));
            NEXT();
        }
        TARGET(OP_RERAISE): {
            PmObject *exc = POP();
            SAVE();
            Pm_SETREF(vm, vm->exc, exc);
            goto exception_unwind;
        }
        TARGET(OP_RAISE_VARARGS): {
            PmObject *cause = oparg == 2 ? POP() : NULL;
            PmObject *exc = oparg >= 1 ? POP() : NULL;
            SAVE();
            do_raise(vm, exc, cause);
            if (oparg == 0 && vm->exc && vm->exc == vm->exc_info) goto exception_unwind;
            goto error;
        }
        TARGET(OP_LOAD_ASSERTION_ERROR):
            PUSH(Pm_NewRef((PmObject *)PME(vm, AssertionError)));
            NEXT();
        TARGET(OP_RETURN_GENERATOR): {
            SAVE();
            PmObject *gen = pm_gen_new_from_frame(vm, f);
            if (gen == NULL) goto error;
            /* the frame now lives in the generator; leave as if returning `gen` */
            PmFrame *prev = f->previous;
            bool entry = f->is_entry;
            PmFrame *moved = ((PmGen *)gen)->gi_frame;
            moved->is_entry = false;
            moved->previous = NULL;
            vm->recursion_depth--;
            datastack_pop(vm, f);
            vm->frame = prev;
            if (entry) {
                vm->c_depth--;
                return gen;
            }
            f = prev;
            vm->frame = f;
            co = f->f_code;
            stack_base = &f->localsplus[co->co_nlocalsplus];
            sp = stack_base + f->stacktop;
            pc = f->lasti + 1;
            PUSH(gen);
            NEXT();
        }
        TARGET(OP_YIELD_VALUE): {
            retval = POP();
            SAVE();
            vm->frame = f->previous;
            vm->c_depth--;
            return retval;
        }
        TARGET(OP_FORMAT_VALUE): {
            PmObject *spec = (oparg & PM_FVS_HAVE_SPEC) ? POP() : NULL;
            PmObject *value = POP();
            SAVE();
            PmObject *r = format_value(vm, value, oparg, spec);
            Pm_DECREF(vm, value);
            Pm_XDECREF(vm, spec);
            if (r == NULL) goto error;
            PUSH(r);
            NEXT();
        }
        TARGET(OP_IMPORT_NAME): {
            PmObject *fromlist = POP(), *level = TOP();
            SAVE();
            PmObject *m = import_name(vm, NAME(oparg));
            Pm_DECREF(vm, level);
            Pm_DECREF(vm, fromlist);
            SET_TOP(m);
            if (m == NULL) { sp--; goto error; }
            NEXT();
        }
        TARGET(OP_IMPORT_FROM): {
            PmObject *v = import_from(vm, TOP(), NAME(oparg));
            if (v == NULL) goto error;
            PUSH(v);
            NEXT();
        }
        default:
#if PM_COMPUTED_GOTO
        unknown_opcode:
        TARGET_OP_PRINT_EXPR:           /* in the instruction set, never compiled */
        TARGET_OP_SEND:
        TARGET_OP_GET_YIELD_FROM_ITER:
#endif
            PmErr_Format(vm, PME(vm, SystemError), "unknown opcode %d", (int)PM_OP(instr));
            goto error;
        }
        continue;

    error:
        SAVE();
        if (vm->exc == NULL) {
            PmErr_SetString(vm, PME(vm, SystemError), "error return without exception set");
        }
        add_traceback(vm, f);
    exception_unwind:
        SAVE();
        while (f->nblocks > 0 && !vm->limit_hit) {
            PmTryBlock *b = &f->blocks[--f->nblocks];
            while (sp - stack_base > b->level) {
                PmObject *v = POP();
                SAVE();
                Pm_XDECREF(vm, v);
            }
            PUSH(PmErr_Fetch(vm));
            SAVE();
            pc = b->handler;
            break;
        }
        if (vm->exc == NULL) continue;   /* a handler was found */
        /* no handler here: this frame ends with the exception */
        while (sp > stack_base) {
            PmObject *v = POP();
            SAVE();
            Pm_XDECREF(vm, v);
        }
        retval = NULL;
    return_from_frame:
        {
            PmFrame *prev = f->previous;
            bool entry = f->is_entry;
            if (f->gen) {
                vm->frame = prev;
                vm->c_depth--;
                return retval;   /* the generator finishes the frame */
            }
            frame_exit(vm, f);
            vm->frame = prev;
            if (entry) {
                vm->c_depth--;
                return retval;
            }
            f = prev;
            co = f->f_code;
            stack_base = &f->localsplus[co->co_nlocalsplus];
            sp = stack_base + f->stacktop;
            pc = f->lasti + 1;
            if (retval == NULL) goto error;
            PUSH(retval);
            retval = NULL;
        }
    }
}
