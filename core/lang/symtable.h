/*
 * symtable.h -- which scope each name belongs to (CPython's symtable.c, in small).
 *
 * One PmScope per module, class, function, lambda and comprehension.  After analysis every
 * symbol of a scope has one of the SC_* results below, which decides the instruction the
 * compiler emits for it (FAST, DEREF, GLOBAL or NAME ops).
 */
#ifndef PM_SYMTABLE_H
#define PM_SYMTABLE_H

#include "lang/ast.h"
#include "lang/parser.h"
#include <stdbool.h>

enum {
    PM_DEF_LOCAL = 1, PM_DEF_PARAM = 2, PM_DEF_GLOBAL = 4, PM_DEF_NONLOCAL = 8,
    PM_DEF_USE = 16, PM_DEF_IMPORT = 32, PM_DEF_FREE_CLASS = 64
};
enum { PM_SC_LOCAL = 1, PM_SC_GLOBAL_EXPLICIT, PM_SC_GLOBAL_IMPLICIT, PM_SC_FREE, PM_SC_CELL };
typedef enum { PM_BLOCK_MODULE, PM_BLOCK_FUNCTION, PM_BLOCK_CLASS } PmBlockKind;

typedef struct PmSymbol {
    const char *name;
    int flags;
    int scope;           /* PM_SC_*, after analysis */
    int lineno, col;     /* first definition, for errors */
    const pmast_node *decl;   /* the global/nonlocal statement, for errors */
} PmSymbol;

typedef struct PmScope {
    PmBlockKind kind;
    const pmast_node *node;       /* Module, FunctionDef, Lambda, ClassDef or a comprehension */
    const char *name;
    struct PmScope *parent;
    struct PmScope **children;
    int nchildren, capchildren;
    PmSymbol *syms;
    int nsyms, capsyms;
    int *index;                   /* open-addressing hash of syms by name, -1 empty */
    int indexcap;
    const char **params;          /* parameter names in co_varnames order */
    int nparams;
    bool generator, comprehension, needs_class_closure, child_free;
} PmScope;

typedef struct PmSymtable {
    PmScope *top;
    PmScope **all;                /* every scope, for lookup by node */
    int nall, capall;
    int hint;                     /* where pmsym_scope_for starts: after its last find */
    char **owned;                 /* names the table made (`import a.b` binds "a"); freed */
    int nowned, capowned;         /* with the table */
    pmparse_error error;          /* set when building or analysing fails */
    bool failed;
} PmSymtable;

/* Build and analyse the table for a module.  Returns 0, or -1 with st->error set (a
 * SyntaxError such as "no binding for nonlocal 'x' found"). */
int pmsym_build(PmSymtable *st, pmast_node *module);
void pmsym_free(PmSymtable *st);
PmScope *pmsym_scope_for(PmSymtable *st, const pmast_node *node);
PmSymbol *pmsym_lookup(PmScope *s, const char *name);
/* PM_SC_* for a name in a scope (names the table never saw are implicit globals). */
int pmsym_scope_of(PmScope *s, const char *name);

#endif /* PM_SYMTABLE_H */
