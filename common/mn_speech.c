#include "mn_speech.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mn_text.h"

/* Captions that look like "Name:" but introduce a field, not a speaker. */
static const char *const captions[] = {
    /* Sorted (C locale) for bsearch. */
    "a",
    "absent",
    "action",
    "action item",
    "action items",
    "actions",
    "advantage",
    "advantages",
    "agenda",
    "agreed",
    "ai",
    "also",
    "alternative",
    "alternatives",
    "analogy",
    "and",
    "answer",
    "anyway",
    "apologies",
    "are",
    "argument",
    "arguments",
    "assumption",
    "attachment",
    "attendees",
    "audience",
    "author",
    "background",
    "basically",
    "bikeshed",
    "blocked",
    "blockers",
    "but",
    "cc",
    "chair",
    "claim",
    "closed",
    "companies",
    "con",
    "concern",
    "concerns",
    "conclusion",
    "cons",
    "consensus",
    "consequence",
    "context",
    "cost",
    "date",
    "deadline",
    "decision",
    "decisions",
    "description",
    "difference",
    "disadvantage",
    "disadvantages",
    "discussion",
    "documentation",
    "done",
    "drawback",
    "drawbacks",
    "edit",
    "eg",
    "everyone",
    "example",
    "facilitator",
    "for",
    "from",
    "fyi",
    "github issue",
    "goal",
    "goals",
    "guests",
    "how",
    "idea",
    "ideas",
    "ie",
    "if",
    "impact",
    "important",
    "in",
    "in progress",
    "input",
    "interested",
    "is",
    "issue",
    "issues",
    "it",
    "liaison",
    "link",
    "links",
    "location",
    "meeting date",
    "minutes",
    "motivation",
    "name",
    "nb",
    "next",
    "next steps",
    "no",
    "note",
    "note taker",
    "notes",
    "notetaker",
    "observation",
    "observations",
    "observers",
    "ok",
    "okay",
    "open",
    "opt in",
    "opt out",
    "option",
    "options",
    "or",
    "others",
    "outcome",
    "output",
    "owner",
    "owners",
    "participants",
    "plan",
    "point",
    "possible",
    "pr",
    "present",
    "presenter",
    "presenters",
    "priority",
    "pro",
    "problem",
    "proposal",
    "proposed",
    "pros",
    "ps",
    "q",
    "question",
    "questions",
    "rationale",
    "re",
    "reason",
    "recommendation",
    "recording",
    "reference",
    "references",
    "regrets",
    "reminder",
    "reminders",
    "repo",
    "resolution",
    "resolved",
    "result",
    "results",
    "reviewer",
    "reviewers",
    "rfc",
    "risk",
    "risks",
    "room",
    "scribe",
    "see",
    "slides",
    "so",
    "solution",
    "someone",
    "source",
    "speaker",
    "spec",
    "stakeholder",
    "stakeholders",
    "status",
    "step",
    "subject",
    "summary",
    "takeaway",
    "takeaways",
    "task",
    "tasks",
    "team members",
    "the",
    "time",
    "timeline",
    "tip",
    "tl dr",
    "tldr",
    "to",
    "todo",
    "topic",
    "topics",
    "tradeoff",
    "tradeoffs",
    "unidentified",
    "unknown",
    "unresolved",
    "update",
    "updates",
    "various",
    "video",
    "warning",
    "we",
    "what",
    "when",
    "where",
    "who",
    "why",
    "yes",
};

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int mn_label_is_caption(const char *s, size_t n)
{
	const char *key;
	char f[32];
	size_t i, k = 0;
	int space = 0;

	/* ASCII folding is enough: every caption is plain English. */
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (isalnum(c)) {
			if (space && k)
				f[k++] = ' ';
			space = 0;
			if (k + 2 >= sizeof(f))
				return 0;
			f[k++] = (char)tolower(c);
		} else if (c >= 0x80) {
			return 0;
		} else {
			space = 1;
		}
	}
	f[k] = '\0';
	key = f;
	return bsearch(&key, captions, sizeof(captions) / sizeof(*captions), sizeof(*captions),
		       compare_strings) != NULL;
}

static int space_at(const char *s, size_t n, size_t i)
{
	return i < n && (s[i] == ' ' || s[i] == '\t' || mn_is_nbsp(s + i, n - i));
}

