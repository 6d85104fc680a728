/*
 * traceback.c -- printing exceptions the way CPython 3.11 does (Python/traceback.c,
 * Python/pythonrun.c's print_exception, Python/suggestions.c, and the default
 * sys.unraisablehook).
 *
 * What `python3 t.py` prints for an uncaught exception, piece by piece:
 *
 *     Traceback (most recent call last):            <- one block per exception of the chain,
 *       File "t.py", line 4, in <module>               oldest first, joined by "The above
 *         print(z[0] + z[1] * 2 // 0)                  exception was the direct cause..." or
 *                      ~~~~~~~~~^^~~                   "During handling of the above..."
 *     TypeError: unsupported operand type(s) ...  <- print_message + suggestions + notes
 *
 * Source lines come from the program text kept by pm_traceback_set_source (CPython reads the
 * file again).  The caret line follows tb_displayline: the instruction's span from
 * co_positions, '~' and '^' split by the anchors of a binary operator or a subscript (found
 * by parsing the span alone, as extract_anchors_from_line does), and nothing at all when the
 * span is the whole line.  Everything is formatted into one buffer and written with one
 * pm_write call per report.
 */
#include "pm.h"
#include "lang/parser.h"

enum {
    TB_RECURSIVE_CUTOFF = 3,   /* identical entries shown before "[Previous line repeated" */
    TB_LIMIT = 1000,           /* PyTraceBack_LIMIT: only the newest 1000 entries */
    SOURCE_INDENT = 4,
    MAX_CHAIN = 1000,          /* exceptions followed along __cause__/__context__ */
    MAX_CANDIDATE_ITEMS = 750,
    MAX_STRING_SIZE = 40,
    MOVE_COST = 2,
    CASE_COST = 1
};

typedef pmast_buf Out;

static void put(Out *o, const char *s, size_t n) { pmast_buf_put(o, s, n); }
static void puts_(Out *o, const char *s) { pmast_buf_puts(o, s); }

/* Write a str object raw (UTF-8). */
static void put_str(PmVM *vm, Out *o, PmObject *s)
{
    Pm_ssize_t n;
    const char *p = PmStr_AsUTF8(vm, s, &n);
    if (p == NULL) { PmErr_Clear(vm); return; }
    put(o, p, (size_t)n);
}

static void put_int(Out *o, long long v)
{
    char b[32];
    snprintf(b, sizeof b, "%lld", v);
    puts_(o, b);
}

static void flush_out(PmVM *vm, Out *o)
{
    if (o->len) pm_write(vm, PML_STDERR, o->data, o->len);
    pmast_buf_free(o);
}

/* str(obj) written raw, or `fallback` when str() fails. */
static void put_object_str(PmVM *vm, Out *o, PmObject *obj, const char *fallback)
{
    PmObject *s = PmObject_Str(vm, obj);
    if (s == NULL) {
        PmErr_Clear(vm);
        puts_(o, fallback);
        return;
    }
    put_str(vm, o, s);
    Pm_DECREF(vm, s);
}

/* ------------------------------------------------------------------ program source */

void pm_traceback_set_source(PmVM *vm, const char *filename, const char *src, size_t len)
{
    pm_traceback_free_source(vm);
    vm->src_text = malloc(len + 1);
    vm->src_filename = malloc(strlen(filename) + 1);
    if (vm->src_text == NULL || vm->src_filename == NULL) {
        pm_traceback_free_source(vm);
        return;
    }
    memcpy(vm->src_text, src, len);
    vm->src_text[len] = '\0';
    vm->src_len = len;
    strcpy(vm->src_filename, filename);
}

void pm_traceback_free_source(PmVM *vm)
{
    free(vm->src_text);
    free(vm->src_filename);
    vm->src_text = vm->src_filename = NULL;
    vm->src_len = 0;
}

/* Line `lineno` (1-based) of the file, without its line end, read with universal newlines
 * as CPython's TextIOWrapper does.  False when the file is not the program's source, is a
 * pseudo-file like "<string>", or has fewer lines. */
static bool source_line(PmVM *vm, PmObject *filename, int lineno, const char **line,
                        size_t *len)
{
    if (vm->src_text == NULL || filename == NULL || !PmStr_Check(filename) || lineno < 1)
        return false;
    Pm_ssize_t fn;
    const char *f = PmStr_AsUTF8(vm, filename, &fn);
    if (f == NULL) { PmErr_Clear(vm); return false; }
    if (fn > 0 && f[0] == '<' && f[fn - 1] == '>') return false;
    if (strlen(vm->src_filename) != (size_t)fn || memcmp(f, vm->src_filename, (size_t)fn) != 0)
        return false;
    const char *p = vm->src_text, *end = p + vm->src_len;
    for (int i = 1; p < end; i++) {
        const char *q = p;
        while (q < end && *q != '\n' && *q != '\r') q++;
        if (i == lineno) {
            *line = p;
            *len = (size_t)(q - p);
            return true;
        }
        if (q < end && *q == '\r' && q + 1 < end && q[1] == '\n') q++;
        p = q + 1;
    }
    return false;
}

