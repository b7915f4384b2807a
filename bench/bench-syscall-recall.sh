#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The syscall pass against what real static binaries do (issue 10, done-when line 2):
# Debian's busybox-static and sash, and a static Go program built here (with its symbols
# and stripped: go build -ldflags=-s)
# (CGO_ENABLED=0: opens and reads a file, runs /bin/true through os/exec), each run
# BENCH_RUNS times (default 3) under `strace -f` with a few typical invocations. The
# syscall names strace observes — of the binary under test only: a process stops
# counting once it execs another program (/bin/true, a shell), and the execve that
# starts the binary is strace's — are compared with aoms's `files[].syscalls`:
#
#   recall = |observed ∩ detected| / |observed|, per binary and over all (goal >= 0.95)
#
# `restart_syscall` is left out of the observed set: the kernel makes a task issue it
# when a signal interrupts a sleep; no code of the binary calls it.
#
# Then the scan throughput: `aoms scan --format json --jobs 1` of the three binaries
# against `objdump -d` of the same binaries, same run, best of BENCH_RUNS, in MiB of
# executable sections (SHF_EXECINSTR) per second.
#
# Needs strace, busybox-static, sash, golang-go, objdump, python3; installs the first
# four with apt-get when missing (root or sudo). AOMS: the binary (default build/aoms;
# use a Release build for the throughput). Exit 1 when recall < 0.95.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
. bench/lib.sh
AOMS=${AOMS:-build/aoms}
RUNS=${BENCH_RUNS:-3}
[ -x "$AOMS" ] || die "no $AOMS: build first"
warn_sanitized "$AOMS"

want=
command -v strace >/dev/null || want="$want strace"
[ -x /bin/busybox ] || want="$want busybox-static"
[ -x /bin/sash ] || want="$want sash"
command -v go >/dev/null || want="$want golang-go"
if [ -n "$want" ]; then
	command -v apt-get >/dev/null || die "missing:$want (and no apt-get)"
	sudo=
	[ "$(id -u)" = 0 ] || sudo=sudo
	note "installing$want"
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $want >&2 ||
		die "apt-get install$want failed"
fi
for c in strace go objdump readelf python3; do command -v "$c" >/dev/null || die "$c is needed"; done

BB=$(readlink -f /bin/busybox)
SASH=$(readlink -f /bin/sash)
mkdir -p "$W/go"
cat >"$W/go/main.go" <<'EOF'
package main

import (
	"fmt"
	"os"
	"os/exec"
)

