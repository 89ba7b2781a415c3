/*
 * The people of one meeting: who was listed as attending (with their
 * organisation), under which other names the minutes refer to them, and
 * how a speaker label ("MH", "Jon", "Kangkang", "MattS") resolves to one of
 * them. Everything a roster holds lives in the arena it was created with.
 */
#ifndef MN_ROSTER_H
#define MN_ROSTER_H

#include <stddef.h>

#include "mn_util.h"

struct mn_person {
	const char *name;     /* canonical: the fullest form the document gives */
	const char *org;      /* organisation stated for them, or NULL */
	const char **aliases; /* other forms: short names, labels, abbreviations, handles */
	size_t naliases, aliases_cap;
	int line;   /* line of their first listing or mention */
	int listed; /* named in an attendee list (not only mentioned) */
	/* Folded forms (see mn_fold) of name and aliases, kept for comparisons. */
	const char *key;
	const char **alias_keys;
};

/* How sure a resolution is. */
enum mn_resolve {
	MN_RESOLVE_NONE = 0, /* no one, or more than one person fits */
	MN_RESOLVE_LIKELY,   /* a spelling variant, nickname or initials */
	MN_RESOLVE_CERTAIN,  /* the name, a unique given name, or a stated alias */
};

struct mn_roster {
	struct mn_arena *arena;
	struct mn_person *people;
	size_t npeople, cap;
	/* Resolve all-capital labels ("MH") as initials of attendees. */
	int initials;
};

/* Starts an empty roster whose strings go to arena (borrowed). */
void mn_roster_init(struct mn_roster *r, struct mn_arena *arena);
void mn_roster_release(struct mn_roster *r);

/*
 * Adds a listed or mentioned person, merging with someone already there
 * when the names agree (same name; a given name and a full name with that
 * given name and no conflicting organisation; a nickname or a one-letter
 * spelling variant at the same organisation). Returns the person (borrowed
 * until the next add).
 */
struct mn_person *mn_roster_add(struct mn_roster *r, const char *name, const char *org, int line,
				int listed);

/* Records alias as another name of p (ignored when already known). */
void mn_roster_alias(struct mn_roster *r, struct mn_person *p, const char *alias);

/* Withdraws alias from p's other names (nothing when it is not one). */
void mn_roster_unalias(struct mn_person *p, const char *alias);

/*
 * Offers a full name seen in the text ("Christoffer Dall (Linaro)",
 * "Vincent Guittot Interconnect ..."): a person known only by the given
 * name takes it as their canonical name when exactly one such full name
 * fits and it is not listed as a separate attendee.
 */
void mn_roster_offer_full_name(struct mn_roster *r, const char *full, const char *org);

/* Returns the person label designates, or NULL; *how says how sure (may be NULL). */
struct mn_person *mn_roster_resolve(const struct mn_roster *r, const char *label,
				    enum mn_resolve *how);

/*
 * Like mn_roster_resolve, but only exact names, aliases and unique given
 * names: for words that may be ordinary words ("joyee:" but not "date").
 */
struct mn_person *mn_roster_resolve_exact(const struct mn_roster *r, const char *label);

/*
 * The one person a handle of lower-case letters written as a label names by
 * its shape: their words run together ("nikomatsakis" for Niko Matsakis) or
 * their given name and two letters or more ("joshtriplett" for a listed
 * Josh); NULL when none or several fit.
 */
struct mn_person *mn_roster_resolve_handle(const struct mn_roster *r, const char *label);

/* Finds the person whose canonical name or alias is exactly name (folded), or NULL. */
struct mn_person *mn_roster_find(const struct mn_roster *r, const char *name);

/* Whether someone's given name is name, even when several people share it ("Bill"). */
int mn_roster_has_given_name(const struct mn_roster *r, const char *name);

/* Whether s (folded) is the name of an organisation some person belongs to. */
int mn_roster_is_org(const struct mn_roster *r, const char *s, size_t n);

#endif
