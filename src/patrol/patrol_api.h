/* The patrol module's routes under /api/v1/patrol/. */
#ifndef PATROL_PATROL_API_H
#define PATROL_PATROL_API_H

#include "http/http.h"

#include "patrol/patrol.h"

extern const struct http_route patrol_routes[];
/* Running patrols: start, batches of points, finish (run_api.c). */
extern const struct http_route patrol_run_routes[];

/* Keeping segments and chiefs (segment_api.c). */
extern const struct http_route patrol_manage_routes[];

/* Helpers the module's handler files share (patrol_api.c). */

/* A segment's report as GET /segments/{code} answers it; a new reference. */
json_t *patrol_api_report_json(const struct patrol_report *r, const struct auth_principal *who);

/* A time as Asia/Shanghai RFC 3339 text, null for 0; a new reference. */
json_t *patrol_api_time_json(int64_t t);
/* obj[key] as RFC 3339 text or Unix seconds into *out (0 when absent and not required);
 * APP_ERR_INVALID naming field. */
int patrol_api_read_time(json_t *obj, const char *key, const char *field, bool required,
                         int64_t *out, struct app_error *err);
/* body.findings into f[PATROL_MAX_FINDINGS] (strings borrowed from body), *n of them. */
int patrol_api_read_findings(json_t *body, struct patrol_finding_input *f, size_t *n,
                             struct app_error *err);
/* A recorded patrol with its findings' events; a new reference. */
json_t *patrol_api_result_json(const struct patrol_result *r);

#endif
