/*
 * minutes-index as a user runs it: the config file (index, language,
 * folders, people) with its precedence and errors, the people alias file
 * (merged speakers, indexing again when the file changes, errors before
 * anything is written), and the progress line on a terminal (drawn in
 * place, erased before other output, absent in a pipe). Each test runs the
 * real programs in a scratch folder; the progress ones in a
 * pseudo-terminal.
 */
#include "robust.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "mn_index.h"

#define PEOPLE_FIXTURES MN_FIXTURES "/people"
#define MARCH5		"minutes/2024-03-05.md"
#define MARCH12		"minutes/2024-03-12.md"

/* Fills argv (64 slots) with minutes-index and the NULL-terminated arguments of ap. */
static void index_argv(const char **argv, va_list ap)
{
	size_t n = 0;
	const char *a;

	argv[n++] = MN_INDEX_BIN;
	while ((a = va_arg(ap, const char *)) != NULL && n < 63)
		argv[n++] = a;
	argv[n] = NULL;
}

/* Runs minutes-index with the NULL-terminated arguments in rb_dir, env added (may be NULL). */
static void ix(struct tu_run *r, const char *const *env, ...)
{
	const char *argv[64];
	va_list ap;

	va_start(ap, env);
	index_argv(argv, ap);
	va_end(ap);
	tu_run(r, rb_dir, env, argv);
	if (r->status >= 126)
		fail_msg("minutes-index died (%d): %s", r->status, r->err);
}

/* As ix, in a pseudo-terminal cols wide: r->out has both streams. */
static void ix_pty(struct tu_run *r, int cols, const char *const *env, ...)
{
	const char *argv[64];
	va_list ap;

	va_start(ap, env);
	index_argv(argv, ap);
	va_end(ap);
	tu_run_pty(r, rb_dir, env, argv, cols);
	if (r->status >= 126)
		fail_msg("minutes-index died (%d): %s", r->status, r->out);
}

static void expect_status(const struct tu_run *r, int status)
{
	if (r->status != status)
		fail_msg("exit %d, want %d\nstdout: %s\nstderr: %s", r->status, status, r->out,
			 r->err);
}

static void expect_in(const char *text, const char *want)
{
	if (!strstr(text, want))
		fail_msg("want '%s' in:\n%s", want, text);
}

static void expect_not_in(const char *text, const char *unwanted)
{
	if (strstr(text, unwanted))
		fail_msg("do not want '%s' in:\n%s", unwanted, text);
}

static void rb_puts(const char *name, const char *text)
{
	rb_write(name, text, strlen(text));
}

/*
 * Sets the mtime of every file in rb_dir/dir to an hour ago: a file
 * modified in the last seconds is read again by the next run (it may change
 * again within its mtime's tick), which would hide what is tested.
 */
static void age_files(const char *dir)
{
	char *path = rb_path(dir);
	struct mn_buf cmd = MN_BUF_INIT;

	mn_buf_addf(&cmd, "find '%s' -type f -exec touch -d '1 hour ago' {} +", path);
	assert_int_equal(system(mn_buf_str(&cmd)), 0);
	mn_buf_release(&cmd);
	free(path);
}

/* Copies tests/fixtures/people/NAME to rb_dir/to. */
static void copy_fixture(const char *name, const char *to)
{
	struct mn_err err = MN_ERR_INIT;
	char *path = tu_path(PEOPLE_FIXTURES, name), *data;
	size_t len;

	assert_int_equal(mn_read_file(path, 1 << 20, &data, &len, &err), MN_OK);
	rb_write(to, data, len);
	free(data);
	free(path);
}

/* The meetings of the people fixtures, in rb_dir/minutes. */
static void copy_minutes(void)
{
	copy_fixture("2024-03-05.md", MARCH5);
	copy_fixture("2024-03-12.md", MARCH12);
}

/* Writes rb_dir/cfg/minutes/config.json; returns "XDG_CONFIG_HOME=rb_dir/cfg" (caller frees). */
static char *config_env(const char *text)
{
	struct mn_buf b = MN_BUF_INIT;

	rb_puts("cfg/minutes/config.json", text);
	mn_buf_addf(&b, "XDG_CONFIG_HOME=%s/cfg", rb_dir);
	return mn_buf_detach(&b);
}

/*
 * minutes-search --db db with args; returns stdout (caller frees), failing
 * unless it exits want (-1: 0 or 1, hits or none).
 */
static char *search(const char *db, int want, const char *a1, const char *a2, const char *a3)
{
	const char *argv[] = {MN_SEARCH_BIN, "--db", db, a1, a2, a3, NULL};
	struct tu_run r;
	char *out;

	tu_run(&r, rb_dir, NULL, argv);
	if (want < 0 ? r.status > 1 : r.status != want)
		fail_msg("minutes-search exit %d, want %d: %s", r.status, want, r.err);
	out = r.out;
	r.out = NULL;
	tu_run_free(&r);
	return out;
}

/* The total of a query in db. */
static long count_in(const char *db, const char *query)
{
	char *out = search(db, -1, "-c", query, NULL);
	long n = atol(out);

	free(out);
	return n;
}

static char *language_of(const char *db)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = NULL;
	char *lang;

	if (mn_store_open(&store, db, MN_STORE_READ, NULL, &err))
		fail_msg("%s", err.msg);
	lang = mn_xstrdup(mn_store_language(store));
	mn_store_close(store);
	return lang;
}

/* ---- the config file ------------------------------------------------------------ */

/* -V and --version, as minutes-search has them. */
static void test_version(void **state)
{
	static const char *const forms[] = {"-V", "--version"};
	struct tu_run r;
	char want[64];
	size_t i;

	(void)state;
	snprintf(want, sizeof(want), "minutes-index %s\n", MN_VERSION);
	for (i = 0; i < 2; i++) {
		ix(&r, NULL, forms[i], NULL);
		assert_int_equal(r.status, 0);
		assert_string_equal(r.out, want);
		tu_run_free(&r);
	}
}

