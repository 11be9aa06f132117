/* The event closed loop (issue 4): intake from every channel, categories and routing, the
 * workflow as a transition table (CJJ/T 106 phases 信息收集 → 立案 → 派遣 → 处置 → 反馈 →
 * 核查结案 → 综合评价, plus the exception flows of governance.md §1.4), stage deadlines,
 * duplicates, attachments and the public tracking view. Domain structs are plain C; the HTTP
 * layer lives in event_api.c and all SQL in event_store.c. */
#ifndef EVENT_EVENT_H
#define EVENT_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "core/app.h"
#include "core/db.h"
#include "core/error.h"

#define EVENT_CODE_SIZE 32                        /* "500103-20261129-00042" + NUL, with room */
#define EVENT_SHA_SIZE 65                         /* hex SHA-256 + NUL */
#define EVENT_MAX_ATTACH 8                        /* attachments per intake or action */
#define EVENT_PUBLIC_PHOTOS 2                     /* photos per anonymous public report */
#define EVENT_PUBLIC_PHOTO_MAX (5L * 1024 * 1024) /* bytes per public photo */
#define EVENT_PUBLIC_PHOTO_TTL 3600               /* seconds a photo token stays usable */
#define EVENT_PHOTO_TOKEN_SIZE 33                 /* 32 hex characters + NUL */

/* ---- vocabularies ------------------------------------------------------------------------ */

/* Intake channel, kept for the indicators (shares by source, governance.md §1.5). */
enum event_channel {
    EVENT_CHANNEL_GRID_PATROL = 0, /* grid_patrol 网格员巡查上报 */
    EVENT_CHANNEL_HOTLINE,         /* hotline_12345 12345热线 (entered by a duty officer) */
    EVENT_CHANNEL_CITIZEN_QR, /* citizen_qr 码上举报/扫码上报 (anonymous allowed; Open311) */
    EVENT_CHANNEL_ENTERPRISE,  /* enterprise 企业诉求 */
    EVENT_CHANNEL_VISIT,       /* visit 下访接访 */
    EVENT_CHANNEL_SUPERVISION, /* supervision 监督 */
    EVENT_CHANNEL_SENSOR,      /* sensor 传感器预警 (monitor module) */
    EVENT_CHANNEL_ASSIGNED,    /* assigned 上级交办 */
    EVENT_CHANNEL_COUNT,
};

enum event_urgency {
    EVENT_URGENCY_NORMAL = 0, /* normal 一般 */
    EVENT_URGENCY_URGENT,     /* urgent 紧急: natural hours */
    EVENT_URGENCY_CRITICAL,   /* critical 特急: natural hours */
    EVENT_URGENCY_COUNT,
};

enum event_state {
    EVENT_STATE_REPORTED = 0, /* reported 上报: waiting for 受理 */
    EVENT_STATE_VERIFYING,    /* verifying 受理/核实: a grid worker verifies on site */
    EVENT_STATE_REGISTERED,   /* registered 立案: waiting for 派遣 */
    EVENT_STATE_DISPATCHED,   /* dispatched 派遣: waiting for the assignee to sign for it */
    EVENT_STATE_HANDLING,     /* handling 处置 */
    EVENT_STATE_FEEDBACK,     /* feedback 反馈: handler reports done; waiting for 核查 */
    EVENT_STATE_CHECKING,     /* checking 核查 */
    EVENT_STATE_CLOSED,       /* closed 结案 */
    EVENT_STATE_REVISITED,    /* revisited 回访 done (final) */
    EVENT_STATE_RETURNED,     /* returned 退回: back at the center for re-dispatch */
    EVENT_STATE_PARKED,       /* parked 挂账 */
    EVENT_STATE_VOID_PENDING, /* void_pending 作废待审批 */
    EVENT_STATE_VOIDED,       /* voided 作废 (final) */
    EVENT_STATE_MERGED,       /* merged 并案 into another event (final; its code redirects) */
    EVENT_STATE_COUNT,
};

/* Level of the handling center. */
enum event_level {
    EVENT_LEVEL_STREET = 0, /* street 镇街 */
    EVENT_LEVEL_DISTRICT,   /* district 区县 */
    EVENT_LEVEL_CITY,       /* city 市 */
    EVENT_LEVEL_COUNT,
};

