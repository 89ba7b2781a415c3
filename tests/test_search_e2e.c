/*
 * End-to-end tests of minutes-search: the real programs on the minutes in
 * tests/fixtures/search/minutes (and a few runs on corpus/). Output formats
 * are compared with the expected files in tests/fixtures/search/expected:
 * JSON structurally, with took_ms masked, and key order included; text and
 * vimgrep exactly. After a deliberate change of output, regenerate them
 * with MN_UPDATE_GOLDEN=1 ctest -R search_e2e and review the diff.
 */
#include "testutil.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "mn_store.h"

#define SEARCH_DIR MN_FIXTURES "/search"
#define EXPECTED   SEARCH_DIR "/expected/"
#define XEN18	   "minutes/2018-07-11-xen-community-call.md"
#define XEN19	   "minutes/2019-03-05-xen-community-call.md"
#define STRATOS	   "minutes/2020-09-17-stratos-sync.md"

static char *dir, *db, *corpus_db, *built_db;

/*
 * An index built in C with what the minutes parser may not find (yet):
 * series, organisations, owners, reported speech. It lets the program be
 * tested on every field whatever the parser does.
 */
static void add_built(struct mn_store *store, const char *path, const char *title,
		      const char *series, const char *date)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_doc *doc = mn_doc_new(path);
	static const char *const stratos_people[][3] = {{"Mike Holmes", "Linaro", "MH"},
							{"Bill Mills", "Linaro", NULL},
							{"Rob Palmer", "Bloomberg", NULL}};
	const char *mh = "Mike Holmes", *bill = "Bill Mills", *rob = "Rob Palmer";
	const char *planning = "Planning", *budget = "Budget";
	struct mn_passage *p;
	size_t i, first = strstr(path, "tsc") ? 2 : 0;

	doc->title = mn_arena_strdup(&doc->arena, title);
	doc->series = mn_arena_strdup(&doc->arena, series);
	mn_doc_add_date(doc, date);
	for (i = first; i < 3; i++) {
		struct mn_attendee *a = mn_doc_add_attendee(doc);

		a->name = stratos_people[i][0];
		a->org = stratos_people[i][1];
		a->aliases =
		    stratos_people[i][2] ? mn_doc_strv(doc, &stratos_people[i][2], 1) : NULL;
		a->naliases = stratos_people[i][2] ? 1 : 0;
	}
	if (!first) {
		p = mn_doc_add_passage(doc);
		p->line = p->end_line = 3, p->col = 5, p->kind = MN_KIND_UTTERANCE;
		p->speaker_label = "MH";
		p->speakers = mn_doc_strv(doc, &mh, 1), p->nspeakers = 1;
		p->topic_path = mn_doc_strv(doc, &planning, 1), p->ntopic_path = 1;
		p->text = "The virtio demo is ready.";
		p = mn_doc_add_passage(doc);
		p->line = p->end_line = 5, p->col = 1, p->kind = MN_KIND_ACTION;
		p->owners = mn_doc_strv(doc, &bill, 1), p->nowners = 1;
		p->topic_path = mn_doc_strv(doc, &planning, 1), p->ntopic_path = 1;
		p->text = "Bill to publish the virtio demo.";
		p = mn_doc_add_passage(doc);
		p->line = p->end_line = 7, p->col = 6, p->kind = MN_KIND_UTTERANCE;
		p->speaker_label = "Rob";
		p->speakers = mn_doc_strv(doc, &rob, 1), p->nspeakers = 1;
		p->topic_path = mn_doc_strv(doc, &planning, 1), p->ntopic_path = 1;
		p->text = "Bloomberg wants the demo too.";
	} else {
		p = mn_doc_add_passage(doc);
		p->line = p->end_line = 3, p->col = 1, p->kind = MN_KIND_REPORTED;
		p->speakers = mn_doc_strv(doc, &rob, 1), p->nspeakers = 1;
		p->topic_path = mn_doc_strv(doc, &budget, 1), p->ntopic_path = 1;
		p->text = "Rob mentioned that the demo budget is approved.";
		p = mn_doc_add_passage(doc);
		p->line = p->end_line = 5, p->col = 1, p->kind = MN_KIND_DECISION;
		p->topic_path = mn_doc_strv(doc, &budget, 1), p->ntopic_path = 1;
		p->text = "Agreed: fund the demo.";
	}
	assert_int_equal(mn_store_add_doc(store, doc, NULL, NULL, &err), MN_OK);
	mn_doc_free(doc);
}

