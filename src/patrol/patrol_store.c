/* All SQL of the patrol module. The findings' open/closed state is read from the events table
 * (the event a finding opened), joined by its code. */
#include "patrol/patrol_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "core/db_row.h"

bool patrol_store_in_tx(struct db *db)
{
    return !sqlite3_get_autocommit(db_sqlite(db));
}

int patrol_store_river_put(struct db *db, const char *code, const char *name, bool synthetic,
                           struct app_error *err)
{
    static const char sql[] = "INSERT INTO patrol_rivers (code, name, synthetic) VALUES (?, ?, ?) "
                              "ON CONFLICT(code) DO UPDATE SET name = excluded.name";
    return db_run(db, sql, DB_PARAMS(DB_TEXT(code), DB_TEXT(name), DB_INT(synthetic)), err);
}

int patrol_store_segment_insert(struct db *db, const struct patrol_segment *s,
                                struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO patrol_segments (code, river, name, geometry, length_m, buffer_m, street, "
        "station, target_class, works, min_lon, min_lat, max_lon, max_lat, synthetic, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    return db_run(db, sql,
                  DB_PARAMS(DB_TEXT(s->code), DB_TEXT(s->river), DB_TEXT(s->name),
                            DB_TEXT(s->geometry), DB_DOUBLE(s->length_m), DB_DOUBLE(s->buffer_m),
                            DB_TEXT(s->street), DB_TEXT(s->station), DB_INT(s->target_class),
                            DB_TEXT(s->works ? s->works : ""), DB_DOUBLE(s->bbox[0]),
                            DB_DOUBLE(s->bbox[1]), DB_DOUBLE(s->bbox[2]), DB_DOUBLE(s->bbox[3]),
                            DB_INT(s->synthetic), DB_INT(s->created_at)),
                  err);
}

int patrol_store_segment_update(struct db *db, const struct patrol_segment *s,
                                struct app_error *err)
{
    static const char sql[] =
        "UPDATE patrol_segments SET name = ?, geometry = ?, length_m = ?, buffer_m = ?, "
        "street = ?, station = ?, target_class = ?, works = ?, min_lon = ?, min_lat = ?, "
        "max_lon = ?, max_lat = ? WHERE code = ?";
    return db_run(db, sql,
                  DB_PARAMS(DB_TEXT(s->name), DB_TEXT(s->geometry), DB_DOUBLE(s->length_m),
                            DB_DOUBLE(s->buffer_m), DB_TEXT(s->street), DB_TEXT(s->station),
                            DB_INT(s->target_class), DB_TEXT(s->works ? s->works : ""),
                            DB_DOUBLE(s->bbox[0]), DB_DOUBLE(s->bbox[1]), DB_DOUBLE(s->bbox[2]),
                            DB_DOUBLE(s->bbox[3]), DB_TEXT(s->code)),
                  err);
}

int patrol_store_segment_grids_clear(struct db *db, const char *segment, struct app_error *err)
{
    static const char sql[] = "DELETE FROM patrol_segment_grids WHERE segment = ?";
    return db_run(db, sql, DB_PARAMS(DB_TEXT(segment)), err);
}

int patrol_store_segment_grid_add(struct db *db, const char *segment, const char *grid,
                                  struct app_error *err)
{
    static const char sql[] =
        "INSERT OR IGNORE INTO patrol_segment_grids (segment, grid) VALUES (?, ?)";
    return db_run(db, sql, DB_PARAMS(DB_TEXT(segment), DB_TEXT(grid)), err);
}

#define SEGMENT_COLUMNS                                                                            \
    "s.code, s.river, r.name, s.name, s.geometry, s.length_m, s.buffer_m, s.street, s.station, "   \
    "s.target_class, s.works, s.min_lon, s.min_lat, s.max_lon, s.max_lat, s.synthetic, "           \
    "s.created_at FROM patrol_segments s JOIN patrol_rivers r ON r.code = s.river"

