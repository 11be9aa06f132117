/* City components (部件) and the sewer network (issue 23): the 16-digit component code of
 * GB/T 30428.2, component states, pipe segments between manholes as a directed flow graph,
 * inspections with their defects (CJJ 181-2012 names and grades), and the figures 管网排查率 and
 * 病害整治率. Pure rules (code check, flow graph, figures) take plain values; the rest reads and
 * writes through component_store.c and audits every change. */
#ifndef COMPONENT_COMPONENT_H
#define COMPONENT_COMPONENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "core/app.h"
#include "core/db.h"
#include "core/error.h"

/* The district zhizhi serves (org seeds 500103 渝中区): the first six digits of its codes. */
#define COMPONENT_DISTRICT "500103"

/* Defects of these grades and above "require action" (需整治) in zhizhi: they count in
 * 病害整治率 and a structural one opens a repair event. This is zhizhi's own setting, not a
 * number of CJJ 181-2012 (whose text we could not find; docs/component.md). */
#define COMPONENT_ACTION_GRADE 3

/* ---- the 16-digit code (pure) -------------------------------------------------------------- */

struct component_code {
    char district[7]; /* county-level administrative code, GB/T 2260 */
    char major[3];    /* 大类 */
    char minor[3];    /* 小类 */
    char serial[7];   /* 流水号 */
    char class_code[5];
};

/* Check a component code: 16 ASCII digits = district (6) + major class (2) + minor class (2) +
 * serial (6), the district equal to `district`, major 01–06 (the six 部件 major classes), minor
 * and serial not all zeros. Fills out (may be NULL). Returns 0, or -1 with APP_ERR_INVALID
 * naming field "code" and a code_name: "not_16_digits", "other_district", "bad_major",
 * "bad_minor", "bad_serial". */
int component_code_check(const char *code, const char *district, struct component_code *out,
                         struct app_error *err);
/* The name of a major class "01".."06" (公用设施 ...), NULL for another. */
const char *component_major_name(const char *major);

/* ---- states ------------------------------------------------------------------------------- */

/* 完好, 破损, 丢失, 占用, 废弃: true when s is one of them. */
bool component_state_valid(const char *s);

/* ---- records ------------------------------------------------------------------------------ */

struct component {
    int64_t id;
    char code[20];
    char class_code[8];
    char name[128];
    char state[16];
    double lon, lat;
    char grid[24], street[24];
    char department[24];
    int64_t updated_at;
    bool synthetic;
};

struct component_list {
    struct component *items;
    size_t len, cap;
};
void component_list_release(struct component_list *l);

enum sewer_kind { SEWER_RAIN = 0, SEWER_SEWAGE, SEWER_COMBINED };
const char *sewer_kind_name(enum sewer_kind k);  /* "rain", "sewage", "combined" */
const char *sewer_kind_label(enum sewer_kind k); /* 雨水, 污水, 合流 */
int sewer_kind_parse(const char *s);             /* -1 when unknown */

struct sewer_segment {
    int64_t id;
    char code[32];
    char up[20], down[20]; /* manhole component codes */
    char kind[12];
    int diameter_mm;
    char material[32];
    double length_m, depth_m;
    int year;
    char grid[24], street[24], area[32];
    char department[24];
    bool synthetic;
    /* Filled by reads that ask for them: */
    double up_lon, up_lat, down_lon, down_lat;
    int open_structural; /* highest grade of open structural defects, 0 = none */
    int open_functional; /* highest grade of open functional defects, 0 = none */
    int open_defects;
    char last_inspected[12]; /* YYYY-MM-DD, "" when never */
};

struct sewer_segment_list {
    struct sewer_segment *items;
    size_t len, cap;
};
void sewer_segment_list_release(struct sewer_segment_list *l);

struct sewer_defect {
    int64_t id;
    int64_t inspection_id;
    char segment[32];
    char kind[12]; /* structural / functional */
    char defect[32];
    int grade;
    double position_m;
    char found_on[12];
    char repaired_on[12]; /* "" while open */
    char repair_note[256];
    char event_code[32];
    bool synthetic;
};

struct sewer_defect_list {
    struct sewer_defect *items;
    size_t len, cap;
};
void sewer_defect_list_release(struct sewer_defect_list *l);

