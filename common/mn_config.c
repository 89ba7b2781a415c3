/*
 * The config file: jansson reads it, this file checks each key's type and
 * turns paths into ones the programs can open from any folder.
 */
#include "mn_config.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "mn_facets.h"
#include "mn_store.h"
#include "mn_tokenizer.h"

/* Config files are small; a bigger one is a mistake (a log named config.json). */
#define CONFIG_MAX_SIZE (1u << 20)

static const char *const known_keys = "index, language, folders, people, facets";

char *mn_config_default_path(void)
{
	const char *env = getenv("XDG_CONFIG_HOME");
	struct mn_buf b = MN_BUF_INIT;

	if (env && *env == '/') {
		mn_buf_addf(&b, "%s/minutes/config.json", env);
		return mn_buf_detach(&b);
	}
	env = getenv("HOME");
	if (!env || !*env)
		return NULL;
	mn_buf_addf(&b, "%s/.config/minutes/config.json", env);
	return mn_buf_detach(&b);
}

void mn_config_release(struct mn_config *cfg)
{
	free(cfg->path);
	free(cfg->index);
	free(cfg->language);
	mn_strv_free(cfg->folders, cfg->nfolders);
	free(cfg->people);
	free(cfg->facets);
	memset(cfg, 0, sizeof(*cfg));
}

/*
 * Expands "~" and "~/..." with $HOME and makes other relative paths
 * relative to the folder of the config file. Returns a new string, or NULL
 * with err set when the home folder is needed and unknown.
 */
static char *expand_path(const char *config_path, const char *key, const char *value,
			 struct mn_err *err)
{
	struct mn_buf b = MN_BUF_INIT;
	const char *slash;

	if (value[0] == '~' && (value[1] == '/' || value[1] == '\0')) {
		const char *home = getenv("HOME");

		if (!home || !*home) {
			mn_err_set(err, MN_ERR_FORMAT,
				   "bad config '%s': '%s' starts with '~' but HOME is not set",
				   config_path, key);
			return NULL;
		}
		mn_buf_adds(&b, home);
		mn_buf_adds(&b, value + 1);
		return mn_buf_detach(&b);
	}
	if (value[0] == '/')
		return mn_xstrdup(value);
	slash = strrchr(config_path, '/');
	if (slash)
		mn_buf_add(&b, config_path, (size_t)(slash - config_path) + 1);
	mn_buf_adds(&b, value);
	return mn_buf_detach(&b);
}

static int type_error(struct mn_err *err, const char *path, const char *key, const char *want)
{
	return mn_err_set(err, MN_ERR_FORMAT, "bad config '%s': '%s' must be %s", path, key, want);
}

/* A non-empty string value, copied into *out (expanded when is_path). */
static int get_string(json_t *v, const char *path, const char *key, int is_path, char **out,
		      struct mn_err *err)
{
	if (!json_is_string(v) || !json_string_length(v))
		return type_error(err, path, key, "a non-empty string");
	if (is_path) {
		*out = expand_path(path, key, json_string_value(v), err);
		return err->status;
	}
	*out = mn_xstrdup(json_string_value(v));
	return MN_OK;
}

static int get_folders(json_t *v, struct mn_config *cfg, struct mn_err *err)
{
	size_t i;
	json_t *item;

	if (json_is_string(v) && json_string_length(v)) {
		cfg->folders = mn_xcalloc(1, sizeof(*cfg->folders));
		cfg->folders[0] = expand_path(cfg->path, "folders", json_string_value(v), err);
		cfg->nfolders = cfg->folders[0] ? 1 : 0;
		return err->status;
	}
	if (!json_is_array(v))
		return type_error(err, cfg->path, "folders", "an array of strings");
	json_array_foreach(v, i, item)
	{
		if (!json_is_string(item) || !json_string_length(item))
			return type_error(err, cfg->path, "folders",
					  "an array of non-empty strings");
	}
	cfg->folders = mn_xcalloc(json_array_size(v) + 1, sizeof(*cfg->folders));
	json_array_foreach(v, i, item)
	{
		cfg->folders[i] = expand_path(cfg->path, "folders", json_string_value(item), err);
		if (!cfg->folders[i])
			return err->status;
		cfg->nfolders++;
	}
	return MN_OK;
}

