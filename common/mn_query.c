#include "mn_query.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mn_doc.h"
#include "mn_text.h"

#define NEAR_DEFAULT 10
#define MAX_DEPTH    64

static const struct {
	const char *name;
	enum mn_field field;
} field_names[] = {
    {"speaker", MN_F_SPEAKER}, {"by", MN_F_SPEAKER},	{"attendee", MN_F_ATTENDEE},
    {"topic", MN_F_TOPIC},     {"title", MN_F_TITLE},	{"series", MN_F_SERIES},
    {"project", MN_F_PROJECT}, {"org", MN_F_ORG},	{"kind", MN_F_KIND},
    {"owner", MN_F_OWNER},     {"path", MN_F_PATH},	{"date", MN_F_DATE},
    {"after", MN_F_AFTER},     {"before", MN_F_BEFORE},
};

#define NFIELDS (sizeof(field_names) / sizeof(*field_names))

const char *mn_field_name(enum mn_field field)
{
	size_t i;

	for (i = 0; i < NFIELDS; i++)
		if (field_names[i].field == field)
			return field_names[i].name;
	return "?";
}

/* ---- lexer --------------------------------------------------------------- */

enum tok_type {
	T_END,
	T_LPAREN,
	T_RPAREN,
	T_COMMA,
	T_NEG, /* '-' directly before a term */
	T_AND,
	T_OR,
	T_NOT,
	T_NEAR, /* NEAR directly followed by '(' */
	T_WORD,
	T_PHRASE,
	T_FIELD,
};

struct tok {
	enum tok_type type;
	size_t pos;    /* byte offset in the query */
	const char *s; /* WORD, PHRASE: text; FIELD: value */
	size_t n;
	int prefix; /* WORD ends in '*' */
	int quoted; /* FIELD value was quoted */
	enum mn_field field;
};

struct qparser {
	const char *q;
	size_t len, pos;
	struct tok tok; /* current token */
	struct mn_err *err;
	int depth;
};

/* 1-based column of byte offset pos, counted in characters. */
static int column_of(const char *q, size_t pos)
{
	int col = 1;
	size_t i;

	for (i = 0; i < pos; i++)
		if (((unsigned char)q[i] & 0xc0) != 0x80)
			col++;
	return col;
}

static int qerror(struct qparser *qp, size_t pos, const char *fmt, const char *arg)
{
	struct mn_buf b = MN_BUF_INIT;

	mn_buf_addf(&b, fmt, arg);
	mn_err_set(qp->err, MN_ERR_QUERY, "%s at column %d", mn_buf_str(&b), column_of(qp->q, pos));
	mn_buf_release(&b);
	return MN_ERR_QUERY;
}

static int is_space(const char *s, size_t n)
{
	return (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) || mn_is_nbsp(s, n);
}

static int word_end_char(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == ')' ||
	       c == '"' || c == ',';
}

static int unknown_field(struct qparser *qp, size_t pos, const char *name, size_t n)
{
	char *word = mn_xstrndup(name, n);
	const char *best = NULL;
	size_t best_d = 3, i;
	struct mn_buf msg = MN_BUF_INIT;

	for (i = 0; i < NFIELDS; i++) {
		size_t d = mn_edit_distance(word, field_names[i].name, 3);

		if (d < best_d) {
			best_d = d;
			best = field_names[i].name;
		}
	}
	mn_buf_addf(&msg, "unknown field '%s'", word);
	mn_err_set(qp->err, MN_ERR_QUERY, "%s at column %d%s%s%s", mn_buf_str(&msg),
		   column_of(qp->q, pos), best ? " (did you mean '" : "", best ? best : "",
		   best ? "'?)" : "");
	mn_buf_release(&msg);
	free(word);
	return MN_ERR_QUERY;
}

/* Reads a quoted string starting at the '"' at qp->pos; a missing close quote ends it. */
static void lex_quoted(struct qparser *qp, const char **s, size_t *n)
{
	const char *close;

	qp->pos++;
	*s = qp->q + qp->pos;
	close = memchr(*s, '"', qp->len - qp->pos);
	*n = close ? (size_t)(close - *s) : qp->len - qp->pos;
	qp->pos += *n + (close ? 1 : 0);
}

