/*
 * The column cursors (mn_cols.h) against the tables they are built from:
 * every value and list a cursor reads is what passages and passage_people
 * hold, whatever the walk over the rows: each row, every few rows, long
 * leaps, back again. On an index of 6000 passages (two chunks) whose
 * speaker lists are long enough to be indexed by row once read again, and
 * on one of 150 whose list is always walked (dense enough that a sparse
 * walk leaps).
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mn_cols.h"
#include "mn_index.h"
#include "mn_store.h"

static char *tmp;
static struct mn_store *store;
static int64_t end; /* one past the highest passage id */

static const char *const people[] = {"Ada Lo", "Bert Yu", "Cy Ma", "Di No", "Ed Ko", "Flo Re"};

/* Indexes meetings meetings of 150 passages each. */
static int setup_meetings(int meetings)
{
	struct mn_err err = MN_ERR_INIT;
	char *db, *folder;
	int m, i;

	tmp = tu_tmpdir();
	folder = tu_path(tmp, "minutes");
	assert_int_equal(mkdir(folder, 0777), 0);
	for (m = 0; m < meetings; m++) {
		struct mn_buf b = MN_BUF_INIT;
		char name[32], *path;

		mn_buf_addf(&b, "# Weekly sync %d\n\nDate: 2021-%02d-%02d\n\nAttendees: ", m,
			    1 + m % 12, 1 + m % 28);
		for (i = 0; i < 6; i++)
			mn_buf_addf(&b, "%s%s", i ? ", " : "", people[i]);
		mn_buf_adds(&b, "\n\n");
		for (i = 0; i < 150; i++) {
			if (i % 7 == 0)
				mn_buf_addf(&b, "## Item %d of meeting %d\n\n", i / 7, m);
			mn_buf_addf(&b, "%s: point %d about the plan.\n\n", people[(i * 5 + m) % 6],
				    i);
		}
		mn_buf_add(&b, "", 0);
		snprintf(name, sizeof(name), "m%02d.md", m);
		path = tu_path(folder, name);
		tu_write_file(path, mn_buf_str(&b));
		free(path);
		mn_buf_release(&b);
	}
	db = tu_path(tmp, "index.db");
	store = tu_index_folders(db, NULL, (const char *const *)&folder, 1);
	free(db);
	free(folder);
	assert_int_equal(mn_cols_begin(mn_store_cols(store), &err), MN_OK);
	end = mn_cols_end(mn_store_cols(store), &err);
	return 0;
}

/* Two chunks of lists and topic runs long enough to be indexed by row (row_index). */
static int setup(void **state)
{
	(void)state;
	setup_meetings(40);
	assert_true(end > MN_CHUNK_ROWS);
	return 0;
}

/* One chunk whose list and runs are short enough to be walked. */
static int setup_small(void **state)
{
	(void)state;
	setup_meetings(1);
	assert_true(end < 200);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	mn_store_close(store);
	tu_rmtree(tmp);
	free(tmp);
	return 0;
}

/* What the tables say, read once: each passage's speakers, meeting and topic. */
struct truth {
	uint32_t speakers[MN_CHUNK_ROWS * 2][4];
	size_t nspeakers[MN_CHUNK_ROWS * 2];
	uint32_t meeting[MN_CHUNK_ROWS * 2], topic[MN_CHUNK_ROWS * 2];
};

static struct truth *read_truth(void)
{
	struct truth *t = calloc(1, sizeof(*t));
	sqlite3_stmt *s = NULL;

	assert_non_null(t);
	assert_true(end <= MN_CHUNK_ROWS * 2);
	assert_int_equal(sqlite3_prepare_v2(mn_store_db(store),
					    "SELECT passage_id, person_id FROM passage_people "
					    "WHERE role = 0 ORDER BY passage_id, person_id",
					    -1, &s, NULL),
			 SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);

