/*
 * test_trace.c -- pml_record, its JSON (core/trace/SNAPSHOT.md) and what it must not disturb:
 *   - a recording prints exactly what pml_run prints (snapshots change no refcount), and
 *     that is CPython 3.11's output (tests/py/trace_refcounts.out, recorded by
 *     tests/record_goldens.sh);
 *   - at the step before each `print(NAME, sys.getrefcount(NAME))` line, the snapshot's
 *     refcount of the object NAME is bound to is what CPython printed minus one;
 *   - the event log reconciles with the snapshots: walking each object's alloc, incref,
 *     decref and free events from its refcount in the previous step gives its refcount in
 *     this one, and every event's `old` is the running count;
 *   - objects, frames, freed lists, gc and labels have the shapes SNAPSHOT.md promises;
 *   - the step bound stops the run with status "limit" and keeps the steps;
 *   - nothing leaks: the lab holds as many blocks after a recording as after a plain run,
 *     and ASan/LSan (build/asan) see no host leak.
 * The JSON is parsed by the small reader below, not by string search, so a malformed
 * document fails the test.
 */
#include "pymemlab.h"
#include "check.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ a small JSON reader */

typedef enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } jtype;
typedef struct jval {
    jtype t;
    double num;          /* J_NUM, J_BOOL */
    char *str;           /* J_STR (UTF-8, unescaped) */
    size_t n;            /* J_ARR / J_OBJ items */
    struct jval *items;  /* J_ARR values; J_OBJ values */
    char **keys;         /* J_OBJ */
} jval;

typedef struct { const char *p, *end; } jin;

static void ws(jin *in)
{
    while (in->p < in->end && (*in->p == ' ' || *in->p == '\n' || *in->p == '\t' || *in->p == '\r'))
        in->p++;
}

static int parse(jin *in, jval *v);

static void put_utf8(char **o, unsigned cp)
{
    char *s = *o;
    if (cp < 0x80) *s++ = (char)cp;
    else if (cp < 0x800) { *s++ = (char)(0xc0 | cp >> 6); *s++ = (char)(0x80 | (cp & 63)); }
    else { *s++ = (char)(0xe0 | cp >> 12); *s++ = (char)(0x80 | ((cp >> 6) & 63)); *s++ = (char)(0x80 | (cp & 63)); }
    *o = s;
}

static int parse_str(jin *in, char **out)
{
    if (*in->p != '"') return -1;
    in->p++;
    char *buf = malloc((size_t)(in->end - in->p) + 1), *o = buf;
    CHECK(buf != NULL);
    while (in->p < in->end && *in->p != '"') {
        unsigned char c = (unsigned char)*in->p++;
        if (c < 0x20) { free(buf); return -1; }
        if (c != '\\') { *o++ = (char)c; continue; }
        if (in->p >= in->end) { free(buf); return -1; }
        char e = *in->p++;
        switch (e) {
        case '"': case '\\': case '/': *o++ = e; break;
        case 'n': *o++ = '\n'; break;
        case 't': *o++ = '\t'; break;
        case 'r': *o++ = '\r'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'u': {
            unsigned cp = 0;
            for (int i = 0; i < 4; i++) {
                if (in->p >= in->end) { free(buf); return -1; }
                char h = *in->p++;
                cp = cp * 16 + (unsigned)(h >= 'a' ? h - 'a' + 10 : h >= 'A' ? h - 'A' + 10 : h - '0');
            }
            put_utf8(&o, cp);
            break;
        }
        default: free(buf); return -1;
        }
    }
    if (in->p >= in->end) { free(buf); return -1; }
    in->p++;
    *o = 0;
    *out = buf;
    return 0;
}

