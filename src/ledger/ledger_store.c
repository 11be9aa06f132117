/* All SQL of the ledger module: problems, measures, 销号/反弹 marks and supervision clues, through
 * the store helper layer (core/db_row.h). */
#include "ledger/ledger_store.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/db_row.h"

struct id_row {
    int64_t id;
};
static const struct db_column id_cols[] = {DB_COL(INT64, struct id_row, id)};
static const struct db_row_map id_map = DB_ROW_MAP(struct id_row, id_cols);

/* ---- problems ------------------------------------------------------------------------------ */

#define PROBLEM_COLS                                                                               \
    "p.id, p.title, p.source, p.category, p.department, d.name, d.region_code, p.leader, "         \
    "p.deadline, p.event, p.long_term, p.created_on, p.created_by, p.created_at, p.synthetic"
static const struct db_column problem_cols[] = {
    DB_COL(INT64, struct ledger_problem, id),
    DB_COL(CHARS, struct ledger_problem, title),
    DB_COL(CHARS, struct ledger_problem, source),
    DB_COL(CHARS, struct ledger_problem, category),
    DB_COL(CHARS, struct ledger_problem, department),
    DB_COL(CHARS, struct ledger_problem, department_name),
    DB_COL(CHARS, struct ledger_problem, department_region),
    DB_COL(CHARS, struct ledger_problem, leader),
    DB_COL(CHARS, struct ledger_problem, deadline),
    DB_COL(CHARS, struct ledger_problem, event),
    DB_COL(BOOL, struct ledger_problem, long_term),
    DB_COL(CHARS, struct ledger_problem, created_on),
    DB_COL(CHARS, struct ledger_problem, created_by),
    DB_COL(INT64, struct ledger_problem, created_at),
    DB_COL(BOOL, struct ledger_problem, synthetic),
};
static const struct db_row_map problem_map = DB_ROW_MAP(struct ledger_problem, problem_cols);

#define MEASURE_COLS                                                                               \
    "m.id, m.problem_id, m.title, m.owner, m.deadline, m.created_on, m.done_on, m.evidence, "      \
    "m.events, m.attachments, m.approved_by, m.approved_on, m.synthetic"
static const struct db_column measure_cols[] = {
    DB_COL(INT64, struct ledger_measure, id),
    DB_COL(INT64, struct ledger_measure, problem_id),
    DB_COL(CHARS, struct ledger_measure, title),
    DB_COL(CHARS, struct ledger_measure, owner),
    DB_COL(CHARS, struct ledger_measure, deadline),
    DB_COL(CHARS, struct ledger_measure, created_on),
    DB_COL(CHARS, struct ledger_measure, done_on),
    DB_COL(CHARS, struct ledger_measure, evidence),
    DB_COL(CHARS, struct ledger_measure, events),
    DB_COL(CHARS, struct ledger_measure, attachments),
    DB_COL(CHARS, struct ledger_measure, approved_by),
    DB_COL(CHARS, struct ledger_measure, approved_on),
    DB_COL(BOOL, struct ledger_measure, synthetic),
};
static const struct db_row_map measure_map = DB_ROW_MAP(struct ledger_measure, measure_cols);

#define MARK_COLS "k.id, k.problem_id, k.kind, k.on_date, k.at, k.by_user, k.reason, k.synthetic"
static const struct db_column mark_cols[] = {
    DB_COL(INT64, struct ledger_mark, id),     DB_COL(INT64, struct ledger_mark, problem_id),
    DB_COL(CHARS, struct ledger_mark, kind),   DB_COL(CHARS, struct ledger_mark, on_date),
    DB_COL(INT64, struct ledger_mark, at),     DB_COL(CHARS, struct ledger_mark, by_user),
    DB_COL(CHARS, struct ledger_mark, reason), DB_COL(BOOL, struct ledger_mark, synthetic),
};
static const struct db_row_map mark_map = DB_ROW_MAP(struct ledger_mark, mark_cols);

/* ?1 department (NULL: any), ?2 region prefix (NULL: any). */
#define SCOPE_WHERE                                                                                \
    " WHERE (?1 IS NULL OR p.department = ?1) "                                                    \
    "AND (?2 IS NULL OR substr(d.region_code, 1, length(?2)) = ?2) "

