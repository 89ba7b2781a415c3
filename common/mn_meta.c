/*
 * The series a meeting belongs to, from its title, front matter or folder.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mn_parse_int.h"
#include "mn_text.h"

/* Words that say what kind of document it is, not which meeting. */
static const char *const generic_words[] = {
    "meeting", "meetings", "minutes",	 "notes", "agenda", "summary",	      "sync",
    "mom",     "recap",	   "transcript", "mo",	  "notes:", "agenda/minutes", "details",
};

/* Words a template left unfilled ("Triage meeting DATE"), as written. */
static const char *const placeholders[] = {"DATE", "TBD", "TBA", "YYYY-MM-DD", "XX", "XXXX"};

static const char *const weekdays[] = {
    "mon",   "monday",	 "tue", "tues",	  "tuesday", "wed",	 "wednesday", "thu",	"thur",
    "thurs", "thursday", "fri", "friday", "sat",     "saturday", "sun",	      "sunday",
};

static const char *const zones[] = {"utc", "gmt", "cet", "cest", "pst", "pdt", "est",
				    "edt", "bst", "ist", "jst",	 "am",	"pm"};

/* Words besides those that say a title names a meeting ("Xen x86 Community Call"). */
static const char *const meeting_words[] = {"call", "mtg", "standup", "stand-up"};

/* Words left at either end once the others went ("for the of Ecma TC39"). */
static const char *const joining_words[] = {"for", "the", "of", "and",	"on", "at",
					    "in",  "a",	  "an", "with", "&"};

/* Leading phrases that introduce the meeting's name. */
static const char *const lead_ins[] = {"meeting summary for ", "summary of ",	     "minutes of ",
				       "minutes for ",	       "notes from ",	     "notes for ",
				       "agenda for ",	       "meeting notes for ", "notes of "};

static int in_list(const char *s, size_t n, const char *const *list, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (mn_strneq_ci(s, n, list[i]))
			return 1;
	return 0;
}

/* "SFO17", "BKK19": an event code ("TC39", two letters, is a committee's name). */
static int event_code(const char *s, size_t n)
{
	size_t i = 0, letters, digits;

	if (n && s[0] == '@') {
		s++;
		n--;
	}
	while (i < n && isupper((unsigned char)s[i]))
		i++;
	letters = i;
	while (i < n && isdigit((unsigned char)s[i]))
		i++;
	digits = i - letters;
	return i == n && letters >= 3 && letters <= 6 && digits >= 2 && digits <= 4;
}

/* "108th", "1st", "22nd": which meeting of the series, not the series. */
static int ordinal_word(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && isdigit((unsigned char)s[i]))
		i++;
	return i > 0 && n == i + 2 &&
	       (mn_strneq_ci(s + i, 2, "st") || mn_strneq_ci(s + i, 2, "nd") ||
		mn_strneq_ci(s + i, 2, "rd") || mn_strneq_ci(s + i, 2, "th"));
}

static int time_word(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && isdigit((unsigned char)s[i]))
		i++;
	if (i == 0 || i > 2 || i >= n || s[i] != ':')
		return 0;
	i++;
	while (i < n && isdigit((unsigned char)s[i]))
		i++;
	return i == n || in_list(s + i, n - i, zones, sizeof(zones) / sizeof(*zones));
}

static int separator(char c)
{
	return c == ' ' || c == '-' || c == ':' || c == '/' || c == '|' || c == ',' || c == '.' ||
	       c == '@' || c == '(' || c == ')' || c == '\t';
}

/* Replaces "Technical Steering Committee (TSC)" by "TSC". */
static void prefer_abbreviation(char *t)
{
	char *open = strchr(t, '('), *close;
	size_t an, i, words = 0;
	char *p;

	if (!open || !(close = strchr(open, ')')))
		return;
	an = (size_t)(close - open - 1);
	if (an < 2 || an > 6)
		return;
	for (i = 0; i < an; i++)
		if (!isupper((unsigned char)open[1 + i]))
			return;
	/* Walk back over an words whose initials spell the abbreviation. */
	p = open;
	while (p > t && p[-1] == ' ')
		p--;
	for (i = an; i-- > 0;) {
		char *w = p;

		while (w > t && w[-1] != ' ')
			w--;
		if (toupper((unsigned char)*w) != open[1 + i])
			return;
		words++;
		p = w;
		if (i)
			while (p > t && p[-1] == ' ')
				p--;
	}
	memmove(p, open + 1, an);
	memmove(p + an, close + 1, strlen(close + 1) + 1);
	(void)words;
}

/* Whether w[0..wn) says that a title names a meeting ("Meeting", "Minutes", "Call"). */
static int meeting_word(const char *w, size_t wn)
{
	while (wn && strchr(":.-,", w[wn - 1]))
		wn--;
	return in_list(w, wn, generic_words, sizeof(generic_words) / sizeof(*generic_words)) ||
	       in_list(w, wn, meeting_words, sizeof(meeting_words) / sizeof(*meeting_words));
}

