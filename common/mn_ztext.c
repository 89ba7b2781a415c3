#include "mn_ztext.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* ZDICT_trainFromBuffer_fastCover: the plain trainer needs 12 MB, this 2 MB. */
#define ZDICT_STATIC_LINKING_ONLY
#include <zdict.h>
#include <zstd.h>

const char mn_ztext_schema_sql[] =
    "CREATE TABLE IF NOT EXISTS text_dicts(id INTEGER PRIMARY KEY, dict BLOB NOT NULL);\n";

/* Text kept for training, at most; and the dictionary's size, at most. */
#define SAMPLE_MAX (1024 * 1024)
#define DICT_MAX (64 * 1024)
#define DICT_MIN 1024
#define LEVEL 3
/* Bytes before the frame: format, dictionary id, check. */
#define HEADER 4
/* Passages packed by one UPDATE when plain ones are packed after training. */
#define PACK_ROWS 2048
/* No passage is this long; a BLOB that says so is damaged. */
#define TEXT_MAX ((size_t)1 << 30)

static const unsigned char magic[4] = {0x28, 0xb5, 0x2f, 0xfd}; /* ZSTD_MAGICNUMBER */

enum dict_state {
	D_UNKNOWN, /* not looked up yet */
	D_NONE,	   /* the index has none: train at commit when there is text enough */
	D_READY,   /* packing with dict */
	D_NEVER,   /* training failed with a full sample: stay plain */
};

struct held {
	ZSTD_DDict *d;
	unsigned check;
};

/*
 * The dictionary new text is packed with: the writer's, shared with the
 * threads that pack ahead of it, and freed by whoever lets go of it last.
 */
struct mn_zdict {
	int refs; /* changed atomically */
	ZSTD_CDict *cdict;
	int id;		/* in text_dicts */
	unsigned check; /* the low 16 bits of its zstd ID */
};

/* What one thread packs with: a context bound to one dictionary, and where it packs to. */
struct mn_zpacker {
	ZSTD_CCtx *cctx;
	struct mn_zdict *bound; /* a reference, or NULL: cctx to be bound before use */
	unsigned char *out;
	size_t out_cap;
};

/* A text packed ahead: src packed to bytes[at, at + len) of its ahead. */
struct ahead_text {
	const char *src;
	size_t at, len; /* len 0: plain is as small; AHEAD_NONE: not packed here */
};

/* Texts' packed forms, in the order they were added. */
struct mn_zahead {
	struct mn_zdict *dict; /* a reference */
	struct ahead_text *v;
	size_t n, cap, next;
	unsigned char *bytes;
	size_t nbytes, bytes_cap;
};

#define AHEAD_NONE ((size_t)-1)

struct mn_ztext {
	sqlite3 *db;
	size_t train_after;
	/* writing */
	enum dict_state state;
	struct mn_zdict *dict; /* D_READY: the dictionary text is packed with */
	struct mn_zpacker pk;
	struct mn_zahead *ahead; /* texts packed ahead, or NULL */
	uint64_t ahead_taken;
	size_t plain_since; /* D_NONE: text bound plain since training was last tried */
	/* reading */
	char error[256]; /* minutes_text's last failure, until taken */
	char taken[256];
	struct held held[256];
	ZSTD_DCtx *dctx;
	unsigned char *frame;
	size_t frame_cap;
};

struct mn_zdict *mn_zdict_ref(struct mn_zdict *d)
{
	if (d)
		__atomic_add_fetch(&d->refs, 1, __ATOMIC_RELAXED);
	return d;
}

void mn_zdict_unref(struct mn_zdict *d)
{
	if (!d || __atomic_sub_fetch(&d->refs, 1, __ATOMIC_ACQ_REL))
		return;
	ZSTD_freeCDict(d->cdict);
	free(d);
}

struct mn_zpacker *mn_zpacker_new(void)
{
	return mn_xcalloc(1, sizeof(struct mn_zpacker));
}

static void packer_release(struct mn_zpacker *k)
{
	ZSTD_freeCCtx(k->cctx);
	mn_zdict_unref(k->bound);
	free(k->out);
	memset(k, 0, sizeof(*k));
}

void mn_zpacker_free(struct mn_zpacker *k)
{
	if (!k)
		return;
	packer_release(k);
	free(k);
}

