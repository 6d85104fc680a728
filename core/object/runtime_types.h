/*
 * runtime_types.h -- the types the language machinery is made of: code, functions, cells,
 * bound methods, builtin functions, descriptors, classes and instances, modules, frames,
 * generators, tracebacks and exceptions.  Included by types.h.
 */
#ifndef PM_RUNTIME_TYPES_H
#define PM_RUNTIME_TYPES_H

/* ====================================================================== object.c */
extern const PmType PmBaseObject_Template, PmNone_Template, PmNotImplemented_Template,
    PmEllipsis_Template;
/* genericalias.c: types.GenericAlias (list[int]) and types.UnionType (int | str). */
extern const PmType PmGenericAlias_Template, PmUnion_Template;
/* cls.__class_getitem__(item), a classmethod of list, tuple, dict, set, frozenset. */
PmObject *pm_generic_alias_class_getitem(PmVM *vm, PmObject *cls, PmObject *const *args,
                                         size_t nargs, PmObject *kwnames);
/* X | Y for types, None, aliases and unions (type's nb_or), or NotImplemented. */
PmObject *pm_union_type_or(PmVM *vm, PmObject *self, PmObject *other);
/* The arguments of a types.UnionType (borrowed), NULL for any other object. */
PmObject *pm_union_args_borrow(PmObject *u);

/* reduce.c: object.__reduce_ex__, __reduce__ and __getstate__ (the pickle protocol), and
 * obj.__getstate__() as CPython's _PyObject_GetState (set.__reduce__ uses it). */
PmObject *pm_reduce_object_reduce_ex(PmVM *vm, PmObject *self, PmObject *const *args,
                                     size_t nargs, PmObject *kwnames);
PmObject *pm_reduce_object_reduce(PmVM *vm, PmObject *self, PmObject *const *args,
                                  size_t nargs, PmObject *kwnames);
PmObject *pm_reduce_object_getstate(PmVM *vm, PmObject *self, PmObject *const *args,
                                    size_t nargs, PmObject *kwnames);
PmObject *pm_reduce_getstate(PmVM *vm, PmObject *obj);

/* ====================================================================== code.c */
/* Kinds of the names in co_localsplusnames (CPython's CO_FAST_*). */
enum { PM_CO_FAST_LOCAL = 0x20, PM_CO_FAST_CELL = 0x40, PM_CO_FAST_FREE = 0x80 };
/* co_flags, same bits as CPython. */
enum {
    PM_CO_OPTIMIZED = 0x1, PM_CO_NEWLOCALS = 0x2, PM_CO_VARARGS = 0x4,
    PM_CO_VARKEYWORDS = 0x8, PM_CO_NESTED = 0x10, PM_CO_GENERATOR = 0x20
};
/* One instruction: opcode in the low 8 bits, argument in the high 24. */
typedef uint32_t PmInstr;
#define PM_OP(i) ((i) & 0xff)
#define PM_ARG(i) ((i) >> 8)
/* Source span of an instruction (for tracebacks with carets and line stepping). */
typedef struct PmPosition {
    int32_t lineno, end_lineno;
    int32_t col, end_col;       /* 0-based UTF-8 byte columns; -1 unknown */
} PmPosition;
typedef struct PmCode {
    PmObject ob_base;
    PmInstr *co_code;           /* owned (raw memory) */
    PmPosition *co_positions;   /* one per instruction */
    Pm_ssize_t co_ncode;
    PmObject *co_consts;        /* tuple */
    PmObject *co_names;         /* tuple of str: globals, attributes */
    PmObject *co_localsplusnames; /* tuple of str: locals, then cells, then frees */
    uint8_t *co_localspluskinds;  /* owned */
    PmObject *co_filename, *co_name, *co_qualname;
    int co_argcount, co_posonlyargcount, co_kwonlyargcount;
    int co_nlocalsplus, co_nlocals, co_ncellvars, co_nfreevars;
    int co_stacksize, co_nblocks;
    int co_flags, co_firstlineno;
    /* for each cell variable that is also an argument: its argument index, else -1 */
    int *co_cell2arg;
} PmCode;
extern const PmType PmCode_Template;
/* Build a code object; copies code/positions, takes new references to the objects. */
PmObject *pm_code_new(PmVM *vm, const PmInstr *code, const PmPosition *pos, int ncode,
                      PmObject *consts, PmObject *names, PmObject *localsplusnames,
                      const uint8_t *kinds, int nlocals, int ncellvars, int nfreevars, int argcount,
                      int posonlyargcount, int kwonlyargcount, int stacksize, int nblocks,
                      int flags, int firstlineno, PmObject *filename, PmObject *name,
                      PmObject *qualname);
