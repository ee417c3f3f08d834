/* calibrate.c - node power curves from measured telemetry (see calibrate.h).
 *
 * Model (the node power model of sim/fleet.h, per device):
 *
 *   P(u) = a + (b - a) u^alpha,   alpha = exp(theta)
 *
 * a = idle power (W), b = power at full utilisation (W). The fit minimises
 * sum_i (P(u_i) - p_i)^2 over (a, b, theta) with GSL's trust-region solver
 * (Levenberg-Marquardt steps), from the straight line through the data
 * (gsl_fit_linear: a0 = c0, b0 = c0 + c1, theta0 = 0). Fitting theta keeps
 * alpha > 0 without bounds. Jacobian:
 *
 *   dP/da = 1 - u^alpha,  dP/db = u^alpha,  dP/dtheta = (b - a) u^alpha ln(u) alpha  (0 at u = 0)
 *
 * Standard errors: the covariance (J^T J)^-1 at the solution times
 * s^2 = SS_res / (n - 3); se(alpha) = alpha se(theta) (delta method).
 * With alpha fixed the fit is linear in x = u^alpha (gsl_fit_linear) and
 * se(b)^2 = cov00 + 2 cov01 + cov11.
 *
 * Node = devices x device curve + host: idle_w = N a + host_idle_w,
 * max_w = N b + host_max_w, alpha of the device curve (the host is assumed
 * to follow the same shape; its figures are the user's, taken as exact).
 */
#define _POSIX_C_SOURCE 200809L
#include "calibrate.h"

#include <errno.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit_nlinear.h>
#include <gsl/gsl_vector.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_COLS 32             /* CSV columns looked at */
#define MAX_POWER_W 10000.0     /* a device drawing more is a unit mistake */
#define NEURON_PERIOD_S 60      /* a sysfs power record covers (T - 60 s, T] */
#define MAX_SAMPLES 50000000    /* refuses absurd inputs before memory runs out */

/* ------------------------------------------------------------------ data */

void calib_data_init(calib_data *d) { memset(d, 0, sizeof *d); }

void calib_data_free(calib_data *d)
{
    if (!d)
        return;
    free(d->s);
    memset(d, 0, sizeof *d);
}

static int add_sample(calib_data *d, double u, double p_w, char *err, size_t errlen)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? 2 * d->cap : 1024;
        if (cap > MAX_SAMPLES) {
            snprintf(err, errlen, "more than %d samples: too much data for one fit", MAX_SAMPLES);
            return CALIB_EINPUT;
        }
        calib_sample *s = realloc(d->s, cap * sizeof *s);
        if (!s) {
            snprintf(err, errlen, "out of memory (%zu samples)", cap);
            return CALIB_EFAIL;
        }
        d->s = s;
        d->cap = cap;
    }
    d->s[d->n].u = u;
    d->s[d->n].p_w = p_w;
    d->n++;
    return CALIB_OK;
}

static void set_time(calib_data *d, const char *t)
{
    if (!d->first[0])
        snprintf(d->first, sizeof d->first, "%s", t);
    snprintf(d->last, sizeof d->last, "%s", t);
}

/* Trims spaces, tabs and line ends at both ends, in place. */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

/* Splits s at commas in place; returns the field count (at most max). */
static int split(char *s, char **f, int max)
{
    int n = 0;
    for (;;) {
        char *c = strchr(s, ',');
        if (n == max)
            return max + 1;
        if (c)
            *c = '\0';
        f[n++] = trim(s);
        if (!c)
            return n;
        s = c + 1;
    }
}

static int blank(const char *s)
{
    s += strspn(s, " \t\r\n");
    return *s == '\0';
}

/* -------------------------------------------------------- format detection */

int calib_detect_format(const char *path, const char **format, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return CALIB_EINPUT;
    }
    char *line = NULL;
    size_t cap = 0;
    int found = 0;
    while (getline(&line, &cap, f) >= 0) {
        if (blank(line))
            continue;
        char *s = line + strspn(line, " \t");
        if (*s == '{') {
            found = 2;
        } else {
            char *end;
            strtod(s, &end);
            found = (end != s && *end == ' ' && end[strspn(end, " ")] == '{') ? 2 : 1;
        }
        break;
    }
    free(line);
    fclose(f);
    if (!found) {
        snprintf(err, errlen, "%s: the file is empty", path);
        return CALIB_EINPUT;
    }
    *format = found == 2 ? "neuron-monitor" : "nvidia-smi";
    return CALIB_OK;
}

/* ------------------------------------------------------------- nvidia-smi */

enum { COL_TIME, COL_DEV, COL_UTIL, COL_POWER, COL_POWER_AVG, COL_POWER_INST, COL_NKINDS };
static const char *const col_names[COL_NKINDS] = {"timestamp", "index", "utilization.gpu", "power.draw",
                                                  "power.draw.average", "power.draw.instant"};

/* Maps column names (units in brackets removed) to kinds; pci.bus_id is a
 * device column too. -1 for columns not read. */
static int col_kind(const char *name)
{
    if (!strcmp(name, "pci.bus_id") || !strcmp(name, "gpu_bus_id") || !strcmp(name, "uuid"))
        return COL_DEV;
    for (int k = 0; k < COL_NKINDS; k++)
        if (!strcmp(name, col_names[k]))
            return k;
    return -1;
}

/* Reads a number in a cell with an optional unit ("87 %", "312.45 W", "87").
 * Returns 0, 1 for a bracketed "[N/A]"-style value, -1 if not a number. */
static int cell_number(const char *c, const char *unit, double *v)
{
    if (c[0] == '[')
        return 1;
    char *end;
    errno = 0;
    *v = strtod(c, &end);
    if (end == c || errno || !isfinite(*v))
        return -1;
    end += strspn(end, " ");
    if (*end && strcmp(end, unit))
        return -1;
    return 0;
}

