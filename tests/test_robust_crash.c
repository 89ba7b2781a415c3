/*
 * The index survives what happens to the indexer: kill -9 at any point,
 * a second indexer, searches while it writes, a full disk, a read-only
 * location. After each, the index passes every check, answers searches,
 * and the next run brings it to exactly what a clean build holds.
 */
#include "robust.h"

#include <grp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mn_index.h"

/* Writes n small minutes files, each with exactly 4 passages holding "marker". */
static void make_files(int n)
{
	int i;

	for (i = 0; i < n; i++) {
		char name[64], text[512];

		snprintf(name, sizeof(name), "corpus/gen/m%03d.md", i);
		snprintf(text, sizeof(text),
			 "# Generated meeting %d\n\n## Topic\n\n- marker one %d\n\n"
			 "Ann: marker two about the harbour %d\n\n- marker three\n\n"
			 "Bob: marker four, file%03d\n",
			 i, i, i, i);
		rb_write(name, text, strlen(text));
	}
}

/* Indexes corpus/ from scratch into clean.db and returns its digest. */
static char *clean_digest(void)
{
	char *saved = rb_db, *digest;
	struct tu_run r;

	rb_db = rb_path("clean.db");
	rb_index(&r, "corpus", NULL);
	assert_int_equal(r.status, 0);
	tu_run_free(&r);
	digest = rb_digest(rb_db);
	free(rb_db);
	rb_db = saved;
	return digest;
}

/* After a crash: sound, searchable, and completed by the next run. */
static void expect_recovers(const char *clean, const char *what)
{
	struct tu_run r;
	char *digest;

	rb_assert_sound(rb_db);
	if (rb_count("marker") < 0)
		fail_msg("%s: the index does not answer searches", what);
	rb_index(&r, "corpus", NULL);
	if (r.status != 0)
		fail_msg("%s: the next run failed (%d): %s", what, r.status, r.err);
	tu_run_free(&r);
	rb_assert_sound(rb_db);
	digest = rb_digest(rb_db);
	if (strcmp(digest, clean))
		fail_msg("%s: the index differs from a clean build", what);
	free(digest);
}

/* ---- kill -9 at chosen points, in a forked indexer ---------------------------- */

struct kill_plan {
	enum mn_index_event_type type;
	int after; /* kill at this event of that type */
	int seen;
};

static void kill_at_event(void *ctx, const struct mn_index_event *ev)
{
	struct kill_plan *plan = ctx;

	if (ev->type == plan->type && ++plan->seen == plan->after)
		raise(SIGKILL);
}

static int kill_in_commit(void *ctx)
{
	int *left = ctx;

	if (--*left == 0)
		raise(SIGKILL);
	return 0;
}

/*
 * Runs the indexing library in a child that dies by SIGKILL where plan (or,
 * with commits > 0, the commits-th commit, inside SQLite's commit) says.
 */
static void crash_indexer(struct kill_plan *plan, int commits)
{
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct mn_err err = MN_ERR_INIT;
		struct mn_store *store = NULL;
		struct mn_root root = {(char *)"corpus", NULL};
		struct mn_index_opts opts;
		struct mn_index_stats stats;

		if (chdir(rb_dir) < 0 || mn_store_open(&store, rb_db, MN_STORE_WRITE, NULL, &err))
			_exit(3);
		if (commits)
			sqlite3_commit_hook(mn_store_db(store), kill_in_commit, &commits);
		memset(&opts, 0, sizeof(opts));
		opts.roots = &root;
		opts.nroots = 1;
		opts.record = 1;
		opts.batch_files = 4;
		opts.on_event = plan ? kill_at_event : NULL;
		opts.ctx = plan;
		mn_index_run(store, &opts, &stats, &err);
		_exit(4); /* never reached when the kill came */
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
}

static void test_kill_at_chosen_points(void **state)
{
	static const struct {
		enum mn_index_event_type type;
		int after;
		const char *what;
	} points[] = {
	    {MN_INDEX_ADDED, 1, "after the first file, inside its transaction"},
	    {MN_INDEX_ADDED, 6, "after 6 files, inside the second batch"},
	    {MN_INDEX_ADDED, 17, "after 17 files"},
	    {MN_INDEX_COMMITTED, 1, "right after the first commit"},
	    {MN_INDEX_COMMITTED, 3, "right after the third commit"},
	    {MN_INDEX_CHANGED, 2, "while indexing changed files again"},
	    {MN_INDEX_REMOVED, 1, "while removing vanished files"},
	};
	char *clean;
	size_t i;

	(void)state;
	rb_copy_corpus();
	make_files(20);
	clean = clean_digest();
	for (i = 0; i < sizeof(points) / sizeof(*points); i++) {
		struct kill_plan plan = {points[i].type, points[i].after, 0};

		unlink(rb_db);
		if (points[i].type == MN_INDEX_CHANGED || points[i].type == MN_INDEX_REMOVED) {
			/* An index of other content: every file changes, extra ones vanish. */
			struct tu_run r;

			int k;

			make_files(25);
			for (k = 0; k < 20; k++) {
				char name[64];

				snprintf(name, sizeof(name), "corpus/gen/m%03d.md", k);
				rb_write(name, "# Other\n\n- other text\n", 22);
			}
			rb_index(&r, "corpus", NULL);
			tu_run_free(&r);
			for (k = 20; k < 25; k++) {
				char name[64], *p;

				snprintf(name, sizeof(name), "corpus/gen/m%03d.md", k);
				p = rb_path(name);
				unlink(p);
				free(p);
			}
			make_files(20);
		}
		crash_indexer(&plan, 0);
		expect_recovers(clean, points[i].what);
	}
	/* Inside SQLite's commit of the first and of the third batch. */
	for (i = 1; i <= 3; i += 2) {
		unlink(rb_db);
		crash_indexer(NULL, (int)i);
		expect_recovers(clean, "inside a commit");
	}
	free(clean);
}