func main() {
	f, err := os.Open("/etc/os-release")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	buf := make([]byte, 4096)
	n, _ := f.Read(buf)
	f.Close()
	fmt.Println(n, "bytes")
	if err := exec.Command("/bin/true").Run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
EOF
(cd "$W/go" && GOCACHE="$W/gocache" GOPATH="$W/gopath" GOFLAGS=-mod=mod GO111MODULE=off \
	CGO_ENABLED=0 go build -o "$W/gostatic" main.go &&
	GOCACHE="$W/gocache" GOPATH="$W/gopath" GOFLAGS=-mod=mod GO111MODULE=off \
	CGO_ENABLED=0 go build -ldflags=-s -o "$W/gostripped" main.go) >&2 || die "go build failed"
GOBIN=$W/gostatic
GOSTRIP=$W/gostripped   # no .symtab, as vendors ship Go programs: stubs from .gopclntab
readelf -lW "$GOBIN" | grep -q INTERP && die "$GOBIN is not static"

# trace NAME BINARY ARGS...: one traced run, appended to the trace list of NAME
n_trace=0
trace() {
	local name=$1
	shift
	n_trace=$((n_trace + 1))
	strace -f -qq -e trace=all -o "$W/trace.$n_trace" "$@" >/dev/null 2>&1 </dev/null ||
		note "exit status $? from: $*"
	printf '%s\t%s\t%s\n' "$name" "$1" "$W/trace.$n_trace" >>"$W/traces"
}
: >"$W/traces"
for ((r = 0; r < RUNS; r++)); do
	trace busybox "$BB" ls /
	trace busybox "$BB" cat /etc/hostname
	trace busybox "$BB" sh -c 'echo hi'
	trace busybox "$BB" find /etc -maxdepth 1
	trace busybox "$BB" sh -c 'cat /etc/os-release | wc -l; date; sleep 0.01'
	trace busybox "$BB" ps
	trace busybox "$BB" stat /
	trace sash "$SASH" -c 'echo hi'
	trace sash "$SASH" -c '-ls -l /etc'
	trace sash "$SASH" -c "-cp /etc/hostname $W/copy; -rm $W/copy"
	trace go "$GOBIN"
	trace go-strip "$GOSTRIP"
done

bins=("$BB" "$SASH" "$GOBIN" "$GOSTRIP")
code=$(python3 - "${bins[@]}" <<'PY'
import struct, sys
total = 0
for path in sys.argv[1:]:     # ELF64 little-endian: the sizes of SHF_EXECINSTR sections
    with open(path, "rb") as f:
        h = f.read(64)
        shoff, = struct.unpack_from("<Q", h, 0x28)
        shentsize, shnum = struct.unpack_from("<HH", h, 0x3a)
        f.seek(shoff)
        sh = f.read(shentsize * shnum)
    for i in range(shnum):
        flags, = struct.unpack_from("<Q", sh, i * shentsize + 8)
        size, = struct.unpack_from("<Q", sh, i * shentsize + 32)
        if flags & 4:
            total += size
print(total)
PY
)
note "4 static binaries, $(awk -v c="$code" 'BEGIN { printf "%.1f", c / 1048576 }') MiB of executable sections"

# timed RUNS times, the fastest kept (seconds)
fastest() {
	local i t0 t1 best=
	for ((i = 0; i < RUNS; i++)); do
		t0=$(date +%s.%N)
		"$@" >"$W/out" 2>"$W/err"
		t1=$(date +%s.%N)
		best=$(awk -v a="$t0" -v b="$t1" -v m="$best" 'BEGIN { d = b - a; if (m == "" || d < m) m = d; print m }')
	done
	echo "$best"
}
"$AOMS" scan --format json --jobs 1 "${bins[@]}" >"$W/aoms.json" 2>"$W/aoms.err"
objdump -d "${bins[@]}" >/dev/null 2>&1    # warm the cache
t_aoms=$(fastest "$AOMS" scan --format json --jobs 1 "${bins[@]}")
t_obj=$(fastest objdump -d --no-show-raw-insn "${bins[@]}")
t_nil=$(fastest "$AOMS" scan --format json --jobs 1 "$W/go/main.go")   # start-up: database, report

python3 - "$W/traces" "$W/aoms.json" "$code" "$t_aoms" "$t_obj" "$t_nil" <<'PY'
import json, os, re, sys
traces, report, code, t_aoms, t_obj, t_nil = sys.argv[1:7]
code, t_aoms, t_obj, t_nil = int(code), float(t_aoms), float(t_obj), float(t_nil)
line_re = re.compile(r'^(\d+)\s+(?:<\.\.\. )?([a-z_0-9]+)(?:\(| resumed>)(.*)$')
observed, runs = {}, {}
for row in open(traces):
    name, binary, path = row.rstrip("\n").split("\t")
    seen = observed.setdefault(name, {})
    runs[name] = runs.get(name, 0) + 1
    real = os.path.realpath(binary)
    inside = {}     # pid -> counting (its program is the binary under test)
    first = True
    pending = {}    # pid -> path of an unfinished execve
    for line in open(path, errors="replace"):
        m = line_re.match(line)
        if not m:
            continue
        pid, call, rest = m.group(1), m.group(2), m.group(3)
        if first:   # strace's own execve of the binary
            first = False
            inside[pid] = True
            continue
        if call == "execve":
            a = re.match(r'"([^"]*)"', rest)
            if a:
                pending[pid] = a.group(1)
            target = pending.get(pid)
            if inside.get(pid, True):
                seen[call] = seen.get(call, 0) + 1
            if "<unfinished" in rest:
                continue
            if re.search(r"= 0$", rest.strip()) and target is not None:
                inside[pid] = target == "/proc/self/exe" or os.path.realpath(target) == real
            pending.pop(pid, None)
            continue
        if call == "restart_syscall" or not inside.get(pid, True):
            continue
        seen[call] = seen.get(call, 0) + 1
files = {os.path.realpath(f["path"]) if os.path.isabs(f["path"]) else f["path"]: f
         for f in json.load(open(report))["files"]}
paths = {}
for row in open(traces):
    name, binary, _ = row.rstrip("\n").split("\t")
    paths[name] = os.path.realpath(binary)
hit = tot = 0
print(f"{'binary':10} {'runs':>4} {'observed':>8} {'detected':>8} {'recall':>7}  missed")
for name in observed:
    f = files.get(paths[name]) or next((v for k, v in files.items() if paths[name].endswith("/" + k.lstrip("./"))), {})
    det = set(f.get("syscalls", []))
    obs = set(observed[name])
    miss = sorted(obs - det)
    hit += len(obs & det); tot += len(obs)
    print(f"{name:10} {runs[name]:>4} {len(obs):>8} {len(det):>8} {len(obs & det) / len(obs) if obs else 1:>7.3f}  "
          + (" ".join(miss) if miss else "-"))
recall = hit / tot if tot else 1.0
print(f"overall: {hit}/{tot} = {recall:.3f} (goal >= 0.95: {'met' if recall >= 0.95 else 'MISSED'})")
mib = code / 1048576
print(f"code: {mib:.1f} MiB of executable sections")
print(f"aoms scan --jobs 1: {t_aoms:.3f} s ({mib / t_aoms if t_aoms else 0:.1f} MiB/s); "
      f"objdump -d: {t_obj:.3f} s ({mib / t_obj if t_obj else 0:.1f} MiB/s); "
      f"aoms {t_obj / t_aoms if t_aoms else 0:.1f}x faster")
t_net = t_aoms - t_nil
print(f"aoms start-up (scan of one non-ELF file): {t_nil:.3f} s; without it {t_net:.3f} s "
      f"({mib / t_net if t_net > 0 else 0:.1f} MiB/s)")
sys.exit(0 if recall >= 0.95 else 1)
PY
