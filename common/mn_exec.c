#include "mn_exec.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mn_cols.h"
#include "mn_doc.h"
#include "mn_tokenizer.h"

/* ---- predicates over the columns ---------------------------------------------- */

enum pred_type {
	P_AND,
	P_OR,
	P_NOT,
	P_SPEAKERS, /* one of the passage's speakers is in set */
	P_OWNERS,   /* one of its owners is */
	P_ORGS,	    /* one of its speakers' organisations is */
	P_SERIES,   /* its series is */
	P_MEETINGS, /* its meeting is */
	P_ROWS,	    /* the passage itself is (a MATCH inside an OR or NOT) */
	P_KIND,
	P_DATE, /* lo <= date < hi, and dated */
};

struct pred {
	enum pred_type type;
	struct pred **kids;
	size_t nkids;
	struct mn_bits set;
	int kind;
	uint32_t lo, hi; /* P_DATE; hi 0: no upper bound */
};

static void pred_free(struct pred *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->nkids; i++)
		pred_free(p->kids[i]);
	free(p->kids);
	mn_bits_release(&p->set);
	free(p);
}

static struct pred *pred_new(enum pred_type type)
{
	struct pred *p = mn_xcalloc(1, sizeof(*p));

	p->type = type;
	return p;
}

static void pred_add(struct pred *p, struct pred *kid)
{
	p->kids = mn_xrealloc(p->kids, (p->nkids + 1) * sizeof(*p->kids));
	p->kids[p->nkids++] = kid;
}

/* The columns of the rows being tested, through one cursor each. */
struct row_ctx {
	struct mn_cursor cur[MN_COL_COUNT];
	int64_t id;
};

static void row_ctx_init(struct row_ctx *x, struct mn_cols *cols, struct mn_err *err)
{
	int col;

	for (col = 0; col < MN_COL_COUNT; col++)
		mn_cursor_init(&x->cur[col], cols, (enum mn_col)col, err);
	x->id = 0;
}

static void row_at(struct row_ctx *x, int64_t id)
{
	x->id = id;
}

static uint32_t row_u32(struct row_ctx *x, enum mn_col col)
{
	return mn_cursor_value(&x->cur[col], x->id);
}

static int row_list_has(struct row_ctx *x, enum mn_col col, const struct mn_bits *set)
{
	size_t first, n = mn_cursor_list(&x->cur[col], x->id, &first), i;

	for (i = first; i < first + n; i++)
		if (mn_bits_has(set, mn_cursor_item(&x->cur[col], i)))
			return 1;
	return 0;
}

static int pred_test(const struct pred *p, struct row_ctx *x, int64_t id)
{
	size_t i;
	uint32_t d;

	switch (p->type) {
	case P_AND:
		for (i = 0; i < p->nkids; i++)
			if (!pred_test(p->kids[i], x, id))
				return 0;
		return 1;
	case P_OR:
		for (i = 0; i < p->nkids; i++)
			if (pred_test(p->kids[i], x, id))
				return 1;
		return 0;
	case P_NOT:
		return !pred_test(p->kids[0], x, id);
	case P_SPEAKERS:
		return row_list_has(x, MN_COL_SPEAKERS, &p->set);
	case P_OWNERS:
		return row_list_has(x, MN_COL_OWNERS, &p->set);
	case P_ORGS:
		return row_list_has(x, MN_COL_ORGS, &p->set);
	case P_SERIES:
		return mn_bits_has(&p->set, row_u32(x, MN_COL_SERIES));
	case P_MEETINGS:
		return mn_bits_has(&p->set, row_u32(x, MN_COL_MEETING));
	case P_ROWS:
		return mn_bits_has(&p->set, (uint64_t)id);
	case P_KIND:
		return (int)row_u32(x, MN_COL_KIND) == p->kind;
	case P_DATE:
		d = row_u32(x, MN_COL_DATE);
		return d && d >= p->lo && (!p->hi || d < p->hi);
	}
	return 0;
}

/* ---- compiling filters --------------------------------------------------------- */

struct compiler {
	struct mn_store *store;
	struct mn_err *err;
};

static int sql_fail(struct compiler *c)
{
	return mn_err_set(c->err, MN_ERR_DB, "cannot run query on '%s': %s",
			  mn_store_path(c->store), sqlite3_errmsg(mn_store_db(c->store)));
}

