/*
 * parse_quality: measures the minutes parser against hand-checked labels.
 *
 *   parse_quality [SHARED]      (default: ../shared next to the source tree)
 *
 * With SHARED/truth/seeds/ present it scores the parse of corpus/ against
 * the labels (speaker attribution as line + resolved name, topics,
 * attendees, dates, actions, decisions, reported speech; optional items
 * count as correct when found and are not missed when not) and fails
 * unless the targets hold: speaker F1 >= 0.95, topics F1 >= 0.9, dates
 * exact, attendee recall >= 0.95, action recall >= 0.9.
 *
 * With SHARED/corpus/tc39/ present it reports the share of "ABBR:" labels
 * resolved to a full name, over all of them and over those whose
 * abbreviation the file itself states (target >= 0.98); with the other
 * corpora, it lists the distinct speakers that do not look like people.
 *
 * Without SHARED it says so and succeeds: the project's tests do not need it.
 */
#include <ctype.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mn_parse.h"
#include "mn_text.h"
#include "mn_util.h"

/* a + "/" + b, a new string (caller frees). */
static char *join(const char *a, const char *b)
{
	struct mn_buf buf = MN_BUF_INIT;

	mn_buf_addf(&buf, "%s/%s", a, b);
	return mn_buf_detach(&buf);
}

struct score {
	const char *name;
	long tp, fp, fn;
};

static struct mn_doc *parse_file(const char *path)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_doc *doc = NULL;
	char *raw, *text;
	size_t len, tlen;

	if (mn_read_file(path, 256u << 20, &raw, &len, &err)) {
		fprintf(stderr, "parse_quality: %s\n", err.msg);
		return NULL;
	}
	text = mn_utf8_repair(raw, len, &tlen, NULL);
	free(raw);
	if (mn_parse(path, text, tlen, &doc, &err))
		doc = NULL;
	free(text);
	return doc;
}

/* A set of (line, folded name) pairs, as "line\tname" strings. */
struct pairs {
	char **v;
	int *optional;
	size_t n, cap;
};

static void pairs_add(struct pairs *p, int line, const char *name, int optional)
{
	struct mn_buf b = MN_BUF_INIT;
	char *f = mn_fold(name);
	size_t i;

	mn_buf_addf(&b, "%d\t%s", line, f);
	free(f);
	for (i = 0; i < p->n; i++)
		if (!strcmp(p->v[i], mn_buf_str(&b))) {
			if (!optional)
				p->optional[i] = 0;
			mn_buf_release(&b);
			return;
		}
	MN_GROW(p->v, p->n + 1, p->cap);
	p->optional = mn_xrealloc(p->optional, p->cap * sizeof(*p->optional));
	p->v[p->n] = mn_buf_detach(&b);
	p->optional[p->n] = optional;
	p->n++;
}

static long pairs_find(const struct pairs *p, const char *s)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (!strcmp(p->v[i], s))
			return (long)i;
	return -1;
}

static void pairs_free(struct pairs *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	free(p->optional);
	memset(p, 0, sizeof(*p));
}

/* Scores found against truth; prints misses when verbose. */
static void compare(struct score *s, const struct pairs *truth, const struct pairs *found,
		    const char *file, int verbose)
{
	size_t i;

	for (i = 0; i < found->n; i++) {
		if (pairs_find(truth, found->v[i]) >= 0) {
			s->tp++;
		} else {
			s->fp++;
			if (verbose)
				printf("  %s %s: extra %s\n", file, s->name, found->v[i]);
		}
	}
	for (i = 0; i < truth->n; i++) {
		if (!truth->optional[i] && pairs_find(found, truth->v[i]) < 0) {
			s->fn++;
			if (verbose)
				printf("  %s %s: missed %s\n", file, s->name, truth->v[i]);
		}
	}
}

static int optional_of(json_t *item)
{
	return json_is_true(json_object_get(item, "optional"));
}

