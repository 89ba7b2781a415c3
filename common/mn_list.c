/*
 * Values of a field with their counts, in one grouped SQL query per kind
 * (topics are split out of the stored topic paths here). A query restricts
 * the passages through the same translation searches use.
 */
#include "mn_list.h"

#include <stdlib.h>
#include <string.h>

#include "mn_print.h"
#include "mn_query.h"

static const char *const kind_names[MN_LIST_KIND_COUNT] = {
    [MN_LIST_SPEAKERS] = "speakers",
    [MN_LIST_SERIES] = "series",
    [MN_LIST_TOPICS] = "topics",
    [MN_LIST_ORGS] = "orgs",
};

static const char *const singular_names[MN_LIST_KIND_COUNT] = {
    [MN_LIST_SPEAKERS] = "speaker",
    [MN_LIST_SERIES] = "series",
    [MN_LIST_TOPICS] = "topic",
    [MN_LIST_ORGS] = "org",
};

/* The query field whose filter selects a value of each kind. */
static const enum mn_field kind_fields[MN_LIST_KIND_COUNT] = {
    [MN_LIST_SPEAKERS] = MN_F_SPEAKER,
    [MN_LIST_SERIES] = MN_F_SERIES,
    [MN_LIST_TOPICS] = MN_F_TOPIC,
    [MN_LIST_ORGS] = MN_F_ORG,
};

/*
 * Each statement selects (value, passages, meetings), or for topics
 * (meeting, topic path, passages); "%s" is where the restriction to the
 * query's passages goes ("" when there is none).
 */
static const char *const kind_sql[MN_LIST_KIND_COUNT] = {
    [MN_LIST_SPEAKERS] =
	"SELECT pe.name, count(DISTINCT p.id), count(DISTINCT p.meeting_id) "
	"FROM passage_people pp JOIN passages p ON p.id = pp.passage_id "
	"JOIN people pe ON pe.id = pp.person_id WHERE pp.role = 0%s GROUP BY pe.name",
    [MN_LIST_SERIES] = "SELECT m.series, count(*), count(DISTINCT m.id) "
		       "FROM passages p JOIN meetings m ON m.id = p.meeting_id "
		       "WHERE m.series IS NOT NULL AND m.series <> ''%s GROUP BY m.series",
    [MN_LIST_TOPICS] = "SELECT p.meeting_id, t.path, count(*) FROM passages p "
		       "JOIN dict_topics t ON t.id = p.topic_id "
		       "WHERE 1%s GROUP BY p.meeting_id, p.topic_id",
    [MN_LIST_ORGS] =
	"SELECT a.org, count(DISTINCT p.id), count(DISTINCT p.meeting_id) "
	"FROM passages p JOIN passage_people pp ON pp.passage_id = p.id AND pp.role = 0 "
	"JOIN attendance a ON a.meeting_id = p.meeting_id AND a.person_id = pp.person_id "
	"WHERE a.org IS NOT NULL AND a.org <> ''%s GROUP BY a.org",
};

int mn_list_kind_from_name(const char *name)
{
	int i;

	for (i = 0; i < MN_LIST_KIND_COUNT; i++)
		if (!strcmp(name, kind_names[i]) || !strcmp(name, singular_names[i]))
			return i;
	return -1;
}

const char *mn_list_kind_name(enum mn_list_kind kind)
{
	return kind < MN_LIST_KIND_COUNT ? kind_names[kind] : "?";
}

void mn_list_release(struct mn_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->values[i].value);
		free(l->values[i].filter);
	}
	free(l->values);
	l->values = NULL;
	l->n = 0;
}

struct values {
	struct mn_list_value *v;
	size_t n, cap;
};

static void values_add(struct values *vs, const char *value, int64_t passages, int64_t meetings)
{
	MN_GROW(vs->v, vs->n + 1, vs->cap);
	vs->v[vs->n].value = mn_xstrdup(value);
	vs->v[vs->n].passages = passages;
	vs->v[vs->n].meetings = meetings;
	vs->v[vs->n].filter = NULL;
	vs->n++;
}

/* A heading found in one meeting's topic paths, for counting topics. */
struct heading {
	char *name;
	int64_t meeting;
	int64_t passages;
};

struct headings {
	struct heading *v;
	size_t n, cap;
};

static int by_name_then_meeting(const void *a, const void *b)
{
	const struct heading *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->meeting < y->meeting ? -1 : x->meeting > y->meeting;
}

/*
 * Adds each heading of one topic path (a list joined by MN_LIST_SEP) once:
 * a heading repeated inside a path ("Xen" under "Xen") is one passage.
 */
static void headings_add_path(struct headings *hs, int64_t meeting, const char *path,
			      int64_t passages)
{
	size_t n, i, k;
	char **parts = mn_strv_split(path, MN_LIST_SEP, &n);

	for (i = 0; i < n; i++) {
		if (!*parts[i])
			continue;
		for (k = 0; k < i; k++)
			if (!strcmp(parts[k], parts[i]))
				break;
		if (k < i)
			continue;
		MN_GROW(hs->v, hs->n + 1, hs->cap);
		hs->v[hs->n].name = mn_xstrdup(parts[i]);
		hs->v[hs->n].meeting = meeting;
		hs->v[hs->n].passages = passages;
		hs->n++;
	}
	mn_strv_free(parts, n);
}

