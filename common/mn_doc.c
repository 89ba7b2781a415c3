#include "mn_doc.h"

#include <stdlib.h>
#include <string.h>

static const char *const kind_names[MN_KIND_COUNT] = {
    [MN_KIND_NOTE] = "note",	 [MN_KIND_UTTERANCE] = "utterance", [MN_KIND_REPORTED] = "reported",
    [MN_KIND_ACTION] = "action", [MN_KIND_DECISION] = "decision",
};

const char *mn_kind_name(enum mn_kind kind)
{
	return (unsigned)kind < MN_KIND_COUNT ? kind_names[kind] : "note";
}

int mn_kind_from_name(const char *name)
{
	int i;

	for (i = 0; i < MN_KIND_COUNT; i++)
		if (!strcmp(kind_names[i], name))
			return i;
	return -1;
}

static const char *const topic_kind_names[MN_TOPIC_KIND_COUNT] = {
    [MN_TOPIC_SECTION] = "section",   [MN_TOPIC_SESSION] = "session",
    [MN_TOPIC_HEADING] = "heading",   [MN_TOPIC_ITEM] = "item",
    [MN_TOPIC_SUBTOPIC] = "subtopic",
};

const char *mn_topic_kind_name(enum mn_topic_kind kind)
{
	return (unsigned)kind < MN_TOPIC_KIND_COUNT ? topic_kind_names[kind] : "heading";
}

struct mn_doc *mn_doc_new(const char *path)
{
	struct mn_doc *doc = mn_xcalloc(1, sizeof(*doc));

	doc->path = mn_arena_strdup(&doc->arena, path);
	doc->format = "text";
	return doc;
}

void mn_doc_free(struct mn_doc *doc)
{
	if (!doc)
		return;
	free(doc->passages);
	free(doc->attendees);
	free(doc->topics);
	mn_arena_release(&doc->arena);
	free(doc);
}

const char *mn_passage_topic(const struct mn_passage *p)
{
	return p->ntopic_path ? p->topic_path[p->ntopic_path - 1] : NULL;
}

const char *mn_passage_speaker(const struct mn_passage *p)
{
	return p->nspeakers ? p->speakers[0] : NULL;
}

struct mn_passage *mn_doc_add_passage(struct mn_doc *doc)
{
	struct mn_passage *p;

	MN_GROW(doc->passages, doc->npassages + 1, doc->passages_cap);
	p = &doc->passages[doc->npassages++];
	memset(p, 0, sizeof(*p));
	return p;
}

struct mn_topic *mn_doc_add_topic(struct mn_doc *doc)
{
	struct mn_topic *t;

	MN_GROW(doc->topics, doc->ntopics + 1, doc->topics_cap);
	t = &doc->topics[doc->ntopics++];
	memset(t, 0, sizeof(*t));
	return t;
}

struct mn_attendee *mn_doc_add_attendee(struct mn_doc *doc)
{
	struct mn_attendee *a;

	MN_GROW(doc->attendees, doc->nattendees + 1, doc->attendees_cap);
	a = &doc->attendees[doc->nattendees++];
	memset(a, 0, sizeof(*a));
	return a;
}

const char **mn_doc_strv(struct mn_doc *doc, const char *const *v, size_t n)
{
	const char **out;
	size_t i;

	if (!n)
		return NULL;
	out = mn_arena_alloc(&doc->arena, n * sizeof(*out));
	for (i = 0; i < n; i++)
		out[i] = mn_arena_strdup(&doc->arena, v[i]);
	return out;
}

void mn_doc_add_date(struct mn_doc *doc, const char *date)
{
	const char **dates;
	size_t i;

	for (i = 0; i < doc->ndates; i++)
		if (!strcmp(doc->dates[i], date))
			return;
	dates = mn_arena_alloc(&doc->arena, (doc->ndates + 1) * sizeof(*dates));
	if (doc->ndates)
		memcpy(dates, doc->dates, doc->ndates * sizeof(*dates));
	dates[doc->ndates++] = mn_arena_strdup(&doc->arena, date);
	doc->dates = dates;
}

