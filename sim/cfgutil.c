/* cfgutil.c - typed, located reads of libconfig settings (see cfgutil.h). */
#include "cfgutil.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../grid/timeutil.h"

void cfgutil_join(const char *const *names, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; names[i] && used < len; i++) {
        int w = snprintf(buf + used, len - used, "%s\"%s\"", i ? ", " : "", names[i]);
        if (w > 0)
            used += (size_t)w;
    }
}

void cfgutil_path(const config_setting_t *s, char *buf, size_t len)
{
    const config_setting_t *chain[32];
    int n = 0;
    for (const config_setting_t *p = s; p && config_setting_parent(p) && n < 32; p = config_setting_parent(p))
        chain[n++] = p;
    size_t used = 0;
    buf[0] = '\0';
    for (int i = n - 1; i >= 0 && used < len; i--) {
        const char *nm = config_setting_name(chain[i]);
        int w;
        if (nm)
            w = snprintf(buf + used, len - used, "%s%s", used ? "." : "", nm);
        else
            w = snprintf(buf + used, len - used, "[%d]", config_setting_index(chain[i]));
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

int cfgutil_fail(cfg_err *e, const config_setting_t *s, const char *fmt, ...)
{
    char what[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    const char *file = s ? config_setting_source_file(s) : NULL;
    unsigned line = s ? config_setting_source_line(s) : 0;
    if (!file)
        file = e->default_file ? e->default_file : "(scenario)";
    if (line)
        snprintf(e->msg, sizeof e->msg, "%s:%u: %s", file, line, what);
    else if (s && config_setting_parent(s))
        snprintf(e->msg, sizeof e->msg, "%s: (set on the command line) %s", file, what);
    else
        snprintf(e->msg, sizeof e->msg, "%s: %s", file, what);
    return -1;
}

static const char *type_name(int t)
{
    switch (t) {
    case CONFIG_TYPE_GROUP: return "a group { }";
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64: return "an integer";
    case CONFIG_TYPE_FLOAT: return "a number";
    case CONFIG_TYPE_STRING: return "a string";
    case CONFIG_TYPE_BOOL: return "true or false";
    case CONFIG_TYPE_ARRAY: return "an array [ ]";
    case CONFIG_TYPE_LIST: return "a list ( )";
    default: return "something else";
    }
}

int cfgutil_check_keys(cfg_err *e, const config_setting_t *s, const char *const *allowed)
{
    int n = config_setting_length(s);
    for (int i = 0; i < n; i++) {
        const config_setting_t *c = config_setting_get_elem(s, (unsigned)i);
        const char *nm = config_setting_name(c);
        int ok = 0;
        for (const char *const *a = allowed; *a && nm; a++)
            if (strcmp(*a, nm) == 0)
                ok = 1;
        if (!ok) {
            char path[256], list[512];
            size_t used = 0;
            list[0] = '\0';
            for (const char *const *a = allowed; *a && used < sizeof list; a++) {
                int w = snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "", *a);
                if (w > 0)
                    used += (size_t)w;
            }
            cfgutil_path(c, path, sizeof path);
            return cfgutil_fail(e, c, "unknown setting %s (allowed here: %s)", path, list);
        }
    }
    return 0;
}

/* Looks up member name of g; fails if required and absent. */
static int member(cfg_err *e, const config_setting_t *g, const char *name, int required,
                  config_setting_t **out)
{
    *out = config_setting_get_member(g, name);
    if (!*out && required) {
        char path[256];
        cfgutil_path(g, path, sizeof path);
        return cfgutil_fail(e, g, "%s%s%s is required", path, *path ? "." : "", name);
    }
    return 0;
}

static int wrong_type(cfg_err *e, const config_setting_t *s, const char *want)
{
    char path[256];
    cfgutil_path(s, path, sizeof path);
    return cfgutil_fail(e, s, "%s must be %s (got %s)", path, want, type_name(config_setting_type(s)));
}

int cfgutil_float(cfg_err *e, const config_setting_t *g, const char *name, int required, double lo,
                  double hi, double *out)
{
    config_setting_t *s;
    if (member(e, g, name, required, &s))
        return -1;
    if (!s)
        return 0;
    double v;
    int t = config_setting_type(s);
    if (t == CONFIG_TYPE_FLOAT)
        v = config_setting_get_float(s);
    else if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64)
        v = (double)config_setting_get_int64(s);
    else
        return wrong_type(e, s, "a number");
    char path[256];
    cfgutil_path(s, path, sizeof path);
    if (!isfinite(v))
        return cfgutil_fail(e, s, "%s must be a finite number", path);
    if (v < lo || v > hi)
        return cfgutil_fail(e, s, "%s must be in [%g, %g] (got %g)", path, lo, hi, v);
    *out = v;
    return 0;
}

int cfgutil_int(cfg_err *e, const config_setting_t *g, const char *name, int required, long long lo,
                long long hi, long long *out)
{
    config_setting_t *s;
    if (member(e, g, name, required, &s))
        return -1;
    if (!s)
        return 0;
    long long v;
    int t = config_setting_type(s);
    char path[256];
    cfgutil_path(s, path, sizeof path);
    if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64) {
        v = config_setting_get_int64(s);
    } else if (t == CONFIG_TYPE_FLOAT) {
        double d = config_setting_get_float(s);
        if (!isfinite(d) || d != floor(d) || fabs(d) > 9e18)
            return cfgutil_fail(e, s, "%s must be a whole number (got %g)", path, d);
        v = (long long)d;
    } else {
        return wrong_type(e, s, "an integer");
    }
    if (v < lo || v > hi)
        return cfgutil_fail(e, s, "%s must be in [%lld, %lld] (got %lld)", path, lo, hi, v);
    *out = v;
    return 0;
}

