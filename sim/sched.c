/* sched.c - queues per pool (fifo, priority, EASY backfill) and placement (see sched.h). */
#include "sched.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const sched_policy_names[] = {"fifo", "priority", "easy_backfill", NULL};
const char *const sched_placement_names[] = {"first_fit", "least_energy", "least_carbon", "least_cost", NULL};

/* A queue: an array of entries. fifo and backfill keep arrival order with
 * removed entries marked (slot -1) and skipped, compacted when the dead
 * outnumber the live; priority keeps a binary heap in e[0..n). */
typedef struct queue {
    sched_entry *e;
    size_t head;      /* first possibly live entry (fifo, backfill) */
    size_t n, cap;    /* entries in use (live and dead), allocated */
    size_t live;      /* live entries */
    long long nodes;  /* nodes asked by the live entries */
} queue;

typedef struct running {
    double end_s;
    long long nodes;
    int32_t slot;
} running;

typedef struct runset {
    running *r;
    size_t n, cap;
} runset;

/* A policy: how a job joins the queue and which job may start next. */
typedef struct policy_type {
    int (*push)(queue *q, const sched_entry *e);
    sched_entry *(*top)(queue *q); /* the job the policy starts first, or NULL */
    void (*pop)(queue *q);        /* removes top() */
    int backfill;                 /* 1: later jobs may start around a blocked top */
} policy_type;

struct sched {
    queue *q;         /* [npools] */
    runset *run;      /* [npools] running jobs of backfill pools */
    int *policy;      /* [npools] */
    int npools, depth;
    size_t queued;
    uint64_t seq;
    int32_t *runpos;  /* [nrunpos] slot -> index in its pool's runset */
    size_t nrunpos;
    running *scratch; /* sorting buffer */
    size_t nscratch;
    sched_stats st;
};

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap : 64;
    while (nc < need)
        nc *= 2;
    void *np = realloc(*p, nc * size);
    if (!np)
        return -1;
    *p = np;
    *cap = nc;
    return 0;
}

/* ---- arrival order (fifo, backfill) ---------------------------------- */

static int ord_push(queue *q, const sched_entry *e)
{
    if (q->n == q->cap && q->head > 0 && q->head >= q->n / 2) { /* slide the live part down */
        memmove(q->e, q->e + q->head, (q->n - q->head) * sizeof *q->e);
        q->n -= q->head;
        q->head = 0;
    }
    if (grow((void **)&q->e, &q->cap, q->n + 1, sizeof *q->e))
        return -1;
    q->e[q->n++] = *e;
    return 0;
}

static sched_entry *ord_top(queue *q)
{
    while (q->head < q->n && q->e[q->head].slot < 0)
        q->head++;
    if (q->head == q->n) {
        q->head = q->n = 0;
        return NULL;
    }
    return &q->e[q->head];
}

static void ord_pop(queue *q) { q->e[q->head++].slot = -1; }

/* Drops the dead entries when they outnumber the live ones. */
static void ord_compact(queue *q)
{
    if (q->n - q->head <= 2 * q->live + 16)
        return;
    size_t w = 0;
    for (size_t i = q->head; i < q->n; i++)
        if (q->e[i].slot >= 0)
            q->e[w++] = q->e[i];
    q->head = 0;
    q->n = w;
}

/* ---- priority heap ------------------------------------------------------- */

static int prio_before(const sched_entry *a, const sched_entry *b)
{
    return a->prio > b->prio || (a->prio == b->prio && a->seq < b->seq);
}

static void heap_up(sched_entry *h, size_t i)
{
    sched_entry x = h[i];
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!prio_before(&x, &h[p]))
            break;
        h[i] = h[p];
        i = p;
    }
    h[i] = x;
}

