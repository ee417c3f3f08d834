/* fuzz_report.c - libFuzzer harness of the result-file reader
 * (analysis/report.c: report_print as text and kv, report_export_csv), the
 * code behind `dcsim report` and `dcsim export`.
 *
 * Two kinds of input:
 *  - raw: bytes that start with the HDF5 signature are written as they are
 *    (the seeds are result files of small runs of the project's scenarios).
 *    HDF5 checksums its metadata, so most mutations end in a clean
 *    "damaged or truncated" error; raw data and unchecked fields still vary.
 *  - built: any other bytes are a small program that builds a valid HDF5
 *    file through the HDF5 API (groups, attributes and datasets of any type
 *    and shape, links, names from the result layout), so the reader meets
 *    every structure a file can hold, not only the ones dcsim writes.
 *    Format: byte 0 holds flags (bit 0 layout_version = 1 at the root, bit 1
 *    a /summary group, bit 2 the newest file format, bit 3 tracked creation
 *    order); then operations, each one byte (see build()) with its operands.
 *
 * Checks beyond "no crash, no sanitizer report": a failure gives a message
 * that names the file; no HDF5 object is left open after a call (a leaked
 * handle keeps the file open); a broken promise aborts. Crashes inside
 * libhdf5 itself on damaged raw files would be HDF5's bugs: none was seen
 * (docs/RELIABILITY.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>

#include "../../analysis/report.h"
#include "fuzzutil.h"

#define MAX_POINTS 2048 /* elements of one built attribute or dataset */
#define MAX_DEPTH 8     /* nesting of built groups */
#define MAX_DSETS 4     /* built datasets exported */

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_dir();
    devnull = fopen("/dev/null", "w");
    if (!devnull)
        abort();
    (void)H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    return 0;
}

/* ---- the building program's operands ----------------------------------- */

typedef struct prog {
    const uint8_t *p;
    size_t n, at;
} prog;

static unsigned next(prog *g)
{
    return g->at < g->n ? g->p[g->at++] : 0;
}

static int more(const prog *g)
{
    return g->at < g->n;
}

/* A link or attribute name: one of the result layout's names, or up to 15
 * bytes of the input (any byte but NUL). */
static void take_name(prog *g, char *buf, size_t len)
{
    static const char *const known[] = {
        "summary", "sites", "pools", "jobs", "time", "config", "units", "long_name", "layout_version",
        "scenario", "seed", "start", "step_s", "energy_mwh", "jobs_completed", "mean_utilization",
        "node_count", "busy_node_hours", "it_energy_kwh", "dc", "hosts", "software", "version", "pool_units"};
    unsigned b = next(g);
    if (b < 0xa0) {
        snprintf(buf, len, "%s", known[b % (sizeof known / sizeof known[0])]);
        return;
    }
    size_t n = b & 15, k = 0;
    for (size_t i = 0; i < n && k + 1 < len; i++) {
        unsigned c = next(g);
        if (c)
            buf[k++] = (char)c;
    }
    buf[k] = '\0';
    if (k == 0)
        snprintf(buf, len, "x");
}

/* A datatype (caller closes it), or H5I_INVALID_HID. */
static hid_t take_type(prog *g)
{
    unsigned b = next(g);
    hid_t t = H5I_INVALID_HID;
    switch (b % 16) {
    case 0: return H5Tcopy(H5T_STD_I8LE);
    case 1: return H5Tcopy(H5T_STD_U8BE);
    case 2: return H5Tcopy(H5T_STD_I16BE);
    case 3: return H5Tcopy(H5T_STD_I32LE);
    case 4: return H5Tcopy(H5T_STD_U32LE);
    case 5: return H5Tcopy(H5T_STD_I64BE);
    case 6: return H5Tcopy(H5T_STD_U64LE);
    case 7: return H5Tcopy(H5T_IEEE_F32BE);
    case 8: return H5Tcopy(H5T_IEEE_F64LE);
    case 9: /* fixed-length string of 1..16 bytes, padding and character set from b */
        t = H5Tcopy(H5T_C_S1);
        if (t != H5I_INVALID_HID) {
            H5Tset_size(t, 1 + (next(g) & 15));
            H5Tset_strpad(t, (H5T_str_t)((b >> 4) % 3));
            H5Tset_cset(t, (b & 0x40) ? H5T_CSET_UTF8 : H5T_CSET_ASCII);
        }
        return t;
    case 10: /* variable-length string */
        t = H5Tcopy(H5T_C_S1);
        if (t != H5I_INVALID_HID) {
            H5Tset_size(t, H5T_VARIABLE);
            H5Tset_cset(t, (b & 0x40) ? H5T_CSET_UTF8 : H5T_CSET_ASCII);
        }
        return t;
    case 11: { /* array of 1..8 doubles */
        hsize_t d = 1 + (next(g) & 7);
        return H5Tarray_create2(H5T_NATIVE_DOUBLE, 1, &d);
    }
    case 12: /* compound {double a; int b;} */
        t = H5Tcreate(H5T_COMPOUND, 16);
        if (t != H5I_INVALID_HID) {
            H5Tinsert(t, "a", 0, H5T_NATIVE_DOUBLE);
            H5Tinsert(t, "b", 8, H5T_NATIVE_INT);
        }
        return t;
    case 13: { /* enum of int8 */
        t = H5Tenum_create(H5T_NATIVE_SCHAR);
        signed char v0 = 0, v1 = 1;
        if (t != H5I_INVALID_HID) {
            H5Tenum_insert(t, "no", &v0);
            H5Tenum_insert(t, "yes", &v1);
        }
        return t;
    }
    case 14: /* bitfield or opaque */
        if (b & 0x10)
            return H5Tcopy(H5T_STD_B16LE);
        t = H5Tcreate(H5T_OPAQUE, 4);
        if (t != H5I_INVALID_HID)
            H5Tset_tag(t, "blob");
        return t;
    default: /* an integer of unusual precision */
        t = H5Tcopy(H5T_NATIVE_LLONG);
        if (t != H5I_INVALID_HID)
            H5Tset_precision(t, 1 + (next(g) % 64));
        return t;
    }
}

