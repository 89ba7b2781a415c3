/*
 * End-to-end tests: index corpus/ with the real minutes-index into a
 * temporary index, run minutes-search, and check what they print.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mn_store.h"

#define LEG "corpus/000_ef34be2ffa71a066.txt"
#define XEN "corpus/002_eee8200ce5b8e499.txt"

static char *dir, *db;

static void index_corpus(void)
{
	const char *argv[] = { MN_INDEX_BIN, "--db", db, "corpus", NULL };
	struct tu_run r;

	tu_run(&r, NULL, NULL, argv);
	if (r.status != 0)
		fail_msg("minutes-index failed (%d): %s", r.status, r.err);
	assert_non_null(strstr(r.out, "5 new, 0 changed, 0 removed, 0 unchanged; 0 skipped"));
	tu_run_free(&r);
}

static int setup(void **state)
{
	(void)state;
	dir = tu_tmpdir();
	db = tu_path(dir, "index.db");
	index_corpus();
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

/* Runs minutes-search --db db with extra arguments; returns its run. */
static void search(struct tu_run *r, const char *const *args)
{
	const char *argv[32] = { MN_SEARCH_BIN, "--db", db };
	size_t n = 3;

	while (*args && n < 31)
		argv[n++] = *args++;
	argv[n] = NULL;
	tu_run(r, NULL, NULL, argv);
}

/* Runs a JSON search and returns the parsed output, checking the exit status. */
static json_t *search_json(const char *query, int want_status)
{
	const char *args[] = { "--format", "json", "--limit", "100", query, NULL };
	struct tu_run r;
	json_t *j;

	search(&r, args);
	if (r.status != want_status)
		fail_msg("'%s' exited %d, want %d: %s", query, r.status, want_status, r.err);
	j = tu_json(r.out);
	tu_run_free(&r);
	return j;
}

/* The hit at path and line, or NULL. */
static json_t *find_hit(json_t *result, const char *path, int line)
{
	json_t *hits = json_object_get(result, "hits"), *h;
	size_t i;

	json_array_foreach(hits, i, h) {
		if (!strcmp(json_string_value(json_object_get(h, "path")), path) &&
		    json_integer_value(json_object_get(h, "line")) == line)
			return h;
	}
	return NULL;
}

static json_int_t total_of(json_t *result)
{
	return json_integer_value(json_object_get(result, "total"));
}

static void test_index_is_sound(void **state)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = NULL;
	struct mn_store_counts counts;

	(void)state;
	/* FTS5's integrity-check is an INSERT: it needs a writable connection. */
	assert_int_equal(mn_store_open(&store, db, MN_STORE_WRITE, NULL, &err), MN_OK);
	assert_int_equal(mn_store_check(store, &err), MN_OK);
	assert_int_equal(mn_store_counts(store, &counts, &err), MN_OK);
	assert_int_equal(counts.meetings, 5);
	assert_true(counts.passages > 200);
	mn_store_close(store);
}

static void test_migration_finds_the_bullet(void **state)
{
	json_t *j = search_json("migration", 0), *h, *hl;
	size_t i;

	(void)state;
	assert_int_equal(json_integer_value(json_object_get(j, "format_version")), 1);
	assert_string_equal(json_string_value(json_object_get(j, "query")), "migration");
	assert_true(total_of(j) >= 4);
	h = find_hit(j, LEG, 139);
	assert_non_null(h);
	assert_int_equal(json_integer_value(json_object_get(h, "end_line")), 139);
	assert_string_equal(json_string_value(json_object_get(h, "snippet")), "Migration Support");
	hl = json_object_get(h, "highlights");
	assert_int_equal(json_array_size(hl), 1);
	assert_int_equal(json_integer_value(json_array_get(json_array_get(hl, 0), 0)), 0);
	assert_int_equal(json_integer_value(json_array_get(json_array_get(hl, 0), 1)), 9);
	assert_string_equal(json_string_value(json_object_get(h, "topic")), "Xen update");
	assert_string_equal(
		json_string_value(json_object_get(json_object_get(h, "meeting"), "title")),
		"SFO17 LEG SC Meeting Agenda/Minutes");
	assert_string_equal(
		json_string_value(json_object_get(json_object_get(h, "meeting"), "date")),
		"2017-09-26");
	assert_true(json_real_value(json_object_get(h, "score")) > 0);
	/* Paths stay as given: relative. */
	json_array_foreach(json_object_get(j, "hits"), i, h)
		assert_true(!strncmp(json_string_value(json_object_get(h, "path")), "corpus/", 7));
	json_decref(j);
}

