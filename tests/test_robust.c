/*
 * Keeping the index right: incremental runs, runs without paths, --dry-run,
 * --rebuild, --check, bad input files, bad index files and hostile queries.
 * Each runs the real programs on a scratch folder.
 */
#include "robust.h"

#include <fcntl.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "mn_doc.h"
#include "mn_index.h"
#include "mn_parse.h"
#include "mn_search.h"
#include "mn_text.h"

#define LEG "corpus/000_ef34be2ffa71a066.txt"
#define XEN "corpus/002_eee8200ce5b8e499.txt"

static void rb_puts(const char *name, const char *text)
{
	rb_write(name, text, strlen(text));
}

static void expect_summary(const struct tu_run *r, const char *want)
{
	if (!strstr(r->out, want))
		fail_msg("want '%s' in: %s%s", want, r->out, r->err);
}

/* Sets the mtime of rb_dir/name to seconds after the epoch (same size, same content). */
static void set_mtime(const char *name, long seconds)
{
	char *path = rb_path(name);
	struct timeval tv[2] = {{seconds, 0}, {seconds, 0}};

	assert_int_equal(utimes(path, tv), 0);
	free(path);
}

/* ---- incremental runs -------------------------------------------------------- */

static void test_second_run_does_nothing(void **state)
{
	struct tu_run r;

	(void)state;
	rb_copy_corpus();
	rb_index(&r, "corpus", NULL);
	assert_int_equal(r.status, 0);
	expect_summary(&r, "5 new, 0 changed, 0 removed, 0 unchanged; 0 skipped");
	tu_run_free(&r);
	rb_index(&r, "-v", "corpus", NULL);
	assert_int_equal(r.status, 0);
	expect_summary(&r, "0 new, 0 changed, 0 removed, 5 unchanged; 0 skipped, 0 ignored; "
			   "0 passages");
	/* -v names every file written: none were. */
	assert_null(strstr(r.out, "added"));
	tu_run_free(&r);
	rb_assert_sound(rb_db);
}

static void test_changed_new_and_removed_files(void **state)
{
	static const char extra[] = "\n\nGeorge: the zygomorphic plan is agreed\n";
	char *digest_before, *digest_after;
	struct tu_run r;
	FILE *f;
	char *leg;

	(void)state;
	rb_copy_corpus();
	rb_index(&r, "corpus", NULL);
	tu_run_free(&r);
	assert_int_equal(rb_count("zygomorphic"), 0);
	digest_before = rb_digest(rb_db);

	/* Changed: appended text. */
	leg = rb_path(LEG);
	f = fopen(leg, "ab");
	fputs(extra, f);
	fclose(f);
	/* New file, and a vanished one. */
	rb_puts("corpus/sub/new.md", "# New\n\n- a quixotic idea\n");
	{
		char *xen = rb_path(XEN);

		assert_int_equal(unlink(xen), 0);
		free(xen);
	}
	rb_index(&r, "-v", "corpus", NULL);
	assert_int_equal(r.status, 0);
	expect_summary(&r, "1 new, 1 changed, 1 removed, 3 unchanged; 0 skipped");
	assert_non_null(strstr(r.out, "changed " LEG " ("));
	assert_non_null(strstr(r.out, "added corpus/sub/new.md (1 passages)"));
	assert_non_null(strstr(r.out, "removed " XEN "\n"));
	tu_run_free(&r);
	assert_int_equal(rb_count("zygomorphic"), 1);
	assert_int_equal(rb_count("quixotic"), 1);
	assert_int_equal(rb_count("path:002_eee8200ce5b8e499"), 0);
	rb_assert_sound(rb_db);

	/* Undo everything: the index is as it was, row for row. */
	rb_copy_corpus();
	{
		char *sub = rb_path("corpus/sub");

		tu_rmtree(sub);
		free(sub);
	}
	rb_index(&r, "corpus", NULL);
	expect_summary(&r, "1 new, 1 changed, 1 removed, 3 unchanged");
	tu_run_free(&r);
	digest_after = rb_digest(rb_db);
	assert_string_equal(digest_after, digest_before);
	free(digest_before);
	free(digest_after);
	free(leg);
}

static void test_touched_file_is_not_reindexed(void **state)
{
	struct tu_run r;

	(void)state;
	rb_copy_corpus();
	rb_index(&r, "corpus", NULL);
	tu_run_free(&r);
	/* New mtime, same content: read and hashed, but not indexed again. */
	set_mtime(LEG, 1500000000);
	rb_index(&r, "-v", "corpus", NULL);
	expect_summary(&r, "0 new, 0 changed, 0 removed, 5 unchanged");
	tu_run_free(&r);
	/* Same size, same (old) mtime, other content: the racy case needs the hash. */
	{
		char *leg = rb_path(LEG);
		int fd = open(leg, O_WRONLY);

		assert_true(fd >= 0);
		assert_int_equal(pwrite(fd, "Xyzzy", 5, 0), 5);
		close(fd);
		set_mtime(LEG, 1500000000);
		free(leg);
	}
	rb_index(&r, "corpus", NULL);
	/* The old mtime was recorded, so this edit is missed by stat alone... */
	expect_summary(&r, "0 new, 0 changed, 0 removed, 5 unchanged");
	tu_run_free(&r);
	/* ...but a file edited right after it was indexed is not: its mtime was not trusted. */
	rb_puts("corpus/fresh.md", "# Fresh\n\n- alpha wording\n");
	rb_index(&r, "corpus", NULL);
	tu_run_free(&r);
	rb_puts("corpus/fresh.md", "# Fresh\n\n- gamma wording\n");
	rb_index(&r, "corpus", NULL);
	expect_summary(&r, "0 new, 1 changed");
	tu_run_free(&r);
	assert_int_equal(rb_count("gamma"), 1);
	assert_int_equal(rb_count("alpha"), 0);
}

