#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# aoms scan's and aoms db build's progress line: on a terminal (script(1) gives it one)
# stderr shows the phases with files (packages) done of found; not with -q, and nothing
# when stderr is no terminal.
. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd script

mkdir -p "$E2E_TMP/tree"
for f in /bin/ls /bin/cat /bin/sh /usr/bin/env; do
	[ -f "$f" ] && cp "$f" "$E2E_TMP/tree/"
done
ls "$E2E_TMP/tree"/* >/dev/null 2>&1 || skip "no binary to copy"

# on_tty OUT WHAT ARGS...: aoms ARGS on a terminal (script(1)), what it drew in OUT;
# checks that it exited 0
on_tty() {
	local out=$1 what=$2 cmd="'$AOMS'" a
	shift 2
	for a in "$@"; do cmd="$cmd '$a'"; done
	script -qec "$cmd" "$out" >/dev/null 2>&1
	check "$what on a terminal exits 0" test $? = 0
}

# on a terminal
on_tty "$E2E_TMP/tty1.txt" scan scan --fail-on never -o "$E2E_TMP/r1.txt" "$E2E_TMP/tree"
expect_contains "$E2E_TMP/tty1.txt" "aoms scan: reading: "
expect_contains "$E2E_TMP/tty1.txt" "aoms scan: checking: "
expect_contains "$E2E_TMP/tty1.txt" " files"
# -q: none
on_tty "$E2E_TMP/tty2.txt" "scan -q" scan -q --fail-on never -o "$E2E_TMP/r2.txt" "$E2E_TMP/tree"
expect_not_contains "$E2E_TMP/tty2.txt" "reading:"
# not a terminal: none
run_aoms scan --fail-on never -o "$E2E_TMP/r3.txt" "$E2E_TMP/tree"
expect_status 0 "scan without a terminal"
expect_not_contains "$ERR" "reading:"
# the report is the same either way
check "same report on a terminal" cmp -s "$E2E_TMP/r1.txt" "$E2E_TMP/r3.txt"

# ---- db build: a root's library directory and a directory of packages ---------------
# (the .rpm files are no packages: each is read, declined and counted)
mkdir -p "$E2E_TMP/root/usr/lib64" "$E2E_TMP/rpms" || die "mkdir"
printf 'int f(void) { return 1; }\n' >"$E2E_TMP/f.c"
for i in 1 2 3; do
	shlib "$E2E_TMP/root/usr/lib64/libaoms-p$i.so.1" "libaoms-p$i.so.1" "$E2E_TMP/f.c" "" ||
		die "building libaoms-p$i.so.1"
	printf 'not a package\n' >"$E2E_TMP/rpms/p$i.rpm"
done
on_tty "$E2E_TMP/tty4.txt" "db build" db build --root "$E2E_TMP/root" --rpms "$E2E_TMP/rpms" \
	-o "$E2E_TMP/t1.db"
expect_contains "$E2E_TMP/tty4.txt" "aoms db build: libraries: 3/3 files"
expect_contains "$E2E_TMP/tty4.txt" "aoms db build: packages: 3/3 packages"
expect_contains "$E2E_TMP/tty4.txt" "recorded 3 libraries"
on_tty "$E2E_TMP/tty5.txt" "db build -q" db build -q --root "$E2E_TMP/root" --rpms "$E2E_TMP/rpms" \
	-o "$E2E_TMP/t2.db"
expect_not_contains "$E2E_TMP/tty5.txt" "libraries:"
expect_not_contains "$E2E_TMP/tty5.txt" "recorded"
run_aoms db build --root "$E2E_TMP/root" --rpms "$E2E_TMP/rpms" -o "$E2E_TMP/t3.db"
expect_status 0 "db build without a terminal"
expect_not_contains "$ERR" "libraries:"
expect_contains "$ERR" "recorded 3 libraries"
e2e_finish
