#include "mn_search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mn_cols.h"
#include "mn_exec.h"
#include "mn_query.h"
#include "mn_snippet.h"
#include "mn_suggest.h"
#include "mn_text.h"

/* Marks FTS5 puts around matched tokens; never present in indexed text. */
#define MARK_OPEN	    '\x01'
#define MARK_CLOSE	    '\x02'
#define SNIPPET_TOKENS	    32
#define PLAIN_SNIPPET_BYTES 240

/* Columns of the hit query, in order. */
enum {
	C_ID,
	C_PATH,
	C_LINE,
	C_END_LINE,
	C_COL,
	C_TITLE,
	C_DATE,
	C_SERIES,
	C_SPEAKER,
	C_LABEL,
	C_TOPIC_PATH,
	C_KIND,
	C_OWNERS,
	C_SNIPPET,
	C_HIGHLIGHT,
	C_TEXT,
};

static const char hit_columns[] =
    "p.id, m.path, p.line, p.end_line, p.col, m.title, coalesce(p.date, m.date), m.series, "
    "p.speaker, p.speaker_label, t.path, p.kind, p.owners";

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

char *mn_snippet_clean(const char *marked, char open, char close, struct mn_range **ranges,
		       size_t *nranges)
{
	struct mn_buf b = MN_BUF_INIT;
	struct mn_range *r = NULL;
	size_t n = 0, cap = 0;
	int space = 0, inside = 0;
	const char *s;

	mn_buf_add(&b, "", 0);
	for (s = marked ? marked : ""; *s; s++) {
		if (*s == open) {
			if (space && b.len) {
				mn_buf_addc(&b, ' ');
				space = 0;
			}
			MN_GROW(r, n + 1, cap);
			r[n].start = r[n].end = b.len;
			inside = 1;
			continue;
		}
		if (*s == close) {
			if (inside)
				r[n++].end = b.len;
			inside = 0;
			continue;
		}
		if (is_ws(*s)) {
			space = 1;
			continue;
		}
		if (space && b.len)
			mn_buf_addc(&b, ' ');
		space = 0;
		mn_buf_addc(&b, *s);
	}
	if (inside)
		r[n++].end = b.len;
	*ranges = r;
	*nranges = n;
	return mn_buf_detach(&b);
}

/* The start of text cut at about max bytes on a character boundary, white space collapsed. */
static char *plain_snippet(const char *text)
{
	size_t n = strlen(text), cut = n;
	struct mn_buf b = MN_BUF_INIT;
	struct mn_range *r;
	size_t nr;
	char *clean;

	if (n > PLAIN_SNIPPET_BYTES) {
		cut = PLAIN_SNIPPET_BYTES;
		while (cut > 0 && ((unsigned char)text[cut] & 0xc0) == 0x80)
			cut--;
		/* Prefer to end at a word boundary. */
		for (size_t k = cut; k > cut / 2; k--)
			if (is_ws(text[k])) {
				cut = k;
				break;
			}
	}
	mn_buf_add(&b, text, cut);
	if (cut < n)
		mn_buf_adds(&b, "\xe2\x80\xa6");
	clean = mn_snippet_clean(mn_buf_str(&b), MARK_OPEN, MARK_CLOSE, &r, &nr);
	free(r);
	mn_buf_release(&b);
	return clean;
}

/*
 * Line and column of byte offset at in the text of a passage that starts at
 * line, col (the passage's own when at is negative: no match in the text).
 */
static void first_match_position(const char *text, int at, int line, int col, int *out_line,
				 int *out_col)
{
	const char *s, *line_start = NULL;
	int l = line;

	*out_line = line;
	*out_col = col;
	if (!text || at < 0 || (size_t)at > strlen(text))
		return;
	for (s = text; s < text + at; s++) {
		if (*s == '\n') {
			l++;
			line_start = s + 1;
		}
	}
	*out_line = l;
	*out_col = line_start ? 1 + (int)(text + at - line_start) : col + at;
}

/* Reports a failed step; FTS5 syntax errors are ours, not the user's, but say so plainly. */
static int step_error(struct mn_store *store, struct mn_err *err)
{
	return mn_err_set(err, MN_ERR_DB, "cannot run query on '%s': %s", mn_store_path(store),
			  mn_store_errmsg(store));
}