/* Line of the instruction at index lasti. */
int pm_code_line(PmCode *co, int lasti);

/* ====================================================================== funcobject.c */
typedef struct PmFunction {
    PmObject ob_base;
    PmObject *func_code, *func_globals, *func_builtins, *func_name, *func_qualname;
    PmObject *func_defaults;     /* tuple or NULL */
    PmObject *func_kwdefaults;   /* dict or NULL */
    PmObject *func_closure;      /* tuple of cells or NULL */
    PmObject *func_doc, *func_dict, *func_module, *func_weakreflist;
    PmObject *func_annotations;  /* dict, made on first access to __annotations__, or NULL */
} PmFunction;
typedef struct PmCell {
    PmObject ob_base;
    PmObject *ob_ref;            /* NULL when empty */
} PmCell;
typedef struct PmMethod {        /* bound method */
    PmObject ob_base;
    PmObject *im_func, *im_self, *im_weakreflist;
} PmMethod;
/* Builtin functions and bound methods of builtin types (builtin_function_or_method). */
typedef struct PmCFunction {
    PmObject ob_base;
    const PmMethodDef *m_ml;
    PmObject *m_self;            /* bound object, module, or NULL */
    PmObject *m_module;
    PmObject *m_weakreflist;
} PmCFunction;
extern const PmType PmFunction_Template, PmCell_Template, PmMethod_Template,
    PmCFunction_Template;
PmObject *PmFunction_New(PmVM *vm, PmObject *code, PmObject *globals, PmObject *qualname);
PmObject *PmCell_New(PmVM *vm, PmObject *ref);
PmObject *PmMethod_New(PmVM *vm, PmObject *func, PmObject *self);
PmObject *PmCFunction_New(PmVM *vm, const PmMethodDef *ml, PmObject *self, PmObject *module);
/* Call an attribute found in a type's dict as an unbound method: args[0] is self. */
PmObject *pm_call_unbound(PmVM *vm, PmObject *meth, PmObject *const *args, size_t nargs);
/* Call a PmMethodDef with argument-count checking by its flags. */
PmObject *pm_call_methoddef(PmVM *vm, const PmMethodDef *ml, PmObject *self,
                            PmObject *const *args, size_t nargs, PmObject *kwnames);

/* ====================================================================== descrobject.c */
typedef struct PmDescr {
    PmObject ob_base;
    PmType *d_type;              /* borrowed: the type owns its dict, which owns us */
    PmObject *d_name;
    union {
        const PmMethodDef *d_method;
        const PmGetSetDef *d_getset;
        Pm_ssize_t d_member_index; /* __slots__ member: index into the instance's slots */
        const struct PmWrapperDef *d_wrapper;
    } u;
} PmDescr;
/* A slot wrapper (int.__add__, object.__init__): calls the slot of the type that defines it. */
typedef PmObject *(*pm_wrapperfunc)(PmVM *, PmType *type, PmObject *self, PmObject *const *args,
                                    size_t nargs, PmObject *kwnames, const struct PmWrapperDef *def);