static const struct db_column segment_cols[] = {
    DB_COL(CHARS, struct patrol_segment, code),
    DB_COL(CHARS, struct patrol_segment, river),
    DB_COL(CHARS, struct patrol_segment, river_name),
    DB_COL(CHARS, struct patrol_segment, name),
    DB_COL(STRDUP, struct patrol_segment, geometry),
    DB_COL(DOUBLE, struct patrol_segment, length_m),
    DB_COL(DOUBLE, struct patrol_segment, buffer_m),
    DB_COL(CHARS, struct patrol_segment, street),
    DB_COL(CHARS, struct patrol_segment, station),
    DB_COL(INT, struct patrol_segment, target_class),
    DB_COL(STRDUP, struct patrol_segment, works),
    DB_COL(DOUBLE, struct patrol_segment, bbox[0]),
    DB_COL(DOUBLE, struct patrol_segment, bbox[1]),
    DB_COL(DOUBLE, struct patrol_segment, bbox[2]),
    DB_COL(DOUBLE, struct patrol_segment, bbox[3]),
    DB_COL(BOOL, struct patrol_segment, synthetic),
    DB_COL(INT64, struct patrol_segment, created_at),
};
static const struct db_row_map segment_map = DB_ROW_MAP(struct patrol_segment, segment_cols);

int patrol_store_segment_get(struct db *db, const char *code, struct patrol_segment *out,
                             bool *found, struct app_error *err)
{
    static const char sql[] = "SELECT " SEGMENT_COLUMNS " WHERE s.code = ?";
    return db_get(db, sql, DB_PARAMS(DB_TEXT(code)), &segment_map, out, found, err);
}

/* Scope as in auth_region_in_scope: codes nest by prefix. */
#define SCOPE_CLAUSE                                                                               \
    "(?1 IS NULL OR EXISTS (SELECT 1 FROM patrol_segment_grids g WHERE g.segment = s.code AND "    \
    "substr(g.grid, 1, length(?1)) = ?1) OR (?2 <> '' AND EXISTS (SELECT 1 FROM patrol_chiefs c "  \
    "WHERE c.segment = s.code AND c.username = ?2 AND c.ended_at = 0)))"

int patrol_store_segment_list(struct db *db, const char *scope, const char *username,
                              struct patrol_segment_list *out, struct app_error *err)
{
    static const char sql[] = "SELECT " SEGMENT_COLUMNS " WHERE " SCOPE_CLAUSE " ORDER BY s.code";
    return db_list(db, sql, DB_PARAMS(DB_TEXT(scope), DB_TEXT(username ? username : "")),
                   &segment_map, DB_LIST(out), -1, NULL, err);
}

struct one_int {
    int64_t v;
};
static const struct db_column one_int_cols[] = {DB_COL(INT64, struct one_int, v)};
static const struct db_row_map one_int_map = DB_ROW_MAP(struct one_int, one_int_cols);

int patrol_store_segment_visible(struct db *db, const char *code, const char *scope,
                                 const char *username, bool *visible, struct app_error *err)
{
    static const char sql[] = "SELECT 1 FROM patrol_segments s WHERE s.code = ?3 AND " SCOPE_CLAUSE;
    struct one_int r;
    return db_get(db, sql,
                  DB_PARAMS(DB_TEXT(scope), DB_TEXT(username ? username : ""), DB_TEXT(code)),
                  &one_int_map, &r, visible, err);
}

static const struct db_column grid_cols[] = {DB_COL(CHARS, struct patrol_grid_row, grid)};
static const struct db_row_map grid_map = DB_ROW_MAP(struct patrol_grid_row, grid_cols);

int patrol_store_segment_grids(struct db *db, const char *segment, struct patrol_grid_list *out,
                               struct app_error *err)
{
    static const char sql[] =
        "SELECT grid FROM patrol_segment_grids WHERE segment = ? ORDER BY grid";
    return db_list(db, sql, DB_PARAMS(DB_TEXT(segment)), &grid_map, DB_LIST(out), -1, NULL, err);
}