static int parse_list(jin *in, jval *v, bool obj)
{
    char close = obj ? '}' : ']';
    in->p++;
    size_t cap = 8;
    v->items = malloc(cap * sizeof *v->items);
    v->keys = obj ? malloc(cap * sizeof *v->keys) : NULL;
    ws(in);
    if (in->p < in->end && *in->p == close) { in->p++; return 0; }
    for (;;) {
        if (v->n == cap) {
            cap *= 2;
            v->items = realloc(v->items, cap * sizeof *v->items);
            if (obj) v->keys = realloc(v->keys, cap * sizeof *v->keys);
        }
        ws(in);
        if (obj) {
            if (parse_str(in, &v->keys[v->n]) < 0) return -1;
            ws(in);
            if (in->p >= in->end || *in->p++ != ':') return -1;
        }
        memset(&v->items[v->n], 0, sizeof v->items[0]);
        if (parse(in, &v->items[v->n]) < 0) return -1;
        v->n++;
        ws(in);
        if (in->p >= in->end) return -1;
        char c = *in->p++;
        if (c == close) return 0;
        if (c != ',') return -1;
    }
}

static int parse(jin *in, jval *v)
{
    ws(in);
    if (in->p >= in->end) return -1;
    char c = *in->p;
    memset(v, 0, sizeof *v);
    if (c == '{') { v->t = J_OBJ; return parse_list(in, v, true); }
    if (c == '[') { v->t = J_ARR; return parse_list(in, v, false); }
    if (c == '"') { v->t = J_STR; return parse_str(in, &v->str); }
    if (!strncmp(in->p, "null", 4)) { in->p += 4; v->t = J_NULL; return 0; }
    if (!strncmp(in->p, "true", 4)) { in->p += 4; v->t = J_BOOL; v->num = 1; return 0; }
    if (!strncmp(in->p, "false", 5)) { in->p += 5; v->t = J_BOOL; return 0; }
    char *e;
    v->t = J_NUM;
    v->num = strtod(in->p, &e);
    if (e == in->p) return -1;
    in->p = e;
    return 0;
}

static void jfree(jval *v)
{
    free(v->str);
    for (size_t i = 0; i < v->n; i++) {
        jfree(&v->items[i]);
        if (v->keys) free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
}

static jval *get(jval *o, const char *key)
{
    CHECK(o->t == J_OBJ);
    for (size_t i = 0; i < o->n; i++)
        if (!strcmp(o->keys[i], key)) return &o->items[i];
    return NULL;
}

static jval *must(jval *o, const char *key)
{
    jval *v = get(o, key);
    if (v == NULL) fprintf(stderr, "missing key %s\n", key);
    CHECK(v != NULL);
    return v;
}

static jval parse_doc(const char *s, size_t len)
{
    jin in = {s, s + len};
    jval v;
    CHECK(parse(&in, &v) == 0);
    ws(&in);
    CHECK(in.p == in.end);
    return v;
}

/* ------------------------------------------------------------------ the program */

typedef struct capture {
    char *out, *err;
    size_t out_len, err_len;
} capture;

static void capture_write(void *userdata, int stream, const char *data, size_t len)
{
    capture *c = userdata;
    char **buf = stream == PML_STDOUT ? &c->out : &c->err;
    size_t *n = stream == PML_STDOUT ? &c->out_len : &c->err_len;
    *buf = realloc(*buf, *n + len + 1);
    CHECK(*buf != NULL);
    memcpy(*buf + *n, data, len);
    *n += len;
    (*buf)[*n] = 0;
}

static void capture_reset(capture *c)
{
    free(c->out);
    free(c->err);
    memset(c, 0, sizeof *c);
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) fprintf(stderr, "cannot open %s\n", path);
    CHECK(f != NULL);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    CHECK(s != NULL && fread(s, 1, (size_t)n, f) == (size_t)n);
    s[n] = 0;
    fclose(f);
    return s;
}

