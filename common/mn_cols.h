/*
 * Columns: what a search needs to know about every passage (its length in
 * tokens, meeting, date, kind, topic, series, speakers, owners and their
 * organisations), kept as compact arrays in the index so that ranking,
 * filters and facets over a hundred thousand matches read arrays instead of
 * looking up rows one by one.
 *
 * Passages are cut by rowid into chunks of MN_CHUNK_ROWS; each column of a
 * chunk is one BLOB of the table cols (id MN_COL_ID(chunk, column): a
 * column's chunks one after the other, so that a filter reading one column
 * of every chunk reads them from a few pages; schema 5 had them by chunk,
 * chunk * MN_COL_STRIDE + column), built from the passage tables whenever a
 * transaction changed the chunk,
 * inside that transaction: the columns are never out of step with the rows.
 * Fixed-width columns hold one value per rowid (0 where there is no
 * passage); list columns (speakers, owners, orgs) hold MN_CHUNK_ROWS + 1
 * offsets followed by the values.
 *
 * Strings that columns refer to by number live in dictionaries that only
 * grow: dict_series and dict_orgs (names), dict_headings (a heading as
 * written, with its fold class) and dict_topics (a topic path), with
 * topic_classes (the classes of the headings that make up each topic and
 * of every heading whose words it contains, so that the topic facet can
 * count what the filter topic:"heading" selects without running it).
 *
 * A reader loads a column of a chunk, as it is stored, the first time it
 * needs it and keeps it until the index changes (PRAGMA data_version);
 * cursors read values from that form.
 */
#ifndef MN_COLS_H
#define MN_COLS_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "mn_tokenizer.h"
#include "mn_util.h"

enum mn_col {
	MN_COL_NTOK, /* tokens in the passage's FTS5 row (text, topic, title) + 1; 0: none */
	MN_COL_MEETING,	 /* u32: meeting id */
	MN_COL_DATE,	 /* u32: YYYYMMDD, 0 when undated */
	MN_COL_KIND,	 /* u8: enum mn_kind */
	MN_COL_TOPIC,	 /* u32: dict_topics id, 0 when none */
	MN_COL_SERIES,	 /* u32: dict_series id, 0 when none */
	MN_COL_SPEAKERS, /* list of people ids */
	MN_COL_OWNERS,	 /* list of people ids */
	MN_COL_ORGS,	 /* list of dict_orgs ids: the speakers' organisations at the meeting */
	MN_COL_COUNT
};

#define MN_CHUNK_BITS 12
#define MN_CHUNK_ROWS (1 << MN_CHUNK_BITS)
#define MN_COL_ID(chunk, col) ((((int64_t)(col) + 1) << 32) + (int64_t)(chunk))
#define MN_COL_STRIDE	      16 /* schema 5's ids */

/* SQL that creates the tables of the columns and dictionaries (schema 4). */
extern const char mn_cols_schema_sql[];
/* The FTS5 table over dict_topics, for the tokenizer of language (a new string, caller frees). */
/* The table of the writer's filters (created if missing; in mn_cols_schema_sql too). */
extern const char mn_cols_filters_sql[];
char *mn_cols_topics_fts_sql(const char *language);

struct mn_cols;

/* Columns over db, whose passages are stemmed in language. Never fails. */
struct mn_cols *mn_cols_new(sqlite3 *db, const char *language);
void mn_cols_free(struct mn_cols *cols);

/* ---- writing ---------------------------------------------------------------- */

/* Notes that the passages with rowids lo..hi (inclusive) were added, changed or removed. */
void mn_cols_touch(struct mn_cols *cols, int64_t lo, int64_t hi);

/*
 * Rebuilds the columns of every chunk touched since the last flush, and the
 * dictionaries they need. Call inside the transaction that changed the
 * passages, before it commits. Errors: MN_ERR_DB (the message says what).
 */
int mn_cols_flush(struct mn_cols *cols, struct mn_err *err);

/*
 * The dict_topics id of a topic path (headings joined by MN_LIST_SEP),
 * adding it, and headings it brings, when new. Call inside the writing
 * transaction. 0 on error.
 */
uint32_t mn_cols_topic_id(struct mn_cols *cols, const char *path, struct mn_err *err);