static void forget_writing(struct mn_ztext *z)
{
	mn_zdict_unref(z->dict);
	z->dict = NULL;
	/* Its context may point at the dictionary let go of: bound again before use. */
	mn_zdict_unref(z->pk.bound);
	z->pk.bound = NULL;
	z->state = D_UNKNOWN;
	z->plain_since = 0;
}

const char *mn_ztext_take_error(struct mn_ztext *z)
{
	if (!z || !z->error[0])
		return NULL;
	memcpy(z->taken, z->error, sizeof(z->taken));
	z->error[0] = '\0';
	return z->taken;
}

void mn_ztext_forget(struct mn_ztext *z)
{
	size_t i;

	if (!z)
		return;
	forget_writing(z);
	for (i = 0; i < 256; i++) {
		ZSTD_freeDDict(z->held[i].d);
		z->held[i].d = NULL;
	}
}

static void ztext_free(void *p)
{
	struct mn_ztext *z = p;

	mn_ztext_forget(z);
	packer_release(&z->pk);
	ZSTD_freeDCtx(z->dctx);
	free(z->frame);
	free(z);
}

void mn_ztext_set_train_after(struct mn_ztext *z, size_t bytes)
{
	z->train_after = bytes ? bytes : MN_ZTEXT_TRAIN_AFTER;
}

static int db_fail(struct mn_ztext *z, struct mn_err *err, const char *what)
{
	return mn_err_set(err, MN_ERR_DB, "cannot %s: %s", what, sqlite3_errmsg(z->db));
}

static int damaged(struct mn_err *err, const char *why)
{
	return mn_err_set(err, MN_ERR_DB,
			  "the index is damaged: a passage's text cannot be read (%s; rebuild "
			  "it with 'minutes-index --rebuild')",
			  why);
}

/* ---- dictionaries --------------------------------------------------------------- */

/*
 * Reads dictionary id (or, with id 0, the newest) into *dict (malloc'ed),
 * its size in *n and its id in *got; *dict NULL when there is none.
 */
static int read_dict(struct mn_ztext *z, int id, void **dict, size_t *n, int *got,
		     struct mn_err *err)
{
	sqlite3_stmt *s = NULL;
	int rc;

	*dict = NULL;
	*n = 0;
	*got = 0;
	rc = sqlite3_prepare_v2(z->db,
				id ? "SELECT id, dict FROM text_dicts WHERE id = ?1"
				   : "SELECT id, dict FROM text_dicts ORDER BY id DESC LIMIT 1",
				-1, &s, NULL);
	if (rc != SQLITE_OK) {
		/* An index from before there were dictionaries has no table: none. */
		if (strstr(sqlite3_errmsg(z->db), "no such table"))
			return MN_OK;
		return db_fail(z, err, "read the text dictionary");
	}
	if (id)
		sqlite3_bind_int(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*got = sqlite3_column_int(s, 0);
		*n = (size_t)sqlite3_column_bytes(s, 1);
		*dict = mn_xmalloc(*n ? *n : 1);
		if (*n)
			memcpy(*dict, sqlite3_column_blob(s, 1), *n);
	} else if (rc != SQLITE_DONE) {
		sqlite3_finalize(s);
		return db_fail(z, err, "read the text dictionary");
	}
	sqlite3_finalize(s);
	return MN_OK;
}

/* Makes dict (n bytes, id) the one new text is packed with. */
static int use_for_packing(struct mn_ztext *z, const void *dict, size_t n, int id,
			   struct mn_err *err)
{
	struct mn_zdict *d = mn_xcalloc(1, sizeof(*d));

	d->refs = 1;
	d->cdict = ZSTD_createCDict(dict, n, LEVEL);
	d->id = id;
	d->check = ZDICT_getDictID(dict, n) & 0xffff;
	if (!d->cdict) {
		free(d);
		return mn_err_set(err, MN_ERR_DB, "cannot set up text compression");
	}
	forget_writing(z);
	z->dict = d;
	z->state = D_READY;
	return MN_OK;
}

