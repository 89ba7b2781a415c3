/*
 * Facets from the columns (mn_cols.h). Every hit's value is read from its
 * column and counted by number; the numbers are then turned into names.
 * Fields that match by words (speaker, series, org, topic) need more than
 * grouping: the filter of one value can select passages stored under
 * another ("Jan" selects "Jan Beulich"'s). For speakers, series and orgs,
 * each name among the hits is split into its runs of words, and every run
 * that is itself a value selects it (as minutes_name_match does); for
 * topics, the dictionary knows which headings' words each topic path
 * contains (as the topic: phrase does). A hit then counts once for every
 * value one of its own selects.
 */
#include "mn_facets.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mn_cols.h"
#include "mn_doc.h"
#include "mn_exec.h"
#include "mn_text.h"

static const char *const facet_names[MN_FACET_COUNT] = {
    [MN_FACET_SPEAKER] = "speaker", [MN_FACET_TOPIC] = "topic", [MN_FACET_SERIES] = "series",
    [MN_FACET_ORG] = "org",	    [MN_FACET_YEAR] = "year",	[MN_FACET_KIND] = "kind",
};

/* The query field whose filter selects a facet's value. */
static const enum mn_field facet_fields[MN_FACET_COUNT] = {
    [MN_FACET_SPEAKER] = MN_F_SPEAKER, [MN_FACET_TOPIC] = MN_F_TOPIC,
    [MN_FACET_SERIES] = MN_F_SERIES,   [MN_FACET_ORG] = MN_F_ORG,
    [MN_FACET_YEAR] = MN_F_DATE,       [MN_FACET_KIND] = MN_F_KIND,
};

const char *mn_facet_name(enum mn_facet_field field)
{
	return field < MN_FACET_COUNT ? facet_names[field] : "?";
}

int mn_facets_parse(const char *list, enum mn_facet_field *fields, size_t *nfields,
		    struct mn_err *err)
{
	const char *s = list;

	*nfields = 0;
	while (*s) {
		const char *end = strchr(s, ',');
		size_t n = end ? (size_t)(end - s) : strlen(s), i, k;
		const char *name = s;

		mn_trim(&name, &n);
		if (!n)
			goto next;
		for (i = 0; i < MN_FACET_COUNT; i++)
			if (n == strlen(facet_names[i]) && !memcmp(name, facet_names[i], n))
				break;
		if (i == MN_FACET_COUNT) {
			char *shown = mn_xstrndup(name, n);

			mn_err_set(
			    err, MN_ERR_USAGE,
			    "unknown facet '%s' (use speaker, topic, series, org, year or kind)",
			    shown);
			free(shown);
			return MN_ERR_USAGE;
		}
		for (k = 0; k < *nfields; k++)
			if (fields[k] == (enum mn_facet_field)i)
				break;
		if (k == *nfields)
			fields[(*nfields)++] = (enum mn_facet_field)i;
	next:
		if (!end)
			break;
		s = end + 1;
	}
	if (!*nfields)
		return mn_err_set(
		    err, MN_ERR_USAGE,
		    "no facets named (use speaker, topic, series, org, year or kind)");
	return MN_OK;
}

/* ---- gathering values ------------------------------------------------------ */

/*
 * The values with the most hits, as they are offered: at most limit of
 * them, the others let go at once (a facet over many hits may have tens of
 * thousands of values; ten are shown). Names are borrowed (from the
 * dictionaries, valid through the search) unless owned; only the values
 * kept are copied.
 */
struct count {
	const char *name;
	int64_t count;
	char *owned;
};

struct counts {
	struct count *v;
	size_t n, cap;
	size_t limit;
	int heap; /* v is a heap, the value that comes last on top */
};

static int by_count(const void *a, const void *b)
{
	const struct count *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Sifts v[i] down the heap v[0..n) whose top is the value that comes last. */
static void sift_last(struct count *v, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		struct count t;

		if (l < n && by_count(&v[l], &v[m]) > 0)
			m = l;
		if (r < n && by_count(&v[r], &v[m]) > 0)
			m = r;
		if (m == i)
			return;
		t = v[i];
		v[i] = v[m];
		v[m] = t;
		i = m;
	}
}

