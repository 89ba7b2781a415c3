/*
 * The parser's front door: recognises a file's format by its name and
 * content, and the readers for the formats that are not plain text or
 * Markdown: WebVTT and SRT transcripts (Zoom, Teams), IRC logs with
 * MeetBot commands, and HTML exports (Confluence, Google Docs) read with
 * libxml2's HTML parser.
 */
#include <ctype.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mn_parse.h"
#include "mn_parse_int.h"
#include "mn_roster.h"
#include "mn_speech.h"

void mn_parse_init(void)
{
	xmlInitParser();
}
#include "mn_text.h"

enum format { F_TEXT, F_MARKDOWN, F_VTT, F_SRT, F_IRC, F_HTML, F_UNKNOWN };

static const char *extension(const char *path)
{
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');

	if (!dot || (slash && dot < slash))
		return "";
	return dot + 1;
}

int mn_parse_accepts(const char *path)
{
	static const char *const known[] = {"txt",  "md",  "markdown", "vtt", "srt",
					    "html", "htm", "xhtml",    "log", "irc"};
	const char *ext = extension(path);
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(*known); i++)
		if (!strcasecmp(ext, known[i]))
			return 1;
	return 0;
}

/* ---- lines of a buffer ----------------------------------------------------- */

struct cursor {
	const char *data, *end, *p;
	int line; /* 1-based number of the line p is on */
};

/* Reads the next line into *s, *n; returns 0 at the end. */
static int next_line(struct cursor *c, const char **s, size_t *n)
{
	const char *nl;

	if (c->p >= c->end)
		return 0;
	nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
	*s = c->p;
	*n = nl ? (size_t)(nl - c->p) : (size_t)(c->end - c->p);
	c->p = nl ? nl + 1 : c->end;
	c->line++;
	return 1;
}

/* ---- timestamps ------------------------------------------------------------ */

/* Parses "01:02:03.456", "02:03.456" or "01:02:03,456" at s; returns its length or 0. */
static size_t timestamp_at(const char *s, size_t n)
{
	size_t i = 0, groups = 0;

	for (;;) {
		size_t d = 0;

		while (i < n && isdigit((unsigned char)s[i]) && d < 3)
			i++, d++;
		if (d < 1)
			return 0;
		groups++;
		if (i < n && s[i] == ':' && groups < 3) {
			i++;
			continue;
		}
		break;
	}
	if (groups < 2)
		return 0;
	if (i < n && (s[i] == '.' || s[i] == ',')) {
		size_t d = 0;

		i++;
		while (i < n && isdigit((unsigned char)s[i]))
			i++, d++;
		if (!d)
			return 0;
	}
	return i;
}

/* "00:00:01.000 --> 00:00:04.000": the start time's length, or 0 when not a timing line. */
static size_t timing_line(const char *s, size_t n)
{
	size_t t = timestamp_at(s, n), i;

	if (!t)
		return 0;
	i = t;
	while (i < n && s[i] == ' ')
		i++;
	if (i + 3 > n || memcmp(s + i, "-->", 3))
		return 0;
	return t;
}

static void normalise_time(const char *s, size_t n, char *out, size_t cap)
{
	size_t i;

	if (n >= cap)
		n = cap - 1;
	for (i = 0; i < n; i++)
		out[i] = s[i] == ',' ? '.' : s[i];
	out[n] = '\0';
}

/* ---- shared: speakers of transcripts and logs ------------------------------- */

/* The title of a file without one: its name without folders or extension. */
static void title_from_path(struct mn_doc *doc)
{
	const char *base = strrchr(doc->path, '/');
	const char *dot;

	base = base ? base + 1 : doc->path;
	dot = strrchr(base, '.');
	doc->title = mn_arena_strndup(&doc->arena, base,
				      dot && dot > base ? (size_t)(dot - base) : strlen(base));
}

