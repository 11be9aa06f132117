/* Unit tests of the shared-parking rules on hand-computed fixtures: share windows over working
 * and rest days of the 2026 National Day holiday (with its 调休 Saturday) and midnight crossings,
 * peak occupancy as the capacity check, the hold of a booking at a given time (grace period,
 * no-show, overstay), the booking window, plates, cancellation, arrival and overstay. Then the
 * booking path against an in-memory database: the last space, the plate's overlap, members-only
 * plans, cancellation by token, check-in and check-out with an overstay alert. */
#include <stdlib.h>

#include "core/clock.h"
#include "org/org.h"
#include "parking/parking.h"
#include "parking/parking_store.h"
#include "test.h"

#define H 3600
/* Shanghai midnights of 2026 dates */
#define SEP29 INT64_C(1790611200)
#define SEP30 INT64_C(1790697600)
#define OCT01 INT64_C(1790784000)
#define OCT02 INT64_C(1790870400)
#define OCT08 INT64_C(1791388800)
#define OCT10 INT64_C(1791561600)
#define DAY_SEP29 20725

TEST(windows_parse_and_format)
{
    struct parking_window w[PARKING_MAX_WINDOWS];
    struct app_error err = {0};
    int n;
    char out[256];
    CHECK_INT(
        parking_windows_parse("workday 19:00-08:00, restday 00:00-24:00", w, &n, "windows", &err),
        0);
    CHECK_INT(n, 2);
    CHECK_INT(w[0].days, PARKING_DAYS_WORKDAY);
    CHECK_INT(w[0].start, 19 * 60);
    CHECK_INT(w[0].end, 8 * 60);
    CHECK_INT(w[1].days, PARKING_DAYS_RESTDAY);
    CHECK_INT(w[1].end, 1440);
    parking_windows_format(w, n, out, sizeof out);
    CHECK_STR(out, "workday 19:00-08:00,restday 00:00-24:00");
    CHECK_INT(parking_windows_parse("工作日 08:30-17:30", w, &n, "windows", &err), 0);
    CHECK_INT(w[0].days, PARKING_DAYS_WORKDAY);
    static const char *const bad[] = {"",
                                      "weekday 10:00-11:00",
                                      "daily 25:00-26:00",
                                      "daily 10:00-24:30",
                                      "daily 24:00-10:00",
                                      "daily 10:00-11:00,",
                                      "daily 10:00-11:00 daily 12:00-13:00",
                                      "daily 1:00-2:00"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_INT(parking_windows_parse(bad[i], w, &n, "windows", &err), -1);
        CHECK_STR(err.code_name, "bad_windows");
        CHECK_STR(err.field, "windows");
    }
}

/* An office garage: workday nights and whole rest days, Tue 29 Sep to Sat 10 Oct 2026. Working
 * days per the State Council notice: 29, 30 Sep; 1–7 Oct holiday; 8, 9 Oct (Thu, Fri) and the
 * make-up Saturday 10 Oct. */
static const bool autumn[] = {
    true,  true,                                     /* 29, 30 Sep */
    false, false, false, false, false, false, false, /* 1–7 Oct */
    true,  true,  true,                              /* 8, 9, 10 Oct */
};

