#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# bench/bench-dbbuild.sh [ROOT]  (default /)
#
# Measures `aoms db build --root ROOT` (wall time, peak RSS, database size, libraries,
# symbols) against the shell baseline that extracts the same libraries' symbols:
# `readelf --dyn-syms -W` over every library file the database recorded (the list
# `find` would produce for the same directories), in the same run, warm cache.
# Then checks the database for real: `aoms scan --db` of ROOT's /usr/bin must report
# no missing library, version node or symbol (elf.needed-missing,
# elf.version-node-missing, elf.symbol-missing).
#
# Environment: AOMS (default build/aoms; use a release build), BENCH_RUNS (default 1),
# BENCH_KEEP (keep the work directory).

set -u -o pipefail
export LC_ALL=C

ROOT=${1:-/}
SRC=$(cd "$(dirname "$0")/.." && pwd)
AOMS=${AOMS:-$SRC/build/aoms}
RUNS=${BENCH_RUNS:-1}

die() { printf 'bench-dbbuild: %s\n' "$*" >&2; exit 1; }
note() { printf 'bench-dbbuild: %s\n' "$*" >&2; }

[ -d "$ROOT" ] || die "'$ROOT' is not a directory"
[ -x "$AOMS" ] || die "aoms binary '$AOMS' not found (set AOMS)"
command -v readelf >/dev/null || die "readelf is needed"
command -v python3 >/dev/null || die "python3 is needed"

W=$(mktemp -d "${TMPDIR:-/tmp}/aoms-bench.XXXXXX") || die "mktemp"
if [ -n "${BENCH_KEEP:-}" ]; then trap 'note "kept $W"' EXIT; else trap 'rm -rf "$W"' EXIT; fi
. "$SRC/bench/lib.sh"

BUILD_CMD=("$AOMS" db build --root "$ROOT" -o "$W/host.db")

note "warming up on $ROOT ..."
"${BUILD_CMD[@]}" >/dev/null 2>"$W/build.err" || note "db build reported errors (see below)"
# The library files the database recorded, as `find` over those directories gives them.
python3 - "$W/host.db" "$ROOT" >"$W/libs.list" <<'PY' || die "cannot list the libraries"
import os, sqlite3, sys
db, root = sys.argv[1], sys.argv[2]
paths = sorted({r[0] for r in sqlite3.connect(db).execute("select path from library where path is not null")})
for p in paths:
    sys.stdout.write(os.path.join(root, p.lstrip("/")) + "\0")
PY
READELF_CMD=(xargs -0 -P1 -n 64 -a "$W/libs.list" readelf --dyn-syms -W)
"${READELF_CMD[@]}" >/dev/null 2>&1

note "timing ($RUNS run(s) each) ..."
read -r B_WALL B_RSS B_ST < <(best "$W/build.out" "${BUILD_CMD[@]}")
read -r R_WALL _ _ < <(best "$W/readelf.out" "${READELF_CMD[@]}")

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
row "readelf --dyn-syms over the same files (s)" "$R_WALL" "" ""
row "readelf / aoms db build" "$(ratio "$R_WALL" "$B_WALL")" "" ""
row "scan of ${ROOT%/}/usr/bin: missing lib/version/symbol" "$MISSING" "0" "$( [ "$MISSING" = 0 ] && echo met || echo MISSED)"
row "scan of ${ROOT%/}/usr/bin: all findings" "$SCANNED" "" ""
[ -s "$W/build.err" ] && { echo; echo "db build stderr (first lines):"; head -n 5 "$W/build.err"; }
exit 0
