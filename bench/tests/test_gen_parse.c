/*
 * The generator writes what the parser reads: generated minutes, parsed by
 * `minutes-index --parse --format jsonl`, have their dates, attendees,
 * topics, speakers (resolved to full names where the minutes give them),
 * actions and decisions, in every format, and about the passages the
 * generator's --help promises.
 *
 * usage: test_gen_parse MINUTES_BENCH_GEN MINUTES_INDEX
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MEETINGS	     80
#define PASSAGES_PER_MEETING 66 /* as in gen.c's --help */

static int failures;

static void check(int ok, const char *what, const char *path)
{
	if (ok)
		return;
	failures++;
	if (failures <= 20)
		fprintf(stderr, "FAIL: %s: %s\n", path, what);
}

/* The format the parser should report for a file name's extension. */
static const char *format_of(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (!dot)
		return "?";
	if (!strcmp(dot, ".md"))
		return "markdown";
	if (!strcmp(dot, ".txt"))
		return "text";
	if (!strcmp(dot, ".vtt"))
		return "webvtt";
	if (!strcmp(dot, ".log"))
		return "irc";
	if (!strcmp(dot, ".html"))
		return "html";
	return "?";
}

struct totals {
	long files, passages, with_speaker, full_name_speakers, utterances;
	long kinds[5]; /* utterance reported action decision note */
	long per_format[5];
	long year_series;
	long generated_passages;
};

static int kind_index(const char *k)
{
	static const char *const kinds[] = {"utterance", "reported", "action", "decision", "note"};
	int i;

	for (i = 0; i < 5; i++)
		if (!strcmp(k, kinds[i]))
			return i;
	return -1;
}

