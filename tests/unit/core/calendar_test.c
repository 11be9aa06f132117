/* Unit tests of the working-day calendar: make-up workdays, holidays across 2025/2026, working
 * hours over the office schedule, missing years, and the start-up check of the current year. */
#include <stdlib.h>

#include "core/app.h"
#include "core/calendar.h"
#include "core/clock.h"
#include "test.h"

static int64_t D(const char *s)
{
    int64_t d = 0;
    if (clock_parse_date(s, &d))
        abort();
    return d;
}

static int64_t T(const char *s)
{
    int64_t t = 0;
    struct app_error err = {0};
    if (clock_parse(s, &t, "t", &err))
        abort();
    return t;
}

static const char *date_str(int64_t day)
{
    static char out[16];
    int y, m, d;
    clock_civil_from_days(day, &y, &m, &d);
    snprintf(out, sizeof out, "%04d-%02d-%02d", y, m, d);
    return out;
}

static const char *time_str(int64_t t)
{
    static char out[32];
    clock_format_local(t, out, sizeof out);
    return out;
}

static const char *add(const char *date, int n)
{
    int64_t out = 0;
    static struct app_error err;
    app_error_clear(&err);
    if (calendar_add_workdays(calendar_default(), D(date), n, &out, &err))
        return err.code_name;
    return date_str(out);
}

static int workday(const char *date)
{
    bool w = false;
    struct app_error err = {0};
    if (calendar_is_workday(calendar_default(), D(date), &w, &err))
        return -1;
    return w;
}

TEST(spring_festival_2026_example)
{
    /* Issue 4: 5 working days after the end of Friday 2026-02-13 is Friday 2026-02-27, because
     * Saturday 02-14 is a make-up workday and 02-15..02-23 are the Spring Festival. */
    CHECK_STR(add("2026-02-13", 5), "2026-02-27");
    CHECK_STR(add("2026-02-13", 1), "2026-02-14");
    CHECK_STR(add("2026-02-13", 2), "2026-02-24");
    CHECK_STR(add("2026-02-13", 0), "2026-02-13");
    /* 02-28 (Saturday) is also a make-up workday. */
    CHECK_STR(add("2026-02-27", 1), "2026-02-28");
    CHECK_STR(add("2026-02-27", 2), "2026-03-02");
}

TEST(is_workday_rules)
{
    CHECK_INT(workday("2026-02-14"), 1); /* Saturday, 调休上班 */
    CHECK_INT(workday("2026-02-16"), 0); /* Monday, 春节 */
    CHECK_INT(workday("2026-11-29"), 0); /* plain Sunday */
    CHECK_INT(workday("2026-11-30"), 1); /* plain Monday */
    CHECK_INT(workday("2026-01-04"), 1); /* Sunday, 元旦调休上班 */
    CHECK_INT(workday("2026-10-08"), 1); /* Thursday after 国庆 */
    CHECK_INT(workday("2026-10-07"), 0);
    CHECK_INT(workday("2025-01-26"), 1); /* Sunday, 春节调休上班 */
    CHECK_INT(workday("2025-10-08"), 0); /* 国庆+中秋 2025 */
}

TEST(holidays_2025_and_2026)
{
    /* 2025 National Day: 10-01..10-08 off, 10-11 (Saturday) is a make-up workday. */
    CHECK_STR(add("2025-09-30", 1), "2025-10-09");
    CHECK_STR(add("2025-09-30", 3), "2025-10-11");
    CHECK_STR(add("2025-09-30", 4), "2025-10-13");
    /* 2025 Spring Festival: 01-28..02-04 off; 01-26 and 02-08 make-up. */
    CHECK_STR(add("2025-01-24", 1), "2025-01-26");
    CHECK_STR(add("2025-01-24", 2), "2025-01-27");
    CHECK_STR(add("2025-01-24", 3), "2025-02-05");
    /* 2026 Labour Day: 05-01..05-05 off, 05-09 (Saturday) make-up. */
    CHECK_STR(add("2026-04-30", 1), "2026-05-06");
    CHECK_STR(add("2026-04-30", 4), "2026-05-09");
    CHECK_STR(add("2026-04-30", 5), "2026-05-11");
    /* Across the year end into 2026's 元旦 (01-01..01-03 off, 01-04 Sunday make-up). */
    CHECK_STR(add("2025-12-31", 1), "2026-01-04");
    CHECK_STR(add("2025-12-31", 2), "2026-01-05");
    /* 2026 National Day with Mid-Autumn 09-25..27 and make-up 09-20 and 10-10. */
    CHECK_STR(add("2026-09-18", 1), "2026-09-20");
    CHECK_STR(add("2026-09-24", 1), "2026-09-28");
    CHECK_STR(add("2026-09-30", 1), "2026-10-08");
    CHECK_STR(add("2026-10-09", 1), "2026-10-10");
}