static int lex(struct qparser *qp)
{
	struct tok *t = &qp->tok;
	const char *q = qp->q;
	size_t start, i, colon = 0;

	while (qp->pos < qp->len && is_space(q + qp->pos, qp->len - qp->pos))
		qp->pos += mn_is_nbsp(q + qp->pos, qp->len - qp->pos) ? 2 : 1;
	memset(t, 0, sizeof(*t));
	t->pos = qp->pos;
	if (qp->pos >= qp->len) {
		t->type = T_END;
		return MN_OK;
	}
	switch (q[qp->pos]) {
	case '(':
		qp->pos++;
		t->type = T_LPAREN;
		return MN_OK;
	case ')':
		qp->pos++;
		t->type = T_RPAREN;
		return MN_OK;
	case ',':
		qp->pos++;
		t->type = T_COMMA;
		return MN_OK;
	case '"':
		t->type = T_PHRASE;
		lex_quoted(qp, &t->s, &t->n);
		return MN_OK;
	case '-':
		if (qp->pos + 1 < qp->len && !word_end_char(q[qp->pos + 1]) &&
		    q[qp->pos + 1] != '-') {
			qp->pos++;
			t->type = T_NEG;
			return MN_OK;
		}
		if (qp->pos + 1 < qp->len && (q[qp->pos + 1] == '(' || q[qp->pos + 1] == '"')) {
			qp->pos++;
			t->type = T_NEG;
			return MN_OK;
		}
		break;
	}

	start = qp->pos;
	for (i = start; i < qp->len && !word_end_char(q[i]); i++) {
		if (mn_is_nbsp(q + i, qp->len - i))
			break;
		if (q[i] == ':' && !colon)
			colon = i;
	}
	qp->pos = i;
	t->s = q + start;
	t->n = i - start;

	if (colon > start) {
		size_t k;
		int letters = 1;

		for (k = start; k < colon; k++)
			if (!isalpha((unsigned char)q[k]) && q[k] != '_')
				letters = 0;
		/* "https://..." and "10:30" are words, not fields. */
		if (letters && !(colon + 2 < i && q[colon + 1] == '/' && q[colon + 2] == '/')) {
			size_t f;

			for (f = 0; f < NFIELDS; f++)
				if (mn_strneq_ci(q + start, colon - start, field_names[f].name))
					break;
			if (f == NFIELDS)
				return unknown_field(qp, start, q + start, colon - start);
			t->type = T_FIELD;
			t->field = field_names[f].field;
			t->s = q + colon + 1;
			t->n = i - colon - 1;
			if (t->n == 0 && qp->pos < qp->len && q[qp->pos] == '"') {
				lex_quoted(qp, &t->s, &t->n);
				t->quoted = 1;
			}
			if (t->n == 0)
				return qerror(qp, start, "missing value after '%s:'",
					      field_names[f].name);
			return MN_OK;
		}
	}

	if (t->n == 2 && !memcmp(t->s, "OR", 2)) {
		t->type = T_OR;
	} else if (t->n == 3 && !memcmp(t->s, "AND", 3)) {
		t->type = T_AND;
	} else if (t->n == 3 && !memcmp(t->s, "NOT", 3)) {
		t->type = T_NOT;
	} else if (t->n == 4 && !memcmp(t->s, "NEAR", 4) && qp->pos < qp->len &&
		   q[qp->pos] == '(') {
		t->type = T_NEAR;
	} else {
		t->type = T_WORD;
		while (t->n && t->s[t->n - 1] == '*') {
			t->n--;
			t->prefix = 1;
		}
	}
	return MN_OK;
}

/* ---- tree ---------------------------------------------------------------- */

static struct mn_qnode *node_new(enum mn_qtype type, size_t pos, const char *q)
{
	struct mn_qnode *n = mn_xcalloc(1, sizeof(*n));

	n->type = type;
	n->column = column_of(q, pos);
	return n;
}

static void node_add(struct mn_qnode *parent, struct mn_qnode *kid)
{
	parent->kids = mn_xrealloc(parent->kids, (parent->nkids + 1) * sizeof(*parent->kids));
	parent->kids[parent->nkids++] = kid;
}

void mn_qnode_free(struct mn_qnode *node)
{
	size_t i;

	if (!node)
		return;
	for (i = 0; i < node->nkids; i++)
		mn_qnode_free(node->kids[i]);
	free(node->kids);
	free(node->text);
	free(node);
}

/* Whether s[0..n) has anything the tokenizer would index: a letter or digit. */
static int searchable(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)
			return 1;
	return 0;
}

