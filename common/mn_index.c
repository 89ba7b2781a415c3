#include "mn_index.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mn_parse.h"
#include "mn_text.h"

#define DEFAULT_BATCH_FILES 256
#define DEFAULT_BATCH_MS    1000.0
#define DEFAULT_PIECE	    ((size_t)4 << 20)
/* Bytes looked at for NUL to call a file binary, as git and grep do. */
#define BINARY_PROBE 8192
/*
 * A file modified less than this before it was read may be modified again
 * within the same mtime tick and keep its size: its mtime is not recorded,
 * so that the next run compares its content (git's "racily clean" entries).
 */
#define RACY_NS	   ((int64_t)2000000000)
#define READ_CHUNK ((size_t)1 << 16)

/* A file the index held when the run started. */
struct known {
	char *path;
	int64_t size, mtime_ns;
	char *hash;
	int seen; /* found on this walk, or to be kept whatever happens */
};

struct indexer {
	struct mn_store *store;
	const struct mn_index_opts *opts;
	struct mn_index_stats *stats;
	struct mn_err *err;
	struct known *known;
	size_t nknown, known_cap;
	int in_txn;
	size_t batch_writes;
	double batch_start;
	size_t piece;
	int base; /* the current root's base folder, or AT_FDCWD */
	/* Folders on the current walk, to stop at symbolic link loops. */
	struct {
		dev_t dev;
		ino_t ino;
	} * stack;
	size_t depth, cap;
};

/* ---- events and batches --------------------------------------------------- */

static void report(struct indexer *ix, enum mn_index_event_type type, const char *path,
		   const char *reason, size_t passages, uint64_t bytes)
{
	struct mn_index_event ev = {type, path, reason, passages, bytes};
	struct mn_index_stats *st = ix->stats;

	switch (type) {
	case MN_INDEX_ADDED:
		st->added++;
		break;
	case MN_INDEX_CHANGED:
		st->changed++;
		break;
	case MN_INDEX_REMOVED:
		st->removed++;
		break;
	case MN_INDEX_UNCHANGED:
		st->unchanged++;
		break;
	case MN_INDEX_SKIPPED:
		st->skipped++;
		break;
	case MN_INDEX_IGNORED:
		st->ignored++;
		break;
	case MN_INDEX_COMMITTED:
		st->commits++;
		break;
	}
	st->passages += passages;
	st->bytes += bytes;
	if (ix->opts->on_event)
		ix->opts->on_event(ix->opts->ctx, &ev);
}

static void skip_errno(struct indexer *ix, const char *path, const char *what, int errnum)
{
	char reason[256];

	if (what)
		snprintf(reason, sizeof(reason), "%s: %s", what, strerror(errnum));
	else
		snprintf(reason, sizeof(reason), "%s", strerror(errnum));
	report(ix, MN_INDEX_SKIPPED, path, reason, 0, 0);
}

/* Opens a transaction for the batch unless one is open. */
static int begin_write(struct indexer *ix)
{
	if (ix->in_txn)
		return MN_OK;
	if (mn_store_begin(ix->store, ix->err))
		return ix->err->status;
	ix->in_txn = 1;
	ix->batch_writes = 0;
	ix->batch_start = mn_now_ms();
	return MN_OK;
}

static int commit(struct indexer *ix)
{
	if (!ix->in_txn)
		return MN_OK;
	if (mn_store_commit(ix->store, ix->err))
		return ix->err->status;
	ix->in_txn = 0;
	report(ix, MN_INDEX_COMMITTED, NULL, NULL, 0, 0);
	return MN_OK;
}

/* Commits the batch when it is big or old enough. */
static int wrote_one(struct indexer *ix)
{
	size_t files = ix->opts->batch_files ? ix->opts->batch_files : DEFAULT_BATCH_FILES;
	double ms = ix->opts->batch_ms > 0 ? ix->opts->batch_ms : DEFAULT_BATCH_MS;

	ix->batch_writes++;
	if (ix->batch_writes >= files || mn_now_ms() - ix->batch_start >= ms)
		return commit(ix);
	return MN_OK;
}

/* ---- what the index knew ------------------------------------------------- */

static int add_known(void *ctx, const char *path, const struct mn_file_info *info)
{
	struct indexer *ix = ctx;
	struct known *k;

	MN_GROW(ix->known, ix->nknown + 1, ix->known_cap);
	k = &ix->known[ix->nknown++];
	k->path = mn_xstrdup(path);
	k->size = info->size;
	k->mtime_ns = info->mtime_ns;
	k->hash = info->hash ? mn_xstrdup(info->hash) : NULL;
	k->seen = 0;
	return 0;
}

