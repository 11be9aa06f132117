/* The working-day calendar: loading data/cn-holidays.csv into per-day kinds with prefix sums,
 * and working-time arithmetic over the office schedule. See calendar.h for the rules. */
#include "core/calendar.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/app.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/embed.h"
#include "core/log.h"
#include "core/lunar.h"
#include "core/xalloc.h"

#define DAY 86400

struct row {
    int64_t day;
    bool work;
};

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int year_of(int64_t day)
{
    int y, m, d;
    clock_civil_from_days(day, &y, &m, &d);
    return y;
}

/* Parse one CSV text, appending its rows (a later row for the same date wins at build). */
static int parse_rows(const char *csv, size_t len, struct row **rows, size_t *n, size_t *cap,
                      struct app_error *err)
{
    struct csv_reader r;
    int ret = -1, ic_date, ic_kind, rc;
    csv_init(&r, csv, len);
    rc = csv_next(&r, err);
    if (rc <= 0) {
        if (rc == 0)
            app_fail(err, APP_ERR_INVALID, "calendar_csv", "date", "节假日文件为空");
        goto out;
    }
    ic_date = csv_column(&r, "date");
    ic_kind = csv_column(&r, "kind");
    if (ic_date < 0 || ic_kind < 0) {
        app_fail(err, APP_ERR_INVALID, "calendar_csv", "date", "节假日文件缺少 date 或 kind 列");
        goto out;
    }
    while ((rc = csv_next(&r, err)) == 1) {
        int64_t day;
        if (r.nfields <= ic_date || r.nfields <= ic_kind ||
            clock_parse_date(r.fields[ic_date], &day)) {
            app_fail(err, APP_ERR_INVALID, "calendar_csv", "date", "节假日文件第 %d 行日期无效",
                     r.line);
            goto out;
        }
        bool work = strcmp(r.fields[ic_kind], "workday") == 0;
        if (!work && strcmp(r.fields[ic_kind], "holiday") != 0) {
            app_fail(err, APP_ERR_INVALID, "calendar_csv", "kind",
                     "节假日文件第 %d 行 kind 应为 holiday 或 workday", r.line);
            goto out;
        }
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 64;
            *rows = xrealloc(*rows, *cap * sizeof **rows);
        }
        (*rows)[(*n)++] = (struct row){day, work};
    }
    if (rc < 0)
        goto out;
    ret = 0;
out:
    csv_release(&r);
    return ret;
}

int calendar_set_schedule(struct calendar *cal, const char *spec, struct app_error *err)
{
    struct calendar_span spans[CALENDAR_MAX_SPANS];
    int n = 0;
    const char *p = spec;
    while (p && *p) {
        int h1, m1, h2, m2, used = 0;
        if (n == CALENDAR_MAX_SPANS ||
            sscanf(p, "%2d:%2d-%2d:%2d%n", &h1, &m1, &h2, &m2, &used) != 4 || used != 11 ||
            h1 < 0 || h1 > 24 || m1 < 0 || m1 > 59 || h2 < 0 || h2 > 24 || m2 < 0 || m2 > 59)
            goto bad;
        spans[n].start = h1 * 3600 + m1 * 60;
        spans[n].end = h2 * 3600 + m2 * 60;
        if (spans[n].end > DAY || spans[n].start >= spans[n].end ||
            (n > 0 && spans[n].start < spans[n - 1].end))
            goto bad;
        n++;
        p += used;
        if (*p == ',')
            p++;
        else if (*p)
            goto bad;
    }
    if (n == 0)
        goto bad;
    memcpy(cal->spans, spans, sizeof spans);
    cal->nspans = n;
    cal->day_seconds = 0;
    for (int i = 0; i < n; i++)
        cal->day_seconds += spans[i].end - spans[i].start;
    return 0;
bad:
    return app_fail(err, APP_ERR_INVALID, "calendar_schedule", "work_hours",
                    "工作时间格式应为 HH:MM-HH:MM[,HH:MM-HH:MM]，时段递增且不重叠");
}

