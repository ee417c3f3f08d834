/* facility.c - the table of facility models (see facility.h). */
#include "facility.h"

#include <stddef.h>

static double constant_power_kw(const facility_params *p, double it_kw) { return p->pue * it_kw; }
static double constant_water_l(const facility_params *p, double it_kwh) { return p->wue_l_per_kwh * it_kwh; }

const facility_type facility_types[] = {
    {"constant", constant_power_kw, constant_water_l},
};
const char *const facility_names[] = {"constant", NULL};
