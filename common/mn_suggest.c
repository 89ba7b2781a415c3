/*
 * "Did you mean" from the index vocabulary. FTS5's vocabulary holds stems
 * ("migrat"), which nobody types, so a candidate stem is turned back into a
 * word through fts5vocab's instance table: where the stem occurs, the text
 * is tokenized again and the word at that position read from it.
 *
 * The fts5vocab tables live in the temp schema, which a read-only
 * connection can still write.
 */
#include "mn_suggest.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "mn_search.h"
#include "mn_text.h"

/* Words the index holds in fewer passages than this may be misspelt. */
#define RARE_DOCS 3
/* A replacement must be this many times more frequent than a rare word. */
#define MORE_FREQUENT 5
/* Candidate stems examined per word, and occurrences read per stem. */
#define MAX_CANDIDATES 8
#define MAX_SAMPLES    8
/* Longest word considered, in characters. */
#define MAX_WORD 48

/* Edits allowed for a word of n characters. */
static size_t max_edits(size_t n)
{
	return n <= 5 ? 1 : 2;
}

static size_t utf8_chars(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

/* ---- the index's own tokenizer -------------------------------------------- */

struct tokenizer {
	fts5_tokenizer methods;
	Fts5Tokenizer *inst;
};

struct token {
	char *stem;
	size_t start, end; /* bytes of the source text */
};

struct tokens {
	struct token *v;
	size_t n, cap;
};

static fts5_api *fts5_api_of(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *s = NULL;

	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &s, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(s);
	sqlite3_finalize(s);
	return api;
}

/* Opens the snowball tokenizer in the index's language, as passages_fts uses it. */
static int tokenizer_open(struct mn_store *store, struct tokenizer *t, struct mn_err *err)
{
	fts5_api *api = fts5_api_of(mn_store_db(store));
	const char *argv[1] = {mn_store_language(store)};
	void *ctx = NULL;

	memset(t, 0, sizeof(*t));
	if (!api || api->xFindTokenizer(api, "snowball", &ctx, &t->methods) != SQLITE_OK ||
	    t->methods.xCreate(ctx, argv, 1, &t->inst) != SQLITE_OK) {
		t->inst = NULL;
		return mn_err_set(err, MN_ERR_DB, "cannot open the snowball tokenizer for '%s'",
				  mn_store_path(store));
	}
	return MN_OK;
}

static void tokenizer_close(struct tokenizer *t)
{
	if (t->inst)
		t->methods.xDelete(t->inst);
	t->inst = NULL;
}

static int on_token(void *ctx, int tflags, const char *token, int n, int start, int end)
{
	struct tokens *out = ctx;

	/* Colocated tokens share the position of the one before. */
	if (tflags & FTS5_TOKEN_COLOCATED)
		return SQLITE_OK;
	MN_GROW(out->v, out->n + 1, out->cap);
	out->v[out->n].stem = mn_xstrndup(token, (size_t)n);
	out->v[out->n].start = (size_t)start;
	out->v[out->n].end = (size_t)end;
	out->n++;
	return SQLITE_OK;
}

static void tokens_release(struct tokens *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->v[i].stem);
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
}

static void tokenize(struct tokenizer *t, int flags, const char *text, size_t n, struct tokens *out)
{
	t->methods.xTokenize(t->inst, out, flags, text, (int)n, on_token);
}

/* ---- words of the query -------------------------------------------------- */

struct span {
	size_t pos, len;
};

struct spans {
	struct span *v;
	size_t n, cap;
};

static void add_span(struct spans *s, size_t pos, size_t len)
{
	MN_GROW(s->v, s->n + 1, s->cap);
	s->v[s->n].pos = pos;
	s->v[s->n].len = len;
	s->n++;
}

