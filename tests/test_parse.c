/* Unit tests for the minutes parser on small documents written here. */
#include "testutil.h"

#include <string.h>

#include "mn_parse.h"

static struct mn_doc *parse(const char *path, const char *text)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_doc *doc = NULL;

	assert_int_equal(mn_parse(path, text, strlen(text), &doc, &err), MN_OK);
	assert_non_null(doc);
	return doc;
}

/* Finds the passage starting on line; fails when there is none. */
static const struct mn_passage *at_line(const struct mn_doc *doc, int line)
{
	size_t i;

	for (i = 0; i < doc->npassages; i++)
		if (doc->passages[i].line == line)
			return &doc->passages[i];
	fail_msg("no passage on line %d", line);
	return NULL;
}

static void test_markdown(void **state)
{
	static const char text[] = "# Weekly call 2019-01-02\n"			  /* 1 */
				   "\n"						  /* 2 */
				   "## Release cadence\n"			  /* 3 */
				   "\n"						  /* 4 */
				   "Juergen: raises the point that keeping the\n" /* 5 */
				   "release cadence is unfair on Jan\n"		  /* 6 */
				   "Jan: agrees\n"				  /* 7 */
				   "\n"						  /* 8 */
				   "* a bullet about backports\n"		  /* 9 */
				   "  that wraps\n"				  /* 10 */
				   "* **ACTION: George will write a survey**\n"	  /* 11 */
				   "\n"						  /* 12 */
				   "### Sub topic\n"				  /* 13 */
				   "Plain paragraph.\n";			  /* 14 */
	struct mn_doc *doc = parse("notes/call.md", text);
	const struct mn_passage *p;

	(void)state;
	assert_string_equal(doc->format, "markdown");
	assert_string_equal(doc->title, "Weekly call 2019-01-02");
	assert_int_equal(doc->ndates, 1);
	assert_string_equal(doc->dates[0], "2019-01-02");
	assert_int_equal(doc->npassages, 5);

	p = at_line(doc, 5);
	assert_int_equal(p->end_line, 6);
	assert_int_equal(p->kind, MN_KIND_UTTERANCE);
	assert_string_equal(p->speaker_label, "Juergen");
	assert_int_equal(p->col, 10);
	assert_string_equal(p->text,
			    "raises the point that keeping the\nrelease cadence is unfair on Jan");
	assert_int_equal(p->ntopic_path, 1);
	assert_string_equal(p->topic_path[0], "Release cadence");
	assert_string_equal(p->date, "2019-01-02");

	p = at_line(doc, 7);
	assert_string_equal(p->speaker_label, "Jan");
	assert_string_equal(p->text, "agrees");

	p = at_line(doc, 9);
	assert_int_equal(p->end_line, 10);
	assert_null(p->speaker_label);
	assert_int_equal(p->kind, MN_KIND_NOTE);
	assert_int_equal(p->col, 3);

	p = at_line(doc, 11);
	assert_int_equal(p->kind, MN_KIND_ACTION);

	p = at_line(doc, 14);
	assert_int_equal(p->ntopic_path, 2);
	assert_string_equal(p->topic_path[0], "Release cadence");
	assert_string_equal(p->topic_path[1], "Sub topic");
	mn_doc_free(doc);
}

static void test_plain_text_headings(void **state)
{
	static const char text[] =
	    "Steering committee minutes\n" /* 1: title */
	    "\n"
	    "Health Check\n" /* 3: heading, a list follows */
	    "\n"
	    "  \xe2\x80\xa2 Jeff: can you provide more information?\n" /* 5 */
	    "\n"
	    "    \xe2\x80\xa2 Gema\xc2\xa0 : the Kolla project volunteered.\n" /* 7 */
	    "\n"
	    "A stand-alone sentence without a full stop\n" /* 9: followed by a heading */
	    "\n"
	    "Xen update\n" /* 11 */
	    "\n"
	    "Proposed backlog:\n" /* 13: a caption, not a heading */
	    "\n"
	    "  \xe2\x80\xa2 CI\n"; /* 15 */
	struct mn_doc *doc = parse("minutes.txt", text);
	const struct mn_passage *p;

	(void)state;
	assert_string_equal(doc->title, "Steering committee minutes");
	p = at_line(doc, 5);
	assert_string_equal(p->speaker_label, "Jeff");
	assert_string_equal(p->topic_path[0], "Health Check");
	p = at_line(doc, 7);
	assert_string_equal(p->speaker_label, "Gema");
	assert_string_equal(p->text, "the Kolla project volunteered.");
	p = at_line(doc, 13);
	assert_string_equal(p->topic_path[0], "Xen update");
	p = at_line(doc, 15);
	assert_string_equal(p->text, "CI");
	assert_string_equal(p->topic_path[0], "Xen update");
	mn_doc_free(doc);
}

