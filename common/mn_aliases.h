/*
 * The people alias file: a user's own list of who is who, applied to every
 * file as it is indexed, to merge or rename people the minutes spell in
 * different ways ("MarkH" is Mark Hambleton):
 *
 *   {"people": [{"name": "Mark Hambleton", "aliases": ["MarkH", "Mark H."]},
 *               {"name": "Shu-yu Guo", "aliases": ["SYG"]}]}
 *
 * Names and aliases compare without case, spacing or Latin diacritics.
 */
#ifndef MN_ALIASES_H
#define MN_ALIASES_H

#include "mn_doc.h"
#include "mn_util.h"

struct mn_aliases;

/*
 * Reads the alias file at path. On error *out is NULL and err says what is
 * wrong and where: MN_ERR_NOENT (no file: "no people file 'PATH'"),
 * MN_ERR_IO (it cannot be read), MN_ERR_FORMAT (too large; not JSON, with
 * jansson's line and column; or not of the form above, with the entry).
 */
int mn_aliases_load(const char *path, struct mn_aliases **out, struct mn_err *err);

/*
 * A digest of what the table does (its names and aliases, in order), as 16
 * hex digits; borrowed, valid while aliases is. Files that differ only in
 * spacing, or in the order of the keys of an entry, have the same digest. NULL for a NULL table.
 * The indexer records it with every file, to index files again when the
 * people file changes.
 */
const char *mn_aliases_digest(const struct mn_aliases *aliases);

/* Frees the table; accepts NULL. */
void mn_aliases_free(struct mn_aliases *aliases);

/* The name the file gives the person called (or labelled) name, or NULL (borrowed). */
const char *mn_aliases_lookup(const struct mn_aliases *aliases, const char *name);

/*
 * Renames the people of doc as the file says: speakers (by name or by their
 * label), owners, and attendees (whose old names become their aliases).
 * Labels stay as written. Returns how many names changed.
 */
size_t mn_aliases_apply(const struct mn_aliases *aliases, struct mn_doc *doc);

/* The file used when none is given: $XDG_CONFIG_HOME/minutes/people.json (new string). */
char *mn_aliases_default_path(void);

#endif