static void test_stemmed_forms_agree(void **state)
{
	static const char *const forms[] = { "migrations", "migrated", "migrating", "Migration" };
	json_t *base = search_json("migration", 0);
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(forms) / sizeof(*forms); i++) {
		json_t *j = search_json(forms[i], 0);

		assert_int_equal(total_of(j), total_of(base));
		json_decref(j);
	}
	json_decref(base);
}

static void test_backports_finds_jan(void **state)
{
	json_t *j = search_json("backports", 0), *h;
	const char *snippet;
	size_t start, end;

	(void)state;
	h = find_hit(j, XEN, 50);
	assert_non_null(h);
	assert_string_equal(json_string_value(json_object_get(h, "speaker_label")), "Jan");
	assert_string_equal(json_string_value(json_object_get(h, "kind")), "utterance");
	/* The highlight covers a form of the word in the snippet. */
	snippet = json_string_value(json_object_get(h, "snippet"));
	start = (size_t)json_integer_value(json_array_get(json_array_get(json_object_get(h, "highlights"), 0), 0));
	end = (size_t)json_integer_value(json_array_get(json_array_get(json_object_get(h, "highlights"), 0), 1));
	assert_true(end > start && end <= strlen(snippet));
	assert_true(!strncmp(snippet + start, "back-ports", end - start) ||
		    !strncmp(snippet + start, "backport", 8));
	/* The match is on a later line of the wrapped utterance. */
	assert_int_equal(json_integer_value(json_object_get(h, "match_line")), 52);
	json_decref(j);
}

static void test_phrase_prefix_exclusion(void **state)
{
	json_t *all, *phrase, *without, *prefix;

	(void)state;
	all = search_json("migration", 0);
	phrase = search_json("\"dead migration\"", 0);
	assert_non_null(find_hit(phrase, LEG, 141));
	assert_null(find_hit(phrase, LEG, 139));
	without = search_json("migration -dead", 0);
	assert_null(find_hit(without, LEG, 141));
	assert_non_null(find_hit(without, LEG, 139));
	assert_int_equal(total_of(without) + total_of(phrase), total_of(all));
	prefix = search_json("backport*", 0);
	assert_non_null(find_hit(prefix, XEN, 50));
	json_decref(all);
	json_decref(phrase);
	json_decref(without);
	json_decref(prefix);
}

static void test_no_hits(void **state)
{
	json_t *j = search_json("zzqqxxnothing", 1);

	(void)state;
	assert_int_equal(total_of(j), 0);
	assert_int_equal(json_array_size(json_object_get(j, "hits")), 0);
	json_decref(j);
}

static void test_awkward_queries(void **state)
{
	static const char *const queries[] = { "don't", "x86-64", "4.12", "C++", "\"", "\"\"",
					       "*", "-", "a:", "NEAR(", "(((", "AND", "O'Brien",
					       "\"unterminated", "speaker:\"x'; DROP TABLE passages" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(queries) / sizeof(*queries); i++) {
		const char *args[] = { "--format", "json", queries[i], NULL };
		struct tu_run r;

		search(&r, args);
		if (r.status == 0 || r.status == 1) {
			json_decref(tu_json(r.out));
		} else {
			assert_int_equal(r.status, 2);
			assert_true(!strncmp(r.err, "minutes-search: ", 16));
		}
		if (strstr(r.err, "fts5") || strstr(r.err, "syntax error") || strstr(r.err, "SQL"))
			fail_msg("'%s' leaked an SQLite error: %s", queries[i], r.err);
		tu_run_free(&r);
	}
	/* The index is intact after all of that. */
	{
		json_t *j = search_json("migration", 0);

		json_decref(j);
	}
}

