/* Unit tests for the "snowball" FTS5 tokenizer. */
#include "testutil.h"

#include <sqlite3.h>
#include <string.h>

#include "mn_tokenizer.h"

static sqlite3 *open_db(const char *tokenize)
{
	struct mn_err err = MN_ERR_INIT;
	sqlite3 *db;
	char *sql;

	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(mn_tokenizer_register(db, &err), MN_OK);
	sql = sqlite3_mprintf("CREATE VIRTUAL TABLE t USING fts5(x, tokenize=%Q)", tokenize);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_free(sql);
	return db;
}

static void insert(sqlite3 *db, const char *text)
{
	sqlite3_stmt *s;

	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO t(x) VALUES(?)", -1, &s, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(s, 1, text, -1, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(s), SQLITE_DONE);
	sqlite3_finalize(s);
}

static int count(sqlite3 *db, const char *match)
{
	sqlite3_stmt *s;
	int n = -1;

	assert_int_equal(
		sqlite3_prepare_v2(db, "SELECT count(*) FROM t WHERE t MATCH ?", -1, &s, NULL),
		SQLITE_OK);
	sqlite3_bind_text(s, 1, match, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return n;
}

static void test_stems_match(void **state)
{
	sqlite3 *db = open_db("snowball english");

	(void)state;
	insert(db, "Migration Support");
	insert(db, "We are backporting the fix");
	insert(db, "unrelated text");
	assert_int_equal(count(db, "migrations"), 1);
	assert_int_equal(count(db, "migrating"), 1);
	assert_int_equal(count(db, "migrated"), 1);
	assert_int_equal(count(db, "backport"), 1);
	assert_int_equal(count(db, "backports"), 1);
	assert_int_equal(count(db, "support"), 1);
	assert_int_equal(count(db, "supported"), 1);
	assert_int_equal(count(db, "text"), 1);
	assert_int_equal(count(db, "missing"), 0);
	sqlite3_close(db);
}

static void test_default_language_is_english(void **state)
{
	sqlite3 *db = open_db("snowball");

	(void)state;
	insert(db, "migrations");
	assert_int_equal(count(db, "migrated"), 1);
	sqlite3_close(db);
}

static void test_diacritics_removed(void **state)
{
	sqlite3 *db = open_db("snowball english");

	(void)state;
	insert(db, "Alex Benn\xc3\xa9" "e New Work");
	insert(db, "Fran\xc3\xa7ois Ozog");
	assert_int_equal(count(db, "Bennee"), 1);
	assert_int_equal(count(db, "Benn\xc3\xa9" "e"), 1);
	assert_int_equal(count(db, "francois"), 1);
	sqlite3_close(db);
}

static void test_other_language(void **state)
{
	sqlite3 *db = open_db("snowball french");

	(void)state;
	insert(db, "les r\xc3\xa9unions importantes");
	assert_int_equal(count(db, "r\xc3\xa9union"), 1);
	assert_int_equal(count(db, "importante"), 1);
	sqlite3_close(db);
}

static void test_unknown_language(void **state)
{
	struct mn_err err = MN_ERR_INIT;
	sqlite3 *db;
	int rc;

	(void)state;
	assert_int_equal(mn_tokenizer_check_language("klingon", &err), MN_ERR_USAGE);
	assert_non_null(strstr(err.msg, "unknown stemming language 'klingon'"));
	assert_non_null(strstr(err.msg, "english"));
	assert_int_equal(mn_tokenizer_check_language("english", NULL), MN_OK);

	/* Straight through SQLite: an error, not a crash. */
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(mn_tokenizer_register(db, &err), MN_OK);
	rc = sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='snowball klingon')",
			  NULL, NULL, NULL);
	assert_int_not_equal(rc, SQLITE_OK);
	sqlite3_close(db);
}

static void test_long_tokens_unstemmed(void **state)
{
	sqlite3 *db = open_db("snowball english");
	char word[MN_STEM_MAX_BYTES + 20];
	sqlite3_stmt *s;
	int found = 0;

	(void)state;
	memset(word, 'a', sizeof(word) - 1);
	memcpy(word + sizeof(word) - 5, "ings", 4);
	word[sizeof(word) - 1] = '\0';
	insert(db, word);
	assert_int_equal(sqlite3_exec(db, "CREATE VIRTUAL TABLE v USING fts5vocab(t, 'row')",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT term FROM v", -1, &s, NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW)
		if (!strcmp((const char *)sqlite3_column_text(s, 0), word))
			found = 1;
	sqlite3_finalize(s);
	assert_true(found);
	/* A short word with the same ending is stemmed. */
	insert(db, "meetings");
	assert_int_equal(count(db, "meeting"), 1);
	sqlite3_close(db);
}

static void test_stem_cache_consistent(void **state)
{
	sqlite3 *db = open_db("snowball english");
	int i;

	(void)state;
	/* The same words many times over, so that later ones come from the cache. */
	for (i = 0; i < 50; i++)
		insert(db, "running runner runs ran quickly connection connected");
	assert_int_equal(count(db, "run"), 50);
	assert_int_equal(count(db, "connect"), 50);
	assert_int_equal(count(db, "quick"), 50);
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stems_match),
		cmocka_unit_test(test_default_language_is_english),
		cmocka_unit_test(test_diacritics_removed),
		cmocka_unit_test(test_other_language),
		cmocka_unit_test(test_unknown_language),
		cmocka_unit_test(test_long_tokens_unstemmed),
		cmocka_unit_test(test_stem_cache_consistent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