/* Deadline colour: yellow at warn_share of the stage limit, red when overdue. */
enum event_alert { EVENT_ALERT_NONE = 0, EVENT_ALERT_YELLOW, EVENT_ALERT_RED };

/* Satisfaction recorded at 回访. */
enum event_satisfaction {
    EVENT_SAT_NONE = 0,
    EVENT_SAT_SATISFIED,   /* satisfied 满意 */
    EVENT_SAT_BASIC,       /* basic 基本满意 */
    EVENT_SAT_UNSATISFIED, /* unsatisfied 不满意 */
};

/* Stable machine names ("grid_patrol", "urgent", "dispatched", "district", "yellow",
 * "satisfied") and their Chinese labels; *_parse return -1 for an unknown name. */
const char *event_channel_name(enum event_channel c);
const char *event_channel_label(enum event_channel c);
int event_channel_parse(const char *s);
const char *event_urgency_name(enum event_urgency u);
const char *event_urgency_label(enum event_urgency u);
int event_urgency_parse(const char *s);
const char *event_state_name(enum event_state s);
const char *event_state_label(enum event_state s);
int event_state_parse(const char *s);
const char *event_level_name(enum event_level l);
int event_level_parse(const char *s);
const char *event_alert_name(enum event_alert a);
const char *event_satisfaction_name(enum event_satisfaction s);
int event_satisfaction_parse(const char *s);

/* Is s a final state (revisited, voided, merged)? closed is not final: it awaits 回访. */
bool event_state_final(enum event_state s);
/* Is s "open" in the Open311 sense (not closed, revisited, voided or merged)? */
bool event_state_open(enum event_state s);

/* Do the event's stage or 处置 deadline rest on a provisional calendar year (core/calendar.h:
 * a year without its State Council notice)? True when a deadline of normal urgency (counted in
 * working time) lies in, or its stage runs through, such a year; the API shows it as
 * `provisional` next to due_at/handle_due_at. */
struct event;
bool event_deadline_provisional(const struct event *e);

/* After an official calendar year replaced a provisional one (old → cal), recount the deadlines
 * of every open event counted over that year: the same working days or seconds from the stage
 * start, with a history row (action "recalendar", shown to the handlers) and an audit row per
 * changed event. *changed gets their number. */
struct calendar;
int event_recalendar(struct db *db, const struct calendar *old, const struct calendar *cal,
                     int64_t now, int *changed, struct app_error *err);

/* ---- categories -------------------------------------------------------------------------- */

/* Unit of a stage time limit. */
enum event_limit_unit {
    EVENT_LIMIT_WORK_HOURS = 0, /* wh 工作时 */
    EVENT_LIMIT_WORK_DAYS,      /* wd 工作日 */
    EVENT_LIMIT_HOURS,          /* h 自然小时 */
};

/* One event or component class (GB/T 30428.2: 2-digit major + 2-digit minor; local classes
 * use codes from 90 upwards) with its board, default department and stage limits. */
struct event_category {
    char code[16];       /* "0101", "9001" */
    char name[64];       /* 小类 name */
    char major[64];      /* 大类 name */
    char kind[16];       /* "component" 部件, "event" 事件 */
    char board[24];      /* org board code */
    char department[24]; /* default department code, "" = the street handles it on its board */
    enum event_limit_unit unit;
    int limit_verify; /* per-stage limits in `unit` (0 = no limit) */
    int limit_dispatch;
    int limit_handle;
    int limit_check;
    bool self_handle; /* a grid worker may close it on the spot (自处理) */
    bool urgent;      /* default urgency 紧急; limits count natural hours */
};

struct event_category_list {
    struct event_category *items;
    size_t len, cap;
};
void event_category_list_release(struct event_category_list *l);

int event_category_get(struct db *db, const char *code, struct event_category *out,
                       struct app_error *err);
int event_category_list(struct db *db, struct event_category_list *out, struct app_error *err);

/* Replace-or-insert categories from CSV text with the header
 * code,name,major,kind,board,department,unit,verify,dispatch,handle,check,self_handle,urgent
 * (unit wh|wd|h; booleans 0/1). All lines or none (one transaction): the first bad line gives
 * APP_ERR_INVALID with field "line N" or the column name. *count gets the rows imported. */
int event_category_import_csv(struct db *db, const char *csv, size_t len, int *count,
                              struct app_error *err);

/* One routing row: events of `category` ("*" = any) inside `region` (any level; the longest
 * matching region wins) go to the board post `post` or the department `department`. */
