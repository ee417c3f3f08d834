/* sim.c - the run loop and the life of a job (see sim.h). */
#define _POSIX_C_SOURCE 200809L
#include "sim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account.h"
#include "engine.h"
#include "fleet.h"
#include "policy.h"
#include "power.h"
#include "sched.h"
#include "serve.h"
#include "workload.h"

enum { EV_STEP, EV_ARRIVAL, EV_END, EV_WAKE, EV_IDLE, EV_RELEASE, EV_HOUR, EV_RESUME };
enum { EV_SERVE = 32 }; /* EV_SERVE .. EV_SERVE + SERVE_NKINDS - 1: inference serving (serve.h) */

/* Life of a job slot (a job's end and forced-resume events are stale unless
 * the state and time still match: cancel by marking). */
enum { JOB_FREE, JOB_WAITING, JOB_RUNNING, JOB_SUSPENDED };

typedef struct job {
    uint64_t id;
    int32_t wl;          /* workload index */
    int32_t pool;        /* pool index (queued or running) */
    int32_t next_free;   /* free-list link when unused */
    long long nodes;     /* nodes held */
    double u;            /* utilisation */
    double node_w;       /* > 0: given power per node, W */
    double requests;     /* inference requests the job serves */
    double submit_s, start_s, duration_s; /* s */
    double power_w;      /* nodes x P(u) while running, W */
    double cip_start;    /* intensity x PUE integral of its site at start, g s/kWh */
    double pi_start;     /* PUE integral of its site at start, s */
    double wi_start;     /* water integral of its site at start, L s/kWh */
    double ppi_start;    /* energy price x PUE integral of its site at start, USD s/kWh */
    int32_t prio;        /* queue priority */
    int32_t home_site;   /* site the job was submitted to */
    double deadline_s;   /* latest end, s since start (INFINITY: none) */
    double suspended_s;  /* time suspended so far, s */
    int32_t state;       /* JOB_* */
    int32_t ck;          /* index in sim.ck while running or suspended (checkpointable), else -1 */
    double end_s;        /* planned end of the running segment, s */
    double seg_start_s;  /* start of the running segment (start or last resume), s */
    double remaining_s;  /* suspended: run time still to do (overhead not included), s */
    double resume_by_s;  /* suspended: forced resume time (deadline - remaining - overhead), s */
    double susp_since_s; /* suspended: since when, s */
    int32_t suspensions; /* times suspended */
    /* earlier running segments (suspend/resume), summed */
    double acc_ran_s, acc_e_kwh, acc_fac_kwh, acc_em_kg, acc_water_l, acc_ecost_usd;
} job;

/* Totals of one workload's jobs (to the end of the run). */
typedef struct wl_total {
    long long jobs, completed;
    double requests, node_s, it_kwh, fac_kwh, emissions_kg, water_l, cost_usd, embodied_kg;
    double step_busy_j, step_busy_node_s; /* served per request or step: the closing step's busy part */
} wl_total;

struct sim {
    const scenario *s;
    engine *eng;
    pool_state *pools;    /* [npools] */
    workload_state *wls;  /* [nworkloads] */
    int **cand;           /* [nworkloads][ncand] candidate pools */
    int *ncand;
    long long *rejected;  /* [nworkloads] */
    wl_total *wt;         /* [nworkloads] */
    sched *sch;
    double *score;        /* [npools] placement scores of one decision */
    power_pool *pw;       /* [npools] power management */
    policy_state *pol;    /* carbon-aware shifting, or NULL */
    serve *sv;            /* inference served per request or per step (serve.h) */
    long long held;       /* jobs held back by the carbon policy */
    long long missed;     /* jobs that ended (or were still running) past their deadline */
    int suspend;          /* 1: checkpointable jobs are suspended in high-intensity hours */
    int cap_any, cap_windows; /* some site has a power cap; some cap holds in a daily window */
    double *cap_step_w;   /* [npools] most a node's power rises when it starts a job (P_max - P_idle, or a given power), W */
    long long moved;      /* jobs started at a site other than their home site */
    double sum_delay_s;   /* over completed jobs: end - submit - run time (waits, suspensions, overheads), s */
    long long ndone;      /* completed jobs */
    int has_base;         /* 1: the baseline below was run */
    double base_emissions_kg, base_delay_s; /* the FIFO baseline: emissions, mean delay (s) */
    long long base_done;  /* ... and its completed jobs */
    long long *moved_in;  /* [npools] of them, started at each pool */
    int32_t *ck;          /* running or suspended checkpointable jobs (slots) */
    int32_t nck, ck_cap;
    long long suspensions, jobs_suspended; /* suspensions; jobs suspended at least once */
    double suspended_s, overhead_s;        /* their time suspended and checkpoint overhead, s */
    account acc;
    job *jobs;            /* slab of queued and running jobs */
    int32_t njobs_cap, free_head;
    sink *out;
    int write_jobs;
    uint64_t next_id;
    long long running, active_wls;
    sim_stats st;
    const char **site_names, **pool_names, **wl_names;
    int *pool_site;
    int ran;
};

/* ---- site power caps (docs/SCHEDULING.md) ---- */

/* The step bounds of each pool and whether any site is capped. */
static void cap_init(sim *m)
{
    const scenario *s = m->s;
    for (int k = 0; k < s->npools; k++) {
        m->cap_step_w[k] = m->pools[k].dyn_w;
        for (int i = 0; i < s->nworkloads; i++) /* a given (measured) power may exceed P_max */
            if (s->workloads[i].node_power_w > 0 && scn_candidate(s, &s->workloads[i], k))
                m->cap_step_w[k] = fmax(m->cap_step_w[k], s->workloads[i].node_power_w - m->pools[k].idle_w);
    }
    for (int i = 0; i < s->nsites; i++)
        if (isfinite(s->sites[i].cap_kw)) {
            m->cap_any = 1;
            m->cap_windows |= s->sites[i].cap_from_h >= 0;
        }
}

/* The cap of site at time t, W (INFINITY: none now). */
static double cap_w(const sim *m, int site, double t)
{
    const scn_site *st = &m->s->sites[site];
    if (st->cap_from_h < 0)
        return st->cap_kw * 1e3;
    int64_t ep = m->s->start_epoch + (int64_t)floor(t);
    int h = (int)(((ep % 86400) + 86400) % 86400 / 3600);
    int in = st->cap_from_h < st->cap_to_h ? h >= st->cap_from_h && h < st->cap_to_h
                                           : h >= st->cap_from_h || h < st->cap_to_h;
    return in ? st->cap_kw * 1e3 : INFINITY;
}

/* Room under site's cap at t, W: the cap less the site's IT power now, with
 * waking nodes counted at max(P_boot, P_idle) and nodes held by suspended
 * jobs at their busy power (their resume is already promised). */
static double cap_headroom_w(const sim *m, int site, double t)
{
    const scn_site *st = &m->s->sites[site];
    double cap = cap_w(m, site, t);
    if (!isfinite(cap))
        return INFINITY;
    double p = 0;
    for (int k = st->first_pool; k < st->first_pool + st->npools; k++) {
        const pool_state *q = &m->pools[k];
        p += q->power_w + (double)q->waking * fmax(0.0, q->idle_w - q->boot_w) + (double)q->held * m->cap_step_w[k];
    }
    return cap - p;
}

/* Sets cap_nodes of site's pools at t: how many nodes may start a job now. */
static void cap_refresh(sim *m, int site, double t)
{
    const scn_site *st = &m->s->sites[site];
    if (!isfinite(st->cap_kw))
        return;
    double head = cap_headroom_w(m, site, t);
    for (int k = st->first_pool; k < st->first_pool + st->npools; k++) {
        double n = head <= 0 ? 0.0 : m->cap_step_w[k] > 0 ? floor(head / m->cap_step_w[k]) : INFINITY;
        m->pools[k].cap_nodes = n >= 1e15 ? LLONG_MAX : (long long)n;
    }
}

/* cap_refresh for the sites of workload wl's candidate pools. */
static void cap_refresh_cands(sim *m, int wl, double t)
{
    for (int i = 0; m->cap_any && i < m->ncand[wl]; i++)
        cap_refresh(m, m->pools[m->cand[wl][i]].site, t);
}

void sim_free(sim *m)
{
    if (!m)
        return;
    engine_free(m->eng);
    if (m->wls)
        for (int i = 0; i < m->s->nworkloads; i++)
            workload_free(&m->wls[i]);
    if (m->cand)
        for (int i = 0; i < m->s->nworkloads; i++)
            free(m->cand[i]);
    free(m->cand);
    free(m->ncand);
    free(m->rejected);
    free(m->wt);
    free(m->wls);
    free(m->pools);
    sched_free(m->sch);
    free(m->score);
    for (int i = 0; m->pw && i < m->s->npools; i++)
        power_free(&m->pw[i]);
    free(m->pw);
    policy_free(m->pol);
    free(m->pol);
    serve_free(m->sv);
    account_free(&m->acc);
    free(m->jobs);
    free(m->ck);
    free(m->moved_in);
    free(m->cap_step_w);
    free(m->site_names);
    free(m->pool_names);
    free(m->wl_names);
    free(m->pool_site);
    free(m);
}

