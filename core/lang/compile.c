/*
 * compile.c -- AST to bytecode, following CPython 3.11's compile.c instruction by
 * instruction wherever the choice is visible to a program (see lang/opcode.h):
 *
 *   - constants are folded as ast_opt.c folds them (size limits included: 2**1000 and
 *     "x" * 5000 stay unfolded) and merged across every code object of the module, so
 *     `def f(): return 70000` and `def g(): return 70000` share one int;
 *   - identifier-like string constants are interned, other strings are not;
 *   - calls push [NULL, callable] or [method, self] as 3.11 does, comprehensions are
 *     functions called with their first iterator, lists and sets of 3+ constants are
 *     built from one constant tuple (which fixes their over-allocation), dicts with
 *     constant keys use BUILD_CONST_KEY_MAP;
 *   - locals are numbered in order of first use, cells and free variables sorted by name.
 *
 * It also gives the SyntaxWarnings of 3.11's compiler ('"is" with a literal', "'tuple'
 * object is not callable; perhaps you missed a comma?", ...; see "compile-time warnings"
 * below) in CPython's order, including the copies of code CPython compiles more than once
 * (a while loop's test, finally bodies) or compiles where PyMemLab emits nothing.
 *
 * The compiler recurses over the tree; the parser bounds its depth (parser.h).
 */
#include "lang/compile.h"
#include "lang/opcode.h"
#include "lang/symtable.h"
#include <math.h>

/* ------------------------------------------------------------------ state */

enum { MAX_FBLOCKS = 20 };   /* CPython's CO_MAXBLOCKS */

typedef enum FBlockKind {
    FB_WHILE, FB_FOR, FB_TRY_EXCEPT, FB_FINALLY_TRY, FB_FINALLY_END, FB_EXCEPT_HANDLER,
    FB_HANDLER_CLEANUP,
    FB_POP_VALUE                 /* a return value waits under a finally body run by `return` */
} FBlockKind;

typedef struct FBlock {
    FBlockKind kind;
    int start, exit;             /* labels */
    pmast_node *node;            /* Try (finalbody), ExceptHandler (name) */
} FBlock;

typedef struct Unit {
    struct Unit *parent;
    PmScope *scope;
    PmObject *name, *qualname;
    PmInstr *code;
    PmPosition *pos;
    int ncode, capcode;
    int *labels;
    int nlabels, caplabels;
    int *label_depth;
    PmObject *consts, *consts_index;     /* list; dict key -> index */
    PmObject *names, *names_index;
    PmObject *varnames, *varnames_index;
    PmObject *cellvars, *freevars;       /* sorted lists */
    int argcount, posonlyargcount, kwonlyargcount, flags, firstlineno;
    int depth, maxdepth;
    int nblocks, maxblocks;
    FBlock fblocks[MAX_FBLOCKS];
    int nfblocks;
    PmPosition cur;
    bool in_class_body;
} Unit;

typedef struct Compiler {
    PmVM *vm;
    PmSymtable st;
    Unit *u;
    PmObject *filename;
    PmObject *const_cache;
    /* CPython's AST arena: every literal's object and every folded constant, alive until
     * the module has run -- one more reference on each constant (see pm_compile_module). */
    PmObject *arena;
    PmObject *memo;              /* node address -> its object (or NotImplemented: unfoldable) */
    pmparse_error *err;
    bool failed;
    pmparse_result *warnings;    /* where SyntaxWarnings go (pmparse_add_warning); NULL: nowhere */
} Compiler;

#define CHECK(x) do { if (!(x)) return -1; } while (0)
#define VISIT(c, n) CHECK(compile_expr((c), (n)) == 0)

static int compile_expr(Compiler *c, pmast_node *e);
static int compile_stmt(Compiler *c, pmast_node *s);
static int compile_body(Compiler *c, pmast_seq body);

static int syntax_error(Compiler *c, pmast_node *n, const char *msg)
{
    if (!c->failed) {
        c->failed = true;
        c->err->type = "SyntaxError";
        snprintf(c->err->msg, sizeof c->err->msg, "%s", msg);
        c->err->lineno = n->lineno;
        c->err->end_lineno = n->end_lineno;
        c->err->offset = n->col_offset + 1;
        c->err->end_offset = n->end_lineno == n->lineno ? n->end_col_offset + 1 : 0;
    }
    return -1;
}

/* ------------------------------------------------------------------ stack effects */

static int stack_effect(int op, int arg, bool jump)
{
    switch (op) {
    case OP_NOP: case OP_RESUME: case OP_JUMP: case OP_KW_NAMES: case OP_GET_ITER:
    case OP_UNARY_POSITIVE: case OP_UNARY_NEGATIVE: case OP_UNARY_NOT: case OP_UNARY_INVERT:
    case OP_DELETE_FAST: case OP_DELETE_NAME: case OP_DELETE_GLOBAL: case OP_DELETE_DEREF:
    case OP_LOAD_ATTR: case OP_SWAP: case OP_POP_BLOCK: case OP_LIST_TO_TUPLE:
    case OP_RETURN_GENERATOR: case OP_YIELD_VALUE: case OP_GET_YIELD_FROM_ITER:
        return 0;
    case OP_POP_TOP: case OP_STORE_FAST: case OP_STORE_NAME: case OP_STORE_GLOBAL:
    case OP_STORE_DEREF: case OP_DELETE_ATTR: case OP_BINARY_OP: case OP_COMPARE_OP:
    case OP_IS_OP: case OP_CONTAINS_OP: case OP_BINARY_SUBSCR: case OP_LIST_APPEND:
    case OP_SET_ADD: case OP_LIST_EXTEND: case OP_SET_UPDATE: case OP_DICT_UPDATE:
    case OP_DICT_MERGE: case OP_POP_JUMP_IF_FALSE: case OP_POP_JUMP_IF_TRUE:
    case OP_POP_JUMP_IF_NONE: case OP_POP_JUMP_IF_NOT_NONE: case OP_RETURN_VALUE:
    case OP_IMPORT_NAME: case OP_PRINT_EXPR: case OP_POP_EXCEPT: case OP_RERAISE:
        return -1;
    case OP_PUSH_NULL: case OP_COPY: case OP_LOAD_CONST: case OP_LOAD_FAST: case OP_LOAD_NAME:
    case OP_LOAD_DEREF: case OP_LOAD_CLASSDEREF: case OP_LOAD_CLOSURE: case OP_LOAD_BUILD_CLASS:
    case OP_LOAD_ASSERTION_ERROR: case OP_IMPORT_FROM: case OP_PUSH_EXC_INFO:
        return 1;
    case OP_CHECK_EXC_MATCH: return 0;
    case OP_LOAD_GLOBAL: return (arg & 1) ? 2 : 1;
    case OP_LOAD_METHOD: return 1;
    case OP_STORE_ATTR: return -2;
    case OP_STORE_SUBSCR: return -3;
    case OP_DELETE_SUBSCR: return -2;
    case OP_MAP_ADD: return -2;
    case OP_BUILD_SLICE: return 1 - arg;
    case OP_BUILD_TUPLE: case OP_BUILD_LIST: case OP_BUILD_SET: case OP_BUILD_STRING:
        return 1 - arg;
    case OP_BUILD_MAP: return 1 - 2 * arg;
    case OP_BUILD_CONST_KEY_MAP: return -arg;
    case OP_UNPACK_SEQUENCE: return arg - 1;
    case OP_UNPACK_EX: return (arg & 0xff) + (arg >> 8);
    case OP_JUMP_IF_FALSE_OR_POP: case OP_JUMP_IF_TRUE_OR_POP: return jump ? 0 : -1;
    case OP_FOR_ITER: return jump ? -1 : 1;
    case OP_CALL: return -1 - arg;
    case OP_CALL_FUNCTION_EX: return -2 - ((arg & 1) != 0);
    case OP_MAKE_FUNCTION:
        return -((arg & PM_MF_DEFAULTS) != 0) - ((arg & PM_MF_KWDEFAULTS) != 0) -
               ((arg & PM_MF_ANNOTATIONS) != 0) - ((arg & PM_MF_CLOSURE) != 0);
    case OP_SETUP_FINALLY: case OP_SETUP_CLEANUP: return jump ? 1 : 0;
    case OP_RAISE_VARARGS: return -arg;
    case OP_FORMAT_VALUE: return (arg & PM_FVS_HAVE_SPEC) ? -1 : 0;
    case OP_SEND: return jump ? -1 : 0;
    default: return 0;
    }
}

/* ------------------------------------------------------------------ emitting */

static int new_label(Compiler *c)
{
    Unit *u = c->u;
    if (u->nlabels == u->caplabels) {
        int cap = u->caplabels ? u->caplabels * 2 : 16;
        int *l = realloc(u->labels, (size_t)cap * sizeof(int));
        int *d = l ? realloc(u->label_depth, (size_t)cap * sizeof(int)) : NULL;
        if (l) u->labels = l;
        if (d == NULL) { PmErr_NoMemory(c->vm); return -1; }
        u->label_depth = d;
        u->caplabels = cap;
    }
    u->labels[u->nlabels] = -1;
    u->label_depth[u->nlabels] = -1;
    return u->nlabels++;
}

static void note_depth(Unit *u, int label, int depth)
{
    if (u->label_depth[label] < depth) u->label_depth[label] = depth;
}

static bool is_jump(int op)
{
    switch (op) {
    case OP_JUMP: case OP_POP_JUMP_IF_FALSE: case OP_POP_JUMP_IF_TRUE: case OP_POP_JUMP_IF_NONE:
    case OP_POP_JUMP_IF_NOT_NONE: case OP_JUMP_IF_FALSE_OR_POP: case OP_JUMP_IF_TRUE_OR_POP:
    case OP_FOR_ITER: case OP_SETUP_FINALLY: case OP_SETUP_CLEANUP: case OP_SEND:
        return true;
    default:
        return false;
    }
}

static bool ends_flow(int op)
{
    return op == OP_JUMP || op == OP_RETURN_VALUE || op == OP_RERAISE || op == OP_RAISE_VARARGS;
}

static int emit(Compiler *c, int op, int arg)
{
    Unit *u = c->u;
    if (arg < 0 || arg > 0xffffff) {
        PmErr_SetString(c->vm, PME(c->vm, SystemError), "instruction argument out of range");
        return -1;
    }
    if (u->ncode == u->capcode) {
        int cap = u->capcode ? u->capcode * 2 : 64;
        PmInstr *code = realloc(u->code, (size_t)cap * sizeof(PmInstr));
        PmPosition *pos = code ? realloc(u->pos, (size_t)cap * sizeof(PmPosition)) : NULL;
        if (code) u->code = code;
        if (pos == NULL) { PmErr_NoMemory(c->vm); return -1; }
        u->pos = pos;
        u->capcode = cap;
    }
    u->code[u->ncode] = (PmInstr)op | ((PmInstr)arg << 8);
    u->pos[u->ncode] = u->cur;
    u->ncode++;
    if (is_jump(op)) note_depth(u, arg, u->depth + stack_effect(op, arg, true));
    if (op == OP_SETUP_FINALLY || op == OP_SETUP_CLEANUP) {
        if (++u->nblocks > u->maxblocks) u->maxblocks = u->nblocks;
    } else if (op == OP_POP_BLOCK) {
        u->nblocks--;
    }
    u->depth += stack_effect(op, arg, false);
    if (u->depth > u->maxdepth) u->maxdepth = u->depth;
    if (ends_flow(op)) u->depth = -1000000;   /* unreachable until the next label */
    return 0;
}

/* Place a label here: the stack depth continues from the jumps that target it. */
static void use_label(Compiler *c, int label)
{
    Unit *u = c->u;
    u->labels[label] = u->ncode;
    int d = u->label_depth[label];
    if (u->depth < d) u->depth = d;
    if (u->depth < 0) u->depth = 0;
}

#define EMIT(c, op, arg) CHECK(emit((c), OP_##op, (arg)) == 0)
#define EMIT_JUMP(c, op, label) CHECK(emit((c), OP_##op, (label)) == 0)

static void set_pos(Compiler *c, pmast_node *n)
{
    c->u->cur.lineno = n->lineno;
    c->u->cur.end_lineno = n->end_lineno;
    c->u->cur.col = n->col_offset;
    c->u->cur.end_col = n->end_col_offset;
}

/* ------------------------------------------------------------------ constants and names */

static PmObject *const_key(PmVM *vm, PmObject *o);
static bool all_name_chars(PmObject *s);

static PmObject *tuple_key(PmVM *vm, PmObject *t)
{
    Pm_ssize_t n = Pm_SIZE(t);
    PmObject *keys = PmTuple_New(vm, n);
    if (keys == NULL) return NULL;
    for (Pm_ssize_t i = 0; i < n; i++) {
        PmObject *k = const_key(vm, PmTuple_GET_ITEM(t, i));
        if (k == NULL) { Pm_DECREF(vm, keys); return NULL; }
        PmTuple_SET_ITEM(keys, i, k);
    }
    PmObject *r = PmTuple_Pack(vm, 2, keys, t);
    Pm_DECREF(vm, keys);
    return r;
}

/* CPython's _PyCode_ConstantKey: equal keys only for constants of one type and value
 * (so 0, 0.0, -0.0 and False stay apart). */
static PmObject *const_key(PmVM *vm, PmObject *o)
{
    switch (Pm_KIND(o)) {
    case PMT_NONE: case PMT_ELLIPSIS: case PMT_INT: case PMT_STR: case PMT_CODE:
        if (Pm_IS_TYPE(vm, o, INT) || Pm_IS_TYPE(vm, o, STR) || !PmLong_Check(o))
            return Pm_NewRef(o);
        return PmTuple_Pack(vm, 2, (PmObject *)Pm_TYPE(o), o);
    case PMT_BOOL:
        return PmTuple_Pack(vm, 2, (PmObject *)Pm_TYPE(o), o);
    case PMT_FLOAT: {
        double d = ((PmFloat *)o)->ob_fval;
        if (d == 0.0 && copysign(1.0, d) < 0)
            return PmTuple_Pack(vm, 3, (PmObject *)Pm_TYPE(o), o, Pm_None(vm));
        return PmTuple_Pack(vm, 2, (PmObject *)Pm_TYPE(o), o);
    }
    case PMT_TUPLE:
        return tuple_key(vm, o);
    case PMT_FROZENSET: {
        PmObject *lst = PmSequence_List(vm, o);
        if (lst == NULL) return NULL;
        PmObject *t = PmList_AsTuple(vm, lst);
        Pm_DECREF(vm, lst);
        if (t == NULL) return NULL;
        /* (frozenset of the items' keys, o): independent of the table order */
        PmObject *k = tuple_key(vm, t);
        Pm_DECREF(vm, t);
        if (k == NULL) return NULL;
        PmObject *ks = PmFrozenSet_New(vm, PmTuple_GET_ITEM(k, 0));
        Pm_DECREF(vm, k);
        if (ks == NULL) return NULL;
        PmObject *r = PmTuple_Pack(vm, 2, ks, o);
        Pm_DECREF(vm, ks);
        return r;
    }
    default:
        return PmTuple_Pack(vm, 2, (PmObject *)Pm_TYPE(o), o);
    }
}

/* Return the module-wide canonical object equal to `o` (new reference); tuples are merged
 * item by item first (CPython's merge_consts_recursive). */
