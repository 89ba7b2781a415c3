/*
 * Packed passage text (mn_ztext): a small index stays plain; a larger one
 * trains a dictionary and packs its text, and reads back exactly what a
 * plain index holds, in every search; later runs pack what they add and
 * re-index packed files cleanly; damage is reported, a rolled-back
 * dictionary is forgotten, and an index of schema 4 is read and upgraded.
 */
#include "testutil.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mn_index.h"
#include "mn_parse.h"
#include "mn_search.h"
#include "mn_store.h"
#include "mn_ztext.h"

static char *tmp;

static int setup(void **state)
{
	(void)state;
	tmp = tu_tmpdir();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tu_rmtree(tmp);
	free(tmp);
	return 0;
}

/* Opens (creating) the index at name in tmp and indexes the folders into it. */
static struct mn_store *build(const char *name, size_t train_after, const char *const *folders,
			      size_t nfolders)
{
	struct mn_store_opts so = {MN_STORE_WRITE, NULL, 0, 0, train_after, 0, 0};
	char *db = tu_path(tmp, name);
	struct mn_store *store = tu_index_folders(db, &so, folders, nfolders);

	free(db);
	return store;
}

/* Every passage, one per line: where it is and its text (caller frees). */
static char *all_text(struct mn_store *store)
{
	struct mn_buf b = MN_BUF_INIT;
	sqlite3_stmt *s = NULL;

	assert_int_equal(sqlite3_prepare_v2(mn_store_db(store),
					    "SELECT m.path, p.line, p.col, minutes_text(p.text) "
					    "FROM passages p JOIN meetings m ON m.id = p.meeting_id "
					    "ORDER BY 1, 2, 3",
					    -1, &s, NULL),
			 SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW)
		mn_buf_addf(&b, "%s:%d:%d %s\n", (const char *)sqlite3_column_text(s, 0),
			    sqlite3_column_int(s, 1), sqlite3_column_int(s, 2),
			    (const char *)sqlite3_column_text(s, 3));
	assert_int_equal(sqlite3_errcode(mn_store_db(store)), SQLITE_DONE);
	sqlite3_finalize(s);
	mn_buf_add(&b, "", 0);
	return mn_buf_detach(&b);
}

static int add_hit(void *ctx, const struct mn_hit *h)
{
	mn_buf_addf(ctx, "%s:%d:%d %.6f %s | %s\n", h->path, h->line, h->match_column, h->score,
		    h->snippet ? h->snippet : "", h->speaker ? h->speaker : "");
	return 0;
}

/* The hits of q, with their scores and snippets, one per line (caller frees). */
static char *hits_of(struct mn_store *store, const char *q, int *status, char **msg)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_search_opts opts;
	struct mn_results res;
	struct mn_buf b = MN_BUF_INIT;

	memset(&opts, 0, sizeof(opts));
	opts.query = q;
	opts.limit = 500;
	*status = mn_search(store, &opts, add_hit, &b, &res, &err);
	if (msg)
		*msg = *status ? mn_xstrdup(err.msg) : NULL;
	mn_buf_addf(&b, "total %lld\n", (long long)res.total);
	mn_results_release(&res);
	return mn_buf_detach(&b);
}

/* The suggestion for q (held in a static buffer), or "". */
static const char *suggestion_of(struct mn_store *store, const char *q)
{
	static char buf[256];
	struct mn_err err = MN_ERR_INIT;
	struct mn_search_opts opts;
	struct mn_results res;
	struct mn_buf b = MN_BUF_INIT;

	memset(&opts, 0, sizeof(opts));
	opts.query = q;
	opts.limit = 10;
	opts.suggest = 1;
	if (mn_search(store, &opts, add_hit, &b, &res, &err))
		fail_msg("'%s': %s", q, err.msg);
	snprintf(buf, sizeof(buf), "%s", res.suggestion ? res.suggestion : "");
	mn_results_release(&res);
	mn_buf_release(&b);
	return buf;
}

static const char *const seeds[] = {MN_SOURCE_DIR "/corpus", MN_FIXTURES "/search"};