/* ------------------------------------------------------------------ columns */

/* Code points in the first `bytes` bytes of UTF-8 text s[0..n) (CPython's
 * _PyPegen_byte_offset_to_character_offset, which counts the terminating NUL when asked
 * for one byte past the end). */
static Pm_ssize_t byte_to_char(const char *s, size_t n, Pm_ssize_t bytes)
{
    if (bytes > (Pm_ssize_t)n + 1) bytes = (Pm_ssize_t)n + 1;
    Pm_ssize_t chars = 0;
    for (Pm_ssize_t i = 0; i < bytes; i++)
        if (i >= (Pm_ssize_t)n || ((unsigned char)s[i] & 0xC0) != 0x80) chars++;
    return chars;
}

/* Byte offset of code point `ch` in UTF-8 text s[0..n). */
static size_t char_to_byte(const char *s, size_t n, Pm_ssize_t ch)
{
    size_t i = 0;
    for (Pm_ssize_t c = 0; i < n; i++) {
        if (((unsigned char)s[i] & 0xC0) == 0x80) continue;
        if (c++ == ch) return i;
    }
    return n;
}

static bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\f'; }

/* ------------------------------------------------------------------ anchors */

typedef struct Anchors {
    Pm_ssize_t left, right;      /* chars [left, right) of the line get the secondary char */
    char primary, secondary;
} Anchors;

/* extract_anchors_from_expr: byte offsets inside the segment. */
static bool anchors_of_expr(const char *seg, const pmast_node *e, Pm_ssize_t *l, Pm_ssize_t *r)
{
    if (e->kind == PMAST_BinOp) {
        const pmast_node *left = e->v.BinOp.left, *right = e->v.BinOp.right;
        for (int i = left->end_col_offset; i < right->col_offset; i++) {
            if (is_ws(seg[i])) continue;
            *l = i;
            *r = i + 1;
            if (i + 1 < right->col_offset && !is_ws(seg[i + 1])) ++*r;
            return true;
        }
        return false;
    }
    if (e->kind == PMAST_Subscript) {
        *l = e->v.Subscript.value->end_col_offset;
        *r = e->v.Subscript.slice->end_col_offset + 1;
        return true;
    }
    return false;
}

/* extract_anchors_from_line: parse line chars [start, end) alone; if it is one expression
 * statement that is a binary operation or a subscript, find where its operator is. */
static bool find_anchors(const char *line, size_t n, Pm_ssize_t start, Pm_ssize_t end,
                         Anchors *a)
{
    size_t b0 = char_to_byte(line, n, start), b1 = char_to_byte(line, n, end);
    if (b1 <= b0) return false;
    const char *seg = line + b0;
    size_t seglen = b1 - b0;
    pmparse_options opt = {0};
    opt.mem_limit = (size_t)4 << 20;
    pmparse_result r;
    bool found = false;
    Pm_ssize_t l = -1, rr = -1;
    if (pmparse_source(&r, seg, seglen, &opt) == 0) {
        pmast_seq body = r.module->v.Module.body;
        if (body.n == 1 && body.items[0]->kind == PMAST_Expr)
            found = anchors_of_expr(seg, body.items[0]->v.Expr.value, &l, &rr);
    }
    pmparse_release(&r);
    if (!found || l < 0 || rr < 0) return false;
    a->left = byte_to_char(seg, seglen, l) + start;
    a->right = byte_to_char(seg, seglen, rr) + start;
    a->primary = '~';
    a->secondary = '^';
    return true;
}

/* ------------------------------------------------------------------ one traceback entry */

static PmCode *tb_code(PmTraceback *tb)
{
    PmFrameObject *fo = (PmFrameObject *)tb->tb_frame;
    return fo && fo->f_frame ? fo->f_frame->f_code : NULL;
}

/* print_error_location_carets */
static void put_carets(Out *o, Pm_ssize_t offset, Pm_ssize_t start, Pm_ssize_t end,
                       const Anchors *a)
{
    while (++offset <= end) {
        char c = a->primary;
        if (offset <= start) c = ' ';
        else if (a->left >= 0 && a->left < offset && offset <= a->right) c = a->secondary;
        put(o, &c, 1);
    }
    puts_(o, "\n");
}

