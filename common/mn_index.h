/*
 * Indexing: walks the files and folders it is given (or those recorded in
 * the index), and brings the index up to date with them: new files are
 * added, changed ones indexed again, vanished ones removed, and unchanged
 * ones (same size and mtime, or same content) left alone. What happens to
 * every file is reported through a callback so that the program decides
 * what to print.
 */
#ifndef MN_INDEX_H
#define MN_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "mn_aliases.h"
#include "mn_store.h"
#include "mn_util.h"

enum mn_index_event_type {
	MN_INDEX_ADDED,	    /* a file seen for the first time was indexed */
	MN_INDEX_CHANGED,   /* a known file whose content (or people file) changed: indexed again */
	MN_INDEX_REMOVED,   /* a known file is gone and left the index */
	MN_INDEX_UNCHANGED, /* a known file is as it was */
	MN_INDEX_SKIPPED,   /* a file could not be indexed; why and reason say why */
	MN_INDEX_IGNORED,   /* not a kind of file we read (by extension) */
	MN_INDEX_COMMITTED, /* a batch was committed: searches now see it (path NULL) */
	MN_INDEX_PLANNED,   /* the walk is done: progress has the totals (path NULL) */
};

/* Why a file was skipped, for counting; the event's reason has the details. */
enum mn_index_skip {
	MN_SKIP_NONE,	    /* not a SKIPPED event */
	MN_SKIP_UNREADABLE, /* cannot be opened or read (permissions, I/O error) */
	MN_SKIP_BINARY,	    /* NUL bytes near its start */
	MN_SKIP_TOO_LARGE,  /* larger than MN_INDEX_MAX_FILE */
	MN_SKIP_BAD_NAME,   /* its name is not valid UTF-8 */
	MN_SKIP_LOOP,	    /* a symbolic link loop, or a link to a parent folder */
	MN_SKIP_SPECIAL,    /* named explicitly, but not a regular file or folder */
	MN_SKIP_FORMAT,	    /* read, but the parser cannot use it */
	MN_SKIP_MISSING,    /* a root (or a file found by the walk) is no longer there */
	MN_SKIP_COUNT
};

/*
 * How far a run is. The walk comes first: it decides which files must be
 * read (new ones, and known ones whose size or mtime changed) and counts
 * them and their bytes; then they are read and indexed one by one.
 */
struct mn_index_progress {
	size_t files;	   /* files to read, known at PLANNED (0 before) */
	uint64_t bytes;	   /* their size on disk when walked */
	size_t files_done; /* of those, read and decided (indexed, unchanged or skipped) */
	uint64_t bytes_done;
};

struct mn_index_event {
	enum mn_index_event_type type;
	const char *path;	/* as stored: relative paths stay relative */
	const char *reason;	/* SKIPPED, IGNORED: why, without the path */
	size_t passages;	/* ADDED, CHANGED */
	uint64_t bytes;		/* ADDED, CHANGED: size of the file */
	enum mn_index_skip why; /* SKIPPED: the kind of reason */
	int people_changed;	/* CHANGED: same content, indexed again for the new people file */
	/*
	 * Where the run is, this event included: a file read after the walk
	 * counts as done in the event that decides it.
	 */
	struct mn_index_progress progress;
};

typedef void (*mn_index_fn)(void *ctx, const struct mn_index_event *ev);

struct mn_index_opts {
	/*
	 * The files and folders to bring up to date, as the user gave them
	 * (base NULL: relative to the working folder). With none, the roots
	 * recorded in the index are used, each relative to its recorded base.
	 */
	const struct mn_root *roots;
	size_t nroots;
	/*
	 * Folders walked with the roots (the config file's): never recorded,
	 * and treated as recorded roots (a vanished one keeps its files). A
	 * folder that is, or lies under, another root is walked once, as the
	 * first root that covers it is.
	 */
	const char *const *folders;
	size_t nfolders;
	int record;	    /* remember opts->roots for later runs without paths */
	int dry_run;	    /* decide and report, but write nothing */
	int missing_ok;	    /* a root that does not exist and held nothing is no error */
	size_t batch_files; /* commit after this many written files (0: 256; bulk: 4096) */
	double batch_ms;    /* or after this long (0: 1000 ms; bulk: 5000 ms) */
	size_t piece_bytes; /* files larger than 2 * this are read in pieces (0: 4 MB) */
	/*
	 * A run planned to read this much or more, and at least a quarter of
	 * what the index held, merges FTS5's segments in bulk (mn_store_set_bulk)
	 * until its end (0: 4 MB).
	 */
	uint64_t bulk_bytes;
	/*
	 * The user's people alias file, or NULL. Every file records the
	 * digest of the table it was indexed with (mn_aliases_digest), so a
	 * file indexed with another table (or with none, or with one when
	 * this is NULL) is indexed again even when its content is unchanged.
	 */
	const struct mn_aliases *aliases;
	/*
	 * Tokenize passages only as FTS5 inserts them (for tests, which hold
	 * the index to the same as with the tokens recorded while parsing).
	 */
	int no_tapes;
	mn_index_fn on_event; /* may be NULL */
	void *ctx;
};

struct mn_index_stats {
	size_t added, changed, removed, unchanged, skipped, ignored;
	size_t people_changed;		  /* of changed: only the people file had changed */
	size_t skipped_by[MN_SKIP_COUNT]; /* skipped, by why */
	size_t passages;		  /* passages written */
	size_t commits;
	uint64_t bytes; /* bytes of the files indexed */
};

/* Largest file read; bigger ones are skipped with a message. */
#define MN_INDEX_MAX_FILE ((uint64_t)1 << 30)

/*
 * Brings the index up to date with opts->roots (see mn_index_opts).
 *
 * Folders are walked recursively in name order, skipping hidden entries;
 * files keep the path as given (relative stays relative). A file is read
 * again only when its size or mtime changed (or the people file did), and
 * indexed again only when its content (or the people file) did. The whole
 * walk comes before the first file is read: the PLANNED event says how
 * many files and bytes are to be read, for a progress display, and
 * problems found by the walk (a name, a loop) are reported before it.
 * Known files that are no longer under a walked root are removed, except
 * under a folder that could not be read, and except for a recorded root
 * that is gone altogether (reported as SKIPPED: a missing disk must not
 * empty the index); a root given explicitly that is gone has its files
 * removed and is forgotten.
 *
 * Each file is written whole or not at all, in batches of transactions:
 * searches see every committed file complete, and a crash loses at most
 * the batch in progress. Files larger than twice opts->piece_bytes are read
 * and parsed in pieces cut at blank lines, so memory stays bounded.
 *
 * Takes the store's writer lock (mn_store_lock) unless dry_run, and keeps
 * it. Problems with single files are SKIPPED events and do not fail the
 * run (a skipped file keeps what the index held for it); a failure of the
 * index itself (disk full, read-only, damaged) rolls back the batch in
 * progress, keeps what earlier batches committed, and returns its error.
 */
int mn_index_run(struct mn_store *store, const struct mn_index_opts *opts,
		 struct mn_index_stats *stats, struct mn_err *err);

/*
 * The roots a run without paths walks, each once: those recorded in the
 * index, then the folders (which are not recorded), leaving out any that
 * is, or lies under, an earlier or wider one (compared as absolute paths).
 * Returns a new array of *n roots (free with mn_roots_free), for watching
 * what such a run indexes.
 */
int mn_index_roots(struct mn_store *store, const char *const *folders, size_t nfolders,
		   struct mn_root **out, size_t *n, struct mn_err *err);

#endif
