/* HTTP face of the indicators: GET /api/v1/indicators and /api/v1/indicators.csv. */
#ifndef EVENT_INDICATOR_API_H
#define EVENT_INDICATOR_API_H

#include "http/http.h"

/* The indicator routes (action "indicator.read"), for src/modules.c. */
extern const struct http_route indicator_routes[];

#endif
