/*
 * types.h -- structs and APIs of the builtin types, one section per file in core/object/.
 * Included by pm.h; do not include directly.  Each type file defines its template
 * `const PmType PmXxx_Template` that vm/init.c copies into the VM.
 *
 * Modelled sizes quoted below are CPython 3.11 64-bit (sys.getsizeof).
 */
#ifndef PM_TYPES_H
#define PM_TYPES_H

/* ====================================================================== int.c, bool */
/* Arbitrary precision, CPython's representation: 30-bit digits, least significant first,
 * ob_size = number of digits with the sign of the value (0 for zero).
 * getsizeof = 24 + 4 * max(1, |ob_size|). */
typedef uint32_t pm_digit;
typedef uint64_t pm_twodigits;
typedef int64_t pm_stwodigits;
#define PM_LONG_SHIFT 30
#define PM_LONG_BASE ((pm_digit)1 << PM_LONG_SHIFT)
#define PM_LONG_MASK ((pm_digit)(PM_LONG_BASE - 1))
typedef struct PmLong {
    PmVarObject ob_base;
    pm_digit ob_digit[1];
} PmLong;
extern const PmType PmLong_Template, PmBool_Template;
#define PmLong_Check(o) (PmType_HasFeature(Pm_TYPE(o), PM_TPFLAGS_LONG_SUBCLASS))
/* Small ints (-5..256) and True/False: static objects made once per VM by vm/init.c
 * (after the int and bool types exist). */
void pm_int_init_small(PmVM *vm);
void pm_bool_init(PmVM *vm);
/* A new exact int with room for `size` digits and ob_size = size (CPython's _PyLong_New):
 * the caller fills the digits; "too many digits in integer" past CPython's limit. */
PmObject *PmLong_New(PmVM *vm, Pm_ssize_t size);
PmObject *PmLong_FromLongLong(PmVM *vm, long long v);   /* small ints come from the cache */
PmObject *PmLong_FromSsize_t(PmVM *vm, Pm_ssize_t v);
PmObject *PmLong_FromUnsignedLongLong(PmVM *vm, unsigned long long v);
PmObject *PmLong_FromDouble(PmVM *vm, double v);        /* truncates; errors for inf/nan */
/* Python's int(text, base) rules (whitespace, sign, underscores, prefixes for base 0);
 * ValueError "invalid literal for int() with base 10: 'x'" on failure. */
PmObject *PmLong_FromString(PmVM *vm, const char *s, size_t len, int base);
/* Literal digits from the parser (already validated, no underscores).  Decimal literals
 * past 4300 digits raise CPython's ValueError (the parser turns it into the SyntaxError). */
PmObject *PmLong_FromDigits(PmVM *vm, const char *digits, size_t len, int base);
/* int(x) for any object (CPython's PyNumber_Long: __int__, __index__, __trunc__, str). */
PmObject *PmLong_FromObject(PmVM *vm, PmObject *o);
int64_t PmLong_NumBits(PmObject *o);                      /* bit length of |o| */
long long PmLong_AsLongLongAndOverflow(PmVM *vm, PmObject *o, int *overflow);
Pm_ssize_t PmLong_AsSsize_t(PmVM *vm, PmObject *o);      /* -1 + OverflowError */
double PmLong_AsDouble(PmVM *vm, PmObject *o);           /* -1.0 + OverflowError */
/* str of the value in base 2, 8, 10 or 16, with "0b"/"0o"/"0x" prefix when `prefix`. */
PmObject *PmLong_Format(PmVM *vm, PmObject *o, int base, bool prefix);
int PmLong_Sign(PmObject *o);                             /* -1, 0, 1 */
PmObject *PmLong_Pow(PmVM *vm, PmObject *a, PmObject *b, PmObject *mod);
PmObject *PmLong_DivMod(PmVM *vm, PmObject *a, PmObject *b);   /* (q, r) tuple */
Pm_hash_t PmLong_Hash(PmObject *o);
PmObject *PmBool_FromLong(PmVM *vm, long v);

/* ====================================================================== float.c */
/* getsizeof 24; a free list of 100 like CPython's. */
typedef struct PmFloat {
    PmObject ob_base;
    double ob_fval;
} PmFloat;
extern const PmType PmFloat_Template;
#define PmFloat_Check(o) (Pm_KIND(o) == PMT_FLOAT)
PmObject *PmFloat_FromDouble(PmVM *vm, double v);
double PmFloat_AsDouble(PmVM *vm, PmObject *o);   /* float, int, __float__, __index__; -1.0 + exc */
/* float(x) for any object (CPython's PyNumber_Float: __float__, __index__, str). */
PmObject *PmFloat_FromObject(PmVM *vm, PmObject *o);
/* Free the float free list (gc.collect() of the oldest generation does, as CPython's). */
void PmFloat_ClearFreeList(PmVM *vm);
Pm_hash_t PmFloat_HashDouble(PmObject *inst, double v);