static enum mn_sort effective_sort(enum mn_sort sort, int ranked)
{
	if (sort == MN_SORT_AUTO)
		sort = ranked ? MN_SORT_RANK : MN_SORT_DATE_DESC;
	if (sort == MN_SORT_RANK && !ranked)
		sort = MN_SORT_DATE_DESC;
	return sort;
}

/* How rows are ordered for a sort. */
static enum mn_row_order row_order(enum mn_sort sort, int ranked)
{
	switch (effective_sort(sort, ranked)) {
	case MN_SORT_RANK:
		return MN_ROWS_BY_SCORE;
	case MN_SORT_DATE:
		return MN_ROWS_OLDEST;
	default:
		return MN_ROWS_NEWEST;
	}
}

static const char *column_text(sqlite3_stmt *s, int c)
{
	return (const char *)sqlite3_column_text(s, c);
}

static char *column_dup(sqlite3_stmt *s, int c)
{
	const char *v = (const char *)sqlite3_column_text(s, c);

	return v ? mn_xstrdup(v) : NULL;
}

/*
 * A score as reported (higher is better, as the engine keeps it): to 6
 * significant digits (decimals would round the tiny scores of words found
 * in most passages to 0, which means "unranked").
 */
static double score_of(double raw)
{
	char buf[32];
	double score;

	snprintf(buf, sizeof(buf), "%.6g", raw);
	score = strtod(buf, NULL);
	return score == 0 ? 0 : score; /* no negative zero */
}

/* Fills hit from the current row of s; everything in it is new (hit_release frees it). */
/*
 * How a hit's snippet is made: from its text alone (snip), or by FTS5's
 * snippet() (in the statement's columns), or as the start of the text.
 */
struct hit_marks {
	struct mn_snippet_query *snip;
	int fts; /* the statement has the snippet and first-match columns */
};

static void hit_fill(sqlite3_stmt *s, const struct hit_marks *how, struct mn_hit *hit)
{
	struct mn_range *ranges = NULL;
	char *text;

	memset(hit, 0, sizeof(*hit));
	hit->id = sqlite3_column_int64(s, C_ID);
	hit->path = column_dup(s, C_PATH);
	hit->line = sqlite3_column_int(s, C_LINE);
	hit->end_line = sqlite3_column_int(s, C_END_LINE);
	hit->column = sqlite3_column_int(s, C_COL);
	hit->title = column_dup(s, C_TITLE);
	hit->date = column_dup(s, C_DATE);
	hit->series = column_dup(s, C_SERIES);
	hit->speaker = column_dup(s, C_SPEAKER);
	hit->speaker_label = column_dup(s, C_LABEL);
	hit->topic_path =
	    mn_strv_split(column_text(s, C_TOPIC_PATH), MN_LIST_SEP, &hit->ntopic_path);
	hit->kind = (enum mn_kind)sqlite3_column_int(s, C_KIND);
	hit->owners = mn_strv_split(column_text(s, C_OWNERS), MN_LIST_SEP, &hit->nowners);
	text = column_dup(s, C_TEXT);
	hit->text = text;
	if (how->snip) {
		int first;
		char *marked = mn_snippet_mark(how->snip, text ? text : "", SNIPPET_TOKENS,
					       MARK_OPEN, MARK_CLOSE, "\xe2\x80\xa6", &first);

		hit->snippet =
		    mn_snippet_clean(marked, MARK_OPEN, MARK_CLOSE, &ranges, &hit->nhighlights);
		free(marked);
		first_match_position(text, first, hit->line, hit->column, &hit->match_line,
				     &hit->match_column);
	} else if (how->fts) {
		hit->snippet = mn_snippet_clean(column_text(s, C_SNIPPET), MARK_OPEN, MARK_CLOSE,
						&ranges, &hit->nhighlights);
		first_match_position(text, sqlite3_column_int(s, C_HIGHLIGHT), hit->line,
				     hit->column, &hit->match_line, &hit->match_column);
	} else {
		hit->snippet = plain_snippet(text ? text : "");
		hit->match_line = hit->line;
		hit->match_column = hit->column;
	}
	hit->highlights = ranges;
}

static void hit_release(struct mn_hit *hit)
{
	free((char *)hit->path);
	free((char *)hit->title);
	free((char *)hit->date);
	free((char *)hit->series);
	free((char *)hit->speaker);
	free((char *)hit->speaker_label);
	free((char *)hit->text);
	free((char *)hit->snippet);
	free((struct mn_range *)hit->highlights);
	mn_strv_free(hit->topic_path, hit->ntopic_path);
	mn_strv_free(hit->owners, hit->nowners);
	memset(hit, 0, sizeof(*hit));
}

