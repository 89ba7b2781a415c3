#include "mn_roster.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "mn_text.h"

/* Common short forms of given names; both sides folded. */
static const char *const nicknames[][2] = {
    {"andy", "andrew"},	   {"drew", "andrew"},	     {"bill", "william"},   {"will", "william"},
    {"bob", "robert"},	   {"rob", "robert"},	     {"bobby", "robert"},   {"mike", "michael"},
    {"mick", "michael"},   {"tom", "thomas"},	     {"matt", "matthew"},   {"dave", "david"},
    {"dan", "daniel"},	   {"danny", "daniel"},	     {"jim", "james"},	    {"jimmy", "james"},
    {"joe", "joseph"},	   {"chris", "christopher"}, {"nick", "nicholas"},  {"ben", "benjamin"},
    {"sam", "samuel"},	   {"alex", "alexander"},    {"alex", "alexandre"}, {"steve", "steven"},
    {"steve", "stephen"},  {"tony", "anthony"},	     {"ed", "edward"},	    {"greg", "gregory"},
    {"jeff", "jeffrey"},   {"ken", "kenneth"},	     {"larry", "lawrence"}, {"liz", "elizabeth"},
    {"kate", "katherine"}, {"pat", "patrick"},	     {"pete", "peter"},	    {"phil", "philip"},
    {"rich", "richard"},   {"rick", "richard"},	     {"ron", "ronald"},	    {"sue", "susan"},
    {"tim", "timothy"},	   {"vince", "vincent"},     {"zach", "zachary"},   {"niko", "nicholas"},
    {"josh", "joshua"},
};

void mn_roster_init(struct mn_roster *r, struct mn_arena *arena)
{
	memset(r, 0, sizeof(*r));
	r->arena = arena;
}

void mn_roster_release(struct mn_roster *r)
{
	size_t i;

	for (i = 0; i < r->npeople; i++) {
		free(r->people[i].aliases);
		free(r->people[i].alias_keys);
	}
	free(r->people);
	r->people = NULL;
	r->npeople = r->cap = 0;
}

/* The folded form of s in a small buffer; long names are cut. */
struct folded {
	char s[128];
	size_t n;
};

static void fold_into(struct folded *f, const char *s)
{
	char *t = mn_fold(s ? s : "");

	f->n = strlen(t);
	if (f->n >= sizeof(f->s))
		f->n = sizeof(f->s) - 1;
	memcpy(f->s, t, f->n);
	f->s[f->n] = '\0';
	free(t);
}

/* Length of the first word of a folded name. */
static size_t first_word(const struct folded *f)
{
	const char *sp = strchr(f->s, ' ');

	return sp ? (size_t)(sp - f->s) : f->n;
}

static int is_single_word(const struct folded *f)
{
	return f->n && !strchr(f->s, ' ');
}

static int same_word(const char *a, size_t la, const char *b, size_t lb)
{
	return la == lb && !memcmp(a, b, la);
}

static int nickname_of(const char *a, size_t la, const char *b, size_t lb)
{
	size_t i;

	for (i = 0; i < sizeof(nicknames) / sizeof(*nicknames); i++) {
		const char *x = nicknames[i][0], *y = nicknames[i][1];

		if ((same_word(a, la, x, strlen(x)) && same_word(b, lb, y, strlen(y))) ||
		    (same_word(a, la, y, strlen(y)) && same_word(b, lb, x, strlen(x))))
			return 1;
	}
	return 0;
}

/* Whether two given names may be spellings of one name ("Jon"/"John", "Illias"/"Ilias"). */
static int spelling_variant(const char *a, size_t la, const char *b, size_t lb)
{
	size_t d, shorter = la < lb ? la : lb;

	char x[32], y[32];

	if (shorter < 3 || la > 30 || lb > 30)
		return 0;
	memcpy(x, a, la);
	x[la] = '\0';
	memcpy(y, b, lb);
	y[lb] = '\0';
	d = mn_edit_distance(x, y, 2);
	if (d == 0)
		return 1;
	/* One letter for another only in longer names: "Jeremiah"/"Jerimiah", not "Mark"/"Mara". */
	if (d == 1)
		return a[0] == b[0] && (la != lb || shorter >= 5);
	return d == 2 && shorter >= 5 && a[0] == b[0] && a[1] == b[1];
}