static int name_byte(const char *s, size_t n, size_t i)
{
	unsigned char c = (unsigned char)s[i];

	if (mn_is_nbsp(s + i, n - i))
		return 0;
	/* Curly quotes and dashes are not part of names. */
	if (c == 0xe2)
		return i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
		       (unsigned char)s[i + 2] == 0x99; /* ’ as in O’Brien */
	if (c >= 0x80)
		return 1;
	return isalpha(c) || c == '.' || c == '\'' || c == '-';
}

static size_t utf8_len_at(const char *s, size_t n, size_t i)
{
	size_t l = mn_utf8_seqlen((unsigned char)s[i]);

	return i + l <= n ? l : 1;
}

/* Capital letter (ASCII, or a non-ASCII letter which we cannot case-check cheaply). */
static int capital_at(const char *s, size_t n, size_t i)
{
	unsigned char c = (unsigned char)s[i];

	if (i >= n)
		return 0;
	if (c < 0x80)
		return isupper(c);
	return c >= 0xc3 && c != 0xe2 && !mn_is_nbsp(s + i, n - i);
}

static const char *const bare_followers[] = {
    "we",    "i",      "it",	"that", "this", "do",	 "does",   "are",    "is",   "can",
    "could", "should", "would", "yes",	"no",	"agree", "agrees", "thinks", "asks",
};

static int bare_follower(const char *s, size_t n)
{
	size_t i, len = 0;

	while (len < n && isalpha((unsigned char)s[len]))
		len++;
	if (!len || (len < n && isalnum((unsigned char)s[len])))
		return 0;
	for (i = 0; i < sizeof(bare_followers) / sizeof(*bare_followers); i++)
		if (mn_strneq_ci(s, len, bare_followers[i]))
			return 1;
	return 0;
}

static int has_digit(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (isdigit((unsigned char)s[i]))
			return 1;
	return 0;
}

/*
 * Whether s[0..n), what follows "Name, ", reads as that person's words: it
 * starts with a word in lower case, a digit or "I", not with another name,
 * initials or "and" ("Rick, Dave will", "MF, RGN to review", "Michael, and
 * Joyee"), which make the name one of a list.
 */
static int comma_follower(const char *s, size_t n)
{
	static const char *const joins[] = {"and", "or", "nor", "et"};
	size_t i = mn_skip_spaces(s, n, 0), len = 0, k;

	while (i + len < n && isalpha((unsigned char)s[i + len]))
		len++;
	if (i < n && isdigit((unsigned char)s[i]))
		return 1;
	if (!len)
		return 0;
	if (isupper((unsigned char)s[i]))
		return len == 1 && s[i] == 'I';
	for (k = 0; k < sizeof(joins) / sizeof(*joins); k++)
		if (mn_strneq_ci(s + i, len, joins[k]))
			return 0;
	return 1;
}