/* Runs sql with text bound to ?1 and adds the ids of its first column to set. */
static int ids_into(struct compiler *c, const char *sql, const char *text, struct mn_bits *set)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if (sqlite3_prepare_v2(mn_store_db(c->store), sql, -1, &s, NULL) != SQLITE_OK)
		return sql_fail(c);
	if (text)
		sqlite3_bind_text(s, 1, text, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (sqlite3_column_int64(s, 0) >= 0)
			mn_bits_add(set, (uint64_t)sqlite3_column_int64(s, 0));
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return sql_fail(c);
	return MN_OK;
}

/* The people a name designates, as far as there are few. */
#define FEW_PEOPLE 8

struct people_found {
	uint32_t v[FEW_PEOPLE];
	size_t n; /* may exceed FEW_PEOPLE: then v holds the first ones */
	struct mn_bits *set;
};

static void add_person(void *ctx, uint32_t person)
{
	struct people_found *f = ctx;

	mn_bits_add(f->set, person);
	if (f->n < FEW_PEOPLE)
		f->v[f->n] = person;
	f->n++;
}

/*
 * speaker: and owner: select the passages of the people the name designates.
 * For a few people, the set of their passages (from passage_people, kept by
 * the columns) answers per match with one bit; for many, each match's list
 * of speakers or owners is compared with the set of people.
 */
static struct pred *person_pred(struct compiler *c, const struct mn_qnode *n)
{
	struct mn_cols *cols = mn_store_cols(c->store);
	int role = n->field == MN_F_SPEAKER ? 0 : 1;
	struct pred *p = pred_new(role == 0 ? P_SPEAKERS : P_OWNERS);
	struct people_found found = {{0}, 0, &p->set};
	struct mn_bits rows = {NULL, 0};
	size_t i;

	if (mn_cols_people_named(cols, n->text, add_person, &found, c->err) || found.n > FEW_PEOPLE)
		return p;
	for (i = 0; i < found.n; i++) {
		const uint64_t *w;
		size_t nwords;

		if (mn_cols_person_rows(cols, found.v[i], role, &w, &nwords, c->err)) {
			mn_bits_release(&rows);
			return p;
		}
		mn_bits_or(&rows, w, nwords);
	}
	mn_bits_release(&p->set);
	p->set = rows;
	p->type = P_ROWS;
	return p;
}

/* The people a name designates: by name or by alias (as mn_query_to_sql's people_matching). */
#define PEOPLE_SQL                                                                                 \
	"SELECT id FROM people WHERE minutes_name_match(name, ?1) "                                \
	"UNION SELECT person_id FROM aliases WHERE minutes_name_match(alias, ?1)"

/* The exclusive end of the dates a YYYY, YYYY-MM or YYYY-MM-DD prefix covers. */
static uint32_t date_end(const char *v, size_t n)
{
	uint32_t d = mn_cols_date_value(v);

	if (n >= 10)
		return d + 1;
	if (n >= 7)
		return d + 100;
	return d + 10000;
}

static struct pred *date_pred(const struct mn_qnode *n)
{
	struct pred *p = pred_new(P_DATE);
	const char *v = n->text, *dots = strstr(v, "..");

	if (n->field == MN_F_AFTER) {
		p->lo = mn_cols_date_value(v);
	} else if (n->field == MN_F_BEFORE) {
		p->hi = mn_cols_date_value(v);
	} else if (dots) {
		char *lo = mn_xstrndup(v, (size_t)(dots - v));

		p->lo = *lo ? mn_cols_date_value(lo) : 0;
		if (dots[2])
			p->hi = date_end(dots + 2, strlen(dots + 2));
		free(lo);
	} else {
		p->lo = mn_cols_date_value(v);
		p->hi = date_end(v, strlen(v));
	}
	/* before:0000 and the like: nothing is before the first day. */
	if (n->field == MN_F_BEFORE && !p->hi)
		p->lo = p->hi = 1;
	return p;
}

static struct pred *compile_node(struct compiler *c, const struct mn_qnode *n);

/* Every passage a MATCH selects (a part of the query inside an OR or a NOT). */
static struct pred *rows_pred(struct compiler *c, const char *match)
{
	struct pred *p = pred_new(P_ROWS);