/* A dataspace (caller closes it): scalar, null, 1-D or 2-D, at most
 * MAX_POINTS elements. */
static hid_t take_space(prog *g)
{
    unsigned b = next(g);
    hsize_t d[2];
    switch (b % 5) {
    case 0: return H5Screate(H5S_SCALAR);
    case 1: return H5Screate(H5S_NULL);
    case 2:
    case 3:
        d[0] = next(g) | (b & 0x80 ? (hsize_t)(next(g) & 7) << 8 : 0);
        return H5Screate_simple(1, d, NULL);
    default:
        d[0] = next(g) % 48;
        d[1] = next(g) % 48;
        return H5Screate_simple(2, d, NULL);
    }
}

/* Fills buf (size bytes) for npoints elements of type t from the program:
 * variable-length strings point into strs (npoints of them). */
static int take_data(prog *g, hid_t t, hssize_t npoints, unsigned char *buf, size_t size, char **strs,
                     char *pool, size_t poolsize)
{
    if (H5Tis_variable_str(t) > 0) {
        size_t k = 0;
        for (hssize_t i = 0; i < npoints; i++) {
            size_t n = next(g) % 24;
            if (k + n + 1 > poolsize)
                n = 0, k = 0;
            strs[i] = pool + k;
            for (size_t c = 0; c < n; c++) {
                unsigned ch = next(g);
                pool[k++] = (char)(ch ? ch : ' ');
            }
            pool[k++] = '\0';
        }
        return 0;
    }
    for (size_t i = 0; i < size; i++)
        buf[i] = (unsigned char)next(g);
    return 0;
}

/* Creates an attribute (dset = 0) or a dataset (dset = 1) called name under
 * loc from the program; returns 1 if a dataset was made. Failures of HDF5
 * (a name already used, a bad type for the space) are ignored: they only
 * mean a smaller file. */
