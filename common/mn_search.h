/*
 * Running a query against the index: ranked hits with snippets and the
 * matched ranges inside them.
 */
#ifndef MN_SEARCH_H
#define MN_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "mn_doc.h"
#include "mn_store.h"
#include "mn_util.h"

enum mn_sort {
	MN_SORT_AUTO,      /* rank when the query has words, else newest first */
	MN_SORT_RANK,      /* best BM25 first, ties newest first */
	MN_SORT_DATE,      /* oldest first */
	MN_SORT_DATE_DESC, /* newest first */
};

struct mn_search_opts {
	const char *query;
	size_t limit;   /* hits to return */
	size_t offset;  /* hits to skip */
	enum mn_sort sort;
};

/* A matched range in a snippet, in bytes: [start, end). */
struct mn_range {
	size_t start, end;
};

/*
 * One hit. Everything is borrowed and valid only during the callback that
 * receives it.
 */
struct mn_hit {
	int64_t id;
	const char *path;
	int line, end_line;     /* the passage's lines */
	int column;             /* 1-based byte column where its text starts on line */
	int match_line;         /* line and byte column of the first match in the text */
	int match_column;       /* (line and column when the text has no match) */
	const char *title;      /* meeting title */
	const char *date;       /* the passage's date, else the meeting's */
	const char *series;
	const char *speaker;    /* resolved name */
	const char *speaker_label;
	char **topic_path;      /* outermost first */
	size_t ntopic_path;
	enum mn_kind kind;
	char **owners;
	size_t nowners;
	double score;           /* higher is better; 0 when unranked */
	const char *snippet;    /* text around the matches, white space collapsed */
	const struct mn_range *highlights;
	size_t nhighlights;
	const char *text;       /* the whole passage text */
};

/* What a search found besides its hits. */
struct mn_results {
	int64_t total;   /* all hits, not just the page */
	int ranked;      /* hits are in rank order with scores */
	double took_ms;
};

/* Receives each hit in order; returning non-zero stops the search. */
typedef int (*mn_hit_fn)(void *ctx, const struct mn_hit *hit);

/*
 * Runs opts->query on store, calling fn for each hit of the page. Fills
 * *res. Errors: MN_ERR_QUERY for a query that cannot be parsed or has no
 * terms, MN_ERR_DB.
 */
int mn_search(struct mn_store *store, const struct mn_search_opts *opts, mn_hit_fn fn,
	      void *ctx, struct mn_results *res, struct mn_err *err);

/*
 * Turns FTS5 output marked with open/close bytes into clean text and the
 * ranges the marks enclosed; runs of white space become one space. Returns a
 * new string (caller frees) and a new array of ranges in *ranges (caller
 * frees).
 */
char *mn_snippet_clean(const char *marked, char open, char close, struct mn_range **ranges,
		       size_t *nranges);

#endif