	ids_into(c, "SELECT rowid FROM passages_fts WHERE passages_fts MATCH ?1", match, &p->set);
	return p;
}

static struct pred *field_pred(struct compiler *c, const struct mn_qnode *n)
{
	struct pred *p = NULL;

	switch (n->field) {
	case MN_F_SPEAKER:
	case MN_F_OWNER:
		p = person_pred(c, n);
		break;
	case MN_F_ATTENDEE:
		/* Whoever spoke was there, listed among the attendees or not. */
		p = pred_new(P_MEETINGS);
		ids_into(c,
			 "SELECT meeting_id FROM attendance WHERE person_id IN (" PEOPLE_SQL ") "
			 "UNION SELECT sp.meeting_id FROM passage_people pp "
			 "JOIN passages sp ON sp.id = pp.passage_id WHERE pp.role = 0 "
			 "AND pp.person_id IN (" PEOPLE_SQL ")",
			 n->text, &p->set);
		break;
	case MN_F_ORG:
		p = pred_new(P_ORGS);
		ids_into(c, "SELECT id FROM dict_orgs WHERE minutes_name_match(name, ?1)", n->text,
			 &p->set);
		break;
	case MN_F_SERIES:
		p = pred_new(P_SERIES);
		ids_into(c, "SELECT id FROM dict_series WHERE minutes_name_match(name, ?1)",
			 n->text, &p->set);
		break;
	case MN_F_PROJECT: {
		struct mn_buf f = MN_BUF_INIT;
		struct mn_qnode series = *n, topic = *n;

		p = pred_new(P_OR);
		series.field = MN_F_SERIES;
		pred_add(p, field_pred(c, &series));
		topic.field = MN_F_TOPIC;
		topic.quoted = 1; /* project:x* is no prefix of a heading */
		mn_query_fts_expr(&topic, &f);
		pred_add(p, rows_pred(c, mn_buf_str(&f)));
		mn_buf_release(&f);
		break;
	}
	case MN_F_KIND:
		p = pred_new(P_KIND);
		p->kind = mn_kind_from_name(n->text);
		break;
	case MN_F_PATH: {
		char *pat = mn_query_like_pattern(n->text);

		p = pred_new(P_MEETINGS);
		ids_into(c, "SELECT id FROM meetings WHERE path LIKE ?1 ESCAPE '\\'", pat, &p->set);
		free(pat);
		break;
	}
	case MN_F_DATE:
	case MN_F_AFTER:
	case MN_F_BEFORE:
		p = date_pred(n);
		break;
	case MN_F_TOPIC:
	case MN_F_TITLE:
	case MN_F_COUNT:
		break;
	}
	return p;
}

static struct pred *compile_node(struct compiler *c, const struct mn_qnode *n)
{
	struct pred *p;
	size_t i;

	if (mn_query_fts_able(n)) {
		struct mn_buf f = MN_BUF_INIT;

		mn_query_fts_expr(n, &f);
		p = rows_pred(c, mn_buf_str(&f));
		mn_buf_release(&f);
		return p;
	}
	switch (n->type) {
	case MN_Q_AND:
	case MN_Q_OR:
		p = pred_new(n->type == MN_Q_AND ? P_AND : P_OR);
		for (i = 0; i < n->nkids; i++) {
			struct pred *k = compile_node(c, n->kids[i]);

			if (k)
				pred_add(p, k);
		}
		return p;
	case MN_Q_NOT: {
		struct pred *k = compile_node(c, n->kids[0]);

		if (!k)
			return pred_new(P_OR); /* NOT of what is always true: an empty OR */
		p = pred_new(P_NOT);
		pred_add(p, k);
		return p;
	}
	case MN_Q_FIELD:
		return field_pred(c, n);
	default:
		return NULL; /* as the SQL translation: an always-true part */
	}
}

/*
 * Splits tree as mn_query_to_sql does: the words FTS5 can take (and their
 * exclusions) into one ranked MATCH, everything else into a filter.
 */
static void plan(struct compiler *c, const struct mn_qnode *tree, struct mn_buf *match,
		 struct mn_fts_phrases *phrases, struct pred **filter)
{
	size_t i;

