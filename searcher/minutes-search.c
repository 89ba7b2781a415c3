/*
 * minutes-search: runs a query on the index and prints the hits.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mn_print.h"
#include "mn_search.h"
#include "mn_store.h"

/* Exit codes, like grep's (documented in the README and --help). */
enum {
	EXIT_HITS = 0,    /* at least one hit */
	EXIT_NO_HITS = 1, /* the query ran and found nothing */
	EXIT_ERROR = 2,   /* bad usage or query, no index, unreadable index */
};

static const char usage_text[] =
	"usage: minutes-search [OPTIONS] QUERY...\n"
	"\n"
	"Search the minutes index. Words are stemmed; all of them must match.\n"
	"\n"
	"Query:\n"
	"  word \"a phrase\" migr*      a word in any form, words in a row, a prefix\n"
	"  -word, NOT word            without the word (fields too: -speaker:jan)\n"
	"  a OR b, (a OR b) c         either; grouping\n"
	"  NEAR(a b, 5)               words at most 5 words apart\n"
	"  speaker:jan by:MH          said by: any word of the name, an alias or the\n"
	"  speaker:\"Mike Holmes\"      label (MH); quote a value of several words\n"
	"  attendee:george            from meetings the person attended or spoke in\n"
	"  topic:xen title:stratos    in a heading above the passage; in the title\n"
	"  series:stratos project:xen the meeting series; series or topic\n"
	"  org:citrix owner:george    said by someone of the org; actions owned by\n"
	"  kind:action                utterance, reported, action, decision or note\n"
	"  path:2018/                 files whose path contains the text\n"
	"  date:2018 date:2018-07-11  a year, month or day; date:2018-01..2018-06,\n"
	"                             date:2020.. and date:..2019 are ranges\n"
	"  after:2018-06 before:2019  from the start of; before the start of\n"
	"\n"
	"Options:\n"
	"      --db PATH        index file (default: $MINUTES_DB, else\n"
	"                       $XDG_DATA_HOME/minutes/index.db)\n"
	"  -f, --format FMT     text, json, jsonl or vimgrep (default: text on a\n"
	"                       terminal, json otherwise)\n"
	"  -n, --limit N        show N hits (default 20)\n"
	"      --offset N       skip the first N hits\n"
	"      --sort ORDER     rank, date (oldest first) or -date (newest first)\n"
	"      --group meeting  one result per meeting: hit count and best hits\n"
	"      --facets[=LIST]  count hits per value of speaker, topic, series, org,\n"
	"                       year, kind (default: all six)\n"
	"      --facet-limit N  values per facet (default 10)\n"
	"      --count          print only the number of hits\n"
	"      --color WHEN     auto, always or never (NO_COLOR is honoured)\n"
	"  -h, --help           show this help\n"
	"      --version        show the version\n"
	"\n"
	"Examples:\n"
	"  minutes-search backports speaker:jan\n"
	"  minutes-search '\"release cadence\"' date:2018-01..2018-06\n"
	"  minutes-search kind:action owner:mike series:stratos\n"
	"  minutes-search 'speaker:\"Mike Holmes\" -kind:note'\n"
	"  minutes-search --group meeting --facets=speaker,year xen migration\n"
	"\n"
	"Exit status: 0 hits found, 1 no hits, 2 error.\n";

static int parse_count(const char *s, const char *what, long long min, size_t *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < min || v > 1000000000) {
		fprintf(stderr, "minutes-search: invalid %s '%s' (need a number from %lld)\n", what,
			s, min);
		return -1;
	}
	*out = (size_t)v;
	return 0;
}

/*
 * Whether the words of s[0..n) read as a field value rather than as more
 * query: no field, parenthesis, operator or exclusion among them.
 */
static int plain_words(const char *s)
{
	const char *w = s;

	while (*w) {
		size_t n;

		while (*w == ' ' || *w == '\t')
			w++;
		n = strcspn(w, " \t");
		if (!n)
			break;
		if (memchr(w, ':', n) || memchr(w, '(', n) || memchr(w, ')', n) || *w == '-' ||
		    (n == 2 && !memcmp(w, "OR", 2)) || (n == 3 && !memcmp(w, "AND", 3)) ||
		    (n == 3 && !memcmp(w, "NOT", 3)))
			return 0;
		w += n;
	}
	return 1;
}

/* Appends the argument a, quoting the value of a field argument. */
static void add_quoted_field(struct mn_buf *q, const char *a, const char *colon)
{
	mn_buf_add(q, a, (size_t)(colon - a) + 1);
	mn_buf_addf(q, "\"%s\"", colon + 1);
}

/* The colon of an argument that is one field with a value of several plain words, or NULL. */
static const char *field_with_spaces(const char *a)
{
	const char *colon = strchr(a, ':');
	const char *space = strpbrk(a, " \t");

	if (colon && space && colon < space && !strchr(a, '"') && colon[1] != '(' &&
	    plain_words(colon + 1))
		return colon;
	return NULL;
}

