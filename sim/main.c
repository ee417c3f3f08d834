/* main.c - the dcsim command line: run, validate, catalog, report, compare, plot, export, calibrate.
 *
 * The only place where an error becomes a message and an exit status:
 * 0 success, 1 a run or I/O failure, 2 a usage or scenario error,
 * 130 interrupted (SIGINT/SIGTERM).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "../analysis/calibrate.h"
#include "../analysis/compare.h"
#include "../analysis/metrics.h"
#include "../analysis/report.h"
#include "../analysis/sweepreport.h"
#include "../grid/timeutil.h"
#include "../output/h5sink.h"
#include "perf.h"
#include "projection.h"
#include "scenario.h"
#include "sim.h"
#include "sweepcli.h"

#ifndef DCSIM_DATADIR
#define DCSIM_DATADIR "scenarios"
#endif

static const char *const usage_main =
    "usage: dcsim COMMAND [ARGS]\n"
    "\n"
    "Simulates the energy, carbon, water and cost of AI work in datacenters.\n"
    "\n"
    "commands:\n"
    "  run SCENARIO.cfg [options]   simulate a scenario and write an HDF5 result file\n"
    "  validate SCENARIO.cfg [...]  check a scenario (and its traces) without running it\n"
    "  catalog [FILE.cfg ...]       list node types and models with their key figures\n"
    "  report RESULT.h5 [--format F]  print the summary of a result file\n"
    "  compare A.h5 B.h5 [...]      the headline metrics side by side, differences vs A\n"
    "  plot RESULT.h5 [...] [-o DIR]  figures (PNG and SVG) of one or more result files\n"
    "  export RESULT.h5 DATASET     print one dataset as CSV (index,value)\n"
    "  calibrate FILE... [options]  fit a node power curve to nvidia-smi / neuron-monitor logs\n"
    "  sweep SWEEP.cfg [options]    run variants x replications, write one sweep file\n"
    "                               (report, compare and plot read sweep files too)\n"
    "\n"
    "  dcsim COMMAND --help   help on one command\n"
    "  dcsim --version        print the version\n"
    "\n"
    "exit status: 0 ok, 1 run or I/O error, 2 usage or scenario error, 130 interrupted\n";

static const char *const usage_run =
    "usage: dcsim run SCENARIO.cfg [-o OUT.h5] [--seed N] [--set PATH=VALUE ...]\n"
    "                 [--summary text|kv|none] [--quiet]\n"
    "\n"
    "Simulates SCENARIO.cfg and writes the result file (default: output.file of the\n"
    "scenario, else results/<name>.h5). The file is written under a temporary name\n"
    "and renamed when complete: a failed or interrupted run leaves no result and\n"
    "never harms an earlier file of the same name.\n"
    "\n"
    "  -o, --output OUT.h5    result file\n"
    "  --seed N               override the scenario's seed\n"
    "  --set PATH=VALUE       override any scalar setting; PATH elements are member\n"
    "                         names, [N] list indices, or the name of a list element:\n"
    "                           --set sites.us-east.pools.gpu.count=64\n"
    "                           --set sites.[0].pools.[1].count=64\n"
    "                           --set workloads.chat.rate.mean_per_s=120\n"
    "                           --set output.jobs=false\n"
    "  --summary FORMAT       after the run print the summary as text (default), kv\n"
    "                         (one line of key=value) or none\n"
    "  --quiet                no progress display\n"
    "\n"
    "On a terminal a run longer than a second shows progress on stderr.\n";

static const char *const usage_validate =
    "usage: dcsim validate SCENARIO.cfg [--seed N] [--set PATH=VALUE ...]\n"
    "\n"
    "Loads and checks the scenario and the files it names (grid traces) exactly as\n"
    "`run` would, prints a one-paragraph description, and exits 0; on the first\n"
    "error prints file:line: what is wrong, and exits 2.\n";

static const char *const usage_catalog =
    "usage: dcsim catalog [FILE.cfg ...]\n"
    "\n"
    "Lists the node types and models of the catalog files (default: hardware.cfg\n"
    "and models.cfg in the data folder, $DCSIM_DATA or " DCSIM_DATADIR ").\n";

static const char *const usage_report =
    "usage: dcsim report RESULT.h5 [--format text|markdown|csv|json|kv]\n"
    "\n"
    "Prints the summary stored in a result file (reads the HDF5 file only): the\n"
    "headline metrics (energy, PUE, emissions, embodied, water, WUE, cost, jobs,\n"
    "waits), then tables of sites, pools, workloads, groups of workloads and the yearly projection.\n"
    "A metric the file lacks shows as n/a (text, markdown), empty (csv) or null\n"
    "(json), never as 0. docs/ANALYSIS.md describes each format.\n"
    "\n"
    "  --format text      aligned text for people (default)\n"
    "  --format markdown  Markdown tables, for pasting\n"
    "  --format csv       one tidy table: table,row,column,value,units\n"
    "  --format json      one JSON object, exact numbers\n"
    "  --format kv        one line of key=value pairs\n"
    "\n"
    "A sweep file (dcsim sweep): its variants, each headline metric's mean, sd and\n"
    "95% interval per variant, and the paired difference against the reference\n"
    "variant (--format text), or every metric as key=value lines (--format kv).\n";

static const char *const usage_compare =
    "usage: dcsim compare A.h5 B.h5 [C.h5 ...] [--format text|markdown|csv|json] [--plot DIR]\n"
    "\n"
    "Prints the headline metrics of 2 to 26 result files side by side; after each\n"
    "file but the first, its difference and percent difference against the first\n"
    "(A). A metric a file lacks shows as n/a (empty in csv, null in json). Every\n"
    "file is checked first: one of another major layout_version is refused.\n"
    "\n"
    "  --format F   text (default), markdown, csv or json\n"
    "  --plot DIR   also draw bars of the headline metrics per file into DIR\n"
    "               (compare.png, compare.svg; see dcsim plot --help)\n"
    "\n"
    "Sweep files (dcsim sweep) compare with sweep files only: for every variant in\n"
    "both (by name), the mean of each headline metric in A and the other file, and\n"
    "the difference (text).\n";

static const char *const usage_plot =
    "usage: dcsim plot RESULT.h5 [MORE.h5 ...] [-o DIR]\n"
    "\n"
    "Draws the figures of each result file into DIR (default: plots), as PNG and\n"
    "SVG, named <file stem>-<figure>: power and carbon intensity over time per\n"
    "site, hour-of-day x day-of-year heat maps of intensity and load, emissions by\n"
    "site and pool, PUE against outdoor temperature, queue length and\n"
    "utilisation, and the yearly projection when the file has one. With two or\n"
    "more files it also draws compare.png: the headline metrics per file.\n"
    "\n"
    "The figures are drawn by the Python script analysis/plot.py (matplotlib,\n"
    "h5py, numpy: apt-get install python3-matplotlib python3-h5py python3-numpy).\n"
    "  DCSIM_PLOT_SCRIPT  the script to run (default " DCSIM_DATADIR "/../analysis/plot.py)\n"
    "  DCSIM_PYTHON       the interpreter (default /usr/bin/python3 if present, else\n"
    "                     python3 on PATH)\n"
    "\n"
    "A sweep file (dcsim sweep) draws a metric against a varied setting with 95%\n"
    "confidence bars (analysis/plot_sweep.py):\n"
    "  dcsim plot SWEEP.h5 [--metric NAME] [--x PATH] [--paired] [-o OUT.png] [--list]\n";

static const char *const usage_export =
    "usage: dcsim export RESULT.h5 DATASET\n"
    "\n"
    "Prints one 1-D dataset of a result file as CSV lines \"index,value\", e.g.\n"
    "  dcsim export results/baseline.h5 /sites/us-east/energy_kwh\n";

static int wants_help(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
            return 1;
    return 0;
}

static volatile sig_atomic_t stop_flag;
static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

typedef struct progress {
    int enabled;
    double wall0;
    int shown;
    int64_t start_epoch;
} progress;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void show_progress(void *ctx, double t_s, double frac, uint64_t events)
{
    progress *p = ctx;
    double el = now_s() - p->wall0;
    if (!p->enabled || el < 1.0)
        return;
    char date[32];
    timeutil_format_iso(p->start_epoch + (int64_t)t_s, date, sizeof date);
    date[16] = '\0';
    if (isnan(frac))
        fprintf(stderr, "\r  %s  %.3g M events/s   ", date, (double)events / el / 1e6);
    else
        fprintf(stderr, "\r  %s  %5.1f%%  %.3g M events/s   ", date, 100.0 * frac, (double)events / el / 1e6);
    p->shown = 1;
}

/* Options shared by run and validate. */
typedef struct run_args {
    const char *scenario, *output, *summary;
    const char **sets;
    int nsets;
    int quiet;
    const char *seed;
} run_args;