static int cmp_known(const void *a, const void *b)
{
	return strcmp(((const struct known *)a)->path, ((const struct known *)b)->path);
}

static struct known *find_known(struct indexer *ix, const char *path)
{
	struct known key;

	if (!ix->nknown)
		return NULL;
	key.path = (char *)path;
	return bsearch(&key, ix->known, ix->nknown, sizeof(*ix->known), cmp_known);
}

/* Whether path is root or lies under it. */
static int covers(const char *root, const char *path)
{
	size_t n = strlen(root);

	if (strncmp(root, path, n))
		return 0;
	return path[n] == '\0' || path[n] == '/' || (n && root[n - 1] == '/');
}

/* Keeps every known file under path: it could not be looked at this time. */
static void keep_under(struct indexer *ix, const char *path)
{
	size_t i;

	for (i = 0; i < ix->nknown; i++)
		if (covers(path, ix->known[i].path))
			ix->known[i].seen = 1;
}

static size_t count_under(struct indexer *ix, const char *path)
{
	size_t i, n = 0;

	for (i = 0; i < ix->nknown; i++)
		n += covers(path, ix->known[i].path);
	return n;
}

/* ---- reading files --------------------------------------------------------- */

/* 64-bit FNV-1a, fed in pieces: detects content changes between runs. */
static void hash_update(uint64_t *h, const char *data, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		*h = (*h ^ (unsigned char)data[i]) * 1099511628211ull;
}

#define HASH_INIT 14695981039346656037ull

