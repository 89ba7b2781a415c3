/*
 * The index: one SQLite database holding meetings, people, passages and an
 * FTS5 table over the passages (external content, so text is stored once).
 *
 * Schema (version MN_SCHEMA_VERSION, kept in PRAGMA user_version):
 *   meta(key, value)              language, creating program version
 *   roots(path, base)             folders and files given to the indexer, and
 *                                 the folder a relative one was given in
 *   meetings(id, path, ...)       one row per file: title, series, date
 *                                 (the first), dates (a list),
 *                                 size/mtime/hash for incremental runs
 *                                 (hash: the content's digest, then '/'
 *                                 and the people file's when one was
 *                                 applied)
 *   people(id, name, scope)       one row per person across all files; a
 *                                 single name is scoped by its series
 *   aliases(alias, person_id)     other names a person goes by, including
 *                                 the raw speaker labels resolved to them,
 *                                 once each
 *   alias_uses(meeting_id, alias, person_id)
 *                                 the meetings that give each name
 *   attendance(meeting_id, person_id, org, line)
 *   passages(id, meeting_id, line, end_line, col, kind, speaker_label,
 *            speaker, topic_id, date, owners, text, ntok)
 *                                 topic_id numbers the topic path in
 *                                 dict_topics; owners is a list joined by
 *                                 MN_LIST_SEP (U+001F); date is the
 *                                 session's when it differs from the
 *                                 meeting's, else NULL; ntok counts the
 *                                 text's tokens (for bm25); text is plain
 *                                 or packed (mn_ztext.h): read it through
 *                                 minutes_text(text)
 *   passage_people(passage_id, person_id, role)   speakers and owners
 *   terms(term)                   every stem FTS5 was given (a few may no
 *                                 longer be in any passage), for "did you
 *                                 mean" to read without counting passages
 *   passages_fts(text, topic, title)  FTS5, content from view passages_content
 *   passages_vocab                fts5vocab of passages_fts (rows per term)
 *   cols, dict_*, person_chunks   the passages' columns, the names they
 *                                 number and each person's passages by chunk
 *                                 (mn_cols.h), rebuilt at every commit for
 *                                 the chunks it changed
 *   topic_classes(id, parts, heads), topic_chunks(chunk, data)
 *                                 each topic's heading classes, alone and
 *                                 4096 topics to a row (mn_cols.h)
 *   text_dicts(id, dict)          the zstd dictionaries packed text names
 *
 * Passages of one meeting get consecutive ids, so a meeting is a rowid range.
 */
#ifndef MN_STORE_H
#define MN_STORE_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "mn_doc.h"
#include "mn_util.h"

#define MN_SCHEMA_VERSION 8

/* Roles of a person in passage_people. */
enum mn_role { MN_ROLE_SPEAKER = 0, MN_ROLE_OWNER = 1 };

enum mn_store_mode {
	MN_STORE_READ,	  /* search: the index must exist */
	MN_STORE_WRITE,	  /* index: created (with its folders) when missing */
	MN_STORE_REBUILD, /* index: emptied first (under the writer lock), then created */
};

/* How long a writer waits for another one by default, in milliseconds. */
#define MN_STORE_TIMEOUT_MS 5000

struct mn_store_opts {
	enum mn_store_mode mode;
	const char *language; /* of a new index; NULL: English */
	int lock;	      /* WRITE: take the writer lock (REBUILD always does) */
	int timeout_ms;	      /* wait for the lock and SQLite's locks; 0: the default */
	size_t train_after;   /* text to see before packing it (mn_ztext.h); 0: the default */
	int cache_pages;      /* SQLite's page cache, in pages; 0: the default */
	size_t filters_after; /* hashes before the writer's filters are saved (mn_cols.h); 0: the
				 default */
};

/*
 * The page cache of a process that runs one search and exits: it reads
 * most pages once, and with a cache this small SQLite reuses the same few
 * buffers rather than taking new memory for every page read, whose first
 * touch costs more than the read (half the page faults of a one-shot
 * search; see BENCHMARKS.md). Interior pages of the B-trees still stay.
 */
#define MN_STORE_ONE_SHOT_PAGES 32

struct mn_store;

/* What the indexer knows of a file on disk, for incremental runs. */
struct mn_file_info {
	int64_t size;
	int64_t mtime_ns; /* -1: unknown, so the content is checked next time */
	const char *hash; /* hex digest of the content, or NULL */
};

