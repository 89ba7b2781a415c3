#include "mn_cols.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "mn_query.h"
#include "mn_text.h"
#include "mn_tokenizer.h"
#include "mn_util.h"

/*
 * The passages of each person in a role (speaker 0, owner 1), a chunk at a
 * time: the rows of the chunk whose list column names the person, u16 each
 * in increasing order. Rebuilt with the chunk's columns, so that a filter on
 * a person reads that person's rows a chunk at a time (not passage_people
 * row by row, nor every chunk's list).
 */
#define PERSON_CHUNKS_SQL                                                                          \
	"CREATE TABLE person_chunks(person INTEGER NOT NULL, role INTEGER NOT NULL,\n"             \
	"  chunk INTEGER NOT NULL, rows BLOB NOT NULL, PRIMARY KEY(person, role, chunk))\n"        \
	"  WITHOUT ROWID;\n"

/*
 * The writer's Bloom filters of the topics' stem pairs and the headings'
 * stem sequences (name 'topic_pairs', 'heading_seqs'), saved with each
 * commit that changed them, so that a later run reads a few pages instead
 * of every topic path and heading.
 */
#define MN_COLS_FILTERS_SQL                                                                        \
	"CREATE TABLE IF NOT EXISTS dict_filters(name TEXT PRIMARY KEY,\n"                         \
	"  log2_bits INTEGER NOT NULL,\n"                                                          \
	"  bits BLOB NOT NULL);\n"

const char mn_cols_filters_sql[] = MN_COLS_FILTERS_SQL;

/*
 * Each topic's heading classes (see heading_class): those of the headings
 * that make up its path, and those of every heading it contains, each a
 * BLOB of u32 in increasing order. Apart from dict_topics, whose paths
 * would make the facet's one read of every topic ten times as long; and
 * the same again TOPIC_CHUNK_ROWS topics to a row (topic_chunks, rebuilt
 * at each commit for the topics it changed), which the facet reads.
 */
#define TOPIC_CLASSES_SQL                                                                          \
	"CREATE TABLE topic_classes(id INTEGER PRIMARY KEY,\n"                                     \
	"  parts BLOB NOT NULL, heads BLOB NOT NULL);\n"                                           \
	"CREATE TABLE topic_chunks(chunk INTEGER PRIMARY KEY, data BLOB NOT NULL);\n"

/*
 * A row of topic_chunks: for each of its TOPIC_CHUNK_ROWS topics (ids from
 * chunk * TOPIC_CHUNK_ROWS), u32 nparts and nheads; then each topic's
 * parts and heads, in id order, u32 each (little-endian).
 */
#define TOPIC_CHUNK_BITS 12
#define TOPIC_CHUNK_ROWS (1 << TOPIC_CHUNK_BITS)
#define TOPIC_CHUNK_HEAD (8 * TOPIC_CHUNK_ROWS)

const char mn_cols_schema_sql[] =
    "CREATE TABLE cols(id INTEGER PRIMARY KEY, data BLOB NOT NULL);\n"
    "CREATE TABLE dict_series(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);\n"
    "CREATE TABLE dict_orgs(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);\n"
    "CREATE TABLE dict_headings(id INTEGER PRIMARY KEY, key INTEGER NOT NULL,\n"
    "  seq INTEGER NOT NULL, text TEXT NOT NULL, stems TEXT NOT NULL,\n"
    "  fold INTEGER NOT NULL DEFAULT 0, cls INTEGER);\n"
    "CREATE INDEX dict_headings_key ON dict_headings(key);\n"
    "CREATE INDEX dict_headings_seq ON dict_headings(seq);\n"
    "CREATE INDEX dict_headings_fold ON dict_headings(fold);\n"
    "CREATE TABLE dict_topics(id INTEGER PRIMARY KEY, key INTEGER NOT NULL,\n"
    "  path TEXT NOT NULL);\n"
    "CREATE INDEX dict_topics_key ON dict_topics(key);\n" TOPIC_CLASSES_SQL PERSON_CHUNKS_SQL
	MN_COLS_FILTERS_SQL;

char *mn_cols_topics_fts_sql(const char *language)
{
	char *sql = sqlite3_mprintf("CREATE VIRTUAL TABLE dict_topics_fts USING fts5(path, "
				    "content='dict_topics', content_rowid='id', "
				    "tokenize='snowball %q');\n",
				    language);
	char *copy = mn_xstrdup(sql);

	sqlite3_free(sql);
	return copy;
}

/* Statements, prepared on first use. */
enum {
	S_READ, /* one column of one chunk */
	S_WRITE,
	S_DELETE,
	S_END,	  /* highest passage rowid */
	S_ROWS,	  /* the passages of a chunk */
	S_PEOPLE, /* their speakers and owners */
	S_ORGS,	  /* their speakers' organisations */
	S_SERIES_ID,
	S_SERIES_ADD,
	S_ORG_ID,
	S_ORG_ADD,
	S_TOPIC_BY_KEY,
	S_TOPIC_ADD,
	S_TOPIC_CLASSES_ADD,
	S_TOPIC_CHUNK_ROWS,
	S_TOPIC_CHUNK_WRITE,
	S_TOPIC_FTS_ADD,
	S_TOPIC_HEADS,
	S_TOPIC_SET_HEADS,
	S_TOPICS_WITH, /* topics whose words contain a heading's */
	S_HEADING_BY_KEY,
	S_HEADING_BY_SEQ,
	S_HEADING_BY_FOLD,
	S_HEADING_ADD,
	S_HEADING_BOUND, /* the highest heading id */
	S_HEADING_TEXT,
	S_DATA_VERSION,
	S_FILTER_READ,
	S_FILTER_WRITE,
	S_PERSON_ROWS, /* the passages of a person in a role, from passage_people */
	S_PC_READ,     /* the same, a chunk at a time, from person_chunks */
	S_PC_WRITE,
	S_PC_DELETE,
	S_SCHEMA,
	S_COUNT
};

static const char *const sql_of[S_COUNT] = {
    [S_READ] = "SELECT data FROM cols WHERE id = ?1",
    [S_WRITE] = "INSERT OR REPLACE INTO cols(id, data) VALUES(?1, ?2)",
    [S_DELETE] = "DELETE FROM cols WHERE id = ?1",
    [S_END] = "SELECT max(id) FROM passages",
    [S_ROWS] = "SELECT p.id, p.meeting_id, coalesce(p.date, m.date), p.kind, p.topic_id, "
	       "m.series, p.ntok FROM passages p JOIN meetings m ON m.id = p.meeting_id "
	       "WHERE p.id >= ?1 AND p.id < ?2 ORDER BY p.id",
    [S_PEOPLE] = "SELECT passage_id, person_id, role FROM passage_people "
		 "WHERE passage_id >= ?1 AND passage_id < ?2 ORDER BY passage_id, role, person_id",
    [S_ORGS] = "SELECT pp.passage_id, a.org FROM passage_people pp "
	       "JOIN passages p ON p.id = pp.passage_id "
	       "JOIN attendance a ON a.meeting_id = p.meeting_id AND a.person_id = pp.person_id "
	       "WHERE pp.passage_id >= ?1 AND pp.passage_id < ?2 AND pp.role = 0 "
	       "AND a.org IS NOT NULL AND a.org <> '' ORDER BY pp.passage_id",
    [S_SERIES_ID] = "SELECT id FROM dict_series WHERE name = ?1",
    [S_SERIES_ADD] = "INSERT INTO dict_series(name) VALUES(?1)",
    [S_ORG_ID] = "SELECT id FROM dict_orgs WHERE name = ?1",
    [S_ORG_ADD] = "INSERT INTO dict_orgs(name) VALUES(?1)",
    [S_TOPIC_BY_KEY] = "SELECT id, path FROM dict_topics WHERE key = ?1",
    [S_TOPIC_ADD] = "INSERT INTO dict_topics(key, path) VALUES(?1, ?2)",
    [S_TOPIC_CLASSES_ADD] = "INSERT INTO topic_classes(id, parts, heads) VALUES(?1, ?2, ?3)",
    [S_TOPIC_CHUNK_ROWS] = "SELECT id, parts, heads FROM topic_classes "
			   "WHERE id >= ?1 AND id < ?2 ORDER BY id",
    [S_TOPIC_CHUNK_WRITE] = "INSERT OR REPLACE INTO topic_chunks(chunk, data) VALUES(?1, ?2)",
    [S_TOPIC_FTS_ADD] = "INSERT INTO dict_topics_fts(rowid, path) VALUES(?1, ?2)",
    [S_TOPIC_HEADS] = "SELECT c.heads, t.path FROM topic_classes c "
		      "JOIN dict_topics t ON t.id = c.id WHERE c.id = ?1",
    [S_TOPIC_SET_HEADS] = "UPDATE topic_classes SET heads = ?2 WHERE id = ?1",
    [S_TOPICS_WITH] = "SELECT rowid FROM dict_topics_fts WHERE dict_topics_fts MATCH ?1",
    [S_HEADING_BY_KEY] = "SELECT coalesce(cls, id), text FROM dict_headings WHERE key = ?1",
    [S_HEADING_BY_SEQ] = "SELECT coalesce(cls, id), stems FROM dict_headings WHERE seq = ?1",
    [S_HEADING_BY_FOLD] = "SELECT coalesce(cls, id), text FROM dict_headings WHERE fold = ?1",
    [S_HEADING_ADD] = "INSERT INTO dict_headings(key, seq, text, stems, fold, cls) "
		      "VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    [S_HEADING_BOUND] = "SELECT max(id) FROM dict_headings",
    [S_HEADING_TEXT] = "SELECT text FROM dict_headings WHERE id = ?1",
    [S_DATA_VERSION] = "PRAGMA data_version",
    [S_FILTER_READ] = "SELECT log2_bits, bits FROM dict_filters WHERE name = ?1",
    [S_FILTER_WRITE] = "INSERT OR REPLACE INTO dict_filters(name, log2_bits, bits) "
		       "VALUES(?1, ?2, ?3)",
    [S_PERSON_ROWS] = "SELECT passage_id FROM passage_people WHERE person_id = ?1 AND role = ?2",
    [S_PC_READ] = "SELECT chunk, rows FROM person_chunks WHERE person = ?1 AND role = ?2",
    [S_PC_WRITE] = "INSERT OR REPLACE INTO person_chunks(person, role, chunk, rows) "
		   "VALUES(?1, ?2, ?3, ?4)",
    [S_PC_DELETE] = "DELETE FROM person_chunks WHERE person = ?1 AND role = ?2 AND chunk = ?3",
    [S_SCHEMA] = "PRAGMA user_version",
};

/* A loaded chunk: one array per column (NULL until needed). */
struct chunk {
	uint16_t reads[MN_COL_COUNT]; /* values read one by one before the whole was loaded */
	/* Columns as stored (checked), read through cursors without decoding. */
	unsigned char *raw[MN_COL_COUNT];
	size_t raw_len[MN_COL_COUNT];
	/* For a list or run column of many entries, the first at or after each row (row_index). */
	uint16_t *at_row[MN_COL_COUNT];
	unsigned char walked[MN_COL_COUNT]; /* cursors that came to it without one */
};

/* Values of a chunk's column read one by one, at most, before the whole is loaded. */
#define SPARSE_READS 24

struct idlist {
	uint32_t *v;
	size_t n, cap;
};

/* A dictionary read whole: names by id, and their fold classes. */
struct names {
	int loaded;
	char **v; /* v[id], NULL where there is none; all in text */
	size_t n;
	char *text;	       /* the names, each ended by a NUL */
	size_t ntext;	       /* bytes of text */
	uint32_t *cls;	       /* cls[id] */
	const char **cls_name; /* cls_name[class]: v of its first entry */
	uint32_t *cls_first;   /* cls_first[class]: the id of its first entry */
	uint32_t ncls;
	char *folded;		  /* the first name of each class folded, each ended by a NUL */
	struct mn_strmap by_fold; /* folded name -> class, its keys in folded */
};

struct person_row {
	char *name;
	char **aliases;
	size_t naliases, cap;
	/* The same folded (mn_fold), name first: what name filters compare. */
	char **folded;
};

/* A person's passages in a role, as bits by passage id; kept a few at a time. */
struct person_rows {
	struct mn_bits rows;
	uint32_t person;
	int role;
	unsigned used; /* when last asked for (0: empty) */
};

#define PERSON_ROWS_KEPT 8

struct mn_cols {
	sqlite3 *db;
	char *language;
	sqlite3_stmt *st[S_COUNT];
	/* writing */
	int64_t *touched; /* chunk numbers, unsorted, may repeat */
	size_t ntouched, touched_cap;
	int64_t *topics_touched; /* the same, of topic_chunks */
	size_t ntopics_touched, topics_touched_cap;
	struct mn_strmap series, orgs, topics, headings; /* name -> id (as a pointer) */
	int topics_added;				 /* since the last flush */
	/*
	 * Every stem of a topic path, by hash, with about how many topics have
	 * it (never fewer), and every two stems side by side in one: of the
	 * topics in dict_topics when first needed (topic_words_loaded), and of
	 * each topic added since. A heading with a stem, or two stems in a
	 * row, not among them is in no topic known.
	 */
	struct mn_u64set topic_words;
	struct mn_bloom topic_pairs;
	int topic_words_loaded;
	/*
	 * The headings' stems, by hash: each heading's whole sequence, and every
	 * sequence it starts with (whole_seq tells the two apart). Of the
	 * headings in dict_headings when first needed, and of those added since.
	 */
	struct mn_bloom heading_seqs;
	int heading_seqs_loaded;
	int topic_pairs_dirty, heading_seqs_dirty; /* changed since saved in dict_filters */
	int topic_pairs_kept, heading_seqs_kept;   /* found in dict_filters, which keeps them */
	size_t filters_after;			   /* mn_cols_set_filters_after */
	struct mn_tokenizer *tok;
	/* reading */
	struct chunk *chunks;
	size_t nchunks;
	int64_t data_version;
	int64_t write_version; /* data_version when the last writing transaction began */
	int64_t end; /* cached mn_cols_end, -1 when unknown */
	struct names dicts[MN_DICT_COUNT];
	struct mn_topic_row *topic_rows;
	size_t ntopic_rows;
	uint32_t *topic_ids; /* every topic's part and head classes, one after the other */
	int topics_loaded;
	size_t heading_bound; /* one past the highest heading id, 0 until read */
	/* The names of heading classes read one by one, by class (NULL: not read). */
	char **class_texts;
	size_t nclass_texts;
	struct person_row *people;
	size_t npeople;
	int people_loaded;
	struct {
		void *p;
		size_t cap;
	} scratch[MN_SCRATCH_SLOTS];
	sqlite3_blob *blob[MN_COL_COUNT]; /* for reading single values */
	int64_t blob_row[MN_COL_COUNT];
	struct person_rows prows[PERSON_ROWS_KEPT];
	unsigned prows_clock;
	/*
	 * The index's schema version (-1: not read yet). From 6 on, ids are
	 * MN_COL_ID's and person_chunks is there; before, chunk by chunk and not.
	 */
	int schema;
	/*
	 * Held while a cursor moves to another chunk (which may read it and
	 * index it): cursors of one search may run on several threads.
	 */
	pthread_mutex_t chunk_lock;
};

static int db_fail(struct mn_cols *c, struct mn_err *err, const char *what)
{
	return mn_err_set(err, MN_ERR_DB, "cannot %s: %s", what, sqlite3_errmsg(c->db));
}

static sqlite3_stmt *stmt(struct mn_cols *c, int id, struct mn_err *err)
{
	if (c->st[id]) {
		sqlite3_reset(c->st[id]);
		sqlite3_clear_bindings(c->st[id]);
		return c->st[id];
	}
	if (sqlite3_prepare_v3(c->db, sql_of[id], -1, SQLITE_PREPARE_PERSISTENT, &c->st[id],
			       NULL) != SQLITE_OK) {
		db_fail(c, err, "prepare the columns");
		return NULL;
	}
	return c->st[id];
}

