/* calibrate.h - node power curves from measured telemetry (`dcsim calibrate`).
 *
 * Reads per-device samples of (utilisation, power) from
 *   - nvidia-smi CSV logs (--query-gpu=timestamp[,index],utilization.gpu,power.draw --format=csv), and
 *   - AWS neuron-monitor JSON reports (utilisation per NeuronCore) joined with the Neuron
 *     driver's per-minute sysfs power records (stats/power/utilization, percent of the
 *     device's maximum power), because neuron-monitor's documented report has no power field;
 * fits the device power curve
 *
 *     P(u) = idle + (max - idle) * u^alpha,     u in [0, 1], P in W,
 *
 * by nonlinear least squares (GSL gsl_multifit_nlinear, trust region with
 * Levenberg-Marquardt steps; alpha = exp(theta) so it stays positive), and
 * turns it into a node curve: node = devices x device + host. The fields read,
 * the fit and its limits are in docs/CALIBRATE.md.
 *
 * Errors are values: every function returns CALIB_OK (0), CALIB_EINPUT (2: bad
 * data or arguments; the message names the file and line) or CALIB_EFAIL (1:
 * I/O or numerical failure), with the message in err. These are the exit
 * statuses of the command. Never links the engine.
 */
#ifndef DCSIM_CALIBRATE_H
#define DCSIM_CALIBRATE_H

#include <stddef.h>
#include <stdio.h>

enum { CALIB_OK = 0, CALIB_EFAIL = 1, CALIB_EINPUT = 2 };

#define CALIB_DEV_MAX 64 /* distinct devices in one log */

typedef struct calib_sample {
    double u;   /* device utilisation, 0..1 */
    double p_w; /* device power, W */
} calib_sample;

/* The samples of one or more logs. Plain data: embed it, start it with
 * calib_data_init, free it with calib_data_free. */
typedef struct calib_data {
    calib_sample *s; /* [n] */
    size_t n, cap;
    int ndev;              /* most distinct devices in one log; -1 = a log had no device column */
    int nlogs;             /* logs read */
    long skipped_na;       /* nvidia-smi rows with [N/A], [Not Supported], ... values */
    long skipped_status;   /* neuron power records whose status is not POWER_STATUS_VALID */
    long skipped_dup;      /* neuron power records seen twice (same device and time) */
    long skipped_unsteady; /* neuron minutes whose utilisation spread exceeded the limit */
    long skipped_nomon;    /* neuron power records without a monitor report in their minute */
    long skipped_rterr;    /* neuron-monitor reports skipped: a runtime reported an error */
    char first[40], last[40]; /* first and last timestamp as written in the logs */
    char instance_type[64];   /* neuron-monitor instance_info.instance_type, or "" */
    int neuron_devices;       /* neuron-monitor neuron_hardware_info.neuron_device_count, or 0 */
} calib_data;

void calib_data_init(calib_data *d);
void calib_data_free(calib_data *d); /* NULL-safe; leaves d empty */

/* nvidia-smi CSV. cols: the column names of a headerless file, comma-
 * separated (the --query-gpu list), or NULL: then a file without a header
 * must have 3 columns (timestamp,utilization.gpu,power.draw) or 4
 * (timestamp,index,utilization.gpu,power.draw). Appends to d. */
int calib_read_nvsmi(const char *path, const char *cols, calib_data *d, char *err, size_t errlen);

/* neuron-monitor reports (one JSON object per line, each prefixed by its Unix
 * time in seconds and a space) joined with the sysfs power log (lines
 * "device,status,unix_time,min_pct,max_pct,avg_pct"). device_max_w: the
 * device power at 100 % of the sysfs scale, W. max_spread_pct: a minute of a
 * device is skipped when its utilisation over the reports of the minute spans
 * more than this many percentage points. Appends to d. */
int calib_read_neuron(const char *monitor_path, const char *power_path, double device_max_w,
                      double max_spread_pct, calib_data *d, char *err, size_t errlen);

/* "nvidia-smi" or "neuron-monitor" from the first non-blank line of path
 * (a JSON report, bare or prefixed by a number, is neuron-monitor). */
int calib_detect_format(const char *path, const char **format, char *err, size_t errlen);

typedef struct calib_fit {
    double idle_w, max_w, alpha;          /* the device curve */
    double se_idle_w, se_max_w, se_alpha; /* standard errors (alpha's by the delta method; 0 if fixed) */
    double rmse_w;                        /* sqrt(mean squared residual), W */
    double r2;                            /* 1 - SS_res / SS_tot */
    size_t n;                             /* samples used */
    int levels;                           /* distinct utilisation levels */
    double u_min, u_max;                  /* utilisation range of the data */
    int alpha_fixed;                      /* 1 if alpha was given, not fitted */
    int iterations;                       /* trust-region iterations (0: linear fit) */
} calib_fit;

/* Fits the curve to the n samples. fixed_alpha > 0 fixes alpha (a linear
 * least-squares fit of idle and max on u^alpha); 0 fits it. Refuses
 * (CALIB_EINPUT) data with fewer than 3 distinct utilisation levels when
 * alpha is free (2 when fixed), or fewer samples than parameters + 1. */
int calib_fit_curve(const calib_sample *s, size_t n, double fixed_alpha, calib_fit *f, char *err,
                    size_t errlen);

/* The node built from the device curve. */
typedef struct calib_node {
    const char *name;    /* node type name */
    int devices;         /* devices per node */
    double host_idle_w;  /* host power at u = 0, W */
    double host_max_w;   /* host power at u = 1, W */
    const char *source;  /* the data, e.g. "nvidia-smi CSV a100.csv" */
} calib_node;

/* Prints the commented libconfig fragment (idle_w, max_w, alpha of the node,
 * with source, samples, standard errors, RMSE and R^2 in comments). */
void calib_print(FILE *out, const calib_data *d, const calib_fit *f, const calib_node *node);

/* The command: dcsim calibrate ARGS (argv without "calibrate"). Returns the
 * exit status; messages go to stderr, the fragment to stdout. */
int calib_main(int argc, char **argv);

#endif
