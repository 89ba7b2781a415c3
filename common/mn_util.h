/*
 * Small shared pieces: the error record every library call fills, allocation
 * helpers and a growable byte buffer.
 */
#ifndef MN_UTIL_H
#define MN_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Status of a library call. Programs map these to exit codes at their edge. */
enum mn_status {
	MN_OK = 0,
	MN_ERR_USAGE,  /* bad arguments from the caller */
	MN_ERR_QUERY,  /* the user's query cannot be parsed */
	MN_ERR_IO,     /* a file could not be read or written */
	MN_ERR_DB,     /* SQLite reported an error */
	MN_ERR_SCHEMA, /* the index exists but has another layout or version */
	MN_ERR_NOENT,  /* a file or index does not exist */
	MN_ERR_BUSY,   /* the index is locked by another writer */
	MN_ERR_FORMAT, /* an input file is not minutes we can read */
};

/*
 * An error: a status and a message in git's style (lowercase, no final full
 * stop). The first error set wins; later ones are ignored so that the root
 * cause is what reaches the user.
 */
struct mn_err {
	enum mn_status status;
	char msg[1024];
};

#define MN_ERR_INIT                                                                                \
	{                                                                                          \
		MN_OK,                                                                             \
		{                                                                                  \
			0                                                                          \
		}                                                                                  \
	}

