/*
 * The minutes parser for plain text and Markdown. It works in passes over
 * the lines of a file:
 *
 *   1. scan every line (indent, list marker, heading marks, table, fence);
 *   2. front matter, title lines and the meeting's dates;
 *   3. headings: Markdown ones, or in plain text the stand-alone title-like
 *      lines that head a block, with their kind (section, session, heading)
 *      and nesting;
 *   4. attendee listings (under Attendees/Participants/Present..., tables,
 *      lists right after a session heading) into a roster of people, then
 *      full names seen elsewhere in the text;
 *   5. a walk that keeps the topic path (headings, discussion items,
 *      subtopics) and cuts passages: bullets, paragraphs, and each utterance
 *      of a line with several speakers, each classified as utterance,
 *      reported speech, action or decision.
 *
 * Other formats (transcripts, IRC logs, HTML) are read by their own front
 * ends in mn_parse_formats.c.
 */
#include "mn_parse.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mn_parse_int.h"
#include "mn_roster.h"
#include "mn_speech.h"
#include "mn_text.h"

#define MAX_DEPTH 16
#define MAX_ORGS  64

/* What a section heading announces. */
enum section {
	SEC_CONTENT = 0,
	SEC_ATTENDEES,
	SEC_ABSENT,
	SEC_ACTIONS,
	SEC_DECISIONS,
	SEC_DISCUSSION,
	SEC_AGENDA,
	SEC_ADMIN,
};

static const struct {
	const char *name;
	enum section section;
} section_names[] = {
    {"attendees", SEC_ATTENDEES},
    {"attendee", SEC_ATTENDEES},
    {"attendee list", SEC_ATTENDEES},
    {"attendees list", SEC_ATTENDEES},
    {"participants", SEC_ATTENDEES},
    {"participant", SEC_ATTENDEES},
    {"present", SEC_ATTENDEES},
    {"attendance", SEC_ATTENDEES},
    {"attending", SEC_ATTENDEES},
    {"in attendance", SEC_ATTENDEES},
    {"members present", SEC_ATTENDEES},
    {"people present", SEC_ATTENDEES},
    {"roll call", SEC_ATTENDEES},
    {"attendees present", SEC_ATTENDEES},
    {"remote and in person attendees", SEC_ATTENDEES},
    {"remote attendees", SEC_ATTENDEES},
    {"in person attendees", SEC_ATTENDEES},
    {"absent", SEC_ABSENT},
    {"regrets", SEC_ABSENT},
    {"apologies", SEC_ABSENT},
    {"not present", SEC_ABSENT},
    {"action items", SEC_ACTIONS},
    {"action item", SEC_ACTIONS},
    {"actions", SEC_ACTIONS},
    {"next steps", SEC_ACTIONS},
    {"next actions", SEC_ACTIONS},
    {"todo", SEC_ACTIONS},
    {"to do", SEC_ACTIONS},
    {"todos", SEC_ACTIONS},
    {"follow ups", SEC_ACTIONS},
    {"follow up items", SEC_ACTIONS},
    {"new action items", SEC_ACTIONS},
    {"decisions", SEC_DECISIONS},
    {"decision", SEC_DECISIONS},
    {"decisions made", SEC_DECISIONS},
    {"conclusion", SEC_DECISIONS},
    {"conclusions", SEC_DECISIONS},
    {"resolutions", SEC_DECISIONS},
    {"resolution", SEC_DECISIONS},
    {"outcome", SEC_DECISIONS},
    {"outcomes", SEC_DECISIONS},
    {"agreements", SEC_DECISIONS},
    {"conclusion resolution", SEC_DECISIONS},
    {"conclusions resolutions", SEC_DECISIONS},
    {"resolution conclusion", SEC_DECISIONS},
    {"discussion items", SEC_DISCUSSION},
    {"discussion topics", SEC_DISCUSSION},
    {"discussion", SEC_DISCUSSION},
    {"topics discussed", SEC_DISCUSSION},
    {"discussion notes", SEC_DISCUSSION},
    {"minutes", SEC_DISCUSSION},
    {"agenda", SEC_AGENDA},
    {"agenda items", SEC_AGENDA},
    {"date", SEC_ADMIN},
    {"time", SEC_ADMIN},
    {"goals", SEC_ADMIN},
    {"goal", SEC_ADMIN},
    {"summary", SEC_ADMIN},
    {"quick recap", SEC_ADMIN},
    {"recap", SEC_ADMIN},
    {"links", SEC_ADMIN},
    {"meeting roles", SEC_ADMIN},
    {"next meeting", SEC_ADMIN},
    {"location", SEC_ADMIN},
    {"logistics", SEC_ADMIN},
};

/* One heading the structure pass accepted. */
struct head {
	int rank; /* nesting: lower ranks enclose higher ones */
	enum mn_topic_kind kind;
	enum section section;
	const char *title;
	const char *date; /* a session's own date */
};

/* One open level of the topic path during the walk. */
struct frame {
	int line;
	const char *title;
	enum mn_topic_kind kind;
	int rank;    /* headings */
	long indent; /* bullets: the scope is lines indented deeper; -1 for headings */
	enum section section;
	const char *speaker; /* a bullet that is only a name: its replies are theirs */
	const char *label;
};

struct parser {
	struct mn_doc *doc;
	const char *path;
	const char *data;
	size_t len;
	struct mn_line *lines;
	size_t nlines;
	struct head *heads; /* per line, when heads[i].kind is set (heading lines only) */
	char *is_head;
	struct mn_roster roster;
	int nlistings;
	int have_list; /* an attendee list was found */
	const char *orgs[MAX_ORGS];
	size_t norgs;
	/*
	 * Capitals in parentheses after listed names ("Rob Palmer (RPR)"),
	 * kept until every listing is read: one written after two or more
	 * people is a role or a body ("(TSC)"), not anyone's abbreviation.
	 */
	struct paren_abbr {
		const char *abbr; /* in the document's arena */
		size_t person;	  /* index in roster.people */
	} * parens;
	size_t nparens, parens_cap;
	/* Front matter. */
	const char *fm_title, *fm_date, *fm_series;
	/* Title. */
	int title_line;	       /* index, or -1 */
	const char *list_name; /* "Xen" of "[Xen-devel]" */
	/* Speaker labels at the start of passages, counted before the walk. */
	struct label_count {
		const char *label;
		int n;
		int lower; /* -1 not yet known; else whether it is also used in lower case */
		int apart; /* -1 not yet known; else whether it is written other than as a label */
		int refs;  /* whether a passage it opens names an issue ("doc: add ... #123") */
	} * labels;
	size_t nlabels, labels_cap;
	/* Resolution cache: label -> canonical name, or NOT_A_PERSON. */
	struct mn_strmap cache;
	/* Label -> index in labels + 1. */
	struct mn_strmap label_index;
	/* The walk. */
	struct frame stack[MAX_DEPTH];
	size_t depth;
	const char *date; /* date of the current session */
	const char *meeting_date;
	long section_bullet_indent;
	/* Names collected for one passage (speakers, owners). */
	const char *names[16];
	size_t nnames;
};

/* ---- lines --------------------------------------------------------------- */

static size_t bullet_len(const char *s, size_t n)
{
	static const char *const glyphs[] = {"\xe2\x80\xa2",
					     "\xe2\x97\xa6",
					     "\xe2\x96\xaa",
					     "\xe2\x80\xa3",
					     "\xe2\x81\x83",
					     "\xc2\xb7",
					     "-",
					     "*",
					     "+"};
	size_t i, m = 0;

	for (i = 0; i < sizeof(glyphs) / sizeof(*glyphs); i++) {
		size_t g = strlen(glyphs[i]);

		if (n > g && !memcmp(s, glyphs[i], g)) {
			m = g;
			break;
		}
	}
	if (!m) {
		while (m < n && m < 3 && isdigit((unsigned char)s[m]))
			m++;
		if (m == 0 || m >= n || (s[m] != '.' && s[m] != ')'))
			return 0;
		m++;
	}
	if (m < n && (s[m] == ' ' || s[m] == '\t')) {
		while (m < n && (s[m] == ' ' || s[m] == '\t'))
			m++;
		/* Task list boxes belong to the marker. */
		if (m + 3 <= n && s[m] == '[' &&
		    (s[m + 1] == ' ' || s[m + 1] == 'x' || s[m + 1] == 'X') && s[m + 2] == ']')
			m += 3 + (m + 3 < n && s[m + 3] == ' ');
		return m;
	}
	if (mn_is_nbsp(s + m, n - m))
		return m + 2;
	return 0;
}

static int is_rule(const char *s, size_t n)
{
	size_t i, count = 0;
	char c = n ? s[0] : 0;

	if (c != '-' && c != '*' && c != '_' && c != '=')
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == c)
			count++;
		else if (s[i] != ' ')
			return 0;
	}
	return count >= 3;
}

static void scan_line(struct mn_line *l)
{
	size_t i = 0, col = 0, b;

	while (i < l->len) {
		if (l->s[i] == ' ') {
			col++;
			i++;
		} else if (l->s[i] == '\t') {
			col = (col / 4 + 1) * 4;
			i++;
		} else if (mn_is_nbsp(l->s + i, l->len - i)) {
			col++;
			i += 2;
		} else {
			break;
		}
	}
	l->indent = col;
	l->body = i;
	l->blank = (i == l->len);
	if (l->blank)
		return;
	if (!strncmp(l->s + i, "```", 3) || !strncmp(l->s + i, "~~~", 3)) {
		l->fence = 1;
		return;
	}
	if (is_rule(l->s + i, l->len - i)) {
		l->rule = 1;
		return;
	}
	if (l->s[i] == '|') {
		l->table = 1;
		return;
	}
	if (l->s[i] == '#' && l->indent < 4) {
		size_t h = 0;

		while (i + h < l->len && l->s[i + h] == '#')
			h++;
		if (h <= 6 && (i + h == l->len || l->s[i + h] == ' ' || l->s[i + h] == '\t')) {
			l->heading = (int)h;
			l->body = i + h;
			while (l->body < l->len && (l->s[l->body] == ' ' || l->s[l->body] == '\t'))
				l->body++;
			/* Closing hashes are decoration. */
			while (l->len > l->body &&
			       (l->s[l->len - 1] == '#' || l->s[l->len - 1] == ' '))
				l->len--;
			return;
		}
	}
	b = bullet_len(l->s + i, l->len - i);
	if (b) {
		l->bullet = 1;
		l->body = i + b;
	}
}

static void split_lines(struct parser *ps)
{
	size_t cap = 0, i = 0;
	int in_fence = 0;

	while (i < ps->len) {
		const char *nl = memchr(ps->data + i, '\n', ps->len - i);
		size_t end = nl ? (size_t)(nl - ps->data) : ps->len;
		struct mn_line *l;

		MN_GROW(ps->lines, ps->nlines + 1, cap);
		l = &ps->lines[ps->nlines++];
		memset(l, 0, sizeof(*l));
		l->s = ps->data + i;
		l->len = end - i;
		scan_line(l);
		if (l->fence) {
			in_fence = !in_fence;
			l->code = 1;
		} else if (in_fence) {
			int table = l->table;

			memset(l, 0, sizeof(*l));
			l->s = ps->data + i;
			l->len = end - i;
			l->code = 1;
			/* A table in a code block is still a table (of attendees, often). */
			l->table = table;
			l->blank = 1;
			{
				size_t k;

				for (k = 0; k < l->len; k++)
					if (l->s[k] != ' ' && l->s[k] != '\t')
						l->blank = 0;
			}
		}
		i = end + 1;
	}
}

/* The trimmed content of a line after its indent, list marker or heading marks. */
static void line_body(const struct mn_line *l, const char **s, size_t *n)
{
	*s = l->s + l->body;
	*n = l->len - l->body;
	mn_trim(s, n);
}

