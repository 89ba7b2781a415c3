/*
 * The command-line conventions of minutes-search, run as a user would on an
 * index of corpus/: --list, -V/--version, short and long options in any
 * order, "--", "-" for standard input, and the config file with its
 * precedence.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char *dir, *db;

static int setup(void **state)
{
	const char *argv[] = {MN_INDEX_BIN, "--db", NULL, "corpus", NULL};
	struct tu_run r;

	(void)state;
	dir = tu_tmpdir();
	db = tu_path(dir, "corpus.db");
	argv[2] = db;
	tu_run(&r, NULL, NULL, argv);
	if (r.status != 0)
		fail_msg("minutes-index failed (%d): %s", r.status, r.err);
	tu_run_free(&r);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tu_rmtree(dir);
	free(dir);
	free(db);
	return 0;
}

/*
 * Runs minutes-search with args (NULL-terminated), from the source tree,
 * with env additions (may be NULL) and input on stdin (may be NULL).
 */
static void run(struct tu_run *r, const char *const *env, const char *input,
		const char *const *args)
{
	const char *argv[40] = {MN_SEARCH_BIN};
	size_t n = 1;

	while (*args && n < 39)
		argv[n++] = *args++;
	argv[n] = NULL;
	tu_run_input(r, NULL, env, argv, input);
}

/* Runs with args expecting status and returns stdout (caller frees). */
static char *out_of(const char *const *env, const char *input, const char *const *args, int status)
{
	struct tu_run r;
	char *out;

	run(&r, env, input, args);
	if (r.status != status)
		fail_msg("exit %d, want %d; stderr: %s", r.status, status, r.err);
	out = r.out;
	r.out = NULL;
	tu_run_free(&r);
	return out;
}

/* JSON search output with took_ms removed (new reference). */
static json_t *search_json(const char *out)
{
	json_t *j = tu_json(out);

	json_object_del(j, "took_ms");
	return j;
}

static void assert_json_equal(json_t *a, json_t *b)
{
	if (!json_equal(a, b)) {
		char *x = json_dumps(a, JSON_COMPACT), *y = json_dumps(b, JSON_COMPACT);

		fail_msg("JSON differs:\n%.600s\n%.600s", x, y);
	}
}

/* ---- --list --------------------------------------------------------------------- */

/* Checks one list: JSON shape, text lines in the same order, jsonl, --count. */
static json_t *check_list(const char *what, const char *query, int status)
{
	const char *json_args[] = {"--db", db, "--list", what, "--format", "json", query, NULL};
	const char *text_args[] = {"--db", db, "--list", what, query, NULL};
	const char *jsonl_args[] = {"--list", what, "-f", "jsonl", "--db", db, query, NULL};
	const char *count_args[] = {"--list", what, "-c", "--db", db, query, NULL};
	char *out = out_of(NULL, NULL, json_args, status);
	char *text = out_of(NULL, NULL, text_args, status);
	char *lines = out_of(NULL, NULL, jsonl_args, status);
	char *count = out_of(NULL, NULL, count_args, status);
	json_t *j = tu_json(out), *values = json_object_get(j, "values"), *v;
	const char *t = text, *l = lines;
	const char *keys[] = {"format_version", "list", "query", "total", "values"};
	const char *value_keys[] = {"value", "passages", "meetings", "filter"};
	void *it;
	size_t i, k;
	char buf[32];

	/* Keys in the documented order. */
	for (it = json_object_iter(j), k = 0; it; it = json_object_iter_next(j, it), k++)
		assert_string_equal(json_object_iter_key(it), keys[k]);
	assert_int_equal(k, 5);
	assert_int_equal(json_integer_value(json_object_get(j, "format_version")), 1);
	assert_true(json_is_array(values));
	assert_int_equal(json_integer_value(json_object_get(j, "total")), json_array_size(values));
	if (query)
		assert_string_equal(json_string_value(json_object_get(j, "query")), query);
	else
		assert_true(json_is_null(json_object_get(j, "query")));
	snprintf(buf, sizeof(buf), "%zu\n", json_array_size(values));
	assert_string_equal(count, buf);
	json_array_foreach(values, i, v)
	{
		const char *value = json_string_value(json_object_get(v, "value"));
		size_t n = strlen(value);
		json_t *line;
		const char *nl = strchr(l, '\n');
		char *one;

		for (it = json_object_iter(v), k = 0; it; it = json_object_iter_next(v, it), k++)
			assert_string_equal(json_object_iter_key(it), value_keys[k]);
		assert_true(json_integer_value(json_object_get(v, "passages")) >= 1);
		assert_true(json_integer_value(json_object_get(v, "meetings")) >= 1);
		assert_true(json_integer_value(json_object_get(v, "meetings")) <=
			    json_integer_value(json_object_get(v, "passages")));
		/* Most passages first. */
		if (i)
			assert_true(json_integer_value(json_object_get(v, "passages")) <=
				    json_integer_value(json_object_get(
					json_array_get(values, i - 1), "passages")));
		/* Each value once. */
		for (k = 0; k < i; k++)
			if (!strcmp(json_string_value(
					json_object_get(json_array_get(values, k), "value")),
				    value))
				fail_msg("'%s' listed twice", value);
		/* Text: the value alone on its line, in the same order. */
		if (strncmp(t, value, n) || t[n] != '\n')
			fail_msg("text line %zu is not '%s': %.80s", i, value, t);
		t += n + 1;
		/* JSON lines: the same objects. */
		assert_non_null(nl);
		one = mn_xstrndup(l, (size_t)(nl - l));
		line = tu_json(one);
		assert_json_equal(line, v);
		json_decref(line);
		free(one);
		l = nl + 1;
	}
	assert_string_equal(t, "");
	assert_string_equal(l, "");
	free(out);
	free(text);
	free(lines);
	free(count);
	return j;
}

