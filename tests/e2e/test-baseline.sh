#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# --baseline REPORT, --min-severity and -q (issue 13, item 2): a baseline run on an
# unchanged tree reports nothing new and exits 0; adding one incompatible binary
# reports exactly its findings; a bad baseline is a one-line usage error before any
# scan; --min-severity drops what is below it (inhibitors stay); -q prints no report.
. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd gcc

T=$E2E_TMP
mkdir -p "$T/tree"
build_user_lib "$T/tree/libuser.so.1" || die "cannot build libuser.so.1"
printf '#include <pthread.h>\nstatic void *f(void *a) { return a; }\nint main(void) { pthread_t t; pthread_create(&t, 0, f, 0); return pthread_join(t, 0); }\n' >"$T/app.c"
build_cc "$T/app" "$T/app.c" -pthread || die "cannot build app"
needs_new_glibc "$T/app" || skip "the host glibc is older than 2.34"

run_aoms scan --format json -o "$T/base.json" "$T/tree"
expect_status 4 "the baseline run: one medium finding"
run_aoms scan --baseline "$T/base.json" --format json "$T/tree"
expect_status 0 "an unchanged tree against its baseline"
expect_json "$OUT" 'd["entries"] == [] and d["summary"]["findings"] == 0'

cp "$T/app" "$T/tree/app"
run_aoms scan --format json "$T/tree"
want=$(json_eval "$OUT" '[e["key"] for e in d["entries"] if e["subject"]["path"] == "app"]')
run_aoms scan --baseline "$T/base.json" --format json "$T/tree"
expect_status 12 "one new incompatible binary"
expect_eq "$(json_eval "$OUT" '[e["key"] for e in d["entries"]]')" "$want" "only the new binary's findings"
expect_json "$OUT" 'all(e["subject"]["path"] == "app" for e in d["entries"]) and len(d["entries"]) >= 1'

# ---- bad baselines: one line, exit 2 (not a report) or 1 (unreadable) -------------
printf '{' >"$T/trunc.json"
printf '{"schema_version": "9.0", "entries": []}' >"$T/v9.json"
for bad in trunc.json v9.json; do
	run_aoms scan --baseline "$T/$bad" "$T/tree"
	expect_status 2 "baseline $bad"
	expect_eq "$(wc -l <"$ERR")" 1 "one line of error for $bad"
	expect_contains "$ERR" "--baseline '$T/$bad' is not an aoms JSON report"
	expect_empty_file "$OUT" "stdout with baseline $bad"
done
run_aoms scan --baseline "$T/none.json" "$T/tree"
expect_status 1 "a missing baseline"
expect_eq "$(wc -l <"$ERR")" 1 "one line of error for a missing baseline"

# ---- --min-severity, -q ---------------------------------------------------------------
run_aoms scan --min-severity high --format json "$T/tree"
expect_json "$OUT" 'd["entries"] and all(e["severity"] == "high" or e["inhibitor"] for e in d["entries"])'
run_aoms scan --min-severity hgh "$T/tree"
expect_status 2 "an unknown --min-severity"
run_aoms scan -q "$T/tree"
expect_status 12 "-q keeps the exit status"
expect_empty_file "$OUT" "stdout with -q"
run_aoms scan --quiet --format json -o "$T/q.json" "$T/tree"
expect_nonempty_file "$T/q.json" "-q -o still writes the report"
e2e_finish
