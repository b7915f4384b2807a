#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# bench/bench-compare.sh [BASE_REV] [TREE]  (default: 9bb510b, /usr)
#
# Before/after in the same run: builds `aoms` (Release) at BASE_REV in a scratch
# checkout and the working tree's, then times `aoms scan TREE --format json` of both,
# alternating, on a warm page cache, best of BENCH_RUNS (default 3). Prints wall time
# and peak RSS of each and the ratios; the target is no regression above 5 %.
#
# Environment:
#   AOMS             the new binary (default: a fresh Release build in the work dir)
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
git -C "$SRC" rev-parse -q --verify "$BASE^{commit}" >/dev/null || die "no commit '$BASE'"

build() {   # build SRC_DIR BUILD_DIR
	cmake -S "$1" -B "$2" -DCMAKE_BUILD_TYPE=Release -DAOMS_TESTS=OFF >"$2.log" 2>&1 &&
		cmake --build "$2" -j"$(nproc)" --target aoms >>"$2.log" 2>&1 ||
		die "building $1 failed (see $2.log)"
}

note "building $BASE"
mkdir -p "$W/base-src"
git -C "$SRC" archive "$BASE" | tar -x -C "$W/base-src" || die "git archive $BASE"
build "$W/base-src" "$W/base-build"
BASE_AOMS=$W/base-build/aoms
if [ -z "${AOMS:-}" ]; then
	note "building the working tree"
	build "$SRC" "$W/new-build"
	AOMS=$W/new-build/aoms
fi
warn_sanitized "$AOMS"

# Warm the cache and check both run.
"$BASE_AOMS" scan --format json "$TREE" >"$W/base.json" 2>/dev/null </dev/null
"$AOMS" scan --format json "$TREE" >"$W/new.json" 2>/dev/null </dev/null

for name in base new; do
	eval "${name}_wall=999999; ${name}_rss=0"
done
for ((i = 0; i < RUNS; i++)); do
	for name in base new; do
		bin=$BASE_AOMS
		[ $name = new ] && bin=$AOMS
		read -r wall rss _ < <(measure "$W/$name.json" "$bin" scan --format json "$TREE")
		eval "cur=\$${name}_wall"
		if awk -v a="$wall" -v b="$cur" 'BEGIN { exit !(a < b) }'; then
			eval "${name}_wall=$wall; ${name}_rss=$rss"
		fi
	done
done

entries() { python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["entries"]))' "$1"; }
printf 'tree: %s (%s files seen by the new scan)\n' "$TREE" \
	"$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"].get("files", {}).get("seen", "?"))' "$W/new.json")"
printf '| %-10s | %-8s | %9s | %13s | %7s |\n' build commit "wall (s)" "peak RSS (MB)" entries
printf '| %-10s | %-8s | %9s | %13s | %7s |\n' base "$BASE" "$base_wall" \
	"$(awk -v k="$base_rss" 'BEGIN { printf "%.1f", k / 1024 }')" "$(entries "$W/base.json")"
printf '| %-10s | %-8s | %9s | %13s | %7s |\n' new "$(git -C "$SRC" rev-parse --short HEAD)" \
	"$new_wall" "$(awk -v k="$new_rss" 'BEGIN { printf "%.1f", k / 1024 }')" "$(entries "$W/new.json")"
wr=$(ratio "$new_wall" "$base_wall")
mr=$(ratio "$new_rss" "$base_rss")
printf 'new/base wall %s (target <= 1.05: %s), peak RSS %s (target <= 1.05: %s)\n' \
	"$wr" "$(verdict "$wr" "<=" 1.05)" "$mr" "$(verdict "$mr" "<=" 1.05)"