/* The number of hits of query (may be NULL) with filter added. */
static long long count_hits(const char *query, const char *filter)
{
	struct mn_buf q = MN_BUF_INIT;
	const char *args[] = {"--db", db, "--count", NULL, NULL};
	struct tu_run r;
	long long n;

	if (query)
		mn_buf_addf(&q, "%s ", query);
	mn_buf_adds(&q, filter);
	args[3] = mn_buf_str(&q);
	run(&r, NULL, NULL, args);
	assert_true(r.status == 0 || r.status == 1);
	n = atoll(r.out);
	tu_run_free(&r);
	mn_buf_release(&q);
	return n;
}

/* Whether the list j has value. */
static json_t *find_value(json_t *j, const char *value)
{
	json_t *v;
	size_t i;

	json_array_foreach(json_object_get(j, "values"), i, v)
	{
		if (!strcmp(json_string_value(json_object_get(v, "value")), value))
			return v;
	}
	return NULL;
}

static void test_list_kinds(void **state)
{
	static const char *const kinds[] = {"speakers", "series", "topics", "orgs"};
	/* A value of each kind that corpus/ holds (see the files in corpus/). */
	static const char *const known[] = {"Leonardo Garcia", "Project Stratos", "Xen update",
					    "Linaro"};
	size_t i, k;

	(void)state;
	for (i = 0; i < 4; i++) {
		json_t *j = check_list(kinds[i], NULL, 0), *v;

		assert_string_equal(json_string_value(json_object_get(j, "list")), kinds[i]);
		assert_non_null(find_value(j, known[i]));
		/* A value's filter selects at least the passages counted under it. */
		json_array_foreach(json_object_get(j, "values"), k, v)
		{
			long long hits;

			if (k >= 5)
				break;
			hits = count_hits(NULL, json_string_value(json_object_get(v, "filter")));
			if (hits < json_integer_value(json_object_get(v, "passages")))
				fail_msg(
				    "%s: %lld hits, fewer than %lld passages", kinds[i], hits,
				    (long long)json_integer_value(json_object_get(v, "passages")));
		}
		json_decref(j);
	}
}

