/*
 * minutes-bench: measures an index made by minutes-index, side by side with
 * a raw FTS5 porter index over the same passages (and, when asked, the
 * one-shot programs and ripgrep over the same files).
 *
 * With --index PROGRAM it first builds the index from the corpus folders
 * with that program (timed, with its peak RSS from wait4()), then runs it
 * again over the unchanged files. The raw baseline is built in a child
 * process from the passages' text read back from the index, so that its
 * time and peak RSS are its own. Query words are picked from the index:
 * the generator's marker words when they are there (bench_words.h), else
 * words of the wanted frequencies in a sample of the passages.
 *
 * Nothing here asserts a timing: figures are reported, and compared with
 * the targets of issue 6 in a last table.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_words.h"
#include "mn_facets.h"
#include "mn_print.h"
#include "mn_search.h"
#include "mn_store.h"
#include "mn_ztext.h"

extern char **environ;

static const char usage_text[] =
    "usage: minutes-bench [OPTIONS] --db INDEX [CORPUS...]\n"
    "\n"
    "Measure the index INDEX (made by minutes-index) against a raw FTS5 porter\n"
    "index of the same passages: build speed, size and peak RSS, and query\n"
    "latency (p50/p95/p99) in process and one-shot, per query class. CORPUS\n"
    "folders are the files INDEX was built from (for --index and --rg).\n"
    "\n"
    "Options:\n"
    "      --db PATH        the index to measure\n"
    "      --index PROGRAM  first build INDEX from scratch from CORPUS with PROGRAM\n"
    "                       (minutes-index), then run it again over the unchanged files\n"
    "      --search PROGRAM time one-shot runs of PROGRAM (minutes-search)\n"
    "      --sqlite3 PROGRAM time one-shot raw queries with the sqlite3 shell\n"
    "      --rg PROGRAM     time PROGRAM -c (ripgrep) over CORPUS\n"
    "      --baseline PATH  the raw FTS5 database to build (default INDEX.fts5)\n"
    "  -r, --reps N         in-process runs per query class (default 50)\n"
    "      --oneshot N      one-shot runs per query class and program (default 20)\n"
    "      --budget SECONDS stop repeating a class after this long (default 3; at\n"
    "                       least 3 runs, or only the first when it took longer)\n"
    "      --skip-slow      no one-shot runs of a class whose first run in process\n"
    "                       took longer than the budget (it was not repeated)\n"
    "      --label NAME     name of the corpus in the report\n"
    "      --json           print JSON instead of tables\n"
    "      --json-file FILE also write the JSON to FILE\n"
    "  -h, --help           show this help\n";

/* --- small helpers --------------------------------------------------------------- */

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("minutes-bench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static int64_t file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : (int64_t)st.st_size;
}

/* The size of a SQLite database with its -wal file. */
static int64_t db_size(const char *path)
{
	char wal[4096];

	snprintf(wal, sizeof(wal), "%s-wal", path);
	return file_size(path) + file_size(wal);
}

static void remove_db(const char *path)
{
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	char p[4096];
	size_t i;

	for (i = 0; i < sizeof(suffixes) / sizeof(*suffixes); i++) {
		snprintf(p, sizeof(p), "%s%s", path, suffixes[i]);
		if (unlink(p) && errno != ENOENT)
			die("cannot remove '%s': %s", p, strerror(errno));
	}
}

/* Peak RSS in KB from an rusage. */
static long rss_kb(const struct rusage *ru)
{
#ifdef __APPLE__
	return ru->ru_maxrss / 1024;
#else
	return ru->ru_maxrss;
#endif
}

struct child {
	double ms;
	long rss_kb;
	int status; /* exit code, or 128 + signal */
};

/*
 * Runs argv with stdout to out_path (NULL: /dev/null) and waits for it;
 * fills *c with its wall time, peak RSS and exit code. Returns -1 when it
 * cannot be started.
 */
static int run_child(char *const argv[], const char *out_path, struct child *c)
{
	posix_spawn_file_actions_t fa;
	struct rusage ru;
	double t0;
	pid_t pid;
	int st, rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, out_path ? out_path : "/dev/null",
					 O_WRONLY | O_CREAT | O_TRUNC, 0666);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	t0 = mn_now_ms();
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc) {
		fprintf(stderr, "minutes-bench: cannot run '%s': %s\n", argv[0], strerror(rc));
		return -1;
	}
	while (wait4(pid, &st, 0, &ru) < 0)
		if (errno != EINTR)
			die("wait4: %s", strerror(errno));
	c->ms = mn_now_ms() - t0;
	c->rss_kb = rss_kb(&ru);
	c->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Latencies of one measured thing, in ms; n == 0 when it was not measured. */
struct lat {
	double *ms;
	size_t n, cap;
	double p50, p95, p99;
};

static void lat_add(struct lat *l, double ms)
{
	MN_GROW(l->ms, l->n + 1, l->cap);
	l->ms[l->n++] = ms;
}

/* Nearest-rank percentiles. */
static void lat_finish(struct lat *l)
{
	size_t i50, i95, i99;

	if (!l->n)
		return;
	qsort(l->ms, l->n, sizeof(double), cmp_double);
	i50 = (size_t)ceil(0.50 * (double)l->n) - 1;
	i95 = (size_t)ceil(0.95 * (double)l->n) - 1;
	i99 = (size_t)ceil(0.99 * (double)l->n) - 1;
	l->p50 = l->ms[i50];
	l->p95 = l->ms[i95];
	l->p99 = l->ms[i99];
}

/* --- options ---------------------------------------------------------------------- */

struct opts {
	const char *db, *index_prog, *search_prog, *sqlite3_prog, *rg_prog, *label;
	char *baseline;
	char **corpus;
	int ncorpus;
	long reps, oneshot;
	double budget_ms;
	int skip_slow; /* no one-shot runs of classes too slow to repeat in process */
	int json;
	const char *json_file;
};

/*
 * Whether a class has used up its runs or its time (after 3 runs at least,
 * unless its warm-up alone took longer than the budget and was kept).
 */
static int enough(const struct opts *o, size_t runs, long max, double t0)
{
	return runs >= (size_t)max || (runs >= 3 && mn_now_ms() - t0 > o->budget_ms);
}

/* --- building --------------------------------------------------------------------- */

struct build {
	int done;
	double ms;
	long rss_kb;
	int status;
	double rerun_ms;
	long rerun_rss_kb;
	int rerun_status;
};

/* Builds the index from scratch with the indexer, then runs it again unchanged. */
static void build_index(const struct opts *o, struct build *b)
{
	char **argv = mn_xcalloc((size_t)o->ncorpus + 5, sizeof(char *));
	struct child c;
	int i, n = 0;

	argv[n++] = (char *)o->index_prog;
	argv[n++] = "-q";
	argv[n++] = "--db";
	argv[n++] = (char *)o->db;
	for (i = 0; i < o->ncorpus; i++)
		argv[n++] = o->corpus[i];
	argv[n] = NULL;
	remove_db(o->db);
	if (run_child(argv, NULL, &c) || c.status > 1)
		die("'%s' failed building '%s' (exit %d)", o->index_prog, o->db, c.status);
	b->ms = c.ms;
	b->rss_kb = c.rss_kb;
	b->status = c.status;
	if (run_child(argv, NULL, &c) || c.status > 1)
		die("'%s' failed updating '%s' (exit %d)", o->index_prog, o->db, c.status);
	b->rerun_ms = c.ms;
	b->rerun_rss_kb = c.rss_kb;
	b->rerun_status = c.status;
	b->done = 1;
	free(argv);
}