/*
 * Adds the people's passages by chunk (person_chunks) to an index made
 * before them (schema 5), built anew from passage_people (a table of that
 * name already there was kept by no one, and goes). Call inside the writing
 * transaction that makes the index schema 6. Errors: MN_ERR_DB.
 */
int mn_cols_add_person_chunks(struct mn_cols *cols, struct mn_err *err);

/*
 * Whether every heading is kept in its fold class, and every topic has its
 * heading classes, all of them classes; err names the first that is not.
 * Errors: MN_ERR_DB.
 */
int mn_cols_check_classes(struct mn_cols *cols, struct mn_err *err);

/*
 * Whether every chunk's columns hold what the passages' tables say (as
 * they would be built from them); err names the first column that does
 * not. Errors: MN_ERR_DB.
 */
int mn_cols_check_chunks(struct mn_cols *cols, struct mn_err *err);

/*
 * Gives the headings of an index of schema 7 their fold classes, and the
 * topics their heading classes (topic_classes) in place of their heading
 * ids. Call inside the writing transaction that makes it schema 8.
 */
int mn_cols_add_topic_classes(struct mn_cols *cols, struct mn_err *err);

/*
 * Numbers the columns of an index of schema 5 as schema 6 does
 * (MN_COL_ID). Call inside the writing transaction that makes it schema 6.
 */
int mn_cols_renumber(struct mn_cols *cols, struct mn_err *err);

/*
 * A writing transaction began: when another connection wrote to the index
 * since this one last did, what the writer keeps of the dictionaries (ids,
 * and which words topics and headings have) is read anew. Errors: MN_ERR_DB.
 */
int mn_cols_begin_write(struct mn_cols *cols, struct mn_err *err);

/*
 * The writer keeps Bloom filters of the topics' stem pairs and the
 * headings' stem sequences in memory, and saves each in the index once
 * this many hashes went into it (0: MN_COLS_FILTERS_AFTER), after which it
 * keeps it up to date: a later run reads it instead of every topic path
 * and heading.
 */
#define MN_COLS_FILTERS_AFTER 262144
void mn_cols_set_filters_after(struct mn_cols *cols, size_t hashes);

/*
 * Whether the filters saved in the index have every topic's and heading's
 * hashes (true when none is saved). Errors: MN_ERR_DB, naming the first
 * topic or heading missed.
 */
int mn_cols_check_filters(struct mn_cols *cols, struct mn_err *err);

/* The transaction was rolled back: forget touched chunks and cached dictionary ids. */
void mn_cols_rollback(struct mn_cols *cols);

/*
 * Rolled back to a savepoint: forget the cached dictionary ids (those handed
 * out since are gone); the chunks touched before it are still to be written.
 */
void mn_cols_rollback_savepoint(struct mn_cols *cols);

/* The index's tokenizer, opened on first use and kept (borrowed); NULL on error. */
struct mn_tokenizer *mn_cols_tokenizer(struct mn_cols *cols, struct mn_err *err);

/* ---- reading ---------------------------------------------------------------- */

/*
 * Starts a search: drops what was loaded when the index changed since.
 * Call inside the read transaction the search runs in.
 */
int mn_cols_begin(struct mn_cols *cols, struct mn_err *err);

/* One past the highest rowid that may hold a passage. */
int64_t mn_cols_end(struct mn_cols *cols, struct mn_err *err);

/*
 * The value of a column other than a list for one rowid: a length or kind
 * read alone while few of its chunk were asked for, from the stored chunk
 * after; the others from their runs.
 */
int mn_cols_value(struct mn_cols *cols, enum mn_col col, int64_t rowid, uint32_t *out,
		  struct mn_err *err);

/* Ends a search: lets go of what single reads hold open. */
void mn_cols_finish(struct mn_cols *cols);

/*
 * A cursor reads one column as it is stored (compact: no array of 4096 is
 * made), value by value. Rows asked for in increasing order within a chunk
 * cost next to nothing each; any order works. The functions below are
 * inline for the common case (the row is in the run or chunk at hand) and
 * call into mn_cols.c otherwise. Cursors may read from several threads at
 * once (a search's facets do), as long as nothing else is called on the
 * columns meanwhile but the dictionary lookups of loaded dictionaries and
 * mn_cols_scratch with slots of each thread's own.
 */