static void test_config_index(void **state)
{
	char *env_cfg, *from_cfg = rb_path("cfg/minutes/data/from-config.db");
	char *env_db = rb_path("env.db"), *flag_db = rb_path("flag.db");
	struct mn_buf minutes_db = MN_BUF_INIT, data_home = MN_BUF_INIT, want = MN_BUF_INIT;
	const char *env[4] = {NULL};
	struct tu_run r;
	char *dflt = rb_path("data/minutes/index.db");

	(void)state;
	rb_copy_corpus();
	/* Relative to the config file's folder. */
	env_cfg = config_env("{\"index\": \"data/from-config.db\"}");
	env[0] = env_cfg;
	ix(&r, env, "corpus", NULL);
	expect_status(&r, 0);
	mn_buf_addf(&want, "index '%s' holds 5 meetings", from_cfg);
	expect_in(r.out, mn_buf_str(&want));
	tu_run_free(&r);
	assert_int_equal(access(from_cfg, F_OK), 0);
	/* --check finds it there too. */
	ix(&r, env, "--check", NULL);
	expect_status(&r, 0);
	mn_buf_reset(&want);
	mn_buf_addf(&want, "index '%s' is sound: 5 meetings", from_cfg);
	expect_in(r.out, mn_buf_str(&want));
	tu_run_free(&r);

	/* $MINUTES_DB wins over the file. */
	mn_buf_addf(&minutes_db, "MINUTES_DB=%s", env_db);
	env[1] = mn_buf_str(&minutes_db);
	ix(&r, env, "-q", "corpus", NULL);
	expect_status(&r, 0);
	tu_run_free(&r);
	assert_int_equal(access(env_db, F_OK), 0);
	/* --db wins over both. */
	ix(&r, env, "-q", "--db", flag_db, "corpus", NULL);
	expect_status(&r, 0);
	tu_run_free(&r);
	assert_int_equal(access(flag_db, F_OK), 0);
	/* --no-config: the default place. */
	mn_buf_addf(&data_home, "XDG_DATA_HOME=%s/data", rb_dir);
	env[1] = mn_buf_str(&data_home);
	ix(&r, env, "-q", "--no-config", "corpus", NULL);
	expect_status(&r, 0);
	tu_run_free(&r);
	assert_int_equal(access(dflt, F_OK), 0);
	assert_true(rb_passages(from_cfg) == rb_passages(dflt));

	free(env_cfg);
	free(from_cfg);
	free(env_db);
	free(flag_db);
	free(dflt);
	mn_buf_release(&minutes_db);
	mn_buf_release(&data_home);
	mn_buf_release(&want);
}

static void test_config_file_option(void **state)
{
	char *file = rb_path("other.json"), *db = rb_path("other.db");
	struct mn_buf text = MN_BUF_INIT;
	struct tu_run r;

	(void)state;
	rb_copy_corpus();
	mn_buf_addf(&text, "{\"index\": \"%s\", \"language\": \"dutch\"}", db);
	tu_write_file(file, mn_buf_str(&text));
	ix(&r, NULL, "-q", "--config", file, "corpus", NULL);
	expect_status(&r, 0);
	tu_run_free(&r);
	{
		char *lang = language_of(db);

		assert_string_equal(lang, "dutch");
		free(lang);
	}
	free(file);
	free(db);
	mn_buf_release(&text);
}

static void test_config_language(void **state)
{
	char *env_cfg = config_env("{\"language\": \"german\"}"), *lang;
	char *db2 = rb_path("french.db");
	const char *env[] = {env_cfg, NULL};
	struct tu_run r;

	(void)state;
	rb_copy_corpus();
	/* The stemmer of a new index. */
	ix(&r, env, "-q", "--db", rb_db, "corpus", NULL);
	expect_status(&r, 0);
	tu_run_free(&r);
	lang = language_of(rb_db);
	assert_string_equal(lang, "german");
	free(lang);
	/* --language wins. */
	ix(&r, env, "-q", "--db", db2, "--language", "french", "corpus", NULL);
	expect_status(&r, 0);
	tu_run_free(&r);
	lang = language_of(db2);
	assert_string_equal(lang, "french");
	free(lang);
	/* An existing index keeps its own. */
	free(env_cfg);
	env_cfg = config_env("{\"language\": \"english\"}");
	env[0] = env_cfg;
	rb_puts("corpus/new.md", "# New\n\n- Besprechungen\n");
	ix(&r, env, "-q", "--db", rb_db, "corpus", NULL);
	expect_status(&r, 0);
	tu_run_free(&r);
	lang = language_of(rb_db);
	assert_string_equal(lang, "german");
	free(lang);
	free(env_cfg);
	free(db2);
}

