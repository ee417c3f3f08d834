/* power.c - idle and waking batches of a pool (see power.h). */
#include <math.h>
#include <stdlib.h>

#include "power.h"

static int ring_push(power_batch **r, size_t *head, size_t *n, size_t *cap, power_batch b)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        power_batch *nr = malloc(nc * sizeof *nr);
        if (!nr)
            return -1;
        for (size_t k = 0; k < *n; k++)
            nr[k] = (*r)[(*head + k) % *cap];
        free(*r);
        *r = nr;
        *head = 0;
        *cap = nc;
    }
    (*r)[(*head + *n) % *cap] = b;
    (*n)++;
    return 0;
}

int power_idle_push(power_pool *pp, double t, long long n)
{
    if (n <= 0 || !isfinite(pp->off_after_s))
        return 0;
    return ring_push(&pp->idle, &pp->ihead, &pp->in, &pp->icap, (power_batch){t, n});
}

void power_idle_take(power_pool *pp, long long n)
{
    while (n > 0 && pp->in > 0) {
        power_batch *b = &pp->idle[(pp->ihead + pp->in - 1) % pp->icap];
        long long k = b->n < n ? b->n : n;
        b->n -= k;
        n -= k;
        if (b->n == 0)
            pp->in--;
    }
}

long long power_expire(power_pool *pp, double t, long long most)
{
    long long off = 0;
    while (pp->in > 0 && off < most) {
        power_batch *b = &pp->idle[pp->ihead];
        if (b->t + pp->off_after_s > t + 1e-9 * fmax(1.0, fabs(t)))
            break;
        long long k = b->n < most - off ? b->n : most - off;
        b->n -= k;
        off += k;
        if (b->n == 0) {
            pp->ihead = (pp->ihead + 1) % pp->icap;
            pp->in--;
        }
    }
    pp->offs += off;
    return off;
}

int power_wake_push(power_pool *pp, double t, long long n)
{
    pp->boots += n;
    return ring_push(&pp->wake, &pp->whead, &pp->wn, &pp->wcap, (power_batch){t + pp->wake_s, n});
}

long long power_wake_pop(power_pool *pp)
{
    if (pp->wn == 0)
        return 0;
    long long n = pp->wake[pp->whead].n;
    pp->whead = (pp->whead + 1) % pp->wcap;
    pp->wn--;
    return n;
}

void power_free(power_pool *pp)
{
    if (!pp)
        return;
    free(pp->idle);
    free(pp->wake);
    pp->idle = pp->wake = NULL;
    pp->in = pp->wn = pp->icap = pp->wcap = 0;
}