/* tests/py/NAME next to this file (CMake compiles it by its absolute path). */
static char *read_case(const char *name)
{
    char path[4096];
    const char *slash = strrchr(__FILE__, '/');
    CHECK(slash != NULL);
    snprintf(path, sizeof path, "%.*s/../py/%s", (int)(slash - __FILE__), __FILE__, name);
    return read_file(path);
}

/* The source line `line` (1-based) of src, copied. */
static void source_line(const char *src, int line, char *out, size_t cap)
{
    const char *p = src;
    for (int l = 1; l < line && p; l++) {
        p = strchr(p, '\n');
        if (p) p++;
    }
    CHECK(p != NULL);
    size_t n = strcspn(p, "\n");
    if (n >= cap) n = cap - 1;
    memcpy(out, p, n);
    out[n] = 0;
}

static double num(jval *v)
{
    CHECK(v->t == J_NUM);
    return v->num;
}

static jval *object_of(jval *step, double id)
{
    char key[32];
    snprintf(key, sizeof key, "%.0f", id);
    return get(must(step, "objects"), key);
}

/* ------------------------------------------------------------------ checks */

/* Every step's shape, and the objects' fields. */
static void check_shapes(jval *doc)
{
    jval *steps = must(doc, "steps");
    CHECK(steps->t == J_ARR && steps->n > 0);
    for (size_t i = 0; i < steps->n; i++) {
        jval *s = &steps->items[i];
        CHECK(num(must(s, "index")) == (double)i);
        CHECK(must(s, "kind")->t == J_STR);
        CHECK(must(s, "frames")->t == J_ARR);
        CHECK(must(s, "freed")->t == J_ARR);
        CHECK(must(s, "events")->t == J_ARR);
        jval *gc = must(s, "gc");
        CHECK(must(gc, "count")->n == 3 && must(gc, "threshold")->n == 3);
        CHECK(num(&must(gc, "threshold")->items[0]) == 700);
        CHECK(must(gc, "collections")->t == J_ARR);
        jval *objects = must(s, "objects");
        for (size_t k = 0; k < objects->n; k++) {
            jval *o = &objects->items[k];
            CHECK(must(o, "type")->t == J_STR);
            CHECK(must(o, "repr")->t == J_STR);
            CHECK(num(must(o, "refcount")) >= 1);
            CHECK(num(must(o, "size")) >= 16);
            jval *gen = must(o, "gen"), *tracked = must(o, "tracked");
            CHECK(tracked->t == J_BOOL);
            CHECK(tracked->num ? gen->t == J_NUM : gen->t == J_NULL);
            jval *refs = must(o, "refs");
            for (size_t r = 0; r < refs->n; r++) {
                CHECK(refs->items[r].t == J_ARR && refs->items[r].n == 2);
                CHECK(refs->items[r].items[0].t == J_STR);
            }
        }
    }
    CHECK(!strcmp(must(&steps->items[steps->n - 1], "kind")->str, "end"));
}

/* At each `print("NAME", sys.getrefcount(NAME))` line, CPython printed refcount + 1. */
static void check_refcounts(jval *doc, const char *src, const char *golden)
{
    jval *steps = must(doc, "steps");
    const char *out = golden;
    int checked = 0;
    for (size_t i = 0; i < steps->n; i++) {
        jval *s = &steps->items[i];
        if (strcmp(must(s, "kind")->str, "line")) continue;
        char text[256], name[64];
        source_line(src, (int)num(must(s, "line")), text, sizeof text);
        if (sscanf(text, " print(\"%63[^\"]\", sys.getrefcount(", name) != 1) continue;
        int printed;
        char tag[64];
        CHECK(sscanf(out, "%63s %d", tag, &printed) == 2);
        CHECK_STR(tag, name);
        out = strchr(out, '\n') + 1;
        jval *frames = must(s, "frames");
        jval *vars = must(&frames->items[frames->n - 1], "vars");
        jval *obj = NULL;
        for (size_t v = 0; v < vars->n; v++)
            if (!strcmp(vars->items[v].items[0].str, name)) obj = object_of(s, num(&vars->items[v].items[1]));
        CHECK(obj != NULL);
        double rc = num(must(obj, "refcount"));
        if (rc + 1 != printed)
            fprintf(stderr, "step %zu line %s: refcount %.0f, CPython printed %d\n", i, text, rc, printed);
        CHECK(rc + 1 == printed);
        checked++;
    }
    CHECK(*out == 0);        /* every printed line was matched to a step */
    CHECK(checked == 10);
}