int calib_read_nvsmi(const char *path, const char *cols, calib_data *d, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return CALIB_EINPUT;
    }
    char *line = NULL, *header = NULL;
    size_t cap = 0;
    int rc = CALIB_OK, ncol = 0, kind[MAX_COLS + 1];
    int at[COL_NKINDS]; /* column of each kind, or -1 */
    char ids[CALIB_DEV_MAX][40];
    int nids = 0, has_dev = 0;
    long lineno = 0, rows = 0;
    for (int k = 0; k < COL_NKINDS; k++)
        at[k] = -1;

    /* the columns: from the header, from cols, or by count */
    char *colbuf = NULL;
    if (cols) {
        colbuf = strdup(cols);
        if (!colbuf) {
            snprintf(err, errlen, "out of memory");
            rc = CALIB_EFAIL;
            goto done;
        }
    }
    ssize_t len;
    while ((len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        if (blank(line) || line[strspn(line, " \t")] == '#')
            continue;
        char *fld[MAX_COLS + 1];
        if (ncol == 0) { /* the first line: a header, or the first row */
            int is_header = strstr(line, "utilization.gpu") || strstr(line, "power.draw") ||
                            strstr(line, "timestamp");
            if (is_header && cols) {
                snprintf(err, errlen, "%s:%ld: the file has a header line: --columns is for files without one",
                         path, lineno);
                rc = CALIB_EINPUT;
                goto done;
            }
            char *src = is_header ? line : colbuf;
            char *tmp = NULL;
            if (is_header) {
                header = strdup(trim(line));
                if (!header) {
                    snprintf(err, errlen, "out of memory");
                    rc = CALIB_EFAIL;
                    goto done;
                }
            }
            if (!src) { /* no header and no --columns: guess by the field count */
                tmp = strdup(line);
                if (!tmp) {
                    snprintf(err, errlen, "out of memory");
                    rc = CALIB_EFAIL;
                    goto done;
                }
                int n = split(tmp, fld, MAX_COLS);
                free(tmp);
                if (n == 3)
                    colbuf = strdup("timestamp,utilization.gpu,power.draw");
                else if (n == 4)
                    colbuf = strdup("timestamp,index,utilization.gpu,power.draw");
                else {
                    snprintf(err, errlen,
                             "%s:%ld: no header line and %d fields: give --columns with the --query-gpu list "
                             "(3 or 4 fields are read as timestamp,[index,]utilization.gpu,power.draw)",
                             path, lineno, n > MAX_COLS ? MAX_COLS + 1 : n);
                    rc = CALIB_EINPUT;
                    goto done;
                }
                if (!colbuf) {
                    snprintf(err, errlen, "out of memory");
                    rc = CALIB_EFAIL;
                    goto done;
                }
                src = colbuf;
            }
            char *hcopy = strdup(src);
            if (!hcopy) {
                snprintf(err, errlen, "out of memory");
                rc = CALIB_EFAIL;
                goto done;
            }
            ncol = split(hcopy, fld, MAX_COLS);
            if (ncol > MAX_COLS) {
                free(hcopy);
                snprintf(err, errlen, "%s:%ld: more than %d columns", path, is_header ? lineno : 0L, MAX_COLS);
                rc = CALIB_EINPUT;
                goto done;
            }
            for (int i = 0; i < ncol; i++) {
                char *br = strchr(fld[i], '[');
                if (br) {
                    *br = '\0';
                    trim(fld[i]);
                }
                kind[i] = col_kind(fld[i]);
                if (kind[i] >= 0) {
                    if (at[kind[i]] >= 0) {
                        snprintf(err, errlen, "%s:%ld: column %s appears twice", path, is_header ? lineno : 0L,
                                 fld[i]);
                        free(hcopy);
                        rc = CALIB_EINPUT;
                        goto done;
                    }
                    at[kind[i]] = i;
                }
            }
            free(hcopy);
            if (at[COL_UTIL] < 0 || (at[COL_POWER] < 0 && at[COL_POWER_AVG] < 0 && at[COL_POWER_INST] < 0)) {
                snprintf(err, errlen,
                         "%s:%ld: the columns must include utilization.gpu and power.draw (or "
                         "power.draw.average / power.draw.instant)",
                         path, is_header ? lineno : 0L);
                rc = CALIB_EINPUT;
                goto done;
            }
            has_dev = at[COL_DEV] >= 0;
            if (is_header)
                continue;
        } else if (header && !strcmp(trim(line), header)) {
            continue; /* the header again: logs appended from several runs */
        }
        (void)len;
        int n = split(line, fld, MAX_COLS);
        if (n != ncol) {
            snprintf(err, errlen, "%s:%ld: %d fields, expected %d", path, lineno, n > MAX_COLS ? MAX_COLS + 1 : n,
                     ncol);
            rc = CALIB_EINPUT;
            goto done;
        }
        /* the power column: the 1-s average if logged, else power.draw, else instant */
        int pc = at[COL_POWER_AVG] >= 0 ? at[COL_POWER_AVG] : at[COL_POWER] >= 0 ? at[COL_POWER] : at[COL_POWER_INST];
        double u, p;
        int ru = cell_number(fld[at[COL_UTIL]], "%", &u);
        int rp = cell_number(fld[pc], "W", &p);
        if (ru < 0) {
            snprintf(err, errlen, "%s:%ld: utilization.gpu \"%s\" is not a number (percent)", path, lineno,
                     fld[at[COL_UTIL]]);
            rc = CALIB_EINPUT;
            goto done;
        }
        if (rp < 0) {
            snprintf(err, errlen, "%s:%ld: %s \"%s\" is not a number (W)", path, lineno, col_names[kind[pc]],
                     fld[pc]);
            rc = CALIB_EINPUT;
            goto done;
        }
        if (ru == 0 && (u < 0.0 || u > 100.0)) {
            snprintf(err, errlen, "%s:%ld: utilization.gpu %g %% is outside [0, 100]", path, lineno, u);
            rc = CALIB_EINPUT;
            goto done;
        }
        if (rp == 0 && (p < 0.0 || p > MAX_POWER_W)) {
            snprintf(err, errlen, "%s:%ld: %s %g W is outside [0, %g]", path, lineno, col_names[kind[pc]], p,
                     MAX_POWER_W);
            rc = CALIB_EINPUT;
            goto done;
        }
        if (has_dev) {
            const char *id = fld[at[COL_DEV]];
            int j = 0;
            while (j < nids && strcmp(ids[j], id))
                j++;
            if (j == nids) {
                if (nids == CALIB_DEV_MAX) {
                    snprintf(err, errlen, "%s:%ld: more than %d devices in one log", path, lineno, CALIB_DEV_MAX);
                    rc = CALIB_EINPUT;
                    goto done;
                }
                snprintf(ids[nids++], sizeof ids[0], "%s", id);
            }
        }
        if (at[COL_TIME] >= 0)
            set_time(d, fld[at[COL_TIME]]);
        rows++;
        if (ru || rp) {
            d->skipped_na++;
            continue;
        }
        if ((rc = add_sample(d, u / 100.0, p, err, errlen)))
            goto done;
    }
    if (ferror(f)) {
        snprintf(err, errlen, "%s: read error: %s", path, strerror(errno));
        rc = CALIB_EFAIL;
        goto done;
    }
    if (rows == 0) {
        snprintf(err, errlen, "%s: no data rows", path);
        rc = CALIB_EINPUT;
        goto done;
    }
    if (!has_dev)
        d->ndev = -1;
    else if (d->ndev >= 0 && nids > d->ndev)
        d->ndev = nids;
    d->nlogs++;
done:
    free(line);
    free(header);
    free(colbuf);
    fclose(f);
    return rc;
}

