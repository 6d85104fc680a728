/*
 * copyregmodule.c -- the copyreg module (CPython's Lib/copyreg.py).
 *
 * CPython imports copyreg while starting up; object.__reduce_ex__, __reduce__ and
 * __getstate__ (object/reduce.c) use its helpers.  Here the module is made from the Python
 * source lib/copyreg_src.py (compiled in as lib/copyreg_py.h) the first time a program
 * imports it or one of those methods needs it, as a start-up import: no automatic
 * collection runs meanwhile and gc.get_count() does not move (pm_module_make_as_startup).
 */
#include "pm.h"
#include "lib/copyreg_py.h"

#define COPYREG_FILE "/usr/lib/python3.11/copyreg.py"

static PmObject *copyregmodule_create(PmVM *vm)
{
    PmObject *m = PmModule_New(vm, "copyreg");
    if (m == NULL) return NULL;
    PmObject *d = ((PmModule *)m)->md_dict;
    PmObject *doc = PmStr_FromString(vm, "Helper to provide extensibility for pickle.\n\n"
                                         "This is only useful to add pickle support for extension types defined in\n"
                                         "C, not for instances of user-defined classes.\n");
    PmObject *file = PmStr_FromString(vm, COPYREG_FILE);
    int r = doc && file ? 0 : -1;
    if (r == 0) r = PmDict_SetItem(vm, d, PMID(vm, __doc__), doc);
    if (r == 0) r = PmDict_SetItem(vm, d, PMID(vm, __file__), file);
    if (r == 0) r = PmDict_SetItem(vm, d, PMID(vm, __builtins__), vm->builtins);
    Pm_XDECREF(vm, doc);
    Pm_XDECREF(vm, file);
    if (r == 0)
        r = pm_module_exec_source(vm, d, pm_copyreg_py_src, sizeof pm_copyreg_py_src - 1,
                                  COPYREG_FILE);
    if (r < 0) {
        Pm_DECREF(vm, m);
        return NULL;
    }
    return m;
}

PmObject *pm_copyregmodule_init(PmVM *vm)
{
    return pm_module_make_as_startup(vm, copyregmodule_create);
}
