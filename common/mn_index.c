#include "mn_index.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mn_parse.h"
#include "mn_text.h"
#include "mn_tokenizer.h"
#include "mn_ztext.h"

#define DEFAULT_BATCH_FILES 256
#define DEFAULT_BATCH_MS    1000.0
/*
 * A bulk run's batches (see BULK_MIN_BYTES): fewer commits, each of which
 * writes FTS5's pending terms as a new segment and the pages changed to the WAL.
 */
#define BULK_BATCH_FILES    4096
#define BULK_BATCH_MS	    5000.0
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
/* Runs that write at least this many passages, and a quarter of the index, merge FTS5's segments.
 */
#define OPTIMIZE_MIN_PASSAGES 20000
/*
 * Runs planned to read at least this much (about OPTIMIZE_MIN_PASSAGES
 * passages), and a quarter of what the index held, are bulk runs: FTS5
 * merges their segments in bulk, as tidy_index merges them all at the end.
 */
#define BULK_MIN_BYTES ((uint64_t)4 << 20)

/* A file the index held when the run started. */
struct known {
	char *path;
	int64_t size, mtime_ns;
	char *hash;
	int seen; /* found on this walk, or to be kept whatever happens */
};

/* A file the walk found that must be read. */
struct planned {
	char *path;
	int base; /* the folder path is relative to (one of indexer.bases), or AT_FDCWD */
	uint64_t size;
	struct known *known; /* what the index has for it, or NULL (fixed once the walk is done) */
};

struct indexer {
	struct mn_store *store;
	const struct mn_index_opts *opts;
	struct mn_index_stats *stats;
	struct mn_err *err;
	struct known *known;
	size_t nknown, known_cap;
	int in_txn;
	int bulk; /* FTS5 set to merge in bulk by this run */
	size_t batch_writes;
	double batch_start;
	size_t piece;
	const char *people; /* digest of opts->aliases, or NULL */
	int base;	    /* the current root's base folder, or AT_FDCWD */
	int *bases;	    /* the roots' base folders opened so far, closed at the end */
	size_t nbases, bases_cap;
	struct planned *plan; /* what the walk found to read, in walk order */
	size_t nplan, plan_cap;
	struct mn_index_progress progress;
	/* While a planned file is decided: its size, counted done by its event. */
	int deciding;
	uint64_t deciding_bytes;
	/* Folders on the current walk, to stop at symbolic link loops. */
	struct {
		dev_t dev;
		ino_t ino;
	} * stack;
	size_t depth, cap;
	/*
	 * Records the tokens of each parsed file's passages as they go into
	 * FTS5 (a tape), where files are parsed: the writer then gives them to
	 * FTS5 without tokenizing them again. NULL: none recorded.
	 */
	struct mn_tokenizer *tape_tok;
	/* Packs the parsed files' texts, in the parsing thread; NULL: the writer packs them. */
	struct mn_zpacker *packer;
};

/* ---- events and batches --------------------------------------------------- */

static void emit(struct indexer *ix, struct mn_index_event *ev)
{
	struct mn_index_stats *st = ix->stats;

	switch (ev->type) {
	case MN_INDEX_ADDED:
		st->added++;
		break;
	case MN_INDEX_CHANGED:
		st->changed++;
		st->people_changed += ev->people_changed != 0;
		break;
	case MN_INDEX_REMOVED:
		st->removed++;
		break;
	case MN_INDEX_UNCHANGED:
		st->unchanged++;
		break;
	case MN_INDEX_SKIPPED:
		st->skipped++;
		st->skipped_by[ev->why < MN_SKIP_COUNT ? ev->why : MN_SKIP_NONE]++;
		break;
	case MN_INDEX_IGNORED:
		st->ignored++;
		break;
	case MN_INDEX_COMMITTED:
		st->commits++;
		break;
	case MN_INDEX_PLANNED:
		break;
	}
	st->passages += ev->passages;
	st->bytes += ev->bytes;
	/* The one event that decides a planned file moves the progress on. */
	if (ix->deciding && (ev->type == MN_INDEX_ADDED || ev->type == MN_INDEX_CHANGED ||
			     ev->type == MN_INDEX_UNCHANGED || ev->type == MN_INDEX_SKIPPED)) {
		ix->progress.files_done++;
		ix->progress.bytes_done += ix->deciding_bytes;
		ix->deciding = 0;
	}
	ev->progress = ix->progress;
	if (ix->opts->on_event)
		ix->opts->on_event(ix->opts->ctx, ev);
}

static void report(struct indexer *ix, enum mn_index_event_type type, const char *path,
		   const char *reason, size_t passages, uint64_t bytes)
{
	struct mn_index_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.path = path;
	ev.reason = reason;
	ev.passages = passages;
	ev.bytes = bytes;
	emit(ix, &ev);
}

static void skip(struct indexer *ix, const char *path, enum mn_index_skip why, const char *reason)
{
	struct mn_index_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = MN_INDEX_SKIPPED;
	ev.path = path;
	ev.reason = reason;
	ev.why = why;
	emit(ix, &ev);
}

