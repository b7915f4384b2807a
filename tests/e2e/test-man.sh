#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The generated man pages (build/man, CMakeLists.txt): one per command of the command
# table and aoms.1, each rendered by man -l without a warning and with every section;
# the generated bash completion (build/completion/aoms): it loads, registers aoms, and
# completes commands, sub-commands, options and option values.
. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd man groff

MAN=$AOMS_BUILD/man
COMP=$AOMS_BUILD/completion/aoms
[ -f "$MAN/aoms.1" ] || die "no $MAN/aoms.1: build the aoms-docs target"

# the pages the command table asks for
commands() {
	sed -n '/^commands:/,/^$/{s/^  \([a-z][a-z-]*\) .*/\1/p}'
}
run_aoms help
want="aoms.1"
for c in $(commands <"$OUT"); do
	if [ "$c" = db ]; then
		run_aoms db --help
		for s in $(commands <"$OUT"); do want="$want aoms-db-$s.1"; done
	else
		want="$want aoms-$c.1"
	fi
done
have=$(cd "$MAN" && ls -- *.1 | sort | tr '\n' ' ')
want=$(printf '%s\n' $want | sort | tr '\n' ' ')
check "man pages: $have" test "$have" = "$want"

for page in "$MAN"/*.1; do
	name=$(basename "$page")
	LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" >"$E2E_TMP/$name.txt" 2>"$E2E_TMP/$name.err"
	check "man -l $name" test $? = 0
	check "man -l $name: no warning ($(head -c 300 "$E2E_TMP/$name.err"))" test ! -s "$E2E_TMP/$name.err"
	for section in NAME SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" FILES EXAMPLES; do
		expect_contains "$E2E_TMP/$name.txt" "$section"
	done
done
expect_contains "$E2E_TMP/aoms-scan.1.txt" "--fail-on SEVERITY"
expect_contains "$E2E_TMP/aoms-db-query.1.txt" "--kernel-symbol NAME"

# the completion
[ -f "$COMP" ] || die "no $COMP"
check "bash -n completion" bash -n "$COMP"
out=$(bash -c '. "$1" && complete -p aoms' _ "$COMP" 2>&1)
check "complete -p aoms: $out" test "$out" = "complete -o filenames -F _aoms aoms"
# complete WORDS...: what _aoms offers for the last word
complete_words() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _aoms; echo "${COMPREPLY[*]}"' \
		_ "$COMP" "$@"
}
check "aoms s<TAB>" test "$(complete_words aoms s)" = "scan"
check "aoms db <TAB>" test "$(complete_words aoms db '')" = "build import info query"
check "aoms db build --r<TAB>" test "$(complete_words aoms db build --r)" = "--root --rpms"
check "aoms scan --fail<TAB>" test "$(complete_words aoms scan --fail)" = "--fail-on"
check "aoms db info --format <TAB>" test "$(complete_words aoms db info --format '')" = "text json"
check "aoms --verbose pl<TAB>" test "$(complete_words aoms --verbose pl)" = "plan"
e2e_finish
