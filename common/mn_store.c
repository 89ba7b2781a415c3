#include "mn_store.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mn_cols.h"
#include "mn_exec.h"
#include "mn_text.h"
#include "mn_tokenizer.h"
#include "mn_ztext.h"

/* Statements, prepared on first use and finalized together in mn_store_close. */
enum stmt_id {
	ST_MEETING_BY_PATH,
	ST_FTS_DELETE_MEETING,
	ST_DELETE_PASSAGE_PEOPLE,
	ST_DELETE_PASSAGES,
	ST_DELETE_ATTENDANCE,
	ST_DELETE_MEETING,
	ST_INSERT_MEETING,
	ST_INSERT_PASSAGE,
	ST_INSERT_FTS,
	ST_PERSON_BY_NAME,
	ST_PEOPLE_LIKE,
	ST_INSERT_PERSON,
	ST_INSERT_ALIAS,
	ST_INSERT_ALIAS_USE,
	ST_DELETE_ALIASES,
	ST_DELETE_ALIAS_USES,
	ST_INSERT_ATTENDANCE,
	ST_INSERT_PASSAGE_PERSON,
	ST_INSERT_ROOT,
	ST_DELETE_ROOT,
	ST_RESPELL,
	ST_ROOTS,
	ST_FILES,
	ST_TOUCH,
	ST_MEETING_TITLE,
	ST_MEETING_RANGE,
	ST_NEXT_PASSAGE,
	ST_INSERT_TERM,
	ST_FTS_SETTING,
	ST_SERIES_ALL,
	ST_SERIES_HELD,
	ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
    [ST_MEETING_BY_PATH] =
	"SELECT id, series, first_passage, last_passage FROM meetings WHERE path = ?1",
    [ST_FTS_DELETE_MEETING] =
	"INSERT INTO passages_fts(passages_fts, rowid, text, topic, title) "
	"SELECT 'delete', p.id, minutes_text(p.text), t.path, m.title FROM passages p "
	"JOIN meetings m ON m.id = p.meeting_id LEFT JOIN dict_topics t ON t.id = p.topic_id "
	"WHERE p.id BETWEEN ?2 AND ?3",
    [ST_DELETE_PASSAGE_PEOPLE] = "DELETE FROM passage_people WHERE passage_id BETWEEN ?2 AND ?3",
    [ST_DELETE_PASSAGES] = "DELETE FROM passages WHERE id BETWEEN ?2 AND ?3",
    [ST_DELETE_ATTENDANCE] = "DELETE FROM attendance WHERE meeting_id = ?1",
    [ST_DELETE_MEETING] = "DELETE FROM meetings WHERE id = ?1",
    [ST_INSERT_MEETING] =
	"INSERT INTO meetings(path, format, title, series, date, dates, size, mtime_ns, "
	"hash, indexed_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
	"CAST(strftime('%s','now') AS INTEGER))",
    [ST_INSERT_PASSAGE] =
	"INSERT INTO passages(meeting_id, line, end_line, col, kind, speaker_label, "
	"speaker, topic_id, date, owners, text, id, ntok) "
	"VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    [ST_INSERT_FTS] = "INSERT INTO passages_fts(rowid, text, topic, title) VALUES(?1, ?2, ?3, ?4)",
    [ST_PERSON_BY_NAME] = "SELECT id FROM people WHERE name = ?1 AND scope = ?2",
    [ST_PEOPLE_LIKE] = "SELECT id, name FROM people WHERE scope = '' AND name LIKE ?1 ESCAPE '\\'",
    [ST_INSERT_PERSON] = "INSERT INTO people(name, scope) VALUES(?1, ?2)",
    [ST_INSERT_ALIAS] = "INSERT OR IGNORE INTO aliases(alias, person_id) VALUES(?1, ?2)",
    [ST_INSERT_ALIAS_USE] =
	"INSERT OR IGNORE INTO alias_uses(meeting_id, alias, person_id) VALUES(?3, ?1, ?2)",
    [ST_DELETE_ALIASES] =
	"DELETE FROM aliases WHERE (alias, person_id) IN "
	"(SELECT alias, person_id FROM alias_uses WHERE meeting_id = ?1) "
	"AND NOT EXISTS (SELECT 1 FROM alias_uses u WHERE u.alias = aliases.alias "
	"AND u.person_id = aliases.person_id AND u.meeting_id <> ?1)",
    [ST_DELETE_ALIAS_USES] = "DELETE FROM alias_uses WHERE meeting_id = ?1",
    [ST_INSERT_ATTENDANCE] = "INSERT OR IGNORE INTO attendance(meeting_id, person_id, org, line) "
			     "VALUES(?1, ?2, ?3, ?4)",
    [ST_INSERT_PASSAGE_PERSON] =
	"INSERT OR IGNORE INTO passage_people(passage_id, person_id, role) "
	"VALUES(?1, ?2, ?3)",
    [ST_INSERT_ROOT] = "INSERT OR IGNORE INTO roots(path, base) VALUES(?1, ?2)",
    [ST_DELETE_ROOT] = "DELETE FROM roots WHERE path = ?1 AND base = ?2",
    [ST_RESPELL] = "UPDATE OR IGNORE meetings SET path = ?2 || substr(path, length(?1) + 1) "
		   "WHERE path = ?1 OR substr(path, 1, length(?1) + 1) = ?1 || '/'",
    [ST_ROOTS] = "SELECT path, base FROM roots ORDER BY base, path",
    [ST_FILES] = "SELECT path, size, mtime_ns, hash FROM meetings ORDER BY path",
    [ST_TOUCH] = "UPDATE meetings SET size = ?2, mtime_ns = ?3, hash = ?4 WHERE path = ?1",
    [ST_MEETING_TITLE] = "SELECT id, title, series, date FROM meetings WHERE path = ?1",
    [ST_MEETING_RANGE] = "UPDATE meetings SET first_passage = coalesce(first_passage, ?2), "
			 "last_passage = ?3 WHERE id = ?1",
    [ST_NEXT_PASSAGE] = "SELECT coalesce(max(id), 0) + 1 FROM passages",
    [ST_INSERT_TERM] = "INSERT OR IGNORE INTO terms(term) VALUES(?1)",
    [ST_FTS_SETTING] = "SELECT v FROM passages_fts_config WHERE k = ?1",
    [ST_SERIES_ALL] = "SELECT DISTINCT series FROM meetings WHERE series IS NOT NULL ORDER BY 1",
    [ST_SERIES_HELD] = "SELECT 1 FROM meetings WHERE series = ?1 LIMIT 1",
};

/* Stems remembered as written to terms, at most (then forgotten, and written again). */
#define TERMS_SEEN_MAX (1 << 17)

struct mn_store {
	sqlite3 *db;
	char *path;
	char *language;
	sqlite3_stmt *stmts[ST_COUNT];
	struct mn_cols *cols; /* the passages' columns, read and written through this */
	struct mn_ztext *ztext; /* their text as stored (owned by db) */
	int64_t next_passage; /* the id the next passage gets; 0: to be read */
	int lock_fd;	      /* the index file, opened for flock; -1 when unused */
	int locked;	      /* this process holds the writer lock */
	int timeout_ms;	      /* how long to wait for the lock and for SQLite's locks */
	int schema;	      /* the index's schema version as opened (after 4 became 5) */
	/* Series of the meetings added or removed since labels were last resolved. */
	char **touched;
	size_t ntouched, touched_cap;
	/*
	 * Stems of the passages written: those in terms (or on their way), by
	 * their 64-bit hashes (open addressing, 0 for an empty slot), and those
	 * to add at commit.
	 */
	uint64_t *terms_seen;
	size_t nterms_seen, terms_seen_cap;
	char **terms_new;
	size_t nterms_new, terms_new_cap;
	/*
	 * The spellings of the index's series (series_spelling), by folded
	 * name (value: index + 1 into spellings); read when first needed in a
	 * transaction (another writer may have added some before it), and
	 * checked against the meetings when a meeting spells one otherwise
	 * (a rollback or a removal may have taken its meetings).
	 */
	struct mn_strmap series;
	char **spellings;
	size_t nspellings, spellings_cap;
	int series_read;
};

static void series_forget(struct mn_store *store);

