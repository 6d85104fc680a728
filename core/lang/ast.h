/*
 * ast.h -- the abstract syntax tree of PyMemLab's Python, modelled on CPython 3.11's `ast`.
 *
 * Node kinds and field names are CPython's (Parser/Python.asdl of 3.11), so the compiler can
 * be read side by side with CPython's compile.c and `pmast_dump` prints exactly what
 * `ast.dump(ast.parse(src))` prints.
 *
 * Shape
 *   Every node is one `pmast_node`: a kind, an expression context, four positions and a union
 *   `v` with one struct per kind, named like the kind (`n->v.FunctionDef.body`).  A field that
 *   is optional in the ASDL (`expr?`, `identifier?`) is NULL when absent.
 *
 * Sequences
 *   `pmast_seq` is (n, items): `n` node pointers.  Items are never NULL except in the two
 *   places CPython allows None inside a list: `Dict.keys` (NULL for a `**mapping` entry) and
 *   `arguments.kw_defaults` (NULL for a keyword-only parameter without default).
 *   `pmast_names` is (n, items) of NUL-terminated identifiers (Global, Nonlocal).
 *   `Compare.ops` is a byte array with `Compare.comparators.n` entries (pmast_cmpop).
 *
 * Positions
 *   lineno/end_lineno are 1-based lines; col_offset/end_col_offset are 0-based UTF-8 byte
 *   offsets into the line; all exactly as CPython 3.11 sets them (end is exclusive).  The kinds
 *   CPython gives no positions (Module, arguments, comprehension, withitem) have zeros.
 *
 * Strings
 *   Identifiers are NUL-terminated UTF-8 (not NFKC-normalised: PyMemLab keeps non-ASCII names
 *   as written).  Constant strings are (s, len) and may contain NUL bytes; see pmast_constant.
 *
 * Ownership
 *   Every node, sequence and string lives in the arena of the pmparse_result that produced it
 *   (parser.h) and dies with pmparse_release().  Nodes are never shared between two parents.
 *   A node is allocated with only the bytes its kind needs (header + its member of `v`):
 *   read and write fields through the pointer, never copy a whole pmast_node by value.
 *
 * Depth
 *   "Depth" counts stmt and expr nodes on a path from the root (helper kinds such as
 *   arguments, keyword, comprehension, ExceptHandler do not count), which is exactly what
 *   CPython 3.11's symtable counts against 3 * sys.getrecursionlimit().  The parser reports the
 *   tree's maximum depth and refuses trees deeper than its limit (parser.h).
 */
#ifndef PMAST_H
#define PMAST_H

#include <stddef.h>
#include <stdint.h>

typedef struct pmast_node pmast_node;

typedef struct pmast_seq {
    int n;
    pmast_node **items;
} pmast_seq;

typedef struct pmast_names {
    int n;
    const char **items;
} pmast_names;

/* The order inside each group is CPython's (Python.asdl); the groups are contiguous so
 * pmast_is_stmt/pmast_is_expr are range checks. */
typedef enum pmast_kind {
    PMAST_Module = 1,
    /* stmt */
    PMAST_FunctionDef, PMAST_AsyncFunctionDef, PMAST_ClassDef, PMAST_Return, PMAST_Delete,
    PMAST_Assign, PMAST_AugAssign, PMAST_AnnAssign, PMAST_For, PMAST_AsyncFor, PMAST_While,
    PMAST_If, PMAST_With, PMAST_AsyncWith, PMAST_Raise, PMAST_Try, PMAST_Assert,
    PMAST_Import, PMAST_ImportFrom, PMAST_Global, PMAST_Nonlocal, PMAST_Expr, PMAST_Pass,
    PMAST_Break, PMAST_Continue,
    /* expr */
    PMAST_BoolOp, PMAST_NamedExpr, PMAST_BinOp, PMAST_UnaryOp, PMAST_Lambda, PMAST_IfExp,
    PMAST_Dict, PMAST_Set, PMAST_ListComp, PMAST_SetComp, PMAST_DictComp, PMAST_GeneratorExp,
    PMAST_Await, PMAST_Yield, PMAST_YieldFrom, PMAST_Compare, PMAST_Call,
    PMAST_FormattedValue, PMAST_JoinedStr, PMAST_Constant, PMAST_Attribute, PMAST_Subscript,
    PMAST_Starred, PMAST_Name, PMAST_List, PMAST_Tuple, PMAST_Slice,
    /* helpers */
    PMAST_comprehension, PMAST_ExceptHandler, PMAST_arguments, PMAST_arg, PMAST_keyword,
    PMAST_alias, PMAST_withitem,
    PMAST_KIND_COUNT
} pmast_kind;

#define pmast_is_stmt(k) ((k) >= PMAST_FunctionDef && (k) <= PMAST_Continue)
#define pmast_is_expr(k) ((k) >= PMAST_BoolOp && (k) <= PMAST_Slice)

