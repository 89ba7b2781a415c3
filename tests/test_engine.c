/*
 * The search engine (mn_exec: FTS5 plus the columns) held to the two things
 * it stands in for: the SQL translation of the query (mn_query_to_sql),
 * which must select exactly the same passages, and FTS5's own bm25() with
 * the index's column weights, which must give exactly the same scores and
 * so the same order. Over corpus/ and the test fixtures, for hand-written
 * queries that cover every field and operator and for thousands drawn at
 * random from the index's own words, names, headings and dates.
 */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mn_cols.h"
#include "mn_exec.h"
#include "mn_facets.h"
#include "mn_index.h"
#include "mn_query.h"
#include "mn_snippet.h"
#include "mn_store.h"

static char *tmp;
static struct mn_store *store;

/* What the index holds, to draw random queries from. */
enum { P_WORD, P_NAME, P_SERIES, P_ORG, P_HEADING, P_DATE, P_PATH, P_COUNT };

static char **pool_v[P_COUNT];
static size_t pool_n[P_COUNT];

static void pool_fill(int which, const char *sql)
{
	sqlite3_stmt *s = NULL;
	size_t cap = 0;

	assert_int_equal(sqlite3_prepare_v2(mn_store_db(store), sql, -1, &s, NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(s, 0);

		if (!v || !*v || strchr(v, '"'))
			continue;
		MN_GROW(pool_v[which], pool_n[which] + 1, cap);
		pool_v[which][pool_n[which]++] = mn_xstrdup(v);
	}
	sqlite3_finalize(s);
	assert_true(pool_n[which] > 0);
}

/*
 * With long_passage set, also a meeting with a passage of over 255 tokens
 * (the lengths of its chunk then take two bytes each instead of one), and
 * people numbered past 65535 (the lists then hold 32-bit values).
 */
static int setup_index(int long_passage)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_root roots[3];
	struct mn_index_opts opts;
	struct mn_index_stats stats;
	char *db, *folder = NULL;

	tmp = tu_tmpdir();
	db = tu_path(tmp, "index.db");
	memset(roots, 0, sizeof(roots));
	roots[0].path = MN_SOURCE_DIR "/corpus";
	roots[1].path = MN_FIXTURES;
	memset(&opts, 0, sizeof(opts));
	opts.roots = roots;
	opts.nroots = 2;
	if (long_passage) {
		struct mn_buf b = MN_BUF_INIT;
		char *path;
		int i;

		folder = tu_path(tmp, "long");
		assert_int_equal(mkdir(folder, 0777), 0);
		mn_buf_adds(&b, "# Long review\n\nDate: 2021-03-04\n\nAttendees: Ada, Bert");
		for (i = 0; i < 12; i++)
			mn_buf_addf(&b, ", %cnna Many", 'A' + i);
		mn_buf_adds(&b, "\n\n## Migration\n\nAda: ");
		for (i = 0; i < 120; i++)
			mn_buf_addf(&b, "the migration plan %d needs review ", i);
		mn_buf_adds(&b, "\n\nBert: agreed on the migration.\n");
		/*
		 * More people of one name than a filter reads passage by passage
		 * from passage_people (speaker:many takes the list column).
		 */
		mn_buf_adds(&b, "\n## Updates\n\n");
		for (i = 0; i < 12; i++)
			mn_buf_addf(&b, "%cnna Many: the migration update %d.\n\n", 'A' + i, i);
		mn_buf_add(&b, "", 0);
		path = tu_path(folder, "long.md");
		tu_write_file(path, mn_buf_str(&b));
		free(path);
		mn_buf_release(&b);
		roots[2].path = folder;
		opts.nroots = 3;
	}
	if (mn_store_open(&store, db, MN_STORE_WRITE, NULL, &err))
		fail_msg("cannot open the index: %s", err.msg);
	/* People numbered past 65535: the speaker and owner lists hold 32-bit values. */
	if (long_passage)
		assert_int_equal(sqlite3_exec(mn_store_db(store),
					      "INSERT INTO people(id, name) VALUES(70000, 'Nobody Yet')",
					      NULL, NULL, NULL),
				 SQLITE_OK);
	if (mn_index_run(store, &opts, &stats, &err))
		fail_msg("cannot index: %s", err.msg);
	free(db);
	free(folder);
	assert_int_equal(sqlite3_exec(mn_store_db(store),
				      "CREATE VIRTUAL TABLE temp.v USING "
				      "fts5vocab(main, passages_fts, row)",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	/* The vocabulary's stems, which stem to themselves as query words. */
	pool_fill(P_WORD, "SELECT term FROM temp.v WHERE term GLOB '[a-z][a-z]*' "
			  "AND length(term) BETWEEN 3 AND 12 ORDER BY term");
	pool_fill(P_NAME, "SELECT name FROM people UNION SELECT alias FROM aliases ORDER BY 1");
	pool_fill(P_SERIES, "SELECT name FROM dict_series ORDER BY 1");
	pool_fill(P_ORG, "SELECT name FROM dict_orgs ORDER BY 1");
	pool_fill(P_HEADING, "SELECT text FROM dict_headings ORDER BY 1");
	pool_fill(P_DATE, "SELECT DISTINCT coalesce(p.date, m.date) FROM passages p "
			  "JOIN meetings m ON m.id = p.meeting_id WHERE 1 ORDER BY 1");
	pool_fill(P_PATH, "SELECT DISTINCT substr(path, length(path) - 8, 5) FROM meetings "
			  "ORDER BY 1");
	{
		/*
		 * The lengths of chunk 0 are packed in 7 bits each, and (with the long
		 * passage) one at least is beyond them, kept apart.
		 */
		sqlite3_stmt *s = NULL;

		assert_int_equal(
		    sqlite3_prepare_v2(mn_store_db(store),
				       "SELECT substr(data, 1, 1) FROM cols WHERE id = ?1", -1, &s,
				       NULL),
		    SQLITE_OK);
		sqlite3_bind_int64(s, 1, MN_COL_ID(0, MN_COL_NTOK));
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);
		assert_int_equal(((const char *)sqlite3_column_blob(s, 0))[0], MN_ENC_SMALL);
		sqlite3_finalize(s);
		if (long_passage)
			assert_true(tu_count(store, "SELECT count(*) FROM passages "
						    "WHERE id < 4096 AND ntok >= 255") > 0);
		assert_int_equal(sqlite3_prepare_v2(mn_store_db(store),
						    "SELECT substr(data, 1, 1) FROM cols WHERE id = ?1",
						    -1, &s, NULL),
				 SQLITE_OK);
		sqlite3_bind_int64(s, 1, MN_COL_ID(0, MN_COL_SPEAKERS));
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);
		assert_int_equal(((const char *)sqlite3_column_blob(s, 0))[0], long_passage ? 'L' : 'l');
		sqlite3_finalize(s);
	}
	if (long_passage) {
		/* The twelve of one name are speakers, and more than a filter takes one by one. */
		assert_int_equal(tu_count(store, "SELECT count(*) FROM passage_people pp JOIN "
						 "people p ON p.id = pp.person_id WHERE pp.role = 0 "
						 "AND p.name LIKE '%nna Many'"),
				 12);
	}
	return 0;
}

