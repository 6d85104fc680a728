/*
 * float.c -- float: one C double in a 24-byte object (PmFloat in types.h).
 *
 * Free list (CPython 3.11's): up to PM_FLOAT_MAXFREELIST (100) dead exact floats are kept on
 * vm->float_free, linked through their ob_type field, and reused by the next
 * PmFloat_FromDouble without asking the allocator (so the block, its tracemalloc trace and
 * often its id are recycled).  A full collection empties it (PmFloat_ClearFreeList), as
 * CPython's gc does.
 *
 * Arithmetic, comparison, hashing and rounding follow Objects/floatobject.c of 3.11,
 * including its exact messages.  One divergence: CPython answers a negative number raised
 * to a fractional power with a complex number; complex is not in the subset, so we raise
 * ValueError("negative number cannot be raised to a fractional power") (Python 2's text).
 */
#include <float.h>
#include <math.h>

#include "pm.h"
#include "trace/pm_trace.h"
#include "lib/fmt.h"

#define MODEL_SIZE 24            /* sizeof(PyFloatObject) on 64-bit CPython */
#define FVAL(o) (((PmFloat *)(o))->ob_fval)

static PmObject *not_implemented(PmVM *vm) { return Pm_NewRef(Pm_NotImplemented(vm)); }

/* ====================================================================== constructors */

PmObject *PmFloat_FromDouble(PmVM *vm, double v)
{
    PmObject *op = vm->float_free;
    if (op) {
        vm->float_free = (PmObject *)Pm_TYPE(op);
        vm->float_numfree--;
        op->ob_refcnt = 1;
        op->ob_type = PMT(vm, FLOAT);
        pm_tracemalloc_new_reference(vm, op);   /* CPython's _Py_NewReference */
        if (PM_UNLIKELY(vm->trace != NULL)) pm_trace_alloc(vm, (PmObject *)op, true);
    } else {
        op = pm_object_alloc(vm, PMT(vm, FLOAT), sizeof(PmFloat), MODEL_SIZE);
        if (op == NULL) return NULL;
    }
    FVAL(op) = v;
    return op;
}

void PmFloat_ClearFreeList(PmVM *vm)
{
    while (vm->float_free) {
        PmObject *op = vm->float_free;
        vm->float_free = (PmObject *)Pm_TYPE(op);
        op->ob_type = PMT(vm, FLOAT);
        pm_object_free(vm, op);
    }
    vm->float_numfree = 0;
}

/* float(s) for a str s (CPython's PyFloat_FromString). */
static PmObject *float_from_string(PmVM *vm, PmObject *v)
{
    if (!PmStr_Check(v))
        return PmErr_Format(vm, PME(vm, TypeError),
                            "float() argument must be a string or a real number, not '%.200s'",
                            Pm_TYPE(v)->tp_name);
    Pm_ssize_t len;
    const char *s = PmStr_AsUTF8(vm, v, &len);
    if (s == NULL) return NULL;
    double x;
    int st = pmfmt_parse_float(s, (size_t)len, &x);
    if (st == PMFMT_ERR_MEMORY) return PmErr_NoMemory(vm);
    if (st != PMFMT_OK)
        return PmErr_Format(vm, PME(vm, ValueError), "could not convert string to float: %R", v);
    return PmFloat_FromDouble(vm, x);
}

/* The double of a __float__ result; consumes res.  -1.0 + exc on error. */
static double float_result(PmVM *vm, PmObject *op, PmObject *res)
{
    if (res == NULL) return -1.0;
    if (!PmFloat_Check(res)) {
        PmErr_Format(vm, PME(vm, TypeError), "%.50s.__float__ returned non-float (type %.50s)",
                     Pm_TYPE(op)->tp_name, Pm_TYPE(res)->tp_name);
        Pm_DECREF(vm, res);
        return -1.0;
    }
    double val = FVAL(res);
    Pm_DECREF(vm, res);
    return val;
}

/* The double of __index__(op); -1.0 + exc on error. */
static double index_as_double(PmVM *vm, PmObject *op)
{
    PmObject *res = PmNumber_Index(vm, op);
    if (res == NULL) return -1.0;
    double val = PmLong_AsDouble(vm, res);
    Pm_DECREF(vm, res);
    return val;
}

double PmFloat_AsDouble(PmVM *vm, PmObject *op)
{
    if (PmFloat_Check(op)) return FVAL(op);
    const PmNumberMethods *nb = &Pm_TYPE(op)->tp_as_number;
    if (nb->nb_float == NULL) {
        if (nb->nb_index) return index_as_double(vm, op);
        PmErr_Format(vm, PME(vm, TypeError), "must be real number, not %.50s", Pm_TYPE(op)->tp_name);
        return -1.0;
    }
    return float_result(vm, op, nb->nb_float(vm, op));
}