static int orgs_compatible(const char *a, const char *b)
{
	struct folded fa, fb;

	if (!a || !b)
		return 1;
	fold_into(&fa, a);
	fold_into(&fb, b);
	return !strcmp(fa.s, fb.s);
}

static int orgs_equal(const char *a, const char *b)
{
	return a && b && orgs_compatible(a, b);
}

static const char *key_of(struct mn_roster *r, const char *s)
{
	char *f = mn_fold(s);
	const char *k = mn_arena_strdup(r->arena, f);

	free(f);
	return k;
}

/* The folded name of p as a struct folded (from the cached key). */
static void person_key(const struct mn_person *p, struct folded *f)
{
	f->n = strlen(p->key);
	if (f->n >= sizeof(f->s))
		f->n = sizeof(f->s) - 1;
	memcpy(f->s, p->key, f->n);
	f->s[f->n] = '\0';
}

void mn_roster_alias(struct mn_roster *r, struct mn_person *p, const char *alias)
{
	struct folded fa, f;
	size_t i;

	if (!alias || !*alias)
		return;
	fold_into(&fa, alias);
	person_key(p, &f);
	if (!strcmp(fa.s, f.s) && !strcmp(alias, p->name))
		return;
	for (i = 0; i < p->naliases; i++)
		if (!strcmp(p->aliases[i], alias))
			return;
	if (p->naliases + 1 > p->aliases_cap) {
		size_t cap = p->aliases_cap;

		MN_GROW(p->aliases, p->naliases + 1, p->aliases_cap);
		p->alias_keys = mn_xrealloc(p->alias_keys, p->aliases_cap * sizeof(*p->alias_keys));
		(void)cap;
	}
	p->aliases[p->naliases] = mn_arena_strdup(r->arena, alias);
	p->alias_keys[p->naliases] = mn_arena_strdup(r->arena, fa.s);
	p->naliases++;
}

void mn_roster_unalias(struct mn_person *p, const char *alias)
{
	size_t i;

	for (i = 0; i < p->naliases; i++)
		if (!strcmp(p->aliases[i], alias)) {
			memmove(p->aliases + i, p->aliases + i + 1,
				(p->naliases - i - 1) * sizeof(*p->aliases));
			memmove(p->alias_keys + i, p->alias_keys + i + 1,
				(p->naliases - i - 1) * sizeof(*p->alias_keys));
			p->naliases--;
			return;
		}
}

/* Makes full the canonical name of p, keeping the old name as an alias. */
static void upgrade(struct mn_roster *r, struct mn_person *p, const char *full)
{
	const char *old = p->name;

	p->name = mn_arena_strdup(r->arena, full);
	p->key = key_of(r, full);
	mn_roster_alias(r, p, old);
}

struct mn_person *mn_roster_find(const struct mn_roster *r, const char *name)
{
	struct folded fn;
	size_t i, k;

	fold_into(&fn, name);
	if (!fn.n)
		return NULL;
	for (i = 0; i < r->npeople; i++) {
		struct mn_person *p = &r->people[i];

		if (!strcmp(p->key, fn.s))
			return p;
		for (k = 0; k < p->naliases; k++)
			if (!strcmp(p->alias_keys[k], fn.s))
				return p;
	}
	return NULL;
}

/*
 * Whether the given name of the folded name f (of someone at org_f) is, or
 * may be, the single word w of someone at org_w.
 */
static int given_name_fits(const struct folded *f, const char *org_f, const char *w, size_t wn,
			   const char *org_w)
{
	size_t g = first_word(f);

	if (same_word(f->s, g, w, wn))
		return 1;
	if (!orgs_equal(org_f, org_w))
		return 0;
	return nickname_of(f->s, g, w, wn) || spelling_variant(f->s, g, w, wn);
}

