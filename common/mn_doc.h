/*
 * The structure of one minutes file, as the parser finds it and the store
 * keeps it: the meeting (title, series, dates), its attendees, and its
 * passages, each with where it is, who spoke, on which topic and what kind
 * of statement it is.
 *
 * All strings of a document live in its arena and are freed together by
 * mn_doc_free().
 */
#ifndef MN_DOC_H
#define MN_DOC_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "mn_util.h"

enum mn_kind {
	MN_KIND_NOTE = 0,  /* text with no attributed speaker */
	MN_KIND_UTTERANCE, /* "Name: what they said" */
	MN_KIND_REPORTED,  /* "Name mentioned that ..." */
	MN_KIND_ACTION,	   /* an action item, with owners */
	MN_KIND_DECISION,  /* "Agreed ...", "RESOLVED: ..." */
	MN_KIND_COUNT
};

/* Returns the kind's name ("note", "utterance", ...); static storage. */
const char *mn_kind_name(enum mn_kind kind);
/* Returns the kind named name, or -1. */
int mn_kind_from_name(const char *name);

struct mn_attendee {
	const char *name;     /* as the document gives it, cleaned */
	const char *org;      /* organisation stated for them, or NULL */
	const char **aliases; /* other labels that name them (initials, handle) */
	size_t naliases;
	int line;
};

/* Kinds of topic, from the outermost structure inwards. */
enum mn_topic_kind {
	MN_TOPIC_SECTION = 0, /* an administrative heading: Attendees, Agenda, Next steps */
	MN_TOPIC_SESSION,     /* "Session 2: LEG-SC Sep 26, 2017" */
	MN_TOPIC_HEADING,     /* a content heading */
	MN_TOPIC_ITEM,	      /* an item of a list of discussion items */
	MN_TOPIC_SUBTOPIC,    /* a title-like bullet with nested discussion */
	MN_TOPIC_KIND_COUNT
};

const char *mn_topic_kind_name(enum mn_topic_kind kind);

/* A line that begins a block of the minutes. */
struct mn_topic {
	int line;
	const char *title;
	int level; /* nesting depth in the document, 1 = outermost */
	enum mn_topic_kind kind;
	int parent_line; /* line of the enclosing topic, or 0 */
};

struct mn_passage {
	int line;     /* first line, 1-based */
	int end_line; /* last line, 1-based */
	int col;      /* 1-based byte column where text starts on line */
	enum mn_kind kind;
	const char *speaker_label; /* raw label as written, or NULL */
	const char **speakers;	   /* resolved names (label when unresolved) */
	size_t nspeakers;
	const char **topic_path; /* enclosing topics, outermost first */
	size_t ntopic_path;
	const char *date;    /* YYYY-MM-DD (or YYYY-MM) of its session, or NULL */
	const char *time;    /* time in a transcript or log ("00:12:31.500"), or NULL */
	const char **owners; /* owners of an action */
	size_t nowners;
	const char *text; /* the source text from (line, col) to end_line */
};

struct mn_doc {
	struct mn_arena arena;
	const char *path;
	const char *format; /* "text", "markdown", ... */
	const char *title;
	const char *series;
	const char **dates; /* distinct meeting dates, in document order */
	size_t ndates;
	struct mn_attendee *attendees;
	size_t nattendees, attendees_cap;
	struct mn_passage *passages;
	size_t npassages, passages_cap;
	struct mn_topic *topics;
	size_t ntopics, topics_cap;
};

/* Returns a new empty document for path (caller frees with mn_doc_free). */
struct mn_doc *mn_doc_new(const char *path);
void mn_doc_free(struct mn_doc *doc);

/* The innermost topic of p, or NULL. */
const char *mn_passage_topic(const struct mn_passage *p);
/* The first resolved speaker of p, or NULL. */
const char *mn_passage_speaker(const struct mn_passage *p);

/* Appends a zeroed passage to doc and returns it (borrowed). */
struct mn_passage *mn_doc_add_passage(struct mn_doc *doc);
/* Appends a zeroed topic to doc and returns it (borrowed). */
struct mn_topic *mn_doc_add_topic(struct mn_doc *doc);
/* Appends a zeroed attendee to doc and returns it (borrowed). */
struct mn_attendee *mn_doc_add_attendee(struct mn_doc *doc);
/* Adds date to doc->dates unless it is already there. */
void mn_doc_add_date(struct mn_doc *doc, const char *date);

/* Copies an array of n strings into the document's arena. */
const char **mn_doc_strv(struct mn_doc *doc, const char *const *v, size_t n);

/*
 * Writes doc as a readable outline, one line per item: the meeting, its
 * attendees, topics and passages (texts cut to 60 bytes). It is what
 * "minutes-index --parse --format outline" prints and what the parser's
 * golden tests compare.
 */
void mn_doc_outline(const struct mn_doc *doc, FILE *out);

/*
 * Describes doc as the JSON object printed by "minutes-index --parse"
 * (see docs/schema.md). Returns a new reference.
 */
json_t *mn_doc_to_json(const struct mn_doc *doc);

#endif
