/*
 * minutes-bench-gen: writes a synthetic corpus of meeting minutes, as large
 * as asked, for benchmarks.
 *
 * Everything comes from one seed through our own PRNG (splitmix64) and
 * integer arithmetic only, so the same arguments give byte-identical files
 * on any machine. The world (people, organisations, series, vocabulary) is
 * drawn from the seed; each meeting then from the seed and its number.
 *
 * The minutes take the shapes the parser reads (README "What the parser
 * finds"): plenary notes with an attendee table and "ABBR: text"
 * utterances, steering-committee notes with a Present list and agenda
 * bullets with discussion sub-bullets, triage notes with YAML front matter,
 * plain text with bullet lists, WebVTT captions, IRC MeetBot logs and
 * Confluence-like HTML. Words follow a Zipf-like law over word families
 * whose forms stem together (plus English function words), and a few marker
 * words have fixed frequencies (bench_words.h).
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bench_words.h"

/* Average passages the parser finds per meeting (checked by the tests). */
#define PASSAGES_PER_MEETING 66
#define GOAL_MEAN	     56

#define NPEOPLE	      360
#define NORGS	      40
#define NSERIES	      32
#define NGEN_FAMILIES 60000
#define ZIPF_OFFSET   30 /* p(rank r) ~ 1 / (r + ZIPF_OFFSET) */

static const char usage_text[] =
    "usage: minutes-bench-gen --meetings N [--seed S] --out DIR [--formats LIST]\n"
    "\n"
    "Write N synthetic meetings' minutes under DIR (which must be empty or\n"
    "absent) as DIR/<series>/<YYYY>/<YYYY-MM-DD>.<ext>. The parser finds about\n"
    "66 passages per meeting (about 11 KB), so 15000 meetings make about 1M\n"
    "passages (about 170 MB). The same arguments give the same bytes.\n"
    "\n"
    "Options:\n"
    "  -m, --meetings N    how many meetings (files) to write\n"
    "  -s, --seed S        seed of the pseudo-random generator (default 1)\n"
    "  -o, --out DIR       where to write them\n"
    "  -f, --formats LIST  formats to use, from md,txt,vtt,log,html (default:\n"
    "                      all: mostly Markdown, some of each other)\n"
    "  -q, --quiet         no summary line\n"
    "  -h, --help          show this help\n"
    "\n"
    "Marker words (in body passages): '" BENCH_COMMON_WORD "' 1 in 10, '" BENCH_MEDIUM_WORD
    "' 1 in 100,\n"
    "'" BENCH_PHRASE "' 1 in 1000, '" BENCH_RARE_WORD "' 1 in 10000.\n";

/* --- the pseudo-random generator ------------------------------------------ */

struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static struct rng rng_for(uint64_t seed, uint64_t stream)
{
	struct rng r = {seed * 0x2545f4914f6cdd1dULL + stream};

	rng_next(&r);
	return r;
}

/* A number in [0, n), n > 0. */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* A number in [lo, hi]. */
static int rng_range(struct rng *r, int lo, int hi)
{
	return lo + (int)rng_below(r, (uint32_t)(hi - lo + 1));
}

/* True one time in n. */
static int rng_one_in(struct rng *r, uint32_t n)
{
	return rng_below(r, n) == 0;
}

/* True with probability percent / 100. */
static int rng_pct(struct rng *r, uint32_t percent)
{
	return rng_below(r, 100) < percent;
}

/*
 * A Zipf-like distribution over n ranks: weight (2^32 / (rank + offset)),
 * cumulated in integers so that sampling is exact everywhere.
 */
struct zipf {
	uint64_t *cum;
	uint32_t n;
};

static void zipf_init(struct zipf *z, uint32_t n, uint32_t offset)
{
	uint64_t total = 0;
	uint32_t i;

	z->cum = malloc(n * sizeof(*z->cum));
	if (!z->cum) {
		fputs("minutes-bench-gen: out of memory\n", stderr);
		exit(2);
	}
	z->n = n;
	for (i = 0; i < n; i++) {
		total += (1ULL << 32) / (i + 1 + offset);
		z->cum[i] = total;
	}
}