/* The meeting's date from its path ("2023-07/july-11.vtt", "2019-01-02.log"). */
static void date_from_path(struct mn_doc *doc, const char *more, size_t more_n)
{
	struct mn_date d;
	char iso[11];
	const char *path = doc->path;

	if ((more && mn_date_find(more, more_n, &d, NULL, NULL) && d.year && d.month) ||
	    (mn_date_find(path, strlen(path), &d, NULL, NULL) && d.year && d.month)) {
		mn_date_format(&d, iso);
		mn_doc_add_date(doc, iso);
	}
}

/* Lists every distinct speaker as an attendee, in order of first words. */
static void speakers_as_attendees(struct mn_doc *doc)
{
	size_t i, k;

	for (i = 0; i < doc->npassages; i++) {
		const struct mn_passage *p = &doc->passages[i];

		if (!p->nspeakers || !p->speaker_label || p->kind == MN_KIND_REPORTED)
			continue;
		for (k = 0; k < doc->nattendees; k++)
			if (!strcmp(doc->attendees[k].name, p->speakers[0]))
				break;
		if (k == doc->nattendees) {
			struct mn_attendee *a = mn_doc_add_attendee(doc);

			a->name = p->speakers[0];
			a->line = p->line;
		}
	}
}

/* The people of a transcript or log: everyone who speaks. */
struct talk {
	struct mn_doc *doc;
	struct mn_roster roster;
	const char *topic;
};

static const char *talk_resolve(void *ctx, const char *s, size_t n)
{
	struct talk *st = ctx;
	char *t = mn_xstrndup(s, n);
	struct mn_person *p = mn_roster_resolve_exact(&st->roster, t);

	free(t);
	return p ? p->name : NULL;
}

/* Adds an owner to the last passage of the document. */
static void talk_owner(void *ctx, const char *name)
{
	struct talk *st = ctx;
	struct mn_passage *p = &st->doc->passages[st->doc->npassages - 1];
	const char **owners = mn_arena_alloc(&st->doc->arena, (p->nowners + 1) * sizeof(*owners));

	if (p->nowners)
		memcpy(owners, p->owners, p->nowners * sizeof(*owners));
	owners[p->nowners++] = mn_arena_strdup(&st->doc->arena, name);
	p->owners = owners;
}

/* Marks the last passage as an action or a decision when its words say so. */
static void talk_classify(struct talk *st)
{
	struct mn_passage *p = &st->doc->passages[st->doc->npassages - 1];
	size_t n = strlen(p->text);

	if (mn_speech_decision(p->text, n))
		p->kind = MN_KIND_DECISION;
	if (mn_speech_action(p->text, n, p->nspeakers ? p->speakers[0] : NULL, 0, talk_resolve, st,
			     talk_owner))
		p->kind = MN_KIND_ACTION;
}

/* ---- WebVTT and SRT ---------------------------------------------------------- */

/* Copies a cue's text without markup: "<v Bob>Hi</v>" gives "Hi", with Bob in *voice. */
static void strip_cue_tags(const char *s, size_t n, struct mn_buf *out, char *voice, size_t vcap)
{
	size_t i = 0;

	while (i < n) {
		if (s[i] == '<') {
			const char *close = memchr(s + i, '>', n - i);

			if (!close)
				break;
			if (i + 2 < n && s[i + 1] == 'v' && (s[i + 2] == ' ' || s[i + 2] == '.')) {
				const char *name =
				    memchr(s + i + 2, ' ', (size_t)(close - (s + i + 2)));
				size_t vn;

				if (name) {
					name++;
					vn = (size_t)(close - name);
					if (vn >= vcap)
						vn = vcap - 1;
					memcpy(voice, name, vn);
					voice[vn] = '\0';
				}
			}
			i = (size_t)(close - s) + 1;
			continue;
		}
		mn_buf_addc(out, s[i]);
		i++;
	}
}

struct cue_passage {
	int line, end_line;
	char time[32];
	char speaker[128];
	struct mn_buf text;
};