static const char schema_sql[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;\n"
    "CREATE TABLE roots(\n"
    "  path TEXT NOT NULL,\n"
    "  base TEXT NOT NULL DEFAULT '',\n"
    "  PRIMARY KEY(base, path)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE meetings(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  path TEXT NOT NULL UNIQUE,\n"
    "  format TEXT NOT NULL,\n"
    "  title TEXT,\n"
    "  series TEXT,\n"
    "  date TEXT,\n"
    "  dates TEXT,\n"
    "  size INTEGER,\n"
    "  mtime_ns INTEGER,\n"
    "  hash TEXT,\n"
    "  indexed_at INTEGER,\n"
    /* A meeting's passages have consecutive ids: these, first to last. */
    "  first_passage INTEGER,\n"
    "  last_passage INTEGER\n"
    ");\n"
    "CREATE TABLE people(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL COLLATE NOCASE,\n"
    "  scope TEXT NOT NULL DEFAULT '',\n"
    "  UNIQUE(name, scope)\n"
    ");\n"
    "CREATE TABLE aliases(\n"
    "  alias TEXT NOT NULL COLLATE NOCASE,\n"
    "  person_id INTEGER NOT NULL REFERENCES people(id),\n"
    "  PRIMARY KEY(alias, person_id)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE alias_uses(\n"
    "  meeting_id INTEGER NOT NULL REFERENCES meetings(id),\n"
    "  alias TEXT NOT NULL COLLATE NOCASE,\n"
    "  person_id INTEGER NOT NULL REFERENCES people(id),\n"
    "  PRIMARY KEY(meeting_id, alias, person_id)\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX alias_uses_alias ON alias_uses(alias, person_id);\n"
    "CREATE TABLE attendance(\n"
    "  meeting_id INTEGER NOT NULL REFERENCES meetings(id),\n"
    "  person_id INTEGER NOT NULL REFERENCES people(id),\n"
    "  org TEXT,\n"
    "  line INTEGER,\n"
    "  PRIMARY KEY(meeting_id, person_id)\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX attendance_person ON attendance(person_id);\n"
    "CREATE TABLE passages(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  meeting_id INTEGER NOT NULL REFERENCES meetings(id),\n"
    "  line INTEGER NOT NULL,\n"
    "  end_line INTEGER NOT NULL,\n"
    "  col INTEGER NOT NULL,\n"
    "  kind INTEGER NOT NULL,\n"
    "  speaker_label TEXT,\n"
    "  speaker TEXT,\n"
    "  topic_id INTEGER,\n"
    "  date TEXT,\n"
    "  owners TEXT,\n"
    "  text TEXT NOT NULL,\n"
    "  ntok INTEGER NOT NULL DEFAULT 0\n"
    ");\n"
    "CREATE INDEX meetings_series ON meetings(series);\n"
    /* Passages whose label no one was found for: few, and all label resolution reads. */
    "CREATE INDEX passages_unresolved ON passages(meeting_id)\n"
    "  WHERE speaker_label IS NOT NULL AND speaker = speaker_label;\n"

    "CREATE TABLE passage_people(\n"
    "  passage_id INTEGER NOT NULL REFERENCES passages(id),\n"
    "  person_id INTEGER NOT NULL REFERENCES people(id),\n"
    "  role INTEGER NOT NULL,\n"
    "  PRIMARY KEY(passage_id, person_id, role)\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX passage_people_person ON passage_people(person_id, role);\n"
    "CREATE TABLE terms(term TEXT PRIMARY KEY) WITHOUT ROWID;\n"
    "CREATE VIEW passages_content AS\n"
    "  SELECT p.id AS id, minutes_text(p.text) AS text, t.path AS topic, m.title AS title\n"
    "  FROM passages p JOIN meetings m ON m.id = p.meeting_id\n"
    "  LEFT JOIN dict_topics t ON t.id = p.topic_id;\n";

/* Schema 4 kept all text plain and read it straight, and had no list of stems. */
static const char schema_4_to_5_sql[] =
    "CREATE TABLE terms(term TEXT PRIMARY KEY) WITHOUT ROWID;\n"
    "INSERT OR IGNORE INTO terms SELECT term FROM passages_vocab;\n"
    "DROP VIEW passages_content;\n"
    "CREATE VIEW passages_content AS\n"
    "  SELECT p.id AS id, minutes_text(p.text) AS text, t.path AS topic, m.title AS title\n"
    "  FROM passages p JOIN meetings m ON m.id = p.meeting_id\n"
    "  LEFT JOIN dict_topics t ON t.id = p.topic_id;\n";

/*
 * Records SQLite's last error on store. A damaged file points to --rebuild;
 * an I/O error says what the system said (EFBIG, ENOSPC, EACCES...).
 */
static int db_error(struct mn_store *store, struct mn_err *err, const char *what)
{
	int code = sqlite3_errcode(store->db), sys = sqlite3_system_errno(store->db);
	const char *text_error = mn_ztext_take_error(store->ztext);

	/* FTS5 keeps only the code of an error reading the text; the text's own says more. */
	if (text_error)
		return mn_err_set(err, MN_ERR_DB, "%s '%s': %s", what, store->path, text_error);

	if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
		return mn_err_set(err, MN_ERR_DB,
				  "%s '%s': %s (the index is damaged: rebuild it with "
				  "'minutes-index --rebuild')",
				  what, store->path, sqlite3_errmsg(store->db));
	if ((code == SQLITE_IOERR || code == SQLITE_FULL || code == SQLITE_CANTOPEN ||
	     code == SQLITE_READONLY) &&
	    sys)
		return mn_err_set(err, MN_ERR_IO, "%s '%s': %s (%s)", what, store->path,
				  sqlite3_errmsg(store->db), strerror(sys));
	/* A write that failed without an errno (a short write): most often no room. */
	if (sqlite3_extended_errcode(store->db) == SQLITE_IOERR_WRITE)
		return mn_err_set(err, MN_ERR_IO,
				  "%s '%s': %s (a write failed: the disk may be full, or the "
				  "file at its size limit)",
				  what, store->path, sqlite3_errmsg(store->db));
	if (code == SQLITE_BUSY)
		return mn_err_set(err, MN_ERR_BUSY, "%s '%s': %s", what, store->path,
				  sqlite3_errmsg(store->db));
	return mn_err_set(err,
			  code == SQLITE_FULL || code == SQLITE_READONLY ? MN_ERR_IO : MN_ERR_DB,
			  "%s '%s': %s", what, store->path, sqlite3_errmsg(store->db));
}

static sqlite3_stmt *stmt(struct mn_store *store, enum stmt_id id, struct mn_err *err)
{
	sqlite3_stmt *s = store->stmts[id];

	if (s) {
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		return s;
	}
	if (sqlite3_prepare_v3(store->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
			       &store->stmts[id], NULL) != SQLITE_OK) {
		db_error(store, err, "cannot prepare a statement on");
		return NULL;
	}
	return store->stmts[id];
}

/* Steps s to completion, expecting no rows. */
static int run(struct mn_store *store, sqlite3_stmt *s, struct mn_err *err)
{
	int rc;

	if (!s)
		return err->status;
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_error(store, err, "cannot write to index");
	return MN_OK;
}

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

static int exec(struct mn_store *store, const char *sql, struct mn_err *err)
{
	if (sqlite3_exec(store->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		if (sqlite3_errcode(store->db) == SQLITE_BUSY)
			return mn_err_set(err, MN_ERR_BUSY,
					  "index '%s' is locked by another process: %s",
					  store->path, sqlite3_errmsg(store->db));
		return db_error(store, err, "cannot update index");
	}
	return MN_OK;
}

static void untouch_all(struct mn_store *store)
{
	mn_strv_free(store->touched, store->ntouched);
	store->touched = NULL;
	store->ntouched = store->touched_cap = 0;
}

static int mkdirs_for(const char *path, struct mn_err *err)
{
	char *dir = mn_xstrdup(path);
	char *p;

	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
			mn_err_set(err, MN_ERR_IO, "cannot create directory '%s': %s", dir,
				   strerror(errno));
			free(dir);
			return err->status;
		}
		*p = '/';
	}
	free(dir);
	return MN_OK;
}

static int create_schema(struct mn_store *store, const char *language, struct mn_err *err)
{
	struct mn_buf sql = MN_BUF_INIT;
	char *quoted, *topics_fts;

	if (mn_tokenizer_check_language(language, err))
		return err->status;
	topics_fts = mn_cols_topics_fts_sql(language);
	/*
	 * Pages freed (FTS5's merges, files removed) can be handed back to the
	 * file system by mn_store_optimize; this must be set before any table.
	 */
	if (exec(store, "PRAGMA auto_vacuum=INCREMENTAL", err) ||
	    exec(store, "PRAGMA journal_mode=WAL", err))
		return err->status;
	quoted = sqlite3_mprintf("%q", language);
	mn_buf_adds(&sql, "BEGIN IMMEDIATE;\n");
	mn_buf_adds(&sql, schema_sql);
	mn_buf_addf(&sql,
		    "CREATE VIRTUAL TABLE passages_fts USING fts5(text, topic, title, "
		    "content='passages_content', content_rowid='id', columnsize=0, "
		    "tokenize='snowball %s');\n"
		    "%s%s%s"
		    "CREATE VIRTUAL TABLE passages_vocab USING fts5vocab(passages_fts, row);\n"
		    "INSERT INTO passages_fts(passages_fts, rank) "
		    "VALUES('rank', 'bm25(1.0, 2.0, 1.5)');\n"
		    "INSERT INTO meta(key, value) VALUES('language', '%s');\n"
		    "INSERT INTO meta(key, value) VALUES('created_by', 'minutes %s');\n"
		    "PRAGMA user_version = %d;\n"
		    "COMMIT;\n",
		    quoted, mn_cols_schema_sql, topics_fts, mn_ztext_schema_sql, quoted, MN_VERSION,
		    MN_SCHEMA_VERSION);
	sqlite3_free(quoted);
	free(topics_fts);
	if (exec(store, mn_buf_str(&sql), err))
		sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
	mn_buf_release(&sql);
	return err->status;
}

static int read_language(struct mn_store *store, struct mn_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(store->db, "SELECT value FROM meta WHERE key = 'language'", -1, &s,
			       NULL) != SQLITE_OK)
		return mn_err_set(err, MN_ERR_SCHEMA,
				  "'%s' is not a minutes index: %s (rebuild it with "
				  "'minutes-index --rebuild')",
				  store->path, sqlite3_errmsg(store->db));
	rc = sqlite3_step(s);
	store->language = mn_xstrdup(rc == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0)
						      : MN_DEFAULT_LANGUAGE);
	sqlite3_finalize(s);
	return MN_OK;
}

/*
 * Indexes made before roots had a base folder: give them the column (their
 * roots then count as absolute, which is what they were taken as).
 */
static int add_roots_base(struct mn_store *store, struct mn_err *err)
{
	sqlite3_stmt *s = NULL;

	if (sqlite3_prepare_v2(store->db, "SELECT base FROM roots", -1, &s, NULL) == SQLITE_OK) {
		sqlite3_finalize(s);
		return MN_OK;
	}
	return exec(store, "ALTER TABLE roots ADD COLUMN base TEXT NOT NULL DEFAULT ''", err);
}

/* Indexes made before label resolution went series by series lack its index. */
static int add_series_index(struct mn_store *store, struct mn_err *err)
{
	return exec(store, "CREATE INDEX IF NOT EXISTS meetings_series ON meetings(series)", err);
}

/* Indexes made before the writer saved its filters lack their table. */
static int add_filters_table(struct mn_store *store, struct mn_err *err)
{
	return exec(store, mn_cols_filters_sql, err);
}

