/* sweepcli.c - the `dcsim sweep` command: reads and checks a sweep file, runs
 * every variant x replication on OpenMP threads (and MPI ranks when built
 * with MPI=1 and started by mpirun), writes one sweep file, prints its report.
 */
#define _POSIX_C_SOURCE 200809L
#include "sweepcli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "../analysis/sweepreport.h"
#include "../output/h5sweep.h"
#include "cfgutil.h"
#include "sweep.h"
#include "sweepmpi.h"

const char *const sweepcli_usage =
    "usage: dcsim sweep SWEEP.cfg [-o OUT.h5] [-j N] [--replications N] [--series]\n"
    "                   [--dry-run] [--summary text|none] [--quiet]\n"
    "\n"
    "Runs every variant of a sweep file (a base scenario plus overrides: given\n"
    "combinations and/or a grid of values) for its number of replications (seeds\n"
    "seed, seed + 1, ...: the same seeds for every variant), and writes one HDF5\n"
    "sweep file: the variants, every run's figures, each variant's mean, standard\n"
    "deviation and 95% confidence interval, and its paired difference against the\n"
    "reference variant. Every variant is loaded and checked before anything runs.\n"
    "Format and worked example: docs/SWEEP.md.\n"
    "\n"
    "  -o, --output OUT.h5    sweep file (default: the sweep's output, else\n"
    "                         results/<name>.h5); written under a temporary name\n"
    "  -j, --threads N        OpenMP threads (default: OMP_NUM_THREADS, else every\n"
    "                         core; 1 per rank under MPI); results do not depend on it\n"
    "  --replications N       replications per variant (replaces the file's)\n"
    "  --series               also keep every run's full series (size printed first)\n"
    "  --dry-run              check the sweep, list its variants and stop\n"
    "  --summary FORMAT       after the sweep print its report as text (default) or none\n"
    "  --quiet                no plan line, no progress display\n"
    "\n"
    "Across machines (binary built with make MPI=1):\n"
    "  mpirun -n K dcsim sweep SWEEP.cfg     rank 0 hands out runs and writes the file\n";