/* Offers a value; with copy, a copy of it is kept (value need not outlive the call). */
static void counts_add(struct counts *c, const char *value, int64_t count, int copy)
{
	struct count x = {value, count, NULL};
	size_t k;

	if (c->n < c->limit) {
		MN_GROW(c->v, c->n + 1, c->cap);
		if (copy)
			x.name = x.owned = mn_xstrdup(value);
		c->v[c->n++] = x;
		return;
	}
	if (!c->limit)
		return;
	if (!c->heap) {
		for (k = c->n / 2; k-- > 0;)
			sift_last(c->v, c->n, k);
		c->heap = 1;
	}
	if (by_count(&x, &c->v[0]) >= 0)
		return; /* comes after all those kept */
	free(c->v[0].owned);
	if (copy)
		x.name = x.owned = mn_xstrdup(value);
	c->v[0] = x;
	sift_last(c->v, c->n, 0);
}

/* Hands the values kept, in order and with their filters, to f; empties c. */
static void counts_finish(struct counts *c, enum mn_facet_field field, struct mn_facet *f)
{
	size_t i;

	if (c->n > 1)
		qsort(c->v, c->n, sizeof(*c->v), by_count);
	f->field = field;
	f->values = mn_xcalloc(c->n ? c->n : 1, sizeof(*f->values));
	f->nvalues = c->n;
	for (i = 0; i < c->n; i++) {
		struct mn_buf b = MN_BUF_INIT;

		f->values[i].value = mn_xstrdup(c->v[i].name);
		f->values[i].count = c->v[i].count;
		mn_query_add_filter(&b, facet_fields[field], c->v[i].name);
		f->values[i].filter = mn_buf_detach(&b);
		free(c->v[i].owned);
	}
	c->n = 0;
	c->heap = 0;
}

static void counts_release(struct counts *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->v[i].owned);
	free(c->v);
	c->v = NULL;
	c->n = c->cap = 0;
}

/* ---- values that match by words ------------------------------------------------ */

/*
 * Counts by fold class (mn_cols_class): a class is a value when one of the
 * hits carries it (own); each hit counts once for every value it selects.
 */
struct classes {
	uint32_t *count; /* hits: fewer than rows, which mn_facets_count bounds */
	uint8_t *own;	 /* CL_ bits */
	uint32_t *stamp; /* the last hit (+ 1) counted for each class */
	uint32_t n;    /* classes + 1 */
	/* The classes written to (CL_LISTED), whose entries are cleared again at the end. */
	uint32_t *dirty;
	size_t ndirty, dirty_cap;
};

enum { CL_LISTED = 1, CL_VALUE = 2 };

/*
 * Scratch slots of mn_cols_scratch used here, from the first of the thread
 * counting (slot0): each thread has SL_COUNT_OF of them.
 */
enum { SL_COUNT, SL_OWN, SL_STAMP, SL_TALLY, SL_SEEN, SL_COUNT_OF };

/*
 * The counting arrays live on scratch memory that stays zeroed between
 * searches: only the entries of the classes a search made own are written,
 * and classes_release clears those, so that no search pays for clearing
 * arrays as long as the dictionary.
 */
static void classes_init(struct mn_cols *cols, int slot0, struct classes *k, uint32_t nclasses)
{
	memset(k, 0, sizeof(*k));
	k->n = nclasses + 1;
	k->count = mn_cols_scratch(cols, slot0 + SL_COUNT, k->n * sizeof(*k->count));
	k->own = mn_cols_scratch(cols, slot0 + SL_OWN, k->n);
	k->stamp = mn_cols_scratch(cols, slot0 + SL_STAMP, k->n * sizeof(*k->stamp));
}