static int check_field_value(struct qparser *qp, const struct tok *t)
{
	if (t->field == MN_F_KIND) {
		char *v = mn_xstrndup(t->s, t->n);
		int ok = mn_kind_from_name(v) >= 0;

		free(v);
		if (!ok) {
			char *shown = mn_xstrndup(t->s, t->n);

			qerror(qp, t->pos,
			       "unknown kind '%s' (use utterance, reported, action, "
			       "decision or note)",
			       shown);
			free(shown);
			return MN_ERR_QUERY;
		}
	}
	if (t->field == MN_F_DATE || t->field == MN_F_AFTER || t->field == MN_F_BEFORE) {
		const char *dots = NULL;
		size_t i;
		int ok;

		for (i = 0; i + 1 < t->n; i++)
			if (t->s[i] == '.' && t->s[i + 1] == '.') {
				dots = t->s + i;
				break;
			}
		if (dots && t->field == MN_F_DATE) {
			size_t a = (size_t)(dots - t->s), b = t->n - a - 2;

			ok = (a || b) && (!a || mn_date_is_iso(t->s, a)) &&
			     (!b || mn_date_is_iso(dots + 2, b));
		} else {
			ok = mn_date_is_iso(t->s, t->n);
		}
		if (!ok) {
			char *shown = mn_xstrndup(t->s, t->n);

			qerror(qp, t->pos,
			       "invalid date '%s' (use YYYY, YYYY-MM or YYYY-MM-DD, or a range "
			       "such as 2018-01..2018-06)",
			       shown);
			free(shown);
			return MN_ERR_QUERY;
		}
	}
	return MN_OK;
}

static int parse_or(struct qparser *qp, struct mn_qnode **out);

/* Makes a TERM or PHRASE node from the current token, or NULL when it has nothing to search. */
static struct mn_qnode *text_node(struct qparser *qp)
{
	const struct tok *t = &qp->tok;
	struct mn_qnode *n;

	if (!searchable(t->s, t->n))
		return NULL;
	n = node_new(t->type == T_PHRASE ? MN_Q_PHRASE : MN_Q_TERM, t->pos, qp->q);
	n->text = mn_xstrndup(t->s, t->n);
	n->prefix = t->prefix;
	n->pos = (size_t)(t->s - qp->q);
	n->len = t->n;
	return n;
}

static int parse_near(struct qparser *qp, struct mn_qnode **out)
{
	struct mn_qnode *near = node_new(MN_Q_NEAR, qp->tok.pos, qp->q);
	size_t open_pos;

	near->distance = NEAR_DEFAULT;
	if (lex(qp)) /* the '(' */
		goto fail;
	open_pos = qp->tok.pos;
	if (lex(qp))
		goto fail;
	while (qp->tok.type == T_WORD || qp->tok.type == T_PHRASE) {
		struct mn_qnode *kid = text_node(qp);

		if (kid)
			node_add(near, kid);
		if (lex(qp))
			goto fail;
	}
	if (qp->tok.type == T_COMMA) {
		char *end;
		long d;

		if (lex(qp))
			goto fail;
		if (qp->tok.type != T_WORD || qp->tok.prefix)
			goto bad_distance;
		d = strtol(qp->tok.s, &end, 10);
		if (end != qp->tok.s + qp->tok.n || d < 0 || d > 1000)
			goto bad_distance;
		near->distance = (int)d;
		if (lex(qp))
			goto fail;
	}
	if (qp->tok.type != T_RPAREN) {
		qerror(qp, open_pos, "%s", "NEAR( needs words, an optional ', N' and a ')'");
		goto fail;
	}
	if (near->nkids < 2) {
		qerror(qp, open_pos, "%s", "NEAR( needs at least two words or phrases");
		goto fail;
	}
	if (lex(qp))
		goto fail;
	*out = near;
	return MN_OK;
bad_distance:
	qerror(qp, qp->tok.pos, "%s", "NEAR distance must be a number from 0 to 1000");
fail:
	mn_qnode_free(near);
	return MN_ERR_QUERY;
}

