#include "mn_parse.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mn_text.h"

/* Deepest heading nesting kept in a topic path. */
#define MAX_DEPTH 8

/* One physical line of the file and what it looks like. */
struct line {
	const char *s;  /* first byte of the line */
	size_t len;     /* bytes, without the newline */
	size_t indent;  /* columns of leading white space */
	size_t body;    /* byte offset of the content after indent and bullet */
	int blank;
	int bullet;     /* a list item ("-", "*", "•", "1.") */
	int heading;    /* markdown heading level, or 0 */
	int plain_heading; /* a stand-alone title-like line heading what follows */
};

struct parser {
	struct mn_doc *doc;
	struct line *lines;
	size_t nlines;
	int title_line;          /* 0-based index of the title line, or -1 */
	const char *topics[MAX_DEPTH];
	int topic_levels[MAX_DEPTH];
	size_t ntopics;
	const char *date;        /* date of the current session */
};

int mn_parse_accepts(const char *path)
{
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');

	if (!dot || (slash && dot < slash))
		return 0;
	return !strcasecmp(dot, ".txt") || !strcasecmp(dot, ".md") ||
	       !strcasecmp(dot, ".markdown");
}

static const char *format_of(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (dot && (!strcasecmp(dot, ".md") || !strcasecmp(dot, ".markdown")))
		return "markdown";
	return "text";
}

/* Length of a list marker and the space after it at s, or 0. */
static size_t bullet_len(const char *s, size_t n)
{
	static const char *const glyphs[] = { "\xe2\x80\xa2", "\xe2\x97\xa6", "\xe2\x96\xaa",
					      "\xe2\x80\xa3", "\xc2\xb7", "-", "*", "+" };
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
		return m;
	}
	if (mn_is_nbsp(s + m, n - m))
		return m + 2;
	return 0;
}

static void scan_line(struct line *l)
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
	if (l->s[i] == '#') {
		size_t h = 0;

		while (i + h < l->len && l->s[i + h] == '#')
			h++;
		if (h <= 6 && (i + h == l->len || l->s[i + h] == ' ' || l->s[i + h] == '\t')) {
			l->heading = (int)h;
			l->body = i + h;
			while (l->body < l->len && (l->s[l->body] == ' ' || l->s[l->body] == '\t'))
				l->body++;
			return;
		}
	}
	b = bullet_len(l->s + i, l->len - i);
	if (b) {
		l->bullet = 1;
		l->body = i + b;
	}
}

static void split_lines(struct parser *ps, const char *data, size_t len)
{
	size_t cap = 0, i = 0;

	while (i < len) {
		const char *nl = memchr(data + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - data) : len;
		struct line *l;

		MN_GROW(ps->lines, ps->nlines + 1, cap);
		l = &ps->lines[ps->nlines++];
		memset(l, 0, sizeof(*l));
		l->s = data + i;
		l->len = end - i;
		scan_line(l);
		i = end + 1;
	}
}

/* The trimmed content of line l after its indent, bullet or heading marks. */
static void line_body(const struct line *l, const char **s, size_t *n)
{
	*s = l->s + l->body;
	*n = l->len - l->body;
	mn_trim(s, n);
}

static size_t count_words(const char *s, size_t n)
{
	size_t i = 0, words = 0;

	while (i < n) {
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i < n)
			words++;
		while (i < n && s[i] != ' ' && s[i] != '\t')
			i++;
	}
	return words;
}

static int next_nonblank(const struct parser *ps, size_t i)
{
	for (i++; i < ps->nlines; i++)
		if (!ps->lines[i].blank)
			return (int)i;
	return -1;
}

/* Labels that look like "Name:" but introduce fields, not speakers. */
static const char *const non_speakers[] = {
	"Action",     "Actions",     "Action item", "Action items", "Agenda",     "Agreed",
	"AI",         "Answer",      "Attachment",  "Attendees",    "Background", "Cc",
	"Companies",  "Conclusion",  "Date",        "Decision",     "Description", "Example",
	"From",       "Goal",        "Goals",       "Issue",        "Link",       "Links",
	"Location",   "Minutes",     "Next steps",  "Note",         "Notes",      "Outcome",
	"Owner",      "Owners",      "Participants", "Present",     "Presenter",  "Presenters",
	"Proposal",   "Question",    "Questions",   "Re",           "Resolved",   "Result",
	"Results",    "Slides",      "Stakeholder", "Stakeholders", "Status",     "Subject",
	"Summary",    "Time",        "To",          "Todo",         "Topic",      "Update",
	"Where",      "When",        "Why",         "What",         "How",        "Who",
};