/* Schema 5 may pack passages' text: the dictionaries' table, and the view reading through them. */
static int upgrade_4_to_5(struct mn_store *store, struct mn_err *err)
{
	struct mn_buf sql = MN_BUF_INIT;

	mn_buf_addf(&sql, "BEGIN IMMEDIATE;\n%s%sPRAGMA user_version = 5;\nCOMMIT;\n",
		    mn_ztext_schema_sql, schema_4_to_5_sql);
	if (exec(store, mn_buf_str(&sql), err))
		sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
	mn_buf_release(&sql);
	return err->status;
}

/* Reads user_version and decides whether this is an index we can use. */
static int check_version(struct mn_store *store, enum mn_store_mode mode, const char *language,
			 struct mn_err *err)
{
	sqlite3_stmt *s;
	int version = -1, tables = 0, rc;

	rc = sqlite3_prepare_v2(store->db, "PRAGMA user_version", -1, &s, NULL);
	if (rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		version = sqlite3_column_int(s, 0);
	rc = sqlite3_finalize(s);
	if (version < 0 || rc != SQLITE_OK) {
		int code = sqlite3_errcode(store->db);

		if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
			return mn_err_set(err, MN_ERR_SCHEMA,
					  "cannot open index '%s': %s (rebuild it with "
					  "'minutes-index --rebuild')",
					  store->path, sqlite3_errmsg(store->db));
		return db_error(store, err, "cannot open index");
	}
	if (version == 4 && mode != MN_STORE_READ) {
		if (upgrade_4_to_5(store, err))
			return err->status;
		version = 5;
	}
	store->schema = version;
	/*
	 * A schema-4 index reads as it is (all its text is plain), and so does
	 * one of schema 5 (its people's passages are read from passage_people).
	 */
	if (version >= 4 && version <= MN_SCHEMA_VERSION) {
		if (mode != MN_STORE_READ &&
		    (add_roots_base(store, err) || add_series_index(store, err) ||
		     add_filters_table(store, err)))
			return err->status;
		return read_language(store, err);
	}
	if (version != 0)
		return mn_err_set(err, MN_ERR_SCHEMA,
				  "index '%s' has schema version %d but this program uses %d "
				  "(rebuild it with 'minutes-index --rebuild')",
				  store->path, version, MN_SCHEMA_VERSION);
	if (sqlite3_prepare_v2(store->db, "SELECT count(*) FROM sqlite_master", -1, &s, NULL) ==
		SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		tables = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (tables || mode == MN_STORE_READ)
		return mn_err_set(err, MN_ERR_SCHEMA,
				  "'%s' is not a minutes index (rebuild it with "
				  "'minutes-index --rebuild')",
				  store->path);
	if (create_schema(store, language ? language : MN_DEFAULT_LANGUAGE, err))
		return err->status;
	store->schema = MN_SCHEMA_VERSION;
	return read_language(store, err);
}

/* Takes the index to schema version in one transaction, with what step does to its columns. */
static int upgrade_cols(struct mn_store *store, int version,
			int (*step)(struct mn_cols *cols, struct mn_err *err), struct mn_err *err)
{
	char sql[48];

	if (exec(store, "BEGIN IMMEDIATE", err))
		return err->status;
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d; COMMIT", version);
	if (step(store->cols, err) || exec(store, sql, err)) {
		sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
		mn_cols_rollback(store->cols);
		return err->status;
	}
	store->schema = version;
	return MN_OK;
}

/*
 * Schema 6 keeps each person's passages by chunk (person_chunks, which
 * every writer of 6 keeps in step: a writer of 5 would not, hence the new
 * version), numbers the columns by column (MN_COL_ID), and may pack their
 * lengths (ENC_SMALL, which a reader of 5 would take for damage).
 */
static int cols_5_to_6(struct mn_cols *cols, struct mn_err *err)
{
	return mn_cols_renumber(cols, err) || mn_cols_add_person_chunks(cols, err) ? err->status
										   : MN_OK;
}

/*
 * Schema 7 keeps no table of the sequences headings start with (dict_seqs):
 * a writer tells them from the headings' stems in memory. A writer of 6
 * would trust the table, no longer kept, hence the new version.
 */
static int upgrade_6_to_7(struct mn_store *store, struct mn_err *err)
{
	if (exec(store,
		 "BEGIN IMMEDIATE; DROP TABLE IF EXISTS dict_seqs; "
		 "PRAGMA user_version = 7; COMMIT",
		 err)) {
		sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
		return err->status;
	}
	store->schema = 7;
	return MN_OK;
}

/* minutes_name_match(haystack, needle): see mn_name_match. */
static void name_match_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *haystack = (const char *)sqlite3_value_text(argv[0]);
	const char *needle = (const char *)sqlite3_value_text(argv[1]);

	sqlite3_result_int(ctx, mn_name_match(haystack, needle));
}

/* The folder part of path ("." when it has none); a new string. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return mn_xstrdup(".");
	if (slash == path)
		return mn_xstrdup("/");
	return mn_xstrndup(path, (size_t)(slash - path));
}

/* Removes path + suffix when it exists. */
static int unlink_side(struct mn_store *store, const char *suffix, struct mn_err *err)
{
	struct mn_buf side = MN_BUF_INIT;

	mn_buf_addf(&side, "%s%s", store->path, suffix);
	if (unlink(mn_buf_str(&side)) < 0 && errno != ENOENT)
		mn_err_set(err, MN_ERR_IO, "cannot remove '%s': %s", mn_buf_str(&side),
			   strerror(errno));
	mn_buf_release(&side);
	return err->status;
}

/*
 * Opens the index file for the writer lock and, in REBUILD mode, empties it
 * while holding the lock. A folder or file we may not write is reported
 * here, before SQLite would open the file read-only without a word.
 */
static int open_for_writing(struct mn_store *store, enum mn_store_mode mode, struct mn_err *err)
{
	char *dir = dir_of(store->path);

	if (faccessat(AT_FDCWD, dir, W_OK, AT_EACCESS) < 0) {
		mn_err_set(err, MN_ERR_IO,
			   "cannot write index '%s': folder '%s' is not writable: %s", store->path,
			   dir, strerror(errno));
		free(dir);
		return err->status;
	}
	free(dir);
	store->lock_fd = open(store->path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (store->lock_fd < 0)
		return mn_err_set(err, MN_ERR_IO, "cannot write index '%s': %s", store->path,
				  strerror(errno));
	if (mode != MN_STORE_REBUILD)
		return MN_OK;
	if (mn_store_lock(store, err))
		return err->status;
	if (ftruncate(store->lock_fd, 0) < 0)
		return mn_err_set(err, MN_ERR_IO, "cannot empty index '%s': %s", store->path,
				  strerror(errno));
	/* A stale write-ahead log must never be replayed into the new file. */
	if (unlink_side(store, "-wal", err) || unlink_side(store, "-shm", err))
		return err->status;
	return MN_OK;
}

static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;

static void sqlite_setup(void)
{
	/* Too late (SQLITE_MISUSE) when the process used SQLite before: then it keeps counting. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int mn_store_open_opts(struct mn_store **out, const char *path, const struct mn_store_opts *opts,
		       struct mn_err *err)
{
	enum mn_store_mode mode = opts->mode;
	struct mn_store *store;
	struct stat st;
	int flags, memory = !strcmp(path, ":memory:");

	*out = NULL;
	if (mode == MN_STORE_READ && stat(path, &st) < 0)
		return mn_err_set(err, MN_ERR_NOENT,
				  "no index at '%s' (build one with 'minutes-index PATH...')",
				  path);
	if (mode != MN_STORE_READ && !memory && mkdirs_for(path, err))
		return err->status;

	store = mn_xcalloc(1, sizeof(*store));
	store->path = mn_xstrdup(path);
	store->lock_fd = -1;
	store->timeout_ms = opts->timeout_ms > 0 ? opts->timeout_ms : MN_STORE_TIMEOUT_MS;
	if (mode != MN_STORE_READ && !memory) {
		if (open_for_writing(store, mode, err))
			goto fail;
		if (opts->lock && mn_store_lock(store, err))
			goto fail;
	}
	/*
	 * One thread at a time uses a store (the indexer's second thread only
	 * reads and parses files): no mutex around every call on the
	 * connection, and no memory statistics behind a global one.
	 */
	pthread_once(&sqlite_once, sqlite_setup);
	flags = (mode == MN_STORE_READ ? SQLITE_OPEN_READONLY
				       : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
		SQLITE_OPEN_NOMUTEX;
	if (sqlite3_open_v2(path, &store->db, flags, NULL) != SQLITE_OK) {
		mn_err_set(err, MN_ERR_DB, "cannot open index '%s': %s", path,
			   store->db ? sqlite3_errmsg(store->db) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(store->db, 0);
	sqlite3_busy_timeout(store->db, store->timeout_ms);
	if (mode != MN_STORE_READ && sqlite3_db_readonly(store->db, "main") == 1) {
		mn_err_set(err, MN_ERR_IO, "cannot write index '%s': the file is read-only", path);
		goto fail;
	}
	if (mn_tokenizer_register(store->db, err) || mn_exec_register(store->db, err) ||
	    !(store->ztext = mn_ztext_attach(store->db, err)))
		goto fail;
	mn_ztext_set_train_after(store->ztext, opts->train_after);
	if (sqlite3_create_function(store->db, "minutes_name_match", 2,
				    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
				    name_match_fn, NULL, NULL) != SQLITE_OK) {
		db_error(store, err, "cannot set up index");
		goto fail;
	}
	if (check_version(store, mode, opts->language, err))
		goto fail;
	if (!store->cols)
		store->cols = mn_cols_new(store->db, store->language);
	mn_cols_set_filters_after(store->cols, opts->filters_after);
	if (mode != MN_STORE_READ && store->schema < 6 && upgrade_cols(store, 6, cols_5_to_6, err))
		goto fail;
	if (mode != MN_STORE_READ && store->schema < 7 && upgrade_6_to_7(store, err))
		goto fail;
	/*
	 * Schema 8 keeps the headings' fold classes (dict_headings.fold, cls)
	 * and the topics' parts and heads as classes (topic_classes,
	 * topic_chunks) rather than as heading ids in dict_topics, so that the
	 * topic facet reads neither every heading nor every path. A writer of 7
	 * would not keep them.
	 */
	if (mode != MN_STORE_READ && store->schema < 8 &&
	    upgrade_cols(store, 8, mn_cols_add_topic_classes, err))
		goto fail;
	/*
	 * A writer keeps more of the index's pages in memory (16 MB instead of
	 * SQLite's 2 MB): FTS5's merges and the passages' B-trees then read
	 * far less, and peak memory stays well within bounds.
	 */
	if (mode != MN_STORE_READ &&
	    exec(store, "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-16384", err))
		goto fail;
	/* The vocabulary tables searches make stay in memory, not in a file of their own. */
	if (exec(store, "PRAGMA temp_store=MEMORY", err))
		goto fail;
	if (opts->cache_pages > 0) {
		char sql[48];

		snprintf(sql, sizeof(sql), "PRAGMA cache_size=%d", opts->cache_pages);
		if (exec(store, sql, err))
			goto fail;
	}
	*out = store;
	return MN_OK;
fail:
	mn_store_close(store);
	return err->status;
}

int mn_store_open(struct mn_store **out, const char *path, enum mn_store_mode mode,
		  const char *language, struct mn_err *err)
{
	struct mn_store_opts opts = {mode, language, 0, 0, 0, 0, 0};

	return mn_store_open_opts(out, path, &opts, err);
}

/* ---- the stems of the index (table terms, for "did you mean") ---------------------- */

static void terms_forget(struct mn_store *store)
{
	mn_strv_free(store->terms_new, store->nterms_new);
	store->terms_new = NULL;
	store->nterms_new = store->terms_new_cap = 0;
	free(store->terms_seen);
	store->terms_seen = NULL;
	store->nterms_seen = store->terms_seen_cap = 0;
}

/* Adds h to the stems seen; 0 when it was there already. */
static int terms_see(struct mn_store *store, uint64_t h)
{
	size_t i, mask;

	h = h ? h : 1;
	if (2 * (store->nterms_seen + 1) > store->terms_seen_cap) {
		uint64_t *old = store->terms_seen;
		size_t n = store->terms_seen_cap, k;

		store->terms_seen_cap = n ? 2 * n : 4096;
		store->terms_seen = mn_xcalloc(store->terms_seen_cap, sizeof(*store->terms_seen));
		mask = store->terms_seen_cap - 1;
		for (k = 0; k < n; k++) {
			if (!old[k])
				continue;
			for (i = old[k] & mask; store->terms_seen[i]; i = (i + 1) & mask)
				;
			store->terms_seen[i] = old[k];
		}
		free(old);
	}
	mask = store->terms_seen_cap - 1;
	for (i = h & mask; store->terms_seen[i]; i = (i + 1) & mask)
		if (store->terms_seen[i] == h)
			return 0;
	store->terms_seen[i] = h;
	store->nterms_seen++;
	return 1;
}

/* The tokenizer's sink while passages are written: stems not seen yet wait for the commit. */
static void on_stem(void *ctx, const char *stem, size_t n)
{
	struct mn_store *store = ctx;

	if (!terms_see(store, mn_hash_update(MN_HASH_INIT, stem, n)))
		return;
	MN_GROW(store->terms_new, store->nterms_new + 1, store->terms_new_cap);
	store->terms_new[store->nterms_new++] = mn_xstrndup(stem, n);
}

static int terms_flush(struct mn_store *store, struct mn_err *err)
{
	sqlite3_stmt *s = NULL;
	size_t i;

	for (i = 0; i < store->nterms_new; i++) {
		if (!s && !(s = stmt(store, ST_INSERT_TERM, err)))
			return err->status;
		sqlite3_bind_text(s, 1, store->terms_new[i], -1, SQLITE_STATIC);
		if (run(store, s, err))
			return err->status;
	}
	mn_strv_free(store->terms_new, store->nterms_new);
	store->terms_new = NULL;
	store->nterms_new = store->terms_new_cap = 0;
	if (store->nterms_seen > TERMS_SEEN_MAX) {
		free(store->terms_seen);
		store->terms_seen = NULL;
		store->nterms_seen = store->terms_seen_cap = 0;
	}
	return MN_OK;
}

void mn_store_close(struct mn_store *store)
{
	size_t i;

	if (!store)
		return;
	for (i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(store->stmts[i]);
	mn_cols_free(store->cols);
	sqlite3_close(store->db);
	/*
	 * Only now: closing any descriptor of the file drops every POSIX lock
	 * this process holds on it, SQLite's included.
	 */
	if (store->lock_fd >= 0)
		close(store->lock_fd);
	untouch_all(store);
	terms_forget(store);
	series_forget(store);
	free(store->path);
	free(store->language);
	free(store);
}

int mn_store_lock(struct mn_store *store, struct mn_err *err)
{
	double start = mn_now_ms();
	struct timespec pause = {0, 20 * 1000 * 1000};

	if (store->lock_fd < 0 && strcmp(store->path, ":memory:"))
		return mn_err_set(err, MN_ERR_USAGE, "index '%s' was not opened for writing",
				  store->path);
	if (store->lock_fd < 0)
		return store->locked = 1, MN_OK; /* an in-memory index has no other writer */
	if (store->locked)
		return MN_OK;
	while (flock(store->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR)
			return mn_err_set(err, MN_ERR_IO, "cannot lock index '%s': %s", store->path,
					  strerror(errno));
		if (mn_now_ms() - start >= store->timeout_ms)
			return mn_err_set(err, MN_ERR_BUSY,
					  "index '%s' is being updated by another minutes-index "
					  "(waited %.1f s; try again when it is done)",
					  store->path, store->timeout_ms / 1000.0);
		nanosleep(&pause, NULL);
	}
	store->locked = 1;
	return MN_OK;
}

void mn_store_unlock(struct mn_store *store)
{
	if (store && store->locked) {
		if (store->lock_fd >= 0)
			flock(store->lock_fd, LOCK_UN);
		store->locked = 0;
	}
}

sqlite3 *mn_store_db(struct mn_store *store)
{
	return store->db;
}

const char *mn_store_path(const struct mn_store *store)
{
	return store->path;
}

const char *mn_store_language(const struct mn_store *store)
{
	return store->language;
}

int mn_store_begin(struct mn_store *store, struct mn_err *err)
{
	mn_ztext_take_error(store->ztext); /* an old one is no news */
	store->next_passage = 0; /* another writer may have added some since */
	series_forget(store);	 /* and series */
	if (exec(store, "BEGIN IMMEDIATE", err))
		return err->status;
	if (mn_cols_begin_write(store->cols, err))
		sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
	return err->status;
}

int mn_store_commit(struct mn_store *store, struct mn_err *err)
{
	/* The columns of what the transaction changed go in with it, and the text dictionary when due. */
	if (mn_cols_flush(store->cols, err) || mn_ztext_commit(store->ztext, err) ||
	    terms_flush(store, err))
		return err->status;
	return exec(store, "COMMIT", err);
}

void mn_store_rollback(struct mn_store *store)
{
	if (!sqlite3_get_autocommit(store->db))
		sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
	mn_cols_rollback(store->cols);
	mn_ztext_forget(store->ztext);
	terms_forget(store);
	store->next_passage = 0;
}

struct mn_ztext *mn_store_ztext(struct mn_store *store)
{
	return store->ztext;
}

const char *mn_store_errmsg(struct mn_store *store)
{
	const char *text_error = mn_ztext_take_error(store->ztext);

	return text_error ? text_error : sqlite3_errmsg(store->db);
}

struct mn_cols *mn_store_cols(struct mn_store *store)
{
	return store->cols;
}

int mn_store_read_begin(struct mn_store *store, int *began, struct mn_err *err)
{
	*began = 0;
	mn_ztext_take_error(store->ztext);
	if (!sqlite3_get_autocommit(store->db))
		return MN_OK;
	if (sqlite3_exec(store->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return db_error(store, err, "cannot read index");
	*began = 1;
	return MN_OK;
}

void mn_store_read_end(struct mn_store *store, int began)
{
	mn_cols_finish(store->cols);
	if (began && !sqlite3_get_autocommit(store->db))
		sqlite3_exec(store->db, "COMMIT", NULL, NULL, NULL);
}

int mn_store_savepoint(struct mn_store *store, struct mn_err *err)
{
	return exec(store, "SAVEPOINT mn_file", err);
}

int mn_store_release(struct mn_store *store, struct mn_err *err)
{
	return exec(store, "RELEASE mn_file", err);
}

void mn_store_rollback_savepoint(struct mn_store *store)
{
	if (!sqlite3_get_autocommit(store->db) &&
	    sqlite3_exec(store->db, "ROLLBACK TO mn_file", NULL, NULL, NULL) == SQLITE_OK)
		sqlite3_exec(store->db, "RELEASE mn_file", NULL, NULL, NULL);
	mn_cols_rollback_savepoint(store->cols);
}

int mn_store_add_root(struct mn_store *store, const char *path, const char *base,
		      struct mn_err *err)
{
	sqlite3_stmt *s = stmt(store, ST_INSERT_ROOT, err);

	if (!s)
		return err->status;
	bind_text(s, 1, path);
	bind_text(s, 2, base ? base : "");
	return run(store, s, err);
}

int mn_store_remove_root(struct mn_store *store, const char *path, const char *base,
			 struct mn_err *err)
{
	sqlite3_stmt *s = stmt(store, ST_DELETE_ROOT, err);

	if (!s)
		return err->status;
	bind_text(s, 1, path);
	bind_text(s, 2, base ? base : "");
	return run(store, s, err);
}

int mn_store_respell(struct mn_store *store, const char *from, const char *to, struct mn_err *err)
{
	sqlite3_stmt *s = stmt(store, ST_RESPELL, err);

	if (!s)
		return err->status;
	bind_text(s, 1, from);
	bind_text(s, 2, to);
	return run(store, s, err);
}

int mn_store_roots(struct mn_store *store, struct mn_root **out, size_t *n, struct mn_err *err)
{
	sqlite3_stmt *s = stmt(store, ST_ROOTS, err);
	struct mn_root *roots = NULL;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!s)
		return err->status;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *base = (const char *)sqlite3_column_text(s, 1);

		MN_GROW(roots, *n + 1, cap);
		roots[*n].path = mn_xstrdup((const char *)sqlite3_column_text(s, 0));
		roots[*n].base = base && *base ? mn_xstrdup(base) : NULL;
		(*n)++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		mn_roots_free(roots, *n);
		*n = 0;
		return db_error(store, err, "cannot read index");
	}
	*out = roots;
	return MN_OK;
}

void mn_roots_free(struct mn_root *roots, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(roots[i].path);
		free(roots[i].base);
	}
	free(roots);
}

int mn_store_files(struct mn_store *store, mn_store_file_fn fn, void *ctx, struct mn_err *err)
{
	sqlite3_stmt *s = stmt(store, ST_FILES, err);
	int rc;

	if (!s)
		return err->status;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct mn_file_info info;

		info.size = sqlite3_column_int64(s, 1);
		info.mtime_ns =
		    sqlite3_column_type(s, 2) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, 2);
		info.hash = (const char *)sqlite3_column_text(s, 3);
		fn(ctx, (const char *)sqlite3_column_text(s, 0), &info);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_error(store, err, "cannot read index");
	return MN_OK;
}

int mn_store_touch(struct mn_store *store, const char *path, const struct mn_file_info *info,
		   struct mn_err *err)
{
	sqlite3_stmt *s = stmt(store, ST_TOUCH, err);

	if (!s)
		return err->status;
	bind_text(s, 1, path);
	sqlite3_bind_int64(s, 2, info->size);
	sqlite3_bind_int64(s, 3, info->mtime_ns);
	bind_text(s, 4, info->hash);
	return run(store, s, err);
}

/* ---- a series spelled one way --------------------------------------------------- */

static void series_forget(struct mn_store *store)
{
	mn_strmap_release(&store->series);
	mn_strv_free(store->spellings, store->nspellings);
	store->spellings = NULL;
	store->nspellings = store->spellings_cap = 0;
	store->series_read = 0;
}

static void series_learn(struct mn_store *store, const char *series)
{
	char *folded = mn_fold(series);
	int found = 0;

	if (*folded)
		mn_strmap_intern(&store->series, folded, strlen(folded),
				 (void *)(uintptr_t)(store->nspellings + 1), &found);
	if (*folded && !found) {
		MN_GROW(store->spellings, store->nspellings + 1, store->spellings_cap);
		store->spellings[store->nspellings++] = mn_xstrdup(series);
	}
	free(folded);
}

/*
 * The spelling the index has for a series that folds as series does
 * (mn_fold: "tc39" of one meeting's folder and "TC39" of another's
 * title), else series: one series to facets, lists and the labels
 * resolved within it. Of the index's own spellings, the first in byte
 * order; of those written in this transaction, the first.
 */
static const char *series_spelling(struct mn_store *store, const char *series, struct mn_err *err)
{
	char *folded, **spelled;
	void *v;
	int found = 0, rc;

	if (!series)
		return NULL;
	if (!store->series_read) {
		sqlite3_stmt *s = stmt(store, ST_SERIES_ALL, err);

		if (!s)
			return NULL;
		while ((rc = sqlite3_step(s)) == SQLITE_ROW)
			series_learn(store, (const char *)sqlite3_column_text(s, 0));
		sqlite3_reset(s);
		if (rc != SQLITE_DONE) {
			db_error(store, err, "cannot read the series of");
			return NULL;
		}
		store->series_read = 1;
	}
	folded = mn_fold(series);
	v = mn_strmap_get(&store->series, folded, strlen(folded), &found);
	free(folded);
	if (!found) {
		series_learn(store, series);
		return series;
	}
	spelled = &store->spellings[(uintptr_t)v - 1];
	if (strcmp(*spelled, series)) {
		/* Spelled otherwise: the meetings spelled so may have gone since. */
		sqlite3_stmt *s = stmt(store, ST_SERIES_HELD, err);

		if (!s)
			return NULL;
		bind_text(s, 1, *spelled);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			db_error(store, err, "cannot read the series of");
			return NULL;
		}
		if (rc == SQLITE_DONE) {
			free(*spelled);
			*spelled = mn_xstrdup(series);
		}
	}
	return *spelled;
}

/* Remembers that the meetings of series changed, for mn_store_resolve_labels. */
static void touch_series(struct mn_store *store, const char *series)
{
	size_t i;

	if (!series)
		return;
	for (i = 0; i < store->ntouched; i++)
		if (!strcmp(store->touched[i], series))
			return;
	MN_GROW(store->touched, store->ntouched + 1, store->touched_cap);
	store->touched[store->ntouched++] = mn_xstrdup(series);
}

/*
 * The id of the meeting at path (0 when none, -1 on error), and the ids of
 * its passages, first to last (0 and -1 when it has none).
 */
static int64_t meeting_id(struct mn_store *store, const char *path, int64_t *first, int64_t *last,
			  struct mn_err *err)
{
	sqlite3_stmt *s = stmt(store, ST_MEETING_BY_PATH, err);
	int64_t id = 0;
	int rc;

	*first = 0;
	*last = -1;
	if (!s)
		return -1;
	bind_text(s, 1, path);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(s, 0);
		touch_series(store, (const char *)sqlite3_column_text(s, 1));
		if (sqlite3_column_type(s, 2) != SQLITE_NULL) {
			*first = sqlite3_column_int64(s, 2);
			*last = sqlite3_column_int64(s, 3);
		}
	} else if (rc != SQLITE_DONE) {
		id = -1, db_error(store, err, "cannot read index");
	}
	sqlite3_reset(s);
	return id;
}

/* Records that passages first..last belong to meeting (after any it has). */
static int extend_meeting(struct mn_store *store, int64_t meeting, int64_t first, int64_t last,
			  struct mn_err *err)
{
	sqlite3_stmt *s;

	if (last < first)
		return MN_OK;
	if (!(s = stmt(store, ST_MEETING_RANGE, err)))
		return err->status;
	sqlite3_bind_int64(s, 1, meeting);
	sqlite3_bind_int64(s, 2, first);
	sqlite3_bind_int64(s, 3, last);
	return run(store, s, err);
}

int mn_store_remove(struct mn_store *store, const char *path, int *removed, struct mn_err *err)
{
	/* Aliases first: which to drop is told by the meeting's uses of them. */
	static const enum stmt_id steps[] = {ST_FTS_DELETE_MEETING, ST_DELETE_PASSAGE_PEOPLE,
					     ST_DELETE_PASSAGES,    ST_DELETE_ATTENDANCE,
					     ST_DELETE_ALIASES,	    ST_DELETE_ALIAS_USES,
					     ST_DELETE_MEETING};
	int64_t first, last, id = meeting_id(store, path, &first, &last, err);
	size_t i;

	if (removed)
		*removed = id > 0;
	if (id < 0)
		return err->status;
	if (id == 0)
		return MN_OK;
	mn_cols_touch(store->cols, first, last);
	for (i = 0; i < sizeof(steps) / sizeof(*steps); i++) {
		sqlite3_stmt *s = stmt(store, steps[i], err);

		if (!s)
			return err->status;
		sqlite3_bind_int64(s, 1, id);
		if (sqlite3_bind_parameter_count(s) >= 3) {
			sqlite3_bind_int64(s, 2, first);
			sqlite3_bind_int64(s, 3, last);
		}
		if (run(store, s, err))
			return err->status;
	}
	return MN_OK;
}

/* What a passage takes from its meeting as it is stored. */
struct meeting_ref {
	int64_t id;
	const char *path;
	const char *title;
	const char *series;
	const char *date; /* the first date, for passages without their own */
	/* People of this meeting already looked up (name -> id), and aliases written. */
	struct mn_strmap people, aliases;
	int64_t first, last; /* ids of the passages written through this, 0 when none */
};

/*
 * Which people a name may be shared with. A full name ("Mike Holmes") is one
 * person wherever it appears; a single name ("Martin", "nikomatsakis") only
 * within its meeting series (or its file, when it has no series), so that
 * two Martins of different groups stay two people.
 */
static const char *person_scope(const struct meeting_ref *m, const char *name)
{
	if (strchr(name, ' '))
		return "";
	return m->series ? m->series : m->path;
}

/*
 * Records that person goes by alias, as meeting m says: once in aliases
 * (which searches read), and as a use by m (which keeps the alias while a
 * meeting gives it).
 */
static int add_alias(struct mn_store *store, struct meeting_ref *m, const char *alias,
		     int64_t person, struct mn_err *err)
{
	static const enum stmt_id steps[] = {ST_INSERT_ALIAS, ST_INSERT_ALIAS_USE};
	size_t i;

	for (i = 0; i < 2; i++) {
		sqlite3_stmt *s = stmt(store, steps[i], err);

		if (!s)
			return err->status;
		bind_text(s, 1, alias);
		sqlite3_bind_int64(s, 2, person);
		if (i)
			sqlite3_bind_int64(s, 3, m->id);
		if (run(store, s, err))
			return err->status;
	}
	return MN_OK;
}

/*
 * The words of a full name in lower case without its middle initials
 * ("Mark S. Miller" and "Mark Miller" are "mark miller"), into b; the
 * initials' letters in upper case into initials (9 bytes, the first 8).
 */
static void without_initials(const char *name, struct mn_buf *b, char initials[9])
{
	const char *p = name, *last = strrchr(name, ' ');
	size_t k = 0;

	while (*p) {
		const char *e = strchr(p, ' ');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (p != name && p != last + 1 &&
		    ((n == 1 && isalpha((unsigned char)p[0])) ||
		     (n == 2 && isalpha((unsigned char)p[0]) && p[1] == '.'))) {
			if (k < 8)
				initials[k++] = (char)toupper((unsigned char)p[0]);
		} else {
			if (b->len)
				mn_buf_addc(b, ' ');
			for (size_t i = 0; i < n; i++)
				mn_buf_addc(b, (char)tolower((unsigned char)p[i]));
		}
		p += n;
		while (*p == ' ')
			p++;
	}
	initials[k] = '\0';
}

/*
 * The one person of the index whose full name is name but for middle
 * initials ("Mark S. Miller" for "Mark Miller", or the other way round),
 * 0 when there is none or more than one; -1 on error.
 */
static int64_t person_but_initials(struct mn_store *store, const char *name, struct mn_err *err)
{
	struct mn_buf want = MN_BUF_INIT, got = MN_BUF_INIT, like = MN_BUF_INIT;
	const char *first_end = strchr(name, ' '), *last = strrchr(name, ' ');
	char initials[9], theirs[9];
	int64_t id = 0;
	int rc;
	sqlite3_stmt *s;

	if (!first_end || strpbrk(name, "%_\\"))
		return 0;
	without_initials(name, &want, initials);
	if (!strchr(mn_buf_str(&want), ' ')) {
		mn_buf_release(&want);
		return 0;
	}
	/* "Mark %Miller": the same first and last words, anything between. */
	mn_buf_add(&like, name, (size_t)(first_end - name));
	mn_buf_adds(&like, " %");
	mn_buf_adds(&like, last + 1);
	if (!(s = stmt(store, ST_PEOPLE_LIKE, err)))
		goto out;
	bind_text(s, 1, mn_buf_str(&like));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (got.data)
			got.data[0] = '\0';
		got.len = 0;
		without_initials((const char *)sqlite3_column_text(s, 1), &got, theirs);
		/*
		 * Initials on one side only, or the same ones ("Shane F Carr",
		 * "Shane F. Carr"); names alike but for case are one row already.
		 */
		if (strcmp(mn_buf_str(&got), mn_buf_str(&want)) ||
		    (*initials && *theirs && strcmp(initials, theirs)) || (!*initials && !*theirs))
			continue;
		if (id) {
			id = 0; /* two people: which one is not ours to say */
			break;
		}
		id = sqlite3_column_int64(s, 0);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		db_error(store, err, "cannot read index");
		id = -1;
	}
out:
	mn_buf_release(&want);
	mn_buf_release(&got);
	mn_buf_release(&like);
	return err->status ? -1 : id;
}

/*
 * The id of the person called name in scope, adding them when new; -1 on
 * error. *other: whether the index spells that person's name otherwise.
 */
static int64_t person_lookup(struct mn_store *store, const char *name, const char *scope,
			     int *other, struct mn_err *err)
{
	sqlite3_stmt *s = stmt(store, ST_PERSON_BY_NAME, err);
	int64_t id = -1;
	int rc;

	*other = 0;
	if (!s)
		return -1;
	bind_text(s, 1, name);
	bind_text(s, 2, scope);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return id;
	if (rc != SQLITE_DONE) {
		db_error(store, err, "cannot read index");
		return -1;
	}
	if (!*scope && (id = person_but_initials(store, name, err)) != 0) {
		*other = id > 0;
		return id;
	}
	s = stmt(store, ST_INSERT_PERSON, err);
	if (!s)
		return -1;
	bind_text(s, 1, name);
	bind_text(s, 2, scope);
	if (run(store, s, err))
		return -1;
	return sqlite3_last_insert_rowid(store->db);
}

/* The id of the person called name at meeting m, adding them when new; -1 on error. */
static int64_t person_id(struct mn_store *store, struct meeting_ref *m, const char *name,
			 struct mn_err *err)
{
	size_t len = strlen(name);
	int found = 0;
	void *known = mn_strmap_get(&m->people, name, len, &found);
	int64_t id;
	int other;