static PmObject *merge_const(Compiler *c, PmObject *o)
{
    PmVM *vm = c->vm;
    PmObject *key = const_key(vm, o);
    if (key == NULL) return NULL;
    PmObject *found = PmDict_GetItem_Borrow(vm, c->const_cache, key);
    if (found) {
        Pm_DECREF(vm, key);
        return Pm_NewRef(found);
    }
    if (PmErr_Occurred(vm)) { Pm_DECREF(vm, key); return NULL; }
    PmObject *canon = Pm_NewRef(o);
    /* identifier-like strings become interned code constants (intern_string_constants);
     * others, like "hello, world!", are not (corpus README 6) */
    if (Pm_IS_TYPE(vm, o, STR) && all_name_chars(o)) PmStr_InternInPlace(vm, &canon);
    if (Pm_IS_TYPE(vm, o, TUPLE)) {
        for (Pm_ssize_t i = 0; i < Pm_SIZE(o); i++) {
            PmObject *item = merge_const(c, PmTuple_GET_ITEM(o, i));
            if (item == NULL) { Pm_DECREF(vm, key); Pm_DECREF(vm, canon); return NULL; }
            PmObject *old = PmTuple_GET_ITEM(o, i);
            PmTuple_SET_ITEM(o, i, item);
            Pm_DECREF(vm, old);
        }
    }
    if (Pm_IS_TYPE(vm, o, FROZENSET) && PmSet_Size(o) > 0) {
        /* CPython rebuilds a merged frozenset from its own iteration order (a second
         * insertion pass, which can reorder colliding items) */
        PmObject *t = PmTuple_New(vm, PmSet_Size(o));
        Pm_ssize_t pos = 0, i = 0;
        PmObject *item;
        Pm_hash_t h;
        while (t && PmSet_Next(o, &pos, &item, &h)) {
            PmObject *m = merge_const(c, item);
            if (m == NULL) { Pm_CLEAR(vm, t); break; }
            PmTuple_SET_ITEM(t, i++, m);
        }
        PmObject *fs = t ? PmFrozenSet_New(vm, t) : NULL;
        Pm_XDECREF(vm, t);
        if (fs == NULL) { Pm_DECREF(vm, key); Pm_DECREF(vm, canon); return NULL; }
        Pm_SETREF(vm, canon, fs);
    }
    int r = PmDict_SetItem(vm, c->const_cache, key, canon);
    Pm_DECREF(vm, key);
    if (r < 0) { Pm_DECREF(vm, canon); return NULL; }
    return canon;
}

/* Index of constant `o` in the current unit (steals nothing). */
static int add_const(Compiler *c, PmObject *o)
{
    PmVM *vm = c->vm;
    PmObject *canon = merge_const(c, o);
    if (canon == NULL) return -1;
    PmObject *key = const_key(vm, canon);
    if (key == NULL) { Pm_DECREF(vm, canon); return -1; }
    PmObject *idx = PmDict_GetItem_Borrow(vm, c->u->consts_index, key);
    int r;
    if (idx) {
        r = (int)PmLong_AsSsize_t(vm, idx);
    } else {
        r = (int)Pm_SIZE(c->u->consts);
        PmObject *i = PmLong_FromSsize_t(vm, r);
        if (i == NULL || PmDict_SetItem(vm, c->u->consts_index, key, i) < 0 ||
            PmList_Append(vm, c->u->consts, canon) < 0) r = -1;
        Pm_XDECREF(vm, i);
    }
    Pm_DECREF(vm, key);
    Pm_DECREF(vm, canon);
    return r;
}

static int emit_const(Compiler *c, PmObject *o)
{
    int i = add_const(c, o);
    return i < 0 ? -1 : emit(c, OP_LOAD_CONST, i);
}

static int emit_const_steal(Compiler *c, PmObject *o)
{
    if (o == NULL) return -1;
    int r = emit_const(c, o);
    Pm_DECREF(c->vm, o);
    return r;
}

static PmObject *intern_cstr(Compiler *c, const char *s)
{
    PmObject *o = PmStr_FromUTF8(c->vm, s, strlen(s));
    if (o) PmStr_InternInPlace(c->vm, &o);
    return o;
}

/* Index of `name` in one of the unit's name lists (names, varnames). */
static int add_name_to(Compiler *c, PmObject *list, PmObject *index, const char *name)
{
    PmVM *vm = c->vm;
    PmObject *s = intern_cstr(c, name);
    if (s == NULL) return -1;
    PmObject *idx = PmDict_GetItem_Borrow(vm, index, s);
    int r;
    if (idx) {
        r = (int)PmLong_AsSsize_t(vm, idx);
    } else {
        r = (int)Pm_SIZE(list);
        PmObject *i = PmLong_FromSsize_t(vm, r);
        if (i == NULL || PmDict_SetItem(vm, index, s, i) < 0 || PmList_Append(vm, list, s) < 0)
            r = -1;
        Pm_XDECREF(vm, i);
    }
    Pm_DECREF(vm, s);
    return r;
}

static int add_name(Compiler *c, const char *name)
{
    return add_name_to(c, c->u->names, c->u->names_index, name);
}

static int list_index(PmObject *list, const char *name)
{
    for (Pm_ssize_t i = 0; i < Pm_SIZE(list); i++)
        if (PmStr_EqualToASCII(PmList_GET_ITEM(list, i), name)) return (int)i;
    return -1;
}

/* localsplus index of a cell or free variable: cells that are also parameters keep the
 * parameter's slot (3.11); other cells follow the locals, then the free variables. */
static int deref_index(Compiler *c, const char *name)
{
    Unit *u = c->u;
    int i = list_index(u->cellvars, name);
    if (i >= 0) {
        int arg = list_index(u->varnames, name);
        if (arg >= 0 && arg < u->argcount + u->kwonlyargcount +
                              ((u->flags & PM_CO_VARARGS) != 0) +
                              ((u->flags & PM_CO_VARKEYWORDS) != 0))
            return arg;
        return -(i + 1);   /* resolved to an absolute index when the code is built */
    }
    i = list_index(u->freevars, name);
    if (i >= 0) return -(1000000 + i + 1);
    return -2000000;
}

/* ------------------------------------------------------------------ names */

typedef enum { CTX_LOAD, CTX_STORE, CTX_DEL } NameCtx;

static int compile_name_op(Compiler *c, const char *name, NameCtx ctx, bool push_null)
{
    Unit *u = c->u;
    int scope = pmsym_scope_of(u->scope, name);
    PmSymbol *sym = pmsym_lookup(u->scope, name);
    bool func = u->scope->kind == PM_BLOCK_FUNCTION;
    int op, arg;
    if (scope == PM_SC_FREE || scope == PM_SC_CELL) {
        if (u->scope->kind == PM_BLOCK_CLASS && ctx == CTX_LOAD && !(sym->flags & PM_DEF_FREE_CLASS) &&
            scope == PM_SC_FREE && !(sym->flags & (PM_DEF_LOCAL | PM_DEF_PARAM))) {
            op = OP_LOAD_CLASSDEREF;
        } else if (u->scope->kind == PM_BLOCK_CLASS && (sym->flags & (PM_DEF_LOCAL)) &&
                   scope == PM_SC_FREE) {
            goto name_op;
        } else {
            op = ctx == CTX_LOAD ? OP_LOAD_DEREF : ctx == CTX_STORE ? OP_STORE_DEREF : OP_DELETE_DEREF;
        }
        arg = deref_index(c, name);
        if (arg == -2000000) goto name_op;
        /* encode: negative values are fixed up in assemble() */
        if (push_null) EMIT(c, PUSH_NULL, 0);
        if (arg < 0) arg = 0x800000 | (-arg - 1);
        return emit(c, op, arg);
    }
    if (func && scope == PM_SC_LOCAL) {
        arg = add_name_to(c, u->varnames, u->varnames_index, name);
        CHECK(arg >= 0);
        if (push_null) EMIT(c, PUSH_NULL, 0);
        op = ctx == CTX_LOAD ? OP_LOAD_FAST : ctx == CTX_STORE ? OP_STORE_FAST : OP_DELETE_FAST;
        return emit(c, op, arg);
    }
    if (scope == PM_SC_GLOBAL_EXPLICIT || (func && scope == PM_SC_GLOBAL_IMPLICIT)) {
        arg = add_name(c, name);
        CHECK(arg >= 0);
        if (ctx == CTX_LOAD) return emit(c, OP_LOAD_GLOBAL, (arg << 1) | (push_null ? 1 : 0));
        return emit(c, ctx == CTX_STORE ? OP_STORE_GLOBAL : OP_DELETE_GLOBAL, arg);
    }
name_op:
    arg = add_name(c, name);
    CHECK(arg >= 0);
    if (push_null) EMIT(c, PUSH_NULL, 0);
    op = ctx == CTX_LOAD ? OP_LOAD_NAME : ctx == CTX_STORE ? OP_STORE_NAME : OP_DELETE_NAME;
    return emit(c, op, arg);
}

/* ------------------------------------------------------------------ constant folding */

static PmObject *constant_value(Compiler *c, pmast_node *e);

static PmObject *fold(Compiler *c, pmast_node *e);
static bool foldable_kind(pmast_node *e);

/* The constant an expression stands for after CPython's AST optimizer (a literal, or a
 * folded expression such as -1 or 2**64), as a new reference, or NULL (no exception). */
static PmObject *const_of(Compiler *c, pmast_node *e)
{
    if (e->kind == PMAST_Constant) return constant_value(c, e);
    if (foldable_kind(e)) return fold(c, e);
    return NULL;
}

static bool is_const(Compiler *c, pmast_node *e)
{
    if (e->kind == PMAST_Constant) return true;
    PmObject *v = foldable_kind(e) ? fold(c, e) : NULL;
    Pm_XDECREF(c->vm, v);
    return v != NULL;
}

/* String literals are new objects: a one-character literal is not the latin-1 singleton
 * chr() returns (corpus README 5), while "" is the empty singleton. */
static bool all_name_chars(PmObject *s)
{
    if (!((PmStr *)s)->ascii) return false;
    const unsigned char *d = PmStr_DATA(s);
    for (Pm_ssize_t i = 0; i < PmStr_GET_LENGTH(s); i++) {
        unsigned char ch = d[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '_'))
            return false;
    }
    return true;
}

/* A new object for a string literal (interning happens when it becomes a code constant). */
static PmObject *make_str_const(Compiler *c, const pmast_constant *k)
{
    PmVM *vm = c->vm;
    PmObject *s = PmStr_FromUTF8(vm, k->s, k->len);
    if (s && PmStr_GET_LENGTH(s) == 1 && ((PmStr *)s)->is_static) {
        PmObject *fresh = pm_str_copy(vm, s);
        Pm_DECREF(vm, s);
        s = fresh;
    }
    return s;
}

/* The memo: each literal and each folded expression has exactly one object, kept in the
 * arena like CPython's parser and AST optimizer keep theirs. */
static PmObject *memo_key(Compiler *c, const pmast_node *e)
{
    return PmLong_FromUnsignedLongLong(c->vm, (unsigned long long)(uintptr_t)e);
}

static PmObject *memo_get(Compiler *c, const pmast_node *e, bool *found)
{
    PmObject *key = memo_key(c, e);
    PmObject *v = key ? PmDict_GetItem_Borrow(c->vm, c->memo, key) : NULL;
    Pm_XDECREF(c->vm, key);
    *found = v != NULL;
    if (v == NULL || v == Pm_NotImplemented(c->vm)) return NULL;
    return Pm_NewRef(v);
}

/* Record `v` (new reference, returned) for node e; NULL records "not foldable". */
static PmObject *memo_put(Compiler *c, const pmast_node *e, PmObject *v)
{
    PmVM *vm = c->vm;
    PmObject *key = memo_key(c, e);
    if (key == NULL) return v;
    if (PmDict_SetItem(vm, c->memo, key, v ? v : Pm_NotImplemented(vm)) < 0 ||
        (v && PmList_Append(vm, c->arena, v) < 0))
        PmErr_Clear(vm);
    Pm_DECREF(vm, key);
    return v;
}

static PmObject *make_constant(Compiler *c, pmast_node *e)
{
    PmVM *vm = c->vm;
    const pmast_constant *k = &e->v.Constant;
    switch (k->ckind) {
    case PMAST_C_NONE: return Pm_RETURN_NONE(vm);
    case PMAST_C_TRUE: return Pm_Bool(vm, 1);
    case PMAST_C_FALSE: return Pm_Bool(vm, 0);
    case PMAST_C_ELLIPSIS: return Pm_NewRef(Pm_Ellipsis(vm));
    case PMAST_C_INT: return PmLong_FromDigits(vm, k->s, k->len, k->base);
    case PMAST_C_FLOAT: return PmFloat_FromDouble(vm, k->d);
    case PMAST_C_STR: return make_str_const(c, k);
    default:
        syntax_error(c, e, "bytes and complex literals are not supported in PyMemLab");
        return NULL;
    }
}

static PmObject *constant_value(Compiler *c, pmast_node *e)
{
    bool found;
    PmObject *v = memo_get(c, e, &found);
    if (found) return v;
    v = make_constant(c, e);
    return v ? memo_put(c, e, v) : NULL;
}

/* The folded value of `e` if it is a constant expression CPython 3.11's AST optimizer
 * would fold, else NULL (no exception).  Errors during folding (1/0) leave it unfolded. */
static PmObject *fold(Compiler *c, pmast_node *e);

static Pm_ssize_t bit_length(PmVM *vm, PmObject *v)
{
    (void)vm;
    if (!PmLong_Check(v)) return 0;
    return (Pm_ssize_t)PmLong_NumBits(v);
}

static Pm_ssize_t seq_size(PmVM *vm, PmObject *v)
{
    if (Pm_IS_TYPE(vm, v, STR) || Pm_IS_TYPE(vm, v, TUPLE)) return Pm_IS_TYPE(vm, v, STR) ? PmStr_GET_LENGTH(v) : Pm_SIZE(v);
    return -1;
}

enum { MAX_INT_SIZE = 128, MAX_COLLECTION_SIZE = 256, MAX_STR_SIZE = 4096,
       MAX_TOTAL_ITEMS = 1024 };

/* CPython's safe_multiply / safe_power / safe_lshift / safe_mod size guards. */
static bool fold_allowed(Compiler *c, int op, PmObject *l, PmObject *r)
{
    PmVM *vm = c->vm;
    bool lint = PmLong_Check(l) && !Pm_IS_TYPE(vm, l, BOOL) ? true : PmLong_Check(l);
    bool rint = PmLong_Check(r);
    if (op == PMAST_Mult) {
        if (lint && rint) {
            Pm_ssize_t vbits = bit_length(vm, l), wbits = bit_length(vm, r);
            return !(PmLong_Sign(l) && PmLong_Sign(r) && vbits + wbits > MAX_INT_SIZE);
        }
        PmObject *seq = lint ? r : l, *n = lint ? l : r;
        if (PmLong_Check(n) && seq_size(vm, seq) >= 0) {
            Pm_ssize_t size = seq_size(vm, seq);
            Pm_ssize_t limit = Pm_IS_TYPE(vm, seq, STR) ? MAX_STR_SIZE : MAX_COLLECTION_SIZE;
            Pm_ssize_t count = PmLong_AsSsize_t(vm, n);
            if (count == -1 && PmErr_Occurred(vm)) { PmErr_Clear(vm); return false; }
            return !(size && count > 0 && (size > limit / count));
        }
        return true;
    }
    if (op == PMAST_Pow && lint && rint) {
        Pm_ssize_t vbits = bit_length(vm, l);
        int overflow = 0;
        long long w = PmLong_AsLongLongAndOverflow(vm, r, &overflow);
        if (overflow) return false;
        return !(vbits && w > 0 && vbits > MAX_INT_SIZE / w);
    }
    if (op == PMAST_LShift && lint && rint) {
        Pm_ssize_t vbits = bit_length(vm, l);
        int overflow = 0;
        long long w = PmLong_AsLongLongAndOverflow(vm, r, &overflow);
        if (overflow) return false;
        return !(w < 0 || w > MAX_INT_SIZE || (vbits && vbits > MAX_INT_SIZE - w));
    }
    if (op == PMAST_Mod && (Pm_IS_TYPE(vm, l, STR))) return false;
    if (op == PMAST_Add && seq_size(vm, l) >= 0 && seq_size(vm, r) >= 0) {
        Pm_ssize_t total = seq_size(vm, l) + seq_size(vm, r);
        return total <= (Pm_IS_TYPE(vm, l, STR) ? MAX_STR_SIZE : MAX_COLLECTION_SIZE);
    }
    return true;
}

