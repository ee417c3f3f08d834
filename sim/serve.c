/* serve.c - inference serving per request and per step, and the autoscaler
 * (see serve.h for the models). */
#include "serve.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "perf.h"
#include "rng.h"
#include "workload.h"

enum { K_END, K_TRY, K_SCALE, K_WAKE };

/* Latency histogram: bin 0 below 2^-20 s, then 128 bins per octave up to
 * 2^24 s, then one bin for everything above. Counts are doubles so the
 * fluid mode can add fractional weights. */
#define H_SUB 7
#define H_EMIN (-20)
#define H_EMAX 24
#define H_NB (2 + (H_EMAX - H_EMIN) * (1 << H_SUB))

typedef struct hist {
    double *c;      /* [H_NB] */
    double n;       /* total weight */
    double sum;     /* weighted sum of the values, s */
    int lo, hi;     /* bins touched: [lo, hi] (lo > hi: none) */
} hist;

static inline int hist_bin(double x)
{
    if (!(x >= 0x1p-20))
        return 0;
    if (x >= 0x1p24)
        return H_NB - 1;
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    int e = (int)(u >> 52) - 1023;
    int m = (int)((u >> (52 - H_SUB)) & ((1u << H_SUB) - 1));
    return 1 + (e - H_EMIN) * (1 << H_SUB) + m;
}

/* The midpoint of bin i, s. */
static double hist_mid(int i)
{
    if (i <= 0)
        return 0x1p-21;
    if (i >= H_NB - 1)
        return 0x1p24;
    int e = (i - 1) / (1 << H_SUB) + H_EMIN, m = (i - 1) % (1 << H_SUB);
    return ldexp(1.0 + (m + 0.5) / (1 << H_SUB), e);
}

static inline void hist_add(hist *h, double x, double w)
{
    int i = hist_bin(x);
    h->c[i] += w;
    h->n += w;
    h->sum += w * x;
    if (i < h->lo)
        h->lo = i;
    if (i > h->hi)
        h->hi = i;
}

/* The q-quantile (nearest rank: the smallest value with at least q n of the
 * weight at or below it), or NaN if empty. */
static double hist_quantile(const hist *h, double q)
{
    if (h->n <= 0)
        return NAN;
    double want = q * h->n, cum = 0;
    for (int i = h->lo; i <= h->hi; i++) {
        cum += h->c[i];
        if (cum >= want * (1.0 - 1e-12) && h->c[i] > 0)
            return hist_mid(i);
    }
    return hist_mid(h->hi);
}

/* Adds src into dst and empties src. */
static void hist_merge_clear(hist *dst, hist *src)
{
    for (int i = src->lo; i <= src->hi; i++) {
        dst->c[i] += src->c[i];
        src->c[i] = 0;
    }
    if (src->lo < dst->lo)
        dst->lo = src->lo;
    if (src->hi > dst->hi)
        dst->hi = src->hi;
    dst->n += src->n;
    dst->sum += src->sum;
    src->n = src->sum = 0;
    src->lo = H_NB;
    src->hi = -1;
}

static int hist_init(hist *h)
{
    h->c = calloc(H_NB, sizeof *h->c);
    h->n = h->sum = 0;
    h->lo = H_NB;
    h->hi = -1;
    return h->c ? 0 : -1;
}

#define NSER 6 /* requests, p95_ttft_s, p95_e2e_s, slo_violations, queue, plus the time */

