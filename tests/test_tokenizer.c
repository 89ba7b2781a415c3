/* Unit tests for the "snowball" FTS5 tokenizer. */
#include "testutil.h"

#include <sqlite3.h>
#include <string.h>

#include "mn_index.h"
#include "mn_store.h"
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
	/*
	 * The same words many times over: the tokenizer makes its cache after
	 * a few thousand (7000 here), and the later ones come from it.
	 */
	for (i = 0; i < 1000; i++)
		insert(db, "running runner runs ran quickly connection connected");
	assert_int_equal(count(db, "run"), 1000);
	assert_int_equal(count(db, "connect"), 1000);
	assert_int_equal(count(db, "quick"), 1000);
	sqlite3_close(db);
}


/* Every token of table t, in order: "term doc col offset" lines (caller frees). */
static char *instances(sqlite3 *db, const char *table)
{
	struct mn_buf b = MN_BUF_INIT;
	sqlite3_stmt *s;
	char *sql = sqlite3_mprintf("CREATE VIRTUAL TABLE IF NOT EXISTS temp.vi_%s USING "
				    "fts5vocab(main, %s, instance)",
				    table, table);

	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_free(sql);
	sql = sqlite3_mprintf("SELECT term, doc, col, offset FROM temp.vi_%s ORDER BY 2, 3, 4", table);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	sqlite3_free(sql);
	while (sqlite3_step(s) == SQLITE_ROW)
		mn_buf_addf(&b, "%s %lld %s %d\n", (const char *)sqlite3_column_text(s, 0),
			    (long long)sqlite3_column_int64(s, 1),
			    (const char *)sqlite3_column_text(s, 2), sqlite3_column_int(s, 3));
	sqlite3_finalize(s);
	mn_buf_add(&b, "", 0);
	return mn_buf_detach(&b);
}

/* A new English table with texts[0..n) inserted while tape is set. */
static sqlite3 *taped_table(struct mn_token_tape *tape, const char *const *texts, size_t n)
{
	sqlite3 *db = open_db("snowball english");
	size_t i;

	mn_tokenizer_set_tape(tape);
	for (i = 0; i < n; i++)
		insert(db, texts[i]);
	mn_tokenizer_set_tape(NULL);
	return db;
}

/*
 * A tape gives FTS5 the tokens it recorded, for the texts it recorded, in
 * order; other texts, and tapes of a tokenizer made otherwise, are
 * tokenized as always.
 */
static void test_tape_replays_what_it_recorded(void **state)
{
	static const char *const texts[] = {"Running runners ran; the connection connected.",
					    "Caf\xc3\xa9 na\xc3\xafve r\xc3\xa9sum\xc3\xa9s",
					    "x",
					    "Supercalifragilisticexpialidocious-and-a-very-long-token-"
					    "that-is-past-the-stemming-limit-of-sixty-four-bytes words"};
	struct mn_err err = MN_ERR_INIT;
	sqlite3 *plain = open_db("snowball english"), *taped = open_db("snowball english"),
		*german = open_db("snowball german");
	struct mn_tokenizer *en, *de;
	struct mn_token_tape *tape = mn_token_tape_new(), *other = mn_token_tape_new();
	uint64_t before = mn_tokenizer_replayed();
	char *a, *b, *c;
	size_t i;

	(void)state;
	assert_int_equal(mn_tokenizer_open(plain, "english", &en, &err), MN_OK);
	assert_int_equal(mn_tokenizer_open(plain, "german", &de, &err), MN_OK);
	for (i = 0; i < 4; i++) {
		insert(plain, texts[i]);
		insert(german, texts[i]);
		mn_token_tape_record(tape, en, texts[i], i % 2);
		mn_token_tape_record(other, de, texts[i], 0);
	}
	mn_token_tape_record(tape, en, NULL, 0);
	mn_token_tape_record(tape, en, "", 1);
	assert_true(mn_token_tape_bytes(tape) > 0);

	/* An unrecorded text first: tokenized, and the tape waits for its own. */
	mn_tokenizer_set_tape(tape);
	insert(taped, "an unrecorded text");
	for (i = 0; i < 4; i++)
		insert(taped, texts[i]);
	mn_tokenizer_set_tape(NULL);
	assert_int_equal(mn_tokenizer_replayed() - before, 4);
	insert(plain, "an unrecorded text"); /* as the fifth row there */
	a = instances(plain, "t");
	b = instances(taped, "t");
	/* Rows differ by one (the unrecorded text came first in taped): compare the terms. */
	assert_int_equal(count(taped, "run"), count(plain, "run"));
	assert_int_equal(count(taped, "resume"), count(plain, "resume"));
	assert_int_equal(count(taped, "unrecord"), 1);
	assert_int_equal(strlen(a), strlen(b));
	free(a);
	free(b);

	/* A German tape on an English table: not replayed. */
	sqlite3_close(taped);
	taped = taped_table(other, texts, 4);
	assert_int_equal(mn_tokenizer_replayed() - before, 4);
	sqlite3_close(plain);
	plain = open_db("snowball english");
	for (i = 0; i < 4; i++)
		insert(plain, texts[i]);
	a = instances(plain, "t");
	b = instances(taped, "t");
	c = instances(german, "t");
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	free(a);
	free(b);
	free(c);

	/* The same tape again, from its start, on a fresh English table: all four. */
	sqlite3_close(taped);
	taped = taped_table(tape, texts, 4);
	assert_int_equal(mn_tokenizer_replayed() - before, 8);
	a = instances(plain, "t");
	b = instances(taped, "t");
	assert_string_equal(a, b);
	free(a);
	free(b);

	mn_token_tape_free(tape);
	mn_token_tape_free(other);
	mn_tokenizer_close(en);
	mn_tokenizer_close(de);
	sqlite3_close(plain);
	sqlite3_close(taped);
	sqlite3_close(german);
}