/* float(x) for any object (CPython's PyNumber_Float). */
PmObject *PmFloat_FromObject(PmVM *vm, PmObject *o)
{
    if (Pm_TYPE(o) == PMT(vm, FLOAT)) return Pm_NewRef(o);
    const PmNumberMethods *m = &Pm_TYPE(o)->tp_as_number;
    if (m->nb_float) {
        PmObject *res = m->nb_float(vm, o);
        if (res == NULL || Pm_TYPE(res) == PMT(vm, FLOAT)) return res;
        double val = float_result(vm, o, res);
        if (val == -1.0 && PmErr_Occurred(vm)) return NULL;
        return PmFloat_FromDouble(vm, val);
    }
    if (m->nb_index) {
        double val = index_as_double(vm, o);
        if (val == -1.0 && PmErr_Occurred(vm)) return NULL;
        return PmFloat_FromDouble(vm, val);
    }
    if (PmFloat_Check(o)) return PmFloat_FromDouble(vm, FVAL(o));
    return float_from_string(vm, o);
}

/* ====================================================================== dealloc */

static void float_dealloc(PmVM *vm, PmObject *op)
{
    if (Pm_TYPE(op) == PMT(vm, FLOAT) && vm->float_numfree < PM_FLOAT_MAXFREELIST) {
        vm->float_numfree++;
        op->ob_type = (PmType *)vm->float_free;
        vm->float_free = op;
        return;
    }
    if (PmObject_IS_GC(op)) pm_gc_untrack(vm, op);   /* a heap subclass (GC type) */
    pm_object_free(vm, op);
}

/* ====================================================================== repr */

static PmObject *fmtbuf_to_str(PmVM *vm, PmFmtBuf *b, int st)
{
    PmObject *r = NULL;
    if (st == PMFMT_ERR_MEMORY || b->failed) PmErr_NoMemory(vm);
    else if (st == PMFMT_ERR_PRECISION) PmErr_SetString(vm, PME(vm, ValueError), PMFMT_MSG_PRECISION);
    else if (st != PMFMT_OK) PmErr_SetString(vm, PME(vm, ValueError), pmfmt_status_message(st));
    else r = PmStr_FromUTF8(vm, b->data ? b->data : "", b->len);
    pmfmt_buf_free(b);
    return r;
}

static PmObject *float_repr(PmVM *vm, PmObject *op)
{
    PmFmtBuf b;
    pmfmt_buf_init(&b, 0, NULL, NULL);
    return fmtbuf_to_str(vm, &b, pmfmt_float_repr(FVAL(op), &b));
}

/* ====================================================================== hash, compare */

#define HASH_BITS 61
#define HASH_MODULUS (((uint64_t)1 << HASH_BITS) - 1)
#define HASH_INF 314159

/* CPython's _Py_HashDouble: equal to hash(int(v)) for integral v; nan hashes by identity. */
Pm_hash_t PmFloat_HashDouble(PmObject *inst, double v)
{
    if (!isfinite(v)) {
        if (isinf(v)) return v > 0 ? HASH_INF : -HASH_INF;
        return pm_hash_pointer(inst);
    }
    int e, sign = 1;
    double m = frexp(v, &e);
    if (m < 0) { sign = -1; m = -m; }
    uint64_t x = 0;
    while (m) {                      /* 28 bits at a time */
        x = ((x << 28) & HASH_MODULUS) | x >> (HASH_BITS - 28);
        m *= 268435456.0;
        e -= 28;
        uint64_t y = (uint64_t)m;
        m -= (double)y;
        x += y;
        if (x >= HASH_MODULUS) x -= HASH_MODULUS;
    }
    e = e >= 0 ? e % HASH_BITS : HASH_BITS - 1 - ((-1 - e) % HASH_BITS);
    x = ((x << e) & HASH_MODULUS) | x >> (HASH_BITS - e);
    x = sign < 0 ? 0 - x : x;
    if (x == (uint64_t)-1) x = (uint64_t)-2;
    return (Pm_hash_t)x;
}

static Pm_hash_t float_hash(PmVM *vm, PmObject *op)
{
    (void)vm;
    return PmFloat_HashDouble(op, FVAL(op));
}

static bool compare_doubles(double i, double j, int op)
{
    switch (op) {
    case Pm_EQ: return i == j;
    case Pm_NE: return i != j;
    case Pm_LE: return i <= j;
    case Pm_GE: return i >= j;
    case Pm_LT: return i < j;
    default: return i > j;
    }
}

/* v (a finite nonzero double) against int w with the same sign and more than 48 bits:
 * exactly, without rounding w to a double.  Returns a new bool, or NULL + exc. */
static PmObject *compare_with_big_int(PmVM *vm, double i, PmObject *w, int op, int64_t nbits)
{
    int exponent, vsign = i < 0.0 ? -1 : 1;
    (void)frexp(i, &exponent);
    if (exponent < nbits) return Pm_Bool(vm, compare_doubles(0.0, i, op));
    if (exponent > nbits) return Pm_Bool(vm, compare_doubles(i, 0.0, op));
    double intpart, fracpart = modf(i, &intpart);
    if (fracpart != 0.0) {
        switch (op) {
        case Pm_EQ: return Pm_Bool(vm, 0);
        case Pm_NE: return Pm_Bool(vm, 1);
        case Pm_LT: case Pm_LE: op = vsign > 0 ? Pm_LT : Pm_LE; break;
        default: op = vsign > 0 ? Pm_GE : Pm_GT; break;
        }
    }
    PmObject *vv = PmLong_FromDouble(vm, intpart);
    if (vv == NULL) return NULL;
    int r = PmObject_RichCompareBool(vm, vv, w, op);
    Pm_DECREF(vm, vv);
    return r < 0 ? NULL : Pm_Bool(vm, r);
}