int cfgutil_bool(cfg_err *e, const config_setting_t *g, const char *name, int required, int *out)
{
    config_setting_t *s;
    if (member(e, g, name, required, &s))
        return -1;
    if (!s)
        return 0;
    if (config_setting_type(s) != CONFIG_TYPE_BOOL)
        return wrong_type(e, s, "true or false");
    *out = config_setting_get_bool(s);
    return 0;
}

int cfgutil_string(cfg_err *e, const config_setting_t *g, const char *name, int required, size_t maxlen,
                   const char **out)
{
    config_setting_t *s;
    if (member(e, g, name, required, &s))
        return -1;
    if (!s)
        return 0;
    if (config_setting_type(s) != CONFIG_TYPE_STRING)
        return wrong_type(e, s, "a string");
    const char *v = config_setting_get_string(s);
    char path[256];
    cfgutil_path(s, path, sizeof path);
    if (!v || !*v)
        return cfgutil_fail(e, s, "%s must not be empty", path);
    if (strlen(v) > maxlen)
        return cfgutil_fail(e, s, "%s is longer than %zu characters", path, maxlen);
    *out = v;
    return 0;
}

int cfgutil_duration(cfg_err *e, const config_setting_t *g, const char *name, int required, double lo,
                     double hi, double *out)
{
    config_setting_t *s;
    if (member(e, g, name, required, &s))
        return -1;
    if (!s)
        return 0;
    char path[256];
    cfgutil_path(s, path, sizeof path);
    double v;
    int t = config_setting_type(s);
    if (t == CONFIG_TYPE_STRING) {
        char why[200];
        if (timeutil_parse_duration(config_setting_get_string(s), &v, why, sizeof why))
            return cfgutil_fail(e, s, "%s: %s", path, why);
    } else if (t == CONFIG_TYPE_FLOAT) {
        v = config_setting_get_float(s);
    } else if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64) {
        v = (double)config_setting_get_int64(s);
    } else {
        return wrong_type(e, s, "a duration such as \"1h\" or a number of seconds");
    }
    if (!isfinite(v) || v < lo || v > hi)
        return cfgutil_fail(e, s, "%s must be between %g s and %g s (got %g s)", path, lo, hi, v);
    *out = v;
    return 0;
}

