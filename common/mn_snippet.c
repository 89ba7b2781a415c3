#include "mn_snippet.h"

#include <stdlib.h>
#include <string.h>

#include "mn_util.h"

/* Tokens of a text as the index stems them, with where each is in the text. */
struct token {
	size_t start, end; /* bytes of the text */
	size_t stem;	   /* offset of its stem in the stems buffer */
};

struct tokens {
	struct token *v;
	size_t n, cap;
	struct mn_buf stems; /* each stem ended by a NUL */
};

static int add_token(void *ctx, const char *token, size_t n, size_t start, size_t end)
{
	struct tokens *t = ctx;

	MN_GROW(t->v, t->n + 1, t->cap);
	t->v[t->n].start = start;
	t->v[t->n].end = end;
	t->v[t->n].stem = t->stems.len;
	mn_buf_add(&t->stems, token, n);
	mn_buf_addc(&t->stems, '\0');
	t->n++;
	return 0;
}

static void tokens_of(struct mn_tokenizer *tok, const char *text, struct tokens *t)
{
	memset(t, 0, sizeof(*t));
	mn_tokenizer_run(tok, text, strlen(text), add_token, t);
}

static void tokens_release(struct tokens *t)
{
	free(t->v);
	mn_buf_release(&t->stems);
}

static const char *stem_of(const struct tokens *t, size_t i)
{
	return t->stems.data + t->v[i].stem;
}

/* A phrase as stems. */
struct phrase {
	struct tokens toks;
	int prefix; /* the last stem is a prefix */
};

struct mn_snippet_query {
	struct mn_tokenizer *tok;
	struct phrase *v;
	size_t n;
};

struct mn_snippet_query *mn_snippet_query_new(struct mn_tokenizer *tok,
					      const struct mn_fts_phrases *ph)
{
	struct mn_snippet_query *q = mn_xcalloc(1, sizeof(*q));
	size_t i;

	q->tok = tok;
	q->v = mn_xcalloc(ph->n ? ph->n : 1, sizeof(*q->v));
	for (i = 0; i < ph->n; i++) {
		struct phrase *p = &q->v[q->n];

		/*
		 * A phrase of the topic or the title matches nothing in the text,
		 * nor does one that is NOT (even where the passage was found by
		 * another way through an OR: FTS5 shows none of its matches).
		 */
		if (ph->v[i].column || ph->v[i].negated)
			continue;
		tokens_of(tok, ph->v[i].text, &p->toks);
		if (!p->toks.n) {
			tokens_release(&p->toks);
			continue;
		}
		p->prefix = ph->v[i].prefix;
		q->n++;
	}
	return q;
}

void mn_snippet_query_free(struct mn_snippet_query *q)
{
	size_t i;

	if (!q)
		return;
	for (i = 0; i < q->n; i++)
		tokens_release(&q->v[i].toks);
	free(q->v);
	free(q);
}

/* ---- the text's matches ------------------------------------------------------ */

/* A match: the phrase, its first token and its number of tokens. */
struct match {
	size_t phrase, at, len;
};

static int phrase_at(const struct phrase *p, const struct tokens *t, size_t at)
{
	size_t k;

	if (at + p->toks.n > t->n)
		return 0;
	for (k = 0; k < p->toks.n; k++) {
		const char *want = stem_of(&p->toks, k), *have = stem_of(t, at + k);

		if (p->prefix && k + 1 == p->toks.n ? strncmp(have, want, strlen(want))
						    : strcmp(have, want))
			return 0;
	}
	return 1;
}

/*
 * The score of the window of ntokens tokens from start, as FTS5 scores
 * snippets: 1000 for each phrase it holds, 1 more for each repeat. The
 * first token of its matches goes to *lo, the one after their last to *hi.
 */
static long window_score(const struct match *m, size_t nm, size_t nphrases, size_t start,
			 size_t ntokens, unsigned char *seen, size_t *lo, size_t *hi)
{
	long score = 0;
	size_t i;
	int any = 0;

	memset(seen, 0, nphrases ? nphrases : 1);
	*lo = *hi = start;
	for (i = 0; i < nm; i++) {
		if (m[i].at < start || m[i].at >= start + ntokens)
			continue;
		score += seen[m[i].phrase] ? 1 : 1000;
		seen[m[i].phrase] = 1;
		if (!any)
			*lo = m[i].at;
		any = 1;
		*hi = m[i].at + m[i].len;
	}
	return score;
}

