#ifndef MN_ZTEXT_H
#define MN_ZTEXT_H

/*
 * Passage text as the index keeps it (the column passages.text): plain
 * TEXT, or a BLOB compressed with zstd against a dictionary trained on the
 * index's own passages. A passage is short (about 150 bytes) and compresses
 * poorly alone; against a dictionary of the words and phrases the minutes
 * share, it shrinks to about half.
 *
 * A BLOB is: the format byte MN_ZTEXT_ZSTD, the id of its dictionary in
 * text_dicts (1..255), the low 16 bits of the dictionary's zstd ID (little
 * endian; a check that the dictionary is the one the text was packed
 * with), then the zstd frame without its 4-byte magic number.
 *
 * An index has no dictionary until a writer commits with more than 64 KB of
 * plain passage text in it: then it trains one on (up to 1 MB of) that
 * text, stores it and packs the plain passages. Small indexes stay plain. Everything that reads passages.text goes through the SQL function
 * minutes_text(text), which returns plain text as it is.
 */

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "mn_util.h"

#define MN_ZTEXT_ZSTD 1

/* Plain text an index holds before a dictionary is trained, by default. */
#define MN_ZTEXT_TRAIN_AFTER (64 * 1024)

extern const char mn_ztext_schema_sql[];

struct mn_ztext;

/*
 * Registers minutes_text(x) (and minutes_pack(x), for the writer) on db
 * and returns their shared state, which db owns: it lives until db is
 * closed. NULL (err set) on failure.
 */
struct mn_ztext *mn_ztext_attach(sqlite3 *db, struct mn_err *err);

/* Plain text after which a writer trains the dictionary; 0: MN_ZTEXT_TRAIN_AFTER. */
void mn_ztext_set_train_after(struct mn_ztext *z, size_t bytes);

/*
 * Binds text to parameter col of s as it is to be stored: packed when the
 * index has a dictionary and that makes it smaller, else plain.
 */
int mn_ztext_bind(struct mn_ztext *z, sqlite3_stmt *s, int col, const char *text,
		  struct mn_err *err);

/*
 * Called inside a writer's transaction before it commits: when the index
 * has no dictionary but enough plain text, trains and stores one, then
 * packs every plain passage.
 */
int mn_ztext_commit(struct mn_ztext *z, struct mn_err *err);

/*
 * Whether the writer has bound plain as much text as a dictionary is
 * trained on since it last tried: a commit now trains one, and the text
 * after it is packed as it is written. Text packed later, in place, leaves
 * the pages it was on about half empty.
 */
int mn_ztext_train_due(const struct mn_ztext *z);

/*
 * The message of the last failure of minutes_text since the last call
 * (valid until the next one), or NULL: what an error passed on by FTS5
 * as a bare code was.
 */
const char *mn_ztext_take_error(struct mn_ztext *z);

/* Forgets the dictionaries held (after a rollback, or when the index changed). */
void mn_ztext_forget(struct mn_ztext *z);

/*
 * Packing ahead: a thread other than the writer's packs the passages of a
 * file while the writer stores the ones before, with the dictionary the
 * writer packs with when the file was read (a reference shared between the
 * threads, let go of by each). The writer binds what was packed ahead when
 * that is still its dictionary, and packs the text itself when not.
 */
struct mn_zdict;
struct mn_zpacker;
struct mn_zahead;

/* The writer's dictionary, a new reference (NULL: text is stored plain for now). */
struct mn_zdict *mn_ztext_dict(struct mn_ztext *z);
/* A new reference to d, and letting go of one, in any thread; NULL is ignored. */
struct mn_zdict *mn_zdict_ref(struct mn_zdict *d);
void mn_zdict_unref(struct mn_zdict *d);

/* What one thread packs with (one at a time). */
struct mn_zpacker *mn_zpacker_new(void);
void mn_zpacker_free(struct mn_zpacker *k);

/* Texts to be packed with d (a reference kept), in the order added; NULL when d is. */
struct mn_zahead *mn_zahead_new(struct mn_zdict *d);
/*
 * Adds text (borrowed: it must outlive a; NULL stands for "", left to the
 * writer), packed through k in the calling thread.
 */
void mn_zahead_add(struct mn_zahead *a, struct mn_zpacker *k, const char *text);
size_t mn_zahead_bytes(const struct mn_zahead *a);
void mn_zahead_free(struct mn_zahead *a);

/*
 * While a is set (NULL: none), mn_ztext_bind of a's next text, the same
 * pointer, binds what was packed for it, and a moves on; other texts are
 * packed as always. Setting it starts it from its first text.
 */
void mn_ztext_set_ahead(struct mn_ztext *z, struct mn_zahead *a);
/* How many texts mn_ztext_bind took from aheads. */
uint64_t mn_ztext_ahead_taken(const struct mn_ztext *z);

/*
 * The text of a stored value (b, n bytes: a BLOB of the form above),
 * malloc'ed and NUL-terminated, its length in *len; NULL with err set when
 * the value cannot be read.
 */
char *mn_ztext_unpack(struct mn_ztext *z, const void *b, size_t n, size_t *len,
		      struct mn_err *err);

#endif