/* The words the query requires: excluded words and prefixes would gain nothing. */
static void required_words(const struct mn_qnode *n, struct spans *out)
{
	size_t i;

	switch (n->type) {
	case MN_Q_AND:
	case MN_Q_OR:
	case MN_Q_NEAR:
		for (i = 0; i < n->nkids; i++)
			required_words(n->kids[i], out);
		break;
	case MN_Q_TERM:
		if (!n->prefix)
			add_span(out, n->pos, n->len);
		break;
	case MN_Q_PHRASE:
		add_span(out, n->pos, n->len);
		break;
	case MN_Q_NOT:
	case MN_Q_FIELD:
		break;
	}
}

/* ---- the vocabulary -------------------------------------------------------- */

struct vocab {
	struct mn_store *store;
	struct tokenizer tok;
	sqlite3_stmt *docs;	 /* term -> passages holding it */
	sqlite3_stmt *range;	 /* terms in [lo, hi) with their passages */
	sqlite3_stmt *stems;	 /* stems in [lo, hi), from terms; NULL when the index has none */
	sqlite3_stmt *instances; /* term -> (passage, column, token position) */
	sqlite3_stmt *content;	 /* passage -> text, topic, title */
};

static int vocab_error(struct vocab *v, struct mn_err *err)
{
	return mn_err_set(err, MN_ERR_DB, "cannot read the vocabulary of '%s': %s",
			  mn_store_path(v->store), mn_store_errmsg(v->store));
}

static int vocab_open(struct vocab *v, struct mn_store *store, struct mn_err *err)
{
	sqlite3 *db = mn_store_db(store);
	static const char *const sql[4] = {
	    "SELECT doc FROM temp.mn_vocab_row WHERE term = ?1",
	    "SELECT term, doc FROM temp.mn_vocab_row WHERE term >= ?1 AND term < ?2",
	    "SELECT doc, col, offset FROM temp.mn_vocab_instance WHERE term = ?1",
	    "SELECT text, topic, title FROM passages_content WHERE id = ?1",
	};
	sqlite3_stmt **stmts[4];
	size_t i;

	memset(v, 0, sizeof(*v));
	v->store = store;
	stmts[0] = &v->docs;
	stmts[1] = &v->range;
	stmts[2] = &v->instances;
	stmts[3] = &v->content;
	if (sqlite3_exec(db,
			 "CREATE VIRTUAL TABLE IF NOT EXISTS temp.mn_vocab_row "
			 "USING fts5vocab(main, passages_fts, row);"
			 "CREATE VIRTUAL TABLE IF NOT EXISTS temp.mn_vocab_instance "
			 "USING fts5vocab(main, passages_fts, instance)",
			 NULL, NULL, NULL) != SQLITE_OK)
		return vocab_error(v, err);
	for (i = 0; i < 4; i++)
		if (sqlite3_prepare_v2(db, sql[i], -1, stmts[i], NULL) != SQLITE_OK)
			return vocab_error(v, err);
	/*
	 * The stems alone, without counting their passages as fts5vocab does for
	 * every term of a range (tens of milliseconds for a common first letter
	 * in a large index). An index of schema 4 opened to read has no table.
	 */
	if (sqlite3_prepare_v2(db, "SELECT term FROM terms WHERE term >= ?1 AND term < ?2", -1,
			       &v->stems, NULL) != SQLITE_OK) {
		sqlite3_finalize(v->stems);
		v->stems = NULL;
	}
	return tokenizer_open(store, &v->tok, err);
}

static void vocab_close(struct vocab *v)
{
	sqlite3 *db = v->store ? mn_store_db(v->store) : NULL;

	sqlite3_finalize(v->docs);
	sqlite3_finalize(v->range);
	sqlite3_finalize(v->stems);
	sqlite3_finalize(v->instances);
	sqlite3_finalize(v->content);
	tokenizer_close(&v->tok);
	if (db) {
		sqlite3_exec(db, "DROP TABLE IF EXISTS temp.mn_vocab_row", NULL, NULL, NULL);
		sqlite3_exec(db, "DROP TABLE IF EXISTS temp.mn_vocab_instance", NULL, NULL, NULL);
	}
}

