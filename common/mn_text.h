/*
 * Text helpers shared by the parser, the store and the printers: UTF-8
 * repair, dates as people write them, and small string tests.
 */
#ifndef MN_TEXT_H
#define MN_TEXT_H

#include <stddef.h>

#include "mn_util.h"

/*
 * Replaces every invalid UTF-8 sequence in data[0..len) by U+FFFD, NUL bytes
 * and other C0 controls except tab and newline by a space, and "\r\n" by
 * "\n". Returns a new NUL-terminated string (caller frees) and its length in
 * *out_len; *repaired counts the invalid sequences replaced.
 */
char *mn_utf8_repair(const char *data, size_t len, size_t *out_len, size_t *repaired);

/* Length in bytes of the UTF-8 sequence starting with byte c (1 when invalid). */
size_t mn_utf8_seqlen(unsigned char c);

/* Decodes one code point at s (up to n bytes); sets *adv to bytes used. */
unsigned mn_utf8_decode(const char *s, size_t n, size_t *adv);

/* A calendar date; day 0 means month precision, month 0 year precision. */
struct mn_date {
	int year;  /* 0 when the text gave none */
	int month; /* 1-12, or 0 */
	int day;   /* 1-31, or 0 */
};

/*
 * Finds the first date written in s[0..len): ISO ("2020-09-17"), "Sep 25,
 * 2017", "25 September 2017", "11 July, 2023", "July 2018", "Wed July 11".
 * Returns 1 and fills *out (and the match's byte range if start/end are
 * non-NULL), or 0 when there is none.
 */
int mn_date_find(const char *s, size_t len, struct mn_date *out, size_t *start, size_t *end);

/* Returns the month (1-12) named by the word s[0..n) ("Sep", "september"), or 0. */
int mn_month_from_name(const char *s, size_t n);

/* Formats d as "YYYY-MM-DD", "YYYY-MM" or "YYYY" into out (11 bytes). */
void mn_date_format(const struct mn_date *d, char out[11]);

/* True when s[0..n) is a valid date (or month, or year) of the form mn_date_format writes. */
int mn_date_is_iso(const char *s, size_t n);

/* Returns s with leading and trailing ASCII and no-break spaces removed, as a range. */
void mn_trim(const char **s, size_t *n);

/* True when the byte at s starts a U+00A0 NO-BREAK SPACE. */
int mn_is_nbsp(const char *s, size_t n);

/* The index of the first byte at or after i in s[0..n) that is no space, tab or no-break space. */
size_t mn_skip_spaces(const char *s, size_t n, size_t i);

/* The number of words of s[0..n), runs of anything but spaces and tabs. */
size_t mn_count_words(const char *s, size_t n);

/* Case-insensitive ASCII comparison of a[0..n) with the NUL-terminated b. */
int mn_strneq_ci(const char *a, size_t n, const char *b);

/*
 * Whether needle names what haystack names: the words of needle (letters
 * and digits, compared without case and Latin diacritics) appear in
 * haystack as consecutive words. "mike" and "Mike Holmes" match "Mike
 * Holmes"; "Holm" does not.
 */
int mn_name_match(const char *haystack, const char *needle);

/* mn_name_match on forms already folded with mn_fold (needle is n bytes). */
int mn_name_match_folded(const char *haystack, const char *needle, size_t n);

/*
 * Folds s for comparison: ASCII lowercase, Latin-1 and Latin Extended-A
 * letters without their diacritics, everything that is not a letter or a
 * digit as a single space. Returns a new string (caller frees).
 */
char *mn_fold(const char *s);
/* The same of s[0..n) into out (n + 1 bytes at least, NUL-terminated); its length. */
size_t mn_fold_to(const char *s, size_t n, char *out);

/*
 * Edit distance between the UTF-8 strings a and b in characters, counting a
 * swap of two neighbours as one edit (optimal string alignment); ASCII
 * letters compare without case. Returns a value above max as soon as the
 * distance is known to exceed max. Words longer than 48 characters count
 * as too far from anything.
 */
size_t mn_edit_distance(const char *a, const char *b, size_t max);

#endif