	*filter = NULL;
	if (mn_query_fts_able(tree)) {
		mn_query_fts_expr_phrases(tree, match, phrases);
		return;
	}
	if (tree->type == MN_Q_AND) {
		struct mn_qsplit split;
		struct pred *and = pred_new(P_AND), *p;

		mn_query_split_and(tree, &split);
		if (split.fts)
			mn_query_fts_expr_phrases(split.fts, match, phrases);
		for (i = 0; i < split.nrest && !c->err->status; i++)
			if ((p = compile_node(c, split.rest[i])))
				pred_add(and, p);
		mn_qsplit_release(&split);
		if (and->nkids)
			*filter = and;
		else
			pred_free(and);
		return;
	}
	*filter = compile_node(c, tree);
}

/* ---- scoring the matches ---------------------------------------------------------- */

/* Column weights of bm25(): text, topic, meeting title (as the index's rank option). */
static const double weights[] = {1.0, 2.0, 1.5};
#define BM25_K1 1.2
#define BM25_B	0.75

struct collector {
	struct mn_cols *cols;
	struct mn_err *err;
	int ready;
	int64_t nrow;
	int near; /* the query has NEAR: only xInst knows which instances count */
	int nphrase;
	double avgdl;
	double *idf, *freq;
	/*
	 * The query is one phrase: the rows it holds are the matches, counted as
	 * they come, so scores wait for the end (each row keeps its phrase
	 * frequency in score, its length in lens[], until then: the arithmetic
	 * then runs in one loop, not between FTS5's steps).
	 */
	int deferred;
	uint32_t *lens;
	size_t lens_cap;
	int64_t matched; /* matches seen, kept or not */
	/*
	 * The filters, tested on each match before it is scored: a match they
	 * reject costs no positions and no length, and is not kept.
	 */
	const struct pred *filter;
	struct row_ctx *rx;
	struct mn_rows *rows;
	struct mn_cursor ntok; /* the lengths, when dense */
	int dense;	       /* many matches: read lengths a chunk at a time */
};

/* Matches after which lengths are read a chunk at a time. */
#define DENSE_AFTER 4096

static int count_cb(const Fts5ExtensionApi *api, Fts5Context *fts, void *user)
{
	(void)api;
	(void)fts;
	(*(int64_t *)user)++;
	return SQLITE_OK;
}

/* What bm25() computes once per query: the average row length and each phrase's IDF. */
static int collector_ready(struct collector *co, const Fts5ExtensionApi *api, Fts5Context *fts)
{
	sqlite3_int64 nrow = 0, ntoken = 0;
	int i, rc;

	co->nphrase = api->xPhraseCount(fts);
	co->idf = mn_xcalloc((size_t)co->nphrase + 1, sizeof(double));
	co->freq = mn_xcalloc((size_t)co->nphrase + 1, sizeof(double));
	rc = api->xRowCount(fts, &nrow);
	if (rc == SQLITE_OK)
		rc = api->xColumnTotalSize(fts, -1, &ntoken);
	if (rc != SQLITE_OK)
		return rc;
	co->avgdl = (double)ntoken / (double)(nrow ? nrow : 1);
	co->nrow = nrow;
	for (i = 0; !co->deferred && i < co->nphrase; i++) {
		int64_t hits = 0;
		double idf;

		/* Counted as bm25() counts them: a pass of the phrase over its matches. */
		if ((rc = api->xQueryPhrase(fts, i, &hits, count_cb)) != SQLITE_OK)
			return rc;
		idf = log(((double)nrow - (double)hits + 0.5) / ((double)hits + 0.5));
		co->idf[i] = idf <= 0.0 ? 1e-6 : idf;
	}
	co->ready = 1;
	return SQLITE_OK;
}

