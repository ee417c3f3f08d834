/* jobtrace.h - job traces: replaying the submissions of a real cluster.
 *
 * A job-trace CSV holds one job per row: when it was submitted, how long it
 * ran, how many accelerators or nodes it held, and optionally a deadline and
 * a priority. A format names the columns (jobtrace_format_names):
 *   plain        header; submit (seconds, or a timestamp), duration_s,
 *                nodes or accelerators, optional deadline (same clock as
 *                submit) and priority.
 *   helios       SenseTime Helios (Hu et al., SC '21; HeliosData
 *                cluster_log.csv): header; submit_time (timestamp),
 *                duration (s), gpu_num.
 *   philly       Microsoft Philly (Jeon et al., USENIX ATC '19): the trace is
 *                JSON (cluster_job_log); docs/SCHEDULING.md converts it to a
 *                CSV with header submitted_time, run_time_s, num_gpus.
 *   alibaba-pai  Alibaba PAI 2020 (Weng et al., NSDI '22; cluster-trace-
 *                gpu-v2020 pai_task_table.csv): no header; column 5
 *                start_time and 6 end_time (s), 3 inst_num, 9 plan_gpu
 *                (percent of one GPU per instance): accelerators =
 *                ceil(inst_num x plan_gpu / 100), duration = end - start.
 * Any column can be renamed (or given by its 1-based number) in the scenario.
 * Submissions are re-based: the earliest submission lands at the arrival's
 * `first` time, the others keep their offsets (times time_scale). Rows are
 * sorted by submission (stable). Rows asking for no accelerators (CPU jobs)
 * are skipped and counted; a row with a missing or bad value is an error
 * "file:line: column: what is wrong", or skipped and counted when the
 * scenario says skip_incomplete.
 * Memory: 32 bytes per job (the whole trace is held).
 */
#ifndef DCSIM_JOBTRACE_H
#define DCSIM_JOBTRACE_H

#include <stddef.h>

enum { JT_PLAIN, JT_HELIOS, JT_PHILLY, JT_ALIBABA_PAI, JT_FORMAT_COUNT };
extern const char *const jobtrace_format_names[]; /* "plain", "helios", "philly", "alibaba-pai", NULL */

/* Column roles (jobtrace_role_names: the scenario's keys in `columns`). */
enum { JTC_SUBMIT, JTC_DURATION, JTC_START, JTC_END, JTC_NODES, JTC_ACCEL, JTC_INST, JTC_ACCEL_PCT, JTC_DEADLINE,
       JTC_PRIORITY, JTC_ROLE_COUNT };
extern const char *const jobtrace_role_names[]; /* "submit", "duration", ..., NULL */

typedef struct jobtrace_opts {
    int format;                       /* JT_* */
    char col[JTC_ROLE_COUNT][64];      /* column name per role ("" unused; "#3" = the third column) */
    int header;                       /* 1: the first non-comment line names the columns */
    int accel_per_node;               /* accelerators per node of the target (nodes = ceil(acc / this)); 0: none */
    int skip_incomplete;              /* 1: rows with a missing or bad value are skipped and counted */
    double time_scale;                /* multiplies the submission offsets (1 = as recorded) */
} jobtrace_opts;

typedef struct jobtrace_job {
    double submit_s;   /* offset from the trace's first submission, s (after time_scale) */
    double duration_s; /* run time, s */
    double deadline_s; /* latest end after submission, s; INFINITY if none */
    int nodes;         /* nodes held */
    int priority;      /* queue priority (0 if none) */
} jobtrace_job;

typedef struct jobtrace {
    jobtrace_job *jobs; /* [n], sorted by submit_s */
    long n;
    long skipped_cpu;   /* rows with no accelerators */
    long skipped_bad;   /* rows skipped under skip_incomplete */
} jobtrace;

/* Sets o to the format's column names (call before overriding some). */
void jobtrace_defaults(jobtrace_opts *o, int format);

/* Reads path into t. Returns 0, or -1 with "path:line: what is wrong" in
 * err (t is then empty). Free with jobtrace_free. */
int jobtrace_read(jobtrace *t, const char *path, const jobtrace_opts *o, char *err, size_t errlen);
void jobtrace_free(jobtrace *t); /* NULL is a no-op */

#endif
