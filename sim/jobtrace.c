/* jobtrace.c - reading job-trace CSV files (see jobtrace.h for the formats). */
#define _POSIX_C_SOURCE 200809L
#include "jobtrace.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../grid/timeutil.h"

const char *const jobtrace_format_names[] = {"plain", "helios", "philly", "alibaba-pai", NULL};
const char *const jobtrace_role_names[] = {"submit", "duration", "start", "end", "nodes", "accelerators",
                                           "instances", "accelerator_percent", "deadline", "priority", NULL};

void jobtrace_defaults(jobtrace_opts *o, int format)
{
    memset(o, 0, sizeof *o);
    o->format = format;
    o->header = 1;
    o->time_scale = 1.0;
    char(*c)[64] = o->col;
    switch (format) {
    case JT_HELIOS:
        strcpy(c[JTC_SUBMIT], "submit_time");
        strcpy(c[JTC_DURATION], "duration");
        strcpy(c[JTC_ACCEL], "gpu_num");
        break;
    case JT_PHILLY:
        strcpy(c[JTC_SUBMIT], "submitted_time");
        strcpy(c[JTC_DURATION], "run_time_s");
        strcpy(c[JTC_ACCEL], "num_gpus");
        break;
    case JT_ALIBABA_PAI:
        o->header = 0;
        strcpy(c[JTC_SUBMIT], "#5");
        strcpy(c[JTC_START], "#5");
        strcpy(c[JTC_END], "#6");
        strcpy(c[JTC_INST], "#3");
        strcpy(c[JTC_ACCEL_PCT], "#9");
        break;
    default:
        strcpy(c[JTC_SUBMIT], "submit");
        strcpy(c[JTC_DURATION], "duration_s");
        strcpy(c[JTC_NODES], "nodes"); /* or "accelerators" */
        strcpy(c[JTC_DEADLINE], "deadline");
        strcpy(c[JTC_PRIORITY], "priority");
        break;
    }
}

void jobtrace_free(jobtrace *t)
{
    if (!t)
        return;
    free(t->jobs);
    memset(t, 0, sizeof *t);
}

#define MAX_FIELDS 256

/* Splits line (modified in place) at commas into f[]; a field in double
 * quotes may hold commas. Returns the number of fields. */
static int split(char *line, char **f)
{
    int n = 0;
    char *p = line;
    size_t len = strlen(p);
    while (len && (p[len - 1] == '\n' || p[len - 1] == '\r'))
        p[--len] = '\0';
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        char *end;
        if (*p == '"') {
            f[n] = ++p;
            end = strchr(p, '"');
            if (end) {
                *end++ = '\0';
                end = strchr(end, ',');
            }
        } else {
            f[n] = p;
            end = strchr(p, ',');
            if (end)
                *end = '\0';
            for (char *q = end ? end : p + strlen(p); q > p && (q[-1] == ' ' || q[-1] == '\t');)
                *--q = '\0';
        }
        n++;
        if (!end || n == MAX_FIELDS)
            return n;
        p = end + 1;
    }
}

/* A number (seconds) or a timestamp (epoch seconds); 0, or -1 with why. */
static int parse_time(const char *v, double *out, char *why, size_t len)
{
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (end != v && *end == '\0') {
        if (!isfinite(x) || errno) {
            snprintf(why, len, "\"%.40s\" is not a finite number", v);
            return -1;
        }
        *out = x;
        return 0;
    }
    int64_t t;
    char e2[200];
    if (timeutil_parse_iso(v, 0, &t, e2, sizeof e2)) {
        snprintf(why, len, "\"%.40s\" is neither seconds nor a timestamp (YYYY-MM-DD HH:MM:SS)", v);
        return -1;
    }
    *out = (double)t;
    return 0;
}

static int parse_num(const char *v, double lo, double *out, char *why, size_t len)
{
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (end == v || *end != '\0' || errno || !isfinite(x)) {
        snprintf(why, len, "\"%.40s\" is not a finite number", v);
        return -1;
    }
    if (x < lo) {
        snprintf(why, len, "%g is below %g", x, lo);
        return -1;
    }
    *out = x;
    return 0;
}

typedef struct keyed {
    jobtrace_job j;
    double abs_submit; /* as recorded, s */
    long row;          /* file order, for a stable sort */
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->abs_submit != y->abs_submit)
        return x->abs_submit < y->abs_submit ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row);
}