TEST(missing_year_is_an_error)
{
    const struct calendar *cal = calendar_default();
    struct app_error err = {0};
    bool w;
    int64_t out;
    /* Before the data and beyond the provisional horizon (2026 + 10) nothing is guessed. */
    CHECK_INT(calendar_is_workday(cal, D("2037-03-02"), &w, &err), -1);
    CHECK_STR(err.code_name, "calendar_year_missing");
    CHECK_INT(err.code, APP_ERR_UNAVAILABLE);
    CHECK_INT(calendar_is_workday(cal, D("2024-12-31"), &w, &err), -1);
    CHECK_INT(calendar_check_year(cal, 2026, NULL, &err), 0);
    CHECK_INT(calendar_check_year(cal, 2036, NULL, &err), 0);
    CHECK_INT(calendar_check_year(cal, 2037, NULL, &err), -1);
    CHECK_STR(add("2036-12-30", 1), "2036-12-31");
    CHECK_STR(add("2036-12-30", 2), "calendar_year_missing");
    app_error_clear(&err);
    CHECK_INT(calendar_add_work_seconds(cal, T("2036-12-31T17:00:00+08:00"), 3600, &out, &err), -1);
    CHECK_STR(err.code_name, "calendar_year_missing");
    CHECK_INT(calendar_add_workdays(cal, D("2026-03-02"), -1, &out, &err), -1);
    CHECK_INT(err.code, APP_ERR_INVALID);
}

TEST(next_year_without_notice_is_provisional)
{
    /* Issue 11: on 3 December 2026 with no 2027 notice, an extension into 2027 must work. */
    const struct calendar *cal = calendar_default();
    CHECK(!calendar_year_provisional(cal, 2026));
    CHECK(calendar_year_provisional(cal, 2027));
    CHECK(!calendar_year_provisional(cal, 2024)); /* uncovered, not provisional */
    /* Across New Year: 2027-01-01 (元旦, Friday) off, no 调休, Monday 01-04 works. */
    CHECK_STR(add("2026-12-30", 2), "2027-01-04");
    CHECK_INT(workday("2027-01-01"), 0);
    CHECK_INT(workday("2027-01-02"), 0);
    /* 春节 2027: 除夕 02-05 (Friday) .. 初三 02-08 (Monday); Tuesday 02-09 works; the notice's
     * usual 调休 Saturdays are not guessed. */
    CHECK_INT(workday("2027-02-04"), 1);
    CHECK_INT(workday("2027-02-05"), 0);
    CHECK_INT(workday("2027-02-08"), 0);
    CHECK_INT(workday("2027-02-09"), 1);
    CHECK_STR(add("2027-02-04", 1), "2027-02-09");
    /* 清明 04-05 Monday, 劳动节 05-01/02 on a weekend (no 补休 without a notice), 端午 06-09,
     * 中秋 09-15, 国庆 10-01..03 (Friday–Sunday). */
    CHECK_INT(workday("2027-04-05"), 0);
    CHECK_INT(workday("2027-05-03"), 1);
    CHECK_INT(workday("2027-06-09"), 0);
    CHECK_INT(workday("2027-09-15"), 0);
    CHECK_INT(workday("2027-10-01"), 0);
    CHECK_INT(workday("2027-10-04"), 1);
    /* Spans touching 2027 are provisional, spans inside 2026 are not. */
    CHECK(calendar_span_provisional(cal, T("2026-12-30T10:00:00+08:00"),
                                    T("2027-01-04T17:30:00+08:00")));
    CHECK(!calendar_span_provisional(cal, T("2026-12-01T10:00:00+08:00"),
                                     T("2026-12-31T23:59:59+08:00")));
    /* 2027-01-01 00:00 Beijing is still 2026 in UTC: the span uses Beijing dates. */
    CHECK(calendar_span_provisional(cal, T("2026-12-31T10:00:00+08:00"),
                                    T("2027-01-01T00:00:00+08:00")));
    int64_t out;
    struct app_error err = {0};
    CHECK_INT(
        calendar_deadline(cal, T("2026-12-03T10:00:00+08:00"), CALENDAR_WORK_DAYS, 30, &out, &err),
        0);
    CHECK_STR(time_str(out), "2027-01-16T00:00:00+08:00"); /* end of Friday 01-15 */
}

