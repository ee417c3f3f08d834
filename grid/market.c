/* market.c - market-based accounting and hourly CFE matching (see market.h). */
#include "market.h"

#include <math.h>

#define YEAR_S (365.0 * 86400.0)

void market_account(const market_params *p, market_state *st, double dt_s, double e_kwh, double ppa_kwh,
                    double grid_cfe, market_step *out)
{
    double matched = fmin(e_kwh, ppa_kwh);
    double cert = p->certificates_mwh_per_year * 1e3 * dt_s / YEAR_S;
    st->bank_kwh += (ppa_kwh - matched) + cert;
    double rest = e_kwh - matched;
    double banked = fmin(rest, st->bank_kwh);
    st->bank_kwh -= banked;
    out->matched_kwh = matched;
    out->banked_kwh = banked;
    out->uncovered_kwh = rest - banked;
    out->emissions_kg = out->uncovered_kwh * p->residual_mix_g_per_kwh / 1000.0;
    out->cfe_kwh = matched + grid_cfe * rest;
    st->ppa_kwh += ppa_kwh;
    st->cert_kwh += cert;
    st->consumption_kwh += e_kwh;
}

double market_annual_kg(const market_params *p, const market_state *st)
{
    double covered = fmin(st->consumption_kwh, st->ppa_kwh + st->cert_kwh);
    return (st->consumption_kwh - covered) * p->residual_mix_g_per_kwh / 1000.0;
}
