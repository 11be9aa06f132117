/* The monitoring domain: stations and devices with their parameters, validated and idempotent
 * ingest of readings with incremental hourly/daily aggregates, the early-warning rules (pure
 * functions: threshold, N consecutive, rate of change, stale, hysteresis) and the figures
 * (AQI per HJ 633, compliance per HJ 663 / GB 3095, noise per GB 3096, water per GB 3838). */
#ifndef MONITOR_MONITOR_H
#define MONITOR_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "core/app.h"
#include "core/db.h"
#include "core/error.h"
#include "monitor/aqi.h"
#include "monitor/eval.h"
#include "monitor/noise.h"
#include "monitor/water.h"

#define MONITOR_MAX_PARAMS 24
#define MONITOR_MAX_BATCH 100000 /* readings in one request or file */
#define MONITOR_FUTURE_SKEW 300  /* seconds a reading may lie in the future (device clocks) */

/* ---- stations ---------------------------------------------------------------------------- */

enum monitor_kind {
    MONITOR_KIND_AIR,         /* air 空气质量监测站 */
    MONITOR_KIND_NOISE,       /* noise 声环境监测点 */
    MONITOR_KIND_WATER,       /* water 地表水监测断面 */
    MONITOR_KIND_SEWER,       /* sewer 污水管网液位/溢流 (生活污水溢流) */
    MONITOR_KIND_MANHOLE,     /* manhole 智能井盖 */
    MONITOR_KIND_DUST,        /* dust 扬尘监测 */
    MONITOR_KIND_FUME,        /* fume 餐饮油烟监测 */
    MONITOR_KIND_RIVER_LEVEL, /* river_level 沿江水位 */
    MONITOR_KIND_COUNT
};

/* Machine name ("air", ...), Chinese label; parse returns 0 or -1 for an unknown name. */
const char *monitor_kind_name(enum monitor_kind k);
const char *monitor_kind_label(enum monitor_kind k);
int monitor_kind_parse(const char *s, enum monitor_kind *out);

struct monitor_param {
    char name[24]; /* "PM2_5", "level", "LAeq", "NH3-N" */
    char unit[16];
    int64_t min, max; /* plausible range in millionths: readings outside are rejected */
};

struct monitor_station {
    int64_t id;
    char code[32];
    char name[128];
    enum monitor_kind kind;
    double lon, lat; /* WGS84 */
    char grid[24], street[24];
    char department[24];
    char zone[4];     /* noise: "0".."4b"; "" otherwise */
    int target_class; /* water: 1..5; 0 otherwise */
    bool has_last;
    int64_t last_at;
    int64_t created_at;
    bool synthetic;
    struct monitor_param params[MONITOR_MAX_PARAMS];
    int nparams;
};

struct monitor_station_list {
    struct monitor_station *items;
    size_t len, cap;
};
void monitor_station_list_release(struct monitor_station_list *l);

/* The default parameters (name, unit, plausible range) of a kind, into out; returns the count. */
int monitor_default_params(enum monitor_kind k, struct monitor_param *out, int max);
/* The parameter `name` of s, or NULL. */
const struct monitor_param *monitor_station_param(const struct monitor_station *s,
                                                  const char *name);

/* What a client gives to register a station. Strings are borrowed. */
struct monitor_station_input {
    const char *code; /* [A-Za-z0-9_-]{1,31} */
    const char *name;
    const char *kind;
    double lon, lat; /* WGS84 */
    const char *department;
    const char *zone;                                /* noise: required */
    int target_class;                                /* water: required 1..5 */
    struct monitor_param params[MONITOR_MAX_PARAMS]; /* nparams 0 = the kind's defaults */
    int nparams;
    bool synthetic;
};

/* Validate and store a station, resolving its grid and street with org_locate. Errors:
 * APP_ERR_INVALID (field named: code, name, kind, lon, zone, target_class, department,
 * parameters; code "outside_district" when no grid covers the point), APP_ERR_CONFLICT
 * "duplicate_station". out (may be NULL) gets the stored station. */
int monitor_station_create(struct app *app, struct db *db, const struct monitor_station_input *in,
                           struct monitor_station *out, struct app_error *err);
/* One station by code. APP_ERR_NOT_FOUND "station_not_found". */
int monitor_station_get(struct db *db, const char *code, struct monitor_station *out,
                        struct app_error *err);
/* Stations of a kind (NULL = all) in code order. */
int monitor_station_list(struct db *db, const char *kind, struct monitor_station_list *out,
                         struct app_error *err);