static int setup(void **state)
{
	(void)state;
	return setup_index(0);
}

static int setup_long(void **state)
{
	(void)state;
	return setup_index(1);
}

static int teardown(void **state)
{
	size_t i, k;

	(void)state;
	mn_store_close(store);
	tu_rmtree(tmp);
	free(tmp);
	for (i = 0; i < P_COUNT; i++) {
		for (k = 0; k < pool_n[i]; k++)
			free(pool_v[i][k]);
		free(pool_v[i]);
		pool_v[i] = NULL;
		pool_n[i] = 0;
	}
	store = NULL;
	return 0;
}

/* ---- one query, both ways ------------------------------------------------------ */

struct ref_row {
	int64_t id;
	double rank; /* FTS5's bm25(), or 0 */
	char *date;
};

static int by_id(const void *a, const void *b)
{
	int64_t x = ((const struct ref_row *)a)->id, y = ((const struct ref_row *)b)->id;

	return (x > y) - (x < y);
}

/* The passages the SQL translation selects, with FTS5's ranks. */
static size_t reference(const struct mn_qnode *tree, struct ref_row **out)
{
	struct mn_sql sql = MN_SQL_INIT;
	struct mn_buf q = MN_BUF_INIT;
	struct mn_err err = MN_ERR_INIT;
	sqlite3_stmt *s = NULL;
	size_t n = 0, cap = 0, i;

	*out = NULL;
	assert_int_equal(mn_query_to_sql(tree, &sql, &err), MN_OK);
	mn_buf_addf(&q, "SELECT p.id, %s, coalesce(p.date, m.date)",
		    sql.match_param ? "f.rank" : "0");
	mn_sql_from_where(&sql, &q);
	if (sqlite3_prepare_v2(mn_store_db(store), mn_buf_str(&q), -1, &s, NULL) != SQLITE_OK)
		fail_msg("reference query: %s: %s", mn_buf_str(&q),
			 sqlite3_errmsg(mn_store_db(store)));
	for (i = 0; i < sql.nparams; i++)
		sqlite3_bind_text(s, (int)i + 1, sql.params[i], -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *d = (const char *)sqlite3_column_text(s, 2);

		MN_GROW(*out, n + 1, cap);
		(*out)[n].id = sqlite3_column_int64(s, 0);
		(*out)[n].rank = sqlite3_column_double(s, 1);
		(*out)[n].date = d ? mn_xstrdup(d) : NULL;
		n++;
	}
	sqlite3_finalize(s);
	mn_buf_release(&q);
	mn_sql_release(&sql);
	if (n > 1)
		qsort(*out, n, sizeof(**out), by_id);
	return n;
}