/* float v against int w, exactly (CPython's float_richcompare). */
static PmObject *compare_with_int(PmVM *vm, double i, PmObject *w, int op)
{
    if (!isfinite(i)) return Pm_Bool(vm, compare_doubles(i, 0.0, op));
    int vsign = i == 0.0 ? 0 : i < 0.0 ? -1 : 1;
    int wsign = PmLong_Sign(w);
    if (vsign != wsign) return Pm_Bool(vm, compare_doubles(vsign, wsign, op));
    int64_t nbits = PmLong_NumBits(w);
    if (nbits > DBL_MAX_EXP) return Pm_Bool(vm, compare_doubles(vsign, wsign * 2.0, op));
    if (nbits <= 48) return Pm_Bool(vm, compare_doubles(i, PmLong_AsDouble(vm, w), op));
    return compare_with_big_int(vm, i, w, op, nbits);
}

static PmObject *float_richcompare(PmVM *vm, PmObject *v, PmObject *w, int op)
{
    double i = FVAL(v);
    if (PmFloat_Check(w)) return Pm_Bool(vm, compare_doubles(i, FVAL(w), op));
    if (PmLong_Check(w)) return compare_with_int(vm, i, w, op);
    return not_implemented(vm);
}

/* ====================================================================== arithmetic */

/* CPython's CONVERT_TO_DOUBLE: 0 ok, 1 not a float or int (NotImplemented), -1 error. */
static int to_double(PmVM *vm, PmObject *o, double *d)
{
    if (PmFloat_Check(o)) {
        *d = FVAL(o);
        return 0;
    }
    if (!PmLong_Check(o)) return 1;
    *d = PmLong_AsDouble(vm, o);
    return *d == -1.0 && PmErr_Occurred(vm) ? -1 : 0;
}

/* Both operands as doubles; returns NULL to go on, else the slot's answer. */
#define CONVERT_BOTH(vm, v, w, a, b) do { \
        int s_ = to_double(vm, v, &a); \
        if (s_ == 0) s_ = to_double(vm, w, &b); \
        if (s_ > 0) return not_implemented(vm); \
        if (s_ < 0) return NULL; } while (0)

static PmObject *zero_division(PmVM *vm, const char *msg)
{
    PmErr_SetString(vm, PME(vm, ZeroDivisionError), msg);
    return NULL;
}

static PmObject *float_add(PmVM *vm, PmObject *v, PmObject *w)
{
    double a, b;
    CONVERT_BOTH(vm, v, w, a, b);
    return PmFloat_FromDouble(vm, a + b);
}

static PmObject *float_sub(PmVM *vm, PmObject *v, PmObject *w)
{
    double a, b;
    CONVERT_BOTH(vm, v, w, a, b);
    return PmFloat_FromDouble(vm, a - b);
}

static PmObject *float_mul(PmVM *vm, PmObject *v, PmObject *w)
{
    double a, b;
    CONVERT_BOTH(vm, v, w, a, b);
    return PmFloat_FromDouble(vm, a * b);
}

static PmObject *float_div(PmVM *vm, PmObject *v, PmObject *w)
{
    double a, b;
    CONVERT_BOTH(vm, v, w, a, b);
    if (b == 0.0) return zero_division(vm, "float division by zero");
    return PmFloat_FromDouble(vm, a / b);
}

static PmObject *float_rem(PmVM *vm, PmObject *v, PmObject *w)
{
    double vx, wx;
    CONVERT_BOTH(vm, v, w, vx, wx);
    if (wx == 0.0) return zero_division(vm, "float modulo");
    double mod = fmod(vx, wx);
    if (mod) {
        if ((wx < 0) != (mod < 0)) mod += wx;   /* the sign of the divisor */
    } else {
        mod = copysign(0.0, wx);
    }
    return PmFloat_FromDouble(vm, mod);
}

static void float_div_mod(double vx, double wx, double *floordiv, double *mod)
{
    *mod = fmod(vx, wx);
    double div = (vx - *mod) / wx;
    if (*mod) {
        if ((wx < 0) != (*mod < 0)) {
            *mod += wx;
            div -= 1.0;
        }
    } else {
        *mod = copysign(0.0, wx);
    }
    if (div) {
        *floordiv = floor(div);
        if (div - *floordiv > 0.5) *floordiv += 1.0;
    } else {
        *floordiv = copysign(0.0, vx / wx);
    }
}

static PmObject *float_divmod(PmVM *vm, PmObject *v, PmObject *w)
{
    double vx, wx, mod, floordiv;
    CONVERT_BOTH(vm, v, w, vx, wx);
    if (wx == 0.0) return zero_division(vm, "float divmod()");
    float_div_mod(vx, wx, &floordiv, &mod);
    PmObject *t = PmTuple_New(vm, 2);      /* Py_BuildValue("(dd)"): the tuple first */
    if (t == NULL) return NULL;
    PmObject *a = PmFloat_FromDouble(vm, floordiv);
    if (a) PmTuple_SET_ITEM(t, 0, a);
    PmObject *b = a ? PmFloat_FromDouble(vm, mod) : NULL;
    if (b == NULL) {
        if (a == NULL) PmTuple_SET_ITEM(t, 0, Pm_NewRef(Pm_None(vm)));
        PmTuple_SET_ITEM(t, 1, Pm_NewRef(Pm_None(vm)));
        Pm_DECREF(vm, t);
        return NULL;
    }
    PmTuple_SET_ITEM(t, 1, b);
    return t;
}