/* The content without surrounding emphasis ("**Attendees:**" gives "Attendees:"). */
static void strip_emphasis(const char **s, size_t *n)
{
	while (*n >= 2 && ((*s)[0] == '*' || (*s)[0] == '_') && (*s)[*n - 1] == (*s)[0]) {
		(*s)++;
		*n -= 2;
	}
	mn_trim(s, n);
}

static int next_nonblank(const struct parser *ps, size_t i)
{
	for (i++; i < ps->nlines; i++)
		if (!ps->lines[i].blank && !ps->lines[i].skip)
			return (int)i;
	return -1;
}

static char *arena_str(struct parser *ps, const char *s, size_t n)
{
	return mn_arena_strndup(&ps->doc->arena, s, n);
}

/* The ']' that closes the '[' at s[0] (brackets nest: "[#[non_exhaustive] ...]"), or NULL. */
static const char *link_text_end(const char *s, size_t n)
{
	size_t i, depth = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '[')
			depth++;
		else if (s[i] == ']' && --depth == 0)
			return s + i;
	}
	return NULL;
}

/*
 * The ')' that ends a link's target at s[0] ("(https://...)", "(a.png)",
 * "(#anchor)"), or NULL: one with a space, or without ':', '/', '.' or a
 * leading '#', is no link's ("[[ToString]](symbol)", spec notation).
 */
static const char *link_target_end(const char *s, size_t n)
{
	size_t i;
	int urlish;

	if (!n || s[0] != '(')
		return NULL;
	urlish = n > 1 && s[1] == '#';
	for (i = 1; i < n && s[i] != ')'; i++) {
		if (s[i] == ' ' || s[i] == '\t')
			return NULL;
		if (s[i] == ':' || s[i] == '/' || s[i] == '.')
			urlish = 1;
	}
	return i < n && i > 1 && urlish ? s + i : NULL;
}

/*
 * s[0..n) as a topic's title, in the parser's arena: a Markdown link or
 * image gives its text ("[**P-high issues**](https://...)" gives "P-high
 * issues", "Tier 2 [#63055](https://...)" gives "Tier 2 #63055").
 */
static char *plain_title(struct parser *ps, const char *s, size_t n)
{
	struct mn_buf b = MN_BUF_INIT;
	const char *text;
	char *out;
	size_t i = 0, tn;

	if (!memchr(s, '[', n))
		return arena_str(ps, s, n);
	while (i < n) {
		const char *open = s[i] == '!' && i + 1 < n && s[i + 1] == '[' ? s + i + 1
			 : s[i] == '['				       ? s + i
								       : NULL;
		const char *close = open ? link_text_end(open, (size_t)(s + n - open)) : NULL;
		const char *end = close ? link_target_end(close + 1, (size_t)(s + n - close - 1))
					: NULL;

		if (!end) {
			mn_buf_addc(&b, s[i++]);
			continue;
		}
		text = open + 1;
		tn = (size_t)(close - text);
		strip_emphasis(&text, &tn);
		mn_buf_add(&b, text, tn);
		i = (size_t)(end - s) + 1;
	}
	text = b.data ? b.data : "";
	tn = b.len;
	mn_trim(&text, &tn);
	/* Nothing but links without text: the heading as written. */
	out = tn ? arena_str(ps, text, tn) : arena_str(ps, s, n);
	mn_buf_release(&b);
	return out;
}

/* ---- front matter, title ------------------------------------------------- */

static void front_matter(struct parser *ps)
{
	size_t i;

	if (ps->nlines < 2 || ps->lines[0].len != 3 || memcmp(ps->lines[0].s, "---", 3))
		return;
	for (i = 1; i < ps->nlines; i++) {
		struct mn_line *l = &ps->lines[i];
		const char *colon, *v;
		size_t kn, vn;

		if ((l->len == 3 && !memcmp(l->s, "---", 3)) ||
		    (l->len == 3 && !memcmp(l->s, "...", 3)))
			break;
		colon = memchr(l->s, ':', l->len);
		if (!colon || l->indent)
			continue;
		kn = (size_t)(colon - l->s);
		v = colon + 1;
		vn = l->len - kn - 1;
		mn_trim(&v, &vn);
		if (vn >= 2 && (v[0] == '"' || v[0] == '\'') && v[vn - 1] == v[0]) {
			v++;
			vn -= 2;
		}
		if (!vn)
			continue;
		if (mn_strneq_ci(l->s, kn, "title"))
			ps->fm_title = arena_str(ps, v, vn);
		else if (mn_strneq_ci(l->s, kn, "date"))
			ps->fm_date = arena_str(ps, v, vn);
		else if (mn_strneq_ci(l->s, kn, "series") || mn_strneq_ci(l->s, kn, "group"))
			ps->fm_series = arena_str(ps, v, vn);
	}
	if (i >= ps->nlines)
		return;
	for (; (int)i >= 0; i--)
		ps->lines[i].skip = 1, ps->lines[i].blank = 1;
}

/* Generic headers that name no meeting. */
static int boilerplate_title(const char *s, size_t n)
{
	static const char *const generic[] = {"meeting summary",
					      "meeting summary ai generated",
					      "ai generated summary",
					      "summary",
					      "meeting notes",
					      "minutes",
					      "notes",
					      "agenda"};
	char *t = mn_xstrndup(s, n), *f = mn_fold(t);
	size_t i;
	int hit = 0;

	for (i = 0; i < sizeof(generic) / sizeof(*generic) && !hit; i++)
		hit = !strcmp(f, generic[i]);
	free(f);
	free(t);
	return hit;
}

/*
 * Removes "Re: [Xen-devel] " and the like; remembers the list's name when
 * the line is the title's (a "[link](...)" is no list's).
 */
static void strip_title(struct parser *ps, const char **s, size_t *n, int title)
{
	int changed = 1;

	while (changed) {
		changed = 0;
		mn_trim(s, n);
		if (*n >= 3 && (mn_strneq_ci(*s, 3, "re:") || mn_strneq_ci(*s, 3, "aw:"))) {
			*s += 3;
			*n -= 3;
			changed = 1;
		} else if (*n >= 4 &&
			   (mn_strneq_ci(*s, 4, "fwd:") || mn_strneq_ci(*s, 4, "fw: "))) {
			*s += *n >= 4 && (*s)[2] == ':' ? 3 : 4;
			*n -= (*s)[-1] == ':' ? 3 : 4;
			changed = 1;
		} else if (*n && **s == '[') {
			const char *close = memchr(*s, ']', *n);

			if (close && (size_t)(close - *s) + 1 < *n &&
			    !link_target_end(close + 1, *n - (size_t)(close - *s) - 1)) {
				const char *name = *s + 1;
				size_t nn = (size_t)(close - name);
				const char *dash = memchr(name, '-', nn);

				if (title && !ps->list_name && nn > 1)
					ps->list_name =
					    arena_str(ps, name, dash ? (size_t)(dash - name) : nn);
				*n -= (size_t)(close - *s) + 1;
				*s = close + 1;
				changed = 1;
			}
		}
	}
}

static void find_title(struct parser *ps)
{
	size_t i, seen = 0;

	ps->title_line = -1;
	if (ps->fm_title)
		ps->doc->title = ps->fm_title;
	for (i = 0; i < ps->nlines && seen < 12; i++) {
		struct mn_line *l = &ps->lines[i];
		const char *s;
		size_t n;

		if (l->blank || l->skip || l->rule || l->code)
			continue;
		seen++;
		line_body(l, &s, &n);
		strip_emphasis(&s, &n);
		/* Archive navigation such as "[Date Prev][Date Next]" names nothing. */
		if (n && s[0] == '[' && s[n - 1] == ']') {
			l->skip = 1;
			continue;
		}
		if (boilerplate_title(s, n)) {
			l->title = 1;
			continue;
		}
		/* A remark in brackets ("(doc to move after the meeting)") is not the title. */
		if (n > 1 && s[0] == '(' && s[n - 1] == ')' && !l->heading)
			continue;
		strip_title(ps, &s, &n, !l->bullet && !l->table);
		if (!n || l->bullet || l->table)
			break;
		if (!ps->doc->title)
			ps->doc->title = arena_str(ps, s, n);
		ps->title_line = (int)i;
		l->title = 1;
		break;
	}
	if (ps->title_line < 0)
		return;
	/*
	 * Copies of the title, and a first-level Markdown heading right after a
	 * title taken from another line, are title lines too, never topics.
	 */
	for (i = (size_t)ps->title_line + 1; i < ps->nlines && i < (size_t)ps->title_line + 12;
	     i++) {
		struct mn_line *l = &ps->lines[i];
		const char *s;
		size_t n;

		if (l->blank)
			continue;
		line_body(l, &s, &n);
		strip_emphasis(&s, &n);
		strip_title(ps, &s, &n, 0);
		if (n == strlen(ps->doc->title) && !memcmp(s, ps->doc->title, n)) {
			l->title = 1;
			continue;
		}
		if (l->heading == 1 && !ps->lines[ps->title_line].heading) {
			l->title = 1;
			break;
		}
		if (l->heading)
			break;
	}
}

/* ---- headings ------------------------------------------------------------ */

static enum section section_of(const char *s, size_t n)
{
	char *t, *f;
	size_t i;
	enum section sec = SEC_CONTENT;

	strip_emphasis(&s, &n);
	while (n && (s[n - 1] == ':' || s[n - 1] == ' '))
		n--;
	strip_emphasis(&s, &n);
	t = mn_xstrndup(s, n);
	f = mn_fold(t);
	for (i = 0; i < sizeof(section_names) / sizeof(*section_names); i++)
		if (!strcmp(f, section_names[i].name)) {
			sec = section_names[i].section;
			break;
		}
	free(f);
	free(t);
	return sec;
}

static int session_title(const char *s, size_t n)
{
	size_t i = 0;

	strip_emphasis(&s, &n);
	if (n < 9 || strncasecmp(s, "session", 7))
		return 0;
	i = 7;
	while (i < n && (s[i] == ' ' || s[i] == '#'))
		i++;
	return i < n && isdigit((unsigned char)s[i]);
}

/* A full date on the line: it is a date line, or a session heading when it says so. */
static int full_date_in(const char *s, size_t n, struct mn_date *d)
{
	return mn_date_find(s, n, d, NULL, NULL) && d->month && d->day;
}

static int looks_like_heading(const struct parser *ps, size_t i)
{
	const struct mn_line *l = &ps->lines[i];
	struct mn_label lab;
	struct mn_date d;
	const char *s;
	size_t n;
	char last;

	if (l->blank || l->bullet || l->heading || l->table || l->code || l->rule || l->title ||
	    l->skip || l->indent > 2)
		return 0;
	if (i > 0 && !ps->lines[i - 1].blank && !ps->lines[i - 1].title && !ps->lines[i - 1].skip)
		return 0;
	line_body(l, &s, &n);
	strip_emphasis(&s, &n);
	if (n == 0 || n > 90 || mn_count_words(s, n) > 12)
		return 0;
	if (!(isupper((unsigned char)s[0]) || isdigit((unsigned char)s[0]) ||
	      (unsigned char)s[0] >= 0xc3))
		return 0;
	last = s[n - 1];
	if (last == ':' && section_of(s, n) != SEC_CONTENT)
		return 1;
	if (strchr(".,:;!?", last))
		return 0;
	if (mn_label_at(s, n, 0, 0, &lab))
		return 0;
	if (full_date_in(s, n, &d) && !session_title(s, n))
		return 0;
	return 1;
}