static int placeholder(const char *w, size_t wn)
{
	size_t i;

	for (i = 0; i < sizeof(placeholders) / sizeof(*placeholders); i++)
		if (strlen(placeholders[i]) == wn && !memcmp(w, placeholders[i], wn))
			return 1;
	return 0;
}

/* The length of a dash or bar standing between spaces at t ("-", "–", "—", "|"), or 0. */
static size_t dash_at(const char *t, size_t n)
{
	if (n >= 3 && t[0] == ' ' && (t[1] == '-' || t[1] == '|') && t[2] == ' ')
		return 3;
	/* U+2013 and U+2014 in UTF-8 */
	if (n >= 5 && t[0] == ' ' && (unsigned char)t[1] == 0xe2 && (unsigned char)t[2] == 0x80 &&
	    ((unsigned char)t[3] == 0x93 || (unsigned char)t[3] == 0x94) && t[4] == ' ')
		return 5;
	return 0;
}

/*
 * Where a title that names a meeting goes on to name a topic or a site:
 * the first ": " from its first meeting word on ("Design meeting
 * 2022-03-30: Lint Policy"), or the first " - " (en or em dash, bar) when
 * words came before that meeting word ("Triage meeting 2021-11-09 -
 * HackMD"; in "Minutes - Project Stratos" the name comes after it); n when
 * there is none. *named: whether it names a meeting at all.
 */
static size_t title_end(const char *t, size_t n, int *named)
{
	size_t i = 0, e, k;
	int words_before = 0;

	*named = 0;
	while (i < n) {
		while (i < n && t[i] == ' ')
			i++;
		for (e = i; e < n && t[e] != ' '; e++)
			;
		if (e > i && meeting_word(t + i, e - i)) {
			/* A colon before a space: not one of a time ("14:00"). */
			for (; i < n; i++)
				if ((t[i] == ':' && (i + 1 == n || t[i + 1] == ' ')) ||
				    (words_before && dash_at(t + i, n - i)))
					break;
			*named = 1;
			return i;
		}
		for (k = i; k < e && !words_before; k++)
			words_before = isalpha((unsigned char)t[k]);
		i = e;
	}
	return n;
}

/* Whether a title is a sentence of several words ("No meeting minutes were taken."). */
static int sentence_title(const char *t, size_t n)
{
	return n && t[n - 1] == '.' && mn_count_words(t, n) >= 4;
}

/*
 * The series a title names, or "" when it names none. *named: whether
 * the title says it names a meeting (a meeting word, a lead-in); one that
 * does not ("Discuss WF checks and type aliases") is more likely a topic.
 */
static char *series_from_title(const char *title, int *named)
{
	size_t n = strlen(title), i, k;
	char *t = mn_xstrdup(title), *out;
	char *keep;
	struct mn_buf b = MN_BUF_INIT;
	size_t off = 0, start, end;
	struct mn_date d;

	if (sentence_title(t, n)) {
		*named = 0;
		free(t);
		return mn_xstrdup("");
	}
	n = title_end(t, n, named);
	t[n] = '\0';
	keep = mn_xcalloc(n + 1, 1);
	memset(keep, 1, n);
	for (k = 0; k < sizeof(lead_ins) / sizeof(*lead_ins); k++) {
		size_t ln = strlen(lead_ins[k]);

		if (n > ln && !strncasecmp(t, lead_ins[k], ln)) {
			memset(keep, 0, ln);
			*named = 1;
		}
	}
	while (off < n && mn_date_find(t + off, n - off, &d, &start, &end)) {
		memset(keep + off + start, 0, end - start);
		off += end;
	}
	for (i = 0; i < n;) {
		size_t e = i;

		while (e < n && !(t[e] == ' ' || t[e] == ',' || t[e] == '\t'))
			e++;
		if (e > i) {
			const char *w = t + i;
			size_t wn = e - i;

			/* A word's own trailing punctuation is not part of it. */
			while (wn && strchr(":.-", w[wn - 1]))
				wn--;
			if (in_list(w, wn, generic_words,
				    sizeof(generic_words) / sizeof(*generic_words)) ||
			    in_list(w, wn, weekdays, sizeof(weekdays) / sizeof(*weekdays)) ||
			    in_list(w, wn, zones, sizeof(zones) / sizeof(*zones)) ||
			    event_code(w, wn) || time_word(w, wn) || ordinal_word(w, wn) ||
			    placeholder(w, wn))
				memset(keep + i, 0, e - i);
			else if (memchr(w, '/', wn)) {
				/* "Agenda/Minutes" */
				const char *slash = memchr(w, '/', wn);

				if (in_list(w, (size_t)(slash - w), generic_words,
					    sizeof(generic_words) / sizeof(*generic_words)) &&
				    in_list(slash + 1, wn - (size_t)(slash + 1 - w), generic_words,
					    sizeof(generic_words) / sizeof(*generic_words)))
					memset(keep + i, 0, e - i);
			}
		}
		i = e + 1;
	}
	/* Keep what is left, with runs of separators where words went cut to one space. */
	for (i = 0; i < n; i++) {
		if (keep[i]) {
			mn_buf_addc(&b, t[i]);
			continue;
		}
		if (b.len && b.data[b.len - 1] != ' ')
			mn_buf_addc(&b, ' ');
	}
	out = mn_buf_detach(&b);
	prefer_abbreviation(out);
	/* Trim separators at both ends and collapse " - " leftovers in the middle. */
	{
		char *p = out, *q;
		size_t len;

		while (*p && separator(*p))
			p++;
		len = strlen(p);
		while (len && separator(p[len - 1]))
			len--;
		p[len] = '\0';
		memmove(out, p, len + 1);
		for (q = out; (q = strstr(q, "  ")) != NULL;)
			memmove(q, q + 1, strlen(q));
		for (q = out; (q = strstr(q, " - ")) != NULL;) {
			char *r = q + 3;

			while (*r && separator(*r))
				r++;
			if (!*r) {
				*q = '\0';
				break;
			}
			q += 3;
		}
	}
	/* Joining words left at the ends go, with the separators before or after them. */
	for (;;) {
		size_t len = strlen(out), w = 0, e = len;

		while (w < len && out[w] != ' ')
			w++;
		if (w < len && in_list(out, w, joining_words,
				       sizeof(joining_words) / sizeof(*joining_words))) {
			while (w < len && separator(out[w]))
				w++;
			memmove(out, out + w, len - w + 1);
			continue;
		}
		while (e > 0 && out[e - 1] != ' ')
			e--;
		if (e > 0 && in_list(out + e, len - e, joining_words,
				     sizeof(joining_words) / sizeof(*joining_words))) {
			while (e > 0 && separator(out[e - 1]))
				e--;
			out[e] = '\0';
			continue;
		}
		break;
	}
	/* An unbalanced bracket left by a removed word goes too. */
	if (strchr(out, '(') && !strchr(out, ')'))
		*strchr(out, '(') = '\0';
	{
		size_t len = strlen(out);

		while (len && separator(out[len - 1]))
			out[--len] = '\0';
	}
	free(keep);
	free(t);
	return out;
}

