/* Tests of the GB 3096-2008 noise rules (monitor/noise.h): limits, energy averages, compliance,
 * exceedance and the night maximum. */
#include "monitor/noise.h"
#include "test.h"

TEST(zone_limits)
{
    static const struct {
        const char *name;
        int day, night;
    } t[] = {{"0", 50, 40},  {"1", 55, 45},  {"2", 60, 50}, {"3", 65, 55},
             {"4a", 70, 55}, {"4b", 70, 60}, {"4A", 70, 55}};
    struct app_error err;
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        enum monitor_noise_zone z;
        CHECK(monitor_noise_zone_parse(t[i].name, &z, &err) == 0);
        CHECK_INT(monitor_noise_day_limit(z), t[i].day);
        CHECK_INT(monitor_noise_night_limit(z), t[i].night);
    }
    enum monitor_noise_zone z;
    CHECK(monitor_noise_zone_parse("4", &z, &err) == -1);
    CHECK_STR(err.field, "zone");
    CHECK(monitor_noise_zone_parse("5", &z, &err) == -1);
    CHECK_STR(monitor_noise_zone_name(MONITOR_ZONE_4B), "4b");
}

TEST(periods)
{
    CHECK(!monitor_noise_is_day_hour(5));
    CHECK(monitor_noise_is_day_hour(6));
    CHECK(monitor_noise_is_day_hour(21));
    CHECK(!monitor_noise_is_day_hour(22));
    CHECK(!monitor_noise_is_day_hour(0));
}

TEST(leq_examples)
{
    const double a[] = {60, 70};
    CHECK_INT(monitor_noise_tenths(monitor_noise_leq(a, NULL, 2)), 674);
    double b[16];
    for (int i = 0; i < 16; i++)
        b[i] = i == 15 ? 75 : 60;
    CHECK_INT(monitor_noise_tenths(monitor_noise_leq(b, NULL, 16)), 646);
    for (int i = 0; i < 16; i++)
        b[i] = 55;
    CHECK_INT(monitor_noise_tenths(monitor_noise_leq(b, NULL, 16)), 550);
    const double c[] = {52, 48, 47, 45, 44, 46, 49, 51};
    CHECK_INT(monitor_noise_tenths(monitor_noise_leq(c, NULL, 8)), 486);
    /* unequal intervals: 45 min at 60 and 15 min at 70 */
    const double w[] = {45, 15};
    CHECK_INT(monitor_noise_tenths(monitor_noise_leq(a, w, 2)), 651); /* 10·lg(3.25e6) = 65.12 */
}

TEST(evaluate)
{
    double day[16], night[8];
    for (int i = 0; i < 16; i++)
        day[i] = 60;
    for (int i = 0; i < 8; i++)
        night[i] = 50;
    struct monitor_noise_input in = {day, 16, night, 8, true, 65.0};
    struct monitor_noise_result r;
    struct app_error err;
    CHECK(monitor_noise_evaluate(MONITOR_ZONE_2, &in, &r, &err) == 0);
    CHECK(r.has_day && r.has_night && r.day_ok && r.night_ok && r.lmax_ok && r.complies);
    CHECK_INT(r.ld, 600);
    CHECK_INT(r.ln, 500);
    CHECK_INT(r.day_excess, 0);
    /* Lmax 65.1 > 50 + 15 */
    in.night_lmax = 65.1;
    CHECK(monitor_noise_evaluate(MONITOR_ZONE_2, &in, &r, &err) == 0);
    CHECK(!r.lmax_ok && !r.complies);
    /* zone 1: 60 > 55 → ΔL 5.0; 50 > 45 → 5.0 */
    in.night_lmax = 60;
    CHECK(monitor_noise_evaluate(MONITOR_ZONE_1, &in, &r, &err) == 0);
    CHECK(!r.day_ok && !r.night_ok && r.lmax_ok);
    CHECK_INT(r.day_excess, 50);
    CHECK_INT(r.night_excess, 50);
    /* {60, 70} in zone 4a: 67.4 <= 70 */
    const double two[] = {60, 70};
    struct monitor_noise_input in2 = {two, 2, NULL, 0, false, 0};
    CHECK(monitor_noise_evaluate(MONITOR_ZONE_4A, &in2, &r, &err) == 0);
    CHECK(r.day_ok && !r.has_night && !r.has_lmax && r.complies);
    CHECK(monitor_noise_evaluate(MONITOR_ZONE_3, &in2, &r, &err) == 0);
    CHECK_INT(r.day_excess, 24);
    /* bad levels */
    const double bad[] = {60, -1};
    struct monitor_noise_input in3 = {bad, 2, NULL, 0, false, 0};
    CHECK(monitor_noise_evaluate(MONITOR_ZONE_3, &in3, &r, &err) == -1);
    CHECK_STR(err.field, "day");
}

TEST(levels_combine_by_energy_lmax_by_maximum)
{
    CHECK_INT(monitor_noise_average_of("LAeq", "dB(A)"), MONITOR_AVERAGE_ENERGY);
    CHECK_INT(monitor_noise_average_of("Leq", "dB"), MONITOR_AVERAGE_ENERGY);
    CHECK_INT(monitor_noise_average_of("Lmax", "dB(A)"), MONITOR_AVERAGE_MAXIMUM);
    CHECK_INT(monitor_noise_average_of("L90", "dB(A)"), MONITOR_AVERAGE_ARITHMETIC);
    CHECK_INT(monitor_noise_average_of("PM2_5", "µg/m³"), MONITOR_AVERAGE_ARITHMETIC);
    CHECK(monitor_noise_is_level_unit("dB(A)"));
    CHECK(!monitor_noise_is_level_unit("m"));
    /* §5.3 examples from energy sums: {60, 70} → 67.4; fifteen hours at 60 and one at 75 → 64.6 */
    double e = monitor_noise_energy(60000000) + monitor_noise_energy(70000000);
    CHECK_INT(monitor_noise_tenths(monitor_noise_leq_of_energy(e, 2)), 674);
    e = 15 * monitor_noise_energy(60000000) + monitor_noise_energy(75000000);
    CHECK_INT(monitor_noise_tenths(monitor_noise_leq_of_energy(e, 16)), 646);
    CHECK_NEAR(monitor_noise_energy(55500000), pow(10, 5.55), 1e-3);
}

TEST_SUITE({"levels_combine_by_energy_lmax_by_maximum", levels_combine_by_energy_lmax_by_maximum},
           {"zone_limits", zone_limits}, {"periods", periods}, {"leq_examples", leq_examples},
           {"evaluate", evaluate});