typedef struct PmWrapperDef {
    const char *name;
    size_t offset;               /* of the slot in PmType */
    pm_wrapperfunc wrapper;
    int op;                      /* rich comparison op or binary op number */
    int nargs;                   /* expected arguments besides self, -1 any */
} PmWrapperDef;
typedef struct PmProperty {
    PmObject ob_base;
    PmObject *prop_get, *prop_set, *prop_del, *prop_doc, *prop_name;
} PmProperty;
typedef struct PmStaticOrClassMethod {
    PmObject ob_base;
    PmObject *sm_callable, *sm_dict;
} PmStaticOrClassMethod;
typedef struct PmSuper {
    PmObject ob_base;
    PmType *type;                /* the class super() was called in */
    PmObject *obj;               /* instance or class */
    PmType *obj_type;
} PmSuper;
typedef struct PmMappingProxy {
    PmObject ob_base;
    PmObject *mapping;
} PmMappingProxy;
extern const PmType PmMethodDescr_Template, PmClassMethodDescr_Template,
    PmGetSetDescr_Template, PmMemberDescr_Template, PmWrapperDescr_Template, PmProperty_Template,
    PmStaticMethod_Template, PmClassMethod_Template, PmSuper_Template,
    PmMappingProxy_Template;
PmObject *PmDescr_NewMethod(PmVM *vm, PmType *tp, const PmMethodDef *ml);
PmObject *PmDescr_NewGetSet(PmVM *vm, PmType *tp, const PmGetSetDef *gs);
PmObject *PmDescr_NewMember(PmVM *vm, PmType *tp, PmObject *name, Pm_ssize_t index);
PmObject *PmDescr_NewWrapper(PmVM *vm, PmType *tp, const PmWrapperDef *def);
PmObject *pm_staticmethod_new(PmVM *vm, PmObject *callable);
PmObject *pm_classmethod_new(PmVM *vm, PmObject *callable);
PmObject *pm_mappingproxy_new(PmVM *vm, PmObject *mapping);
PmObject *pm_super_new(PmVM *vm, PmType *type, PmObject *obj);
/* super() with no arguments: __class__ cell and first argument of the calling frame. */
PmObject *pm_super_zero_args(PmVM *vm);
/* super(type, obj).name */
PmObject *pm_super_lookup(PmVM *vm, PmSuper *su, PmObject *name);
/* Bind an attribute found on a type to `self` (its __get__), new reference. */
PmObject *pm_bind(PmVM *vm, PmObject *attr, PmObject *self);
/* Call `callable` with self prepended to args (no bound method is made when avoidable). */
PmObject *pm_call_with_self(PmVM *vm, PmObject *callable, PmObject *self,
                            PmObject *const *args, size_t nargs, PmObject *kwnames);

/* ====================================================================== typeobject.c */
/* Instances of classes defined in Python.  CPython 3.11 keeps their attributes inline
 * ("values") until something asks for __dict__: then a dict object is made and owned.
 *   values != NULL, dict == NULL   inline attributes (no dict object exists)
 *   values == NULL, dict != NULL   materialised __dict__
 *   both NULL                      no attributes yet (or __slots__ without __dict__)
 * `slots` (after the struct, ht_nslots of them) hold __slots__ members. */
typedef struct PmInlineValues {
    Pm_ssize_t n, cap;
    PmObject **keys;             /* interned str, owned */
    PmObject **vals;             /* owned; NULL for a deleted attribute */
} PmInlineValues;
/* Every instance of a heap type carries this block at tp->ht_extra_offset (right after the
 * base type's struct: PmObject for plain classes, PmList for subclasses of list, ...). */