/* The source line and the caret line of an entry (display_source_line + tb_displayline). */
static void put_source(PmVM *vm, Out *o, PmTraceback *tb, PmCode *co)
{
    const char *line;
    size_t n;
    if (!source_line(vm, co->co_filename, tb->tb_lineno, &line, &n)) return;
    Pm_ssize_t len = byte_to_char(line, n, (Pm_ssize_t)n), ws = 0;
    while ((size_t)ws < n && (is_ws(line[ws]))) ws++;
    puts_(o, "    ");
    put(o, line + ws, n - (size_t)ws);
    puts_(o, "\n");
    if (tb->tb_lasti < 0 || tb->tb_lasti >= co->co_ncode) return;
    PmPosition pos = co->co_positions[tb->tb_lasti];
    if (pos.lineno < 0 || pos.end_lineno < 0 || pos.col < 0 || pos.end_col < 0) return;
    Pm_ssize_t truncation = ws - SOURCE_INDENT;
    Pm_ssize_t start = byte_to_char(line, n, pos.col), end = byte_to_char(line, n, pos.end_col);
    Anchors a = {-1, -1, '^', '^'};
    if (pos.lineno == pos.end_lineno) {
        find_anchors(line, n, start, end, &a);
    } else {
        Pm_ssize_t i = len;
        while (--i >= 0)
            if (i >= (Pm_ssize_t)n || !is_ws(line[i])) break;
        end = i + 1;
    }
    if (end - start == len - ws && a.left < 0) return;
    put_carets(o, truncation, start, end, &a);
}

static void put_entry(PmVM *vm, Out *o, PmTraceback *tb, PmCode *co)
{
    puts_(o, "  File \"");
    put_str(vm, o, co->co_filename);
    puts_(o, "\", line ");
    put_int(o, tb->tb_lineno);
    puts_(o, ", in ");
    put_str(vm, o, co->co_name);
    puts_(o, "\n");
    put_source(vm, o, tb, co);
}

static void put_repeated(Out *o, long cnt)
{
    cnt -= TB_RECURSIVE_CUTOFF;
    puts_(o, "  [Previous line repeated ");
    put_int(o, cnt);
    puts_(o, cnt > 1 ? " more times]\n" : " more time]\n");
}

/* tb_printinternal: the newest TB_LIMIT entries, runs of identical ones collapsed. */
static void put_entries(PmVM *vm, Out *o, PmObject *tbo)
{
    Pm_ssize_t depth = 0;
    for (PmObject *t = tbo; t; t = ((PmTraceback *)t)->tb_next) depth++;
    while (tbo && depth > TB_LIMIT) {
        depth--;
        tbo = ((PmTraceback *)tbo)->tb_next;
    }
    PmObject *last_file = NULL, *last_name = NULL;
    int last_line = -1;
    long cnt = 0;
    for (; tbo; tbo = ((PmTraceback *)tbo)->tb_next) {
        PmTraceback *tb = (PmTraceback *)tbo;
        PmCode *co = tb_code(tb);
        if (co == NULL) continue;
        if (last_file == NULL || co->co_filename != last_file || last_line == -1 ||
            tb->tb_lineno != last_line || last_name == NULL || co->co_name != last_name) {
            if (cnt > TB_RECURSIVE_CUTOFF) put_repeated(o, cnt);
            last_file = co->co_filename;
            last_line = tb->tb_lineno;
            last_name = co->co_name;
            cnt = 0;
        }
        if (++cnt <= TB_RECURSIVE_CUTOFF) put_entry(vm, o, tb, co);
    }
    if (cnt > TB_RECURSIVE_CUTOFF) put_repeated(o, cnt);
}

static void put_traceback(PmVM *vm, Out *o, PmObject *tb)
{
    if (tb == NULL || !Pm_IS_TYPE(vm, tb, TRACEBACK)) return;
    puts_(o, "Traceback (most recent call last):\n");
    put_entries(vm, o, tb);
}

/* ------------------------------------------------------------------ the message line */

/* "module.Qualname" (no module for builtins and __main__), as print_exception_message and
 * the unraisable hook write the type. */
static void put_type_name(PmVM *vm, Out *o, PmType *tp)
{
    if (PmType_HasFeature(tp, PM_TPFLAGS_HEAPTYPE)) {
        PmObject *mod = tp->tp_dict ? PmDict_GetItem_Borrow(vm, tp->tp_dict, PMID(vm, __module__))
                                    : NULL;
        if (mod == NULL || !PmStr_Check(mod)) {
            PmErr_Clear(vm);
            puts_(o, "<unknown>");
        } else if (!PmStr_EqualToASCII(mod, "builtins") && !PmStr_EqualToASCII(mod, "__main__")) {
            put_str(vm, o, mod);
            puts_(o, ".");
        }
        if (tp->ht_qualname && PmStr_Check(tp->ht_qualname)) put_str(vm, o, tp->ht_qualname);
        else puts_(o, tp->tp_name);
        return;
    }
    const char *dot = strrchr(tp->tp_name, '.');
    puts_(o, dot ? dot + 1 : tp->tp_name);
}

