/* The lifecircle module's routes (/api/v1/lifecircle/...). */
#ifndef LIFECIRCLE_LIFECIRCLE_API_H
#define LIFECIRCLE_LIFECIRCLE_API_H

#include "http/http.h"

extern const struct http_route lifecircle_routes[];

#endif
