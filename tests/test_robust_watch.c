/*
 * minutes-index --watch: files that appear, change and vanish reach the
 * index while it runs; a burst of changes is indexed in a few batches, not
 * one run per file; SIGTERM stops it cleanly.
 */
#include "robust.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Generous: the tests may run under valgrind. */
#define WAIT_MS 60000

static char *read_log(const char *log)
{
	struct mn_err err = MN_ERR_INIT;
	char *data = NULL;
	size_t len;

	if (mn_read_file(log, 1 << 24, &data, &len, &err))
		return mn_xstrdup("");
	return data;
}

static void pause_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

/* Waits until the log has text in it. */
static void wait_log(const char *log, const char *text)
{
	double t0 = mn_now_ms();

	for (;;) {
		char *data = read_log(log);
		int found = strstr(data, text) != NULL;

		free(data);
		if (found)
			return;
		if (mn_now_ms() - t0 > WAIT_MS)
			fail_msg("'%s' never appeared in the watcher's output", text);
		pause_ms(20);
	}
}

/* Waits until query finds want passages. */
static void wait_count(const char *query, long want)
{
	double t0 = mn_now_ms();
	long n;

	while ((n = rb_count(query)) != want) {
		if (mn_now_ms() - t0 > WAIT_MS)
			fail_msg("'%s' finds %ld passages, never %ld", query, n, want);
		pause_ms(50);
	}
}

static size_t count_lines_with(const char *text, const char *needle)
{
	size_t n = 0;
	const char *p = text;

	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p += strlen(needle);
	}
	return n;
}

static void test_watch_follows_changes(void **state)
{
	const char *argv[] = {MN_INDEX_BIN, "--db", NULL, "--watch", "corpus", NULL};
	char *log = rb_path("watch.log"), *data, *gone;
	size_t before;
	pid_t pid;
	int status, i;

	(void)state;
	argv[2] = rb_db;
	rb_copy_corpus();
	pid = tu_spawn(rb_dir, argv, log);
	wait_log(log, "watching");
	assert_true(rb_count("migration") > 0);

	/* A new file, in a new folder. */
	rb_write("corpus/new/a.md", "# A\n\n- the marmoset plan\n", 25);
	wait_count("marmoset", 1);
	/* Changed. */
	rb_write("corpus/new/a.md", "# A\n\n- the lemur plan\n", 22);
	wait_count("lemur", 1);
	assert_int_equal(rb_count("marmoset"), 0);
	/* Gone. */
	gone = rb_path("corpus/new/a.md");
	assert_int_equal(unlink(gone), 0);
	free(gone);
	wait_count("lemur", 0);

	/* A burst of 40 files becomes a few batches. */
	data = read_log(log);
	before = count_lines_with(data, " new, ");
	free(data);
	for (i = 0; i < 40; i++) {
		char name[64];

		snprintf(name, sizeof(name), "corpus/burst/b%02d.md", i);
		rb_write(name, "# B\n\n- the gibbon item\n", 23);
	}
	wait_count("gibbon", 40);
	pause_ms(300);
	data = read_log(log);
	assert_true(count_lines_with(data, " new, ") - before <= 4);
	free(data);

	/* A file the indexer cannot use is named, and the watch goes on. */
	rb_write("corpus/burst/bin.txt", "\0\0\0binary", 9);
	wait_log(log, "minutes-index: skipping 'corpus/burst/bin.txt': binary file");

	assert_int_equal(kill(pid, SIGTERM), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	rb_assert_sound(rb_db);
	free(log);
}

static void test_watch_lets_other_indexers_in(void **state)
{
	const char *argv[] = {MN_INDEX_BIN, "--db", NULL, "--watch", "corpus", NULL};
	char *log = rb_path("watch.log");
	struct tu_run r;
	pid_t pid;
	int status;

	(void)state;
	argv[2] = rb_db;
	rb_copy_corpus();
	pid = tu_spawn(rb_dir, argv, log);
	wait_log(log, "watching");
	/* A cron job runs while the watcher waits: it is not locked out. */
	rb_index(&r, "--wait", "2", "corpus", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "0 new, 0 changed, 0 removed, 5 unchanged"));
	tu_run_free(&r);
	kill(pid, SIGTERM);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	free(log);
}

/* The progress line is for the first run only; batches print their summary alone. */
static void test_watch_progress_only_first(void **state)
{
	const char *argv[] = {MN_INDEX_BIN, "--db", NULL, "--watch", "--progress", "corpus", NULL};
	char *log = rb_path("watch.log"), *data;
	const char *watching;
	pid_t pid;
	int status;

	(void)state;
	argv[2] = rb_db;
	rb_copy_corpus();
	pid = tu_spawn(rb_dir, argv, log);
	wait_log(log, "watching");
	rb_write("corpus/new/a.md", "# A\n\n- the tamarin plan\n", 24);
	wait_log(log, "1 new, 0 changed");
	assert_int_equal(kill(pid, SIGTERM), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	data = read_log(log);
	watching = strstr(data, "minutes-index: watching");
	assert_non_null(watching);
	if (!strstr(data, "\r\033[Kindexing 5/5 files") ||
	    strstr(data, "\r\033[Kindexing 5/5 files") > watching)
		fail_msg("no progress line for the first run:\n%s", data);
	if (strstr(watching, "indexing") || strchr(watching, '\r'))
		fail_msg("a progress line for a batch:\n%s", data);
	free(data);
	free(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_watch_follows_changes, rb_setup, rb_teardown),
	    cmocka_unit_test_setup_teardown(test_watch_lets_other_indexers_in, rb_setup,
					    rb_teardown),
	    cmocka_unit_test_setup_teardown(test_watch_progress_only_first, rb_setup, rb_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