		assert_true(t->nspeakers[id] < 4);
		t->speakers[id][t->nspeakers[id]++] = (uint32_t)sqlite3_column_int64(s, 1);
	}
	sqlite3_finalize(s);
	assert_int_equal(
	    sqlite3_prepare_v2(mn_store_db(store),
			       "SELECT id, meeting_id, coalesce(topic_id, 0) FROM passages", -1, &s,
			       NULL),
	    SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);

		t->meeting[id] = (uint32_t)sqlite3_column_int64(s, 1);
		t->topic[id] = (uint32_t)sqlite3_column_int64(s, 2);
	}
	sqlite3_finalize(s);
	return t;
}

/* Checks the cursors at rowid. */
static void check_row(const struct truth *t, struct mn_cursor *speakers, struct mn_cursor *meeting,
		      struct mn_cursor *topic, int64_t rowid)
{
	size_t first, n = mn_cursor_list(speakers, rowid, &first), i;

	if (n != t->nspeakers[rowid])
		fail_msg("row %lld: %zu speakers, want %zu", (long long)rowid, n,
			 t->nspeakers[rowid]);
	for (i = 0; i < n; i++)
		assert_int_equal(mn_cursor_item(speakers, first + i), t->speakers[rowid][i]);
	assert_int_equal(mn_cursor_value(meeting, rowid), t->meeting[rowid]);
	assert_int_equal(mn_cursor_value(topic, rowid), t->topic[rowid]);
}

/* Walks the rows with strides from stride_of, fresh cursors, checking each row visited. */
static void walk(const struct truth *t, int64_t (*stride_of)(int64_t step))
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_cursor speakers, meeting, topic;
	int64_t rowid = 0, step = 0;

	mn_cursor_init(&speakers, mn_store_cols(store), MN_COL_SPEAKERS, &err);
	mn_cursor_init(&meeting, mn_store_cols(store), MN_COL_MEETING, &err);
	mn_cursor_init(&topic, mn_store_cols(store), MN_COL_TOPIC, &err);
	while (rowid >= 0 && rowid < end) {
		check_row(t, &speakers, &meeting, &topic, rowid);
		rowid += stride_of(step++);
	}
	assert_int_equal(err.status, MN_OK);
}

static int64_t every_row(int64_t step)
{
	(void)step;
	return 1;
}

static int64_t every_third(int64_t step)
{
	(void)step;
	return 3;
}

/* Leaps over 9 to 600 rows: past the linear walk, within and across chunks. */
static int64_t leaps(int64_t step)
{
	static const int64_t v[] = {9, 17, 40, 1, 600, 33, 2, 250, 11, 129};

	return v[step % 10];
}

/* Mostly forward, now and then back (the lists are searched again from the start). */
static int64_t back_and_forth(int64_t step)
{
	return step % 5 == 4 ? -70 : 45;
}

/* The index opened anew (as the setup left it: to write), its columns not read yet. */
static void fresh_columns(void)
{
	struct mn_err err = MN_ERR_INIT;
	char *db = tu_path(tmp, "index.db");

	mn_store_close(store);
	if (mn_store_open(&store, db, MN_STORE_WRITE, NULL, &err) ||
	    mn_cols_begin(mn_store_cols(store), &err))
		fail_msg("cannot open %s again: %s", db, err.msg);
	free(db);
}

/*
 * --check builds each chunk's columns again from the tables and compares:
 * a passage's kind, a speaker, an organisation or a series changed behind
 * the columns' back is reported, naming the column and the passages (each
 * damage undone before the next).
 */