static inline void classes_list(struct classes *k, uint32_t cls)
{
	if (!(k->own[cls] & CL_LISTED)) {
		k->own[cls] |= CL_LISTED;
		MN_GROW(k->dirty, k->ndirty + 1, k->dirty_cap);
		k->dirty[k->ndirty++] = cls;
	}
}

/* Makes class a value of the facet (one of the hits carries it). */
static inline void classes_own(struct classes *k, uint32_t cls)
{
	if (!cls || cls >= k->n)
		return;
	classes_list(k, cls);
	k->own[cls] |= CL_VALUE;
}

static inline int classes_is_value(const struct classes *k, uint32_t cls)
{
	return cls && cls < k->n && (k->own[cls] & CL_VALUE);
}

static void classes_release(struct classes *k)
{
	size_t i;

	for (i = 0; i < k->ndirty; i++) {
		uint32_t cls = k->dirty[i];

		k->count[cls] = 0;
		k->own[cls] = 0;
		k->stamp[cls] = 0;
	}
	free(k->dirty);
	memset(k, 0, sizeof(*k));
}

/* Counts hit (1-based) n times for class if it is a value, unless already counted for this hit. */
static void classes_count(struct classes *k, uint32_t cls, uint32_t hit, uint32_t n)
{
	if (classes_is_value(k, cls) && k->stamp[cls] != hit) {
		k->stamp[cls] = hit;
		k->count[cls] += n;
	}
}

/*
 * Adds n hits to class whether or not it is a value (yet): for callers that
 * name each class once per hit, and show only the values in the end.
 */
static inline void classes_add(struct classes *k, uint32_t cls, uint32_t n)
{
	if (cls && cls < k->n) {
		classes_list(k, cls);
		k->count[cls] += n;
	}
}

/* The name class cls of dict is shown by, NULL when it has none. */
static const char *class_name(struct mn_cols *cols, enum mn_dict dict, uint32_t cls,
			      struct mn_err *err)
{
	const char *const *names;
	size_t n;

	if (dict == MN_DICT_HEADINGS)
		return mn_cols_heading_class_name(cols, cls, err);
	names = mn_cols_class_names(cols, dict, &n, err);
	return names && cls < n ? names[cls] : NULL;
}

/*
 * The k-th largest of v[0..n) (k < n, from 0), v reordered: each round
 * splits the part that holds it into the larger, the equal and the
 * smaller than one of them (ties, which counts have many of, end it).
 */
static uint32_t kth_largest(uint32_t *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n;

	while (hi - lo > 1) {
		uint32_t pivot = v[lo + (hi - lo) / 2], t;
		size_t lt = lo, i = lo, gt = hi;

		/* v[lo, lt) > pivot, v[lt, i) == pivot, v[gt, hi) < pivot */
		while (i < gt) {
			if (v[i] > pivot) {
				t = v[lt];
				v[lt++] = v[i];
				v[i++] = t;
			} else if (v[i] < pivot) {
				t = v[--gt];
				v[gt] = v[i];
				v[i] = t;
			} else {
				i++;
			}
		}
		if (k < lt)
			hi = lt;
		else if (k >= gt)
			lo = gt;
		else
			return pivot;
	}
	return v[k];
}

/*
 * The fewest hits a value kept by c can have: the limit-th most among the
 * classes that are values (1 when they are no more than that).
 */
static uint32_t least_kept(const struct classes *k, size_t limit)
{
	uint32_t *counts, least = 1;
	size_t n = 0, i;

	if (!limit || k->ndirty <= limit)
		return least;
	counts = mn_xmalloc(k->ndirty * sizeof(*counts));
	for (i = 0; i < k->ndirty; i++) {
		uint32_t cls = k->dirty[i];

		if ((k->own[cls] & CL_VALUE) && k->count[cls])
			counts[n++] = k->count[cls];
	}
	if (n > limit)
		least = kth_largest(counts, n, limit - 1);
	free(counts);
	return least;
}

/*
 * Hands the classes that are values and have hits to c, by their names:
 * only those with hits enough to be kept, so that few names are looked up
 * (a heading's may be read from the index for the purpose).
 */