/* ---------------------------------------------------------- neuron-monitor */

typedef struct power_rec {
    int dev;
    long long t;  /* Unix time, s */
    double avg;   /* percent of the device's maximum power */
    long line;
} power_rec;

typedef struct report {
    double t;   /* Unix time, s */
    double *u;  /* [ndev] device utilisation, percent */
} report;

static int cmp_power(const void *pa, const void *pb)
{
    const power_rec *a = pa, *b = pb;
    if (a->dev != b->dev)
        return a->dev < b->dev ? -1 : 1;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    return a->line < b->line ? -1 : a->line > b->line;
}

static int parse_ll(const char *s, long long *v)
{
    char *end;
    errno = 0;
    *v = strtoll(s, &end, 10);
    return end == s || *end || errno ? -1 : 0;
}

static int parse_pct(const char *s, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return end == s || *end || errno || !(*v >= 0.0 && *v <= 100.0) ? -1 : 0;
}

/* Reads the sysfs power log into *recs (sorted by device and time, VALID
 * records only, duplicates removed). */
static int read_power(const char *path, calib_data *d, power_rec **recs, size_t *nrecs, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return CALIB_EINPUT;
    }
    char *line = NULL;
    size_t cap = 0, n = 0, rcap = 0;
    power_rec *r = NULL;
    long lineno = 0;
    int rc = CALIB_OK;
    while (getline(&line, &cap, f) >= 0) {
        lineno++;
        if (blank(line) || line[strspn(line, " \t")] == '#')
            continue;
        char *fld[7];
        int nf = split(line, fld, 6);
        if (nf != 6) {
            snprintf(err, errlen,
                     "%s:%ld: %d fields, expected 6: device,status,unix_time,min_pct,max_pct,avg_pct", path,
                     lineno, nf);
            rc = CALIB_EINPUT;
            goto done;
        }
        long long dev, t;
        double mn, mx, avg;
        if (parse_ll(fld[0], &dev) || dev < 0 || dev >= CALIB_DEV_MAX) {
            snprintf(err, errlen, "%s:%ld: device \"%s\" is not an index in [0, %d]", path, lineno, fld[0],
                     CALIB_DEV_MAX - 1);
            rc = CALIB_EINPUT;
            goto done;
        }
        if (strcmp(fld[1], "POWER_STATUS_VALID") && strcmp(fld[1], "POWER_STATUS_NO_DATA") &&
            strcmp(fld[1], "POWER_STATUS_INVALID")) {
            snprintf(err, errlen,
                     "%s:%ld: unknown status \"%s\" (POWER_STATUS_VALID, POWER_STATUS_NO_DATA or "
                     "POWER_STATUS_INVALID)",
                     path, lineno, fld[1]);
            rc = CALIB_EINPUT;
            goto done;
        }
        if (parse_ll(fld[2], &t) || t < 0) {
            snprintf(err, errlen, "%s:%ld: time \"%s\" is not a Unix time in seconds", path, lineno, fld[2]);
            rc = CALIB_EINPUT;
            goto done;
        }
        const char *which[3] = {"min_pct", "max_pct", "avg_pct"};
        double *vals[3] = {&mn, &mx, &avg};
        for (int k = 0; k < 3; k++)
            if (parse_pct(fld[3 + k], vals[k])) {
                snprintf(err, errlen, "%s:%ld: %s \"%s\" is not a percentage in [0, 100]", path, lineno, which[k],
                         fld[3 + k]);
                rc = CALIB_EINPUT;
                goto done;
            }
        if (strcmp(fld[1], "POWER_STATUS_VALID")) {
            d->skipped_status++;
            continue;
        }
        if (n == rcap) {
            rcap = rcap ? 2 * rcap : 256;
            power_rec *nr = realloc(r, rcap * sizeof *nr);
            if (!nr) {
                snprintf(err, errlen, "out of memory");
                rc = CALIB_EFAIL;
                goto done;
            }
            r = nr;
        }
        r[n++] = (power_rec){(int)dev, t, avg, lineno};
    }
    if (ferror(f)) {
        snprintf(err, errlen, "%s: read error: %s", path, strerror(errno));
        rc = CALIB_EFAIL;
        goto done;
    }
    if (n > 0)
        qsort(r, n, sizeof *r, cmp_power);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k > 0 && r[k - 1].dev == r[i].dev && r[k - 1].t == r[i].t) {
            if (r[k - 1].avg != r[i].avg) {
                snprintf(err, errlen, "%s:%ld: device %d has another record for time %lld (line %ld) with another value",
                         path, r[i].line, r[i].dev, r[i].t, r[k - 1].line);
                rc = CALIB_EINPUT;
                goto done;
            }
            d->skipped_dup++;
            continue;
        }
        r[k++] = r[i];
    }
    n = k;
done:
    free(line);
    fclose(f);
    if (rc) {
        free(r);
        return rc;
    }
    *recs = r;
    *nrecs = n;
    return CALIB_OK;
}

