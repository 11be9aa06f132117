/* The enterprise module's route tables (enterprise_api.c, policy_api.c, cert_api.c). */
#ifndef ENTERPRISE_ENTERPRISE_API_H
#define ENTERPRISE_ENTERPRISE_API_H

#include <jansson.h>

#include "enterprise/enterprise.h"
#include "http/http.h"

extern const struct http_route enterprise_routes[];
extern const struct http_route enterprise_policy_routes[];
extern const struct http_route enterprise_cert_routes[];

/* Parse a 免申即享 policy document (docs/enterprise.md) into p: APP_ERR_INVALID naming the
 * field ("rules[1].field" for an unknown field, "base_fen" for a negative amount). */
int enterprise_policy_from_json(json_t *j, struct policy *p, struct app_error *err);
int enterprise_policy_parse(const char *text, struct policy *p, struct app_error *err);

#endif