static int by_row_id(const void *a, const void *b)
{
	int64_t x = ((const struct mn_row *)a)->id, y = ((const struct mn_row *)b)->id;

	return (x > y) - (x < y);
}

static size_t checked, snippets_checked;

/*
 * The snippet and first match mn_snippet makes from a passage's text are
 * FTS5's snippet() and mn_first_match for the query's MATCH on that row.
 */
static void same_snippets(const char *q, const struct mn_rows *rows)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_tokenizer *tok = mn_cols_tokenizer(mn_store_cols(store), &err);
	struct mn_snippet_query *sq;
	sqlite3_stmt *s = NULL;
	size_t i;

	if (!rows->ranked || rows->phrases.alternatives)
		return;
	assert_non_null(tok);
	sq = mn_snippet_query_new(tok, &rows->phrases);
	assert_int_equal(
	    sqlite3_prepare_v2(mn_store_db(store),
			       "SELECT snippet(passages_fts, 0, char(1), char(2), '...', 32), "
			       "mn_first_match(passages_fts), minutes_text(p.text) "
			       "FROM passages_fts JOIN passages p ON p.id = passages_fts.rowid "
			       "WHERE passages_fts MATCH ?1 AND passages_fts.rowid = ?2",
			       -1, &s, NULL),
	    SQLITE_OK);
	/* The first passages and the last, which are as good as any. */
	for (i = 0; i < rows->n; i += i == 8 && rows->n > 24 ? rows->n - 16 : 1) {
		const char *want, *text;
		char *got;
		int first;

		sqlite3_bind_text(s, 1, mn_buf_str(&rows->match), -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, rows->v[i].id);
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);
		want = (const char *)sqlite3_column_text(s, 0);
		text = (const char *)sqlite3_column_text(s, 2);
		got = mn_snippet_mark(sq, text ? text : "", 32, '\x01', '\x02', "...", &first);
		if (strcmp(got, want ? want : ""))
			fail_msg("'%s': passage %lld: snippet\n  '%s', FTS5's\n  '%s'", q,
				 (long long)rows->v[i].id, got, want);
		if (first != sqlite3_column_int(s, 1))
			fail_msg("'%s': passage %lld: first match at %d, FTS5's at %d", q,
				 (long long)rows->v[i].id, first, sqlite3_column_int(s, 1));
		free(got);
		sqlite3_reset(s);
		snippets_checked++;
	}
	sqlite3_finalize(s);
	mn_snippet_query_free(sq);
}