int mn_label_at(const char *s, size_t n, int dash, int bare, struct mn_label *out)
{
	size_t i = 0, start, end, words = 0;
	int lower = 0;

	while (i < n && (s[i] == '*' || s[i] == '_'))
		i++;
	if (i < n && s[i] == '[') {
		const char *close = memchr(s + i, ']', n - i < 40 ? n - i : 40);
		size_t k;

		if (!close || close == s + i + 1)
			return 0;
		for (k = i + 1; s + k < close; k++)
			if (!isalnum((unsigned char)s[k]) && s[k] != '_' && s[k] != '-')
				return 0;
		k = (size_t)(close - s) + 1;
		if (!space_at(s, n, k))
			return 0;
		out->start = i + 1;
		out->end = (size_t)(close - s);
		out->after = mn_skip_spaces(s, n, k);
		out->sep = '[';
		return out->after < n;
	}
	start = i;
	if (i < n && islower((unsigned char)s[i]))
		lower = 1;
	else if (!capital_at(s, n, i))
		return 0;
	for (;;) {
		while (i < n && name_byte(s, n, i))
			i += utf8_len_at(s, n, i);
		if (lower)
			while (i < n &&
			       (isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '-'))
				i++;
		words++;
		if (words > 4 || lower)
			break;
		if (i + 1 < n && s[i] == '/' && capital_at(s, n, i + 1)) {
			i++;
			continue;
		}
		if (i + 1 < n && s[i] == ' ' && capital_at(s, n, i + 1) && words < 3) {
			i++;
			continue;
		}
		break;
	}
	end = i;
	while (end > start && (s[end - 1] == '.' || s[end - 1] == '-' || s[end - 1] == '\''))
		end--;
	if (end == start || end - start > 48 || has_digit(s + start, end - start))
		return 0;
	if (words > 3 && !memchr(s + start, '/', end - start))
		return 0;
	i = mn_skip_spaces(s, n, i);
	while (i < n && (s[i] == '*' || s[i] == '_'))
		i++;
	if (i < n && s[i] == ':') {
		i++;
		while (i < n && (s[i] == '*' || s[i] == '_'))
			i++;
		if (i < n && !space_at(s, n, i))
			return 0;
		out->sep = ':';
	} else if (dash && !lower && i < n && (s[i] == '-' || !strncmp(s + i, "\xe2\x80\x93", 3)) &&
		   space_at(s, n, i + (s[i] == '-' ? 1 : 3)) && i > end) {
		i += s[i] == '-' ? 1 : 3;
		out->sep = '-';
	} else if (bare && !lower && words == 1 && i == end + 1 && bare_follower(s + i, n - i)) {
		out->sep = 0;
	} else if (bare && !lower && words == 1 && i == end && i + 1 < n && s[i] == ',' &&
		   space_at(s, n, i + 1) && comma_follower(s + i + 1, n - i - 1)) {
		i++;
		out->sep = ',';
	} else {
		return 0;
	}
	if (lower && (out->sep != ':' || end - start < 3))
		return 0;
	if (mn_label_is_caption(s + start, end - start))
		return 0;
	/* "Note IS:", "RFC PR:": a caption word opening a longer label. */
	{
		const char *sp = memchr(s + start, ' ', end - start);

		if (sp && mn_label_is_caption(s + start, (size_t)(sp - (s + start))))
			return 0;
	}
	out->start = start;
	out->end = end;
	out->after = mn_skip_spaces(s, n, i);
	return 1;
}

/* Whether every name of "A/B" resolves. */
static int names_all(const char *s, size_t n, mn_resolver resolve, void *ctx)
{
	size_t i, b = 0;

	for (i = 0; i <= n; i++) {
		if (i == n || s[i] == '/') {
			if (i == b || !resolve(ctx, s + b, i - b))
				return 0;
			b = i + 1;
		}
	}
	return 1;
}

int mn_label_inline(const char *s, size_t n, size_t from, mn_resolver resolve, void *ctx,
		    struct mn_label *out)
{
	size_t i;

	for (i = from + 1; i + 2 < n; i++) {
		size_t q;
		char prev;

		int brk;

		if (!space_at(s, n, i))
			continue;
		prev = s[i - 1];
		brk = prev == '.' || prev == '?' || prev == '!' || prev == ',' || prev == ';' ||
		      prev == ')';
		/* "e.g. Name" is no sentence break. */
		if (prev == '.' && i >= 3 && s[i - 3] == '.')
			brk = 0;
		q = mn_skip_spaces(s, n, i);
		if (!capital_at(s, n, q))
			continue;
		if (mn_label_at(s + q, n - q, brk, 0, out) && out->sep != '[' &&
		    (brk || out->sep == ':')) {
			if (names_all(s + q + out->start, out->end - out->start, resolve, ctx)) {
				out->start += q;
				out->end += q;
				out->after += q;
				return 1;
			}
		}
	}
	return 0;
}

/* ---- words --------------------------------------------------------------- */

struct word {
	size_t start, end;
};

/* Splits s into words of letters, digits, apostrophes and hyphens; returns the count. */
static size_t split_words(const char *s, size_t n, struct word *w, size_t max)
{
	size_t i = 0, k = 0;

	while (i < n && k < max) {
		size_t b;

		while (i < n && !(isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80))
			i++;
		if (mn_is_nbsp(s + i, n - i) || (i < n && (unsigned char)s[i] == 0xe2 &&
						 !(i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
						   (unsigned char)s[i + 2] == 0x99))) {
			i += utf8_len_at(s, n, i);
			continue;
		}
		b = i;
		while (i < n &&
		       (isalnum((unsigned char)s[i]) || s[i] == '\'' || s[i] == '-' ||
			s[i] == '_' || ((unsigned char)s[i] >= 0x80 && name_byte(s, n, i))))
			i += (unsigned char)s[i] >= 0x80 ? utf8_len_at(s, n, i) : 1;
		if (i > b) {
			w[k].start = b;
			w[k].end = i;
			k++;
		} else {
			i++;
		}
	}
	return k;
}