static void test_config_folders(void **state)
{
	struct mn_buf text = MN_BUF_INIT, want = MN_BUF_INIT;
	char *env_cfg;
	const char *env[2] = {NULL};
	struct tu_run r;

	(void)state;
	rb_copy_corpus();
	rb_puts("notes/a.md", "# Notes\n\n- the pangolin plan\n");
	rb_puts("other/b.md", "# Other\n\n- the axolotl plan\n");
	mn_buf_addf(&text, "{\"index\": \"%s\", \"folders\": [\"%s/corpus\", \"%s/notes\"]}", rb_db,
		    rb_dir, rb_dir);
	env_cfg = config_env(mn_buf_str(&text));
	env[0] = env_cfg;

	/* No PATH and no index yet: the folders make one. */
	ix(&r, env, NULL);
	expect_status(&r, 0);
	expect_in(r.out, "6 new, 0 changed, 0 removed, 0 unchanged; 0 skipped");
	tu_run_free(&r);
	assert_int_equal(rb_count("pangolin"), 1);
	/* They are not recorded in the index. */
	ix(&r, env, "--no-config", "--db", rb_db, NULL);
	expect_status(&r, 2);
	expect_in(r.err, "records no files or folders to update");
	tu_run_free(&r);

	/* A PATH given: the folders are left alone. */
	rb_puts("notes/c.md", "# More notes\n\n- the quokka plan\n");
	ix(&r, env, "other", NULL);
	expect_status(&r, 0);
	expect_in(r.out, "1 new, 0 changed, 0 removed, 0 unchanged");
	tu_run_free(&r);
	assert_int_equal(rb_count("quokka"), 0);
	/* Without PATH: the recorded roots and the folders. */
	ix(&r, env, NULL);
	expect_status(&r, 0);
	expect_in(r.out, "1 new, 0 changed, 0 removed, 7 unchanged");
	tu_run_free(&r);
	assert_int_equal(rb_count("quokka"), 1);

	/* A folder taken out of the config keeps its files until a rebuild. */
	mn_buf_reset(&text);
	mn_buf_addf(&text, "{\"index\": \"%s\", \"folders\": [\"%s/corpus\", \"%s/gone\"]}", rb_db,
		    rb_dir, rb_dir);
	free(env_cfg);
	env_cfg = config_env(mn_buf_str(&text));
	env[0] = env_cfg;
	ix(&r, env, NULL);
	/* One that does not exist is named, like a missing PATH. */
	expect_status(&r, 1);
	mn_buf_addf(&want, "minutes-index: skipping '%s/gone': No such file or directory\n",
		    rb_dir);
	assert_string_equal(r.err, mn_buf_str(&want));
	expect_in(r.out, "0 new, 0 changed, 0 removed, 6 unchanged; 1 skipped (1 missing)");
	tu_run_free(&r);
	assert_int_equal(rb_count("pangolin"), 1);
	ix(&r, env, "--rebuild", NULL);
	expect_status(&r, 1);
	expect_in(r.out, "6 new, 0 changed, 0 removed, 0 unchanged");
	tu_run_free(&r);
	assert_int_equal(rb_count("pangolin"), 0);
	assert_int_equal(rb_count("axolotl"), 1);
	assert_int_equal(rb_count("migration") > 0, 1);
	rb_assert_sound(rb_db);
	free(env_cfg);
	mn_buf_release(&text);
	mn_buf_release(&want);
}

/* A folder of the config that is a recorded root under another name is walked once. */
static void test_config_folder_already_recorded(void **state)
{
	struct mn_buf text = MN_BUF_INIT;
	char *env_cfg;
	const char *env[2] = {NULL};
	struct tu_run r;

	(void)state;
	rb_copy_corpus();
	ix(&r, NULL, "-q", "--db", rb_db, "corpus", NULL);
	expect_status(&r, 0);
	tu_run_free(&r);
	mn_buf_addf(&text, "{\"folders\": [\"%s/corpus/\"]}", rb_dir);
	env_cfg = config_env(mn_buf_str(&text));
	env[0] = env_cfg;
	ix(&r, env, "--db", rb_db, NULL);
	expect_status(&r, 0);
	expect_in(r.out, "0 new, 0 changed, 0 removed, 5 unchanged; 0 skipped, 0 ignored; "
			 "0 passages");
	expect_in(r.out, "holds 5 meetings");
	tu_run_free(&r);
	free(env_cfg);
	mn_buf_release(&text);
}

static void test_config_errors(void **state)
{
	static const struct {
		const char *text, *rest;
	} bad[] = {
	    {"{\n  \"index\": \"x.db\",\n  \"folders\": [\"a\"\n}\n",
	     " at line 4, column 1: ']' expected near '}'"},
	    {"{\"folder\": [\"a\"]}",
	     ": unknown key 'folder' (known: index, language, folders, people, facets)"},
	    {"{\"folders\": [1]}", ": 'folders' must be an array of non-empty strings"},
	    {"{\"language\": \"klingon\"}", ": unknown stemming language 'klingon' (known: "},
	};
	char *missing = rb_path("missing.json"), *file = rb_path("cfg/minutes/config.json");
	struct mn_buf want = MN_BUF_INIT;
	struct tu_run r;
	size_t i;

	(void)state;
	rb_copy_corpus();
	/* --config names a file that must exist. */
	ix(&r, NULL, "--db", rb_db, "--config", missing, "corpus", NULL);
	expect_status(&r, 2);
	mn_buf_addf(&want, "minutes-index: no config file '%s'\n", missing);
	assert_string_equal(r.err, mn_buf_str(&want));
	tu_run_free(&r);
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char *env_cfg = config_env(bad[i].text);
		const char *env[] = {env_cfg, NULL};

		ix(&r, env, "--db", rb_db, "corpus", NULL);
		expect_status(&r, 2);
		mn_buf_reset(&want);
		mn_buf_addf(&want, "minutes-index: bad config '%s'%s", file, bad[i].rest);
		if (strncmp(r.err, mn_buf_str(&want), want.len))
			fail_msg("got '%s', want '%s'", r.err, mn_buf_str(&want));
		assert_string_equal(r.out, "");
		tu_run_free(&r);
		/* Nothing was written. */
		assert_int_equal(access(rb_db, F_OK), -1);
		/* --no-config gets past it. */
		ix(&r, env, "-q", "--no-config", "--db", rb_db, "--dry-run", "corpus", NULL);
		expect_status(&r, 0);
		tu_run_free(&r);
		free(env_cfg);
	}
	free(missing);
	free(file);
	mn_buf_release(&want);
}

/* ---- the people file ------------------------------------------------------------ */

