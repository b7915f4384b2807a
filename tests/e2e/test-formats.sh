#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The report formats beyond json/text (issue 13, item 1), checked with real
# validators: --format leapp against Leapp's report schema 1.2.0 and --format sarif
# against SARIF 2.1.0 (python3-jsonschema), --format junit against junit.xsd (xmllint
# --schema); the schemas are tests/fixtures/formats/ (provenance in its README).
# --format html is one self-contained page (nothing fetched); tests/e2e/test-html-browser.sh
# opens it in a browser. All four are reproducible with --run-id and SOURCE_DATE_EPOCH,
# and the default JSON does not change with the run.
. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd gcc xmllint python3
python3 -c 'import jsonschema' 2>/dev/null || skip "python3-jsonschema not installed"

T=$E2E_TMP
SCHEMAS=$FIXTURES/formats
mkdir -p "$T/tree"
printf '#include <pthread.h>\nstatic void *f(void *a) { return a; }\nint main(void) { pthread_t t; pthread_create(&t, 0, f, 0); return pthread_join(t, 0); }\n' >"$T/app.c"
build_cc "$T/tree/app" "$T/app.c" -pthread || die "cannot build app"
needs_new_glibc "$T/tree/app" || skip "the host glibc is older than 2.34: app would be compatible"
build_user_lib "$T/tree/libuser.so.1" || die "cannot build libuser.so.1"
printf 'int ok(void) { return 1; }\n' >"$T/ok.c"
build_cc "$T/tree/we<i>rd & \"q\" 'name'.so" -shared -fPIC -nostdlib "$T/ok.c" || die "cannot build the odd name"

validate() {   # validate SCHEMA DOC
	python3 - "$1" "$2" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2], encoding="utf-8"))
cls = jsonschema.validators.validator_for(schema)
errs = sorted(cls(schema, format_checker=cls.FORMAT_CHECKER).iter_errors(doc), key=str)
for e in errs[:5]:
    print("%s: %s" % ("/".join(map(str, e.absolute_path)), e.message[:300]), file=sys.stderr)
sys.exit(1 if errs else 0)
PY
}

export SOURCE_DATE_EPOCH=1700000000
run_aoms scan --format json -o "$T/report.json" "$T/tree"
expect_status 12 "json"
for fmt in leapp sarif junit html; do
	run_aoms scan --run-id 6a1b2c3d-0000-4000-8000-000000000001 --format "$fmt" -o "$T/r1.$fmt" "$T/tree"
	expect_status 12 "$fmt"
	run_aoms scan --run-id 6a1b2c3d-0000-4000-8000-000000000001 --format "$fmt" --jobs 3 "$T/tree"
	cp "$OUT" "$T/r2.$fmt"
	expect_same_bytes "$T/r1.$fmt" "$T/r2.$fmt" "$fmt twice, with -o and on stdout, --jobs 1 and 3"
done

# ---- leapp ---------------------------------------------------------------------
check "leapp validates against Leapp's report schema 1.2.0" \
	validate "$SCHEMAS/leapp-report-schema-v120.json" "$T/r1.leapp"
expect_json "$T/r1.leapp" 'd["leapp_run_id"] == "6a1b2c3d-0000-4000-8000-000000000001"'
expect_json "$T/r1.leapp" 'all(re.fullmatch("[0-9a-f]{40}", e["key"]) for e in d["entries"])' "40-hex keys"
expect_json "$T/r1.leapp" 'all(re.fullmatch("[0-9a-f]{64}", e["id"]) for e in d["entries"])' "64-hex ids"
expect_json "$T/r1.leapp" 'len({e["id"] for e in d["entries"]}) == len(d["entries"])' "unique ids"
expect_json "$T/r1.leapp" 'all(e["timeStamp"] == "2023-11-14T22:13:20.000000Z" for e in d["entries"])'
expect_json "$T/r1.leapp" 'any(e["actor"] == "aoms_elf_scanner" and "inhibitor" in e["groups"] for e in d["entries"])'
expect_json "$T/r1.leapp" 'any(x["url"].startswith("https://") for e in d["entries"] for x in e["detail"].get("external", []))' \
	"detail.external links from the rule catalogue"
# keys follow the aoms key: the same set of entries, in the same order
python3 - "$T/report.json" "$T/r1.leapp" <<'PY' || fail "leapp entries do not mirror the JSON entries"
import hashlib, json, sys
j = json.load(open(sys.argv[1])); l = json.load(open(sys.argv[2]))
assert [e["key"] for e in j["entries"]] == [e["aoms_key"] for e in l["entries"]]
assert all(e["key"] == hashlib.sha1(("aoms-key:" + e["aoms_key"]).encode()).hexdigest() for e in l["entries"])
PY
# another run id: the same keys, other ids
run_aoms scan --run-id other --format leapp "$T/tree"
python3 - "$T/r1.leapp" "$OUT" <<'PY' || fail "keys must not depend on the run, ids must"
import json, sys
a = json.load(open(sys.argv[1]))["entries"]; b = json.load(open(sys.argv[2]))["entries"]
assert [e["key"] for e in a] == [e["key"] for e in b]
assert all(x["id"] != y["id"] for x, y in zip(a, b))
PY

