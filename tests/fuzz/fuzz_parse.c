/*
 * libFuzzer target for the minutes parser: any bytes, repaired to UTF-8 as
 * the indexer does, must parse without a crash, and what the parser returns
 * must hold together: lines in order, text present, every string valid
 * UTF-8 (jansson refuses anything else, so the JSON description must be
 * complete).
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mn_doc.h"
#include "mn_parse.h"
#include "mn_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The first byte picks the file name, so every format and name rule is reached. */
static const char *const paths[] = {
    "minutes.txt",
    "notes.md",
    "2021-03-04 weekly.markdown",
    "stratos/2020-09-17.txt",
    "xen/Community Call 11 July, 2023.md",
};

static void check_doc(const struct mn_doc *doc, size_t nlines)
{
	json_t *j;
	char *s;
	size_t i;

	for (i = 0; i < doc->npassages; i++) {
		const struct mn_passage *p = &doc->passages[i];

		if (p->line < 1 || p->end_line < p->line || (size_t)p->end_line > nlines + 1 ||
		    p->col < 1 || !p->text)
			abort();
	}
	j = mn_doc_to_json(doc);
	if (!j)
		abort();
	s = json_dumps(j, JSON_COMPACT);
	if (!s)
		abort();
	/* A string jansson refused leaves its key out; the passage count shows it. */
	if (json_array_size(json_object_get(j, "passages")) != doc->npassages)
		abort();
	free(s);
	json_decref(j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_doc *doc = NULL;
	const char *path = paths[0];
	size_t len, i, nlines = 1;
	char *text;

	if (size > 0) {
		path = paths[data[0] % (sizeof(paths) / sizeof(*paths))];
		data++;
		size--;
	}
	text = mn_utf8_repair((const char *)data, size, &len, NULL);
	for (i = 0; i < len; i++)
		nlines += text[i] == '\n';
	if (mn_parse(path, text, len, &doc, &err) == MN_OK) {
		check_doc(doc, nlines);
		mn_doc_free(doc);
	} else if (!err.msg[0]) {
		abort(); /* a failure must say why */
	}
	free(text);
	return 0;
}