/* The event log reconciles with consecutive snapshots (see the file comment). */
static void check_events(jval *doc)
{
    jval *steps = must(doc, "steps");
    int reconciled = 0, events = 0;
    for (size_t i = 1; i < steps->n; i++) {
        jval *prev = &steps->items[i - 1], *s = &steps->items[i];
        jval *objects = must(s, "objects"), *ev = must(s, "events");
        CHECK(num(must(s, "eventsDropped")) == 0);
        for (size_t k = 0; k < objects->n; k++) {
            double id = strtod(objects->keys[k], NULL);
            jval *before = object_of(prev, id);
            bool known = before != NULL, dead = false;
            double value = known ? num(must(before, "refcount")) : 0;
            for (size_t e = 0; e < ev->n; e++) {
                jval *x = &ev->items[e];
                jval *xid = get(x, "id");
                if (xid == NULL || num(xid) != id) continue;
                const char *kind = must(x, "kind")->str;
                events++;
                if (!strcmp(kind, "alloc")) {
                    value = 1;
                    known = true;
                    dead = false;
                } else if (!strcmp(kind, "incref") || !strcmp(kind, "decref")) {
                    double old = num(must(x, "old")), new_ = num(must(x, "new"));
                    CHECK(!strcmp(kind, "incref") ? new_ > old : new_ < old);
                    if (known) CHECK(old == value);
                    value = new_;
                    known = true;
                } else if (!strcmp(kind, "free")) {
                    if (known) CHECK(value == 0);
                    dead = true;
                    known = false;
                }
            }
            if (known && !dead) {
                double now = num(must(&objects->items[k], "refcount"));
                if (now != value)
                    fprintf(stderr, "step %zu object %s: events give %.0f, snapshot %.0f\n", i,
                            objects->keys[k], value, now);
                CHECK(now == value);
                reconciled++;
            }
        }
    }
    CHECK(reconciled > 100);
    CHECK(events > 20);
}

/* `del b` frees the list b in the step that follows it, by refcount; `k` is a cycle. */
static void check_freed(jval *doc, const char *src)
{
    jval *steps = must(doc, "steps");
    bool saw_list = false;
    for (size_t i = 1; i < steps->n; i++) {
        char text[256];
        source_line(src, (int)num(must(&steps->items[i - 1], "line")), text, sizeof text);
        jval *freed = must(&steps->items[i], "freed");
        if (strcmp(text, "del b") != 0) continue;
        for (size_t f = 0; f < freed->n; f++)
            if (!strcmp(must(&freed->items[f], "type")->str, "list") &&
                !strcmp(must(&freed->items[f], "cause")->str, "refcount"))
                saw_list = true;
    }
    CHECK(saw_list);
    /* after `del k, t, e` the instance k survives as a cycle: still in the last snapshot,
     * reachable from no frame, with its ".me" reference to itself */
    jval *last = &steps->items[steps->n - 1];
    jval *objects = must(last, "objects");
    bool cycle = false;
    for (size_t k = 0; k < objects->n; k++) {
        jval *o = &objects->items[k];
        if (strcmp(must(o, "type")->str, "K")) continue;
        CHECK_STR(must(o, "repr")->str, "<K object>");
        jval *refs = must(o, "refs");
        for (size_t r = 0; r < refs->n; r++)
            if (!strcmp(refs->items[r].items[0].str, ".me") &&
                num(&refs->items[r].items[1]) == strtod(objects->keys[k], NULL))
                cycle = true;
    }
    CHECK(cycle);
}

