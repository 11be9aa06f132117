/* River-chief patrols (河长制, issue 21): rivers and their segments (岸段) as lines, the chiefs
 * of each segment at district, street and community level with the patrol frequency each level
 * owes, patrols by chiefs, grid workers and volunteers with their GPS track, the coverage of a
 * patrol, frequency compliance per chief and per segment, gaps, and recurrence of problems at the
 * same place (反弹). A finding opens an event of class 河湖问题 in the grid where it was made.
 * Pure rules first; the store is patrol_store.c, the HTTP layer patrol_api.c. */
#ifndef PATROL_PATROL_H
#define PATROL_PATROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "core/app.h"
#include "core/db.h"
#include "core/error.h"
#include "geo/geo.h"

#define PATROL_CATEGORY "9104"       /* 河湖问题 (event category, seeded by the event module) */
#define PATROL_MIN_COVERAGE 0.5      /* a patrol counts when it covered half of the segment */
#define PATROL_RECURRENCE_M 50.0     /* findings this close are "the same place" */
#define PATROL_FINDING_REACH_M 500.0 /* a finding must lie this close to its segment */
#define PATROL_GAP_DAYS 7            /* a segment unpatrolled longer than this has a gap */
#define PATROL_MAX_POINTS 20000      /* points of one posted track */
#define PATROL_MAX_FINDINGS 20       /* findings of one patrol */

/* ---- levels and frequency windows (pure) ------------------------------------------------- */

enum patrol_level {
    PATROL_LEVEL_DISTRICT = 0, /* district 区级河长 */
    PATROL_LEVEL_STREET,       /* street 街道级河长 */
    PATROL_LEVEL_COMMUNITY,    /* community 社区级河长 */
    PATROL_LEVEL_COUNT,
};

enum patrol_window {
    PATROL_WINDOW_MONTH = 0, /* calendar month */
    PATROL_WINDOW_XUN,       /* 旬: days 1-10, 11-20, 21 to the month's end */
    PATROL_WINDOW_WEEK,      /* Monday to Sunday */
};

/* What a level owes: at least `times` patrols in every window. */
struct patrol_rule {
    enum patrol_level level;
    enum patrol_window window;
    int times;
};

const char *patrol_level_name(enum patrol_level l);    /* "district" ... */
const char *patrol_level_label(enum patrol_level l);   /* "区级河长" ... */
int patrol_level_parse(const char *s);                 /* -1 when unknown */
const char *patrol_window_name(enum patrol_window w);  /* "month", "xun", "week" */
const char *patrol_window_label(enum patrol_window w); /* "月", "旬", "周" */

/* The rule of a level (docs/patrol.md gives the sources): district monthly, street every 旬,
 * community weekly. The segment as a whole (chiefs, grid workers and volunteers together,
 * "河长+网格员+志愿者联动") owes the community rule. */
struct patrol_rule patrol_rule_of(enum patrol_level l);

/* The window of kind w containing t, in Asia/Shanghai calendar days: [*start, *end) in Unix
 * seconds. */
void patrol_window_of(enum patrol_window w, int64_t t, int64_t *start, int64_t *end);

/* One window of a compliance count. */
struct patrol_window_count {
    int64_t start, end;
    int count;
    bool met;     /* count >= times */
    bool running; /* now falls inside it: not yet missed */
};

struct patrol_compliance {
    int windows;      /* windows counted: ended ones plus the running one when met */
    int met;          /* of them, met */
    double rate;      /* met / windows, 1 when there is none */
    bool current_met; /* the running window is already met */
    int64_t last;     /* the latest patrol time, 0 = none */
};

/* Compliance of patrol times (any order) with `rule` over [from, now]: every window that
 * overlaps [from, now] is one row of out (at most cap rows, the oldest first; *nout gets the
 * number written, which may be 0 when out is NULL). A running window counts only once met, so
 * a chief is never late before the window has ended. Pure. */
