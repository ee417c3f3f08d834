/* sweepcli.h - the `dcsim sweep` command (called from main.c). */
#ifndef DCSIM_SWEEPCLI_H
#define DCSIM_SWEEPCLI_H

extern const char *const sweepcli_usage;

/* Runs `dcsim sweep ARGS` (argv without "dcsim sweep"); returns the exit
 * status: 0 ok, 1 run or I/O failure, 2 bad sweep or usage, 130 interrupted. */
int sweepcli_main(int argc, char **argv);

/* `dcsim plot SWEEP.h5 ...`: runs analysis/plot_sweep.py on a sweep file
 * (exec; returns only on failure: 1, or 2 for bad arguments). */
extern const char *const sweepcli_plot_usage;
int sweepcli_plot(int argc, char **argv);

#endif