static void test_kill_binary_at_any_moment(void **state)
{
	static const int delays_ms[] = {2, 10, 30, 60, 120, 250};
	const char *argv[] = {MN_INDEX_BIN, "--db", NULL, "corpus", NULL};
	char *clean, *log;
	size_t i;

	(void)state;
	rb_copy_corpus();
	make_files(300);
	clean = clean_digest();
	argv[2] = rb_db;
	log = rb_path("log");
	for (i = 0; i < sizeof(delays_ms) / sizeof(*delays_ms); i++) {
		struct timespec ts = {0, delays_ms[i] * 1000000L};
		pid_t pid;
		int status;

		unlink(rb_db);
		pid = tu_spawn(rb_dir, argv, log);
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		expect_recovers(clean, "killed at a random moment");
	}
	free(log);
	free(clean);
}

/* ---- concurrency --------------------------------------------------------------------- */

static void test_second_indexer_waits_then_gives_up(void **state)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *holder = NULL;
	struct mn_store_opts opts = {MN_STORE_WRITE, NULL, 1, 0, 0, 0, 0};
	struct tu_run r;
	char want[512], *before, *after;
	double t0;

	(void)state;
	rb_copy_corpus();
	rb_index(&r, "corpus", NULL);
	tu_run_free(&r);
	before = rb_digest(rb_db);
	make_files(3);
	/* Another indexer (this process) is updating the index. */
	assert_int_equal(mn_store_open_opts(&holder, rb_db, &opts, &err), 0);
	t0 = mn_now_ms();
	rb_index(&r, "--wait", "0.3", "corpus", NULL);
	assert_true(mn_now_ms() - t0 >= 300);
	assert_int_equal(r.status, 2);
	snprintf(want, sizeof(want),
		 "minutes-index: index '%s' is being updated by another minutes-index (waited "
		 "0.3 s; try again when it is done)\n",
		 rb_db);
	assert_string_equal(r.err, want);
	tu_run_free(&r);
	/* Searches go on meanwhile. */
	assert_true(rb_count("migration") > 0);
	mn_store_close(holder);
	after = rb_digest(rb_db);
	assert_string_equal(before, after);
	rb_assert_sound(rb_db);
	rb_index(&r, "corpus", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "3 new, 0 changed, 0 removed, 5 unchanged"));
	tu_run_free(&r);
	free(before);
	free(after);
}

static void slow_event(void *ctx, const struct mn_index_event *ev)
{
	struct timespec ts = {0, 3 * 1000000L};

	(void)ctx;
	if (ev->type == MN_INDEX_ADDED)
		nanosleep(&ts, NULL);
}

static void test_searches_never_see_half_a_file(void **state)
{
	long last = 0, seen_partial = 0;
	pid_t pid;
	int status, reads = 0;

	(void)state;
	make_files(150);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct mn_err err = MN_ERR_INIT;
		struct mn_store *store = NULL;
		struct mn_root root = {(char *)"corpus", NULL};
		struct mn_index_opts opts;
		struct mn_index_stats stats;

		if (chdir(rb_dir) < 0 || mn_store_open(&store, rb_db, MN_STORE_WRITE, NULL, &err))
			_exit(3);
		memset(&opts, 0, sizeof(opts));
		opts.roots = &root;
		opts.nroots = 1;
		opts.batch_files = 3;
		opts.on_event = slow_event;
		_exit(mn_index_run(store, &opts, &stats, &err) ? 5 : (mn_store_close(store), 0));
	}
	while (waitpid(pid, &status, WNOHANG) == 0) {
		struct stat st;
		long n;

		if (stat(rb_db, &st) < 0)
			continue;
		n = rb_count("marker");
		if (n < 0)
			continue; /* the index is still being created */
		reads++;
		/* Four passages per file: a count that is not a multiple is half a file. */
		if (n % 4)
			fail_msg("a search saw %ld passages: half a file", n);
		assert_true(n >= last);
		if (n > 0 && n < 600)
			seen_partial++;
		last = n;
	}
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(rb_count("marker"), 600);
	assert_true(reads > 0);
	print_message("%d searches during indexing, %ld saw part of the files\n", reads,
		      seen_partial);
	rb_assert_sound(rb_db);
}