/* A folder or file given to the indexer. */
struct mn_root {
	char *path; /* as given */
	char *base; /* the absolute folder a relative path was given in, or NULL */
};

/*
 * Opens the index at path. In MN_STORE_WRITE mode a missing index is created
 * with the given stemming language (NULL: English); an existing one keeps
 * its own. The same as mn_store_open_opts without the writer lock.
 */
int mn_store_open(struct mn_store **out, const char *path, enum mn_store_mode mode,
		  const char *language, struct mn_err *err);

/*
 * Opens the index at path as opts says. Writing modes check first that the
 * folder and file may be written (MN_ERR_IO otherwise, before anything
 * changes). With opts->lock, or in REBUILD mode, the writer lock is taken
 * (see mn_store_lock) before SQLite opens the file; REBUILD then empties the
 * file and removes its -wal and -shm files. On failure *out is NULL and err
 * says why: MN_ERR_NOENT (no index), MN_ERR_SCHEMA (another version, not
 * ours, not SQLite: the message points to --rebuild), MN_ERR_BUSY (another
 * writer kept the lock for opts->timeout_ms), MN_ERR_IO, MN_ERR_DB.
 */
int mn_store_open_opts(struct mn_store **out, const char *path, const struct mn_store_opts *opts,
		       struct mn_err *err);

/* Closes the index (and releases the writer lock); accepts NULL. */
void mn_store_close(struct mn_store *store);

/*
 * The writer lock: one indexer at a time updates an index, however many
 * transactions it commits on the way. It is an flock() on the index file,
 * so the system releases it when the process dies, even by kill -9.
 * mn_store_lock waits up to the store's timeout, then fails with
 * MN_ERR_BUSY; taking it twice is harmless. Only stores opened for writing
 * can lock. Readers never take it.
 */
int mn_store_lock(struct mn_store *store, struct mn_err *err);
void mn_store_unlock(struct mn_store *store);

/* The SQLite connection (borrowed). */
sqlite3 *mn_store_db(struct mn_store *store);

/* The path the store was opened with (borrowed). */
const char *mn_store_path(const struct mn_store *store);

/* The stemming language the index was built with (borrowed). */
const char *mn_store_language(const struct mn_store *store);

/* The columns of the passages (see mn_cols.h); borrowed, valid while store is open. */
/* The state of its passages' text as stored (mn_ztext.h). */
struct mn_ztext *mn_store_ztext(struct mn_store *store);

/*
 * What the last failed statement of store's database said: SQLite's
 * message, or the text's own when reading a passage's text failed (FTS5
 * passes such an error on as a bare "SQL logic error").
 */
const char *mn_store_errmsg(struct mn_store *store);

struct mn_cols *mn_store_cols(struct mn_store *store);

/*
 * Starts a read transaction unless one is open (*began says whether), so
 * that everything a search reads comes from the same state of the index;
 * mn_store_read_end(store, *began) ends it.
 */
int mn_store_read_begin(struct mn_store *store, int *began, struct mn_err *err);
void mn_store_read_end(struct mn_store *store, int began);

int mn_store_begin(struct mn_store *store, struct mn_err *err);
int mn_store_commit(struct mn_store *store, struct mn_err *err);
/* Rolls back an open transaction; harmless when none is open. */
void mn_store_rollback(struct mn_store *store);

/*
 * A savepoint around one file inside a transaction: released, the file's
 * changes stay in the transaction; rolled back, the file is as it was
 * before (harmless when no savepoint is open).
 */
int mn_store_savepoint(struct mn_store *store, struct mn_err *err);
int mn_store_release(struct mn_store *store, struct mn_err *err);
void mn_store_rollback_savepoint(struct mn_store *store);

/*
 * Records a folder or file given to the indexer, for later runs without
 * paths; base is the folder a relative path is relative to (NULL or "" for
 * an absolute one).
 */
int mn_store_add_root(struct mn_store *store, const char *path, const char *base,
		      struct mn_err *err);
/*
 * The files known by a path that is from, or under the folder from, known
 * from now on by to in its place (to + the rest of the path); one already
 * known by the new path keeps its own. Call inside a writing transaction.
 */
