/* sched.h - queueing and placement of jobs onto pools.
 *
 * Queueing policies, one per pool, chosen by name (sched_policy_names):
 *   "fifo"      first in, first out; the head blocks the jobs behind it.
 *   "priority"  highest priority first (ties: arrival order); the top job
 *               blocks the others (no starvation of large high-priority jobs).
 *   "easy_backfill"  EASY backfilling (Lifka 1995, "The ANL/IBM SP
 *               scheduling system"; Mu'alem and Feitelson 2001, IEEE TPDS
 *               12(6)): FIFO order; when the head does not fit it gets a
 *               reservation at the shadow time t_s, the earliest time enough
 *               nodes are free given the running jobs' ends; a later job may
 *               start now if it fits in the free nodes and either ends by t_s
 *               or uses no more than the nodes left over at t_s ("extra"
 *               nodes). Run-time estimates are the jobs' true run times, so
 *               the head never starts after its first reservation (counted in
 *               sched_stats.reservation_violations; a test asserts 0).
 *               The scan stops after `depth` queued jobs (a scenario setting).
 * Placement across a job's candidate pools (sched_placement_names):
 *   "first_fit" the first candidate (scenario order) that can start the job
 *               now (empty queue, enough free nodes); else the queue of the
 *               first that could ever hold it; "least_energy", "least_carbon",
 *               "least_cost" the same with candidates ranked by a score the
 *               caller computes (sim.c: energy, emissions, cost of the job
 *               there now), lowest first, ties in scenario order.
 * A job no candidate could ever hold (nodes on + nodes that can be switched
 * on < nodes asked) is rejected.
 * Cost per decision: O(candidate pools). Queues: O(1) per push and pop for
 * fifo, O(log n) for priority; a backfill pass is O(r log r + depth), r the
 * pool's running jobs.
 */
#ifndef DCSIM_SCHED_H
#define DCSIM_SCHED_H

#include <stddef.h>
#include <stdint.h>

#include "fleet.h"

enum { SCHED_FIFO, SCHED_PRIORITY, SCHED_BACKFILL, SCHED_POLICY_COUNT };
extern const char *const sched_policy_names[]; /* "fifo", "priority", "easy_backfill", NULL */

enum { PLACE_FIRST_FIT, PLACE_LEAST_ENERGY, PLACE_LEAST_CARBON, PLACE_LEAST_COST, PLACE_COUNT };
extern const char *const sched_placement_names[]; /* "first_fit", "least_energy", "least_carbon", "least_cost", NULL */

typedef struct sched sched;

enum { SCHED_START, SCHED_QUEUE, SCHED_REJECT };

/* A queued job as the scheduler sees it. */
typedef struct sched_entry {
    int32_t slot;     /* caller's job slot */
    int32_t prio;     /* priority: higher goes first (policy "priority") */
    long long nodes;  /* nodes asked */
    double est_s;     /* run-time estimate, s (policy "easy_backfill") */
    uint64_t seq;     /* arrival order (set by sched_enqueue) */
    double reserve_s; /* first reservation (backfill), s; INFINITY if none */
} sched_entry;

typedef struct sched_stats {
    long long backfilled;             /* jobs started ahead of a blocked head */
    long long reservations;           /* heads given a reservation */
    long long reservation_violations; /* heads that started after their first reservation */
} sched_stats;

/* A scheduler for npools pools with the given policy per pool (SCHED_*)
 * and backfill depth (queued jobs scanned per pass, >= 1); NULL if out of
 * memory. */
sched *sched_alloc(int npools, const int *policy, int depth);
void sched_free(sched *s); /* NULL is a no-op */

/* Free nodes of a pool now: on, not busy, not waking. */
static inline long long sched_free_nodes(const pool_state *p) { return p->on - p->busy - p->waking; }

/* Decides where a job of `nodes` nodes goes among cand[0..ncand) (pool
 * indices): returns SCHED_START, SCHED_QUEUE or SCHED_REJECT, with the pool
 * in *pool for the first two. score[0..ncand) ranks the candidates (lower
 * first); NULL keeps their order (first fit). */
int sched_place(const sched *s, const pool_state *pools, const int *cand, const double *score, int ncand,
                long long nodes, int *pool);

/* Queues job e at pool (e->seq is set here). Returns 0, or -1 if out of memory. */
int sched_enqueue(sched *s, int pool, const sched_entry *e);

/* The next queued job of pool that may start now with `free_nodes` free
 * nodes under the pool's policy; it is removed from the queue and its slot
 * returned (the caller starts it and calls again), or -1 if none may start.
 * Backfill pools need sched_running_add / _remove to be kept up to date. */
int32_t sched_next(sched *s, int pool, double now, long long free_nodes);

/* The job the pool's policy would start first (the blocked head), or NULL
 * if the queue is empty. */
const sched_entry *sched_head(const sched *s, int pool);

/* Tracks a running job of a backfill pool: started with `nodes` nodes,
 * ending (by estimate) at end_s. No-ops for the other policies. Returns 0,
 * or -1 if out of memory. */
int sched_running_add(sched *s, int pool, int32_t slot, long long nodes, double end_s);
void sched_running_remove(sched *s, int pool, int32_t slot);

/* Removes job `slot` from pool's queue wherever it is (a job moved or
 * withdrawn). Returns 1 if it was there. O(queue). */
int sched_remove(sched *s, int pool, int32_t slot);

size_t sched_queued(const sched *s);               /* jobs waiting in all queues */
size_t sched_queued_pool(const sched *s, int pool); /* jobs waiting at pool */
long long sched_queued_nodes(const sched *s, int pool); /* nodes asked by the jobs waiting at pool */
const sched_stats *sched_get_stats(const sched *s);

#endif