struct mn_cursor {
	struct mn_cols *cols;
	enum mn_col col;
	struct mn_err *err;
	int64_t chunk; /* the chunk b holds, -1 for none */
	const unsigned char *b;
	size_t len;
	int enc;
	int width;    /* bytes per value of a fixed-width column, else 0 */
	size_t count; /* runs or list entries */
	size_t at, row;
	/* A run column: every rowid in [lo, hi) has value (lo == hi: none known). */
	int64_t lo, hi;
	uint32_t value;
	/*
	 * A chunk of many list entries or runs: the first at or after each row,
	 * MN_CHUNK_ROWS + 1 of them (kept by the columns); NULL for the others.
	 */
	const uint16_t *at_row;
};

void mn_cursor_init(struct mn_cursor *cursor, struct mn_cols *cols, enum mn_col col,
		    struct mn_err *err);

uint32_t mn_cursor_value_at(struct mn_cursor *cursor, int64_t rowid);

/*
 * Loads column col of every chunk whose bit is set in chunks (bit i: the
 * chunk of rowids from i * MN_CHUNK_ROWS), as cursors would: so that
 * cursors on several threads then find them loaded rather than take turns
 * loading them.
 */
int mn_cols_preload(struct mn_cols *cols, enum mn_col col, const struct mn_bits *chunks,
		    struct mn_err *err);
size_t mn_cursor_list_at(struct mn_cursor *cursor, int64_t rowid, size_t *first);

/* The first byte of a run column's chunk, and of packed lengths (see mn_cols.c's encodings). */
#define MN_ENC_RUNS  'R'
#define MN_ENC_SMALL 'S'

/*
 * Packed lengths (MN_ENC_SMALL): row r's 7 bits start at bit 7r of the
 * bytes after the tag; MN_SMALL_LONG marks a row kept among the long ones.
 * mn_small_bits takes the two bytes that hold them and their shift.
 */
#define MN_SMALL_BITS 7
#define MN_SMALL_LONG ((1u << MN_SMALL_BITS) - 1)

static inline uint32_t mn_small_bits(const unsigned char two[2], unsigned shift)
{
	return (((uint32_t)two[0] | (uint32_t)two[1] << 8) >> shift) & MN_SMALL_LONG;
}

static inline uint32_t mn_small_code(const unsigned char *packed, size_t r)
{
	size_t bit = r * MN_SMALL_BITS;

	return mn_small_bits(packed + bit / 8, (unsigned)(bit % 8));
}