static const char *json_kind(const json_t *j)
{
    if (!j)
        return "missing";
    switch (json_typeof(j)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

/* Reads one report (its time already parsed) into u[ndev]; ndev and cpd
 * are set from the first report. Returns CALIB_OK, CALIB_EINPUT, or -1 to
 * skip the report (a runtime reported an error). */
static int read_report(const char *path, long lineno, json_t *root, calib_data *d, int *ndev, int *cpd, double *u,
                       char *err, size_t errlen)
{
    if (!json_is_object(root)) {
        snprintf(err, errlen, "%s:%ld: the report is %s, expected an object", path, lineno, json_kind(root));
        return CALIB_EINPUT;
    }
    json_t *hw = json_object_get(root, "neuron_hardware_info");
    json_t *jn = json_object_get(hw, "neuron_device_count");
    json_t *jc = json_object_get(hw, "neuroncore_per_device_count");
    if (!json_is_integer(jn) || !json_is_integer(jc)) {
        snprintf(err, errlen,
                 "%s:%ld: neuron_hardware_info.neuron_device_count and .neuroncore_per_device_count must be "
                 "integers (got %s and %s)",
                 path, lineno, json_kind(jn), json_kind(jc));
        return CALIB_EINPUT;
    }
    long long nd = json_integer_value(jn), nc = json_integer_value(jc);
    if (nd < 1 || nd > CALIB_DEV_MAX || nc < 1 || nc > 64) {
        snprintf(err, errlen,
                 "%s:%ld: neuron_hardware_info: %lld devices of %lld NeuronCores is outside [1, %d] x [1, 64]", path,
                 lineno, nd, nc, CALIB_DEV_MAX);
        return CALIB_EINPUT;
    }
    if (*ndev == 0) {
        *ndev = (int)nd;
        *cpd = (int)nc;
        d->neuron_devices = (int)nd;
        const char *it = json_string_value(json_object_get(json_object_get(root, "instance_info"), "instance_type"));
        if (it && it[0])
            snprintf(d->instance_type, sizeof d->instance_type, "%s", it);
    } else if (nd != *ndev || nc != *cpd) {
        snprintf(err, errlen, "%s:%ld: neuron_hardware_info changed: %lld devices of %lld cores, earlier %d of %d",
                 path, lineno, nd, nc, *ndev, *cpd);
        return CALIB_EINPUT;
    }
    for (int i = 0; i < *ndev; i++)
        u[i] = 0.0; /* cores not in use are idle */
    json_t *rts = json_object_get(root, "neuron_runtime_data");
    if (!json_is_array(rts)) {
        snprintf(err, errlen, "%s:%ld: neuron_runtime_data is %s, expected an array", path, lineno, json_kind(rts));
        return CALIB_EINPUT;
    }
    size_t ri;
    json_t *rt;
    json_array_foreach(rts, ri, rt)
    {
        const char *rterr = json_string_value(json_object_get(rt, "error"));
        if (rterr && rterr[0])
            return -1;
        json_t *ncc = json_object_get(json_object_get(rt, "report"), "neuroncore_counters");
        json_t *inuse = json_object_get(ncc, "neuroncores_in_use");
        if (!json_is_object(inuse)) {
            snprintf(err, errlen,
                     "%s:%ld: neuron_runtime_data[%zu].report.neuroncore_counters.neuroncores_in_use is %s: enable the "
                     "neuroncore_counters metric group",
                     path, lineno, ri, json_kind(inuse));
            return CALIB_EINPUT;
        }
        const char *key;
        json_t *core;
        json_object_foreach(inuse, key, core)
        {
            long long ci;
            if (parse_ll(key, &ci) || ci < 0 || ci >= (long long)*ndev * *cpd) {
                snprintf(err, errlen, "%s:%ld: NeuronCore \"%s\" is not an index in [0, %d]", path, lineno, key,
                         *ndev * *cpd - 1);
                return CALIB_EINPUT;
            }
            json_t *ju = json_object_get(core, "neuroncore_utilization");
            double v = json_number_value(ju);
            if (!json_is_number(ju) || !(v >= 0.0 && v <= 100.0)) {
                snprintf(err, errlen, "%s:%ld: NeuronCore %s: neuroncore_utilization is %s, expected a percentage in [0, 100]",
                         path, lineno, key, json_is_number(ju) ? "out of range" : json_kind(ju));
                return CALIB_EINPUT;
            }
            u[ci / *cpd] += v / *cpd;
        }
    }
    return CALIB_OK;
}

static int read_monitor(const char *path, calib_data *d, report **reps, size_t *nreps, int *ndev, char *err,
                        size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return CALIB_EINPUT;
    }
    char *line = NULL;
    size_t cap = 0, n = 0, rcap = 0;
    report *r = NULL;
    long lineno = 0;
    int rc = CALIB_OK, cpd = 0;
    double ubuf[CALIB_DEV_MAX];
    *ndev = 0;
    while (getline(&line, &cap, f) >= 0) {
        lineno++;
        if (blank(line))
            continue;
        char *s = line + strspn(line, " \t"), *end;
        errno = 0;
        double t = strtod(s, &end);
        if (*s == '{' || end == s || errno || *end != ' ' || !isfinite(t) || t < 0) {
            snprintf(err, errlen,
                     "%s:%ld: expected the report's Unix time, a space and the JSON report (record with "
                     "neuron-monitor | while read -r l; do echo \"$(date +%%s.%%N) $l\"; done)",
                     path, lineno);
            rc = CALIB_EINPUT;
            goto done;
        }
        if (n > 0 && t < r[n - 1].t) {
            snprintf(err, errlen, "%s:%ld: time %.3f is before the previous report's %.3f", path, lineno, t, r[n - 1].t);
            rc = CALIB_EINPUT;
            goto done;
        }
        json_error_t je;
        json_t *root = json_loads(end, JSON_REJECT_DUPLICATES, &je);
        if (!root) {
            snprintf(err, errlen, "%s:%ld: not a JSON report: %s", path, lineno, je.text);
            rc = CALIB_EINPUT;
            goto done;
        }
        int st = read_report(path, lineno, root, d, ndev, &cpd, ubuf, err, errlen);
        json_decref(root);
        if (st == -1) {
            d->skipped_rterr++;
            continue;
        }
        if (st) {
            rc = st;
            goto done;
        }
        if (n == rcap) {
            rcap = rcap ? 2 * rcap : 256;
            report *nr = realloc(r, rcap * sizeof *nr);
            if (!nr) {
                snprintf(err, errlen, "out of memory");
                rc = CALIB_EFAIL;
                goto done;
            }
            r = nr;
        }
        r[n].t = t;
        r[n].u = malloc((size_t)*ndev * sizeof(double));
        if (!r[n].u) {
            snprintf(err, errlen, "out of memory");
            rc = CALIB_EFAIL;
            goto done;
        }
        memcpy(r[n].u, ubuf, (size_t)*ndev * sizeof(double));
        n++;
    }
    if (ferror(f)) {
        snprintf(err, errlen, "%s: read error: %s", path, strerror(errno));
        rc = CALIB_EFAIL;
        goto done;
    }
    if (n == 0) {
        snprintf(err, errlen, "%s: no reports", path);
        rc = CALIB_EINPUT;
    }
done:
    free(line);
    fclose(f);
    if (rc) {
        for (size_t i = 0; i < n; i++)
            free(r[i].u);
        free(r);
        return rc;
    }
    *reps = r;
    *nreps = n;
    return CALIB_OK;
}

static void iso_time(long long t, char *buf, size_t len)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (gmtime_r(&tt, &tm))
        strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
    else
        snprintf(buf, len, "%lld", t);
}

