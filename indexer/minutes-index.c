/*
 * minutes-index: builds and updates the index from minutes files, or with
 * --parse prints the structure the parser finds.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mn_doc.h"
#include "mn_index.h"
#include "mn_parse.h"
#include "mn_print.h"
#include "mn_store.h"
#include "mn_text.h"

/* Exit codes (documented in the README and --help). */
enum {
	EXIT_DONE = 0,     /* every file was indexed */
	EXIT_SKIPPED = 1,  /* the run completed but some files were skipped */
	EXIT_ERROR = 2,    /* bad usage, or the index could not be written */
};

static const char usage_text[] =
	"usage: minutes-index [OPTIONS] PATH...\n"
	"       minutes-index --parse [--format json|jsonl|outline] FILE...\n"
	"\n"
	"Index minutes files (.txt, .md, .markdown) found in each PATH, a file or\n"
	"a folder walked recursively, so that minutes-search can find them.\n"
	"\n"
	"Options:\n"
	"      --db PATH        index file (default: $MINUTES_DB, else\n"
	"                       $XDG_DATA_HOME/minutes/index.db)\n"
	"      --language LANG  stemming language of a new index (default: english)\n"
	"      --parse          print each file's structure as JSON; no index is touched\n"
	"      --format FMT     with --parse: json (pretty, default), jsonl, or outline\n"
	"                       (readable: one line per attendee, topic, passage)\n"
	"  -q, --quiet          print nothing but errors\n"
	"  -v, --verbose        print a line for every file\n"
	"  -h, --help           show this help\n"
	"      --version        show the version\n"
	"\n"
	"Examples:\n"
	"  minutes-index corpus/\n"
	"  minutes-index --db /tmp/test.db ~/minutes/tsc ~/minutes/stratos\n"
	"  minutes-index --parse corpus/001_39f262a60b4acc81.txt\n"
	"\n"
	"Exit status: 0 all files indexed, 1 some files were skipped (each is\n"
	"named on stderr), 2 error (bad usage, index cannot be opened or written).\n";

struct run {
	int quiet, verbose;
};

static void on_event(void *ctx, const struct mn_index_event *ev)
{
	struct run *run = ctx;

	switch (ev->type) {
	case MN_INDEX_SKIPPED:
		fprintf(stderr, "minutes-index: skipping '%s': %s\n", ev->path, ev->reason);
		break;
	case MN_INDEX_IGNORED:
		if (run->verbose)
			fprintf(stderr, "minutes-index: ignoring '%s': %s\n", ev->path,
				ev->reason);
		break;
	case MN_INDEX_ADDED:
	case MN_INDEX_UPDATED:
		if (run->verbose)
			printf("%s %s (%zu passages)\n",
			       ev->type == MN_INDEX_ADDED ? "added" : "updated", ev->path,
			       ev->passages);
		break;
	}
}

static int parse_files(char **paths, int n, int lines)
{
	int i, status = EXIT_DONE;

	for (i = 0; i < n; i++) {
		struct mn_err err = MN_ERR_INIT;
		struct mn_doc *doc = NULL;
		char *raw = NULL, *text;
		size_t raw_len, len;
		json_t *j;

		if (mn_read_file(paths[i], 256u << 20, &raw, &raw_len, &err)) {
			fprintf(stderr, "minutes-index: %s\n", err.msg);
			status = EXIT_SKIPPED;
			continue;
		}
		text = mn_utf8_repair(raw, raw_len, &len, NULL);
		free(raw);
		if (mn_parse(paths[i], text, len, &doc, &err)) {
			fprintf(stderr, "minutes-index: cannot parse '%s': %s\n", paths[i], err.msg);
			free(text);
			status = EXIT_SKIPPED;
			continue;
		}
		if (lines == 2) {
			mn_doc_outline(doc, stdout);
		} else {
			j = mn_doc_to_json(doc);
			if (lines)
				mn_json_dumpf(j, stdout);
			else
				json_dumpf(j, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
			putchar('\n');
			json_decref(j);
		}
		mn_doc_free(doc);
		free(text);
	}
	return status;
}

int main(int argc, char **argv)
{
	enum { OPT_DB = 256, OPT_LANGUAGE, OPT_PARSE, OPT_FORMAT, OPT_VERSION };
	static const struct option options[] = {
		{ "db", required_argument, NULL, OPT_DB },
		{ "language", required_argument, NULL, OPT_LANGUAGE },
		{ "parse", no_argument, NULL, OPT_PARSE },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = NULL;
	struct mn_index_opts opts;
	struct mn_index_stats stats;
	struct mn_store_counts counts;
	struct run run = { 0, 0 };
	const char *db = NULL, *language = NULL;
	char *default_db = NULL;
	int parse = 0, lines = 0, c, status;
	double t0 = mn_now_ms();

	while ((c = getopt_long(argc, argv, "qvh", options, NULL)) != -1) {
		switch (c) {
		case OPT_DB:
			db = optarg;
			break;
		case OPT_LANGUAGE:
			language = optarg;
			break;
		case OPT_PARSE:
			parse = 1;
			break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "jsonl")) {
				lines = 1;
			} else if (!strcmp(optarg, "outline")) {
				lines = 2;
			} else if (strcmp(optarg, "json")) {
				fprintf(stderr, "minutes-index: unknown format '%s' (use json, jsonl or "
						"outline)\n",
					optarg);
				return EXIT_ERROR;
			}
			break;
		case 'q':
			run.quiet = 1;
			break;
		case 'v':
			run.verbose = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_DONE;
		case OPT_VERSION:
			printf("minutes-index %s\n", MN_VERSION);
			return EXIT_DONE;
		default:
			fputs("Try 'minutes-index --help' for more information.\n", stderr);
			return EXIT_ERROR;
		}
	}
	if (optind >= argc) {
		fputs("minutes-index: no PATH given\n", stderr);
		fputs("Try 'minutes-index --help' for more information.\n", stderr);
		return EXIT_ERROR;
	}
	if (parse)
		return parse_files(argv + optind, argc - optind, lines);

	if (!db) {
		default_db = mn_store_default_path();
		if (!default_db) {
			fputs("minutes-index: no index path: set --db, MINUTES_DB or HOME\n", stderr);
			return EXIT_ERROR;
		}
		db = default_db;
	}
	if (mn_store_open(&store, db, MN_STORE_WRITE, language, &err)) {
		fprintf(stderr, "minutes-index: %s\n", err.msg);
		free(default_db);
		return EXIT_ERROR;
	}
	memset(&opts, 0, sizeof(opts));
	opts.paths = (const char *const *)(argv + optind);
	opts.npaths = (size_t)(argc - optind);
	opts.on_event = on_event;
	opts.ctx = &run;
	if (mn_index_run(store, &opts, &stats, &err)) {
		fprintf(stderr, "minutes-index: %s\n", err.msg);
		mn_store_close(store);
		free(default_db);
		return EXIT_ERROR;
	}
	if (!run.quiet && !mn_store_counts(store, &counts, &err))
		printf("%zu new, %zu updated, %zu skipped, %zu ignored; %zu passages in %.2f s; "
		       "index '%s' holds %lld meetings, %lld passages, %lld people\n",
		       stats.added, stats.updated, stats.skipped, stats.ignored, stats.passages,
		       (mn_now_ms() - t0) / 1000.0, db, (long long)counts.meetings,
		       (long long)counts.passages, (long long)counts.people);
	status = stats.skipped ? EXIT_SKIPPED : EXIT_DONE;
	mn_store_close(store);
	free(default_db);
	return status;
}
