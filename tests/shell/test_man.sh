#!/bin/sh
# The man pages: lint clean with mandoc (-W style; only "referenced manual
# not found" is allowed, as it depends on what else is installed), and they
# document what the programs do: every long option of each --help, and
# every message each program prints itself.
# usage: test_man.sh MANDOC SOURCE_DIR MAN_BUILD_DIR MINUTES_INDEX MINUTES_SEARCH
# Exits 77 (skipped) when mandoc is missing.
set -u
mandoc=$1 src=$2 man=$3 index_bin=$4 search_bin=$5
if ! command -v "$mandoc" >/dev/null 2>&1; then
	echo "mandoc not found: install the Debian package 'mandoc' (scripts/setup --tests)"
	exit 77
fi
failed=0 passed=0
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

for page in minutes-index.1 minutes-search.1 minutes-query.7; do
	if [ ! -f "$man/$page" ]; then
		fail "$page was not built into $man"
		continue
	fi
	lint=$("$mandoc" -Tlint -W style "$man/$page" 2>&1 | grep -v 'referenced manual not found')
	if [ -n "$lint" ]; then
		fail "$page: mandoc -Tlint:"
		echo "$lint"
	else
		passed=$((passed + 1))
	fi
	# The version is filled in.
	if grep -q '@PROJECT_VERSION@' "$man/$page"; then
		fail "$page: version not substituted"
	fi
done

# Rendered as plain text on one long line per paragraph.
render() { "$mandoc" -Tascii -O width=1000 "$man/$1" | sed 's/.\x08//g'; }

for prog in index search; do
	eval bin=\$${prog}_bin
	text=$(render "minutes-$prog.1")
	for opt in $("$bin" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		if printf '%s' "$text" | grep -q -- "$opt"; then
			passed=$((passed + 1))
		else
			fail "minutes-$prog(1) does not document $opt"
		fi
	done
done

# Each message of minutes-search.c and minutes-index.c, up to its first
# conversion or the end of its first string literal, is in the DIAGNOSTICS
# of its page.
msgs="${TMPDIR:-/tmp}/minutes-man-msgs.$$"
for prog in search index; do
	text=$(render "minutes-$prog.1" | sed -n '/^DIAGNOSTICS/,/^SEE ALSO/p')
	grep -o -e "\"minutes-$prog: [^\"%]*" -e 'usage_error("[^"%]*' \
		"$src/${prog}er/minutes-$prog.c" |
		sed -e "s/^\"minutes-$prog: //" -e 's/^usage_error("//' -e 's/\\n$//' \
			-e "s/ '\$//" -e 's/ *$//' | sort -u >"$msgs"
	while IFS= read -r msg; do
		[ ${#msg} -ge 6 ] || continue
		if printf '%s' "$text" | grep -qF -- "$msg"; then
			passed=$((passed + 1))
		else
			fail "minutes-$prog(1) DIAGNOSTICS does not have: $msg"
		fi
	done <"$msgs"
done
rm -f "$msgs"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
