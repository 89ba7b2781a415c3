/*
 * Snippets of a hit's text, made from the text alone: the query's phrases
 * are found in it by their stems (as the index holds them), and the best
 * window of a few tokens is marked around them. What FTS5's snippet() and
 * the position of the first match would give, without running the query
 * again on each hit (for a phrase of two common words, most of a search).
 *
 * In a query of phrases joined by AND (and NOT), every phrase that is not
 * NOT'ed matches in every passage found (in the text, the topic or the
 * title), so the matches in the text are all its phrases' there. Queries
 * with OR or NEAR are left to FTS5: which of their matches it shows
 * depends on the way a passage was found (mn_fts_phrases.alternatives).
 */
#ifndef MN_SNIPPET_H
#define MN_SNIPPET_H

#include "mn_query.h"
#include "mn_tokenizer.h"

struct mn_snippet_query;

/*
 * The phrases of ph that can match in the text (those of no other column)
 * as stems, through tok (which must outlive the result). Never fails.
 */
struct mn_snippet_query *mn_snippet_query_new(struct mn_tokenizer *tok,
					      const struct mn_fts_phrases *ph);
void mn_snippet_query_free(struct mn_snippet_query *q);

/*
 * The window of at most ntokens tokens of text that holds the most
 * different phrases (then the most matches), its matches between open and
 * close, an ellipsis where text goes on before or after it; the start of
 * the text when nothing matches. *first is the byte offset of the first
 * match in the whole text, or -1. Returns a new string.
 */
char *mn_snippet_mark(const struct mn_snippet_query *q, const char *text, int ntokens, char open,
		      char close, const char *ellipsis, int *first);

#endif
