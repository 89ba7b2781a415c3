/*
 * Facets in SQL. The query's passages are gathered once into a temporary
 * table; each facet then groups them by value. Fields that match by words
 * (speaker, series, org, topic) cannot just group: the filter of one value
 * can select passages stored under another ("Jan" selects "Jan Beulich"'s),
 * so each of those facets first relates the distinct values found among the
 * hits to the values their filters select, with the very predicate the query
 * uses (minutes_name_match, or FTS5 on the topic column), and counts through
 * that relation. The cost grows with the number of hits; see issue 6.
 */
#include "mn_facets.h"

#include <stdlib.h>
#include <string.h>

#include "mn_doc.h"
#include "mn_text.h"

static const char *const facet_names[MN_FACET_COUNT] = {
    [MN_FACET_SPEAKER] = "speaker", [MN_FACET_TOPIC] = "topic", [MN_FACET_SERIES] = "series",
    [MN_FACET_ORG] = "org",	    [MN_FACET_YEAR] = "year",	[MN_FACET_KIND] = "kind",
};

/* The query field whose filter selects a facet's value. */
static const enum mn_field facet_fields[MN_FACET_COUNT] = {
    [MN_FACET_SPEAKER] = MN_F_SPEAKER, [MN_FACET_TOPIC] = MN_F_TOPIC,
    [MN_FACET_SERIES] = MN_F_SERIES,   [MN_FACET_ORG] = MN_F_ORG,
    [MN_FACET_YEAR] = MN_F_DATE,       [MN_FACET_KIND] = MN_F_KIND,
};

#define HITS_TABLE "temp.mn_facet_hits"

/* speaker: each person among the hits' speakers, counted through the people its name selects. */
#define SPEAKER_SQL                                                                                \
	"WITH sp(pid, person) AS (SELECT pp.passage_id, pp.person_id FROM " HITS_TABLE " r "       \
	"JOIN passage_people pp ON pp.passage_id = r.id AND pp.role = 0), "                        \
	"d(person, name) AS (SELECT DISTINCT sp.person, pe.name FROM sp "                          \
	"JOIN people pe ON pe.id = sp.person), "                                                   \
	"rel(v, q) AS (SELECT a.person, b.person FROM d a, d b "                                   \
	"WHERE minutes_name_match(b.name, a.name) OR EXISTS (SELECT 1 FROM aliases al "            \
	"WHERE al.person_id = b.person AND minutes_name_match(al.alias, a.name))) "                \
	"SELECT d.name, count(DISTINCT sp.pid) FROM rel JOIN d ON d.person = rel.v "               \
	"JOIN sp ON sp.person = rel.q GROUP BY rel.v"

/* org: organisations of the hits' speakers at those meetings, related by name. */
#define ORG_SQL                                                                                    \
	"WITH po(pid, org) AS (SELECT DISTINCT r.id, a.org FROM " HITS_TABLE " r "                 \
	"JOIN passages p ON p.id = r.id "                                                          \
	"JOIN passage_people pp ON pp.passage_id = r.id AND pp.role = 0 "                          \
	"JOIN attendance a ON a.meeting_id = p.meeting_id AND a.person_id = pp.person_id "         \
	"WHERE a.org IS NOT NULL), "                                                               \
	"d(org) AS (SELECT DISTINCT org FROM po), "                                                \
	"rel(v, t) AS (SELECT a.org, b.org FROM d a, d b WHERE minutes_name_match(b.org, a.org)) " \
	"SELECT rel.v, count(DISTINCT po.pid) FROM rel JOIN po ON po.org = rel.t GROUP BY rel.v"

/* series: one per meeting, so a value's count is the sum over the series its name selects. */
#define SERIES_SQL                                                                                 \
	"WITH s(v, n) AS (SELECT m.series, count(*) FROM " HITS_TABLE " r "                        \
	"JOIN passages p ON p.id = r.id JOIN meetings m ON m.id = p.meeting_id "                   \
	"WHERE m.series IS NOT NULL GROUP BY m.series) "                                           \
	"SELECT a.v, sum(b.n) FROM s a, s b WHERE minutes_name_match(b.v, a.v) GROUP BY a.v"

/* year and kind partition the hits: plain grouping is exact. */
#define YEAR_SQL                                                                                   \
	"SELECT substr(p.date, 1, 4), count(*) FROM " HITS_TABLE " r "                             \
	"JOIN passages p ON p.id = r.id WHERE p.date IS NOT NULL GROUP BY 1"
