/*
 * The config file (mn_config): keys and their types, paths, broken files
 * reported with jansson's line and column, and the precedence of the index
 * path (flag, $MINUTES_DB, config, default).
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "mn_config.h"

static char *dir;

static int setup(void **state)
{
	(void)state;
	dir = tu_tmpdir();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tu_rmtree(dir);
	free(dir);
	return 0;
}

/* Writes text to dir/name and returns its path (caller frees). */
static char *config_file(const char *name, const char *text)
{
	char *path = tu_path(dir, name);

	tu_write_file(path, text);
	return path;
}

static void test_missing_file(void **state)
{
	struct mn_config cfg = MN_CONFIG_INIT;
	struct mn_err err = MN_ERR_INIT;
	char *path = tu_path(dir, "none.json");
	struct mn_buf want = MN_BUF_INIT;

	(void)state;
	/* The default file may be missing: no config, no error. */
	assert_int_equal(mn_config_load(&cfg, path, 0, &err), MN_OK);
	assert_null(cfg.path);
	assert_null(cfg.index);
	/* A file named on the command line must exist. */
	assert_int_equal(mn_config_load(&cfg, path, 1, &err), MN_ERR_NOENT);
	mn_buf_addf(&want, "no config file '%s'", path);
	assert_string_equal(err.msg, mn_buf_str(&want));
	assert_null(cfg.path);
	mn_buf_release(&want);
	free(path);
}

static void test_every_key(void **state)
{
	struct mn_config cfg = MN_CONFIG_INIT;
	struct mn_err err = MN_ERR_INIT;
	char *path =
	    config_file("full.json", "{\n"
				     "  \"index\": \"~/minutes/index.db\",\n"
				     "  \"language\": \"german\",\n"
				     "  \"folders\": [\"/srv/minutes\", \"notes\", \"~\"],\n"
				     "  \"people\": \"people.json\",\n"
				     "  \"facets\": [\"speaker\", \"year\"]\n"
				     "}\n");
	char *notes = tu_path(dir, "notes"), *people = tu_path(dir, "people.json");

	(void)state;
	setenv("HOME", "/home/ada", 1);
	assert_int_equal(mn_config_load(&cfg, path, 1, &err), MN_OK);
	assert_string_equal(cfg.path, path);
	assert_string_equal(cfg.index, "/home/ada/minutes/index.db");
	assert_string_equal(cfg.language, "german");
	assert_int_equal(cfg.nfolders, 3);
	assert_string_equal(cfg.folders[0], "/srv/minutes");
	/* Relative paths are taken from the config file's folder. */
	assert_string_equal(cfg.folders[1], notes);
	assert_string_equal(cfg.folders[2], "/home/ada");
	assert_string_equal(cfg.people, people);
	assert_string_equal(cfg.facets, "speaker,year");
	mn_config_release(&cfg);
	assert_null(cfg.path);
	assert_null(cfg.folders);
	free(path);
	free(notes);
	free(people);
}

static void test_other_forms(void **state)
{
	struct mn_config cfg = MN_CONFIG_INIT;
	struct mn_err err = MN_ERR_INIT;
	char *path =
	    config_file("forms.json", "{\"folders\": \"/srv/minutes\", \"facets\": \"kind, org\"}");

	(void)state;
	assert_int_equal(mn_config_load(&cfg, path, 0, &err), MN_OK);
	assert_int_equal(cfg.nfolders, 1);
	assert_string_equal(cfg.folders[0], "/srv/minutes");
	assert_string_equal(cfg.facets, "kind, org");
	assert_null(cfg.index);
	assert_null(cfg.language);
	mn_config_release(&cfg);
	free(path);

	/* An empty object is a config that sets nothing. */
	path = config_file("empty.json", "{}\n");
	assert_int_equal(mn_config_load(&cfg, path, 0, &err), MN_OK);
	assert_string_equal(cfg.path, path);
	assert_null(cfg.index);
	assert_null(cfg.facets);
	mn_config_release(&cfg);
	free(path);
}

/* Loading text fails with MN_ERR_FORMAT and the message "bad config 'PATH'" + rest. */
static void fails_with(const char *text, const char *rest)
{
	struct mn_config cfg = MN_CONFIG_INIT;
	struct mn_err err = MN_ERR_INIT;
	struct mn_buf want = MN_BUF_INIT;
	char *path = config_file("bad.json", text);

	assert_int_equal(mn_config_load(&cfg, path, 0, &err), MN_ERR_FORMAT);
	mn_buf_addf(&want, "bad config '%s'%s", path, rest);
	if (strcmp(err.msg, mn_buf_str(&want)))
		fail_msg("for %s: got '%s', want '%s'", text, err.msg, mn_buf_str(&want));
	/* Nothing of a broken file is kept. */
	assert_null(cfg.path);
	assert_null(cfg.index);
	assert_null(cfg.folders);
	mn_buf_release(&want);
	free(path);
}

