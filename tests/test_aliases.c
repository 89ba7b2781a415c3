/* Unit tests for the people alias file. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mn_aliases.h"
#include "mn_parse.h"

static char *dir;

static int setup(void **state)
{
	(void)state;
	dir = tu_tmpdir();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tu_rmtree(dir);
	free(dir);
	return 0;
}

static struct mn_aliases *load(const char *json)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_aliases *a = NULL;
	char *path = tu_path(dir, "people.json");

	tu_write_file(path, json);
	if (mn_aliases_load(path, &a, &err))
		fail_msg("%s", err.msg);
	free(path);
	return a;
}

static void load_fails(const char *json, const char *want)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_aliases *a = (struct mn_aliases *)1;
	char *path = tu_path(dir, "bad.json");
	char expect[512];

	tu_write_file(path, json);
	assert_int_equal(mn_aliases_load(path, &a, &err), MN_ERR_FORMAT);
	assert_null(a);
	snprintf(expect, sizeof(expect), want, path);
	assert_string_equal(err.msg, expect);
	free(path);
}

static void test_lookup(void **state)
{
	struct mn_aliases *a = load("{\"people\": [{\"name\": \"Mark Hambleton\", \"aliases\": "
				    "[\"MarkH\", \"Mark H.\"]}, {\"name\": \"Alex Benn\xc3\xa9"
				    "e\"}]}");

	(void)state;
	assert_string_equal(mn_aliases_lookup(a, "MarkH"), "Mark Hambleton");
	assert_string_equal(mn_aliases_lookup(a, "markh"), "Mark Hambleton");
	assert_string_equal(mn_aliases_lookup(a, "Mark H"), "Mark Hambleton");
	assert_string_equal(mn_aliases_lookup(a, "alex bennee"), "Alex Benn\xc3\xa9" "e");
	/* A shared first name is not an alias. */
	assert_null(mn_aliases_lookup(a, "Mark"));
	assert_null(mn_aliases_lookup(NULL, "Mark"));
	mn_aliases_free(a);
}

static void test_apply(void **state)
{
	static const char text[] = "Sync notes\n"
				   "\n"
				   "Attendees\n"
				   "\n"
				   "  - MarkH, ARM\n"
				   "  - Jane Doe\n"
				   "\n"
				   "Discussion\n"
				   "\n"
				   "MarkH: we should ship.\n"
				   "Jane: agreed, MarkH will write the notes.\n";
	struct mn_aliases *a = load("{\"people\": [{\"name\": \"Mark Hambleton\", \"aliases\": "
				    "[\"MarkH\"]}]}");
	struct mn_err err = MN_ERR_INIT;
	struct mn_doc *doc = NULL;
	size_t i;
	int saw_utterance = 0, saw_owner = 0, saw_attendee = 0;

	(void)state;
	assert_int_equal(mn_parse("sync.txt", text, strlen(text), &doc, &err), MN_OK);
	assert_true(mn_aliases_apply(a, doc) >= 3);
	for (i = 0; i < doc->nattendees; i++)
		if (!strcmp(doc->attendees[i].name, "Mark Hambleton")) {
			saw_attendee = 1;
			assert_string_equal(doc->attendees[i].org, "ARM");
			assert_string_equal(doc->attendees[i].aliases[doc->attendees[i].naliases - 1],
					    "MarkH");
		}
	for (i = 0; i < doc->npassages; i++) {
		const struct mn_passage *p = &doc->passages[i];

		if (p->speaker_label && !strcmp(p->speaker_label, "MarkH")) {
			assert_string_equal(p->speakers[0], "Mark Hambleton");
			saw_utterance = 1;
		}
		if (p->nowners) {
			assert_string_equal(p->owners[0], "Mark Hambleton");
			saw_owner = 1;
		}
	}
	assert_true(saw_utterance && saw_owner && saw_attendee);
	mn_doc_free(doc);
	mn_aliases_free(a);
}