#define KIND_SQL                                                                                   \
	"SELECT p.kind, count(*) FROM " HITS_TABLE " r JOIN passages p ON p.id = r.id "            \
	"GROUP BY p.kind"

const char *mn_facet_name(enum mn_facet_field field)
{
	return field < MN_FACET_COUNT ? facet_names[field] : "?";
}

int mn_facets_parse(const char *list, enum mn_facet_field *fields, size_t *nfields,
		    struct mn_err *err)
{
	const char *s = list;

	*nfields = 0;
	while (*s) {
		const char *end = strchr(s, ',');
		size_t n = end ? (size_t)(end - s) : strlen(s), i, k;
		const char *name = s;

		mn_trim(&name, &n);
		if (!n)
			goto next;
		for (i = 0; i < MN_FACET_COUNT; i++)
			if (n == strlen(facet_names[i]) && !memcmp(name, facet_names[i], n))
				break;
		if (i == MN_FACET_COUNT) {
			char *shown = mn_xstrndup(name, n);

			mn_err_set(
			    err, MN_ERR_USAGE,
			    "unknown facet '%s' (use speaker, topic, series, org, year or kind)",
			    shown);
			free(shown);
			return MN_ERR_USAGE;
		}
		for (k = 0; k < *nfields; k++)
			if (fields[k] == (enum mn_facet_field)i)
				break;
		if (k == *nfields)
			fields[(*nfields)++] = (enum mn_facet_field)i;
	next:
		if (!end)
			break;
		s = end + 1;
	}
	if (!*nfields)
		return mn_err_set(
		    err, MN_ERR_USAGE,
		    "no facets named (use speaker, topic, series, org, year or kind)");
	return MN_OK;
}

/* ---- gathering values ------------------------------------------------------ */

struct counts {
	struct mn_facet_value *v;
	size_t n, cap;
};

static void counts_add(struct counts *c, const char *value, int64_t count)
{
	MN_GROW(c->v, c->n + 1, c->cap);
	c->v[c->n].value = mn_xstrdup(value);
	c->v[c->n].count = count;
	c->v[c->n].filter = NULL;
	c->n++;
}

static int by_count(const void *a, const void *b)
{
	const struct mn_facet_value *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->value, y->value);
}

/* Sorts, keeps the first limit values, writes their filters, and hands them to f. */
static void counts_finish(struct counts *c, enum mn_facet_field field, size_t limit,
			  struct mn_facet *f)
{
	size_t i;

	if (c->n > 1)
		qsort(c->v, c->n, sizeof(*c->v), by_count);
	for (i = limit; i < c->n; i++)
		free(c->v[i].value);
	if (c->n > limit)
		c->n = limit;
	for (i = 0; i < c->n; i++) {
		struct mn_buf b = MN_BUF_INIT;

		mn_query_add_filter(&b, facet_fields[field], c->v[i].value);
		c->v[i].filter = mn_buf_detach(&b);
	}
	f->field = field;
	f->values = c->v;
	f->nvalues = c->n;
	c->v = NULL;
	c->n = c->cap = 0;
}

static void counts_release(struct counts *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->v[i].value);
	free(c->v);
	c->v = NULL;
	c->n = c->cap = 0;
}

static int db_error(struct mn_store *store, struct mn_err *err)
{
	return mn_err_set(err, MN_ERR_DB, "cannot count facets on '%s': %s", mn_store_path(store),
			  sqlite3_errmsg(mn_store_db(store)));
}

static int exec(struct mn_store *store, const char *sql, struct mn_err *err)
{
	if (sqlite3_exec(mn_store_db(store), sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_error(store, err);
	return MN_OK;
}

/* Runs a (value, count) query into c; for kind, values are kind numbers turned into names. */
static int read_counts(struct mn_store *store, const char *sql, enum mn_facet_field field,
		       struct counts *c, struct mn_err *err)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if (sqlite3_prepare_v2(mn_store_db(store), sql, -1, &s, NULL) != SQLITE_OK)
		return db_error(store, err);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *value = (const char *)sqlite3_column_text(s, 0);
		int64_t count = sqlite3_column_int64(s, 1);

		if (field == MN_FACET_KIND)
			value = mn_kind_name((enum mn_kind)sqlite3_column_int(s, 0));
		if (!value || !*value || count <= 0)
			continue;
		if (field == MN_FACET_YEAR && !mn_date_is_iso(value, strlen(value)))
			continue;
		counts_add(c, value, count);
	}
	if (rc != SQLITE_DONE)
		db_error(store, err);
	sqlite3_finalize(s);
	return err->status;
}

