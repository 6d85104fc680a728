/*
 * symtable.c -- build the scopes of a module and resolve every name (CPython's symtable.c).
 *
 * Pass 1 walks the tree and records, per scope, how each name is used (bound, parameter,
 * global, nonlocal, used).  Pass 2 (analyze) decides LOCAL / CELL / FREE / GLOBAL for each
 * symbol, walking scopes top-down with the set of names bound by enclosing functions, then
 * bottom-up turning a parent's local into a CELL when a child uses it freely.
 * Recursion depth is bounded by the parser's tree-depth limit.
 */
#include "lang/symtable.h"
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

/* ------------------------------------------------------------------ small helpers */

static unsigned name_hash(const char *s)
{
    unsigned h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static void fail(PmSymtable *st, const char *msg, const char *name, int lineno, int col)
{
    if (st->failed) return;
    st->failed = true;
    st->error.type = "SyntaxError";
    snprintf(st->error.msg, sizeof st->error.msg, msg, name);
    st->error.lineno = st->error.end_lineno = lineno;
    st->error.offset = col + 1;
    st->error.end_offset = 0;
}

/* A SyntaxError spanning node n, as CPython reports symtable errors (carets under it). */
static void fail_at(PmSymtable *st, const char *msg, const char *name, const pmast_node *n)
{
    if (st->failed) return;
    fail(st, msg, name, n->lineno, n->col_offset);
    if (n->end_lineno == n->lineno) st->error.end_offset = n->end_col_offset + 1;
    st->error.end_lineno = n->end_lineno;
}

static void *grow(void *p, int *cap, int need, size_t elsize)
{
    if (need <= *cap) return p;
    int n = *cap ? *cap * 2 : 8;
    while (n < need) n *= 2;
    void *q = realloc(p, (size_t)n * elsize);
    if (q) *cap = n;
    return q;
}

static int index_rebuild(PmScope *s)
{
    int cap = s->indexcap ? s->indexcap * 2 : 16;
    int *idx = malloc((size_t)cap * sizeof(int));
    if (idx == NULL) return -1;
    for (int i = 0; i < cap; i++) idx[i] = -1;
    for (int i = 0; i < s->nsyms; i++) {
        unsigned h = name_hash(s->syms[i].name) & (unsigned)(cap - 1);
        while (idx[h] >= 0) h = (h + 1) & (unsigned)(cap - 1);
        idx[h] = i;
    }
    free(s->index);
    s->index = idx;
    s->indexcap = cap;
    return 0;
}

PmSymbol *pmsym_lookup(PmScope *s, const char *name)
{
    if (s->indexcap == 0) return NULL;
    unsigned h = name_hash(name) & (unsigned)(s->indexcap - 1);
    while (s->index[h] >= 0) {
        PmSymbol *sym = &s->syms[s->index[h]];
        if (strcmp(sym->name, name) == 0) return sym;
        h = (h + 1) & (unsigned)(s->indexcap - 1);
    }
    return NULL;
}

static PmSymbol *add_sym(PmSymtable *st, PmScope *s, const char *name, int flags,
                         int lineno, int col)
{
    PmSymbol *sym = pmsym_lookup(s, name);
    if (sym) {
        sym->flags |= flags;
        return sym;
    }
    PmSymbol *syms = grow(s->syms, &s->capsyms, s->nsyms + 1, sizeof(PmSymbol));
    if (syms == NULL) { fail(st, "out of memory%s", "", lineno, col); return NULL; }
    s->syms = syms;
    sym = &s->syms[s->nsyms++];
    sym->name = name;
    sym->flags = flags;
    sym->scope = 0;
    sym->lineno = lineno;
    sym->col = col;
    sym->decl = NULL;
    if (s->nsyms * 2 > s->indexcap && index_rebuild(s) < 0) {
        fail(st, "out of memory%s", "", lineno, col);
        return NULL;
    }
    if (s->indexcap) {
        unsigned h = name_hash(name) & (unsigned)(s->indexcap - 1);
        while (s->index[h] >= 0 && s->index[h] != s->nsyms - 1)
            h = (h + 1) & (unsigned)(s->indexcap - 1);
        s->index[h] = s->nsyms - 1;
    }
    return sym;
}

static PmScope *new_scope(PmSymtable *st, PmBlockKind kind, const pmast_node *node,
                          const char *name, PmScope *parent)
{
    PmScope *s = calloc(1, sizeof(PmScope));
    PmScope **all = grow(st->all, &st->capall, st->nall + 1, sizeof(PmScope *));
    if (s == NULL || all == NULL) {
        free(s);
        fail(st, "out of memory%s", "", node ? node->lineno : 1, 0);
        return NULL;
    }
    st->all = all;
    st->all[st->nall++] = s;
    s->kind = kind;
    s->node = node;
    s->name = name;
    s->parent = parent;
    if (parent) {
        PmScope **ch = grow(parent->children, &parent->capchildren, parent->nchildren + 1,
                            sizeof(PmScope *));
        if (ch == NULL) { fail(st, "out of memory%s", "", 1, 0); return NULL; }
        parent->children = ch;
        parent->children[parent->nchildren++] = s;
    }
    return s;
}

static void add_param(PmSymtable *st, PmScope *s, const pmast_node *arg)
{
    const char *name = arg->v.arg.arg;
    PmSymbol *old = pmsym_lookup(s, name);
    if (old && (old->flags & PM_DEF_PARAM)) {
        fail_at(st, "duplicate argument '%s' in function definition", name, arg);
        return;
    }
    add_sym(st, s, name, PM_DEF_PARAM, arg->lineno, arg->col_offset);
    const char **p = realloc(s->params, (size_t)(s->nparams + 1) * sizeof(char *));
    if (p == NULL) { fail(st, "out of memory%s", "", 1, 0); return; }
    s->params = p;
    s->params[s->nparams++] = name;
}

/* ------------------------------------------------------------------ pass 1: collect */

typedef struct Walker {
    PmSymtable *st;
    PmScope *cur;
} Walker;

static void visit(Walker *w, pmast_node *n);

static void visit_seq(Walker *w, pmast_seq seq)
{
    for (int i = 0; i < seq.n && !w->st->failed; i++)
        if (seq.items[i]) visit(w, seq.items[i]);
}

static void visit_params(Walker *w, PmScope *s, pmast_node *args)
{
    for (int i = 0; i < args->v.arguments.posonlyargs.n; i++)
        add_param(w->st, s, args->v.arguments.posonlyargs.items[i]);
    for (int i = 0; i < args->v.arguments.args.n; i++)
        add_param(w->st, s, args->v.arguments.args.items[i]);
    for (int i = 0; i < args->v.arguments.kwonlyargs.n; i++)
        add_param(w->st, s, args->v.arguments.kwonlyargs.items[i]);
    if (args->v.arguments.vararg) add_param(w->st, s, args->v.arguments.vararg);
    if (args->v.arguments.kwarg) add_param(w->st, s, args->v.arguments.kwarg);
}

/* Defaults and decorators run in the enclosing scope; the body in a new one. */
static void visit_function(Walker *w, pmast_node *n, const char *name, pmast_node *args,
                           pmast_seq *body, pmast_node *lambda_body)
{
    visit_seq(w, args->v.arguments.defaults);
    for (int i = 0; i < args->v.arguments.kw_defaults.n; i++)
        if (args->v.arguments.kw_defaults.items[i])
            visit(w, args->v.arguments.kw_defaults.items[i]);
    PmScope *s = new_scope(w->st, PM_BLOCK_FUNCTION, n, name, w->cur);
    if (s == NULL) return;
    PmScope *saved = w->cur;
    w->cur = s;
    visit_params(w, s, args);
    if (body) visit_seq(w, *body);
    else visit(w, lambda_body);
    w->cur = saved;
}

static void visit_comprehension(Walker *w, pmast_node *n, pmast_seq gens, pmast_node *elt,
                                pmast_node *value)
{
    pmast_node *first = gens.items[0];
    visit(w, first->v.comprehension.iter);
    PmScope *s = new_scope(w->st, PM_BLOCK_FUNCTION, n, "<comprehension>", w->cur);
    if (s == NULL) return;
    s->comprehension = true;
    if (n->kind == PMAST_GeneratorExp) s->generator = true;
    PmScope *saved = w->cur;
    w->cur = s;
    add_sym(w->st, s, ".0", PM_DEF_PARAM, n->lineno, n->col_offset);
    s->params = malloc(sizeof(char *));
    if (s->params) { s->params[0] = ".0"; s->nparams = 1; }
    for (int i = 0; i < gens.n; i++) {
        pmast_node *g = gens.items[i];
        if (i > 0) visit(w, g->v.comprehension.iter);
        visit(w, g->v.comprehension.target);
        visit_seq(w, g->v.comprehension.ifs);
    }
    if (value) visit(w, value);
    visit(w, elt);
    w->cur = saved;
}

static void visit_name(Walker *w, pmast_node *n)
{
    const char *id = n->v.Name.id;
    int flags = n->ctx == PMAST_LOAD ? PM_DEF_USE : PM_DEF_LOCAL;
    PmSymbol *old = pmsym_lookup(w->cur, id);
    if (old && (old->flags & PM_DEF_GLOBAL) == 0 && w->cur->kind != PM_BLOCK_MODULE) {
        /* fine */
    }
    add_sym(w->st, w->cur, id, flags, n->lineno, n->col_offset);
    if (n->ctx == PMAST_LOAD && w->cur->kind == PM_BLOCK_FUNCTION && strcmp(id, "super") == 0)
        add_sym(w->st, w->cur, "__class__", PM_DEF_USE, n->lineno, n->col_offset);
}

static void visit_global(Walker *w, pmast_node *n, bool nonlocal)
{
    pmast_names names = nonlocal ? n->v.Nonlocal.names : n->v.Global.names;
    if (nonlocal && w->cur->kind == PM_BLOCK_MODULE) {
        fail_at(w->st, "nonlocal declaration not allowed at module level%s", "", n);
        return;
    }
    for (int i = 0; i < names.n; i++) {
        const char *name = names.items[i];
        PmSymbol *old = pmsym_lookup(w->cur, name);
        if (old) {
            const char *msg = NULL;
            if (old->flags & PM_DEF_PARAM)
                msg = nonlocal ? "name '%s' is parameter and nonlocal"
                               : "name '%s' is parameter and global";
            else if (old->flags & PM_DEF_LOCAL)
                msg = nonlocal ? "name '%s' is assigned to before nonlocal declaration"
                               : "name '%s' is assigned to before global declaration";
            else if (old->flags & PM_DEF_USE)
                msg = nonlocal ? "name '%s' is used prior to nonlocal declaration"
                               : "name '%s' is used prior to global declaration";
            if (msg) { fail_at(w->st, msg, name, n); return; }
        }
        PmSymbol *decl = add_sym(w->st, w->cur, name, nonlocal ? PM_DEF_NONLOCAL : PM_DEF_GLOBAL,
                                 n->lineno, n->col_offset);
        if (decl && decl->decl == NULL) decl->decl = n;
    }
}

static void visit_import(Walker *w, pmast_node *n)
{
    pmast_seq names = n->kind == PMAST_Import ? n->v.Import.names : n->v.ImportFrom.names;
    for (int i = 0; i < names.n; i++) {
        pmast_node *a = names.items[i];
        const char *store = a->v.alias.asname;
        char *dot;
        if (store == NULL) {
            store = a->v.alias.name;
            if (n->kind == PMAST_Import && (dot = strchr(store, '.')) != NULL) {
                /* `import a.b` binds `a`: the arena string is ours to cut a copy of */
                size_t len = (size_t)(dot - store);
                char *copy = malloc(len + 1);
                PmSymtable *st = w->st;
                char **owned = grow(st->owned, &st->capowned, st->nowned + 1, sizeof(char *));
                if (owned) st->owned = owned;
                if (copy == NULL || owned == NULL) {
                    free(copy);
                    fail(st, "out of memory%s", "", 1, 0);
                    return;
                }
                memcpy(copy, store, len);
                copy[len] = 0;
                st->owned[st->nowned++] = copy;   /* freed by pmsym_free */
                store = copy;
            }
        }
        add_sym(w->st, w->cur, store, PM_DEF_IMPORT, a->lineno, a->col_offset);
    }
}

static void visit_children_cb(void *ctx, pmast_node *child)
{
    Walker *w = ctx;
    if (!w->st->failed) visit(w, child);
}

static void visit(Walker *w, pmast_node *n)
{
    if (w->st->failed) return;
    switch (n->kind) {
    case PMAST_FunctionDef:
        visit_seq(w, n->v.FunctionDef.decorator_list);
        add_sym(w->st, w->cur, n->v.FunctionDef.name, PM_DEF_LOCAL, n->lineno, n->col_offset);
        visit_function(w, n, n->v.FunctionDef.name, n->v.FunctionDef.args,
                       &n->v.FunctionDef.body, NULL);
        return;
    case PMAST_Lambda:
        visit_function(w, n, "<lambda>", n->v.Lambda.args, NULL, n->v.Lambda.body);
        return;
    case PMAST_ClassDef: {
        visit_seq(w, n->v.ClassDef.decorator_list);
        visit_seq(w, n->v.ClassDef.bases);
        visit_seq(w, n->v.ClassDef.keywords);
        add_sym(w->st, w->cur, n->v.ClassDef.name, PM_DEF_LOCAL, n->lineno, n->col_offset);
        PmScope *s = new_scope(w->st, PM_BLOCK_CLASS, n, n->v.ClassDef.name, w->cur);
        if (s == NULL) return;
        PmScope *saved = w->cur;
        w->cur = s;
        visit_seq(w, n->v.ClassDef.body);
        w->cur = saved;
        return;
    }
    case PMAST_ListComp: case PMAST_SetComp: case PMAST_GeneratorExp:
        visit_comprehension(w, n, n->v.ListComp.generators, n->v.ListComp.elt, NULL);
        return;
    case PMAST_DictComp:
        visit_comprehension(w, n, n->v.DictComp.generators, n->v.DictComp.value,
                            n->v.DictComp.key);
        return;
    case PMAST_Name:
        visit_name(w, n);
        return;
    case PMAST_Global: visit_global(w, n, false); return;
    case PMAST_Nonlocal: visit_global(w, n, true); return;
    case PMAST_Import: case PMAST_ImportFrom: visit_import(w, n); return;
    case PMAST_Yield: case PMAST_YieldFrom: case PMAST_Await:
        if (w->cur->kind != PM_BLOCK_FUNCTION) {
            fail_at(w->st, "'yield' outside function%s", "", n);
            return;
        }
        if (w->cur->comprehension) {
            fail_at(w->st, "'yield' inside %s", w->cur->node->kind == PMAST_ListComp ? "list comprehension"
                 : w->cur->node->kind == PMAST_SetComp ? "set comprehension"
                 : w->cur->node->kind == PMAST_DictComp ? "dict comprehension"
                 : "generator expression", n);
            return;
        }
        w->cur->generator = true;
        break;
    case PMAST_ExceptHandler:
        if (n->v.ExceptHandler.name)
            add_sym(w->st, w->cur, n->v.ExceptHandler.name, PM_DEF_LOCAL, n->lineno, n->col_offset);
        break;
    case PMAST_NamedExpr:
        break;
    default:
        break;
    }
    pmast_foreach_child(n, visit_children_cb, w);
}

/* ------------------------------------------------------------------ pass 2: analyse */

typedef struct NameSet {
    const char **names;
    int n, cap;
} NameSet;

static bool set_has(const NameSet *s, const char *name)
{
    for (int i = s->n - 1; i >= 0; i--)
        if (strcmp(s->names[i], name) == 0) return true;
    return false;
}

static int set_add(NameSet *s, const char *name)
{
    if (set_has(s, name)) return 0;
    const char **p = grow(s->names, &s->cap, s->n + 1, sizeof(char *));
    if (p == NULL) return -1;
    s->names = p;
    s->names[s->n++] = name;
    return 0;
}

static void set_remove(NameSet *s, const char *name)
{
    for (int i = 0; i < s->n; i++) {
        if (strcmp(s->names[i], name) == 0) {
            s->names[i] = s->names[--s->n];
            return;
        }
    }
}

static void analyze_name(PmSymtable *st, PmScope *s, PmSymbol *sym, const NameSet *bound,
                         NameSet *freeset)
{
    int f = sym->flags;
    if (f & PM_DEF_GLOBAL) {
        sym->scope = PM_SC_GLOBAL_EXPLICIT;
    } else if (f & PM_DEF_NONLOCAL) {
        if (!set_has(bound, sym->name)) {
            if (sym->decl) fail_at(st, "no binding for nonlocal '%s' found", sym->name, sym->decl);
            else fail(st, "no binding for nonlocal '%s' found", sym->name, sym->lineno, sym->col);
            return;
        }
        sym->scope = PM_SC_FREE;
        set_add(freeset, sym->name);
    } else if (f & (PM_DEF_LOCAL | PM_DEF_PARAM | PM_DEF_IMPORT)) {
        sym->scope = s->kind == PM_BLOCK_MODULE ? PM_SC_GLOBAL_IMPLICIT : PM_SC_LOCAL;
    } else if (s->kind != PM_BLOCK_MODULE && set_has(bound, sym->name)) {
        sym->scope = PM_SC_FREE;
        set_add(freeset, sym->name);
    } else {
        sym->scope = PM_SC_GLOBAL_IMPLICIT;
    }
}

/* A child's free variable: a local of this function becomes a cell; otherwise it passes
 * through this scope as free too (class scopes mark it DEF_FREE_CLASS). */
static void absorb_child_free(PmSymtable *st, PmScope *s, NameSet *childfree, NameSet *freeset)
{
    for (int i = 0; i < childfree->n; i++) {
        const char *name = childfree->names[i];
        PmSymbol *sym = pmsym_lookup(s, name);
        if (s->kind == PM_BLOCK_CLASS && strcmp(name, "__class__") == 0) {
            s->needs_class_closure = true;
            continue;
        }
        if (sym && s->kind == PM_BLOCK_FUNCTION && sym->scope == PM_SC_LOCAL) {
            sym->scope = PM_SC_CELL;
            continue;
        }
        if (sym && sym->scope == PM_SC_CELL) continue;
        if (sym && s->kind == PM_BLOCK_CLASS && sym->scope == PM_SC_LOCAL) {
            sym->flags |= PM_DEF_FREE_CLASS;
            set_add(freeset, name);
            continue;
        }
        if (sym == NULL) {
            sym = add_sym(st, s, name, 0, 0, 0);
            if (sym == NULL) return;
        }
        if (sym->scope == PM_SC_GLOBAL_EXPLICIT) continue;
        if (s->kind == PM_BLOCK_MODULE) continue;
        if (sym->scope != PM_SC_LOCAL) sym->scope = PM_SC_FREE;
        if (s->kind == PM_BLOCK_CLASS && (sym->flags & (PM_DEF_LOCAL | PM_DEF_PARAM)))
            sym->flags |= PM_DEF_FREE_CLASS;
        set_add(freeset, name);
    }
}

static void analyze(PmSymtable *st, PmScope *s, const NameSet *bound, NameSet *freeset)
{
    NameSet newbound = {0}, childfree = {0};
    for (int i = 0; i < bound->n; i++) set_add(&newbound, bound->names[i]);
    for (int i = 0; i < s->nsyms && !st->failed; i++) {
        PmSymbol *sym = &s->syms[i];
        analyze_name(st, s, sym, bound, freeset);
        if (s->kind == PM_BLOCK_FUNCTION) {
            if (sym->scope == PM_SC_LOCAL) set_add(&newbound, sym->name);
            else if (sym->scope == PM_SC_GLOBAL_EXPLICIT) set_remove(&newbound, sym->name);
        }
    }
    if (s->kind == PM_BLOCK_CLASS) set_add(&newbound, "__class__");
    for (int i = 0; i < s->nchildren && !st->failed; i++)
        analyze(st, s->children[i], &newbound, &childfree);
    if (!st->failed) absorb_child_free(st, s, &childfree, freeset);
    s->child_free = childfree.n > 0;
    free(newbound.names);
    free(childfree.names);
}

/* ------------------------------------------------------------------ entry points */

int pmsym_build(PmSymtable *st, pmast_node *module)
{
    memset(st, 0, sizeof *st);
    Walker w = {st, NULL};
    st->top = new_scope(st, PM_BLOCK_MODULE, module, "top", NULL);
    if (st->top == NULL) return -1;
    w.cur = st->top;
    visit_seq(&w, module->v.Module.body);
    if (!st->failed) {
        NameSet bound = {0}, freeset = {0};
        analyze(st, st->top, &bound, &freeset);
        free(bound.names);
        free(freeset.names);
    }
    return st->failed ? -1 : 0;
}

void pmsym_free(PmSymtable *st)
{
    for (int i = 0; i < st->nall; i++) {
        PmScope *s = st->all[i];
        free(s->children);
        free(s->syms);
        free(s->index);
        free(s->params);
        free(s);
    }
    free(st->all);
    for (int i = 0; i < st->nowned; i++) free(st->owned[i]);
    free(st->owned);
    memset(st, 0, sizeof *st);
}

/* The compiler asks for scopes in about the order the table made them, so the search starts
 * after the last one found and wraps around: a module of N functions costs O(N), not O(N^2). */
PmScope *pmsym_scope_for(PmSymtable *st, const pmast_node *node)
{
    for (int k = 0; k < st->nall; k++) {
        int i = (st->hint + k) % st->nall;
        if (st->all[i]->node == node) {
            st->hint = i + 1 < st->nall ? i + 1 : 0;
            return st->all[i];
        }
    }
    return NULL;
}

int pmsym_scope_of(PmScope *s, const char *name)
{
    PmSymbol *sym = pmsym_lookup(s, name);
    return sym && sym->scope ? sym->scope : PM_SC_GLOBAL_IMPLICIT;
}