typedef struct serve_wl {
    const scn_workload *w;
    const scn_serving *cfg;
    int wl, pool;
    pool_state *p;
    power_pool *pw;
    gsl_rng *rng;
    double horizon, step_s;
    double day0;             /* seconds of the UTC day at t = 0 */
    int64_t start_epoch;     /* UTC epoch of t = 0 */
    double lmax;             /* thinning bound m (1 + A), 1/s */
    double next_arr;         /* the next arrival not yet queued, s (INFINITY: none) */
    double *q;               /* ring of queued arrival times [qcap], qcap a power of 2 */
    size_t qhead, qn, qcap;
    long long B;             /* max batch */
    double *T, *F;           /* [B + 1] batch time and first-token time by size, s */
    double u, node_w;        /* utilisation of a serving node; > 0: its given power, W */
    double trigger_t;        /* pending batch-start event, s (INFINITY: none) */
    /* autoscaler */
    double up_since, down_since; /* start of the current wish to scale, s (INFINITY: none) */
    double as_cum;           /* busy node-seconds at the last evaluation */
    /* fluid */
    double f_rate;           /* the current step's mean rate, 1/s */
    long long f_nodes;       /* nodes the fluid load holds */
    double f_power_w;        /* their power, W */
    double f_b, f_busy;      /* the current batch size and busy nodes */
    double backlog;          /* requests the nodes could not serve yet */
    /* results */
    hist step_ttft, step_e2e, run_ttft, run_e2e;
    double step_req, step_viol;
    serve_result r;
    double *ser;             /* [nser][NSER] row-major */
    long nser, capser;
} serve_wl;

struct serve {
    serve_wl *v;
    int n;
    int *of_wl;              /* [nworkloads] index into v, -1 */
    int nworkloads;
    engine *eng;
    uint32_t base;
};

/* ---- arrivals ---------------------------------------------------------- */

static inline double rate_at(const serve_wl *v, double t)
{
    const scn_workload *w = v->w;
    double h = fmod(v->day0 + t, 86400.0) / 3600.0;
    return w->rate_mean_per_s * (1.0 + w->diurnal_amplitude * cos(2.0 * M_PI * (h - w->peak_hour_utc) / 24.0));
}

/* The first arrival after t (INFINITY at or past the horizon), by thinning. */
static double next_arrival(serve_wl *v, double t)
{
    if (!(v->lmax > 0))
        return INFINITY;
    for (;;) {
        t -= log(gsl_rng_uniform_pos(v->rng)) / v->lmax;
        if (t >= v->horizon)
            return INFINITY;
        if (v->w->diurnal_amplitude == 0 || gsl_rng_uniform(v->rng) * v->lmax < rate_at(v, t))
            return t;
    }
}

static int q_push(serve_wl *v, double a)
{
    if (v->qn == v->qcap) {
        size_t nc = v->qcap ? v->qcap * 2 : 1024;
        double *nq = malloc(nc * sizeof *nq);
        if (!nq)
            return -1;
        for (size_t k = 0; k < v->qn; k++)
            nq[k] = v->q[(v->qhead + k) & (v->qcap - 1)];
        free(v->q);
        v->q = nq;
        v->qhead = 0;
        v->qcap = nc;
    }
    v->q[(v->qhead + v->qn) & (v->qcap - 1)] = a;
    v->qn++;
    return 0;
}

static inline double q_at(const serve_wl *v, size_t k) { return v->q[(v->qhead + k) & (v->qcap - 1)]; }

/* Moves the next arrival into the queue and draws the one after it. */
static inline int q_take_arrival(serve_wl *v)
{
    if (q_push(v, v->next_arr))
        return -1;
    v->next_arr = next_arrival(v, v->next_arr);
    return 0;
}

/* ---- request mode ------------------------------------------------------ */

/* Starts a batch of the first b queued requests on one node at now. */
static int batch_start(serve *sv, serve_wl *v, long long b, double now)
{
    double T = v->T[b], F = v->F[b];
    double ft = now + F, et = now + T;
    double slo_f = v->cfg->slo_ttft_s, slo_e = v->cfg->slo_e2e_s;
    double viol = 0;
    for (long long i = 0; i < b; i++) {
        double a = v->q[v->qhead];
        v->qhead = (v->qhead + 1) & (v->qcap - 1);
        double ttft = ft - a, e2e = et - a;
        hist_add(&v->step_ttft, ttft, 1.0);
        hist_add(&v->step_e2e, e2e, 1.0);
        viol += ttft > slo_f || e2e > slo_e;
    }
    v->qn -= (size_t)b;
    v->step_req += (double)b;
    v->step_viol += viol;
    v->r.requests += (double)b;
    v->r.batches += 1.0;
    if (v->node_w > 0)
        fleet_take_w(v->p, now, 1, v->node_w);
    else
        fleet_take(v->p, now, 1, v->u);
    return engine_schedule(sv->eng, et, sv->base + K_END, (uint32_t)(v - sv->v));
}