/* ---- ingest ------------------------------------------------------------------------------ */

/* One row as received; strings borrowed. value is decimal text (a JSON number is formatted
 * with 6 decimals by the caller). line: 1-based item (JSON) or line number (CSV). */
struct monitor_reading_in {
    const char *station, *parameter, *time, *value, *flag;
    int line;
};

struct monitor_reject {
    int line;
    char field[16];   /* station, parameter, time, value, flag, line */
    char code[32];    /* unknown_station, unknown_parameter, invalid_time, future_time,
                         invalid_number, out_of_range, invalid_flag, missing_field */
    char reason[160]; /* Chinese */
};

struct monitor_ingest_result {
    int accepted;   /* new readings stored */
    int duplicates; /* readings already stored (same station, parameter, time) */
    struct monitor_reject *rejected;
    size_t nrejected, cap;
    int alerts_opened, alerts_cleared;
};
void monitor_ingest_result_release(struct monitor_ingest_result *r);

/* Who sends a batch of readings over the API: a user (who, checked against each station's
 * scope and department) or a station's device key (key_id > 0, only key_station accepted).
 * Every batch from a sender is audited ("monitor.ingest", one row per station, the actor the
 * user or "device-key:ID"). */
struct monitor_sender {
    const struct auth_principal *who;
    int64_t key_id;
    char key_station[32];
};

/* May who write readings of station st? Administrators: any; centers: stations whose grid is
 * in their scope; departments: their own department's stations within the district they
 * serve; nobody else. Pure. */
bool monitor_may_write_station(const struct auth_principal *who, const struct monitor_station *st);

#define MONITOR_KEY_PREFIX "zzk_"
#define MONITOR_KEY_LEN 47 /* "zzk_" + base64url of 32 random bytes */

/* Issue a new device key for station code: key (MONITOR_KEY_LEN + 1 bytes) gets the key text,
 * shown once; only its SHA-256 is stored. With rotate, the station's earlier keys are revoked
 * in the same transaction. Audited ("station.key_issue" / "station.key_rotate", actor NULL).
 * *key_id gets the new key's id. APP_ERR_NOT_FOUND "unknown_station". */
int monitor_key_issue(struct db *db, const char *station, bool rotate, char *key, int64_t *key_id,
                      struct app_error *err);
/* Revoke the valid keys of station code, or (station NULL) the key key_id; *n gets how many
 * were revoked. Audited ("station.key_revoke"). APP_ERR_NOT_FOUND "unknown_station". */
int monitor_key_revoke(struct db *db, const char *station, int64_t key_id, int *n,
                       struct app_error *err);
/* Who is this device key? Fills out's key_id and key_station. APP_ERR_UNAUTHORIZED
 * "invalid_device_key" for an unknown, malformed or revoked key. */
int monitor_key_identify(struct db *db, const char *key, struct monitor_sender *out,
                         struct app_error *err);

/* monitor_ingest and monitor_ingest_csv on behalf of sender (NULL = the system: unchecked and
 * unaudited, for the CLI and the demo). A row naming a station the sender may not write fails
 * the whole batch: APP_ERR_FORBIDDEN "station_out_of_scope" (field station), nothing stored. */
int monitor_ingest_from(struct app *app, struct db *db, const struct monitor_sender *sender,
                        const struct monitor_reading_in *rows, size_t n,
                        struct monitor_ingest_result *out, struct app_error *err);
int monitor_ingest_csv_from(struct app *app, struct db *db, const struct monitor_sender *sender,
                            const char *csv, size_t len, struct monitor_ingest_result *out,
                            struct app_error *err);

/* Progress of a long import: done of total rows. */
typedef void (*monitor_progress_fn)(void *ctx, size_t done, size_t total);

/* Validate rows, store the good ones (INSERT OR IGNORE on station+parameter+time) with their
 * hourly and daily aggregates and the early-warning rules, in one transaction; after commit,
 * open events for new alerts and note cleared ones. Bad rows go to out->rejected with their
 * line. synthetic marks demo data. Returns 0, or -1 with err when storing fails (nothing is
 * kept) or APP_ERR_TOO_LARGE for more than MONITOR_MAX_BATCH rows. */
int monitor_ingest(struct app *app, struct db *db, const struct monitor_reading_in *rows, size_t n,
                   bool synthetic, struct monitor_ingest_result *out, struct app_error *err);