int calendar_load_many(struct calendar *cal, const char *const *csv, const size_t *len, int n,
                       struct app_error *err)
{
    struct row *rows = NULL;
    size_t nrows = 0, cap = 0;
    int ret = -1;
    memset(cal, 0, sizeof *cal);
    for (int i = 0; i < n; i++)
        if (parse_rows(csv[i], len[i], &rows, &nrows, &cap, err))
            goto out;
    if (nrows == 0) {
        app_fail(err, APP_ERR_INVALID, "calendar_csv", "date", "节假日文件没有任何日期");
        goto out;
    }
    cal->first_year = cal->last_year = year_of(rows[0].day);
    for (size_t i = 1; i < nrows; i++) {
        int y = year_of(rows[i].day);
        if (y < cal->first_year)
            cal->first_year = y;
        if (y > cal->last_year)
            cal->last_year = y;
    }
    cal->official_last_year = cal->last_year;
    if (cal->last_year < LUNAR_LAST_YEAR)
        cal->last_year = cal->last_year + CALENDAR_PROVISIONAL_YEARS > LUNAR_LAST_YEAR
                             ? LUNAR_LAST_YEAR
                             : cal->last_year + CALENDAR_PROVISIONAL_YEARS;
    cal->covered = xcalloc((size_t)(cal->last_year - cal->first_year + 1), sizeof(bool));
    cal->provisional = xcalloc((size_t)(cal->last_year - cal->first_year + 1), sizeof(bool));
    cal->first_day = clock_days_from_civil(cal->first_year, 1, 1);
    cal->ndays = clock_days_from_civil(cal->last_year + 1, 1, 1) - cal->first_day;
    cal->kind = xmalloc((size_t)cal->ndays);
    cal->cum = xmalloc(((size_t)cal->ndays + 1) * sizeof(int64_t));
    for (int64_t i = 0; i < cal->ndays; i++)
        cal->kind[i] = clock_weekday(cal->first_day + i) < 5 ? CALENDAR_WORK : CALENDAR_REST;
    for (size_t i = 0; i < nrows; i++) {
        cal->covered[year_of(rows[i].day) - cal->first_year] = true;
        cal->kind[rows[i].day - cal->first_day] = rows[i].work ? CALENDAR_WORK : CALENDAR_REST;
    }
    /* Years without a notice: the statutory holidays of the year and weekends, no 调休. */
    for (int y = cal->first_year; y <= cal->last_year; y++) {
        int64_t days[13];
        int nd;
        if (cal->covered[y - cal->first_year] || (nd = lunar_statutory_holidays(y, days)) < 0)
            continue;
        cal->covered[y - cal->first_year] = cal->provisional[y - cal->first_year] = true;
        for (int i = 0; i < nd; i++)
            cal->kind[days[i] - cal->first_day] = CALENDAR_REST;
    }
    cal->cum[0] = 0;
    for (int64_t i = 0; i < cal->ndays; i++)
        cal->cum[i + 1] = cal->cum[i] + (cal->kind[i] == CALENDAR_WORK);
    calendar_set_schedule(cal, CALENDAR_DEFAULT_SCHEDULE, NULL);
    ret = 0;
out:
    free(rows);
    if (ret)
        calendar_release(cal);
    return ret;
}

int calendar_load(struct calendar *cal, const char *csv, size_t len, struct app_error *err)
{
    return calendar_load_many(cal, &csv, &len, 1, err);
}

void calendar_release(struct calendar *cal)
{
    if (!cal)
        return;
    free(cal->covered);
    free(cal->provisional);
    free(cal->kind);
    free(cal->cum);
    memset(cal, 0, sizeof *cal);
}

int calendar_check_year(const struct calendar *cal, int year, const char *field,
                        struct app_error *err)
{
    if (cal->covered && year >= cal->first_year && year <= cal->last_year &&
        cal->covered[year - cal->first_year])
        return 0;
    return app_fail(err, APP_ERR_UNAVAILABLE, "calendar_year_missing", field,
                    "工作日历未包含 %d 年：请按国务院办公厅当年节假日安排通知在 "
                    "data/cn-holidays.csv（或数据目录下的 cn-holidays.csv）中补充该年",
                    year);
}

