/* fleet.h - pools of identical nodes: counts, power, and its exact integral.
 *
 * Node power model (per node, W):
 *     P(u) = P_idle + (P_max - P_idle) * u^alpha,   u in [0, 1]
 * an idle node draws P_idle, a switched-off node P_off. alpha = 1 is the
 * linear model of Barroso and Hoelzle ("The Case for Energy-Proportional
 * Computing", IEEE Computer 2007) and of SimGrid's host_energy plugin; alpha
 * and the figures come from the catalog (scenarios/hardware.cfg).
 *
 * A pool keeps counts and its total power, never a list of nodes: taking or
 * releasing nodes is O(1). Power is constant between two changes, so energy
 * is integrated exactly and lazily: each change first adds P * dt since the
 * last change (as SimGrid's energy plugin does), then switches the power.
 * Worked example: one node, P_idle = 100 W, idle for 3600 s -> 360 kJ = 0.1 kWh.
 */
#ifndef DCSIM_FLEET_H
#define DCSIM_FLEET_H

#include <math.h>

#include "catalog.h"

typedef struct pool_state {
    int site;               /* index of the pool's site */
    long long count;        /* nodes in the pool */
    long long on;           /* nodes powered on */
    long long busy;         /* nodes running a job */
    long long waking;       /* nodes being switched on (counted in on, neither idle nor busy) */
    long long can_wake;     /* off nodes the pool may switch on when jobs wait (power management) */
    double idle_w;          /* P_idle per node, W */
    double dyn_w;           /* P_max - P_idle per node, W */
    double alpha;           /* power-curve exponent */
    double off_w;           /* P_off per node, W */
    double boot_w;          /* power of a node while it is switched on (waking), W */
    int managed;            /* 1: off nodes are switched on when jobs wait (power management) */
    double price_usd_per_h; /* per node-hour, USD */
    double embodied_kg_per_node_s; /* manufacturing emissions / lifetime, kg CO2e per node-second */

    double power_w;         /* pool power now, W */
    double jobs_power_w;    /* part of power_w drawn by busy nodes, W */
    double last_t;          /* time power_w was last integrated to, s */
    long long queued;       /* jobs waiting at the pool (kept by sim.c) */

    /* integrals over the current accounting step */
    double step_energy_j;      /* all nodes, J */
    double step_idle_energy_j; /* idle and off nodes, J */
    double step_busy_node_s;   /* busy node-seconds */
    double step_on_node_s;     /* powered-on node-seconds */
    double step_queued_s;      /* integral of the jobs waiting, job-seconds */

    /* integrals over the whole run */
    double total_energy_j;
    double total_idle_energy_j;
    double total_busy_node_s;
    double total_queued_s;     /* integral of the jobs waiting over the run, job-seconds */
} pool_state;

/* Sets p up for node type t with count nodes of which `on` are powered.
 * Embodied carbon is amortised linearly over the node's lifetime:
 * embodied_kgco2e / (lifetime_years * 365.25 * 86400) kg per node-second
 * (0 if the catalog gives no lifetime). */
void fleet_pool_init(pool_state *p, const node_type *t, int site, long long count, long long on, double price);

/* Node power at utilisation u, W. */
static inline double fleet_node_power_w(const pool_state *p, double u)
{
    if (p->alpha == 1.0)
        return p->idle_w + p->dyn_w * u;
    return p->idle_w + p->dyn_w * pow(u, p->alpha);
}

/* Integrates p's power up to time t (t >= p->last_t). O(1). */
static inline void fleet_advance(pool_state *p, double t)
{
    double dt = t - p->last_t;
    double idle_w = p->power_w - p->jobs_power_w;
    p->step_energy_j += p->power_w * dt;
    p->step_idle_energy_j += idle_w * dt;
    p->step_busy_node_s += (double)p->busy * dt;
    p->step_on_node_s += (double)p->on * dt;
    p->step_queued_s += (double)p->queued * dt;
    p->last_t = t;
}

/* Starts `nodes` nodes at utilisation u at time t; returns the power they
 * then draw in all (nodes * P(u)), W. The caller checks free nodes. */
double fleet_take(pool_state *p, double t, long long nodes, double u);
/* The same with a given power per node, node_w W (a measured figure). */
double fleet_take_w(pool_state *p, double t, long long nodes, double node_w);

/* Releases nodes that drew job_power_w at time t. */
void fleet_release(pool_state *p, double t, long long nodes, double job_power_w);

/* Changes the number of jobs waiting at the pool by dq at time t. */
static inline void fleet_queue_add(pool_state *p, double t, long long dq)
{
    fleet_advance(p, t);
    p->queued += dq;
}

/* Moves the step integrals into the run totals and zeroes them. */
void fleet_close_step(pool_state *p);

/* Power of a pool with no job running, W: idle nodes, waking nodes, off nodes. */
static inline double fleet_base_power_w(const pool_state *p)
{
    return (double)(p->on - p->waking) * p->idle_w + (double)p->waking * p->boot_w +
           (double)(p->count - p->on) * p->off_w;
}

/* Power management (sim/power.h). Switches n off nodes on at time t: they
 * draw boot_w until fleet_wake_done. */
void fleet_wake(pool_state *p, double t, long long n);
/* n waking nodes are up (idle) at time t. */
void fleet_wake_done(pool_state *p, double t, long long n);
/* Switches n idle nodes off at time t. */
void fleet_switch_off(pool_state *p, double t, long long n);

#endif