/* print_exception_message: "Type", then ": str(value)" unless str(value) is empty. */
static void put_message(PmVM *vm, Out *o, PmType *tp, PmObject *value)
{
    put_type_name(vm, o, tp);
    if (value == Pm_None(vm)) return;
    PmObject *s = PmObject_Str(vm, value);
    if (s == NULL) {
        PmErr_Clear(vm);
        puts_(o, ": <exception str() failed>");
        return;
    }
    if (PmStr_GET_LENGTH(s) != 0) puts_(o, ": ");
    put_str(vm, o, s);
    Pm_DECREF(vm, s);
}

/* ------------------------------------------------------------------ suggestions */

static int substitution_cost(char a, char b)
{
    if ((a & 31) != (b & 31)) return MOVE_COST;
    if (a == b) return 0;
    if ('A' <= a && a <= 'Z') a += 'a' - 'A';
    if ('A' <= b && b <= 'Z') b += 'a' - 'A';
    return a == b ? CASE_COST : MOVE_COST;
}

/* Python/suggestions.c's levenshtein_distance (affixes trimmed, early exit past max_cost). */
static size_t levenshtein(const char *a, size_t an, const char *b, size_t bn, size_t max_cost)
{
    size_t buffer[MAX_STRING_SIZE];
    if (a == b) return 0;
    while (an && bn && a[0] == b[0]) { a++; an--; b++; bn--; }
    while (an && bn && a[an - 1] == b[bn - 1]) { an--; bn--; }
    if (an == 0 || bn == 0) return (an + bn) * MOVE_COST;
    if (an > MAX_STRING_SIZE || bn > MAX_STRING_SIZE) return max_cost + 1;
    if (bn < an) {
        const char *t = a; a = b; b = t;
        size_t tn = an; an = bn; bn = tn;
    }
    if ((bn - an) * MOVE_COST > max_cost) return max_cost + 1;
    for (size_t i = 0; i < an; i++) buffer[i] = (i + 1) * MOVE_COST;
    size_t result = 0;
    for (size_t bi = 0; bi < bn; bi++) {
        char code = b[bi];
        size_t distance = result = bi * MOVE_COST;
        size_t minimum = SIZE_MAX;
        for (size_t i = 0; i < an; i++) {
            size_t substitute = distance + (size_t)substitution_cost(code, a[i]);
            distance = buffer[i];
            size_t insert_delete = (result < distance ? result : distance) + MOVE_COST;
            result = insert_delete < substitute ? insert_delete : substitute;
            buffer[i] = result;
            if (result < minimum) minimum = result;
        }
        if (minimum > max_cost) return max_cost + 1;
    }
    return result;
}

/* calculate_suggestions over a list of names: the closest one (borrowed) or NULL. */
static PmObject *closest_name(PmVM *vm, PmObject *dir, PmObject *name)
{
    Pm_ssize_t n = Pm_SIZE(dir);
    if (n >= MAX_CANDIDATE_ITEMS) return NULL;
    Pm_ssize_t name_n;
    const char *name_s = PmStr_AsUTF8(vm, name, &name_n);
    if (name_s == NULL) return NULL;
    size_t best_distance = SIZE_MAX;
    PmObject *best = NULL;
    for (Pm_ssize_t i = 0; i < n; i++) {
        PmObject *item = PmList_GET_ITEM(dir, i);
        if (!PmStr_Check(item)) return NULL;
        Pm_ssize_t item_n;
        const char *item_s = PmStr_AsUTF8(vm, item, &item_n);
        if (item_s == NULL) return NULL;
        if (PmStr_Equal(name, item)) continue;
        size_t max_distance = (size_t)(name_n + item_n + 3) * MOVE_COST / 6;
        if (best_distance - 1 < max_distance) max_distance = best_distance - 1;
        size_t d = levenshtein(name_s, (size_t)name_n, item_s, (size_t)item_n, max_distance);
        if (d > max_distance) continue;
        if (best == NULL || d < best_distance) {
            best = item;
            best_distance = d;
        }
    }
    return best;
}

/* list(mapping) for a dict */
static PmObject *dict_keys(PmVM *vm, PmObject *d)
{
    return d && PmDict_Check(d) ? PmDict_Keys(vm, d) : PmList_New(vm, 0);
}

/* Add the keys of dict d to the set-like dict `seen`. */
static int merge_keys(PmVM *vm, PmObject *seen, PmObject *d)
{
    Pm_ssize_t pos = 0;
    PmObject *k, *v;
    while (d && PmDict_Next(d, &pos, &k, &v))
        if (PmDict_SetItem(vm, seen, k, Pm_None(vm)) < 0) return -1;
    return 0;
}

