/*
 * Runs a libFuzzer target's entry point over saved inputs without libFuzzer,
 * so that every crash the fuzzers found stays a regression test in the
 * ordinary build (and under ASan, UBSan and valgrind).
 *
 *   replay_parse FILE_OR_FOLDER...
 *
 * Prints how many inputs ran; a crash is the failure.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mn_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay(const char *path, size_t *count)
{
	struct mn_err err = MN_ERR_INIT;
	struct stat st;
	char *data;
	size_t len;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "replay: cannot stat '%s'\n", path);
		return 1;
	}
	if (S_ISDIR(st.st_mode)) {
		struct dirent **names;
		int n = scandir(path, &names, NULL, alphasort), i, rc = 0;

		if (n < 0) {
			fprintf(stderr, "replay: cannot read folder '%s'\n", path);
			return 1;
		}
		for (i = 0; i < n; i++) {
			struct mn_buf child = MN_BUF_INIT;

			if (names[i]->d_name[0] != '.') {
				mn_buf_addf(&child, "%s/%s", path, names[i]->d_name);
				rc |= replay(mn_buf_str(&child), count);
				mn_buf_release(&child);
			}
			free(names[i]);
		}
		free(names);
		return rc;
	}
	if (mn_read_file(path, 64u << 20, &data, &len, &err)) {
		fprintf(stderr, "replay: %s\n", err.msg);
		return 1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)data, len);
	free(data);
	(*count)++;
	return 0;
}

int main(int argc, char **argv)
{
	size_t count = 0;
	int i, rc = 0;

	for (i = 1; i < argc; i++)
		rc |= replay(argv[i], &count);
	printf("replayed %zu inputs\n", count);
	return rc;
}