/* Whether the text of --list has value as a whole line. */
static int has_line(const char *text, const char *value)
{
	size_t n = strlen(value);
	const char *p = text;

	while ((p = strstr(p, value)) != NULL) {
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return 1;
		p += n;
	}
	return 0;
}

static void test_people_merge_speakers(void **state)
{
	struct tu_run r;
	char *list, *json;
	json_t *j, *v;
	size_t i;
	int found = 0;

	(void)state;
	copy_minutes();
	/* Without the file: MarkH and Mark Hambleton are two people. */
	ix(&r, NULL, "--db", rb_db, "minutes", NULL);
	expect_status(&r, 0);
	tu_run_free(&r);
	list = search(rb_db, 0, "--list", "speakers", NULL);
	assert_true(has_line(list, "MarkH") && has_line(list, "Mark Hambleton"));
	free(list);
	assert_int_equal(count_in(rb_db, "speaker:\"Mark Hambleton\""), 1);

	ix(&r, NULL, "--db", rb_db, "--people", PEOPLE_FIXTURES "/people.json", "minutes", NULL);
	expect_status(&r, 0);
	tu_run_free(&r);
	/* Everything MarkH said is Mark Hambleton's, as is the action he owns. */
	assert_int_equal(count_in(rb_db, "speaker:\"Mark Hambleton\""), 3);
	assert_int_equal(count_in(rb_db, "owner:\"Mark Hambleton\""), 1);
	assert_int_equal(count_in(rb_db, "speaker:\"Mark Hambleton\" backport"), 1);
	/* The label as written is one of his names now. */
	assert_int_equal(count_in(rb_db, "speaker:MarkH"), 3);
	list = search(rb_db, 0, "--list", "speakers", NULL);
	assert_true(has_line(list, "Mark Hambleton"));
	assert_false(has_line(list, "MarkH"));
	free(list);
	json = search(rb_db, 0, "--list", "speakers", "-fjson");
	j = tu_json(json);
	json_array_foreach(json_object_get(j, "values"), i, v)
	{
		if (strcmp(json_string_value(json_object_get(v, "value")), "Mark Hambleton"))
			continue;
		found = 1;
		assert_int_equal(json_integer_value(json_object_get(v, "passages")), 3);
		assert_int_equal(json_integer_value(json_object_get(v, "meetings")), 2);
	}
	assert_true(found);
	json_decref(j);
	free(json);
	rb_assert_sound(rb_db);
}

static void test_people_file_changes(void **state)
{
	char *people = rb_path("people.json"), *before, *after;
	struct tu_run r;

	(void)state;
	copy_minutes();
	ix(&r, NULL, "--db", rb_db, "--no-people", "minutes", NULL);
	expect_status(&r, 0);
	expect_in(r.out, "2 new, 0 changed, 0 removed, 0 unchanged");
	expect_in(r.out, "holds 2 meetings, 8 passages, 4 people");
	tu_run_free(&r);

	/* The file's content has not changed, but the people file has: indexed again. */
	copy_fixture("people.json", "people.json");
	ix(&r, NULL, "--db", rb_db, "--people", people, "-v", "minutes", NULL);
	expect_status(&r, 0);
	expect_in(r.out, "changed " MARCH5 " (5 passages; the people file changed)\n");
	expect_in(r.out, "changed " MARCH12 " (3 passages; the people file changed)\n");
	expect_in(r.out, "0 new, 2 changed (2 for the people file), 0 removed, 0 unchanged");
	/* MarkH is no one any more. */
	expect_in(r.out, "holds 2 meetings, 8 passages, 3 people");
	tu_run_free(&r);
	assert_int_equal(count_in(rb_db, "speaker:\"Mark Hambleton\""), 3);

	/* The same people file: nothing to do, even for files read again. */
	ix(&r, NULL, "--db", rb_db, "--people", people, "minutes", NULL);
	expect_status(&r, 0);
	expect_in(r.out, "0 new, 0 changed, 0 removed, 2 unchanged");
	tu_run_free(&r);
	{
		char *path = rb_path(MARCH5);
		struct timeval tv[2] = {{1000000000, 0}, {1000000000, 0}};

		assert_int_equal(utimes(path, tv), 0);
		free(path);
	}
	/* Laid out differently, it says the same. */
	rb_puts("people.json", "{\"people\":[{\"aliases\":[\"MarkH\",\"Mark H.\"],"
			       "\"name\":\"Mark Hambleton\"}]}");
	ix(&r, NULL, "--db", rb_db, "--people", people, "minutes", NULL);
	expect_status(&r, 0);
	expect_in(r.out, "0 new, 0 changed, 0 removed, 2 unchanged");
	tu_run_free(&r);

	/* --dry-run says what a new file would change, and writes nothing. */
	rb_puts("people.json", "{\"people\":[{\"name\":\"Mark Hambleton\",\"aliases\":[\"MarkH\"]},"
			       "{\"name\":\"Jane Doe\",\"aliases\":[\"JD\"]}]}");
	before = rb_digest(rb_db);
	ix(&r, NULL, "--db", rb_db, "--people", people, "--dry-run", "minutes", NULL);
	expect_status(&r, 0);
	{
		static const char want_out[] =
		    "changed " MARCH5 "\nchanged " MARCH12 "\n"
		    "would be: 0 new, 2 changed (2 for the people file), 0 removed, 0 unchanged; "
		    "0 skipped, 0 ignored; 0 passages in ";

		if (strncmp(r.out, want_out, sizeof(want_out) - 1))
			fail_msg("got:\n%s", r.out);
	}
	tu_run_free(&r);
	after = rb_digest(rb_db);
	assert_string_equal(after, before);
	free(after);

	/* A content change and a people change at once count as a content change. */
	{
		char *path = rb_path(MARCH12);
		FILE *f = fopen(path, "ab");

		assert_non_null(f);
		fputs("\nRavi Patel: the capybara boards are fine.\n", f);
		fclose(f);
		free(path);
	}
	ix(&r, NULL, "--db", rb_db, "--people", people, "minutes", NULL);
	expect_status(&r, 0);
	expect_in(r.out, "0 new, 2 changed (1 for the people file), 0 removed, 0 unchanged");
	tu_run_free(&r);
	assert_int_equal(rb_count("capybara"), 1);

	/* Without a people file, the names are the minutes' own again. */
	ix(&r, NULL, "--db", rb_db, "--no-people", "minutes", NULL);
	expect_status(&r, 0);
	expect_in(r.out, "0 new, 2 changed (2 for the people file)");
	tu_run_free(&r);
	assert_int_equal(count_in(rb_db, "speaker:\"Mark Hambleton\""), 1);
	after = rb_digest(rb_db);
	assert_string_not_equal(after, before);
	rb_assert_sound(rb_db);
	free(after);
	free(before);
	free(people);
}

