/*
 * dict_impl.h -- the inside of a dict, shared by dict.c and dictview.c only.
 *
 * CPython 3.11's compact dict (Objects/dictobject.c).  A dict points at a *keys object*:
 *
 *     +---------------------+
 *     | dk_refcnt           |  1 for a combined table (the one dict that owns it)
 *     | dk_log2_size        |  the hash table has 2**dk_log2_size index slots
 *     | dk_log2_index_bytes |  bytes of the index array, log2 (1, 2, 4 or 8 per slot)
 *     | dk_kind             |  GENERAL (hash,key,value entries) or UNICODE (key,value)
 *     | dk_version          |
 *     | dk_usable           |  entries that may still be appended before a resize
 *     | dk_nentries         |  entries used so far (live or deleted)
 *     +---------------------+
 *     | dk_indices[]        |  per slot: DKIX_EMPTY, DKIX_DUMMY or an entry number
 *     +---------------------+
 *     | dk_entries[]        |  USABLE_FRACTION(size) entries in insertion order
 *     +---------------------+
 *
 * Invariants (combined tables; split tables are not used yet, ma_values is always NULL):
 *   - ma_used == number of entries whose me_value != NULL;
 *   - an entry with me_value == NULL has me_key == NULL (deleted, or popped);
 *   - dk_usable + dk_nentries <= USABLE_FRACTION(DK_SIZE);
 *   - every index slot is DKIX_EMPTY, DKIX_DUMMY (a deleted key was there) or the number of
 *     a live entry, and a live entry is reachable by probing from its hash;
 *   - dk_kind == UNICODE only while every key is an exact str.
 * The empty dict `{}` shares one read-only keys object (PM_DICT_EMPTY_KEYS, dk_log2_size 0):
 * it is never written, and its reference count is never touched.
 *
 * Modelled sizes (CPython 3.11, 64-bit): PyDictObject 48, PyDictKeysObject header 32,
 * general entry 24, unicode entry 16.
 */
#ifndef PM_DICT_IMPL_H
#define PM_DICT_IMPL_H

#include "pm.h"

enum { PM_DICT_KEYS_GENERAL = 0, PM_DICT_KEYS_UNICODE = 1, PM_DICT_KEYS_SPLIT = 2 };
enum { DKIX_EMPTY = -1, DKIX_DUMMY = -2, DKIX_ERROR = -3, DKIX_KEY_CHANGED = -4 };
enum {
    PM_DICT_LOG_MINSIZE = 3, PM_DICT_MINSIZE = 8,
    PM_MODEL_DICT = 48, PM_MODEL_DICTKEYS = 32, PM_MODEL_DICT_ENTRY = 24,
    PM_MODEL_DICT_UENTRY = 16
};
#define PM_USABLE_FRACTION(n) (((n) << 1) / 3)

struct PmDictKeys {
    _Alignas(8) Pm_ssize_t dk_refcnt;   /* 8-aligned so the indices after it are too */
    uint8_t dk_log2_size;
    uint8_t dk_log2_index_bytes;
    uint8_t dk_kind;
    uint32_t dk_version;
    Pm_ssize_t dk_usable;
    Pm_ssize_t dk_nentries;
    /* indices, then entries, follow at DK_INDICES */
};

typedef struct PmDictEntry {
    Pm_hash_t me_hash;
    PmObject *me_key;
    PmObject *me_value;      /* NULL: deleted */
} PmDictEntry;

typedef struct PmDictUEntry {
    PmObject *me_key;
    PmObject *me_value;
} PmDictUEntry;

extern const PmDictKeys *const pm_dict_empty_keys;
#define PM_DICT_EMPTY_KEYS ((PmDictKeys *)pm_dict_empty_keys)

#define DK_LOG_SIZE(dk) ((dk)->dk_log2_size)
#define DK_SIZE(dk) ((size_t)1 << DK_LOG_SIZE(dk))
#define DK_MASK(dk) (DK_SIZE(dk) - 1)
#define DK_IS_UNICODE(dk) ((dk)->dk_kind != PM_DICT_KEYS_GENERAL)
#define DK_INDICES(dk) ((char *)(dk) + sizeof(PmDictKeys))
#define DK_ENTRIES(dk) \
    ((PmDictEntry *)(DK_INDICES(dk) + ((size_t)1 << (dk)->dk_log2_index_bytes)))
#define DK_UENTRIES(dk) \
    ((PmDictUEntry *)(DK_INDICES(dk) + ((size_t)1 << (dk)->dk_log2_index_bytes)))

/* Entry i of a combined table: borrowed key and value, value NULL if the entry is deleted. */
static inline void pm_dict_entry(PmDictKeys *dk, Pm_ssize_t i, PmObject **key,
                                 PmObject **value)
{
    if (DK_IS_UNICODE(dk)) {
        PmDictUEntry *ep = &DK_UENTRIES(dk)[i];
        *key = ep->me_key;
        *value = ep->me_value;
    } else {
        PmDictEntry *ep = &DK_ENTRIES(dk)[i];
        *key = ep->me_key;
        *value = ep->me_value;
    }
}

/* dict.c internals that dictview.c uses. */
PmObject *pm_dict_iter_new(PmVM *vm, PmObject *dict, int kind);   /* kind: PMT_DICT_*ITER */

#endif /* PM_DICT_IMPL_H */