TEST(banner_status)
{
    const struct calendar *cal = calendar_default();
    struct calendar_status st;
    calendar_status_at(cal, T("2026-10-31T23:59:00+08:00"), &st);
    CHECK(!st.provisional);
    CHECK_INT(st.next_year, 2027);
    calendar_status_at(cal, T("2026-11-01T00:00:00+08:00"), &st);
    CHECK(st.provisional);
    CHECK_INT(st.official_last_year, 2026);
    calendar_status_at(cal, T("2027-01-02T09:00:00+08:00"), &st);
    CHECK(st.provisional);
    CHECK_INT(st.next_year, 2027);
    calendar_status_at(cal, T("2025-11-15T09:00:00+08:00"), &st);
    CHECK(!st.provisional); /* 2026's notice is in */
}

TEST(year_with_a_gap_is_provisional)
{
    static const char csv[] = "\xEF\xBB\xBF"
                              "date,kind,name\n2025-01-01,holiday,元旦\n2027-01-01,holiday,元旦\n";
    struct calendar cal;
    struct app_error err = {0};
    bool w;
    CHECK_INT(calendar_load(&cal, csv, sizeof csv - 1, &err), 0);
    CHECK_INT(calendar_check_year(&cal, 2025, NULL, &err), 0);
    CHECK_INT(calendar_check_year(&cal, 2026, NULL, &err), 0);
    CHECK(calendar_year_provisional(&cal, 2026));
    CHECK(!calendar_year_provisional(&cal, 2027));
    CHECK(calendar_year_provisional(&cal, 2028));
    CHECK_INT(calendar_check_year(&cal, 2024, NULL, &err), -1);
    CHECK_INT(calendar_is_workday(&cal, D("2026-06-19"), &w, &err), 0); /* 端午 2026 */
    CHECK(!w);
    CHECK_INT(calendar_is_workday(&cal, D("2026-06-18"), &w, &err), 0);
    CHECK(w);
    CHECK_INT(calendar_is_workday(&cal, D("2027-01-01"), &w, &err), 0);
    CHECK(!w);
    calendar_release(&cal);
    calendar_release(&cal); /* idempotent */
}

TEST(bad_csv_refused)
{
    struct calendar cal;
    struct app_error err = {0};
    static const char bad_kind[] = "date,kind,name\n2026-01-01,vacation,x\n";
    static const char bad_date[] = "date,kind,name\n2026-02-30,holiday,x\n";
    static const char no_header[] = "day,type\n2026-01-01,holiday\n";
    CHECK_INT(calendar_load(&cal, bad_kind, sizeof bad_kind - 1, &err), -1);
    CHECK_STR(err.field, "kind");
    CHECK_INT(calendar_load(&cal, bad_date, sizeof bad_date - 1, &err), -1);
    CHECK_STR(err.code_name, "calendar_csv");
    CHECK_INT(calendar_load(&cal, no_header, sizeof no_header - 1, &err), -1);
    CHECK_INT(calendar_load(&cal, "", 0, &err), -1);
}

TEST(later_file_overrides_and_adds_a_year)
{
    static const char base[] = "date,kind,name\n2026-02-14,workday,调休\n";
    static const char extra[] = "date,kind,name\n2026-02-14,holiday,改\n2027-01-01,holiday,元旦\n";
    const char *texts[] = {base, extra};
    size_t lens[] = {sizeof base - 1, sizeof extra - 1};
    struct calendar cal;
    struct app_error err = {0};
    bool w = true;
    CHECK_INT(calendar_load_many(&cal, texts, lens, 2, &err), 0);
    CHECK_INT(calendar_is_workday(&cal, D("2026-02-14"), &w, &err), 0);
    CHECK(!w);
    CHECK_INT(calendar_is_workday(&cal, D("2027-01-04"), &w, &err), 0);
    CHECK(w);
    calendar_release(&cal);
}

static const char *plus_hours(const char *start, double hours)
{
    int64_t out = 0;
    static struct app_error err;
    app_error_clear(&err);
    if (calendar_add_work_seconds(calendar_default(), T(start), (int64_t)(hours * 3600), &out,
                                  &err))
        return err.code_name;
    return time_str(out);
}

