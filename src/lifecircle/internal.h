/* Internals of the lifecircle module shared by its files (lifecircle.c, import.c, reach.c):
 * the loaded network under its lock, snapping, jurisdiction and placing points in regions. */
#ifndef LIFECIRCLE_INTERNAL_H
#define LIFECIRCLE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lifecircle/network.h"

struct app;
struct app_error;
struct auth_principal;
struct db;

/* Snapping further than this leaves a point off the network (not reached). */
#define SNAP_MAX_M 500.0
#define DISTRICT_CODE "500103"
/* Append v to a list struct {items, len, cap}. */
#define PUSH(list, v)                                                                              \
    do {                                                                                           \
        XGROW(list);                                                                               \
        (list)->items[(list)->len++] = (v);                                                        \
    } while (0)

/* The loaded graph of profile (its reverse when reversed) with the network's read lock held;
 * release with lifecircle_net_unlock. NULL with APP_ERR_NOT_FOUND no_network (and no lock
 * held) when no network is loaded. */
const struct lc_graph *lifecircle_net_read(enum lc_profile_id profile, bool reversed,
                                           struct app_error *err);
void lifecircle_net_unlock(void);

/* The node a point snaps to, or UINT32_MAX when more than SNAP_MAX_M from the network. Call
 * with the read lock held. */
uint32_t lifecircle_snap(const struct lc_graph *g, double lon, double lat);

/* Is a record of region (possibly "": outside every region, the district's) inside who's
 * jurisdiction? who NULL (the command line) sees everything. */
bool lifecircle_in_scope(const struct auth_principal *who, const char *region);

/* The community code a point lies in into region, "" outside every grid. */
void lifecircle_locate(struct app *app, struct db *db, double lon, double lat, char *region,
                       size_t n);

#endif
