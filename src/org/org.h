/* The district model: the region tree (city → district → street → community → grid), boards
 * and their posts, departments and grid teams, and point location over the grids. */
#ifndef ORG_ORG_H
#define ORG_ORG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/app.h"
#include "core/db.h"
#include "core/error.h"

enum org_level { ORG_CITY, ORG_DISTRICT, ORG_STREET, ORG_COMMUNITY, ORG_GRID, ORG_LEVEL_COUNT };

struct org_region {
    char code[24];
    char name[128];
    char level[12];
    char parent_code[24];
    char *geometry; /* GeoJSON geometry text, WGS84; owned; NULL when unknown or not asked */
    double area_m2;
    double center_lon, center_lat; /* WGS84; 0 when unknown */
    double bbox[4];                /* min lon, min lat, max lon, max lat */
    bool has_geometry;
    bool synthetic;
};

struct org_region_list {
    struct org_region *items;
    size_t len, cap;
};

struct org_region_query {
    const char *level;  /* NULL = any */
    const char *parent; /* NULL = any */
    const char *after;  /* cursor: codes greater than this */
    long limit;
    bool with_geometry;
};

struct org_location {
    struct org_region grid, community, street, district;
};

struct org_board {
    char code[24];
    char name[64];
};

struct org_post {
    char code[48];
    char board_code[24];
    char street_code[24];
    char name[64];
};

struct org_department {
    char code[24];
    char name[64];
    char region_code[24];
};

struct org_person {
    int64_t id;
    char name[64];
    char phone[24];
    char team_role[32];
    char grid_code[24];
    bool synthetic;
};

#define ORG_LIST(type, name)                                                                       \
    struct name {                                                                                  \
        type *items;                                                                               \
        size_t len, cap;                                                                           \
    }
ORG_LIST(struct org_board, org_board_list);
ORG_LIST(struct org_post, org_post_list);
ORG_LIST(struct org_department, org_department_list);
ORG_LIST(struct org_person, org_person_list);

/* Level names as stored ("city", ...) and their parse; -1 for an unknown name. */
const char *org_level_name(enum org_level level);
int org_level_parse(const char *name);
/* Is code a well-formed code for level (6 digits district, 9 street, 12 community, 15 grid)? */
bool org_code_valid(enum org_level level, const char *code);

void org_region_release(struct org_region *r);
void org_region_list_release(struct org_region_list *l);
void org_board_list_release(struct org_board_list *l);
void org_post_list_release(struct org_post_list *l);
void org_department_list_release(struct org_department_list *l);
void org_person_list_release(struct org_person_list *l);

/* One region by code (geometry included). APP_ERR_NOT_FOUND when missing. */
int org_region_get(struct db *db, const char *code, struct org_region *out, struct app_error *err);
/* Regions matching q in code order, at most q->limit; *more tells whether more follow. */
int org_region_list(struct db *db, const struct org_region_query *q, struct org_region_list *out,
                    bool *more, struct app_error *err);

/* Find the grid containing p (WGS84) and its ancestors. APP_ERR_NOT_FOUND outside the district
 * or where no grid covers p. Safe from any thread. */
int org_locate(struct app *app, struct db *db, double lon, double lat, struct org_location *out,
               struct app_error *err);
void org_location_release(struct org_location *loc);

/* Is `code` equal to `ancestor` or inside its subtree? (Codes nest by prefix.) */
bool org_code_within(const char *code, const char *ancestor);

int org_board_list(struct db *db, struct org_board_list *out, struct app_error *err);
/* The version of the public district data (regions, boards, posts, departments): it grows with
 * every change, from any connection or process. 0, or -1 with err. */
int org_data_version(struct db *db, int64_t *out, struct app_error *err);
/* Posts of a street (NULL = all), optionally of one board. */
int org_post_list(struct db *db, const char *street, const char *board, struct org_post_list *out,
                  struct app_error *err);
int org_department_list(struct db *db, struct org_department_list *out, struct app_error *err);
/* The 1+3+N team of a grid. APP_ERR_NOT_FOUND when the grid does not exist. */
int org_team(struct db *db, const char *grid, struct org_person_list *out, struct app_error *err);

/* Create the district on an empty database: the region tree from the embedded divisions file,
 * boards, posts, departments; with demo also synthetic geometry and grid teams. */
int org_seed(struct db *db, bool demo, struct app_error *err);
/* Build the point-location index from the stored grids. Called at start and after imports. */
int org_start(struct app *app, struct app_error *err);
void org_stop(struct app *app);

/* ---- import (org_import.c) ------------------------------------------------------------- */

/* One region of an import file, as read: strings are owned and not yet validated. */
struct org_import_row {
    char where[32]; /* "features[3]" (GeoJSON) or "line 7" (CSV): names the field on error */
    bool csv;       /* errors name where alone ("line 7") instead of where.member */
    char *level, *code, *name, *parent_code;
    char *geometry; /* GeoJSON geometry text, NULL when the row has none */
    bool synthetic;
};

struct org_import {
    struct org_import_row *items;
    size_t len, cap;
    bool gcj02; /* coordinates are GCJ-02 and are converted to WGS84 before storing */
};

struct org_import_result {
    size_t inserted, updated; /* regions */
    size_t grids_removed;     /* grids of re-tiled communities that the file no longer has */
    size_t communities_tiled; /* communities whose grids were checked */
};

void org_import_init(struct org_import *imp);
void org_import_release(struct org_import *imp);
/* Append an empty row located at `where` (copied); the caller fills its strings with xstrdup
 * (NULL stands for missing). The pointer stays valid until the next org_import_add. */
struct org_import_row *org_import_add(struct org_import *imp, const char *where, bool csv);
/* Apply a declared coordinate reference system: "wgs84", "EPSG:4326", OGC CRS84 URNs and NULL
 * keep WGS84; "gcj02"/"GCJ-02" set imp->gcj02. Anything else is APP_ERR_INVALID
 * "unsupported_crs" naming field. */
int org_import_set_crs(struct org_import *imp, const char *crs, const char *field,
                       struct app_error *err);
/* Read CSV (UTF-8, optional BOM, CRLF or LF) with a header naming at least level, code, name,
 * parent_code and optionally geometry and synthetic (other columns such as area_m2 are ignored,
 * so an export imports again). Errors: APP_ERR_INVALID naming "line N". */
int org_import_parse_csv(const char *data, size_t len, struct org_import *imp,
                         struct app_error *err);
/* Validate every row and apply them all in one transaction, or nothing: levels, code formats
 * and their nesting in the parent's code, parents (in the file or the database, one level up),
 * duplicates, UTF-8, valid polygons (GCJ-02 converted when imp->gcj02), and that the grids of
 * every community the file touches tile it (no overlap, outside part or gap over 1 m²): the
 * grids of a community in the file replace its stored grids as a whole. Existing codes are
 * updated, new ones inserted. On success, when app is non-NULL, the point-location index is
 * rebuilt (org_start). Errors: APP_ERR_INVALID with a stable code and err->field naming the
 * row ("features[12].geometry", "line 7"); APP_ERR_CONFLICT "grid_in_use" when a grid to
 * remove is still referenced; the database is then left exactly as it was. */
int org_import_run(struct app *app, struct db *db, struct org_import *imp,
                   struct org_import_result *res, struct app_error *err);

#endif