/* Where the people file comes from: --people, the config's "people", the default file. */
static void test_people_file_precedence(void **state)
{
	struct mn_buf text = MN_BUF_INIT;
	char *env_cfg;
	const char *env[2] = {NULL};
	struct tu_run r;

	(void)state;
	copy_minutes();
	/* A config folder without config.json: the default people file, when there is one. */
	copy_fixture("people.json", "cfg/minutes/people.json");
	mn_buf_addf(&text, "XDG_CONFIG_HOME=%s/cfg", rb_dir);
	env[0] = mn_buf_str(&text);
	ix(&r, env, "-q", "--db", rb_db, "minutes", NULL);
	expect_status(&r, 0);
	tu_run_free(&r);
	assert_int_equal(count_in(rb_db, "speaker:\"Mark Hambleton\""), 3);
	/* --no-people leaves it out. */
	ix(&r, env, "-q", "--db", rb_db, "--no-people", "minutes", NULL);
	expect_status(&r, 0);
	tu_run_free(&r);
	assert_int_equal(count_in(rb_db, "speaker:\"Mark Hambleton\""), 1);

	/* The config's "people" wins over the default file. */
	rb_puts("other-people.json", "{\"people\": [{\"name\": \"Mark the Elder\", \"aliases\": "
				     "[\"MarkH\", \"Mark Hambleton\"]}]}");
	env_cfg = config_env("{\"people\": \"../../other-people.json\"}");
	env[0] = env_cfg;
	ix(&r, env, "-q", "--db", rb_db, "minutes", NULL);
	expect_status(&r, 0);
	tu_run_free(&r);
	assert_int_equal(count_in(rb_db, "speaker:\"Mark the Elder\""), 3);
	/* --people wins over the config. */
	ix(&r, env, "-q", "--db", rb_db, "--people", PEOPLE_FIXTURES "/people.json", "minutes",
	   NULL);
	expect_status(&r, 0);
	tu_run_free(&r);
	assert_int_equal(count_in(rb_db, "speaker:\"Mark the Elder\""), 0);
	assert_int_equal(count_in(rb_db, "speaker:\"Mark Hambleton\""), 3);
	free(env_cfg);
	mn_buf_release(&text);
}

static void test_people_file_errors(void **state)
{
	char *missing = rb_path("missing.json"), *broken = rb_path("broken.json");
	char *folder = rb_path("cfg/minutes/people.json"), *before, *after;
	struct mn_buf want = MN_BUF_INIT, home = MN_BUF_INIT;
	const char *env[2] = {NULL};
	char *env_cfg;
	struct tu_run r;

	(void)state;
	copy_minutes();
	/* Named and missing. */
	ix(&r, NULL, "--db", rb_db, "--people", missing, "minutes", NULL);
	expect_status(&r, 2);
	mn_buf_addf(&want, "minutes-index: no people file '%s'\n", missing);
	assert_string_equal(r.err, mn_buf_str(&want));
	assert_string_equal(r.out, "");
	tu_run_free(&r);
	assert_int_equal(access(rb_db, F_OK), -1);
	/* Named by the config and missing. */
	env_cfg = config_env("{\"people\": \"nobody.json\"}");
	env[0] = env_cfg;
	ix(&r, env, "--db", rb_db, "minutes", NULL);
	expect_status(&r, 2);
	mn_buf_reset(&want);
	mn_buf_addf(&want, "minutes-index: no people file '%s/cfg/minutes/nobody.json'\n", rb_dir);
	assert_string_equal(r.err, mn_buf_str(&want));
	tu_run_free(&r);
	free(env_cfg);

	/* Broken: jansson's line and column, and nothing written, not even by --rebuild. */
	ix(&r, NULL, "--db", rb_db, "-q", "minutes", NULL);
	expect_status(&r, 0);
	tu_run_free(&r);
	before = rb_digest(rb_db);
	rb_puts("broken.json", "{\"people\": [\n  {\"name\": \"x\",}\n]}\n");
	ix(&r, NULL, "--db", rb_db, "--rebuild", "--people", broken, NULL);
	expect_status(&r, 2);
	mn_buf_reset(&want);
	mn_buf_addf(&want,
		    "minutes-index: bad people file '%s' at line 2, column 16: string or '}' "
		    "expected near '}'\n",
		    broken);
	assert_string_equal(r.err, mn_buf_str(&want));
	tu_run_free(&r);
	rb_puts("broken.json", "{\"people\": {\"name\": \"x\"}}");
	ix(&r, NULL, "--db", rb_db, "--people", broken, "minutes", NULL);
	expect_status(&r, 2);
	mn_buf_reset(&want);
	mn_buf_addf(&want,
		    "minutes-index: bad people file '%s': no \"people\" list (expected "
		    "{\"people\": [{\"name\": ..., \"aliases\": [...]}]})\n",
		    broken);
	assert_string_equal(r.err, mn_buf_str(&want));
	tu_run_free(&r);
	after = rb_digest(rb_db);
	assert_string_equal(after, before);
	free(after);

	/* A default file that is there but cannot be read is an error, not "no file". */
	{
		char *cfg = rb_path("cfg/minutes/config.json");

		assert_int_equal(unlink(cfg), 0);
		free(cfg);
	}
	assert_int_equal(mkdir(folder, 0777), 0);
	mn_buf_addf(&home, "XDG_CONFIG_HOME=%s/cfg", rb_dir);
	env[0] = mn_buf_str(&home);
	ix(&r, env, "--db", rb_db, "minutes", NULL);
	expect_status(&r, 2);
	mn_buf_reset(&want);
	mn_buf_addf(&want, "minutes-index: cannot read '%s': is a directory\n", folder);
	assert_string_equal(r.err, mn_buf_str(&want));
	tu_run_free(&r);
	/* A missing default file is fine. */
	assert_int_equal(rmdir(folder), 0);
	ix(&r, env, "-q", "--db", rb_db, "minutes", NULL);
	expect_status(&r, 0);
	tu_run_free(&r);
	free(before);
	free(missing);
	free(broken);
	free(folder);
	mn_buf_release(&want);
	mn_buf_release(&home);
}