static void build_index(const char *path)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = NULL;

	assert_int_equal(mn_store_open(&store, path, MN_STORE_WRITE, NULL, &err), MN_OK);
	assert_int_equal(mn_store_begin(store, &err), MN_OK);
	add_built(store, "built/2021-05-04-stratos.md", "Stratos Sync", "Project Stratos",
		  "2021-05-04");
	add_built(store, "built/2021-06-01-tsc.md", "TSC Meeting", "TSC", "2021-06-01");
	assert_int_equal(mn_store_commit(store, &err), MN_OK);
	mn_store_close(store);
}

static void index_into(const char *cwd, const char *index, const char *what)
{
	const char *argv[] = {MN_INDEX_BIN, "--db", index, what, NULL};
	struct tu_run r;

	tu_run(&r, cwd, NULL, argv);
	if (r.status != 0)
		fail_msg("minutes-index %s failed (%d): %s", what, r.status, r.err);
	tu_run_free(&r);
}

static int setup(void **state)
{
	(void)state;
	dir = tu_tmpdir();
	db = tu_path(dir, "fixtures.db");
	corpus_db = tu_path(dir, "corpus.db");
	built_db = tu_path(dir, "built.db");
	/* Run from the fixture folder, so that paths are "minutes/...". */
	index_into(SEARCH_DIR, db, "minutes");
	index_into(NULL, corpus_db, "corpus");
	build_index(built_db);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tu_rmtree(dir);
	free(dir);
	free(db);
	free(corpus_db);
	free(built_db);
	return 0;
}

/* Runs minutes-search on index with args (NULL-terminated) from the fixture folder. */
static void search_on(struct tu_run *r, const char *index, const char *const *args)
{
	const char *argv[48] = {MN_SEARCH_BIN, "--db", index};
	size_t n = 3;

	while (*args && n < 47)
		argv[n++] = *args++;
	argv[n] = NULL;
	tu_run(r, index == db ? SEARCH_DIR : NULL, NULL, argv);
}

static void search(struct tu_run *r, const char *const *args)
{
	search_on(r, db, args);
}

/* Runs a search expecting status, returning its JSON. */
static json_t *search_json_on(const char *index, const char *const *args, int status)
{
	const char *argv[40] = {"--format", "json"};
	size_t n = 2;
	struct tu_run r;
	json_t *j;

	while (*args && n < 39)
		argv[n++] = *args++;
	argv[n] = NULL;
	search_on(&r, index, argv);
	if (r.status != status)
		fail_msg("search exited %d, want %d: %s", r.status, status, r.err);
	j = tu_json(r.out);
	tu_run_free(&r);
	return j;
}

static json_t *search_json(const char *const *args, int status)
{
	return search_json_on(db, args, status);
}

/* Number of hits of args (run with --count). */
static long long count_on(const char *index, const char *const *args)
{
	const char *argv[40] = {"--count"};
	size_t n = 1;
	struct tu_run r;
	long long total;

	while (*args && n < 39)
		argv[n++] = *args++;
	argv[n] = NULL;
	search_on(&r, index, argv);
	if (r.status != 0 && r.status != 1)
		fail_msg("--count exited %d: %s", r.status, r.err);
	total = strtoll(r.out, NULL, 10);
	tu_run_free(&r);
	return total;
}

static long long count_of(const char *q)
{
	const char *args[] = {q, NULL};

	return count_on(db, args);
}

/* ---- golden files ---------------------------------------------------------- */

static int updating(void)
{
	const char *u = getenv("MN_UPDATE_GOLDEN");

	return u && *u && strcmp(u, "0");
}

static char *slurp(const char *path)
{
	char *data = NULL;
	size_t len;
	struct mn_err err = MN_ERR_INIT;

	if (mn_read_file(path, 1 << 20, &data, &len, &err))
		fail_msg("cannot read expected file '%s': %s (create it with MN_UPDATE_GOLDEN=1)",
			 path, err.msg);
	return data;
}

