/* HTTP face of the administrators' org writes (org_write.h): their route table. */
#ifndef ORG_ORG_WRITE_API_H
#define ORG_ORG_WRITE_API_H

#include "http/http.h"

/* POST/PATCH departments, POST/PATCH posts of a board, POST/PATCH/DELETE grid team members,
 * PATCH regions (rename); every route needs "org.write". */
extern const struct http_route org_write_routes[];

#endif