/* Binds k's context to d (a reference kept), unless it is already. */
static int packer_bind(struct mn_zpacker *k, struct mn_zdict *d, struct mn_err *err)
{
	size_t rc;

	if (k->bound == d)
		return MN_OK;
	if (!k->cctx && !(k->cctx = ZSTD_createCCtx()))
		return mn_err_set(err, MN_ERR_DB, "cannot set up text compression");
	rc = ZSTD_CCtx_reset(k->cctx, ZSTD_reset_session_and_parameters);
	if (!ZSTD_isError(rc))
		rc = ZSTD_CCtx_refCDict(k->cctx, d->cdict);
	/* The header names the dictionary; the frame need not. */
	if (!ZSTD_isError(rc))
		rc = ZSTD_CCtx_setParameter(k->cctx, ZSTD_c_dictIDFlag, 0);
	if (!ZSTD_isError(rc))
		rc = ZSTD_CCtx_setParameter(k->cctx, ZSTD_c_checksumFlag, 0);
	if (!ZSTD_isError(rc))
		rc = ZSTD_CCtx_setParameter(k->cctx, ZSTD_c_contentSizeFlag, 1);
	mn_zdict_unref(k->bound);
	k->bound = NULL;
	if (ZSTD_isError(rc))
		return mn_err_set(err, MN_ERR_DB, "cannot set up text compression: %s",
				  ZSTD_getErrorName(rc));
	k->bound = mn_zdict_ref(d);
	return MN_OK;
}

/* Looks up the index's dictionary for writing, once. */
static int writer_ready(struct mn_ztext *z, struct mn_err *err)
{
	void *dict;
	size_t n;
	int id;

	if (z->state != D_UNKNOWN)
		return MN_OK;
	if (read_dict(z, 0, &dict, &n, &id, err))
		return err->status;
	if (!dict || id < 1 || id > 255) {
		z->state = D_NONE;
	} else if (use_for_packing(z, dict, n, id, err)) {
		free(dict);
		return err->status;
	}
	free(dict);
	return MN_OK;
}

struct mn_zdict *mn_ztext_dict(struct mn_ztext *z)
{
	struct mn_err err = MN_ERR_INIT;

	/* A failure to read it is the writer's to report, when it packs. */
	if (writer_ready(z, &err) || z->state != D_READY)
		return NULL;
	return mn_zdict_ref(z->dict);
}

/* The reading dictionary id, checked against check; NULL with err set. */
static ZSTD_DDict *held_dict(struct mn_ztext *z, int id, unsigned check, struct mn_err *err)
{
	struct held *h = &z->held[id];
	void *dict;
	size_t n;
	int got;

	if (h->d && h->check == check)
		return h->d;
	/* Not held yet, or held from before the index was rebuilt. */
	ZSTD_freeDDict(h->d);
	h->d = NULL;
	if (read_dict(z, id, &dict, &n, &got, err))
		return NULL;
	if (!dict) {
		damaged(err, "its dictionary is missing");
		return NULL;
	}
	h->check = ZDICT_getDictID(dict, n) & 0xffff;
	h->d = ZSTD_createDDict(dict, n);
	free(dict);
	if (!h->d) {
		damaged(err, "its dictionary is not one");
		return NULL;
	}
	if (h->check != check) {
		damaged(err, "it was packed with another dictionary");
		return NULL;
	}
	return h->d;
}

/* ---- packing and unpacking -------------------------------------------------- */

/*
 * Packs text (len bytes) with d into k->out: its stored size, or 0 when
 * packed it would be no smaller than plain.
 */
static size_t pack_with(struct mn_zpacker *k, struct mn_zdict *d, const char *text, size_t len,
			struct mn_err *err)
{
	size_t bound = ZSTD_compressBound(len), r;

	if (packer_bind(k, d, err))
		return 0;
	MN_GROW(k->out, bound + HEADER, k->out_cap);
	r = ZSTD_compress2(k->cctx, k->out, k->out_cap, text, len);
	if (ZSTD_isError(r)) {
		mn_err_set(err, MN_ERR_DB, "cannot compress a passage's text: %s",
			   ZSTD_getErrorName(r));
		return 0;
	}
	if (r < sizeof(magic) || memcmp(k->out, magic, sizeof(magic)) || r >= len)
		return 0;
	/* The header takes the magic number's place. */
	k->out[0] = MN_ZTEXT_ZSTD;
	k->out[1] = (unsigned char)d->id;
	k->out[2] = (unsigned char)(d->check & 0xff);
	k->out[3] = (unsigned char)(d->check >> 8);
	return r;
}

/* pack_with the writer's dictionary, into z->pk.out. */
static size_t pack(struct mn_ztext *z, const char *text, size_t len, struct mn_err *err)
{
	return pack_with(&z->pk, z->dict, text, len, err);
}

struct mn_zahead *mn_zahead_new(struct mn_zdict *d)
{
	struct mn_zahead *a;

	if (!d)
		return NULL;
	a = mn_xcalloc(1, sizeof(*a));
	a->dict = mn_zdict_ref(d);
	return a;
}

