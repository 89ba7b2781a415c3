/*
 * minutes-index: builds the index from minutes files and keeps it up to
 * date (incrementally, or continuously with --watch); checks it; or with
 * --parse prints the structure the parser finds.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "mn_aliases.h"
#include "mn_config.h"
#include "mn_doc.h"
#include "mn_index.h"
#include "mn_parse.h"
#include "mn_print.h"
#include "mn_store.h"
#include "mn_text.h"
#include "mn_watch.h"

/* Exit codes (documented in the README and --help). */
enum {
	EXIT_DONE = 0,	  /* every file was indexed (or --check: the index is sound) */
	EXIT_SKIPPED = 1, /* the run completed but some files were skipped */
	EXIT_ERROR = 2,	  /* bad usage, or the index could not be opened, written or checked */
};

static const char usage_text[] =
    "usage: minutes-index [OPTIONS] [PATH...]\n"
    "       minutes-index --check [--db PATH]\n"
    "       minutes-index --parse [--format json|jsonl|outline] FILE...\n"
    "\n"
    "Bring the index up to date with the minutes (text, Markdown, WebVTT, SRT,\n"
    "IRC logs, HTML) in each PATH, a file or a folder walked recursively: new\n"
    "files are added, changed ones indexed again, deleted ones removed, unchanged\n"
    "ones skipped.\n"
    "Without PATH, the files and folders indexed before are updated, and the\n"
    "config file's \"folders\".\n"
    "\n"
    "Options:\n"
    "      --db PATH        index file (default: $MINUTES_DB, config \"index\",\n"
    "                       $XDG_DATA_HOME/minutes/index.db)\n"
    "      --language LANG  stemming language of a new index (default: config\n"
    "                       \"language\", else english)\n"
    "      --people FILE    people alias file (default: config \"people\", else\n"
    "                       $XDG_CONFIG_HOME/minutes/people.json); --no-people: none\n"
    "      --config FILE    read FILE, not $XDG_CONFIG_HOME/minutes/config.json;\n"
    "                       --no-config: none\n"
    "      --rebuild        start the index from scratch (its recorded folders,\n"
    "                       or PATHs); also repairs a damaged index\n"
    "  -n, --dry-run        list what would change; write nothing\n"
    "      --check          check the index (SQLite and FTS5 integrity checks, the\n"
    "                       dictionaries and the passages' columns)\n"
    "  -w, --watch          after updating, keep watching the folders and index\n"
    "                       files as they change (stop with Ctrl-C)\n"
    "      --wait SECONDS   how long to wait for another minutes-index updating\n"
    "                       the same index (default: 5)\n"
    "      --parse          print each file's structure as JSON; no index is touched\n"
    "      --format FMT     with --parse: json (pretty, default), jsonl, or outline\n"
    "                       (readable: one line per attendee, topic, passage)\n"
    "      --progress       show the progress line off a terminal too (default:\n"
    "                       on a terminal, unless -q); --no-progress: never\n"
    "  -q, --quiet          print nothing but errors\n"
    "  -v, --verbose        print a line for every file added, changed or removed\n"
    "  -h, --help           show this help\n"
    "  -V, --version        show the version\n"
    "\n"
    "Examples:\n"
    "  minutes-index corpus/\n"
    "  minutes-index                 # update what was indexed before\n"
    "  minutes-index --watch ~/minutes\n"
    "  minutes-index --people ~/people.json ~/minutes\n"
    "  minutes-index --db /tmp/test.db ~/minutes/tsc ~/minutes/stratos\n"
    "  minutes-index --parse corpus/001_39f262a60b4acc81.txt\n"
    "\n"
    "Each run ends with a line such as\n"
    "  0 new, 0 changed, 0 removed, 5 unchanged; 0 skipped, 0 ignored; ...\n"
    "\n"
    "Exit status: 0 all files indexed (--check: the index is sound); 1 some\n"
    "files were skipped, each named on stderr; 2 error: bad usage, a broken\n"
    "config or people file, the index cannot be opened or written (nothing\n"
    "already indexed is lost), another minutes-index kept it locked, or\n"
    "--check found damage.\n";

