#include "mn_tokenizer.h"

#include <libstemmer.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

/*
 * Stemming the same word again and again is most of the tokenizer's cost:
 * minutes repeat a few tens of thousands of distinct words millions of times.
 * A direct-mapped cache of recent (token, stem) pairs skips libstemmer for
 * them. Entries hold short words only; longer ones are stemmed every time.
 * A tokenizer makes its cache (200 KB) once it has stemmed CACHE_AFTER
 * words: a search stems a few hundred, for which libstemmer costs less than
 * the pages of a cache they would touch.
 */
#define CACHE_SLOTS 4096
#define CACHE_WORD  24
#define CACHE_AFTER 4096

struct stem_slot {
	unsigned char tok_len; /* 0: empty slot */
	unsigned char stem_len;
	char tok[CACHE_WORD];
	char stem[CACHE_WORD];
};

struct snowball {
	fts5_tokenizer parent;	    /* unicode61's methods */
	Fts5Tokenizer *parent_inst; /* our unicode61 instance */
	struct sb_stemmer *stemmer;
	struct stem_slot *cache; /* NULL until stemmed reaches CACHE_AFTER */
	size_t stemmed;
	char *args; /* the arguments it was made with, joined: what its tokens depend on */
};

/* What xTokenize passes through unicode61 to our per-token callback. */
struct snowball_call {
	struct snowball *tok;
	void *ctx;
	int (*emit)(void *ctx, int tflags, const char *token, int n, int start, int end);
	int document; /* tokenizing a document (not a query) */
};

/*
 * For an auxiliary function (snippet(), highlight(), mn_first_match) the
 * tokens only say where each one is: FTS5 matches them to the phrases by
 * their positions, never by their text. Unicode61 alone gives the same
 * tokens at the same positions, so they go out unstemmed.
 */
static int unstemmed_tokenize(struct snowball *tok, void *ctx, const char *text, int n,
			      int (*emit)(void *, int, const char *, int, int, int))
{
	return tok->parent.xTokenize(tok->parent_inst, ctx, FTS5_TOKENIZE_AUX, text, n, emit);
}

/* Tokens of documents tokenized by this thread (see mn_tokenizer_document_tokens). */
static _Thread_local uint64_t document_tokens;

uint64_t mn_tokenizer_document_tokens(void)
{
	return document_tokens;
}

static int language_known(const char *language)
{
	struct sb_stemmer *s = sb_stemmer_new(language, "UTF_8");

	if (!s)
		return 0;
	sb_stemmer_delete(s);
	return 1;
}

int mn_tokenizer_check_language(const char *language, struct mn_err *err)
{
	struct mn_buf known = MN_BUF_INIT;
	const char **list;

	if (language_known(language))
		return MN_OK;
	for (list = sb_stemmer_list(); *list; list++) {
		if (known.len)
			mn_buf_adds(&known, ", ");
		mn_buf_adds(&known, *list);
	}
	mn_err_set(err, MN_ERR_USAGE, "unknown stemming language '%s' (known: %s)", language,
		   mn_buf_str(&known));
	mn_buf_release(&known);
	return MN_ERR_USAGE;
}

static void snowball_delete(Fts5Tokenizer *p)
{
	struct snowball *tok = (struct snowball *)p;

	if (!tok)
		return;
	if (tok->parent_inst)
		tok->parent.xDelete(tok->parent_inst);
	if (tok->stemmer)
		sb_stemmer_delete(tok->stemmer);
	free(tok->cache);
	free(tok->args);
	free(tok);
}

/* The language and unicode61's arguments, joined by separators. */
static char *args_joined(const char *language, const char *const *argv, int argc)
{
	struct mn_buf b = MN_BUF_INIT;
	int i;

	mn_buf_adds(&b, language);
	for (i = 0; i < argc; i++) {
		mn_buf_addc(&b, MN_LIST_SEP);
		mn_buf_adds(&b, argv[i]);
	}
	return mn_buf_detach(&b);
}