/* The kind of skip a failed system call makes. */
static enum mn_index_skip skip_of_errno(int errnum)
{
	switch (errnum) {
	case ELOOP:
		return MN_SKIP_LOOP;
	case ENOENT:
	case ENOTDIR:
		return MN_SKIP_MISSING;
	case EFBIG:
		return MN_SKIP_TOO_LARGE;
	default:
		return MN_SKIP_UNREADABLE;
	}
}

static void skip_errno(struct indexer *ix, const char *path, const char *what, int errnum)
{
	char reason[256];

	if (what)
		snprintf(reason, sizeof(reason), "%s: %s", what, strerror(errnum));
	else
		snprintf(reason, sizeof(reason), "%s", strerror(errnum));
	skip(ix, path, skip_of_errno(errnum), reason);
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
	size_t files = ix->opts->batch_files ? ix->opts->batch_files
		       : ix->bulk	     ? BULK_BATCH_FILES
					     : DEFAULT_BATCH_FILES;
	double ms = ix->opts->batch_ms > 0 ? ix->opts->batch_ms
		    : ix->bulk		   ? BULK_BATCH_MS
					   : DEFAULT_BATCH_MS;

	ix->batch_writes++;
	/* The text dictionary is trained at a commit: the sooner, the less text packed over. */
	if (ix->batch_writes >= files || mn_now_ms() - ix->batch_start >= ms ||
	    mn_ztext_train_due(mn_store_ztext(ix->store)))
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

/*
 * What a file's row records as its hash: the content's digest, then "/"
 * and the people file's when one was applied. A file is indexed again when
 * either part changes.
 */
#define HASH_SIZE 34

static void stored_hash(const struct indexer *ix, const char content[17], char out[HASH_SIZE])
{
	if (ix->people)
		snprintf(out, HASH_SIZE, "%s/%s", content, ix->people);
	else
		snprintf(out, HASH_SIZE, "%s", content);
}

/* Whether a stored hash was made with this run's people file (or, like this run, none). */
static int same_people(const struct indexer *ix, const char *stored)
{
	const char *slash = stored ? strchr(stored, '/') : NULL;

	if (!ix->people)
		return slash == NULL;
	return slash && !strcmp(slash + 1, ix->people);
}

/* Whether a stored hash is of this content, whatever people file it was made with. */
static int same_content(const char *stored, const char content[17])
{
	size_t n = strlen(content);

	return stored && !strncmp(stored, content, n) && (stored[n] == '\0' || stored[n] == '/');
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
	uint64_t h = MN_HASH_INIT;
	int first = 1, rc = 0;
	ssize_t r;

	*binary = 0;
	while ((r = read_full(fd, chunk, READ_CHUNK)) > 0) {
		if (first)
			*binary =
			    memchr(chunk, '\0',
				   (size_t)r < BINARY_PROBE ? (size_t)r : BINARY_PROBE) != NULL;
		first = 0;
		h = mn_hash_update(h, chunk, (size_t)r);
	}
	if (r < 0) {
		*errnum = errno;
		rc = -1;
	}
	free(chunk);
	mn_hash_hex(h, out);
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
	char content[17];     /* the content's digest */
	char hash[HASH_SIZE]; /* what is recorded: see stored_hash */
	struct known *known;
	int people_changed; /* the content is as indexed; the people file is not */
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

/* Reports a file (to be) indexed: new, or known and changed. */
static void report_indexed(struct indexer *ix, const struct file_job *job, int replaced)
{
	struct mn_index_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = replaced ? MN_INDEX_CHANGED : MN_INDEX_ADDED;
	ev.path = job->path;
	ev.passages = job->passages;
	ev.bytes = (uint64_t)job->info.size;
	ev.people_changed = replaced && job->people_changed;
	emit(ix, &ev);
}

/*
 * Writes a file too big to read whole, piece by piece, inside a savepoint:
 * a later piece may fail after earlier ones were stored, and the file goes
 * in whole or not at all. (Files read whole are parsed before anything is
 * written and need none: releasing a savepoint makes FTS5 flush its
 * pending terms as a new segment, which costs much when done per file.)
 */
static int store_big_file(struct indexer *ix, struct file_job *job)
{
	int replaced = 0;

	if (begin_write(ix) || mn_store_savepoint(ix->store, ix->err))
		return ix->err->status;
	if (store_pieces(ix, job, &replaced)) {
		mn_store_rollback_savepoint(ix->store);
		if (ix->err->status)
			return ix->err->status;
		skip(ix, job->path,
		     job->ferr.status == MN_ERR_IO ? MN_SKIP_UNREADABLE : MN_SKIP_FORMAT,
		     job->ferr.msg);
		return MN_OK;
	}
	if (mn_store_release(ix->store, ix->err))
		return ix->err->status;
	report_indexed(ix, job, replaced);
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
 * What reading a planned file found, before the index is touched: reading,
 * hashing and parsing happen here, in a second thread when there are
 * several files, while the first writes the files before.
 */
enum prep_kind {
	PREP_SKIP,   /* cannot be indexed: why and reason say */
	PREP_SAME,   /* content and people file as indexed: touch it */
	PREP_DRY,    /* would be indexed (a dry run) */
	PREP_DOC,    /* parsed: doc is ready to store */
	PREP_FAILED, /* could not be parsed: job.ferr says why */
	PREP_PIECES, /* too big to read whole: stored piece by piece, job.fd open */
};

struct prepared {
	enum prep_kind kind;
	struct file_job job;
	enum mn_index_skip why;
	char reason[256];
	struct mn_doc *doc;
	struct mn_token_tape *tape; /* the passages' tokens, or NULL */
	struct mn_zahead *ahead;    /* their texts packed, or NULL */
	size_t cost;		    /* bytes held, for the queue's budget */
};

static void prep_skip(struct prepared *pr, enum mn_index_skip why, const char *reason)
{
	pr->kind = PREP_SKIP;
	pr->why = why;
	snprintf(pr->reason, sizeof(pr->reason), "%s", reason);
}

static void prep_skip_errno(struct prepared *pr, int errnum)
{
	prep_skip(pr, skip_of_errno(errnum), strerror(errnum));
}

static void prep_release(struct prepared *pr)
{
	mn_doc_free(pr->doc);
	mn_token_tape_free(pr->tape);
	mn_zahead_free(pr->ahead);
	if (pr->job.fd >= 0)
		close(pr->job.fd);
	memset(pr, 0, sizeof(*pr));
	pr->job.fd = -1;
}

/*
 * The tape of what mn_store_add_doc gives FTS5 for each passage, in the
 * order it does: the text, the topic path, the meeting's title.
 */
static struct mn_token_tape *tape_of(struct mn_tokenizer *tok, const struct mn_doc *doc)
{
	struct mn_token_tape *tape = mn_token_tape_new();
	size_t i;

	for (i = 0; i < doc->npassages; i++) {
		const struct mn_passage *p = &doc->passages[i];
		char *topic = mn_strv_join((const char *const *)p->topic_path, p->ntopic_path,
					   MN_LIST_SEP);

		/* The document outlives its tape: its strings are borrowed. */
		mn_token_tape_record(tape, tok, p->text, 1);
		mn_token_tape_record(tape, tok, topic, 0);
		mn_token_tape_record(tape, tok, doc->title, 1);
		free(topic);
	}
	mn_token_tape_done(tape);
	return tape;
}

/* The passages' texts of doc packed with dict, as mn_store_add_doc binds them. */
static struct mn_zahead *ahead_of(struct mn_zpacker *k, struct mn_zdict *dict,
				  const struct mn_doc *doc)
{
	struct mn_zahead *a = mn_zahead_new(dict);
	size_t i;

	for (i = 0; i < doc->npassages; i++)
		mn_zahead_add(a, k, doc->passages[i].text);
	return a;
}

/*
 * Reads, hashes and (unless its content is as indexed) parses one planned
 * file into pr. Touches neither the index nor the events, and reads the
 * indexer only where nothing changes while files are indexed: this may run
 * in a thread of its own.
 */
static void prepare_file(struct indexer *ix, const struct planned *pl, struct mn_zdict *dict,
			 struct prepared *pr)
{
	const char *path = pl->path;
	struct file_job *job = &pr->job;
	struct stat fst;
	char *raw = NULL, *text;
	size_t len = 0, tlen;
	int binary = 0, errnum = 0;

	memset(pr, 0, sizeof(*pr));
	job->path = path;
	job->known = pl->known;
	job->info.hash = job->hash;
	job->fd = openat(pl->base, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (job->fd < 0) {
		prep_skip_errno(pr, errno);
		return;
	}
	/* What is recorded is what was read: the walk's stat may be old by now. */
	if (fstat(job->fd, &fst) < 0 || !S_ISREG(fst.st_mode)) {
		prep_skip(pr, MN_SKIP_SPECIAL, "not a regular file");
		goto out;
	}
	job->info.size = (int64_t)fst.st_size;
	job->info.mtime_ns = (int64_t)fst.st_mtim.tv_sec * 1000000000 + fst.st_mtim.tv_nsec;
	if ((uint64_t)fst.st_size > MN_INDEX_MAX_FILE) {
		prep_skip(pr, MN_SKIP_TOO_LARGE, "larger than 1 GiB");
		goto out;
	}
	if ((uint64_t)fst.st_size > 2 * ix->piece) {
		if (hash_fd(job->fd, job->content, &binary, &errnum) < 0) {
			prep_skip_errno(pr, errnum);
			goto out;
		}
	} else {
		if (read_whole(job->fd, MN_INDEX_MAX_FILE, &raw, &len, &errnum) < 0) {
			prep_skip_errno(pr, errnum);
			goto out;
		}
		binary = memchr(raw, '\0', len < BINARY_PROBE ? len : BINARY_PROBE) != NULL;
		mn_hash_hex(mn_hash_update(MN_HASH_INIT, raw, len), job->content);
	}
	if (binary) {
		prep_skip(pr, MN_SKIP_BINARY, "binary file");
		goto out;
	}
	stored_hash(ix, job->content, job->hash);
	if (job->info.mtime_ns > now_ns() - RACY_NS)
		job->info.mtime_ns = -1;
	if (job->known && same_content(job->known->hash, job->content)) {
		if (same_people(ix, job->known->hash)) {
			pr->kind = PREP_SAME;
			goto out;
		}
		job->people_changed = 1;
	}
	if (ix->opts->dry_run) {
		pr->kind = PREP_DRY;
		goto out;
	}
	if (!raw) {
		pr->kind = PREP_PIECES;
		return; /* the file stays open: it is read again, piece by piece */
	}
	text = mn_utf8_repair(raw, len, &tlen, NULL);
	if (mn_parse(job->path, text, tlen, &pr->doc, &job->ferr)) {
		pr->kind = PREP_FAILED;
	} else {
		pr->kind = PREP_DOC;
		mn_aliases_apply(ix->opts->aliases, pr->doc);
		job->passages = pr->doc->npassages;
		/* What the parsed document holds (its own copies), roughly: the text thrice. */
		pr->cost = 3 * tlen + 1024;
		if (ix->tape_tok) {
			pr->tape = tape_of(ix->tape_tok, pr->doc);
			pr->cost += mn_token_tape_bytes(pr->tape);
		}
		if (dict) {
			pr->ahead = ahead_of(ix->packer, dict, pr->doc);
			pr->cost += mn_zahead_bytes(pr->ahead);
		}
	}
	free(text);
out:
	free(raw);
	if (pr->kind != PREP_PIECES && job->fd >= 0) {
		close(job->fd);
		job->fd = -1;
	}
}

/*
 * Brings one prepared file up to date in the index, and reports exactly
 * one event for it. Returns non-zero only when the index itself failed.
 */
static int finish_file(struct indexer *ix, struct prepared *pr)
{
	struct file_job *job = &pr->job;
	int replaced = 0;

	switch (pr->kind) {
	case PREP_SKIP:
		skip(ix, job->path, pr->why, pr->reason);
		return MN_OK;
	case PREP_SAME:
		return touch_file(ix, job);
	case PREP_DRY:
		report_indexed(ix, job, job->known != NULL);
		return MN_OK;
	case PREP_FAILED:
		skip(ix, job->path,
		     job->ferr.status == MN_ERR_IO ? MN_SKIP_UNREADABLE : MN_SKIP_FORMAT,
		     job->ferr.msg);
		return MN_OK;
	case PREP_PIECES:
		return store_big_file(ix, job);
	case PREP_DOC:
		/* Parsed before anything is written: the file goes in whole or fails the batch. */
		if (begin_write(ix))
			return ix->err->status;
		mn_tokenizer_set_tape(pr->tape);
		mn_ztext_set_ahead(mn_store_ztext(ix->store), pr->ahead);
		mn_store_add_doc(ix->store, pr->doc, &job->info, &replaced, ix->err);
		mn_ztext_set_ahead(mn_store_ztext(ix->store), NULL);
		mn_tokenizer_set_tape(NULL);
		if (ix->err->status)
			return ix->err->status;
		report_indexed(ix, job, replaced);
		return wrote_one(ix);
	}
	return MN_OK;
}

/* ---- the two threads ---------------------------------------------------------- */

/* Files prepared ahead of the writer, at most, and the bytes they may hold. */
#define QUEUE_FILES 16
#define QUEUE_BYTES ((size_t)16 << 20)

struct pipeline {
	struct indexer *ix;
	pthread_mutex_t mu;
	pthread_cond_t changed;
	struct prepared ring[QUEUE_FILES];
	size_t produced, consumed; /* files prepared and written so far */
	size_t bytes;		   /* held by files prepared and not yet written */
	int stop;
	struct mn_zdict *dict; /* what the writer packs text with (a reference), or NULL */
};

/* Tells the parsing thread of the dictionary the writer packs with now. */
static void share_dict(struct pipeline *pp)
{
	struct mn_zdict *now = mn_ztext_dict(mn_store_ztext(pp->ix->store)), *old;

	pthread_mutex_lock(&pp->mu);
	old = pp->dict;
	pp->dict = now;
	pthread_mutex_unlock(&pp->mu);
	mn_zdict_unref(old);
}

static void *prepare_all(void *arg)
{
	struct pipeline *pp = arg;
	struct indexer *ix = pp->ix;
	size_t i;

	for (i = 0; i < ix->nplan; i++) {
		struct prepared *pr = &pp->ring[i % QUEUE_FILES];
		struct mn_zdict *dict;

		pthread_mutex_lock(&pp->mu);
		while (!pp->stop && (pp->produced - pp->consumed == QUEUE_FILES ||
				     (pp->bytes > QUEUE_BYTES && pp->produced > pp->consumed)))
			pthread_cond_wait(&pp->changed, &pp->mu);
		if (pp->stop) {
			pthread_mutex_unlock(&pp->mu);
			break;
		}
		dict = mn_zdict_ref(pp->dict);
		pthread_mutex_unlock(&pp->mu);
		prepare_file(ix, &ix->plan[i], dict, pr);
		mn_zdict_unref(dict);
		pthread_mutex_lock(&pp->mu);
		pp->produced++;
		pp->bytes += pr->cost;
		pthread_cond_broadcast(&pp->changed);
		pthread_mutex_unlock(&pp->mu);
	}
	return NULL;
}

/* Sets FTS5 to merge in bulk when the planned files are many, and much of the index. */
static int start_bulk(struct indexer *ix)
{
	uint64_t planned = 0, held = 0,
		 min = ix->opts->bulk_bytes ? ix->opts->bulk_bytes : BULK_MIN_BYTES;
	size_t i;

	if (ix->opts->dry_run)
		return MN_OK;
	for (i = 0; i < ix->nplan; i++)
		planned += ix->plan[i].size;
	for (i = 0; i < ix->nknown; i++)
		held += ix->known[i].size > 0 ? (uint64_t)ix->known[i].size : 0;
	if (planned < min || planned * 4 < held)
		return MN_OK;
	if (begin_write(ix) || mn_store_set_bulk(ix->store, 1, ix->err))
		return ix->err->status;
	ix->bulk = 1;
	return MN_OK;
}

/* Reads and indexes the planned files, in the order the walk found them. */
static int index_planned(struct indexer *ix)
{
	struct pipeline *pp;
	pthread_t thread;
	size_t i;
	int threaded;

	report(ix, MN_INDEX_PLANNED, NULL, NULL, 0, 0);
	if (start_bulk(ix))
		return ix->err->status;
	pp = mn_xcalloc(1, sizeof(*pp));
	pp->ix = ix;
	for (i = 0; i < QUEUE_FILES; i++)
		pp->ring[i].job.fd = -1;
	pthread_mutex_init(&pp->mu, NULL);
	pthread_cond_init(&pp->changed, NULL);
	if (!ix->opts->no_tapes) {
		struct mn_err terr = MN_ERR_INIT;

		/* Without it, the writer tokenizes as FTS5 always does. */
		if (mn_tokenizer_open(mn_store_db(ix->store), mn_store_language(ix->store),
				      &ix->tape_tok, &terr))
			ix->tape_tok = NULL;
	}
	/* A second thread parses ahead, when there is more than one file. */
	threaded = 0;
	if (ix->nplan >= 2) {
		mn_parse_init();
		ix->packer = mn_zpacker_new();
		share_dict(pp);
		threaded = pthread_create(&thread, NULL, prepare_all, pp) == 0;
	}
	for (i = 0; i < ix->nplan && !ix->err->status; i++) {
		struct prepared *pr = &pp->ring[i % QUEUE_FILES];
		size_t cost;

		if (threaded) {
			pthread_mutex_lock(&pp->mu);
			while (pp->produced <= i)
				pthread_cond_wait(&pp->changed, &pp->mu);
			pthread_mutex_unlock(&pp->mu);
		} else {
			prepare_file(ix, &ix->plan[i], NULL, pr); /* one by one */
		}
		ix->deciding = 1;
		ix->deciding_bytes = ix->plan[i].size;
		finish_file(ix, pr);
		ix->deciding = 0;
		if (threaded)
			share_dict(pp); /* the first commit with text enough trains one */
		cost = pr->cost;
		prep_release(pr);
		pthread_mutex_lock(&pp->mu);
		pp->consumed++;
		pp->bytes -= cost;
		pthread_cond_broadcast(&pp->changed);
		pthread_mutex_unlock(&pp->mu);
	}
	if (threaded) {
		pthread_mutex_lock(&pp->mu);
		pp->stop = 1;
		pthread_cond_broadcast(&pp->changed);
		pthread_mutex_unlock(&pp->mu);
		pthread_join(thread, NULL);
	}
	/* Files prepared but not written (the index failed): let them go. */
	for (; i < pp->produced; i++)
		prep_release(&pp->ring[i % QUEUE_FILES]);
	pthread_mutex_destroy(&pp->mu);
	pthread_cond_destroy(&pp->changed);
	mn_zdict_unref(pp->dict);
	free(pp);
	mn_zpacker_free(ix->packer);
	ix->packer = NULL;
	mn_tokenizer_close(ix->tape_tok);
	ix->tape_tok = NULL;
	return ix->err->status;
}

/*
 * Decides what the walk can about a file: unchanged when its size, mtime
 * and people file are as recorded; else it goes on the plan, to be read.
 */
static int plan_file(struct indexer *ix, const char *path, const struct stat *st)
{
	struct known *known = find_known(ix, path);
	int64_t mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	struct planned *pl;

	if (known)
		known->seen = 1;
	if (known && known->mtime_ns >= 0 && known->size == (int64_t)st->st_size &&
	    known->mtime_ns == mtime_ns && same_people(ix, known->hash)) {
		report(ix, MN_INDEX_UNCHANGED, path, NULL, 0, 0);
		return MN_OK;
	}
	if ((uint64_t)st->st_size > MN_INDEX_MAX_FILE) {
		skip(ix, path, MN_SKIP_TOO_LARGE, "larger than 1 GiB");
		return MN_OK;
	}
	MN_GROW(ix->plan, ix->nplan + 1, ix->plan_cap);
	pl = &ix->plan[ix->nplan++];
	pl->path = mn_xstrdup(path);
	pl->base = ix->base;
	pl->size = (uint64_t)st->st_size;
	pl->known = known;
	ix->progress.files++;
	ix->progress.bytes += pl->size;
	return MN_OK;
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
			skip(ix, path, MN_SKIP_LOOP, "folder loop (symbolic link to a parent)");
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
		skip(ix, path, MN_SKIP_BAD_NAME, "name is not valid UTF-8 (rename it to index it)");
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
			skip(ix, path, MN_SKIP_SPECIAL, "not a regular file");
		return MN_OK;
	}
	if (!mn_parse_accepts(path)) {
		report(ix, MN_INDEX_IGNORED, path, "not a kind of file minutes reads", 0, 0);
		return MN_OK;
	}
	return plan_file(ix, path, &st);
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

/* Where a root comes from, which decides what a vanished one means. */
enum root_kind {
	ROOT_GIVEN,    /* named for this run: gone, its files go */
	ROOT_RECORDED, /* from the index: gone, its files are kept (an unmounted disk) */
	ROOT_FOLDER,   /* from opts->folders: kept like a recorded one */
};

/* A root's absolute path (base, else cwd, joined to a relative path); a new string. */
static char *absolute(const struct mn_root *root, const char *cwd)
{
	struct mn_buf b = MN_BUF_INIT;

	if (root->path[0] == '/' || (!root->base && !cwd))
		return mn_xstrdup(root->path);
	mn_buf_addf(&b, "%s/%s", root->base ? root->base : cwd, root->path);
	return mn_buf_detach(&b);
}

/*
 * Whether root i is the same as, or lies under, an earlier (or wider) root
 * of the list, comparing absolute paths (abs[]), so that "corpus" given in
 * /srv and "/srv/corpus" are one root.
 */
static int redundant(char *const *abs, size_t n, size_t i)
{
	size_t k;

	for (k = 0; k < n; k++) {
		if (k == i || !covers(abs[k], abs[i]))
			continue;
		if (strcmp(abs[k], abs[i]) || k < i)
			return 1;
	}
	return 0;
}

/* A root's real path (absolute, links resolved), a new string; NULL when it is not there. */
static char *real_of(const struct mn_root *root, const char *cwd)
{
	char *a = absolute(root, cwd), *r = realpath(a, NULL);

	free(a);
	return r;
}

/*
 * The path of what lies at rest (a real path's end: "", "/..." or, below
 * "/", "...") below a root spelled path; a new string.
 */
static char *below(const char *path, const char *rest)
{
	struct mn_buf b = MN_BUF_INIT;
	size_t n = strlen(path);

	mn_buf_adds(&b, path);
	if (*rest == '/' && n && path[n - 1] == '/')
		rest++;
	else if (*rest && *rest != '/' && n && path[n - 1] != '/')
		mn_buf_addc(&b, '/');
	mn_buf_adds(&b, rest);
	return mn_buf_detach(&b);
}

/*
 * A given root spelled as the recorded root that holds it, when one does
 * (compared as real paths): "./corpus", "corpus/", "$PWD/corpus" or "." in
 * the folder itself, after "corpus" was recorded, walk as "corpus" (plus
 * the rest of the path below it), so that its files keep the paths they
 * are known by instead of coming in a second time. Sets *out to a new root
 * (path and base new strings) and returns 1; 0 when none holds it.
 */
static int respell(const struct mn_root *given, const struct mn_root *recorded,
		   char *const *recorded_real, size_t nrecorded, const char *cwd,
		   struct mn_root *out)
{
	char *real = real_of(given, cwd);
	size_t k, best = 0, best_len = 0;
	int found = 0;

	for (k = 0; real && k < nrecorded; k++) {
		const char *r = recorded_real[k];
		size_t len = r ? strlen(r) : 0;

		/* The narrowest one that holds it (roots of other bases may nest). */
		if (r && covers(r, real) && (!found || len > best_len)) {
			found = 1;
			best = k;
			best_len = len;
		}
	}
	if (found) {
		const struct mn_root *r = &recorded[best];
		char *path = below(r->path, real + best_len);

		if (!strcmp(given->path, path) && same_base(given->base, r->base)) {
			free(path);
			found = 0; /* spelled so already */
		} else {
			out->path = path;
			out->base = r->base ? mn_xstrdup(r->base) : NULL;
		}
	}
	free(real);
	return found;
}

/*
 * A given folder that holds a recorded root spelled otherwise (recorded
 * "minutes/a", given "./minutes"): the files known under the recorded one
 * take the spelling the given one's walk reaches them by, and the recorded
 * root, covered now, is forgotten.
 */
static int take_in_recorded(struct indexer *ix, const struct mn_root *roots, size_t n,
			    const struct mn_root *recorded, char *const *recorded_real,
			    size_t nrecorded, const char *cwd)
{
	size_t i, k;

	for (i = 0; i < n && !ix->err->status; i++) {
		char *real = real_of(&roots[i], cwd);
		size_t len = real ? strlen(real) : 0;

		for (k = 0; real && k < nrecorded && !ix->err->status; k++) {
			const char *r = recorded_real[k];
			char *to;

			if (r && covers(real, r) && strcmp(real, r)) {
				to = below(roots[i].path, r + len);
				if (strcmp(to, recorded[k].path) && !begin_write(ix) &&
				    !mn_store_respell(ix->store, recorded[k].path, to, ix->err))
					mn_store_remove_root(ix->store, recorded[k].path,
							     recorded[k].base, ix->err);
				free(to);
			}
		}
		free(real);
	}
	return ix->err->status;
}

static int index_root(struct indexer *ix, const struct mn_root *root, enum root_kind kind)
{
	struct stat st;

	ix->base = AT_FDCWD;
	if (root->base && root->path[0] != '/') {
		int fd = open(root->base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		if (fd < 0) {
			char reason[512];
			int errnum = errno;

			snprintf(reason, sizeof(reason),
				 "cannot open folder '%s' it was given in: %s", root->base,
				 strerror(errnum));
			skip(ix, root->path, skip_of_errno(errnum), reason);
			keep_under(ix, root->path);
			return MN_OK;
		}
		/* Kept open until the planned files under it are read. */
		MN_GROW(ix->bases, ix->nbases + 1, ix->bases_cap);
		ix->bases[ix->nbases++] = fd;
		ix->base = fd;
	}
	if (fstatat(ix->base, root->path, &st, 0) < 0 && errno == ENOENT) {
		size_t n = count_under(ix, root->path);

		if (kind != ROOT_GIVEN && n) {
			char reason[256];

			snprintf(reason, sizeof(reason),
				 kind == ROOT_RECORDED
				     ? "no longer exists (its %zu indexed files are kept; name it "
				       "again to remove them)"
				     : "no longer exists (its %zu indexed files are kept)",
				 n);
			skip(ix, root->path, MN_SKIP_MISSING, reason);
			keep_under(ix, root->path);
		} else if (kind == ROOT_RECORDED) {
			skip(ix, root->path, MN_SKIP_MISSING,
			     "no longer exists (its 0 indexed files are kept; name it again to "
			     "remove them)");
		} else if (n == 0) {
			if (!ix->opts->missing_ok)
				skip_errno(ix, root->path, NULL, ENOENT);
		} else if (!ix->opts->dry_run) {
			/* Named but gone: its files go with the removals; it is forgotten. */
			char *base = root_base(root);

			if (!begin_write(ix))
				mn_store_remove_root(ix->store, root->path, base, ix->err);
			free(base);
		}
		return ix->err->status;
	}
	return walk(ix, root->path, 1);
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

/*
 * Prunes the people no passage and no meeting refers to any more (a file
 * removed, or indexed again under other names), and resolves the labels a
 * file left unresolved through the others of its series.
 */
static int tidy_people(struct indexer *ix)
{
	const struct mn_index_stats *st = ix->stats;

	if (ix->opts->dry_run || !(st->added || st->changed || st->removed))
		return MN_OK;
	if (begin_write(ix))
		return ix->err->status;
	if (mn_store_resolve_labels(ix->store, NULL, ix->err))
		return ix->err->status;
	return mn_store_prune_people(ix->store, NULL, ix->err);
}

/*
 * After a run that wrote much of the index, FTS5 holds it in many segments
 * that every search reads: merge them into one (for a million passages,
 * about three seconds, the one merge of a bulk run's segments). Smaller
 * runs leave it to FTS5's own merging, which every run that wrote sets
 * back from bulk.
 */
static int tidy_index(struct indexer *ix)
{
	const struct mn_index_stats *st = ix->stats;
	struct mn_store_counts counts;

	if (ix->opts->dry_run)
		return MN_OK;
	/*
	 * Merged before FTS5's own merging is set back: set first, it would
	 * merge a bulk run's segments 16 at a time as its commit flushed them.
	 */
	if (st->passages >= OPTIMIZE_MIN_PASSAGES) {
		if (mn_store_counts(ix->store, &counts, ix->err))
			return ix->err->status;
		if ((int64_t)st->passages * 4 >= counts.passages &&
		    (commit(ix) || begin_write(ix) || mn_store_optimize(ix->store, ix->err)))
			return ix->err->status;
	}
	/* FTS5's own merging again for the updates to come (after a bulk run cut short too). */
	if ((ix->bulk || st->added || st->changed || st->removed) &&
	    (begin_write(ix) || mn_store_set_bulk(ix->store, 0, ix->err)))
		return ix->err->status;
	ix->bulk = 0;
	return MN_OK;
}

int mn_index_run(struct mn_store *store, const struct mn_index_opts *opts,
		 struct mn_index_stats *stats, struct mn_err *err)
{
	struct indexer ix;
	struct mn_root *recorded = NULL, *roots = NULL, *respelled = NULL;
	enum root_kind *kinds = NULL;
	char **abs = NULL, **recorded_real = NULL, *cwd = NULL;
	size_t nrecorded = 0, nroots = 0, i;

	memset(stats, 0, sizeof(*stats));
	memset(&ix, 0, sizeof(ix));
	ix.store = store;
	ix.opts = opts;
	ix.stats = stats;
	ix.err = err;
	ix.base = AT_FDCWD;
	ix.piece = opts->piece_bytes ? opts->piece_bytes : DEFAULT_PIECE;
	ix.people = mn_aliases_digest(opts->aliases);

	if (!opts->dry_run && mn_store_lock(store, err))
		return err->status;
	if (mn_store_roots(store, &recorded, &nrecorded, err))
		return err->status;
	if (!opts->nroots) {
		if (!nrecorded && !opts->nfolders) {
			mn_roots_free(recorded, nrecorded);
			return mn_err_set(err, MN_ERR_USAGE,
					  "index '%s' records no files or folders to update "
					  "(name them: minutes-index PATH...)",
					  mn_store_path(store));
		}
	}
	/* The roots to walk: given (or recorded), then the folders; borrowed strings. */
	nroots = (opts->nroots ? opts->nroots : nrecorded) + opts->nfolders;
	roots = mn_xcalloc(nroots + 1, sizeof(*roots));
	kinds = mn_xcalloc(nroots + 1, sizeof(*kinds));
	abs = mn_xcalloc(nroots + 1, sizeof(*abs));
	respelled = mn_xcalloc(nroots + 1, sizeof(*respelled));
	cwd = getcwd(NULL, 0);
	recorded_real = mn_xcalloc(nrecorded + 1, sizeof(*recorded_real));
	for (i = 0; opts->nroots && i < nrecorded; i++)
		recorded_real[i] = real_of(&recorded[i], cwd);
	for (i = 0; i < nroots; i++) {
		size_t nfirst = nroots - opts->nfolders;

		if (i >= nfirst) {
			roots[i].path = (char *)opts->folders[i - nfirst];
			kinds[i] = ROOT_FOLDER;
		} else if (opts->nroots) {
			roots[i] = opts->roots[i];
			kinds[i] = ROOT_GIVEN;
			if (respell(&roots[i], recorded, recorded_real, nrecorded, cwd,
				    &respelled[i]))
				roots[i] = respelled[i];
		} else {
			roots[i] = recorded[i];
			kinds[i] = ROOT_RECORDED;
		}
		abs[i] = absolute(&roots[i], cwd);
	}
	if (opts->record && opts->nroots && !opts->dry_run &&
	    take_in_recorded(&ix, roots, opts->nroots, recorded, recorded_real, nrecorded, cwd))
		goto out;
	if (mn_store_files(store, add_known, &ix, err))
		goto out;
	if (ix.nknown)
		qsort(ix.known, ix.nknown, sizeof(*ix.known), cmp_known);
	if (opts->record && opts->nroots && !opts->dry_run &&
	    record_roots(&ix, roots, opts->nroots))
		goto out;
	for (i = 0; i < nroots; i++)
		if (!redundant(abs, nroots, i) && index_root(&ix, &roots[i], kinds[i]))
			goto out;
	ix.base = AT_FDCWD;
	if (index_planned(&ix) || remove_vanished(&ix, roots, nroots) || tidy_people(&ix) ||
	    tidy_index(&ix))
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
	for (i = 0; i < ix.nplan; i++)
		free(ix.plan[i].path);
	free(ix.plan);
	for (i = 0; i < ix.nbases; i++)
		close(ix.bases[i]);
	free(ix.bases);
	free(ix.stack);
	for (i = 0; i < nroots; i++)
		free(abs[i]);
	free(abs);
	free(kinds);
	free(roots);
	mn_roots_free(respelled, nroots);
	for (i = 0; i < nrecorded; i++)
		free(recorded_real[i]);
	free(recorded_real);
	free(cwd);
	mn_roots_free(recorded, nrecorded);
	return err->status;
}

int mn_index_roots(struct mn_store *store, const char *const *folders, size_t nfolders,
		   struct mn_root **out, size_t *n, struct mn_err *err)
{
	struct mn_root *all = NULL;
	char **abs, *cwd;
	size_t nall = 0, i, k;

	*out = NULL;
	*n = 0;
	if (mn_store_roots(store, &all, &nall, err))
		return err->status;
	all = mn_xrealloc(all, (nall + nfolders + 1) * sizeof(*all));
	for (i = 0; i < nfolders; i++) {
		all[nall].path = mn_xstrdup(folders[i]);
		all[nall++].base = NULL;
	}
	abs = mn_xcalloc(nall + 1, sizeof(*abs));
	cwd = getcwd(NULL, 0);
	for (i = 0; i < nall; i++)
		abs[i] = absolute(&all[i], cwd);
	for (i = k = 0; i < nall; i++) {
		if (redundant(abs, nall, i)) {
			free(all[i].path);
			free(all[i].base);
		} else {
			all[k++] = all[i];
		}
	}
	for (i = 0; i < nall; i++)
		free(abs[i]);
	free(abs);
	free(cwd);
	*out = all;
	*n = k;
	return MN_OK;
}
