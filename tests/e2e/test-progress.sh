#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# aoms scan's progress line: on a terminal (script(1) gives it one) stderr shows the
# phases with files done of found; not with -q, and nothing when stderr is no terminal.
. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd script

mkdir -p "$E2E_TMP/tree"
for f in /bin/ls /bin/cat /bin/sh /usr/bin/env; do
	[ -f "$f" ] && cp "$f" "$E2E_TMP/tree/"
done
ls "$E2E_TMP/tree"/* >/dev/null 2>&1 || skip "no binary to copy"

# on a terminal
script -qec "'$AOMS' scan --fail-on never -o '$E2E_TMP/r1.txt' '$E2E_TMP/tree'" \
	"$E2E_TMP/tty1.txt" >/dev/null 2>&1
check "scan on a terminal exits 0" test $? = 0
expect_contains "$E2E_TMP/tty1.txt" "aoms scan: reading: "
expect_contains "$E2E_TMP/tty1.txt" "aoms scan: checking: "
expect_contains "$E2E_TMP/tty1.txt" " files"
# -q: none
script -qec "'$AOMS' scan -q --fail-on never -o '$E2E_TMP/r2.txt' '$E2E_TMP/tree'" \
	"$E2E_TMP/tty2.txt" >/dev/null 2>&1
check "scan -q on a terminal exits 0" test $? = 0
expect_not_contains "$E2E_TMP/tty2.txt" "reading:"
# not a terminal: none
run_aoms scan --fail-on never -o "$E2E_TMP/r3.txt" "$E2E_TMP/tree"
expect_status 0 "scan without a terminal"
expect_not_contains "$ERR" "reading:"
# the report is the same either way
check "same report on a terminal" cmp -s "$E2E_TMP/r1.txt" "$E2E_TMP/r3.txt"
e2e_finish
