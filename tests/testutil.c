#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#ifdef __APPLE__
#include <util.h>
#else
#include <pty.h>
#endif

#include <sqlite3.h>

#include "mn_index.h"
#include "mn_store.h"

char *tu_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	struct mn_buf b = MN_BUF_INIT;
	char *dir;

	mn_buf_addf(&b, "%s/minutes-test-XXXXXX", base && *base ? base : "/tmp");
	dir = mn_buf_detach(&b);
	assert_non_null(mkdtemp(dir));
	return dir;
}

void tu_rmtree(const char *path)
{
	pid_t pid = fork();

	if (pid == 0) {
		execlp("rm", "rm", "-rf", "--", path, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

char *tu_path(const char *dir, const char *name)
{
	struct mn_buf b = MN_BUF_INIT;

	mn_buf_addf(&b, "%s/%s", dir, name);
	return mn_buf_detach(&b);
}

void tu_write_file(const char *path, const char *data)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, strlen(data), f), strlen(data));
	assert_int_equal(fclose(f), 0);
}

static char *slurp_fd(int fd)
{
	struct mn_buf b = MN_BUF_INIT;
	char chunk[4096];
	ssize_t n;

	mn_buf_add(&b, "", 0);
	lseek(fd, 0, SEEK_SET);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		mn_buf_add(&b, chunk, (size_t)n);
	return mn_buf_detach(&b);
}

/*
 * Replaces the process with argv, behind the wrapper named by
 * $MINUTES_TEST_WRAPPER when set (e.g. "valgrind -q --error-exitcode=99"):
 * words split at spaces, the program's argv appended.
 */
static void exec_wrapped(const char *const *argv)
{
	const char *wrapper = getenv("MINUTES_TEST_WRAPPER");
	char *words, *save = NULL, *w;
	const char *full[64];
	size_t n = 0;

	if (!wrapper || !*wrapper) {
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	words = mn_xstrdup(wrapper);
	for (w = strtok_r(words, " ", &save); w && n < 32; w = strtok_r(NULL, " ", &save))
		full[n++] = w;
	for (; *argv && n < 63; argv++)
		full[n++] = *argv;
	full[n] = NULL;
	execvp(full[0], (char *const *)full);
	_exit(127);
}

/* In a child: the working folder and environment every test program runs with. */
static void child_setup(const char *cwd, const char *const *env)
{
	if (chdir(cwd ? cwd : MN_SOURCE_DIR) < 0)
		_exit(126);
	/* Never the user's own index, whatever the environment says. */
	unsetenv("MINUTES_DB");
	unsetenv("XDG_DATA_HOME");
	unsetenv("NO_COLOR");
	/* Nor the user's config file: tests that want one set XDG_CONFIG_HOME. */
	setenv("XDG_CONFIG_HOME", "/nonexistent/minutes-test-config", 1);
	for (; env && *env; env++)
		putenv((char *)*env);
}

/* Runs argv with input on stdin (NULL: /dev/null), calling child(arg) in the child first. */
static void run_full(struct tu_run *r, const char *cwd, const char *const *env,
		     const char *const *argv, const char *input, void (*child)(void *arg),
		     void *arg)
{
	char in_name[] = "/tmp/minutes-in-XXXXXX";
	int in_fd = -1;
	char out_name[] = "/tmp/minutes-out-XXXXXX";
	char err_name[] = "/tmp/minutes-err-XXXXXX";
	int out_fd = mkstemp(out_name), err_fd = mkstemp(err_name), status;
	pid_t pid;

	assert_true(out_fd >= 0 && err_fd >= 0);
	unlink(out_name);
	unlink(err_name);
	if (input) {
		in_fd = mkstemp(in_name);
		assert_true(in_fd >= 0);
		unlink(in_name);
		assert_int_equal(write(in_fd, input, strlen(input)), (ssize_t)strlen(input));
		lseek(in_fd, 0, SEEK_SET);
	}
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		dup2(in_fd >= 0 ? in_fd : devnull, 0);
		dup2(out_fd, 1);
		dup2(err_fd, 2);
		child_setup(cwd, env);
		if (child)
			child(arg);
		exec_wrapped(argv);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	r->out = slurp_fd(out_fd);
	r->err = slurp_fd(err_fd);
	close(out_fd);
	close(err_fd);
	if (in_fd >= 0)
		close(in_fd);
}

void tu_run_with(struct tu_run *r, const char *cwd, const char *const *env,
		 const char *const *argv, void (*child)(void *arg), void *arg)
{
	run_full(r, cwd, env, argv, NULL, child, arg);
}

void tu_run_input(struct tu_run *r, const char *cwd, const char *const *env,
		  const char *const *argv, const char *input)
{
	run_full(r, cwd, env, argv, input, NULL, NULL);
}

void tu_run(struct tu_run *r, const char *cwd, const char *const *env, const char *const *argv)
{
	run_full(r, cwd, env, argv, NULL, NULL, NULL);
}

void tu_run_pty(struct tu_run *r, const char *cwd, const char *const *env, const char *const *argv,
		int cols)
{
	struct winsize ws = {24, (unsigned short)cols, 0, 0};
	struct mn_buf out = MN_BUF_INIT;
	char chunk[4096];
	int master = -1, status;
	pid_t pid;

	fflush(NULL);
	pid = forkpty(&master, NULL, NULL, &ws);
	assert_true(pid >= 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		dup2(devnull, 0);
		child_setup(cwd, env);
		exec_wrapped(argv);
	}
	/* Read until the child's side closes (EIO on Linux once it has exited). */
	mn_buf_add(&out, "", 0);
	for (;;) {
		ssize_t n = read(master, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		mn_buf_add(&out, chunk, (size_t)n);
	}
	close(master);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	r->out = mn_buf_detach(&out);
	r->err = mn_xstrdup("");
}

pid_t tu_spawn(const char *cwd, const char *const *argv, const char *log)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);

		dup2(devnull, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		child_setup(cwd, NULL);
		exec_wrapped(argv);
	}
	return pid;
}

void tu_run_free(struct tu_run *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

json_t *tu_json(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);

	if (!j)
		fail_msg("not JSON (%s at line %d): %.200s", e.text, e.line, text);
	return j;
}

struct mn_store *tu_index_folders(const char *db, const struct mn_store_opts *opts,
				  const char *const *folders, size_t n)
{
	struct mn_store_opts write = {MN_STORE_WRITE, NULL, 0, 0, 0, 0, 0};
	struct mn_err err = MN_ERR_INIT;
	struct mn_root *roots = mn_xcalloc(n ? n : 1, sizeof(*roots));
	struct mn_index_opts io;
	struct mn_index_stats stats;
	struct mn_store *store = NULL;
	size_t i;

	for (i = 0; i < n; i++)
		roots[i].path = (char *)folders[i];
	memset(&io, 0, sizeof(io));
	io.roots = roots;
	io.nroots = n;
	if (mn_store_open_opts(&store, db, opts ? opts : &write, &err) ||
	    mn_index_run(store, &io, &stats, &err))
		fail_msg("cannot index into %s: %s", db, err.msg);
	free(roots);
	return store;
}

int64_t tu_count(struct mn_store *store, const char *sql)
{
	sqlite3_stmt *s = NULL;
	int64_t n;

	if (sqlite3_prepare_v2(mn_store_db(store), sql, -1, &s, NULL) != SQLITE_OK)
		fail_msg("'%s': %s", sql, sqlite3_errmsg(mn_store_db(store)));
	if (sqlite3_step(s) != SQLITE_ROW)
		fail_msg("'%s' returns no row", sql);
	n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}