bool calendar_year_provisional(const struct calendar *cal, int year)
{
    return cal->provisional && year >= cal->first_year && year <= cal->last_year &&
           cal->provisional[year - cal->first_year];
}

bool calendar_span_provisional(const struct calendar *cal, int64_t from, int64_t to)
{
    if (to < from) {
        int64_t t = from;
        from = to;
        to = t;
    }
    int ya = year_of(floor_div(from + CLOCK_CN_OFFSET, DAY));
    int yb = year_of(floor_div(to + CLOCK_CN_OFFSET, DAY));
    for (int y = ya; y <= yb; y++)
        if (calendar_year_provisional(cal, y))
            return true;
    return false;
}

void calendar_status_at(const struct calendar *cal, int64_t now, struct calendar_status *out)
{
    int y, m, d;
    clock_civil_from_days(floor_div(now + CLOCK_CN_OFFSET, DAY), &y, &m, &d);
    out->official_last_year = cal->official_last_year;
    if (calendar_year_provisional(cal, y) || calendar_check_year(cal, y, NULL, NULL)) {
        out->next_year = y;
        out->provisional = true;
        return;
    }
    out->next_year = y + 1;
    out->provisional = m >= 11 && (calendar_year_provisional(cal, y + 1) ||
                                   calendar_check_year(cal, y + 1, NULL, NULL) != 0);
}

/* Check that every year from day a to day b (a <= b) is covered. */
static int check_days(const struct calendar *cal, int64_t a, int64_t b, struct app_error *err)
{
    for (int y = year_of(a), yb = year_of(b); y <= yb; y++)
        if (calendar_check_year(cal, y, "date", err))
            return -1;
    return 0;
}

int calendar_is_workday(const struct calendar *cal, int64_t day, bool *out, struct app_error *err)
{
    if (check_days(cal, day, day, err))
        return -1;
    *out = cal->kind[day - cal->first_day] == CALENDAR_WORK;
    return 0;
}

int calendar_add_workdays(const struct calendar *cal, int64_t day, int n, int64_t *out,
                          struct app_error *err)
{
    if (n < 0)
        return app_fail(err, APP_ERR_INVALID, "invalid_number", "n", "工作日数不能为负数");
    if (check_days(cal, day, day, err))
        return -1;
    int64_t d = day;
    for (int count = 0; count < n;) {
        d++;
        if (check_days(cal, d, d, err))
            return -1;
        count += cal->kind[d - cal->first_day] == CALENDAR_WORK;
    }
    *out = d;
    return 0;
}

/* Working seconds of one working day within [a, b), a and b seconds after midnight. */
static int64_t overlap(const struct calendar *cal, int64_t a, int64_t b)
{
    int64_t s = 0;
    for (int i = 0; i < cal->nspans; i++) {
        int64_t lo = a > cal->spans[i].start ? a : cal->spans[i].start;
        int64_t hi = b < cal->spans[i].end ? b : cal->spans[i].end;
        if (hi > lo)
            s += hi - lo;
    }
    return s;
}

int calendar_work_seconds_between(const struct calendar *cal, int64_t from, int64_t to,
                                  int64_t *out, struct app_error *err)
{
    if (to < from) {
        if (calendar_work_seconds_between(cal, to, from, out, err))
            return -1;
        *out = -*out;
        return 0;
    }
    int64_t la = from + CLOCK_CN_OFFSET, lb = to + CLOCK_CN_OFFSET;
    int64_t da = floor_div(la, DAY), db = floor_div(lb, DAY);
    int64_t sa = la - da * DAY, sb = lb - db * DAY;
    if (check_days(cal, da, db, err))
        return -1;
    bool wa = cal->kind[da - cal->first_day] == CALENDAR_WORK;
    bool wb = cal->kind[db - cal->first_day] == CALENDAR_WORK;
    if (da == db) {
        *out = wa ? overlap(cal, sa, sb) : 0;
        return 0;
    }
    int64_t full = cal->cum[db - cal->first_day] - cal->cum[da + 1 - cal->first_day];
    *out =
        (wa ? overlap(cal, sa, DAY) : 0) + full * cal->day_seconds + (wb ? overlap(cal, 0, sb) : 0);
    return 0;
}