static void test_bad_query_message(void **state)
{
	const char *args[] = { "speker:jan", NULL };
	struct tu_run r;

	(void)state;
	search(&r, args);
	assert_int_equal(r.status, 2);
	assert_string_equal(r.err, "minutes-search: unknown field 'speker' at column 1 "
				   "(did you mean 'speaker'?)\n");
	assert_string_equal(r.out, "");
	tu_run_free(&r);
}

static void test_missing_index(void **state)
{
	char *missing = tu_path(dir, "nope/none.db");
	const char *argv[] = { MN_SEARCH_BIN, "--db", missing, "migration", NULL };
	struct tu_run r;
	char want[512];

	(void)state;
	tu_run(&r, NULL, NULL, argv);
	assert_int_equal(r.status, 2);
	snprintf(want, sizeof(want),
		 "minutes-search: no index at '%s' (build one with 'minutes-index PATH...')\n",
		 missing);
	assert_string_equal(r.err, want);
	tu_run_free(&r);
	free(missing);
}

static void test_text_format(void **state)
{
	const char *plain[] = { "--format", "text", "\"Migration Support\"", NULL };
	const char *colored[] = { "--format", "text", "--color", "always", "migration", NULL };
	struct tu_run r;

	(void)state;
	search(&r, plain);
	assert_int_equal(r.status, 0);
	/* Each hit starts with path:line at the start of a line. */
	assert_true(!strncmp(r.out, LEG ":", strlen(LEG ":")));
	{
		static const char block[] = LEG ":139\n  SFO17 LEG SC Meeting Agenda/Minutes "
					    "\xc2\xb7 2017-09-26 \xc2\xb7 Xen update\n"
					    "  Migration Support\n";
		const char *at = strstr(r.out, block);

		assert_non_null(at);
		assert_true(at == r.out || at[-1] == '\n');
	}
	assert_null(strchr(r.out, '\x1b'));
	tu_run_free(&r);

	search(&r, colored);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\x1b[1;31mMigration\x1b[0m"));
	tu_run_free(&r);
}

static void test_default_format_off_terminal_is_json(void **state)
{
	const char *args[] = { "migration", NULL };
	struct tu_run r;

	(void)state;
	search(&r, args);
	assert_int_equal(r.status, 0);
	json_decref(tu_json(r.out));
	tu_run_free(&r);
}

static void test_jsonl_and_vimgrep(void **state)
{
	const char *jsonl[] = { "--format", "jsonl", "migration", NULL };
	const char *vimgrep[] = { "--format", "vimgrep", "\"Migration Support\"", NULL };
	struct tu_run r;
	char *line, *save = NULL;
	int hits = 0, summaries = 0;

	(void)state;
	search(&r, jsonl);
	assert_int_equal(r.status, 0);
	for (line = strtok_r(r.out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_t *j = tu_json(line);
		const char *type = json_string_value(json_object_get(j, "type"));

		assert_non_null(type);
		if (!strcmp(type, "hit")) {
			assert_int_equal(summaries, 0);
			hits++;
		} else {
			assert_string_equal(type, "summary");
			assert_int_equal(json_integer_value(json_object_get(j, "total")), hits);
			summaries++;
		}
		json_decref(j);
	}
	assert_true(hits >= 4);
	assert_int_equal(summaries, 1);
	tu_run_free(&r);

	search(&r, vimgrep);
	assert_int_equal(r.status, 0);
	/* "  • Migration Support": the bullet is three bytes. */
	assert_non_null(strstr(r.out, LEG ":139:7:Migration Support\n"));
	tu_run_free(&r);
}

static void test_paging_and_count(void **state)
{
	const char *page1[] = { "-n", "2", "migration", NULL };
	const char *page2[] = { "-n", "2", "--offset", "2", "migration", NULL };
	const char *count[] = { "--count", "migration", NULL };
	struct tu_run r1, r2, rc;
	json_t *a, *b, *all = search_json("migration", 0);

	(void)state;
	search(&r1, page1);
	search(&r2, page2);
	a = tu_json(r1.out);
	b = tu_json(r2.out);
	assert_int_equal(json_array_size(json_object_get(a, "hits")), 2);
	assert_int_equal(json_integer_value(json_object_get(b, "offset")), 2);
	assert_int_equal(total_of(a), total_of(all));
	assert_true(json_equal(json_array_get(json_object_get(b, "hits"), 0),
			       json_array_get(json_object_get(all, "hits"), 2)));
	search(&rc, count);
	assert_int_equal(rc.status, 0);
	assert_int_equal(strtoll(rc.out, NULL, 10), total_of(all));
	json_decref(a);
	json_decref(b);
	json_decref(all);
	tu_run_free(&r1);
	tu_run_free(&r2);
	tu_run_free(&rc);
}

static void test_sort_by_date(void **state)
{
	const char *args[] = { "--sort", "date", "--limit", "100", "--format", "json", "Linaro", NULL };
	struct tu_run r;
	json_t *j, *h;
	const char *prev = "";
	size_t i;

	(void)state;
	search(&r, args);
	assert_int_equal(r.status, 0);
	j = tu_json(r.out);
	json_array_foreach(json_object_get(j, "hits"), i, h) {
		const char *d = json_string_value(json_object_get(json_object_get(h, "meeting"), "date"));

		assert_non_null(d);
		assert_true(strcmp(prev, d) <= 0);
		prev = d;
	}
	json_decref(j);
	tu_run_free(&r);
}

static void test_default_index_location(void **state)
{
	char *home = tu_path(dir, "home");
	struct mn_buf data = MN_BUF_INIT, homevar = MN_BUF_INIT;
	const char *env[3];
	const char *index_argv[] = { MN_INDEX_BIN, "corpus", NULL };
	const char *search_argv[] = { MN_SEARCH_BIN, "--count", "migration", NULL };
	struct tu_run r;
	struct stat st;
	char *expect;

	(void)state;
	mn_buf_addf(&homevar, "HOME=%s", home);
	mn_buf_addf(&data, "XDG_DATA_HOME=%s/xdg", home);
	env[0] = mn_buf_str(&homevar);
	env[1] = mn_buf_str(&data);
	env[2] = NULL;
	tu_run(&r, NULL, env, index_argv);
	assert_int_equal(r.status, 0);
	tu_run_free(&r);
	expect = tu_path(home, "xdg/minutes/index.db");
	assert_int_equal(stat(expect, &st), 0);
	tu_run(&r, NULL, env, search_argv);
	assert_int_equal(r.status, 0);
	assert_true(strtoll(r.out, NULL, 10) >= 4);
	tu_run_free(&r);
	free(expect);

	/* Without XDG_DATA_HOME: under HOME. */
	env[1] = NULL;
	tu_run(&r, NULL, env, index_argv);
	assert_int_equal(r.status, 0);
	tu_run_free(&r);
	expect = tu_path(home, ".local/share/minutes/index.db");
	assert_int_equal(stat(expect, &st), 0);
	free(expect);
	mn_buf_release(&data);
	mn_buf_release(&homevar);
	free(home);
}

static void test_skipped_and_ignored_files(void **state)
{
	char *folder = tu_path(dir, "mixed");
	char *bin = tu_path(folder, "binary.txt");
	char *pdf = tu_path(folder, "slides.pdf");
	char *good = tu_path(folder, "good.md");
	char *db2 = tu_path(dir, "mixed.db");
	const char *argv[] = { MN_INDEX_BIN, "--db", db2, folder, NULL };
	struct tu_run r;
	char want[512];
	FILE *f;

	(void)state;
	mkdir(folder, 0777);
	tu_write_file(good, "# Good\n\n- fine\n");
	tu_write_file(pdf, "%PDF-1.4");
	f = fopen(bin, "wb");
	assert_non_null(f);
	fwrite("abc\0def", 1, 7, f);
	fclose(f);
	tu_run(&r, NULL, NULL, argv);
	assert_int_equal(r.status, 1);
	snprintf(want, sizeof(want), "minutes-index: skipping '%s': binary file\n", bin);
	assert_string_equal(r.err, want);
	assert_non_null(strstr(r.out, "1 new, 0 changed, 0 removed, 0 unchanged; 1 skipped (1 binary), 1 ignored"));
	tu_run_free(&r);
	free(folder);
	free(bin);
	free(pdf);
	free(good);
	free(db2);
}

static void test_usage_errors(void **state)
{
	const char *no_path[] = { MN_INDEX_BIN, NULL };
	const char *bad_lang[] = { MN_INDEX_BIN, "--db", "/tmp/minutes-never.db", "--language",
				   "klingon", "corpus", NULL };
	const char *no_query[] = { MN_SEARCH_BIN, NULL };
	const char *bad_format[] = { MN_SEARCH_BIN, "--format", "xml", "x", NULL };
	const char *help[] = { MN_SEARCH_BIN, "--help", NULL };
	struct tu_run r;

	(void)state;
	{
		/* Not the machine's own default index. */
		struct mn_buf home = MN_BUF_INIT;
		const char *env[] = { NULL, "XDG_DATA_HOME=", NULL };

		mn_buf_addf(&home, "HOME=%s/nohome", dir);
		env[0] = mn_buf_str(&home);
		tu_run(&r, NULL, env, no_path);
		mn_buf_release(&home);
	}
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "minutes-index: no PATH given"));
	tu_run_free(&r);
	tu_run(&r, NULL, NULL, bad_lang);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "minutes-index: unknown stemming language 'klingon'"));
	tu_run_free(&r);
	tu_run(&r, NULL, NULL, no_query);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "minutes-search: no QUERY given"));
	tu_run_free(&r);
	tu_run(&r, NULL, NULL, bad_format);
	assert_int_equal(r.status, 2);
	assert_string_equal(r.err, "minutes-search: unknown format 'xml' (use text, json, jsonl "
				   "or vimgrep)\n");
	tu_run_free(&r);
	tu_run(&r, NULL, NULL, help);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "usage: minutes-search"));
	tu_run_free(&r);
}