static PmObject *float_floor_div(PmVM *vm, PmObject *v, PmObject *w)
{
    double vx, wx, mod, floordiv;
    CONVERT_BOTH(vm, v, w, vx, wx);
    if (wx == 0.0) return zero_division(vm, "float floor division by zero");
    float_div_mod(vx, wx, &floordiv, &mod);
    return PmFloat_FromDouble(vm, floordiv);
}

static bool is_odd_integer(double x) { return fmod(fabs(x), 2.0) == 1.0; }

/* OverflowError(34, 'Numerical result out of range'): CPython's PyErr_SetFromErrno(ERANGE),
 * which raises the class with the (errno, strerror) tuple as its arguments. */
static PmObject *range_error(PmVM *vm)
{
    PmObject *code = PmLong_FromLongLong(vm, 34);
    PmObject *msg = code ? PmStr_FromString(vm, "Numerical result out of range") : NULL;
    PmObject *args = msg ? PmTuple_Pack(vm, 2, code, msg) : NULL;
    if (args) PmErr_SetObject(vm, PME(vm, OverflowError), args);
    Pm_XDECREF(vm, code);
    Pm_XDECREF(vm, msg);
    Pm_XDECREF(vm, args);
    return NULL;
}

/* The special cases of float ** float that do not reach libm's pow (CPython's order).
 * Returns true with *r set when one applies. */
static bool pow_special(double iv, double iw, double *r)
{
    if (iw == 0) { *r = 1.0; return true; }
    if (isnan(iv)) { *r = iv; return true; }
    if (isnan(iw)) { *r = iv == 1.0 ? 1.0 : iw; return true; }
    if (isinf(iw)) {
        iv = fabs(iv);
        if (iv == 1.0) *r = 1.0;
        else if ((iw > 0.0) == (iv > 1.0)) *r = fabs(iw);
        else *r = 0.0;
        return true;
    }
    if (isinf(iv)) {
        bool odd = is_odd_integer(iw);
        if (iw > 0.0) *r = odd ? iv : fabs(iv);
        else *r = odd ? copysign(0.0, iv) : 0.0;
        return true;
    }
    return false;
}

static PmObject *float_pow(PmVM *vm, PmObject *v, PmObject *w, PmObject *z)
{
    if (z != NULL && z != Pm_None(vm)) {
        PmErr_SetString(vm, PME(vm, TypeError),
                        "pow() 3rd argument not allowed unless all arguments are integers");
        return NULL;
    }
    double iv, iw, ix;
    CONVERT_BOTH(vm, v, w, iv, iw);
    if (pow_special(iv, iw, &ix)) return PmFloat_FromDouble(vm, ix);
    if (iv == 0.0) {
        if (iw < 0.0) return zero_division(vm, "0.0 cannot be raised to a negative power");
        return PmFloat_FromDouble(vm, is_odd_integer(iw) ? iv : 0.0);
    }
    bool negate = false;
    if (iv < 0.0) {
        if (iw != floor(iw)) {
            PmErr_SetString(vm, PME(vm, ValueError),
                            "negative number cannot be raised to a fractional power");
            return NULL;
        }
        iv = -iv;
        negate = is_odd_integer(iw);
    }
    if (iv == 1.0) return PmFloat_FromDouble(vm, negate ? -1.0 : 1.0);
    ix = pow(iv, iw);                 /* iv > 0, != 1, both finite: inf only on overflow */
    if (isinf(ix)) return range_error(vm);
    return PmFloat_FromDouble(vm, negate ? -ix : ix);
}

static PmObject *float_neg(PmVM *vm, PmObject *v) { return PmFloat_FromDouble(vm, -FVAL(v)); }
static PmObject *float_abs(PmVM *vm, PmObject *v) { return PmFloat_FromDouble(vm, fabs(FVAL(v))); }

static int float_bool(PmVM *vm, PmObject *v)
{
    (void)vm;
    return FVAL(v) != 0.0;
}

/* float(v) for a float v: v itself when exact. */
static PmObject *float_float(PmVM *vm, PmObject *v)
{
    if (Pm_TYPE(v) == PMT(vm, FLOAT)) return Pm_NewRef(v);
    return PmFloat_FromDouble(vm, FVAL(v));
}

static PmObject *float_trunc(PmVM *vm, PmObject *v) { return PmLong_FromDouble(vm, FVAL(v)); }

/* ====================================================================== float() */

static PmObject *float_subtype_new(PmVM *vm, PmType *type, PmObject *x);

static PmObject *float_new_impl(PmVM *vm, PmType *type, PmObject *x)
{
    if (type != PMT(vm, FLOAT)) return float_subtype_new(vm, type, x);
    if (x == NULL) return PmFloat_FromDouble(vm, 0.0);
    if (Pm_TYPE(x) == PMT(vm, STR)) return float_from_string(vm, x);
    return PmFloat_FromObject(vm, x);
}