static uint32_t zipf_draw(const struct zipf *z, struct rng *r)
{
	uint64_t total = z->cum[z->n - 1];
	uint64_t x = rng_next(r) % total;
	uint32_t lo = 0, hi = z->n - 1;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (z->cum[mid] > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* --- output buffer ----------------------------------------------------------- */

struct out {
	char *data;
	size_t len, cap;
};

static void out_add(struct out *o, const char *s, size_t n)
{
	if (o->len + n + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 1 << 16;

		while (cap < o->len + n + 1)
			cap *= 2;
		o->data = realloc(o->data, cap);
		if (!o->data) {
			fputs("minutes-bench-gen: out of memory\n", stderr);
			exit(2);
		}
		o->cap = cap;
	}
	memcpy(o->data + o->len, s, n);
	o->len += n;
	o->data[o->len] = '\0';
}

static void out_s(struct out *o, const char *s)
{
	out_add(o, s, strlen(s));
}

static void out_f(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out_f(struct out *o, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	out_add(o, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

/* --- names and words ----------------------------------------------------------- */

static const char *const given_names[] = {
    "Ada",    "Alan",  "Amir",	 "Anna",   "Arjun", "Beatriz", "Ben",	  "Bianca", "Carlos",
    "Chen",   "Chloe", "Daniel", "Dara",   "David", "Elena",   "Emeka",	  "Erik",   "Fatima",
    "Felix",  "Grace", "Hana",	 "Hugo",   "Ines",  "Ivan",    "Jamal",	  "Jana",   "Jonas",
    "Julia",  "Kai",   "Karin",	 "Kenji",  "Lara",  "Leo",     "Lina",	  "Luca",   "Maya",
    "Marco",  "Mei",   "Nadia",	 "Nikhil", "Nora",  "Omar",    "Olga",	  "Pablo",  "Priya",
    "Rafael", "Rosa",  "Ruth",	 "Sami",   "Sara",  "Sofia",   "Tariq",	  "Theo",   "Tomas",
    "Ursula", "Vera",  "Viktor", "Wen",	   "Yara",  "Yusuf",   "Zoe",	  "Hiro",   "Ingrid",
    "Mateo",  "Amara", "Lukas",	 "Noor",   "Oskar", "Paula",   "Quentin",
};

static const char *const family_names[] = {
    "Abara",	 "Almeida",  "Andersen",  "Bakker",    "Baptiste",  "Becker",	 "Bianchi",
    "Brennan",	 "Castillo", "Chowdhury", "Costa",     "Dalton",    "Dubois",	 "Eriksen",
    "Farouk",	 "Ferreira", "Fischer",	  "Garrido",   "Greene",    "Haddad",	 "Hansen",
    "Horvath",	 "Ibrahim",  "Ivanova",	  "Jensen",    "Kaplan",    "Kato",	 "Keller",
    "Kowalski",	 "Kumar",    "Larsen",	  "Lindqvist", "Lopes",	    "Mahler",	 "Marino",
    "Mendes",	 "Moreau",   "Murphy",	  "Nakamura",  "Nguyen",    "Novak",	 "Okafor",
    "Olsen",	 "Ortega",   "Park",	  "Patel",     "Petrov",    "Quinn",	 "Rahman",
    "Reyes",	 "Rossi",    "Sato",	  "Schmidt",   "Silva",	    "Singh",	 "Sorensen",
    "Tanaka",	 "Torres",   "Ueda",	  "Varga",     "Vasquez",   "Weber",	 "Wolff",
    "Yilmaz",	 "Zhang",    "Zielinski", "Achebe",    "Bergstrom", "Cardoso",	 "Demir",
    "Esposito",	 "Fontaine", "Gallagher", "Holm",      "Iqbal",	    "Jaramillo", "Kiriakou",
    "Lemaire",	 "Mwangi",   "Nilsson",	  "Oyelaran",  "Pereira",   "Rasmussen", "Salazar",
    "Takahashi", "Ulloa",    "Valente",	  "Whitfield", "Xu",	    "Yoshida",
};

/* Words series are named after. */
static const char *const project_words[] = {
    "Kestrel", "Basalt", "Heron",  "Juniper", "Quartz", "Marlin", "Cobalt", "Tern",
    "Aspen",   "Lumen",	 "Falcon", "Orchid",  "Cedar",	"Onyx",	  "Willow", "Granite",
    "Harbor",  "Comet",	 "Ember",  "Glacier", "Meadow", "Nimbus", "Pebble", "Raven",
    "Saffron", "Tundra", "Vesper", "Zephyr",  "Birch",	"Delta",  "Fjord",  "Lantern",
};

static const char *const org_suffixes[] = {
    "", " Labs", " Systems", " Inc", " Software", " Foundation", " Networks", " Group",
};

/*
 * Content words of meetings, as families of forms that stem together, the
 * first form the most used. Their ranks come first in the Zipf law, then
 * the generated families.
 */
static const char *const domain_families[] = {
    "proposal proposals",
    "think thinks thinking",
    "change changes changed changing",
    "test tests tested testing",
    "release releases released releasing",
    "issue issues",
    "team teams",
    "need needs needed needing",
    "work works worked working",
    "spec specs",
    "support supports supported supporting",
    "update updates updated updating",
    "point points pointed",
    "question questions questioned",
    "feature features",
    "discuss discussed discussing discussion discussions",
    "agree agreed agreement",
    "case cases",
    "plan plans planned planning",
    "build builds building",
    "meeting meetings",
    "user users",
    "problem problems",
    "implement implemented implementation implementations",
    "version versions",
    "concern concerns concerned",
    "document documents documented documentation",
    "design designs designed designing",
    "approach approaches",
    "option options optional",
    "consensus",
    "stage stages staged",
    "time times timing",
    "code",
    "api apis",
    "decide decided decision decisions",
    "suggest suggested suggestion suggestions",
    "next",
    "week weeks weekly",
    "comment comments commented",
    "example examples",
    "agenda",
    "performance",
    "security",
    "browser browsers",
    "module modules",
    "library libraries",
    "syntax",
    "behavior behaviors",
    "error errors",
    "type types typed",
    "function functions",
    "value values",
    "object objects",
    "string strings",
    "number numbers",
    "request requests requested",
    "repository repositories",
    "branch branches",
    "merge merged merging",
    "backport backports backported",
    "patch patches patched",
    "vote votes voted voting",
    "member members membership",
    "budget budgets",
    "schedule schedules scheduled",
    "deadline deadlines",
    "summary summaries",
    "slide slides",
    "present presented presentation",
    "champion champions",
    "editor editors",
    "window windows",
    "rollout rollouts",
    "migration migrations migrate migrated",
    "compatibility compatible",
    "memory",
    "compiler compilers",
    "runtime runtimes",
    "platform platforms",
    "benchmark benchmarks benchmarking",
    "regression regressions",
    "dependency dependencies",
    "package packages packaging",
    "install installed installing installation",
    "config configuration",
    "server servers",
    "client clients",
    "network networks networking",
    "storage",
    "cache caches cached caching",
    "thread threads threading",
    "process processes processed processing",
    "policy policies",
    "governance",
    "charter",
    "election elections elected",
    "survey surveys",
    "feedback",
    "volunteer volunteers volunteered",
    "mentor mentors mentoring",
    "onboard onboarding onboarded",
    "conference conferences",
    "workshop workshops",
    "announce announced announcement announcements",
    "draft drafts drafted",
    "publish published publishing",
    "approve approved approval",
    "block blocks blocked blocking",
    "clarify clarified clarification",
    "measure measured measurement measurements",
    "integrate integrated integration",
    "maintain maintained maintainer maintainers",
    "contribute contributed contributor contributors",
    "sponsor sponsors sponsored",
    "risk risks",
    "priority priorities",
    "milestone milestones",
    "roadmap roadmaps",
    "timeline timelines",
    "quarter quarters quarterly",
    "month months monthly",
    "deprecate deprecated deprecation",
    "experiment experiments experimental",
    "prototype prototypes",
    "tooling",
    "ecosystem",
    "infrastructure",
    "monitor monitoring monitored",
    "outage outages",
    "incident incidents",
    "firmware",
    "kernel kernels",
    "driver drivers",
    "hardware",
    NULL,
};

/* Repository-like names for node-style agenda groups. */
static const char *const repo_words[] = {
    "core", "docs", "website", "build", "admin", "security", "release", "tooling",
};

/* Section names for triage-style notes. */
static const char *const triage_sections[] = {
    "Pending proposals", "Nominated issues", "Design questions",
    "Project updates",	 "Open questions",   "Stabilization reports",
};

/* Headings of discussion that recur in every style. */
static const char *const topic_heads[] = {
    "Status of",  "Update on", "Discussion of",	 "Proposal for", "Next steps for",
    "Summary of", "Plan for",  "Question about", "Report on",	 "Overview of",
};

static const char *const reported_verbs[] = {
    "mentioned that", "suggested that", "said that",	    "noted that",
    "explained that", "proposed that",	"pointed out that",
};

static const char *const action_verbs[] = {
    "write up", "send",	 "prepare", "follow up on", "open an issue about",
    "update",	"draft", "check",   "schedule",	    "summarize",
};

static const char *const month_names[] = {
    "January", "February", "March",	"April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* --- a string set for unique names --------------------------------------- */

struct strset {
	char **slots;
	size_t cap, n;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

/* Adds s (copied) unless present; returns 1 when added. */
static int strset_add(struct strset *set, const char *s)
{
	size_t i;

	if ((set->n + 1) * 2 > set->cap) {
		struct strset grown = {NULL, set->cap ? set->cap * 2 : 1024, 0};

		grown.slots = calloc(grown.cap, sizeof(char *));
		if (!grown.slots)
			exit(2);
		for (i = 0; i < set->cap; i++) {
			if (set->slots[i]) {
				size_t j = hash_str(set->slots[i]) & (grown.cap - 1);

				while (grown.slots[j])
					j = (j + 1) & (grown.cap - 1);
				grown.slots[j] = set->slots[i];
				grown.n++;
			}
		}
		free(set->slots);
		*set = grown;
	}
	i = hash_str(s) & (set->cap - 1);
	while (set->slots[i]) {
		if (!strcmp(set->slots[i], s))
			return 0;
		i = (i + 1) & (set->cap - 1);
	}
	set->slots[i] = strdup(s);
	if (!set->slots[i])
		exit(2);
	set->n++;
	return 1;
}

static void strset_release(struct strset *set)
{
	size_t i;

	for (i = 0; i < set->cap; i++)
		free(set->slots[i]);
	free(set->slots);
	memset(set, 0, sizeof(*set));
}

/* --- the world ------------------------------------------------------------------ */

struct person {
	char name[48];	 /* "Ada Okafor" */
	char given[24];	 /* "Ada" */
	char abbr[8];	 /* "AOK" */
	char handle[80]; /* "aokafor" */
	int org;
};

enum style {
	STYLE_PLENARY, /* md: attendee table, "ABBR: text" */
	STYLE_TSC,     /* md: Present list with handles, agenda bullets */
	STYLE_TRIAGE,  /* md: YAML front matter, attendance, "### item" */
	STYLE_TEXT,    /* txt */
	STYLE_VTT,     /* vtt */
	STYLE_IRC,     /* log */
	STYLE_HTML,    /* html */
	STYLE_COUNT
};

static const char *const style_ext[STYLE_COUNT] = {"md", "md", "md", "txt", "vtt", "log", "html"};

struct series {
	char name[64]; /* "Kestrel Plenary" */
	char slug[64]; /* "kestrel-plenary" */
	enum style style;
	int wrap;    /* hard-wrap long lines */
	int *roster; /* people, most active first */
	int nroster;
	uint32_t weight;   /* share of the meetings */
	int32_t start_day; /* days since 1970-01-01 */
	int32_t cadence;   /* days between meetings */
	int count;	   /* meetings written so far */
};

struct family {
	const char *forms[6];
	int nforms;
};

struct world {
	char orgs[NORGS][48];
	char org_abbr[NORGS][8];
	struct person people[NPEOPLE];
	struct series series[NSERIES];
	int nseries;
	struct family *families;
	uint32_t nfamilies;
	struct zipf words;  /* over families */
	struct zipf fwords; /* over function words */
	uint32_t nfwords;
	char *word_store;     /* generated forms */
	char **domain_copies; /* split copies of domain_families */
	size_t ndomain;
};

static const char *const onsets[] = {
    "b", "c", "d",  "f",  "g",	"h",  "j",  "k",  "l",	"m",  "n",  "p",  "r",	"s",  "t",  "v",
    "w", "z", "br", "cr", "dr", "fl", "gr", "pl", "st", "tr", "sk", "sn", "ch", "th", "qu", "sh",
};
static const char *const vowels[] = {"a", "e", "i", "o", "u", "a", "o", "i"};
static const char *const codas[] = {"n", "r", "l", "t", "m", "k", "d", "p", "x", "nd", "rt", "lk"};

/*
 * Whether a generated stem ends like an English suffix the stemmer would
 * strip from the bare stem but not from its derived forms (or that
 * makes the forms collide with other words).
 */
static int bad_stem_end(const char *s)
{
	static const char *const ends[] = {
	    "al",  "er",  "ic",	 "ant", "ent", "ism", "at", "it", "ous", "iv", "iz", "ful", "ness",
	    "abl", "ibl", "anc", "enc", "ion", "ul",  "ot", "ar", "or",	 "ir", "ur", "ed"};
	size_t n = strlen(s), i;

	for (i = 0; i < COUNT(ends); i++) {
		size_t m = strlen(ends[i]);

		if (n >= m && !strcmp(s + n - m, ends[i]))
			return 1;
	}
	return 0;
}

static void build_vocabulary(struct world *w, struct rng *r)
{
	static const char *const suffixes[] = {"", "s", "ed", "ing", "ation", "ment"};
	struct strset seen = {NULL, 0, 0};
	size_t store_cap = (size_t)NGEN_FAMILIES * 6 * 16, store_len = 0;
	size_t i, ndomain = 0;
	uint32_t f = 0;

	while (domain_families[ndomain])
		ndomain++;
	w->nfamilies = (uint32_t)ndomain + NGEN_FAMILIES;
	w->families = calloc(w->nfamilies, sizeof(*w->families));
	w->word_store = malloc(store_cap);
	w->domain_copies = calloc(ndomain, sizeof(char *));
	w->ndomain = ndomain;
	if (!w->families || !w->word_store || !w->domain_copies)
		exit(2);
	for (i = 0; bench_function_words[i]; i++)
		strset_add(&seen, bench_function_words[i]);
	strset_add(&seen, BENCH_COMMON_WORD);
	strset_add(&seen, BENCH_MEDIUM_WORD);
	strset_add(&seen, BENCH_RARE_WORD);
	for (i = 0; i < ndomain; i++) {
		char *copy = strdup(domain_families[i]), *tok, *save = NULL;
		struct family *fam = &w->families[f++];

		w->domain_copies[i] = copy;
		for (tok = strtok_r(copy, " ", &save); tok && fam->nforms < 6;
		     tok = strtok_r(NULL, " ", &save)) {
			fam->forms[fam->nforms++] = tok;
			strset_add(&seen, tok);
		}
	}
	while (f < w->nfamilies) {
		char stem[32] = "";
		int syl = rng_pct(r, 70) ? 2 : 3, k;
		struct family *fam;

		for (k = 0; k < syl; k++) {
			strcat(stem, onsets[rng_below(r, COUNT(onsets))]);
			strcat(stem, vowels[rng_below(r, COUNT(vowels))]);
		}
		strcat(stem, codas[rng_below(r, COUNT(codas))]);
		if (bad_stem_end(stem) || !strset_add(&seen, stem))
			continue;
		fam = &w->families[f++];
		for (k = 0; k < (int)COUNT(suffixes); k++) {
			size_t n = strlen(stem) + strlen(suffixes[k]) + 1;

			memcpy(w->word_store + store_len, stem, strlen(stem));
			memcpy(w->word_store + store_len + strlen(stem), suffixes[k],
			       strlen(suffixes[k]) + 1);
			fam->forms[fam->nforms++] = w->word_store + store_len;
			store_len += n;
		}
	}
	strset_release(&seen);
	zipf_init(&w->words, w->nfamilies, ZIPF_OFFSET);
	for (w->nfwords = 0; bench_function_words[w->nfwords]; w->nfwords++)
		;
	zipf_init(&w->fwords, w->nfwords, 2);
}

/* A word made of syllables, capitalised: for organisations. */
static void made_up_name(struct rng *r, char *out, size_t size)
{
	int syl = rng_range(r, 2, 3), k;

	out[0] = '\0';
	for (k = 0; k < syl; k++) {
		strncat(out, onsets[rng_below(r, COUNT(onsets))], size - strlen(out) - 1);
		strncat(out, vowels[rng_below(r, COUNT(vowels))], size - strlen(out) - 1);
	}
	strncat(out, codas[rng_below(r, 9)], size - strlen(out) - 1);
	out[0] = (char)(out[0] - 'a' + 'A');
}

static void lower_copy(char *dst, const char *src, size_t size)
{
	size_t i;

	for (i = 0; src[i] && i + 1 < size; i++)
		dst[i] = (src[i] >= 'A' && src[i] <= 'Z') ? (char)(src[i] - 'A' + 'a') : src[i];
	dst[i] = '\0';
}

static void upper_char(char *dst, char c)
{
	dst[0] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
	dst[1] = '\0';
}

static void build_people(struct world *w, struct rng *r)
{
	struct strset names = {NULL, 0, 0}, labels = {NULL, 0, 0};
	int i;

	for (i = 0; i < NORGS; i++) {
		char base[32];

		do {
			made_up_name(r, base, sizeof(base));
			snprintf(w->orgs[i], sizeof(w->orgs[i]), "%s%s", base,
				 org_suffixes[rng_below(r, COUNT(org_suffixes))]);
		} while (!strset_add(&names, w->orgs[i]));
	}
	for (i = 0; i < NPEOPLE; i++) {
		struct person *p = &w->people[i];
		const char *given, *family;
		char c[2], tries[4][32];
		int t;

		do {
			given = given_names[rng_below(r, COUNT(given_names))];
			family = family_names[rng_below(r, COUNT(family_names))];
			snprintf(p->name, sizeof(p->name), "%s %s", given, family);
		} while (!strset_add(&names, p->name));
		snprintf(p->given, sizeof(p->given), "%s", given);
		/* Abbreviations as plenary notes make them: initials, then more letters. */
		upper_char(c, given[0]);
		snprintf(tries[0], sizeof(tries[0]), "%s%c", c, family[0]);
		snprintf(tries[1], sizeof(tries[1]), "%s%c%c", c, family[0], family[1] - 'a' + 'A');
		snprintf(tries[2], sizeof(tries[2]), "%c%c%c", given[0], given[1] - 'a' + 'A',
			 family[0]);
		for (t = 0; t < 3; t++)
			if (strset_add(&labels, tries[t]))
				break;
		if (t == 3) {
			do
				snprintf(tries[3], sizeof(tries[3]), "%s%c%c", c, family[0],
					 'A' + rng_below(r, 26));
			while (!strset_add(&labels, tries[3]));
			t = 3;
		}
		snprintf(p->abbr, sizeof(p->abbr), "%.7s", tries[t]);
		/* Handles: first letter and family name, else the given name and more. */
		lower_copy(tries[0], family, sizeof(tries[0]));
		snprintf(p->handle, sizeof(p->handle), "%c%s", given[0] - 'A' + 'a', tries[0]);
		if (!strset_add(&labels, p->handle)) {
			lower_copy(tries[1], given, sizeof(tries[1]));
			do
				snprintf(p->handle, sizeof(p->handle), "%s%s%u", tries[1], tries[0],
					 rng_below(r, 100));
			while (!strset_add(&labels, p->handle));
		}
		p->org = (int)rng_below(r, NORGS);
	}
	strset_release(&names);
	strset_release(&labels);
}

static const char *const style_groups[STYLE_COUNT][3] = {
    {"Plenary", "Steering Committee", "General Assembly"},
    {"TSC", "Build WG", "Release WG"},
    {"Lang Team Triage", "Compiler Triage", "Design Meeting"},
    {"Storage WG", "Steering Group", "Board"},
    {"Community Call", "Sync", "Office Hours"},
    {"Infra Weekly", "Ops Meeting", "Packaging Meeting"},
    {"Firmware Sync", "Platform Sync", "Toolchain Sync"},
};

/* Days since 1970-01-01 of a civil date, and back (Howard Hinnant's algorithms). */
static int32_t days_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int32_t z, int *y, int *m, int *d)
{
	int era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	*y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y += *m <= 2;
}

/*
 * Series: their styles follow the formats allowed (Markdown styles when md
 * is), their rosters draw on everybody with the active people more likely,
 * their cadence spreads the expected meetings from the start year to 2025.
 */
static void build_series(struct world *w, struct rng *r, const int *allowed, long meetings)
{
	/*
	 * The style of each series, the busiest first: Markdown for most of
	 * the meetings, a few series of each other format.
	 */
	static const enum style slots[NSERIES] = {
	    STYLE_PLENARY, STYLE_TSC,	  STYLE_TRIAGE, STYLE_PLENARY, STYLE_TSC,  STYLE_TRIAGE,
	    STYLE_TEXT,	   STYLE_PLENARY, STYLE_TSC,	STYLE_TRIAGE,  STYLE_VTT,  STYLE_PLENARY,
	    STYLE_TSC,	   STYLE_TRIAGE,  STYLE_IRC,	STYLE_PLENARY, STYLE_TSC,  STYLE_TRIAGE,
	    STYLE_HTML,	   STYLE_PLENARY, STYLE_TSC,	STYLE_TRIAGE,  STYLE_TEXT, STYLE_PLENARY,
	    STYLE_TSC,	   STYLE_TRIAGE,  STYLE_VTT,	STYLE_IRC,     STYLE_HTML, STYLE_PLENARY,
	    STYLE_TSC,	   STYLE_TRIAGE,
	};
	enum style styles[STYLE_COUNT];
	struct zipf pz;
	uint64_t wsum = 0;
	int i, nstyles = 0;

	for (i = 0; i < STYLE_COUNT; i++)
		if (allowed[i])
			styles[nstyles++] = (enum style)i;
	zipf_init(&pz, NPEOPLE, 20);
	w->nseries = NSERIES;
	for (i = 0; i < NSERIES; i++) {
		struct series *s = &w->series[i];
		const char *proj = project_words[i % COUNT(project_words)];
		struct strset in = {NULL, 0, 0};
		int k, start_year;
		char *c;

		s->style = allowed[slots[i]] ? slots[i] : styles[i % nstyles];
		snprintf(s->name, sizeof(s->name), "%s %s", proj,
			 style_groups[s->style][rng_below(r, 3)]);
		lower_copy(s->slug, s->name, sizeof(s->slug));
		for (c = s->slug; *c; c++)
			if (*c == ' ')
				*c = '-';
		s->wrap = s->style == STYLE_TEXT || (s->style == STYLE_PLENARY && rng_pct(r, 30));
		s->nroster = rng_range(r, 8, 40);
		s->roster = malloc((size_t)s->nroster * sizeof(int));
		if (!s->roster)
			exit(2);
		for (k = 0; k < s->nroster;) {
			char key[16];
			int p = (int)((zipf_draw(&pz, r) + (uint32_t)i * 37) % NPEOPLE);

			snprintf(key, sizeof(key), "%d", p);
			if (strset_add(&in, key))
				s->roster[k++] = p;
		}
		strset_release(&in);
		s->weight = 1000 / (uint32_t)(i + 4);
		wsum += s->weight;
		start_year = 2008 + (int)rng_below(r, 10);
		s->start_day =
		    days_from_civil(start_year, rng_range(r, 1, 12), rng_range(r, 1, 28));
	}
	for (i = 0; i < NSERIES; i++) {
		struct series *s = &w->series[i];
		int64_t expected = (int64_t)meetings * s->weight / (int64_t)wsum + 1;
		int32_t span = days_from_civil(2025, 12, 31) - s->start_day;

		s->cadence = (int32_t)(span / expected);
		if (s->cadence < 1)
			s->cadence = 1;
		if (s->cadence > 28)
			s->cadence = 28;
	}
	free(pz.cum);
}

static void world_init(struct world *w, uint64_t seed, const int *allowed, long meetings)
{
	struct rng r = rng_for(seed, 0);

	memset(w, 0, sizeof(*w));
	build_vocabulary(w, &r);
	build_people(w, &r);
	build_series(w, &r, allowed, meetings);
}

static void world_release(struct world *w)
{
	size_t i;

	for (i = 0; i < (size_t)w->nseries; i++)
		free(w->series[i].roster);
	for (i = 0; i < w->ndomain; i++)
		free(w->domain_copies[i]);
	free(w->domain_copies);
	free(w->families);
	free(w->word_store);
	free(w->words.cum);
	free(w->fwords.cum);
}

/* --- text ------------------------------------------------------------------------ */

/* One meeting being written. */
struct meeting {
	const struct world *w;
	const struct series *s;
	struct rng r;
	int *att; /* attendees (people), the chair first */
	int natt;
	struct zipf speak;
	int y, m, d; /* the date */
	long passages;
	struct out o;
};

static const char *content_word(struct meeting *mt)
{
	const struct family *f = &mt->w->families[zipf_draw(&mt->w->words, &mt->r)];
	/* The first forms are the most used. */
	static const uint32_t form_weight[6] = {40, 20, 12, 14, 8, 6};
	uint32_t sum = 0, x, acc = 0;
	int i;

	if (f->nforms <= 1)
		return f->forms[0];
	for (i = 0; i < f->nforms; i++)
		sum += form_weight[i];
	x = rng_below(&mt->r, sum);
	for (i = 0; i < f->nforms - 1; i++) {
		acc += form_weight[i];
		if (x < acc)
			break;
	}
	return f->forms[i];
}

static const char *marker_form(struct meeting *mt, const char *base)
{
	static char buf[32];
	static const char *const suffixes[] = {"", "s", "ed", "ing"};

	snprintf(buf, sizeof(buf), "%s%s", base, suffixes[rng_below(&mt->r, 4)]);
	return buf;
}

/*
 * Appends a sentence of ntok words: function and content words mixed,
 * the first capitalised, sometimes a comma, a number or an issue number.
 */
static void sentence(struct meeting *mt, struct out *o, int ntok)
{
	int i;

	for (i = 0; i < ntok; i++) {
		const char *wd;
		char cap[40];

		if (i)
			out_s(o, rng_one_in(&mt->r, 14) ? ", " : " ");
		if (i < ntok - 1 && rng_one_in(&mt->r, 60)) {
			out_f(o, rng_pct(&mt->r, 50) ? "#%u" : "%u",
			      rng_pct(&mt->r, 50) ? 100 + rng_below(&mt->r, 9000)
						  : 2 + rng_below(&mt->r, 30));
			continue;
		}
		wd = rng_pct(&mt->r, 45) ? bench_function_words[zipf_draw(&mt->w->fwords, &mt->r)]
					 : content_word(mt);
		if (i == 0 || !strcmp(wd, "i")) {
			snprintf(cap, sizeof(cap), "%s", wd);
			if (cap[0] >= 'a' && cap[0] <= 'z')
				cap[0] = (char)(cap[0] - 'a' + 'A');
			out_s(o, cap);
		} else {
			out_s(o, wd);
		}
	}
	out_s(o, rng_one_in(&mt->r, 8) ? "?" : ".");
}

/*
 * The text of a body passage: one to several sentences, with the marker
 * words put in at their rates. Returns it in a static buffer, valid until
 * the next call.
 */
static char *body_text(struct meeting *mt, int long_ok)
{
	static struct out t;
	int n = rng_pct(&mt->r, 40)   ? 1
		: rng_pct(&mt->r, 55) ? 2
				      : rng_range(&mt->r, 3, long_ok ? 7 : 4);
	int i;

	t.len = 0;
	out_add(&t, "", 0);
	for (i = 0; i < n; i++) {
		if (i)
			out_s(&t, " ");
		sentence(mt, &t, rng_range(&mt->r, 6, 21));
	}
	/* The markers, in sentences of function words only, so that no other word follows them. */
	if (rng_one_in(&mt->r, BENCH_COMMON_PER)) {
		static const char *const forms[] = {" We should review it.", " It was reviewed.",
						    " We are reviewing it.", " Who reviews it?"};

		out_s(&t, forms[rng_below(&mt->r, 4)]);
	}
	if (rng_one_in(&mt->r, BENCH_MEDIUM_PER)) {
		out_s(&t, " It is ");
		out_s(&t, marker_form(mt, BENCH_MEDIUM_WORD));
		out_s(&t, " now.");
	}
	if (rng_one_in(&mt->r, BENCH_PHRASE_PER))
		out_s(&t, " The " BENCH_PHRASE " is over.");
	if (rng_one_in(&mt->r, BENCH_RARE_PER))
		out_s(&t, " It is the " BENCH_RARE_WORD " again.");
	return t.data;
}

/* Lowercases the first letter of s (unless it is a word of one letter), in place; returns s. */
static char *lower_first(char *s)
{
	if (s[0] >= 'A' && s[0] <= 'Z' && s[1] != ' ' && s[1] != '.')
		s[0] = (char)(s[0] - 'A' + 'a');
	return s;
}

/* A short title-like phrase: "Status of cache migration". */
static void title_phrase(struct meeting *mt, char *buf, size_t size)
{
	const char *a = content_word(mt), *b = content_word(mt);

	snprintf(buf, size, "%s %s %s", topic_heads[rng_below(&mt->r, COUNT(topic_heads))], a, b);
}

/* Capitalised words of a phrase: "Cache Migration". */
static void title_case(const char *a, const char *b, char *buf, size_t size)
{
	snprintf(buf, size, "%s %s", a, b);
	if (buf[0] >= 'a' && buf[0] <= 'z')
		buf[0] = (char)(buf[0] - 'a' + 'A');
	{
		char *sp = strchr(buf, ' ');

		if (sp && sp[1] >= 'a' && sp[1] <= 'z')
			sp[1] = (char)(sp[1] - 'a' + 'A');
	}
}

/*
 * Appends text after a first line prefix of first bytes, hard-wrapped at 76
 * columns when the series wraps, continuation lines starting with indent.
 */
static void wrapped(struct meeting *mt, struct out *o, const char *text, size_t first,
		    const char *indent)
{
	size_t col = first, lim = 76;
	const char *p = text;

	if (!mt->s->wrap) {
		out_s(o, text);
		return;
	}
	while (*p) {
		const char *sp = strchr(p, ' ');
		size_t n = sp ? (size_t)(sp - p) : strlen(p);

		if (col > first && col + 1 + n > lim) {
			out_s(o, "\n");
			out_s(o, indent);
			col = strlen(indent);
		} else if (p != text) {
			out_s(o, " ");
			col++;
		}
		out_add(o, p, n);
		col += n;
		p += n;
		while (*p == ' ')
			p++;
	}
}

static const struct person *speaker(struct meeting *mt)
{
	return &mt->w->people[mt->att[zipf_draw(&mt->speak, &mt->r)]];
}

static const struct person *attendee(struct meeting *mt, int i)
{
	return &mt->w->people[mt->att[i]];
}

static void action_text(struct meeting *mt, char *buf, size_t size)
{
	const char *a = content_word(mt), *b = content_word(mt);

	snprintf(buf, size, "%s the %s %s", action_verbs[rng_below(&mt->r, COUNT(action_verbs))], a,
		 b);
}

static void decision_text(struct meeting *mt, struct out *o)
{
	switch (rng_below(&mt->r, 3)) {
	case 0:
		out_s(o, "Agreed to ");
		break;
	case 1:
		out_s(o, "Decision: ");
		break;
	default:
		out_s(o, "The group agreed to ");
		break;
	}
	out_s(o, content_word(mt));
	out_s(o, " the ");
	out_s(o, content_word(mt));
	out_s(o, " ");
	out_s(o, content_word(mt));
	out_s(o, ".");
}

/* --- the styles ------------------------------------------------------------------- */

static void date_long(const struct meeting *mt, char *buf, size_t size)
{
	snprintf(buf, size, "%s %d, %d", month_names[mt->m - 1], mt->d, mt->y);
}

static void date_iso(const struct meeting *mt, char *buf, size_t size)
{
	snprintf(buf, size, "%04d-%02d-%02d", mt->y, mt->m, mt->d);
}

/*
 * Passages the meeting should reach, drawn around GOAL_MEAN (the writers
 * go past it to the end of a topic, so the parser finds about
 * PASSAGES_PER_MEETING).
 */
static long passage_goal(struct meeting *mt)
{
	return rng_range(&mt->r, GOAL_MEAN / 3, GOAL_MEAN * 5 / 3);
}

/* At least a dozen passages of discussion after the attendee list. */
static void discussion_goal(const struct meeting *mt, long *goal)
{
	if (*goal < mt->passages + 12)
		*goal = mt->passages + 12;
}

static void write_plenary(struct meeting *mt)
{
	struct out *o = &mt->o;
	char date[40], title[160];
	long goal = passage_goal(mt);
	int i, topic = 0;

	date_long(mt, date, sizeof(date));
	out_f(o, "# %s Meeting Notes\n-----\n\n", date);
	if (rng_pct(&mt->r, 70)) {
		out_s(o, "**Attendees:**\n\n| Name | Abbreviation | Organization |\n"
			 "| ---- | ---- | ---- |\n");
		for (i = 0; i < mt->natt; i++) {
			const struct person *p = attendee(mt, i);

			out_f(o, "| %s | %s | %s |\n", p->name, p->abbr, mt->w->orgs[p->org]);
		}
		mt->passages += mt->natt + 1; /* the rows and the header row */
	} else {
		out_s(o, "**Remote attendees:** ");
		for (i = 0; i < mt->natt; i++) {
			const struct person *p = attendee(mt, i);

			out_f(o, "%s%s (%s)", i ? ", " : "", p->name, p->abbr);
		}
		out_s(o, "\n");
		mt->passages += 1;
	}
	discussion_goal(mt, &goal);
	while (mt->passages < goal) {
		const struct person *pres = speaker(mt);
		int n = rng_range(&mt->r, 4, 16);

		title_phrase(mt, title, sizeof(title));
		out_f(o, "\n## %s\n\nPresenter: %s (%s)\n\n", title, pres->name, pres->abbr);
		mt->passages++;
		if (rng_pct(&mt->r, 50)) {
			out_f(o, "- [slides](https://slides.example.org/%s/%d-%d)\n\n", mt->s->slug,
			      mt->y, ++topic);
			mt->passages++;
		}
		for (i = 0; i < n; i++) {
			const struct person *p = i == 0 ? pres : speaker(mt);

			out_f(o, "%s: ", p->abbr);
			wrapped(mt, o, body_text(mt, 1), strlen(p->abbr) + 2, "");
			out_s(o, "\n\n");
			mt->passages++;
		}
		if (rng_pct(&mt->r, 60)) {
			out_s(o, "### Conclusion\n\n- ");
			decision_text(mt, o);
			out_s(o, "\n");
			mt->passages++;
			if (rng_pct(&mt->r, 50)) {
				char act[120];

				action_text(mt, act, sizeof(act));
				out_f(o, "- ACTION: %s to %s\n", speaker(mt)->name, act);
				mt->passages++;
			}
		}
	}
}

/* One to three action items, each a line of fmt with the owner's name (or handle) and the action.
 */
static void action_items(struct meeting *mt, const char *fmt, int by_handle)
{
	int i;

	for (i = rng_range(&mt->r, 1, 3); i > 0; i--) {
		const struct person *p;
		char act[120];

		action_text(mt, act, sizeof(act));
		p = speaker(mt);
		out_f(&mt->o, fmt, by_handle ? p->handle : p->given, act);
		mt->passages++;
	}
}

static void write_tsc(struct meeting *mt)
{
	struct out *o = &mt->o;
	char date[16], title[160];
	long goal = passage_goal(mt);
	int i;

	date_iso(mt, date, sizeof(date));
	out_f(o, "# %s Meeting %s\n\n## Links\n\n", mt->s->name, date);
	out_f(o, "* **Recording**: <https://video.example.org/watch?v=%s%u>\n", mt->s->slug,
	      rng_below(&mt->r, 1000000));
	out_f(o, "* **GitHub Issue**: <https://git.example.org/%s/issues/%u>\n\n## Present\n\n",
	      mt->s->slug, 100 + rng_below(&mt->r, 5000));
	mt->passages += 2;
	for (i = 0; i < mt->natt; i++) {
		const struct person *p = attendee(mt, i);

		out_f(o, "* %s @%s (%s)\n", p->name, p->handle,
		      i < 5 ? "TSC" : mt->w->orgs[p->org]);
	}
	mt->passages += mt->natt;
	out_s(o, "\n## Agenda\n\n### Announcements\n\n");
	out_f(o, "* %s\n", body_text(mt, 0));
	mt->passages++;
	discussion_goal(mt, &goal);
	while (mt->passages < goal) {
		int items = rng_range(&mt->r, 1, 4), k;

		out_f(o, "\n### %s/%s\n\n", mt->s->slug,
		      repo_words[rng_below(&mt->r, COUNT(repo_words))]);
		for (k = 0; k < items; k++) {
			int n = rng_range(&mt->r, 2, 7);
			unsigned num = 1000 + rng_below(&mt->r, 50000);

			title_phrase(mt, title, sizeof(title));
			out_f(o, "* %s [#%u](https://git.example.org/%s/pull/%u)\n", title, num,
			      mt->s->slug, num);
			mt->passages++;
			for (i = 0; i < n; i++) {
				const struct person *p = speaker(mt);
				uint32_t how = rng_below(&mt->r, 10);

				if (how < 4)
					out_f(o, "  * %s: %s\n", p->given, body_text(mt, 0));
				else if (how < 6)
					out_f(o, "  * %s: %s\n", p->handle, body_text(mt, 0));
				else if (how < 7)
					out_f(o, "  * %s %s %s\n", p->given,
					      reported_verbs[rng_below(&mt->r,
								       COUNT(reported_verbs))],
					      lower_first(body_text(mt, 0)));
				else if (how < 8) {
					out_s(o, "  * ");
					decision_text(mt, o);
					out_s(o, "\n");
				} else
					out_f(o, "  * %s\n", body_text(mt, 0));
				mt->passages++;
			}
		}
	}
	out_s(o, "\n## Action items\n\n");
	action_items(mt, "* %s to %s\n", 0);
}

static void write_triage(struct meeting *mt)
{
	struct out *o = &mt->o;
	char date[16], title[160];
	long goal = passage_goal(mt);
	int i, team = mt->natt * 2 / 3;

	date_iso(mt, date, sizeof(date));
	out_f(o, "---\ntitle: %s meeting %s\ntags: %s\n---\n\n# %s meeting agenda\n\n", mt->s->name,
	      date, mt->s->slug, mt->s->name);
	out_f(o, "* Meeting date: %s\n\n## Attendance\n\n* Team members: ", date);
	for (i = 0; i < team; i++)
		out_f(o, "%s%s", i ? ", " : "", attendee(mt, i)->handle);
	out_s(o, "\n* Others: ");
	for (i = team; i < mt->natt; i++)
		out_f(o, "%s%s", i > team ? ", " : "", attendee(mt, i)->handle);
	out_s(o, "\n");
	mt->passages += 3;
	discussion_goal(mt, &goal);
	while (mt->passages < goal) {
		int items = rng_range(&mt->r, 1, 3), k;

		out_f(o, "\n## %s\n", triage_sections[rng_below(&mt->r, COUNT(triage_sections))]);
		for (k = 0; k < items; k++) {
			int n = rng_range(&mt->r, 2, 8);

			title_phrase(mt, title, sizeof(title));
			out_f(o, "\n### \"%s\" %s#%u\n\n", title, mt->s->slug,
			      10 + rng_below(&mt->r, 900));
			for (i = 0; i < n; i++) {
				const struct person *p = speaker(mt);
				uint32_t how = rng_below(&mt->r, 10);

				if (how < 5)
					out_f(o, "* %s: %s\n", p->handle, body_text(mt, 0));
				else if (how < 7)
					out_f(o, "* [%s] %s\n", p->handle, body_text(mt, 0));
				else
					out_f(o, "* %s\n", body_text(mt, 0));
				mt->passages++;
			}
		}
	}
	out_s(o, "\n## Action items\n\n");
	action_items(mt, "* %s to %s\n", 1);
}

static void write_text(struct meeting *mt)
{
	struct out *o = &mt->o;
	char date[40], title[160];
	long goal = passage_goal(mt);
	int i;

	date_long(mt, date, sizeof(date));
	out_f(o, "%s Meeting Minutes\n\n%s\n\nAttendees\n\n", mt->s->name, date);
	mt->passages++;
	/* Attendees grouped by organisation: "Org: A, B". */
	for (i = 0; i < mt->natt;) {
		int org = attendee(mt, i)->org, k, first = 1;

		out_f(o, "  \xe2\x80\xa2 %s: ", mt->w->orgs[org]);
		for (k = i; k < mt->natt; k++) {
			if (attendee(mt, k)->org != org)
				continue;
			out_f(o, "%s%s", first ? "" : ", ", attendee(mt, k)->name);
			first = 0;
		}
		out_s(o, "\n\n");
		mt->passages++;
		/* The next attendee of an organisation not yet written. */
		for (i++; i < mt->natt; i++) {
			for (k = 0; k < i; k++)
				if (attendee(mt, k)->org == attendee(mt, i)->org)
					break;
			if (k == i)
				break;
		}
	}
	discussion_goal(mt, &goal);
	while (mt->passages < goal) {
		int n = rng_range(&mt->r, 3, 10);
		const char *a = content_word(mt), *b = content_word(mt);

		title_case(a, b, title, sizeof(title));
		out_f(o, "%s\n\n", title);
		for (i = 0; i < n; i++) {
			const struct person *p = speaker(mt);
			uint32_t how = rng_below(&mt->r, 10);

			out_s(o, "  \xe2\x80\xa2 ");
			if (how < 6) {
				out_f(o, "%s: ", p->given);
				wrapped(mt, o, body_text(mt, 0), 4 + strlen(p->given) + 2, "    ");
			} else if (how < 7) {
				char act[120];

				action_text(mt, act, sizeof(act));
				out_f(o, "ACTION: %s to %s", p->name, act);
			} else if (how < 8) {
				decision_text(mt, o);
			} else {
				wrapped(mt, o, body_text(mt, 0), 4, "    ");
			}
			out_s(o, "\n");
			mt->passages++;
		}
		out_s(o, "\n");
	}
}

static void vtt_time(struct out *o, long ms)
{
	out_f(o, "%02ld:%02ld:%02ld.%03ld", ms / 3600000, ms / 60000 % 60, ms / 1000 % 60,
	      ms % 1000);
}

static void write_vtt(struct meeting *mt)
{
	struct out *o = &mt->o;
	long goal = passage_goal(mt), t = 1000;
	const struct person *last = NULL;
	int cue = 1;

	out_s(o, "WEBVTT\n\n");
	while (mt->passages < goal) {
		const struct person *p = speaker(mt);
		int k, n = rng_range(&mt->r, 1, 3), voice = rng_pct(&mt->r, 30);

		if (p == last)
			continue;
		for (k = 0; k < n; k++) {
			long len = 1500 + (long)rng_below(&mt->r, 6000);

			out_f(o, "%d\n", cue++);
			vtt_time(o, t);
			out_s(o, " --> ");
			vtt_time(o, t + len);
			if (voice)
				out_f(o, "\n<v %s>%s</v>\n\n", p->name, body_text(mt, 0));
			else
				out_f(o, "\n%s: %s\n\n", p->name, body_text(mt, 0));
			t += len + 200;
		}
		mt->passages++;
		last = p;
	}
}

static void write_irc(struct meeting *mt)
{
	struct out *o = &mt->o;
	long goal = passage_goal(mt);
	int minute = 14 * 60 + (int)rng_below(&mt->r, 120);
	const struct person *chair = attendee(mt, 0);
	char title[160];

	out_f(o, "[%02d:%02d] <%s> #startmeeting %s\n", minute / 60 % 24, minute % 60,
	      chair->handle, mt->s->slug);
	while (mt->passages < goal) {
		int n = rng_range(&mt->r, 3, 12), i;

		title_phrase(mt, title, sizeof(title));
		out_f(o, "[%02d:%02d] <%s> #topic %s\n", minute / 60 % 24, minute % 60,
		      chair->handle, title);
		for (i = 0; i < n; i++) {
			const struct person *p = speaker(mt);
			uint32_t how = rng_below(&mt->r, 20);

			minute += rng_one_in(&mt->r, 3);
			out_f(o, "[%02d:%02d] ", minute / 60 % 24, minute % 60);
			if (how == 0) {
				out_f(o, "* %s %s\n", p->handle, "nods");
			} else if (how == 1) {
				char act[120];

				action_text(mt, act, sizeof(act));
				out_f(o, "<%s> #action %s to %s\n", chair->handle, p->handle, act);
			} else if (how == 2) {
				out_f(o, "<%s> #agreed %s\n", chair->handle, body_text(mt, 0));
			} else {
				out_f(o, "<%s> %s\n", p->handle, body_text(mt, 0));
			}
			mt->passages++;
		}
	}
	out_f(o, "[%02d:%02d] <%s> #endmeeting\n", minute / 60 % 24, minute % 60, chair->handle);
}

static void html_text(struct out *o, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<':
			out_s(o, "&lt;");
			break;
		case '>':
			out_s(o, "&gt;");
			break;
		case '&':
			out_s(o, "&amp;");
			break;
		default:
			out_add(o, s, 1);
		}
	}
}

static void write_html(struct meeting *mt)
{
	struct out *o = &mt->o;
	long goal = passage_goal(mt);
	char date[16], title[160];
	int i;

	date_iso(mt, date, sizeof(date));
	out_f(o,
	      "<!DOCTYPE html>\n<html>\n<head><title>%s %s Meeting notes</title></head>\n<body>\n",
	      date, mt->s->name);
	out_s(o, "<h2>Participants</h2>\n<ul>\n");
	for (i = 0; i < mt->natt; i++)
		out_f(o, "<li>%s</li>\n", attendee(mt, i)->name);
	mt->passages += mt->natt;
	out_s(o, "</ul>\n<h2>Discussion items</h2>\n<ul>\n");
	discussion_goal(mt, &goal);
	while (mt->passages < goal) {
		int n = rng_range(&mt->r, 2, 8);
		const char *a = content_word(mt), *b = content_word(mt);

		title_case(a, b, title, sizeof(title));
		out_f(o, "<li>%s\n<ul>\n", title);
		mt->passages++;
		for (i = 0; i < n; i++) {
			const struct person *p = speaker(mt);

			out_s(o, "<li>");
			if (rng_pct(&mt->r, 70)) {
				out_f(o, "%s: ", p->name);
				html_text(o, body_text(mt, 0));
			} else {
				html_text(o, body_text(mt, 0));
			}
			out_s(o, "</li>\n");
			mt->passages++;
		}
		out_s(o, "</ul>\n</li>\n");
	}
	out_s(o, "</ul>\n<h2>Action items</h2>\n<ul>\n");
	action_items(mt, "<li><strong>%s</strong> to %s</li>\n", 0);
	out_s(o, "</ul>\n</body>\n</html>\n");
}

/* --- files ------------------------------------------------------------------------ */

/* Creates every folder of path (up to its last slash). */
static int make_parents(char *path)
{
	char *p;

	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0777) && errno != EEXIST) {
			fprintf(stderr, "minutes-bench-gen: cannot create '%s': %s\n", path,
				strerror(errno));
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return 0;
}

static int dir_is_empty_or_absent(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int empty = 1;

	if (!d)
		return errno == ENOENT;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = 0;
	closedir(d);
	return empty;
}

/* Writes meeting number i; adds its bytes and passages to the totals. */
static int write_meeting(struct world *w, uint64_t seed, long i, const char *dir, uint64_t *bytes,
			 uint64_t *passages)
{
	struct meeting mt;
	struct series *s;
	uint64_t x, acc = 0, wsum = 0;
	char path[4096];
	FILE *f;
	int k, ok;

	memset(&mt, 0, sizeof(mt));
	mt.w = w;
	mt.r = rng_for(seed, (uint64_t)i + 1);
	for (k = 0; k < w->nseries; k++)
		wsum += w->series[k].weight;
	x = rng_next(&mt.r) % wsum;
	for (k = 0; k < w->nseries - 1; k++) {
		acc += w->series[k].weight;
		if (x < acc)
			break;
	}
	s = &w->series[k];
	mt.s = s;
	civil_from_days(s->start_day + s->cadence * s->count, &mt.y, &mt.m, &mt.d);
	s->count++;
	/* Attendees: most of the roster, in roster order (the chair first). */
	mt.att = malloc((size_t)s->nroster * sizeof(int));
	if (!mt.att)
		exit(2);
	for (k = 0; k < s->nroster; k++)
		if (k < 3 || rng_pct(&mt.r, 70))
			mt.att[mt.natt++] = s->roster[k];
	zipf_init(&mt.speak, (uint32_t)mt.natt, 1);
	switch (s->style) {
	case STYLE_PLENARY:
		write_plenary(&mt);
		break;
	case STYLE_TSC:
		write_tsc(&mt);
		break;
	case STYLE_TRIAGE:
		write_triage(&mt);
		break;
	case STYLE_TEXT:
		write_text(&mt);
		break;
	case STYLE_VTT:
		write_vtt(&mt);
		break;
	case STYLE_IRC:
		write_irc(&mt);
		break;
	default:
		write_html(&mt);
		break;
	}
	snprintf(path, sizeof(path), "%s/%s/%04d/%04d-%02d-%02d.%s", dir, s->slug, mt.y, mt.y, mt.m,
		 mt.d, style_ext[s->style]);
	ok = make_parents(path) == 0;
	if (ok) {
		f = fopen(path, "wb");
		if (!f || fwrite(mt.o.data, 1, mt.o.len, f) != mt.o.len || fclose(f)) {
			fprintf(stderr, "minutes-bench-gen: cannot write '%s': %s\n", path,
				strerror(errno));
			ok = 0;
		}
	}
	*bytes += mt.o.len;
	*passages += (uint64_t)mt.passages;
	free(mt.o.data);
	free(mt.att);
	free(mt.speak.cum);
	return ok ? 0 : -1;
}

/* Parses "md,txt,..." into allowed[STYLE_COUNT]. */
static int parse_formats(const char *list, int *allowed)
{
	char buf[256], *tok, *save = NULL;

	memset(allowed, 0, STYLE_COUNT * sizeof(int));
	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "md"))
			allowed[STYLE_PLENARY] = allowed[STYLE_TSC] = allowed[STYLE_TRIAGE] = 1;
		else if (!strcmp(tok, "txt"))
			allowed[STYLE_TEXT] = 1;
		else if (!strcmp(tok, "vtt"))
			allowed[STYLE_VTT] = 1;
		else if (!strcmp(tok, "log"))
			allowed[STYLE_IRC] = 1;
		else if (!strcmp(tok, "html"))
			allowed[STYLE_HTML] = 1;
		else {
			fprintf(stderr,
				"minutes-bench-gen: unknown format '%s' (use md, txt, vtt, "
				"log, html)\n",
				tok);
			return -1;
		}
	}
	for (tok = (char *)allowed; tok < (char *)(allowed + STYLE_COUNT); tok++)
		if (*tok)
			return 0;
	fputs("minutes-bench-gen: --formats names no format\n", stderr);
	return -1;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
	    {"meetings", required_argument, NULL, 'm'},
	    {"seed", required_argument, NULL, 's'},
	    {"out", required_argument, NULL, 'o'},
	    {"formats", required_argument, NULL, 'f'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct world w;
	int allowed[STYLE_COUNT];
	const char *dir = NULL, *formats = "md,txt,vtt,log,html";
	long meetings = -1, i;
	uint64_t seed = 1, bytes = 0, passages = 0;
	int c, quiet = 0, status = 0;
	char *end;

	while ((c = getopt_long(argc, argv, "m:s:o:f:qh", options, NULL)) != -1) {
		switch (c) {
		case 'm':
			meetings = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end || meetings < 0 || meetings > 100000000) {
				fprintf(stderr, "minutes-bench-gen: invalid --meetings '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 's':
			seed = strtoull(optarg, &end, 10);
			if (*optarg == '\0' || *end) {
				fprintf(stderr, "minutes-bench-gen: invalid --seed '%s'\n", optarg);
				return 2;
			}
			break;
		case 'o':
			dir = optarg;
			break;
		case 'f':
			formats = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		default:
			fputs("Try 'minutes-bench-gen --help' for more information.\n", stderr);
			return 2;
		}
	}
	if (meetings < 0 || !dir || optind < argc) {
		fputs("minutes-bench-gen: --meetings N and --out DIR are needed (and nothing "
		      "else)\nTry 'minutes-bench-gen --help' for more information.\n",
		      stderr);
		return 2;
	}
	if (parse_formats(formats, allowed))
		return 2;
	if (!dir_is_empty_or_absent(dir)) {
		fprintf(stderr,
			"minutes-bench-gen: '%s' is not empty (remove it, or choose another "
			"folder)\n",
			dir);
		return 2;
	}
	if (mkdir(dir, 0777) && errno != EEXIST) {
		fprintf(stderr, "minutes-bench-gen: cannot create '%s': %s\n", dir,
			strerror(errno));
		return 2;
	}
	world_init(&w, seed, allowed, meetings);
	for (i = 0; i < meetings && !status; i++)
		if (write_meeting(&w, seed, i, dir, &bytes, &passages))
			status = 2;
	world_release(&w);
	if (!quiet && !status)
		printf("minutes-bench-gen: %ld files, %llu bytes, about %llu passages in '%s'\n",
		       meetings, (unsigned long long)bytes, (unsigned long long)passages, dir);
	return status;
}