static void flush_cue(struct talk *st, struct cue_passage *cp)
{
	struct mn_doc *doc = st->doc;
	struct mn_passage *p;
	const char *t = mn_buf_str(&cp->text);
	size_t n = cp->text.len;

	mn_trim(&t, &n);
	if (!n) {
		mn_buf_reset(&cp->text);
		return;
	}
	p = mn_doc_add_passage(doc);
	p->line = cp->line;
	p->end_line = cp->end_line;
	p->col = 1;
	p->kind = MN_KIND_NOTE;
	p->text = mn_arena_strndup(&doc->arena, t, n);
	p->time = mn_arena_strdup(&doc->arena, cp->time);
	p->date = doc->ndates ? doc->dates[0] : NULL;
	if (cp->speaker[0]) {
		struct mn_person *who = mn_roster_add(&st->roster, cp->speaker, NULL, cp->line, 0);
		const char *name = who->name;

		p->kind = MN_KIND_UTTERANCE;
		p->speaker_label = mn_arena_strdup(&doc->arena, cp->speaker);
		p->speakers = mn_doc_strv(doc, &name, 1);
		p->nspeakers = 1;
	}
	talk_classify(st);
	mn_buf_reset(&cp->text);
	cp->speaker[0] = '\0';
}

/*
 * Reads cues: a timing line, then text lines until a blank line. The
 * speaker is a "Name:" label or a <v Name> voice tag; consecutive cues of
 * one speaker make one passage, timed by its first cue.
 */
static void parse_cues(struct mn_doc *doc, const char *data, size_t len)
{
	struct cursor c = {data, data + len, data, 0};
	struct cue_passage cp;
	struct talk st;
	const char *s;
	size_t n;
	int in_cue = 0;
	char cue_time[32] = "";

	memset(&cp, 0, sizeof(cp));
	memset(&st, 0, sizeof(st));
	st.doc = doc;
	mn_roster_init(&st.roster, &doc->arena);
	while (next_line(&c, &s, &n)) {
		size_t t = timing_line(s, n);

		if (t) {
			normalise_time(s, t, cue_time, sizeof(cue_time));
			in_cue = 1;
			continue;
		}
		if (!n || (n == 1 && s[0] == '\r')) {
			in_cue = 0;
			continue;
		}
		if (!in_cue)
			continue; /* cue numbers, WEBVTT header, NOTE and STYLE blocks */
		{
			struct mn_buf clean = MN_BUF_INIT;
			char voice[128] = "";
			struct mn_label lab;
			const char *text, *speaker = NULL;
			size_t tn, sn = 0;

			strip_cue_tags(s, n, &clean, voice, sizeof(voice));
			text = mn_buf_str(&clean);
			tn = clean.len;
			mn_trim(&text, &tn);
			if (mn_label_at(text, tn, 0, 0, &lab) && lab.sep == ':') {
				speaker = text + lab.start;
				sn = lab.end - lab.start;
				text += lab.after;
				tn -= lab.after;
			} else if (voice[0]) {
				speaker = voice;
				sn = strlen(voice);
			}
			/* A new speaker, or a long passage, starts a new passage. */
			if (cp.text.len && ((speaker && (strlen(cp.speaker) != sn ||
							 strncmp(cp.speaker, speaker, sn))) ||
					    cp.text.len > 2000))
				flush_cue(&st, &cp);
			if (!cp.text.len) {
				cp.line = c.line;
				snprintf(cp.time, sizeof(cp.time), "%s", cue_time);
				if (speaker)
					snprintf(cp.speaker, sizeof(cp.speaker), "%.*s", (int)sn,
						 speaker);
			} else {
				mn_buf_addc(&cp.text, '\n');
			}
			mn_buf_add(&cp.text, text, tn);
			cp.end_line = c.line;
			mn_buf_release(&clean);
		}
	}
	flush_cue(&st, &cp);
	mn_buf_release(&cp.text);
	mn_roster_release(&st.roster);
}

/* ---- IRC and MeetBot ------------------------------------------------------------ */

/* One message of an IRC log: time, nick and text, or NULL nick for other lines. */
struct irc_msg {
	char time[32];
	const char *nick;
	size_t nick_n;
	const char *text;
	size_t text_n;
	int action; /* "* nick waves" */
};