static int word_is(const char *s, const struct word *w, const char *lit)
{
	return mn_strneq_ci(s + w->start, w->end - w->start, lit);
}

static int word_in(const char *s, const struct word *w, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (word_is(s, w, list[i]))
			return 1;
	return 0;
}

/* The text between two words: only spaces and commas (and at most one comma). */
static int joined_by_comma(const char *s, const struct word *a, const struct word *b)
{
	size_t i, commas = 0;

	for (i = a->end; i < b->start; i++) {
		if (s[i] == ',')
			commas++;
		else if (s[i] != ' ')
			return 0;
	}
	return commas == 1;
}

/* Only white space (or emphasis, "**Ben** to") between two words. */
static int joined_by_space(const char *s, const struct word *a, const struct word *b)
{
	size_t i, spaces = 0;

	for (i = a->end; i < b->start; i++) {
		if (s[i] == ' ' || (unsigned char)s[i] == 0xc2 || (unsigned char)s[i] == 0xa0)
			spaces++;
		else if (s[i] != '*' && s[i] != '_')
			return 0;
	}
	return spaces > 0;
}

#define NAMES_MAX 8

/*
 * Reads the names that end just before word k ("Jon", "Randy and Jon",
 * "Leonardo, Jon, and Kangkang"), resolving each. Returns how many, filling
 * names[] in text order, or 0 when word k-1 is not a name.
 */
static size_t names_before(const char *s, const struct word *w, size_t k, mn_resolver resolve,
			   void *ctx, const char **names, size_t *first)
{
	const char *rev[NAMES_MAX];
	size_t count = 0, j = k, i;

	*first = k;
	if (j == 0)
		return 0;
	j--;
	for (;;) {
		const char *name;

		name = resolve(ctx, s + w[j].start, w[j].end - w[j].start);
		if (!name || count == NAMES_MAX)
			break;
		rev[count++] = name;
		*first = j;
		if (j == 0)
			break;
		if (word_is(s, &w[j - 1], "and") && joined_by_space(s, &w[j - 1], &w[j]) &&
		    j >= 2) {
			j -= 2;
			continue;
		}
		if (joined_by_comma(s, &w[j - 1], &w[j])) {
			j -= 1;
			continue;
		}
		break;
	}
	for (i = 0; i < count; i++)
		names[i] = rev[count - 1 - i];
	return count;
}

/* ---- reported speech ----------------------------------------------------- */

static const char *const reporting_verbs[] = {
    /* Sorted (C locale) for bsearch. */
    "acknowledged", "added",	  "adds",	 "agreed",     "agreeing",    "agrees",
    "announced",    "announces",  "answered",	 "argued",     "argues",      "asked",
    "asking",	    "asks",	  "believes",	 "cautioned",  "claimed",     "clarified",
    "commented",    "confirmed",  "countered",	 "debated",    "described",   "discussed",
    "discusses",    "emphasised", "emphasized",	 "explained",  "explaining",  "explains",
    "expressed",    "expressing", "feels",	 "felt",       "highlighted", "indicated",
    "insisted",	    "introduced", "mentioned",	 "mentioning", "mentions",    "noted",
    "noting",	    "objected",	  "offered",	 "outlined",   "pointed",     "points",
    "presented",    "proposed",	  "proposes",	 "proposing",  "provided",    "questioned",
    "raised",	    "raises",	  "recommended", "recommends", "replied",     "reported",
    "requested",    "responded",  "said",	 "says",       "shared",      "shares",
    "stated",	    "stressed",	  "suggested",	 "suggesting", "suggests",    "summarised",
    "summarized",   "talked",	  "thinks",	 "thought",    "updated",     "volunteered",
    "warned",	    "wondered",
};

/* Whether s[0..n) is one of the reporting verbs (any case). */
static int reporting_verb(const char *s, size_t n)
{
	char word[24];
	const char *key = word;
	size_t i;

	if (n < 4 || n >= sizeof(word))
		return 0;
	for (i = 0; i < n; i++)
		word[i] = (char)tolower((unsigned char)s[i]);
	word[n] = '\0';
	return bsearch(&key, reporting_verbs, sizeof(reporting_verbs) / sizeof(*reporting_verbs),
		       sizeof(*reporting_verbs), compare_strings) != NULL;
}

static const char *const adverbs[] = {"also",  "then",	"further",  "briefly",
				      "again", "later", "strongly", "initially"};