/* ---- chiefs ---- */

static const struct db_column chief_cols[] = {
    DB_COL(INT64, struct patrol_chief, id),         DB_COL(CHARS, struct patrol_chief, segment),
    DB_COL(CHARS, struct patrol_chief, level_name), DB_COL(CHARS, struct patrol_chief, name),
    DB_COL(CHARS, struct patrol_chief, title),      DB_COL(CHARS, struct patrol_chief, region),
    DB_COL(CHARS, struct patrol_chief, username),   DB_COL(BOOL, struct patrol_chief, synthetic),
};
static const struct db_row_map chief_map = DB_ROW_MAP(struct patrol_chief, chief_cols);
#define CHIEF_COLUMNS "id, segment, level, name, title, region, username, synthetic"

int patrol_store_chief_insert(struct db *db, const struct patrol_chief *c, int64_t *id,
                              struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO patrol_chiefs (segment, level, name, title, region, username, synthetic) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";
    struct one_int r;
    bool found;
    if (db_get(db, sql,
               DB_PARAMS(DB_TEXT(c->segment), DB_TEXT(patrol_level_name(c->level)),
                         DB_TEXT(c->name), DB_TEXT(c->title), DB_TEXT(c->region),
                         DB_TEXT(c->username), DB_INT(c->synthetic)),
               &one_int_map, &r, &found, err))
        return -1;
    if (id)
        *id = r.v;
    return 0;
}

static void chief_levels(struct patrol_chief_list *l)
{
    for (size_t i = 0; i < l->len; i++) {
        int lv = patrol_level_parse(l->items[i].level_name);
        l->items[i].level = lv < 0 ? PATROL_LEVEL_COMMUNITY : (enum patrol_level)lv;
    }
}

int patrol_store_chiefs(struct db *db, const char *segment, struct patrol_chief_list *out,
                        struct app_error *err)
{
    static const char sql[] =
        "SELECT " CHIEF_COLUMNS " FROM patrol_chiefs WHERE segment = ? AND ended_at = 0 "
        "ORDER BY CASE level WHEN 'district' THEN 0 WHEN 'street' THEN 1 "
        "ELSE 2 END, id";
    if (db_list(db, sql, DB_PARAMS(DB_TEXT(segment)), &chief_map, DB_LIST(out), -1, NULL, err))
        return -1;
    chief_levels(out);
    return 0;
}

int patrol_store_chief_of(struct db *db, const char *segment, const char *username,
                          struct patrol_chief *out, bool *found, struct app_error *err)
{
    static const char sql[] =
        "SELECT " CHIEF_COLUMNS " FROM patrol_chiefs WHERE segment = ? AND "
        "username = ? AND username <> '' AND ended_at = 0 ORDER BY id LIMIT 1";
    if (db_get(db, sql, DB_PARAMS(DB_TEXT(segment), DB_TEXT(username)), &chief_map, out, found,
               err))
        return -1;
    int lv = patrol_level_parse(out->level_name);
    out->level = lv < 0 ? PATROL_LEVEL_COMMUNITY : (enum patrol_level)lv;
    return 0;
}

int patrol_store_chief_get(struct db *db, int64_t id, struct patrol_chief *out, bool *found,
                           struct app_error *err)
{
    static const char sql[] =
        "SELECT " CHIEF_COLUMNS " FROM patrol_chiefs WHERE id = ? AND ended_at = 0";
    if (db_get(db, sql, DB_PARAMS(DB_INT(id)), &chief_map, out, found, err))
        return -1;
    int lv = patrol_level_parse(out->level_name);
    out->level = lv < 0 ? PATROL_LEVEL_COMMUNITY : (enum patrol_level)lv;
    return 0;
}