static void test_check_finds_stale_columns(void **state)
{
	static const struct {
		const char *damage, *undo, *what;
	} cases[] = {
	    {"UPDATE passages SET kind = kind + 1 WHERE id = 5000",
	     "UPDATE passages SET kind = kind - 1 WHERE id = 5000", "kinds of passages 4096-8191"},
	    {"UPDATE passage_people SET role = 7 WHERE passage_id = 10 AND role = 0",
	     "UPDATE passage_people SET role = 0 WHERE passage_id = 10 AND role = 7",
	     "speakers of passages 0-4095"},
	    {"CREATE TEMP TABLE kept AS SELECT series FROM meetings WHERE id = 1;"
	     "UPDATE meetings SET series = 'Other' WHERE id = 1",
	     "UPDATE meetings SET series = (SELECT series FROM kept) WHERE id = 1;"
	     "DROP TABLE kept",
	     "series of passages 0-4095"},
	    {"CREATE TEMP TABLE kept AS SELECT person_id, org FROM attendance WHERE meeting_id = 3;"
	     "UPDATE attendance SET org = 'Acme' WHERE meeting_id = 3",
	     "UPDATE attendance SET org = (SELECT org FROM kept k WHERE k.person_id = "
	     "attendance.person_id) WHERE meeting_id = 3;"
	     "DROP TABLE kept",
	     "organisations of passages 0-4095"},
	};
	struct mn_err err = MN_ERR_INIT;
	size_t i;

	(void)state;
	assert_int_equal(mn_store_check(store, &err), MN_OK);
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		assert_int_equal(
		    sqlite3_exec(mn_store_db(store), cases[i].damage, NULL, NULL, NULL), SQLITE_OK);
		mn_err_clear(&err);
		assert_int_equal(mn_store_check(store, &err), MN_ERR_DB);
		if (!strstr(err.msg, cases[i].what))
			fail_msg("after '%s': '%s', want '%s'", cases[i].damage, err.msg,
				 cases[i].what);
		assert_int_equal(sqlite3_exec(mn_store_db(store), cases[i].undo, NULL, NULL, NULL),
				 SQLITE_OK);
		mn_err_clear(&err);
		if (mn_store_check(store, &err))
			fail_msg("after '%s': %s", cases[i].undo, err.msg);
	}
}

/*
 * Each walk twice on columns read anew: the first cursors to come to a
 * chunk walk it, those that come back use its index by row (when it is
 * long enough to have one).
 */
static void test_walks(void **state)
{
	int64_t (*const walks[])(int64_t) = {every_row, every_third, leaps, back_and_forth};
	struct truth *t = read_truth();
	size_t listed = 0, w;
	int64_t i;

	(void)state;
	for (i = 0; i < end; i++)
		listed += t->nspeakers[i];
	/* Dense enough that a walk of every few rows leaps over entries. */
	assert_true(listed > (size_t)end / 2);
	for (w = 0; w < sizeof(walks) / sizeof(*walks); w++) {
		fresh_columns();
		walk(t, walks[w]);
		walk(t, walks[w]);
	}
	free(t);
}

/* The passages of person in role, from passage_people: a new bit set. */
static struct mn_bits truth_rows(uint32_t person, int role)
{
	struct mn_bits bits = {NULL, 0};
	sqlite3_stmt *s = NULL;

	assert_int_equal(sqlite3_prepare_v2(mn_store_db(store),
					    "SELECT passage_id FROM passage_people "
					    "WHERE person_id = ?1 AND role = ?2",
					    -1, &s, NULL),
			 SQLITE_OK);
	sqlite3_bind_int64(s, 1, person);
	sqlite3_bind_int(s, 2, role);
	while (sqlite3_step(s) == SQLITE_ROW)
		mn_bits_add(&bits, (uint64_t)sqlite3_column_int64(s, 0));
	sqlite3_finalize(s);
	return bits;
}

/* Word i of a set of n words, 0 past them. */
static uint64_t word_at(const uint64_t *w, size_t n, size_t i)
{
	return i < n ? w[i] : 0;
}

/*
 * mn_cols_person_rows against passage_people, for every person (and one
 * past them) in both roles; the number of passages compared in *compared.
 */