/*
 * Recognises "[12:34] <nick> text", "12:34:56 <nick> text",
 * "2020-01-02 12:34:56 <nick> text", "<nick> text", "12:34 < nick> text"
 * and "[12:34] * nick does something".
 */
static int irc_line(const char *s, size_t n, struct irc_msg *m)
{
	size_t i = 0, t;
	struct mn_date d;
	size_t ds, de;

	memset(m, 0, sizeof(*m));
	if (n > 10 && mn_date_find(s, 10, &d, &ds, &de) && ds == 0 && de == 10 && s[10] == ' ')
		i = 11;
	if (i < n && s[i] == '[') {
		t = timestamp_at(s + i + 1, n - i - 1);
		if (!t || i + 1 + t >= n || s[i + 1 + t] != ']')
			return 0;
		normalise_time(s + i + 1, t, m->time, sizeof(m->time));
		i += t + 2;
	} else if ((t = timestamp_at(s + i, n - i)) != 0) {
		normalise_time(s + i, t, m->time, sizeof(m->time));
		i += t;
	}
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i < n && s[i] == '<') {
		const char *close = memchr(s + i, '>', n - i);
		const char *nick = s + i + 1;

		if (!close || close == nick)
			return 0;
		while (nick < close && (*nick == ' ' || *nick == '@' || *nick == '+'))
			nick++;
		if (nick == close || memchr(nick, ' ', (size_t)(close - nick)))
			return 0;
		m->nick = nick;
		m->nick_n = (size_t)(close - nick);
		m->text = close + 1;
		m->text_n = (size_t)(s + n - m->text);
		mn_trim(&m->text, &m->text_n);
		return 1;
	}
	if (i + 2 < n && s[i] == '*' && s[i + 1] == ' ' && m->time[0]) {
		const char *nick = s + i + 2;
		const char *sp = memchr(nick, ' ', (size_t)(s + n - nick));

		if (!sp)
			return 0;
		m->nick = nick;
		m->nick_n = (size_t)(sp - nick);
		m->text = sp + 1;
		m->text_n = (size_t)(s + n - m->text);
		m->action = 1;
		return 1;
	}
	return 0;
}

static int looks_like_irc(const char *data, size_t len)
{
	struct cursor c = {data, data + len, data, 0};
	const char *s;
	size_t n, lines = 0, msgs = 0;

	while (lines < 40 && next_line(&c, &s, &n)) {
		struct irc_msg m;

		if (!n)
			continue;
		lines++;
		if (irc_line(s, n, &m))
			msgs++;
	}
	return lines >= 2 && msgs * 2 > lines;
}

/* The MeetBot command that opens text ("#topic", "#action"), or NULL. */
static const char *meetbot_command(const char *s, size_t n, size_t *len)
{
	static const char *const commands[] = {
	    "#startmeeting", "#endmeeting", "#topic",	 "#action",   "#agreed",
	    "#agree",	     "#info",	    "#idea",	 "#link",     "#help",
	    "#chair",	     "#undo",	    "#accepted", "#rejected", "#meetingname"};
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(*commands); i++) {
		size_t k = strlen(commands[i]);

		if (n >= k && !strncasecmp(s, commands[i], k) && (n == k || s[k] == ' ')) {
			*len = k;
			return commands[i];
		}
	}
	return NULL;
}

