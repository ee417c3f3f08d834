/* sched.c - FIFO queues per pool and first-fit placement (see sched.h). */
#include "sched.h"

#include <stdlib.h>

typedef struct queue {
    int32_t *slot; /* ring buffer [cap] */
    size_t head, n, cap;
} queue;

struct sched {
    queue *q; /* [npools] */
    int npools;
    size_t queued;
};

sched *sched_alloc(int npools)
{
    sched *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->q = calloc((size_t)npools, sizeof *s->q);
    if (!s->q) {
        free(s);
        return NULL;
    }
    s->npools = npools;
    return s;
}

void sched_free(sched *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->npools; i++)
        free(s->q[i].slot);
    free(s->q);
    free(s);
}

int sched_place(const sched *s, const pool_state *pools, const int *cand, int ncand, long long nodes, int *pool)
{
    int fit = -1;
    for (int i = 0; i < ncand; i++) {
        const pool_state *p = &pools[cand[i]];
        if (s->q[cand[i]].n == 0 && p->on - p->busy >= nodes) {
            *pool = cand[i];
            return SCHED_START;
        }
        if (fit < 0 && p->on >= nodes)
            fit = cand[i];
    }
    if (fit < 0)
        return SCHED_REJECT;
    *pool = fit;
    return SCHED_QUEUE;
}

int sched_enqueue(sched *s, int pool, int32_t slot)
{
    queue *q = &s->q[pool];
    if (q->n == q->cap) {
        size_t ncap = q->cap ? q->cap * 2 : 64;
        int32_t *ns = malloc(ncap * sizeof *ns);
        if (!ns)
            return -1;
        for (size_t k = 0; k < q->n; k++)
            ns[k] = q->slot[(q->head + k) % q->cap];
        free(q->slot);
        q->slot = ns;
        q->head = 0;
        q->cap = ncap;
    }
    q->slot[(q->head + q->n) % q->cap] = slot;
    q->n++;
    s->queued++;
    return 0;
}

int32_t sched_head(const sched *s, int pool)
{
    const queue *q = &s->q[pool];
    return q->n ? q->slot[q->head] : -1;
}

void sched_pop(sched *s, int pool)
{
    queue *q = &s->q[pool];
    if (!q->n)
        return;
    q->head = (q->head + 1) % q->cap;
    q->n--;
    s->queued--;
}

size_t sched_queued(const sched *s) { return s->queued; }