void mn_zahead_add(struct mn_zahead *a, struct mn_zpacker *k, const char *text)
{
	struct mn_err err = MN_ERR_INIT;
	struct ahead_text *t;
	size_t r;

	MN_GROW(a->v, a->n + 1, a->cap);
	t = &a->v[a->n++];
	t->src = text;
	t->at = a->nbytes;
	t->len = AHEAD_NONE;
	if (!text)
		return;
	r = pack_with(k, a->dict, text, strlen(text), &err);
	if (err.status)
		return; /* the writer packs it, and says what fails */
	t->len = r;
	MN_GROW(a->bytes, a->nbytes + r + 1, a->bytes_cap);
	memcpy(a->bytes + a->nbytes, k->out, r);
	a->nbytes += r;
}

size_t mn_zahead_bytes(const struct mn_zahead *a)
{
	return a ? a->bytes_cap + a->cap * sizeof(*a->v) : 0;
}

void mn_zahead_free(struct mn_zahead *a)
{
	if (!a)
		return;
	mn_zdict_unref(a->dict);
	free(a->v);
	free(a->bytes);
	free(a);
}

void mn_ztext_set_ahead(struct mn_ztext *z, struct mn_zahead *a)
{
	z->ahead = a;
	if (a)
		a->next = 0;
}

uint64_t mn_ztext_ahead_taken(const struct mn_ztext *z)
{
	return z->ahead_taken;
}

/*
 * Whether text is the ahead's next one (a NULL one stands for ""), packed
 * with the dictionary the writer packs with: then its stored form is in *b
 * and *n (0: plain). The ahead moves on past its next text whenever that
 * is text, whether it was packed or not.
 */
static int take_ahead(struct mn_ztext *z, const char *text, const unsigned char **b, size_t *n)
{
	struct mn_zahead *a = z->ahead;
	const struct ahead_text *t;

	if (!a || a->next >= a->n)
		return 0;
	t = &a->v[a->next];
	if (t->src != text && (t->src || *text))
		return 0;
	a->next++;
	if (a->dict != z->dict || t->len == AHEAD_NONE)
		return 0;
	*b = a->bytes + t->at;
	*n = t->len;
	z->ahead_taken++;
	return 1;
}

char *mn_ztext_unpack(struct mn_ztext *z, const void *b, size_t n, size_t *len,
		      struct mn_err *err)
{
	const unsigned char *p = b;
	unsigned long long size;
	ZSTD_DDict *d;
	char *text;
	size_t r;

	*len = 0;
	if (n <= HEADER || p[0] != MN_ZTEXT_ZSTD || !p[1]) {
		damaged(err, "it is neither text nor packed text");
		return NULL;
	}
	if (!(d = held_dict(z, p[1], (unsigned)p[2] | (unsigned)p[3] << 8, err)))
		return NULL;
	MN_GROW(z->frame, n, z->frame_cap);
	memcpy(z->frame, magic, sizeof(magic));
	memcpy(z->frame + sizeof(magic), p + HEADER, n - HEADER);
	size = ZSTD_getFrameContentSize(z->frame, n);
	if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > TEXT_MAX) {
		damaged(err, "its packed form is broken");
		return NULL;
	}
	if (!z->dctx && !(z->dctx = ZSTD_createDCtx())) {
		mn_err_set(err, MN_ERR_DB, "cannot set up text decompression");
		return NULL;
	}
	text = mn_xmalloc((size_t)size + 1);
	r = ZSTD_decompress_usingDDict(z->dctx, text, (size_t)size, z->frame, n, d);
	if (ZSTD_isError(r) || r != size || memchr(text, '\0', r)) {
		free(text);
		damaged(err, "its packed form is broken");
		return NULL;
	}
	text[r] = '\0';
	*len = r;
	return text;
}

int mn_ztext_bind(struct mn_ztext *z, sqlite3_stmt *s, int col, const char *text,
		  struct mn_err *err)
{
	size_t len = strlen(text), stored = 0;
	const unsigned char *packed = NULL;

	if (writer_ready(z, err))
		return err->status;
	if (z->state == D_READY && !take_ahead(z, text, &packed, &stored)) {
		stored = pack(z, text, len, err);
		if (err->status)
			return err->status;
		packed = z->pk.out; /* where pack left it: it may have moved */
	}
	if (stored)
		sqlite3_bind_blob(s, col, packed, (int)stored, SQLITE_TRANSIENT);
	else
		sqlite3_bind_text(s, col, text, (int)len, SQLITE_TRANSIENT);
	if (z->state == D_NONE)
		z->plain_since += len;
	return MN_OK;
}

