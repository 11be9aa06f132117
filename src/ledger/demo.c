/* The synthetic demo ledger (issue 15 item 6): a Yuzhong 整改台账 that grows from 1 May to the
 * day of init in about the seed's proportions (464 problems and 1,085 measures by the end of
 * May, 598 and 1,443 now, 销号率 about 90.7%), with measures reported and approved on their
 * days, 销号 marks, some 反弹 and standing (长期坚持) problems, so the rate can be watched rising
 * month by month; and the supervision clues behind the seed's "查处相关问题48起(含在办12起)" and
 * "共享信息62条、移送线索5件". Deterministic for a given day of init; every record is marked
 * synthetic. */
#include <stdio.h>
#include <string.h>

#include "core/clock.h"
#include "core/log.h"
#include "ledger/ledger.h"
#include "ledger/ledger_store.h"
#include "org/org.h"

/* The seed's 作风建设 article: 5月 464 个问题、1085 项措施 → 598 个问题、1443 项措施, 销号率 90.7%. */
enum {
    MAY_PROBLEMS = 464,
    MAY_MEASURES = 1085,
    NOW_PROBLEMS = 598,
    NOW_MEASURES = 1443,
    NOW_OPEN = 56, /* 598 − 542 closed: 542 / 598 = 90.6%, the nearest to 90.7% */
    LONG_TERM_EVERY = 50,
    REOPEN_EVERY = 37,
};

struct theme {
    const char *category, *department, *owner, *what, *measures[3];
};

/* Categories as the 党的建设 board files them; the department answers for the problem and one
 * of the demo accounts owns its measures (never the approver, center_yz). */
static const struct theme themes[] = {
    {"作风建设", "petition", "center_jfb", "群众诉求办理推诿扯皮、回复不及时",
     {"建立诉求办理首问负责台账", "对超时件逐件回访", "开展作风问题专项约谈"}},
    {"城市管理", "urban", "dept_urban", "背街小巷占道经营、乱堆乱放反复出现",
     {"划定临时疏导点并公示", "建立每日巡查清单", "联合执法集中清理"}},
    {"生态环保", "eco", "dept_eco", "餐饮油烟扰民投诉集中",
     {"督促安装并清洗油烟净化设施", "夜间联合检查", "建立投诉回访机制"}},
    {"民生服务", "civil", "center_qxg", "老旧小区适老化设施缺失",
     {"摸排需求形成清单", "加装扶手和坡道", "组织居民验收评议"}},
    {"安全生产", "emergency", "post_jfb_cg", "高层建筑消防通道被占用",
     {"清理占用物并设置警示标识", "落实物业日常巡查", "开展消防演练"}},
    {"营商环境", "market", "center_jfb", "涉企检查多头重复",
     {"推行综合查一次", "公布涉企检查事项清单", "建立企业评价回访"}},
    {"基层治理", "housing", "center_qxg", "物业服务不规范、业委会运行不畅",
     {"开展物业服务质量评价", "指导业委会依规换届", "建立红色物业联席会议"}},
    {"交通秩序", "transport", "dept_urban", "学校周边上下学时段拥堵",
     {"优化临时停车泊位", "错峰放学并增派护学岗", "设置限时停车标识"}},
};
#define THEMES (sizeof themes / sizeof themes[0])

static const char *const demo_sources[] = {"督查", "巡察", "审计", "群众反映", "自查", "上级交办"};

/* A small deterministic generator (an LCG, Numerical Recipes' constants): the same demo for the
 * same day of init. */