static int parse_unary(struct qparser *qp, struct mn_qnode **out)
{
	struct tok t = qp->tok;
	struct mn_qnode *kid = NULL, *n;

	*out = NULL;
	if (++qp->depth > MAX_DEPTH)
		return qerror(qp, t.pos, "%s", "query nests too deeply");
	switch (t.type) {
	case T_NEG:
	case T_NOT:
		if (lex(qp))
			return MN_ERR_QUERY;
		if (qp->tok.type == T_END || qp->tok.type == T_RPAREN || qp->tok.type == T_OR ||
		    qp->tok.type == T_AND)
			return qerror(qp, t.pos, "%s",
				      t.type == T_NOT ? "NOT needs a term after it"
						      : "'-' needs a term after it");
		if (parse_unary(qp, &kid))
			return MN_ERR_QUERY;
		if (kid) {
			n = node_new(MN_Q_NOT, t.pos, qp->q);
			node_add(n, kid);
			*out = n;
		}
		break;
	case T_LPAREN:
		if (lex(qp))
			return MN_ERR_QUERY;
		if (parse_or(qp, &kid))
			return MN_ERR_QUERY;
		if (qp->tok.type != T_RPAREN) {
			mn_qnode_free(kid);
			return qerror(qp, t.pos, "%s", "missing ')' for the '('");
		}
		*out = kid;
		break;
	case T_NEAR:
		if (parse_near(qp, out))
			return MN_ERR_QUERY;
		break;
	case T_FIELD:
		if (check_field_value(qp, &t))
			return MN_ERR_QUERY;
		n = node_new(MN_Q_FIELD, t.pos, qp->q);
		n->field = t.field;
		n->text = mn_xstrndup(t.s, t.n);
		n->quoted = t.quoted;
		n->pos = (size_t)(t.s - qp->q);
		n->len = t.n;
		*out = n;
		break;
	case T_WORD:
	case T_PHRASE:
		*out = text_node(qp);
		break;
	case T_COMMA:
		break;
	default:
		return qerror(qp, t.pos, "%s", "unexpected token");
	}
	qp->depth--;
	/* Move past the primary just read; NOT, NEAR and '(' did so already. */
	if (t.type == T_LPAREN || t.type == T_FIELD || t.type == T_WORD || t.type == T_PHRASE ||
	    t.type == T_COMMA) {
		if (lex(qp)) {
			mn_qnode_free(*out);
			*out = NULL;
			return MN_ERR_QUERY;
		}
	}
	return MN_OK;
}

/* Wraps the kids of an AND or OR: none gives NULL, one gives itself. */
static struct mn_qnode *simplify(struct mn_qnode *n)
{
	struct mn_qnode *only;

	if (n->nkids > 1)
		return n;
	only = n->nkids ? n->kids[0] : NULL;
	free(n->kids);
	free(n);
	return only;
}

static int parse_and(struct qparser *qp, struct mn_qnode **out)
{
	struct mn_qnode *and = node_new(MN_Q_AND, qp->tok.pos, qp->q);

	*out = NULL;
	while (qp->tok.type != T_END && qp->tok.type != T_RPAREN && qp->tok.type != T_OR) {
		struct mn_qnode *kid;

		if (qp->tok.type == T_AND) {
			size_t pos = qp->tok.pos;

			if (lex(qp))
				goto fail;
			if (!and->nkids || qp->tok.type == T_END || qp->tok.type == T_RPAREN ||
			    qp->tok.type == T_OR || qp->tok.type == T_AND) {
				qerror(qp, pos, "%s", "AND needs a term on both sides");
				goto fail;
			}
			continue;
		}
		if (parse_unary(qp, &kid))
			goto fail;
		if (kid)
			node_add(and, kid);
	}
	*out = simplify(and);
	return MN_OK;
fail:
	mn_qnode_free(and);
	return MN_ERR_QUERY;
}

static int parse_or(struct qparser *qp, struct mn_qnode **out)
{
	struct mn_qnode * or = node_new(MN_Q_OR, qp->tok.pos, qp->q);
	size_t or_pos;

	*out = NULL;
	for (;;) {
		struct mn_qnode *kid;
		size_t before = qp->tok.pos;

		if (parse_and(qp, &kid))
			goto fail;
		if (kid)
			node_add(or, kid);
		if (qp->tok.type != T_OR)
			break;
		if (qp->tok.pos == before || !kid) {
			qerror(qp, qp->tok.pos, "%s", "OR needs a term on both sides");
			goto fail;
		}
		or_pos = qp->tok.pos;
		if (lex(qp))
			goto fail;
		if (qp->tok.type == T_END || qp->tok.type == T_RPAREN || qp->tok.type == T_OR) {
			/* Point at the OR that lacks its right-hand side. */
			qerror(qp, or_pos, "%s", "OR needs a term on both sides");
			goto fail;
		}
	}
	*out = simplify(or);
	return MN_OK;
fail:
	mn_qnode_free(or);
	return MN_ERR_QUERY;
}