static const char labels_prog[] =
    "import weakref\n"
    "class P:\n"
    "    pass\n"
    "def mk():\n"
    "    v = [7]\n"
    "    def inner(q=(1, 2)):\n"
    "        return v\n"
    "    return inner\n"
    "fn = mk()\n"
    "p = P()\n"
    "r = weakref.ref(p)\n"
    "d = {'key': [p], 5: 'five'}\n"
    "s = 'it\\'s \"q\"\\n'\n"
    "big = 2 ** 190\n"
    "print(len(d))\n"
    "print(repr(s))\n"
    "print(big)\n";

static bool has_ref(jval *o, const char *label)
{
    jval *refs = must(o, "refs");
    for (size_t r = 0; r < refs->n; r++)
        if (!strcmp(refs->items[r].items[0].str, label)) return true;
    return false;
}

static jval *var_object(jval *step, const char *name)
{
    jval *frames = must(step, "frames");
    jval *vars = must(&frames->items[frames->n - 1], "vars");
    for (size_t v = 0; v < vars->n; v++)
        if (!strcmp(vars->items[v].items[0].str, name)) return object_of(step, num(&vars->items[v].items[1]));
    return NULL;
}

/* Labels, reprs, the weak flag and the dunders a module frame leaves out. */
static void test_labels(void)
{
    capture c = {0};
    pml_config cfg = {0};
    cfg.write = capture_write;
    cfg.userdata = &c;
    pml_vm *vm = pml_new(&cfg);
    CHECK(vm != NULL);
    CHECK(pml_record(vm, labels_prog, strlen(labels_prog), "labels.py", NULL) == PML_OK);
    /* the lab's own repr() of s and big, printed by the program (the lab's output is checked
     * against CPython's by the conformance suite) */
    char want_s[128], want_big[128];
    CHECK(sscanf(c.out, "2\n%127[^\n]\n%127[^\n]\n", want_s, want_big) == 2);
    size_t len;
    const char *json = pml_recording_json(vm, &len);
    CHECK(json != NULL && strlen(json) == len);
    jval doc = parse_doc(json, len);
    CHECK_STR(must(&doc, "status")->str, "ok");
    CHECK_STR(must(&doc, "filename")->str, "labels.py");
    CHECK_STR(must(&doc, "stdout")->str, c.out);
    jval *steps = must(&doc, "steps");
    jval *end = &steps->items[steps->n - 1];
    CHECK_STR(must(end, "kind")->str, "end");
    jval *frames = must(end, "frames");
    CHECK(frames->n == 1);
    CHECK_STR(must(&frames->items[0], "name")->str, "<module>");
    jval *vars = must(&frames->items[0], "vars");
    for (size_t v = 0; v < vars->n; v++) CHECK(strncmp(vars->items[v].items[0].str, "__", 2) != 0);

    jval *fn = var_object(end, "fn");
    CHECK(fn && has_ref(fn, "closure[0]") && has_ref(fn, "default[0]") && has_ref(fn, "__code__"));
    CHECK_STR(must(fn, "repr")->str, "<function mk.<locals>.inner>");
    jval *r = var_object(end, "r");
    CHECK(r && has_ref(r, "weak") && must(r, "weak")->num == 1);
    jval *d = var_object(end, "d");
    CHECK(d && has_ref(d, "['key']") && has_ref(d, "[5]") && has_ref(d, "key→"));
    CHECK_STR(must(d, "repr")->str, "{'key': [<P object>], 5: 'five'}");
    jval *s = var_object(end, "s");
    CHECK(s != NULL);
    CHECK_STR(must(s, "repr")->str, want_s);
    jval *big = var_object(end, "big");
    CHECK_STR(must(big, "repr")->str, want_big);
    jval *p = var_object(end, "p");
    CHECK(p && has_ref(p, "__class__"));
    CHECK_STR(must(p, "type")->str, "P");
    jval *weakref_mod = var_object(end, "weakref");
    CHECK(weakref_mod && must(weakref_mod, "refs")->n == 0);   /* modules are not expanded */
    jfree(&doc);

    /* a snapshot between runs parses and shows no frame */
    const char *snap = pml_snapshot_json(vm, &len);
    CHECK(snap != NULL);
    jval sd = parse_doc(snap, len);
    CHECK(must(&sd, "frames")->n == 0);
    jfree(&sd);
    pml_free(vm);
    capture_reset(&c);
}