static void test_run_without_paths_uses_recorded_roots(void **state)
{
	const char *argv[] = {MN_INDEX_BIN, "--db", NULL, NULL};
	struct tu_run r;
	char *sub;

	(void)state;
	argv[2] = rb_db;
	rb_copy_corpus();
	rb_puts("more/one.md", "# One\n\n- the ocelot item\n");
	rb_index(&r, "corpus", "more/one.md", NULL);
	assert_int_equal(r.status, 0);
	tu_run_free(&r);
	rb_puts("more/one.md", "# One\n\n- the axolotl item\n");
	rb_puts("corpus/two.md", "# Two\n\n- the pangolin item\n");
	/* From another folder: relative roots are resolved where they were given. */
	sub = rb_path("more");
	tu_run(&r, sub, NULL, argv);
	assert_int_equal(r.status, 0);
	expect_summary(&r, "1 new, 1 changed, 0 removed, 5 unchanged");
	tu_run_free(&r);
	assert_int_equal(rb_count("axolotl"), 1);
	assert_int_equal(rb_count("pangolin"), 1);
	assert_int_equal(rb_count("path:corpus/two.md"), 1);
	free(sub);
}

/*
 * A folder already indexed, named again under another spelling (./corpus,
 * corpus/, through .., absolute, through a symbolic link, from inside it),
 * or one of its files so, is the same folder: its files keep the paths they
 * are known by, and none comes in twice. A wider folder named later takes
 * in the files of a recorded one it holds, under its own spelling.
 */
static void test_one_folder_under_other_spellings(void **state)
{
	const char *argv[] = {MN_INDEX_BIN, "--db", NULL, ".", NULL};
	char *abs, *link, *inside;
	struct tu_run r;
	size_t i;

	(void)state;
	argv[2] = rb_db;
	rb_copy_corpus();
	rb_puts("corpus/extra.md", "# Extra\n\n- the quokka item\n");
	rb_index(&r, "corpus", NULL);
	expect_summary(&r, "6 new, 0 changed, 0 removed, 0 unchanged");
	tu_run_free(&r);
	abs = rb_path("corpus");
	link = rb_path("link");
	assert_int_equal(symlink(abs, link), 0);
	{
		const char *spellings[] = {"./corpus", "corpus/", "corpus/../corpus", abs, "link"};

		for (i = 0; i < sizeof(spellings) / sizeof(*spellings); i++) {
			rb_index(&r, spellings[i], NULL);
			assert_int_equal(r.status, 0);
			expect_summary(&r, "0 new, 0 changed, 0 removed, 6 unchanged");
			expect_summary(&r, "holds 6 meetings");
			tu_run_free(&r);
		}
	}
	rb_index(&r, "./corpus/extra.md", NULL);
	expect_summary(&r, "0 new, 0 changed, 0 removed, 1 unchanged");
	tu_run_free(&r);
	inside = rb_path("corpus");
	tu_run(&r, inside, NULL, argv);
	assert_int_equal(r.status, 0);
	expect_summary(&r, "0 new, 0 changed, 0 removed, 6 unchanged");
	tu_run_free(&r);
	/* Still one root, as first spelled; a run without paths finds nothing new. */
	rb_index(&r, NULL);
	expect_summary(&r, "0 new, 0 changed, 0 removed, 6 unchanged");
	expect_summary(&r, "holds 6 meetings");
	tu_run_free(&r);
	assert_int_equal(rb_count("path:corpus/extra.md"), 1);
	assert_int_equal(rb_count("quokka"), 1);

	/* A folder that holds a recorded one spelled otherwise takes its files in. */
	rb_puts("outer/inner/x.md", "# X\n\n- the numbat item\n");
	rb_index(&r, "outer/inner", NULL);
	expect_summary(&r, "1 new, 0 changed, 0 removed, 0 unchanged");
	tu_run_free(&r);
	rb_puts("outer/y.md", "# Y\n\n- the dugong item\n");
	rb_index(&r, "./outer", NULL);
	expect_summary(&r, "1 new, 0 changed, 0 removed, 1 unchanged");
	expect_summary(&r, "holds 8 meetings");
	tu_run_free(&r);
	rb_index(&r, NULL);
	expect_summary(&r, "0 new, 0 changed, 0 removed, 8 unchanged");
	tu_run_free(&r);
	rb_index(&r, "outer/inner", NULL);
	expect_summary(&r, "0 new, 0 changed, 0 removed, 1 unchanged");
	tu_run_free(&r);
	assert_int_equal(rb_count("numbat"), 1);
	assert_int_equal(rb_count("path:./outer/inner/x.md"), 1);
	free(abs);
	free(link);
	free(inside);
}