/* dir(obj) as object.__dir__ / type.__dir__ / module.__dir__ compute it: the sorted names of
 * the instance's attributes and of its class (or, for a class, of its MRO). */
static PmObject *dir_of(PmVM *vm, PmObject *obj)
{
    PmObject *seen = PmDict_New(vm);
    if (seen == NULL) return NULL;
    int r = 0;
    if (Pm_KIND(obj) == PMT_MODULE) {
        r = merge_keys(vm, seen, ((PmModule *)obj)->md_dict);
    } else {
        PmType *tp = PmType_Check(obj) ? (PmType *)obj : Pm_TYPE(obj);
        if (!PmType_Check(obj) && Pm_TYPE(obj)->ht_extra_offset) {
            PmInstanceExtra *x = PmInstance_EXTRA(obj);
            if (x->dict) r = merge_keys(vm, seen, x->dict);
            for (Pm_ssize_t i = 0; r == 0 && x->values && i < x->values->n; i++)
                if (x->values->vals[i])
                    r = PmDict_SetItem(vm, seen, x->values->keys[i], Pm_None(vm));
        } else if (Pm_KIND(obj) == PMT_FUNCTION) {
            r = merge_keys(vm, seen, ((PmFunction *)obj)->func_dict);
        } else if (Pm_KIND(obj) == PMT_BASE_EXCEPTION) {
            r = merge_keys(vm, seen, ((PmBaseException *)obj)->dict);
        }
        PmObject *mro = tp->tp_mro;
        for (Pm_ssize_t i = 0; r == 0 && mro && i < Pm_SIZE(mro); i++)
            r = merge_keys(vm, seen, ((PmType *)PmTuple_GET_ITEM(mro, i))->tp_dict);
    }
    PmObject *list = r == 0 ? PmDict_Keys(vm, seen) : NULL;
    Pm_DECREF(vm, seen);
    if (list && PmList_Sort(vm, list, NULL, false) < 0) Pm_CLEAR(vm, list);
    return list;
}

/* The local variable names of a code object (_PyCode_GetVarnames). */
static PmObject *varnames(PmVM *vm, PmCode *co)
{
    PmObject *l = PmList_New(vm, 0);
    for (int i = 0; l && i < co->co_nlocalsplus; i++) {
        if (!(co->co_localspluskinds[i] & PM_CO_FAST_LOCAL)) continue;
        if (PmList_Append(vm, l, PmTuple_GET_ITEM(co->co_localsplusnames, i)) < 0)
            Pm_CLEAR(vm, l);
    }
    return l;
}

/* Try the candidates in `dir` (stolen); new reference to a suggestion or NULL. */
static PmObject *try_dir(PmVM *vm, PmObject *dir, PmObject *name)
{
    if (dir == NULL) return NULL;
    PmObject *s = Pm_XNewRef(closest_name(vm, dir, name));
    Pm_DECREF(vm, dir);
    return s;
}

static PmObject *suggest_name(PmVM *vm, PmBaseException *e)
{
    PmObject *name = e->fields[0], *tbo = e->traceback;
    if (name == NULL || tbo == NULL || !Pm_IS_TYPE(vm, name, STR)) return NULL;
    while (((PmTraceback *)tbo)->tb_next) tbo = ((PmTraceback *)tbo)->tb_next;
    PmFrameObject *fo = (PmFrameObject *)((PmTraceback *)tbo)->tb_frame;
    PmFrame *f = fo ? fo->f_frame : NULL;
    if (f == NULL) return NULL;
    PmObject *s = try_dir(vm, varnames(vm, f->f_code), name);
    if (s == NULL && !PmErr_Occurred(vm)) s = try_dir(vm, dict_keys(vm, f->f_globals), name);
    if (s == NULL && !PmErr_Occurred(vm)) s = try_dir(vm, dict_keys(vm, f->f_builtins), name);
    return s;
}

static PmObject *suggest_attribute(PmVM *vm, PmBaseException *e)
{
    PmObject *name = e->fields[0], *obj = e->fields[1];
    if (name == NULL || obj == NULL || !Pm_IS_TYPE(vm, name, STR)) return NULL;
    return try_dir(vm, dir_of(vm, obj), name);
}

/* print_exception_suggestions (3.11: exact AttributeError and NameError only). */
static void put_suggestion(PmVM *vm, Out *o, PmObject *value)
{
    PmObject *s = NULL;
    if (Pm_TYPE(value) == PME(vm, AttributeError))
        s = suggest_attribute(vm, (PmBaseException *)value);
    else if (Pm_TYPE(value) == PME(vm, NameError))
        s = suggest_name(vm, (PmBaseException *)value);
    if (s == NULL) {
        PmErr_Clear(vm);
        return;
    }
    puts_(o, ". Did you mean: '");
    put_str(vm, o, s);
    puts_(o, "'?");
    Pm_DECREF(vm, s);
}

