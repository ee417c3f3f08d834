/* engine.h - the discrete-event core: a clock and a queue of future events.
 *
 * The engine knows nothing of datacenters. An event is a small by-value
 * record (time, sequence number, kind, index); the caller decides what kind
 * and index mean. Events pop in order of time, ties broken by the sequence
 * number given at scheduling, so a run is reproducible bit for bit.
 * Cost: O(log n) per schedule and pop, n = pending events; memory O(n).
 * Cancelling is done by the caller by marking (skip stale events on pop).
 */
#ifndef DCSIM_ENGINE_H
#define DCSIM_ENGINE_H

#include <stddef.h>
#include <stdint.h>

typedef struct engine_event {
    double t;      /* event time, s since the scenario start */
    uint64_t seq;  /* scheduling order; breaks ties of t */
    uint32_t kind; /* caller-defined kind */
    uint32_t idx;  /* caller-defined index (job slot, workload, ...) */
} engine_event;

typedef struct engine engine;

/* Returns a new engine with room for `hint` pending events, clock at 0, or
 * NULL if out of memory. Free with engine_free. */
engine *engine_alloc(size_t hint);
void engine_free(engine *e); /* NULL is a no-op */

/* Schedules an event at time t (t >= engine_now, not checked in release
 * builds). Returns 0, or -1 if out of memory. */
int engine_schedule(engine *e, double t, uint32_t kind, uint32_t idx);

/* Removes the earliest event into *out and advances the clock to its time.
 * Returns 1, or 0 if nothing is pending. */
int engine_pop(engine *e, engine_event *out);

/* Puts back the event just popped (only right after engine_pop, before any
 * schedule); the clock stays where the pop moved it. */
void engine_unpop(engine *e);

/* Time of the earliest pending event, or INFINITY if none. */
double engine_peek_time(engine *e);

double engine_now(const engine *e);      /* current clock, s */
size_t engine_pending(const engine *e);  /* events waiting */
uint64_t engine_popped(const engine *e); /* events delivered so far */

/* Verifies the heap order (for -DSIM_CHECK builds and tests). Returns 1 if
 * every parent precedes its children. O(n). */
int engine_check(const engine *e);

#endif
