/* fuzzutil.h - helpers shared by the libFuzzer harnesses (tests/fuzz/fuzz_*.c)
 * and their replay driver: a scratch folder and writing an input to a file.
 *
 * The readers under test take paths, so every input is written to a file in
 * a scratch folder (under /dev/shm when it exists: no disk traffic). A
 * harness aborts (a crash to libFuzzer, a failure to the replay driver) when
 * a reader breaks one of its documented promises; FUZZ_CHECK says which.
 */
#ifndef DCSIM_FUZZUTIL_H
#define DCSIM_FUZZUTIL_H

#include <stddef.h>
#include <stdint.h>

/* The harness entry points libFuzzer (or tests/fuzz/replay.c) calls. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The process's scratch folder, made on first use and removed at exit.
 * Aborts if it cannot be made (nothing can be tested without it). */
const char *fuzz_dir(void);

/* Writes data[0..size) to <fuzz_dir>/name and returns the path (a static
 * buffer per name slot: valid until the next call with the same slot 0..3).
 * Aborts on an I/O error. */
const char *fuzz_write(int slot, const char *name, const void *data, size_t size);

/* Copies file src to <fuzz_dir>/name (creating one level of folder in name if
 * needed); a missing src is skipped silently. */
void fuzz_copy(const char *src, const char *name);

/* 1 if needle[0..nlen) occurs in data[0..size). */
int fuzz_contains(const uint8_t *data, size_t size, const char *needle);

/* Aborts with "fuzz check failed: <what>" on stderr unless cond holds. */
#define FUZZ_CHECK(cond, what) fuzz_check_((cond) != 0, what, __FILE__, __LINE__)
void fuzz_check_(int ok, const char *what, const char *file, int line);

/* Checks an error message: NUL-terminated within len and not empty. */
void fuzz_check_message(const char *err, size_t len);

#endif