	if (found)
		return (int64_t)(intptr_t)known;
	id = person_lookup(store, name, person_scope(m, name), &other, err);
	/* "Mark Miller" for "Mark S. Miller": the spelling finds them too. */
	if (id > 0 && other && add_alias(store, m, name, id, err))
		return -1;
	if (id > 0)
		mn_strmap_put(&m->people, name, len, (void *)(intptr_t)id);
	return id;
}

/* Binds a list as one string, items separated by MN_LIST_SEP (NULL when empty). */
static void bind_list(sqlite3_stmt *s, int i, const char *const *v, size_t n)
{
	char *joined = mn_strv_join(v, n, MN_LIST_SEP);

	if (joined)
		sqlite3_bind_text(s, i, joined, -1, free);
	else
		sqlite3_bind_null(s, i);
}

static int add_passage_person(struct mn_store *store, struct meeting_ref *m, int64_t passage,
			      const char *name, enum mn_role role, struct mn_err *err)
{
	int64_t person = person_id(store, m, name, err);
	sqlite3_stmt *s;

	if (person < 0)
		return err->status;
	s = stmt(store, ST_INSERT_PASSAGE_PERSON, err);
	if (!s)
		return err->status;
	sqlite3_bind_int64(s, 1, passage);
	sqlite3_bind_int64(s, 2, person);
	sqlite3_bind_int(s, 3, role);
	return run(store, s, err);
}


/*
 * Records the raw label of a passage with one speaker ("MH") as an alias of
 * the person it was resolved to ("Mike Holmes"), so that speaker:MH finds
 * what MH said. A label naming two people ("A/B") says nothing about either.
 */
static int add_label_alias(struct mn_store *store, struct meeting_ref *m, const char *label,
			   const char *name, struct mn_err *err)
{
	int64_t person;

	if (!label || !name || !sqlite3_stricmp(label, name))
		return MN_OK;
	person = person_id(store, m, name, err);
	if (person < 0)
		return err->status;
	{
		/* Labels repeat through a meeting: write each (label, person) once. */
		struct mn_buf key = MN_BUF_INIT;
		int found = 0;

		mn_buf_addf(&key, "%lld:%s", (long long)person, label);
		mn_strmap_intern(&m->aliases, key.data, key.len, (void *)1, &found);
		mn_buf_release(&key);
		if (found)
			return MN_OK;
	}
	return add_alias(store, m, label, person, err);
}

static void meeting_ref_release(struct meeting_ref *m)
{
	mn_strmap_release(&m->people);
	mn_strmap_release(&m->aliases);
}

static int add_attendees(struct mn_store *store, struct meeting_ref *m, const struct mn_doc *doc,
			 struct mn_err *err)
{
	size_t i, k;

