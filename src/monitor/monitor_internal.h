/* What the files of the monitoring domain share and nobody else sees: the module's state (the
 * ingest caches, the timer and live threads), the rule generation that invalidates the cached
 * rules, and the hand-over of alerts a transaction opened or cleared to alert.c. */
#ifndef MONITOR_MONITOR_INTERNAL_H
#define MONITOR_MONITOR_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event/event.h"
#include "monitor/monitor.h"

/* The event module may be built without (early in the tree's life, or in a tool): alerts are
 * then kept without an event and the sweep opens it once the module is there. */
#pragma weak event_open_sensor_alert
#pragma weak event_add_note
#pragma weak event_category_get

/* Bumped by every rule change of this process (the ingest cache reloads the rules). */
extern atomic_ulong monitor_rules_gen;

/* An open-addressing hash index of named items by code: item index + 1 per cell, 0 = empty;
 * the size is a power of two, kept above twice the number of items. */
struct code_index {
    uint32_t *tab;
    size_t size;
};

struct monitor_state {
    monitor_publish_fn publish;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool stop;
    pthread_t timer, live;
    bool timer_started, live_started;
    struct app *app;
    /* Ingest caches: stations never change once registered (only last_at, which validation
     * does not use); the enabled rules are reloaded when rules_gen moves. */
    pthread_mutex_t cache_lock;
    struct monitor_station *stations;
    size_t nstations, cap_stations;
    struct code_index index; /* stations by code */
    struct monitor_rule_list rules;
    unsigned long rules_loaded; /* rules_gen the cached rules belong to; 0 = none */
    /* Held around each ingest transaction: concurrent batches of this process queue here and are
     * woken as soon as the writer commits, instead of sleeping in SQLite's busy handler (1 to
     * 100 ms steps) while they wait for the write lock. Validation runs outside it. */
    pthread_mutex_t ingest_lock;
};

struct alert_action {
    int64_t alert_id;
    enum monitor_rule_action action;
};

/* After commit: events and live messages for the alerts a transaction opened or cleared. */
void monitor_dispatch_actions(struct app *app, struct db *db, const struct alert_action *acts,
                              size_t n);
/* Retry events of open alerts without one and notes of cleared alerts without one. */
void monitor_retry_pending(struct app *app, struct db *db);

#endif
