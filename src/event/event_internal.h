/* Shared inside src/event/ (and its unit tests): the transition table and its pure rules,
 * the stage-deadline rule, scope helpers and the outbound publishing port that event_api.c
 * implements (the domain cannot include the HTTP layer). */
#ifndef EVENT_EVENT_INTERNAL_H
#define EVENT_EVENT_INTERNAL_H

#include "core/buf.h"
#include "event/event.h"
#include "event/event_store.h"

/* Parties to an event, computed from the caller and the event (pure). */
enum {
    EVENT_PARTY_CENTER = 1 << 0,   /* a command center in scope at or above the event's level */
    EVENT_PARTY_ASSIGNEE = 1 << 1, /* the department or board post it is dispatched to */
    EVENT_PARTY_GRID = 1 << 2,     /* a grid worker of the event's grid */
    EVENT_PARTY_SYSTEM = 1 << 3,   /* the program itself: timers, sensors */
    EVENT_PARTY_REPORTER = 1 << 4, /* the resident by the tracking number (event_public_rate) */
};

/* Guards a row may carry (checked by event_rule_pick, pure). */
enum event_guard {
    EVENT_GUARD_NONE = 0,
    EVENT_GUARD_TRUSTED,      /* register without verification: not a public channel */
    EVENT_GUARD_EXT_NEW,      /* request_extension: hours > 0 and none pending */
    EVENT_GUARD_EXT_PENDING,  /* approve/reject_extension: one pending */
    EVENT_GUARD_RESULT,       /* feedback: a result or comment is given */
    EVENT_GUARD_NOT_HANDLER,  /* check by someone other than the handler */
    EVENT_GUARD_REOPEN,       /* revisit 不满意 and never reopened: back to handling */
    EVENT_GUARD_SATISFACTION, /* revisit: a satisfaction value is given */
    EVENT_GUARD_SELF_HANDLE,  /* 自处理: class allows it and a photo is attached */
    EVENT_GUARD_LEVEL_UP,     /* escalate: below city */
    EVENT_GUARD_LEVEL_DOWN,   /* assign_down: above street */
    EVENT_GUARD_MERGE,        /* merge: `into` given and not itself */
};

/* Target meaning "the state before parking / the void request". */
#define EVENT_TO_PREV EVENT_STATE_COUNT

/* One row of the workflow: {from, action, to, who may, guard}. */
struct event_rule {
    enum event_state from;
    const char *action;
    int to; /* enum event_state, or EVENT_TO_PREV */
    unsigned parties;
    enum event_guard guard;
    bool needs_reason;
    const char *label; /* Chinese name of the action */
};

/* The table and its size. */
const struct event_rule *event_rules(size_t *n);
/* Is action named in the table? */
bool event_action_known(const char *action);
/* The Chinese label of an action ("派遣"), or the action itself. */
const char *event_action_label(const char *action);

/* Parties who is to e (NULL who = system). Pure. */
unsigned event_parties(const struct auth_principal *who, const struct event *e);

/* Pick the row for `action` from e's state: the first row whose party and guard pass.
 * actor is who's username ("" for the system). Errors: APP_ERR_CONFLICT "illegal_transition"
 * (no row from this state; the message names state and action), APP_ERR_FORBIDDEN
 * "not_party", APP_ERR_INVALID "reason_required"/"satisfaction_required"/..., or the
 * APP_ERR_CONFLICT guard code. Pure. */
int event_rule_pick(const struct event *e, const char *action, unsigned parties, const char *actor,
                    const struct event_action_input *in, const struct event_category *cat,
                    const struct event_rule **out, struct app_error *err);

/* The offers of e for who (pure): departments/ndepartments are the dispatch choices and
 * default_department the routing table's choice ("" when the route names a board post).
 * out->departments is not touched (the caller owns the choices). */
void event_offers_compute(const struct event *e, const struct auth_principal *who,
                          const struct event_category *cat, const struct event_choice *departments,
                          size_t ndepartments, const char *default_department,
                          struct event_offers *out);

/* Fill in from an offer's form as a client would (pure): required fields get a valid value
 * (text "…", integers their min, choices their default or first value, photos `photos`
 * repeated min times); optional ones stay empty. */
void event_offer_fill(const struct event_offer *o, const char *const *photos,
                      struct event_action_input *in);

/* Apply a picked rule's effects to e at now (state, counters, level, flags); deadlines are
 * set afterwards by event_set_stage_deadline. Pure. */
void event_rule_apply(struct event *e, const struct event_rule *r, const char *actor,
                      const struct event_action_input *in, int64_t now);

/* The deadline of `amount` units of the category's limit unit from start for an event of
 * urgency u (urgent/critical count natural hours; critical halves the limit). Uses the
 * working-day calendar. */
int event_deadline(const struct event_category *cat, enum event_urgency u, int64_t start,
                   int amount, int64_t *out, struct app_error *err);

/* Set due_at/warn_at (and handle_due_at when entering dispatch or rework) for e's current
 * state, starting at now; alert back to none. */
int event_set_stage_deadline(struct event *e, const struct event_category *cat, int64_t now,
                             double warn_share, bool new_handle_deadline, struct app_error *err);

/* The colour of e at now (pure). */
enum event_alert event_alert_at(const struct event *e, int64_t now);

/* May who see e? (NULL = system: yes.) Pure apart from the auth scope rules. */
bool event_visible(const struct auth_principal *who, const struct event *e);
/* SQL scope filter for who. */
void event_scope_of(const struct auth_principal *who, struct event_store_scope *s, char *prefix_buf,
                    size_t n);

/* Outbound port: publish a live update through the publisher src/modules.c installed
 * (event_set_publisher); nothing when none is. */
void event_publish(const char *scope, const char *json_text);

/* Suppress live updates (while seeding the demo). */
void event_set_quiet(bool q);

/* Append s as a JSON string literal (with quotes) to b. */
void event_json_str(struct buf *b, const char *s);

/* Seed data (category.c) and demo events (demo.c). */
int event_category_seed(struct db *db, struct app_error *err);
int event_demo_seed(struct app *app, struct db *db, struct app_error *err);

/* Create without the caller checks, for the demo and sensors: at time `now`, with the state
 * forced to `tracking` when non-NULL (deterministic demo numbers). */
int event_create_at(struct app *app, struct db *db, const struct auth_principal *who,
                    const struct event_input *in, const char *request_id, int64_t now,
                    const char *tracking, struct event *out, struct app_error *err);
/* The anonymous path of event_create (public.c): rate limit by in->client, photo tokens, the
 * event, all in one transaction at time now. */
int event_public_create(struct app *app, struct db *db, const struct event_input *in,
                        const char *request_id, int64_t now, struct event *out,
                        struct app_error *err);
/* Transition at time now (the demo replays histories in the past). */
int event_transition_at(struct app *app, struct db *db, const struct auth_principal *who,
                        const char *code, const char *action, const struct event_action_input *in,
                        const char *request_id, int64_t now, struct event *out,
                        struct app_error *err);

/* One transition of the loaded event e inside the caller's transaction, without the
 * permission check (the demo replays, sensors and timers): pick, apply, deadline, history,
 * audit. e is updated in place; nothing is published. */
int event_transition_locked(struct app *app, struct db *db, const struct auth_principal *who,
                            struct event *e, const char *action,
                            const struct event_action_input *in, const char *request_id,
                            int64_t now, struct app_error *err);

#endif