/* Kinds outside PyMemLab's subset that the parser still builds (see parser.h, flag
 * PMPARSE_ALLOW_UNSUPPORTED): AsyncFunctionDef, AsyncFor, With, AsyncWith, NamedExpr, Await,
 * YieldFrom, Constant of kind BYTES or IMAG, ImportFrom of `*`, and comprehensions with
 * is_async.  `match` and `except*` are always rejected. */

typedef enum pmast_ctx { PMAST_LOAD = 1, PMAST_STORE, PMAST_DEL } pmast_ctx;

typedef enum pmast_boolop { PMAST_And = 1, PMAST_Or } pmast_boolop;

typedef enum pmast_operator {
    PMAST_Add = 1, PMAST_Sub, PMAST_Mult, PMAST_MatMult, PMAST_Div, PMAST_Mod, PMAST_Pow,
    PMAST_LShift, PMAST_RShift, PMAST_BitOr, PMAST_BitXor, PMAST_BitAnd, PMAST_FloorDiv
} pmast_operator;

typedef enum pmast_unaryop { PMAST_Invert = 1, PMAST_Not, PMAST_UAdd, PMAST_USub } pmast_unaryop;

typedef enum pmast_cmpop {
    PMAST_Eq = 1, PMAST_NotEq, PMAST_Lt, PMAST_LtE, PMAST_Gt, PMAST_GtE, PMAST_Is, PMAST_IsNot,
    PMAST_In, PMAST_NotIn
} pmast_cmpop;

/* Constant values.
 *   NONE, TRUE, FALSE, ELLIPSIS  no payload.
 *   INT    s/len: the digits only, ASCII, lower case, no prefix, no underscores, no sign
 *          ("0" for 0, "ff" for 0xFF); base is 2, 8, 10 or 16.  Decimal literals longer than
 *          4300 digits are rejected like CPython's int_max_str_digits.
 *   FLOAT  d: the value (parsed locale-independently, correctly rounded, inf for overflow).
 *   IMAG   d: the imaginary part of an imaginary literal (1.5j).  Unsupported.
 *   STR    s/len: the decoded value as UTF-8 (NUL-terminated for convenience, but may hold
 *          NUL bytes).  A lone surrogate (from "\ud800") is encoded as the 3-byte generalised
 *          UTF-8 sequence ED A0 80.  nonascii: some code point >= 128; maxchar: the largest
 *          code point (0 for ""), which fixes CPython's str kind (latin-1/UCS-2/UCS-4).
 *          u_prefix: the (first) literal had a u prefix -- ast.dump shows kind='u'.
 *   BYTES  s/len: the raw bytes.  Unsupported. */
typedef enum pmast_constkind {
    PMAST_C_NONE = 1, PMAST_C_TRUE, PMAST_C_FALSE, PMAST_C_ELLIPSIS, PMAST_C_INT,
    PMAST_C_FLOAT, PMAST_C_IMAG, PMAST_C_STR, PMAST_C_BYTES
} pmast_constkind;

typedef struct pmast_constant {
    uint8_t ckind;        /* pmast_constkind */
    uint8_t base;         /* INT */
    uint8_t nonascii;     /* STR */
    uint8_t u_prefix;     /* STR */
    uint32_t maxchar;     /* STR */
    const char *s;        /* INT, STR, BYTES */
    size_t len;           /* INT, STR, BYTES */
    double d;             /* FLOAT, IMAG */
} pmast_constant;

struct pmast_node {
    uint8_t kind;         /* pmast_kind */
    uint8_t ctx;          /* pmast_ctx: Name, Attribute, Subscript, Starred, List, Tuple */
    uint8_t paren;        /* expr written inside its own parentheses, as in "(a)" or "(1, 2)"
                             (the parser's diagnostics use it; not part of CPython's AST) */
    int32_t lineno, col_offset, end_lineno, end_col_offset;
    union {
        struct { pmast_seq body; } Module;

        /* ---- statements ---- */
        /* FunctionDef and AsyncFunctionDef.  args is an `arguments` node; returns may be
         * NULL (annotations are parsed, PyMemLab may ignore them). */
        struct { const char *name; pmast_node *args; pmast_seq body, decorator_list;
                 pmast_node *returns; } FunctionDef, AsyncFunctionDef;
        struct { const char *name; pmast_seq bases, keywords, body, decorator_list; } ClassDef;
        struct { pmast_node *value; } Return;                   /* value may be NULL */
        struct { pmast_seq targets; } Delete;
        struct { pmast_seq targets; pmast_node *value; } Assign;  /* a = b = v: 2 targets */
        struct { pmast_node *target; uint8_t op; pmast_node *value; } AugAssign;
        /* simple: 1 when the target is a plain Name not in parentheses. value may be NULL. */
        struct { pmast_node *target, *annotation, *value; int simple; } AnnAssign;
        struct { pmast_node *target, *iter; pmast_seq body, orelse; } For, AsyncFor;
        struct { pmast_node *test; pmast_seq body, orelse; } While;
        /* elif is an If alone in the orelse of the previous If, as in CPython. */
        struct { pmast_node *test; pmast_seq body, orelse; } If;
        struct { pmast_seq items; pmast_seq body; } With, AsyncWith;   /* items: withitems */
        struct { pmast_node *exc, *cause; } Raise;              /* both may be NULL */
        struct { pmast_seq body, handlers, orelse, finalbody; } Try;  /* ExceptHandlers */
        struct { pmast_node *test, *msg; } Assert;              /* msg may be NULL */
        struct { pmast_seq names; } Import;                     /* alias nodes */
        /* module may be NULL (from . import x); level = number of leading dots. */
        struct { const char *module; pmast_seq names; int level; } ImportFrom;
        struct { pmast_names names; } Global, Nonlocal;
        struct { pmast_node *value; } Expr;

