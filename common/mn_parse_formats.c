/*
 * The parser's front door: recognises a file's format by its name and
 * content and hands it to the reader for that format.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mn_parse.h"
#include "mn_parse_int.h"
#include "mn_text.h"

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
	static const char *const known[] = { "txt", "md", "markdown" };
	const char *ext = extension(path);
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(*known); i++)
		if (!strcasecmp(ext, known[i]))
			return 1;
	return 0;
}

int mn_parse(const char *path, const char *data, size_t len, struct mn_doc **out,
	     struct mn_err *err)
{
	struct mn_doc *doc = mn_doc_new(path);
	const char *ext = extension(path);

	*out = NULL;
	doc->format = (!strcasecmp(ext, "md") || !strcasecmp(ext, "markdown")) ? "markdown" : "text";
	if (mn_parse_text(doc, path, data, len, err)) {
		mn_doc_free(doc);
		return err->status;
	}
	*out = doc;
	return MN_OK;
}