/* Masks what varies between runs: the time taken. */
static void normalize(json_t *j)
{
	if (json_object_get(j, "took_ms"))
		json_object_set_new(j, "took_ms", json_real(0));
}

/* The canonical text of j: keys in their order, compact. */
static char *canonical(const json_t *j)
{
	return json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
}

/* Compares the JSON output with the expected file name, structurally and in key order. */
static void golden_json(const char *name, const char *out)
{
	char *path = tu_path(EXPECTED, name);
	json_t *got = tu_json(out), *want;
	char *a, *b;

	normalize(got);
	if (updating()) {
		assert_int_equal(
		    json_dump_file(got, path,
				   JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12)),
		    0);
	}
	{
		char *text = slurp(path);

		want = tu_json(text);
		free(text);
	}
	a = canonical(got);
	b = canonical(want);
	if (strcmp(a, b))
		fail_msg("%s differs from the output:\n%s\nwant:\n%s", path, a, b);
	free(a);
	free(b);
	json_decref(got);
	json_decref(want);
	free(path);
}

/* Each line of JSON lines output against the lines of the expected file. */
static void golden_jsonl(const char *name, const char *out)
{
	char *path = tu_path(EXPECTED, name);
	struct mn_buf norm = MN_BUF_INIT;
	char *copy = mn_xstrdup(out), *line, *save = NULL, *want;

	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_t *j = tu_json(line);
		char *c;

		normalize(j);
		c = canonical(j);
		mn_buf_addf(&norm, "%s\n", c);
		free(c);
		json_decref(j);
	}
	if (updating())
		tu_write_file(path, mn_buf_str(&norm));
	want = slurp(path);
	if (strcmp(mn_buf_str(&norm), want))
		fail_msg("%s differs from the output:\n%s\nwant:\n%s", path, mn_buf_str(&norm),
			 want);
	free(want);
	free(copy);
	mn_buf_release(&norm);
	free(path);
}

static void golden_text(const char *name, const char *out)
{
	char *path = tu_path(EXPECTED, name);
	char *want;

	if (updating())
		tu_write_file(path, out);
	want = slurp(path);
	if (strcmp(out, want))
		fail_msg("%s differs from the output:\n%s\nwant:\n%s", path, out, want);
	free(want);
	free(path);
}

/* ---- output formats ------------------------------------------------------- */

static void test_json_format(void **state)
{
	const char *args[] = {"--format", "json", "backports", NULL};
	const char *facets[] = {"--format", "json",    "--facets", "--facet-limit",
				"3",	    "cadence", NULL};
	const char *empty[] = {"--format", "json", "zzqqxx", NULL};
	struct tu_run r;

	(void)state;
	search(&r, args);
	assert_int_equal(r.status, 0);
	golden_json("backports.json", r.out);
	tu_run_free(&r);
	search(&r, facets);
	assert_int_equal(r.status, 0);
	golden_json("cadence-facets.json", r.out);
	tu_run_free(&r);
	search(&r, empty);
	assert_int_equal(r.status, 1);
	golden_json("no-hits.json", r.out);
	tu_run_free(&r);
}

static void test_json_grouped(void **state)
{
	const char *args[] = {"--format", "json", "--group", "meeting", "xen", NULL};
	struct tu_run r;
	json_t *j, *g;
	size_t i;
	json_int_t hits = 0;

	(void)state;
	search(&r, args);
	assert_int_equal(r.status, 0);
	golden_json("xen-grouped.json", r.out);
	j = tu_json(r.out);
	assert_string_equal(json_string_value(json_object_get(j, "group")), "meeting");
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 3);
	json_array_foreach(json_object_get(j, "hits"), i, g)
	{
		json_t *best = json_object_get(g, "hits");

		hits += json_integer_value(json_object_get(g, "hit_count"));
		assert_true(json_array_size(best) >= 1 && json_array_size(best) <= 3);
		/* The meeting's score is its best hit's. */
		assert_true(json_real_value(json_object_get(g, "score")) ==
			    json_real_value(json_object_get(json_array_get(best, 0), "score")));
	}
	assert_int_equal(hits, json_integer_value(json_object_get(j, "total_hits")));
	assert_int_equal(hits, count_of("xen"));
	{
		/* --count counts meetings when grouping. */
		const char *count_args[] = { "--group", "meeting", "xen", NULL };

		assert_int_equal(count_on(db, count_args), 3);
	}
	json_decref(j);
	tu_run_free(&r);
}

