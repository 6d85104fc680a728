/*
 * frameobject.c -- frame objects and traceback entries.
 *
 * A running frame (PmFrame) is not an object.  A frame object is made only when something
 * needs one -- a traceback entry -- and if it is still referenced when the frame ends, it
 * takes the frame's data over (CPython 3.11's take_ownership): that is why a traceback
 * keeps the locals of every frame it passes through alive.
 */
#include "pm.h"

PmObject *pm_frame_get_object(PmVM *vm, PmFrame *f)
{
    if (f->frame_obj) return f->frame_obj;
    PmFrameObject *fo = (PmFrameObject *)pm_object_alloc(vm, PMT(vm, FRAME),
                                                          sizeof(PmFrameObject), 80);
    if (fo == NULL) return NULL;
    fo->f_frame = f;
    f->frame_obj = (PmObject *)fo;
    pm_gc_track(vm, (PmObject *)fo);
    return (PmObject *)fo;
}

void pm_frame_object_take_ownership(PmVM *vm, PmFrame *f)
{
    PmFrameObject *fo = (PmFrameObject *)f->frame_obj;
    f->frame_obj = NULL;
    if (Pm_REFCNT(fo) == 1) {
        fo->f_frame = NULL;
        fo->f_lineno = pm_code_line(f->f_code, f->lasti);
        Pm_DECREF(vm, (PmObject *)fo);
        pm_frame_clear(vm, f);
        return;
    }
    PmFrame *copy = pmmem_malloc(&vm->mem, f->alloc_size);
    if (copy == NULL) {
        /* cannot keep the locals: the frame object survives without them */
        fo->f_frame = NULL;
        fo->f_lineno = pm_code_line(f->f_code, f->lasti);
        pm_frame_clear(vm, f);
        Pm_DECREF(vm, (PmObject *)fo);
        return;
    }
    memcpy(copy, f, f->alloc_size);
    PmCode *co = f->f_code;
    copy->blocks = (PmTryBlock *)&copy->localsplus[co->co_nlocalsplus + co->co_stacksize];
    copy->owned_by_object = true;
    copy->on_datastack = false;
    copy->previous = NULL;
    copy->gen = NULL;
    fo->f_frame = copy;
    fo->f_lineno = pm_code_line(co, f->lasti);
    Pm_DECREF(vm, (PmObject *)fo);
}

static void frame_release(PmVM *vm, PmFrameObject *fo)
{
    PmFrame *f = fo->f_frame;
    fo->f_frame = NULL;
    if (f && f->owned_by_object) {
        pm_frame_clear(vm, f);
        pmmem_free(&vm->mem, f);
    } else if (f) {
        f->frame_obj = NULL;
    }
}

static void frame_dealloc(PmVM *vm, PmObject *o)
{
    PmFrameObject *fo = (PmFrameObject *)o;
    pm_gc_untrack(vm, o);
    PM_TRASHCAN_BEGIN(vm, o)
    frame_release(vm, fo);
    Pm_CLEAR(vm, fo->f_back);
    pm_object_free(vm, o);
    PM_TRASHCAN_END(vm)
}

static int frame_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    PmFrameObject *fo = (PmFrameObject *)o;
    Pm_VISIT(vm, fo->f_back);
    PmFrame *f = fo->f_frame;
    if (f == NULL || !f->owned_by_object) return 0;
    Pm_VISIT(vm, f->f_func);
    Pm_VISIT(vm, f->f_locals);
    int n = f->f_code->co_nlocalsplus + f->stacktop;
    for (int i = 0; i < n; i++) Pm_VISIT(vm, f->localsplus[i]);
    return 0;
}

static int frame_clear_slot(PmVM *vm, PmObject *o)
{
    PmFrameObject *fo = (PmFrameObject *)o;
    PmFrame *f = fo->f_frame;
    if (f && f->owned_by_object) {
        int n = f->f_code->co_nlocalsplus + f->stacktop;
        for (int i = 0; i < n; i++) Pm_CLEAR(vm, f->localsplus[i]);
        f->stacktop = 0;
    }
    return 0;
}

static PmCode *frame_code(PmFrameObject *fo)
{
    return fo->f_frame ? fo->f_frame->f_code : NULL;
}

static PmObject *frame_get_lineno(PmVM *vm, PmObject *o)
{
    PmFrameObject *fo = (PmFrameObject *)o;
    PmFrame *f = fo->f_frame;
    return PmLong_FromLongLong(vm, f && !f->owned_by_object ? pm_code_line(f->f_code, f->lasti)
                                                           : fo->f_lineno);
}

static PmObject *frame_get_code(PmVM *vm, PmObject *o)
{
    PmCode *co = frame_code((PmFrameObject *)o);
    return Pm_NewRef(co ? (PmObject *)co : Pm_None(vm));
}

static PmObject *frame_get_globals(PmVM *vm, PmObject *o)
{
    PmFrame *f = ((PmFrameObject *)o)->f_frame;
    return Pm_NewRef(f ? f->f_globals : Pm_None(vm));
}

static PmObject *frame_get_locals(PmVM *vm, PmObject *o)
{
    PmFrame *f = ((PmFrameObject *)o)->f_frame;
    if (f == NULL) return PmDict_New(vm);
    if (f->f_locals) return Pm_NewRef(f->f_locals);
    PmObject *d = PmDict_New(vm);
    if (d == NULL) return NULL;
    PmCode *co = f->f_code;
    for (int i = 0; i < co->co_nlocalsplus; i++) {
        PmObject *v = f->localsplus[i];
        if (v && (co->co_localspluskinds[i] & (PM_CO_FAST_CELL | PM_CO_FAST_FREE)))
            v = ((PmCell *)v)->ob_ref;
        if (v == NULL) continue;
        if (PmDict_SetItem(vm, d, PmTuple_GET_ITEM(co->co_localsplusnames, i), v) < 0) {
            Pm_DECREF(vm, d);
            return NULL;
        }
    }
    return d;
}