int mn_query_parse(const char *query, struct mn_qnode **out, struct mn_err *err)
{
	struct qparser qp;
	struct mn_qnode *tree = NULL;

	*out = NULL;
	memset(&qp, 0, sizeof(qp));
	qp.q = query;
	qp.len = strlen(query);
	qp.err = err;
	if (lex(&qp) || parse_or(&qp, &tree))
		return MN_ERR_QUERY;
	if (qp.tok.type == T_RPAREN) {
		mn_qnode_free(tree);
		return qerror(&qp, qp.tok.pos, "%s", "unmatched ')'");
	}
	*out = tree;
	return MN_OK;
}

/* ---- unparse ------------------------------------------------------------- */

void mn_query_quote(struct mn_buf *out, const char *s)
{
	mn_buf_addc(out, '"');
	for (; *s; s++) {
		if (*s == '"')
			mn_buf_addc(out, '"');
		mn_buf_addc(out, *s);
	}
	mn_buf_addc(out, '"');
}

void mn_query_unparse(const struct mn_qnode *n, struct mn_buf *out)
{
	size_t i;

	if (!n)
		return;
	switch (n->type) {
	case MN_Q_AND:
	case MN_Q_OR:
		mn_buf_addc(out, '(');
		for (i = 0; i < n->nkids; i++) {
			if (i)
				mn_buf_adds(out, n->type == MN_Q_AND ? " AND " : " OR ");
			mn_query_unparse(n->kids[i], out);
		}
		mn_buf_addc(out, ')');
		break;
	case MN_Q_NOT:
		mn_buf_adds(out, "NOT ");
		mn_query_unparse(n->kids[0], out);
		break;
	case MN_Q_TERM:
		mn_buf_adds(out, n->text);
		if (n->prefix)
			mn_buf_addc(out, '*');
		break;
	case MN_Q_PHRASE:
		mn_query_quote(out, n->text);
		break;
	case MN_Q_NEAR:
		mn_buf_adds(out, "NEAR(");
		for (i = 0; i < n->nkids; i++) {
			if (i)
				mn_buf_addc(out, ' ');
			mn_query_unparse(n->kids[i], out);
		}
		mn_buf_addf(out, ", %d)", n->distance);
		break;
	case MN_Q_FIELD:
		mn_buf_addf(out, "%s:", mn_field_name(n->field));
		mn_query_quote(out, n->text);
		break;
	}
}

/* ---- translation to SQL -------------------------------------------------- */

static int add_param(struct mn_sql *sql, const char *value)
{
	MN_GROW(sql->params, sql->nparams + 1, sql->params_cap);
	sql->params[sql->nparams++] = mn_xstrdup(value);
	return (int)sql->nparams;
}

void mn_query_split_and(const struct mn_qnode *and, struct mn_qsplit *split)
{
	size_t i, positives = 0;

	memset(split, 0, sizeof(*split));
	split->kids = mn_xcalloc(and->nkids, sizeof(*split->kids));
	split->rest = mn_xcalloc(and->nkids, sizeof(*split->rest));
	split->and.type = MN_Q_AND;
	split->and.kids = split->kids;
	for (i = 0; i < and->nkids; i++) {
		const struct mn_qnode *k = and->kids[i];
		int positive = k->type != MN_Q_NOT && mn_query_fts_able(k);

		positives += positive;
		if (positive || (k->type == MN_Q_NOT && mn_query_fts_able(k->kids[0])))
			split->kids[split->and.nkids++] = (struct mn_qnode *)k;
		else
			split->rest[split->nrest++] = k;
	}
	if (!positives) {
		/* Exclusions alone cannot be matched: then every part filters. */
		split->and.nkids = 0;
		split->nrest = and->nkids;
		memcpy(split->rest, and->kids, and->nkids * sizeof(*split->rest));
		return;
	}
	split->fts = split->and.nkids == 1 ? split->kids[0] : &split->and;
}

void mn_qsplit_release(struct mn_qsplit *split)
{
	free(split->kids);
	free(split->rest);
	memset(split, 0, sizeof(*split));
}

int mn_query_fts_able(const struct mn_qnode *n)
{
	size_t i, positives = 0;

	switch (n->type) {
	case MN_Q_TERM:
	case MN_Q_PHRASE:
	case MN_Q_NEAR:
		return 1;
	case MN_Q_FIELD:
		return n->field == MN_F_TOPIC || n->field == MN_F_TITLE;
	case MN_Q_NOT:
		return 0;
	case MN_Q_AND:
		for (i = 0; i < n->nkids; i++) {
			const struct mn_qnode *k = n->kids[i];

			if (k->type == MN_Q_NOT) {
				if (!mn_query_fts_able(k->kids[0]))
					return 0;
			} else if (!mn_query_fts_able(k)) {
				return 0;
			} else {
				positives++;
			}
		}
		return positives > 0;
	case MN_Q_OR:
		for (i = 0; i < n->nkids; i++)
			if (!mn_query_fts_able(n->kids[i]))
				return 0;
		return 1;
	}
	return 0;
}