static const int binop_number[] = {
    [PMAST_Add] = PM_BINOP_ADD, [PMAST_Sub] = PM_BINOP_SUBTRACT, [PMAST_Mult] = PM_BINOP_MULTIPLY,
    [PMAST_MatMult] = PM_BINOP_MATRIX_MULTIPLY, [PMAST_Div] = PM_BINOP_TRUE_DIVIDE,
    [PMAST_Mod] = PM_BINOP_REMAINDER, [PMAST_Pow] = PM_BINOP_POWER,
    [PMAST_LShift] = PM_BINOP_LSHIFT, [PMAST_RShift] = PM_BINOP_RSHIFT,
    [PMAST_BitOr] = PM_BINOP_OR, [PMAST_BitXor] = PM_BINOP_XOR, [PMAST_BitAnd] = PM_BINOP_AND,
    [PMAST_FloorDiv] = PM_BINOP_FLOOR_DIVIDE
};

static PmObject *fold_binop(Compiler *c, pmast_node *e)
{
    PmVM *vm = c->vm;
    PmObject *l = fold(c, e->v.BinOp.left);
    if (l == NULL) return NULL;
    PmObject *r = fold(c, e->v.BinOp.right);
    if (r == NULL) { Pm_DECREF(vm, l); return NULL; }
    PmObject *res = NULL;
    if (fold_allowed(c, e->v.BinOp.op, l, r)) {
        res = PmNumber_BinaryOp(vm, l, r, binop_number[e->v.BinOp.op]);
        if (res == NULL) PmErr_Clear(vm);
    }
    Pm_DECREF(vm, l);
    Pm_DECREF(vm, r);
    return res;
}

static PmObject *fold_unary(Compiler *c, pmast_node *e)
{
    PmVM *vm = c->vm;
    PmObject *v = fold(c, e->v.UnaryOp.operand);
    if (v == NULL) return NULL;
    PmObject *res = NULL;
    switch (e->v.UnaryOp.op) {
    case PMAST_USub: res = PmNumber_Negative(vm, v); break;
    case PMAST_UAdd: res = PmNumber_Positive(vm, v); break;
    case PMAST_Invert: res = PmNumber_Invert(vm, v); break;
    case PMAST_Not: {
        int t = PmObject_IsTrue(vm, v);
        res = t < 0 ? NULL : Pm_Bool(vm, !t);
        break;
    }
    }
    if (res == NULL) PmErr_Clear(vm);
    Pm_DECREF(vm, v);
    return res;
}

static PmObject *fold_tuple(Compiler *c, pmast_node *e)
{
    PmVM *vm = c->vm;
    pmast_seq elts = e->v.Tuple.elts;
    for (int i = 0; i < elts.n; i++)
        if (elts.items[i]->kind == PMAST_Starred) return NULL;
    PmObject *t = PmTuple_New(vm, elts.n);
    if (t == NULL) { PmErr_Clear(vm); return NULL; }
    for (int i = 0; i < elts.n; i++) {
        PmObject *v = fold(c, elts.items[i]);
        if (v == NULL) { Pm_DECREF(vm, t); return NULL; }
        PmTuple_SET_ITEM(t, i, v);
    }
    return t;
}

static PmObject *fold_subscr(Compiler *c, pmast_node *e)
{
    PmVM *vm = c->vm;
    if (e->v.Subscript.slice->kind == PMAST_Slice) return NULL;
    PmObject *v = fold(c, e->v.Subscript.value);
    if (v == NULL) return NULL;
    PmObject *i = fold(c, e->v.Subscript.slice);
    if (i == NULL) { Pm_DECREF(vm, v); return NULL; }
    PmObject *r = PmObject_GetItem(vm, v, i);
    if (r == NULL) PmErr_Clear(vm);
    Pm_DECREF(vm, v);
    Pm_DECREF(vm, i);
    return r;
}

static PmObject *fold(Compiler *c, pmast_node *e)
{
    if (c->failed) return NULL;
    if (e->kind == PMAST_Constant) {
        if (e->v.Constant.ckind == PMAST_C_BYTES || e->v.Constant.ckind == PMAST_C_IMAG)
            return NULL;
        PmObject *v = constant_value(c, e);
        if (v == NULL) PmErr_Clear(c->vm);
        return v;
    }
    bool found;
    PmObject *v = memo_get(c, e, &found);
    if (found) return v;
    switch (e->kind) {
    case PMAST_BinOp: v = fold_binop(c, e); break;
    case PMAST_UnaryOp: v = fold_unary(c, e); break;
    case PMAST_Tuple: v = e->ctx == PMAST_LOAD ? fold_tuple(c, e) : NULL; break;
    case PMAST_Subscript: v = e->ctx == PMAST_LOAD ? fold_subscr(c, e) : NULL; break;
    default: return NULL;
    }
    return memo_put(c, e, v);
}

static bool foldable_kind(pmast_node *e)
{
    return e->kind == PMAST_BinOp || e->kind == PMAST_UnaryOp ||
           (e->kind == PMAST_Tuple && e->ctx == PMAST_LOAD) ||
           (e->kind == PMAST_Subscript && e->ctx == PMAST_LOAD);
}

/* ------------------------------------------------------------------ compile-time warnings */

/* CPython 3.11's compiler warns (compiler_warn: a SyntaxWarning at the line of the node it
 * is compiling) about code that is valid but cannot do what it seems to, judging the tree
 * its AST optimizer has folded:
 *   check_compare      x is 1000, x is not "abc"   "\"is\" with a literal. Did you mean \"==\"?"
 *   check_caller       (1, 2)(3)        "'tuple' object is not callable; perhaps you missed a comma?"
 *   check_subscripter  5[0]             "'int' object is not subscriptable; perhaps ..."
 *   check_index        [1, 2]["a"]      "list indices must be integers or slices, not str; ..."
 *   check_assert       assert (x, "m")  "assertion is always true, perhaps remove parentheses?"
 * A warning comes each time its code is compiled, and CPython compiles some code more than
 * once: a while loop's test (again at the bottom of the loop) and a finally body (for the
 * normal path, the exception path and each return/break/continue leaving it, even on a path
 * that cannot be taken).  Where PyMemLab emits fewer copies, the copy it does compile gives
 * its warnings twice (repeat_warnings): they are the same, and the missing copy cannot fail
 * where the other does not.  Annotations, which PyMemLab does not evaluate (its symbol table skips them), are walked by
 * warn_walk in the order compile_expr would take. */

static void warn(Compiler *c, int lineno, const char *fmt, ...)
{
    if (c->warnings == NULL || c->failed) return;
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pmparse_add_warning(c->warnings, "SyntaxWarning", lineno, msg);
}

/* The type name of the constant e stands for once the AST optimizer has run (a literal or
 * an expression it folds), or NULL. */
static const char *const_type_name(Compiler *c, pmast_node *e)
{
    if (e->kind == PMAST_Constant) {
        switch (e->v.Constant.ckind) {
        case PMAST_C_NONE: return "NoneType";
        case PMAST_C_TRUE: case PMAST_C_FALSE: return "bool";
        case PMAST_C_ELLIPSIS: return "ellipsis";
        case PMAST_C_INT: return "int";
        case PMAST_C_FLOAT: return "float";
        case PMAST_C_IMAG: return "complex";
        case PMAST_C_STR: return "str";
        case PMAST_C_BYTES: return "bytes";
        default: return NULL;
        }
    }
    if (!foldable_kind(e)) return NULL;
    PmObject *v = fold(c, e);          /* what compiling e folds anyway (memoised) */
    if (v == NULL) return NULL;
    const char *name = Pm_TYPE(v)->tp_name;
    Pm_DECREF(c->vm, v);
    return name;
}

static bool is_one_of(const char *name, const char *const *names)
{
    for (; name && *names; names++)
        if (strcmp(name, *names) == 0) return true;
    return false;
}

/* CPython's infer_type: the type e's value is known to have, or NULL. */
static const char *infer_type(Compiler *c, pmast_node *e)
{
    switch (e->kind) {
    case PMAST_Tuple: return "tuple";
    case PMAST_List: case PMAST_ListComp: return "list";
    case PMAST_Dict: case PMAST_DictComp: return "dict";
    case PMAST_Set: case PMAST_SetComp: return "set";
    case PMAST_GeneratorExp: return "generator";
    case PMAST_Lambda: return "function";
    case PMAST_JoinedStr: case PMAST_FormattedValue: return "str";
    default: return const_type_name(c, e);
    }
}

/* ast_opt.c's fold_unaryop folds `not (a is b)` into `a is not b` (and `in` into `not in`,
 * both ways), from the inside out, so `not not (a is b)` is `a is b` again: the comparison
 * a chain of `not` stands for (*negate: its operator is inverted), or NULL. */
static pmast_node *folded_not(pmast_node *e, bool *negate)
{
    int nots = 0;
    for (; e->kind == PMAST_UnaryOp && e->v.UnaryOp.op == PMAST_Not; nots++)
        e = e->v.UnaryOp.operand;
    if (nots == 0 || e->kind != PMAST_Compare || e->v.Compare.comparators.n != 1) return NULL;
    int op = e->v.Compare.ops[0];
    if (op != PMAST_Is && op != PMAST_IsNot && op != PMAST_In && op != PMAST_NotIn) return NULL;
    *negate = nots % 2 == 1;
    return e;
}

static int negated_cmpop(int op)
{
    return op == PMAST_Is ? PMAST_IsNot : op == PMAST_IsNot ? PMAST_Is
         : op == PMAST_In ? PMAST_NotIn : PMAST_In;
}

/* check_is_arg fails: e is a literal other than None, True, False and `...`. */
static bool is_literal(Compiler *c, pmast_node *e)
{
    static const char *const singletons[] = {"NoneType", "bool", "ellipsis", NULL};
    const char *tp = const_type_name(c, e);
    return tp && !is_one_of(tp, singletons);
}

/* check_compare: the first `is`/`is not` with a literal on either side (negate: the
 * comparison is the operand of a `not` the optimizer folded into it). */
static void check_compare(Compiler *c, pmast_node *e, bool negate)
{
    pmast_node *left = e->v.Compare.left;
    for (int i = 0; i < e->v.Compare.comparators.n; i++) {
        pmast_node *right = e->v.Compare.comparators.items[i];
        int op = negate ? negated_cmpop(e->v.Compare.ops[i]) : e->v.Compare.ops[i];
        if ((op == PMAST_Is || op == PMAST_IsNot) && (is_literal(c, left) || is_literal(c, right))) {
            warn(c, e->lineno, op == PMAST_Is ? "\"is\" with a literal. Did you mean \"==\"?"
                                              : "\"is not\" with a literal. Did you mean \"!=\"?");
            return;
        }
        left = right;
    }
}

/* check_caller: calling something that is never callable (call: the Call node). */
static void check_caller(Compiler *c, pmast_node *call)
{
    pmast_node *f = call->v.Call.func;
    const char *tp = NULL;
    switch (f->kind) {
    case PMAST_Tuple: case PMAST_List: case PMAST_ListComp: case PMAST_Dict:
    case PMAST_DictComp: case PMAST_Set: case PMAST_SetComp: case PMAST_GeneratorExp:
    case PMAST_JoinedStr: case PMAST_FormattedValue:
        tp = infer_type(c, f);
        break;
    default:
        tp = const_type_name(c, f);
    }
    if (tp) warn(c, call->lineno, "'%s' object is not callable; perhaps you missed a comma?", tp);
}

/* check_subscripter: subscripting something that is never subscriptable (e: the
 * Subscript node being loaded). */
static void check_subscripter(Compiler *c, pmast_node *e)
{
    static const char *const unsubscriptable[] = {"NoneType", "ellipsis", "int", "bool", "float",
                                                  "complex", "set", "frozenset", NULL};
    pmast_node *v = e->v.Subscript.value;
    const char *tp;
    switch (v->kind) {
    case PMAST_Set: case PMAST_SetComp: case PMAST_GeneratorExp: case PMAST_Lambda:
        tp = infer_type(c, v);
        break;
    default:
        tp = const_type_name(c, v);
        if (!is_one_of(tp, unsubscriptable)) tp = NULL;
    }
    if (tp) warn(c, e->lineno, "'%s' object is not subscriptable; perhaps you missed a comma?", tp);
}

/* check_index: a sequence subscripted by something that is not an int or a slice. */
static void check_index(Compiler *c, pmast_node *e)
{
    static const char *const sequences[] = {"str", "bytes", "tuple", NULL};
    static const char *const integers[] = {"int", "bool", NULL};
    pmast_node *v = e->v.Subscript.value;
    const char *index = infer_type(c, e->v.Subscript.slice), *tp;
    if (index == NULL || is_one_of(index, integers)) return;
    switch (v->kind) {
    case PMAST_Tuple: case PMAST_List: case PMAST_ListComp: case PMAST_JoinedStr:
    case PMAST_FormattedValue:
        tp = infer_type(c, v);
        break;
    default:
        tp = const_type_name(c, v);
        if (!is_one_of(tp, sequences)) tp = NULL;
    }
    if (tp)
        warn(c, e->lineno, "%s indices must be integers or slices, not %s; perhaps you missed a comma?",
             tp, index);
}

static void check_subscript(Compiler *c, pmast_node *e)
{
    check_subscripter(c, e);
    check_index(c, e);
}

/* compiler_assert: the test is a non-empty tuple, `assert (x, "message")`. */
static void check_assert(Compiler *c, pmast_node *s)
{
    pmast_node *t = s->v.Assert.test;
    bool tuple = t->kind == PMAST_Tuple && t->v.Tuple.elts.n > 0;
    if (!tuple && foldable_kind(t)) {
        PmObject *v = fold(c, t);
        tuple = v && Pm_IS_TYPE(c->vm, v, TUPLE) && Pm_SIZE(v) > 0;
        Pm_XDECREF(c->vm, v);
    }
    if (tuple) warn(c, s->lineno, "assertion is always true, perhaps remove parentheses?");
}

/* The number of warnings so far, and a second copy of warnings [from, to) after them: the
 * warnings of code CPython compiles again (and PyMemLab does not). */
static int nwarnings(Compiler *c)
{
    return c->warnings ? c->warnings->nwarnings : 0;
}

static void repeat_warnings(Compiler *c, int from, int to)
{
    if (c->warnings && !c->failed) pmparse_repeat_warnings(c->warnings, from, to);
}

static void warn_walk(Compiler *c, pmast_node *e);

static void warn_walk_seq(Compiler *c, pmast_seq seq)
{
    for (int i = 0; i < seq.n; i++) warn_walk(c, seq.items[i]);
}

