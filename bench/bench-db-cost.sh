#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# bench/bench-db-cost.sh [BASE_REV] [TREE]  (default: 9bb510b, /usr)
#
# What the larger default database costs a scan, and nothing else: the same `aoms`
# binary (the working tree's Release build) scans TREE three ways, alternating, on a
# warm page cache, best of BENCH_RUNS (default 5):
#   el8       the embedded default database (RHEL 8.3 facts, issue 8)
#   el8-file  the same database read from its file (the build's anolis8-default.db)
#   base-file a database imported by this binary from BASE_REV's fact tables
#             (abi-db/data/*.tsv at BASE_REV: 79 libraries, the base's whole target)
# and prints wall time, CPU (user + sys) and peak RSS of each, with the ratios
# el8/base-file (the headline: embedded as users run it) and el8-file/base-file (file
# against file). bench-compare.sh measures the whole change between two builds; this
# one holds the code still so that only the data differs.
#
# Environment:
#   AOMS        the binary (default: a fresh Release build of the working tree); its
#               build directory must hold anolis8-default.db for the el8-file row
#   BENCH_RUNS  timed runs of each, the best is kept (default 5)
#   BENCH_KEEP  keep the work directory

set -u -o pipefail
export LC_ALL=C

BASE=${1:-9bb510b}
TREE=${2:-/usr}
SRC=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${BENCH_RUNS:-5}

. "$SRC/bench/lib.sh"

[ -d "$TREE" ] || die "'$TREE' is not a directory"
git -C "$SRC" rev-parse -q --verify "$BASE^{commit}" >/dev/null || die "no commit '$BASE'"
[ -n "${AOMS:-}" ] || AOMS=$(bench_build_tree "$SRC") || exit 1
warn_sanitized "$AOMS"
EL8_FILE=$(dirname "$AOMS")/anolis8-default.db
[ -f "$EL8_FILE" ] || die "no '$EL8_FILE' beside '$AOMS' (a Release build directory has it)"

mkdir -p "$W/base-data"
git -C "$SRC" archive "$BASE" abi-db/data | tar -x -C "$W/base-data" || die "git archive $BASE abi-db/data"
"$AOMS" db import -o "$W/base.db" "$W"/base-data/abi-db/data/*.tsv >"$W/import.log" 2>&1 ||
	die "importing $BASE's tables failed (see $W/import.log)"

db_opt() {
	case $1 in
	el8) ;;
	el8-file) printf '%s\n' --db "$EL8_FILE" ;;
	base-file) printf '%s\n' --db "$W/base.db" ;;
	esac
}
CONFIGS="el8 el8-file base-file"

# Warm the cache, check each runs, and keep the reports' sizes.
for c in $CONFIGS; do
	mapfile -t opt < <(db_opt "$c")
	"$AOMS" scan "${opt[@]}" --format json "$TREE" >"$W/$c.json" 2>/dev/null </dev/null
	[ -s "$W/$c.json" ] || die "scan with the $c database wrote no report"
done

declare -A wall cpu rss
for c in $CONFIGS; do
	wall[$c]=999999
done
for ((i = 0; i < RUNS; i++)); do
	for c in $CONFIGS; do
		mapfile -t opt < <(db_opt "$c")
		read -r w m _ u < <(measure "$W/$c.json" "$AOMS" scan "${opt[@]}" --format json "$TREE")
		if awk -v a="$w" -v b="${wall[$c]}" 'BEGIN { exit !(a < b) }'; then
			wall[$c]=$w
			cpu[$c]=$u
			rss[$c]=$m
		fi
	done
done

rows() {
	python3 - "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
def n(t):
    try:
        return db.execute("select count(*) from %s" % t).fetchone()[0]
    except sqlite3.Error:
        return 0
print("%d libraries, %d symbols" % (n("library"), n("symbol")))
PY
}
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
size_mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f", b / 1048576 }'; }

printf 'tree: %s; binary: %s (%s MB)\n' "$TREE" "$AOMS" "$(size_mb "$AOMS")"
printf 'el8 database: %s MB, %s; base (%s) database: %s MB, %s\n' "$(size_mb "$EL8_FILE")" \
	"$(rows "$EL8_FILE")" "$BASE" "$(size_mb "$W/base.db")" "$(rows "$W/base.db")"
printf '| %-10s | %9s | %8s | %13s |\n' database "wall (s)" "CPU (s)" "peak RSS (MB)"
for c in $CONFIGS; do
	printf '| %-10s | %9s | %8s | %13s |\n' "$c" "${wall[$c]}" "${cpu[$c]}" "$(mb "${rss[$c]}")"
done
for pair in el8:base-file el8-file:base-file; do
	a=${pair%%:*} b=${pair#*:}
	wr=$(ratio "${wall[$a]}" "${wall[$b]}")
	mr=$(ratio "${rss[$a]}" "${rss[$b]}")
	printf '%s/%s wall %s (target <= 1.05: %s), CPU %s, peak RSS %s (target <= 1.05: %s)\n' \
		"$a" "$b" "$wr" "$(verdict "$wr" "<=" 1.05)" "$(ratio "${cpu[$a]}" "${cpu[$b]}")" \
		"$mr" "$(verdict "$mr" "<=" 1.05)"
done