/*
 * The progress line: drawn on stderr while the planned files are read,
 * redrawn in place at most every PROGRESS_MS, and erased before anything
 * else is printed, so that the terminal keeps only the real output.
 */
#define PROGRESS_MS 100.0

struct progress {
	int on;	     /* draw it (a terminal, or --progress) */
	int shown;   /* a line is on the screen now */
	int planned; /* the walk is done: the totals are known */
	double t0;   /* when the run started */
	double t_planned;
	double last;	   /* when it was last drawn */
	size_t drawn_done; /* the files done it showed */
};

struct run {
	int quiet, verbose, dry_run;
	struct progress progress;
};

/* Erases the progress line, if one is shown, before other output. */
static void progress_clear(struct run *run)
{
	if (!run->progress.shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	run->progress.shown = 0;
}

/* Writes a duration in seconds as m:ss, or h:mm:ss from an hour on. */
static void add_duration(struct mn_buf *b, double seconds)
{
	long s = seconds > 0 ? (long)(seconds + 0.5) : 0;

	if (s >= 3600)
		mn_buf_addf(b, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
	else
		mn_buf_addf(b, "%ld:%02ld", s / 60, s % 60);
}

/* Draws the progress line for p, cut to the terminal's width. */
static void progress_draw(struct run *run, const struct mn_index_progress *p, double now)
{
	struct progress *pr = &run->progress;
	struct mn_buf line = MN_BUF_INIT;
	double reading = (now - pr->t_planned) / 1000.0;
	struct winsize ws;

	mn_buf_addf(&line, "indexing %zu/%zu files", p->files_done, p->files);
	if (p->bytes_done && reading > 0) {
		double rate = (double)p->bytes_done / reading;

		if (rate >= 1e6)
			mn_buf_addf(&line, ", %.1f MB/s", rate / 1e6);
		else
			mn_buf_addf(&line, ", %.0f kB/s", rate / 1e3);
		mn_buf_adds(&line, ", ");
		add_duration(&line, (now - pr->t0) / 1000.0);
		mn_buf_adds(&line, " elapsed, ");
		add_duration(&line, (double)(p->bytes - p->bytes_done) / rate);
		mn_buf_adds(&line, " left");
	} else {
		mn_buf_adds(&line, ", ");
		add_duration(&line, (now - pr->t0) / 1000.0);
		mn_buf_adds(&line, " elapsed");
	}
	/* A line longer than the terminal would wrap, and \r would not erase it all. */
	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1 && line.len >= ws.ws_col)
		line.data[ws.ws_col - 1] = '\0';
	fprintf(stderr, "\r\033[K%s", mn_buf_str(&line));
	fflush(stderr);
	mn_buf_release(&line);
	pr->shown = 1;
	pr->last = now;
	pr->drawn_done = p->files_done;
}

/* Redraws the line after ev when it is due: at the plan, then every PROGRESS_MS. */
static void progress_update(struct run *run, const struct mn_index_event *ev)
{
	struct progress *pr = &run->progress;
	double now;

	if (!pr->on)
		return;
	if (ev->type == MN_INDEX_PLANNED) {
		pr->planned = 1;
		pr->t_planned = mn_now_ms();
		if (ev->progress.files)
			progress_draw(run, &ev->progress, pr->t_planned);
		return;
	}
	if (!pr->planned || !ev->progress.files)
		return;
	now = mn_now_ms();
	/* The last file always shows, so that the line ends at its total. */
	if (ev->progress.files_done != pr->drawn_done &&
	    (now - pr->last >= PROGRESS_MS || ev->progress.files_done == ev->progress.files))
		progress_draw(run, &ev->progress, now);
}

/* Writes path for a one-line message: control characters and bytes that are not UTF-8 escaped. */
static void quote_path(FILE *out, const char *path)
{
	const unsigned char *s = (const unsigned char *)path;

	while (*s) {
		size_t n = mn_utf8_seqlen(*s), k;

		for (k = 1; k < n && (s[k] & 0xc0) == 0x80; k++)
			;
		if (*s == '\n')
			fputs("\\n", out);
		else if (*s == '\t')
			fputs("\\t", out);
		else if (*s == '\\')
			fputs("\\\\", out);
		else if (*s < 0x20 || *s == 0x7f || (*s >= 0x80 && (n == 1 || k < n)))
			fprintf(out, "\\x%02x", *s);
		else {
			fwrite(s, 1, n, out);
			s += n;
			continue;
		}
		s++;
	}
}

static void on_event(void *ctx, const struct mn_index_event *ev)
{
	struct run *run = ctx;
	static const char *const dry[] = {[MN_INDEX_ADDED] = "new",
					  [MN_INDEX_CHANGED] = "changed",
					  [MN_INDEX_REMOVED] = "removed"};

	switch (ev->type) {
	case MN_INDEX_SKIPPED:
		progress_clear(run);
		fputs("minutes-index: skipping '", stderr);
		quote_path(stderr, ev->path);
		fprintf(stderr, "': %s\n", ev->reason);
		break;
	case MN_INDEX_IGNORED:
		if (run->verbose) {
			progress_clear(run);
			fputs("minutes-index: ignoring '", stderr);
			quote_path(stderr, ev->path);
			fprintf(stderr, "': %s\n", ev->reason);
		}
		break;
	case MN_INDEX_ADDED:
	case MN_INDEX_CHANGED:
	case MN_INDEX_REMOVED:
		if (run->dry_run) {
			progress_clear(run);
			printf("%s ", dry[ev->type]);
			quote_path(stdout, ev->path);
			putchar('\n');
		} else if (run->verbose) {
			progress_clear(run);
			printf("%s ", ev->type == MN_INDEX_ADDED     ? "added"
				      : ev->type == MN_INDEX_CHANGED ? "changed"
								     : "removed");
			quote_path(stdout, ev->path);
			if (ev->type != MN_INDEX_REMOVED)
				printf(" (%zu passages%s)", ev->passages,
				       ev->people_changed ? "; the people file changed" : "");
			putchar('\n');
		}
		break;
	case MN_INDEX_UNCHANGED:
	case MN_INDEX_COMMITTED:
	case MN_INDEX_PLANNED:
		break;
	}
	fflush(stdout);
	progress_update(run, ev);
}

/* Prints the structure of each file, as the index would get it (people file applied). */
static int parse_files(char **paths, int n, int lines, const struct mn_aliases *aliases)
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
			fprintf(stderr, "minutes-index: cannot parse '%s': %s\n", paths[i],
				err.msg);
			free(text);
			status = EXIT_SKIPPED;
			continue;
		}
		mn_aliases_apply(aliases, doc);
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