static void check_file(json_t *doc, struct totals *t)
{
	const char *path = json_string_value(json_object_get(doc, "path"));
	const char *format = json_string_value(json_object_get(doc, "format"));
	const char *series = json_string_value(json_object_get(doc, "series"));
	json_t *dates = json_object_get(doc, "dates"), *passages = json_object_get(doc, "passages");
	json_t *att = json_object_get(doc, "attendees"), *topics = json_object_get(doc, "topics");
	const char *base;
	char want_date[16];
	size_t i, n, speakers = 0;
	static const char *const formats[] = {"markdown", "text", "webvtt", "irc", "html"};

	if (!path || !format) {
		check(0, "no path or format", "?");
		return;
	}
	t->files++;
	for (i = 0; i < 5; i++)
		if (!strcmp(format, formats[i]))
			t->per_format[i]++;
	check(!strcmp(format, format_of(path)), "format does not match the extension", path);
	/* The date is the file's name: .../YYYY-MM-DD.ext */
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	snprintf(want_date, sizeof(want_date), "%.10s", base);
	check(json_array_size(dates) >= 1 &&
		  !strcmp(json_string_value(json_array_get(dates, 0)), want_date),
	      "the meeting's date is not the one written", path);
	check(series && *series, "no series", path);
	if (series && strlen(series) == 4 && strspn(series, "0123456789") == 4)
		t->year_series++;
	check(json_array_size(att) >= 3, "fewer than 3 attendees", path);
	if (strcmp(format, "webvtt"))
		check(json_array_size(topics) >= 1, "no topic", path);
	n = json_array_size(passages);
	check(n >= 10, "fewer than 10 passages", path);
	t->passages += (long)n;
	for (i = 0; i < n; i++) {
		json_t *p = json_array_get(passages, i);
		const char *kind = json_string_value(json_object_get(p, "kind"));
		const char *sp = json_string_value(json_object_get(p, "speaker"));
		int k = kind ? kind_index(kind) : -1;

		if (k >= 0)
			t->kinds[k]++;
		if (sp) {
			speakers++;
			t->with_speaker++;
			if (strchr(sp, ' '))
				t->full_name_speakers++;
		}
		if (k == 0)
			t->utterances++;
	}
	check(speakers >= 3, "fewer than 3 passages have a speaker", path);
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/minutes-bench-parse-XXXXXX", cmd[8192], *line = NULL, *p;
	struct totals t;
	size_t cap = 0;
	FILE *f;
	int rc;

	if (argc != 3) {
		fputs("usage: test_gen_parse MINUTES_BENCH_GEN MINUTES_INDEX\n", stderr);
		return 2;
	}
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 2;
	}
	memset(&t, 0, sizeof(t));
	snprintf(cmd, sizeof(cmd), "'%s' --meetings %d --seed 3 --out '%s/c'", argv[1], MEETINGS,
		 dir);
	f = popen(cmd, "r");
	if (!f || getline(&line, &cap, f) < 0 || pclose(f)) {
		fprintf(stderr, "FAIL: %s\n", cmd);
		return 1;
	}
	p = strstr(line, "about ");
	t.generated_passages = p ? atol(p + 6) : 0;
	snprintf(cmd, sizeof(cmd), "find '%s/c' -type f | sort | xargs '%s' --parse --format jsonl",
		 dir, argv[2]);
	f = popen(cmd, "r");
	if (!f) {
		perror("popen");
		return 2;
	}
	while (getline(&line, &cap, f) > 0) {
		json_error_t jerr;
		json_t *doc = json_loads(line, 0, &jerr);

		check(doc != NULL, jerr.text, "jsonl line");
		if (doc)
			check_file(doc, &t);
		json_decref(doc);
	}
	rc = pclose(f);
	check(rc == 0, "minutes-index --parse failed", cmd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		fprintf(stderr, "cannot remove '%s'\n", dir);

	check(t.files == MEETINGS, "not every file was parsed", "all");
	check(t.per_format[0] && t.per_format[1] && t.per_format[2] && t.per_format[3] &&
		  t.per_format[4],
	      "a format is missing", "all");
	check(t.kinds[0] && t.kinds[1] && t.kinds[2] && t.kinds[3] && t.kinds[4],
	      "a kind of passage (utterance reported action decision note) is missing", "all");
	check(t.kinds[2] >= MEETINGS, "fewer actions than meetings", "all");
	check(t.with_speaker * 100 >= t.passages * 35,
	      "fewer than 35% of the passages have a speaker", "all");
	/* Handles (triage notes, IRC) stay handles; the rest resolve to full names. */
	check(t.full_name_speakers * 2 >= t.with_speaker,
	      "fewer than half of the speakers resolved to a full name", "all");
	check(t.passages >= (long)MEETINGS * PASSAGES_PER_MEETING * 2 / 3 &&
		  t.passages <= (long)MEETINGS * PASSAGES_PER_MEETING * 4 / 3,
	      "passages per meeting far from what --help says", "all");
	check(labs(t.passages - t.generated_passages) * 10 <= t.passages,
	      "the generator's passage estimate is off by more than 10%", "all");
	printf("%ld files (md %ld, txt %ld, vtt %ld, log %ld, html %ld), %ld passages (generator "
	       "said about %ld, %.1f per meeting)\n",
	       t.files, t.per_format[0], t.per_format[1], t.per_format[2], t.per_format[3],
	       t.per_format[4], t.passages, t.generated_passages, (double)t.passages / MEETINGS);
	printf("kinds: %ld utterance, %ld reported, %ld action, %ld decision, %ld note; "
	       "%ld with a speaker, %ld of them a full name\n",
	       t.kinds[0], t.kinds[1], t.kinds[2], t.kinds[3], t.kinds[4], t.with_speaker,
	       t.full_name_speakers);
	/* A year folder (<series>/<YYYY>/) is a date, never the series. */
	check(t.year_series == 0, "a bare year taken as a meeting's series", "all");
	free(line);
	if (failures)
		fprintf(stderr, "%d failures\n", failures);
	return failures ? 1 : 0;
}