/* Runs q both ways and fails on the first difference. */
static void same(const char *q)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_qnode *tree = NULL;
	struct mn_rows rows = MN_ROWS_INIT;
	struct ref_row *ref = NULL;
	size_t nref, i;
	int began = 0;

	if (mn_query_parse(q, &tree, &err) || !tree) {
		mn_qnode_free(tree);
		return; /* not a query: nothing to compare */
	}
	nref = reference(tree, &ref);
	assert_int_equal(mn_store_read_begin(store, &began, &err), MN_OK);
	if (mn_exec(store, tree, &rows, &err))
		fail_msg("'%s': %s", q, err.msg);
	mn_store_read_end(store, began);
	if (rows.n > 1)
		qsort(rows.v, rows.n, sizeof(*rows.v), by_row_id);
	if (rows.n != nref)
		fail_msg("'%s': the engine found %zu passages, the SQL %zu", q, rows.n, nref);
	for (i = 0; i < nref; i++) {
		if (rows.v[i].id != ref[i].id)
			fail_msg("'%s': passage %lld against %lld", q, (long long)rows.v[i].id,
				 (long long)ref[i].id);
		/* bm25() gives -score; the same sums in the same order: equal to the last bit. */
		if (rows.ranked && rows.v[i].score != -ref[i].rank)
			fail_msg("'%s': passage %lld scores %.17g, bm25() %.17g", q,
				 (long long)ref[i].id, rows.v[i].score, -ref[i].rank);
		if (rows.v[i].date != mn_cols_date_value(ref[i].date))
			fail_msg("'%s': passage %lld dated %u, not %s", q, (long long)ref[i].id,
				 rows.v[i].date, ref[i].date ? ref[i].date : "(none)");
		free(ref[i].date);
	}
	free(ref);
	same_snippets(q, &rows);
	mn_rows_release(&rows);
	mn_qnode_free(tree);
	checked++;
}

/* ---- the queries -------------------------------------------------------------- */

static void test_written_queries(void **state)
{
	static const char *const queries[] = {
	    "migration",
	    "migrations",
	    "xen",
	    "Xen AND arm",
	    "xen OR kvm",
	    "(xen OR kvm) arm",
	    "migration -dead",
	    "migration NOT dead",
	    "\"dead migration\"",
	    "backport*",
	    "migr*",
	    "NEAR(xen arm, 5)",
	    "NEAR(migr* pci)",
	    "don't",
	    "x86-64",
	    "4.12",
	    "C++",
	    "\"",
	    "speaker:jan",
	    "by:\"Mike Holmes\"",
	    "speaker:MH",
	    "speaker:kang",
	    "attendee:george",
	    "topic:cadence",
	    "topic:\"release cadence\"",
	    "topic:migr*",
	    "title:stratos",
	    "series:\"project stratos\"",
	    "series:leg",
	    "project:xen",
	    "org:citrix",
	    "org:linaro",
	    "kind:action",
	    "kind:decision",
	    "kind:reported",
	    "owner:george",
	    "owner:mike",
	    "path:stratos",
	    "path:004",
	    "date:2017",
	    "date:2020-09",
	    "date:2017-09-26",
	    "date:2018-01..2018-06",
	    "date:2020..",
	    "date:..2019",
	    "after:2018-06",
	    "before:2019",
	    "-speaker:jan xen",
	    "NOT kind:note xen",
	    "xen speaker:jan OR migration kind:action",
	    "(speaker:jan OR speaker:lars) -topic:cadence",
	    "-xen",
	    "kind:utterance -org:linaro",
	    "release -date:2018",
	    "migration OR topic:xen",
	    "project:stratos date:2020",
	    "attendee:\"Mike Holmes\" kind:action",
	    "title:\"LEG SC\" migration",
	    "topic:update -xen",
	    "speaker:\"Kang Kang\" migration",
	    "speaker:many migration",
	    "speaker:many -speaker:\"Anna Many\"",
	    "speaker:\"Bnna Many\" OR speaker:\"Cnna Many\"",
	    "virtio OR vhost OR qemu",
	    "(a OR b) c",
	    "dead -migration",
	    "pci passthrough",
	    "\"pci passthrough\"",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(queries) / sizeof(*queries); i++)
		same(queries[i]);
}

