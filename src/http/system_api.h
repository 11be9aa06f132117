/* Routes of the server itself: health and version. */
#ifndef HTTP_SYSTEM_API_H
#define HTTP_SYSTEM_API_H

#include "http/http.h"

#define ZHIZHI_VERSION "0.1.0"

extern const struct http_route system_routes[];

#endif
