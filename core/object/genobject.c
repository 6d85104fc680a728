/*
 * genobject.c -- generators.
 *
 * Calling a generator function runs its frame up to RETURN_GENERATOR, which moves the
 * frame (arguments included) into a new generator object; each next()/send() resumes that
 * frame until YIELD_VALUE or RETURN_VALUE.  Like CPython 3.11, a generator has a
 * finalizer (PEP 442): an unfinished generator that dies is closed, so its `finally`
 * blocks run.
 */
#include "pm.h"
#include "lang/opcode.h"

/* CPython 3.11 allocates a generator with its frame inside: 152 bytes up to the frame's
 * locals (offsetof(PyGenObject, gi_iframe) + offsetof(_PyInterpreterFrame, localsplus)),
 * then one pointer per local, cell and stack slot.  gen.__sizeof__ reports the same. */
enum { GEN_MODEL_BASE = 152 };

static Pm_ssize_t gen_model_size(PmCode *co)
{
    return GEN_MODEL_BASE + (Pm_ssize_t)(co->co_nlocalsplus + co->co_stacksize) * PM_MODEL_PTR;
}

PmObject *pm_gen_new_from_frame(PmVM *vm, PmFrame *f)
{
    PmCode *co = f->f_code;
    size_t model = (size_t)gen_model_size(co) + PM_MODEL_GC_HEAD;
    PmGen *gen = (PmGen *)pm_object_alloc(vm, PMT(vm, GENERATOR), sizeof(PmGen), model);
    if (gen == NULL) return NULL;
    gen->gi_sizeof = gen_model_size(co);
    PmFrame *copy = pmmem_malloc(&vm->mem, f->alloc_size);
    if (copy == NULL) {
        Pm_DECREF(vm, (PmObject *)gen);
        return PmErr_NoMemory(vm);
    }
    memcpy(copy, f, f->alloc_size);
    copy->blocks = (PmTryBlock *)&copy->localsplus[co->co_nlocalsplus + co->co_stacksize];
    copy->on_datastack = false;
    copy->gen = (PmObject *)gen;
    if (copy->frame_obj) ((PmFrameObject *)copy->frame_obj)->f_frame = copy;
    gen->gi_frame = copy;
    PmFunction *fn = (PmFunction *)f->f_func;
    gen->gi_name = Pm_NewRef(fn->func_name);
    gen->gi_qualname = Pm_NewRef(fn->func_qualname);
    pm_gc_track(vm, (PmObject *)gen);
    return (PmObject *)gen;
}

/* The generator's frame is done: release it (its frame object may keep the data). */
static void gen_finish_frame(PmVM *vm, PmGen *gen)
{
    PmFrame *f = gen->gi_frame;
    gen->gi_closed = 1;
    if (f == NULL) return;
    gen->gi_frame = NULL;
    f->gen = NULL;
    if (f->frame_obj) {
        pm_frame_object_take_ownership(vm, f);
    } else {
        pm_frame_clear(vm, f);
    }
    pmmem_free(&vm->mem, f);
}

static bool frame_returned(PmFrame *f)
{
    return f->lasti >= 0 && PM_OP(f->f_code->co_code[f->lasti]) == OP_RETURN_VALUE;
}

static PmObject *gen_resume(PmVM *vm, PmGen *gen, PmObject *value, bool throw,
                            PmObject **retval)
{
    *retval = NULL;
    if (gen->gi_running) {
        Pm_XDECREF(vm, value);
        return PmErr_Format(vm, PME(vm, ValueError), "generator already executing");
    }
    if (gen->gi_closed || gen->gi_frame == NULL) {
        Pm_XDECREF(vm, value);
        return NULL;
    }
    if (vm->recursion_depth + 1 > vm->recursion_limit) {
        Pm_XDECREF(vm, value);
        return PmErr_Format(vm, PME(vm, RecursionError), "maximum recursion depth exceeded");
    }
    vm->recursion_depth++;
    gen->gi_running = 1;
    PmFrame *f = gen->gi_frame;
    PmObject *saved_exc_info = vm->exc_info;
    vm->exc_info = gen->gi_exc_state;
    gen->gi_exc_state = NULL;
    PmObject *r = pm_eval_frame(vm, f, gen->gi_started ? value : NULL, throw);
    if (!gen->gi_started) Pm_XDECREF(vm, value);
    gen->gi_started = 1;
    gen->gi_running = 0;
    gen->gi_exc_state = vm->exc_info;
    vm->exc_info = saved_exc_info;
    vm->recursion_depth--;
    if (r && !frame_returned(f)) return r;   /* yielded */
    if (r) {
        *retval = r;
    } else if (PmErr_ExceptionMatches(vm, PME(vm, StopIteration))) {
        PmObject *cause = PmErr_Fetch(vm);
        PmErr_SetString(vm, PME(vm, RuntimeError), "generator raised StopIteration");
        if (vm->exc) {
            PmBaseException *e = (PmBaseException *)vm->exc;
            Pm_SETREF(vm, e->cause, cause);
            e->suppress_context = 1;
            Pm_XDECREF(vm, e->context);
            e->context = Pm_NewRef(cause);
        } else {
            Pm_DECREF(vm, cause);
        }
    }
    Pm_CLEAR(vm, gen->gi_exc_state);
    gen_finish_frame(vm, gen);
    return NULL;
}