static void parse_irc(struct mn_doc *doc, const char *data, size_t len)
{
	struct cursor c = {data, data + len, data, 0};
	struct talk st;
	const char *s;
	size_t n;

	memset(&st, 0, sizeof(st));
	st.doc = doc;
	mn_roster_init(&st.roster, &doc->arena);
	/* Everyone who speaks is someone, so that "#action alice to ..." finds alice. */
	while (next_line(&c, &s, &n)) {
		struct irc_msg m;

		if (irc_line(s, n, &m)) {
			char *nick = mn_xstrndup(m.nick, m.nick_n);

			mn_roster_add(&st.roster, nick, NULL, c.line, 1);
			free(nick);
		}
	}
	c.p = data;
	c.line = 0;
	while (next_line(&c, &s, &n)) {
		struct irc_msg m;
		struct mn_passage *p;
		const char *cmd, *nick;
		size_t cl = 0;
		char *nick_s;

		if (!irc_line(s, n, &m) || !m.text_n)
			continue;
		cmd = meetbot_command(m.text, m.text_n, &cl);
		if (cmd && (!strcmp(cmd, "#startmeeting") || !strcmp(cmd, "#meetingname"))) {
			const char *name = m.text + cl;
			size_t nn = m.text_n - cl;

			mn_trim(&name, &nn);
			if (nn)
				doc->title = doc->series = mn_arena_strndup(&doc->arena, name, nn);
			continue;
		}
		if (cmd && !strcmp(cmd, "#topic")) {
			const char *t = m.text + cl;
			size_t tn = m.text_n - cl;
			struct mn_topic *topic;

			mn_trim(&t, &tn);
			st.topic = mn_arena_strndup(&doc->arena, t, tn);
			topic = mn_doc_add_topic(doc);
			topic->line = c.line;
			topic->title = st.topic;
			topic->level = 1;
			topic->kind = MN_TOPIC_HEADING;
			continue;
		}
		if (cmd && (!strcmp(cmd, "#endmeeting") || !strcmp(cmd, "#chair") ||
			    !strcmp(cmd, "#undo")))
			continue;
		nick_s = mn_xstrndup(m.nick, m.nick_n);
		nick = mn_roster_add(&st.roster, nick_s, NULL, c.line, 1)->name;
		free(nick_s);
		p = mn_doc_add_passage(doc);
		p->line = p->end_line = c.line;
		p->text = mn_arena_strndup(&doc->arena, m.text + cl, m.text_n - cl);
		p->col = (int)(m.text + cl - s) + 1;
		while (p->text[0] == ' ') {
			p->text++;
			p->col++;
		}
		p->time = m.time[0] ? mn_arena_strdup(&doc->arena, m.time) : NULL;
		p->date = doc->ndates ? doc->dates[0] : NULL;
		p->speaker_label = mn_arena_strndup(&doc->arena, m.nick, m.nick_n);
		p->speakers = mn_doc_strv(doc, &nick, 1);
		p->nspeakers = 1;
		p->kind = MN_KIND_UTTERANCE;
		if (st.topic) {
			p->topic_path = mn_doc_strv(doc, &st.topic, 1);
			p->ntopic_path = 1;
		}
		if (cmd && !strcmp(cmd, "#action")) {
			p->kind = MN_KIND_ACTION;
			mn_speech_action(p->text, strlen(p->text), NULL, 1, talk_resolve, &st,
					 talk_owner);
		} else if (cmd && (!strcmp(cmd, "#agreed") || !strcmp(cmd, "#agree") ||
				   !strcmp(cmd, "#accepted"))) {
			p->kind = MN_KIND_DECISION;
		} else if (!cmd && !m.action) {
			talk_classify(&st);
		}
	}
	{
		size_t i;

		for (i = 0; i < st.roster.npeople; i++) {
			struct mn_attendee *a = mn_doc_add_attendee(doc);

			a->name = st.roster.people[i].name;
			a->line = st.roster.people[i].line;
		}
	}
	mn_roster_release(&st.roster);
}

/* ---- HTML ------------------------------------------------------------------------- */

/* Text rebuilt from HTML as Markdown, with the HTML line of every line written. */
struct html_out {
	struct mn_buf text;
	int *lines; /* HTML line of each line written */
	size_t nlines, cap;
	int list_depth;
	int at_line_start;
	int cur_line; /* HTML line of the node being written */
};

/* Writes s; the first writing on a line gives the line its HTML line. */
static void html_emit(struct html_out *o, const char *s, size_t n)
{
	if (!n)
		return;
	if (o->at_line_start)
		o->lines[o->nlines - 1] = o->cur_line;
	mn_buf_add(&o->text, s, n);
	o->at_line_start = 0;
}

