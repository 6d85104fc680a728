/*
 * init.c -- creating, running and destroying a lab: the public API of pymemlab.h.
 *
 * pml_new builds the per-VM world in dependency order:
 *   1. the allocator and the collector's lists;
 *   2. every builtin type object, copied from its const template (static memory);
 *   3. the static singletons: None, NotImplemented, Ellipsis, small ints, bools, the empty
 *      tuple and string, the latin-1 characters, the interned-string table;
 *   4. each type readied (dict of methods and slot wrappers, MRO), then the exceptions;
 *   5. the builtins and sys modules.
 * pml_run parses, compiles and runs one program in a fresh __main__, then tears __main__
 * down the way CPython's shutdown does, so __del__ methods run and print as they would.
 */
#include "pm.h"
#include "lang/parser.h"
#include "lang/compile.h"
#include "trace/pm_trace.h"

static const PmType *const templates[PMT__COUNT] = {
    [PMT_OBJECT] = &PmBaseObject_Template, [PMT_TYPE] = &PmType_Template,
    [PMT_NONE] = &PmNone_Template, [PMT_NOTIMPL] = &PmNotImplemented_Template,
    [PMT_ELLIPSIS] = &PmEllipsis_Template, [PMT_INT] = &PmLong_Template,
    [PMT_BOOL] = &PmBool_Template, [PMT_FLOAT] = &PmFloat_Template,
    [PMT_STR] = &PmStr_Template, [PMT_TUPLE] = &PmTuple_Template, [PMT_LIST] = &PmList_Template,
    [PMT_DICT] = &PmDict_Template, [PMT_SET] = &PmSet_Template,
    [PMT_FROZENSET] = &PmFrozenSet_Template, [PMT_RANGE] = &PmRange_Template,
    [PMT_SLICE] = &PmSlice_Template, [PMT_FUNCTION] = &PmFunction_Template,
    [PMT_CODE] = &PmCode_Template, [PMT_CELL] = &PmCell_Template,
    [PMT_METHOD] = &PmMethod_Template, [PMT_CFUNCTION] = &PmCFunction_Template,
    [PMT_METHOD_DESCR] = &PmMethodDescr_Template,
    [PMT_CLASSMETHOD_DESCR] = &PmClassMethodDescr_Template,
    [PMT_GETSET_DESCR] = &PmGetSetDescr_Template, [PMT_MEMBER_DESCR] = &PmMemberDescr_Template,
    [PMT_WRAPPER_DESCR] = &PmWrapperDescr_Template, [PMT_PROPERTY] = &PmProperty_Template,
    [PMT_STATICMETHOD] = &PmStaticMethod_Template, [PMT_CLASSMETHOD] = &PmClassMethod_Template,
    [PMT_SUPER] = &PmSuper_Template, [PMT_MODULE] = &PmModule_Template,
    [PMT_GENERATOR] = &PmGen_Template, [PMT_FRAME] = &PmFrameObject_Template,
    [PMT_TRACEBACK] = &PmTraceback_Template, [PMT_MAPPINGPROXY] = &PmMappingProxy_Template,
    [PMT_LIST_ITER] = &PmListIter_Template, [PMT_LIST_REVITER] = &PmListRevIter_Template,
    [PMT_TUPLE_ITER] = &PmTupleIter_Template, [PMT_STR_ITER] = &PmStrIter_Template,
    [PMT_SET_ITER] = &PmSetIter_Template, [PMT_RANGE_ITER] = &PmRangeIter_Template,
    [PMT_LONGRANGE_ITER] = &PmLongRangeIter_Template, [PMT_SEQ_ITER] = &PmSeqIter_Template,
    [PMT_CALL_ITER] = &PmCallIter_Template,
    [PMT_DICT_KEYITER] = &PmDictKeyIter_Template, [PMT_DICT_VALUEITER] = &PmDictValueIter_Template,
    [PMT_DICT_ITEMITER] = &PmDictItemIter_Template,
    [PMT_DICT_REVKEYITER] = &PmDictRevKeyIter_Template,
    [PMT_DICT_REVVALUEITER] = &PmDictRevValueIter_Template,
    [PMT_DICT_REVITEMITER] = &PmDictRevItemIter_Template,
    [PMT_DICT_KEYS] = &PmDictKeys_Template, [PMT_DICT_VALUES] = &PmDictValues_Template,
    [PMT_DICT_ITEMS] = &PmDictItems_Template, [PMT_ENUMERATE] = &PmEnumerate_Template,
    [PMT_ZIP] = &PmZip_Template, [PMT_MAP] = &PmMap_Template, [PMT_FILTER] = &PmFilter_Template,
    [PMT_REVERSED] = &PmReversed_Template, [PMT_BASE_EXCEPTION] = &PmBaseException_Template,
    [PMT_TEXTIO] = &PmTextIO_Template,
    [PMT_GENERIC_ALIAS] = &PmGenericAlias_Template, [PMT_UNION] = &PmUnion_Template,
    [PMT_WEAKREF] = &PmWeakRef_Template, [PMT_WEAKPROXY] = &PmWeakProxy_Template,
    [PMT_WEAKCALLABLEPROXY] = &PmWeakCallableProxy_Template,
};