static void test_title_boilerplate_and_dates(void **state)
{
	static const char text[] = "[Date Prev][Date Next][Thread Prev]\n"
				   "\n"
				   "Re: [Xen-devel] x86 Community Call - July 2018 - Minutes\n"
				   "\n"
				   "Session 1: Sep 25, 2017\n"
				   "\n"
				   "- first day\n"
				   "\n"
				   "Session 2: Sep 26, 2017\n"
				   "\n"
				   "- second day\n";
	struct mn_doc *doc = parse("x.txt", text);

	(void)state;
	assert_string_equal(doc->title, "x86 Community Call - July 2018 - Minutes");
	/* The sessions' dates are the meeting's dates. */
	assert_int_equal(doc->ndates, 2);
	assert_string_equal(doc->dates[0], "2017-09-25");
	assert_string_equal(at_line(doc, 7)->date, "2017-09-25");
	assert_string_equal(at_line(doc, 11)->date, "2017-09-26");
	mn_doc_free(doc);
}

static void test_date_from_file_name(void **state)
{
	struct mn_doc *doc = parse("tsc/2019-01-02.md", "# Node.js TSC meeting\n\n* item\n");

	(void)state;
	assert_int_equal(doc->ndates, 1);
	assert_string_equal(doc->dates[0], "2019-01-02");
	mn_doc_free(doc);
}

/* Minutes filed by year: the year folder is a date, the one above it the series. */
static void test_series_above_a_year_folder(void **state)
{
	struct mn_doc *doc = parse("minutes/lang-team/2021/2021-03-04.md",
				   "# March 4, 2021 Meeting Notes\n\n* item\n");

	(void)state;
	assert_non_null(doc->series);
	assert_string_equal(doc->series, "lang-team");
	assert_string_equal(doc->dates[0], "2021-03-04");
	mn_doc_free(doc);
}

/* "108th TC39 Meeting": the number says which meeting, the rest the series. */
static void test_series_without_ordinal(void **state)
{
	struct mn_doc *doc = parse("tc39/2025-05/may-28.md", "# 108th TC39 Meeting\n\n* item\n");

	(void)state;
	assert_non_null(doc->series);
	assert_string_equal(doc->series, "TC39");
	mn_doc_free(doc);
}

/*
 * The series of a title: without what says which meeting and what kind of
 * document, and the joining words left at the ends ("Summary for the 56th
 * meeting of Ecma TC39"); before the topic a title goes on to name
 * ("Design meeting 2022-03-30: Lint Policy"); and from the folder when the
 * title names no meeting ("Discuss WF checks and type aliases", a design
 * meeting's topic).
 */