static int parse_run_args(int argc, char **argv, run_args *a, const char *usage)
{
    memset(a, 0, sizeof *a);
    a->summary = "text";
    a->sets = calloc((size_t)argc + 1, sizeof *a->sets);
    if (!a->sets) {
        fprintf(stderr, "dcsim: out of memory\n");
        return -1;
    }
    for (int i = 0; i < argc; i++) {
        const char *o = argv[i];
        int more = i + 1 < argc;
        if ((!strcmp(o, "-o") || !strcmp(o, "--output")) && more)
            a->output = argv[++i];
        else if (!strcmp(o, "--seed") && more)
            a->seed = argv[++i];
        else if (!strcmp(o, "--set") && more)
            a->sets[a->nsets++] = argv[++i];
        else if (!strncmp(o, "--set=", 6))
            a->sets[a->nsets++] = o + 6;
        else if (!strcmp(o, "--summary") && more)
            a->summary = argv[++i];
        else if (!strcmp(o, "--quiet") || !strcmp(o, "-q"))
            a->quiet = 1;
        else if (o[0] == '-' && o[1]) {
            fprintf(stderr, "dcsim: unknown option or missing value: %s\n\n%s", o, usage);
            return -1;
        } else if (!a->scenario)
            a->scenario = o;
        else {
            fprintf(stderr, "dcsim: unexpected argument: %s\n\n%s", o, usage);
            return -1;
        }
    }
    if (!a->scenario) {
        fprintf(stderr, "dcsim: missing SCENARIO.cfg\n\n%s", usage);
        return -1;
    }
    if (strcmp(a->summary, "text") && strcmp(a->summary, "kv") && strcmp(a->summary, "none")) {
        fprintf(stderr, "dcsim: --summary must be text, kv or none\n");
        return -1;
    }
    if (a->seed) {
        char *end;
        errno = 0;
        unsigned long long v = strtoull(a->seed, &end, 10);
        if (end == a->seed || *end || errno || a->seed[0] == '-' || v > 9223372036854775807ULL) {
            fprintf(stderr, "dcsim: --seed must be a whole number in [0, 2^63)\n");
            return -1;
        }
        static char buf[64];
        snprintf(buf, sizeof buf, "seed=%llu", v);
        a->sets[a->nsets++] = buf;
    }
    return 0;
}