static void test_parse_applies_people(void **state)
{
	struct tu_run r;

	(void)state;
	copy_minutes();
	ix(&r, NULL, "--parse", "--format", "outline", "--people", PEOPLE_FIXTURES "/people.json",
	   MARCH5, NULL);
	expect_status(&r, 0);
	expect_in(r.out, "utterance by [Mark Hambleton] label 'MarkH'");
	expect_in(r.out, "owners [Mark Hambleton]");
	expect_not_in(r.out, "by [MarkH]");
	tu_run_free(&r);
	ix(&r, NULL, "--parse", "--format", "outline", MARCH5, NULL);
	expect_status(&r, 0);
	expect_in(r.out, "utterance by [MarkH] label 'MarkH'");
	tu_run_free(&r);
}

/* ---- the walk plans, then reads ------------------------------------------------- */

struct seen {
	struct mn_index_event events[64];
	char *paths[64];
	char *reasons[64];
	size_t n;
};

static void collect(void *ctx, const struct mn_index_event *ev)
{
	struct seen *s = ctx;

	if (s->n < 64) {
		/* Events lend their strings for the call only: keep copies. */
		s->events[s->n] = *ev;
		s->paths[s->n] = ev->path ? mn_xstrdup(ev->path) : NULL;
		s->reasons[s->n] = ev->reason ? mn_xstrdup(ev->reason) : NULL;
		s->events[s->n].path = s->paths[s->n];
		s->events[s->n].reason = s->reasons[s->n];
		s->n++;
	}
}

static void seen_release(struct seen *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->paths[i]);
		free(s->reasons[i]);
	}
	s->n = 0;
}

/* Index of the PLANNED event in s, failing when there is not exactly one. */
static size_t planned_at(const struct seen *s)
{
	size_t i, at = 0, n = 0;

	for (i = 0; i < s->n; i++)
		if (s->events[i].type == MN_INDEX_PLANNED)
			at = i, n++;
	assert_int_equal(n, 1);
	return at;
}

static void test_plan_then_read(void **state)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = NULL;
	struct mn_index_opts opts;
	struct mn_index_stats stats;
	struct mn_root root = {NULL, NULL};
	struct seen s;
	char *corpus = rb_path("corpus");
	uint64_t bytes = 0;
	size_t i, at;
	const struct mn_index_progress *last;

	(void)state;
	rb_copy_corpus();
	rb_write("corpus/bin.txt", "ab\0cd", 5);
	age_files("corpus");
	{
		struct stat st;
		static const char *const files[] = {
		    "000_ef34be2ffa71a066.txt", "001_39f262a60b4acc81.txt",
		    "002_eee8200ce5b8e499.txt", "003_31ae8ff63825a62e.txt",
		    "004_b2a22aaa47b471d8.txt", "bin.txt"};

		for (i = 0; i < 6; i++) {
			char *p = tu_path(corpus, files[i]);

			assert_int_equal(stat(p, &st), 0);
			bytes += (uint64_t)st.st_size;
			free(p);
		}
	}
	memset(&s, 0, sizeof(s));
	memset(&opts, 0, sizeof(opts));
	root.path = corpus;
	opts.roots = &root;
	opts.nroots = 1;
	opts.on_event = collect;
	opts.ctx = &s;
	assert_int_equal(mn_store_open(&store, rb_db, MN_STORE_WRITE, NULL, &err), MN_OK);
	assert_int_equal(mn_index_run(store, &opts, &stats, &err), MN_OK);
	/* The walk comes first: PLANNED has the totals, before any file is read. */
	at = planned_at(&s);
	assert_int_equal(s.events[at].progress.files, 6);
	assert_int_equal(s.events[at].progress.bytes, bytes);
	assert_int_equal(s.events[at].progress.files_done, 0);
	for (i = 0; i < at; i++)
		assert_true(s.events[i].type != MN_INDEX_ADDED);
	/* Each file read moves the progress on by one, with its bytes. */
	for (i = at + 1; i < s.n; i++) {
		const struct mn_index_event *ev = &s.events[i];

		if (ev->type == MN_INDEX_ADDED || ev->type == MN_INDEX_SKIPPED)
			assert_int_equal(ev->progress.files_done,
					 s.events[i - 1].progress.files_done + 1);
		if (ev->type == MN_INDEX_SKIPPED) {
			assert_int_equal(ev->why, MN_SKIP_BINARY);
			assert_string_equal(ev->reason, "binary file");
		}
	}
	last = &s.events[s.n - 1].progress;
	assert_int_equal(last->files_done, 6);
	assert_int_equal(last->bytes_done, bytes);
	assert_int_equal(stats.added, 5);
	assert_int_equal(stats.skipped, 1);
	assert_int_equal(stats.skipped_by[MN_SKIP_BINARY], 1);
	seen_release(&s);

	/* Unchanged files are decided by the walk: only the skipped one is read again. */
	assert_int_equal(mn_index_run(store, &opts, &stats, &err), MN_OK);
	at = planned_at(&s);
	assert_int_equal(s.events[at].progress.files, 1);
	assert_int_equal(stats.unchanged, 5);
	seen_release(&s);
	mn_store_close(store);
	free(corpus);
}