static void test_series_of_titles(void **state)
{
	static const struct {
		const char *path, *title, *series;
	} cases[] = {
	    {"tc39/2017-01/summary.md", "Summary for the 56th meeting of Ecma TC39", "Ecma TC39"},
	    {"lang/design-meeting-minutes/2022-03-30-lint.md",
	     "Design meeting 2022-03-30: Lint Policy", "Design"},
	    {"lang/minutes/2019-09-26.md", "T-Lang Meeting: Current meeting", "T-Lang"},
	    {"lang/design-meeting-minutes/2020-07-29-wf.md", "Discuss WF checks and type aliases",
	     "lang"},
	    {"xen/2018-07.txt", "x86 Community Call - Wed July 11, 14:00 - 15:00 UTC - Minutes",
	     "x86 Community Call"},
	    /* a site's name after a dash, a template's word left unfilled */
	    {"lang/minutes/2021-11-09.md", "Triage meeting 2021-11-09 - HackMD", "Triage"},
	    {"lang/minutes/2022-01-25.md", "Triage meeting DATE", "Triage"},
	    {"tc39/2014-06/toc.md", "June 4 2014 Meeting Notes - Table of Contents", "tc39"},
	    /* a name after the dash when none came before it */
	    {"stratos/2021-01.md", "Minutes - Project Stratos", "Project Stratos"},
	    /* a heading that says nothing of the meeting; a sentence */
	    {"lang/minutes/2019-10-17.md", "Meeting details", "lang"},
	    {"tsc/2015-12-03.md", "No meeting minutes were taken.", "tsc"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct mn_buf text = MN_BUF_INIT;
		struct mn_doc *doc;

		mn_buf_addf(&text, "# %s\n\n* item\n", cases[i].title);
		doc = parse(cases[i].path, mn_buf_str(&text));
		assert_non_null(doc->series);
		assert_string_equal(doc->series, cases[i].series);
		mn_doc_free(doc);
		mn_buf_release(&text);
	}
}

/*
 * "[Xen-devel]" before a title names the mailing list, which goes into the
 * series; a link such as "[Watch the recording](...)" under the title does not.
 */
static void test_series_not_from_a_link(void **state)
{
	struct mn_doc *doc =
	    parse("lang/minutes/2021-03-04.md",
		  "# T-lang meeting agenda\n\n* [Watch the recording](https://x.test/v)\n"
		  "\n## Attendance\n\n* Niko\n");

	(void)state;
	assert_non_null(doc->series);
	assert_string_equal(doc->series, "T-lang");
	mn_doc_free(doc);
	doc = parse("xen/minutes.txt", "[Xen-devel] Minutes of the x86 community call\n\nitem\n");
	assert_non_null(doc->series);
	assert_string_equal(doc->series, "Xen x86 community call");
	mn_doc_free(doc);
}

/* The title of the topic on line, or NULL. */
static const char *topic_at(const struct mn_doc *doc, int line)
{
	size_t i;

	for (i = 0; i < doc->ntopics; i++)
		if (doc->topics[i].line == line)
			return doc->topics[i].title;
	return NULL;
}

/*
 * An item of discussion that names its presenters first (a table of
 * Confluence flattened to a line) is titled by what follows them; a name
 * with a single word after it stays as written.
 */
static void test_items_without_presenters(void **state)
{
	static const char text[] =
	    "# Stratos Sync Meeting 2020-09-17\n" /* 1 */
	    "\n"				  /* 2 */
	    "## Attendees\n"			  /* 3 */
	    "\n"				  /* 4 */
	    "* Masami Hiramatsu\n"		  /* 5 */
	    "* Tom Gall\n"			  /* 6 */
	    "\n"				  /* 7 */
	    "## Discussion items\n"		  /* 8 */
	    "\n"				  /* 9 */
	    "* Masami Hiramatsu (Deactivated)\xc2\xa0"
	    "Describe the demo plans\n"					       /* 10 */
	    "  * a note\n"						       /* 11 */
	    "* Unknown User (v@example.org) Tom Gall -  LCG update on media\n" /* 12 */
	    "  * a note\n"						       /* 13 */
	    "* Tom Gall Update\n"					       /* 14 */
	    "  * a note\n";						       /* 15 */
	struct mn_doc *doc = parse("stratos/2020-09-17.md", text);

	(void)state;
	assert_string_equal(topic_at(doc, 10), "Describe the demo plans");
	assert_string_equal(topic_at(doc, 12), "LCG update on media");
	assert_string_equal(topic_at(doc, 14), "Tom Gall Update");
	mn_doc_free(doc);
}

/* A remark in brackets above the heading is not the title. */
static void test_title_after_a_remark(void **state)
{
	struct mn_doc *doc =
	    parse("tsc/2016-03-17.md", "(doc to move to the node repository after meeting)\n\n"
				       "# Node Foundation TSC Meeting 2016-03-17\n\n## Present\n\n"
				       "* Rod Vagg\n");

	(void)state;
	assert_non_null(doc->title);
	assert_string_equal(doc->title, "Node Foundation TSC Meeting 2016-03-17");
	assert_non_null(doc->series);
	assert_string_equal(doc->series, "Node Foundation TSC");
	mn_doc_free(doc);
}

/*
 * A heading that is, or holds, a Markdown link or image is a topic named by
 * their text: "[**P-high issues**](https://...)" is "P-high issues", for the
 * topic and for its passages' paths; brackets that are no link stay.
 */
static void test_topics_without_link_syntax(void **state)
{
	static const char text[] = "# T-lang meeting 2021-03-04\n"			     /* 1 */
				   "\n"						     /* 2 */
				   "## [**P-high issues**](https://x.test/q?a=b)\n"	     /* 3 */
				   "\n"						     /* 4 */
				   "None this week.\n"					     /* 5 */
				   "\n"						     /* 6 */
				   "## Tier 2 for macOS [#63055](https://x.test/p/63055)\n" /* 7 */
				   "\n"						     /* 8 */
				   "Agreed.\n"						     /* 9 */
				   "\n"						     /* 10 */
				   "## ![logo](a.png) Links [here] (not a link)\n"	     /* 11 */
				   "\n"						     /* 12 */
				   "More.\n"						     /* 13 */
				   "\n"						     /* 14 */
				   "## #441 [Use #[non_exhaustive] on enums](https://x.test/441)\n" /* 15 */
				   "\n"						     /* 16 */
				   "Done.\n"						     /* 17 */
				   "\n"						     /* 18 */
				   "## Calling [[ToString]](symbol)\n"			     /* 19 */
				   "\n"						     /* 20 */
				   "Throws.\n";						     /* 21 */
	struct mn_doc *doc = parse("lang/2021-03-04.md", text);
	const struct mn_passage *p;

	(void)state;
	p = at_line(doc, 5);
	assert_int_equal(p->ntopic_path, 1);
	assert_string_equal(p->topic_path[0], "P-high issues");
	p = at_line(doc, 9);
	assert_string_equal(p->topic_path[0], "Tier 2 for macOS #63055");
	p = at_line(doc, 13);
	assert_string_equal(p->topic_path[0], "logo Links [here] (not a link)");
	/* Brackets in a link's text nest; spec notation is no link. */
	assert_string_equal(at_line(doc, 17)->topic_path[0], "#441 Use #[non_exhaustive] on enums");
	assert_string_equal(at_line(doc, 21)->topic_path[0], "Calling [[ToString]](symbol)");
	assert_true(doc->ntopics >= 3);
	assert_string_equal(doc->topics[0].title, "P-high issues");
	mn_doc_free(doc);
}

static void test_front_matter_skipped(void **state)
{
	static const char text[] = "---\n"
				   "title: Triage meeting\n"
				   "date: 2021-03-02\n"
				   "---\n"
				   "# Triage meeting\n"
				   "\n"
				   "nikomatsakis: we should merge it\n";
	struct mn_doc *doc = parse("t.md", text);
	const struct mn_passage *p;

	(void)state;
	assert_string_equal(doc->title, "Triage meeting");
	assert_int_equal(doc->npassages, 1);
	p = at_line(doc, 7);
	/* A lower-case word is a speaker label only as the handle of an attendee. */
	assert_null(p->speaker_label);
	assert_string_equal(p->text, "nikomatsakis: we should merge it");
	mn_doc_free(doc);
}

static void test_not_speakers(void **state)
{
	static const char text[] = "Title\n"
				   "\n"
				   "Note: this is not a speaker.\n"
				   "\n"
				   "Session 1: neither is this.\n"
				   "\n"
				   "Tom Gall LCG Update : four words are too many.\n"
				   "\n"
				   "See https://example.org: a link.\n"
				   "\n"
				   "Martin/Christoffer: two speakers\n";
	struct mn_doc *doc = parse("n.txt", text);

	(void)state;
	assert_null(at_line(doc, 3)->speaker_label);
	assert_null(at_line(doc, 5)->speaker_label);
	assert_null(at_line(doc, 7)->speaker_label);
	assert_null(at_line(doc, 9)->speaker_label);
	assert_string_equal(at_line(doc, 11)->speaker_label, "Martin/Christoffer");
	mn_doc_free(doc);
}

/*
 * "Name, their words" opens a bullet of a listed person's words, as Node.js
 * TSC minutes write them; a bullet of such words that has replies under it
 * is no subtopic. Not when the name starts a list ("Rick, Dave will", "MF,
 * RGN to review", "Michael, and Joyee"), is two words, or is nobody listed.
 */
static void test_comma_after_a_speaker(void **state)
{
	static const char text[] = "# TSC Meeting 2025-06-18\n"			      /* 1 */
				   "\n"						      /* 2 */
				   "## Present\n"				      /* 3 */
				   "\n"						      /* 4 */
				   "* Matteo Collina @mcollina\n"		      /* 5 */
				   "* Joyee Cheung @joyeecheung\n"		      /* 6 */
				   "* Michael Dawson @mhdawson\n"		      /* 7 */
				   "* Rick Waldron @rwaldron\n"			      /* 8 */
				   "\n"						      /* 9 */
				   "## Agenda\n"				      /* 10 */
				   "\n"						      /* 11 */
				   "### Timers and dispose #58689\n"		      /* 12 */
				   "\n"						      /* 13 */
				   "* Matteo, came from a discussion about timers.\n" /* 14 */
				   "* Joyee, how about we avoid it in the future.\n"  /* 15 */
				   "  * Michael, I agree that we document it.\n"      /* 16 */
				   "* Rick, Dave will figure out March.\n"	      /* 17 */
				   "* Michael, and Joyee will write it up.\n"	      /* 18 */
				   "* Matteo Collina, then the rest.\n"		      /* 19 */
				   "* However, nobody objected.\n";		      /* 20 */
	struct mn_doc *doc = parse("tsc/2025-06-18.md", text);
	static const struct {
		int line;
		const char *speaker;
	} want[] = {{14, "Matteo Collina"}, {15, "Joyee Cheung"}, {16, "Michael Dawson"}};
	size_t i;
	int line;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(*want); i++) {
		const struct mn_passage *p = at_line(doc, want[i].line);

		assert_int_equal(p->nspeakers, 1);
		assert_string_equal(p->speakers[0], want[i].speaker);
		assert_int_equal(p->kind, MN_KIND_UTTERANCE);
	}
	/* Michael's reply is under the item, not under a subtopic of Joyee's words. */
	assert_null(topic_at(doc, 15));
	{
		const struct mn_passage *p = at_line(doc, 16);

		assert_true(p->ntopic_path > 0);
		assert_string_equal(p->topic_path[p->ntopic_path - 1], "Timers and dispose #58689");
	}
	for (line = 17; line <= 20; line++)
		assert_int_equal(at_line(doc, line)->nspeakers, 0);
	mn_doc_free(doc);
}