/* Starts every batch that may start at now; schedules the next start. */
static int pump(serve *sv, serve_wl *v, double now)
{
    const long long B = v->B;
    const double wait = v->cfg->max_wait_s;
    for (;;) {
        pool_state *p = v->p;
        if (p->on - p->busy - p->waking <= 0)
            return 0;
        if (v->qn == 0) {
            if (!isfinite(v->next_arr))
                return 0;
            if (q_take_arrival(v))
                return -1;
        }
        double deadline = v->q[v->qhead] + wait, lim = deadline > now ? deadline : now;
        while ((long long)v->qn < B && v->next_arr <= lim)
            if (q_take_arrival(v))
                return -1;
        double start = (long long)v->qn >= B ? q_at(v, (size_t)B - 1) : deadline;
        if (start > now) {
            if (start != v->trigger_t) {
                v->trigger_t = start;
                if (engine_schedule(sv->eng, start, sv->base + K_TRY, (uint32_t)(v - sv->v)))
                    return -1;
            }
            return 0;
        }
        long long b = (long long)v->qn < B ? (long long)v->qn : B;
        if (batch_start(sv, v, b, now))
            return -1;
    }
}

/* ---- the batch-size model of fluid mode --------------------------------- */

/* T or F at a real batch size b in [1, B] (linear between the table's sizes). */
static double interp(const double *tab, long long B, double b)
{
    if (b <= 1)
        return tab[1];
    if (b >= (double)B)
        return tab[B];
    long long k = (long long)b;
    double f = b - (double)k;
    return tab[k] + f * (tab[k + 1] - tab[k]);
}

/* E[min(B, 1 + N)], N ~ Poisson(mu). */
static double mean_batch_low(long long B, double mu)
{
    if (B <= 1 || mu <= 0)
        return 1.0;
    if (mu > 20.0 * (double)B)
        return (double)B;
    /* sum over k < B - 1 of (1 + k) P(k), plus B P(N >= B - 1) */
    double pk = exp(-mu), cdf = 0, m = 0;
    for (long long k = 0; k < B - 1; k++) {
        m += (double)(1 + k) * pk;
        cdf += pk;
        pk *= mu / (double)(k + 1);
    }
    return m + (double)B * fmax(0.0, 1.0 - cdf);
}

/* Erlang C: the probability that a batch waits, c servers, offered load a
 * erlangs (a < c), by the Erlang B recursion (stable for large c). */
static double erlang_c(long long c, double a)
{
    double b = 1.0;
    for (long long k = 1; k <= c; k++)
        b = a * b / ((double)k + a * b);
    double rho = a / (double)c;
    return b / (1.0 - rho * (1.0 - b));
}

/* The fluid figures of a rate lam on c serving nodes: batch size, busy
 * nodes, and the served rate (the rest joins the backlog). */
static void fluid_load(const serve_wl *v, double lam, long long c, double *b_out, double *busy_out)
{
    long long B = v->B;
    double b = mean_batch_low(B, lam * v->cfg->max_wait_s);
    /* overloaded at that size: bigger batches serve more per node-second */
    while (b < (double)B && lam * interp(v->T, B, b) / b > (double)c)
        b = fmin((double)B, b + fmax(1.0, 0.05 * b));
    *b_out = b;
    *busy_out = lam * interp(v->T, B, b) / b;
}

/* Adds a step's fluid latencies to the step histograms: 100 quantile points
 * of TTFT and E2E, each carrying n / 100 requests. */
