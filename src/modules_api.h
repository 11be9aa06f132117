/* GET /api/v1/modules: the modules' web parts, for the web shell. */
#ifndef MODULES_API_H
#define MODULES_API_H

#include "http/http.h"

extern const struct http_route modules_routes[];

#endif