/* ====================================================================== str.c */
/* PEP 393 compact strings (str.c; methods in strmethods.c, formatting in strformat.c,
 * character properties in unicodectype.c).  `kind` is 1 (latin-1; `ascii` tells the ASCII
 * subset), 2 (UCS-2) or 4 (UCS-4), always the narrowest that fits (canonical form);
 * `length` code points are stored right after the struct with a terminating 0.
 * getsizeof: ASCII 49 + n, latin-1 73 + n, UCS-2 74 + 2n, UCS-4 76 + 4n (the modelled
 * allocation is exactly that).  PmStr is 48 bytes on 64-bit hosts, like PyASCIIObject.
 * `utf8` caches the UTF-8 form of a non-ASCII string in host memory (a Pm_ssize_t byte count,
 * then the bytes and a NUL); never counted in sizes. */
typedef struct PmStr {
    PmObject ob_base;
    Pm_ssize_t length;
    Pm_hash_t hash;         /* -1 until computed */
    uint8_t kind;
    uint8_t ascii;
    uint8_t interned;       /* 1: in vm->interned, whose two references are not counted */
    uint8_t is_static;      /* the empty string, latin-1 singletons, static identifiers */
    char *utf8;             /* NULL, or the cached UTF-8 copy (non-ASCII strings only) */
} PmStr;
extern const PmType PmStr_Template, PmStrIter_Template;
extern const PmMethodDef pm_str_methods[];
#define PmStr_Check(o) (PmType_HasFeature(Pm_TYPE(o), PM_TPFLAGS_UNICODE_SUBCLASS))
#define PmStr_DATA(o) ((void *)((PmStr *)(o) + 1))
#define PmStr_GET_LENGTH(o) (((PmStr *)(o))->length)
static inline uint32_t PmStr_READ(const PmObject *o, Pm_ssize_t i)
{
    const PmStr *s = (const PmStr *)o;
    const void *d = s + 1;
    return s->kind == 1 ? ((const uint8_t *)d)[i]
         : s->kind == 2 ? ((const uint16_t *)d)[i] : ((const uint32_t *)d)[i];
}
/* VM start-up (vm/init.c): the empty string and chr(0..255) once the str type exists; then,
 * once dict exists, vm->interned with the one-character identifiers CPython 3.11 has as
 * static interned strings ("x" the literal is not chr(120); "g" is).  0 or -1. */
int pm_str_init_singletons(PmVM *vm);
int pm_str_init_interned(PmVM *vm);
/* VM teardown: un-intern everything and drop vm->interned (CPython's _PyUnicode_ClearInterned). */
void pm_str_clear_interned(PmVM *vm);

/* Constructors.  All return canonical strings and the singletons for "" and one latin-1
 * character (like CPython's decoders and PyUnicode_FromKindAndData). */
/* UTF-8 in, generalized: encoded lone surrogates (from the parser) are accepted.  Never
 * fails on bad bytes: an invalid sequence decodes as U+FFFD (the core only passes valid
 * text).  NULL only for MemoryError. */
PmObject *PmStr_FromUTF8(PmVM *vm, const char *s, size_t len);
PmObject *PmStr_FromString(PmVM *vm, const char *cstr);
PmObject *PmStr_FromASCII(PmVM *vm, const char *s, Pm_ssize_t n);
PmObject *PmStr_FromKindAndData(PmVM *vm, int kind, const void *data, Pm_ssize_t n);
PmObject *PmStr_FromCodepoints(PmVM *vm, const uint32_t *cp, Pm_ssize_t n);
PmObject *PmStr_FromChar(PmVM *vm, uint32_t ch);        /* latin-1 chars come from the cache */
/* printf-like: %s (UTF-8 char *) %d %i %u %x with l/ll/z, %c (int code point), %p, %%,
 * %U (str object), %S (str() of an object), %R (repr()), %T (type name of an object);
 * optional width and .precision (%.200s, %5d, %05d) as CPython's PyUnicode_FromFormat. */
PmObject *PmStr_FromFormatV(PmVM *vm, const char *fmt, va_list ap);
PmObject *PmStr_FromFormat(PmVM *vm, const char *fmt, ...) PM_FMTCHECK(2, 3);
/* PyUnicode_New: an uninitialised string of n code points able to hold maxchar; n == 0 gives
 * the empty singleton.  Fill it completely before anyone else sees it. */
PmObject *PmStr_New(PmVM *vm, Pm_ssize_t n, uint32_t maxchar);