PmObject *pm_gen_send(PmVM *vm, PmObject *gen, PmObject *value, PmObject **retval)
{
    PmGen *g = (PmGen *)gen;
    if (!g->gi_started && value && value != Pm_None(vm)) {
        return PmErr_Format(vm, PME(vm, TypeError),
                            "can't send non-None value to a just-started generator");
    }
    return gen_resume(vm, g, value ? Pm_NewRef(value) : Pm_RETURN_NONE(vm), false, retval);
}

static PmObject *gen_iternext(PmVM *vm, PmObject *self)
{
    PmObject *ret = NULL;
    PmObject *r = pm_gen_send(vm, self, NULL, &ret);
    Pm_XDECREF(vm, ret);
    return r;
}

static PmObject *gen_iter(PmVM *vm, PmObject *self)
{
    (void)vm;
    return Pm_NewRef(self);
}

/* StopIteration(value) when the generator returned something other than None. */
static PmObject *stop_iteration(PmVM *vm, PmObject *ret)
{
    if (ret == NULL || ret == Pm_None(vm)) {
        PmErr_SetObject(vm, PME(vm, StopIteration), NULL);
    } else {
        PmObject *e = PmExc_New(vm, PME(vm, StopIteration), &ret, 1);
        if (e) pm_err_set_raised(vm, e);
    }
    Pm_XDECREF(vm, ret);
    return NULL;
}

static PmObject *gen_send_meth(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                               PmObject *kwnames)
{
    (void)nargs; (void)kwnames;
    PmObject *ret = NULL;
    PmObject *r = pm_gen_send(vm, self, args[0], &ret);
    if (r || PmErr_Occurred(vm)) { Pm_XDECREF(vm, ret); return r; }
    return stop_iteration(vm, ret);
}

static PmObject *gen_throw_exc(PmVM *vm, PmGen *gen, PmObject *exc)
{
    if (gen->gi_closed || gen->gi_frame == NULL || !gen->gi_started) {
        pm_err_set_raised(vm, exc);
        if (!gen->gi_closed && gen->gi_frame) gen_finish_frame(vm, gen);
        return NULL;
    }
    Pm_SETREF(vm, vm->exc, exc);
    PmObject *ret = NULL;
    PmObject *r = gen_resume(vm, gen, NULL, true, &ret);
    if (r || PmErr_Occurred(vm)) { Pm_XDECREF(vm, ret); return r; }
    return stop_iteration(vm, ret);
}

static PmObject *gen_throw_meth(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                PmObject *kwnames)
{
    if (pm_no_kwargs(vm, "throw", kwnames) || pm_check_positional(vm, "throw", nargs, 1, 3)) return NULL;
    PmObject *typ = args[0], *val = nargs > 1 ? args[1] : NULL;
    PmObject *exc;
    if (PmExcClass_Check(typ)) {
        exc = val && val != Pm_None(vm) ? PmObject_CallOneArg(vm, typ, val) : PmObject_CallNoArgs(vm, typ);
        if (exc == NULL) return NULL;
    } else if (PmExc_Check(typ)) {
        if (val && val != Pm_None(vm)) {
            PmErr_SetString(vm, PME(vm, TypeError), "instance exception may not have a separate value");
            return NULL;
        }
        exc = Pm_NewRef(typ);
    } else {
        return PmErr_Format(vm, PME(vm, TypeError),
                            "exceptions must be classes or instances deriving from BaseException, not %T", typ);
    }
    return gen_throw_exc(vm, (PmGen *)self, exc);
}

static int gen_close_impl(PmVM *vm, PmGen *gen)
{
    if (gen->gi_closed || gen->gi_frame == NULL) return 0;
    if (!gen->gi_started) {
        gen_finish_frame(vm, gen);
        return 0;
    }
    PmObject *exc = PmExc_New(vm, PME(vm, GeneratorExit), NULL, 0);
    if (exc == NULL) return -1;
    PmObject *r = gen_throw_exc(vm, gen, exc);
    if (r) {
        Pm_DECREF(vm, r);
        PmErr_SetString(vm, PME(vm, RuntimeError), "generator ignored GeneratorExit");
        return -1;
    }
    if (PmErr_ExceptionMatches(vm, PME(vm, StopIteration)) ||
        PmErr_ExceptionMatches(vm, PME(vm, GeneratorExit))) {
        PmErr_Clear(vm);
        return 0;
    }
    return PmErr_Occurred(vm) ? -1 : 0;
}

static PmObject *gen_close_meth(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    if (gen_close_impl(vm, (PmGen *)self) < 0) return NULL;
    return Pm_RETURN_NONE(vm);
}

static void gen_finalize(PmVM *vm, PmObject *self)
{
    PmGen *gen = (PmGen *)self;
    if (gen->gi_closed || gen->gi_frame == NULL || !gen->gi_started) return;
    PmObject *saved = PmErr_Fetch(vm);
    if (gen_close_impl(vm, gen) < 0) pm_write_unraisable(vm, "Exception ignored in", self, NULL);
    PmErr_Restore(vm, saved);
}

