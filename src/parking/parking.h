/* Shared parking (忙时统筹、闲时共享, issue 20): lots and their owners' share plans (how many
 * spaces, in which weekly windows on working and rest days of the holiday calendar, at what
 * price, for whom), bookings by plate and time window checked against the plan's capacity at
 * every minute, cancellation and the grace period, gate events (plate in/out) that check cars in
 * and out, overstay alerts, the search for free spaces near a destination and the figures.
 * The rules are pure functions over plain values (the first half of this header); the second
 * half is the module's orchestration over its store. */
#ifndef PARKING_PARKING_H
#define PARKING_PARKING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/app.h"
#include "core/calendar.h"
#include "core/db.h"
#include "core/error.h"

struct auth_principal;

/* ---- pure rules ------------------------------------------------------------------------- */

/* Which days a share window applies to: every day, working days of the calendar (including
 * 调休 make-up Saturdays), or rest days (weekends and statutory holidays not worked). */
enum parking_days {
    PARKING_DAYS_DAILY = 0,
    PARKING_DAYS_WORKDAY,
    PARKING_DAYS_RESTDAY,
};

/* One weekly window: on each day of the kind, from start to end minutes after local midnight.
 * end <= start means the window crosses midnight and ends the next day (19:00-08:00);
 * 00:00-24:00 is the whole day. A window belongs to the day it starts on. */
struct parking_window {
    enum parking_days days;
    int start, end; /* minutes, 0..1440 */
};

#define PARKING_MAX_WINDOWS 8

/* Parse "workday 19:00-08:00, restday 00:00-24:00, daily 12:00-13:30" (kinds daily, workday,
 * restday; comma-separated, at most PARKING_MAX_WINDOWS). Returns 0 with *n set, or -1 with
 * APP_ERR_INVALID "bad_windows" naming field. */
int parking_windows_parse(const char *spec, struct parking_window *out, int *n, const char *field,
                          struct app_error *err);
/* Write windows back in the canonical form parse accepts (out at least 24 bytes per window). */
void parking_windows_format(const struct parking_window *w, int n, char *out, size_t size);

/* A half-open interval of Unix seconds [start, end). */
struct parking_interval {
    int64_t start, end;
};

/* The times a plan offers inside [from, to): its windows laid on the days from the day before
 * `from` (a window crossing midnight) to the day of `to`, merged where they touch or overlap,
 * clipped to [from, to) and in time order. workday[i] tells whether day first_day + i is a
 * working day (Shanghai dates, see clock_days_from_civil); days outside the array count as not
 * offered. Writes at most max intervals and returns how many it wrote. */
size_t parking_offered(const struct parking_window *w, int nw, int64_t first_day,
                       const bool *workday, size_t ndays, int64_t from, int64_t to,
                       struct parking_interval *out, size_t max);

/* Is [from, to) inside the union of the sorted, disjoint intervals iv? */
bool parking_covered(const struct parking_interval *iv, size_t n, int64_t from, int64_t to);

/* The most intervals of busy (any order) that hold one instant inside [from, to): the peak
 * occupancy of the window. Each minute counts: a booking ending at 10:00 and one starting at
 * 10:00 do not overlap. */
int parking_peak(const struct parking_interval *busy, size_t n, int64_t from, int64_t to);

/* Booking states. */
enum parking_status {
    PARKING_BOOKED = 0, /* waiting for the car */
    PARKING_CHECKED_IN, /* the car came in through the gate */
    PARKING_COMPLETED,  /* the car left */
    PARKING_CANCELLED,  /* cancelled before its start */
    PARKING_NO_SHOW,    /* the car did not come within the grace period: space released */
};
const char *parking_status_name(enum parking_status s);
/* Chinese label: 已预约, 已入场, 已离场, 已取消, 未到场. */
const char *parking_status_label(enum parking_status s);

/* The timing rules, one table (docs/parking.md): these are the platform's own settings. */
#define PARKING_GRACE_S (15 * 60)          /* arrival and leaving grace period */
#define PARKING_MIN_S (30 * 60)            /* shortest booking */
#define PARKING_MAX_S (24 * 3600)          /* longest booking */
#define PARKING_AHEAD_S (7 * 86400)        /* how far ahead one may book */
#define PARKING_OVERSTAY_REPEAT 3          /* overstays of one plate in ... */
#define PARKING_OVERSTAY_SPAN (30 * 86400) /* ... this span open an event */