const char *pml_version(void)
{
    return PML_VERSION " (CPython 3.11 model)";
}

/* ------------------------------------------------------------------ creation */

static int create_types(PmVM *vm)
{
    for (int k = 0; k < PMT__COUNT; k++) {
        if (templates[k] == NULL) continue;
        PmType *tp = (PmType *)pm_static_alloc(vm, (PmType *)&PmType_Template, sizeof(PmType));
        if (tp == NULL) return -1;
        memcpy((char *)tp + sizeof(PmObject), (const char *)templates[k] + sizeof(PmObject),
               sizeof(PmType) - sizeof(PmObject));
        vm->types[k] = tp;
    }
    for (int k = 0; k < PMT__COUNT; k++)
        if (vm->types[k]) vm->types[k]->ob_base.ob_base.ob_type = vm->types[PMT_TYPE];
    vm->types[PMT_BOOL]->tp_base = vm->types[PMT_INT];
    return 0;
}

static PmObject *singleton(PmVM *vm, int kind)
{
    return pm_static_alloc(vm, vm->types[kind], sizeof(PmObject));
}

static int create_singletons(PmVM *vm)
{
    vm->none = singleton(vm, PMT_NONE);
    vm->notimpl = singleton(vm, PMT_NOTIMPL);
    vm->ellipsis = singleton(vm, PMT_ELLIPSIS);
    if (!vm->none || !vm->notimpl || !vm->ellipsis) return -1;
    pm_int_init_small(vm);
    pm_bool_init(vm);
    pm_tuple_init_empty(vm);
    if (pm_str_init_singletons(vm) < 0 || pm_str_init_interned(vm) < 0) return -1;
    static const char *const idnames[] = {
#define PM_ID_NAME(name) #name,
        PM_IDENTIFIERS(PM_ID_NAME)
#undef PM_ID_NAME
    };
    for (int i = 0; i < PMID__COUNT; i++) {
        vm->ids[i] = PmStr_InternFromString(vm, idnames[i]);
        if (vm->ids[i] == NULL) return -1;
    }
    return PmErr_Occurred(vm) ? -1 : 0;
}

static int ready_types(PmVM *vm)
{
    if (PmType_Ready(vm, vm->types[PMT_OBJECT]) < 0) return -1;
    if (PmType_Ready(vm, vm->types[PMT_INT]) < 0) return -1;
    for (int k = 0; k < PMT__COUNT; k++)
        if (vm->types[k] && vm->types[k]->tp_dict == NULL && PmType_Ready(vm, vm->types[k]) < 0)
            return -1;
    return 0;
}

pml_vm *pml_new(const pml_config *cfg)
{
    PmVM *vm = calloc(1, sizeof(PmVM));
    if (vm == NULL) return NULL;
    pml_config c = cfg ? *cfg : (pml_config){0};
    pmmem_init(&vm->mem, c.memory_limit ? c.memory_limit : (size_t)256 << 20);
    vm->write = c.write;
    vm->userdata = c.userdata;
    vm->step_limit = c.step_limit;
    pm_eval_break(vm);
    vm->output_limit = c.output_limit;
    vm->recursion_limit = c.recursion_limit > 0 ? c.recursion_limit : 1000;
    pm_gc_init(vm);
    if (create_types(vm) < 0 || create_singletons(vm) < 0 || ready_types(vm) < 0 ||
        pm_exceptions_init(vm) < 0 || pm_builtins_init(vm) < 0 || pm_sys_init(vm) < 0) {
        pml_free((pml_vm *)vm);
        return NULL;
    }
    return (pml_vm *)vm;
}

