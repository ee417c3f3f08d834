/* engine.c - binary min-heap of by-value events ordered by (time, seq).
 *
 * The heap is an array; the parent of i is (i-1)/2. Two savings:
 * - Deferred removal: engine_pop copies the root out but leaves it in place,
 *   marked as a hole. If the handler then schedules an event (the usual case:
 *   an arrival schedules the next arrival), the new event takes the root's
 *   place with one sift-down, instead of a removal plus an insertion. Any
 *   other operation first completes the removal.
 * - The removal moves the hole down to a leaf along the smaller children and
 *   sifts the last element up from there (Floyd's bottom-up variant), about
 *   half the comparisons of the textbook sift-down. */
#include "engine.h"

#include <math.h>
#include <stdlib.h>

struct engine {
    engine_event *heap; /* [cap] */
    size_t n, cap;
    uint64_t next_seq;
    uint64_t popped;
    double now;
    int hole; /* 1: heap[0] was popped but not yet removed */
};

/* a precedes b. Written with & and | rather than && and || so that the
 * compiler can evaluate it without branches: choosing the smaller child is a
 * coin flip that a branch predictor cannot learn. */
static inline int before(const engine_event *a, const engine_event *b)
{
    return (a->t < b->t) | ((a->t == b->t) & (a->seq < b->seq));
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

/* Places x at the root (which is free) and sifts it down. */
static void sift_down_root(engine *e, engine_event x)
{
    engine_event *h = e->heap;
    size_t n = e->n, i = 0, c;
    while ((c = 2 * i + 1) < n) {
        if (c + 1 < n)
            c += (size_t)before(&h[c + 1], &h[c]);
        if (!before(&h[c], &x))
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = x;
}

/* Completes a deferred removal of the root. */
static void remove_root(engine *e)
{
    e->hole = 0;
    size_t n = --e->n;
    if (n == 0)
        return;
    engine_event *h = e->heap;
    engine_event x = h[n];
    size_t i = 0, c;
    while ((c = 2 * i + 1) < n) { /* the hole goes down to a leaf */
        if (c + 1 < n)
            c += (size_t)before(&h[c + 1], &h[c]);
        h[i] = h[c];
        i = c;
    }
    while (i > 0) { /* x goes up from there */
        size_t p = (i - 1) >> 1;
        if (!before(&x, &h[p]))
            break;
        h[i] = h[p];
        i = p;
    }
    h[i] = x;
}

int engine_schedule(engine *e, double t, uint32_t kind, uint32_t idx)
{
    engine_event x = {t, e->next_seq++, kind, idx};
    if (e->hole) {
        e->hole = 0;
        sift_down_root(e, x);
        return 0;
    }
    if (e->n == e->cap) {
        size_t ncap = e->cap * 2;
        engine_event *nh = realloc(e->heap, ncap * sizeof *nh);
        if (!nh)
            return -1;
        e->heap = nh;
        e->cap = ncap;
    }
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
    if (e->hole)
        remove_root(e);
    if (e->n == 0)
        return 0;
    *out = e->heap[0];
    e->now = out->t;
    e->popped++;
    e->hole = 1;
    return 1;
}

void engine_unpop(engine *e)
{
    if (e->hole) {
        e->hole = 0;
        e->popped--;
    }
}

double engine_peek_time(engine *e)
{
    if (e->hole)
        remove_root(e);
    return e->n ? e->heap[0].t : INFINITY;
}
double engine_now(const engine *e) { return e->now; }
size_t engine_pending(const engine *e) { return e->n - (size_t)e->hole; }
uint64_t engine_popped(const engine *e) { return e->popped; }

int engine_check(const engine *e)
{
    for (size_t i = e->hole ? 3 : 1; i < e->n; i++) /* with a hole at the root, its children are free */
        if (before(&e->heap[i], &e->heap[(i - 1) / 2]))
            return 0;
    return 1;
}