int patrol_store_chief_update(struct db *db, const struct patrol_chief *c, struct app_error *err)
{
    static const char sql[] = "UPDATE patrol_chiefs SET level = ?, name = ?, title = ?, "
                              "region = ?, username = ? WHERE id = ? AND ended_at = 0";
    return db_run(db, sql,
                  DB_PARAMS(DB_TEXT(patrol_level_name(c->level)), DB_TEXT(c->name),
                            DB_TEXT(c->title), DB_TEXT(c->region), DB_TEXT(c->username),
                            DB_INT(c->id)),
                  err);
}

int patrol_store_chief_end(struct db *db, int64_t id, int64_t now, struct app_error *err)
{
    static const char sql[] = "UPDATE patrol_chiefs SET ended_at = ? WHERE id = ? AND ended_at = 0";
    return db_run(db, sql, DB_PARAMS(DB_INT(now), DB_INT(id)), err);
}

/* ---- patrols ---- */

int patrol_store_patrol_insert(struct db *db, struct patrol_patrol *p, const char *track,
                               struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO patrol_patrols (segment, user_id, username, patroller, role, chief, "
        "started_at, ended_at, track, points, track_m, coverage, buffer_m, synthetic, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
    struct one_int r;
    bool found;
    if (db_get(db, sql,
               DB_PARAMS(DB_TEXT(p->segment), DB_INT(p->user_id), DB_TEXT(p->username),
                         DB_TEXT(p->patroller), DB_TEXT(p->role), DB_INT_OPT(p->chief),
                         DB_INT(p->started_at), DB_INT(p->ended_at), DB_TEXT(track),
                         DB_INT(p->points), DB_DOUBLE(p->track_m), DB_DOUBLE(p->coverage),
                         DB_DOUBLE(p->buffer_m), DB_INT(p->synthetic), DB_INT(p->created_at)),
               &one_int_map, &r, &found, err))
        return -1;
    p->id = r.v;
    return 0;
}

static const struct db_column patrol_cols[] = {
    DB_COL(INT64, struct patrol_patrol, id),
    DB_COL(CHARS, struct patrol_patrol, segment),
    DB_COL(INT64, struct patrol_patrol, user_id),
    DB_COL(CHARS, struct patrol_patrol, username),
    DB_COL(CHARS, struct patrol_patrol, patroller),
    DB_COL(CHARS, struct patrol_patrol, role),
    DB_COL(INT64, struct patrol_patrol, chief),
    DB_COL(CHARS, struct patrol_patrol, chief_level),
    DB_COL(INT64, struct patrol_patrol, started_at),
    DB_COL(INT64, struct patrol_patrol, ended_at),
    DB_COL(INT, struct patrol_patrol, points),
    DB_COL(DOUBLE, struct patrol_patrol, track_m),
    DB_COL(DOUBLE, struct patrol_patrol, coverage),
    DB_COL(DOUBLE, struct patrol_patrol, buffer_m),
    DB_COL(BOOL, struct patrol_patrol, synthetic),
    DB_COL(INT64, struct patrol_patrol, created_at),
};
static const struct db_row_map patrol_map = DB_ROW_MAP(struct patrol_patrol, patrol_cols);

int patrol_store_patrol_list(struct db *db, const char *segment, long limit,
                             struct patrol_patrol_list *out, struct app_error *err)
{
    static const char sql[] =
        "SELECT p.id, p.segment, p.user_id, p.username, p.patroller, p.role, "
        "COALESCE(p.chief, 0), COALESCE(c.level, ''), p.started_at, p.ended_at, p.points, "
        "p.track_m, p.coverage, p.buffer_m, p.synthetic, p.created_at FROM patrol_patrols p "
        "LEFT JOIN patrol_chiefs c ON c.id = p.chief WHERE p.segment = ? "
        "ORDER BY p.started_at DESC, p.id DESC LIMIT ?";
    return db_list(db, sql, DB_PARAMS(DB_TEXT(segment), DB_INT(limit)), &patrol_map, DB_LIST(out),
                   -1, NULL, err);
}

static const struct db_column time_cols[] = {{DB_COL_INT64, 0, sizeof(int64_t)}};
static const struct db_row_map time_map = {sizeof(int64_t), 1, time_cols};

int patrol_store_patrol_times(struct db *db, const char *segment, int64_t from, int64_t chief,
                              double min_coverage, struct patrol_time_list *out,
                              struct app_error *err)
{
    static const char sql[] =
        "SELECT started_at FROM patrol_patrols WHERE segment = ? AND started_at >= ? AND "
        "coverage >= ? AND (? = 0 OR chief = ?) ORDER BY started_at";
    return db_list(db, sql,
                   DB_PARAMS(DB_TEXT(segment), DB_INT(from), DB_DOUBLE(min_coverage), DB_INT(chief),
                             DB_INT(chief)),
                   &time_map, DB_LIST(out), -1, NULL, err);
}

struct two_ints {
    int64_t a, b, c;
};
static const struct db_column two_cols[] = {DB_COL(INT64, struct two_ints, a),
                                            DB_COL(INT64, struct two_ints, b),
                                            DB_COL(INT64, struct two_ints, c)};
static const struct db_row_map two_map = DB_ROW_MAP(struct two_ints, two_cols);

int patrol_store_patrol_count(struct db *db, const char *segment, int64_t from, double min_coverage,
                              int *all, int *counting, struct app_error *err)
{
    static const char sql[] =
        "SELECT count(*), COALESCE(sum(coverage >= ?3), 0), 0 FROM patrol_patrols WHERE "
        "segment = ?1 AND started_at >= ?2";
    struct two_ints r;
    if (db_get(db, sql, DB_PARAMS(DB_TEXT(segment), DB_INT(from), DB_DOUBLE(min_coverage)),
               &two_map, &r, NULL, err))
        return -1;
    *all = (int)r.a;
    *counting = (int)r.b;
    return 0;
}

/* ---- findings ---- */

int patrol_store_finding_insert(struct db *db, struct patrol_finding *f, const char *description,
                                struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO patrol_findings (patrol, segment, lon, lat, at, grid, title, description, "
        "event_code, recurs_of, synthetic) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
    struct one_int r;
    bool found;
    if (db_get(db, sql,
               DB_PARAMS(DB_INT(f->patrol), DB_TEXT(f->segment), DB_DOUBLE(f->lon),
                         DB_DOUBLE(f->lat), DB_INT(f->at), DB_TEXT(f->grid), DB_TEXT(f->title),
                         DB_TEXT(description ? description : ""), DB_TEXT(f->event_code),
                         DB_INT_OPT(f->recurs_of), DB_INT(f->synthetic)),
               &one_int_map, &r, &found, err))
        return -1;
    f->id = r.v;
    return 0;
}

static const struct db_column place_cols[] = {
    DB_COL(INT64, struct patrol_place, id), DB_COL(DOUBLE, struct patrol_place, lon),
    DB_COL(DOUBLE, struct patrol_place, lat), DB_COL(INT64, struct patrol_place, at),
    DB_COL(INT64, struct patrol_place, closed_at)};
static const struct db_row_map place_map = DB_ROW_MAP(struct patrol_place, place_cols);

int patrol_store_places(struct db *db, const char *segment, struct patrol_place_list *out,
                        struct app_error *err)
{
    static const char sql[] =
        "SELECT f.id, f.lon, f.lat, f.at, CASE WHEN e.state IN ('closed', 'revisited') THEN "
        "e.closed_at ELSE 0 END FROM patrol_findings f LEFT JOIN events e ON e.code = "
        "f.event_code WHERE f.segment = ? ORDER BY f.at, f.id";
    return db_list(db, sql, DB_PARAMS(DB_TEXT(segment)), &place_map, DB_LIST(out), -1, NULL, err);
}

struct code_row {
    char code[32];
};
static const struct db_column code_cols[] = {DB_COL(CHARS, struct code_row, code)};
static const struct db_row_map code_map = DB_ROW_MAP(struct code_row, code_cols);

int patrol_store_finding_event(struct db *db, int64_t id, char *code, size_t n,
                               struct app_error *err)
{
    static const char sql[] = "SELECT event_code FROM patrol_findings WHERE id = ?";
    struct code_row r;
    if (db_get(db, sql, DB_PARAMS(DB_INT(id)), &code_map, &r, NULL, err))
        return -1;
    snprintf(code, n, "%s", r.code);
    return 0;
}

static const struct db_column finding_cols[] = {
    DB_COL(INT64, struct patrol_finding, id),
    DB_COL(INT64, struct patrol_finding, patrol),
    DB_COL(CHARS, struct patrol_finding, segment),
    DB_COL(DOUBLE, struct patrol_finding, lon),
    DB_COL(DOUBLE, struct patrol_finding, lat),
    DB_COL(INT64, struct patrol_finding, at),
    DB_COL(CHARS, struct patrol_finding, grid),
    DB_COL(CHARS, struct patrol_finding, title),
    DB_COL(CHARS, struct patrol_finding, event_code),
    DB_COL(INT64, struct patrol_finding, recurs_of),
    DB_COL(CHARS, struct patrol_finding, recurs_event),
    DB_COL(BOOL, struct patrol_finding, synthetic),
};
static const struct db_row_map finding_map = DB_ROW_MAP(struct patrol_finding, finding_cols);

int patrol_store_findings_of(struct db *db, int64_t patrol, struct patrol_finding_list *out,
                             struct app_error *err)
{
    static const char sql[] =
        "SELECT f.id, f.patrol, f.segment, f.lon, f.lat, f.at, f.grid, f.title, f.event_code, "
        "COALESCE(f.recurs_of, 0), COALESCE(o.event_code, ''), f.synthetic FROM patrol_findings "
        "f LEFT JOIN patrol_findings o ON o.id = f.recurs_of WHERE f.patrol = ? ORDER BY f.id";
    return db_list(db, sql, DB_PARAMS(DB_INT(patrol)), &finding_map, DB_LIST(out), -1, NULL, err);
}

int patrol_store_finding_counts(struct db *db, const char *segment, int64_t from, int *all,
                                int *open, int *recurrences, struct app_error *err)
{
    static const char sql[] =
        "SELECT count(*), COALESCE(sum(e.state IS NOT NULL AND e.state NOT IN ('closed', "
        "'revisited', 'voided', 'merged')), 0), COALESCE(sum(f.recurs_of IS NOT NULL), 0) FROM "
        "patrol_findings f LEFT JOIN events e ON e.code = f.event_code WHERE f.segment = ? AND "
        "f.at >= ?";
    struct two_ints r;
    if (db_get(db, sql, DB_PARAMS(DB_TEXT(segment), DB_INT(from)), &two_map, &r, NULL, err))
        return -1;
    *all = (int)r.a;
    *open = (int)r.b;
    *recurrences = (int)r.c;
    return 0;
}

/* ---- running patrols ---- */

static const struct db_column run_cols[] = {
    DB_COL(INT64, struct patrol_run, id),         DB_COL(INT64, struct patrol_run, user_id),
    DB_COL(CHARS, struct patrol_run, key),        DB_COL(CHARS, struct patrol_run, segment),
    DB_COL(INT64, struct patrol_run, started_at), DB_COL(INT, struct patrol_run, points),
    DB_COL(INT64, struct patrol_run, patrol),     DB_COL(INT64, struct patrol_run, created_at),
    DB_COL(INT64, struct patrol_run, updated_at),
};
static const struct db_row_map run_map = DB_ROW_MAP(struct patrol_run, run_cols);

int patrol_store_run_get(struct db *db, int64_t user_id, const char *key, struct patrol_run *out,
                         bool *found, struct app_error *err)
{
    static const char sql[] =
        "SELECT r.id, r.user_id, r.key, r.segment, r.started_at, "
        "(SELECT count(*) FROM patrol_run_points p WHERE p.run = r.id), COALESCE(r.patrol, 0), "
        "r.created_at, r.updated_at FROM patrol_runs r WHERE r.user_id = ? AND r.key = ?";
    return db_get(db, sql, DB_PARAMS(DB_INT(user_id), DB_TEXT(key)), &run_map, out, found, err);
}

int patrol_store_run_insert(struct db *db, struct patrol_run *r, struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO patrol_runs (user_id, key, segment, started_at, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?) RETURNING id";
    struct one_int o;
    bool found;
    if (db_get(db, sql,
               DB_PARAMS(DB_INT(r->user_id), DB_TEXT(r->key), DB_TEXT(r->segment),
                         DB_INT(r->started_at), DB_INT(r->created_at), DB_INT(r->updated_at)),
               &one_int_map, &o, &found, err))
        return -1;
    r->id = o.v;
    return 0;
}

int patrol_store_run_point_put(struct db *db, int64_t run, int64_t seq,
                               const struct patrol_run_point *p, struct app_error *err)
{
    static const char sql[] = "INSERT INTO patrol_run_points (run, seq, lon, lat, t) VALUES "
                              "(?, ?, ?, ?, ?) ON CONFLICT(run, seq) DO NOTHING";
    return db_run(
        db, sql,
        DB_PARAMS(DB_INT(run), DB_INT(seq), DB_DOUBLE(p->lon), DB_DOUBLE(p->lat), DB_INT(p->t)),
        err);
}

int patrol_store_run_touch(struct db *db, int64_t run, int64_t now, struct app_error *err)
{
    static const char sql[] = "UPDATE patrol_runs SET updated_at = ? WHERE id = ?";
    return db_run(db, sql, DB_PARAMS(DB_INT(now), DB_INT(run)), err);
}

static const struct db_column run_point_cols[] = {
    DB_COL(DOUBLE, struct patrol_run_point, lon),
    DB_COL(DOUBLE, struct patrol_run_point, lat),
    DB_COL(INT64, struct patrol_run_point, t),
};
static const struct db_row_map run_point_map = DB_ROW_MAP(struct patrol_run_point, run_point_cols);

int patrol_store_run_points(struct db *db, int64_t run, struct patrol_run_point_list *out,
                            struct app_error *err)
{
    static const char sql[] =
        "SELECT lon, lat, t FROM patrol_run_points WHERE run = ? ORDER BY seq";
    return db_list(db, sql, DB_PARAMS(DB_INT(run)), &run_point_map, DB_LIST(out), -1, NULL, err);
}

int patrol_store_run_finish(struct db *db, int64_t run, int64_t patrol, int64_t now,
                            struct app_error *err)
{
    static const char sql[] = "UPDATE patrol_runs SET patrol = ?, updated_at = ? WHERE id = ?";
    return db_run(db, sql, DB_PARAMS(DB_INT(patrol), DB_INT(now), DB_INT(run)), err);
}

int patrol_store_patrol_get(struct db *db, int64_t id, struct patrol_patrol *out, bool *found,
                            struct app_error *err)
{
    static const char sql[] =
        "SELECT p.id, p.segment, p.user_id, p.username, p.patroller, p.role, "
        "COALESCE(p.chief, 0), COALESCE(c.level, ''), p.started_at, p.ended_at, p.points, "
        "p.track_m, p.coverage, p.buffer_m, p.synthetic, p.created_at FROM patrol_patrols p "
        "LEFT JOIN patrol_chiefs c ON c.id = p.chief WHERE p.id = ?";
    return db_get(db, sql, DB_PARAMS(DB_INT(id)), &patrol_map, out, found, err);
}