/* Records an error unless one is already set. Returns status, for chaining. */
int mn_err_set(struct mn_err *err, enum mn_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Forgets a recorded error. */
void mn_err_clear(struct mn_err *err);

/* Allocation that aborts the process when memory runs out, like git's xmalloc. */
void *mn_xmalloc(size_t n);
void *mn_xcalloc(size_t n, size_t size);
void *mn_xrealloc(void *p, size_t n);
char *mn_xstrdup(const char *s);
char *mn_xstrndup(const char *s, size_t n);

/* Grows *items (of item_size bytes each) so that it holds at least need items. */
#define MN_GROW(items, need, cap)                                                                  \
	do {                                                                                       \
		if ((size_t)(need) > (cap)) {                                                      \
			size_t mn_grow_cap = (cap) ? (cap)*2 : 8;                                  \
			while (mn_grow_cap < (size_t)(need))                                       \
				mn_grow_cap *= 2;                                                  \
			(items) = mn_xrealloc((items), mn_grow_cap * sizeof(*(items)));            \
			(cap) = mn_grow_cap;                                                       \
		}                                                                                  \
	} while (0)

/*
 * A growable byte buffer, always NUL-terminated once anything was added.
 * Initialise with MN_BUF_INIT; release with mn_buf_release().
 */
struct mn_buf {
	char *data;
	size_t len;
	size_t cap;
};

#define MN_BUF_INIT                                                                                \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

void mn_buf_add(struct mn_buf *b, const char *s, size_t n);
void mn_buf_adds(struct mn_buf *b, const char *s);
void mn_buf_addc(struct mn_buf *b, char c);
void mn_buf_addf(struct mn_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void mn_buf_vaddf(struct mn_buf *b, const char *fmt, va_list ap);
void mn_buf_reset(struct mn_buf *b);
/* Returns the contents ("" when empty); borrowed until the next change. */
const char *mn_buf_str(const struct mn_buf *b);
/* Hands the contents to the caller (caller frees) and empties the buffer. */
char *mn_buf_detach(struct mn_buf *b);
void mn_buf_release(struct mn_buf *b);

/*
 * Reads a whole file into a new NUL-terminated buffer (caller frees *out).
 * Refuses files larger than max_size bytes with MN_ERR_FORMAT.
 */
int mn_read_file(const char *path, size_t max_size, char **out, size_t *len, struct mn_err *err);

/*
 * A bump allocator for the many small strings of one parsed document: they
 * are all freed at once by mn_arena_release().
 */
struct mn_arena_block;
struct mn_arena {
	struct mn_arena_block *head;
};

#define MN_ARENA_INIT                                                                              \
	{                                                                                          \
		NULL                                                                               \
	}

void *mn_arena_alloc(struct mn_arena *a, size_t n);
/* Copies n bytes of s plus a NUL into the arena. */
char *mn_arena_strndup(struct mn_arena *a, const char *s, size_t n);
char *mn_arena_strdup(struct mn_arena *a, const char *s);
void mn_arena_release(struct mn_arena *a);

/*
 * Lists kept in one database column are joined by U+001F UNIT SEPARATOR,
 * which text never contains (mn_utf8_repair turns control characters into
 * spaces) and which the FTS5 tokenizer treats as a separator.
 */
#define MN_LIST_SEP '\x1f'

/* Joins v[0..n) with sep. Returns a new string (caller frees), NULL when n is 0. */
char *mn_strv_join(const char *const *v, size_t n, char sep);

/*
 * Splits s at sep. Returns a new array of *n new strings, freed together by
 * mn_strv_free(v, n); NULL and 0 for a NULL or empty s.
 */
char **mn_strv_split(const char *s, char sep, size_t *n);
void mn_strv_free(char **v, size_t n);

/*
 * A map from byte strings to pointers (open addressing). Keys are copied,
 * unless borrowed is set before the first put: then they are the caller's
 * and must outlive the map. Values are the caller's. Initialise with
 * MN_STRMAP_INIT.
 */
struct mn_strmap_slot;
struct mn_strmap {
	struct mn_strmap_slot *slots;
	size_t n, cap;
	int borrowed;
};

#define MN_STRMAP_INIT                                                                             \
	{                                                                                          \
		NULL, 0, 0, 0                                                                      \
	}

/* The value stored for key[0..len), and *found (may be NULL) whether there is one. */
void *mn_strmap_get(const struct mn_strmap *m, const char *key, size_t len, int *found);
/* Stores value for key[0..len), replacing any earlier one. */
void mn_strmap_put(struct mn_strmap *m, const char *key, size_t len, void *value);
/*
 * The value stored for key[0..len) when there is one (*found set), else
 * stores value for it and returns that: a get and a put in one lookup.
 */
void *mn_strmap_intern(struct mn_strmap *m, const char *key, size_t len, void *value, int *found);
/* Makes room for n keys in all, so that putting them does not grow the map again. */
void mn_strmap_reserve(struct mn_strmap *m, size_t n);
void mn_strmap_release(struct mn_strmap *m);

/*
 * A set of ids as bits: ids below n may be in it. Zero-initialise; release
 * with mn_bits_release.
 */
struct mn_bits {
	uint64_t *w;
	size_t n;
};

/* Makes room for id. */
void mn_bits_fit(struct mn_bits *b, uint64_t id);
/* Adds the ids of the nwords words w (id i: bit i % 64 of w[i / 64]). */
void mn_bits_or(struct mn_bits *b, const uint64_t *w, size_t nwords);
void mn_bits_release(struct mn_bits *b);

static inline void mn_bits_add(struct mn_bits *b, uint64_t id)
{
	mn_bits_fit(b, id);
	b->w[id >> 6] |= (uint64_t)1 << (id & 63);
}

static inline int mn_bits_has(const struct mn_bits *b, uint64_t id)
{
	return id < b->n && (b->w[id >> 6] >> (id & 63)) & 1;
}

/* The words holding the set: b->n / 64 of them. */
static inline size_t mn_bits_words(const struct mn_bits *b)
{
	return b->n >> 6;
}

/*
 * A set of 64-bit numbers, each with how many times it was added (open
 * addressing; zero-initialise, release with mn_u64set_release). Holding
 * hashes, it answers "perhaps" for a number it was never given, and counts
 * too many for one it was, only when two hashes collide.
 */
struct mn_u64set {
	uint64_t *slots; /* 0: empty (the number 0 is kept as 1) */
	uint32_t *counts; /* of each slot, at most UINT32_MAX */
	size_t n, cap;
};

/* Adds v times times (at least once). */
void mn_u64set_add_n(struct mn_u64set *s, uint64_t v, uint32_t times);
void mn_u64set_add(struct mn_u64set *s, uint64_t v);
int mn_u64set_has(const struct mn_u64set *s, uint64_t v);
/* How many times v was added, 0 when never. */
uint32_t mn_u64set_count(const struct mn_u64set *s, uint64_t v);
void mn_u64set_release(struct mn_u64set *s);

/*
 * A Bloom filter of 64-bit hashes, of a fixed size chosen at the first add
 * (zero-initialise, release with mn_bloom_release): it never says no to a
 * hash it was given, and says "perhaps" to others the more often the fuller
 * it is. For ruling out work cheaply, in memory that does not grow.
 */
struct mn_bloom {
	uint64_t *w;
	unsigned log2_bits;
	size_t n; /* hashes added */
};

/* Makes b hold 2^log2_bits bits (at least 2^6), when it holds none yet. */
void mn_bloom_size(struct mn_bloom *b, unsigned log2_bits);
/* The bytes of b's bits (0 when it holds none yet). */
size_t mn_bloom_bytes(const struct mn_bloom *b);
void mn_bloom_add(struct mn_bloom *b, uint64_t h);
/* 0 when h was surely never added; 1 when it may have been. */
int mn_bloom_may_have(const struct mn_bloom *b, uint64_t h);
void mn_bloom_release(struct mn_bloom *b);

/*
 * 64-bit FNV-1a, fed in pieces: start from MN_HASH_INIT and pass the
 * running value back in. For noticing changes between runs, not for
 * security.
 */
#define MN_HASH_INIT 14695981039346656037ull
uint64_t mn_hash_update(uint64_t h, const void *data, size_t len);

/* Writes h as 16 lower-case hex digits and a NUL into out. */
void mn_hash_hex(uint64_t h, char out[17]);

/* Monotonic clock in milliseconds, for reporting how long things took. */
double mn_now_ms(void);

#endif