static void test_jsonl_format(void **state)
{
	const char *args[] = {"--format", "jsonl", "--facets=kind", "migration", NULL};
	const char *grouped[] = {"--format", "jsonl", "--group",   "meeting",
				 "-n",	     "1",     "migration", NULL};
	struct tu_run r;

	(void)state;
	search(&r, args);
	assert_int_equal(r.status, 0);
	golden_jsonl("migration.jsonl", r.out);
	tu_run_free(&r);
	search(&r, grouped);
	assert_int_equal(r.status, 0);
	golden_jsonl("migration-grouped.jsonl", r.out);
	tu_run_free(&r);
}

static void test_vimgrep_format(void **state)
{
	const char *args[] = {"--format", "vimgrep", "migration", NULL};
	const char *grouped[] = {"--format", "vimgrep", "--group", "meeting", "backports", NULL};
	struct tu_run r;

	(void)state;
	search(&r, args);
	assert_int_equal(r.status, 0);
	golden_text("migration.vimgrep", r.out);
	tu_run_free(&r);
	search(&r, grouped);
	assert_int_equal(r.status, 0);
	golden_text("backports-grouped.vimgrep", r.out);
	tu_run_free(&r);
}

static void test_text_format(void **state)
{
	const char *plain[] = {"--format", "text", "--color", "never", "backports", NULL};
	const char *facets[] = {"--format", "text", "--facets=speaker,year", "cadence", NULL};
	const char *grouped[] = {"--format", "text", "--group", "meeting", "migration", NULL};
	const char *suggestion[] = {"--format", "text", "migraton", NULL};
	struct tu_run r;

	(void)state;
	search(&r, plain);
	assert_int_equal(r.status, 0);
	golden_text("backports.txt", r.out);
	tu_run_free(&r);
	search(&r, facets);
	assert_int_equal(r.status, 0);
	golden_text("cadence-facets.txt", r.out);
	tu_run_free(&r);
	search(&r, grouped);
	assert_int_equal(r.status, 0);
	golden_text("migration-grouped.txt", r.out);
	tu_run_free(&r);
	search(&r, suggestion);
	assert_int_equal(r.status, 1);
	golden_text("migraton.txt", r.out);
	tu_run_free(&r);
}

/* Every highlight of every hit covers a form of the word searched. */
static void test_highlights_on_matches(void **state)
{
	static const struct {
		const char *q, *stem;
	} cases[] = {{"migration", "migrat"},
		     {"backport*", "backport"},
		     {"xen", "xen"},
		     {"\"release cadence\"", "release cadence"}};
	size_t c;

	(void)state;
	for (c = 0; c < sizeof(cases) / sizeof(*cases); c++) {
		const char *args[] = {cases[c].q, NULL};
		json_t *j = search_json(args, 0), *h;
		size_t i, k, seen = 0;

		json_array_foreach(json_object_get(j, "hits"), i, h)
		{
			const char *snippet = json_string_value(json_object_get(h, "snippet"));
			json_t *range;

			json_array_foreach(json_object_get(h, "highlights"), k, range)
			{
				json_int_t a = json_integer_value(json_array_get(range, 0));
				json_int_t b = json_integer_value(json_array_get(range, 1));

				assert_true(a >= 0 && a < b && (size_t)b <= strlen(snippet));
				if (strncasecmp(snippet + a, cases[c].stem, strlen(cases[c].stem)))
					fail_msg(
					    "'%s': highlight [%lld, %lld) of '%s' is not on '%s'",
					    cases[c].q, (long long)a, (long long)b, snippet,
					    cases[c].stem);
				seen++;
			}
		}
		assert_true(seen > 0);
		json_decref(j);
	}
}

/* ---- the query language through the program -------------------------------- */

struct expect {
	const char *query;
	long long hits;
};