int cfgutil_choice(cfg_err *e, const config_setting_t *g, const char *name, int required,
                   const char *const *choices, int *out)
{
    const char *v = NULL;
    if (cfgutil_string(e, g, name, required, 64, &v))
        return -1;
    if (!v)
        return 0;
    for (int i = 0; choices[i]; i++)
        if (strcmp(choices[i], v) == 0) {
            *out = i;
            return 0;
        }
    char path[256], list[400];
    cfgutil_join(choices, list, sizeof list);
    config_setting_t *s = config_setting_get_member(g, name);
    cfgutil_path(s, path, sizeof path);
    return cfgutil_fail(e, s, "%s: unknown value \"%s\" (choose one of %s)", path, v, list);
}

int cfgutil_group(cfg_err *e, const config_setting_t *g, const char *name, int required,
                  config_setting_t **out)
{
    if (member(e, g, name, required, out))
        return -1;
    if (*out && config_setting_type(*out) != CONFIG_TYPE_GROUP)
        return wrong_type(e, *out, "a group { ... }");
    return 0;
}

int cfgutil_list(cfg_err *e, const config_setting_t *g, const char *name, int required,
                 config_setting_t **out)
{
    if (member(e, g, name, required, out))
        return -1;
    if (!*out)
        return 0;
    if (config_setting_type(*out) != CONFIG_TYPE_LIST)
        return wrong_type(e, *out, "a list ( { ... }, ... )");
    int n = config_setting_length(*out);
    for (int i = 0; i < n; i++) {
        config_setting_t *c = config_setting_get_elem(*out, (unsigned)i);
        if (config_setting_type(c) != CONFIG_TYPE_GROUP)
            return wrong_type(e, c, "a group { ... }");
    }
    return 0;
}

/* --set: walk one path element from cur. */
static config_setting_t *step_into(config_setting_t *cur, const char *elem)
{
    int t = config_setting_type(cur);
    if (elem[0] == '[') {
        char *end;
        long k = strtol(elem + 1, &end, 10);
        if (end == elem + 1 || strcmp(end, "]") != 0 || k < 0)
            return NULL;
        if (t != CONFIG_TYPE_LIST && t != CONFIG_TYPE_ARRAY)
            return NULL;
        return config_setting_get_elem(cur, (unsigned)k);
    }
    if (t == CONFIG_TYPE_GROUP)
        return config_setting_get_member(cur, elem);
    if (t == CONFIG_TYPE_LIST) { /* element whose name = elem */
        int n = config_setting_length(cur);
        for (int i = 0; i < n; i++) {
            config_setting_t *c = config_setting_get_elem(cur, (unsigned)i);
            const char *nm;
            if (config_setting_type(c) == CONFIG_TYPE_GROUP && config_setting_lookup_string(c, "name", &nm) &&
                strcmp(nm, elem) == 0)
                return c;
        }
    }
    return NULL;
}

static int parse_ll(const char *v, long long *out)
{
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (end != v && !*end && !errno) {
        *out = x;
        return 0;
    }
    double d = strtod(v, &end); /* accept 1e6 for an integer */
    if (end != v && !*end && isfinite(d) && d == floor(d) && fabs(d) < 9e18) {
        *out = (long long)d;
        return 0;
    }
    return -1;
}

config_setting_t *cfgutil_lookup(const config_t *cfg, const char *path)
{
    char buf[512];
    if (strlen(path) >= sizeof buf)
        return NULL;
    strcpy(buf, path);
    config_setting_t *cur = config_root_setting(cfg);
    char *save = NULL;
    for (char *elem = strtok_r(buf, ".", &save); elem && cur; elem = strtok_r(NULL, ".", &save))
        cur = step_into(cur, elem);
    return cur;
}