/*
 * A bullet with replies under it is a subtopic when it reads as a title,
 * not when it reports what someone said or holds two sentences; an issue's
 * title ("... bomb. #82") and a numbered one ("1. Improve ...") stay titles.
 */
static void test_subtopics_are_titles(void **state)
{
	static const char text[] = "# TSC Meeting 2019-03-06\n"			      /* 1 */
				   "\n"						      /* 2 */
				   "## Present\n"				      /* 3 */
				   "\n"						      /* 4 */
				   "* Michael Dawson @mhdawson\n"		      /* 5 */
				   "\n"						      /* 6 */
				   "## Minutes\n"				      /* 7 */
				   "\n"						      /* 8 */
				   "* Modules update\n"				      /* 9 */
				   "  * Michael suggested we open a separate issue\n" /* 10 */
				   "    * agreed by the others\n"		      /* 11 */
				   "  * There was talk of a new name.  Two options\n" /* 12 */
				   "    * keep it, or change it\n"		      /* 13 */
				   "  * How to dismantle a bomb. #82\n"		      /* 14 */
				   "    * carefully\n"				      /* 15 */
				   "  * 1. Improve the guidelines\n"		      /* 16 */
				   "    * for implementers\n";			      /* 17 */
	struct mn_doc *doc = parse("tsc/2019-03-06.md", text);
	const struct mn_passage *p;

	(void)state;
	assert_string_equal(topic_at(doc, 9), "Modules update");
	assert_null(topic_at(doc, 10));
	assert_null(topic_at(doc, 12));
	assert_string_equal(topic_at(doc, 14), "How to dismantle a bomb. #82");
	assert_non_null(topic_at(doc, 16));
	p = at_line(doc, 10);
	assert_int_equal(p->kind, MN_KIND_REPORTED);
	p = at_line(doc, 13);
	assert_string_equal(p->topic_path[p->ntopic_path - 1], "Modules update");
	mn_doc_free(doc);
}