static void warn_walk_comprehension(Compiler *c, pmast_node *e)
{
    pmast_seq gens = e->kind == PMAST_DictComp ? e->v.DictComp.generators : e->v.ListComp.generators;
    for (int i = 0; i < gens.n; i++) {
        pmast_node *g = gens.items[i];
        if (i > 0) warn_walk(c, g->v.comprehension.iter);
        warn_walk(c, g->v.comprehension.target);
        warn_walk_seq(c, g->v.comprehension.ifs);
    }
    if (e->kind == PMAST_DictComp) {
        warn_walk(c, e->v.DictComp.key);
        warn_walk(c, e->v.DictComp.value);
    } else {
        warn_walk(c, e->v.ListComp.elt);
    }
    warn_walk(c, gens.items[0]->v.comprehension.iter);
}

/* The warnings compiling e would give, without compiling it (e may hold lambdas and
 * comprehensions the symbol table has not seen). */
static void warn_walk(Compiler *c, pmast_node *e)
{
    if (e == NULL || c->failed) return;
    if (foldable_kind(e)) {
        PmObject *v = fold(c, e);
        if (v) { Pm_DECREF(c->vm, v); return; }
    }
    switch (e->kind) {
    case PMAST_Compare:
        check_compare(c, e, false);
        warn_walk(c, e->v.Compare.left);
        warn_walk_seq(c, e->v.Compare.comparators);
        break;
    case PMAST_Call:
        check_caller(c, e);
        warn_walk(c, e->v.Call.func);
        warn_walk_seq(c, e->v.Call.args);
        for (int i = 0; i < e->v.Call.keywords.n; i++)
            warn_walk(c, e->v.Call.keywords.items[i]->v.keyword.value);
        break;
    case PMAST_Subscript:
        if (e->ctx == PMAST_LOAD) check_subscript(c, e);
        warn_walk(c, e->v.Subscript.value);
        warn_walk(c, e->v.Subscript.slice);
        break;
    case PMAST_UnaryOp: {
        bool negate;
        pmast_node *cmp = folded_not(e, &negate);
        if (cmp) {
            check_compare(c, cmp, negate);
            warn_walk(c, cmp->v.Compare.left);
            warn_walk_seq(c, cmp->v.Compare.comparators);
        } else {
            warn_walk(c, e->v.UnaryOp.operand);
        }
        break;
    }
    case PMAST_BinOp:
        warn_walk(c, e->v.BinOp.left);
        warn_walk(c, e->v.BinOp.right);
        break;
    case PMAST_BoolOp: warn_walk_seq(c, e->v.BoolOp.values); break;
    case PMAST_IfExp:
        warn_walk(c, e->v.IfExp.test);
        warn_walk(c, e->v.IfExp.body);
        warn_walk(c, e->v.IfExp.orelse);
        break;
    case PMAST_Attribute: warn_walk(c, e->v.Attribute.value); break;
    case PMAST_List: case PMAST_Tuple: warn_walk_seq(c, e->v.List.elts); break;
    case PMAST_Set: warn_walk_seq(c, e->v.Set.elts); break;
    case PMAST_Dict:
        for (int i = 0; i < e->v.Dict.keys.n; i++) {
            warn_walk(c, e->v.Dict.keys.items[i]);
            warn_walk(c, e->v.Dict.values.items[i]);
        }
        break;
    case PMAST_Slice:
        warn_walk(c, e->v.Slice.lower);
        warn_walk(c, e->v.Slice.upper);
        warn_walk(c, e->v.Slice.step);
        break;
    case PMAST_JoinedStr: warn_walk_seq(c, e->v.JoinedStr.values); break;
    case PMAST_FormattedValue:
        warn_walk(c, e->v.FormattedValue.value);
        warn_walk(c, e->v.FormattedValue.format_spec);
        break;
    case PMAST_Starred: warn_walk(c, e->v.Starred.value); break;
    case PMAST_Lambda: {
        pmast_node *a = e->v.Lambda.args;
        warn_walk_seq(c, a->v.arguments.defaults);
        warn_walk_seq(c, a->v.arguments.kw_defaults);    /* NULL entries are skipped */
        warn_walk(c, e->v.Lambda.body);
        break;
    }
    case PMAST_ListComp: case PMAST_SetComp: case PMAST_DictComp: case PMAST_GeneratorExp:
        warn_walk_comprehension(c, e);
        break;
    case PMAST_Yield: case PMAST_YieldFrom: case PMAST_Await: warn_walk(c, e->v.Yield.value); break;
    case PMAST_NamedExpr: warn_walk(c, e->v.NamedExpr.value); break;
    default: break;
    }
}

/* compiler_visit_annotations: a def's annotations are compiled after its defaults (those
 * of args before posonlyargs, as CPython does). */
static void warn_annotations(Compiler *c, pmast_node *args, pmast_node *returns)
{
    pmast_seq groups[2] = {args->v.arguments.args, args->v.arguments.posonlyargs};
    for (int g = 0; g < 2; g++)
        for (int i = 0; i < groups[g].n; i++) warn_walk(c, groups[g].items[i]->v.arg.annotation);
    if (args->v.arguments.vararg) warn_walk(c, args->v.arguments.vararg->v.arg.annotation);
    for (int i = 0; i < args->v.arguments.kwonlyargs.n; i++)
        warn_walk(c, args->v.arguments.kwonlyargs.items[i]->v.arg.annotation);
    if (args->v.arguments.kwarg) warn_walk(c, args->v.arguments.kwarg->v.arg.annotation);
    warn_walk(c, returns);
}

/* compiler_annassign after the assignment: what of the target and the annotation is
 * evaluated (annotations only in a module or class body). */
static void warn_annassign(Compiler *c, pmast_node *s)
{
    pmast_node *t = s->v.AnnAssign.target;
    bool evaluated = c->u->scope->kind != PM_BLOCK_FUNCTION;
    bool simple = s->v.AnnAssign.simple;
    if (t->kind == PMAST_Name && simple && evaluated) {
        warn_walk(c, s->v.AnnAssign.annotation);
        return;
    }
    if (t->kind == PMAST_Attribute && s->v.AnnAssign.value == NULL)
        warn_walk(c, t->v.Attribute.value);
    if (t->kind == PMAST_Subscript && s->v.AnnAssign.value == NULL) {
        warn_walk(c, t->v.Subscript.value);
        warn_walk(c, t->v.Subscript.slice);
    }
    if (!simple && evaluated) warn_walk(c, s->v.AnnAssign.annotation);
}

/* ------------------------------------------------------------------ expressions */

static int compile_seq_elts(Compiler *c, pmast_seq elts, int build, int extend, int totuple);
static int compile_call_helper(Compiler *c, int nalready, pmast_seq args, pmast_seq keywords,
                               pmast_node *at);

static bool all_const(Compiler *c, pmast_seq elts)
{
    for (int i = 0; i < elts.n; i++)
        if (!is_const(c, elts.items[i])) return false;
    return true;
}

static bool has_starred(pmast_seq elts)
{
    for (int i = 0; i < elts.n; i++)
        if (elts.items[i]->kind == PMAST_Starred) return true;
    return false;
}

static PmObject *consts_tuple(Compiler *c, pmast_seq elts)
{
    PmObject *t = PmTuple_New(c->vm, elts.n);
    if (t == NULL) return NULL;
    for (int i = 0; i < elts.n; i++) {
        PmObject *v = const_of(c, elts.items[i]);
        if (v == NULL) {
            Pm_DECREF(c->vm, t);
            if (!PmErr_Occurred(c->vm)) PmErr_NoMemory(c->vm);
            return NULL;
        }
        PmTuple_SET_ITEM(t, i, v);
    }
    return t;
}

/* CPython's starunpack_helper for list/set/tuple displays. */
static int compile_seq_elts(Compiler *c, pmast_seq elts, int build, int extend, int totuple)
{
    int n = elts.n;
    if (n > 2 && all_const(c, elts)) {
        PmObject *t = consts_tuple(c, elts);
        if (t == NULL) return -1;
        if (build == OP_BUILD_SET) {
            PmObject *fs = PmFrozenSet_New(c->vm, t);
            Pm_DECREF(c->vm, t);
            t = fs;
        }
        if (build == OP_BUILD_TUPLE) return emit_const_steal(c, t);
        CHECK(emit(c, build, 0) == 0);
        CHECK(emit_const_steal(c, t) == 0);
        return emit(c, extend, 1);
    }
    bool starred = has_starred(elts);
    if (!starred && n <= 30) {
        for (int i = 0; i < n; i++) VISIT(c, elts.items[i]);
        return emit(c, build, n);
    }
    int seen = 0;
    bool built = false;
    int listbuild = totuple ? OP_BUILD_LIST : build;
    for (int i = 0; i < n; i++) {
        pmast_node *el = elts.items[i];
        if (el->kind == PMAST_Starred) {
            if (!built) { CHECK(emit(c, listbuild, seen) == 0); built = true; seen = 0; }
            VISIT(c, el->v.Starred.value);
            CHECK(emit(c, extend, 1) == 0);
        } else {
            VISIT(c, el);
            if (built) CHECK(emit(c, listbuild == OP_BUILD_SET ? OP_SET_ADD : OP_LIST_APPEND, 1) == 0);
            else seen++;
        }
    }
    if (!built) CHECK(emit(c, listbuild, seen) == 0);
    if (totuple) EMIT(c, LIST_TO_TUPLE, 0);
    return 0;
}

static int compile_dict(Compiler *c, pmast_node *e)
{
    pmast_seq keys = e->v.Dict.keys, values = e->v.Dict.values;
    int n = keys.n;
    bool plain = true, constkeys = n > 1;
    for (int i = 0; i < n; i++) {
        if (keys.items[i] == NULL) plain = false;
        else if (!is_const(c, keys.items[i])) constkeys = false;
    }
    if (plain && n <= 16) {
        if (constkeys) {
            for (int i = 0; i < n; i++) VISIT(c, values.items[i]);
            PmObject *t = consts_tuple(c, keys);
            CHECK(emit_const_steal(c, t) == 0);
            return emit(c, OP_BUILD_CONST_KEY_MAP, n);
        }
        for (int i = 0; i < n; i++) {
            VISIT(c, keys.items[i]);
            VISIT(c, values.items[i]);
        }
        return emit(c, OP_BUILD_MAP, n);
    }
    int pending = 0;
    bool built = false;
    for (int i = 0; i < n; i++) {
        if (keys.items[i] == NULL) {
            if (pending || !built) { CHECK(emit(c, OP_BUILD_MAP, pending) == 0); pending = 0; }
            if (built) EMIT(c, DICT_UPDATE, 1);
            built = true;
            VISIT(c, values.items[i]);
            EMIT(c, DICT_UPDATE, 1);
        } else {
            VISIT(c, keys.items[i]);
            VISIT(c, values.items[i]);
            if (built) EMIT(c, MAP_ADD, 1);
            else if (++pending == 16) {
                EMIT(c, BUILD_MAP, pending);
                pending = 0;
                built = true;
            }
        }
    }
    if (!built) EMIT(c, BUILD_MAP, pending);
    return 0;
}

static const int cmp_arg[] = {
    [PMAST_Eq] = Pm_EQ, [PMAST_NotEq] = Pm_NE, [PMAST_Lt] = Pm_LT, [PMAST_LtE] = Pm_LE,
    [PMAST_Gt] = Pm_GT, [PMAST_GtE] = Pm_GE
};

static int emit_cmpop(Compiler *c, int op)
{
    switch (op) {
    case PMAST_Is: return emit(c, OP_IS_OP, 0);
    case PMAST_IsNot: return emit(c, OP_IS_OP, 1);
    case PMAST_In: return emit(c, OP_CONTAINS_OP, 0);
    case PMAST_NotIn: return emit(c, OP_CONTAINS_OP, 1);
    default: return emit(c, OP_COMPARE_OP, cmp_arg[op]);
    }
}

/* `x in [1, 2]` / `x in {1, 2}` compare against a constant tuple / frozenset (fold_compare). */
static int compile_comparator(Compiler *c, int op, pmast_node *right)
{
    if ((op == PMAST_In || op == PMAST_NotIn) &&
        (right->kind == PMAST_List || right->kind == PMAST_Set) &&
        all_const(c, right->v.List.elts) && !has_starred(right->v.List.elts)) {
        PmObject *t = consts_tuple(c, right->v.List.elts);
        if (t && right->kind == PMAST_Set) {
            PmObject *fs = PmFrozenSet_New(c->vm, t);
            Pm_DECREF(c->vm, t);
            t = fs;
        }
        if (t && PmList_Append(c->vm, c->arena, t) < 0) PmErr_Clear(c->vm);
        return emit_const_steal(c, t);
    }
    return compile_expr(c, right);
}

/* negate: `not` folded into e inverts its operator (folded_not). */
static int compile_compare(Compiler *c, pmast_node *e, bool negate)
{
    int n = e->v.Compare.comparators.n;
    check_compare(c, e, negate);
    VISIT(c, e->v.Compare.left);
    if (n == 1) {
        int op = negate ? negated_cmpop(e->v.Compare.ops[0]) : e->v.Compare.ops[0];
        CHECK(compile_comparator(c, op, e->v.Compare.comparators.items[0]) == 0);
        return emit_cmpop(c, op);
    }
    int cleanup = new_label(c), end = new_label(c);
    CHECK(cleanup >= 0 && end >= 0);
    for (int i = 0; i < n - 1; i++) {
        CHECK(compile_comparator(c, e->v.Compare.ops[i], e->v.Compare.comparators.items[i]) == 0);
        EMIT(c, SWAP, 2);
        EMIT(c, COPY, 2);
        CHECK(emit_cmpop(c, e->v.Compare.ops[i]) == 0);
        EMIT_JUMP(c, JUMP_IF_FALSE_OR_POP, cleanup);
    }
    CHECK(compile_comparator(c, e->v.Compare.ops[n - 1], e->v.Compare.comparators.items[n - 1]) == 0);
    CHECK(emit_cmpop(c, e->v.Compare.ops[n - 1]) == 0);
    EMIT_JUMP(c, JUMP, end);
    use_label(c, cleanup);
    c->u->depth++;   /* the comparison result and the leftover operand */
    EMIT(c, SWAP, 2);
    EMIT(c, POP_TOP, 0);
    use_label(c, end);
    return 0;
}

static int compile_boolop(Compiler *c, pmast_node *e)
{
    int end = new_label(c);
    CHECK(end >= 0);
    int op = e->v.BoolOp.op == PMAST_And ? OP_JUMP_IF_FALSE_OR_POP : OP_JUMP_IF_TRUE_OR_POP;
    pmast_seq vals = e->v.BoolOp.values;
    for (int i = 0; i < vals.n - 1; i++) {
        VISIT(c, vals.items[i]);
        CHECK(emit(c, op, end) == 0);
    }
    VISIT(c, vals.items[vals.n - 1]);
    use_label(c, end);
    return 0;
}

static int compile_ifexp(Compiler *c, pmast_node *e)
{
    int orelse = new_label(c), end = new_label(c);
    CHECK(orelse >= 0 && end >= 0);
    VISIT(c, e->v.IfExp.test);
    EMIT_JUMP(c, POP_JUMP_IF_FALSE, orelse);
    VISIT(c, e->v.IfExp.body);
    EMIT_JUMP(c, JUMP, end);
    use_label(c, orelse);
    VISIT(c, e->v.IfExp.orelse);
    use_label(c, end);
    return 0;
}

static int compile_slice_part(Compiler *c, pmast_node *p)
{
    if (p) return compile_expr(c, p);
    return emit_const(c, Pm_None(c->vm));
}

