/*
 * "Did you mean": a corrected query built from the index vocabulary when a
 * query finds nothing or very little.
 */
#ifndef MN_SUGGEST_H
#define MN_SUGGEST_H

#include <stddef.h>
#include <stdint.h>

#include "mn_query.h"
#include "mn_store.h"
#include "mn_util.h"

/* Queries with at least this many hits get no suggestion. */
#define MN_SUGGEST_BELOW 5

/*
 * Looks for a correction of query (parsed as tree, finding hits passages).
 * Words the query requires (not excluded ones, not prefixes, not field
 * values, none with digits, at least three letters) that the index holds in
 * fewer than three passages are candidates; each is replaced by the word of
 * the index within a small edit distance (one for words of up to five
 * letters, else two) that is much more frequent, written as it appears in
 * the minutes and in the case the user typed. The corrected query is kept
 * only when it finds more hits than query.
 *
 * On success *out is the corrected query (a new string, caller frees) and
 * *out_hits its number of hits, or NULL and 0 when there is none. Errors:
 * MN_ERR_DB.
 */
int mn_suggest(struct mn_store *store, const char *query, const struct mn_qnode *tree, int64_t hits,
	       char **out, int64_t *out_hits, struct mn_err *err);

#endif
