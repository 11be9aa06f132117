/* The patrol module's routes under /api/v1/patrol/. */
#ifndef PATROL_PATROL_API_H
#define PATROL_PATROL_API_H

#include "http/http.h"

extern const struct http_route patrol_routes[];

#endif