struct baseline {
	double ms;
	long rss_kb;
	int64_t rows, bytes, size;
};

/*
 * The raw FTS5 tables built: the passages' text alone (the baseline the
 * targets are set against), and the three columns the index's passages
 * carry, text, topic path and meeting title (for reference: what FTS5
 * alone costs for the words the index holds).
 */
static const struct {
	const char *create, *read, *insert;
} raw_tables[2] = {
    {"CREATE VIRTUAL TABLE t USING fts5(text, tokenize='porter')",
     "SELECT id, minutes_text(text) FROM passages ORDER BY id",
     "INSERT INTO t(rowid, text) VALUES(?1, ?2)"},
    {"CREATE VIRTUAL TABLE t USING fts5(text, topic, title, tokenize='porter')",
     "SELECT p.id, minutes_text(p.text), d.path, m.title FROM passages p "
     "JOIN meetings m ON m.id = p.meeting_id LEFT JOIN dict_topics d ON d.id = p.topic_id "
     "ORDER BY p.id",
     "INSERT INTO t(rowid, text, topic, title) VALUES(?1, ?2, ?3, ?4)"},
};

/* In the child: fills raw FTS5 table `wide` (0 or 1 of raw_tables) from the index's passages. */
static int fill_baseline(const char *db, const char *path, int wide, struct baseline *b)
{
	sqlite3 *src = NULL, *dst = NULL;
	sqlite3_stmt *rd = NULL, *wr = NULL;
	struct mn_err err = MN_ERR_INIT;
	double t0 = mn_now_ms();
	int rc;

	rc = sqlite3_open_v2(db, &src, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(dst, raw_tables[wide].create, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(dst, "BEGIN", NULL, NULL, NULL);
	if (rc == SQLITE_OK && !mn_ztext_attach(src, &err))
		rc = SQLITE_ERROR;
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(src, raw_tables[wide].read, -1, &rd, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(dst, raw_tables[wide].insert, -1, &wr, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(rd)) == SQLITE_ROW) {
		int n = sqlite3_column_bytes(rd, 1), col;

		sqlite3_bind_int64(wr, 1, sqlite3_column_int64(rd, 0));
		for (col = 1; col < sqlite3_column_count(rd); col++)
			sqlite3_bind_text(wr, col + 1, (const char *)sqlite3_column_text(rd, col),
					  sqlite3_column_bytes(rd, col), SQLITE_STATIC);
		rc = sqlite3_step(wr);
		rc = rc == SQLITE_DONE ? sqlite3_reset(wr) : rc;
		b->rows++;
		b->bytes += n;
	}
	if (rc == SQLITE_DONE)
		rc = sqlite3_exec(dst, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		fprintf(stderr, "minutes-bench: raw FTS5 baseline: %s\n",
			sqlite3_errmsg(dst ? dst : src));
	sqlite3_finalize(rd);
	sqlite3_finalize(wr);
	sqlite3_close(src);
	sqlite3_close(dst);
	b->ms = mn_now_ms() - t0;
	return rc == SQLITE_OK ? 0 : -1;
}

/* Builds a raw FTS5 table at path in a child process, for its own time and peak RSS. */
static void build_baseline(const struct opts *o, const char *path, int wide, struct baseline *b)
{
	struct rusage ru;
	int fd[2], st;
	pid_t pid;

	memset(b, 0, sizeof(*b));
	remove_db(path);
	if (pipe(fd))
		die("pipe: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		struct baseline mine;
		int ok;

		close(fd[0]);
		memset(&mine, 0, sizeof(mine));
		ok = fill_baseline(o->db, path, wide, &mine) == 0;
		if (write(fd[1], &mine, sizeof(mine)) != (ssize_t)sizeof(mine))
			ok = 0;
		_exit(ok ? 0 : 1);
	}
	close(fd[1]);
	if (read(fd[0], b, sizeof(*b)) != (ssize_t)sizeof(*b))
		memset(b, 0, sizeof(*b));
	close(fd[0]);
	while (wait4(pid, &st, 0, &ru) < 0)
		if (errno != EINTR)
			die("wait4: %s", strerror(errno));
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		die("building the raw FTS5 baseline '%s' failed", path);
	b->rss_kb = rss_kb(&ru);
	b->size = db_size(path);
}

/* --- what the index holds ----------------------------------------------------------- */

struct corpus_stats {
	int64_t files, bytes, passages, text_bytes, people;
	int64_t index_size;
	char min_date[16], max_date[16];
};

static int64_t query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	int64_t v = 0;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	else
		die("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_finalize(s);
	return v;
}

static void read_stats(sqlite3 *db, const char *path, struct corpus_stats *cs)
{
	sqlite3_stmt *s = NULL;

	memset(cs, 0, sizeof(*cs));
	cs->files = query_int(db, "SELECT count(*) FROM meetings");
	cs->bytes = query_int(db, "SELECT coalesce(sum(size), 0) FROM meetings");
	cs->passages = query_int(db, "SELECT count(*) FROM passages");
	cs->text_bytes = query_int(db,
				   "SELECT coalesce(sum(length(CAST(minutes_text(text) AS BLOB))), 0) "
				   "FROM passages");
	cs->people = query_int(db, "SELECT count(*) FROM people");
	cs->index_size = db_size(path);
	if (sqlite3_prepare_v2(db,
			       "SELECT min(coalesce(p.date, m.date)), max(coalesce(p.date, "
			       "m.date)) FROM passages p JOIN meetings m ON m.id = p.meeting_id",
			       -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW) {
		snprintf(cs->min_date, sizeof(cs->min_date), "%s",
			 sqlite3_column_text(s, 0) ? (const char *)sqlite3_column_text(s, 0) : "");
		snprintf(cs->max_date, sizeof(cs->max_date), "%s",
			 sqlite3_column_text(s, 1) ? (const char *)sqlite3_column_text(s, 1) : "");
	}
	sqlite3_finalize(s);
}

/* --- picking query words ----------------------------------------------------------- */

/* Counts of words (or word pairs, or speakers) in the sampled passages. */
struct counts {
	char **keys;
	int64_t *n;
	int64_t *last; /* the passage that counted last, so each counts once */
	size_t cap, len;
};

static void counts_grow(struct counts *c);

/* Counts key[0..n) once for passage id. */
static void counts_add(struct counts *c, const char *key, size_t n, int64_t id)
{
	size_t i;

	if ((c->len + 1) * 2 > c->cap)
		counts_grow(c);
	i = mn_hash_update(MN_HASH_INIT, key, n) & (c->cap - 1);
	while (c->keys[i]) {
		if (strlen(c->keys[i]) == n && !memcmp(c->keys[i], key, n)) {
			if (c->last[i] != id) {
				c->n[i]++;
				c->last[i] = id;
			}
			return;
		}
		i = (i + 1) & (c->cap - 1);
	}
	c->keys[i] = mn_xstrndup(key, n);
	c->n[i] = 1;
	c->last[i] = id;
	c->len++;
}

static void counts_grow(struct counts *c)
{
	struct counts g;
	size_t i;

	g.cap = c->cap ? c->cap * 2 : 4096;
	g.len = 0;
	g.keys = mn_xcalloc(g.cap, sizeof(char *));
	g.n = mn_xcalloc(g.cap, sizeof(int64_t));
	g.last = mn_xcalloc(g.cap, sizeof(int64_t));
	for (i = 0; i < c->cap; i++) {
		size_t j;

		if (!c->keys[i])
			continue;
		j = mn_hash_update(MN_HASH_INIT, c->keys[i], strlen(c->keys[i])) & (g.cap - 1);
		while (g.keys[j])
			j = (j + 1) & (g.cap - 1);
		g.keys[j] = c->keys[i];
		g.n[j] = c->n[i];
		g.last[j] = c->last[i];
		g.len++;
	}
	free(c->keys);
	free(c->n);
	free(c->last);
	*c = g;
}

static void counts_release(struct counts *c)
{
	size_t i;

	for (i = 0; i < c->cap; i++)
		free(c->keys[i]);
	free(c->keys);
	free(c->n);
	free(c->last);
	memset(c, 0, sizeof(*c));
}

/* Words never picked: function words, the query language's, web noise. */
static int skipped_word(const char *w, size_t n)
{
	static const char *const more[] = {"near", "https",  "http",   "www",  "com",  "org",
					   "html", "github", "issues", "pull", "nbsp", NULL};
	size_t i;

	if (n < 3 || n > 24)
		return 1;
	for (i = 0; bench_function_words[i]; i++)
		if (strlen(bench_function_words[i]) == n && !memcmp(bench_function_words[i], w, n))
			return 1;
	for (i = 0; more[i]; i++)
		if (strlen(more[i]) == n && !memcmp(more[i], w, n))
			return 1;
	return 0;
}

/*
 * The key whose count is nearest target (by ratio), ties to the larger
 * count then the smaller key; keys shorter than min_len are passed over.
 */
static const char *counts_nearest(const struct counts *c, double target, size_t min_len,
				  const char *not1, const char *not2)
{
	const char *best = NULL;
	double best_d = 0;
	int64_t best_n = 0;
	size_t i;

	for (i = 0; i < c->cap; i++) {
		double d;

		if (!c->keys[i] || strlen(c->keys[i]) < min_len)
			continue;
		if ((not1 && !strcmp(c->keys[i], not1)) || (not2 && !strcmp(c->keys[i], not2)))
			continue;
		d = fabs(log((double)c->n[i] / target));
		if (!best || d < best_d - 1e-12 ||
		    (fabs(d - best_d) <= 1e-12 &&
		     (c->n[i] > best_n || (c->n[i] == best_n && strcmp(c->keys[i], best) < 0)))) {
			best = c->keys[i];
			best_d = d;
			best_n = c->n[i];
		}
	}
	return best;
}

/* The most counted key other than not1, ties to the smaller key. */
static const char *counts_top(const struct counts *c, const char *not1)
{
	const char *best = NULL;
	int64_t best_n = 0;
	size_t i;

	for (i = 0; i < c->cap; i++) {
		if (!c->keys[i] || (not1 && !strcmp(c->keys[i], not1)))
			continue;
		if (!best || c->n[i] > best_n ||
		    (c->n[i] == best_n && strcmp(c->keys[i], best) < 0)) {
			best = c->keys[i];
			best_n = c->n[i];
		}
	}
	return best;
}

struct words {
	int synthetic; /* the generator's marker words are in the index */
	char rare[64], common[64], common2[64], medium[64], prefix[64], phrase[160];
	char speaker[160];
	char date_from[16], date_to[16];
	int64_t sample;
};

/*
 * Counts the lowercase ASCII content words of passage id's text in words,
 * and pairs of them in a row in pairs (when not NULL).
 */
static void sample_text(const char *text, int64_t id, struct counts *words, struct counts *pairs)
{
	char prev[64] = "", cur[64];
	const char *p = text;

	while (*p) {
		size_t n = 0;

		while (*p && !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
			p++;
		while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z'))
			n++;
		if (!n)
			break;
		if (!strncmp(p + n, "://", 3)) {
			/* A URL's parts are not words of the minutes. */
			p += strcspn(p, " \t\n)>]");
			prev[0] = '\0';
			continue;
		}
		/*
		 * Only words written in lower case: names, organisations,
		 * abbreviations (and words that start a sentence) are not
		 * the content words looked for.
		 */
		if (n < sizeof(cur) && !(p[n] >= '0' && p[n] <= '9') &&
		    (unsigned char)p[n] < 0x80 && p[0] >= 'a') {
			size_t i;

			for (i = 0; i < n && p[i] >= 'a'; i++)
				cur[i] = p[i];
			if (i < n) {
				prev[0] = '\0';
				p += n;
				continue;
			}
			cur[n] = '\0';
			if (!skipped_word(cur, n)) {
				counts_add(words, cur, n, id);
				if (prev[0] && pairs && strlen(prev) >= 4 && n >= 4) {
					char pair[160];
					int m = snprintf(pair, sizeof(pair), "%s %s", prev, cur);

					counts_add(pairs, pair, (size_t)m, id);
				}
				memcpy(prev, cur, n + 1);
			} else {
				prev[0] = '\0';
			}
		} else {
			prev[0] = '\0';
		}
		p += n;
	}
}

static int64_t count_query(struct mn_store *store, const char *q)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_qnode *tree = NULL;
	int64_t hits = 0;

	if (mn_query_parse(q, &tree, &err) || !tree || mn_search_count(store, tree, &hits, &err))
		hits = -1;
	mn_qnode_free(tree);
	return hits;
}

/*
 * Picks the query words: from the generator's markers when the rare one is
 * in the index, else from about 50000 sampled passages (rare: in ~0.01% of
 * passages, medium ~1%, phrase ~0.1%, common: the most frequent).
 */
static void pick_words(struct mn_store *store, const struct corpus_stats *cs, struct words *w)
{
	sqlite3 *db = mn_store_db(store);
	struct counts words = {0}, pairs = {0}, speakers = {0};
	sqlite3_stmt *s = NULL;
	int64_t every = cs->passages / 50000 + 1, n = 0;
	const char *k;

	memset(w, 0, sizeof(*w));
	if (sqlite3_prepare_v2(db, "SELECT id, minutes_text(text), speaker FROM passages WHERE id % ?1 = 0", -1,
			       &s, NULL))
		die("sampling passages: %s", sqlite3_errmsg(db));
	sqlite3_bind_int64(s, 1, every);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(s, 1);
		const char *sp = (const char *)sqlite3_column_text(s, 2);
		int64_t id = sqlite3_column_int64(s, 0);

		sample_text(text ? text : "", id, &words, n % 4 == 0 ? &pairs : NULL);
		if (sp && !strchr(sp, '"'))
			counts_add(&speakers, sp, strlen(sp), id);
		n++;
	}
	sqlite3_finalize(s);
	w->sample = n;
	if (!n)
		die("the index holds no passages");

	w->synthetic = count_query(store, BENCH_RARE_WORD) > 0;
	k = counts_top(&words, w->synthetic ? BENCH_COMMON_WORD : NULL);
	if (w->synthetic) {
		snprintf(w->common, sizeof(w->common), "%s", BENCH_COMMON_WORD);
		snprintf(w->rare, sizeof(w->rare), "%s", BENCH_RARE_WORD);
		snprintf(w->medium, sizeof(w->medium), "%s", BENCH_MEDIUM_WORD);
		snprintf(w->prefix, sizeof(w->prefix), "%s*", BENCH_PREFIX);
		snprintf(w->phrase, sizeof(w->phrase), "%s", BENCH_PHRASE);
		snprintf(w->common2, sizeof(w->common2), "%s", k ? k : BENCH_MEDIUM_WORD);
	} else {
		const char *c = counts_top(&words, NULL), *m, *r, *ph;

		snprintf(w->common, sizeof(w->common), "%s", c ? c : "the");
		k = counts_top(&words, w->common);
		snprintf(w->common2, sizeof(w->common2), "%s", k ? k : w->common);
		m = counts_nearest(&words, (double)n / 100, 4, w->common, w->common2);
		snprintf(w->medium, sizeof(w->medium), "%s", m ? m : w->common2);
		r = counts_nearest(&words, (double)n / 10000, 6, NULL, NULL);
		snprintf(w->rare, sizeof(w->rare), "%s", r ? r : w->medium);
		ph = counts_nearest(&pairs, (double)n / 4 / 1000, 0, NULL, NULL);
		snprintf(w->phrase, sizeof(w->phrase), "%s", ph ? ph : w->common);
		/*
		 * The prefix: of a longer word about as frequent, long enough
		 * that the porter stemmer leaves it alone in the raw FTS5
		 * query (it stems prefixes: "lis*" is searched as "li*").
		 */
		k = counts_nearest(&words, (double)n / 100, 8, NULL, NULL);
		k = k ? k : w->medium;
		{
			int len = strlen(k) >= 6 ? 5 : (int)strlen(k);

			while (len < (int)strlen(k) && strchr("aeiousy", k[len - 1]))
				len++;
			snprintf(w->prefix, sizeof(w->prefix), "%.*s*", len, k);
		}
	}
	k = counts_top(&speakers, NULL);
	snprintf(w->speaker, sizeof(w->speaker), "%s", k ? k : "");
	/* A year and a half in the middle of the dates. */
	if (strlen(cs->min_date) >= 4 && strlen(cs->max_date) >= 4) {
		int y = (atoi(cs->min_date) + atoi(cs->max_date)) / 2;

		snprintf(w->date_from, sizeof(w->date_from), "%04d-01", y);
		snprintf(w->date_to, sizeof(w->date_to), "%04d-06", y + 1);
	}
	counts_release(&words);
	counts_release(&pairs);
	counts_release(&speakers);
}

/* --- the query classes ------------------------------------------------------------- */

enum raw_kind { RAW_NONE, RAW_TOP, RAW_FACETS };

struct qclass {
	const char *name;
	char query[320];     /* the project's query */
	int facets;	     /* the default facets */
	int group;	     /* --group meeting */
	enum raw_kind raw;   /* the raw FTS5 stand-in */
	char match[320];     /* its MATCH expression */
	const char *rg_mode; /* ripgrep: "F" fixed string, "R" regex, NULL not run */
	char rg_pattern[320];
	int64_t hits, raw_hits, rg_hits;
	struct lat in, raw_in, shot, raw_shot, rg;
	int slow; /* the first run in process took longer than the budget */
};

#define NCLASSES 9

static void define_classes(const struct words *w, struct qclass *c)
{
	int i;

	memset(c, 0, NCLASSES * sizeof(*c));
	c[0].name = "rare";
	snprintf(c[0].query, sizeof(c[0].query), "%s", w->rare);
	c[1].name = "common";
	snprintf(c[1].query, sizeof(c[1].query), "%s", w->common);
	c[2].name = "phrase";
	snprintf(c[2].query, sizeof(c[2].query), "\"%s\"", w->phrase);
	c[3].name = "prefix";
	snprintf(c[3].query, sizeof(c[3].query), "%s", w->prefix);
	c[4].name = "two words";
	snprintf(c[4].query, sizeof(c[4].query), "%s %s", w->common, w->common2);
	c[5].name = "speaker";
	snprintf(c[5].query, sizeof(c[5].query), "%s speaker:\"%s\"", w->medium, w->speaker);
	c[6].name = "date range";
	snprintf(c[6].query, sizeof(c[6].query), "%s date:%s..%s", w->medium, w->date_from,
		 w->date_to);
	c[7].name = "facets";
	snprintf(c[7].query, sizeof(c[7].query), "%s", w->common);
	c[7].facets = 1;
	c[8].name = "group";
	snprintf(c[8].query, sizeof(c[8].query), "%s", w->common);
	c[8].group = 1;
	for (i = 0; i < NCLASSES; i++) {
		if (i == 5 || i == 6 || i == 8)
			continue;
		c[i].raw = i == 7 ? RAW_FACETS : RAW_TOP;
		snprintf(c[i].match, sizeof(c[i].match), "%s", c[i].query);
	}
	/* ripgrep: the words as they are written (no stemming), any case. */
	c[0].rg_mode = c[1].rg_mode = c[2].rg_mode = "F";
	snprintf(c[0].rg_pattern, sizeof(c[0].rg_pattern), "%s", w->rare);
	snprintf(c[1].rg_pattern, sizeof(c[1].rg_pattern), "%s", w->common);
	snprintf(c[2].rg_pattern, sizeof(c[2].rg_pattern), "%s", w->phrase);
	c[3].rg_mode = "R";
	snprintf(c[3].rg_pattern, sizeof(c[3].rg_pattern), "\\b%.*s\\w*",
		 (int)strlen(w->prefix) - 1, w->prefix);
}

/* --- in process ------------------------------------------------------------------- */

struct sink {
	struct mn_printer *printer;
};

static int on_hit(void *ctx, const struct mn_hit *hit)
{
	mn_printer_hit(((struct sink *)ctx)->printer, hit);
	return 0;
}

static int on_group(void *ctx, const struct mn_group *group)
{
	mn_printer_group(((struct sink *)ctx)->printer, group);
	return 0;
}

/*
 * One search as minutes-search makes it (the defaults: 20 hits, rank
 * order, a suggestion when few hits, snippets), printed as JSON into
 * devnull. Returns its time in ms; *hits gets the passages found.
 */
static double search_once(struct mn_store *store, const struct qclass *c, FILE *devnull,
			  int64_t *hits)
{
	enum mn_facet_field facets[MN_FACET_COUNT];
	struct mn_err err = MN_ERR_INIT;
	struct mn_search_opts so;
	struct mn_results res;
	struct mn_print_info info;
	struct sink sink;
	double t0 = mn_now_ms(), ms;
	int rc;

	memset(&so, 0, sizeof(so));
	memset(&info, 0, sizeof(info));
	so.query = c->query;
	so.limit = 20;
	so.sort = MN_SORT_AUTO;
	so.suggest = 1;
	if (c->facets) {
		if (mn_facets_parse(MN_FACETS_DEFAULT, facets, &so.nfacets, &err))
			die("%s", err.msg);
		so.facets = facets;
	}
	so.group = c->group ? MN_GROUP_MEETING : MN_GROUP_NONE;
	info.query = c->query;
	info.limit = so.limit;
	info.grouped = c->group;
	sink.printer = mn_printer_new(MN_FORMAT_JSON, devnull, &info);
	mn_printer_begin(sink.printer);
	rc = c->group ? mn_search_groups(store, &so, on_group, &sink, &res, &err)
		      : mn_search(store, &so, on_hit, &sink, &res, &err);
	if (rc)
		die("query '%s': %s", c->query, err.msg);
	mn_printer_end(sink.printer, &res);
	fflush(devnull);
	ms = mn_now_ms() - t0;
	*hits = res.passages;
	mn_results_release(&res);
	mn_printer_free(sink.printer);
	return ms;
}

static void measure_in_process(const struct opts *o, struct mn_store *store, struct qclass *c)
{
	FILE *devnull = fopen("/dev/null", "w");
	int i;

	if (!devnull)
		die("cannot open /dev/null: %s", strerror(errno));
	for (i = 0; i < NCLASSES; i++) {
		double t0, first;
		int kept;

		first = search_once(store, &c[i], devnull, &c[i].hits); /* warm-up */
		kept = first > o->budget_ms;
		c[i].slow = kept;
		if (kept)
			lat_add(&c[i].in, first); /* too slow to repeat: the one run it is */
		t0 = mn_now_ms();
		while (!kept && !enough(o, c[i].in.n, o->reps, t0))
			lat_add(&c[i].in, search_once(store, &c[i], devnull, &c[i].hits));
		lat_finish(&c[i].in);
	}
	fclose(devnull);
}

enum { RAW_SQL_TOP, RAW_SQL_FACET, RAW_SQL_COUNT };

static const char *const raw_sql[] = {
    "SELECT rowid, snippet(t, 0, char(1), char(2), '\xe2\x80\xa6', 32) FROM t "
    "WHERE t MATCH ?1 ORDER BY rank LIMIT 20",
    /* The facet stand-in: every hit counted under a per-row value. */
    "SELECT rowid / 1000 AS g, count(*) FROM t WHERE t MATCH ?1 GROUP BY g "
    "ORDER BY 2 DESC LIMIT 10",
    "SELECT count(*) FROM t WHERE t MATCH ?1",
};

/*
 * Steps s with match bound to ?1 through all its rows, fetching the second
 * column (the snippet, computed when fetched); *value (may be NULL) gets
 * the first column of the last row. Returns the time taken in ms.
 */
static double raw_run(sqlite3_stmt *s, const char *match, int64_t *value)
{
	double t0 = mn_now_ms();

	sqlite3_bind_text(s, 1, match, -1, SQLITE_STATIC);
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (sqlite3_column_count(s) > 1)
			sqlite3_column_text(s, 1);
		if (value)
			*value = sqlite3_column_int64(s, 0);
	}
	sqlite3_reset(s);
	return mn_now_ms() - t0;
}

static void measure_raw(const struct opts *o, struct qclass *c)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st[3] = {NULL, NULL, NULL};
	int i;

	if (sqlite3_open_v2(o->baseline, &db, SQLITE_OPEN_READONLY, NULL))
		die("cannot open '%s': %s", o->baseline, sqlite3_errmsg(db));
	for (i = 0; i < 3; i++)
		if (sqlite3_prepare_v2(db, raw_sql[i], -1, &st[i], NULL))
			die("%s: %s", raw_sql[i], sqlite3_errmsg(db));
	for (i = 0; i < NCLASSES; i++) {
		double t0;

		if (c[i].raw == RAW_NONE)
			continue;
		raw_run(st[RAW_SQL_COUNT], c[i].match, &c[i].raw_hits);
		raw_run(st[RAW_SQL_TOP], c[i].match, NULL); /* warm-up */
		if (c[i].raw == RAW_FACETS)
			raw_run(st[RAW_SQL_FACET], c[i].match, NULL);
		t0 = mn_now_ms();
		while (!enough(o, c[i].raw_in.n, o->reps, t0)) {
			double ms = raw_run(st[RAW_SQL_TOP], c[i].match, NULL);

			if (c[i].raw == RAW_FACETS)
				ms += raw_run(st[RAW_SQL_FACET], c[i].match, NULL);
			lat_add(&c[i].raw_in, ms);
		}
		lat_finish(&c[i].raw_in);
	}
	for (i = 0; i < 3; i++)
		sqlite3_finalize(st[i]);
	sqlite3_close(db);
}

/* --- one-shot ----------------------------------------------------------------------- */

/* Runs argv o->oneshot times (after one warm-up), within the budget. */
static void measure_spawns(const struct opts *o, char *const argv[], struct lat *l,
			   const char *first_out)
{
	struct child ch;
	double t0;
	int kept;

	if (run_child(argv, first_out, &ch))
		return;
	kept = ch.ms > o->budget_ms;
	if (kept)
		lat_add(l, ch.ms); /* too slow to repeat: the one run it is */
	t0 = mn_now_ms();
	while (!kept && !enough(o, l->n, o->oneshot, t0)) {
		if (run_child(argv, NULL, &ch))
			break;
		lat_add(l, ch.ms);
	}
	lat_finish(l);
}

/* Adds the counts at the end of ripgrep's "path:count" lines in path. */
static int64_t sum_rg_counts(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[8192];
	int64_t total = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *colon = strrchr(line, ':');

		total += atoll(colon ? colon + 1 : line);
	}
	fclose(f);
	return total;
}