static void phrase_add(struct mn_fts_phrases *ph, const char *text, int prefix, int column,
		       int negated)
{
	if (!ph)
		return;
	MN_GROW(ph->v, ph->n + 1, ph->cap);
	ph->v[ph->n].text = mn_xstrdup(text);
	ph->v[ph->n].prefix = prefix;
	ph->v[ph->n].column = column;
	ph->v[ph->n].negated = negated;
	ph->n++;
}

/* As mn_query_fts_expr_phrases; negated: n is on the right of a NOT. */
static void fts_expr(const struct mn_qnode *n, struct mn_buf *out, struct mn_fts_phrases *ph,
		     int negated)
{
	size_t i, pos = 0;

	switch (n->type) {
	case MN_Q_TERM:
		phrase_add(ph, n->text, n->prefix, 0, negated);
		mn_query_quote(out, n->text);
		if (n->prefix)
			mn_buf_adds(out, " *");
		break;
	case MN_Q_PHRASE:
		phrase_add(ph, n->text, 0, 0, negated);
		mn_query_quote(out, n->text);
		break;
	case MN_Q_NEAR:
		if (ph)
			ph->alternatives = 1;
		mn_buf_adds(out, "NEAR(");
		for (i = 0; i < n->nkids; i++) {
			if (i)
				mn_buf_addc(out, ' ');
			phrase_add(ph, n->kids[i]->text, n->kids[i]->prefix, 0, negated);
			mn_query_quote(out, n->kids[i]->text);
			if (n->kids[i]->prefix)
				mn_buf_adds(out, " *");
		}
		mn_buf_addf(out, ", %d)", n->distance);
		break;
	case MN_Q_FIELD: {
		size_t len = strlen(n->text);
		int prefix = !n->quoted && len && n->text[len - 1] == '*';
		char *v = mn_xstrndup(n->text, prefix ? len - 1 : len);

		mn_buf_adds(out, n->field == MN_F_TOPIC ? "topic : " : "title : ");
		phrase_add(ph, v, prefix, 1, negated);
		mn_query_quote(out, v);
		if (prefix)
			mn_buf_adds(out, " *");
		free(v);
		break;
	}
	case MN_Q_AND:
		mn_buf_adds(out, "((");
		for (i = 0; i < n->nkids; i++) {
			if (n->kids[i]->type == MN_Q_NOT)
				continue;
			if (pos++)
				mn_buf_adds(out, " AND ");
			fts_expr(n->kids[i], out, ph, negated);
		}
		mn_buf_addc(out, ')');
		for (i = 0; i < n->nkids; i++) {
			if (n->kids[i]->type != MN_Q_NOT)
				continue;
			mn_buf_adds(out, " NOT ");
			fts_expr(n->kids[i]->kids[0], out, ph, 1);
		}
		mn_buf_addc(out, ')');
		break;
	case MN_Q_OR:
		if (ph && n->nkids > 1)
			ph->alternatives = 1;
		mn_buf_addc(out, '(');
		for (i = 0; i < n->nkids; i++) {
			if (i)
				mn_buf_adds(out, " OR ");
			fts_expr(n->kids[i], out, ph, negated);
		}
		mn_buf_addc(out, ')');
		break;
	case MN_Q_NOT:
		break;
	}
}

void mn_query_fts_expr_phrases(const struct mn_qnode *node, struct mn_buf *out,
			       struct mn_fts_phrases *ph)
{
	fts_expr(node, out, ph, 0);
}

void mn_query_fts_expr(const struct mn_qnode *n, struct mn_buf *out)
{
	mn_query_fts_expr_phrases(n, out, NULL);
}

void mn_fts_phrases_release(struct mn_fts_phrases *ph)
{
	size_t i;

	for (i = 0; i < ph->n; i++)
		free(ph->v[i].text);
	free(ph->v);
	ph->v = NULL;
	ph->n = ph->cap = 0;
	ph->alternatives = 0;
}

/* The people a name-like value designates: by name or by alias. */
static void people_matching(struct mn_sql *sql, int param, struct mn_buf *w)
{
	mn_buf_addf(w,
		    "SELECT id FROM people WHERE minutes_name_match(name, ?%d) "
		    "UNION SELECT person_id FROM aliases WHERE minutes_name_match(alias, ?%d)",
		    param, param);
	(void)sql;
}

