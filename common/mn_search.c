#include "mn_search.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mn_query.h"
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
};

static const char hit_columns[] =
	"p.id, m.path, p.line, p.end_line, p.col, m.title, coalesce(p.date, m.date), m.series, "
	"p.speaker, p.speaker_label, p.topic_path, p.kind, p.owners";

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

static const char *from_clause(int ranked)
{
	return ranked ? " FROM passages_fts f JOIN passages p ON p.id = f.rowid "
			"JOIN meetings m ON m.id = p.meeting_id"
		      : " FROM passages p JOIN meetings m ON m.id = p.meeting_id";
}

static int count_hits(struct mn_store *store, const struct mn_sql *sql, int ranked,
		      int64_t *total, struct mn_err *err)
{
	struct mn_buf q = MN_BUF_INIT;
	sqlite3_stmt *s = NULL;
	int rc;

	mn_buf_adds(&q, "SELECT count(*)");
	mn_buf_adds(&q, from_clause(ranked));
	mn_buf_adds(&q, " WHERE ");
	if (ranked)
		mn_buf_addf(&q, "f.passages_fts MATCH ?%d AND ", sql->match_param);
	mn_buf_addf(&q, "(%s)", mn_buf_str(&sql->where));
	if (prepare(store, mn_buf_str(&q), sql, &s, err)) {
		mn_buf_release(&q);
		return err->status;
	}
	mn_buf_release(&q);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*total = sqlite3_column_int64(s, 0);
	else
		step_error(store, err);
	sqlite3_finalize(s);
	return err->status;
}

static void order_clause(struct mn_buf *q, enum mn_sort sort, int ranked)
{
	const char *date = "coalesce(p.date, m.date)";

	if (sort == MN_SORT_AUTO)
		sort = ranked ? MN_SORT_RANK : MN_SORT_DATE_DESC;
	if (sort == MN_SORT_RANK && !ranked)
		sort = MN_SORT_DATE_DESC;
	switch (sort) {
	case MN_SORT_RANK:
		mn_buf_addf(q, " ORDER BY f.rank, %s DESC, p.id", date);
		break;
	case MN_SORT_DATE:
		mn_buf_addf(q, " ORDER BY %s IS NULL, %s, p.id", date, date);
		break;
	default:
		mn_buf_addf(q, " ORDER BY %s IS NULL, %s DESC, p.id", date, date);
		break;
	}
}

static const char *column_text(sqlite3_stmt *s, int c)
{
	return (const char *)sqlite3_column_text(s, c);
}

static int emit_hit(sqlite3_stmt *s, int ranked, mn_hit_fn fn, void *ctx)
{
	struct mn_hit hit;
	struct mn_range *ranges = NULL;
	char *snippet;
	int stop;

	memset(&hit, 0, sizeof(hit));
	hit.id = sqlite3_column_int64(s, C_ID);
	hit.path = column_text(s, C_PATH);
	hit.line = sqlite3_column_int(s, C_LINE);
	hit.end_line = sqlite3_column_int(s, C_END_LINE);
	hit.column = sqlite3_column_int(s, C_COL);
	hit.title = column_text(s, C_TITLE);
	hit.date = column_text(s, C_DATE);
	hit.series = column_text(s, C_SERIES);
	hit.speaker = column_text(s, C_SPEAKER);
	hit.speaker_label = column_text(s, C_LABEL);
	hit.topic_path = mn_strv_split(column_text(s, C_TOPIC_PATH), MN_LIST_SEP, &hit.ntopic_path);
	hit.kind = (enum mn_kind)sqlite3_column_int(s, C_KIND);
	hit.owners = mn_strv_split(column_text(s, C_OWNERS), MN_LIST_SEP, &hit.nowners);
	hit.text = column_text(s, C_TEXT);
	if (ranked) {
		/* bm25() is lower for better matches; report higher-is-better, 4 decimals. */
		hit.score = round(-sqlite3_column_double(s, C_RANK) * 10000.0) / 10000.0;
		if (hit.score == 0)
			hit.score = 0; /* no negative zero */
		snippet = mn_snippet_clean(column_text(s, C_SNIPPET), MARK_OPEN, MARK_CLOSE,
					   &ranges, &hit.nhighlights);
		first_match_position(column_text(s, C_HIGHLIGHT), hit.line, hit.column,
				     &hit.match_line, &hit.match_column);
	} else {
		snippet = plain_snippet(hit.text ? hit.text : "");
		hit.match_line = hit.line;
		hit.match_column = hit.column;
	}
	hit.snippet = snippet;
	hit.highlights = ranges;
	stop = fn(ctx, &hit);
	free(snippet);
	free(ranges);
	mn_strv_free(hit.topic_path, hit.ntopic_path);
	mn_strv_free(hit.owners, hit.nowners);
	return stop;
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
	if (mn_query_parse(opts->query ? opts->query : "", &tree, err))
		goto out;
	if (!tree) {
		mn_err_set(err, MN_ERR_QUERY, "query has no words or filters to search for");
		goto out;
	}
	if (mn_query_to_sql(tree, &sql, err))
		goto out;
	ranked = sql.match.len > 0;
	res->ranked = ranked && (opts->sort == MN_SORT_AUTO || opts->sort == MN_SORT_RANK);
	if (count_hits(store, &sql, ranked, &res->total, err))
		goto out;

	mn_buf_addf(&q, "SELECT %s, ", hit_columns);
	if (ranked)
		mn_buf_addf(&q,
			    "f.rank, snippet(f.passages_fts, 0, char(1), char(2), '\xe2\x80\xa6', %d), "
			    "highlight(f.passages_fts, 0, char(1), char(2)), p.text",
			    SNIPPET_TOKENS);
	else
		mn_buf_adds(&q, "0, NULL, NULL, p.text");
	mn_buf_adds(&q, from_clause(ranked));
	mn_buf_adds(&q, " WHERE ");
	if (ranked)
		mn_buf_addf(&q, "f.passages_fts MATCH ?%d AND ", sql.match_param);
	mn_buf_addf(&q, "(%s)", mn_buf_str(&sql.where));
	order_clause(&q, opts->sort, ranked);
	mn_buf_addf(&q, " LIMIT %zu OFFSET %zu", opts->limit, opts->offset);
	if (prepare(store, mn_buf_str(&q), &sql, &s, err))
		goto out;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (emit_hit(s, ranked, fn, ctx))
			break;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		step_error(store, err);
out:
	res->took_ms = mn_now_ms() - t0;
	sqlite3_finalize(s);
	mn_buf_release(&q);
	mn_sql_release(&sql);
	mn_qnode_free(tree);
	return err->status;
}