/* What the command line asked for, with the config file's values filled in. */
struct cmd {
	const char *db, *language, *people, *config;
	int parse, lines, rebuild, check, watch, no_config, no_people;
	int progress; /* 1 --progress, 0 --no-progress, -1 when a terminal */
	int timeout_ms;
	struct run run;
	struct mn_root *roots; /* the PATHs, base NULL */
	size_t nroots;
	struct mn_config cfg;
	const char *const *folders; /* the config's folders when no PATH is given */
	size_t nfolders;
	struct mn_aliases *aliases;
};

/* Words for the kinds of skips in the summary: one, several. */
static const char *const skip_words[MN_SKIP_COUNT][2] = {
    [MN_SKIP_NONE] = {"other", "other"},
    [MN_SKIP_UNREADABLE] = {"unreadable", "unreadable"},
    [MN_SKIP_BINARY] = {"binary", "binary"},
    [MN_SKIP_TOO_LARGE] = {"too large", "too large"},
    [MN_SKIP_BAD_NAME] = {"badly named", "badly named"},
    [MN_SKIP_LOOP] = {"link loop", "link loops"},
    [MN_SKIP_SPECIAL] = {"special", "special"},
    [MN_SKIP_FORMAT] = {"unknown format", "unknown format"},
    [MN_SKIP_MISSING] = {"missing", "missing"},
};