TEST(work_hours_deadlines)
{
    /* Schedule 08:30–12:00, 14:00–17:30 (7 h a day). */
    CHECK_INT(calendar_default()->day_seconds, 7 * 3600);
    CHECK_STR(plus_hours("2026-11-30T09:00:00+08:00", 2), "2026-11-30T11:00:00+08:00");
    /* Lunch break is skipped. */
    CHECK_STR(plus_hours("2026-11-30T11:00:00+08:00", 2), "2026-11-30T15:00:00+08:00");
    /* Ending exactly at the close of the day stays at 17:30. */
    CHECK_STR(plus_hours("2026-11-30T16:30:00+08:00", 1), "2026-11-30T17:30:00+08:00");
    CHECK_STR(plus_hours("2026-11-30T16:30:00+08:00", 2), "2026-12-01T09:30:00+08:00");
    /* Reported in the evening: the clock starts next morning. */
    CHECK_STR(plus_hours("2026-11-30T20:00:00+08:00", 4), "2026-12-01T14:30:00+08:00");
    /* Friday afternoon over a weekend. */
    CHECK_STR(plus_hours("2026-12-04T17:00:00+08:00", 1), "2026-12-07T09:00:00+08:00");
    /* Friday 2026-02-13 16:00 + 4 h: 1.5 h Friday, 2.5 h on make-up Saturday 02-14. */
    CHECK_STR(plus_hours("2026-02-13T16:00:00+08:00", 4), "2026-02-14T11:00:00+08:00");
    /* Saturday 02-14 17:00 + 1 h: the festival skips to Tuesday 02-24. */
    CHECK_STR(plus_hours("2026-02-14T17:00:00+08:00", 1), "2026-02-24T09:00:00+08:00");
    /* 5 working days of hours = 35 h from Friday 02-13 17:30. */
    CHECK_STR(plus_hours("2026-02-13T17:30:00+08:00", 35), "2026-02-27T17:30:00+08:00");
    CHECK_STR(plus_hours("2026-11-30T09:00:00+08:00", 0), "2026-11-30T09:00:00+08:00");
}

static int64_t between(const char *a, const char *b)
{
    int64_t out = -1;
    struct app_error err = {0};
    if (calendar_work_seconds_between(calendar_default(), T(a), T(b), &out, &err))
        return -999;
    return out;
}

TEST(elapsed_work_hours)
{
    CHECK_INT(between("2026-11-30T09:00:00+08:00", "2026-11-30T11:00:00+08:00"), 7200);
    CHECK_INT(between("2026-11-30T11:00:00+08:00", "2026-11-30T15:00:00+08:00"), 7200);
    CHECK_INT(between("2026-11-30T00:00:00+08:00", "2026-12-01T00:00:00+08:00"), 7 * 3600);
    CHECK_INT(between("2026-11-28T00:00:00+08:00", "2026-11-30T00:00:00+08:00"), 0);
    /* Whole Spring Festival week 2026-02-13 17:30 → 02-27 17:30 is 5 working days. */
    CHECK_INT(between("2026-02-13T17:30:00+08:00", "2026-02-27T17:30:00+08:00"), 35 * 3600);
    CHECK_INT(between("2026-02-27T17:30:00+08:00", "2026-02-13T17:30:00+08:00"), -35 * 3600);
    /* Across the year boundary 2025 → 2026: 12-31 afternoon + 01-04 (Sunday make-up) morning. */
    CHECK_INT(between("2025-12-31T14:00:00+08:00", "2026-01-04T12:00:00+08:00"), 7 * 3600);
    CHECK_INT(between("2036-12-31T09:00:00+08:00", "2037-01-02T09:00:00+08:00"), -999);
    /* Into the provisional 2027: 12-31 from 09:00 (6.5 h), 01-01 元旦 and Saturday off. */
    CHECK_INT(between("2026-12-31T09:00:00+08:00", "2027-01-02T09:00:00+08:00"), 23400);
    /* Round trip with add_work_seconds over a random-ish set of starts. */
    for (int i = 0; i < 200; i++) {
        int64_t start = T("2025-01-01T00:00:00+08:00") + (int64_t)i * 151237;
        int64_t secs = (int64_t)(i % 37) * 1800, end, back;
        struct app_error err = {0};
        CHECK_INT(calendar_add_work_seconds(calendar_default(), start, secs, &end, &err), 0);
        CHECK_INT(calendar_work_seconds_between(calendar_default(), start, end, &back, &err), 0);
        CHECK_INT(back, secs);
    }
}

