/* Unit tests for the query parser and its translation to FTS5 and SQL. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "mn_query.h"

/* Parses q and checks its normalised form. */
static void parses_as(const char *q, const char *want)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_qnode *tree = NULL;
	struct mn_buf b = MN_BUF_INIT;

	if (mn_query_parse(q, &tree, &err))
		fail_msg("'%s' did not parse: %s", q, err.msg);
	mn_query_unparse(tree, &b);
	if (strcmp(mn_buf_str(&b), want))
		fail_msg("'%s' parsed as '%s', want '%s'", q, mn_buf_str(&b), want);
	mn_buf_release(&b);
	mn_qnode_free(tree);
}

static void fails_with(const char *q, const char *want)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_qnode *tree = NULL;

	assert_int_equal(mn_query_parse(q, &tree, &err), MN_ERR_QUERY);
	assert_null(tree);
	if (strcmp(err.msg, want))
		fail_msg("'%s' failed with '%s', want '%s'", q, err.msg, want);
}

static void test_words_and_phrases(void **state)
{
	(void)state;
	parses_as("migration", "migration");
	parses_as("live migration", "(live AND migration)");
	parses_as("\"live migration\"", "\"live migration\"");
	parses_as("migr*", "migr*");
	parses_as("-word other", "(NOT word AND other)");
	parses_as("a NOT b", "(a AND NOT b)");
	parses_as("a OR b c", "(a OR (b AND c))");
	parses_as("(a OR b) c", "((a OR b) AND c)");
	parses_as("a AND b", "(a AND b)");
	parses_as("NEAR(xen arm, 5)", "NEAR(xen arm, 5)");
	parses_as("NEAR(xen \"pci passthrough\")", "NEAR(xen \"pci passthrough\", 10)");
}

static void test_awkward_words(void **state)
{
	(void)state;
	parses_as("don't", "don't");
	parses_as("x86-64", "x86-64");
	parses_as("4.12", "4.12");
	parses_as("C++", "C++");
	parses_as("10:30", "10:30");
	parses_as("https://example.org/x", "https://example.org/x");
	parses_as("\"unterminated phrase", "\"unterminated phrase\"");
	/* A quote always ends a phrase; there is no escape inside one. */
	parses_as("say \"x\"\"y\"", "(say AND \"x\" AND \"y\")");
	/* Nothing searchable at all. */
	{
		struct mn_err err = MN_ERR_INIT;
		struct mn_qnode *tree = (struct mn_qnode *)1;

		assert_int_equal(mn_query_parse("\"", &tree, &err), MN_OK);
		assert_null(tree);
		assert_int_equal(mn_query_parse("-- ++ ***", &tree, &err), MN_OK);
		assert_null(tree);
	}
}

static void test_fields(void **state)
{
	(void)state;
	parses_as("speaker:jan backports", "(speaker:\"jan\" AND backports)");
	parses_as("by:MH", "speaker:\"MH\"");
	parses_as("speaker:\"Mike Holmes\"", "speaker:\"Mike Holmes\"");
	parses_as("-speaker:jan", "NOT speaker:\"jan\"");
	parses_as("date:2018-01..2018-06", "date:\"2018-01..2018-06\"");
	parses_as("date:2020..", "date:\"2020..\"");
	parses_as("after:2018 before:2019-06", "(after:\"2018\" AND before:\"2019-06\")");
	parses_as("kind:action owner:george", "(kind:\"action\" AND owner:\"george\")");
	parses_as("TOPIC:xen", "topic:\"xen\"");
}

