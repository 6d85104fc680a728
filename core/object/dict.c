/*
 * dict.c -- dict, CPython 3.11's compact insertion-ordered hash table (Objects/dictobject.c).
 *
 * The layout of the keys object, its invariants and the modelled sizes are in dict_impl.h.
 * Views and iterators live in dictview.c.  What a learner can see and this file reproduces:
 *   - sizes: `{}` shares the empty keys object (getsizeof 64); the first key allocates an
 *     8-slot table (str keys: 16-byte entries, other keys: 24-byte entries); the table grows
 *     to the next power of two above used*3 when it runs out of usable entries, and never
 *     shrinks on deletion; clear() returns to the shared empty keys;
 *   - order: insertion order; deletion leaves a dummy index and a hole in the entries;
 *   - GC tracking: a new dict is untracked and becomes tracked when a key or value that may
 *     be a container is stored (MAINTAIN_TRACKING); the collector untracks atomic-only dicts;
 *   - teardown: entries released in insertion order, key before value;
 *   - free lists: 80 dict objects and 80 8-slot str-key tables (vm->dict_free,
 *     vm->dictkeys_free).
 */
#include "dict_impl.h"
#include "trace/pm_trace.h"

#define PERTURB_SHIFT 5
#define GROWTH_RATE(d) ((d)->ma_used * 3)

static const struct {
    PmDictKeys k;
    int8_t indices[8];
} empty_keys_struct = {
    { 1, 0, 0, PM_DICT_KEYS_UNICODE, 1, 0, 0 },
    { -1, -1, -1, -1, -1, -1, -1, -1 }
};
const PmDictKeys *const pm_dict_empty_keys = &empty_keys_struct.k;

static bool is_exact_str(PmVM *vm, PmObject *o) { return Pm_TYPE(o) == PMT(vm, STR); }
static bool is_exact_dict(PmVM *vm, PmObject *o) { return Pm_TYPE(o) == PMT(vm, DICT); }

/* The cached hash of an exact str (computed on first use). */
static Pm_hash_t str_hash(PmObject *s)
{
    Pm_hash_t h = ((PmStr *)s)->hash;
    return h != -1 ? h : PmStr_Hash(s);
}

static Pm_hash_t key_hash(PmVM *vm, PmObject *key)
{
    return is_exact_str(vm, key) ? str_hash(key) : PmObject_Hash(vm, key);
}

static void set_key_error(PmVM *vm, PmObject *key)
{
    PmObject *exc = PmExc_New(vm, PME(vm, KeyError), &key, 1);
    if (exc)
        PmErr_Restore(vm, exc);
}

/* CPython's _PyObject_GC_MAY_BE_TRACKED: could `o` ever be part of a cycle? */
static bool may_be_tracked(PmVM *vm, PmObject *o)
{
    if (!PmObject_IS_GC(o))
        return false;
    if (Pm_TYPE(o) == PMT(vm, TUPLE))
        return pm_gc_is_tracked(o);
    if (PmType_Check(o))    /* type_is_gc: only heap types are GC objects */
        return PmType_HasFeature((PmType *)o, PM_TPFLAGS_HEAPTYPE);
    return true;
}

static void maintain_tracking(PmVM *vm, PmDict *mp, PmObject *key, PmObject *value)
{
    if (!pm_gc_is_tracked((PmObject *)mp)
        && (may_be_tracked(vm, key) || may_be_tracked(vm, value)))
        pm_gc_track(vm, (PmObject *)mp);
}

/* ====================================================================== keys objects */

static Pm_ssize_t keys_get_index(const PmDictKeys *keys, uint64_t i)
{
    const char *ind = (const char *)keys + sizeof(PmDictKeys);
    int log2size = DK_LOG_SIZE(keys);
    if (log2size < 8)
        return ((const int8_t *)ind)[i];
    if (log2size < 16)
        return ((const int16_t *)ind)[i];
    if (log2size >= 32)
        return (Pm_ssize_t)((const int64_t *)ind)[i];
    return ((const int32_t *)ind)[i];
}

static void keys_set_index(PmDictKeys *keys, uint64_t i, Pm_ssize_t ix)
{
    char *ind = DK_INDICES(keys);
    int log2size = DK_LOG_SIZE(keys);
    if (log2size < 8)
        ((int8_t *)ind)[i] = (int8_t)ix;
    else if (log2size < 16)
        ((int16_t *)ind)[i] = (int16_t)ix;
    else if (log2size >= 32)
        ((int64_t *)ind)[i] = (int64_t)ix;
    else
        ((int32_t *)ind)[i] = (int32_t)ix;
}

/* Smallest log2 table size (>= 3) with 2**log2 >= minsize. */
static uint8_t calculate_log2_keysize(Pm_ssize_t minsize)
{
    uint64_t m = (((uint64_t)minsize) | PM_DICT_MINSIZE) - 1;
    uint8_t n = 0;
    for (m |= PM_DICT_MINSIZE - 1; m; m >>= 1)
        n++;
    return n;
}

/* Log2 size of a table that holds n entries without resizing. */
static uint8_t estimate_log2_keysize(Pm_ssize_t n)
{
    return calculate_log2_keysize((n * 3 + 1) / 2);
}

static int log2_index_bytes(uint8_t log2_size)
{
    if (log2_size < 8)
        return log2_size;
    if (log2_size < 16)
        return log2_size + 1;
    if (log2_size >= 32)
        return log2_size + 3;
    return log2_size + 2;
}

static size_t keys_real_size(uint8_t log2_size, bool unicode)
{
    size_t es = unicode ? sizeof(PmDictUEntry) : sizeof(PmDictEntry);
    return sizeof(PmDictKeys) + ((size_t)1 << log2_index_bytes(log2_size))
           + es * PM_USABLE_FRACTION((size_t)1 << log2_size);
}

/* CPython's _PyDict_KeysSize: the modelled bytes of a keys object. */
static size_t keys_model_size(uint8_t log2_size, bool unicode)
{
    size_t es = unicode ? PM_MODEL_DICT_UENTRY : PM_MODEL_DICT_ENTRY;
    return PM_MODEL_DICTKEYS + ((size_t)1 << log2_index_bytes(log2_size))
           + es * PM_USABLE_FRACTION((size_t)1 << log2_size);
}

static PmDictKeys *new_keys_object(PmVM *vm, uint8_t log2_size, bool unicode)
{
    PmDictKeys *dk;
    int log2_bytes = log2_index_bytes(log2_size);
    Pm_ssize_t usable = PM_USABLE_FRACTION((Pm_ssize_t)1 << log2_size);
    size_t es = unicode ? sizeof(PmDictUEntry) : sizeof(PmDictEntry);

    if (log2_size == PM_DICT_LOG_MINSIZE && unicode && vm->dictkeys_numfree > 0) {
        dk = vm->dictkeys_free[--vm->dictkeys_numfree];
    } else {
        if ((size_t)log2_bytes >= sizeof(size_t) * 8 - 2) {
            PmErr_NoMemory(vm);
            return NULL;
        }
        dk = pm_mem_alloc(vm, keys_real_size(log2_size, unicode),
                          keys_model_size(log2_size, unicode));
        if (dk == NULL)
            return NULL;
    }
    dk->dk_refcnt = 1;
    dk->dk_log2_size = log2_size;
    dk->dk_log2_index_bytes = (uint8_t)log2_bytes;
    dk->dk_kind = unicode ? PM_DICT_KEYS_UNICODE : PM_DICT_KEYS_GENERAL;
    dk->dk_nentries = 0;
    dk->dk_usable = usable;
    dk->dk_version = 0;
    memset(DK_INDICES(dk), 0xff, (size_t)1 << log2_bytes);
    memset(DK_INDICES(dk) + ((size_t)1 << log2_bytes), 0, es * (size_t)usable);
    return dk;
}

/* Give the memory of a keys object whose entries are already released back. */
static void release_keys_memory(PmVM *vm, PmDictKeys *keys)
{
    if (DK_LOG_SIZE(keys) == PM_DICT_LOG_MINSIZE && DK_IS_UNICODE(keys)
        && vm->dictkeys_numfree < PM_DICT_MAXFREELIST) {
        vm->dictkeys_free[vm->dictkeys_numfree++] = keys;
        return;
    }
    pm_mem_free(vm, keys);
}

/* Release every entry in order (key, then value), then the memory. */
static void free_keys_object(PmVM *vm, PmDictKeys *keys)
{
    Pm_ssize_t i, n = keys->dk_nentries;
    for (i = 0; i < n; i++) {
        PmObject *key, *value;
        pm_dict_entry(keys, i, &key, &value);
        Pm_XDECREF(vm, key);
        Pm_XDECREF(vm, value);
    }
    release_keys_memory(vm, keys);
}

static void dictkeys_decref(PmVM *vm, PmDictKeys *dk)
{
    if (dk != PM_DICT_EMPTY_KEYS && --dk->dk_refcnt == 0)
        free_keys_object(vm, dk);
}

/* Free the dict and keys-table free lists (VM teardown, and full collections like CPython's
 * _PyGC_ClearAllFreeLists). */
void PmDict_ClearFreeList(PmVM *vm)
{
    while (vm->dict_numfree > 0)
        pm_object_free(vm, vm->dict_free[--vm->dict_numfree]);
    while (vm->dictkeys_numfree > 0)
        pm_mem_free(vm, vm->dictkeys_free[--vm->dictkeys_numfree]);
}

