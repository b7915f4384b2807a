#!/usr/bin/env bash
# The syscall pass of the elf row (scanners/syscall-*.c, check-syscall.c): binaries
# built here with raw syscall sites, syscall() calls and Go stubs, judged against
# the RHCK 4.18 table (default) and other kernels' tables (--kernel).
#
#   raw        gcc -static (tests/fixtures/syscall/raw-x86_64.c): pidfd_open 434 as an
#              immediate, clone3 435 through a register move, pidfd_getfd 438 through
#              syscall(); getpid 39 is fine
#   raw-s      raw stripped of .symtab (strip -s): glibc's syscall() found by its bytes,
#              so pidfd_getfd through it still counts, and its own site is no unresolved one
#   nolibc     gcc -nostdlib: openat2 437 (RHCK has it), epoll_pwait2 441 (it has not),
#              one number loaded from memory (unresolved)
#   a64        aarch64-linux-gnu-gcc -nostdlib (when installed): pidfd_open, clone3
#   libwrap.so, libwrap-noplt.so, libwrap-a64.so
#              shared objects of wrappers around syscall() (fixtures/syscall/wrappers.c,
#              -O2): pidfd_open through a tail call, clone3 through a call; via the PLT,
#              via the GOT (-fno-plt), and on aarch64 (b / bl) when the cross gcc is there
#   gosc       CGO_ENABLED=0 go build (when go is installed; install-deps --tests installs
#              it): a static Go program, syscall.Syscall(434), Syscall6(441), and the Go
#              runtime's own stubs
#   gosc-s     the same with -ldflags=-s (no .symtab, as vendors ship Go programs): the
#              stubs come from .gopclntab
. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd gcc strip

F=$FIXTURES/syscall
T=$E2E_TMP
S=$T/tree
mkdir -p "$S" || die "mkdir"

if ! build_cc "$S/raw" -static -O1 "$F/raw-x86_64.c" 2>/dev/null; then
	skip "gcc -static does not link here (libc.a missing?)"
fi
strip -s -o "$S/raw-s" "$S/raw" || die "strip raw"
gcc -nostdlib -static -o "$S/nolibc" "$F/nolibc-x86_64.S" || die "building nolibc"
gcc -O2 -fPIC -shared -o "$S/libwrap.so" "$F/wrappers.c" || die "building libwrap.so"
gcc -O2 -fPIC -fno-plt -shared -o "$S/libwrap-noplt.so" "$F/wrappers.c" || die "building libwrap-noplt.so"
objdump -d "$S/libwrap.so" | grep -Eq 'jmp +[0-9a-f]+ <syscall@plt>' ||
	e2e_log "NOTE: gcc did not make a tail call to syscall@plt"
A64=
if command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 &&
   aarch64-linux-gnu-gcc -nostdlib -static -o "$S/a64" "$F/raw-aarch64.S" 2>/dev/null &&
   aarch64-linux-gnu-gcc -O2 -fPIC -nostdlib -shared -o "$S/libwrap-a64.so" "$F/wrappers.c" 2>/dev/null; then
	A64=yes
else
	e2e_log "NOTE: no aarch64-linux-gnu-gcc; skipping the aarch64 case"
fi
GO=
if command -v go >/dev/null 2>&1 && (cd "$T" && cp "$F/go-syscall.go" . &&
   GOCACHE="$T/gocache" GOPATH="$T/gopath" CGO_ENABLED=0 go build -o "$S/gosc" go-syscall.go &&
   GOCACHE="$T/gocache" GOPATH="$T/gopath" CGO_ENABLED=0 go build -ldflags=-s -o "$S/gosc-s" go-syscall.go) 2>/dev/null; then
	GO=yes
else
	e2e_log "NOTE: no go toolchain; skipping the Go case"
fi

missing() {  # FILE SUBJECT: the syscall.missing names, sorted
	json_eval "$1" "' '.join(sorted(e['evidence']['syscall'] for e in d['entries'] if subj(e).endswith('$2') and e['rule'] == 'syscall.missing'))"
}
rating() {  # FILE SUBJECT SYSCALL: severity/confidence of its syscall.missing
	json_eval "$1" "[e['severity'] + '/' + e['confidence'] for e in d['entries'] if subj(e).endswith('$2') and e['rule'] == 'syscall.missing' and e['evidence']['syscall'] == '$3'][0]"
}
expect_eq() { if [ "$1" = "$2" ]; then pass "$3"; else fail "$3: got '$1', expected '$2'"; fi; }