static int make_object(prog *g, hid_t loc, int dset, char *name)
{
    static unsigned char buf[MAX_POINTS * 16];
    static char *strs[MAX_POINTS];
    static char pool[65536];
    int made = 0;
    hid_t t = take_type(g), sp = take_space(g), o = H5I_INVALID_HID;
    if (t == H5I_INVALID_HID || sp == H5I_INVALID_HID)
        goto out;
    hssize_t np = H5Sget_simple_extent_npoints(sp);
    size_t tsize = H5Tget_size(t);
    if (np < 0 || np > MAX_POINTS || tsize == 0 || (size_t)np * tsize > sizeof buf)
        goto out;
    take_data(g, t, np, buf, (size_t)np * tsize, strs, pool, sizeof pool);
    const void *data = H5Tis_variable_str(t) > 0 ? (const void *)strs : (const void *)buf;
    if (dset) {
        o = H5Dcreate2(loc, name, t, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        if (o != H5I_INVALID_HID) {
            made = 1;
            if (np > 0)
                H5Dwrite(o, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
            H5Dclose(o);
        }
    } else {
        o = H5Acreate2(loc, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
        if (o != H5I_INVALID_HID) {
            if (np > 0)
                H5Awrite(o, t, data);
            H5Aclose(o);
        }
    }
out:
    if (sp != H5I_INVALID_HID)
        H5Sclose(sp);
    if (t != H5I_INVALID_HID)
        H5Tclose(t);
    H5Eclear2(H5E_DEFAULT);
    return made;
}

/* Opens group path under f, creating it and its parents; H5I_INVALID_HID on failure. */
static hid_t goto_group(hid_t f, const char *path)
{
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE), gr = H5I_INVALID_HID;
    if (lcpl == H5I_INVALID_HID)
        return H5I_INVALID_HID;
    H5Pset_create_intermediate_group(lcpl, 1);
    htri_t e = H5Lexists(f, path, H5P_DEFAULT) ;
    if (e > 0)
        gr = H5Gopen2(f, path, H5P_DEFAULT);
    else
        gr = H5Gcreate2(f, path, lcpl, H5P_DEFAULT, H5P_DEFAULT);
    H5Pclose(lcpl);
    H5Eclear2(H5E_DEFAULT);
    return gr;
}

/* Closes every HDF5 object still open (the builder's, after an HDF5 error
 * left some): the reader must then start with none. */
static void close_all(void)
{
    hid_t ids[64];
    ssize_t n;
    for (int round = 0; round < 100 && (n = H5Fget_obj_ids((hid_t)H5F_OBJ_ALL, H5F_OBJ_ALL, 64, ids)) > 0; round++)
        for (ssize_t i = 0; i < n; i++)
            while (H5Iis_valid(ids[i]) > 0 && H5Idec_ref(ids[i]) > 0)
                ;
    H5Eclear2(H5E_DEFAULT);
}

/* Builds the file described by the program; returns 0 or -1, and the paths
 * of up to MAX_DSETS datasets made. */
static int build(prog *g, const char *path, char dsets[MAX_DSETS][300], int *ndsets)
{
    static const char *const places[] = {"/", "/summary", "/sites", "/sites/dc", "/sites/dc/pools",
                                         "/sites/dc/pools/hosts", "/summary/units", "/jobs"};
    unsigned flags = next(g);
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE), fapl = H5Pcreate(H5P_FILE_ACCESS), gcpl = H5Pcreate(H5P_GROUP_CREATE);
    hid_t f = H5I_INVALID_HID, stack[MAX_DEPTH + 1];
    char names[MAX_DEPTH + 1][300];
    int depth = 0;
    *ndsets = 0;
    if (fcpl == H5I_INVALID_HID || fapl == H5I_INVALID_HID || gcpl == H5I_INVALID_HID)
        goto fail;
    if (flags & 8) {
        H5Pset_attr_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
        H5Pset_link_creation_order(fcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
        H5Pset_link_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
        H5Pset_attr_creation_order(gcpl, H5P_CRT_ORDER_TRACKED);
    }
    if (flags & 4)
        H5Pset_libver_bounds(fapl, H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
    H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG); /* closing the file closes what is left open */
    f = H5Fcreate(path, H5F_ACC_TRUNC, fcpl, fapl);
    if (f == H5I_INVALID_HID)
        goto fail;
    if (flags & 1) {
        hid_t sp = H5Screate(H5S_SCALAR);
        hid_t a = H5Acreate2(f, "layout_version", H5T_STD_I32LE, sp, H5P_DEFAULT, H5P_DEFAULT);
        int one = 1;
        H5Awrite(a, H5T_NATIVE_INT, &one);
        H5Aclose(a);
        H5Sclose(sp);
    }
    if (flags & 2) {
        hid_t s = H5Gcreate2(f, "summary", H5P_DEFAULT, gcpl, H5P_DEFAULT);
        H5Gclose(s);
    }
    stack[0] = H5Gopen2(f, "/", H5P_DEFAULT);
    snprintf(names[0], sizeof names[0], "%s", "");
    H5Eclear2(H5E_DEFAULT);
    if (stack[0] == H5I_INVALID_HID)
        goto fail;
    for (int ops = 0; more(g) && ops < 200; ops++) {
        unsigned op = next(g);
        hid_t cur = stack[depth];
        char name[64], target[64];
        switch (op % 8) {
        case 0: /* a child group, entered */
            take_name(g, name, sizeof name);
            if (depth < MAX_DEPTH) {
                hid_t c = H5Gcreate2(cur, name, H5P_DEFAULT, gcpl, H5P_DEFAULT);
                if (c != H5I_INVALID_HID) {
                    stack[++depth] = c;
                    snprintf(names[depth], sizeof names[depth], "%s/%s", names[depth - 1], name);
                }
            }
            break;
        case 1: /* back to the parent */
            if (depth > 0)
                H5Gclose(stack[depth--]);
            break;
        case 2: /* an attribute of the current group */
        case 6:
            take_name(g, name, sizeof name);
            make_object(g, cur, 0, name);
            break;
        case 3: /* a dataset in the current group (kept for export) */
            take_name(g, name, sizeof name);
            if (make_object(g, cur, 1, name) && *ndsets < MAX_DSETS)
                snprintf(dsets[(*ndsets)++], 300, "%s/%s", names[depth], name);
            break;
        case 4: /* go to a place of the result layout (made if absent) */
            while (depth > 0)
                H5Gclose(stack[depth--]);
            if ((op >> 3) % 8 != 0) {
                const char *pl = places[(op >> 3) % 8];
                hid_t c = goto_group(f, pl);
                if (c != H5I_INVALID_HID) {
                    stack[++depth] = c;
                    snprintf(names[depth], sizeof names[depth], "%s", pl);
                }
            }
            break;
        case 5: /* a soft link (maybe dangling), an external link, or a hard link making a cycle */
            take_name(g, name, sizeof name);
            take_name(g, target, sizeof target);
            if ((op >> 3) % 3 == 0)
                H5Lcreate_soft(target, cur, name, H5P_DEFAULT, H5P_DEFAULT);
            else if ((op >> 3) % 3 == 1)
                H5Lcreate_external("no-such-file.h5", target, cur, name, H5P_DEFAULT, H5P_DEFAULT);
            else
                H5Lcreate_hard(f, "/", cur, name, H5P_DEFAULT, H5P_DEFAULT);
            break;
        default: /* a double attribute, the common case in a result file */
            take_name(g, name, sizeof name);
            {
                double v;
                unsigned char b[8];
                for (int i = 0; i < 8; i++)
                    b[i] = (unsigned char)next(g);
                memcpy(&v, b, 8);
                hid_t sp = H5Screate(H5S_SCALAR);
                hid_t a = H5Acreate2(cur, name, H5T_IEEE_F64LE, sp, H5P_DEFAULT, H5P_DEFAULT);
                if (a != H5I_INVALID_HID) {
                    H5Awrite(a, H5T_NATIVE_DOUBLE, &v);
                    H5Aclose(a);
                }
                H5Sclose(sp);
            }
            break;
        }
        H5Eclear2(H5E_DEFAULT);
    }
    while (depth >= 0)
        H5Gclose(stack[depth--]);
    H5Pclose(gcpl);
    H5Pclose(fapl);
    H5Pclose(fcpl);
    int r = H5Fclose(f) < 0 ? -1 : 0;
    H5Eclear2(H5E_DEFAULT);
    return r;
fail:
    if (f != H5I_INVALID_HID)
        H5Fclose(f);
    if (gcpl != H5I_INVALID_HID)
        H5Pclose(gcpl);
    if (fapl != H5I_INVALID_HID)
        H5Pclose(fapl);
    if (fcpl != H5I_INVALID_HID)
        H5Pclose(fcpl);
    H5Eclear2(H5E_DEFAULT);
    return -1;
}

/* Checks the outcome of one reader call. */
static void check_call(int r, const char *path, const char *err, size_t errlen)
{
    if (r != 0) {
        fuzz_check_message(err, errlen);
        FUZZ_CHECK(strncmp(err, path, strlen(path)) == 0, "a report error names the file");
    } else {
        FUZZ_CHECK(r == 0, "report returns 0 or -1");
    }
    FUZZ_CHECK(H5Fget_obj_count((hid_t)H5F_OBJ_ALL, H5F_OBJ_ALL) == 0, "no HDF5 object is left open");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    char dsets[MAX_DSETS + 3][300];
    int ndsets = 0;
    const char *path;
    if (size >= 8 && memcmp(data, sig, 8) == 0) {
        path = fuzz_write(0, "result.h5", data, size);
    } else {
        prog g = {data, size, 0};
        path = fuzz_write(0, "result.h5", "", 0);
        int r = build(&g, path, dsets, &ndsets);
        close_all();
        if (r != 0)
            return 0;
    }
    snprintf(dsets[ndsets++], 300, "/time");
    snprintf(dsets[ndsets++], 300, "/sites/dc/it_energy_kwh");
    snprintf(dsets[ndsets++], 300, "/jobs/end_s");
    char err[600];
    memset(err, 'x', sizeof err);
    check_call(report_print(path, "text", devnull, err, sizeof err), path, err, sizeof err);
    memset(err, 'x', sizeof err);
    check_call(report_print(path, "kv", devnull, err, sizeof err), path, err, sizeof err);
    for (int i = 0; i < ndsets; i++) {
        memset(err, 'x', sizeof err);
        check_call(report_export_csv(path, dsets[i], devnull, err, sizeof err), path, err, sizeof err);
    }
    return 0;
}