static int snowball_create(void *api_ptr, const char **argv, int argc, Fts5Tokenizer **out)
{
	fts5_api *api = api_ptr;
	struct snowball *tok;
	const char *language = MN_DEFAULT_LANGUAGE;
	const char *parent_argv[32];
	int parent_argc = 0;
	void *parent_ctx;
	int i, rc, diacritics_given = 0;

	*out = NULL;
	if (argc > 0) {
		language = argv[0];
		argv++;
		argc--;
	}
	if (argc > (int)(sizeof(parent_argv) / sizeof(*parent_argv)) - 2)
		return SQLITE_ERROR;
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "remove_diacritics"))
			diacritics_given = 1;
		parent_argv[parent_argc++] = argv[i];
	}
	if (!diacritics_given) {
		parent_argv[parent_argc++] = "remove_diacritics";
		parent_argv[parent_argc++] = "2";
	}

	tok = calloc(1, sizeof(*tok));
	if (!tok)
		return SQLITE_NOMEM;
	tok->args = args_joined(language, parent_argv, parent_argc);
	tok->stemmer = sb_stemmer_new(language, "UTF_8");
	if (!tok->stemmer) {
		snowball_delete((Fts5Tokenizer *)tok);
		return SQLITE_ERROR;
	}
	rc = api->xFindTokenizer(api, "unicode61", &parent_ctx, &tok->parent);
	if (rc == SQLITE_OK)
		rc = tok->parent.xCreate(parent_ctx, parent_argv, parent_argc, &tok->parent_inst);
	if (rc != SQLITE_OK) {
		snowball_delete((Fts5Tokenizer *)tok);
		return rc;
	}
	*out = (Fts5Tokenizer *)tok;
	return SQLITE_OK;
}

