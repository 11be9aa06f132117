/* The lifecircle imports: official facility lists and residential demand as CSV, each all or
 * nothing with every bad row reported by line, placed in the community it lies in, audited. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/xalloc.h"
#include "lifecircle/internal.h"
#include "lifecircle/lifecircle.h"
#include "lifecircle/lifecircle_store.h"

static void row_error(struct lifecircle_import_result *res, int line, const char *field,
                      const char *code, const char *reason)
{
    struct lifecircle_row_error e = {.line = line};
    snprintf(e.field, sizeof(e.field), "%s", field);
    snprintf(e.code, sizeof(e.code), "%s", code);
    snprintf(e.reason, sizeof(e.reason), "%s", reason);
    PUSH(res, e);
}

static const char *cell(const struct csv_reader *r, int col)
{
    return col >= 0 && col < r->nfields ? r->fields[col] : "";
}

static bool num(const char *s, double lo, double hi, double *out)
{
    char *end = NULL;
    if (!s || !*s)
        return false;
    double v = strtod(s, &end);
    if (*end || !isfinite(v) || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

/* Read the header; -1 with err when a needed column is missing. */
static int header(struct csv_reader *r, const char *const *need, int *cols, struct app_error *err)
{
    int rc = csv_next(r, err);
    if (rc <= 0)
        return rc == 0 ? app_fail(err, APP_ERR_INVALID, "empty", "file", "the file is empty") : -1;
    for (int i = 0; need[i]; i++)
        if ((cols[i] = csv_column(r, need[i])) < 0)
            return app_fail(err, APP_ERR_INVALID, "missing_column", need[i],
                            "the header lacks the column %s", need[i]);
    return 0;
}

int lifecircle_facility_import(struct app *app, struct db *db, const struct auth_principal *who,
                               const char *csv, size_t len, const char *request_id,
                               struct lifecircle_import_result *res, struct app_error *err)
{
    static const char *const need[] = {"name", "category", "level", "lon", "lat", NULL};
    struct csv_reader r;
    struct lifecircle_facility_list rows = {0};
    int cols[5], rc, ret = -1;
    csv_init(&r, csv, len);
    if (header(&r, need, cols, err))
        goto out;
    int c_kind = csv_column(&r, "kind"), c_ref = csv_column(&r, "ref");
    size_t ncat;
    const struct lifecircle_category *cats = lifecircle_categories(&ncat);
    while ((rc = csv_next(&r, err)) == 1) {
        struct lifecircle_facility f = {0};
        double lv;
        int c = lifecircle_category_parse(cell(&r, cols[1]));
        const char *name = cell(&r, cols[0]);
        if (!*name || strlen(name) >= sizeof(f.name)) {
            row_error(res, r.line, "name", "bad_name", "name is required (under 128 bytes)");
            continue;
        }
        if (c < 0) {
            row_error(res, r.line, "category", "bad_category",
                      "category must be employment, education, health, culture or elderly");
            continue;
        }
        if (!num(cell(&r, cols[2]), 5, 15, &lv) || lifecircle_level_index((int)lv) < 0 ||
            lv != (int)lv) {
            row_error(res, r.line, "level", "bad_level", "level must be 5, 10 or 15");
            continue;
        }
        if (!num(cell(&r, cols[3]), -180, 180, &f.lon)) {
            row_error(res, r.line, "lon", "bad_coordinate", "lon must be a WGS84 longitude");
            continue;
        }
        if (!num(cell(&r, cols[4]), -90, 90, &f.lat)) {
            row_error(res, r.line, "lat", "bad_coordinate", "lat must be a WGS84 latitude");
            continue;
        }
        snprintf(f.name, sizeof(f.name), "%s", name);
        snprintf(f.category, sizeof(f.category), "%s", cats[c].id);
        f.level = (int)lv;
        snprintf(f.kind, sizeof(f.kind), "%s", cell(&r, c_kind));
        snprintf(f.ref, sizeof(f.ref), "%s", cell(&r, c_ref));
        snprintf(f.source, sizeof(f.source), "csv");
        lifecircle_locate(app, db, f.lon, f.lat, f.region, sizeof(f.region));
        if (!lifecircle_in_scope(who, f.region)) {
            row_error(res, r.line, "lon", "out_of_scope", "the place is outside your jurisdiction");
            continue;
        }
        PUSH(&rows, f);
    }
    if (rc < 0)
        goto out;
    if (res->len) {
        app_fail(err, APP_ERR_INVALID, "bad_rows", "file", "%zu rows refused; nothing imported",
                 res->len);
        goto out;
    }
    if (!rows.len) {
        app_fail(err, APP_ERR_INVALID, "empty", "file", "the file has no rows");
        goto out;
    }
    int64_t now = clock_now();
    if (db_begin(db, err))
        goto out;
    for (size_t i = 0; i < rows.len; i++) {
        int64_t id;
        char oid[24];
        if (lifecircle_store_facility_add(db, &rows.items[i], now, &id, err))
            goto fail;
        snprintf(oid, sizeof(oid), "%lld", (long long)id);
        struct audit_entry ae = {.actor = who,
                                 .action = "lifecircle.facility.import",
                                 .object_type = "lifecircle_facility",
                                 .object_id = oid,
                                 .request_id = request_id,
                                 .after = rows.items[i].name,
                                 .region = rows.items[i].region[0] ? rows.items[i].region
                                                                   : DISTRICT_CODE};
        if (audit_append(db, &ae, err))
            goto fail;
    }
    if (db_commit(db, err))
        goto fail;
    res->accepted = rows.len;
    ret = 0;
    goto out;
fail:
    db_rollback(db);
out:
    free(rows.items);
    csv_release(&r);
    return ret;
}

