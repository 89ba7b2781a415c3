/*
 * Helpers shared by the robustness tests (test_robust*.c): a scratch
 * folder with its own index, running the programs on it, and comparing
 * what an index holds.
 */
#ifndef MN_TEST_ROBUST_H
#define MN_TEST_ROBUST_H

#include "testutil.h"

#include <stdarg.h>

#include "mn_store.h"

/* The scratch folder of the running test and the index in it. */
extern char *rb_dir, *rb_db;

/* cmocka setup and teardown: a new scratch folder per test. */
int rb_setup(void **state);
int rb_teardown(void **state);

/* rb_dir + "/" + name; a new string. */
char *rb_path(const char *name);

/* Writes data (len bytes) to rb_dir/name, making folders. */
void rb_write(const char *name, const char *data, size_t len);

/* Copies corpus/ to rb_dir/corpus. */
void rb_copy_corpus(void);

/*
 * Runs minutes-index --db rb_db with the NULL-terminated arguments, in
 * rb_dir; r must be freed with tu_run_free. With child (see tu_run_with)
 * and when running as root, a copy of the program runs, so that a child
 * that drops privileges can still run it.
 */
void rb_index(struct tu_run *r, ...);
void rb_index_with(struct tu_run *r, void (*child)(void *), void *arg, ...);

/*
 * Copies the program bin into rb_dir, readable and executable by anyone,
 * for tests that run it as another user. Returns its path (caller frees).
 */
char *rb_copy_bin(const char *bin);

/* minutes-search --db rb_db --format json --limit 10000 query: the total (-1 on error). */
long rb_count(const char *query);

/* Fails the test unless the index passes every integrity check. */
void rb_assert_sound(const char *db);

/*
 * Everything a search can see of the index, one line per passage in a
 * fixed order (paths, lines, kinds, texts, topics, meetings): two indexes
 * of the same files give the same string. Caller frees.
 */
char *rb_digest(const char *db);

/* Number of passages and meetings in db. */
long rb_passages(const char *db);

#endif
