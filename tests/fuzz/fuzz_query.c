/*
 * libFuzzer target for the query language: any string must either parse or
 * fail with MN_ERR_QUERY and a message; a parsed query must translate, its
 * normalised form must parse again, and running it on a small index must
 * never give an SQLite or FTS5 error (that would leak to the user).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mn_doc.h"
#include "mn_parse.h"
#include "mn_query.h"
#include "mn_search.h"
#include "mn_store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char sample[] =
    "# Weekly sync 2020-09-17\n\nAttendees: Mike Holmes (Linaro), Jan Beulich\n\n"
    "## Migration\n\n- Migration support for Xen on arm64\n"
    "Jan: backports of x86-64 fixes to 4.12, don't forget C++\n\n"
    "ACTION: Mike to review the \"dead migration\" patch\n";

static struct mn_store *store;

static void open_store(void)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_doc *doc = NULL;

	if (mn_store_open(&store, ":memory:", MN_STORE_WRITE, NULL, &err) ||
	    mn_parse("xen/2020-09-17.md", sample, sizeof(sample) - 1, &doc, &err) ||
	    mn_store_begin(store, &err) || mn_store_add_doc(store, doc, NULL, NULL, &err) ||
	    mn_store_commit(store, &err))
		abort();
	mn_doc_free(doc);
}

static int on_hit(void *ctx, const struct mn_hit *hit)
{
	(void)ctx;
	if (!hit->path || !hit->snippet)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mn_err err = MN_ERR_INIT;
	struct mn_qnode *tree = NULL, *again = NULL;
	struct mn_sql sql = MN_SQL_INIT;
	struct mn_buf norm = MN_BUF_INIT;
	struct mn_search_opts opts;
	struct mn_results res;
	char *query;

	if (size > 4096)
		return 0;
	if (!store)
		open_store();
	query = malloc(size + 1);
	memcpy(query, data, size);
	query[size] = '\0';

	if (mn_query_parse(query, &tree, &err)) {
		if (err.status != MN_ERR_QUERY || !err.msg[0])
			abort();
		goto out;
	}
	if (mn_query_to_sql(tree, &sql, &err) && err.status != MN_ERR_QUERY)
		abort();
	mn_err_clear(&err);
	mn_query_unparse(tree, &norm);
	if (mn_query_parse(mn_buf_str(&norm), &again, &err))
		abort(); /* the normalised form of a valid query is valid */

	memset(&opts, 0, sizeof(opts));
	opts.query = query;
	opts.limit = 5;
	mn_err_clear(&err);
	if (mn_search(store, &opts, on_hit, NULL, &res, &err) && err.status != MN_ERR_QUERY)
		abort(); /* an SQLite or FTS5 error would reach the user */
out:
	mn_qnode_free(tree);
	mn_qnode_free(again);
	mn_sql_release(&sql);
	mn_buf_release(&norm);
	free(query);
	return 0;
}