static json_t *string_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *strv_json(const char *const *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

json_t *mn_doc_to_json(const struct mn_doc *doc)
{
	json_t *o = json_object();
	json_t *attendees = json_array();
	json_t *passages = json_array();
	size_t i;

	json_object_set_new(o, "path", json_string(doc->path));
	json_object_set_new(o, "format", json_string(doc->format));
	json_object_set_new(o, "title", string_or_null(doc->title));
	json_object_set_new(o, "series", string_or_null(doc->series));
	json_object_set_new(o, "dates", strv_json(doc->dates, doc->ndates));
	for (i = 0; i < doc->nattendees; i++) {
		const struct mn_attendee *a = &doc->attendees[i];
		json_t *ao = json_object();

		json_object_set_new(ao, "name", json_string(a->name));
		json_object_set_new(ao, "org", string_or_null(a->org));
		json_object_set_new(ao, "aliases", strv_json(a->aliases, a->naliases));
		json_object_set_new(ao, "line", json_integer(a->line));
		json_array_append_new(attendees, ao);
	}
	json_object_set_new(o, "attendees", attendees);
	{
		json_t *topics = json_array();

		for (i = 0; i < doc->ntopics; i++) {
			const struct mn_topic *t = &doc->topics[i];
			json_t *to = json_object();

			json_object_set_new(to, "line", json_integer(t->line));
			json_object_set_new(to, "title", json_string(t->title));
			json_object_set_new(to, "level", json_integer(t->level));
			json_object_set_new(to, "kind", json_string(mn_topic_kind_name(t->kind)));
			json_object_set_new(to, "parent_line",
					    t->parent_line ? json_integer(t->parent_line)
							   : json_null());
			json_array_append_new(topics, to);
		}
		json_object_set_new(o, "topics", topics);
	}
	for (i = 0; i < doc->npassages; i++) {
		const struct mn_passage *p = &doc->passages[i];
		json_t *po = json_object();

		json_object_set_new(po, "line", json_integer(p->line));
		json_object_set_new(po, "end_line", json_integer(p->end_line));
		json_object_set_new(po, "column", json_integer(p->col));
		json_object_set_new(po, "kind", json_string(mn_kind_name(p->kind)));
		json_object_set_new(po, "speaker", string_or_null(mn_passage_speaker(p)));
		json_object_set_new(po, "speakers", strv_json(p->speakers, p->nspeakers));
		json_object_set_new(po, "speaker_label", string_or_null(p->speaker_label));
		json_object_set_new(po, "topic", string_or_null(mn_passage_topic(p)));
		json_object_set_new(po, "topic_path", strv_json(p->topic_path, p->ntopic_path));
		json_object_set_new(po, "date", string_or_null(p->date));
		json_object_set_new(po, "time", string_or_null(p->time));
		json_object_set_new(po, "owners", strv_json(p->owners, p->nowners));
		json_object_set_new(po, "text", json_string(p->text));
		json_array_append_new(passages, po);
	}
	json_object_set_new(o, "passages", passages);
	return o;
}

static void outline_list(FILE *out, const char *const *v, size_t n)
{
	size_t i;

	fputc('[', out);
	for (i = 0; i < n; i++)
		fprintf(out, "%s%s", i ? ", " : "", v[i]);
	fputc(']', out);
}

/* Up to max bytes of s on one line, cut on a character boundary. */
static void outline_text(FILE *out, const char *s, size_t max)
{
	size_t n = strlen(s), i;

	if (n > max) {
		n = max;
		while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	fputc('"', out);
	for (i = 0; i < n; i++)
		fputc(s[i] == '\n' ? ' ' : s[i], out);
	fputs(strlen(s) > n ? "...\"" : "\"", out);
}

void mn_doc_outline(const struct mn_doc *doc, FILE *out)
{
	size_t i;

	fprintf(out, "file %s\nformat %s\n", doc->path, doc->format);
	fprintf(out, "title %s\nseries %s\ndates ", doc->title ? doc->title : "-",
		doc->series ? doc->series : "-");
	outline_list(out, doc->dates, doc->ndates);
	fputc('\n', out);
	for (i = 0; i < doc->nattendees; i++) {
		const struct mn_attendee *a = &doc->attendees[i];

		fprintf(out, "attendee %d %s | %s | ", a->line, a->name, a->org ? a->org : "-");
		outline_list(out, a->aliases, a->naliases);
		fputc('\n', out);
	}
	for (i = 0; i < doc->ntopics; i++) {
		const struct mn_topic *t = &doc->topics[i];

		fprintf(out, "topic %d %s level %d parent %d %s\n", t->line,
			mn_topic_kind_name(t->kind), t->level, t->parent_line, t->title);
	}
	for (i = 0; i < doc->npassages; i++) {
		const struct mn_passage *p = &doc->passages[i];

		fprintf(out, "passage %d-%d:%d %s", p->line, p->end_line, p->col,
			mn_kind_name(p->kind));
		if (p->nspeakers) {
			fputs(" by ", out);
			outline_list(out, p->speakers, p->nspeakers);
		}
		if (p->speaker_label)
			fprintf(out, " label '%s'", p->speaker_label);
		if (p->nowners) {
			fputs(" owners ", out);
			outline_list(out, p->owners, p->nowners);
		}
		if (p->ntopic_path)
			fprintf(out, " topic '%s'", p->topic_path[p->ntopic_path - 1]);
		if (p->date)
			fprintf(out, " date %s", p->date);
		if (p->time)
			fprintf(out, " time %s", p->time);
		fputc(' ', out);
		outline_text(out, p->text, 60);
		fputc('\n', out);
	}
}
