/* testutil.h - helpers shared by the unit tests: scratch files and a tiny
 * catalog with hand-checkable figures. */
#ifndef DCSIM_TESTUTIL_H
#define DCSIM_TESTUTIL_H

#include "../sim/scenario.h"
#include "memsink.h"

/* One node type "n100": idle 100 W, max 400 W, linear, 1 device of
 * 100 TFLOPS bf16, 2 USD/h; and one model "m1b" of 1e9 parameters. */
#define TEST_CATALOG                                                                                    \
    "node_types = ( { name = \"n100\"; accelerator = \"x\"; accelerators = 1; vcpus = 8;\n"             \
    "  peak_tflops = { fp32 = 25.0; bf16 = 100.0; fp8 = 200.0; int8 = 200.0; };\n"                     \
    "  mem_gb = 80.0; mem_bw_gbs = 2000.0; idle_w = 100.0; max_w = 400.0; alpha = 1.0; off_w = 10.0;\n" \
    "  price_usd_per_h = 2.0; embodied_kgco2e = 1000.0; lifetime_years = 4.0; liquid_cooled = false;\n" \
    "  source = \"test figures\"; } );\n"                                                               \
    "models = ( { name = \"m1b\"; params_b = 1.0; active_params_b = 1.0; layers = 16; hidden = 2048;\n" \
    "  heads = 16; kv_heads = 16; vocab = 32000; context = 4096; source = \"test\"; } );\n"

/* Writes text to <tmpdir>/name and returns the path (static buffer, one per
 * call site is enough: copied by callers who keep it). */
const char *test_write(const char *name, const char *text);

/* Loads scenario text (written to <tmpdir>/name); returns 0 or -1 and err. */
int test_load(scenario *s, const char *name, const char *text, char *err, size_t errlen);

/* Runs s into a memory sink; returns sim_run's status. */
int test_run(const scenario *s, memsink *ms);

#endif