sim *sim_alloc(const scenario *s, char *err, size_t errlen)
{
    sim *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    m->s = s;
    m->free_head = -1;
    int nw = s->nworkloads, np = s->npools;
    m->eng = engine_alloc(1024);
    m->pools = calloc((size_t)np, sizeof *m->pools);
    m->wls = calloc((size_t)nw, sizeof *m->wls);
    m->cand = calloc((size_t)nw, sizeof *m->cand);
    m->ncand = calloc((size_t)nw, sizeof *m->ncand);
    m->rejected = calloc((size_t)nw, sizeof *m->rejected);
    m->wt = calloc((size_t)nw, sizeof *m->wt);
    int *policy = calloc((size_t)np, sizeof *policy);
    if (policy)
        for (int i = 0; i < np; i++)
            policy[i] = s->pools[i].policy;
    m->sch = policy ? sched_alloc(np, policy, s->backfill_depth) : NULL;
    free(policy);
    m->score = calloc((size_t)np, sizeof *m->score);
    m->pw = calloc((size_t)np, sizeof *m->pw);
    m->site_names = calloc((size_t)s->nsites, sizeof *m->site_names);
    m->pool_names = calloc((size_t)np, sizeof *m->pool_names);
    m->wl_names = calloc((size_t)nw, sizeof *m->wl_names);
    m->pool_site = calloc((size_t)np, sizeof *m->pool_site);
    m->moved_in = calloc((size_t)np, sizeof *m->moved_in);
    m->cap_step_w = calloc((size_t)np, sizeof *m->cap_step_w);
    if (!m->eng || !m->pools || !m->wls || !m->cand || !m->ncand || !m->rejected || !m->wt || !m->sch || !m->score || !m->pw ||
        !m->site_names ||
        !m->pool_names || !m->wl_names || !m->pool_site || !m->moved_in || !m->cap_step_w) {
        snprintf(err, errlen, "out of memory");
        goto err;
    }
    for (int i = 0; i < s->nsites; i++)
        m->site_names[i] = s->sites[i].name;
    for (int i = 0; i < np; i++) {
        const scn_pool *p = &s->pools[i];
        fleet_pool_init(&m->pools[i], &s->cat.types[p->type], p->site, p->count, p->on, p->price_usd_per_h);
        if (p->managed) {
            pool_state *ps = &m->pools[i];
            power_pool *pp = &m->pw[i];
            pp->off_after_s = p->off_after_s;
            pp->wake_s = p->wake_s;
            pp->boot_w = p->boot_energy_j / p->wake_s;
            pp->min_on = p->min_on;
            ps->managed = 1;
            ps->boot_w = pp->boot_w;
            ps->can_wake = p->count - p->on;
        }
        m->pool_names[i] = p->name;
        m->pool_site[i] = p->site;
    }
    for (int i = 0; i < nw; i++) {
        const scn_workload *w = &s->workloads[i];
        m->wl_names[i] = w->name;
        m->cand[i] = calloc((size_t)np, sizeof **m->cand);
        if (!m->cand[i] || workload_init(&m->wls[i], s, w)) {
            snprintf(err, errlen, "out of memory");
            goto err;
        }
        for (int k = 0; k < np; k++)
            if (scn_candidate(s, w, k))
                m->cand[i][m->ncand[i]++] = k;
    }
    if (account_init(&m->acc, s, err, errlen))
        goto err;
    if (!(m->sv = serve_alloc(s, m->pools, m->pw, m->eng, EV_SERVE, err, errlen)))
        goto err;
    for (int i = 0; i < nw; i++)
        if (serve_owns(m->sv, i)) /* its requests are served by serve.c, not submitted as jobs */
            m->wls[i].next_s = INFINITY;
    cap_init(m);
    m->suspend = s->suspend_above_g_per_kwh >= 0 || s->suspend_above_pct >= 0;
    if (s->carbon_policy == CARBON_SHIFT || m->suspend || s->placement == PLACE_LEAST_CARBON_FORECAST) {
        long nh = (long)ceil(s->duration_s / 3600.0);
        m->pol = calloc(1, sizeof *m->pol);
        if (!m->pol || policy_init(m->pol, s->nsites, nh < 24 ? 24 : nh, s->forecast, s->forecast_noise_sd, s->seed)) {
            snprintf(err, errlen, "out of memory");
            goto err;
        }
        for (int i = 0; i < s->nsites; i++) {
            double *I = policy_hourly(m->pol, i);
            for (long h = 0; h < m->pol->nhours; h++)
                I[h] = account_hour_intensity(&m->acc, i, s->start_epoch + (int64_t)(h < nh ? h : h % nh) * 3600);
        }
        policy_set_suspend(m->pol, s->suspend_above_g_per_kwh, s->suspend_above_pct);
    }
    return m;
err:
    sim_free(m);
    return NULL;
}

const sim_stats *sim_get_stats(const sim *m) { return &m->st; }
long long sim_rejected(const sim *m, int workload) { return m->rejected[workload]; }
const serve_result *sim_serve_result(const sim *m, int workload) { return serve_result_of(m->sv, workload); }
const char *sim_notice(const sim *m) { return m->acc.notice; }

/* A job slot from the free list (growing the slab); -1 if out of memory. */
static int32_t job_new(sim *m)
{
    if (m->free_head < 0) {
        int32_t ncap = m->njobs_cap ? m->njobs_cap * 2 : 1024;
        job *nj = realloc(m->jobs, (size_t)ncap * sizeof *nj);
        if (!nj)
            return -1;
        m->jobs = nj;
        for (int32_t k = ncap - 1; k >= m->njobs_cap; k--) {
            m->jobs[k].next_free = m->free_head;
            m->free_head = k;
        }
        m->njobs_cap = ncap;
    }
    int32_t k = m->free_head;
    m->free_head = m->jobs[k].next_free;
    return k;
}

static void job_delete(sim *m, int32_t k)
{
    m->jobs[k].state = JOB_FREE;
    m->jobs[k].next_free = m->free_head;
    m->free_head = k;
}

/* Job k's nodes start drawing its power at now: a running segment begins. */
static void segment_open(sim *m, job *j, double now)
{
    pool_state *p = &m->pools[j->pool];
    j->power_w = j->node_w > 0 ? fleet_take_w(p, now, j->nodes, j->node_w) : fleet_take(p, now, j->nodes, j->u);
    j->seg_start_s = now;
    j->cip_start = account_cip(&m->acc, p->site, now);
    j->pi_start = account_pi(&m->acc, p->site, now);
    j->wi_start = account_wi(&m->acc, p->site, now);
    j->ppi_start = account_ppi(&m->acc, p->site, now);
    j->state = JOB_RUNNING;
}

/* Adds job k's running segment up to t to its sums (energy through the
 * site's integrals: see account.h). */
static void segment_close(sim *m, job *j, double t)
{
    const account *a = &m->acc;
    int site = m->pools[j->pool].site;
    double kw = j->power_w / 1e3;
    j->acc_ran_s += t - j->seg_start_s;
    j->acc_e_kwh += j->power_w * (t - j->seg_start_s) / 3.6e6;
    j->acc_fac_kwh += kw * (account_pi(a, site, t) - j->pi_start) / 3600.0;
    j->acc_em_kg += kw * (account_cip(a, site, t) - j->cip_start) / 3600.0 / 1000.0;
    j->acc_water_l += kw * (account_wi(a, site, t) - j->wi_start) / 3600.0;
    j->acc_ecost_usd += kw * (account_ppi(a, site, t) - j->ppi_start) / 3600.0;
}

/* Adds slot k to the list of checkpointable jobs; -1 if out of memory. */
static int ck_add(sim *m, int32_t k)
{
    if (m->nck == m->ck_cap) {
        int32_t ncap = m->ck_cap ? m->ck_cap * 2 : 64;
        int32_t *n = realloc(m->ck, (size_t)ncap * sizeof *n);
        if (!n)
            return -1;
        m->ck = n;
        m->ck_cap = ncap;
    }
    m->jobs[k].ck = m->nck;
    m->ck[m->nck++] = k;
    return 0;
}

static void ck_remove(sim *m, int32_t k)
{
    int32_t i = m->jobs[k].ck;
    if (i < 0)
        return;
    m->ck[i] = m->ck[--m->nck];
    m->jobs[m->ck[i]].ck = i;
    m->jobs[k].ck = -1;
}