static void score_file(const char *truth_path, const char *corpus_dir, struct score *scores,
		       int verbose, int *dates_ok)
{
	json_error_t jerr;
	json_t *t = json_load_file(truth_path, 0, &jerr), *item, *names, *name;
	struct pairs truth[6], found[6];
	struct mn_doc *doc;
	char *path;
	const char *file;
	size_t i, k;

	if (!t) {
		fprintf(stderr, "parse_quality: cannot read '%s': %s\n", truth_path, jerr.text);
		return;
	}
	file = json_string_value(json_object_get(t, "file"));
	path = join(corpus_dir, file ? file : "");
	doc = parse_file(path);
	free(path);
	if (!doc) {
		json_decref(t);
		return;
	}
	memset(truth, 0, sizeof(truth));
	memset(found, 0, sizeof(found));

	/* 0 speakers, 1 topics, 2 attendees, 3 actions, 4 decisions, 5 reported */
	json_array_foreach(json_object_get(t, "utterances"), i, item)
		json_array_foreach(json_object_get(item, "speakers"), k, name)
			pairs_add(&truth[0], (int)json_integer_value(json_object_get(item, "line")),
				  json_string_value(name), optional_of(item));
	json_array_foreach(json_object_get(t, "topics"), i, item)
		pairs_add(&truth[1], (int)json_integer_value(json_object_get(item, "line")), "",
			  optional_of(item));
	json_array_foreach(json_object_get(t, "attendees"), i, item)
		pairs_add(&truth[2], 0, json_string_value(json_object_get(item, "name")), 0);
	json_array_foreach(json_object_get(t, "actions"), i, item)
		pairs_add(&truth[3], (int)json_integer_value(json_object_get(item, "line")), "",
			  optional_of(item));
	json_array_foreach(json_object_get(t, "decisions"), i, item)
		pairs_add(&truth[4], (int)json_integer_value(json_object_get(item, "line")), "",
			  optional_of(item));
	json_array_foreach(json_object_get(t, "reported"), i, item) {
		names = json_object_get(item, "speakers");
		json_array_foreach(names, k, name)
			pairs_add(&truth[5], (int)json_integer_value(json_object_get(item, "line")),
				  json_string_value(name), optional_of(item));
	}

	for (i = 0; i < doc->npassages; i++) {
		const struct mn_passage *p = &doc->passages[i];

		for (k = 0; p->speaker_label && k < p->nspeakers; k++)
			pairs_add(&found[0], p->line, p->speakers[k], 0);
		if (p->kind == MN_KIND_ACTION)
			pairs_add(&found[3], p->line, "", 0);
		if (p->kind == MN_KIND_DECISION)
			pairs_add(&found[4], p->line, "", 0);
		for (k = 0; !p->speaker_label && k < p->nspeakers; k++)
			pairs_add(&found[5], p->line, p->speakers[k], 0);
	}
	for (i = 0; i < doc->ntopics; i++)
		if (doc->topics[i].kind != MN_TOPIC_SUBTOPIC)
			pairs_add(&found[1], doc->topics[i].line, "", 0);
	/* An attendee is found under any name the parser knows them by. */
	json_array_foreach(json_object_get(t, "attendees"), i, item) {
		const char *n1 = json_string_value(json_object_get(item, "name"));
		const char *n2 = json_string_value(json_object_get(item, "full_name"));
		char *f1 = mn_fold(n1), *f2 = n2 ? mn_fold(n2) : NULL;
		int hit = 0;

		for (k = 0; k < doc->nattendees && !hit; k++) {
			const struct mn_attendee *a = &doc->attendees[k];
			char *fa = mn_fold(a->name);
			size_t j;

			hit = !strcmp(fa, f1) || (f2 && !strcmp(fa, f2));
			free(fa);
			for (j = 0; j < a->naliases && !hit; j++) {
				char *fl = mn_fold(a->aliases[j]);

				hit = !strcmp(fl, f1);
				free(fl);
			}
		}
		if (hit)
			pairs_add(&found[2], 0, n1, 0);
		free(f1);
		free(f2);
	}
	for (i = 0; i < 6; i++) {
		compare(&scores[i], &truth[i], &found[i], file, verbose);
		pairs_free(&truth[i]);
		pairs_free(&found[i]);
	}
	/* Dates: the same set. */
	{
		json_t *dates = json_object_get(t, "dates");
		int same = json_array_size(dates) == doc->ndates;

		for (i = 0; same && i < doc->ndates; i++) {
			int in = 0;

			json_array_foreach(dates, k, item)
				in |= !strcmp(json_string_value(item), doc->dates[i]);
			same = in;
		}
		if (!same) {
			*dates_ok = 0;
			printf("  %s dates differ\n", file);
		}
	}
	mn_doc_free(doc);
	json_decref(t);
}