/* The index's schema version, read once until the index changes. */
static int schema_of(struct mn_cols *c)
{
	if (c->schema < 0) {
		struct mn_err err = MN_ERR_INIT;
		sqlite3_stmt *s = stmt(c, S_SCHEMA, &err);

		/* On error, 8: what this program writes (the reads that follow find out). */
		c->schema = s && sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int(s, 0) : 8;
		if (s)
			sqlite3_reset(s);
	}
	return c->schema;
}

/* The id in cols of a chunk's column, as the index's schema numbers them. */
static int64_t col_id(struct mn_cols *c, int64_t chunk, enum mn_col col)
{
	return schema_of(c) >= 6 ? MN_COL_ID(chunk, col) : chunk * MN_COL_STRIDE + (int64_t)col;
}

struct mn_cols *mn_cols_new(sqlite3 *db, const char *language)
{
	struct mn_cols *c = mn_xcalloc(1, sizeof(*c));

	c->db = db;
	c->language = mn_xstrdup(language);
	c->data_version = -1;
	c->write_version = -1;
	c->filters_after = MN_COLS_FILTERS_AFTER;
	c->end = -1;
	c->schema = -1;
	pthread_mutex_init(&c->chunk_lock, NULL);
	return c;
}

static void drop_chunks(struct mn_cols *c)
{
	size_t i, k;

	for (i = 0; i < PERSON_ROWS_KEPT; i++)
		mn_bits_release(&c->prows[i].rows);
	memset(c->prows, 0, sizeof(c->prows));
	c->schema = -1;

	for (i = 0; i < c->nchunks; i++)
		for (k = 0; k < MN_COL_COUNT; k++) {
			free(c->chunks[i].raw[k]);
			free(c->chunks[i].at_row[k]);
		}
	free(c->chunks);
	c->chunks = NULL;
	c->nchunks = 0;
	c->end = -1;
	for (i = 0; i < MN_DICT_COUNT; i++) {
		free(c->dicts[i].text);
		free(c->dicts[i].v);
		free(c->dicts[i].cls);
		free(c->dicts[i].cls_name);
		free(c->dicts[i].cls_first);
		mn_strmap_release(&c->dicts[i].by_fold);
		free(c->dicts[i].folded);
		memset(&c->dicts[i], 0, sizeof(c->dicts[i]));
	}
	free(c->topic_ids);
	c->topic_ids = NULL;
	free(c->topic_rows);
	c->topic_rows = NULL;
	c->ntopic_rows = 0;
	c->topics_loaded = 0;
	c->heading_bound = 0;
	for (i = 0; i < c->nclass_texts; i++)
		free(c->class_texts[i]);
	free(c->class_texts);
	c->class_texts = NULL;
	c->nclass_texts = 0;
	for (i = 0; i < c->npeople; i++) {
		free(c->people[i].name);
		mn_strv_free(c->people[i].aliases, c->people[i].naliases);
		if (c->people[i].folded)
			mn_strv_free(c->people[i].folded, c->people[i].naliases + 1);
	}
	free(c->people);
	c->people = NULL;
	c->npeople = 0;
	c->people_loaded = 0;
}

static void forget_dicts(struct mn_cols *c)
{
	mn_strmap_release(&c->series);
	mn_strmap_release(&c->orgs);
	mn_strmap_release(&c->topics);
	mn_strmap_release(&c->headings);
	/* The Bloom filters stay (after a rollback: more than needed, never less). */
}

/* What the writer knows of the topics' words and the headings' sequences, to read again. */
static void forget_filters(struct mn_cols *c)
{
	mn_u64set_release(&c->topic_words);
	mn_bloom_release(&c->topic_pairs);
	mn_bloom_release(&c->heading_seqs);
	c->topic_words_loaded = c->heading_seqs_loaded = 0;
	c->topic_pairs_dirty = c->heading_seqs_dirty = 0;
	c->topic_pairs_kept = c->heading_seqs_kept = 0;
}

static void close_blobs(struct mn_cols *c)
{
	size_t i;

	for (i = 0; i < MN_COL_COUNT; i++) {
		if (c->blob[i])
			sqlite3_blob_close(c->blob[i]);
		c->blob[i] = NULL;
	}
}

void mn_cols_finish(struct mn_cols *c)
{
	close_blobs(c);
}

void mn_cols_free(struct mn_cols *c)
{
	size_t i;

	if (!c)
		return;
	close_blobs(c);
	for (i = 0; i < S_COUNT; i++)
		sqlite3_finalize(c->st[i]);
	drop_chunks(c);
	forget_dicts(c);
	forget_filters(c);
	for (i = 0; i < MN_SCRATCH_SLOTS; i++)
		free(c->scratch[i].p);
	mn_tokenizer_close(c->tok);
	free(c->touched);
	free(c->topics_touched);
	free(c->language);
	pthread_mutex_destroy(&c->chunk_lock);
	free(c);
}

uint32_t mn_cols_date_value(const char *d)
{
	uint32_t v = 0;
	int i;

	if (!d)
		return 0;
	/* YYYY, YYYY-MM or YYYY-MM-DD; missing parts count as 0 (before any day). */
	for (i = 0; i < 4; i++) {
		if (d[i] < '0' || d[i] > '9')
			return 0;
		v = v * 10 + (uint32_t)(d[i] - '0');
	}
	v *= 10000;
	if (d[4] == '-' && d[5] >= '0' && d[5] <= '9' && d[6] >= '0' && d[6] <= '9') {
		v += (uint32_t)((d[5] - '0') * 10 + (d[6] - '0')) * 100;
		if (d[7] == '-' && d[8] >= '0' && d[8] <= '9' && d[9] >= '0' && d[9] <= '9')
			v += (uint32_t)((d[8] - '0') * 10 + (d[9] - '0'));
	}
	return v;
}

/* ---- writing: touched chunks -------------------------------------------------- */

void mn_cols_touch(struct mn_cols *c, int64_t lo, int64_t hi)
{
	int64_t k;

	if (lo < 0 || hi < lo)
		return;
	for (k = lo >> MN_CHUNK_BITS; k <= hi >> MN_CHUNK_BITS; k++) {
		if (c->ntouched && c->touched[c->ntouched - 1] == k)
			continue;
		MN_GROW(c->touched, c->ntouched + 1, c->touched_cap);
		c->touched[c->ntouched++] = k;
	}
}

/* PRAGMA data_version: changes when another connection has written since it was last read. */
static int data_version(struct mn_cols *c, int64_t *out, struct mn_err *err)
{
	sqlite3_stmt *s = stmt(c, S_DATA_VERSION, err);

	if (!s)
		return err->status;
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return db_fail(c, err, "read the index version");
	}
	*out = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return MN_OK;
}

int mn_cols_begin_write(struct mn_cols *c, struct mn_err *err)
{
	int64_t v;

	if (data_version(c, &v, err))
		return err->status;
	if (v != c->write_version && c->write_version >= 0) {
		forget_dicts(c);
		forget_filters(c);
	}
	c->write_version = v;
	return MN_OK;
}

void mn_cols_rollback_savepoint(struct mn_cols *c)
{
	forget_dicts(c);
	drop_chunks(c);
}

void mn_cols_rollback(struct mn_cols *c)
{
	c->ntouched = 0;
	c->ntopics_touched = 0;
	/* Ids handed out in the transaction are gone with it. */
	mn_cols_rollback_savepoint(c);
}

/* ---- writing: dictionaries ---------------------------------------------------- */

/* Caches of dictionary lookups are dropped when they grow past this many entries. */
#define CACHE_MAX 32768

static void cache_put(struct mn_strmap *m, const char *key, size_t len, void *v)
{
	if (m->n >= CACHE_MAX)
		mn_strmap_release(m);
	mn_strmap_put(m, key, len, v);
}

/* Checks id, just read or written, for a 32-bit column; 0 (err set) when it does not fit. */
static uint32_t id_fits(int64_t id, const char *what, struct mn_err *err)
{
	if (id <= 0 || id > UINT32_MAX) {
		mn_err_set(err, MN_ERR_DB, "cannot write the %s: id %lld out of range", what,
			   (long long)id);
		return 0;
	}
	return (uint32_t)id;
}

/*
 * The id of name in a small dictionary (series, orgs), adding it when new
 * (add < 0: 0 when new, without err); 0 on error.
 */
static uint32_t dict_id(struct mn_cols *c, struct mn_strmap *cache, int get, int add,
			const char *name, struct mn_err *err)
{
	size_t len = strlen(name);
	int found = 0;
	void *v = mn_strmap_get(cache, name, len, &found);
	sqlite3_stmt *s;
	int64_t id = 0;
	int rc;

	if (found)
		return (uint32_t)(uintptr_t)v;
	s = stmt(c, get, err);
	if (!s)
		return 0;
	sqlite3_bind_text(s, 1, name, (int)len, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_fail(c, err, "read the dictionaries");
		return 0;
	}
	if (!id && add < 0)
		return 0; /* only looked up */
	if (!id) {
		s = stmt(c, add, err);
		if (!s)
			return 0;
		sqlite3_bind_text(s, 1, name, (int)len, SQLITE_STATIC);
		rc = sqlite3_step(s);
		sqlite3_reset(s);
		if (rc != SQLITE_DONE) {
			db_fail(c, err, "write the dictionaries");
			return 0;
		}
		id = sqlite3_last_insert_rowid(c->db);
	}
	if (!id_fits(id, "dictionaries", err))
		return 0;
	cache_put(cache, name, len, (void *)(uintptr_t)id);
	return (uint32_t)id;
}

/* A hash as SQLite stores integers. */
static int64_t key_of(uint64_t h)
{
	int64_t k;

	memcpy(&k, &h, sizeof(k));
	return k;
}

/* The stems of a text, in order, and where in the text each word was. */
struct stems {
	char **v;
	size_t (*at)[2]; /* start and end of v[i]'s word */
	size_t n, cap;
};

static int on_stem(void *ctx, const char *token, size_t n, size_t start, size_t end)
{
	struct stems *st = ctx;
	size_t cap = st->cap;

	MN_GROW(st->v, st->n + 1, st->cap);
	if (st->cap != cap)
		st->at = mn_xrealloc(st->at, st->cap * sizeof(*st->at));
	st->at[st->n][0] = start;
	st->at[st->n][1] = end;
	st->v[st->n++] = mn_xstrndup(token, n);
	return 0;
}

static void stems_clear(struct stems *st)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		free(st->v[i]);
	st->n = 0;
}

static void stems_release(struct stems *st)
{
	stems_clear(st);
	free(st->v);
	free(st->at);
	memset(st, 0, sizeof(*st));
}

static int stems_of(struct mn_cols *c, const char *text, struct stems *st, struct mn_err *err)
{
	stems_clear(st);
	if (!c->tok && mn_tokenizer_open(c->db, c->language, &c->tok, err))
		return err->status;
	mn_tokenizer_run(c->tok, text, strlen(text), on_stem, st);
	return MN_OK;
}

struct mn_tokenizer *mn_cols_tokenizer(struct mn_cols *c, struct mn_err *err)
{
	if (!c->tok && mn_tokenizer_open(c->db, c->language, &c->tok, err))
		return NULL;
	return c->tok;
}

/* The hash of stems[i..j): each stem followed by a separator. */
static uint64_t seq_hash(const struct stems *st, size_t i, size_t j)
{
	uint64_t h = MN_HASH_INIT;

	for (; i < j; i++)
		h = mn_hash_update(mn_hash_update(h, st->v[i], strlen(st->v[i])), "\x1f", 1);
	return h;
}

/* Stems joined by separators, as dict_headings keeps them (a new string). */
static char *stems_joined(const struct stems *st, size_t i, size_t j)
{
	struct mn_buf b = MN_BUF_INIT;

	for (; i < j; i++) {
		mn_buf_adds(&b, st->v[i]);
		mn_buf_addc(&b, '\x1f');
	}
	return mn_buf_detach(&b);
}

/* Runs a statement that writes, with what was bound. */
static int step_write(struct mn_cols *c, sqlite3_stmt *s, struct mn_err *err)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	return rc == SQLITE_DONE ? MN_OK : db_fail(c, err, "write the dictionaries");
}

/*
 * Reads the Bloom filter name from dict_filters into b (of 2^log2_bits
 * bits); 0 when it is not there, or of another size, so that the caller
 * builds it from the dictionaries instead.
 */
static int filter_load(struct mn_cols *c, const char *name, unsigned log2_bits, struct mn_bloom *b,
		       struct mn_err *err)
{
	sqlite3_stmt *s = stmt(c, S_FILTER_READ, err);
	int found = 0, rc;

	if (!s)
		return 0;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_int64(s, 0) == (int64_t)log2_bits) {
		mn_bloom_size(b, log2_bits);
		if ((size_t)sqlite3_column_bytes(s, 1) == mn_bloom_bytes(b)) {
			memcpy(b->w, sqlite3_column_blob(s, 1), mn_bloom_bytes(b));
			found = 1;
		}
	} else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_fail(c, err, "read the writer's filters");
	}
	sqlite3_reset(s);
	return found;
}

/*
 * MN_COLS_FILTERS_AFTER (some 25 000 topics or 40 000 headings): reading
 * the dictionaries whole takes about a tenth of a second from there, and a
 * smaller index is spared the filters' megabytes.
 */
void mn_cols_set_filters_after(struct mn_cols *c, size_t hashes)
{
	c->filters_after = hashes ? hashes : MN_COLS_FILTERS_AFTER;
}

/* Saves b as name when it is kept (*kept) or has grown enough to be. */
static int filter_save(struct mn_cols *c, const char *name, const struct mn_bloom *b, int *kept,
		       struct mn_err *err)
{
	sqlite3_stmt *s;

	if (!b->w || (!*kept && b->n < c->filters_after))
		return MN_OK;
	*kept = 1;
	if (!(s = stmt(c, S_FILTER_WRITE, err)))
		return err->status;
	sqlite3_bind_text(s, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, b->log2_bits);
	sqlite3_bind_blob(s, 3, b->w, (int)mn_bloom_bytes(b), SQLITE_STATIC);
	return step_write(c, s, err);
}

/*
 * The bits of heading_seqs: 16 Mbit (2 MB). At a million passages (770 000
 * sequences) about one in 500 passes for a heading's that is none; at ten
 * million, two in five.
 */
#define HEADING_SEQS_LOG2_BITS 24

/* What heading_seqs keeps for a heading's whole sequence of hash h. */
static uint64_t whole_seq(uint64_t h)
{
	return mn_hash_update(h, "\x1e", 1);
}

/* Adds a new heading's stems st to heading_seqs. */
static void heading_seqs_add(struct mn_cols *c, const struct stems *st)
{
	size_t k;

	for (k = 1; k <= st->n; k++)
		mn_bloom_add(&c->heading_seqs, seq_hash(st, 0, k));
	mn_bloom_add(&c->heading_seqs, whole_seq(seq_hash(st, 0, st->n)));
	c->heading_seqs_dirty = 1;
}

static int by_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

static void put32(unsigned char *p, uint32_t v);
static uint32_t get32(const unsigned char *p);

/*
 * What dict_headings.fold keeps of a heading: the hash of its text folded
 * (mn_fold), which *folded gets (a new string) unless folded is NULL.
 */
static int64_t fold_key(const char *text, char **folded)
{
	char *f = mn_fold(text);
	int64_t key = key_of(mn_hash_update(MN_HASH_INIT, f, strlen(f)));

	if (folded)
		*folded = f;
	else
		free(f);
	return key;
}

/* v[0..n) as a BLOB of u32, little-endian (a new buffer of 4n bytes, at least one). */
static unsigned char *u32_blob(const uint32_t *v, size_t n)
{
	unsigned char *b = mn_xmalloc(n ? 4 * n : 1);
	size_t i;

	for (i = 0; i < n; i++)
		put32(b + 4 * i, v[i]);
	return b;
}

/* Marks the topic_chunks row of topic for rebuilding at the next flush. */
static void topic_touch(struct mn_cols *c, int64_t topic)
{
	MN_GROW(c->topics_touched, c->ntopics_touched + 1, c->topics_touched_cap);
	c->topics_touched[c->ntopics_touched++] = topic >> TOPIC_CHUNK_BITS;
}