static unsigned hash_bytes(const char *s, int n)
{
	unsigned h = 2166136261u;
	int i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* Where this thread's document stems go (see mn_tokenizer_set_sink). */
static _Thread_local mn_stem_sink_fn sink_fn;
static _Thread_local void *sink_ctx;

void mn_tokenizer_set_sink(mn_stem_sink_fn fn, void *ctx)
{
	sink_fn = fn;
	sink_ctx = ctx;
}

/* Stems token into a pointer/length pair; the result is borrowed. */
static void stem(struct snowball *tok, const char *token, int n, const char **stem_out,
		 int *stem_len)
{
	struct stem_slot *slot = NULL;
	const sb_symbol *s;
	int len;

	if (!tok->cache && ++tok->stemmed >= CACHE_AFTER)
		tok->cache = calloc(CACHE_SLOTS, sizeof(*tok->cache)); /* NULL: no cache */
	if (tok->cache && n < CACHE_WORD) {
		slot = &tok->cache[hash_bytes(token, n) & (CACHE_SLOTS - 1)];
		if (slot->tok_len == n && !memcmp(slot->tok, token, (size_t)n)) {
			*stem_out = slot->stem;
			*stem_len = slot->stem_len;
			return;
		}
	}
	s = sb_stemmer_stem(tok->stemmer, (const sb_symbol *)token, n);
	len = sb_stemmer_length(tok->stemmer);
	if (!s || len <= 0) {
		*stem_out = token;
		*stem_len = n;
		return;
	}
	*stem_out = (const char *)s;
	*stem_len = len;
	if (slot && len < CACHE_WORD) {
		slot->tok_len = (unsigned char)n;
		memcpy(slot->tok, token, (size_t)n);
		slot->stem_len = (unsigned char)len;
		memcpy(slot->stem, s, (size_t)len);
	}
}

static int snowball_token(void *ctx, int tflags, const char *token, int n, int start, int end)
{
	struct snowball_call *call = ctx;
	const char *s;
	int len;

	if (call->document && !(tflags & FTS5_TOKEN_COLOCATED))
		document_tokens++;
	if (n <= 0 || n > MN_STEM_MAX_BYTES) {
		if (call->document && sink_fn && n > 0)
			sink_fn(sink_ctx, token, (size_t)n);
		return call->emit(call->ctx, tflags, token, n, start, end);
	}
	stem(call->tok, token, n, &s, &len);
	if (call->document && sink_fn)
		sink_fn(sink_ctx, s, (size_t)len);
	return call->emit(call->ctx, tflags, s, len, start, end);
}

/* ---- tapes -------------------------------------------------------------------- */

/*
 * A token as snowball_token gave it: bytes[at, at + n) of the tape (tokens
 * are FTS5's, whose offsets are ints; a tape holds one file's passages).
 * The tape keeps each stem's bytes once, and marks its first token.
 */
struct tape_token {
	uint32_t at;
	uint32_t n; /* bytes, TAPE_COLOCATED and TAPE_FIRST */
	int32_t start, end;
};

#define TAPE_COLOCATED 0x80000000u
#define TAPE_FIRST     0x40000000u /* the first of the tape's tokens with these bytes */
#define TAPE_LEN       0x3fffffffu

/*
 * A text recorded: the text (borrowed, or its copy at bytes[at, ...)), n
 * bytes, and its tokens tokens[first, first + count).
 */
struct tape_text {
	const char *text;
	size_t at, n, first, count;
};

/* How many of the texts recorded last a new one is compared with. */
#define TAPE_LOOK_BACK 6

struct mn_token_tape {
	char *args; /* of the tokenizer that recorded it */
	char *bytes;
	size_t nbytes, bytes_cap;
	struct tape_token *tokens;
	size_t ntokens, tokens_cap;
	struct tape_text *texts;
	size_t ntexts, texts_cap;
	/* While recording: the first token of each stem, by hash (index + 1; 0 free). */
	uint32_t *stems;
	size_t nstems, stems_cap;
	size_t next; /* the next text to replay */
	size_t sunk; /* tokens[0, sunk) went to the sink in this replay */
	/*
	 * Some text was replayed without a sink: its tokens marked first did
	 * not reach the sink, so from then on every token goes to it.
	 */
	int sink_all;
};

static _Thread_local struct mn_token_tape *tape_on;
static _Thread_local uint64_t texts_replayed;

uint64_t mn_tokenizer_replayed(void)
{
	return texts_replayed;
}

struct mn_token_tape *mn_token_tape_new(void)
{
	return mn_xcalloc(1, sizeof(struct mn_token_tape));
}

void mn_token_tape_free(struct mn_token_tape *t)
{
	if (!t)
		return;
	free(t->args);
	free(t->bytes);
	free(t->tokens);
	free(t->texts);
	free(t->stems);
	free(t);
}

void mn_token_tape_done(struct mn_token_tape *t)
{
	free(t->stems);
	t->stems = NULL;
	t->nstems = t->stems_cap = 0;
	if (t->bytes_cap > t->nbytes) {
		t->bytes = mn_xrealloc(t->bytes, t->nbytes ? t->nbytes : 1);
		t->bytes_cap = t->nbytes ? t->nbytes : 1;
	}
	if (t->tokens_cap > t->ntokens) {
		t->tokens = mn_xrealloc(t->tokens, (t->ntokens ? t->ntokens : 1) * sizeof(*t->tokens));
		t->tokens_cap = t->ntokens ? t->ntokens : 1;
	}
	if (t->texts_cap > t->ntexts) {
		t->texts = mn_xrealloc(t->texts, (t->ntexts ? t->ntexts : 1) * sizeof(*t->texts));
		t->texts_cap = t->ntexts ? t->ntexts : 1;
	}
}

size_t mn_token_tape_bytes(const struct mn_token_tape *t)
{
	return t ? t->bytes_cap + t->tokens_cap * sizeof(*t->tokens) +
		       t->texts_cap * sizeof(*t->texts) + t->stems_cap * sizeof(*t->stems)
		 : 0;
}

static size_t tape_keep(struct mn_token_tape *t, const char *b, size_t n)
{
	size_t at = t->nbytes;

	MN_GROW(t->bytes, t->nbytes + n + 1, t->bytes_cap);
	memcpy(t->bytes + at, b, n);
	t->nbytes += n;
	return at;
}

/* Grows the tape's table of stems to hold one more. */
static void stems_grow(struct mn_token_tape *t)
{
	uint32_t *old = t->stems;
	size_t n = t->stems_cap, i, j, mask;

	if (2 * (t->nstems + 1) <= t->stems_cap)
		return;
	t->stems_cap = n ? 2 * n : 1024;
	t->stems = mn_xcalloc(t->stems_cap, sizeof(*t->stems));
	mask = t->stems_cap - 1;
	for (i = 0; i < n; i++) {
		const struct tape_token *k;

		if (!old[i])
			continue;
		k = &t->tokens[old[i] - 1];
		for (j = hash_bytes(t->bytes + k->at, (int)(k->n & TAPE_LEN)) & mask; t->stems[j];
		     j = (j + 1) & mask)
			;
		t->stems[j] = old[i];
	}
	free(old);
}

/*
 * Where the tape keeps a token's bytes: those of its first token with the
 * same bytes (*first 0), else a new copy (*first 1).
 */
static uint32_t stem_at(struct mn_token_tape *t, const char *token, uint32_t n, int *first)
{
	size_t i, mask;

	stems_grow(t);
	mask = t->stems_cap - 1;
	for (i = hash_bytes(token, (int)n) & mask; t->stems[i]; i = (i + 1) & mask) {
		const struct tape_token *k = &t->tokens[t->stems[i] - 1];

		if ((k->n & TAPE_LEN) == n && !memcmp(t->bytes + k->at, token, n)) {
			*first = 0;
			return k->at;
		}
	}
	t->stems[i] = (uint32_t)t->ntokens + 1;
	t->nstems++;
	*first = 1;
	return (uint32_t)tape_keep(t, token, n);
}

static int tape_token(void *ctx, int tflags, const char *token, int n, int start, int end)
{
	struct mn_token_tape *t = ctx;
	struct tape_token *k;
	uint32_t len = n > 0 ? (uint32_t)n : 0;
	int first = 0;

	MN_GROW(t->tokens, t->ntokens + 1, t->tokens_cap);
	k = &t->tokens[t->ntokens];
	k->at = len ? stem_at(t, token, len, &first) : (uint32_t)t->nbytes;
	k->n =
	    len | (first ? TAPE_FIRST : 0) | (tflags & FTS5_TOKEN_COLOCATED ? TAPE_COLOCATED : 0);
	k->start = start;
	k->end = end;
	t->ntokens++;
	return SQLITE_OK;
}

/*
 * Replays the tape's next text instead of tokenizing text when it is that
 * text and was recorded by a tokenizer made as tok was; 0 when it is not
 * (nothing was given, the tape stays where it is).
 */
static int tape_replay(struct mn_token_tape *t, struct snowball *tok, void *ctx,
		       int (*emit)(void *, int, const char *, int, int, int), const char *text,
		       int n, int *rc)
{
	const struct tape_text *x;
	size_t i;
	int sink;

	if (t->next >= t->ntexts || n <= 0 || !t->args || strcmp(t->args, tok->args))
		return 0;
	x = &t->texts[t->next];
	if (x->n != (size_t)n || memcmp(x->text ? x->text : t->bytes + x->at, text, x->n))
		return 0;
	t->next++;
	texts_replayed++;
	*rc = SQLITE_OK;
	/*
	 * A text recorded once for its repeats (a title, a topic path) feeds
	 * the sink once; and of a stem, only its first token on the tape does
	 * (the texts are replayed in order), unless some text missed the sink.
	 */
	sink = sink_fn && x->first + x->count > t->sunk;
	if (sink)
		t->sunk = x->first + x->count;
	else if (!sink_fn && x->first + x->count > t->sunk)
		t->sink_all = 1;
	/* As snowball_token gives a document's tokens. */
	for (i = x->first; i < x->first + x->count && *rc == SQLITE_OK; i++) {
		const struct tape_token *k = &t->tokens[i];
		uint32_t len = k->n & TAPE_LEN;
		int colocated = (k->n & TAPE_COLOCATED) != 0;

		if (!colocated)
			document_tokens++;
		if (sink && len > 0 && (t->sink_all || (k->n & TAPE_FIRST)))
			sink_fn(sink_ctx, t->bytes + k->at, len);
		*rc = emit(ctx, colocated ? FTS5_TOKEN_COLOCATED : 0, t->bytes + k->at, (int)len,
			   k->start, k->end);
	}
	return 1;
}

void mn_tokenizer_set_tape(struct mn_token_tape *tape)
{
	tape_on = tape;
	if (tape) {
		tape->next = tape->sunk = 0;
		tape->sink_all = 0;
	}
}

static int snowball_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int n,
			     int (*emit)(void *, int, const char *, int, int, int))
{
	struct snowball *tok = (struct snowball *)p;
	struct snowball_call call = {tok, ctx, emit, (flags & FTS5_TOKENIZE_DOCUMENT) != 0};
	int rc;

	if (flags == FTS5_TOKENIZE_AUX)
		return unstemmed_tokenize(tok, ctx, text, n, emit);
	if (flags == FTS5_TOKENIZE_DOCUMENT && tape_on &&
	    tape_replay(tape_on, tok, ctx, emit, text, n, &rc))
		return rc;
	return tok->parent.xTokenize(tok->parent_inst, &call, flags, text, n, snowball_token);
}