# ---- sarif ---------------------------------------------------------------------
check "sarif validates against SARIF 2.1.0" validate "$SCHEMAS/sarif-schema-2.1.0.json" "$T/r1.sarif"
python3 - "$T/report.json" "$T/r1.sarif" <<'PY' || fail "sarif results do not mirror the JSON entries"
import json, sys
j = json.load(open(sys.argv[1])); s = json.load(open(sys.argv[2]))
run = s["runs"][0]; rules = run["tool"]["driver"]["rules"]; res = run["results"]
assert [e["key"] for e in j["entries"]] == [r["partialFingerprints"]["aomsKey/v1"] for r in res]
assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in res)
assert [r["id"] for r in rules] == sorted({e["rule"] for e in j["entries"]})
assert all(r["help"]["text"] and r["fullDescription"]["text"] for r in rules)
assert any(r["level"] == "error" for r in res)
uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in res]
assert all(" " not in u and "<" not in u for u in uris), uris
PY

# ---- junit ---------------------------------------------------------------------
check "junit validates against junit.xsd" xmllint --noout --schema "$SCHEMAS/junit.xsd" "$T/r1.junit"
python3 - "$T/report.json" "$T/r1.junit" <<'PY' || fail "junit: a testcase per file, a failure per failing file"
import json, sys, xml.etree.ElementTree as ET
j = json.load(open(sys.argv[1])); x = ET.parse(sys.argv[2]).getroot()
suite = x.find("testsuite"); cases = suite.findall("testcase")
assert sorted(c.get("name") for c in cases) == sorted(f["path"] for f in j["files"]), [c.get("name") for c in cases]
failing = {e["subject"]["path"] for e in j["entries"] if e["inhibitor"] or e["severity"] in ("medium", "high")}
assert {c.get("name") for c in cases if c.find("failure") is not None} == failing
assert int(suite.get("failures")) == len(failing) and int(suite.get("tests")) == len(cases)
app = [c for c in cases if c.get("name") == "app"][0].find("failure")
assert app.get("type") == "elf.version-node-missing" and "[high, inhibitor]" in app.text
PY
run_aoms scan --fail-on never --format junit "$T/tree"
check "junit --fail-on never: no failure" python3 -c '
import sys, xml.etree.ElementTree as ET
s = ET.parse(sys.argv[1]).getroot().find("testsuite"); assert s.get("failures") == "0"' "$OUT"

# ---- html ----------------------------------------------------------------------
H=$T/r1.html
expect_contains "$H" "<!DOCTYPE html>"
check "html fetches nothing (no src=, <link, url(, @import)" \
	bash -c '! grep -qiE "src=|<link|url\(|@import" "$1"' _ "$H"
check "html has an inline SVG chart" grep -q "<svg " "$H"
check "html escapes the odd file name" grep -qF 'we&lt;i&gt;rd &amp; &quot;q&quot; &#39;name&#39;.so' "$H"
check "html never has the raw odd name" bash -c '! grep -qF "we<i>rd" "$1"' _ "$H"
check "html has a section per file, evidence and remediation" \
	bash -c 'grep -q "<section id=\"file-" "$1" && grep -q "<dt>version</dt>" "$1" && grep -q "Remediation: " "$1"' _ "$H"
check "html data parses" python3 -c '
import json, re, sys
s = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"<script type=\"application/json\" id=\"aoms-data\">(.*?)</script>", s, re.S)
d = json.loads(m.group(1)); assert len(d["findings"]) >= 2' "$H"

# ---- the default JSON does not carry the run --------------------------------------
run_aoms scan --run-id 6a1b2c3d-0000-4000-8000-000000000001 --format json "$T/tree"
expect_same_bytes "$OUT" "$T/report.json" "json with and without --run-id"
expect_not_contains "$OUT" "6a1b2c3d"
SOURCE_DATE_EPOCH=1 run_aoms scan --format json "$T/tree"
expect_same_bytes "$OUT" "$T/report.json" "json at another SOURCE_DATE_EPOCH"

# ---- bad input -------------------------------------------------------------------
run_aoms scan --format yaml "$T/tree"
expect_status 2 "an unknown format"
expect_contains "$ERR" "unknown format 'yaml'"
SOURCE_DATE_EPOCH=yesterday run_aoms scan --format leapp "$T/tree"
expect_status 2 "a bad SOURCE_DATE_EPOCH"
for fmt in leapp sarif junit html; do
	run_aoms scan --format "$fmt" -o "$T/no/such/dir/out.$fmt" "$T/tree"
	expect_status_bits 1
	expect_eq "$(wc -l <"$ERR")" 1 "one line of error for $fmt"
	check "no $fmt file left" test ! -e "$T/no/such/dir/out.$fmt"
done

e2e_finish