static void test_index_from_before_roots_had_a_base(void **state)
{
	struct tu_run r;
	sqlite3 *db;

	(void)state;
	rb_copy_corpus();
	rb_index(&r, "corpus", NULL);
	tu_run_free(&r);
	/* The roots table as the first version of the schema had it. */
	assert_int_equal(sqlite3_open(rb_db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
				      "DROP TABLE roots; CREATE TABLE roots(path TEXT PRIMARY "
				      "KEY) WITHOUT ROWID; INSERT INTO roots VALUES('corpus')",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	rb_index(&r, NULL);
	assert_int_equal(r.status, 0);
	expect_summary(&r, "0 new, 0 changed, 0 removed, 5 unchanged");
	tu_run_free(&r);
	rb_assert_sound(rb_db);
}

static void test_run_without_paths_or_index(void **state)
{
	struct tu_run r;
	char want[512];

	(void)state;
	rb_index(&r, NULL);
	assert_int_equal(r.status, 2);
	snprintf(want, sizeof(want),
		 "minutes-index: no PATH given, and no index at '%s' to update (index something "
		 "first: minutes-index PATH...)\n",
		 rb_db);
	assert_string_equal(r.err, want);
	tu_run_free(&r);
	assert_int_equal(access(rb_db, F_OK), -1);
}

static void test_missing_recorded_root_keeps_its_files(void **state)
{
	struct tu_run r;
	char *corpus = rb_path("corpus"), *moved = rb_path("elsewhere");

	(void)state;
	rb_copy_corpus();
	rb_index(&r, "corpus", NULL);
	tu_run_free(&r);
	/* An unmounted disk looks like this: nothing may be lost. */
	assert_int_equal(rename(corpus, moved), 0);
	rb_index(&r, NULL);
	assert_int_equal(r.status, 1);
	assert_string_equal(r.err, "minutes-index: skipping 'corpus': no longer exists (its 5 "
				   "indexed files are kept; name it again to remove them)\n");
	expect_summary(&r, "0 new, 0 changed, 0 removed, 0 unchanged; 1 skipped");
	tu_run_free(&r);
	assert_true(rb_count("migration") > 0);
	/* Named explicitly, a folder that is gone takes its files with it. */
	rb_index(&r, "corpus", NULL);
	assert_int_equal(r.status, 0);
	expect_summary(&r, "0 new, 0 changed, 5 removed");
	tu_run_free(&r);
	assert_int_equal(rb_count("migration"), 0);
	rb_index(&r, NULL);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "records no files or folders to update"));
	tu_run_free(&r);
	rb_assert_sound(rb_db);
	free(corpus);
	free(moved);
}

static void test_unreadable_folder_keeps_its_files(void **state)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = NULL;
	struct mn_index_opts opts;
	struct mn_index_stats stats;
	struct mn_root roots[1];
	char *dir;

	(void)state;
	rb_copy_corpus();
	dir = rb_path("corpus");
	roots[0].path = dir;
	roots[0].base = NULL;
	memset(&opts, 0, sizeof(opts));
	opts.roots = roots;
	opts.nroots = 1;
	assert_int_equal(mn_store_open(&store, rb_db, MN_STORE_WRITE, NULL, &err), 0);
	assert_int_equal(mn_index_run(store, &opts, &stats, &err), 0);
	assert_int_equal(stats.added, 5);
	/* A folder that cannot be listed (here: replaced by a file of that name). */
	tu_rmtree(dir);
	mkdir(dir, 0);
	if (access(dir, R_OK) == 0) {
		/* root reads anyway: a loop of links gives the same "cannot open folder" */
		rmdir(dir);
		assert_int_equal(symlink(dir, dir), 0);
	}
	assert_int_equal(mn_index_run(store, &opts, &stats, &err), 0);
	assert_int_equal(stats.skipped, 1);
	assert_int_equal(stats.removed, 0);
	mn_store_close(store);
	assert_true(rb_passages(rb_db) > 200);
	chmod(dir, 0755);
	free(dir);
}

static void test_dry_run_lists_and_writes_nothing(void **state)
{
	struct tu_run r;
	char *before, *after, *xen = NULL;

	(void)state;
	rb_copy_corpus();
	/* No index yet: everything would be new, and no index appears. */
	rb_index(&r, "-n", "corpus", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "new " LEG "\n"));
	expect_summary(&r, "would be: 5 new, 0 changed, 0 removed, 0 unchanged");
	tu_run_free(&r);
	assert_int_equal(access(rb_db, F_OK), -1);

	rb_index(&r, "corpus", NULL);
	tu_run_free(&r);
	before = rb_digest(rb_db);
	rb_puts("corpus/new.md", "# N\n\n- item\n");
	rb_write(LEG, "# Replaced\n\n- other\n", 20);
	xen = rb_path(XEN);
	unlink(xen);
	rb_index(&r, "--dry-run", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "changed " LEG "\nnew corpus/new.md\nremoved " XEN "\n"));
	expect_summary(&r, "would be: 1 new, 1 changed, 1 removed, 3 unchanged");
	tu_run_free(&r);
	after = rb_digest(rb_db);
	assert_string_equal(before, after);
	free(before);
	free(after);
	free(xen);
}

static void test_rebuild(void **state)
{
	struct tu_run r;
	char *before, *after;

	(void)state;
	rb_copy_corpus();
	rb_index(&r, "corpus", NULL);
	tu_run_free(&r);
	before = rb_digest(rb_db);
	/* From the recorded roots. */
	rb_index(&r, "--rebuild", NULL);
	assert_int_equal(r.status, 0);
	expect_summary(&r, "5 new, 0 changed, 0 removed, 0 unchanged");
	tu_run_free(&r);
	after = rb_digest(rb_db);
	assert_string_equal(before, after);
	free(after);
	rb_assert_sound(rb_db);

	/* Over a file that is not an index at all, with the PATHs given. */
	rb_puts("index.db", "this is not a database, just text\n");
	rb_index(&r, "--rebuild", NULL);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "minutes-index: cannot rebuild '"));
	assert_non_null(strstr(r.err, "without PATH"));
	tu_run_free(&r);
	rb_index(&r, "--rebuild", "corpus", NULL);
	assert_int_equal(r.status, 0);
	tu_run_free(&r);
	after = rb_digest(rb_db);
	assert_string_equal(before, after);
	free(before);
	free(after);
	rb_assert_sound(rb_db);
}