/* Ingest CSV text "station,parameter,time,value[,flag]" (a header line starting with
 * "station" is skipped); lines are CSV line numbers. Rows are committed in chunks of 5,000
 * (each chunk one transaction) when progress is set, else in one transaction. Malformed CSV
 * (unterminated quote, bad UTF-8): APP_ERR_INVALID "malformed_csv" naming the line, nothing
 * stored. */
int monitor_ingest_csv(struct app *app, struct db *db, const char *csv, size_t len,
                       monitor_progress_fn progress, void *progress_ctx,
                       struct monitor_ingest_result *out, struct app_error *err);

/* The hour a reading at t belongs to, labelled with its end (HJ 663 end-of-hour label): a
 * reading at 17:30 or at 18:00:00 belongs to the hour ending 18:00. */
int64_t monitor_hour_of(int64_t t);
/* The Shanghai calendar day (days since 1970-01-01) of the hour ending at hour_end: the hour
 * ending 24:00 (00:00 of the next day) belongs to the day before. */
int64_t monitor_day_of_hour(int64_t hour_end);

/* ---- early warning: pure rules ---------------------------------------------------------- */

enum monitor_rule_type { MONITOR_RULE_THRESHOLD, MONITOR_RULE_RATE, MONITOR_RULE_STALE };
enum monitor_level {
    MONITOR_LEVEL_BLUE = 1,
    MONITOR_LEVEL_YELLOW,
    MONITOR_LEVEL_ORANGE,
    MONITOR_LEVEL_RED
};

const char *monitor_rule_type_name(enum monitor_rule_type t); /* threshold, rate, stale */
int monitor_rule_type_parse(const char *s, enum monitor_rule_type *out);
const char *monitor_level_name(enum monitor_level l);  /* blue, yellow, orange, red */
const char *monitor_level_label(enum monitor_level l); /* 蓝色, 黄色, 橙色, 红色 */
int monitor_level_parse(const char *s, enum monitor_level *out); /* also 蓝/黄/橙/红 */

struct monitor_rule {
    int64_t id;
    char name[128];
    enum monitor_kind kind;
    char parameter[24]; /* "" for stale rules */
    enum monitor_rule_type type;
    bool below; /* raise when the value (or the fall rate) goes below/over threshold */
    enum monitor_level level;
    int64_t threshold; /* millionths; rate: change per hour */
    bool has_clear;
    int64_t clear_at;  /* hysteresis: the reading is normal only beyond this (below it when
                          raising above); without it, normal = not over the threshold */
    int consecutive;   /* N readings over to open, N normal readings to clear (>= 1) */
    int stale_minutes; /* stale: minutes without data */
    char category[16]; /* event category the alert opens, e.g. "9103" 生活污水溢流 */
    bool enabled;
    int64_t updated_at;
};

struct monitor_rule_list {
    struct monitor_rule *items;
    size_t len, cap;
};
void monitor_rule_list_release(struct monitor_rule_list *l);

/* State of one rule at one station, carried between readings. */
struct monitor_rule_state {
    int over_count, normal_count;
    bool has_last;
    int64_t last_t, last_value;
    bool open; /* an alert is open */
};

enum monitor_rule_action { MONITOR_ACTION_NONE, MONITOR_ACTION_OPEN, MONITOR_ACTION_CLEAR };

/* Check a rule's fields: consecutive >= 1, threshold given for threshold/rate rules, a
 * parameter except for stale rules, stale_minutes >= 1 for stale rules, clear_at on the
 * normal side of threshold. APP_ERR_INVALID naming the field. */
int monitor_rule_validate(const struct monitor_rule *r, struct app_error *err);

/* Feed one reading (t, value) to rule r at a station with state s, in time order: a reading
 * not newer than the last one is ignored. Threshold: over when value >= threshold (<= when
 * below). Rate: over when the rise (fall when below) per hour since the previous reading
 * >= threshold. N consecutive over readings open an alert (at most one: an open alert stays
 * open); while open, N consecutive normal readings clear it, where normal means beyond
 * clear_at (hysteresis) — readings between clear_at and the threshold keep it open. Stale
 * rules: any reading clears an open alert. Returns the action taken; s is updated. */
enum monitor_rule_action monitor_rule_feed(const struct monitor_rule *r,
                                           struct monitor_rule_state *s, int64_t t, int64_t value);

/* The stale rule at time now for a station whose newest reading (or registration when it never
 * reported) is at last_t: OPEN when no alert is open and now - last_t >= stale_minutes·60. */