struct event_route {
    char category[16];
    char region[24];
    char post[48];
    char department[24];
};

struct event_route_list {
    struct event_route *items;
    size_t len, cap;
};
void event_route_list_release(struct event_route_list *l);

/* Routing rows inside who's scope (NULL = all), by region then category. */
int event_route_list(struct db *db, const struct auth_principal *who, struct event_route_list *out,
                     struct app_error *err);

/* Insert or replace a routing row (a manual routing rule), audited. Exactly one of post and
 * department; the category must exist (or be "*"), the region must exist and lie in who's
 * scope, a post must belong to the region's street. APP_ERR_INVALID naming the field,
 * APP_ERR_NOT_FOUND for a region outside the scope. */
int event_route_put(struct db *db, const struct auth_principal *who, const struct event_route *r,
                    const char *request_id, struct app_error *err);

/* ---- the event --------------------------------------------------------------------------- */

struct event {
    int64_t id;
    char code[EVENT_CODE_SIZE]; /* district-yyyymmdd-serial, e.g. 500103-20261129-00042 */
    char tracking[24];          /* public tracking number for the reporter */
    enum event_channel channel;
    char category[16];
    char category_name[64];
    char title[808];   /* ≤ 200 characters of UTF-8 */
    char *description; /* owned; release with event_release */
    double lon, lat;   /* WGS84 */
    char grid[24], community[24], street[24], district[24];
    char address[256]; /* ≤ 80 characters */
    char reporter_name[96];
    char reporter_contact[128]; /* as stored; mask with auth_show_phone when showing */
    int64_t reporter_user;      /* 0 = anonymous / citizen */
    enum event_urgency urgency;
    enum event_state state;
    enum event_state prev_state; /* state before parked / void_pending */
    enum event_level level;      /* level of the handling center */
    char board[24];
    char department[24]; /* assignee department, "" when none */
    char post[48];       /* assignee board post, "" when none */
    char handler[64];    /* username of who signed for it / gave feedback */
    int64_t created_at, updated_at;
    int64_t stage_started_at; /* when the current state began */
    int64_t due_at;           /* deadline of the current stage, 0 = none */
    int64_t warn_at;          /* yellow from here, 0 = none */
    int64_t handle_due_at;    /* deadline of 处置 (expected_datetime), 0 until known */
    int64_t closed_at;        /* 0 = not closed */
    enum event_alert alert;
    int return_count; /* 退回 */
    int rework_count; /* 返工: failed checks */
    int reopen_count; /* 不满意 reopenings (at most one) */
    int escalations;
    bool extension_pending; /* 延期 requested, not yet decided */
    int extension_hours;    /* asked for (work hours / natural hours as the unit) */
    enum event_satisfaction satisfaction;
    char merged_into[EVENT_CODE_SIZE]; /* for merged events */
    char link_type[24];                /* linked object: "station", "building", "" */
    char link_id[48];
    bool synthetic; /* demo data */
};

void event_release(struct event *e);

struct event_list {
    struct event *items;
    size_t len, cap;
};
void event_list_release(struct event_list *l);

/* What a reporter gives at intake. Strings are borrowed. */
struct event_input {
    enum event_channel channel;
    const char *category; /* category code (required) */
    const char *title;    /* required, ≤ 200 characters */
    const char *description;
    double lon, lat;  /* required unless grid is given */
    bool gcj02;       /* lon/lat are GCJ-02 (converted to WGS84) */
    const char *grid; /* QR poster: the grid code; the point defaults to its centre */
    const char *address;
    const char *reporter_name;                 /* may be NULL (anonymous) */
    const char *reporter_contact;              /* phone; may be NULL */
    int urgency;                               /* enum event_urgency; -1 = the category's default */
    const char *attachments[EVENT_MAX_ATTACH]; /* SHA-256 hex of uploaded attachments */
    int nattachments;
    const char *link_type, *link_id;
    bool synthetic;
    /* Set only by another module's domain that has checked the place against its own
     * jurisdiction rule (event_open_patrol_finding); the API never sets it. */
    bool place_checked;
    /* Anonymous intake only (who NULL): the client's network address for the rate limit (NULL =
     * not limited, e.g. a trusted caller), and tokens of photos from event_public_photo_put. */
    const char *client;
    const char *device; /* the browser's own id for the per-device limit, NULL = none */
    const char *photos[EVENT_PUBLIC_PHOTOS];
    int nphotos;
};