/* UTF-8 view valid while the str lives; NULL + MemoryError if it cannot be built.  Lone
 * surrogates come out as 3-byte sequences; the output path checks first with
 * PmStr_CheckEncodable (0, or -1 with "'utf-8' codec can't encode character '\ud800' in
 * position 0: surrogates not allowed", raised as UnicodeError until the VM has
 * UnicodeEncodeError). */
const char *PmStr_AsUTF8(PmVM *vm, PmObject *s, Pm_ssize_t *len);
int PmStr_CheckEncodable(PmVM *vm, PmObject *s);

/* Operations (CPython semantics, identities and messages). */
PmObject *PmStr_Concat(PmVM *vm, PmObject *a, PmObject *b);       /* a + b; TypeError if b not str */
/* PyUnicode_Append: *pleft += right, in place when CPython would resize in place (refcount
 * 1, hash not computed, not interned, right no wider).  0, or -1 with *pleft cleared. */
int PmStr_Append(PmVM *vm, PmObject **pleft, PmObject *right);
PmObject *PmStr_Repeat(PmVM *vm, PmObject *s, Pm_ssize_t n);
PmObject *PmStr_Substring(PmVM *vm, PmObject *s, Pm_ssize_t start, Pm_ssize_t end);
PmObject *PmStr_Join(PmVM *vm, PmObject *sep, PmObject *iterable);
/* _PyUnicode_JoinArray (BUILD_STRING of f-strings uses it with the empty separator). */
PmObject *pm_str_join_array(PmVM *vm, PmObject *sep, PmObject *const *items, Pm_ssize_t n);
int PmStr_Contains(PmVM *vm, PmObject *s, PmObject *sub);          /* `sub in s`; -1 + exc */
PmObject *PmStr_Format(PmVM *vm, PmObject *fmt, PmObject *args);   /* fmt % args */
bool PmStr_Equal(PmObject *a, PmObject *b);
bool PmStr_EqualToASCII(PmObject *s, const char *ascii);
int PmStr_Compare(PmObject *a, PmObject *b);            /* <0, 0, >0 by code point */
Pm_hash_t PmStr_Hash(PmObject *s);                      /* cached; hash("") == 0 */
PmObject *PmStr_Repr(PmVM *vm, PmObject *s);
PmObject *pm_str_ascii(PmVM *vm, PmObject *o);          /* ascii(o): repr with \x \u \U escapes */
/* Interning: replaces *p by the interned equal string (increfs it, decrefs the old one), or
 * interns *p itself.  Only exact str; never raises. */
void PmStr_InternInPlace(PmVM *vm, PmObject **p);
PmObject *PmStr_InternFromString(PmVM *vm, const char *cstr);
PmObject *PmStr_SysIntern(PmVM *vm, PmObject *s);       /* sys.intern(s), with its TypeErrors */
bool PmStr_IsIdentifier(PmObject *s);

/* Helpers shared by str.c, strmethods.c and strformat.c. */
int pm_str_kind_for(uint32_t maxchar);
uint32_t pm_str_max_char_value(PmObject *s);            /* PyUnicode_MAX_CHAR_VALUE */
uint32_t pm_str_find_max_char(PmObject *s, Pm_ssize_t start, Pm_ssize_t end);
void pm_str_copy_chars(int dkind, void *ddata, Pm_ssize_t dstart, int skind,
                       const void *sdata, Pm_ssize_t sstart, Pm_ssize_t n);
PmObject *pm_str_result(PmVM *vm, PmObject *s);         /* unicode_result (steals s) */
PmObject *pm_str_unchanged(PmVM *vm, PmObject *s);      /* s itself if exact, else a copy */
PmObject *pm_str_copy(PmVM *vm, PmObject *s);
PmObject *pm_str_new_sub(PmVM *vm, PmObject *s, Pm_ssize_t i, Pm_ssize_t j);
PmObject *pm_str_resize(PmVM *vm, PmObject *s, Pm_ssize_t n);  /* realloc a fresh string */
Pm_ssize_t pm_str_find(PmObject *s, PmObject *sub, Pm_ssize_t start, Pm_ssize_t end, int dir);
Pm_ssize_t pm_str_count(PmObject *s, PmObject *sub, Pm_ssize_t start, Pm_ssize_t end,
                        Pm_ssize_t maxcount);
size_t pm_str_utf8_encode_char(char *out, uint32_t ch);  /* 1..4 bytes */
int pm_str_parse_args(PmVM *vm, const char *fname, PmObject *const *args, size_t nargs,
                      PmObject *kwnames, const char *const *names, int n, PmObject **out);
PmObject *pm_str_format_method(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                               PmObject *kwnames);
PmObject *pm_str_format_map_method(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                   PmObject *kwnames);
PmObject *pm_str_format_spec_method(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                                    PmObject *kwnames);