/* An SQL string literal for s. Returns a new string (caller frees). */
static char *sql_quote(const char *s)
{
	char *q = sqlite3_mprintf("'%q'", s), *r = mn_xstrdup(q);

	sqlite3_free(q);
	return r;
}

static void measure_oneshot(const struct opts *o, struct qclass *c)
{
	char tmp[] = "/tmp/minutes-bench-rg-XXXXXX";
	int i, fd = -1;

	if (o->rg_prog && o->ncorpus) {
		fd = mkstemp(tmp);
		if (fd < 0)
			die("mkstemp: %s", strerror(errno));
		close(fd);
	}
	for (i = 0; i < NCLASSES; i++) {
		if (o->skip_slow && c[i].slow)
			continue;
		if (o->search_prog) {
			char *argv[12];
			int n = 0;

			argv[n++] = (char *)o->search_prog;
			argv[n++] = "--no-config";
			argv[n++] = "--db";
			argv[n++] = (char *)o->db;
			argv[n++] = "--format";
			argv[n++] = "json";
			if (c[i].facets)
				argv[n++] = "--facets";
			if (c[i].group) {
				argv[n++] = "--group";
				argv[n++] = "meeting";
			}
			argv[n++] = "--";
			argv[n++] = c[i].query;
			argv[n] = NULL;
			measure_spawns(o, argv, &c[i].shot, NULL);
		}
		if (o->sqlite3_prog && c[i].raw != RAW_NONE) {
			struct mn_buf sql = MN_BUF_INIT;
			char *m = sql_quote(c[i].match), *argv[5];
			size_t k;

			for (k = 0; k < (c[i].raw == RAW_FACETS ? 2u : 1u); k++) {
				const char *t = raw_sql[k], *q = strstr(t, "?1");

				mn_buf_add(&sql, t, (size_t)(q - t));
				mn_buf_adds(&sql, m);
				mn_buf_adds(&sql, q + 2);
				mn_buf_adds(&sql, ";");
			}
			argv[0] = (char *)o->sqlite3_prog;
			argv[1] = "-readonly";
			argv[2] = o->baseline;
			argv[3] = sql.data;
			argv[4] = NULL;
			measure_spawns(o, argv, &c[i].raw_shot, NULL);
			mn_buf_release(&sql);
			free(m);
		}
		if (o->rg_prog && o->ncorpus && c[i].rg_mode) {
			char **argv = mn_xcalloc((size_t)o->ncorpus + 6, sizeof(char *));
			int n = 0, k;

			argv[n++] = (char *)o->rg_prog;
			argv[n++] = "-c";
			argv[n++] = "-i";
			argv[n++] = *c[i].rg_mode == 'F' ? "-F" : "-P";
			argv[n++] = c[i].rg_pattern;
			for (k = 0; k < o->ncorpus; k++)
				argv[n++] = o->corpus[k];
			argv[n] = NULL;
			measure_spawns(o, argv, &c[i].rg, tmp);
			c[i].rg_hits = sum_rg_counts(tmp);
			free(argv);
		}
	}
	if (fd >= 0)
		unlink(tmp);
}