/* Passages holding stem; -1 on error. */
static int64_t vocab_docs(struct vocab *v, const char *stem, struct mn_err *err)
{
	int64_t n = 0;
	int rc;

	sqlite3_reset(v->docs);
	sqlite3_bind_text(v->docs, 1, stem, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(v->docs);
	if (rc == SQLITE_ROW)
		n = sqlite3_column_int64(v->docs, 0);
	else if (rc != SQLITE_DONE)
		n = -1, vocab_error(v, err);
	sqlite3_reset(v->docs);
	return n;
}

struct candidate {
	char *stem;
	int64_t docs;
	size_t edits;
};

static int by_promise(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;

	if (x->edits != y->edits)
		return x->edits < y->edits ? -1 : 1;
	if (x->docs != y->docs)
		return x->docs > y->docs ? -1 : 1;
	return strcmp(x->stem, y->stem);
}

/*
 * Fills c with the stems near stem held in at least min_docs passages, the
 * most promising first. Only stems with the same first character are read:
 * misspellings rarely change it, and the vocabulary is read as a range.
 */
/* Bytes of the first chars characters of s (all of it when shorter). */
static size_t utf8_prefix(const char *s, size_t chars)
{
	size_t i = 0, c = 0, n = strlen(s);

	while (i < n && c < chars) {
		i += mn_utf8_seqlen((unsigned char)s[i]);
		c++;
	}
	return i < n ? i : n;
}

/*
 * How far term (a stem) is from a start of typed, the word as typed: a
 * misspelling in the suffix stemming removes ("migratoin" is not stemmed
 * to "migrat") leaves the stem far from the typed word's own stem, but close
 * to its start. Short stems, and stems much shorter than the word, are not
 * taken that way. More than edits when too far.
 */
static size_t prefix_distance(const char *typed, const char *term, size_t edits)
{
	size_t tl = utf8_chars(term, strlen(term)), wl = utf8_chars(typed, strlen(typed));
	size_t best = edits + 1, len;

	if (tl < 4 || tl * 10 < wl * 6)
		return best;
	for (len = tl > edits ? tl - edits : 1; len <= tl + edits && len <= wl; len++) {
		char *start = mn_xstrndup(typed, utf8_prefix(typed, len));
		size_t d = mn_edit_distance(start, term, edits);

		free(start);
		if (d < best)
			best = d;
	}
	return best;
}

static int near_stems(struct vocab *v, const char *stem, const char *typed, size_t edits,
		      int64_t min_docs, struct candidate *c, size_t *nc, struct mn_err *err)
{
	size_t first = mn_utf8_seqlen((unsigned char)stem[0]);
	char lo[8], hi[8];
	sqlite3_stmt *r;
	int rc;

	*nc = 0;
	if (first > strlen(stem) || first >= sizeof(lo))
		return MN_OK;
	memcpy(lo, stem, first);
	lo[first] = '\0';
	memcpy(hi, lo, first + 1);
	hi[first - 1]++;
	/* From terms when there is one: passages are counted only for the stems near enough. */
	r = v->stems ? v->stems : v->range;
	sqlite3_reset(r);
	sqlite3_bind_text(r, 1, lo, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(r, 2, hi, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(r)) == SQLITE_ROW) {
		const char *term = (const char *)sqlite3_column_text(r, 0);
		int64_t docs = v->stems ? min_docs : sqlite3_column_int64(r, 1);
		size_t d;

		if (!term || docs < min_docs || !strcmp(term, stem))
			continue;
		d = mn_edit_distance(stem, term, edits);
		if (d > edits)
			d = prefix_distance(typed, term, edits);
		if (d > edits)
			continue;
		if (v->stems && (docs = vocab_docs(v, term, err)) < min_docs) {
			if (err->status)
				break;
			continue;
		}
		if (*nc == MAX_CANDIDATES) {
			struct candidate probe = {(char *)term, docs, d};

			if (by_promise(&probe, &c[*nc - 1]) >= 0)
				continue;
			free(c[--*nc].stem);
		}
		c[*nc].stem = mn_xstrdup(term);
		c[*nc].docs = docs;
		c[*nc].edits = d;
		(*nc)++;
		qsort(c, *nc, sizeof(*c), by_promise);
	}
	if (rc != SQLITE_DONE && !err->status)
		vocab_error(v, err);
	sqlite3_reset(r);
	return err->status;
}

static void ascii_lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/*
 * The word as written in the minutes for stem that is closest to typed
 * (lowercase; a new string, caller frees), or NULL. *edits is its distance.
 */
static char *surface_of(struct vocab *v, const char *stem, const char *typed, size_t max,
			size_t *edits, struct mn_err *err)
{
	char *best = NULL;
	size_t samples = 0;
	int rc;

	*edits = max + 1;
	sqlite3_reset(v->instances);
	sqlite3_bind_text(v->instances, 1, stem, -1, SQLITE_TRANSIENT);
	while (samples < MAX_SAMPLES && (rc = sqlite3_step(v->instances)) == SQLITE_ROW) {
		int64_t doc = sqlite3_column_int64(v->instances, 0);
		const char *col = (const char *)sqlite3_column_text(v->instances, 1);
		int64_t offset = sqlite3_column_int64(v->instances, 2);
		int c = !col ? -1 : !strcmp(col, "text") ? 0 : !strcmp(col, "topic") ? 1 : 2;
		struct tokens toks = {NULL, 0, 0};
		const char *text;

		samples++;
		sqlite3_reset(v->content);
		sqlite3_bind_int64(v->content, 1, doc);
		if (c < 0 || sqlite3_step(v->content) != SQLITE_ROW)
			continue;
		text = (const char *)sqlite3_column_text(v->content, c);
		if (text)
			tokenize(&v->tok, FTS5_TOKENIZE_DOCUMENT, text, strlen(text), &toks);
		if (offset >= 0 && (size_t)offset < toks.n && !strcmp(toks.v[offset].stem, stem)) {
			const struct token *t = &toks.v[offset];
			char *word = mn_xstrndup(text + t->start, t->end - t->start);
			size_t d;

			ascii_lower(word);
			d = mn_edit_distance(typed, word, max);
			if (d < *edits || (d == *edits && best && strcmp(word, best) < 0)) {
				free(best);
				best = word;
				*edits = d;
			} else {
				free(word);
			}
		}
		tokens_release(&toks);
		sqlite3_reset(v->content);
	}
	if (samples < MAX_SAMPLES && rc != SQLITE_DONE && rc != SQLITE_ROW)
		vocab_error(v, err);
	sqlite3_reset(v->instances);
	if (err->status || *edits > max) {
		free(best);
		return NULL;
	}
	return best;
}

/* word in the case of typed: all capitals, a capital first, or lowercase. */
static void match_case(char *word, const char *typed, size_t n)
{
	size_t i, letters = 0, upper = 0;

	for (i = 0; i < n; i++) {
		if (isalpha((unsigned char)typed[i])) {
			letters++;
			upper += isupper((unsigned char)typed[i]) != 0;
		}
	}
	if (letters > 1 && upper == letters) {
		for (; *word; word++)
			*word = (char)toupper((unsigned char)*word);
	} else if (n && isupper((unsigned char)typed[0])) {
		word[0] = (char)toupper((unsigned char)word[0]);
	}
}

struct fix {
	size_t start, end; /* bytes of the query replaced */
	char *word;
};

/* The replacement for the token typed[0..n) with stem, or NULL. */
static char *correct(struct vocab *v, const char *typed_src, size_t n, const char *stem,
		     struct mn_err *err)
{
	struct candidate c[MAX_CANDIDATES];
	size_t nc = 0, i, edits, best_edits;
	char *typed, *best = NULL;
	int64_t docs, best_docs = 0, min_docs;

	if (utf8_chars(typed_src, n) < 3 || utf8_chars(typed_src, n) > MAX_WORD)
		return NULL;
	for (i = 0; i < n; i++)
		if (isdigit((unsigned char)typed_src[i]))
			return NULL;
	docs = vocab_docs(v, stem, err);
	if (docs < 0 || docs >= RARE_DOCS)
		return NULL;
	min_docs = docs ? docs * MORE_FREQUENT : 1;
	typed = mn_xstrndup(typed_src, n);
	ascii_lower(typed);
	edits = max_edits(utf8_chars(typed, n));
	best_edits = edits + 1;
	if (near_stems(v, stem, typed, edits, min_docs, c, &nc, err))
		goto out;
	for (i = 0; i < nc; i++) {
		size_t d;
		char *word = surface_of(v, c[i].stem, typed, edits, &d, err);

		if (err->status)
			break;
		if (!word || !strcmp(word, typed)) {
			free(word);
			continue;
		}
		if (d < best_edits || (d == best_edits && c[i].docs > best_docs)) {
			free(best);
			best = word;
			best_edits = d;
			best_docs = c[i].docs;
		} else {
			free(word);
		}
	}
out:
	for (i = 0; i < nc; i++)
		free(c[i].stem);
	free(typed);
	if (err->status) {
		free(best);
		return NULL;
	}
	if (best)
		match_case(best, typed_src, n);
	return best;
}

static int by_start(const void *a, const void *b)
{
	const struct fix *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

int mn_suggest(struct mn_store *store, const char *query, const struct mn_qnode *tree, int64_t hits,
	       char **out, int64_t *out_hits, struct mn_err *err)
{
	struct spans words = {NULL, 0, 0};
	struct vocab v;
	struct fix *fixes = NULL;
	size_t nfixes = 0, cap = 0, i, k;
	struct mn_buf fixed = MN_BUF_INIT;
	struct mn_qnode *fixed_tree = NULL;
	struct mn_err qerr = MN_ERR_INIT;
	int64_t fixed_hits = 0;

	*out = NULL;
	*out_hits = 0;
	memset(&v, 0, sizeof(v));
	if (!tree || hits >= MN_SUGGEST_BELOW)
		return MN_OK;
	required_words(tree, &words);
	if (!words.n)
		goto out;
	if (vocab_open(&v, store, err))
		goto out;
	for (i = 0; i < words.n; i++) {
		struct tokens toks = {NULL, 0, 0};
		const char *text = query + words.v[i].pos;

		tokenize(&v.tok, FTS5_TOKENIZE_QUERY, text, words.v[i].len, &toks);
		for (k = 0; k < toks.n && !err->status; k++) {
			const struct token *t = &toks.v[k];
			char *word = correct(&v, text + t->start, t->end - t->start, t->stem, err);

			if (!word)
				continue;
			MN_GROW(fixes, nfixes + 1, cap);
			fixes[nfixes].start = words.v[i].pos + t->start;
			fixes[nfixes].end = words.v[i].pos + t->end;
			fixes[nfixes].word = word;
			nfixes++;
		}
		tokens_release(&toks);
		if (err->status)
			goto out;
	}
	if (!nfixes)
		goto out;
	qsort(fixes, nfixes, sizeof(*fixes), by_start);
	for (i = 0, k = 0; i < nfixes; i++) {
		if (fixes[i].start < k)
			continue;
		mn_buf_add(&fixed, query + k, fixes[i].start - k);
		mn_buf_adds(&fixed, fixes[i].word);
		k = fixes[i].end;
	}
	mn_buf_adds(&fixed, query + k);
	/* Only a query that parses and finds more is worth suggesting. */
	if (mn_query_parse(mn_buf_str(&fixed), &fixed_tree, &qerr) || !fixed_tree)
		goto out;
	if (mn_search_count(store, fixed_tree, &fixed_hits, err))
		goto out;
	if (fixed_hits > hits) {
		*out = mn_buf_detach(&fixed);
		*out_hits = fixed_hits;
	}
out:
	for (i = 0; i < nfixes; i++)
		free(fixes[i].word);
	free(fixes);
	free(words.v);
	mn_qnode_free(fixed_tree);
	mn_buf_release(&fixed);
	vocab_close(&v);
	return err->status;
}