/* Whether a sentence starts at token i: the first, or after a full stop or colon and space. */
static int sentence_start(const char *text, const struct tokens *t, size_t i)
{
	size_t k;

	if (i == 0)
		return 1;
	k = t->v[i].start;
	if (k == 0 || !strchr(" \t\r\n", text[k - 1]))
		return 0;
	while (k > 0 && strchr(" \t\r\n", text[k - 1]))
		k--;
	return k > 0 && (text[k - 1] == '.' || text[k - 1] == ':');
}

/* The first token of the best window of ntokens tokens. */
static size_t best_window(const char *text, const struct tokens *t, const struct match *m,
			  size_t nm, size_t nphrases, size_t ntokens)
{
	unsigned char *seen = mn_xcalloc(nphrases ? nphrases : 1, 1);
	size_t best = 0, i, lo, hi, s;
	long best_score = 0;

	for (i = 0; i < nm; i++) {
		long score = window_score(m, nm, nphrases, m[i].at, ntokens, seen, &lo, &hi);
		size_t span = hi - lo, start;

		/* Centred on its matches, within the text. */
		if (span < ntokens)
			start = lo > (ntokens - span) / 2 ? lo - (ntokens - span) / 2 : 0;
		else
			start = lo + (span - ntokens) / 2;
		if (start + ntokens > t->n)
			start = t->n > ntokens ? t->n - ntokens : 0;
		if (score > best_score) {
			best_score = score;
			best = start;
		}
		/*
		 * Or, when the text is longer than a window, from the start of the
		 * match's sentence (when that is before it).
		 */
		if (t->n <= ntokens)
			continue;
		for (s = m[i].at; s > 0 && !sentence_start(text, t, s); s--)
			;
		if (s < m[i].at) {
			score = window_score(m, nm, nphrases, s, ntokens, seen, &lo, &hi) +
				(s == 0 ? 120 : 100);
			if (score > best_score) {
				best_score = score;
				best = s;
			}
		}
	}
	free(seen);
	return best;
}

char *mn_snippet_mark(const struct mn_snippet_query *q, const char *text, int ntokens, char open,
		      char close, const char *ellipsis, int *first)
{
	struct tokens t;
	struct match *m = NULL;
	size_t nm = 0, cap = 0, i, p, start, end, off, next;
	struct mn_buf out = MN_BUF_INIT;

	*first = -1;
	mn_buf_add(&out, "", 0);
	tokens_of(q->tok, text, &t);
	for (i = 0; i < t.n; i++)
		for (p = 0; p < q->n; p++)
			if (phrase_at(&q->v[p], &t, i)) {
				MN_GROW(m, nm + 1, cap);
				m[nm].phrase = p;
				m[nm].at = i;
				m[nm].len = q->v[p].toks.n;
				nm++;
			}
	if (nm)
		*first = (int)t.v[m[0].at].start;
	if (!t.n) {
		mn_buf_adds(&out, text);
		goto done;
	}
	start = best_window(text, &t, m, nm, q->n, (size_t)ntokens);
	end = start + (size_t)ntokens < t.n ? start + (size_t)ntokens : t.n; /* one past */
	if (start > 0)
		mn_buf_adds(&out, ellipsis);
	/*
	 * Matches that overlap are marked as one, from the first token of the
	 * first to the last of the last. One that begins before the window is
	 * not marked; one that runs past its end is closed there.
	 */
	off = start > 0 ? t.v[start].start : 0;
	for (i = 0; i < nm; i = next) {
		size_t lo = m[i].at, hi = m[i].at + m[i].len - 1;

		for (next = i + 1; next < nm && m[next].at <= hi; next++)
			if (m[next].at + m[next].len - 1 > hi)
				hi = m[next].at + m[next].len - 1;
		if (lo < start || lo >= end)
			continue;
		if (hi >= end)
			hi = end - 1;
		mn_buf_add(&out, text + off, t.v[lo].start - off);
		mn_buf_addc(&out, open);
		mn_buf_add(&out, text + t.v[lo].start, t.v[hi].end - t.v[lo].start);
		mn_buf_addc(&out, close);
		off = t.v[hi].end;
	}
	if (end >= t.n) {
		mn_buf_adds(&out, text + off);
	} else {
		mn_buf_add(&out, text + off, t.v[end - 1].end - off);
		mn_buf_adds(&out, ellipsis);
	}
done:
	free(m);
	tokens_release(&t);
	return mn_buf_detach(&out);
}