static void print_summary(struct cmd *cmd, struct mn_store *store, const struct mn_index_stats *st,
			  double ms)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_store_counts counts;
	size_t k;
	int first = 1;

	progress_clear(&cmd->run);
	if (cmd->run.quiet)
		return;
	printf("%s%zu new, %zu changed", cmd->run.dry_run ? "would be: " : "", st->added,
	       st->changed);
	if (st->people_changed)
		printf(" (%zu for the people file)", st->people_changed);
	printf(", %zu removed, %zu unchanged; %zu skipped", st->removed, st->unchanged,
	       st->skipped);
	for (k = 0; k < MN_SKIP_COUNT; k++) {
		if (!st->skipped_by[k])
			continue;
		printf("%s%zu %s", first ? " (" : ", ", st->skipped_by[k],
		       skip_words[k][st->skipped_by[k] > 1]);
		first = 0;
	}
	printf("%s, %zu ignored; %zu passages in %.2f s", first ? "" : ")", st->ignored,
	       st->passages, ms / 1000.0);
	if (!cmd->run.dry_run && !mn_store_counts(store, &counts, &err))
		printf("; index '%s' holds %lld meetings, %lld passages, %lld people",
		       mn_store_path(store), (long long)counts.meetings, (long long)counts.passages,
		       (long long)counts.people);
	putchar('\n');
	fflush(stdout);
}

static int check_index(const struct cmd *cmd)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = NULL;
	struct mn_store_counts counts;
	struct mn_store_opts opts = {MN_STORE_WRITE, NULL, 0, cmd->timeout_ms, 0, 0, 0};

	/* FTS5's integrity-check is written as an INSERT: it needs a writable connection. */
	if (mn_store_open_opts(&store, cmd->db, &opts, &err) || mn_store_check(store, &err) ||
	    mn_store_counts(store, &counts, &err)) {
		fprintf(stderr, "minutes-index: %s\n", err.msg);
		mn_store_close(store);
		return EXIT_ERROR;
	}
	if (!cmd->run.quiet)
		printf("index '%s' is sound: %lld meetings, %lld passages, %lld people\n", cmd->db,
		       (long long)counts.meetings, (long long)counts.passages,
		       (long long)counts.people);
	mn_store_close(store);
	return EXIT_DONE;
}

/*
 * The roots a rebuild starts from: the PATHs when given, else those the old
 * index recorded (if it can still be read). Without PATH, the config's
 * folders are walked too, and they alone will do when the old index
 * cannot be read.
 */
static int roots_to_rebuild(struct cmd *cmd, struct mn_root **out, size_t *n)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *old = NULL;

	*out = NULL;
	*n = 0;
	if (cmd->nroots)
		return EXIT_DONE;
	if (mn_store_open(&old, cmd->db, MN_STORE_READ, NULL, &err) ||
	    mn_store_roots(old, out, n, &err) || !*n) {
		mn_store_close(old);
		if (cmd->nfolders)
			return EXIT_DONE;
		fprintf(stderr, "minutes-index: cannot rebuild '%s' without PATH: %s\n", cmd->db,
			err.status ? err.msg : "it records no files or folders");
		return EXIT_ERROR;
	}
	mn_store_close(old);
	return EXIT_DONE;
}

static volatile sig_atomic_t stop_watching;

static void on_stop(int sig)
{
	(void)sig;
	stop_watching = 1;
}

