/*
 * The user's configuration file, shared by minutes-index and minutes-search:
 * $XDG_CONFIG_HOME/minutes/config.json (else ~/.config/minutes/config.json),
 * one JSON object read with jansson. Every key is optional:
 *
 *   "index"     string   the index file
 *   "language"  string   stemming language of a new index ("english")
 *   "folders"   strings  what minutes-index indexes when given no PATH
 *   "people"    string   the people alias file
 *   "facets"    strings, or one comma-separated string: the facets a bare
 *                        --facets counts
 *
 * Paths may start with "~/" (the home folder); other relative paths are
 * taken from the folder that holds the config file. Unknown keys are
 * errors, so that a misspelt key is not silently ignored.
 *
 * Precedence, which the programs apply: a command-line flag, then (for the
 * index only) $MINUTES_DB, then this file, then the built-in default. The
 * library reads the file only when a program asks; it never looks on its own.
 */
#ifndef MN_CONFIG_H
#define MN_CONFIG_H

#include <stddef.h>

#include "mn_util.h"

struct mn_config {
	char *path;	/* the file that was read; NULL when there was none */
	char *index;	/* absolute or as written with "~/" expanded; NULL: not set */
	char *language; /* NULL: not set */
	char **folders; /* paths, expanded as index */
	size_t nfolders;
	char *people; /* NULL: not set */
	char *facets; /* comma-separated facet names, already checked; NULL: not set */
};

#define MN_CONFIG_INIT                                                                             \
	{                                                                                          \
		NULL, NULL, NULL, NULL, 0, NULL, NULL                                              \
	}

/*
 * The config file used when none is named: $XDG_CONFIG_HOME/minutes/
 * config.json when XDG_CONFIG_HOME is an absolute path, else
 * $HOME/.config/minutes/config.json. Returns a new string (caller frees),
 * or NULL when neither variable is usable.
 */
char *mn_config_default_path(void);

/*
 * Reads the config file at path into *cfg (which must be MN_CONFIG_INIT or
 * released). A missing file is not an error unless required is set: cfg is
 * then left empty (cfg->path NULL). On failure cfg is left empty and err
 * says what is wrong: MN_ERR_NOENT (required and missing), MN_ERR_IO
 * (cannot read it), MN_ERR_FORMAT (not JSON, with the line and column
 * jansson reports; not an object; an unknown key; a value of the wrong
 * type; an unknown facet or stemming language).
 */
int mn_config_load(struct mn_config *cfg, const char *path, int required, struct mn_err *err);

/* Frees what cfg holds and leaves it empty (MN_CONFIG_INIT). */
void mn_config_release(struct mn_config *cfg);

/*
 * The index to use, by precedence: flag (the --db value, may be NULL), else
 * $MINUTES_DB, else cfg->index (cfg may be NULL), else the default of
 * mn_store_default_path (under $XDG_DATA_HOME or ~/.local/share). Returns a
 * new string (caller frees), or NULL when no home folder is known.
 */
char *mn_config_index_path(const struct mn_config *cfg, const char *flag);

#endif