int lifecircle_demand_import(struct app *app, struct db *db, const struct auth_principal *who,
                             const char *csv, size_t len, const char *request_id,
                             struct lifecircle_import_result *res, struct app_error *err)
{
    static const char *const need[] = {"name", "population", "lon", "lat", NULL};
    if (!lifecircle_in_scope(who, ""))
        return app_fail(err, APP_ERR_FORBIDDEN, "district_only", NULL,
                        "only district-wide accounts replace the demand points");
    struct csv_reader r;
    struct lifecircle_demand_list rows = {0};
    int cols[4], rc, ret = -1;
    csv_init(&r, csv, len);
    if (header(&r, need, cols, err))
        goto out;
    while ((rc = csv_next(&r, err)) == 1) {
        struct lifecircle_demand d = {0};
        double pop;
        const char *name = cell(&r, cols[0]);
        if (!*name || strlen(name) >= sizeof(d.name)) {
            row_error(res, r.line, "name", "bad_name", "name is required (under 128 bytes)");
            continue;
        }
        if (!num(cell(&r, cols[1]), 0, 1e7, &pop) || pop != (int64_t)pop) {
            row_error(res, r.line, "population", "bad_population",
                      "population must be a whole number of residents");
            continue;
        }
        if (!num(cell(&r, cols[2]), -180, 180, &d.lon)) {
            row_error(res, r.line, "lon", "bad_coordinate", "lon must be a WGS84 longitude");
            continue;
        }
        if (!num(cell(&r, cols[3]), -90, 90, &d.lat)) {
            row_error(res, r.line, "lat", "bad_coordinate", "lat must be a WGS84 latitude");
            continue;
        }
        snprintf(d.name, sizeof(d.name), "%s", name);
        d.population = (int64_t)pop;
        lifecircle_locate(app, db, d.lon, d.lat, d.region, sizeof(d.region));
        if (!lifecircle_in_scope(who, d.region)) {
            row_error(res, r.line, "lon", "out_of_scope", "the place is outside your jurisdiction");
            continue;
        }
        PUSH(&rows, d);
    }
    if (rc < 0)
        goto out;
    if (res->len) {
        app_fail(err, APP_ERR_INVALID, "bad_rows", "file", "%zu rows refused; nothing imported",
                 res->len);
        goto out;
    }
    if (!rows.len) {
        app_fail(err, APP_ERR_INVALID, "empty", "file", "the file has no rows");
        goto out;
    }
    if (db_begin(db, err))
        goto out;
    if (lifecircle_store_demand_clear(db, false, err))
        goto fail;
    for (size_t i = 0; i < rows.len; i++)
        if (lifecircle_store_demand_add(db, &rows.items[i], err))
            goto fail;
    char oid[24], after[64];
    snprintf(oid, sizeof(oid), "%zu", rows.len);
    snprintf(after, sizeof(after), "points=%zu", rows.len);
    struct audit_entry ae = {.actor = who,
                             .action = "lifecircle.demand.import",
                             .object_type = "lifecircle_demand",
                             .object_id = oid,
                             .request_id = request_id,
                             .after = after,
                             .region = DISTRICT_CODE};
    if (audit_append(db, &ae, err) || db_commit(db, err))
        goto fail;
    res->accepted = rows.len;
    ret = 0;
    goto out;
fail:
    db_rollback(db);
out:
    free(rows.items);
    csv_release(&r);
    return ret;
}