static int classes_to_counts(struct mn_cols *cols, enum mn_dict dict, const struct classes *k,
			     struct counts *c, struct mn_err *err)
{
	uint32_t least = least_kept(k, c->limit);
	size_t i;

	for (i = 0; i < k->ndirty && !err->status; i++) {
		uint32_t cls = k->dirty[i];
		const char *name;

		/* least is 1 or more: classes without hits are left out too. */
		if ((k->own[cls] & CL_VALUE) && k->count[cls] >= least &&
		    (name = class_name(cols, dict, cls, err)))
			counts_add(c, name, k->count[cls], 0);
	}
	return err->status;
}

/* A list of classes. */
struct sel {
	uint32_t *v;
	size_t n, cap;
};

/*
 * Adds to s the class of every run of whole words of name that is a value
 * (as minutes_name_match finds a needle in a haystack).
 */
static int select_runs(struct mn_cols *cols, enum mn_dict dict, const struct classes *k,
		       const char *name, struct sel *s, struct mn_err *err)
{
	char *f;
	size_t len, i, j, m;

	if (!name)
		return MN_OK;
	f = mn_fold(name);
	len = strlen(f);
	for (i = 0; i < len && !err->status; i++) {
		if (i && f[i - 1] != ' ')
			continue; /* runs start at a word */
		for (j = i; j <= len; j++) {
			uint32_t cls;

			if (j < len && f[j] != ' ')
				continue; /* and end at one */
			cls = mn_cols_class_of_folded(cols, dict, f + i, j - i, err);
			if (!classes_is_value(k, cls))
				continue;
			for (m = 0; m < s->n && s->v[m] != cls; m++)
				;
			if (m == s->n) {
				MN_GROW(s->v, s->n + 1, s->cap);
				s->v[s->n++] = cls;
			}
		}
	}
	free(f);
	return err->status;
}

/* Per-key tallies of the hits, for keys that are numbers (people, orgs, series, topics). */
struct tally {
	struct mn_cols *cols;
	uint32_t *n;   /* hits whose only key this is */
	uint8_t *seen; /* the key is in keys */
	size_t size;
	int owned;	/* n and seen are ours, not scratch */
	uint32_t *keys; /* keys seen, in order of first sight */
	size_t nkeys, cap;
	size_t *multi; /* hits with several keys (indexes into rows) */
	size_t nmulti, multi_cap;
};

/* Lets go of the counts: freed when owned, else the scratch memory is left as found, zeroed. */
static void tally_drop_counts(struct tally *t)
{
	size_t i;

	if (t->owned) {
		free(t->n);
		free(t->seen);
		return;
	}
	for (i = 0; i < t->nkeys; i++) {
		t->n[t->keys[i]] = 0;
		t->seen[t->keys[i]] = 0;
	}
}

/* Makes room for key, beyond the dictionary (not expected): off the scratch memory. */
static void tally_grow(struct tally *t, uint32_t key)
{
	size_t size = t->size ? t->size : 256;
	uint32_t *grown;
	uint8_t *seen;

	while (size <= key)
		size *= 2;
	grown = mn_xcalloc(size, sizeof(*grown));
	seen = mn_xcalloc(size, 1);
	memcpy(grown, t->n, t->size * sizeof(*grown));
	memcpy(seen, t->seen, t->size);
	tally_drop_counts(t);
	t->n = grown;
	t->seen = seen;
	t->owned = 1;
	t->size = size;
}

static inline void tally_add(struct tally *t, uint32_t key, uint32_t n)
{
	if (key >= t->size)
		tally_grow(t, key);
	if (!t->seen[key]) {
		t->seen[key] = 1;
		MN_GROW(t->keys, t->nkeys + 1, t->cap);
		t->keys[t->nkeys++] = key;
	}
	t->n[key] += n;
}

/* A tally for keys below size, on the scratch memory. */
static void tally_init(struct tally *t, struct mn_cols *cols, int slot0, size_t size)
{
	memset(t, 0, sizeof(*t));
	t->cols = cols;
	t->size = size ? size : 1;
	t->n = mn_cols_scratch(cols, slot0 + SL_TALLY, t->size * sizeof(*t->n));
	t->seen = mn_cols_scratch(cols, slot0 + SL_SEEN, t->size);
}