static void test_fields_and_dates(void **state)
{
	static const struct expect cases[] = {
	    {"speaker:jan", 2},
	    {"speaker:\"Jan Beulich\" backports", 2},
	    {"by:george", 1},
	    {"speaker:MH", 1},
	    {"speaker:bennee", 1},
	    {"backports -speaker:jan", 2},
	    {"attendee:lars", 7},
	    {"topic:\"release cadence\"", 4},
	    {"topic:migrations", 3},
	    {"title:stratos", 4},
	    {"project:backports", 2},
	    {"kind:action", 1},
	    {"kind:decision", 2},
	    {"kind:utterance speaker:jan", 2},
	    {"kind:note -topic:migration", 1},
	    {"path:stratos", 4},
	    {"path:2019", 2},
	    {"date:2018", 7},
	    {"date:2018-07", 7},
	    {"date:2018-07-11", 7},
	    {"date:2018-07-12", 0},
	    {"date:2018..2019", 9},
	    {"date:2018-07..2019-02", 7},
	    {"date:2019..", 6},
	    {"date:..2018", 7},
	    {"after:2019-03-05", 6},
	    {"after:2019-03-06", 4},
	    {"before:2019-03-05", 7},
	    {"before:2019", 7},
	    {"backports -date:2019", 2},
	    {"backports OR cadence", 7},
	    {"(backports OR cadence) date:2019", 2},
	    {"NEAR(migration story, 1)", 1},
	    {"NEAR(migr* stor*, 2)", 1},
	    {"\"nine month\"", 1},
	    {"migration NOT dead", 3},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		long long n = count_of(cases[i].query);

		if (n != cases[i].hits)
			fail_msg("'%s' found %lld, want %lld", cases[i].query, n, cases[i].hits);
	}
}

/* Fields the parser may not fill yet, on the index built in C. */
static void test_fields_on_built_index(void **state)
{
	static const struct expect cases[] = {
	    {"series:stratos", 3},
	    {"series:\"project stratos\" demo", 3},
	    {"series:tsc", 2},
	    {"demo -series:tsc", 3},
	    {"org:linaro", 1},
	    {"org:bloomberg", 2},
	    {"owner:bill", 1},
	    {"owner:mills kind:action", 1},
	    {"speaker:MH", 1},
	    {"attendee:bill", 3},
	    {"attendee:rob", 5},
	    {"kind:reported", 1},
	    {"kind:reported speaker:rob", 1},
	    {"project:budget", 2},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const char *args[] = {cases[i].query, NULL};
		long long n = count_on(built_db, args);

		if (n != cases[i].hits)
			fail_msg("'%s' found %lld, want %lld", cases[i].query, n, cases[i].hits);
	}
}

/*
 * The shell has taken the quotes off speaker:"Jan Beulich": among several
 * arguments the program puts them back; a single argument is a whole query,
 * as editors pass it, and the field reading becomes the suggestion.
 */
static void test_field_value_in_one_argument(void **state)
{
	const char *value[] = {"speaker:Jan Beulich", "backports", NULL};
	const char *whole[] = {"kind:utterance speaker:jan", NULL};
	const char *whole_or[] = {"speaker:george OR speaker:lars", NULL};
	const char *words[] = {"speaker:jan backports", NULL};
	const char *excluding[] = {"--", "-speaker:jan", "backports", NULL};
	const char *alone[] = {"speaker:Jan Beulich", NULL};
	json_t *j;

	(void)state;
	assert_int_equal(count_on(db, value), 2);
	assert_int_equal(count_on(db, whole), 2);
	assert_int_equal(count_on(db, whole_or), 2);
	assert_int_equal(count_on(db, words), 2);
	/* After "--", a leading '-' excludes instead of starting an option. */
	assert_int_equal(count_on(db, excluding), 2);
	j = search_json(alone, 1);
	assert_string_equal(json_string_value(json_object_get(j, "query")), "speaker:Jan Beulich");
	assert_string_equal(json_string_value(json_object_get(j, "suggestion")),
			    "speaker:\"Jan Beulich\"");
	json_decref(j);
}

static void test_filters_only_by_date(void **state)
{
	const char *args[] = {"kind:decision", NULL};
	json_t *j = search_json(args, 0);
	json_t *hits = json_object_get(j, "hits");

	(void)state;
	assert_int_equal(json_array_size(hits), 2);
	/* Newest first, unranked. */
	assert_string_equal(json_string_value(json_object_get(json_array_get(hits, 0), "path")),
			    XEN19);
	assert_string_equal(json_string_value(json_object_get(json_array_get(hits, 1), "path")),
			    XEN18);
	assert_true(json_real_value(json_object_get(json_array_get(hits, 0), "score")) == 0);
	json_decref(j);
}