typedef struct PmInstanceExtra {
    PmInlineValues *values;
    PmObject *dict;
    PmObject *weakreflist;
} PmInstanceExtra;
typedef struct PmInstance {
    PmObject ob_base;
    PmInstanceExtra x;
} PmInstance;
#define PmInstance_EXTRA(o) ((PmInstanceExtra *)((char *)(o) + Pm_TYPE(o)->ht_extra_offset))
#define PmInstance_SLOTS(o) ((PmObject **)((char *)(o) + Pm_TYPE(o)->ht_slot_offset))
extern const PmType PmType_Template;
#define PmType_Check(o) (PmType_HasFeature(Pm_TYPE(o), PM_TPFLAGS_TYPE_SUBCLASS))
/* class statement: type(name, bases, ns) */
PmObject *PmType_FromClassBody(PmVM *vm, PmObject *name, PmObject *bases, PmObject *ns,
                               PmObject *qualname);
/* Finish a builtin type copied from its template (dict, mro, base).  vm/init.c calls it. */
int PmType_Ready(PmVM *vm, PmType *tp);
/* The instance's __dict__, materialising it from inline values; borrowed or NULL. */
PmObject *pm_instance_get_dict(PmVM *vm, PmObject *o);
Pm_ssize_t pm_type_instance_sizeof(PmVM *vm, PmObject *o);
/* Attribute storage of heap-type instances (inline values or the materialised dict). */
PmObject *pm_instance_getattr_borrow(PmVM *vm, PmObject *o, PmObject *name);
int pm_instance_setattr(PmVM *vm, PmObject *o, PmObject *name, PmObject *value);
/* A new instance of heap type `tp` (object.__new__ for classes defined in Python). */
PmObject *pm_instance_new(PmVM *vm, PmType *tp);
void pm_instance_dealloc(PmVM *vm, PmObject *o);
int pm_instance_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg);
int pm_instance_clear(PmVM *vm, PmObject *o);
extern const PmGetSetDef pm_instance_dict_getset, pm_instance_weakref_getset;
/* A new class's shared keys (CPython's _PyDict_NewKeysForClass, when instances get a dict
 * of the class's own making) and their release with the class.  0 / -1. */
int pm_shared_keys_new(PmVM *vm, PmType *tp);
void pm_shared_keys_free(PmVM *vm, PmType *tp);
/* CPython's _PyDict_KeysSize of those keys (type.__sizeof__ adds it), 0 if none. */
size_t pm_shared_keys_sizeof(PmType *tp);

/* typeattrs.c: CPython's layout model of a type (__flags__ and friends), version tags,
 * docstrings, the subclass registry and the class-level methods of `type`. */
uint32_t pm_type_model_flags(PmVM *vm, PmType *tp);           /* type.__flags__ */
Pm_ssize_t pm_type_model_dictoffset(PmVM *vm, PmType *tp);    /* type.__dictoffset__ */
Pm_ssize_t pm_type_model_weaklistoffset(PmVM *vm, PmType *tp); /* type.__weakrefoffset__ */
/* PmType_Lookup calls this when it searches the MRO: the type and its bases get CPython's
 * Py_TPFLAGS_VALID_VERSION_TAG. */
void pm_type_assign_tag(PmType *tp);
/* CPython's PyType_Modified(tp): tp and its subclasses lose the tag; the cache is reset. */
void pm_type_modified(PmVM *vm, PmType *tp);
/* Before a program runs: the builtin types' tags as a fresh CPython process has them. */
void pm_type_begin_run(PmVM *vm);
/* The docstring of a type whose tp_doc is `doc` (NULL: None), without its signature. */
PmObject *pm_type_doc_from_internal(PmVM *vm, const char *name, const char *doc);
/* base.__subclasses__() bookkeeping (class creation, PmType_Ready, type_dealloc). */
int pm_type_add_subclass(PmVM *vm, PmType *base, PmType *tp);
void pm_type_remove_subclass(PmVM *vm, PmType *base, PmType *tp);
/* CPython's merge_class_dict (dir()): dict |= cls.__dict__ and its bases', recursively. */
int pm_merge_class_dict(PmVM *vm, PmObject *dict, PmObject *cls);
/* TypeError "Can't instantiate abstract class ..." (always returns NULL). */
PmObject *pm_type_abstract_error(PmVM *vm, PmType *tp);
extern const PmMethodDef pm_type_attr_methods[];
PmObject *pm_type_get_basicsize(PmVM *vm, PmObject *o);
PmObject *pm_type_get_itemsize(PmVM *vm, PmObject *o);
PmObject *pm_type_get_flags(PmVM *vm, PmObject *o);
PmObject *pm_type_get_dictoffset(PmVM *vm, PmObject *o);
PmObject *pm_type_get_weakrefoffset(PmVM *vm, PmObject *o);
PmObject *pm_type_get_text_signature(PmVM *vm, PmObject *o);
PmObject *pm_type_get_abstractmethods(PmVM *vm, PmObject *o);
int pm_type_set_abstractmethods(PmVM *vm, PmObject *o, PmObject *value);
PmObject *pm_type_get_annotations(PmVM *vm, PmObject *o);
int pm_type_set_annotations(PmVM *vm, PmObject *o, PmObject *value);

