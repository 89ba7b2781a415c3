/*
 * Search semantics on documents built in C, so that what is tested is the
 * query language, ranking, facets, grouping and suggestions, whatever the
 * minutes parser finds: every field, every date form, negation, OR, NEAR,
 * facet counts against filtered queries, grouping by meeting, "did you
 * mean", and the highlights.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mn_facets.h"
#include "mn_index.h"
#include "mn_search.h"
#include "mn_store.h"
#include "mn_suggest.h"
#include "mn_text.h"
#include "mn_tokenizer.h"

/* ---- the meetings ------------------------------------------------------ */

struct spec_attendee {
	const char *name, *org, *aliases; /* aliases: "|"-separated */
};

struct spec_passage {
	int line;
	enum mn_kind kind;
	const char *label;
	const char *speakers; /* "|"-separated, as the lists below */
	const char *topics;
	const char *owners;
	const char *date;
	const char *text;
};

struct spec_doc {
	const char *path, *title, *series, *dates;
	struct spec_attendee attendees[4];
	struct spec_passage passages[8];
};

#define U MN_KIND_UTTERANCE
#define N MN_KIND_NOTE
#define A MN_KIND_ACTION
#define D MN_KIND_DECISION
#define R MN_KIND_REPORTED

/*
 * Five meetings; a hit is named by the first letter of its path and its
 * line ("A5"). Jan Beulich (alias JB) and an unresolved "Jan" are two
 * people, as are Lars Kurth and a "Lars"; Mike Holmes is "mholmes" in an
 * attendee list and "MH" only as a label; Lars Kurth's org contains George's;
 * the series "LEG" is in "LEG SC", the heading "Virtio" in "Virtio backends".
 */
static const struct spec_doc docs[] = {
    {"a/2018-07-11-xen.md",
     "Xen x86 Community Call",
     "Xen Community Call",
     "2018-07-11",
     {{"Jan Beulich", "SUSE", "JB"},
      {"George Dunlap", "Citrix", NULL},
      {"Lars Kurth", "Citrix Systems", NULL}},
     {{5, U, "Jan", "Jan Beulich", "Release cadence", NULL, NULL,
       "Hardly anyone responds to calls for backports."},
      {7, U, "George", "George Dunlap", "Release cadence", NULL, NULL,
       "We could move to a nine month release cadence."},
      {9, A, NULL, NULL, "Release cadence", "George Dunlap", NULL,
       "George to draft the cadence proposal."},
      {11, D, NULL, NULL, "Release cadence", NULL, NULL,
       "Agreed: stay with six month releases for now."},
      {14, N, NULL, NULL, "Live migration|PCI passthrough", NULL, NULL,
       "Dead migration with PCI passthrough is not supported."},
      {16, R, NULL, "Lars Kurth", "Live migration", NULL, NULL,
       "Lars mentioned that migration tests are flaky."}}},
    {"b/2020-09-17-stratos.md",
     "Project Stratos Sync",
     "Project Stratos",
     "2020-09-17",
     {{"Mike Holmes", "Linaro", "mholmes"},
      {"Alex Benn\xc3\xa9"
       "e",
       "Linaro", NULL}},
     {{4, U, "MH", "Mike Holmes", "Virtio backends", NULL, NULL,
       "Virtio backends on Xen need a migration story."},
      {6, U, "Alex",
       "Alex Benn\xc3\xa9"
       "e",
       "Virtio", NULL, NULL, "The rust-vmm crates make backports easy."},
      {8, A, NULL, NULL, "Virtio",
       "Mike Holmes|Alex Benn\xc3\xa9"
       "e",
       NULL, "Mike and Alex to write up the virtio plan."},
      {10, N, NULL, NULL, "Xen on Arm", NULL, NULL,
       "Xen on Arm boots with the new hypervisor build."}}},
    {"c/2017-09-25-leg.md",
     "LEG SC Meeting",
     "LEG SC",
     "2017-09-25|2017-09-26",
     {{NULL, NULL, NULL}},
     {{3, N, NULL, NULL, "Xen update", NULL, "2017-09-25", "Migration Support"},
      {5, U, "Jan", "Jan", "Xen update", NULL, "2017-09-26",
       "Migration support is planned for next year."},
      {7, U, "MH", "Mike Holmes", "Xen update", NULL, "2017-09-26", "We will review the Xen plan."},
      {9, U, "Lars", "Lars", "Xen update", NULL, "2017-09-26", "The Xen test lab is busy."}}},
    {"d/notes.md",
     "Misc notes",
     NULL,
     NULL,
     {{NULL, NULL, NULL}},
     {{1, N, NULL, NULL, NULL, NULL, NULL, "A stray remark about migration."}}},
    {"e/2019-03-05-xen.md",
     "Xen Community Call March",
     "Xen Community Call",
     "2019-03-05",
     {{"Jan Beulich", "SUSE", NULL}},
     {{3, U, "JB", "Jan Beulich", "Backports", NULL, NULL, "Backports for 4.11 are done."},
      {5, D, NULL, NULL, "Backports", NULL, NULL,
       "Decision: 4.12 will be the last release on the old cadence."}}},
    /* Twins: the same passage in an older and a newer meeting. */
    {"f/2016-01-01.md",
     "Twin",
     "LEG",
     "2016-01-01",
     {{NULL, NULL, NULL}},
     {{2, N, NULL, NULL, NULL, NULL, NULL, "A quokka was seen."}}},
    {"g/2021-01-01.md",
     "Twin",
     NULL,
     "2021-01-01",
     {{NULL, NULL, NULL}},
     {{2, N, NULL, NULL, NULL, NULL, NULL, "A quokka was seen."}}},
};

#define NDOCS (sizeof(docs) / sizeof(*docs))

static char *dir, *db;
static struct mn_store *store;

/* Copies a "|"-separated list into doc; NULL and *n = 0 for NULL. */
static const char **list(struct mn_doc *doc, const char *s, size_t *n)
{
	char **v;
	const char **out;

	*n = 0;
	if (!s)
		return NULL;
	v = mn_strv_split(s, '|', n);
	out = mn_doc_strv(doc, (const char *const *)v, *n);
	mn_strv_free(v, *n);
	return out;
}

static struct mn_doc *build(const struct spec_doc *spec)
{
	struct mn_doc *doc = mn_doc_new(spec->path);
	size_t i, n;
	const char **dates;

	doc->format = "markdown";
	doc->title = mn_arena_strdup(&doc->arena, spec->title);
	doc->series = spec->series ? mn_arena_strdup(&doc->arena, spec->series) : NULL;
	dates = list(doc, spec->dates, &n);
	for (i = 0; i < n; i++)
		mn_doc_add_date(doc, dates[i]);
	for (i = 0; i < 4 && spec->attendees[i].name; i++) {
		struct mn_attendee *a = mn_doc_add_attendee(doc);

		a->name = mn_arena_strdup(&doc->arena, spec->attendees[i].name);
		a->org = spec->attendees[i].org;
		a->aliases = list(doc, spec->attendees[i].aliases, &a->naliases);
		a->line = 2;
	}
	for (i = 0; i < 8 && spec->passages[i].text; i++) {
		const struct spec_passage *sp = &spec->passages[i];
		struct mn_passage *p = mn_doc_add_passage(doc);

		p->line = p->end_line = sp->line;
		p->col = 1;
		p->kind = sp->kind;
		p->speaker_label = sp->label ? mn_arena_strdup(&doc->arena, sp->label) : NULL;
		p->speakers = list(doc, sp->speakers, &p->nspeakers);
		p->topic_path = list(doc, sp->topics, &p->ntopic_path);
		p->owners = list(doc, sp->owners, &p->nowners);
		p->date = sp->date ? mn_arena_strdup(&doc->arena, sp->date) : NULL;
		p->text = mn_arena_strdup(&doc->arena, sp->text);
	}
	return doc;
}

static int setup(void **state)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *w = NULL;
	size_t i;

	(void)state;
	dir = tu_tmpdir();
	db = tu_path(dir, "index.db");
	assert_int_equal(mn_store_open(&w, db, MN_STORE_WRITE, NULL, &err), MN_OK);
	assert_int_equal(mn_store_begin(w, &err), MN_OK);
	for (i = 0; i < NDOCS; i++) {
		struct mn_doc *doc = build(&docs[i]);

		assert_int_equal(mn_store_add_doc(w, doc, NULL, NULL, &err), MN_OK);
		mn_doc_free(doc);
	}
	assert_int_equal(mn_store_commit(w, &err), MN_OK);
	assert_int_equal(mn_store_check(w, &err), MN_OK);
	mn_store_close(w);
	/* Searches run on a read-only connection, as minutes-search's do. */
	assert_int_equal(mn_store_open(&store, db, MN_STORE_READ, NULL, &err), MN_OK);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	mn_store_close(store);
	tu_rmtree(dir);
	free(dir);
	free(db);
	return 0;
}