/* Sums the headings by name into values: passages added, meetings counted once. */
static void headings_finish(struct headings *hs, struct values *vs)
{
	size_t i = 0;

	if (hs->n > 1)
		qsort(hs->v, hs->n, sizeof(*hs->v), by_name_then_meeting);
	while (i < hs->n) {
		size_t j = i;
		int64_t passages = 0, meetings = 0;

		for (; j < hs->n && !strcmp(hs->v[j].name, hs->v[i].name); j++) {
			passages += hs->v[j].passages;
			if (j == i || hs->v[j].meeting != hs->v[j - 1].meeting)
				meetings++;
		}
		values_add(vs, hs->v[i].name, passages, meetings);
		i = j;
	}
}

static void headings_release(struct headings *hs)
{
	size_t i;

	for (i = 0; i < hs->n; i++)
		free(hs->v[i].name);
	free(hs->v);
	hs->v = NULL;
	hs->n = hs->cap = 0;
}

static int by_passages(const void *a, const void *b)
{
	const struct mn_list_value *x = a, *y = b;

	if (x->passages != y->passages)
		return x->passages > y->passages ? -1 : 1;
	return strcmp(x->value, y->value);
}

/*
 * Writes into sql the statement for kind, restricted to the passages of
 * tree (may be NULL) whose translation is in q.
 */
static void build_sql(enum mn_list_kind kind, const struct mn_qnode *tree, const struct mn_sql *q,
		      struct mn_buf *sql)
{
	struct mn_buf restrict_to = MN_BUF_INIT;

	if (tree) {
		mn_buf_adds(&restrict_to, " AND p.id IN (SELECT p.id");
		mn_sql_from_where(q, &restrict_to);
		mn_buf_addc(&restrict_to, ')');
	}
	mn_buf_addf(sql, kind_sql[kind], mn_buf_str(&restrict_to));
	mn_buf_release(&restrict_to);
}

static int read_rows(struct mn_store *store, enum mn_list_kind kind, const struct mn_sql *q,
		     const char *sql, struct values *vs, struct mn_err *err)
{
	struct headings hs = {NULL, 0, 0};
	sqlite3_stmt *s = NULL;
	size_t i;
	int rc;

	if (sqlite3_prepare_v2(mn_store_db(store), sql, -1, &s, NULL) != SQLITE_OK)
		goto db_error;
	for (i = 0; i < q->nparams; i++)
		sqlite3_bind_text(s, (int)i + 1, q->params[i], -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (kind == MN_LIST_TOPICS) {
			const char *path = (const char *)sqlite3_column_text(s, 1);

			if (path)
				headings_add_path(&hs, sqlite3_column_int64(s, 0), path,
						  sqlite3_column_int64(s, 2));
		} else {
			const char *value = (const char *)sqlite3_column_text(s, 0);

			if (value && *value)
				values_add(vs, value, sqlite3_column_int64(s, 1),
					   sqlite3_column_int64(s, 2));
		}
	}
	if (rc != SQLITE_DONE)
		goto db_error;
	headings_finish(&hs, vs);
	headings_release(&hs);
	sqlite3_finalize(s);
	return MN_OK;
db_error:
	mn_err_set(err, MN_ERR_DB, "cannot list %s in '%s': %s", kind_names[kind],
		   mn_store_path(store), sqlite3_errmsg(mn_store_db(store)));
	headings_release(&hs);
	sqlite3_finalize(s);
	return err->status;
}

int mn_list_values(struct mn_store *store, enum mn_list_kind kind, const char *query,
		   struct mn_list *out, struct mn_err *err)
{
	struct mn_qnode *tree = NULL;
	struct mn_sql q = MN_SQL_INIT;
	struct mn_buf sql = MN_BUF_INIT;
	struct values vs = {NULL, 0, 0};
	size_t i;

	out->kind = kind;
	out->values = NULL;
	out->n = 0;
	if (query && mn_query_parse(query, &tree, err))
		goto out;
	if (tree && mn_query_to_sql(tree, &q, err))
		goto out;
	build_sql(kind, tree, &q, &sql);
	if (read_rows(store, kind, &q, mn_buf_str(&sql), &vs, err))
		goto out;
	if (vs.n > 1)
		qsort(vs.v, vs.n, sizeof(*vs.v), by_passages);
	for (i = 0; i < vs.n; i++) {
		struct mn_buf f = MN_BUF_INIT;

		mn_query_add_filter(&f, kind_fields[kind], vs.v[i].value);
		vs.v[i].filter = mn_buf_detach(&f);
	}
	out->values = vs.v;
	out->n = vs.n;
	vs.v = NULL;
	vs.n = 0;
out:
	for (i = 0; i < vs.n; i++)
		free(vs.v[i].value);
	free(vs.v);
	mn_buf_release(&sql);
	mn_sql_release(&q);
	mn_qnode_free(tree);
	return err->status;
}

json_t *mn_list_value_to_json(const struct mn_list_value *v)
{
	return json_pack("{s:s, s:I, s:I, s:s}", "value", v->value, "passages",
			 (json_int_t)v->passages, "meetings", (json_int_t)v->meetings, "filter",
			 v->filter);
}

json_t *mn_list_to_json(const struct mn_list *l, const char *query)
{
	json_t *values = json_array();
	size_t i;

	for (i = 0; i < l->n; i++)
		json_array_append_new(values, mn_list_value_to_json(&l->values[i]));
	return json_pack("{s:i, s:s, s:s?, s:I, s:o}", "format_version", MN_FORMAT_VERSION, "list",
			 kind_names[l->kind], "query", query, "total", (json_int_t)l->n, "values",
			 values);
}
