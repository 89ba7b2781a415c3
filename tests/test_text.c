/* Unit tests for mn_text (UTF-8 repair, dates, name matching) and mn_util's sets. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "mn_text.h"

static void repair(const char *in, size_t len, const char *want, size_t want_bad)
{
	size_t out_len, bad;
	char *out = mn_utf8_repair(in, len, &out_len, &bad);

	assert_string_equal(out, want);
	assert_int_equal(out_len, strlen(want));
	assert_int_equal(bad, want_bad);
	free(out);
}

static void test_utf8_repair(void **state)
{
	(void)state;
	repair("plain", 5, "plain", 0);
	repair("caf\xc3\xa9", 5, "caf\xc3\xa9", 0);
	/* A stray continuation byte and a truncated sequence become U+FFFD. */
	repair("a\x80z", 3, "a\xef\xbf\xbdz", 1);
	repair("a\xe2\x80", 3, "a\xef\xbf\xbd\xef\xbf\xbd", 2);
	/* Overlong encodings and surrogates are invalid. */
	repair("\xc0\xaf", 2, "\xef\xbf\xbd\xef\xbf\xbd", 2);
	repair("\xed\xa0\x80", 3, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", 3);
	/* NUL and control bytes become spaces; CRLF becomes LF; a BOM goes. */
	repair("a\0b\x01" "c", 5, "a b c", 0);
	repair("one\r\ntwo\rthree", 14, "one\ntwo\nthree", 0);
	repair("\xef\xbb\xbfhi", 5, "hi", 0);
}

static void date_is(const char *text, const char *want)
{
	struct mn_date d;
	char iso[11];

	if (!want) {
		assert_false(mn_date_find(text, strlen(text), &d, NULL, NULL));
		return;
	}
	assert_true(mn_date_find(text, strlen(text), &d, NULL, NULL));
	mn_date_format(&d, iso);
	assert_string_equal(iso, want);
}

static void test_dates(void **state)
{
	(void)state;
	date_is("2020-09-17 Project Stratos Sync Meeting notes", "2020-09-17");
	date_is("Session 1: LEG-SC  Sep 25, 2017 @SFO17", "2017-09-25");
	date_is("Oct 28, 2022", "2022-10-28");
	date_is("11 July, 2023", "2023-07-11");
	date_is("Agenda and Minutes: x86 Community Call July 2018", "2018-07");
	date_is("Mar 27, 2025 10:59 AM Sao Paulo ID: 938 5333 7073", "2025-03-27");
	date_is("2019-01-02.md", "2019-01-02");
	date_is("September 3rd 2019", "2019-09-03");
	date_is("nothing here, 12 apples", NULL);
	date_is("2019-02-30", NULL);
	/* Month and day without a year: no year is made up. */
	{
		struct mn_date d;

		assert_true(mn_date_find("Wed July 11, 14:00", 18, &d, NULL, NULL));
		assert_int_equal(d.year, 0);
		assert_int_equal(d.month, 7);
		assert_int_equal(d.day, 11);
	}
}

static void test_date_is_iso(void **state)
{
	(void)state;
	assert_true(mn_date_is_iso("2018", 4));
	assert_true(mn_date_is_iso("2018-07", 7));
	assert_true(mn_date_is_iso("2018-07-11", 10));
	assert_false(mn_date_is_iso("2018-13", 7));
	assert_false(mn_date_is_iso("2018-02-30", 10));
	assert_false(mn_date_is_iso("18-07", 5));
	assert_false(mn_date_is_iso("yesterday", 9));
}

static void test_name_match(void **state)
{
	(void)state;
	assert_true(mn_name_match("Mike Holmes", "mike"));
	assert_true(mn_name_match("Mike Holmes", "Mike Holmes"));
	assert_true(mn_name_match("Mike Holmes", "HOLMES"));
	assert_false(mn_name_match("Mike Holmes", "Holm"));
	assert_false(mn_name_match("Mike Holmes", "Mike Smith"));
	assert_true(mn_name_match("Alex Benn\xc3\xa9" "e", "bennee"));
	assert_true(mn_name_match("Project Stratos", "stratos"));
	assert_false(mn_name_match(NULL, "x"));
	assert_false(mn_name_match("x", ""));
}