static fts5_api *fts5_api_of(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *stmt = NULL;

	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_pointer(stmt, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	return api;
}

int mn_tokenizer_register(sqlite3 *db, struct mn_err *err)
{
	static fts5_tokenizer methods = {snowball_create, snowball_delete, snowball_tokenize};
	fts5_api *api = fts5_api_of(db);
	int rc;

	if (!api || api->iVersion < 2)
		return mn_err_set(err, MN_ERR_DB, "this SQLite has no FTS5 (version %s)",
				  sqlite3_libversion());
	rc = api->xCreateTokenizer(api, "snowball", api, &methods, NULL);
	if (rc != SQLITE_OK)
		return mn_err_set(err, MN_ERR_DB, "cannot register the snowball tokenizer: %s",
				  sqlite3_errstr(rc));
	return MN_OK;
}

/* ---- direct use --------------------------------------------------------------- */

struct mn_tokenizer {
	fts5_tokenizer methods;
	Fts5Tokenizer *inst;
};

struct direct_call {
	mn_token_fn fn;
	void *ctx;
};

int mn_tokenizer_open(sqlite3 *db, const char *language, struct mn_tokenizer **out,
		      struct mn_err *err)
{
	fts5_api *api = fts5_api_of(db);
	const char *argv[1] = {language};
	struct mn_tokenizer *t;
	void *ctx = NULL;

	*out = NULL;
	t = mn_xcalloc(1, sizeof(*t));
	if (!api || api->xFindTokenizer(api, "snowball", &ctx, &t->methods) != SQLITE_OK ||
	    t->methods.xCreate(ctx, argv, 1, &t->inst) != SQLITE_OK) {
		free(t);
		return mn_err_set(err, MN_ERR_DB, "cannot open the snowball tokenizer for '%s'",
				  language);
	}
	*out = t;
	return MN_OK;
}

void mn_tokenizer_close(struct mn_tokenizer *t)
{
	if (!t)
		return;
	if (t->inst)
		t->methods.xDelete(t->inst);
	free(t);
}

static int direct_token(void *ctx, int tflags, const char *token, int n, int start, int end)
{
	struct direct_call *call = ctx;

	/* Colocated tokens (none from snowball) share the position of the one before. */
	if (tflags & FTS5_TOKEN_COLOCATED)
		return SQLITE_OK;
	return call->fn(call->ctx, token, (size_t)n, (size_t)start, (size_t)end) ? SQLITE_DONE
										 : SQLITE_OK;
}

void mn_tokenizer_run(struct mn_tokenizer *t, const char *text, size_t n, mn_token_fn fn, void *ctx)
{
	struct direct_call call = {fn, ctx};

	t->methods.xTokenize(t->inst, &call, FTS5_TOKENIZE_DOCUMENT, text, (int)n, direct_token);
}

void mn_token_tape_record(struct mn_token_tape *t, struct mn_tokenizer *tok, const char *text,
			  int borrow)
{
	struct snowball *inst = (struct snowball *)tok->inst;
	size_t n = text ? strlen(text) : 0, i;
	struct tape_text *x;
	struct mn_token_tape *on = tape_on;

	/* Nothing to give (never replayed), or more than the tape's offsets hold (not kept). */
	if (!n || n > INT_MAX || t->nbytes + 2 * n > UINT32_MAX)
		return;
	if (!t->args)
		t->args = mn_xstrdup(inst->args);
	MN_GROW(t->texts, t->ntexts + 1, t->texts_cap);
	/*
	 * A text among the last few again (a passage's topic path and meeting
	 * title, which its neighbours share): the same tokens, recorded once.
	 */
	for (i = t->ntexts; i > 0 && i + TAPE_LOOK_BACK > t->ntexts; i--) {
		const struct tape_text *y = &t->texts[i - 1];

		if (y->n == n && !memcmp(y->text ? y->text : t->bytes + y->at, text, n)) {
			t->texts[t->ntexts++] = *y;
			return;
		}
	}
	x = &t->texts[t->ntexts++];
	x->text = borrow ? text : NULL;
	x->at = borrow ? 0 : tape_keep(t, text, n);
	x->n = n;
	x->first = t->ntokens;
	tape_on = NULL; /* recorded afresh, whatever this thread replays */
	tok->methods.xTokenize(tok->inst, t, FTS5_TOKENIZE_DOCUMENT, text, (int)n, tape_token);
	tape_on = on;
	x = &t->texts[t->ntexts - 1];
	x->count = t->ntokens - x->first;
}