void patrol_compliance_compute(const struct patrol_rule *rule, const int64_t *times, size_t n,
                               int64_t from, int64_t now, struct patrol_window_count *out,
                               size_t cap, size_t *nout, struct patrol_compliance *sum);

/* A stretch of time in which a segment was not patrolled for longer than allowed. */
struct patrol_gap {
    int64_t start, end; /* last patrol (or from) to next patrol (or now) */
    double days;
    bool open; /* still going on at now */
};

/* The gaps of patrol times (sorted or not) within [from, now]: every interval between
 * consecutive patrols (from and now as the outer ends) longer than max_days. Writes at most
 * cap into out and returns the number of gaps found (which may exceed cap). Pure. */
size_t patrol_gaps(const int64_t *times, size_t n, int64_t from, int64_t now, int max_days,
                   struct patrol_gap *out, size_t cap);

/* An earlier finding, for recurrence. */
struct patrol_place {
    int64_t id;
    double lon, lat;
    int64_t at;
    int64_t closed_at; /* when its event closed, 0 while still open */
};

/* 反弹: the id of the latest earlier finding (at < at) within radius_m of (lon, lat) whose event
 * was closed before `at`, or 0 when there is none. A problem found again while its event is
 * still open is not a recurrence. Pure. */
int64_t patrol_recurrence_of(const struct patrol_place *earlier, size_t n, double lon, double lat,
                             int64_t at, double radius_m);

/* ---- segments ---------------------------------------------------------------------------- */

struct patrol_segment {
    char code[32];
    char river[32];
    char river_name[64];
    char name[96];
    char *geometry; /* GeoJSON LineString, owned */
    double length_m;
    double buffer_m;
    char street[24];
    char station[32];
    int target_class;
    char *works; /* owned, one work per line */
    double bbox[4];
    bool synthetic;
    int64_t created_at;
};
void patrol_segment_release(struct patrol_segment *s);

struct patrol_segment_list {
    struct patrol_segment *items;
    size_t len, cap;
};
void patrol_segment_list_release(struct patrol_segment_list *l);

struct patrol_chief {
    int64_t id;
    char segment[32];
    enum patrol_level level;
    char level_name[16];
    char name[64];
    char title[256];
    char region[24];
    char username[64];
    bool synthetic;
};

struct patrol_chief_list {
    struct patrol_chief *items;
    size_t len, cap;
};

/* What defines a segment (seed, admin tools). Strings borrowed. */
struct patrol_segment_input {
    const char *code, *river, *river_name, *name;
    const struct geo_line *line; /* WGS84 */
    double buffer_m;             /* 0 = 50 */
    const char *station;
    int target_class; /* 0 = 2 (Ⅱ类) */
    const char *works;
    bool synthetic;
};

/* Store a segment with the grids it passes (points every 20 m located with org_locate; a point
 * just outside every grid, as on the bank line, is looked up again 30 m towards the district's
 * inside) and its street (the one most points fall in). Inside the caller's transaction or
 * its own; audited as the system. APP_ERR_INVALID naming code/name/line. */
int patrol_segment_create(struct app *app, struct db *db, const struct patrol_segment_input *in,
                          struct app_error *err);

/* Add a segment by who (patrol.manage: APP_ERR_FORBIDDEN otherwise) from in: code (1-31 of
 * A-Z a-z 0-9 - _, APP_ERR_CONFLICT "code" when taken), river, river_name, name, line (WGS84,
 * >= 2 points), buffer_m 5..500 (0 = 50), target_class 1..5 (0 = Ⅱ), station, works. Its
 * grids are found as patrol_segment_create finds them; one of them must be in who's
 * jurisdiction (admins: any), else APP_ERR_FORBIDDEN "geometry". Audited "patrol.segment" by
 * who. APP_ERR_INVALID naming the field. */
int patrol_segment_add(struct app *app, struct db *db, const struct auth_principal *who,
                       const struct patrol_segment_input *in, const char *request_id,
                       struct app_error *err);