/* ------------------------------------------------------------------ running */

static char *line_of(const char *src, size_t len, int lineno, size_t *outlen)
{
    size_t i = 0;
    for (int l = 1; l < lineno && i < len; i++)
        if (src[i] == '\n') l++;
    size_t j = i;
    while (j < len && src[j] != '\n') j++;
    *outlen = j - i + (j < len);
    char *r = malloc(*outlen + 1);
    if (r) {
        memcpy(r, src + i, *outlen);
        r[*outlen] = 0;
    }
    return r;
}

/* pml_last_exception's text: "Type: message" (or "Type" when message is NULL). */
static void set_last_exception(PmVM *vm, const char *type, const char *msg)
{
    size_t n = strlen(type) + (msg ? 2 + strlen(msg) : 0) + 1;
    char *text = malloc(n);
    if (text) snprintf(text, n, msg ? "%s: %s" : "%s", type, msg);
    free(vm->last_exc);
    vm->last_exc = text;
}

static void report_syntax_error(PmVM *vm, pmparse_error *e, const char *filename,
                                const char *src, size_t len)
{
    pm_io_flush(vm);
    /* a MemoryError from the parser has no message: "MemoryError", as its report ends */
    set_last_exception(vm, e->type ? e->type : "SyntaxError", e->msg[0] ? e->msg : NULL);
    bool own_text = false;
    if (e->text == NULL && e->lineno > 0) {
        e->text = line_of(src, len, e->lineno, &e->text_len);
        own_text = e->text != NULL;
    }
    pmast_buf b = {0};
    pmparse_format_error(&b, e, filename);
    if (b.len) pm_write(vm, PML_STDERR, b.data, b.len);
    pmast_buf_free(&b);
    if (own_text) {
        free(e->text);
        e->text = NULL;
    }
}

/* The parser's and the compiler's warnings, which CPython prints as it finds them: before
 * a syntax error and before the program runs. */
static void print_warnings(PmVM *vm, const pmparse_result *r, const char *filename)
{
    pmast_buf b = {0};
    for (int i = 0; i < r->nwarnings; i++) pmparse_format_warning(&b, filename, &r->warnings[i]);
    if (b.len) pm_write(vm, PML_STDERR, b.data, b.len);
    pmast_buf_free(&b);
}

/* CPython's _PyModule_ClearDict for __main__ at shutdown: names starting with a single
 * underscore first, then the rest (except __builtins__), each set to None in order. */
static void clear_main(PmVM *vm, PmObject *d)
{
    for (int pass = 0; pass < 2; pass++) {
        PmObject *keys = PmDict_Keys(vm, d);
        if (keys == NULL) { PmErr_Clear(vm); return; }
        for (Pm_ssize_t i = 0; i < Pm_SIZE(keys); i++) {
            PmObject *k = PmList_GET_ITEM(keys, i);
            if (!PmStr_Check(k)) continue;
            bool underscore = PmStr_GET_LENGTH(k) >= 1 && PmStr_READ(k, 0) == '_' &&
                              !(PmStr_GET_LENGTH(k) >= 2 && PmStr_READ(k, 1) == '_');
            if (pass == 0 && !underscore) continue;
            if (pass == 1 && PmStr_EqualToASCII(k, "__builtins__")) continue;
            if (PmDict_SetItem(vm, d, k, Pm_None(vm)) < 0) PmErr_Clear(vm);
            if (PmErr_Occurred(vm)) pm_write_unraisable(vm, "Exception ignored in", NULL, NULL);
        }
        Pm_DECREF(vm, keys);
    }
}