static void count_stems(void *ctx, const char *stem, size_t n)
{
	(void)stem;
	(void)n;
	++*(int *)ctx;
}

/* The stems the sink was handed, in order, one per line. */
static void list_stems(void *ctx, const char *stem, size_t n)
{
	mn_buf_add(ctx, stem, n);
	mn_buf_addc(ctx, '\n');
}

/*
 * A tape hands each of its stems to the sink once, with its first token,
 * however many tokens and texts have it; FTS5 still gets every token. A
 * text replayed while no sink is set (its first tokens unseen) has every
 * later token handed over, so that no stem is lost.
 */
static void test_tape_sinks_each_stem_once(void **state)
{
	static const char *const texts[] = {"running runs", "the runner ran", "runs again",
					    "again and again"};
	struct mn_err err = MN_ERR_INIT;
	sqlite3 *db = open_db("snowball english"), *taped;
	struct mn_tokenizer *en;
	struct mn_token_tape *tape = mn_token_tape_new();
	struct mn_buf got = MN_BUF_INIT;

	(void)state;
	assert_int_equal(mn_tokenizer_open(db, "english", &en, &err), MN_OK);
	for (size_t i = 0; i < 4; i++)
		mn_token_tape_record(tape, en, texts[i], 1);
	mn_token_tape_done(tape);
	mn_tokenizer_set_sink(list_stems, &got);
	taped = taped_table(tape, texts, 4);
	assert_string_equal(mn_buf_str(&got), "run\nthe\nrunner\nran\nagain\nand\n");
	assert_int_equal(count(taped, "run"), 2);
	assert_int_equal(count(taped, "again"), 2);
	sqlite3_close(taped);

	/* The first text replayed with no sink: the stems of the others, every time. */
	mn_buf_reset(&got);
	taped = open_db("snowball english");
	mn_tokenizer_set_tape(tape);
	mn_tokenizer_set_sink(NULL, NULL);
	insert(taped, texts[0]);
	mn_tokenizer_set_sink(list_stems, &got);
	for (size_t i = 1; i < 4; i++)
		insert(taped, texts[i]);
	mn_tokenizer_set_tape(NULL);
	mn_tokenizer_set_sink(NULL, NULL);
	assert_string_equal(mn_buf_str(&got), "the\nrunner\nran\nrun\nagain\nagain\nand\nagain\n");
	assert_int_equal(count(taped, "run"), 2);
	mn_buf_release(&got);
	mn_token_tape_free(tape);
	mn_tokenizer_close(en);
	sqlite3_close(taped);
	sqlite3_close(db);
}

/*
 * A text a tape recorded once for its repeats (a meeting's title beside
 * each passage) goes to FTS5 every time and to the sink once; without the
 * tape, every time.
 */