static void html_newline(struct html_out *o, int src_line)
{
	(void)src_line;
	if (o->at_line_start && o->nlines && o->text.len && o->text.data[o->text.len - 1] == '\n' &&
	    (o->text.len < 2 || o->text.data[o->text.len - 2] == '\n'))
		return;
	mn_buf_addc(&o->text, '\n');
	MN_GROW(o->lines, o->nlines + 1, o->cap);
	o->lines[o->nlines] = o->cur_line;
	o->nlines++;
	o->at_line_start = 1;
}

/* Ends the current line (if anything is on it) and leaves a blank line. */
static void html_block_break(struct html_out *o, int src_line)
{
	if (!o->at_line_start)
		html_newline(o, src_line);
	html_newline(o, src_line);
}

static void html_text(struct html_out *o, const char *s)
{
	for (; *s; s++) {
		char c = *s == '\n' || *s == '\t' || *s == '\r' ? ' ' : *s;

		if (c == ' ' &&
		    (o->at_line_start || (o->text.len && o->text.data[o->text.len - 1] == ' ')))
			continue;
		html_emit(o, &c, 1);
	}
}

static int tag_is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !strcasecmp((const char *)n->name, name);
}

static void html_walk(struct html_out *o, xmlNode *node);

static void html_children(struct html_out *o, xmlNode *node)
{
	xmlNode *k;

	for (k = node->children; k; k = k->next)
		html_walk(o, k);
}

static void html_walk(struct html_out *o, xmlNode *node)
{
	int line = (int)xmlGetLineNo(node);
	const char *name;

	if (line > 0)
		o->cur_line = line;
	if (node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE) {
		if (node->content)
			html_text(o, (const char *)node->content);
		return;
	}
	if (node->type != XML_ELEMENT_NODE) {
		html_children(o, node);
		return;
	}
	name = (const char *)node->name;
	if (line < 1)
		line = 1;
	if (tag_is(node, "script") || tag_is(node, "style") || tag_is(node, "head") ||
	    tag_is(node, "noscript") || tag_is(node, "template"))
		return;
	if (strlen(name) == 2 && tolower((unsigned char)name[0]) == 'h' && name[1] >= '1' &&
	    name[1] <= '6') {
		int level = name[1] - '0', k;

		html_block_break(o, line);
		o->cur_line = line;
		for (k = 0; k < level; k++)
			html_emit(o, "#", 1);
		html_emit(o, " ", 1);
		html_children(o, node);
		html_block_break(o, line);
		return;
	}
	if (tag_is(node, "ul") || tag_is(node, "ol")) {
		if (!o->list_depth)
			html_block_break(o, line);
		o->list_depth++;
		html_children(o, node);
		o->list_depth--;
		if (!o->list_depth)
			html_block_break(o, line);
		return;
	}
	if (tag_is(node, "li")) {
		int k;

		if (!o->at_line_start)
			html_newline(o, line);
		o->cur_line = line;
		for (k = 1; k < o->list_depth; k++)
			html_emit(o, "  ", 2);
		html_emit(o, "- ", 2);
		html_children(o, node);
		if (!o->at_line_start)
			html_newline(o, line);
		return;
	}
	if (tag_is(node, "tr")) {
		xmlNode *k;
		int header = 0;

		if (!o->at_line_start)
			html_newline(o, line);
		o->cur_line = line;
		html_emit(o, "|", 1);
		for (k = node->children; k; k = k->next) {
			if (!tag_is(k, "td") && !tag_is(k, "th"))
				continue;
			header |= tag_is(k, "th");
			html_emit(o, " ", 1);
			html_children(o, k);
			html_emit(o, " |", 2);
		}
		html_newline(o, line);
		if (header) {
			html_emit(o, "| --- |", 7);
			html_newline(o, line);
		}
		return;
	}
	if (tag_is(node, "table")) {
		html_block_break(o, line);
		html_children(o, node);
		html_block_break(o, line);
		return;
	}
	if (tag_is(node, "br")) {
		html_newline(o, line);
		return;
	}
	if (tag_is(node, "strong") || tag_is(node, "b")) {
		html_emit(o, "**", 2);
		html_children(o, node);
		html_emit(o, "**", 2);
		return;
	}
	if (tag_is(node, "p") || tag_is(node, "div") || tag_is(node, "blockquote") ||
	    tag_is(node, "pre") || tag_is(node, "section") || tag_is(node, "article") ||
	    tag_is(node, "dt") || tag_is(node, "dd") || tag_is(node, "title")) {
		if (o->list_depth) {
			html_children(o, node);
			return;
		}
		html_block_break(o, line);
		html_children(o, node);
		html_block_break(o, line);
		return;
	}
	html_children(o, node);
}