	for (i = 0; i < doc->nattendees; i++) {
		const struct mn_attendee *a = &doc->attendees[i];
		int64_t person = person_id(store, m, a->name, err);
		sqlite3_stmt *s;

		if (person < 0)
			return err->status;
		s = stmt(store, ST_INSERT_ATTENDANCE, err);
		if (!s)
			return err->status;
		sqlite3_bind_int64(s, 1, m->id);
		sqlite3_bind_int64(s, 2, person);
		bind_text(s, 3, a->org);
		sqlite3_bind_int(s, 4, a->line);
		if (run(store, s, err))
			return err->status;
		for (k = 0; k < a->naliases; k++)
			if (add_alias(store, m, a->aliases[k], person, err))
				return err->status;
	}
	return MN_OK;
}

/*
 * Stores a passage: into FTS5 first, which tells its length in tokens (the
 * index keeps no docsize table of FTS5's: the passage row holds it), then
 * its row under the id it was indexed with, then its people.
 */
static int add_passage(struct mn_store *store, struct meeting_ref *m, const struct mn_passage *p,
		       struct mn_err *err)
{
	sqlite3_stmt *s;
	char *topic;
	uint64_t before;
	int64_t id;
	size_t k;
	int rc;

	if (!store->next_passage) {
		if (!(s = stmt(store, ST_NEXT_PASSAGE, err)))
			return err->status;
		if (sqlite3_step(s) == SQLITE_ROW)
			store->next_passage = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		if (!store->next_passage)
			return db_error(store, err, "cannot read index");
	}
	id = store->next_passage;
	topic = mn_strv_join((const char *const *)p->topic_path, p->ntopic_path, MN_LIST_SEP);