/* Sorts and removes repeats. */
static size_t unique_u32(uint32_t *v, size_t n)
{
	size_t i, k = 0;

	if (n > 1)
		qsort(v, n, sizeof(*v), by_u32);
	for (i = 0; i < n; i++)
		if (!k || v[k - 1] != v[i])
			v[k++] = v[i];
	return k;
}

/* The FTS5 phrase of text: its words in order, as the topic: filter writes them. */
static char *phrase_of(const char *text)
{
	struct mn_buf b = MN_BUF_INIT;

	mn_query_quote(&b, text);
	return mn_buf_detach(&b);
}

/*
 * A new heading with a stem in at most this many topics finds the topics
 * that contain it through that stem, each path checked (a few microseconds
 * each); FTS5's phrase query over common stems took milliseconds at 100k topics.
 */
#define FEW_TOPICS 128

/* The hash by which topic_words knows a stem (n bytes). */
static uint64_t stem_hash(const void *stem, size_t n)
{
	return mn_hash_update(MN_HASH_INIT, stem, n);
}

/* The hash by which topic_pairs knows stems i and i + 1 of st. */
static uint64_t pair_hash(const struct stems *st, size_t i)
{
	uint64_t h = mn_hash_update(stem_hash(st->v[i], strlen(st->v[i])), "\x1f", 1);

	return mn_hash_update(h, st->v[i + 1], strlen(st->v[i + 1]));
}

/*
 * The bits of topic_pairs: 8 Mbit (1 MB). At a million passages (300 000
 * pairs) about one pair in a thousand that is in no topic passes for one
 * that is; at ten million, one in four.
 */
#define TOPIC_PAIRS_LOG2_BITS 23

/* Adds the stems of a topic path to topic_words and topic_pairs. */
static void topic_words_add(struct mn_cols *c, const struct stems *st)
{
	size_t i;

	for (i = 0; i < st->n; i++) {
		mn_u64set_add(&c->topic_words, stem_hash(st->v[i], strlen(st->v[i])));
		if (i + 1 < st->n)
			mn_bloom_add(&c->topic_pairs, pair_hash(st, i));
	}
	c->topic_pairs_dirty = 1;
}

/* Adds h to b, or with check set says whether b may have it. */
static int visit_hash(struct mn_bloom *b, uint64_t h, int check)
{
	if (check)
		return mn_bloom_may_have(b, h);
	mn_bloom_add(b, h);
	return 1;
}

/*
 * Goes over the hashes a filter keeps of the dictionaries: with pairs set,
 * every two stems side by side in a topic path (topic_pairs); else every
 * sequence a heading's stems as stored start with, and its whole one
 * (heading_seqs). Adds each to b; with check set, asks b for each instead
 * and returns the first topic path or heading (a new string) it lacks one
 * of. NULL otherwise, and on error (err set).
 */
static char *dict_hashes(struct mn_cols *c, int pairs, struct mn_bloom *b, int check,
			 struct mn_err *err)
{
	struct stems st = {NULL, NULL, 0, 0};
	sqlite3_stmt *s = NULL;
	char *missed = NULL;
	int rc = SQLITE_DONE;

	if (sqlite3_prepare_v2(c->db,
			       pairs ? "SELECT path FROM dict_topics"
				     : "SELECT text, stems FROM dict_headings",
			       -1, &s, NULL) != SQLITE_OK) {
		db_fail(c, err, "read the dictionaries");
		return NULL;
	}
	while (!missed && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(s, 0);
		int all = 1;

		if (pairs) {
			size_t i;

			if (stems_of(c, text, &st, err))
				break;
			for (i = 0; all && i + 1 < st.n; i++)
				all = visit_hash(b, pair_hash(&st, i), check);
		} else {
			/* Joined as seq_hash hashes them: the hash at each separator is a start's.
			 */
			const char *p = (const char *)sqlite3_column_text(s, 1), *sep;
			uint64_t h = MN_HASH_INIT;

			for (; all && p && (sep = strchr(p, '\x1f')); p = sep + 1) {
				h = mn_hash_update(h, p, (size_t)(sep + 1 - p));
				all = visit_hash(b, h, check);
			}
			if (all)
				all = visit_hash(b, whole_seq(h), check);
		}
		if (!all)
			missed = mn_xstrdup(text);
	}
	if (!missed && !err->status && rc != SQLITE_DONE)
		db_fail(c, err, "read the dictionaries");
	sqlite3_finalize(s);
	stems_release(&st);
	return missed;
}

/*
 * Fills topic_words and topic_pairs the first time: the words with how many
 * topics have each from dict_topics_fts's vocabulary, the pairs from
 * dict_filters, else from every topic path.
 */
static int topic_words_load(struct mn_cols *c, struct mn_err *err)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if (c->topic_words_loaded)
		return MN_OK;
	if (sqlite3_exec(c->db,
			 "CREATE VIRTUAL TABLE IF NOT EXISTS temp.mn_topics_vocab "
			 "USING fts5vocab(main, dict_topics_fts, row)",
			 NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(c->db, "SELECT term, doc FROM temp.mn_topics_vocab", -1, &s, NULL) !=
		SQLITE_OK) {
		sqlite3_finalize(s);
		return db_fail(c, err, "read the topics' words");
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t doc = sqlite3_column_int64(s, 1);

		mn_u64set_add_n(
		    &c->topic_words,
		    stem_hash(sqlite3_column_text(s, 0), (size_t)sqlite3_column_bytes(s, 0)),
		    doc > 0 && doc < UINT32_MAX ? (uint32_t)doc : UINT32_MAX);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return db_fail(c, err, "read the topics' words");
	if (filter_load(c, "topic_pairs", TOPIC_PAIRS_LOG2_BITS, &c->topic_pairs, err) ||
	    err->status) {
		c->topic_words_loaded = c->topic_pairs_kept = !err->status;
		return err->status;
	}
	mn_bloom_size(&c->topic_pairs, TOPIC_PAIRS_LOG2_BITS);
	c->topic_pairs_dirty = 1;
	dict_hashes(c, 1, &c->topic_pairs, 0, err);
	c->topic_words_loaded = !err->status;
	return err->status;
}

/* Fills heading_seqs the first time: from dict_filters, else from dict_headings. */
static int heading_seqs_load(struct mn_cols *c, struct mn_err *err)
{
	if (c->heading_seqs_loaded)
		return MN_OK;
	if (filter_load(c, "heading_seqs", HEADING_SEQS_LOG2_BITS, &c->heading_seqs, err) ||
	    err->status) {
		c->heading_seqs_loaded = c->heading_seqs_kept = !err->status;
		return err->status;
	}
	mn_bloom_size(&c->heading_seqs, HEADING_SEQS_LOG2_BITS);
	c->heading_seqs_dirty = 1;
	dict_hashes(c, 0, &c->heading_seqs, 0, err);
	c->heading_seqs_loaded = !err->status;
	return err->status;
}

/*
 * The topic path or heading (a new string) that a saved filter misses a hash
 * of, NULL when it has all (or is not saved): a filter that lost some would
 * leave heads out of new topics without a word.
 */
static char *filter_misses(struct mn_cols *c, int pairs, struct mn_err *err)
{
	struct mn_bloom b = {NULL, 0, 0};
	char *missed = NULL;

	if (filter_load(c, pairs ? "topic_pairs" : "heading_seqs",
			pairs ? TOPIC_PAIRS_LOG2_BITS : HEADING_SEQS_LOG2_BITS, &b, err))
		missed = dict_hashes(c, pairs, &b, 1, err);
	mn_bloom_release(&b);
	return missed;
}

int mn_cols_check_filters(struct mn_cols *c, struct mn_err *err)
{
	int pairs;

	for (pairs = 1; pairs >= 0 && !err->status; pairs--) {
		char *missed = filter_misses(c, pairs, err);

		if (missed) {
			mn_err_set(err, MN_ERR_DB, "the writer's saved filter of %s misses %s '%s'",
				   pairs ? "topics" : "headings", pairs ? "topic" : "heading",
				   missed);
			free(missed);
		}
	}
	return err->status;
}

static uint32_t *first_of_classes(struct mn_cols *c, size_t *n, struct mn_err *err);
static unsigned char *topic_chunk_of(struct mn_cols *c, int64_t chunk, size_t *len,
				     struct mn_err *err);

int mn_cols_check_classes(struct mn_cols *c, struct mn_err *err)
{
	sqlite3_stmt *s = NULL;
	uint32_t *first = NULL;
	size_t n = 0, i;
	int rc = SQLITE_DONE;
	int64_t topic = 0, last = 0, chunk;

	if (schema_of(c) < 8)
		return MN_OK;
	if (!(first = first_of_classes(c, &n, err)))
		return err->status;
	if (sqlite3_prepare_v2(c->db, "SELECT id, coalesce(cls, id), fold FROM dict_headings", -1,
			       &s, NULL) != SQLITE_OK)
		db_fail(c, err, "read the headings");
	while (!err->status && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0), cls = sqlite3_column_int64(s, 1);
		const char *text = id > 0 && (size_t)id < n
				       ? mn_cols_name(c, MN_DICT_HEADINGS, (uint32_t)id, err)
				       : NULL;

		if (!text)
			continue;
		if (cls != first[id])
			mn_err_set(err, MN_ERR_DB, "heading '%s' is kept in class %lld, not %u",
				   text, (long long)cls, first[id]);
		else if (sqlite3_column_int64(s, 2) != fold_key(text, NULL))
			mn_err_set(err, MN_ERR_DB, "heading '%s' is kept with a wrong fold", text);
	}
	if (!err->status && rc != SQLITE_DONE)
		db_fail(c, err, "read the headings");
	sqlite3_finalize(s);
	s = NULL;
	/* Every topic has its classes, and they are classes (the first heading of each). */
	if (!err->status && sqlite3_prepare_v2(c->db,
					       "SELECT t.id, c.parts, c.heads FROM dict_topics t "
					       "LEFT JOIN topic_classes c ON c.id = t.id",
					       -1, &s, NULL) != SQLITE_OK)
		db_fail(c, err, "read the topics");
	while (!err->status && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		int col;

		topic = sqlite3_column_int64(s, 0);
		if (topic > last)
			last = topic;
		if (sqlite3_column_type(s, 1) == SQLITE_NULL) {
			mn_err_set(err, MN_ERR_DB, "topic %lld has no heading classes",
				   (long long)topic);
			break;
		}
		for (col = 1; col <= 2 && !err->status; col++) {
			const unsigned char *b = sqlite3_column_blob(s, col);
			size_t bytes = (size_t)sqlite3_column_bytes(s, col);

			for (i = 0; i + 4 <= bytes; i += 4) {
				uint32_t cls = get32(b + i);

				if (cls >= n || first[cls] != cls) {
					mn_err_set(err, MN_ERR_DB,
						   "topic %lld names %u, which is no heading class",
						   (long long)topic, cls);
					break;
				}
			}
		}
	}
	if (!err->status && rc != SQLITE_DONE)
		db_fail(c, err, "read the topics");
	sqlite3_finalize(s);
	free(first);
	/* And topic_chunks has them as topic_classes does. */
	for (chunk = 0; !err->status && chunk <= last >> TOPIC_CHUNK_BITS; chunk++) {
		size_t len = 0;
		unsigned char *want = topic_chunk_of(c, chunk, &len, err);

		s = NULL;
		if (want &&
		    sqlite3_prepare_v2(c->db, "SELECT data FROM topic_chunks WHERE chunk = ?1", -1,
				       &s, NULL) != SQLITE_OK)
			db_fail(c, err, "read the topics");
		if (s) {
			sqlite3_bind_int64(s, 1, chunk);
			rc = sqlite3_step(s);
			if (rc == SQLITE_ROW ? (size_t)sqlite3_column_bytes(s, 0) != len ||
						   memcmp(sqlite3_column_blob(s, 0), want, len)
					     : len > TOPIC_CHUNK_HEAD)
				mn_err_set(err, MN_ERR_DB,
					   "the topics' classes %lld differ from their topics'",
					   (long long)chunk);
			sqlite3_finalize(s);
		}
		free(want);
	}
	return err->status;
}

/*
 * Which of the stems st (a heading's) the fewest topics known have, with
 * about how many have it in *topics (never fewer than have it); 0 topics
 * when no topic can contain them all: one of them is in none, or two side
 * by side are so in none.
 */
static size_t rarest_stem(struct mn_cols *c, const struct stems *st, uint32_t *topics,
			  struct mn_err *err)
{
	size_t i, rarest = 0;

	*topics = 0;
	if (topic_words_load(c, err))
		return 0;
	for (i = 0; i < st->n; i++) {
		uint32_t n =
		    mn_u64set_count(&c->topic_words, stem_hash(st->v[i], strlen(st->v[i])));

		if (!n ||
		    (i + 1 < st->n && !mn_bloom_may_have(&c->topic_pairs, pair_hash(st, i)))) {
			*topics = 0;
			return 0;
		}
		if (!i || n < *topics) {
			*topics = n;
			rarest = i;
		}
	}
	return rarest;
}

/* Whether the stems of topic path have want's, in order, one after the other. */
static int path_contains(struct mn_cols *c, const char *path, const struct stems *want,
			 struct stems *scratch, struct mn_err *err)
{
	size_t i, k;

	if (stems_of(c, path, scratch, err))
		return 0;
	for (i = 0; i + want->n <= scratch->n; i++) {
		for (k = 0; k < want->n && !strcmp(scratch->v[i + k], want->v[k]); k++)
			;
		if (k == want->n)
			return 1;
	}
	return 0;
}

/*
 * Adds the class cls of a new heading (text, of stems st) to the heads of
 * the topics known whose stems have its stems in order. When a stem of it is in few topics, FTS5 is
 * asked for those topics and each path is checked here; else it is asked for
 * the phrase, which walks the long lists of the common stems.
 */
static int add_to_older_topics(struct mn_cols *c, const char *text, const struct stems *st,
			       uint32_t cls, struct mn_err *err)
{
	sqlite3_stmt *with, *get, *set;
	struct stems scratch = {NULL, NULL, 0, 0};
	struct mn_buf word = MN_BUF_INIT;
	int64_t *topics = NULL;
	size_t ntopics = 0, cap = 0, i, rarest;
	uint32_t count;
	int rc, check;

	if (!st->n)
		return MN_OK;
	rarest = rarest_stem(c, st, &count, err);
	if (err->status || !count)
		return err->status;
	if (!(with = stmt(c, S_TOPICS_WITH, err)))
		return err->status;
	check = count <= FEW_TOPICS;
	if (check)
		mn_buf_add(&word, text + st->at[rarest][0], st->at[rarest][1] - st->at[rarest][0]);
	sqlite3_bind_text(with, 1, phrase_of(check ? mn_buf_str(&word) : text), -1, free);
	mn_buf_release(&word);
	while ((rc = sqlite3_step(with)) == SQLITE_ROW) {
		MN_GROW(topics, ntopics + 1, cap);
		topics[ntopics++] = sqlite3_column_int64(with, 0);
	}
	sqlite3_reset(with);
	if (rc != SQLITE_DONE) {
		free(topics);
		return db_fail(c, err, "find the topics of a heading");
	}
	for (i = 0; i < ntopics && !err->status; i++) {
		const unsigned char *b;
		unsigned char *blob;
		uint32_t *heads;
		size_t n, k;

		if (!(get = stmt(c, S_TOPIC_HEADS, err)))
			break;
		sqlite3_bind_int64(get, 1, topics[i]);
		if (sqlite3_step(get) != SQLITE_ROW ||
		    (check && !path_contains(c, (const char *)sqlite3_column_text(get, 1), st,
					     &scratch, err))) {
			sqlite3_reset(get);
			continue;
		}
		n = (size_t)sqlite3_column_bytes(get, 0) / 4;
		b = sqlite3_column_blob(get, 0);
		heads = mn_xmalloc((n + 1) * sizeof(*heads));
		for (k = 0; k < n; k++)
			heads[k] = get32(b + 4 * k);
		sqlite3_reset(get);
		heads[n++] = cls;
		k = unique_u32(heads, n);
		/* Another heading of the class may be among them already. */
		if (k == n && (set = stmt(c, S_TOPIC_SET_HEADS, err))) {
			blob = u32_blob(heads, k);
			sqlite3_bind_int64(set, 1, topics[i]);
			sqlite3_bind_blob(set, 2, blob, (int)(k * 4), free);
			step_write(c, set, err);
			topic_touch(c, topics[i]);
		}
		free(heads);
	}
	stems_release(&scratch);
	free(topics);
	return err->status;
}