static int job_start(sim *m, int32_t k, double now)
{
    job *j = &m->jobs[k];
    pool_state *p = &m->pools[j->pool];
    j->start_s = now;
    if (p->managed)
        power_idle_take(&m->pw[j->pool], j->nodes);
    segment_open(m, j, now);
    j->end_s = now + j->duration_s;
    if (p->site != j->home_site) {
        m->moved++;
        m->moved_in[j->pool]++;
    }
    if (m->suspend && m->s->workloads[j->wl].checkpointable && isfinite(j->deadline_s) && ck_add(m, k))
        return -1;
    double wait = now - j->submit_s;
    m->st.sum_wait_s += wait;
    m->st.started++;
    m->st.waited += wait > 0;
    m->running++;
    if (sched_running_add(m->sch, j->pool, k, j->nodes, now + j->duration_s))
        return -1;
    return engine_schedule(m->eng, now + j->duration_s, EV_END, (uint32_t)k);
}

/* Nodes of a managed pool became idle at t: they may go off later. */
static int nodes_idle(sim *m, int pool, double t, long long n)
{
    power_pool *pp = &m->pw[pool];
    if (!m->pools[pool].managed || !isfinite(pp->off_after_s) || n <= 0)
        return 0;
    if (power_idle_push(pp, t, n))
        return -1;
    return engine_schedule(m->eng, t + pp->off_after_s, EV_IDLE, (uint32_t)pool);
}

/* Starts the queued jobs of pool that its policy lets start now; on a
 * managed pool, switches on off nodes for the jobs still waiting. */
static int dispatch(sim *m, int pool, double now)
{
    pool_state *p = &m->pools[pool];
    int32_t k;
    for (;;) {
        cap_refresh(m, p->site, now);
        if (p->queued <= 0 || (k = sched_next(m->sch, pool, now, sched_free_nodes(p))) < 0)
            break;
        fleet_queue_add(p, now, -1);
        if (job_start(m, k, now))
            return -1;
    }
    if (p->managed && p->queued > 0 && p->can_wake > 0) {
        long long want = sched_queued_nodes(m->sch, pool) - (p->on - p->busy - p->waking - p->held) - p->waking;
        if (want > p->can_wake)
            want = p->can_wake;
        if (m->cap_any && want > 0) { /* a capped site wakes no more nodes than its room allows */
            double head = cap_headroom_w(m, p->site, now), step = fmax(p->boot_w, p->idle_w) - p->off_w;
            if (isfinite(head) && step > 0 && (double)want > floor(fmax(head, 0.0) / step))
                want = (long long)floor(fmax(head, 0.0) / step);
        }
        if (want > 0) {
            fleet_wake(p, now, want);
            if (power_wake_push(&m->pw[pool], now, want) ||
                engine_schedule(m->eng, now + m->pw[pool].wake_s, EV_WAKE, (uint32_t)pool))
                return -1;
        }
    }
    return 0;
}

/* The earliest batch of waking nodes of pool is up. */
static int on_wake(sim *m, int pool, double now)
{
    long long n = power_wake_pop(&m->pw[pool]);
    fleet_wake_done(&m->pools[pool], now, n);
    if (nodes_idle(m, pool, now, n))
        return -1;
    return dispatch(m, pool, now);
}

/* Idle nodes of pool that reached the timeout go off (min_on kept). */
static int on_idle(sim *m, int pool, double now)
{
    pool_state *p = &m->pools[pool];
    long long idle = p->on - p->busy - p->waking - p->held, spare = p->on - m->pw[pool].min_on;
    long long most = idle < spare ? idle : spare;
    long long n = power_expire(&m->pw[pool], now, most > 0 ? most : 0);
    if (n > 0)
        fleet_switch_off(p, now, n);
    return 0;
}

/* Placement scores of a job at each candidate pool (lower is better): the
 * facility energy of the job there (kWh, nodes x P(u) x duration x the
 * site's current PUE), its emissions at the site's current intensity (g),
 * or its cost (node-hours x price + energy x current energy price, USD).
 * NULL for first fit. */
static const double *place_scores(sim *m, int wl, const job_spec *spec)
{
    int how = m->s->placement;
    if (how == PLACE_FIRST_FIT)
        return NULL;
    for (int i = 0; i < m->ncand[wl]; i++) {
        const pool_state *p = &m->pools[m->cand[wl][i]];
        const site_state *ss = &m->acc.sites[p->site];
        double node_w = spec->node_w > 0 ? spec->node_w : fleet_node_power_w(p, spec->u);
        double it_kwh = (double)spec->nodes * node_w * spec->duration_s / 3.6e6;
        double kwh = it_kwh * ss->pue;
        double sc = kwh;
        if (how == PLACE_LEAST_CARBON)
            sc = kwh * ss->intensity;
        else if (how == PLACE_LEAST_CARBON_FORECAST)
            sc = kwh * policy_mean_forecast(m->pol, p->site, engine_now(m->eng), spec->duration_s);
        else if (how == PLACE_LEAST_COST)
            sc = (double)spec->nodes * spec->duration_s / 3600.0 * p->price_usd_per_h +
                 kwh * ss->price_usd_per_mwh / 1000.0;
        m->score[i] = sc;
    }
    return m->score;
}

/* Attributes job k (ended at `end`, completed or not) to its workload and
 * the run, and writes its row. */
static int job_record(sim *m, int32_t k, double end, int completed)
{
    job *j = &m->jobs[k];
    const pool_state *p = &m->pools[j->pool];
    if (j->state == JOB_RUNNING)
        segment_close(m, j, end);
    else /* suspended at the end: its time so far */
    {
        j->suspended_s += end - j->susp_since_s;
        m->suspended_s += end - j->susp_since_s;
    }
    double ran_s = j->acc_ran_s; /* time running, checkpoint overheads included, s */
    double node_s = (double)j->nodes * ran_s;
    double e_kwh = j->acc_e_kwh, fac_kwh = j->acc_fac_kwh, em_kg = j->acc_em_kg, water_l = j->acc_water_l;
    double cost = node_s / 3600.0 * p->price_usd_per_h + j->acc_ecost_usd;
    double emb_kg = node_s * p->embodied_kg_per_node_s;
    wl_total *w = &m->wt[j->wl];
    if (completed) {
        m->sum_delay_s += end - j->submit_s - j->duration_s;
        m->ndone++;
    }
    m->missed += isfinite(j->deadline_s) && end > j->deadline_s;
    w->jobs++;
    w->completed += completed;
    w->requests += j->requests;
    w->node_s += node_s;
    w->it_kwh += e_kwh;
    w->fac_kwh += fac_kwh;
    w->emissions_kg += em_kg;
    w->water_l += water_l;
    w->cost_usd += cost;
    w->embodied_kg += emb_kg;
    m->st.busy_node_s += node_s;
    m->st.job_energy_kwh += e_kwh;
    if (!m->write_jobs)
        return 0;
    sink_job r;
    memset(&r, 0, sizeof r); /* padding too: rows compare bit for bit */
    r = (sink_job){
        .id = j->id,
        .workload = j->wl,
        .kind = m->s->workloads[j->wl].kind,
        .site = p->site,
        .pool = j->pool,
        .nodes = (int32_t)j->nodes,
        .completed = (int8_t)completed,
        .submit_s = j->submit_s,
        .start_s = j->start_s,
        .end_s = end,
        .energy_kwh = e_kwh,
        .emissions_kg = em_kg,
        .cost_usd = cost,
        .embodied_kg = emb_kg,
        .water_l = water_l,
        .requests = j->requests,
        .wait_s = j->start_s - j->submit_s,
        .slowdown = completed && ran_s > 0 ? (end - j->submit_s) / ran_s : NAN,
        .deadline_s = isfinite(j->deadline_s) ? j->deadline_s : NAN,
        .deadline_met = (int8_t)(!isfinite(j->deadline_s) ? -1 : completed && end <= j->deadline_s),
        .suspended_s = j->suspended_s,
        .home_site = j->home_site,
    };
    return m->out->ops->job(m->out->state, &r);
}

/* A capped site's power fell (or its cap rose): its pools other than
 * `except` may start jobs now. */
static int cap_dispatch_site(sim *m, int site, int except, double now)
{
    const scn_site *st = &m->s->sites[site];
    if (!isfinite(st->cap_kw))
        return 0;
    for (int k = st->first_pool; k < st->first_pool + st->npools; k++)
        if (k != except && m->pools[k].queued > 0 && dispatch(m, k, now))
            return -1;
    return 0;
}