static void test_tape_sinks_a_repeated_text_once(void **state)
{
	static const char *const texts[] = {"alpha beta", "gamma", "alpha beta", "delta"};
	struct mn_err err = MN_ERR_INIT;
	sqlite3 *db = open_db("snowball english"), *taped;
	struct mn_tokenizer *en;
	struct mn_token_tape *tape = mn_token_tape_new();
	int stems = 0;
	size_t i;

	(void)state;
	assert_int_equal(mn_tokenizer_open(db, "english", &en, &err), MN_OK);
	for (i = 0; i < 4; i++)
		mn_token_tape_record(tape, en, texts[i], 1);
	mn_tokenizer_set_sink(count_stems, &stems);
	for (i = 0; i < 4; i++)
		insert(db, texts[i]);
	assert_int_equal(stems, 6);
	stems = 0;
	taped = taped_table(tape, texts, 4);
	assert_int_equal(stems, 4);
	/* Replayed again from the start: once more each. */
	stems = 0;
	sqlite3_close(taped);
	taped = taped_table(tape, texts, 4);
	mn_tokenizer_set_sink(NULL, NULL);
	assert_int_equal(stems, 4);
	assert_int_equal(count(taped, "alpha"), 2);
	assert_int_equal(count(taped, "delta"), 1);
	mn_token_tape_free(tape);
	mn_tokenizer_close(en);
	sqlite3_close(taped);
	sqlite3_close(db);
}

static struct mn_store *index_with(const char *db, int no_tapes)
{
	static const char *const folders[] = {MN_SOURCE_DIR "/corpus", MN_FIXTURES};
	struct mn_err err = MN_ERR_INIT;
	struct mn_root roots[2];
	struct mn_index_opts opts;
	struct mn_index_stats stats;
	struct mn_store *store = NULL;
	size_t i;

	memset(roots, 0, sizeof(roots));
	for (i = 0; i < 2; i++)
		roots[i].path = (char *)folders[i];
	memset(&opts, 0, sizeof(opts));
	opts.roots = roots;
	opts.nroots = 2;
	opts.no_tapes = no_tapes;
	if (mn_store_open(&store, db, MN_STORE_WRITE, NULL, &err) ||
	    mn_index_run(store, &opts, &stats, &err))
		fail_msg("cannot index into %s: %s", db, err.msg);
	return store;
}

/* The rows of sql, one per line (caller frees). */
static char *rows_of(sqlite3 *db, const char *sql)
{
	struct mn_buf b = MN_BUF_INIT;
	sqlite3_stmt *s;
	int i;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		for (i = 0; i < sqlite3_column_count(s); i++)
			mn_buf_addf(&b, "%s%s", i ? " " : "",
				    sqlite3_column_text(s, i) ? (const char *)sqlite3_column_text(s, i)
							      : "NULL");
		mn_buf_addc(&b, '\n');
	}
	sqlite3_finalize(s);
	mn_buf_add(&b, "", 0);
	return mn_buf_detach(&b);
}

/* The indexer's tapes (tokens recorded while parsing) make the index tokenizing anew makes. */
static void test_index_with_tapes_is_the_same(void **state)
{
	static const char *const sql[] = {"SELECT id, ntok FROM passages ORDER BY id",
					  "SELECT * FROM terms ORDER BY 1"};
	char *tmp = tu_tmpdir(), *pa = tu_path(tmp, "taped.db"), *pb = tu_path(tmp, "plain.db");
	uint64_t before = mn_tokenizer_replayed();
	struct mn_store *a = index_with(pa, 0), *b;
	uint64_t replayed = mn_tokenizer_replayed() - before;
	char *x, *y;
	size_t i;

	(void)state;
	b = index_with(pb, 1);
	assert_int_equal(mn_tokenizer_replayed() - before, replayed);
	/* Each passage's text, topic and title (corpus/ has a few hundred passages). */
	assert_true(replayed > 300);
	x = instances(mn_store_db(a), "passages_fts");
	y = instances(mn_store_db(b), "passages_fts");
	assert_true(strlen(x) > 10000);
	assert_string_equal(x, y);
	free(x);
	free(y);
	for (i = 0; i < sizeof(sql) / sizeof(*sql); i++) {
		x = rows_of(mn_store_db(a), sql[i]);
		y = rows_of(mn_store_db(b), sql[i]);
		assert_true(strlen(x) > 100);
		assert_string_equal(x, y);
		free(x);
		free(y);
	}
	assert_int_equal(sqlite3_exec(mn_store_db(a),
				      "INSERT INTO passages_fts(passages_fts, rank) "
				      "VALUES('integrity-check', 1)",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	mn_store_close(a);
	mn_store_close(b);
	tu_rmtree(tmp);
	free(pa);
	free(pb);
	free(tmp);
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
	    cmocka_unit_test(test_tape_replays_what_it_recorded),
	    cmocka_unit_test(test_tape_sinks_each_stem_once),
	    cmocka_unit_test(test_tape_sinks_a_repeated_text_once),
	    cmocka_unit_test(test_index_with_tapes_is_the_same),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