/* A deterministic generator, so that a failure can be run again. */
static uint64_t seed = 0x6d696e75746573ULL;

static uint64_t next(void)
{
	uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static const char *pick(int which)
{
	return pool_v[which][next() % pool_n[which]];
}

/* Appends "field:value", quoted when the value has spaces. */
static void add_field(struct mn_buf *b, const char *field, const char *value)
{
	if (strchr(value, ' ') || strchr(value, '(') || strchr(value, ':'))
		mn_buf_addf(b, "%s:\"%s\"", field, value);
	else
		mn_buf_addf(b, "%s:%s", field, value);
}

/* One random part of a query: a word, a phrase, a prefix, a filter. */
static void add_part(struct mn_buf *b, int depth)
{
	const char *w;
	char date[16];

	switch (next() % 17) {
	case 0:
	case 1:
	case 2:
	case 3:
		mn_buf_adds(b, pick(P_WORD));
		break;
	case 4:
		mn_buf_addf(b, "\"%s %s\"", pick(P_WORD), pick(P_WORD));
		break;
	case 5:
		w = pick(P_WORD);
		mn_buf_addf(b, "%.3s*", w);
		break;
	case 6:
		add_field(b, next() % 2 ? "speaker" : "owner", pick(P_NAME));
		break;
	case 7:
		add_field(b, "attendee", pick(P_NAME));
		break;
	case 8:
		add_field(b, next() % 2 ? "series" : "project", pick(P_SERIES));
		break;
	case 9:
		add_field(b, "org", pick(P_ORG));
		break;
	case 10:
		add_field(b, "topic", pick(P_HEADING));
		break;
	case 11:
		snprintf(date, sizeof(date), "%.*s", (int)(4 + 3 * (next() % 3)), pick(P_DATE));
		if (next() % 3 == 0)
			mn_buf_addf(b, "date:%s..%s", date, pick(P_DATE));
		else
			mn_buf_addf(b, "%s:%s",
				    next() % 2	 ? "date"
				    : next() % 2 ? "after"
						 : "before",
				    date);
		break;
	case 12: {
		static const char *const kinds[] = {"utterance", "reported", "action", "decision",
						    "note"};

		mn_buf_addf(b, "kind:%s", kinds[next() % 5]);
		break;
	}
	case 13:
		add_field(b, "path", pick(P_PATH));
		break;
	case 14:
		mn_buf_addf(b, "NEAR(%s %s, %d)", pick(P_WORD), pick(P_WORD), (int)(next() % 12));
		break;
	default:
		if (depth < 2) {
			mn_buf_addc(b, '(');
			add_part(b, depth + 1);
			mn_buf_adds(b, next() % 2 ? " OR " : " ");
			add_part(b, depth + 1);
			mn_buf_addc(b, ')');
		} else {
			add_field(b, "title", pick(P_WORD));
		}
		break;
	}
}

static void test_random_queries(void **state)
{
	size_t i, k;

	(void)state;
	checked = snippets_checked = 0;
	for (i = 0; i < 3000; i++) {
		struct mn_buf q = MN_BUF_INIT;
		size_t parts = 1 + next() % 4;

		for (k = 0; k < parts; k++) {
			if (k)
				mn_buf_adds(&q, next() % 4 == 0 ? " OR " : " ");
			if (next() % 5 == 0)
				mn_buf_addc(&q, '-');
			add_part(&q, 0);
		}
		same(mn_buf_str(&q));
		mn_buf_release(&q);
	}
	/* Most of them must have been queries at all, with passages to make snippets of. */
	assert_true(checked > 2500);
	print_message("%zu snippets held to FTS5's\n", snippets_checked);
	assert_true(snippets_checked > 1000);
}

/* How many passages the SQL translation of q selects. */
static size_t reference_count(const char *q)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_qnode *tree = NULL;
	struct ref_row *ref = NULL;
	size_t n, i;

	if (mn_query_parse(q, &tree, &err) || !tree)
		fail_msg("'%s' does not parse: %s", q, err.msg);
	n = reference(tree, &ref);
	for (i = 0; i < n; i++)
		free(ref[i].date);
	free(ref);
	mn_qnode_free(tree);
	return n;
}

