/* Route tables of the ledger module: the ledger (/api/v1/ledger/) and the supervision clues
 * (/api/v1/supervision/ and the public 码上举报 intake). */
#ifndef LEDGER_LEDGER_API_H
#define LEDGER_LEDGER_API_H

#include "http/http.h"

extern const struct http_route ledger_routes[];
extern const struct http_route ledger_supervision_routes[];

#endif