static int load(const run_args *a, scenario *s)
{
    char err[1200];
    if (scenario_load(s, a->scenario, a->sets, a->nsets, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    return 0;
}

/* One paragraph per workload: what it asks for and the arithmetic behind it
 * (the FLOP model of a training job, the roofline of an inference service). */
static void describe_workload(const scenario *s, const scn_workload *w)
{
    const node_type *t = &s->cat.types[w->node_type];
    printf("  workload %s (%s, group %s) on %s\n", w->name, scn_kind_names[w->kind], w->group, t->name);
    if (w->kind == WL_TRAINING) {
        if (w->flops > 0)
            printf("    %s: %.4g FLOP per job on %lld node(s) at %g TFLOPS %s each, MFU %g -> %.4g h per job\n",
                   w->flops_given ? "FLOPs as given" : perf_method_names[w->method], w->flops, w->nodes,
                   catalog_node_peak_flops(t, w->precision) / 1e12, catalog_precision_names[w->precision], w->mfu,
                   w->service_mean_s / 3600.0);
        else
            printf("    stated by accelerator-hours: %lld node(s) for %.4g h per job\n", w->nodes,
                   w->service_mean_s / 3600.0);
        if (w->node_power_w > 0)
            printf("    measured power %g W per node while running (replaces the power curve)\n", w->node_power_w);
        return;
    }
    if (w->kind == WL_AGGREGATE) {
        printf("    aggregate demand: %.6g MW of IT on average (%.6g TWh a year), daily amplitude %g; %g kW per node "
               "at full load\n",
               w->rate_mean_per_s / 1e6, w->rate_mean_per_s * 8766.0 / 1e12, w->diurnal_amplitude, t->max_w / 1e3);
        return;
    }
    if (w->kind != WL_INFERENCE)
        return;
    printf("    %g requests/s on average, %g tokens per request", w->rate_mean_per_s, w->tokens_per_request);
    if (w->retrieved_tokens > 0)
        printf(" (incl. %g retrieved by RAG)", w->retrieved_tokens);
    printf("\n");
    if (w->tput_source == TPUT_GIVEN) {
        printf("    throughput given: %g tokens/s per node -> %.4g node-s per request\n", w->tokens_per_s_per_node,
               w->node_s_per_request);
        return;
    }
    if (w->tput_source == TPUT_MEASURED) {
        printf("    measured throughput (catalog): %g tokens/s per node of %s -> %.4g node-s per request\n",
               w->tokens_per_s_per_node, s->cat.models[w->served_model].name, w->node_s_per_request);
        return;
    }
    const perf_infer_in *in = &w->roof_in;
    const perf_infer_out *o = &w->roof;
    printf("    roofline of %s at %s (%g bytes/weight, sparsity %g, compile factor %g):\n", in->model->name,
           catalog_precision_names[in->precision], in->weight_bytes, in->sparsity, in->compile_factor);
    printf("      weights %.3g GB of %.3g GB usable; KV cache %.3g GB per sequence; batch %lld (memory allows %lld)\n",
           o->weights_gb, o->mem_gb, o->kv_gb_per_seq, o->batch, o->batch_memory);
    printf("      prefill %.4g s; decode step %.4g s (%s-bound); %.4g node-s per request; %.4g tokens/s per node; "
           "u = %.3f\n",
           o->prefill_s, o->step_s, o->decode_memory_bound ? "memory" : "compute", o->node_s_per_request,
           o->tokens_per_s, o->u);
}

/* Every year of a projection must load (the trends' values may break a
 * setting's range): 0, or -1 after printing the located error. */
static int check_years(const run_args *a, const scenario *s)
{
    char err[1200];
    for (int y = 0; y < s->proj.nyears; y++) {
        scenario ys;
        if (proj_load_year(s, (const char *const *)a->sets, a->nsets, y, &ys, err, sizeof err)) {
            fprintf(stderr, "%s\n", err);
            return -1;
        }
        scenario_free(&ys);
    }
    return 0;
}

static int cmd_validate(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        fputs(usage_validate, stdout);
        return 0;
    }
    run_args a;
    if (parse_run_args(argc, argv, &a, usage_validate)) {
        free(a.sets);
        return 2;
    }
    scenario s;
    char err[1200];
    int rc = 2;
    if (load(&a, &s))
        goto done;
    sim *m = sim_alloc(&s, err, sizeof err);
    if (!m) {
        fprintf(stderr, "%s\n", err);
        scenario_free(&s);
        goto done;
    }
    if (sim_notice(m)[0])
        fprintf(stderr, "dcsim: notice: %s\n", sim_notice(m));
    if (check_years(&a, &s)) {
        sim_free(m);
        scenario_free(&s);
        goto done;
    }
    long long nodes = 0;
    for (int i = 0; i < s.npools; i++)
        nodes += s.pools[i].count;
    printf("%s: ok: scenario \"%s\", %d site(s), %d pool(s), %lld nodes, %d workload(s), ", a.scenario, s.name,
           s.nsites, s.npools, nodes, s.nworkloads);
    if (s.drain)
        printf("from %s until every job has finished, step %g s\n", s.start_iso, s.step_s);
    else
        printf("%g days from %s, step %g s\n", s.duration_s / 86400.0, s.start_iso, s.step_s);
    if (s.proj.nyears > 0) {
        printf("  projection: %d years, %d to %d, %d trend(s):", s.proj.nyears, s.proj.first_year,
               s.proj.first_year + s.proj.nyears - 1, s.proj.ntrends);
        for (int k = 0; k < s.proj.ntrends; k++) {
            char first[600], last[600];
            scenario_trend_set(&s, k, 0, first, sizeof first);
            scenario_trend_set(&s, k, s.proj.nyears - 1, last, sizeof last);
            printf("%s %s -> %s", k ? ";" : "", first, strchr(last, '=') + 1);
        }
        printf("\n");
    }
    for (int i = 0; i < s.nworkloads; i++) {
        const scn_workload *w = &s.workloads[i];
        long long cap = 0;
        for (int k = 0; k < s.npools; k++)
            if ((w->pool == k || (w->pool < 0 && s.pools[k].type == w->node_type)) && s.pools[k].on > cap)
                cap = s.pools[k].on;
        if (w->kind != WL_INFERENCE && w->kind != WL_AGGREGATE && w->nodes > cap)
            fprintf(stderr, "%s: warning: workload %s asks for %lld nodes but its largest pool has %lld on: "
                            "its jobs will be rejected\n", a.scenario, w->name, w->nodes, cap);
        describe_workload(&s, w);
    }
    sim_free(m);
    scenario_free(&s);
    rc = 0;
done:
    free(a.sets);
    return rc;
}

static void show_year(void *ctx, int year, int index, int nyears)
{
    (void)ctx;
    fprintf(stderr, "dcsim: projection year %d (%d of %d)\n", year, index + 1, nyears);
}

static int cmd_run(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        fputs(usage_run, stdout);
        return 0;
    }
    run_args a;
    if (parse_run_args(argc, argv, &a, usage_run)) {
        free(a.sets);
        return 2;
    }
    scenario s;
    char err[1200];
    if (load(&a, &s)) {
        free(a.sets);
        return 2;
    }
    int rc = 1;
    const char *out_path = a.output ? a.output : s.output_file;
    sim *m = sim_alloc(&s, err, sizeof err);
    sink *snk = NULL;
    if (!m) {
        fprintf(stderr, "%s\n", err);
        rc = 2;
        goto done;
    }
    if (sim_notice(m)[0])
        fprintf(stderr, "dcsim: notice: %s\n", sim_notice(m));
    if (check_years(&a, &s)) {
        rc = 2;
        goto done;
    }
    if (cfgutil_make_parent_dirs(out_path, err, sizeof err)) {
        fprintf(stderr, "dcsim: %s\n", err);
        goto done;
    }
    snk = h5sink_alloc(out_path, NULL);
    if (!snk) {
        fprintf(stderr, "dcsim: out of memory\n");
        goto done;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    progress pr = {.enabled = !a.quiet && isatty(2), .wall0 = now_s(), .start_epoch = s.start_epoch};
    sim_options opt = {.stop = &stop_flag, .progress = show_progress, .progress_ctx = &pr};
    int r = s.proj.nyears > 0
                ? proj_run(&s, (const char *const *)a.sets, a.nsets, snk, &opt, a.quiet || !isatty(2) ? NULL : show_year, NULL, err,
                           sizeof err)
                : sim_run(m, snk, &opt, err, sizeof err);
    if (pr.shown)
        fprintf(stderr, "\r%60s\r", "");
    if (r == 1) {
        fprintf(stderr, "dcsim: %s; no result written (%s untouched)\n", err, out_path);
        rc = 130;
        goto done;
    }
    if (r != 0) {
        fprintf(stderr, "dcsim: %s\n", err);
        goto done;
    }
    for (int i = 0; i < s.nworkloads; i++)
        if (sim_rejected(m, i))
            fprintf(stderr, "dcsim: warning: workload %s: %lld job(s) rejected: no pool of its target has enough "
                            "nodes on\n", s.workloads[i].name, sim_rejected(m, i));
    if (strcmp(a.summary, "none")) {
        if (report_print(out_path, a.summary, stdout, err, sizeof err)) {
            fprintf(stderr, "dcsim: %s (the result is complete; its summary could not be printed)\n", err);
            goto done;
        }
        if (!strcmp(a.summary, "text"))
            printf("result: %s\n", out_path);
    }
    rc = 0;
done:
    h5sink_free(snk);
    sim_free(m);
    scenario_free(&s);
    free(a.sets);
    return rc;
}

static void print_catalog(const catalog *c)
{
    if (c->ntypes) {
        printf("%-20s %-16s %4s %9s %9s %8s %8s %8s %10s %8s\n", "node type", "accelerator", "n", "bf16 TF",
               "mem GB", "idle W", "max W", "$/h", "kgCO2e", "cooling");
        for (int i = 0; i < c->ntypes; i++) {
            const node_type *t = &c->types[i];
            printf("%-20s %-16s %4d %9.1f %9.1f %8.0f %8.0f %8.2f %10.0f %8s\n", t->name, t->accelerator,
                   t->accelerators, t->peak_tflops[PREC_BF16], t->mem_gb, t->idle_w, t->max_w, t->price_usd_per_h,
                   t->embodied_kgco2e, t->liquid_cooled ? "liquid" : "air");
        }
        printf("(bf16 TF: dense peak per device, or per node when n = 0; mem GB per device)\n");
    }
    if (c->nmodels) {
        if (c->ntypes)
            printf("\n");
        printf("%-20s %10s %10s %7s %7s %6s %9s\n", "model", "params B", "active B", "layers", "hidden", "heads",
               "context");
        for (int i = 0; i < c->nmodels; i++) {
            const model_spec *mdl = &c->models[i];
            printf("%-20s %10.2f %10.2f %7d %7d %6d %9d\n", mdl->name, mdl->params_b, mdl->active_params_b,
                   mdl->layers, mdl->hidden, mdl->heads, mdl->context);
        }
    }
}

static int cmd_catalog(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        fputs(usage_catalog, stdout);
        return 0;
    }
    const char *dir = getenv("DCSIM_DATA");
    if (!dir || !*dir)
        dir = DCSIM_DATADIR;
    char def[2][4096];
    const char *files[2];
    int nfiles = argc;
    if (argc == 0) {
        snprintf(def[0], sizeof def[0], "%s/hardware.cfg", dir);
        snprintf(def[1], sizeof def[1], "%s/models.cfg", dir);
        files[0] = def[0];
        files[1] = def[1];
        nfiles = 2;
    }
    for (int i = 0; i < nfiles; i++) {
        const char *f = argc ? argv[i] : files[i];
        catalog c;
        char err[1200];
        if (scenario_load_catalog(&c, f, err, sizeof err)) {
            fprintf(stderr, "%s\n", err);
            return 2;
        }
        if (i)
            printf("\n");
        print_catalog(&c);
        catalog_free(&c);
    }
    return 0;
}