/* ====================================================================== module.c */
/* getsizeof 72.  The dict starts as {__name__, __doc__, __package__, __loader__, __spec__}. */
typedef struct PmModule {
    PmObject ob_base;
    PmObject *md_dict;
    PmObject *md_name;
    PmObject *md_weaklist;
    bool md_builtin;             /* made by the core (sys, gc, ...): repr says "(built-in)" */
} PmModule;
extern const PmType PmModule_Template;
PmObject *PmModule_New(PmVM *vm, const char *name);
/* Add builtin functions (m_self = module) under interned names.  0 or -1. */
int pm_module_add_functions(PmVM *vm, PmObject *module, const PmMethodDef *defs);
/* module.NAME = value; steals `value` (NULL is an error already set).  0 or -1. */
int pm_module_add_object(PmVM *vm, PmObject *module, const char *name, PmObject *value);
/* A module CPython imports while starting up (weakref, copyreg), made by `create` when a
 * program first needs it: as in CPython, where it exists already, its making runs no
 * automatic collection, leaves the collector's allocation count as it was, and its objects
 * end up in the oldest generation.  New reference or NULL. */
typedef PmObject *(*pm_module_initfunc)(PmVM *vm);
PmObject *pm_module_make_as_startup(PmVM *vm, pm_module_initfunc create);
/* Compile the Python source of a module the core carries and run it in `dict`, with
 * `filename` as CPython's copy of it is named.  0, or -1 with an exception. */
int pm_module_exec_source(PmVM *vm, PmObject *dict, const char *src, size_t len,
                          const char *filename);

/* ====================================================================== lib/ (builtins, sys, io) */
/* vm/init.c calls these once types, exceptions and identifiers exist, in this order:
 * pm_builtins_init (the builtins module; vm->builtins is its dict), pm_sys_init (the sys
 * module, its stdout/stderr, vm->modules = sys.modules with sys and builtins in it). */
int pm_builtins_init(PmVM *vm);
int pm_sys_init(PmVM *vm);
/* `import NAME`: create the builtin module NAME on first import (sys, builtins, gc, weakref,
 * tracemalloc -- the ones linked in), register it in sys.modules and return it (new ref).
 * NULL *without* an exception when there is no such module (the caller raises
 * ModuleNotFoundError); NULL with an exception if creating it failed. */
PmObject *pm_import_builtin_module(PmVM *vm, PmObject *name);
/* Module init functions written elsewhere (lib/gcmodule.c, ...) return a new module
 * (pm_module_initfunc, above). */
/* lib/copyregmodule.c: the copyreg module (object/reduce.c's helpers). */
PmObject *pm_copyregmodule_init(PmVM *vm);
/* Tear down what pm_sys_init made (sys.stdout/stderr, the pending buffers, sysdict,
 * sys.modules); vm/init.c calls it when destroying the VM, after the last pm_io_flush. */
void pm_sys_fini(PmVM *vm);
/* sys.argv = [filename] (pml_run; CPython's argv[0] is the script path as given). */
int pm_sys_set_argv(PmVM *vm, const char *filename);