static void test_check(void **state)
{
	struct tu_run r;
	char want[512];
	sqlite3 *db;

	(void)state;
	rb_copy_corpus();
	rb_index(&r, "corpus", NULL);
	tu_run_free(&r);
	rb_index(&r, "--check", NULL);
	assert_int_equal(r.status, 0);
	snprintf(want, sizeof(want), "index '%s' is sound: 5 meetings, ", rb_db);
	assert_true(!strncmp(r.out, want, strlen(want)));
	tu_run_free(&r);
	/* Passages deleted behind the FTS5 index's back: the index no longer matches. */
	assert_int_equal(sqlite3_open(rb_db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE passages SET text = 'gone' WHERE id % 7 = 0",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	rb_index(&r, "--check", NULL);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "failed the FTS5 integrity-check"));
	assert_non_null(strstr(r.err, "minutes-index --rebuild"));
	tu_run_free(&r);
	rb_index(&r, "--rebuild", NULL);
	assert_int_equal(r.status, 0);
	tu_run_free(&r);
	rb_index(&r, "--check", NULL);
	assert_int_equal(r.status, 0);
	tu_run_free(&r);
}

static void test_option_conflicts(void **state)
{
	struct tu_run r;

	(void)state;
	rb_index(&r, "--check", "--dry-run", NULL);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "do not go together"));
	tu_run_free(&r);
	rb_index(&r, "--wait", "soon", "corpus", NULL);
	assert_int_equal(r.status, 2);
	assert_string_equal(r.err, "minutes-index: bad --wait 'soon' (seconds, e.g. 5 or 0.5)\n");
	tu_run_free(&r);
	rb_index(&r, "--help", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "--rebuild"));
	assert_non_null(strstr(r.out, "--watch"));
	assert_non_null(strstr(r.out, "Exit status"));
	tu_run_free(&r);
}

/* ---- bad input files ---------------------------------------------------------- */

static void drop_privileges(void *arg)
{
	(void)arg;
	if (geteuid() == 0) {
		/* As root, permissions stop nothing: be nobody. */
		if (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0)
			_exit(125);
	}
}

static void test_bad_input_files(void **state)
{
	struct tu_run r;
	char *data, *p, want[1024];
	size_t i, n;

	(void)state;
	/* Binary: NUL bytes at the start. */
	rb_write("in/binary.txt",
		 "\x7f"
		 "ELF\0\0\0\x01\x02",
		 9);
	/* Invalid UTF-8, a late NUL, an empty file, nested lists: fixtures. */
	{
		static const char *const fixtures[] = {"latin1.txt", "late-nul.txt", "empty.txt",
						       "nested-lists.md"};

		for (i = 0; i < 4; i++) {
			struct mn_err err = MN_ERR_INIT;
			struct mn_buf src = MN_BUF_INIT, dst = MN_BUF_INIT;

			mn_buf_addf(&src, "%s/robust/%s", MN_FIXTURES, fixtures[i]);
			mn_buf_addf(&dst, "in/%s", fixtures[i]);
			assert_int_equal(mn_read_file(mn_buf_str(&src), 1 << 20, &data, &n, &err),
					 0);
			rb_write(mn_buf_str(&dst), data, n);
			free(data);
			mn_buf_release(&src);
			mn_buf_release(&dst);
		}
	}
	/* A line of 1 MB with a word at its end. */
	n = 1 << 20;
	data = mn_xmalloc(n + 64);
	memcpy(data, "# Long\n\n", 8);
	for (i = 8; i < n; i += 8)
		memcpy(data + i, "blah la ", 8);
	strcpy(data + n, " wombat\n");
	rb_write("in/long-line.txt", data, strlen(data));
	free(data);
	/* Names with a space, a newline, and bytes that are not UTF-8. */
	rb_puts("in/with space.md", "# S\n\n- the capybara note\n");
	rb_puts("in/new\nline.md", "# N\n\n- the tapir note\n");
	rb_puts("in/caf\xe9.md", "# C\n\n- the okapi note\n");
	/* A link to itself, and a folder linking to its parent. */
	p = rb_path("in/self.txt");
	assert_int_equal(symlink("self.txt", p), 0);
	free(p);
	p = rb_path("in/loop");
	assert_int_equal(symlink(".", p), 0);
	free(p);
	/* Unreadable to the indexer (run as nobody when we are root). */
	rb_puts("in/secret.txt", "# Secret\n\n- the aardvark plan\n");
	p = rb_path("in/secret.txt");
	chmod(p, 0);
	free(p);
	chmod(rb_dir, 0777);
	p = rb_path("in");
	chmod(p, 0777);
	free(p);
	{
		/* nobody must be able to create the index there */
		char *out = rb_path("out");

		mkdir(out, 0777);
		chmod(out, 0777);
		free(rb_db);
		rb_db = tu_path(out, "index.db");
		free(out);
	}
	rb_index_with(&r, drop_privileges, NULL, "in", NULL);
	assert_int_equal(r.status, 1);
	/* One line per skipped file, naming it so that it can be found. */
	assert_non_null(strstr(r.err, "minutes-index: skipping 'in/binary.txt': binary file\n"));
	assert_non_null(strstr(r.err, "minutes-index: skipping 'in/caf\\xe9.md': name is not "
				      "valid UTF-8 (rename it to index it)\n"));
	assert_non_null(strstr(r.err, "minutes-index: skipping 'in/loop': folder loop (symbolic "
				      "link to a parent)\n"));
	assert_non_null(strstr(r.err, "minutes-index: skipping 'in/secret.txt': Permission "
				      "denied\n"));
	assert_non_null(strstr(r.err, "minutes-index: skipping 'in/self.txt': Too many levels of "
				      "symbolic links\n"));
	for (p = r.err, n = 0; *p; p++)
		n += *p == '\n';
	assert_int_equal(n, 5);
	/* The summary counts them by kind. */
	snprintf(want, sizeof(want),
		 "7 new, 0 changed, 0 removed, 0 unchanged; 5 skipped (1 "
		 "unreadable, 1 binary, 1 badly named, 2 link loops), 0 ignored");
	expect_summary(&r, want);
	tu_run_free(&r);
	assert_int_equal(rb_count("zeppelin"), 1); /* after invalid UTF-8 */
	assert_int_equal(rb_count("narwhal"), 1);  /* after a NUL past the start */
	assert_int_equal(rb_count("wombat"), 1);   /* at the end of a 1 MB line */
	assert_int_equal(rb_count("quasar"), 1);   /* ten levels down a list */
	assert_int_equal(rb_count("capybara"), 1);
	assert_int_equal(rb_count("tapir"), 1);
	assert_int_equal(rb_count("okapi"), 0);
	assert_int_equal(rb_count("aardvark"), 0);
	rb_assert_sound(rb_db);
}