/* ---- facets --------------------------------------------------------------------- */

/* For every facet value of q, "q FILTER" finds exactly the count shown. */
static void check_facets_on(const char *index, const char *q)
{
	const char *args[] = {"--facets", "--facet-limit", "1000", q, NULL};
	json_t *j = search_json_on(index, args, 0), *values;
	const char *name;
	size_t checked = 0;

	json_object_foreach(json_object_get(j, "facets"), name, values)
	{
		json_t *v;
		size_t i;

		json_array_foreach(values, i, v)
		{
			const char *filter = json_string_value(json_object_get(v, "filter"));
			struct mn_buf wrapped = MN_BUF_INIT;
			const char *fargs[] = {NULL, filter, NULL};
			long long n;

			mn_buf_addf(&wrapped, "(%s)", q);
			fargs[0] = mn_buf_str(&wrapped);
			n = count_on(index, fargs);
			if (n != json_integer_value(json_object_get(v, "count")))
				fail_msg("'%s': facet %s '%s' shows %lld, '%s %s' finds %lld", q,
					 name, json_string_value(json_object_get(v, "value")),
					 (long long)json_integer_value(json_object_get(v, "count")),
					 q, filter, n);
			mn_buf_release(&wrapped);
			checked++;
		}
	}
	assert_true(checked > 0);
	json_decref(j);
}

static void test_facets_equal_filtered_counts(void **state)
{
	(void)state;
	check_facets_on(db, "xen");
	check_facets_on(db, "backports OR migration");
	check_facets_on(db, "kind:utterance");
	check_facets_on(built_db, "demo");
	check_facets_on(built_db, "kind:utterance OR kind:reported");
	check_facets_on(corpus_db, "migration");
	check_facets_on(corpus_db, "release OR xen");
}

static void test_facets_option_forms(void **state)
{
	const char *list[] = {"--facets", "year,kind", "cadence", NULL};
	const char *only_word[] = {"--facets", "year", NULL};
	json_t *j;
	const char *key;
	json_t *v;
	size_t n = 0;

	(void)state;
	/* "--facets LIST QUERY": the list, in its order. */
	j = search_json(list, 0);
	json_object_foreach(json_object_get(j, "facets"), key, v)
	    assert_string_equal(key, n++ ? "kind" : "year");
	assert_int_equal(n, 2);
	assert_string_equal(json_string_value(json_object_get(j, "query")), "cadence");
	json_decref(j);
	/* A lone word after --facets is the query; the default facets are counted. */
	j = search_json(only_word, 1);
	assert_string_equal(json_string_value(json_object_get(j, "query")), "year");
	assert_int_equal(json_object_size(json_object_get(j, "facets")), 6);
	json_decref(j);
}

/* ---- did you mean --------------------------------------------------------------- */

static void test_suggestion(void **state)
{
	const char *typo[] = {"migraton", NULL};
	const char *kept[] = {"speaker:jan", "backprots", NULL};
	const char *corpus_typo[] = {"migraton", NULL};
	json_t *j;

	(void)state;
	j = search_json(typo, 1);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 0);
	assert_string_equal(json_string_value(json_object_get(j, "suggestion")), "migration");
	json_decref(j);
	j = search_json(kept, 1);
	assert_string_equal(json_string_value(json_object_get(j, "suggestion")),
			    "speaker:jan backports");
	json_decref(j);
	j = search_json_on(corpus_db, corpus_typo, 1);
	assert_string_equal(json_string_value(json_object_get(j, "suggestion")), "migration");
	json_decref(j);
	/* A query that finds what it asks for gets none. */
	{
		const char *fine[] = {"migration", NULL};

		j = search_json(fine, 0);
		assert_true(json_is_null(json_object_get(j, "suggestion")));
		json_decref(j);
	}
}

/* ---- corpus ------------------------------------------------------------------------ */