enum monitor_rule_action monitor_rule_check_stale(const struct monitor_rule *r, bool open,
                                                  int64_t last_t, int64_t now);

/* Rules (all, or only enabled ones) in id order. */
int monitor_rule_list(struct db *db, bool enabled_only, struct monitor_rule_list *out,
                      struct app_error *err);
/* Validate and insert r (id and updated_at are set). The category must be an event category:
 * APP_ERR_INVALID "unknown_category" otherwise. */
int monitor_rule_create(struct db *db, struct monitor_rule *r, struct app_error *err);
/* Validate and replace rule r->id. APP_ERR_NOT_FOUND "rule_not_found". */
int monitor_rule_update(struct db *db, struct monitor_rule *r, struct app_error *err);
int monitor_rule_get(struct db *db, int64_t id, struct monitor_rule *out, struct app_error *err);

/* ---- alerts ------------------------------------------------------------------------------ */

struct monitor_alert {
    int64_t id;
    char station[32], station_name[128];
    enum monitor_kind kind;
    char grid[24], street[24], department[24];
    double lon, lat;
    int64_t rule_id;
    char rule_name[128];
    char parameter[24];
    char category[16];
    enum monitor_level level;
    int64_t opened_at, open_value;
    bool cleared, has_open_value, has_clear_value;
    int64_t cleared_at, clear_value;
    char event_code[32]; /* "" until the event is opened */
};

struct monitor_alert_list {
    struct monitor_alert *items;
    size_t len, cap;
};
void monitor_alert_list_release(struct monitor_alert_list *l);

/* Alerts newest first: only open ones when open_only; of one station when station != NULL. */
int monitor_alert_list(struct db *db, bool open_only, const char *station, long limit,
                       struct monitor_alert_list *out, struct app_error *err);

/* One stale sweep at now: opens stale alerts (and their events). Returns the number opened or
 * -1. Also retries opening events for open alerts whose event could not be opened before. */
int monitor_sweep(struct app *app, struct db *db, int64_t now, struct app_error *err);

/* Write the alert as a JSON object (the SSE payload) into out (caller releases). */
struct buf;
void monitor_alert_json(const struct monitor_alert *a, const char *state, struct buf *out);

/* ---- figures ----------------------------------------------------------------------------- */

/* One AQI figure (an hour or a day) of a station, or of the district (station "" = the mean
 * of the stations' concentrations per pollutant, HJ 663 城市点位平均). */
struct monitor_aqi_figure {
    char station[32], name[128];
    int64_t period; /* hourly: Unix time the hour ends; daily: days since 1970-01-01 */
    struct monitor_aqi_input input;
    struct monitor_aqi_result result;
};

struct monitor_aqi_figures {
    struct monitor_aqi_figure district;
    struct monitor_aqi_figure *stations;
    size_t len;
    bool has_data;
};
void monitor_aqi_figures_release(struct monitor_aqi_figures *f);

/* Hourly AQI of every air station and of the district for the hour ending hour_end (0 = the
 * latest hour with data at or before now). Edition by the hour's start
 * (monitor_edition_for_time); method applies to 2012 hours. has_data false when no data. */
int monitor_aqi_hourly(struct db *db, int64_t hour_end, enum monitor_hourly_method method,
                       struct monitor_aqi_figures *out, struct app_error *err);
/* Daily AQI of every air station and the district for a Shanghai day (days since epoch). */
int monitor_aqi_daily(struct db *db, int64_t day, struct monitor_aqi_figures *out,
                      struct app_error *err);

/* One point of a series: aggregate of valid readings over an hour or a day. */
struct monitor_point {
    int64_t period; /* hour end (Unix) or day number */
    int n;
    /* millionths. mean: the period's value by the series' average — arithmetic mean rounded half
     * to even; for sound levels the energy mean 10·lg(Σ10^(0.1·L)/n) (GB 3096 §3), rounded to
     * millionths; for Lmax the maximum */
    int64_t mean, min, max;
};
struct monitor_series {
    enum monitor_noise_average average; /* how `mean` combines the readings */
    struct monitor_point *items;
    size_t len, cap;
};
void monitor_series_release(struct monitor_series *s);

/* Series of station/parameter over [from, to) (Unix seconds), hourly or daily, oldest first,
 * each point's mean combined per monitor_noise_average_of the parameter (a daily energy mean is
 * over the day's readings),
 * at most 10,000 points (APP_ERR_TOO_LARGE beyond). APP_ERR_NOT_FOUND for an unknown station,
 * APP_ERR_INVALID "unknown_parameter". */
