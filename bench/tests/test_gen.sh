#!/bin/sh
# The generator is deterministic: the same arguments give the same bytes, another
# seed other bytes; every format asked for is written, and only those.
# usage: test_gen.sh MINUTES_BENCH_GEN
set -eu
gen=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/minutes-bench-gen.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$gen" --meetings 200 --seed 7 --out "$tmp/a" >"$tmp/a.out"
"$gen" --meetings 200 --seed 7 --out "$tmp/b" >"$tmp/b.out"
"$gen" --meetings 200 --seed 8 --out "$tmp/c" -q
diff -r "$tmp/a" "$tmp/b" >/dev/null || fail "seed 7 twice gave different files"
if diff -r "$tmp/a" "$tmp/c" >/dev/null; then fail "seeds 7 and 8 gave the same files"; fi
sed "s|$tmp/a|DIR|" "$tmp/a.out" >"$tmp/a.sum"
sed "s|$tmp/b|DIR|" "$tmp/b.out" >"$tmp/b.sum"
cmp -s "$tmp/a.sum" "$tmp/b.sum" || fail "summaries differ"
grep -q "^minutes-bench-gen: 200 files, [0-9]* bytes, about [0-9]* passages in" "$tmp/a.out" ||
	fail "no summary line: $(cat "$tmp/a.out")"
[ "$(find "$tmp/a" -type f | wc -l)" -eq 200 ] || fail "not 200 files"
# DIR/<series>/<YYYY>/<YYYY-MM-DD>.<ext>
bad=$(find "$tmp/a" -type f | sed "s|^$tmp/a/||" |
	grep -Ev '^[a-z0-9-]+/[0-9]{4}/[0-9]{4}-[0-9]{2}-[0-9]{2}\.(md|txt|vtt|log|html)$' || true)
[ -z "$bad" ] || fail "unexpected layout: $bad"
for ext in md txt vtt log html; do
	find "$tmp/a" -name "*.$ext" | grep -q . || fail "no .$ext file among 200 meetings"
done

"$gen" --meetings 30 --out "$tmp/md" --formats md -q
[ -z "$(find "$tmp/md" -type f ! -name '*.md')" ] || fail "--formats md wrote other formats"
"$gen" --meetings 30 --out "$tmp/vl" --formats vtt,log -q
[ -z "$(find "$tmp/vl" -type f ! -name '*.vtt' ! -name '*.log')" ] ||
	fail "--formats vtt,log wrote other formats"

# Refusals.
if "$gen" --meetings 1 --out "$tmp/a" 2>"$tmp/err"; then fail "wrote into a non-empty folder"; fi
grep -q "is not empty" "$tmp/err" || fail "no message for a non-empty folder"
if "$gen" --meetings 1 --out "$tmp/x" --formats doc 2>"$tmp/err"; then fail "accepted format doc"; fi
grep -q "unknown format 'doc'" "$tmp/err" || fail "no message for an unknown format"
echo "ok: deterministic, formats and layout as asked"