/* Appends the columns of a hit row after "SELECT ". */
static void add_hit_columns(struct mn_buf *q, int fts)
{
	mn_buf_addf(q, "SELECT %s, ", hit_columns);
	if (fts)
		mn_buf_addf(q,
			    "snippet(f.passages_fts, 0, char(1), char(2), '\xe2\x80\xa6', %d), "
			    "mn_first_match(f.passages_fts), minutes_text(p.text)",
			    SNIPPET_TOKENS);
	else
		mn_buf_adds(q, "NULL, NULL, minutes_text(p.text)");
}

/* Parses opts->query. */
static int compile(const struct mn_search_opts *opts, struct mn_qnode **tree, struct mn_err *err)
{
	if (mn_query_parse(opts->query ? opts->query : "", tree, err))
		return err->status;
	if (!*tree)
		return mn_err_set(err, MN_ERR_QUERY, "query has no words or filters to search for");
	return MN_OK;
}

/* Offers text as the suggestion when it parses and finds more than the query did. */
static int alternative(struct mn_store *store, const char *text, struct mn_results *res,
		       struct mn_err *err)
{
	struct mn_err qerr = MN_ERR_INIT;
	struct mn_qnode *tree = NULL;
	int64_t hits = 0;

	if (!mn_query_parse(text, &tree, &qerr) && tree &&
	    !mn_search_count(store, tree, &hits, err) && hits > res->passages) {
		res->suggestion = mn_xstrdup(text);
		res->suggestion_hits = hits;
	}
	mn_qnode_free(tree);
	return err->status;
}

/* Facets and the suggestion, once the hits are out. */
static int extras(struct mn_store *store, const struct mn_search_opts *opts,
		  const struct mn_qnode *tree, const struct mn_rows *rows, struct mn_results *res,
		  struct mn_err *err)
{
	if (opts->nfacets &&
	    mn_facets_count(store, rows, opts->facets, opts->nfacets,
			    opts->facet_limit ? opts->facet_limit : MN_FACET_LIMIT_DEFAULT,
			    &res->facets, err))
		return err->status;
	if (opts->suggest && mn_suggest(store, opts->query, tree, res->passages, &res->suggestion,
					&res->suggestion_hits, err))
		return err->status;
	if (opts->suggest && opts->alternative && !res->suggestion &&
	    res->passages < MN_SUGGEST_BELOW)
		return alternative(store, opts->alternative, res, err);
	return MN_OK;
}

int mn_search_count(struct mn_store *store, const struct mn_qnode *tree, int64_t *hits,
		    struct mn_err *err)
{
	struct mn_rows rows = MN_ROWS_INIT;
	int began = 0;

	*hits = 0;
	if (!tree)
		return MN_OK;
	if (!mn_store_read_begin(store, &began, err) && !mn_exec(store, tree, &rows, err))
		*hits = (int64_t)rows.n;
	mn_store_read_end(store, began);
	mn_rows_release(&rows);
	return err->status;
}

/* Reads the hits shown: one statement, run for each passage of the page. */
struct hit_reader {
	struct mn_store *store;
	const struct mn_rows *rows;
	sqlite3_stmt *s;
	struct hit_marks how; /* its snippet query is the reader's */
};