static void test_errors(void **state)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_aliases *a = NULL;
	char *missing = tu_path(dir, "none.json"), *folder = tu_path(dir, "folder.json");
	char want[512];

	(void)state;
	/* jansson's line and column, as for the config file. */
	load_fails("{\"people\": [\n  {\"name\": \"x\",}\n]}",
		   "bad people file '%s' at line 2, column 16: string or '}' expected near '}'");
	load_fails("", "bad people file '%s' at line 1, column 0: '[' or '{' expected near end "
		       "of file");
	load_fails("[1, 2]", "bad people file '%s': no \"people\" list (expected {\"people\": "
			     "[{\"name\": ..., \"aliases\": [...]}]})");
	load_fails("{\"people\": [{\"aliases\": [\"x\"]}]}",
		   "bad people file '%s': entry 1 has no \"name\"");
	load_fails("{\"people\": [{\"name\": \"A B\", \"aliases\": \"x\"}]}",
		   "bad people file '%s': \"aliases\" of 'A B' is not a list");
	load_fails("{\"people\": [{\"name\": \"A B\", \"aliases\": [1]}]}",
		   "bad people file '%s': an alias of 'A B' is not a string");
	/* Missing is told apart from unreadable, so that a missing default file can be fine. */
	assert_int_equal(mn_aliases_load(missing, &a, &err), MN_ERR_NOENT);
	assert_null(a);
	snprintf(want, sizeof(want), "no people file '%s'", missing);
	assert_string_equal(err.msg, want);
	mn_err_clear(&err);
	assert_int_equal(mkdir(folder, 0777), 0);
	assert_int_equal(mn_aliases_load(folder, &a, &err), MN_ERR_IO);
	assert_null(a);
	snprintf(want, sizeof(want), "cannot read '%s': is a directory", folder);
	assert_string_equal(err.msg, want);
	free(missing);
	free(folder);
}

/* The digest changes with what the table does, and only then. */
static void test_digest(void **state)
{
	struct mn_aliases *a = load("{\"people\": [{\"name\": \"Mark Hambleton\", \"aliases\": "
				    "[\"MarkH\"]}]}");
	struct mn_aliases *same = load("{\n  \"people\": [\n    {\"aliases\": [\"MarkH\"],\n"
				       "     \"name\": \"Mark Hambleton\"}\n  ]\n}\n");
	struct mn_aliases *other = load("{\"people\": [{\"name\": \"Mark Hambleton\", "
					"\"aliases\": [\"MarkH\", \"MH\"]}]}");
	struct mn_aliases *renamed = load("{\"people\": [{\"name\": \"Mark Hambleton-Smith\", "
					  "\"aliases\": [\"MarkH\"]}]}");
	struct mn_aliases *empty = load("{\"people\": []}");

	(void)state;
	assert_int_equal(strlen(mn_aliases_digest(a)), 16);
	/* Spacing and the order of an entry's keys do not matter. */
	assert_string_equal(mn_aliases_digest(a), mn_aliases_digest(same));
	/* A new alias or a new name does. */
	assert_string_not_equal(mn_aliases_digest(a), mn_aliases_digest(other));
	assert_string_not_equal(mn_aliases_digest(a), mn_aliases_digest(renamed));
	assert_string_not_equal(mn_aliases_digest(a), mn_aliases_digest(empty));
	assert_null(mn_aliases_digest(NULL));
	mn_aliases_free(a);
	mn_aliases_free(same);
	mn_aliases_free(other);
	mn_aliases_free(renamed);
	mn_aliases_free(empty);
}

static void test_default_path(void **state)
{
	char *p;

	(void)state;
	setenv("XDG_CONFIG_HOME", "/cfg", 1);
	p = mn_aliases_default_path();
	assert_string_equal(p, "/cfg/minutes/people.json");
	free(p);
	unsetenv("XDG_CONFIG_HOME");
	setenv("HOME", "/home/u", 1);
	p = mn_aliases_default_path();
	assert_string_equal(p, "/home/u/.config/minutes/people.json");
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_digest),
		cmocka_unit_test(test_default_path),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