static void test_fold(void **state)
{
	char *f;

	(void)state;
	f = mn_fold("  Fran\xc3\xa7ois  O'Zog\xe2\x80\x94" "Ltd ");
	assert_string_equal(f, "francois o zog ltd");
	free(f);

	static const char *const cases[][2] = {
	    {"", ""},
	    {" -- ", ""},
	    {"ABC123", "abc123"},
	    {"\xc3\x85sa \xc3\x98stberg", "asa ostberg"},
	    {"caf\xc3\xa9\xc2\xa0\xc3\xa0 la", "cafe a la"},	     /* NBSP is a space */
	    {"\xe6\x9d\xb1\xe4\xba\xac Tower", "\xe6\x9d\xb1\xe4\xba\xac tower"}, /* kept */
	    {"a\xe2\x80\x93" "b", "a b"}, /* general punctuation separates */
	    {"x\xff y", "xy y"},	 /* a stray byte reads as Latin-1 */
	    {"\xc3", "a"},		 /* a cut sequence too */
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char out[64];
		size_t n = strlen(cases[i][0]);

		f = mn_fold(cases[i][0]);
		assert_string_equal(f, cases[i][1]);
		/* Into a buffer only as long as what is folded (and its NUL). */
		memset(out, 'x', sizeof(out));
		assert_int_equal(mn_fold_to(cases[i][0], n, out), strlen(f));
		assert_string_equal(out, f);
		assert_true(out[n] == '\0' || out[n] == 'x');
		assert_true(out[n + 1] == 'x');
		free(f);
	}
	/* Only the n bytes given. */
	{
		char out[8];

		assert_int_equal(mn_fold_to("ABC 123", 4, out), 3);
		assert_string_equal(out, "abc");
	}
}

/* Maps of strings: keys copied or borrowed, a get-or-put, room made ahead. */
static void test_strmap(void **state)
{
	struct mn_strmap copied = MN_STRMAP_INIT, borrowed = MN_STRMAP_INIT;
	char key[16], keys[1000][8];
	int found = -1, i;
	void *v;

	(void)state;
	snprintf(key, sizeof(key), "alpha");
	mn_strmap_put(&copied, key, 5, (void *)1);
	snprintf(key, sizeof(key), "omega");
	assert_null(mn_strmap_get(&copied, "omega", 5, &found));
	assert_int_equal(found, 0);
	assert_ptr_equal(mn_strmap_get(&copied, "alpha", 5, &found), (void *)1);
	assert_int_equal(found, 1);

	v = mn_strmap_intern(&copied, "alpha", 5, (void *)2, &found);
	assert_ptr_equal(v, (void *)1);
	assert_int_equal(found, 1);
	v = mn_strmap_intern(&copied, "beta", 4, (void *)3, &found);
	assert_ptr_equal(v, (void *)3);
	assert_int_equal(found, 0);
	assert_ptr_equal(mn_strmap_get(&copied, "beta", 4, NULL), (void *)3);
	mn_strmap_release(&copied);
	assert_null(mn_strmap_get(&copied, "alpha", 5, &found));

	borrowed.borrowed = 1;
	mn_strmap_reserve(&borrowed, 1000);
	for (i = 0; i < 1000; i++) {
		snprintf(keys[i], sizeof(keys[i]), "k%d", i);
		mn_strmap_intern(&borrowed, keys[i], strlen(keys[i]), (void *)(intptr_t)(i + 1),
				 &found);
		assert_int_equal(found, 0);
	}
	for (i = 0; i < 1000; i++)
		assert_ptr_equal(mn_strmap_get(&borrowed, keys[i], strlen(keys[i]), NULL),
				 (void *)(intptr_t)(i + 1));
	/* The map holds the caller's bytes: a key changed in place is no longer found. */
	keys[7][0] = 'z';
	assert_null(mn_strmap_get(&borrowed, "k7", 2, &found));
	assert_int_equal(found, 0);
	mn_strmap_release(&borrowed); /* frees no key */
}

