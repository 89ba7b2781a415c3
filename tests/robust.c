#include "robust.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *rb_dir, *rb_db;

int rb_setup(void **state)
{
	(void)state;
	rb_dir = tu_tmpdir();
	rb_db = tu_path(rb_dir, "index.db");
	return 0;
}

int rb_teardown(void **state)
{
	(void)state;
	tu_rmtree(rb_dir);
	free(rb_dir);
	free(rb_db);
	rb_dir = rb_db = NULL;
	return 0;
}

char *rb_path(const char *name)
{
	return tu_path(rb_dir, name);
}

static void mkdirs(char *path)
{
	char *p;

	for (p = path + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0777);
			*p = '/';
		}
	}
}

void rb_write(const char *name, const char *data, size_t len)
{
	char *path = rb_path(name);
	FILE *f;

	mkdirs(path);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	free(path);
}

void rb_copy_corpus(void)
{
	struct dirent **names;
	int n = scandir(MN_SOURCE_DIR "/corpus", &names, NULL, alphasort), i;

	assert_true(n > 0);
	for (i = 0; i < n; i++) {
		struct mn_err err = MN_ERR_INIT;
		struct mn_buf src = MN_BUF_INIT, dst = MN_BUF_INIT;
		char *data;
		size_t len;

		if (names[i]->d_name[0] != '.') {
			mn_buf_addf(&src, "%s/corpus/%s", MN_SOURCE_DIR, names[i]->d_name);
			mn_buf_addf(&dst, "corpus/%s", names[i]->d_name);
			assert_int_equal(mn_read_file(mn_buf_str(&src), 1 << 24, &data, &len, &err),
					 0);
			rb_write(mn_buf_str(&dst), data, len);
			free(data);
		}
		mn_buf_release(&src);
		mn_buf_release(&dst);
		free(names[i]);
	}
	free(names);
}

char *rb_copy_bin(const char *bin)
{
	struct mn_err err = MN_ERR_INIT;
	const char *name = strrchr(bin, '/');
	struct mn_buf dst = MN_BUF_INIT;
	char *data;
	size_t len;

	mn_buf_addf(&dst, ".bin/%s", name ? name + 1 : bin);
	assert_int_equal(mn_read_file(bin, 1 << 30, &data, &len, &err), 0);
	rb_write(mn_buf_str(&dst), data, len);
	free(data);
	{
		char *path = rb_path(mn_buf_str(&dst)), *dir = rb_path(".bin");

		assert_int_equal(chmod(path, 0755), 0);
		assert_int_equal(chmod(dir, 0755), 0);
		free(dir);
		mn_buf_release(&dst);
		return path;
	}
}

static void index_va(struct tu_run *r, void (*child)(void *), void *arg, va_list ap)
{
	const char *argv[64] = {MN_INDEX_BIN, "--db", rb_db};
	size_t n = 3;
	const char *a;
	char *copy = NULL;

	/* Another user may not reach the build tree (a clone under /root, say). */
	if (child && geteuid() == 0)
		argv[0] = copy = rb_copy_bin(MN_INDEX_BIN);

	while ((a = va_arg(ap, const char *)) != NULL && n < 63)
		argv[n++] = a;
	argv[n] = NULL;
	tu_run_with(r, rb_dir, NULL, argv, child, arg);
	free(copy);
	if (r->status >= 126)
		fail_msg("minutes-index died (%d): %s", r->status, r->err);
}

void rb_index(struct tu_run *r, ...)
{
	va_list ap;

	va_start(ap, r);
	index_va(r, NULL, NULL, ap);
	va_end(ap);
}

void rb_index_with(struct tu_run *r, void (*child)(void *), void *arg, ...)
{
	va_list ap;

	va_start(ap, arg);
	index_va(r, child, arg, ap);
	va_end(ap);
}

long rb_count(const char *query)
{
	const char *argv[] = {MN_SEARCH_BIN, "--db", rb_db, "--format", "json",
			      "--limit",     "1",    query, NULL};
	struct tu_run r;
	long total = -1;

	tu_run(&r, rb_dir, NULL, argv);
	if (r.status == 0 || r.status == 1) {
		json_t *j = tu_json(r.out);

		total = (long)json_integer_value(json_object_get(j, "total"));
		json_decref(j);
	} else if (r.status >= 126) {
		fail_msg("minutes-search died (%d) on '%s': %s", r.status, query, r.err);
	}
	tu_run_free(&r);
	return total;
}

void rb_assert_sound(const char *db)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = NULL;

	if (mn_store_open(&store, db, MN_STORE_WRITE, NULL, &err) || mn_store_check(store, &err))
		fail_msg("index '%s' is not sound: %s", db, err.msg);
	mn_store_close(store);
}

char *rb_digest(const char *db)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = NULL;
	struct mn_buf b = MN_BUF_INIT;
	sqlite3_stmt *s;

	if (mn_store_open(&store, db, MN_STORE_READ, NULL, &err))
		fail_msg("%s", err.msg);
	assert_int_equal(
	    sqlite3_prepare_v2(mn_store_db(store),
			       "SELECT m.path, m.title, m.date, m.hash, p.line, "
			       "p.end_line, p.col, p.kind, p.speaker, t.path, "
			       "minutes_text(p.text) FROM passages p JOIN meetings m ON m.id = "
			       "p.meeting_id LEFT JOIN dict_topics t ON t.id = p.topic_id "
			       "ORDER BY m.path, p.line, p.col, 11",
			       -1, &s, NULL),
	    SQLITE_OK);
	mn_buf_add(&b, "", 0);
	while (sqlite3_step(s) == SQLITE_ROW) {
		int c;

		for (c = 0; c < 11; c++) {
			const char *v = (const char *)sqlite3_column_text(s, c);

			mn_buf_addf(&b, "%s|", v ? v : "-");
		}
		mn_buf_addc(&b, '\n');
	}
	sqlite3_finalize(s);
	mn_store_close(store);
	return mn_buf_detach(&b);
}

long rb_passages(const char *db)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = NULL;
	struct mn_store_counts counts;

	if (mn_store_open(&store, db, MN_STORE_READ, NULL, &err) ||
	    mn_store_counts(store, &counts, &err))
		fail_msg("%s", err.msg);
	mn_store_close(store);
	return (long)counts.passages;
}
