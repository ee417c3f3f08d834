/* engine.c - binary min-heap of by-value events ordered by (time, seq).
 *
 * The heap is an array; the parent of i is (i-1)/2. Push sifts up, pop moves
 * the last element to a hole walked down from the root (Floyd's "bottom-up"
 * variant: descend to a leaf along smaller children, then sift up), which
 * does about half the comparisons of the textbook sift-down. */
#include "engine.h"

#include <math.h>
#include <stdlib.h>

struct engine {
    engine_event *heap; /* [cap] */
    size_t n, cap;
    uint64_t next_seq;
    uint64_t popped;
    double now;
};

static inline int before(const engine_event *a, const engine_event *b)
{
    return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

engine *engine_alloc(size_t hint)
{
    engine *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->cap = hint > 16 ? hint : 16;
    e->heap = malloc(e->cap * sizeof *e->heap);
    if (!e->heap) {
        free(e);
        return NULL;
    }
    return e;
}

void engine_free(engine *e)
{
    if (!e)
        return;
    free(e->heap);
    free(e);
}

int engine_schedule(engine *e, double t, uint32_t kind, uint32_t idx)
{
    if (e->n == e->cap) {
        size_t ncap = e->cap * 2;
        engine_event *nh = realloc(e->heap, ncap * sizeof *nh);
        if (!nh)
            return -1;
        e->heap = nh;
        e->cap = ncap;
    }
    engine_event x = {t, e->next_seq++, kind, idx};
    engine_event *h = e->heap;
    size_t i = e->n++;
    while (i > 0) {
        size_t p = (i - 1) >> 1;
        if (!before(&x, &h[p]))
            break;
        h[i] = h[p];
        i = p;
    }
    h[i] = x;
    return 0;
}

int engine_pop(engine *e, engine_event *out)
{
    if (e->n == 0)
        return 0;
    engine_event *h = e->heap;
    *out = h[0];
    e->now = out->t;
    e->popped++;
    size_t n = --e->n;
    if (n == 0)
        return 1;
    engine_event x = h[n];
    /* walk the hole at the root down to a leaf along the smaller child */
    size_t i = 0, c;
    while ((c = 2 * i + 1) < n) {
        if (c + 1 < n && before(&h[c + 1], &h[c]))
            c++;
        h[i] = h[c];
        i = c;
    }
    /* then sift x up from that leaf */
    while (i > 0) {
        size_t p = (i - 1) >> 1;
        if (!before(&x, &h[p]))
            break;
        h[i] = h[p];
        i = p;
    }
    h[i] = x;
    return 1;
}

double engine_peek_time(const engine *e) { return e->n ? e->heap[0].t : INFINITY; }
double engine_now(const engine *e) { return e->now; }
size_t engine_pending(const engine *e) { return e->n; }
uint64_t engine_popped(const engine *e) { return e->popped; }

int engine_check(const engine *e)
{
    for (size_t i = 1; i < e->n; i++)
        if (before(&e->heap[i], &e->heap[(i - 1) / 2]))
            return 0;
    return 1;
}
