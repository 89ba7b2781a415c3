/*
 * Golden tests of the parser: the outline minutes-index --parse prints for
 * each fixture in tests/fixtures/parse/ and each seed in corpus/ must equal
 * the reviewed copy in tests/expected/. After a deliberate change, run with
 * MINUTES_UPDATE_GOLDEN=1 to rewrite the copies, then review the diff.
 */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mn_util.h"

static char *read_all(const char *path)
{
	struct mn_err err = MN_ERR_INIT;
	char *data = NULL;
	size_t len;

	if (mn_read_file(path, 64u << 20, &data, &len, &err))
		return NULL;
	return data;
}

/* Prints the first line where two texts differ. */
static void show_difference(const char *want, const char *got)
{
	int line = 1;

	while (*want && *want == *got) {
		if (*want == '\n')
			line++;
		want++;
		got++;
	}
	while (want[0] && want[-1] != '\n' && line > 0 && want > got)
		want--;
	print_error("first difference at line %d:\n  want: %.*s\n  got:  %.*s\n", line,
		    (int)strcspn(want, "\n"), want, (int)strcspn(got, "\n"), got);
}

static void check(const char *input, const char *expected)
{
	const char *argv[] = { MN_INDEX_BIN, "--parse", "--format", "outline", input, NULL };
	char *want_path = tu_path(MN_SOURCE_DIR, expected);
	struct tu_run r;
	char *want;

	tu_run(&r, NULL, NULL, argv);
	if (r.status != 0)
		fail_msg("parsing '%s' failed (%d): %s", input, r.status, r.err);
	if (getenv("MINUTES_UPDATE_GOLDEN")) {
		tu_write_file(want_path, r.out);
		print_message("rewrote %s\n", expected);
	} else {
		want = read_all(want_path);
		if (!want)
			fail_msg("no expected outline '%s' (run with MINUTES_UPDATE_GOLDEN=1)", expected);
		if (strcmp(want, r.out)) {
			show_difference(want, r.out);
			fail_msg("outline of '%s' differs from '%s'", input, expected);
		}
		free(want);
	}
	tu_run_free(&r);
	free(want_path);
}

/* Every regular file of a source folder (recursively), as paths relative to the source tree. */
static void collect(const char *rel, char ***files, size_t *n, size_t *cap)
{
	char *abs = tu_path(MN_SOURCE_DIR, rel);
	DIR *d = opendir(abs);
	struct dirent *de;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		char *child, *child_abs;

		if (de->d_name[0] == '.')
			continue;
		child = tu_path(rel, de->d_name);
		child_abs = tu_path(MN_SOURCE_DIR, child);
		if (stat(child_abs, &st) == 0 && S_ISDIR(st.st_mode)) {
			collect(child, files, n, cap);
			free(child);
		} else {
			MN_GROW(*files, *n + 1, *cap);
			(*files)[(*n)++] = child;
		}
		free(child_abs);
	}
	closedir(d);
	free(abs);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_outlines(void **state)
{
	char **files = NULL;
	size_t n = 0, cap = 0, i;

	(void)state;
	collect("tests/fixtures/parse", &files, &n, &cap);
	collect("corpus", &files, &n, &cap);
	qsort(files, n, sizeof(*files), by_name);
	assert_true(n >= 15);
	for (i = 0; i < n; i++) {
		struct mn_buf expected = MN_BUF_INIT;
		const char *name = strchr(files[i], '/') + 1;

		if (!strncmp(files[i], "tests/", 6))
			name = files[i] + strlen("tests/fixtures/parse/");
		mn_buf_addf(&expected, "tests/expected/parse/%s.outline", name);
		{
			/* Fixtures in sub-folders keep their folder in the expected file's name. */
			char *p;

			for (p = expected.data + strlen("tests/expected/parse/"); *p; p++)
				if (*p == '/')
					*p = '_';
		}
		check(files[i], mn_buf_str(&expected));
		mn_buf_release(&expected);
		free(files[i]);
	}
	free(files);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outlines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