/* ---- running queries ------------------------------------------------------ */

struct collected {
	struct mn_buf names; /* "A5,C5,E3" in result order */
	size_t n;
	int highlights_ok;
	const char *prefix; /* every highlight must start with this, without case */
};

/* "A5": the meeting's letter and the passage's line. */
static void name_of(const struct mn_hit *hit, char out[16])
{
	snprintf(out, 16, "%c%d", hit->path[0] - 'a' + 'A', hit->line);
}

static int collect(void *ctx, const struct mn_hit *hit)
{
	struct collected *c = ctx;
	char name[16];
	size_t i;

	name_of(hit, name);
	if (c->n++)
		mn_buf_addc(&c->names, ',');
	mn_buf_adds(&c->names, name);
	for (i = 0; c->prefix && i < hit->nhighlights; i++) {
		const struct mn_range *r = &hit->highlights[i];

		if (r->end > strlen(hit->snippet) || r->end <= r->start ||
		    strncasecmp(hit->snippet + r->start, c->prefix, strlen(c->prefix)))
			c->highlights_ok = 0;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the hits of q, sorted, comma-separated (caller frees). */
static char *hits_sorted(const char *q)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_search_opts opts;
	struct mn_results res;
	struct collected c = {MN_BUF_INIT, 0, 1, NULL};
	struct mn_buf out = MN_BUF_INIT;
	char **v;
	size_t n, i;

	memset(&opts, 0, sizeof(opts));
	opts.query = q;
	opts.limit = 1000;
	if (mn_search(store, &opts, collect, &c, &res, &err))
		fail_msg("'%s' failed: %s", q, err.msg);
	assert_int_equal(res.total, (int64_t)c.n);
	mn_results_release(&res);
	v = mn_strv_split(mn_buf_str(&c.names), ',', &n);
	if (n)
		qsort(v, n, sizeof(*v), cmp_str);
	for (i = 0; i < n; i++) {
		if (i)
			mn_buf_addc(&out, ',');
		mn_buf_adds(&out, v[i]);
	}
	mn_strv_free(v, n);
	mn_buf_release(&c.names);
	mn_buf_add(&out, "", 0);
	return mn_buf_detach(&out);
}

static void finds(const char *q, const char *want)
{
	char *got = hits_sorted(q);

	if (strcmp(got, want))
		fail_msg("'%s' found '%s', want '%s'", q, got, want);
	free(got);
}

static int64_t count_of(const char *q)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_qnode *tree = NULL;
	int64_t n = -1;

	if (mn_query_parse(q, &tree, &err) || mn_search_count(store, tree, &n, &err))
		fail_msg("'%s' failed: %s", q, err.msg);
	mn_qnode_free(tree);
	return n;
}

/* ---- fields ------------------------------------------------------------------- */

static void test_speaker(void **state)
{
	(void)state;
	/* Any word of a name: both Jans. */
	finds("speaker:jan", "A5,C5,E3");
	/* The full name, in any case, and "by:" is the same field. */
	finds("speaker:\"Jan Beulich\"", "A5,E3");
	finds("by:\"jan beulich\"", "A5,E3");
	/* An alias from the attendee list, and a raw label recorded as one. */
	finds("speaker:JB", "A5,E3");
	finds("speaker:mholmes", "B4,C7");
	finds("speaker:MH", "B4,C7");
	finds("speaker:mike", "B4,C7");
	finds("speaker:\"MIKE HOLMES\"", "B4,C7");
	finds("speaker:holmes", "B4,C7");
	/* Diacritics do not matter. */
	finds("speaker:bennee", "B6");
	finds("speaker:Benn\xc3\xa9"
	      "e",
	      "B6");
	/* Whole words only: "Jan B" is not a word of "Jan Beulich". */
	finds("speaker:\"Jan B\"", "");
	finds("speaker:nobody", "");
	/* A reported statement has a speaker too. */
	finds("speaker:lars", "A16,C9");
	finds("speaker:\"lars kurth\"", "A16");
}

static void test_attendee(void **state)
{
	(void)state;
	/* Listed in B, spoke in C without being listed. */
	finds("attendee:mike", "B10,B4,B6,B8,C3,C5,C7,C9");
	finds("attendee:\"lars kurth\"", "A11,A14,A16,A5,A7,A9");
	finds("attendee:lars", "A11,A14,A16,A5,A7,A9,C3,C5,C7,C9");
	/* By alias: Jan Beulich, not the other Jan. */
	finds("attendee:jb", "A11,A14,A16,A5,A7,A9,E3,E5");
	finds("attendee:jb kind:decision", "A11,E5");
}

static void test_topic_title_series_project(void **state)
{
	(void)state;
	finds("topic:cadence", "A11,A5,A7,A9");
	/* Any level of the topic path, words stemmed. */
	finds("topic:migrations", "A14,A16");
	finds("topic:\"pci passthrough\"", "A14");
	finds("topic:xen", "B10,C3,C5,C7,C9");
	finds("topic:virtio", "B4,B6,B8");
	finds("topic:virt*", "B4,B6,B8");
	finds("title:stratos", "B10,B4,B6,B8");
	finds("title:\"community call\" kind:decision", "A11,E5");
	finds("series:stratos", "B10,B4,B6,B8");
	finds("series:\"xen community call\" kind:utterance", "A5,A7,E3");
	finds("series:leg", "C3,C5,C7,C9,F2");
	finds("series:\"leg sc\"", "C3,C5,C7,C9");
	/* project: the series or a topic. */
	finds("project:xen", "A11,A14,A16,A5,A7,A9,B10,C3,C5,C7,C9,E3,E5");
	finds("project:virtio", "B4,B6,B8");
}

static void test_org_kind_owner_path(void **state)
{
	(void)state;
	/* George is at Citrix, Lars at Citrix Systems. */
	finds("org:citrix", "A16,A7");
	finds("org:\"citrix systems\"", "A16");
	finds("org:suse", "A5,E3");
	/* Mike spoke in C, where no organisation is known for him. */
	finds("org:linaro", "B4,B6");
	finds("kind:action", "A9,B8");
	finds("kind:decision", "A11,E5");
	finds("kind:reported", "A16");
	finds("kind:note", "A14,B10,C3,D1,F2,G2");
	finds("kind:utterance", "A5,A7,B4,B6,C5,C7,C9,E3");
	finds("owner:george", "A9");
	finds("owner:alex", "B8");
	finds("owner:\"mike holmes\"", "B8");
	finds("path:stratos", "B10,B4,B6,B8");
	finds("path:c/", "C3,C5,C7,C9");
	/* LIKE's wildcards are taken literally. */
	finds("path:%", "");
	finds("path:_", "");
}

static void test_dates(void **state)
{
	(void)state;
	finds("date:2018", "A11,A14,A16,A5,A7,A9");
	finds("date:2018-07", "A11,A14,A16,A5,A7,A9");
	finds("date:2018-07-11", "A11,A14,A16,A5,A7,A9");
	finds("date:2018-07-12", "");
	/* A session's own date, in a file with two. */
	finds("date:2017-09-26", "C5,C7,C9");
	finds("date:2017-09", "C3,C5,C7,C9");
	/* Ranges are inclusive; open ranges. */
	finds("date:2017..2018 kind:utterance", "A5,A7,C5,C7,C9");
	finds("date:2018-01..2019-06 kind:decision", "A11,E5");
	finds("date:2019.. kind:utterance", "B4,B6,E3");
	finds("date:..2018 kind:note", "A14,C3,F2");
	finds("date:2017-09-26..2017-09-26", "C5,C7,C9");
	/* after: from the start of; before: strictly before the start of. */
	finds("after:2019 kind:utterance", "B4,B6,E3");
	finds("after:2018-07-12 kind:decision", "E5");
	finds("before:2018", "C3,C5,C7,C9,F2");
	finds("before:2018-07-11 -kind:note", "C5,C7,C9");
	finds("after:2017-09-26 before:2018-07-11", "C5,C7,C9");
	/* A meeting without a date is in no date range. */
	finds("migration -date:1900..", "D1");
}

