#include "mn_text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

size_t mn_utf8_seqlen(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 1;
}

/* Length of the valid UTF-8 sequence at s, or 0 when it is not valid. */
static size_t valid_seq(const unsigned char *s, size_t n)
{
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	len = mn_utf8_seqlen(s[0]);
	if (len == 1 || len > n)
		return 0;
	for (i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	/* Overlong forms, surrogates and code points past U+10FFFF. */
	if (s[0] == 0xe0 && s[1] < 0xa0)
		return 0;
	if (s[0] == 0xed && s[1] >= 0xa0)
		return 0;
	if (s[0] == 0xf0 && s[1] < 0x90)
		return 0;
	if (s[0] == 0xf4 && s[1] >= 0x90)
		return 0;
	return len;
}

char *mn_utf8_repair(const char *data, size_t len, size_t *out_len, size_t *repaired)
{
	const unsigned char *s = (const unsigned char *)data;
	struct mn_buf b = MN_BUF_INIT;
	size_t i = 0, bad = 0;

	mn_buf_add(&b, "", 0);
	/* Skip a byte order mark. */
	if (len >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)
		i = 3;
	while (i < len) {
		size_t run = i, n;

		/* Copy runs of plain printable ASCII in one go. */
		while (run < len && s[run] >= 0x20 && s[run] < 0x7f)
			run++;
		if (run > i) {
			mn_buf_add(&b, data + i, run - i);
			i = run;
			continue;
		}
		if (s[i] == '\r') {
			mn_buf_addc(&b, '\n');
			i += (i + 1 < len && s[i + 1] == '\n') ? 2 : 1;
			continue;
		}
		if (s[i] < 0x20 || s[i] == 0x7f) {
			mn_buf_addc(&b, s[i] == '\n' || s[i] == '\t' ? (char)s[i] : ' ');
			i++;
			continue;
		}
		n = valid_seq(s + i, len - i);
		if (n) {
			mn_buf_add(&b, data + i, n);
			i += n;
		} else {
			mn_buf_adds(&b, "\xef\xbf\xbd");
			bad++;
			i++;
		}
	}
	*out_len = b.len;
	if (repaired)
		*repaired = bad;
	return mn_buf_detach(&b);
}

unsigned mn_utf8_decode(const char *str, size_t n, size_t *adv)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len = n ? valid_seq(s, n) : 0;
	unsigned c;

	if (len <= 1) {
		*adv = 1;
		return n ? s[0] : 0;
	}
	*adv = len;
	if (len == 2)
		return ((s[0] & 0x1fu) << 6) | (s[1] & 0x3fu);
	if (len == 3)
		return ((s[0] & 0x0fu) << 12) | ((s[1] & 0x3fu) << 6) | (s[2] & 0x3fu);
	c = ((s[0] & 0x07u) << 18) | ((s[1] & 0x3fu) << 12) | ((s[2] & 0x3fu) << 6) |
	    (s[3] & 0x3fu);
	return c;
}

static const char *const months[12][2] = {
    {"jan", "january"},	  {"feb", "february"}, {"mar", "march"},    {"apr", "april"},
    {"may", "may"},	  {"jun", "june"},     {"jul", "july"},	    {"aug", "august"},
    {"sep", "september"}, {"oct", "october"},  {"nov", "november"}, {"dec", "december"},
};

int mn_month_from_name(const char *s, size_t n)
{
	int m;

	for (m = 0; m < 12; m++) {
		if (mn_strneq_ci(s, n, months[m][0]) || mn_strneq_ci(s, n, months[m][1]))
			return m + 1;
		if (m == 8 && mn_strneq_ci(s, n, "sept"))
			return 9;
	}
	return 0;
}

/* One alphanumeric word of the text being scanned for a date. */
struct word {
	size_t start, end;
	int num;     /* value when all digits, else -1 */
	int month;   /* month it names, else 0 */
	int ordinal; /* "25th" and the like: value, else 0 */
};

