/* The routes of the renewal module under /api/v1/renewal/ (renewal_api.c, vote_api.c,
 * appraisal_api.c, housing_api.c). */
#ifndef RENEWAL_RENEWAL_API_H
#define RENEWAL_RENEWAL_API_H

#include "http/http.h"

extern const struct http_route renewal_routes[];
extern const struct http_route renewal_vote_routes[];
extern const struct http_route renewal_appraisal_routes[];
extern const struct http_route renewal_housing_routes[];

#endif