/* "facets": ["speaker", "year"] or "speaker,year"; checked as --facets checks its list. */
static int get_facets(json_t *v, struct mn_config *cfg, struct mn_err *err)
{
	enum mn_facet_field fields[MN_FACET_COUNT];
	struct mn_err ferr = MN_ERR_INIT;
	struct mn_buf list = MN_BUF_INIT;
	size_t i, n;
	json_t *item;

	if (json_is_string(v)) {
		mn_buf_adds(&list, json_string_value(v));
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, item)
		{
			if (!json_is_string(item) || strchr(json_string_value(item), ',')) {
				mn_buf_release(&list);
				return type_error(err, cfg->path, "facets",
						  "an array of facet names or one string of "
						  "names separated by commas");
			}
			if (i)
				mn_buf_addc(&list, ',');
			mn_buf_adds(&list, json_string_value(item));
		}
	} else {
		return type_error(err, cfg->path, "facets",
				  "an array of facet names or one string of names separated "
				  "by commas");
	}
	if (mn_facets_parse(mn_buf_str(&list), fields, &n, &ferr)) {
		mn_buf_release(&list);
		return mn_err_set(err, MN_ERR_FORMAT, "bad config '%s': %s", cfg->path, ferr.msg);
	}
	cfg->facets = mn_buf_detach(&list);
	return MN_OK;
}

static int read_keys(json_t *root, struct mn_config *cfg, struct mn_err *err)
{
	const char *key;
	json_t *v;

	json_object_foreach(root, key, v)
	{
		if (!strcmp(key, "index")) {
			if (get_string(v, cfg->path, key, 1, &cfg->index, err))
				return err->status;
		} else if (!strcmp(key, "language")) {
			struct mn_err lerr = MN_ERR_INIT;

			if (get_string(v, cfg->path, key, 0, &cfg->language, err))
				return err->status;
			/* Checked here, not when an index is first made from it. */
			if (mn_tokenizer_check_language(cfg->language, &lerr))
				return mn_err_set(err, MN_ERR_FORMAT, "bad config '%s': %s",
						  cfg->path, lerr.msg);
		} else if (!strcmp(key, "people")) {
			if (get_string(v, cfg->path, key, 1, &cfg->people, err))
				return err->status;
		} else if (!strcmp(key, "folders")) {
			if (get_folders(v, cfg, err))
				return err->status;
		} else if (!strcmp(key, "facets")) {
			if (get_facets(v, cfg, err))
				return err->status;
		} else {
			return mn_err_set(err, MN_ERR_FORMAT,
					  "bad config '%s': unknown key '%s' (known: %s)",
					  cfg->path, key, known_keys);
		}
	}
	return MN_OK;
}

int mn_config_load(struct mn_config *cfg, const char *path, int required, struct mn_err *err)
{
	struct mn_err rerr = MN_ERR_INIT;
	json_error_t jerr;
	json_t *root = NULL;
	char *text = NULL;
	size_t len;

	memset(cfg, 0, sizeof(*cfg));
	if (mn_read_file(path, CONFIG_MAX_SIZE, &text, &len, &rerr)) {
		if (rerr.status == MN_ERR_NOENT && !required)
			return MN_OK;
		if (rerr.status == MN_ERR_NOENT)
			return mn_err_set(err, MN_ERR_NOENT, "no config file '%s'", path);
		/* "cannot read 'PATH': why", or "'PATH' is larger than N bytes". */
		return mn_err_set(err, rerr.status == MN_ERR_FORMAT ? MN_ERR_FORMAT : MN_ERR_IO,
				  "%s", rerr.msg);
	}
	cfg->path = mn_xstrdup(path);
	/* Duplicate keys are rejected: which one wins would be a guess. */
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		mn_err_set(err, MN_ERR_FORMAT, "bad config '%s' at line %d, column %d: %s", path,
			   jerr.line, jerr.column, jerr.text);
		goto out;
	}
	if (!json_is_object(root)) {
		mn_err_set(err, MN_ERR_FORMAT, "bad config '%s': not a JSON object", path);
		goto out;
	}
	read_keys(root, cfg, err);
out:
	json_decref(root);
	free(text);
	if (err->status)
		mn_config_release(cfg);
	return err->status;
}

char *mn_config_index_path(const struct mn_config *cfg, const char *flag)
{
	const char *env = getenv("MINUTES_DB");

	if (flag)
		return mn_xstrdup(flag);
	if (env && *env)
		return mn_xstrdup(env);
	if (cfg && cfg->index)
		return mn_xstrdup(cfg->index);
	return mn_store_default_path();
}
