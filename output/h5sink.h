/* h5sink.h - the HDF5 result writer behind the sink interface (docs/RESULTS.md has the layout).
 *
 * A run's series and job rows are streamed into "<path>.tmp.<pid>" in the
 * directory of `path`: series are buffered one chunk of steps at a time, job
 * rows one chunk of rows per column, so memory does not grow with the number
 * of steps or jobs. close(ok = 1) writes the summary, closes the file and
 * renames it to `path`; close(ok = 0), a failed close and h5sink_free() of an
 * open sink remove the temporary file and leave any earlier file at `path`
 * untouched.
 *
 * Errors are reported through ops->errmsg() as text naming the file, e.g.
 * "cannot create results/x.h5.tmp.123: No such file or directory".
 * h5sink_alloc() turns off HDF5's automatic error printing for the whole
 * process (H5Eset_auto2(H5E_DEFAULT, NULL, NULL)). Not thread-safe.
 *
 * Link with -L/usr/lib/x86_64-linux-gnu/hdf5/serial -lhdf5_hl -lhdf5
 * (include path -I/usr/include/hdf5/serial).
 */
#ifndef DCSIM_H5SINK_H
#define DCSIM_H5SINK_H

#include "../sim/sink.h"

/* Storage settings; h5sink_default_options() gives the defaults. */
typedef struct h5sink_options {
    int series_deflate;   /* deflate level of the series, 0 (none) to 9; default 4 */
    int jobs_deflate;     /* deflate level of the float64 job columns (times, energy,
                           * emissions, cost), 0 to 9; default 0: at 1, 1M rows take
                           * ~0.9 s instead of ~0.2 s and save only ~25% */
    int jobs_int_deflate; /* deflate level of the integer job columns (id, workload, kind,
                           * site, pool, nodes, completed), 0 to 9; default 1 (29 MB per
                           * million rows shrink to ~0.2 MB for ~60 ms) */
    int series_chunk;     /* steps per chunk (and per write) of each series, >= 1; default 4096 */
    int jobs_chunk;       /* rows per chunk (and per write) of each job column, >= 1;
                           * default 65536 */
    int shuffle;          /* 1: byte-shuffle filter before deflate (smaller and faster);
                           * default 1; ignored where the level is 0 */
} h5sink_options;

/* Fills *o with the defaults above. */
void h5sink_default_options(h5sink_options *o);

/* Returns a new sink that writes the result file `path` (copied) through
 * "<path>.tmp.<pid>". opt is copied; NULL means the defaults, and out-of-range
 * values are clamped (deflate to 0..9, chunks to >= 1). Returns NULL on
 * allocation failure. The caller frees it with h5sink_free(). */
sink *h5sink_alloc(const char *path, const h5sink_options *opt);

/* Frees a sink from h5sink_alloc(). If it is still open (close() not called)
 * the result is discarded: handles are closed and the temporary file removed.
 * NULL is a no-op. */
void h5sink_free(sink *s);

#endif
