#include "mn_index.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mn_parse.h"
#include "mn_text.h"

struct indexer {
	struct mn_store *store;
	const struct mn_index_opts *opts;
	struct mn_index_stats *stats;
	struct mn_err *err;
	/* Folders on the current walk, to stop at symbolic link loops. */
	struct {
		dev_t dev;
		ino_t ino;
	} *stack;
	size_t depth, cap;
};

static void report(struct indexer *ix, enum mn_index_event_type type, const char *path,
		   const char *reason, size_t passages, uint64_t bytes)
{
	struct mn_index_event ev = { type, path, reason, passages, bytes };

	switch (type) {
	case MN_INDEX_ADDED:
		ix->stats->added++;
		break;
	case MN_INDEX_UPDATED:
		ix->stats->updated++;
		break;
	case MN_INDEX_SKIPPED:
		ix->stats->skipped++;
		break;
	case MN_INDEX_IGNORED:
		ix->stats->ignored++;
		break;
	}
	ix->stats->passages += passages;
	ix->stats->bytes += bytes;
	if (ix->opts->on_event)
		ix->opts->on_event(ix->opts->ctx, &ev);
}

/* 64-bit FNV-1a of the content, as hex: detects content changes between runs. */
static void content_hash(const char *data, size_t len, char out[17])
{
	uint64_t h = 14695981039346656037ull;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)data[i]) * 1099511628211ull;
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

static int looks_binary(const char *data, size_t len)
{
	size_t n = len < 8192 ? len : 8192;

	return memchr(data, '\0', n) != NULL;
}

/* Indexes one file. Returns non-zero only when the index itself failed. */
static int index_file(struct indexer *ix, const char *path, const struct stat *st)
{
	struct mn_err ferr = MN_ERR_INIT;
	struct mn_file_info info;
	struct mn_doc *doc = NULL;
	char *raw = NULL, *text = NULL;
	size_t raw_len, text_len;
	char hash[17];
	int replaced = 0;

	if (mn_read_file(path, MN_INDEX_MAX_FILE, &raw, &raw_len, &ferr)) {
		report(ix, MN_INDEX_SKIPPED, path, ferr.msg, 0, 0);
		return MN_OK;
	}
	if (looks_binary(raw, raw_len)) {
		report(ix, MN_INDEX_SKIPPED, path, "binary file", 0, 0);
		free(raw);
		return MN_OK;
	}
	content_hash(raw, raw_len, hash);
	text = mn_utf8_repair(raw, raw_len, &text_len, NULL);
	free(raw);
	if (mn_parse(path, text, text_len, &doc, &ferr)) {
		report(ix, MN_INDEX_SKIPPED, path, ferr.msg, 0, 0);
		free(text);
		return MN_OK;
	}
	info.size = (int64_t)st->st_size;
	info.mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	info.hash = hash;
	if (mn_store_add_doc(ix->store, doc, &info, &replaced, ix->err)) {
		mn_doc_free(doc);
		free(text);
		return ix->err->status;
	}
	report(ix, replaced ? MN_INDEX_UPDATED : MN_INDEX_ADDED, path, NULL, doc->npassages,
	       raw_len);
	mn_doc_free(doc);
	free(text);
	return MN_OK;
}

static int walk(struct indexer *ix, const char *path, int explicit);

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int walk_dir(struct indexer *ix, const char *path, const struct stat *st)
{
	DIR *dir;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc = MN_OK;

	for (i = 0; i < ix->depth; i++) {
		if (ix->stack[i].dev == st->st_dev && ix->stack[i].ino == st->st_ino) {
			report(ix, MN_INDEX_SKIPPED, path, "folder loop (symbolic link to a parent)",
			       0, 0);
			return MN_OK;
		}
	}
	dir = opendir(path);
	if (!dir) {
		char reason[256];

		snprintf(reason, sizeof(reason), "cannot open folder: %s", strerror(errno));
		report(ix, MN_INDEX_SKIPPED, path, reason, 0, 0);
		return MN_OK;
	}
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		MN_GROW(names, n + 1, cap);
		names[n++] = mn_xstrdup(de->d_name);
	}
	closedir(dir);
	qsort(names, n, sizeof(*names), cmp_names);

	MN_GROW(ix->stack, ix->depth + 1, ix->cap);
	ix->stack[ix->depth].dev = st->st_dev;
	ix->stack[ix->depth].ino = st->st_ino;
	ix->depth++;
	for (i = 0; i < n; i++) {
		struct mn_buf child = MN_BUF_INIT;
		size_t len = strlen(path);

		mn_buf_add(&child, path, len);
		if (len && path[len - 1] != '/')
			mn_buf_addc(&child, '/');
		mn_buf_adds(&child, names[i]);
		if (!rc)
			rc = walk(ix, mn_buf_str(&child), 0);
		mn_buf_release(&child);
		free(names[i]);
	}
	ix->depth--;
	free(names);
	return rc;
}

static int walk(struct indexer *ix, const char *path, int explicit)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		char reason[256];

		snprintf(reason, sizeof(reason), "%s", strerror(errno));
		report(ix, MN_INDEX_SKIPPED, path, reason, 0, 0);
		return MN_OK;
	}
	if (S_ISDIR(st.st_mode))
		return walk_dir(ix, path, &st);
	if (!S_ISREG(st.st_mode)) {
		if (explicit)
			report(ix, MN_INDEX_SKIPPED, path, "not a regular file", 0, 0);
		return MN_OK;
	}
	if (!mn_parse_accepts(path)) {
		report(ix, MN_INDEX_IGNORED, path, "not a .txt, .md or .markdown file", 0, 0);
		return MN_OK;
	}
	return index_file(ix, path, &st);
}

int mn_index_run(struct mn_store *store, const struct mn_index_opts *opts,
		 struct mn_index_stats *stats, struct mn_err *err)
{
	struct indexer ix;
	size_t i;

	memset(stats, 0, sizeof(*stats));
	memset(&ix, 0, sizeof(ix));
	ix.store = store;
	ix.opts = opts;
	ix.stats = stats;
	ix.err = err;

	if (mn_store_begin(store, err))
		return err->status;
	for (i = 0; i < opts->npaths; i++) {
		if (mn_store_add_root(store, opts->paths[i], err) ||
		    walk(&ix, opts->paths[i], 1))
			break;
	}
	free(ix.stack);
	if (err->status) {
		mn_store_rollback(store);
		return err->status;
	}
	if (mn_store_commit(store, err)) {
		mn_store_rollback(store);
		return err->status;
	}
	return MN_OK;
}
