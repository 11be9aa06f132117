/* Open311 GeoReport v2 (governance.md §3; open311.org GeoReport v2, "frozen"): the public API
 * through which citizens' apps list services, file a report (it becomes a 码上举报 event
 * awaiting verification) and follow it. This header holds the plain-C view of services and
 * requests, the mapping from internal phases to open/closed plus status_notes, the form and
 * filter rules of the spec, and a small escaping XML writer; open311_api.c serves it. */
#ifndef OPEN311_OPEN311_H
#define OPEN311_OPEN311_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/app.h"
#include "core/buf.h"
#include "core/error.h"
#include "event/event.h"

#define OPEN311_MAX_FIELDS 48
#define OPEN311_WINDOW_DAYS 90 /* GeoReport v2 GET requests: default window and largest span */
#define OPEN311_MAX_RESULTS 1000

/* ---- form bodies (application/x-www-form-urlencoded) ------------------------------------- */

struct open311_form {
    char *names[OPEN311_MAX_FIELDS];
    char *values[OPEN311_MAX_FIELDS];
    int n;
};

/* Decode an x-www-form-urlencoded text (percent escapes, '+' as space) into f. Values must be
 * valid UTF-8. Returns 0, or -1 with APP_ERR_INVALID ("malformed_form", too many fields, bad
 * escape or UTF-8). Release with open311_form_release. */
int open311_form_parse(const char *text, size_t len, struct open311_form *f, struct app_error *err);
void open311_form_release(struct open311_form *f);
/* The value of name, or NULL; an empty value counts as absent (GeoReport v2: "an empty value
 * means the same as an absent one"). */
const char *open311_form_get(const struct open311_form *f, const char *name);

/* ---- services ---------------------------------------------------------------------------- */

/* Keys of the one attribute every service defines: urgency (singlevaluelist normal|urgent). */
#define OPEN311_ATTR_URGENCY "urgency"

/* ---- requests ---------------------------------------------------------------------------- */

/* A citizen's report as given to POST requests. Strings are borrowed from the form. */
struct open311_post {
    const char *api_key;
    const char *service_code;
    const char *lat, *lon; /* WGS84 decimal degrees (the spec's lat and long) */
    const char *address_string;
    const char *address_id;
    const char *email, *device_id, *account_id, *first_name, *last_name, *phone;
    const char *description; /* at most 4000 characters */
    const char *media_url;
    const char *urgency;  /* attribute[urgency] */
    const char *client;   /* the caller's network address, for the public-report rate limit */
    int64_t *retry_after; /* may be NULL: with "quota_exceeded", the seconds to wait */
};

#define OPEN311_URL_MAX 1000

/* Is url an acceptable media_url: http(s), at most OPEN311_URL_MAX bytes, no blanks, quotes,
 * angle brackets or control characters? It is stored and shown as a link, never fetched. */
bool open311_media_url_ok(const char *url);

/* The keyed clients' quota (pure; the residents' sliding-window rule with the client's limit
 * and window): may one more POST go in at now given the times of the client's earlier ones? */
bool open311_quota_allow(const int64_t *times, size_t n, int64_t now, long limit, long window,
                         int64_t *retry_after);

/* Read a POST form into p (borrowing). */
void open311_post_from_form(const struct open311_form *f, struct open311_post *p);

/* Check the api_key rule: when `configured` is non-empty the key must equal it (constant
 * time). Returns 0, or -1 with APP_ERR_FORBIDDEN "invalid_api_key" (GeoReport v2: 403). */
int open311_check_key(const char *configured, const char *given, struct app_error *err);

/* Validate p and build the event input (channel citizen_qr, the service code as category, a
 * title from the service name and the description). name_buf/title_buf (128/256 bytes) back
 * the strings of in, contact_buf (128 bytes) the contact: phone and email both when both are
 * given. Errors APP_ERR_INVALID naming the spec's field: "service_code", "media_url",
 * "lat"/"long" ("location_required": we locate by coordinates only), "description" (too long),
 * "attribute[urgency]". */
int open311_post_to_input(const struct open311_post *p, const char *service_name,
                          struct event_input *in, char *name_buf, size_t name_n, char *title_buf,
                          size_t title_n, char *contact_buf, size_t contact_n,
                          struct app_error *err);

/* The spec's GET requests filters. */
struct open311_filter {
    const char *ids; /* service_request_id: comma list; overrides the others */
    const char *service_code;
    const char *status; /* "open", "closed", "open,closed" or NULL */
    int64_t start, end; /* requested_datetime window [start, end] */
};

