#include "mn_print.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define JSON_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(12))

int mn_format_from_name(const char *name)
{
	if (!strcmp(name, "text"))
		return MN_FORMAT_TEXT;
	if (!strcmp(name, "json"))
		return MN_FORMAT_JSON;
	if (!strcmp(name, "jsonl"))
		return MN_FORMAT_JSONL;
	if (!strcmp(name, "vimgrep"))
		return MN_FORMAT_VIMGREP;
	return -1;
}

static int to_buf(const char *text, size_t n, void *ctx)
{
	mn_buf_add(ctx, text, n);
	return 0;
}

/*
 * Dumped into memory, then written at once: jansson hands its output over
 * in pieces of a few bytes, and a FILE takes its lock for each.
 */
int mn_json_dumpf(const json_t *j, FILE *out)
{
	struct mn_buf b = MN_BUF_INIT;
	int rc = json_dump_callback(j, to_buf, &b, JSON_FLAGS);

	if (!rc && b.len && fwrite(b.data, 1, b.len, out) != b.len)
		rc = -1;
	mn_buf_release(&b);
	return rc;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *strv(char *const *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static json_t *meeting_json(const char *title, const char *date, const char *series)
{
	json_t *m = json_object();

	json_object_set_new(m, "title", str_or_null(title));
	json_object_set_new(m, "date", str_or_null(date));
	json_object_set_new(m, "series", str_or_null(series));
	return m;
}

json_t *mn_hit_to_json(const struct mn_hit *hit)
{
	json_t *o = json_object();
	json_t *meeting = meeting_json(hit->title, hit->date, hit->series);
	json_t *hl = json_array();
	size_t i;

	json_object_set_new(o, "path", json_string(hit->path));
	json_object_set_new(o, "line", json_integer(hit->line));
	json_object_set_new(o, "end_line", json_integer(hit->end_line));
	json_object_set_new(o, "column", json_integer(hit->column));
	json_object_set_new(o, "match_line", json_integer(hit->match_line));
	json_object_set_new(o, "match_column", json_integer(hit->match_column));
	json_object_set_new(o, "meeting", meeting);
	json_object_set_new(o, "speaker", str_or_null(hit->speaker));
	json_object_set_new(o, "speaker_label", str_or_null(hit->speaker_label));
	json_object_set_new(
	    o, "topic",
	    str_or_null(hit->ntopic_path ? hit->topic_path[hit->ntopic_path - 1] : NULL));
	json_object_set_new(o, "topic_path", strv(hit->topic_path, hit->ntopic_path));
	json_object_set_new(o, "kind", json_string(mn_kind_name(hit->kind)));
	json_object_set_new(o, "owners", strv(hit->owners, hit->nowners));
	json_object_set_new(o, "score", json_real(hit->score));
	json_object_set_new(o, "snippet", json_string(hit->snippet));
	for (i = 0; i < hit->nhighlights; i++) {
		json_t *r = json_array();

		json_array_append_new(r, json_integer((json_int_t)hit->highlights[i].start));
		json_array_append_new(r, json_integer((json_int_t)hit->highlights[i].end));
		json_array_append_new(hl, r);
	}
	json_object_set_new(o, "highlights", hl);
	return o;
}

json_t *mn_group_to_json(const struct mn_group *group)
{
	json_t *o = json_object();
	json_t *hits = json_array();
	size_t i;

	json_object_set_new(o, "path", json_string(group->path));
	json_object_set_new(o, "meeting", meeting_json(group->title, group->date, group->series));
	json_object_set_new(o, "hit_count", json_integer(group->count));
	json_object_set_new(o, "score", json_real(group->score));
	for (i = 0; i < group->nhits; i++)
		json_array_append_new(hits, mn_hit_to_json(&group->hits[i]));
	json_object_set_new(o, "hits", hits);
	return o;
}

json_t *mn_facets_to_json(const struct mn_facets *facets)
{
	json_t *o = json_object();
	size_t i, k;

	for (i = 0; i < facets->n; i++) {
		const struct mn_facet *f = &facets->items[i];
		json_t *values = json_array();

		for (k = 0; k < f->nvalues; k++) {
			json_t *v = json_object();

			json_object_set_new(v, "value", json_string(f->values[k].value));
			json_object_set_new(v, "count", json_integer(f->values[k].count));
			json_object_set_new(v, "filter", json_string(f->values[k].filter));
			json_array_append_new(values, v);
		}
		json_object_set_new(o, mn_facet_name(f->field), values);
	}
	return o;
}

static double round_ms(double ms)
{
	return round(ms * 1000.0) / 1000.0;
}

/* ---- json: one object, hits gathered until the total is known ----------- */

static void json_begin(struct mn_printer *p)
{
	p->state = json_array();
}

static void json_hit(struct mn_printer *p, const struct mn_hit *hit)
{
	json_array_append_new(p->state, mn_hit_to_json(hit));
}

static void json_group(struct mn_printer *p, const struct mn_group *group)
{
	json_array_append_new(p->state, mn_group_to_json(group));
}

/* The top-level keys before "hits", in their fixed order. */
static json_t *summary_object(struct mn_printer *p, const struct mn_results *res)
{
	json_t *o = json_object();

	json_object_set_new(o, "format_version", json_integer(MN_FORMAT_VERSION));
	json_object_set_new(o, "query", json_string(p->info.query ? p->info.query : ""));
	json_object_set_new(o, "total", json_integer(res->total));
	if (p->info.grouped) {
		json_object_set_new(o, "group", json_string("meeting"));
		json_object_set_new(o, "total_hits", json_integer(res->passages));
	}
	json_object_set_new(o, "offset", json_integer((json_int_t)p->info.offset));
	json_object_set_new(o, "limit", json_integer((json_int_t)p->info.limit));
	json_object_set_new(o, "took_ms", json_real(round_ms(res->took_ms)));
	return o;
}

/* The keys after "hits". */
static void add_extras(json_t *o, const struct mn_results *res)
{
	json_object_set_new(o, "facets", mn_facets_to_json(&res->facets));
	json_object_set_new(o, "suggestion", str_or_null(res->suggestion));
}

static void json_end(struct mn_printer *p, const struct mn_results *res)
{
	json_t *o = summary_object(p, res);

	json_object_set_new(o, "hits", p->state ? p->state : json_array());
	p->state = NULL;
	add_extras(o, res);
	mn_json_dumpf(o, p->out);
	fputc('\n', p->out);
	json_decref(o);
}

static void json_destroy(struct mn_printer *p)
{
	json_decref(p->state);
}

static const struct mn_printer_ops json_ops = {json_begin, json_hit, json_group, json_end,
					       json_destroy};

/* ---- jsonl: a line per hit as it comes, then a summary line ------------- */

static void jsonl_line(struct mn_printer *p, const char *type, json_t *body)
{
	json_t *o = json_object();

	json_object_set_new(o, "type", json_string(type));
	json_object_update(o, body);
	json_decref(body);
	mn_json_dumpf(o, p->out);
	fputc('\n', p->out);
	fflush(p->out);
	json_decref(o);
}

static void jsonl_hit(struct mn_printer *p, const struct mn_hit *hit)
{
	jsonl_line(p, "hit", mn_hit_to_json(hit));
}

static void jsonl_group(struct mn_printer *p, const struct mn_group *group)
{
	jsonl_line(p, "meeting", mn_group_to_json(group));
}

static void jsonl_end(struct mn_printer *p, const struct mn_results *res)
{
	json_t *summary = summary_object(p, res);

	add_extras(summary, res);
	jsonl_line(p, "summary", summary);
}

static void nothing(struct mn_printer *p)
{
	(void)p;
}

static const struct mn_printer_ops jsonl_ops = {nothing, jsonl_hit, jsonl_group, jsonl_end,
						nothing};

/* ---- text: for people ---------------------------------------------------- */

#define C_RESET	  "\x1b[0m"
#define C_PATH	  "\x1b[35m"
#define C_LINE	  "\x1b[32m"
#define C_DIM	  "\x1b[2m"
#define C_SPEAKER "\x1b[1;36m"
#define C_MATCH	  "\x1b[1;31m"

static void color(struct mn_printer *p, const char *code)
{
	if (p->info.color)
		fputs(code, p->out);
}

/* "path:line", for terminals and editors to jump to. */
static void text_location(struct mn_printer *p, const char *path, int line)
{
	color(p, C_PATH);
	fputs(path, p->out);
	color(p, C_RESET);
	fputc(':', p->out);
	color(p, C_LINE);
	fprintf(p->out, "%d", line);
	color(p, C_RESET);
	fputc('\n', p->out);
}

/* The speaker and the snippet with its matches marked, after what the caller printed. */
static void text_snippet(struct mn_printer *p, const struct mn_hit *hit)
{
	size_t i, pos = 0;

	if (hit->speaker || hit->speaker_label) {
		color(p, C_SPEAKER);
		fputs(hit->speaker ? hit->speaker : hit->speaker_label, p->out);
		color(p, C_RESET);
		fputs(": ", p->out);
	}
	for (i = 0; i < hit->nhighlights; i++) {
		const struct mn_range *r = &hit->highlights[i];

		fwrite(hit->snippet + pos, 1, r->start - pos, p->out);
		color(p, C_MATCH);
		fwrite(hit->snippet + r->start, 1, r->end - r->start, p->out);
		color(p, C_RESET);
		pos = r->end;
	}
	fputs(hit->snippet + pos, p->out);
	fputc('\n', p->out);
}

static void text_hit(struct mn_printer *p, const struct mn_hit *hit)
{
	if (p->printed)
		fputc('\n', p->out);
	text_location(p, hit->path, hit->match_line);
	color(p, C_DIM);
	fprintf(p->out, "  %s", hit->title ? hit->title : "(untitled)");
	if (hit->date)
		fprintf(p->out, " \xc2\xb7 %s", hit->date);
	if (hit->ntopic_path)
		fprintf(p->out, " \xc2\xb7 %s", hit->topic_path[hit->ntopic_path - 1]);
	color(p, C_RESET);
	fputc('\n', p->out);
	fputs("  ", p->out);
	text_snippet(p, hit);
}

static void text_group(struct mn_printer *p, const struct mn_group *group)
{
	size_t i;

	if (p->printed)
		fputc('\n', p->out);
	text_location(p, group->path, group->nhits ? group->hits[0].match_line : 1);
	color(p, C_DIM);
	fprintf(p->out, "  %s", group->title ? group->title : "(untitled)");
	if (group->date)
		fprintf(p->out, " \xc2\xb7 %s", group->date);
	fprintf(p->out, " \xc2\xb7 %lld %s", (long long)group->count,
		group->count == 1 ? "hit" : "hits");
	color(p, C_RESET);
	fputc('\n', p->out);
	for (i = 0; i < group->nhits; i++) {
		fputs("  ", p->out);
		color(p, C_LINE);
		fprintf(p->out, "%d", group->hits[i].match_line);
		color(p, C_RESET);
		fputs(": ", p->out);
		text_snippet(p, &group->hits[i]);
	}
}

static void text_facets(struct mn_printer *p, const struct mn_facets *facets)
{
	size_t i, k;

	for (i = 0; i < facets->n; i++) {
		const struct mn_facet *f = &facets->items[i];

		color(p, C_DIM);
		fprintf(p->out, "%s:", mn_facet_name(f->field));
		color(p, C_RESET);
		if (!f->nvalues)
			fputs(" (none)", p->out);
		for (k = 0; k < f->nvalues; k++)
			fprintf(p->out, "%s %s (%lld)", k ? "," : "", f->values[k].value,
				(long long)f->values[k].count);
		fputc('\n', p->out);
	}
}

static void text_end(struct mn_printer *p, const struct mn_results *res)
{
	const char *unit = p->info.grouped ? (res->total == 1 ? "meeting" : "meetings")
					   : (res->total == 1 ? "hit" : "hits");

	if (p->printed) {
		fputc('\n', p->out);
		color(p, C_DIM);
		fprintf(p->out, "%zu-%zu of %lld %s", p->info.offset + 1,
			p->info.offset + p->printed, (long long)res->total, unit);
		if (p->info.grouped)
			fprintf(p->out, " (%lld %s)", (long long)res->passages,
				res->passages == 1 ? "hit" : "hits");
		fputc('\n', p->out);
		color(p, C_RESET);
	} else if (res->total) {
		fprintf(p->out, "no %s on this page (%lld in all)\n", unit, (long long)res->total);
	}
	if (res->facets.n) {
		if (p->printed || res->total)
			fputc('\n', p->out);
		text_facets(p, &res->facets);
	}
	if (res->suggestion)
		fprintf(p->out, "%sdid you mean: %s (%lld %s)\n",
			p->printed || res->total || res->facets.n ? "\n" : "", res->suggestion,
			(long long)res->suggestion_hits,
			res->suggestion_hits == 1 ? "hit" : "hits");
}

static const struct mn_printer_ops text_ops = {nothing, text_hit, text_group, text_end, nothing};

/* ---- vimgrep: path:line:column:text, for quickfix lists ------------------ */

static void vimgrep_hit(struct mn_printer *p, const struct mn_hit *hit)
{
	fprintf(p->out, "%s:%d:%d:%s\n", hit->path, hit->match_line, hit->match_column,
		hit->snippet);
}

/* A meeting is its hits, each one a quickfix entry. */
static void vimgrep_group(struct mn_printer *p, const struct mn_group *group)
{
	size_t i;

	for (i = 0; i < group->nhits; i++)
		vimgrep_hit(p, &group->hits[i]);
}

static void vimgrep_end(struct mn_printer *p, const struct mn_results *res)
{
	(void)p;
	(void)res;
}

static const struct mn_printer_ops vimgrep_ops = {nothing, vimgrep_hit, vimgrep_group, vimgrep_end,
						  nothing};

struct mn_printer *mn_printer_new(enum mn_format format, FILE *out,
				  const struct mn_print_info *info)
{
	struct mn_printer *p = mn_xcalloc(1, sizeof(*p));

	switch (format) {
	case MN_FORMAT_JSON:
		p->ops = &json_ops;
		break;
	case MN_FORMAT_JSONL:
		p->ops = &jsonl_ops;
		break;
	case MN_FORMAT_VIMGREP:
		p->ops = &vimgrep_ops;
		break;
	default:
		p->ops = &text_ops;
		break;
	}
	p->out = out;
	p->info = *info;
	return p;
}

void mn_printer_begin(struct mn_printer *p)
{
	p->ops->begin(p);
}

void mn_printer_hit(struct mn_printer *p, const struct mn_hit *hit)
{
	p->ops->hit(p, hit);
	p->printed++;
}

void mn_printer_group(struct mn_printer *p, const struct mn_group *group)
{
	p->ops->group(p, group);
	p->printed++;
}

void mn_printer_end(struct mn_printer *p, const struct mn_results *res)
{
	p->ops->end(p, res);
	fflush(p->out);
}

void mn_printer_free(struct mn_printer *p)
{
	if (!p)
		return;
	p->ops->destroy(p);
	free(p);
}