	if (!(s = stmt(store, ST_INSERT_FTS, err))) {
		free(topic);
		return err->status;
	}
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, p->text);
	bind_text(s, 3, topic);
	bind_text(s, 4, m->title);
	before = mn_tokenizer_document_tokens();
	mn_tokenizer_set_sink(on_stem, store);
	rc = run(store, s, err);
	mn_tokenizer_set_sink(NULL, NULL);
	if (rc || !(s = stmt(store, ST_INSERT_PASSAGE, err))) {
		free(topic);
		return err->status;
	}
	sqlite3_bind_int64(s, 13, (sqlite3_int64)(mn_tokenizer_document_tokens() - before));
	sqlite3_bind_int64(s, 12, id);
	sqlite3_bind_int64(s, 1, m->id);
	sqlite3_bind_int(s, 2, p->line);
	sqlite3_bind_int(s, 3, p->end_line);
	sqlite3_bind_int(s, 4, p->col);
	sqlite3_bind_int(s, 5, p->kind);
	bind_text(s, 6, p->speaker_label);
	bind_text(s, 7, mn_passage_speaker(p));
	if (topic) {
		uint32_t tid = mn_cols_topic_id(store->cols, topic, err);

		free(topic);
		if (!tid)
			return err->status;
		sqlite3_bind_int64(s, 8, tid);
	}
	/* A passage keeps a date of its own only when it is not its meeting's first. */
	bind_text(s, 9, p->date && (!m->date || strcmp(p->date, m->date)) ? p->date : NULL);
	bind_list(s, 10, p->owners, p->nowners);
	if (mn_ztext_bind(store->ztext, s, 11, p->text ? p->text : "", err) || run(store, s, err))
		return err->status;
	store->next_passage++;
	mn_cols_touch(store->cols, id, id);
	if (!m->first)
		m->first = id;
	m->last = id;

	for (k = 0; k < p->nspeakers; k++)
		if (add_passage_person(store, m, id, p->speakers[k], MN_ROLE_SPEAKER, err))
			return err->status;
	if (p->nspeakers == 1 && add_label_alias(store, m, p->speaker_label, p->speakers[0], err))
		return err->status;
	for (k = 0; k < p->nowners; k++)
		if (add_passage_person(store, m, id, p->owners[k], MN_ROLE_OWNER, err))
			return err->status;
	return MN_OK;
}