static void check_person_rows(size_t *compared)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_cols *cols = mn_store_cols(store);
	int64_t last = tu_count(store, "SELECT max(id) FROM people");
	int64_t person;
	int role;

	*compared = 0;
	assert_int_equal(mn_cols_begin(cols, &err), MN_OK);
	for (person = 1; person <= last + 1; person++)
		for (role = 0; role < 2; role++) {
			struct mn_bits want = truth_rows((uint32_t)person, role);
			size_t nwant = mn_bits_words(&want), nwords, i;
			const uint64_t *words;

			if (mn_cols_person_rows(cols, (uint32_t)person, role, &words, &nwords,
						&err))
				fail_msg("person %lld: %s", (long long)person, err.msg);
			for (i = 0; i < nwant || i < nwords; i++)
				if (word_at(words, nwords, i) != word_at(want.w, nwant, i))
					fail_msg("person %lld, role %d: passages %zu..%zu differ",
						 (long long)person, role, 64 * i, 64 * i + 63);
			for (i = 0; i < nwant; i++)
				*compared += (size_t)__builtin_popcountll(want.w[i]);
			mn_bits_release(&want);
		}
	mn_cols_finish(cols);
}

static void check_lengths(void);

/* Runs the indexer again over the folder of the index (after its files changed). */
static void index_again(void)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_root root;
	struct mn_index_opts io;
	struct mn_index_stats stats;

	memset(&root, 0, sizeof(root));
	root.path = tu_path(tmp, "minutes");
	memset(&io, 0, sizeof(io));
	io.roots = &root;
	io.nroots = 1;
	if (mn_index_run(store, &io, &stats, &err))
		fail_msg("cannot index again: %s", err.msg);
	free(root.path);
}

/* Closes the index and opens db again in mode, failing the test when it cannot. */
static void reopen(const char *db, enum mn_store_mode mode)
{
	struct mn_err err = MN_ERR_INIT;

	mn_store_close(store);
	if (mn_store_open(&store, db, mode, NULL, &err))
		fail_msg("cannot open %s%s: %s", db, mode == MN_STORE_READ ? "" : " to write",
			 err.msg);
}
/*
 * A person's passages, read a chunk at a time from person_chunks, are
 * passage_people's: after the first run, after meetings changed speakers and
 * owners or went away, and in an index made before the table (schema 5:
 * read as it is, then upgraded by the first program that opens it to write).
 */