static int compile_slice(Compiler *c, pmast_node *s)
{
    CHECK(compile_slice_part(c, s->v.Slice.lower) == 0);
    CHECK(compile_slice_part(c, s->v.Slice.upper) == 0);
    int n = 2;
    if (s->v.Slice.step) { VISIT(c, s->v.Slice.step); n = 3; }
    return emit(c, OP_BUILD_SLICE, n);
}

static int compile_subscript_index(Compiler *c, pmast_node *idx)
{
    if (idx->kind == PMAST_Slice) return compile_slice(c, idx);
    return compile_expr(c, idx);
}

static int compile_formatted(Compiler *c, pmast_node *e)
{
    VISIT(c, e->v.FormattedValue.value);
    int conv = e->v.FormattedValue.conversion;
    int arg = conv == 's' ? PM_FVC_STR : conv == 'r' ? PM_FVC_REPR : conv == 'a' ? PM_FVC_ASCII : 0;
    if (e->v.FormattedValue.format_spec) {
        VISIT(c, e->v.FormattedValue.format_spec);
        arg |= PM_FVS_HAVE_SPEC;
    }
    return emit(c, OP_FORMAT_VALUE, arg);
}

static int compile_joinedstr(Compiler *c, pmast_node *e)
{
    pmast_seq vals = e->v.JoinedStr.values;
    if (vals.n == 0) return emit_const(c, c->vm->empty_str);
    for (int i = 0; i < vals.n; i++) VISIT(c, vals.items[i]);
    if (vals.n == 1 && vals.items[0]->kind == PMAST_FormattedValue) return 0;
    return emit(c, OP_BUILD_STRING, vals.n);
}

static int compile_call(Compiler *c, pmast_node *e)
{
    pmast_node *f = e->v.Call.func;
    check_caller(c, e);
    bool simple = !has_starred(e->v.Call.args);
    for (int i = 0; i < e->v.Call.keywords.n; i++)
        if (e->v.Call.keywords.items[i]->v.keyword.arg == NULL) simple = false;
    if (f->kind == PMAST_Attribute && simple) {
        VISIT(c, f->v.Attribute.value);
        set_pos(c, f);
        int i = add_name(c, f->v.Attribute.attr);
        CHECK(i >= 0);
        EMIT(c, LOAD_METHOD, i);
        return compile_call_helper(c, 0, e->v.Call.args, e->v.Call.keywords, e);
    }
    if (f->kind == PMAST_Name) {
        set_pos(c, f);
        CHECK(compile_name_op(c, f->v.Name.id, CTX_LOAD, true) == 0);
    } else {
        EMIT(c, PUSH_NULL, 0);
        VISIT(c, f);
    }
    return compile_call_helper(c, 0, e->v.Call.args, e->v.Call.keywords, e);
}

static int compile_kwargs_dict(Compiler *c, pmast_seq kws)
{
    int pending = 0;
    bool built = false;
    for (int i = 0; i < kws.n; i++) {
        pmast_node *kw = kws.items[i];
        if (kw->v.keyword.arg == NULL) {
            if (!built || pending) {
                EMIT(c, BUILD_MAP, pending);
                if (built) EMIT(c, DICT_MERGE, 1);
                pending = 0;
                built = true;
            }
            VISIT(c, kw->v.keyword.value);
            EMIT(c, DICT_MERGE, 1);
        } else {
            PmObject *k = intern_cstr(c, kw->v.keyword.arg);
            CHECK(emit_const_steal(c, k) == 0);
            VISIT(c, kw->v.keyword.value);
            pending++;
        }
    }
    if (pending) {
        EMIT(c, BUILD_MAP, pending);
        if (built) EMIT(c, DICT_MERGE, 1);
    }
    return 0;
}

/* Arguments for a call whose [callable-or-method, NULL-or-self] pair is on the stack. */
static int compile_call_helper(Compiler *c, int nalready, pmast_seq args, pmast_seq keywords,
                               pmast_node *at)
{
    bool starred = has_starred(args);
    bool dstar = false;
    for (int i = 0; i < keywords.n; i++)
        if (keywords.items[i]->v.keyword.arg == NULL) dstar = true;
    if (!starred && !dstar) {
        for (int i = 0; i < args.n; i++) VISIT(c, args.items[i]);
        if (keywords.n) {
            PmObject *names = PmTuple_New(c->vm, keywords.n);
            if (names == NULL) return -1;
            for (int i = 0; i < keywords.n; i++) {
                VISIT(c, keywords.items[i]->v.keyword.value);
                PmObject *k = intern_cstr(c, keywords.items[i]->v.keyword.arg);
                if (k == NULL) { Pm_DECREF(c->vm, names); return -1; }
                PmTuple_SET_ITEM(names, i, k);
            }
            int ki = add_const(c, names);
            Pm_DECREF(c->vm, names);
            CHECK(ki >= 0);
            set_pos(c, at);
            EMIT(c, KW_NAMES, ki);
        }
        set_pos(c, at);
        return emit(c, OP_CALL, nalready + args.n + keywords.n);
    }
    CHECK(compile_seq_elts(c, args, OP_BUILD_LIST, OP_LIST_EXTEND, 1) == 0);
    if (keywords.n) CHECK(compile_kwargs_dict(c, keywords) == 0);
    set_pos(c, at);
    return emit(c, OP_CALL_FUNCTION_EX, keywords.n ? 1 : 0);
}

static int compile_function_code(Compiler *c, pmast_node *n, const char *name, pmast_node *args,
                                 pmast_seq *body, pmast_node *lambda_body);

static int compile_comprehension(Compiler *c, pmast_node *e);

static int compile_expr_inner(Compiler *c, pmast_node *e)
{
    switch (e->kind) {
    case PMAST_Constant: {
        PmObject *v = constant_value(c, e);
        return emit_const_steal(c, v);
    }
    case PMAST_Name:
        return compile_name_op(c, e->v.Name.id, e->ctx == PMAST_LOAD ? CTX_LOAD :
                               e->ctx == PMAST_STORE ? CTX_STORE : CTX_DEL, false);
    case PMAST_BinOp:
        VISIT(c, e->v.BinOp.left);
        VISIT(c, e->v.BinOp.right);
        set_pos(c, e);
        return emit(c, OP_BINARY_OP, binop_number[e->v.BinOp.op]);
    case PMAST_UnaryOp: {
        bool negate;
        pmast_node *cmp = folded_not(e, &negate);
        if (cmp) {             /* `not (a is b)` is `a is not b`, at the comparison's place */
            set_pos(c, cmp);
            return compile_compare(c, cmp, negate);
        }
        VISIT(c, e->v.UnaryOp.operand);
        set_pos(c, e);
        static const int ops[] = {[PMAST_Invert] = OP_UNARY_INVERT, [PMAST_Not] = OP_UNARY_NOT,
                                  [PMAST_UAdd] = OP_UNARY_POSITIVE, [PMAST_USub] = OP_UNARY_NEGATIVE};
        return emit(c, ops[e->v.UnaryOp.op], 0);
    }
    case PMAST_BoolOp: return compile_boolop(c, e);
    case PMAST_Compare: return compile_compare(c, e, false);
    case PMAST_IfExp: return compile_ifexp(c, e);
    case PMAST_Call: return compile_call(c, e);
    case PMAST_Attribute: {
        VISIT(c, e->v.Attribute.value);
        set_pos(c, e);
        int i = add_name(c, e->v.Attribute.attr);
        CHECK(i >= 0);
        if (e->ctx == PMAST_LOAD) return emit(c, OP_LOAD_ATTR, i);
        if (e->ctx == PMAST_STORE) return emit(c, OP_STORE_ATTR, i);
        return emit(c, OP_DELETE_ATTR, i);
    }
    case PMAST_Subscript:
        if (e->ctx == PMAST_LOAD) check_subscript(c, e);
        VISIT(c, e->v.Subscript.value);
        CHECK(compile_subscript_index(c, e->v.Subscript.slice) == 0);
        set_pos(c, e);
        if (e->ctx == PMAST_LOAD) return emit(c, OP_BINARY_SUBSCR, 0);
        if (e->ctx == PMAST_STORE) return emit(c, OP_STORE_SUBSCR, 0);
        return emit(c, OP_DELETE_SUBSCR, 0);
    case PMAST_List:
        return compile_seq_elts(c, e->v.List.elts, OP_BUILD_LIST, OP_LIST_EXTEND, 0);
    case PMAST_Tuple:
        return compile_seq_elts(c, e->v.Tuple.elts, OP_BUILD_TUPLE, OP_LIST_EXTEND, 1);
    case PMAST_Set:
        return compile_seq_elts(c, e->v.Set.elts, OP_BUILD_SET, OP_SET_UPDATE, 0);
    case PMAST_Dict: return compile_dict(c, e);
    case PMAST_Slice: return compile_slice(c, e);
    case PMAST_JoinedStr: return compile_joinedstr(c, e);
    case PMAST_FormattedValue: return compile_formatted(c, e);
    case PMAST_Lambda:
        return compile_function_code(c, e, "<lambda>", e->v.Lambda.args, NULL, e->v.Lambda.body);
    case PMAST_ListComp: case PMAST_SetComp: case PMAST_DictComp: case PMAST_GeneratorExp:
        return compile_comprehension(c, e);
    case PMAST_Yield:
        if (c->u->scope->comprehension) return syntax_error(c, e, "'yield' inside comprehension");
        if (e->v.Yield.value) VISIT(c, e->v.Yield.value);
        else CHECK(emit_const(c, Pm_None(c->vm)) == 0);
        return emit(c, OP_YIELD_VALUE, 0);
    case PMAST_Starred:
        return syntax_error(c, e, e->ctx == PMAST_STORE ? "starred assignment target must be in a list or tuple"
                                                        : "can't use starred expression here");
    case PMAST_NamedExpr:
        return syntax_error(c, e, "assignment expressions (:=) are not supported in PyMemLab");
    case PMAST_YieldFrom:
        return syntax_error(c, e, "'yield from' is not supported in PyMemLab");
    case PMAST_Await:
        return syntax_error(c, e, "'await' is not supported in PyMemLab");
    default:
        return syntax_error(c, e, "unsupported expression");
    }
}

static int compile_expr(Compiler *c, pmast_node *e)
{
    if (c->failed) return -1;
    PmPosition saved = c->u->cur;
    set_pos(c, e);
    int r;
    if (foldable_kind(e)) {
        PmObject *v = fold(c, e);
        if (v) {
            r = emit_const_steal(c, v);
            c->u->cur = saved;
            return r;
        }
        if (c->failed || PmErr_Occurred(c->vm)) return -1;
    }
    r = compile_expr_inner(c, e);
    c->u->cur = saved;
    return r;
}

/* ------------------------------------------------------------------ assignment targets */

static int compile_store(Compiler *c, pmast_node *t);

static int compile_unpack(Compiler *c, pmast_seq elts, pmast_node *t)
{
    int star = -1;
    for (int i = 0; i < elts.n; i++) {
        if (elts.items[i]->kind == PMAST_Starred) {
            if (star >= 0) return syntax_error(c, elts.items[i], "multiple starred expressions in assignment");
            star = i;
        }
    }
    set_pos(c, t);
    if (star < 0) {
        EMIT(c, UNPACK_SEQUENCE, elts.n);
    } else {
        int after = elts.n - star - 1;
        if (star >= 256 || after >= (1 << 16))
            return syntax_error(c, t, "too many expressions in star-unpacking assignment");
        EMIT(c, UNPACK_EX, star | (after << 8));
    }
    for (int i = 0; i < elts.n; i++) {
        pmast_node *el = elts.items[i];
        CHECK(compile_store(c, el->kind == PMAST_Starred ? el->v.Starred.value : el) == 0);
    }
    return 0;
}

/* Store the value on top of the stack into target `t` (consumes it). */
static int compile_store(Compiler *c, pmast_node *t)
{
    switch (t->kind) {
    case PMAST_Name:
        set_pos(c, t);
        return compile_name_op(c, t->v.Name.id, CTX_STORE, false);
    case PMAST_Attribute: {
        VISIT(c, t->v.Attribute.value);
        set_pos(c, t);
        int i = add_name(c, t->v.Attribute.attr);
        CHECK(i >= 0);
        return emit(c, OP_STORE_ATTR, i);
    }
    case PMAST_Subscript:
        VISIT(c, t->v.Subscript.value);
        CHECK(compile_subscript_index(c, t->v.Subscript.slice) == 0);
        set_pos(c, t);
        return emit(c, OP_STORE_SUBSCR, 0);
    case PMAST_Tuple: case PMAST_List:
        return compile_unpack(c, t->v.Tuple.elts, t);
    case PMAST_Starred:
        return syntax_error(c, t, "starred assignment target must be in a list or tuple");
    default:
        return syntax_error(c, t, "cannot assign to expression");
    }
}

static int compile_delete_target(Compiler *c, pmast_node *t)
{
    switch (t->kind) {
    case PMAST_Name: case PMAST_Attribute: case PMAST_Subscript:
        return compile_expr(c, t);
    case PMAST_Tuple: case PMAST_List:
        for (int i = 0; i < t->v.Tuple.elts.n; i++)
            CHECK(compile_delete_target(c, t->v.Tuple.elts.items[i]) == 0);
        return 0;
    default:
        return syntax_error(c, t, "cannot delete expression");
    }
}

/* ------------------------------------------------------------------ units */

static Unit *unit_new(Compiler *c, PmScope *scope, const char *name, int firstlineno)
{
    PmVM *vm = c->vm;
    Unit *u = calloc(1, sizeof(Unit));
    if (u == NULL) { PmErr_NoMemory(vm); return NULL; }
    u->scope = scope;
    u->firstlineno = firstlineno;
    u->name = PmStr_FromUTF8(vm, name, strlen(name));
    if (u->name) PmStr_InternInPlace(vm, &u->name);
    u->consts = PmList_New(vm, 0);
    u->consts_index = PmDict_New(vm);
    u->names = PmList_New(vm, 0);
    u->names_index = PmDict_New(vm);
    u->varnames = PmList_New(vm, 0);
    u->varnames_index = PmDict_New(vm);
    u->cellvars = PmList_New(vm, 0);
    u->freevars = PmList_New(vm, 0);
    u->cur.lineno = u->cur.end_lineno = firstlineno;
    u->cur.col = u->cur.end_col = -1;
    if (!u->name || !u->consts || !u->consts_index || !u->names || !u->names_index ||
        !u->varnames || !u->varnames_index || !u->cellvars || !u->freevars) {
        free(u);   /* the partly made objects are reclaimed with the VM's leak of this rare path */
        return NULL;
    }
    return u;
}

static void unit_free(PmVM *vm, Unit *u)
{
    Pm_XDECREF(vm, u->name);
    Pm_XDECREF(vm, u->qualname);
    Pm_XDECREF(vm, u->consts);
    Pm_XDECREF(vm, u->consts_index);
    Pm_XDECREF(vm, u->names);
    Pm_XDECREF(vm, u->names_index);
    Pm_XDECREF(vm, u->varnames);
    Pm_XDECREF(vm, u->varnames_index);
    Pm_XDECREF(vm, u->cellvars);
    Pm_XDECREF(vm, u->freevars);
    free(u->code);
    free(u->pos);
    free(u->labels);
    free(u->label_depth);
    free(u);
}

static int sort_str_list(PmVM *vm, PmObject *list)
{
    return PmList_Sort(vm, list, NULL, false);
}

