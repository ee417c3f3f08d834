/* sweepmpi.c - a sweep's runs over MPI ranks, master and workers (see sweepmpi.h).
 * Compiled with MPI only when DCSIM_MPI is defined (make MPI=1); otherwise
 * there is one rank and nothing here touches MPI.
 */
#define _POSIX_C_SOURCE 200809L
#include "sweepmpi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef DCSIM_MPI

int sweepmpi_enabled(void) { return 0; }

int sweepmpi_init(int *rank, int *size, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    *rank = 0;
    *size = 1;
    return 0;
}

void sweepmpi_finalize(void) {}

int sweepmpi_agree(int status) { return status; }

int sweepmpi_run(sweep *sw, int threads, volatile sig_atomic_t *stop, sweep_progress_fn progress, void *ctx,
                 char *err, size_t errlen)
{
    return sweep_run_all(sw, threads, stop, progress, ctx, err, errlen);
}

#else /* DCSIM_MPI */

#include <mpi.h>
#ifdef _OPENMP
#include <omp.h>
#define SWEEP_PRAGMA(x) _Pragma(x)
#else
#define SWEEP_PRAGMA(x)
#endif

enum { TAG_RESULT = 1, TAG_WORK = 2, TAG_SERIES = 3 };

static int mpi_started; /* 1: this process called MPI_Init_thread (main thread only) */

int sweepmpi_enabled(void) { return 1; }

int sweepmpi_init(int *rank, int *size, char *err, size_t errlen)
{
    int provided = 0;
    if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        snprintf(err, errlen, "MPI_Init_thread failed");
        return -1;
    }
    mpi_started = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, size);
    if (provided < MPI_THREAD_FUNNELED && *size > 1) {
        snprintf(err, errlen, "this MPI library does not support threads (MPI_THREAD_FUNNELED)");
        return -1;
    }
    return 0;
}

void sweepmpi_finalize(void)
{
    if (mpi_started)
        MPI_Finalize();
    mpi_started = 0;
}