static double ratio(long a, long b)
{
	return b ? (double)a / (double)b : 1.0;
}

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Files under dir with one of the extensions, recursively, sorted; caller frees. */
static void list_files(const char *dir, char ***out, size_t *n, size_t *cap)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		char *path;

		if (de->d_name[0] == '.')
			continue;
		path = join(dir, de->d_name);
		if (is_dir(path)) {
			list_files(path, out, n, cap);
			free(path);
		} else if (mn_parse_accepts(path) && strcmp(de->d_name, "toc.md")) {
			MN_GROW(*out, *n + 1, *cap);
			(*out)[(*n)++] = path;
		} else {
			free(path);
		}
	}
	closedir(d);
}

static int seeds(const char *shared, const char *source, int verbose)
{
	char *truth_dir = join(shared, "truth/seeds"), *corpus_dir = join(source, "corpus");
	struct score scores[6] = { { "speaker", 0, 0, 0 },  { "topics", 0, 0, 0 },
				   { "attendees", 0, 0, 0 }, { "actions", 0, 0, 0 },
				   { "decisions", 0, 0, 0 },  { "reported", 0, 0, 0 } };
	char **files = NULL;
	size_t n = 0, cap = 0, i;
	int dates_ok = 1, ok = 1;
	double f1[6];

	if (!is_dir(truth_dir)) {
		printf("no hand-checked labels at '%s': seed scores skipped\n", truth_dir);
		free(truth_dir);
		free(corpus_dir);
		return 1;
	}
	{
		DIR *d = opendir(truth_dir);
		struct dirent *de;

		while (d && (de = readdir(d)) != NULL) {
			size_t len = strlen(de->d_name);

			if (len > 5 && !strcmp(de->d_name + len - 5, ".json")) {
				MN_GROW(files, n + 1, cap);
				files[n++] = join(truth_dir, de->d_name);
			}
		}
		if (d)
			closedir(d);
	}
	qsort(files, n, sizeof(*files), by_name);
	for (i = 0; i < n; i++) {
		score_file(files[i], corpus_dir, scores, verbose, &dates_ok);
		free(files[i]);
	}
	free(files);
	printf("seed minutes against %s (%zu files):\n", truth_dir, n);
	for (i = 0; i < 6; i++) {
		double p = ratio(scores[i].tp, scores[i].tp + scores[i].fp);
		double r = ratio(scores[i].tp, scores[i].tp + scores[i].fn);

		f1[i] = p + r > 0 ? 2 * p * r / (p + r) : 0;
		printf("  %-10s precision %.3f  recall %.3f  F1 %.3f  (found %ld, extra %ld, missed "
		       "%ld)\n",
		       scores[i].name, p, r, f1[i], scores[i].tp, scores[i].fp, scores[i].fn);
	}
	printf("  dates      %s\n", dates_ok ? "exact" : "DIFFER");
	if (f1[0] < 0.95) {
		printf("  target missed: speaker attribution F1 %.3f < 0.95\n", f1[0]);
		ok = 0;
	}
	if (f1[1] < 0.9) {
		printf("  target missed: topics F1 %.3f < 0.9\n", f1[1]);
		ok = 0;
	}
	if (ratio(scores[2].tp, scores[2].tp + scores[2].fn) < 0.95) {
		printf("  target missed: attendee recall < 0.95\n");
		ok = 0;
	}
	if (ratio(scores[3].tp, scores[3].tp + scores[3].fn) < 0.9) {
		printf("  target missed: action recall < 0.9\n");
		ok = 0;
	}
	if (!dates_ok)
		ok = 0;
	free(truth_dir);
	free(corpus_dir);
	return ok;
}