/* ---- full disks and read-only places ----------------------------------------------- */

static long limit_bytes;

static void limit_file_size(void *arg)
{
	struct rlimit rl;

	(void)arg;
	signal(SIGXFSZ, SIG_IGN);
	rl.rlim_cur = rl.rlim_max = (rlim_t)limit_bytes;
	setrlimit(RLIMIT_FSIZE, &rl);
}

static void test_disk_full_loses_nothing(void **state)
{
	struct mn_buf big = MN_BUF_INIT;
	struct tu_run r;
	struct stat st;
	char *before, *after;
	int i;

	(void)state;
	rb_copy_corpus();
	rb_index(&r, "corpus", NULL);
	tu_run_free(&r);
	before = rb_digest(rb_db);
	for (i = 0; i < 20000; i++)
		mn_buf_addf(&big, "- item %d on the gazebo budget line\n\n", i);
	rb_write("corpus/big.md", big.data, big.len);
	mn_buf_release(&big);
	assert_int_equal(stat(rb_db, &st), 0);
	/* No file may grow past the index's size plus a little: the disk is "full". */
	limit_bytes = (long)st.st_size + 64 * 1024;
	rb_index_with(&r, limit_file_size, NULL, "corpus", NULL);
	assert_int_equal(r.status, 2);
	assert_true(!strncmp(r.err, "minutes-index: cannot ", 22));
	if (!strstr(r.err, "File too large") && !strstr(r.err, "disk is full") &&
	    !strstr(r.err, "the disk may be full"))
		fail_msg("unclear message: %s", r.err);
	tu_run_free(&r);
	rb_assert_sound(rb_db);
	after = rb_digest(rb_db);
	assert_string_equal(before, after);
	assert_int_equal(rb_count("gazebo"), 0);
	rb_index(&r, "corpus", NULL);
	assert_int_equal(r.status, 0);
	tu_run_free(&r);
	assert_true(rb_count("gazebo") > 0);
	free(before);
	free(after);
}

static void become_nobody(void *arg)
{
	(void)arg;
	/* As root, chmod stops nothing: drop privileges instead of skipping the test. */
	if (geteuid() == 0 && (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0))
		_exit(125);
}

static void test_read_only_location(void **state)
{
	const char *search[] = {MN_SEARCH_BIN, "--db", NULL, "--count", "migration", NULL};
	struct tu_run r;
	char want[1024], *before, *after, *ro, *search_copy;

	(void)state;
	rb_copy_corpus();
	chmod(rb_dir, 0755);
	ro = rb_path("ro");
	mkdir(ro, 0755);
	free(rb_db);
	rb_db = tu_path(ro, "index.db");
	rb_index(&r, "corpus", NULL);
	tu_run_free(&r);
	before = rb_digest(rb_db);
	make_files(2);
	chmod(rb_db, 0644);

	/* A folder we may not write in. */
	rb_index_with(&r, become_nobody, NULL, "corpus", NULL);
	assert_int_equal(r.status, 2);
	snprintf(want, sizeof(want),
		 "minutes-index: cannot write index '%s': folder '%s' is not writable: "
		 "Permission denied\n",
		 rb_db, ro);
	assert_string_equal(r.err, want);
	tu_run_free(&r);

	/* A writable folder, a read-only index file. */
	chmod(ro, 0777);
	rb_index_with(&r, become_nobody, NULL, "corpus", NULL);
	assert_int_equal(r.status, 2);
	snprintf(want, sizeof(want), "minutes-index: cannot write index '%s': Permission denied\n",
		 rb_db);
	assert_string_equal(r.err, want);
	tu_run_free(&r);

	/* Nothing was lost, and searching still works for that user. */
	search[2] = rb_db;
	search[0] = search_copy = rb_copy_bin(MN_SEARCH_BIN);
	tu_run_with(&r, rb_dir, NULL, search, become_nobody, NULL);
	free(search_copy);
	assert_int_equal(r.status, 0);
	assert_true(strtol(r.out, NULL, 10) > 0);
	tu_run_free(&r);
	after = rb_digest(rb_db);
	assert_string_equal(before, after);
	rb_assert_sound(rb_db);
	free(before);
	free(after);
	free(ro);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_kill_at_chosen_points, rb_setup, rb_teardown),
	    cmocka_unit_test_setup_teardown(test_kill_binary_at_any_moment, rb_setup, rb_teardown),
	    cmocka_unit_test_setup_teardown(test_second_indexer_waits_then_gives_up, rb_setup,
					    rb_teardown),
	    cmocka_unit_test_setup_teardown(test_searches_never_see_half_a_file, rb_setup,
					    rb_teardown),
	    cmocka_unit_test_setup_teardown(test_disk_full_loses_nothing, rb_setup, rb_teardown),
	    cmocka_unit_test_setup_teardown(test_read_only_location, rb_setup, rb_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