/* ---- topics ------------------------------------------------------------------ */

/* Distinct strings, kept sorted for lookups. */
struct strset {
	char **v;
	size_t n, cap;
};

static int strset_add(struct strset *set, const char *s)
{
	size_t lo = 0, hi = set->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(set->v[mid], s);

		if (!c)
			return 0;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	MN_GROW(set->v, set->n + 1, set->cap);
	memmove(set->v + lo + 1, set->v + lo, (set->n - lo) * sizeof(*set->v));
	set->v[lo] = mn_xstrdup(s);
	set->n++;
	return 1;
}

static void strset_release(struct strset *set)
{
	mn_strv_free(set->v, set->n);
	set->v = NULL;
	set->n = set->cap = 0;
}

/*
 * topic: the filter topic:"X" is an FTS5 phrase over the passage's whole
 * topic path. The distinct paths of the hits go into a small temporary FTS5
 * table with the same tokenizer, and every heading found in them is counted
 * by running its own filter's MATCH there, weighted by how many hits have
 * each path.
 */
static int topic_counts(struct mn_store *store, struct counts *c, struct mn_err *err)
{
	sqlite3 *db = mn_store_db(store);
	sqlite3_stmt *paths = NULL, *count = NULL;
	struct strset headings = {NULL, 0, 0};
	char *create = NULL;
	size_t i;
	int rc;

	if (exec(store,
		 "CREATE TEMP TABLE mn_facet_paths(id INTEGER PRIMARY KEY, topic TEXT NOT NULL, "
		 "n INTEGER NOT NULL);"
		 "INSERT INTO temp.mn_facet_paths(topic, n) SELECT p.topic_path, count(*) "
		 "FROM " HITS_TABLE
		 " r JOIN passages p ON p.id = r.id WHERE p.topic_path IS NOT NULL "
		 "GROUP BY p.topic_path",
		 err))
		goto out;
	/* The tokenizer of passages_fts, so that the phrase matches as it does there. */
	create =
	    sqlite3_mprintf("CREATE VIRTUAL TABLE temp.mn_facet_topics USING fts5(topic, "
			    "content='mn_facet_paths', content_rowid='id', "
			    "tokenize='snowball %q');"
			    "INSERT INTO temp.mn_facet_topics(mn_facet_topics) VALUES('rebuild')",
			    mn_store_language(store));
	if (exec(store, create, err))
		goto out;

	if (sqlite3_prepare_v2(db, "SELECT topic FROM temp.mn_facet_paths", -1, &paths, NULL) !=
	    SQLITE_OK) {
		db_error(store, err);
		goto out;
	}
	while ((rc = sqlite3_step(paths)) == SQLITE_ROW) {
		size_t n, k;
		char **parts =
		    mn_strv_split((const char *)sqlite3_column_text(paths, 0), MN_LIST_SEP, &n);

		for (k = 0; k < n; k++)
			if (*parts[k])
				strset_add(&headings, parts[k]);
		mn_strv_free(parts, n);
	}
	if (rc != SQLITE_DONE) {
		db_error(store, err);
		goto out;
	}

	if (sqlite3_prepare_v2(db,
			       "SELECT total(n) FROM temp.mn_facet_paths WHERE id IN (SELECT rowid "
			       "FROM temp.mn_facet_topics WHERE mn_facet_topics MATCH ?1)",
			       -1, &count, NULL) != SQLITE_OK) {
		db_error(store, err);
		goto out;
	}
	for (i = 0; i < headings.n; i++) {
		struct mn_buf filter = MN_BUF_INIT;
		struct mn_err qerr = MN_ERR_INIT;
		struct mn_qnode *tree = NULL;
		struct mn_sql sql = MN_SQL_INIT;
		int64_t n = 0;

		/* The filter the value will be shown with, translated as any query is. */
		mn_query_add_filter(&filter, MN_F_TOPIC, headings.v[i]);
		if (!mn_query_parse(mn_buf_str(&filter), &tree, &qerr) && tree &&
		    !mn_query_to_sql(tree, &sql, &qerr) && sql.match_param) {
			sqlite3_reset(count);
			sqlite3_bind_text(count, 1, sql.params[sql.match_param - 1], -1,
					  SQLITE_STATIC);
			rc = sqlite3_step(count);
			if (rc == SQLITE_ROW)
				n = sqlite3_column_int64(count, 0);
			else
				db_error(store, err);
			sqlite3_reset(count);
		}
		mn_sql_release(&sql);
		mn_qnode_free(tree);
		mn_buf_release(&filter);
		if (err->status)
			goto out;
		if (n > 0)
			counts_add(c, headings.v[i], n);
	}
out:
	sqlite3_finalize(paths);
	sqlite3_finalize(count);
	sqlite3_free(create);
	strset_release(&headings);
	sqlite3_exec(db, "DROP TABLE IF EXISTS temp.mn_facet_topics", NULL, NULL, NULL);
	sqlite3_exec(db, "DROP TABLE IF EXISTS temp.mn_facet_paths", NULL, NULL, NULL);
	return err->status;
}