static void test_parse_in_pieces_matches_whole(void **state)
{
	struct mn_buf text = MN_BUF_INIT;
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = NULL;
	struct mn_index_opts opts;
	struct mn_index_stats stats;
	struct mn_root root = {NULL, NULL};
	char *whole, *pieces, *db2, *path;
	int i;

	(void)state;
	mn_buf_adds(&text, "# Big meeting 2021-05-06\n\nAttendees: Ann Lee, Bo Chen\n\n");
	for (i = 0; i < 400; i++) {
		if (i % 50 == 0)
			mn_buf_addf(&text, "## Topic %d\n\n", i / 50);
		mn_buf_addf(&text, "Ann: item %d about the heliotrope %s\n", i,
			    i % 3 ? "plan" : "budget");
		mn_buf_addf(&text, "continued on a second line %d\n\n", i);
		if (i % 7 == 0)
			mn_buf_adds(&text, "- a bullet\n- another bullet\n\n");
	}
	rb_write("big/meeting.txt", text.data, text.len);
	path = rb_path("big/meeting.txt");
	root.path = path;
	memset(&opts, 0, sizeof(opts));
	opts.roots = &root;
	opts.nroots = 1;
	assert_int_equal(mn_store_open(&store, rb_db, MN_STORE_WRITE, NULL, &err), 0);
	assert_int_equal(mn_index_run(store, &opts, &stats, &err), 0);
	mn_store_close(store);
	whole = rb_digest(rb_db);

	db2 = rb_path("pieces.db");
	opts.piece_bytes = 1000; /* the file is ~30 times that */
	assert_int_equal(mn_store_open(&store, db2, MN_STORE_WRITE, NULL, &err), 0);
	assert_int_equal(mn_index_run(store, &opts, &stats, &err), 0);
	assert_int_equal(stats.added, 1);
	mn_store_close(store);
	rb_assert_sound(db2);
	pieces = rb_digest(db2);
	assert_string_equal(pieces, whole);
	free(whole);
	free(pieces);
	free(db2);
	free(path);
	mn_buf_release(&text);
}

/* A number a query of rb_db reads on a connection of its own (-1: no row): what readers see. */
static int64_t reader_count(const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	int64_t n = -1;

	assert_int_equal(sqlite3_open_v2(rb_db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

/* An FTS5 setting of rb_db's passages, as readers see it (-1: never set). */
static int fts_setting(const char *name)
{
	char *sql = sqlite3_mprintf(
	    "SELECT coalesce((SELECT v FROM passages_fts_config WHERE k = %Q), -1)", name);
	int64_t v = reader_count(sql);

	sqlite3_free(sql);
	return (int)v;
}

/* The crisismerge searches could see at each commit, the highest. */
static void on_commit_merging(void *ctx, const struct mn_index_event *ev)
{
	int *highest = ctx, v;

	if (ev->type != MN_INDEX_COMMITTED)
		return;
	v = fts_setting("crisismerge");
	if (v > *highest)
		*highest = v;
	/* The two change together: in bulk, no merging before a level holds 512. */
	assert_int_equal(fts_setting("automerge") == 0, v == MN_STORE_BULK_MERGE);
}

/*
 * A bulk run merges FTS5's segments in bulk while it writes, and leaves
 * FTS5's own merging set for the runs after; a small run on a new index
 * never changes it; a bulk setting left by a run cut short is undone by
 * the next run that writes. The index holds the same either way.
 */
static void test_bulk_runs_merge_in_bulk_until_done(void **state)
{
	static const char extra[] = "# Sync 2022-01-02\n\nAnn: the quokka plan\n";
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = NULL;
	struct mn_index_opts opts;
	struct mn_index_stats stats;
	struct mn_root root = {NULL, NULL};
	char *path, *small, *bulk, *sql;
	int highest = -1;

	(void)state;
	rb_copy_corpus();
	path = rb_path("corpus");
	root.path = path;
	memset(&opts, 0, sizeof(opts));
	opts.roots = &root;
	opts.nroots = 1;
	opts.batch_files = 1; /* a commit per file, each seen by on_commit_merging */
	opts.on_event = on_commit_merging;
	opts.ctx = &highest;

	/* The seed minutes are far below 4 MB: not a bulk run. */
	assert_int_equal(mn_store_open(&store, rb_db, MN_STORE_WRITE, NULL, &err), 0);
	assert_int_equal(mn_index_run(store, &opts, &stats, &err), 0);
	mn_store_close(store);
	assert_int_equal(stats.added, 5);
	assert_int_equal(highest, -1);
	assert_int_equal(fts_setting("automerge"), -1);
	assert_int_equal(fts_setting("crisismerge"), -1);
	small = rb_digest(rb_db);

	/* The same as a bulk run, from scratch. */
	opts.bulk_bytes = 1;
	assert_int_equal(mn_store_open(&store, rb_db, MN_STORE_REBUILD, NULL, &err), 0);
	assert_int_equal(mn_index_run(store, &opts, &stats, &err), 0);
	mn_store_close(store);
	assert_int_equal(stats.added, 5);
	assert_int_equal(highest, MN_STORE_BULK_MERGE);
	assert_int_equal(fts_setting("automerge"), 4);
	assert_int_equal(fts_setting("crisismerge"), 16);
	rb_assert_sound(rb_db);
	bulk = rb_digest(rb_db);
	assert_string_equal(bulk, small);
	assert_int_equal(rb_count("migration"), 7);

	/* Cut short in bulk; then one file changes, in a run too small for bulk. */
	sql = sqlite3_mprintf(
	    "INSERT INTO passages_fts(passages_fts, rank) VALUES('automerge', 0);"
	    "INSERT INTO passages_fts(passages_fts, rank) VALUES('crisismerge', %d)",
	    MN_STORE_BULK_MERGE);
	assert_int_equal(mn_store_open(&store, rb_db, MN_STORE_WRITE, NULL, &err), 0);
	assert_int_equal(sqlite3_exec(mn_store_db(store), sql, NULL, NULL, NULL), SQLITE_OK);
	mn_store_close(store);
	sqlite3_free(sql);
	assert_int_equal(fts_setting("automerge"), 0);
	rb_write("corpus/extra.md", extra, strlen(extra));
	opts.bulk_bytes = 0;
	assert_int_equal(mn_store_open(&store, rb_db, MN_STORE_WRITE, NULL, &err), 0);
	assert_int_equal(mn_index_run(store, &opts, &stats, &err), 0);
	mn_store_close(store);
	assert_int_equal(stats.added, 1);
	assert_int_equal(fts_setting("automerge"), 4);
	assert_int_equal(fts_setting("crisismerge"), 16);
	assert_int_equal(rb_count("quokka"), 1);
	rb_assert_sound(rb_db);
	free(small);
	free(bulk);
	free(path);
}

static void count_commits(void *ctx, const struct mn_index_event *ev)
{
	if (ev->type == MN_INDEX_COMMITTED)
		++*(int *)ctx;
}

/* Indexes 300 small files into a new index at name; the commits the run made. */
static int commits_of_300(const char *name, uint64_t bulk_bytes)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = NULL;
	struct mn_index_opts opts;
	struct mn_index_stats stats;
	struct mn_root root = {NULL, NULL};
	char *db = rb_path(name);
	int commits = 0;

	root.path = rb_path("many");
	memset(&opts, 0, sizeof(opts));
	opts.roots = &root;
	opts.nroots = 1;
	opts.batch_ms = 1e9; /* batches end by their count of files only */
	opts.bulk_bytes = bulk_bytes;
	opts.on_event = count_commits;
	opts.ctx = &commits;
	assert_int_equal(mn_store_open(&store, db, MN_STORE_WRITE, NULL, &err), 0);
	assert_int_equal(mn_index_run(store, &opts, &stats, &err), 0);
	assert_int_equal(stats.added, 300);
	mn_store_close(store);
	free((char *)root.path);
	free(db);
	return commits;
}

/* A bulk run commits every 4096 files, not every 256 (or after 5 s, not 1 s). */
static void test_bulk_runs_commit_less_often(void **state)
{
	char name[64], text[96];
	int i;

	(void)state;
	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "many/m%03d.md", i);
		snprintf(text, sizeof(text), "# Sync %d\n\nAnn: the plan for item %d\n", i, i);
		rb_write(name, text, strlen(text));
	}
	/* 256 files, then the other 44 with the end of the run. */
	assert_int_equal(commits_of_300("small.db", 0), 2);
	assert_int_equal(commits_of_300("bulk.db", 1), 1);
}