/* Change segment code as who sees it (APP_ERR_NOT_FOUND outside the scope): the fields of in
 * that are set (NULL strings, 0 numbers and a NULL line stay as they are; code, river and
 * synthetic are ignored). A new line recomputes length and grids (one in who's jurisdiction).
 * Audited "patrol.segment.update". Checks as patrol_segment_add. */
int patrol_segment_update(struct app *app, struct db *db, const struct auth_principal *who,
                          const char *code, const struct patrol_segment_input *in,
                          const char *request_id, struct app_error *err);

/* A chief as a manager enters it; NULL strings stay as they are on update. */
struct patrol_chief_input {
    int level; /* enum patrol_level; -1 = unchanged (update only) */
    const char *name, *title, *region, *username;
};

/* Appoint a chief to segment (seen by who, patrol.manage): level and name required, name at
 * most 63 bytes, title 255, region a region code ("" = none), username an existing account
 * ("" = none: the chief's patrols are not linked). Audited "patrol.chief". *id the new row. */
int patrol_chief_appoint(struct db *db, const struct auth_principal *who, const char *segment,
                         const struct patrol_chief_input *in, const char *request_id, int64_t *id,
                         struct app_error *err);

/* Change chief id (in office, of a segment who sees: APP_ERR_NOT_FOUND otherwise). Audited
 * "patrol.chief.update". */
int patrol_chief_update(struct db *db, const struct auth_principal *who, int64_t id,
                        const struct patrol_chief_input *in, const char *request_id,
                        struct patrol_chief *out, struct app_error *err);

/* Chief id leaves office (离任): the row and its patrols stay, the chief no longer owes patrols
 * nor shows. out gets the chief as it was. Audited "patrol.chief.end". */
int patrol_chief_end(struct db *db, const struct auth_principal *who, int64_t id,
                     const char *request_id, struct patrol_chief *out, struct app_error *err);

/* Add a chief to a segment (audited as the system). */
int patrol_chief_add(struct db *db, const struct patrol_chief *c, int64_t *id,
                     struct app_error *err);

/* Is the segment in who's jurisdiction? Admins: all; others: one of its grids is inside their
 * scope (auth_region_in_scope), or they are one of its chiefs. */
int patrol_segment_visible(struct db *db, const struct auth_principal *who, const char *code,
                           bool *visible, struct app_error *err);

/* The segments who may see, by code. */
int patrol_segment_list(struct db *db, const struct auth_principal *who,
                        struct patrol_segment_list *out, struct app_error *err);

/* One segment as seen by who: APP_ERR_NOT_FOUND when missing or outside the scope. */
int patrol_segment_get(struct db *db, const struct auth_principal *who, const char *code,
                       struct patrol_segment *out, struct app_error *err);

/* ---- patrols ----------------------------------------------------------------------------- */

struct patrol_finding_input {
    double lon, lat; /* WGS84 */
    int64_t at;      /* 0 = the patrol's end */
    const char *title;
    const char *description;
    const char *attachments[8];
    int nattachments;
};

struct patrol_input {
    const char *segment;
    int64_t started_at, ended_at;
    const struct geo_lines *track; /* WGS84 */
    const struct patrol_finding_input *findings;
    size_t nfindings;
    bool synthetic;
};

struct patrol_finding {
    int64_t id;
    int64_t patrol;
    char segment[32];
    double lon, lat;
    int64_t at;
    char grid[24];
    char title[256];
    char event_code[32];
    int64_t recurs_of;
    char recurs_event[32]; /* the event of the earlier finding, "" when none */
    bool synthetic;
};

struct patrol_finding_list {
    struct patrol_finding *items;
    size_t len, cap;
};

struct patrol_patrol {
    int64_t id;
    char segment[32];
    int64_t user_id;
    char username[64];
    char patroller[64];
    char role[16];
    int64_t chief; /* 0 = not a chief of the segment */
    char chief_level[16];
    int64_t started_at, ended_at;
    int points;
    double track_m;
    double coverage;
    double buffer_m;
    bool counts; /* coverage >= PATROL_MIN_COVERAGE */
    bool synthetic;
    int64_t created_at;
};