/* The part of a booking that holds a space, as seen at `now` (for the capacity check): booked
 * → [start, end) while the car may still come (now <= start + grace), else only until
 * start + grace (no-show: the space is released); checked in → [start, end), extended to
 * now + grace while the car overstays; completed → [start, checked out); cancelled and no-show
 * hold nothing. Returns false when the booking holds nothing. */
bool parking_holds(enum parking_status st, int64_t start, int64_t end, int64_t out_at, int64_t now,
                   struct parking_interval *held);

/* Check a booking request against the timing rules at now: from and to are rounded to whole
 * minutes (from down, to up), from may lie at most one grace period in the past and at most
 * PARKING_AHEAD_S ahead, PARKING_MIN_S <= to - from <= PARKING_MAX_S. APP_ERR_INVALID naming
 * "from" or "to" ("bad_window", "too_short", "too_long", "in_past", "too_far_ahead"). */
int parking_window_check(int64_t *from, int64_t *to, int64_t now, struct app_error *err);

/* Normalise a plate (GA 36-2018 号牌: 省、自治区、直辖市简称 + 发牌机关代号 letter + 5 characters,
 * 6 for new-energy plates; letters without I and O): spaces, '·', '-' removed, letters upper
 * case. out gets at least 16 bytes. APP_ERR_INVALID "bad_plate" (field "plate"). */
int parking_plate_normalize(const char *in, char *out, size_t size, struct app_error *err);
/* The plate as people without access to personal data see it: 渝A1**45 (the middle masked). */
void parking_plate_mask(const char *plate, char *out, size_t size);

/* May a booking in state st starting at start be cancelled at now? Only before it starts.
 * APP_ERR_CONFLICT "not_cancellable" (not booked) or "too_late" (started). */
int parking_cancel_check(enum parking_status st, int64_t start, int64_t now, struct app_error *err);

/* Does a car arriving at `at` match a booking [start, end)? From one grace period before the
 * start to one grace period after it. */
bool parking_arrival_matches(int64_t start, int64_t at);
/* Minutes a car leaving at out_at overstayed a booking ending at end: 0 within the grace
 * period, else the whole minutes past the end, rounded up. */
int parking_overstay_minutes(int64_t end, int64_t out_at);

/* Walking estimate from straight-line distance: whole minutes at PARKING_WALK_M_PER_MIN, at
 * least 1. (Straight lines understate Yuzhong's stairs and slopes; the living-circle network
 * replaces this where it exists.) */
#define PARKING_WALK_M_PER_MIN 60.0
#define PARKING_ROUTED 20 /* lots of an availability answer routed over the walking network */
int parking_walk_minutes(double distance_m);

/* ---- the module ------------------------------------------------------------------------- */

enum parking_kind {
    PARKING_KIND_PUBLIC = 0,
    PARKING_KIND_OFFICE,
    PARKING_KIND_RESIDENTIAL,
    PARKING_KIND_HOSPITAL,
    PARKING_KIND_SCHOOL,
    PARKING_KIND_COMMERCIAL,
    PARKING_KIND_COUNT,
};
const char *parking_kind_name(enum parking_kind k);
const char *
parking_kind_label(enum parking_kind k); /* 公共, 机关单位, 住宅小区, 医院, 学校, 商业 */
int parking_kind_parse(const char *s); /* -1 when unknown */

struct parking_lot {
    int64_t id;
    char code[24];
    char name[128];
    int kind;
    double lon, lat; /* WGS84 */
    double entrance_lon, entrance_lat;
    char entrance[128]; /* how to find the way in */
    char grid[24], street[24];
    int capacity; /* all spaces of the lot */
    char owner[128];
    bool synthetic;
};

struct parking_lot_list {
    struct parking_lot *items;
    size_t len, cap;
};