/* ---- the whole ------------------------------------------------------------- */

/* Fills the temporary table of hits with every passage tree selects. */
static int gather_hits(struct mn_store *store, const struct mn_qnode *tree, struct mn_err *err)
{
	struct mn_sql sql = MN_SQL_INIT;
	struct mn_buf q = MN_BUF_INIT;
	sqlite3_stmt *s = NULL;
	size_t i;

	if (exec(store,
		 "DROP TABLE IF EXISTS " HITS_TABLE ";"
		 "CREATE TEMP TABLE mn_facet_hits(id INTEGER PRIMARY KEY)",
		 err))
		return err->status;
	if (mn_query_to_sql(tree, &sql, err))
		goto out;
	mn_buf_adds(&q, "INSERT INTO " HITS_TABLE "(id) SELECT p.id");
	mn_sql_from_where(&sql, &q);
	if (sqlite3_prepare_v2(mn_store_db(store), mn_buf_str(&q), -1, &s, NULL) != SQLITE_OK) {
		db_error(store, err);
		goto out;
	}
	for (i = 0; i < sql.nparams; i++)
		sqlite3_bind_text(s, (int)i + 1, sql.params[i], -1, SQLITE_STATIC);
	if (sqlite3_step(s) != SQLITE_DONE)
		db_error(store, err);
out:
	sqlite3_finalize(s);
	mn_buf_release(&q);
	mn_sql_release(&sql);
	return err->status;
}

int mn_facets_compute(struct mn_store *store, const struct mn_qnode *tree,
		      const enum mn_facet_field *fields, size_t nfields, size_t limit,
		      struct mn_facets *out, struct mn_err *err)
{
	static const char *const sql_of[MN_FACET_COUNT] = {
	    [MN_FACET_SPEAKER] = SPEAKER_SQL, [MN_FACET_SERIES] = SERIES_SQL,
	    [MN_FACET_ORG] = ORG_SQL,	      [MN_FACET_YEAR] = YEAR_SQL,
	    [MN_FACET_KIND] = KIND_SQL,
	};
	struct counts c = {NULL, 0, 0};
	size_t i;

	out->items = mn_xcalloc(nfields ? nfields : 1, sizeof(*out->items));
	out->n = 0;
	if (!nfields)
		return MN_OK;
	if (gather_hits(store, tree, err))
		goto out;
	for (i = 0; i < nfields; i++) {
		if (fields[i] == MN_FACET_TOPIC) {
			if (topic_counts(store, &c, err))
				goto out;
		} else if (read_counts(store, sql_of[fields[i]], fields[i], &c, err)) {
			goto out;
		}
		counts_finish(&c, fields[i], limit, &out->items[out->n++]);
	}
out:
	counts_release(&c);
	sqlite3_exec(mn_store_db(store), "DROP TABLE IF EXISTS " HITS_TABLE, NULL, NULL, NULL);
	if (err->status)
		mn_facets_release(out);
	return err->status;
}

void mn_facets_release(struct mn_facets *f)
{
	size_t i, k;

	for (i = 0; i < f->n; i++) {
		for (k = 0; k < f->items[i].nvalues; k++) {
			free(f->items[i].values[k].value);
			free(f->items[i].values[k].filter);
		}
		free(f->items[i].values);
	}
	free(f->items);
	f->items = NULL;
	f->n = 0;
}