static void test_list_exact_counts(void **state)
{
	json_t *j, *v;
	size_t i;

	(void)state;
	/* corpus/'s series share no words, so each filter selects exactly its passages. */
	j = check_list("series", NULL, 0);
	assert_int_equal(json_array_size(json_object_get(j, "values")), 4);
	json_array_foreach(json_object_get(j, "values"), i, v)
	{
		assert_int_equal(count_hits(NULL, json_string_value(json_object_get(v, "filter"))),
				 json_integer_value(json_object_get(v, "passages")));
	}
	v = find_value(j, "Project Stratos");
	assert_int_equal(json_integer_value(json_object_get(v, "meetings")), 2);
	assert_string_equal(json_string_value(json_object_get(v, "filter")),
			    "series:\"Project Stratos\"");
	json_decref(j);
}

/*
 * Two people of one name (a single name is a person within its series):
 * one value, with the passages and meetings of both, which its filter finds.
 */
static void test_list_one_value_per_name(void **state)
{
	const char *argv[] = {MN_INDEX_BIN, "-q", "--db", NULL, NULL, NULL};
	char *folder = tu_path(dir, "two"), *a = tu_path(folder, "alpha.md"),
	     *b = tu_path(folder, "beta.md"), *two = tu_path(dir, "two.db"), *corpus = db;
	struct tu_run r;
	json_t *j, *v;

	(void)state;
	assert_int_equal(mkdir(folder, 0777), 0);
	tu_write_file(a, "# Alpha sync 2021-01-04\n\nNiko: the parser is done.\n\n"
			 "Niko: and the tests.\n");
	tu_write_file(b, "# Beta sync 2021-01-05\n\nNiko: the index is slow.\n\n"
			 "Niko: a fix is coming.\n\nNiko: next week.\n");
	argv[3] = two;
	argv[4] = folder;
	tu_run(&r, NULL, NULL, argv);
	assert_int_equal(r.status, 0);
	tu_run_free(&r);
	db = two;
	j = check_list("speakers", NULL, 0);
	assert_int_equal(json_array_size(json_object_get(j, "values")), 1);
	v = find_value(j, "Niko");
	assert_non_null(v);
	assert_int_equal(json_integer_value(json_object_get(v, "passages")), 5);
	assert_int_equal(json_integer_value(json_object_get(v, "meetings")), 2);
	assert_int_equal(count_hits(NULL, json_string_value(json_object_get(v, "filter"))), 5);
	json_decref(j);
	db = corpus;
	free(folder);
	free(a);
	free(b);
	free(two);
}

static void test_list_of_query(void **state)
{
	json_t *all = check_list("speakers", NULL, 0);
	json_t *some = check_list("speakers", "migration", 0), *v;
	size_t i;

	(void)state;
	assert_true(json_array_size(json_object_get(some, "values")) <
		    json_array_size(json_object_get(all, "values")));
	json_array_foreach(json_object_get(some, "values"), i, v)
	{
		const char *value = json_string_value(json_object_get(v, "value"));
		json_t *w = find_value(all, value);
		json_int_t n = json_integer_value(json_object_get(v, "passages"));

		assert_non_null(w);
		assert_true(n <= json_integer_value(json_object_get(w, "passages")));
		/* Those are passages of the query's hits. */
		assert_true(
		    count_hits("migration", json_string_value(json_object_get(v, "filter"))) >= n);
	}
	json_decref(all);
	json_decref(some);
	/* A query without hits lists nothing and exits 1, as a search does. */
	json_decref(check_list("topics", "nosuchwordanywhere", 1));
}

