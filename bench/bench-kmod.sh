#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Every in-tree module of a Debian kernel judged against that kernel: no false alarm
# expected (all loads-as-is), and the time against modprobe --dump-modversions plus
# a symvers lookup over the same modules, in the same run.
#
#   bench/bench-kmod.sh [RELEASE]    default: the release of the installed
#                                    /usr/src/linux-headers-*-amd64
# Needs apt-get (download only), dpkg -x, modprobe (package kmod), awk.
# Environment: AOMS (default build/aoms, a Release build), BENCH_KEEP=1.
set -uo pipefail
cd "$(dirname "$0")/.."
RUNS=1
. bench/lib.sh
AOMS=${AOMS:-build/aoms}
[ -x "$AOMS" ] || die "no aoms binary at '$AOMS'"
warn_sanitized "$AOMS"
command -v modprobe >/dev/null || die "modprobe not found (apt-get install kmod)"

HDR=$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | head -n 1)
REL=${1:-$(sed -n 's/.*UTS_RELEASE "\(.*\)".*/\1/p' "$HDR/include/generated/utsrelease.h" 2>/dev/null)}
[ -n "$REL" ] || die "no release given and no linux-headers-*-amd64 installed"
HDR=/usr/src/linux-headers-$REL
[ -f "$HDR/Module.symvers" ] || die "no $HDR/Module.symvers (apt-get install linux-headers-$REL)"

note "downloading linux-image-$REL"
(cd "$W" && apt-get download "linux-image-$REL" >/dev/null 2>&1 ||
	apt-get download "linux-image-$REL-unsigned" >/dev/null 2>&1) || die "apt-get download failed"
dpkg -x "$W"/linux-image-*.deb "$W/root" || die "dpkg -x failed"
MODDIR=$W/root/lib/modules/$REL
[ -d "$MODDIR/kernel" ] || die "no $MODDIR/kernel in the package"
# the target: the unpacked /lib/modules/RELEASE plus the headers' Module.symvers
mkdir -p "$W/build/include/config"
cp "$HDR/Module.symvers" "$HDR/.config" "$W/build/"
echo "$REL" >"$W/build/include/config/kernel.release"
cp "$W/root/boot/config-$REL" "$MODDIR/config" 2>/dev/null || true
"$AOMS" db build --kernel "$W/build" --kernel "$MODDIR" -o "$W/k.db" 2>"$W/dbbuild.err" ||
	{ cat "$W/dbbuild.err" >&2; die "db build failed"; }
find "$MODDIR/kernel" -name '*.ko*' | sort >"$W/mods"
n=$(wc -l <"$W/mods")
note "$n modules"

read -r t_aoms rss_aoms st _ <<<"$(measure "$W/report.json" "$AOMS" scan --db "$W/k.db" --kernel "$REL" \
	--format json --allow-empty "$MODDIR/kernel")"
[ "$st" -lt 16 ] || die "aoms scan failed ($st): $(head -c 400 "$W/report.json.err")"

cat >"$W/modprobe.sh" <<'SH'
#!/bin/sh
# modprobe --dump-modversions over every module, each CRC looked up in Module.symvers
xargs -a "$1" -n 1 modprobe --dump-modversions 2>/dev/null |
	awk -v symvers="$2" 'BEGIN { while ((getline l < symvers) > 0) { split(l, f, "\t"); crc[f[2]] = f[1] } }
		{ if (!($2 in crc)) miss++; else if (tolower(crc[$2]) != tolower($1)) bad++; n++ }
		END { printf "%d versions, %d missing, %d differ\n", n, miss, bad }'
SH
read -r t_mp rss_mp st_mp _ <<<"$(measure "$W/modprobe.out" sh "$W/modprobe.sh" "$W/mods" "$HDR/Module.symvers")"

python3 - "$W/report.json" <<'PY'
import collections, json, sys
d = json.load(open(sys.argv[1]))
v = collections.Counter(f["verdict"] for f in d["files"] if f["scanner"] == "kmod")
rules = collections.Counter(e["rule"] for e in d["entries"])
print("verdicts:", dict(v))
print("findings:", dict(rules))
for f in d["files"]:
    if f["verdict"] != "loads-as-is":
        print("  not loads-as-is:", f["path"], f["verdict"], f.get("lacks"))
print("errors:", len(d.get("errors", [])))
PY
echo "modprobe --dump-modversions + symvers lookup: $(cat "$W/modprobe.out")"
printf '%-48s %8s s %8s KB\n' "aoms scan ($n modules, every check)" "$t_aoms" "$rss_aoms"
printf '%-48s %8s s %8s KB\n' "modprobe --dump-modversions + awk symvers lookup" "$t_mp" "$rss_mp"
python3 -c "import sys; a, m = float(sys.argv[1]), float(sys.argv[2]); print('ratio modprobe/aoms: %.1f' % (m / a if a else 0))" "$t_aoms" "$t_mp"