static void test_words_and_operators(void **state)
{
	(void)state;
	/* Words in any column: topic and title count. */
	finds("migration", "A14,A16,B4,C3,C5,D1");
	finds("migrating speaker:jan", "C5");
	finds("migration -speaker:jan", "A14,A16,B4,C3,D1");
	finds("migration NOT speaker:jan", "A14,A16,B4,C3,D1");
	finds("backports OR cadence", "A11,A5,A7,A9,B6,E3,E5");
	finds("(backports OR migration) date:2019..", "B4,B6,E3,E5");
	finds("xen -kind:note", "A11,A16,A5,A7,A9,B4,C5,C7,C9,E3,E5");
	finds("-speaker:jan kind:utterance", "A7,B4,B6,C7,C9");
	finds("NOT kind:utterance speaker:jan", "");
	finds("speaker:jan OR speaker:george", "A5,A7,C5,E3");
	finds("(speaker:jan OR owner:george) -date:2019", "A5,A9,C5");
	finds("\"nine month\"", "A7");
	finds("\"month nine\"", "");
	finds("backport*", "A5,B6,E3,E5");
	finds("migration -\"dead migration\"", "A16,B4,C3,C5,D1");
	finds("NEAR(migration story, 2)", "B4");
	finds("NEAR(story migration, 0)", "B4");
	/* Prefixes inside NEAR stay prefixes. */
	finds("NEAR(migr* stor*, 3)", "B4");
	finds("NEAR(backend* story, 1)", "");
	/* Field names in any case. */
	finds("KIND:action Owner:alex", "B8");
}

static void test_filters_only_newest_first(void **state)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_search_opts opts;
	struct mn_results res;
	struct collected c = {MN_BUF_INIT, 0, 1, NULL};

	(void)state;
	memset(&opts, 0, sizeof(opts));
	opts.query = "kind:utterance";
	opts.limit = 100;
	assert_int_equal(mn_search(store, &opts, collect, &c, &res, &err), MN_OK);
	assert_false(res.ranked);
	/* Newest meeting first; within a meeting, in document order. */
	assert_string_equal(mn_buf_str(&c.names), "B4,B6,E3,A5,A7,C5,C7,C9");
	mn_results_release(&res);
	mn_buf_release(&c.names);

	memset(&c, 0, sizeof(c));
	opts.sort = MN_SORT_DATE;
	assert_int_equal(mn_search(store, &opts, collect, &c, &res, &err), MN_OK);
	assert_string_equal(mn_buf_str(&c.names), "C5,C7,C9,A5,A7,E3,B4,B6");
	mn_results_release(&res);
	mn_buf_release(&c.names);
}

static void test_ranking(void **state)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_search_opts opts;
	struct mn_results res;
	struct collected c = {MN_BUF_INIT, 0, 1, NULL};

	(void)state;
	memset(&opts, 0, sizeof(opts));
	opts.limit = 100;
	/*
	 * "cadence" in a topic outweighs it in the text: E5 (text only) comes
	 * after the passages headed "Release cadence".
	 */
	opts.query = "cadence";
	assert_int_equal(mn_search(store, &opts, collect, &c, &res, &err), MN_OK);
	assert_true(res.ranked);
	assert_int_equal(c.n, 5);
	assert_string_equal(strrchr(mn_buf_str(&c.names), ',') + 1, "E5");
	mn_results_release(&res);
	mn_buf_release(&c.names);

	/* --sort -date puts the 2019 decision first. */
	memset(&c, 0, sizeof(c));
	opts.sort = MN_SORT_DATE_DESC;
	assert_int_equal(mn_search(store, &opts, collect, &c, &res, &err), MN_OK);
	assert_false(res.ranked);
	assert_string_equal(mn_buf_str(&c.names), "E5,A5,A7,A9,A11");
	mn_results_release(&res);
	mn_buf_release(&c.names);
}

/* Scores come out best first. */
struct scored {
	double last;
	int ok;
	size_t n;
};

static int check_order(void *ctx, const struct mn_hit *hit)
{
	struct scored *s = ctx;

	if (hit->score <= 0 || (s->n++ && hit->score > s->last))
		s->ok = 0;
	s->last = hit->score;
	return 0;
}

static void test_scores_descend(void **state)
{
	static const char *const queries[] = {"xen", "migration", "backports OR cadence",
					      "release"};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(queries) / sizeof(*queries); i++) {
		struct mn_err err = MN_ERR_INIT;
		struct mn_search_opts opts;
		struct mn_results res;
		struct scored s = {0, 1, 0};

		memset(&opts, 0, sizeof(opts));
		opts.query = queries[i];
		opts.limit = 100;
		assert_int_equal(mn_search(store, &opts, check_order, &s, &res, &err), MN_OK);
		if (!s.ok)
			fail_msg("'%s': scores not positive and best first", queries[i]);
		assert_true(s.n > 1);
		mn_results_release(&res);
	}
}

static void test_ties_newest_first(void **state)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_search_opts opts;
	struct mn_results res;
	struct collected c = {MN_BUF_INIT, 0, 1, NULL};

	(void)state;
	memset(&opts, 0, sizeof(opts));
	opts.query = "quokka";
	opts.limit = 10;
	assert_int_equal(mn_search(store, &opts, collect, &c, &res, &err), MN_OK);
	assert_true(res.ranked);
	assert_string_equal(mn_buf_str(&c.names), "G2,F2");
	mn_results_release(&res);
	mn_buf_release(&c.names);
}

/* "file:line date" of each hit ("-" when undated), in result order. */
static int collect_where(void *ctx, const struct mn_hit *hit)
{
	mn_buf_addf(ctx, "%s:%d %s\n", strrchr(hit->path, '/') + 1, hit->line,
		    hit->date ? hit->date : "-");
	return 0;
}

/* The page of q at offset and limit; with a facet, the search reads every hit's date. */
static char *page_of(struct mn_store *s, const char *q, size_t offset, size_t limit, int facet)
{
	static const enum mn_facet_field kind[] = {MN_FACET_KIND};
	struct mn_err err = MN_ERR_INIT;
	struct mn_search_opts opts;
	struct mn_results res;
	struct mn_buf b = MN_BUF_INIT;

	memset(&opts, 0, sizeof(opts));
	opts.query = q;
	opts.offset = offset;
	opts.limit = limit;
	if (facet) {
		opts.facets = kind;
		opts.nfacets = 1;
	}
	if (mn_search(s, &opts, collect_where, &b, &res, &err))
		fail_msg("'%s' failed: %s", q, err.msg);
	mn_results_release(&res);
	mn_buf_add(&b, "", 0);
	return mn_buf_detach(&b);
}

/*
 * A ranked page reads dates only for the hits that can be on it, those that
 * tie included: every page of queries whose hits tie by the dozen, in
 * meetings whose dates are not in the order of their passages (some
 * undated), is the page of the search that reads all dates.
 */
static void test_dates_read_for_ties(void **state)
{
	static const char *const queries[] = {"quokka", "hops", "quokka hops", "\"quokka hops\""};
	char *tdir = tu_tmpdir(), *folder = tu_path(tdir, "minutes"), *tdb = tu_path(tdir, "i.db");
	struct mn_store *s;
	size_t q, offset, limit;
	int m;

	(void)state;
	assert_int_equal(mkdir(folder, 0777), 0);
	for (m = 0; m < 27; m++) {
		struct mn_buf b = MN_BUF_INIT;
		char name[16], *path;

		if (m % 9 == 4)
			mn_buf_addf(&b, "# Undated sync %d\n\n", m);
		else
			mn_buf_addf(&b, "# Sync %d\n\nDate: %d-0%d-1%d\n\n", m, 2000 + (m * 7) % 24,
				    1 + m % 9, m % 10);
		mn_buf_adds(&b,
			    "Ada: The quokka hops.\n\nBo: The quokka hops and hops far away.\n\n"
			    "Cy: Nothing of the kind.\n");
		snprintf(name, sizeof(name), "m%02d.md", m);
		path = tu_path(folder, name);
		tu_write_file(path, mn_buf_str(&b));
		free(path);
		mn_buf_release(&b);
	}
	s = tu_index_folders(tdb, NULL, (const char *const *)&folder, 1);
	for (q = 0; q < sizeof(queries) / sizeof(*queries); q++)
		for (offset = 0; offset < 60; offset += 7)
			for (limit = 1; limit <= 6; limit++) {
				char *later = page_of(s, queries[q], offset, limit, 0);
				char *all = page_of(s, queries[q], offset, limit, 1);

				if (strcmp(later, all))
					fail_msg("'%s' at %zu, %zu: the page\n%sis not\n%s",
						 queries[q], offset, limit, later, all);
				free(later);
				free(all);
			}
	mn_store_close(s);
	tu_rmtree(tdir);
	free(tdir);
	free(folder);
	free(tdb);
}

