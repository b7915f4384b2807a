#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Damaged and hostile RPMs (issue 7): one bad package is one rpm.malformed finding,
# never a lost scan or a half-built database. Packages are made at test time with
# rpmbuild from tests/fixtures/rpm/ and damaged with rpmmutate.py (one header byte):
#   bad-basenames.rpm  BASENAMES stored as I18NSTRING      (librpm crashed in rpmfiNext)
#   bad-dirnames.rpm   DIRNAMES stored as I18NSTRING
#   bad-classdict.rpm  a source RPM whose PAYLOADFLAGS is renumbered CLASSDICT
#   bad-digest.rpm     one byte of the header data flipped (SHA256 digest mismatch)
#   crash.rpm          a good package whose reader child is killed by SIGSEGV
#                      (AOMS_TEST_RPM_CHILD_ABORT, honoured only in the child)
# next to a good package and a good shared library. Also: hard-linked payload files
# are members under every name, and a 1 GiB (sparse) ELF member is read in bounded
# memory.

. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd gcc rpmbuild rpm python3

F=$FIXTURES/rpm
T=$E2E_TMP
D=$T/mixed
mkdir -p "$D" "$T/hard" "$T/big" || die "mkdir"

build() {   # build SPEC [-bb|-bs]
	local how=${2:--bb}
	rpmbuild "$how" --define "_topdir $T/top" --define "_sourcedir $F" \
		--define "_rpmdir $T/out" --define "_srcrpmdir $T/out" \
		--define '_build_name_fmt %%{NAME}.rpm' --define "_dbpath $T/db" \
		--define "_binary_payload w6.gzdio" \
		"$F/$1.spec" >"$T/$1$how.log" 2>&1 || { show "$T/$1$how.log"; die "rpmbuild $1"; }
}
mutate() { python3 "$F/rpmmutate.py" "$@" || die "rpmmutate $*"; }

build aomsfoo
build aomsfoo -bs
build aomshard
GOOD=$T/out/aomsfoo.rpm
SRPM=$(ls "$T"/out/aomsfoo-*.src.rpm)
cp "$GOOD" "$D/good.rpm" && cp "$GOOD" "$D/crash.rpm" || die "copying"
mutate "$GOOD" "$D/bad-basenames.rpm" settype BASENAMES 9
mutate "$GOOD" "$D/bad-dirnames.rpm" settype DIRNAMES 9
mutate "$SRPM" "$D/bad-classdict.rpm" retag PAYLOADFLAGS CLASSDICT
mutate "$GOOD" "$D/bad-digest.rpm" flip DESCRIPTION
printf 'int good(void) { return 1; }\n' >"$T/good.c"
shlib "$D/libgood.so.1" libgood.so.1 "$T/good.c" || die "building libgood"

# ---- scan: the good files are reported, one rpm.malformed per bad package ----------
export AOMS_TEST_RPM_CHILD_ABORT=crash.rpm
run_aoms scan --format json --jobs 4 "$D"
expect_status_bits 4 1
expect_report_shape "$OUT"
for bad in bad-basenames bad-dirnames bad-classdict bad-digest crash; do
	expect_rules "$OUT" "$bad.rpm" "rpm.malformed"
done
expect_finding "$OUT" bad-basenames.rpm rpm.malformed \
	reason="header tag BASENAMES has type I18NSTRING, expected STRING_ARRAY"
expect_finding "$OUT" bad-dirnames.rpm rpm.malformed \
	reason="header tag DIRNAMES has type I18NSTRING, expected STRING_ARRAY"
expect_finding "$OUT" bad-classdict.rpm rpm.malformed \
	reason="header tag CLASSDICT has type STRING, expected STRING_ARRAY"
expect_json "$OUT" 'any(e["rule"] == "rpm.malformed" and e["subject"]["path"] == "bad-digest.rpm"
	and "SHA256 digest: BAD" in json.dumps(e) for e in d["entries"])' "bad-digest.rpm: a digest reason"
expect_finding "$OUT" crash.rpm rpm.malformed reason="librpm crashed reading the package (signal 11)"
# aomsfoo requires a capability no package provides: with the default
# database (a minimal EL8 root, partial coverage) that is unknown, not malformed.
expect_rules "$OUT" good.rpm "rpm.requires-unknown"
expect_json "$OUT" 'd["summary"]["files"]["by_scanner"]["elf"] >= 2' \
	"libgood.so.1 and good.rpm's library are read"
expect_json "$OUT" 'len([e for e in d["entries"] if e["rule"] == "rpm.malformed"]) == 5' \
	"exactly five rpm.malformed"
# Item 4: paths relative to the input, in summaries and keys alike.
json_eval "$OUT" 'json.dumps(d["entries"])' >"$T/entries.json"
expect_not_contains "$T/entries.json" "$T" "findings name no absolute path"
cp "$OUT" "$T/scan-1.json"
run_aoms scan --format json --jobs 1 "$D"
expect_same_bytes "$T/scan-1.json" "$OUT" "--jobs 1 and --jobs 4"

# ---- db build --rpms: completes, says what it skipped ------------------------------
run_aoms db build --rpms "$D" -o "$T/mixed.db"
expect_status 1 "packages were skipped"
expect_contains "$ERR" "skipped 5 of 6 packages" "the count of skipped packages"
for bad in bad-basenames bad-dirnames bad-classdict bad-digest crash; do
	expect_contains "$ERR" "skipped RPM '$D/$bad.rpm'" "$bad.rpm is named"
done
run_aoms db query --db "$T/mixed.db" --format text --soname libaomsfoo.so.1
expect_status 0
expect_contains "$OUT" "aomsfoo" "the good package is recorded"
unset AOMS_TEST_RPM_CHILD_ABORT

# ---- hard links: a member under every name ------------------------------------------
cp "$T/out/aomshard.rpm" "$T/hard/" || die "copying aomshard"
run_aoms scan --format json "$T/hard"
expect_status_bits 0 1
for name in /usr/lib64/libaomshard.so.1 /opt/aomshard/lib/libaomshard.so.1; do
	expect_json "$OUT" "any(e['subject']['path'] == 'aomshard.rpm:$name' for e in d['entries'])" \
		"a finding for $name"
done

# ---- a 1 GiB ELF member: bounded memory ---------------------------------------------
if [ -n "${AOMS_SANITIZED:-}" ] || nm -an "$AOMS" 2>/dev/null | grep -q __asan_init; then
	skip_rss="ASan build (shadow memory distorts RSS)"
fi
if [ ! -x /usr/bin/time ]; then
	skip_rss="no /usr/bin/time"
fi
build aomsbig
cp "$T/out/aomsbig.rpm" "$T/big/" || die "copying aomsbig"
/usr/bin/time -v "$AOMS" scan --format json "$T/big" >"$T/big.json" 2>"$T/big.time"
STATUS=$?
expect_status_bits 0 1
expect_json "$T/big.json" 'd["summary"]["errors"] == 0' "the 1 GiB member is read"
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$T/big.time")
e2e_log "1 GiB ELF member: maximum RSS ${rss:-?} kB${skip_rss:+ (not asserted: $skip_rss)}"
if [ -z "${skip_rss:-}" ]; then
	check "maximum RSS ${rss:-?} kB < 200 MB" test "${rss:-999999999}" -lt 204800
fi

e2e_finish
