/* Routes of the component module: the census under /api/v1/components and the sewer network
 * under /api/v1/sewer/. */
#ifndef COMPONENT_COMPONENT_API_H
#define COMPONENT_COMPONENT_API_H

#include "http/http.h"

extern const struct http_route component_routes[];
extern const struct http_route sewer_routes[];

#endif
