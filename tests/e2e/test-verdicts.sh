#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# A verdict per file (files[] of the JSON report, the text report's leading lines) and
# the exit status for pipelines (--fail-on medium by default, bit 16 when nothing was
# judged, --allow-empty), with the embedded default database.
#
#   mix/libaoms-e2e-ok.so.1   -nostdlib, needs nothing                 compatible
#   mix/app                   hello.c with this host's gcc: Debian 12  incompatible,
#                             links __libc_start_main@GLIBC_2.34        needs.glibc 2.34
#   mix/unknown               -nostdlib, needs libaoms-e2e-unknown.so.1 unknown
#                             (not in the tree, unknown to the database)
#   offpath/prog + lib/       needs a bundled library off the loader's path: one low finding
#   empty/, text/             nothing judged: exit 16 unless --allow-empty

. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd gcc readelf

F=$FIXTURES/verdicts
T=$E2E_TMP
mkdir -p "$T/mix" "$T/build" "$T/offpath/lib" "$T/empty" "$T/text" || die "mkdir"

shlib "$T/mix/libaoms-e2e-ok.so.1" libaoms-e2e-ok.so.1 "$FIXTURES/elf-rules/plain.c" "" -nostdlib ||
	die "building the compatible library"
build_cc "$T/mix/app" "$FIXTURES/common/hello.c" || die "building app"
shlib "$T/build/libaoms-e2e-unknown.so.1" libaoms-e2e-unknown.so.1 "$F/dep.c" "" -nostdlib ||
	die "building the unknown library"
build_cc "$T/mix/unknown" -nostdlib "$F/nolibc-main.c" "$T/build/libaoms-e2e-unknown.so.1" ||
	die "building unknown"
shlib "$T/offpath/lib/libaoms-e2e-offpath.so.1" libaoms-e2e-offpath.so.1 "$F/dep.c" "" -nostdlib ||
	die "building the off-path library"
build_cc "$T/offpath/prog" -nostdlib "$F/nolibc-main.c" "$T/offpath/lib/libaoms-e2e-offpath.so.1" ||
	die "building prog"

# The host's gcc decides whether app needs GLIBC_2.34 (glibc >= 2.34 moved
# __libc_start_main there); older hosts cannot make the incompatible program.
if readelf -VW "$T/mix/app" | grep -q 'GLIBC_2\.34'; then
	NEW_GLIBC=1
else
	NEW_GLIBC=
	e2e_log "NOTE: this gcc does not link GLIBC_2.34; app is compatible here"
fi

# ---- files[]: one verdict per judged file ---------------------------------------------
run_aoms scan --format json --jobs 1 "$T/mix"
J=$OUT
expect_json_valid "$J"
expect_report_shape "$J" "$STATUS"
expect_json "$J" '[f["path"] for f in d["files"]] == ["app", "libaoms-e2e-ok.so.1", "unknown"]' \
	"files[] lists the three objects, sorted by path"
expect_json "$J" 'all(f["scanner"] == "elf" for f in d["files"])' "scanner elf"
expect_json "$J" '[f for f in d["files"] if f["path"] == "libaoms-e2e-ok.so.1"] == [{"path": "libaoms-e2e-ok.so.1", "scanner": "elf", "verdict": "compatible", "needs": {}, "lacks": []}]' \
	"the -nostdlib library is compatible and needs nothing"
expect_json "$J" '[f["verdict"] for f in d["files"] if f["path"] == "unknown"] == ["unknown"]' \
	"an unknown soname: verdict unknown"
expect_json "$J" '[f["lacks"] for f in d["files"] if f["path"] == "unknown"] == [["libaoms-e2e-unknown.so.1"]]' \
	"unknown: lacks names the soname"
expect_json "$J" '[f["needs"] for f in d["files"] if f["path"] == "unknown"] == [{}]' \
	"unknown: no glibc need (-nostdlib)"