static int word_number(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	if (n == 0 || n > 4)
		return -1;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int word_ordinal(const char *s, size_t n)
{
	size_t d = 0;

	while (d < n && isdigit((unsigned char)s[d]))
		d++;
	if (d == 0 || d > 2 || n - d != 2)
		return 0;
	if (!mn_strneq_ci(s + d, 2, "st") && !mn_strneq_ci(s + d, 2, "nd") &&
	    !mn_strneq_ci(s + d, 2, "rd") && !mn_strneq_ci(s + d, 2, "th"))
		return 0;
	return word_number(s, d);
}

static int valid_day(int y, int m, int d)
{
	static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	if (m == 2 && d == 29 && y && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	return 1;
}

static int plausible_year(int y)
{
	return y >= 1970 && y <= 2100;
}

/* Only separators that may sit between the parts of a written date. */
static int gap_ok(const char *s, size_t from, size_t to)
{
	size_t i;

	if (to - from > 3)
		return 0;
	for (i = from; i < to; i++)
		if (s[i] != ' ' && s[i] != ',' && s[i] != '.' && s[i] != '-' && s[i] != '/')
			return 0;
	return 1;
}

/* ISO forms: 2020-09-17, 2020/09/17, 2020_09_17, 20200917 is not accepted. */
static int find_iso(const char *s, size_t len, size_t at, struct mn_date *d, size_t *end)
{
	int y, m, dd = 0;
	size_t i = at;
	char sep;

	if (at + 7 > len)
		return 0;
	if ((y = word_number(s + i, 4)) < 0 || !plausible_year(y))
		return 0;
	i += 4;
	sep = s[i];
	if (sep != '-' && sep != '/' && sep != '_' && sep != '.')
		return 0;
	i++;
	if (i + 2 > len || (m = word_number(s + i, 2)) < 1 || m > 12)
		return 0;
	i += 2;
	if (i + 3 <= len && s[i] == sep && isdigit((unsigned char)s[i + 1]) &&
	    isdigit((unsigned char)s[i + 2])) {
		dd = word_number(s + i + 1, 2);
		if (!valid_day(y, m, dd))
			return 0;
		i += 3;
	}
	if (i < len && isdigit((unsigned char)s[i]))
		return 0;
	d->year = y;
	d->month = m;
	d->day = dd;
	*end = i;
	return 1;
}

int mn_date_find(const char *s, size_t len, struct mn_date *out, size_t *start, size_t *end)
{
	struct word w[64];
	size_t nw = 0, i = 0, k;

	/* ISO dates first: they are unambiguous wherever they appear. */
	for (i = 0; i + 7 <= len; i++) {
		size_t e;

		if (i > 0 && isalnum((unsigned char)s[i - 1]))
			continue;
		if (find_iso(s, len, i, out, &e)) {
			if (start)
				*start = i;
			if (end)
				*end = e;
			return 1;
		}
	}

	for (i = 0; i < len && nw < sizeof(w) / sizeof(*w);) {
		size_t b;

		while (i < len && !isalnum((unsigned char)s[i]))
			i++;
		b = i;
		while (i < len && isalnum((unsigned char)s[i]))
			i++;
		if (i == b)
			break;
		w[nw].start = b;
		w[nw].end = i;
		w[nw].num = word_number(s + b, i - b);
		w[nw].month = (i - b >= 3) ? mn_month_from_name(s + b, i - b) : 0;
		w[nw].ordinal = word_ordinal(s + b, i - b);
		nw++;
	}

	for (k = 0; k < nw; k++) {
		struct mn_date d = {0, 0, 0};
		size_t last = k;

		if (w[k].month) {
			/* Month [day[,]] [year] */
			d.month = w[k].month;
			if (k + 1 < nw && gap_ok(s, w[k].end, w[k + 1].start)) {
				int day = w[k + 1].num >= 0 ? w[k + 1].num : w[k + 1].ordinal;

				if (day >= 1 && day <= 31 && (w[k + 1].end - w[k + 1].start) <= 4 &&
				    !(w[k + 1].num >= 1000)) {
					d.day = day;
					last = k + 1;
					if (k + 2 < nw && gap_ok(s, w[k + 1].end, w[k + 2].start) &&
					    plausible_year(w[k + 2].num)) {
						d.year = w[k + 2].num;
						last = k + 2;
					}
				} else if (plausible_year(w[k + 1].num)) {
					d.year = w[k + 1].num;
					last = k + 1;
				}
			}
			if (d.day && !valid_day(d.year, d.month, d.day))
				continue;
			if (!d.day && !d.year)
				continue;
		} else if ((w[k].num >= 1 && w[k].num <= 31) || w[k].ordinal) {
			/* day Month[,] [year] */
			int day = w[k].num > 0 ? w[k].num : w[k].ordinal;

			if (k + 1 >= nw || !w[k + 1].month || !gap_ok(s, w[k].end, w[k + 1].start))
				continue;
			d.day = day;
			d.month = w[k + 1].month;
			last = k + 1;
			if (k + 2 < nw && gap_ok(s, w[k + 1].end, w[k + 2].start) &&
			    plausible_year(w[k + 2].num)) {
				d.year = w[k + 2].num;
				last = k + 2;
			}
			if (!valid_day(d.year, d.month, d.day))
				continue;
		} else {
			continue;
		}
		*out = d;
		if (start)
			*start = w[k].start;
		if (end)
			*end = w[last].end;
		return 1;
	}
	return 0;
}

void mn_date_format(const struct mn_date *d, char out[11])
{
	unsigned y = (unsigned)d->year % 10000u, m = (unsigned)d->month % 100u;
	unsigned day = (unsigned)d->day % 100u;

	if (d->year && d->month && d->day)
		snprintf(out, 11, "%04u-%02u-%02u", y, m, day);
	else if (d->year && d->month)
		snprintf(out, 11, "%04u-%02u", y, m);
	else if (d->year)
		snprintf(out, 11, "%04u", y);
	else
		out[0] = '\0';
}

int mn_date_is_iso(const char *s, size_t n)
{
	struct mn_date d = {0, 0, 0};
	size_t i;

	if (n != 4 && n != 7 && n != 10)
		return 0;
	for (i = 0; i < n; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return 0;
		} else if (!isdigit((unsigned char)s[i])) {
			return 0;
		}
	}
	d.year = word_number(s, 4);
	if (n >= 7)
		d.month = word_number(s + 5, 2);
	if (n == 10)
		d.day = word_number(s + 8, 2);
	if (n >= 7 && (d.month < 1 || d.month > 12))
		return 0;
	if (n == 10 && !valid_day(d.year, d.month, d.day))
		return 0;
	return 1;
}

int mn_is_nbsp(const char *s, size_t n)
{
	return n >= 2 && (unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0;
}

size_t mn_skip_spaces(const char *s, size_t n, size_t i)
{
	while (i < n) {
		if (s[i] == ' ' || s[i] == '\t')
			i++;
		else if (mn_is_nbsp(s + i, n - i))
			i += 2;
		else
			break;
	}
	return i;
}

size_t mn_count_words(const char *s, size_t n)
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

void mn_trim(const char **s, size_t *n)
{
	const char *p = *s;
	size_t len = *n;

	for (;;) {
		if (len && (*p == ' ' || *p == '\t' || *p == '\n')) {
			p++;
			len--;
		} else if (mn_is_nbsp(p, len)) {
			p += 2;
			len -= 2;
		} else {
			break;
		}
	}
	for (;;) {
		if (len && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\n'))
			len--;
		else if (len >= 2 && (unsigned char)p[len - 2] == 0xc2 &&
			 (unsigned char)p[len - 1] == 0xa0)
			len -= 2;
		else
			break;
	}
	*s = p;
	*n = len;
}

int mn_strneq_ci(const char *a, size_t n, const char *b)
{
	/* Most comparisons fail on the first letter: look at it before measuring b. */
	if (n && tolower((unsigned char)a[0]) != tolower((unsigned char)b[0]))
		return 0;
	return strlen(b) == n && !strncasecmp(a, b, n);
}

/* Base letters of U+00C0..U+017F, or 0 for what is not a letter. */
static const char latin_base[] = "aaaaaaaceeeeiiii"  /* C0 */
				 "dnooooo\0ouuuuyts" /* D0 */
				 "aaaaaaaceeeeiiii"  /* E0 */
				 "dnooooo\0ouuuuyty" /* F0 */
				 "aaaaaaccccccccdd"  /* 100 */
				 "ddeeeeeeeeeegggg"  /* 110 */
				 "gggghhhhiiiiiiii"  /* 120 */
				 "iiiijjkkklllllll"  /* 130 */
				 "lllnnnnnnnnnoooo"  /* 140 */
				 "oooorrrrrrssssss"  /* 150 */
				 "ssttttttuuuuuuuu"  /* 160 */
				 "uuuuwwyyyzzzzzzs"; /* 170 */

/* An ASCII letter lower-cased or a digit as it is; 0 for anything else. */
static inline char ascii_fold(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
		return (char)c;
	if (c >= 'A' && c <= 'Z')
		return (char)(c + ('a' - 'A'));
	return 0;
}

/*
 * No character makes the result longer than what it came from (a letter
 * stays one byte or loses its accent, a run of other characters becomes
 * one space): it is written straight into out.
 */
size_t mn_fold_to(const char *s, size_t n, char *out)
{
	size_t i = 0, len = 0;
	int space = 1;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t adv = 1;
		char f = 0;

		if (c < 0x80) {
			f = ascii_fold(c);
		} else {
			unsigned cp = mn_utf8_decode(s + i, n - i, &adv);

			if (cp >= 0xc0 && cp <= 0x17f && latin_base[cp - 0xc0]) {
				f = latin_base[cp - 0xc0];
			} else if (cp > 0x17f && cp != 0xa0 && !(cp >= 0x2000 && cp <= 0x206f)) {
				/* Other scripts: keep the character as it is. */
				memcpy(out + len, s + i, adv);
				len += adv;
				space = 0;
				i += adv;
				continue;
			}
		}
		if (f) {
			out[len++] = f;
			space = 0;
		} else if (!space) {
			out[len++] = ' ';
			space = 1;
		}
		i += adv;
	}
	while (len && out[len - 1] == ' ')
		len--;
	out[len] = '\0';
	return len;
}

char *mn_fold(const char *s)
{
	size_t n = strlen(s);
	char *out = mn_xmalloc(n + 1);

	mn_fold_to(s, n, out);
	return out;
}

int mn_name_match_folded(const char *haystack, const char *needle, size_t n)
{
	size_t hn = strlen(haystack);
	const char *p;

	if (!n)
		return 0;
	for (p = haystack; (p = strstr(p, needle)) != NULL; p++) {
		size_t at = (size_t)(p - haystack);

		if ((at == 0 || haystack[at - 1] == ' ') &&
		    (at + n == hn || haystack[at + n] == ' '))
			return 1;
	}
	return 0;
}

int mn_name_match(const char *haystack, const char *needle)
{
	char *h, *nd;
	int found;

	if (!haystack || !needle)
		return 0;
	h = mn_fold(haystack);
	nd = mn_fold(needle);
	found = mn_name_match_folded(h, nd, strlen(nd));
	free(h);
	free(nd);
	return found;
}

#define EDIT_MAX_WORD 48

static size_t decode(const char *s, unsigned *out, size_t cap)
{
	size_t n = 0, len = strlen(s), i = 0;

	while (i < len && n < cap) {
		size_t adv;
		unsigned cp = mn_utf8_decode(s + i, len - i, &adv);

		out[n++] = cp < 128 ? (unsigned)tolower((int)cp) : cp;
		i += adv ? adv : 1;
	}
	return i < len ? cap + 1 : n;
}

size_t mn_edit_distance(const char *a, const char *b, size_t max)
{
	unsigned x[EDIT_MAX_WORD + 1], y[EDIT_MAX_WORD + 1];
	size_t rows[3][EDIT_MAX_WORD + 2];
	size_t la = decode(a, x, EDIT_MAX_WORD), lb = decode(b, y, EDIT_MAX_WORD), i, j;
	size_t *pp = rows[0], *prev = rows[1], *cur = rows[2];

	if (la > EDIT_MAX_WORD || lb > EDIT_MAX_WORD)
		return max + 1;
	if ((la > lb ? la - lb : lb - la) > max)
		return max + 1;
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		size_t low;
		size_t *t;

		cur[0] = low = i;
		for (j = 1; j <= lb; j++) {
			size_t cost = x[i - 1] != y[j - 1];
			size_t best = prev[j - 1] + cost;

			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] &&
			    pp[j - 2] + 1 < best)
				best = pp[j - 2] + 1;
			cur[j] = best;
			if (best < low)
				low = best;
		}
		if (low > max)
			return max + 1;
		t = pp;
		pp = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}
