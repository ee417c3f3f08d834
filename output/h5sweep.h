/* h5sweep.h - writes a finished sweep (sim/sweeprec.h) as one HDF5 file; the
 * layout is in docs/RESULTS.md, "Sweep files".
 *
 * The file is written in one go, by one thread, after every run has finished
 * (under MPI by rank 0 only): the runs themselves never touch HDF5, so the
 * library's thread safety is never relied upon. Objects are created without
 * modification times (H5Pset_obj_track_times off), so two sweeps with the
 * same inputs give files that differ only in the /timing dataset.
 */
#ifndef DCSIM_H5SWEEP_H
#define DCSIM_H5SWEEP_H

#include <stddef.h>

#include "../sim/sweeprec.h"

/* Writes r to path through "<path>.tmp.<pid>", renamed when complete; on
 * failure removes the temporary file and leaves any earlier file at path
 * untouched. Returns 0, or -1 with "file: what: why" in err. */
int h5sweep_write(const sweep_result *r, const char *path, char *err, size_t errlen);

#endif
