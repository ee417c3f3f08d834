/* replay.c - runs inputs through a fuzz harness without libFuzzer: the
 * regression replay of `make test` (tests/fuzz/replay.sh) links one harness
 * with this file in the normal build.
 *
 * usage: replay_NAME FILE...  Each file is read whole and passed to
 * LLVMFuzzerTestOneInput; a broken promise aborts (status 134), so the
 * caller sees which input failed. Prints "ok FILE" per input; exits 0 when
 * every input went through, 1 when one could not be read.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzzutil.h"

static int replay(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    size_t cap = 1 << 16, n = 0, got;
    unsigned char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            unsigned char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    int bad = !buf || ferror(f);
    fclose(f);
    if (bad) {
        fprintf(stderr, "%s: cannot read\n", path);
        free(buf);
        return -1;
    }
    LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    printf("ok %s\n", path);
    fflush(stdout);
    return 0;
}

int main(int argc, char **argv)
{
    int rc = 0;
    LLVMFuzzerInitialize(&argc, &argv);
    for (int i = 1; i < argc; i++)
        if (replay(argv[i]))
            rc = 1;
    return rc;
}