/* Fill cellvars/freevars from the scope (sorted like CPython's dictbytype). */
static int unit_collect_derefs(Compiler *c, Unit *u)
{
    PmScope *s = u->scope;
    for (int i = 0; i < s->nsyms; i++) {
        PmSymbol *sym = &s->syms[i];
        PmObject *list = sym->scope == PM_SC_CELL ? u->cellvars
                       : (sym->scope == PM_SC_FREE ||
                          (s->kind == PM_BLOCK_CLASS && (sym->flags & PM_DEF_FREE_CLASS)))
                           ? u->freevars : NULL;
        if (list == NULL) continue;
        if (s->kind == PM_BLOCK_CLASS && sym->scope == PM_SC_CELL) continue;
        PmObject *name = intern_cstr(c, sym->name);
        if (name == NULL || PmList_Append(c->vm, list, name) < 0) { Pm_XDECREF(c->vm, name); return -1; }
        Pm_DECREF(c->vm, name);
    }
    if (s->needs_class_closure) {
        PmObject *name = intern_cstr(c, "__class__");
        if (name == NULL || PmList_Append(c->vm, u->cellvars, name) < 0) return -1;
        Pm_DECREF(c->vm, name);
    }
    if (sort_str_list(c->vm, u->cellvars) < 0 || sort_str_list(c->vm, u->freevars) < 0) return -1;
    return 0;
}

static int enter_unit(Compiler *c, PmScope *scope, const char *name, int lineno,
                      PmObject *qualname)
{
    Unit *u = unit_new(c, scope, name, lineno);
    if (u == NULL) return -1;
    u->parent = c->u;
    u->qualname = qualname;
    c->u = u;
    for (int i = 0; i < scope->nparams; i++)
        CHECK(add_name_to(c, u->varnames, u->varnames_index, scope->params[i]) >= 0);
    return unit_collect_derefs(c, u);
}

static void leave_unit(Compiler *c)
{
    Unit *u = c->u;
    c->u = u->parent;
    unit_free(c->vm, u);
}

/* Resolve labels and deref encodings, build the code object. */
static PmObject *assemble(Compiler *c)
{
    PmVM *vm = c->vm;
    Unit *u = c->u;
    int nlocals = (int)Pm_SIZE(u->varnames);
    int ncells = 0;
    /* cells that are not parameters get slots after the locals */
    PmObject *lpnames = PmList_New(vm, 0);
    if (lpnames == NULL) return NULL;
    for (int i = 0; i < nlocals; i++)
        if (PmList_Append(vm, lpnames, PmList_GET_ITEM(u->varnames, i)) < 0) goto fail;
    int nargs_total = u->argcount + u->kwonlyargcount + ((u->flags & PM_CO_VARARGS) != 0) +
                      ((u->flags & PM_CO_VARKEYWORDS) != 0);
    int *cellslot = calloc((size_t)Pm_SIZE(u->cellvars) + 1, sizeof(int));
    uint8_t *kinds = calloc((size_t)(nlocals + Pm_SIZE(u->cellvars) + Pm_SIZE(u->freevars)) + 1, 1);
    if (cellslot == NULL || kinds == NULL) { free(cellslot); free(kinds); PmErr_NoMemory(vm); goto fail; }
    for (int i = 0; i < nlocals; i++) kinds[i] = PM_CO_FAST_LOCAL;
    for (Pm_ssize_t i = 0; i < Pm_SIZE(u->cellvars); i++) {
        PmObject *name = PmList_GET_ITEM(u->cellvars, i);
        int arg = -1;
        for (int j = 0; j < nargs_total && j < nlocals; j++)
            if (PmStr_Equal(PmList_GET_ITEM(u->varnames, j), name)) arg = j;
        if (arg >= 0) {
            cellslot[i] = arg;
            kinds[arg] |= PM_CO_FAST_CELL;
        } else {
            cellslot[i] = (int)Pm_SIZE(lpnames);
            kinds[cellslot[i]] = PM_CO_FAST_CELL;
            if (PmList_Append(vm, lpnames, name) < 0) { free(cellslot); free(kinds); goto fail; }
            ncells++;
        }
    }
    int freebase = (int)Pm_SIZE(lpnames);
    for (Pm_ssize_t i = 0; i < Pm_SIZE(u->freevars); i++) {
        kinds[freebase + i] = PM_CO_FAST_FREE;
        if (PmList_Append(vm, lpnames, PmList_GET_ITEM(u->freevars, i)) < 0) { free(cellslot); free(kinds); goto fail; }
    }
    for (int i = 0; i < u->ncode; i++) {
        int op = PM_OP(u->code[i]), arg = (int)PM_ARG(u->code[i]);
        if (is_jump(op)) {
            arg = u->labels[arg];
        } else if ((op == OP_LOAD_DEREF || op == OP_STORE_DEREF || op == OP_DELETE_DEREF ||
                    op == OP_LOAD_CLASSDEREF || op == OP_LOAD_CLOSURE) && (arg & 0x800000)) {
            int enc = arg & 0x7fffff;
            if (enc >= 1000000) arg = freebase + (enc - 1000000);
            else arg = cellslot[enc];
        }
        u->code[i] = (PmInstr)op | ((PmInstr)arg << 8);
    }
    free(cellslot);
    /* the constants tuple itself is merged too (3.11's makecode): two functions whose
     * constants are equal share one tuple */
    PmObject *ctuple = PmList_AsTuple(vm, u->consts);
    PmObject *consts = ctuple ? merge_const(c, ctuple) : NULL;
    Pm_XDECREF(vm, ctuple);
    if (consts == NULL) { free(kinds); goto fail; }
    PmObject *code = pm_code_new(vm, u->code, u->pos, u->ncode, consts, u->names, lpnames,
                                 kinds, nlocals, (int)Pm_SIZE(u->cellvars), (int)Pm_SIZE(u->freevars),
                                 u->argcount, u->posonlyargcount, u->kwonlyargcount,
                                 u->maxdepth + 2, u->maxblocks, u->flags, u->firstlineno,
                                 c->filename, u->name, u->qualname ? u->qualname : u->name);
    free(kinds);
    Pm_DECREF(vm, consts);
    Pm_DECREF(vm, lpnames);
    (void)ncells;
    return code;
fail:
    Pm_DECREF(vm, lpnames);
    return NULL;
}

/* ------------------------------------------------------------------ qualified names */

static PmObject *make_qualname(Compiler *c, const char *name)
{
    PmVM *vm = c->vm;
    Unit *p = c->u;
    if (p == NULL || p->scope->kind == PM_BLOCK_MODULE)
        return PmStr_FromUTF8(vm, name, strlen(name));
    int scope = pmsym_scope_of(p->scope, name);
    if (scope == PM_SC_GLOBAL_EXPLICIT) return PmStr_FromUTF8(vm, name, strlen(name));
    PmObject *base = p->qualname ? p->qualname : p->name;
    if (p->scope->kind == PM_BLOCK_FUNCTION)
        return PmStr_FromFormat(vm, "%U.<locals>.%s", base, name);
    return PmStr_FromFormat(vm, "%U.%s", base, name);
}

/* ------------------------------------------------------------------ functions and classes */

static int compile_defaults(Compiler *c, pmast_node *args, int *flags)
{
    pmast_seq defs = args->v.arguments.defaults;
    if (defs.n) {
        CHECK(compile_seq_elts(c, defs, OP_BUILD_TUPLE, OP_LIST_EXTEND, 1) == 0);
        *flags |= PM_MF_DEFAULTS;
    }
    pmast_seq kwonly = args->v.arguments.kwonlyargs, kwdefs = args->v.arguments.kw_defaults;
    int nkw = 0;
    for (int i = 0; i < kwdefs.n; i++) {
        if (kwdefs.items[i] == NULL) continue;
        PmObject *k = intern_cstr(c, kwonly.items[i]->v.arg.arg);
        CHECK(emit_const_steal(c, k) == 0);
        VISIT(c, kwdefs.items[i]);
        nkw++;
    }
    if (nkw) {
        EMIT(c, BUILD_MAP, nkw);
        *flags |= PM_MF_KWDEFAULTS;
    }
    return 0;
}

/* Push the closure tuple for a new function whose code uses free variables. */
static int compile_closure(Compiler *c, PmCode *co)
{
    if (co->co_nfreevars == 0) return 0;
    int first = co->co_nlocalsplus - co->co_nfreevars;
    for (int i = 0; i < co->co_nfreevars; i++) {
        PmObject *name = PmTuple_GET_ITEM(co->co_localsplusnames, first + i);
        const char *n = PmStr_AsUTF8(c->vm, name, NULL);
        int idx = deref_index(c, n);
        if (idx == -2000000) {
            PmErr_Format(c->vm, PME(c->vm, SystemError), "compiler: no cell for free variable %U", name);
            return -1;
        }
        if (idx < 0) idx = 0x800000 | (-idx - 1);
        EMIT(c, LOAD_CLOSURE, idx);
    }
    return emit(c, OP_BUILD_TUPLE, co->co_nfreevars);
}

static int make_function(Compiler *c, PmObject *code, int flags)
{
    if (((PmCode *)code)->co_nfreevars) {
        CHECK(compile_closure(c, (PmCode *)code) == 0);
        flags |= PM_MF_CLOSURE;
    }
    CHECK(emit_const(c, code) == 0);
    return emit(c, OP_MAKE_FUNCTION, flags);
}

static void set_arg_counts(Unit *u, pmast_node *args)
{
    u->posonlyargcount = args->v.arguments.posonlyargs.n;
    u->argcount = args->v.arguments.posonlyargs.n + args->v.arguments.args.n;
    u->kwonlyargcount = args->v.arguments.kwonlyargs.n;
    if (args->v.arguments.vararg) u->flags |= PM_CO_VARARGS;
    if (args->v.arguments.kwarg) u->flags |= PM_CO_VARKEYWORDS;
}

static pmast_node *docstring_of(pmast_seq body)
{
    if (body.n == 0) return NULL;
    pmast_node *s = body.items[0];
    if (s->kind != PMAST_Expr) return NULL;
    pmast_node *v = s->v.Expr.value;
    if (v->kind != PMAST_Constant || v->v.Constant.ckind != PMAST_C_STR) return NULL;
    return v;
}

static int compile_function_code(Compiler *c, pmast_node *n, const char *name, pmast_node *args,
                                 pmast_seq *body, pmast_node *lambda_body)
{
    int flags = 0;
    CHECK(compile_defaults(c, args, &flags) == 0);
    if (n->kind == PMAST_FunctionDef) warn_annotations(c, args, n->v.FunctionDef.returns);
    PmScope *scope = pmsym_scope_for(&c->st, n);
    PmObject *qualname = make_qualname(c, name);
    CHECK(qualname != NULL);
    int firstline = n->lineno;
    if (n->kind == PMAST_FunctionDef && n->v.FunctionDef.decorator_list.n)
        firstline = n->v.FunctionDef.decorator_list.items[0]->lineno;
    if (enter_unit(c, scope, name, firstline, qualname) < 0) return -1;
    Unit *u = c->u;
    u->flags |= PM_CO_OPTIMIZED | PM_CO_NEWLOCALS;
    if (scope->generator) u->flags |= PM_CO_GENERATOR;
    if (scope->parent && scope->parent->kind == PM_BLOCK_FUNCTION) u->flags |= PM_CO_NESTED;
    set_arg_counts(u, args);
    int r = 0;
    if (body) {
        pmast_node *doc = docstring_of(*body);
        PmObject *d = doc ? constant_value(c, doc) : Pm_RETURN_NONE(c->vm);
        r = d ? (add_const(c, d) < 0 ? -1 : 0) : -1;
        Pm_XDECREF(c->vm, d);
        if (r == 0 && scope->generator) r = emit(c, OP_RETURN_GENERATOR, 0);
        if (r == 0) r = compile_body(c, *body);
        if (r == 0 && c->u->depth >= 0) {
            r = emit_const(c, Pm_None(c->vm));
            if (r == 0) r = emit(c, OP_RETURN_VALUE, 0);
        }
    } else {
        r = add_const(c, Pm_None(c->vm)) < 0 ? -1 : 0;
        if (r == 0 && scope->generator) r = emit(c, OP_RETURN_GENERATOR, 0);
        if (r == 0) r = compile_expr(c, lambda_body);
        if (r == 0 && !scope->generator) r = emit(c, OP_RETURN_VALUE, 0);
        else if (r == 0) { r = emit(c, OP_POP_TOP, 0); if (r == 0) r = emit_const(c, Pm_None(c->vm)); if (r == 0) r = emit(c, OP_RETURN_VALUE, 0); }
    }
    PmObject *code = r == 0 ? assemble(c) : NULL;
    leave_unit(c);
    if (code == NULL) return -1;
    r = make_function(c, code, flags);
    Pm_DECREF(c->vm, code);
    return r;
}

static int compile_decorators(Compiler *c, pmast_seq decos)
{
    for (int i = 0; i < decos.n; i++) {
        EMIT(c, PUSH_NULL, 0);
        VISIT(c, decos.items[i]);
    }
    return 0;
}

static int apply_decorators(Compiler *c, pmast_seq decos)
{
    for (int i = decos.n - 1; i >= 0; i--) {
        set_pos(c, decos.items[i]);
        EMIT(c, CALL, 1);
    }
    return 0;
}

static int compile_funcdef(Compiler *c, pmast_node *s)
{
    pmast_seq decos = s->v.FunctionDef.decorator_list;
    CHECK(compile_decorators(c, decos) == 0);
    CHECK(compile_function_code(c, s, s->v.FunctionDef.name, s->v.FunctionDef.args,
                                &s->v.FunctionDef.body, NULL) == 0);
    CHECK(apply_decorators(c, decos) == 0);
    set_pos(c, s);
    return compile_name_op(c, s->v.FunctionDef.name, CTX_STORE, false);
}

static int compile_class_body(Compiler *c, pmast_node *s, PmObject **codep)
{
    PmScope *scope = pmsym_scope_for(&c->st, s);
    PmObject *qualname = make_qualname(c, s->v.ClassDef.name);
    CHECK(qualname != NULL);
    int firstline = s->v.ClassDef.decorator_list.n ? s->v.ClassDef.decorator_list.items[0]->lineno
                                                   : s->lineno;
    if (enter_unit(c, scope, s->v.ClassDef.name, firstline, qualname) < 0) return -1;
    Unit *u = c->u;
    int r = 0;
    set_pos(c, s);
    if (compile_name_op(c, "__name__", CTX_LOAD, false) < 0 ||
        compile_name_op(c, "__module__", CTX_STORE, false) < 0 ||
        emit_const(c, u->qualname) < 0 ||
        compile_name_op(c, "__qualname__", CTX_STORE, false) < 0) r = -1;
    pmast_node *doc = docstring_of(s->v.ClassDef.body);
    if (r == 0 && doc) {
        set_pos(c, doc);
        PmObject *d = constant_value(c, doc);
        r = emit_const_steal(c, d);
        if (r == 0) r = compile_name_op(c, "__doc__", CTX_STORE, false);
    }
    if (r == 0) r = compile_body(c, s->v.ClassDef.body);
    if (r == 0 && scope->needs_class_closure) {
        int idx = list_index(u->cellvars, "__class__");
        r = emit(c, OP_LOAD_CLOSURE, 0x800000 | idx);
        if (r == 0) r = emit(c, OP_COPY, 1);
        if (r == 0) r = compile_name_op(c, "__classcell__", CTX_STORE, false);
    } else if (r == 0) {
        r = emit_const(c, Pm_None(c->vm));
    }
    if (r == 0) r = emit(c, OP_RETURN_VALUE, 0);
    *codep = r == 0 ? assemble(c) : NULL;
    leave_unit(c);
    return *codep ? 0 : -1;
}

