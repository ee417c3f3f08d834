/* fleet.c - pool counts and power (see fleet.h for the model). */
#include "fleet.h"

#include <string.h>

void fleet_pool_init(pool_state *p, const node_type *t, int site, long long count, long long on, double price)
{
    memset(p, 0, sizeof *p);
    p->site = site;
    p->count = count;
    p->on = on;
    p->idle_w = t->idle_w;
    p->dyn_w = t->max_w - t->idle_w;
    p->alpha = t->alpha;
    p->off_w = t->off_w;
    p->price_usd_per_h = price;
    p->embodied_kg_per_node_s =
        t->lifetime_years > 0 ? t->embodied_kgco2e / (t->lifetime_years * 365.25 * 86400.0) : 0.0;
    p->power_w = fleet_base_power_w(p);
}

double fleet_take(pool_state *p, double t, long long nodes, double u)
{
    return fleet_take_w(p, t, nodes, fleet_node_power_w(p, u));
}

double fleet_take_w(pool_state *p, double t, long long nodes, double node_w)
{
    fleet_advance(p, t);
    double w = (double)nodes * node_w;
    double extra = w - (double)nodes * p->idle_w;
    p->busy += nodes;
    p->jobs_power_w += w;
    p->power_w += extra;
    return w;
}

void fleet_release(pool_state *p, double t, long long nodes, double job_power_w)
{
    fleet_advance(p, t);
    p->busy -= nodes;
    if (p->busy == 0) { /* exact again: no drift from many additions */
        p->jobs_power_w = 0;
        p->power_w = fleet_base_power_w(p);
    } else {
        p->jobs_power_w -= job_power_w;
        p->power_w -= job_power_w - (double)nodes * p->idle_w;
    }
}

void fleet_close_step(pool_state *p)
{
    p->total_energy_j += p->step_energy_j;
    p->total_idle_energy_j += p->step_idle_energy_j;
    p->total_busy_node_s += p->step_busy_node_s;
    p->total_queued_s += p->step_queued_s;
    p->step_energy_j = p->step_idle_energy_j = p->step_busy_node_s = p->step_on_node_s = p->step_queued_s = 0;
}

void fleet_wake(pool_state *p, double t, long long n)
{
    fleet_advance(p, t);
    p->on += n;
    p->waking += n;
    p->can_wake -= n;
    p->power_w += (double)n * (p->boot_w - p->off_w);
}

void fleet_wake_done(pool_state *p, double t, long long n)
{
    fleet_advance(p, t);
    p->waking -= n;
    p->power_w += (double)n * (p->idle_w - p->boot_w);
}

void fleet_switch_off(pool_state *p, double t, long long n)
{
    fleet_advance(p, t);
    p->on -= n;
    p->can_wake += n;
    p->power_w += (double)n * (p->off_w - p->idle_w);
}