/* An instance of a heap subclass of float: the float struct alone (the class machinery gives
 * these subclasses no attribute storage), modelled as CPython's PyType_GenericAlloc. */
static PmObject *float_subtype_alloc(PmVM *vm, PmType *type)
{
    size_t model = (size_t)type->tp_basicsize;
    if (PmType_HasFeature(type, PM_TPFLAGS_HAVE_GC)) model += PM_MODEL_GC_HEAD;
    if (PmType_HasFeature(type, PM_TPFLAGS_MANAGED_DICT)) model += PM_MODEL_MANAGED_PRE;
    return pm_object_alloc(vm, type, sizeof(PmFloat), model);
}

static PmObject *float_subtype_new(PmVM *vm, PmType *type, PmObject *x)
{
    PmObject *tmp = float_new_impl(vm, PMT(vm, FLOAT), x);
    if (tmp == NULL) return NULL;
    PmObject *o = float_subtype_alloc(vm, type);
    if (o) {
        FVAL(o) = FVAL(tmp);
        /* heap subclasses are GC types; tracked (as in CPython) once the class machinery
         * gives them a tp_traverse (it visits the type) */
        if (PmObject_IS_GC(o) && Pm_TYPE(o)->tp_traverse) pm_gc_track(vm, o);
    }
    Pm_DECREF(vm, tmp);
    return o;
}

/* float(x=0, /) */
static PmObject *float_new(PmVM *vm, PmType *type, PmObject *const *args, size_t nargs,
                           PmObject *kwnames)
{
    if (pm_no_kwargs(vm, "float", kwnames) < 0) return NULL;
    if (pm_check_positional(vm, "float", nargs, 0, 1) < 0) return NULL;
    return float_new_impl(vm, type, nargs ? args[0] : NULL);
}

/* ====================================================================== methods */

#define NOARGS_UNUSED (void)args; (void)nargs; (void)kwnames

static PmObject *float_conjugate(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                 PmObject *kwnames)
{
    NOARGS_UNUSED;
    return float_float(vm, self);
}

static PmObject *float_trunc_meth(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                  PmObject *kwnames)
{
    NOARGS_UNUSED;
    return PmLong_FromDouble(vm, FVAL(self));
}

static PmObject *float_floor_meth(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                  PmObject *kwnames)
{
    NOARGS_UNUSED;
    return PmLong_FromDouble(vm, floor(FVAL(self)));
}

static PmObject *float_ceil_meth(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                 PmObject *kwnames)
{
    NOARGS_UNUSED;
    return PmLong_FromDouble(vm, ceil(FVAL(self)));
}

static PmObject *float_is_integer(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                  PmObject *kwnames)
{
    NOARGS_UNUSED;
    double x = FVAL(self);
    return Pm_Bool(vm, isfinite(x) && floor(x) == x);
}

/* round(x, ndigits) with ndigits an int (clipped like PyNumber_AsSsize_t(o, NULL)). */
static PmObject *float_round_digits(PmVM *vm, double x, PmObject *o_ndigits)
{
    const int ndigits_max = (int)((DBL_MANT_DIG - DBL_MIN_EXP) * 0.30103);
    const int ndigits_min = -(int)((DBL_MAX_EXP + 1) * 0.30103);
    Pm_ssize_t ndigits = PmNumber_AsSsize_t(vm, o_ndigits, NULL);
    if (ndigits == -1 && PmErr_Occurred(vm)) return NULL;
    if (!isfinite(x)) return PmFloat_FromDouble(vm, x);
    if (ndigits > ndigits_max) return PmFloat_FromDouble(vm, x);
    if (ndigits < ndigits_min) return PmFloat_FromDouble(vm, 0.0 * x);
    double rounded;
    if (pmfmt_round_double(x, (int)ndigits, &rounded) != PMFMT_OK) {
        PmErr_SetString(vm, PME(vm, OverflowError), PMFMT_MSG_ROUND_OVERFLOW);
        return NULL;
    }
    return PmFloat_FromDouble(vm, rounded);
}

static PmObject *float_round(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)kwnames;
    if (pm_check_positional(vm, "__round__", nargs, 0, 1) < 0) return NULL;
    double x = FVAL(self);
    if (nargs == 0 || args[0] == Pm_None(vm))
        return PmLong_FromDouble(vm, pmfmt_round_half_even(x));
    return float_round_digits(vm, x, args[0]);
}

