#include "mn_search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mn_query.h"
#include "mn_suggest.h"
#include "mn_text.h"

/* Marks FTS5 puts around matched tokens; never present in indexed text. */
#define MARK_OPEN '\x01'
#define MARK_CLOSE '\x02'
#define SNIPPET_TOKENS 32
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
	C_RANK,
	C_SNIPPET,
	C_HIGHLIGHT,
	C_TEXT,
	C_MEETING,
};

static const char hit_columns[] =
	"p.id, m.path, p.line, p.end_line, p.col, m.title, coalesce(p.date, m.date), m.series, "
	"p.speaker, p.speaker_label, p.topic_path, p.kind, p.owners";

/* Columns of the meeting query when grouping, in order. */
enum { G_MEETING, G_COUNT, G_RANK, G_PATH, G_TITLE, G_DATE, G_SERIES };

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

/* Line and column of the first mark in the highlighted text of a passage. */
static void first_match_position(const char *highlighted, int line, int col, int *out_line,
				 int *out_col)
{
	const char *mark = highlighted ? strchr(highlighted, MARK_OPEN) : NULL;
	const char *s, *line_start;
	int l = line;

	*out_line = line;
	*out_col = col;
	if (!mark)
		return;
	line_start = NULL;
	for (s = highlighted; s < mark; s++) {
		if (*s == '\n') {
			l++;
			line_start = s + 1;
		}
	}
	*out_line = l;
	if (!line_start) {
		*out_col = col + (int)(mark - highlighted);
	} else {
		int c = 1;

		for (s = line_start; s < mark; s++)
			if (*s != MARK_OPEN && *s != MARK_CLOSE)
				c++;
		*out_col = c;
	}
	/* Marks before the first match do not exist, so no correction is needed. */
}

static int bind_params(sqlite3_stmt *s, const struct mn_sql *sql)
{
	size_t i;

	for (i = 0; i < sql->nparams; i++)
		if (sqlite3_bind_text(s, (int)i + 1, sql->params[i], -1, SQLITE_STATIC) != SQLITE_OK)
			return -1;
	return 0;
}

static int prepare(struct mn_store *store, const char *sql_text, const struct mn_sql *sql,
		   sqlite3_stmt **out, struct mn_err *err)
{
	sqlite3 *db = mn_store_db(store);

	if (sqlite3_prepare_v2(db, sql_text, -1, out, NULL) != SQLITE_OK || bind_params(*out, sql)) {
		mn_err_set(err, MN_ERR_DB, "cannot run query on '%s': %s", mn_store_path(store),
			   sqlite3_errmsg(db));
		sqlite3_finalize(*out);
		*out = NULL;
		return MN_ERR_DB;
	}
	return MN_OK;
}

/* Reports a failed step; FTS5 syntax errors are ours, not the user's, but say so plainly. */
static int step_error(struct mn_store *store, struct mn_err *err)
{
	return mn_err_set(err, MN_ERR_DB, "cannot run query on '%s': %s", mn_store_path(store),
			  sqlite3_errmsg(mn_store_db(store)));
}

/* Counts the passages of sql and, when meetings is not NULL, the meetings they are in. */
static int count_hits(struct mn_store *store, const struct mn_sql *sql, int64_t *total,
		      int64_t *meetings, struct mn_err *err)
{
	struct mn_buf q = MN_BUF_INIT;
	sqlite3_stmt *s = NULL;
	int rc;

	mn_buf_adds(&q, meetings ? "SELECT count(*), count(DISTINCT p.meeting_id)"
				 : "SELECT count(*)");
	mn_sql_from_where(sql, &q);
	if (prepare(store, mn_buf_str(&q), sql, &s, err)) {
		mn_buf_release(&q);
		return err->status;
	}
	mn_buf_release(&q);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*total = sqlite3_column_int64(s, 0);
		if (meetings)
			*meetings = sqlite3_column_int64(s, 1);
	} else {
		step_error(store, err);
	}
	sqlite3_finalize(s);
	return err->status;
}

static enum mn_sort effective_sort(enum mn_sort sort, int ranked)
{
	if (sort == MN_SORT_AUTO)
		sort = ranked ? MN_SORT_RANK : MN_SORT_DATE_DESC;
	if (sort == MN_SORT_RANK && !ranked)
		sort = MN_SORT_DATE_DESC;
	return sort;
}

