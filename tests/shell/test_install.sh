#!/bin/sh
# `cmake --install` into a temporary prefix puts every file where the README
# says, and what it installs works: the programs run, the man pages render,
# the bash completion registers, the zsh completion declares its commands.
# usage: test_install.sh CMAKE BUILD_DIR BASH_DIR ZSH_DIR VIM_DIR EMACS_DIR MANDIR BINDIR
set -u
cmake=$1 build=$2 bash_dir=$3 zsh_dir=$4 vim_dir=$5 emacs_dir=$6 mandir=$7 bindir=$8
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
"$cmake" --install "$build" --prefix "$prefix" >"$prefix.log" 2>&1 || {
	cat "$prefix.log"
	rm -f "$prefix.log"
	exit 1
}
rm -f "$prefix.log"

failed=0 passed=0
check() { # DESCRIPTION COMMAND...
	what=$1
	shift
	if "$@" >/dev/null 2>&1; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL $what"
	fi
}
under() { case $1 in /*) echo "$1" ;; *) echo "$prefix/$1" ;; esac; }

for f in \
	"$bindir/minutes-index" "$bindir/minutes-search" \
	"$mandir/man1/minutes-index.1" "$mandir/man1/minutes-search.1" \
	"$mandir/man7/minutes-query.7" \
	"$bash_dir/minutes-search" "$bash_dir/minutes-index" "$zsh_dir/_minutes" \
	"$vim_dir/plugin/minutes.vim" "$vim_dir/autoload/minutes.vim" "$vim_dir/doc/minutes.txt" \
	"$emacs_dir/minutes.el"; do
	check "installed $f" test -s "$(under "$f")"
done
check "installed programs run" "$(under "$bindir")/minutes-search" --version
check "installed indexer runs" "$(under "$bindir")/minutes-index" --version
if command -v mandoc >/dev/null 2>&1; then
	check "installed man page renders" mandoc -Tascii "$(under "$mandir")/man7/minutes-query.7"
fi
check "bash completion registers" bash --norc --noprofile -c \
	". '$(under "$bash_dir")/minutes-index' && complete -p minutes-search minutes-index"
check "zsh completion names its commands" grep -qx '#compdef minutes-search minutes-index' \
	"$(under "$zsh_dir")/_minutes"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