static PmObject *new_main(PmVM *vm, const char *filename)
{
    PmObject *d = PmDict_New(vm);
    if (d == NULL) return NULL;
    PmObject *name = PmStr_InternFromString(vm, "__main__");
    PmObject *file = PmStr_FromString(vm, filename);
    PmObject *bmod = PmDict_GetItemString_Borrow(vm, vm->modules, "builtins");
    PmObject *ann = PmDict_New(vm);
    /* the keys of CPython 3.11's __main__ in its order (no import system here: the loader
     * and spec are None) */
    if (!name || !file || !ann || PmDict_SetItem(vm, d, PMID(vm, __name__), name) < 0 ||
        PmDict_SetItem(vm, d, PMID(vm, __doc__), Pm_None(vm)) < 0 ||
        PmDict_SetItem(vm, d, PMID(vm, __package__), Pm_None(vm)) < 0 ||
        PmDict_SetItem(vm, d, PMID(vm, __loader__), Pm_None(vm)) < 0 ||
        PmDict_SetItem(vm, d, PMID(vm, __spec__), Pm_None(vm)) < 0 ||
        PmDict_SetItem(vm, d, PMID(vm, __annotations__), ann) < 0 ||
        PmDict_SetItem(vm, d, PMID(vm, __builtins__), bmod ? bmod : vm->builtins) < 0 ||
        PmDict_SetItem(vm, d, PMID(vm, __file__), file) < 0 ||
        PmDict_SetItemString(vm, d, "__cached__", Pm_None(vm)) < 0) {
        Pm_XDECREF(vm, ann);
        Pm_XDECREF(vm, name);
        Pm_XDECREF(vm, file);
        Pm_DECREF(vm, d);
        return NULL;
    }
    Pm_DECREF(vm, ann);
    Pm_DECREF(vm, name);
    Pm_DECREF(vm, file);
    return d;
}

static pml_status report_exception(PmVM *vm)
{
    PmObject *exc = PmErr_Fetch(vm);
    pm_io_flush(vm);
    if (vm->limit_hit) {
        Pm_XDECREF(vm, exc);
        char msg[160];
        if (pm_trace_limit_message(vm))
            snprintf(msg, sizeof msg, "%s", pm_trace_limit_message(vm));
        else if (vm->step_limit && vm->steps > vm->step_limit)
            snprintf(msg, sizeof msg, "PyMemLab: the program was stopped after %llu steps (the step limit).\n",
                     (unsigned long long)vm->step_limit);
        else
            snprintf(msg, sizeof msg, "PyMemLab: the program was stopped: it printed more than %zu bytes (the output limit).\n",
                     vm->output_limit);
        pm_write_raw(vm, PML_STDERR, msg, strlen(msg));   /* past the output limit too */
        return PML_LIMIT;
    }
    if (exc && PmType_IsSubtype(Pm_TYPE(exc), PME(vm, SystemExit))) {
        vm->exit_code = pm_handle_system_exit(vm, exc);
        Pm_DECREF(vm, exc);
        PmErr_Clear(vm);
        if (vm->exit_code != 0) {
            char code[24];
            snprintf(code, sizeof code, "%d", vm->exit_code);
            set_last_exception(vm, "SystemExit", code);
        }
        return vm->exit_code == 0 ? PML_OK : PML_EXCEPTION;
    }
    if (exc) {
        pm_print_uncaught(vm, exc);
        Pm_DECREF(vm, exc);
    }
    PmErr_Clear(vm);
    return PML_EXCEPTION;
}

/* Returns true when the output limit cut what the teardown flushed (the program had ended
 * normally but its buffered output did not fit). */
