/*
 * The "snowball" FTS5 tokenizer: unicode61 (with remove_diacritics 2) splits
 * and folds the text, then libstemmer reduces each token to its stem.
 *
 *   CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'snowball english');
 *
 * The first argument is a Snowball language name (default "english"); any
 * further arguments go to unicode61 unchanged. Because FTS5 keeps the
 * tokenize argument in the table's schema, every connection that registers
 * the tokenizer stems queries exactly as the documents were stemmed.
 */
#ifndef MN_TOKENIZER_H
#define MN_TOKENIZER_H

#include <sqlite3.h>
#include <stdint.h>

#include "mn_util.h"

/* Language used when the tokenize argument names none. */
#define MN_DEFAULT_LANGUAGE "english"

/* Tokens longer than this many bytes are indexed as they are, unstemmed. */
#define MN_STEM_MAX_BYTES 64

/*
 * How many tokens of documents (rows FTS5 indexes or deletes, not queries)
 * the snowball tokenizer has given in this thread: the difference across
 * one INSERT into an FTS5 table is the row's length, as FTS5 counts it.
 */
uint64_t mn_tokenizer_document_tokens(void);

/*
 * While set, the stems of documents the snowball tokenizer tokenizes in
 * this thread are handed to fn (NULL: to nobody), every one as it comes;
 * from a tape (see mn_tokenizer_set_tape), each stem once for the tape.
 */
typedef void (*mn_stem_sink_fn)(void *ctx, const char *stem, size_t n);
void mn_tokenizer_set_sink(mn_stem_sink_fn fn, void *ctx);

/* Registers the "snowball" tokenizer on db. */
int mn_tokenizer_register(sqlite3 *db, struct mn_err *err);

/*
 * Checks that libstemmer knows language (UTF-8). Returns MN_OK, or
 * MN_ERR_USAGE with a message listing the known languages.
 */
int mn_tokenizer_check_language(const char *language, struct mn_err *err);

/*
 * The tokenizer used directly, outside FTS5, for the same tokens the index
 * holds: a heading's stems, the stem of a query word.
 */
struct mn_tokenizer;

/* Opens the snowball tokenizer of language on db (where it is registered). */
int mn_tokenizer_open(sqlite3 *db, const char *language, struct mn_tokenizer **out,
		      struct mn_err *err);
void mn_tokenizer_close(struct mn_tokenizer *tok);

/* Receives each token (borrowed) and the bytes of text it came from; non-zero stops. */
typedef int (*mn_token_fn)(void *ctx, const char *token, size_t n, size_t start, size_t end);

/* Runs text[0..n) through tok, as FTS5 does for a document. */
void mn_tokenizer_run(struct mn_tokenizer *tok, const char *text, size_t n, mn_token_fn fn,
		      void *ctx);

/*
 * A tape: how a tokenizer tokenized some texts as documents, kept to be
 * given again to FTS5 without the work. The indexer records each passage's
 * columns while it parses (in its second thread) and plays the tape back
 * while the writer inserts them.
 */
struct mn_token_tape;

struct mn_token_tape *mn_token_tape_new(void);
void mn_token_tape_free(struct mn_token_tape *tape);
/* Lets go of the room a tape kept for more texts: call when it is recorded. */
void mn_token_tape_done(struct mn_token_tape *tape);
/* The memory a tape holds, in bytes. */
size_t mn_token_tape_bytes(const struct mn_token_tape *tape);

/*
 * Records how tok tokenizes text (NUL-terminated; NULL or empty records
 * nothing). With borrow, the tape keeps a pointer to text, which must then
 * outlive it, instead of a copy.
 */
void mn_token_tape_record(struct mn_token_tape *tape, struct mn_tokenizer *tok, const char *text,
			  int borrow);

/*
 * While a tape is set (NULL: none), the snowball tokenizer asked in this
 * thread for a document that is the tape's next text, by a tokenizer made
 * with the same arguments as the recording one, gives the recorded tokens
 * (counted as usual; each of the tape's stems goes to the sink with the
 * first token that has it, or with every token once some text was
 * replayed while no sink was set) and moves on; any other text is
 * tokenized as always. Setting a tape starts it from its first text.
 */
void mn_tokenizer_set_tape(struct mn_token_tape *tape);

/* How many texts the snowball tokenizer has given from tapes in this thread. */
uint64_t mn_tokenizer_replayed(void);

#endif