static void hash_hex(uint64_t h, char out[17])
{
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* Reads up to n bytes, retrying short reads; returns bytes read or -1. */
static ssize_t read_full(int fd, char *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* Reads all of fd (at most max bytes) into a new buffer. */
static int read_whole(int fd, uint64_t max, char **out, size_t *len, int *errnum)
{
	struct mn_buf b = MN_BUF_INIT;
	char chunk[READ_CHUNK];
	ssize_t r;

	mn_buf_add(&b, "", 0);
	while ((r = read_full(fd, chunk, sizeof(chunk))) > 0) {
		mn_buf_add(&b, chunk, (size_t)r);
		if (b.len > max) {
			*errnum = EFBIG;
			mn_buf_release(&b);
			return -1;
		}
	}
	if (r < 0) {
		*errnum = errno;
		mn_buf_release(&b);
		return -1;
	}
	*len = b.len;
	*out = mn_buf_detach(&b);
	return 0;
}

/* Hashes all of fd from its start; *binary says whether its start has NUL. */
static int hash_fd(int fd, char out[17], int *binary, int *errnum)
{
	char *chunk = mn_xmalloc(READ_CHUNK);
	uint64_t h = HASH_INIT;
	int first = 1, rc = 0;
	ssize_t r;

	*binary = 0;
	while ((r = read_full(fd, chunk, READ_CHUNK)) > 0) {
		if (first)
			*binary =
			    memchr(chunk, '\0',
				   (size_t)r < BINARY_PROBE ? (size_t)r : BINARY_PROBE) != NULL;
		first = 0;
		hash_update(&h, chunk, (size_t)r);
	}
	if (r < 0) {
		*errnum = errno;
		rc = -1;
	}
	free(chunk);
	hash_hex(h, out);
	return rc;
}

/*
 * Where to end a piece of buf[0..len) read from a big file: after the first
 * blank line past want bytes, else after the last newline past want / 2,
 * else at a character boundary (a line longer than the piece).
 */
static size_t find_cut(const char *buf, size_t len, size_t want)
{
	size_t i, cut;

	for (i = want; i + 1 < len; i++)
		if (buf[i] == '\n' && (buf[i + 1] == '\n' ||
				       (buf[i + 1] == '\r' && i + 2 < len && buf[i + 2] == '\n')))
			return i + 1;
	for (i = len; i > want / 2; i--)
		if (buf[i - 1] == '\n')
			return i;
	cut = len;
	while (cut > len / 2 && (((unsigned char)buf[cut] & 0xc0) == 0x80 || buf[cut - 1] == '\r'))
		cut--;
	return cut;
}

/* ---- indexing one file ----------------------------------------------------- */

struct file_job {
	const char *path;
	int fd;
	struct mn_file_info info;
	char hash[17];
	struct known *known;
	size_t passages;
	struct mn_err ferr; /* what is wrong with the file, not the index */
};

/* Moves passages of a later piece to their lines in the file and their topics. */
static void place_piece(struct mn_doc *doc, int line_offset, char ***topic, size_t *ntopic)
{
	size_t i;

	for (i = 0; i < doc->npassages; i++) {
		struct mn_passage *p = &doc->passages[i];

		p->line += line_offset;
		p->end_line += line_offset;
		/* The heading above it is in an earlier piece. */
		if (!p->ntopic_path && *ntopic) {
			p->topic_path = mn_doc_strv(doc, (const char *const *)*topic, *ntopic);
			p->ntopic_path = *ntopic;
		}
	}
	if (doc->npassages) {
		const struct mn_passage *last = &doc->passages[doc->npassages - 1];

		mn_strv_free(*topic, *ntopic);
		*topic = mn_xcalloc(last->ntopic_path + 1, sizeof(char *));
		for (i = 0; i < last->ntopic_path; i++)
			(*topic)[i] = mn_xstrdup(last->topic_path[i]);
		*ntopic = last->ntopic_path;
	}
}

/*
 * Parses and stores a big file piece by piece. File problems go to
 * job->ferr, index problems to ix->err; the caller rolls back either way.
 */
static int store_pieces(struct indexer *ix, struct file_job *job, int *replaced)
{
	size_t cap = 2 * ix->piece, len = 0, i;
	char *buf = mn_xmalloc(cap + 1);
	char **topic = NULL;
	size_t ntopic = 0;
	int line_offset = 0, eof = 0;
	struct mn_doc *first = NULL;

	if (lseek(job->fd, 0, SEEK_SET) < 0)
		mn_err_set(&job->ferr, MN_ERR_IO, "%s", strerror(errno));
	while (!job->ferr.status && !ix->err->status) {
		struct mn_doc *doc = NULL;
		size_t cut, tlen;
		char *text;
		ssize_t r = 0;
		int rc;

		if (!eof && len < cap) {
			r = read_full(job->fd, buf + len, cap - len);
			if (r < 0) {
				mn_err_set(&job->ferr, MN_ERR_IO, "%s", strerror(errno));
				break;
			}
			len += (size_t)r;
			eof = len < cap;
		}
		if (!len)
			break;
		cut = eof ? len : find_cut(buf, len, ix->piece);
		text = mn_utf8_repair(buf, cut, &tlen, NULL);
		/* Later pieces continue the first: its title, dates and attendees hold. */
		rc = first ? mn_parse_more(first, text, tlen, &doc, &job->ferr)
			   : mn_parse(job->path, text, tlen, &doc, &job->ferr);
		if (rc) {
			free(text);
			break;
		}
		mn_aliases_apply(ix->opts->aliases, doc);
		place_piece(doc, line_offset, &topic, &ntopic);
		if (!first)
			mn_store_add_doc(ix->store, doc, &job->info, replaced, ix->err);
		else
			mn_store_add_passages(ix->store, job->path, doc, ix->err);
		job->passages += doc->npassages;
		for (i = 0; i < tlen; i++)
			line_offset += text[i] == '\n';
		if (!first)
			first = doc;
		else
			mn_doc_free(doc);
		free(text);
		memmove(buf, buf + cut, len - cut);
		len -= cut;
	}
	mn_doc_free(first);
	mn_strv_free(topic, ntopic);
	free(buf);
	return job->ferr.status || ix->err->status;
}

/* Parses and stores a file read whole. */
static int store_whole(struct indexer *ix, struct file_job *job, char *raw, size_t len,
		       int *replaced)
{
	struct mn_doc *doc = NULL;
	size_t tlen;
	char *text = mn_utf8_repair(raw, len, &tlen, NULL);

	if (!mn_parse(job->path, text, tlen, &doc, &job->ferr)) {
		mn_aliases_apply(ix->opts->aliases, doc);
		mn_store_add_doc(ix->store, doc, &job->info, replaced, ix->err);
		job->passages = doc->npassages;
	}
	mn_doc_free(doc);
	free(text);
	return job->ferr.status || ix->err->status;
}

/*
 * Writes one file, whole or not at all. A file read whole is parsed before
 * anything is written, so a file that cannot be parsed writes nothing; one
 * read in pieces is written inside a savepoint, as a later piece may fail
 * after earlier ones were stored. (A savepoint for every file would cost
 * much: releasing one makes FTS5 flush its pending terms as a new segment.)
 * A failure of the index itself fails the whole batch.
 */
static int store_file(struct indexer *ix, struct file_job *job, char *raw, size_t len)
{
	int replaced = 0, failed;

	if (begin_write(ix) || (!raw && mn_store_savepoint(ix->store, ix->err)))
		return ix->err->status;
	if (raw)
		failed = store_whole(ix, job, raw, len, &replaced);
	else
		failed = store_pieces(ix, job, &replaced);
	if (failed) {
		if (!raw)
			mn_store_rollback_savepoint(ix->store);
		if (ix->err->status)
			return ix->err->status;
		report(ix, MN_INDEX_SKIPPED, job->path, job->ferr.msg, 0, 0);
		return MN_OK;
	}
	if (!raw && mn_store_release(ix->store, ix->err))
		return ix->err->status;
	report(ix, replaced ? MN_INDEX_CHANGED : MN_INDEX_ADDED, job->path, NULL, job->passages,
	       (uint64_t)job->info.size);
	return wrote_one(ix);
}

/* The content is what the index holds: record the new size and mtime only. */
static int touch_file(struct indexer *ix, struct file_job *job)
{
	if (!ix->opts->dry_run && job->info.mtime_ns != job->known->mtime_ns) {
		if (begin_write(ix) || mn_store_touch(ix->store, job->path, &job->info, ix->err))
			return ix->err->status;
		report(ix, MN_INDEX_UNCHANGED, job->path, NULL, 0, 0);
		return wrote_one(ix);
	}
	report(ix, MN_INDEX_UNCHANGED, job->path, NULL, 0, 0);
	return MN_OK;
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/*
 * Brings one file up to date. Returns non-zero only when the index itself
 * failed.
 */
static int index_file(struct indexer *ix, const char *path, const struct stat *st)
{
	struct file_job job;
	struct stat fst;
	char *raw = NULL;
	size_t len = 0;
	int binary = 0, errnum = 0, rc = MN_OK;

	memset(&job, 0, sizeof(job));
	job.path = path;
	job.fd = -1;
	job.known = find_known(ix, path);
	if (job.known)
		job.known->seen = 1;
	job.info.size = (int64_t)st->st_size;
	job.info.mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	job.info.hash = job.hash;
	if (job.known && job.known->mtime_ns >= 0 && job.known->size == job.info.size &&
	    job.known->mtime_ns == job.info.mtime_ns) {
		report(ix, MN_INDEX_UNCHANGED, path, NULL, 0, 0);
		return MN_OK;
	}
	if ((uint64_t)st->st_size > MN_INDEX_MAX_FILE) {
		report(ix, MN_INDEX_SKIPPED, path, "larger than 1 GiB", 0, 0);
		return MN_OK;
	}
	job.fd = openat(ix->base, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (job.fd < 0) {
		skip_errno(ix, path, NULL, errno);
		return MN_OK;
	}
	if (fstat(job.fd, &fst) < 0 || !S_ISREG(fst.st_mode)) {
		report(ix, MN_INDEX_SKIPPED, path, "not a regular file", 0, 0);
		goto out;
	}
	if ((uint64_t)fst.st_size > 2 * ix->piece) {
		if (hash_fd(job.fd, job.hash, &binary, &errnum) < 0) {
			skip_errno(ix, path, NULL, errnum);
			goto out;
		}
	} else {
		uint64_t h = HASH_INIT;

		if (read_whole(job.fd, MN_INDEX_MAX_FILE, &raw, &len, &errnum) < 0) {
			skip_errno(ix, path, NULL, errnum);
			goto out;
		}
		binary = memchr(raw, '\0', len < BINARY_PROBE ? len : BINARY_PROBE) != NULL;
		hash_update(&h, raw, len);
		hash_hex(h, job.hash);
	}
	if (binary) {
		report(ix, MN_INDEX_SKIPPED, path, "binary file", 0, 0);
		goto out;
	}
	if (job.info.mtime_ns > now_ns() - RACY_NS)
		job.info.mtime_ns = -1;
	if (job.known && job.known->hash && !strcmp(job.known->hash, job.hash)) {
		rc = touch_file(ix, &job);
		goto out;
	}
	if (ix->opts->dry_run) {
		report(ix, job.known ? MN_INDEX_CHANGED : MN_INDEX_ADDED, path, NULL, 0,
		       (uint64_t)job.info.size);
		goto out;
	}
	rc = store_file(ix, &job, raw, len);
	/* A skipped file keeps what the index held: it is not "gone". */
out:
	free(raw);
	if (job.fd >= 0)
		close(job.fd);
	return rc;
}

/* ---- walking ----------------------------------------------------------------- */

static int name_is_utf8(const char *name)
{
	size_t len = strlen(name), out_len, bad = 0;
	char *fixed = mn_utf8_repair(name, len, &out_len, &bad);

	free(fixed);
	return bad == 0;
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
	int rc = MN_OK, fd;

	for (i = 0; i < ix->depth; i++) {
		if (ix->stack[i].dev == st->st_dev && ix->stack[i].ino == st->st_ino) {
			report(ix, MN_INDEX_SKIPPED, path,
			       "folder loop (symbolic link to a parent)", 0, 0);
			return MN_OK;
		}
	}
	fd = openat(ix->base, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	dir = fd >= 0 ? fdopendir(fd) : NULL;
	if (!dir) {
		skip_errno(ix, path, "cannot open folder", errno);
		if (fd >= 0)
			close(fd);
		keep_under(ix, path);
		return MN_OK;
	}
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		MN_GROW(names, n + 1, cap);
		names[n++] = mn_xstrdup(de->d_name);
	}
	closedir(dir);
	if (n)
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
	const char *slash = strrchr(path, '/');
	struct stat st;

	if (!name_is_utf8(explicit || !slash ? path : slash + 1)) {
		report(ix, MN_INDEX_SKIPPED, path,
		       "name is not valid UTF-8 (rename it to index it)", 0, 0);
		keep_under(ix, path);
		return MN_OK;
	}
	if (fstatat(ix->base, path, &st, 0) < 0) {
		skip_errno(ix, path, NULL, errno);
		keep_under(ix, path);
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
		report(ix, MN_INDEX_IGNORED, path, "not a kind of file minutes reads", 0, 0);
		return MN_OK;
	}
	return index_file(ix, path, &st);
}

/* ---- roots ----------------------------------------------------------------------- */

/* The base a root is recorded with: its own, else the working folder for a relative path. */
static char *root_base(const struct mn_root *root)
{
	if (root->base)
		return mn_xstrdup(root->base);
	if (root->path[0] == '/')
		return NULL;
	return getcwd(NULL, 0);
}

static int same_base(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

/*
 * Records the roots of this run, unless a recorded root already covers
 * one; recorded roots that a new one covers are forgotten.
 */
static int record_roots(struct indexer *ix, const struct mn_root *roots, size_t n)
{
	struct mn_root *old = NULL;
	size_t nold = 0, i, k;

	if (mn_store_roots(ix->store, &old, &nold, ix->err) || begin_write(ix))
		goto out;
	for (i = 0; i < n && !ix->err->status; i++) {
		char *base = root_base(&roots[i]);
		int covered = 0;

		for (k = 0; k < nold; k++) {
			if (!same_base(base, old[k].base))
				continue;
			if (covers(old[k].path, roots[i].path))
				covered = 1;
			else if (covers(roots[i].path, old[k].path))
				mn_store_remove_root(ix->store, old[k].path, old[k].base, ix->err);
		}
		if (!covered)
			mn_store_add_root(ix->store, roots[i].path, base, ix->err);
		free(base);
	}
out:
	mn_roots_free(old, nold);
	return ix->err->status;
}

/* Whether root i is the same as, or lies under, an earlier (or wider) root of the list. */
static int redundant(const struct mn_root *roots, size_t n, size_t i)
{
	size_t k;

	for (k = 0; k < n; k++) {
		if (k == i || !same_base(roots[k].base, roots[i].base) ||
		    !covers(roots[k].path, roots[i].path))
			continue;
		if (strcmp(roots[k].path, roots[i].path) || k < i)
			return 1;
	}
	return 0;
}

static int index_root(struct indexer *ix, const struct mn_root *root, int from_index)
{
	struct stat st;
	int rc;

	ix->base = AT_FDCWD;
	if (root->base && root->path[0] != '/') {
		ix->base = open(root->base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (ix->base < 0) {
			char reason[512];

			snprintf(reason, sizeof(reason),
				 "cannot open folder '%s' it was given in: %s", root->base,
				 strerror(errno));
			report(ix, MN_INDEX_SKIPPED, root->path, reason, 0, 0);
			keep_under(ix, root->path);
			ix->base = AT_FDCWD;
			return MN_OK;
		}
	}
	if (fstatat(ix->base, root->path, &st, 0) < 0 && errno == ENOENT) {
		size_t n = count_under(ix, root->path);

		if (from_index) {
			char reason[256];

			snprintf(reason, sizeof(reason),
				 "no longer exists (its %zu indexed files are kept; name it again "
				 "to remove them)",
				 n);
			report(ix, MN_INDEX_SKIPPED, root->path, reason, 0, 0);
			keep_under(ix, root->path);
		} else if (n == 0) {
			if (!ix->opts->missing_ok)
				skip_errno(ix, root->path, NULL, ENOENT);
		} else if (!ix->opts->dry_run) {
			/* Named but gone: its files leave with the removals, and it is forgotten.
			 */
			char *base = root_base(root);

			if (!begin_write(ix))
				mn_store_remove_root(ix->store, root->path, base, ix->err);
			free(base);
		}
		rc = ix->err->status;
	} else {
		rc = walk(ix, root->path, 1);
	}
	if (ix->base != AT_FDCWD)
		close(ix->base);
	ix->base = AT_FDCWD;
	return rc;
}

/* Removes the known files under the walked roots that the walk did not find. */
static int remove_vanished(struct indexer *ix, const struct mn_root *roots, size_t n)
{
	size_t i, k;

	for (i = 0; i < ix->nknown; i++) {
		struct known *kn = &ix->known[i];
		int removed = 0;

		if (kn->seen)
			continue;
		for (k = 0; k < n && !covers(roots[k].path, kn->path); k++)
			;
		if (k == n)
			continue;
		if (!ix->opts->dry_run) {
			if (begin_write(ix) ||
			    mn_store_remove(ix->store, kn->path, &removed, ix->err))
				return ix->err->status;
		}
		report(ix, MN_INDEX_REMOVED, kn->path, NULL, 0, 0);
		if (!ix->opts->dry_run && wrote_one(ix))
			return ix->err->status;
	}
	return MN_OK;
}

int mn_index_run(struct mn_store *store, const struct mn_index_opts *opts,
		 struct mn_index_stats *stats, struct mn_err *err)
{
	struct indexer ix;
	struct mn_root *recorded = NULL;
	const struct mn_root *roots = opts->roots;
	size_t nroots = opts->nroots, nrecorded = 0, i;

	memset(stats, 0, sizeof(*stats));
	memset(&ix, 0, sizeof(ix));
	ix.store = store;
	ix.opts = opts;
	ix.stats = stats;
	ix.err = err;
	ix.base = AT_FDCWD;
	ix.piece = opts->piece_bytes ? opts->piece_bytes : DEFAULT_PIECE;

	if (!opts->dry_run && mn_store_lock(store, err))
		return err->status;
	if (!nroots) {
		if (mn_store_roots(store, &recorded, &nrecorded, err))
			return err->status;
		if (!nrecorded) {
			mn_roots_free(recorded, nrecorded);
			return mn_err_set(err, MN_ERR_USAGE,
					  "index '%s' records no files or folders to update "
					  "(name them: minutes-index PATH...)",
					  mn_store_path(store));
		}
		roots = recorded;
		nroots = nrecorded;
	}
	if (mn_store_files(store, add_known, &ix, err))
		goto out;
	if (ix.nknown)
		qsort(ix.known, ix.nknown, sizeof(*ix.known), cmp_known);
	if (opts->record && opts->nroots && !opts->dry_run && record_roots(&ix, roots, nroots))
		goto out;
	for (i = 0; i < nroots; i++)
		if (!redundant(roots, nroots, i) && index_root(&ix, &roots[i], !opts->nroots))
			goto out;
	if (remove_vanished(&ix, roots, nroots))
		goto out;
	/* Labels one file left unresolved may be known from others of its series. */
	if (!opts->dry_run && (stats->added || stats->changed || stats->removed) &&
	    (begin_write(&ix) || mn_store_resolve_labels(store, NULL, err)))
		goto out;
	commit(&ix);
out:
	if (err->status && ix.in_txn)
		mn_store_rollback(store);
	for (i = 0; i < ix.nknown; i++) {
		free(ix.known[i].path);
		free(ix.known[i].hash);
	}
	free(ix.known);
	free(ix.stack);
	mn_roots_free(recorded, nrecorded);
	return err->status;
}