struct parking_plan {
    int64_t id;
    int64_t lot_id;
    int spaces;
    char windows[256];       /* canonical spec (parking_windows_format) */
    int price_fen;           /* per hour */
    char audience[16];       /* "public" or "members" */
    char audience_label[64]; /* e.g. "重庆大厦职工" */
    bool active;
    bool synthetic;
};

struct parking_plan_list {
    struct parking_plan *items;
    size_t len, cap;
};

struct parking_booking {
    int64_t id;
    int64_t lot_id, plan_id;
    char lot_code[24];
    char lot_name[128];
    char grid[24];
    char plate[16];
    int64_t start, end;
    int status;
    int64_t created_at, in_at, out_at;
    int overstay_minutes;
    int price_fen; /* the plan's hourly price at booking */
    bool synthetic;
};

struct parking_booking_list {
    struct parking_booking *items;
    size_t len, cap;
};

/* Create a lot. who must hold parking.manage with the point's grid in scope (the point is
 * located with org_locate; 404 outside the district or the scope). Audited. Errors
 * APP_ERR_INVALID naming the field, APP_ERR_CONFLICT "lot_exists". */
int parking_lot_create(struct app *app, struct db *db, const struct auth_principal *who,
                       struct parking_lot *lot, const char *request_id, struct app_error *err);
/* One lot by code (public information). APP_ERR_NOT_FOUND "unknown_lot". */
int parking_lot_get(struct db *db, const char *code, struct parking_lot *out,
                    struct app_error *err);
/* All lots in code order. */
int parking_lot_list(struct db *db, struct parking_lot_list *out, struct app_error *err);
/* The active plans of a lot. */
int parking_plan_list(struct db *db, int64_t lot_id, struct parking_plan_list *out,
                      struct app_error *err);

/* What publishing a plan takes; strings borrowed. */
struct parking_plan_input {
    const char *lot;      /* lot code */
    int spaces;           /* 1..capacity */
    const char *windows;  /* spec, see parking_windows_parse */
    int price_fen;        /* 0..100000 per hour */
    const char *audience; /* "public" (default) or "members" */
    const char *audience_label;
    const char *const *members; /* plates allowed when audience is "members" */
    size_t nmembers;
    int64_t owner_lot_id; /* the caller is the owner of this lot (its owner key): who unused */
};
/* Publish a share plan on a lot: who must hold parking.manage with the lot in scope, or the
 * caller is the lot's owner (in->owner_lot_id; another lot's owner: 404).
 * The spaces of the lot's active plans together may not exceed its capacity (APP_ERR_INVALID
 * "over_capacity", field "spaces"). Audited. */
int parking_plan_create(struct db *db, const struct auth_principal *who,
                        const struct parking_plan_input *in, const char *request_id,
                        struct parking_plan *out, struct app_error *err);

/* A change to a plan; strings borrowed, and what is 0/NULL/-1 stays as it is. */
struct parking_plan_change {
    const char *lot; /* lot code the plan must belong to */
    int64_t plan_id;
    int64_t owner_lot_id;       /* the caller is this lot's owner (see parking_plan_input) */
    int spaces;                 /* 0 = keep */
    const char *windows;        /* NULL = keep */
    int price_fen;              /* -1 = keep */
    const char *audience_label; /* NULL = keep */
    bool withdraw;              /* withdraw the plan: no new bookings on it */
};
/* Edit or withdraw a plan (who: parking.manage with the lot in scope, or the lot's owner; 404
 * otherwise, and for a withdrawn plan). An edit applies to new bookings, and is refused when a
 * booking already made on the plan (booked and still awaited, or the car inside) would no longer
 * fit: APP_ERR_CONFLICT "bookings_outside" (field "windows": the new windows do not cover it) or
 * "bookings_exceed" (field "spaces": more of them at one time than the new spaces); the lot's
 * capacity as in parking_plan_create. A withdrawal keeps the bookings already made (*kept says
 * how many are still to come or inside). Audited with the plan before and after. */
int parking_plan_update(struct db *db, const struct auth_principal *who,
                        const struct parking_plan_change *in, const char *request_id,
                        struct parking_plan *out, int *kept, struct app_error *err);

/* Issue an owner key for a lot (who: parking.manage, lot in scope; label says whom it was given
 * to). key_out gets PARKING_KEY_LEN + 1 bytes ("zpo_" + 43 base64url); only its digest is
 * stored. Audited. */