/*
 * Rebuilds the HTML as Markdown (headings, nested lists, tables, bold),
 * parses that, then maps every line back to the HTML source line.
 */
static int parse_html(struct mn_doc *doc, const char *data, size_t len, struct mn_err *err)
{
	struct html_out o;
	htmlDocPtr html;
	xmlNode *root;
	size_t i;
	int rc;

	if (len > (size_t)0x7fffffff)
		return mn_err_set(err, MN_ERR_FORMAT, "HTML file too large");
	html = htmlReadMemory(data, (int)len, doc->path, "UTF-8",
			      HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
				  HTML_PARSE_NONET | HTML_PARSE_NOBLANKS);
	if (!html)
		return mn_err_set(err, MN_ERR_FORMAT, "not readable as HTML");
	memset(&o, 0, sizeof(o));
	o.at_line_start = 1;
	o.cur_line = 1;
	MN_GROW(o.lines, 1, o.cap);
	o.lines[o.nlines++] = 1;
	root = xmlDocGetRootElement(html);
	/* The page title, when there is one, opens the text. */
	if (root) {
		xmlNode *head, *t;

		for (head = root->children; head; head = head->next) {
			if (!tag_is(head, "head"))
				continue;
			for (t = head->children; t; t = t->next)
				if (tag_is(t, "title") && t->children && t->children->content) {
					o.cur_line = (int)xmlGetLineNo(t);
					html_text(&o, (const char *)t->children->content);
					html_block_break(&o, (int)xmlGetLineNo(t));
				}
		}
		html_walk(&o, root);
	}
	xmlFreeDoc(html);
	{
		char *text;
		size_t tn;

		text = mn_utf8_repair(mn_buf_str(&o.text), o.text.len, &tn, NULL);
		rc = mn_parse_text(doc, doc->path, text, tn, err);
		/* Strings in doc point into the arena, not into text. */
		free(text);
	}
	for (i = 0; i < doc->npassages; i++) {
		struct mn_passage *p = &doc->passages[i];

		p->line = (size_t)(p->line - 1) < o.nlines ? o.lines[p->line - 1] : p->line;
		p->end_line =
		    (size_t)(p->end_line - 1) < o.nlines ? o.lines[p->end_line - 1] : p->end_line;
		if (p->end_line < p->line)
			p->end_line = p->line;
		p->col = 1;
	}
	for (i = 0; i < doc->ntopics; i++) {
		struct mn_topic *t = &doc->topics[i];

		t->line = (size_t)(t->line - 1) < o.nlines ? o.lines[t->line - 1] : t->line;
		if (t->parent_line)
			t->parent_line = (size_t)(t->parent_line - 1) < o.nlines
					     ? o.lines[t->parent_line - 1]
					     : t->parent_line;
	}
	for (i = 0; i < doc->nattendees; i++) {
		struct mn_attendee *a = &doc->attendees[i];

		a->line = (size_t)(a->line - 1) < o.nlines ? o.lines[a->line - 1] : a->line;
	}
	mn_buf_release(&o.text);
	free(o.lines);
	return rc;
}

/* ---- the front door ----------------------------------------------------------------- */

static int starts_with_ci(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && !strncasecmp(s, prefix, k);
}