size_t mn_speech_reported(const char *s, size_t n, mn_resolver resolve, void *ctx,
			  void (*found)(void *ctx, const char *name))
{
	struct word w[512];
	size_t nw = split_words(s, n, w, 512), k, clauses = 0;

	for (k = 1; k < nw; k++) {
		const char *names[NAMES_MAX];
		size_t subject = k, count, i, first;

		if (!reporting_verb(s + w[k].start, w[k].end - w[k].start))
			continue;
		while (subject > 1 &&
		       word_in(s, &w[subject - 1], adverbs, sizeof(adverbs) / sizeof(*adverbs)))
			subject--;
		if (!joined_by_space(s, &w[subject - 1], &w[subject]))
			continue;
		count = names_before(s, w, subject, resolve, ctx, names, &first);
		if (!count)
			continue;
		clauses++;
		for (i = 0; i < count; i++)
			found(ctx, names[i]);
	}
	return clauses;
}

/* ---- actions ------------------------------------------------------------- */

static const char *const action_prefixes[] = {
    "action item:", "action items:", "action:", "actions:", "ai:", "todo:", "to do:", "#action"};

static size_t action_prefix(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(action_prefixes) / sizeof(*action_prefixes); i++) {
		size_t len = strlen(action_prefixes[i]);

		if (n >= len && !strncasecmp(s, action_prefixes[i], len))
			return len;
	}
	return 0;
}

static const char *const not_verbs[] = {"the",	"a",   "an",  "this", "that", "these", "those",
					"them", "him", "her", "us",   "me",   "our",   "their",
					"his",	"its", "my",  "your", "be"};

/* Whether word k is "will" or "to" introducing a verb ("will share", "to send"). */
static int commitment_at(const char *s, const struct word *w, size_t nw, size_t k)
{
	if (k + 1 >= nw || !joined_by_space(s, &w[k - 1], &w[k]))
		return 0;
	if (!word_is(s, &w[k], "will") && !word_is(s, &w[k], "to") && !word_is(s, &w[k], "shall"))
		return 0;
	if (!islower((unsigned char)s[w[k + 1].start]))
		return 0;
	return !word_in(s, &w[k + 1], not_verbs, sizeof(not_verbs) / sizeof(*not_verbs));
}

static const char *const prepositions[] = {"to",  "with", "from", "for",   "by",   "of", "than",
					   "ask", "tell", "told", "asked", "like", "if"};

/* A group owner: "Socionext landing team to ...": capitalised words ending in "team". */
static int group_before(const char *s, const struct word *w, size_t k, size_t *first)
{
	size_t j;

	if (k < 2 || !word_is(s, &w[k - 1], "team"))
		return 0;
	for (j = k - 1; j-- > 0 && k - 1 - j <= 3;) {
		if (!joined_by_space(s, &w[j], &w[j + 1]))
			return 0;
		if (capital_at(s, w[j].end, w[j].start)) {
			*first = j;
			return 1;
		}
	}
	return 0;
}

/* Whether the first sentence of s is a question ("will it always be secure?"). */
static int first_sentence_asks(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '?')
			return 1;
		if (s[i] == '.' || s[i] == '!' || s[i] == '\n')
			return 0;
	}
	return 0;
}

/*
 * Owners written before word k that the resolver does not know: "Niko and
 * Josh" are two (capitalised single words joined by "and" or commas),
 * "Attendees" or "Socionext landing team" one group as written.
 */
static void owner_group(const char *s, const struct word *w, size_t k, void *ctx,
			void (*owner)(void *ctx, const char *name))
{
	size_t j;
	int names = 1;

	for (j = 0; j < k; j++) {
		if (word_is(s, &w[j], "and"))
			continue;
		if (!capital_at(s, w[j].end, w[j].start) ||
		    (j + 1 < k && !word_is(s, &w[j + 1], "and") &&
		     !joined_by_comma(s, &w[j], &w[j + 1])))
			names = 0;
	}
	if (names && k > 1) {
		for (j = 0; j < k; j++) {
			if (!word_is(s, &w[j], "and")) {
				char *name = mn_xstrndup(s + w[j].start, w[j].end - w[j].start);

				owner(ctx, name);
				free(name);
			}
		}
		return;
	}
	{
		char *group = mn_xstrndup(s + w[0].start, w[k - 1].end - w[0].start);

		owner(ctx, group);
		free(group);
	}
}