int parking_owner_key_issue(struct db *db, const struct auth_principal *who, const char *lot,
                            const char *label, const char *request_id, char *key_out,
                            struct app_error *err);
/* The lot whose owner holds key. APP_ERR_UNAUTHORIZED "invalid_owner_key". */
int parking_owner_identify(struct db *db, const char *key, struct parking_lot *lot,
                           struct app_error *err);

/* A booking request; strings borrowed. */
struct parking_booking_input {
    const char *lot;
    const char *plate;
    int64_t from, to;
    bool synthetic;
};
/* Book a space: validates plate and window (parking_window_check), finds the lot's first active
 * plan open to the plate (public, or a member list naming it) whose offered times cover the
 * window and whose peak occupancy over the window leaves a space, and stores the booking — the
 * check and the insert inside one write transaction, so parallel requests cannot both take the
 * last space. token_out (at least 44 bytes, may be NULL) gets a new secret the booker cancels
 * with; only its digest is stored. who may be NULL (a driver without an account). Audited.
 * Errors: APP_ERR_INVALID naming the field, APP_ERR_NOT_FOUND "unknown_lot", APP_ERR_CONFLICT
 * "not_offered" (no plan covers the window), "full" (no space free) or "plate_busy" (the plate
 * holds an overlapping booking). */
int parking_book(struct app *app, struct db *db, const struct auth_principal *who,
                 const struct parking_booking_input *in, const char *request_id,
                 struct parking_booking *out, char *token_out, struct app_error *err);

/* The booking `id` as seen by who with `token`: readable with its token, or by staff holding
 * parking.bookings with its grid in scope. APP_ERR_NOT_FOUND otherwise. */
int parking_booking_get(struct db *db, const struct auth_principal *who, int64_t id,
                        const char *token, struct parking_booking *out, struct app_error *err);
/* Cancel booking id (token, or staff holding parking.manage in scope): parking_cancel_check,
 * then status cancelled, audited. APP_ERR_NOT_FOUND, APP_ERR_CONFLICT as the check. */
int parking_cancel(struct db *db, const struct auth_principal *who, int64_t id, const char *token,
                   const char *request_id, struct parking_booking *out, struct app_error *err);

/* Bookings overlapping [from, to) (0 = open) of a lot (NULL = all) inside who's scope, newest
 * start first, at most limit. */
int parking_booking_list(struct db *db, const struct auth_principal *who, const char *lot,
                         int64_t from, int64_t to, long limit, struct parking_booking_list *out,
                         struct app_error *err);

/* ---- gate events ------------------------------------------------------------------------ */

/* Issue a gate device key for a lot (who: parking.manage, lot in scope). key_out gets
 * PARKING_KEY_LEN + 1 bytes ("zpk_" + 43 base64url); only its digest is stored. Audited. */
#define PARKING_KEY_LEN 47
int parking_gate_key_issue(struct db *db, const struct auth_principal *who, const char *lot,
                           const char *request_id, char *key_out, struct app_error *err);
/* The lot whose gate holds key. APP_ERR_UNAUTHORIZED "invalid_device_key". */
int parking_gate_key_identify(struct db *db, const char *key, int64_t *lot_id,
                              struct app_error *err);

struct parking_gate_input {
    int64_t lot_id;  /* from the device key; or 0 and lot given */
    const char *lot; /* lot code (staff posting by hand) */
    const char *plate;
    const char *direction; /* "in" or "out" */
    int64_t at;            /* 0 = now */
    bool synthetic;
};

struct parking_gate_result {
    int64_t event_id;
    int64_t booking_id;   /* 0: no booking matched (an unbooked car) */
    int status;           /* the booking's new status */
    int overstay_minutes; /* out: minutes past the end beyond the grace period */
    bool alert;           /* an overstay alert was raised */
    char event_code[32];  /* a repeated overstay opened or joined this event */
};