/* Checks every result file (readable, a run result of this layout), then
 * runs the plotting script on them with output folder dir (and --compare
 * for the bars of several files). Returns the exit status: 0, 1 (a file
 * cannot be read, no interpreter, the script failed). */
static int run_plot(int n, const char **paths, const char *dir, int compare)
{
    char err[1200];
    for (int i = 0; i < n; i++) {
        metrics_file mf;
        int r = metrics_read(paths[i], &mf, err, sizeof err);
        if (r == 1)
            snprintf(err, sizeof err, "%s: a result of kind \"%s\": plot draws run results", paths[i], mf.kind);
        metrics_free(&mf);
        if (r != 0) {
            fprintf(stderr, "dcsim: %s\n", err);
            return 1;
        }
    }
    const char *script = getenv("DCSIM_PLOT_SCRIPT");
    if (!script || !*script)
        script = DCSIM_DATADIR "/../analysis/plot.py";
    if (access(script, R_OK) != 0) {
        fprintf(stderr, "dcsim: cannot read the plotting script %s: %s (set DCSIM_PLOT_SCRIPT)\n", script,
                strerror(errno));
        return 1;
    }
    const char *py = getenv("DCSIM_PYTHON");
    if (!py || !*py)
        py = access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
    char **args = calloc((size_t)n + 7, sizeof *args);
    if (!args) {
        fprintf(stderr, "dcsim: out of memory\n");
        return 1;
    }
    int k = 0;
    args[k++] = (char *)py;
    args[k++] = (char *)script;
    args[k++] = "-o";
    args[k++] = (char *)dir;
    if (compare)
        args[k++] = "--compare";
    for (int i = 0; i < n; i++)
        args[k++] = (char *)paths[i];
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "dcsim: cannot start %s: %s\n", py, strerror(errno));
        free(args);
        return 1;
    }
    if (pid == 0) {
        execvp(py, args);
        fprintf(stderr, "dcsim: cannot run %s: %s (install python3 with apt-get install python3 "
                        "python3-matplotlib python3-h5py python3-numpy, or set DCSIM_PYTHON)\n",
                py, strerror(errno));
        _exit(127);
    }
    free(args);
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) {
            fprintf(stderr, "dcsim: cannot wait for %s: %s\n", py, strerror(errno));
            return 1;
        }
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
        return 0;
    if (WIFEXITED(st) && WEXITSTATUS(st) != 127)
        fprintf(stderr, "dcsim: plotting failed (%s exited with %d)\n", script, WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        fprintf(stderr, "dcsim: plotting failed (%s killed by signal %d)\n", script, WTERMSIG(st));
    return 1;
}

