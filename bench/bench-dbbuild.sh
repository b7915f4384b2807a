#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# bench/bench-dbbuild.sh [ROOT]  (default /)
#
# Measures `aoms db build --root ROOT` (wall time, peak RSS, database size, libraries,
# symbols) against the shell baseline that extracts the same libraries' symbols:
# `find` + `readelf --dyn-syms -W` over the same library directories, in the same
# run, warm cache.
# Then checks the database for real: `aoms scan --db` of ROOT's /usr/bin must report
# no missing library, version node or symbol (elf.needed-missing,
# elf.version-node-missing, elf.symbol-missing).
#
# The baseline's file list differs from the database's a little: find also lists
# plugins and non-library *.so* files that are not shared objects, and aoms keeps one
# row per soname and arch. Both counts are printed.
#
# Environment: AOMS (default build/aoms; use a release build), BENCH_RUNS (default 1),
# BENCH_KEEP (keep the work directory).

set -u -o pipefail
export LC_ALL=C

ROOT=${1:-/}
SRC=$(cd "$(dirname "$0")/.." && pwd)
AOMS=${AOMS:-$SRC/build/aoms}
RUNS=${BENCH_RUNS:-1}

. "$SRC/bench/lib.sh"

[ -d "$ROOT" ] || die "'$ROOT' is not a directory"
[ -x "$AOMS" ] || die "aoms binary '$AOMS' not found (set AOMS)"
command -v readelf >/dev/null || die "readelf is needed"
command -v python3 >/dev/null || die "python3 is needed"

warn_sanitized "$AOMS"

BUILD_CMD=("$AOMS" db build --root "$ROOT" -o "$W/host.db")

note "warming up on $ROOT ..."
"${BUILD_CMD[@]}" >/dev/null 2>"$W/build.err" || note "db build reported errors (see below)"
# The baseline a shell script would run: find the shared objects in the same
# directories aoms reads (the default ones, those of etc/ld.so.conf{,.d}, two levels
# below), each real directory once, and readelf --dyn-syms over them.
DIRS=$(
	{
		printf '%s\n' /lib64 /usr/lib64 /lib /usr/lib
		cat "$ROOT/etc/ld.so.conf" "$ROOT"/etc/ld.so.conf.d/*.conf 2>/dev/null | grep '^/'
	} | while read -r d; do
		[ -d "$ROOT$d" ] && readlink -f "$ROOT$d"
	done | sort -u
)
# shellcheck disable=SC2086 # DIRS is a list of directories without spaces
find $DIRS -maxdepth 3 -type f -name '*.so*' -print0 2>/dev/null | sort -zu >"$W/libs.list"
# shellcheck disable=SC2016
READELF_CMD=(bash -c 'find $1 -maxdepth 3 -type f -name "*.so*" -print0 2>/dev/null |
	xargs -0 -r -P1 -n 64 readelf --dyn-syms -W' baseline "$DIRS")
"${READELF_CMD[@]}" >/dev/null 2>&1

note "timing ($RUNS run(s) each) ..."
read -r B_WALL B_RSS B_ST _ < <(best "$W/build.out" "${BUILD_CMD[@]}")
read -r R_WALL _ _ _ < <(best "$W/readelf.out" "${READELF_CMD[@]}")

"$AOMS" db info --db "$W/host.db" --format json >"$W/info.json" || die "db info failed"
read -r LIBS SYMS KSYMS PKGS < <(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["stats"]; print(s["libraries"], s["symbols"], s.get("kernel_symbols", 0), s.get("packages", 0))' "$W/info.json")
SIZE_MB=$(awk -v b="$(stat -c %s "$W/host.db")" 'BEGIN { printf "%.1f", b / 1048576 }')
R_SYMS=$(xargs -0 -n 64 -a "$W/libs.list" readelf --dyn-syms -W 2>/dev/null |
	awk '$7 != "UND" && $5 != "LOCAL" && $1 ~ /^[0-9]+:$/' | wc -l)

# The consistency check: the host's own programs against the host's own database.
"$AOMS" scan --db "$W/host.db" --format json "${ROOT%/}/usr/bin" >"$W/scan.json" 2>/dev/null
MISSING=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(1 for e in d["entries"] if e["rule"] in ("elf.needed-missing", "elf.version-node-missing", "elf.symbol-missing")))' "$W/scan.json")
SCANNED=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["summary"]["findings"])' "$W/scan.json")

CPU=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //')
echo
echo "aoms db build benchmark, $(date -u +%Y-%m-%d), $(nproc) cores${CPU:+, $CPU}"
echo "root $ROOT; aoms: $AOMS; db build exit status $B_ST"
echo
row measure value "" ""
row "--------------------------------------------" "---------" "" ""
row "aoms db build --root wall (s)" "$B_WALL" "" ""
row "aoms db build peak RSS (MB)" "$(awk -v k="$B_RSS" 'BEGIN { printf "%.1f", k / 1024 }')" "" ""
row "database size (MB)" "$SIZE_MB" "" ""
row "libraries / packages recorded" "$LIBS / $PKGS" "" ""
row "exported symbols (aoms / readelf count)" "$SYMS / $R_SYMS" "" ""
row "kernel symbols" "$KSYMS" "" ""
row "find + readelf --dyn-syms, same dirs (s)" "$R_WALL" "" ""
row "files: aoms libraries / find *.so*" "$LIBS / $(tr -cd '\0' <"$W/libs.list" | wc -c)" "" ""
row "readelf / aoms db build" "$(ratio "$R_WALL" "$B_WALL")" "" ""
row "scan of ${ROOT%/}/usr/bin: missing lib/version/symbol" "$MISSING" "0" "$( [ "$MISSING" = 0 ] && echo met || echo MISSED)"
row "scan of ${ROOT%/}/usr/bin: all findings" "$SCANNED" "" ""
[ -s "$W/build.err" ] && { echo; echo "db build stderr (first lines):"; head -n 5 "$W/build.err"; }
exit 0
