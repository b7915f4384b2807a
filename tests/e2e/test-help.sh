#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# aoms help [COMMAND], scan --help from its option table (every option with its help
# and default), db --help listing its commands, errors prefixed with the command.
# Every command of the command table answers --help (options, examples, exit status),
# getopt accepts every option its help lists, and no command parses options with a
# table of its own (tools/tool-opts.h is the only source of getopt's arrays).
. "$(dirname "$0")/lib.sh"
e2e_init

run_aoms help
expect_status 0 "aoms help"
expect_contains "$OUT" "commands:"
run_aoms help scan
expect_status 0 "aoms help scan"
for o in db format output jobs fail-on allow-empty arch run-id baseline waivers min-severity exclude summary quiet kernel help; do
	expect_contains "$OUT" "--$o"
done
expect_contains "$OUT" "(default: medium)"
expect_contains "$OUT" "exit status:"
expect_contains "$OUT" "bits: 0 nothing to report"
expect_contains "$OUT" "examples:"
run_aoms db --help
expect_status 0 "aoms db --help"
expect_contains "$OUT" "  build "
run_aoms help db
expect_status 0 "aoms help db"
run_aoms help nope
expect_status 2 "aoms help nope"
run_aoms scan --format nope /nonexistent
expect_status 2 "unknown format"
expect_contains "$ERR" "aoms scan: unknown format 'nope'"
run_aoms db build
expect_status 2 "db build without arguments"
expect_contains "$ERR" "aoms db build: "

# the commands: aoms help's table, and db's
commands() {
	sed -n '/^commands:/,/^$/{s/^  \([a-z][a-z-]*\) .*/\1/p}'
}
run_aoms help
top=$(commands <"$OUT")
run_aoms db --help
subs=$(commands <"$OUT")
[ -n "$top" ] && [ -n "$subs" ] || fail "no command table in aoms help / aoms db --help"
cmds=""
for c in $top; do
	if [ "$c" = db ]; then
		for s in $subs; do cmds="$cmds db:$s"; done
	else
		cmds="$cmds $c"
	fi
done
for c in $cmds; do
	read -ra words <<<"${c/:/ }"
	run_aoms "${words[@]}" --help
	expect_status 0 "aoms ${words[*]} --help"
	for section in "usage: aoms ${words[*]}" "options:" "examples:" "exit status:" "--help"; do
		expect_contains "$OUT" "$section"
	done
	# each option the help lists: getopt takes it (an argument when it names one),
	# and --help after it still answers
	opts=$(sed -n 's/^  \(-[A-Za-z], \)\{0,1\}--\([a-z][a-z-]*\)\( [^ ].*\)\{0,1\}$/\2:\3/p' "$OUT")
	[ -n "$opts" ] || fail "aoms ${words[*]} --help lists no option"
	names=$(printf '%s\n' "$opts" | sed 's/:.*//')
	while IFS=: read -r name arg; do
		[ "$name" = help ] && continue
		if [ -n "$arg" ]; then
			run_aoms "${words[@]}" "--$name" x --help
		else
			run_aoms "${words[@]}" "--$name" --help
		fi
		# a value the command refuses ("x" for --jobs) is fine: getopt took it
		[ "$STATUS" = 0 ] || expect_status 2 "aoms ${words[*]} --$name x"
		expect_not_contains "$ERR" "unrecognized option"
		expect_not_contains "$ERR" "requires an argument"
		expect_not_contains "$ERR" "doesn't allow an argument"
	done <<<"$opts"
	run_aoms "${words[@]}" --no-such-option
	expect_status 2 "aoms ${words[*]} --no-such-option"
	# the man page of the same table names the same options
	page=$(printf '%s' "${words[*]}" | tr ' ' '-')
	run_aoms --dump-man "$page"
	expect_status 0 "aoms --dump-man $page"
	for name in $names; do
		expect_contains "$OUT" "\\-\\-$(printf '%s' "$name" | sed 's/-/\\-/g')\\fR"
	done
done

# getopt's arrays come from the option tables only: no struct option table or
# literal short-option string in a command
bypass=$(grep -nE 'struct option [a-z_]+\[|getopt_long\([^,]+,[^,]+, *"' "$AOMS_SRC"/tools/*.c)
[ -z "$bypass" ] || fail "options parsed outside tools/tool-opts.h's tables: $bypass"
e2e_finish