/* What a reader saw at the first commit of a run. */
struct first_commit {
	int commits;
	int64_t passages, dicts;
};

static void on_first_commit(void *ctx, const struct mn_index_event *ev)
{
	struct first_commit *fc = ctx;

	if (ev->type != MN_INDEX_COMMITTED || fc->commits++)
		return;
	fc->passages = reader_count("SELECT count(*) FROM passages");
	fc->dicts = reader_count("SELECT count(*) FROM text_dicts");
}

/*
 * A bulk run into a new index commits as soon as it has written the text
 * a dictionary is trained on (1 MB), not at the end of its first batch:
 * the text after that commit is packed as it is written, not rewritten.
 */
static void test_bulk_run_commits_when_the_dictionary_is_due(void **state)
{
	struct mn_buf text = MN_BUF_INIT;
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = NULL;
	struct mn_index_opts opts;
	struct mn_index_stats stats;
	struct mn_root root = {NULL, NULL};
	struct first_commit fc = {0, 0, 0};
	char name[64], line[96];
	int64_t total, bytes = 0;
	int i, j, n;

	(void)state;
	/* 480 files of 60 passages of about 65 bytes: 1.8 MB of text in all (bytes). */
	for (i = 0; i < 480; i++) {
		mn_buf_reset(&text);
		mn_buf_addf(&text, "# Review %d\n\n", i);
		for (j = 0; j < 60; j++) {
			n = snprintf(
			    line, sizeof(line),
			    "point %d of review %d, on the wombat budget and the quarter's plan", j,
			    i);
			mn_buf_addf(&text, "Ann: %s\n\n", line);
			bytes += n;
		}
		snprintf(name, sizeof(name), "big/r%03d.md", i);
		rb_write(name, text.data, text.len);
	}
	root.path = rb_path("big");
	memset(&opts, 0, sizeof(opts));
	opts.roots = &root;
	opts.nroots = 1;
	opts.batch_ms = 1e9; /* only the count of files or the dictionary ends a batch */
	opts.bulk_bytes = 1;
	opts.on_event = on_first_commit;
	opts.ctx = &fc;
	assert_int_equal(mn_store_open(&store, rb_db, MN_STORE_WRITE, NULL, &err), 0);
	assert_int_equal(mn_index_run(store, &opts, &stats, &err), 0);
	mn_store_close(store);
	assert_int_equal(stats.added, 480);

	total = reader_count("SELECT count(*) FROM passages");
	assert_true(bytes > 1536 * 1024);
	/*
	 * The first commit came after 1 MB of text, with the dictionary, long
	 * before the end; then the end of the writing, and the merge of FTS5's
	 * segments that a run of more than 20000 passages does.
	 */
	assert_int_equal(fc.commits, 3);
	assert_int_equal(fc.dicts, 1);
	assert_true(fc.passages * (bytes / total) >= 1000 * 1000);
	assert_true(fc.passages * 3 < total * 2);
	assert_int_equal(reader_count("SELECT count(*) FROM passages WHERE typeof(text) = 'text'"),
			 0);
	rb_assert_sound(rb_db);
	free((char *)root.path);
	mn_buf_release(&text);
}