/* Re-indexes what changes under roots until SIGINT or SIGTERM. */
static int watch(struct cmd *cmd, struct mn_store *store, const struct mn_root *roots,
		 size_t nroots)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_watch *w = NULL;
	struct sigaction sa;
	int status = EXIT_DONE;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (mn_watch_open(&w, roots, nroots, &err)) {
		fprintf(stderr, "minutes-index: %s\n", err.msg);
		return EXIT_ERROR;
	}
	if (!cmd->run.quiet) {
		fprintf(stderr,
			"minutes-index: watching %zu folders for changes (Ctrl-C to stop)\n",
			mn_watch_count(w));
	}
	/* Batches are small and come one by one: no progress line for them. */
	cmd->run.progress.on = 0;
	while (!stop_watching) {
		struct mn_index_opts opts;
		struct mn_index_stats stats;
		struct mn_root *batch = NULL;
		size_t n = 0;
		double t0;

		if (mn_watch_wait(w, 200, 2000, &stop_watching, &batch, &n, &err)) {
			fprintf(stderr, "minutes-index: %s\n", err.msg);
			status = EXIT_ERROR;
			break;
		}
		if (!n)
			continue;
		memset(&opts, 0, sizeof(opts));
		opts.roots = batch;
		opts.nroots = n;
		opts.missing_ok = 1;
		opts.aliases = cmd->aliases;
		opts.on_event = on_event;
		opts.ctx = &cmd->run;
		t0 = mn_now_ms();
		if (mn_index_run(store, &opts, &stats, &err)) {
			fprintf(stderr, "minutes-index: %s\n", err.msg);
			mn_roots_free(batch, n);
			if (err.status != MN_ERR_BUSY) {
				status = EXIT_ERROR;
				break;
			}
			mn_err_clear(&err); /* another indexer had it: its run covers ours */
			continue;
		}
		/* Between batches, others (a cron run) may update the index. */
		mn_store_unlock(store);
		if (stats.added || stats.changed || stats.removed || stats.skipped)
			print_summary(cmd, store, &stats, mn_now_ms() - t0);
		mn_roots_free(batch, n);
	}
	mn_watch_close(w);
	return status;
}

static int update_index(struct cmd *cmd)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = NULL;
	struct mn_store_opts sopts = {MN_STORE_WRITE, cmd->language, 1, cmd->timeout_ms, 0, 0, 0};
	struct mn_index_opts opts;
	struct mn_index_stats stats;
	struct mn_root *roots = NULL, *old_roots = NULL;
	size_t nroots = 0, nold = 0;
	double t0 = mn_now_ms();
	int status;

	memset(&opts, 0, sizeof(opts));
	if (!cmd->nroots && !cmd->nfolders && access(cmd->db, F_OK) < 0) {
		fprintf(stderr,
			"minutes-index: no PATH given, and no index at '%s' to update "
			"(index something first: minutes-index PATH...)\n",
			cmd->db);
		return EXIT_ERROR;
	}
	if (cmd->rebuild) {
		if (roots_to_rebuild(cmd, &old_roots, &nold))
			return EXIT_ERROR;
		sopts.mode = MN_STORE_REBUILD;
	}
	if (cmd->run.dry_run) {
		/* Nothing is written: an index that does not exist yet is an empty one. */
		sopts.mode = MN_STORE_READ;
		sopts.lock = 0;
		if (access(cmd->db, F_OK) < 0)
			cmd->db = ":memory:", sopts.mode = MN_STORE_WRITE;
	}
	if (mn_store_open_opts(&store, cmd->db, &sopts, &err)) {
		fprintf(stderr, "minutes-index: %s\n", err.msg);
		mn_roots_free(old_roots, nold);
		return EXIT_ERROR;
	}
	opts.roots = nold ? old_roots : cmd->roots;
	opts.nroots = nold ? nold : cmd->nroots;
	opts.folders = cmd->folders;
	opts.nfolders = cmd->nfolders;
	opts.record = 1;
	opts.dry_run = cmd->run.dry_run;
	opts.aliases = cmd->aliases;
	opts.on_event = on_event;
	opts.ctx = &cmd->run;
	cmd->run.progress.t0 = t0;
	if (mn_index_run(store, &opts, &stats, &err)) {
		progress_clear(&cmd->run);
		fprintf(stderr, "minutes-index: %s\n", err.msg);
		mn_store_close(store);
		mn_roots_free(old_roots, nold);
		return EXIT_ERROR;
	}
	print_summary(cmd, store, &stats, mn_now_ms() - t0);
	status = stats.skipped ? EXIT_SKIPPED : EXIT_DONE;
	if (cmd->watch) {
		/* Watch what was just indexed: the PATHs, or the recorded roots and folders. */
		mn_store_unlock(store);
		if (mn_index_roots(store, cmd->folders, cmd->nfolders, &roots, &nroots, &err)) {
			fprintf(stderr, "minutes-index: %s\n", err.msg);
			status = EXIT_ERROR;
		} else {
			status = watch(cmd, store, roots, nroots);
		}
		mn_roots_free(roots, nroots);
	}
	mn_store_close(store);
	mn_roots_free(old_roots, nold);
	return status;
}