static void test_list_errors(void **state)
{
	static const struct {
		const char *args[8];
		const char *err;
	} cases[] = {
	    {{"--list", "people"},
	     "minutes-search: cannot list 'people' (use speakers, series, topics or orgs)\n"},
	    {{"--list", "speakers", "-f", "vimgrep"},
	     "minutes-search: --list prints text, json or jsonl, not vimgrep\n"},
	    {{"--list"},
	     "minutes-search: option '--list' needs a value\n"
	     "Try 'minutes-search --help' for more information.\n"},
	    {{"--list", "orgs", "speker:jan"},
	     "minutes-search: unknown field 'speker' at column 1 (did you mean 'speaker'?)\n"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const char *args[12] = {"--db", db};
		struct tu_run r;
		size_t n;

		for (n = 0; cases[i].args[n]; n++)
			args[2 + n] = cases[i].args[n];
		run(&r, NULL, NULL, args);
		assert_int_equal(r.status, 2);
		assert_string_equal(r.err, cases[i].err);
		assert_string_equal(r.out, "");
		tu_run_free(&r);
	}
}

/* ---- conventions -------------------------------------------------------------- */

static void test_version(void **state)
{
	const char *v1[] = {"-V", NULL}, *v2[] = {"--version", NULL};
	const char *v3[] = {"xen", "--db", "/nonexistent.db", "-V", NULL};
	char *a = out_of(NULL, NULL, v1, 0), *b = out_of(NULL, NULL, v2, 0);
	char *c = out_of(NULL, NULL, v3, 0);

	(void)state;
	assert_string_equal(a, "minutes-search " MN_VERSION "\n");
	assert_string_equal(b, a);
	assert_string_equal(c, a);
	free(a);
	free(b);
	free(c);
}

static void test_options_in_any_order(void **state)
{
	const char *before[] = {"--db", db,	  "-f",	  "json",      "-n",
				"2",	"--sort", "date", "migration", NULL};
	const char *after[] = {"migration", "--sort=date", "--limit=2", "--format=json", "--db",
			       db,	    NULL};
	const char *mixed[] = {"-n2", "migration", "-fjson", "--db", db, "--sort", "date", NULL};
	char *a = out_of(NULL, NULL, before, 0), *b = out_of(NULL, NULL, after, 0);
	char *c = out_of(NULL, NULL, mixed, 0);
	json_t *ja = search_json(a), *jb = search_json(b), *jc = search_json(c);

	(void)state;
	assert_int_equal(json_array_size(json_object_get(ja, "hits")), 2);
	assert_json_equal(ja, jb);
	assert_json_equal(ja, jc);
	json_decref(ja);
	json_decref(jb);
	json_decref(jc);
	free(a);
	free(b);
	free(c);
}

static void test_short_and_long_count(void **state)
{
	const char *s[] = {"--db", db, "-c", "migration", NULL};
	const char *l[] = {"--db", db, "migration", "--count", NULL};
	char *a = out_of(NULL, NULL, s, 0), *b = out_of(NULL, NULL, l, 0);

	(void)state;
	assert_string_equal(a, b);
	assert_true(atoi(a) > 0);
	free(a);
	free(b);
}

static void test_double_dash(void **state)
{
	const char *with[] = {"--db", db, "--count", "--", "-kind:note", "xen", NULL};
	const char *without[] = {"--db", db, "--count", "-kind:note", "xen", NULL};
	const char *all[] = {"--db", db, "--count", "xen", NULL};
	struct tu_run r;
	char *a = out_of(NULL, NULL, with, 0), *b = out_of(NULL, NULL, all, 0);

	(void)state;
	/* After "--", "-kind:note" is the query's exclusion, which removes hits. */
	assert_true(atoi(a) > 0 && atoi(a) < atoi(b));
	/* Without it, an option. */
	run(&r, NULL, NULL, without);
	assert_int_equal(r.status, 2);
	assert_string_equal(r.err, "minutes-search: unknown option '-k'\n"
				   "Try 'minutes-search --help' for more information.\n");
	tu_run_free(&r);
	free(a);
	free(b);
}

static void test_query_from_stdin(void **state)
{
	const char *args_q[] = {"--db", db, "-f", "json", "speaker:leonardo migration", NULL};
	const char *stdin_q[] = {"--db", db, "-f", "json", "-", NULL};
	const char *list_q[] = {"--db", db, "--list", "speakers", "-", NULL};
	const char *list_a[] = {"--db", db, "--list", "speakers", "migration", NULL};
	const char *mixed[] = {"--db", db, "xen", "-", NULL};
	char *a = out_of(NULL, NULL, args_q, 0);
	char *b = out_of(NULL, "  speaker:leonardo\nmigration\n", stdin_q, 0);
	char *c = out_of(NULL, "migration\n", list_q, 0), *d = out_of(NULL, NULL, list_a, 0);
	json_t *ja = search_json(a), *jb = search_json(b);
	struct tu_run r;

	(void)state;
	/* Lines are joined by spaces: the same query, the same hits. */
	assert_string_equal(json_string_value(json_object_get(jb, "query")),
			    "speaker:leonardo migration");
	assert_json_equal(ja, jb);
	assert_string_equal(c, d);
	run(&r, NULL, "xen", mixed);
	assert_int_equal(r.status, 2);
	assert_string_equal(r.err, "minutes-search: '-' (read the query from standard input) "
				   "must be the only QUERY argument\n");
	tu_run_free(&r);
	json_decref(ja);
	json_decref(jb);
	free(a);
	free(b);
	free(c);
	free(d);
}

/* ---- the config file ------------------------------------------------------------ */

/* Makes dir/NAME/minutes/config.json with text; returns "XDG_CONFIG_HOME=dir/NAME". */
static char *config_home(const char *name, const char *text)
{
	struct mn_buf b = MN_BUF_INIT;
	char *home = tu_path(dir, name), *sub, *file;

	mn_buf_addf(&b, "mkdir -p '%s/minutes'", home);
	assert_int_equal(system(mn_buf_str(&b)), 0);
	sub = tu_path(home, "minutes");
	file = tu_path(sub, "config.json");
	tu_write_file(file, text);
	mn_buf_reset(&b);
	mn_buf_addf(&b, "XDG_CONFIG_HOME=%s", home);
	free(home);
	free(sub);
	free(file);
	return mn_buf_detach(&b);
}

static void test_config_index(void **state)
{
	struct mn_buf text = MN_BUF_INIT, env_db = MN_BUF_INIT;
	char *home;
	const char *env[3] = {NULL, NULL, NULL};
	const char *plain[] = {"-c", "migration", NULL};
	const char *flag[] = {"-c", "--db", "/nonexistent/flag.db", "migration", NULL};
	const char *none[] = {"--no-config", "-c", "migration", NULL};
	struct tu_run r;
	char *out;

	(void)state;
	/* A relative "index" is taken from the config file's folder. */
	mn_buf_addf(&text, "{\n  \"index\": \"../../corpus.db\"\n}\n");
	home = config_home("cfg-index", mn_buf_str(&text));
	env[0] = home;
	out = out_of(env, NULL, plain, 0);
	assert_true(atoi(out) > 0);
	free(out);

	/* --db wins over the config. */
	run(&r, env, NULL, flag);
	assert_int_equal(r.status, 2);
	assert_string_equal(r.err, "minutes-search: no index at '/nonexistent/flag.db' (build one "
				   "with 'minutes-index PATH...')\n");
	tu_run_free(&r);

	/* $MINUTES_DB wins over the config too (it is set for one command). */
	mn_buf_addf(&env_db, "MINUTES_DB=/nonexistent/env.db");
	env[1] = mn_buf_str(&env_db);
	run(&r, env, NULL, plain);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "'/nonexistent/env.db'"));
	tu_run_free(&r);
	env[1] = "XDG_DATA_HOME=/nonexistent/data";

	/* --no-config: the default under XDG_DATA_HOME, which has no index. */
	run(&r, env, NULL, none);
	assert_int_equal(r.status, 2);
	assert_string_equal(r.err,
			    "minutes-search: no index at '/nonexistent/data/minutes/index.db' "
			    "(build one with 'minutes-index PATH...')\n");
	tu_run_free(&r);
	free(home);
	mn_buf_release(&text);
	mn_buf_release(&env_db);
}

