/*
 * Printers for search results: each result is described once (struct
 * mn_hit) and a printer renders it as JSON, JSON lines, text or vimgrep.
 * The JSON forms are a versioned contract: see docs/schema.md.
 */
#ifndef MN_PRINT_H
#define MN_PRINT_H

#include <stdio.h>

#include "mn_search.h"

#define MN_FORMAT_VERSION 1

enum mn_format { MN_FORMAT_TEXT, MN_FORMAT_JSON, MN_FORMAT_JSONL, MN_FORMAT_VIMGREP };

/* Returns the format named name ("text", "json", ...) or -1. */
int mn_format_from_name(const char *name);

/* What was asked, for the header of the output. */
struct mn_print_info {
	const char *query;
	size_t limit, offset;
	int color;   /* text: mark matches with ANSI colours */
	int grouped; /* results are meetings (mn_printer_group), not hits */
};

struct mn_printer;

struct mn_printer_ops {
	void (*begin)(struct mn_printer *p);
	void (*hit)(struct mn_printer *p, const struct mn_hit *hit);
	void (*group)(struct mn_printer *p, const struct mn_group *group);
	/* Closes the output with the totals, facets and suggestion of res. */
	void (*end)(struct mn_printer *p, const struct mn_results *res);
	void (*destroy)(struct mn_printer *p);
};

struct mn_printer {
	const struct mn_printer_ops *ops;
	FILE *out;
	struct mn_print_info info;
	size_t printed;
	void *state;
};

/* Returns a new printer writing to out (borrowed) in format; free with mn_printer_free. */
struct mn_printer *mn_printer_new(enum mn_format format, FILE *out,
				  const struct mn_print_info *info);
void mn_printer_free(struct mn_printer *p);

/* Starts the output, prints one hit (or meeting), and ends it with the totals. */
void mn_printer_begin(struct mn_printer *p);
void mn_printer_hit(struct mn_printer *p, const struct mn_hit *hit);
void mn_printer_group(struct mn_printer *p, const struct mn_group *group);
void mn_printer_end(struct mn_printer *p, const struct mn_results *res);

/* The JSON object describing one hit, as in the "hits" array (new reference). */
json_t *mn_hit_to_json(const struct mn_hit *hit);

/* The JSON object describing one meeting of grouped results (new reference). */
json_t *mn_group_to_json(const struct mn_group *group);

/* The "facets" object: facet name to [{value, count, filter}] (new reference). */
json_t *mn_facets_to_json(const struct mn_facets *facets);

/* Dumps j with the fixed key order and float precision of all our JSON. */
int mn_json_dumpf(const json_t *j, FILE *out);

#endif