static PmObject *float_as_integer_ratio(PmVM *vm, PmObject *self, PmObject *const *args,
                                        size_t nargs, PmObject *kwnames)
{
    NOARGS_UNUSED;
    double x = FVAL(self);
    if (isinf(x)) {
        PmErr_SetString(vm, PME(vm, OverflowError), "cannot convert Infinity to integer ratio");
        return NULL;
    }
    if (isnan(x)) {
        PmErr_SetString(vm, PME(vm, ValueError), "cannot convert NaN to integer ratio");
        return NULL;
    }
    int exponent;
    double float_part = frexp(x, &exponent);
    for (int i = 0; i < 300 && float_part != floor(float_part); i++) {
        float_part *= 2.0;
        exponent--;
    }
    PmObject *numerator = PmLong_FromDouble(vm, float_part), *denominator = NULL, *e = NULL;
    PmObject *result = NULL;
    if (numerator == NULL) return NULL;
    if ((denominator = PmLong_FromLongLong(vm, 1)) == NULL) goto done;
    if ((e = PmLong_FromLongLong(vm, exponent < 0 ? -exponent : exponent)) == NULL) goto done;
    PmObject **target = exponent > 0 ? &numerator : &denominator;
    PmObject *shifted = PMT(vm, INT)->tp_as_number.nb_lshift(vm, *target, e);
    if (shifted == NULL) goto done;
    Pm_DECREF(vm, *target);
    *target = shifted;
    result = PmTuple_Pack(vm, 2, numerator, denominator);
done:
    Pm_XDECREF(vm, e);
    Pm_XDECREF(vm, denominator);
    Pm_DECREF(vm, numerator);
    return result;
}

/* float.hex() (CPython's float_hex). */
static PmObject *float_hex(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                           PmObject *kwnames)
{
    NOARGS_UNUSED;
    enum { TOHEX_NBITS = DBL_MANT_DIG + 3 - (DBL_MANT_DIG + 2) % 4 };
    static const char hexdigits[] = "0123456789abcdef";
    double x = FVAL(self), m;
    if (isnan(x) || isinf(x)) return float_repr(vm, self);
    if (x == 0.0) return PmStr_FromString(vm, copysign(1.0, x) == -1.0 ? "-0x0.0p+0" : "0x0.0p+0");
    int e;
    m = frexp(fabs(x), &e);
    int shift = 1 - (DBL_MIN_EXP - e > 0 ? DBL_MIN_EXP - e : 0);
    m = ldexp(m, shift);
    e -= shift;
    char s[(TOHEX_NBITS - 1) / 4 + 3];
    int si = 0;
    s[si++] = hexdigits[(int)m];
    m -= (int)m;
    s[si++] = '.';
    for (int i = 0; i < (TOHEX_NBITS - 1) / 4; i++) {
        m *= 16.0;
        s[si++] = hexdigits[(int)m];
        m -= (int)m;
    }
    char out[sizeof s + 16], *p = out;
    if (x < 0.0) *p++ = '-';
    *p++ = '0';
    *p++ = 'x';
    memcpy(p, s, (size_t)si);
    p += si;
    *p++ = 'p';
    *p++ = e < 0 ? '-' : '+';
    char digits[12];
    int nd = 0;
    for (unsigned u = (unsigned)(e < 0 ? -e : e); nd == 0 || u; u /= 10) digits[nd++] = (char)('0' + u % 10);
    while (nd) *p++ = digits[--nd];
    return PmStr_FromUTF8(vm, out, (size_t)(p - out));
}

/* ------------------------------------------------------------------ float.fromhex */

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static bool is_ascii_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static bool starts_with_nocase(const char *s, const char *word)
{
    for (; *word; s++, word++)
        if (*s == '\0' || (*s | 0x20) != *word) return false;
    return true;
}

/* CPython's _Py_parse_inf_or_nan: "[+-]inf", "[+-]infinity", "[+-]nan" in any case;
 * *end == p when there is none. */
static double parse_inf_or_nan(const char *p, const char **end)
{
    const char *s = p;
    bool negate = *s == '-';
    if (*s == '-' || *s == '+') s++;
    double v;
    if (starts_with_nocase(s, "inf")) {
        s += 3;
        if (starts_with_nocase(s, "inity")) s += 5;
        v = negate ? -HUGE_VAL : HUGE_VAL;
    } else if (starts_with_nocase(s, "nan")) {
        s += 3;
        v = negate ? -NAN : NAN;
    } else {
        s = p;
        v = -1.0;
    }
    *end = s;
    return v;
}

/* The hex digits of a coefficient [start, end) with `fdigits` of them after the point:
 * digit(j) is the j-th least significant one. */
typedef struct HexCoeff {
    const char *end;
    int64_t fdigits;
} HexCoeff;

static int hex_digit(const HexCoeff *c, int64_t j)
{
    return hex_value(*(j < c->fdigits ? c->end - j : c->end - 1 - j));
}

enum { HEX_BAD = -1, HEX_OVERFLOW = -2, HEX_TOO_LONG = -3 };

/* The value of a hex coefficient times 2**exp, correctly rounded (CPython's float_fromhex,
 * with its 64-bit `long` limits).  0, or HEX_OVERFLOW. */