static bool end_of_run(PmVM *vm, PmObject *main_dict)
{
    /* teardown runs __del__ methods: give them a fresh, bounded budget */
    vm->limit_hit = 0;
    uint64_t saved_limit = vm->step_limit;
    pm_eval_sync_steps(vm);
    if (saved_limit) vm->step_limit = vm->steps + saved_limit;
    pm_eval_break(vm);
    pm_weakref_atexit(vm);          /* atexit: live weakref.finalize objects run first */
    pm_io_flush(vm);                /* CPython flushes the std streams before module teardown */
    if (main_dict) {
        clear_main(vm, main_dict);
        PmDict_DelItem(vm, vm->modules, PMID(vm, __main__));
        PmErr_Clear(vm);
        Pm_DECREF(vm, main_dict);
    }
    Pm_CLEAR(vm, vm->exc_info);
    pm_tracemalloc_end_run(vm);     /* the next run starts untraced, like a new process */
    pm_gc_collect_nofail(vm);       /* CPython's shutdown collection: no gc.callbacks */
    PmErr_Clear(vm);
    pm_weakref_atexit_done(vm);
    pm_io_flush(vm);
    bool cut = vm->limit_hit && vm->output_limit && vm->output_bytes >= vm->output_limit;
    vm->step_limit = saved_limit;
    pm_eval_break(vm);
    vm->limit_hit = 0;
    return cut;
}

static pml_status run(PmVM *vm, const char *src, size_t len, const char *filename);

pml_status pml_run(pml_vm *lab, const char *src, size_t len, const char *filename)
{
    PmVM *vm = (PmVM *)lab;
    vm->exit_code = -1;
    pm_trace_discard(vm);
    pml_status st = run(vm, src, len, filename);
    if (vm->exit_code < 0) vm->exit_code = st == PML_OK ? 0 : 1;
    return st;
}

void pml_set_limits(pml_vm *lab, const pml_config *cfg)
{
    PmVM *vm = (PmVM *)lab;
    pml_config c = cfg ? *cfg : (pml_config){0};
    pmmem_set_limit(&vm->mem, c.memory_limit ? c.memory_limit : (size_t)256 << 20);
    vm->step_limit = c.step_limit;
    pm_eval_break(vm);
    vm->output_limit = c.output_limit;
    vm->recursion_limit = c.recursion_limit > 0 ? c.recursion_limit : 1000;
}

const char *pml_last_exception(pml_vm *lab)
{
    return ((PmVM *)lab)->last_exc;
}

int pml_exit_code(pml_vm *lab)
{
    return ((PmVM *)lab)->exit_code < 0 ? 0 : ((PmVM *)lab)->exit_code;
}

static pml_status run(PmVM *vm, const char *src, size_t len, const char *filename)
{
    pm_gc_begin_run(vm);            /* the collector as a fresh CPython process has it */
    if (filename == NULL) filename = "<string>";
    free(vm->last_exc);
    vm->last_exc = NULL;
    vm->limit_hit = 0;
    vm->steps = 0;
    vm->tick_arm = vm->ticks = 0;   /* the first instruction re-arms the countdown */
    vm->output_bytes = 0;
    PmErr_Clear(vm);
    pmparse_options opt = {0};
    /* CPython's 3 * sys.getrecursionlimit(), at most 3 * PM_MAX_C_RECURSION: the compiler
     * recurses over the tree, and a limit a previous program raised must neither overflow
     * the int nor let the compiler overflow the C stack */
    opt.max_depth = 3 * (vm->recursion_limit < PM_MAX_C_RECURSION ? vm->recursion_limit
                                                                 : PM_MAX_C_RECURSION);
    opt.filename = filename;
    pmparse_result r;
    int perr = pmparse_source(&r, src, len, &opt);
    pmparse_error cerr = {0};
    PmObject *arena = NULL;
    PmObject *code = NULL;
    if (perr == 0) code = pm_compile_module_warn(vm, r.module, filename, &cerr, &arena, &r);
    print_warnings(vm, &r, filename);
    if (perr != 0) {
        report_syntax_error(vm, &r.error, filename, src, len);
        pmparse_release(&r);
        return PML_SYNTAX_ERROR;
    }
    pmparse_release(&r);
    if (code == NULL) {
        if (cerr.type) {
            report_syntax_error(vm, &cerr, filename, src, len);
            return PML_SYNTAX_ERROR;
        }
        return report_exception(vm);
    }
    pm_traceback_set_source(vm, filename, src, len);
    pm_sys_set_argv(vm, filename);
    PmObject *main_dict = new_main(vm, filename);
    pml_status st = PML_OK;
    if (main_dict == NULL || PmDict_SetItem(vm, vm->modules, PMID(vm, __main__), main_dict) < 0) {
        Pm_DECREF(vm, code);
        Pm_XDECREF(vm, arena);
        return report_exception(vm) == PML_OK ? PML_INTERNAL : PML_INTERNAL;
    }
    vm->main_dict = main_dict;
    pm_type_begin_run(vm);          /* the builtin types' version tags, as at CPython's start */
    if (vm->trace) pm_trace_run_start(vm);
    PmObject *res = pm_eval_code(vm, code, main_dict, main_dict);
    if (vm->trace) pm_trace_run_end(vm, main_dict, res == NULL);
    Pm_DECREF(vm, code);
    Pm_XDECREF(vm, arena);
    if (res == NULL) st = report_exception(vm);
    else Pm_DECREF(vm, res);
    vm->main_dict = NULL;
    if (end_of_run(vm, main_dict) && st == PML_OK) {
        char msg[160];
        snprintf(msg, sizeof msg, "PyMemLab: the program was stopped: it printed more than %zu bytes (the output limit).\n",
                 vm->output_limit);
        pm_write_raw(vm, PML_STDERR, msg, strlen(msg));   /* past the output limit too */
        st = PML_LIMIT;
    }
    return st;
}

