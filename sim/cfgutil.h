/* cfgutil.h - typed, range-checked reads of libconfig settings whose errors
 * name the file and line where the user wrote the value.
 *
 * Every reader returns 0 on success and -1 on error, with a message of the
 * form "file:line: path.to.setting must be > 0 (got -3)" in err. A missing
 * optional setting leaves *out at the default the caller put there.
 */
#ifndef DCSIM_CFGUTIL_H
#define DCSIM_CFGUTIL_H

#include <libconfig.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cfg_err {
    char msg[1024];
    const char *default_file; /* file to name when a setting has no source (e.g. from --set) */
} cfg_err;

/* Formats an error located at setting s (or at the file if s is NULL). Returns -1. */
int cfgutil_fail(cfg_err *e, const config_setting_t *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Writes names (NULL-ended) as "\"a\", \"b\", \"c\"" into buf, for messages
 * that list the choices. */
void cfgutil_join(const char *const *names, char *buf, size_t len);

/* Writes the dotted path of s ("sites[0].pools[1].count") into buf. */
void cfgutil_path(const config_setting_t *s, char *buf, size_t len);

/* Fails if group s holds a member whose name is not in allowed (NULL-ended). */
int cfgutil_check_keys(cfg_err *e, const config_setting_t *s, const char *const *allowed);

/* Member `name` of group g as a float (an integer is accepted) in [lo, hi].
 * required = 0: absent leaves *out unchanged. */
int cfgutil_float(cfg_err *e, const config_setting_t *g, const char *name, int required, double lo,
                  double hi, double *out);
/* As cfgutil_float, for an integer (a float with an integral value is accepted). */
int cfgutil_int(cfg_err *e, const config_setting_t *g, const char *name, int required, long long lo,
                long long hi, long long *out);
int cfgutil_bool(cfg_err *e, const config_setting_t *g, const char *name, int required, int *out);
/* A string member; *out points into the config (valid while it lives). maxlen
 * bounds its length (names are short). */
int cfgutil_string(cfg_err *e, const config_setting_t *g, const char *name, int required, size_t maxlen,
                   const char **out);
/* A duration string ("1h", "365d") or a number of seconds, in [lo, hi] s. */
int cfgutil_duration(cfg_err *e, const config_setting_t *g, const char *name, int required, double lo,
                     double hi, double *out);
/* Index of string member `name` in choices (NULL-ended); absent leaves *out. */
int cfgutil_choice(cfg_err *e, const config_setting_t *g, const char *name, int required,
                   const char *const *choices, int *out);
/* Member `name` that must be a group (required: absent is an error); *out NULL if absent. */
int cfgutil_group(cfg_err *e, const config_setting_t *g, const char *name, int required,
                  config_setting_t **out);
/* Member `name` that must be a list of groups; *out NULL if absent. */
int cfgutil_list(cfg_err *e, const config_setting_t *g, const char *name, int required,
                 config_setting_t **out);

/* Applies one override "path=value" to cfg. Path elements are separated by
 * '.'; an element is a member name, "[N]" for the N-th list element, or the
 * `name` of a list element ("sites.us-east.pools.gpu.count=64"). The value's
 * type follows the existing setting (int, float, bool, string); a missing
 * final member is created with the type its text suggests. Returns 0 or -1. */
int cfgutil_apply_set(cfg_err *e, config_t *cfg, const char *assignment);

/* The setting at path (the language of cfgutil_apply_set: member names,
 * [N] indices, or the name of a list element), or NULL if there is none. */
config_setting_t *cfgutil_lookup(const config_t *cfg, const char *path);

/* Creates the folders above path, like mkdir -p of its dirname (for a
 * result path the user gave). Returns 0, or -1 with the folder and the
 * reason in err. */
int cfgutil_make_parent_dirs(const char *path, char *err, size_t errlen);

#endif