static void gen_dealloc(PmVM *vm, PmObject *self)
{
    PmGen *gen = (PmGen *)self;
    pm_gc_untrack(vm, self);
    if (gen->gi_weakreflist) pm_weakref_clear_all(vm, self);
    PmGCHead *g = Pm_AS_GC(self);
    if (!(g->flags & PM_GC_FINALIZED) && gen->gi_started && !gen->gi_closed) {
        self->ob_refcnt = 1;
        pm_gc_track(vm, self);
        gen_finalize(vm, self);
        g->flags |= PM_GC_FINALIZED;
        if (--self->ob_refcnt != 0) return;   /* resurrected */
        pm_gc_untrack(vm, self);
    }
    gen_finish_frame(vm, gen);
    Pm_CLEAR(vm, gen->gi_exc_state);
    Pm_CLEAR(vm, gen->gi_name);
    Pm_CLEAR(vm, gen->gi_qualname);
    pm_object_free(vm, self);
}

static int gen_traverse(PmVM *vm, PmObject *self, pm_visitproc visit, void *arg)
{
    PmGen *gen = (PmGen *)self;
    Pm_VISIT(vm, gen->gi_name);
    Pm_VISIT(vm, gen->gi_qualname);
    Pm_VISIT(vm, gen->gi_exc_state);
    PmFrame *f = gen->gi_frame;
    if (f) {
        Pm_VISIT(vm, f->f_func);
        Pm_VISIT(vm, f->frame_obj);
        int n = f->f_code->co_nlocalsplus + f->stacktop;
        for (int i = 0; i < n; i++) Pm_VISIT(vm, f->localsplus[i]);
    }
    return 0;
}

static int gen_clear(PmVM *vm, PmObject *self)
{
    PmGen *gen = (PmGen *)self;
    if (gen->gi_frame && !gen->gi_running) gen_finish_frame(vm, gen);
    return 0;
}

static PmObject *gen_repr(PmVM *vm, PmObject *self)
{
    return PmStr_FromFormat(vm, "<generator object %U at %p>", ((PmGen *)self)->gi_qualname,
                            (void *)self);
}

static PmObject *gen_get_name(PmVM *vm, PmObject *o) { (void)vm; return Pm_NewRef(((PmGen *)o)->gi_name); }
static PmObject *gen_get_qualname(PmVM *vm, PmObject *o) { (void)vm; return Pm_NewRef(((PmGen *)o)->gi_qualname); }
static PmObject *gen_get_running(PmVM *vm, PmObject *o) { return Pm_Bool(vm, ((PmGen *)o)->gi_running); }

static PmObject *gen_get_frame(PmVM *vm, PmObject *o)
{
    PmGen *gen = (PmGen *)o;
    if (gen->gi_frame == NULL) return Pm_RETURN_NONE(vm);
    PmObject *fo = pm_frame_get_object(vm, gen->gi_frame);
    return fo ? Pm_NewRef(fo) : NULL;
}

static PmObject *gen_get_code(PmVM *vm, PmObject *o)
{
    PmGen *gen = (PmGen *)o;
    if (gen->gi_frame) return Pm_NewRef((PmObject *)gen->gi_frame->f_code);
    return Pm_RETURN_NONE(vm);
}

static const PmGetSetDef gen_getset[] = {
    {"__name__", gen_get_name, NULL}, {"__qualname__", gen_get_qualname, NULL},
    {"gi_running", gen_get_running, NULL}, {"gi_frame", gen_get_frame, NULL},
    {"gi_code", gen_get_code, NULL},
    {NULL, NULL, NULL}
};

static const PmMethodDef gen_methods[] = {
    {"send", gen_send_meth, PM_METH_O},
    {"throw", gen_throw_meth, PM_METH_VARARGS},
    {"close", gen_close_meth, PM_METH_NOARGS},
    {NULL, NULL, 0}
};

static Pm_ssize_t gen_sizeof(PmVM *vm, PmObject *o)
{
    (void)vm;
    return ((PmGen *)o)->gi_sizeof;
}

const PmType PmGen_Template = {
    .tp_name = "generator",
    .tp_basicsize = GEN_MODEL_BASE,
    .tp_itemsize = PM_MODEL_PTR,
    .tp_sizeof = gen_sizeof,
    .tp_flags = PM_TPFLAGS_HAVE_GC,
    .tp_kind = PMT_GENERATOR,
    .tp_dealloc = gen_dealloc,
    .tp_repr = gen_repr,
    .tp_traverse = gen_traverse,
    .tp_clear = gen_clear,
    .tp_getattro = PmObject_GenericGetAttr,
    .tp_iter = gen_iter,
    .tp_iternext = gen_iternext,
    .tp_methods = gen_methods,
    .tp_getset = gen_getset,
    .tp_finalize = gen_finalize,
    .tp_weaklistoffset = offsetof(PmGen, gi_weakreflist),
};
