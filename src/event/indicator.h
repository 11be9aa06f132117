/* Evaluation indicators of the event closed loop (issue 4 item 7; governance.md §1.5 数字城管
 * 绩效评价 after CJ/T 292 and §1.6 12345 三率): counts taken from the event history for a
 * period, the ratios and the weighted 综合指标值 with its A–E grade as pure functions over those
 * counts, and the grouped table served by GET /api/v1/indicators. docs/indicators.md gives
 * every formula with its source. */
#ifndef EVENT_INDICATOR_H
#define EVENT_INDICATOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/calendar.h"
#include "core/db.h"
#include "core/error.h"

struct auth_principal;

/* Counts of one group over a period [from, to), each taken from history rows inside it. */
struct indicator_counts {
    int64_t reported;            /* 上报数: events whose report row lies in the period */
    int64_t accepted;            /* 受理数: left 上报 for verification, 立案 or 自处理 */
    int64_t registered;          /* 立案数: entered 立案 (or closed by 自处理) */
    int64_t patrol_registered;   /* of those, reported by grid patrol (监督员/网格员) */
    int64_t dispatched;          /* 派遣数 */
    int64_t handled;             /* 处置数: handling finished (反馈 or 自处理) */
    int64_t handle_overdue_open; /* 超期未处置数: overdue, not handled in the period nor by `to` */
    int64_t closed;              /* 结案数 */
    int64_t closed_on_time;      /* 按期结案数: closed with no stage ever overdue */
    int64_t close_overdue_open;  /* 超期未结案数: overdue, not closed in the period nor by `to` */
    int64_t overdue;             /* 超期数: events that were overdue in the period */
    int64_t rework;              /* 返工数: failed checks (核查不通过) */
    int64_t handle_seconds;      /* working seconds from first dispatch to first feedback */
    int64_t handle_samples;      /* events measured in handle_seconds */
    /* 12345 hotline events only (channel hotline_12345) */
    int64_t hotline_dispatched;  /* 派单数 */
    int64_t hotline_signed;      /* 按时签收数 */
    int64_t hotline_satisfied;   /* 回访: 满意 */
    int64_t hotline_basic;       /* 回访: 基本满意 */
    int64_t hotline_unsatisfied; /* 回访: 不满意 */
};

/* Add b into a (used to build totals). */
void indicator_counts_add(struct indicator_counts *a, const struct indicator_counts *b);

/* Weights of the 综合指标值, each >= 0; the value is Σ wᵢ·xᵢ / Σ wᵢ over the indicators that
 * have a value (a rate whose denominator is 0 drops out with its weight). */
struct indicator_weights {
    double patrol;       /* 监督举报率 */
    double cases;        /* 立案数分值 */
    double closure;      /* 结案率 */
    double ontime;       /* 按期结案率 */
    double handle;       /* 处置率 */
    double rework;       /* 100 − 返工率 */
    double response;     /* 响应率 */
    double resolve;      /* 解决率 */
    double satisfaction; /* 满意率 */
    double basic_share;  /* weight of 基本满意 inside 满意率 (0..1) */
};

/* Default weights: the region evaluation of governance.md §1.5 with 按期结案率 at 40 % so that
 * they sum to 100 % (patrol 10, cases 20, closure 30, ontime 40); basic_share 0.8. */
#define INDICATOR_DEFAULT_WEIGHTS "patrol:10,cases:20,closure:30,ontime:40,basic_share:0.8"

/* Parse "name:value,..." over the defaults in *w (names as the fields of struct
 * indicator_weights). Returns 0, or -1 with APP_ERR_INVALID "invalid_weights" naming field
 * (unknown name, negative or non-numeric value, all weights zero, basic_share outside 0..1). */
int indicator_weights_parse(const char *spec, struct indicator_weights *w, const char *field,
                            struct app_error *err);

/* The computed indicators of one group. Rates are percentages 0..100; NAN when undefined (a
 * zero denominator), shown as null. */
struct indicator_values {
    struct indicator_counts c;
    int64_t due_to_close;     /* 应结案数 = 结案数 + 超期未结案数 */
    int64_t due_to_handle;    /* 应处置数 = 处置数 + 超期未处置数 */
    double closure_rate;      /* 结案率 = 结案数 / 应结案数 */
    double ontime_rate;       /* 按期结案率 = 按期结案数 / 应结案数 */
    double handle_rate;       /* 处置率 = 处置数 / 应处置数 */
    double rework_rate;       /* 返工率 = 返工数 / 处置数 */
    double patrol_rate;       /* 监督举报率 = 网格员上报立案数 / 立案数 */
    double cases_score;       /* 立案数分值 (bracket score 0..100) */
    double avg_handle_hours;  /* 平均处置时长 in working hours */
    double response_rate;     /* 响应率 = 按时签收数 / 派单数 (12345) */
    double resolve_rate;      /* 解决率 = (满意 + 基本满意) / 回访数 */
    double satisfaction_rate; /* 满意率 = (满意 + basic_share × 基本满意) / 回访数 */
    double composite;         /* 综合指标值 0..100 */
    char grade;               /* 'A'..'E', 0 when composite is NAN */
};

