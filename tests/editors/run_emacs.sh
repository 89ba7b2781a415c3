#!/bin/sh
# Runs the Emacs package's ERT tests in batch on an index of corpus/.
# usage: run_emacs.sh EMACS SOURCE_DIR MINUTES_INDEX MINUTES_SEARCH
set -u
emacs=$1 src=$2 index_bin=$3 search_bin=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_CONFIG_HOME="$tmp/config" MINUTES_DB="$tmp/none.db" HOME="$tmp"
cd "$src" || exit 1
"$index_bin" -q --db "$tmp/corpus.db" corpus || exit 1
MINUTES_TEST_SEARCH=$search_bin MINUTES_TEST_INDEX=$index_bin MINUTES_TEST_DB=$tmp/corpus.db \
MINUTES_TEST_SRC=$src \
	"$emacs" --batch -Q -L editors/emacs -l ert -l tests/editors/minutes-test.el \
	-f ert-run-tests-batch-and-exit