static int hit_reader_open(struct hit_reader *hr, struct mn_store *store,
			   const struct mn_rows *rows, struct mn_err *err)
{
	struct mn_buf q = MN_BUF_INIT;
	sqlite3 *db = mn_store_db(store);

	hr->store = store;
	hr->rows = rows;
	hr->s = NULL;
	memset(&hr->how, 0, sizeof(hr->how));
	/*
	 * A ranked page's snippets come from the hits' texts and the query's
	 * phrases, unless the query has OR or NEAR (see mn_snippet.h): then
	 * FTS5 is asked again for each hit.
	 */
	if (rows->ranked && !rows->phrases.alternatives) {
		struct mn_tokenizer *tok = mn_cols_tokenizer(mn_store_cols(store), err);

		if (!tok)
			return err->status;
		hr->how.snip = mn_snippet_query_new(tok, &rows->phrases);
	}
	hr->how.fts = rows->ranked && !hr->how.snip;
	add_hit_columns(&q, hr->how.fts);
	if (hr->how.fts)
		mn_buf_adds(&q, " FROM passages_fts f JOIN passages p ON p.id = f.rowid "
				"JOIN meetings m ON m.id = p.meeting_id "
				"LEFT JOIN dict_topics t ON t.id = p.topic_id "
				"WHERE f.passages_fts MATCH ?2 AND f.rowid = ?1");
	else
		mn_buf_adds(&q, " FROM passages p JOIN meetings m ON m.id = p.meeting_id "
				"LEFT JOIN dict_topics t ON t.id = p.topic_id WHERE p.id = ?1");
	if (sqlite3_prepare_v2(db, mn_buf_str(&q), -1, &hr->s, NULL) != SQLITE_OK)
		mn_err_set(err, MN_ERR_DB, "cannot run query on '%s': %s", mn_store_path(store),
			   sqlite3_errmsg(db));
	else if (hr->how.fts)
		sqlite3_bind_text(hr->s, 2, mn_buf_str(&rows->match), -1, SQLITE_TRANSIENT);
	mn_buf_release(&q);
	return err->status;
}

/* Fills hit with the passage of row; *found is 0 when it is gone (cannot be, in one read). */
static int hit_read(struct hit_reader *hr, const struct mn_row *row, struct mn_hit *hit, int *found,
		    struct mn_err *err)
{
	int rc;

	*found = 0;
	sqlite3_reset(hr->s);
	sqlite3_bind_int64(hr->s, 1, row->id);
	rc = sqlite3_step(hr->s);
	if (rc == SQLITE_ROW) {
		hit_fill(hr->s, &hr->how, hit);
		hit->score = hr->rows->ranked ? score_of(row->score) : 0;
		*found = 1;
	} else if (rc != SQLITE_DONE) {
		step_error(hr->store, err);
	}
	sqlite3_reset(hr->s);
	return err->status;
}

static void hit_reader_close(struct hit_reader *hr)
{
	sqlite3_finalize(hr->s);
	hr->s = NULL;
	mn_snippet_query_free(hr->how.snip);
	hr->how.snip = NULL;
}

/*
 * Puts the first k rows, in order, at the start of rows. When the search
 * left the dates for later (a ranked query, in score order), they are read
 * for the rows that can be among the first k: those scored above the k-th
 * by score and id, and every one scored the same (ties go by date).
 */
static int top_rows(struct mn_store *store, struct mn_rows *rows, size_t k, enum mn_row_order order,
		    struct mn_err *err)
{
	size_t m, t, i;
	double kth;

	if (!rows->dates_later || !rows->ranked) {
		mn_rows_top(rows->v, rows->n, k, order);
		return MN_OK;
	}
	if (!(m = mn_rows_top(rows->v, rows->n, k, order)))
		return MN_OK;
	kth = rows->v[m - 1].score;
	for (t = m, i = m; i < rows->n; i++)
		if (rows->v[i].score == kth) {
			struct mn_row r = rows->v[t];

			rows->v[t++] = rows->v[i];
			rows->v[i] = r;
		}
	if (mn_rows_dates(store, rows->v, t, err))
		return err->status;
	mn_rows_top(rows->v, t, k, order);
	return MN_OK;
}

int mn_search(struct mn_store *store, const struct mn_search_opts *opts, mn_hit_fn fn, void *ctx,
	      struct mn_results *res, struct mn_err *err)
{
	struct mn_qnode *tree = NULL;
	struct mn_rows rows = MN_ROWS_INIT;
	struct hit_reader hr = {NULL, NULL, NULL, {NULL, 0}};
	double t0 = mn_now_ms();
	size_t shown, i;
	int began = 0;

	memset(res, 0, sizeof(*res));
	/* A page in score order needs the dates of the hits that tie; facets need all. */
	rows.dates_later = !opts->nfacets && row_order(opts->sort, 1) == MN_ROWS_BY_SCORE;
	if (compile(opts, &tree, err) || mn_store_read_begin(store, &began, err) ||
	    mn_exec(store, tree, &rows, err))
		goto out;
	res->ranked = effective_sort(opts->sort, rows.ranked) == MN_SORT_RANK;
	res->passages = res->total = (int64_t)rows.n;