static void tally_release(struct tally *t)
{
	tally_drop_counts(t);
	free(t->keys);
	free(t->multi);
	memset(t, 0, sizeof(*t));
}

/* Tallies a list column (speakers, orgs): single keys counted, hits with several kept. */
static int tally_list(struct mn_cols *cols, const struct mn_rows *rows, enum mn_col col,
		      struct tally *t, struct mn_err *err)
{
	struct mn_cursor cur;
	size_t i;

	mn_cursor_init(&cur, cols, col, err);
	for (i = 0; i < rows->n && !err->status; i++) {
		size_t first, n = mn_cursor_list(&cur, rows->v[i].id, &first), k;

		if (n == 1) {
			tally_add(t, mn_cursor_item(&cur, first), 1);
		} else if (n > 1) {
			for (k = first; k < first + n; k++)
				tally_add(t, mn_cursor_item(&cur, k), 0);
			MN_GROW(t->multi, t->nmulti + 1, t->multi_cap);
			t->multi[t->nmulti++] = i;
		}
	}
	return err->status;
}

/* Tallies a fixed column (series, topic); 0 means none. */
static int tally_fixed(struct mn_cols *cols, const struct mn_rows *rows, enum mn_col col,
		       struct tally *t, struct mn_err *err)
{
	struct mn_cursor cur;
	size_t i;

	mn_cursor_init(&cur, cols, col, err);
	for (i = 0; i < rows->n && !err->status; i++) {
		uint32_t key = mn_cursor_value(&cur, rows->v[i].id);

		if (key)
			tally_add(t, key, 1);
	}
	return err->status;
}

static enum mn_dict dict_of(enum mn_col col)
{
	return col == MN_COL_SPEAKERS ? MN_DICT_PEOPLE
	       : col == MN_COL_ORGS   ? MN_DICT_ORGS
				      : MN_DICT_SERIES;
}

/* speaker, org, series: values are the hits' own names; each selects by runs of words. */
static int name_counts(struct mn_store *store, const struct mn_rows *rows, enum mn_col col,
		       int slot0, struct counts *c, struct mn_err *err)
{
	struct mn_cols *cols = mn_store_cols(store);
	enum mn_dict dict = dict_of(col);
	struct classes k = {0};
	struct tally t;
	struct sel *sel = NULL;
	struct mn_cursor cur;
	size_t i, m;
	uint32_t hit = 0;

	tally_init(&t, cols, slot0, mn_cols_ids(cols, dict, err));
	if (err->status || (col == MN_COL_SERIES ? tally_fixed(cols, rows, col, &t, err)
						 : tally_list(cols, rows, col, &t, err)))
		goto out;
	classes_init(cols, slot0, &k, mn_cols_nclasses(cols, dict, err));
	for (i = 0; i < t.nkeys && !err->status; i++) {
		uint32_t cls = mn_cols_class(cols, dict, t.keys[i], err);

		classes_own(&k, cls);
	}
	/* What each key's names select, by key (indexed like t.n). */
	sel = mn_xcalloc(t.size ? t.size : 1, sizeof(*sel));
	for (i = 0; i < t.nkeys && !err->status; i++) {
		uint32_t key = t.keys[i];

		if (col == MN_COL_SPEAKERS) {
			struct mn_person_info p;

			if (mn_cols_person(cols, key, &p, err) ||
			    select_runs(cols, dict, &k, p.name, &sel[key], err))
				break;
			for (m = 0; m < p.naliases; m++)
				if (select_runs(cols, dict, &k, p.aliases[m], &sel[key], err))
					break;
		} else {
			select_runs(cols, dict, &k, mn_cols_name(cols, dict, key, err), &sel[key],
				    err);
		}
	}
	if (err->status)
		goto out;
	for (i = 0; i < t.nkeys; i++) {
		uint32_t key = t.keys[i];

		if (!t.n[key])
			continue;
		hit++;
		for (m = 0; m < sel[key].n; m++)
			classes_count(&k, sel[key].v[m], hit, t.n[key]);
	}
	/* Hits with several keys: each value once per hit. */
	mn_cursor_init(&cur, cols, col, err);
	for (i = 0; i < t.nmulti && !err->status; i++) {
		size_t first, n = mn_cursor_list(&cur, rows->v[t.multi[i]].id, &first), j;

		hit++;
		for (j = first; j < first + n; j++) {
			uint32_t key = mn_cursor_item(&cur, j);

			for (m = 0; key < t.size && m < sel[key].n; m++)
				classes_count(&k, sel[key].v[m], hit, 1);
		}
	}
	if (err->status)
		goto out;
	classes_to_counts(cols, dict, &k, c, err);
out:
	for (i = 0; sel && i < t.nkeys; i++)
		free(sel[t.keys[i]].v);
	free(sel);
	classes_release(&k);
	tally_release(&t);
	return err->status;
}

