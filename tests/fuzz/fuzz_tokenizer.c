/*
 * libFuzzer target for the "snowball" FTS5 tokenizer: any bytes (documents
 * are repaired first, but queries come straight from the command line) in
 * any language must tokenize without a crash, and every token must lie
 * inside the input with a sane length.
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mn_tokenizer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const languages[] = {"english", "french", "german",	"russian",
					"dutch",   "porter", "turkish", "klingon"};

struct check {
	int len;
	unsigned sum;
};

static int on_token(void *ctx, int flags, const char *token, int n, int start, int end)
{
	struct check *c = ctx;
	int i;

	(void)flags;
	if (n < 0 || start < 0 || end < start || end > c->len || (n > 0 && !token))
		abort();
	for (i = 0; i < n; i++) /* every byte must be readable (ASan checks) */
		c->sum += (unsigned char)token[i];
	return SQLITE_OK;
}

static fts5_api *fts5(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *s = NULL;

	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &s, NULL) != SQLITE_OK)
		abort();
	sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(s);
	sqlite3_finalize(s);
	if (!api)
		abort();
	return api;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static sqlite3 *db;
	static fts5_api *api;
	struct mn_err err = MN_ERR_INIT;
	const char *argv[3];
	fts5_tokenizer tok;
	Fts5Tokenizer *inst = NULL;
	struct check c = {0, 0};
	void *ud = NULL;
	int argc = 1, flags;

	if (!db) {
		if (sqlite3_open(":memory:", &db) != SQLITE_OK || mn_tokenizer_register(db, &err))
			abort();
		api = fts5(db);
	}
	if (size < 1)
		return 0;
	argv[0] = languages[data[0] % (sizeof(languages) / sizeof(*languages))];
	/* Sometimes pass unicode61 options through, as a tokenize= argument may. */
	if (data[0] & 0x80) {
		argv[1] = "remove_diacritics";
		argv[2] = "2";
		argc = 3;
	}
	flags = (data[0] & 0x40) ? FTS5_TOKENIZE_QUERY : FTS5_TOKENIZE_DOCUMENT;
	data++;
	size--;
	if (size > 1 << 20)
		return 0;
	if (api->xFindTokenizer(api, "snowball", &ud, &tok) != SQLITE_OK)
		abort();
	if (tok.xCreate(ud, argv, argc, &inst) != SQLITE_OK)
		return 0; /* an unknown language is refused, not a crash */
	c.len = (int)size;
	tok.xTokenize(inst, &c, flags, (const char *)data, (int)size, on_token);
	tok.xDelete(inst);
	return 0;
}
