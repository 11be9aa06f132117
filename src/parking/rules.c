/* The pure rules of shared parking: weekly share windows on working and rest days (midnight
 * crossings included), the capacity check as peak occupancy over a window, the timing rules of a
 * booking (grace period, cancellation, overstay), plates and the walking estimate. No I/O. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "parking/parking.h"

static const char *const status_names[] = {"booked", "checked_in", "completed", "cancelled",
                                           "no_show"};
static const char *const status_labels[] = {"已预约", "已入场", "已离场", "已取消", "未到场"};

const char *parking_status_name(enum parking_status s)
{
    return (unsigned)s < 5 ? status_names[s] : "";
}

const char *parking_status_label(enum parking_status s)
{
    return (unsigned)s < 5 ? status_labels[s] : "";
}

static const char *const kind_names[] = {"public",   "office", "residential",
                                         "hospital", "school", "commercial"};
static const char *const kind_labels[] = {"公共停车场", "机关单位", "住宅小区",
                                          "医院",       "学校",     "商业"};

const char *parking_kind_name(enum parking_kind k)
{
    return (unsigned)k < PARKING_KIND_COUNT ? kind_names[k] : "";
}

const char *parking_kind_label(enum parking_kind k)
{
    return (unsigned)k < PARKING_KIND_COUNT ? kind_labels[k] : "";
}

int parking_kind_parse(const char *s)
{
    for (int i = 0; s && i < PARKING_KIND_COUNT; i++)
        if (strcmp(s, kind_names[i]) == 0)
            return i;
    return -1;
}

/* ---- windows ------------------------------------------------------------------------------ */

static const struct {
    const char *name;
    enum parking_days days;
} day_names[] = {
    {"daily", PARKING_DAYS_DAILY},     {"workday", PARKING_DAYS_WORKDAY},
    {"restday", PARKING_DAYS_RESTDAY}, {"每天", PARKING_DAYS_DAILY},
    {"工作日", PARKING_DAYS_WORKDAY},  {"休息日", PARKING_DAYS_RESTDAY},
};

/* "HH:MM" at *p (24:00 allowed only when end); advances *p. */
static int parse_hm(const char **p, bool end, int *out)
{
    const char *s = *p;
    if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) || s[2] != ':' ||
        !isdigit((unsigned char)s[3]) || !isdigit((unsigned char)s[4]))
        return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && (m != 0 || !end)))
        return -1;
    *out = h * 60 + m;
    *p = s + 5;
    return 0;
}

int parking_windows_parse(const char *spec, struct parking_window *out, int *n, const char *field,
                          struct app_error *err)
{
    *n = 0;
    const char *p = spec ? spec : "";
    while (*p == ' ')
        p++;
    if (!*p)
        return app_fail(err, APP_ERR_INVALID, "bad_windows", field, "缺少共享时段");
    while (*p) {
        if (*n == PARKING_MAX_WINDOWS)
            return app_fail(err, APP_ERR_INVALID, "bad_windows", field, "共享时段最多 %d 个",
                            PARKING_MAX_WINDOWS);
        struct parking_window w = {0};
        size_t i, k = sizeof day_names / sizeof day_names[0];
        for (i = 0; i < k; i++) {
            size_t l = strlen(day_names[i].name);
            if (strncmp(p, day_names[i].name, l) == 0 && p[l] == ' ') {
                w.days = day_names[i].days;
                p += l;
                break;
            }
        }
        if (i == k)
            return app_fail(err, APP_ERR_INVALID, "bad_windows", field,
                            "共享时段应写作 “workday 19:00-08:00” (daily/workday/restday)");
        while (*p == ' ')
            p++;
        if (parse_hm(&p, false, &w.start) || *p++ != '-' || parse_hm(&p, true, &w.end))
            return app_fail(err, APP_ERR_INVALID, "bad_windows", field,
                            "时间应写作 HH:MM-HH:MM (结束早于开始表示跨越午夜)");
        out[(*n)++] = w;
        while (*p == ' ')
            p++;
        if (*p == ',') {
            p++;
            while (*p == ' ')
                p++;
            if (!*p)
                return app_fail(err, APP_ERR_INVALID, "bad_windows", field, "逗号后缺少时段");
        } else if (*p) {
            return app_fail(err, APP_ERR_INVALID, "bad_windows", field, "时段之间用逗号分隔");
        }
    }
    return 0;
}

void parking_windows_format(const struct parking_window *w, int n, char *out, size_t size)
{
    static const char *const names[] = {"daily", "workday", "restday"};
    size_t used = 0;
    if (size)
        out[0] = '\0';
    for (int i = 0; i < n && used < size; i++) {
        int r = snprintf(out + used, size - used, "%s%s %02d:%02d-%02d:%02d", i ? "," : "",
                         names[w[i].days], w[i].start / 60, w[i].start % 60, w[i].end / 60,
                         w[i].end % 60);
        if (r < 0)
            break;
        used += (size_t)r;
    }
}