/* CPython's _PyUnicodeWriter (strformat.c): builds a str in an over-allocatable buffer that
 * is a real str object; see strformat.c for the identity rules it reproduces. */
typedef struct PmStrWriter {
    PmObject *buffer;       /* NULL, the str being filled, or a shared str (readonly) */
    void *data;
    int kind;               /* 0 while read-only */
    uint32_t maxchar;
    Pm_ssize_t size, pos;
    Pm_ssize_t min_length;  /* smallest buffer to allocate */
    uint32_t min_char;
    uint8_t overallocate;   /* grow by 1/4 more than needed */
    uint8_t readonly;
} PmStrWriter;
void PmStrWriter_Init(PmStrWriter *w);
int PmStrWriter_Prepare(PmVM *vm, PmStrWriter *w, Pm_ssize_t length, uint32_t maxchar);
int PmStrWriter_WriteChar(PmVM *vm, PmStrWriter *w, uint32_t ch);
int PmStrWriter_WriteStr(PmVM *vm, PmStrWriter *w, PmObject *s);
int PmStrWriter_WriteSubstring(PmVM *vm, PmStrWriter *w, PmObject *s, Pm_ssize_t start,
                               Pm_ssize_t end);
int PmStrWriter_WriteASCII(PmVM *vm, PmStrWriter *w, const char *p, Pm_ssize_t n);
int PmStrWriter_WriteUTF8(PmVM *vm, PmStrWriter *w, const char *p, size_t nbytes);
PmObject *PmStrWriter_Finish(PmVM *vm, PmStrWriter *w);
void PmStrWriter_Dealloc(PmVM *vm, PmStrWriter *w);

/* Character database (unicodectype.c, generated from CPython 3.11 / Unicode 14.0.0). */
bool pm_unicode_isalpha(uint32_t ch);
bool pm_unicode_isdecimal(uint32_t ch);
bool pm_unicode_isdigit(uint32_t ch);
bool pm_unicode_isnumeric(uint32_t ch);
bool pm_unicode_isspace(uint32_t ch);
bool pm_unicode_islower(uint32_t ch);
bool pm_unicode_isupper(uint32_t ch);
bool pm_unicode_istitle(uint32_t ch);
bool pm_unicode_isprintable(uint32_t ch);
bool pm_unicode_iscased(uint32_t ch);
bool pm_unicode_iscaseignorable(uint32_t ch);
bool pm_unicode_isxidstart(uint32_t ch);
bool pm_unicode_isxidcontinue(uint32_t ch);
bool pm_unicode_islinebreak(uint32_t ch);
int pm_unicode_decimal(uint32_t ch);       /* 0..9, or -1 */
int pm_unicode_digit(uint32_t ch);         /* 0..9, or -1 */
/* Full case mappings (SpecialCasing included): 1 to 3 code points into out. */
int pm_unicode_upper_full(uint32_t ch, uint32_t *out);
int pm_unicode_lower_full(uint32_t ch, uint32_t *out);
int pm_unicode_title_full(uint32_t ch, uint32_t *out);
int pm_unicode_fold_full(uint32_t ch, uint32_t *out);

/* ====================================================================== tuple.c */
/* getsizeof 40 + 8n.  Free lists for sizes 1..19 (2000 each); () is a singleton. */
typedef struct PmTuple {
    PmVarObject ob_base;
    PmObject *ob_item[1];
} PmTuple;
extern const PmType PmTuple_Template;
#define PmTuple_Check(o) (PmType_HasFeature(Pm_TYPE(o), PM_TPFLAGS_TUPLE_SUBCLASS))
#define PmTuple_GET_SIZE(o) Pm_SIZE(o)
#define PmTuple_GET_ITEM(o, i) (((PmTuple *)(o))->ob_item[i])
#define PmTuple_SET_ITEM(o, i, v) (((PmTuple *)(o))->ob_item[i] = (v))   /* steals v */
PmObject *PmTuple_New(PmVM *vm, Pm_ssize_t n);          /* items NULL; tracked */
PmObject *PmTuple_FromArray(PmVM *vm, PmObject *const *items, Pm_ssize_t n); /* increfs */
PmObject *PmTuple_FromArraySteal(PmVM *vm, PmObject *const *items, Pm_ssize_t n);
PmObject *PmTuple_Pack(PmVM *vm, Pm_ssize_t n, ...);    /* increfs */
PmObject *PmTuple_GetSlice(PmVM *vm, PmObject *t, Pm_ssize_t lo, Pm_ssize_t hi);
/* The collector's untracking rule: untrack when every item is atomic or untracked. */
void PmTuple_MaybeUntrack(PmVM *vm, PmObject *t);
/* CPython's _PyTuple_Resize for a tuple still being built (refcount 1): realloc in place,
 * items past the new size are released, new ones are NULL.  On failure *pt is released and
 * set to NULL.  0 or -1. */
