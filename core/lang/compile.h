/*
 * compile.h -- AST to code objects.
 */
#ifndef PM_COMPILE_H
#define PM_COMPILE_H

#include "pm.h"
#include "lang/parser.h"

/* Compile a parsed module.  Returns the module's code object, or NULL with either a
 * Python exception set on the VM (MemoryError) or *err filled with a SyntaxError the
 * compiler detected ('return' outside function, ...) and err->type != NULL.
 * *arena receives a list holding every literal and folded constant object (CPython's AST
 * arena, which lives until the module has run: keep it as long, then release it). */
PmObject *pm_compile_module(PmVM *vm, pmast_node *module, const char *filename,
                            pmparse_error *err, PmObject **arena);

/* The same, also appending the compiler's SyntaxWarnings to `warnings` (the parse result
 * the module came from: pmparse_add_warning), in the order CPython 3.11 issues them.  Up to
 * a SyntaxError the compiler finds, as CPython, which stops at the first error. */
PmObject *pm_compile_module_warn(PmVM *vm, pmast_node *module, const char *filename,
                                 pmparse_error *err, PmObject **arena, pmparse_result *warnings);

#endif /* PM_COMPILE_H */