int sweepmpi_agree(int status)
{
    int all = status;
    if (mpi_started)
        MPI_Allreduce(&status, &all, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return all;
}

static void nap(void)
{
    struct timespec ts = {0, 200000}; /* 0.2 ms */
    nanosleep(&ts, NULL);
}

/* ---- a worker rank ------------------------------------------------------ */

static int worker(sweep *sw, int threads, volatile sig_atomic_t *stop, char *err, size_t errlen)
{
    int nm = sweep_nmetrics(sw), rc = 0;
    size_t rowlen = 3 + (size_t)nm;
    int *idx = malloc((size_t)threads * sizeof *idx);
    int *status = malloc((size_t)threads * sizeof *status);
    double *msg = malloc((2 + (size_t)threads * rowlen) * sizeof *msg);
    if (!idx || !status || !msg || sweep_alloc_runs(sw)) {
        snprintf(err, errlen, "out of memory");
        rc = -1;
        /* still take part: ask with a failed row so rank 0 stops */
    }
    double first[2] = {threads, rc ? -1 : 0}; /* -1 rows: this rank failed */
    MPI_Send(first, 2, MPI_DOUBLE, 0, TAG_RESULT, MPI_COMM_WORLD);
    if (rc) {
        int dummy[1];
        MPI_Status st;
        /* rank 0 answers every request; the answer is "stop" after a failure */
        MPI_Probe(0, TAG_WORK, MPI_COMM_WORLD, &st);
        int cnt = 0;
        MPI_Get_count(&st, MPI_INT, &cnt);
        int *drain = malloc((size_t)(cnt > 0 ? cnt : 1) * sizeof *drain);
        MPI_Recv(drain ? drain : dummy, drain ? cnt : 0, MPI_INT, 0, TAG_WORK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        free(drain);
        free(idx);
        free(status);
        free(msg);
        return -1;
    }
    char first_err[1200] = "";
    for (;;) {
        MPI_Recv(idx, threads, MPI_INT, 0, TAG_WORK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        int n = 0;
        while (n < threads && idx[n] >= 0)
            n++;
        if (n == 0)
            break;
        SWEEP_PRAGMA("omp parallel for schedule(dynamic, 1) num_threads(threads)")
        for (int i = 0; i < n; i++) {
            char e[1200];
            status[i] = sweep_run_one(sw, idx[i], stop, e, sizeof e);
            if (status[i] < 0) {
                SWEEP_PRAGMA("omp critical(sweepmpi_err)")
                {
                    if (!first_err[0])
                        snprintf(first_err, sizeof first_err, "run %d (variant \"%s\"): %s", idx[i],
                                 sweep_variant_name(sw, idx[i] / sweep_nreps(sw)), e);
                }
            }
        }
        msg[0] = threads;
        msg[1] = n;
        for (int i = 0; i < n; i++) {
            double *row = msg + 2 + (size_t)i * rowlen;
            row[0] = idx[i];
            row[1] = status[i];
            row[2] = sweep_run_wall(sw, idx[i]);
            memcpy(row + 3, sweep_row(sw, idx[i]), (size_t)nm * sizeof *row);
        }
        MPI_Send(msg, (int)(2 + (size_t)n * rowlen), MPI_DOUBLE, 0, TAG_RESULT, MPI_COMM_WORLD);
        if (sweep_series_on(sw))
            for (int i = 0; i < n; i++) {
                if (status[i] != 0)
                    continue;
                double *buf = NULL;
                long cnt = sweep_series_pack(sw, idx[i], &buf);
                double none = -1;
                /* a count of -1 tells rank 0 the series could not be packed */
                MPI_Send(cnt > 0 ? buf : &none, cnt > 0 ? (int)cnt : 1, MPI_DOUBLE, 0, TAG_SERIES, MPI_COMM_WORLD);
                free(buf);
            }
        for (int i = 0; i < n; i++)
            if (status[i] && !rc)
                rc = status[i] < 0 ? -1 : 1;
    }
    if (rc < 0)
        snprintf(err, errlen, "%s", first_err);
    else if (rc > 0)
        snprintf(err, errlen, "interrupted");
    free(idx);
    free(status);
    free(msg);
    return rc;
}

/* ---- rank 0 ------------------------------------------------------------- */

typedef struct master {
    sweep *sw;
    long n;                    /* runs */
    long next;                 /* next run to hand out (atomic) */
    long done;                 /* runs finished (under critical sweep_progress) */
    int status;                /* 0, 1 stopped, -1 failed (atomic) */
    volatile sig_atomic_t *stop;
    sweep_progress_fn progress;
    void *ctx;
    char err[1400];
} master;

static long take(master *m)
{
    long k;
    int s;
    SWEEP_PRAGMA("omp atomic read")
    s = m->status;
    if (s || (m->stop && *m->stop))
        return -1;
    SWEEP_PRAGMA("omp atomic capture")
    k = m->next++;
    return k < m->n ? k : -1;
}

/* Records the outcome of run k (from any thread). */
static void finished(master *m, long k, int r, const char *e)
{
    SWEEP_PRAGMA("omp critical(sweepmpi_done)")
    {
        int s;
        SWEEP_PRAGMA("omp atomic read")
        s = m->status;
        if (r && !s) {
            SWEEP_PRAGMA("omp atomic write")
            m->status = r < 0 ? -1 : 1;
            snprintf(m->err, sizeof m->err, "%s", r < 0 ? e : "interrupted");
        }
        if (!r) {
            m->done++;
            if (m->progress)
                m->progress(m->ctx, m->done, m->n);
        }
        (void)k;
    }
}

/* The main thread of rank 0: answers every worker until none is left. */
static void dispatch(master *m, int size)
{
    int nm = sweep_nmetrics(m->sw);
    size_t rowlen = 3 + (size_t)nm;
    int active = size - 1;
    while (active > 0) {
        int flag = 0;
        MPI_Status st;
        MPI_Iprobe(MPI_ANY_SOURCE, TAG_RESULT, MPI_COMM_WORLD, &flag, &st);
        if (!flag) {
            nap();
            continue;
        }
        int cnt = 0, src = st.MPI_SOURCE;
        MPI_Get_count(&st, MPI_DOUBLE, &cnt);
        double *buf = malloc((size_t)(cnt > 0 ? cnt : 1) * sizeof *buf);
        if (!buf) { /* cannot even read the answer: stop everyone */
            finished(m, -1, -1, "out of memory on rank 0");
            double dummy;
            MPI_Recv(&dummy, 0, MPI_DOUBLE, src, TAG_RESULT, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            cnt = 0;
        } else {
            MPI_Recv(buf, cnt, MPI_DOUBLE, src, TAG_RESULT, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        }
        int wthreads = cnt >= 2 ? (int)buf[0] : 1, nrows = cnt >= 2 ? (int)buf[1] : 0;
        if (wthreads < 1)
            wthreads = 1;
        if (nrows < 0) {
            char e[100];
            snprintf(e, sizeof e, "rank %d failed (its message above)", src);
            finished(m, -1, -1, e);
        }
        for (int i = 0; i < nrows && (size_t)cnt >= 2 + (size_t)(i + 1) * rowlen; i++) {
            const double *row = buf + 2 + (size_t)i * rowlen;
            long k = (long)row[0];
            int r = (int)row[1];
            if (k >= 0 && k < m->n) {
                memcpy(sweep_row(m->sw, k), row + 3, (size_t)nm * sizeof *row);
                sweep_set_run_wall(m->sw, k, row[2]);
            }
            if (r == 0 && sweep_series_on(m->sw)) {
                MPI_Status s2;
                int c2 = 0;
                MPI_Probe(src, TAG_SERIES, MPI_COMM_WORLD, &s2);
                MPI_Get_count(&s2, MPI_DOUBLE, &c2);
                double *sb = malloc((size_t)(c2 > 0 ? c2 : 1) * sizeof *sb);
                double tmp;
                MPI_Recv(sb ? sb : &tmp, sb ? c2 : 1, MPI_DOUBLE, src, TAG_SERIES, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                if (!sb || sweep_series_unpack(m->sw, k, sb, c2))
                    r = -1;
                free(sb);
            }
            char e[300];
            snprintf(e, sizeof e, "run %ld (variant \"%s\", replication %ld) failed on rank %d (its message above)", k,
                     k >= 0 && k < m->n ? sweep_variant_name(m->sw, (int)(k / sweep_nreps(m->sw))) : "?",
                     k >= 0 ? k % sweep_nreps(m->sw) : -1, src);
            finished(m, k, r, e);
        }
        free(buf);
        int *idx = malloc((size_t)wthreads * sizeof *idx);
        int one = -1, given = 0;
        for (int i = 0; idx && i < wthreads; i++) {
            idx[i] = (int)take(m);
            given += idx[i] >= 0;
        }
        MPI_Send(idx ? idx : &one, idx ? wthreads : 1, MPI_INT, src, TAG_WORK, MPI_COMM_WORLD);
        free(idx);
        if (!given)
            active--;
    }
}

int sweepmpi_run(sweep *sw, int threads, volatile sig_atomic_t *stop, sweep_progress_fn progress, void *ctx,
                 char *err, size_t errlen)
{
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (sweep_nruns(sw) > 2147483647L) {
        snprintf(err, errlen, "too many runs for MPI");
        return -1;
    }
    if (rank != 0)
        return worker(sw, threads, stop, err, errlen);
    master m = {.sw = sw, .n = sweep_nruns(sw), .stop = stop, .progress = progress, .ctx = ctx};
    if (sweep_alloc_runs(sw)) {
        snprintf(m.err, sizeof m.err, "out of memory");
        m.status = -1;
    }
    /* thread 0 (the main thread) serves the other ranks; threads 1..T run runs */
    SWEEP_PRAGMA("omp parallel num_threads(threads + 1)")
    {
#ifdef _OPENMP
        int me = omp_get_thread_num();
#else
        int me = 0;
#endif
        if (me == 0) {
            dispatch(&m, size);
#ifndef _OPENMP
            for (long k; (k = take(&m)) >= 0;) { /* no threads: run the rest here */
                char e[1200];
                int r = sweep_run_one(sw, k, stop, e, sizeof e);
                finished(&m, k, r, e);
            }
#endif
        } else {
            for (long k; (k = take(&m)) >= 0;) {
                char e[1200], full[1400];
                int r = sweep_run_one(sw, k, stop, e, sizeof e);
                snprintf(full, sizeof full, "variant \"%s\", replication %ld: %s",
                         sweep_variant_name(sw, (int)(k / sweep_nreps(sw))), k % sweep_nreps(sw), e);
                finished(&m, k, r, full);
            }
        }
    }
    if (m.status)
        snprintf(err, errlen, "%s", m.err);
    return m.status;
}

#endif /* DCSIM_MPI */
