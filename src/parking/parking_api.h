/* HTTP face of shared parking at /api/v1/parking/ (docs/parking.md). */
#ifndef PARKING_PARKING_API_H
#define PARKING_PARKING_API_H

#include "http/http.h"

/* Lots, plans, availability, bookings, gate events, alerts and figures. */
extern const struct http_route parking_routes[];

#endif
