/*
 * Helpers shared by the tests: temporary folders, running the programs,
 * reading their JSON.
 */
#ifndef MN_TESTUTIL_H
#define MN_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
/* cmocka needs the headers above first. */
#include <cmocka.h>
#include <jansson.h>

#include "mn_util.h"

/* Makes a new empty folder under $TMPDIR and returns its path (caller frees). */
char *tu_tmpdir(void);

/* Removes a folder and everything in it. */
void tu_rmtree(const char *path);

/* Returns dir + "/" + name as a new string. */
char *tu_path(const char *dir, const char *name);

/* Writes data to path, failing the test on error. */
void tu_write_file(const char *path, const char *data);

/* What a program printed and how it exited. */
struct tu_run {
	char *out;
	char *err;
	int status; /* exit status, or 128 + signal */
};

/*
 * Runs argv (NULL-terminated) with the working folder cwd (NULL: the
 * source tree) and the given environment additions ("NAME=value", may be
 * NULL), capturing its output. With $MINUTES_TEST_WRAPPER set (say
 * "valgrind -q --error-exitcode=99 --leak-check=full"), the program runs
 * behind it.
 */
void tu_run(struct tu_run *r, const char *cwd, const char *const *env, const char *const *argv);
/* As tu_run, with input (may be NULL: /dev/null) on the program's standard input. */
void tu_run_input(struct tu_run *r, const char *cwd, const char *const *env,
		  const char *const *argv, const char *input);

/* As tu_run, calling child(arg) in the child just before it runs the program. */
void tu_run_with(struct tu_run *r, const char *cwd, const char *const *env,
		 const char *const *argv, void (*child)(void *arg), void *arg);

/*
 * As tu_run, with the program's standard output and error on a new
 * pseudo-terminal cols columns wide (standard input is /dev/null), as when
 * a user runs it in a terminal. r->out gets everything written to the
 * terminal, both streams mixed in the order they came ("\n" arrives as
 * "\r\n"); r->err is empty.
 */
void tu_run_pty(struct tu_run *r, const char *cwd, const char *const *env, const char *const *argv,
		int cols);

/*
 * Starts argv in the background with stdout and stderr going to the file
 * log; returns its pid (the caller waits for it).
 */
pid_t tu_spawn(const char *cwd, const char *const *argv, const char *log);
void tu_run_free(struct tu_run *r);

/* Parses text as JSON, failing the test when it is not. Returns a new reference. */
json_t *tu_json(const char *text);

struct mn_store;
struct mn_store_opts;

/*
 * Opens the index at db with opts (NULL: for writing, as minutes-index
 * does) and indexes folders[0..n) into it, failing the test on error.
 */
struct mn_store *tu_index_folders(const char *db, const struct mn_store_opts *opts,
				  const char *const *folders, size_t n);

/* The integer the query sql returns in its first row, failing the test otherwise. */
int64_t tu_count(struct mn_store *store, const char *sql);

/*
 * SQL that takes an index of schema 8 back to what schema 7 had (then set
 * user_version): the topics' parts and heads in dict_topics, as heading
 * ids (the first of each class stands for the class), and no fold classes.
 */
#define TU_SCHEMA_8_UNDONE                                                                         \
	"ALTER TABLE dict_topics ADD COLUMN parts BLOB; "                                          \
	"ALTER TABLE dict_topics ADD COLUMN heads BLOB; "                                          \
	"UPDATE dict_topics SET parts = (SELECT parts FROM topic_classes c "                       \
	"  WHERE c.id = dict_topics.id), heads = (SELECT heads FROM topic_classes c "              \
	"  WHERE c.id = dict_topics.id); "                                                         \
	"DROP TABLE topic_classes; DROP TABLE topic_chunks; DROP INDEX dict_headings_fold; "       \
	"ALTER TABLE dict_headings DROP COLUMN cls; ALTER TABLE dict_headings DROP COLUMN fold; "

/*
 * SQL that takes an index of schema 7 back to what schema 6 had (then set
 * user_version): the table of heading sequences, left empty, as this
 * program reads nothing of it.
 */
#define TU_SCHEMA_7_UNDONE "CREATE TABLE dict_seqs(seq INTEGER PRIMARY KEY); "

/* SQL that takes an index of schema 6 back to what schema 5 had (then set user_version). */
#define TU_SCHEMA_6_UNDONE                                                                         \
	"DROP TABLE person_chunks; "                                                               \
	"UPDATE cols SET id = (id & 4294967295) * 16 + (id >> 32) - 1 WHERE id >= 4294967296; "

#endif