/*
 * Joins the arguments into one query. Split into several arguments, a
 * query's spaces inside one argument come from shell quotes, which the
 * shell removed: speaker:"Mike Holmes" arrives as speaker:Mike Holmes, and
 * such a field argument is quoted again. A single argument is the query as
 * typed (editors and pickers pass it so: 'speaker:jan backports'); when it
 * could also be a field value with its quotes removed, *alternative is that
 * reading (caller frees), offered as the suggestion if it finds more.
 */
static char *join_query(char **argv, int argc, char **alternative)
{
	struct mn_buf q = MN_BUF_INIT;
	int i;

	*alternative = NULL;
	if (argc == 1) {
		const char *colon = field_with_spaces(argv[0]);

		if (colon) {
			add_quoted_field(&q, argv[0], colon);
			*alternative = mn_buf_detach(&q);
		}
		return mn_xstrdup(argv[0]);
	}
	for (i = 0; i < argc; i++) {
		const char *colon = field_with_spaces(argv[i]);

		if (i)
			mn_buf_addc(&q, ' ');
		if (colon)
			add_quoted_field(&q, argv[i], colon);
		else
			mn_buf_adds(&q, argv[i]);
	}
	return mn_buf_detach(&q);
}

struct page {
	struct mn_printer *printer;
};

static int on_hit(void *ctx, const struct mn_hit *hit)
{
	struct page *page = ctx;

	mn_printer_hit(page->printer, hit);
	return 0;
}

static int on_group(void *ctx, const struct mn_group *group)
{
	struct page *page = ctx;

	mn_printer_group(page->printer, group);
	return 0;
}

/*
 * "--facets LIST" with the list as its own argument: getopt only gives an
 * optional argument written "--facets=LIST", so the argument that followed
 * --facets (next) is taken as the list when it names facets and is not the
 * only word of the query. Removes it from args[0..*n) and returns it, or
 * returns NULL.
 */