/* --- the report -------------------------------------------------------------------- */

struct report {
	const struct opts *o;
	struct build build;
	struct baseline base, wide; /* raw FTS5: the text; the three columns */
	struct corpus_stats cs;
	struct words w;
	struct qclass c[NCLASSES];
	double total_ms;
};

static json_t *lat_json(const struct lat *l)
{
	if (!l->n)
		return json_null();
	return json_pack("{s:I,s:f,s:f,s:f}", "runs", (json_int_t)l->n, "p50_ms", l->p50, "p95_ms",
			 l->p95, "p99_ms", l->p99);
}

static double mb(int64_t bytes)
{
	return (double)bytes / 1e6;
}

/* A target of issue 6 and what was measured for it. */
struct target {
	const char *what;
	const char *goal;
	double value; /* NAN: not measured */
	const char *unit;
	int ok;
};

static size_t targets(const struct report *r, struct target *t)
{
	const struct qclass *c = r->c;
	double rate =
	    r->build.done && r->build.ms > 0 ? r->cs.passages / (r->build.ms / 1000) : NAN;
	double raw_rate = r->base.ms > 0 ? r->base.rows / (r->base.ms / 1000) : NAN;
	double worst_fast = NAN, worst_fast_shot = NAN;
	size_t n = 0;
	int i;
	static const int fast[] = {0, 2, 5}; /* rare, phrase, speaker (a field filter) */

	for (i = 0; i < 3; i++) {
		const struct qclass *q = &c[fast[i]];

		if (q->in.n && (isnan(worst_fast) || q->in.p50 > worst_fast))
			worst_fast = q->in.p50;
		if (q->shot.n && (isnan(worst_fast_shot) || q->shot.p50 > worst_fast_shot))
			worst_fast_shot = q->shot.p50;
	}
	t[n++] = (struct target){"common word, top 20, snippets, default facets, in process (p50)",
				 "< 10 ms", c[7].in.n ? c[7].in.p50 : NAN, "ms", c[7].in.p50 < 10};
	t[n++] = (struct target){"rare word / phrase / field filter, in process (worst p50)",
				 "< 2 ms", worst_fast, "ms", worst_fast < 2};
	t[n++] = (struct target){"rare word / phrase / field filter, one-shot CLI (worst p50)",
				 "< 5 ms", worst_fast_shot, "ms", worst_fast_shot < 5};
	t[n++] = (struct target){"common word, one-shot CLI (p50)", "< 20 ms",
				 c[1].shot.n ? c[1].shot.p50 : NAN, "ms", c[1].shot.p50 < 20};
	t[n++] = (struct target){"indexing speed vs raw FTS5 porter (passages/s, parsing included)",
				 ">= 1.0x", rate / raw_rate, "x", rate / raw_rate >= 1.0};
	t[n++] = (struct target){"index size / corpus bytes", "<= 2.2x",
				 r->cs.bytes ? (double)r->cs.index_size / (double)r->cs.bytes : NAN,
				 "x", (double)r->cs.index_size <= 2.2 * (double)r->cs.bytes};
	t[n++] = (struct target){"indexer peak RSS", "<= 64 MB",
				 r->build.done ? r->build.rss_kb / 1024.0 : NAN, "MB",
				 r->build.rss_kb <= 64 * 1024};
	t[n++] = (struct target){"incremental re-run over the unchanged index", "< 2 s",
				 r->build.done ? r->build.rerun_ms / 1000 : NAN, "s",
				 r->build.rerun_ms < 2000};
	return n;
}