static volatile sig_atomic_t sweep_stop;
static void on_signal(int sig)
{
    (void)sig;
    sweep_stop = 1;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct progress {
    int enabled, shown;
    double t0;
} progress;

static void show_progress(void *ctx, long done, long total)
{
    progress *p = ctx;
    double el = now_s() - p->t0;
    if (!p->enabled || el < 1.0)
        return;
    fprintf(stderr, "\r  %ld/%ld runs  %.1f runs/s   ", done, total, (double)done / el);
    p->shown = 1;
}

static int parse_count(const char *opt, const char *v, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (end == v || *end || errno || x < lo || x > hi) {
        fprintf(stderr, "dcsim: %s must be a whole number from %ld to %ld (got \"%s\")\n", opt, lo, hi, v);
        return -1;
    }
    *out = x;
    return 0;
}

typedef struct args {
    const char *file, *output, *summary;
    long threads, reps;
    int series, dry, quiet;
} args;

static int parse_args(int argc, char **argv, args *a)
{
    memset(a, 0, sizeof *a);
    a->summary = "text";
    for (int i = 0; i < argc; i++) {
        const char *o = argv[i];
        int more = i + 1 < argc;
        if ((!strcmp(o, "-o") || !strcmp(o, "--output")) && more)
            a->output = argv[++i];
        else if ((!strcmp(o, "-j") || !strcmp(o, "--threads")) && more) {
            if (parse_count(o, argv[++i], 1, 4096, &a->threads))
                return -1;
        } else if (!strcmp(o, "--replications") && more) {
            if (parse_count(o, argv[++i], 1, SWEEP_MAX_REPS, &a->reps))
                return -1;
        } else if (!strcmp(o, "--series"))
            a->series = 1;
        else if (!strcmp(o, "--dry-run"))
            a->dry = 1;
        else if (!strcmp(o, "--summary") && more)
            a->summary = argv[++i];
        else if (!strcmp(o, "--quiet") || !strcmp(o, "-q"))
            a->quiet = 1;
        else if (o[0] == '-' && o[1]) {
            fprintf(stderr, "dcsim: unknown option or missing value: %s\n\n%s", o, sweepcli_usage);
            return -1;
        } else if (!a->file)
            a->file = o;
        else {
            fprintf(stderr, "dcsim: unexpected argument: %s\n\n%s", o, sweepcli_usage);
            return -1;
        }
    }
    if (!a->file) {
        fprintf(stderr, "dcsim: missing SWEEP.cfg\n\n%s", sweepcli_usage);
        return -1;
    }
    if (strcmp(a->summary, "text") && strcmp(a->summary, "none")) {
        fprintf(stderr, "dcsim: --summary must be text or none\n");
        return -1;
    }
    return 0;
}

static void print_variants(const sweep *sw)
{
    printf("sweep %s: %d variant(s) x %d replication(s) = %ld runs, seeds %llu..%llu\n", sweep_name(sw),
           sweep_nvariants(sw), sweep_nreps(sw), sweep_nruns(sw), (unsigned long long)sweep_seed(sw, 0),
           (unsigned long long)sweep_seed(sw, sweep_nreps(sw) - 1));
    for (int v = 0; v < sweep_nvariants(sw); v++)
        printf("  %3d  %s\n", v, sweep_variant_name(sw, v));
}

/* The whole command on one rank. rank/size from sweepmpi_init. */
static int sweep_command(const args *a, int rank, int size)
{
    char err[1600];
    int lead = rank == 0;
    sweep *sw = sweep_load(a->file, err, sizeof err);
    int st = sweepmpi_agree(sw ? 0 : 2);
    if (st) {
        if (lead && !sw)
            fprintf(stderr, "%s\n", err);
        sweep_free(sw);
        return 2;
    }
    if (a->reps && sweep_set_replications(sw, (int)a->reps)) {
        if (lead)
            fprintf(stderr, "dcsim: --replications %ld: seed %llu + replications - 1 must stay below 2^63\n", a->reps,
                    (unsigned long long)sweep_seed(sw, 0));
        sweep_free(sw);
        return 2;
    }
    if (a->series)
        sweep_set_series(sw, 1);
    const char *out = a->output ? a->output : sweep_output(sw);
    int threads = (int)a->threads;
    if (!threads) {
        const char *env = getenv("OMP_NUM_THREADS");
#ifdef _OPENMP
        threads = size > 1 && !(env && *env) ? 1 : omp_get_max_threads();
#else
        (void)env;
        threads = 1;
#endif
    }
    if (threads > sweep_nruns(sw))
        threads = (int)sweep_nruns(sw);
    double mb = sweep_series_bytes(sw) / 1e6;
    if (a->dry) {
        if (lead) {
            print_variants(sw);
            printf("full series of every run: %.1f MB (%s)\n", mb, sweep_series_on(sw) ? "kept" : "not kept");
        }
        sweep_free(sw);
        return 0;
    }
    if (lead && !a->quiet) {
        fprintf(stderr, "dcsim: sweep %s: %d variant(s) x %d replication(s) = %ld runs on %d rank(s) x %d thread(s)\n",
                sweep_name(sw), sweep_nvariants(sw), sweep_nreps(sw), sweep_nruns(sw), size, threads);
        if (sweep_series_on(sw))
            fprintf(stderr, "dcsim: keeping every run's full series: about %.1f MB in memory and in %s\n", mb, out);
        else
            fprintf(stderr, "dcsim: full series not kept (series = true or --series would add about %.1f MB)\n", mb);
    }
    int rc = 1;
    if (lead && cfgutil_make_parent_dirs(out, err, sizeof err)) {
        fprintf(stderr, "dcsim: %s\n", err);
        st = 1;
    } else {
        st = 0;
    }
    if (sweepmpi_agree(st)) {
        sweep_free(sw);
        return 1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    progress pr = {.enabled = lead && !a->quiet && isatty(2), .t0 = now_s()};
    double t0 = now_s();
    int r = size > 1 ? sweepmpi_run(sw, threads, &sweep_stop, show_progress, &pr, err, sizeof err)
                     : sweep_run_all(sw, threads, &sweep_stop, show_progress, &pr, err, sizeof err);
    if (pr.shown)
        fprintf(stderr, "\r%60s\r", "");
    if (!lead) { /* a worker: rank 0 reports */
        if (r < 0)
            fprintf(stderr, "dcsim: rank %d: %s\n", rank, err);
        sweep_free(sw);
        return r < 0 ? 1 : r > 0 ? 130 : 0;
    }
    if (r == 1) {
        fprintf(stderr, "dcsim: sweep interrupted; no result written (%s untouched)\n", out);
        rc = 130;
        goto done;
    }
    if (r != 0) {
        fprintf(stderr, "dcsim: %s; no result written\n", err);
        goto done;
    }
    sweep_result res;
    if (sweep_finish(sw, &res, 0.0, threads, size, err, sizeof err)) {
        fprintf(stderr, "dcsim: %s\n", err);
        goto done;
    }
    res.wall_s = now_s() - t0;
    if (h5sweep_write(&res, out, err, sizeof err)) {
        fprintf(stderr, "dcsim: %s\n", err);
        goto done;
    }
    if (!strcmp(a->summary, "text")) {
        if (sweepreport_print(out, "text", stdout, err, sizeof err)) {
            fprintf(stderr, "dcsim: %s (the sweep file is complete; its report could not be printed)\n", err);
            goto done;
        }
        printf("result: %s\n", out);
    }
    rc = 0;
done:
    sweep_free(sw);
    return rc;
}

#ifndef DCSIM_DATADIR
#define DCSIM_DATADIR "scenarios"
#endif

const char *const sweepcli_plot_usage =
    "usage: dcsim plot SWEEP.h5 [--metric NAME] [--x PATH] [--paired] [-o OUT.png] [--list]\n"
    "\n"
    "Draws a metric of a sweep file (default emissions_t) against a varied setting\n"
    "(--x, e.g. sites.us-east.pools.gpu.count; default: per variant) with 95%\n"
    "confidence bars, or the paired difference against the reference (--paired).\n"
    "Runs analysis/plot_sweep.py (python3 with h5py, numpy and matplotlib); the\n"
    "script's folder can be set with DCSIM_ANALYSIS.\n";

int sweepcli_plot(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(sweepcli_plot_usage, stdout);
            return 0;
        }
    if (argc < 1 || argv[0][0] == '-') {
        fputs(sweepcli_plot_usage, stderr);
        return 2;
    }
    if (!sweepreport_is_sweep(argv[0])) {
        fprintf(stderr, "dcsim: %s: not a sweep file (dcsim plot draws sweep files)\n", argv[0]);
        return 2;
    }
    const char *dir = getenv("DCSIM_ANALYSIS");
    char script[4096];
    if (dir && *dir)
        snprintf(script, sizeof script, "%s/plot_sweep.py", dir);
    else
        snprintf(script, sizeof script, "%s/../analysis/plot_sweep.py", DCSIM_DATADIR);
    /* Debian's python3 (with python3-h5py) even when another one comes first in PATH */
    const char *py = access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
    char **av = calloc((size_t)argc + 3, sizeof *av);
    if (!av) {
        fprintf(stderr, "dcsim: out of memory\n");
        return 1;
    }
    av[0] = (char *)py;
    av[1] = script;
    for (int i = 0; i < argc; i++)
        av[i + 2] = argv[i];
    fflush(stdout);
    execvp(py, av);
    fprintf(stderr, "dcsim: cannot run %s %s: %s\n", py, script, strerror(errno));
    free(av);
    return 1;
}

int sweepcli_main(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            fputs(sweepcli_usage, stdout);
            return 0;
        }
    args a;
    if (parse_args(argc, argv, &a))
        return 2;
    int rank = 0, size = 1;
    char err[300];
    if (sweepmpi_init(&rank, &size, err, sizeof err)) {
        fprintf(stderr, "dcsim: %s\n", err);
        return 1;
    }
    int rc = sweep_command(&a, rank, size);
    sweepmpi_finalize();
    return rc;
}