static void test_config_file_option(void **state)
{
	struct mn_buf text = MN_BUF_INIT, want = MN_BUF_INIT;
	char *file = tu_path(dir, "explicit.json"), *missing = tu_path(dir, "missing.json");
	const char *args[] = {"--config", file, "-c", "migration", NULL};
	const char *args_missing[] = {"--config", missing, "-c", "migration", NULL};
	struct tu_run r;
	char *out;

	(void)state;
	mn_buf_addf(&text, "{\"index\": \"%s\"}", db);
	tu_write_file(file, mn_buf_str(&text));
	out = out_of(NULL, NULL, args, 0);
	assert_true(atoi(out) > 0);
	free(out);
	run(&r, NULL, NULL, args_missing);
	assert_int_equal(r.status, 2);
	mn_buf_addf(&want, "minutes-search: no config file '%s'\n", missing);
	assert_string_equal(r.err, mn_buf_str(&want));
	tu_run_free(&r);
	free(file);
	free(missing);
	mn_buf_release(&text);
	mn_buf_release(&want);
}

static void test_config_facets(void **state)
{
	char *home = config_home("cfg-facets", "{\"facets\": [\"kind\", \"year\"]}");
	const char *env[] = {home, NULL};
	const char *bare[] = {"--db", db, "-f", "json", "--facets", "migration", NULL};
	const char *listed[] = {"--db", db, "-f", "json", "--facets=org", "migration", NULL};
	const char *none[] = {"--db",	     db,	 "-f",	      "json",
			      "--no-config", "--facets", "migration", NULL};
	char *a = out_of(env, NULL, bare, 0), *b = out_of(env, NULL, listed, 0);
	char *c = out_of(env, NULL, none, 0);
	json_t *ja = tu_json(a), *jb = tu_json(b), *jc = tu_json(c);
	json_t *fa = json_object_get(ja, "facets");
	void *it = json_object_iter(fa);

	(void)state;
	/* The config's facets, in its order, for a bare --facets. */
	assert_string_equal(json_object_iter_key(it), "kind");
	it = json_object_iter_next(fa, it);
	assert_string_equal(json_object_iter_key(it), "year");
	assert_null(json_object_iter_next(fa, it));
	/* A list on the command line wins. */
	assert_int_equal(json_object_size(json_object_get(jb, "facets")), 1);
	assert_non_null(json_object_get(json_object_get(jb, "facets"), "org"));
	/* Without the config, the six defaults. */
	assert_int_equal(json_object_size(json_object_get(jc, "facets")), 6);
	json_decref(ja);
	json_decref(jb);
	json_decref(jc);
	free(a);
	free(b);
	free(c);
	free(home);
}