/* ------------------------------------------------------------------ destruction */

static void clear_type_dicts(PmVM *vm)
{
    for (int k = 0; k < PMT__COUNT; k++) {
        PmType *tp = vm->types[k];
        if (tp == NULL) continue;
        Pm_CLEAR(vm, tp->tp_dict);
        Pm_CLEAR(vm, tp->tp_mro);
        Pm_CLEAR(vm, tp->tp_bases);
        Pm_CLEAR(vm, tp->tp_subclasses);
        PmType_Modified(vm);
    }
    for (int k = 0; k < PME__COUNT; k++) {
        PmType *tp = vm->exc_types[k];
        if (tp == NULL || tp == vm->types[PMT_BASE_EXCEPTION]) continue;
        Pm_CLEAR(vm, tp->tp_dict);
        Pm_CLEAR(vm, tp->tp_mro);
        Pm_CLEAR(vm, tp->tp_bases);
        Pm_CLEAR(vm, tp->tp_subclasses);
        PmType_Modified(vm);
    }
}

void pml_free(pml_vm *lab)
{
    (void)pml_free_count_leaks(lab);
}

size_t pml_free_count_leaks(pml_vm *lab)
{
    PmVM *vm = (PmVM *)lab;
    if (vm == NULL) return 0;
    PmErr_Clear(vm);
    pm_tracemalloc_stop(vm);        /* releases its host memory and filename references */
    pml_heap_release_all(lab);      /* the host's references to pml_heap_* objects */
    pm_heapops_free(vm);
    free(vm->last_exc);
    vm->last_exc = NULL;
    Pm_CLEAR(vm, vm->exc_info);
    pm_sys_fini(vm);                /* drops sys.stdout's buffer, sys.modules, builtins */
    Pm_CLEAR(vm, vm->modules);
    Pm_CLEAR(vm, vm->builtins);
    pm_gc_collect_nofail(vm);
    PmErr_Clear(vm);
    clear_type_dicts(vm);
    for (int i = 0; i < PMID__COUNT; i++) Pm_CLEAR(vm, vm->ids[i]);
    Pm_CLEAR(vm, vm->repr_stack);
    Pm_CLEAR(vm, vm->tstate_dict);
    pm_gc_collect_nofail(vm);
    PmErr_Clear(vm);
    pm_gc_fini(vm);
    pm_str_clear_interned(vm);
    PmTuple_ClearFreeList(vm);
    PmList_ClearFreeList(vm);
    PmDict_ClearFreeList(vm);
    PmFloat_ClearFreeList(vm);
    PmSlice_Fini(vm);               /* the one-slice cache */
    pm_traceback_free_source(vm);
    pm_trace_vm_free(vm);
    pm_datastack_free(vm);
    size_t leaked = pmmem_live_blocks(&vm->mem);
    pmmem_fini(&vm->mem);
    pm_static_free_all(vm);
    free(vm);
    return leaked;
}

size_t pml_live_blocks(pml_vm *lab)
{
    return pmmem_live_blocks(&((PmVM *)lab)->mem);
}
