/*
 * Facets: for the whole set of passages a query selects, the values of a
 * field (speaker, topic, series, org, year, kind) with how many of those
 * passages each value selects.
 *
 * The contract, which every implementation keeps and the tests check: the
 * count shown for a value is exactly the number of hits of the same query
 * with the value's filter added (the "filter" of each value, such as
 * speaker:"Jan Beulich" or date:2018). Fields match by words, so one value
 * may select passages another value also selects ("Jan" those of "Jan
 * Beulich"); each count is that of its own filter, and counts of one facet
 * need not add up to the total.
 */
#ifndef MN_FACETS_H
#define MN_FACETS_H

#include <stddef.h>
#include <stdint.h>

#include "mn_query.h"
#include "mn_store.h"
#include "mn_util.h"

enum mn_facet_field {
	MN_FACET_SPEAKER,
	MN_FACET_TOPIC,
	MN_FACET_SERIES,
	MN_FACET_ORG,
	MN_FACET_YEAR,
	MN_FACET_KIND,
	MN_FACET_COUNT
};

/* The facets computed when none are named. */
#define MN_FACETS_DEFAULT "speaker,topic,series,org,year,kind"
/* Values shown per facet when no limit is given. */
#define MN_FACET_LIMIT_DEFAULT 10

/* The facet's name ("speaker"); static storage. */
const char *mn_facet_name(enum mn_facet_field field);

/*
 * Parses a comma-separated list of facet names into fields (room for
 * MN_FACET_COUNT), in the order given, repeats and empty names dropped.
 * Errors: MN_ERR_USAGE naming the unknown facet, or a list with no name.
 */
int mn_facets_parse(const char *list, enum mn_facet_field *fields, size_t *nfields,
		    struct mn_err *err);

struct mn_facet_value {
	char *value;   /* as stored: "Jan Beulich", "2018", "action" */
	int64_t count; /* hits of the query with filter added */
	char *filter;  /* the query filter selecting value: speaker:"Jan Beulich" */
};

struct mn_facet {
	enum mn_facet_field field;
	struct mn_facet_value *values; /* most hits first, then by value */
	size_t nvalues;
};

struct mn_facets {
	struct mn_facet *items; /* in the order asked for */
	size_t n;
};

#define MN_FACETS_INIT                                                                             \
	{                                                                                          \
		NULL, 0                                                                            \
	}

struct mn_rows;

/*
 * Counts the facets fields[0..nfields) over rows (mn_exec's, all the hits of
 * a query), keeping the limit values with the most hits of each. Fills
 * *out (release with mn_facets_release). Values that select no hit are
 * never shown. Call inside the read transaction rows were found in.
 * Errors: MN_ERR_DB.
 */
int mn_facets_count(struct mn_store *store, const struct mn_rows *rows,
		    const enum mn_facet_field *fields, size_t nfields, size_t limit,
		    struct mn_facets *out, struct mn_err *err);

/*
 * Counts the facets fields[0..nfields) over every passage tree selects
 * (NULL: all passages), keeping the limit values with the most hits of
 * each. Fills *out (release with mn_facets_release). Values that select no
 * hit are never shown. Errors: MN_ERR_DB.
 */
int mn_facets_compute(struct mn_store *store, const struct mn_qnode *tree,
		      const enum mn_facet_field *fields, size_t nfields, size_t limit,
		      struct mn_facets *out, struct mn_err *err);

/*
 * Facets over at least hits hits are counted on two threads
 * (MN_FACETS_THREAD_MIN unless set); for tests, which hold both ways to the
 * same counts.
 */
#define MN_FACETS_THREAD_MIN 16384
void mn_facets_set_thread_min(size_t hits);

/* Frees what mn_facets_compute filled; leaves f empty. */
void mn_facets_release(struct mn_facets *f);

#endif
