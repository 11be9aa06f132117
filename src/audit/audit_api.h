/* HTTP face of the audit log: GET /api/v1/audit for auditors and administrators. */
#ifndef AUDIT_AUDIT_API_H
#define AUDIT_AUDIT_API_H

#include "http/http.h"

extern const struct http_route audit_routes[];

#endif