static void fluid_latency(serve_wl *v, double lam, long long c, double b, double n, double drain_s)
{
    const scn_serving *cfg = v->cfg;
    long long B = v->B;
    double T = interp(v->T, B, b), F = interp(v->F, B, b);
    double tau = lam > 0 ? fmin(cfg->max_wait_s, (double)(B - 1) / lam) : cfg->max_wait_s;
    double head = 1.0 / b;              /* share of requests that open a batch */
    double lb = lam / b;                /* batch rate, 1/s */
    double a = lb * T;                  /* offered load, erlangs */
    double C = 0, theta = INFINITY;
    if (c > 0 && a < (double)c) {
        C = erlang_c(c, a);
        /* Allen-Cunneen: ca2 = 1/b (batches of Poisson arrivals), cs2 = 0 */
        theta = ((double)c / T - lb) * 2.0 / (1.0 / b);
    } else if (c > 0) {
        C = 1.0;
        theta = 0;
    }
    double viol = 0, w = n / 100.0;
    for (int i = 0; i < 100; i++) {
        double q = (i + 0.5) / 100.0;
        double qb = q < 1.0 - head ? tau * q / (1.0 - head) : tau;
        double qw = 0;
        if (q > 1.0 - C)
            qw = theta > 0 ? log(C / (1.0 - q)) / theta : drain_s;
        qw += drain_s;
        double ttft = qb + qw + F, e2e = qb + qw + T;
        hist_add(&v->step_ttft, ttft, w);
        hist_add(&v->step_e2e, e2e, w);
        viol += w * (ttft > cfg->slo_ttft_s || e2e > cfg->slo_e2e_s);
    }
    v->step_req += n;
    v->step_viol += viol;
    v->r.requests += n;
    v->r.batches += n / b;
}

/* ---- the autoscaler ---------------------------------------------------- */

/* One evaluation at t with `demand` busy nodes wanted. */
static int autoscale(serve *sv, serve_wl *v, double t, double demand)
{
    const scn_serving *cfg = v->cfg;
    pool_state *p = v->p;
    double want = ceil(demand / cfg->target_utilization - 1e-9);
    long long desired = want < (double)cfg->min_nodes ? cfg->min_nodes
                        : want > (double)cfg->max_nodes ? cfg->max_nodes
                                                        : (long long)want;
    long long cur = p->on;
    if (desired > cur) {
        v->down_since = INFINITY;
        if (!isfinite(v->up_since))
            v->up_since = t;
        if (t - v->up_since >= cfg->up_delay_s) {
            long long n = desired - cur;
            if (n > p->count - p->on)
                n = p->count - p->on;
            if (n > 0) {
                fleet_wake(p, t, n);
                if (power_wake_push(v->pw, t, n) ||
                    engine_schedule(sv->eng, t + v->pw->wake_s, sv->base + K_WAKE, (uint32_t)(v - sv->v)))
                    return -1;
            }
            v->up_since = INFINITY;
        }
    } else if (desired < cur) {
        v->up_since = INFINITY;
        if (!isfinite(v->down_since))
            v->down_since = t;
        if (t - v->down_since >= cfg->down_delay_s) {
            long long idle = p->on - p->busy - p->waking, n = cur - desired;
            if (n > idle)
                n = idle;
            if (n > 0) {
                fleet_switch_off(p, t, n);
                v->pw->offs += n;
            }
            v->down_since = INFINITY;
        }
    } else {
        v->up_since = v->down_since = INFINITY;
    }
    return 0;
}

/* Request mode: the busy nodes over the last interval plus the work queued. */
static int on_scale(serve *sv, serve_wl *v, double t)
{
    pool_state *p = v->p;
    fleet_advance(p, t);
    double cum = p->total_busy_node_s + p->step_busy_node_s;
    double demand = (cum - v->as_cum) / v->cfg->interval_s + (double)v->qn * v->w->node_s_per_request / v->cfg->interval_s;
    v->as_cum = cum;
    if (autoscale(sv, v, t, demand))
        return -1;
    if (t + v->cfg->interval_s < v->horizon &&
        engine_schedule(sv->eng, t + v->cfg->interval_s, sv->base + K_SCALE, (uint32_t)(v - sv->v)))
        return -1;
    return pump(sv, v, t);
}

/* ---- fluid mode -------------------------------------------------------- */

