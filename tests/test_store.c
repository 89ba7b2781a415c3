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

/* A reader asked for a page cache of its own size gets it; the others keep SQLite's. */
static void test_cache_pages(void **state)
{
	struct mn_store_opts one_shot = {MN_STORE_READ, NULL, 0, 0, 0, MN_STORE_ONE_SHOT_PAGES, 0};
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = NULL;
	char *path = tu_path(dir, "cache.db");

	(void)state;
	assert_int_equal(mn_store_open(&store, path, MN_STORE_WRITE, NULL, &err), MN_OK);
	assert_int_equal(tu_count(store, "PRAGMA cache_size"), -16384);
	mn_store_close(store);
	assert_int_equal(mn_store_open(&store, path, MN_STORE_READ, NULL, &err), MN_OK);
	assert_true(tu_count(store, "PRAGMA cache_size") != MN_STORE_ONE_SHOT_PAGES);
	mn_store_close(store);
	assert_int_equal(mn_store_open_opts(&store, path, &one_shot, &err), MN_OK);
	assert_int_equal(tu_count(store, "PRAGMA cache_size"), MN_STORE_ONE_SHOT_PAGES);
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

/* A document of series with one passage, labelled label and resolved to speaker. */
static struct mn_doc *labelled_doc(const char *path, const char *series, const char *label,
				   const char *speaker)
{
	struct mn_doc *doc = mn_doc_new(path);
	struct mn_passage *p = mn_doc_add_passage(doc);

	doc->series = mn_arena_strdup(&doc->arena, series);
	doc->title = "A day of the plenary";
	p->line = p->end_line = p->col = 1;
	p->kind = MN_KIND_UTTERANCE;
	p->text = "we should ship it";
	p->speaker_label = mn_arena_strdup(&doc->arena, label);
	p->speakers = mn_doc_strv(doc, &speaker, 1);
	p->nspeakers = 1;
	return doc;
}

static const char *speaker_at(struct mn_store *store, const char *path)
{
	static char name[128];
	sqlite3_stmt *s;

	name[0] = '\0';
	assert_int_equal(sqlite3_prepare_v2(mn_store_db(store),
					    "SELECT p.speaker FROM passages p JOIN meetings m "
					    "ON m.id = p.meeting_id WHERE m.path = ?1",
					    -1, &s, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(s, 1, path, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		snprintf(name, sizeof(name), "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return name;
}

static void test_labels_resolved_across_the_series(void **state)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = NULL;
	char *path = tu_path(dir, "series.db");
	struct mn_doc *day1, *day2, *other, *twins1, *twins2, *day3;
	struct mn_attendee *a;
	const char *syg = "SYG";
	int64_t resolved = -1;

	(void)state;
	assert_int_equal(mn_store_open(&store, path, MN_STORE_WRITE, NULL, &err), MN_OK);
	/* Day 1 lists Shu-yu Guo as SYG; day 2 only says "SYG:". */
	day1 = labelled_doc("tc39/day1.md", "TC39", "SYG", "Shu-yu Guo");
	a = mn_doc_add_attendee(day1);
	a->name = "Shu-yu Guo";
	a->aliases = mn_doc_strv(day1, &syg, 1);
	a->naliases = 1;
	day2 = labelled_doc("tc39/day2.md", "TC39", "SYG", "SYG");
	/* Another series' SYG stays unresolved: the label means nothing there. */
	other = labelled_doc("other/notes.md", "Other WG", "SYG", "SYG");
	/* Two people of one series go by "DE": neither is chosen. */
	twins1 = labelled_doc("w/1.md", "W", "DE", "Daniel Ehrenberg");
	twins2 = labelled_doc("w/2.md", "W", "DE", "Dana Evans");
	day3 = labelled_doc("w/3.md", "W", "DE", "DE");
	assert_int_equal(mn_store_begin(store, &err), MN_OK);
	assert_int_equal(mn_store_add_doc(store, day2, NULL, NULL, &err), MN_OK);
	assert_int_equal(mn_store_add_doc(store, day1, NULL, NULL, &err), MN_OK);
	assert_int_equal(mn_store_add_doc(store, other, NULL, NULL, &err), MN_OK);
	assert_int_equal(mn_store_add_doc(store, twins1, NULL, NULL, &err), MN_OK);
	assert_int_equal(mn_store_add_doc(store, twins2, NULL, NULL, &err), MN_OK);
	assert_int_equal(mn_store_add_doc(store, day3, NULL, NULL, &err), MN_OK);
	assert_int_equal(mn_store_resolve_labels(store, &resolved, &err), MN_OK);
	assert_int_equal(mn_store_commit(store, &err), MN_OK);
	assert_int_equal(resolved, 1);
	assert_string_equal(speaker_at(store, "tc39/day2.md"), "Shu-yu Guo");
	assert_string_equal(speaker_at(store, "other/notes.md"), "SYG");
	assert_string_equal(speaker_at(store, "w/3.md"), "DE");
	assert_int_equal(mn_store_check(store, &err), MN_OK);
	mn_store_close(store);
	mn_doc_free(day1);
	mn_doc_free(day2);
	mn_doc_free(other);
	mn_doc_free(twins1);
	mn_doc_free(twins2);
	mn_doc_free(day3);
	free(path);
}

static struct mn_doc *dated(struct mn_doc *doc, const char *date)
{
	doc->dates = mn_doc_strv(doc, &date, 1);
	doc->ndates = 1;
	return doc;
}

/* A new index at path with docs written in one transaction, their labels resolved if asked. */
static struct mn_store *store_of(const char *path, struct mn_doc **docs, size_t n, int resolve)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = NULL;
	size_t i;

	assert_int_equal(mn_store_open(&store, path, MN_STORE_WRITE, NULL, &err), MN_OK);
	assert_int_equal(mn_store_begin(store, &err), MN_OK);
	for (i = 0; i < n; i++)
		assert_int_equal(mn_store_add_doc(store, docs[i], NULL, NULL, &err), MN_OK);
	if (resolve)
		assert_int_equal(mn_store_resolve_labels(store, NULL, &err), MN_OK);
	assert_int_equal(mn_store_commit(store, &err), MN_OK);
	return store;
}

/*
 * A label two people of the series went by ("MM": Mark Miller, and later
 * Mike Moore) stands, in a meeting that only says "MM:", for the one whose
 * use of it came nearest in time; as near, for the one who used it in
 * more meetings ("Keving Gibbons" once, beside "Kevin Gibbons"); when both
 * are as near as often, or the meeting has no date, for neither.
 */
static void test_labels_resolved_by_the_nearest_use(void **state)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = NULL;
	char *path = tu_path(dir, "nearest.db");
	struct mn_doc *docs[] = {
	    dated(labelled_doc("p/2015.md", "P", "MM", "Mark Miller"), "2015-03-01"),
	    dated(labelled_doc("p/2016.md", "P", "MM", "MM"), "2016-01-10"),
	    dated(labelled_doc("p/2021.md", "P", "MM", "Mike Moore"), "2021-03-01"),
	    dated(labelled_doc("p/2020.md", "P", "MM", "MM"), "2020-11-30"),
	    dated(labelled_doc("p/2018.md", "P", "MM", "MM"), "2018-03-01"),
	    labelled_doc("p/undated.md", "P", "MM", "MM"),
	    dated(labelled_doc("q/1.md", "Q", "KG", "Kevin Gibbons"), "2020-01-01"),
	    dated(labelled_doc("q/2.md", "Q", "KG", "Keving Gibbons"), "2020-01-01"),
	    dated(labelled_doc("q/3.md", "Q", "KG", "Kevin Gibbons"), "2020-02-01"),
	    dated(labelled_doc("q/4.md", "Q", "KG", "KG"), "2020-01-05"),
	};
	size_t i;

	(void)state;
	store = store_of(path, docs, sizeof(docs) / sizeof(*docs), 1);
	assert_string_equal(speaker_at(store, "p/2016.md"), "Mark Miller");
	assert_string_equal(speaker_at(store, "p/2020.md"), "Mike Moore");
	/* 2018-03-01 is 1096 days from each. */
	assert_string_equal(speaker_at(store, "p/2018.md"), "MM");
	assert_string_equal(speaker_at(store, "p/undated.md"), "MM");
	assert_string_equal(speaker_at(store, "q/4.md"), "Kevin Gibbons");
	assert_int_equal(mn_store_check(store, &err), MN_OK);
	mn_store_close(store);
	for (i = 0; i < sizeof(docs) / sizeof(*docs); i++)
		mn_doc_free(docs[i]);
	free(path);
}

static void test_single_names_scoped_by_series(void **state)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = NULL;
	char *path = tu_path(dir, "scope.db");
	struct mn_doc *a = labelled_doc("a.md", "LEG SC", "Martin", "Martin");
	struct mn_doc *b = labelled_doc("b.md", "Stratos", "Martin", "Martin");
	struct mn_doc *c = labelled_doc("c.md", "LEG SC", "Martin", "Martin");
	struct mn_doc *d = labelled_doc("d.md", "Stratos", "MH", "Mike Holmes");
	struct mn_doc *e = labelled_doc("e.md", "Other", "Mike", "Mike Holmes");
	sqlite3_stmt *s;

	(void)state;
	assert_int_equal(mn_store_open(&store, path, MN_STORE_WRITE, NULL, &err), MN_OK);
	assert_int_equal(mn_store_begin(store, &err), MN_OK);
	assert_int_equal(mn_store_add_doc(store, a, NULL, NULL, &err), MN_OK);
	assert_int_equal(mn_store_add_doc(store, b, NULL, NULL, &err), MN_OK);
	assert_int_equal(mn_store_add_doc(store, c, NULL, NULL, &err), MN_OK);
	assert_int_equal(mn_store_add_doc(store, d, NULL, NULL, &err), MN_OK);
	assert_int_equal(mn_store_add_doc(store, e, NULL, NULL, &err), MN_OK);
	assert_int_equal(mn_store_commit(store, &err), MN_OK);
	/* Two Martins (two series); one Mike Holmes across series. */
	assert_int_equal(sqlite3_prepare_v2(mn_store_db(store),
					    "SELECT (SELECT count(*) FROM people WHERE name = 'Martin'),"
					    " (SELECT count(*) FROM people WHERE name = 'Mike Holmes')",
					    -1, &s, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(s, 0), 2);
	assert_int_equal(sqlite3_column_int(s, 1), 1);
	sqlite3_finalize(s);
	mn_store_close(store);
	mn_doc_free(a);
	mn_doc_free(b);
	mn_doc_free(c);
	mn_doc_free(d);
	mn_doc_free(e);
	free(path);
}

/* The series of each meeting, in path order, as "path=series" lines. */
static char *series_of_meetings(struct mn_store *store)
{
	struct mn_buf b = MN_BUF_INIT;
	sqlite3_stmt *s;

	assert_int_equal(sqlite3_prepare_v2(mn_store_db(store),
					    "SELECT path, series FROM meetings ORDER BY path", -1,
					    &s, NULL),
			 SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW)
		mn_buf_addf(&b, "%s=%s\n", (const char *)sqlite3_column_text(s, 0),
			    (const char *)sqlite3_column_text(s, 1));
	sqlite3_finalize(s);
	mn_buf_add(&b, "", 0);
	return mn_buf_detach(&b);
}

/* The rows sql reads, a line each, columns separated by '='. */
static char *rows_of(struct mn_store *store, const char *sql)
{
	struct mn_buf b = MN_BUF_INIT;
	sqlite3_stmt *s;
	int i;

	assert_int_equal(sqlite3_prepare_v2(mn_store_db(store), sql, -1, &s, NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW)
		for (i = 0; i < sqlite3_column_count(s); i++)
			mn_buf_addf(&b, "%s%c", (const char *)sqlite3_column_text(s, i),
				    i + 1 < sqlite3_column_count(s) ? '=' : '\n');
	sqlite3_finalize(s);
	mn_buf_add(&b, "", 0);
	return mn_buf_detach(&b);
}

/*
 * Full names alike but for middle initials ("Mark S. Miller", "Mark
 * Miller") are one person, named as the index first had them, and the
 * other spelling finds them as an alias; with two such people ("Ann B.
 * Smith", "Ann C. Smith") "Ann Smith" could be either and stays apart.
 */
static void test_people_alike_but_for_initials(void **state)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = NULL;
	char *path = tu_path(dir, "initials.db"), *got;
	struct mn_doc *docs[] = {
	    labelled_doc("tc39/a1.md", "TC39", "MM", "Mark S. Miller"),
	    labelled_doc("tc39/a2.md", "TC39", "Mark", "Mark Miller"),
	    labelled_doc("x/b1.md", "X", "Ann", "Ann B. Smith"),
	    labelled_doc("x/b2.md", "X", "Ann", "Ann C. Smith"),
	    labelled_doc("x/b3.md", "X", "Ann", "Ann Smith"),
	};
	size_t i;

	(void)state;
	store = store_of(path, docs, sizeof(docs) / sizeof(*docs), 0);
	got = rows_of(store, "SELECT name FROM people WHERE scope = '' ORDER BY name");
	assert_string_equal(got, "Ann B. Smith\nAnn C. Smith\nAnn Smith\nMark S. Miller\n");
	free(got);
	got = rows_of(store, "SELECT m.path, pe.name FROM passage_people pp "
			     "JOIN passages p ON p.id = pp.passage_id "
			     "JOIN meetings m ON m.id = p.meeting_id "
			     "JOIN people pe ON pe.id = pp.person_id "
			     "WHERE m.path LIKE 'tc39/%' ORDER BY m.path");
	assert_string_equal(got, "tc39/a1.md=Mark S. Miller\ntc39/a2.md=Mark S. Miller\n");
	free(got);
	got = rows_of(store, "SELECT a.alias FROM aliases a JOIN people pe ON pe.id = a.person_id "
			     "WHERE pe.name = 'Mark S. Miller' AND a.alias LIKE 'Mark %'");
	assert_string_equal(got, "Mark Miller\n");
	free(got);
	assert_int_equal(mn_store_check(store, &err), MN_OK);
	mn_store_close(store);
	for (i = 0; i < sizeof(docs) / sizeof(*docs); i++)
		mn_doc_free(docs[i]);
	free(path);
}

/*
 * Series spelled differently that fold alike ("tc39" from a folder, "TC39"
 * from a title) are one series, spelled as the index first had it, in
 * the same transaction and in later ones; its labels resolve across both.
 * One whose file was rolled back, or whose meetings are gone, leaves no
 * spelling behind.
 */
static void test_series_spelled_one_way(void **state)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = NULL;
	char *path = tu_path(dir, "spelled.db"), *got;
	struct mn_doc *day1 = labelled_doc("tc39/day1.md", "TC39", "SYG", "Shu-yu Guo");
	struct mn_doc *day2 = labelled_doc("tc39/day2.md", "tc39", "SYG", "SYG");
	struct mn_doc *day3 = labelled_doc("tc39/day3.md", "Tc39", "SYG", "SYG");
	struct mn_doc *lost = labelled_doc("x/lost.md", "T-lang", "A", "A");
	struct mn_doc *lang = labelled_doc("x/lang.md", "t lang", "A", "A");
	struct mn_attendee *a;
	const char *syg = "SYG";
	int64_t resolved = -1;

	(void)state;
	a = mn_doc_add_attendee(day1);
	a->name = "Shu-yu Guo";
	a->aliases = mn_doc_strv(day1, &syg, 1);
	a->naliases = 1;
	assert_int_equal(mn_store_open(&store, path, MN_STORE_WRITE, NULL, &err), MN_OK);
	assert_int_equal(mn_store_begin(store, &err), MN_OK);
	assert_int_equal(mn_store_add_doc(store, day1, NULL, NULL, &err), MN_OK);
	assert_int_equal(mn_store_add_doc(store, day2, NULL, NULL, &err), MN_OK);
	assert_int_equal(mn_store_savepoint(store, &err), MN_OK);
	assert_int_equal(mn_store_add_doc(store, lost, NULL, NULL, &err), MN_OK);
	mn_store_rollback_savepoint(store);
	assert_int_equal(mn_store_resolve_labels(store, &resolved, &err), MN_OK);
	assert_int_equal(mn_store_commit(store, &err), MN_OK);
	assert_int_equal(resolved, 1);
	assert_string_equal(speaker_at(store, "tc39/day2.md"), "Shu-yu Guo");

	assert_int_equal(mn_store_begin(store, &err), MN_OK);
	assert_int_equal(mn_store_add_doc(store, day3, NULL, NULL, &err), MN_OK);
	assert_int_equal(mn_store_add_doc(store, lang, NULL, NULL, &err), MN_OK);
	assert_int_equal(mn_store_resolve_labels(store, &resolved, &err), MN_OK);
	assert_int_equal(mn_store_commit(store, &err), MN_OK);
	assert_string_equal(speaker_at(store, "tc39/day3.md"), "Shu-yu Guo");
	got = series_of_meetings(store);
	assert_string_equal(got, "tc39/day1.md=TC39\ntc39/day2.md=TC39\ntc39/day3.md=TC39\n"
				 "x/lang.md=t lang\n");
	free(got);

	/* No meeting spelled "TC39" any more: the next spells it its own way. */
	assert_int_equal(mn_store_begin(store, &err), MN_OK);
	assert_int_equal(mn_store_add_doc(store, lang, NULL, NULL, &err), MN_OK);
	assert_int_equal(mn_store_remove(store, "tc39/day1.md", NULL, &err), MN_OK);
	assert_int_equal(mn_store_remove(store, "tc39/day2.md", NULL, &err), MN_OK);
	assert_int_equal(mn_store_remove(store, "tc39/day3.md", NULL, &err), MN_OK);
	assert_int_equal(mn_store_add_doc(store, day2, NULL, NULL, &err), MN_OK);
	assert_int_equal(mn_store_commit(store, &err), MN_OK);
	got = series_of_meetings(store);
	assert_string_equal(got, "tc39/day2.md=tc39\nx/lang.md=t lang\n");
	free(got);
	assert_int_equal(mn_store_check(store, &err), MN_OK);
	mn_store_close(store);
	mn_doc_free(day1);
	mn_doc_free(day2);
	mn_doc_free(day3);
	mn_doc_free(lost);
	mn_doc_free(lang);
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
	    cmocka_unit_test(test_create_add_remove),
	    cmocka_unit_test(test_language_recorded),
	    cmocka_unit_test(test_cache_pages),
	    cmocka_unit_test(test_unknown_language),
	    cmocka_unit_test(test_missing_index),
	    cmocka_unit_test(test_not_a_database),
	    cmocka_unit_test(test_other_schema),
	    cmocka_unit_test(test_default_path),
	    cmocka_unit_test(test_labels_resolved_across_the_series),
	    cmocka_unit_test(test_labels_resolved_by_the_nearest_use),
	    cmocka_unit_test(test_single_names_scoped_by_series),
	    cmocka_unit_test(test_series_spelled_one_way),
	    cmocka_unit_test(test_people_alike_but_for_initials),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
