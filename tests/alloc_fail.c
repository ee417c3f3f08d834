/* alloc_fail.c - allocation failure injection for tests/faults.sh (SQLite's
 * and Lua's habit): linked into a copy of dcsim with
 *   -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=getline,--wrap=__getdelim
 * it counts the allocations made by dcsim's own objects and makes the Nth
 * one fail (return NULL, errno ENOMEM), N from the environment variable
 * DCSIM_ALLOC_FAIL; only that one fails, later calls succeed again. Unset or
 * 0: nothing fails. With DCSIM_ALLOC_COUNT set, the number of allocations
 * counted is printed to stderr at exit as "allocations: N"; with
 * DCSIM_ALLOC_TRACE set, the stack of the failed call is printed (to find
 * the code that mishandled it).
 *
 * Out of scope: allocations inside the libraries (HDF5, libconfig, GSL) and
 * inside libc (open_memstream's buffer); --wrap only reaches calls made from
 * the objects linked here. getline counts as one allocation per call.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* getline, ssize_t */
#endif
#include <errno.h>
#include <execinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
ssize_t __real_getline(char **line, size_t *cap, FILE *f);
ssize_t __real___getdelim(char **line, size_t *cap, int delim, FILE *f);

void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
ssize_t __wrap_getline(char **line, size_t *cap, FILE *f);
ssize_t __wrap___getdelim(char **line, size_t *cap, int delim, FILE *f);

static long long calls, fail_at = -1; /* -1: not read yet */

static void print_count(void)
{
    fprintf(stderr, "allocations: %lld\n", calls);
}

/* 1 if this allocation is the one to fail. */
static int fail_now(void)
{
    if (fail_at < 0) {
        const char *v = getenv("DCSIM_ALLOC_FAIL");
        fail_at = v ? atoll(v) : 0;
        if (getenv("DCSIM_ALLOC_COUNT"))
            atexit(print_count);
    }
    if (++calls != fail_at)
        return 0;
    if (getenv("DCSIM_ALLOC_TRACE")) {
        void *frames[32];
        fprintf(stderr, "allocation %lld fails here:\n", calls);
        backtrace_symbols_fd(frames, backtrace(frames, 32), 2);
    }
    errno = ENOMEM;
    return 1;
}

void *__wrap_malloc(size_t n)
{
    return fail_now() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t k, size_t n)
{
    return fail_now() ? NULL : __real_calloc(k, n);
}

void *__wrap_realloc(void *p, size_t n)
{
    return fail_now() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(const char *s)
{
    return fail_now() ? NULL : __real_strdup(s);
}

ssize_t __wrap_getline(char **line, size_t *cap, FILE *f)
{
    return fail_now() ? -1 : __real_getline(line, cap, f);
}

/* An optimised build calls getline through glibc's inline wrapper of __getdelim. */
ssize_t __wrap___getdelim(char **line, size_t *cap, int delim, FILE *f)
{
    return fail_now() ? -1 : __real___getdelim(line, cap, delim, f);
}