static void test_errors(void **state)
{
	(void)state;
	fails_with("speker:jan", "unknown field 'speker' at column 1 (did you mean 'speaker'?)");
	fails_with("xen zzzzzz:1", "unknown field 'zzzzzz' at column 5");
	fails_with("speaker:", "missing value after 'speaker:' at column 1");
	fails_with("(a b", "missing ')' for the '(' at column 1");
	fails_with("a b)", "unmatched ')' at column 4");
	fails_with("a OR", "OR needs a term on both sides at column 3");
	fails_with("(a OR) b", "OR needs a term on both sides at column 4");
	fails_with("a OR OR b", "OR needs a term on both sides at column 3");
	fails_with("OR a", "OR needs a term on both sides at column 1");
	fails_with("a AND", "AND needs a term on both sides at column 3");
	fails_with("NOT", "NOT needs a term after it at column 1");
	fails_with("date:2018-13", "invalid date '2018-13' (use YYYY, YYYY-MM or YYYY-MM-DD, or a "
				   "range such as 2018-01..2018-06) at column 1");
	fails_with("kind:rant", "unknown kind 'rant' (use utterance, reported, action, decision or "
				"note) at column 1");
	fails_with("NEAR(a b, x)", "NEAR distance must be a number from 0 to 1000 at column 11");
	fails_with("NEAR(a)", "NEAR( needs at least two words or phrases at column 5");
	/* Columns count characters, not bytes. */
	fails_with("r\xc3\xa9union speker:x",
		   "unknown field 'speker' at column 9 (did you mean 'speaker'?)");
}

static void test_deep_nesting(void **state)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_qnode *tree = NULL;
	char q[400];

	(void)state;
	memset(q, '(', 200);
	strcpy(q + 200, "a");
	assert_int_equal(mn_query_parse(q, &tree, &err), MN_ERR_QUERY);
	assert_non_null(strstr(err.msg, "query nests too deeply"));
}

static void translates(const char *q, const char *match, const char *where)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_qnode *tree = NULL;
	struct mn_sql sql = MN_SQL_INIT;

	assert_int_equal(mn_query_parse(q, &tree, &err), MN_OK);
	assert_int_equal(mn_query_to_sql(tree, &sql, &err), MN_OK);
	if (strcmp(mn_buf_str(&sql.match), match))
		fail_msg("'%s': match '%s', want '%s'", q, mn_buf_str(&sql.match), match);
	if (where && strcmp(mn_buf_str(&sql.where), where))
		fail_msg("'%s': where '%s', want '%s'", q, mn_buf_str(&sql.where), where);
	mn_sql_release(&sql);
	mn_qnode_free(tree);
}

static void test_translation(void **state)
{
	(void)state;
	translates("migration", "\"migration\"", "1");
	translates("live migration", "((\"live\" AND \"migration\"))", "1");
	translates("migr*", "\"migr\" *", "1");
	translates("a -b", "((\"a\") NOT \"b\")", "1");
	translates("a OR b", "(\"a\" OR \"b\")", "1");
	translates("don't", "\"don't\"", "1");
	translates("O\"Brien", "((\"O\" AND \"Brien\"))", "1");
	translates("topic:xen cadence", "((topic : \"xen\" AND \"cadence\"))", "1");
	translates("NEAR(a b, 3)", "NEAR(\"a\" \"b\", 3)", "1");
	translates("kind:action", "", "(p.kind = 3)");
	translates("xen kind:decision", "\"xen\"", "(p.kind = 4)");
	translates("-xen", "",
		   "NOT p.id IN (SELECT rowid FROM passages_fts WHERE passages_fts "
		   "MATCH ?1)");
	translates("date:2018", "",
		   "((coalesce(p.date, m.date) IS NOT NULL AND coalesce(p.date, m.date) >= ?1 AND "
		   "coalesce(p.date, m.date) < ?2))");
	translates("after:2018", "",
		   "((coalesce(p.date, m.date) IS NOT NULL AND coalesce(p.date, m.date) >= ?1))");
	translates("NEAR(migr* story, 3)", "NEAR(\"migr\" * \"story\", 3)", "1");
	translates("topic:\"release cadence\"", "topic : \"release cadence\"", "1");
	translates("topic:migr*", "topic : \"migr\" *", "1");
	translates("topic:\"migr*\"", "topic : \"migr*\"", "1");
}

