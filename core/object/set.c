/*
 * set.c -- set and frozenset, CPython 3.11's Objects/setobject.c.
 *
 * A set is an open-addressing hash table of (key, hash) entries.  Each probe looks at a run
 * of LINEAR_PROBES consecutive entries before jumping by the perturbed recurrence
 * i = i*5 + 1 + perturb, so the table order -- which is the iteration and printing order --
 * is CPython's exactly: `print({3, 1, 2})` shows {1, 2, 3}.  Entry states:
 *   unused   key == NULL, hash == 0
 *   dummy    key == dummy, hash == -1 (deleted; counted in fill, not in used)
 *   active   any other key, with its hash
 * fill = active + dummy, used = active, mask + 1 = table size (a power of two >= 8).  Up to
 * 8 entries live in the object's smalltable; after an insertion that makes fill*5 >= mask*3
 * the table is rebuilt for used*4 (used*2 past 50000) entries.
 *
 * Modelled size: PySetObject is 200 bytes (getsizeof 216), plus 16 bytes per entry of an
 * external table.  Sets are GC-tracked from creation, like every object CPython allocates
 * with PyType_GenericAlloc; frozenset() is a new object each time in 3.11.
 */
#include "pm.h"

#define LINEAR_PROBES 9
#define PERTURB_SHIFT 5
enum { MODEL_SET = 200, MODEL_SETENTRY = 16, MODEL_SETITER = 48 };

/* Marks deleted entries; never dereferenced, never refcounted. */
static const PmObject dummy_struct;
#define dummy ((PmObject *)&dummy_struct)

static bool is_exact_str(PmVM *vm, PmObject *o) { return Pm_TYPE(o) == PMT(vm, STR); }
static bool is_exact_set(PmVM *vm, PmObject *o) { return Pm_TYPE(o) == PMT(vm, SET); }
static bool is_exact_anyset(PmVM *vm, PmObject *o)
{
    return Pm_TYPE(o) == PMT(vm, SET) || Pm_TYPE(o) == PMT(vm, FROZENSET);
}
#define SO(o) ((PmSet *)(o))

static Pm_hash_t key_hash(PmVM *vm, PmObject *key)
{
    if (is_exact_str(vm, key) && ((PmStr *)key)->hash != -1)
        return ((PmStr *)key)->hash;
    return PmObject_Hash(vm, key);
}

static void set_key_error(PmVM *vm, PmObject *key)
{
    PmObject *exc = PmExc_New(vm, PME(vm, KeyError), &key, 1);
    if (exc)
        PmErr_Restore(vm, exc);
}

/* ====================================================================== probing */

