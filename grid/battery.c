/* battery.c - daily clean/dirty-hour battery policy (see battery.h). */
#include "battery.h"

#include <math.h>

void battery_plan(const battery_params *p, const double intensity[24], signed char plan[24])
{
    int idx[24], n = 0;
    for (int h = 0; h < 24; h++) {
        plan[h] = 0;
        if (!isnan(intensity[h]))
            idx[n++] = h;
    }
    /* insertion sort of the hours by intensity, ties by hour (deterministic) */
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && (intensity[idx[j]] < intensity[idx[j - 1]] ||
                                  (intensity[idx[j]] == intensity[idx[j - 1]] && idx[j] < idx[j - 1]));
             j--) {
            int t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
        }
    int k = p->power_kw > 0 ? (int)ceil(p->capacity_kwh / p->power_kw) : 0;
    for (int i = 0; i < k && i < n - 1 - i; i++) {
        int clean = idx[i], dirty = idx[n - 1 - i];
        if (intensity[dirty] * p->round_trip_eff > intensity[clean]) {
            plan[clean] = 1;
            plan[dirty] = -1;
        }
    }
}

double battery_step(const battery_params *p, battery_state *st, int action, double load_kw, double dt_s,
                    double *charge_kw, double *discharge_kw)
{
    double h = dt_s / 3600.0, eta = sqrt(p->round_trip_eff);
    *charge_kw = *discharge_kw = 0;
    if (h <= 0)
        return load_kw;
    if (action > 0) {
        double room = (p->capacity_kwh - st->soc_kwh) / eta / h; /* kW drawn that would fill it */
        *charge_kw = fmax(0.0, fmin(p->power_kw, room));
        st->soc_kwh = fmin(p->capacity_kwh, st->soc_kwh + *charge_kw * h * eta);
    } else if (action < 0) {
        double avail = st->soc_kwh * eta / h; /* kW it can deliver for the step */
        *discharge_kw = fmax(0.0, fmin(fmin(p->power_kw, avail), load_kw));
        st->soc_kwh = fmax(0.0, st->soc_kwh - *discharge_kw * h / eta);
    }
    return load_kw + *charge_kw - *discharge_kw;
}
