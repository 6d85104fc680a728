/*
 * code.c -- code objects: instructions, positions, constants, names.
 *
 * Code objects are not GC-tracked in CPython 3.11 (no tp_traverse) and neither are ours.
 * The instruction and position arrays are plain host memory: CPython keeps bytecode
 * inside the code object's own allocation, but nothing a program can observe depends on
 * where it lives, and keeping it out of the modelled heap keeps the arena map about the
 * program's objects.
 */
#include "pm.h"

static PmObject *as_tuple(PmVM *vm, PmObject *list)
{
    return Pm_IS_TYPE(vm, list, TUPLE) ? Pm_NewRef(list) : PmList_AsTuple(vm, list);
}

/* CPython 3.11: a code object is 184 bytes then its 2-byte code units, rounded up to 8
 * (_PyObject_VAR_SIZE); co_ncode stands for CPython's number of code units. */
enum { CODE_MODEL_BASE = 184, CODE_MODEL_UNIT = 2 };

static Pm_ssize_t code_model_size(Pm_ssize_t ncode)
{
    return (CODE_MODEL_BASE + CODE_MODEL_UNIT * ncode + 7) & ~(Pm_ssize_t)7;
}

PmObject *pm_code_new(PmVM *vm, const PmInstr *code, const PmPosition *pos, int ncode,
                      PmObject *consts, PmObject *names, PmObject *localsplusnames,
                      const uint8_t *kinds, int nlocals, int ncellvars, int nfreevars,
                      int argcount, int posonlyargcount, int kwonlyargcount, int stacksize,
                      int nblocks, int flags, int firstlineno, PmObject *filename,
                      PmObject *name, PmObject *qualname)
{
    PmCode *co = (PmCode *)pm_object_alloc(vm, PMT(vm, CODE), sizeof(PmCode),
                                           (size_t)code_model_size(ncode));
    if (co == NULL) return NULL;
    int nlp = (int)Pm_SIZE(localsplusnames);
    co->co_code = malloc((size_t)(ncode ? ncode : 1) * sizeof(PmInstr));
    co->co_positions = malloc((size_t)(ncode ? ncode : 1) * sizeof(PmPosition));
    co->co_localspluskinds = malloc((size_t)(nlp ? nlp : 1));
    co->co_consts = as_tuple(vm, consts);
    co->co_names = as_tuple(vm, names);
    co->co_localsplusnames = as_tuple(vm, localsplusnames);
    if (!co->co_code || !co->co_positions || !co->co_localspluskinds || !co->co_consts ||
        !co->co_names || !co->co_localsplusnames) {
        Pm_DECREF(vm, (PmObject *)co);
        return PmErr_Occurred(vm) ? NULL : PmErr_NoMemory(vm);
    }
    memcpy(co->co_code, code, (size_t)ncode * sizeof(PmInstr));
    memcpy(co->co_positions, pos, (size_t)ncode * sizeof(PmPosition));
    memcpy(co->co_localspluskinds, kinds, (size_t)nlp);
    co->co_ncode = ncode;
    co->co_nlocalsplus = nlp;
    co->co_nlocals = nlocals;
    co->co_ncellvars = ncellvars;
    co->co_nfreevars = nfreevars;
    co->co_argcount = argcount;
    co->co_posonlyargcount = posonlyargcount;
    co->co_kwonlyargcount = kwonlyargcount;
    co->co_stacksize = stacksize;
    co->co_nblocks = nblocks;
    co->co_flags = flags;
    co->co_firstlineno = firstlineno;
    co->co_filename = Pm_NewRef(filename);
    co->co_name = Pm_NewRef(name);
    co->co_qualname = Pm_NewRef(qualname);
    return (PmObject *)co;
}

int pm_code_line(PmCode *co, int lasti)
{
    if (lasti < 0 || lasti >= co->co_ncode) return co->co_firstlineno;
    return co->co_positions[lasti].lineno;
}

static void code_dealloc(PmVM *vm, PmObject *o)
{
    PmCode *co = (PmCode *)o;
    free(co->co_code);
    free(co->co_positions);
    free(co->co_localspluskinds);
    free(co->co_cell2arg);
    Pm_CLEAR(vm, co->co_consts);
    Pm_CLEAR(vm, co->co_names);
    Pm_CLEAR(vm, co->co_localsplusnames);
    Pm_CLEAR(vm, co->co_filename);
    Pm_CLEAR(vm, co->co_name);
    Pm_CLEAR(vm, co->co_qualname);
    pm_object_free(vm, o);
}

