/* The building economy's routes (/api/v1/buildings/...). */
#ifndef BUILDING_BUILDING_API_H
#define BUILDING_BUILDING_API_H

#include "http/http.h"

extern const struct http_route building_routes[];
/* 找写字楼 and 入驻意向 (space_api.c): before building_routes, whose {code} would take "space". */
extern const struct http_route building_space_routes[];

#endif
