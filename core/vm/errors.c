/*
 * errors.c -- the error indicator: the exception being raised lives in vm->exc.
 *
 * C code raises by calling PmErr_* and returning NULL/-1; the eval loop picks vm->exc up,
 * attaches traceback entries and looks for a handler.  Like CPython, raising while another
 * exception is being handled records that one as __context__.
 */
#include "pm.h"

/* Build the exception instance for (type, value) as CPython's _PyErr_CreateException. */
static PmObject *create_exception(PmVM *vm, PmType *type, PmObject *value)
{
    if (value && PmExc_Check(value) && PmType_IsSubtype(Pm_TYPE(value), type))
        return Pm_NewRef(value);
    if (value == NULL || value == Pm_None(vm))
        return PmExc_New(vm, type, NULL, 0);
    if (Pm_IS_TYPE(vm, value, TUPLE))
        return PmExc_New(vm, type, ((PmTuple *)value)->ob_item, (size_t)Pm_SIZE(value));
    return PmExc_New(vm, type, &value, 1);
}

void pm_err_set_raised(PmVM *vm, PmObject *exc)
{
    pm_exc_chain_context(vm, exc);
    Pm_SETREF(vm, vm->exc, exc);
}

void PmErr_SetObject(PmVM *vm, PmType *type, PmObject *value)
{
    PmObject *exc = create_exception(vm, type, value);
    if (exc != NULL) pm_err_set_raised(vm, exc);
}

void PmErr_SetString(PmVM *vm, PmType *type, const char *msg)
{
    PmObject *s = PmStr_FromString(vm, msg);
    if (s == NULL) return;
    PmErr_SetObject(vm, type, s);
    Pm_DECREF(vm, s);
}

PmObject *PmErr_Format(PmVM *vm, PmType *type, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    PmObject *s = PmStr_FromFormatV(vm, fmt, ap);
    va_end(ap);
    if (s == NULL) return NULL;
    PmErr_SetObject(vm, type, s);
    Pm_DECREF(vm, s);
    return NULL;
}

/* MemoryError must be raisable when memory is gone: lift the limit briefly for the
 * exception object itself. */
PmObject *PmErr_NoMemory(PmVM *vm)
{
    size_t limit = pmmem_limit(&vm->mem);
    size_t bump = (size_t)64 << 10;
    pmmem_set_limit(&vm->mem, limit > SIZE_MAX - bump ? SIZE_MAX : limit + bump);
    PmObject *exc = PmExc_New(vm, PME(vm, MemoryError), NULL, 0);
    pmmem_set_limit(&vm->mem, limit);
    if (exc != NULL) pm_err_set_raised(vm, exc);
    return NULL;
}

PmObject *PmErr_BadArgument(PmVM *vm)
{
    PmErr_SetString(vm, PME(vm, TypeError), "bad argument type for built-in operation");
    return NULL;
}

bool PmErr_Occurred(PmVM *vm)
{
    return vm->exc != NULL;
}

bool PmErr_ExceptionMatches(PmVM *vm, PmType *type)
{
    return vm->exc != NULL && PmType_IsSubtype(Pm_TYPE(vm->exc), type);
}

void PmErr_Clear(PmVM *vm)
{
    Pm_CLEAR(vm, vm->exc);
}

PmObject *PmErr_Fetch(PmVM *vm)
{
    PmObject *e = vm->exc;
    vm->exc = NULL;
    return e;
}

void PmErr_Restore(PmVM *vm, PmObject *exc)
{
    Pm_SETREF(vm, vm->exc, exc);
}