/* Create an event: validates input, converts GCJ-02, locates the point with org_locate (grid,
 * community, street), stamps the code, starts the first stage's deadline, stores the first
 * history row, appends to the audit chain and publishes on the live stream, all in one
 * transaction. who may be NULL for an anonymous citizen report (channel citizen_qr). A grid
 * worker may only report inside their grid's street. An anonymous report with in->client set
 * is rate-limited (public_report_limit per public_report_window per event_rate_client_key) and
 * may carry up to EVENT_PUBLIC_PHOTOS photo tokens, used up by it. Errors: APP_ERR_INVALID
 * (field named; "unknown_photo" for a bad token), APP_ERR_FORBIDDEN, APP_ERR_NOT_FOUND (point
 * outside the district, unknown grid), APP_ERR_TOO_MANY "rate_limited". */
int event_create(struct app *app, struct db *db, const struct auth_principal *who,
                 const struct event_input *in, const char *request_id, struct event *out,
                 struct app_error *err);

/* What an action carries. Strings are borrowed; fields that do not apply are ignored. */
struct event_action_input {
    const char *comment;
    const char *reason;     /* required for return, extend, park, void, dispatch override */
    const char *department; /* dispatch: department code */
    const char *post;       /* dispatch: board post code */
    const char *into;       /* merge: the code of the surviving event */
    const char *result;     /* feedback: handling result text */
    int satisfaction;       /* revisit: enum event_satisfaction */
    int hours;              /* request_extension: extra hours in the category's unit */
    bool by_reporter;       /* set by event_public_rate only: the resident rates (回访) */
    const char *attachments[EVENT_MAX_ATTACH];
    int nattachments;
};

/* Take `action` on event `code` as who (NULL = the system: timers, sensors). Checks the
 * permission (auth_may "event.<action>"), the scope (404 outside it), the transition table
 * and its guard. On success stores the new state and a history row (actor, time, comment,
 * attachments), appends to the audit chain, publishes, and fills out (may be NULL).
 * Errors: APP_ERR_NOT_FOUND (unknown code, out of scope, unknown action: code "unknown_action"),
 * APP_ERR_FORBIDDEN (role may not), APP_ERR_CONFLICT "illegal_transition" (message names the
 * state and the action) or a guard's code, APP_ERR_INVALID (missing reason, bad department). */
int event_transition(struct app *app, struct db *db, const struct auth_principal *who,
                     const char *code, const char *action, const struct event_action_input *in,
                     const char *request_id, struct event *out, struct app_error *err);

/* ---- what the caller may do now (issue 10) ---------------------------------------------- */

enum event_field_type {
    EVENT_FIELD_STRING = 0, /* string: one line */
    EVENT_FIELD_TEXT,       /* text: several lines */
    EVENT_FIELD_INTEGER,    /* integer within [min, max] */
    EVENT_FIELD_CHOICE,     /* choice: one of choices[].value */
    EVENT_FIELD_PHOTOS,     /* photos: [min, max] attachment SHA-256s from POST /attachments */
    EVENT_FIELD_DATETIME,   /* datetime: local ISO 8601 */
};
const char *event_field_type_name(enum event_field_type t);

struct event_choice {
    char value[48];
    char label[96];
};

#define EVENT_FORM_FIELDS 4
#define EVENT_PHOTOS_MAX 3 /* photos one step may carry as evidence */

/* One input of an action's form. name is the request body key of
 * POST /api/v1/events/{code}/actions/{name}. */
struct event_field {
    const char *name;
    enum event_field_type type;
    bool required;
    const char *label; /* Chinese */
    const char *unit;  /* Chinese unit of an integer ("小时"), NULL when none */
    bool limited;      /* min/max apply (length in characters for string/text) */
    long min, max;
    const struct event_choice *choices; /* borrowed from the offer list or static */
    size_t nchoices;
    char def[48]; /* default value, "" = none */
};

/* One action the caller may take now, with its form. */
struct event_offer {
    const char *name;  /* action name for the URL */
    const char *label; /* Chinese button label */
    struct event_field fields[EVENT_FORM_FIELDS];
    int nfields;
};

struct event_offers {
    struct event_offer items[32];
    size_t len;
    struct event_choice *departments; /* owned: dispatch choices */
    size_t ndepartments;
};
void event_offers_release(struct event_offers *o);