/* Every facet value's count is what the query with the value's filter finds. */
static void test_random_facets(void **state)
{
	static const enum mn_facet_field all[] = {MN_FACET_SPEAKER, MN_FACET_TOPIC, MN_FACET_SERIES,
						  MN_FACET_ORG,	    MN_FACET_YEAR,  MN_FACET_KIND};
	size_t i, f, v, values = 0;

	(void)state;
	for (i = 0; i < 120; i++) {
		struct mn_buf q = MN_BUF_INIT;
		struct mn_err err = MN_ERR_INIT;
		struct mn_qnode *tree = NULL;
		struct mn_facets facets = MN_FACETS_INIT;

		/* Words common enough to have facets worth counting, or no words at all. */
		if (i % 4)
			add_part(&q, 0);
		else
			mn_buf_addf(&q, "kind:%s", i % 8 ? "utterance" : "note");
		if (mn_query_parse(mn_buf_str(&q), &tree, &err) || !tree) {
			mn_buf_release(&q);
			continue;
		}
		if (mn_facets_compute(store, tree, all, 6, 1000, &facets, &err))
			fail_msg("'%s': %s", mn_buf_str(&q), err.msg);
		for (f = 0; f < facets.n; f++)
			for (v = 0; v < facets.items[f].nvalues; v++) {
				const struct mn_facet_value *fv = &facets.items[f].values[v];
				struct mn_buf with = MN_BUF_INIT;
				size_t n;

				mn_buf_addf(&with, "(%s) %s", mn_buf_str(&q), fv->filter);
				n = reference_count(mn_buf_str(&with));
				if ((int64_t)n != fv->count)
					fail_msg("'%s': %s shows %lld, the query with it finds %zu",
						 mn_buf_str(&q), fv->filter, (long long)fv->count,
						 n);
				mn_buf_release(&with);
				values++;
			}
		mn_facets_release(&facets);
		mn_qnode_free(tree);
		mn_buf_release(&q);
	}
	assert_true(values > 500);
}

/*
 * Snippets of texts made up to be hard: long and short, sentences ended by
 * full stops and colons or not, repeated and adjacent matches, accents,
 * other scripts, words too long to stem, stray punctuation. Each is put in
 * a table of its own with the index's tokenizer, and mn_snippet's snippet
 * and first match must be FTS5's (and mn_first_match's) for queries of one to three words,
 * phrases, prefixes and exclusions.
 */
