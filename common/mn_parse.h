/*
 * The minutes parser: finds the structure of one file (meeting, dates,
 * attendees, topics, speakers, passages) and returns it as a struct mn_doc.
 */
#ifndef MN_PARSE_H
#define MN_PARSE_H

#include <stddef.h>

#include "mn_doc.h"
#include "mn_util.h"

/*
 * Parses data[0..len), the UTF-8 text of the file at path (the path is used
 * for its name and folders: dates and series may come from them). The text
 * must be valid UTF-8 without NUL bytes (see mn_utf8_repair).
 * On success *out is a new document (caller frees with mn_doc_free).
 */
int mn_parse(const char *path, const char *data, size_t len, struct mn_doc **out,
	     struct mn_err *err);

/*
 * Parses data[0..len), a later piece of the file first was parsed from
 * (a file too big to read whole): the piece has no title of its own, its
 * passages carry first's dates, and its speakers resolve through first's
 * attendees. Line numbers count from the start of the piece. On success
 * *out is a new document (caller frees) with first's title and series.
 */
int mn_parse_more(const struct mn_doc *first, const char *data, size_t len, struct mn_doc **out,
		  struct mn_err *err);

/*
 * Prepares the parser's libraries for use from several threads; call once
 * in the main thread before parsing in others. mn_parse itself keeps no
 * state between calls: documents may be parsed in any thread.
 */
void mn_parse_init(void);

/* Whether path names a file the parser reads (by extension). */
int mn_parse_accepts(const char *path);

#endif