static int hex_round(const HexCoeff *c, int64_t ndigits, int64_t exp, double *out)
{
    const int64_t long_min = INT64_MIN, long_max = INT64_MAX;
    while (ndigits > 0 && hex_digit(c, ndigits - 1) == 0) ndigits--;
    if (ndigits == 0 || exp < long_min / 2) { *out = 0.0; return 0; }
    if (exp > long_max / 2) return HEX_OVERFLOW;
    exp -= 4 * c->fdigits;
    int64_t top_exp = exp + 4 * (ndigits - 1);
    for (int digit = hex_digit(c, ndigits - 1); digit != 0; digit /= 2) top_exp++;
    if (top_exp < DBL_MIN_EXP - DBL_MANT_DIG) { *out = 0.0; return 0; }
    if (top_exp > DBL_MAX_EXP) return HEX_OVERFLOW;
    int64_t lsb = (top_exp > DBL_MIN_EXP ? top_exp : DBL_MIN_EXP) - DBL_MANT_DIG;
    double x = 0.0;
    if (exp >= lsb) {                       /* exact */
        for (int64_t i = ndigits - 1; i >= 0; i--) x = 16.0 * x + hex_digit(c, i);
        *out = ldexp(x, (int)exp);
        return 0;
    }
    /* round half to even at bit lsb - exp - 1, in digit key_digit */
    int half_eps = 1 << (int)((lsb - exp - 1) % 4);
    int64_t key_digit = (lsb - exp - 1) / 4;
    for (int64_t i = ndigits - 1; i > key_digit; i--) x = 16.0 * x + hex_digit(c, i);
    int digit = hex_digit(c, key_digit);
    x = 16.0 * x + (double)(digit & (16 - 2 * half_eps));
    if ((digit & half_eps) != 0) {
        bool round_up = (digit & (3 * half_eps - 1)) != 0 ||
                        (half_eps == 8 && key_digit + 1 < ndigits &&
                         (hex_digit(c, key_digit + 1) & 1) != 0);
        for (int64_t i = key_digit - 1; !round_up && i >= 0; i--) round_up = hex_digit(c, i) != 0;
        if (round_up) {
            x += 2 * half_eps;
            if (top_exp == DBL_MAX_EXP && x == ldexp((double)(2 * half_eps), DBL_MANT_DIG))
                return HEX_OVERFLOW;
        }
    }
    *out = ldexp(x, (int)(exp + 4 * key_digit));
    return 0;
}

/* Parse "[ws][sign][0x]coeff[.frac][p exp][ws]" (or an infinity or nan): 0, or HEX_*. */
static int parse_hex_float(const char *s, const char *s_end, double *out)
{
    while (is_ascii_space(*s)) s++;
    const char *end;
    double x = parse_inf_or_nan(s, &end);
    bool negate = false;
    if (end != s) {
        s = end;
    } else {
        if (*s == '-' || *s == '+') negate = *s++ == '-';
        if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s += 2;
        const char *coeff_start = s;
        while (hex_value(*s) >= 0) s++;
        const char *point = s;
        HexCoeff c;
        if (*s == '.') {
            s++;
            while (hex_value(*s) >= 0) s++;
            c.end = s - 1;
        } else {
            c.end = s;
        }
        int64_t ndigits = c.end - coeff_start;
        c.fdigits = c.end - point;
        if (ndigits == 0) return HEX_BAD;
        int64_t limit = (DBL_MIN_EXP - DBL_MANT_DIG - INT64_MIN / 2);
        if (INT64_MAX / 2 + 1 - DBL_MAX_EXP < limit) limit = INT64_MAX / 2 + 1 - DBL_MAX_EXP;
        if (ndigits > limit / 4) return HEX_TOO_LONG;
        int64_t exp = 0;
        if (*s == 'p' || *s == 'P') {
            const char *exp_start = ++s;
            if (*s == '-' || *s == '+') s++;
            if (!(*s >= '0' && *s <= '9')) return HEX_BAD;
            while (*s >= '0' && *s <= '9') s++;
            exp = (int64_t)strtoll(exp_start, NULL, 10);
        }
        int r = hex_round(&c, ndigits, exp, &x);
        if (r < 0) return r;
    }
    while (is_ascii_space(*s)) s++;
    if (s != s_end) return HEX_BAD;
    *out = negate ? -x : x;
    return 0;
}

/* float.fromhex(string), a classmethod: cls(value) for a subclass. */
static PmObject *float_fromhex(PmVM *vm, PmObject *cls, PmObject *const *args, size_t nargs,
                               PmObject *kwnames)
{
    (void)nargs; (void)kwnames;
    if (!PmStr_Check(args[0])) return PmErr_BadArgument(vm);
    Pm_ssize_t len;
    const char *s = PmStr_AsUTF8(vm, args[0], &len);
    if (s == NULL) return NULL;
    double x = 0.0;
    switch (parse_hex_float(s, s + len, &x)) {
    case HEX_BAD:
        return PmErr_Format(vm, PME(vm, ValueError), "invalid hexadecimal floating-point string");
    case HEX_OVERFLOW:
        return PmErr_Format(vm, PME(vm, OverflowError),
                            "hexadecimal value too large to represent as a float");
    case HEX_TOO_LONG:
        return PmErr_Format(vm, PME(vm, ValueError), "hexadecimal string too long to convert");
    }
    PmObject *r = PmFloat_FromDouble(vm, x);
    if (r && cls != (PmObject *)PMT(vm, FLOAT)) Pm_SETREF(vm, r, PmObject_CallOneArg(vm, cls, r));
    return r;
}

