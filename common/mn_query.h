/*
 * The query language (described in the README's Searching section): words,
 * "phrases", prefix*, -word, NOT, OR, parentheses, NEAR(a b, N) and
 * field:value filters. A query is parsed into a tree, then translated into an
 * FTS5 MATCH expression plus an SQL condition whose values are all bound
 * parameters: user text never reaches SQL or FTS5 unescaped.
 */
#ifndef MN_QUERY_H
#define MN_QUERY_H

#include <stddef.h>

#include "mn_util.h"

enum mn_qtype {
	MN_Q_AND,
	MN_Q_OR,
	MN_Q_NOT,
	MN_Q_TERM,   /* one word, maybe a prefix */
	MN_Q_PHRASE, /* "several words" */
	MN_Q_NEAR,   /* NEAR(a b c, N) */
	MN_Q_FIELD,  /* field:value */
};

enum mn_field {
	MN_F_SPEAKER,
	MN_F_ATTENDEE,
	MN_F_TOPIC,
	MN_F_TITLE,
	MN_F_SERIES,
	MN_F_PROJECT,
	MN_F_ORG,
	MN_F_KIND,
	MN_F_OWNER,
	MN_F_PATH,
	MN_F_DATE,
	MN_F_AFTER,
	MN_F_BEFORE,
	MN_F_COUNT
};

struct mn_qnode {
	enum mn_qtype type;
	struct mn_qnode **kids; /* AND, OR, NOT (one kid), NEAR (terms and phrases) */
	size_t nkids;
	char *text;	     /* TERM, PHRASE: the words; FIELD: the value */
	int prefix;	     /* TERM: ends in '*' */
	int quoted;	     /* FIELD: the value was quoted */
	enum mn_field field; /* FIELD */
	int distance;	     /* NEAR: N (default 10) */
	int column;	     /* 1-based position in the query, for messages */
	size_t pos, len;     /* TERM, PHRASE, FIELD: byte range of text in the query */
};

/*
 * Parses query. On success *out is the tree (NULL for a query with no
 * terms at all); free it with mn_qnode_free. On failure err says what is
 * wrong and at which column (MN_ERR_QUERY).
 */
int mn_query_parse(const char *query, struct mn_qnode **out, struct mn_err *err);
void mn_qnode_free(struct mn_qnode *node);

/* The field's canonical name ("speaker"). */
const char *mn_field_name(enum mn_field field);

/* Writes the tree back as a normalised query string (for debugging and tests). */
void mn_query_unparse(const struct mn_qnode *node, struct mn_buf *out);

/*
 * A query translated for SQLite. When match is non-empty the search runs on
 * "passages_fts MATCH match" (and is ranked); where is an SQL condition over
 * the aliases p (passages) and m (meetings), "1" when there is none. Both
 * use ?N placeholders for params[N-1], in order.
 */
struct mn_sql {
	struct mn_buf match;
	struct mn_buf where;
	char **params;
	size_t nparams, params_cap;
	int match_param; /* placeholder number of the MATCH text, or 0 */
};

#define MN_SQL_INIT                                                                                \
	{                                                                                          \
		MN_BUF_INIT, MN_BUF_INIT, NULL, 0, 0, 0                                            \
	}

/*
 * Whether FTS5 alone can evaluate node: words, phrases, NEAR, topic: and
 * title: filters, and ANDs (with at least one positive part, and NOTs of
 * such parts) and ORs of them.
 */
int mn_query_fts_able(const struct mn_qnode *node);

/*
 * A conjunction split for execution: the parts FTS5 can take, with the
 * exclusions of them, become one ranked MATCH (fts: one part alone, or an
 * AND of them; NULL when no part is positive); the others filter its rows.
 */
struct mn_qsplit {
	const struct mn_qnode *fts;
	const struct mn_qnode **rest;
	size_t nrest;
	/* Storage behind fts. */
	struct mn_qnode and;
	struct mn_qnode **kids;
};

/* Splits and (an MN_Q_AND); release with mn_qsplit_release. */
void mn_query_split_and(const struct mn_qnode *and, struct mn_qsplit *split);
void mn_qsplit_release(struct mn_qsplit *split);

/* Appends s as an FTS5 string (and query-language phrase): in double quotes, inner ones doubled. */
void mn_query_quote(struct mn_buf *out, const char *s);

/* Appends node, which must be FTS-able, as an FTS5 MATCH expression. */
void mn_query_fts_expr(const struct mn_qnode *node, struct mn_buf *out);

/* A phrase of an FTS5 expression: FTS5 numbers them in the order they are written. */
struct mn_fts_phrase {
	char *text; /* the words, as quoted in the expression */
	int prefix; /* ends in '*' */
	int column;  /* restricted to a column (topic:, title:) */
	int negated; /* on the right of a NOT: it never matches in a passage found */
};

struct mn_fts_phrases {
	struct mn_fts_phrase *v;
	size_t n, cap;
	/*
	 * The expression has OR or NEAR: which of its phrases FTS5 shows in a
	 * passage depends on the way the passage was found, not only on what
	 * it holds.
	 */
	int alternatives;
};

/* As mn_query_fts_expr, appending each phrase written to ph (may be NULL; release with
 * mn_fts_phrases_release). */
void mn_query_fts_expr_phrases(const struct mn_qnode *node, struct mn_buf *out,
			       struct mn_fts_phrases *ph);
void mn_fts_phrases_release(struct mn_fts_phrases *ph);

/* A LIKE pattern (ESCAPE '\\') matching value anywhere; the caller frees it. */
char *mn_query_like_pattern(const char *value);

/* Translates tree (may be NULL) into sql. */
int mn_query_to_sql(const struct mn_qnode *tree, struct mn_sql *sql, struct mn_err *err);
void mn_sql_release(struct mn_sql *sql);

/*
 * Appends " FROM ... WHERE ..." selecting every passage of sql, with the
 * aliases p (passages), m (meetings) and, when sql has a MATCH, f (the FTS5
 * table, whose rank and auxiliary functions are then available). Bind
 * sql->params to the statement in order.
 */
void mn_sql_from_where(const struct mn_sql *sql, struct mn_buf *out);

/*
 * Appends the filter that selects value in field, as a user would type it:
 * speaker:Jan, topic:"Release cadence". A '"' in value, which cannot be
 * written inside a quoted value, becomes a space: every field compares
 * words, so the filter means the same.
 */
void mn_query_add_filter(struct mn_buf *out, enum mn_field field, const char *value);

#endif