/* Entry holding key, or the unused entry ending its probe run; NULL on error. */
static PmSetEntry *set_lookkey(PmVM *vm, PmSet *so, PmObject *key, Pm_hash_t hash)
{
    uint64_t perturb = (uint64_t)hash, mask = (uint64_t)so->mask, i = (uint64_t)hash & mask;
    for (;;) {
        PmSetEntry *entry = &so->table[i];
        int probes = (i + LINEAR_PROBES <= mask) ? LINEAR_PROBES : 0;
        do {
            if (entry->hash == 0 && entry->key == NULL)
                return entry;
            if (entry->hash == hash) {
                PmObject *startkey = entry->key;
                PmSetEntry *table = so->table;
                if (startkey == key)
                    return entry;
                if (is_exact_str(vm, startkey) && is_exact_str(vm, key)
                    && PmStr_Equal(startkey, key))
                    return entry;
                Pm_INCREF(startkey);
                int cmp = PmObject_RichCompareBool(vm, startkey, key, Pm_EQ);
                Pm_DECREF(vm, startkey);
                if (cmp < 0)
                    return NULL;
                if (table != so->table || entry->key != startkey)
                    return set_lookkey(vm, so, key, hash);
                if (cmp > 0)
                    return entry;
                mask = (uint64_t)so->mask;
            }
            entry++;
        } while (probes--);
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
}

static int set_table_resize(PmVM *vm, PmSet *so, Pm_ssize_t minused);

static int resize_after_add(PmVM *vm, PmSet *so)
{
    return set_table_resize(vm, so, so->used > 50000 ? so->used * 2 : so->used * 4);
}

/* Add key (borrowed) with its hash; 0 added or present, -1 error. */
static int set_add_entry(PmVM *vm, PmSet *so, PmObject *key, Pm_hash_t hash)
{
    PmSetEntry *freeslot, *entry;
    uint64_t perturb, mask, i;
    Pm_INCREF(key);   /* the comparison may run code that drops the caller's reference */
restart:
    mask = (uint64_t)so->mask;
    i = (uint64_t)hash & mask;
    freeslot = NULL;
    perturb = (uint64_t)hash;
    for (;;) {
        entry = &so->table[i];
        int probes = (i + LINEAR_PROBES <= mask) ? LINEAR_PROBES : 0;
        do {
            if (entry->hash == 0 && entry->key == NULL)
                goto found_unused_or_dummy;
            if (entry->hash == hash) {
                PmObject *startkey = entry->key;
                PmSetEntry *table = so->table;
                if (startkey == key)
                    goto found_active;
                if (is_exact_str(vm, startkey) && is_exact_str(vm, key)
                    && PmStr_Equal(startkey, key))
                    goto found_active;
                Pm_INCREF(startkey);
                int cmp = PmObject_RichCompareBool(vm, startkey, key, Pm_EQ);
                Pm_DECREF(vm, startkey);
                if (cmp > 0)
                    goto found_active;
                if (cmp < 0)
                    goto comparison_error;
                if (table != so->table || entry->key != startkey)
                    goto restart;
                mask = (uint64_t)so->mask;
            } else if (entry->hash == -1) {
                freeslot = entry;
            }
            entry++;
        } while (probes--);
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
found_unused_or_dummy:
    if (freeslot == NULL)
        goto found_unused;
    so->used++;
    freeslot->key = key;
    freeslot->hash = hash;
    return 0;
found_unused:
    so->fill++;
    so->used++;
    entry->key = key;
    entry->hash = hash;
    if ((uint64_t)so->fill * 5 < mask * 3)
        return 0;
    return resize_after_add(vm, so);
found_active:
    Pm_DECREF(vm, key);
    return 0;
comparison_error:
    Pm_DECREF(vm, key);
    return -1;
}

/* Insert a key known to be absent into a table without dummies (no refcount changes). */
static void set_insert_clean(PmSetEntry *table, uint64_t mask, PmObject *key, Pm_hash_t hash)
{
    uint64_t perturb = (uint64_t)hash, i = (uint64_t)hash & mask;
    PmSetEntry *entry;
    for (;;) {
        entry = &table[i];
        if (entry->key == NULL)
            goto found_null;
        if (i + LINEAR_PROBES <= mask) {
            for (int j = 0; j < LINEAR_PROBES; j++) {
                entry++;
                if (entry->key == NULL)
                    goto found_null;
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + 1 + perturb) & mask;
    }
found_null:
    entry->key = key;
    entry->hash = hash;
}

/* ====================================================================== resize */

static int set_table_resize(PmVM *vm, PmSet *so, Pm_ssize_t minused)
{
    PmSetEntry *oldtable = so->table, *newtable, *entry;
    PmSetEntry small_copy[PM_SET_MINSIZE];
    Pm_ssize_t oldmask = so->mask;
    bool is_oldtable_malloced = oldtable != so->smalltable;
    uint64_t newsize = PM_SET_MINSIZE;

    while (newsize <= (uint64_t)minused)
        newsize <<= 1;
    if (newsize == PM_SET_MINSIZE) {
        newtable = so->smalltable;
        if (newtable == oldtable) {
            if (so->fill == so->used)
                return 0;       /* no dummies: nothing to do */
            memcpy(small_copy, oldtable, sizeof(small_copy));
            oldtable = small_copy;
        }
    } else {
        if (newsize > SIZE_MAX / sizeof(PmSetEntry)) {
            PmErr_NoMemory(vm);
            return -1;
        }
        newtable = pm_mem_alloc(vm, sizeof(PmSetEntry) * (size_t)newsize,
                                MODEL_SETENTRY * (size_t)newsize);
        if (newtable == NULL)
            return -1;
    }
    memset(newtable, 0, sizeof(PmSetEntry) * (size_t)newsize);
    so->mask = (Pm_ssize_t)newsize - 1;
    so->table = newtable;
    if (so->fill != so->used)
        so->fill = so->used;
    for (entry = oldtable; entry <= oldtable + oldmask; entry++) {
        if (entry->key != NULL && entry->key != dummy)
            set_insert_clean(newtable, newsize - 1, entry->key, entry->hash);
    }
    if (is_oldtable_malloced)
        pm_mem_free(vm, oldtable);
    return 0;
}

/* ====================================================================== basic operations */

static int set_contains_entry(PmVM *vm, PmSet *so, PmObject *key, Pm_hash_t hash)
{
    PmSetEntry *entry = set_lookkey(vm, so, key, hash);
    return entry ? entry->key != NULL : -1;
}

enum { DISCARD_NOTFOUND = 0, DISCARD_FOUND = 1 };

static int set_discard_entry(PmVM *vm, PmSet *so, PmObject *key, Pm_hash_t hash)
{
    PmSetEntry *entry = set_lookkey(vm, so, key, hash);
    if (entry == NULL)
        return -1;
    if (entry->key == NULL)
        return DISCARD_NOTFOUND;
    PmObject *old_key = entry->key;
    entry->key = dummy;
    entry->hash = -1;
    so->used--;
    Pm_DECREF(vm, old_key);
    return DISCARD_FOUND;
}

static int set_add_key(PmVM *vm, PmSet *so, PmObject *key)
{
    Pm_hash_t hash = key_hash(vm, key);
    return hash == -1 ? -1 : set_add_entry(vm, so, key, hash);
}

static int set_contains_key(PmVM *vm, PmSet *so, PmObject *key)
{
    Pm_hash_t hash = key_hash(vm, key);
    return hash == -1 ? -1 : set_contains_entry(vm, so, key, hash);
}

static int set_discard_key(PmVM *vm, PmSet *so, PmObject *key)
{
    Pm_hash_t hash = key_hash(vm, key);
    return hash == -1 ? -1 : set_discard_entry(vm, so, key, hash);
}

static void set_empty_to_minsize(PmSet *so)
{
    memset(so->smalltable, 0, sizeof(so->smalltable));
    so->fill = 0;
    so->used = 0;
    so->mask = PM_SET_MINSIZE - 1;
    so->table = so->smalltable;
    so->hash = -1;
}

/* Empty the set first, then release the keys (their decrefs may touch the set). */
static int set_clear_internal(PmVM *vm, PmObject *o)
{
    PmSet *so = SO(o);
    PmSetEntry *entry, *table = so->table;
    PmSetEntry small_copy[PM_SET_MINSIZE];
    Pm_ssize_t fill = so->fill, used = so->used;
    bool table_is_malloced = table != so->smalltable;
    if (table_is_malloced) {
        set_empty_to_minsize(so);
    } else if (fill > 0) {
        memcpy(small_copy, table, sizeof(small_copy));
        table = small_copy;
        set_empty_to_minsize(so);
    }
    for (entry = table; used > 0; entry++) {
        if (entry->key && entry->key != dummy) {
            used--;
            Pm_DECREF(vm, entry->key);
        }
    }
    if (table_is_malloced)
        pm_mem_free(vm, table);
    return 0;
}

/* Next active entry in table order. */
static int set_next(PmSet *so, Pm_ssize_t *pos_ptr, PmSetEntry **entry_ptr)
{
    Pm_ssize_t i = *pos_ptr, mask = so->mask;
    PmSetEntry *entry = &so->table[i];
    while (i <= mask && (entry->key == NULL || entry->key == dummy)) {
        i++;
        entry++;
    }
    *pos_ptr = i + 1;
    if (i > mask)
        return 0;
    *entry_ptr = entry;
    return 1;
}

int PmSet_Next(PmObject *set, Pm_ssize_t *pos, PmObject **key, Pm_hash_t *hash)
{
    PmSetEntry *entry;
    if (!set_next(SO(set), pos, &entry))
        return 0;
    *key = entry->key;
    if (hash)
        *hash = entry->hash;
    return 1;
}

Pm_ssize_t PmSet_Size(PmObject *set) { return SO(set)->used; }

/* ====================================================================== construction */

static int set_update_internal(PmVM *vm, PmSet *so, PmObject *other);

/* A new set or frozenset of `type` (subclasses included), tracked, filled from iterable. */
static PmObject *make_new_set(PmVM *vm, PmType *type, PmObject *iterable)
{
    PmObject *o;
    if (type == PMT(vm, SET) || type == PMT(vm, FROZENSET)) {
        o = pm_object_alloc(vm, type, sizeof(PmSet), MODEL_SET + PM_MODEL_GC_HEAD);
        if (o != NULL)
            pm_gc_track(vm, o);
    } else {
        o = pm_instance_new(vm, type);
    }
    if (o == NULL)
        return NULL;
    PmSet *so = SO(o);
    so->fill = 0;
    so->used = 0;
    so->mask = PM_SET_MINSIZE - 1;
    so->table = so->smalltable;
    so->hash = -1;
    so->finger = 0;
    so->weakreflist = NULL;
    if (iterable != NULL && set_update_internal(vm, so, iterable)) {
        Pm_DECREF(vm, o);
        return NULL;
    }
    return o;
}

/* Results of set operations are plain sets or frozensets, whatever the subclass. */
static PmObject *make_new_set_basetype(PmVM *vm, PmType *type, PmObject *iterable)
{
    if (type != PMT(vm, SET) && type != PMT(vm, FROZENSET))
        type = PmType_IsSubtype(type, PMT(vm, SET)) ? PMT(vm, SET) : PMT(vm, FROZENSET);
    return make_new_set(vm, type, iterable);
}

static PmObject *make_new_frozenset(PmVM *vm, PmType *type, PmObject *iterable)
{
    if (type != PMT(vm, FROZENSET))
        return make_new_set(vm, type, iterable);
    if (iterable != NULL && Pm_TYPE(iterable) == PMT(vm, FROZENSET))
        return Pm_NewRef(iterable);    /* frozenset(f) is idempotent */
    return make_new_set(vm, type, iterable);
}

PmObject *PmSet_New(PmVM *vm, PmObject *iterable)
{
    return make_new_set(vm, PMT(vm, SET), iterable);
}

PmObject *PmFrozenSet_New(PmVM *vm, PmObject *iterable)
{
    return make_new_set(vm, PMT(vm, FROZENSET), iterable);
}

/* set(iterable) (CPython's set_vectorcall); subclasses are filled by __init__. */
static PmObject *set_tp_new(PmVM *vm, PmType *type, PmObject *const *args, size_t nargs,
                            PmObject *kwnames)
{
    if (type != PMT(vm, SET))
        return make_new_set(vm, type, NULL);
    if (pm_no_kwargs(vm, "set", kwnames) < 0 || pm_check_positional(vm, "set", nargs, 0, 1) < 0)
        return NULL;
    return make_new_set(vm, type, nargs ? args[0] : NULL);
}

static PmObject *frozenset_tp_new(PmVM *vm, PmType *type, PmObject *const *args, size_t nargs,
                                  PmObject *kwnames)
{
    if (type == PMT(vm, FROZENSET) && pm_no_kwargs(vm, "frozenset", kwnames) < 0)
        return NULL;
    if (pm_check_positional(vm, type == PMT(vm, FROZENSET) ? "frozenset" : type->tp_name,
                            nargs, 0, 1) < 0)
        return NULL;
    return make_new_frozenset(vm, type, nargs ? args[0] : NULL);
}

/* set.__init__ (CPython's set_init).  type_call runs it after tp_new; for the exact type
 * tp_new already did the work (CPython's set_vectorcall never calls __init__). */
static int set_init(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                    PmObject *kwnames)
{
    if (is_exact_set(vm, self))
        return 0;
    if (pm_no_kwargs(vm, "set", kwnames) < 0
        || pm_check_positional(vm, Pm_TYPE(self)->tp_name, nargs, 0, 1) < 0)
        return -1;
    if (SO(self)->fill)
        set_clear_internal(vm, self);
    SO(self)->hash = -1;
    if (nargs == 0)
        return 0;
    return set_update_internal(vm, SO(self), args[0]);
}

/* ====================================================================== dealloc, traverse */

static void set_dealloc(PmVM *vm, PmObject *o)
{
    PmSet *so = SO(o);
    PmSetEntry *entry;
    Pm_ssize_t used = so->used;
    pm_gc_untrack(vm, o);
    PM_TRASHCAN_BEGIN(vm, o)
    if (so->weakreflist != NULL)
        pm_weakref_clear_all(vm, o);
    for (entry = so->table; used > 0; entry++) {
        if (entry->key && entry->key != dummy) {
            used--;
            Pm_DECREF(vm, entry->key);
        }
    }
    if (so->table != so->smalltable)
        pm_mem_free(vm, so->table);
    pm_object_free(vm, o);
    PM_TRASHCAN_END(vm)
}

static int set_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    Pm_ssize_t pos = 0;
    PmSetEntry *entry;
    while (set_next(SO(o), &pos, &entry))
        Pm_VISIT(vm, entry->key);
    return 0;
}

/* ====================================================================== repr, hash */

static PmObject *set_repr(PmVM *vm, PmObject *o)
{
    PmObject *result = NULL, *keys, *listrepr, *tmp;
    int status = pm_repr_enter(vm, o);
    if (status != 0)
        return status < 0 ? NULL : PmStr_FromFormat(vm, "%s(...)", Pm_TYPE(o)->tp_name);
    if (!SO(o)->used) {
        pm_repr_leave(vm, o);
        return PmStr_FromFormat(vm, "%s()", Pm_TYPE(o)->tp_name);
    }
    keys = PmSequence_List(vm, o);
    if (keys == NULL)
        goto done;
    listrepr = PmObject_Repr(vm, keys);
    Pm_DECREF(vm, keys);
    if (listrepr == NULL)
        goto done;
    tmp = PmStr_Substring(vm, listrepr, 1, PmStr_GET_LENGTH(listrepr) - 1);
    Pm_DECREF(vm, listrepr);
    if (tmp == NULL)
        goto done;
    if (!is_exact_set(vm, o))
        result = PmStr_FromFormat(vm, "%s({%U})", Pm_TYPE(o)->tp_name, tmp);
    else
        result = PmStr_FromFormat(vm, "{%U}", tmp);
    Pm_DECREF(vm, tmp);
done:
    pm_repr_leave(vm, o);
    return result;
}

/* Spread the bits of nearby hashes (frozensets of small ints). */
static uint64_t shuffle_bits(uint64_t h)
{
    return ((h ^ 89869747ULL) ^ (h << 16)) * 3644798167ULL;
}

/* CPython's frozenset_hash: order-independent, cached in so->hash. */
static Pm_hash_t frozenset_hash(PmVM *vm, PmObject *self)
{
    PmSet *so = SO(self);
    uint64_t hash = 0;
    (void)vm;
    if (so->hash != -1)
        return so->hash;
    for (PmSetEntry *entry = so->table; entry <= &so->table[so->mask]; entry++)
        hash ^= shuffle_bits((uint64_t)entry->hash);
    if ((so->mask + 1 - so->fill) & 1)       /* odd number of unused entries */
        hash ^= shuffle_bits(0);
    if ((so->fill - so->used) & 1)           /* odd number of dummies */
        hash ^= shuffle_bits((uint64_t)-1);
    hash ^= ((uint64_t)so->used + 1) * 1927868237ULL;
    hash ^= (hash >> 11) ^ (hash >> 25);
    hash = hash * 69069U + 907133923ULL;
    if (hash == (uint64_t)-1)
        hash = 590923713ULL;
    so->hash = (Pm_hash_t)hash;
    return so->hash;
}

static Pm_ssize_t set_len(PmVM *vm, PmObject *o)
{
    (void)vm;
    return SO(o)->used;
}

static Pm_ssize_t set_sizeof(PmVM *vm, PmObject *o)
{
    PmSet *so = SO(o);
    (void)vm;
    Pm_ssize_t res = Pm_TYPE(o)->tp_basicsize;
    if (so->table != so->smalltable)
        res += (so->mask + 1) * MODEL_SETENTRY;
    return res;
}

/* ====================================================================== update, merge */

/* Add every key of another set; one resize up front. */
static int set_merge(PmVM *vm, PmSet *so, PmSet *other)
{
    PmSetEntry *so_entry, *other_entry;
    Pm_ssize_t i;
    if (other == so || other->used == 0)
        return 0;
    if ((so->fill + other->used) * 5 >= so->mask * 3) {
        if (set_table_resize(vm, so, (so->used + other->used) * 2) != 0)
            return -1;
    }
    so_entry = so->table;
    other_entry = other->table;
    if (so->fill == 0 && so->mask == other->mask && other->fill == other->used) {
        for (i = 0; i <= other->mask; i++, so_entry++, other_entry++) {
            if (other_entry->key != NULL) {
                so_entry->key = Pm_NewRef(other_entry->key);
                so_entry->hash = other_entry->hash;
            }
        }
        so->fill = other->fill;
        so->used = other->used;
        return 0;
    }
    if (so->fill == 0) {
        so->fill = other->used;
        so->used = other->used;
        for (i = other->mask + 1; i > 0; i--, other_entry++) {
            PmObject *key = other_entry->key;
            if (key != NULL && key != dummy)
                set_insert_clean(so->table, (uint64_t)so->mask, Pm_NewRef(key),
                                 other_entry->hash);
        }
        return 0;
    }
    for (i = 0; i <= other->mask; i++) {
        other_entry = &other->table[i];
        if (other_entry->key != NULL && other_entry->key != dummy
            && set_add_entry(vm, so, other_entry->key, other_entry->hash))
            return -1;
    }
    return 0;
}

static int set_update_from_dict(PmVM *vm, PmSet *so, PmObject *other)
{
    Pm_ssize_t pos = 0, dictsize = PmDict_Size(other);
    PmObject *key, *value;
    Pm_hash_t hash;
    if ((so->fill + dictsize) * 5 >= so->mask * 3) {
        if (set_table_resize(vm, so, (so->used + dictsize) * 2) != 0)
            return -1;
    }
    while (PmDict_NextHash(other, &pos, &key, &value, &hash)) {
        if (set_add_entry(vm, so, key, hash))
            return -1;
    }
    return 0;
}

static int set_update_internal(PmVM *vm, PmSet *so, PmObject *other)
{
    PmObject *key, *it;
    if (PmAnySet_Check(other))
        return set_merge(vm, so, SO(other));
    if (Pm_TYPE(other) == PMT(vm, DICT))
        return set_update_from_dict(vm, so, other);
    it = PmObject_GetIter(vm, other);
    if (it == NULL)
        return -1;
    while ((key = PmIter_Next(vm, it)) != NULL) {
        int r = set_add_key(vm, so, key);
        Pm_DECREF(vm, key);
        if (r) {
            Pm_DECREF(vm, it);
            return -1;
        }
    }
    Pm_DECREF(vm, it);
    return PmErr_Occurred(vm) ? -1 : 0;
}

int PmSet_Update(PmVM *vm, PmObject *set, PmObject *iterable)
{
    return set_update_internal(vm, SO(set), iterable);
}

int PmSet_Add(PmVM *vm, PmObject *set, PmObject *key)
{
    return set_add_key(vm, SO(set), key);
}

int PmSet_Discard(PmVM *vm, PmObject *set, PmObject *key)
{
    return set_discard_key(vm, SO(set), key);
}

/* Swap the contents of two sets (intersection_update and friends). */
static void set_swap_bodies(PmVM *vm, PmSet *a, PmSet *b)
{
    Pm_ssize_t t;
    PmSetEntry *u, tab[PM_SET_MINSIZE];
    Pm_hash_t h;
    t = a->fill; a->fill = b->fill; b->fill = t;
    t = a->used; a->used = b->used; b->used = t;
    t = a->mask; a->mask = b->mask; b->mask = t;
    u = a->table;
    if (a->table == a->smalltable)
        u = b->smalltable;
    a->table = b->table;
    if (b->table == b->smalltable)
        a->table = a->smalltable;
    b->table = u;
    if (a->table == a->smalltable || b->table == b->smalltable) {
        memcpy(tab, a->smalltable, sizeof(tab));
        memcpy(a->smalltable, b->smalltable, sizeof(tab));
        memcpy(b->smalltable, tab, sizeof(tab));
    }
    if (PmType_IsSubtype(Pm_TYPE(a), PMT(vm, FROZENSET))
        && PmType_IsSubtype(Pm_TYPE(b), PMT(vm, FROZENSET))) {
        h = a->hash; a->hash = b->hash; b->hash = h;
    } else {
        a->hash = -1;
        b->hash = -1;
    }
}

/* ====================================================================== set algebra */

static PmObject *set_copy_impl(PmVM *vm, PmObject *so)
{
    return make_new_set_basetype(vm, Pm_TYPE(so), so);
}

static PmObject *set_intersection(PmVM *vm, PmObject *so, PmObject *other);

/* Elements of the iterable `other` that are in so. */
static PmObject *intersection_iter(PmVM *vm, PmObject *so, PmObject *other, PmObject *result)
{
    PmObject *it = PmObject_GetIter(vm, other), *key;
    if (it == NULL) {
        Pm_DECREF(vm, result);
        return NULL;
    }
    while ((key = PmIter_Next(vm, it)) != NULL) {
        Pm_hash_t hash = PmObject_Hash(vm, key);
        int rv = hash == -1 ? -1 : set_contains_entry(vm, SO(so), key, hash);
        if (rv > 0)
            rv = set_add_entry(vm, SO(result), key, hash) ? -1 : 1;
        Pm_DECREF(vm, key);
        if (rv < 0) {
            Pm_DECREF(vm, it);
            Pm_DECREF(vm, result);
            return NULL;
        }
        if (rv > 0 && SO(result)->used >= SO(so)->used)
            break;
    }
    Pm_DECREF(vm, it);
    if (PmErr_Occurred(vm)) {
        Pm_DECREF(vm, result);
        return NULL;
    }
    return result;
}

static PmObject *set_intersection(PmVM *vm, PmObject *so, PmObject *other)
{
    PmObject *result;
    if (so == other)
        return set_copy_impl(vm, so);
    result = make_new_set_basetype(vm, Pm_TYPE(so), NULL);
    if (result == NULL)
        return NULL;
    if (!PmAnySet_Check(other))
        return intersection_iter(vm, so, other, result);
    Pm_ssize_t pos = 0;
    PmSetEntry *entry;
    if (SO(other)->used > SO(so)->used) {
        PmObject *tmp = so;
        so = other;
        other = tmp;
    }
    while (set_next(SO(other), &pos, &entry)) {
        PmObject *key = entry->key;
        Pm_hash_t hash = entry->hash;
        Pm_INCREF(key);
        int rv = set_contains_entry(vm, SO(so), key, hash);
        if (rv > 0)
            rv = set_add_entry(vm, SO(result), key, hash) ? -1 : 0;
        Pm_DECREF(vm, key);
        if (rv < 0) {
            Pm_DECREF(vm, result);
            return NULL;
        }
    }
    return result;
}

PmObject *PmSet_Intersection(PmVM *vm, PmObject *set, PmObject *other)
{
    return set_intersection(vm, set, other);
}

static PmObject *set_intersection_multi(PmVM *vm, PmObject *so, PmObject *const *args,
                                        size_t nargs)
{
    if (nargs == 0)
        return set_copy_impl(vm, so);
    PmObject *result = Pm_NewRef(so);
    for (size_t i = 0; i < nargs; i++) {
        PmObject *newresult = set_intersection(vm, result, args[i]);
        if (newresult == NULL) {
            Pm_DECREF(vm, result);
            return NULL;
        }
        Pm_SETREF(vm, result, newresult);
    }
    return result;
}

static int set_intersection_update(PmVM *vm, PmObject *so, PmObject *tmp)
{
    if (tmp == NULL)
        return -1;
    set_swap_bodies(vm, SO(so), SO(tmp));
    Pm_DECREF(vm, tmp);
    return 0;
}

static int set_difference_update_internal(PmVM *vm, PmSet *so, PmObject *other);

/* Remove the keys of another set. */
static int difference_update_set(PmVM *vm, PmSet *so, PmObject *other)
{
    PmSetEntry *entry;
    Pm_ssize_t pos = 0;
    if ((SO(other)->used >> 3) > so->used) {
        other = set_intersection(vm, (PmObject *)so, other);
        if (other == NULL)
            return -1;
    } else {
        Pm_INCREF(other);
    }
    while (set_next(SO(other), &pos, &entry)) {
        PmObject *key = entry->key;
        Pm_INCREF(key);
        int r = set_discard_entry(vm, so, key, entry->hash);
        Pm_DECREF(vm, key);
        if (r < 0) {
            Pm_DECREF(vm, other);
            return -1;
        }
    }
    Pm_DECREF(vm, other);
    return 0;
}

static int difference_update_iter(PmVM *vm, PmSet *so, PmObject *other)
{
    PmObject *key, *it = PmObject_GetIter(vm, other);
    if (it == NULL)
        return -1;
    while ((key = PmIter_Next(vm, it)) != NULL) {
        int r = set_discard_key(vm, so, key);
        Pm_DECREF(vm, key);
        if (r < 0) {
            Pm_DECREF(vm, it);
            return -1;
        }
    }
    Pm_DECREF(vm, it);
    return PmErr_Occurred(vm) ? -1 : 0;
}

static int set_difference_update_internal(PmVM *vm, PmSet *so, PmObject *other)
{
    if ((PmObject *)so == other)
        return set_clear_internal(vm, (PmObject *)so);
    /* 3.11 leaves the dummies in place (no shrinking resize afterwards). */
    return PmAnySet_Check(other) ? difference_update_set(vm, so, other)
                                 : difference_update_iter(vm, so, other);
}

int PmSet_DifferenceUpdate(PmVM *vm, PmObject *set, PmObject *other)
{
    return set_difference_update_internal(vm, SO(set), other);
}

static PmObject *set_copy_and_difference(PmVM *vm, PmObject *so, PmObject *other)
{
    PmObject *result = set_copy_impl(vm, so);
    if (result != NULL && set_difference_update_internal(vm, SO(result), other) != 0)
        Pm_CLEAR(vm, result);
    return result;
}

/* Keys of so that are not in other (a set or an exact dict). */
static PmObject *difference_by_lookup(PmVM *vm, PmObject *so, PmObject *other)
{
    PmObject *result = make_new_set_basetype(vm, Pm_TYPE(so), NULL);
    bool is_dict = Pm_TYPE(other) == PMT(vm, DICT);
    Pm_ssize_t pos = 0;
    PmSetEntry *entry;
    if (result == NULL)
        return NULL;
    while (set_next(SO(so), &pos, &entry)) {
        PmObject *key = entry->key;
        Pm_hash_t hash = entry->hash;
        Pm_INCREF(key);
        int rv = is_dict ? PmDict_ContainsKnownHash(vm, other, key, hash)
                         : set_contains_entry(vm, SO(other), key, hash);
        if (rv == 0)
            rv = set_add_entry(vm, SO(result), key, hash) ? -1 : 0;
        Pm_DECREF(vm, key);
        if (rv < 0) {
            Pm_DECREF(vm, result);
            return NULL;
        }
    }
    return result;
}

static PmObject *set_difference(PmVM *vm, PmObject *so, PmObject *other)
{
    Pm_ssize_t other_size;
    if (PmAnySet_Check(other))
        other_size = SO(other)->used;
    else if (Pm_TYPE(other) == PMT(vm, DICT))
        other_size = PmDict_Size(other);
    else
        return set_copy_and_difference(vm, so, other);
    if ((SO(so)->used >> 2) > other_size)
        return set_copy_and_difference(vm, so, other);
    return difference_by_lookup(vm, so, other);
}

static PmObject *set_difference_multi(PmVM *vm, PmObject *so, PmObject *const *args,
                                      size_t nargs)
{
    if (nargs == 0)
        return set_copy_impl(vm, so);
    PmObject *result = set_difference(vm, so, args[0]);
    for (size_t i = 1; result != NULL && i < nargs; i++) {
        if (set_difference_update_internal(vm, SO(result), args[i]))
            Pm_CLEAR(vm, result);
    }
    return result;
}

/* Toggle each key of `otherset` (a set, borrowed) in so. */
static int toggle_keys(PmVM *vm, PmSet *so, PmObject *otherset)
{
    Pm_ssize_t pos = 0;
    PmSetEntry *entry;
    while (set_next(SO(otherset), &pos, &entry)) {
        PmObject *key = entry->key;
        Pm_hash_t hash = entry->hash;
        Pm_INCREF(key);
        int rv = set_discard_entry(vm, so, key, hash);
        if (rv == DISCARD_NOTFOUND)
            rv = set_add_entry(vm, so, key, hash);
        Pm_DECREF(vm, key);
        if (rv < 0)
            return -1;
    }
    return 0;
}

static int toggle_dict_keys(PmVM *vm, PmSet *so, PmObject *dict)
{
    Pm_ssize_t pos = 0;
    PmObject *key, *value;
    Pm_hash_t hash;
    while (PmDict_NextHash(dict, &pos, &key, &value, &hash)) {
        Pm_INCREF(key);
        int rv = set_discard_entry(vm, so, key, hash);
        if (rv == DISCARD_NOTFOUND)
            rv = set_add_entry(vm, so, key, hash);
        Pm_DECREF(vm, key);
        if (rv < 0)
            return -1;
    }
    return 0;
}

static int set_symmetric_difference_update(PmVM *vm, PmSet *so, PmObject *other)
{
    PmObject *otherset;
    if ((PmObject *)so == other)
        return set_clear_internal(vm, (PmObject *)so);
    if (Pm_TYPE(other) == PMT(vm, DICT))
        return toggle_dict_keys(vm, so, other);
    if (PmAnySet_Check(other))
        otherset = Pm_NewRef(other);
    else if ((otherset = make_new_set_basetype(vm, Pm_TYPE(so), other)) == NULL)
        return -1;
    int r = toggle_keys(vm, so, otherset);
    Pm_DECREF(vm, otherset);
    return r;
}

int PmSet_SymmetricDifferenceUpdate(PmVM *vm, PmObject *set, PmObject *other)
{
    return set_symmetric_difference_update(vm, SO(set), other);
}

static PmObject *set_symmetric_difference(PmVM *vm, PmObject *so, PmObject *other)
{
    PmObject *otherset = make_new_set_basetype(vm, Pm_TYPE(so), other);
    if (otherset != NULL && set_symmetric_difference_update(vm, SO(otherset), so) < 0)
        Pm_CLEAR(vm, otherset);
    return otherset;
}

static PmObject *set_issubset(PmVM *vm, PmObject *so, PmObject *other)
{
    Pm_ssize_t pos = 0;
    PmSetEntry *entry;
    if (!PmAnySet_Check(other)) {
        PmObject *tmp = make_new_set(vm, PMT(vm, SET), other), *result;
        if (tmp == NULL)
            return NULL;
        result = set_issubset(vm, so, tmp);
        Pm_DECREF(vm, tmp);
        return result;
    }
    if (SO(so)->used > SO(other)->used)
        return Pm_Bool(vm, 0);
    while (set_next(SO(so), &pos, &entry)) {
        PmObject *key = entry->key;
        Pm_INCREF(key);
        int rv = set_contains_entry(vm, SO(other), key, entry->hash);
        Pm_DECREF(vm, key);
        if (rv <= 0)
            return rv < 0 ? NULL : Pm_Bool(vm, 0);
    }
    return Pm_Bool(vm, 1);
}

static PmObject *set_issuperset(PmVM *vm, PmObject *so, PmObject *other)
{
    PmObject *key, *it;
    if (PmAnySet_Check(other))
        return set_issubset(vm, other, so);
    it = PmObject_GetIter(vm, other);
    if (it == NULL)
        return NULL;
    while ((key = PmIter_Next(vm, it)) != NULL) {
        int rv = set_contains_key(vm, SO(so), key);
        Pm_DECREF(vm, key);
        if (rv <= 0) {
            Pm_DECREF(vm, it);
            return rv < 0 ? NULL : Pm_Bool(vm, 0);
        }
    }
    Pm_DECREF(vm, it);
    return PmErr_Occurred(vm) ? NULL : Pm_Bool(vm, 1);
}

static PmObject *set_isdisjoint_impl(PmVM *vm, PmObject *so, PmObject *other)
{
    PmObject *key, *it;
    if (so == other)
        return Pm_Bool(vm, SO(so)->used == 0);
    if (is_exact_anyset(vm, other)) {
        Pm_ssize_t pos = 0;
        PmSetEntry *entry;
        if (SO(other)->used > SO(so)->used) {
            PmObject *tmp = so;
            so = other;
            other = tmp;
        }
        while (set_next(SO(other), &pos, &entry)) {
            PmObject *k = entry->key;
            Pm_INCREF(k);
            int rv = set_contains_entry(vm, SO(so), k, entry->hash);
            Pm_DECREF(vm, k);
            if (rv != 0)
                return rv < 0 ? NULL : Pm_Bool(vm, 0);
        }
        return Pm_Bool(vm, 1);
    }
    it = PmObject_GetIter(vm, other);
    if (it == NULL)
        return NULL;
    while ((key = PmIter_Next(vm, it)) != NULL) {
        int rv = set_contains_key(vm, SO(so), key);
        Pm_DECREF(vm, key);
        if (rv != 0) {
            Pm_DECREF(vm, it);
            return rv < 0 ? NULL : Pm_Bool(vm, 0);
        }
    }
    Pm_DECREF(vm, it);
    return PmErr_Occurred(vm) ? NULL : Pm_Bool(vm, 1);
}

/* ====================================================================== operators */

static PmObject *set_or(PmVM *vm, PmObject *so, PmObject *other)
{
    if (!PmAnySet_Check(so) || !PmAnySet_Check(other))
        return Pm_NewRef(Pm_NotImplemented(vm));
    PmObject *result = set_copy_impl(vm, so);
    if (result == NULL || so == other)
        return result;
    if (set_update_internal(vm, SO(result), other)) {
        Pm_DECREF(vm, result);
        return NULL;
    }
    return result;
}

static PmObject *set_ior(PmVM *vm, PmObject *so, PmObject *other)
{
    if (!PmAnySet_Check(other))
        return Pm_NewRef(Pm_NotImplemented(vm));
    if (set_update_internal(vm, SO(so), other))
        return NULL;
    return Pm_NewRef(so);
}

static PmObject *set_and(PmVM *vm, PmObject *so, PmObject *other)
{
    if (!PmAnySet_Check(so) || !PmAnySet_Check(other))
        return Pm_NewRef(Pm_NotImplemented(vm));
    return set_intersection(vm, so, other);
}

static PmObject *set_iand(PmVM *vm, PmObject *so, PmObject *other)
{
    if (!PmAnySet_Check(other))
        return Pm_NewRef(Pm_NotImplemented(vm));
    if (set_intersection_update(vm, so, set_intersection(vm, so, other)) < 0)
        return NULL;
    return Pm_NewRef(so);
}

static PmObject *set_sub(PmVM *vm, PmObject *so, PmObject *other)
{
    if (!PmAnySet_Check(so) || !PmAnySet_Check(other))
        return Pm_NewRef(Pm_NotImplemented(vm));
    return set_difference(vm, so, other);
}

static PmObject *set_isub(PmVM *vm, PmObject *so, PmObject *other)
{
    if (!PmAnySet_Check(other))
        return Pm_NewRef(Pm_NotImplemented(vm));
    if (set_difference_update_internal(vm, SO(so), other))
        return NULL;
    return Pm_NewRef(so);
}

static PmObject *set_xor(PmVM *vm, PmObject *so, PmObject *other)
{
    if (!PmAnySet_Check(so) || !PmAnySet_Check(other))
        return Pm_NewRef(Pm_NotImplemented(vm));
    return set_symmetric_difference(vm, so, other);
}

static PmObject *set_ixor(PmVM *vm, PmObject *so, PmObject *other)
{
    if (!PmAnySet_Check(other))
        return Pm_NewRef(Pm_NotImplemented(vm));
    if (set_symmetric_difference_update(vm, SO(so), other) < 0)
        return NULL;
    return Pm_NewRef(so);
}

static PmObject *set_richcompare(PmVM *vm, PmObject *v, PmObject *w, int op)
{
    if (!PmAnySet_Check(w))
        return Pm_NewRef(Pm_NotImplemented(vm));
    switch (op) {
    case Pm_EQ:
        if (SO(v)->used != SO(w)->used)
            return Pm_Bool(vm, 0);
        if (SO(v)->hash != -1 && SO(w)->hash != -1 && SO(v)->hash != SO(w)->hash)
            return Pm_Bool(vm, 0);
        return set_issubset(vm, v, w);
    case Pm_NE: {
        PmObject *r1 = set_richcompare(vm, v, w, Pm_EQ);
        if (r1 == NULL)
            return NULL;
        int r2 = PmObject_IsTrue(vm, r1);
        Pm_DECREF(vm, r1);
        return r2 < 0 ? NULL : Pm_Bool(vm, !r2);
    }
    case Pm_LE:
        return set_issubset(vm, v, w);
    case Pm_GE:
        return set_issuperset(vm, v, w);
    case Pm_LT:
        if (SO(v)->used >= SO(w)->used)
            return Pm_Bool(vm, 0);
        return set_issubset(vm, v, w);
    case Pm_GT:
        if (SO(v)->used <= SO(w)->used)
            return Pm_Bool(vm, 0);
        return set_issuperset(vm, v, w);
    }
    return Pm_NewRef(Pm_NotImplemented(vm));
}

/* `key in so`; an unhashable set key is looked up as a frozenset. */
static int set_contains(PmVM *vm, PmObject *so, PmObject *key)
{
    int rv = set_contains_key(vm, SO(so), key);
    if (rv < 0) {
        if (Pm_KIND(key) != PMT_SET || !PmErr_ExceptionMatches(vm, PME(vm, TypeError)))
            return -1;
        PmErr_Clear(vm);
        PmObject *tmpkey = make_new_set(vm, PMT(vm, FROZENSET), key);
        if (tmpkey == NULL)
            return -1;
        rv = set_contains_key(vm, SO(so), tmpkey);
        Pm_DECREF(vm, tmpkey);
    }
    return rv;
}

int PmSet_Contains(PmVM *vm, PmObject *set, PmObject *key)
{
    return set_contains(vm, set, key);
}

/* discard with the set-as-frozenset retry: 1 found, 0 not, -1 error. */
static int discard_with_retry(PmVM *vm, PmObject *so, PmObject *key)
{
    int rv = set_discard_key(vm, SO(so), key);
    if (rv < 0) {
        if (Pm_KIND(key) != PMT_SET || !PmErr_ExceptionMatches(vm, PME(vm, TypeError)))
            return -1;
        PmErr_Clear(vm);
        PmObject *tmpkey = make_new_set(vm, PMT(vm, FROZENSET), key);
        if (tmpkey == NULL)
            return -1;
        rv = set_discard_key(vm, SO(so), tmpkey);
        Pm_DECREF(vm, tmpkey);
    }
    return rv;
}

/* ====================================================================== iterator */

typedef struct PmSetIter {
    PmObject ob_base;
    PmObject *si_set;        /* NULL once exhausted */
    Pm_ssize_t si_used;
    Pm_ssize_t si_pos;
    Pm_ssize_t len;
} PmSetIter;

static PmObject *set_iter(PmVM *vm, PmObject *so)
{
    PmSetIter *si = (PmSetIter *)pm_object_alloc(vm, PMT(vm, SET_ITER), sizeof(PmSetIter),
                                                 MODEL_SETITER + PM_MODEL_GC_HEAD);
    if (si == NULL)
        return NULL;
    si->si_set = Pm_NewRef(so);
    si->si_used = SO(so)->used;
    si->si_pos = 0;
    si->len = SO(so)->used;
    pm_gc_track(vm, (PmObject *)si);
    return (PmObject *)si;
}

static void setiter_dealloc(PmVM *vm, PmObject *o)
{
    pm_gc_untrack(vm, o);
    Pm_XDECREF(vm, ((PmSetIter *)o)->si_set);
    pm_object_free(vm, o);
}

static int setiter_traverse(PmVM *vm, PmObject *o, pm_visitproc visit, void *arg)
{
    Pm_VISIT(vm, ((PmSetIter *)o)->si_set);
    return 0;
}

static PmObject *setiter_iternext(PmVM *vm, PmObject *o)
{
    PmSetIter *si = (PmSetIter *)o;
    PmObject *set = si->si_set;
    if (set == NULL)
        return NULL;
    PmSet *so = SO(set);
    if (si->si_used != so->used) {
        PmErr_SetString(vm, PME(vm, RuntimeError), "Set changed size during iteration");
        si->si_used = -1;   /* make this state sticky */
        return NULL;
    }
    Pm_ssize_t i = si->si_pos, mask = so->mask;
    PmSetEntry *entry = so->table;
    while (i <= mask && (entry[i].key == NULL || entry[i].key == dummy))
        i++;
    si->si_pos = i + 1;
    if (i > mask) {
        si->si_set = NULL;
        Pm_DECREF(vm, set);
        return NULL;
    }
    si->len--;
    return Pm_NewRef(entry[i].key);
}

static PmObject *self_iter(PmVM *vm, PmObject *o)
{
    (void)vm;
    return Pm_NewRef(o);
}

static PmObject *setiter_len(PmVM *vm, PmObject *self, PmObject *const *args, size_t nargs,
                             PmObject *kwnames)
{
    PmSetIter *si = (PmSetIter *)self;
    (void)args, (void)nargs, (void)kwnames;
    Pm_ssize_t len = 0;
    if (si->si_set != NULL && si->si_used == SO(si->si_set)->used)
        len = si->len;
    return PmLong_FromSsize_t(vm, len);
}

static const PmMethodDef setiter_methods[] = {
    { "__length_hint__", setiter_len, PM_METH_NOARGS },
    { NULL, NULL, 0 }
};

const PmType PmSetIter_Template = {
    .tp_name = "set_iterator",
    .tp_basicsize = MODEL_SETITER,
    .tp_flags = PM_TPFLAGS_HAVE_GC,
    .tp_kind = PMT_SET_ITER,
    .tp_dealloc = setiter_dealloc,
    .tp_getattro = PmObject_GenericGetAttr,
    .tp_traverse = setiter_traverse,
    .tp_iter = self_iter,
    .tp_iternext = setiter_iternext,
    .tp_methods = setiter_methods,
};

/* ====================================================================== methods */

#define METHOD(name) static PmObject *name(PmVM *vm, PmObject *so, PmObject *const *args, \
                                           size_t nargs, PmObject *kwnames)
#define UNUSED_ARGS (void)args, (void)nargs, (void)kwnames

METHOD(set_add)
{
    (void)nargs, (void)kwnames;
    if (set_add_key(vm, SO(so), args[0]))
        return NULL;
    return Pm_RETURN_NONE(vm);
}

METHOD(set_clear)
{
    UNUSED_ARGS;
    set_clear_internal(vm, so);
    return Pm_RETURN_NONE(vm);
}

METHOD(set_direct_contains)
{
    (void)nargs, (void)kwnames;
    int r = set_contains(vm, so, args[0]);
    return r < 0 ? NULL : Pm_Bool(vm, r);
}

METHOD(set_copy)
{
    UNUSED_ARGS;
    return set_copy_impl(vm, so);
}

METHOD(frozenset_copy)
{
    UNUSED_ARGS;
    if (Pm_TYPE(so) == PMT(vm, FROZENSET))
        return Pm_NewRef(so);
    return set_copy_impl(vm, so);
}

METHOD(set_discard)
{
    (void)nargs, (void)kwnames;
    if (discard_with_retry(vm, so, args[0]) < 0)
        return NULL;
    return Pm_RETURN_NONE(vm);
}

METHOD(set_remove)
{
    (void)nargs, (void)kwnames;
    int rv = discard_with_retry(vm, so, args[0]);
    if (rv < 0)
        return NULL;
    if (rv == DISCARD_NOTFOUND) {
        set_key_error(vm, args[0]);
        return NULL;
    }
    return Pm_RETURN_NONE(vm);
}

METHOD(set_difference_m)
{
    (void)kwnames;
    return set_difference_multi(vm, so, args, nargs);
}

METHOD(set_difference_update)
{
    (void)kwnames;
    for (size_t i = 0; i < nargs; i++) {
        if (set_difference_update_internal(vm, SO(so), args[i]))
            return NULL;
    }
    return Pm_RETURN_NONE(vm);
}

METHOD(set_intersection_m)
{
    (void)kwnames;
    return set_intersection_multi(vm, so, args, nargs);
}

METHOD(set_intersection_update_m)
{
    (void)kwnames;
    if (set_intersection_update(vm, so, set_intersection_multi(vm, so, args, nargs)) < 0)
        return NULL;
    return Pm_RETURN_NONE(vm);
}

METHOD(set_isdisjoint)
{
    (void)nargs, (void)kwnames;
    return set_isdisjoint_impl(vm, so, args[0]);
}

METHOD(set_issubset_m)
{
    (void)nargs, (void)kwnames;
    return set_issubset(vm, so, args[0]);
}

METHOD(set_issuperset_m)
{
    (void)nargs, (void)kwnames;
    return set_issuperset(vm, so, args[0]);
}

/* Remove and return an arbitrary element, scanning from the search finger. */
METHOD(set_pop)
{
    PmSet *s = SO(so);
    UNUSED_ARGS;
    PmSetEntry *entry = s->table + (s->finger & s->mask), *limit = s->table + s->mask;
    if (s->used == 0) {
        PmErr_SetString(vm, PME(vm, KeyError), "pop from an empty set");
        return NULL;
    }
    while (entry->key == NULL || entry->key == dummy) {
        entry++;
        if (entry > limit)
            entry = s->table;
    }
    PmObject *key = entry->key;
    entry->key = dummy;
    entry->hash = -1;
    s->used--;
    s->finger = entry - s->table + 1;
    return key;
}

/* CPython 3.11's set_reduce: (type(so), (list(so),), so.__getstate__()). */
METHOD(set_reduce)
{
    UNUSED_ARGS;
    PmObject *keys = PmSequence_List(vm, (PmObject *)so);
    PmObject *targs = keys ? PmTuple_Pack(vm, 1, keys) : NULL;
    PmObject *state = targs ? pm_reduce_getstate(vm, (PmObject *)so) : NULL;
    PmObject *r = state ? PmTuple_Pack(vm, 3, (PmObject *)Pm_TYPE(so), targs, state) : NULL;
    Pm_XDECREF(vm, keys);
    Pm_XDECREF(vm, targs);
    Pm_XDECREF(vm, state);
    return r;
}

METHOD(set___sizeof__)
{
    UNUSED_ARGS;
    return PmLong_FromSsize_t(vm, set_sizeof(vm, so));
}

METHOD(set_symmetric_difference_m)
{
    (void)nargs, (void)kwnames;
    return set_symmetric_difference(vm, so, args[0]);
}

METHOD(set_symmetric_difference_update_m)
{
    (void)nargs, (void)kwnames;
    if (set_symmetric_difference_update(vm, SO(so), args[0]) < 0)
        return NULL;
    return Pm_RETURN_NONE(vm);
}

METHOD(set_union)
{
    (void)kwnames;
    PmObject *result = set_copy_impl(vm, so);
    for (size_t i = 0; result != NULL && i < nargs; i++) {
        if (args[i] != so && set_update_internal(vm, SO(result), args[i]))
            Pm_CLEAR(vm, result);
    }
    return result;
}

METHOD(set_update)
{
    (void)kwnames;
    for (size_t i = 0; i < nargs; i++) {
        if (set_update_internal(vm, SO(so), args[i]))
            return NULL;
    }
    return Pm_RETURN_NONE(vm);
}

static const PmMethodDef set_methods[] = {
    { "add", set_add, PM_METH_O },
    { "clear", set_clear, PM_METH_NOARGS },
    { "__contains__", set_direct_contains, PM_METH_O },
    { "copy", set_copy, PM_METH_NOARGS },
    { "discard", set_discard, PM_METH_O },
    { "difference", set_difference_m, PM_METH_VARARGS },
    { "difference_update", set_difference_update, PM_METH_VARARGS },
    { "intersection", set_intersection_m, PM_METH_VARARGS },
    { "intersection_update", set_intersection_update_m, PM_METH_VARARGS },
    { "isdisjoint", set_isdisjoint, PM_METH_O },
    { "issubset", set_issubset_m, PM_METH_O },
    { "issuperset", set_issuperset_m, PM_METH_O },
    { "pop", set_pop, PM_METH_NOARGS },
    { "__reduce__", set_reduce, PM_METH_NOARGS },
    { "remove", set_remove, PM_METH_O },
    { "__sizeof__", set___sizeof__, PM_METH_NOARGS },
    { "symmetric_difference", set_symmetric_difference_m, PM_METH_O },
    { "symmetric_difference_update", set_symmetric_difference_update_m, PM_METH_O },
    { "union", set_union, PM_METH_VARARGS },
    { "update", set_update, PM_METH_VARARGS },
    { "__class_getitem__", pm_generic_alias_class_getitem, PM_METH_O | PM_METH_CLASS },
    { NULL, NULL, 0 }
};

static const PmMethodDef frozenset_methods[] = {
    { "__contains__", set_direct_contains, PM_METH_O },
    { "copy", frozenset_copy, PM_METH_NOARGS },
    { "difference", set_difference_m, PM_METH_VARARGS },
    { "intersection", set_intersection_m, PM_METH_VARARGS },
    { "isdisjoint", set_isdisjoint, PM_METH_O },
    { "issubset", set_issubset_m, PM_METH_O },
    { "issuperset", set_issuperset_m, PM_METH_O },
    { "__reduce__", set_reduce, PM_METH_NOARGS },
    { "__sizeof__", set___sizeof__, PM_METH_NOARGS },
    { "symmetric_difference", set_symmetric_difference_m, PM_METH_O },
    { "union", set_union, PM_METH_VARARGS },
    { "__class_getitem__", pm_generic_alias_class_getitem, PM_METH_O | PM_METH_CLASS },
    { NULL, NULL, 0 }
};

/* ====================================================================== types */

#define SET_COMMON                                                       \
    .tp_basicsize = MODEL_SET,                                           \
    .tp_flags = PM_TPFLAGS_HAVE_GC | PM_TPFLAGS_BASETYPE,                \
    .tp_dealloc = set_dealloc,                                           \
    .tp_repr = set_repr,                                                 \
    .tp_as_sequence = { .sq_length = set_len, .sq_contains = set_contains }, \
    .tp_getattro = PmObject_GenericGetAttr,                              \
    .tp_traverse = set_traverse,                                         \
    .tp_clear = set_clear_internal,                                      \
    .tp_richcompare = set_richcompare,                                   \
    .tp_iter = set_iter,                                                 \
    .tp_sizeof = set_sizeof,                                             \
    .tp_weaklistoffset = offsetof(PmSet, weakreflist)

const PmType PmSet_Template = {
    .tp_name = "set",
    .tp_doc = "set() -> new empty set object\n"
              "set(iterable) -> new set object\n"
              "\n"
              "Build an unordered collection of unique elements.",
    .tp_kind = PMT_SET,
    SET_COMMON,
    .tp_as_number = {
        .nb_subtract = set_sub, .nb_and = set_and, .nb_xor = set_xor, .nb_or = set_or,
        .nb_inplace_subtract = set_isub, .nb_inplace_and = set_iand,
        .nb_inplace_xor = set_ixor, .nb_inplace_or = set_ior,
    },
    .tp_hash = pm_hash_not_implemented,
    .tp_methods = set_methods,
    .tp_init = set_init,
    .tp_new = set_tp_new,
};

const PmType PmFrozenSet_Template = {
    .tp_name = "frozenset",
    .tp_doc = "frozenset() -> empty frozenset object\n"
              "frozenset(iterable) -> frozenset object\n"
              "\n"
              "Build an immutable unordered collection of unique elements.",
    .tp_kind = PMT_FROZENSET,
    SET_COMMON,
    .tp_as_number = {
        .nb_subtract = set_sub, .nb_and = set_and, .nb_xor = set_xor, .nb_or = set_or,
    },
    .tp_hash = frozenset_hash,
    .tp_methods = frozenset_methods,
    .tp_new = frozenset_tp_new,
};