/* 100 × num / den, or NAN when den is 0. */
double indicator_rate(int64_t num, int64_t den);
/* 立案数分值 after the department evaluation of governance.md §1.5, on a 0..100 scale:
 * ≤ 50 → 100, ≤ 100 → 90, ≤ 200 → 75, ≤ 500 → 60, ≤ 1000 → 40, else 0. */
double indicator_cases_score(int64_t registered);
/* Grade of a 综合指标值: A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, E below; 0 for NAN. */
char indicator_grade(double composite);
/* Every indicator from counts c with weights w (pure). */
void indicator_compute(const struct indicator_counts *c, const struct indicator_weights *w,
                       struct indicator_values *out);

/* ---- one event's facts, folded from its history (pure) ---------------------------------- */

/* One history row as the indicators read it. Strings are borrowed. */
struct indicator_hrow {
    int64_t at;
    const char *action, *from_state, *to_state;
    const char *department;
    const char *comment; /* only needed for revisit rows (满意度：…) */
    bool overdue;        /* the action came after the stage deadline */
};

/* What one event did up to the period end `to`, relative to the period start `from`. */
struct indicator_facts {
    bool touched; /* a row inside the period */
    bool reported, accepted, registered, handled, late_in;
    int64_t disp_in_at;    /* first dispatch inside the period, -1 none */
    int64_t first_disp_at; /* first dispatch ever (before `to`), -1 none */
    int64_t first_fb_at;   /* first feedback, -1 none */
    int64_t close_at;      /* last entry into 结案 inside the period, -1 none */
    int64_t first_late;    /* first row late or 超期督办, -1 none */
    int64_t sign_ok_at;    /* last on-time signing, -1 none */
    int64_t rework, satisfied, basic, unsatisfied;
    char state_at_to[16]; /* to_state of the last row */
    char department[24];  /* department of the latest dispatch */
};

/* Start an event. */
void indicator_facts_init(struct indicator_facts *f);
/* Fold one row (rows of one event in history order, each before the period end) into f;
 * `from` is the period start. */
void indicator_facts_step(struct indicator_facts *f, const struct indicator_hrow *h, int64_t from);
/* Add the facts of a finished event (channel name, e.g. "hotline_12345") to c; handling time is
 * measured in working hours over cal. Events not touched in the period add nothing. Errors:
 * calendar_year_missing from the calendar. */
int indicator_facts_add(const struct indicator_facts *f, const char *channel,
                        const struct calendar *cal, int64_t from, struct indicator_counts *c,
                        struct app_error *err);

/* ---- the grouped table -------------------------------------------------------------------- */

enum indicator_group {
    INDICATOR_GROUP_NONE = 0,
    INDICATOR_GROUP_STREET,
    INDICATOR_GROUP_COMMUNITY,
    INDICATOR_GROUP_GRID,
    INDICATOR_GROUP_BOARD,
    INDICATOR_GROUP_DEPARTMENT, /* the department of the latest dispatch before `to` */
    INDICATOR_GROUP_CHANNEL,
    INDICATOR_GROUP_CATEGORY,
    INDICATOR_GROUP_DAY, /* each Shanghai day of the period on its own */
};

/* "street", ... , "day"; "" for NONE. indicator_group_parse: -1 when unknown, NONE for NULL/"". */
const char *indicator_group_name(enum indicator_group g);
int indicator_group_parse(const char *s);

struct indicator_filter {
    const char *region;     /* region code of any level; NULL = the caller's whole scope */
    const char *board;      /* board code or NULL */
    const char *department; /* department code (of the latest dispatch) or NULL */
    int64_t from, to;       /* the period [from, to), Unix seconds */
    enum indicator_group group;
};

struct indicator_row {
    char key[48];    /* group key: region/board/department/category code, channel, date */
    char label[128]; /* its name */
    struct indicator_counts c;
};

struct indicator_table {
    struct indicator_row *items;
    size_t len, cap;
};
void indicator_table_release(struct indicator_table *t);

/* Find or append the row with key (label filled by the caller). Never NULL. */
struct indicator_row *indicator_table_row(struct indicator_table *t, const char *key);

/* What the caller asks for: filter, weights and who (NULL = system, everything). */
struct indicator_query {
    struct indicator_filter f;
    struct indicator_weights w;
};

/* Validate q for who: from < to, the period at most 366 days (day grouping) or 3 years,
 * region inside who's scope (defaulting to the root of the scope). region_buf (24 bytes) holds
 * the default. Errors: APP_ERR_INVALID naming "from"/"to", APP_ERR_FORBIDDEN "out_of_scope"
 * naming "region". */
int indicator_check(const struct auth_principal *who, struct indicator_query *q, char *region_buf,
                    size_t n, struct app_error *err);

/* Count the period from the history (indicator_store.c) into rows of out, sorted by key, plus
 * the labels; working hours over cal. */
int indicator_collect(struct db *db, const struct calendar *cal, const struct indicator_filter *f,
                      struct indicator_table *out, struct app_error *err);

/* The CSV export (UTF-8 with a BOM for Excel/WPS; RFC 4180): one header line in Chinese, one
 * line per row, then the total line "合计". Appends to out. */
void indicator_write_csv(const struct indicator_table *t, const struct indicator_values *rows,
                         const struct indicator_values *total, struct buf *out);

#endif