int mn_store_add_doc(struct mn_store *store, const struct mn_doc *doc,
		     const struct mn_file_info *info, int *replaced, struct mn_err *err)
{
	struct meeting_ref m;
	const char *series;
	sqlite3_stmt *s;
	size_t i;

	memset(&m, 0, sizeof(m));
	if (mn_store_remove(store, doc->path, replaced, err))
		return err->status;
	series = series_spelling(store, doc->series, err);
	if (err->status)
		return err->status;
	s = stmt(store, ST_INSERT_MEETING, err);
	if (!s)
		return err->status;
	bind_text(s, 1, doc->path);
	bind_text(s, 2, doc->format);
	bind_text(s, 3, doc->title);
	bind_text(s, 4, series);
	bind_text(s, 5, doc->ndates ? doc->dates[0] : NULL);
	bind_list(s, 6, doc->dates, doc->ndates);
	if (info) {
		sqlite3_bind_int64(s, 7, info->size);
		sqlite3_bind_int64(s, 8, info->mtime_ns);
		bind_text(s, 9, info->hash);
	}
	if (run(store, s, err))
		return err->status;
	m.id = sqlite3_last_insert_rowid(store->db);
	touch_series(store, series);
	m.path = doc->path;
	m.title = doc->title;
	m.series = series;
	m.date = doc->ndates ? doc->dates[0] : NULL;
	if (!add_attendees(store, &m, doc, err))
		for (i = 0; i < doc->npassages; i++)
			if (add_passage(store, &m, &doc->passages[i], err))
				break;
	if (!err->status && m.first)
		extend_meeting(store, m.id, m.first, m.last, err);
	meeting_ref_release(&m);
	return err->status;
}

/* ---- labels resolved through the series ---------------------------------- */

/* An unresolved passage of a series, its label and its meeting's date (a Julian day; NAN: none). */
struct pending {
	int64_t passage;
	char *label;
	double day;
};

static int by_label(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;
	int c = strcmp(x->label, y->label);

	return c ? c : (x->passage > y->passage) - (x->passage < y->passage);
}

static int by_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Steps s (bound already) and appends its first column, an id, to *ids. */
static int read_ids(sqlite3_stmt *s, int64_t **ids, size_t *n, size_t *cap)
{
	int rc;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		MN_GROW(*ids, *n + 1, *cap);
		(*ids)[(*n)++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* A person a label may stand for, and their name. */
struct candidate {
	int64_t id;
	char *name;
};

static void candidates_free(struct candidate *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(c[i].name);
	free(c);
}

/*
 * The people of the series (people, sorted) who go by label under another
 * name, into *out (caller frees with candidates_free); how many.
 */
static size_t series_candidates(sqlite3_stmt *by_alias, const char *label, const int64_t *people,
				size_t npeople, struct candidate **out)
{
	struct candidate *c = NULL;
	size_t n = 0, cap = 0, i;

	sqlite3_bind_text(by_alias, 1, label, -1, SQLITE_STATIC);
	while (sqlite3_step(by_alias) == SQLITE_ROW) {
		int64_t who = sqlite3_column_int64(by_alias, 0);

		if (!bsearch(&who, people, npeople, sizeof(*people), by_int64))
			continue;
		for (i = 0; i < n && c[i].id != who; i++)
			;
		if (i < n)
			continue;
		MN_GROW(c, n + 1, cap);
		c[n].id = who;
		c[n++].name = mn_xstrdup((const char *)sqlite3_column_text(by_alias, 1));
	}
	sqlite3_reset(by_alias);
	*out = c;
	return n;
}

/* How near a candidate's use of a label comes to a day, and how often they used it. */
struct nearness {
	double days;
	int64_t uses;
};

/* Whether a is nearer than b: fewer days, else more uses. */
static int nearer(struct nearness a, struct nearness b)
{
	return a.days < b.days || (a.days == b.days && a.uses > b.uses);
}

/*
 * Of several people of the series who go by label, the one whose use of
 * it, in a dated meeting of the series, is nearest to day: the delegate
 * who went by the initials then; as near, the one who used it in more
 * meetings (a misspelt name beside the usual one). -1 when none is nearer
 * than the others (or day is unknown), -2 when the index cannot be read.
 */
static int nearest_candidate(sqlite3_stmt *nearest, const char *series, const char *label,
			     double day, const struct candidate *c, size_t n)
{
	struct nearness best = {INFINITY, 0}, second = {INFINITY, 0};
	int chosen = -1;

	if (isnan(day))
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct nearness d = {INFINITY, 0};
		int rc;

		sqlite3_bind_text(nearest, 1, label, -1, SQLITE_STATIC);
		sqlite3_bind_int64(nearest, 2, c[i].id);
		sqlite3_bind_double(nearest, 3, day);
		sqlite3_bind_text(nearest, 4, series, -1, SQLITE_STATIC);
		rc = sqlite3_step(nearest);
		if (rc == SQLITE_ROW && sqlite3_column_type(nearest, 0) != SQLITE_NULL) {
			d.days = sqlite3_column_double(nearest, 0);
			d.uses = sqlite3_column_int64(nearest, 1);
		}
		sqlite3_reset(nearest);
		if (rc != SQLITE_ROW)
			return -2;
		if (nearer(d, best)) {
			second = best;
			best = d;
			chosen = (int)i;
		} else if (nearer(d, second)) {
			second = d;
		}
	}
	return isfinite(best.days) && nearer(best, second) ? chosen : -1;
}

enum {
	RS_PENDING,  /* the series' unresolved passages */
	RS_ATTENDED, /* who attended its meetings */
	RS_SPOKE,    /* who spoke in them */
	RS_BY_ALIAS, /* who goes by a label under another name */
	RS_NEAREST,  /* how near one's use of a label in the series comes to a day */
	RS_SET_NAME, /* the three writes that give a passage its speaker */
	RS_DROP_SPEAKER,
	RS_ADD_SPEAKER,
	RS_COUNT
};

static const char *const resolve_sql[RS_COUNT] = {
    [RS_PENDING] = "SELECT p.id, p.speaker_label, julianday(m.date) FROM meetings m "
		   "JOIN passages p ON p.meeting_id = m.id "
		   "WHERE m.series = ?1 AND p.speaker_label IS NOT NULL "
		   "AND p.speaker = p.speaker_label",
    [RS_ATTENDED] = "SELECT DISTINCT t.person_id FROM meetings m "
		    "JOIN attendance t ON t.meeting_id = m.id WHERE m.series = ?1",
    [RS_SPOKE] =
	"SELECT DISTINCT pp.person_id FROM meetings m "
	"JOIN passage_people pp ON pp.passage_id BETWEEN m.first_passage AND m.last_passage "
	"AND pp.role = 0 WHERE m.series = ?1",
    [RS_BY_ALIAS] = "SELECT pe.id, pe.name FROM aliases a JOIN people pe ON pe.id = a.person_id "
		    "WHERE a.alias = ?1 AND pe.name <> ?1 COLLATE NOCASE",
    [RS_NEAREST] = "SELECT min(abs(julianday(m.date) - ?3)), count(m.date) FROM alias_uses u "
		   "JOIN meetings m ON m.id = u.meeting_id "
		   "WHERE u.alias = ?1 AND u.person_id = ?2 AND m.series = ?4",
    [RS_SET_NAME] = "UPDATE passages SET speaker = ?2 WHERE id = ?1",
    [RS_DROP_SPEAKER] = "DELETE FROM passage_people WHERE passage_id = ?1 AND role = 0",
    [RS_ADD_SPEAKER] = "INSERT INTO passage_people(passage_id, person_id, role) "
		       "VALUES(?1, ?2, 0)",
};

/* Gives passage its speaker person, called name. */
static int set_speaker(sqlite3_stmt **st, int64_t passage, int64_t person, const char *name)
{
	sqlite3_bind_int64(st[RS_SET_NAME], 1, passage);
	sqlite3_bind_text(st[RS_SET_NAME], 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st[RS_DROP_SPEAKER], 1, passage);
	sqlite3_bind_int64(st[RS_ADD_SPEAKER], 1, passage);
	sqlite3_bind_int64(st[RS_ADD_SPEAKER], 2, person);
	for (int i = RS_SET_NAME; i <= RS_ADD_SPEAKER; i++) {
		int rc = sqlite3_step(st[i]);

		sqlite3_reset(st[i]);
		if (rc != SQLITE_DONE)
			return -1;
	}
	return 0;
}

/*
 * One series: its unresolved passages grouped by label, the people of the
 * series (attendees and speakers), and for each label the one person of
 * them who goes by it. The work grows with the size of the series.
 */
static int resolve_series(struct mn_store *store, sqlite3_stmt **st, const char *series,
			  int64_t *changed)
{
	struct pending *pend = NULL;
	int64_t *people = NULL;
	size_t npend = 0, pend_cap = 0, npeople = 0, people_cap = 0, i, j;
	int rc, failed = 0;

	sqlite3_bind_text(st[RS_PENDING], 1, series, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st[RS_PENDING])) == SQLITE_ROW) {
		MN_GROW(pend, npend + 1, pend_cap);
		pend[npend].passage = sqlite3_column_int64(st[RS_PENDING], 0);
		pend[npend].label =
		    mn_xstrdup((const char *)sqlite3_column_text(st[RS_PENDING], 1));
		pend[npend].day = sqlite3_column_type(st[RS_PENDING], 2) == SQLITE_NULL
				      ? NAN
				      : sqlite3_column_double(st[RS_PENDING], 2);
		npend++;
	}
	sqlite3_reset(st[RS_PENDING]);
	failed = rc != SQLITE_DONE;
	if (failed || !npend)
		goto out;

	sqlite3_bind_text(st[RS_ATTENDED], 1, series, -1, SQLITE_STATIC);
	sqlite3_bind_text(st[RS_SPOKE], 1, series, -1, SQLITE_STATIC);
	if (read_ids(st[RS_ATTENDED], &people, &npeople, &people_cap) ||
	    read_ids(st[RS_SPOKE], &people, &npeople, &people_cap)) {
		failed = 1;
		goto out;
	}
	if (npeople)
		qsort(people, npeople, sizeof(*people), by_int64);
	qsort(pend, npend, sizeof(*pend), by_label);

	for (i = 0; i < npend && !failed; i = j) {
		struct candidate *c = NULL;
		size_t n;
		int pick = -1;

		for (j = i + 1; j < npend && !strcmp(pend[j].label, pend[i].label); j++)
			;
		n = series_candidates(st[RS_BY_ALIAS], pend[i].label, people, npeople, &c);
		/*
		 * One person: theirs. Several: each passage's nearest in time
		 * (passages of one meeting come together, and share the answer).
		 */
		for (size_t k = i; n && k < j && !failed; k++) {
			if (n == 1)
				pick = 0;
			else if (k == i || !(pend[k].day == pend[k - 1].day))
				pick = nearest_candidate(st[RS_NEAREST], series, pend[i].label,
							 pend[k].day, c, n);
			if (pick == -2)
				failed = 1;
			if (pick < 0)
				continue;
			failed = set_speaker(st, pend[k].passage, c[pick].id, c[pick].name) != 0;
			mn_cols_touch(store->cols, pend[k].passage, pend[k].passage);
			(*changed)++;
		}
		candidates_free(c, n);
	}