static int abbreviation(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 2 || n > 6)
		return 0;
	for (i = 0; i < n; i++)
		if (!isupper((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Whether the file states abbr as "(ABBR)" or as a table cell. */
static int stated(const char *text, const char *abbr)
{
	char paren[16], cell[16];
	const char *p;

	snprintf(paren, sizeof(paren), "(%s)", abbr);
	if (strstr(text, paren))
		return 1;
	snprintf(cell, sizeof(cell), " %s ", abbr);
	for (p = text; (p = strstr(p, cell)) != NULL; p++) {
		const char *l = p, *r = p + strlen(cell);

		while (l > text && l[-1] == ' ')
			l--;
		while (*r == ' ')
			r++;
		if (l > text && l[-1] == '|' && *r == '|')
			return 1;
	}
	return 0;
}

static int tc39(const char *shared)
{
	char *dir = join(shared, "corpus/tc39");
	char **files = NULL;
	size_t n = 0, cap = 0, i, k;
	long all = 0, all_ok = 0, st = 0, st_ok = 0;
	double share;

	if (!is_dir(dir)) {
		printf("no TC39 notes at '%s': abbreviation share skipped\n", dir);
		free(dir);
		return 1;
	}
	list_files(dir, &files, &n, &cap);
	free(dir);
	for (i = 0; i < n; i++) {
		struct mn_err err = MN_ERR_INIT;
		struct mn_doc *doc = parse_file(files[i]);
		char *text = NULL;
		size_t len;

		if (doc && !mn_read_file(files[i], 256u << 20, &text, &len, &err)) {
			for (k = 0; k < doc->npassages; k++) {
				const struct mn_passage *p = &doc->passages[k];
				int ok;

				if (!p->speaker_label || !abbreviation(p->speaker_label))
					continue;
				ok = p->nspeakers && strcmp(p->speakers[0], p->speaker_label);
				all++;
				all_ok += ok;
				if (stated(text, p->speaker_label)) {
					st++;
					st_ok += ok;
				}
			}
		}
		free(text);
		mn_doc_free(doc);
		free(files[i]);
	}
	free(files);
	share = ratio(st_ok, st);
	printf("TC39 notes (%zu files): 'ABBR:' lines resolved to a full name: %.4f of all %ld; "
	       "%.4f of the %ld whose abbreviation the file states (target 0.98)\n",
	       n, ratio(all_ok, all), all, share, st);
	return share >= 0.98;
}

/* Names that do not look like a person's: a digit, a common word, too many words. */
static int odd_name(const char *s)
{
	static const char *const common[] = { "the", "a", "an", "and", "or", "of", "to", "in",
					       "on", "for", "with", "is", "are", "this", "that",
					       "it", "we", "they", "yes", "no", "note" };
	char *f = mn_fold(s), *w;
	size_t words = 0, i;
	int odd = 0;

	for (i = 0; s[i]; i++)
		if (isdigit((unsigned char)s[i]))
			odd = 1;
	for (w = strtok(f, " "); w; w = strtok(NULL, " ")) {
		words++;
		for (i = 0; i < sizeof(common) / sizeof(*common); i++)
			if (!strcmp(w, common[i]))
				odd = 1;
	}
	free(f);
	return odd || words > 4 || !words;
}

static void speakers(const char *shared)
{
	static const char *const corpora[] = { "tc39", "nodejs-tsc", "rust-lang-team", "seeds" };
	size_t c;

	for (c = 0; c < sizeof(corpora) / sizeof(*corpora); c++) {
		char *corpus = join(shared, "corpus");
		char *dir = join(corpus, corpora[c]);
		char **files = NULL, **names = NULL;
		size_t n = 0, cap = 0, nn = 0, ncap = 0, i, k, odd = 0;

		free(corpus);
		if (!is_dir(dir)) {
			free(dir);
			continue;
		}
		list_files(dir, &files, &n, &cap);
		free(dir);
		for (i = 0; i < n; i++) {
			struct mn_doc *doc = parse_file(files[i]);

			for (k = 0; doc && k < doc->npassages; k++) {
				const struct mn_passage *p = &doc->passages[k];
				size_t j, s;

				for (s = 0; p->speaker_label && s < p->nspeakers; s++) {
					for (j = 0; j < nn; j++)
						if (!strcmp(names[j], p->speakers[s]))
							break;
					if (j == nn) {
						MN_GROW(names, nn + 1, ncap);
						names[nn++] = mn_xstrdup(p->speakers[s]);
					}
				}
			}
			mn_doc_free(doc);
			free(files[i]);
		}
		free(files);
		qsort(names, nn, sizeof(*names), by_name);
		printf("%s: %zu distinct speakers; names that do not look like people:", corpora[c],
		       nn);
		for (i = 0; i < nn; i++) {
			if (odd_name(names[i])) {
				printf(" '%s'", names[i]);
				odd++;
			}
			free(names[i]);
		}
		printf("%s\n", odd ? "" : " none");
		free(names);
	}
}

int main(int argc, char **argv)
{
	const char *source = MN_SOURCE_DIR;
	char *shared = join(source, "../shared");
	int verbose = 0, ok = 1, i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-v")) {
			verbose = 1;
		} else {
			free(shared);
			shared = mn_xstrdup(argv[i]);
		}
	}
	if (!is_dir(shared)) {
		printf("parse_quality: no '%s' here (the shared corpus and labels); nothing to "
		       "measure\n",
		       shared);
		free(shared);
		return 0;
	}
	ok &= seeds(shared, source, verbose);
	ok &= tc39(shared);
	speakers(shared);
	free(shared);
	return ok ? 0 : 1;
}