/* Reads a number of seconds (0.1 to 86400) into milliseconds. */
static int parse_seconds(const char *s, int *ms)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || v < 0.001 || v > 86400)
		return -1;
	*ms = (int)(v * 1000.0 + 0.5);
	return 0;
}

/* Reads the config file: --config FILE must exist, the default one may not. */
static int load_config(struct cmd *cmd)
{
	struct mn_err err = MN_ERR_INIT;
	char *path;

	if (cmd->no_config)
		return EXIT_DONE;
	path = cmd->config ? mn_xstrdup(cmd->config) : mn_config_default_path();
	if (path && mn_config_load(&cmd->cfg, path, cmd->config != NULL, &err)) {
		fprintf(stderr, "minutes-index: %s\n", err.msg);
		free(path);
		return EXIT_ERROR;
	}
	free(path);
	return EXIT_DONE;
}

/*
 * Reads the people alias file: --people FILE, else the config's "people"
 * (both must exist), else the default one when it exists.
 */
static int load_people(struct cmd *cmd)
{
	struct mn_err err = MN_ERR_INIT;
	const char *named = cmd->people ? cmd->people : cmd->cfg.people;
	char *path;

	if (cmd->no_people)
		return EXIT_DONE;
	path = named ? mn_xstrdup(named) : mn_aliases_default_path();
	if (!path)
		return EXIT_DONE;
	if (mn_aliases_load(path, &cmd->aliases, &err) && (named || err.status != MN_ERR_NOENT)) {
		fprintf(stderr, "minutes-index: %s\n", err.msg);
		free(path);
		return EXIT_ERROR;
	}
	free(path);
	return EXIT_DONE;
}