/* Words keep where they are in the query, for suggestions to replace them. */
static void test_positions(void **state)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_qnode *tree = NULL;
	const char *q = "speaker:\"Jan B\" migr* \"dead migraton\"";

	(void)state;
	assert_int_equal(mn_query_parse(q, &tree, &err), MN_OK);
	assert_int_equal(tree->type, MN_Q_AND);
	assert_int_equal(tree->nkids, 3);
	assert_int_equal(tree->kids[0]->pos, 9);
	assert_int_equal(tree->kids[0]->len, 5);
	assert_int_equal(tree->kids[1]->pos, 16);
	assert_int_equal(tree->kids[1]->len, 4);
	assert_int_equal(tree->kids[2]->pos, 23);
	assert_int_equal(tree->kids[2]->len, 13);
	assert_true(!strncmp(q + tree->kids[2]->pos, "dead migraton", 13));
	mn_qnode_free(tree);
}

static void filter_is(enum mn_field field, const char *value, const char *want)
{
	struct mn_buf b = MN_BUF_INIT;
	struct mn_err err = MN_ERR_INIT;
	struct mn_qnode *tree = NULL;

	mn_query_add_filter(&b, field, value);
	assert_string_equal(mn_buf_str(&b), want);
	/* What is written parses back to the field and a value with the same words. */
	assert_int_equal(mn_query_parse(mn_buf_str(&b), &tree, &err), MN_OK);
	assert_int_equal(tree->type, MN_Q_FIELD);
	assert_int_equal(tree->field, field);
	mn_qnode_free(tree);
	mn_buf_release(&b);
}

static void test_filters_written_back(void **state)
{
	(void)state;
	filter_is(MN_F_SPEAKER, "Jan", "speaker:Jan");
	filter_is(MN_F_SPEAKER, "Jan Beulich", "speaker:\"Jan Beulich\"");
	filter_is(MN_F_DATE, "2018", "date:2018");
	filter_is(MN_F_KIND, "action", "kind:action");
	filter_is(MN_F_TOPIC, "4.12", "topic:4.12");
	filter_is(MN_F_TOPIC, "Q&A: what's next?", "topic:\"Q&A: what's next?\"");
	filter_is(MN_F_TOPIC, "migr*", "topic:\"migr*\"");
	filter_is(MN_F_TOPIC, "Say \"hi\" now", "topic:\"Say  hi  now\"");
	filter_is(MN_F_ORG, "(none)", "org:\"(none)\"");
}

static void test_values_are_bound(void **state)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_qnode *tree = NULL;
	struct mn_sql sql = MN_SQL_INIT;
	const char *evil = "x') OR 1=1; DROP TABLE passages; --";
	struct mn_buf q = MN_BUF_INIT;
	size_t i;
	int seen = 0;

	(void)state;
	mn_buf_addf(&q, "speaker:\"%s\" series:\"%s\" path:\"%s\"", evil, evil, evil);
	assert_int_equal(mn_query_parse(mn_buf_str(&q), &tree, &err), MN_OK);
	assert_int_equal(mn_query_to_sql(tree, &sql, &err), MN_OK);
	assert_null(strstr(mn_buf_str(&sql.where), "DROP"));
	for (i = 0; i < sql.nparams; i++)
		if (strstr(sql.params[i], "DROP TABLE"))
			seen++;
	assert_int_equal(seen, 3);
	mn_sql_release(&sql);
	mn_qnode_free(tree);
	mn_buf_release(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_words_and_phrases),
	    cmocka_unit_test(test_awkward_words),
	    cmocka_unit_test(test_fields),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_deep_nesting),
	    cmocka_unit_test(test_translation),
	    cmocka_unit_test(test_values_are_bound),
	    cmocka_unit_test(test_positions),
	    cmocka_unit_test(test_filters_written_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