/*
 * topic: values are the headings of the hits' topic paths; a path counts
 * for every heading whose words it contains, as the filter topic:"heading"
 * finds it (the dictionary knows which those are, by class, each once).
 */
static int topic_counts(struct mn_store *store, const struct mn_rows *rows, int slot0,
			struct counts *c, struct mn_err *err)
{
	struct mn_cols *cols = mn_store_cols(store);
	struct classes k = {0};
	struct tally t;
	struct mn_topic_table topics;
	size_t i, m;

	tally_init(&t, cols, slot0, mn_cols_topic_ids(cols, err));
	if (err->status || tally_fixed(cols, rows, MN_COL_TOPIC, &t, err) ||
	    mn_cols_topic_table(cols, &topics, err))
		goto out;
	classes_init(cols, slot0, &k, (uint32_t)mn_cols_heading_classes(cols, err));
	if (err->status)
		goto out;
	for (i = 0; i < t.nkeys; i++) {
		struct mn_topic_info ti;
		uint32_t n = t.n[t.keys[i]];

		mn_topic_get(&topics, t.keys[i], &ti);
		for (m = 0; m < ti.nparts; m++)
			classes_own(&k, ti.parts[m]);
		for (m = 0; m < ti.nheads; m++)
			classes_add(&k, ti.heads[m], n);
	}
	classes_to_counts(cols, MN_DICT_HEADINGS, &k, c, err);
out:
	classes_release(&k);
	tally_release(&t);
	return err->status;
}

/* year and kind partition the hits: plain counting is exact. */
static int year_kind_counts(struct mn_store *store, const struct mn_rows *rows,
			    enum mn_facet_field field, struct counts *c, struct mn_err *err)
{
	int64_t kinds[256] = {0}, *years = NULL;
	size_t nyears = 0, i;
	struct mn_cursor cur;

	mn_cursor_init(&cur, mn_store_cols(store), MN_COL_KIND, err);
	for (i = 0; i < rows->n; i++) {
		if (field == MN_FACET_KIND) {
			kinds[mn_cursor_value(&cur, rows->v[i].id) & 0xff]++;
			if (err->status)
				goto out;
		} else if (rows->v[i].date) {
			size_t y = rows->v[i].date / 10000;

			if (y >= nyears) {
				size_t n = y + 1;

				years = mn_xrealloc(years, n * sizeof(*years));
				memset(years + nyears, 0, (n - nyears) * sizeof(*years));
				nyears = n;
			}
			years[y]++;
		}
	}
	if (field == MN_FACET_KIND) {
		for (i = 0; i < MN_KIND_COUNT; i++)
			if (kinds[i])
				counts_add(c, mn_kind_name((enum mn_kind)i), kinds[i], 0);
	} else {
		for (i = 0; i < nyears; i++) {
			char y[24];

			if (!years[i])
				continue;
			snprintf(y, sizeof(y), "%04zu", i);
			counts_add(c, y, years[i], 1);
		}
	}
out:
	free(years);
	return err->status;
}