static void test_corpus(void **state)
{
	const char *grouped[] = {"--group", "meeting", "xen", NULL};
	const char *jan[] = {"speaker:jan", "--limit", "100", NULL};
	json_t *j, *h;
	size_t i;

	(void)state;
	/* Every meeting once, with its hits counted. */
	j = search_json_on(corpus_db, grouped, 0);
	{
		json_int_t sum = 0;
		const char *seen[8] = {NULL};

		json_array_foreach(json_object_get(j, "hits"), i, h)
		{
			size_t k;

			for (k = 0; k < i; k++)
				assert_string_not_equal(
				    seen[k], json_string_value(json_object_get(h, "path")));
			seen[i] = json_string_value(json_object_get(h, "path"));
			sum += json_integer_value(json_object_get(h, "hit_count"));
		}
		assert_int_equal(sum, json_integer_value(json_object_get(j, "total_hits")));
		assert_true(json_array_size(json_object_get(j, "hits")) >= 2);
	}
	json_decref(j);
	/* Filters only: Jan's passages in the Xen call, newest first. */
	j = search_json_on(corpus_db, jan, 0);
	assert_true(json_array_size(json_object_get(j, "hits")) >= 2);
	json_array_foreach(json_object_get(j, "hits"), i, h)
	{
		assert_string_equal(json_string_value(json_object_get(h, "path")),
				    "corpus/002_eee8200ce5b8e499.txt");
		assert_non_null(strstr(json_string_value(json_object_get(h, "speaker")), "Jan"));
	}
	json_decref(j);
}

/* ---- errors ---------------------------------------------------------------------- */

static void fails_with(const char *const *args, const char *want)
{
	struct tu_run r;

	search(&r, args);
	if (r.status != 2 || strcmp(r.err, want))
		fail_msg("exit %d, stderr '%s', want 2 and '%s'", r.status, r.err, want);
	assert_string_equal(r.out, "");
	tu_run_free(&r);
}