/* Sets of numbers, held against a plain array: bits, and 64-bit numbers. */
static void test_sets(void **state)
{
	struct mn_bits b = {NULL, 0};
	struct mn_u64set u = {NULL, NULL, 0, 0};
	static unsigned char in[5000];
	uint64_t words[3] = {1, 0, (uint64_t)1 << 63};
	uint64_t x = 12345;
	size_t i;

	(void)state;
	/* Every seventh id, and some far apart: the set grows as ids come. */
	for (i = 0; i < 5000; i += 7) {
		mn_bits_add(&b, i);
		in[i] = 1;
	}
	for (i = 0; i < 5000; i++)
		assert_int_equal(mn_bits_has(&b, i), in[i]);
	assert_false(mn_bits_has(&b, 1u << 30));
	assert_true(mn_bits_words(&b) * 64 >= 5000);
	mn_bits_or(&b, words, 3);
	assert_true(mn_bits_has(&b, 0) && mn_bits_has(&b, 191) && !mn_bits_has(&b, 190));
	mn_bits_release(&b);
	assert_false(mn_bits_has(&b, 0));

	/*
	 * Numbers from a simple generator, 0 among them; half added, a quarter
	 * of them three times more (before and after the set grew), all asked.
	 */
	for (i = 0; i < 20000; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		if (i % 2 == 0)
			mn_u64set_add(&u, i == 0 ? 0 : x);
		if (i % 8 == 0)
			mn_u64set_add_n(&u, i == 0 ? 0 : x, 3);
	}
	assert_int_equal(u.n, 10000);
	x = 12345;
	for (i = 0; i < 20000; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		assert_int_equal(mn_u64set_has(&u, i == 0 ? 0 : x), i % 2 == 0);
		assert_int_equal(mn_u64set_count(&u, i == 0 ? 0 : x), i % 8 == 0   ? 4
								      : i % 2 == 0 ? 1
										   : 0);
	}
	mn_u64set_add(&u, 0); /* again: counted, no new number */
	assert_int_equal(u.n, 10000);
	assert_int_equal(mn_u64set_count(&u, 0), 5);
	mn_u64set_add_n(&u, 7, UINT32_MAX - 1);
	mn_u64set_add_n(&u, 7, 3); /* the count stops at its largest */
	assert_int_equal(mn_u64set_count(&u, 7), UINT32_MAX);
	mn_u64set_release(&u);
	assert_false(mn_u64set_has(&u, 0));
	assert_int_equal(mn_u64set_count(&u, 0), 0);
}

/*
 * A Bloom filter says "perhaps" to every hash it was given, and to few of
 * the others while it is far from full: 2000 hashes in 2^18 bits (three
 * probes each) leave about one in 100 000 to pass; 40 000 unseen hashes are
 * asked, half of them numbers that differ in their high bits only.
 */
static void test_bloom(void **state)
{
	struct mn_bloom b = {NULL, 0, 0};
	uint64_t x = 777;
	size_t i, passed = 0;

	(void)state;
	assert_false(mn_bloom_may_have(&b, 1)); /* empty, never sized */
	mn_bloom_size(&b, 18);
	mn_bloom_size(&b, 30); /* already sized: stays */
	assert_int_equal(b.log2_bits, 18);
	for (i = 0; i < 1000; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		mn_bloom_add(&b, x);
		mn_bloom_add(&b, (uint64_t)i); /* small numbers too */
	}
	assert_int_equal(b.n, 2000);
	x = 777;
	for (i = 0; i < 1000; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		assert_true(mn_bloom_may_have(&b, x));
		assert_true(mn_bloom_may_have(&b, (uint64_t)i));
	}
	for (i = 0; i < 20000; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		passed += (size_t)mn_bloom_may_have(&b, x);
	}
	for (i = 1000; i < 21000; i++)
		passed += (size_t)mn_bloom_may_have(&b, (uint64_t)i << 20);
	assert_true(passed < 10);
	mn_bloom_release(&b);
	assert_null(b.w);
	assert_false(mn_bloom_may_have(&b, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_utf8_repair), cmocka_unit_test(test_dates),
	    cmocka_unit_test(test_date_is_iso), cmocka_unit_test(test_name_match),
	    cmocka_unit_test(test_fold),	cmocka_unit_test(test_strmap),
	    cmocka_unit_test(test_sets),	cmocka_unit_test(test_bloom),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