/* Helpers of lib/builtins.c shared with the other lib/ modules. */
/* CPython's _PyArg_UnpackKeywords: parameters names[0..n), the first `posonly` positional-
 * only, `minpos` required, at most `maxpos` positional; out[i] borrowed or NULL.  0 / -1. */
int pm_builtins_unpack(PmVM *vm, const char *fname, PmObject *const *args, size_t nargs,
                       PmObject *kwnames, const char *const *names, int n, int posonly,
                       int minpos, int maxpos, PmObject **out);
/* CPython's PyFile_WriteObject(v, file, Py_PRINT_RAW): file.write(str(v)).  0 / -1. */
int pm_builtins_write_object(PmVM *vm, PmObject *file, PmObject *v);
/* sys.stdout / sys.stderr as the program sees them now (borrowed, may be NULL); name is
 * PMID(vm, stdout) or PMID(vm, stderr). */
PmObject *pm_builtins_sys_stream(PmVM *vm, PmObject *name);
/* dir(o): the sorted list of type(o).__dir__(o) (new reference). */
PmObject *pm_builtins_dir(PmVM *vm, PmObject *o);
/* globals() of the running frame (borrowed) and locals() (new reference). */
PmObject *pm_builtins_globals_borrow(PmVM *vm);
PmObject *pm_builtins_locals(PmVM *vm);
/* The builtins module object, borrowed (NULL if it cannot be found). */
PmObject *pm_builtins_module_borrow(PmVM *vm);

/* lib/io.c: sys.stdout and sys.stderr (CPython's TextIOWrapper write model; stdout keeps
 * written ASCII str objects in vm->stdout_pending until 8192 bytes or a flush). */
typedef struct PmTextIO {
    PmObject ob_base;
    int stream;                  /* PML_STDOUT or PML_STDERR */
    bool line_buffering;         /* stderr: flush when a write contains \n or \r */
    PmObject *pending;           /* stderr's pending buffer (stdout uses vm->stdout_pending) */
    Pm_ssize_t pending_count;
    Pm_ssize_t delivered;        /* bytes of the pending buffer already shown to the host */
} PmTextIO;
extern const PmType PmTextIO_Template;
/* A new sys.stdout / sys.stderr object for stream PML_STDOUT / PML_STDERR. */
PmObject *pm_io_new_stream(PmVM *vm, int stream);
/* Flush every pending buffer to the host (end of a run: CPython's flush_std_files). */
void pm_io_flush(PmVM *vm);
/* Drop the pending buffers without writing them (VM reset). */
void pm_io_reset(PmVM *vm);
/* Host output bypassing the output limit (the runner's own messages: limits, internal). */
void pm_write_raw(PmVM *vm, int stream, const char *data, size_t len);

/* ====================================================================== frames (vm/frame.c) */
/* Block stack entry (try/finally/except handlers). */
typedef struct PmTryBlock {
    int type;                    /* PM_BLOCK_* in vm/opcode.h */
    int handler;                 /* instruction index */
    int level;                   /* value stack depth to unwind to */
} PmTryBlock;
/*
 * An executing frame, CPython's _PyInterpreterFrame: lives in the VM's frame stack (not an
 * object, not in pymalloc), or inline in a generator.  localsplus holds locals, cells and
 * free variables, then the evaluation stack.  A frame *object* (PmFrameObject) is made only
 * when something needs one (a traceback); when the frame ends it takes the data over.
 */