struct sewer_inspection {
    int64_t id;
    char segment[32];
    char method[12];
    char inspected_on[12];
    double length_m;
    char inspector[64];
    bool synthetic;
};

struct sewer_inspection_list {
    struct sewer_inspection *items;
    size_t len, cap;
};
void sewer_inspection_list_release(struct sewer_inspection_list *l);

/* ---- the defect catalogue (CJJ 181-2012 defect names, issue 23) --------------------------- */

/* Is `name` a defect of `kind` ("structural": 破裂 变形 腐蚀 错口 起伏 脱节 接口材料脱落 支管暗接
 * 异物穿入 渗漏; "functional": 沉积 结垢 障碍物 残墙坝根 树根 浮渣)? */
bool sewer_defect_known(const char *kind, const char *name);
/* The i-th defect name of kind, NULL past the end. */
const char *sewer_defect_at(const char *kind, size_t i);

/* ---- the flow graph (pure) ---------------------------------------------------------------- */

/* An edge of the flow graph: water runs from manhole up to manhole down. */
struct sewer_edge {
    const char *up, *down;
};

/* Would the edges form a cycle (water flowing back to where it came from)? When they do and
 * cycle_at is non-NULL, *cycle_at gets the index of one edge on a cycle. */
bool sewer_graph_has_cycle(const struct sewer_edge *edges, size_t n, size_t *cycle_at);
/* Every edge upstream of manhole `at` (that drains into it, directly or through other edges),
 * nearest first (breadth-first). out gets edge indices (room for n); returns their count. */
size_t sewer_upstream(const struct sewer_edge *edges, size_t n, const char *at, size_t *out);

/* ---- the figures (pure) ------------------------------------------------------------------- */

/* One group's figures: 管网排查率 = inspected_m / total_m, where inspected_m is the length of the
 * segments inspected at least once within [from, to] (a segment inspected twice counts once) and
 * total_m the length of all segments; 病害整治率 = repaired / found, where found counts the
 * defects of grade >= COMPONENT_ACTION_GRADE found within [from, to] and repaired those of them
 * repaired on or before `to`. A rate is -1 (shown as null) when its denominator is zero. */
struct sewer_figures {
    char group[32];
    char group_name[128];
    double total_m, inspected_m;
    long segments, segments_inspected;
    long found, repaired;
    double inspection_rate, repair_rate;
};

struct sewer_figures_list {
    struct sewer_figures *items;
    size_t len, cap;
};
void sewer_figures_list_release(struct sewer_figures_list *l);

enum sewer_group { SEWER_GROUP_NONE = 0, SEWER_GROUP_STREET, SEWER_GROUP_AREA };

/* Compute the figures of segs (their inspections and defects given) over [from, to] (dates
 * YYYY-MM-DD, inclusive) as a total (out->items[0], group "") followed, when grouped, by one row
 * per street or separate-sewer area in code order (segments without an area under group ""). */
void sewer_figures_compute(const struct sewer_segment *segs, size_t nsegs,
                           const struct sewer_inspection *insp, size_t ninsp,
                           const struct sewer_defect *defs, size_t ndefs, const char *from,
                           const char *to, enum sewer_group group, struct sewer_figures_list *out);

/* Is s a real calendar date YYYY-MM-DD? */
bool component_date_valid(const char *s);

/* ---- operations --------------------------------------------------------------------------- */

struct component_query {
    const char *class_code; /* NULL = any */
    const char *street;
    const char *state;
};

/* Components inside who's jurisdiction matching q, in code order. */
int component_list(struct db *db, const struct auth_principal *who, const struct component_query *q,
                   struct component_list *out, struct app_error *err);
/* One component; APP_ERR_NOT_FOUND when unknown or outside who's scope. */
int component_get(struct db *db, const struct auth_principal *who, const char *code,
                  struct component *out, struct app_error *err);
/* Set a component's state (audited). APP_ERR_INVALID "state" for an unknown state. */
int component_set_state(struct db *db, const struct auth_principal *who, const char *code,
                        const char *state, const char *request_id, struct component *out,
                        struct app_error *err);

/* A census row as read from a CSV line or a GeoJSON feature. Strings are owned. */
struct component_import_row {
    int line; /* CSV line or feature index + 1 */
    char *code, *name, *state, *department;
    double lon, lat;
    bool has_point;
};