TEST(offered_over_holiday_and_midnight)
{
    struct parking_window w[PARKING_MAX_WINDOWS];
    struct parking_interval iv[16];
    struct app_error err = {0};
    int nw;
    CHECK_INT(parking_windows_parse("workday 19:00-08:00,restday 00:00-24:00", w, &nw, "w", &err),
              0);
    size_t nd = sizeof autumn / sizeof autumn[0];
    /* [30 Sep 00:00, 2 Oct 00:00): the night of the 29th ends at 08:00 on the 30th; the night
     * of the 30th runs into the holiday, which is offered whole: one stretch to the window end */
    size_t n = parking_offered(w, nw, DAY_SEP29, autumn, nd, SEP30, OCT02, iv, 16);
    CHECK_INT(n, 2);
    CHECK_INT(iv[0].start, SEP30);
    CHECK_INT(iv[0].end, SEP30 + 8 * H);
    CHECK_INT(iv[1].start, SEP30 + 19 * H);
    CHECK_INT(iv[1].end, OCT02);
    CHECK(parking_covered(iv, n, SEP30 + 20 * H, OCT01 + 12 * H));
    CHECK(!parking_covered(iv, n, SEP30 + 17 * H, SEP30 + 20 * H));
    CHECK(parking_covered(iv, n, SEP30 + 1 * H, SEP30 + 8 * H));
    CHECK(!parking_covered(iv, n, SEP30 + 7 * H, SEP30 + 9 * H));
    /* 8 Oct 02:00–05:00: the 7th is a rest day (its window ends at midnight) and a workday
     * window belongs to the day it starts, so the early hours of the 8th are not offered */
    n = parking_offered(w, nw, DAY_SEP29, autumn, nd, OCT08 + 2 * H, OCT08 + 5 * H, iv, 16);
    CHECK_INT(n, 0);
    /* Saturday 10 Oct is a make-up working day: not offered by day, offered from 19:00 */
    n = parking_offered(w, nw, DAY_SEP29, autumn, nd, OCT10 + 10 * H, OCT10 + 12 * H, iv, 16);
    CHECK_INT(n, 0);
    n = parking_offered(w, nw, DAY_SEP29, autumn, nd, OCT10 + 19 * H, OCT10 + 23 * H, iv, 16);
    CHECK_INT(n, 1);
    CHECK(parking_covered(iv, n, OCT10 + 19 * H, OCT10 + 23 * H));
    /* a residential garage shared by day on working days only */
    CHECK_INT(parking_windows_parse("workday 08:30-17:30", w, &nw, "w", &err), 0);
    n = parking_offered(w, nw, DAY_SEP29, autumn, nd, SEP29, OCT02, iv, 16);
    CHECK_INT(n, 2);
    CHECK_INT(iv[0].start, SEP29 + 8 * H + 1800);
    CHECK_INT(iv[1].end, SEP30 + 17 * H + 1800);
    /* two windows that touch merge: 08:00–12:00 and 12:00–14:00 make one */
    CHECK_INT(parking_windows_parse("daily 08:00-12:00,daily 12:00-14:00", w, &nw, "w", &err), 0);
    n = parking_offered(w, nw, DAY_SEP29, autumn, nd, SEP29, SEP30, iv, 16);
    CHECK_INT(n, 1);
    CHECK_INT(iv[0].end - iv[0].start, 6 * H);
}

TEST(peak_occupancy)
{
    const struct parking_interval b[] = {
        {SEP30 + 10 * H, SEP30 + 12 * H},
        {SEP30 + 11 * H, SEP30 + 13 * H},
        {SEP30 + 12 * H, SEP30 + 14 * H},
    };
    CHECK_INT(parking_peak(b, 3, SEP30 + 10 * H, SEP30 + 14 * H), 2);
    CHECK_INT(parking_peak(b, 3, SEP30 + 12 * H + 1800, SEP30 + 13 * H + 1800), 2);
    CHECK_INT(parking_peak(b, 3, SEP30 + 13 * H, SEP30 + 14 * H), 1);
    /* a booking ending at 10:00 and one starting at 10:00 never share a minute */
    CHECK_INT(parking_peak(b, 3, SEP30 + 8 * H, SEP30 + 10 * H), 0);
    CHECK_INT(parking_peak(b, 3, SEP30 + 8 * H, SEP30 + 11 * H), 1);
    CHECK_INT(parking_peak(NULL, 0, SEP30, OCT01), 0);
}

