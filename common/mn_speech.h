/*
 * Reading what a passage says about people: speaker labels ("Jan:",
 * "MarkH :", "**Name:**", "Souvick - ", "[cramertj]"), reported speech
 * ("Leonardo mentioned that ..."), action items with their owners and
 * decisions. These functions look at text only; whether a word names a
 * person is asked of the caller through a resolver.
 */
#ifndef MN_SPEECH_H
#define MN_SPEECH_H

#include <stddef.h>

/* A speaker label found in text; offsets are relative to the text given. */
struct mn_label {
	size_t start, end; /* the name itself, emphasis and spaces excluded */
	size_t after;	   /* where the words said begin */
	/* ':', '-', '[' (a "[name]" prefix), ',' ("Name, their words") or 0 (name, then their
	 * words) */
	char sep;
};

/*
 * Resolves a name written in the text. Returns the canonical name of the
 * person (borrowed, valid for the document), or NULL when the words do not
 * name someone the caller accepts as a person.
 */
typedef const char *(*mn_resolver)(void *ctx, const char *name, size_t n);

/*
 * Matches a label at the start of s[0..n): one to three capitalised words,
 * or a lowercase handle, or initials, optionally in emphasis, then ':'; or
 * "[name]". When dash is set, "Name - " counts too; when bare is set, a
 * name directly followed by "we", "it", "do" ... (no separator) counts,
 * and so does one word and a comma before words in lower case ("Matteo,
 * came from the discussion", not "Rick, Dave will").
 * Only the shape is checked: the caller decides whether it names a person.
 */
int mn_label_at(const char *s, size_t n, int dash, int bare, struct mn_label *out);

/*
 * Finds the next label inside s[from..n) that starts right after a sentence
 * break or a comma ("... scope. MarkH: please"), naming a person per
 * resolve. Returns 1 and fills *out, or 0.
 */
int mn_label_inline(const char *s, size_t n, size_t from, mn_resolver resolve, void *ctx,
		    struct mn_label *out);

/* Whether s[0..n) reads as a field caption rather than a name ("Note", "Action items"). */
int mn_label_is_caption(const char *s, size_t n);

/*
 * Collects the people text reports as speaking or holding a view ("Jon and
 * Leonardo discussed", "with Leonardo agreeing", "Stuart shared"). Calls
 * found(ctx, name) once per resolved name, in order; returns how many
 * clauses were found.
 */
size_t mn_speech_reported(const char *s, size_t n, mn_resolver resolve, void *ctx,
			  void (*found)(void *ctx, const char *name));

/*
 * Whether text states an action item: "ACTION: ...", "AI: ...", "TODO:",
 * "X will ...", "X and Y to ...", or, when speaker is given, text that
 * begins "will ..." or "to ...". Owners (resolved names, or a group as
 * written, like "Attendees" or "Socionext landing team") go to
 * owner(ctx, name). With in_list set (an "Action items" list), any item is
 * an action and a leading name is its owner.
 */
int mn_speech_action(const char *s, size_t n, const char *speaker, int in_list, mn_resolver resolve,
		     void *ctx, void (*owner)(void *ctx, const char *name));

/* Whether text records a decision: "Agreed ...", "The team agreed ...", "RESOLVED:", "Decision:".
 */
int mn_speech_decision(const char *s, size_t n);

#endif