/* Sets the fluid load at t for the rate v->f_rate on the nodes now up. */
static void fluid_hold(serve_wl *v, double t)
{
    pool_state *p = v->p;
    if (v->f_nodes > 0)
        fleet_release(p, t, v->f_nodes, v->f_power_w);
    v->f_nodes = 0;
    v->f_power_w = 0;
    long long c = p->on - p->waking;
    if (c <= 0)
        return;
    double b, busy;
    fluid_load(v, v->f_rate, c, &b, &busy);
    if (busy > (double)c)
        busy = (double)c;
    v->f_b = b;
    v->f_busy = busy;
    if (busy <= 0)
        return;
    /* ceil(busy) nodes held; together they draw busy x P(u) + the rest P_idle */
    long long n = (long long)ceil(busy - 1e-12);
    if (n > c)
        n = c;
    double full = v->node_w > 0 ? v->node_w : fleet_node_power_w(p, v->u);
    double per = p->idle_w + (busy / (double)n) * (full - p->idle_w);
    v->f_power_w = fleet_take_w(p, t, n, per);
    v->f_nodes = n;
}

/* The fluid step that starts at t. */
static int fluid_step(serve *sv, serve_wl *v, double t)
{
    double t1 = fmin(t + v->step_s, v->horizon);
    double dt = t1 - t;
    if (dt <= 0)
        return 0;
    double n_arr = workload_expected_requests(v->w, v->start_epoch, t, t1);
    double lam = n_arr / dt;
    pool_state *p = v->p;
    if (v->f_nodes > 0) { /* the autoscaler sees the nodes the last step held as free */
        fleet_release(p, t, v->f_nodes, v->f_power_w);
        v->f_nodes = 0;
    }
    if (v->cfg->autoscale) {
        double b, busy;
        fluid_load(v, lam + v->backlog / dt, v->cfg->max_nodes, &b, &busy);
        if (autoscale(sv, v, t, busy))
            return -1;
    }
    long long c = p->on - p->waking;
    /* the served rate: the arrivals and the backlog, up to what c nodes do at B */
    double cap = c > 0 ? (double)c * (double)v->B / v->T[v->B] : 0.0;
    double offered = lam + v->backlog / dt;
    double served = fmin(offered, cap);
    double drain_s = cap > 0 ? v->backlog / cap : 0.0; /* the backlog ahead of this step's requests */
    v->backlog += (lam - served) * dt;
    if (v->backlog < 1e-9 * n_arr)
        v->backlog = 0;
    v->f_rate = served;
    fluid_hold(v, t);
    if (served > 0 && c > 0)
        fluid_latency(v, served, c, v->f_b, served * dt, drain_s);
    return 0;
}

/* ---- set-up and events ------------------------------------------------- */

static int wl_init(serve_wl *v, const scenario *s, int wl, pool_state *pools, power_pool *pw)
{
    const scn_workload *w = &s->workloads[wl];
    memset(v, 0, sizeof *v);
    v->w = w;
    v->cfg = &w->serving;
    v->wl = wl;
    v->pool = w->pool;
    v->p = &pools[w->pool];
    v->pw = &pw[w->pool];
    v->horizon = s->duration_s;
    v->step_s = s->step_s;
    v->start_epoch = s->start_epoch;
    v->day0 = (double)(((s->start_epoch % 86400) + 86400) % 86400);
    v->lmax = w->rate_mean_per_s * (1.0 + w->diurnal_amplitude);
    v->B = v->cfg->max_batch;
    v->u = w->utilization;
    v->node_w = w->node_power_w;
    v->trigger_t = INFINITY;
    v->up_since = v->down_since = INFINITY;
    const scn_pool *sp = &s->pools[w->pool];
    if (!v->p->managed) { /* wake latency and boot energy for the autoscaler */
        v->pw->wake_s = sp->wake_s;
        v->pw->boot_w = sp->boot_energy_j / sp->wake_s;
        v->pw->off_after_s = INFINITY;
        v->p->boot_w = v->pw->boot_w;
    }
    if (hist_init(&v->step_ttft) || hist_init(&v->step_e2e) || hist_init(&v->run_ttft) || hist_init(&v->run_e2e))
        return -1;
    v->T = malloc((size_t)(v->B + 1) * sizeof *v->T);
    v->F = malloc((size_t)(v->B + 1) * sizeof *v->F);
    if (!v->T || !v->F)
        return -1;
    v->T[0] = v->F[0] = 0;
    double o = v->cfg->output_tokens, pt = v->cfg->prompt_tokens;
    for (long long b = 1; b <= v->B; b++) {
        if (w->tput_source == TPUT_ROOFLINE) {
            v->F[b] = (double)b * w->roof.prefill_s;
            v->T[b] = v->F[b] + o * perf_decode_step_s(&w->roof_in, (double)b);
        } else {
            v->T[b] = (double)b * w->node_s_per_request;
            v->F[b] = pt + o > 0 ? v->T[b] * pt / (pt + o) : 0.0;
        }
    }
    if (v->cfg->mode == SERVE_REQUEST) {
        if (!(v->rng = rng_stream_alloc(s->seed, w->name)))
            return -1;
        v->next_arr = next_arrival(v, 0.0);
    }
    return 0;
}