int cfgutil_apply_set(cfg_err *e, config_t *cfg, const char *assignment)
{
    const char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment) {
        snprintf(e->msg, sizeof e->msg, "--set %s: expected path=value (e.g. sites.dc.pools.gpu.count=64)",
                 assignment);
        return -1;
    }
    char path[512];
    size_t plen = (size_t)(eq - assignment);
    if (plen >= sizeof path) {
        snprintf(e->msg, sizeof e->msg, "--set: path too long");
        return -1;
    }
    memcpy(path, assignment, plen);
    path[plen] = '\0';
    const char *value = eq + 1;
    config_setting_t *cur = config_root_setting(cfg);
    char *save = NULL, *elem = strtok_r(path, ".", &save);
    while (elem) {
        char *next = strtok_r(NULL, ".", &save);
        config_setting_t *child = step_into(cur, elem);
        if (!child && next && config_setting_type(cur) == CONFIG_TYPE_GROUP && elem[0] != '[') {
            /* a missing group on the way: create it (e.g. output.jobs without output) */
            child = config_setting_add(cur, elem, CONFIG_TYPE_GROUP);
            if (!child) {
                snprintf(e->msg, sizeof e->msg, "--set %s: cannot add \"%s\" (bad name?)", assignment, elem);
                return -1;
            }
        }
        if (!child) {
            if (next || config_setting_type(cur) != CONFIG_TYPE_GROUP || elem[0] == '[') {
                snprintf(e->msg, sizeof e->msg, "--set %s: no setting \"%s\" here", assignment, elem);
                return -1;
            }
            /* create the final member with the type its text suggests */
            long long ll;
            char *end;
            int type;
            if (!strcmp(value, "true") || !strcmp(value, "false"))
                type = CONFIG_TYPE_BOOL;
            else if (!parse_ll(value, &ll) && !strpbrk(value, ".eE"))
                type = CONFIG_TYPE_INT64;
            else if ((void)strtod(value, &end), end != value && !*end)
                type = CONFIG_TYPE_FLOAT;
            else
                type = CONFIG_TYPE_STRING;
            child = config_setting_add(cur, elem, type);
            if (!child) {
                snprintf(e->msg, sizeof e->msg, "--set %s: cannot add \"%s\" (bad name?)", assignment, elem);
                return -1;
            }
        }
        cur = child;
        elem = next;
    }
    int ok;
    long long ll;
    char *end;
    switch (config_setting_type(cur)) {
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64:
        if (parse_ll(value, &ll)) {
            snprintf(e->msg, sizeof e->msg, "--set %s: \"%s\" is not an integer", assignment, value);
            return -1;
        }
        /* libconfig refuses a 64-bit value in a 32-bit setting: widen it
         * (config_setting_t is a public struct in libconfig.h) */
        if (ll > 2147483647LL || ll < -2147483647LL)
            cur->type = CONFIG_TYPE_INT64;
        ok = config_setting_set_int64(cur, ll);
        break;
    case CONFIG_TYPE_FLOAT: {
        errno = 0;
        double d = strtod(value, &end);
        if (end == value || *end || errno) {
            snprintf(e->msg, sizeof e->msg, "--set %s: \"%s\" is not a number", assignment, value);
            return -1;
        }
        ok = config_setting_set_float(cur, d);
        break;
    }
    case CONFIG_TYPE_BOOL:
        if (strcmp(value, "true") && strcmp(value, "false")) {
            snprintf(e->msg, sizeof e->msg, "--set %s: expected true or false", assignment);
            return -1;
        }
        ok = config_setting_set_bool(cur, value[0] == 't');
        break;
    case CONFIG_TYPE_STRING:
        ok = config_setting_set_string(cur, value);
        break;
    default:
        snprintf(e->msg, sizeof e->msg, "--set %s: only a number, string or boolean can be set", assignment);
        return -1;
    }
    if (ok != CONFIG_TRUE) {
        snprintf(e->msg, sizeof e->msg, "--set %s: cannot set this value", assignment);
        return -1;
    }
    return 0;
}

int cfgutil_make_parent_dirs(const char *path, char *err, size_t errlen)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        snprintf(err, errlen, "%s: path too long", path);
        return -1;
    }
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
            snprintf(err, errlen, "cannot create folder %.1000s: %s", buf, strerror(errno));
            return -1;
        }
        *p = '/';
    }
    return 0;
}