static void test_parse_mode(void **state)
{
	const char *argv[] = { MN_INDEX_BIN, "--parse", "--format", "jsonl", LEG, XEN, NULL };
	struct tu_run r;
	char *line, *save = NULL;
	int n = 0;

	(void)state;
	tu_run(&r, NULL, NULL, argv);
	assert_int_equal(r.status, 0);
	for (line = strtok_r(r.out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_t *j = tu_json(line);

		assert_non_null(json_object_get(j, "title"));
		assert_true(json_array_size(json_object_get(j, "passages")) > 10);
		json_decref(j);
		n++;
	}
	assert_int_equal(n, 2);
	tu_run_free(&r);
}

static void test_reindex_replaces(void **state)
{
	const char *argv[] = { MN_INDEX_BIN, "--db", db, "corpus", NULL };
	struct tu_run r;
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = NULL;
	struct mn_store_counts counts;

	(void)state;
	tu_run(&r, NULL, NULL, argv);
	assert_int_equal(r.status, 0);
	/* Nothing changed: nothing is indexed again. */
	assert_non_null(strstr(r.out, "0 new, 0 changed, 0 removed, 5 unchanged"));
	tu_run_free(&r);
	assert_int_equal(mn_store_open(&store, db, MN_STORE_WRITE, NULL, &err), MN_OK);
	assert_int_equal(mn_store_counts(store, &counts, &err), MN_OK);
	assert_int_equal(counts.meetings, 5);
	assert_int_equal(mn_store_check(store, &err), MN_OK);
	mn_store_close(store);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_is_sound),
		cmocka_unit_test(test_migration_finds_the_bullet),
		cmocka_unit_test(test_stemmed_forms_agree),
		cmocka_unit_test(test_backports_finds_jan),
		cmocka_unit_test(test_phrase_prefix_exclusion),
		cmocka_unit_test(test_no_hits),
		cmocka_unit_test(test_awkward_queries),
		cmocka_unit_test(test_bad_query_message),
		cmocka_unit_test(test_missing_index),
		cmocka_unit_test(test_text_format),
		cmocka_unit_test(test_default_format_off_terminal_is_json),
		cmocka_unit_test(test_jsonl_and_vimgrep),
		cmocka_unit_test(test_paging_and_count),
		cmocka_unit_test(test_sort_by_date),
		cmocka_unit_test(test_default_index_location),
		cmocka_unit_test(test_skipped_and_ignored_files),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_parse_mode),
		cmocka_unit_test(test_reindex_replaces),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