struct patrol_patrol_list {
    struct patrol_patrol *items;
    size_t len, cap;
};

struct patrol_result {
    struct patrol_patrol patrol;
    struct patrol_finding_list findings;
};
void patrol_result_release(struct patrol_result *r);

/* Record a patrol by who: the segment in who's jurisdiction (APP_ERR_NOT_FOUND otherwise),
 * times sane (ended after started, not in the future, at most a day long), the track within
 * PATROL_MAX_POINTS, every finding within PATROL_FINDING_REACH_M of the segment and inside
 * the district. Computes the coverage with the segment's buffer, links the patrol to who's
 * chief row of the segment if any, opens one event (河湖问题, channel grid_patrol, in the grid
 * of the point) per finding and marks a recurrence (反弹), all in one transaction with the audit
 * row "patrol.record". APP_ERR_INVALID naming the field ("findings[2].lon", "track",
 * "ended_at"...). */
int patrol_record(struct app *app, struct db *db, const struct auth_principal *who,
                  const struct patrol_input *in, const char *request_id, struct patrol_result *out,
                  struct app_error *err);

/* Store the photo of a finding uploaded by a patroller (any role that may record a patrol,
 * volunteers included) as an event attachment (event_attachment_put: JPEG or PNG, at most
 * 8 MiB), audited as "patrol.photo"; sha_out (65 bytes) gets its SHA-256 for the finding's
 * attachments. Errors as event_attachment_put; APP_ERR_FORBIDDEN without patrol.record. */
int patrol_photo_put(struct app *app, struct db *db, const struct auth_principal *who,
                     const void *data, size_t len, char *sha_out, const char *request_id,
                     struct app_error *err);

/* The patrols of a segment (seen by who), newest first, at most limit. */
int patrol_list(struct db *db, const struct auth_principal *who, const char *segment, long limit,
                struct patrol_patrol_list *out, struct app_error *err);

/* ---- running patrols: points sent in batches while walking (run.c) ---------------------- */

#define PATROL_RUN_BATCH_MAX 2000 /* points of one batch */

/* A patrol being walked: started on the phone, its points arriving in batches, finished into a
 * patrol. key is the phone's own id of the run (made before any signal), unique per account. */
struct patrol_run {
    int64_t id;
    int64_t user_id;
    char key[72];
    char segment[32];
    int64_t started_at;
    int points;     /* points stored so far */
    int64_t patrol; /* the recorded patrol once finished, 0 while running */
    int64_t created_at, updated_at;
};

struct patrol_run_point {
    double lon, lat; /* WGS84 */
    int64_t t;       /* when taken, Unix seconds; 0 = not given */
};

/* Start who's run `key` (8 to 64 of A-Z a-z 0-9 _ -) on segment (in who's jurisdiction:
 * APP_ERR_NOT_FOUND otherwise) at started_at (not in the future, not more than a day ago).
 * The same key again is the same run (*created false: a start sent twice); with another segment
 * APP_ERR_CONFLICT "segment". Audited "patrol.run". APP_ERR_INVALID naming key/started_at. */
int patrol_run_start(struct db *db, const struct auth_principal *who, const char *key,
                     const char *segment, int64_t started_at, const char *request_id,
                     struct patrol_run *out, bool *created, struct app_error *err);

/* Who's run key: APP_ERR_NOT_FOUND "key" when there is none. */
int patrol_run_get(struct db *db, const struct auth_principal *who, const char *key,
                   struct patrol_run *out, struct app_error *err);

/* Add the points [from, from + n) of the run's track: a batch. Points already stored are kept
 * as they are, so a batch sent again (its answer lost) adds nothing; a batch must not leave a
 * hole (from <= the points stored: APP_ERR_CONFLICT "from", with out->points saying where to
 * resume). At most PATROL_RUN_BATCH_MAX a batch and PATROL_MAX_POINTS in all (APP_ERR_TOO_LARGE
 * "points"); a finished run takes none (APP_ERR_CONFLICT "key"); a bad point is APP_ERR_INVALID
 * "points[i]" and nothing of the batch is kept. Audited "patrol.points". out gets the run. */