static uint32_t next(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static void day_text(int64_t days, char out[LEDGER_DATE])
{
    int y, m, d;
    clock_civil_from_days(days, &y, &m, &d);
    snprintf(out, LEDGER_DATE, "%04d-%02d-%02d", y, m, d);
}

static int64_t clamp(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* Day of entry of problem i: the first 464 through May, the rest spread from June to today. */
static int64_t entry_day(int i, int64_t may1, int64_t today)
{
    int64_t may31 = may1 + 30;
    if (i < MAY_PROBLEMS)
        return clamp(may1 + (int64_t)i * 31 / MAY_PROBLEMS, may1, today);
    int64_t span = today - may31 - 1;
    if (span < 1)
        return today;
    return clamp(may31 + 1 + (int64_t)(i - MAY_PROBLEMS) * span / (NOW_PROBLEMS - MAY_PROBLEMS),
                 may1, today);
}

/* Measures of problem i: two each, and a third for enough problems of each batch to reach the
 * seed's totals (157 of the May problems, 90 of the later ones). */
static int measures_of(int i)
{
    if (i < MAY_PROBLEMS)
        return 2 + (i % MAY_PROBLEMS < MAY_MEASURES - 2 * MAY_PROBLEMS);
    int k = i - MAY_PROBLEMS;
    return 2 + (k < (NOW_MEASURES - MAY_MEASURES) - 2 * (NOW_PROBLEMS - MAY_PROBLEMS));
}

/* Is problem i still open today: the long-term ones, the most recent entries and a few old
 * overdue ones, 56 in all. */
static bool open_today(int i)
{
    if (i % LONG_TERM_EVERY == 7)
        return true; /* 12 long-term */
    if (i >= NOW_PROBLEMS - 37)
        return true; /* the 37 most recent (one of them long-term too) */
    return i < MAY_PROBLEMS && i % 58 == 3; /* 8 old ones, overdue */
}

struct seeding {
    struct db *db;
    const struct org_region_list *streets;
    int64_t may1, today;
    uint32_t rng;
    long measures, marks;
};

static int add_mark(struct seeding *s, int64_t pid, const char *kind, int64_t day,
                    const char *reason, struct app_error *err)
{
    struct ledger_mark k = {.problem_id = pid, .at = day * 86400 + 2 * 3600, .synthetic = true};
    snprintf(k.kind, sizeof k.kind, "%s", kind);
    day_text(day, k.on_date);
    snprintf(k.by_user, sizeof k.by_user, "center_yz");
    snprintf(k.reason, sizeof k.reason, "%s", reason);
    s->marks++;
    return ledger_store_mark_insert(s->db, &k, NULL, err);
}

static int seed_problem(struct seeding *s, int i, struct app_error *err)
{
    const struct theme *t = &themes[next(&s->rng) % THEMES];
    const struct org_region *st = &s->streets->items[(size_t)i % s->streets->len];
    int64_t entry = entry_day(i, s->may1, s->today);
    struct ledger_problem p = {.created_at = entry * 86400 + 3600, .synthetic = true};
    snprintf(p.title, sizeof p.title, "%s：%s", st->name, t->what);
    snprintf(p.source, sizeof p.source, "%s", demo_sources[next(&s->rng) % 6]);
    snprintf(p.category, sizeof p.category, "%s", t->category);
    snprintf(p.department, sizeof p.department, "%s", t->department);
    snprintf(p.leader, sizeof p.leader, "%.40s分管负责同志", st->name);
    day_text(entry + 60 + next(&s->rng) % 31, p.deadline);
    day_text(entry, p.created_on);
    snprintf(p.created_by, sizeof p.created_by, "center_yz");
    p.long_term = i % LONG_TERM_EVERY == 7;
    int64_t pid;
    if (ledger_store_problem_insert(s->db, &p, &pid, err))
        return -1;

    /* The day of 销号: 20 days to five months after entry, never after yesterday. */
    bool open = open_today(i);
    int64_t close = clamp(entry + 20 + next(&s->rng) % 130, entry + 1, s->today - 1);
    if (close <= entry)
        open = true;
    int n = measures_of(i);
    for (int j = 0; j < n; j++) {
        struct ledger_measure m = {.problem_id = pid, .synthetic = true};
        snprintf(m.title, sizeof m.title, "%s", t->measures[j]);
        snprintf(m.owner, sizeof m.owner, "%s", t->owner);
        day_text(entry + 25 + 15 * j + next(&s->rng) % 20, m.deadline);
        day_text(entry, m.created_on);
        /* An open problem's measures: the first done when time allows, the rest pending (and
         * overdue once their deadline passes). */
        int64_t done = open ? (j == 0 ? entry + 10 + next(&s->rng) % 20 : s->today + 1)
                            : clamp(close - 1 - (int64_t)(next(&s->rng) % 10), entry, close);
        if (done <= s->today && !p.long_term) {
            day_text(done, m.done_on);
            snprintf(m.evidence, sizeof m.evidence, "整改前后照片、现场核查记录（演示数据）");
            snprintf(m.approved_by, sizeof m.approved_by, "center_yz");
            day_text(open ? done : close, m.approved_on);
        }
        int64_t mid;
        if (ledger_store_measure_insert(s->db, &m, &mid, err))
            return -1;
        s->measures++;
    }
    if (open)
        return 0;
    if (add_mark(s, pid, "close", close, "", err))
        return -1;
    /* 反弹: every 37th closed problem that had time comes back, and is closed again. */
    int64_t back = close + 10 + next(&s->rng) % 20;
    if (i % REOPEN_EVERY == 5 && back + 15 < s->today) {
        int64_t again = clamp(back + 15 + next(&s->rng) % 30, back + 1, s->today - 1);
        if (add_mark(s, pid, "reopen", back, "回头看发现问题反弹（演示数据）", err) ||
            add_mark(s, pid, "close", again, "", err))
            return -1;
    }
    return 0;
}

/* Supervision clues: 48 cases (36 办结, 12 在办), 5 移送, 14 了结 and 6 still in 初核 — 73 in all,
 * with 62 pieces of information shared between mechanisms. */
enum { CASES_DONE = 36, CASES_OPEN = 12, TRANSFERRED = 5, DISMISSED = 14, SCREENING = 6 };
#define CLUES (CASES_DONE + CASES_OPEN + TRANSFERRED + DISMISSED + SCREENING)
#define SHARES 62

static const char *const clue_texts[] = {
    "反映某单位工作人员违规收受购物卡", "反映某社区工作人员在低保审核中优亲厚友",
    "反映某部门工作日午间饮酒",         "反映某项目验收走过场、虚报工程量",
    "反映某窗口办事推诿、吃拿卡要",     "反映公车私用",
};
static const char *const mechanisms[] = {"区纪委监委", "区委巡察办", "区审计局", "区信访办"};

static int seed_clues(struct seeding *s, struct app_error *err)
{
    static const char alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    int shares = 0;
    for (int i = 0; i < CLUES; i++) {
        struct ledger_clue c = {.synthetic = true, .anonymous = i % 3 != 0};
        int64_t got = s->may1 + (int64_t)i * (s->today - s->may1 - 30) / CLUES;
        const char *status = i < CASES_DONE                              ? "办结"
                             : i < CASES_DONE + CASES_OPEN               ? "立案"
                             : i < CASES_DONE + CASES_OPEN + TRANSFERRED ? "移送"
                             : i < CLUES - SCREENING                     ? "了结"
                                                                         : "初核";
        if (strcmp(status, "初核") == 0)
            got = s->today - 1 - (CLUES - i);
        for (int k = 0; k < 10; k++)
            c.tracking_code[k] = alphabet[next(&s->rng) % 32];
        snprintf(c.channel, sizeof c.channel, "%s",
                 i % 4 == 0   ? "来信"
                 : i % 4 == 1 ? "来访"
                              : "码上举报");
        snprintf(c.summary, sizeof c.summary, "%s（演示数据）", clue_texts[i % 6]);
        snprintf(c.region, sizeof c.region, "%s",
                 s->streets->items[(size_t)i % s->streets->len].code);
        if (!c.anonymous) {
            snprintf(c.reporter_name, sizeof c.reporter_name, "演示举报人%02d", i);
            snprintf(c.reporter_phone, sizeof c.reporter_phone, "1380000%04d", i);
        }
        snprintf(c.status, sizeof c.status, "%s", status);
        day_text(got, c.received_on);
        if (strcmp(status, "初核")) {
            day_text(got + 15, c.decided_on);
            snprintf(c.reason, sizeof c.reason, "初核情况（演示数据）");
        }
        if (strcmp(status, "移送") == 0)
            snprintf(c.mechanism, sizeof c.mechanism, "%s", mechanisms[i % 4]);
        if (strcmp(status, "办结") == 0) {
            day_text(got + 25, c.concluded_on);
            c.persons = 1 + i % 3;
            snprintf(c.notice, sizeof c.notice, "通报：相关人员已依规依纪处理（演示数据）");
        }
        int64_t id;
        if (ledger_store_clue_insert(s->db, &c, &id, err))
            return -1;
        /* The 62 shares: one for each of the first 62 clues that left 初核. */
        char on[LEDGER_DATE];
        day_text(got + 10, on);
        if (shares < SHARES && strcmp(status, "初核") &&
            ledger_store_share_insert(s->db, id, mechanisms[(i + 1) % 4],
                                      "互通线索情况（演示数据）", on, "supervisor_yz", true, err))
            return -1;
        shares += strcmp(status, "初核") != 0;
    }
    return 0;
}

int ledger_seed(struct app *app, struct db *db, bool demo, struct app_error *err)
{
    (void)app;
    if (!demo)
        return 0;
    double t0 = clock_mono_ms();
    char today_s[LEDGER_DATE];
    int64_t today, n = 0;
    ledger_today(today_s);
    clock_parse_date(today_s, &today);
    int y, m, d;
    clock_civil_from_days(today, &y, &m, &d);
    /* The campaign began on 1 May: this year's once June has come, else last year's. */
    int64_t may1 = clock_days_from_civil(m >= 6 ? y : y - 1, 5, 1);
    if (ledger_store_count(db, &n, err))
        return -1;
    if (n > 0)
        return 0;
    struct org_region_query q = {.level = "street", .limit = 100};
    struct org_region_list streets = {0};
    bool more;
    if (org_region_list(db, &q, &streets, &more, err))
        return -1;
    if (streets.len == 0) {
        org_region_list_release(&streets);
        return 0; /* no district data, nothing to file the demo under */
    }
    struct seeding s = {db, &streets, may1, today, 20260505u, 0, 0};
    int ret = -1;
    if (db_begin(db, err))
        goto out;
    for (int i = 0; i < NOW_PROBLEMS; i++)
        if (seed_problem(&s, i, err)) {
            db_rollback(db);
            goto out;
        }
    if (seed_clues(&s, err)) {
        db_rollback(db);
        goto out;
    }
    if (db_commit(db, err))
        goto out;
    log_info("ledger: demo seeded in %.0f ms (%d problems, %ld measures, %ld marks, %d clues, "
             "synthetic)",
             clock_mono_ms() - t0, NOW_PROBLEMS, s.measures, s.marks, CLUES);
    ret = 0;
out:
    org_region_list_release(&streets);
    return ret;
}