/* The value of a fixed-width or run column at rowid (0 on error, which err then says). */
static inline uint32_t mn_cursor_value(struct mn_cursor *k, int64_t rowid)
{
	if (rowid >= k->lo && rowid < k->hi)
		return k->value;
	if ((rowid >> MN_CHUNK_BITS) == k->chunk && k->width) {
		const unsigned char *p =
		    k->b + 1 + (size_t)(rowid & (MN_CHUNK_ROWS - 1)) * (size_t)k->width;

		return k->width == 1   ? p[0]
		       : k->width == 2 ? (uint32_t)p[0] | (uint32_t)p[1] << 8
				       : (uint32_t)p[0] | (uint32_t)p[1] << 8 |
					     (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	}
	if ((rowid >> MN_CHUNK_BITS) == k->chunk && k->enc == MN_ENC_SMALL) {
		/* A long one is found by mn_cursor_value_at. */
		uint32_t v = mn_small_code(k->b + 1, (size_t)(rowid & (MN_CHUNK_ROWS - 1)));

		if (v != MN_SMALL_LONG)
			return v;
	}
	if ((rowid >> MN_CHUNK_BITS) == k->chunk && k->at_row && k->enc == MN_ENC_RUNS) {
		/*
		 * The runs starting at or before the row are those before the first
		 * after it; runs are 6 bytes from byte 5: first row (16 bits), value.
		 */
		size_t n = k->at_row[(rowid & (MN_CHUNK_ROWS - 1)) + 1];
		const unsigned char *p = k->b + 5 + 6 * (n - 1) + 2;

		return n ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
			       (uint32_t)p[3] << 24
			 : 0;
	}
	return mn_cursor_value_at(k, rowid);
}

/* The row (within its chunk) of list entry i. */
static inline size_t mn_cursor_entry_row(const struct mn_cursor *k, size_t i)
{
	return (size_t)k->b[5 + 2 * i] | (size_t)k->b[6 + 2 * i] << 8;
}

/*
 * The entries of a list column at rowid: their number, the first in *first;
 * entry i is mn_cursor_item(cursor, i). Valid until the cursor moves.
 */
static inline size_t mn_cursor_list(struct mn_cursor *k, int64_t rowid, size_t *first)
{
	size_t r = (size_t)(rowid & (MN_CHUNK_ROWS - 1)), at = k->at, n = k->count, end;

	if ((rowid >> MN_CHUNK_BITS) == k->chunk && k->at_row) {
		*first = k->at_row[r];
		return (size_t)(k->at_row[r + 1] - k->at_row[r]);
	}
	if ((rowid >> MN_CHUNK_BITS) != k->chunk || r < k->row || k->width)
		return mn_cursor_list_at(k, rowid, first);
	if (at + 8 < n && mn_cursor_entry_row(k, at + 8) < r) {
		/*
		 * Far ahead (a sparse walk over a dense list): leap by doubling
		 * steps until past r, then halve the last leap. Entries before
		 * lo are before r; the one at hi (if any) is not.
		 */
		size_t lo = at + 9, step = 16, hi;

		while (at + step < n && mn_cursor_entry_row(k, at + step) < r) {
			lo = at + step + 1;
			step *= 2;
		}
		hi = at + step < n ? at + step : n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (mn_cursor_entry_row(k, mid) < r)
				lo = mid + 1;
			else
				hi = mid;
		}
		at = lo;
	} else {
		while (at < n && mn_cursor_entry_row(k, at) < r)
			at++;
	}
	k->at = at;
	k->row = r;
	for (end = at; end < n && mn_cursor_entry_row(k, end) == r; end++)
		;
	*first = at;
	return end - at;
}

/* The first byte of a list whose values are 16 bits (see mn_cols.c's encodings). */
#define MN_ENC_LIST16 'l'