/* The step bound stops the run; the steps are kept. */
static void test_bound(void)
{
    capture c = {0};
    pml_config cfg = {0};
    cfg.write = capture_write;
    cfg.userdata = &c;
    pml_vm *vm = pml_new(&cfg);
    const char *src = "i = 0\nwhile True:\n    i += 1\n";
    pml_record_options o = {0};
    o.max_steps = 25;
    CHECK(pml_record(vm, src, strlen(src), "loop.py", &o) == PML_LIMIT);
    CHECK(strstr(c.err, "step limit") != NULL);
    size_t len;
    const char *json = pml_recording_json(vm, &len);
    jval doc = parse_doc(json, len);
    CHECK_STR(must(&doc, "status")->str, "limit");
    CHECK(must(&doc, "truncated")->num == 1);
    CHECK(must(&doc, "steps")->n == 25);
    jfree(&doc);
    /* the lab stays usable, and a plain run drops the recording */
    capture_reset(&c);
    CHECK(pml_run(vm, "print(1)\n", 9, "x.py") == PML_OK);
    CHECK_STR(c.out, "1\n");
    CHECK(pml_recording_json(vm, &len) == NULL && len == 0);
    pml_free(vm);
    capture_reset(&c);
}

static void test_refcounts_and_events(void)
{
    char *src = read_case("trace_refcounts.py");
    char *golden = read_case("trace_refcounts.out");
    capture c = {0};
    pml_config cfg = {0};
    cfg.write = capture_write;
    cfg.userdata = &c;
    pml_vm *vm = pml_new(&cfg);
    CHECK(vm != NULL);

    /* a plain run first: CPython's output, and the lab's blocks after a run */
    CHECK(pml_run(vm, src, strlen(src), "trace_refcounts.py") == PML_OK);
    CHECK_STR(c.out, golden);
    size_t blocks = pml_live_blocks(vm);
    capture_reset(&c);

    pml_record_options o = {0};
    o.events = 1;
    CHECK(pml_record(vm, src, strlen(src), "trace_refcounts.py", &o) == PML_OK);
    CHECK_STR(c.out, golden);                 /* recording changed nothing the program saw */
    CHECK(pml_live_blocks(vm) == blocks);     /* and left nothing in the lab's heap */
    size_t len;
    const char *json = pml_recording_json(vm, &len);
    CHECK(json != NULL);
    jval doc = parse_doc(json, len);
    CHECK_STR(must(&doc, "stdout")->str, golden);
    CHECK(must(&doc, "truncated")->num == 0);
    check_shapes(&doc);
    check_refcounts(&doc, src, golden);
    check_events(&doc);
    check_freed(&doc, src);
    jfree(&doc);

    /* and again: same blocks, same output */
    capture_reset(&c);
    CHECK(pml_run(vm, src, strlen(src), "trace_refcounts.py") == PML_OK);
    CHECK_STR(c.out, golden);
    CHECK(pml_live_blocks(vm) == blocks);
    pml_free(vm);
    capture_reset(&c);
    free(src);
    free(golden);
}

int main(void)
{
    test_refcounts_and_events();
    test_labels();
    test_bound();
    printf("test_trace: ok\n");
    return 0;
}