static void test_person_rows(void **state)
{
	char *path, *db = tu_path(tmp, "index.db");
	size_t compared, before;

	(void)state;
	check_person_rows(&before);
	assert_true(before > (size_t)end / 2);

	/* New speakers and owners in one meeting, two meetings more, then one of them gone. */
	path = tu_path(tmp, "minutes/m00.md");
	tu_write_file(
	    path,
	    "# Weekly sync 0\n\nDate: 2021-04-04\n\nAttendees: Ada Lo, Gus Ha\n\n"
	    "## Plan\n\nGus Ha: a new voice.\n\nAda Lo: agreed.\n\n"
	    "## Actions\n\n- ACTION: Gus Ha to write it up.\n- ACTION: Di No to review it.\n");
	free(path);
	path = tu_path(tmp, "minutes/m98.md");
	tu_write_file(path, "# Weekly sync 98\n\nDate: 2021-12-01\n\nAttendees: Ed Ko, Ida Pe\n\n"
			    "Ida Pe: soon gone.\n\nEd Ko: indeed.\n\n- ACTION: Ida Pe to leave.\n");
	free(path);
	path = tu_path(tmp, "minutes/m99.md");
	tu_write_file(path, "# Weekly sync 99\n\nDate: 2022-01-01\n\nAttendees: Flo Re, Hal Ot\n\n"
			    "Hal Ot: last one.\n\n- ACTION: Flo Re to close the series.\n");
	index_again();
	assert_true(tu_count(store, "SELECT count(*) FROM passage_people WHERE role = 1") >= 4);
	check_person_rows(&compared);
	assert_true(compared != before);
	before = compared;
	free(path);
	path = tu_path(tmp, "minutes/m98.md");
	assert_int_equal(unlink(path), 0);
	free(path);
	index_again();
	check_person_rows(&compared);
	assert_true(compared < before);
	assert_int_equal(tu_count(store, "SELECT count(*) FROM person_chunks pc JOIN people p "
					 "ON p.id = pc.person WHERE p.name = 'Ida Pe'"),
			 0);

	/* An index of schema 5: no person_chunks. */
	assert_int_equal(tu_count(store, "PRAGMA user_version"), MN_SCHEMA_VERSION);
	assert_int_equal(sqlite3_exec(mn_store_db(store),
				      TU_SCHEMA_8_UNDONE TU_SCHEMA_7_UNDONE TU_SCHEMA_6_UNDONE
				      "PRAGMA user_version = 5",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	reopen(db, MN_STORE_READ);
	check_person_rows(&before);
	assert_int_equal(before, compared);
	check_lengths();
	assert_int_equal(tu_count(store, "SELECT count(*) FROM sqlite_schema "
					 "WHERE name = 'person_chunks'"),
			 0);
	reopen(db, MN_STORE_WRITE);
	assert_int_equal(tu_count(store, "PRAGMA user_version"), MN_SCHEMA_VERSION);
	assert_int_equal(
	    tu_count(store, "SELECT count(*) FROM passage_people WHERE role IN (0, 1)"),
	    tu_count(store, "SELECT sum(length(rows)) / 2 FROM person_chunks"));
	check_person_rows(&before);
	assert_int_equal(before, compared);
	check_lengths();
	assert_true(tu_count(store, "SELECT min(id) FROM cols") >= MN_COL_ID(0, 0));

	/* An index of schema 6: read as it is, and upgraded to write (dict_seqs goes). */
	assert_int_equal(sqlite3_exec(mn_store_db(store),
				      TU_SCHEMA_8_UNDONE TU_SCHEMA_7_UNDONE
				      "PRAGMA user_version = 6",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	reopen(db, MN_STORE_READ);
	check_person_rows(&before);
	assert_int_equal(before, compared);
	assert_int_equal(tu_count(store, "PRAGMA user_version"), 6);
	reopen(db, MN_STORE_WRITE);
	assert_int_equal(tu_count(store, "PRAGMA user_version"), MN_SCHEMA_VERSION);
	assert_int_equal(tu_count(store, "SELECT count(*) FROM sqlite_schema "
					 "WHERE name = 'dict_seqs'"),
			 0);
	check_person_rows(&before);
	assert_int_equal(before, compared);
	free(db);
}

/* Adds n passages of words words each ("w0 w1 ..." after the speaker) to b. */
static void add_passages(struct mn_buf *b, int n, int words)
{
	int i, w;

	for (i = 0; i < n; i++) {
		mn_buf_addf(b, "%s:", people[i % 6]);
		for (w = 0; w < words; w++)
			mn_buf_addf(b, " w%d", (i + w) % 50);
		mn_buf_adds(b, ".\n\n");
	}
}

static void write_meeting(const char *folder, const char *name, const struct mn_buf *body)
{
	char *path = tu_path(folder, name);
	struct mn_buf b = MN_BUF_INIT;

	mn_buf_addf(&b, "# Lengths %s\n\nDate: 2021-01-01\n\n%s", name, mn_buf_str(body));
	tu_write_file(path, mn_buf_str(&b));
	mn_buf_release(&b);
	free(path);
}

/*
 * Three chunks whose lengths take each encoding: chunk 0 short ones and a
 * few long (packed in 7 bits, the long apart), chunk 1 many between 127
 * and 255 tokens (one byte each), chunk 2 many long, some past 255 (two).
 */
static int setup_lengths(void **state)
{
	struct mn_buf b = MN_BUF_INIT;
	char *db, *folder;

	(void)state;
	tmp = tu_tmpdir();
	folder = tu_path(tmp, "minutes");
	assert_int_equal(mkdir(folder, 0777), 0);
	add_passages(&b, 2000, 3);
	add_passages(&b, 3, 140);
	add_passages(&b, 2200, 3);
	write_meeting(folder, "a0.md", &b);
	mn_buf_reset(&b);
	add_passages(&b, 200, 140);
	add_passages(&b, 3700, 3);
	write_meeting(folder, "a1.md", &b);
	mn_buf_reset(&b);
	add_passages(&b, 1000, 130);
	add_passages(&b, 5, 300);
	write_meeting(folder, "a2.md", &b);
	mn_buf_release(&b);
	db = tu_path(tmp, "index.db");
	store = tu_index_folders(db, NULL, (const char *const *)&folder, 1);
	free(db);
	free(folder);
	return 0;
}

/* The encoding of chunk's lengths (the first byte of its column). */
static int lengths_encoding(int64_t chunk)
{
	char sql[96];

	snprintf(sql, sizeof(sql),
		 "SELECT unicode(CAST(substr(data, 1, 1) AS TEXT)) FROM cols "
		 "WHERE id = %lld",
		 (long long)MN_COL_ID(chunk, MN_COL_NTOK));
	return (int)tu_count(store, sql);
}

/*
 * Every passage's length, read one by one (the long ones of each chunk
 * first, while the chunk is read value by value) and through a cursor, is
 * its tokens + 1.
 */
static void check_lengths(void)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_cols *cols = mn_store_cols(store);
	struct mn_cursor cur;
	sqlite3_stmt *s = NULL;
	int64_t last = tu_count(store, "SELECT max(id) FROM passages"), id;
	uint32_t *want, v;
	int pass;

	want = calloc((size_t)last + 2, sizeof(*want));
	assert_non_null(want);
	assert_int_equal(
	    sqlite3_prepare_v2(mn_store_db(store), "SELECT id, ntok FROM passages", -1, &s, NULL),
	    SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW)
		want[sqlite3_column_int64(s, 0)] = (uint32_t)sqlite3_column_int64(s, 1) + 1;
	sqlite3_finalize(s);
	for (pass = 0; pass < 2; pass++) {
		assert_int_equal(mn_cols_begin(cols, &err), MN_OK);
		for (id = 0; id <= last + 1; id++) {
			if (pass == 0 && want[id] < 127)
				continue; /* the long ones first */
			assert_int_equal(mn_cols_value(cols, MN_COL_NTOK, id, &v, &err), MN_OK);
			if (v != want[id])
				fail_msg("passage %lld (pass %d): length %u, want %u",
					 (long long)id, pass, v, want[id]);
		}
		mn_cols_finish(cols);
	}
	assert_int_equal(mn_cols_begin(cols, &err), MN_OK);
	mn_cursor_init(&cur, cols, MN_COL_NTOK, &err);
	for (id = last + 1; id >= 0; id -= 3)
		assert_int_equal(mn_cursor_value(&cur, id), want[id]);
	for (id = 0; id <= last + 1; id++)
		assert_int_equal(mn_cursor_value(&cur, id), want[id]);
	assert_int_equal(err.status, MN_OK);
	mn_cols_finish(cols);
	free(want);
}

/* The lengths of chunks in all three encodings. */
static void test_lengths(void **state)
{
	(void)state;
	assert_true(tu_count(store, "SELECT max(id) FROM passages") > 2 * MN_CHUNK_ROWS + 800);
	assert_int_equal(lengths_encoding(0), MN_ENC_SMALL);
	assert_int_equal(lengths_encoding(1), 'B');
	assert_int_equal(lengths_encoding(2), 'H');
	check_lengths();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_walks),
	    cmocka_unit_test(test_person_rows),
	};
	const struct CMUnitTest check[] = {
	    cmocka_unit_test(test_check_finds_stale_columns),
	};

	const struct CMUnitTest lengths[] = {
	    cmocka_unit_test(test_lengths),
	};

	return cmocka_run_group_tests_name("lists indexed by row", tests, setup, teardown) +
	       cmocka_run_group_tests_name("lists walked", tests, setup_small, teardown) +
	       cmocka_run_group_tests_name("columns checked", check, setup, teardown) +
	       cmocka_run_group_tests_name("lengths", lengths, setup_lengths, teardown);
}
