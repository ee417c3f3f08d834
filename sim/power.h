/* power.h - power management of a pool: idle nodes off after a timeout,
 * off nodes switched on when jobs wait.
 *
 * Model (per node): a node idle for `idle_off_after` seconds is switched off
 * and draws P_off; when the jobs waiting at the pool ask for more nodes than
 * are free or waking, off nodes are switched on: each draws
 * P_boot = boot_energy / wake_latency for wake_latency seconds (so a boot
 * costs boot_energy), then is idle. At least min_on nodes stay on. Jobs take
 * the most recently idled nodes first, so the longest-idle nodes are the
 * ones that reach the timeout (the policy of keeping a warm pool small).
 * The same model as SimGrid's host on/off with boot and shutdown energy
 * (Orgerie, Lefevre and Gelas, "Save watts in your grid", 2008, on the
 * on/off trade-off: switch off when the idle time exceeds boot energy /
 * (P_idle - P_off)).
 *
 * Idle nodes are kept as batches (time they became idle, count) in a
 * deque: taking, adding and expiring are O(1) amortised; no per-node state.
 * Waking nodes are batches in order of completion (the latency is fixed).
 */
#ifndef DCSIM_POWER_H
#define DCSIM_POWER_H

#include <stddef.h>

typedef struct power_batch {
    double t;    /* became idle / finishes waking at, s */
    long long n; /* nodes */
} power_batch;

typedef struct power_pool {
    double off_after_s;    /* idle time before a node is switched off, s (INFINITY: never) */
    double wake_s;         /* wake latency, s */
    double boot_w;         /* power while waking, W */
    long long min_on;      /* nodes never switched off */
    power_batch *idle;     /* idle batches, oldest first: ring [cap] */
    size_t ihead, in, icap;
    power_batch *wake;     /* waking batches, earliest first: ring [cap] */
    size_t whead, wn, wcap;
    long long boots;       /* nodes switched on over the run */
    long long offs;        /* nodes switched off over the run */
} power_pool;

/* Adds n nodes that became idle at t. Returns 0, or -1 if out of memory. */
int power_idle_push(power_pool *pp, double t, long long n);
/* Removes n idle nodes, newest first (they start a job). */
void power_idle_take(power_pool *pp, long long n);
/* Nodes idle since t - off_after_s or earlier, at most `most`, removed from
 * the idle batches: the nodes to switch off now. */
long long power_expire(power_pool *pp, double t, long long most);
/* n nodes start waking at t; returns 0 (they finish at t + wake_s), or -1
 * if out of memory. */
int power_wake_push(power_pool *pp, double t, long long n);
/* The earliest waking batch's nodes (removed), or 0 if none. */
long long power_wake_pop(power_pool *pp);
void power_free(power_pool *pp);

#endif