/*
 * The id of text in a dictionary looked up by hashed key (statement which
 * selects id and text by key), or 0 when absent or on error (err set).
 */
static int64_t id_by_key(struct mn_cols *c, int which, uint64_t key, const char *text,
			 const char *what, struct mn_err *err)
{
	sqlite3_stmt *s = stmt(c, which, err);
	int64_t id = 0;
	int rc;

	if (!s)
		return 0;
	sqlite3_bind_int64(s, 1, key_of(key));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (!strcmp((const char *)sqlite3_column_text(s, 1), text))
			id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		db_fail(c, err, what);
		return 0;
	}
	return id;
}

/*
 * The class of the headings that fold (mn_fold) to folded, of hash key
 * (fold_key): the id of the first of them, 0 when there is none yet.
 */
static int64_t class_by_fold(struct mn_cols *c, const char *folded, int64_t key, struct mn_err *err)
{
	sqlite3_stmt *s = stmt(c, S_HEADING_BY_FOLD, err);
	int64_t cls = 0;
	int rc;

	if (!s)
		return 0;
	sqlite3_bind_int64(s, 1, key);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char *f = mn_fold((const char *)sqlite3_column_text(s, 1));

		if (!strcmp(f, folded))
			cls = sqlite3_column_int64(s, 0);
		free(f);
		if (cls)
			break;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		db_fail(c, err, "read the headings");
	return err->status ? 0 : cls;
}

/*
 * The class of a heading (a part of a topic path): headings that fold alike
 * (mn_fold: case, accents, spacing) are one class, numbered by the id of
 * the first of them, so that a number once given holds (dictionaries only
 * grow). A new heading goes in with its stems, their sequence and every
 * prefix of it (for finding the headings a path contains), and the topics
 * already known that contain it learn of its class.
 */
static uint32_t heading_class(struct mn_cols *c, const char *text, struct stems *st,
			      struct mn_err *err)
{
	size_t len = strlen(text);
	uint64_t key = mn_hash_update(MN_HASH_INIT, text, len);
	int found = 0;
	void *v = mn_strmap_get(&c->headings, text, len, &found);
	sqlite3_stmt *s;
	int64_t cls = 0, fkey;
	char *joined, *folded;

	if (found)
		return (uint32_t)(uintptr_t)v;
	cls = id_by_key(c, S_HEADING_BY_KEY, key, text, "read the headings", err);
	if (err->status)
		return 0;
	if (!cls) {
		fkey = fold_key(text, &folded);
		cls = class_by_fold(c, folded, fkey, err);
		free(folded);
		if (err->status || stems_of(c, text, st, err) || !(s = stmt(c, S_HEADING_ADD, err)))
			return 0;
		joined = stems_joined(st, 0, st->n);
		sqlite3_bind_int64(s, 1, key_of(key));
		sqlite3_bind_int64(s, 2, key_of(seq_hash(st, 0, st->n)));
		sqlite3_bind_text(s, 3, text, (int)len, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, joined, -1, free);
		sqlite3_bind_int64(s, 5, fkey);
		if (cls)
			sqlite3_bind_int64(s, 6, cls);
		else
			sqlite3_bind_null(s, 6); /* the first of its class */
		if (step_write(c, s, err))
			return 0;
		if (!cls)
			cls = sqlite3_last_insert_rowid(c->db);
		/* Loaded first: the filter saved must have every heading. */
		if (!id_fits(cls, "headings", err) || heading_seqs_load(c, err))
			return 0;
		heading_seqs_add(c, st);
		if (add_to_older_topics(c, text, st, (uint32_t)cls, err))
			return 0;
	} else if (!id_fits(cls, "headings", err)) {
		return 0;
	}
	cache_put(&c->headings, text, len, (void *)(uintptr_t)cls);
	return (uint32_t)cls;
}

/* The class of every heading whose stems occur in order in st (a path's), appended to out. */
static int contained_headings(struct mn_cols *c, const struct stems *st, struct idlist *out,
			      struct mn_err *err)
{
	size_t i, j;

	if (heading_seqs_load(c, err))
		return err->status;
	for (i = 0; i < st->n && !err->status; i++) {
		for (j = i + 1; j <= st->n && !err->status; j++) {
			uint64_t h = seq_hash(st, i, j);
			sqlite3_stmt *s;
			char *want;
			int rc;

			if (!mn_bloom_may_have(&c->heading_seqs, h))
				break; /* no heading starts so */
			if (!mn_bloom_may_have(&c->heading_seqs, whole_seq(h)))
				continue; /* nor is one so */
			if (!(s = stmt(c, S_HEADING_BY_SEQ, err)))
				break;
			want = stems_joined(st, i, j);
			sqlite3_bind_int64(s, 1, key_of(h));
			while ((rc = sqlite3_step(s)) == SQLITE_ROW)
				if (!strcmp((const char *)sqlite3_column_text(s, 1), want)) {
					MN_GROW(out->v, out->n + 1, out->cap);
					out->v[out->n++] = (uint32_t)sqlite3_column_int64(s, 0);
				}
			sqlite3_reset(s);
			free(want);
			if (rc != SQLITE_DONE)
				db_fail(c, err, "read the headings");
		}
	}
	return err->status;
}

uint32_t mn_cols_topic_id(struct mn_cols *c, const char *path, struct mn_err *err)
{
	size_t len = strlen(path), nparts = 0, i, n;
	uint64_t key = mn_hash_update(MN_HASH_INIT, path, len);
	int found = 0;
	void *v = mn_strmap_get(&c->topics, path, len, &found);
	struct stems st = {NULL, NULL, 0, 0};
	struct idlist heads = {NULL, 0, 0};
	uint32_t *parts = NULL;
	char **names = NULL;
	sqlite3_stmt *s;
	int64_t id = 0;

	if (found)
		return (uint32_t)(uintptr_t)v;
	id = id_by_key(c, S_TOPIC_BY_KEY, key, path, "read the topics", err);
	if (err->status)
		return 0;
	if (id)
		goto found;

	/* New: its headings first (which tells the older topics about new ones). */
	names = mn_strv_split(path, MN_LIST_SEP, &nparts);
	parts = mn_xcalloc(nparts ? nparts : 1, sizeof(*parts));
	for (i = 0, n = 0; i < nparts && !err->status; i++)
		if (*names[i] && (parts[n] = heading_class(c, names[i], &st, err)))
			n++;
	mn_strv_free(names, nparts);
	nparts = unique_u32(parts, n);
	if (err->status || stems_of(c, path, &st, err) || contained_headings(c, &st, &heads, err))
		goto out;
	heads.n = unique_u32(heads.v, heads.n);
	/* Loaded first: the filter saved must have every topic's pairs. */
	if (topic_words_load(c, err))
		goto out;
	topic_words_add(c, &st);

	if (!(s = stmt(c, S_TOPIC_ADD, err)))
		goto out;
	sqlite3_bind_int64(s, 1, key_of(key));
	sqlite3_bind_text(s, 2, path, (int)len, SQLITE_STATIC);
	if (step_write(c, s, err))
		goto out;
	id = sqlite3_last_insert_rowid(c->db);
	c->topics_added = 1;
	if (!(s = stmt(c, S_TOPIC_CLASSES_ADD, err)))
		goto out;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_blob(s, 2, u32_blob(parts, nparts), (int)(nparts * 4), free);
	sqlite3_bind_blob(s, 3, u32_blob(heads.v, heads.n), (int)(heads.n * 4), free);
	if (step_write(c, s, err))
		goto out;
	topic_touch(c, id);
	if (!(s = stmt(c, S_TOPIC_FTS_ADD, err)))
		goto out;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_text(s, 2, path, (int)len, SQLITE_STATIC);
	if (step_write(c, s, err))
		goto out;
found:
	if (!id_fits(id, "topics", err))
		goto out;
	cache_put(&c->topics, path, len, (void *)(uintptr_t)id);
out:
	stems_release(&st);
	free(heads.v);
	free(parts);
	return err->status ? 0 : (uint32_t)id;
}

/* ---- writing: one chunk ------------------------------------------------------- */

/* A list column being built: offsets for each row, values appended in row order. */
struct list_build {
	uint32_t *offsets; /* MN_CHUNK_ROWS + 1 */
	struct idlist values;
	size_t row; /* rows whose offsets are set */
};

static void list_start(struct list_build *l)
{
	l->offsets = mn_xcalloc(MN_CHUNK_ROWS + 1, sizeof(*l->offsets));
	l->values.n = 0;
	l->row = 0;
}

/* Appends value to row (rows come in increasing order). */
static void list_add(struct list_build *l, size_t row, uint32_t value)
{
	while (l->row < row)
		l->offsets[++l->row] = (uint32_t)l->values.n;
	/* A value the row has already (one org for two speakers) is kept once. */
	for (size_t k = l->offsets[row]; k < l->values.n; k++)
		if (l->values.v[k] == value)
			return;
	MN_GROW(l->values.v, l->values.n + 1, l->values.cap);
	l->values.v[l->values.n++] = value;
	l->offsets[row + 1] = (uint32_t)l->values.n;
}

static void list_finish(struct list_build *l)
{
	while (l->row < MN_CHUNK_ROWS) {
		l->row++;
		l->offsets[l->row] = (uint32_t)l->values.n;
	}
}

static int write_blob(struct mn_cols *c, int64_t id, const void *a, size_t an, const void *b,
		      size_t bn, struct mn_err *err)
{
	sqlite3_stmt *s = stmt(c, S_WRITE, err);
	unsigned char *data;
	int rc;

	if (!s)
		return err->status;
	data = mn_xmalloc(an + bn ? an + bn : 1);
	memcpy(data, a, an);
	if (bn)
		memcpy(data + an, b, bn);
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_blob(s, 2, data, (int)(an + bn), free);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_fail(c, err, "write the columns");
	return MN_OK;
}

/* ---- encodings ------------------------------------------------------------------ */

/*
 * How a column of a chunk is kept (the first byte of its BLOB). Arrays are
 * decoded whole when loaded; only the fixed widths can be read one value
 * at a time.
 *   ENC_U32  4096 values of 4 bytes        ENC_U16  4096 of 2 (all below 65536)
 *   ENC_U8   4096 of 1 (kinds; lengths all below 256)
 *   ENC_SMALL lengths: 4096 of 7 bits (3584 bytes, value i from bit 7i),
 *            127 for those that do not fit, then a count and (row u16,
 *            value u32) each for those, in row order. Most chunks' lengths
 *            then fit in one page, where U8 takes two: a search whose
 *            matches are few in each chunk reads half the pages.
 *   ENC_RUNS runs of equal values: a count, then (first row u16, value u32)
 *            each (meetings, dates, topics and series change rarely)
 *   ENC_LIST a count, then the rows (u16) and the values (u32) of the list
 *            entries, in row order; ENC_LIST16 the same with values of u16
 *            (all below 65536)
 * Numbers are little-endian.
 */
enum {
	ENC_U32 = 'W',
	ENC_U16 = 'H',
	ENC_U8 = 'B',
	ENC_RUNS = MN_ENC_RUNS,
	ENC_LIST = 'L',
	ENC_LIST16 = MN_ENC_LIST16,
	ENC_SMALL = MN_ENC_SMALL
};

/* The bytes per value of a fixed-width encoding, 0 for the others. */
static int enc_width(unsigned char enc)
{
	return enc == ENC_U8 ? 1 : enc == ENC_U16 ? 2 : enc == ENC_U32 ? 4 : 0;
}

#define SMALL_BITS  MN_SMALL_BITS
#define SMALL_LONG  MN_SMALL_LONG /* the value of a row among the long ones */
#define SMALL_BYTES (MN_CHUNK_ROWS * SMALL_BITS / 8)
#define SMALL_HEAD  (1 + SMALL_BYTES + 4) /* up to the long rows */