static int is_non_speaker(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(non_speakers) / sizeof(*non_speakers); i++)
		if (mn_strneq_ci(s, n, non_speakers[i]))
			return 1;
	return 0;
}

static int name_char(unsigned char c)
{
	return isalpha(c) || c == '.' || c == '\'' || c == '-' || c >= 0x80;
}

/*
 * Matches a speaker label at the start of s: one to three capitalised words
 * (or "A/B" for two speakers), optional emphasis, optional spaces, then a
 * colon and white space. Sets the label's range and the offset of the text
 * after it.
 */
static int match_label(const char *s, size_t n, size_t *lstart, size_t *llen, size_t *after)
{
	size_t i = 0, start, end, words = 0;

	while (i < n && (s[i] == '*' || s[i] == '_'))
		i++;
	start = i;
	for (;;) {
		unsigned char c = (unsigned char)(i < n ? s[i] : 0);

		if (!(isupper(c) || c >= 0xc3))
			return 0;
		while (i < n && name_char((unsigned char)s[i]) && !mn_is_nbsp(s + i, n - i))
			i++;
		if (++words > 3)
			return 0;
		if (i + 1 < n && (s[i] == ' ' || s[i] == '/') &&
		    (isupper((unsigned char)s[i + 1]) || (unsigned char)s[i + 1] >= 0xc3)) {
			i++;
			continue;
		}
		break;
	}
	end = i;
	while (end > start && (s[end - 1] == '.' || s[end - 1] == '-'))
		end--;
	for (;;) {
		if (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		else if (mn_is_nbsp(s + i, n - i))
			i += 2;
		else
			break;
	}
	while (i < n && (s[i] == '*' || s[i] == '_'))
		i++;
	if (i >= n || s[i] != ':')
		return 0;
	i++;
	while (i < n && (s[i] == '*' || s[i] == '_'))
		i++;
	if (i < n && s[i] != ' ' && s[i] != '\t' && !mn_is_nbsp(s + i, n - i))
		return 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (end - start > 40 || is_non_speaker(s + start, end - start))
		return 0;
	*lstart = start;
	*llen = end - start;
	*after = i;
	return 1;
}

/* Whether line i is a stand-alone, title-like line in a plain-text file. */
static int looks_like_heading(const struct parser *ps, size_t i)
{
	const struct line *l = &ps->lines[i];
	const char *s;
	size_t n, a, b, c;
	char last;

	if (l->blank || l->bullet || l->heading || l->indent > 2)
		return 0;
	if (i > 0 && !ps->lines[i - 1].blank)
		return 0;
	line_body(l, &s, &n);
	if (n == 0 || n > 80 || count_words(s, n) > 10)
		return 0;
	if (!(isupper((unsigned char)s[0]) || isdigit((unsigned char)s[0]) ||
	      (unsigned char)s[0] >= 0xc3))
		return 0;
	last = s[n - 1];
	if (strchr(".,:;!?", last))
		return 0;
	if (match_label(s, n, &a, &b, &c))
		return 0;
	return 1;
}

/*
 * Marks plain-text heading lines: title-like lines that head body content.
 * A candidate followed directly by another candidate heads nothing (it is an
 * agenda entry or a stand-alone sentence), so the file is read bottom up.
 */
static void find_plain_headings(struct parser *ps)
{
	size_t i;

	/* Files that mark their headings with '#' say what their headings are. */
	for (i = 0; i < ps->nlines; i++)
		if (ps->lines[i].heading)
			return;
	for (i = ps->nlines; i-- > 0;) {
		int next;

		if ((int)i == ps->title_line || !looks_like_heading(ps, i))
			continue;
		next = next_nonblank(ps, i);
		if (next < 0)
			continue;
		if (ps->lines[next].heading || ps->lines[next].plain_heading)
			continue;
		if (!ps->lines[next].bullet && looks_like_heading(ps, (size_t)next))
			continue;
		ps->lines[i].plain_heading = 1;
	}
}

/* Drops mailing-list boilerplate ("Re: [Xen-devel] ") from a title. */
static void strip_title(const char **s, size_t *n)
{
	int changed = 1;

	while (changed) {
		changed = 0;
		mn_trim(s, n);
		if (*n >= 3 && (mn_strneq_ci(*s, 3, "re:") || mn_strneq_ci(*s, 3, "aw:"))) {
			*s += 3;
			*n -= 3;
			changed = 1;
		} else if (*n >= 4 && mn_strneq_ci(*s, 4, "fwd:")) {
			*s += 4;
			*n -= 4;
			changed = 1;
		} else if (*n && **s == '[') {
			const char *close = memchr(*s, ']', *n);

			if (close && (size_t)(close - *s) + 1 < *n) {
				*n -= (size_t)(close - *s) + 1;
				*s = close + 1;
				changed = 1;
			}
		}
	}
}

static void find_title(struct parser *ps)
{
	size_t i;

	ps->title_line = -1;
	for (i = 0; i < ps->nlines && i < 40; i++) {
		const struct line *l = &ps->lines[i];
		const char *s;
		size_t n;

		if (l->blank)
			continue;
		line_body(l, &s, &n);
		/* Archive navigation such as "[Date Prev][Date Next]" names nothing. */
		if (n && s[0] == '[' && s[n - 1] == ']')
			continue;
		strip_title(&s, &n);
		if (!n)
			continue;
		ps->doc->title = mn_arena_strndup(&ps->doc->arena, s, n);
		ps->title_line = (int)i;
		return;
	}
}

static const char *date_in(struct parser *ps, const char *s, size_t n)
{
	struct mn_date d;
	char iso[11];

	if (!mn_date_find(s, n, &d, NULL, NULL) || !d.year || !d.month)
		return NULL;
	mn_date_format(&d, iso);
	return mn_arena_strdup(&ps->doc->arena, iso);
}

/* The meeting's date: from its title, else its file name, else its first lines. */
static void find_date(struct parser *ps, const char *path)
{
	const char *base = strrchr(path, '/');
	const char *date = NULL;
	size_t i;

	if (ps->doc->title)
		date = date_in(ps, ps->doc->title, strlen(ps->doc->title));
	if (!date) {
		base = base ? base + 1 : path;
		date = date_in(ps, base, strlen(base));
	}
	for (i = 0; !date && i < ps->nlines && i < 20; i++)
		date = date_in(ps, ps->lines[i].s, ps->lines[i].len);
	ps->date = date;
}

static void push_topic(struct parser *ps, int level, const char *s, size_t n)
{
	while (ps->ntopics && ps->topic_levels[ps->ntopics - 1] >= level)
		ps->ntopics--;
	if (ps->ntopics == MAX_DEPTH)
		ps->ntopics--;
	ps->topics[ps->ntopics] = mn_arena_strndup(&ps->doc->arena, s, n);
	ps->topic_levels[ps->ntopics] = level;
	ps->ntopics++;
}

/* Starts of text that mark an action item or a decision. */
static enum mn_kind kind_of_text(const char *s, size_t n)
{
	static const char *const actions[] = { "action:", "action item:", "ai:", "todo:" };
	static const char *const decisions[] = { "agreed", "decision:", "decided:", "resolved:" };
	size_t i;

	while (n && (*s == '*' || *s == '_')) {
		s++;
		n--;
	}
	for (i = 0; i < sizeof(actions) / sizeof(*actions); i++)
		if (n >= strlen(actions[i]) && !strncasecmp(s, actions[i], strlen(actions[i])))
			return MN_KIND_ACTION;
	for (i = 0; i < sizeof(decisions) / sizeof(*decisions); i++)
		if (n >= strlen(decisions[i]) && !strncasecmp(s, decisions[i], strlen(decisions[i])))
			return MN_KIND_DECISION;
	return MN_KIND_NOTE;
}

/* A passage being gathered: from line first (at byte col) through line last. */
struct pending {
	int open;
	size_t first, last, col;
	size_t indent; /* indent of the bullet that opened it */
	int bullet;
};

static void emit(struct parser *ps, struct pending *pp)
{
	struct mn_doc *doc = ps->doc;
	const struct line *first, *last;
	struct mn_passage *p;
	const char *text;
	size_t n, ls, ll, after;

	if (!pp->open)
		return;
	pp->open = 0;
	first = &ps->lines[pp->first];
	last = &ps->lines[pp->last];
	text = first->s + pp->col;
	n = (size_t)(last->s + last->len - text);
	mn_trim(&text, &n);
	if (!n)
		return;

	p = mn_doc_add_passage(doc);
	p->line = (int)pp->first + 1;
	p->end_line = (int)pp->last + 1;
	p->kind = MN_KIND_NOTE;
	if (match_label(text, n, &ls, &ll, &after)) {
		const char *label = mn_arena_strndup(&doc->arena, text + ls, ll);

		p->speaker_label = label;
		p->speakers = mn_doc_strv(doc, &label, 1);
		p->nspeakers = 1;
		p->kind = MN_KIND_UTTERANCE;
		text += after;
		n -= after;
	}
	if (n) {
		enum mn_kind k = kind_of_text(text, n);

		if (k != MN_KIND_NOTE)
			p->kind = k;
	}
	p->col = (int)(text - first->s) + 1;
	p->text = mn_arena_strndup(&doc->arena, text, n);
	p->topic_path = mn_doc_strv(doc, ps->topics, ps->ntopics);
	p->ntopic_path = ps->ntopics;
	p->date = ps->date;
}

static void open_at(struct pending *pp, size_t i, const struct line *l, size_t col)
{
	pp->open = 1;
	pp->first = pp->last = i;
	pp->col = col;
	pp->indent = l->indent;
	pp->bullet = l->bullet;
}

/* A heading that states a full date starts a session on that date. */
static void heading_date(struct parser *ps, const char *s, size_t n)
{
	struct mn_date d;
	char iso[11];

	if (mn_date_find(s, n, &d, NULL, NULL) && d.year && d.month && d.day) {
		mn_date_format(&d, iso);
		ps->date = mn_arena_strdup(&ps->doc->arena, iso);
		mn_doc_add_date(ps->doc, iso);
	}
}

static void build_passages(struct parser *ps)
{
	struct pending pp = { 0 };
	size_t i;

	for (i = 0; i < ps->nlines; i++) {
		const struct line *l = &ps->lines[i];
		const char *s;
		size_t n, a, b, c;

		if (l->blank || (int)i == ps->title_line) {
			emit(ps, &pp);
			continue;
		}
		line_body(l, &s, &n);
		if (l->heading || l->plain_heading) {
			emit(ps, &pp);
			if (n) {
				push_topic(ps, l->heading ? l->heading : 1, s, n);
				heading_date(ps, s, n);
			}
			continue;
		}
		if (l->bullet) {
			emit(ps, &pp);
			open_at(&pp, i, l, l->body);
			continue;
		}
		if (pp.open && !match_label(s, n, &a, &b, &c)) {
			pp.last = i;
			continue;
		}
		emit(ps, &pp);
		open_at(&pp, i, l, l->body);
	}
	emit(ps, &pp);
}

/* Skips YAML front matter ("---" ... "---" at the top of a file). */
static size_t front_matter_end(const char *data, size_t len)
{
	const char *p;

	if (len < 4 || memcmp(data, "---\n", 4))
		return 0;
	for (p = data + 4; p < data + len;) {
		const char *nl = memchr(p, '\n', (size_t)(data + len - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(data + len - p);

		if ((n == 3 && !memcmp(p, "---", 3)) || (n == 3 && !memcmp(p, "...", 3)))
			return nl ? (size_t)(nl + 1 - data) : len;
		if (!nl)
			break;
		p = nl + 1;
	}
	return 0;
}

int mn_parse(const char *path, const char *data, size_t len, struct mn_doc **out,
	     struct mn_err *err)
{
	struct parser ps;
	size_t skip, i;

	memset(&ps, 0, sizeof(ps));
	ps.doc = mn_doc_new(path);
	ps.doc->format = format_of(path);
	skip = front_matter_end(data, len);
	split_lines(&ps, data, len);
	/* Front matter lines stay counted so that line numbers match the file. */
	for (i = 0; i < ps.nlines && ps.lines[i].s < data + skip; i++)
		ps.lines[i].blank = 1;

	find_title(&ps);
	find_date(&ps, path);
	if (ps.date)
		mn_doc_add_date(ps.doc, ps.date);
	find_plain_headings(&ps);
	build_passages(&ps);

	free(ps.lines);
	*out = ps.doc;
	(void)err;
	return MN_OK;
}