/* Hits: by rank (ties: newer first, then document order) or by date, in document order. */
static void order_clause(struct mn_buf *q, enum mn_sort sort, int ranked)
{
	switch (effective_sort(sort, ranked)) {
	case MN_SORT_RANK:
		mn_buf_adds(q, " ORDER BY f.rank, p.date IS NULL, p.date DESC, p.id");
		break;
	case MN_SORT_DATE:
		mn_buf_adds(q, " ORDER BY p.date IS NULL, p.date, p.id");
		break;
	default:
		mn_buf_adds(q, " ORDER BY p.date IS NULL, p.date DESC, p.id");
		break;
	}
}

/* Meetings: by their best hit's rank (ties: newer first) or by date. */
static void group_order_clause(struct mn_buf *q, enum mn_sort sort, int ranked)
{
	switch (effective_sort(sort, ranked)) {
	case MN_SORT_RANK:
		mn_buf_adds(q, " ORDER BY min(f.rank), max(p.date) IS NULL, max(p.date) DESC, "
			       "p.meeting_id");
		break;
	case MN_SORT_DATE:
		mn_buf_adds(q, " ORDER BY min(p.date) IS NULL, min(p.date), p.meeting_id");
		break;
	default:
		mn_buf_adds(q, " ORDER BY max(p.date) IS NULL, max(p.date) DESC, p.meeting_id");
		break;
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
 * bm25() is lower for better matches; report higher-is-better, to 6
 * significant digits (decimals would round the tiny scores of words found
 * in most passages to 0, which means "unranked").
 */
static double score_of(double rank)
{
	char buf[32];
	double score;

	snprintf(buf, sizeof(buf), "%.6g", -rank);
	score = strtod(buf, NULL);
	return score == 0 ? 0 : score; /* no negative zero */
}

/* Fills hit from the current row of s; everything in it is new (hit_release frees it). */
static void hit_fill(sqlite3_stmt *s, int ranked, struct mn_hit *hit)
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
	hit->topic_path = mn_strv_split(column_text(s, C_TOPIC_PATH), MN_LIST_SEP, &hit->ntopic_path);
	hit->kind = (enum mn_kind)sqlite3_column_int(s, C_KIND);
	hit->owners = mn_strv_split(column_text(s, C_OWNERS), MN_LIST_SEP, &hit->nowners);
	text = column_dup(s, C_TEXT);
	hit->text = text;
	if (ranked) {
		hit->score = score_of(sqlite3_column_double(s, C_RANK));
		hit->snippet = mn_snippet_clean(column_text(s, C_SNIPPET), MARK_OPEN, MARK_CLOSE,
						&ranges, &hit->nhighlights);
		first_match_position(column_text(s, C_HIGHLIGHT), hit->line, hit->column,
				     &hit->match_line, &hit->match_column);
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
static void add_hit_columns(struct mn_buf *q, int ranked)
{
	mn_buf_addf(q, "SELECT %s, ", hit_columns);
	if (ranked)
		mn_buf_addf(q,
			    "f.rank, snippet(f.passages_fts, 0, char(1), char(2), '\xe2\x80\xa6', %d), "
			    "highlight(f.passages_fts, 0, char(1), char(2)), p.text, p.meeting_id",
			    SNIPPET_TOKENS);
	else
		mn_buf_adds(q, "0, NULL, NULL, p.text, p.meeting_id");
}

/* Parses and translates opts->query. */
static int compile(const struct mn_search_opts *opts, struct mn_qnode **tree, struct mn_sql *sql,
		   struct mn_err *err)
{
	if (mn_query_parse(opts->query ? opts->query : "", tree, err))
		return err->status;
	if (!*tree)
		return mn_err_set(err, MN_ERR_QUERY, "query has no words or filters to search for");
	return mn_query_to_sql(*tree, sql, err);
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
		  const struct mn_qnode *tree, struct mn_results *res, struct mn_err *err)
{
	if (opts->nfacets &&
	    mn_facets_compute(store, tree, opts->facets, opts->nfacets,
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
	struct mn_sql sql = MN_SQL_INIT;

	*hits = 0;
	if (!mn_query_to_sql(tree, &sql, err))
		count_hits(store, &sql, hits, NULL, err);
	mn_sql_release(&sql);
	return err->status;
}

int mn_search(struct mn_store *store, const struct mn_search_opts *opts, mn_hit_fn fn,
	      void *ctx, struct mn_results *res, struct mn_err *err)
{
	struct mn_qnode *tree = NULL;
	struct mn_sql sql = MN_SQL_INIT;
	struct mn_buf q = MN_BUF_INIT;
	sqlite3_stmt *s = NULL;
	double t0 = mn_now_ms();
	int ranked, rc;

	memset(res, 0, sizeof(*res));
	if (compile(opts, &tree, &sql, err))
		goto out;
	ranked = sql.match_param > 0;
	res->ranked = effective_sort(opts->sort, ranked) == MN_SORT_RANK;
	if (count_hits(store, &sql, &res->passages, NULL, err))
		goto out;
	res->total = res->passages;

	add_hit_columns(&q, ranked);
	mn_sql_from_where(&sql, &q);
	order_clause(&q, opts->sort, ranked);
	mn_buf_addf(&q, " LIMIT %zu OFFSET %zu", opts->limit, opts->offset);
	if (prepare(store, mn_buf_str(&q), &sql, &s, err))
		goto out;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct mn_hit hit;
		int stop;

		hit_fill(s, ranked, &hit);
		stop = fn(ctx, &hit);
		hit_release(&hit);
		if (stop)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		step_error(store, err);
		goto out;
	}
	sqlite3_finalize(s);
	s = NULL;
	extras(store, opts, tree, res, err);
out:
	res->took_ms = mn_now_ms() - t0;
	sqlite3_finalize(s);
	mn_buf_release(&q);
	mn_sql_release(&sql);
	mn_qnode_free(tree);
	return err->status;
}

/* ---- grouping by meeting ----------------------------------------------------- */

struct group_page {
	struct mn_group *groups;
	struct mn_hit **hits; /* hits[i]: room for group_hits hits of groups[i] */
	size_t n;
};

static void group_page_release(struct group_page *page)
{
	size_t i, k;

	for (i = 0; i < page->n; i++) {
		free((char *)page->groups[i].path);
		free((char *)page->groups[i].title);
		free((char *)page->groups[i].date);
		free((char *)page->groups[i].series);
		for (k = 0; k < page->groups[i].nhits; k++)
			hit_release(&page->hits[i][k]);
		free(page->hits[i]);
	}
	free(page->groups);
	free(page->hits);
	memset(page, 0, sizeof(*page));
}

/* Reads the meetings of the page: their counts, best ranks and what they are. */
static int read_group_page(struct mn_store *store, const struct mn_search_opts *opts,
			   const struct mn_sql *sql, int ranked, size_t per_group,
			   struct group_page *page, struct mn_err *err)
{
	struct mn_buf q = MN_BUF_INIT;
	sqlite3_stmt *s = NULL;
	size_t cap = 0;
	int rc;

	mn_buf_addf(&q,
		    "SELECT p.meeting_id, count(*), %s, m.path, m.title, m.date, m.series",
		    ranked ? "min(f.rank)" : "0");
	mn_sql_from_where(sql, &q);
	mn_buf_adds(&q, " GROUP BY p.meeting_id");
	group_order_clause(&q, opts->sort, ranked);
	mn_buf_addf(&q, " LIMIT %zu OFFSET %zu", opts->limit, opts->offset);
	if (prepare(store, mn_buf_str(&q), sql, &s, err))
		goto out;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct mn_group *g;

		if (page->n == cap) {
			MN_GROW(page->groups, page->n + 1, cap);
			page->hits = mn_xrealloc(page->hits, cap * sizeof(*page->hits));
		}
		g = &page->groups[page->n];
		memset(g, 0, sizeof(*g));
		g->meeting_id = sqlite3_column_int64(s, G_MEETING);
		g->count = sqlite3_column_int64(s, G_COUNT);
		g->score = ranked ? score_of(sqlite3_column_double(s, G_RANK)) : 0;
		g->path = column_dup(s, G_PATH);
		g->title = column_dup(s, G_TITLE);
		g->date = column_dup(s, G_DATE);
		g->series = column_dup(s, G_SERIES);
		page->hits[page->n] = mn_xcalloc(per_group ? per_group : 1, sizeof(struct mn_hit));
		page->n++;
	}
	if (rc != SQLITE_DONE)
		step_error(store, err);
out:
	sqlite3_finalize(s);
	mn_buf_release(&q);
	return err->status;
}

static int by_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* A meeting of the page and where it is in the page, sorted by meeting for lookups. */
struct group_key {
	int64_t meeting;
	size_t index;
};

static int by_meeting(const void *a, const void *b)
{
	const struct group_key *x = a, *y = b;

	return x->meeting < y->meeting ? -1 : x->meeting > y->meeting;
}

/* Index in the page of the group of meeting, or -1. */
static long group_of(const struct group_key *keys, size_t n, int64_t meeting)
{
	struct group_key probe = { meeting, 0 };
	const struct group_key *k = bsearch(&probe, keys, n, sizeof(*keys), by_meeting);

	return k ? (long)k->index : -1;
}

/*
 * Picks the best per_group hits of each meeting of the page in one pass
 * over their passages (ids only), then reads those hits with snippets: the
 * costly snippets are made only for what is shown.
 */
static int read_group_hits(struct mn_store *store, const struct mn_search_opts *opts,
			   const struct mn_sql *sql, int ranked, size_t per_group,
			   struct group_page *page, struct mn_err *err)
{
	struct mn_buf q = MN_BUF_INIT;
	sqlite3_stmt *s = NULL;
	int64_t *ids = NULL;
	size_t *taken = mn_xcalloc(page->n ? page->n : 1, sizeof(*taken));
	struct group_key *keys = mn_xcalloc(page->n ? page->n : 1, sizeof(*keys));
	size_t nids = 0, i;
	int rc;

	if (!page->n || !per_group)
		goto out;
	for (i = 0; i < page->n; i++) {
		keys[i].meeting = page->groups[i].meeting_id;
		keys[i].index = i;
	}
	if (page->n > 1)
		qsort(keys, page->n, sizeof(*keys), by_meeting);
	ids = mn_xcalloc(page->n * per_group, sizeof(*ids));
	mn_buf_adds(&q, "SELECT p.id, p.meeting_id");
	mn_sql_from_where(sql, &q);
	mn_buf_adds(&q, " AND p.meeting_id IN (");
	for (i = 0; i < page->n; i++)
		mn_buf_addf(&q, "%s?%zu", i ? ", " : "", sql->nparams + i + 1);
	mn_buf_addc(&q, ')');
	order_clause(&q, opts->sort, ranked);
	if (prepare(store, mn_buf_str(&q), sql, &s, err))
		goto out;
	for (i = 0; i < page->n; i++)
		sqlite3_bind_int64(s, (int)(sql->nparams + i + 1), page->groups[i].meeting_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		long g = group_of(keys, page->n, sqlite3_column_int64(s, 1));

		if (g >= 0 && taken[g] < per_group) {
			taken[g]++;
			ids[nids++] = sqlite3_column_int64(s, 0);
		}
	}
	if (rc != SQLITE_DONE) {
		step_error(store, err);
		goto out;
	}
	sqlite3_finalize(s);
	s = NULL;
	if (!nids)
		goto out;
	if (nids > 1)
		qsort(ids, nids, sizeof(*ids), by_id);
	mn_buf_reset(&q);
	add_hit_columns(&q, ranked);
	mn_sql_from_where(sql, &q);
	mn_buf_adds(&q, " AND p.id IN (");
	for (i = 0; i < nids; i++)
		mn_buf_addf(&q, "%s?%zu", i ? ", " : "", sql->nparams + i + 1);
	mn_buf_addc(&q, ')');
	order_clause(&q, opts->sort, ranked);
	if (prepare(store, mn_buf_str(&q), sql, &s, err))
		goto out;
	for (i = 0; i < nids; i++)
		sqlite3_bind_int64(s, (int)(sql->nparams + i + 1), ids[i]);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct mn_hit hit;
		long g;

		hit_fill(s, ranked, &hit);
		g = group_of(keys, page->n, sqlite3_column_int64(s, C_MEETING));
		if (g >= 0 && page->groups[g].nhits < per_group)
			page->hits[g][page->groups[g].nhits++] = hit;
		else
			hit_release(&hit);
	}
	if (rc != SQLITE_DONE)
		step_error(store, err);
out:
	for (i = 0; i < page->n; i++)
		page->groups[i].hits = page->hits[i];
	sqlite3_finalize(s);
	mn_buf_release(&q);
	free(ids);
	free(taken);
	free(keys);
	return err->status;
}

int mn_search_groups(struct mn_store *store, const struct mn_search_opts *opts,
		     mn_group_fn fn, void *ctx, struct mn_results *res, struct mn_err *err)
{
	struct mn_qnode *tree = NULL;
	struct mn_sql sql = MN_SQL_INIT;
	struct group_page page = { NULL, NULL, 0 };
	size_t per_group = opts->group_hits ? opts->group_hits : MN_GROUP_HITS_DEFAULT, i;
	double t0 = mn_now_ms();
	int ranked;

	memset(res, 0, sizeof(*res));
	if (compile(opts, &tree, &sql, err))
		goto out;
	ranked = sql.match_param > 0;
	res->ranked = effective_sort(opts->sort, ranked) == MN_SORT_RANK;
	if (count_hits(store, &sql, &res->passages, &res->total, err))
		goto out;
	if (read_group_page(store, opts, &sql, ranked, per_group, &page, err) ||
	    read_group_hits(store, opts, &sql, ranked, per_group, &page, err))
		goto out;
	for (i = 0; i < page.n; i++)
		if (fn(ctx, &page.groups[i]))
			break;
	extras(store, opts, tree, res, err);
out:
	res->took_ms = mn_now_ms() - t0;
	group_page_release(&page);
	mn_sql_release(&sql);
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