/*
 * A big file whose later piece fails is rolled back whole, and so are the
 * topic ids its pieces were given: the files after it get their own.
 */
static void test_failed_big_file_leaves_no_ids(void **state)
{
	static const char b_md[] = "# Sync\n\n## Tamarin budget\n\nAnn: the tamarin plan\n";
	static const char c_md[] = "# Sync\n\n## Heliotrope\n\nBo: the heliotrope plan\n";
	struct mn_buf log = MN_BUF_INIT;
	struct mn_index_opts opts;
	struct mn_root root = {NULL, NULL};
	struct mn_index_stats stats;
	struct mn_store *store = NULL;
	struct mn_err err = MN_ERR_INIT;
	const char *search[] = {MN_SEARCH_BIN, "--db", rb_db, "--format", "jsonl", "tamarin", NULL};
	struct tu_run r;
	char *path;
	int i;

	(void)state;
	mn_buf_adds(&log, "[12:00] <ann> #topic Tamarin budget\n");
	for (i = 1; i < 40; i++)
		mn_buf_addf(&log, "[12:%02d] <ann> point %d of the talk\n", i, i);
	/* Past the first piece it is no longer an IRC log: the file is skipped. */
	for (i = 0; i < 40; i++)
		mn_buf_adds(&log, "just prose, in no format a log has\n");
	rb_write("m/a/2021-01-01.log", log.data, log.len);
	rb_write("m/b/2021-02-01.md", b_md, strlen(b_md));
	rb_write("m/c/2021-03-01.md", c_md, strlen(c_md));
	path = rb_path("m");
	root.path = path;
	memset(&opts, 0, sizeof(opts));
	opts.roots = &root;
	opts.nroots = 1;
	opts.piece_bytes = 1000;
	assert_int_equal(mn_store_open(&store, rb_db, MN_STORE_WRITE, NULL, &err), 0);
	assert_int_equal(mn_index_run(store, &opts, &stats, &err), 0);
	mn_store_close(store);
	assert_int_equal(stats.added, 2);
	assert_int_equal(stats.skipped, 1);
	rb_assert_sound(rb_db);
	tu_run(&r, rb_dir, NULL, search);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\"topic\":\"Tamarin budget\""));
	assert_null(strstr(r.out, "Heliotrope"));
	tu_run_free(&r);
	free(path);
	mn_buf_release(&log);
}

/* ---- bad index files ----------------------------------------------------------- */

/* Both programs on a bad index: exit 2 with a message that points to --rebuild. */
static void expect_bad_index(const char *what)
{
	const char *search[] = {MN_SEARCH_BIN, "--db", rb_db, "migration", NULL};
	struct tu_run r;

	tu_run(&r, rb_dir, NULL, search);
	if (r.status != 2 || !strstr(r.err, "--rebuild") || strncmp(r.err, "minutes-search: ", 16))
		fail_msg("%s: minutes-search exited %d: %s", what, r.status, r.err);
	assert_ptr_equal(strchr(r.err, '\n'), r.err + strlen(r.err) - 1); /* one line */
	tu_run_free(&r);
	rb_index(&r, "corpus", NULL);
	if (r.status != 2 || !strstr(r.err, "--rebuild"))
		fail_msg("%s: minutes-index exited %d: %s", what, r.status, r.err);
	tu_run_free(&r);
	rb_index(&r, "--check", NULL);
	if (r.status != 2 || !strstr(r.err, "--rebuild"))
		fail_msg("%s: minutes-index --check exited %d: %s", what, r.status, r.err);
	tu_run_free(&r);
}