/* The roots a run without paths walks, each once, whatever it is called. */
static void test_index_roots(void **state)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = NULL;
	struct mn_root *roots = NULL;
	size_t n = 0;
	char *corpus = rb_path("corpus"), *other = rb_path("other"), *sub = rb_path("corpus/sub");
	const char *folders[] = {corpus, sub, other};
	const char *wider[] = {rb_dir};

	(void)state;
	assert_int_equal(mn_store_open(&store, rb_db, MN_STORE_WRITE, NULL, &err), MN_OK);
	assert_int_equal(mn_store_begin(store, &err), MN_OK);
	assert_int_equal(mn_store_add_root(store, "corpus", rb_dir, &err), MN_OK);
	assert_int_equal(mn_store_commit(store, &err), MN_OK);
	/* rb_dir/corpus is the recorded "corpus"; corpus/sub lies under it. */
	assert_int_equal(mn_index_roots(store, folders, 3, &roots, &n, &err), MN_OK);
	assert_int_equal(n, 2);
	assert_string_equal(roots[0].path, "corpus");
	assert_string_equal(roots[0].base, rb_dir);
	assert_string_equal(roots[1].path, other);
	assert_null(roots[1].base);
	mn_roots_free(roots, n);
	/* A wider folder takes the place of the recorded one. */
	assert_int_equal(mn_index_roots(store, wider, 1, &roots, &n, &err), MN_OK);
	assert_int_equal(n, 1);
	assert_string_equal(roots[0].path, rb_dir);
	mn_roots_free(roots, n);
	/* No folders: the recorded roots. */
	assert_int_equal(mn_index_roots(store, NULL, 0, &roots, &n, &err), MN_OK);
	assert_int_equal(n, 1);
	assert_string_equal(roots[0].path, "corpus");
	mn_roots_free(roots, n);
	mn_store_close(store);
	free(corpus);
	free(other);
	free(sub);
}

/* ---- the progress line ---------------------------------------------------------- */

/* The text after the last "erase the line" (the progress line's end), or all of it. */
static const char *after_last_erase(const char *out)
{
	const char *p = out, *q, *last = NULL;

	while ((q = strstr(p, "\r\033[K")) != NULL) {
		last = q + 4;
		p = last;
	}
	return last ? last : out;
}

/* Every occurrence of what starts a line: after "\n", or after the line was erased. */
static void expect_at_line_start(const char *out, const char *what)
{
	const char *p = out;
	int n = 0;

	while ((p = strstr(p, what)) != NULL) {
		if (p != out && p[-1] != '\n' && !(p - out >= 4 && !strncmp(p - 4, "\r\033[K", 4)))
			fail_msg("'%s' does not start a line:\n%s", what, out);
		p += strlen(what);
		n++;
	}
	if (!n)
		fail_msg("no '%s' in:\n%s", what, out);
}

/*
 * Checks that every progress line drawn in out reads "indexing D/T files,
 * E elapsed" or "indexing D/T files, R MB/s (or kB/s), E elapsed, L left",
 * with D never going back and T as given; returns how many there were.
 */
static int check_progress_lines(const char *out, size_t total)
{
	const char *p;
	size_t last = 0;
	int n = 0;

	for (p = out; (p = strstr(p, "\r\033[Kindexing ")) != NULL; p += 4, n++) {
		size_t done = 0, of = 0;
		double rate;
		int em, es, lm, ls, used = 0;
		char unit[3] = "";
		const char *line = p + 4;

		if (sscanf(line,
			   "indexing %zu/%zu files, %lf %2[kM]B/s, %d:%2d elapsed, %d:%2d left%n",
			   &done, &of, &rate, unit, &em, &es, &lm, &ls, &used) == 8 &&
		    used) {
			assert_true(rate >= 0 && es < 60 && ls < 60);
		} else if (sscanf(line, "indexing %zu/%zu files, %d:%2d elapsed%n", &done, &of, &em,
				  &es, &used) == 4 &&
			   used) {
			assert_true(es < 60);
		} else {
			fail_msg("not a progress line: %.80s", line);
		}
		/* The line ends there: the next one redraws it, or erases it. */
		if (line[used] != '\r')
			fail_msg("a progress line runs on: %.80s", line);
		assert_int_equal(of, total);
		assert_true(done >= last && done <= total);
		last = done;
	}
	return n;
}

static void test_progress_on_a_terminal(void **state)
{
	struct tu_run r;
	const char *end;

	(void)state;
	rb_copy_corpus();
	age_files("corpus");
	ix_pty(&r, 200, NULL, "--db", rb_db, "corpus", NULL);
	expect_status(&r, 0);
	/* Drawn when the walk is done, then redrawn in place... */
	expect_in(r.out, "\r\033[Kindexing 0/5 files, ");
	expect_in(r.out, "\r\033[Kindexing 5/5 files, ");
	expect_in(r.out, " elapsed, ");
	expect_in(r.out, " left\r");
	assert_true(check_progress_lines(r.out, 5) >= 2);
	/* ...and erased before the summary, which is all that stays. */
	end = after_last_erase(r.out);
	if (strncmp(end, "5 new, 0 changed, 0 removed, 0 unchanged; 0 skipped", 51))
		fail_msg("the summary does not follow the erased line:\n%s", r.out);
	expect_not_in(end, "indexing");
	tu_run_free(&r);

	/* Nothing to read: no line at all. */
	ix_pty(&r, 200, NULL, "--db", rb_db, "corpus", NULL);
	expect_status(&r, 0);
	expect_not_in(r.out, "indexing");
	expect_not_in(r.out, "\033[K");
	tu_run_free(&r);
}