/* Resolves role columns to field indices from a header (or "#N"). */
static int resolve(const jobtrace_opts *o, char **f, int nf, int *idx, const char *path, long line, char *err,
                   size_t errlen)
{
    for (int r = 0; r < JTC_ROLE_COUNT; r++)
        idx[r] = -1;
    for (int r = 0; r < JTC_ROLE_COUNT; r++) {
        const char *name = o->col[r];
        if (!name[0])
            continue;
        if (name[0] == '#') {
            idx[r] = atoi(name + 1) - 1;
            if (idx[r] < 0) {
                snprintf(err, errlen, "%s: column %s: \"%s\" is not a column number (#1, #2, ...)", path,
                         jobtrace_role_names[r], name);
                return -1;
            }
            continue;
        }
        if (!f) {
            snprintf(err, errlen, "%s: column %s is named \"%s\" but the file has no header; give its number (\"#3\")",
                     path, jobtrace_role_names[r], name);
            return -1;
        }
        for (int k = 0; k < nf; k++)
            if (!strcmp(f[k], name))
                idx[r] = k;
        if (idx[r] < 0 && o->format == JT_PLAIN && r == JTC_NODES && !strcmp(name, "nodes"))
            for (int k = 0; k < nf; k++) /* plain: "accelerators" instead of "nodes" */
                if (!strcmp(f[k], "accelerators"))
                    idx[JTC_ACCEL] = k;
        if (idx[r] < 0 && ((r == JTC_NODES && idx[JTC_ACCEL] >= 0) ||
                           (o->format == JT_PLAIN && (r == JTC_DEADLINE || r == JTC_PRIORITY) &&
                            !strcmp(name, jobtrace_role_names[r]))))
            continue; /* the plain format's optional columns */
        if (idx[r] < 0) {
            snprintf(err, errlen, "%s:%ld: no column \"%s\" (for %s) in the header", path, line, name,
                     jobtrace_role_names[r]);
            return -1;
        }
    }
    if (idx[JTC_SUBMIT] < 0) {
        snprintf(err, errlen, "%s: no submit column", path);
        return -1;
    }
    if (idx[JTC_DURATION] < 0 && (idx[JTC_START] < 0 || idx[JTC_END] < 0)) {
        snprintf(err, errlen, "%s: give a duration column, or start and end", path);
        return -1;
    }
    if (idx[JTC_NODES] < 0 && idx[JTC_ACCEL] < 0 && (idx[JTC_INST] < 0 || idx[JTC_ACCEL_PCT] < 0)) {
        snprintf(err, errlen, "%s: give a nodes or accelerators column, or instances and accelerator_percent", path);
        return -1;
    }
    return 0;
}

/* One row into *k. Returns 0, 1 (a row with no accelerators: skip), or -1
 * with "column: why" in why. */
static int parse_row(const jobtrace_opts *o, char **f, int nf, const int *idx, keyed *k, char *why, size_t len)
{
    const char *v[JTC_ROLE_COUNT];
    char w2[200];
    for (int r = 0; r < JTC_ROLE_COUNT; r++) {
        v[r] = NULL;
        if (idx[r] < 0)
            continue;
        if (idx[r] >= nf) {
            snprintf(why, len, "%d fields; column %s is field %d", nf, jobtrace_role_names[r], idx[r] + 1);
            return -1;
        }
        v[r] = f[idx[r]];
        int optional = r == JTC_DEADLINE || r == JTC_PRIORITY;
        if (!v[r][0] && !optional) {
            snprintf(why, len, "column %s (field %d) is empty", jobtrace_role_names[r], idx[r] + 1);
            return -1;
        }
    }
#define FAIL_COL(r)                                                                   \
    do {                                                                              \
        snprintf(why, len, "column %s (field %d): %s", jobtrace_role_names[r], idx[r] + 1, w2); \
        return -1;                                                                    \
    } while (0)
    double sub, dur, a, b;
    if (parse_time(v[JTC_SUBMIT], &sub, w2, sizeof w2))
        FAIL_COL(JTC_SUBMIT);
    if (v[JTC_DURATION]) {
        if (parse_num(v[JTC_DURATION], 0.0, &dur, w2, sizeof w2))
            FAIL_COL(JTC_DURATION);
    } else {
        if (parse_time(v[JTC_START], &a, w2, sizeof w2))
            FAIL_COL(JTC_START);
        if (parse_time(v[JTC_END], &b, w2, sizeof w2))
            FAIL_COL(JTC_END);
        if (b < a) {
            snprintf(why, len, "end (%.17g) is before start (%.17g)", b, a);
            return -1;
        }
        dur = b - a;
    }
    double nodes;
    if (v[JTC_NODES]) {
        if (parse_num(v[JTC_NODES], 0.0, &nodes, w2, sizeof w2))
            FAIL_COL(JTC_NODES);
    } else {
        double acc;
        if (v[JTC_ACCEL]) {
            if (parse_num(v[JTC_ACCEL], 0.0, &acc, w2, sizeof w2))
                FAIL_COL(JTC_ACCEL);
        } else {
            double inst, pct;
            if (parse_num(v[JTC_INST], 0.0, &inst, w2, sizeof w2))
                FAIL_COL(JTC_INST);
            if (parse_num(v[JTC_ACCEL_PCT], 0.0, &pct, w2, sizeof w2))
                FAIL_COL(JTC_ACCEL_PCT);
            acc = ceil(inst * pct / 100.0 - 1e-9);
        }
        if (o->accel_per_node <= 0) {
            snprintf(why, len, "the trace gives accelerators but the target node type has none; map a nodes column");
            return -1;
        }
        nodes = ceil(acc / o->accel_per_node);
    }
    if (nodes < 1)
        return 1;
    if (nodes > 1e7) {
        snprintf(why, len, "%g nodes is more than any pool holds", nodes);
        return -1;
    }
    k->abs_submit = sub;
    k->j.duration_s = dur;
    k->j.nodes = (int)ceil(nodes);
    k->j.deadline_s = INFINITY;
    k->j.priority = 0;
    if (v[JTC_DEADLINE] && v[JTC_DEADLINE][0]) {
        double d;
        if (parse_time(v[JTC_DEADLINE], &d, w2, sizeof w2))
            FAIL_COL(JTC_DEADLINE);
        if (d < sub + dur) {
            snprintf(why, len, "column %s: the deadline is before submit + duration", jobtrace_role_names[JTC_DEADLINE]);
            return -1;
        }
        k->j.deadline_s = d - sub;
    }
    if (v[JTC_PRIORITY] && v[JTC_PRIORITY][0]) {
        double p = NAN;
        char *end;
        p = strtod(v[JTC_PRIORITY], &end);
        if (*end != '\0' || !(p >= -1e6 && p <= 1e6) || p != floor(p)) {
            snprintf(w2, sizeof w2, "\"%.40s\" is not an integer in [-1000000, 1000000]", v[JTC_PRIORITY]);
            FAIL_COL(JTC_PRIORITY);
        }
        k->j.priority = (int)p;
    }
#undef FAIL_COL
    return 0;
}

