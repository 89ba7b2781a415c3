/* Unit tests for the index store: creation, versions, errors, integrity. */
#include "testutil.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "mn_parse.h"
#include "mn_store.h"

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

static struct mn_doc *doc_of(const char *path, const char *text)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_doc *doc = NULL;

	assert_int_equal(mn_parse(path, text, strlen(text), &doc, &err), MN_OK);
	return doc;
}

static void test_create_add_remove(void **state)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = NULL;
	struct mn_store_counts counts;
	struct mn_doc *a, *b;
	char *path = tu_path(dir, "sub/folder/index.db");
	int replaced = -1, removed = -1;

	(void)state;
	assert_int_equal(mn_store_open(&store, path, MN_STORE_WRITE, NULL, &err), MN_OK);
	assert_string_equal(mn_store_language(store), "english");
	a = doc_of("a.md", "# A\n\nJan: one\n\nJan: two\n");
	b = doc_of("b.md", "# B\n\n- three\n");
	assert_int_equal(mn_store_begin(store, &err), MN_OK);
	assert_int_equal(mn_store_add_doc(store, a, NULL, &replaced, &err), MN_OK);
	assert_int_equal(replaced, 0);
	assert_int_equal(mn_store_add_doc(store, b, NULL, &replaced, &err), MN_OK);
	assert_int_equal(mn_store_add_doc(store, a, NULL, &replaced, &err), MN_OK);
	assert_int_equal(replaced, 1);
	assert_int_equal(mn_store_commit(store, &err), MN_OK);
	assert_int_equal(mn_store_counts(store, &counts, &err), MN_OK);
	assert_int_equal(counts.meetings, 2);
	assert_int_equal(counts.passages, 3);
	assert_int_equal(mn_store_check(store, &err), MN_OK);

	assert_int_equal(mn_store_begin(store, &err), MN_OK);
	assert_int_equal(mn_store_remove(store, "a.md", &removed, &err), MN_OK);
	assert_int_equal(removed, 1);
	assert_int_equal(mn_store_remove(store, "nothing.md", &removed, &err), MN_OK);
	assert_int_equal(removed, 0);
	assert_int_equal(mn_store_commit(store, &err), MN_OK);
	assert_int_equal(mn_store_counts(store, &counts, &err), MN_OK);
	assert_int_equal(counts.meetings, 1);
	assert_int_equal(counts.passages, 1);
	/* The FTS index forgot the removed passages too. */
	assert_int_equal(mn_store_check(store, &err), MN_OK);
	mn_store_close(store);
	mn_doc_free(a);
	mn_doc_free(b);
	free(path);
}

static void test_language_recorded(void **state)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = NULL;
	char *path = tu_path(dir, "fr.db");

	(void)state;
	assert_int_equal(mn_store_open(&store, path, MN_STORE_WRITE, "french", &err), MN_OK);
	mn_store_close(store);
	/* Reopened without a language, for reading or writing: still French. */
	assert_int_equal(mn_store_open(&store, path, MN_STORE_READ, NULL, &err), MN_OK);
	assert_string_equal(mn_store_language(store), "french");
	mn_store_close(store);
	assert_int_equal(mn_store_open(&store, path, MN_STORE_WRITE, "english", &err), MN_OK);
	assert_string_equal(mn_store_language(store), "french");
	mn_store_close(store);
	free(path);
}

static void test_unknown_language(void **state)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = NULL;
	char *path = tu_path(dir, "kl.db");

	(void)state;
	assert_int_equal(mn_store_open(&store, path, MN_STORE_WRITE, "klingon", &err),
			 MN_ERR_USAGE);
	assert_null(store);
	assert_non_null(strstr(err.msg, "unknown stemming language 'klingon'"));
	free(path);
}

static void test_missing_index(void **state)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = NULL;
	char *path = tu_path(dir, "missing.db");
	char want[512];

	(void)state;
	assert_int_equal(mn_store_open(&store, path, MN_STORE_READ, NULL, &err), MN_ERR_NOENT);
	assert_null(store);
	snprintf(want, sizeof(want), "no index at '%s' (build one with 'minutes-index PATH...')",
		 path);
	assert_string_equal(err.msg, want);
	free(path);
}

static void test_not_a_database(void **state)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = NULL;
	char *path = tu_path(dir, "garbage.db");
	char want[512];
	char junk[4096];

	(void)state;
	memset(junk, 'x', sizeof(junk) - 1);
	junk[sizeof(junk) - 1] = '\0';
	tu_write_file(path, junk);
	assert_int_equal(mn_store_open(&store, path, MN_STORE_READ, NULL, &err), MN_ERR_SCHEMA);
	assert_null(store);
	snprintf(want, sizeof(want),
		 "cannot open index '%s': file is not a database (rebuild it with "
		 "'minutes-index --rebuild')",
		 path);
	assert_string_equal(err.msg, want);
	/* Opening to write does not overwrite someone else's file either. */
	mn_err_clear(&err);
	assert_int_equal(mn_store_open(&store, path, MN_STORE_WRITE, NULL, &err), MN_ERR_SCHEMA);
	free(path);
}

static void test_other_schema(void **state)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = NULL;
	char *path = tu_path(dir, "other.db");
	char want[512];
	sqlite3 *db;

	(void)state;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(mn_store_open(&store, path, MN_STORE_READ, NULL, &err), MN_ERR_SCHEMA);
	snprintf(want, sizeof(want),
		 "index '%s' has schema version 99 but this program uses %d (rebuild it with "
		 "'minutes-index --rebuild')",
		 path, MN_SCHEMA_VERSION);
	assert_string_equal(err.msg, want);
	free(path);

	/* A database of some other program: version 0 with tables in it. */
	path = tu_path(dir, "foreign.db");
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	mn_err_clear(&err);
	assert_int_equal(mn_store_open(&store, path, MN_STORE_WRITE, NULL, &err), MN_ERR_SCHEMA);
	snprintf(want, sizeof(want),
		 "'%s' is not a minutes index (rebuild it with 'minutes-index --rebuild')", path);
	assert_string_equal(err.msg, want);
	free(path);
}

static void test_default_path(void **state)
{
	char *p;

	(void)state;
	setenv("MINUTES_DB", "/x/y.db", 1);
	p = mn_store_default_path();
	assert_string_equal(p, "/x/y.db");
	free(p);
	unsetenv("MINUTES_DB");
	setenv("XDG_DATA_HOME", "/data", 1);
	p = mn_store_default_path();
	assert_string_equal(p, "/data/minutes/index.db");
	free(p);
	unsetenv("XDG_DATA_HOME");
	setenv("HOME", "/home/u", 1);
	p = mn_store_default_path();
	assert_string_equal(p, "/home/u/.local/share/minutes/index.db");
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_add_remove), cmocka_unit_test(test_language_recorded),
		cmocka_unit_test(test_unknown_language),  cmocka_unit_test(test_missing_index),
		cmocka_unit_test(test_not_a_database),    cmocka_unit_test(test_other_schema),
		cmocka_unit_test(test_default_path),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