/*
 * name as one spelling: runs of spaces, tabs and no-break spaces as one
 * space, none at the ends, and initials spaced ("J.S. Choi" is "J. S.
 * Choi", "Shane F.Carr" "Shane F. Carr"). NULL when name is that already.
 */
static char *respaced(const char *name)
{
	struct mn_buf b = MN_BUF_INIT;
	const char *p = name, *end = name + strlen(name);

	while (p < end) {
		if (*p == ' ' || *p == '\t' || mn_is_nbsp(p, (size_t)(end - p))) {
			p += *p == ' ' || *p == '\t' ? 1 : 2;
			if (b.len && b.data[b.len - 1] != ' ')
				mn_buf_addc(&b, ' ');
			continue;
		}
		mn_buf_addc(&b, *p);
		/* An initial ("J.") right before a capital ("S.", "Carr"). */
		if (*p == '.' && p > name && isupper((unsigned char)p[-1]) &&
		    (p - 1 == name || p[-2] == ' ' || p[-2] == '.') && p + 1 < end &&
		    isupper((unsigned char)p[1]))
			mn_buf_addc(&b, ' ');
		p++;
	}
	while (b.len && b.data[b.len - 1] == ' ')
		b.data[--b.len] = '\0';
	if (b.len == (size_t)(end - name) && !memcmp(b.data, name, b.len)) {
		mn_buf_release(&b);
		return NULL;
	}
	return mn_buf_detach(&b);
}

struct mn_person *mn_roster_add(struct mn_roster *r, const char *name, const char *org, int line,
				int listed)
{
	struct mn_person *p, *match = NULL;
	struct folded fn;
	size_t i, matches = 0;
	char *spaced = respaced(name);

	if (spaced) {
		name = mn_arena_strdup(r->arena, spaced);
		free(spaced);
	}
	fold_into(&fn, name);
	p = mn_roster_find(r, name);
	if (p) {
		if (!p->org && org)
			p->org = mn_arena_strdup(r->arena, org);
		if (listed && !p->listed)
			p->listed = listed;
		return p;
	}
	for (i = 0; fn.n && i < r->npeople; i++) {
		struct mn_person *q = &r->people[i];
		struct folded fq;

		/* People in one listing are different people. */
		if (listed && q->listed == listed)
			continue;
		if (!orgs_compatible(q->org, org))
			continue;
		person_key(q, &fq);
		if (is_single_word(&fn) && given_name_fits(&fq, q->org, fn.s, fn.n, org)) {
			match = q;
			matches++;
		} else if (is_single_word(&fq) && !is_single_word(&fn) &&
			   given_name_fits(&fn, org, fq.s, fq.n, q->org)) {
			match = q;
			matches++;
		}
	}
	if (matches == 1) {
		struct folded fm;

		person_key(match, &fm);
		if (is_single_word(&fm) && !is_single_word(&fn))
			upgrade(r, match, name);
		else
			mn_roster_alias(r, match, name);
		if (!match->org && org)
			match->org = mn_arena_strdup(r->arena, org);
		if (listed && !match->listed)
			match->listed = listed;
		return match;
	}
	MN_GROW(r->people, r->npeople + 1, r->cap);
	p = &r->people[r->npeople++];
	memset(p, 0, sizeof(*p));
	p->name = mn_arena_strdup(r->arena, name);
	p->key = key_of(r, name);
	p->org = org ? mn_arena_strdup(r->arena, org) : NULL;
	p->line = line;
	p->listed = listed;
	return p;
}