static void put16(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static uint32_t get16(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The value of width bytes (1, 2 or 4) at p. */
static uint32_t get_width(const unsigned char *p, int width)
{
	return width == 1 ? p[0] : width == 2 ? get16(p) : get32(p);
}

/* The narrowest fixed width for v (a new buffer of *n bytes). */
static unsigned char *encode_fixed(const uint32_t *v, size_t *n)
{
	uint32_t max = 0;
	unsigned char *b;
	size_t i, w;

	for (i = 0; i < MN_CHUNK_ROWS; i++)
		if (v[i] > max)
			max = v[i];
	w = max < 256 ? 1 : max < 65536 ? 2 : 4;
	*n = 1 + MN_CHUNK_ROWS * w;
	b = mn_xmalloc(*n);
	b[0] = w == 1 ? ENC_U8 : w == 2 ? ENC_U16 : ENC_U32;
	for (i = 0; i < MN_CHUNK_ROWS; i++)
		if (w == 1)
			b[1 + i] = (unsigned char)v[i];
		else if (w == 2)
			put16(b + 1 + 2 * i, v[i]);
		else
			put32(b + 1 + 4 * i, v[i]);
	return b;
}

/* Lengths: ENC_SMALL when smaller than the narrowest fixed width (a new buffer of *n bytes). */
static unsigned char *encode_lengths(const uint32_t *v, size_t *n)
{
	size_t i, nlong = 0, fixed_n;
	unsigned char *b = encode_fixed(v, &fixed_n), *p;

	for (i = 0; i < MN_CHUNK_ROWS; i++)
		if (v[i] >= SMALL_LONG)
			nlong++;
	*n = SMALL_HEAD + 6 * nlong;
	if (*n >= fixed_n) {
		*n = fixed_n;
		return b;
	}
	free(b);
	b = mn_xcalloc(1, *n);
	b[0] = ENC_SMALL;
	for (i = 0; i < MN_CHUNK_ROWS; i++) {
		uint32_t x = v[i] < SMALL_LONG ? v[i] : SMALL_LONG;
		size_t bit = i * SMALL_BITS;

		b[1 + bit / 8] |= (unsigned char)(x << (bit % 8));
		if (bit % 8 + SMALL_BITS > 8)
			b[2 + bit / 8] |= (unsigned char)(x >> (8 - bit % 8));
	}
	put32(b + 1 + SMALL_BYTES, (uint32_t)nlong);
	p = b + SMALL_HEAD;
	for (i = 0; i < MN_CHUNK_ROWS; i++)
		if (v[i] >= SMALL_LONG) {
			put16(p, (uint32_t)i);
			put32(p + 2, v[i]);
			p += 6;
		}
	return b;
}

/* Row r of an ENC_SMALL column b (well formed, see raw_valid). */
static uint32_t small_value(const unsigned char *b, size_t r)
{
	size_t lo = 0, hi = get32(b + 1 + SMALL_BYTES);
	uint32_t x = mn_small_code(b + 1, r);

	if (x != SMALL_LONG)
		return x;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint32_t row = get16(b + SMALL_HEAD + 6 * mid);

		if (row == r)
			return get32(b + SMALL_HEAD + 6 * mid + 2);
		if (row < r)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0; /* not among them: cannot be, in a column this program wrote */
}

static unsigned char *encode_runs(const uint32_t *v, size_t *n)
{
	size_t i, runs = 0;
	unsigned char *b, *p;

	for (i = 0; i < MN_CHUNK_ROWS; i++)
		if (!i || v[i] != v[i - 1])
			runs++;
	*n = 1 + 4 + runs * 6;
	b = mn_xmalloc(*n);
	b[0] = ENC_RUNS;
	put32(b + 1, (uint32_t)runs);
	p = b + 5;
	for (i = 0; i < MN_CHUNK_ROWS; i++)
		if (!i || v[i] != v[i - 1]) {
			put16(p, (uint32_t)i);
			put32(p + 2, v[i]);
			p += 6;
		}
	return b;
}

/* A list in CSR form (offsets[MN_CHUNK_ROWS + 1], values) as row and value pairs. */
static unsigned char *encode_list(const uint32_t *offsets, const uint32_t *values, size_t *n)
{
	size_t count = offsets[MN_CHUNK_ROWS], r, k, w = 2;
	unsigned char *b, *rows, *vals;

	for (k = 0; k < count; k++)
		if (values[k] > 0xffff)
			w = 4;
	*n = 1 + 4 + count * (2 + w);
	b = mn_xmalloc(*n);
	b[0] = w == 2 ? ENC_LIST16 : ENC_LIST;
	put32(b + 1, (uint32_t)count);
	rows = b + 5;
	vals = rows + 2 * count;
	for (r = 0; r < MN_CHUNK_ROWS; r++)
		for (k = offsets[r]; k < offsets[r + 1]; k++) {
			put16(rows + 2 * k, (uint32_t)r);
			if (w == 2)
				put16(vals + 2 * k, values[k]);
			else
				put32(vals + 4 * k, values[k]);
		}
	return b;
}

/* ---- the people's chunks ------------------------------------------------------ */

static int raw_valid(enum mn_col col, const unsigned char *b, size_t n, size_t *count);

static int by_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* The people a chunk's stored list column col names, sorted, once each, appended to out. */
static int stored_people(struct mn_cols *c, int64_t chunk, enum mn_col col, struct idlist *out,
			 struct mn_err *err)
{
	sqlite3_stmt *s = stmt(c, S_READ, err);
	size_t count, k, n, w;
	int rc;

	out->n = 0;
	if (!s)
		return err->status;
	sqlite3_bind_int64(s, 1, col_id(c, chunk, col));
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const unsigned char *b = sqlite3_column_blob(s, 0);

		n = (size_t)sqlite3_column_bytes(s, 0);
		if (!b || !raw_valid(col, b, n, &count)) {
			sqlite3_reset(s);
			return mn_err_set(err, MN_ERR_DB,
					  "the index is damaged: column %d of chunk %lld is not "
					  "what it should be (rebuild it with 'minutes-index "
					  "--rebuild')",
					  (int)col, (long long)chunk);
		}
		w = b[0] == ENC_LIST16 ? 2 : 4;
		for (k = 0; k < count; k++) {
			const unsigned char *v = b + 5 + 2 * count + w * k;

			MN_GROW(out->v, out->n + 1, out->cap);
			out->v[out->n++] = w == 2 ? get16(v) : get32(v);
		}
	} else if (rc != SQLITE_DONE) {
		sqlite3_reset(s);
		return db_fail(c, err, "read the columns");
	}
	sqlite3_reset(s);
	out->n = unique_u32(out->v, out->n);
	return MN_OK;
}

static int write_person_chunk(struct mn_cols *c, uint32_t person, int role, int64_t chunk,
			      const unsigned char *rows, size_t n, struct mn_err *err)
{
	sqlite3_stmt *s = stmt(c, n ? S_PC_WRITE : S_PC_DELETE, err);

	if (!s)
		return err->status;
	sqlite3_bind_int64(s, 1, person);
	sqlite3_bind_int(s, 2, role);
	sqlite3_bind_int64(s, 3, chunk);
	if (n)
		sqlite3_bind_blob(s, 4, rows, (int)n, SQLITE_TRANSIENT);
	if (sqlite3_step(s) != SQLITE_DONE) {
		sqlite3_reset(s);
		return db_fail(c, err, "write the people's passages");
	}
	sqlite3_reset(s);
	return MN_OK;
}

/*
 * Writes the chunk's rows of each person in the list of role (NULL when the
 * chunk has no passages), and removes those of the people its stored column
 * named and the new list does not. Before the column itself is written.
 */
static int build_person_chunks(struct mn_cols *c, int64_t chunk, int role,
			       const struct list_build *l, struct mn_err *err)
{
	enum mn_col col = role == 1 ? MN_COL_OWNERS : MN_COL_SPEAKERS;
	struct idlist old = {NULL, 0, 0};
	uint64_t *pairs = NULL;
	unsigned char *rows = NULL;
	size_t npairs = l ? l->offsets[MN_CHUNK_ROWS] : 0, r, k, i, o = 0;

	if (stored_people(c, chunk, col, &old, err))
		goto out;
	if (npairs) {
		/* (person, row) pairs in that order: each person's rows, increasing. */
		pairs = mn_xmalloc(npairs * sizeof(*pairs));
		rows = mn_xmalloc(2 * npairs);
		for (r = 0, k = 0; r < MN_CHUNK_ROWS; r++)
			for (; k < l->offsets[r + 1]; k++)
				pairs[k] = (uint64_t)l->values.v[k] << 16 | r;
		qsort(pairs, npairs, sizeof(*pairs), by_u64);
	}
	for (i = 0; i < npairs && !err->status;) {
		uint32_t person = (uint32_t)(pairs[i] >> 16);
		size_t n = 0;

		for (; i < npairs && (uint32_t)(pairs[i] >> 16) == person; i++)
			if (!n || get16(rows + 2 * (n - 1)) != (pairs[i] & 0xffff))
				put16(rows + 2 * n++, (uint32_t)(pairs[i] & 0xffff));
		/* Those named before and no longer, up to this one. */
		for (; o < old.n && old.v[o] <= person; o++)
			if (old.v[o] < person)
				write_person_chunk(c, old.v[o], role, chunk, NULL, 0, err);
		if (!err->status)
			write_person_chunk(c, person, role, chunk, rows, 2 * n, err);
	}
	for (; o < old.n && !err->status; o++)
		write_person_chunk(c, old.v[o], role, chunk, NULL, 0, err);
out:
	free(old.v);
	free(pairs);
	free(rows);
	return err->status;
}

int mn_cols_renumber(struct mn_cols *c, struct mn_err *err)
{
	/*
	 * From chunk * MN_COL_STRIDE (16) + column to MN_COL_ID: every new id is
	 * past every old one (column + 1 above 32 bits), so no two ever meet.
	 */
	static const char sql[] = "UPDATE cols SET id = ((id % 16) + 1) * 4294967296 + id / 16 "
				  "WHERE id < 4294967296";

	drop_chunks(c);
	close_blobs(c);
	if (sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(c, err, "number the columns");
	c->schema = 6; /* as the caller makes it in this transaction */
	return MN_OK;
}

int mn_cols_add_person_chunks(struct mn_cols *c, struct mn_err *err)
{
	sqlite3_stmt *s = NULL;
	unsigned char *rows;
	uint32_t person = 0;
	int64_t chunk = -1;
	size_t n = 0;
	int role = -1, rc = SQLITE_DONE;

	/* Made anew: a table left by a program that did not keep it is not to be trusted. */
	if (sqlite3_exec(c->db, "DROP TABLE IF EXISTS person_chunks;\n" PERSON_CHUNKS_SQL, NULL,
			 NULL, NULL) != SQLITE_OK)
		return db_fail(c, err, "add the people's passages to the index");
	rows = mn_xmalloc(2 * MN_CHUNK_ROWS);
	/* passage_people's index on person gives each person's passages in order. */
	if (sqlite3_prepare_v2(c->db,
			       "SELECT person_id, role, passage_id FROM passage_people "
			       "WHERE role IN (0, 1) AND passage_id >= 0 "
			       "ORDER BY person_id, role, passage_id",
			       -1, &s, NULL) != SQLITE_OK)
		db_fail(c, err, "read the people's passages");
	while (!err->status && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		uint32_t p = (uint32_t)sqlite3_column_int64(s, 0);
		int ro = sqlite3_column_int(s, 1);
		int64_t id = sqlite3_column_int64(s, 2);

		if (p != person || ro != role || id >> MN_CHUNK_BITS != chunk) {
			if (n)
				write_person_chunk(c, person, role, chunk, rows, 2 * n, err);
			person = p;
			role = ro;
			chunk = id >> MN_CHUNK_BITS;
			n = 0;
		}
		put16(rows + 2 * n++, (uint32_t)(id & (MN_CHUNK_ROWS - 1)));
	}
	if (!err->status && rc != SQLITE_DONE)
		db_fail(c, err, "read the people's passages");
	if (n && !err->status)
		write_person_chunk(c, person, role, chunk, rows, 2 * n, err);
	sqlite3_finalize(s);
	free(rows);
	return err->status;
}

/* The topic_chunks row of chunk as topic_classes has it (a new buffer of *len bytes). */
static unsigned char *topic_chunk_of(struct mn_cols *c, int64_t chunk, size_t *len,
				     struct mn_err *err)
{
	int64_t lo = chunk << TOPIC_CHUNK_BITS;
	struct mn_buf vals = MN_BUF_INIT;
	unsigned char *b = mn_xcalloc(1, TOPIC_CHUNK_HEAD);
	sqlite3_stmt *s = stmt(c, S_TOPIC_CHUNK_ROWS, err);
	int rc = SQLITE_DONE;

	if (s) {
		sqlite3_bind_int64(s, 1, lo);
		sqlite3_bind_int64(s, 2, lo + TOPIC_CHUNK_ROWS);
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			size_t r = (size_t)(sqlite3_column_int64(s, 0) - lo);
			int col;

			for (col = 1; col <= 2; col++) {
				size_t n = (size_t)sqlite3_column_bytes(s, col) / 4;

				put32(b + 8 * r + 4 * (size_t)(col - 1), (uint32_t)n);
				if (n)
					mn_buf_add(&vals, (const char *)sqlite3_column_blob(s, col),
						   4 * n);
			}
		}
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			db_fail(c, err, "read the topics' classes");
	}
	if (err->status) {
		free(b);
		mn_buf_release(&vals);
		return NULL;
	}
	*len = TOPIC_CHUNK_HEAD + vals.len;
	b = mn_xrealloc(b, *len);
	if (vals.len)
		memcpy(b + TOPIC_CHUNK_HEAD, vals.data, vals.len);
	mn_buf_release(&vals);
	return b;
}

static int write_topic_chunk(struct mn_cols *c, int64_t chunk, struct mn_err *err)
{
	size_t len = 0;
	unsigned char *b = topic_chunk_of(c, chunk, &len, err);
	sqlite3_stmt *s;

	if (!b)
		return err->status;
	if (!(s = stmt(c, S_TOPIC_CHUNK_WRITE, err))) {
		free(b);
		return err->status;
	}
	sqlite3_bind_int64(s, 1, chunk);
	sqlite3_bind_blob(s, 2, b, (int)len, free);
	return step_write(c, s, err);
}

/* The classes of the heading ids in blob b (n bytes): first[id] each, in order, each once. */
static size_t classes_of_ids(const unsigned char *b, size_t n, const uint32_t *first, size_t nfirst,
			     uint32_t **out)
{
	size_t i, k = 0;

	*out = mn_xmalloc(n ? n : 1);
	for (i = 0; i + 4 <= n; i += 4) {
		uint32_t id = get32(b + i);

		if (id < nfirst && first[id])
			(*out)[k++] = first[id];
	}
	return unique_u32(*out, k);
}

int mn_cols_add_topic_classes(struct mn_cols *c, struct mn_err *err)
{
	sqlite3_stmt *get = NULL, *set = NULL;
	uint32_t *first, *v;
	size_t n, i, np, nh;
	int rc = SQLITE_DONE;
	int64_t last = 0, chunk;

	if (sqlite3_exec(c->db,
			 "ALTER TABLE dict_headings ADD COLUMN fold INTEGER NOT NULL DEFAULT 0;\n"
			 "ALTER TABLE dict_headings ADD COLUMN cls INTEGER;\n" TOPIC_CLASSES_SQL,
			 NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(c, err, "add the headings' classes to the index");
	if (!(first = first_of_classes(c, &n, err)))
		return err->status;
	if (sqlite3_prepare_v2(c->db, "UPDATE dict_headings SET fold = ?2, cls = ?3 WHERE id = ?1",
			       -1, &set, NULL) != SQLITE_OK)
		db_fail(c, err, "add the headings' classes to the index");
	for (i = 1; i < n && !err->status; i++) {
		const char *text = mn_cols_name(c, MN_DICT_HEADINGS, (uint32_t)i, err);

		if (!text)
			continue;
		sqlite3_bind_int64(set, 1, (int64_t)i);
		sqlite3_bind_int64(set, 2, fold_key(text, NULL));
		if (first[i] != i)
			sqlite3_bind_int64(set, 3, first[i]);
		else
			sqlite3_bind_null(set, 3);
		step_write(c, set, err);
	}
	sqlite3_finalize(set);
	set = NULL;
	if (!err->status &&
	    (sqlite3_exec(c->db, "CREATE INDEX dict_headings_fold ON dict_headings(fold)", NULL,
			  NULL, NULL) != SQLITE_OK ||
	     sqlite3_prepare_v2(c->db, "SELECT id, parts, heads FROM dict_topics", -1, &get,
				NULL) != SQLITE_OK ||
	     sqlite3_prepare_v2(c->db,
				"INSERT INTO topic_classes(id, parts, heads) "
				"VALUES(?1, ?2, ?3)",
				-1, &set, NULL) != SQLITE_OK))
		db_fail(c, err, "add the topics' classes to the index");
	while (!err->status && (rc = sqlite3_step(get)) == SQLITE_ROW) {
		last = sqlite3_column_int64(get, 0);
		np = classes_of_ids(sqlite3_column_blob(get, 1),
				    (size_t)sqlite3_column_bytes(get, 1), first, n, &v);
		sqlite3_bind_int64(set, 1, sqlite3_column_int64(get, 0));
		sqlite3_bind_blob(set, 2, u32_blob(v, np), (int)(4 * np), free);
		free(v);
		nh = classes_of_ids(sqlite3_column_blob(get, 2),
				    (size_t)sqlite3_column_bytes(get, 2), first, n, &v);
		sqlite3_bind_blob(set, 3, u32_blob(v, nh), (int)(4 * nh), free);
		free(v);
		step_write(c, set, err);
	}
	if (!err->status && rc != SQLITE_DONE)
		db_fail(c, err, "read the topics");
	sqlite3_finalize(get);
	sqlite3_finalize(set);
	free(first);
	if (!err->status && sqlite3_exec(c->db,
					 "ALTER TABLE dict_topics DROP COLUMN parts;\n"
					 "ALTER TABLE dict_topics DROP COLUMN heads;\n",
					 NULL, NULL, NULL) != SQLITE_OK)
		db_fail(c, err, "add the topics' classes to the index");
	for (chunk = 0; !err->status && chunk <= last >> TOPIC_CHUNK_BITS; chunk++)
		write_topic_chunk(c, chunk, err);
	/* What was read of the index went by schema 7. */
	drop_chunks(c);
	return err->status;
}

/*
 * A chunk's rows as its columns hold them, read from the tables before
 * they are encoded: to write the columns, or to check them.
 */
struct chunk_rows {
	uint32_t *fixed[MN_COL_COUNT]; /* the u32 columns (NULL for the others) */
	uint8_t *kind;
	struct list_build lists[3]; /* speakers, owners, orgs */
	size_t rows;		    /* passages in it */
};

static int is_fixed(size_t col)
{
	return col != MN_COL_KIND && col < MN_COL_SPEAKERS;
}

static void chunk_rows_init(struct chunk_rows *cr)
{
	size_t i;

	memset(cr, 0, sizeof(*cr));
	for (i = 0; i < MN_COL_COUNT; i++)
		if (is_fixed(i))
			cr->fixed[i] = mn_xcalloc(MN_CHUNK_ROWS, sizeof(uint32_t));
	cr->kind = mn_xcalloc(MN_CHUNK_ROWS, 1);
	for (i = 0; i < 3; i++)
		list_start(&cr->lists[i]);
}

/* Empty again, for another chunk. */
static void chunk_rows_clear(struct chunk_rows *cr)
{
	size_t i;

	for (i = 0; i < MN_COL_COUNT; i++)
		if (cr->fixed[i])
			memset(cr->fixed[i], 0, MN_CHUNK_ROWS * sizeof(uint32_t));
	memset(cr->kind, 0, MN_CHUNK_ROWS);
	for (i = 0; i < 3; i++) {
		memset(cr->lists[i].offsets, 0, (MN_CHUNK_ROWS + 1) * sizeof(uint32_t));
		cr->lists[i].values.n = 0;
		cr->lists[i].row = 0;
	}
	cr->rows = 0;
}

static void chunk_rows_release(struct chunk_rows *cr)
{
	size_t i;

	for (i = 0; i < MN_COL_COUNT; i++)
		free(cr->fixed[i]);
	for (i = 0; i < 3; i++) {
		free(cr->lists[i].offsets);
		free(cr->lists[i].values.v);
	}
	free(cr->kind);
	memset(cr, 0, sizeof(*cr));
}

/* Row r's single values; series is a dict_series id (0: none). */
static void chunk_row_set(struct chunk_rows *cr, size_t r, int64_t ntok, int64_t meeting,
			  const char *date, int kind, int64_t topic, uint32_t series)
{
	uint32_t n = ntok < 0 ? 0 : ntok >= UINT32_MAX ? UINT32_MAX - 1 : (uint32_t)ntok;

	/* Tokens + 1, so that 0 means "no passage" and an empty one is still there. */
	cr->fixed[MN_COL_NTOK][r] = n < UINT32_MAX ? n + 1 : UINT32_MAX;
	cr->fixed[MN_COL_MEETING][r] = (uint32_t)meeting;
	cr->fixed[MN_COL_DATE][r] = mn_cols_date_value(date);
	cr->kind[r] = (uint8_t)kind;
	cr->fixed[MN_COL_TOPIC][r] = (uint32_t)topic;
	cr->fixed[MN_COL_SERIES][r] = series;
	cr->rows++;
}

/*
 * The rows of chunk as the tables have them, into cr (empty). Looking is
 * true when the dictionaries may not be written: a series or organisation
 * they lack is then UINT32_MAX, which no column holds.
 */
static int rows_from_tables(struct mn_cols *c, int64_t chunk, struct chunk_rows *cr, int looking,
			    struct mn_err *err)
{
	int64_t lo = chunk << MN_CHUNK_BITS, hi = lo + MN_CHUNK_ROWS;
	sqlite3_stmt *s;
	int rc;

	if (!(s = stmt(c, S_ROWS, err)))
		return err->status;
	sqlite3_bind_int64(s, 1, lo);
	sqlite3_bind_int64(s, 2, hi);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *series = (const char *)sqlite3_column_text(s, 5);
		uint32_t sid = 0;

		if (series && *series &&
		    !(sid = dict_id(c, &c->series, S_SERIES_ID, looking ? -1 : S_SERIES_ADD, series,
				    err))) {
			if (err->status)
				break;
			sid = UINT32_MAX;
		}
		chunk_row_set(cr, (size_t)(sqlite3_column_int64(s, 0) - lo),
			      sqlite3_column_int64(s, 6), sqlite3_column_int64(s, 1),
			      (const char *)sqlite3_column_text(s, 2), sqlite3_column_int(s, 3),
			      sqlite3_column_int64(s, 4), sid);
	}
	sqlite3_reset(s);
	if (err->status)
		return err->status;
	if (rc != SQLITE_DONE)
		return db_fail(c, err, "read the passages");

	if (!(s = stmt(c, S_PEOPLE, err)))
		return err->status;
	sqlite3_bind_int64(s, 1, lo);
	sqlite3_bind_int64(s, 2, hi);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		size_t r = (size_t)(sqlite3_column_int64(s, 0) - lo);
		int role = sqlite3_column_int(s, 2);

		if (role == 0 || role == 1)
			list_add(&cr->lists[role], r, (uint32_t)sqlite3_column_int64(s, 1));
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return db_fail(c, err, "read the passages");
	if (!(s = stmt(c, S_ORGS, err)))
		return err->status;
	sqlite3_bind_int64(s, 1, lo);
	sqlite3_bind_int64(s, 2, hi);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		size_t r = (size_t)(sqlite3_column_int64(s, 0) - lo);
		const char *org = (const char *)sqlite3_column_text(s, 1);
		uint32_t id = dict_id(c, &c->orgs, S_ORG_ID, looking ? -1 : S_ORG_ADD, org, err);

		if (!id && err->status)
			break;
		list_add(&cr->lists[2], r, id ? id : UINT32_MAX);
	}
	sqlite3_reset(s);
	if (err->status)
		return err->status;
	if (rc != SQLITE_DONE)
		return db_fail(c, err, "read the passages");
	return MN_OK;
}

/* Column col of cr as the cols table keeps it (a new buffer of *n bytes). */
static unsigned char *chunk_blob(struct chunk_rows *cr, size_t col, size_t *n)
{
	unsigned char *b;

	if (col == MN_COL_KIND) {
		b = mn_xmalloc(1 + MN_CHUNK_ROWS);
		b[0] = ENC_U8;
		memcpy(b + 1, cr->kind, MN_CHUNK_ROWS);
		*n = 1 + MN_CHUNK_ROWS;
		return b;
	}
	if (col >= MN_COL_SPEAKERS) {
		struct list_build *l = &cr->lists[col - MN_COL_SPEAKERS];

		list_finish(l);
		return encode_list(l->offsets, l->values.v, n);
	}
	if (col == MN_COL_NTOK)
		return encode_lengths(cr->fixed[col], n);
	return encode_runs(cr->fixed[col], n);
}

/* Writes the columns of chunk from its rows cr (and the people's passages in it). */
static int write_chunk(struct mn_cols *c, int64_t chunk, struct chunk_rows *cr, struct mn_err *err)
{
	sqlite3_stmt *s;
	size_t i;

	/* Before the lists are written: the people they named until now are read from them. */
	for (i = 0; i < 2 && !err->status; i++) {
		list_finish(&cr->lists[i]);
		if (schema_of(c) >= 6)
			build_person_chunks(c, chunk, (int)i, cr->rows ? &cr->lists[i] : NULL, err);
	}
	if (err->status)
		return err->status;
	if (!cr->rows) {
		for (i = 0; i < MN_COL_COUNT && !err->status && (s = stmt(c, S_DELETE, err)); i++) {
			sqlite3_bind_int64(s, 1, col_id(c, chunk, (enum mn_col)i));
			if (sqlite3_step(s) != SQLITE_DONE)
				db_fail(c, err, "write the columns");
			sqlite3_reset(s);
		}
		return err->status;
	}
	for (i = 0; i < MN_COL_COUNT && !err->status; i++) {
		size_t n;
		unsigned char *b = chunk_blob(cr, i, &n);

		write_blob(c, col_id(c, chunk, (enum mn_col)i), b, n, NULL, 0, err);
		free(b);
	}
	return err->status;
}

/* Rebuilds the columns of chunk from the tables. */
static int build_chunk(struct mn_cols *c, int64_t chunk, struct mn_err *err)
{
	struct chunk_rows cr;

	chunk_rows_init(&cr);
	if (!rows_from_tables(c, chunk, &cr, 0, err))
		write_chunk(c, chunk, &cr, err);
	chunk_rows_release(&cr);
	return err->status;
}

/* Whether column col of chunk is stored as want (n bytes; NULL: not stored). */
static int stored_as(struct mn_cols *c, int64_t chunk, size_t col, const unsigned char *want,
		     size_t n, struct mn_err *err)
{
	sqlite3_stmt *s = stmt(c, S_READ, err);
	int rc, same;

	if (!s)
		return 0;
	sqlite3_bind_int64(s, 1, col_id(c, chunk, (enum mn_col)col));
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		same = want && (size_t)sqlite3_column_bytes(s, 0) == n &&
		       !memcmp(sqlite3_column_blob(s, 0), want, n);
	else
		same = rc == SQLITE_DONE && !want;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		db_fail(c, err, "read the columns");
	return same;
}

int mn_cols_check_chunks(struct mn_cols *c, struct mn_err *err)
{
	static const char *const names[MN_COL_COUNT] = {"lengths",  "meetings", "dates",
							"kinds",    "topics",	"series",
							"speakers", "owners",	"organisations"};
	int64_t end = mn_cols_end(c, err), chunk;
	struct chunk_rows cr;
	size_t col;

	if (err->status)
		return err->status;
	chunk_rows_init(&cr);
	for (chunk = 0; chunk << MN_CHUNK_BITS < end && !err->status; chunk++) {
		chunk_rows_clear(&cr);
		if (rows_from_tables(c, chunk, &cr, 1, err))
			break;
		for (col = 0; col < MN_COL_COUNT && !err->status; col++) {
			size_t n = 0;
			unsigned char *b = cr.rows ? chunk_blob(&cr, col, &n) : NULL;

			if (!stored_as(c, chunk, col, b, n, err) && !err->status)
				mn_err_set(err, MN_ERR_DB,
					   "the column of the %s of passages %lld-%lld differs "
					   "from the passages",
					   names[col], (long long)(chunk << MN_CHUNK_BITS),
					   (long long)((chunk + 1) << MN_CHUNK_BITS) - 1);
			free(b);
		}
	}
	chunk_rows_release(&cr);
	return err->status;
}

static int by_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

int mn_cols_flush(struct mn_cols *c, struct mn_err *err)
{
	size_t i;

	if (c->topic_pairs_dirty &&
	    filter_save(c, "topic_pairs", &c->topic_pairs, &c->topic_pairs_kept, err))
		return err->status;
	c->topic_pairs_dirty = 0;
	if (c->heading_seqs_dirty &&
	    filter_save(c, "heading_seqs", &c->heading_seqs, &c->heading_seqs_kept, err))
		return err->status;
	c->heading_seqs_dirty = 0;
	if (c->ntopics_touched)
		qsort(c->topics_touched, c->ntopics_touched, sizeof(*c->topics_touched), by_int64);
	for (i = 0; i < c->ntopics_touched && !err->status; i++)
		if (!i || c->topics_touched[i] != c->topics_touched[i - 1])
			write_topic_chunk(c, c->topics_touched[i], err);
	c->ntopics_touched = 0;
	if (err->status)
		return err->status;
	if (!c->ntouched)
		return MN_OK;
	qsort(c->touched, c->ntouched, sizeof(*c->touched), by_int64);
	for (i = 0; i < c->ntouched && !err->status; i++)
		if (!i || c->touched[i] != c->touched[i - 1])
			build_chunk(c, c->touched[i], err);
	c->ntouched = 0;
	/*
	 * Each commit leaves FTS5 a new segment of the topics; finding the
	 * topics of a new heading slows down with every one, and FTS5's own
	 * merging lags behind many small commits: help it a little each time.
	 */
	if (!err->status && c->topics_added) {
		if (sqlite3_exec(
			c->db,
			"INSERT INTO dict_topics_fts(dict_topics_fts, rank) VALUES('merge', 64)",
			NULL, NULL, NULL) != SQLITE_OK)
			db_fail(c, err, "merge the topics");
		c->topics_added = 0;
	}
	/* This connection's own reads must see the new columns. */
	drop_chunks(c);
	return err->status;
}

/* ---- reading ---------------------------------------------------------------- */

int mn_cols_begin(struct mn_cols *c, struct mn_err *err)
{
	int64_t v;

	if (data_version(c, &v, err))
		return err->status;
	close_blobs(c);
	if (v != c->data_version)
		drop_chunks(c);
	c->data_version = v;
	return MN_OK;
}

int64_t mn_cols_end(struct mn_cols *c, struct mn_err *err)
{
	sqlite3_stmt *s;

	if (c->end >= 0)
		return c->end;
	if (!(s = stmt(c, S_END, err)))
		return 0;
	if (sqlite3_step(s) == SQLITE_ROW)
		c->end = sqlite3_column_int64(s, 0) + 1;
	else
		db_fail(c, err, "read the passages");
	sqlite3_reset(s);
	return c->end > 0 ? c->end : 0;
}

/* What read_one gives as the width of ENC_SMALL lengths. */
#define WIDTH_SMALL 7

/*
 * Reads n bytes at offset of column col of chunk (zeros when there is no
 * such blob). With width not NULL, sets it from the blob's size instead:
 * the bytes per value of a fixed-width column (0 when there is no blob),
 * or WIDTH_SMALL for ENC_SMALL lengths.
 */
static int read_one(struct mn_cols *c, enum mn_col col, int64_t chunk, int offset, void *out, int n,
		    int *width, struct mn_err *err)
{
	int64_t id = col_id(c, chunk, col);
	int rc, bytes;

	if (n)
		memset(out, 0, (size_t)n);
	if (c->blob[col] && c->blob_row[col] != id) {
		rc = sqlite3_blob_reopen(c->blob[col], id);
		if (rc != SQLITE_OK) {
			/* No such row (a chunk without passages): start again next time. */
			sqlite3_blob_close(c->blob[col]);
			c->blob[col] = NULL;
			if (width)
				*width = 0;
			return rc == SQLITE_ERROR ? MN_OK : db_fail(c, err, "read the columns");
		}
		c->blob_row[col] = id;
	}
	if (!c->blob[col]) {
		rc = sqlite3_blob_open(c->db, "main", "cols", "data", id, 0, &c->blob[col]);
		if (rc != SQLITE_OK) {
			if (c->blob[col])
				sqlite3_blob_close(c->blob[col]);
			c->blob[col] = NULL;
			if (width)
				*width = 0;
			return rc == SQLITE_ERROR ? MN_OK : db_fail(c, err, "read the columns");
		}
		c->blob_row[col] = id;
	}
	bytes = sqlite3_blob_bytes(c->blob[col]);
	if (width) {
		unsigned char tag = 0;

		*width = bytes == 1 + MN_CHUNK_ROWS	  ? 1
			 : bytes == 1 + 2 * MN_CHUNK_ROWS ? 2
			 : bytes == 1 + 4 * MN_CHUNK_ROWS ? 4
							  : -1;
		/* Packed lengths, whose size depends on their long ones. */
		if (*width < 0 && bytes >= SMALL_HEAD &&
		    sqlite3_blob_read(c->blob[col], &tag, 1, 0) == SQLITE_OK && tag == ENC_SMALL)
			*width = WIDTH_SMALL;
		if (*width < 0)
			return mn_err_set(
			    err, MN_ERR_DB,
			    "the index is damaged: column %d of chunk %lld has %d bytes "
			    "(rebuild it with 'minutes-index --rebuild')",
			    (int)col, (long long)chunk, bytes);
		return MN_OK;
	}
	if (offset + n > bytes)
		return mn_err_set(err, MN_ERR_DB,
				  "the index is damaged: column %d of chunk %lld is short "
				  "(rebuild it with 'minutes-index --rebuild')",
				  (int)col, (long long)chunk);
	if (sqlite3_blob_read(c->blob[col], out, n, offset) != SQLITE_OK)
		return db_fail(c, err, "read the columns");
	return MN_OK;
}

/* The chunk's entry, made when missing (nothing loaded). */
static struct chunk *chunk_at(struct mn_cols *c, int64_t chunk)
{
	if ((size_t)chunk >= c->nchunks) {
		size_t n = c->nchunks ? 2 * c->nchunks : 64;

		while (n <= (size_t)chunk)
			n *= 2;
		c->chunks = mn_xrealloc(c->chunks, n * sizeof(*c->chunks));
		memset(c->chunks + c->nchunks, 0, (n - c->nchunks) * sizeof(*c->chunks));
		c->nchunks = n;
	}
	return &c->chunks[chunk];
}

/* Whether b[0..n) is a well-formed column col of a chunk; its entries in *count. */
static int raw_valid(enum mn_col col, const unsigned char *b, size_t n, size_t *count)
{
	*count = 0;
	if (n < 1)
		return 0;
	switch (b[0]) {
	case ENC_U8:
		return (col == MN_COL_KIND || col == MN_COL_NTOK) && n == 1 + MN_CHUNK_ROWS;
	case ENC_U16:
		return col == MN_COL_NTOK && n == 1 + 2 * MN_CHUNK_ROWS;
	case ENC_U32:
		return col == MN_COL_NTOK && n == 1 + 4 * MN_CHUNK_ROWS;
	case ENC_SMALL:
		if (col != MN_COL_NTOK || n < SMALL_HEAD)
			return 0;
		*count = get32(b + 1 + SMALL_BYTES);
		return n == SMALL_HEAD + 6 * *count;
	case ENC_RUNS:
		if (col == MN_COL_NTOK || col == MN_COL_KIND || col >= MN_COL_SPEAKERS || n < 5)
			return 0;
		*count = get32(b + 1);
		return n == 5 + *count * 6;
	case ENC_LIST:
	case ENC_LIST16:
		if (col < MN_COL_SPEAKERS || n < 5)
			return 0;
		*count = get32(b + 1);
		return n == 5 + *count * (b[0] == ENC_LIST ? 6 : 4);
	}
	return 0;
}

/* The stored form of a chunk's column, loaded and checked once (borrowed). */
static const unsigned char *load_raw(struct mn_cols *c, enum mn_col col, int64_t chunk, size_t *len,
				     struct mn_err *err)
{
	static const unsigned char empty_runs[5] = {ENC_RUNS, 0, 0, 0, 0};
	static const unsigned char empty_list[5] = {ENC_LIST, 0, 0, 0, 0};
	struct chunk *ch;
	size_t count;

	if (chunk < 0)
		return NULL;
	ch = chunk_at(c, chunk);
	if (!ch->raw[col]) {
		sqlite3_stmt *s = stmt(c, S_READ, err);
		const unsigned char *b = NULL;
		size_t n = 0;
		int rc;

		if (!s)
			return NULL;
		sqlite3_bind_int64(s, 1, col_id(c, chunk, col));
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			b = sqlite3_column_blob(s, 0);
			n = (size_t)sqlite3_column_bytes(s, 0);
		} else if (rc == SQLITE_DONE) {
			/* A chunk without passages: every value 0, every list empty. */
			if (col == MN_COL_NTOK || col == MN_COL_KIND) {
				ch->raw[col] =
				    mn_xcalloc(1, 1 + MN_CHUNK_ROWS * (col == MN_COL_KIND ? 1 : 2));
				ch->raw[col][0] = col == MN_COL_KIND ? ENC_U8 : ENC_U16;
				ch->raw_len[col] = 1 + MN_CHUNK_ROWS * (col == MN_COL_KIND ? 1 : 2);
			} else {
				b = col >= MN_COL_SPEAKERS ? empty_list : empty_runs;
				n = sizeof(empty_runs);
			}
		} else {
			sqlite3_reset(s);
			db_fail(c, err, "read the columns");
			return NULL;
		}
		if (b) {
			if (!raw_valid(col, b, n, &count)) {
				sqlite3_reset(s);
				mn_err_set(err, MN_ERR_DB,
					   "the index is damaged: column %d of chunk %lld is not "
					   "what it should be (rebuild it with 'minutes-index "
					   "--rebuild')",
					   (int)col, (long long)chunk);
				return NULL;
			}
			ch->raw[col] = mn_xmalloc(n);
			memcpy(ch->raw[col], b, n);
			ch->raw_len[col] = n;
		}
		sqlite3_reset(s);
	}
	*len = ch->raw_len[col];
	return ch->raw[col];
}