/* ------------------------------------------------------------------ notes */

/* print_exception_notes: str() of each note (its lines written as they are), then a newline;
 * a __notes__ that is not a sequence is shown by its repr. */
static void put_notes(PmVM *vm, Out *o, PmObject *value)
{
    if (!PmExc_Check(value)) return;
    PmObject *name = PmStr_InternFromString(vm, "__notes__");
    PmObject *notes = name ? PmObject_LookupAttr(vm, value, name) : NULL;
    Pm_XDECREF(vm, name);
    if (notes == NULL) { PmErr_Clear(vm); return; }
    if (!PmSequence_Check(notes)) {
        PmObject *r = PmObject_Repr(vm, notes);
        if (r == NULL) {
            PmErr_Clear(vm);
            puts_(o, "<__notes__ repr() failed>");
        } else {
            put_str(vm, o, r);
            Pm_DECREF(vm, r);
        }
        puts_(o, "\n");
        Pm_DECREF(vm, notes);
        return;
    }
    Pm_ssize_t n = PmObject_Length(vm, notes);
    for (Pm_ssize_t i = 0; i < n; i++) {
        PmObject *note = PmSequence_GetItem(vm, notes, i);
        if (note == NULL) break;
        put_object_str(vm, o, note, "<note str() failed>");
        Pm_DECREF(vm, note);
        puts_(o, "\n");
    }
    PmErr_Clear(vm);
    Pm_DECREF(vm, notes);
}

/* ------------------------------------------------------------------ SyntaxError details */

typedef struct SyntaxInfo {
    PmObject *msg, *filename, *text;   /* owned; text may be NULL */
    long long lineno, offset, end_lineno, end_offset;
} SyntaxInfo;

static PmObject *attr(PmVM *vm, PmObject *o, const char *name)
{
    PmObject *n = PmStr_InternFromString(vm, name);
    if (n == NULL) return NULL;
    PmObject *v = PmObject_GetAttr(vm, o, n);
    Pm_DECREF(vm, n);
    return v;
}

/* An int attribute; None gives `dflt` when none_ok, otherwise it is an error. */
static bool int_attr(PmVM *vm, PmObject *o, const char *name, bool none_ok, long long dflt,
                     long long *out)
{
    PmObject *v = attr(vm, o, name);
    if (v == NULL) return false;
    if (v == Pm_None(vm) && none_ok) {
        *out = dflt;
        Pm_DECREF(vm, v);
        return true;
    }
    Pm_ssize_t n = PmNumber_AsSsize_t(vm, v, NULL);
    Pm_DECREF(vm, v);
    if (n == -1 && PmErr_Occurred(vm)) return false;
    *out = n;
    return true;
}

/* parse_syntax_error of pythonrun.c */
static bool parse_syntax_error(PmVM *vm, PmObject *err, SyntaxInfo *si)
{
    memset(si, 0, sizeof *si);
    if ((si->msg = attr(vm, err, "msg")) == NULL) return false;
    PmObject *v = attr(vm, err, "filename");
    if (v == NULL) goto fail;
    if (v == Pm_None(vm)) {
        Pm_DECREF(vm, v);
        v = PmStr_FromString(vm, "<string>");
        if (v == NULL) goto fail;
    }
    si->filename = v;
    if (!int_attr(vm, err, "lineno", false, 0, &si->lineno)) goto fail;
    if (!int_attr(vm, err, "offset", true, -1, &si->offset)) goto fail;
    si->end_lineno = si->lineno;
    si->end_offset = -1;
    if (Pm_TYPE(err) == PME(vm, SyntaxError)) {
        /* end positions: missing or bad ones are quietly defaulted */
        if (!int_attr(vm, err, "end_lineno", true, si->lineno, &si->end_lineno)) {
            PmErr_Clear(vm);
            si->end_lineno = si->lineno;
        }
        if (!int_attr(vm, err, "end_offset", true, -1, &si->end_offset)) {
            PmErr_Clear(vm);
            si->end_offset = -1;
        }
    }
    if ((v = attr(vm, err, "text")) == NULL) goto fail;
    if (v == Pm_None(vm)) Pm_DECREF(vm, v);
    else si->text = v;
    return true;
fail:
    Pm_CLEAR(vm, si->msg);
    Pm_CLEAR(vm, si->filename);
    return false;
}

