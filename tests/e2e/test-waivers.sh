#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# --waivers FILE (issue 13, item 2): waived findings are marked in every format (json
# entry.waiver, text "[waived: ...]", SARIF suppressions, leapp summary note, junit not a
# failure, html marked) and leave the exit status; an expired waiver is ignored with a
# note on stderr and run.waivers_expired; bad waiver files are one line, exit 2, before
# the scan. Today is $SOURCE_DATE_EPOCH's date.
. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd gcc

T=$E2E_TMP
mkdir -p "$T/tree"
printf '#include <pthread.h>\nstatic void *f(void *a) { return a; }\nint main(void) { pthread_t t; pthread_create(&t, 0, f, 0); return pthread_join(t, 0); }\n' >"$T/app.c"
build_cc "$T/tree/app" "$T/app.c" -pthread || die "cannot build app"
needs_new_glibc "$T/tree/app" || skip "the host glibc is older than 2.34"
export SOURCE_DATE_EPOCH=1700000000   # 2023-11-14

run_aoms scan --format json -o "$T/r.json" "$T/tree"
expect_status 12 "unwaived"
keys=$(json_eval "$T/r.json" '" ".join(e["key"] for e in d["entries"])')
[ -n "$keys" ] || die "no findings to waive"
python3 - "$T/r.json" "$T/w.json" "$T/old.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ws = [{"key": e["key"], "reason": "vendor rebuild due", "owner": "app-team",
       "expires": "2023-11-14"} for e in d["entries"]]
json.dump({"waivers": ws}, open(sys.argv[2], "w"))
for w in ws:
    w["expires"] = "2023-11-13"
json.dump({"waivers": ws}, open(sys.argv[3], "w"))
PY

run_aoms scan --waivers "$T/w.json" --format json -o "$T/w-r.json" "$T/tree"
expect_status 0 "every finding waived"
expect_json "$T/w-r.json" 'd["entries"] and all(e["waiver"] == {"reason": "vendor rebuild due", "owner": "app-team", "expires": "2023-11-14"} for e in d["entries"])'
expect_json "$T/w-r.json" 'd["schema_version"] == "1.6" and d["summary"]["exit_status"] == 0 and "waivers_expired" not in d["run"]'
# --baseline reads a waived report back
run_aoms scan --baseline "$T/w-r.json" "$T/tree"
expect_status 0 "a waived report is a baseline"

run_aoms scan --waivers "$T/w.json" "$T/tree"
expect_contains "$OUT" "[waived: vendor rebuild due]"
expect_contains "$OUT" "waived by app-team until 2023-11-14"
run_aoms scan --waivers "$T/w.json" --format sarif "$T/tree"
expect_json "$OUT" 'all(r["suppressions"] == [{"kind": "external", "status": "accepted", "justification": "vendor rebuild due", "properties": {"owner": "app-team", "expires": "2023-11-14"}}] for r in d["runs"][0]["results"])'
run_aoms scan --waivers "$T/w.json" --format leapp "$T/tree"
expect_json "$OUT" 'all("Waived: vendor rebuild due (owner: app-team) (until 2023-11-14)" in e["summary"] and "inhibitor" not in e["groups"] for e in d["entries"])'
run_aoms scan --waivers "$T/w.json" --format junit "$T/tree"
expect_status 0 "junit"
expect_not_contains "$OUT" "<failure"
run_aoms scan --waivers "$T/w.json" --format html "$T/tree"
expect_contains "$OUT" 'class="badge waived-badge">waived</span>'
expect_contains "$OUT" '"waived":true'

if python3 -c 'import jsonschema' 2>/dev/null; then
	run_aoms scan --waivers "$T/w.json" --format sarif -o "$T/w.sarif" "$T/tree"
	check "waived sarif validates against SARIF 2.1.0" python3 - "$FIXTURES/formats/sarif-schema-2.1.0.json" "$T/w.sarif" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
cls = jsonschema.validators.validator_for(schema)
errs = list(cls(schema).iter_errors(json.load(open(sys.argv[2]))))
sys.exit(1 if errs else 0)
PY
fi

# ---- expired: ignored, noted on stderr and in run.waivers_expired -------------------
run_aoms scan --waivers "$T/old.json" --format json "$T/tree"
expect_status 12 "expired waivers do not waive"
expect_contains "$ERR" "aoms scan: warning: the waiver for ${keys%% *} expired on 2023-11-13; ignored"
expect_json "$OUT" 'all("waiver" not in e for e in d["entries"]) and d["run"]["waivers_expired"]'
run_aoms scan -q --waivers "$T/old.json" "$T/tree"
expect_empty_file "$ERR" "-q: no note"

# ---- bad waiver files: one line, exit 2, before the scan ----------------------------
printf '{"waivers": [' >"$T/trunc.json"
printf '{"waivers": [{"key": "0123456789abcdef", "reason": "a"}, {"key": "0123456789abcdef", "reason": "b"}]}' >"$T/dup.json"
printf '{"waivers": [{"key": "%s", "reason": "a"}]}' "$(printf 'a%.0s' $(seq 40))" >"$T/leappkey.json"
printf '{"waivers": [{"key": "0123456789abcdef", "reason": "a", "expires": "2023-02-30"}]}' >"$T/date.json"
for bad in trunc.json dup.json leappkey.json date.json; do
	run_aoms scan --waivers "$T/$bad" "$T/does-not-exist"
	expect_status 2 "waivers $bad"
	expect_eq "$(wc -l <"$ERR")" 1 "one line of error for $bad"
	expect_contains "$ERR" "--waivers '$T/$bad': "
	expect_empty_file "$OUT" "stdout with waivers $bad"
done
run_aoms scan --waivers "$T/none.json" "$T/tree"
expect_status 1 "a missing waivers file"
e2e_finish
