#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# bench/bench-compare.sh [BASE_REV] [TREE]  (default: 9bb510b, issue 6's before; /usr)
#
# Before/after in the same run: builds `aoms` (Release) at BASE_REV in a scratch
# checkout and the working tree's (bench/lib.sh bench_build_rev, bench_build_tree),
# then times `aoms scan TREE --format json` of both, alternating, on a warm page
# cache, best of BENCH_RUNS (default 3). Prints wall time, CPU (user + sys) and peak RSS of each, the
# ratios (target: no regression above 5 %), the median of the per-pair ratios, and both
# binaries' sizes.
#
# Environment:
#   AOMS             the new binary (default: a fresh Release build in the work dir)
#   BENCH_NEW_CMAKE  extra cmake arguments for that build (-DAOMS_CAPSTONE=OFF: the
#                    tree without the syscall pass's decoding)
#   AOMS_BASE        the base binary (default: a Release build of BASE_REV)
#   BENCH_RUNS       timed runs of each, the best is kept (default 3)
#   BENCH_KEEP       keep the work directory

set -u -o pipefail
export LC_ALL=C

BASE=${1:-9bb510b}
TREE=${2:-/usr}
SRC=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${BENCH_RUNS:-3}

. "$SRC/bench/lib.sh"

[ -d "$TREE" ] || die "'$TREE' is not a directory"
BASE_AOMS=${AOMS_BASE:-$(bench_build_rev "$SRC" "$BASE")} || exit 1
[ -n "${AOMS:-}" ] || AOMS=$(bench_build_tree "$SRC") || exit 1
warn_sanitized "$AOMS"

# Warm the cache and check both run.
"$BASE_AOMS" scan --format json "$TREE" >"$W/base.json" 2>/dev/null </dev/null
"$AOMS" scan --format json "$TREE" >"$W/new.json" 2>/dev/null </dev/null

for name in base new; do
	eval "${name}_wall=999999; ${name}_rss=0; ${name}_cpu=0"
done
for ((i = 0; i < RUNS; i++)); do
	for name in base new; do
		bin=$BASE_AOMS
		[ $name = new ] && bin=$AOMS
		read -r wall rss _ cpu < <(measure "$W/$name.json" "$bin" scan --format json "$TREE")
		printf '%s %s ' "$wall" "$cpu" >>"$W/pairs"
		eval "cur=\$${name}_wall"
		if awk -v a="$wall" -v b="$cur" 'BEGIN { exit !(a < b) }'; then
			eval "${name}_wall=$wall; ${name}_rss=$rss; ${name}_cpu=$cpu"
		fi
	done
	echo >>"$W/pairs"
done

entries() { python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["entries"]))' "$1"; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
size_mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f", b / 1048576 }'; }
printf 'tree: %s (%s files seen by the new scan)\n' "$TREE" \
	"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"].get("files", {}).get("seen", "?"))' "$W/new.json")"
printf '| %-10s | %-8s | %9s | %8s | %13s | %7s | %10s |\n' build commit "wall (s)" "CPU (s)" \
	"peak RSS (MB)" entries "size (MB)"
printf '| %-10s | %-8s | %9s | %8s | %13s | %7s | %10s |\n' base "$BASE" "$base_wall" "$base_cpu" \
	"$(mb "$base_rss")" "$(entries "$W/base.json")" "$(size_mb "$BASE_AOMS")"
printf '| %-10s | %-8s | %9s | %8s | %13s | %7s | %10s |\n' new "$(git -C "$SRC" rev-parse --short HEAD)" \
	"$new_wall" "$new_cpu" "$(mb "$new_rss")" "$(entries "$W/new.json")" "$(size_mb "$AOMS")"
wr=$(ratio "$new_wall" "$base_wall")
mr=$(ratio "$new_rss" "$base_rss")
cr=$(ratio "$new_cpu" "$base_cpu")
printf 'new/base wall %s (target <= 1.05: %s), peak RSS %s (target <= 1.05: %s), CPU %s\n' \
	"$wr" "$(verdict "$wr" "<=" 1.05)" "$mr" "$(verdict "$mr" "<=" 1.05)" "$cr"
# Best-of-N hides a noisy machine; the median of each (base, new) pair's ratio is steadier.
python3 - "$W/pairs" <<'PY'
import statistics, sys
pairs = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
w = [p[2] / p[0] for p in pairs if p[0] > 0]
c = [p[3] / p[1] for p in pairs if p[1] > 0]
if w and c:
    print("paired runs (%d): median new/base wall %.2f, CPU %.2f" % (len(pairs), statistics.median(w), statistics.median(c)))
PY