/* print_error_text: the offending line, stripped, and its carets (byte offsets, 1-based). */
static void put_error_text(Out *o, long long offset, long long end_offset, const char *text)
{
    long long reps = (end_offset > 0 && end_offset > offset) ? end_offset - offset : 1;
    offset--;
    while (*text == ' ' || *text == '\t' || *text == '\f') {
        text++;
        offset--;
    }
    long long len = (long long)strlen(text);
    if (len > 0 && text[len - 1] == '\n') len--;
    if (offset > len) offset = len;
    for (;;) {
        const char *nl = strchr(text, '\n');
        if (nl == NULL) break;
        long long inl = nl - text;
        if (inl >= offset) break;
        inl += 1;
        text += inl;
        len -= inl;
        offset -= inl;
    }
    puts_(o, "    ");
    puts_(o, text);
    if (text[len] != '\n') puts_(o, "\n");
    if (offset < 0) return;
    puts_(o, "    ");
    while (--offset >= 0) puts_(o, " ");
    for (long long i = 0; i < reps; i++) puts_(o, "^");
    puts_(o, "\n");
}

/* print_exception_file_and_line: for SyntaxErrors, "  File ..., line N" and the text; the
 * message line then shows `msg` instead of str(exc) (*value is replaced). */
static void put_file_and_line(PmVM *vm, Out *o, PmObject **value)
{
    PmObject *probe = PmStr_InternFromString(vm, "print_file_and_line");
    PmObject *tmp = probe ? PmObject_LookupAttr(vm, *value, probe) : NULL;
    Pm_XDECREF(vm, probe);
    if (tmp == NULL) { PmErr_Clear(vm); return; }
    Pm_DECREF(vm, tmp);
    SyntaxInfo si;
    if (!parse_syntax_error(vm, *value, &si)) { PmErr_Clear(vm); return; }
    Pm_SETREF(vm, *value, si.msg);
    puts_(o, "  File \"");
    put_object_str(vm, o, si.filename, "");
    puts_(o, "\", line ");
    put_int(o, si.lineno);
    puts_(o, "\n");
    Pm_DECREF(vm, si.filename);
    if (si.text == NULL) return;
    Pm_ssize_t size = 0;
    const char *line = PmStr_Check(si.text) ? PmStr_AsUTF8(vm, si.text, &size) : NULL;
    if (line == NULL) {
        PmErr_Clear(vm);
    } else {
        long long end_offset = si.end_offset;
        if (si.end_lineno > si.lineno) end_offset = size;
        if (end_offset > size + 1) end_offset = size + 1;
        put_error_text(o, si.offset, end_offset, line);
    }
    Pm_DECREF(vm, si.text);
}

/* ------------------------------------------------------------------ whole reports */

/* print_exception: traceback, SyntaxError details, message, suggestion, notes. */
static void put_exception(PmVM *vm, Out *o, PmObject *exc, size_t *line)
{
    PmType *tp = Pm_TYPE(exc);
    PmObject *value = Pm_NewRef(exc);
    put_traceback(vm, o, ((PmBaseException *)exc)->traceback);
    put_file_and_line(vm, o, &value);
    if (line) line[0] = o->len;
    put_message(vm, o, tp, value);
    if (PmExc_Check(value)) put_suggestion(vm, o, value);
    if (line) line[1] = o->len;
    puts_(o, "\n");
    put_notes(vm, o, value);
    Pm_DECREF(vm, value);
}

static const char cause_message[] =
    "\nThe above exception was the direct cause of the following exception:\n\n";
static const char context_message[] =
    "\nDuring handling of the above exception, another exception occurred:\n\n";

static bool seen_in(PmObject *const *chain, int n, PmObject *e)
{
    for (int i = 0; i < n; i++)
        if (chain[i] == e) return true;
    return false;
}

/* keep_line: remember the last exception's message line in vm->last_exc (pml_last_exception) */
static void print_exception(PmVM *vm, PmObject *exc, bool keep_line)
{
    size_t line[2] = { 0, 0 };
    if (exc == NULL) return;
    Pm_INCREF(exc);
    PmObject *saved = PmErr_Fetch(vm);
    Out o = {0};
    if (!PmExc_Check(exc)) {
        puts_(&o, "TypeError: print_exception(): Exception expected for value, ");
        puts_(&o, Pm_TYPE(exc)->tp_name);
        puts_(&o, " found\n");
        flush_out(vm, &o);
        Pm_XDECREF(vm, saved);
        Pm_DECREF(vm, exc);
        return;
    }
    /* print_exception_recursive, iteratively: follow __cause__ / __context__ back to the
     * oldest exception, then print from there with the joining messages. */
    PmObject **chain = malloc(sizeof(PmObject *) * MAX_CHAIN);
    const char **joins = malloc(sizeof(char *) * MAX_CHAIN);
    int n = 0;
    if (chain && joins) {
        PmObject *e = exc;
        while (e && n < MAX_CHAIN) {
            chain[n] = e;
            PmBaseException *b = (PmBaseException *)e;
            PmObject *next = NULL;
            joins[n] = NULL;
            if (b->cause) {
                if (!seen_in(chain, n + 1, b->cause)) { next = b->cause; joins[n] = cause_message; }
            } else if (!b->suppress_context && b->context &&
                       !seen_in(chain, n + 1, b->context)) {
                next = b->context;
                joins[n] = context_message;
            }
            n++;
            e = next;
        }
        for (int i = 0; i < n; i++) Pm_INCREF(chain[i]);   /* str() may run user code */
        for (int i = n - 1; i >= 0; i--) {
            put_exception(vm, &o, chain[i], i == 0 ? line : NULL);
            if (i > 0) puts_(&o, joins[i - 1]);
        }
        for (int i = 0; i < n; i++) Pm_DECREF(vm, chain[i]);
    } else {
        put_exception(vm, &o, exc, line);
    }
    free(chain);
    free(joins);
    if (keep_line && !o.oom && o.data && line[1] >= line[0] && line[1] <= o.len) {
        char *text = malloc(line[1] - line[0] + 1);
        if (text) {
            memcpy(text, o.data + line[0], line[1] - line[0]);
            text[line[1] - line[0]] = 0;
        }
        free(vm->last_exc);
        vm->last_exc = text;
    }
    flush_out(vm, &o);
    PmErr_Clear(vm);
    Pm_XDECREF(vm, saved);
    Pm_DECREF(vm, exc);
}

