/*
 * Watching the indexed folders for changes (inotify on Linux), for
 * "minutes-index --watch". Changes come in batches: after the first event
 * the watcher waits until things are quiet, so that a burst (a checkout, a
 * sync, an editor's save dance) becomes one indexing run.
 */
#ifndef MN_WATCH_H
#define MN_WATCH_H

#include <signal.h>
#include <stddef.h>

#include "mn_store.h"
#include "mn_util.h"

struct mn_watch;

/*
 * Starts watching roots (folders recursively, skipping hidden entries; a
 * file through its folder). On failure *out is NULL: MN_ERR_USAGE where
 * inotify does not exist, MN_ERR_IO when the system refuses.
 */
int mn_watch_open(struct mn_watch **out, const struct mn_root *roots, size_t n, struct mn_err *err);

/*
 * Waits for changes and returns them as a new array of *n roots (free with
 * mn_roots_free): files and folders that changed, appeared or vanished,
 * with the path as the roots give it, so that mn_index_run can take them
 * as they are. A batch closes after quiet_ms without events, or max_ms
 * after its first one. Returns MN_OK with *n 0 when *stop became non-zero
 * (checked at least every quarter second). When events were lost (queue
 * overflow) the batch is the roots themselves.
 */
int mn_watch_wait(struct mn_watch *w, int quiet_ms, int max_ms, const volatile sig_atomic_t *stop,
		  struct mn_root **out, size_t *n, struct mn_err *err);

/* Number of folders watched. */
size_t mn_watch_count(const struct mn_watch *w);

/* Stops watching; accepts NULL. */
void mn_watch_close(struct mn_watch *w);

#endif