out:
	for (i = 0; i < npend; i++)
		free(pend[i].label);
	free(pend);
	free(people);
	return failed ? -1 : 0;
}

int mn_store_resolve_labels(struct mn_store *store, int64_t *resolved, struct mn_err *err)
{
	sqlite3_stmt *st[RS_COUNT] = {NULL};
	int64_t changed = 0;
	size_t k;
	int i;

	for (i = 0; i < RS_COUNT; i++)
		if (sqlite3_prepare_v2(store->db, resolve_sql[i], -1, &st[i], NULL) != SQLITE_OK) {
			db_error(store, err, "cannot resolve labels in");
			goto out;
		}
	for (k = 0; k < store->ntouched; k++)
		if (resolve_series(store, st, store->touched[k], &changed)) {
			db_error(store, err, "cannot resolve labels in");
			goto out;
		}
	untouch_all(store);
out:
	for (i = 0; i < RS_COUNT; i++)
		sqlite3_finalize(st[i]);
	if (resolved)
		*resolved = changed;
	return err->status;
}

int mn_store_add_passages(struct mn_store *store, const char *path, const struct mn_doc *part,
			  struct mn_err *err)
{
	sqlite3_stmt *s = stmt(store, ST_MEETING_TITLE, err);
	struct meeting_ref m;
	char *title = NULL, *series = NULL, *date = NULL;
	size_t i;
	int rc;

	if (!s)
		return err->status;
	memset(&m, 0, sizeof(m));
	bind_text(s, 1, path);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(s, 1);
		const char *se = (const char *)sqlite3_column_text(s, 2);
		const char *d = (const char *)sqlite3_column_text(s, 3);

		m.id = sqlite3_column_int64(s, 0);
		title = t ? mn_xstrdup(t) : NULL;
		series = se ? mn_xstrdup(se) : NULL;
		date = d ? mn_xstrdup(d) : NULL;
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return mn_err_set(err, MN_ERR_USAGE, "no meeting at '%s' to add passages to", path);
	if (rc != SQLITE_ROW)
		return db_error(store, err, "cannot read index");
	m.path = path;
	m.title = title;
	m.series = series;
	m.date = date;
	for (i = 0; i < part->npassages; i++)
		if (add_passage(store, &m, &part->passages[i], err))
			break;
	if (!err->status && m.first)
		extend_meeting(store, m.id, m.first, m.last, err);
	meeting_ref_release(&m);
	free(title);
	free(series);
	free(date);
	return err->status;
}

int mn_store_optimize(struct mn_store *store, struct mn_err *err)
{
	return exec(store,
		    "INSERT INTO passages_fts(passages_fts) VALUES('optimize');"
		    "INSERT INTO dict_topics_fts(dict_topics_fts) VALUES('optimize');"
		    "PRAGMA incremental_vacuum",
		    err);
}

/*
 * FTS5's settings of merging that a bulk run changes: their values in bulk
 * and FTS5's own (an index never in bulk has them unset). A level of
 * segments is merged once it has automerge of them (bit by bit as passages
 * are written; 0: never), at the latest crisismerge (at once).
 */
static const struct {
	const char *name;
	int bulk, usual;
} merging[] = {
    {"automerge", 0, 4},
    {"crisismerge", MN_STORE_BULK_MERGE, 16},
};

int mn_store_set_bulk(struct mn_store *store, int bulk, struct mn_err *err)
{
	size_t i;

	for (i = 0; i < sizeof(merging) / sizeof(merging[0]); i++) {
		int want = bulk ? merging[i].bulk : merging[i].usual, have = merging[i].usual, rc;
		sqlite3_stmt *s = stmt(store, ST_FTS_SETTING, err);
		char sql[96];

		if (!s)
			return err->status;
		sqlite3_bind_text(s, 1, merging[i].name, -1, SQLITE_STATIC);
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) == SQLITE_INTEGER)
			have = sqlite3_column_int(s, 0);
		sqlite3_reset(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return db_error(store, err, "cannot read the settings of index");
		if (have == want)
			continue;
		snprintf(sql, sizeof(sql),
			 "INSERT INTO passages_fts(passages_fts, rank) VALUES('%s', %d)",
			 merging[i].name, want);
		if (exec(store, sql, err))
			return err->status;
	}
	return MN_OK;
}

int mn_store_prune_people(struct mn_store *store, int64_t *pruned, struct mn_err *err)
{
#define UNUSED_PERSON                                                                              \
	"NOT EXISTS (SELECT 1 FROM attendance a WHERE a.person_id = people.id) AND "               \
	"NOT EXISTS (SELECT 1 FROM passage_people pp WHERE pp.person_id = people.id)"
	static const char sql[] = "DELETE FROM aliases WHERE person_id IN "
				  "(SELECT id FROM people WHERE " UNUSED_PERSON ");"
				  "DELETE FROM people WHERE " UNUSED_PERSON ";";
#undef UNUSED_PERSON

	if (exec(store, sql, err))
		return err->status;
	if (pruned)
		*pruned = sqlite3_changes(store->db);
	return MN_OK;
}

int mn_store_check(struct mn_store *store, struct mn_err *err)
{
	struct mn_err filters = MN_ERR_INIT;
	sqlite3_stmt *s;
	int rc;

	if (sqlite3_prepare_v2(store->db, "PRAGMA integrity_check", -1, &s, NULL) != SQLITE_OK)
		return db_error(store, err, "cannot check index");
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW || strcmp((const char *)sqlite3_column_text(s, 0), "ok")) {
		mn_err_set(err, MN_ERR_DB,
			   "index '%s' failed integrity_check: %s (rebuild it with "
			   "'minutes-index --rebuild')",
			   store->path,
			   rc == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0)
					    : sqlite3_errmsg(store->db));
		sqlite3_finalize(s);
		return err->status;
	}
	sqlite3_finalize(s);
	if (sqlite3_prepare_v2(store->db, "PRAGMA foreign_key_check", -1, &s, NULL) != SQLITE_OK)
		return db_error(store, err, "cannot check index");
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		mn_err_set(err, MN_ERR_DB,
			   "index '%s' failed foreign_key_check: a row of '%s' refers to a missing "
			   "row of '%s' (rebuild it with 'minutes-index --rebuild')",
			   store->path, (const char *)sqlite3_column_text(s, 0),
			   (const char *)sqlite3_column_text(s, 2));
	else if (rc != SQLITE_DONE)
		db_error(store, err, "cannot check index");
	sqlite3_finalize(s);
	if (err->status)
		return err->status;
	rc = sqlite3_exec(
	    store->db, "INSERT INTO passages_fts(passages_fts, rank) VALUES('integrity-check', 1)",
	    NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return mn_err_set(err, MN_ERR_DB,
				  "index '%s' failed the FTS5 integrity-check: %s (rebuild it "
				  "with 'minutes-index --rebuild')",
				  store->path, sqlite3_errmsg(store->db));
	if (mn_cols_check_filters(store->cols, &filters) ||
	    mn_cols_check_classes(store->cols, &filters) ||
	    mn_cols_check_chunks(store->cols, &filters))
		mn_err_set(
		    err, MN_ERR_DB,
		    "index '%s' is not sound: %s (rebuild it with 'minutes-index --rebuild')",
		    store->path, filters.msg);
	return err->status;
}

int mn_store_counts(struct mn_store *store, struct mn_store_counts *out, struct mn_err *err)
{
	sqlite3_stmt *s;

	memset(out, 0, sizeof(*out));
	if (sqlite3_prepare_v2(store->db,
			       "SELECT (SELECT count(*) FROM meetings), "
			       "(SELECT count(*) FROM passages), (SELECT count(*) FROM people)",
			       -1, &s, NULL) != SQLITE_OK)
		return db_error(store, err, "cannot read index");
	if (sqlite3_step(s) == SQLITE_ROW) {
		out->meetings = sqlite3_column_int64(s, 0);
		out->passages = sqlite3_column_int64(s, 1);
		out->people = sqlite3_column_int64(s, 2);
	}
	sqlite3_finalize(s);
	return MN_OK;
}

char *mn_store_default_path(void)
{
	const char *env = getenv("MINUTES_DB");
	struct mn_buf b = MN_BUF_INIT;

	if (env && *env)
		return mn_xstrdup(env);
	env = getenv("XDG_DATA_HOME");
	if (env && *env == '/') {
		mn_buf_addf(&b, "%s/minutes/index.db", env);
		return mn_buf_detach(&b);
	}
	env = getenv("HOME");
	if (!env || !*env)
		return NULL;
	mn_buf_addf(&b, "%s/.local/share/minutes/index.db", env);
	return mn_buf_detach(&b);
}