/* The actions who may take on e now, each with its form: the transition table's rows from e's
 * state whose party, role permission and guard (checked with the form filled as declared) pass.
 * brief: names and labels only (no department list or route lookup; for list items).
 * Posting any offered action with its required fields filled within limits succeeds; any
 * other action is refused. who NULL gives nothing. */
int event_actions(struct db *db, const struct auth_principal *who, const struct event *e,
                  bool brief, struct event_offers *out, struct app_error *err);

/* One event by code as seen by who (NULL = system: no scope check). A merged code answers the
 * surviving event when follow_merge. APP_ERR_NOT_FOUND when missing or outside the scope. */
int event_get(struct db *db, const struct auth_principal *who, const char *code, bool follow_merge,
              struct event *out, struct app_error *err);

/* Order of a list (issue 10 #6/#7). */
enum event_sort {
    EVENT_SORT_NEWEST = 0, /* "-created_at" (default): newest first; cursor = before this id */
    EVENT_SORT_OLDEST,     /* "created_at" */
    EVENT_SORT_DUE,        /* "due_at": nearest deadline first, none last */
    EVENT_SORT_URGENCY,    /* "urgency": 特急, 紧急, 一般, then by deadline */
};
/* -1 for an unknown name. */
int event_sort_parse(const char *s);

struct event_query {
    const char *status; /* state name, or "open" / "closed" (Open311 sense); NULL = any */
    const char *category;
    const char *channel;
    const char *board;
    const char *department;
    const char *region; /* region code (any level): events inside its subtree */
    bool overdue_only;  /* alert = red */
    int64_t from, to;   /* created_at in [from, to); 0 = open-ended */
    const char *q;      /* full text over title and description (Chinese: trigram) */
    const char *urgency; /* urgency name */
    bool mine;           /* 待我处理: only events whose current step is the caller's */
    enum event_sort sort;
    const char *cursor; /* from a previous answer's next */
    long limit;         /* 1..5000 */
};

/* Whose step it is now (issue 10 #7): the party (EVENT_PARTY_* bits of event_internal.h) that
 * must act for the loop to move on — 指挥中心 to accept, register, dispatch, send to check,
 * decide an extension or a void, revisit; the assignee to sign and handle; the grid worker to
 * verify and check. 0 for parked and final states. Pure. */
unsigned event_turn(enum event_state s, bool extension_pending);
/* "center", "assignee", "grid" or "none", and the Chinese name of the party. */
const char *event_turn_name(unsigned turn);
const char *event_turn_label(unsigned turn);
/* Is the current step of e who's own (who is a party of it and it is that party's turn)? */
bool event_my_turn(const struct auth_principal *who, const struct event *e);

/* Events matching q inside who's scope in q->sort order (newest first by default). *next
 * (caller frees, NULL at the end) is the cursor for the next page. q->mine keeps the events
 * whose step is who's (event_my_turn). APP_ERR_INVALID for a bad filter. */
int event_list(struct db *db, const struct auth_principal *who, const struct event_query *q,
               struct event_list *out, char **next, struct app_error *err);

/* One row of an event's history. */
struct event_history_item {
    int64_t id;
    char event_code[EVENT_CODE_SIZE];
    int64_t at;
    char action[32];
    enum event_state from_state, to_state;
    char actor[64];      /* username, "" for system/anonymous */
    char actor_role[16]; /* auth role name, "system", "citizen" */
    char actor_name[64];
    char *comment;     /* owned */
    char *attachments; /* owned: SHA list separated by commas, "" when none */
    char department[24], post[48];
    int level;      /* enum event_level after the action */
    int64_t due_at; /* stage deadline after the action */
    bool overdue;   /* the action came after the previous stage's deadline */
    bool internal;  /* an internal note (never public) */
};

struct event_history {
    struct event_history_item *items;
    size_t len, cap;
};
void event_history_release(struct event_history *h);

/* The history of an event as seen by who (scope checked), oldest first. Merged events' rows
 * are included with event_code telling which one. */
int event_history_get(struct db *db, const struct auth_principal *who, const char *code,
                      struct event_history *out, struct app_error *err);

/* Every history row with at in [from, to), oldest first, with the event it belongs to, for
 * the indicators. cb returns non-zero to stop. */
