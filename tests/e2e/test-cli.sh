#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The CLI contract (notes/contracts.md "CLI"): exit status bits 1 runtime error,
# 2 usage, 4 findings at or above --fail-on, 8 inhibitor; results on stdout,
# diagnostics on stderr; -o writes the report to a file.

. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd gcc

T=$E2E_TMP
mkdir -p "$T/tree" "$T/medium" || die "mkdir"
# medium/: one elf.needed-unknown (medium) finding with the default DB, on any host.
build_user_lib "$T/medium/libaoms-e2e-user.so.1" || die "building libaoms-e2e-user"
# tree/hello: on a glibc >= 2.34 host it needs GLIBC_2.34, an inhibitor.
build_cc "$T/tree/hello" "$FIXTURES/common/hello.c" || die "building hello"
INHIBIT=
needs_new_glibc "$T/tree/hello" && INHIBIT=yes
[ -n "$INHIBIT" ] || e2e_log "NOTE: host glibc <= 2.28: skipping the inhibitor cases"
MISSING=$T/does-not-exist

# usage CASE ARGS...: a usage error: status 2, nothing on stdout, a message on stderr.
usage() {
	local what=$1
	shift
	run_aoms "$@"
	expect_status 2 "$what"
	expect_empty_file "$OUT" "stdout of '$E2E_LAST_CMD'"
	expect_nonempty_file "$ERR" "stderr of '$E2E_LAST_CMD'"
}

# ---- usage errors ---------------------------------------------------------------------
usage "no arguments"
usage "unknown command" frobnicate
expect_contains "$ERR" frobnicate "stderr of an unknown command"
usage "unknown option" --no-such-option scan "$T/tree"
usage "scan without a path" scan
usage "unknown format" scan --format bogus "$T/tree"
usage "unknown --fail-on" scan --fail-on bogus "$T/tree"
usage "unknown scan option" scan --no-such-option "$T/tree"
usage "--jobs not a number" scan --jobs abc "$T/tree"
usage "--jobs negative" scan --jobs -1 "$T/tree"
usage "--format without a value" scan --format
usage "db without a subcommand" db
usage "unknown db subcommand" db frobnicate
usage "db build without --root" db build -o "$T/x.db"

# ---- help and version -----------------------------------------------------------------
run_aoms --help
expect_status 0 "--help"
expect_contains "$OUT" scan "--help output"
run_aoms --version
expect_status 0 "--version"
expect_contains "$OUT" 0.1.0 "--version output"

# ---- runtime errors -----------------------------------------------------------------
# one_line_error PATH: exactly one stderr line, and it names PATH.
one_line_error() {
	local n
	n=$(grep -cF -- "$1" "$ERR")
	check "stderr has one line naming '$1'" [ "$n" -eq 1 ] || show "$ERR"
	check "stderr is one line" [ "$(wc -l <"$ERR")" -eq 1 ] || show "$ERR"
}

# A missing path judges nothing: bit 16 too, and a second line says so.
run_aoms scan "$MISSING"
expect_status 17 "runtime error | nothing judged"
expect_contains "$ERR" "aoms scan: no file was judged (no file seen); use --allow-empty to accept" \
	"stderr says nothing was judged"
run_aoms scan --allow-empty "$MISSING"
expect_status 1 "runtime error, --allow-empty"
one_line_error "$MISSING"

run_aoms scan --format json "$MISSING"
expect_status_bits 1 2
expect_json_valid "$OUT" "the report of a missing path"
expect_report_shape "$OUT" "$STATUS"
expect_json "$OUT" "any(e['subject'] == '$MISSING' for e in d['errors'])" \
	"errors names the missing path"
expect_json "$OUT" "[e['errno'] for e in d['errors']] == [2] and d['errors'][0].get('error') == 'ENOENT'" \
	"the error is ENOENT"

# A missing path does not stop the others: partial results, bits 1 | 4.
run_aoms scan --format json "$MISSING" "$T/medium"
expect_status 5 "runtime error | findings"
expect_json_valid "$OUT"
expect_report_shape "$OUT" 5
expect_finding "$OUT" libaoms-e2e-user.so.1 elf.needed-unknown

run_aoms db info --db "$MISSING.db"
expect_status_bits 1 2
one_line_error "$MISSING.db"

run_aoms scan --format json -o "$MISSING/report.json" "$T/medium"
expect_status_bits 1 2
check "stderr names the unwritable -o path" grep -qF "$MISSING/report.json" "$ERR" || show "$ERR"

# ---- -o -------------------------------------------------------------------------------
run_aoms scan --format json "$T/medium"
expect_status 4 "a medium finding"
STDOUT_REPORT=$OUT
run_aoms scan --format json -o "$T/report.json" "$T/medium"
expect_status 4 "-o FILE"
expect_empty_file "$OUT" "stdout with -o"
expect_json_valid "$T/report.json" "the -o file"
expect_same_bytes "$STDOUT_REPORT" "$T/report.json" "-o FILE and stdout differ"
run_aoms scan -o "$T/report.txt" "$T/medium"
expect_status 4 "-o FILE, text"
expect_empty_file "$OUT" "stdout with -o (text)"
expect_nonempty_file "$T/report.txt" "the -o file (text)"

# ---- --fail-on ----------------------------------------------------------------------
# fail_on_rows DIR: rows of threshold and expected status on stdin.
fail_on_rows() {
	local dir=$1 level want
	while read -r level want; do
		run_aoms scan --format json --fail-on "$level" "$dir"
		expect_status "$want" "--fail-on $level on $(basename "$dir")/"
		expect_json "$OUT" "d['summary']['exit_status'] == $want" \
			"summary.exit_status with --fail-on $level"
	done
}
# A medium finding only.
fail_on_rows "$T/medium" <<'ROWS'
info 4
low 4
medium 4
high 0
inhibitor 0
never 0
ROWS
# An inhibitor (high) finding only.
if [ -n "$INHIBIT" ]; then
	fail_on_rows "$T/tree" <<'ROWS'
info 12
low 12
medium 12
high 12
inhibitor 8
never 0
ROWS
fi

# A database that cannot be opened: status 1, and --format json still gives a
# document, with the error in it.
run_aoms scan --db "$MISSING.db" --format json "$AOMS_SRC/tests/fixtures"
expect_status 1
expect_report_shape "$OUT" 1
expect_json "$OUT" 'len(d["errors"]) == 1 and "database" in d["errors"][0]["message"]' "the database error is in the JSON document"

e2e_finish