/* Read and check the filters from query values (NULL = absent): start_date/end_date W3C
 * datetimes; default window the last 90 days up to now; a span over 90 days or end before
 * start is APP_ERR_INVALID naming the field; status other than open/closed likewise. */
int open311_filter_parse(const char *ids, const char *service_code, const char *start_date,
                         const char *end_date, const char *status, int64_t now,
                         struct open311_filter *f, struct app_error *err);

/* One service request as the spec shows it. */
struct open311_request {
    char id[EVENT_CODE_SIZE];
    bool open;
    char status_notes[192];
    char service_name[64];
    char service_code[16];
    char *description; /* owned */
    char agency[64];
    char service_notice[128];
    int64_t requested, updated, expected; /* expected 0 = unknown */
    char address[256];
    double lat, lon;
    char media_url[OPEN311_URL_MAX + 1]; /* "" when the client sent none */
};

struct open311_request_list {
    struct open311_request *items;
    size_t len, cap;
};
void open311_request_list_release(struct open311_request_list *l);

/* status_notes of an event in state s (internal phase in Chinese, e.g. "处置中：已派遣至…"). */
void open311_status_notes(const struct event *e, const char *public_note, char *out, size_t n);

/* The requests matching f among the public (citizen_qr) reports, newest first, at most 1000.
 * Unknown ids in an id list are skipped. */
int open311_requests(struct db *db, const struct open311_filter *f,
                     struct open311_request_list *out, struct app_error *err);
/* One request by id (event code). APP_ERR_NOT_FOUND ("request_not_found") when unknown or not
 * a public report. */
int open311_request_get(struct db *db, const char *id, struct open311_request_list *out,
                        struct app_error *err);

/* File a report: checks the key against the open311_api_key setting, validates, and creates
 * the event through event_create (anonymous, channel citizen_qr, state 上报 awaiting
 * verification). With a configured key the client has its own quota (open311_client_limit per
 * open311_client_window: APP_ERR_TOO_MANY "quota_exceeded", *p->retry_after) instead of the
 * residents' per-address limit. The media_url is stored as the report's photo link. id_out gets
 * the event code (EVENT_CODE_SIZE bytes). */
int open311_post_request(struct app *app, struct db *db, const struct open311_post *p,
                         const char *request_id, char *id_out, struct app_error *err);

/* ---- mySociety's servicerequestupdates extension --------------------------------------- */

/* One change of a public report's state, as FixMyStreet reads it. */
struct open311_update {
    int64_t id; /* the history row */
    char request_id[EVENT_CODE_SIZE];
    const char *status; /* open, in_progress, fixed, closed (作废), duplicate (并案): static */
    int64_t at;
    char description[192]; /* the phase in Chinese, as status_notes */
};

struct open311_update_list {
    struct open311_update *items;
    size_t len, cap;
};
void open311_update_list_release(struct open311_update_list *l);

/* The extension's status of a state (pure): open before dispatch, in_progress while handled,
 * fixed once closed, closed for 作废, duplicate for 并案. */
const char *open311_update_status(enum event_state s);

/* The state changes of public (citizen_qr) reports with start <= at <= end, oldest first, at
 * most OPEN311_MAX_RESULTS. Notes and internal rows are not shown. */
int open311_updates(struct db *db, int64_t start, int64_t end, struct open311_update_list *out,
                    struct app_error *err);

/* An update from the client on a public report (POST servicerequestupdates): the key is checked
 * as for POST requests, description (required, at most 500 characters) and media_url (checked,
 * never fetched) are appended to the report's history as a system note. *update_id gets the
 * history row's id. Errors APP_ERR_FORBIDDEN "invalid_api_key", APP_ERR_NOT_FOUND
 * "request_not_found", APP_ERR_INVALID naming description or media_url. */
int open311_post_update(struct app *app, struct db *db, const char *api_key, const char *id,
                        const char *description, const char *media_url, int64_t *update_id,
                        struct app_error *err);

/* ---- XML (GeoReport v2 requires XML: an XML declaration, no namespace, UTF-8) ------------- */

/* Start a document: the XML declaration. */
void open311_xml_begin(struct buf *b);
/* <name>escaped text</name>; text NULL writes an empty element <name></name>. */
void open311_xml_text(struct buf *b, const char *name, const char *text);
/* Append s with &, <, >, " and ' escaped and control characters other than tab/LF/CR dropped. */
void open311_xml_escape(struct buf *b, const char *s);

/* Format t as a W3C datetime with its zone, "2026-11-29T18:00:00+08:00" (32 bytes). */
void open311_datetime(int64_t t, char *out, size_t n);

#endif