int event_history_scan(struct db *db, int64_t from, int64_t to,
                       int (*cb)(void *ctx, const struct event *e,
                                 const struct event_history_item *h),
                       void *ctx, struct app_error *err);

/* Open events of the same category within duplicate_m metres of (lon, lat) WGS84, nearest
 * first, excluding `except` (may be NULL), inside who's scope. */
int event_duplicates(struct app *app, struct db *db, const struct auth_principal *who,
                     const char *category, double lon, double lat, const char *except,
                     struct event_list *out, struct app_error *err);

/* A remark on the record by who (反馈备注: a volunteer's or staff member's observation): a history
 * row "note" with the actor and the comment (≤ 500 characters), no change of state, audited and
 * published. who must hold "event.note" (APP_ERR_FORBIDDEN) and see the event
 * (APP_ERR_NOT_FOUND); APP_ERR_INVALID "required"/"too_long" with field "comment". */
int event_note(struct app *app, struct db *db, const struct auth_principal *who, const char *code,
               const char *comment, const char *request_id, struct app_error *err);

/* ---- monitor module interface ------------------------------------------------------------ */

struct event_sensor_alert {
    const char *category; /* class from the alert rule, e.g. "9103" 生活污水溢流 */
    const char *title;
    const char *description;
    double lon, lat;        /* WGS84 point of the station */
    const char *grid;       /* optional: the station's grid, when no point */
    int urgency;            /* enum event_urgency, -1 = category default */
    const char *department; /* owner department code; NULL = the category's default */
    const char *station;    /* station id, stored as the link "station" */
    /* Optional: the link's type instead of "station" (e.g. "segment", a sewer segment whose
     * inspection asks for repair) and the reporter shown instead of 传感器预警. */
    const char *link_type;
    const char *reporter;
};

/* Open a sensor event: channel sensor, registered at once (no verification) and dispatched to
 * the owner department, with a history row by the system. While an event of the same station
 * and category is open, the alert joins it instead: its text becomes a history note ("再次预警")
 * and code_out gets that event's code. code_out (≥ EVENT_CODE_SIZE bytes) gets the code.
 * Errors as event_create. */
int event_open_sensor_alert(struct app *app, struct db *db, const struct event_sensor_alert *in,
                            char *code_out, struct app_error *err);

/* A problem found on a river patrol (patrol module): category (河湖问题 9104), title,
 * description, the WGS84 point where it was found, the time, attachments already uploaded. */
struct event_patrol_finding {
    const char *category;
    const char *title;
    const char *description;
    const char *address;
    double lon, lat;
    int64_t at;         /* when it was found (0 = now) */
    const char *patrol; /* the patrol's id, stored as the link "patrol" */
    const char *attachments[EVENT_MAX_ATTACH];
    int nattachments;
    bool synthetic;
};

/* Open the event of a patrol finding, reported by who (the patroller) through channel
 * grid_patrol at the grid containing the point, as event_create does — but the place is not
 * checked against who's own grid or street: the patrol module has checked that the patrol's
 * segment lies in who's jurisdiction and the point near the segment. Runs in the caller's
 * transaction when there is one. Errors as event_create. */
int event_open_patrol_finding(struct app *app, struct db *db, const struct auth_principal *who,
                              const struct event_patrol_finding *in, const char *request_id,
                              struct event *out, struct app_error *err);

/* Append a system note (e.g. "报警已解除") to the history of `code` without changing state.
 * APP_ERR_NOT_FOUND for an unknown code, APP_ERR_INVALID for an empty note. */
int event_add_note(struct app *app, struct db *db, const char *code, const char *note,
                   struct app_error *err);

/* ---- residents' anonymous intake --------------------------------------------------------- */

/* The sliding-window rate rule (pure): may one more submission go in at now, given the times of
 * the client's earlier submissions (any order; at most `limit` of the newest are needed)?
 * Submissions in (now - window, ∞) count. Returns true when fewer than limit count; otherwise
 * false with *retry_after (may be NULL) = seconds (≥ 1) until enough have left the window. */
bool event_rate_allow(const int64_t *times, size_t n, int64_t now, long limit, long window,
                      int64_t *retry_after);

/* The rate-limit key of a client address (pure): IPv4 as is, IPv6 by its /64 prefix (one
 * household or phone gets a whole /64), IPv4-mapped IPv6 as the IPv4 address; anything
 * unparsable as given. out gets at most n-1 bytes. */
