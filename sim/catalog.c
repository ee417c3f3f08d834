/* catalog.c - reading node types and models from libconfig (see catalog.h). */
#include "catalog.h"

#include <stdlib.h>
#include <string.h>

const char *const catalog_precision_names[] = {"fp32", "bf16", "fp8", "int8", NULL};

static const char *const type_keys[] = {
    "name",   "accelerator", "accelerators",    "vcpus",           "peak_tflops",    "mem_gb",
    "mem_bw_gbs", "idle_w",  "max_w",           "alpha",           "off_w",          "price_usd_per_h",
    "embodied_kgco2e", "lifetime_years", "liquid_cooled", "source", NULL};
static const char *const model_keys[] = {"name",   "params_b", "active_params_b", "layers", "hidden",
                                         "heads",  "kv_heads", "vocab",           "context", "source", NULL};

void catalog_free(catalog *c)
{
    if (!c)
        return;
    free(c->types);
    free(c->models);
    free(c->measured);
    memset(c, 0, sizeof *c);
}

static int load_type(const config_setting_t *g, node_type *t, cfg_err *e)
{
    const char *s = NULL;
    long long ll = 0;
    config_setting_t *pk = NULL;
    if (cfgutil_check_keys(e, g, type_keys) || cfgutil_string(e, g, "name", 1, CATALOG_NAME_MAX, &s))
        return -1;
    strcpy(t->name, s);
    if (cfgutil_string(e, g, "accelerator", 1, CATALOG_NAME_MAX, &s))
        return -1;
    strcpy(t->accelerator, s);
    if (cfgutil_int(e, g, "accelerators", 1, 0, 1024, &ll))
        return -1;
    t->accelerators = (int)ll;
    if (cfgutil_int(e, g, "vcpus", 1, 0, 100000, &ll))
        return -1;
    t->vcpus = (int)ll;
    if (cfgutil_group(e, g, "peak_tflops", 1, &pk) || cfgutil_check_keys(e, pk, catalog_precision_names))
        return -1;
    for (int p = 0; p < PREC_COUNT; p++)
        if (cfgutil_float(e, pk, catalog_precision_names[p], 1, 0.0, 1e6, &t->peak_tflops[p]))
            return -1;
    t->alpha = 1.0;
    if (cfgutil_float(e, g, "mem_gb", 1, 0.0, 1e6, &t->mem_gb) ||
        cfgutil_float(e, g, "mem_bw_gbs", 1, 0.0, 1e7, &t->mem_bw_gbs) ||
        cfgutil_float(e, g, "idle_w", 1, 0.0, 1e6, &t->idle_w) ||
        cfgutil_float(e, g, "max_w", 1, 0.0, 1e6, &t->max_w) ||
        cfgutil_float(e, g, "alpha", 1, 0.1, 10.0, &t->alpha) ||
        cfgutil_float(e, g, "off_w", 1, 0.0, 1e6, &t->off_w) ||
        cfgutil_float(e, g, "price_usd_per_h", 1, 0.0, 1e6, &t->price_usd_per_h) ||
        cfgutil_float(e, g, "embodied_kgco2e", 1, 0.0, 1e9, &t->embodied_kgco2e) ||
        cfgutil_float(e, g, "lifetime_years", 1, 0.0, 100.0, &t->lifetime_years) ||
        cfgutil_bool(e, g, "liquid_cooled", 1, &t->liquid_cooled) ||
        cfgutil_string(e, g, "source", 1, 4096, &s))
        return -1;
    if (t->max_w < t->idle_w)
        return cfgutil_fail(e, config_setting_get_member(g, "max_w"),
                            "node type %s: max_w (%g W) is below idle_w (%g W)", t->name, t->max_w, t->idle_w);
    if (t->off_w > t->idle_w)
        return cfgutil_fail(e, config_setting_get_member(g, "off_w"),
                            "node type %s: off_w (%g W) is above idle_w (%g W)", t->name, t->off_w, t->idle_w);
    return 0;
}

static int load_model(const config_setting_t *g, model_spec *m, cfg_err *e)
{
    const char *s = NULL;
    long long ll[6] = {0};
    static const char *const ints[] = {"layers", "hidden", "heads", "kv_heads", "vocab", "context"};
    if (cfgutil_check_keys(e, g, model_keys) || cfgutil_string(e, g, "name", 1, CATALOG_NAME_MAX, &s))
        return -1;
    strcpy(m->name, s);
    if (cfgutil_float(e, g, "params_b", 1, 1e-6, 1e5, &m->params_b) ||
        cfgutil_float(e, g, "active_params_b", 1, 1e-6, 1e5, &m->active_params_b) ||
        cfgutil_string(e, g, "source", 1, 4096, &s))
        return -1;
    for (int i = 0; i < 6; i++)
        if (cfgutil_int(e, g, ints[i], 1, 1, 100000000, &ll[i]))
            return -1;
    m->layers = (int)ll[0];
    m->hidden = (int)ll[1];
    m->heads = (int)ll[2];
    m->kv_heads = (int)ll[3];
    m->vocab = (int)ll[4];
    m->context = (int)ll[5];
    if (m->active_params_b > m->params_b)
        return cfgutil_fail(e, config_setting_get_member(g, "active_params_b"),
                            "model %s: active_params_b exceeds params_b", m->name);
    return 0;
}

