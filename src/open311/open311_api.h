/* HTTP face of Open311 GeoReport v2 at /open311/v2/ (public routes). */
#ifndef OPEN311_OPEN311_API_H
#define OPEN311_OPEN311_API_H

#include "http/http.h"

/* The Open311 routes (all HTTP_PUBLIC; POST needs api_key when open311_api_key is set). */
extern const struct http_route open311_routes[];

#endif