int monitor_series_get(struct db *db, const char *station, const char *parameter, bool daily,
                       int64_t from, int64_t to, struct monitor_series *out, struct app_error *err);

/* Compliance of a period of whole days [from_day, to_day] for one station or the district
 * (station NULL), per HJ 663 with the GB 3095 Grade II limits of the edition in force on
 * from_day. */
struct monitor_compliance {
    int64_t from_day, to_day;
    enum monitor_limit_set limits;
    int days;                  /* days in the period */
    int valid_days, good_days; /* days with a publishable daily AQI; of which AQI <= 100 */
    int64_t good_share;        /* tenths of a percent; -1 without valid days */
    int days_2012, days_2026;  /* daily AQIs by edition (shares are not comparable across) */
    struct monitor_annual_eval eval[MONITOR_POLLUTANT_COUNT];
    bool has_eval[MONITOR_POLLUTANT_COUNT];
    int exceed_days[MONITOR_POLLUTANT_COUNT]; /* daily value above the 24-h (O3: 8-h) limit */
    bool six_comply; /* 六参数全面达标 (needs a valid full-year evaluation) */
    bool has_pm25_yoy;
    int64_t pm25_mean, pm25_prev_mean; /* period means (whole µg/m³) this year and a year before */
    int64_t pm25_yoy;                  /* change in tenths of a percent; improvement = -change */
};

/* APP_ERR_INVALID "invalid_period" when to_day < from_day or the period exceeds 400 days. */
int monitor_compliance_get(struct db *db, const char *station, int64_t from_day, int64_t to_day,
                           struct monitor_compliance *out, struct app_error *err);

/* Noise result of a station for day D (day 06-22 of D, night 22:00 D - 06:00 D+1): each hour's
 * LAeq is the energy mean of its LAeq readings (GB 3096 §3; one reading an hour is that hour's
 * Leq), Ld/Ln the energy means of those hourly Leq (附录B: 16 day hours, 8 night hours), and the
 * night maximum the highest Lmax reading of the night. */
struct monitor_noise_figure {
    char station[32], name[128];
    enum monitor_noise_zone zone;
    int64_t day;
    int day_hours, night_hours;
    struct monitor_noise_result result;
};
struct monitor_noise_figures {
    struct monitor_noise_figure *items;
    size_t len;
};
void monitor_noise_figures_release(struct monitor_noise_figures *f);
int monitor_noise_get(struct db *db, int64_t day, struct monitor_noise_figures *out,
                      struct app_error *err);

/* Water class of each section for day D from the day's mean of each item (latest day with
 * data at or before D when D has none). */
struct monitor_water_figure {
    char station[32], name[128];
    int64_t day; /* the day evaluated, -1 when no data */
    struct monitor_water_result result;
};
struct monitor_water_figures {
    struct monitor_water_figure *items;
    size_t len;
};
void monitor_water_figures_release(struct monitor_water_figures *f);
int monitor_water_get(struct db *db, int64_t day, struct monitor_water_figures *out,
                      struct app_error *err);

/* ---- module hooks ------------------------------------------------------------------------ */

/* The function that publishes live messages (sse_publish in the server; NULL elsewhere). */
typedef void (*monitor_publish_fn)(const char *type, const char *scope, const char *json);

/* Seed the default early-warning rules (demo is ignored: the demo stations and a year of
 * synthetic readings are monitor_demo_seed's, which src/modules.c calls after this). */
int monitor_seed(struct app *app, struct db *db, bool demo, struct app_error *err);
/* Start the stale-station timer (every timer_interval seconds) and, when live_demo is set, the
 * live demo readings. publish may be NULL. */
int monitor_start(struct app *app, monitor_publish_fn publish, struct app_error *err);
void monitor_stop(struct app *app);

/* Demo data (demo.c): stations and a year of readings ending at now; live readings. */
int monitor_demo_seed(struct app *app, struct db *db, int64_t now, struct app_error *err);
/* One round of live demo readings at time now (every demo station one reading). */
int monitor_demo_live(struct app *app, struct db *db, int64_t now, struct app_error *err);

/* Install the live-demo reading source the --live-demo thread calls every few seconds
 * (src/modules.c: monitor_demo_live). The module never calls its demo generator itself. */
void monitor_set_live_source(int (*source)(struct app *app, struct db *db, int64_t now,
                                           struct app_error *err));

#endif