static int load_measured(const config_setting_t *g, const catalog *c, measured_tput *mt, cfg_err *e)
{
    static const char *const keys[] = {"node", "model", "precision", "tokens_per_s", "source", NULL};
    const char *s = NULL;
    if (cfgutil_check_keys(e, g, keys) || cfgutil_string(e, g, "node", 1, CATALOG_NAME_MAX, &s))
        return -1;
    if ((mt->type = catalog_find_type(c, s)) < 0)
        return cfgutil_fail(e, config_setting_get_member(g, "node"), "measured throughput: unknown node type \"%s\"", s);
    if (cfgutil_string(e, g, "model", 1, CATALOG_NAME_MAX, &s))
        return -1;
    if ((mt->model = catalog_find_model(c, s)) < 0)
        return cfgutil_fail(e, config_setting_get_member(g, "model"), "measured throughput: unknown model \"%s\"", s);
    if (cfgutil_choice(e, g, "precision", 1, catalog_precision_names, &mt->precision) ||
        cfgutil_float(e, g, "tokens_per_s", 1, 1e-6, 1e12, &mt->tokens_per_s) ||
        cfgutil_string(e, g, "source", 1, 4096, &s))
        return -1;
    if (catalog_measured(c, mt->type, mt->model, mt->precision) > 0)
        return cfgutil_fail(e, g, "measured throughput of %s on %s at %s is given twice", c->models[mt->model].name,
                            c->types[mt->type].name, catalog_precision_names[mt->precision]);
    return 0;
}

int catalog_load(catalog *c, const config_setting_t *node_types, const config_setting_t *models,
                 const config_setting_t *measured, cfg_err *e)
{
    memset(c, 0, sizeof *c);
    int nt = node_types ? config_setting_length(node_types) : 0;
    int nm = models ? config_setting_length(models) : 0;
    c->types = calloc((size_t)(nt ? nt : 1), sizeof *c->types);
    c->models = calloc((size_t)(nm ? nm : 1), sizeof *c->models);
    if (!c->types || !c->models) {
        cfgutil_fail(e, NULL, "out of memory reading the catalog");
        goto err;
    }
    for (int i = 0; i < nt; i++) {
        const config_setting_t *g = config_setting_get_elem(node_types, (unsigned)i);
        if (load_type(g, &c->types[i], e))
            goto err;
        if (catalog_find_type(c, c->types[i].name) >= 0) {
            cfgutil_fail(e, g, "node type \"%s\" is defined twice", c->types[i].name);
            goto err;
        }
        c->ntypes++;
    }
    for (int i = 0; i < nm; i++) {
        const config_setting_t *g = config_setting_get_elem(models, (unsigned)i);
        if (load_model(g, &c->models[i], e))
            goto err;
        if (catalog_find_model(c, c->models[i].name) >= 0) {
            cfgutil_fail(e, g, "model \"%s\" is defined twice", c->models[i].name);
            goto err;
        }
        c->nmodels++;
    }
    int nx = measured ? config_setting_length(measured) : 0;
    if (nx > 0 && !(c->measured = calloc((size_t)nx, sizeof *c->measured))) {
        cfgutil_fail(e, NULL, "out of memory reading the catalog");
        goto err;
    }
    for (int i = 0; i < nx; i++) {
        if (load_measured(config_setting_get_elem(measured, (unsigned)i), c, &c->measured[i], e))
            goto err;
        c->nmeasured++;
    }
    return 0;
err:
    catalog_free(c);
    return -1;
}

int catalog_find_type(const catalog *c, const char *name)
{
    for (int i = 0; i < c->ntypes; i++)
        if (strcmp(c->types[i].name, name) == 0)
            return i;
    return -1;
}

int catalog_find_model(const catalog *c, const char *name)
{
    for (int i = 0; i < c->nmodels; i++)
        if (strcmp(c->models[i].name, name) == 0)
            return i;
    return -1;
}

double catalog_node_peak_flops(const node_type *t, int p)
{
    int devices = t->accelerators > 0 ? t->accelerators : 1;
    return t->peak_tflops[p] * 1e12 * devices;
}

double catalog_measured(const catalog *c, int type, int model, int precision)
{
    for (int i = 0; i < c->nmeasured; i++) {
        const measured_tput *m = &c->measured[i];
        if (m->type == type && m->model == model && m->precision == precision)
            return m->tokens_per_s;
    }
    return 0;
}
