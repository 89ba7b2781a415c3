#!/bin/zsh -f
# Zsh completion, headless: an interactive zsh runs in a pseudo-terminal
# (zsh/zpty) with the completion system and completions/_minutes loaded; a
# line is typed, TAB pressed, and the edited line read back through a
# widget bound to ^X. Each case's line completes to exactly one result.
# usage: test_zsh_completion.zsh SOURCE_DIR MINUTES_INDEX MINUTES_SEARCH
src=$1 index_bin=$2 search_bin=$3
tmp=$(mktemp -d)
trap 'zpty -d z 2>/dev/null; rm -rf $tmp' EXIT
export XDG_CONFIG_HOME=$tmp/config MINUTES_DB=$tmp/none.db
(cd $src && $index_bin -q --db $tmp/corpus.db corpus) || exit 1

zmodload zsh/zpty || { print "zsh/zpty is missing"; exit 1 }
zpty z zsh -f -i
zpty -w z "PS1='> '; unsetopt zle_bracketed_paste 2>/dev/null; bindkey -e"
zpty -w z "fpath=($src/completions \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z "zstyle ':completion:*' matcher-list ''"
zpty -w z "dump() { print -r -- \"\$BUFFER\" > $tmp/line.new && mv $tmp/line.new $tmp/line; BUFFER=''; }"
zpty -w z "zle -N dump; bindkey '^X' dump"

passed=0 failed=0
# complete TYPED WANT: types TYPED, presses TAB, and compares the line with WANT.
complete() {
	local got i
	rm -f $tmp/line
	zpty -w -n z "$1"$'\t'
	sleep 0.3
	zpty -w -n z $'\x18'
	for (( i = 0; i < 100; i++ )); do
		[[ -f $tmp/line ]] && break
		sleep 0.1
	done
	got=$(<$tmp/line 2>/dev/null)
	if [[ $got == "$2" ]]; then
		(( passed++ ))
	else
		(( failed++ ))
		print -r -- "FAIL: $1"$'\n'"  want: $2"$'\n'"  got:  $got"
	fi
}

s="$search_bin --db $tmp/corpus.db"
complete "$search_bin --form" "$search_bin --format="
complete "$search_bin --format=js" "$search_bin --format=json"
complete "$search_bin --sort=-" "$search_bin --sort=-date "
complete "$search_bin --list=sp" "$search_bin --list=speakers "
complete "$search_bin atte" "$search_bin attendee:"
complete "$search_bin kind:dec" "$search_bin kind:decision "
complete "$s speaker:Leo" "$s speaker:\\\"Leonardo\\ Garcia\\\" "
complete "$s speaker:leo" "$s speaker:\\\"Leonardo\\ Garcia\\\" "
complete "$s by:Mart" "$s by:Martin "
complete "$s series:Proj" "$s series:\\\"Project\\ Stratos\\\" "
complete "$s org:Cit" "$s org:Citrix "
complete "$s topic:Xen\\ up" "$s topic:\\\"Xen\\ update\\\" "
complete "$search_bin --db $tmp/none.db speaker:Leo" "$search_bin --db $tmp/none.db speaker:Leo"
complete "minutes-index --lang" "minutes-index --language="
complete "minutes-index --peo" "minutes-index --people="
complete "minutes-index --no-pr" "minutes-index --no-progress "
complete "minutes-index --language=germ" "minutes-index --language=german "
complete "minutes-index --parse --format=out" "minutes-index --parse --format=outline "
complete "minutes-index $src/corp" "minutes-index $src/corpus/"

print "$passed passed, $failed failed"
(( failed == 0 ))