char *mn_query_like_pattern(const char *value)
{
	struct mn_buf b = MN_BUF_INIT;

	mn_buf_addc(&b, '%');
	for (; *value; value++) {
		if (*value == '%' || *value == '_' || *value == '\\')
			mn_buf_addc(&b, '\\');
		mn_buf_addc(&b, *value);
	}
	mn_buf_addc(&b, '%');
	return mn_buf_detach(&b);
}

static void date_range(struct mn_sql *sql, const struct mn_qnode *n, struct mn_buf *w)
{
	const char *v = n->text;
	const char *dots = strstr(v, "..");
	struct mn_buf lo = MN_BUF_INIT, hi = MN_BUF_INIT;
	const char *d = "coalesce(p.date, m.date)";

	if (n->field == MN_F_AFTER) {
		mn_buf_adds(&lo, v);
	} else if (n->field == MN_F_BEFORE) {
		mn_buf_adds(&hi, v);
	} else if (dots) {
		mn_buf_add(&lo, v, (size_t)(dots - v));
		if (dots[2])
			mn_buf_addf(&hi, "%s~", dots + 2);
	} else {
		mn_buf_adds(&lo, v);
		mn_buf_addf(&hi, "%s~", v);
	}
	/* A passage without a date is in no range; "IS NOT NULL" keeps NOT of this true for it. */
	mn_buf_addf(w, "(%s IS NOT NULL AND ", d);
	if (lo.len)
		mn_buf_addf(w, "%s >= ?%d", d, add_param(sql, lo.data));
	if (lo.len && hi.len)
		mn_buf_adds(w, " AND ");
	if (hi.len)
		mn_buf_addf(w, "%s < ?%d", d, add_param(sql, hi.data));
	mn_buf_addc(w, ')');
	mn_buf_release(&lo);
	mn_buf_release(&hi);
}

static void field_sql(struct mn_sql *sql, const struct mn_qnode *n, struct mn_buf *w)
{
	int a;

	switch (n->field) {
	case MN_F_SPEAKER:
	case MN_F_OWNER:
		a = add_param(sql, n->text);
		mn_buf_addf(w,
			    "p.id IN (SELECT passage_id FROM passage_people WHERE role = %d "
			    "AND person_id IN (",
			    n->field == MN_F_OWNER ? 1 : 0);
		people_matching(sql, a, w);
		mn_buf_adds(w, "))");
		break;
	case MN_F_ATTENDEE:
		/* Whoever spoke was there, listed among the attendees or not. */
		a = add_param(sql, n->text);
		mn_buf_adds(w, "p.meeting_id IN (SELECT meeting_id FROM attendance WHERE "
			       "person_id IN (");
		people_matching(sql, a, w);
		mn_buf_adds(w, ") UNION SELECT sp.meeting_id FROM passage_people pp "
			       "JOIN passages sp ON sp.id = pp.passage_id WHERE pp.role = 0 "
			       "AND pp.person_id IN (");
		people_matching(sql, a, w);
		mn_buf_adds(w, "))");
		break;
	case MN_F_ORG:
		a = add_param(sql, n->text);
		mn_buf_addf(w,
			    "p.id IN (SELECT pp.passage_id FROM passage_people pp "
			    "JOIN passages p2 ON p2.id = pp.passage_id "
			    "JOIN attendance a ON a.person_id = pp.person_id "
			    "AND a.meeting_id = p2.meeting_id "
			    "WHERE pp.role = 0 AND minutes_name_match(a.org, ?%d))",
			    a);
		break;
	case MN_F_SERIES:
		mn_buf_addf(w, "minutes_name_match(m.series, ?%d)", add_param(sql, n->text));
		break;
	case MN_F_PROJECT: {
		struct mn_buf f = MN_BUF_INIT;

		mn_buf_adds(&f, "topic : ");
		mn_query_quote(&f, n->text);
		a = add_param(sql, n->text);
		mn_buf_addf(w,
			    "(minutes_name_match(m.series, ?%d) OR p.id IN (SELECT rowid FROM "
			    "passages_fts WHERE passages_fts MATCH ?%d))",
			    a, add_param(sql, f.data));
		mn_buf_release(&f);
		break;
	}
	case MN_F_KIND:
		mn_buf_addf(w, "p.kind = %d", mn_kind_from_name(n->text));
		break;
	case MN_F_PATH: {
		char *pat = mn_query_like_pattern(n->text);

		mn_buf_addf(w, "m.path LIKE ?%d ESCAPE '\\'", add_param(sql, pat));
		free(pat);
		break;
	}
	case MN_F_DATE:
	case MN_F_AFTER:
	case MN_F_BEFORE:
		date_range(sql, n, w);
		break;
	case MN_F_TOPIC:
	case MN_F_TITLE:
	case MN_F_COUNT:
		break;
	}
}

