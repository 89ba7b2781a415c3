#include "mn_aliases.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "mn_text.h"

struct entry {
	char *key;  /* folded name or alias */
	char *name; /* the person's name as the file writes it */
};

struct mn_aliases {
	struct entry *entries;
	size_t n, cap;
	char digest[17];
};

static void add(struct mn_aliases *a, const char *key, const char *name)
{
	char *folded = mn_fold(key);

	if (!*folded) {
		free(folded);
		return;
	}
	MN_GROW(a->entries, a->n + 1, a->cap);
	a->entries[a->n].key = folded;
	a->entries[a->n].name = mn_xstrdup(name);
	a->n++;
}

/* People files are small; a bigger one is a mistake (a log named people.json). */
#define PEOPLE_MAX_SIZE (16u << 20)

/* The digest of what the table does: its entries, in lookup order. */
static void set_digest(struct mn_aliases *a)
{
	uint64_t h = MN_HASH_INIT;
	size_t i;

	for (i = 0; i < a->n; i++) {
		h = mn_hash_update(h, a->entries[i].key, strlen(a->entries[i].key) + 1);
		h = mn_hash_update(h, a->entries[i].name, strlen(a->entries[i].name) + 1);
	}
	mn_hash_hex(h, a->digest);
}

int mn_aliases_load(const char *path, struct mn_aliases **out, struct mn_err *err)
{
	struct mn_err rerr = MN_ERR_INIT;
	struct mn_aliases *a;
	json_error_t jerr;
	json_t *root, *people, *person;
	char *text = NULL;
	size_t i, len;

	*out = NULL;
	if (mn_read_file(path, PEOPLE_MAX_SIZE, &text, &len, &rerr)) {
		if (rerr.status == MN_ERR_NOENT)
			return mn_err_set(err, MN_ERR_NOENT, "no people file '%s'", path);
		/* "cannot read 'PATH': why", or "'PATH' is larger than N bytes". */
		return mn_err_set(err, rerr.status == MN_ERR_FORMAT ? MN_ERR_FORMAT : MN_ERR_IO,
				  "%s", rerr.msg);
	}
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	free(text);
	if (!root)
		return mn_err_set(err, MN_ERR_FORMAT,
				  "bad people file '%s' at line %d, column %d: %s", path, jerr.line,
				  jerr.column, jerr.text);
	people = json_object_get(root, "people");
	if (!json_is_object(root) || !json_is_array(people)) {
		json_decref(root);
		return mn_err_set(err, MN_ERR_FORMAT,
				  "bad people file '%s': no \"people\" list (expected {\"people\": "
				  "[{\"name\": ..., \"aliases\": [...]}]})",
				  path);
	}
	a = mn_xcalloc(1, sizeof(*a));
	json_array_foreach(people, i, person)
	{
		json_t *name = json_object_get(person, "name");
		json_t *aliases = json_object_get(person, "aliases"), *alias;
		size_t k;

		if (!json_is_string(name) || !*json_string_value(name)) {
			mn_err_set(err, MN_ERR_FORMAT,
				   "bad people file '%s': entry %zu has no \"name\"", path, i + 1);
			break;
		}
		if (aliases && !json_is_array(aliases)) {
			mn_err_set(err, MN_ERR_FORMAT,
				   "bad people file '%s': \"aliases\" of '%s' is not a list", path,
				   json_string_value(name));
			break;
		}
		add(a, json_string_value(name), json_string_value(name));
		json_array_foreach(aliases, k, alias)
		{
			if (!json_is_string(alias)) {
				mn_err_set(err, MN_ERR_FORMAT,
					   "bad people file '%s': an alias of '%s' is not a string",
					   path, json_string_value(name));
				break;
			}
			add(a, json_string_value(alias), json_string_value(name));
		}
		if (err->status)
			break;
	}
	json_decref(root);
	if (err->status) {
		mn_aliases_free(a);
		return err->status;
	}
	set_digest(a);
	*out = a;
	return MN_OK;
}

void mn_aliases_free(struct mn_aliases *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->n; i++) {
		free(a->entries[i].key);
		free(a->entries[i].name);
	}
	free(a->entries);
	free(a);
}

const char *mn_aliases_digest(const struct mn_aliases *a)
{
	return a ? a->digest : NULL;
}

const char *mn_aliases_lookup(const struct mn_aliases *a, const char *name)
{
	char *key;
	const char *found = NULL;
	size_t i;

	if (!a || !name)
		return NULL;
	key = mn_fold(name);
	for (i = 0; i < a->n && !found; i++)
		if (!strcmp(a->entries[i].key, key))
			found = a->entries[i].name;
	free(key);
	return found;
}

/* Rewrites v[0..n) in place where the file knows a name; returns how many changed. */
static size_t rename_all(const struct mn_aliases *a, struct mn_doc *doc, const char **v, size_t n,
			 const char *label)
{
	size_t i, changed = 0;

	for (i = 0; i < n; i++) {
		const char *to = mn_aliases_lookup(a, v[i]);

		/* A single speaker unknown by name may be known by the label they were written as.
		 */
		if (!to && label && n == 1)
			to = mn_aliases_lookup(a, label);
		if (to && strcmp(to, v[i])) {
			v[i] = mn_arena_strdup(&doc->arena, to);
			changed++;
		}
	}
	return changed;
}

size_t mn_aliases_apply(const struct mn_aliases *a, struct mn_doc *doc)
{
	size_t i, changed = 0;

	if (!a)
		return 0;
	for (i = 0; i < doc->npassages; i++) {
		struct mn_passage *p = &doc->passages[i];

		/* The arrays are the document's own: copy before changing them. */
		if (p->nspeakers) {
			p->speakers = mn_doc_strv(doc, p->speakers, p->nspeakers);
			changed += rename_all(a, doc, p->speakers, p->nspeakers, p->speaker_label);
		}
		if (p->nowners) {
			p->owners = mn_doc_strv(doc, p->owners, p->nowners);
			changed += rename_all(a, doc, p->owners, p->nowners, NULL);
		}
	}
	for (i = 0; i < doc->nattendees; i++) {
		struct mn_attendee *at = &doc->attendees[i];
		const char *to = mn_aliases_lookup(a, at->name);
		size_t k;

		for (k = 0; !to && k < at->naliases; k++)
			to = mn_aliases_lookup(a, at->aliases[k]);
		if (to && strcmp(to, at->name)) {
			const char **aliases =
			    mn_arena_alloc(&doc->arena, (at->naliases + 1) * sizeof(*aliases));

			if (at->naliases)
				memcpy(aliases, at->aliases, at->naliases * sizeof(*aliases));
			aliases[at->naliases++] = at->name;
			at->aliases = aliases;
			at->name = mn_arena_strdup(&doc->arena, to);
			changed++;
		}
	}
	return changed;
}

char *mn_aliases_default_path(void)
{
	const char *env = getenv("XDG_CONFIG_HOME");
	struct mn_buf b = MN_BUF_INIT;

	if (env && *env == '/') {
		mn_buf_addf(&b, "%s/minutes/people.json", env);
		return mn_buf_detach(&b);
	}
	env = getenv("HOME");
	if (!env || !*env)
		return NULL;
	mn_buf_addf(&b, "%s/.config/minutes/people.json", env);
	return mn_buf_detach(&b);
}