TEST(holds_grace_no_show_overstay)
{
    struct parking_interval h;
    int64_t s = SEP30 + 10 * H, e = SEP30 + 12 * H;
    CHECK(parking_holds(PARKING_BOOKED, s, e, 0, s - H, &h));
    CHECK_INT(h.start, s);
    CHECK_INT(h.end, e);
    /* 20 minutes late and not in: the space is released after the 15-minute grace */
    CHECK(parking_holds(PARKING_BOOKED, s, e, 0, s + 20 * 60, &h));
    CHECK_INT(h.end, s + 15 * 60);
    /* in and overstaying at 12:30: held until 12:45 */
    CHECK(parking_holds(PARKING_CHECKED_IN, s, e, 0, e + 30 * 60, &h));
    CHECK_INT(h.end, e + 45 * 60);
    CHECK(parking_holds(PARKING_COMPLETED, s, e, s + H, e, &h));
    CHECK_INT(h.end, s + H);
    CHECK(!parking_holds(PARKING_CANCELLED, s, e, 0, s, &h));
    CHECK(!parking_holds(PARKING_NO_SHOW, s, e, 0, s, &h));
}

TEST(window_check)
{
    struct app_error err = {0};
    int64_t now = SEP30 + 9 * H;
    int64_t f = SEP30 + 10 * H + 30, t = SEP30 + 10 * H + 29 * 60 + 10;
    CHECK_INT(parking_window_check(&f, &t, now, &err), 0); /* 10:00 to 10:30 */
    CHECK_INT(f, SEP30 + 10 * H);
    CHECK_INT(t, SEP30 + 10 * H + 30 * 60);
    f = SEP30 + 10 * H, t = f + 29 * 60;
    CHECK_INT(parking_window_check(&f, &t, now, &err), -1);
    CHECK_STR(err.code_name, "too_short");
    f = SEP30 + 10 * H, t = f + 24 * H + 60;
    CHECK_INT(parking_window_check(&f, &t, now, &err), -1);
    CHECK_STR(err.code_name, "too_long");
    f = now - 16 * 60, t = now + H;
    CHECK_INT(parking_window_check(&f, &t, now, &err), -1);
    CHECK_STR(err.code_name, "in_past");
    CHECK_STR(err.field, "from");
    f = now + 8 * 86400, t = f + H;
    CHECK_INT(parking_window_check(&f, &t, now, &err), -1);
    CHECK_STR(err.code_name, "too_far_ahead");
    f = now + H, t = now;
    CHECK_INT(parking_window_check(&f, &t, now, &err), -1);
    CHECK_STR(err.code_name, "bad_window");
    CHECK_STR(err.field, "to");
}

TEST(plates)
{
    struct app_error err = {0};
    char p[16], m[32];
    CHECK_INT(parking_plate_normalize("渝a·12345", p, sizeof p, &err), 0);
    CHECK_STR(p, "渝A12345");
    CHECK_INT(parking_plate_normalize(" 渝AD 12345 ", p, sizeof p, &err), 0);
    CHECK_STR(p, "渝AD12345");
    static const char *const bad[] = {"渝I12345", "渝A1234", "AB12345", "渝A1234567",
                                      "渝AO1234", "",        "渝"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_INT(parking_plate_normalize(bad[i], p, sizeof p, &err), -1);
        CHECK_STR(err.field, "plate");
    }
    parking_plate_mask("渝A12345", m, sizeof m);
    CHECK_STR(m, "渝A1**45");
    parking_plate_mask("渝AD12345", m, sizeof m);
    CHECK_STR(m, "渝AD***45");
}

TEST(cancel_arrival_overstay_walk)
{
    struct app_error err = {0};
    int64_t s = SEP30 + 10 * H, e = SEP30 + 12 * H;
    CHECK_INT(parking_cancel_check(PARKING_BOOKED, s, s - 1, &err), 0);
    CHECK_INT(parking_cancel_check(PARKING_BOOKED, s, s, &err), -1);
    CHECK_STR(err.code_name, "too_late");
    CHECK_INT(parking_cancel_check(PARKING_COMPLETED, s, s - H, &err), -1);
    CHECK_STR(err.code_name, "not_cancellable");
    CHECK(parking_arrival_matches(s, s - 15 * 60));
    CHECK(!parking_arrival_matches(s, s - 15 * 60 - 1));
    CHECK(parking_arrival_matches(s, s + 15 * 60));
    CHECK(!parking_arrival_matches(s, s + 15 * 60 + 1));
    CHECK_INT(parking_overstay_minutes(e, e + 15 * 60), 0);
    CHECK_INT(parking_overstay_minutes(e, e + 15 * 60 + 1), 16);
    CHECK_INT(parking_overstay_minutes(e, e + H), 60);
    CHECK_INT(parking_walk_minutes(0), 1);
    CHECK_INT(parking_walk_minutes(600), 10);
    CHECK_INT(parking_walk_minutes(601), 11);
}

