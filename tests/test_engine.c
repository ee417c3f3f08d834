/* test_engine.c - the event queue: order by (time, seq), heap invariants. */
#include <stdlib.h>

#include "../sim/engine.h"
#include "check.h"

void test_engine_order(void);
void test_engine_ties(void);
void test_engine_empty(void);

void test_engine_order(void)
{
    engine *e = engine_alloc(4);
    srand(1);
    for (uint32_t i = 0; i < 100000; i++)
        CHECK(engine_schedule(e, (double)(rand() % 1000), 0, i) == 0);
    CHECK(engine_check(e));
    CHECK_INT(engine_pending(e), 100000);
    engine_event ev, prev = {-1, 0, 0, 0};
    int bad = 0;
    while (engine_pop(e, &ev)) {
        if (ev.t < prev.t || (ev.t == prev.t && ev.seq < prev.seq))
            bad++;
        prev = ev;
        if ((engine_popped(e) & 1023) == 0 && !engine_check(e))
            bad++;
    }
    CHECK_INT(bad, 0);
    CHECK_INT(engine_popped(e), 100000);
    CHECK(engine_now(e) == prev.t);
    engine_free(e);
}

void test_engine_ties(void)
{
    /* equal times pop in scheduling order: the order is total */
    engine *e = engine_alloc(1);
    for (uint32_t i = 0; i < 50; i++)
        engine_schedule(e, 7.0, 1, i);
    engine_schedule(e, 3.0, 2, 99);
    engine_event ev;
    CHECK(engine_pop(e, &ev) && ev.idx == 99 && ev.t == 3.0);
    for (uint32_t i = 0; i < 50; i++) {
        CHECK(engine_pop(e, &ev));
        CHECK_INT(ev.idx, i);
    }
    CHECK(!engine_pop(e, &ev));
    CHECK(engine_peek_time(e) == INFINITY);
    engine_free(e);
}

void test_engine_empty(void)
{
    engine_free(NULL); /* a no-op */
    engine *e = engine_alloc(0);
    engine_event ev;
    CHECK(!engine_pop(e, &ev));
    CHECK_INT(engine_pending(e), 0);
    engine_free(e);
}
