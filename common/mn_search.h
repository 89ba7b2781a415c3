/*
 * Running a query against the index: ranked hits with snippets and the
 * matched ranges inside them, or hits rolled up by meeting; facet counts
 * and a "did you mean" suggestion on request.
 */
#ifndef MN_SEARCH_H
#define MN_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "mn_doc.h"
#include "mn_facets.h"
#include "mn_query.h"
#include "mn_store.h"
#include "mn_util.h"

enum mn_sort {
	MN_SORT_AUTO,	   /* rank when the query has words, else newest first */
	MN_SORT_RANK,	   /* best BM25 first, ties newest first */
	MN_SORT_DATE,	   /* oldest first */
	MN_SORT_DATE_DESC, /* newest first */
};

enum mn_group_by {
	MN_GROUP_NONE,
	MN_GROUP_MEETING, /* one result per meeting */
};

/* Hits shown per meeting when grouping, unless said otherwise. */
#define MN_GROUP_HITS_DEFAULT 3

struct mn_search_opts {
	const char *query;
	size_t limit;  /* hits (or meetings) to return */
	size_t offset; /* hits (or meetings) to skip */
	enum mn_sort sort;
	enum mn_group_by group;
	size_t group_hits; /* best hits kept per meeting; 0: MN_GROUP_HITS_DEFAULT */
	const enum mn_facet_field *facets; /* facets to count (borrowed), or NULL */
	size_t nfacets;
	size_t facet_limit; /* values per facet; 0: MN_FACET_LIMIT_DEFAULT */
	int suggest;	    /* look for a corrected query when there are few hits */
	/*
	 * Another reading of the query (a front end's: the same words quoted
	 * differently), offered as the suggestion when suggest is set, the query
	 * finds little, no correction was found and this finds more. May be NULL.
	 */
	const char *alternative;
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
	int line, end_line; /* the passage's lines */
	int column;	    /* 1-based byte column where its text starts on line */
	int match_line;	    /* line and byte column of the first match in the text */
	int match_column;   /* (line and column when the text has no match) */
	const char *title;  /* meeting title */
	const char *date;   /* the passage's date, else the meeting's */
	const char *series;
	const char *speaker; /* resolved name */
	const char *speaker_label;
	char **topic_path; /* outermost first */
	size_t ntopic_path;
	enum mn_kind kind;
	char **owners;
	size_t nowners;
	double score;	     /* higher is better; 0 when unranked */
	const char *snippet; /* text around the matches, white space collapsed */
	const struct mn_range *highlights;
	size_t nhighlights;
	const char *text; /* the whole passage text */
};

/*
 * The hits of one meeting when grouping. Borrowed, valid only during the
 * callback that receives it.
 */
struct mn_group {
	int64_t meeting_id;
	const char *path;
	const char *title;
	const char *date; /* the meeting's (first) date */
	const char *series;
	int64_t count;		   /* all hits in this meeting */
	double score;		   /* the best hit's; 0 when unranked */
	const struct mn_hit *hits; /* its best hits, in result order */
	size_t nhits;
};

/* What a search found besides its hits. Release with mn_results_release. */
struct mn_results {
	int64_t total;	  /* hits, or meetings when grouping: all, not just the page */
	int64_t passages; /* hits, whatever the grouping */
	int ranked;	  /* hits are in rank order with scores */
	double took_ms;
	struct mn_facets facets; /* as asked for in the options */
	char *suggestion;	 /* a corrected query, or NULL */
	int64_t suggestion_hits; /* how many hits it finds */
};

/* Receives each hit in order; returning non-zero stops the search. */
typedef int (*mn_hit_fn)(void *ctx, const struct mn_hit *hit);
/* Receives each meeting in order; returning non-zero stops the search. */
typedef int (*mn_group_fn)(void *ctx, const struct mn_group *group);

/*
 * Runs opts->query on store, calling fn for each hit of the page (opts->group
 * must be MN_GROUP_NONE). Fills *res, which the caller releases even on
 * failure. Errors: MN_ERR_QUERY for a query that cannot be parsed or has no
 * terms, MN_ERR_DB.
 */
int mn_search(struct mn_store *store, const struct mn_search_opts *opts, mn_hit_fn fn, void *ctx,
	      struct mn_results *res, struct mn_err *err);

/*
 * As mn_search, but rolls hits up by meeting (opts->group): fn receives
 * each meeting of the page, best first (the order of its best hit), with
 * its hit count and its best opts->group_hits hits.
 */
int mn_search_groups(struct mn_store *store, const struct mn_search_opts *opts, mn_group_fn fn,
		     void *ctx, struct mn_results *res, struct mn_err *err);

/* Counts the passages tree selects into *hits. Errors: MN_ERR_DB. */
int mn_search_count(struct mn_store *store, const struct mn_qnode *tree, int64_t *hits,
		    struct mn_err *err);

/* Frees what a search put in res; leaves it empty. */
void mn_results_release(struct mn_results *res);

/*
 * Turns FTS5 output marked with open/close bytes into clean text and the
 * ranges the marks enclosed; runs of white space become one space. Returns a
 * new string (caller frees) and a new array of ranges in *ranges (caller
 * frees).
 */
char *mn_snippet_clean(const char *marked, char open, char close, struct mn_range **ranges,
		       size_t *nranges);

#endif