struct component_import {
    struct component_import_row *items;
    size_t len, cap;
};
void component_import_release(struct component_import *imp);

/* One refused row: where it is and why. */
struct component_import_problem {
    int line;
    char field[32];
    char code_name[48];
    char message[192];
};

struct component_import_problems {
    struct component_import_problem *items;
    size_t len, cap;
};
void component_import_problems_release(struct component_import_problems *p);

/* Read a CSV census (header: code,name,state,lon,lat,department; name, state and department
 * optional). Structural problems of a line go to problems; returns -1 only when the file cannot
 * be read as CSV at all (err names the line). */
int component_import_parse_csv(const char *data, size_t len, struct component_import *imp,
                               struct component_import_problems *problems, struct app_error *err);
/* Validate every row (code, district, class known as a 部件 class, state, point inside a grid of
 * the district, the department known, duplicates in the file) and store them all (new codes
 * inserted, known codes updated) in one audited transaction, or nothing when any row is bad:
 * then every bad row is in problems and the return is -1 with APP_ERR_INVALID
 * "import_refused". *inserted / *updated get the counts. */
int component_import_run(struct app *app, struct db *db, const struct auth_principal *who,
                         struct component_import *imp, const char *request_id,
                         struct component_import_problems *problems, long *inserted, long *updated,
                         struct app_error *err);

/* Segments inside who's jurisdiction with their manhole points, open defect grades and last
 * inspection, in code order. street (NULL = any) narrows them. */
int sewer_segment_list(struct db *db, const struct auth_principal *who, const char *street,
                       struct sewer_segment_list *out, struct app_error *err);
/* One segment with its inspections and defects (newest first). APP_ERR_NOT_FOUND outside scope. */
int sewer_segment_get(struct db *db, const struct auth_principal *who, const char *code,
                      struct sewer_segment *out, struct sewer_inspection_list *insp,
                      struct sewer_defect_list *defs, struct app_error *err);

struct sewer_defect_input {
    const char *kind, *defect;
    int grade;
    double position_m;
};

struct sewer_inspection_input {
    const char *segment, *method, *inspected_on, *inspector;
    double length_m; /* 0 = the segment's length */
    const struct sewer_defect_input *defects;
    size_t ndefects;
};

/* Record an inspection and its defects (audited, one transaction). A structural defect of grade
 * >= COMPONENT_ACTION_GRADE opens (or joins) a repair event for the segment's owner department;
 * its code is stored on the defect. *id gets the inspection id; opened (may be NULL) the code of
 * the event ("" when none). Errors: APP_ERR_INVALID naming the field ("defects[2].grade"),
 * APP_ERR_NOT_FOUND for an unknown or out-of-scope segment. */
int sewer_inspection_record(struct app *app, struct db *db, const struct auth_principal *who,
                            const struct sewer_inspection_input *in, const char *request_id,
                            int64_t *id, char *opened, size_t opened_n, struct app_error *err);
/* Close a defect with its repair record (audited). APP_ERR_CONFLICT "already_repaired". */
int sewer_defect_repair(struct app *app, struct db *db, const struct auth_principal *who,
                        int64_t id, const char *repaired_on, const char *note,
                        const char *request_id, struct sewer_defect *out, struct app_error *err);

/* The figures over [from, to] for who's jurisdiction (dates YYYY-MM-DD; group as above). */
int sewer_figures(struct db *db, const struct auth_principal *who, const char *from, const char *to,
                  enum sewer_group group, struct sewer_figures_list *out, struct app_error *err);

/* An overflow at manhole `manhole`: the segments upstream of it (nearest first) that have open
 * defects, each with its last inspection date. APP_ERR_NOT_FOUND for an unknown manhole. */
int sewer_upstream_open(struct db *db, const struct auth_principal *who, const char *manhole,
                        struct sewer_segment_list *out, struct app_error *err);

/* Seed hook: the local event class for pipe repairs and, with demo, the synthetic network. */
int component_seed(struct app *app, struct db *db, bool demo, struct app_error *err);
/* The deterministic synthetic demo network (demo.c): manholes and segments in the district's
 * grids, two years of inspections before `now` with defects at every grade, some repaired. */
int component_demo_seed(struct app *app, struct db *db, int64_t now, struct app_error *err);

#endif