static void test_bad_index_files(void **state)
{
	struct mn_err err = MN_ERR_INIT;
	struct tu_run r;
	char *good;
	size_t len, i;
	static const double cuts[] = {0.02, 0.25, 0.5, 0.75, 0.98};
	sqlite3 *db;

	(void)state;
	rb_copy_corpus();
	rb_puts("index.db", "SQLite format 2\0 but not really, just some text\n");
	expect_bad_index("not SQLite");

	rb_index(&r, "--rebuild", "corpus", NULL);
	assert_int_equal(r.status, 0);
	tu_run_free(&r);
	assert_int_equal(mn_read_file(rb_db, 1 << 26, &good, &len, &err), 0);
	for (i = 0; i < sizeof(cuts) / sizeof(*cuts); i++) {
		const char *search[] = {MN_SEARCH_BIN, "--db", rb_db, "migration", NULL};

		rb_write("index.db", good, (size_t)(len * cuts[i]) & ~(size_t)511);
		/* Whatever survives, nothing crashes and an error says what to do. */
		tu_run(&r, rb_dir, NULL, search);
		assert_true(r.status <= 2);
		if (r.status == 2)
			assert_non_null(strstr(r.err, "--rebuild"));
		tu_run_free(&r);
		rb_index(&r, "corpus", NULL);
		assert_true(r.status <= 2);
		if (r.status == 2)
			assert_non_null(strstr(r.err, "--rebuild"));
		tu_run_free(&r);
	}
	free(good);
	rb_index(&r, "--rebuild", "corpus", NULL);
	assert_int_equal(r.status, 0);
	tu_run_free(&r);
	rb_assert_sound(rb_db);

	/* Another schema version. */
	assert_int_equal(sqlite3_open(rb_db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	expect_bad_index("schema 99");
	rb_index(&r, "--rebuild", NULL);
	assert_int_equal(r.status, 2); /* the old index cannot be read for its roots */
	tu_run_free(&r);

	/* Another program's SQLite database. */
	unlink(rb_db);
	assert_int_equal(sqlite3_open(rb_db, &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES(1)", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	expect_bad_index("not ours");
	rb_index(&r, "--rebuild", "corpus", NULL);
	assert_int_equal(r.status, 0);
	tu_run_free(&r);
	assert_true(rb_count("migration") > 0);
}

/* ---- queries -------------------------------------------------------------------------- */

static int count_hit(void *ctx, const struct mn_hit *hit)
{
	(void)hit;
	(*(int *)ctx)++;
	return 0;
}

static void test_hostile_queries_never_reach_sqlite(void **state)
{
	static const char *const queries[] = {
	    "\"",
	    "\"\"",
	    "*",
	    "**",
	    "-",
	    "--",
	    "- -",
	    "a:",
	    ":",
	    "NEAR(",
	    "NEAR()",
	    "NEAR(a,",
	    "NEAR(a b, -1)",
	    "NEAR(a b, 99999999999999999999)",
	    "(((",
	    ")))",
	    "()",
	    "AND",
	    "OR",
	    "NOT",
	    "a AND",
	    "OR b",
	    "NOT NOT x",
	    "a OR OR b",
	    "\"a\" * \"b\"",
	    "a*b*",
	    "^a",
	    "a^",
	    "a + b",
	    "{a b}",
	    "col:x",
	    "rowid:1",
	    "passages_fts:x",
	    "text:migration",
	    "'",
	    "''",
	    "';--",
	    "x'); DROP TABLE passages; --",
	    "speaker:",
	    "speaker:\"",
	    "date:",
	    "date:..",
	    "date:2018-13-45",
	    "date:99999",
	    "after:x",
	    "before:",
	    "kind:nothing",
	    "path:'",
	    "path:%",
	    "path:_",
	    "topic:\"\"",
	    "\xff\xfe",
	    "caf\xc3",
	    "\xe2\x80\x8b",
	    "a\tb\nc",
	    "NEAR(\"a b\" c, 2)",
	    "-(a OR b)",
	    "(a) (b) -(c)",
	    "x86-64",
	    "C++",
	    "4.12",
	    "don't",
	    "O'Brien",
	    "e-mail",
	    "a.b.c",
	    "#tag",
	    "@who",
	    "a/b",
	    "\\",
	    "%",
	    "_",
	    "a\\\"b",
	};
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = NULL;
	struct tu_run r;
	size_t i;

	(void)state;
	rb_copy_corpus();
	rb_index(&r, "corpus", NULL);
	tu_run_free(&r);
	assert_int_equal(mn_store_open(&store, rb_db, MN_STORE_READ, NULL, &err), 0);
	for (i = 0; i < sizeof(queries) / sizeof(*queries); i++) {
		struct mn_search_opts opts;
		struct mn_results res;
		int hits = 0;

		memset(&opts, 0, sizeof(opts));
		opts.query = queries[i];
		opts.limit = 10;
		opts.sort = MN_SORT_AUTO;

		mn_err_clear(&err);
		if (mn_search(store, &opts, count_hit, &hits, &res, &err)) {
			if (err.status != MN_ERR_QUERY)
				fail_msg("query '%s' reached SQLite: %s", queries[i], err.msg);
			if (strstr(err.msg, "fts5") || strstr(err.msg, "SQL"))
				fail_msg("query '%s' leaked: %s", queries[i], err.msg);
		}
	}
	mn_store_close(store);
	rb_assert_sound(rb_db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_second_run_does_nothing, rb_setup, rb_teardown),
	    cmocka_unit_test_setup_teardown(test_changed_new_and_removed_files, rb_setup,
					    rb_teardown),
	    cmocka_unit_test_setup_teardown(test_touched_file_is_not_reindexed, rb_setup,
					    rb_teardown),
	    cmocka_unit_test_setup_teardown(test_one_folder_under_other_spellings, rb_setup,
					    rb_teardown),
	    cmocka_unit_test_setup_teardown(test_run_without_paths_uses_recorded_roots, rb_setup,
					    rb_teardown),
	    cmocka_unit_test_setup_teardown(test_run_without_paths_or_index, rb_setup, rb_teardown),
	    cmocka_unit_test_setup_teardown(test_index_from_before_roots_had_a_base, rb_setup,
					    rb_teardown),
	    cmocka_unit_test_setup_teardown(test_missing_recorded_root_keeps_its_files, rb_setup,
					    rb_teardown),
	    cmocka_unit_test_setup_teardown(test_unreadable_folder_keeps_its_files, rb_setup,
					    rb_teardown),
	    cmocka_unit_test_setup_teardown(test_dry_run_lists_and_writes_nothing, rb_setup,
					    rb_teardown),
	    cmocka_unit_test_setup_teardown(test_rebuild, rb_setup, rb_teardown),
	    cmocka_unit_test_setup_teardown(test_check, rb_setup, rb_teardown),
	    cmocka_unit_test_setup_teardown(test_option_conflicts, rb_setup, rb_teardown),
	    cmocka_unit_test_setup_teardown(test_bad_input_files, rb_setup, rb_teardown),
	    cmocka_unit_test_setup_teardown(test_parse_in_pieces_matches_whole, rb_setup,
					    rb_teardown),
	    cmocka_unit_test_setup_teardown(test_bulk_runs_merge_in_bulk_until_done, rb_setup,
					    rb_teardown),
	    cmocka_unit_test_setup_teardown(test_bulk_runs_commit_less_often, rb_setup,
					    rb_teardown),
	    cmocka_unit_test_setup_teardown(test_bulk_run_commits_when_the_dictionary_is_due,
					    rb_setup, rb_teardown),
	    cmocka_unit_test_setup_teardown(test_failed_big_file_leaves_no_ids, rb_setup,
					    rb_teardown),
	    cmocka_unit_test_setup_teardown(test_bad_index_files, rb_setup, rb_teardown),
	    cmocka_unit_test_setup_teardown(test_hostile_queries_never_reach_sqlite, rb_setup,
					    rb_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