/* CPython 3.11 keeps the bytecode inline: basicsize plus two bytes per code unit. */
static Pm_ssize_t code_sizeof(PmVM *vm, PmObject *o)
{
    (void)vm;
    return code_model_size(((PmCode *)o)->co_ncode);
}

static PmObject *code_repr(PmVM *vm, PmObject *o)
{
    PmCode *co = (PmCode *)o;
    return PmStr_FromFormat(vm, "<code object %U at %p, file \"%U\", line %d>", co->co_name,
                            (void *)o, co->co_filename, co->co_firstlineno);
}

static PmObject *names_of_kind(PmVM *vm, PmCode *co, int kind)
{
    PmObject *l = PmList_New(vm, 0);
    if (l == NULL) return NULL;
    for (int i = 0; i < co->co_nlocalsplus; i++) {
        if (!(co->co_localspluskinds[i] & kind)) continue;
        if (PmList_Append(vm, l, PmTuple_GET_ITEM(co->co_localsplusnames, i)) < 0) {
            Pm_DECREF(vm, l);
            return NULL;
        }
    }
    PmObject *t = PmList_AsTuple(vm, l);
    Pm_DECREF(vm, l);
    return t;
}

static PmObject *code_varnames(PmVM *vm, PmObject *o) { return names_of_kind(vm, (PmCode *)o, PM_CO_FAST_LOCAL); }
static PmObject *code_cellvars(PmVM *vm, PmObject *o) { return names_of_kind(vm, (PmCode *)o, PM_CO_FAST_CELL); }
static PmObject *code_freevars(PmVM *vm, PmObject *o) { return names_of_kind(vm, (PmCode *)o, PM_CO_FAST_FREE); }
static PmObject *code_consts(PmVM *vm, PmObject *o) { (void)vm; return Pm_NewRef(((PmCode *)o)->co_consts); }
static PmObject *code_names(PmVM *vm, PmObject *o) { (void)vm; return Pm_NewRef(((PmCode *)o)->co_names); }
static PmObject *code_name(PmVM *vm, PmObject *o) { (void)vm; return Pm_NewRef(((PmCode *)o)->co_name); }
static PmObject *code_qualname(PmVM *vm, PmObject *o) { (void)vm; return Pm_NewRef(((PmCode *)o)->co_qualname); }
static PmObject *code_filename(PmVM *vm, PmObject *o) { (void)vm; return Pm_NewRef(((PmCode *)o)->co_filename); }
static PmObject *code_firstlineno(PmVM *vm, PmObject *o) { return PmLong_FromLongLong(vm, ((PmCode *)o)->co_firstlineno); }
static PmObject *code_argcount(PmVM *vm, PmObject *o) { return PmLong_FromLongLong(vm, ((PmCode *)o)->co_argcount); }
static PmObject *code_flags(PmVM *vm, PmObject *o) { return PmLong_FromLongLong(vm, ((PmCode *)o)->co_flags); }

static const PmGetSetDef code_getset[] = {
    {"co_varnames", code_varnames, NULL}, {"co_cellvars", code_cellvars, NULL},
    {"co_freevars", code_freevars, NULL}, {"co_consts", code_consts, NULL},
    {"co_names", code_names, NULL}, {"co_name", code_name, NULL},
    {"co_qualname", code_qualname, NULL}, {"co_filename", code_filename, NULL},
    {"co_firstlineno", code_firstlineno, NULL}, {"co_argcount", code_argcount, NULL},
    {"co_flags", code_flags, NULL},
    {NULL, NULL, NULL}
};

const PmType PmCode_Template = {
    .tp_name = "code",
    .tp_doc = "code(argcount, posonlyargcount, kwonlyargcount, nlocals, stacksize,\n"
              "     flags, codestring, constants, names, varnames, filename, name,\n"
              "     qualname, firstlineno, linetable, exceptiontable, freevars=(),\n"
              "     cellvars=(), /)\n"
              "--\n"
              "\n"
              "Create a code object.  Not for the faint of heart.",
    .tp_basicsize = CODE_MODEL_BASE,
    .tp_itemsize = CODE_MODEL_UNIT,
    .tp_kind = PMT_CODE,
    .tp_sizeof = code_sizeof,
    .tp_dealloc = code_dealloc,
    .tp_repr = code_repr,
    .tp_hash = pm_hash_pointer_slot,
    .tp_getattro = PmObject_GenericGetAttr,
    .tp_getset = code_getset,
};