static void test_progress_erased_before_messages(void **state)
{
	struct tu_run r;

	(void)state;
	rb_copy_corpus();
	rb_write("corpus/a-binary.txt", "ab\0cd", 5);
	rb_write("corpus/z-binary.txt", "ab\0cd", 5);
	rb_puts("corpus/skip.pdf", "%PDF");
	ix_pty(&r, 200, NULL, "--db", rb_db, "-v", "corpus", NULL);
	expect_status(&r, 1);
	/* Every other line starts at the left margin, never after a progress line. */
	expect_at_line_start(r.out, "minutes-index: skipping 'corpus/a-binary.txt'");
	expect_at_line_start(r.out, "minutes-index: skipping 'corpus/z-binary.txt'");
	expect_at_line_start(r.out, "minutes-index: ignoring 'corpus/skip.pdf'");
	expect_at_line_start(r.out, "added corpus/");
	expect_at_line_start(r.out, "5 new, 0 changed");
	expect_in(r.out, "2 skipped (2 binary), 1 ignored");
	expect_not_in(after_last_erase(r.out), "indexing");
	tu_run_free(&r);
}

static void test_progress_fits_the_terminal(void **state)
{
	struct tu_run r;
	const char *p;

	(void)state;
	rb_copy_corpus();
	ix_pty(&r, 24, NULL, "--db", rb_db, "corpus", NULL);
	expect_status(&r, 0);
	expect_in(r.out, "\r\033[Kindexing 0/5 files, ");
	/* Each drawn line is cut to one column less than the terminal. */
	for (p = r.out; (p = strstr(p, "\r\033[Kindexing")) != NULL; p += 4) {
		const char *line = p + 4, *end = strchr(line, '\r');

		if (!end)
			end = line + strlen(line);
		if (end - line > 23)
			fail_msg("a progress line of %d columns: %.*s", (int)(end - line),
				 (int)(end - line), line);
	}
	tu_run_free(&r);
}

static void test_no_progress_off_a_terminal(void **state)
{
	struct tu_run r;
	char *db2 = rb_path("two.db"), *db3 = rb_path("three.db"), *db4 = rb_path("four.db");

	(void)state;
	rb_copy_corpus();
	/* In a pipe (or a file): only the summary. */
	ix(&r, NULL, "--db", rb_db, "corpus", NULL);
	expect_status(&r, 0);
	assert_string_equal(r.err, "");
	expect_not_in(r.out, "\r");
	expect_in(r.out, "5 new, ");
	tu_run_free(&r);
	/* --progress forces it. */
	ix(&r, NULL, "--db", db2, "--progress", "corpus", NULL);
	expect_status(&r, 0);
	expect_in(r.err, "\r\033[Kindexing 0/5 files, ");
	assert_true(check_progress_lines(r.err, 5) >= 2);
	assert_string_equal(after_last_erase(r.err), "");
	tu_run_free(&r);
	/* On a terminal, --no-progress and -q turn it off. */
	ix_pty(&r, 200, NULL, "--db", db3, "--no-progress", "corpus", NULL);
	expect_status(&r, 0);
	expect_not_in(r.out, "indexing");
	expect_in(r.out, "5 new, ");
	tu_run_free(&r);
	ix_pty(&r, 200, NULL, "--db", db4, "-q", "corpus", NULL);
	expect_status(&r, 0);
	assert_string_equal(r.out, "");
	tu_run_free(&r);
	free(db2);
	free(db3);
	free(db4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_version, rb_setup, rb_teardown),
	    cmocka_unit_test_setup_teardown(test_config_index, rb_setup, rb_teardown),
	    cmocka_unit_test_setup_teardown(test_config_file_option, rb_setup, rb_teardown),
	    cmocka_unit_test_setup_teardown(test_config_language, rb_setup, rb_teardown),
	    cmocka_unit_test_setup_teardown(test_config_folders, rb_setup, rb_teardown),
	    cmocka_unit_test_setup_teardown(test_config_folder_already_recorded, rb_setup,
					    rb_teardown),
	    cmocka_unit_test_setup_teardown(test_config_errors, rb_setup, rb_teardown),
	    cmocka_unit_test_setup_teardown(test_people_merge_speakers, rb_setup, rb_teardown),
	    cmocka_unit_test_setup_teardown(test_people_file_changes, rb_setup, rb_teardown),
	    cmocka_unit_test_setup_teardown(test_people_file_precedence, rb_setup, rb_teardown),
	    cmocka_unit_test_setup_teardown(test_people_file_errors, rb_setup, rb_teardown),
	    cmocka_unit_test_setup_teardown(test_parse_applies_people, rb_setup, rb_teardown),
	    cmocka_unit_test_setup_teardown(test_plan_then_read, rb_setup, rb_teardown),
	    cmocka_unit_test_setup_teardown(test_index_roots, rb_setup, rb_teardown),
	    cmocka_unit_test_setup_teardown(test_progress_on_a_terminal, rb_setup, rb_teardown),
	    cmocka_unit_test_setup_teardown(test_progress_erased_before_messages, rb_setup,
					    rb_teardown),
	    cmocka_unit_test_setup_teardown(test_progress_fits_the_terminal, rb_setup, rb_teardown),
	    cmocka_unit_test_setup_teardown(test_no_progress_off_a_terminal, rb_setup, rb_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
