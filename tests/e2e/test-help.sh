#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# aoms help [COMMAND], scan --help from its option table (every option with its help
# and default), db --help listing its commands, errors prefixed with the command.
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
expect_contains "$OUT" "exit status (bits)"
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
e2e_finish
