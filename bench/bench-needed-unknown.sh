#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# bench/bench-needed-unknown.sh [BASE_REV] [TREE]  (default: 03791cd, /usr/bin)
#
# What the default database knows, before and after: runs `aoms scan TREE --format
# json` with the binary of BASE_REV and the working tree's (built as
# bench-compare.sh does, bench/lib.sh) and prints the number of elf.needed-unknown
# findings of each, and the needed-unknown sonames of the new run that the RHEL 8.3
# facts list (abi-db/data/rhel-8.3-libraries-x86_64.tsv): that list must be empty.
#
# Environment: AOMS (the new binary; default a fresh Release build), AOMS_BASE (the
# base binary; default a Release build of BASE_REV), BENCH_KEEP.

set -u -o pipefail
export LC_ALL=C

BASE=${1:-03791cd}
TREE=${2:-/usr/bin}
SRC=$(cd "$(dirname "$0")/.." && pwd)
RUNS=1
FACTS=$SRC/abi-db/data/rhel-8.3-libraries-x86_64.tsv

. "$SRC/bench/lib.sh"

[ -d "$TREE" ] || die "'$TREE' is not a directory"
[ -r "$FACTS" ] || die "no '$FACTS'"
BASE_AOMS=${AOMS_BASE:-$(bench_build_rev "$SRC" "$BASE")} || exit 1
[ -n "${AOMS:-}" ] || AOMS=$(bench_build_tree "$SRC") || exit 1

"$BASE_AOMS" scan --format json "$TREE" >"$W/base.json" 2>/dev/null </dev/null
"$AOMS" scan --format json "$TREE" >"$W/new.json" 2>/dev/null </dev/null

python3 - "$W/base.json" "$W/new.json" "$FACTS" "$BASE" "$TREE" <<'PY'
import collections, json, sys

def unknown(path):
    d = json.load(open(path))
    out = collections.Counter()
    for e in d["entries"]:
        if e.get("rule") == "elf.needed-unknown":
            ev = e.get("evidence", {})
            out[ev.get("soname") if isinstance(ev, dict) else None] += 1
    return out

facts, table = set(), None
for line in open(sys.argv[3], encoding="utf-8"):
    if line.startswith("#!table "):
        table = line[8:].strip()
    elif table == "libraries" and line.strip() and not line.startswith("#"):
        facts.add(line.split("\t")[0])
base, new = unknown(sys.argv[1]), unknown(sys.argv[2])
print(f"tree: {sys.argv[5]}")
print(f"| build | elf.needed-unknown findings | distinct sonames | of them in the RHEL 8.3 facts |")
print(f"| --- | --- | --- | --- |")
for name, c in ((f"base {sys.argv[4]}", base), ("new", new)):
    print(f"| {name} | {sum(c.values())} | {len(c)} | {len([s for s in c if s in facts])} |")
listed = sorted(s for s in new if s in facts)
print("needed-unknown sonames the RHEL 8.3 facts list (must be none):",
      " ".join(listed) if listed else "none")
print("still unknown after:", " ".join(f"{s}({n})" for s, n in sorted(new.items())))
sys.exit(1 if listed else 0)
PY