void pm_print_exception(PmVM *vm, PmObject *exc)
{
    print_exception(vm, exc, false);
}

void pm_print_uncaught(PmVM *vm, PmObject *exc)
{
    print_exception(vm, exc, true);
}

PmObject *pm_format_exception_only(PmVM *vm, PmObject *exc)
{
    Out o = {0};
    if (PmExc_Check(exc)) {
        PmObject *value = Pm_NewRef(exc);
        Out ignored = {0};
        put_file_and_line(vm, &ignored, &value);
        pmast_buf_free(&ignored);
        put_message(vm, &o, Pm_TYPE(exc), value);
        if (PmExc_Check(value)) put_suggestion(vm, &o, value);
        Pm_DECREF(vm, value);
    } else {
        puts_(&o, Pm_TYPE(exc)->tp_name);
    }
    if (o.oom) {
        pmast_buf_free(&o);
        return PmErr_NoMemory(vm);
    }
    PmObject *r = PmStr_FromUTF8(vm, o.data ? o.data : "", o.len);
    pmast_buf_free(&o);
    return r;
}

int pm_handle_system_exit(PmVM *vm, PmObject *exc)
{
    PmObject *code = exc ? Pm_NewRef(exc) : NULL;
    if (code && PmExc_Check(code)) {
        PmObject *c = attr(vm, code, "code");
        if (c) Pm_SETREF(vm, code, c);
        else PmErr_Clear(vm);
    }
    int status = 0;
    if (code == NULL || code == Pm_None(vm)) {
        status = 0;
    } else if (PmLong_Check(code)) {
        int overflow;
        long long v = PmLong_AsLongLongAndOverflow(vm, code, &overflow);
        status = overflow ? -1 : (int)v;
    } else {
        Out o = {0};
        put_object_str(vm, &o, code, "");
        puts_(&o, "\n");
        flush_out(vm, &o);
        status = 1;
    }
    Pm_XDECREF(vm, code);
    PmErr_Clear(vm);
    return status;
}

/* The default sys.unraisablehook (write_unraisable_exc_file). */
void pm_write_unraisable(PmVM *vm, const char *msg, PmObject *obj, PmObject *name)
{
    PmObject *exc = PmErr_Fetch(vm);
    if (exc == NULL) return;
    Out o = {0};
    if (obj) {
        PmObject *what = name ? PmType_Lookup(vm, Pm_TYPE(obj), name) : NULL;
        if (what == NULL) what = obj;
        Pm_INCREF(what);
        puts_(&o, msg ? msg : "Exception ignored in");
        puts_(&o, ": ");
        PmObject *r = PmObject_Repr(vm, what);
        Pm_DECREF(vm, what);
        if (r == NULL) {
            PmErr_Clear(vm);
            puts_(&o, "<object repr() failed>");
        } else {
            put_str(vm, &o, r);
            Pm_DECREF(vm, r);
        }
        puts_(&o, "\n");
    } else if (msg) {
        puts_(&o, msg);
        puts_(&o, ":\n");
    }
    if (PmExc_Check(exc)) {
        put_traceback(vm, &o, ((PmBaseException *)exc)->traceback);
        put_type_name(vm, &o, Pm_TYPE(exc));
        puts_(&o, ": ");
        put_object_str(vm, &o, exc, "<exception str() failed>");
    } else {
        puts_(&o, Pm_TYPE(exc)->tp_name);
    }
    puts_(&o, "\n");
    flush_out(vm, &o);
    Pm_DECREF(vm, exc);
    PmErr_Clear(vm);
}