/* Record a plate read at a lot's gate. In: the plate's booking at this lot whose arrival window
 * holds `at` is checked in. Out: its checked-in booking is completed; leaving more than the
 * grace period after the end raises an overstay alert, and the PARKING_OVERSTAY_REPEAT-th
 * overstay of one plate within PARKING_OVERSTAY_SPAN opens (or joins) an event 机动车乱停放
 * for the lot's grid. who: staff with parking.gate in scope, or NULL for a device key (lot_id
 * set). Audited. Errors APP_ERR_INVALID naming the field, APP_ERR_NOT_FOUND. */
int parking_gate_event(struct app *app, struct db *db, const struct auth_principal *who,
                       const struct parking_gate_input *in, const char *request_id,
                       struct parking_gate_result *out, struct app_error *err);

struct parking_alert {
    int64_t id;
    int64_t at;
    char lot_code[24];
    char lot_name[128];
    char grid[24];
    char plate[16];
    int minutes;
    char event_code[32];
    bool synthetic;
};
struct parking_alert_list {
    struct parking_alert *items;
    size_t len, cap;
};
/* Overstay alerts inside who's scope, newest first, at most limit. */
int parking_alert_list(struct db *db, const struct auth_principal *who, long limit,
                       struct parking_alert_list *out, struct app_error *err);

/* ---- finding a space -------------------------------------------------------------------- */

struct parking_free {
    struct parking_lot lot;
    int free;          /* spaces free over the whole window, in plans open to everyone */
    int price_fen;     /* the lowest hourly price among those plans */
    double distance_m; /* straight line from the destination */
    int walk_minutes;  /* over the living-circle walking network when loaded, else
                          parking_walk_minutes(distance_m) */
    bool walk_network; /* walk_minutes came from the network */
};
struct parking_free_list {
    struct parking_free *items;
    size_t len, cap;
};
/* Lots within radius_m of (lon, lat) (WGS84) with at least one free public shared space over
 * all of [from, to) (parking_window_check rules), nearest first, at most limit: by straight
 * line, then the nearest PARKING_ROUTED of them re-ranked by walking minutes from their entrance
 * over the living-circle network (lifecircle_route) when one is loaded. An empty
 * answer counts as unmet demand in the destination's grid (parking figures). */
int parking_availability(struct app *app, struct db *db, double lon, double lat, int64_t from,
                         int64_t to, double radius_m, long limit, struct parking_free_list *out,
                         struct app_error *err);
/* The same for lot_id only: free spaces over [from, to) in the lot's public plans (0 when none
 * is offered). */
int parking_lot_free(struct db *db, int64_t lot_id, int64_t from, int64_t to, int *nfree,
                     struct app_error *err);

/* ---- figures ---------------------------------------------------------------------------- */

struct parking_lot_figures {
    char lot[24];
    char name[128];
    char grid[24];
    int kind;
    int64_t offered_space_min; /* space-minutes offered by its plans over the span */
    int64_t used_space_min;    /* of those, held by bookings that came (checked in or completed) */
    int64_t bookings;          /* bookings starting in the span, not cancelled */
    int64_t completed;         /* of those, completed (turnover) */
    int64_t no_shows;
    int64_t overstays;
    int shared_spaces;            /* spaces of its active plans */
    double occupancy_by_hour[24]; /* share of offered space-minutes used, by hour of the day */
};
/* A grid where drivers searched and found no free shared space. */
struct parking_demand {
    char grid[24];
    char name[128];
    int64_t searches;
};

struct parking_figures {
    int64_t from, to;
    struct parking_lot_figures *lots;
    size_t nlots, cap;
    double share_rate; /* used / offered over all lots, 0..1 */
    double turnover;   /* completed bookings per shared space per day */
    double occupancy_by_hour[24];
    struct parking_demand *demand; /* top grids of unmet demand, most first */
    size_t ndemand, demand_cap;
};
/* Figures over [from, to) (at most 92 days) for the lots in who's scope (parking.figures). */
int parking_figures(struct db *db, const struct auth_principal *who, int64_t from, int64_t to,
                    struct parking_figures *out, struct app_error *err);
void parking_figures_release(struct parking_figures *f);

/* Module seed hook: the demo lots, plans, a month of bookings and gate events (synthetic). */
int parking_seed(struct app *app, struct db *db, bool demo, struct app_error *err);

#endif