if [ -n "$NEW_GLIBC" ]; then
	expect_status 12 "an inhibitor (app)"
	expect_json "$J" '[f["verdict"] for f in d["files"] if f["path"] == "app"] == ["incompatible"]' \
		"app: incompatible"
	expect_json "$J" '[f["needs"]["glibc"] for f in d["files"] if f["path"] == "app"] == ["2.34"]' \
		"app: needs.glibc is 2.34"
	expect_json "$J" '"GLIBC_2.34 (libc.so.6)" in [f for f in d["files"] if f["path"] == "app"][0]["lacks"]' \
		"app: lacks GLIBC_2.34 (libc.so.6)"
	expect_json "$J" 'd["run"].get("target_glibc") == "2.28" and d["run"].get("target_name") == "Anolis OS 8"' \
		"run names the target and its glibc"
fi

# --jobs N: the same bytes
run_aoms scan --format json --jobs 4 "$T/mix"
expect_same_bytes "$J" "$OUT" "--jobs 1 and --jobs 4 differ"

# ---- the text report leads with one line per file that is not compatible -----------
run_aoms scan --jobs 2 "$T/mix"
expect_contains "$OUT" "unknown: unknown — needs libaoms-e2e-unknown.so.1" "the unknown file's line"
if [ -n "$NEW_GLIBC" ]; then
	expect_contains "$OUT" "app: incompatible — needs glibc ≥ 2.34; Anolis OS 8 has 2.28" \
		"the incompatible program's line"
fi
expect_not_contains "$OUT" "libaoms-e2e-ok.so.1:" "no line for the compatible library"
check "the verdict lines come before the detail" \
	awk '/^Verdicts$/ { v = NR } /^Applications$/ { a = NR } END { exit !(v && a && v < a) }' "$OUT" ||
	show "$OUT" 30

# ---- --fail-on medium by default: a low finding alone passes -------------------------
run_aoms scan --format json "$T/offpath"
expect_status 0 "a low finding only (default --fail-on medium)"
expect_finding "$OUT" prog elf.needed-off-path .severity=low
expect_json "$OUT" 'd["summary"]["fail_on"] == "medium" and d["summary"]["exit_status"] == 0' \
	"summary: fail_on medium, exit_status 0"
expect_json "$OUT" '[(f["path"], f["verdict"]) for f in d["files"]] == [("lib/libaoms-e2e-offpath.so.1", "compatible"), ("prog", "compatible")]' \
	"a low finding leaves the file compatible"
run_aoms scan --format json --fail-on low "$T/offpath"
expect_status 4 "a low finding, --fail-on low"

# ---- nothing judged: exit 16 and a message, unless --allow-empty ---------------------
run_aoms scan "$T/empty"
expect_status 16 "an empty directory"
expect_contains "$ERR" "aoms scan: no file was judged (no file seen); use --allow-empty to accept"
run_aoms scan --allow-empty "$T/empty"
expect_status 0 "an empty directory, --allow-empty"
expect_empty_file "$ERR" "stderr with --allow-empty"

printf 'hello\n' >"$T/text/README" && printf '#!/bin/sh\necho hi\n' >"$T/text/run.sh" || die "text files"
run_aoms scan --format json "$T/text"
expect_status 16 "only text files"
expect_contains "$ERR" "aoms scan: no file was judged (2 files seen, all skipped); use --allow-empty to accept"
expect_report_shape "$OUT" 16
expect_json "$OUT" 'd["summary"]["exit_status"] == 16 and d["summary"]["allow_empty"] is False and d["files"] == []' \
	"summary.exit_status has bit 16; files[] is empty"
run_aoms scan --format json --allow-empty "$T/text"
expect_status 0 "only text files, --allow-empty"
expect_json "$OUT" 'd["summary"]["exit_status"] == 0 and d["summary"]["allow_empty"] is True' \
	"summary: allow_empty true, exit_status 0"
run_aoms scan --format json --fail-on never "$T/text"
expect_status 16 "--fail-on never does not hide bit 16"

e2e_finish