/* float.__getformat__(typestr), a classmethod: how C stores a double or a float here. */
static PmObject *float_getformat(PmVM *vm, PmObject *cls, PmObject *const *args, size_t nargs,
                                 PmObject *kwnames)
{
    (void)cls; (void)nargs; (void)kwnames;
    if (!PmStr_Check(args[0])) {
        return PmErr_Format(vm, PME(vm, TypeError), "__getformat__() argument must be str, not %.50s",
                            args[0] == Pm_None(vm) ? "None" : Pm_TYPE(args[0])->tp_name);
    }
    Pm_ssize_t len;
    const char *s = PmStr_AsUTF8(vm, args[0], &len);
    if (s == NULL) return NULL;
    if ((size_t)len != strlen(s)) return PmErr_Format(vm, PME(vm, ValueError), "embedded null character");
    if (strcmp(s, "double") != 0 && strcmp(s, "float") != 0) {
        return PmErr_Format(vm, PME(vm, ValueError),
                            "__getformat__() argument 1 must be 'double' or 'float'");
    }
    return PmStr_FromString(vm, "IEEE, little-endian");
}

/* float.__getnewargs__(): (float(self),), for pickling. */
static PmObject *float_getnewargs(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                  PmObject *kwnames)
{
    (void)args; (void)nargs; (void)kwnames;
    PmObject *v = PmFloat_FromDouble(vm, FVAL(self));
    if (v == NULL) return NULL;
    PmObject *t = PmTuple_Pack(vm, 1, v);
    Pm_DECREF(vm, v);
    return t;
}

static PmObject *float_format(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                              PmObject *kwnames)
{
    (void)nargs; (void)kwnames;
    PmObject *spec = args[0];
    if (!PmStr_Check(spec))
        return PmErr_Format(vm, PME(vm, TypeError), "__format__() argument must be str, not %.200s",
                            Pm_TYPE(spec)->tp_name);
    Pm_ssize_t len;
    const char *sp = PmStr_AsUTF8(vm, spec, &len);
    if (sp == NULL) return NULL;
    if (len == 0) return PmObject_Str(vm, self);
    PmFmtSpec s;
    PmFmtBuf b;
    pmfmt_buf_init(&b, pm_host_buffer_limit(vm), NULL, NULL);
    int st = pmfmt_parse_spec(sp, (size_t)len, PMFMT_FLOAT, Pm_TYPE(self)->tp_name, &s, &b);
    if (st == PMFMT_ERR_SPEC) {
        PmErr_SetString(vm, PME(vm, ValueError), b.data ? b.data : "");
        pmfmt_buf_free(&b);
        return NULL;
    }
    if (st == PMFMT_OK) {
        pmfmt_buf_reset(&b);
        st = pmfmt_format_float(FVAL(self), &s, &b);
    }
    return fmtbuf_to_str(vm, &b, st);
}

static PmObject *float_get_real(PmVM *vm, PmObject *self) { return float_float(vm, self); }
static PmObject *float_get_imag(PmVM *vm, PmObject *self)
{
    (void)self;
    return PmFloat_FromDouble(vm, 0.0);
}

static const PmMethodDef float_methods[] = {
    {"conjugate", float_conjugate, PM_METH_NOARGS},
    {"__trunc__", float_trunc_meth, PM_METH_NOARGS},
    {"__floor__", float_floor_meth, PM_METH_NOARGS},
    {"__ceil__", float_ceil_meth, PM_METH_NOARGS},
    {"__round__", float_round, PM_METH_VARARGS},
    {"as_integer_ratio", float_as_integer_ratio, PM_METH_NOARGS},
    {"fromhex", float_fromhex, PM_METH_O | PM_METH_CLASS},
    {"hex", float_hex, PM_METH_NOARGS},
    {"is_integer", float_is_integer, PM_METH_NOARGS},
    {"__getnewargs__", float_getnewargs, PM_METH_NOARGS},
    {"__getformat__", float_getformat, PM_METH_O | PM_METH_CLASS},
    {"__format__", float_format, PM_METH_O},
    {NULL, NULL, 0}
};

static const PmGetSetDef float_getset[] = {
    {"real", float_get_real, NULL},
    {"imag", float_get_imag, NULL},
    {NULL, NULL, NULL}
};

/* ====================================================================== type template */

const PmType PmFloat_Template = {
    .tp_name = "float",
    .tp_doc = "float(x=0, /)\n"
              "--\n"
              "\n"
              "Convert a string or number to a floating point number, if possible.",
    .tp_basicsize = MODEL_SIZE,
    .tp_itemsize = 0,
    .tp_flags = PM_TPFLAGS_BASETYPE,
    .tp_kind = PMT_FLOAT,
    .tp_dealloc = float_dealloc,
    .tp_repr = float_repr,
    .tp_as_number = {
        .nb_add = float_add, .nb_subtract = float_sub, .nb_multiply = float_mul,
        .nb_remainder = float_rem, .nb_divmod = float_divmod, .nb_power = float_pow,
        .nb_negative = float_neg, .nb_positive = float_float, .nb_absolute = float_abs,
        .nb_bool = float_bool, .nb_int = float_trunc, .nb_float = float_float,
        .nb_floor_divide = float_floor_div, .nb_true_divide = float_div,
    },
    .tp_hash = float_hash,
    .tp_getattro = PmObject_GenericGetAttr,
    .tp_richcompare = float_richcompare,
    .tp_methods = float_methods,
    .tp_getset = float_getset,
    .tp_new = float_new,
};