static void test_broken_config(void **state)
{
	char *home =
	    config_home("cfg-broken", "{\n  \"index\": \"x.db\",\n  \"facets\": [\"kind\"\n}\n");
	const char *env[] = {home, NULL};
	const char *args[] = {"--db", db, "migration", NULL};
	const char *skip[] = {"--db", db, "--no-config", "-c", "migration", NULL};
	struct mn_buf want = MN_BUF_INIT;
	struct tu_run r;
	char *out;

	(void)state;
	run(&r, env, NULL, args);
	assert_int_equal(r.status, 2);
	mn_buf_addf(&want,
		    "minutes-search: bad config '%s/minutes/config.json' at line 4, column 1: "
		    "']' expected near '}'\n",
		    home + strlen("XDG_CONFIG_HOME="));
	assert_string_equal(r.err, mn_buf_str(&want));
	assert_string_equal(r.out, "");
	tu_run_free(&r);
	/* --no-config gets past it. */
	out = out_of(env, NULL, skip, 0);
	assert_true(atoi(out) > 0);
	free(out);
	mn_buf_release(&want);
	free(home);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_list_kinds),
	    cmocka_unit_test(test_list_exact_counts),
	    cmocka_unit_test(test_list_one_value_per_name),
	    cmocka_unit_test(test_list_of_query),
	    cmocka_unit_test(test_list_errors),
	    cmocka_unit_test(test_version),
	    cmocka_unit_test(test_options_in_any_order),
	    cmocka_unit_test(test_short_and_long_count),
	    cmocka_unit_test(test_double_dash),
	    cmocka_unit_test(test_query_from_stdin),
	    cmocka_unit_test(test_config_index),
	    cmocka_unit_test(test_config_file_option),
	    cmocka_unit_test(test_config_facets),
	    cmocka_unit_test(test_broken_config),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