/* Scores the current match as bm25() would and appends it to the collector's rows. */
static int collect_row(struct collector *co, const Fts5ExtensionApi *api, Fts5Context *fts)
{
	int64_t id = api->xRowid(fts);
	double score = 0.0, D;
	struct mn_row *row;
	uint32_t ntok;
	int i, rc = SQLITE_OK;

	co->matched++;
	if (co->filter) {
		int keep;

		row_at(co->rx, id);
		keep = pred_test(co->filter, co->rx, id);
		if (co->err->status)
			return SQLITE_ERROR;
		if (!keep)
			return SQLITE_OK;
	}
	memset(co->freq, 0, (size_t)co->nphrase * sizeof(double));
	if (co->near) {
		int ninst = 0;

		rc = api->xInstCount(fts, &ninst);
		for (i = 0; rc == SQLITE_OK && i < ninst; i++) {
			int ip, ic, io;

			rc = api->xInst(fts, i, &ip, &ic, &io);
			if (rc == SQLITE_OK && ip >= 0 && ip < co->nphrase)
				co->freq[ip] += ic >= 0 && ic < 3 ? weights[ic] : 1.0;
		}
	} else {
		for (i = 0; i < co->nphrase; i++) {
			Fts5PhraseIter it;
			int col, off;

			rc = api->xPhraseFirst(fts, i, &it, &col, &off);
			if (rc != SQLITE_OK)
				break;
			for (; col >= 0; api->xPhraseNext(fts, &it, &col, &off))
				co->freq[i] += col < 3 ? weights[col] : 1.0;
		}
	}
	if (rc != SQLITE_OK)
		return rc;
	if (!co->dense && co->rows->n >= DENSE_AFTER)
		co->dense = 1;
	if (co->dense) {
		ntok = mn_cursor_value(&co->ntok, id);
		if (co->err->status)
			return SQLITE_ERROR;
	} else if (mn_cols_value(co->cols, MN_COL_NTOK, id, &ntok, co->err)) {
		return SQLITE_ERROR;
	}
	/* The column holds tokens + 1 (0: no passage, which a match never is). */
	D = ntok ? (double)(ntok - 1) : 0.0;
	MN_GROW(co->rows->v, co->rows->n + 1, co->rows->cap);
	row = &co->rows->v[co->rows->n++];
	row->id = id;
	/* Its date and meeting, for sorting and grouping, unless the caller reads them later. */
	if (co->rows->dates_later) {
		row->date = row->meeting = 0;
	} else {
		row_at(co->rx, id);
		row->date = row_u32(co->rx, MN_COL_DATE);
		row->meeting = row_u32(co->rx, MN_COL_MEETING);
		if (co->err->status)
			return SQLITE_ERROR;
	}
	if (co->deferred) {
		MN_GROW(co->lens, co->rows->n, co->lens_cap);
		co->lens[co->rows->n - 1] = ntok ? ntok - 1 : 0;
		row->score = co->freq[0];
		return SQLITE_OK;
	}
	for (i = 0; i < co->nphrase; i++)
		score +=
		    co->idf[i] * ((co->freq[i] * (BM25_K1 + 1.0)) /
				  (co->freq[i] + BM25_K1 * (1 - BM25_B + BM25_B * D / co->avgdl)));
	/* bm25() returns -score as the rank; mn_search reports it back as score. */
	row->score = score;
	return SQLITE_OK;
}

static void collect_result(struct collector *co, sqlite3_context *ctx, int rc)
{
	if (rc == SQLITE_OK)
		sqlite3_result_int(ctx, 0);
	else if (co->err->status)
		sqlite3_result_error(ctx, co->err->msg, -1);
	else
		sqlite3_result_error_code(ctx, rc);
}

/*
 * The collector passed to fn as its argument, made ready on the first
 * match; NULL (with the error set on ctx, or *rc) when there is none.
 */
static struct collector *collector_arg(const char *fn, const Fts5ExtensionApi *api,
				       Fts5Context *fts, sqlite3_context *ctx, int nval,
				       sqlite3_value **val, int *rc)
{
	struct collector *co = nval > 0 ? sqlite3_value_pointer(val[0], "mn_collector") : NULL;
	char msg[64];

	*rc = SQLITE_OK;
	if (!co) {
		snprintf(msg, sizeof(msg), "%s: no collector", fn);
		sqlite3_result_error(ctx, msg, -1);
		return NULL;
	}
	if (!co->ready)
		*rc = collector_ready(co, api, fts);
	return co;
}

/*
 * mn_collect(passages_fts, collector): collects the current match; returns
 * 0, so that the statement itself returns nothing.
 */
static void collect_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
		       int nval, sqlite3_value **val)
{
	int rc;
	struct collector *co = collector_arg("mn_collect", api, fts, ctx, nval, val, &rc);

	if (!co)
		return;
	if (rc == SQLITE_OK)
		rc = collect_row(co, api, fts);
	collect_result(co, ctx, rc);
}