int patrol_run_add_points(struct db *db, const struct auth_principal *who, const char *key,
                          int64_t from, const struct patrol_run_point *pts, size_t n,
                          const char *request_id, struct patrol_run *out, struct app_error *err);

/* Finish the run: its stored points are the track, recorded as patrol_record does (coverage,
 * findings opening events, audit) with the run's segment and start, ended_at and the findings
 * given, and the run marked finished, in one transaction. expect_points >= 0 must equal the
 * points stored, else APP_ERR_CONFLICT "points" (batches still on their way; nothing written).
 * A run finished already: *again true and out is the patrol then recorded (its findings as
 * stored), so a finish sent twice records one patrol. */
int patrol_run_finish(struct app *app, struct db *db, const struct auth_principal *who,
                      const char *key, int64_t ended_at, long expect_points,
                      const struct patrol_finding_input *findings, size_t nfindings,
                      const char *request_id, struct patrol_result *out, bool *again,
                      struct app_error *err);

/* ---- figures ----------------------------------------------------------------------------- */

struct patrol_chief_compliance {
    struct patrol_chief chief;
    struct patrol_rule rule;
    struct patrol_compliance c;
};

/* A segment's figures over [from, now]: per chief (their own counting patrols against their
 * level's rule), the segment as a whole (any counting patrol, the community rule), gaps, the
 * findings, open problems and recurrences, and its water section's class against the target
 * ("幸福河流" checklist). */
struct patrol_report {
    struct patrol_segment segment;
    int64_t from, now;
    struct patrol_chief_compliance *chiefs;
    size_t nchiefs;
    struct patrol_compliance overall;
    struct patrol_window_count *windows; /* the segment's weekly windows */
    size_t nwindows;
    struct patrol_gap gaps[64];
    size_t ngaps;
    int patrols, counting;
    int findings, open_problems, recurrences;
    int water_class;   /* latest class of its section 1..6, 0 = no data */
    int64_t water_day; /* day of that class (days since epoch), -1 = none */
    char grids[64][24];
    size_t ngrids;
};
void patrol_report_release(struct patrol_report *r);

/* The report of segment code seen by who, for the season [from, now] (from 0 = 90 days back). */
int patrol_report_get(struct app *app, struct db *db, const struct auth_principal *who,
                      const char *code, int64_t from, struct patrol_report *out,
                      struct app_error *err);

/* One line of a segment's "幸福河流" checklist. */
struct patrol_check {
    const char *item;  /* "water", "problems", "patrols", "recurrence" */
    const char *label; /* Chinese */
    bool ok;
    char detail[192];
};
#define PATROL_CHECKS 4
#define PATROL_GOOD_RATE 0.9 /* the segment's weekly windows met */

/* The checklist of a report (pure): water class within the target, no open problem, weekly
 * windows met at PATROL_GOOD_RATE or better with no gap running now, no recurrence in the
 * season. Fills out[PATROL_CHECKS]. */
void patrol_checklist(const struct patrol_report *r, struct patrol_check out[PATROL_CHECKS]);

/* The compliance of reports[0..n) as CSV for a spreadsheet (UTF-8 with a BOM, CRLF): one row per
 * chief and one 全段（联动） row per segment with its weekly rule, windows met of windows owed,
 * rate, last patrol, open problems, gaps and whether the data is synthetic. Text cells that a
 * spreadsheet would read as a formula are kept as text. Pure. */
struct buf;
void patrol_write_csv(const struct patrol_report *reports, size_t n, struct buf *out);

/* ---- lifecycle --------------------------------------------------------------------------- */

/* Seed (demo: the Yangtze and Jialing segments along the district outline with their chiefs
 * and a season of synthetic patrols; patrol/demo.c). */
int patrol_seed(struct app *app, struct db *db, bool demo, struct app_error *err);
int patrol_demo_seed(struct app *app, struct db *db, int64_t now, struct app_error *err);

#endif
