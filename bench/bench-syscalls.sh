#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The syscall pass against a baseline built on binutils, same run: over static
# binaries (default: busybox, sash, and every static ELF of /usr/bin and /usr/sbin;
# or the files given), the syscall numbers `objdump -d` + a backward scan recovers
# (x86_64: `mov $N,%eax|%rax` before `syscall` in the same basic block, and `mov
# $N,%edi` before `call <syscall>`) against the numbers aoms lists in files[].syscalls
# (mapped back through the 5.10 table). Prints recall (aoms ∩ objdump / objdump),
# what aoms finds beyond, and the wall time of both.
set -uo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
AOMS=${AOMS:-build/aoms}
[ -x "$AOMS" ] || die "no $AOMS: build first"
warn_sanitized "$AOMS"
command -v objdump >/dev/null || die "objdump is needed"

if [ $# -eq 0 ]; then
	for f in /usr/bin/* /usr/sbin/* /bin/busybox /bin/sash; do
		[ -f "$f" ] && [ ! -L "$f" ] || continue
		head -c4 "$f" 2>/dev/null | grep -q ELF || continue
		readelf -lW "$f" 2>/dev/null | grep -q 'INTERP' && continue
		readelf -hW "$f" 2>/dev/null | grep -q 'X86-64' || continue
		readlink -f "$f"
	done | sort -u >"$W/list"
else
	printf '%s\n' "$@" >"$W/list"
fi
n=$(wc -l <"$W/list")
[ "$n" -gt 0 ] || die "no static x86_64 binaries found"
bytes=$(xargs -a "$W/list" -d '\n' size -A 2>/dev/null | awk '$1 ~ /^\.text/ {s += $2} END {print s}')
note "$n static binaries, $((bytes / 1048576)) MiB of .text"

mkdir -p "$W/tree"
i=0
while read -r f; do i=$((i + 1)); ln -sf "$f" "$W/tree/$i-$(basename "$f")"; done <"$W/list"

t0=$(date +%s.%N)
xargs -a "$W/list" -d '\n' -n1 sh -c 'echo "== $0"; objdump -d --no-show-raw-insn "$0"' >"$W/objdump.txt" 2>/dev/null
t1=$(date +%s.%N)
"$AOMS" scan --format json --jobs 1 $(cat "$W/list") >"$W/aoms.json" 2>"$W/aoms.err"
t2=$(date +%s.%N)

python3 - "$W/objdump.txt" "$W/aoms.json" abi-db/data/kernel-syscalls-5.10-x86_64.tsv \
	"$t0" "$t1" "$t2" "$bytes" <<'PY'
import json, re, sys
dump, rep, table, t0, t1, t2, code = sys.argv[1:8]
names = {}
for line in open(table):
    if line.startswith("#"): continue
    nr, name = line.split("\t")[:2]
    names.setdefault(name, int(nr))
flow = re.compile(r"\s(j\w+|call|ret|syscall|hlt|ud2)\b")
base = {}
cur = None
rax = rdi = None
for line in open(dump, errors="replace"):
    if line.startswith("== "):
        cur = line[3:].strip(); base[cur] = set(); rax = rdi = None; continue
    if line.endswith(">:\n"):
        rax = rdi = None; continue
    m = re.search(r"\tmov\s+\$0x([0-9a-f]+),%(eax|rax)$", line)
    if m: rax = int(m.group(1), 16); continue
    m = re.search(r"\tmov\s+\$0x([0-9a-f]+),%(edi|rdi)$", line)
    if m: rdi = int(m.group(1), 16); continue
    if re.search(r"\txor\s+%eax,%eax$", line): rax = 0; continue
    if re.search(r"\tsyscall\s*$", line):
        if rax is not None and rax < 1000: base[cur].add(rax)
        rax = rdi = None; continue
    if re.search(r"\tcall\s+[0-9a-f]+ <syscall>", line):
        if rdi is not None and rdi < 1000: base[cur].add(rdi)
        rax = rdi = None; continue
    if flow.search(line): rax = rdi = None; continue
    if re.search(r",%(eax|rax|ax|al)$", line): rax = None
    if re.search(r",%(edi|rdi|di|dil)$", line): rdi = None
d = json.load(open(rep))
got = {}
for f in d["files"]:
    got[f["path"]] = {names.get(s, int(s[1:]) if s.startswith("#") else -1) for s in f.get("syscalls", [])}
hit = tot = extra = 0
worst = []
for path, want in base.items():
    have = got.get(path, next((v for k, v in got.items() if path.endswith("/" + k)), set()))
    hit += len(want & have); tot += len(want); extra += len(have - want)
    if want - have: worst.append((len(want - have), path, sorted(want - have)[:8]))
worst.sort(reverse=True)
od, ao = float(t1) - float(t0), float(t2) - float(t1)
print(f"binaries: {len(base)}  .text: {int(code) / 1048576:.1f} MiB")
print(f"recall vs objdump baseline: {hit}/{tot} = {hit / tot if tot else 1:.3f}")
print(f"numbers aoms finds beyond the baseline: {extra}")
print(f"time: objdump -d {od:.2f} s, aoms scan --jobs 1 {ao:.2f} s ({od / ao if ao else 0:.1f}x); "
      f"aoms {int(code) / 1048576 / ao if ao else 0:.1f} MiB of code/s")
for w in worst[:5]:
    print("  missed", w)
PY