void mn_roster_offer_full_name(struct mn_roster *r, const char *full, const char *org)
{
	struct mn_person *match = NULL;
	struct folded ff;
	size_t i, matches = 0, g;

	fold_into(&ff, full);
	if (is_single_word(&ff) || !ff.n || mn_roster_find(r, full))
		return;
	g = first_word(&ff);
	for (i = 0; i < r->npeople; i++) {
		struct mn_person *p = &r->people[i];
		struct folded fp;

		person_key(p, &fp);
		if (!is_single_word(&fp) || !orgs_compatible(p->org, org))
			continue;
		if (same_word(fp.s, fp.n, ff.s, g) ||
		    (orgs_equal(p->org, org) && nickname_of(fp.s, fp.n, ff.s, g))) {
			match = p;
			matches++;
		}
	}
	/* A full name that fits several people, or someone listed apart, is left alone. */
	if (matches != 1)
		return;
	for (i = 0; i < r->npeople; i++) {
		struct mn_person *p = &r->people[i];
		struct folded fp;

		person_key(p, &fp);
		if (p != match && !is_single_word(&fp) && same_word(fp.s, first_word(&fp), ff.s, g))
			return;
	}
	upgrade(r, match, full);
	if (!match->org && org)
		match->org = mn_arena_strdup(r->arena, org);
}

/* Initials of a name: the first letter of each word, upper case. */
static void initials_of(const struct mn_person *p, char *out, size_t cap)
{
	struct folded f;
	size_t i, n = 0;

	person_key(p, &f);
	for (i = 0; i < f.n && n + 1 < cap; i++)
		if ((i == 0 || f.s[i - 1] == ' ') && isalpha((unsigned char)f.s[i]))
			out[n++] = (char)toupper((unsigned char)f.s[i]);
	out[n] = '\0';
}

static int initials_match(const struct mn_person *p, char *buf, size_t cap, const char *label)
{
	initials_of(p, buf, cap);
	return !strcmp(buf, label);
}

static int all_upper(const char *s)
{
	size_t n = 0;

	for (; *s; s++, n++)
		if (!isupper((unsigned char)*s))
			return 0;
	return n >= 2 && n <= 4;
}

/* "MattS": a given name and the initial of a surname. */
static int camel_initial(const char *label, size_t *given_len)
{
	size_t n = strlen(label), i;

	if (n < 3 || !isupper((unsigned char)label[0]) || !isupper((unsigned char)label[n - 1]))
		return 0;
	for (i = 1; i + 1 < n; i++)
		if (!islower((unsigned char)label[i]))
			return 0;
	*given_len = n - 1;
	return 1;
}

/* Whether the words of f written together are g ("kang kang" and "kangkang"). */
static int joined_equals(const struct folded *f, const struct folded *g)
{
	size_t i, n = 0;

	for (i = 0; i < f->n; i++) {
		if (f->s[i] == ' ')
			continue;
		if (n >= g->n || f->s[i] != g->s[n])
			return 0;
		n++;
	}
	return n == g->n;
}

/* Collects the people for which fits() holds; returns the one, or NULL when none or several. */
#define UNIQUE(cond)                                                                               \
	do {                                                                                       \
		struct mn_person *found = NULL;                                                    \
		size_t nfound = 0;                                                                 \
		for (i = 0; i < r->npeople; i++) {                                                 \
			struct mn_person *p = &r->people[i];                                       \
			person_key(p, &f);                                                         \
			if (cond) {                                                                \
				found = p;                                                         \
				nfound++;                                                          \
			}                                                                          \
		}                                                                                  \
		if (nfound == 1) {                                                                 \
			*how = level;                                                              \
			return found;                                                              \
		}                                                                                  \
		if (nfound > 1)                                                                    \
			return NULL;                                                               \
	} while (0)

struct mn_person *mn_roster_resolve(const struct mn_roster *r, const char *label,
				    enum mn_resolve *how_out)
{
	enum mn_resolve dummy, *how = how_out ? how_out : &dummy, level;
	struct folded fl, f;
	struct mn_person *exact;
	size_t i, given_len;
	char ini[8];