int jobtrace_read(jobtrace *t, const char *path, const jobtrace_opts *o, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    FILE *fp = fopen(path, "r");
    if (!fp) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    char *line = NULL, *f[MAX_FIELDS];
    size_t cap = 0;
    long lineno = 0, n = 0, ncap = 0;
    keyed *rows = NULL;
    int idx[JTC_ROLE_COUNT], have_idx = 0, rc = -1;
    while (getline(&line, &cap, fp) != -1) {
        lineno++;
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#' || *p == '\n' || *p == '\r' || *p == '\0')
            continue;
        int nf = split(p, f);
        if (!have_idx) {
            if (resolve(o, o->header ? f : NULL, nf, idx, path, lineno, err, errlen))
                goto done;
            have_idx = 1;
            if (o->header)
                continue;
        }
        if (n == ncap) {
            long nc = ncap ? ncap * 2 : 1024;
            keyed *nr = realloc(rows, (size_t)nc * sizeof *nr);
            if (!nr) {
                snprintf(err, errlen, "%s:%ld: out of memory", path, lineno);
                goto done;
            }
            rows = nr;
            ncap = nc;
        }
        char why[400];
        int r = parse_row(o, f, nf, idx, &rows[n], why, sizeof why);
        if (r < 0) {
            if (o->skip_incomplete) {
                t->skipped_bad++;
                continue;
            }
            snprintf(err, errlen, "%s:%ld: %s", path, lineno, why);
            goto done;
        }
        if (r == 1) {
            t->skipped_cpu++;
            continue;
        }
        rows[n].row = n;
        n++;
    }
    if (ferror(fp)) {
        snprintf(err, errlen, "%s: read error: %s", path, strerror(errno));
        goto done;
    }
    if (n == 0) {
        snprintf(err, errlen, "%s: no jobs (%ld lines, %ld rows without accelerators, %ld skipped)", path, lineno,
                 t->skipped_cpu, t->skipped_bad);
        goto done;
    }
    qsort(rows, (size_t)n, sizeof *rows, cmp_keyed);
    t->jobs = malloc((size_t)n * sizeof *t->jobs);
    if (!t->jobs) {
        snprintf(err, errlen, "%s: out of memory", path);
        goto done;
    }
    for (long i = 0; i < n; i++) {
        t->jobs[i] = rows[i].j;
        t->jobs[i].submit_s = (rows[i].abs_submit - rows[0].abs_submit) * o->time_scale;
    }
    t->n = n;
    rc = 0;
done:
    free(line);
    free(rows);
    fclose(fp);
    if (rc)
        jobtrace_free(t);
    return rc;
}
