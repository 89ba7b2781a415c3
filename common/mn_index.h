/*
 * Indexing: walks the files and folders it is given, reads each minutes
 * file, parses it and stores it. What happens to every file is reported
 * through a callback so that the program decides what to print.
 */
#ifndef MN_INDEX_H
#define MN_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "mn_store.h"
#include "mn_util.h"

enum mn_index_event_type {
	MN_INDEX_ADDED,     /* a file seen for the first time was indexed */
	MN_INDEX_UPDATED,   /* a known file was indexed again */
	MN_INDEX_SKIPPED,   /* a file could not be indexed; reason says why */
	MN_INDEX_IGNORED,   /* not a kind of file we read (by extension) */
};

struct mn_index_event {
	enum mn_index_event_type type;
	const char *path;
	const char *reason;  /* SKIPPED: why, in git's style */
	size_t passages;     /* ADDED, UPDATED */
	uint64_t bytes;
};

typedef void (*mn_index_fn)(void *ctx, const struct mn_index_event *ev);

struct mn_index_opts {
	const char *const *paths; /* files and folders, as the user gave them */
	size_t npaths;
	mn_index_fn on_event;     /* may be NULL */
	void *ctx;
};

struct mn_index_stats {
	size_t added, updated, skipped, ignored;
	size_t passages;
	uint64_t bytes;
};

/* Largest file read; bigger ones are skipped with a message. */
#define MN_INDEX_MAX_FILE (256u << 20)

/*
 * Indexes opts->paths into store in one transaction. Folders are walked
 * recursively in name order, skipping hidden entries; files keep the path
 * as given (relative stays relative). Problems with single files are
 * reported as SKIPPED events and do not fail the run; a failure of the
 * index itself rolls everything back and returns its error.
 */
int mn_index_run(struct mn_store *store, const struct mn_index_opts *opts,
		 struct mn_index_stats *stats, struct mn_err *err);

#endif