static int cmp_interval(const void *a, const void *b)
{
    const struct parking_interval *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start ? 1 : 0;
}

size_t parking_offered(const struct parking_window *w, int nw, int64_t first_day,
                       const bool *workday, size_t ndays, int64_t from, int64_t to,
                       struct parking_interval *out, size_t max)
{
    if (to <= from || !max)
        return 0;
    /* The Shanghai day of an instant: floor((t + 8 h) / 1 day). */
    int64_t d0 = (from + CLOCK_CN_OFFSET) / 86400 - 1;
    if (from + CLOCK_CN_OFFSET < 0)
        d0 = (from + CLOCK_CN_OFFSET - 86399) / 86400 - 1;
    int64_t d1 = (to + CLOCK_CN_OFFSET) / 86400;
    size_t cap = (size_t)(d1 - d0 + 1) * (size_t)(nw > 0 ? nw : 1), n = 0;
    struct parking_interval *all = calloc(cap, sizeof(*all));
    if (!all)
        return 0;
    for (int64_t d = d0; d <= d1; d++) {
        int64_t idx = d - first_day;
        if (idx < 0 || (size_t)idx >= ndays)
            continue;
        int64_t midnight = d * 86400 - CLOCK_CN_OFFSET;
        for (int i = 0; i < nw; i++) {
            if ((w[i].days == PARKING_DAYS_WORKDAY && !workday[idx]) ||
                (w[i].days == PARKING_DAYS_RESTDAY && workday[idx]))
                continue;
            int64_t s = midnight + (int64_t)w[i].start * 60;
            int64_t e = midnight + (int64_t)w[i].end * 60;
            if (w[i].end <= w[i].start)
                e += 86400; /* crosses midnight: ends the next day */
            if (e <= from || s >= to)
                continue;
            all[n].start = s < from ? from : s;
            all[n].end = e > to ? to : e;
            n++;
        }
    }
    qsort(all, n, sizeof(*all), cmp_interval);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m && all[i].start <= out[m - 1].end) {
            if (all[i].end > out[m - 1].end)
                out[m - 1].end = all[i].end;
        } else if (m < max) {
            out[m++] = all[i];
        } else {
            break;
        }
    }
    free(all);
    return m;
}

bool parking_covered(const struct parking_interval *iv, size_t n, int64_t from, int64_t to)
{
    int64_t t = from;
    for (size_t i = 0; i < n && t < to; i++) {
        if (iv[i].end <= t)
            continue;
        if (iv[i].start > t)
            return false;
        t = iv[i].end;
    }
    return t >= to;
}

struct edge {
    int64_t t;
    int d; /* +1 start, -1 end */
};

static int cmp_edge(const void *a, const void *b)
{
    const struct edge *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->d - y->d; /* ends before starts at the same instant: half-open intervals */
}

int parking_peak(const struct parking_interval *busy, size_t n, int64_t from, int64_t to)
{
    struct edge *e = calloc(2 * n + 1, sizeof(*e));
    size_t m = 0;
    if (!e)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int64_t s = busy[i].start < from ? from : busy[i].start;
        int64_t t = busy[i].end > to ? to : busy[i].end;
        if (s >= t)
            continue;
        e[m++] = (struct edge){s, 1};
        e[m++] = (struct edge){t, -1};
    }
    qsort(e, m, sizeof(*e), cmp_edge);
    int cur = 0, peak = 0;
    for (size_t i = 0; i < m; i++) {
        cur += e[i].d;
        if (cur > peak)
            peak = cur;
    }
    free(e);
    return peak;
}

/* ---- bookings ----------------------------------------------------------------------------- */

bool parking_holds(enum parking_status st, int64_t start, int64_t end, int64_t out_at, int64_t now,
                   struct parking_interval *held)
{
    switch (st) {
    case PARKING_BOOKED:
        held->start = start;
        held->end = now <= start + PARKING_GRACE_S ? end : start + PARKING_GRACE_S;
        if (held->end > end)
            held->end = end;
        return true;
    case PARKING_CHECKED_IN:
        held->start = start;
        held->end = now + PARKING_GRACE_S > end ? now + PARKING_GRACE_S : end;
        return true;
    case PARKING_COMPLETED:
        held->start = start;
        held->end = out_at > start ? out_at : start;
        return held->end > held->start;
    default:
        return false;
    }
}