args=(scan --format json)
[ -n "$A64" ] && args+=(--arch x86_64 --arch aarch64)
run_aoms "${args[@]}" "$S"
J=$OUT
expect_report_shape "$J"
expect_eq "$(missing "$J" raw)" "clone3 pidfd_getfd pidfd_open" "raw: clone3, pidfd_getfd, pidfd_open missing on RHCK 4.18"
expect_eq "$(missing "$J" raw-s)" "clone3 pidfd_getfd pidfd_open" "raw-s (stripped): the same, syscall() found by its bytes"
expect_json "$J" "[e['evidence']['count'] for e in d['entries'] if subj(e).endswith('raw-s') and e['rule'] == 'syscall.unresolved'] == [e['evidence']['count'] for e in d['entries'] if subj(e).endswith('raw') and e['rule'] == 'syscall.unresolved']" \
	"raw-s: as many unresolved sites as raw (syscall()'s own is the stub's)"
expect_eq "$(rating "$J" raw pidfd_open)" "high/likely" "raw: pidfd_open has no fallback (high)"
expect_eq "$(rating "$J" raw clone3)" "low/likely" "raw: clone3 has glibc's clone fallback (low)"
expect_json "$J" "[e.get('actions', []) for e in d['entries'] if subj(e).endswith('raw') and e['rule'] == 'syscall.missing' and e['evidence']['syscall'] == 'clone3'] == [[]]" \
	"raw: nothing to rebuild for clone3, glibc falls back"
expect_json "$J" "[f['verdict'] for f in d['files'] if f['path'].endswith('/raw') or f['path'] == 'raw'] == ['compatible']" \
	"raw: syscalls that fail with ENOSYS leave it compatible (its entries say which)"
expect_json "$J" "'getpid' in [f for f in d['files'] if f['path'].endswith('raw')][0]['syscalls']" "raw lists getpid"
expect_json "$J" "[e['evidence']['introduced'] for e in d['entries'] if subj(e).endswith('raw') and e['rule'] == 'syscall.missing' and e['evidence']['syscall'] == 'pidfd_open'] == ['5.3']" "pidfd_open: introduced in 5.3"
expect_json "$J" "'4.19-anck' in [e for e in d['entries'] if subj(e).endswith('raw') and e['evidence'].get('syscall') == 'pidfd_open'][0]['evidence']['available_in']" "pidfd_open: ANCK 4.19 has it"
expect_eq "$(missing "$J" nolibc)" "epoll_pwait2" "nolibc: only epoll_pwait2 missing (openat2 is backported)"
expect_json "$J" "[f for f in d['files'] if f['path'].endswith('nolibc')][0]['syscalls'] == ['epoll_pwait2', 'exit_group', 'openat2']" "nolibc's syscalls"
expect_json "$J" "[e['evidence']['count'] for e in d['entries'] if subj(e).endswith('nolibc') and e['rule'] == 'syscall.unresolved'] == ['1']" "nolibc: one unresolved site"
expect_eq "$(missing "$J" libwrap.so)" "clone3 pidfd_open" "libwrap.so: syscall() through a tail call (jmp) and a call to its PLT entry"
expect_eq "$(missing "$J" libwrap-noplt.so)" "clone3 pidfd_open" "libwrap-noplt.so (-fno-plt): syscall() through its GOT slot (jmp/call *rip)"
# glibc's clone fallback is inside glibc: the static raw has it, a shared object's own
# syscall(435) has no wrapper around it
expect_eq "$(rating "$J" libwrap.so clone3)" "high/likely" "libwrap.so: its own clone3 call has no glibc fallback (high)"
expect_json "$J" "[e['evidence']['fallback'] for e in d['entries'] if subj(e).endswith('libwrap.so') and e['rule'] == 'syscall.missing' and e['evidence']['syscall'] == 'clone3'] == ['none known']" \
	"libwrap.so: no fallback claimed for clone3"