static void wl_free(serve_wl *v)
{
    if (v->rng)
        gsl_rng_free(v->rng);
    free(v->q);
    free(v->T);
    free(v->F);
    free(v->step_ttft.c);
    free(v->step_e2e.c);
    free(v->run_ttft.c);
    free(v->run_e2e.c);
    free(v->ser);
}

void serve_free(serve *sv)
{
    if (!sv)
        return;
    for (int i = 0; i < sv->n; i++)
        wl_free(&sv->v[i]);
    free(sv->v);
    free(sv->of_wl);
    free(sv);
}

serve *serve_alloc(const scenario *s, pool_state *pools, power_pool *pw, engine *eng, uint32_t kind_base, char *err,
                   size_t errlen)
{
    serve *sv = calloc(1, sizeof *sv);
    if (!sv)
        goto oom;
    sv->eng = eng;
    sv->base = kind_base;
    sv->nworkloads = s->nworkloads;
    sv->of_wl = malloc((size_t)(s->nworkloads > 0 ? s->nworkloads : 1) * sizeof *sv->of_wl);
    if (!sv->of_wl)
        goto oom;
    int n = 0;
    for (int i = 0; i < s->nworkloads; i++) {
        const scn_workload *w = &s->workloads[i];
        int own = w->kind == WL_INFERENCE && w->serving.mode != SERVE_BATCH;
        sv->of_wl[i] = own ? n++ : -1;
    }
    sv->v = calloc((size_t)(n > 0 ? n : 1), sizeof *sv->v);
    if (!sv->v)
        goto oom;
    for (int i = 0; i < s->nworkloads; i++)
        if (sv->of_wl[i] >= 0) {
            sv->n++;
            if (wl_init(&sv->v[sv->of_wl[i]], s, i, pools, pw))
                goto oom;
        }
    return sv;
oom:
    snprintf(err, errlen, "out of memory");
    serve_free(sv);
    return NULL;
}

int serve_owns(const serve *sv, int wl) { return sv && wl >= 0 && wl < sv->nworkloads && sv->of_wl[wl] >= 0; }

int serve_start(serve *sv)
{
    for (int i = 0; i < sv->n; i++) {
        serve_wl *v = &sv->v[i];
        if (v->cfg->mode == SERVE_FLUID) {
            if (fluid_step(sv, v, 0.0))
                return -1;
            continue;
        }
        if (v->cfg->autoscale && v->cfg->interval_s < v->horizon &&
            engine_schedule(sv->eng, v->cfg->interval_s, sv->base + K_SCALE, (uint32_t)i))
            return -1;
        if (pump(sv, v, 0.0))
            return -1;
    }
    return 0;
}

int serve_event(serve *sv, uint32_t kind, uint32_t idx, double t)
{
    serve_wl *v = &sv->v[idx];
    switch (kind - sv->base) {
    case K_END:
        if (v->node_w > 0)
            fleet_release(v->p, t, 1, v->node_w);
        else
            fleet_release(v->p, t, 1, fleet_node_power_w(v->p, v->u));
        return pump(sv, v, t);
    case K_TRY:
        if (t == v->trigger_t)
            v->trigger_t = INFINITY;
        return pump(sv, v, t);
    case K_SCALE:
        return on_scale(sv, v, t);
    default: { /* K_WAKE */
        long long n = power_wake_pop(v->pw);
        fleet_wake_done(v->p, t, n);
        if (v->cfg->mode == SERVE_FLUID) {
            fluid_hold(v, t);
            return 0;
        }
        return pump(sv, v, t);
    }
    }
}