static void where_expr(struct mn_sql *sql, const struct mn_qnode *n, struct mn_buf *w)
{
	size_t i;

	if (mn_query_fts_able(n)) {
		struct mn_buf f = MN_BUF_INIT;

		mn_query_fts_expr(n, &f);
		mn_buf_addf(w,
			    "p.id IN (SELECT rowid FROM passages_fts WHERE passages_fts MATCH ?%d)",
			    add_param(sql, f.data));
		mn_buf_release(&f);
		return;
	}
	switch (n->type) {
	case MN_Q_AND:
	case MN_Q_OR:
		mn_buf_addc(w, '(');
		for (i = 0; i < n->nkids; i++) {
			if (i)
				mn_buf_adds(w, n->type == MN_Q_AND ? " AND " : " OR ");
			where_expr(sql, n->kids[i], w);
		}
		mn_buf_addc(w, ')');
		break;
	case MN_Q_NOT:
		mn_buf_adds(w, "NOT ");
		where_expr(sql, n->kids[0], w);
		break;
	case MN_Q_FIELD:
		mn_buf_addc(w, '(');
		field_sql(sql, n, w);
		mn_buf_addc(w, ')');
		break;
	default:
		mn_buf_addc(w, '1');
		break;
	}
}

int mn_query_to_sql(const struct mn_qnode *tree, struct mn_sql *sql, struct mn_err *err)
{
	size_t i, conj = 0;

	mn_buf_reset(&sql->match);
	mn_buf_reset(&sql->where);
	if (!tree) {
		mn_buf_addc(&sql->where, '1');
		return MN_OK;
	}
	if (mn_query_fts_able(tree)) {
		mn_query_fts_expr(tree, &sql->match);
		sql->match_param = add_param(sql, sql->match.data);
		mn_buf_addc(&sql->where, '1');
		return MN_OK;
	}
	if (tree->type != MN_Q_AND) {
		where_expr(sql, tree, &sql->where);
		return MN_OK;
	}

	{
		struct mn_qsplit split;

		mn_query_split_and(tree, &split);
		if (split.fts) {
			mn_query_fts_expr(split.fts, &sql->match);
			sql->match_param = add_param(sql, sql->match.data);
		}
		for (i = 0; i < split.nrest; i++) {
			if (conj++)
				mn_buf_adds(&sql->where, " AND ");
			where_expr(sql, split.rest[i], &sql->where);
		}
		mn_qsplit_release(&split);
	}
	if (!conj)
		mn_buf_addc(&sql->where, '1');
	(void)err;
	return MN_OK;
}

void mn_sql_release(struct mn_sql *sql)
{
	size_t i;

	for (i = 0; i < sql->nparams; i++)
		free(sql->params[i]);
	free(sql->params);
	sql->params = NULL;
	sql->nparams = sql->params_cap = 0;
	mn_buf_release(&sql->match);
	mn_buf_release(&sql->where);
}

void mn_sql_from_where(const struct mn_sql *sql, struct mn_buf *out)
{
	if (sql->match_param) {
		mn_buf_addf(out,
			    " FROM passages_fts f JOIN passages p ON p.id = f.rowid "
			    "JOIN meetings m ON m.id = p.meeting_id "
			    "WHERE f.passages_fts MATCH ?%d AND (%s)",
			    sql->match_param, mn_buf_str(&sql->where));
	} else {
		mn_buf_addf(out,
			    " FROM passages p JOIN meetings m ON m.id = p.meeting_id WHERE (%s)",
			    mn_buf_str(&sql->where));
	}
}

/* Whether value can be written after "field:" without quotes. */
static int plain_value(const char *value)
{
	const char *s;

	if (!*value)
		return 0;
	for (s = value; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '.' && *s != '_')
			return 0;
	return 1;
}

void mn_query_add_filter(struct mn_buf *out, enum mn_field field, const char *value)
{
	const char *s;

	mn_buf_addf(out, "%s:", mn_field_name(field));
	if (plain_value(value)) {
		mn_buf_adds(out, value);
		return;
	}
	mn_buf_addc(out, '"');
	for (s = value; *s; s++)
		mn_buf_addc(out, *s == '"' ? ' ' : *s);
	mn_buf_addc(out, '"');
}