static void test_highlights_point_at_matches(void **state)
{
	static const struct {
		const char *q, *prefix;
	} cases[] = {
	    {"migration", "migrat"},
	    {"backports", "backport"},
	    {"migr*", "migr"},
	    {"\"release cadence\"", "release cadence"},
	    {"cadence speaker:george", "cadence"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct mn_err err = MN_ERR_INIT;
		struct mn_search_opts opts;
		struct mn_results res;
		struct collected c = {MN_BUF_INIT, 0, 1, cases[i].prefix};

		memset(&opts, 0, sizeof(opts));
		opts.query = cases[i].q;
		opts.limit = 100;
		assert_int_equal(mn_search(store, &opts, collect, &c, &res, &err), MN_OK);
		assert_true(c.n > 0);
		if (!c.highlights_ok)
			fail_msg("'%s': a highlight is not on '%s'", cases[i].q, cases[i].prefix);
		mn_results_release(&res);
		mn_buf_release(&c.names);
	}
}

/* ---- facets --------------------------------------------------------------------- */

static struct mn_facets facets_of(const char *q, size_t limit)
{
	static const enum mn_facet_field all[] = {MN_FACET_SPEAKER, MN_FACET_TOPIC, MN_FACET_SERIES,
						  MN_FACET_ORG,	    MN_FACET_YEAR,  MN_FACET_KIND};
	struct mn_err err = MN_ERR_INIT;
	struct mn_qnode *tree = NULL;
	struct mn_facets f = MN_FACETS_INIT;

	assert_int_equal(mn_query_parse(q, &tree, &err), MN_OK);
	if (mn_facets_compute(store, tree, all, 6, limit, &f, &err))
		fail_msg("facets of '%s' failed: %s", q, err.msg);
	mn_qnode_free(tree);
	return f;
}

/* "Jan 3, Jan Beulich 2" for one facet. */
static char *facet_summary(const struct mn_facet *f)
{
	struct mn_buf b = MN_BUF_INIT;
	size_t i;

	mn_buf_add(&b, "", 0);
	for (i = 0; i < f->nvalues; i++)
		mn_buf_addf(&b, "%s%s %lld", i ? ", " : "", f->values[i].value,
			    (long long)f->values[i].count);
	return mn_buf_detach(&b);
}

static void facet_is(const struct mn_facets *f, enum mn_facet_field field, const char *want)
{
	size_t i;

	for (i = 0; i < f->n; i++) {
		if (f->items[i].field == field) {
			char *got = facet_summary(&f->items[i]);

			if (strcmp(got, want))
				fail_msg("facet %s: '%s', want '%s'", mn_facet_name(field), got,
					 want);
			free(got);
			return;
		}
	}
	fail_msg("no facet %s", mn_facet_name(field));
}

static void test_facet_values(void **state)
{
	struct mn_facets f = facets_of("xen", 10);

	(void)state;
	/* Names match by words: "Jan" selects both Jans, "Lars" both Larses. */
	facet_is(&f, MN_FACET_SPEAKER,
		 "Jan 3, Jan Beulich 2, Lars 2, Mike Holmes 2, George Dunlap 1, Lars Kurth 1");
	facet_is(&f, MN_FACET_ORG, "Citrix 2, SUSE 2, Citrix Systems 1, Linaro 1");
	facet_is(&f, MN_FACET_SERIES, "Xen Community Call 8, LEG SC 4, Project Stratos 2");
	facet_is(&f, MN_FACET_YEAR, "2018 6, 2017 4, 2019 2, 2020 2");
	facet_is(&f, MN_FACET_KIND, "utterance 7, note 3, decision 2, action 1, reported 1");
	/* Every level of a topic path. */
	facet_is(
	    &f, MN_FACET_TOPIC,
	    "Release cadence 4, Xen update 4, Backports 2, Live migration 2, PCI passthrough 1, "
	    "Virtio backends 1, Xen on Arm 1");
	assert_string_equal(f.items[0].values[1].filter, "speaker:\"Jan Beulich\"");
	assert_string_equal(f.items[4].values[0].filter, "date:2018");
	assert_string_equal(f.items[5].values[0].filter, "kind:utterance");
	mn_facets_release(&f);

	/* The limit keeps the values with most hits. */
	f = facets_of("xen", 2);
	facet_is(&f, MN_FACET_SPEAKER, "Jan 3, Jan Beulich 2");
	facet_is(&f, MN_FACET_YEAR, "2018 6, 2017 4");
	mn_facets_release(&f);

	/* A heading's phrase inside another heading: "Virtio" selects "Virtio backends". */
	f = facets_of("backports OR story", 10);
	facet_is(&f, MN_FACET_TOPIC, "Backports 2, Virtio 2, Release cadence 1, Virtio backends 1");
	mn_facets_release(&f);

	/* A series whose words are in another's: "LEG" selects "LEG SC". */
	f = facets_of("xen OR quokka", 10);
	facet_is(&f, MN_FACET_SERIES, "Xen Community Call 8, LEG 5, LEG SC 4, Project Stratos 2");
	mn_facets_release(&f);

	/* No hits, no values. */
	f = facets_of("zzqqxx", 10);
	facet_is(&f, MN_FACET_SPEAKER, "");
	facet_is(&f, MN_FACET_TOPIC, "");
	mn_facets_release(&f);
}

/* The first n values of a and b are the same values, counts and filters. */
static void values_are(const struct mn_facet *a, const struct mn_facet *b, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++) {
		assert_string_equal(a->values[k].value, b->values[k].value);
		assert_int_equal(a->values[k].count, b->values[k].count);
		assert_string_equal(a->values[k].filter, b->values[k].filter);
	}
}

/*
 * A limit keeps the first values of the whole list, in its order, whatever
 * order the values come in (ties go by name).
 */
static void test_facet_limits(void **state)
{
	static const char *const queries[] = {"xen", "", "release OR virtio", "speaker:Jan"};
	size_t q, i, limit;

	(void)state;
	for (q = 0; q < sizeof(queries) / sizeof(*queries); q++) {
		struct mn_facets all = facets_of(queries[q], 100000);

		for (limit = 0; limit <= 12; limit++) {
			struct mn_facets f = facets_of(queries[q], limit);

			assert_int_equal(f.n, all.n);
			for (i = 0; i < f.n; i++) {
				size_t want = all.items[i].nvalues < limit ? all.items[i].nvalues
									   : limit;

				if (f.items[i].nvalues != want)
					fail_msg("'%s', facet %s, limit %zu: %zu values, want %zu",
						 queries[q], mn_facet_name(f.items[i].field), limit,
						 f.items[i].nvalues, want);
				values_are(&f.items[i], &all.items[i], want);
			}
			mn_facets_release(&f);
		}
		mn_facets_release(&all);
	}
}

/* Facets counted on two threads are those counted on one. */
static void test_facets_on_two_threads(void **state)
{
	static const char *const queries[] = {"xen",	   "",		 "release OR virtio",
					      "speaker:Jan", "zzqqxx", "date:2018 -xen"};
	size_t q, i, limit;

	(void)state;
	for (q = 0; q < sizeof(queries) / sizeof(*queries); q++) {
		for (limit = 1; limit <= 1000; limit *= 10) {
			struct mn_facets one, two;

			mn_facets_set_thread_min(SIZE_MAX);
			one = facets_of(queries[q], limit);
			mn_facets_set_thread_min(0);
			two = facets_of(queries[q], limit);
			assert_int_equal(one.n, two.n);
			for (i = 0; i < one.n; i++) {
				assert_int_equal(one.items[i].field, two.items[i].field);
				assert_int_equal(one.items[i].nvalues, two.items[i].nvalues);
				values_are(&one.items[i], &two.items[i], one.items[i].nvalues);
			}
			mn_facets_release(&one);
			mn_facets_release(&two);
		}
	}
	mn_facets_set_thread_min(MN_FACETS_THREAD_MIN);
}

/*
 * A heading first seen in a later run counts the topics of earlier runs
 * whose words contain its own, as its filter finds them; a heading with a
 * word no topic has counts only its own.
 */