int mn_ztext_train_due(const struct mn_ztext *z)
{
	return z->state == D_NONE && z->plain_since >= SAMPLE_MAX;
}

/* ---- training ----------------------------------------------------------------- */

/* Stores dict (n bytes) as a new dictionary; its id in *id (0: no room for another). */
static int store_dict(struct mn_ztext *z, const void *dict, size_t n, int *id,
		      struct mn_err *err)
{
	sqlite3_stmt *s = NULL;
	int rc;

	*id = 0;
	if (sqlite3_prepare_v2(z->db, "INSERT INTO text_dicts(dict) VALUES(?1)", -1, &s, NULL) !=
	    SQLITE_OK)
		return db_fail(z, err, "store the text dictionary");
	sqlite3_bind_blob(s, 1, dict, (int)n, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return db_fail(z, err, "store the text dictionary");
	if (sqlite3_last_insert_rowid(z->db) <= 255)
		*id = (int)sqlite3_last_insert_rowid(z->db);
	return MN_OK;
}

/* Plain passages to train on, end to end, the oldest first, up to SAMPLE_MAX bytes. */
struct sample {
	char *text;
	size_t len, cap;
	size_t *sizes;
	size_t n, sizes_cap;
};

static int read_sample(struct mn_ztext *z, struct sample *sm, struct mn_err *err)
{
	sqlite3_stmt *s = NULL;
	int rc;

	memset(sm, 0, sizeof(*sm));
	if (sqlite3_prepare_v2(z->db, "SELECT text FROM passages WHERE typeof(text) = 'text'", -1,
			       &s, NULL) != SQLITE_OK)
		return db_fail(z, err, "read the passages' text");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		size_t len = (size_t)sqlite3_column_bytes(s, 0);

		if (sm->len + len > SAMPLE_MAX)
			break;
		if (!len)
			continue;
		MN_GROW(sm->text, sm->len + len, sm->cap);
		memcpy(sm->text + sm->len, sqlite3_column_text(s, 0), len);
		sm->len += len;
		MN_GROW(sm->sizes, sm->n + 1, sm->sizes_cap);
		sm->sizes[sm->n++] = len;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(z, err, "read the passages' text");
	return MN_OK;
}

/* Trains a dictionary on sm into *dict (malloc'ed); its size, or 0 when it cannot be done. */
static size_t train(const struct sample *sm, void **dict)
{
	ZDICT_fastCover_params_t fp;
	/* About a sixteenth of the sample: larger dictionaries learn it by heart. */
	size_t cap = sm->len / 16 < DICT_MAX ? sm->len / 16 : DICT_MAX, n;

	if (cap < DICT_MIN)
		cap = DICT_MIN;
	*dict = mn_xmalloc(cap);
	memset(&fp, 0, sizeof(fp));
	fp.k = 200; /* segment size */
	fp.d = 8;   /* the length of the substrings counted */
	fp.f = 16;  /* log2 of the table they are counted in */
	fp.accel = 1;
	fp.zParams.compressionLevel = LEVEL;
	n = ZDICT_trainFromBuffer_fastCover(*dict, cap, sm->text, sm->sizes, (unsigned)sm->n, fp);
	if (ZDICT_isError(n)) {
		free(*dict);
		*dict = NULL;
		return 0;
	}
	return n;
}

/*
 * Packs what was written plain until now, a range of rowids at a time: one
 * UPDATE of them all would keep every page it changes in its statement
 * journal (in memory: 10 MB and more on a first run).
 */
static int pack_plain(struct mn_ztext *z, struct mn_err *err)
{
	sqlite3_stmt *range = NULL, *s = NULL;
	int64_t lo = 0, hi = -1, at;

	if (sqlite3_prepare_v2(z->db, "SELECT min(id), max(id) FROM passages", -1, &range, NULL) !=
	    SQLITE_OK)
		return db_fail(z, err, "pack the passages' text");
	if (sqlite3_step(range) == SQLITE_ROW && sqlite3_column_type(range, 0) != SQLITE_NULL) {
		lo = sqlite3_column_int64(range, 0);
		hi = sqlite3_column_int64(range, 1);
	}
	sqlite3_finalize(range);
	if (sqlite3_prepare_v2(z->db,
			       "UPDATE passages SET text = minutes_pack(text) "
			       "WHERE id BETWEEN ?1 AND ?2 AND typeof(text) = 'text'",
			       -1, &s, NULL) != SQLITE_OK)
		return db_fail(z, err, "pack the passages' text");
	for (at = lo; at <= hi && !err->status; at += PACK_ROWS) {
		sqlite3_bind_int64(s, 1, at);
		sqlite3_bind_int64(s, 2, at + PACK_ROWS - 1);
		if (sqlite3_step(s) != SQLITE_DONE)
			db_fail(z, err, "pack the passages' text");
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	return err->status;
}

int mn_ztext_commit(struct mn_ztext *z, struct mn_err *err)
{
	struct sample sm;
	void *dict = NULL;
	size_t n = 0;
	int id = 0, full;

	if (writer_ready(z, err) || z->state != D_NONE)
		return err->status;
	z->plain_since = 0;
	if (read_sample(z, &sm, err))
		goto out;
	full = sm.len + 4096 > SAMPLE_MAX;
	if (sm.len < z->train_after)
		goto out;
	if (!(n = train(&sm, &dict))) {
		/* Too little to learn from: again with more next time, unless this was all. */
		if (full)
			z->state = D_NEVER;
		goto out;
	}
	if (store_dict(z, dict, n, &id, err))
		goto out;
	if (!id) {
		z->state = D_NEVER;
		goto out;
	}
	if (use_for_packing(z, dict, n, id, err))
		goto out;
	pack_plain(z, err);
out:
	free(dict);
	free(sm.text);
	free(sm.sizes);
	return err->status;
}

/* ---- SQL functions -------------------------------------------------------------- */

/* minutes_text(x): the text of a stored passages.text value. */
static void text_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct mn_ztext *z = sqlite3_user_data(ctx);
	struct mn_err err = MN_ERR_INIT;
	char *text;
	size_t len;

	(void)argc;
	if (sqlite3_value_type(argv[0]) != SQLITE_BLOB) {
		sqlite3_result_value(ctx, argv[0]);
		return;
	}
	text = mn_ztext_unpack(z, sqlite3_value_blob(argv[0]), (size_t)sqlite3_value_bytes(argv[0]),
			       &len, &err);
	if (!text) {
		snprintf(z->error, sizeof(z->error), "%.255s", err.msg);
		sqlite3_result_error(ctx, err.msg, -1);
		return;
	}
	sqlite3_result_text(ctx, text, (int)len, free);
}

/* minutes_pack(x): x as it is to be stored (see mn_ztext_bind), without sampling it. */
static void pack_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct mn_ztext *z = sqlite3_user_data(ctx);
	struct mn_err err = MN_ERR_INIT;
	const char *text;
	size_t stored = 0;

