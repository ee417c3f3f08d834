/* sched.h - queueing and placement of jobs onto pools.
 *
 * Policy "fifo": one first-in-first-out queue per pool; a job starts only
 * when it is at the head of its pool's queue and enough nodes are free (the
 * head blocks the jobs behind it). Placement "first_fit": an arriving job
 * goes to the first of its candidate pools (scenario order) whose queue is
 * empty and that has enough free nodes; if none, it joins the queue of the
 * first candidate pool that could ever hold it (nodes on >= nodes asked);
 * if no candidate could ever hold it, it is rejected.
 * Cost per decision: O(candidate pools); queues are ring buffers, O(1).
 */
#ifndef DCSIM_SCHED_H
#define DCSIM_SCHED_H

#include <stddef.h>
#include <stdint.h>

#include "fleet.h"

typedef struct sched sched;

enum { SCHED_START, SCHED_QUEUE, SCHED_REJECT };

/* A scheduler for npools pools; NULL if out of memory. */
sched *sched_alloc(int npools);
void sched_free(sched *s); /* NULL is a no-op */

/* Decides where a job of `nodes` nodes goes among cand[0..ncand) (pool
 * indices): returns SCHED_START, SCHED_QUEUE or SCHED_REJECT, with the pool
 * in *pool for the first two. */
int sched_place(const sched *s, const pool_state *pools, const int *cand, int ncand, long long nodes,
                int *pool);

/* Appends job slot `slot` to pool's queue. Returns 0, or -1 if out of memory. */
int sched_enqueue(sched *s, int pool, int32_t slot);

/* The slot at the head of pool's queue, or -1 if it is empty. */
int32_t sched_head(const sched *s, int pool);
/* Removes the head of pool's queue. */
void sched_pop(sched *s, int pool);

size_t sched_queued(const sched *s); /* jobs waiting in all queues */

#endif
