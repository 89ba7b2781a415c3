#!/bin/sh
# bench/run completes on a tiny synthetic corpus and prints every row; no timing
# is checked. usage: test_run.sh SOURCE_DIR BUILD_DIR
set -eu
src=$1 build=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/minutes-bench-run.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; cat "$tmp/out" >&2; exit 1; }

sh "$src/bench/run" --no-build --build "$build" --out "$tmp" --meetings 15 --no-corpus \
	--reps 2 --oneshot 2 --budget 0.05 >"$tmp/out" 2>&1 || fail "bench/run failed"
for row in "machine:" "build time" "MB/s" "passages/s" "peak RSS" "index size" \
	"re-run, nothing changed" "in process" "one-shot" "targets" "real corpus: not asked for" \
	"raw FTS5, 3 columns" "for reference: vs raw FTS5 porter of text, topic path and title"; do
	grep -q "$row" "$tmp/out" || fail "no '$row' line"
done
for class in rare common phrase prefix "two words" speaker "date range" facets group; do
	n=$(grep -c "^$class " "$tmp/out" || true)
	[ "$n" -eq 2 ] || fail "class '$class' is not in both query tables ($n rows)"
done
[ "$(grep -c '^  .* \(met\|MISSED\|not measured\)$' "$tmp/out")" -eq 8 ] || fail "not 8 targets"
json="$tmp/synthetic-15-1.json"
[ -s "$json" ] || fail "no JSON results"
[ "$(grep -c '"class":' "$json")" -eq 9 ] || fail "the JSON has not 9 classes"
grep -q '"raw_fts5_3col":' "$json" || fail "the JSON has no raw_fts5_3col"
ls "$tmp"/*.3col* >/dev/null 2>&1 && fail "the three-column table was left behind"
echo "ok: bench/run printed every row"