/* The last run of b (n runs) that starts at or before row r. */
static size_t run_at(const unsigned char *b, size_t nruns, size_t r)
{
	size_t lo = 0, hi = nruns;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (get16(b + 5 + 6 * mid) <= r)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo; /* one past the run, 0 when r is before all */
}

static int run_value(struct mn_cols *c, enum mn_col col, int64_t chunk, size_t r, uint32_t *out,
		     struct mn_err *err)
{
	size_t len, at;
	const unsigned char *b = load_raw(c, col, chunk, &len, err);

	if (!b)
		return err->status;
	at = run_at(b, get32(b + 1), r);
	*out = at ? get32(b + 5 + 6 * (at - 1) + 2) : 0;
	return MN_OK;
}

/* ---- cursors ---------------------------------------------------------------- */

void mn_cursor_init(struct mn_cursor *k, struct mn_cols *cols, enum mn_col col, struct mn_err *err)
{
	memset(k, 0, sizeof(*k));
	k->cols = cols;
	k->col = col;
	k->chunk = -1;
	k->err = err;
}

/*
 * For a chunk of many list entries or runs (each starting with its row, 16
 * bits, every stride bytes from byte 5), the first entry at or after each
 * row (MN_CHUNK_ROWS + 1 of them), so that a row's list or value is found at
 * once however far it is from the last row asked for. Made for chunks of
 * many (a walk over a few is as quick: a run per meeting, a short list),
 * and kept with the chunk; NULL for the others.
 */
