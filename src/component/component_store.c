/* All SQL of the component module, through the store helper layer (core/db_row.h). */
#include "component/component_store.h"

#include <stddef.h>

#include "core/db_row.h"

static const struct db_column component_cols[] = {
    DB_COL(INT64, struct component, id),         DB_COL(CHARS, struct component, code),
    DB_COL(CHARS, struct component, class_code), DB_COL(CHARS, struct component, name),
    DB_COL(CHARS, struct component, state),      DB_COL(DOUBLE, struct component, lon),
    DB_COL(DOUBLE, struct component, lat),       DB_COL(CHARS, struct component, grid),
    DB_COL(CHARS, struct component, street),     DB_COL(CHARS, struct component, department),
    DB_COL(INT64, struct component, updated_at), DB_COL(BOOL, struct component, synthetic),
};
static const struct db_row_map component_map = DB_ROW_MAP(struct component, component_cols);
#define COMPONENT_SELECT                                                                           \
    "SELECT id, code, class, name, state, lon, lat, grid, street, department, updated_at, "        \
    "synthetic FROM components "

int component_store_get(struct db *db, const char *code, struct component *out, bool *found,
                        struct app_error *err)
{
    static const char sql[] = COMPONENT_SELECT "WHERE code = ?1";
    return db_get(db, sql, DB_PARAMS(DB_TEXT(code)), &component_map, out, found, err);
}

int component_store_list(struct db *db, const struct component_query *q, struct component_list *out,
                         struct app_error *err)
{
    static const char sql[] =
        COMPONENT_SELECT "WHERE (?1 IS NULL OR class = ?1) AND (?2 IS NULL OR street = ?2) "
                         "AND (?3 IS NULL OR state = ?3) ORDER BY code";
    return db_list(
        db, sql,
        DB_PARAMS(DB_TEXT_OPT(q->class_code), DB_TEXT_OPT(q->street), DB_TEXT_OPT(q->state)),
        &component_map, DB_LIST(out), -1, NULL, err);
}

struct flag_row {
    int64_t v;
};
static const struct db_column flag_cols[] = {DB_COL(INT64, struct flag_row, v)};
static const struct db_row_map flag_map = DB_ROW_MAP(struct flag_row, flag_cols);

