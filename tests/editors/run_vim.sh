#!/bin/sh
# Runs the Vim plugin's test headless on an index of corpus/.
# usage: run_vim.sh VIM SOURCE_DIR MINUTES_INDEX MINUTES_SEARCH
set -u
vim=$1 src=$2 index_bin=$3 search_bin=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_CONFIG_HOME="$tmp/config" MINUTES_DB="$tmp/none.db"
cd "$src" || exit 1
"$index_bin" -q --db "$tmp/corpus.db" corpus || exit 1
MINUTES_TEST_SEARCH=$search_bin MINUTES_TEST_DB=$tmp/corpus.db MINUTES_TEST_OUT=$tmp/errors \
	"$vim" -Nu NONE -i NONE -es -S tests/editors/test_minutes.vim </dev/null
status=$?
if [ "$status" != 0 ] || [ -s "$tmp/errors" ]; then
	echo "vim test failed (exit $status):"
	cat "$tmp/errors" 2>/dev/null
	exit 1
fi
echo "vim: all assertions passed"