/*
 * Handles in lower case as labels: one listed by its shape is that person
 * ("joshtriplett" for a listed Josh, "nikomatsakis" for Niko Matsakis); one
 * nobody listed speaks when it opens two passages (three with a list) and
 * the text writes it only so; not a word the text also uses ("iterator:"),
 * nor a change's prefix ("doc: add ... #12"). A given name one letter from a
 * listed one ("Mark" for Mara) is not that person.
 */
static void test_handles_as_labels(void **state)
{
	static const char listed[] = "# T-lang meeting 2022-03-22\n"		   /* 1 */
				     "\n"					   /* 2 */
				     "## Attendance\n"				   /* 3 */
				     "\n"					   /* 4 */
				     "* Team members: Josh, Niko Matsakis, Mara\n" /* 5 */
				     "\n"					   /* 6 */
				     "## Notes\n"				   /* 7 */
				     "\n"					   /* 8 */
				     "* joshtriplett: ready to ship\n"		   /* 9 */
				     "* nikomatsakis: not yet\n"		   /* 10 */
				     "* Mark: the release is next week\n"	   /* 11 */
				     "* Mark: and the blog post\n";		   /* 12 */
	static const char unlisted[] = "# Lang minutes 2020-01-02\n"		   /* 1 */
				       "\n"					   /* 2 */
				       "* cramertj: we could land it\n"		   /* 3 */
				       "* cramertj: or wait a cycle\n"		   /* 4 */
				       "* iterator: the next method\n"		   /* 5 */
				       "* iterator: and the size hint\n"	   /* 6 */
				       "* each iterator is lazy\n"		   /* 7 */
				       "* doc: add the guide #12\n"		   /* 8 */
				       "* doc: fix the links\n";		   /* 9 */
	struct mn_doc *doc = parse("lang/minutes/2022-03-22.md", listed);
	const struct mn_passage *p;
	int line;

	(void)state;
	p = at_line(doc, 9);
	assert_int_equal(p->nspeakers, 1);
	assert_string_equal(p->speakers[0], "Josh");
	p = at_line(doc, 10);
	assert_int_equal(p->nspeakers, 1);
	assert_string_equal(p->speakers[0], "Niko Matsakis");
	p = at_line(doc, 11);
	assert_true(!p->nspeakers || strcmp(p->speakers[0], "Mara"));
	mn_doc_free(doc);

	doc = parse("lang/minutes/2020-01-02.md", unlisted);
	for (line = 3; line <= 4; line++) {
		p = at_line(doc, line);
		assert_int_equal(p->nspeakers, 1);
		assert_string_equal(p->speakers[0], "cramertj");
	}
	for (line = 5; line <= 9; line++)
		if (line != 7)
			assert_int_equal(at_line(doc, line)->nspeakers, 0);
	mn_doc_free(doc);
}

