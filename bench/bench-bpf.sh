#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# bench-bpf.sh [SOURCE_TARBALL]: the eBPF scanner on real objects. Builds up to
# BENCH_OBJECTS (default 100) BPF objects from the kernel's BPF selftests
# (tools/testing/selftests/bpf/progs/*.c) and samples (samples/bpf/*_kern.c) of
# Debian's linux-source tarball (/usr/src/linux-source-*.tar.xz; `apt-get install
# linux-source`) with clang -target bpf and libbpf-dev's headers, failures allowed
# and counted; scans them with `aoms scan --format json`; and checks that
#  - every object opens: no bpf.malformed, the bpf.object reader is libbpf;
#  - every helper call llvm-objdump -d shows (BPF_CALL with src_reg 0, "call N") is
#    in aoms's helper_ids of that object, and aoms lists no helper objdump lacks.
# Prints the counts and the scan's wall time. Environment: AOMS (default
# build/aoms), BENCH_OBJECTS, BENCH_KEEP=1 (keep the work directory).
set -uo pipefail
cd "$(dirname "$0")/.."
RUNS=1
. bench/lib.sh

AOMS=${AOMS:-build/aoms}
MAX=${BENCH_OBJECTS:-100}
[ -x "$AOMS" ] || die "no $AOMS: build first"
command -v clang >/dev/null || die "no clang"
command -v llvm-objdump >/dev/null || die "no llvm-objdump"
[ -e /usr/include/bpf/bpf_helpers.h ] || die "no libbpf headers (libbpf-dev)"
TAR=${1:-$(ls /usr/src/linux-source-*.tar.* 2>/dev/null | sort -V | tail -n 1)}
[ -n "$TAR" ] && [ -e "$TAR" ] || die "no linux-source tarball (apt-get install linux-source)"
warn_sanitized "$AOMS"

note "extracting the BPF selftests and samples of $(basename "$TAR")"
tar -xf "$TAR" -C "$W" --wildcards '*/tools/testing/selftests/bpf/*' '*/tools/include/*' \
	'*/tools/lib/bpf/*' '*/samples/bpf/*' 2>/dev/null
SRC=$(ls -d "$W"/linux-source-* 2>/dev/null | head -n 1)
[ -d "$SRC" ] || die "the tarball holds no linux-source-* tree"
MA=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
OUT=$W/objs
mkdir -p "$OUT"
built=0 failed=0
for c in "$SRC"/tools/testing/selftests/bpf/progs/*.c "$SRC"/samples/bpf/*_kern.c; do
	[ "$built" -ge "$MAX" ] && break
	case $(basename "$c") in btf__*) continue ;; esac  # BTF-only data, no programs
	o=$OUT/$(basename "$(dirname "$c")")-$(basename "$c" .c).bpf.o
	if clang -target bpf -O2 -g -D__TARGET_ARCH_x86 -Wno-everything \
		-I"$SRC/tools/testing/selftests/bpf" -I"$SRC/tools/testing/selftests/bpf/progs" \
		-I"$SRC/tools/include/uapi" -I"$SRC/tools/include" -I"/usr/include/$MA" \
		-c "$c" -o "$o" 2>/dev/null; then
		built=$((built + 1))
	else
		failed=$((failed + 1))
		rm -f "$o"
	fi
done
note "built $built objects, $failed sources did not compile (vmlinux.h, kernel-internal headers)"
[ "$built" -gt 0 ] || die "nothing built"

read -r wall rss status _ < <(measure "$W/report.json" "$AOMS" scan --format json --jobs 2 \
	--fail-on never "$OUT")
note "aoms scan: ${wall}s, peak RSS ${rss} KB, exit $status"

# objdump's helper calls: "85 00 00 00 <imm LE>   call N" (src_reg 0)
for o in "$OUT"/*.bpf.o; do
	printf '%s\t' "$(basename "$o")"
	llvm-objdump -d "$o" | awk '$2 == "85" && $3 == "00" {
		for (i = 1; i <= NF; i++) if ($i == "call") print $(i + 1) }' | sort -un | tr '\n' ' '
	printf '\n'
done >"$W/objdump.tsv"

python3 - "$W/report.json" "$W/objdump.tsv" "$built" "$failed" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
objdump = {}
for line in open(sys.argv[2]):
    name, _, ids = line.rstrip("\n").partition("\t")
    objdump[name] = set(int(x) for x in ids.split())
inv, malformed = {}, []
for e in d["entries"]:
    name = e["subject"]["path"].rsplit("/", 1)[-1]
    if e["rule"] == "bpf.object":
        inv[name] = e
    elif e["rule"] == "bpf.malformed":
        malformed.append((name, e["evidence"].get("reason")))
opened = sum(1 for e in inv.values() if e["evidence"].get("reader") == "libbpf")
calls = missed = extra = 0
bad = []
for name, want in sorted(objdump.items()):
    got = set(int(x) for x in inv.get(name, {}).get("evidence", {}).get("helper_ids", []))
    calls += len(want)
    if want - got or got - want:
        bad.append((name, sorted(want - got), sorted(got - want)))
    missed += len(want - got)
    extra += len(got - want)
verdicts = {}
for f in d.get("files", []):
    if f["scanner"] == "bpf":
        verdicts[f["verdict"]] = verdicts.get(f["verdict"], 0) + 1
print(f"objects built {sys.argv[3]}, sources that did not compile {sys.argv[4]}")
print(f"opened by libbpf {opened} of {len(objdump)}; bpf.malformed {len(malformed)}")
for m in malformed[:10]:
    print(f"  malformed: {m[0]}: {m[1]}")
print(f"distinct helper ids per object (objdump) {calls}; missed by aoms {missed}; "
      f"listed by aoms only {extra}")
for b in bad[:10]:
    print(f"  {b[0]}: objdump only {b[1]}, aoms only {b[2]}")
print("verdicts against the default kernel: " +
      ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items())))
sys.exit(1 if malformed or missed or extra else 0)
PY