int ledger_store_book(struct db *db, const struct ledger_scope *s, struct ledger_book *out,
                      struct app_error *err)
{
    static const char problems[] =
        "SELECT " PROBLEM_COLS " FROM ledger_problems p "
        "JOIN departments d ON d.code = p.department" SCOPE_WHERE "ORDER BY p.id";
    static const char measures[] =
        "SELECT " MEASURE_COLS " FROM ledger_measures m "
        "JOIN ledger_problems p ON p.id = m.problem_id "
        "JOIN departments d ON d.code = p.department" SCOPE_WHERE "ORDER BY m.problem_id, m.id";
    static const char marks[] = "SELECT " MARK_COLS " FROM ledger_marks k "
                                "JOIN ledger_problems p ON p.id = k.problem_id "
                                "JOIN departments d ON d.code = p.department" SCOPE_WHERE
                                "ORDER BY k.problem_id, k.on_date, k.id";
    if (db_list(db, problems, DB_PARAMS(DB_TEXT(s->department), DB_TEXT(s->region)), &problem_map,
                DB_LIST(&out->problems), -1, NULL, err) ||
        db_list(db, measures, DB_PARAMS(DB_TEXT(s->department), DB_TEXT(s->region)), &measure_map,
                DB_LIST(&out->measures), -1, NULL, err) ||
        db_list(db, marks, DB_PARAMS(DB_TEXT(s->department), DB_TEXT(s->region)), &mark_map,
                DB_LIST(&out->marks), -1, NULL, err))
        return -1;
    return 0;
}

int ledger_store_problem_get(struct db *db, int64_t id, struct ledger_problem *out, bool *found,
                             struct app_error *err)
{
    static const char sql[] = "SELECT " PROBLEM_COLS " FROM ledger_problems p "
                              "JOIN departments d ON d.code = p.department WHERE p.id = ?";
    return db_get(db, sql, DB_PARAMS(DB_INT(id)), &problem_map, out, found, err);
}

int ledger_store_measures_of(struct db *db, int64_t problem_id, struct ledger_measure_list *out,
                             struct app_error *err)
{
    static const char sql[] =
        "SELECT " MEASURE_COLS " FROM ledger_measures m WHERE m.problem_id = ? ORDER BY m.id";
    return db_list(db, sql, DB_PARAMS(DB_INT(problem_id)), &measure_map, DB_LIST(out), -1, NULL,
                   err);
}

int ledger_store_marks_of(struct db *db, int64_t problem_id, struct ledger_mark_list *out,
                          struct app_error *err)
{
    static const char sql[] =
        "SELECT " MARK_COLS " FROM ledger_marks k WHERE k.problem_id = ? ORDER BY k.on_date, k.id";
    return db_list(db, sql, DB_PARAMS(DB_INT(problem_id)), &mark_map, DB_LIST(out), -1, NULL, err);
}

int ledger_store_measure_get(struct db *db, int64_t id, struct ledger_measure *out, bool *found,
                             struct app_error *err)
{
    static const char sql[] = "SELECT " MEASURE_COLS " FROM ledger_measures m WHERE m.id = ?";
    return db_get(db, sql, DB_PARAMS(DB_INT(id)), &measure_map, out, found, err);
}

struct dept_row {
    char name[64];
    char region[24];
};
static const struct db_column dept_cols[] = {DB_COL(CHARS, struct dept_row, name),
                                             DB_COL(CHARS, struct dept_row, region)};
static const struct db_row_map dept_map = DB_ROW_MAP(struct dept_row, dept_cols);

int ledger_store_department(struct db *db, const char *code, char *name, size_t name_n,
                            char *region, size_t region_n, bool *found, struct app_error *err)
{
    static const char sql[] = "SELECT name, region_code FROM departments WHERE code = ?";
    struct dept_row r;
    if (db_get(db, sql, DB_PARAMS(DB_TEXT(code)), &dept_map, &r, found, err))
        return -1;
    snprintf(name, name_n, "%s", r.name);
    snprintf(region, region_n, "%s", r.region);
    return 0;
}

struct dept_full_row {
    char code[24];
    char name[64];
    char region[24];
};
static const struct db_column dept_full_cols[] = {DB_COL(CHARS, struct dept_full_row, code),
                                                  DB_COL(CHARS, struct dept_full_row, name),
                                                  DB_COL(CHARS, struct dept_full_row, region)};