int mn_speech_action(const char *s, size_t n, const char *speaker, int in_list, mn_resolver resolve,
		     void *ctx, void (*owner)(void *ctx, const char *name))
{
	struct word w[512];
	size_t i = 0, nw, k, p;
	int action = 0;

	while (i < n && (s[i] == '*' || s[i] == '_' || s[i] == ' '))
		i++;
	if (i + 3 < n && s[i] == '[' && s[i + 2] == ']')
		i = mn_skip_spaces(s, n, i + 3);
	p = action_prefix(s + i, n - i);
	if (p) {
		action = 1;
		i = mn_skip_spaces(s, n, i + p);
		while (i < n && (s[i] == '*' || s[i] == '_'))
			i++;
	}
	s += i;
	n -= i;
	nw = split_words(s, n, w, 512);
	if (speaker && nw && (word_is(s, &w[0], "will") || word_is(s, &w[0], "to")) &&
	    w[0].start == 0 && nw > 1 && islower((unsigned char)s[w[1].start]) &&
	    !first_sentence_asks(s, n)) {
		owner(ctx, speaker);
		return 1;
	}
	if (in_list && nw) {
		/* "Attendees to come prepared", "Leonardo to update": a leading name or group. */
		for (k = 1; k < nw && k <= 4; k++) {
			const char *names[NAMES_MAX];
			size_t count, j, first;

			if (!commitment_at(s, w, nw, k) && s[w[k - 1].end] != ':')
				continue;
			/* "Reminder: ...", "Note: ...": a caption, not an owner. */
			if (s[w[k - 1].end] == ':' &&
			    mn_label_is_caption(s + w[0].start, w[k - 1].end - w[0].start))
				break;
			count = names_before(s, w, k, resolve, ctx, names, &first);
			if (count && first == 0) {
				for (j = 0; j < count; j++)
					owner(ctx, names[j]);
			} else if (capital_at(s, n, w[0].start)) {
				owner_group(s, w, k, ctx, owner);
			}
			break;
		}
		return 1;
	}
	for (k = 1; k < nw; k++) {
		const char *names[NAMES_MAX];
		size_t count, j, first;

		if (!commitment_at(s, w, nw, k))
			continue;
		count = names_before(s, w, k, resolve, ctx, names, &first);
		if (count) {
			/* "talk to Lars to ..." is not Lars's commitment. */
			if (first > 0 && word_in(s, &w[first - 1], prepositions,
						 sizeof(prepositions) / sizeof(*prepositions)))
				continue;
			for (j = 0; j < count; j++)
				owner(ctx, names[j]);
			action = 1;
		} else if (word_is(s, &w[k], "to") && group_before(s, w, k, &first)) {
			char *group =
			    mn_xstrndup(s + w[first].start, w[k - 1].end - w[first].start);

			owner(ctx, group);
			free(group);
			action = 1;
		}
	}
	return action;
}

/* ---- decisions ----------------------------------------------------------- */

static const char *const decision_starts[] = {
    "agreed",
    "we agreed",
    "the team agreed",
    "the group agreed",
    "the committee agreed",
    "everyone agreed",
    "all agreed",
    "it was agreed",
    "consensus",
    "decision:",
    "decided",
    "we decided",
    "the team decided",
    "it was decided",
    "resolved:",
    "resolution:",
    "#agreed",
    "conclusion:",
    "the meeting agreed",
    "the tsc agreed",
};

int mn_speech_decision(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t k, j = i;

		while (j < n && (s[j] == ' ' || s[j] == '*' || s[j] == '_' || s[j] == '\n'))
			j++;
		for (k = 0; k < sizeof(decision_starts) / sizeof(*decision_starts); k++) {
			size_t len = strlen(decision_starts[k]);
			char next;

			if (n - j < len || strncasecmp(s + j, decision_starts[k], len))
				continue;
			next = j + len < n ? s[j + len] : ' ';
			if (isalnum((unsigned char)next))
				continue;
			/* Sentence-initial "Agreed" is capitalised; "agreed" mid-text is not. */
			if (k == 0 && !isupper((unsigned char)s[j]))
				continue;
			return 1;
		}
		/* Next sentence. */
		while (i < n && s[i] != '.' && s[i] != '!' && s[i] != '?' && s[i] != ';')
			i++;
		if (i < n)
			i++;
		if (i < n && s[i] != ' ' && s[i] != '\n')
			continue;
	}
	return 0;
}