static int on_end(sim *m, int32_t k, double now)
{
    job *j = &m->jobs[k];
    if (j->state != JOB_RUNNING || now != j->end_s) /* stale: the job was suspended */
        return 0;
    ck_remove(m, k);
    int pool = j->pool;
    fleet_release(&m->pools[pool], now, j->nodes, j->power_w);
    sched_running_remove(m->sch, pool, k);
    if (nodes_idle(m, pool, now, j->nodes))
        return -1;
    m->running--;
    m->st.completed++;
    if (job_record(m, k, now, 1))
        return -1;
    job_delete(m, k);
    if (dispatch(m, pool, now))
        return -1;
    return cap_dispatch_site(m, m->pools[pool].site, pool, now);
}

/* ---- suspend and resume of checkpointable jobs (docs/SCHEDULING.md) ---- */

/* Suspends running job k at now: its segment closes, its nodes draw P_idle
 * and stay held for it, and a forced resume is set at its latest resume
 * time, so the deadline holds. */
static int job_suspend(sim *m, int32_t k, double now)
{
    job *j = &m->jobs[k];
    pool_state *p = &m->pools[j->pool];
    segment_close(m, j, now);
    fleet_hold(p, now, j->nodes, j->power_w);
    sched_running_remove(m->sch, j->pool, k);
    j->remaining_s = j->end_s - now;
    j->resume_by_s = j->deadline_s - j->remaining_s - m->s->workloads[j->wl].checkpoint_overhead_s;
    j->susp_since_s = now;
    j->state = JOB_SUSPENDED;
    m->jobs_suspended += j->suspensions == 0;
    j->suspensions++;
    m->suspensions++;
    return engine_schedule(m->eng, j->resume_by_s, EV_RESUME, (uint32_t)k);
}

/* Resumes suspended job k at now: it takes its held nodes back and runs
 * what remained plus the checkpoint overhead. */
static int job_resume(sim *m, int32_t k, double now)
{
    job *j = &m->jobs[k];
    pool_state *p = &m->pools[j->pool];
    double ov = m->s->workloads[j->wl].checkpoint_overhead_s;
    fleet_unhold(p, now, j->nodes);
    segment_open(m, j, now);
    j->suspended_s += now - j->susp_since_s;
    m->suspended_s += now - j->susp_since_s;
    m->overhead_s += ov;
    j->end_s = now + j->remaining_s + ov;
    if (sched_running_add(m->sch, j->pool, k, j->nodes, j->end_s))
        return -1;
    return engine_schedule(m->eng, j->end_s, EV_END, (uint32_t)k);
}

/* A suspended job's latest resume time (stale if it was resumed already). */
static int on_resume(sim *m, int32_t k, double now)
{
    job *j = &m->jobs[k];
    if (j->state != JOB_SUSPENDED || now != j->resume_by_s)
        return 0;
    return job_resume(m, k, now);
}

/* A whole hour: checkpointable jobs at sites above the threshold are
 * suspended (if they can wait at least an hour and still meet their
 * deadline), suspended jobs at sites below it resume. O(such jobs). */
static int on_hour(sim *m, double now)
{
    long h = lround(now / 3600.0);
    for (int32_t i = 0; i < m->nck; i++) {
        int32_t k = m->ck[i];
        job *j = &m->jobs[k];
        if (!m->suspend)
            break;
        int high = policy_high(m->pol, m->pools[j->pool].site, h);
        double ov = m->s->workloads[j->wl].checkpoint_overhead_s;
        if (j->state == JOB_RUNNING && high && j->deadline_s - (j->end_s - now) - ov >= now + 3600.0) {
            if (job_suspend(m, k, now))
                return -1;
        } else if (j->state == JOB_SUSPENDED && !high) {
            if (job_resume(m, k, now))
                return -1;
        }
    }
    for (int i = 0; m->cap_windows && i < m->s->nsites; i++) /* a cap window may have closed */
        if (cap_dispatch_site(m, i, -1, now))
            return -1;
    return engine_schedule(m->eng, now + 3600.0, EV_HOUR, 0);
}

/* The site jobs of workload wl are submitted to. */
static int job_home(const sim *m, int wl)
{
    int h = m->s->workloads[wl].home_site;
    return h >= 0 ? h : m->pools[m->cand[wl][0]].site;
}

/* Fills a new job slot k of workload wl submitted at now. */
static void job_fill(sim *m, int32_t k, int wl, int pool, const job_spec *spec, double now, double deadline)
{
    job *j = &m->jobs[k];
    j->id = m->next_id++;
    j->wl = wl;
    j->pool = pool;
    j->nodes = spec->nodes;
    j->u = spec->u;
    j->node_w = spec->node_w;
    j->requests = spec->requests;
    j->submit_s = now;
    j->duration_s = spec->duration_s;
    j->prio = spec->priority;
    j->home_site = job_home(m, wl);
    j->deadline_s = deadline;
    j->suspended_s = 0;
    j->state = JOB_WAITING;
    j->ck = -1;
    j->suspensions = 0;
    j->end_s = j->seg_start_s = j->remaining_s = j->resume_by_s = j->susp_since_s = 0;
    j->acc_ran_s = j->acc_e_kwh = j->acc_fac_kwh = j->acc_em_kg = j->acc_water_l = j->acc_ecost_usd = 0;
}

/* Starts job k at its pool now (where = SCHED_START) or queues it there. */
static int job_submit(sim *m, int32_t k, int where, double now)
{
    job *j = &m->jobs[k];
    int pool = j->pool;
    if (where == SCHED_START)
        return job_start(m, k, now);
    sched_entry e = {.slot = k, .prio = j->prio, .nodes = j->nodes, .est_s = j->duration_s};
    if (sched_enqueue(m->sch, pool, &e))
        return -1;
    fleet_queue_add(&m->pools[pool], now, 1);
    return dispatch(m, pool, now);
}

static int on_arrival(sim *m, int wl, double now)
{
    workload_state *ws = &m->wls[wl];
    job_spec spec;
    int submit = workload_arrive(ws, m->s->start_epoch, m->s->duration_s, &spec);
    if (isfinite(ws->next_s)) {
        if (engine_schedule(m->eng, ws->next_s, EV_ARRIVAL, (uint32_t)wl))
            return -1;
    } else {
        m->active_wls--;
    }
    if (!submit)
        return 0;
    m->st.submitted++;
    /* a flexible job: its latest start, and the start the carbon policy plans */
    const scn_workload *w = &m->s->workloads[wl];
    double deadline = INFINITY, latest = now;
    if (isfinite(spec.deadline_s))
        deadline = now + spec.deadline_s;
    else if (w->slack_s >= 0)
        deadline = now + w->slack_s + spec.duration_s;
    else if (w->deadline_s > 0)
        deadline = now + w->deadline_s;
    if (isfinite(deadline))
        latest = deadline - spec.duration_s;
    if (m->pol && m->s->carbon_policy == CARBON_SHIFT && latest > now) {
        double plan = policy_plan(m->pol, job_home(m, wl), now, latest, spec.duration_s);
        if (plan > now) { /* held until plan: placed then */
            int32_t k = job_new(m);
            if (k < 0)
                return -1;
            job_fill(m, k, wl, -1, &spec, now, deadline);
            m->held++;
            return engine_schedule(m->eng, plan, EV_RELEASE, (uint32_t)k);
        }
    }
    int pool;
    const double *score = place_scores(m, wl, &spec);
    cap_refresh_cands(m, wl, now);
    int where = sched_place(m->sch, m->pools, m->cand[wl], score, m->ncand[wl], spec.nodes, &pool);
    if (where == SCHED_REJECT) {
        m->rejected[wl]++;
        m->st.rejected++;
        return 0;
    }
    int32_t k = job_new(m);
    if (k < 0)
        return -1;
    job_fill(m, k, wl, pool, &spec, now, deadline);
    return job_submit(m, k, where, now);
}

/* A held job's planned start: it is placed now. */
static int on_release(sim *m, int32_t k, double now)
{
    job *j = &m->jobs[k];
    m->held--;
    job_spec spec = {.nodes = j->nodes, .duration_s = j->duration_s, .u = j->u, .node_w = j->node_w};
    int pool;
    const double *score = place_scores(m, j->wl, &spec);
    cap_refresh_cands(m, j->wl, now);
    int where = sched_place(m->sch, m->pools, m->cand[j->wl], score, m->ncand[j->wl], j->nodes, &pool);
    if (where == SCHED_REJECT) {
        m->rejected[j->wl]++;
        m->st.rejected++;
        job_delete(m, k);
        return 0;
    }
    j->pool = pool;
    return job_submit(m, k, where, now);
}

/* The busy part of each serving pool's closing step (the pool is its
 * workload's own): IT energy, J, and busy node-seconds, kept between
 * serve_step_before and serve_step_after. */
