/* testutil.c - helpers shared by the unit tests (see testutil.h). */
#include "testutil.h"

#include <stdio.h>

#include "../sim/sim.h"
#include "check.h"

const char *test_write(const char *name, const char *text)
{
    static char path[4][512];
    static int k;
    char *p = path[k++ % 4];
    snprintf(p, 512, "%s/%s", check_tmpdir(), name);
    FILE *f = fopen(p, "w");
    if (!f)
        return NULL;
    fputs(text, f);
    fclose(f);
    return p;
}

int test_load(scenario *s, const char *name, const char *text, char *err, size_t errlen)
{
    const char *p = test_write(name, text);
    if (!p) {
        snprintf(err, errlen, "cannot write %s", name);
        return -1;
    }
    return scenario_load(s, p, NULL, 0, err, errlen);
}

int test_run(const scenario *s, memsink *ms)
{
    char err[1024];
    sim *m = sim_alloc(s, err, sizeof err);
    if (!m) {
        fprintf(stderr, "  sim_alloc: %s\n", err);
        return -1;
    }
    sink k = memsink_init(ms);
    int rc = sim_run(m, &k, NULL, err, sizeof err);
    if (rc)
        fprintf(stderr, "  sim_run: %s\n", err);
    sim_free(m);
    return rc;
}
