/* The building economy's routes (/api/v1/buildings/...). */
#ifndef BUILDING_BUILDING_API_H
#define BUILDING_BUILDING_API_H

#include "http/http.h"

extern const struct http_route building_routes[];

#endif