/* ====================================================================== lookup */

/* Index-table slot that holds entry number `index` (the entry is known to be there). */
static uint64_t lookdict_index(PmDictKeys *k, Pm_hash_t hash, Pm_ssize_t index)
{
    uint64_t mask = DK_MASK(k), perturb = (uint64_t)hash, i = (uint64_t)hash & mask;
    for (;;) {
        Pm_ssize_t ix = keys_get_index(k, i);
        if (ix == index || ix == DKIX_EMPTY)
            return i;
        perturb >>= PERTURB_SHIFT;
        i = mask & (i * 5 + perturb + 1);
    }
}

/* Compare a stored key with `key` by __eq__; the comparison may mutate the dict.
 * Returns ix, DKIX_EMPTY (not equal), DKIX_ERROR or DKIX_KEY_CHANGED. */
static Pm_ssize_t compare_entry(PmVM *vm, PmDict *mp, PmDictKeys *dk, Pm_ssize_t ix,
                                PmObject *startkey, PmObject *key)
{
    PmObject *nowkey, *value;
    Pm_INCREF(startkey);
    int cmp = PmObject_RichCompareBool(vm, startkey, key, Pm_EQ);
    Pm_DECREF(vm, startkey);
    if (cmp < 0)
        return DKIX_ERROR;
    if (dk != mp->ma_keys)
        return DKIX_KEY_CHANGED;
    pm_dict_entry(dk, ix, &nowkey, &value);
    if (nowkey != startkey)
        return DKIX_KEY_CHANGED;
    return cmp > 0 ? ix : DKIX_EMPTY;
}

/* Index slot i of a table whose index entries are `width` bytes wide. */
static inline Pm_ssize_t index_at(const char *ind, int width, uint64_t i)
{
    switch (width) {
    case 1: return ((const int8_t *)ind)[i];
    case 2: return ((const int16_t *)ind)[i];
    case 4: return ((const int32_t *)ind)[i];
    default: return (Pm_ssize_t)((const int64_t *)ind)[i];
    }
}

/* CPython's unicodekeys_lookup_unicode: an exact str key in a str-keys table.  The hot path
 * of globals, builtins, class attributes and str-keyed dicts: no __eq__ can run, so nothing
 * can mutate the table while probing.  Stored keys always carry their cached hash. */
static Pm_ssize_t unicode_lookup_str(PmDictKeys *dk, PmObject *key, Pm_hash_t hash)
{
    const char *ind = DK_INDICES(dk);
    int width = 1 << (dk->dk_log2_index_bytes - dk->dk_log2_size);
    const PmDictUEntry *ep0 = DK_UENTRIES(dk);
    uint64_t mask = DK_MASK(dk), perturb = (uint64_t)hash, i = (uint64_t)hash & mask;
    for (;;) {
        Pm_ssize_t ix = index_at(ind, width, i);
        if (ix >= 0) {
            PmObject *ek = ep0[ix].me_key;
            if (ek == key || (((PmStr *)ek)->hash == hash && PmStr_Equal(ek, key)))
                return ix;
        } else if (ix == DKIX_EMPTY) {
            return DKIX_EMPTY;
        }
        perturb >>= PERTURB_SHIFT;
        i = mask & (i * 5 + perturb + 1);
    }
}