	(void)argc;
	if (sqlite3_value_type(argv[0]) != SQLITE_TEXT || z->state != D_READY) {
		sqlite3_result_value(ctx, argv[0]);
		return;
	}
	text = (const char *)sqlite3_value_text(argv[0]);
	stored = pack(z, text, (size_t)sqlite3_value_bytes(argv[0]), &err);
	if (err.status)
		sqlite3_result_error(ctx, err.msg, -1);
	else if (stored)
		sqlite3_result_blob(ctx, z->pk.out, (int)stored, SQLITE_TRANSIENT);
	else
		sqlite3_result_value(ctx, argv[0]);
}

struct mn_ztext *mn_ztext_attach(sqlite3 *db, struct mn_err *err)
{
	struct mn_ztext *z = mn_xcalloc(1, sizeof(*z));

	z->db = db;
	z->train_after = MN_ZTEXT_TRAIN_AFTER;
	/* db owns z from here: minutes_text's destructor frees it. */
	if (sqlite3_create_function_v2(db, "minutes_text", 1,
				       SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, z,
				       text_fn, NULL, NULL, ztext_free) != SQLITE_OK) {
		mn_err_set(err, MN_ERR_DB, "cannot set up index: %s", sqlite3_errmsg(db));
		return NULL;
	}
	if (sqlite3_create_function_v2(db, "minutes_pack", 1, SQLITE_UTF8 | SQLITE_DIRECTONLY, z,
				       pack_fn, NULL, NULL, NULL) != SQLITE_OK) {
		mn_err_set(err, MN_ERR_DB, "cannot set up index: %s", sqlite3_errmsg(db));
		return NULL;
	}
	return z;
}