/*
 * In minutes without an attendee list, captions that open lines twice
 * ("Reminder:", "Opt-out:") are no speakers nor owners, and a possessive
 * ("Niko’s thought") reports nobody's words.
 */
static void test_captions_and_possessives(void **state)
{
	static const char text[] = "Title\n"						  /* 1 */
				   "\n"							  /* 2 */
				   "## Action items\n"					  /* 3 */
				   "\n"							  /* 4 */
				   "- Felix to analyze the issue.\n"			  /* 5 */
				   "    - Reminder: another help wanted proposal?\n"	  /* 6 */
				   "\n"							  /* 7 */
				   "## Notes\n"						  /* 8 */
				   "\n"							  /* 9 */
				   "- Reminder: the survey closes soon.\n"		  /* 10 */
				   "- Opt-out: a field that is must-use.\n"		  /* 11 */
				   "- Opt-out: a generic parameter that is must-use.\n"	  /* 12 */
				   "- Niko\xe2\x80\x99s thought: it holds either way.\n"; /* 13 */
	struct mn_doc *doc = parse("lang/minutes/2020-06-15.md", text);
	const struct mn_passage *p;
	size_t k;
	int line;

	(void)state;
	p = at_line(doc, 5);
	assert_int_equal(p->nowners, 1);
	assert_string_equal(p->owners[0], "Felix");
	p = at_line(doc, 6);
	for (k = 0; k < p->nowners; k++)
		assert_string_not_equal(p->owners[k], "Reminder");
	for (line = 10; line <= 13; line++) {
		p = at_line(doc, line);
		assert_int_equal(p->nspeakers, 0);
		assert_int_not_equal(p->kind, MN_KIND_REPORTED);
	}
	mn_doc_free(doc);
}