	shown = opts->offset < rows.n ? rows.n - opts->offset : 0;
	if (shown > opts->limit)
		shown = opts->limit;
	if (shown) {
		if (top_rows(store, &rows, opts->offset + shown, row_order(opts->sort, rows.ranked),
			     err) ||
		    hit_reader_open(&hr, store, &rows, err))
			goto out;
	}
	for (i = opts->offset; i < opts->offset + shown; i++) {
		struct mn_hit hit;
		int found, stop;

		if (hit_read(&hr, &rows.v[i], &hit, &found, err))
			goto out;
		if (!found)
			continue;
		stop = fn(ctx, &hit);
		hit_release(&hit);
		if (stop)
			break;
	}
	hit_reader_close(&hr);
	extras(store, opts, tree, &rows, res, err);
out:
	hit_reader_close(&hr);
	mn_store_read_end(store, began);
	res->took_ms = mn_now_ms() - t0;
	mn_rows_release(&rows);
	mn_qnode_free(tree);
	return err->status;
}

/* ---- grouping by meeting ----------------------------------------------------- */

/* A meeting's hits: how many, the best, the date span; and its place in the page. */
struct group_acc {
	uint32_t meeting;
	int64_t count;
	struct mn_row best;
	uint32_t first, last; /* earliest and latest dates of its hits, 0 when none */
	long slot;	      /* index in the page, or -1 */
	struct mn_row *top;   /* its best hits so far, when on the page */
	size_t ntop;
};

/*
 * The meetings of the rows, in rowid order: a meeting's passages have
 * consecutive ids, so its rows are one run.
 */
struct group_map {
	struct group_acc *v;
	size_t n;
};

static void group_map_build(struct group_map *m, const struct mn_rows *rows,
			    enum mn_row_order order)
{
	size_t i, cap = 0;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < rows->n; i++) {
		const struct mn_row *r = &rows->v[i];
		struct group_acc *g = m->n ? &m->v[m->n - 1] : NULL;

		if (!g || g->meeting != r->meeting) {
			MN_GROW(m->v, m->n + 1, cap);
			g = &m->v[m->n++];
			memset(g, 0, sizeof(*g));
			g->meeting = r->meeting;
			g->best = *r;
			g->slot = -1;
		} else if (mn_row_cmp(r, &g->best, order) < 0) {
			g->best = *r;
		}
		g->count++;
		if (r->date && (!g->first || r->date < g->first))
			g->first = r->date;
		if (r->date > g->last)
			g->last = r->date;
	}
}

static void group_map_release(struct group_map *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->v[i].top);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

/*
 * The first want meetings, as rows of map.v indexes: in the order of their
 * best hit (ties: latest hit newest first, then meeting id), or of their
 * earliest or latest dated hit.
 */
static struct mn_row *groups_top(const struct group_map *m, size_t want, enum mn_row_order order)
{
	struct mn_row *v = mn_xcalloc(m->n ? m->n : 1, sizeof(*v));
	size_t i;

	for (i = 0; i < m->n; i++) {
		const struct group_acc *g = &m->v[i];

		v[i].id = g->meeting;
		v[i].score = g->best.score;
		v[i].date = order == MN_ROWS_OLDEST ? g->first : g->last;
		v[i].meeting = (uint32_t)i;
	}
	mn_rows_top(v, m->n, want, order);
	return v;
}

/* Keeps row among the best per_group of g, in order. */
static void group_keep(struct group_acc *g, const struct mn_row *row, size_t per_group,
		       enum mn_row_order order)
{
	size_t at = g->ntop;

	while (at > 0 && mn_row_cmp(row, &g->top[at - 1], order) < 0)
		at--;
	if (at >= per_group)
		return;
	if (g->ntop < per_group)
		g->ntop++;
	memmove(g->top + at + 1, g->top + at, (g->ntop - at - 1) * sizeof(*g->top));
	g->top[at] = *row;
}

/* Fills the title, date, series and path of the meeting of g. */
static int read_meeting(struct mn_store *store, sqlite3_stmt *s, struct mn_group *g,
			struct mn_err *err)
{
	int rc;

	sqlite3_reset(s);
	sqlite3_bind_int64(s, 1, g->meeting_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		g->path = column_dup(s, 0);
		g->title = column_dup(s, 1);
		g->date = column_dup(s, 2);
		g->series = column_dup(s, 3);
	} else if (rc != SQLITE_DONE) {
		step_error(store, err);
	}
	sqlite3_reset(s);
	return err->status;
}