if [ -n "$A64" ]; then
	expect_eq "$(missing "$J" a64)" "clone3 pidfd_open" "a64: clone3 and pidfd_open (svc #0, x8)"
	expect_eq "$(missing "$J" libwrap-a64.so)" "clone3 pidfd_open" "libwrap-a64.so: syscall() through b and bl to its PLT entry"
fi
if [ -n "$GO" ]; then
	expect_eq "$(missing "$J" gosc)" "epoll_pwait2 pidfd_open" "gosc: Go stubs with constant traps"
	expect_eq "$(rating "$J" gosc pidfd_open)" "low/likely" "gosc: Go's os falls back for pidfd_open"
	expect_eq "$(rating "$J" gosc epoll_pwait2)" "high/likely" "gosc: no fallback for epoll_pwait2"
	if readelf -lW "$S/gosc" | grep -q INTERP; then
		fail "gosc: not a static program"
	else
		pass "gosc is static (no PT_INTERP)"
	fi
	expect_json "$J" "{'clone', 'futex', 'mmap', 'rt_sigaction', 'sched_yield', 'exit_group'} <= set([f for f in d['files'] if f['path'].endswith('gosc')][0]['syscalls'])" "gosc lists the Go runtime's syscalls (runtime stubs)"
	if readelf -SW "$S/gosc-s" | grep -q ' \.symtab '; then
		fail "gosc-s: still has .symtab"
	else
		pass "gosc-s has no .symtab"
	fi
	expect_eq "$(missing "$J" gosc-s)" "epoll_pwait2 pidfd_open" "gosc-s: the stubs from .gopclntab"
	expect_eq "$(rating "$J" gosc-s epoll_pwait2)" "high/likely" "gosc-s: no fallback for epoll_pwait2"
	expect_json "$J" "[f for f in d['files'] if f['path'].endswith('gosc')][0]['syscalls'] == [f for f in d['files'] if f['path'].endswith('gosc-s')][0]['syscalls']" \
		"gosc-s: the same syscalls as the program with its symbols"

	# a damaged .gopclntab: a function count past any program, a function table
	# outside the section; the object is still judged, without stubs, no crash
	H=$T/hostile-go
	mkdir -p "$H"
	for how in nfunc functab; do
		cp "$S/gosc-s" "$H/gosc-$how"
		python3 - "$H/gosc-$how" "$how" <<'PY' || die "patching gosc-$how"
import struct, subprocess, sys
path, how = sys.argv[1], sys.argv[2]
for line in subprocess.run(["readelf", "-SW", path], capture_output=True, text=True).stdout.splitlines():
    f = line.replace("[", " ").replace("]", " ").split()
    if ".gopclntab" in f:
        i = f.index(".gopclntab")
        off, size = int(f[i + 3], 16), int(f[i + 4], 16)
with open(path, "r+b") as fh:
    if how == "nfunc":
        fh.seek(off + 8)
        fh.write(struct.pack("<Q", 1 << 40))
    else:   # pclnOffset, the 8th field of the 1.18 header
        fh.seek(off + 8 + 7 * 8)
        fh.write(struct.pack("<Q", size - 4))
PY
	done
	run_aoms scan --format json "$H"
	expect_json "$OUT" "len(d['files']) == 2 and not d['errors']" "a damaged .gopclntab: both judged, no error"
	expect_json "$OUT" "all('exit_group' in f['syscalls'] for f in d['files'])" \
		"a damaged .gopclntab: the runtime's raw sites still count"
fi

# Another kernel's table: ANCK 4.19 has pidfd_open (434) and openat2 but not clone3.
run_aoms scan --format json --kernel 4.19-anck "$S/raw"
expect_eq "$(missing "$OUT" raw)" "clone3 pidfd_getfd" "--kernel 4.19-anck: pidfd_open is there"
run_aoms scan --format json --kernel 5.10.134-13.an8 "$S/raw"
expect_eq "$(missing "$OUT" raw)" "" "--kernel 5.10.134-13.an8: the 5.10 table has all"
run_aoms scan --kernel 9.9-none "$S/raw"
expect_status 2 "an unknown --kernel is a usage error"

e2e_finish