/* Probe `dk` for `key`: unicodekeys_lookup_unicode/_generic and dictkeys_generic_lookup. */
static Pm_ssize_t keys_lookup(PmVM *vm, PmDict *mp, PmDictKeys *dk, PmObject *key,
                              Pm_hash_t hash)
{
    bool uni = DK_IS_UNICODE(dk), ukey = is_exact_str(vm, key);
    if (uni && ukey)
        return unicode_lookup_str(dk, key, hash);
    uint64_t mask = DK_MASK(dk), perturb = (uint64_t)hash, i = (uint64_t)hash & mask;
    for (;;) {
        Pm_ssize_t ix = keys_get_index(dk, i);
        if (ix == DKIX_EMPTY)
            return DKIX_EMPTY;
        if (ix >= 0) {
            PmObject *ek = uni ? DK_UENTRIES(dk)[ix].me_key : DK_ENTRIES(dk)[ix].me_key;
            Pm_hash_t eh = uni ? str_hash(ek) : DK_ENTRIES(dk)[ix].me_hash;
            if (ek == key)
                return ix;
            if (eh == hash) {
                if (uni && ukey) {
                    if (PmStr_Equal(ek, key))
                        return ix;
                } else {
                    Pm_ssize_t r = compare_entry(vm, mp, dk, ix, ek, key);
                    if (r != DKIX_EMPTY)
                        return r;
                }
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = mask & (i * 5 + perturb + 1);
    }
}

/* CPython's _Py_dict_lookup: entry number or DKIX_EMPTY/DKIX_ERROR; *value borrowed. */
static Pm_ssize_t dict_lookup(PmVM *vm, PmDict *mp, PmObject *key, Pm_hash_t hash,
                              PmObject **value)
{
    Pm_ssize_t ix;
    PmObject *k;
    do {
        ix = keys_lookup(vm, mp, mp->ma_keys, key, hash);
    } while (ix == DKIX_KEY_CHANGED);
    *value = NULL;
    if (ix >= 0)
        pm_dict_entry(mp->ma_keys, ix, &k, value);
    return ix;
}

/* Index slot for a key known to be absent (the table has no such key). */
static uint64_t find_empty_slot(PmDictKeys *keys, Pm_hash_t hash)
{
    uint64_t mask = DK_MASK(keys), perturb = (uint64_t)hash, i = (uint64_t)hash & mask;
    while (keys_get_index(keys, i) >= 0) {
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
    }
    return i;
}

/* ====================================================================== resize */

static void build_indices(PmDictKeys *keys, Pm_ssize_t n)
{
    uint64_t mask = DK_MASK(keys);
    for (Pm_ssize_t ix = 0; ix < n; ix++) {
        Pm_hash_t hash = DK_IS_UNICODE(keys) ? str_hash(DK_UENTRIES(keys)[ix].me_key)
                                             : DK_ENTRIES(keys)[ix].me_hash;
        uint64_t i = (uint64_t)hash & mask, perturb = (uint64_t)hash;
        while (keys_get_index(keys, i) != DKIX_EMPTY) {
            perturb >>= PERTURB_SHIFT;
            i = mask & (i * 5 + perturb + 1);
        }
        keys_set_index(keys, i, ix);
    }
}

/* Move the live entries of `oldk` to the start of `newk` (refcount-neutral). */
static void move_entries(PmDictKeys *oldk, PmDictKeys *newk)
{
    Pm_ssize_t j = 0;
    for (Pm_ssize_t i = 0; i < oldk->dk_nentries; i++) {
        PmObject *key, *value;
        pm_dict_entry(oldk, i, &key, &value);
        if (value == NULL)
            continue;
        if (DK_IS_UNICODE(newk)) {
            DK_UENTRIES(newk)[j].me_key = key;
            DK_UENTRIES(newk)[j].me_value = value;
        } else {
            DK_ENTRIES(newk)[j].me_key = key;
            DK_ENTRIES(newk)[j].me_value = value;
            DK_ENTRIES(newk)[j].me_hash = DK_IS_UNICODE(oldk) ? str_hash(key)
                                                              : DK_ENTRIES(oldk)[i].me_hash;
        }
        j++;
    }
}

/* Rebuild the table with 2**log2_newsize slots, dropping deleted entries. */
static int dictresize(PmVM *vm, PmDict *mp, uint8_t log2_newsize, bool unicode)
{
    PmDictKeys *oldkeys = mp->ma_keys, *newkeys;
    if (log2_newsize >= 64) {
        PmErr_NoMemory(vm);
        return -1;
    }
    if (!DK_IS_UNICODE(oldkeys))
        unicode = false;
    newkeys = new_keys_object(vm, log2_newsize, unicode);
    if (newkeys == NULL)
        return -1;
    Pm_ssize_t numentries = mp->ma_used;
    move_entries(oldkeys, newkeys);
    build_indices(newkeys, numentries);
    if (oldkeys != PM_DICT_EMPTY_KEYS)
        release_keys_memory(vm, oldkeys);
    newkeys->dk_usable -= numentries;
    newkeys->dk_nentries = numentries;
    mp->ma_keys = newkeys;
    return 0;
}

static int insertion_resize(PmVM *vm, PmDict *mp, bool unicode)
{
    return dictresize(vm, mp, calculate_log2_keysize(GROWTH_RATE(mp)), unicode);
}

/* ====================================================================== constructors */

/* A dict owning `keys` (stolen), from the free list when possible; untracked. */
static PmObject *new_dict(PmVM *vm, PmDictKeys *keys, Pm_ssize_t used)
{
    PmDict *mp;
    if (vm->dict_numfree > 0) {
        mp = (PmDict *)vm->dict_free[--vm->dict_numfree];
        mp->ob_base.ob_refcnt = 1;
        pm_tracemalloc_new_reference(vm, mp);   /* CPython's _Py_NewReference */
        if (PM_UNLIKELY(vm->trace != NULL)) pm_trace_alloc(vm, (PmObject *)mp, true);
    } else {
        mp = (PmDict *)pm_object_alloc(vm, PMT(vm, DICT), sizeof(PmDict),
                                       PM_MODEL_DICT + PM_MODEL_GC_HEAD);
        if (mp == NULL) {
            dictkeys_decref(vm, keys);
            return NULL;
        }
    }
    mp->ma_keys = keys;
    mp->ma_values = NULL;
    mp->ma_used = used;
    mp->ma_version_tag = 0;
    return (PmObject *)mp;
}

PmObject *PmDict_New(PmVM *vm)
{
    return new_dict(vm, PM_DICT_EMPTY_KEYS, 0);
}

static PmObject *dict_new_presized(PmVM *vm, Pm_ssize_t minused, bool unicode)
{
    const uint8_t log2_max_presize = 17;
    uint8_t log2_newsize;
    if (minused <= PM_USABLE_FRACTION(PM_DICT_MINSIZE))
        return PmDict_New(vm);
    if (minused > PM_USABLE_FRACTION((Pm_ssize_t)1 << log2_max_presize))
        log2_newsize = log2_max_presize;
    else
        log2_newsize = estimate_log2_keysize(minused);
    PmDictKeys *keys = new_keys_object(vm, log2_newsize, unicode);
    if (keys == NULL)
        return NULL;
    return new_dict(vm, keys, 0);
}

/* CPython's _PyDict_NewPresized: room for `minused` entries, general keys. */
PmObject *PmDict_NewPresized(PmVM *vm, Pm_ssize_t minused)
{
    return dict_new_presized(vm, minused, false);
}

/* CPython's _PyDict_FromItems (BUILD_MAP, BUILD_CONST_KEY_MAP, **kwargs of C methods):
 * keys[i * keys_offset] -> values[i * values_offset], presized, str-key table if all
 * keys are exact str. */
PmObject *PmDict_FromItems(PmVM *vm, PmObject *const *keys, Pm_ssize_t keys_offset,
                           PmObject *const *values, Pm_ssize_t values_offset,
                           Pm_ssize_t length)
{
    bool unicode = true;
    for (Pm_ssize_t i = 0; i < length; i++) {
        if (!is_exact_str(vm, keys[i * keys_offset])) {
            unicode = false;
            break;
        }
    }
    PmObject *dict = dict_new_presized(vm, length, unicode);
    if (dict == NULL)
        return NULL;
    for (Pm_ssize_t i = 0; i < length; i++) {
        if (PmDict_SetItem(vm, dict, keys[i * keys_offset], values[i * values_offset]) < 0) {
            Pm_DECREF(vm, dict);
            return NULL;
        }
    }
    return dict;
}

/* A copy of a combined keys object with every key and value increfed. */
static PmDictKeys *clone_combined_dict_keys(PmVM *vm, PmDict *orig)
{
    PmDictKeys *ok = orig->ma_keys;
    bool uni = DK_IS_UNICODE(ok);
    size_t real = keys_real_size(DK_LOG_SIZE(ok), uni);
    PmDictKeys *keys = pm_mem_alloc(vm, real, keys_model_size(DK_LOG_SIZE(ok), uni));
    if (keys == NULL)
        return NULL;
    memcpy(keys, ok, real);
    for (Pm_ssize_t i = 0; i < keys->dk_nentries; i++) {
        PmObject *key, *value;
        pm_dict_entry(keys, i, &key, &value);
        if (value != NULL) {
            Pm_INCREF(value);
            Pm_INCREF(key);
        }
    }
    return keys;
}

/* ====================================================================== insertion, deletion */

static void append_entry(PmDict *mp, PmObject *key, Pm_hash_t hash, PmObject *value)
{
    PmDictKeys *dk = mp->ma_keys;
    Pm_ssize_t n = dk->dk_nentries;
    keys_set_index(dk, find_empty_slot(dk, hash), n);
    if (DK_IS_UNICODE(dk)) {
        DK_UENTRIES(dk)[n].me_key = key;
        DK_UENTRIES(dk)[n].me_value = value;
    } else {
        DK_ENTRIES(dk)[n].me_key = key;
        DK_ENTRIES(dk)[n].me_hash = hash;
        DK_ENTRIES(dk)[n].me_value = value;
    }
    mp->ma_used++;
    dk->dk_usable--;
    dk->dk_nentries++;
    dk->dk_version = 0;     /* the key set changed (PmDict_LoadGlobal_Borrow) */
}

/* Insert into a dict that still shares the empty keys.  Steals key and value. */
static int insert_to_emptydict(PmVM *vm, PmDict *mp, PmObject *key, Pm_hash_t hash,
                               PmObject *value)
{
    PmDictKeys *newkeys = new_keys_object(vm, PM_DICT_LOG_MINSIZE, is_exact_str(vm, key));
    if (newkeys == NULL) {
        Pm_DECREF(vm, key);
        Pm_DECREF(vm, value);
        return -1;
    }
    mp->ma_keys = newkeys;
    mp->ma_values = NULL;
    maintain_tracking(vm, mp, key, value);
    append_entry(mp, key, hash, value);
    return 0;
}

static void set_entry_value(PmDictKeys *dk, Pm_ssize_t ix, PmObject *value)
{
    if (DK_IS_UNICODE(dk))
        DK_UENTRIES(dk)[ix].me_value = value;
    else
        DK_ENTRIES(dk)[ix].me_value = value;
}

/* CPython's insertdict: steals key and value. */
static int insertdict(PmVM *vm, PmDict *mp, PmObject *key, Pm_hash_t hash, PmObject *value)
{
    PmObject *old_value;
    Pm_ssize_t ix;
    if (DK_IS_UNICODE(mp->ma_keys) && !is_exact_str(vm, key)) {
        if (insertion_resize(vm, mp, false) < 0)
            goto fail;
    }
    ix = dict_lookup(vm, mp, key, hash, &old_value);
    if (ix == DKIX_ERROR)
        goto fail;
    maintain_tracking(vm, mp, key, value);
    if (ix == DKIX_EMPTY) {
        if (mp->ma_keys->dk_usable <= 0 && insertion_resize(vm, mp, true) < 0)
            goto fail;
        append_entry(mp, key, hash, value);
        return 0;
    }
    if (old_value != value)
        set_entry_value(mp->ma_keys, ix, value);
    Pm_XDECREF(vm, old_value);   /* may run arbitrary code */
    Pm_DECREF(vm, key);
    return 0;
fail:
    Pm_DECREF(vm, value);
    Pm_DECREF(vm, key);
    return -1;
}

/* Steals key and value. */
static int setitem_take2(PmVM *vm, PmDict *mp, PmObject *key, Pm_hash_t hash, PmObject *value)
{
    if (mp->ma_keys == PM_DICT_EMPTY_KEYS)
        return insert_to_emptydict(vm, mp, key, hash, value);
    return insertdict(vm, mp, key, hash, value);
}

int PmDict_SetItemKnownHash(PmVM *vm, PmObject *op, PmObject *key, PmObject *value,
                            Pm_hash_t hash)
{
    Pm_INCREF(key);
    Pm_INCREF(value);
    return setitem_take2(vm, (PmDict *)op, key, hash, value);
}

int PmDict_SetItem(PmVM *vm, PmObject *op, PmObject *key, PmObject *value)
{
    Pm_hash_t hash = key_hash(vm, key);
    if (hash == -1)
        return -1;
    return PmDict_SetItemKnownHash(vm, op, key, value, hash);
}

int PmDict_SetItemString(PmVM *vm, PmObject *d, const char *key, PmObject *value)
{
    PmObject *kv = PmStr_InternFromString(vm, key);
    if (kv == NULL)
        return -1;
    int err = PmDict_SetItem(vm, d, kv, value);
    Pm_DECREF(vm, kv);
    return err;
}

/* Remove entry ix (whose value is old_value) and release its key, then its value. */
static void delitem_common(PmVM *vm, PmDict *mp, Pm_hash_t hash, Pm_ssize_t ix,
                           PmObject *old_value)
{
    PmDictKeys *dk = mp->ma_keys;
    PmObject *old_key, *v;
    uint64_t hashpos = lookdict_index(dk, hash, ix);
    mp->ma_used--;
    dk->dk_version = 0;
    keys_set_index(dk, hashpos, DKIX_DUMMY);
    pm_dict_entry(dk, ix, &old_key, &v);
    if (DK_IS_UNICODE(dk)) {
        DK_UENTRIES(dk)[ix].me_key = NULL;
        DK_UENTRIES(dk)[ix].me_value = NULL;
    } else {
        DK_ENTRIES(dk)[ix].me_key = NULL;
        DK_ENTRIES(dk)[ix].me_value = NULL;
        DK_ENTRIES(dk)[ix].me_hash = 0;
    }
    Pm_DECREF(vm, old_key);
    Pm_DECREF(vm, old_value);
}

int PmDict_DelItemKnownHash(PmVM *vm, PmObject *op, PmObject *key, Pm_hash_t hash)
{
    PmObject *old_value;
    Pm_ssize_t ix = dict_lookup(vm, (PmDict *)op, key, hash, &old_value);
    if (ix == DKIX_ERROR)
        return -1;
    if (ix == DKIX_EMPTY || old_value == NULL) {
        set_key_error(vm, key);
        return -1;
    }
    delitem_common(vm, (PmDict *)op, hash, ix, old_value);
    return 0;
}

int PmDict_DelItem(PmVM *vm, PmObject *op, PmObject *key)
{
    Pm_hash_t hash = key_hash(vm, key);
    if (hash == -1)
        return -1;
    return PmDict_DelItemKnownHash(vm, op, key, hash);
}

void PmDict_Clear(PmVM *vm, PmObject *op)
{
    PmDict *mp = (PmDict *)op;
    PmDictKeys *oldkeys = mp->ma_keys;
    if (oldkeys == PM_DICT_EMPTY_KEYS)
        return;
    mp->ma_keys = PM_DICT_EMPTY_KEYS;
    mp->ma_values = NULL;
    mp->ma_used = 0;
    dictkeys_decref(vm, oldkeys);
}

/* CPython's _PyDict_Pop_KnownHash: the removed value (new ref), `deflt` (new ref) if the
 * key is missing and deflt != NULL, else NULL + KeyError. */
static PmObject *pop_known_hash(PmVM *vm, PmDict *mp, PmObject *key, Pm_hash_t hash,
                                PmObject *deflt)
{
    PmObject *old_value;
    Pm_ssize_t ix;
    if (mp->ma_used == 0)
        goto missing;
    ix = dict_lookup(vm, mp, key, hash, &old_value);
    if (ix == DKIX_ERROR)
        return NULL;
    if (ix == DKIX_EMPTY || old_value == NULL)
        goto missing;
    Pm_INCREF(old_value);
    delitem_common(vm, mp, hash, ix, old_value);
    return old_value;
missing:
    if (deflt)
        return Pm_NewRef(deflt);
    set_key_error(vm, key);
    return NULL;
}

static PmObject *dict_pop_default(PmVM *vm, PmObject *dict, PmObject *key, PmObject *deflt)
{
    PmDict *mp = (PmDict *)dict;
    Pm_hash_t hash;
    if (mp->ma_used == 0) {
        if (deflt)
            return Pm_NewRef(deflt);
        set_key_error(vm, key);
        return NULL;
    }
    hash = key_hash(vm, key);
    if (hash == -1)
        return NULL;
    return pop_known_hash(vm, mp, key, hash, deflt);
}

PmObject *PmDict_Pop(PmVM *vm, PmObject *d, PmObject *key, bool *found)
{
    PmDict *mp = (PmDict *)d;
    PmObject *old_value;
    *found = false;
    if (mp->ma_used == 0)
        return NULL;
    Pm_hash_t hash = key_hash(vm, key);
    if (hash == -1)
        return NULL;
    Pm_ssize_t ix = dict_lookup(vm, mp, key, hash, &old_value);
    if (ix < 0 || old_value == NULL)
        return NULL;
    *found = true;
    Pm_INCREF(old_value);
    delitem_common(vm, mp, hash, ix, old_value);
    return old_value;
}

/* ====================================================================== access */

/* The version of a str-keys table's key set, for PmDict_LoadGlobal_Borrow: 0 (none yet) until
 * asked, then a number no other keys object of the VM ever has; adding or deleting a key
 * resets it to 0 (a value stored under an existing key keeps it: entries do not move).  A
 * new or resized table starts at 0.  The shared empty keys object says 1 and is skipped. */
static uint32_t keys_version(PmVM *vm, PmDictKeys *dk)
{
    if (dk->dk_version == 0 && dk != PM_DICT_EMPTY_KEYS && vm->dict_keys_version < UINT32_MAX) {
        if (vm->dict_keys_version < 1) vm->dict_keys_version = 1;
        dk->dk_version = ++vm->dict_keys_version;
    }
    return dk->dk_version;
}

/* LOAD_GLOBAL: `name` in globals, else in builtins (borrowed; NULL: not found or error, as
 * PmDict_GetItem_Borrow).  `c` remembers where it was found (CPython 3.11's
 * LOAD_GLOBAL_MODULE / LOAD_GLOBAL_BUILTIN caches): while the key sets of both tables keep
 * the versions recorded (so the name is still absent from globals) and the entry still holds
 * this very name, the value is read from the entry without probing. */
PmObject *PmDict_LoadGlobal_Borrow(PmVM *vm, PmObject *globals, PmObject *builtins,
                                   PmObject *name, PmGlobalCache *c)
{
    PmDictKeys *gk = ((PmDict *)globals)->ma_keys;
    if (c->gver != 0 && gk->dk_version == c->gver) {
        PmDictUEntry *e;
        if (c->bver == 0) {
            e = &DK_UENTRIES(gk)[c->index];
        } else {
            PmDictKeys *bk = ((PmDict *)builtins)->ma_keys;
            e = bk->dk_version == c->bver ? &DK_UENTRIES(bk)[c->index] : NULL;
        }
        if (e && e->me_key == name && e->me_value)
            return e->me_value;
    }
    if (!is_exact_str(vm, name) || !is_exact_dict(vm, globals) || !is_exact_dict(vm, builtins)) {
        PmObject *v = PmDict_GetItem_Borrow(vm, globals, name);
        if (v == NULL && !PmErr_Occurred(vm)) v = PmDict_GetItem_Borrow(vm, builtins, name);
        return v;
    }
    Pm_hash_t hash = str_hash(name);
    PmObject *value;
    Pm_ssize_t ix = dict_lookup(vm, (PmDict *)globals, name, hash, &value);
    if (ix == DKIX_ERROR)
        return NULL;
    gk = ((PmDict *)globals)->ma_keys;
    bool uni = DK_IS_UNICODE(gk);    /* a str-keys table: the probe ran no __eq__ */
    if (value) {
        if (uni && DK_UENTRIES(gk)[ix].me_key == name && keys_version(vm, gk)) {
            c->gver = gk->dk_version;
            c->bver = 0;
            c->index = (int32_t)ix;
        }
        return value;
    }
    ix = dict_lookup(vm, (PmDict *)builtins, name, hash, &value);
    if (ix == DKIX_ERROR || value == NULL)
        return NULL;
    PmDictKeys *bk = ((PmDict *)builtins)->ma_keys;
    if (uni && DK_IS_UNICODE(bk) && DK_UENTRIES(bk)[ix].me_key == name &&
        keys_version(vm, gk) && keys_version(vm, bk)) {
        c->gver = gk->dk_version;
        c->bver = bk->dk_version;
        c->index = (int32_t)ix;
    }
    return value;
}

PmObject *PmDict_GetItemKnownHash_Borrow(PmVM *vm, PmObject *op, PmObject *key, Pm_hash_t hash)
{
    PmObject *value;
    dict_lookup(vm, (PmDict *)op, key, hash, &value);
    return value;
}

PmObject *PmDict_GetItem_Borrow(PmVM *vm, PmObject *op, PmObject *key)
{
    Pm_hash_t hash = key_hash(vm, key);
    if (hash == -1)
        return NULL;
    return PmDict_GetItemKnownHash_Borrow(vm, op, key, hash);
}

PmObject *PmDict_GetItemString_Borrow(PmVM *vm, PmObject *d, const char *key)
{
    PmObject *kv = PmStr_FromString(vm, key);
    if (kv == NULL)
        return NULL;
    PmObject *rv = PmDict_GetItem_Borrow(vm, d, kv);
    Pm_DECREF(vm, kv);
    return rv;
}

int PmDict_ContainsKnownHash(PmVM *vm, PmObject *op, PmObject *key, Pm_hash_t hash)
{
    PmObject *value;
    Pm_ssize_t ix = dict_lookup(vm, (PmDict *)op, key, hash, &value);
    if (ix == DKIX_ERROR)
        return -1;
    return ix != DKIX_EMPTY && value != NULL;
}

int PmDict_Contains(PmVM *vm, PmObject *op, PmObject *key)
{
    Pm_hash_t hash = key_hash(vm, key);
    if (hash == -1)
        return -1;
    return PmDict_ContainsKnownHash(vm, op, key, hash);
}

Pm_ssize_t PmDict_Size(PmObject *d) { return ((PmDict *)d)->ma_used; }

/* Iterate in insertion order; pos starts at 0; key, value and hash borrowed/optional. */
int PmDict_NextHash(PmObject *op, Pm_ssize_t *ppos, PmObject **pkey, PmObject **pvalue,
                    Pm_hash_t *phash)
{
    PmDict *mp = (PmDict *)op;
    PmDictKeys *dk = mp->ma_keys;
    Pm_ssize_t i = *ppos, n = dk->dk_nentries;
    PmObject *key = NULL, *value = NULL;
    if (i < 0)
        return 0;
    for (; i < n; i++) {
        pm_dict_entry(dk, i, &key, &value);
        if (value != NULL)
            break;
    }
    if (i >= n)
        return 0;
    *ppos = i + 1;
    if (pkey)
        *pkey = key;
    if (pvalue)
        *pvalue = value;
    if (phash)
        *phash = DK_IS_UNICODE(dk) ? str_hash(key) : DK_ENTRIES(dk)[i].me_hash;
    return 1;
}

int PmDict_Next(PmObject *d, Pm_ssize_t *pos, PmObject **key, PmObject **value)
{
    return PmDict_NextHash(d, pos, key, value, NULL);
}

/* keys(), values() or items() as a list (PyDict_Keys etc.). which: 0 keys, 1 values, 2 items */
static PmObject *dict_as_list(PmVM *vm, PmObject *op, int which)
{
    PmDict *mp = (PmDict *)op;
    Pm_ssize_t n, j = 0, pos = 0;
    PmObject *v, *key, *value;
again:
    n = mp->ma_used;
    v = PmList_New(vm, n);
    if (v == NULL)
        return NULL;
    for (Pm_ssize_t i = 0; which == 2 && i < n; i++) {
        PmObject *item = PmTuple_New(vm, 2);
        if (item == NULL) {
            Pm_DECREF(vm, v);
            return NULL;
        }
        PmList_SET_ITEM(v, i, item);
    }
    if (n != mp->ma_used) {     /* allocations ran the collector and it changed the dict */
        Pm_DECREF(vm, v);
        goto again;
    }
    while (PmDict_Next(op, &pos, &key, &value)) {
        if (which == 0) {
            PmList_SET_ITEM(v, j, Pm_NewRef(key));
        } else if (which == 1) {
            PmList_SET_ITEM(v, j, Pm_NewRef(value));
        } else {
            PmObject *item = PmList_GET_ITEM(v, j);
            PmTuple_SET_ITEM(item, 0, Pm_NewRef(key));
            PmTuple_SET_ITEM(item, 1, Pm_NewRef(value));
        }
        j++;
    }
    return v;
}

PmObject *PmDict_Keys(PmVM *vm, PmObject *d) { return dict_as_list(vm, d, 0); }
PmObject *PmDict_Values(PmVM *vm, PmObject *d) { return dict_as_list(vm, d, 1); }
PmObject *PmDict_Items(PmVM *vm, PmObject *d) { return dict_as_list(vm, d, 2); }

/* The collector's rule (CPython's _PyDict_MaybeUntrack), for exact dicts only. */
void PmDict_MaybeUntrack(PmVM *vm, PmObject *op)
{
    PmDictKeys *dk;
    if (!is_exact_dict(vm, op) || !pm_gc_is_tracked(op))
        return;
    dk = ((PmDict *)op)->ma_keys;
    for (Pm_ssize_t i = 0; i < dk->dk_nentries; i++) {
        PmObject *key, *value;
        pm_dict_entry(dk, i, &key, &value);
        if (value == NULL)
            continue;
        if (may_be_tracked(vm, value) || (!DK_IS_UNICODE(dk) && may_be_tracked(vm, key)))
            return;
    }
    pm_gc_untrack(vm, op);
}

/* ====================================================================== copy, merge */

static PmObject *dict_iter(PmVM *vm, PmObject *dict);

/* Does the dict's type iterate like a dict (CPython: tp_iter == dict_iter)? */
static bool plain_iter(PmObject *o) { return Pm_TYPE(o)->tp_iter == dict_iter; }

/* CPython's condition for copying a keys object as-is: no holes, and (for big tables)
 * not mostly empty. */
static bool clean_for_clone(PmDict *other)
{
    PmDictKeys *ok = other->ma_keys;
    return other->ma_values == NULL && other->ma_used == ok->dk_nentries
           && (DK_LOG_SIZE(ok) == PM_DICT_LOG_MINSIZE
               || PM_USABLE_FRACTION((Pm_ssize_t)DK_SIZE(ok) / 2) < other->ma_used);
}

/* Merge the items of exact-iteration dict `other` into `mp`. */
static int merge_from_dict(PmVM *vm, PmDict *mp, PmDict *other, int override)
{
    if (other == mp || other->ma_used == 0)
        return 0;
    if (mp->ma_used == 0) {
        override = 1;
        if (clean_for_clone(other)) {
            PmDictKeys *keys = clone_combined_dict_keys(vm, other);
            if (keys == NULL)
                return -1;
            dictkeys_decref(vm, mp->ma_keys);
            mp->ma_keys = keys;
            mp->ma_used = other->ma_used;
            if (pm_gc_is_tracked((PmObject *)other) && !pm_gc_is_tracked((PmObject *)mp))
                pm_gc_track(vm, (PmObject *)mp);
            return 0;
        }
    }
    if (PM_USABLE_FRACTION((Pm_ssize_t)DK_SIZE(mp->ma_keys)) < other->ma_used) {
        if (dictresize(vm, mp, estimate_log2_keysize(mp->ma_used + other->ma_used),
                       DK_IS_UNICODE(other->ma_keys)))
            return -1;
    }
    Pm_ssize_t orig_size = other->ma_keys->dk_nentries, pos = 0;
    PmObject *key, *value;
    Pm_hash_t hash;
    while (PmDict_NextHash((PmObject *)other, &pos, &key, &value, &hash)) {
        int err = 0;
        Pm_INCREF(key);
        Pm_INCREF(value);
        if (override == 1) {
            Pm_INCREF(key);
            Pm_INCREF(value);
            err = insertdict(vm, mp, key, hash, value);
        } else {
            err = PmDict_ContainsKnownHash(vm, (PmObject *)mp, key, hash);
            if (err == 0) {
                Pm_INCREF(key);
                Pm_INCREF(value);
                err = insertdict(vm, mp, key, hash, value);
            } else if (err > 0) {
                if (override != 0) {
                    set_key_error(vm, key);
                    err = -1;
                } else {
                    err = 0;
                }
            }
        }
        Pm_DECREF(vm, value);
        Pm_DECREF(vm, key);
        if (err != 0)
            return -1;
        if (orig_size != other->ma_keys->dk_nentries) {
            PmErr_SetString(vm, PME(vm, RuntimeError), "dict mutated during update");
            return -1;
        }
    }
    return 0;
}

/* CPython's PyMapping_Keys for a non-dict: an iterator over b.keys(). */
static PmObject *mapping_keys_iter(PmVM *vm, PmObject *b)
{
    PmObject *keys = PmObject_CallMethod(vm, b, PMID(vm, keys), NULL, 0);
    if (keys == NULL)
        return NULL;
    PmObject *it = PmObject_GetIter(vm, keys);
    if (it == NULL && PmErr_ExceptionMatches(vm, PME(vm, TypeError))) {
        PmErr_Clear(vm);
        PmErr_Format(vm, PME(vm, TypeError), "%s.keys() returned a non-iterable (type %s)",
                     PmObject_TypeName(b), PmObject_TypeName(keys));
    }
    Pm_DECREF(vm, keys);
    return it;
}

/* Merge a general mapping: for k in b.keys(): a[k] = b[k]. */
static int merge_from_mapping(PmVM *vm, PmObject *a, PmObject *b, int override)
{
    PmObject *iter = mapping_keys_iter(vm, b), *key;
    if (iter == NULL)
        return -1;
    while ((key = PmIter_Next(vm, iter)) != NULL) {
        int status;
        if (override != 1) {
            status = PmDict_Contains(vm, a, key);
            if (status != 0) {
                if (status > 0 && override == 0) {
                    Pm_DECREF(vm, key);
                    continue;
                }
                if (status > 0)
                    set_key_error(vm, key);
                Pm_DECREF(vm, key);
                Pm_DECREF(vm, iter);
                return -1;
            }
        }
        PmObject *value = PmObject_GetItem(vm, b, key);
        if (value == NULL) {
            Pm_DECREF(vm, key);
            Pm_DECREF(vm, iter);
            return -1;
        }
        status = PmDict_SetItem(vm, a, key, value);
        Pm_DECREF(vm, key);
        Pm_DECREF(vm, value);
        if (status < 0) {
            Pm_DECREF(vm, iter);
            return -1;
        }
    }
    Pm_DECREF(vm, iter);
    return PmErr_Occurred(vm) ? -1 : 0;
}

/* CPython's dict_merge: override 0 keeps existing keys, 1 replaces, 2 raises KeyError. */
static int dict_merge(PmVM *vm, PmObject *a, PmObject *b, int override)
{
    if (PmDict_Check(b) && plain_iter(b))
        return merge_from_dict(vm, (PmDict *)a, (PmDict *)b, override);
    return merge_from_mapping(vm, a, b, override);
}

int PmDict_Merge(PmVM *vm, PmObject *d, PmObject *other, bool override)
{
    return dict_merge(vm, d, other, override ? 1 : 0);
}

/* Like PmDict_Merge, but override 2 raises KeyError on a duplicate key (f(**a, **b)). */
int PmDict_MergeEx(PmVM *vm, PmObject *d, PmObject *other, int override)
{
    return dict_merge(vm, d, other, override);
}

PmObject *PmDict_Copy(PmVM *vm, PmObject *o)
{
    PmDict *mp = (PmDict *)o;
    PmObject *copy;
    if (mp->ma_used == 0)
        return PmDict_New(vm);
    if (plain_iter(o) && mp->ma_values == NULL
        && mp->ma_used >= (mp->ma_keys->dk_nentries * 2) / 3) {
        PmDictKeys *keys = clone_combined_dict_keys(vm, mp);
        if (keys == NULL)
            return NULL;
        copy = new_dict(vm, keys, mp->ma_used);
        if (copy != NULL && pm_gc_is_tracked(o))
            pm_gc_track(vm, copy);
        return copy;
    }
    copy = PmDict_New(vm);
    if (copy == NULL)
        return NULL;
    if (dict_merge(vm, copy, o, 1) == 0)
        return copy;
    Pm_DECREF(vm, copy);
    return NULL;
}

/* An item of a dict(iterable) sequence as a list or tuple (CPython's PySequence_Fast). */
static PmObject *sequence_fast(PmVM *vm, PmObject *item, Pm_ssize_t i)
{
    if (PmList_Check(item) || PmTuple_Check(item))
        return Pm_NewRef(item);
    PmObject *list = PmList_New(vm, 0);
    if (list == NULL)
        return NULL;
    if (PmList_Extend(vm, list, item) == 0)
        return list;
    Pm_DECREF(vm, list);
    if (PmErr_ExceptionMatches(vm, PME(vm, TypeError))) {
        PmErr_Clear(vm);
        PmErr_Format(vm, PME(vm, TypeError),
                     "cannot convert dictionary update sequence element #%zd to a sequence",
                     i);
    }
    return NULL;
}

static int merge_pair(PmVM *vm, PmObject *d, PmObject *fast, Pm_ssize_t i, bool override)
{
    bool is_list = PmList_Check(fast);
    Pm_ssize_t n = Pm_SIZE(fast);
    if (n != 2) {
        PmErr_Format(vm, PME(vm, ValueError),
                     "dictionary update sequence element #%zd has length %zd; 2 is required",
                     i, n);
        return -1;
    }
    PmObject *key = is_list ? PmList_GET_ITEM(fast, 0) : PmTuple_GET_ITEM(fast, 0);
    PmObject *value = is_list ? PmList_GET_ITEM(fast, 1) : PmTuple_GET_ITEM(fast, 1);
    int r;
    Pm_INCREF(key);
    Pm_INCREF(value);
    if (override)
        r = PmDict_SetItem(vm, d, key, value);
    else
        r = PmDict_SetDefault_Borrow(vm, d, key, value) == NULL ? -1 : 0;
    Pm_DECREF(vm, key);
    Pm_DECREF(vm, value);
    return r;
}

/* CPython's PyDict_MergeFromSeq2: d.update(iterable of pairs). */
int PmDict_MergeFromSeq2(PmVM *vm, PmObject *d, PmObject *seq2, bool override)
{
    PmObject *it = PmObject_GetIter(vm, seq2), *item;
    Pm_ssize_t i;
    if (it == NULL)
        return -1;
    for (i = 0; (item = PmIter_Next(vm, it)) != NULL; i++) {
        PmObject *fast = sequence_fast(vm, item, i);
        int r = fast ? merge_pair(vm, d, fast, i, override) : -1;
        Pm_XDECREF(vm, fast);
        Pm_DECREF(vm, item);
        if (r < 0) {
            Pm_DECREF(vm, it);
            return -1;
        }
    }
    Pm_DECREF(vm, it);
    return PmErr_Occurred(vm) ? -1 : 0;
}

/* One positional argument of update()/dict(): a dict, a mapping with keys(), or pairs. */
static int dict_update_arg(PmVM *vm, PmObject *self, PmObject *arg)
{
    if (is_exact_dict(vm, arg))
        return dict_merge(vm, self, arg, 1);
    PmObject *func = PmObject_LookupAttr(vm, arg, PMID(vm, keys));
    if (func == NULL && PmErr_Occurred(vm))
        return -1;
    if (func != NULL) {
        Pm_DECREF(vm, func);
        return dict_merge(vm, self, arg, 1);
    }
    return PmDict_MergeFromSeq2(vm, self, arg, true);
}

/* update(**kwargs): CPython builds the kwargs dict first (_PyStack_AsDict), then merges. */
static int dict_update_kwargs(PmVM *vm, PmObject *self, PmObject *const *values,
                              PmObject *kwnames)
{
    PmObject *kwds = PmDict_FromItems(vm, &PmTuple_GET_ITEM(kwnames, 0), 1, values, 1,
                                      PmTuple_GET_SIZE(kwnames));
    if (kwds == NULL)
        return -1;
    int r = dict_merge(vm, self, kwds, 1);
    Pm_DECREF(vm, kwds);
    return r;
}

static int dict_update_common(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                              PmObject *kwnames, const char *methname)
{
    if (pm_check_positional(vm, methname, nargs, 0, 1) < 0)
        return -1;
    if (nargs == 1 && dict_update_arg(vm, self, args[0]) < 0)
        return -1;
    if (kwnames != NULL && PmTuple_GET_SIZE(kwnames) > 0)
        return dict_update_kwargs(vm, self, args + nargs, kwnames);
    return 0;
}

/* ====================================================================== setdefault */

/* CPython's PyDict_SetDefault: the value for key, inserting defaultobj if missing (borrowed). */
PmObject *PmDict_SetDefault_Borrow(PmVM *vm, PmObject *d, PmObject *key, PmObject *defaultobj)
{
    PmDict *mp = (PmDict *)d;
    PmObject *value;
    Pm_hash_t hash = key_hash(vm, key);
    if (hash == -1)
        return NULL;
    if (mp->ma_keys == PM_DICT_EMPTY_KEYS) {
        Pm_INCREF(key);
        Pm_INCREF(defaultobj);
        if (insert_to_emptydict(vm, mp, key, hash, defaultobj) < 0)
            return NULL;
        return defaultobj;
    }
    if (!is_exact_str(vm, key) && DK_IS_UNICODE(mp->ma_keys)) {
        if (insertion_resize(vm, mp, false) < 0)
            return NULL;
    }
    Pm_ssize_t ix = dict_lookup(vm, mp, key, hash, &value);
    if (ix == DKIX_ERROR)
        return NULL;
    if (ix == DKIX_EMPTY) {
        value = defaultobj;
        if (mp->ma_keys->dk_usable <= 0 && insertion_resize(vm, mp, true) < 0)
            return NULL;
        Pm_INCREF(key);
        Pm_INCREF(value);
        append_entry(mp, key, hash, value);
        maintain_tracking(vm, mp, key, value);
    }
    return value;
}

/* ====================================================================== fromkeys */

static PmObject *fromkeys_fast(PmVM *vm, PmObject *d, PmObject *iterable, PmObject *value)
{
    PmDict *mp = (PmDict *)d;
    Pm_ssize_t pos = 0;
    PmObject *key, *oldvalue;
    Pm_hash_t hash;
    bool from_dict = is_exact_dict(vm, iterable);
    bool unicode = from_dict && DK_IS_UNICODE(((PmDict *)iterable)->ma_keys);
    Pm_ssize_t n = from_dict ? PmDict_Size(iterable) : PmSet_Size(iterable);
    if (dictresize(vm, mp, estimate_log2_keysize(n), unicode)) {
        Pm_DECREF(vm, d);
        return NULL;
    }
    while (from_dict ? PmDict_NextHash(iterable, &pos, &key, &oldvalue, &hash)
                     : PmSet_Next(iterable, &pos, &key, &hash)) {
        Pm_INCREF(key);
        Pm_INCREF(value);
        if (insertdict(vm, mp, key, hash, value)) {
            Pm_DECREF(vm, d);
            return NULL;
        }
    }
    return d;
}

/* CPython's _PyDict_FromKeys: cls() filled with iterable's items mapped to value. */
static PmObject *dict_fromkeys_impl(PmVM *vm, PmObject *cls, PmObject *iterable,
                                    PmObject *value)
{
    PmObject *d = PmObject_CallNoArgs(vm, cls), *it, *key;
    if (d == NULL)
        return NULL;
    if (is_exact_dict(vm, d) && ((PmDict *)d)->ma_used == 0
        && (is_exact_dict(vm, iterable) || Pm_TYPE(iterable) == PMT(vm, SET)
            || Pm_TYPE(iterable) == PMT(vm, FROZENSET)))
        return fromkeys_fast(vm, d, iterable, value);
    it = PmObject_GetIter(vm, iterable);
    if (it == NULL) {
        Pm_DECREF(vm, d);
        return NULL;
    }
    while ((key = PmIter_Next(vm, it)) != NULL) {
        int status = is_exact_dict(vm, d) ? PmDict_SetItem(vm, d, key, value)
                                          : PmObject_SetItem(vm, d, key, value);
        Pm_DECREF(vm, key);
        if (status < 0)
            goto fail;
    }
    if (PmErr_Occurred(vm))
        goto fail;
    Pm_DECREF(vm, it);
    return d;
fail:
    Pm_DECREF(vm, it);
    Pm_DECREF(vm, d);
    return NULL;
}

/* ====================================================================== dealloc, traverse, clear */

static void dict_dealloc(PmVM *vm, PmObject *o)
{
    PmDict *mp = (PmDict *)o;
    PmDictKeys *keys = mp->ma_keys;
    if (pm_gc_is_tracked(o))
        pm_gc_untrack(vm, o);
    PM_TRASHCAN_BEGIN(vm, o)
    if (keys != NULL)
        dictkeys_decref(vm, keys);
    if (vm->dict_numfree < PM_DICT_MAXFREELIST && is_exact_dict(vm, o))
        vm->dict_free[vm->dict_numfree++] = o;
    else
        pm_object_free(vm, o);
    PM_TRASHCAN_END(vm)
}

/* gc.get_referents order: str-key tables report values; others value then key. */
static int dict_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    PmDictKeys *keys = ((PmDict *)o)->ma_keys;
    Pm_ssize_t i, n = keys->dk_nentries;
    if (DK_IS_UNICODE(keys)) {
        for (i = 0; i < n; i++)
            Pm_VISIT(vm, DK_UENTRIES(keys)[i].me_value);
    } else {
        for (i = 0; i < n; i++) {
            if (DK_ENTRIES(keys)[i].me_value != NULL) {
                Pm_VISIT(vm, DK_ENTRIES(keys)[i].me_value);
                Pm_VISIT(vm, DK_ENTRIES(keys)[i].me_key);
            }
        }
    }
    return 0;
}

static int dict_tp_clear(PmVM *vm, PmObject *o)
{
    PmDict_Clear(vm, o);
    return 0;
}

/* CPython's _PyDict_SizeOf (keys counted only when this dict owns them alone). */
static Pm_ssize_t dict_sizeof(PmVM *vm, PmObject *o)
{
    PmDict *mp = (PmDict *)o;
    PmDictKeys *dk = mp->ma_keys;
    (void)vm;
    Pm_ssize_t res = Pm_TYPE(o)->tp_basicsize;
    if (dk != PM_DICT_EMPTY_KEYS && dk->dk_refcnt == 1)
        res += (Pm_ssize_t)keys_model_size(DK_LOG_SIZE(dk), DK_IS_UNICODE(dk));
    return res;
}

/* ====================================================================== repr */

static int repr_append(PmVM *vm, PmObject *pieces, PmObject *o)
{
    PmObject *s = PmObject_Repr(vm, o);
    if (s == NULL)
        return -1;
    int r = PmList_Append(vm, pieces, s);
    Pm_DECREF(vm, s);
    return r;
}

static int append_cstr(PmVM *vm, PmObject *pieces, const char *cstr)
{
    PmObject *s = PmStr_FromString(vm, cstr);
    if (s == NULL)
        return -1;
    int r = PmList_Append(vm, pieces, s);
    Pm_DECREF(vm, s);
    return r;
}

/* "key: value" pieces of every item; repr may mutate the dict. */
static int repr_items(PmVM *vm, PmObject *o, PmObject *pieces)
{
    Pm_ssize_t i = 0;
    PmObject *key, *value;
    bool first = true;
    while (PmDict_Next(o, &i, &key, &value)) {
        int r;
        Pm_INCREF(key);
        Pm_INCREF(value);
        r = (first ? 0 : append_cstr(vm, pieces, ", "));
        if (r == 0)
            r = repr_append(vm, pieces, key);
        if (r == 0)
            r = append_cstr(vm, pieces, ": ");
        if (r == 0)
            r = repr_append(vm, pieces, value);
        Pm_DECREF(vm, key);
        Pm_DECREF(vm, value);
        if (r < 0)
            return -1;
        first = false;
    }
    return 0;
}

static PmObject *dict_repr(PmVM *vm, PmObject *o)
{
    PmObject *pieces, *result = NULL;
    int i = pm_repr_enter(vm, o);
    if (i != 0)
        return i > 0 ? PmStr_FromString(vm, "{...}") : NULL;
    if (((PmDict *)o)->ma_used == 0) {
        pm_repr_leave(vm, o);
        return PmStr_FromString(vm, "{}");
    }
    pieces = PmList_New(vm, 0);
    if (pieces != NULL && append_cstr(vm, pieces, "{") == 0 && repr_items(vm, o, pieces) == 0
        && append_cstr(vm, pieces, "}") == 0)
        result = PmStr_Join(vm, vm->empty_str, pieces);
    Pm_XDECREF(vm, pieces);
    pm_repr_leave(vm, o);
    return result;
}

/* ====================================================================== operators */

static Pm_ssize_t dict_length(PmVM *vm, PmObject *o)
{
    (void)vm;
    return ((PmDict *)o)->ma_used;
}

static PmObject *dict_missing(PmVM *vm, PmObject *o, PmObject *key)
{
    if (!is_exact_dict(vm, o)) {
        PmObject *missing = PmType_Lookup(vm, Pm_TYPE(o), PMID(vm, __missing__));
        if (missing != NULL) {
            PmObject *args[2] = { o, key };
            return PmObject_Vectorcall(vm, missing, args, 2, NULL);
        }
    }
    set_key_error(vm, key);
    return NULL;
}

static PmObject *dict_subscript(PmVM *vm, PmObject *o, PmObject *key)
{
    PmObject *value;
    Pm_hash_t hash = key_hash(vm, key);
    if (hash == -1)
        return NULL;
    Pm_ssize_t ix = dict_lookup(vm, (PmDict *)o, key, hash, &value);
    if (ix == DKIX_ERROR)
        return NULL;
    if (ix == DKIX_EMPTY || value == NULL)
        return dict_missing(vm, o, key);
    return Pm_NewRef(value);
}

static int dict_ass_sub(PmVM *vm, PmObject *o, PmObject *key, PmObject *value)
{
    if (value == NULL)
        return PmDict_DelItem(vm, o, key);
    return PmDict_SetItem(vm, o, key, value);
}

/* 1 if equal, 0 if not, -1 on error; only __eq__ is used. */
static int dict_equal(PmVM *vm, PmDict *a, PmDict *b)
{
    if (a->ma_used != b->ma_used)
        return 0;
    for (Pm_ssize_t i = 0; i < a->ma_keys->dk_nentries; i++) {
        PmObject *key, *aval, *bval;
        pm_dict_entry(a->ma_keys, i, &key, &aval);
        if (aval == NULL)
            continue;
        Pm_hash_t hash = DK_IS_UNICODE(a->ma_keys) ? str_hash(key)
                                                   : DK_ENTRIES(a->ma_keys)[i].me_hash;
        Pm_INCREF(aval);
        Pm_INCREF(key);
        dict_lookup(vm, b, key, hash, &bval);
        if (bval == NULL) {
            Pm_DECREF(vm, key);
            Pm_DECREF(vm, aval);
            return PmErr_Occurred(vm) ? -1 : 0;
        }
        Pm_INCREF(bval);
        int cmp = PmObject_RichCompareBool(vm, aval, bval, Pm_EQ);
        Pm_DECREF(vm, key);
        Pm_DECREF(vm, aval);
        Pm_DECREF(vm, bval);
        if (cmp <= 0)
            return cmp;
    }
    return 1;
}

static PmObject *dict_richcompare(PmVM *vm, PmObject *v, PmObject *w, int op)
{
    if (!PmDict_Check(v) || !PmDict_Check(w) || (op != Pm_EQ && op != Pm_NE))
        return Pm_NewRef(Pm_NotImplemented(vm));
    int cmp = dict_equal(vm, (PmDict *)v, (PmDict *)w);
    if (cmp < 0)
        return NULL;
    return Pm_Bool(vm, cmp == (op == Pm_EQ));
}

static int dict_contains(PmVM *vm, PmObject *o, PmObject *key)
{
    return PmDict_Contains(vm, o, key);
}

static PmObject *dict_or(PmVM *vm, PmObject *self, PmObject *other)
{
    if (!PmDict_Check(self) || !PmDict_Check(other))
        return Pm_NewRef(Pm_NotImplemented(vm));
    PmObject *new = PmDict_Copy(vm, self);
    if (new == NULL)
        return NULL;
    if (dict_update_arg(vm, new, other)) {
        Pm_DECREF(vm, new);
        return NULL;
    }
    return new;
}

static PmObject *dict_ior(PmVM *vm, PmObject *self, PmObject *other)
{
    if (dict_update_arg(vm, self, other))
        return NULL;
    return Pm_NewRef(self);
}

static PmObject *dict_iter(PmVM *vm, PmObject *dict)
{
    return pm_dict_iter_new(vm, dict, PMT_DICT_KEYITER);
}

/* ====================================================================== methods */

static PmObject *dict___contains__(PmVM *vm, PmObject *self, PmObject *const *args,
                                   size_t nargs, PmObject *kwnames)
{
    (void)nargs, (void)kwnames;
    int r = PmDict_Contains(vm, self, args[0]);
    return r < 0 ? NULL : Pm_Bool(vm, r);
}

static PmObject *dict___getitem__(PmVM *vm, PmObject *self, PmObject *const *args,
                                  size_t nargs, PmObject *kwnames)
{
    (void)kwnames;
    if (nargs != 1)
        return PmErr_Format(vm, PME(vm, TypeError),
                            "dict.__getitem__() takes exactly one argument (%zu given)", nargs);
    return dict_subscript(vm, self, args[0]);
}

static PmObject *dict___sizeof__(PmVM *vm, PmObject *self, PmObject *const *args,
                                 size_t nargs, PmObject *kwnames)
{
    (void)args, (void)nargs, (void)kwnames;
    return PmLong_FromSsize_t(vm, dict_sizeof(vm, self));
}

static PmObject *dict_get(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                          PmObject *kwnames)
{
    PmObject *val;
    (void)kwnames;
    if (pm_check_positional(vm, "get", nargs, 1, 2) < 0)
        return NULL;
    Pm_hash_t hash = key_hash(vm, args[0]);
    if (hash == -1)
        return NULL;
    Pm_ssize_t ix = dict_lookup(vm, (PmDict *)self, args[0], hash, &val);
    if (ix == DKIX_ERROR)
        return NULL;
    if (ix == DKIX_EMPTY || val == NULL)
        val = nargs > 1 ? args[1] : Pm_None(vm);
    return Pm_NewRef(val);
}

static PmObject *dict_setdefault(PmVM *vm, PmObject *self, PmObject *const *args,
                                 size_t nargs, PmObject *kwnames)
{
    (void)kwnames;
    if (pm_check_positional(vm, "setdefault", nargs, 1, 2) < 0)
        return NULL;
    PmObject *val = PmDict_SetDefault_Borrow(vm, self, args[0],
                                             nargs > 1 ? args[1] : Pm_None(vm));
    return Pm_XNewRef(val);
}

static PmObject *dict_pop(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                          PmObject *kwnames)
{
    (void)kwnames;
    if (pm_check_positional(vm, "pop", nargs, 1, 2) < 0)
        return NULL;
    return dict_pop_default(vm, self, args[0], nargs > 1 ? args[1] : NULL);
}

/* Remove and return the last (key, value) pair (LIFO). */
static PmObject *dict_popitem(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                              PmObject *kwnames)
{
    PmDict *mp = (PmDict *)self;
    PmObject *key = NULL, *value = NULL, *res;
    Pm_ssize_t i;
    (void)args, (void)nargs, (void)kwnames;
    res = PmTuple_New(vm, 2);
    if (res == NULL)
        return NULL;
    if (mp->ma_used == 0) {
        Pm_DECREF(vm, res);
        PmErr_SetString(vm, PME(vm, KeyError), "popitem(): dictionary is empty");
        return NULL;
    }
    PmDictKeys *dk = mp->ma_keys;
    for (i = dk->dk_nentries - 1; i >= 0; i--) {
        pm_dict_entry(dk, i, &key, &value);
        if (value != NULL)
            break;
    }
    Pm_hash_t hash = DK_IS_UNICODE(dk) ? str_hash(key) : DK_ENTRIES(dk)[i].me_hash;
    if (DK_IS_UNICODE(dk)) {
        DK_UENTRIES(dk)[i].me_key = NULL;
        DK_UENTRIES(dk)[i].me_value = NULL;
    } else {
        DK_ENTRIES(dk)[i].me_key = NULL;
        DK_ENTRIES(dk)[i].me_value = NULL;
        DK_ENTRIES(dk)[i].me_hash = -1;
    }
    keys_set_index(dk, lookdict_index(dk, hash, i), DKIX_DUMMY);
    PmTuple_SET_ITEM(res, 0, key);
    PmTuple_SET_ITEM(res, 1, value);
    dk->dk_nentries = i;   /* dk_usable stays: the dummy index still occupies a slot */
    dk->dk_version = 0;
    mp->ma_used--;
    return res;
}

static PmObject *dict_keys(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                           PmObject *kwnames)
{
    (void)args, (void)nargs, (void)kwnames;
    return PmDictView_New(vm, self, PMT_DICT_KEYS);
}

static PmObject *dict_items(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                            PmObject *kwnames)
{
    (void)args, (void)nargs, (void)kwnames;
    return PmDictView_New(vm, self, PMT_DICT_ITEMS);
}

static PmObject *dict_values(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    (void)args, (void)nargs, (void)kwnames;
    return PmDictView_New(vm, self, PMT_DICT_VALUES);
}

static PmObject *dict_update(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    if (dict_update_common(vm, self, args, nargs, kwnames, "update") < 0)
        return NULL;
    return Pm_RETURN_NONE(vm);
}

static PmObject *dict_fromkeys(PmVM *vm, PmObject *cls, PmObject *const *args, size_t nargs,
                               PmObject *kwnames)
{
    (void)kwnames;
    if (pm_check_positional(vm, "fromkeys", nargs, 1, 2) < 0)
        return NULL;
    return dict_fromkeys_impl(vm, cls, args[0], nargs > 1 ? args[1] : Pm_None(vm));
}

static PmObject *dict_clear(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                            PmObject *kwnames)
{
    (void)args, (void)nargs, (void)kwnames;
    PmDict_Clear(vm, self);
    return Pm_RETURN_NONE(vm);
}

static PmObject *dict_copy(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                           PmObject *kwnames)
{
    (void)args, (void)nargs, (void)kwnames;
    return PmDict_Copy(vm, self);
}

static PmObject *dict___reversed__(PmVM *vm, PmObject *self, PmObject *const *args,
                                   size_t nargs, PmObject *kwnames)
{
    (void)args, (void)nargs, (void)kwnames;
    return pm_dict_iter_new(vm, self, PMT_DICT_REVKEYITER);
}

/* ====================================================================== construction */

/* dict.__new__ (CPython's dict_new): an empty dict that does not come from the free list.
 * Exact dicts start untracked, subclass instances tracked.  Subclass instances come from the
 * class machinery (pm_instance_new: a zeroed PmDict followed by the instance extra block). */
static PmObject *dict_alloc(PmVM *vm, PmType *type)
{
    PmObject *self;
    if (type == PMT(vm, DICT)) {
        self = pm_object_alloc(vm, type, sizeof(PmDict), PM_MODEL_DICT + PM_MODEL_GC_HEAD);
    } else {
        self = pm_instance_new(vm, type);
        if (self != NULL && !pm_gc_is_tracked(self))
            pm_gc_track(vm, self);
    }
    if (self != NULL)
        ((PmDict *)self)->ma_keys = PM_DICT_EMPTY_KEYS;
    return self;
}

/* dict(...) for the exact type (CPython's dict_vectorcall); for subclasses only the
 * allocation, tp_init fills the dict. */
static PmObject *dict_tp_new(PmVM *vm, PmType *type, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    if (type != PMT(vm, DICT))
        return dict_alloc(vm, type);
    if (pm_check_positional(vm, "dict", nargs, 0, 1) < 0)
        return NULL;
    PmObject *self = dict_alloc(vm, type);
    if (self == NULL)
        return NULL;
    if (nargs == 1 && dict_update_arg(vm, self, args[0]) < 0)
        goto fail;
    for (Pm_ssize_t i = 0; kwnames != NULL && i < PmTuple_GET_SIZE(kwnames); i++) {
        if (PmDict_SetItem(vm, self, PmTuple_GET_ITEM(kwnames, i), args[nargs + i]) < 0)
            goto fail;
    }
    return self;
fail:
    Pm_DECREF(vm, self);
    return NULL;
}

/* dict.__init__.  type_call runs it after tp_new; for the exact type tp_new already did the
 * work (CPython's dict_vectorcall never calls __init__). */
static int dict_init(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                     PmObject *kwnames)
{
    if (is_exact_dict(vm, self))
        return 0;
    return dict_update_common(vm, self, args, nargs, kwnames, "dict");
}

static const PmMethodDef dict_methods[] = {
    { "__contains__", dict___contains__, PM_METH_O },
    { "__getitem__", dict___getitem__, PM_METH_VARARGS },
    { "__sizeof__", dict___sizeof__, PM_METH_NOARGS },
    { "get", dict_get, PM_METH_VARARGS },
    { "setdefault", dict_setdefault, PM_METH_VARARGS },
    { "pop", dict_pop, PM_METH_VARARGS },
    { "popitem", dict_popitem, PM_METH_NOARGS },
    { "keys", dict_keys, PM_METH_NOARGS },
    { "items", dict_items, PM_METH_NOARGS },
    { "values", dict_values, PM_METH_NOARGS },
    { "update", dict_update, PM_METH_VARARGS | PM_METH_KEYWORDS },
    { "fromkeys", dict_fromkeys, PM_METH_VARARGS | PM_METH_CLASS },
    { "clear", dict_clear, PM_METH_NOARGS },
    { "copy", dict_copy, PM_METH_NOARGS },
    { "__reversed__", dict___reversed__, PM_METH_NOARGS },
    { "__class_getitem__", pm_generic_alias_class_getitem, PM_METH_O | PM_METH_CLASS },
    { NULL, NULL, 0 }
};

const PmType PmDict_Template = {
    .tp_name = "dict",
    .tp_doc = "dict() -> new empty dictionary\n"
              "dict(mapping) -> new dictionary initialized from a mapping object's\n"
              "    (key, value) pairs\n"
              "dict(iterable) -> new dictionary initialized as if via:\n"
              "    d = {}\n"
              "    for k, v in iterable:\n"
              "        d[k] = v\n"
              "dict(**kwargs) -> new dictionary initialized with the name=value pairs\n"
              "    in the keyword argument list.  For example:  dict(one=1, two=2)",
    .tp_basicsize = PM_MODEL_DICT,
    .tp_itemsize = 0,
    .tp_flags = PM_TPFLAGS_HAVE_GC | PM_TPFLAGS_BASETYPE | PM_TPFLAGS_DICT_SUBCLASS,
    .tp_kind = PMT_DICT,
    .tp_dealloc = dict_dealloc,
    .tp_repr = dict_repr,
    .tp_as_number = { .nb_or = dict_or, .nb_inplace_or = dict_ior },
    .tp_as_sequence = { .sq_contains = dict_contains },
    .tp_as_mapping = { dict_length, dict_subscript, dict_ass_sub },
    .tp_hash = pm_hash_not_implemented,
    .tp_getattro = PmObject_GenericGetAttr,
    .tp_traverse = dict_traverse,
    .tp_clear = dict_tp_clear,
    .tp_richcompare = dict_richcompare,
    .tp_iter = dict_iter,
    .tp_methods = dict_methods,
    .tp_init = dict_init,
    .tp_new = dict_tp_new,
    .tp_sizeof = dict_sizeof,
};