static void serve_step_before(sim *m, double t)
{
    for (int i = 0; i < m->s->nworkloads; i++) {
        if (!serve_owns(m->sv, i))
            continue;
        pool_state *p = &m->pools[m->s->workloads[i].pool];
        fleet_advance(p, t);
        wl_total *w = &m->wt[i];
        w->step_busy_j = p->step_energy_j - p->step_idle_energy_j;
        w->step_busy_node_s = p->step_busy_node_s;
    }
}

/* Attributes the busy energy of a serving pool's step to its workload with
 * the step's own PUE, intensity, water and price (the site series of the
 * step): facility = IT x PUE, emissions = facility x I, water = IT x
 * site water / site IT energy, cost = busy node-hours x price + facility
 * energy x energy price. */
static void serve_step_after(sim *m)
{
    for (int i = 0; i < m->s->nworkloads; i++) {
        if (!serve_owns(m->sv, i))
            continue;
        const scn_workload *sw = &m->s->workloads[i];
        const pool_state *p = &m->pools[sw->pool];
        const double *sv = &m->acc.site_vals[(size_t)p->site * SV_COUNT];
        wl_total *w = &m->wt[i];
        double it_kwh = w->step_busy_j / 3.6e6;
        double fac_kwh = it_kwh * (isfinite(sv[SV_PUE]) ? sv[SV_PUE] : 1.0);
        double water_per = sv[SV_IT_ENERGY_KWH] > 0 ? sv[SV_WATER_L] / sv[SV_IT_ENERGY_KWH] : 0.0;
        w->node_s += w->step_busy_node_s;
        w->it_kwh += it_kwh;
        w->fac_kwh += fac_kwh;
        w->emissions_kg += fac_kwh * sv[SV_INTENSITY] / 1000.0;
        w->water_l += it_kwh * water_per;
        w->cost_usd += w->step_busy_node_s / 3600.0 * p->price_usd_per_h + fac_kwh * sv[SV_PRICE_USD_PER_MWH] / 1000.0;
        w->embodied_kg += w->step_busy_node_s * p->embodied_kg_per_node_s;
        m->st.busy_node_s += w->step_busy_node_s;
        m->st.job_energy_kwh += it_kwh;
    }
}

/* Closes the accounting step that ends at t and hands it to the sink. */
static int close_step(sim *m, double t, char *err, size_t errlen)
{
    double t0 = m->acc.step_t0;
    serve_step_before(m, t);
    if (account_close_step(&m->acc, m->pools, t, err, errlen))
        return -1;
    serve_step_after(m);
    if (serve_close_step(m->sv, t0, t)) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (m->out->ops->step(m->out->state, t0, m->acc.site_vals, m->acc.pool_vals)) {
        snprintf(err, errlen, "%s", m->out->ops->errmsg(m->out->state));
        return -1;
    }
    return 0;
}

#ifdef SIM_CHECK
/* Invariants after every event (-DSIM_CHECK builds): heap order, counts,
 * and each pool's power equal to its base power plus its jobs' power. */
static void check_invariants(const sim *m)
{
    if (!engine_check(m->eng)) {
        fprintf(stderr, "SIM_CHECK: event heap out of order\n");
        abort();
    }
    for (int i = 0; i < m->s->npools; i++) {
        const pool_state *p = &m->pools[i];
        double expect = fleet_base_power_w(p) - (double)p->busy * p->idle_w + p->jobs_power_w;
        if (p->busy < 0 || p->held < 0 || p->busy + p->held > p->on || fabs(p->power_w - expect) > 1e-6 * (fabs(expect) + 1.0)) {
            fprintf(stderr, "SIM_CHECK: pool %d: busy %lld of %lld on, power %.17g W, expected %.17g W\n", i,
                    p->busy, p->on, p->power_w, expect);
            abort();
        }
        const scn_site *st = &m->s->sites[p->site];
        if (st->cap_from_h < 0 && cap_headroom_w(m, p->site, engine_now(m->eng)) < -1e-6 * st->cap_kw * 1e3) {
            fprintf(stderr, "SIM_CHECK: site %s above its power cap (%.17g W of room)\n", st->name,
                    cap_headroom_w(m, p->site, engine_now(m->eng)));
            abort();
        }
        const power_pool *pp = &m->pw[i];
        if (p->managed && isfinite(pp->off_after_s)) { /* idle batches = idle nodes */
            long long idle = 0;
            for (size_t b = 0; b < pp->in; b++)
                idle += pp->idle[(pp->ihead + b) % pp->icap].n;
            if (idle != p->on - p->busy - p->waking - p->held || p->waking < 0 || p->on > p->count) {
                fprintf(stderr, "SIM_CHECK: pool %d: %lld nodes in idle batches, %lld idle\n", i, idle,
                        p->on - p->busy - p->waking - p->held);
                abort();
            }
        }
    }
}
#endif

/* Progress of a drained run: arrivals so far / arrivals in all. */
static double drain_fraction(const sim *m)
{
    double done = 0, all = 0;
    for (int i = 0; i < m->s->nworkloads; i++) {
        done += (double)m->wls[i].arrived;
        all += (double)m->s->workloads[i].count;
    }
    return all > 0 ? done / all : NAN;
}

static double monotonic_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void build_layout(const sim *m, sink_layout *L)
{
    const scenario *s = m->s;
    memset(L, 0, sizeof *L);
    L->software = "dcsim";
    L->version = DCSIM_VERSION;
    L->scenario = s->name;
    L->config_text = s->config_text;
    L->start_iso = s->start_iso;
    L->seed = s->seed;
    L->step_s = s->step_s;
    L->nsites = s->nsites;
    L->site_names = m->site_names;
    L->npools = s->npools;
    L->pool_names = m->pool_names;
    L->pool_site = m->pool_site;
    L->nsite_vars = SV_COUNT;
    L->site_vars = account_site_vars;
    L->npool_vars = PV_COUNT;
    L->pool_vars = account_pool_vars;
    L->nworkloads = s->nworkloads;
    L->workload_names = m->wl_names;
    L->nkinds = WL_KIND_COUNT;
    L->kind_names = scn_kind_names;
    L->write_jobs = s->output_jobs;
}

/* Battery losses over the run: charged - discharged - still stored, kWh. */
static double battery_loss_kwh(const sim *m)
{
    double l = 0;
    for (int i = 0; i < m->s->nsites; i++) {
        const site_state *ss = &m->acc.sites[i];
        l += ss->charged_kwh - ss->discharged_kwh - ss->bat.soc_kwh;
    }
    return l;
}