int PmTuple_Resize(PmVM *vm, PmObject **pt, Pm_ssize_t n);
/* vm/init.c: create the () singleton (static memory, like CPython's). */
void pm_tuple_init_empty(PmVM *vm);
/* Release the free lists (full collections, as CPython's clear_freelists; VM teardown). */
void PmTuple_ClearFreeList(PmVM *vm);
Pm_hash_t PmTuple_Hash(PmVM *vm, PmObject *t);
extern const PmType PmTupleIter_Template;

/* ====================================================================== list.c */
/* getsizeof 56 + 8 * allocated.  CPython 3.11's over-allocation in list_resize. */
typedef struct PmList {
    PmVarObject ob_base;
    PmObject **ob_item;
    Pm_ssize_t allocated;
} PmList;
extern const PmType PmList_Template;
#define PmList_Check(o) (PmType_HasFeature(Pm_TYPE(o), PM_TPFLAGS_LIST_SUBCLASS))
#define PmList_GET_SIZE(o) Pm_SIZE(o)
#define PmList_GET_ITEM(o, i) (((PmList *)(o))->ob_item[i])
#define PmList_SET_ITEM(o, i, v) (((PmList *)(o))->ob_item[i] = (v))     /* steals v */
PmObject *PmList_New(PmVM *vm, Pm_ssize_t n);   /* n NULL items, allocated == n; tracked */
int PmList_Append(PmVM *vm, PmObject *list, PmObject *item);          /* increfs item */
int PmList_Extend(PmVM *vm, PmObject *list, PmObject *iterable);
PmObject *PmList_AsTuple(PmVM *vm, PmObject *list);
PmObject *PmList_GetSlice(PmVM *vm, PmObject *list, Pm_ssize_t lo, Pm_ssize_t hi);
int PmList_Sort(PmVM *vm, PmObject *list, PmObject *key, bool reverse);
int PmList_Reverse(PmVM *vm, PmObject *list);
int PmList_Insert(PmVM *vm, PmObject *list, Pm_ssize_t where, PmObject *item); /* increfs */
/* CPython's PyList_SetSlice: list[lo:hi] = v (v NULL deletes). */
int PmList_SetSlice(PmVM *vm, PmObject *list, Pm_ssize_t lo, Pm_ssize_t hi, PmObject *v);
/* Release the free list (full collections, as CPython's clear_freelists; VM teardown). */
void PmList_ClearFreeList(PmVM *vm);
/* "[a, b]" / "(a, b)" from the reprs of items[0..n) (used by list and tuple). */
PmObject *pm_repr_items(PmVM *vm, char open, PmObject *const *items, Pm_ssize_t n, char close);
extern const PmType PmListIter_Template, PmListRevIter_Template;
/*
 * Construction protocol (type_call: tp_new then tp_init, as CPython's type_call):
 * list's tp_new only allocates (PyType_GenericAlloc: never the free list, tracked at once)
 * and tp_init is list.__init__ (clears, presizes from len(), extends).  tuple, range,
 * slice and the iterator types build everything in tp_new and have no tp_init of their own.
 */

/* ====================================================================== dict.c */
/* CPython 3.11's compact dict: an index table + entries in insertion order; str-only key
 * tables store (key, value) entries, general ones (hash, key, value).  `{}` shares the
 * empty keys object (getsizeof 64); 1-5 str keys 184, int keys 224, ...
 * ma_values != NULL for split tables (instance __dict__ sharing a class's keys). */
typedef struct PmDictKeys PmDictKeys;
typedef struct PmDict {
    PmObject ob_base;
    Pm_ssize_t ma_used;
    uint64_t ma_version_tag;
    PmDictKeys *ma_keys;
    PmObject **ma_values;
} PmDict;
extern const PmType PmDict_Template;
#define PmDict_Check(o) (PmType_HasFeature(Pm_TYPE(o), PM_TPFLAGS_DICT_SUBCLASS))
PmObject *PmDict_New(PmVM *vm);
PmObject *PmDict_GetItem_Borrow(PmVM *vm, PmObject *d, PmObject *key);     /* NULL: missing or error (check PmErr_Occurred) */
/* LOAD_GLOBAL: globals[name], else builtins[name], through the cache entry `c` (vm.h). */
PmObject *PmDict_LoadGlobal_Borrow(PmVM *vm, PmObject *globals, PmObject *builtins,
                                   PmObject *name, PmGlobalCache *c);
