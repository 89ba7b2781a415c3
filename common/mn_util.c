#include "mn_util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int mn_err_set(struct mn_err *err, enum mn_status status, const char *fmt, ...)
{
	va_list ap;

	if (!err || err->status != MN_OK)
		return status;
	err->status = status;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return status;
}

void mn_err_clear(struct mn_err *err)
{
	err->status = MN_OK;
	err->msg[0] = '\0';
}

static void die_nomem(size_t n)
{
	fprintf(stderr, "minutes: out of memory allocating %zu bytes\n", n);
	abort();
}

void *mn_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die_nomem(n);
	return p;
}

void *mn_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die_nomem(n * size);
	return p;
}

void *mn_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		die_nomem(n);
	return q;
}

char *mn_xstrdup(const char *s)
{
	return mn_xstrndup(s, strlen(s));
}

char *mn_xstrndup(const char *s, size_t n)
{
	char *p = mn_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static void buf_grow(struct mn_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need <= b->cap)
		return;
	if (b->cap * 2 > need)
		need = b->cap * 2;
	if (need < 64)
		need = 64;
	b->data = mn_xrealloc(b->data, need);
	b->cap = need;
}

void mn_buf_add(struct mn_buf *b, const char *s, size_t n)
{
	buf_grow(b, n);
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void mn_buf_adds(struct mn_buf *b, const char *s)
{
	mn_buf_add(b, s, strlen(s));
}

void mn_buf_addc(struct mn_buf *b, char c)
{
	mn_buf_add(b, &c, 1);
}

void mn_buf_vaddf(struct mn_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	buf_grow(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void mn_buf_addf(struct mn_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mn_buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void mn_buf_reset(struct mn_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

const char *mn_buf_str(const struct mn_buf *b)
{
	return b->data ? b->data : "";
}

char *mn_buf_detach(struct mn_buf *b)
{
	char *s = b->data ? b->data : mn_xstrdup("");

	b->data = NULL;
	b->len = b->cap = 0;
	return s;
}

void mn_buf_release(struct mn_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

int mn_read_file(const char *path, size_t max_size, char **out, size_t *len, struct mn_err *err)
{
	struct stat st;
	char *data = NULL;
	size_t cap, n = 0;
	int fd;

	*out = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return mn_err_set(err, errno == ENOENT ? MN_ERR_NOENT : MN_ERR_IO,
				  "cannot open '%s': %s", path, strerror(errno));
	if (fstat(fd, &st) < 0) {
		mn_err_set(err, MN_ERR_IO, "cannot stat '%s': %s", path, strerror(errno));
		close(fd);
		return err->status;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return mn_err_set(err, MN_ERR_IO, "cannot read '%s': is a directory", path);
	}
	if ((uintmax_t)st.st_size > max_size) {
		close(fd);
		return mn_err_set(err, MN_ERR_FORMAT, "'%s' is larger than %zu bytes", path,
				  max_size);
	}
	cap = (size_t)st.st_size + 1;
	data = mn_xmalloc(cap);
	for (;;) {
		ssize_t r;

		if (n + 1 >= cap) {
			if (cap > max_size) {
				free(data);
				close(fd);
				return mn_err_set(err, MN_ERR_FORMAT,
						  "'%s' is larger than %zu bytes", path, max_size);
			}
			cap *= 2;
			data = mn_xrealloc(data, cap);
		}
		r = read(fd, data + n, cap - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			mn_err_set(err, MN_ERR_IO, "cannot read '%s': %s", path, strerror(errno));
			free(data);
			close(fd);
			return err->status;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	data[n] = '\0';
	*out = data;
	*len = n;
	return MN_OK;
}

uint64_t mn_hash_update(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h;
}

void mn_hash_hex(uint64_t h, char out[17])
{
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

double mn_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

struct mn_arena_block {
	struct mn_arena_block *next;
	size_t used, size;
	max_align_t data[];
};

#define ARENA_BLOCK 16384

void *mn_arena_alloc(struct mn_arena *a, size_t n)
{
	struct mn_arena_block *b = a->head;
	size_t align = sizeof(max_align_t);
	void *p;

	n = (n + align - 1) / align * align;
	if (!b || b->size - b->used < n) {
		size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;

		b = mn_xmalloc(sizeof(*b) + size);
		b->size = size;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	p = (char *)b->data + b->used;
	b->used += n;
	return p;
}

char *mn_arena_strndup(struct mn_arena *a, const char *s, size_t n)
{
	char *p = mn_arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *mn_arena_strdup(struct mn_arena *a, const char *s)
{
	return s ? mn_arena_strndup(a, s, strlen(s)) : NULL;
}

void mn_arena_release(struct mn_arena *a)
{
	while (a->head) {
		struct mn_arena_block *next = a->head->next;

		free(a->head);
		a->head = next;
	}
}

char *mn_strv_join(const char *const *v, size_t n, char sep)
{
	struct mn_buf b = MN_BUF_INIT;
	size_t i;

	if (!n)
		return NULL;
	for (i = 0; i < n; i++) {
		if (i)
			mn_buf_addc(&b, sep);
		mn_buf_adds(&b, v[i]);
	}
	return mn_buf_detach(&b);
}

char **mn_strv_split(const char *s, char sep, size_t *n)
{
	char **v = NULL;
	size_t cap = 0;

	*n = 0;
	if (!s || !*s)
		return NULL;
	for (;;) {
		const char *e = strchr(s, sep);
		size_t len = e ? (size_t)(e - s) : strlen(s);

		MN_GROW(v, *n + 1, cap);
		v[(*n)++] = mn_xstrndup(s, len);
		if (!e)
			break;
		s = e + 1;
	}
	return v;
}

void mn_strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

struct mn_strmap_slot {
	char *key; /* NULL: empty */
	size_t len;
	uint32_t hash;
	void *value;
};

static uint32_t strmap_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static struct mn_strmap_slot *strmap_find(const struct mn_strmap *m, const char *key, size_t len,
					  uint32_t h)
{
	size_t i = h & (m->cap - 1);

	for (;;) {
		struct mn_strmap_slot *sl = &m->slots[i];

		if (!sl->key || (sl->hash == h && sl->len == len && !memcmp(sl->key, key, len)))
			return sl;
		i = (i + 1) & (m->cap - 1);
	}
}

void *mn_strmap_get(const struct mn_strmap *m, const char *key, size_t len, int *found)
{
	struct mn_strmap_slot *sl;

	if (found)
		*found = 0;
	if (!m->cap)
		return NULL;
	sl = strmap_find(m, key, len, strmap_hash(key, len));
	if (!sl->key)
		return NULL;
	if (found)
		*found = 1;
	return sl->value;
}

/* Moves the keys to a table of cap slots (a power of two, more than twice n). */
static void strmap_grow(struct mn_strmap *m, size_t cap)
{
	struct mn_strmap old = *m;
	size_t i;

	m->cap = cap;
	m->slots = mn_xcalloc(m->cap, sizeof(*m->slots));
	for (i = 0; i < old.cap; i++)
		if (old.slots[i].key)
			*strmap_find(m, old.slots[i].key, old.slots[i].len, old.slots[i].hash) =
			    old.slots[i];
	free(old.slots);
}

void mn_strmap_reserve(struct mn_strmap *m, size_t n)
{
	size_t cap = m->cap ? m->cap : 64;

	while (n * 2 > cap)
		cap *= 2;
	if (cap > m->cap)
		strmap_grow(m, cap);
}

/* The slot of key[0..len), a new one (value unset) when there was none. */
static struct mn_strmap_slot *strmap_slot(struct mn_strmap *m, const char *key, size_t len,
					  int *found)
{
	uint32_t h = strmap_hash(key, len);
	struct mn_strmap_slot *sl;

	if ((m->n + 1) * 2 > m->cap)
		strmap_grow(m, m->cap ? m->cap * 2 : 64);
	sl = strmap_find(m, key, len, h);
	*found = sl->key != NULL;
	if (!sl->key) {
		sl->key = m->borrowed ? (char *)key : mn_xstrndup(key, len);
		sl->len = len;
		sl->hash = h;
		m->n++;
	}
	return sl;
}

void mn_strmap_put(struct mn_strmap *m, const char *key, size_t len, void *value)
{
	int found;

	strmap_slot(m, key, len, &found)->value = value;
}

void *mn_strmap_intern(struct mn_strmap *m, const char *key, size_t len, void *value, int *found)
{
	struct mn_strmap_slot *sl = strmap_slot(m, key, len, found);

	if (!*found)
		sl->value = value;
	return sl->value;
}

void mn_strmap_release(struct mn_strmap *m)
{
	size_t i;

	if (!m->borrowed)
		for (i = 0; i < m->cap; i++)
			free(m->slots[i].key);
	free(m->slots);
	m->slots = NULL;
	m->n = m->cap = 0;
}

void mn_bits_fit(struct mn_bits *b, uint64_t id)
{
	if (id >= b->n) {
		size_t words = (size_t)(id >> 6) + 1, old = b->n >> 6;

		words = words > 2 * old ? words : 2 * old;
		b->w = mn_xrealloc(b->w, words * sizeof(*b->w));
		memset(b->w + old, 0, (words - old) * sizeof(*b->w));
		b->n = words << 6;
	}
}

void mn_bits_or(struct mn_bits *b, const uint64_t *w, size_t nwords)
{
	size_t i;

	if (!nwords)
		return;
	mn_bits_fit(b, ((uint64_t)nwords << 6) - 1);
	for (i = 0; i < nwords; i++)
		b->w[i] |= w[i];
}

void mn_bits_release(struct mn_bits *b)
{
	free(b->w);
	b->w = NULL;
	b->n = 0;
}

static size_t u64set_at(const uint64_t *slots, size_t cap, uint64_t v)
{
	/* Fibonacci hashing spreads numbers that differ in their low bits only. */
	size_t i = (size_t)((v * 11400714819323198485ull) >> 32) & (cap - 1);

	while (slots[i] && slots[i] != v)
		i = (i + 1) & (cap - 1);
	return i;
}

void mn_u64set_add_n(struct mn_u64set *s, uint64_t v, uint32_t times)
{
	size_t i;

	v = v ? v : 1;
	if (2 * (s->n + 1) > s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 64, k;
		uint64_t *slots = mn_xcalloc(cap, sizeof(*slots));
		uint32_t *counts = mn_xcalloc(cap, sizeof(*counts));

		for (i = 0; i < s->cap; i++)
			if (s->slots[i]) {
				k = u64set_at(slots, cap, s->slots[i]);
				slots[k] = s->slots[i];
				counts[k] = s->counts[i];
			}
		free(s->slots);
		free(s->counts);
		s->slots = slots;
		s->counts = counts;
		s->cap = cap;
	}
	i = u64set_at(s->slots, s->cap, v);
	if (!s->slots[i]) {
		s->slots[i] = v;
		s->n++;
	}
	times = times ? times : 1;
	s->counts[i] = s->counts[i] > UINT32_MAX - times ? UINT32_MAX : s->counts[i] + times;
}

void mn_u64set_add(struct mn_u64set *s, uint64_t v)
{
	mn_u64set_add_n(s, v, 1);
}

uint32_t mn_u64set_count(const struct mn_u64set *s, uint64_t v)
{
	size_t i;

	v = v ? v : 1;
	if (!s->cap)
		return 0;
	i = u64set_at(s->slots, s->cap, v);
	return s->slots[i] == v ? s->counts[i] : 0;
}

int mn_u64set_has(const struct mn_u64set *s, uint64_t v)
{
	return mn_u64set_count(s, v) != 0;
}

/* Probes of a Bloom filter per hash: few, as its users ask far more than they add. */
#define BLOOM_PROBES 3

void mn_bloom_size(struct mn_bloom *b, unsigned log2_bits)
{
	if (b->w)
		return;
	b->log2_bits = log2_bits < 6 ? 6 : log2_bits;
	b->w = mn_xcalloc((size_t)1 << (b->log2_bits - 6), sizeof(*b->w));
	b->n = 0;
}

/*
 * The k-th bit for h: two numbers drawn from h by multiplying (so that
 * hashes alike in their low bits spread), combined as in double hashing.
 */
static size_t bloom_bit(const struct mn_bloom *b, uint64_t h, unsigned k)
{
	uint64_t h1 = h * 11400714819323198485ull, h2 = (h ^ (h >> 29)) * 0xbf58476d1ce4e5b9ull;

	return (size_t)(((h1 >> 17) + k * ((h2 >> 23) | 1)) & (((uint64_t)1 << b->log2_bits) - 1));
}

size_t mn_bloom_bytes(const struct mn_bloom *b)
{
	return b->w ? ((size_t)1 << b->log2_bits) / 8 : 0;
}

void mn_bloom_add(struct mn_bloom *b, uint64_t h)
{
	unsigned k;

	if (!b->w)
		mn_bloom_size(b, 20);
	for (k = 0; k < BLOOM_PROBES; k++) {
		size_t i = bloom_bit(b, h, k);

		b->w[i >> 6] |= (uint64_t)1 << (i & 63);
	}
	b->n++;
}

int mn_bloom_may_have(const struct mn_bloom *b, uint64_t h)
{
	unsigned k;

	if (!b->w)
		return 0;
	for (k = 0; k < BLOOM_PROBES; k++) {
		size_t i = bloom_bit(b, h, k);

		if (!(b->w[i >> 6] & ((uint64_t)1 << (i & 63))))
			return 0;
	}
	return 1;
}

void mn_bloom_release(struct mn_bloom *b)
{
	free(b->w);
	memset(b, 0, sizeof(*b));
}

void mn_u64set_release(struct mn_u64set *s)
{
	free(s->slots);
	free(s->counts);
	s->slots = NULL;
	s->counts = NULL;
	s->n = s->cap = 0;
}