int main(int argc, char **argv)
{
	enum {
		OPT_DB = 256,
		OPT_LANGUAGE,
		OPT_PARSE,
		OPT_FORMAT,
		OPT_VERSION,
		OPT_REBUILD,
		OPT_CHECK,
		OPT_WAIT,
		OPT_PEOPLE,
		OPT_NO_PEOPLE,
		OPT_CONFIG,
		OPT_NO_CONFIG,
		OPT_PROGRESS,
		OPT_NO_PROGRESS,
	};
	static const struct option options[] = {
	    {"db", required_argument, NULL, OPT_DB},
	    {"language", required_argument, NULL, OPT_LANGUAGE},
	    {"people", required_argument, NULL, OPT_PEOPLE},
	    {"no-people", no_argument, NULL, OPT_NO_PEOPLE},
	    {"config", required_argument, NULL, OPT_CONFIG},
	    {"no-config", no_argument, NULL, OPT_NO_CONFIG},
	    {"rebuild", no_argument, NULL, OPT_REBUILD},
	    {"dry-run", no_argument, NULL, 'n'},
	    {"check", no_argument, NULL, OPT_CHECK},
	    {"watch", no_argument, NULL, 'w'},
	    {"wait", required_argument, NULL, OPT_WAIT},
	    {"parse", no_argument, NULL, OPT_PARSE},
	    {"format", required_argument, NULL, OPT_FORMAT},
	    {"progress", no_argument, NULL, OPT_PROGRESS},
	    {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
	    {"quiet", no_argument, NULL, 'q'},
	    {"verbose", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, OPT_VERSION},
	    {NULL, 0, NULL, 0},
	};
	struct cmd cmd;
	char *db = NULL;
	int c, i, status = EXIT_ERROR;

	memset(&cmd, 0, sizeof(cmd));
	cmd.progress = -1;
	while ((c = getopt_long(argc, argv, "nwqvhV", options, NULL)) != -1) {
		switch (c) {
		case OPT_DB:
			cmd.db = optarg;
			break;
		case OPT_LANGUAGE:
			cmd.language = optarg;
			break;
		case OPT_PEOPLE:
			cmd.people = optarg;
			cmd.no_people = 0;
			break;
		case OPT_NO_PEOPLE:
			cmd.no_people = 1;
			cmd.people = NULL;
			break;
		case OPT_CONFIG:
			cmd.config = optarg;
			cmd.no_config = 0;
			break;
		case OPT_NO_CONFIG:
			cmd.no_config = 1;
			cmd.config = NULL;
			break;
		case OPT_REBUILD:
			cmd.rebuild = 1;
			break;
		case 'n':
			cmd.run.dry_run = 1;
			break;
		case OPT_CHECK:
			cmd.check = 1;
			break;
		case 'w':
			cmd.watch = 1;
			break;
		case OPT_WAIT:
			if (parse_seconds(optarg, &cmd.timeout_ms)) {
				fprintf(stderr,
					"minutes-index: bad --wait '%s' (seconds, e.g. 5 or 0.5)\n",
					optarg);
				return EXIT_ERROR;
			}
			break;
		case OPT_PARSE:
			cmd.parse = 1;
			break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "jsonl")) {
				cmd.lines = 1;
			} else if (!strcmp(optarg, "outline")) {
				cmd.lines = 2;
			} else if (strcmp(optarg, "json")) {
				fprintf(stderr,
					"minutes-index: unknown format '%s' (use json, jsonl or "
					"outline)\n",
					optarg);
				return EXIT_ERROR;
			}
			break;
		case OPT_PROGRESS:
			cmd.progress = 1;
			break;
		case OPT_NO_PROGRESS:
			cmd.progress = 0;
			break;
		case 'q':
			cmd.run.quiet = 1;
			break;
		case 'v':
			cmd.run.verbose = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_DONE;
		case 'V':
		case OPT_VERSION:
			printf("minutes-index %s\n", MN_VERSION);
			return EXIT_DONE;
		default:
			fputs("Try 'minutes-index --help' for more information.\n", stderr);
			return EXIT_ERROR;
		}
	}
	if (cmd.parse) {
		if (optind >= argc) {
			fputs("minutes-index: no FILE given to --parse\n", stderr);
			return EXIT_ERROR;
		}
		if (!load_config(&cmd) && !load_people(&cmd))
			status = parse_files(argv + optind, argc - optind, cmd.lines, cmd.aliases);
		goto out;
	}
	if (cmd.check + cmd.run.dry_run + cmd.watch > 1 || (cmd.check && cmd.rebuild) ||
	    (cmd.run.dry_run && cmd.rebuild) || (cmd.check && optind < argc)) {
		fputs("minutes-index: --check, --dry-run, --watch and --rebuild do not go together "
		      "that way (--check takes no PATH)\n",
		      stderr);
		fputs("Try 'minutes-index --help' for more information.\n", stderr);
		return EXIT_ERROR;
	}
	if (load_config(&cmd))
		goto out;
	db = mn_config_index_path(&cmd.cfg, cmd.db);
	if (!db) {
		fputs("minutes-index: no index path: set --db, MINUTES_DB or HOME\n", stderr);
		goto out;
	}
	cmd.db = db;
	if (cmd.check) {
		status = check_index(&cmd);
		goto out;
	}
	/* Before anything is written: a broken people file stops the run here. */
	if (load_people(&cmd))
		goto out;
	if (!cmd.language)
		cmd.language = cmd.cfg.language;
	cmd.nroots = (size_t)(argc - optind);
	cmd.roots = mn_xcalloc(cmd.nroots + 1, sizeof(*cmd.roots));
	for (i = 0; i < argc - optind; i++)
		cmd.roots[i].path = argv[optind + i];
	if (!cmd.nroots) {
		cmd.folders = (const char *const *)cmd.cfg.folders;
		cmd.nfolders = cmd.cfg.nfolders;
	}
	cmd.run.progress.on =
	    cmd.progress > 0 || (cmd.progress < 0 && !cmd.run.quiet && isatty(STDERR_FILENO));
	status = update_index(&cmd);
out:
	free(cmd.roots);
	mn_aliases_free(cmd.aliases);
	mn_config_release(&cmd.cfg);
	free(db);
	return status;
}