	*how = MN_RESOLVE_NONE;
	fold_into(&fl, label);
	if (!fl.n)
		return NULL;
	exact = mn_roster_find(r, label);
	if (exact) {
		*how = MN_RESOLVE_CERTAIN;
		return exact;
	}
	if (!is_single_word(&fl)) {
		/* "Tom Gall" for a listed "Tom": the given name, then nothing contradicting. */
		size_t g = first_word(&fl);

		level = MN_RESOLVE_LIKELY;
		UNIQUE(is_single_word(&f) && same_word(f.s, f.n, fl.s, g));
		return NULL;
	}

	level = MN_RESOLVE_CERTAIN;
	UNIQUE(same_word(f.s, first_word(&f), fl.s, fl.n));

	level = MN_RESOLVE_LIKELY;
	if (r->initials && all_upper(label)) {
		UNIQUE(initials_match(p, ini, sizeof(ini), label));
		return NULL;
	}
	if (camel_initial(label, &given_len)) {
		char initial = (char)tolower((unsigned char)label[given_len]);
		struct folded fg;

		memcpy(fg.s, fl.s, given_len);
		fg.n = given_len;
		UNIQUE(same_word(f.s, first_word(&f), fg.s, fg.n) && strchr(f.s, ' ') &&
		       strrchr(f.s, ' ')[1] == initial);
		return NULL;
	}
	/* "Kangkang" for "Kang Kang". */
	UNIQUE(!is_single_word(&f) && joined_equals(&f, &fl));
	UNIQUE(nickname_of(f.s, first_word(&f), fl.s, fl.n) ||
	       spelling_variant(f.s, first_word(&f), fl.s, fl.n));
	return NULL;
}

int mn_roster_is_org(const struct mn_roster *r, const char *s, size_t n)
{
	char *t = mn_xstrndup(s, n);
	struct folded fs, f;
	size_t i;
	int found = 0;

	fold_into(&fs, t);
	free(t);
	for (i = 0; fs.n && i < r->npeople && !found; i++) {
		if (!r->people[i].org)
			continue;
		fold_into(&f, r->people[i].org);
		found = !strcmp(f.s, fs.s);
	}
	return found;
}

int mn_roster_has_given_name(const struct mn_roster *r, const char *name)
{
	struct folded fn, f;
	size_t i;

	fold_into(&fn, name);
	if (!is_single_word(&fn))
		return 0;
	for (i = 0; i < r->npeople; i++) {
		person_key(&r->people[i], &f);
		if (same_word(f.s, first_word(&f), fn.s, fn.n))
			return 1;
	}
	return 0;
}

struct mn_person *mn_roster_resolve_exact(const struct mn_roster *r, const char *label)
{
	struct mn_person *p = mn_roster_find(r, label), *found = NULL;
	struct folded fl, f;
	size_t i, nfound = 0;

	if (p)
		return p;
	fold_into(&fl, label);
	if (!is_single_word(&fl))
		return NULL;
	for (i = 0; i < r->npeople; i++) {
		person_key(&r->people[i], &f);
		if (same_word(f.s, first_word(&f), fl.s, fl.n)) {
			found = &r->people[i];
			nfound++;
		}
	}
	return nfound == 1 ? found : NULL;
}

struct mn_person *mn_roster_resolve_handle(const struct mn_roster *r, const char *label)
{
	struct mn_person *found = NULL;
	struct folded fl, f;
	size_t i, nfound = 0;
	const char *c;

	for (c = label; *c; c++)
		if (!islower((unsigned char)*c))
			return NULL;
	fold_into(&fl, label);
	if (fl.n < 5)
		return NULL;
	for (i = 0; i < r->npeople; i++) {
		size_t g;

		person_key(&r->people[i], &f);
		g = first_word(&f);
		/* "nikomatsakis" for "Niko Matsakis"; "joshtriplett" for a listed "Josh". */
		if ((!is_single_word(&f) && joined_equals(&f, &fl)) ||
		    (g >= 3 && fl.n >= g + 2 && !memcmp(fl.s, f.s, g))) {
			found = &r->people[i];
			nfound++;
		}
	}
	return nfound == 1 ? found : NULL;
}