static int cmd_report(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        fputs(usage_report, stdout);
        return 0;
    }
    const char *path = NULL, *format = "text";
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--format") && i + 1 < argc)
            format = argv[++i];
        else if (argv[i][0] == '-' || path) {
            fprintf(stderr, "dcsim: unexpected argument: %s\n\n%s", argv[i], usage_report);
            return 2;
        } else
            path = argv[i];
    }
    if (!path) {
        fputs(usage_report, stderr);
        return 2;
    }
    if (strcmp(format, "text") && strcmp(format, "markdown") && strcmp(format, "md") &&
        strcmp(format, "csv") && strcmp(format, "json") && strcmp(format, "kv")) {
        fprintf(stderr, "dcsim: unknown report format \"%s\" (text, markdown, csv, json or kv)\n", format);
        return 2;
    }
    char err[1200];
    if (sweepreport_is_sweep(path)) {
        if (strcmp(format, "text") && strcmp(format, "kv")) {
            fprintf(stderr, "dcsim: %s is a sweep file: --format text or kv\n", path);
            return 2;
        }
        if (sweepreport_print(path, format, stdout, err, sizeof err)) {
            fprintf(stderr, "dcsim: %s\n", err);
            return 1;
        }
        return 0;
    }
    if (report_print(path, format, stdout, err, sizeof err)) {
        fprintf(stderr, "dcsim: %s\n", err);
        return 1;
    }
    return 0;
}