TEST(deadline_units)
{
    const struct calendar *cal = calendar_default();
    struct app_error err = {0};
    int64_t out;
    int64_t start = T("2026-02-13T10:00:00+08:00");
    CHECK_INT(calendar_deadline(cal, start, CALENDAR_WORK_DAYS, 5, &out, &err), 0);
    CHECK_STR(time_str(out), "2026-02-28T00:00:00+08:00"); /* end of Friday 02-27 */
    CHECK_INT(calendar_deadline(cal, start, CALENDAR_NATURAL_HOURS, 2, &out, &err), 0);
    CHECK_STR(time_str(out), "2026-02-13T12:00:00+08:00");
    CHECK_INT(calendar_deadline(cal, start, CALENDAR_NATURAL_HOURS, 48, &out, &err), 0);
    CHECK_STR(time_str(out), "2026-02-15T10:00:00+08:00"); /* natural hours ignore holidays */
    CHECK_INT(calendar_deadline(cal, start, CALENDAR_NATURAL_DAYS, 7, &out, &err), 0);
    CHECK_STR(time_str(out), "2026-02-20T10:00:00+08:00");
    CHECK_INT(calendar_deadline(cal, start, CALENDAR_WORK_HOURS, 8, &out, &err), 0);
    CHECK_STR(time_str(out), "2026-02-14T11:00:00+08:00"); /* 5.5 h Fri + 2.5 h Sat */
    CHECK_INT(calendar_deadline(cal, start, CALENDAR_WORK_HOURS, -1, &out, &err), -1);
}

TEST(schedule_setting)
{
    struct calendar cal;
    struct app_error err = {0};
    static const char csv[] = "date,kind,name\n2026-01-01,holiday,元旦\n";
    CHECK_INT(calendar_load(&cal, csv, sizeof csv - 1, &err), 0);
    CHECK_INT(calendar_set_schedule(&cal, "09:00-12:00,13:30-17:30", &err), 0);
    CHECK_INT(cal.day_seconds, 7 * 3600);
    CHECK_INT(cal.nspans, 2);
    CHECK_INT(calendar_set_schedule(&cal, "09:00-12:00,11:00-17:30", &err), -1);
    CHECK_STR(err.code_name, "calendar_schedule");
    CHECK_INT(calendar_set_schedule(&cal, "9-12", &err), -1);
    CHECK_INT(calendar_set_schedule(&cal, "", &err), -1);
    CHECK_INT(calendar_set_schedule(&cal, "12:00-09:00", &err), -1);
    CHECK_INT(cal.nspans, 2); /* unchanged after failures */
    calendar_release(&cal);
}

TEST(startup_requires_current_year)
{
    struct app app = {0};
    struct app_error err = {0};
    config_init(&app.cfg);
    /* Today (2026-11-29) is covered: start succeeds and installs the calendar. */
    clock_set_fixed(T("2026-11-29T10:00:00+08:00"));
    CHECK_INT(calendar_start(&app, &err), 0);
    CHECK(calendar_default() != NULL);
    /* In December a missing next year only warns. */
    clock_set_fixed(T("2026-12-15T10:00:00+08:00"));
    CHECK_INT(calendar_start(&app, &err), 0);
    /* On 2027-01-01 with data ending in 2026 it starts on the provisional 2027 (issue 11). */
    clock_set_fixed(T("2027-01-01T08:00:00+08:00"));
    CHECK_INT(calendar_start(&app, &err), 0);
    /* Only beyond the provisional horizon does it refuse. */
    clock_set_fixed(T("2037-01-01T08:00:00+08:00"));
    CHECK_INT(calendar_start(&app, &err), -1);
    CHECK_STR(err.code_name, "calendar_year_missing");
    calendar_stop(&app);
    clock_set_fixed(-1);
    config_release(&app.cfg);
}

TEST_SUITE({"spring_festival_2026_example", spring_festival_2026_example},
           {"is_workday_rules", is_workday_rules},
           {"holidays_2025_and_2026", holidays_2025_and_2026},
           {"missing_year_is_an_error", missing_year_is_an_error},
           {"year_with_a_gap_is_provisional", year_with_a_gap_is_provisional},
           {"next_year_without_notice_is_provisional", next_year_without_notice_is_provisional},
           {"banner_status", banner_status}, {"bad_csv_refused", bad_csv_refused},
           {"later_file_overrides_and_adds_a_year", later_file_overrides_and_adds_a_year},
           {"work_hours_deadlines", work_hours_deadlines},
           {"elapsed_work_hours", elapsed_work_hours}, {"deadline_units", deadline_units},
           {"schedule_setting", schedule_setting},
           {"startup_requires_current_year", startup_requires_current_year});