static json_t *report_json(const struct report *r)
{
	const struct opts *o = r->o;
	struct target t[16];
	json_t *j = json_object(), *a, *classes = json_array(), *tj = json_array();
	size_t i, nt = targets(r, t);

	json_object_set_new(j, "label", json_string(o->label ? o->label : o->db));
	json_object_set_new(j, "sqlite_version", json_string(sqlite3_libversion()));
	json_object_set_new(
	    j, "corpus",
	    json_pack("{s:I,s:I,s:I,s:I,s:I,s:s,s:s}", "files", (json_int_t)r->cs.files, "bytes",
		      (json_int_t)r->cs.bytes, "passages", (json_int_t)r->cs.passages, "text_bytes",
		      (json_int_t)r->cs.text_bytes, "people", (json_int_t)r->cs.people,
		      "first_date", r->cs.min_date, "last_date", r->cs.max_date));
	a = json_object();
	json_object_set_new(a, "size_bytes", json_integer(r->cs.index_size));
	json_object_set_new(a, "size_ratio",
			    json_real(r->cs.bytes ? (double)r->cs.index_size / r->cs.bytes : 0));
	if (r->build.done) {
		double s = r->build.ms / 1000;

		json_object_set_new(a, "build_s", json_real(s));
		json_object_set_new(a, "build_mb_per_s", json_real(mb(r->cs.bytes) / s));
		json_object_set_new(a, "passages_per_s", json_real(r->cs.passages / s));
		json_object_set_new(a, "peak_rss_kb", json_integer(r->build.rss_kb));
		json_object_set_new(a, "rerun_s", json_real(r->build.rerun_ms / 1000));
		json_object_set_new(a, "rerun_peak_rss_kb", json_integer(r->build.rerun_rss_kb));
		json_object_set_new(a, "exit_status", json_integer(r->build.status));
	}
	json_object_set_new(j, "index", a);
	json_object_set_new(
	    j, "raw_fts5",
	    json_pack("{s:f,s:f,s:f,s:I,s:I,s:f,s:f}", "build_s", r->base.ms / 1000,
		      "build_mb_per_s", mb(r->base.bytes) / (r->base.ms / 1000), "passages_per_s",
		      r->base.rows / (r->base.ms / 1000), "peak_rss_kb", (json_int_t)r->base.rss_kb,
		      "size_bytes", (json_int_t)r->base.size, "size_ratio_to_corpus",
		      r->cs.bytes ? (double)r->base.size / r->cs.bytes : 0.0, "size_ratio_to_text",
		      r->base.bytes ? (double)r->base.size / r->base.bytes : 0.0));
	json_object_set_new(
	    j, "raw_fts5_3col",
	    json_pack("{s:f,s:f,s:I,s:I,s:f}", "build_s", r->wide.ms / 1000, "passages_per_s",
		      r->wide.rows / (r->wide.ms / 1000), "peak_rss_kb", (json_int_t)r->wide.rss_kb,
		      "size_bytes", (json_int_t)r->wide.size, "size_ratio_to_corpus",
		      r->cs.bytes ? (double)r->wide.size / r->cs.bytes : 0.0));
	json_object_set_new(j, "words_from",
			    json_string(r->w.synthetic ? "generator markers" : "sampled passages"));
	json_object_set_new(j, "sampled_passages", json_integer(r->w.sample));
	for (i = 0; i < NCLASSES; i++) {
		const struct qclass *c = &r->c[i];
		json_t *cj = json_object();

		json_object_set_new(cj, "class", json_string(c->name));
		json_object_set_new(cj, "query", json_string(c->query));
		json_object_set_new(cj, "facets", json_boolean(c->facets));
		json_object_set_new(cj, "group", json_boolean(c->group));
		json_object_set_new(cj, "hits", json_integer(c->hits));
		json_object_set_new(cj, "in_process", lat_json(&c->in));
		json_object_set_new(cj, "one_shot_skipped", json_boolean(o->skip_slow && c->slow));
		json_object_set_new(cj, "one_shot", lat_json(&c->shot));
		if (c->raw != RAW_NONE) {
			json_object_set_new(cj, "raw_match", json_string(c->match));
			json_object_set_new(cj, "raw_hits", json_integer(c->raw_hits));
		} else {
			json_object_set_new(cj, "raw_match", json_null());
			json_object_set_new(cj, "raw_hits", json_null());
		}
		json_object_set_new(cj, "raw_in_process", lat_json(&c->raw_in));
		json_object_set_new(cj, "raw_one_shot", lat_json(&c->raw_shot));
		json_object_set_new(cj, "rg_pattern",
				    c->rg_mode && c->rg.n ? json_string(c->rg_pattern)
							  : json_null());
		json_object_set_new(cj, "rg_hits",
				    c->rg_mode && c->rg.n ? json_integer(c->rg_hits) : json_null());
		json_object_set_new(cj, "rg", lat_json(&c->rg));
		json_array_append_new(classes, cj);
	}
	json_object_set_new(j, "classes", classes);
	for (i = 0; i < nt; i++)
		json_array_append_new(
		    tj, json_pack("{s:s,s:s,s:o,s:s,s:o}", "target", t[i].what, "goal", t[i].goal,
				  "value", isnan(t[i].value) ? json_null() : json_real(t[i].value),
				  "unit", t[i].unit, "met",
				  isnan(t[i].value) ? json_null() : json_boolean(t[i].ok)));
	json_object_set_new(j, "targets", tj);
	json_object_set_new(j, "total_s", json_real(r->total_ms / 1000));
	return j;
}