#define ROW_INDEX_MIN 256

static const uint16_t *row_index(struct mn_cols *c, const struct mn_cursor *k, int64_t chunk,
				 size_t stride)
{
	struct chunk *ch = chunk_at(c, chunk);
	uint16_t *v;
	size_t r, e = 0;

	if (ch->at_row[k->col])
		return ch->at_row[k->col];
	if (k->count < ROW_INDEX_MIN || k->count > UINT16_MAX)
		return NULL;
	/*
	 * The first cursor walks the chunk (one over the hits, in rowid order,
	 * is as quick without): a one-shot search does not pay for indexes it
	 * would use once. A chunk come back to is read often.
	 */
	if (!ch->walked[k->col]) {
		ch->walked[k->col] = 1;
		return NULL;
	}
	v = mn_xmalloc((MN_CHUNK_ROWS + 1) * sizeof(*v));
	/* Entry e is the first at or after every row from the one after the last's to its own. */
	for (r = 0; e < k->count; e++) {
		size_t row = get16(k->b + 5 + stride * e);

		while (r <= row && r <= MN_CHUNK_ROWS)
			v[r++] = (uint16_t)e;
	}
	while (r <= MN_CHUNK_ROWS)
		v[r++] = (uint16_t)e;
	ch->at_row[k->col] = v;
	return v;
}

/* Moves k to the chunk of rowid; 0 on error. */
static int cursor_chunk(struct mn_cursor *k, int64_t rowid)
{
	int64_t chunk = rowid >> MN_CHUNK_BITS;

	if (chunk == k->chunk)
		return 1;
	k->lo = k->hi = 0;
	pthread_mutex_lock(&k->cols->chunk_lock);
	k->b = load_raw(k->cols, k->col, chunk, &k->len, k->err);
	if (!k->b) {
		pthread_mutex_unlock(&k->cols->chunk_lock);
		k->chunk = -1;
		k->width = 0;
		k->at_row = NULL;
		return 0;
	}
	k->chunk = chunk;
	k->enc = k->b[0];
	k->width = enc_width(k->enc);
	k->count = k->enc == ENC_RUNS || k->enc == ENC_LIST || k->enc == ENC_LIST16
		       ? get32(k->b + 1)
		   : k->enc == ENC_SMALL ? get32(k->b + 1 + SMALL_BYTES)
					 : 0;
	k->at = 0;
	k->row = 0;
	k->at_row = NULL;
	if (k->enc == ENC_LIST || k->enc == ENC_LIST16)
		k->at_row = row_index(k->cols, k, chunk, 2);
	else if (k->enc == ENC_RUNS)
		k->at_row = row_index(k->cols, k, chunk, 6);
	pthread_mutex_unlock(&k->cols->chunk_lock);
	return 1;
}

int mn_cols_preload(struct mn_cols *c, enum mn_col col, const struct mn_bits *chunks,
		    struct mn_err *err)
{
	size_t i;

	for (i = 0; i < mn_bits_words(chunks) && !err->status; i++) {
		uint64_t w;

		for (w = chunks->w[i]; w && !err->status; w &= w - 1) {
			size_t len;

			pthread_mutex_lock(&c->chunk_lock);
			load_raw(c, col, (int64_t)(i << 6) + __builtin_ctzll(w), &len, err);
			pthread_mutex_unlock(&c->chunk_lock);
		}
	}
	return err->status;
}

uint32_t mn_cursor_value_at(struct mn_cursor *k, int64_t rowid)
{
	size_t r = (size_t)(rowid & (MN_CHUNK_ROWS - 1)), next;
	int64_t base = rowid & ~(int64_t)(MN_CHUNK_ROWS - 1);

	if (!cursor_chunk(k, rowid))
		return 0;
	if (k->enc == ENC_SMALL)
		return small_value(k->b, r);
	if (k->width || k->at_row)
		return mn_cursor_value(k, rowid);
	if (k->enc != ENC_RUNS)
		return 0;
	/* k->at counts the runs starting at or before the last row asked for. */
	if (r < k->row || (k->at + 8 < k->count && get16(k->b + 5 + 6 * (k->at + 8)) <= r))
		k->at = run_at(k->b, k->count, r); /* behind, or far ahead */
	else
		while (k->at < k->count && get16(k->b + 5 + 6 * k->at) <= r)
			k->at++;
	k->row = r;
	k->value = k->at ? get32(k->b + 5 + 6 * (k->at - 1) + 2) : 0;
	/* The run holds from its first row (or the chunk's) to the next run's. */
	next = k->at < k->count ? get16(k->b + 5 + 6 * k->at) : MN_CHUNK_ROWS;
	k->lo = base + (k->at ? get16(k->b + 5 + 6 * (k->at - 1)) : 0);
	k->hi = base + (int64_t)next;
	return k->value;
}

size_t mn_cursor_list_at(struct mn_cursor *k, int64_t rowid, size_t *first)
{
	size_t r = (size_t)(rowid & (MN_CHUNK_ROWS - 1)), lo, hi;

	*first = 0;
	if (!cursor_chunk(k, rowid) || (k->enc != ENC_LIST && k->enc != ENC_LIST16))
		return 0;
	if (k->at_row) {
		*first = k->at_row[r];
		return (size_t)(k->at_row[r + 1] - k->at_row[r]);
	}
	if (r < k->row) {
		/* Back to the first entry at or after r. */
		lo = 0;
		hi = k->count;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;

			if (get16(k->b + 5 + 2 * mid) < r)
				lo = mid + 1;
			else
				hi = mid;
		}
		k->at = lo;
		k->row = r;
	}
	return mn_cursor_list(k, rowid, first);
}

int mn_cols_value(struct mn_cols *c, enum mn_col col, int64_t rowid, uint32_t *out,
		  struct mn_err *err)
{
	int64_t chunk = rowid >> MN_CHUNK_BITS;
	size_t r = (size_t)(rowid & (MN_CHUNK_ROWS - 1)), len;
	struct chunk *ch;
	const unsigned char *b;
	unsigned char v[4] = {0, 0, 0, 0};
	int width = 0;

	*out = 0;
	if (chunk < 0 || col >= MN_COL_SPEAKERS)
		return mn_err_set(err, MN_ERR_USAGE, "no single value of column %d", (int)col);
	if (col != MN_COL_NTOK && col != MN_COL_KIND)
		return run_value(c, col, chunk, r, out, err);
	/* Lengths and kinds, 4 or 8 KB a chunk: one by one until a chunk is read often. */
	ch = chunk_at(c, chunk);
	if (!ch->raw[col] && ch->reads[col] < SPARSE_READS) {
		ch->reads[col]++;
		if (read_one(c, col, chunk, -1, v, 0, &width, err) || !width)
			return err->status;
		if (width == WIDTH_SMALL) {
			size_t bit = r * SMALL_BITS;

			if (read_one(c, col, chunk, 1 + (int)(bit / 8), v, 2, NULL, err))
				return err->status;
			*out = mn_small_bits(v, (unsigned)(bit % 8));
			if (*out != SMALL_LONG)
				return MN_OK;
			/* A long one: from the whole chunk. */
		} else {
			if (read_one(c, col, chunk, 1 + (int)r * width, v, width, NULL, err))
				return err->status;
			*out = get_width(v, width);
			return MN_OK;
		}
	}
	if (!(b = load_raw(c, col, chunk, &len, err)))
		return err->status;
	if (b[0] == ENC_SMALL) {
		*out = small_value(b, r);
		return MN_OK;
	}
	width = enc_width(b[0]); /* not 0: raw_valid let no other encoding through */
	*out = get_width(b + 1 + r * (size_t)width, width);
	return MN_OK;
}

/* ---- reading the dictionaries ------------------------------------------------- */

/* Grows an array indexed by id so that id fits; new entries are zero. */
static void *fit(void *v, size_t *n, size_t size, uint64_t id)
{
	size_t want = (size_t)id + 1, cap = *n ? *n : 64;

	if (want <= *n)
		return v;
	while (cap < want)
		cap *= 2;
	v = mn_xrealloc(v, cap * size);
	memset((char *)v + *n * size, 0, (cap - *n) * size);
	*n = cap;
	return v;
}

/* Numbers the fold classes of a loaded dictionary, in id order. */
static void classify(struct names *d)
{
	size_t i, cap = 0, at = 0;

	d->cls = mn_xcalloc(d->n ? d->n : 1, sizeof(*d->cls));
	/* Folding never makes a name longer: the folded names fit in as much as the names. */
	d->folded = mn_xmalloc(d->ntext ? d->ntext : 1);
	d->by_fold.borrowed = 1;
	mn_strmap_reserve(&d->by_fold, d->n);
	for (i = 0; i < d->n; i++) {
		char *f = d->folded + at;
		size_t len;
		int found = 0;
		void *cls;

		if (!d->v[i])
			continue;
		len = mn_fold_to(d->v[i], strlen(d->v[i]), f);
		cls =
		    mn_strmap_intern(&d->by_fold, f, len, (void *)(uintptr_t)(d->ncls + 1), &found);
		if (!found) {
			size_t have = cap;

			MN_GROW(d->cls_name, (size_t)d->ncls + 2, cap);
			if (cap != have)
				d->cls_first =
				    mn_xrealloc(d->cls_first, cap * sizeof(*d->cls_first));
			d->cls_first[d->ncls + 1] = (uint32_t)i;
			d->cls_name[++d->ncls] = d->v[i];
			at += len + 1; /* kept: the map's key */
		}
		d->cls[i] = (uint32_t)(uintptr_t)cls;
	}
}

static struct names *dict_load(struct mn_cols *c, enum mn_dict dict, struct mn_err *err)
{
	static const char *const sql[MN_DICT_COUNT] = {
	    [MN_DICT_SERIES] = "SELECT id, name FROM dict_series",
	    [MN_DICT_ORGS] = "SELECT id, name FROM dict_orgs",
	    [MN_DICT_HEADINGS] = "SELECT id, text FROM dict_headings",
	    [MN_DICT_PEOPLE] = "SELECT id, name FROM people",
	};
	struct names *d = &c->dicts[dict];

	if (!d->loaded) {
		sqlite3_stmt *s = NULL;
		/* Where each name starts in text (+ 1; 0: none), until text stops moving. */
		size_t *at = NULL, nat = 0, len = 0, cap = 0, i;
		int rc;

		if (sqlite3_prepare_v2(c->db, sql[dict], -1, &s, NULL) != SQLITE_OK) {
			db_fail(c, err, "read the dictionaries");
			return NULL;
		}
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			int64_t id = sqlite3_column_int64(s, 0);
			const char *name = (const char *)sqlite3_column_text(s, 1);
			size_t n = name ? (size_t)sqlite3_column_bytes(s, 1) : 0;

			if (id <= 0 || id > UINT32_MAX || !name)
				continue;
			at = fit(at, &nat, sizeof(*at), (uint64_t)id);
			MN_GROW(d->text, len + n + 1, cap);
			memcpy(d->text + len, name, n + 1);
			at[id] = len + 1;
			len += n + 1;
		}
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE) {
			free(at);
			db_fail(c, err, "read the dictionaries");
			return NULL;
		}
		d->n = nat;
		d->ntext = len;
		d->v = mn_xcalloc(nat ? nat : 1, sizeof(*d->v));
		for (i = 0; i < nat; i++)
			d->v[i] = at[i] ? d->text + at[i] - 1 : NULL;
		free(at);
		classify(d);
		d->loaded = 1;
	}
	return d;
}