static int cmd_export(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        fputs(usage_export, stdout);
        return 0;
    }
    if (argc != 2) {
        fputs(usage_export, stderr);
        return 2;
    }
    char err[1200];
    if (report_export_csv(argv[0], argv[1], stdout, err, sizeof err)) {
        fprintf(stderr, "dcsim: %s\n", err);
        return 1;
    }
    return 0;
}

static int cmd_compare(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        fputs(usage_compare, stdout);
        return 0;
    }
    const char *format = "text", *plot_dir = NULL;
    const char **paths = calloc((size_t)argc + 1, sizeof *paths);
    int n = 0;
    if (!paths) {
        fprintf(stderr, "dcsim: out of memory\n");
        return 1;
    }
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--format") && i + 1 < argc)
            format = argv[++i];
        else if (!strcmp(argv[i], "--plot") && i + 1 < argc)
            plot_dir = argv[++i];
        else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "dcsim: unexpected argument: %s\n\n%s", argv[i], usage_compare);
            free(paths);
            return 2;
        } else
            paths[n++] = argv[i];
    }
    if (n < 2 || n > COMPARE_MAX_FILES) {
        fprintf(stderr, "dcsim: compare needs 2 to %d result files (got %d)\n\n%s", COMPARE_MAX_FILES, n,
                usage_compare);
        free(paths);
        return 2;
    }
    if (strcmp(format, "text") && strcmp(format, "markdown") && strcmp(format, "md") && strcmp(format, "csv") &&
        strcmp(format, "json")) {
        fprintf(stderr, "dcsim: unknown compare format \"%s\" (text, markdown, csv or json)\n", format);
        free(paths);
        return 2;
    }
    char err[1200];
    int rc = 0, sweeps = 0;
    for (int i = 0; i < n; i++)
        sweeps += sweepreport_is_sweep(paths[i]);
    if (sweeps) { /* sweep files: variant by variant, A against each other file */
        if (sweeps != n || plot_dir || strcmp(format, "text")) {
            fprintf(stderr, "dcsim: %s\n", sweeps != n ? "compare takes sweep files with sweep files only"
                                                       : "sweep files compare as text, without --plot");
            free(paths);
            return 2;
        }
        for (int i = 1; i < n && !rc; i++)
            if (sweepreport_compare(paths[0], paths[i], stdout, err, sizeof err)) {
                fprintf(stderr, "dcsim: %s\n", err);
                rc = 1;
            }
        free(paths);
        return rc;
    }
    if (compare_print(n, paths, format, stdout, err, sizeof err)) {
        fprintf(stderr, "dcsim: %s\n", err);
        rc = 1;
    } else if (plot_dir) {
        rc = run_plot(n, paths, plot_dir, 1);
    }
    free(paths);
    return rc;
}