/* The summary attributes and per-pool attributes of a finished run. */
#define NSUMMARY 40
#define NPOOL_ATTRS 6
#define NWL_ATTRS (14 + NSERVE_ATTRS)
#define NSERVE_ATTRS 11
static void build_summary(const sim *m, sink_attr *sum, sink_attr *pa)
{
    const sim_stats *st = &m->st;
    const account *a = &m->acc;
    double started = st->started > 0 ? (double)st->started : NAN;
    double emb_jobs = 0, req = 0, inf_cost = 0, inf_kwh = 0;
    for (int i = 0; i < m->s->nworkloads; i++) {
        emb_jobs += m->wt[i].embodied_kg;
        if (m->s->workloads[i].kind == WL_INFERENCE) {
            req += m->wt[i].requests;
            inf_cost += m->wt[i].cost_usd;
            inf_kwh += m->wt[i].fac_kwh;
        }
    }
    /* idle = all - jobs; the two sums differ in rounding only when no node
     * idled, so a difference below 1e-9 of the total is zero */
    double emb_idle = a->embodied_kg - emb_jobs;
    if (fabs(emb_idle) <= 1e-9 * a->embodied_kg)
        emb_idle = 0.0;
    sink_attr v[] = {
        {{"energy_mwh", "MWh", "energy drawn from the grid (facility + battery charge - discharge)"}, a->grid_kwh / 1e3},
        {{"facility_energy_mwh", "MWh", "facility energy: IT + cooling + losses + fixed"}, a->facility_kwh / 1e3},
        {{"it_energy_mwh", "MWh", "IT energy of all nodes"}, a->it_kwh / 1e3},
        {{"idle_energy_mwh", "MWh", "IT energy of idle and off nodes"}, st->idle_energy_kwh / 1e3},
        {{"job_energy_mwh", "MWh", "IT energy of the nodes running jobs"}, st->job_energy_kwh / 1e3},
        {{"cooling_energy_mwh", "MWh", "energy of fans, pumps, chillers and liquid loops"}, a->cooling_kwh / 1e3},
        {{"mean_pue", "1", "facility energy / IT energy"}, a->it_kwh > 0 ? a->facility_kwh / a->it_kwh : NAN},
        {{"emissions_t", "t", "location-based emissions, t CO2e"}, a->emissions_kg / 1e3},
        {{"emissions_location_t", "t", "location-based emissions (energy x average intensity), t CO2e"},
         a->emissions_kg / 1e3},
        {{"emissions_marginal_t", "t", "energy x marginal intensity, t CO2e (NaN unless every site has one)"},
         a->marginal_known ? a->emissions_marginal_kg / 1e3 : NAN},
        {{"emissions_market_t", "t", "market-based emissions, instruments applied hour by hour, t CO2e"},
         a->emissions_market_kg / 1e3},
        {{"emissions_market_annual_t", "t", "market-based emissions, instruments matched over the run, t CO2e"},
         account_market_annual_kg(a) / 1e3},
        {{"emissions_new_demand_t", "t", "energy x emission factor of added demand (fossil-share model), t CO2e"},
         a->new_demand_any ? a->emissions_new_demand_kg / 1e3 : NAN},
        {{"cfe_fraction", "1", "share of grid energy met by carbon-free supply in the same hour"},
         a->grid_kwh > 0 ? a->cfe_kwh / a->grid_kwh : NAN},
        {{"ppa_mwh", "MWh", "generation of the power purchase agreements"}, a->ppa_kwh / 1e3},
        {{"battery_loss_mwh", "MWh", "energy charged - discharged - still stored"}, battery_loss_kwh(m) / 1e3},
        {{"water_m3", "m3", "water used, on-site plus off-site"}, (a->water_onsite_l + a->water_offsite_l) / 1e3},
        {{"water_onsite_m3", "m3", "water evaporated and bled on site"}, a->water_onsite_l / 1e3},
        {{"water_offsite_m3", "m3", "water consumed to generate the grid energy"}, a->water_offsite_l / 1e3},
        {{"wue_l_per_kwh", "L/kWh", "on-site water / IT energy (The Green Grid WUE)"},
         a->it_kwh > 0 ? a->water_onsite_l / a->it_kwh : NAN},
        {{"cost_usd", "USD", "node-hours x price + energy x energy price"}, a->cost_usd},
        {{"embodied_t", "t", "embodied emissions of every node amortised over the run, t CO2e"}, a->embodied_kg / 1e3},
        {{"embodied_jobs_t", "t", "embodied emissions attributed to jobs by node-hours, t CO2e"}, emb_jobs / 1e3},
        {{"embodied_idle_t", "t", "embodied emissions of idle and off capacity, t CO2e"},
         emb_idle / 1e3},
        {{"emissions_with_embodied_t", "t", "location-based plus embodied emissions, t CO2e"},
         (a->emissions_kg + a->embodied_kg) / 1e3},
        {{"requests", "1", "inference requests served"}, req},
        {{"cost_per_1k_requests_usd", "USD", "cost of the inference jobs per 1,000 requests"},
         req > 0 ? inf_cost / req * 1e3 : NAN},
        {{"energy_per_request_wh", "Wh", "facility energy of the inference jobs per request"},
         req > 0 ? inf_kwh / req * 1e3 : NAN},
        {{"jobs_submitted", "1", "jobs submitted"}, (double)st->submitted},
        {{"jobs_completed", "1", "jobs finished"}, (double)st->completed},
        {{"jobs_rejected", "1", "jobs no pool could ever hold"}, (double)st->rejected},
        {{"jobs_running_at_end", "1", "jobs still running when the run ended"}, (double)st->running_at_end},
        {{"jobs_queued_at_end", "1", "jobs still waiting when the run ended"}, (double)st->queued_at_end},
        {{"mean_wait_s", "s", "mean over started jobs of start - submit"}, st->sum_wait_s / started},
        {{"p_wait", "1", "fraction of started jobs that waited"}, (double)st->waited / started},
        {{"busy_node_hours", "h", "node-hours spent running jobs"}, st->busy_node_s / 3600.0},
        {{"sim_end_s", "s", "simulated end, s since start"}, st->end_s},
        {{"steps", "1", "accounting steps written"}, (double)a->steps},
        {{"events", "1", "events processed"}, (double)st->events},
        {{"wall_s", "s", "wall-clock time of the simulation"}, st->wall_s},
    };
    _Static_assert(sizeof v / sizeof v[0] == NSUMMARY, "NSUMMARY must count the summary attributes");
    memcpy(sum, v, sizeof v);
    for (int i = 0; i < m->s->npools; i++) {
        const pool_state *p = &m->pools[i];
        sink_attr *q = &pa[(size_t)i * NPOOL_ATTRS];
        double denom = (double)p->count * st->end_s;
        q[0] = (sink_attr){{"mean_utilization", "1", "busy node-seconds / (nodes x run time)"},
                           denom > 0 ? p->total_busy_node_s / denom : NAN};
        q[1] = (sink_attr){{"node_count", "1", "nodes in the pool"}, (double)p->count};
        q[2] = (sink_attr){{"busy_node_hours", "h", "node-hours running jobs"}, p->total_busy_node_s / 3600.0};
        q[3] = (sink_attr){{"energy_mwh", "MWh", "IT energy of the pool"}, p->total_energy_j / 3.6e9};
        q[4] = (sink_attr){{"embodied_t", "t", "embodied emissions of the pool's nodes over the run, t CO2e"},
                           (double)p->count * st->end_s * p->embodied_kg_per_node_s / 1e3};
        q[5] = (sink_attr){{"jobs_moved_in", "1", "jobs started here whose home site is another site"},
                           (double)m->moved_in[i]};
    }
}

/* The scheduling figures of the summary (appended after build_summary's). */
#define NSCHED_SUMMARY 8
static void build_sched_summary(const sim *m, sink_attr *v)
{
    const sched_stats *ss = sched_get_stats(m->sch);
    double q_s = 0;
    for (int i = 0; i < m->s->npools; i++)
        q_s += m->pools[i].total_queued_s;
    v[0] = (sink_attr){{"jobs_backfilled", "1", "jobs started ahead of a blocked head (easy_backfill)"},
                       (double)ss->backfilled};
    v[1] = (sink_attr){{"mean_queue_length", "1", "time-mean number of jobs waiting, all pools"},
                       m->st.end_s > 0 ? q_s / m->st.end_s : NAN};
    v[2] = (sink_attr){{"reservation_violations", "1", "backfill heads that started after their first reservation (0 by design)"},
                       (double)ss->reservation_violations};
    double boots = 0, boot_j = 0;
    for (int i = 0; i < m->s->npools; i++) {
        boots += (double)m->pw[i].boots;
        boot_j += (double)m->pw[i].boots * m->s->pools[i].boot_energy_j;
    }
    v[3] = (sink_attr){{"node_boots", "1", "nodes switched on by power management"}, boots};
    v[4] = (sink_attr){{"boot_energy_mwh", "MWh", "energy of those boots (boot_energy_wh each)"}, boot_j / 3.6e9};
    v[5] = (sink_attr){{"jobs_shifted", "1", "jobs held back to a lower-carbon start (carbon_policy = shift)"},
                       m->pol ? (double)m->pol->shifted : 0.0};
    v[6] = (sink_attr){{"mean_shift_h", "h", "mean planned delay of the shifted jobs"},
                       m->pol && m->pol->shifted ? m->pol->shifted_s / 3600.0 / (double)m->pol->shifted : NAN};
    v[7] = (sink_attr){{"deadlines_missed", "1", "jobs that ended, or were still running, past their deadline"},
                       (double)m->missed};
}

/* The figures of the suspend, geographic and power-cap policies (appended
 * after build_sched_summary's). */
#define NPOLICY_SUMMARY 10 /* at most */
static int build_policy_summary(const sim *m, sink_attr *v)
{
    v[0] = (sink_attr){{"jobs_suspended", "1", "checkpointable jobs suspended at least once in high-intensity hours"},
                       (double)m->jobs_suspended};
    v[1] = (sink_attr){{"suspensions", "1", "suspensions of checkpointable jobs"}, (double)m->suspensions};
    v[2] = (sink_attr){{"suspended_h", "h", "time jobs spent suspended (their nodes held, idle)"}, m->suspended_s / 3600.0};
    v[3] = (sink_attr){{"checkpoint_overhead_h", "h", "run time added by checkpoint overheads (one per resume)"},
                       m->overhead_s / 3600.0};
    v[4] = (sink_attr){{"jobs_moved", "1", "jobs started at a site other than their home site"}, (double)m->moved};
    if (!m->has_base)
        return 5;
    double saved = m->base_emissions_kg - m->acc.emissions_kg;
    double delay = m->ndone > 0 ? m->sum_delay_s / (double)m->ndone : NAN;
    v[5] = (sink_attr){{"baseline_emissions_t", "t", "location-based emissions of the same arrivals under FIFO, first fit, "
                        "no carbon policy (scheduler.baseline), t CO2e"}, m->base_emissions_kg / 1e3};
    v[6] = (sink_attr){{"emissions_saved_t", "t", "baseline_emissions_t - emissions_t, t CO2e"}, saved / 1e3};
    v[7] = (sink_attr){{"emissions_saved_pct", "%", "emissions_saved_t / baseline_emissions_t x 100"},
                       m->base_emissions_kg > 0 ? 100.0 * saved / m->base_emissions_kg : NAN};
    v[8] = (sink_attr){{"mean_delay_h", "h", "mean delay of completed jobs (end - submit - run time) minus the baseline's"},
                       (delay - m->base_delay_s) / 3600.0};
    v[9] = (sink_attr){{"baseline_jobs_completed", "1", "jobs the baseline completed"}, (double)m->base_done};
    return 10;
}