int calendar_add_work_seconds(const struct calendar *cal, int64_t start, int64_t seconds,
                              int64_t *out, struct app_error *err)
{
    if (seconds < 0)
        return app_fail(err, APP_ERR_INVALID, "invalid_number", "hours", "工作时长不能为负数");
    int64_t local = start + CLOCK_CN_OFFSET;
    int64_t d = floor_div(local, DAY), s = local - d * DAY;
    if (check_days(cal, d, d, err))
        return -1;
    if (seconds == 0) {
        *out = start;
        return 0;
    }
    for (;;) {
        if (cal->kind[d - cal->first_day] == CALENDAR_WORK)
            for (int i = 0; i < cal->nspans; i++) {
                int64_t lo = s > cal->spans[i].start ? s : cal->spans[i].start;
                if (lo >= cal->spans[i].end)
                    continue;
                int64_t avail = cal->spans[i].end - lo;
                if (seconds <= avail) {
                    *out = d * DAY + lo + seconds - CLOCK_CN_OFFSET;
                    return 0;
                }
                seconds -= avail;
            }
        d++;
        s = 0;
        if (check_days(cal, d, d, err))
            return -1;
    }
}

int calendar_deadline(const struct calendar *cal, int64_t start, enum calendar_unit unit,
                      int amount, int64_t *out, struct app_error *err)
{
    if (amount < 0)
        return app_fail(err, APP_ERR_INVALID, "invalid_number", "limit", "时限不能为负数");
    switch (unit) {
    case CALENDAR_WORK_HOURS:
        return calendar_add_work_seconds(cal, start, (int64_t)amount * 3600, out, err);
    case CALENDAR_WORK_DAYS: {
        int64_t d;
        if (calendar_add_workdays(cal, floor_div(start + CLOCK_CN_OFFSET, DAY), amount, &d, err))
            return -1;
        *out = (d + 1) * DAY - CLOCK_CN_OFFSET;
        return 0;
    }
    case CALENDAR_NATURAL_HOURS:
        *out = start + (int64_t)amount * 3600;
        return 0;
    case CALENDAR_NATURAL_DAYS:
        *out = start + (int64_t)amount * DAY;
        return 0;
    }
    return app_fail(err, APP_ERR_INVALID, "invalid_unit", "unit", "未知的时限单位");
}

/* The process-wide calendar: embedded (loaded once) or installed by calendar_start. */
static struct calendar embedded;
static pthread_once_t embedded_once = PTHREAD_ONCE_INIT;
static _Atomic(struct calendar *) installed;

static void load_embedded(void)
{
    struct app_error err = {0};
    const struct embed_file *f = embed_find_data("cn-holidays.csv");
    if (!f || calendar_load(&embedded, f->data, f->len, &err)) {
        log_error("calendar: embedded cn-holidays.csv unusable: %s", f ? err.message : "missing");
        abort();
    }
}

const struct calendar *calendar_default(void)
{
    struct calendar *c = atomic_load(&installed);
    if (c)
        return c;
    pthread_once(&embedded_once, load_embedded);
    return &embedded;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *data = NULL;
    size_t cap = 0, n = 0, got;
    do {
        cap = cap ? cap * 2 : 65536;
        data = xrealloc(data, cap + 1);
        got = fread(data + n, 1, cap - n, f);
        n += got;
    } while (n == cap);
    fclose(f);
    data[n] = '\0';
    *len = n;
    return data;
}

int calendar_load_dir(struct calendar *cal, const char *data_dir, struct app_error *err)
{
    const struct embed_file *f = embed_find_data("cn-holidays.csv");
    const char *texts[2];
    size_t lens[2];
    int n = 0, ret;
    char path[4200], *extra = NULL;
    if (!f)
        return app_fail(err, APP_ERR_INTERNAL, "calendar_csv", NULL, "缺少内置的节假日文件");
    texts[n] = f->data;
    lens[n++] = f->len;
    if (data_dir && *data_dir) {
        snprintf(path, sizeof path, "%s/cn-holidays.csv", data_dir);
        if ((extra = read_file(path, &lens[n])) != NULL) {
            texts[n++] = extra;
            log_debug("calendar: %s added to the embedded holidays", path);
        }
    }
    ret = calendar_load_many(cal, texts, lens, n, err);
    free(extra);
    return ret;
}

