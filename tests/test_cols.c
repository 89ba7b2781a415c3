/*
 * The column cursors (mn_cols.h) against the tables they are built from:
 * every value and list a cursor reads is what passages and passage_people
 * hold, whatever the walk over the rows: each row, every few rows, long
 * leaps, back again. On an index of 6000 passages (two chunks) whose
 * speaker lists are long enough to be indexed by row, and on one of 150
 * whose list is walked (dense enough that a sparse walk leaps).
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

static void test_walks(void **state)
{
	struct truth *t = read_truth();
	size_t listed = 0;
	int64_t i;

	(void)state;
	for (i = 0; i < end; i++)
		listed += t->nspeakers[i];
	/* Dense enough that a walk of every few rows leaps over entries. */
	assert_true(listed > (size_t)end / 2);
	walk(t, every_row);
	walk(t, every_third);
	walk(t, leaps);
	walk(t, back_and_forth);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_walks),
	};

	return cmocka_run_group_tests_name("lists indexed by row", tests, setup, teardown) +
	       cmocka_run_group_tests_name("lists walked", tests, setup_small, teardown);
}