int calib_read_neuron(const char *monitor_path, const char *power_path, double device_max_w,
                      double max_spread_pct, calib_data *d, char *err, size_t errlen)
{
    power_rec *pr = NULL;
    report *rep = NULL;
    size_t npr = 0, nrep = 0;
    int ndev = 0;
    int rc = read_monitor(monitor_path, d, &rep, &nrep, &ndev, err, errlen);
    if (rc)
        return rc;
    if ((rc = read_power(power_path, d, &pr, &npr, err, errlen)))
        goto done;
    long long tmin = 0, tmax = 0;
    size_t used = 0;
    for (size_t i = 0; i < npr; i++) {
        if (pr[i].dev >= ndev) {
            snprintf(err, errlen, "%s:%ld: device %d, but the reports of %s have %d devices", power_path, pr[i].line,
                     pr[i].dev, monitor_path, ndev);
            rc = CALIB_EINPUT;
            goto done;
        }
        /* the reports in (T - 60 s, T]: binary search for the first t > T - 60 */
        double lo_t = (double)(pr[i].t - NEURON_PERIOD_S);
        size_t lo = 0, hi = nrep;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (rep[mid].t > lo_t)
                hi = mid;
            else
                lo = mid + 1;
        }
        double sum = 0.0, mn = 1e300, mx = -1e300;
        int k = 0;
        for (size_t j = lo; j < nrep && rep[j].t <= (double)pr[i].t; j++, k++) {
            double v = rep[j].u[pr[i].dev];
            sum += v;
            mn = fmin(mn, v);
            mx = fmax(mx, v);
        }
        if (k == 0) {
            d->skipped_nomon++;
            continue;
        }
        if (mx - mn > max_spread_pct) {
            d->skipped_unsteady++;
            continue;
        }
        if ((rc = add_sample(d, sum / k / 100.0, pr[i].avg / 100.0 * device_max_w, err, errlen)))
            goto done;
        if (used == 0 || pr[i].t < tmin)
            tmin = pr[i].t;
        if (used == 0 || pr[i].t > tmax)
            tmax = pr[i].t;
        used++;
    }
    if (used == 0) {
        snprintf(err, errlen, "%s: no power record of %s falls in the time of the reports of %s", power_path,
                 power_path, monitor_path);
        rc = CALIB_EINPUT;
        goto done;
    }
    char buf[40];
    iso_time(tmin - NEURON_PERIOD_S, buf, sizeof buf);
    if (!d->first[0])
        snprintf(d->first, sizeof d->first, "%s", buf);
    iso_time(tmax, d->last, sizeof d->last);
    if (d->ndev >= 0 && ndev > d->ndev)
        d->ndev = ndev;
    d->nlogs++;
done:
    for (size_t i = 0; i < nrep; i++)
        free(rep[i].u);
    free(rep);
    free(pr);
    return rc;
}

/* -------------------------------------------------------------------- fit */

typedef struct fit_data {
    const calib_sample *s;
    size_t n;
} fit_data;

static int curve_f(const gsl_vector *x, void *params, gsl_vector *f)
{
    const fit_data *fd = params;
    double a = gsl_vector_get(x, 0), b = gsl_vector_get(x, 1), alpha = exp(gsl_vector_get(x, 2));
    for (size_t i = 0; i < fd->n; i++) {
        double ua = fd->s[i].u > 0.0 ? pow(fd->s[i].u, alpha) : 0.0;
        gsl_vector_set(f, i, a + (b - a) * ua - fd->s[i].p_w);
    }
    return GSL_SUCCESS;
}