static int generic_folder(const char *s, size_t n)
{
	static const char *const generic[] = {"minutes",
					      "notes",
					      "meetings",
					      "meeting-notes",
					      "meeting-minutes",
					      "docs",
					      "doc",
					      "archive",
					      "data",
					      "corpus",
					      "design-meeting-minutes",
					      "src",
					      "files",
					      "text",
					      "md",
					      "txt",
					      "html",
					      "transcripts",
					      "logs"};
	struct mn_date d;

	if (!n || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
		return 1;
	if (mn_date_find(s, n, &d, NULL, NULL))
		return 1;
	/* A year alone ("2012/"), as archives sort minutes: a date, not a series. */
	if (n == 4 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
	    isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) &&
	    (s[0] == '1' || s[0] == '2'))
		return 1;
	return in_list(s, n, generic, sizeof(generic) / sizeof(*generic));
}

/* The usual spelling of word in text ("TC39" for "tc39"), or NULL. */
static const char *spelling_in(const char *text, size_t len, const char *word, size_t wn)
{
	size_t i;

	for (i = 0; wn && i + wn <= len; i++) {
		if (strncasecmp(text + i, word, wn))
			continue;
		if ((i && isalnum((unsigned char)text[i - 1])) ||
		    (i + wn < len && isalnum((unsigned char)text[i + wn])))
			continue;
		return text + i;
	}
	return NULL;
}

/* The nearest folder of doc that is not a date or a generic name, as the text spells it; or NULL. */
static const char *series_of_folder(struct mn_doc *doc, const char *data, size_t len)
{
	const char *end = strrchr(doc->path, '/'), *start;

	while (end && end > doc->path) {
		const char *spelled;
		size_t n;

		start = end;
		while (start > doc->path && start[-1] != '/')
			start--;
		n = (size_t)(end - start);
		if (!generic_folder(start, n)) {
			spelled = spelling_in(data, len, start, n);
			return mn_arena_strndup(&doc->arena, spelled ? spelled : start, n);
		}
		end = start > doc->path ? start - 1 : NULL;
	}
	return NULL;
}

const char *mn_series_of(struct mn_doc *doc, const char *front_matter, const char *list_name,
			 const char *data, size_t len)
{
	struct mn_buf b = MN_BUF_INIT;
	const char *series;
	char *s;

	if (front_matter && *front_matter)
		return front_matter;
	if (doc->title) {
		int named = 0;

		s = series_from_title(doc->title, &named);
		/* A title that names no meeting gives way to the folder, if any. */
		if (*s && !named && !list_name && (series = series_of_folder(doc, data, len))) {
			free(s);
			return series;
		}
		if (*s) {
			if (list_name && !spelling_in(s, strlen(s), list_name, strlen(list_name)))
				mn_buf_addf(&b, "%s %s", list_name, s);
			else
				mn_buf_adds(&b, s);
			free(s);
			series = mn_arena_strdup(&doc->arena, mn_buf_str(&b));
			mn_buf_release(&b);
			return series;
		}
		free(s);
	}
	return series_of_folder(doc, data, len);
}