PmObject *PmDict_GetItemString_Borrow(PmVM *vm, PmObject *d, const char *key);
int PmDict_SetItem(PmVM *vm, PmObject *d, PmObject *key, PmObject *value); /* increfs both */
int PmDict_SetItemString(PmVM *vm, PmObject *d, const char *key, PmObject *value);
int PmDict_DelItem(PmVM *vm, PmObject *d, PmObject *key);  /* KeyError if missing */
int PmDict_Contains(PmVM *vm, PmObject *d, PmObject *key);
/* Iterate: pos starts at 0; returns 0 at the end; key/value borrowed. */
int PmDict_Next(PmObject *d, Pm_ssize_t *pos, PmObject **key, PmObject **value);
Pm_ssize_t PmDict_Size(PmObject *d);
PmObject *PmDict_Copy(PmVM *vm, PmObject *d);
int PmDict_Merge(PmVM *vm, PmObject *d, PmObject *other, bool override);
PmObject *PmDict_Keys(PmVM *vm, PmObject *d);   /* list */
PmObject *PmDict_Values(PmVM *vm, PmObject *d); /* list */
PmObject *PmDict_Items(PmVM *vm, PmObject *d);  /* list of tuples */
void PmDict_Clear(PmVM *vm, PmObject *d);
/* Pop: new reference to the value, or NULL; *found tells whether the key was there. */
PmObject *PmDict_Pop(PmVM *vm, PmObject *d, PmObject *key, bool *found);
/* The collector's rule: a dict is tracked only once it may hold a container. */
void PmDict_MaybeUntrack(PmVM *vm, PmObject *d);
/* CPython's _PyDict_NewPresized (general keys, room for minused entries). */
PmObject *PmDict_NewPresized(PmVM *vm, Pm_ssize_t minused);
/* CPython 3.11's _PyDict_FromItems, what BUILD_MAP and BUILD_CONST_KEY_MAP use:
 * {keys[i*koff]: values[i*voff]} presized for n items, str-key table if all keys are str. */
PmObject *PmDict_FromItems(PmVM *vm, PmObject *const *keys, Pm_ssize_t keys_offset,
                           PmObject *const *values, Pm_ssize_t values_offset, Pm_ssize_t n);
/* Variants with the hash already known (sets, kwargs). */
int PmDict_SetItemKnownHash(PmVM *vm, PmObject *d, PmObject *key, PmObject *value,
                            Pm_hash_t hash);
int PmDict_DelItemKnownHash(PmVM *vm, PmObject *d, PmObject *key, Pm_hash_t hash);
PmObject *PmDict_GetItemKnownHash_Borrow(PmVM *vm, PmObject *d, PmObject *key, Pm_hash_t hash);
int PmDict_ContainsKnownHash(PmVM *vm, PmObject *d, PmObject *key, Pm_hash_t hash);
int PmDict_NextHash(PmObject *d, Pm_ssize_t *pos, PmObject **key, PmObject **value,
                    Pm_hash_t *hash);
/* CPython's PyDict_SetDefault: the value for key (borrowed), inserting deflt if missing. */
PmObject *PmDict_SetDefault_Borrow(PmVM *vm, PmObject *d, PmObject *key, PmObject *deflt);
/* d.update(iterable of pairs); override false keeps existing keys. */
int PmDict_MergeFromSeq2(PmVM *vm, PmObject *d, PmObject *seq2, bool override);
/* override: 0 keep existing, 1 replace, 2 KeyError on duplicates (CALL_FUNCTION_EX **). */
int PmDict_MergeEx(PmVM *vm, PmObject *d, PmObject *other, int override);
/* Free the dict and keys free lists (VM teardown; full collections, as CPython does). */
void PmDict_ClearFreeList(PmVM *vm);
extern const PmType PmDictKeys_Template, PmDictValues_Template, PmDictItems_Template,
    PmDictKeyIter_Template, PmDictValueIter_Template, PmDictItemIter_Template,
    PmDictRevKeyIter_Template, PmDictRevValueIter_Template, PmDictRevItemIter_Template;
/* A keys/values/items view (kind PMT_DICT_KEYS, PMT_DICT_VALUES or PMT_DICT_ITEMS). */
PmObject *PmDictView_New(PmVM *vm, PmObject *dict, int kind);

/* ====================================================================== set.c */
/* CPython 3.11's set: open addressing with linear probes, same table sizes and order.
 * getsizeof 216 up to 4 items (8-slot small table), then 728, 2264, 8408 ... */
