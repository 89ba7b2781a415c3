/*
 * Words the generator and the benchmark agree on: the marker words whose
 * frequencies the generator fixes, so that the benchmark's query classes
 * mean the same thing at every corpus size, and the English function words
 * the generator writes between content words (and the benchmark skips when
 * it picks query words from a real corpus).
 */
#ifndef BENCH_WORDS_H
#define BENCH_WORDS_H

/*
 * Marker words. Each is written into a body passage (an utterance, note,
 * bullet, action or decision; not an attendee row) with the probability
 * given, and appears nowhere else, so its share of all passages is a little
 * lower (attendee rows dilute it).
 */
#define BENCH_COMMON_WORD "review" /* 1 in 10: the most common content word */
#define BENCH_COMMON_PER  10
#define BENCH_MEDIUM_WORD "deploy" /* 1 in 100: filters, prefixes, two words */
#define BENCH_MEDIUM_PER  100
#define BENCH_PREFIX	  "deplo"	   /* deplo*: the forms of deploy */
#define BENCH_PHRASE	  "rollout window" /* 1 in 1000, as these two words in a row */
#define BENCH_PHRASE_PER  1000
#define BENCH_RARE_WORD	  "zyqorbite" /* 1 in 10000 */
#define BENCH_RARE_PER	  10000

/* English function words, most frequent first; NULL-terminated. */
static const char *const bench_function_words[] = {
    "the",   "to",     "and",	"of",	 "a",	  "that",    "we",    "is",    "in",	 "it",
    "this",  "for",    "be",	"on",	 "i",	  "not",     "so",    "with",  "are",	 "as",
    "have",  "but",    "there", "can",	 "if",	  "do",	     "would", "or",    "you",	 "they",
    "at",    "should", "about", "what",	 "will",  "from",    "an",    "was",   "by",	 "all",
    "one",   "more",   "just",	"which", "some",  "also",    "any",   "into",  "then",	 "than",
    "our",   "their",  "has",	"been",	 "only",  "when",    "how",   "out",   "up",	 "because",
    "could", "other",  "these", "those", "them",  "still",   "very",  "most",  "much",	 "now",
    "here",  "where",  "does",	"did",	 "were",  "being",   "over",  "after", "before", "between",
    "each",  "both",   "while", "again", "maybe", "already", "yet",   "its",   "your",	 "my",
    "who",   "why",    "no",	"yes",	 "even",  "well",    "too",   "such",  "same",	 NULL,
};

#endif