static int phrase_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *user)
{
	return collect_row(user, api, fts);
}

/*
 * mn_collect_all(passages_fts, collector): for a query of one phrase, whose
 * matches are the phrase's: called on the first match, collects all of them
 * through xQueryPhrase, without a trip through SQLite for each.
 */
static void collect_all_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
			   int nval, sqlite3_value **val)
{
	int rc;
	struct collector *co = collector_arg("mn_collect_all", api, fts, ctx, nval, val, &rc);

	if (!co)
		return;
	if (rc == SQLITE_OK && co->nphrase != 1)
		rc = SQLITE_MISUSE;
	if (rc == SQLITE_OK)
		rc = api->xQueryPhrase(fts, 0, co, phrase_row);
	collect_result(co, ctx, rc);
}

/* ---- where the first match is ---------------------------------------------------- */

struct token_seek {
	int want;  /* the token wanted */
	int seen;  /* tokens passed */
	int start; /* its first byte, or -1 */
};

static int seek_token(void *ctx, int tflags, const char *token, int n, int start, int end)
{
	struct token_seek *t = ctx;

	(void)token;
	(void)n;
	(void)end;
	if (tflags & FTS5_TOKEN_COLOCATED)
		return SQLITE_OK;
	if (t->seen++ == t->want) {
		t->start = start;
		return SQLITE_DONE; /* found: no need to read further */
	}
	return SQLITE_OK;
}

/*
 * mn_first_match(passages_fts): the byte offset in the text column of the
 * current match's first matched token there, or -1 when the text has none
 * (the words are in the topic or the title). What highlight() would mark
 * first, without writing out the whole text.
 */
static void first_match_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx,
			   int nval, sqlite3_value **val)
{
	struct token_seek t = {-1, 0, -1};
	const char *text;
	int ninst = 0, i, n, rc;

	(void)nval;
	(void)val;
	rc = api->xInstCount(fts, &ninst);
	for (i = 0; rc == SQLITE_OK && i < ninst; i++) {
		int ip, ic, io;

		rc = api->xInst(fts, i, &ip, &ic, &io);
		if (rc == SQLITE_OK && ic == 0 && (t.want < 0 || io < t.want))
			t.want = io;
	}
	if (rc == SQLITE_OK && t.want >= 0 &&
	    (rc = api->xColumnText(fts, 0, &text, &n)) == SQLITE_OK && text) {
		rc = api->xTokenize(fts, text, n, &t, seek_token);
		if (rc == SQLITE_DONE)
			rc = SQLITE_OK;
	}
	if (rc != SQLITE_OK)
		sqlite3_result_error_code(ctx, rc);
	else
		sqlite3_result_int(ctx, t.start);
}

int mn_exec_register(sqlite3 *db, struct mn_err *err)
{
	fts5_api *api = NULL;
	sqlite3_stmt *s = NULL;

	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &s, NULL) == SQLITE_OK) {
		sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
		sqlite3_step(s);
	}
	sqlite3_finalize(s);
	if (!api || api->xCreateFunction(api, "mn_collect", NULL, collect_fn, NULL) != SQLITE_OK ||
	    api->xCreateFunction(api, "mn_collect_all", NULL, collect_all_fn, NULL) != SQLITE_OK ||
	    api->xCreateFunction(api, "mn_first_match", NULL, first_match_fn, NULL) != SQLITE_OK)
		return mn_err_set(err, MN_ERR_DB, "cannot register the ranking function");
	return MN_OK;
}

static int has_near(const struct mn_qnode *n)
{
	size_t i;

	if (n->type == MN_Q_NEAR)
		return 1;
	for (i = 0; i < n->nkids; i++)
		if (has_near(n->kids[i]))
			return 1;
	return 0;
}

/* Scores the rows of a one-phrase query now that its matches are counted, as bm25() would. */
static void score_deferred(struct collector *co)
{
	double hits = (double)co->matched, idf;
	size_t i;

	idf = log(((double)co->nrow - hits + 0.5) / (hits + 0.5));
	if (idf <= 0.0)
		idf = 1e-6;
	for (i = 0; i < co->rows->n; i++) {
		struct mn_row *r = &co->rows->v[i];
		double f = r->score, D = (double)co->lens[i], score = 0.0;

		score += idf * ((f * (BM25_K1 + 1.0)) /
				(f + BM25_K1 * (1 - BM25_B + BM25_B * D / co->avgdl)));
		r->score = score;
	}
}