/* "p50/p95/p99" of l, or "-" when it was not measured. */
static const char *lat_text(const struct lat *l, char *buf, size_t size)
{
	if (!l->n)
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%.2f/%.2f/%.2f", l->p50, l->p95, l->p99);
	return buf;
}

static void print_tables(const struct report *r)
{
	const struct opts *o = r->o;
	struct target t[16];
	size_t i, nt = targets(r, t);
	char a[128], b[128], w[128], d[64];

	printf("== %s (SQLite %s)\n", o->label ? o->label : o->db, sqlite3_libversion());
	printf("corpus: %lld files, %.1f MB, %lld passages (%.1f MB of text), %lld people, "
	       "dates %s..%s\n",
	       (long long)r->cs.files, mb(r->cs.bytes), (long long)r->cs.passages,
	       mb(r->cs.text_bytes), (long long)r->cs.people, r->cs.min_date, r->cs.max_date);
	printf("\n%-26s %-22s %-22s %s\n", "indexing", "minutes-index", "raw FTS5 porter",
	       "raw FTS5, 3 columns");
	snprintf(b, sizeof(b), "%.2f s", r->base.ms / 1000);
	snprintf(w, sizeof(w), "%.2f s", r->wide.ms / 1000);
	if (r->build.done) {
		double s = r->build.ms / 1000;

		snprintf(a, sizeof(a), "%.2f s", s);
		printf("%-26s %-22s %-22s %s\n", "  build time", a, b, w);
		snprintf(a, sizeof(a), "%.1f (files)", mb(r->cs.bytes) / s);
		snprintf(b, sizeof(b), "%.1f (text)", mb(r->base.bytes) / (r->base.ms / 1000));
		snprintf(w, sizeof(w), "%.1f (text)", mb(r->wide.bytes) / (r->wide.ms / 1000));
		printf("%-26s %-22s %-22s %s\n", "  MB/s", a, b, w);
		snprintf(a, sizeof(a), "%.0f", r->cs.passages / s);
		snprintf(b, sizeof(b), "%.0f", r->base.rows / (r->base.ms / 1000));
		snprintf(w, sizeof(w), "%.0f", r->wide.rows / (r->wide.ms / 1000));
		printf("%-26s %-22s %-22s %s\n", "  passages/s", a, b, w);
		snprintf(a, sizeof(a), "%.1f MB", r->build.rss_kb / 1024.0);
		snprintf(b, sizeof(b), "%.1f MB", r->base.rss_kb / 1024.0);
		snprintf(w, sizeof(w), "%.1f MB", r->wide.rss_kb / 1024.0);
		printf("%-26s %-22s %-22s %s\n", "  peak RSS", a, b, w);
	} else {
		printf("%-26s %-22s %-22s %s\n", "  build time", "(not built here)", b, w);
	}
	snprintf(a, sizeof(a), "%.1f MB (%.2fx corpus)", mb(r->cs.index_size),
		 r->cs.bytes ? (double)r->cs.index_size / r->cs.bytes : 0.0);
	snprintf(b, sizeof(b), "%.1f MB (%.2fx corpus)", mb(r->base.size),
		 r->cs.bytes ? (double)r->base.size / r->cs.bytes : 0.0);
	snprintf(w, sizeof(w), "%.1f MB (%.2fx)", mb(r->wide.size),
		 r->cs.bytes ? (double)r->wide.size / r->cs.bytes : 0.0);
	printf("%-26s %-22s %-22s %s\n", "  index size", a, b, w);
	if (r->build.done) {
		snprintf(a, sizeof(a), "%.2f s", r->build.rerun_ms / 1000);
		printf("%-26s %-22s %-22s\n", "  re-run, nothing changed", a, "-");
	}
	printf("\nquery words from %s (%lld passages sampled)\n",
	       r->w.synthetic ? "the generator's markers" : "the index", (long long)r->w.sample);
	printf("\nin process, ms p50/p95/p99 (runs)\n");
	printf("%-11s %-40s %9s %-24s %9s %-24s\n", "class", "query", "hits", "minutes (library)",
	       "raw hits", "raw FTS5 porter");
	for (i = 0; i < NCLASSES; i++) {
		const struct qclass *c = &r->c[i];
		char q[400], rh[24];

		snprintf(q, sizeof(q), "%s%s%s", c->query, c->facets ? " +facets" : "",
			 c->group ? " +group" : "");
		if (c->raw != RAW_NONE)
			snprintf(rh, sizeof(rh), "%lld", (long long)c->raw_hits);
		else
			snprintf(rh, sizeof(rh), "n/a");
		snprintf(a, sizeof(a), "%s (%zu)", lat_text(&c->in, d, sizeof(d)), c->in.n);
		lat_text(&c->raw_in, d, sizeof(d));
		if (c->raw_in.n)
			snprintf(b, sizeof(b), "%s (%zu)", d, c->raw_in.n);
		else
			snprintf(b, sizeof(b), "n/a");
		printf("%-11s %-40.40s %9lld %-24s %9s %-24s\n", c->name, q, (long long)c->hits, a,
		       rh, b);
	}
	if (o->search_prog || o->sqlite3_prog || o->rg_prog) {
		printf("\none-shot (a new process per query), ms p50/p95/p99 (runs)\n");
		printf("%-11s %-26s %-26s %-26s %s\n", "class", "minutes-search", "sqlite3 shell",
		       "ripgrep -c", "rg lines");
		for (i = 0; i < NCLASSES; i++) {
			const struct qclass *c = &r->c[i];
			char s1[128], s2[128], s3[128], rl[24];

			if (o->skip_slow && c->slow) {
				printf("%-11s skipped: the first run in process took %.0f ms\n",
				       c->name, c->in.p50);
				continue;
			}
			lat_text(&c->shot, d, sizeof(d));
			snprintf(s1, sizeof(s1), c->shot.n ? "%s (%zu)" : "%s", d, c->shot.n);
			lat_text(&c->raw_shot, d, sizeof(d));
			snprintf(s2, sizeof(s2), c->raw_shot.n ? "%s (%zu)" : "%s", d,
				 c->raw_shot.n);
			lat_text(&c->rg, d, sizeof(d));
			snprintf(s3, sizeof(s3), c->rg.n ? "%s (%zu)" : "%s", d, c->rg.n);
			snprintf(rl, sizeof(rl), c->rg.n ? "%lld" : "-", (long long)c->rg_hits);
			printf("%-11s %-26s %-26s %-26s %s\n", c->name, s1, s2, s3, rl);
		}
	}
	printf("\ntargets (issue 6; they are set for 1M passages)\n");
	for (i = 0; i < nt; i++) {
		if (isnan(t[i].value))
			printf("  %-66s %-9s %12s  %s\n", t[i].what, t[i].goal, "-",
			       "not measured");
		else
			printf("  %-66s %-9s %9.2f %-2s  %s\n", t[i].what, t[i].goal, t[i].value,
			       t[i].unit, t[i].ok ? "met" : "MISSED");
	}
	if (r->build.done && r->wide.ms > 0)
		printf("  %-66s %-9s %9.2f %-2s  %s\n",
		       "for reference: vs raw FTS5 porter of text, topic path and title", "-",
		       (r->cs.passages / (r->build.ms / 1000)) / (r->wide.rows / (r->wide.ms / 1000)),
		       "x", "(no target)");
	printf("\n(total %.1f s)\n", r->total_ms / 1000);
}