static const struct db_row_map dept_full_map = DB_ROW_MAP(struct dept_full_row, dept_full_cols);

int ledger_store_department_find(struct db *db, const char *key, struct ledger_problem *p,
                                 bool *found, struct app_error *err)
{
    static const char sql[] = "SELECT code, name, region_code FROM departments "
                              "WHERE code = ?1 OR name = ?1 ORDER BY code = ?1 DESC LIMIT 1";
    struct dept_full_row r;
    if (db_get(db, sql, DB_PARAMS(DB_TEXT(key)), &dept_full_map, &r, found, err))
        return -1;
    if (*found) {
        snprintf(p->department, sizeof p->department, "%s", r.code);
        snprintf(p->department_name, sizeof p->department_name, "%s", r.name);
        snprintf(p->department_region, sizeof p->department_region, "%s", r.region);
    }
    return 0;
}

int ledger_store_problem_insert(struct db *db, const struct ledger_problem *p, int64_t *id,
                                struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO ledger_problems (title, source, category, department, leader, deadline, "
        "event, long_term, created_on, created_at, created_by, synthetic) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id";
    struct id_row r;
    if (db_get(db, sql,
               DB_PARAMS(DB_TEXT(p->title), DB_TEXT(p->source), DB_TEXT(p->category),
                         DB_TEXT(p->department), DB_TEXT(p->leader), DB_TEXT(p->deadline),
                         DB_TEXT(p->event), DB_INT(p->long_term), DB_TEXT(p->created_on),
                         DB_INT(p->created_at), DB_TEXT(p->created_by), DB_INT(p->synthetic)),
               &id_map, &r, NULL, err))
        return -1;
    *id = r.id;
    return 0;
}

int ledger_store_measure_insert(struct db *db, const struct ledger_measure *m, int64_t *id,
                                struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO ledger_measures (problem_id, title, owner, deadline, created_on, done_on, "
        "evidence, events, attachments, approved_by, approved_on, synthetic) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id";
    struct id_row r;
    if (db_get(db, sql,
               DB_PARAMS(DB_INT(m->problem_id), DB_TEXT(m->title), DB_TEXT(m->owner),
                         DB_TEXT(m->deadline), DB_TEXT(m->created_on), DB_TEXT(m->done_on),
                         DB_TEXT(m->evidence), DB_TEXT(m->events), DB_TEXT(m->attachments),
                         DB_TEXT(m->approved_by), DB_TEXT(m->approved_on), DB_INT(m->synthetic)),
               &id_map, &r, NULL, err))
        return -1;
    *id = r.id;
    return 0;
}

int ledger_store_measure_update(struct db *db, const struct ledger_measure *m,
                                struct app_error *err)
{
    static const char sql[] = "UPDATE ledger_measures SET done_on = ?, evidence = ?, events = ?, "
                              "attachments = ?, approved_by = ?, approved_on = ? WHERE id = ?";
    return db_run(db, sql,
                  DB_PARAMS(DB_TEXT(m->done_on), DB_TEXT(m->evidence), DB_TEXT(m->events),
                            DB_TEXT(m->attachments), DB_TEXT(m->approved_by),
                            DB_TEXT(m->approved_on), DB_INT(m->id)),
                  err);
}

int ledger_store_mark_insert(struct db *db, const struct ledger_mark *m, int64_t *id,
                             struct app_error *err)
{
    static const char sql[] = "INSERT INTO ledger_marks (problem_id, kind, on_date, at, by_user, "
                              "reason, synthetic) VALUES (?,?,?,?,?,?,?) RETURNING id";
    struct id_row r;
    if (db_get(db, sql,
               DB_PARAMS(DB_INT(m->problem_id), DB_TEXT(m->kind), DB_TEXT(m->on_date),
                         DB_INT(m->at), DB_TEXT(m->by_user), DB_TEXT(m->reason),
                         DB_INT(m->synthetic)),
               &id_map, &r, NULL, err))
        return -1;
    if (id)
        *id = r.id;
    return 0;
}

int ledger_store_count(struct db *db, int64_t *n, struct app_error *err)
{
    static const char sql[] = "SELECT count(*) FROM ledger_problems";
    struct id_row r;
    if (db_get(db, sql, DB_NO_PARAMS, &id_map, &r, NULL, err))
        return -1;
    *n = r.id;
    return 0;
}

struct code_row {
    char code[32];
};
static const struct db_column code_cols[] = {DB_COL(CHARS, struct code_row, code)};
static const struct db_row_map code_map = DB_ROW_MAP(struct code_row, code_cols);
struct code_list {
    struct code_row *items;
    size_t len, cap;
};

int ledger_store_problem_event_insert(struct db *db, int64_t problem_id, const char *event,
                                      const char *on_date, const char *by_user,
                                      struct app_error *err)
{
    static const char sql[] = "INSERT INTO ledger_problem_events (problem_id, event, created_on, "
                              "by_user) VALUES (?,?,?,?)";
    return db_run(db, sql,
                  DB_PARAMS(DB_INT(problem_id), DB_TEXT(event), DB_TEXT(on_date), DB_TEXT(by_user)),
                  err);
}

int ledger_store_problem_events(struct db *db, int64_t problem_id, char *out, size_t n,
                                struct app_error *err)
{
    static const char sql[] =
        "SELECT event FROM ledger_problem_events WHERE problem_id = ? ORDER BY rowid";
    struct code_list l = {0};
    size_t used = 0;
    if (db_list(db, sql, DB_PARAMS(DB_INT(problem_id)), &code_map, DB_LIST(&l), -1, NULL, err))
        return -1;
    out[0] = 0;
    for (size_t i = 0; i < l.len && used < n; i++)
        used += (size_t)snprintf(out + used, n - used, "%s%s", i ? "," : "", l.items[i].code);
    free(l.items);
    return 0;
}

/* ---- supervision clues --------------------------------------------------------------------- */

int ledger_store_clue_problem_insert(struct db *db, int64_t clue_id, int64_t problem_id,
                                     const char *on_date, const char *by_user,
                                     struct app_error *err)
{
    static const char sql[] = "INSERT INTO supervision_clue_problems (clue_id, problem_id, "
                              "created_on, by_user) VALUES (?,?,?,?)";
    return db_run(db, sql,
                  DB_PARAMS(DB_INT(clue_id), DB_INT(problem_id), DB_TEXT(on_date),
                            DB_TEXT(by_user)),
                  err);
}

int ledger_store_clue_problems(struct db *db, int64_t clue_id, char *out, size_t n,
                               struct app_error *err)
{
    static const char sql[] = "SELECT CAST(problem_id AS TEXT) FROM supervision_clue_problems "
                              "WHERE clue_id = ? ORDER BY problem_id";
    struct code_list l = {0};
    size_t used = 0;
    if (db_list(db, sql, DB_PARAMS(DB_INT(clue_id)), &code_map, DB_LIST(&l), -1, NULL, err))
        return -1;
    out[0] = 0;
    for (size_t i = 0; i < l.len && used < n; i++)
        used += (size_t)snprintf(out + used, n - used, "%s%s", i ? "," : "", l.items[i].code);
    free(l.items);
    return 0;
}

#define CLUE_COLS                                                                                  \
    "c.id, c.tracking_code, c.channel, c.summary, c.region, c.anonymous, c.reporter_name, "        \
    "c.reporter_phone, c.status, c.mechanism, c.reason, c.persons, c.notice, c.received_on, "      \
    "c.decided_on, c.concluded_on, "                                                               \
    "(SELECT count(*) FROM supervision_shares s WHERE s.clue_id = c.id), c.synthetic"
static const struct db_column clue_cols[] = {
    DB_COL(INT64, struct ledger_clue, id),
    DB_COL(CHARS, struct ledger_clue, tracking_code),
    DB_COL(CHARS, struct ledger_clue, channel),
    DB_COL(CHARS, struct ledger_clue, summary),
    DB_COL(CHARS, struct ledger_clue, region),
    DB_COL(BOOL, struct ledger_clue, anonymous),
    DB_COL(CHARS, struct ledger_clue, reporter_name),
    DB_COL(CHARS, struct ledger_clue, reporter_phone),
    DB_COL(CHARS, struct ledger_clue, status),
    DB_COL(CHARS, struct ledger_clue, mechanism),
    DB_COL(CHARS, struct ledger_clue, reason),
    DB_COL(INT, struct ledger_clue, persons),
    DB_COL(CHARS, struct ledger_clue, notice),
    DB_COL(CHARS, struct ledger_clue, received_on),
    DB_COL(CHARS, struct ledger_clue, decided_on),
    DB_COL(CHARS, struct ledger_clue, concluded_on),
    DB_COL(INT, struct ledger_clue, shares),
    DB_COL(BOOL, struct ledger_clue, synthetic),
};
static const struct db_row_map clue_map = DB_ROW_MAP(struct ledger_clue, clue_cols);

int ledger_store_clue_insert(struct db *db, const struct ledger_clue *c, int64_t *id,
                             struct app_error *err)
{
    static const char sql[] =
        "INSERT INTO supervision_clues (tracking_code, channel, summary, region, anonymous, "
        "reporter_name, reporter_phone, status, mechanism, reason, persons, notice, received_on, "
        "decided_on, concluded_on, created_at, synthetic) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,strftime('%s','now'),?) RETURNING id";
    struct id_row r;
    if (db_get(db, sql,
               DB_PARAMS(DB_TEXT(c->tracking_code), DB_TEXT(c->channel), DB_TEXT(c->summary),
                         DB_TEXT(c->region), DB_INT(c->anonymous), DB_TEXT(c->reporter_name),
                         DB_TEXT(c->reporter_phone), DB_TEXT(c->status), DB_TEXT(c->mechanism),
                         DB_TEXT(c->reason), DB_INT(c->persons), DB_TEXT(c->notice),
                         DB_TEXT(c->received_on), DB_TEXT(c->decided_on), DB_TEXT(c->concluded_on),
                         DB_INT(c->synthetic)),
               &id_map, &r, NULL, err))
        return -1;
    *id = r.id;
    return 0;
}

int ledger_store_clue_list(struct db *db, const char *region, struct ledger_clue_list *out,
                           struct app_error *err)
{
    static const char sql[] = "SELECT " CLUE_COLS " FROM supervision_clues c "
                              "WHERE ?1 IS NULL OR substr(c.region, 1, length(?1)) = ?1 "
                              "ORDER BY c.id DESC";
    return db_list(db, sql, DB_PARAMS(DB_TEXT(region)), &clue_map, DB_LIST(out), -1, NULL, err);
}

int ledger_store_clue_get(struct db *db, int64_t id, struct ledger_clue *out, bool *found,
                          struct app_error *err)
{
    static const char sql[] = "SELECT " CLUE_COLS " FROM supervision_clues c WHERE c.id = ?";
    return db_get(db, sql, DB_PARAMS(DB_INT(id)), &clue_map, out, found, err);
}

int ledger_store_clue_by_tracking(struct db *db, const char *tracking, struct ledger_clue *out,
                                  bool *found, struct app_error *err)
{
    static const char sql[] =
        "SELECT " CLUE_COLS " FROM supervision_clues c WHERE c.tracking_code = ?";
    return db_get(db, sql, DB_PARAMS(DB_TEXT(tracking)), &clue_map, out, found, err);
}

int ledger_store_clue_update(struct db *db, const struct ledger_clue *c, struct app_error *err)
{
    static const char sql[] =
        "UPDATE supervision_clues SET status = ?, mechanism = ?, reason = ?, persons = ?, "
        "notice = ?, decided_on = ?, concluded_on = ? WHERE id = ?";
    return db_run(db, sql,
                  DB_PARAMS(DB_TEXT(c->status), DB_TEXT(c->mechanism), DB_TEXT(c->reason),
                            DB_INT(c->persons), DB_TEXT(c->notice), DB_TEXT(c->decided_on),
                            DB_TEXT(c->concluded_on), DB_INT(c->id)),
                  err);
}

int ledger_store_share_insert(struct db *db, int64_t clue_id, const char *mechanism,
                              const char *note, const char *on_date, const char *by_user,
                              bool synthetic, struct app_error *err)
{
    static const char sql[] = "INSERT INTO supervision_shares (clue_id, mechanism, note, "
                              "on_date, by_user, synthetic) VALUES (?,?,?,?,?,?)";
    return db_run(db, sql,
                  DB_PARAMS(DB_INT(clue_id), DB_TEXT(mechanism), DB_TEXT(note), DB_TEXT(on_date),
                            DB_TEXT(by_user), DB_INT(synthetic)),
                  err);
}
