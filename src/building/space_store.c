/* All SQL of the 入驻意向 (building_inquiries), through the store helper layer (core/db_row.h). */
#include "building/space_store.h"

#include "core/db_row.h"

static const struct db_column inquiry_cols[] = {
    DB_COL(INT64, struct building_inquiry, id),
    DB_COL(INT64, struct building_inquiry, building_id),
    DB_COL(CHARS, struct building_inquiry, building_code),
    DB_COL(CHARS, struct building_inquiry, building_name),
    DB_COL(CHARS, struct building_inquiry, grid),
    DB_COL(CHARS, struct building_inquiry, street),
    DB_COL(CHARS, struct building_inquiry, enterprise_name),
    DB_COL(CHARS, struct building_inquiry, uscc),
    DB_COL(CHARS, struct building_inquiry, industry),
    DB_COL(DOUBLE, struct building_inquiry, area_m2),
    DB_COL(CHARS, struct building_inquiry, contact),
    DB_COL(CHARS, struct building_inquiry, phone),
    DB_COL(CHARS, struct building_inquiry, note),
    DB_COL(CHARS, struct building_inquiry, status),
    DB_COL(INT64, struct building_inquiry, created_at),
    DB_COL(INT64, struct building_inquiry, updated_at),
};
static const struct db_row_map inquiry_map = DB_ROW_MAP(struct building_inquiry, inquiry_cols);
#define INQUIRY_SELECT                                                                             \
    "SELECT q.id, q.building_id, b.code, b.name, coalesce(b.grid, ''), b.street, "                 \
    "q.enterprise_name, q.uscc, q.industry, q.area_m2, q.contact, q.phone, q.note, q.status, "     \
    "q.created_at, q.updated_at FROM building_inquiries q JOIN buildings b ON b.id = "             \
    "q.building_id "

struct id_only {
    int64_t id;
};
static const struct db_column id_only_cols[] = {DB_COL(INT64, struct id_only, id)};
static const struct db_row_map id_only_map = DB_ROW_MAP(struct id_only, id_only_cols);

int building_space_store_insert(struct db *db, int64_t building_id,
                                const struct building_inquiry_input *in, int64_t now, int64_t *id,
                                struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO building_inquiries (building_id, enterprise_name, uscc, industry, area_m2, "
        "contact, phone, note, status, created_at, updated_at) VALUES (?1, ?2, coalesce(?3, ''), "
        "coalesce(?4, ''), ?5, ?6, ?7, coalesce(?8, ''), 'new', ?9, ?9) RETURNING id";
    struct id_only r;
    if (db_get(db, sql,
               DB_PARAMS(DB_INT(building_id), DB_TEXT(in->enterprise_name), DB_TEXT_OPT(in->uscc),
                         DB_TEXT_OPT(in->industry), DB_DOUBLE(in->area_m2), DB_TEXT(in->contact),
                         DB_TEXT(in->phone), DB_TEXT_OPT(in->note), DB_INT(now)),
               &id_only_map, &r, NULL, err))
        return -1;
    *id = r.id;
    return 0;
}

int building_space_store_list(struct db *db, const char *status, struct building_inquiry_list *out,
                              struct app_error *err)
{
    static const char sql[] =
        INQUIRY_SELECT "WHERE ?1 IS NULL OR q.status = ?1 ORDER BY q.created_at DESC, q.id DESC";
    return db_list(db, sql, DB_PARAMS(DB_TEXT_OPT(status)), &inquiry_map, DB_LIST(out), -1, NULL,
                   err);
}

int building_space_store_get(struct db *db, int64_t id, struct building_inquiry *out, bool *found,
                             struct app_error *err)
{
    static const char sql[] = INQUIRY_SELECT "WHERE q.id = ?1";
    return db_get(db, sql, DB_PARAMS(DB_INT(id)), &inquiry_map, out, found, err);
}

int building_space_store_set_status(struct db *db, int64_t id, const char *status, int64_t now,
                                    struct app_error *err)
{
    static const char sql[] =
        "UPDATE building_inquiries SET status = ?2, updated_at = ?3 WHERE id = ?1";
    return db_run(db, sql, DB_PARAMS(DB_INT(id), DB_TEXT(status), DB_INT(now)), err);
}
