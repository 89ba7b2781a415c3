#!/bin/bash
# Bash completion: `complete -p` registers the functions, and calling them
# with COMP_WORDS as bash fills it gives the expected COMPREPLY: options,
# option values, field names, and field values from an index of corpus/.
# usage: test_bash_completion.sh SOURCE_DIR MINUTES_INDEX MINUTES_SEARCH
set -u
src=$1 index_bin=$2 search_bin=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_CONFIG_HOME=$tmp/config MINUTES_DB=$tmp/none.db
(cd "$src" && "$index_bin" -q --db "$tmp/corpus.db" corpus) || exit 1
# The completion runs the program being completed when it is a path.
prog=$search_bin

. "$src/completions/minutes.bash"

failed=0 passed=0
check() { # NAME EXPECTED ACTUAL
	if [[ $2 == "$3" ]]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		printf 'FAIL %s\n  want: %s\n  got:  %s\n' "$1" "$2" "$3"
	fi
}
# complete_words WORD... : runs the function for the last word; prints COMPREPLY, one per line, sorted.
complete_words() {
	local fn=_minutes_search
	[[ $1 == *minutes-index ]] && fn=_minutes_index
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE="$*" COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	$fn
	printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort | paste -sd' '
}

check "complete -p minutes-search" "complete -F _minutes_search minutes-search" \
	"$(complete -p minutes-search)"
check "complete -p minutes-index" "complete -F _minutes_index minutes-index" \
	"$(complete -p minutes-index)"

# Options and their values.
check "options" "--facet-limit --facets --format" "$(complete_words "$prog" --f)"
check "long option" "--version" "$(complete_words "$prog" --ver)"
check "--format values" "json jsonl text vimgrep" "$(complete_words "$prog" --format "")"
check "-f values" "json jsonl" "$(complete_words "$prog" -f js)"
check "--format=" "json jsonl" "$(complete_words "$prog" --format = js)"
check "--sort" "-date date rank" "$(complete_words "$prog" --sort "")"
check "--list" "series speakers" "$(complete_words "$prog" --list s)"
check "--facets=list" "speaker,year" "$(complete_words "$prog" --facets = speaker,y)"

# Field names, without a space after them.
check "field names" "series: speaker:" "$(complete_words "$prog" s)"
check "field names, any case" "date:" "$(complete_words "$prog" DA)"

# Field values from the index, as bash splits "speaker:Leo" at the colon.
check "speaker value" "'\"Leonardo Garcia\"'" \
	"$(complete_words "$prog" --db "$tmp/corpus.db" speaker : Leo)"
check "speaker value, lower case" "'\"Leonardo Garcia\"'" \
	"$(complete_words "$prog" --db "$tmp/corpus.db" by : leo)"
check "one-word speaker" "Martin" "$(complete_words "$prog" --db "$tmp/corpus.db" speaker : Mart)"
check "series values" "'\"LEG SC\"' '\"Linaro Data Center Group steering committee\"'" \
	"$(complete_words "$prog" --db="$tmp/corpus.db" series : L)"
COMP_WORDS=("$prog" --db "$tmp/corpus.db" series : "") COMP_CWORD=4 COMPREPLY=()
_minutes_search
check "all series" "4" "${#COMPREPLY[@]}"
check "org values" "Linaro" "$(complete_words "$prog" --db "$tmp/corpus.db" org : Lin)"
check "topic values" "'\"Xen update\"'" "$(complete_words "$prog" --db "$tmp/corpus.db" topic : 'Xen u')"
check "kind values" "action" "$(complete_words "$prog" kind : a)"
check "value after the quote typed" "'\"Leonardo Garcia\"'" \
	"$(complete_words "$prog" --db "$tmp/corpus.db" speaker : "'\"Leo")"
# Without ':' in COMP_WORDBREAKS the word is whole, and so is the reply.
check "unsplit field" "speaker:'\"Leonardo Garcia\"'" \
	"$(complete_words "$prog" --db "$tmp/corpus.db" speaker:Leo)"
# The index comes from the line: with another index, other values.
check "no index, no values" "" "$(complete_words "$prog" --db "$tmp/none.db" speaker : Leo)"

# minutes-index.
check "index options" "--language" "$(complete_words minutes-index --la)"
check "index --no-" "--no-config --no-people --no-progress" "$(complete_words minutes-index --no-)"
check "index --people file" "$src/tests/fixtures/people/people.json" \
	"$(complete_words minutes-index --people "$src/tests/fixtures/people/peo")"
check "index --format" "json jsonl outline" "$(complete_words minutes-index --format "")"
check "index --language" "german greek" "$(complete_words minutes-index --language g)"
check "index files" "$src/corpus" "$(cd / && complete_words minutes-index "$src/corp")"

echo "$passed passed, $failed failed"
[[ $failed == 0 ]]