        /* ---- expressions ---- */
        struct { uint8_t op; pmast_seq values; } BoolOp;        /* values.n >= 2 */
        struct { pmast_node *target, *value; } NamedExpr;
        struct { pmast_node *left; uint8_t op; pmast_node *right; } BinOp;
        struct { uint8_t op; pmast_node *operand; } UnaryOp;
        struct { pmast_node *args; pmast_node *body; } Lambda;  /* args: arguments node */
        struct { pmast_node *test, *body, *orelse; } IfExp;
        struct { pmast_seq keys, values; } Dict;                /* keys[i] NULL: **values[i] */
        struct { pmast_seq elts; } Set;
        /* generators: comprehension nodes */
        struct { pmast_node *elt; pmast_seq generators; } ListComp, SetComp, GeneratorExp;
        struct { pmast_node *key, *value; pmast_seq generators; } DictComp;
        struct { pmast_node *value; } Await, Yield, YieldFrom;  /* Yield.value may be NULL */
        struct { pmast_node *left; uint8_t *ops; pmast_seq comparators; } Compare;
        struct { pmast_node *func; pmast_seq args, keywords; } Call;
        /* conversion: -1 none, or 's', 'r', 'a'.  format_spec: NULL or a JoinedStr. */
        struct { pmast_node *value; int conversion; pmast_node *format_spec; } FormattedValue;
        struct { pmast_seq values; } JoinedStr;   /* Constant(STR) and FormattedValue nodes */
        pmast_constant Constant;
        struct { pmast_node *value; const char *attr; } Attribute;
        struct { pmast_node *value, *slice; } Subscript;       /* slice: any expr/Slice/Tuple */
        struct { pmast_node *value; } Starred;
        struct { const char *id; } Name;
        struct { pmast_seq elts; } List, Tuple;
        struct { pmast_node *lower, *upper, *step; } Slice;     /* each may be NULL */

        /* ---- helpers ---- */
        struct { pmast_node *target, *iter; pmast_seq ifs; int is_async; } comprehension;
        /* type and name may be NULL (bare except / no `as`). */
        struct { pmast_node *type; const char *name; pmast_seq body; } ExceptHandler;
        /* Parameter lists.  defaults belong to the LAST len(defaults) of posonlyargs+args;
         * kw_defaults has one entry per kwonlyarg (NULL: no default); vararg/kwarg: arg
         * nodes or NULL. */
        struct { pmast_seq posonlyargs, args; pmast_node *vararg; pmast_seq kwonlyargs,
                 kw_defaults; pmast_node *kwarg; pmast_seq defaults; } arguments;
        struct { const char *arg; pmast_node *annotation; } arg;  /* annotation may be NULL */
        struct { const char *arg; pmast_node *value; } keyword;  /* arg NULL: **value */
        struct { const char *name, *asname; } alias;              /* asname may be NULL */
        struct { pmast_node *context_expr, *optional_vars; } withitem;
    } v;
};

/* The CPython class name of a kind ("FunctionDef"), or "?" */
const char *pmast_kind_name(int kind);

/* Call fn(ctx, child) for every non-NULL direct child node of n (fields in ASDL order,
 * except that decorators come first).  Sequences may be long: iterate, don't recurse, when
 * the tree may be deep. */
typedef void (*pmast_visit_fn)(void *ctx, pmast_node *child);
void pmast_foreach_child(pmast_node *n, pmast_visit_fn fn, void *ctx);

/* ---- a growable text buffer (dump, error formatting) ---- */

/* data is NUL-terminated while len > 0; oom is set (and the text truncated) when an
 * allocation failed.  Zero-initialise; free with pmast_buf_free. */
typedef struct pmast_buf {
    char *data;
    size_t len, cap;
    int oom;
} pmast_buf;

void pmast_buf_put(pmast_buf *b, const char *s, size_t n);
void pmast_buf_puts(pmast_buf *b, const char *s);
void pmast_buf_free(pmast_buf *b);

/* ast.dump(tree) of CPython 3.11 (annotate_fields=True, no indent), appended to out;
 * with_positions adds lineno/col_offset/end_lineno/end_col_offset like
 * include_attributes=True.  Returns 0, or -1 when out ran out of memory. */
int pmast_dump(pmast_buf *out, const pmast_node *node, int with_positions);

#endif /* PMAST_H */