int serve_close_step(serve *sv, double t0, double t1)
{
    for (int i = 0; i < sv->n; i++) {
        serve_wl *v = &sv->v[i];
        if (v->nser == v->capser) {
            long nc = v->capser ? v->capser * 2 : 1024;
            double *ns = realloc(v->ser, (size_t)nc * NSER * sizeof *ns);
            if (!ns)
                return -1;
            v->ser = ns;
            v->capser = nc;
        }
        double *row = &v->ser[(size_t)v->nser++ * NSER];
        row[0] = t0;
        row[1] = v->step_req;
        row[2] = hist_quantile(&v->step_ttft, 0.95);
        row[3] = hist_quantile(&v->step_e2e, 0.95);
        row[4] = v->step_viol;
        row[5] = v->cfg->mode == SERVE_FLUID ? v->backlog : (double)v->qn;
        v->r.slo_violations += v->step_viol;
        v->step_req = v->step_viol = 0;
        hist_merge_clear(&v->run_ttft, &v->step_ttft);
        hist_merge_clear(&v->run_e2e, &v->step_e2e);
        if (v->cfg->mode == SERVE_FLUID && t1 < v->horizon && fluid_step(sv, v, t1))
            return -1;
    }
    return 0;
}

void serve_finish(serve *sv, double end)
{
    for (int i = 0; i < sv->n; i++) {
        serve_wl *v = &sv->v[i];
        serve_result *r = &v->r;
        double waiting = 0;
        for (size_t k = 0; k < v->qn; k++)
            waiting += q_at(v, k) < end;
        r->unserved = v->cfg->mode == SERVE_FLUID ? v->backlog : waiting;
        static const double qs[3] = {0.5, 0.95, 0.99};
        for (int k = 0; k < 3; k++) {
            r->ttft_s[k] = hist_quantile(&v->run_ttft, qs[k]);
            r->e2e_s[k] = hist_quantile(&v->run_e2e, qs[k]);
        }
        r->mean_ttft_s = v->run_ttft.n > 0 ? v->run_ttft.sum / v->run_ttft.n : NAN;
        r->mean_e2e_s = v->run_e2e.n > 0 ? v->run_e2e.sum / v->run_e2e.n : NAN;
    }
}

const serve_result *serve_result_of(const serve *sv, int wl)
{
    return serve_owns(sv, wl) ? &sv->v[sv->of_wl[wl]].r : NULL;
}

long serve_steps(const serve *sv) { return sv && sv->n > 0 ? sv->v[0].nser : 0; }

int serve_write_series(const serve *sv, const sink *out)
{
    static const sink_var cols[NSER] = {
        {"time", "s", "start of the step, s since the scenario start"},
        {"requests", "1", "requests whose batch started in the step (fluid: served in the step)"},
        {"p95_ttft_s", "s", "95th percentile time to first token of those requests"},
        {"p95_e2e_s", "s", "95th percentile end-to-end latency of those requests"},
        {"slo_violations", "1", "of those requests, the ones over slo_ttft or slo_e2e"},
        {"queue", "1", "requests waiting at the end of the step (fluid: the backlog)"},
    };
    if (!out->ops->table)
        return 0;
    for (int i = 0; i < sv->n; i++) {
        const serve_wl *v = &sv->v[i];
        double *colv = malloc((size_t)(v->nser > 0 ? v->nser : 1) * NSER * sizeof *colv);
        if (!colv)
            return -1;
        for (long r = 0; r < v->nser; r++)
            for (int c = 0; c < NSER; c++)
                colv[(size_t)c * (size_t)v->nser + (size_t)r] = v->ser[(size_t)r * NSER + (size_t)c];
        char name[SCN_NAME_MAX + 16];
        snprintf(name, sizeof name, "serving/%s", v->w->name);
        int rc = out->ops->table(out->state, name, NSER, cols, v->nser, colv);
        free(colv);
        if (rc)
            return -1;
    }
    return 0;
}