/* ---- the whole ------------------------------------------------------------- */

/* One facet into *f. */
static int count_facet(struct mn_store *store, const struct mn_rows *rows,
		       enum mn_facet_field field, size_t limit, int slot0, struct mn_facet *f,
		       struct mn_err *err)
{
	struct counts c = {NULL, 0, 0, 0, 0};

	c.limit = limit;
	switch (field) {
	case MN_FACET_SPEAKER:
		name_counts(store, rows, MN_COL_SPEAKERS, slot0, &c, err);
		break;
	case MN_FACET_ORG:
		name_counts(store, rows, MN_COL_ORGS, slot0, &c, err);
		break;
	case MN_FACET_SERIES:
		name_counts(store, rows, MN_COL_SERIES, slot0, &c, err);
		break;
	case MN_FACET_TOPIC:
		topic_counts(store, rows, slot0, &c, err);
		break;
	case MN_FACET_YEAR:
	case MN_FACET_KIND:
		year_kind_counts(store, rows, field, &c, err);
		break;
	case MN_FACET_COUNT:
		break;
	}
	if (!err->status)
		counts_finish(&c, field, f);
	counts_release(&c);
	return err->status;
}

/*
 * Facets are counted on two threads when the hits are many: the fields
 * shared between them by the work each takes (in hits read per hit, about).
 */
static size_t thread_min = MN_FACETS_THREAD_MIN;
static const unsigned facet_weight[MN_FACET_COUNT] = {
    [MN_FACET_SPEAKER] = 4, [MN_FACET_TOPIC] = 9, [MN_FACET_SERIES] = 1,
    [MN_FACET_ORG] = 2,	    [MN_FACET_YEAR] = 1,  [MN_FACET_KIND] = 1,
};

void mn_facets_set_thread_min(size_t hits)
{
	thread_min = hits;
}

/* The facets one thread counts: items[i] for the fields i marked. */
struct facet_job {
	struct mn_store *store;
	const struct mn_rows *rows;
	const enum mn_facet_field *fields;
	size_t nfields, limit;
	const unsigned char *mine; /* per field: 1 when this job counts it */
	int slot0;
	struct mn_facet *items;
	struct mn_err err;
};

static void *facet_job_run(void *arg)
{
	struct facet_job *j = arg;
	size_t i;

	for (i = 0; i < j->nfields && !j->err.status; i++)
		if (j->mine[i])
			count_facet(j->store, j->rows, j->fields[i], j->limit, j->slot0,
				    &j->items[i], &j->err);
	return NULL;
}

/*
 * Reads whole what the facets look up (dictionaries, people, topics), and
 * the columns they count of the hits' chunks, so that counting on two
 * threads only reads them: loading a chunk holds the columns' lock, and two
 * threads loading by turns spent a third of their time waiting on it.
 */
static int facets_load(struct mn_cols *cols, const struct mn_rows *rows,
		       const enum mn_facet_field *fields, size_t nfields, struct mn_err *err)
{
	struct mn_person_info p;
	struct mn_topic_table topics;
	struct mn_bits chunks = {NULL, 0};
	uint64_t chunk, last = UINT64_MAX;
	size_t i, n;

	/* The hits come mostly in rowid order. */
	for (i = 0; i < rows->n; i++)
		if ((chunk = (uint64_t)rows->v[i].id >> MN_CHUNK_BITS) != last)
			mn_bits_add(&chunks, last = chunk);
	for (i = 0; i < nfields && !err->status; i++) {
		switch (fields[i]) {
		case MN_FACET_SPEAKER:
			mn_cols_class_names(cols, MN_DICT_PEOPLE, &n, err);
			mn_cols_person(cols, 0, &p, err);
			mn_cols_preload(cols, MN_COL_SPEAKERS, &chunks, err);
			break;
		case MN_FACET_ORG:
			mn_cols_class_names(cols, MN_DICT_ORGS, &n, err);
			mn_cols_preload(cols, MN_COL_ORGS, &chunks, err);
			break;
		case MN_FACET_SERIES:
			mn_cols_class_names(cols, MN_DICT_SERIES, &n, err);
			mn_cols_preload(cols, MN_COL_SERIES, &chunks, err);
			break;
		case MN_FACET_TOPIC:
			mn_cols_heading_classes(cols, err);
			mn_cols_topic_table(cols, &topics, err);
			mn_cols_preload(cols, MN_COL_TOPIC, &chunks, err);
			break;
		case MN_FACET_KIND:
			mn_cols_preload(cols, MN_COL_KIND, &chunks, err);
			break;
		default:
			break;
		}
	}
	mn_bits_release(&chunks);
	return err->status;
}