/* --- main --------------------------------------------------------------------------- */

static long parse_long(const char *s, const char *what, long min)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < min)
		die("invalid %s '%s'", what, s);
	return v;
}

int main(int argc, char **argv)
{
	enum {
		OPT_DB = 256,
		OPT_INDEX,
		OPT_SEARCH,
		OPT_SQLITE3,
		OPT_RG,
		OPT_BASELINE,
		OPT_ONESHOT,
		OPT_BUDGET,
		OPT_LABEL,
		OPT_SKIP_SLOW,
		OPT_JSON,
		OPT_JSON_FILE,
	};
	static const struct option options[] = {
	    {"db", required_argument, NULL, OPT_DB},
	    {"index", required_argument, NULL, OPT_INDEX},
	    {"search", required_argument, NULL, OPT_SEARCH},
	    {"sqlite3", required_argument, NULL, OPT_SQLITE3},
	    {"rg", required_argument, NULL, OPT_RG},
	    {"baseline", required_argument, NULL, OPT_BASELINE},
	    {"reps", required_argument, NULL, 'r'},
	    {"oneshot", required_argument, NULL, OPT_ONESHOT},
	    {"budget", required_argument, NULL, OPT_BUDGET},
	    {"label", required_argument, NULL, OPT_LABEL},
	    {"skip-slow", no_argument, NULL, OPT_SKIP_SLOW},
	    {"json", no_argument, NULL, OPT_JSON},
	    {"json-file", required_argument, NULL, OPT_JSON_FILE},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	static struct report r;
	struct opts o;
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *store = NULL;
	double t0 = mn_now_ms();
	json_t *j;
	int c, i;

	memset(&o, 0, sizeof(o));
	o.reps = 50;
	o.oneshot = 20;
	o.budget_ms = 3000;
	while ((c = getopt_long(argc, argv, "r:h", options, NULL)) != -1) {
		switch (c) {
		case OPT_DB:
			o.db = optarg;
			break;
		case OPT_INDEX:
			o.index_prog = optarg;
			break;
		case OPT_SEARCH:
			o.search_prog = optarg;
			break;
		case OPT_SQLITE3:
			o.sqlite3_prog = optarg;
			break;
		case OPT_RG:
			o.rg_prog = optarg;
			break;
		case OPT_BASELINE:
			o.baseline = mn_xstrdup(optarg);
			break;
		case 'r':
			o.reps = parse_long(optarg, "--reps", 1);
			break;
		case OPT_ONESHOT:
			o.oneshot = parse_long(optarg, "--oneshot", 0);
			break;
		case OPT_BUDGET: {
			char *end;

			o.budget_ms = strtod(optarg, &end) * 1000;
			if (!*optarg || *end || o.budget_ms < 0)
				die("invalid --budget '%s'", optarg);
			break;
		}
		case OPT_LABEL:
			o.label = optarg;
			break;
		case OPT_SKIP_SLOW:
			o.skip_slow = 1;
			break;
		case OPT_JSON:
			o.json = 1;
			break;
		case OPT_JSON_FILE:
			o.json_file = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			fputs("Try 'minutes-bench --help' for more information.\n", stderr);
			return 2;
		}
	}
	if (!o.db)
		die("no --db INDEX given\nTry 'minutes-bench --help' for more information.");
	o.corpus = argv + optind;
	o.ncorpus = argc - optind;
	if (o.index_prog && !o.ncorpus)
		die("--index needs the CORPUS folders to index");
	if (!o.baseline) {
		struct mn_buf b = MN_BUF_INIT;

		mn_buf_addf(&b, "%s.fts5", o.db);
		o.baseline = mn_buf_detach(&b);
	}
	if (o.oneshot == 0)
		o.search_prog = o.sqlite3_prog = o.rg_prog = NULL;
	r.o = &o;
	signal(SIGPIPE, SIG_IGN);

	if (o.index_prog)
		build_index(&o, &r.build);
	build_baseline(&o, o.baseline, 0, &r.base);
	{
		struct mn_buf wide = MN_BUF_INIT;

		/* Measured, then gone: no query reads it. */
		mn_buf_addf(&wide, "%s.3col", o.baseline);
		build_baseline(&o, mn_buf_str(&wide), 1, &r.wide);
		remove_db(mn_buf_str(&wide));
		mn_buf_release(&wide);
	}
	if (mn_store_open(&store, o.db, MN_STORE_READ, NULL, &err))
		die("%s", err.msg);
	read_stats(mn_store_db(store), o.db, &r.cs);
	pick_words(store, &r.cs, &r.w);
	define_classes(&r.w, r.c);
	measure_in_process(&o, store, r.c);
	mn_store_close(store);
	measure_raw(&o, r.c);
	measure_oneshot(&o, r.c);
	r.total_ms = mn_now_ms() - t0;

	j = report_json(&r);
	if (o.json) {
		json_dumpf(j, stdout,
			   JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
		putchar('\n');
	} else {
		print_tables(&r);
	}
	if (o.json_file) {
		if (json_dump_file(j, o.json_file,
				   JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6)))
			die("cannot write '%s'", o.json_file);
	}
	json_decref(j);
	for (i = 0; i < NCLASSES; i++) {
		free(r.c[i].in.ms);
		free(r.c[i].raw_in.ms);
		free(r.c[i].shot.ms);
		free(r.c[i].raw_shot.ms);
		free(r.c[i].rg.ms);
	}
	free(o.baseline);
	return fflush(stdout) ? 2 : 0;
}
