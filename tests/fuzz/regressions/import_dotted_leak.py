# `import a.b` made a copy of "a" for the symbol table and never freed it (LeakSanitizer:
# core/lang/symtable.c visit_import); the table now owns and frees it.
import we.kref