static int cmd_plot(int argc, char **argv)
{
    if (wants_help(argc, argv)) {
        fputs(usage_plot, stdout);
        return 0;
    }
    if (argc >= 1 && sweepreport_is_sweep(argv[0]))
        return sweepcli_plot(argc, argv); /* a sweep file: analysis/plot_sweep.py */
    const char *dir = "plots";
    const char **paths = calloc((size_t)argc + 1, sizeof *paths);
    int n = 0;
    if (!paths) {
        fprintf(stderr, "dcsim: out of memory\n");
        return 1;
    }
    for (int i = 0; i < argc; i++) {
        if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) && i + 1 < argc)
            dir = argv[++i];
        else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "dcsim: unexpected argument: %s\n\n%s", argv[i], usage_plot);
            free(paths);
            return 2;
        } else
            paths[n++] = argv[i];
    }
    if (n < 1) {
        fputs(usage_plot, stderr);
        free(paths);
        return 2;
    }
    int rc = run_plot(n, paths, dir, n > 1);
    free(paths);
    return rc;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off(); /* GSL's default handler aborts; every GSL call is checked instead */
    report_set_sweep_reader(sweepreport_print); /* files of kind "sweep" (dcsim sweep) */
    if (argc < 2) {
        fputs(usage_main, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(usage_main, stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version")) {
        printf("dcsim %s\n", DCSIM_VERSION);
        return 0;
    }
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {{"run", cmd_run},       {"validate", cmd_validate}, {"catalog", cmd_catalog},
                {"report", cmd_report}, {"export", cmd_export}, {"compare", cmd_compare},
                {"plot", cmd_plot},     {"calibrate", calib_main},
                {"sweep", sweepcli_main}};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (!strcmp(cmd, cmds[i].name))
            return cmds[i].fn(argc - 2, argv + 2);
    fprintf(stderr, "dcsim: unknown command \"%s\"\n\n%s", cmd, usage_main);
    return 2;
}