static void group_release(struct mn_group *g)
{
	size_t k;

	free((char *)g->path);
	free((char *)g->title);
	free((char *)g->date);
	free((char *)g->series);
	for (k = 0; k < g->nhits; k++)
		hit_release((struct mn_hit *)&g->hits[k]);
	free((struct mn_hit *)g->hits);
	memset(g, 0, sizeof(*g));
}

int mn_search_groups(struct mn_store *store, const struct mn_search_opts *opts, mn_group_fn fn,
		     void *ctx, struct mn_results *res, struct mn_err *err)
{
	struct mn_qnode *tree = NULL;
	struct mn_rows rows = MN_ROWS_INIT;
	struct group_map map;
	struct mn_row *order_of = NULL;
	struct hit_reader hr = {NULL, NULL, NULL, {NULL, 0}};
	sqlite3_stmt *meeting = NULL;
	size_t per_group = opts->group_hits ? opts->group_hits : MN_GROUP_HITS_DEFAULT;
	size_t npage = 0, i, k;
	enum mn_row_order order;
	double t0 = mn_now_ms();
	int began = 0;

	memset(res, 0, sizeof(*res));
	memset(&map, 0, sizeof(map));
	if (compile(opts, &tree, err) || mn_store_read_begin(store, &began, err) ||
	    mn_exec(store, tree, &rows, err))
		goto out;
	order = row_order(opts->sort, rows.ranked);
	res->ranked = order == MN_ROWS_BY_SCORE;
	res->passages = (int64_t)rows.n;
	group_map_build(&map, &rows, order);
	res->total = (int64_t)map.n;

	if (opts->offset < map.n)
		npage = map.n - opts->offset < opts->limit ? map.n - opts->offset : opts->limit;
	order_of = groups_top(&map, opts->offset + npage, order);
	for (i = 0; i < npage; i++) {
		struct group_acc *g = &map.v[order_of[opts->offset + i].meeting];

		g->slot = (long)i;
		g->top = mn_xcalloc(per_group ? per_group : 1, sizeof(*g->top));
	}
	/* The best hits of the meetings shown, in one pass (rows and groups in one order). */
	for (i = 0, k = 0; npage && per_group && i < rows.n; i++) {
		while (map.v[k].meeting != rows.v[i].meeting)
			k++;
		if (map.v[k].slot >= 0)
			group_keep(&map.v[k], &rows.v[i], per_group, order);
	}
	if (npage) {
		if (hit_reader_open(&hr, store, &rows, err))
			goto out;
		if (sqlite3_prepare_v2(
			mn_store_db(store),
			"SELECT path, title, date, series FROM meetings WHERE id = ?1", -1,
			&meeting, NULL) != SQLITE_OK) {
			step_error(store, err);
			goto out;
		}
	}
	for (i = 0; i < npage; i++) {
		struct group_acc *a = &map.v[order_of[opts->offset + i].meeting];
		struct mn_hit *hits = mn_xcalloc(a->ntop ? a->ntop : 1, sizeof(*hits));
		struct mn_group g;
		int stop;

		memset(&g, 0, sizeof(g));
		g.meeting_id = a->meeting;
		g.count = a->count;
		g.score = rows.ranked ? score_of(a->best.score) : 0;
		g.hits = hits;
		for (k = 0; k < a->ntop && !err->status; k++) {
			int found;

			if (!hit_read(&hr, &a->top[k], &hits[g.nhits], &found, err) && found)
				g.nhits++;
		}
		if (!err->status)
			read_meeting(store, meeting, &g, err);
		if (err->status) {
			group_release(&g);
			goto out;
		}
		stop = fn(ctx, &g);
		group_release(&g);
		if (stop)
			break;
	}
	extras(store, opts, tree, &rows, res, err);
out:
	hit_reader_close(&hr);
	sqlite3_finalize(meeting);
	mn_store_read_end(store, began);
	res->took_ms = mn_now_ms() - t0;
	free(order_of);
	group_map_release(&map);
	mn_rows_release(&rows);
	mn_qnode_free(tree);
	return err->status;
}

void mn_results_release(struct mn_results *res)
{
	mn_facets_release(&res->facets);
	free(res->suggestion);
	res->suggestion = NULL;
	res->suggestion_hits = 0;
}