static inline uint32_t mn_cursor_item(const struct mn_cursor *k, size_t i)
{
	const unsigned char *p;

	if (k->enc == MN_ENC_LIST16) {
		p = k->b + 5 + 2 * k->count + 2 * i;
		return (uint32_t)p[0] | (uint32_t)p[1] << 8;
	}
	p = k->b + 5 + 2 * k->count + 4 * i;
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* ---- reading the dictionaries ------------------------------------------------- */

enum mn_dict { MN_DICT_SERIES, MN_DICT_ORGS, MN_DICT_HEADINGS, MN_DICT_PEOPLE, MN_DICT_COUNT };

/*
 * The name numbered id in a dictionary, or NULL when there is none (or on
 * error, which err then says). Dictionaries are read whole the first time
 * and kept like the columns.
 */
const char *mn_cols_name(struct mn_cols *cols, enum mn_dict dict, uint32_t id, struct mn_err *err);

/*
 * Names that fold alike (mn_fold: case, accents, spacing) form a class,
 * numbered from 1 per dictionary: facets count by class, as filters match
 * them alike. The class of entry id (0 when there is no such entry); the
 * number of classes; the names classes are shown by (their first entry's);
 * the class of a folded name (0 when none).
 */
uint32_t mn_cols_class(struct mn_cols *cols, enum mn_dict dict, uint32_t id, struct mn_err *err);
/* All of a dictionary's classes at once: classes[id] for id < *n (borrowed, like names). */
const uint32_t *mn_cols_classes(struct mn_cols *cols, enum mn_dict dict, size_t *n,
				struct mn_err *err);
uint32_t mn_cols_nclasses(struct mn_cols *cols, enum mn_dict dict, struct mn_err *err);
/* All of the names classes are shown by: names[cls] for 0 < cls < *n (borrowed). */
const char *const *mn_cols_class_names(struct mn_cols *cols, enum mn_dict dict, size_t *n,
				       struct mn_err *err);
uint32_t mn_cols_class_of_folded(struct mn_cols *cols, enum mn_dict dict, const char *folded,
				 size_t len, struct mn_err *err);

/*
 * Headings that fold alike form a class too, but numbered by the id of the
 * first heading of the class (the writer keeps them in the index, and a
 * number once given holds), not by mn_cols_class. One past the highest
 * heading class (0 on error); the name a class is shown by (its first
 * heading's; NULL when there is none), read alone when the dictionary is
 * not (safe to call while other threads count facets).
 */
size_t mn_cols_heading_classes(struct mn_cols *cols, struct mn_err *err);
const char *mn_cols_heading_class_name(struct mn_cols *cols, uint32_t cls, struct mn_err *err);

/*
 * A topic path, by heading classes (mn_cols_heading_classes): those of the
 * headings that make it up, and those of every heading it contains; each
 * list sorted, each class once.
 */
struct mn_topic_info {
	const uint32_t *parts, *heads;
	size_t nparts, nheads;
};

/*
 * All the topics (read whole the first time, borrowed like names): topic
 * id's part classes are ids[rows[id].at ...], its head classes follow them,
 * for id < n; mn_topic_get looks one up (all empty when there is none).
 */
struct mn_topic_row {
	uint32_t at; /* offset into ids */
	uint32_t nparts, nheads;
};

struct mn_topic_table {
	const struct mn_topic_row *rows;
	const uint32_t *ids;
	size_t n;
};

int mn_cols_topic_table(struct mn_cols *cols, struct mn_topic_table *out, struct mn_err *err);

static inline void mn_topic_get(const struct mn_topic_table *t, uint32_t id,
				struct mn_topic_info *out)
{
	const struct mn_topic_row *r = id < t->n ? &t->rows[id] : NULL;

	out->nparts = r ? r->nparts : 0;
	out->nheads = r ? r->nheads : 0;
	out->parts = r ? t->ids + r->at : NULL;
	out->heads = r ? t->ids + r->at + r->nparts : NULL;
}

/* A person: the name, and the other names (aliases, labels) they go by. */
struct mn_person_info {
	const char *name; /* NULL when there is no such person */
	const char *const *aliases;
	size_t naliases;
};

int mn_cols_person(struct mn_cols *cols, uint32_t id, struct mn_person_info *out,
		   struct mn_err *err);

/*
 * Calls fn for every person whose name or an alias has name's words in a
 * row (as mn_name_match compares, which the filter speaker: uses).
 */
int mn_cols_people_named(struct mn_cols *cols, const char *name,
			 void (*fn)(void *ctx, uint32_t person), void *ctx, struct mn_err *err);

/*
 * The passages where person is a speaker (role 0) or an owner (role 1), in
 * *words: bit (id & 63) of word (id >> 6) is set for each, *nwords words
 * (ids beyond them are not in the set; none at all: NULL and 0). Read a
 * chunk at a time from person_chunks (from passage_people's index on
 * person in an index made before it), so that a filter on a person costs
 * that person's passages and not the list column of every chunk; kept like
 * the columns, a few people at a time. Borrowed until the next call.
 */
int mn_cols_person_rows(struct mn_cols *cols, uint32_t person, int role, const uint64_t **words,
			size_t *nwords, struct mn_err *err);

/* One past the highest id of a dictionary, or of the topics; 0 on error. */
size_t mn_cols_ids(struct mn_cols *cols, enum mn_dict dict, struct mn_err *err);
size_t mn_cols_topic_ids(struct mn_cols *cols, struct mn_err *err);

/*
 * Scratch memory for one search's counting, kept between searches so that
 * large arrays are neither mapped and faulted in nor cleared each time: at
 * least bytes, all zero when first given, valid until the next call with
 * the same slot. Callers set back to zero what they wrote before they are
 * done, so that the next one finds it zeroed too.
 */
enum { MN_SCRATCH_SLOTS = 16 };
void *mn_cols_scratch(struct mn_cols *cols, int slot, size_t bytes);

/* YYYY-MM-DD (or a prefix of it) as the number the date column holds; 0 when not a date. */
uint32_t mn_cols_date_value(const char *date);

#endif
