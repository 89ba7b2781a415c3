/*
 * Running a parsed query over the index: every passage it selects, with
 * its BM25 score when the query has words.
 *
 * The words go to FTS5 as one MATCH expression (as mn_query_to_sql writes
 * it); an auxiliary function scores each match as FTS5's bm25() does, with
 * the same column weights, but reads the passage's length from the columns
 * (mn_cols.h) instead of looking up FTS5's docsize row by row, and collects
 * the matches instead of handing them to a sorter. Filters (speaker:,
 * date:, kind: ...) are then tested on the columns, and a query of filters
 * only scans the columns. What SQL translation selects (mn_query_to_sql),
 * this selects: the tests hold the two to it.
 */
#ifndef MN_EXEC_H
#define MN_EXEC_H

#include <stddef.h>
#include <stdint.h>

#include "mn_query.h"
#include "mn_store.h"
#include "mn_util.h"

/* A passage a query selects. */
struct mn_row {
	int64_t id;
	double score;	  /* BM25, higher is better; 0 when the query has no words */
	uint32_t date;	  /* YYYYMMDD, 0 when undated */
	uint32_t meeting; /* meeting id */
};

/* The passages of a query, in rowid order. Release with mn_rows_release. */
struct mn_rows {
	struct mn_row *v;
	size_t n, cap;
	int ranked;	     /* the query has words: rows carry scores, and match holds them */
	struct mn_buf match; /* the FTS5 expression of the query's words, for snippets */
	struct mn_fts_phrases phrases; /* its phrases, in the order FTS5 numbers them */
	/*
	 * Set before mn_exec: the rows of a query with words (ranked) are left
	 * without date and meeting (0), for mn_rows_dates to read for the few
	 * that need them: a ranked page in score order needs the dates of
	 * ties only, and a few matches in many chunks would each read their
	 * chunk's dates and meetings.
	 */
	int dates_later;
};

#define MN_ROWS_INIT                                                                               \
	{                                                                                          \
		NULL, 0, 0, 0, MN_BUF_INIT, {NULL, 0, 0, 0}, 0                                     \
	}

/* Registers the auxiliary function mn_exec uses on db (once per connection). */
int mn_exec_register(sqlite3 *db, struct mn_err *err);

/*
 * Fills rows with every passage tree selects (NULL: every passage). Call inside a read
 * transaction (mn_store_read_begin) so that the words, the filters and the
 * columns see the same index. Errors: MN_ERR_DB.
 */
int mn_exec(struct mn_store *store, const struct mn_qnode *tree, struct mn_rows *rows,
	    struct mn_err *err);

void mn_rows_release(struct mn_rows *rows);

/* Reads the date and meeting of v[0..n) (rows left without, see dates_later). */
int mn_rows_dates(struct mn_store *store, struct mn_row *v, size_t n, struct mn_err *err);

/*
 * Sort orders of rows: by score (best first; ties newest first, then by
 * id), by date (undated last, then by id) oldest or newest first.
 */
enum mn_row_order { MN_ROWS_BY_SCORE, MN_ROWS_OLDEST, MN_ROWS_NEWEST };

/* Negative, zero or positive as a comes before, with, or after b in order. */
int mn_row_cmp(const struct mn_row *a, const struct mn_row *b, enum mn_row_order order);

/*
 * Puts the first k rows of v[0..n) (in order) at its start, sorted; the rest
 * follow in no particular order. Returns min(k, n).
 */
size_t mn_rows_top(struct mn_row *v, size_t n, size_t k, enum mn_row_order order);

#endif