static void set_head(struct parser *ps, size_t i, int rank, enum mn_topic_kind kind, const char *s,
		     size_t n)
{
	struct head *h = &ps->heads[i];
	struct mn_date d;

	strip_emphasis(&s, &n);
	ps->is_head[i] = 1;
	h->rank = rank;
	h->section = section_of(s, n);
	while (n && s[n - 1] == ':')
		n--;
	h->title = plain_title(ps, s, n);
	h->kind = kind;
	if (kind == MN_TOPIC_HEADING && h->section != SEC_CONTENT)
		h->kind = MN_TOPIC_SECTION;
	if (session_title(s, n)) {
		h->kind = MN_TOPIC_SESSION;
		if (full_date_in(s, n, &d) && d.year) {
			char iso[11];

			mn_date_format(&d, iso);
			h->date = arena_str(ps, iso, strlen(iso));
		}
	}
}

/*
 * Plain-text headings: a title-like line heads what follows it when that is
 * body text or a list. A line followed by another heading heads nothing
 * (an agenda entry, a stand-alone sentence), unless it is a known section
 * name or the sessions below it make it their parent.
 */
static void find_plain_headings(struct parser *ps)
{
	size_t i;

	for (i = ps->nlines; i-- > 0;) {
		const char *s;
		size_t n;
		int next, rank = 2;

		if (!looks_like_heading(ps, i))
			continue;
		next = next_nonblank(ps, i);
		if (next < 0)
			continue;
		line_body(&ps->lines[i], &s, &n);
		if (ps->is_head[next]) {
			if (section_of(s, n) == SEC_CONTENT &&
			    ps->heads[next].kind != MN_TOPIC_SESSION)
				continue;
			rank = 0;
		} else if (!ps->lines[next].bullet && !ps->lines[next].table &&
			   looks_like_heading(ps, (size_t)next) && !session_title(s, n)) {
			continue;
		}
		if (session_title(s, n))
			rank = 1;
		set_head(ps, i, rank, MN_TOPIC_HEADING, s, n);
	}
}

static void find_headings(struct parser *ps)
{
	size_t i;
	int markdown = 0;

	ps->heads = mn_xcalloc(ps->nlines + 1, sizeof(*ps->heads));
	ps->is_head = mn_xcalloc(ps->nlines + 1, 1);
	for (i = 0; i < ps->nlines; i++) {
		const struct mn_line *l = &ps->lines[i];
		const char *s;
		size_t n;

		if (!l->heading || l->title || l->skip)
			continue;
		line_body(l, &s, &n);
		if (!n)
			continue;
		markdown = 1;
		set_head(ps, i, 10 + l->heading, MN_TOPIC_HEADING, s, n);
	}
	/* A bold line that names a section ("**Attendees:**") is its heading. */
	for (i = 0; i < ps->nlines; i++) {
		const struct mn_line *l = &ps->lines[i];
		const char *s;
		size_t n;

		if (l->blank || l->bullet || l->heading || l->title || l->skip || l->code)
			continue;
		line_body(l, &s, &n);
		if (n > 4 && s[0] == '*' && s[1] == '*' && s[n - 1] == '*' &&
		    section_of(s, n) != SEC_CONTENT)
			set_head(ps, i, 17, MN_TOPIC_SECTION, s, n);
	}
	if (!markdown)
		find_plain_headings(ps);
}

/* ---- attendees ----------------------------------------------------------- */

static const char *const particles[] = {"de", "van", "von", "der", "den", "da", "di",  "du",
					"le", "la",  "del", "dos", "bin", "al", "ten", "y"};

static int is_particle(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(particles) / sizeof(*particles); i++)
		if (mn_strneq_ci(s, n, particles[i]) && islower((unsigned char)s[0]))
			return 1;
	return 0;
}

/* Whether s[0..n) can be a person's name: one to four capitalised words, no digits. */
static int name_like(const char *s, size_t n, int handles)
{
	size_t i = 0, words = 0;

	if (!n || n > 48)
		return 0;
	if (handles) {
		for (i = 0; i < n; i++)
			if (!(isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '-' ||
			      s[i] == '.'))
				break;
		if (i == n && n >= 2 && islower((unsigned char)s[0]))
			return 1;
		i = 0;
	}
	while (i < n) {
		size_t b = i;

		while (i < n && s[i] != ' ')
			i++;
		if (i > b) {
			unsigned char c = (unsigned char)s[b];
			size_t k;

			words++;
			if (!(isupper(c) || c >= 0xc3 || is_particle(s + b, i - b)))
				return 0;
			for (k = b; k < i; k++)
				if (isdigit((unsigned char)s[k]) ||
				    strchr(":;!?()[]{}<>=/\\", s[k]))
					return 0;
		}
		while (i < n && s[i] == ' ')
			i++;
	}
	return words >= 1 && words <= 4 && !mn_label_is_caption(s, n);
}

static int known_org(const struct parser *ps, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < ps->norgs; i++)
		if (strlen(ps->orgs[i]) == n && !strncasecmp(ps->orgs[i], s, n))
			return 1;
	return mn_roster_is_org(&ps->roster, s, n);
}

static void add_org(struct parser *ps, const char *s, size_t n)
{
	if (!n || known_org(ps, s, n) || ps->norgs == MAX_ORGS)
		return;
	ps->orgs[ps->norgs++] = arena_str(ps, s, n);
}

static int all_caps_word(const char *s, size_t n)
{
	size_t i, letters = 0;

	for (i = 0; i < n; i++) {
		if (isupper((unsigned char)s[i]))
			letters++;
		else if (!isdigit((unsigned char)s[i]) && s[i] != '&' && s[i] != '-')
			return 0;
	}
	return letters >= 2;
}

/* Roles that caption a list of people without being an organisation. */
static int role_caption(const char *s, size_t n)
{
	static const char *const roles[] = {
	    "team members",   "members",     "others",	   "guests",	 "observers",
	    "chair",	      "chairs",	     "note taker", "notetaker",	 "note takers",
	    "scribe",	      "facilitator", "attendees",  "present",	 "participants",
	    "remote",	      "in person",   "tsc",	   "team",	 "also present",
	    "invited",	      "staff",	     "speakers",   "presenters", "regulars",
	    "voting members",
	};
	char *t = mn_xstrndup(s, n), *f = mn_fold(t);
	size_t i;
	int hit = 0;

	for (i = 0; i < sizeof(roles) / sizeof(*roles) && !hit; i++)
		hit = !strcmp(f, roles[i]);
	free(f);
	free(t);
	return hit;
}

/* One cleaned name of an attendee listing. */
struct listed {
	const char *name;
	size_t n;
	const char *handle; /* "@addaleax" without the '@' */
	size_t hn;
	const char *paren; /* what "(...)" after the name said */
	size_t pn;
};

/* Cleans "@Alex Bennée - OOF", "Anna Henningsen @addaleax (TSC)", "[Name](url)". */
static void clean_listed(const char *s, size_t n, struct listed *out)
{
	const char *p;

	memset(out, 0, sizeof(*out));
	mn_trim(&s, &n);
	strip_emphasis(&s, &n);
	if (n && s[0] == '[') {
		const char *close = memchr(s, ']', n);

		if (close && close + 1 < s + n && close[1] == '(') {
			n = (size_t)(close - s) - 1;
			s++;
		}
	}
	/* Trailing status: " - OOF", " (OOF)". */
	p = NULL;
	{
		size_t i;

		for (i = 0; i + 3 < n; i++)
			if (s[i] == ' ' && s[i + 1] == '-' && s[i + 2] == ' ')
				p = s + i;
	}
	if (p)
		n = (size_t)(p - s);
	mn_trim(&s, &n);
	while (n && s[n - 1] == ')') {
		const char *open = NULL;
		size_t i;

		for (i = n; i-- > 0;)
			if (s[i] == '(') {
				open = s + i;
				break;
			}
		if (!open)
			break;
		out->paren = open + 1;
		out->pn = (size_t)(s + n - 1 - out->paren);
		n = (size_t)(open - s);
		mn_trim(&s, &n);
	}
	/* Handles: "@name" alone is the name; after a name it is an alias. */
	{
		const char *at = memchr(s, '@', n);

		if (at && at == s) {
			const char *sp;

			s++;
			n--;
			sp = memchr(s, ' ', n);
			if (sp && sp + 1 < s + n && sp[1] == '@') {
				out->handle = sp + 2;
				out->hn = (size_t)(s + n - out->handle);
				n = (size_t)(sp - s);
			}
		} else if (at && at > s && at[-1] == ' ') {
			out->handle = at + 1;
			out->hn = (size_t)(s + n - out->handle);
			{
				const char *sp = memchr(out->handle, ' ', out->hn);

				if (sp)
					out->hn = (size_t)(sp - out->handle);
			}
			n = (size_t)(at - s);
		}
	}
	mn_trim(&s, &n);
	out->name = s;
	out->n = n;
}

