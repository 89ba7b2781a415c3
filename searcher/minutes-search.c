/*
 * minutes-search: runs a query on the index and prints the hits.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mn_config.h"
#include "mn_list.h"
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
	"usage: minutes-search [OPTIONS] QUERY...     (QUERY '-' reads it from stdin)\n"
	"       minutes-search --list speakers|series|topics|orgs [QUERY...]\n"
	"\n"
	"Search the minutes index; hits come best first. The query language\n"
	"(minutes-query(7)): words are stemmed and all must match.\n"
	"  word \"a phrase\" migr*      a word in any form, words in a row, a prefix\n"
	"  -word, NOT word, a OR b    without; either; (parentheses) group\n"
	"  NEAR(a b, 5)               words at most 5 words apart\n"
	"  speaker:jan by:MH          said by: a word of the name, an alias, the label\n"
	"  speaker:\"Mike Holmes\"      quote a value of several words\n"
	"  attendee: topic: title:    attended by; under a heading; in the title\n"
	"  series: project: org:      the series; series or topic; speaker's org\n"
	"  kind:action owner:george   utterance reported action decision note; owner\n"
	"  path:2018/                 files whose path contains the text\n"
	"  date:2018-07 date:2020..   year, month or day; ranges a..b, a.., ..b\n"
	"  after:2018-06 before:2019  from the start of; before the start of\n"
	"\n"
	"Options:\n"
	"      --db PATH        index (default: $MINUTES_DB, config \"index\",\n"
	"                       $XDG_DATA_HOME/minutes/index.db)\n"
	"  -f, --format FMT     text, json, jsonl or vimgrep (default: text on a\n"
	"                       terminal, else json; text for --list)\n"
	"  -n, --limit N        show N hits (default 20)\n"
	"      --offset N       skip the first N hits\n"
	"      --sort ORDER     rank, date (oldest first) or -date (newest first)\n"
	"      --group meeting  one result per meeting: hit count and best hits\n"
	"      --facets[=LIST]  count hits per value of speaker, topic, series, org,\n"
	"                       year, kind (default: all six, or config \"facets\")\n"
	"      --facet-limit N  values per facet (default 10)\n"
	"  -c, --count          print only the number of hits (or values)\n"
	"      --color WHEN     auto, always or never (NO_COLOR is honoured)\n"
	"      --list WHAT      the speakers, series, topics or orgs (of QUERY's hits)\n"
	"      --config FILE    read FILE, not $XDG_CONFIG_HOME/minutes/config.json\n"
	"      --no-config      read no config file\n"
	"  -h, --help           show this help\n"
	"  -V, --version        show the version\n"
	"\n"
	"Examples:\n"
	"  minutes-search backports speaker:jan\n"
	"  minutes-search '\"release cadence\"' date:2018-01..2018-06\n"
	"  minutes-search kind:action owner:mike series:stratos\n"
	"  minutes-search --group meeting --facets=speaker,year xen migration\n"
	"  minutes-search --list speakers series:stratos | fzf\n"
	"\n"
	"Exit status: 0 hits (or values) found, 1 none, 2 error. See minutes-search(1).\n";

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

/* Most bytes of a query read from standard input. */
#define STDIN_QUERY_MAX 65536

/*
 * Reads the query from standard input: all of it, line breaks read as
 * spaces, surrounding white space trimmed. Returns a new string (caller
 * frees), or NULL after printing why.
 */