static const char *take_facet_list(char **args, int *n, const char *next)
{
	enum mn_facet_field fields[MN_FACET_COUNT];
	struct mn_err err = MN_ERR_INIT;
	size_t nfields;
	int i;

	if (!next || *n < 2 || mn_facets_parse(next, fields, &nfields, &err))
		return NULL;
	for (i = 0; i < *n; i++) {
		if (args[i] != next)
			continue;
		memmove(args + i, args + i + 1, (size_t)(*n - i - 1) * sizeof(*args));
		(*n)--;
		return next;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	enum {
		OPT_DB = 256,
		OPT_OFFSET,
		OPT_SORT,
		OPT_COUNT,
		OPT_COLOR,
		OPT_VERSION,
		OPT_GROUP,
		OPT_FACETS,
		OPT_FACET_LIMIT,
	};
	static const struct option options[] = {
		{ "db", required_argument, NULL, OPT_DB },
		{ "format", required_argument, NULL, 'f' },
		{ "limit", required_argument, NULL, 'n' },
		{ "offset", required_argument, NULL, OPT_OFFSET },
		{ "sort", required_argument, NULL, OPT_SORT },
		{ "group", required_argument, NULL, OPT_GROUP },
		{ "facets", optional_argument, NULL, OPT_FACETS },
		{ "facet-limit", required_argument, NULL, OPT_FACET_LIMIT },
		{ "count", no_argument, NULL, OPT_COUNT },
		{ "color", required_argument, NULL, OPT_COLOR },
		{ "colour", required_argument, NULL, OPT_COLOR },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ NULL, 0, NULL, 0 },
	};
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = NULL;
	struct mn_search_opts opts;
	struct mn_results res;
	struct mn_print_info info;
	struct page page = { NULL };
	enum mn_facet_field facets[MN_FACET_COUNT];
	const char *db = NULL, *color = "auto", *facet_list = NULL, *after_facets = NULL;
	char *default_db = NULL, *query = NULL, *alternative = NULL;
	int format = -1, count_only = 0, want_facets = 0, nargs, c, status = EXIT_ERROR;

	memset(&opts, 0, sizeof(opts));
	memset(&res, 0, sizeof(res));
	opts.limit = 20;
	opts.sort = MN_SORT_AUTO;
	/* Our own messages for unknown options and missing values (the leading ':'). */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:n:h", options, NULL)) != -1) {
		switch (c) {
		case OPT_DB:
			db = optarg;
			break;
		case 'f':
			format = mn_format_from_name(optarg);
			if (format < 0) {
				fprintf(stderr, "minutes-search: unknown format '%s' (use text, json, "
						"jsonl or vimgrep)\n",
					optarg);
				return EXIT_ERROR;
			}
			break;
		case 'n':
			if (parse_count(optarg, "limit", 0, &opts.limit))
				return EXIT_ERROR;
			break;
		case OPT_OFFSET:
			if (parse_count(optarg, "offset", 0, &opts.offset))
				return EXIT_ERROR;
			break;
		case OPT_SORT:
			if (!strcmp(optarg, "rank")) {
				opts.sort = MN_SORT_RANK;
			} else if (!strcmp(optarg, "date")) {
				opts.sort = MN_SORT_DATE;
			} else if (!strcmp(optarg, "-date")) {
				opts.sort = MN_SORT_DATE_DESC;
			} else {
				fprintf(stderr, "minutes-search: unknown sort order '%s' (use rank, date "
						"or -date)\n",
					optarg);
				return EXIT_ERROR;
			}
			break;
		case OPT_GROUP:
			if (strcmp(optarg, "meeting")) {
				fprintf(stderr, "minutes-search: unknown grouping '%s' (use meeting)\n",
					optarg);
				return EXIT_ERROR;
			}
			opts.group = MN_GROUP_MEETING;
			break;
		case OPT_FACETS:
			want_facets = 1;
			facet_list = optarg;
			after_facets = optarg || optind >= argc ? NULL : argv[optind];
			break;
		case OPT_FACET_LIMIT:
			if (parse_count(optarg, "facet limit", 1, &opts.facet_limit))
				return EXIT_ERROR;
			break;
		case OPT_COUNT:
			count_only = 1;
			break;
		case OPT_COLOR:
			if (strcmp(optarg, "auto") && strcmp(optarg, "always") &&
			    strcmp(optarg, "never")) {
				fprintf(stderr, "minutes-search: invalid --color '%s' (use auto, always "
						"or never)\n",
					optarg);
				return EXIT_ERROR;
			}
			color = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_HITS;
		case OPT_VERSION:
			printf("minutes-search %s\n", MN_VERSION);
			return EXIT_HITS;
		case ':':
			fprintf(stderr, "minutes-search: option '%s' needs a value\n", argv[optind - 1]);
			fputs("Try 'minutes-search --help' for more information.\n", stderr);
			return EXIT_ERROR;
		default:
			if (optopt)
				fprintf(stderr, "minutes-search: unknown option '-%c'\n", optopt);
			else
				fprintf(stderr, "minutes-search: unknown option '%s'\n",
					argv[optind - 1]);
			fputs("Try 'minutes-search --help' for more information.\n", stderr);
			return EXIT_ERROR;
		}
	}
	nargs = argc - optind;
	if (want_facets && !facet_list)
		facet_list = take_facet_list(argv + optind, &nargs, after_facets);
	if (want_facets) {
		if (mn_facets_parse(facet_list ? facet_list : MN_FACETS_DEFAULT, facets,
				    &opts.nfacets, &err)) {
			fprintf(stderr, "minutes-search: %s\n", err.msg);
			return EXIT_ERROR;
		}
		opts.facets = facets;
	}
	if (nargs <= 0) {
		fputs("minutes-search: no QUERY given\n", stderr);
		fputs("Try 'minutes-search --help' for more information.\n", stderr);
		return EXIT_ERROR;
	}
	if (format < 0)
		format = isatty(STDOUT_FILENO) ? MN_FORMAT_TEXT : MN_FORMAT_JSON;
	if (!db) {
		default_db = mn_store_default_path();
		if (!default_db) {
			fputs("minutes-search: no index path: set --db, MINUTES_DB or HOME\n", stderr);
			return EXIT_ERROR;
		}
		db = default_db;
	}
	query = join_query(argv + optind, nargs, &alternative);
	opts.query = query;
	opts.alternative = alternative;
	if (count_only) {
		/* Only the total is wanted: no page, no facets, no suggestion. */
		opts.limit = 0;
		opts.nfacets = 0;
	} else {
		opts.suggest = 1;
	}

	if (mn_store_open(&store, db, MN_STORE_READ, NULL, &err))
		goto out;
	memset(&info, 0, sizeof(info));
	info.query = query;
	info.limit = opts.limit;
	info.offset = opts.offset;
	info.grouped = opts.group == MN_GROUP_MEETING;
	info.color = !strcmp(color, "always") ||
		     (!strcmp(color, "auto") && isatty(STDOUT_FILENO) && !getenv("NO_COLOR"));
	page.printer = mn_printer_new((enum mn_format)format, stdout, &info);
	mn_printer_begin(page.printer);
	if (info.grouped ? mn_search_groups(store, &opts, on_group, &page, &res, &err)
			 : mn_search(store, &opts, on_hit, &page, &res, &err))
		goto out;
	if (count_only)
		printf("%lld\n", (long long)res.total);
	else
		mn_printer_end(page.printer, &res);
	status = res.total > 0 ? EXIT_HITS : EXIT_NO_HITS;
out:
	if (err.status)
		fprintf(stderr, "minutes-search: %s\n", err.msg);
	mn_results_release(&res);
	mn_printer_free(page.printer);
	mn_store_close(store);
	free(query);
	free(alternative);
	free(default_db);
	return status;
}