static int placeholder(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (isalpha((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)
			break;
	if (i == n)
		return 1;
	return (n >= 2 && s[0] == '+') || mn_strneq_ci(s, n, "etc") || mn_strneq_ci(s, n, "tbd") ||
	       mn_strneq_ci(s, n, "others") || mn_strneq_ci(s, n, "and others");
}

static int initial_fits(const struct parser *ps, const struct paren_abbr *a)
{
	return toupper((unsigned char)ps->roster.people[a->person].name[0]) == a->abbr[0];
}

static void add_person(struct parser *ps, const struct listed *li, const char *org, size_t on,
		       int line, int listing)
{
	char *name, *orgs = NULL;
	struct mn_person *p;

	if (!li->n || placeholder(li->name, li->n))
		return;
	name = mn_xstrndup(li->name, li->n);
	if (!org && li->pn && known_org(ps, li->paren, li->pn)) {
		org = li->paren;
		on = li->pn;
	}
	if (org)
		orgs = mn_xstrndup(org, on);
	p = mn_roster_add(&ps->roster, name, orgs, line, listing);
	if (li->pn && li->pn <= 6 && all_caps_word(li->paren, li->pn) && org != li->paren) {
		struct paren_abbr *a;

		MN_GROW(ps->parens, ps->nparens + 1, ps->parens_cap);
		a = &ps->parens[ps->nparens++];
		a->abbr = arena_str(ps, li->paren, li->pn);
		a->person = (size_t)(p - ps->roster.people);
		/* Later listings may use it ("Attendees: AS, SYG"). */
		if (initial_fits(ps, a))
			mn_roster_alias(&ps->roster, p, a->abbr);
	}
	if (li->hn) {
		char *h = mn_xstrndup(li->handle, li->hn);

		mn_roster_alias(&ps->roster, p, h);
		free(h);
	}
	ps->have_list = 1;
	free(name);
	free(orgs);
}

/* Splits s at commas (and ';'), calling back for each trimmed non-empty part. */
static size_t split_commas(const char *s, size_t n, const char **parts, size_t *lens, size_t max)
{
	size_t k = 0, i, b = 0;

	for (i = 0; i <= n && k < max; i++) {
		if (i == n || s[i] == ',' || s[i] == ';') {
			const char *p = s + b;
			size_t pn = i - b;

			mn_trim(&p, &pn);
			/* "A and B" in a list of names. */
			if (pn > 4 && !strncmp(p, "and ", 4)) {
				p += 4;
				pn -= 4;
			}
			parts[k] = p;
			lens[k] = pn;
			k++;
			b = i + 1;
		}
	}
	return k;
}

/*
 * Reads one item of an attendee listing: "Name", "Name, Org", "A, B, Org",
 * "Org: A, B", "A, B - Org", "Name Org" where Org is known, "@Name - OOF",
 * "Name @handle (role)". Returns whether it named anyone.
 */
static int attendee_item(struct parser *ps, const char *s, size_t n, int line, int listing,
			 int *list_has_orgs, int dry)
{
	const char *parts[64], *org = NULL;
	size_t lens[64], nparts, i, on = 0, named = 0;
	const char *colon;

	mn_trim(&s, &n);
	strip_emphasis(&s, &n);
	if (!n)
		return 0;
	colon = memchr(s, ':', n);
	if (colon && colon > s && (size_t)(colon - s) < 40 &&
	    !(colon + 1 < s + n && colon[1] == '/')) {
		const char *label = s;
		size_t ln = (size_t)(colon - s);

		mn_trim(&label, &ln);
		strip_emphasis(&label, &ln);
		if (section_of(label, ln) == SEC_ABSENT)
			return 0;
		if (!role_caption(label, ln)) {
			if (!name_like(label, ln, 0) && !all_caps_word(label, ln))
				return 0;
			org = label;
			on = ln;
			if (!dry)
				add_org(ps, org, on);
		}
		n = (size_t)(s + n - (colon + 1));
		s = colon + 1;
		mn_trim(&s, &n);
	} else {
		/* "Wei, Andy, Paul - Citrix" */
		size_t k;

		for (k = n; k-- > 2;) {
			if (s[k] == ' ' && s[k - 1] == '-' && s[k - 2] == ' ') {
				const char *o = s + k + 1;
				size_t olen = n - k - 1;

				mn_trim(&o, &olen);
				if (olen && name_like(o, olen, 0) && mn_count_words(o, olen) <= 3 &&
				    memchr(s, ',', k)) {
					org = o;
					on = olen;
					n = k - 2;
				}
				break;
			}
		}
	}
	nparts = split_commas(s, n, parts, lens, 64);
	if (!org && nparts >= 2) {
		const char *last = parts[nparts - 1];
		size_t ll = lens[nparts - 1];
		int prev_full = mn_count_words(parts[0], lens[0]) >= 2;

		if (ll && (known_org(ps, last, ll) || all_caps_word(last, ll) ||
			   ((nparts == 2 && (prev_full || *list_has_orgs) &&
			     mn_count_words(last, ll) == 1 && name_like(last, ll, 0))))) {
			org = last;
			on = ll;
			nparts--;
			if (!dry)
				add_org(ps, org, on);
		}
	}
	/* "Elsie Whalig Qualcomm": a known organisation closes the last name. */
	if (!org && nparts >= 1) {
		const char *last = parts[nparts - 1];
		size_t ll = lens[nparts - 1];
		const char *sp = NULL;
		size_t k;

		for (k = ll; k-- > 0;)
			if (last[k] == ' ') {
				sp = last + k;
				break;
			}
		if (sp && mn_count_words(last, ll) >= 3 &&
		    known_org(ps, sp + 1, (size_t)(last + ll - sp - 1))) {
			org = sp + 1;
			on = (size_t)(last + ll - org);
			lens[nparts - 1] = (size_t)(sp - last);
		}
	}
	if (org)
		*list_has_orgs = 1;
	for (i = 0; i < nparts; i++) {
		struct listed li;

		clean_listed(parts[i], lens[i], &li);
		if (!li.n || placeholder(li.name, li.n))
			continue;
		if (!name_like(li.name, li.n, 1))
			continue;
		named++;
		if (!dry)
			add_person(ps, &li, org, on, line, listing);
	}
	return named > 0;
}

/* Cells of a Markdown table row, trimmed. */
static size_t table_cells(const char *s, size_t n, const char **cells, size_t *lens, size_t max)
{
	size_t k = 0, i, b;

	if (n && s[0] == '|') {
		s++;
		n--;
	}
	if (n && s[n - 1] == '|')
		n--;
	for (i = 0, b = 0; i <= n && k < max; i++) {
		if (i == n || s[i] == '|') {
			const char *c = s + b;
			size_t cn = i - b;

			mn_trim(&c, &cn);
			strip_emphasis(&c, &cn);
			cells[k] = c;
			lens[k] = cn;
			k++;
			b = i + 1;
		}
	}
	return k;
}

/* Reads an attendee table: a header naming the name, abbreviation and organisation columns. */
static void attendee_table(struct parser *ps, size_t first, size_t last, int listing)
{
	int name_col = -1, abbr_col = -1, org_col = -1;
	size_t i;

	for (i = first; i <= last; i++) {
		const char *cells[16];
		size_t lens[16], nc, k;

		if (!ps->lines[i].table)
			continue;
		nc = table_cells(ps->lines[i].s + ps->lines[i].body,
				 ps->lines[i].len - ps->lines[i].body, cells, lens, 16);
		if (name_col < 0) {
			for (k = 0; k < nc; k++) {
				char *t = mn_xstrndup(cells[k], lens[k]), *f = mn_fold(t);

				if (!strcmp(f, "name") || !strcmp(f, "names") ||
				    !strcmp(f, "attendee") || !strcmp(f, "delegate") ||
				    !strcmp(f, "person"))
					name_col = (int)k;
				else if (strstr(f, "abbr") || !strcmp(f, "initials") ||
					 !strcmp(f, "handle") || !strcmp(f, "github"))
					abbr_col = (int)k;
				else if (strstr(f, "organi") || !strcmp(f, "company") ||
					 !strcmp(f, "affiliation") || !strcmp(f, "org"))
					org_col = (int)k;
				free(f);
				free(t);
			}
			if (name_col < 0)
				name_col = 0;
			ps->lines[i].attendee = 1;
			continue;
		}
		if (nc && lens[0] && cells[0][0] == '-') {
			ps->lines[i].attendee = 1; /* the separator row */
			continue;
		}
		if ((size_t)name_col >= nc || !lens[name_col])
			continue;
		{
			struct listed li;
			struct mn_person *p;
			char *name, *org = NULL;

			clean_listed(cells[name_col], lens[name_col], &li);
			if (!li.n || placeholder(li.name, li.n))
				continue;
			name = mn_xstrndup(li.name, li.n);
			if (org_col >= 0 && (size_t)org_col < nc && lens[org_col])
				org = mn_xstrndup(cells[org_col], lens[org_col]);
			p = mn_roster_add(&ps->roster, name, org, (int)i + 1, listing);
			if (abbr_col >= 0 && (size_t)abbr_col < nc && lens[abbr_col]) {
				char *a = mn_xstrndup(cells[abbr_col], lens[abbr_col]);

				mn_roster_alias(&ps->roster, p, a);
				free(a);
			}
			ps->have_list = 1;
			ps->lines[i].attendee = 1;
			free(name);
			free(org);
		}
	}
}

/* The last line of the block that starts at first: until the next heading. */
static size_t section_end(const struct parser *ps, size_t first)
{
	size_t i;

	for (i = first; i < ps->nlines; i++)
		if (ps->is_head[i])
			return i - 1;
	return ps->nlines - 1;
}

/* Reads the attendee lines from first to last as one listing. */
static void attendee_block(struct parser *ps, size_t first, size_t last, int require_names)
{
	int listing = ++ps->nlistings, has_orgs = 0;
	size_t i;
	int table = 0;

	for (i = first; i <= last && i < ps->nlines; i++)
		if (ps->lines[i].table)
			table = 1;
	if (table)
		attendee_table(ps, first, last, listing);
	for (i = first; i <= last && i < ps->nlines; i++) {
		struct mn_line *l = &ps->lines[i];
		const char *s;
		size_t n;

		if (l->blank || l->table || l->code || l->rule || l->skip)
			continue;
		line_body(l, &s, &n);
		if (require_names && !attendee_item(ps, s, n, (int)i + 1, listing, &has_orgs, 1))
			break;
		if (attendee_item(ps, s, n, (int)i + 1, listing, &has_orgs, 0))
			l->attendee = 1;
	}
}

/* First pass over listings: organisations named as "Org: A, B" captions. */
static void collect_orgs(struct parser *ps, size_t first, size_t last)
{
	size_t i;

	for (i = first; i <= last && i < ps->nlines; i++) {
		const struct mn_line *l = &ps->lines[i];
		const char *s, *colon;
		size_t n, ln;

		if (l->blank || l->table)
			continue;
		line_body(l, &s, &n);
		colon = memchr(s, ':', n);
		if (!colon)
			continue;
		ln = (size_t)(colon - s);
		if (ln && ln < 30 && (name_like(s, ln, 0) || all_caps_word(s, ln)) &&
		    !role_caption(s, ln) && section_of(s, ln) == SEC_CONTENT)
			add_org(ps, s, ln);
	}
}

/* Whether the block after line i is a list of names (as after a session heading). */
static int names_follow(struct parser *ps, size_t i, size_t *last)
{
	int first = next_nonblank(ps, i), has_orgs = 0;
	size_t k, items = 0, names = 0;

	if (first < 0 || !ps->lines[first].bullet)
		return 0;
	for (k = (size_t)first; k < ps->nlines; k++) {
		const struct mn_line *l = &ps->lines[k];
		const char *s;
		size_t n;

		if (l->blank)
			continue;
		if (!l->bullet || ps->is_head[k])
			break;
		line_body(l, &s, &n);
		items++;
		if (attendee_item(ps, s, n, (int)k + 1, 0, &has_orgs, 1) || placeholder(s, n))
			names++;
		else
			break;
		*last = k;
	}
	return items >= 2 && names == items;
}

/* Whether word (capitals) stands alone in s: "TSC" in "Node.js ... (TSC) Meeting". */
static int has_word(const char *s, const char *word)
{
	size_t n = strlen(word);
	const char *p;

	for (p = s; s && (p = strstr(p, word)); p++)
		if ((p == s || !isalnum((unsigned char)p[-1])) && !isalnum((unsigned char)p[n]))
			return 1;
	return 0;
}

/*
 * "Rob Palmer (RPR)": the abbreviation the minutes use for them, taken at
 * once by add_person when it starts with their initial. It is not theirs
 * after all when someone it cannot abbreviate is listed with it too, or
 * when the title uses it: "(TSC)" after each member of the Technical
 * Steering Committee (TSC). The same abbreviation after "Dan" and "Daniel
 * Ehrenberg" stays theirs.
 */
static void withdraw_roles(struct parser *ps)
{
	size_t i, k;

	for (i = 0; i < ps->nparens; i++) {
		const struct paren_abbr *a = &ps->parens[i];
		int role = has_word(ps->doc->title, a->abbr);

		for (k = 0; k < ps->nparens && !role; k++)
			role = !strcmp(ps->parens[k].abbr, a->abbr) &&
			       !initial_fits(ps, &ps->parens[k]);
		if (role)
			mn_roster_unalias(&ps->roster.people[a->person], a->abbr);
	}
	free(ps->parens);
	ps->parens = NULL;
	ps->nparens = ps->parens_cap = 0;
}

static void find_attendees(struct parser *ps)
{
	size_t i;

	/* Organisations first, so that "Elsie Whalig Qualcomm" can be split. */
	for (i = 0; i < ps->nlines; i++) {
		size_t last;

		if (!ps->is_head[i])
			continue;
		if (ps->heads[i].section == SEC_ATTENDEES || ps->heads[i].kind == MN_TOPIC_SESSION)
			collect_orgs(ps, i + 1, section_end(ps, i + 1));
		(void)last;
	}
	for (i = 0; i < ps->nlines; i++) {
		size_t last = 0;

		if (!ps->is_head[i])
			continue;
		if (ps->heads[i].section == SEC_ATTENDEES)
			attendee_block(ps, i + 1, section_end(ps, i + 1), 0);
		else if (ps->heads[i].kind == MN_TOPIC_SESSION && names_follow(ps, i, &last))
			attendee_block(ps, i + 1, last, 0);
	}
	/* "Name (ABBR), Name (ABBR), ...": a list of delegates with their abbreviations. */
	for (i = 0; i < ps->nlines; i++) {
		struct mn_line *l = &ps->lines[i];
		const char *parts[256], *s;
		size_t lens[256], nparts, k, abbreviated = 0, n;
		int has_orgs = 0;

		if (l->blank || l->attendee || l->code || l->table || ps->is_head[i])
			continue;
		line_body(l, &s, &n);
		nparts = split_commas(s, n, parts, lens, 256);
		for (k = 0; k < nparts; k++) {
			struct listed li;

			clean_listed(parts[k], lens[k], &li);
			if (li.pn && li.pn <= 6 && all_caps_word(li.paren, li.pn) &&
			    name_like(li.name, li.n, 0))
				abbreviated++;
		}
		if (abbreviated >= 3 && abbreviated * 10 >= nparts * 6) {
			int listing = ++ps->nlistings;

			for (k = 0; k < nparts; k++)
				attendee_item(ps, parts[k], lens[k], (int)i + 1, listing, &has_orgs,
					      0);
			l->attendee = 1;
		}
	}
	/* "Attendees: A, B, C" on a line of its own. */
	for (i = 0; i < ps->nlines; i++) {
		struct mn_line *l = &ps->lines[i];
		const char *s, *colon;
		size_t n;
		int has_orgs = 0;

		if (l->blank || l->attendee || l->code || ps->is_head[i])
			continue;
		line_body(l, &s, &n);
		strip_emphasis(&s, &n);
		colon = memchr(s, ':', n);
		if (!colon || section_of(s, (size_t)(colon - s)) != SEC_ATTENDEES)
			continue;
		if (attendee_item(ps, colon + 1, n - (size_t)(colon + 1 - s), (int)i + 1,
				  ++ps->nlistings, &has_orgs, 0))
			l->attendee = 1;
	}
	withdraw_roles(ps);
}

/*
 * Full names written elsewhere ("Christoffer Dall (Linaro)", "Vincent
 * Guittot Interconnect ...", "Stakeholders: Zhang Yi, Intel - Andrew
 * Cooper, Citrix", "@Leonardo Garcia") complete the given names of the
 * attendee list; without a list, @-mentions name the people.
 */
static void find_full_names(struct parser *ps)
{
	size_t i;

	for (i = 0; i < ps->nlines; i++) {
		const struct mn_line *l = &ps->lines[i];
		const char *s = l->s, *e = l->s + l->len, *p;

		if (l->blank || l->code || l->attendee || l->skip)
			continue;
		for (p = s; p < e; p++) {
			const char *w1 = p, *w1e, *w2, *w2e, *q;
			int at = 0;
			char *first, *full;
			struct mn_person *person;

			if (p > s &&
			    (isalnum((unsigned char)p[-1]) || (unsigned char)p[-1] >= 0x80))
				continue;
			if (*p == '@') {
				at = 1;
				w1 = p + 1;
			}
			if (w1 >= e || !(isupper((unsigned char)*w1) || (unsigned char)*w1 >= 0xc3))
				continue;
			w1e = w1;
			while (w1e < e && (isalpha((unsigned char)*w1e) ||
					   ((unsigned char)*w1e >= 0x80 &&
					    !mn_is_nbsp(w1e, (size_t)(e - w1e))) ||
					   *w1e == '-'))
				w1e++;
			if (w1e >= e || *w1e != ' ')
				continue;
			w2 = w1e + 1;
			if (w2 >= e || !(isupper((unsigned char)*w2) || (unsigned char)*w2 >= 0xc3))
				continue;
			w2e = w2 + 1;
			while (w2e < e && (islower((unsigned char)*w2e) ||
					   ((unsigned char)*w2e >= 0x80 &&
					    !mn_is_nbsp(w2e, (size_t)(e - w2e))) ||
					   *w2e == '-'))
				w2e++;
			if (w2e - w2 < 2 || (w2e < e && isalnum((unsigned char)*w2e)))
				continue;
			first = mn_xstrndup(w1, (size_t)(w1e - w1));
			full = mn_xstrndup(w1, (size_t)(w2e - w1));
			person = mn_roster_find(&ps->roster, first);
			{
				const char *org = NULL;
				char *orgs = NULL;

				q = w2e;
				while (q < e && *q == ' ')
					q++;
				if (q < e && *q == '(') {
					const char *close = memchr(q, ')', (size_t)(e - q));

					if (close && known_org(ps, q + 1, (size_t)(close - q - 1)))
						org = orgs =
						    mn_xstrndup(q + 1, (size_t)(close - q - 1));
				} else if (q < e && *q == ',') {
					const char *o = q + 1, *oe;

					while (o < e && *o == ' ')
						o++;
					oe = o;
					while (oe < e && *oe != ',' && *oe != '-' && *oe != ';')
						oe++;
					while (oe > o && oe[-1] == ' ')
						oe--;
					if (oe > o && known_org(ps, o, (size_t)(oe - o)))
						org = orgs = mn_xstrndup(o, (size_t)(oe - o));
				}
				/* With an organisation, "Andrew Cooper, Citrix" may complete
				 * "Andy". */
				if (person || org)
					mn_roster_offer_full_name(&ps->roster, full, org);
				else if (at && !ps->have_list)
					mn_roster_add(&ps->roster, full, org, (int)i + 1, 0);
				free(orgs);
			}
			free(first);
			free(full);
			p = w1e;
		}
	}
}

static int label_count(const struct parser *ps, const char *s, size_t n);

/*
 * "Presenter: Shu-yu Guo (SYG)": a full name with the abbreviation the
 * minutes use for its owner, wherever it is written.
 */
static void find_abbreviations(struct parser *ps)
{
	size_t i;

	for (i = 0; i < ps->nlines; i++) {
		const struct mn_line *l = &ps->lines[i];
		const char *s = l->s, *e = l->s + l->len, *p;

		if (l->blank || l->attendee || l->skip)
			continue;
		for (p = s; p < e && (p = memchr(p, '(', (size_t)(e - p))) != NULL; p++) {
			const char *close = p + 1, *name_start, *name_end;
			size_t words = 0;

			while (close < e && isupper((unsigned char)*close))
				close++;
			if (close >= e || *close != ')' || close - p - 1 < 2 || close - p - 1 > 6)
				continue;
			name_end = p;
			while (name_end > s && name_end[-1] == ' ')
				name_end--;
			name_start = name_end;
			while (name_start > s && words < 4) {
				const char *w = name_start;

				while (w > s && w[-1] != ' ' && w[-1] != ',' && w[-1] != ':' &&
				       w[-1] != '(')
					w--;
				if (w == name_start ||
				    !(isupper((unsigned char)*w) || (unsigned char)*w >= 0xc3))
					break;
				name_start = w;
				words++;
				if (w > s && w[-1] == ' ')
					name_start = w - 1;
				else
					break;
			}
			while (name_start < name_end && *name_start == ' ')
				name_start++;
			/* Only abbreviations the minutes use as speaker labels. */
			if (words >= 2 &&
			    name_like(name_start, (size_t)(name_end - name_start), 0) &&
			    label_count(ps, p + 1, (size_t)(close - p - 1)) > 0) {
				char *name =
				    mn_xstrndup(name_start, (size_t)(name_end - name_start));
				char *abbr = mn_xstrndup(p + 1, (size_t)(close - p - 1));
				struct mn_person *person = mn_roster_find(&ps->roster, abbr);

				if (!person) {
					person =
					    mn_roster_add(&ps->roster, name, NULL, (int)i + 1, 0);
					mn_roster_alias(&ps->roster, person, abbr);
				}
				free(name);
				free(abbr);
			}
		}
	}
}

/* ---- resolving names ------------------------------------------------------ */

/* Capitalised words that start sentences but name no one. */
static const char *const not_names[] = {
    "a",       "all",	    "also",	 "an",	    "and",	"another",  "any",	    "as",
    "at",      "attendees", "both",	 "but",	    "each",	"everyone", "everybody",    "for",
    "he",      "her",	    "his",	 "however", "i",	"if",	    "in",	    "it",
    "its",     "many",	    "meeting",	 "most",    "no",	"nobody",   "none",	    "of",
    "on",      "one",	    "other",	 "others",  "our",	"she",	    "so",	    "some",
    "someone", "team",	    "that",	 "the",	    "their",	"then",	    "there",	    "these",
    "they",    "this",	    "those",	 "to",	    "we",	"when",	    "who",	    "with",
    "you",     "group",	    "committee", "members", "everyone", "people",   "participants",
    /* openers of "Hard to say", "Need to finish", "How to handle" in short minutes */
    "how",	"what",	    "why",	 "where",   "which",	"whether",  "need",	    "needs",
    "want",	"wants",    "hard",	 "easy",    "good",	"great",    "happy",	    "nice",
    "fine",	"glad",	    "important", "possible", "difficult", "better",  "best",	    "able",
    "ready",	"likely",   "worth",	 "time",    "plan",	"proposal", "decision",	    "consensus",
    "agreement", "resolution", "conclusion", "introduction", "related", "equivalent", "next",
    "today",	"maybe",    "perhaps",	 "please",  "going",	"trying",   "having",	    "hoping",
    "agree",	"help",	    "move",	 "not",	    "or",	"up",	    "vote",	    "publish",
    "respond",	"attempt",  "alternative", "advantage", "benefits", "changes", "updates", "used",
};

static int not_a_name(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(not_names) / sizeof(*not_names); i++)
		if (mn_strneq_ci(s, n, not_names[i]))
			return 1;
	return 0;
}

/* "Leonardo": a capital, then lower-case letters only. */
static int titlecase(const char *s, size_t n)
{
	size_t i;

	if (n < 2 || !isupper((unsigned char)s[0]))
		return 0;
	for (i = 1; i < n; i++)
		if (!islower((unsigned char)s[i]) && (unsigned char)s[i] < 0x80)
			return 0;
	return 1;
}

/*
 * The resolver the speech functions use: a person of the roster, or, in
 * minutes without an attendee list, any capitalised single word that is
 * not a common sentence opener.
 */
/* What the resolution cache holds for words that name no one. */
static const char not_a_person[] = "";

/* Whether s[0..n) ends in "'s" or "’s": whose, not who ("Niko’s thought"). */
static int possessive(const char *s, size_t n)
{
	return (n > 2 && s[n - 1] == 's' && s[n - 2] == '\'') ||
	       (n > 4 && s[n - 1] == 's' && !memcmp(s + n - 4, "\xe2\x80\x99", 3));
}

static const char *resolve_name(void *ctx, const char *s, size_t n)
{
	struct parser *ps = ctx;
	struct mn_person *p;
	const char *name = NULL;
	char *label;

	int found;

	if (!n || n > 60 || possessive(s, n))
		return NULL;
	name = mn_strmap_get(&ps->cache, s, n, &found);
	if (found)
		return name == not_a_person ? NULL : name;
	label = arena_str(ps, s, n);
	/* Lower-case words name someone only as an exact handle ("nikomatsakis"). */
	p = islower((unsigned char)s[0]) ? mn_roster_resolve_exact(&ps->roster, label)
					 : mn_roster_resolve(&ps->roster, label, NULL);
	if (p)
		name = p->name;
	else if (mn_roster_has_given_name(&ps->roster, label))
		name = label; /* a given name several people share: the label is all we know */
	else if (!ps->have_list && titlecase(s, n) && !not_a_name(s, n))
		name = label;
	mn_strmap_put(&ps->cache, s, n, name ? (void *)name : (void *)not_a_person);
	return name;
}

/* Whether s[0..n) names someone of the roster (not merely a capitalised word). */
static int roster_person(struct parser *ps, const char *s, size_t n)
{
	char *t = mn_xstrndup(s, n);
	int found = mn_roster_resolve(&ps->roster, t, NULL) != NULL;

	free(t);
	return found;
}

/*
 * The resolver for labels inside a passage ("... scope. MarkH: please"):
 * people of the roster only, so that "Jan Beulich:" is not cut at
 * "Beulich:" in minutes without an attendee list.
 */
static const char *resolve_inline(void *ctx, const char *s, size_t n)
{
	struct parser *ps = ctx;

	if (!ps->have_list && !roster_person(ps, s, n))
		return NULL;
	return resolve_name(ctx, s, n);
}

/* The entry of labels for s[0..n), or NULL. */
static struct label_count *label_entry(const struct parser *ps, const char *s, size_t n)
{
	size_t k = (size_t)mn_strmap_get(&ps->label_index, s, n, NULL);

	return k ? &ps->labels[k - 1] : NULL;
}

static int label_count(const struct parser *ps, const char *s, size_t n)
{
	struct label_count *e = label_entry(ps, s, n);

	return e ? e->n : 0;
}

/* Whether the line from p on names an issue or pull request ("#58689", ".../pull/3"). */
static int refers_to_issue(const struct parser *ps, const char *p)
{
	const char *end = ps->data + ps->len;

	for (; p < end && *p != '\n'; p++) {
		if (*p == '#' && p + 1 < end && isdigit((unsigned char)p[1]))
			return 1;
		if (*p == '/' && ((end - p >= 6 && !memcmp(p, "/pull/", 6)) ||
				  (end - p >= 8 && !memcmp(p, "/issues/", 8))))
			return 1;
	}
	return 0;
}

/* Counts the labels that open passages, and decides whether initials are the house style. */
static void count_labels(struct parser *ps)
{
	size_t i, total = 0, initials = 0;

	for (i = 0; i < ps->nlines; i++) {
		const struct mn_line *l = &ps->lines[i];
		struct mn_label lab;
		const char *s;
		size_t n, k;

		if (l->blank || l->code || l->attendee || l->table || ps->is_head[i] || l->title)
			continue;
		line_body(l, &s, &n);
		if (!mn_label_at(s, n, 0, 0, &lab) || lab.sep != ':')
			continue;
		total++;
		if (all_caps_word(s + lab.start, lab.end - lab.start) && lab.end - lab.start <= 4)
			initials++;
		k = (size_t)mn_strmap_get(&ps->label_index, s + lab.start, lab.end - lab.start,
					  NULL);
		if (!k) {
			MN_GROW(ps->labels, ps->nlabels + 1, ps->labels_cap);
			k = ps->nlabels++;
			ps->labels[k].label = arena_str(ps, s + lab.start, lab.end - lab.start);
			ps->labels[k].n = 0;
			ps->labels[k].lower = -1;
			ps->labels[k].apart = -1;
			ps->labels[k].refs = 0;
			mn_strmap_put(&ps->label_index, s + lab.start, lab.end - lab.start,
				      (void *)(k + 1));
		} else {
			k--;
		}
		ps->labels[k].n++;
		ps->labels[k].refs |= refers_to_issue(ps, s + lab.after);
	}
	ps->roster.initials = total >= 3 && initials * 2 >= total;
}

/* "MarkO": a given name of the roster followed by a capital initial. */
static int camel_name(const struct parser *ps, const char *s, size_t n)
{
	size_t i;
	char *given;
	int found;

	if (n < 3 || !isupper((unsigned char)s[0]) || !isupper((unsigned char)s[n - 1]))
		return 0;
	for (i = 1; i + 1 < n; i++)
		if (!islower((unsigned char)s[i]))
			return 0;
	given = mn_xstrndup(s, n - 1);
	found = mn_roster_resolve(&ps->roster, given, NULL) != NULL;
	free(given);
	return found;
}

/* "Jan Beulich", "Peter van der Zee": two to four words, capitalised ones in title case. */
static int full_name_shape(const char *s, size_t n)
{
	size_t i = 0, words = 0;

	while (i < n) {
		size_t b = i, k;

		while (i < n && s[i] != ' ')
			i++;
		if (i > b) {
			words++;
			if (!is_particle(s + b, i - b)) {
				if (!isupper((unsigned char)s[b]) && (unsigned char)s[b] < 0xc3)
					return 0;
				for (k = b + 1; k < i; k++)
					if (isupper((unsigned char)s[k]))
						return 0;
			}
		}
		while (i < n && s[i] == ' ')
			i++;
	}
	return words >= 2 && words <= 4;
}

/*
 * The first place from p on where the text has word[0..n) as a whole word:
 * not next to a letter, a digit or '_', nor after a byte of before or
 * before a byte of after (either may be empty); NULL when there is none.
 */
static const char *word_in_text(const struct parser *ps, const char *p, const char *word,
				size_t n, const char *before, const char *after)
{
	const char *end = ps->data + ps->len;

	for (; n && (p = memchr(p, word[0], (size_t)(end - p))) != NULL; p++) {
		const char *q = p + n;

		if (q > end)
			return NULL;
		if (memcmp(p, word, n))
			continue;
		if (p > ps->data && (isalnum((unsigned char)p[-1]) || p[-1] == '_' ||
				     (p[-1] && strchr(before, p[-1]))))
			continue;
		if (q < end && (isalnum((unsigned char)*q) || *q == '_' || (*q && strchr(after, *q))))
			continue;
		return p;
	}
	return NULL;
}

/* Whether the first word of s[0..n), in lower case, occurs as a word in the text. */
static int used_in_lower_case(struct parser *ps, const char *s, size_t n)
{
	char word[64];
	size_t wn = 0;
	struct label_count *entry;
	int used;

	while (wn < n && wn + 1 < sizeof(word) && s[wn] != ' ') {
		word[wn] = (char)tolower((unsigned char)s[wn]);
		wn++;
	}
	word[wn] = '\0';
	if (wn < 2)
		return 0;
	entry = label_entry(ps, s, n);
	if (entry && entry->lower >= 0)
		return entry->lower;
	used = word_in_text(ps, ps->data, word, wn, "@", "") != NULL;
	if (entry)
		entry->lower = used;
	return used;
}

/*
 * Whether s[0..n) (a label's word) occurs in the text as a word that is not
 * a label: not followed by ':', nor part of a mention, path or longer word.
 */
static int written_apart(struct parser *ps, const char *s, size_t n)
{
	const char *p = ps->data, *end = ps->data + ps->len;
	struct label_count *entry = label_entry(ps, s, n);
	int found = 0;

	if (entry && entry->apart >= 0)
		return entry->apart;
	for (; !found && (p = word_in_text(ps, p, s, n, "@/-", "-")) != NULL; p++) {
		const char *q = p + n;

		while (q < end && (*q == '*' || *q == '_'))
			q++;
		found = q >= end || *q != ':';
	}
	if (entry)
		entry->apart = found;
	return found;
}

/*
 * Whether a handle in lower case that is no listed name ("nikomatsakis:") is
 * a speaker: the listed person its shape names (mn_roster_resolve_handle),
 * put in ps->names[0]; else, in minutes that do not label people by
 * initials, when it opens two passages or more (three in minutes with a
 * list of attendees), none of them a change's title ("doc: add ... #123",
 * "merge: ... (rust-lang/rust#53224)"), and the text writes it only so,
 * unlike a word ("iterator:") the text also uses as a word.
 */
static int handle_speaks(struct parser *ps, const char *name, size_t n)
{
	struct label_count *entry = label_entry(ps, name, n);
	struct mn_person *p;
	char handle[64];

	if (n < 3 || n >= sizeof(handle) || memchr(name, ' ', n) || strchr("_-", name[n - 1]))
		return 0;
	memcpy(handle, name, n);
	handle[n] = '\0';
	if ((p = mn_roster_resolve_handle(&ps->roster, handle))) {
		ps->names[0] = p->name;
		return 1;
	}
	if (ps->roster.initials || !entry || entry->n < (ps->have_list ? 3 : 2) || entry->refs)
		return 0;
	if (known_org(ps, name, n) || section_of(name, n) != SEC_CONTENT)
		return 0;
	return !written_apart(ps, name, n);
}

/*
 * Decides whether a label opening a passage names a speaker. Fills the
 * resolved names; returns 0 when the label is something else ("RPK:",
 * "Cavium:", "Xen - ").
 */
static int accept_label(struct parser *ps, const char *s, const struct mn_label *lab)
{
	const char *name = s + lab->start;
	size_t n = lab->end - lab->start, b = 0, i;
	int unresolved = 0;

	ps->nnames = 0;
	/* Each of "Christoffer/Jon". */
	for (i = 0; i <= n && ps->nnames < 16; i++) {
		if (i == n || name[i] == '/') {
			const char *part = name + b;
			size_t pn = i - b;
			const char *r;

			mn_trim(&part, &pn);
			r = pn ? resolve_name(ps, part, pn) : NULL;
			if (!r) {
				r = arena_str(ps, part, pn);
				unresolved++;
			}
			ps->names[ps->nnames++] = r;
			b = i + 1;
		}
	}
	if (!ps->nnames)
		return 0;
	/* A name without punctuation or with a comma after it must be someone the minutes list. */
	if ((lab->sep == 0 || lab->sep == ',') && !roster_person(ps, name, n))
		return 0;
	if (!unresolved)
		return 1;
	if (lab->sep != ':')
		return 0;
	if (islower((unsigned char)name[0]))
		return ps->nnames == 1 && handle_speaks(ps, name, n);
	if (known_org(ps, name, n) || section_of(name, n) != SEC_CONTENT)
		return 0;
	if (all_caps_word(name, n))
		return n <= 5 &&
		       (!ps->have_list || ps->roster.initials || label_count(ps, name, n) >= 2);
	if (camel_name(ps, name, n))
		return 1;
	/* "Concern:", "Examples:": a word the minutes also write in lower case is no name. */
	if (used_in_lower_case(ps, name, n))
		return 0;
	/* "Jan Beulich:" reads as a full name; a single unknown word must speak twice. */
	return full_name_shape(name, n) || label_count(ps, name, n) >= 2;
}

/* ---- passages ------------------------------------------------------------ */

static void name_sink(void *ctx, const char *name)
{
	struct parser *ps = ctx;
	size_t i;

	for (i = 0; i < ps->nnames; i++)
		if (!strcmp(ps->names[i], name))
			return;
	if (ps->nnames < 16)
		ps->names[ps->nnames++] = mn_arena_strdup(&ps->doc->arena, name);
}

static enum section current_section(const struct parser *ps)
{
	size_t i;

	for (i = ps->depth; i-- > 0;)
		if (ps->stack[i].indent < 0)
			return ps->stack[i].section;
	return SEC_CONTENT;
}

static const char *speaker_context(const struct parser *ps, const char **label)
{
	size_t i;

	for (i = ps->depth; i-- > 0;)
		if (ps->stack[i].speaker) {
			*label = ps->stack[i].label;
			return ps->stack[i].speaker;
		}
	return NULL;
}

/* Line (0-based) and byte column (0-based) of position p in the data. */
static void position_of(const struct parser *ps, size_t first, const char *p, size_t *line,
			size_t *col)
{
	size_t i = first;

	while (i + 1 < ps->nlines && ps->lines[i + 1].s <= p)
		i++;
	*line = i;
	*col = (size_t)(p - ps->lines[i].s);
}

static void topic_path(struct parser *ps, struct mn_passage *p)
{
	const char *path[MAX_DEPTH];
	size_t i, n = 0;

	for (i = 0; i < ps->depth; i++)
		if (ps->stack[i].title)
			path[n++] = ps->stack[i].title;
	p->topic_path = mn_doc_strv(ps->doc, path, n);
	p->ntopic_path = n;
}

/* One passage: text[0..n) with its speakers, of a kind the caller has worked out. */
static void emit_unit(struct parser *ps, size_t first, const char *text, size_t n,
		      const char *label, const char *const *speakers, size_t nspeakers,
		      enum mn_kind kind, int plain)
{
	struct mn_doc *doc = ps->doc;
	enum section sec = current_section(ps);
	struct mn_passage *p;
	size_t line, col, end_line, end_col;

	mn_trim(&text, &n);
	if (!n)
		return;
	position_of(ps, first, text, &line, &col);
	position_of(ps, line, text + n - 1, &end_line, &end_col);
	p = mn_doc_add_passage(doc);
	p->line = (int)line + 1;
	p->end_line = (int)end_line + 1;
	p->col = (int)col + 1;
	p->text = arena_str(ps, text, n);
	p->speaker_label = label;
	p->speakers = mn_doc_strv(doc, speakers, nspeakers);
	p->nspeakers = nspeakers;
	p->date = ps->date;
	p->kind = MN_KIND_NOTE;
	topic_path(ps, p);
	if (plain)
		return;
	if (kind == MN_KIND_NOTE && !nspeakers) {
		/* Reported speech, where nobody holds the floor. */
		ps->nnames = 0;
		if (mn_speech_reported(text, n, resolve_name, ps, name_sink) && ps->nnames) {
			kind = MN_KIND_REPORTED;
			p->speakers = mn_doc_strv(doc, ps->names, ps->nnames);
			p->nspeakers = ps->nnames;
		}
	}
	if (kind == MN_KIND_ACTION) {
		ps->nnames = 0;
		mn_speech_action(text, n, nspeakers ? speakers[0] : NULL, sec == SEC_ACTIONS,
				 resolve_name, ps, name_sink);
		p->owners = mn_doc_strv(doc, ps->names, ps->nnames);
		p->nowners = ps->nnames;
	}
	if (kind == MN_KIND_NOTE && nspeakers)
		kind = MN_KIND_UTTERANCE;
	p->kind = kind;
}

static void discard_name(void *ctx, const char *name)
{
	(void)ctx;
	(void)name;
}

/* The end of the sentence that starts at i: after ". " before a capital, or the end. */
static size_t sentence_end(const char *s, size_t n, size_t i)
{
	for (; i < n; i++) {
		size_t k;

		if (s[i] != '.' && s[i] != '!' && s[i] != '?')
			continue;
		if (i + 1 < n && s[i + 1] != ' ' && s[i + 1] != '\n')
			continue;
		k = i + 1;
		while (k < n && (s[k] == ' ' || s[k] == '\n' || s[k] == '*' || s[k] == '_'))
			k++;
		if (k >= n || !islower((unsigned char)s[k]))
			return i + 1;
	}
	return n;
}

/*
 * Whether a bullet reads as what was said rather than as a title: it
 * reports someone's words ("Michael suggested we ...") or holds more than
 * one sentence ("... of the conference.  Two options").
 */
static int reads_as_words_said(struct parser *ps, const char *s, size_t n)
{
	size_t i, k, end = n;

	/* An issue's title keeps its sentences ("How to dismantle a bomb. #82"). */
	while (end && isdigit((unsigned char)s[end - 1]))
		end--;
	if (end < n && end && s[end - 1] == '#')
		return 0;
	for (i = 0; i + 2 < n; i++) {
		if (s[i] != '.' || s[i + 1] != ' ')
			continue;
		/* The word before the full stop: a word of three letters or more, not "1." or
		 * "e.g.". */
		for (k = i; k && isalpha((unsigned char)s[k - 1]); k--)
			;
		if (i - k < 3 || (k && s[k - 1] == '.'))
			continue;
		k = mn_skip_spaces(s, n, i + 1);
		if (k < n && isupper((unsigned char)s[k]))
			return 1;
	}
	return mn_speech_reported(s, n, resolve_name, ps, discard_name) > 0;
}

static enum mn_kind sentence_kind(struct parser *ps, const char *s, size_t n, const char *speaker)
{
	if (mn_speech_action(s, n, speaker, 0, resolve_name, ps, discard_name))
		return MN_KIND_ACTION;
	if (mn_speech_decision(s, n))
		return MN_KIND_DECISION;
	return MN_KIND_NOTE;
}

/*
 * Adds text[0..n) (within the lines from first) as passages: one normally,
 * but an action or decision stated in a sentence of a longer passage
 * becomes a passage of its own, with the same speakers.
 */
static void add_passage(struct parser *ps, size_t first, const char *text, size_t n,
			const struct mn_label *lab, int labelled, int plain)
{
	const char *speakers[16];
	const char *label = NULL;
	size_t nspeakers = 0, i, at, group_start;
	enum section sec = current_section(ps);
	enum mn_kind group_kind = MN_KIND_NOTE;

	mn_trim(&text, &n);
	if (!n)
		return;
	if (plain) {
		emit_unit(ps, first, text, n, NULL, NULL, 0, MN_KIND_NOTE, 1);
		return;
	}
	if (labelled) {
		for (i = 0; i < ps->nnames; i++)
			speakers[nspeakers++] = ps->names[i];
		label = arena_str(ps, text + lab->start, lab->end - lab->start);
		text += lab->after;
		n -= lab->after;
		mn_trim(&text, &n);
		if (!n)
			return;
	} else {
		const char *who = speaker_context(ps, &label);

		if (who)
			speakers[nspeakers++] = who;
		else
			label = NULL;
	}
	if (sec == SEC_ACTIONS || sec == SEC_DECISIONS) {
		emit_unit(ps, first, text, n, label, speakers, nspeakers,
			  sec == SEC_ACTIONS ? MN_KIND_ACTION : MN_KIND_DECISION, 0);
		return;
	}
	/* Group consecutive sentences of the same kind. */
	group_start = 0;
	for (at = 0; at < n;) {
		size_t end = sentence_end(text, n, at);
		enum mn_kind k =
		    sentence_kind(ps, text + at, end - at, nspeakers ? speakers[0] : NULL);

		if (at > 0 && k != group_kind) {
			emit_unit(ps, first, text + group_start, at - group_start, label, speakers,
				  nspeakers, group_kind, 0);
			group_start = at;
		}
		group_kind = k;
		at = end;
		while (at < n && (text[at] == ' ' || text[at] == '\n'))
			at++;
	}
	emit_unit(ps, first, text + group_start, n - group_start, label, speakers, nspeakers,
		  group_kind, 0);
}

/*
 * Cuts the text of one bullet or paragraph into passages: one per speaker
 * when several speak on it ("Jon: ... MarkH: ... Christoffer: ...").
 */
static void passage(struct parser *ps, size_t first, size_t last, size_t start, int bullet)
{
	const struct mn_line *lf = &ps->lines[first], *ll = &ps->lines[last];
	const char *seg = lf->s + start;
	size_t n = (size_t)(ll->s + ll->len - seg), pos = 0;
	struct mn_label lab, next;
	int labelled = 0;

	mn_trim(&seg, &n);
	if (!n)
		return;
	if (lf->attendee || lf->code || lf->table) {
		add_passage(ps, first, seg, n, NULL, 0, 1);
		return;
	}
	memset(&lab, 0, sizeof(lab));
	if (mn_label_at(seg, n, bullet, bullet, &lab) && accept_label(ps, seg, &lab)) {
		labelled = 1;
		pos = lab.after;
	}
	while (mn_label_inline(seg, n, pos, resolve_inline, ps, &next)) {
		if (labelled)
			accept_label(ps, seg, &lab);
		add_passage(ps, first, seg, next.start, &lab, labelled, 0);
		/* The rest starts at the new label; its offsets become relative to it. */
		seg += next.start;
		n -= next.start;
		lab.start = 0;
		lab.end = next.end - next.start;
		lab.after = next.after - next.start;
		lab.sep = next.sep;
		labelled = accept_label(ps, seg, &lab);
		pos = labelled ? lab.after : lab.end;
	}
	if (labelled)
		accept_label(ps, seg, &lab);
	add_passage(ps, first, seg, n, &lab, labelled, 0);
}

/* ---- the walk -------------------------------------------------------------- */

static void push(struct parser *ps, const struct frame *f)
{
	if (ps->depth == MAX_DEPTH)
		ps->depth--;
	ps->stack[ps->depth++] = *f;
}

static int frame_level(const struct parser *ps)
{
	size_t i;
	int level = 0;

	for (i = 0; i < ps->depth; i++)
		if (ps->stack[i].title)
			level++;
	return level;
}

static int parent_line(const struct parser *ps)
{
	size_t i;

	for (i = ps->depth; i-- > 0;)
		if (ps->stack[i].title && ps->stack[i].kind != MN_TOPIC_SUBTOPIC)
			return ps->stack[i].line;
	return 0;
}

static void add_topic(struct parser *ps, int line, const char *title, enum mn_topic_kind kind)
{
	struct mn_topic *t = mn_doc_add_topic(ps->doc);

	t->line = line;
	t->title = title;
	t->kind = kind;
	t->parent_line = parent_line(ps);
	t->level = frame_level(ps) + 1;
}

static void enter_heading(struct parser *ps, size_t i)
{
	const struct head *h = &ps->heads[i];
	struct frame f;

	while (ps->depth &&
	       (ps->stack[ps->depth - 1].indent >= 0 || ps->stack[ps->depth - 1].rank >= h->rank))
		ps->depth--;
	add_topic(ps, (int)i + 1, h->title, h->kind);
	memset(&f, 0, sizeof(f));
	f.line = (int)i + 1;
	f.title = h->title;
	f.kind = h->kind;
	f.rank = h->rank;
	f.indent = -1;
	f.section = h->section;
	push(ps, &f);
	if (h->date)
		ps->date = h->date;
	ps->section_bullet_indent = -1;
}

/* Whether some line after i, before one indented no deeper than indent, is a deeper bullet. */
static int has_children(const struct parser *ps, size_t i, size_t indent, int *discussing)
{
	size_t k;
	int found = 0;

	*discussing = 0;
	for (k = i + 1; k < ps->nlines; k++) {
		const struct mn_line *l = &ps->lines[k];
		const char *s;
		size_t n;
		struct mn_label lab;

		if (l->blank)
			continue;
		if (ps->is_head[k] || l->indent <= indent)
			break;
		if (!l->bullet)
			continue;
		found = 1;
		line_body(l, &s, &n);
		if (mn_count_words(s, n) >= 8 || (mn_label_at(s, n, 1, 0, &lab) && lab.sep == ':'))
			*discussing = 1;
	}
	return found;
}

static int enclosed_by(const struct parser *ps, enum section sec)
{
	size_t i;

	for (i = 0; i < ps->depth; i++)
		if (ps->stack[i].indent < 0 && ps->stack[i].section == sec)
			return 1;
	return 0;
}

/*
 * The length of the full name of a listed person that s[0..n) starts
 * with, a space (or a no-break one) after it; 0 when there is none.
 */
static size_t listed_name_at(const struct parser *ps, const char *s, size_t n)
{
	size_t i, best = 0;

	for (i = 0; i < ps->roster.npeople; i++) {
		const struct mn_person *p = &ps->roster.people[i];
		size_t len = strlen(p->name);

		if (p->listed && len > best && len < n &&
		    (s[len] == ' ' || mn_is_nbsp(s + len, n - len)) && strchr(p->name, ' ') &&
		    !memcmp(s, p->name, len))
			best = len;
	}
	return best;
}

/*
 * An item of a table of discussion items flattened to a line names its
 * presenters first ("Masami Hiramatsu (Deactivated) Describe Socionext AGL
 * Demo plans", "Unknown User (victor@example.org)"): the title is what
 * follows them, if anything does.
 */
static void without_presenters(const struct parser *ps, const char **s, size_t *n)
{
	static const char unknown[] = "Unknown User (", gone[] = "(Deactivated)";
	const char *p = *s, *end = *s + *n, *close;
	size_t len;

	for (;;) {
		if ((size_t)(end - p) > sizeof(unknown) &&
		    !memcmp(p, unknown, sizeof(unknown) - 1) &&
		    (close = memchr(p, ')', (size_t)(end - p))) != NULL) {
			p = close + 1;
		} else if ((len = listed_name_at(ps, p, (size_t)(end - p))) != 0) {
			p += mn_skip_spaces(p, (size_t)(end - p), len);
			if ((size_t)(end - p) >= sizeof(gone) - 1 &&
			    !memcmp(p, gone, sizeof(gone) - 1))
				p += sizeof(gone) - 1;
		} else {
			break;
		}
		/* The spaces and dashes after a name ("François Ozog -  Infotainment"). */
		while ((p += mn_skip_spaces(p, (size_t)(end - p), 0)) < end && *p == '-')
			p++;
	}
	/* Names alone, or with one word after them, stay the title. */
	if (p == *s || mn_count_words(p, (size_t)(end - p)) < 2)
		return;
	*n = (size_t)(end - p);
	*s = p;
}

/*
 * Bullets that open a topic, or that only name the person whose replies
 * follow. The frame they open goes to *open (when *opened is set), to be
 * pushed after the bullet's own passage: a topic's line is not inside it.
 */
static void bullet_structure(struct parser *ps, size_t i, struct frame *open, int *opened)
{
	const struct mn_line *l = &ps->lines[i];
	enum section sec = current_section(ps);
	struct mn_label lab;
	struct frame f;
	const char *s;
	size_t n;
	int children, discussing, top;
	enum mn_topic_kind kind;

	while (ps->depth && ps->stack[ps->depth - 1].indent >= (long)l->indent)
		ps->depth--;
	if (l->attendee || sec == SEC_ATTENDEES || sec == SEC_ABSENT)
		return;
	if (ps->section_bullet_indent < 0)
		ps->section_bullet_indent = (long)l->indent;
	top = (long)l->indent <= ps->section_bullet_indent;
	line_body(l, &s, &n);
	children = has_children(ps, i, l->indent, &discussing);
	memset(&f, 0, sizeof(f));
	f.line = (int)i + 1;
	f.indent = (long)l->indent;

	/* "* Anna" followed by Anna's points. */
	if (children && name_like(s, n, 0) && roster_person(ps, s, n)) {
		const char *who = resolve_name(ps, s, n);

		if (who) {
			f.speaker = who;
			f.label = arena_str(ps, s, n);
			*open = f;
			*opened = 1;
			return;
		}
	}
	if (mn_label_at(s, n, 1, 1, &lab) && accept_label(ps, s, &lab))
		return;
	if (top && sec == SEC_DISCUSSION)
		kind = MN_TOPIC_ITEM;
	else if (top && children && discussing &&
		 (enclosed_by(ps, SEC_AGENDA) || enclosed_by(ps, SEC_DISCUSSION)))
		kind = MN_TOPIC_ITEM;
	else if (children && n && !strchr(":?", s[n - 1]) && mn_count_words(s, n) <= 20 &&
		 sec != SEC_ACTIONS && sec != SEC_AGENDA && !reads_as_words_said(ps, s, n))
		kind = MN_TOPIC_SUBTOPIC;
	else
		return;
	if (kind == MN_TOPIC_ITEM)
		without_presenters(ps, &s, &n);
	f.title = plain_title(ps, s, n);
	f.kind = kind;
	add_topic(ps, (int)i + 1, f.title, kind);
	*open = f;
	*opened = 1;
}

static int starts_label(struct parser *ps, const struct mn_line *l)
{
	struct mn_label lab;
	const char *s;
	size_t n;

	line_body(l, &s, &n);
	return mn_label_at(s, n, 0, 0, &lab) && lab.sep == ':' && accept_label(ps, s, &lab);
}

static void walk(struct parser *ps)
{
	size_t i = 0;

	ps->date = ps->meeting_date;
	ps->section_bullet_indent = -1;
	while (i < ps->nlines) {
		const struct mn_line *l = &ps->lines[i];
		size_t last = i, start;
		struct frame open;
		int opened = 0;

		if (l->blank || l->skip || l->title || l->rule || l->fence) {
			i++;
			continue;
		}
		if (ps->is_head[i]) {
			enter_heading(ps, i);
			i++;
			continue;
		}
		if (l->table) {
			/* Rows of a table: each row its own passage, the separator row none. */
			const char *s;
			size_t n;

			line_body(l, &s, &n);
			if (strspn(s, " -:|") < n)
				passage(ps, i, i, l->body, 0);
			i++;
			continue;
		}
		if (l->bullet)
			bullet_structure(ps, i, &open, &opened);
		else
			while (ps->depth && ps->stack[ps->depth - 1].indent >= (long)l->indent)
				ps->depth--;
		start = l->body;
		/* Continuation lines: wrapped text of the same bullet or paragraph. */
		while (last + 1 < ps->nlines) {
			const struct mn_line *nx = &ps->lines[last + 1];

			if (nx->blank || nx->bullet || nx->heading || nx->table || nx->rule ||
			    nx->fence || ps->is_head[last + 1] || nx->title || nx->skip ||
			    nx->code != l->code || nx->attendee != l->attendee)
				break;
			if (!l->code && starts_label(ps, nx))
				break;
			last++;
		}
		/* A bullet that only names a speaker says nothing itself. */
		if (!(opened && open.speaker))
			passage(ps, i, last, start, l->bullet);
		if (opened)
			push(ps, &open);
		i = last + 1;
	}
}

/* ---- meeting: dates, series, attendees ------------------------------------- */

static void add_evidence(struct mn_date *ev, size_t *nev, const char *s, size_t n)
{
	struct mn_date d;
	size_t start, end, off = 0;

	while (*nev < 16 && off < n && mn_date_find(s + off, n - off, &d, &start, &end)) {
		ev[(*nev)++] = d;
		off += end;
	}
}

/* "2023-07/july-11.md": the month and day of the name, the year of the folder. */
static void path_evidence(const char *path, struct mn_date *ev, size_t *nev)
{
	const char *base = strrchr(path, '/');
	struct mn_date d, fd;
	size_t blen;

	base = base ? base + 1 : path;
	blen = strlen(base);
	if (!mn_date_find(base, blen, &d, NULL, NULL)) {
		/* "july-11": mn_date_find needs a space or comma between the parts. */
		char *t = mn_xstrdup(base);
		char *p;

		for (p = t; *p; p++)
			if (*p == '-' || *p == '_')
				*p = ' ';
		if (!mn_date_find(t, strlen(t), &d, NULL, NULL)) {
			free(t);
			return;
		}
		free(t);
	}
	if (!d.year && base > path) {
		const char *dir = base - 1, *dstart = dir;

		while (dstart > path && dstart[-1] != '/')
			dstart--;
		if (mn_date_find(dstart, (size_t)(dir - dstart), &fd, NULL, NULL) && fd.year &&
		    (!fd.month || fd.month == d.month))
			d.year = fd.year;
	}
	if (*nev < 16)
		ev[(*nev)++] = d;
}

/*
 * The meeting's dates: the sessions' dates when it has sessions, else the
 * first full date stated in the front matter, the title, the first lines or
 * the file's path. A day without a year takes the year stated elsewhere
 * ("Wed July 11" with "July 2018").
 */
static void find_dates(struct parser *ps)
{
	struct mn_date ev[16];
	size_t nev = 0, i, seen = 0;
	int year = 0, year_month = 0;
	char iso[11];

	if (ps->fm_date)
		add_evidence(ev, &nev, ps->fm_date, strlen(ps->fm_date));
	if (ps->doc->title)
		add_evidence(ev, &nev, ps->doc->title, strlen(ps->doc->title));
	for (i = 0; i < ps->nlines && seen < 15; i++) {
		const struct mn_line *l = &ps->lines[i];

		if (l->blank)
			continue;
		seen++;
		if (l->title || i < 15)
			add_evidence(ev, &nev, l->s, l->len);
	}
	path_evidence(ps->path, ev, &nev);
	for (i = 0; i < nev; i++)
		if (ev[i].year && !year) {
			year = ev[i].year;
			year_month = ev[i].month;
		}
	for (i = 0; i < nev; i++) {
		if (!ev[i].year && ev[i].month && ev[i].day && year &&
		    (!year_month || year_month == ev[i].month))
			ev[i].year = year;
	}
	for (i = 0; i < nev; i++)
		if (ev[i].year && ev[i].month && ev[i].day)
			break;
	if (i == nev)
		for (i = 0; i < nev; i++)
			if (ev[i].year && ev[i].month)
				break;
	if (i < nev) {
		mn_date_format(&ev[i], iso);
		ps->meeting_date = arena_str(ps, iso, strlen(iso));
	}
	/* Sessions with their own dates replace the meeting date for what they hold. */
	{
		int sessions = 0;

		for (i = 0; i < ps->nlines; i++) {
			struct head *h = &ps->heads[i];

			if (!ps->is_head[i] || h->kind != MN_TOPIC_SESSION)
				continue;
			if (!h->date && ps->is_head[i]) {
				struct mn_date d;
				const char *t = h->title;

				if (mn_date_find(t, strlen(t), &d, NULL, NULL) && d.month &&
				    d.day && year) {
					d.year = year;
					mn_date_format(&d, iso);
					h->date = arena_str(ps, iso, strlen(iso));
				}
			}
			if (h->date) {
				mn_doc_add_date(ps->doc, h->date);
				sessions++;
			}
		}
		if (!sessions && ps->meeting_date)
			mn_doc_add_date(ps->doc, ps->meeting_date);
		if (sessions && !ps->meeting_date)
			ps->meeting_date = ps->doc->dates[0];
	}
}

static void finish_attendees(struct parser *ps)
{
	size_t i;

	for (i = 0; i < ps->roster.npeople; i++) {
		const struct mn_person *p = &ps->roster.people[i];
		struct mn_attendee *a;

		if (!p->listed)
			continue;
		a = mn_doc_add_attendee(ps->doc);
		a->name = p->name;
		a->org = p->org;
		a->aliases = mn_doc_strv(ps->doc, p->aliases, p->naliases);
		a->naliases = p->naliases;
		a->line = p->line;
	}
}

/* Knows context's attendees from the start, as a later piece of its file must. */
static void seed_roster(struct parser *ps, const struct mn_doc *context)
{
	size_t i, k;

	for (i = 0; i < context->nattendees; i++) {
		const struct mn_attendee *a = &context->attendees[i];
		struct mn_person *p = mn_roster_add(&ps->roster, a->name, a->org, a->line, 1);

		for (k = 0; k < a->naliases; k++)
			mn_roster_alias(&ps->roster, p, a->aliases[k]);
	}
	ps->have_list = context->nattendees > 0;
}

static int parse_text(struct mn_doc *doc, const struct mn_doc *context, const char *path,
		      const char *data, size_t len, struct mn_err *err)
{
	struct parser ps;

	memset(&ps, 0, sizeof(ps));
	ps.doc = doc;
	ps.path = path;
	ps.data = data;
	ps.len = len;
	ps.title_line = -1;
	mn_roster_init(&ps.roster, &doc->arena);
	split_lines(&ps);
	if (context) {
		seed_roster(&ps, context);
		ps.meeting_date = context->ndates ? context->dates[0] : NULL;
	} else {
		front_matter(&ps);
		find_title(&ps);
	}
	find_headings(&ps);
	if (!context)
		find_dates(&ps);
	find_attendees(&ps);
	find_full_names(&ps);
	count_labels(&ps);
	find_abbreviations(&ps);
	walk(&ps);
	if (!context) {
		finish_attendees(&ps);
		doc->series = mn_series_of(doc, ps.fm_series, ps.list_name, data, len);
	}

	mn_roster_release(&ps.roster);
	free(ps.lines);
	free(ps.heads);
	free(ps.is_head);
	free(ps.labels);
	mn_strmap_release(&ps.cache);
	mn_strmap_release(&ps.label_index);
	(void)err;
	return MN_OK;
}

int mn_parse_text(struct mn_doc *doc, const char *path, const char *data, size_t len,
		  struct mn_err *err)
{
	return parse_text(doc, NULL, path, data, len, err);
}

int mn_parse_text_after(struct mn_doc *doc, const struct mn_doc *context, const char *data,
			size_t len, struct mn_err *err)
{
	return parse_text(doc, context, context->path, data, len, err);
}