static char *read_stdin_query(void)
{
	struct mn_buf b = MN_BUF_INIT;
	char chunk[4096];
	size_t n, i;

	mn_buf_add(&b, "", 0);
	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0) {
		for (i = 0; i < n; i++)
			if (chunk[i] == '\n' || chunk[i] == '\r')
				chunk[i] = ' ';
		mn_buf_add(&b, chunk, n);
		if (b.len > STDIN_QUERY_MAX) {
			fprintf(stderr,
				"minutes-search: query on standard input is longer than %d bytes\n",
				STDIN_QUERY_MAX);
			mn_buf_release(&b);
			return NULL;
		}
	}
	if (ferror(stdin)) {
		fputs("minutes-search: cannot read the query from standard input\n", stderr);
		mn_buf_release(&b);
		return NULL;
	}
	while (b.len && (b.data[b.len - 1] == ' ' || b.data[b.len - 1] == '\t'))
		b.data[--b.len] = '\0';
	for (i = 0; i < b.len && (b.data[i] == ' ' || b.data[i] == '\t'); i++)
		;
	if (i) {
		memmove(b.data, b.data + i, b.len - i + 1);
		b.len -= i;
	}
	return mn_buf_detach(&b);
}

/*
 * The query of the arguments args[0..n): NULL when there are none, the
 * text of standard input for a lone "-", else the arguments joined (see
 * join_query). Returns 0, or -1 after printing why.
 */
static int get_query(char **args, int n, char **query, char **alternative)
{
	int i;

	*query = *alternative = NULL;
	if (n <= 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (strcmp(args[i], "-"))
			continue;
		if (n > 1) {
			fputs("minutes-search: '-' (read the query from standard input) must be "
			      "the only QUERY argument\n",
			      stderr);
			return -1;
		}
		*query = read_stdin_query();
		return *query ? 0 : -1;
	}
	*query = join_query(args, n, alternative);
	return 0;
}

/*
 * --list: prints the values of kind among the passages of query (may be
 * NULL) as text (one per line), JSON or JSON lines. Returns the exit code.
 */
static int run_list(struct mn_store *store, enum mn_list_kind kind, const char *query, int format,
		    int count_only)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_list list = MN_LIST_INIT;
	size_t i;
	int status = EXIT_ERROR;

	if (mn_list_values(store, kind, query, &list, &err)) {
		fprintf(stderr, "minutes-search: %s\n", err.msg);
		goto out;
	}
	if (count_only) {
		printf("%zu\n", list.n);
	} else if (format == MN_FORMAT_JSON) {
		json_t *j = mn_list_to_json(&list, query);

		mn_json_dumpf(j, stdout);
		putchar('\n');
		json_decref(j);
	} else {
		for (i = 0; i < list.n; i++) {
			if (format == MN_FORMAT_JSONL) {
				json_t *j = mn_list_value_to_json(&list.values[i]);

				mn_json_dumpf(j, stdout);
				json_decref(j);
			} else {
				fputs(list.values[i].value, stdout);
			}
			putchar('\n');
		}
	}
	status = list.n ? EXIT_HITS : EXIT_NO_HITS;
out:
	mn_list_release(&list);
	return status;
}

/* Prints a usage error and the hint to --help; returns EXIT_ERROR. */
static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("minutes-search: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'minutes-search --help' for more information.\n", stderr);
	return EXIT_ERROR;
}