static void test_topic_heads_across_runs(void **state)
{
	static const enum mn_facet_field topic[] = {MN_FACET_TOPIC};
	struct mn_err err = MN_ERR_INIT;
	char *tdir = tu_tmpdir(), *folder = tu_path(tdir, "minutes"), *tdb = tu_path(tdir, "i.db"),
	     *path;
	struct mn_store *saved = store, *s;
	struct mn_facets f = MN_FACETS_INIT;
	size_t i, k, seen = 0;

	(void)state;
	assert_int_equal(mkdir(folder, 0777), 0);
	path = tu_path(folder, "a.md");
	tu_write_file(path, "# Sync one\n\nDate: 2024-01-01\n\n## Virtio backends status\n\n"
			    "Ada: the virtio work goes on.\n\nBo: and the tests.\n");
	free(path);
	mn_store_close(tu_index_folders(tdb, NULL, (const char *const *)&folder, 1));
	path = tu_path(folder, "b.md");
	tu_write_file(path, "# Sync two\n\nDate: 2024-01-08\n\n## Backends\n\n"
			    "Ada: backends again.\n\n## Zebra crossings\n\nBo: a new subject.\n");
	free(path);
	s = tu_index_folders(tdb, NULL, (const char *const *)&folder, 1);
	assert_int_equal(mn_facets_compute(s, NULL, topic, 1, 1000, &f, &err), MN_OK);
	store = s;
	for (i = 0; i < f.n; i++)
		for (k = 0; k < f.items[i].nvalues; k++) {
			const struct mn_facet_value *v = &f.items[i].values[k];

			assert_int_equal(v->count, count_of(v->filter));
			if (!strcmp(v->value, "Backends")) {
				assert_int_equal(v->count, 3);
				seen++;
			}
			if (!strcmp(v->value, "Zebra crossings")) {
				assert_int_equal(v->count, 1);
				seen++;
			}
		}
	assert_int_equal(seen, 2);
	store = saved;
	mn_facets_release(&f);
	mn_store_close(s);
	tu_rmtree(tdir);
	free(folder);
	free(tdb);
	free(tdir);
}

/* Appends MN_LIST_SEP and the token to the mn_buf ctx. */
static int join_token(void *ctx, const char *token, size_t n, size_t start, size_t end)
{
	(void)start;
	(void)end;
	mn_buf_addc(ctx, MN_LIST_SEP);
	mn_buf_add(ctx, token, n);
	return 0;
}

/* The stems of text as "\x1fa\x1fb\x1f" (a new string). */
static char *stems_line(struct mn_tokenizer *tok, const char *text)
{
	struct mn_buf b = MN_BUF_INIT;

	mn_tokenizer_run(tok, text, strlen(text), join_token, &b);
	mn_buf_addc(&b, MN_LIST_SEP);
	return mn_buf_detach(&b);
}

/* Appends one meeting of sections headed each by a line of headings to folder. */
static void write_sections(const char *folder, const char *name, const char *const *headings,
			   size_t n)
{
	struct mn_buf b = MN_BUF_INIT;
	char *path = tu_path(folder, name);
	size_t i;

	mn_buf_addf(&b, "# Heads %s\n\nDate: 2024-02-01\n\n", name);
	for (i = 0; i < n; i++)
		mn_buf_addf(&b, "## %s\n\nAda: on %s.\n\n", headings[i], headings[i]);
	tu_write_file(path, mn_buf_str(&b));
	mn_buf_release(&b);
	free(path);
}

/*
 * Fails unless every topic of the index lists as its heads exactly the
 * classes of the headings whose stems occur in order among its path's;
 * counts the pairs of a topic and a heading compared, and those contained.
 */
static void check_topic_heads(struct mn_store *s, size_t *pairs, size_t *contained)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_tokenizer *tok;
	sqlite3_stmt *topics, *headings;
	size_t i, nwanted = 0;
	uint32_t *wanted = NULL;

	*pairs = *contained = 0;
	assert_int_equal(mn_tokenizer_open(mn_store_db(s), "english", &tok, &err), MN_OK);
	assert_int_equal(sqlite3_prepare_v2(mn_store_db(s),
					    "SELECT t.id, t.path, c.heads FROM dict_topics t "
					    "JOIN topic_classes c ON c.id = t.id",
					    -1, &topics, NULL),
			 SQLITE_OK);
	assert_int_equal(tu_count(s, "SELECT count(*) FROM dict_topics"),
			 tu_count(s, "SELECT count(*) FROM topic_classes"));
	assert_int_equal(sqlite3_prepare_v2(mn_store_db(s),
					    "SELECT id, text, coalesce(cls, id) FROM dict_headings",
					    -1, &headings, NULL),
			 SQLITE_OK);
	while (sqlite3_step(topics) == SQLITE_ROW) {
		char *path = stems_line(tok, (const char *)sqlite3_column_text(topics, 1));
		const unsigned char *heads = sqlite3_column_blob(topics, 2);
		size_t nheads = (size_t)sqlite3_column_bytes(topics, 2) / 4, k;

		nwanted = 0;
		while (sqlite3_step(headings) == SQLITE_ROW) {
			const char *text = (const char *)sqlite3_column_text(headings, 1);
			char *h = stems_line(tok, text);
			uint32_t cls = (uint32_t)sqlite3_column_int64(headings, 2), v;
			int listed = 0, want = strlen(h) > 1 && strstr(path, h) != NULL;

			for (i = 0; i < nheads && !listed; i++) {
				memcpy(&v, heads + 4 * i, 4);
				listed = v == cls;
			}
			if (want && !listed)
				fail_msg("topic '%s' lacks heading '%s' among its heads",
					 sqlite3_column_text(topics, 1), text);
			if (want) {
				wanted = realloc(wanted, (nwanted + 1) * sizeof(*wanted));
				wanted[nwanted++] = cls;
			}
			(*pairs)++;
			*contained += (size_t)want;
			free(h);
		}
		/* And no class whose headings it contains none of. */
		for (i = 0; i < nheads; i++) {
			uint32_t v;

			memcpy(&v, heads + 4 * i, 4);
			for (k = 0; k < nwanted && wanted[k] != v; k++)
				;
			if (k == nwanted)
				fail_msg("topic '%s' has the class of heading %u among its heads",
					 sqlite3_column_text(topics, 1), v);
		}
		sqlite3_reset(headings);
		free(path);
	}
	free(wanted);
	sqlite3_finalize(topics);
	sqlite3_finalize(headings);
	mn_tokenizer_close(tok);
}