int component_store_upsert(struct db *db, const struct component *c, bool *inserted,
                           struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO components (code, class, name, state, lon, lat, grid, street, department, "
        "updated_at, synthetic) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
        "ON CONFLICT(code) DO UPDATE SET class = excluded.class, name = excluded.name, "
        "state = excluded.state, lon = excluded.lon, lat = excluded.lat, grid = excluded.grid, "
        "street = excluded.street, department = excluded.department, "
        "updated_at = excluded.updated_at, synthetic = excluded.synthetic";
    static const char exists[] = "SELECT 1 FROM components WHERE code = ?1";
    struct flag_row r;
    bool found = false;
    if (db_get(db, exists, DB_PARAMS(DB_TEXT(c->code)), &flag_map, &r, &found, err))
        return -1;
    if (db_run(db, sql,
               DB_PARAMS(DB_TEXT(c->code), DB_TEXT(c->class_code), DB_TEXT(c->name),
                         DB_TEXT(c->state), DB_DOUBLE(c->lon), DB_DOUBLE(c->lat), DB_TEXT(c->grid),
                         DB_TEXT(c->street), DB_TEXT(c->department), DB_INT(c->updated_at),
                         DB_INT(c->synthetic)),
               err))
        return -1;
    if (inserted)
        *inserted = !found;
    return 0;
}

int component_store_set_state(struct db *db, const char *code, const char *state, int64_t at,
                              struct app_error *err)
{
    static const char sql[] = "UPDATE components SET state = ?2, updated_at = ?3 WHERE code = ?1";
    return db_run(db, sql, DB_PARAMS(DB_TEXT(code), DB_TEXT(state), DB_INT(at)), err);
}

int component_store_department_known(struct db *db, const char *code, bool *known,
                                     struct app_error *err)
{
    static const char sql[] = "SELECT 1 FROM departments WHERE code = ?1";
    struct flag_row r;
    return db_get(db, sql, DB_PARAMS(DB_TEXT(code)), &flag_map, &r, known, err);
}

/* ---- segments ------------------------------------------------------------------------------ */

static const struct db_column segment_cols[] = {
    DB_COL(INT64, struct sewer_segment, id),
    DB_COL(CHARS, struct sewer_segment, code),
    DB_COL(CHARS, struct sewer_segment, up),
    DB_COL(CHARS, struct sewer_segment, down),
    DB_COL(CHARS, struct sewer_segment, kind),
    DB_COL(INT, struct sewer_segment, diameter_mm),
    DB_COL(CHARS, struct sewer_segment, material),
    DB_COL(DOUBLE, struct sewer_segment, length_m),
    DB_COL(DOUBLE, struct sewer_segment, depth_m),
    DB_COL(INT, struct sewer_segment, year),
    DB_COL(CHARS, struct sewer_segment, grid),
    DB_COL(CHARS, struct sewer_segment, street),
    DB_COL(CHARS, struct sewer_segment, area),
    DB_COL(CHARS, struct sewer_segment, department),
    DB_COL(BOOL, struct sewer_segment, synthetic),
    DB_COL(DOUBLE, struct sewer_segment, up_lon),
    DB_COL(DOUBLE, struct sewer_segment, up_lat),
    DB_COL(DOUBLE, struct sewer_segment, down_lon),
    DB_COL(DOUBLE, struct sewer_segment, down_lat),
    DB_COL(INT, struct sewer_segment, open_structural),
    DB_COL(INT, struct sewer_segment, open_functional),
    DB_COL(INT, struct sewer_segment, open_defects),
    DB_COL(CHARS, struct sewer_segment, last_inspected),
};
static const struct db_row_map segment_map = DB_ROW_MAP(struct sewer_segment, segment_cols);
#define SEGMENT_SELECT                                                                             \
    "SELECT s.id, s.code, s.up_manhole, s.down_manhole, s.kind, s.diameter_mm, s.material, "       \
    "s.length_m, s.depth_m, s.year, s.grid, s.street, coalesce(s.area, ''), s.department, "        \
    "s.synthetic, u.lon, u.lat, d.lon, d.lat, "                                                    \
    "coalesce((SELECT max(grade) FROM sewer_defects f WHERE f.segment = s.code AND "               \
    "f.kind = 'structural' AND f.repaired_on IS NULL), 0), "                                       \
    "coalesce((SELECT max(grade) FROM sewer_defects f WHERE f.segment = s.code AND "               \
    "f.kind = 'functional' AND f.repaired_on IS NULL), 0), "                                       \
    "(SELECT count(*) FROM sewer_defects f WHERE f.segment = s.code AND f.repaired_on IS NULL), "  \
    "coalesce((SELECT max(inspected_on) FROM sewer_inspections i WHERE i.segment = s.code), '') "  \
    "FROM sewer_segments s JOIN components u ON u.code = s.up_manhole "                            \
    "JOIN components d ON d.code = s.down_manhole "

int sewer_store_segments(struct db *db, const char *street, struct sewer_segment_list *out,
                         struct app_error *err)
{
    static const char sql[] = SEGMENT_SELECT "WHERE (?1 IS NULL OR s.street = ?1) ORDER BY s.code";
    return db_list(db, sql, DB_PARAMS(DB_TEXT_OPT(street)), &segment_map, DB_LIST(out), -1, NULL,
                   err);
}

int sewer_store_segment_get(struct db *db, const char *code, struct sewer_segment *out, bool *found,
                            struct app_error *err)
{
    static const char sql[] = SEGMENT_SELECT "WHERE s.code = ?1";
    return db_get(db, sql, DB_PARAMS(DB_TEXT(code)), &segment_map, out, found, err);
}

int sewer_store_segment_insert(struct db *db, const struct sewer_segment *s, struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO sewer_segments (code, up_manhole, down_manhole, kind, diameter_mm, material, "
        "length_m, depth_m, year, grid, street, area, department, synthetic) VALUES (?1, ?2, ?3, "
        "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
    return db_run(db, sql,
                  DB_PARAMS(DB_TEXT(s->code), DB_TEXT(s->up), DB_TEXT(s->down), DB_TEXT(s->kind),
                            DB_INT(s->diameter_mm), DB_TEXT(s->material), DB_DOUBLE(s->length_m),
                            DB_DOUBLE(s->depth_m), DB_INT(s->year), DB_TEXT(s->grid),
                            DB_TEXT(s->street), DB_TEXT_OPT(s->area), DB_TEXT(s->department),
                            DB_INT(s->synthetic)),
                  err);
}

int sewer_store_area_insert(struct db *db, const char *code, const char *name, const char *street,
                            const char *geometry, double planned_m, double separated_m,
                            int target_year, bool synthetic, struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO sewer_areas (code, name, street, geometry, planned_m, separated_m, "
        "target_year, synthetic) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
    return db_run(db, sql,
                  DB_PARAMS(DB_TEXT(code), DB_TEXT(name), DB_TEXT(street), DB_TEXT_OPT(geometry),
                            DB_DOUBLE(planned_m), DB_DOUBLE(separated_m), DB_INT(target_year),
                            DB_INT(synthetic)),
                  err);
}

/* ---- inspections and defects --------------------------------------------------------------- */

static const struct db_column inspection_cols[] = {
    DB_COL(INT64, struct sewer_inspection, id),
    DB_COL(CHARS, struct sewer_inspection, segment),
    DB_COL(CHARS, struct sewer_inspection, method),
    DB_COL(CHARS, struct sewer_inspection, inspected_on),
    DB_COL(DOUBLE, struct sewer_inspection, length_m),
    DB_COL(CHARS, struct sewer_inspection, inspector),
    DB_COL(BOOL, struct sewer_inspection, synthetic),
};
static const struct db_row_map inspection_map =
    DB_ROW_MAP(struct sewer_inspection, inspection_cols);

int sewer_store_inspections(struct db *db, const char *segment, struct sewer_inspection_list *out,
                            struct app_error *err)
{
    static const char sql[] =
        "SELECT id, segment, method, inspected_on, length_m, inspector, synthetic FROM "
        "sewer_inspections WHERE (?1 IS NULL OR segment = ?1) ORDER BY inspected_on DESC, id DESC";
    return db_list(db, sql, DB_PARAMS(DB_TEXT_OPT(segment)), &inspection_map, DB_LIST(out), -1,
                   NULL, err);
}

static const struct db_column defect_cols[] = {
    DB_COL(INT64, struct sewer_defect, id),
    DB_COL(INT64, struct sewer_defect, inspection_id),
    DB_COL(CHARS, struct sewer_defect, segment),
    DB_COL(CHARS, struct sewer_defect, kind),
    DB_COL(CHARS, struct sewer_defect, defect),
    DB_COL(INT, struct sewer_defect, grade),
    DB_COL(DOUBLE, struct sewer_defect, position_m),
    DB_COL(CHARS, struct sewer_defect, found_on),
    DB_COL(CHARS, struct sewer_defect, repaired_on),
    DB_COL(CHARS, struct sewer_defect, repair_note),
    DB_COL(CHARS, struct sewer_defect, event_code),
    DB_COL(BOOL, struct sewer_defect, synthetic),
};
static const struct db_row_map defect_map = DB_ROW_MAP(struct sewer_defect, defect_cols);
#define DEFECT_SELECT                                                                              \
    "SELECT id, inspection_id, segment, kind, defect, grade, position_m, found_on, "               \
    "coalesce(repaired_on, ''), repair_note, event_code, synthetic FROM sewer_defects "

int sewer_store_defects(struct db *db, const char *segment, struct sewer_defect_list *out,
                        struct app_error *err)
{
    static const char sql[] =
        DEFECT_SELECT "WHERE (?1 IS NULL OR segment = ?1) ORDER BY found_on DESC, id DESC";
    return db_list(db, sql, DB_PARAMS(DB_TEXT_OPT(segment)), &defect_map, DB_LIST(out), -1, NULL,
                   err);
}

int sewer_store_inspection_insert(struct db *db, const struct sewer_inspection *i, int64_t now,
                                  int64_t *id, struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO sewer_inspections (segment, method, inspected_on, length_m, inspector, "
        "created_at, synthetic) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id";
    struct flag_row r = {0};
    if (db_get(db, sql,
               DB_PARAMS(DB_TEXT(i->segment), DB_TEXT(i->method), DB_TEXT(i->inspected_on),
                         DB_DOUBLE(i->length_m), DB_TEXT(i->inspector), DB_INT(now),
                         DB_INT(i->synthetic)),
               &flag_map, &r, NULL, err))
        return -1;
    *id = r.v;
    return 0;
}

int sewer_store_defect_insert(struct db *db, const struct sewer_defect *d, int64_t *id,
                              struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO sewer_defects (inspection_id, segment, kind, defect, grade, position_m, "
        "found_on, repaired_on, repair_note, event_code, synthetic) VALUES (?1, ?2, ?3, ?4, ?5, "
        "?6, ?7, ?8, ?9, ?10, ?11) RETURNING id";
    struct flag_row r = {0};
    if (db_get(db, sql,
               DB_PARAMS(DB_INT(d->inspection_id), DB_TEXT(d->segment), DB_TEXT(d->kind),
                         DB_TEXT(d->defect), DB_INT(d->grade), DB_DOUBLE(d->position_m),
                         DB_TEXT(d->found_on), DB_TEXT_OPT(d->repaired_on), DB_TEXT(d->repair_note),
                         DB_TEXT(d->event_code), DB_INT(d->synthetic)),
               &flag_map, &r, NULL, err))
        return -1;
    if (id)
        *id = r.v;
    return 0;
}

int sewer_store_defect_get(struct db *db, int64_t id, struct sewer_defect *out, bool *found,
                           struct app_error *err)
{
    static const char sql[] = DEFECT_SELECT "WHERE id = ?1";
    return db_get(db, sql, DB_PARAMS(DB_INT(id)), &defect_map, out, found, err);
}

int sewer_store_defect_repair(struct db *db, int64_t id, const char *on, const char *note,
                              struct app_error *err)
{
    static const char sql[] =
        "UPDATE sewer_defects SET repaired_on = ?2, repair_note = ?3 WHERE id = ?1";
    return db_run(db, sql, DB_PARAMS(DB_INT(id), DB_TEXT(on), DB_TEXT(note)), err);
}

int sewer_store_defect_set_event(struct db *db, int64_t id, const char *event_code,
                                 struct app_error *err)
{
    static const char sql[] = "UPDATE sewer_defects SET event_code = ?2 WHERE id = ?1";
    return db_run(db, sql, DB_PARAMS(DB_INT(id), DB_TEXT(event_code)), err);
}