typedef struct PmSetEntry {
    PmObject *key;
    Pm_hash_t hash;
} PmSetEntry;
enum { PM_SET_MINSIZE = 8 };
typedef struct PmSet {
    PmObject ob_base;
    Pm_ssize_t fill, used, mask;
    PmSetEntry *table;
    Pm_hash_t hash;         /* frozenset only */
    Pm_ssize_t finger;
    PmSetEntry smalltable[PM_SET_MINSIZE];
    PmObject *weakreflist;
} PmSet;
extern const PmType PmSet_Template, PmFrozenSet_Template;
#define PmAnySet_Check(o) (Pm_KIND(o) == PMT_SET || Pm_KIND(o) == PMT_FROZENSET)
PmObject *PmSet_New(PmVM *vm, PmObject *iterable);        /* iterable may be NULL */
PmObject *PmFrozenSet_New(PmVM *vm, PmObject *iterable);
int PmSet_Add(PmVM *vm, PmObject *set, PmObject *key);
int PmSet_Discard(PmVM *vm, PmObject *set, PmObject *key);  /* 1 found, 0 not, -1 error */
int PmSet_Contains(PmVM *vm, PmObject *set, PmObject *key);
Pm_ssize_t PmSet_Size(PmObject *set);
int PmSet_Next(PmObject *set, Pm_ssize_t *pos, PmObject **key, Pm_hash_t *hash);
/* In-place algebra used by dict views (CPython's _PySet_Update and the *_update methods). */
int PmSet_Update(PmVM *vm, PmObject *set, PmObject *iterable);
int PmSet_DifferenceUpdate(PmVM *vm, PmObject *set, PmObject *other);
int PmSet_SymmetricDifferenceUpdate(PmVM *vm, PmObject *set, PmObject *other);
PmObject *PmSet_Intersection(PmVM *vm, PmObject *set, PmObject *other);   /* set.intersection */
extern const PmType PmSetIter_Template;

/* ====================================================================== slice.c */
/* getsizeof 56 (GC).  Unhashable in 3.11.  One freed slice is cached in vm->slice_cache. */
typedef struct PmSlice {
    PmObject ob_base;
    PmObject *start, *stop, *step;   /* None when omitted */
} PmSlice;
extern const PmType PmSlice_Template;
#define PmSlice_Check(o) (Pm_KIND(o) == PMT_SLICE)
/* CPython's _PyIndex_Check: has __index__ (nb_index). */
static inline bool PmIndex_Check(PmObject *o) { return Pm_TYPE(o)->tp_as_number.nb_index != NULL; }
#define PM_SSIZE_MAX ((Pm_ssize_t)INT64_MAX)
#define PM_SSIZE_MIN ((Pm_ssize_t)INT64_MIN)
/* NULL start/stop/step mean None (BUILD_SLICE with 2 arguments passes step NULL). */
PmObject *PmSlice_New(PmVM *vm, PmObject *start, PmObject *stop, PmObject *step);
/* PySlice_Unpack: Pm_ssize_t bounds clamped, defaults filled in; 0 or -1 (exc). */
int PmSlice_Unpack(PmVM *vm, PmObject *slice, Pm_ssize_t *start, Pm_ssize_t *stop,
                   Pm_ssize_t *step);
/* PySlice_AdjustIndices: clamp to a sequence of `length`; returns the slice length. */
Pm_ssize_t PmSlice_AdjustIndices(Pm_ssize_t length, Pm_ssize_t *start, Pm_ssize_t *stop,
                                 Pm_ssize_t step);
/* _PySlice_GetLongIndices: new references to int start/stop/step for `length` (any size). */
int PmSlice_GetLongIndices(PmVM *vm, PmObject *slice, PmObject *length, PmObject **start,
                           PmObject **stop, PmObject **step);
/* _PyEval_SliceIndex (None leaves *pi alone) and _PyEval_SliceIndexNotNone; 0 or -1. */
int PmSlice_Index(PmVM *vm, PmObject *v, Pm_ssize_t *pi);
int PmSlice_IndexNotNone(PmVM *vm, PmObject *v, Pm_ssize_t *pi);
void PmSlice_Fini(PmVM *vm);   /* VM teardown: free the cached slice */

/* ====================================================================== range.c */
/* getsizeof 48, not GC.  length is computed once (an int).  Iterators: range_iterator
 * (C 64-bit fields, getsizeof 48) or longrange_iterator (int objects, getsizeof 48). */
typedef struct PmRange {
    PmObject ob_base;
    PmObject *start, *stop, *step, *length;
} PmRange;
extern const PmType PmRange_Template, PmRangeIter_Template, PmLongRangeIter_Template;
#define PmRange_Check(o) (Pm_KIND(o) == PMT_RANGE)

/* ====================================================================== iterobject.c */
/* The iterator for objects that only have __getitem__ (PMT_SEQ_ITER, "iterator"),
 * and the builtin iterator types enumerate, zip, map, filter, reversed. */
PmObject *pm_seqiter_new(PmVM *vm, PmObject *seq);
/* iter(callable, sentinel) (PMT_CALL_ITER). */
PmObject *pm_calliter_new(PmVM *vm, PmObject *callable, PmObject *sentinel);
extern const PmType PmCallIter_Template;
extern const PmType PmSeqIter_Template, PmEnumerate_Template, PmZip_Template, PmMap_Template,
    PmFilter_Template, PmReversed_Template;