/* Runs damage (SQL) on the index s, whose check must then fail naming what. */
static void check_finds(struct mn_store *s, const char *damage, const char *what)
{
	struct mn_err err = MN_ERR_INIT;

	assert_int_equal(sqlite3_exec(mn_store_db(s), damage, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(mn_store_check(s, &err), MN_ERR_DB);
	if (!strstr(err.msg, what))
		fail_msg("check after '%s': '%s', want '%s'", damage, err.msg, what);
}

/* The topic facet of every passage, all values, as "name count, ..." (a new string). */
static char *topic_facet(struct mn_store *s)
{
	static const enum mn_facet_field topic[] = {MN_FACET_TOPIC};
	struct mn_err err = MN_ERR_INIT;
	struct mn_facets f = MN_FACETS_INIT;
	char *got;

	if (mn_facets_compute(s, NULL, topic, 1, 1000, &f, &err))
		fail_msg("topic facet failed: %s", err.msg);
	got = facet_summary(&f.items[0]);
	mn_facets_release(&f);
	return got;
}

/*
 * Headings that fold alike are one value of the topic facet, shown by the
 * first one's name, whichever run brought them; an index of schema 7 (the
 * topics' heads as heading ids, no classes kept) counts the same when read
 * as it is and when upgraded, and the upgrade keeps the classes.
 */
static void test_topic_classes_and_schema_7(void **state)
{
	static const char *const one[] = {"Release Cadence", "Release cadence review"};
	static const char *const two[] = {"release  CADENCE", "Cadence", "Zebra"};
	struct mn_err err = MN_ERR_INIT;
	char *tdir = tu_tmpdir(), *folder = tu_path(tdir, "minutes"), *tdb = tu_path(tdir, "i.db");
	char *before, *got;
	struct mn_store *s;
	size_t pairs, contained;

	(void)state;
	assert_int_equal(mkdir(folder, 0777), 0);
	write_sections(folder, "a.md", one, 2);
	mn_store_close(tu_index_folders(tdb, NULL, (const char *const *)&folder, 1));
	write_sections(folder, "b.md", two, 3);
	s = tu_index_folders(tdb, NULL, (const char *const *)&folder, 1);
	before = topic_facet(s);
	/*
	 * One passage a section. "Release Cadence" and "release  CADENCE" are
	 * one class: its passages are those of both and of "Release cadence
	 * review"; "Cadence" has those and its own.
	 */
	assert_string_equal(before, "Cadence 4, Release Cadence 3, Release cadence review 1, "
				    "Zebra 1");
	assert_int_equal(tu_count(s, "SELECT count(*) FROM dict_headings WHERE cls IS NOT NULL"),
			 1);
	check_topic_heads(s, &pairs, &contained);

	assert_int_equal(sqlite3_exec(mn_store_db(s), TU_SCHEMA_8_UNDONE "PRAGMA user_version = 7",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	mn_store_close(s);
	assert_int_equal(mn_store_open(&s, tdb, MN_STORE_READ, NULL, &err), MN_OK);
	got = topic_facet(s);
	assert_string_equal(got, before);
	free(got);
	mn_store_close(s);

	assert_int_equal(mn_store_open(&s, tdb, MN_STORE_WRITE, NULL, &err), MN_OK);
	assert_int_equal(tu_count(s, "PRAGMA user_version"), MN_SCHEMA_VERSION);
	assert_int_equal(tu_count(s, "SELECT count(*) FROM dict_headings WHERE cls IS NOT NULL"),
			 1);
	check_topic_heads(s, &pairs, &contained);
	got = topic_facet(s);
	assert_string_equal(got, before);
	free(got);
	assert_int_equal(mn_store_check(s, &err), MN_OK);

	/*
	 * --check finds a heading out of its class, a topic without its classes,
	 * and topic_chunks out of step with topic_classes (each damage undone by
	 * the next statement); the facet, topic_chunks damaged.
	 */
	check_finds(s, "UPDATE dict_headings SET cls = NULL WHERE cls IS NOT NULL",
		    "heading 'release  CADENCE' is kept in class");
	check_finds(s,
		    "UPDATE dict_headings SET cls = 1 WHERE text = 'release  CADENCE';"
		    "DELETE FROM topic_classes WHERE id = 2",
		    "topic 2 has no heading classes");
	check_finds(s, "INSERT INTO topic_classes(id, parts, heads) VALUES(2, x'', x'')",
		    "the topics' classes 0 differ");
	assert_int_equal(sqlite3_exec(mn_store_db(s), "UPDATE topic_chunks SET data = x'0102'",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	mn_store_close(s);
	assert_int_equal(mn_store_open(&s, tdb, MN_STORE_READ, NULL, &err), MN_OK);
	{
		static const enum mn_facet_field topic[] = {MN_FACET_TOPIC};
		struct mn_facets f = MN_FACETS_INIT;

		assert_int_equal(mn_facets_compute(s, NULL, topic, 1, 10, &f, &err), MN_ERR_DB);
		assert_non_null(strstr(err.msg, "damaged"));
		mn_err_clear(&err);
	}
	mn_store_close(s);
	free(before);
	tu_rmtree(tdir);
	free(folder);
	free(tdb);
	free(tdir);
}

/*
 * Every topic lists as its heads exactly the headings whose stems occur in
 * order, one after the other, among the stems of its path, whichever run
 * brought the topic or the heading. The first run has 300 topics with
 * "review" and "item" (more than a new heading's older topics are looked up
 * through one word for); later runs bring headings made of those words only,
 * of a rare word and common ones, of words in another order, and across the
 * boundary between two headings of a path.
 */
static void topic_heads_are_contained_headings(size_t filters_after)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_store_opts so = {MN_STORE_WRITE, NULL, 0, 0, 0, 0, filters_after};
	static const char *const second[] = {
	    "Review",	   "Item 17",	 "Beta gamma",	    "Gamma beta",     "Of item",
	    "Review item", "Alpha beta", "Heads b1 review", "Item 170 alpha", "Zeta"};
	static const char *const third[] = {"Review of",	"Gamma",    "Item 1", "17 alpha",
					    "Beta gamma delta", "Of item 3"};
	char *tdir = tu_tmpdir(), *folder = tu_path(tdir, "minutes"), *tdb = tu_path(tdir, "i.db");
	const char *first[300];
	char names[300][48];
	struct mn_store *s;
	size_t i, pairs = 0, contained = 0;

	assert_int_equal(mkdir(folder, 0777), 0);
	for (i = 0; i < 300; i++) {
		snprintf(names[i], sizeof(names[i]), "Review of item %zu%s", i,
			 i % 10 == 7 ? " alpha beta gamma" : "");
		first[i] = names[i];
	}
	write_sections(folder, "a1.md", first, 300);
	mn_store_close(tu_index_folders(tdb, &so, (const char *const *)&folder, 1));
	write_sections(folder, "b1.md", second, sizeof(second) / sizeof(*second));
	mn_store_close(tu_index_folders(tdb, &so, (const char *const *)&folder, 1));
	write_sections(folder, "c1.md", third, sizeof(third) / sizeof(*third));
	s = tu_index_folders(tdb, &so, (const char *const *)&folder, 1);

	check_topic_heads(s, &pairs, &contained);
	/* 316 topics and as many headings, all pairs compared; 1318 contained when written. */
	assert_true(pairs > 300 * 300);
	assert_true(contained > 1200);
	/* The writer's filters are in the index when they grew enough, else not. */
	assert_int_equal(tu_count(s, "SELECT count(*) FROM dict_filters"),
			 filters_after && filters_after < 1000 ? 2 : 0);
	assert_int_equal(mn_store_check(s, &err), MN_OK);
	if (filters_after && filters_after < 1000) {
		/*
		 * A filter that lost its bits is damage --check reports, naming what it
		 * misses: the headings' first, then the topics' too (checked first).
		 */
		static const char *const filters[] = {"heading_seqs", "topic_pairs"};

		for (i = 0; i < 2; i++) {
			char sql[160];

			snprintf(sql, sizeof(sql),
				 "UPDATE dict_filters SET bits = zeroblob(length(bits)) "
				 "WHERE name = '%s'",
				 filters[i]);
			assert_int_equal(sqlite3_exec(mn_store_db(s), sql, NULL, NULL, NULL),
					 SQLITE_OK);
			mn_err_clear(&err);
			assert_int_equal(mn_store_check(s, &err), MN_ERR_DB);
			if (!strstr(err.msg, i ? "misses topic '" : "misses heading '"))
				fail_msg("unclear message: %s", err.msg);
		}
	}
	mn_store_close(s);
	tu_rmtree(tdir);
	free(folder);
	free(tdb);
	free(tdir);
}

static void test_topic_heads_are_contained_headings(void **state)
{
	(void)state;
	topic_heads_are_contained_headings(0);
}

/* The same, the writer's filters saved from the first run on, and read by the later ones. */
static void test_topic_heads_through_saved_filters(void **state)
{
	(void)state;
	topic_heads_are_contained_headings(1);
}

/* Runs the indexer over folder again with store, kept open since its last run. */
static void index_folder_again(struct mn_store *writer, const char *folder)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_root root = {(char *)folder, NULL};
	struct mn_index_opts io;
	struct mn_index_stats stats;

	memset(&io, 0, sizeof(io));
	io.roots = &root;
	io.nroots = 1;
	if (mn_index_run(writer, &io, &stats, &err))
		fail_msg("cannot index %s: %s", folder, err.msg);
	mn_store_unlock(writer);
}

/*
 * A writer kept open between its runs (as --watch keeps one) learns of the
 * headings and topics another wrote meanwhile: the topics it adds next list
 * the other's headings among their heads, and the other's topics its new
 * headings.
 */
static void test_topic_heads_with_two_writers(void **state)
{
	static const char *const first[] = {"Review of the alpha plan", "Zeta"};
	static const char *const other[] = {"Alpha plan", "Gamma delta eta"};
	static const char *const next[] = {"Alpha plan status", "Delta eta", "Eta"};
	char *tdir = tu_tmpdir(), *folder = tu_path(tdir, "minutes"), *tdb = tu_path(tdir, "i.db");
	struct mn_store *kept, *s;
	size_t pairs, contained;

	(void)state;
	assert_int_equal(mkdir(folder, 0777), 0);
	write_sections(folder, "a1.md", first, 2);
	kept = tu_index_folders(tdb, NULL, (const char *const *)&folder, 1);
	mn_store_unlock(kept);
	write_sections(folder, "b1.md", other, 2);
	mn_store_close(tu_index_folders(tdb, NULL, (const char *const *)&folder, 1));
	write_sections(folder, "c1.md", next, 3);
	index_folder_again(kept, folder);
	mn_store_close(kept);

	s = tu_index_folders(tdb, NULL, (const char *const *)&folder, 1);
	assert_int_equal(tu_count(s, "SELECT count(*) FROM dict_topics"), 7);
	check_topic_heads(s, &pairs, &contained);
	/* Alpha plan in 3 topics, Delta eta in 2, Eta in 3, and each topic's own. */
	assert_int_equal(pairs, 7 * 7);
	assert_int_equal(contained, 7 + 2 + 1 + 2);
	mn_store_close(s);
	tu_rmtree(tdir);
	free(folder);
	free(tdb);
	free(tdir);
}

/* For every value shown, the query plus the value's filter finds exactly its count. */
static void check_facets_consistent(const char *q)
{
	struct mn_facets f = facets_of(q, 1000);
	size_t i, k, checked = 0;

	for (i = 0; i < f.n; i++) {
		for (k = 0; k < f.items[i].nvalues; k++) {
			const struct mn_facet_value *v = &f.items[i].values[k];
			struct mn_buf filtered = MN_BUF_INIT;
			int64_t n;

			mn_buf_addf(&filtered, "(%s) %s", q, v->filter);
			n = count_of(mn_buf_str(&filtered));
			if (n != v->count)
				fail_msg("'%s': facet %s value '%s' shows %lld, '%s' finds %lld", q,
					 mn_facet_name(f.items[i].field), v->value,
					 (long long)v->count, mn_buf_str(&filtered), (long long)n);
			mn_buf_release(&filtered);
			checked++;
		}
	}
	assert_true(checked > 0);
	mn_facets_release(&f);
}

static void test_facets_match_filtered_queries(void **state)
{
	static const char *const queries[] = {
	    "xen",
	    "migration",
	    "backports OR cadence",
	    "kind:utterance",
	    "xen -kind:note",
	    "date:2017..2019",
	    "speaker:mike",
	    "attendee:jb",
	    "title:call",
	    "topic:cadence",
	    "-kind:note",
	    "release*",
	    "xen OR quokka",
	    "backports OR story",
	    "speaker:lars",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(queries) / sizeof(*queries); i++)
		check_facets_consistent(queries[i]);
}

static void test_facets_through_search(void **state)
{
	static const enum mn_facet_field fields[] = {MN_FACET_KIND, MN_FACET_YEAR};
	struct mn_err err = MN_ERR_INIT;
	struct mn_search_opts opts;
	struct mn_results res;
	struct collected c = {MN_BUF_INIT, 0, 1, NULL};

	(void)state;
	memset(&opts, 0, sizeof(opts));
	opts.query = "migration";
	opts.limit = 1;
	opts.facets = fields;
	opts.nfacets = 2;
	assert_int_equal(mn_search(store, &opts, collect, &c, &res, &err), MN_OK);
	/* Counted over all six hits, not the page of one, in the order asked. */
	assert_int_equal(c.n, 1);
	assert_int_equal(res.facets.n, 2);
	facet_is(&res.facets, MN_FACET_KIND, "note 3, utterance 2, reported 1");
	assert_int_equal(res.facets.items[0].field, MN_FACET_KIND);
	facet_is(&res.facets, MN_FACET_YEAR, "2017 2, 2018 2, 2020 1");
	mn_results_release(&res);
	mn_buf_release(&c.names);
}

static void test_facet_names(void **state)
{
	enum mn_facet_field f[MN_FACET_COUNT];
	struct mn_err err = MN_ERR_INIT;
	size_t n;

	(void)state;
	assert_int_equal(mn_facets_parse("year,speaker,year", f, &n, &err), MN_OK);
	assert_int_equal(n, 2);
	assert_int_equal(f[0], MN_FACET_YEAR);
	assert_int_equal(f[1], MN_FACET_SPEAKER);
	assert_int_equal(mn_facets_parse(MN_FACETS_DEFAULT, f, &n, &err), MN_OK);
	assert_int_equal(n, MN_FACET_COUNT);
	assert_int_equal(mn_facets_parse("speaker,spaeker", f, &n, &err), MN_ERR_USAGE);
	assert_string_equal(
	    err.msg, "unknown facet 'spaeker' (use speaker, topic, series, org, year or kind)");
	mn_err_clear(&err);
	mn_err_clear(&err);
	assert_int_equal(mn_facets_parse(" kind ,, year,", f, &n, &err), MN_OK);
	assert_int_equal(n, 2);
	assert_int_equal(f[0], MN_FACET_KIND);
	assert_int_equal(mn_facets_parse(", ,", f, &n, &err), MN_ERR_USAGE);
	assert_string_equal(err.msg, "no facets named (use speaker, topic, series, org, year or "
				     "kind)");
}

/* ---- grouping by meeting ---------------------------------------------------- */

struct grouped {
	struct mn_buf out; /* "A:6[A5,A7] C:3[...]" */
	size_t n;
};

static int collect_group(void *ctx, const struct mn_group *g)
{
	struct grouped *gr = ctx;
	size_t i;

	mn_buf_addf(&gr->out, "%s%c:%lld[", gr->n++ ? " " : "", g->path[0] - 'a' + 'A',
		    (long long)g->count);
	for (i = 0; i < g->nhits; i++) {
		char name[16];

		name_of(&g->hits[i], name);
		mn_buf_addf(&gr->out, "%s%s", i ? "," : "", name);
	}
	mn_buf_addc(&gr->out, ']');
	return 0;
}

/* What grouping must give, worked out from the ungrouped hits. */
struct expect_groups {
	char letters[16];
	int64_t counts[16];
	struct mn_buf best[16];
	size_t n, per;
};

static int expect_from_hit(void *ctx, const struct mn_hit *hit)
{
	struct expect_groups *e = ctx;
	char letter = (char)(hit->path[0] - 'a' + 'A'), name[16];
	size_t i;

	for (i = 0; i < e->n && e->letters[i] != letter; i++)
		;
	if (i == e->n) {
		e->letters[e->n++] = letter;
		mn_buf_add(&e->best[i], "", 0);
	}
	if ((size_t)e->counts[i]++ < e->per) {
		name_of(hit, name);
		mn_buf_addf(&e->best[i], "%s%s", e->counts[i] > 1 ? "," : "", name);
	}
	return 0;
}

static void check_groups(const char *q, enum mn_sort sort, size_t per)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_search_opts opts;
	struct mn_results res, gres;
	struct expect_groups e;
	struct grouped g = {MN_BUF_INIT, 0};
	struct mn_buf want = MN_BUF_INIT;
	size_t i;

	memset(&e, 0, sizeof(e));
	e.per = per;
	memset(&opts, 0, sizeof(opts));
	opts.query = q;
	opts.limit = 1000;
	opts.sort = sort;
	assert_int_equal(mn_search(store, &opts, expect_from_hit, &e, &res, &err), MN_OK);
	opts.group = MN_GROUP_MEETING;
	opts.group_hits = per;
	assert_int_equal(mn_search_groups(store, &opts, collect_group, &g, &gres, &err), MN_OK);
	for (i = 0; i < e.n; i++) {
		mn_buf_addf(&want, "%s%c:%lld[%s]", i ? " " : "", e.letters[i],
			    (long long)e.counts[i], mn_buf_str(&e.best[i]));
		mn_buf_release(&e.best[i]);
	}
	if (strcmp(mn_buf_str(&g.out), mn_buf_str(&want)))
		fail_msg("'%s' grouped as '%s', want '%s'", q, mn_buf_str(&g.out),
			 mn_buf_str(&want));
	assert_int_equal(gres.total, (int64_t)e.n);
	assert_int_equal(gres.passages, res.total);
	mn_results_release(&res);
	mn_results_release(&gres);
	mn_buf_release(&want);
	mn_buf_release(&g.out);
}

static void test_group_by_meeting(void **state)
{
	(void)state;
	/* Meetings in the order of their best hit, each with its best hits and count. */
	check_groups("xen", MN_SORT_AUTO, 3);
	check_groups("migration", MN_SORT_AUTO, 2);
	check_groups("backports OR cadence", MN_SORT_AUTO, 1);
	check_groups("kind:utterance", MN_SORT_AUTO, 3);
	check_groups("kind:utterance", MN_SORT_DATE, 3);
	check_groups("migration", MN_SORT_DATE_DESC, 5);
	check_groups("zzqqxx", MN_SORT_AUTO, 3);
}

static void test_group_paging(void **state)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_search_opts opts;
	struct mn_results res;
	struct grouped all = {MN_BUF_INIT, 0}, page = {MN_BUF_INIT, 0};
	char **v;
	size_t n;

	(void)state;
	memset(&opts, 0, sizeof(opts));
	opts.query = "xen";
	opts.limit = 100;
	opts.group = MN_GROUP_MEETING;
	assert_int_equal(mn_search_groups(store, &opts, collect_group, &all, &res, &err), MN_OK);
	assert_int_equal(res.total, 4);
	assert_int_equal(res.passages, 14);
	mn_results_release(&res);
	opts.limit = 1;
	opts.offset = 2;
	assert_int_equal(mn_search_groups(store, &opts, collect_group, &page, &res, &err), MN_OK);
	assert_int_equal(res.total, 4);
	v = mn_strv_split(mn_buf_str(&all.out), ' ', &n);
	assert_int_equal(n, 4);
	assert_string_equal(mn_buf_str(&page.out), v[2]);
	mn_strv_free(v, n);
	mn_results_release(&res);
	mn_buf_release(&all.out);
	mn_buf_release(&page.out);
}

/* ---- did you mean ---------------------------------------------------------------- */

static void suggests(const char *q, const char *want, int64_t want_hits)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_search_opts opts;
	struct mn_results res;
	struct collected c = {MN_BUF_INIT, 0, 1, NULL};

	memset(&opts, 0, sizeof(opts));
	opts.query = q;
	opts.limit = 10;
	opts.suggest = 1;
	if (mn_search(store, &opts, collect, &c, &res, &err))
		fail_msg("'%s' failed: %s", q, err.msg);
	if (!want && res.suggestion)
		fail_msg("'%s' suggested '%s', want none", q, res.suggestion);
	if (want && (!res.suggestion || strcmp(res.suggestion, want)))
		fail_msg("'%s' suggested '%s', want '%s'", q,
			 res.suggestion ? res.suggestion : "(none)", want);
	if (want)
		assert_int_equal(res.suggestion_hits, want_hits);
	mn_results_release(&res);
	mn_buf_release(&c.names);
}

static void test_did_you_mean(void **state)
{
	(void)state;
	/* The index holds the stem "migrat"; the suggestion is a word people write. */
	suggests("migraton", "migration", 6);
	suggests("Migraton", "Migration", 6);
	suggests("MIGRATON", "MIGRATION", 6);
	/* A swap of two letters is one edit. */
	suggests("backprots", "backports", 4);
	/* A slip in the part stemming takes off: the typed word's start is the stem's. */
	suggests("migratoin", "migration", 6);
	suggests("migrtaion", "migration", 6);
	suggests("cadense", "cadence", 5);
	suggests("hypervisr", "hypervisor", 1);
	/* The rest of the query is kept as typed. */
	suggests("speaker:jan migraton", "speaker:jan migration", 1);
	suggests("\"dead migraton\"", "\"dead migration\"", 1);
	suggests("(migraton OR zzqqxx) -kind:note", "(migration OR zzqqxx) -kind:note", 3);
	/* Only a suggestion that finds something. */
	suggests("migraton speaker:george", NULL, 0);
	/* Nothing close enough, nothing to correct, or enough hits already. */
	suggests("zzqqxx", NULL, 0);
	suggests("speaker:jna", NULL, 0);
	suggests("migr*", NULL, 0);
	suggests("xen -migraton", NULL, 0);
	suggests("hypervisor", NULL, 0);
	suggests("4.13", NULL, 0);
}

/* The stems "did you mean" reads (table terms) are the FTS5 vocabulary's, no more, no less. */
static void test_terms_are_the_vocabulary(void **state)
{
	sqlite3 *h = mn_store_db(store);
	sqlite3_stmt *s = NULL;
	int i;
	static const char *const sql[] = {
	    "SELECT count(*) FROM terms",
	    "SELECT count(*) FROM (SELECT term FROM temp.tv EXCEPT SELECT term FROM terms)",
	    "SELECT count(*) FROM (SELECT term FROM terms EXCEPT SELECT term FROM temp.tv)",
	};

	(void)state;
	assert_int_equal(sqlite3_exec(h,
				      "CREATE VIRTUAL TABLE temp.tv USING "
				      "fts5vocab(main, passages_fts, row)",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	for (i = 0; i < 3; i++) {
		assert_int_equal(sqlite3_prepare_v2(h, sql[i], -1, &s, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);
		if (i == 0)
			assert_true(sqlite3_column_int(s, 0) > 10);
		else
			assert_int_equal(sqlite3_column_int(s, 0), 0);
		sqlite3_finalize(s);
	}
	assert_int_equal(sqlite3_exec(h, "DROP TABLE temp.tv", NULL, NULL, NULL), SQLITE_OK);
}

static void test_edit_distance(void **state)
{
	(void)state;
	assert_int_equal(mn_edit_distance("migraton", "migration", 3), 1);
	assert_int_equal(mn_edit_distance("backprots", "backports", 3), 1);
	assert_int_equal(mn_edit_distance("Xen", "xen", 3), 0);
	assert_int_equal(mn_edit_distance("kitten", "sitting", 5), 3);
	assert_int_equal(mn_edit_distance("", "abc", 5), 3);
	/* Characters, not bytes. */
	assert_int_equal(mn_edit_distance("benn\xc3\xa9"
					  "e",
					  "bennee", 3),
			 1);
	/* Beyond the limit: anything above it. */
	assert_true(mn_edit_distance("kitten", "sitting", 1) > 1);
	assert_true(mn_edit_distance("a", "abcdef", 2) > 2);
}

/*
 * What a connection keeps between searches (the columns, each person's
 * passages) follows the index when another connection writes to it. Last:
 * it adds a meeting and takes it away again.
 */
static void test_reader_follows_writes(void **state)
{
	static const struct spec_doc extra = {
	    "f/2019-02-02-extra.md",
	    "Extra Call",
	    "Xen Community Call",
	    "2019-02-02",
	    {{"Jan Beulich", "SUSE", "JB"}},
	    {{3, U, "Jan", "Jan Beulich", "Release cadence", NULL, NULL,
	      "Backports again, and the cadence."},
	     {5, A, NULL, NULL, "Release cadence", "Jan Beulich", NULL,
	      "Jan to list the backports."}}};
	struct mn_err err = MN_ERR_INIT;
	struct mn_store *w = NULL;
	struct mn_doc *doc;
	int removed = 0;

	(void)state;
	finds("speaker:\"Jan Beulich\"", "A5,E3");
	finds("speaker:\"Jan Beulich\" backports", "A5,E3");
	finds("owner:\"Jan Beulich\"", "");
	assert_int_equal(mn_store_open(&w, db, MN_STORE_WRITE, NULL, &err), MN_OK);
	assert_int_equal(mn_store_begin(w, &err), MN_OK);
	doc = build(&extra);
	assert_int_equal(mn_store_add_doc(w, doc, NULL, NULL, &err), MN_OK);
	mn_doc_free(doc);
	assert_int_equal(mn_store_commit(w, &err), MN_OK);
	finds("speaker:\"Jan Beulich\"", "A5,E3,F3");
	finds("speaker:\"Jan Beulich\" backports", "A5,E3,F3");
	finds("owner:\"Jan Beulich\"", "F5");
	assert_int_equal(mn_store_begin(w, &err), MN_OK);
	assert_int_equal(mn_store_remove(w, extra.path, &removed, &err), MN_OK);
	assert_int_equal(removed, 1);
	assert_int_equal(mn_store_commit(w, &err), MN_OK);
	mn_store_close(w);
	finds("speaker:\"Jan Beulich\"", "A5,E3");
	finds("speaker:\"Jan Beulich\" backports", "A5,E3");
	finds("owner:\"Jan Beulich\"", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_speaker),
	    cmocka_unit_test(test_attendee),
	    cmocka_unit_test(test_topic_title_series_project),
	    cmocka_unit_test(test_org_kind_owner_path),
	    cmocka_unit_test(test_dates),
	    cmocka_unit_test(test_words_and_operators),
	    cmocka_unit_test(test_filters_only_newest_first),
	    cmocka_unit_test(test_ranking),
	    cmocka_unit_test(test_scores_descend),
	    cmocka_unit_test(test_ties_newest_first),
	    cmocka_unit_test(test_dates_read_for_ties),
	    cmocka_unit_test(test_highlights_point_at_matches),
	    cmocka_unit_test(test_facet_values),
	    cmocka_unit_test(test_facet_limits),
	    cmocka_unit_test(test_facets_on_two_threads),
	    cmocka_unit_test(test_topic_heads_across_runs),
	    cmocka_unit_test(test_topic_heads_are_contained_headings),
	    cmocka_unit_test(test_topic_heads_through_saved_filters),
	    cmocka_unit_test(test_topic_heads_with_two_writers),
	    cmocka_unit_test(test_topic_classes_and_schema_7),
	    cmocka_unit_test(test_facets_match_filtered_queries),
	    cmocka_unit_test(test_facets_through_search),
	    cmocka_unit_test(test_facet_names),
	    cmocka_unit_test(test_group_by_meeting),
	    cmocka_unit_test(test_group_paging),
	    cmocka_unit_test(test_did_you_mean),
	    cmocka_unit_test(test_terms_are_the_vocabulary),
	    cmocka_unit_test(test_edit_distance),
	    cmocka_unit_test(test_reader_follows_writes),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