int main(int argc, char **argv)
{
	enum {
		OPT_DB = 256,
		OPT_OFFSET,
		OPT_SORT,
		OPT_COLOR,
		OPT_GROUP,
		OPT_FACETS,
		OPT_FACET_LIMIT,
		OPT_LIST,
		OPT_CONFIG,
		OPT_NO_CONFIG,
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
		{ "count", no_argument, NULL, 'c' },
		{ "color", required_argument, NULL, OPT_COLOR },
		{ "colour", required_argument, NULL, OPT_COLOR },
		{ "list", required_argument, NULL, OPT_LIST },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "no-config", no_argument, NULL, OPT_NO_CONFIG },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct mn_err err = MN_ERR_INIT;
	struct mn_config cfg = MN_CONFIG_INIT;
	struct mn_store *store = NULL;
	/* One search per process: the page cache of a one-shot run. */
	struct mn_store_opts sopts = {MN_STORE_READ, NULL, 0, 0, 0, MN_STORE_ONE_SHOT_PAGES, 0};
	struct mn_search_opts opts;
	struct mn_results res;
	struct mn_print_info info;
	struct page page = { NULL };
	enum mn_facet_field facets[MN_FACET_COUNT];
	const char *db_flag = NULL, *color = "auto", *facet_list = NULL, *after_facets = NULL;
	const char *config_flag = NULL;
	char *db = NULL, *query = NULL, *alternative = NULL, *config_path = NULL;
	int format = -1, count_only = 0, want_facets = 0, list = -1, no_config = 0, nargs, c;
	int status = EXIT_ERROR;

	memset(&opts, 0, sizeof(opts));
	memset(&res, 0, sizeof(res));
	opts.limit = 20;
	opts.sort = MN_SORT_AUTO;
	/* Our own messages for unknown options and missing values (the leading ':'). */
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:n:chV", options, NULL)) != -1) {
		switch (c) {
		case OPT_DB:
			db_flag = optarg;
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
		case 'c':
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
		case OPT_LIST:
			list = mn_list_kind_from_name(optarg);
			if (list < 0) {
				fprintf(stderr, "minutes-search: cannot list '%s' (use speakers, series, "
						"topics or orgs)\n",
					optarg);
				return EXIT_ERROR;
			}
			break;
		case OPT_CONFIG:
			config_flag = optarg;
			no_config = 0;
			break;
		case OPT_NO_CONFIG:
			no_config = 1;
			config_flag = NULL;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_HITS;
		case 'V':
			printf("minutes-search %s\n", MN_VERSION);
			return EXIT_HITS;
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			if (optopt) {
				char shown[3] = { '-', (char)optopt, '\0' };

				return usage_error("unknown option '%s'", shown);
			}
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	nargs = argc - optind;
	if (want_facets && !facet_list && list < 0)
		facet_list = take_facet_list(argv + optind, &nargs, after_facets);
	if (nargs <= 0 && list < 0)
		return usage_error("no QUERY given");
	if (list >= 0 && format == MN_FORMAT_VIMGREP) {
		fputs("minutes-search: --list prints text, json or jsonl, not vimgrep\n", stderr);
		return EXIT_ERROR;
	}

	/* The config file: --config FILE must exist; the default one may not. */
	if (!no_config) {
		config_path = config_flag ? mn_xstrdup(config_flag) : mn_config_default_path();
		if (config_path && mn_config_load(&cfg, config_path, config_flag != NULL, &err))
			goto out;
	}
	if (want_facets && list < 0) {
		if (!facet_list)
			facet_list = cfg.facets ? cfg.facets : MN_FACETS_DEFAULT;
		if (mn_facets_parse(facet_list, facets, &opts.nfacets, &err))
			goto out;
		opts.facets = facets;
	}
	if (get_query(argv + optind, nargs, &query, &alternative))
		goto out;
	db = mn_config_index_path(&cfg, db_flag);
	if (!db) {
		fputs("minutes-search: no index path: set --db, MINUTES_DB or HOME\n", stderr);
		goto out;
	}
	if (mn_store_open_opts(&store, db, &sopts, &err))
		goto out;
	if (list >= 0) {
		status = run_list(store, (enum mn_list_kind)list, query,
				  format < 0 ? MN_FORMAT_TEXT : format, count_only);
		goto out;
	}

	if (format < 0)
		format = isatty(STDOUT_FILENO) ? MN_FORMAT_TEXT : MN_FORMAT_JSON;
	opts.query = query;
	opts.alternative = alternative;
	if (count_only) {
		/* Only the total is wanted: no page, no facets, no suggestion. */
		opts.limit = 0;
		opts.nfacets = 0;
	} else {
		opts.suggest = 1;
	}
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
	mn_config_release(&cfg);
	free(config_path);
	free(query);
	free(alternative);
	free(db);
	return status;
}