static PmObject *frame_get_back(PmVM *vm, PmObject *o)
{
    PmFrameObject *fo = (PmFrameObject *)o;
    PmFrame *f = fo->f_frame;
    if (f && !f->owned_by_object && f->previous) {
        PmObject *b = pm_frame_get_object(vm, f->previous);
        return b ? Pm_NewRef(b) : NULL;
    }
    return Pm_NewRef(fo->f_back ? fo->f_back : Pm_None(vm));
}

static PmObject *frame_repr(PmVM *vm, PmObject *o)
{
    PmCode *co = frame_code((PmFrameObject *)o);
    if (co == NULL) return PmStr_FromFormat(vm, "<frame at %p>", (void *)o);
    return PmStr_FromFormat(vm, "<frame at %p, file '%U', line %d, code %U>", (void *)o,
                            co->co_filename, ((PmFrameObject *)o)->f_lineno, co->co_name);
}

static const PmGetSetDef frame_getset[] = {
    {"f_lineno", frame_get_lineno, NULL}, {"f_code", frame_get_code, NULL},
    {"f_globals", frame_get_globals, NULL}, {"f_locals", frame_get_locals, NULL},
    {"f_back", frame_get_back, NULL},
    {NULL, NULL, NULL}
};

const PmType PmFrameObject_Template = {
    .tp_name = "frame",
    .tp_basicsize = 64,
    .tp_flags = PM_TPFLAGS_HAVE_GC,
    .tp_kind = PMT_FRAME,
    .tp_dealloc = frame_dealloc,
    .tp_repr = frame_repr,
    .tp_traverse = frame_traverse,
    .tp_clear = frame_clear_slot,
    .tp_getattro = PmObject_GenericGetAttr,
    .tp_getset = frame_getset,
};

/* ------------------------------------------------------------------ traceback */

PmObject *pm_traceback_new(PmVM *vm, PmObject *next, PmFrame *f)
{
    PmObject *fo = pm_frame_get_object(vm, f);
    if (fo == NULL) return NULL;
    /* CPython 3.11's PyTracebackObject: tb_next, tb_frame, int tb_lasti, int tb_lineno */
    PmTraceback *tb = (PmTraceback *)pm_object_alloc(vm, PMT(vm, TRACEBACK), sizeof(PmTraceback),
                                                     40 + PM_MODEL_GC_HEAD);
    if (tb == NULL) return NULL;
    tb->tb_next = Pm_XNewRef(next);
    tb->tb_frame = Pm_NewRef(fo);
    tb->tb_lasti = f->lasti;
    tb->tb_lineno = pm_code_line(f->f_code, f->lasti);
    pm_gc_track(vm, (PmObject *)tb);
    return (PmObject *)tb;
}

static void tb_dealloc(PmVM *vm, PmObject *o)
{
    PmTraceback *tb = (PmTraceback *)o;
    pm_gc_untrack(vm, o);
    PM_TRASHCAN_BEGIN(vm, o)
    Pm_CLEAR(vm, tb->tb_next);
    Pm_CLEAR(vm, tb->tb_frame);
    pm_object_free(vm, o);
    PM_TRASHCAN_END(vm)
}

static int tb_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    Pm_VISIT(vm, ((PmTraceback *)o)->tb_next);
    Pm_VISIT(vm, ((PmTraceback *)o)->tb_frame);
    return 0;
}

static int tb_clear(PmVM *vm, PmObject *o)
{
    Pm_CLEAR(vm, ((PmTraceback *)o)->tb_next);
    Pm_CLEAR(vm, ((PmTraceback *)o)->tb_frame);
    return 0;
}

static PmObject *tb_get_next(PmVM *vm, PmObject *o)
{
    PmObject *n = ((PmTraceback *)o)->tb_next;
    return Pm_NewRef(n ? n : Pm_None(vm));
}

static PmObject *tb_get_frame(PmVM *vm, PmObject *o)
{
    (void)vm;
    return Pm_NewRef(((PmTraceback *)o)->tb_frame);
}

static PmObject *tb_get_lineno(PmVM *vm, PmObject *o)
{
    return PmLong_FromLongLong(vm, ((PmTraceback *)o)->tb_lineno);
}

static PmObject *tb_get_lasti(PmVM *vm, PmObject *o)
{
    return PmLong_FromLongLong(vm, ((PmTraceback *)o)->tb_lasti * 2);
}

static const PmGetSetDef tb_getset[] = {
    {"tb_next", tb_get_next, NULL}, {"tb_frame", tb_get_frame, NULL},
    {"tb_lineno", tb_get_lineno, NULL}, {"tb_lasti", tb_get_lasti, NULL},
    {NULL, NULL, NULL}
};

const PmType PmTraceback_Template = {
    .tp_name = "traceback",
    .tp_doc = "TracebackType(tb_next, tb_frame, tb_lasti, tb_lineno)\n"
              "--\n"
              "\n"
              "Create a new traceback object.",
    .tp_basicsize = 40,
    .tp_flags = PM_TPFLAGS_HAVE_GC,
    .tp_kind = PMT_TRACEBACK,
    .tp_dealloc = tb_dealloc,
    .tp_traverse = tb_traverse,
    .tp_clear = tb_clear,
    .tp_getattro = PmObject_GenericGetAttr,
    .tp_getset = tb_getset,
};