/* ---- the FIFO baseline (scheduler.baseline) ---- */

static int null_open(void *st, const sink_layout *L) { (void)st; (void)L; return 0; }
static int null_step(void *st, double t, const double *sv, const double *pv)
{
    (void)st; (void)t; (void)sv; (void)pv;
    return 0;
}
static int null_job(void *st, const sink_job *j) { (void)st; (void)j; return 0; }
static int null_close(void *st, int ok, const sink_attr *sum, int n, const sink_attr *pa, int npa)
{
    (void)st; (void)ok; (void)sum; (void)n; (void)pa; (void)npa;
    return 0;
}
static const char *null_errmsg(void *st) { (void)st; return ""; }
static const sink_ops null_ops = {"null", null_open, null_step, null_job, null_close, null_errmsg, NULL, NULL};

/* Runs m's scenario with every pool FIFO, first-fit placement, no carbon
 * policy (no shifting, no suspension) and keeps its emissions and mean
 * delay. The arrivals are the same: each workload's stream depends only on
 * the seed and its name (common random numbers). Site constraints (power
 * caps, allowed sites) stay: they are not policies. Returns 0, 1 if
 * stopped, -1 with a message. */
static int run_baseline(sim *m, const sim_options *opt, char *err, size_t errlen)
{
    const scenario *s = m->s;
    scenario b = *s;
    scn_pool *pools = malloc((size_t)s->npools * sizeof *pools);
    if (!pools) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    memcpy(pools, s->pools, (size_t)s->npools * sizeof *pools);
    for (int i = 0; i < s->npools; i++)
        pools[i].policy = SCHED_FIFO;
    b.pools = pools;
    b.policy = SCHED_FIFO;
    b.placement = PLACE_FIRST_FIT;
    b.carbon_policy = CARBON_NONE;
    b.suspend_above_g_per_kwh = b.suspend_above_pct = -1.0;
    b.baseline = 0;
    b.output_jobs = 0;
    char why[1024] = "";
    int rc = -1;
    sim *bm = sim_alloc(&b, why, sizeof why);
    if (bm) {
        sink ns = {&null_ops, NULL};
        sim_options o = {.stop = opt ? opt->stop : NULL};
        rc = sim_run(bm, &ns, &o, why, sizeof why);
        if (rc == 0) {
            m->has_base = 1;
            m->base_emissions_kg = bm->acc.emissions_kg;
            m->base_delay_s = bm->ndone > 0 ? bm->sum_delay_s / (double)bm->ndone : NAN;
            m->base_done = bm->ndone;
        }
    }
    if (rc)
        snprintf(err, errlen, "baseline run: %s", why);
    sim_free(bm);
    free(pools);
    return rc;
}

/* The serving figures of workload i (NaN unless served per request or step). */
static void serve_attrs(const sim *m, int i, sink_attr *a)
{
    const serve_result *r = serve_result_of(m->sv, i);
    double x = NAN;
    sink_attr v[NSERVE_ATTRS] = {
        {{"p50_ttft_s", "s", "median time to first token (serving mode request or fluid)"}, r ? r->ttft_s[0] : x},
        {{"p95_ttft_s", "s", "95th percentile time to first token"}, r ? r->ttft_s[1] : x},
        {{"p99_ttft_s", "s", "99th percentile time to first token"}, r ? r->ttft_s[2] : x},
        {{"p50_e2e_s", "s", "median end-to-end latency"}, r ? r->e2e_s[0] : x},
        {{"p95_e2e_s", "s", "95th percentile end-to-end latency"}, r ? r->e2e_s[1] : x},
        {{"p99_e2e_s", "s", "99th percentile end-to-end latency"}, r ? r->e2e_s[2] : x},
        {{"mean_ttft_s", "s", "mean time to first token"}, r ? r->mean_ttft_s : x},
        {{"mean_e2e_s", "s", "mean end-to-end latency"}, r ? r->mean_e2e_s : x},
        {{"slo_violations", "1", "requests over slo_ttft or slo_e2e"}, r ? r->slo_violations : x},
        {{"requests_unserved", "1", "requests still waiting at the end (fluid: the backlog)"}, r ? r->unserved : x},
        {{"mean_batch", "1", "requests per batch"}, r && r->batches > 0 ? r->requests / r->batches : x},
    };
    memcpy(a, v, sizeof v);
}

/* The per-workload totals ([nworkloads][NWL_ATTRS]). */
static void build_workloads(const sim *m, sink_attr *wa)
{
    for (int i = 0; i < m->s->nworkloads; i++) {
        const wl_total *w = &m->wt[i];
        const scn_workload *sw = &m->s->workloads[i];
        double rq = w->requests > 0 ? w->requests : NAN;
        int inf = sw->kind == WL_INFERENCE;
        sink_attr v[NWL_ATTRS] = {
            {{"jobs", "1", "jobs started"}, (double)w->jobs},
            {{"jobs_completed", "1", "jobs finished"}, (double)w->completed},
            {{"requests", "1", "inference requests served"}, w->requests},
            {{"node_hours", "h", "node-hours of the jobs"}, w->node_s / 3600.0},
            {{"it_energy_mwh", "MWh", "IT energy of the jobs' nodes"}, w->it_kwh / 1e3},
            {{"facility_energy_mwh", "MWh", "facility energy attributed to the jobs"}, w->fac_kwh / 1e3},
            {{"emissions_t", "t", "location-based emissions attributed to the jobs, t CO2e"}, w->emissions_kg / 1e3},
            {{"water_m3", "m3", "water attributed to the jobs"}, w->water_l / 1e3},
            {{"cost_usd", "USD", "node-hours x price + energy x hourly price"}, w->cost_usd},
            {{"embodied_t", "t", "embodied emissions of the jobs' node-hours, t CO2e"}, w->embodied_kg / 1e3},
            {{"cost_per_1k_requests_usd", "USD", "cost per 1,000 requests"}, w->cost_usd / rq * 1e3},
            {{"energy_per_request_wh", "Wh", "facility energy per request"}, w->fac_kwh / rq * 1e3},
            {{"flops_per_job", "FLOP", "work of one job by the FLOP model (training kinds; NaN otherwise)"},
             sw->kind == WL_TRAINING && sw->flops > 0 ? sw->flops : NAN},
            {{"tokens_per_s_per_node", "1/s", "serving throughput per node, prompt + output tokens (inference)"},
             inf ? sw->tokens_per_s_per_node : NAN},
        };
        memcpy(&wa[(size_t)i * NWL_ATTRS], v, sizeof v);
        serve_attrs(m, i, &wa[(size_t)i * NWL_ATTRS + 14]);
    }
}

/* The per-group totals: the additive figures of build_workloads summed over
 * the workloads of each group (first appearance order), and the two
 * per-request ratios recomputed from the sums. Returns the number of groups. */
#define NGROUP_ADD 10 /* jobs .. embodied_t: additive */
#define NGROUP_ATTRS 12
static int build_groups(const sim *m, const sink_attr *wa, const char **gnames, sink_attr *ga)
{
    const scenario *s = m->s;
    int ng = 0;
    for (int i = 0; i < s->nworkloads; i++) {
        int g = 0;
        while (g < ng && strcmp(gnames[g], s->workloads[i].group))
            g++;
        sink_attr *row = &ga[(size_t)g * NGROUP_ATTRS];
        const sink_attr *w = &wa[(size_t)i * NWL_ATTRS];
        if (g == ng) {
            gnames[ng++] = s->workloads[i].group;
            for (int k = 0; k < NGROUP_ATTRS; k++) {
                row[k] = w[k];
                row[k].value = 0.0;
            }
        }
        for (int k = 0; k < NGROUP_ADD; k++)
            row[k].value += w[k].value;
    }
    for (int g = 0; g < ng; g++) {
        sink_attr *row = &ga[(size_t)g * NGROUP_ATTRS];
        double rq = row[2].value > 0 ? row[2].value : NAN; /* requests */
        row[10].value = row[8].value / rq * 1e3;           /* cost per 1,000 requests, USD */
        row[11].value = row[5].value / rq * 1e6;           /* MWh -> Wh per request */
        row[10].var.long_name = "cost of the group's jobs (training included) per 1,000 requests";
        row[11].var.long_name = "facility energy of the group's jobs (training included) per request";
    }
    return ng;
}