int mn_facets_count(struct mn_store *store, const struct mn_rows *rows,
		    const enum mn_facet_field *fields, size_t nfields, size_t limit,
		    struct mn_facets *out, struct mn_err *err)
{
	unsigned char *mine = mn_xcalloc(2 * nfields + 1, 1); /* per thread, per field */
	struct facet_job job[2];
	unsigned load[2] = {0, 0};
	pthread_t thread;
	int threads = 0, t;
	size_t i, at;

	out->items = mn_xcalloc(nfields ? nfields : 1, sizeof(*out->items));
	out->n = nfields;
	/* Counts are 32 bits, and so are the hits numbered once per key and per hit. */
	if (rows->n > UINT32_MAX / 2) {
		mn_err_set(err, MN_ERR_USAGE, "too many hits (%zu) to count facets over", rows->n);
		goto out;
	}
	if (nfields > 1 && rows->n >= thread_min &&
	    !facets_load(mn_store_cols(store), rows, fields, nfields, err))
		threads = 1;
	if (err->status)
		goto out;
	/* The heaviest first, each to the thread with less to do so far. */
	for (;;) {
		for (at = nfields, i = 0; i < nfields; i++)
			if (!mine[i] && !mine[nfields + i] &&
			    (at == nfields || facet_weight[fields[i]] > facet_weight[fields[at]]))
				at = i;
		if (at == nfields)
			break;
		t = threads && load[1] < load[0];
		mine[t * nfields + at] = 1;
		load[t] += facet_weight[fields[at]];
	}
	for (t = 0; t < 2; t++)
		job[t] = (struct facet_job){
		    store,	     rows, fields, nfields, limit, mine + t * nfields, t * SL_COUNT_OF,
		    out->items, MN_ERR_INIT};
	if (load[1] && pthread_create(&thread, NULL, facet_job_run, &job[1]) == 0) {
		facet_job_run(&job[0]);
		pthread_join(thread, NULL);
	} else {
		facet_job_run(&job[0]);
		facet_job_run(&job[1]);
	}
	if (job[0].err.status)
		*err = job[0].err;
	else if (job[1].err.status)
		*err = job[1].err;
out:
	free(mine);
	if (err->status)
		mn_facets_release(out);
	return err->status;
}

int mn_facets_compute(struct mn_store *store, const struct mn_qnode *tree,
		      const enum mn_facet_field *fields, size_t nfields, size_t limit,
		      struct mn_facets *out, struct mn_err *err)
{
	struct mn_rows rows = MN_ROWS_INIT;
	int began = 0;

	out->items = NULL;
	out->n = 0;
	if (!mn_store_read_begin(store, &began, err)) {
		if (!mn_exec(store, tree, &rows, err))
			mn_facets_count(store, &rows, fields, nfields, limit, out, err);
	}
	mn_store_read_end(store, began);
	mn_rows_release(&rows);
	return err->status;
}

void mn_facets_release(struct mn_facets *f)
{
	size_t i, k;

	for (i = 0; i < f->n; i++) {
		for (k = 0; k < f->items[i].nvalues; k++) {
			free(f->items[i].values[k].value);
			free(f->items[i].values[k].filter);
		}
		free(f->items[i].values);
	}
	free(f->items);
	f->items = NULL;
	f->n = 0;
}
