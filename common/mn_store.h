/*
 * The index: one SQLite database holding meetings, people, passages and an
 * FTS5 table over the passages (external content, so text is stored once).
 *
 * Schema (version MN_SCHEMA_VERSION, kept in PRAGMA user_version):
 *   meta(key, value)              language, creating program version
 *   roots(path)                   folders and files given to the indexer
 *   meetings(id, path, ...)       one row per file: title, series, date
 *                                 (the first), dates (a list),
 *                                 size/mtime/hash for incremental runs
 *   people(id, name, scope)       one row per person across all files; a
 *                                 single name is scoped by its series
 *   aliases(alias, person_id)     other names a person goes by, including
 *                                 the raw speaker labels resolved to them
 *   attendance(meeting_id, person_id, org)
 *   passages(id, meeting_id, line, end_line, col, kind, speaker_label,
 *            speaker, topic_path, date, owners, text)
 *                                 topic_path and owners are lists joined
 *                                 by MN_LIST_SEP (U+001F); date is the
 *                                 session's, else the meeting's first
 *                                 (indexed, for date filters)
 *   passage_people(passage_id, person_id, role)   speakers and owners
 *   passages_fts(text, topic, title)  FTS5, content from view passages_content
 *
 * Passages of one meeting get consecutive ids, so a meeting is a rowid range.
 */
#ifndef MN_STORE_H
#define MN_STORE_H

#include <sqlite3.h>
#include <stdint.h>

#include "mn_doc.h"
#include "mn_util.h"

#define MN_SCHEMA_VERSION 3

/* Roles of a person in passage_people. */
enum mn_role { MN_ROLE_SPEAKER = 0, MN_ROLE_OWNER = 1 };

enum mn_store_mode {
	MN_STORE_READ,  /* search: the index must exist */
	MN_STORE_WRITE, /* index: created (with its folders) when missing */
};

struct mn_store;

/* What the indexer knows of a file on disk, for incremental runs. */
struct mn_file_info {
	int64_t size;
	int64_t mtime_ns;
	const char *hash; /* hex digest of the content, or NULL */
};

/*
 * Opens the index at path. In MN_STORE_WRITE mode a missing index is created
 * with the given stemming language (NULL: English); an existing one keeps
 * its own. On failure *out is NULL and err says why: MN_ERR_NOENT (no
 * index), MN_ERR_SCHEMA (another version or not ours), MN_ERR_DB.
 */
int mn_store_open(struct mn_store **out, const char *path, enum mn_store_mode mode,
		  const char *language, struct mn_err *err);

/* Closes the index; accepts NULL. */
void mn_store_close(struct mn_store *store);

/* The SQLite connection (borrowed). */
sqlite3 *mn_store_db(struct mn_store *store);

/* The path the store was opened with (borrowed). */
const char *mn_store_path(const struct mn_store *store);

/* The stemming language the index was built with (borrowed). */
const char *mn_store_language(const struct mn_store *store);

int mn_store_begin(struct mn_store *store, struct mn_err *err);
int mn_store_commit(struct mn_store *store, struct mn_err *err);
/* Rolls back an open transaction; harmless when none is open. */
void mn_store_rollback(struct mn_store *store);

/* Records a folder or file given to the indexer, for later runs without paths. */
int mn_store_add_root(struct mn_store *store, const char *path, struct mn_err *err);

/*
 * Adds doc as the meeting at doc->path, replacing what the index held for
 * that path (*replaced says whether there was something; may be NULL).
 * Call inside a transaction.
 */
int mn_store_add_doc(struct mn_store *store, const struct mn_doc *doc,
		     const struct mn_file_info *info, int *replaced, struct mn_err *err);

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
 * passages), the passages become theirs. Call inside the transaction that
 * added the documents; *resolved (may be NULL) counts the passages changed.
 */
int mn_store_resolve_labels(struct mn_store *store, int64_t *resolved, struct mn_err *err);

/*
 * Checks the database (PRAGMA integrity_check) and the FTS5 index against
 * its content (FTS5 'integrity-check'). Returns MN_OK when both pass, else
 * MN_ERR_DB with the first problem in err.
 */
int mn_store_check(struct mn_store *store, struct mn_err *err);

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