/* What calendar_refresh compares: the data-directory file as last loaded. */
static pthread_mutex_t refresh_mu = PTHREAD_MUTEX_INITIALIZER;
static struct stat loaded_st;
static bool loaded_exists;
static struct calendar **retired;
static size_t nretired;

static void note_file(const char *data_dir)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/cn-holidays.csv", data_dir ? data_dir : "");
    loaded_exists = data_dir && *data_dir && stat(path, &loaded_st) == 0;
}

int calendar_refresh(struct app *app, struct app_error *err)
{
    const char *dir = app->cfg.data_dir;
    char path[4200];
    struct stat st;
    int ret = 0;
    if (!dir || !*dir)
        return 0;
    snprintf(path, sizeof path, "%s/cn-holidays.csv", dir);
    bool exists = stat(path, &st) == 0;
    pthread_mutex_lock(&refresh_mu);
    if (exists == loaded_exists &&
        (!exists ||
         (st.st_size == loaded_st.st_size && st.st_mtim.tv_sec == loaded_st.st_mtim.tv_sec &&
          st.st_mtim.tv_nsec == loaded_st.st_mtim.tv_nsec && st.st_ino == loaded_st.st_ino)))
        goto out;
    struct calendar *cal = xcalloc(1, sizeof *cal);
    if (calendar_load_dir(cal, dir, err)) {
        free(cal);
        ret = -1;
        goto out;
    }
    loaded_exists = exists;
    loaded_st = st;
    struct calendar *old = atomic_exchange(&installed, cal);
    if (old) {
        retired = xrealloc(retired, (nretired + 1) * sizeof *retired);
        retired[nretired++] = old;
    }
    log_info("calendar: %s reloaded (official years up to %d)", path, cal->official_last_year);
    ret = 1;
out:
    pthread_mutex_unlock(&refresh_mu);
    return ret;
}

int calendar_start(struct app *app, struct app_error *err)
{
    int ret = -1, y, m, d;
    struct calendar *cal = xcalloc(1, sizeof *cal);
    if (calendar_load_dir(cal, app->cfg.data_dir, err))
        goto out;
    /* The current year must be covered, at least provisionally (residents' reports are never
     * refused because a notice is late); only a year beyond the provisional horizon stops
     * the start. */
    clock_civil_from_days(floor_div(clock_now() + CLOCK_CN_OFFSET, DAY), &y, &m, &d);
    if (calendar_check_year(cal, y, "date", err))
        goto out;
    if (calendar_year_provisional(cal, y))
        log_warn("calendar: %d has no State Council notice in the holiday calendar; deadlines "
                 "use the statutory holidays without 调休 and are marked provisional until "
                 "`zhizhi calendar import FILE`",
                 y);
    else if (m >= 11 && calendar_year_provisional(cal, y + 1))
        log_warn("calendar: %d is not in the holiday calendar yet; deadlines reaching into it "
                 "are provisional until `zhizhi calendar import FILE`",
                 y + 1);
    note_file(app->cfg.data_dir);
    struct calendar *old = atomic_exchange(&installed, cal);
    if (old) {
        calendar_release(old);
        free(old);
    }
    cal = NULL;
    ret = 0;
out:
    if (cal) {
        calendar_release(cal);
        free(cal);
    }
    return ret;
}

void calendar_stop(struct app *app)
{
    (void)app;
    struct calendar *old = atomic_exchange(&installed, NULL);
    if (old) {
        calendar_release(old);
        free(old);
    }
    pthread_mutex_lock(&refresh_mu);
    for (size_t i = 0; i < nretired; i++) {
        calendar_release(retired[i]);
        free(retired[i]);
    }
    free(retired);
    retired = NULL;
    nretired = 0;
    pthread_mutex_unlock(&refresh_mu);
}
