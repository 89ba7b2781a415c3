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

int mn_json_dumpf(const json_t *j, FILE *out)
{
	return json_dumpf(j, out, JSON_FLAGS);
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

json_t *mn_hit_to_json(const struct mn_hit *hit)
{
	json_t *o = json_object();
	json_t *meeting = json_object();
	json_t *hl = json_array();
	size_t i;

	json_object_set_new(o, "path", json_string(hit->path));
	json_object_set_new(o, "line", json_integer(hit->line));
	json_object_set_new(o, "end_line", json_integer(hit->end_line));
	json_object_set_new(o, "column", json_integer(hit->column));
	json_object_set_new(o, "match_line", json_integer(hit->match_line));
	json_object_set_new(o, "match_column", json_integer(hit->match_column));
	json_object_set_new(meeting, "title", str_or_null(hit->title));
	json_object_set_new(meeting, "date", str_or_null(hit->date));
	json_object_set_new(meeting, "series", str_or_null(hit->series));
	json_object_set_new(o, "meeting", meeting);
	json_object_set_new(o, "speaker", str_or_null(hit->speaker));
	json_object_set_new(o, "speaker_label", str_or_null(hit->speaker_label));
	json_object_set_new(o, "topic",
			    str_or_null(hit->ntopic_path ? hit->topic_path[hit->ntopic_path - 1]
							 : NULL));
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

static json_t *summary_object(struct mn_printer *p, const struct mn_results *res)
{
	json_t *o = json_object();

	json_object_set_new(o, "format_version", json_integer(MN_FORMAT_VERSION));
	json_object_set_new(o, "query", json_string(p->info.query ? p->info.query : ""));
	json_object_set_new(o, "total", json_integer(res->total));
	json_object_set_new(o, "offset", json_integer((json_int_t)p->info.offset));
	json_object_set_new(o, "limit", json_integer((json_int_t)p->info.limit));
	json_object_set_new(o, "took_ms", json_real(round_ms(res->took_ms)));
	return o;
}

static void json_end(struct mn_printer *p, const struct mn_results *res)
{
	json_t *o = summary_object(p, res);

	json_object_set_new(o, "hits", p->state ? p->state : json_array());
	p->state = NULL;
	json_object_set_new(o, "facets", json_object());
	json_object_set_new(o, "suggestion", json_null());
	mn_json_dumpf(o, p->out);
	fputc('\n', p->out);
	json_decref(o);
}

static void json_destroy(struct mn_printer *p)
{
	json_decref(p->state);
}

static const struct mn_printer_ops json_ops = { json_begin, json_hit, json_end, json_destroy };

/* ---- jsonl: a line per hit as it comes, then a summary line ------------- */

static void jsonl_hit(struct mn_printer *p, const struct mn_hit *hit)
{
	json_t *o = json_object();
	json_t *h = mn_hit_to_json(hit);

	json_object_set_new(o, "type", json_string("hit"));
	json_object_update(o, h);
	json_decref(h);
	mn_json_dumpf(o, p->out);
	fputc('\n', p->out);
	fflush(p->out);
	json_decref(o);
}

static void jsonl_end(struct mn_printer *p, const struct mn_results *res)
{
	json_t *o = json_object();
	json_t *summary = summary_object(p, res);

	json_object_set_new(o, "type", json_string("summary"));
	json_object_update(o, summary);
	json_decref(summary);
	json_object_set_new(o, "facets", json_object());
	json_object_set_new(o, "suggestion", json_null());
	mn_json_dumpf(o, p->out);
	fputc('\n', p->out);
	json_decref(o);
}

static void nothing(struct mn_printer *p)
{
	(void)p;
}

static const struct mn_printer_ops jsonl_ops = { nothing, jsonl_hit, jsonl_end, nothing };

/* ---- text: for people ---------------------------------------------------- */

#define C_RESET "\x1b[0m"
#define C_PATH "\x1b[35m"
#define C_LINE "\x1b[32m"
#define C_DIM "\x1b[2m"
#define C_SPEAKER "\x1b[1;36m"
#define C_MATCH "\x1b[1;31m"

static void color(struct mn_printer *p, const char *code)
{
	if (p->info.color)
		fputs(code, p->out);
}

static void text_hit(struct mn_printer *p, const struct mn_hit *hit)
{
	size_t i, pos = 0;

	if (p->printed)
		fputc('\n', p->out);
	color(p, C_PATH);
	fputs(hit->path, p->out);
	color(p, C_RESET);
	fputc(':', p->out);
	color(p, C_LINE);
	fprintf(p->out, "%d", hit->match_line);
	color(p, C_RESET);
	fputc('\n', p->out);

	color(p, C_DIM);
	fprintf(p->out, "  %s", hit->title ? hit->title : "(untitled)");
	if (hit->date)
		fprintf(p->out, " \xc2\xb7 %s", hit->date);
	if (hit->ntopic_path)
		fprintf(p->out, " \xc2\xb7 %s", hit->topic_path[hit->ntopic_path - 1]);
	color(p, C_RESET);
	fputc('\n', p->out);

	fputs("  ", p->out);
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

static void text_end(struct mn_printer *p, const struct mn_results *res)
{
	if (!p->printed) {
		if (res->total)
			fprintf(p->out, "no hits on this page (%lld in all)\n", (long long)res->total);
		return;
	}
	fputc('\n', p->out);
	color(p, C_DIM);
	fprintf(p->out, "%zu-%zu of %lld hits\n", p->info.offset + 1, p->info.offset + p->printed,
		(long long)res->total);
	color(p, C_RESET);
}

static const struct mn_printer_ops text_ops = { nothing, text_hit, text_end, nothing };

/* ---- vimgrep: path:line:column:text, for quickfix lists ------------------ */

static void vimgrep_hit(struct mn_printer *p, const struct mn_hit *hit)
{
	fprintf(p->out, "%s:%d:%d:%s\n", hit->path, hit->match_line, hit->match_column,
		hit->snippet);
}

static void vimgrep_end(struct mn_printer *p, const struct mn_results *res)
{
	(void)p;
	(void)res;
}

static const struct mn_printer_ops vimgrep_ops = { nothing, vimgrep_hit, vimgrep_end, nothing };

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