/* tp_iter of every iterator type: returns self. */
PmObject *PmObject_SelfIter(PmVM *vm, PmObject *o);
/* CPython's PyObject_LengthHint: len(), else __length_hint__, else dflt; -1 + exc. */
Pm_ssize_t PmObject_LengthHint(PmVM *vm, PmObject *o, Pm_ssize_t dflt);
/* PySequence_Check (not a dict, has sq_item) and PySequence_GetItem (negative i adjusted). */
bool PmSequence_Check(PmObject *o);
PmObject *PmSequence_GetItem(PmVM *vm, PmObject *o, Pm_ssize_t i);
/* _PySequence_IterSearch: PM_ITERSEARCH_COUNT / _INDEX / _CONTAINS; -1 + exc on error
 * (ValueError "sequence.index(x): x not in sequence" for a missing index). */
enum { PM_ITERSEARCH_COUNT = 1, PM_ITERSEARCH_INDEX = 2, PM_ITERSEARCH_CONTAINS = 3 };
Pm_ssize_t PmSequence_IterSearch(PmVM *vm, PmObject *seq, PmObject *obj, int operation);

/* ====================================================================== weakrefobject.c */
/* weakref.ref (ReferenceType, subclassable), ProxyType and CallableProxyType: CPython 3.11's
 * PyWeakReference, getsizeof 80 (64 + GC head).
 *
 * Every object whose type supports weak references has a list head (a PmObject * that is
 * really a PmWeakRef *) at tp_weaklistoffset (type objects: PmType.tp_weaklist), heading a
 * doubly-linked list of the live weakrefs to it, in CPython's order:
 *     [basic ref] [basic proxy] [newest weakref with callback ... oldest]
 * The basic ref is the exact-ref weakref without callback (shared: ref(o) is ref(o)); the
 * basic proxy the proxy without callback.  Callbacks therefore run newest first.
 * wr_object is the referent (a borrowed pointer) while alive, NULL once cleared; a cleared
 * weakref is in no list. */
typedef struct PmWeakRef {
    PmObject ob_base;
    PmObject *wr_object;          /* borrowed; NULL when cleared (CPython: Py_None) */
    PmObject *wr_callback;        /* owned, or NULL */
    Pm_hash_t hash;               /* -1 until hash(ref) is computed */
    struct PmWeakRef *wr_prev, *wr_next;
} PmWeakRef;
extern const PmType PmWeakRef_Template, PmWeakProxy_Template, PmWeakCallableProxy_Template;
#define PmWeakref_CheckRef(o) (Pm_KIND(o) == PMT_WEAKREF)
#define PmWeakref_CheckProxy(o) (Pm_KIND(o) == PMT_WEAKPROXY || Pm_KIND(o) == PMT_WEAKCALLABLEPROXY)
#define PmWeakref_Check(o) (PmWeakref_CheckRef(o) || PmWeakref_CheckProxy(o))
/* Address of the weakref list head of `o`, or NULL when its type refuses weak references
 * (CPython's _PyType_SUPPORTS_WEAKREFS + _PyObject_GET_WEAKREFS_LISTPTR). */
PmObject **pm_weakref_listptr(PmObject *o);
/* weakref.ref(ob, callback) / weakref.proxy(ob, callback); callback NULL or None: none. */
PmObject *PmWeakref_NewRef(PmVM *vm, PmObject *ob, PmObject *callback);
PmObject *PmWeakref_NewProxy(PmVM *vm, PmObject *ob, PmObject *callback);
/* The referent (borrowed) or NULL when dead. */
PmObject *PmWeakref_GetObject_Borrow(PmObject *ref);
/* weakref.getweakrefcount(o): 0 for types without weakref support. */
Pm_ssize_t PmWeakref_GetWeakrefCount(PmObject *o);
/* (pm_weakref_clear_all and the collector hooks are declared in pm.h.) */

/* lib/weakrefmodule.c: the _weakref and weakref modules (the Python part is compiled from
 * lib/weakref_py.h, generated from lib/weakref_src.py by lib/gen_weakref_py.py). */
PmObject *pm_weakrefmodule_init_c(PmVM *vm);     /* _weakref */
PmObject *pm_weakrefmodule_init(PmVM *vm);       /* weakref */
/* End of a run (vm/init.c, before __main__ is cleared): run the weakref.finalize objects
 * still alive with atexit true, newest first, as CPython's atexit hook does. */
void pm_weakref_atexit(PmVM *vm);
/* After the run's final collection: let finalizers run again in the lab's next run (the
 * atexit pass above stops them, as CPython's shutdown does). */
void pm_weakref_atexit_done(PmVM *vm);

#include "object/runtime_types.h"

#endif /* PM_TYPES_H */