/*
 * In minutes without an attendee list, a capitalised word before "to" and
 * a verb is an owner ("Jon to send"), unless it is a word that opens such
 * sentences ("Hard to say", "Need to finish", "How to handle").
 */
static void test_owners_without_a_list(void **state)
{
	static const char text[] = "Title\n"
				   "\n"
				   "* Hard to say whether it holds.\n"
				   "* Need to finish the guide.\n"
				   "* How to handle reservations in the docs\n"
				   "* Jon to send the notes.\n";
	struct mn_doc *doc = parse("lang/minutes/2020-01-02.md", text);
	const struct mn_passage *p;
	int line;

	(void)state;
	for (line = 3; line <= 5; line++) {
		p = at_line(doc, line);
		assert_int_not_equal(p->kind, MN_KIND_ACTION);
		assert_int_equal(p->nowners, 0);
	}
	p = at_line(doc, 6);
	assert_int_equal(p->kind, MN_KIND_ACTION);
	assert_int_equal(p->nowners, 1);
	assert_string_equal(p->owners[0], "Jon");
	mn_doc_free(doc);
}

/* The attendee of doc called name, or NULL. */
static const struct mn_attendee *attendee(const struct mn_doc *doc, const char *name)
{
	size_t i;

	for (i = 0; i < doc->nattendees; i++)
		if (!strcmp(doc->attendees[i].name, name))
			return &doc->attendees[i];
	return NULL;
}

/*
 * A listed name is spelled one way: spaces, tabs and no-break spaces run
 * together, none at its ends, and initials spaced ("J.S." and "F.Carr").
 */
static void test_names_spaced_one_way(void **state)
{
	static const char text[] = "# TC39 Meeting 2021-08-31\n"
				   "\n"
				   "## Attendees\n"
				   "\n"
				   "* Rick  Button\n"
				   "* J.\xc2\xa0S. Choi\n"
				   "* Jane\tDoe\n"
				   "* Shane F.Carr\n"
				   "* A.B.C. Dee\n";
	struct mn_doc *doc = parse("tc39/2021-08/aug-31.md", text);

	(void)state;
	assert_non_null(attendee(doc, "Rick Button"));
	assert_non_null(attendee(doc, "J. S. Choi"));
	assert_non_null(attendee(doc, "Jane Doe"));
	assert_non_null(attendee(doc, "Shane F. Carr"));
	assert_non_null(attendee(doc, "A. B. C. Dee"));
	mn_doc_free(doc);
}

/* Whether the attendee named name has alias. */
static int has_alias(const struct mn_doc *doc, const char *name, const char *alias)
{
	const struct mn_attendee *a = attendee(doc, name);
	size_t k;

	for (k = 0; a && k < a->naliases; k++)
		if (!strcmp(a->aliases[k], alias))
			return 1;
	return 0;
}