static int looks_like_srt(const char *data, size_t len)
{
	struct cursor c = {data, data + len, data, 0};
	const char *s = data;
	size_t n = 0, i;
	int more;

	while ((more = next_line(&c, &s, &n)) && !n)
		;
	if (!more)
		return 0;
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return next_line(&c, &s, &n) && timing_line(s, n);
}

static enum format detect(const char *path, const char *data, size_t len)
{
	const char *ext = extension(path);
	const char *p = data;
	size_t n = len;

	mn_trim(&p, &n);
	if (starts_with_ci(p, n, "WEBVTT"))
		return F_VTT;
	if (starts_with_ci(p, n, "<!doctype html") || starts_with_ci(p, n, "<html") ||
	    !strcasecmp(ext, "html") || !strcasecmp(ext, "htm") || !strcasecmp(ext, "xhtml"))
		return F_HTML;
	if (!strcasecmp(ext, "vtt"))
		return F_VTT;
	if (!strcasecmp(ext, "srt") || looks_like_srt(data, len))
		return F_SRT;
	if (looks_like_irc(data, len))
		return F_IRC;
	if (!strcasecmp(ext, "log") || !strcasecmp(ext, "irc"))
		return F_UNKNOWN;
	if (!strcasecmp(ext, "md") || !strcasecmp(ext, "markdown"))
		return F_MARKDOWN;
	return F_TEXT;
}

int mn_parse(const char *path, const char *data, size_t len, struct mn_doc **out,
	     struct mn_err *err)
{
	static const char *const names[] = {"text", "markdown", "webvtt", "srt",
					    "irc",  "html",	"unknown"};
	struct mn_doc *doc;
	enum format f = detect(path, data, len);
	int rc = MN_OK;

	*out = NULL;
	if (f == F_UNKNOWN)
		return mn_err_set(err, MN_ERR_FORMAT,
				  "not a format minutes can read (text, "
				  "Markdown, WebVTT, SRT, IRC log, HTML)");
	doc = mn_doc_new(path);
	doc->format = names[f];
	switch (f) {
	case F_VTT:
	case F_SRT:
		title_from_path(doc);
		date_from_path(doc, NULL, 0);
		parse_cues(doc, data, len);
		speakers_as_attendees(doc);
		break;
	case F_IRC:
		title_from_path(doc);
		date_from_path(doc, data, len < 200 ? len : 200);
		parse_irc(doc, data, len);
		break;
	case F_HTML:
		rc = parse_html(doc, data, len, err);
		break;
	default:
		rc = mn_parse_text(doc, path, data, len, err);
		break;
	}
	if (rc) {
		mn_doc_free(doc);
		return err->status;
	}
	if (!doc->series && (f == F_VTT || f == F_SRT || f == F_IRC)) {
		/* Their title is only the file's name: the series comes from the folders. */
		const char *title = doc->title;

		doc->title = NULL;
		doc->series = mn_series_of(doc, NULL, NULL, data, len);
		doc->title = title;
	}
	*out = doc;
	return MN_OK;
}

int mn_parse_more(const struct mn_doc *first, const char *data, size_t len, struct mn_doc **out,
		  struct mn_err *err)
{
	struct mn_doc *doc;
	size_t i;

	*out = NULL;
	/* Transcripts and logs have no document structure to carry over. */
	if (strcmp(first->format, "text") && strcmp(first->format, "markdown"))
		return mn_parse(first->path, data, len, out, err);
	doc = mn_doc_new(first->path);
	doc->format = first->format;
	doc->title = first->title ? mn_arena_strdup(&doc->arena, first->title) : NULL;
	doc->series = first->series ? mn_arena_strdup(&doc->arena, first->series) : NULL;
	for (i = 0; i < first->ndates; i++)
		mn_doc_add_date(doc, first->dates[i]);
	if (mn_parse_text_after(doc, first, data, len, err)) {
		mn_doc_free(doc);
		return err->status;
	}
	*out = doc;
	return MN_OK;
}