static int collect(struct mn_store *store, const struct mn_qnode *tree,
		   const struct mn_fts_phrases *phrases, const struct pred *filter,
		   struct mn_rows *rows, struct mn_err *err)
{
	struct collector co;
	struct row_ctx rx;
	sqlite3_stmt *s = NULL;
	sqlite3 *db = mn_store_db(store);
	int rc;

	memset(&co, 0, sizeof(co));
	co.deferred = phrases->n == 1;
	co.cols = mn_store_cols(store);
	co.err = err;
	co.near = has_near(tree);
	co.rows = rows;
	co.filter = filter;
	co.rx = &rx;
	row_ctx_init(&rx, co.cols, err);
	mn_cursor_init(&co.ntok, co.cols, MN_COL_NTOK, err);
	if (sqlite3_prepare_v2(db,
			       co.deferred
				   ? "SELECT mn_collect_all(passages_fts, ?2) FROM passages_fts "
				     "WHERE passages_fts MATCH ?1 LIMIT 1"
				   : "SELECT 1 FROM passages_fts WHERE passages_fts MATCH ?1 "
				     "AND mn_collect(passages_fts, ?2)",
			       -1, &s, NULL) != SQLITE_OK) {
		mn_err_set(err, MN_ERR_DB, "cannot run query on '%s': %s", mn_store_path(store),
			   sqlite3_errmsg(db));
		goto out;
	}
	sqlite3_bind_text(s, 1, mn_buf_str(&rows->match), -1, SQLITE_STATIC);
	sqlite3_bind_pointer(s, 2, &co, "mn_collector", NULL);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE && !err->status)
		mn_err_set(err, MN_ERR_DB, "cannot run query on '%s': %s", mn_store_path(store),
			   sqlite3_errmsg(db));
	if (!err->status && co.deferred && co.ready)
		score_deferred(&co);
out:
	sqlite3_finalize(s);
	free(co.idf);
	free(co.freq);
	free(co.lens);
	return err->status;
}

/* ---- the whole ---------------------------------------------------------------- */

/* A set of rows every passage the filter keeps is in, or NULL when it names none. */
static const struct mn_bits *rows_bound(const struct pred *p)
{
	size_t i;

	if (p->type == P_ROWS)
		return &p->set;
	if (p->type == P_AND)
		for (i = 0; i < p->nkids; i++)
			if (p->kids[i]->type == P_ROWS)
				return &p->kids[i]->set;
	return NULL;
}

/* Keeps passage id when it exists and the filter (if any) takes it. */
static void scan_row(struct mn_cursor *ntok, const struct pred *filter, struct row_ctx *x,
		     int64_t id, struct mn_rows *rows)
{
	if (!mn_cursor_value(ntok, id))
		return;
	if (filter) {
		row_at(x, id);
		if (!pred_test(filter, x, id))
			return;
	}
	row_at(x, id);
	MN_GROW(rows->v, rows->n + 1, rows->cap);
	memset(&rows->v[rows->n], 0, sizeof(rows->v[rows->n]));
	rows->v[rows->n].id = id;
	rows->v[rows->n].date = row_u32(x, MN_COL_DATE);
	rows->v[rows->n++].meeting = row_u32(x, MN_COL_MEETING);
}

/*
 * The passages a query of filters only selects: those of a set of rows it
 * is bound to (a person's), else every passage of the index, each tested.
 */
static int scan(struct mn_store *store, const struct pred *filter, struct mn_rows *rows,
		struct mn_err *err)
{
	struct mn_cols *cols = mn_store_cols(store);
	const struct mn_bits *only = filter ? rows_bound(filter) : NULL;
	int64_t end = mn_cols_end(cols, err), id;
	struct mn_cursor ntok;
	struct row_ctx x;