static void test_made_up_snippets(void **state)
{
	static const char *const words[] = {
	    "migration", "migrations", "migrated", "review", "reviews", "plan", "the", "a",
	    "caf\xc3\xa9", "na\xc3\xafve", "stra\xc3\x9f" "e", "\xe6\x9d\xb1\xe4\xba\xac",
	    "x86-64", "4.12", "don't", "ok",
	    "supercalifragilisticexpialidocious-and-then-some-more-letters-to-pass-sixty-four",
	};
	static const char *const gaps[] = {" ", " ", " ", ", ", ". ", ": ", "\n", " - ", "...",
					   ".", " (", ") ", "  "};
	static const char *const shapes[] = {"%s", "%s %s", "\"%s %s\"", "%.4s*", "%s -%s",
					     "%s %s %s"};
	const size_t nwords = sizeof(words) / sizeof(*words);
	sqlite3 *db = mn_store_db(store);
	struct mn_err err = MN_ERR_INIT;
	struct mn_tokenizer *tok = mn_cols_tokenizer(mn_store_cols(store), &err);
	sqlite3_stmt *ins = NULL, *get = NULL;
	size_t t, q, checked_here = 0;

	(void)state;
	assert_non_null(tok);
	assert_int_equal(sqlite3_exec(db,
				      "CREATE VIRTUAL TABLE temp.made USING "
				      "fts5(x, tokenize='snowball english')",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO temp.made(rowid, x) VALUES(?1, ?2)",
					    -1, &ins, NULL),
			 SQLITE_OK);
	for (t = 1; t <= 300; t++) {
		struct mn_buf b = MN_BUF_INIT;
		size_t n = next() % (t % 3 ? 40 : 120), k;

		for (k = 0; k < n; k++)
			mn_buf_addf(&b, "%s%s", k ? gaps[next() % (sizeof(gaps) / sizeof(*gaps))] : "",
				    words[next() % nwords]);
		mn_buf_add(&b, "", 0);
		sqlite3_bind_int64(ins, 1, (sqlite3_int64)t);
		sqlite3_bind_text(ins, 2, mn_buf_str(&b), -1, SQLITE_TRANSIENT);
		assert_int_equal(sqlite3_step(ins), SQLITE_DONE);
		sqlite3_reset(ins);
		mn_buf_release(&b);
	}
	sqlite3_finalize(ins);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT rowid, x, snippet(made, 0, char(1), char(2), "
					    "'...', 32), mn_first_match(made) FROM temp.made "
					    "WHERE made MATCH ?1",
					    -1, &get, NULL),
			 SQLITE_OK);
	for (q = 0; q < 300; q++) {
		struct mn_buf text = MN_BUF_INIT, expr = MN_BUF_INIT;
		struct mn_fts_phrases ph = {NULL, 0, 0, 0};
		struct mn_qnode *tree = NULL;
		struct mn_snippet_query *sq;
		const char *w1 = words[next() % nwords], *w2 = words[next() % nwords];

		mn_buf_addf(&text, shapes[q % (sizeof(shapes) / sizeof(*shapes))], w1, w2,
			    words[next() % nwords]);
		mn_buf_add(&text, "", 0);
		if (mn_query_parse(mn_buf_str(&text), &tree, &err) || !tree) {
			mn_err_clear(&err);
			mn_buf_release(&text);
			continue;
		}
		mn_query_fts_expr_phrases(tree, &expr, &ph);
		mn_buf_add(&expr, "", 0);
		sq = mn_snippet_query_new(tok, &ph);
		sqlite3_bind_text(get, 1, mn_buf_str(&expr), -1, SQLITE_STATIC);
		while (sqlite3_step(get) == SQLITE_ROW) {
			const char *x = (const char *)sqlite3_column_text(get, 1);
			const char *want = (const char *)sqlite3_column_text(get, 2);
			int first;
			char *got = mn_snippet_mark(sq, x ? x : "", 32, '\x01', '\x02', "...", &first);

			if (strcmp(got, want ? want : ""))
				fail_msg("'%s' in text %lld:\n  '%s'\n  mn_snippet '%s'\n  FTS5's     '%s'",
					 mn_buf_str(&text), (long long)sqlite3_column_int64(get, 0), x,
					 got, want);
			if (first != sqlite3_column_int(get, 3))
				fail_msg("'%s' in text %lld: first match at %d, FTS5's at %d",
					 mn_buf_str(&text), (long long)sqlite3_column_int64(get, 0),
					 first, sqlite3_column_int(get, 3));
			free(got);
			checked_here++;
		}
		sqlite3_reset(get);
		mn_snippet_query_free(sq);
		mn_fts_phrases_release(&ph);
		mn_qnode_free(tree);
		mn_buf_release(&expr);
		mn_buf_release(&text);
	}
	sqlite3_finalize(get);
	assert_int_equal(sqlite3_exec(db, "DROP TABLE temp.made", NULL, NULL, NULL), SQLITE_OK);
	print_message("%zu made-up snippets held to FTS5's\n", checked_here);
	assert_true(checked_here > 3000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_written_queries),
	    cmocka_unit_test(test_random_queries),
	    cmocka_unit_test(test_random_facets),
	    cmocka_unit_test(test_made_up_snippets),
	};

	int failed =
	    cmocka_run_group_tests_name("packed lengths, 16-bit lists", tests, setup, teardown);

	return failed + cmocka_run_group_tests_name("packed lengths with long ones, 32-bit lists",
						    tests, setup_long, teardown);
}