/* /workloads and /groups through the sink's optional totals(). */
static int write_totals(const sim *m, sink *out, char *err, size_t errlen)
{
    const scenario *s = m->s;
    size_t n = (size_t)s->nworkloads;
    sink_attr *wa = malloc(n * NWL_ATTRS * sizeof *wa), *ga = malloc(n * NGROUP_ATTRS * sizeof *ga);
    const char **groups = malloc(n * sizeof *groups), **gnames = malloc(n * sizeof *gnames);
    int rc = -1;
    if (!wa || !ga || !groups || !gnames) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    build_workloads(m, wa);
    for (size_t i = 0; i < n; i++)
        groups[i] = s->workloads[i].group;
    int ng = build_groups(m, wa, gnames, ga);
    if (out->ops->totals(out->state, "workloads", (int)n, m->wl_names, groups, wa, NWL_ATTRS) ||
        out->ops->totals(out->state, "groups", ng, gnames, NULL, ga, NGROUP_ATTRS))
        snprintf(err, errlen, "%s", out->ops->errmsg(out->state));
    else
        rc = 0;
done:
    free(wa);
    free(ga);
    free(groups);
    free(gnames);
    return rc;
}

int sim_run(sim *m, sink *out, const sim_options *opt, char *err, size_t errlen)
{
    const scenario *s = m->s;
    if (errlen)
        err[0] = '\0';
    if (m->ran) {
        snprintf(err, errlen, "a sim runs once");
        return -1;
    }
    m->ran = 1;
    m->out = out;
    m->write_jobs = s->output_jobs;
    double wall0 = monotonic_s();
    if (s->baseline) {
        int brc = run_baseline(m, opt, err, errlen);
        if (brc) {
            out->ops->close(out->state, 0, NULL, 0, NULL, 0);
            return brc;
        }
    }
    sink_layout L;
    build_layout(m, &L);
    if (out->ops->open(out->state, &L)) {
        snprintf(err, errlen, "%s", out->ops->errmsg(out->state));
        out->ops->close(out->state, 0, NULL, 0, NULL, 0);
        return -1;
    }
    int rc = -1;
    const double horizon = s->duration_s;
    for (int i = 0; i < s->nworkloads; i++)
        if (isfinite(m->wls[i].next_s)) {
            m->active_wls++;
            if (engine_schedule(m->eng, m->wls[i].next_s, EV_ARRIVAL, (uint32_t)i))
                goto oom;
        }
    if (engine_schedule(m->eng, s->step_s, EV_STEP, 0) || ((m->suspend || m->cap_windows) && engine_schedule(m->eng, 3600.0, EV_HOUR, 0)))
        goto oom;
    if (serve_start(m->sv))
        goto oom;
    for (int i = 0; i < s->npools; i++)
        if (nodes_idle(m, i, 0.0, m->pools[i].on))
            goto oom;
    double end = horizon;
    engine_event ev;
    uint64_t n = 0;
    while (engine_pop(m->eng, &ev)) {
        if (ev.t >= horizon) { /* the run ends at the horizon; this event stays pending */
            engine_unpop(m->eng);
            break;
        }
        int bad = 0;
        switch (ev.kind) {
        case EV_STEP:
            if (close_step(m, ev.t, err, errlen))
                goto fail;
            bad = engine_schedule(m->eng, ev.t + s->step_s, EV_STEP, 0);
            break;
        case EV_ARRIVAL:
            bad = on_arrival(m, (int)ev.idx, ev.t);
            break;
        case EV_WAKE:
            bad = on_wake(m, (int)ev.idx, ev.t);
            break;
        case EV_IDLE:
            bad = on_idle(m, (int)ev.idx, ev.t);
            break;
        case EV_RELEASE:
            bad = on_release(m, (int32_t)ev.idx, ev.t);
            break;
        case EV_HOUR:
            bad = on_hour(m, ev.t);
            break;
        case EV_RESUME:
            bad = on_resume(m, (int32_t)ev.idx, ev.t);
            break;
        default:
            bad = ev.kind >= EV_SERVE ? serve_event(m->sv, ev.kind, ev.idx, ev.t) : on_end(m, (int32_t)ev.idx, ev.t);
            break;
        }
        if (bad) {
            if (!*err) { /* the sink failed, or (its message empty) an allocation did */
                const char *why = out->ops->errmsg(out->state);
                snprintf(err, errlen, "%s", why && *why ? why : "out of memory");
            }
            goto fail;
        }
#ifdef SIM_CHECK
        check_invariants(m);
#endif
        if (s->drain && m->active_wls == 0 && m->running == 0 && sched_queued(m->sch) == 0 && m->held == 0) {
            end = ev.t;
            break;
        }
        if ((++n & 0xffff) == 0) {
            if (opt && opt->stop && *opt->stop)
                break;
            if (opt && opt->progress)
                opt->progress(opt->progress_ctx, ev.t, s->drain ? drain_fraction(m) : ev.t / horizon,
                              engine_popped(m->eng));
        }
    }
    if (opt && opt->stop && *opt->stop) {
        snprintf(err, errlen, "interrupted at %.0f s of simulated time", engine_now(m->eng));
        rc = 1;
        goto fail;
    }
    m->st.events = engine_popped(m->eng);
    m->st.end_s = end;
    /* the last (possibly partial) step */
    if (end > m->acc.step_t0 && close_step(m, end, err, errlen))
        goto fail;
    serve_finish(m->sv, end);
    for (int i = 0; i < s->nworkloads; i++)
        if (serve_owns(m->sv, i))
            m->wt[i].requests += serve_result_of(m->sv, i)->requests;
    /* the pending job ends are the jobs still running: written up to the end */
    while (engine_pop(m->eng, &ev)) {
        if (ev.kind != EV_END || m->jobs[ev.idx].state != JOB_RUNNING || ev.t != m->jobs[ev.idx].end_s)
            continue;
        m->st.running_at_end++;
        if (job_record(m, (int32_t)ev.idx, end, 0)) {
            snprintf(err, errlen, "%s", out->ops->errmsg(out->state));
            goto fail;
        }
    }
    for (int32_t i = 0; i < m->nck; i++) /* suspended at the end: written up to the end */
        if (m->jobs[m->ck[i]].state == JOB_SUSPENDED) {
            m->st.running_at_end++;
            if (job_record(m, m->ck[i], end, 0)) {
                snprintf(err, errlen, "%s", out->ops->errmsg(out->state));
                goto fail;
            }
        }
    m->st.queued_at_end = (long long)sched_queued(m->sch) + m->held;
    double idle_j = 0;
    for (int i = 0; i < s->npools; i++)
        idle_j += m->pools[i].total_idle_energy_j;
    m->st.idle_energy_kwh = idle_j / 3.6e6;
    m->st.it_energy_kwh = m->acc.it_kwh;
    m->st.facility_energy_kwh = m->acc.facility_kwh;
    m->st.grid_energy_kwh = m->acc.grid_kwh;
    m->st.emissions_kg = m->acc.emissions_kg;
    m->st.water_l = m->acc.water_onsite_l + m->acc.water_offsite_l;
    m->st.cost_usd = m->acc.cost_usd;
    m->st.wall_s = monotonic_s() - wall0;
    sink_attr sum[NSUMMARY + NSCHED_SUMMARY + NPOLICY_SUMMARY];
    sink_attr *pa = malloc((size_t)s->npools * NPOOL_ATTRS * sizeof *pa);
    if (!pa)
        goto oom;
    build_summary(m, sum, pa);
    build_sched_summary(m, sum + NSUMMARY);
    int npol = build_policy_summary(m, sum + NSUMMARY + NSCHED_SUMMARY);
    if (serve_write_series(m->sv, out)) {
        snprintf(err, errlen, "%s", out->ops->errmsg(out->state));
        free(pa);
        goto fail;
    }
    if (out->ops->totals && write_totals(m, out, err, errlen)) {
        free(pa);
        goto fail;
    }
    int crc = out->ops->close(out->state, 1, sum, NSUMMARY + NSCHED_SUMMARY + npol, pa, NPOOL_ATTRS);
    free(pa);
    if (crc) {
        snprintf(err, errlen, "%s", out->ops->errmsg(out->state));
        return -1;
    }
    return 0;
oom:
    snprintf(err, errlen, "out of memory");
fail:
    out->ops->close(out->state, 0, NULL, 0, NULL, 0);
    return rc;
}