static int compile_classdef(Compiler *c, pmast_node *s)
{
    pmast_seq decos = s->v.ClassDef.decorator_list;
    CHECK(compile_decorators(c, decos) == 0);
    PmObject *code = NULL;
    CHECK(compile_class_body(c, s, &code) == 0);
    set_pos(c, s);
    EMIT(c, PUSH_NULL, 0);
    EMIT(c, LOAD_BUILD_CLASS, 0);
    int r = make_function(c, code, 0);
    Pm_DECREF(c->vm, code);
    CHECK(r == 0);
    PmObject *name = intern_cstr(c, s->v.ClassDef.name);
    CHECK(emit_const_steal(c, name) == 0);
    CHECK(compile_call_helper(c, 2, s->v.ClassDef.bases, s->v.ClassDef.keywords, s) == 0);
    CHECK(apply_decorators(c, decos) == 0);
    return compile_name_op(c, s->v.ClassDef.name, CTX_STORE, false);
}

/* ------------------------------------------------------------------ comprehensions */

static int compile_comp_generator(Compiler *c, pmast_node *e, int gen_index, int depth);

static int compile_comp_element(Compiler *c, pmast_node *e, int depth)
{
    switch (e->kind) {
    case PMAST_GeneratorExp:
        VISIT(c, e->v.GeneratorExp.elt);
        EMIT(c, YIELD_VALUE, 0);
        return emit(c, OP_POP_TOP, 0);
    case PMAST_ListComp:
        VISIT(c, e->v.ListComp.elt);
        return emit(c, OP_LIST_APPEND, depth + 1);
    case PMAST_SetComp:
        VISIT(c, e->v.SetComp.elt);
        return emit(c, OP_SET_ADD, depth + 1);
    default:
        VISIT(c, e->v.DictComp.key);
        VISIT(c, e->v.DictComp.value);
        return emit(c, OP_MAP_ADD, depth + 1);
    }
}

static int compile_comp_generator(Compiler *c, pmast_node *e, int gen_index, int depth)
{
    pmast_seq gens = e->kind == PMAST_DictComp ? e->v.DictComp.generators : e->v.ListComp.generators;
    pmast_node *g = gens.items[gen_index];
    int start = new_label(c), end = new_label(c), next = new_label(c);
    CHECK(start >= 0 && end >= 0 && next >= 0);
    if (gen_index == 0) {
        EMIT(c, LOAD_FAST, 0);   /* .0 */
    } else {
        VISIT(c, g->v.comprehension.iter);
        EMIT(c, GET_ITER, 0);
    }
    use_label(c, start);
    EMIT_JUMP(c, FOR_ITER, end);
    CHECK(compile_store(c, g->v.comprehension.target) == 0);
    for (int i = 0; i < g->v.comprehension.ifs.n; i++) {
        VISIT(c, g->v.comprehension.ifs.items[i]);
        EMIT_JUMP(c, POP_JUMP_IF_FALSE, next);
    }
    if (gen_index + 1 < gens.n) CHECK(compile_comp_generator(c, e, gen_index + 1, depth + 1) == 0);
    else CHECK(compile_comp_element(c, e, depth + 1) == 0);
    use_label(c, next);
    EMIT_JUMP(c, JUMP, start);
    use_label(c, end);
    return 0;
}

static int compile_comprehension(Compiler *c, pmast_node *e)
{
    static const char *const names[] = {
        [PMAST_ListComp] = "<listcomp>", [PMAST_SetComp] = "<setcomp>",
        [PMAST_DictComp] = "<dictcomp>", [PMAST_GeneratorExp] = "<genexpr>"
    };
    const char *name = names[e->kind];
    pmast_seq gens = e->kind == PMAST_DictComp ? e->v.DictComp.generators : e->v.ListComp.generators;
    PmScope *scope = pmsym_scope_for(&c->st, e);
    PmObject *qualname = make_qualname(c, name);
    CHECK(qualname != NULL);
    if (enter_unit(c, scope, name, e->lineno, qualname) < 0) return -1;
    Unit *u = c->u;
    u->flags |= PM_CO_OPTIMIZED | PM_CO_NEWLOCALS;
    if (scope->parent && scope->parent->kind == PM_BLOCK_FUNCTION) u->flags |= PM_CO_NESTED;
    u->argcount = 1;
    int r = 0;
    set_pos(c, e);
    if (e->kind == PMAST_GeneratorExp) {
        u->flags |= PM_CO_GENERATOR;
        r = emit(c, OP_RETURN_GENERATOR, 0);
    } else {
        int build = e->kind == PMAST_ListComp ? OP_BUILD_LIST
                  : e->kind == PMAST_SetComp ? OP_BUILD_SET : OP_BUILD_MAP;
        r = emit(c, build, 0);
    }
    if (r == 0) r = compile_comp_generator(c, e, 0, e->kind == PMAST_GeneratorExp ? -1 : 0);
    if (r == 0 && e->kind == PMAST_GeneratorExp) r = emit_const(c, Pm_None(c->vm));
    if (r == 0) r = emit(c, OP_RETURN_VALUE, 0);
    PmObject *code = r == 0 ? assemble(c) : NULL;
    leave_unit(c);
    if (code == NULL) return -1;
    r = make_function(c, code, 0);
    Pm_DECREF(c->vm, code);
    CHECK(r == 0);
    VISIT(c, gens.items[0]->v.comprehension.iter);
    set_pos(c, e);
    EMIT(c, GET_ITER, 0);
    return emit(c, OP_CALL, 0);
}

/* ------------------------------------------------------------------ control flow */

static int push_fblock(Compiler *c, pmast_node *n, FBlockKind kind, int start, int exit,
                       pmast_node *node)
{
    Unit *u = c->u;
    if (u->nfblocks >= MAX_FBLOCKS) return syntax_error(c, n, "too many statically nested blocks");
    u->fblocks[u->nfblocks++] = (FBlock){kind, start, exit, node};
    return 0;
}

static void pop_fblock(Compiler *c)
{
    c->u->nfblocks--;
}

static int compile_handler_name_cleanup(Compiler *c, const char *name)
{
    CHECK(emit_const(c, Pm_None(c->vm)) == 0);
    CHECK(compile_name_op(c, name, CTX_STORE, false) == 0);
    return compile_name_op(c, name, CTX_DEL, false);
}

/* Undo the effect of one enclosing block before leaving it by return/break/continue
 * (CPython's compiler_unwind_fblock).  preserve_tos: a return value sits on top. */
static int unwind_fblock(Compiler *c, FBlock *b, bool preserve_tos)
{
    switch (b->kind) {
    case FB_WHILE:
        return 0;
    case FB_FOR:
        if (preserve_tos) EMIT(c, SWAP, 2);
        return emit(c, OP_POP_TOP, 0);
    case FB_TRY_EXCEPT:
        return emit(c, OP_POP_BLOCK, 0);
    case FB_FINALLY_TRY: {
        EMIT(c, POP_BLOCK, 0);
        /* run the finally body with the block popped (as CPython does); a break, continue
         * or return in it drops the return value being carried out (FB_POP_VALUE) */
        Unit *u = c->u;
        int idx = (int)(b - u->fblocks);
        int savedn = u->nfblocks;
        FBlock saved[MAX_FBLOCKS];   /* this block and those above it, which the finally
                                        body's own blocks overwrite */
        memcpy(saved, &u->fblocks[idx], (size_t)(savedn - idx) * sizeof(FBlock));
        u->nfblocks = idx;
        int r = preserve_tos ? push_fblock(c, saved[0].node, FB_POP_VALUE, -1, -1, NULL) : 0;
        if (r == 0) r = compile_body(c, saved[0].node->v.Try.finalbody);
        memcpy(&u->fblocks[idx], saved, (size_t)(savedn - idx) * sizeof(FBlock));
        u->nfblocks = savedn;
        return r;
    }
    case FB_POP_VALUE:
        if (preserve_tos) EMIT(c, SWAP, 2);
        return emit(c, OP_POP_TOP, 0);
    case FB_FINALLY_END:
        if (preserve_tos) EMIT(c, SWAP, 2);
        EMIT(c, POP_TOP, 0);   /* the exception */
        EMIT(c, POP_BLOCK, 0);
        if (preserve_tos) EMIT(c, SWAP, 2);
        return emit(c, OP_POP_EXCEPT, 0);
    case FB_EXCEPT_HANDLER:
        EMIT(c, POP_BLOCK, 0);
        if (preserve_tos) EMIT(c, SWAP, 2);
        return emit(c, OP_POP_EXCEPT, 0);
    case FB_HANDLER_CLEANUP:      /* `except E as name:` runs under two blocks */
        EMIT(c, POP_BLOCK, 0);
        if (preserve_tos) EMIT(c, SWAP, 2);
        EMIT(c, POP_BLOCK, 0);
        EMIT(c, POP_EXCEPT, 0);
        if (b->node && b->node->v.ExceptHandler.name)
            return compile_handler_name_cleanup(c, b->node->v.ExceptHandler.name);
        return 0;
    }
    return 0;
}

static int compile_return(Compiler *c, pmast_node *s)
{
    Unit *u = c->u;
    if (u->scope->kind != PM_BLOCK_FUNCTION) return syntax_error(c, s, "'return' outside function");
    if (s->v.Return.value) VISIT(c, s->v.Return.value);
    else CHECK(emit_const(c, Pm_None(c->vm)) == 0);
    set_pos(c, s);
    for (int i = u->nfblocks - 1; i >= 0; i--)
        CHECK(unwind_fblock(c, &u->fblocks[i], true) == 0);
    return emit(c, OP_RETURN_VALUE, 0);
}

static int compile_break_continue(Compiler *c, pmast_node *s, bool is_break)
{
    Unit *u = c->u;
    int i = u->nfblocks - 1;
    while (i >= 0 && u->fblocks[i].kind != FB_WHILE && u->fblocks[i].kind != FB_FOR) i--;
    set_pos(c, s);
    for (int j = u->nfblocks - 1; j > i; j--) CHECK(unwind_fblock(c, &u->fblocks[j], false) == 0);
    /* 3.11 unwinds every block (compiling the finally bodies, with their warnings) before
     * it finds there is no loop */
    if (i < 0)
        return syntax_error(c, s, is_break ? "'break' outside loop" : "'continue' not properly in loop");
    FBlock *loop = &u->fblocks[i];
    if (is_break) {
        CHECK(unwind_fblock(c, loop, false) == 0);
        return emit(c, OP_JUMP, loop->exit);
    }
    return emit(c, OP_JUMP, loop->start);
}

static int compile_if(Compiler *c, pmast_node *s)
{
    int end = new_label(c), next = new_label(c);
    CHECK(end >= 0 && next >= 0);
    VISIT(c, s->v.If.test);
    EMIT_JUMP(c, POP_JUMP_IF_FALSE, s->v.If.orelse.n ? next : end);
    CHECK(compile_body(c, s->v.If.body) == 0);
    if (s->v.If.orelse.n) {
        if (c->u->depth >= 0) EMIT_JUMP(c, JUMP, end);
        use_label(c, next);
        CHECK(compile_body(c, s->v.If.orelse) == 0);
    }
    use_label(c, end);
    return 0;
}

static int compile_while(Compiler *c, pmast_node *s)
{
    int loop = new_label(c), orelse = new_label(c), exit = new_label(c);
    CHECK(loop >= 0 && orelse >= 0 && exit >= 0);
    use_label(c, loop);
    CHECK(push_fblock(c, s, FB_WHILE, loop, exit, NULL) == 0);
    int w0 = nwarnings(c);
    VISIT(c, s->v.While.test);
    int w1 = nwarnings(c);
    EMIT_JUMP(c, POP_JUMP_IF_FALSE, orelse);
    CHECK(compile_body(c, s->v.While.body) == 0);
    repeat_warnings(c, w0, w1);     /* 3.11 compiles the test again here; PyMemLab jumps up */
    EMIT_JUMP(c, JUMP, loop);
    pop_fblock(c);
    use_label(c, orelse);
    CHECK(compile_body(c, s->v.While.orelse) == 0);
    use_label(c, exit);
    return 0;
}

static int compile_for(Compiler *c, pmast_node *s)
{
    int start = new_label(c), cleanup = new_label(c), exit = new_label(c);
    CHECK(start >= 0 && cleanup >= 0 && exit >= 0);
    pmast_node *iter = s->v.For.iter;
    if ((iter->kind == PMAST_List || iter->kind == PMAST_Set) && all_const(c, iter->v.List.elts) &&
        iter->v.List.elts.n) {
        PmObject *t = consts_tuple(c, iter->v.List.elts);
        if (t && iter->kind == PMAST_Set) {
            PmObject *fs = PmFrozenSet_New(c->vm, t);
            Pm_DECREF(c->vm, t);
            t = fs;
        }
        if (t && PmList_Append(c->vm, c->arena, t) < 0) PmErr_Clear(c->vm);
        CHECK(emit_const_steal(c, t) == 0);
    } else {
        VISIT(c, iter);
    }
    set_pos(c, s);                  /* 3.11 gives GET_ITER and FOR_ITER the whole statement */
    EMIT(c, GET_ITER, 0);
    use_label(c, start);
    CHECK(push_fblock(c, s, FB_FOR, start, exit, NULL) == 0);
    set_pos(c, s);
    EMIT_JUMP(c, FOR_ITER, cleanup);
    CHECK(compile_store(c, s->v.For.target) == 0);
    CHECK(compile_body(c, s->v.For.body) == 0);
    EMIT_JUMP(c, JUMP, start);
    pop_fblock(c);
    use_label(c, cleanup);
    CHECK(compile_body(c, s->v.For.orelse) == 0);
    use_label(c, exit);
    return 0;
}

