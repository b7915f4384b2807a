#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# A small deterministic fuzz loop: damaged copies of a real program and of a real
# shared library (header fields, program and section header fields, dynamic entries,
# random bytes, truncations; tests/fixtures/elfpatch.py "mutants", fixed seed) in one
# tree. aoms must neither crash nor hang, must give a valid report, and must give
# the same bytes twice. On a crash, each file is scanned alone to name the culprits.
# AOMS_FUZZ_N (default 300 a kind) and AOMS_FUZZ_SEED (default 1) vary the run.

. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd gcc
AOMS_E2E_TIMEOUT=${AOMS_E2E_TIMEOUT:-300}

T=$E2E_TMP
N=${AOMS_FUZZ_N:-300}
SEED=${AOMS_FUZZ_SEED:-1}
mkdir -p "$T/base" || die "mkdir"
build_app_unknown "$T/base/app" || die "building the program"
shlib "$T/base/libfoo.so.1" libfoo.so.1 "$FIXTURES/elf-versions/foo.c" \
	"$FIXTURES/elf-versions/foo-v0.map" || die "building the library"
elfpatch mutants "$T/base/app" "$T/fuzz/app" "$N" "$SEED" || die "making mutants"
elfpatch mutants "$T/base/libfoo.so.1" "$T/fuzz/lib" "$N" "$((SEED + 1))" || die "making mutants"

run_aoms scan --format json "$T/fuzz"
expect_status_bits 0 2
J=$OUT
if [ "$STATUS" -ge 16 ] || [ "$STATUS" -eq 86 ] || [ "$STATUS" -eq 87 ]; then
	e2e_log "looking for the files that crash aoms"
	n=0
	for f in "$T"/fuzz/*/mutant-*; do
		run_aoms scan --format json "$f"
		if [ "$STATUS" -ge 16 ]; then
			mkdir -p "$T/crashers" && cp "$f" "$T/crashers/$(basename "$(dirname "$f")")-$(basename "$f")"
			n=$((n + 1))
			[ "$n" -ge 5 ] && break
		fi
	done
	e2e_log "crashers copied to $T/crashers (set AOMS_E2E_KEEP=1 to keep them)"
	e2e_finish
fi
expect_json_valid "$J" || e2e_finish
expect_report_shape "$J" "$STATUS"
check "every error names a file of the tree" \
	_e2e_py assert "$J" "all(e['subject'].find('mutant-') >= 0 for e in d['errors'])"

run_aoms scan --format json --jobs 3 "$T/fuzz"
expect_same_bytes "$J" "$OUT" "fuzz tree: two runs differ"

e2e_finish