/* ---- the booking path against a database ------------------------------------------------- */

/* Wednesday 30 Sep 2026 09:00, a working day. */
#define NOW (SEP30 + 9 * H)

static struct db *fresh(int64_t *lot_id)
{
    struct db *db;
    struct app_error err = {0};
    clock_set_fixed(NOW);
    CHECK_INT(db_open(":memory:", 1000, &db, &err), 0);
    CHECK_INT(db_migrate(db, NULL, &err), 0);
    CHECK_INT(org_seed(db, false, &err), 0);
    struct parking_lot l = {.kind = PARKING_KIND_OFFICE,
                            .capacity = 40,
                            .lon = 106.577,
                            .lat = 29.5575,
                            .entrance_lon = 106.577,
                            .entrance_lat = 29.5575};
    snprintf(l.code, sizeof l.code, "P-T1");
    snprintf(l.name, sizeof l.name, "测试机关停车场");
    snprintf(l.grid, sizeof l.grid, "500103003001001");
    snprintf(l.street, sizeof l.street, "500103003");
    CHECK_INT(parking_store_lot_insert(db, &l, NOW, lot_id, &err), 0);
    if (err.code)
        fprintf(stderr, "    %s\n", err.message);
    return db;
}

TEST(booking_capacity_and_cancel)
{
    struct app_error err = {0};
    int64_t lot;
    struct db *db = fresh(&lot);
    static const char *const staff[] = {"渝B88888"};
    struct parking_plan plan, members;
    /* 2 public spaces on workdays 09:00–18:00; 1 space for the unit's staff all day */
    struct parking_plan_input pi = {
        .lot = "P-T1", .spaces = 2, .windows = "workday 09:00-18:00", .price_fen = 500};
    CHECK_INT(parking_plan_create(db, NULL, &pi, NULL, &plan, &err), 0);
    struct parking_plan_input mi = {.lot = "P-T1",
                                    .spaces = 1,
                                    .windows = "daily 00:00-24:00",
                                    .audience = "members",
                                    .audience_label = "本单位职工",
                                    .members = staff,
                                    .nmembers = 1};
    CHECK_INT(parking_plan_create(db, NULL, &mi, NULL, &members, &err), 0);
    pi.spaces = 38;
    CHECK_INT(parking_plan_create(db, NULL, &pi, NULL, &plan, &err), -1);
    CHECK_STR(err.code_name, "over_capacity");

    struct parking_booking b1, b2, b3;
    char tok[44];
    struct parking_booking_input in = {
        .lot = "P-T1", .plate = "渝A11111", .from = NOW + H, .to = NOW + 3 * H};
    CHECK_INT(parking_book(NULL, db, NULL, &in, NULL, &b1, tok, &err), 0);
    CHECK_INT(b1.status, PARKING_BOOKED);
    in.plate = "渝A22222";
    in.from = NOW + 2 * H;
    in.to = NOW + 4 * H;
    CHECK_INT(parking_book(NULL, db, NULL, &in, NULL, &b2, NULL, &err), 0);
    /* 11:00–12:00 already has both spaces taken */
    in.plate = "渝A33333";
    in.from = NOW + 2 * H;
    in.to = NOW + 3 * H;
    CHECK_INT(parking_book(NULL, db, NULL, &in, NULL, &b3, NULL, &err), -1);
    CHECK_INT(err.code, APP_ERR_CONFLICT);
    CHECK_STR(err.code_name, "full");
    /* 12:00–13:00: the first booking ends at 12:00, a space is free */
    in.from = NOW + 3 * H;
    in.to = NOW + 4 * H;
    CHECK_INT(parking_book(NULL, db, NULL, &in, NULL, &b3, NULL, &err), 0);
    /* the same plate twice in overlapping windows */
    in.from = NOW + 3 * H + 1800;
    in.to = NOW + 5 * H;
    CHECK_INT(parking_book(NULL, db, NULL, &in, NULL, &b3, NULL, &err), -1);
    CHECK_STR(err.code_name, "plate_busy");
    /* outside the public window: not offered to a stranger, offered to the staff member */
    in.plate = "渝A44444";
    in.from = NOW + 10 * H;
    in.to = NOW + 11 * H;
    CHECK_INT(parking_book(NULL, db, NULL, &in, NULL, &b3, NULL, &err), -1);
    CHECK_STR(err.code_name, "not_offered");
    in.plate = "渝B88888";
    CHECK_INT(parking_book(NULL, db, NULL, &in, NULL, &b3, NULL, &err), 0);
    CHECK_INT(b3.plan_id, members.id);

    /* cancel: a wrong token is a 404, the right one cancels and frees the space */
    CHECK_INT(parking_cancel(db, NULL, b1.id, "nope", NULL, &b3, &err), -1);
    CHECK_INT(err.code, APP_ERR_NOT_FOUND);
    CHECK_INT(parking_cancel(db, NULL, b1.id, tok, NULL, &b3, &err), 0);
    CHECK_INT(b3.status, PARKING_CANCELLED);
    CHECK_INT(parking_cancel(db, NULL, b1.id, tok, NULL, &b3, &err), -1);
    CHECK_STR(err.code_name, "not_cancellable");
    in.plate = "渝A33333";
    in.from = NOW + 2 * H;
    in.to = NOW + 3 * H;
    CHECK_INT(parking_book(NULL, db, NULL, &in, NULL, &b3, NULL, &err), 0);

    /* the gate: b2 (11:00–13:00) comes at 10:50 and leaves at 13:40: 40 minutes over */
    struct parking_gate_result r;
    struct parking_gate_input g = {
        .lot = "P-T1", .plate = "渝A22222", .direction = "in", .at = NOW + 2 * H - 600};
    clock_set_fixed(NOW + 5 * H);
    CHECK_INT(parking_gate_event(NULL, db, NULL, &g, NULL, &r, &err), 0);
    CHECK_INT(r.booking_id, b2.id);
    CHECK_INT(r.status, PARKING_CHECKED_IN);
    g.direction = "out";
    g.at = NOW + 4 * H + 40 * 60;
    CHECK_INT(parking_gate_event(NULL, db, NULL, &g, NULL, &r, &err), 0);
    CHECK_INT(r.status, PARKING_COMPLETED);
    CHECK_INT(r.overstay_minutes, 40);
    CHECK(r.alert);
    /* a car without booking is recorded, nothing matched */
    g.plate = "渝C00001";
    g.direction = "in";
    CHECK_INT(parking_gate_event(NULL, db, NULL, &g, NULL, &r, &err), 0);
    CHECK_INT(r.booking_id, 0);
    g.direction = "sideways";
    CHECK_INT(parking_gate_event(NULL, db, NULL, &g, NULL, &r, &err), -1);
    CHECK_STR(err.field, "direction");
    struct parking_alert_list al = {0};
    CHECK_INT(parking_alert_list(db, NULL, 10, &al, &err), 0);
    CHECK_INT(al.len, 1);
    CHECK_INT(al.items[0].minutes, 40);
    free(al.items);
    db_close(db);
    clock_set_fixed(-1);
}

TEST_SUITE({"windows_parse_and_format", windows_parse_and_format},
           {"offered_over_holiday_and_midnight", offered_over_holiday_and_midnight},
           {"peak_occupancy", peak_occupancy},
           {"holds_grace_no_show_overstay", holds_grace_no_show_overstay},
           {"window_check", window_check}, {"plates", plates},
           {"cancel_arrival_overstay_walk", cancel_arrival_overstay_walk},
           {"booking_capacity_and_cancel", booking_capacity_and_cancel});