	mn_cursor_init(&ntok, cols, MN_COL_NTOK, err);
	row_ctx_init(&x, cols, err);
	if (only) {
		size_t i;

		for (i = 0; i < only->n >> 6 && !err->status; i++) {
			uint64_t w = only->w[i];

			while (w && !err->status) {
				id = (int64_t)(i << 6) + __builtin_ctzll(w);
				w &= w - 1;
				if (id >= end)
					return err->status;
				scan_row(&ntok, filter, &x, id, rows);
			}
		}
		return err->status;
	}
	for (id = 0; id < end && !err->status; id++)
		scan_row(&ntok, filter, &x, id, rows);
	return err->status;
}

int mn_exec(struct mn_store *store, const struct mn_qnode *tree, struct mn_rows *rows,
	    struct mn_err *err)
{
	struct compiler c = {store, err};
	struct pred *filter = NULL;

	rows->n = 0;
	rows->ranked = 0;
	mn_buf_reset(&rows->match);
	mn_fts_phrases_release(&rows->phrases);
	if (mn_cols_begin(mn_store_cols(store), err))
		return err->status;
	if (tree)
		plan(&c, tree, &rows->match, &rows->phrases, &filter);
	if (err->status)
		goto out;
	rows->ranked = rows->match.len > 0;
	if (rows->ranked)
		collect(store, tree, &rows->phrases, filter, rows, err);
	else
		scan(store, filter, rows, err);
out:
	pred_free(filter);
	if (err->status)
		rows->n = 0;
	return err->status;
}

int mn_rows_dates(struct mn_store *store, struct mn_row *v, size_t n, struct mn_err *err)
{
	struct mn_cols *cols = mn_store_cols(store);
	size_t i;

	for (i = 0; i < n && !err->status; i++)
		if (!mn_cols_value(cols, MN_COL_DATE, v[i].id, &v[i].date, err))
			mn_cols_value(cols, MN_COL_MEETING, v[i].id, &v[i].meeting, err);
	return err->status;
}

void mn_rows_release(struct mn_rows *rows)
{
	free(rows->v);
	rows->v = NULL;
	rows->n = rows->cap = 0;
	mn_buf_release(&rows->match);
	mn_fts_phrases_release(&rows->phrases);
}

/* ---- ordering ------------------------------------------------------------------- */

int mn_row_cmp(const struct mn_row *a, const struct mn_row *b, enum mn_row_order order)
{
	if (order == MN_ROWS_BY_SCORE && a->score != b->score)
		return a->score > b->score ? -1 : 1;
	/* Undated last. */
	if (!a->date != !b->date)
		return !a->date ? 1 : -1;
	if (a->date != b->date) {
		int older = a->date < b->date ? -1 : 1;

		return order == MN_ROWS_OLDEST ? older : -older;
	}
	return (a->id > b->id) - (a->id < b->id);
}

static int by_score(const void *a, const void *b)
{
	return mn_row_cmp(a, b, MN_ROWS_BY_SCORE);
}

static int by_oldest(const void *a, const void *b)
{
	return mn_row_cmp(a, b, MN_ROWS_OLDEST);
}

static int by_newest(const void *a, const void *b)
{
	return mn_row_cmp(a, b, MN_ROWS_NEWEST);
}

/* Sifts v[i] down the heap v[0..n) whose top is the row that comes last. */
static void sift_down(struct mn_row *v, size_t n, size_t i, enum mn_row_order order)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		struct mn_row t;

		if (l < n && mn_row_cmp(&v[l], &v[m], order) > 0)
			m = l;
		if (r < n && mn_row_cmp(&v[r], &v[m], order) > 0)
			m = r;
		if (m == i)
			return;
		t = v[i];
		v[i] = v[m];
		v[m] = t;
		i = m;
	}
}

size_t mn_rows_top(struct mn_row *v, size_t n, size_t k, enum mn_row_order order)
{
	size_t i;

	if (k > n)
		k = n;
	if (!k)
		return 0;
	if (k < n) {
		/* A heap of the k first so far, the last of them on top. */
		for (i = k / 2; i-- > 0;)
			sift_down(v, k, i, order);
		for (i = k; i < n; i++) {
			if (mn_row_cmp(&v[i], &v[0], order) < 0) {
				struct mn_row t = v[0];

				v[0] = v[i];
				v[i] = t;
				sift_down(v, k, 0, order);
			}
		}
	}
	qsort(v, k, sizeof(*v),
	      order == MN_ROWS_BY_SCORE ? by_score
	      : order == MN_ROWS_OLDEST ? by_oldest
					: by_newest);
	return k;
}