int mn_store_respell(struct mn_store *store, const char *from, const char *to, struct mn_err *err);
/* Forgets a recorded root (its files stay until they are removed). */
int mn_store_remove_root(struct mn_store *store, const char *path, const char *base,
			 struct mn_err *err);
/*
 * The recorded roots, in a new array of *n (free with mn_roots_free); a
 * root's base is NULL when its path is absolute.
 */
int mn_store_roots(struct mn_store *store, struct mn_root **out, size_t *n, struct mn_err *err);
void mn_roots_free(struct mn_root *roots, size_t n);

/*
 * Calls fn for every indexed file in path order with what was recorded of
 * it (both borrowed for the call only).
 */
typedef int (*mn_store_file_fn)(void *ctx, const char *path, const struct mn_file_info *info);
int mn_store_files(struct mn_store *store, mn_store_file_fn fn, void *ctx, struct mn_err *err);

/* Records new size, mtime and hash for an indexed file whose content did not change. */
int mn_store_touch(struct mn_store *store, const char *path, const struct mn_file_info *info,
		   struct mn_err *err);

/*
 * Adds doc as the meeting at doc->path, replacing what the index held for
 * that path (*replaced says whether there was something; may be NULL).
 * Call inside a transaction.
 */
int mn_store_add_doc(struct mn_store *store, const struct mn_doc *doc,
		     const struct mn_file_info *info, int *replaced, struct mn_err *err);

/*
 * Appends the passages of part (a later piece of a file read in pieces) to
 * the meeting already stored at path; part's meeting fields are ignored.
 * Call inside the transaction of mn_store_add_doc.
 */
int mn_store_add_passages(struct mn_store *store, const char *path, const struct mn_doc *part,
			  struct mn_err *err);

/*
 * Removes the meeting at path and its passages; *removed (may be NULL) says
 * whether there was one.
 */
int mn_store_remove(struct mn_store *store, const char *path, int *removed, struct mn_err *err);

/*
 * Resolves speaker labels that their own minutes left unresolved ("SYG" on
 * a day whose notes lack the attendee table) through the other meetings of
 * the same series: when exactly one person of the series goes by that
 * label (as an attendee alias, or as the label of their resolved
 * passages), the passages become theirs. Only the series of meetings added
 * or removed through this store since the last call are looked at. Call
 * inside the transaction that added the documents; *resolved (may be NULL)
 * counts the passages changed.
 */
int mn_store_resolve_labels(struct mn_store *store, int64_t *resolved, struct mn_err *err);

/*
 * Removes the people no meeting and no passage refers to any more (their
 * files were removed, or indexed again with other names) and their
 * aliases. Call inside a transaction; *pruned (may be NULL) counts them.
 */
int mn_store_prune_people(struct mn_store *store, int64_t *pruned, struct mn_err *err);

/*
 * Checks the database (PRAGMA integrity_check and foreign_key_check) and
 * the FTS5 index against its content (FTS5 'integrity-check', which needs
 * a store opened for writing). Returns MN_OK when all pass, else MN_ERR_DB
 * with the first problem in err.
 */
int mn_store_check(struct mn_store *store, struct mn_err *err);

/* Merges the FTS5 indexes into one segment each (after large changes). Call in a transaction. */
int mn_store_optimize(struct mn_store *store, struct mn_err *err);

/*
 * Sets how FTS5 merges the passages' segments as they are written: for a
 * bulk run (many passages, merged into one segment at its end by
 * mn_store_optimize), not at all until a level holds MN_STORE_BULK_MERGE
 * of them (about 400 at a million passages: the optimize is then the one
 * merge), which rewrites the index fewer times; else FTS5's defaults (4,
 * and 16 at the latest), which keep the segments that searches read few.
 * Writes only what the index has set otherwise. Call in a transaction.
 */
#define MN_STORE_BULK_MERGE 512
int mn_store_set_bulk(struct mn_store *store, int bulk, struct mn_err *err);

/* Counts rows of the main tables, for summaries. */
struct mn_store_counts {
	int64_t meetings, passages, people;
};
int mn_store_counts(struct mn_store *store, struct mn_store_counts *out, struct mn_err *err);

/*
 * The index path used when none is given: $MINUTES_DB, else
 * $XDG_DATA_HOME/minutes/index.db, else ~/.local/share/minutes/index.db.
 * Returns a new string (caller frees), or NULL when no home is known.
 */
char *mn_store_default_path(void);

#endif