int parking_window_check(int64_t *from, int64_t *to, int64_t now, struct app_error *err)
{
    /* Capacity is counted per minute: the window is widened to whole minutes. */
    int64_t f = *from - ((*from % 60) + 60) % 60;
    int64_t t = *to + (60 - ((*to % 60) + 60) % 60) % 60;
    if (t <= f)
        return app_fail(err, APP_ERR_INVALID, "bad_window", "to", "结束时间须晚于开始时间");
    if (t - f < PARKING_MIN_S)
        return app_fail(err, APP_ERR_INVALID, "too_short", "to", "预约时长至少 %d 分钟",
                        PARKING_MIN_S / 60);
    if (t - f > PARKING_MAX_S)
        return app_fail(err, APP_ERR_INVALID, "too_long", "to", "预约时长最多 %d 小时",
                        PARKING_MAX_S / 3600);
    if (f < now - PARKING_GRACE_S)
        return app_fail(err, APP_ERR_INVALID, "in_past", "from", "开始时间已过");
    if (f > now + PARKING_AHEAD_S)
        return app_fail(err, APP_ERR_INVALID, "too_far_ahead", "from", "最多提前 %d 天预约",
                        PARKING_AHEAD_S / 86400);
    *from = f;
    *to = t;
    return 0;
}

/* GA 36-2018: the 31 provincial abbreviations of ordinary plates. */
static const char *const provinces[] = {
    "京", "津", "沪", "渝", "冀", "豫", "云", "辽", "黑", "湘", "皖", "鲁", "新", "苏", "浙", "赣",
    "鄂", "桂", "甘", "晋", "蒙", "陕", "吉", "闽", "贵", "粤", "青", "藏", "川", "宁", "琼",
};

static bool plate_char(char c)
{
    /* Serial characters: digits and capitals except I and O (confused with 1 and 0). */
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z' && c != 'I' && c != 'O');
}

int parking_plate_normalize(const char *in, char *out, size_t size, struct app_error *err)
{
    char b[64];
    size_t n = 0;
    for (const char *p = in ? in : ""; *p; p++) {
        if (*p == ' ' || *p == '-')
            continue;
        if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xB7) { /* '·' */
            p++;
            continue;
        }
        if (n + 1 >= sizeof b)
            return app_fail(err, APP_ERR_INVALID, "bad_plate", "plate", "车牌号格式不对");
        b[n++] = (char)toupper((unsigned char)*p);
    }
    b[n] = '\0';
    size_t np = sizeof provinces / sizeof provinces[0], i;
    for (i = 0; i < np; i++)
        if (strncmp(b, provinces[i], 3) == 0)
            break;
    size_t serial = n >= 4 ? n - 4 : 0;
    bool ok = i < np && n >= 4 && b[3] >= 'A' && b[3] <= 'Z' && b[3] != 'I' && b[3] != 'O' &&
              (serial == 5 || serial == 6);
    for (size_t k = 4; ok && k < n; k++)
        ok = plate_char(b[k]);
    if (!ok)
        return app_fail(err, APP_ERR_INVALID, "bad_plate", "plate",
                        "车牌号格式不对 (如 渝A12345 或新能源 渝AD12345)");
    if (n + 1 > size)
        return app_fail(err, APP_ERR_INVALID, "bad_plate", "plate", "车牌号过长");
    memcpy(out, b, n + 1);
    return 0;
}

void parking_plate_mask(const char *plate, char *out, size_t size)
{
    size_t n = strlen(plate);
    /* province (3 bytes) + letter + serial: keep the first serial character and the last two */
    if (n < 8) {
        snprintf(out, size, "%s", plate);
        return;
    }
    snprintf(out, size, "%.5s", plate);
    size_t used = strlen(out);
    for (size_t k = 5; k < n - 2 && used + 1 < size; k++)
        out[used++] = '*';
    out[used < size ? used : size - 1] = '\0';
    snprintf(out + strlen(out), size - strlen(out), "%s", plate + n - 2);
}

int parking_cancel_check(enum parking_status st, int64_t start, int64_t now, struct app_error *err)
{
    if (st != PARKING_BOOKED)
        return app_fail(err, APP_ERR_CONFLICT, "not_cancellable", NULL, "该预约已%s，不能取消",
                        parking_status_label(st));
    if (now >= start)
        return app_fail(err, APP_ERR_CONFLICT, "too_late", NULL,
                        "预约已开始，不能取消；%d 分钟内未入场自动释放", PARKING_GRACE_S / 60);
    return 0;
}

bool parking_arrival_matches(int64_t start, int64_t at)
{
    return at >= start - PARKING_GRACE_S && at <= start + PARKING_GRACE_S;
}

int parking_overstay_minutes(int64_t end, int64_t out_at)
{
    if (out_at <= end + PARKING_GRACE_S)
        return 0;
    return (int)((out_at - end + 59) / 60);
}

int parking_walk_minutes(double distance_m)
{
    int m = (int)ceil(distance_m / PARKING_WALK_M_PER_MIN);
    return m < 1 ? 1 : m;
}