struct PmFrame {
    PmFrame *previous;
    PmObject *f_func;            /* strong */
    PmObject *f_globals, *f_builtins; /* borrowed from the function */
    PmObject *f_locals;          /* strong: class bodies and module level (a dict), or NULL */
    PmCode *f_code;              /* borrowed from the function */
    PmObject *frame_obj;         /* the frame object if one was made (strong) */
    PmObject *gen;               /* owning generator, borrowed, or NULL */
    PmObject *exc_info;          /* exception being handled here (strong) or NULL */
    int lasti;                   /* index of the instruction being executed */
    int stacktop;                /* number of values on the evaluation stack */
    int nblocks;
    bool owned_by_object;        /* data lives in a frame object after the call ended */
    bool is_entry;               /* returning from it returns to C (pm_eval's caller) */
    bool on_datastack;           /* allocated from vm->datastack (not a generator's) */
    size_t alloc_size;           /* bytes of this frame (for copying into gen/frame objects) */
    PmTryBlock *blocks;             /* co_nblocks entries, after localsplus */
    PmObject *localsplus[1];     /* co_nlocalsplus + co_stacksize */
};
typedef struct PmFrameObject {
    PmObject ob_base;
    PmFrame *f_frame;            /* the live frame, or the copy this object owns */
    PmObject *f_back;
    int f_lineno;
} PmFrameObject;
typedef struct PmTraceback {
    PmObject ob_base;
    PmObject *tb_next;
    PmObject *tb_frame;
    int tb_lasti, tb_lineno;
} PmTraceback;
extern const PmType PmFrameObject_Template, PmTraceback_Template;
/* The frame object of a live frame, made on first use (borrowed: the frame holds it). */
PmObject *pm_frame_get_object(PmVM *vm, PmFrame *f);
/* A frame is ending: if a frame object exists, hand the frame's data over to it. */
void pm_frame_object_take_ownership(PmVM *vm, PmFrame *f);
PmObject *pm_traceback_new(PmVM *vm, PmObject *next, PmFrame *f);

/* ====================================================================== vm/ceval.c */
/* Call a Python function from C with borrowed arguments (CPython's _PyFunction_Vectorcall). */
PmObject *pm_eval_call(PmVM *vm, PmObject *func, PmObject *const *args, size_t nargs,
                       PmObject *kwnames);
/* Run a code object as a module body with `locals` as its namespace. */
PmObject *pm_eval_code(PmVM *vm, PmObject *code, PmObject *globals, PmObject *locals);
/* Run a class body: `func`'s code with `ns` as its locals and func's closure (CPython's
 * _PyEval_Vector(func, locals=ns)).  Returns what the body returns (the __class__ cell or
 * None). */
PmObject *pm_eval_class_body(PmVM *vm, PmObject *func, PmObject *ns);
/* Run a frame (a new one, or a generator's) until it returns or yields. */
PmObject *pm_eval_frame(PmVM *vm, PmFrame *f, PmObject *sent, bool throw);
/* Release a frame's locals and stack (in index order) and its function. */
void pm_frame_clear(PmVM *vm, PmFrame *f);
size_t pm_frame_size(PmCode *co);

/* ====================================================================== genobject.c */
typedef struct PmGen {
    PmObject ob_base;
    PmObject *gi_name, *gi_qualname, *gi_weakreflist;
    PmObject *gi_exc_state;      /* the exception being handled inside, while suspended */
    int gi_running;              /* 0 created/suspended, 1 running */
    int gi_closed;               /* frame finished or closed */
    int gi_started;
    PmFrame *gi_frame;           /* owned, raw memory */
    Pm_ssize_t gi_sizeof;        /* CPython's __sizeof__, fixed at creation (genobject.c) */
} PmGen;
extern const PmType PmGen_Template;
/* Move a frame (just started by RETURN_GENERATOR) into a new generator. */
PmObject *pm_gen_new_from_frame(PmVM *vm, PmFrame *f);
/* send(value) / next(): the yielded value, or NULL: finished (no exception, *retval set to
 * the return value) or error. */
PmObject *pm_gen_send(PmVM *vm, PmObject *gen, PmObject *value, PmObject **retval);