static void heap_down(sched_entry *h, size_t n, size_t i)
{
    sched_entry x = h[i];
    size_t c;
    while ((c = 2 * i + 1) < n) {
        if (c + 1 < n && prio_before(&h[c + 1], &h[c]))
            c++;
        if (!prio_before(&h[c], &x))
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = x;
}

static int prio_push(queue *q, const sched_entry *e)
{
    if (grow((void **)&q->e, &q->cap, q->n + 1, sizeof *q->e))
        return -1;
    q->e[q->n] = *e;
    heap_up(q->e, q->n++);
    return 0;
}

static sched_entry *prio_top(queue *q) { return q->n ? &q->e[0] : NULL; }

static void heap_remove_at(queue *q, size_t i)
{
    q->n--;
    if (i == q->n)
        return;
    q->e[i] = q->e[q->n];
    heap_down(q->e, q->n, i);
    heap_up(q->e, i);
}

static void prio_pop(queue *q) { heap_remove_at(q, 0); }

static const policy_type policy_types[SCHED_POLICY_COUNT] = {
    [SCHED_FIFO] = {ord_push, ord_top, ord_pop, 0},
    [SCHED_PRIORITY] = {prio_push, prio_top, prio_pop, 0},
    [SCHED_BACKFILL] = {ord_push, ord_top, ord_pop, 1},
};

/* ---- the scheduler -------------------------------------------------------- */

sched *sched_alloc(int npools, const int *policy, int depth)
{
    sched *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->q = calloc((size_t)npools, sizeof *s->q);
    s->run = calloc((size_t)npools, sizeof *s->run);
    s->policy = calloc((size_t)npools, sizeof *s->policy);
    if (!s->q || !s->run || !s->policy) {
        sched_free(s);
        return NULL;
    }
    for (int i = 0; i < npools; i++)
        s->policy[i] = policy ? policy[i] : SCHED_FIFO;
    s->npools = npools;
    s->depth = depth > 0 ? depth : 1;
    return s;
}

void sched_free(sched *s)
{
    if (!s)
        return;
    for (int i = 0; s->q && i < s->npools; i++)
        free(s->q[i].e);
    for (int i = 0; s->run && i < s->npools; i++)
        free(s->run[i].r);
    free(s->q);
    free(s->run);
    free(s->policy);
    free(s->runpos);
    free(s->scratch);
    free(s);
}

int sched_place(const sched *s, const pool_state *pools, const int *cand, const double *score, int ncand,
                long long nodes, int *pool)
{
    int start = -1, fit = -1;
    for (int i = 0; i < ncand; i++) {
        const pool_state *p = &pools[cand[i]];
        if (s->q[cand[i]].live == 0 && sched_free_nodes(p) >= nodes &&
            (start < 0 || (score && score[i] < score[start])))
            start = i;
        if (p->on + p->can_wake >= nodes && (fit < 0 || (score && score[i] < score[fit])))
            fit = i;
        if (!score && start >= 0)
            break;
    }
    if (start >= 0) {
        *pool = cand[start];
        return SCHED_START;
    }
    if (fit < 0)
        return SCHED_REJECT;
    *pool = cand[fit];
    return SCHED_QUEUE;
}

int sched_enqueue(sched *s, int pool, const sched_entry *e)
{
    queue *q = &s->q[pool];
    sched_entry x = *e;
    x.seq = s->seq++;
    x.reserve_s = INFINITY;
    if (policy_types[s->policy[pool]].push(q, &x))
        return -1;
    q->live++;
    q->nodes += x.nodes;
    s->queued++;
    return 0;
}

static int cmp_end(const void *a, const void *b)
{
    const running *x = a, *y = b;
    return (x->end_s > y->end_s) - (x->end_s < y->end_s);
}

/* Shadow time of a head of `need` nodes with `free_nodes` free now: the
 * earliest end of the running jobs by which enough nodes are free, and the
 * nodes left over then. Returns 0, or -1 if the running jobs never free
 * enough (the head waits for nodes being switched on) or out of memory. */
static int shadow_time(sched *s, int pool, long long free_nodes, long long need, double *shadow, long long *extra)
{
    runset *rs = &s->run[pool];
    if (grow((void **)&s->scratch, &s->nscratch, rs->n + 1, sizeof *s->scratch))
        return -1;
    memcpy(s->scratch, rs->r, rs->n * sizeof *rs->r);
    qsort(s->scratch, rs->n, sizeof *s->scratch, cmp_end);
    long long avail = free_nodes;
    for (size_t i = 0; i < rs->n; i++) {
        avail += s->scratch[i].nodes;
        if (avail >= need) {
            *shadow = s->scratch[i].end_s;
            *extra = avail - need;
            return 0;
        }
    }
    return -1;
}

static void taken(sched *s, queue *q, const sched_entry *e)
{
    q->live--;
    q->nodes -= e->nodes;
    s->queued--;
}

int32_t sched_next(sched *s, int pool, double now, long long free_nodes)
{
    queue *q = &s->q[pool];
    const policy_type *pt = &policy_types[s->policy[pool]];
    sched_entry *h = pt->top(q);
    if (!h)
        return -1;
    if (h->nodes <= free_nodes) {
        sched_entry x = *h;
        pt->pop(q);
        taken(s, q, &x);
        if (isfinite(x.reserve_s) && now > x.reserve_s + 1e-9 * fmax(1.0, fabs(x.reserve_s)))
            s->st.reservation_violations++;
        return x.slot;
    }
    if (!pt->backfill)
        return -1;
    double shadow;
    long long extra;
    if (shadow_time(s, pool, free_nodes, h->nodes, &shadow, &extra))
        return -1;
    if (!isfinite(h->reserve_s)) {
        h->reserve_s = shadow;
        s->st.reservations++;
    }
    int seen = 0;
    for (size_t i = q->head + 1; i < q->n && seen < s->depth; i++) {
        sched_entry *c = &q->e[i];
        if (c->slot < 0)
            continue;
        seen++;
        if (c->nodes <= free_nodes && (now + c->est_s <= shadow || c->nodes <= extra)) {
            int32_t slot = c->slot;
            taken(s, q, c);
            c->slot = -1;
            s->st.backfilled++;
            ord_compact(q);
            return slot;
        }
    }
    return -1;
}

const sched_entry *sched_head(const sched *s, int pool)
{
    return policy_types[s->policy[pool]].top(&s->q[pool]);
}

int sched_running_add(sched *s, int pool, int32_t slot, long long nodes, double end_s)
{
    if (!policy_types[s->policy[pool]].backfill)
        return 0;
    runset *rs = &s->run[pool];
    if (grow((void **)&rs->r, &rs->cap, rs->n + 1, sizeof *rs->r))
        return -1;
    if ((size_t)slot >= s->nrunpos) {
        size_t cap = s->nrunpos;
        if (grow((void **)&s->runpos, &cap, (size_t)slot + 1, sizeof *s->runpos))
            return -1;
        s->nrunpos = cap;
    }
    rs->r[rs->n] = (running){end_s, nodes, slot};
    s->runpos[slot] = (int32_t)rs->n++;
    return 0;
}

void sched_running_remove(sched *s, int pool, int32_t slot)
{
    if (!policy_types[s->policy[pool]].backfill)
        return;
    runset *rs = &s->run[pool];
    size_t i = (size_t)s->runpos[slot];
    rs->r[i] = rs->r[--rs->n];
    if (i < rs->n)
        s->runpos[rs->r[i].slot] = (int32_t)i;
}

int sched_remove(sched *s, int pool, int32_t slot)
{
    queue *q = &s->q[pool];
    int heap = s->policy[pool] == SCHED_PRIORITY;
    for (size_t i = heap ? 0 : q->head; i < q->n; i++) {
        if (q->e[i].slot != slot)
            continue;
        sched_entry x = q->e[i];
        taken(s, q, &x);
        if (heap)
            heap_remove_at(q, i);
        else
            q->e[i].slot = -1;
        return 1;
    }
    return 0;
}

size_t sched_queued(const sched *s) { return s->queued; }
size_t sched_queued_pool(const sched *s, int pool) { return s->q[pool].live; }
long long sched_queued_nodes(const sched *s, int pool) { return s->q[pool].nodes; }
const sched_stats *sched_get_stats(const sched *s) { return &s->st; }