static void test_error_messages(void **state)
{
	static const struct {
		const char *args[6];
		const char *err;
	} cases[] = {
	    {{"speker:jan"},
	     "minutes-search: unknown field 'speker' at column 1 (did you mean 'speaker'?)\n"},
	    {{"xen", "tpoic:cadence"},
	     "minutes-search: unknown field 'tpoic' at column 5 (did you mean 'topic'?)\n"},
	    {{"speaker:"}, "minutes-search: missing value after 'speaker:' at column 1\n"},
	    {{"date:2018-13"},
	     "minutes-search: invalid date '2018-13' (use YYYY, YYYY-MM or YYYY-MM-DD, or a "
	     "range such as 2018-01..2018-06) at column 1\n"},
	    {{"after:2018..2019"},
	     "minutes-search: invalid date '2018..2019' (use YYYY, YYYY-MM or YYYY-MM-DD, or a "
	     "range such as 2018-01..2018-06) at column 1\n"},
	    {{"kind:rant"},
	     "minutes-search: unknown kind 'rant' (use utterance, reported, action, decision or "
	     "note) at column 1\n"},
	    {{"(xen", "arm"}, "minutes-search: missing ')' for the '(' at column 1\n"},
	    {{"xen)"}, "minutes-search: unmatched ')' at column 4\n"},
	    {{"xen", "OR"}, "minutes-search: OR needs a term on both sides at column 5\n"},
	    {{"OR", "xen"}, "minutes-search: OR needs a term on both sides at column 1\n"},
	    {{"AND", "xen"}, "minutes-search: AND needs a term on both sides at column 1\n"},
	    {{"xen", "NOT"}, "minutes-search: NOT needs a term after it at column 5\n"},
	    {{"NEAR(xen)"},
	     "minutes-search: NEAR( needs at least two words or phrases at column 5\n"},
	    {{"NEAR(xen arm, far)"},
	     "minutes-search: NEAR distance must be a number from 0 to 1000 at column 15\n"},
	    {{"\""}, "minutes-search: query has no words or filters to search for\n"},
	    {{"--sort", "best", "xen"},
	     "minutes-search: unknown sort order 'best' (use rank, date or -date)\n"},
	    {{"--group", "speaker", "xen"},
	     "minutes-search: unknown grouping 'speaker' (use meeting)\n"},
	    {{"--facets=speaker,spaeker", "xen"},
	     "minutes-search: unknown facet 'spaeker' (use speaker, topic, series, org, year or "
	     "kind)\n"},
	    {{"--facets=", "xen"},
	     "minutes-search: no facets named (use speaker, topic, series, org, year or "
	     "kind)\n"},
	    {{"--facet-limit", "0", "xen"},
	     "minutes-search: invalid facet limit '0' (need a number from 1)\n"},
	    {{"--facet-limit", "many", "xen"},
	     "minutes-search: invalid facet limit 'many' (need a number from 1)\n"},
	    {{"--limit", "-1", "xen"},
	     "minutes-search: invalid limit '-1' (need a number from 0)\n"},
	    {{"--offset", "x", "xen"},
	     "minutes-search: invalid offset 'x' (need a number from 0)\n"},
	    {{"--color", "sometimes", "xen"},
	     "minutes-search: invalid --color 'sometimes' (use auto, always or never)\n"},
	    {{"--format", "xml", "xen"},
	     "minutes-search: unknown format 'xml' (use text, json, jsonl or vimgrep)\n"},
	    {{"--format", "json"},
	     "minutes-search: no QUERY given\n"
	     "Try 'minutes-search --help' for more information.\n"},
	    {{"--frobnicate", "xen"},
	     "minutes-search: unknown option '--frobnicate'\n"
	     "Try 'minutes-search --help' for more information.\n"},
	    {{"-x", "xen"},
	     "minutes-search: unknown option '-x'\n"
	     "Try 'minutes-search --help' for more information.\n"},
	    {{"xen", "--group"},
	     "minutes-search: option '--group' needs a value\n"
	     "Try 'minutes-search --help' for more information.\n"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		fails_with(cases[i].args, cases[i].err);
}

/* ---- documentation ----------------------------------------------------------------- */

static void test_help(void **state)
{
	static const char *const fields[] = {
	    "speaker:", "by:",	    "attendee:", "topic:",	  "title:",   "series:", "project:",
	    "org:",	"kind:",    "owner:",	 "path:",	  "date:",    "after:",	 "before:",
	    "NEAR(",	"--facets", "--group",	 "--facet-limit", "Examples:"};
	const char *args[] = {"--help", NULL};
	struct tu_run r;
	char *readme = NULL, *searching;
	size_t i, lines = 0, len;
	const char *s;
	struct mn_err err = MN_ERR_INIT;

	(void)state;
	search(&r, args);
	assert_int_equal(r.status, 0);
	for (s = r.out; *s; s++) {
		if (*s == '\n')
			lines++;
	}
	/* One screen. */
	if (lines > 50)
		fail_msg("--help has %zu lines", lines);
	for (s = r.out; *s;) {
		const char *nl = strchr(s, '\n');

		assert_true((size_t)(nl - s) <= 80);
		s = nl + 1;
	}
	assert_int_equal(mn_read_file(MN_SOURCE_DIR "/README.md", 1 << 20, &readme, &len, &err),
			 MN_OK);
	searching = strstr(readme, "\n## Searching\n");
	assert_non_null(searching);
	for (i = 0; i < sizeof(fields) / sizeof(*fields); i++) {
		if (!strstr(r.out, fields[i]))
			fail_msg("--help does not mention '%s'", fields[i]);
		if (strcmp(fields[i], "Examples:") && !strstr(searching, fields[i]))
			fail_msg("README's Searching section does not mention '%s'", fields[i]);
	}
	free(readme);
	tu_run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_json_format),
	    cmocka_unit_test(test_json_grouped),
	    cmocka_unit_test(test_jsonl_format),
	    cmocka_unit_test(test_vimgrep_format),
	    cmocka_unit_test(test_text_format),
	    cmocka_unit_test(test_highlights_on_matches),
	    cmocka_unit_test(test_fields_and_dates),
	    cmocka_unit_test(test_fields_on_built_index),
	    cmocka_unit_test(test_field_value_in_one_argument),
	    cmocka_unit_test(test_filters_only_by_date),
	    cmocka_unit_test(test_facets_equal_filtered_counts),
	    cmocka_unit_test(test_facets_option_forms),
	    cmocka_unit_test(test_suggestion),
	    cmocka_unit_test(test_corpus),
	    cmocka_unit_test(test_error_messages),
	    cmocka_unit_test(test_help),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