static void test_small_index_stays_plain(void **state)
{
	struct mn_store *store = build("plain.db", 0, seeds, 2);

	(void)state;
	assert_int_equal(tu_count(store, "SELECT count(*) FROM text_dicts"), 0);
	assert_int_equal(tu_count(store, "SELECT count(*) FROM passages WHERE typeof(text) <> 'text'"),
			 0);
	assert_int_equal(tu_count(store, "PRAGMA user_version"), MN_SCHEMA_VERSION);
	mn_store_close(store);
}

static void test_packed_reads_as_plain(void **state)
{
	static const char *const queries[] = {
	    "migration",	  "\"live migration\"", "meet*", "the",	   "action OR decision",
	    "speaker:Elsie migration", "topic:agenda",	"proposal -rust", "kind:action",
	};
	struct mn_store *plain = build("plain.db", 0, seeds, 2);
	struct mn_store *packed = build("packed.db", 1, seeds, 2);
	char *a, *b;
	size_t i;
	int sa, sb;

	(void)state;
	assert_int_equal(tu_count(packed, "SELECT count(*) FROM text_dicts"), 1);
	/* Most passages are packed; a few are too short to gain from it. */
	assert_true(tu_count(packed, "SELECT count(*) FROM passages WHERE typeof(text) = 'blob'") * 2 >
		    tu_count(packed, "SELECT count(*) FROM passages"));
	assert_true(tu_count(packed, "SELECT sum(length(text)) FROM passages") <
		    tu_count(plain, "SELECT sum(length(text)) FROM passages"));
	a = all_text(plain);
	b = all_text(packed);
	assert_true(strlen(a) > 10000);
	assert_string_equal(a, b);
	free(a);
	free(b);
	for (i = 0; i < sizeof(queries) / sizeof(*queries); i++) {
		a = hits_of(plain, queries[i], &sa, NULL);
		b = hits_of(packed, queries[i], &sb, NULL);
		assert_int_equal(sa, MN_OK);
		assert_int_equal(sb, MN_OK);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	mn_store_close(plain);
	mn_store_close(packed);
}

/* Writes n meetings of made-up but varied discussion into folder (about 1.5 KB each). */
static void write_meetings(const char *folder, int first, int n)
{
	static const char *const who[] = {"Ada", "Bert", "Chen", "Dana", "Emil"};
	static const char *const what[] = {
	    "the release schedule", "the migration plan", "our budget for next year",
	    "the testing matrix",   "the new contributors", "documentation of the parser",
	};
	int i, k;

	for (i = first; i < first + n; i++) {
		struct mn_buf b = MN_BUF_INIT;
		char name[64], *path;

		mn_buf_addf(&b, "# Working group %d\n\nDate: 2024-%02d-%02d\n\n## Notes\n\n",
			    i, 1 + i % 12, 1 + i % 28);
		for (k = 0; k < 12; k++)
			mn_buf_addf(&b,
				    "%s: I looked again at %s (item %d) and think we should "
				    "decide on %s before meeting %d.\n\n",
				    who[(i + k) % 5], what[(i * 7 + k) % 6], i * 100 + k,
				    what[(i + 3 * k) % 6], i + k);
		mn_buf_add(&b, "", 0);
		snprintf(name, sizeof(name), "wg-%04d.md", i);
		path = tu_path(folder, name);
		tu_write_file(path, mn_buf_str(&b));
		free(path);
		mn_buf_release(&b);
	}
}

static void test_later_runs_pack_and_reindex(void **state)
{
	struct mn_err err = MN_ERR_INIT;
	char *folder = tu_path(tmp, "wg"), *path;
	const char *const roots[] = {folder};
	struct mn_store *store;
	int64_t blobs;
	char *hits;
	int st;

	(void)state;
	/* Past the default threshold: the first run trains and packs by itself. */
	assert_int_equal(mkdir(folder, 0777), 0);
	write_meetings(folder, 0, 60);
	store = build("wg.db", 0, roots, 1);
	assert_int_equal(tu_count(store, "SELECT count(*) FROM text_dicts"), 1);
	blobs = tu_count(store, "SELECT count(*) FROM passages WHERE typeof(text) = 'blob'");
	assert_true(blobs > 600);
	mn_store_close(store);

	/* New files are packed as they come; a changed one is taken out and put back. */
	write_meetings(folder, 60, 5);
	path = tu_path(folder, "wg-0003.md");
	tu_write_file(path, "# Working group 3\n\nDate: 2024-04-04\n\nAda: all new text now.\n");
	free(path);
	store = build("wg.db", 0, roots, 1);
	assert_int_equal(tu_count(store, "SELECT count(*) FROM text_dicts"), 1);
	assert_true(tu_count(store, "SELECT count(*) FROM passages WHERE typeof(text) = 'blob'") >
		    blobs);
	assert_int_equal(mn_store_check(store, &err), MN_OK);
	hits = hits_of(store, "\"all new text\"", &st, NULL);
	assert_int_equal(st, MN_OK);
	assert_non_null(strstr(hits, "wg-0003.md"));
	assert_non_null(strstr(hits, "total 1\n"));
	free(hits);
	hits = hits_of(store, "\"item 303\"", &st, NULL);
	assert_non_null(strstr(hits, "total 0\n"));
	free(hits);
	hits = hits_of(store, "\"item 6203\"", &st, NULL);
	assert_non_null(strstr(hits, "wg-0062.md"));
	free(hits);
	/* The index had its dictionary: the parsing thread packed the files' texts. */
	assert_true(mn_ztext_ahead_taken(mn_store_ztext(store)) > 0);
	mn_store_close(store);
	free(folder);
}

static void test_small_runs_add_up(void **state)
{
	char *folder = tu_path(tmp, "wg");
	const char *const roots[] = {folder};
	struct mn_store *store;
	int run;

	(void)state;
	assert_int_equal(mkdir(folder, 0777), 0);
	/* Ten meetings (about 15 KB of text) a run, each its own process as it were. */
	for (run = 0; run < 6; run++) {
		write_meetings(folder, run * 10, 10);
		store = build("runs.db", 0, roots, 1);
		if (tu_count(store, "SELECT sum(length(minutes_text(text))) FROM passages") < 60 * 1024)
			assert_int_equal(tu_count(store, "SELECT count(*) FROM text_dicts"), 0);
		mn_store_close(store);
	}
	store = build("runs.db", 0, roots, 1);
	assert_int_equal(tu_count(store, "SELECT count(*) FROM text_dicts"), 1);
	assert_true(tu_count(store, "SELECT count(*) FROM passages WHERE typeof(text) = 'blob'") * 10 >
		    tu_count(store, "SELECT count(*) FROM passages") * 9);
	mn_store_close(store);
	free(folder);
}

static void test_damage_is_reported(void **state)
{
	struct mn_store *store = build("packed.db", 1, seeds, 2);
	char *hits, *msg = NULL;
	int st;

	(void)state;
	hits = hits_of(store, "migration", &st, NULL);
	assert_int_equal(st, MN_OK);
	free(hits);
	/* A packed text whose frame is cut short. */
	assert_int_equal(sqlite3_exec(mn_store_db(store),
				      "UPDATE passages SET text = substr(text, 1, 8) "
				      "WHERE typeof(text) = 'blob'",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	hits = hits_of(store, "migration", &st, &msg);
	assert_int_not_equal(st, MN_OK);
	if (!strstr(msg, "damaged"))
		fail_msg("%s", msg);
	assert_non_null(strstr(msg, "minutes-index --rebuild"));
	free(hits);
	free(msg);
	mn_store_close(store);

	/* The dictionary gone: said so, by a new reader as by one that held it. */
	store = build("packed2.db", 1, seeds, 2);
	assert_int_equal(
	    sqlite3_exec(mn_store_db(store), "DELETE FROM text_dicts", NULL, NULL, NULL), SQLITE_OK);
	mn_ztext_forget(mn_store_ztext(store));
	hits = hits_of(store, "migration", &st, &msg);
	assert_int_not_equal(st, MN_OK);
	assert_non_null(strstr(msg, "dictionary is missing"));
	free(hits);
	free(msg);
	mn_store_close(store);
}

static void test_rolled_back_dictionary_is_forgotten(void **state)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_store_opts so = {MN_STORE_WRITE, NULL, 0, 0, 1, 0, 0};
	struct mn_store *store = NULL;
	struct mn_doc *doc = NULL;
	char *db = tu_path(tmp, "rollback.db"), *hits, *text;
	struct mn_buf b = MN_BUF_INIT;
	int replaced, st, i;

	(void)state;
	/* Enough to train on: 200 lines. */
	mn_buf_adds(&b, "# Sync\n\nDate: 2024-01-02\n\n");
	for (i = 0; i < 200; i++)
		mn_buf_addf(&b, "Ada: point %d of the review, on the testing matrix and the budget "
				"for year %d, with %s.\n\n",
			    i, 2000 + i, i % 2 ? "the migration plan" : "no plan yet");
	mn_buf_add(&b, "", 0);
	text = mn_buf_detach(&b);
	assert_int_equal(mn_store_open_opts(&store, db, &so, &err), MN_OK);
	assert_int_equal(mn_parse("a.md", text, strlen(text), &doc, &err), MN_OK);
	assert_int_equal(mn_store_begin(store, &err), MN_OK);
	assert_int_equal(mn_store_add_doc(store, doc, NULL, &replaced, &err), MN_OK);
	/* Trained and packed inside the transaction, which is then rolled back. */
	assert_int_equal(mn_ztext_commit(mn_store_ztext(store), &err), MN_OK);
	assert_int_equal(tu_count(store, "SELECT count(*) FROM text_dicts"), 1);
	mn_store_rollback(store);
	assert_int_equal(tu_count(store, "SELECT count(*) FROM text_dicts"), 0);
	/* Nothing may name the dictionary that is gone. */
	assert_int_equal(mn_store_begin(store, &err), MN_OK);
	assert_int_equal(mn_store_add_doc(store, doc, NULL, &replaced, &err), MN_OK);
	assert_int_equal(mn_store_commit(store, &err), MN_OK);
	assert_int_equal(mn_store_check(store, &err), MN_OK);
	assert_true(tu_count(store, "SELECT count(*) FROM passages WHERE typeof(text) = 'blob'") > 0);
	/* The stems of the rolled-back run are written again with the passages that hold them. */
	assert_int_equal(tu_count(store, "SELECT count(*) FROM terms WHERE term IN ('migrat', 'matrix')"),
			 2);
	hits = hits_of(store, "\"migration plan\"", &st, NULL);
	assert_int_equal(st, MN_OK);
	assert_non_null(strstr(hits, "total 100\n"));
	free(hits);
	free(text);
	mn_doc_free(doc);
	mn_store_close(store);
	free(db);
}

/* The 200-passage meeting of the tests below, as file name. */
static struct mn_doc *review_doc(const char *name)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_buf b = MN_BUF_INIT;
	struct mn_doc *doc = NULL;
	int i;

	mn_buf_adds(&b, "# Sync\n\nDate: 2024-01-02\n\n");
	for (i = 0; i < 200; i++)
		mn_buf_addf(&b,
			    "Ada: point %d of the review, on the testing matrix and the budget "
			    "for year %d, with %s.\n\n",
			    i, 2000 + i, i % 2 ? "the migration plan" : "no plan yet");
	assert_int_equal(mn_parse(name, b.data, b.len, &doc, &err), MN_OK);
	mn_buf_release(&b);
	return doc;
}

struct ahead_job {
	struct mn_zdict *dict;
	const struct mn_doc *doc;
	struct mn_zahead *ahead;
};

/* Packs a doc's texts ahead, as the indexer's parsing thread does. */
static void *pack_ahead(void *arg)
{
	struct ahead_job *j = arg;
	struct mn_zpacker *k = mn_zpacker_new();
	size_t i;

	j->ahead = mn_zahead_new(j->dict);
	for (i = 0; i < j->doc->npassages; i++)
		mn_zahead_add(j->ahead, k, j->doc->passages[i].text);
	mn_zpacker_free(k);
	mn_zdict_unref(j->dict); /* in this thread: the writer keeps its own */
	return NULL;
}

/* Stores doc with a (NULL: none) set; returns how many texts were taken from it. */
static uint64_t add_with(struct mn_store *store, const struct mn_doc *doc, struct mn_zahead *a)
{
	struct mn_ztext *z = mn_store_ztext(store);
	struct mn_err err = MN_ERR_INIT;
	uint64_t before = mn_ztext_ahead_taken(z);
	int replaced;

	assert_int_equal(mn_store_begin(store, &err), MN_OK);
	mn_ztext_set_ahead(z, a);
	assert_int_equal(mn_store_add_doc(store, doc, NULL, &replaced, &err), MN_OK);
	mn_ztext_set_ahead(z, NULL);
	assert_int_equal(mn_store_commit(store, &err), MN_OK);
	return mn_ztext_ahead_taken(z) - before;
}

/* The stored texts of file's passages, in order, in hex (caller frees). */
static char *stored_of(struct mn_store *store, const char *file)
{
	char *sql = sqlite3_mprintf("SELECT group_concat(x, ' ') FROM (SELECT hex(p.text) AS x "
				    "FROM passages p JOIN meetings m ON m.id = p.meeting_id "
				    "WHERE m.path = %Q ORDER BY p.id)",
				    file);
	sqlite3_stmt *s = NULL;
	char *v;

	assert_int_equal(sqlite3_prepare_v2(mn_store_db(store), sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	v = strdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_free(sql);
	return v;
}

/*
 * Texts packed ahead in another thread are stored as the writer would have
 * packed them; packed with a dictionary the writer no longer has, or for
 * other texts, they are not used, and the writer packs itself.
 */
static void test_packed_ahead_is_what_the_writer_packs(void **state)
{
	struct mn_store *store = build("ahead.db", 1, seeds, 2);
	struct mn_ztext *z = mn_store_ztext(store);
	struct mn_doc *a = review_doc("a.md"), *b = review_doc("b.md"), *c = review_doc("c.md");
	struct ahead_job job = {NULL, a, NULL};
	struct mn_zahead *first, *stale;
	pthread_t thread;
	char *sa, *sb, *sc, *hits;
	int st;

	(void)state;
	assert_int_equal(tu_count(store, "SELECT count(*) FROM text_dicts"), 1);
	assert_non_null(job.dict = mn_ztext_dict(z));
	assert_int_equal(pthread_create(&thread, NULL, pack_ahead, &job), 0);
	assert_int_equal(pthread_join(thread, NULL), 0);
	first = job.ahead;
	assert_non_null(first);
	assert_true(mn_zahead_bytes(first) > 0);

	/* The ahead of a's texts is not b's (other pointers, the same words). */
	assert_int_equal(add_with(store, b, first), 0);
	assert_int_equal(add_with(store, a, first), a->npassages);
	sa = stored_of(store, "a.md");
	sb = stored_of(store, "b.md");
	assert_string_equal(sa, sb);
	assert_non_null(strstr(sa, " 01")); /* packed: MN_ZTEXT_ZSTD first */

	/* The writer's dictionary let go of (a rollback does): a's ahead is stale for c. */
	job = (struct ahead_job){mn_ztext_dict(z), c, NULL};
	assert_int_equal(pthread_create(&thread, NULL, pack_ahead, &job), 0);
	assert_int_equal(pthread_join(thread, NULL), 0);
	stale = job.ahead;
	mn_ztext_forget(z);
	assert_int_equal(add_with(store, c, stale), 0);
	sc = stored_of(store, "c.md");
	assert_string_equal(sc, sa);
	hits = hits_of(store, "\"migration plan\"", &st, NULL);
	assert_int_equal(st, MN_OK);
	assert_non_null(strstr(hits, "total 300\n"));
	free(hits);

	/* A text longer than any before, which the writer packs into a larger buffer. */
	{
		struct mn_err err = MN_ERR_INIT;
		struct mn_buf t = MN_BUF_INIT;
		struct mn_doc *d = NULL;
		char *sql, *got;
		int i;

		mn_buf_adds(&t, "# Long\n\nDate: 2024-01-03\n\nAda:");
		for (i = 0; i < 4000; i++)
			mn_buf_addf(&t, " word%d", i * 7919 % 10007);
		mn_buf_adds(&t, "\n");
		assert_int_equal(mn_parse("d.md", t.data, t.len, &d, &err), MN_OK);
		assert_int_equal(add_with(store, d, NULL), 0);
		/* Its date line first, then the long passage, packed. */
		assert_int_equal(d->npassages, 2);
		sql = sqlite3_mprintf(
		    "SELECT count(*) FROM passages p JOIN meetings m ON m.id = "
		    "p.meeting_id WHERE m.path = 'd.md' AND minutes_text(p.text) = %Q",
		    d->passages[1].text);
		assert_int_equal(tu_count(store, sql), 1);
		got = stored_of(store, "d.md");
		assert_non_null(strstr(got, " 01"));
		free(got);
		sqlite3_free(sql);
		mn_doc_free(d);
		mn_buf_release(&t);
	}
	mn_zahead_free(first);
	mn_zahead_free(stale);
	free(sa);
	free(sb);
	free(sc);
	mn_doc_free(a);
	mn_doc_free(b);
	mn_doc_free(c);
	mn_store_close(store);
}

static void test_schema_4_is_read_then_upgraded(void **state)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = build("old.db", 0, seeds, 1);
	char *db = tu_path(tmp, "old.db"), *before, *after, *hits, *folder = tu_path(tmp, "wg");
	const char *const more[] = {seeds[0], folder};
	int st;

	(void)state;
	assert_int_equal(mkdir(folder, 0777), 0);
	write_meetings(folder, 0, 20);
	before = hits_of(store, "migration", &st, NULL);
	/* As schema 4 left it: no dictionaries or terms, a view reading the text straight. */
	assert_int_equal(sqlite3_exec(mn_store_db(store),
				      TU_SCHEMA_8_UNDONE TU_SCHEMA_7_UNDONE TU_SCHEMA_6_UNDONE
				      "DROP TABLE text_dicts; DROP TABLE terms; "
				      "DROP VIEW passages_content; "
				      "CREATE VIEW passages_content AS SELECT p.id AS id, p.text "
				      "AS text, t.path AS topic, m.title AS title FROM passages p "
				      "JOIN meetings m ON m.id = p.meeting_id LEFT JOIN "
				      "dict_topics t ON t.id = p.topic_id; PRAGMA user_version = 4",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	mn_store_close(store);
	assert_int_equal(mn_store_open(&store, db, MN_STORE_READ, NULL, &err), MN_OK);
	after = hits_of(store, "migration", &st, NULL);
	assert_int_equal(st, MN_OK);
	assert_string_equal(before, after);
	free(after);
	/* "Did you mean" reads the vocabulary itself when there is no table of terms. */
	assert_string_equal(suggestion_of(store, "migratoin"), "migration");
	mn_store_close(store);
	/* A writer upgrades it, and packs from then on. */
	store = build("old.db", 1, more, 2);
	assert_int_equal(tu_count(store, "PRAGMA user_version"), MN_SCHEMA_VERSION);
	assert_int_equal(tu_count(store, "SELECT count(*) FROM text_dicts"), 1);
	assert_true(tu_count(store, "SELECT count(*) FROM terms") > 1000);
	assert_string_equal(suggestion_of(store, "migratoin"), "migration");
	assert_true(tu_count(store, "SELECT count(*) FROM passages WHERE typeof(text) = 'blob'") > 0);
	assert_int_equal(mn_store_check(store, &err), MN_OK);
	hits = hits_of(store, "\"dead migration\"", &st, NULL);
	assert_int_equal(st, MN_OK);
	assert_non_null(strstr(hits, "000_ef34be2ffa71a066.txt:143:"));
	assert_non_null(strstr(hits, "total 3\n"));
	free(hits);
	free(before);
	mn_store_close(store);
	free(folder);
	free(db);
}

static void test_unpack_refuses_garbage(void **state)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = build("packed.db", 1, seeds, 1);
	static const unsigned char bad[][8] = {
	    {9, 1, 0, 0, 1, 2, 3, 4}, /* unknown format */
	    {MN_ZTEXT_ZSTD, 0, 0, 0, 1, 2, 3, 4}, /* no dictionary id */
	    {MN_ZTEXT_ZSTD, 1, 0xff, 0xff, 1, 2, 3, 4}, /* another dictionary's check */
	    {MN_ZTEXT_ZSTD, 7, 0, 0, 1, 2, 3, 4}, /* a dictionary that is not there */
	};
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		mn_err_clear(&err);
		assert_null(mn_ztext_unpack(mn_store_ztext(store), bad[i], sizeof(bad[i]), &len,
					    &err));
		assert_int_not_equal(err.status, MN_OK);
		assert_non_null(strstr(err.msg, "damaged"));
	}
	mn_store_close(store);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_small_index_stays_plain, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_packed_reads_as_plain, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_later_runs_pack_and_reindex, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_small_runs_add_up, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_damage_is_reported, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rolled_back_dictionary_is_forgotten, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_packed_ahead_is_what_the_writer_packs, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_schema_4_is_read_then_upgraded, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unpack_refuses_garbage, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