const char *mn_cols_name(struct mn_cols *c, enum mn_dict dict, uint32_t id, struct mn_err *err)
{
	struct names *d = dict_load(c, dict, err);

	return d && id < d->n ? d->v[id] : NULL;
}

uint32_t mn_cols_class(struct mn_cols *c, enum mn_dict dict, uint32_t id, struct mn_err *err)
{
	struct names *d = dict_load(c, dict, err);

	return d && id < d->n ? d->cls[id] : 0;
}

const uint32_t *mn_cols_classes(struct mn_cols *c, enum mn_dict dict, size_t *n, struct mn_err *err)
{
	struct names *d = dict_load(c, dict, err);

	*n = d ? d->n : 0;
	return d ? d->cls : NULL;
}

uint32_t mn_cols_nclasses(struct mn_cols *c, enum mn_dict dict, struct mn_err *err)
{
	struct names *d = dict_load(c, dict, err);

	return d ? d->ncls : 0;
}

const char *const *mn_cols_class_names(struct mn_cols *c, enum mn_dict dict, size_t *n,
				       struct mn_err *err)
{
	struct names *d = dict_load(c, dict, err);

	*n = d ? (size_t)d->ncls + 1 : 0;
	return d ? d->cls_name : NULL;
}

uint32_t mn_cols_class_of_folded(struct mn_cols *c, enum mn_dict dict, const char *folded,
				 size_t len, struct mn_err *err)
{
	struct names *d = dict_load(c, dict, err);
	int found = 0;
	void *at;

	if (!d)
		return 0;
	at = mn_strmap_get(&d->by_fold, folded, len, &found);
	return found ? (uint32_t)(uintptr_t)at : 0;
}

size_t mn_cols_heading_classes(struct mn_cols *c, struct mn_err *err)
{
	sqlite3_stmt *s;
	int rc;

	if (c->heading_bound)
		return c->heading_bound;
	if (schema_of(c) < 8)
		return c->heading_bound = mn_cols_ids(c, MN_DICT_HEADINGS, err);
	if (!(s = stmt(c, S_HEADING_BOUND, err)))
		return 0;
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		int64_t max = sqlite3_column_int64(s, 0);

		c->heading_bound = max > 0 && max < UINT32_MAX ? (size_t)max + 1 : 1;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		db_fail(c, err, "read the headings");
	return err->status ? 0 : c->heading_bound;
}

const char *mn_cols_heading_class_name(struct mn_cols *c, uint32_t cls, struct mn_err *err)
{
	struct names *d = &c->dicts[MN_DICT_HEADINGS];
	const char *name = NULL;
	sqlite3_stmt *s;
	size_t bound;

	if (d->loaded || schema_of(c) < 8)
		return mn_cols_name(c, MN_DICT_HEADINGS, cls, err);
	bound = mn_cols_heading_classes(c, err);
	if (!cls || cls >= bound)
		return NULL;
	/* Facets count on two threads: the connection is theirs one at a time. */
	pthread_mutex_lock(&c->chunk_lock);
	if (!c->class_texts) {
		c->class_texts = mn_xcalloc(bound, sizeof(*c->class_texts));
		c->nclass_texts = bound;
	}
	if (!c->class_texts[cls] && (s = stmt(c, S_HEADING_TEXT, err))) {
		sqlite3_bind_int64(s, 1, cls);
		if (sqlite3_step(s) == SQLITE_ROW)
			c->class_texts[cls] = mn_xstrdup((const char *)sqlite3_column_text(s, 0));
		else
			c->class_texts[cls] = mn_xstrdup(""); /* none: shown by no name */
		sqlite3_reset(s);
	}
	if (c->class_texts[cls] && *c->class_texts[cls])
		name = c->class_texts[cls];
	pthread_mutex_unlock(&c->chunk_lock);
	return name;
}

/*
 * Appends the classes of the heading ids in column col of s (an index older
 * than topic_classes: first[id] for id < n) to the topics' ids, as
 * classes_of_ids gives them; returns how many.
 */
static uint32_t topic_classes(struct mn_cols *c, sqlite3_stmt *s, int col, const uint32_t *first,
			      size_t n, size_t *len, size_t *cap)
{
	uint32_t *v;
	size_t k = classes_of_ids(sqlite3_column_blob(s, col), (size_t)sqlite3_column_bytes(s, col),
				  first, n, &v);

	MN_GROW(c->topic_ids, *len + k, *cap);
	if (k)
		memcpy(c->topic_ids + *len, v, k * sizeof(*v));
	free(v);
	*len += k;
	return (uint32_t)k;
}

/*
 * The class of every heading id below *n, for an index older than
 * topic_classes: the first id of its fold class (a new array).
 */
static uint32_t *first_of_classes(struct mn_cols *c, size_t *n, struct mn_err *err)
{
	const uint32_t *cls = mn_cols_classes(c, MN_DICT_HEADINGS, n, err);
	struct names *d = &c->dicts[MN_DICT_HEADINGS];
	uint32_t *first;
	size_t i;

	if (err->status)
		return NULL;
	first = mn_xcalloc(*n ? *n : 1, sizeof(*first));
	for (i = 0; i < *n; i++)
		first[i] = cls[i] && cls[i] <= d->ncls ? d->cls_first[cls[i]] : 0;
	return first;
}

/* Adds the topics of a topic_chunks row (chunk, b[0..n)) to the table; 0 when it is damaged. */
static int topic_chunk_load(struct mn_cols *c, int64_t chunk, const unsigned char *b, size_t n,
			    size_t *len, size_t *cap)
{
	size_t r, at = TOPIC_CHUNK_HEAD, k, m;

	if (chunk < 0 || chunk > (int64_t)(UINT32_MAX >> TOPIC_CHUNK_BITS) || n < TOPIC_CHUNK_HEAD)
		return 0;
	for (r = 0; r < TOPIC_CHUNK_ROWS; r++) {
		uint64_t id = ((uint64_t)chunk << TOPIC_CHUNK_BITS) + r;
		uint32_t np = get32(b + 8 * r), nh = get32(b + 8 * r + 4);
		struct mn_topic_row *t;

		if ((uint64_t)np + nh > (n - at) / 4)
			return 0;
		if (!np && !nh)
			continue;
		if ((uint64_t)*len + np + nh > UINT32_MAX)
			return 0;
		c->topic_rows = fit(c->topic_rows, &c->ntopic_rows, sizeof(*c->topic_rows), id);
		MN_GROW(c->topic_ids, *len + np + nh, *cap);
		t = &c->topic_rows[id];
		t->at = (uint32_t)*len;
		t->nparts = np;
		t->nheads = nh;
		for (k = 0, m = np + nh; k < m; k++, at += 4)
			c->topic_ids[(*len)++] = get32(b + at);
	}
	return at == n;
}

/* Reads the topics' parts and heads as heading classes, the first time. */
static int topics_load(struct mn_cols *c, struct mn_err *err)
{
	sqlite3_stmt *s = NULL;
	size_t len = 0, cap = 0, n;
	uint32_t *first = NULL;
	int rc;

	if (c->topics_loaded)
		return MN_OK;
	if (schema_of(c) >= 8) {
		if (sqlite3_prepare_v2(c->db, "SELECT chunk, data FROM topic_chunks", -1, &s,
				       NULL) != SQLITE_OK)
			return db_fail(c, err, "read the topics");
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			int64_t chunk = sqlite3_column_int64(s, 0);

			if (!topic_chunk_load(c, chunk, sqlite3_column_blob(s, 1),
					      (size_t)sqlite3_column_bytes(s, 1), &len, &cap)) {
				sqlite3_finalize(s);
				return mn_err_set(
				    err, MN_ERR_DB,
				    "the topics' classes %lld in the index are "
				    "damaged (rebuild it with 'minutes-index --rebuild')",
				    (long long)chunk);
			}
		}
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE)
			return db_fail(c, err, "read the topics");
		c->topics_loaded = 1;
		return MN_OK;
	}
	/* An index older than the classes: worked out from the headings' ids. */
	if (!(first = first_of_classes(c, &n, err)))
		return err->status;
	if (sqlite3_prepare_v2(c->db, "SELECT id, parts, heads FROM dict_topics", -1, &s, NULL) !=
	    SQLITE_OK) {
		free(first);
		return db_fail(c, err, "read the topics");
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t i = sqlite3_column_int64(s, 0);
		struct mn_topic_row *t;

		if (i <= 0 || i > UINT32_MAX)
			continue;
		if ((uint64_t)len + (uint64_t)sqlite3_column_bytes(s, 1) +
			(uint64_t)sqlite3_column_bytes(s, 2) >
		    UINT32_MAX) {
			sqlite3_finalize(s);
			free(first);
			return mn_err_set(err, MN_ERR_DB, "too many topics to read");
		}
		c->topic_rows =
		    fit(c->topic_rows, &c->ntopic_rows, sizeof(*c->topic_rows), (uint64_t)i);
		t = &c->topic_rows[i];
		t->at = (uint32_t)len;
		t->nparts = topic_classes(c, s, 1, first, n, &len, &cap);
		t->nheads = topic_classes(c, s, 2, first, n, &len, &cap);
	}
	sqlite3_finalize(s);
	free(first);
	if (rc != SQLITE_DONE)
		return db_fail(c, err, "read the topics");
	c->topics_loaded = 1;
	return MN_OK;
}

int mn_cols_person(struct mn_cols *c, uint32_t id, struct mn_person_info *out, struct mn_err *err)
{
	int64_t i64;

	memset(out, 0, sizeof(*out));
	if (!c->people_loaded) {
		sqlite3_stmt *s = NULL;
		int rc;

		if (sqlite3_prepare_v2(c->db, "SELECT id, name FROM people", -1, &s, NULL) !=
		    SQLITE_OK)
			return db_fail(c, err, "read the people");
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			int64_t i = sqlite3_column_int64(s, 0);

			if (i <= 0 || i > UINT32_MAX)
				continue;
			c->people = fit(c->people, &c->npeople, sizeof(*c->people), (uint64_t)i);
			free(c->people[i].name);
			c->people[i].name = mn_xstrdup((const char *)sqlite3_column_text(s, 1));
		}
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE)
			return db_fail(c, err, "read the people");
		if (sqlite3_prepare_v2(c->db, "SELECT person_id, alias FROM aliases", -1, &s,
				       NULL) != SQLITE_OK)
			return db_fail(c, err, "read the people");
		while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
			int64_t i = sqlite3_column_int64(s, 0);
			struct person_row *p;

			if (i <= 0 || (size_t)i >= c->npeople || !c->people[i].name)
				continue;
			p = &c->people[i];
			MN_GROW(p->aliases, p->naliases + 1, p->cap);
			p->aliases[p->naliases++] =
			    mn_xstrdup((const char *)sqlite3_column_text(s, 1));
		}
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE)
			return db_fail(c, err, "read the people");
		for (i64 = 0; (size_t)i64 < c->npeople; i64++) {
			struct person_row *p = &c->people[i64];
			size_t k;

			if (!p->name)
				continue;
			p->folded = mn_xcalloc(p->naliases + 1, sizeof(*p->folded));
			p->folded[0] = mn_fold(p->name);
			for (k = 0; k < p->naliases; k++)
				p->folded[k + 1] = mn_fold(p->aliases[k]);
		}
		c->people_loaded = 1;
	}
	if (id < c->npeople && c->people[id].name) {
		out->name = c->people[id].name;
		out->aliases = (const char *const *)c->people[id].aliases;
		out->naliases = c->people[id].naliases;
	}
	return MN_OK;
}

size_t mn_cols_ids(struct mn_cols *c, enum mn_dict dict, struct mn_err *err)
{
	struct names *d = dict_load(c, dict, err);

	return d ? d->n : 0;
}

int mn_cols_topic_table(struct mn_cols *c, struct mn_topic_table *out, struct mn_err *err)
{
	memset(out, 0, sizeof(*out));
	if (topics_load(c, err))
		return err->status;
	out->rows = c->topic_rows;
	out->ids = c->topic_ids;
	out->n = c->ntopic_rows;
	return MN_OK;
}

size_t mn_cols_topic_ids(struct mn_cols *c, struct mn_err *err)
{
	if (topics_load(c, err))
		return 0;
	return c->ntopic_rows;
}

void *mn_cols_scratch(struct mn_cols *c, int slot, size_t bytes)
{
	if (bytes > c->scratch[slot].cap) {
		free(c->scratch[slot].p);
		c->scratch[slot].p = mn_xcalloc(1, bytes);
		c->scratch[slot].cap = bytes;
	}
	return c->scratch[slot].p;
}

/* Adds the rows of a person_chunks row (chunk, b[0..n)) to bits. */
static int person_chunk_rows(struct mn_bits *bits, int64_t chunk, const unsigned char *b, size_t n,
			     struct mn_err *err)
{
	size_t i;

	if (chunk < 0 || chunk > INT64_MAX >> MN_CHUNK_BITS || n % 2 || n > 2 * MN_CHUNK_ROWS ||
	    (n && !b))
		goto damaged;
	for (i = 0; i < n; i += 2) {
		uint32_t r = get16(b + i);

		if (r >= MN_CHUNK_ROWS)
			goto damaged;
		mn_bits_add(bits, (uint64_t)chunk << MN_CHUNK_BITS | r);
	}
	return MN_OK;
damaged:
	return mn_err_set(err, MN_ERR_DB,
			  "the index is damaged: the passages of a person in chunk %lld are not "
			  "what they should be (rebuild it with 'minutes-index --rebuild')",
			  (long long)chunk);
}

int mn_cols_person_rows(struct mn_cols *c, uint32_t person, int role, const uint64_t **words,
			size_t *nwords, struct mn_err *err)
{
	struct person_rows *pr = NULL;
	sqlite3_stmt *s;
	size_t i;
	int rc, have;

	*words = NULL;
	*nwords = 0;
	for (i = 0; i < PERSON_ROWS_KEPT; i++) {
		struct person_rows *k = &c->prows[i];

		if (k->used && k->person == person && k->role == role) {
			k->used = ++c->prows_clock;
			*words = k->rows.w;
			*nwords = mn_bits_words(&k->rows);
			return MN_OK;
		}
		if (!pr || k->used < pr->used)
			pr = k; /* the empty one, or the one asked for longest ago */
	}
	have = schema_of(c) >= 6;
	if (!(s = stmt(c, have ? S_PC_READ : S_PERSON_ROWS, err)))
		return err->status;
	mn_bits_release(&pr->rows);
	memset(pr, 0, sizeof(*pr));
	sqlite3_bind_int64(s, 1, person);
	sqlite3_bind_int(s, 2, role);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && !err->status) {
		int64_t id = sqlite3_column_int64(s, 0);

		if (have)
			person_chunk_rows(&pr->rows, id, sqlite3_column_blob(s, 1),
					  (size_t)sqlite3_column_bytes(s, 1), err);
		else if (id >= 0)
			mn_bits_add(&pr->rows, (uint64_t)id);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE || err->status) {
		mn_bits_release(&pr->rows);
		memset(pr, 0, sizeof(*pr));
		if (!err->status)
			db_fail(c, err, "read the passages of a person");
		return err->status;
	}
	pr->person = person;
	pr->role = role;
	pr->used = ++c->prows_clock;
	*words = pr->rows.w;
	*nwords = mn_bits_words(&pr->rows);
	return MN_OK;
}

int mn_cols_people_named(struct mn_cols *c, const char *name,
			 void (*fn)(void *ctx, uint32_t person), void *ctx, struct mn_err *err)
{
	struct mn_person_info probe;
	char *needle;
	size_t n, i, k;

	if (mn_cols_person(c, 0, &probe, err))
		return err->status;
	needle = mn_fold(name);
	n = strlen(needle);
	for (i = 1; i < c->npeople; i++) {
		const struct person_row *p = &c->people[i];

		if (!p->folded)
			continue;
		for (k = 0; k <= p->naliases; k++)
			if (mn_name_match_folded(p->folded[k], needle, n)) {
				fn(ctx, (uint32_t)i);
				break;
			}
	}
	free(needle);
	return MN_OK;
}