/* ====================================================================== exceptions.c */
/* CPython 3.11's PyBaseExceptionObject plus the fields of the subclasses that have some
 * (StopIteration, SystemExit, NameError, AttributeError, ImportError, OSError, SyntaxError):
 * one struct for all of them, so heap subclasses (class E(KeyError)) put their extra block
 * at the same offset whatever the base.  Unused fields stay NULL.  Modelled sizes (getsizeof)
 * are CPython's per type: 88 for most, StopIteration/SystemExit/NameError 96,
 * AttributeError 104, ImportError 112, OSError 128, SyntaxError 152.
 *
 *   fields[]          StopIteration  SystemExit  NameError  AttributeError  ImportError
 *   0 (== extra)      value          code        name       name            msg
 *   1                                                       obj             name
 *   2                                                                       path
 *                     OSError        SyntaxError
 *   0..7              errno          msg, filename, lineno, offset, text, end_lineno,
 *                     strerror       end_offset, print_file_and_line
 *                     filename
 *                     filename2
 *
 * Builtin exceptions cannot be weakly referenced (as in CPython); instances of subclasses
 * defined in Python keep their weakref list and attributes in their PmInstanceExtra block. */
enum { PM_EXC_NFIELDS = 8 };
typedef struct PmBaseException {
    PmObject ob_base;
    PmObject *dict;
    PmObject *args;              /* tuple */
    PmObject *notes;             /* unused in 3.11: add_note keeps __notes__ in the dict */
    PmObject *traceback, *context, *cause;
    char suppress_context;
    union {
        PmObject *extra;         /* fields[0] */
        PmObject *fields[PM_EXC_NFIELDS];
    };
} PmBaseException;
extern const PmType PmBaseException_Template;
#define PmExc_Check(o) (PmType_HasFeature(Pm_TYPE(o), PM_TPFLAGS_BASE_EXC_SUBCLASS))
#define PmExcClass_Check(o) (PmType_Check(o) && PmType_HasFeature((PmType *)(o), PM_TPFLAGS_BASE_EXC_SUBCLASS))
/* Create every class of PM_EXCEPTIONS (vm.h) in vm->exc_types, after the builtin types are
 * ready.  exc_types[PME_BaseException] is types[PMT_BASE_EXCEPTION] (made here if init.c did
 * not make it from the template).  0 or -1. */
int pm_exceptions_init(PmVM *vm);
/* CPython's set_attribute_error_context: after a failed attribute lookup of `name` on `obj`,
 * record both on the AttributeError being raised (for "Did you mean" suggestions).  Call it
 * where CPython's PyObject_GetAttr and _PyObject_GetMethod fail. */
void pm_exc_attribute_error_context(PmVM *vm, PmObject *obj, PmObject *name);

/* ====================================================================== vm/traceback.c */
/* Print an uncaught exception on stderr exactly as `python3 FILE.py` 3.11 does: the chain of
 * causes/contexts, "Traceback (most recent call last):", the entries with source lines and
 * carets, the SyntaxError details, "Type: message. Did you mean: 'x'?", the notes.  Does
 * not handle SystemExit (see pm_handle_system_exit).  Leaves no exception set. */
void pm_print_exception(PmVM *vm, PmObject *exc);
/* The same for pml_run's uncaught exception; also keeps its last line in vm->last_exc. */
void pm_print_uncaught(PmVM *vm, PmObject *exc);
/* The last line of that output (without newline) as a str, e.g. "KeyError: 'k'"; NULL +
 * exception only for MemoryError. */
PmObject *pm_format_exception_only(PmVM *vm, PmObject *exc);
/* CPython's handle_system_exit for an uncaught SystemExit: the exit status (code None -> 0,
 * an int -> its value, anything else is printed on stderr -> 1). */
int pm_handle_system_exit(PmVM *vm, PmObject *exc);
/* Keep a copy of the program's source so tracebacks can show its lines (frames whose
 * co_filename equals `filename`).  pm_traceback_free_source releases it (VM teardown). */
void pm_traceback_set_source(PmVM *vm, const char *filename, const char *src, size_t len);
void pm_traceback_free_source(PmVM *vm);

#endif /* PM_RUNTIME_TYPES_H */
