/*
 * Pieces shared by the parser's files (mn_parse.c for text and Markdown,
 * mn_parse_formats.c for the other formats, mn_meta.c for series).
 */
#ifndef MN_PARSE_INT_H
#define MN_PARSE_INT_H

#include <stddef.h>

#include "mn_doc.h"
#include "mn_util.h"

/* One physical line of a text file and what it looks like. */
struct mn_line {
	const char *s; /* first byte of the line */
	size_t len;    /* bytes, without the newline */
	size_t indent; /* columns of leading white space */
	size_t body;   /* byte offset of the content after indent, list marker or '#'s */
	unsigned blank : 1, bullet : 1, table : 1, rule : 1, fence : 1, code : 1;
	unsigned skip : 1;     /* front matter, archive navigation: not content */
	unsigned title : 1;    /* the title, or a copy of it */
	unsigned attendee : 1; /* part of an attendee listing */
	int heading;	       /* Markdown heading level, or 0 */
};

/*
 * Parses plain text or Markdown data[0..len) (valid UTF-8) into doc, whose
 * path and format are already set.
 */
int mn_parse_text(struct mn_doc *doc, const char *path, const char *data, size_t len,
		  struct mn_err *err);

/*
 * As mn_parse_text, for a later piece of the file context was parsed from:
 * no front matter or title is looked for, and context's attendees and
 * dates are known from the start.
 */
int mn_parse_text_after(struct mn_doc *doc, const struct mn_doc *context, const char *data,
			size_t len, struct mn_err *err);

/*
 * The series a meeting belongs to: front matter when it says, else the
 * title without dates, times and generic words ("SFO17 LEG SC Meeting
 * Agenda/Minutes" gives "LEG SC"), prefixed by the mailing list's name
 * when the title came from one, else the folder the file is in. data is
 * the file's text, used to find the folder name's usual spelling ("tc39"
 * written "TC39"). Returns a string in doc's arena, or NULL.
 */
const char *mn_series_of(struct mn_doc *doc, const char *front_matter, const char *list_name,
			 const char *data, size_t len);

#endif
