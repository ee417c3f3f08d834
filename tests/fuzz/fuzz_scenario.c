/* fuzz_scenario.c - libFuzzer harness of the scenario loader: libconfig text
 * -> scenario_load (syntax, @include, --set, validation) -> sim_alloc (which
 * reads the grid traces and checks their coverage) -> sim_free.
 *
 * Input: the text of a scenario file. Leading lines "#@set PATH=VALUE" (a
 * comment to libconfig) are also passed as --set overrides, so the override
 * parser is fuzzed with the file. The file is written into a scratch folder
 * that holds hardware.cfg and models.cfg (from the data folder) and traces/
 * (the CSV files of tests/bad/traces, and ci.csv, a January 2026 of hours), so the seeds'
 * @include and trace settings resolve. Inputs that name a device or kernel
 * file ("dev/", "proc/", "sys/") are skipped: reading /dev/zero as a trace
 * or an @include never ends, by the user's own request.
 *
 * Checks beyond "no crash, no sanitizer report": a failure leaves a message
 * and an empty scenario; a success gives a scenario whose counts, indices and
 * times are inside the limits of sim/scenario.h, and sim_alloc either
 * succeeds or fails with a message.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../sim/scenario.h"
#include "../../sim/sim.h"
#include "fuzzutil.h"

#ifndef DCSIM_DATADIR
#define DCSIM_DATADIR "scenarios"
#endif

#define MAX_SETS 8

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    static const char *const bad_traces[] = {"gap.csv", "short.csv", "dup.csv", "unsorted.csv", "nan.csv",
                                             "kg.csv", NULL};
    fuzz_copy(DCSIM_DATADIR "/hardware.cfg", "hardware.cfg");
    fuzz_copy(DCSIM_DATADIR "/models.cfg", "models.cfg");
    for (int i = 0; bad_traces[i]; i++) {
        char src[512], dst[64];
        snprintf(src, sizeof src, "%s/../tests/bad/traces/%s", DCSIM_DATADIR, bad_traces[i]);
        snprintf(dst, sizeof dst, "traces/%s", bad_traces[i]);
        fuzz_copy(src, dst);
    }
    /* ci.csv: 31 days of hours from 2026-01-01, 300 + the hour of the day */
    static char text[40 * 745];
    size_t n = (size_t)snprintf(text, sizeof text, "timestamp,gco2_per_kwh\n");
    for (int d = 1; d <= 31; d++)
        for (int h = 0; h < 24; h++)
            n += (size_t)snprintf(text + n, sizeof text - n, "2026-01-%02dT%02d:00:00Z,%d\n", d, h, 300 + h);
    fuzz_write(1, "traces/ci.csv", text, n);
    return 0;
}