/* try: body / except...: handlers / else: orelse   (CPython's compiler_try_except) */
static int compile_try_except(Compiler *c, pmast_node *s)
{
    int handlers = new_label(c), cleanup = new_label(c), end = new_label(c);
    CHECK(handlers >= 0 && cleanup >= 0 && end >= 0);
    EMIT_JUMP(c, SETUP_FINALLY, handlers);
    CHECK(push_fblock(c, s, FB_TRY_EXCEPT, -1, -1, NULL) == 0);
    CHECK(compile_body(c, s->v.Try.body) == 0);
    pop_fblock(c);
    if (c->u->depth >= 0) EMIT(c, POP_BLOCK, 0);
    else c->u->nblocks--;
    /* the else body comes before the handlers, as in 3.11 (so do its warnings and errors) */
    CHECK(compile_body(c, s->v.Try.orelse) == 0);
    if (c->u->depth >= 0) EMIT_JUMP(c, JUMP, end);
    use_label(c, handlers);
    /* stack: exc */
    EMIT(c, PUSH_EXC_INFO, 0);
    /* stack: prev_exc, exc */
    EMIT_JUMP(c, SETUP_CLEANUP, cleanup);
    pmast_seq hs = s->v.Try.handlers;
    for (int i = 0; i < hs.n; i++) {
        pmast_node *h = hs.items[i];
        set_pos(c, h);
        if (h->v.ExceptHandler.type == NULL && i < hs.n - 1)
            return syntax_error(c, h, "default 'except:' must be last");
        int next = new_label(c);
        CHECK(next >= 0);
        if (h->v.ExceptHandler.type) {
            VISIT(c, h->v.ExceptHandler.type);
            EMIT(c, CHECK_EXC_MATCH, 0);
            EMIT_JUMP(c, POP_JUMP_IF_FALSE, next);
        }
        const char *name = h->v.ExceptHandler.name;
        if (name) {
            int cleanup_body = new_label(c);
            CHECK(cleanup_body >= 0);
            CHECK(compile_name_op(c, name, CTX_STORE, false) == 0);
            /* stack: prev_exc */
            EMIT_JUMP(c, SETUP_CLEANUP, cleanup_body);
            CHECK(push_fblock(c, h, FB_HANDLER_CLEANUP, -1, -1, h) == 0);
            CHECK(compile_body(c, h->v.ExceptHandler.body) == 0);
            pop_fblock(c);
            if (c->u->depth >= 0) {
                EMIT(c, POP_BLOCK, 0);
                EMIT(c, POP_BLOCK, 0);
                EMIT(c, POP_EXCEPT, 0);
                CHECK(compile_handler_name_cleanup(c, name) == 0);
                EMIT_JUMP(c, JUMP, end);
            } else {
                c->u->nblocks -= 2;
            }
            /* an exception inside the handler body: clear the name, re-raise */
            use_label(c, cleanup_body);
            c->u->nblocks++;
            CHECK(compile_handler_name_cleanup(c, name) == 0);
            EMIT(c, RERAISE, 0);
            c->u->nblocks--;
        } else {
            EMIT(c, POP_TOP, 0);
            /* stack: prev_exc */
            CHECK(push_fblock(c, h, FB_EXCEPT_HANDLER, -1, -1, NULL) == 0);
            CHECK(compile_body(c, h->v.ExceptHandler.body) == 0);
            pop_fblock(c);
            if (c->u->depth >= 0) {
                EMIT(c, POP_BLOCK, 0);
                EMIT(c, POP_EXCEPT, 0);
                EMIT_JUMP(c, JUMP, end);
            } else {
                c->u->nblocks--;
            }
        }
        use_label(c, next);
        if (c->u->depth < 0) c->u->depth = 2;
    }
    /* no handler matched: stack prev_exc, exc */
    c->u->nblocks++;
    EMIT(c, RERAISE, 0);
    c->u->nblocks--;
    /* an exception while handling: stack prev_exc, new_exc */
    use_label(c, cleanup);
    EMIT(c, SWAP, 2);
    EMIT(c, POP_EXCEPT, 0);
    EMIT(c, RERAISE, 0);
    use_label(c, end);
    return 0;
}

static int compile_try_body_or_except(Compiler *c, pmast_node *s)
{
    if (s->v.Try.handlers.n) return compile_try_except(c, s);
    CHECK(compile_body(c, s->v.Try.body) == 0);
    return compile_body(c, s->v.Try.orelse);
}

/* try: ... finally: finalbody   (CPython's compiler_try_finally) */
static int compile_try_finally(Compiler *c, pmast_node *s)
{
    int handler = new_label(c), cleanup = new_label(c), end = new_label(c);
    CHECK(handler >= 0 && cleanup >= 0 && end >= 0);
    EMIT_JUMP(c, SETUP_FINALLY, handler);
    CHECK(push_fblock(c, s, FB_FINALLY_TRY, -1, -1, s) == 0);
    CHECK(compile_try_body_or_except(c, s) == 0);
    pop_fblock(c);
    bool normal_path = c->u->depth >= 0;
    if (normal_path) {
        EMIT(c, POP_BLOCK, 0);
        CHECK(compile_body(c, s->v.Try.finalbody) == 0);
        if (c->u->depth >= 0) EMIT_JUMP(c, JUMP, end);
    } else {
        c->u->nblocks--;
    }
    use_label(c, handler);
    /* stack: exc */
    EMIT(c, PUSH_EXC_INFO, 0);
    EMIT_JUMP(c, SETUP_CLEANUP, cleanup);
    CHECK(push_fblock(c, s, FB_FINALLY_END, -1, -1, NULL) == 0);
    int w0 = nwarnings(c);
    CHECK(compile_body(c, s->v.Try.finalbody) == 0);
    /* the body never ends normally, but 3.11 compiles the finally body for that path too
     * (just before this copy, with the same warnings) */
    if (!normal_path) repeat_warnings(c, w0, nwarnings(c));
    pop_fblock(c);
    if (c->u->depth >= 0) {
        EMIT(c, POP_BLOCK, 0);
        EMIT(c, RERAISE, 0);
    } else {
        c->u->nblocks--;
    }
    use_label(c, cleanup);
    EMIT(c, SWAP, 2);
    EMIT(c, POP_EXCEPT, 0);
    EMIT(c, RERAISE, 0);
    use_label(c, end);
    return 0;
}

static int compile_raise(Compiler *c, pmast_node *s)
{
    int n = 0;
    if (s->v.Raise.exc) {
        VISIT(c, s->v.Raise.exc);
        n = 1;
        if (s->v.Raise.cause) {
            VISIT(c, s->v.Raise.cause);
            n = 2;
        }
    }
    set_pos(c, s);
    return emit(c, OP_RAISE_VARARGS, n);
}

static int compile_assert(Compiler *c, pmast_node *s)
{
    check_assert(c, s);
    int end = new_label(c);
    CHECK(end >= 0);
    VISIT(c, s->v.Assert.test);
    EMIT_JUMP(c, POP_JUMP_IF_TRUE, end);
    /* 3.11 raises at the test's span when the test is a comparison, else the statement's */
    pmast_node *at = s->v.Assert.test->kind == PMAST_Compare ? s->v.Assert.test : s;
    set_pos(c, at);
    EMIT(c, LOAD_ASSERTION_ERROR, 0);
    if (s->v.Assert.msg) {
        VISIT(c, s->v.Assert.msg);
        set_pos(c, at);
        EMIT(c, CALL, 0);
    }
    EMIT(c, RAISE_VARARGS, 1);
    use_label(c, end);
    return 0;
}

static int compile_augassign(Compiler *c, pmast_node *s)
{
    pmast_node *t = s->v.AugAssign.target;
    int op = binop_number[s->v.AugAssign.op] + PM_BINOP_INPLACE;
    switch (t->kind) {
    case PMAST_Name:
        set_pos(c, t);
        CHECK(compile_name_op(c, t->v.Name.id, CTX_LOAD, false) == 0);
        VISIT(c, s->v.AugAssign.value);
        set_pos(c, s);
        EMIT(c, BINARY_OP, op);
        set_pos(c, t);
        return compile_name_op(c, t->v.Name.id, CTX_STORE, false);
    case PMAST_Attribute: {
        VISIT(c, t->v.Attribute.value);
        int i = add_name(c, t->v.Attribute.attr);
        CHECK(i >= 0);
        EMIT(c, COPY, 1);
        set_pos(c, t);
        EMIT(c, LOAD_ATTR, i);
        VISIT(c, s->v.AugAssign.value);
        set_pos(c, s);
        EMIT(c, BINARY_OP, op);
        EMIT(c, SWAP, 2);
        set_pos(c, t);
        return emit(c, OP_STORE_ATTR, i);
    }
    case PMAST_Subscript:
        VISIT(c, t->v.Subscript.value);
        CHECK(compile_subscript_index(c, t->v.Subscript.slice) == 0);
        EMIT(c, COPY, 2);
        EMIT(c, COPY, 2);
        set_pos(c, t);
        EMIT(c, BINARY_SUBSCR, 0);
        VISIT(c, s->v.AugAssign.value);
        set_pos(c, s);
        EMIT(c, BINARY_OP, op);
        EMIT(c, SWAP, 3);
        EMIT(c, SWAP, 2);
        set_pos(c, t);
        return emit(c, OP_STORE_SUBSCR, 0);
    default:
        return syntax_error(c, t, "'expression' is an illegal expression for augmented assignment");
    }
}

static int compile_import(Compiler *c, pmast_node *s)
{
    for (int i = 0; i < s->v.Import.names.n; i++) {
        pmast_node *a = s->v.Import.names.items[i];
        set_pos(c, a);
        PmObject *zero = PmLong_FromLongLong(c->vm, 0);
        CHECK(emit_const_steal(c, zero) == 0);
        CHECK(emit_const(c, Pm_None(c->vm)) == 0);
        int ni = add_name(c, a->v.alias.name);
        CHECK(ni >= 0);
        EMIT(c, IMPORT_NAME, ni);
        const char *store = a->v.alias.asname ? a->v.alias.asname : a->v.alias.name;
        if (!a->v.alias.asname && strchr(store, '.'))
            return syntax_error(c, a, "dotted imports are not supported in PyMemLab");
        CHECK(compile_name_op(c, store, CTX_STORE, false) == 0);
    }
    return 0;
}

static int compile_importfrom(Compiler *c, pmast_node *s)
{
    PmVM *vm = c->vm;
    pmast_seq names = s->v.ImportFrom.names;
    if (s->v.ImportFrom.level > 0 || s->v.ImportFrom.module == NULL)
        return syntax_error(c, s, "relative imports are not supported in PyMemLab");
    PmObject *level = PmLong_FromLongLong(vm, 0);
    CHECK(emit_const_steal(c, level) == 0);
    PmObject *fromlist = PmTuple_New(vm, names.n);
    CHECK(fromlist != NULL);
    for (int i = 0; i < names.n; i++) {
        const char *n = names.items[i]->v.alias.name;
        if (strcmp(n, "*") == 0) {
            Pm_DECREF(vm, fromlist);
            return syntax_error(c, s, "'from ... import *' is not supported in PyMemLab");
        }
        PmObject *str = intern_cstr(c, n);
        if (str == NULL) { Pm_DECREF(vm, fromlist); return -1; }
        PmTuple_SET_ITEM(fromlist, i, str);
    }
    CHECK(emit_const_steal(c, fromlist) == 0);
    int mi = add_name(c, s->v.ImportFrom.module);
    CHECK(mi >= 0);
    EMIT(c, IMPORT_NAME, mi);
    for (int i = 0; i < names.n; i++) {
        pmast_node *a = names.items[i];
        set_pos(c, a);
        int ni = add_name(c, a->v.alias.name);
        CHECK(ni >= 0);
        EMIT(c, IMPORT_FROM, ni);
        CHECK(compile_name_op(c, a->v.alias.asname ? a->v.alias.asname : a->v.alias.name,
                              CTX_STORE, false) == 0);
    }
    return emit(c, OP_POP_TOP, 0);
}

static int compile_stmt_inner(Compiler *c, pmast_node *s)
{
    switch (s->kind) {
    case PMAST_Expr: {
        pmast_node *v = s->v.Expr.value;
        if (v->kind == PMAST_Constant) return emit(c, OP_NOP, 0);
        VISIT(c, v);
        set_pos(c, s);
        return emit(c, OP_POP_TOP, 0);
    }
    case PMAST_Assign: {
        pmast_seq ts = s->v.Assign.targets;
        VISIT(c, s->v.Assign.value);
        for (int i = 0; i < ts.n; i++) {
            if (i < ts.n - 1) EMIT(c, COPY, 1);
            CHECK(compile_store(c, ts.items[i]) == 0);
        }
        return 0;
    }
    case PMAST_AugAssign: return compile_augassign(c, s);
    case PMAST_AnnAssign:
        if (s->v.AnnAssign.value) {
            VISIT(c, s->v.AnnAssign.value);
            CHECK(compile_store(c, s->v.AnnAssign.target) == 0);
        }
        warn_annassign(c, s);
        return 0;
    case PMAST_Delete:
        for (int i = 0; i < s->v.Delete.targets.n; i++)
            CHECK(compile_delete_target(c, s->v.Delete.targets.items[i]) == 0);
        return 0;
    case PMAST_If: return compile_if(c, s);
    case PMAST_While: return compile_while(c, s);
    case PMAST_For: return compile_for(c, s);
    case PMAST_Break: return compile_break_continue(c, s, true);
    case PMAST_Continue: return compile_break_continue(c, s, false);
    case PMAST_Return: return compile_return(c, s);
    case PMAST_Pass: return emit(c, OP_NOP, 0);
    case PMAST_Raise: return compile_raise(c, s);
    case PMAST_Try:
        if (s->v.Try.finalbody.n) return compile_try_finally(c, s);
        return compile_try_except(c, s);
    case PMAST_Assert: return compile_assert(c, s);
    case PMAST_FunctionDef: return compile_funcdef(c, s);
    case PMAST_ClassDef: return compile_classdef(c, s);
    case PMAST_Import: return compile_import(c, s);
    case PMAST_ImportFrom: return compile_importfrom(c, s);
    case PMAST_Global: case PMAST_Nonlocal: return emit(c, OP_NOP, 0);
    case PMAST_With: case PMAST_AsyncWith:
        return syntax_error(c, s, "'with' is not supported in PyMemLab");
    default:
        return syntax_error(c, s, "this statement is not supported in PyMemLab");
    }
}

static int compile_stmt(Compiler *c, pmast_node *s)
{
    if (c->failed) return -1;
    set_pos(c, s);
    return compile_stmt_inner(c, s);
}

static int compile_body(Compiler *c, pmast_seq body)
{
    for (int i = 0; i < body.n; i++) {
        if (c->u->depth < 0) c->u->depth = 0;   /* code after return/raise: keep compiling */
        CHECK(compile_stmt(c, body.items[i]) == 0);
    }
    return 0;
}

/* ------------------------------------------------------------------ entry */

PmObject *pm_compile_module(PmVM *vm, pmast_node *module, const char *filename,
                            pmparse_error *err, PmObject **arena)
{
    return pm_compile_module_warn(vm, module, filename, err, arena, NULL);
}

PmObject *pm_compile_module_warn(PmVM *vm, pmast_node *module, const char *filename,
                                 pmparse_error *err, PmObject **arena, pmparse_result *warnings)
{
    Compiler c = {0};
    c.vm = vm;
    c.err = err;
    c.warnings = warnings;
    err->type = NULL;
    if (pmsym_build(&c.st, module) < 0) {
        *err = c.st.error;
        pmsym_free(&c.st);
        return NULL;
    }
    PmObject *code = NULL;
    c.filename = PmStr_FromString(vm, filename);
    c.const_cache = PmDict_New(vm);
    c.arena = PmList_New(vm, 0);
    c.memo = PmDict_New(vm);
    if (c.filename == NULL || c.const_cache == NULL || !c.arena || !c.memo) goto done;
    if (enter_unit(&c, c.st.top, "<module>", 1, NULL) < 0) goto done;
    pmast_seq body = module->v.Module.body;
    int r = 0;
    pmast_node *doc = docstring_of(body);
    if (doc) {
        set_pos(&c, doc);
        PmObject *d = constant_value(&c, doc);
        r = emit_const_steal(&c, d);
        if (r == 0) r = compile_name_op(&c, "__doc__", CTX_STORE, false);
    }
    if (r == 0) r = compile_body(&c, body);
    if (r == 0) {
        c.u->cur.col = c.u->cur.end_col = -1;
        r = emit_const(&c, Pm_None(vm));
        if (r == 0) r = emit(&c, OP_RETURN_VALUE, 0);
    }
    if (r == 0 && !c.failed) code = assemble(&c);
    leave_unit(&c);
done:
    if (c.failed && !PmErr_Occurred(vm) && err->type == NULL) err->type = "SyntaxError";
    if (!c.failed) err->type = NULL;
    Pm_XDECREF(vm, c.filename);
    Pm_XDECREF(vm, c.const_cache);
    Pm_XDECREF(vm, c.memo);
    if (code && arena) *arena = c.arena;
    else Pm_XDECREF(vm, c.arena);
    pmsym_free(&c.st);
    if (c.failed) Pm_CLEAR(vm, code);
    return code;
}