void event_rate_client_key(const char *addr, char *out, size_t n);

/* Seconds until `client` may submit one more of kind "report" or "photo" (0 = now), for the
 * Retry-After header of a 429. */
int event_public_retry_after(struct app *app, struct db *db, const char *client, const char *kind,
                             int64_t *out, struct app_error *err);

/* Per device (issue 10 #3): a browser that names itself with a device id (event_device_key)
 * gets public_report_limit per window for that device, and its address a ceiling of
 * EVENT_PUBLIC_ADDRESS_FACTOR times that, so one NAT'd estate is not silenced by five reports;
 * without a device id the address has public_report_limit as before. */
#define EVENT_PUBLIC_ADDRESS_FACTOR 10
/* The rate key of a device id (pure): "device:" + id for 16..64 characters of [A-Za-z0-9_-],
 * else "" (no device). */
void event_device_key(const char *device, char *out, size_t n);
/* Count one anonymous submission of kind (another module's intake, e.g. "supervision") from
 * client and device (NULL = none) against the public limit of event reports: APP_ERR_TOO_MANY
 * "rate_limited" (naming the wait) when over it, else recorded. Call inside the transaction that
 * writes the submission, so a refused write is not counted. */
int event_public_admit(struct app *app, struct db *db, const char *client, const char *device,
                       const char *kind, struct app_error *err);
/* event_public_retry_after for a client address and a device id (NULL = none). */
int event_public_wait(struct app *app, struct db *db, const char *client, const char *device,
                      const char *kind, int64_t *out, struct app_error *err);

/* ---- the residents' form (issue 10 #5) ---------------------------------------------------- */

#define EVENT_PUBLIC_OTHER "9990" /* 其他问题: the center classifies */

/* One plain group of the residents' form: a few classes under an everyday name. */
struct event_public_group {
    const char *key, *label, *hint;
    const char *categories[12]; /* category codes, the first is the group's default */
};
/* A class that is an emergency: not filed here, the resident is told whom to call. */
struct event_public_emergency {
    const char *key;
    const char *category; /* the class a resident might pick for it, NULL = none */
    const char *label, *phone, *notice;
};
const struct event_public_group *event_public_groups(size_t *n);
const struct event_public_emergency *event_public_emergencies(size_t *n);
/* The emergency the class is, NULL when it is none (pure). */
const struct event_public_emergency *event_public_emergency_of(const char *category);

/* The reporter rates a closed report by its tracking number (回访 by the resident): satisfied,
 * basic or unsatisfied (不满意 reopens it once, as the center's 回访 does), with an optional
 * comment of at most 200 characters. Audited, in the event's history as the citizen. Errors:
 * APP_ERR_NOT_FOUND (unknown tracking), APP_ERR_INVALID "invalid_satisfaction" (field
 * satisfaction), APP_ERR_CONFLICT "not_closed" / "already_rated". */
int event_public_rate(struct app *app, struct db *db, const char *tracking, int satisfaction,
                      const char *comment, const char *request_id, struct app_error *err);

/* A resident's photo ahead of a public report: JPEG or PNG by magic bytes, at most
 * EVENT_PUBLIC_PHOTO_MAX bytes, at most public_report_limit × EVENT_PUBLIC_PHOTOS per client
 * per window. Stored like any attachment (never served to the public); token (caller's
 * EVENT_PHOTO_TOKEN_SIZE bytes) is a random one-use handle valid EVENT_PUBLIC_PHOTO_TTL seconds
 * that only a public report can use. Errors: APP_ERR_TOO_LARGE, APP_ERR_UNSUPPORTED
 * "unsupported_media", APP_ERR_TOO_MANY "rate_limited", APP_ERR_INTERNAL. */
int event_public_photo_put(struct app *app, struct db *db, const char *client, const char *device,
                           const void *data, size_t len, char *token, struct app_error *err);

/* Forget residents' photos never used by a report within EVENT_PUBLIC_PHOTO_TTL of their upload
 * (as of now): their tokens, and their files when no event or staff upload shares them.
 * Returns the number of files removed, or -1. Run by the deadline timer. */
int event_public_photo_purge(struct app *app, struct db *db, int64_t now, struct app_error *err);

/* ---- public tracking --------------------------------------------------------------------- */

struct event_public_step {
    int64_t at;
    char label[64]; /* e.g. "已受理", "已派遣至区城市管理局", "已办结" */
};