static int curve_df(const gsl_vector *x, void *params, gsl_matrix *J)
{
    const fit_data *fd = params;
    double a = gsl_vector_get(x, 0), b = gsl_vector_get(x, 1), alpha = exp(gsl_vector_get(x, 2));
    for (size_t i = 0; i < fd->n; i++) {
        double u = fd->s[i].u;
        double ua = u > 0.0 ? pow(u, alpha) : 0.0;
        gsl_matrix_set(J, i, 0, 1.0 - ua);
        gsl_matrix_set(J, i, 1, ua);
        gsl_matrix_set(J, i, 2, u > 0.0 ? (b - a) * ua * log(u) * alpha : 0.0);
    }
    return GSL_SUCCESS;
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* R^2 and RMSE of the curve over the samples. */
static void fit_quality(const calib_sample *s, size_t n, calib_fit *f)
{
    double mean = 0.0, ss_tot = 0.0, ss_res = 0.0;
    for (size_t i = 0; i < n; i++)
        mean += s[i].p_w / (double)n;
    for (size_t i = 0; i < n; i++) {
        double ua = s[i].u > 0.0 ? pow(s[i].u, f->alpha) : 0.0;
        double r = f->idle_w + (f->max_w - f->idle_w) * ua - s[i].p_w;
        ss_res += r * r;
        ss_tot += (s[i].p_w - mean) * (s[i].p_w - mean);
    }
    f->rmse_w = sqrt(ss_res / (double)n);
    f->r2 = ss_tot > 0.0 ? 1.0 - ss_res / ss_tot : 0.0;
}

int calib_fit_curve(const calib_sample *s, size_t n, double fixed_alpha, calib_fit *f, char *err, size_t errlen)
{
    memset(f, 0, sizeof *f);
    f->n = n;
    f->alpha_fixed = fixed_alpha > 0.0;
    size_t npar = f->alpha_fixed ? 2 : 3;
    double *u = malloc((n ? n : 1) * sizeof *u), *p = malloc((n ? n : 1) * sizeof *p);
    gsl_multifit_nlinear_workspace *w = NULL;
    gsl_matrix *cov = NULL;
    int rc = CALIB_OK;
    if (!u || !p) {
        snprintf(err, errlen, "out of memory (%zu samples)", n);
        rc = CALIB_EFAIL;
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        u[i] = s[i].u;
    qsort(u, n, sizeof *u, cmp_double);
    for (size_t i = 0; i < n; i++)
        if (i == 0 || u[i] != u[i - 1])
            f->levels++;
    f->u_min = n ? u[0] : 0.0;
    f->u_max = n ? u[n - 1] : 0.0;
    if (f->levels < (int)npar) {
        if (f->alpha_fixed)
            snprintf(err, errlen,
                     "the data cannot determine the curve: %d distinct utilisation level%s in %zu samples; a line "
                     "needs at least 2",
                     f->levels, f->levels == 1 ? "" : "s", n);
        else
            snprintf(err, errlen,
                     "the data cannot determine the curve: %d distinct utilisation level%s in %zu samples; fitting "
                     "idle, max and alpha needs at least 3 (record a run with varied load, or fix the exponent, "
                     "e.g. --alpha 1)",
                     f->levels, f->levels == 1 ? "" : "s", n);
        rc = CALIB_EINPUT;
        goto done;
    }
    if (n <= npar) {
        snprintf(err, errlen, "the data cannot determine the curve: %zu samples for %zu parameters", n, npar);
        rc = CALIB_EINPUT;
        goto done;
    }
    /* the straight line: the start of the nonlinear fit, or the fit itself */
    double x_alpha = f->alpha_fixed ? fixed_alpha : 1.0;
    for (size_t i = 0; i < n; i++) {
        u[i] = s[i].u > 0.0 ? pow(s[i].u, x_alpha) : 0.0;
        p[i] = s[i].p_w;
    }
    double c0, c1, cov00, cov01, cov11, sumsq;
    if (gsl_fit_linear(u, 1, p, 1, n, &c0, &c1, &cov00, &cov01, &cov11, &sumsq) != GSL_SUCCESS) {
        snprintf(err, errlen, "the linear fit failed");
        rc = CALIB_EFAIL;
        goto done;
    }
    if (f->alpha_fixed) {
        f->idle_w = c0;
        f->max_w = c0 + c1;
        f->alpha = fixed_alpha;
        f->se_idle_w = sqrt(fmax(cov00, 0.0));
        f->se_max_w = sqrt(fmax(cov00 + 2.0 * cov01 + cov11, 0.0));
        fit_quality(s, n, f);
        goto done;
    }
    fit_data fd = {s, n};
    gsl_multifit_nlinear_fdf fdf = {0};
    fdf.f = curve_f;
    fdf.df = curve_df;
    fdf.n = n;
    fdf.p = 3;
    fdf.params = &fd;
    gsl_multifit_nlinear_parameters par = gsl_multifit_nlinear_default_parameters();
    par.trs = gsl_multifit_nlinear_trs_lm;
    w = gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &par, n, 3);
    cov = gsl_matrix_alloc(3, 3);
    if (!w || !cov) {
        snprintf(err, errlen, "out of memory (fit workspace for %zu samples)", n);
        rc = CALIB_EFAIL;
        goto done;
    }
    double x0[3] = {c0, c0 + c1, 0.0};
    gsl_vector_view xv = gsl_vector_view_array(x0, 3);
    int st = gsl_multifit_nlinear_init(&xv.vector, &fdf, w);
    int info = 0;
    if (st == GSL_SUCCESS)
        st = gsl_multifit_nlinear_driver(500, 1e-12, 1e-12, 0.0, NULL, NULL, &info, w);
    if (st != GSL_SUCCESS && st != GSL_ENOPROG) {
        snprintf(err, errlen, "the fit did not converge: %s (try --alpha 1)", gsl_strerror(st));
        rc = CALIB_EFAIL;
        goto done;
    }
    const gsl_vector *x = gsl_multifit_nlinear_position(w);
    f->idle_w = gsl_vector_get(x, 0);
    f->max_w = gsl_vector_get(x, 1);
    f->alpha = exp(gsl_vector_get(x, 2));
    f->iterations = (int)gsl_multifit_nlinear_niter(w);
    if (!isfinite(f->idle_w) || !isfinite(f->max_w) || !isfinite(f->alpha) || f->alpha <= 0.0) {
        snprintf(err, errlen, "the fit did not converge to finite values (try --alpha 1)");
        rc = CALIB_EFAIL;
        goto done;
    }
    gsl_matrix *J = gsl_multifit_nlinear_jac(w);
    if (gsl_multifit_nlinear_covar(J, 0.0, cov) != GSL_SUCCESS) {
        snprintf(err, errlen, "the fit's covariance could not be computed (try --alpha 1)");
        rc = CALIB_EFAIL;
        goto done;
    }
    double chi2;
    gsl_blas_ddot(gsl_multifit_nlinear_residual(w), gsl_multifit_nlinear_residual(w), &chi2);
    double s2 = chi2 / (double)(n - 3);
    f->se_idle_w = sqrt(fmax(s2 * gsl_matrix_get(cov, 0, 0), 0.0));
    f->se_max_w = sqrt(fmax(s2 * gsl_matrix_get(cov, 1, 1), 0.0));
    f->se_alpha = f->alpha * sqrt(fmax(s2 * gsl_matrix_get(cov, 2, 2), 0.0));
    fit_quality(s, n, f);
done:
    if (cov)
        gsl_matrix_free(cov);
    if (w)
        gsl_multifit_nlinear_free(w);
    free(u);
    free(p);
    return rc;
}

/* ------------------------------------------------------------------ print */

void calib_print(FILE *out, const calib_data *d, const calib_fit *f, const calib_node *node)
{
    int N = node->devices;
    double idle = N * f->idle_w + node->host_idle_w, max = N * f->max_w + node->host_max_w;
    fprintf(out, "    # dcsim calibrate: node power curve of \"%s\"\n", node->name);
    fprintf(out, "    #   data    %s\n", node->source);
    fprintf(out, "    #           %zu samples", f->n);
    if (d->first[0])
        fprintf(out, ", %s to %s", d->first, d->last);
    fprintf(out, "\n");
    if (d->skipped_na)
        fprintf(out, "    #           skipped: %ld rows with [N/A] or [Not Supported] values\n", d->skipped_na);
    if (d->skipped_status)
        fprintf(out, "    #           skipped: %ld power records not POWER_STATUS_VALID\n", d->skipped_status);
    if (d->skipped_dup)
        fprintf(out, "    #           skipped: %ld duplicate power records\n", d->skipped_dup);
    if (d->skipped_unsteady)
        fprintf(out, "    #           skipped: %ld device-minutes whose utilisation was not steady\n", d->skipped_unsteady);
    if (d->skipped_nomon)
        fprintf(out, "    #           skipped: %ld power records without a monitor report in their minute\n",
                d->skipped_nomon);
    if (d->skipped_rterr)
        fprintf(out, "    #           skipped: %ld reports with a runtime error\n", d->skipped_rterr);
    fprintf(out, "    #   device  P(u) = idle + (max - idle) u^alpha per device, least squares over all samples\n");
    if (f->alpha_fixed)
        fprintf(out, "    #           alpha fixed at %g (--alpha): linear least squares on u^alpha (GSL gsl_fit_linear)\n",
                f->alpha);
    else
        fprintf(out,
                "#           GSL gsl_multifit_nlinear, trust region with Levenberg-Marquardt steps, alpha = exp(theta);"
                " %d iterations\n",
                f->iterations);
    fprintf(out, "    #           idle %.2f W (se %.2f), max %.2f W (se %.2f), alpha %.4f (se %.4f)\n", f->idle_w,
            f->se_idle_w, f->max_w, f->se_max_w, f->alpha, f->se_alpha);
    fprintf(out, "    #           RMSE %.2f W, R^2 %.5f; utilisation %.0f to %.0f %% in %d distinct levels\n", f->rmse_w,
            f->r2, 100.0 * f->u_min, 100.0 * f->u_max, f->levels);
    fprintf(out, "    #   node    %d devices x device curve + host (idle %g W, max %g W): idle_w = %d x %.2f + %g, max_w = %d x %.2f + %g\n",
            N, node->host_idle_w, node->host_max_w, N, f->idle_w, node->host_idle_w, N, f->max_w, node->host_max_w);
    if (node->host_idle_w == 0.0 && node->host_max_w == 0.0)
        fprintf(out, "    #   NOTE    no host power given (--host-idle-w, --host-max-w): these figures count the devices "
                     "only,\n    #           not CPUs, memory, fans, NICs or PSU losses, so they are below wall power\n");
    if (!(f->alpha >= 0.1 && f->alpha <= 10.0))
        fprintf(out, "    #   WARNING alpha %.4g is outside the catalog's range [0.1, 10]: dcsim will refuse it; fix it with --alpha\n",
                f->alpha);
    if (f->idle_w < 0.0 || f->max_w < f->idle_w)
        fprintf(out, "    #   WARNING the curve is not a rising one from a positive idle power: check the data\n");
    if (f->u_max < 0.5)
        fprintf(out, "    #   WARNING the data reach only %.0f %% utilisation: max_w is an extrapolation\n", 100.0 * f->u_max);
    if (f->r2 < 0.9)
        fprintf(out, "    #   WARNING R^2 %.3f: utilisation explains little of the power (see docs/CALIBRATE.md, limits)\n",
                f->r2);
    fprintf(out, "    # Paste into the entry of \"%s\" in scenarios/hardware.cfg, replacing its idle_w, max_w and alpha:\n",
            node->name);
    char a[64];
    snprintf(a, sizeof a, "idle_w = %.1f;", idle);
    fprintf(out, "    %-34s # CALIBRATED (dcsim calibrate): %d x %.2f W + %g W host; se %.1f W\n", a, N, f->idle_w,
            node->host_idle_w, N * f->se_idle_w);
    snprintf(a, sizeof a, "max_w = %.1f;", max);
    fprintf(out, "    %-34s # CALIBRATED: %d x %.2f W + %g W host; se %.1f W\n", a, N, f->max_w, node->host_max_w,
            N * f->se_max_w);
    snprintf(a, sizeof a, "alpha = %.3f;", f->alpha);
    if (f->alpha_fixed)
        fprintf(out, "    %-34s # fixed (--alpha); RMSE %.2f W per device, R^2 %.4f, %zu samples\n", a, f->rmse_w, f->r2,
                f->n);
    else
        fprintf(out, "    %-34s # CALIBRATED: se %.3f; RMSE %.2f W per device, R^2 %.4f, %zu samples\n", a,
                f->se_alpha, f->rmse_w, f->r2, f->n);
}

/* -------------------------------------------------------------------- CLI */

static const char *const usage_calibrate =
    "usage: dcsim calibrate [--format nvidia-smi|neuron-monitor|auto] FILE... [options]\n"
    "\n"
    "Fits the node power curve P(u) = idle + (max - idle) u^alpha to measured telemetry\n"
    "and prints the idle_w, max_w and alpha lines of a catalog entry (docs/CALIBRATE.md).\n"
    "\n"
    "  --format F            nvidia-smi (CSV of nvidia-smi --query-gpu=timestamp,index,\n"
    "                        utilization.gpu,power.draw --format=csv), neuron-monitor (its JSON\n"
    "                        reports, each line prefixed by its Unix time), or auto (default:\n"
    "                        by the first line of each FILE)\n"
    "  --name TYPE           node type of the entry (neuron-monitor default: instance_type)\n"
    "  --devices-per-node N  accelerators per node (default: distinct devices in a log)\n"
    "  --host-idle-w W       host power at idle (CPUs, DRAM, fans, NICs, PSU losses), W (default 0)\n"
    "  --host-max-w W        host power at full load, W (default: --host-idle-w)\n"
    "  --alpha A             fix the exponent (e.g. 1 for linear) instead of fitting it\n"
    "  --columns LIST        nvidia-smi CSV without a header: its --query-gpu list\n"
    "  --power FILE          neuron-monitor: the sysfs power log (device,status,time,min,max,avg)\n"
    "  --device-max-w W      neuron-monitor: device power at 100 % of the sysfs power scale, W\n"
    "  --max-spread PCT      neuron-monitor: skip a device-minute whose utilisation spans more\n"
    "                        percentage points (default 20)\n"
    "\n"
    "node = N devices x device curve + host. Exit status: 0 ok, 1 failure, 2 bad input.\n";

static int num_arg(const char *opt, const char *v, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double x = v ? strtod(v, &end) : 0.0;
    if (!v || end == v || *end || errno || !(x >= lo && x <= hi)) {
        fprintf(stderr, "dcsim: calibrate: %s must be a number in [%g, %g] (got \"%s\")\n", opt, lo, hi,
                v ? v : "nothing");
        return -1;
    }
    *out = x;
    return 0;
}

int calib_main(int argc, char **argv)
{
    const char *format = "auto", *name = NULL, *cols = NULL, *power = NULL;
    double devices = 0.0, host_idle = 0.0, host_max = -1.0, alpha = 0.0, dev_max_w = 0.0, spread = 20.0;
    const char **files = calloc((size_t)(argc > 0 ? argc : 1), sizeof *files);
    int nfiles = 0, rc = CALIB_EINPUT;
    calib_data d;
    calib_data_init(&d);
    char err[1200], source[2048] = "";
    if (!files) {
        fprintf(stderr, "dcsim: calibrate: out of memory\n");
        return CALIB_EFAIL;
    }
    for (int i = 0; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            fputs(usage_calibrate, stdout);
            rc = CALIB_OK;
            goto done;
        }
        int bad = 0;
        if (o[0] != '-' || !strcmp(o, "-")) {
            files[nfiles++] = o;
            continue;
        }
        if (!v) {
            fprintf(stderr, "dcsim: calibrate: %s needs a value\n\n%s", o, usage_calibrate);
            goto done;
        }
        i++;
        if (!strcmp(o, "--format"))
            format = v;
        else if (!strcmp(o, "--name"))
            name = v;
        else if (!strcmp(o, "--columns"))
            cols = v;
        else if (!strcmp(o, "--power"))
            power = v;
        else if (!strcmp(o, "--devices-per-node"))
            bad = num_arg(o, v, 1, CALIB_DEV_MAX, &devices) || (devices != floor(devices) &&
                  (fprintf(stderr, "dcsim: calibrate: --devices-per-node must be an integer (got \"%s\")\n", v), 1));
        else if (!strcmp(o, "--host-idle-w"))
            bad = num_arg(o, v, 0, 1e6, &host_idle);
        else if (!strcmp(o, "--host-max-w"))
            bad = num_arg(o, v, 0, 1e6, &host_max);
        else if (!strcmp(o, "--alpha"))
            bad = num_arg(o, v, 0.01, 100, &alpha);
        else if (!strcmp(o, "--device-max-w"))
            bad = num_arg(o, v, 1, MAX_POWER_W, &dev_max_w);
        else if (!strcmp(o, "--max-spread"))
            bad = num_arg(o, v, 0, 100, &spread);
        else {
            fprintf(stderr, "dcsim: calibrate: unknown option %s\n\n%s", o, usage_calibrate);
            goto done;
        }
        if (bad)
            goto done;
    }
    if (strcmp(format, "auto") && strcmp(format, "nvidia-smi") && strcmp(format, "neuron-monitor")) {
        fprintf(stderr, "dcsim: calibrate: --format must be nvidia-smi, neuron-monitor or auto (got \"%s\")\n", format);
        goto done;
    }
    if (nfiles == 0) {
        fprintf(stderr, "dcsim: calibrate: no telemetry FILE given\n\n%s", usage_calibrate);
        goto done;
    }
    if (host_max < 0.0)
        host_max = host_idle;
    if (host_max < host_idle) {
        fprintf(stderr, "dcsim: calibrate: --host-max-w (%g W) is below --host-idle-w (%g W)\n", host_max, host_idle);
        goto done;
    }
    const char *fmt = format;
    for (int i = 0; i < nfiles; i++) {
        const char *ff = format;
        if (!strcmp(format, "auto") && (rc = calib_detect_format(files[i], &ff, err, sizeof err))) {
            fprintf(stderr, "dcsim: %s\n", err);
            goto done;
        }
        if (i > 0 && strcmp(ff, fmt)) {
            fprintf(stderr, "dcsim: calibrate: %s is %s, but %s is %s: give files of one format\n", files[i], ff,
                    files[0], fmt);
            rc = CALIB_EINPUT;
            goto done;
        }
        fmt = ff;
    }
    rc = CALIB_EINPUT;
    if (!strcmp(fmt, "neuron-monitor")) {
        if (nfiles != 1 || !power || dev_max_w <= 0.0) {
            fprintf(stderr,
                    "dcsim: calibrate: neuron-monitor needs one report log, --power FILE (the sysfs power log) and "
                    "--device-max-w W (docs/CALIBRATE.md)\n");
            goto done;
        }
        if ((rc = calib_read_neuron(files[0], power, dev_max_w, spread, &d, err, sizeof err))) {
            fprintf(stderr, "dcsim: %s\n", err);
            goto done;
        }
        snprintf(source, sizeof source,
                 "neuron-monitor %s (neuroncore_utilization) + sysfs power log %s (avg_pct x %g W)", files[0], power,
                 dev_max_w);
    } else {
        if (power || dev_max_w > 0.0) {
            fprintf(stderr, "dcsim: calibrate: --power and --device-max-w are for neuron-monitor logs\n");
            goto done;
        }
        size_t off = (size_t)snprintf(source, sizeof source, "nvidia-smi CSV");
        for (int i = 0; i < nfiles; i++) {
            if ((rc = calib_read_nvsmi(files[i], cols, &d, err, sizeof err))) {
                fprintf(stderr, "dcsim: %s\n", err);
                goto done;
            }
            if (off < sizeof source)
                off += (size_t)snprintf(source + off, sizeof source - off, " %s", files[i]);
        }
    }
    calib_node node = {name, (int)devices, host_idle, host_max, source};
    if (!node.name)
        node.name = d.instance_type[0] ? d.instance_type : NULL;
    if (!node.name) {
        fprintf(stderr, "dcsim: calibrate: give the node type with --name TYPE (e.g. --name p4d.24xlarge)\n");
        rc = CALIB_EINPUT;
        goto done;
    }
    if (node.devices == 0)
        node.devices = d.ndev > 0 ? d.ndev : 0;
    if (node.devices == 0) {
        fprintf(stderr,
                "dcsim: calibrate: the logs have no device column (index or pci.bus_id): give --devices-per-node N\n");
        rc = CALIB_EINPUT;
        goto done;
    }
    if (d.skipped_na)
        fprintf(stderr, "dcsim: calibrate: notice: %ld rows skipped: [N/A] or [Not Supported] values\n", d.skipped_na);
    if (d.skipped_status)
        fprintf(stderr, "dcsim: calibrate: notice: %ld power records skipped: status not POWER_STATUS_VALID\n",
                d.skipped_status);
    if (d.skipped_dup)
        fprintf(stderr, "dcsim: calibrate: notice: %ld duplicate power records skipped\n", d.skipped_dup);
    if (d.skipped_unsteady)
        fprintf(stderr,
                "dcsim: calibrate: notice: %ld device-minutes skipped: utilisation spread over %g points "
                "(--max-spread)\n",
                d.skipped_unsteady, spread);
    if (d.skipped_nomon)
        fprintf(stderr, "dcsim: calibrate: notice: %ld power records skipped: no monitor report in their minute\n",
                d.skipped_nomon);
    if (d.skipped_rterr)
        fprintf(stderr, "dcsim: calibrate: notice: %ld reports skipped: a runtime reported an error\n",
                d.skipped_rterr);
    calib_fit f;
    if ((rc = calib_fit_curve(d.s, d.n, alpha, &f, err, sizeof err))) {
        fprintf(stderr, "dcsim: calibrate: %s\n", err);
        goto done;
    }
    calib_print(stdout, &d, &f, &node);
    if (fflush(stdout) || ferror(stdout)) {
        fprintf(stderr, "dcsim: calibrate: cannot write the output: %s\n", strerror(errno));
        rc = CALIB_EFAIL;
    }
done:
    calib_data_free(&d);
    free(files);
    return rc;
}
