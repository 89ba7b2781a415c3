/*
 * Listing the values the index holds for a field (speakers, series, topics,
 * organisations), for shell completion, editor pickers and fzf: each value
 * as stored, with how many passages and meetings are stored under it and
 * the query filter that selects it.
 *
 * Counts are of passages stored under exactly that value (the passages a
 * person spoke, those under a heading at any level, those of a series'
 * meetings, those spoken by someone of an organisation). A value's filter
 * matches by words and may select more (speaker:Jan also selects Jan
 * Beulich's): facets (mn_facets.h) count by filter, and are slower.
 */
#ifndef MN_LIST_H
#define MN_LIST_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "mn_store.h"
#include "mn_util.h"

enum mn_list_kind {
	MN_LIST_SPEAKERS,
	MN_LIST_SERIES,
	MN_LIST_TOPICS,
	MN_LIST_ORGS,
	MN_LIST_KIND_COUNT
};

/* The kind named name: "speakers", "series", "topics", "orgs" (or singular), else -1. */
int mn_list_kind_from_name(const char *name);

/* The kind's plural name ("speakers"); static storage. */
const char *mn_list_kind_name(enum mn_list_kind kind);

struct mn_list_value {
	char *value;	  /* as stored: "Jan Beulich", "Project Stratos" */
	int64_t passages; /* passages stored under the value */
	int64_t meetings; /* meetings with such passages */
	char *filter;	  /* the query filter selecting it: speaker:"Jan Beulich" */
};

struct mn_list {
	enum mn_list_kind kind;
	struct mn_list_value *values; /* most passages first, then by value (bytewise) */
	size_t n;
};

#define MN_LIST_INIT                                                                               \
	{                                                                                          \
		MN_LIST_SPEAKERS, NULL, 0                                                          \
	}

/*
 * Fills *out with the values of kind among the passages query selects
 * (NULL or a query without terms: every passage). Release *out with
 * mn_list_release, also on failure. Errors: MN_ERR_QUERY (the query cannot
 * be parsed; the message says where), MN_ERR_DB.
 */
int mn_list_values(struct mn_store *store, enum mn_list_kind kind, const char *query,
		   struct mn_list *out, struct mn_err *err);

/* Frees what mn_list_values filled; leaves l empty. */
void mn_list_release(struct mn_list *l);

/*
 * The list as JSON (new reference): {"format_version", "list", "query",
 * "total", "values": [{"value", "passages", "meetings", "filter"}]}, as
 * docs/schema.md describes. query may be NULL.
 */
json_t *mn_list_to_json(const struct mn_list *l, const char *query);

/* One value as JSON, as in "values" (new reference). */
json_t *mn_list_value_to_json(const struct mn_list_value *v);

#endif