/* Checks what a loaded scenario promises (sim/scenario.h). */
static void check_scenario(const scenario *s)
{
    FUZZ_CHECK(s->nsites >= 1 && s->npools >= 1 && s->nworkloads >= 1, "at least one site, pool and workload");
    FUZZ_CHECK(s->step_s >= 1 && s->step_s <= 3600 && fmod(3600.0, s->step_s) == 0, "the step divides 1 h");
    FUZZ_CHECK(s->start_epoch % (int64_t)s->step_s == 0, "the start is on a step");
    FUZZ_CHECK(isfinite(s->duration_s) && s->duration_s > 0 && s->duration_s <= SCN_MAX_DURATION_S,
               "the duration is positive and bounded");
    FUZZ_CHECK(s->drain || s->duration_s / s->step_s <= SCN_MAX_STEPS, "the steps are bounded");
    FUZZ_CHECK(s->config_text != NULL && s->output_file != NULL && s->path != NULL, "the owned strings are set");
    int pools = 0;
    for (int i = 0; i < s->nsites; i++) {
        const scn_site *st = &s->sites[i];
        FUZZ_CHECK(st->first_pool == pools && st->npools >= 1, "a site's pools follow the previous site's");
        pools += st->npools;
        FUZZ_CHECK(st->trace.path != NULL || (st->intensity_g_per_kwh >= 0 && st->intensity_g_per_kwh <= 2000),
                   "a site has a trace or a constant intensity in [0, 2000]");
    }
    FUZZ_CHECK(pools == s->npools, "every pool belongs to one site");
    for (int i = 0; i < s->npools; i++) {
        const scn_pool *p = &s->pools[i];
        FUZZ_CHECK(p->site >= 0 && p->site < s->nsites && p->type >= 0 && p->type < s->cat.ntypes,
                   "a pool's site and node type exist");
        FUZZ_CHECK(p->count >= 1 && p->count <= SCN_MAX_NODES_PER_POOL && p->on >= 0 && p->on <= p->count,
                   "a pool's counts are inside the limits");
        FUZZ_CHECK(isfinite(p->price_usd_per_h) && p->price_usd_per_h >= 0, "a pool's price is finite");
    }
    for (int i = 0; i < s->nworkloads; i++) {
        const scn_workload *w = &s->workloads[i];
        FUZZ_CHECK(w->kind >= 0 && w->kind < WL_KIND_COUNT, "a workload's kind exists");
        FUZZ_CHECK(w->pool >= -1 && w->pool < s->npools && w->node_type >= 0 && w->node_type < s->cat.ntypes,
                   "a workload's target exists");
        if (w->kind != WL_GENERIC) /* a generic workload has no model */
            FUZZ_CHECK(w->model >= -1 && w->model < s->cat.nmodels, "a workload's model exists");
        FUZZ_CHECK(w->nodes >= 1 && w->utilization >= 0 && w->utilization <= 1, "nodes >= 1, utilization in [0, 1]");
        FUZZ_CHECK(w->count == -1 || (w->count >= 1 && w->count <= SCN_MAX_JOBS), "arrivals are bounded");
        FUZZ_CHECK(isfinite(w->first_s) && w->first_s >= 0, "the first arrival is at or after the start");
        if (w->arrival == ARR_POISSON)
            FUZZ_CHECK(isfinite(w->rate_per_s) && w->rate_per_s > 0, "a Poisson rate is positive and finite");
        if (w->arrival == ARR_EVERY)
            FUZZ_CHECK(isfinite(w->every_s) && w->every_s > 0, "an interval is positive and finite");
        if (w->kind == WL_INFERENCE)
            FUZZ_CHECK(w->max_nodes >= 1 && w->tokens_per_s_per_node > 0, "a batch has nodes and throughput");
        else
            FUZZ_CHECK(isfinite(w->service_mean_s) && w->service_mean_s > 0, "a job lasts a positive, finite time");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (fuzz_contains(data, size, "dev/") || fuzz_contains(data, size, "proc/") ||
        fuzz_contains(data, size, "sys/"))
        return 0;
    /* leading "#@set PATH=VALUE" lines are overrides */
    char *sets[MAX_SETS];
    int nsets = 0;
    size_t at = 0;
    while (nsets < MAX_SETS && size - at > 6 && memcmp(data + at, "#@set ", 6) == 0) {
        const uint8_t *nl = memchr(data + at, '\n', size - at);
        size_t end = nl ? (size_t)(nl - data) : size;
        size_t len = end - at - 6;
        sets[nsets] = malloc(len + 1);
        if (!sets[nsets])
            break;
        memcpy(sets[nsets], data + at + 6, len);
        sets[nsets][len] = '\0';
        nsets++;
        at = nl ? end + 1 : size;
    }
    const char *path = fuzz_write(0, "in.cfg", data, size);
    scenario s;
    char err[1200];
    memset(err, 'x', sizeof err);
    if (scenario_load(&s, path, (const char *const *)sets, nsets, err, sizeof err) != 0) {
        fuzz_check_message(err, sizeof err);
        FUZZ_CHECK(s.sites == NULL && s.pools == NULL && s.workloads == NULL && s.path == NULL,
                   "a failed load leaves the scenario empty");
    } else {
        check_scenario(&s);
        memset(err, 'x', sizeof err);
        sim *m = sim_alloc(&s, err, sizeof err);
        if (!m)
            fuzz_check_message(err, sizeof err);
        sim_free(m);
        scenario_free(&s);
    }
    for (int i = 0; i < nsets; i++)
        free(sets[i]);
    return 0;
}