/* What a resident may see about their report: no handler names, no internal notes, no other
 * residents' data. */
struct event_public_status {
    char tracking[24];
    char category_name[64];
    char title[808];
    char state[24]; /* state name */
    char state_label[32];
    bool open;             /* Open311 open/closed */
    char status_note[128]; /* latest public progress text */
    int64_t created_at, updated_at, expected_at;
    char agency[64]; /* department name when dispatched, else the street center */
    bool can_rate;   /* closed: the reporter may rate it now (event_public_rate) */
    enum event_satisfaction satisfaction; /* the rating given, EVENT_SAT_NONE before */
    struct event_public_step steps[32];
    int nsteps;
};

/* The public status of the report with tracking number (or event code) `tracking`.
 * APP_ERR_NOT_FOUND when unknown. */
int event_public_status(struct db *db, const char *tracking, struct event_public_status *out,
                        struct app_error *err);

/* ---- Idempotency-Key (issue 10) -------------------------------------------------------- */

#define EVENT_IDEM_TTL 86400 /* seconds a first answer is kept */
#define EVENT_IDEM_STALE 120 /* seconds after which an unfinished first request is taken over */

/* Begin a request carrying Idempotency-Key `key` in `scope` (who and which path). Returns 0:
 * first time, go ahead and call event_idempotency_finish; 1: a repeat, *status and *body
 * (caller frees) are the first answer's; -1: APP_ERR_INVALID field "Idempotency-Key" (1..200
 * printable ASCII characters), APP_ERR_CONFLICT "idempotency_in_progress" while the first is
 * still being handled, or a store error. */
int event_idempotency_begin(struct db *db, const char *scope, const char *key, int *status,
                            char **body, struct app_error *err);
/* Record the answer of a begun request (status, body text); body NULL when it failed, so that a
 * retry is handled afresh. */
int event_idempotency_finish(struct db *db, const char *scope, const char *key, int status,
                             const char *body, struct app_error *err);

/* ---- attachments ------------------------------------------------------------------------- */

/* Store an image (JPEG or PNG, checked by magic bytes; at most 8 MiB) under
 * data_dir/attachments/<sha256>, idempotently. sha_out gets the hex digest.
 * Errors: APP_ERR_UNSUPPORTED "unsupported_media", APP_ERR_TOO_LARGE, APP_ERR_INTERNAL. */
int event_attachment_put(struct app *app, struct db *db, const struct auth_principal *who,
                         const void *data, size_t len, char sha_out[EVENT_SHA_SIZE],
                         struct app_error *err);

/* Read an attachment if who may see an event it belongs to (or who uploaded it and it is not
 * yet attached). *data (caller frees) and *len, *mime ("image/jpeg"/"image/png").
 * APP_ERR_NOT_FOUND otherwise. */
int event_attachment_get(struct app *app, struct db *db, const struct auth_principal *who,
                         const char *sha, char **data, size_t *len, const char **mime,
                         struct app_error *err);
/* Read an attachment with no access check, for a module that has checked access by its own
 * rule (ledger evidence). Same results as event_attachment_get. */
int event_attachment_read(struct app *app, struct db *db, const char *sha, char **data, size_t *len,
                          const char **mime, struct app_error *err);
/* May who link or read attachment sha? 1 when who uploaded it or can read an event it is
 * attached to, 0 otherwise (also for an unknown or malformed sha, so callers answer both alike),
 * -1 on error. */
int event_attachment_may_use(struct db *db, const struct auth_principal *who, const char *sha,
                             struct app_error *err);

/* ---- module hooks ------------------------------------------------------------------------ */

/* Seed categories and routing; with demo also a month of synthetic events (deterministic). */
int event_seed(struct app *app, struct db *db, bool demo, struct app_error *err);
/* Start the deadline timer (every timer_interval seconds). */
int event_start(struct app *app, struct app_error *err);
void event_stop(struct app *app);

/* One deadline sweep at time now: colours, overdue escalation, 督办 notes. Returns the number
 * of events changed, or -1. Exposed for tests and the timer. */
int event_sweep(struct app *app, struct db *db, int64_t now, struct app_error *err);

/* Install the live-update publisher (src/modules.c: the SSE layer's, before event_start);
 * NULL turns live updates off. The domain never calls the HTTP layer itself. */
void event_set_publisher(void (*publish)(const char *scope, const char *json_text));

#endif
