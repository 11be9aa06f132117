/* An event row and a history row as the event stores read them (event_store.c,
 * history_store.c, whose history walk joins both): the selected columns, their column tables
 * and the step that turns the enum names read as text into the struct's enums. Private to the
 * stores of the event module. */
#ifndef EVENT_EVENT_ROW_H
#define EVENT_EVENT_ROW_H

#include "core/db_row.h"
#include "event/event.h"

#define EVENT_COLUMNS                                                                              \
    "e.id, e.code, e.tracking, e.channel, e.category, c.name, e.title, e.description, e.lon, "     \
    "e.lat, e.grid, e.community, e.street, e.district, e.address, e.reporter_name, "               \
    "e.reporter_contact, e.reporter_user, e.urgency, e.state, e.prev_state, e.level, e.board, "    \
    "e.department, e.post, e.handler, e.created_at, e.updated_at, e.stage_started_at, e.due_at, "  \
    "e.warn_at, e.handle_due_at, e.closed_at, e.alert, e.return_count, e.rework_count, "           \
    "e.reopen_count, e.escalations, e.extension_pending, e.extension_hours, e.satisfaction, "      \
    "e.merged_into, e.link_type, e.link_id, e.synthetic"
#define EVENT_FROM " FROM events e JOIN event_categories c ON c.code = e.category "

/* EVENT_COLUMNS as read: the enums as their names beside the event. */
struct event_row {
    struct event e;
    char channel[32], urgency[32], state[32], prev_state[32], level[32], alert[32],
        satisfaction[32];
};

/* The column table of EVENT_COLUMNS for the struct event_row at member path P (empty, or
 * "ev." for a row that holds one as ev) of type T. */
#define EVENT_ROW_COLS(T, P)                                                                       \
    DB_COL(INT64, T, P e.id), DB_COL(CHARS, T, P e.code), DB_COL(CHARS, T, P e.tracking),          \
        DB_COL(CHARS, T, P channel), DB_COL(CHARS, T, P e.category),                               \
        DB_COL(CHARS, T, P e.category_name), DB_COL(CHARS, T, P e.title),                          \
        DB_COL(STRDUP, T, P e.description), DB_COL(DOUBLE, T, P e.lon),                            \
        DB_COL(DOUBLE, T, P e.lat), DB_COL(CHARS, T, P e.grid), DB_COL(CHARS, T, P e.community),   \
        DB_COL(CHARS, T, P e.street), DB_COL(CHARS, T, P e.district),                              \
        DB_COL(CHARS, T, P e.address), DB_COL(CHARS, T, P e.reporter_name),                        \
        DB_COL(CHARS, T, P e.reporter_contact), DB_COL(INT64, T, P e.reporter_user),               \
        DB_COL(CHARS, T, P urgency), DB_COL(CHARS, T, P state), DB_COL(CHARS, T, P prev_state),    \
        DB_COL(CHARS, T, P level), DB_COL(CHARS, T, P e.board), DB_COL(CHARS, T, P e.department),  \
        DB_COL(CHARS, T, P e.post), DB_COL(CHARS, T, P e.handler),                                 \
        DB_COL(INT64, T, P e.created_at), DB_COL(INT64, T, P e.updated_at),                        \
        DB_COL(INT64, T, P e.stage_started_at), DB_COL(INT64, T, P e.due_at),                      \
        DB_COL(INT64, T, P e.warn_at), DB_COL(INT64, T, P e.handle_due_at),                        \
        DB_COL(INT64, T, P e.closed_at), DB_COL(CHARS, T, P alert),                                \
        DB_COL(INT, T, P e.return_count), DB_COL(INT, T, P e.rework_count),                        \
        DB_COL(INT, T, P e.reopen_count), DB_COL(INT, T, P e.escalations),                         \
        DB_COL(BOOL, T, P e.extension_pending), DB_COL(INT, T, P e.extension_hours),               \
        DB_COL(CHARS, T, P satisfaction), DB_COL(CHARS, T, P e.merged_into),                       \
        DB_COL(CHARS, T, P e.link_type), DB_COL(CHARS, T, P e.link_id),                            \
        DB_COL(BOOL, T, P e.synthetic)

/* Parse r's enum names into r->e (an unknown name is the enum's first value) and give a NULL
 * description "" (event_store.c). */
void event_row_finish(struct event_row *r);

#define HISTORY_COLUMNS                                                                            \
    "h.id, ev.code, h.at, h.action, h.from_state, h.to_state, h.actor, h.actor_role, "             \
    "h.actor_name, h.comment, h.attachments, h.department, h.post, h.level, h.due_at, "            \
    "h.overdue, h.internal"

/* HISTORY_COLUMNS as read. */
struct history_row {
    struct event_history_item h;
    char from_state[32], to_state[32], level[32];
};

#define HISTORY_ROW_COLS(T, P)                                                                     \
    DB_COL(INT64, T, P h.id), DB_COL(CHARS, T, P h.event_code), DB_COL(INT64, T, P h.at),          \
        DB_COL(CHARS, T, P h.action), DB_COL(CHARS, T, P from_state),                              \
        DB_COL(CHARS, T, P to_state), DB_COL(CHARS, T, P h.actor),                                 \
        DB_COL(CHARS, T, P h.actor_role), DB_COL(CHARS, T, P h.actor_name),                        \
        DB_COL(STRDUP, T, P h.comment), DB_COL(STRDUP, T, P h.attachments),                        \
        DB_COL(CHARS, T, P h.department), DB_COL(CHARS, T, P h.post), DB_COL(CHARS, T, P level),   \
        DB_COL(INT64, T, P h.due_at), DB_COL(BOOL, T, P h.overdue), DB_COL(BOOL, T, P h.internal)

/* An enum parsed from its name, 0 for an unknown one. */
int event_row_enum(const char *name, int (*parse)(const char *));

#endif