static void test_broken_files(void **state)
{
	(void)state;
	/* Syntax errors carry jansson's line and column. */
	fails_with("{\n  \"index\": \"a.db\",\n  \"language\": \n}\n",
		   " at line 4, column 1: unexpected token near '}'");
	fails_with("{\"index\": \"a.db\",}", " at line 1, column 18: string or '}' expected "
					     "near '}'");
	fails_with("", " at line 1, column 0: '[' or '{' expected near end of file");
	fails_with("{\"index\": \"a\", \"index\": \"b\"}",
		   " at line 1, column 22: duplicate object key near '\"index\"'");
	fails_with("[\"index\"]", ": not a JSON object");
	fails_with("{\"db\": \"x.db\"}",
		   ": unknown key 'db' (known: index, language, folders, people, facets)");
	fails_with("{\"index\": 3}", ": 'index' must be a non-empty string");
	fails_with("{\"language\": \"\"}", ": 'language' must be a non-empty string");
	fails_with("{\"people\": null}", ": 'people' must be a non-empty string");
	fails_with("{\"folders\": {}}", ": 'folders' must be an array of strings");
	fails_with("{\"folders\": [\"a\", 1]}",
		   ": 'folders' must be an array of non-empty strings");
	fails_with("{\"facets\": 1}", ": 'facets' must be an array of facet names or one string "
				      "of names separated by commas");
	fails_with("{\"facets\": [\"speaker,year\"]}",
		   ": 'facets' must be an array of facet names or one string of names "
		   "separated by commas");
	fails_with("{\"facets\": [\"speaker\", \"spaeker\"]}",
		   ": unknown facet 'spaeker' (use speaker, topic, series, org, year or kind)");
	fails_with("{\"facets\": []}",
		   ": no facets named (use speaker, topic, series, org, year or kind)");
}

static void test_unknown_language(void **state)
{
	struct mn_config cfg = MN_CONFIG_INIT;
	struct mn_err err = MN_ERR_INIT;
	struct mn_buf want = MN_BUF_INIT;
	char *path = config_file("lang.json", "{\"language\": \"englsh\"}");

	(void)state;
	/* Found when the file is read, not when an index is first made with it. */
	assert_int_equal(mn_config_load(&cfg, path, 0, &err), MN_ERR_FORMAT);
	mn_buf_addf(&want, "bad config '%s': unknown stemming language 'englsh' (known: ", path);
	if (strncmp(err.msg, mn_buf_str(&want), want.len))
		fail_msg("got '%s'", err.msg);
	assert_non_null(strstr(err.msg, "english"));
	assert_null(cfg.language);
	mn_buf_release(&want);
	free(path);
}

static void test_home_needed(void **state)
{
	char *home = getenv("HOME") ? mn_xstrdup(getenv("HOME")) : NULL;

	(void)state;
	unsetenv("HOME");
	fails_with("{\"index\": \"~/x.db\"}", ": 'index' starts with '~' but HOME is not set");
	if (home)
		setenv("HOME", home, 1);
	free(home);
}

static void test_default_path(void **state)
{
	char *p;

	(void)state;
	setenv("XDG_CONFIG_HOME", "/cfg", 1);
	setenv("HOME", "/home/ada", 1);
	p = mn_config_default_path();
	assert_string_equal(p, "/cfg/minutes/config.json");
	free(p);
	/* A relative XDG_CONFIG_HOME is ignored, as the XDG spec says. */
	setenv("XDG_CONFIG_HOME", "cfg", 1);
	p = mn_config_default_path();
	assert_string_equal(p, "/home/ada/.config/minutes/config.json");
	free(p);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
	assert_null(mn_config_default_path());
}

static void test_index_precedence(void **state)
{
	struct mn_config cfg = MN_CONFIG_INIT;
	char *p;

	(void)state;
	cfg.index = mn_xstrdup("/cfg/index.db");
	setenv("MINUTES_DB", "/env/index.db", 1);
	setenv("XDG_DATA_HOME", "/data", 1);
	p = mn_config_index_path(&cfg, "/flag/index.db");
	assert_string_equal(p, "/flag/index.db");
	free(p);
	p = mn_config_index_path(&cfg, NULL);
	assert_string_equal(p, "/env/index.db");
	free(p);
	unsetenv("MINUTES_DB");
	p = mn_config_index_path(&cfg, NULL);
	assert_string_equal(p, "/cfg/index.db");
	free(p);
	p = mn_config_index_path(NULL, NULL);
	assert_string_equal(p, "/data/minutes/index.db");
	free(p);
	mn_config_release(&cfg);
	p = mn_config_index_path(&cfg, NULL);
	assert_string_equal(p, "/data/minutes/index.db");
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_missing_file),     cmocka_unit_test(test_every_key),
	    cmocka_unit_test(test_other_forms),	     cmocka_unit_test(test_broken_files),
	    cmocka_unit_test(test_home_needed),	     cmocka_unit_test(test_default_path),
	    cmocka_unit_test(test_index_precedence), cmocka_unit_test(test_unknown_language),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