static void test_roles_are_not_abbreviations(void **state)
{
	static const char text[] = "# Project Steering Committee (PSC) Meeting 2020-02-05\n"
				   "\n"
				   "## Present\n"
				   "\n"
				   "* Tobias Niessen @tniessen (TSC)\n"
				   "* Rich Trott @Trott (TSC)\n"
				   "* Pat Smith (PSC)\n"
				   "* Rob Palmer (RPR)\n"
				   "* Dan Ehrenberg (DE)\n"
				   "* Daniel Ehrenberg (DE)\n"
				   "\n"
				   "## Notes\n"
				   "\n"
				   "RPR: I agree.\n"
				   "\n"
				   "TSC: should look at the PRs.\n"
				   "\n"
				   "PSC: so should we.\n";
	struct mn_doc *doc = parse("psc/2020-02-05.md", text);

	(void)state;
	assert_true(has_alias(doc, "Rob Palmer", "RPR"));
	assert_string_equal(mn_passage_speaker(at_line(doc, 14)), "Rob Palmer");
	/* Written after Rich Trott too, "(TSC)" is a body, not Tobias's initials. */
	assert_false(has_alias(doc, "Tobias Niessen", "TSC"));
	assert_true(has_alias(doc, "Tobias Niessen", "tniessen"));
	assert_string_equal(mn_passage_speaker(at_line(doc, 16)), "TSC");
	/* The title names the committee "(PSC)". */
	assert_false(has_alias(doc, "Pat Smith", "PSC"));
	assert_string_equal(mn_passage_speaker(at_line(doc, 18)), "Project Steering Committee");
	/* One abbreviation after two forms of one name stays theirs. */
	assert_true(has_alias(doc, "Dan Ehrenberg", "DE"));
	mn_doc_free(doc);
}

static void test_empty_and_odd_input(void **state)
{
	struct mn_doc *doc;

	(void)state;
	doc = parse("e.txt", "");
	assert_int_equal(doc->npassages, 0);
	assert_null(doc->title);
	mn_doc_free(doc);
	doc = parse("e.txt", "\n\n   \n");
	assert_int_equal(doc->npassages, 0);
	mn_doc_free(doc);
	doc = parse("e.md", "# only a heading");
	assert_int_equal(doc->npassages, 0);
	mn_doc_free(doc);
	doc = parse("e.md", "no newline at end");
	assert_int_equal(doc->npassages, 0); /* it is the title */
	mn_doc_free(doc);
}

static void test_accepts(void **state)
{
	(void)state;
	assert_true(mn_parse_accepts("a/b.txt"));
	assert_true(mn_parse_accepts("a/b.MD"));
	assert_true(mn_parse_accepts("b.markdown"));
	assert_false(mn_parse_accepts("b.pdf"));
	assert_false(mn_parse_accepts("dir.md/file"));
	assert_false(mn_parse_accepts("README"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_markdown),
	    cmocka_unit_test(test_plain_text_headings),
	    cmocka_unit_test(test_title_boilerplate_and_dates),
	    cmocka_unit_test(test_date_from_file_name),
	    cmocka_unit_test(test_series_above_a_year_folder),
	    cmocka_unit_test(test_series_without_ordinal),
	    cmocka_unit_test(test_series_not_from_a_link),
	    cmocka_unit_test(test_series_of_titles),
	    cmocka_unit_test(test_title_after_a_remark),
	    cmocka_unit_test(test_items_without_presenters),
	    cmocka_unit_test(test_topics_without_link_syntax),
	    cmocka_unit_test(test_front_matter_skipped),
	    cmocka_unit_test(test_not_speakers),
	    cmocka_unit_test(test_comma_after_a_speaker),
	    cmocka_unit_test(test_subtopics_are_titles),
	    cmocka_unit_test(test_handles_as_labels),
	    cmocka_unit_test(test_captions_and_possessives),
	    cmocka_unit_test(test_owners_without_a_list),
	    cmocka_unit_test(test_names_spaced_one_way),
	    cmocka_unit_test(test_roles_are_not_abbreviations),
	    cmocka_unit_test(test_empty_and_odd_input),
	    cmocka_unit_test(test_accepts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
