#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Symbol versioning end to end. Libraries in v0/v1 pairs built with version scripts
# (tests/fixtures/elf-versions/); programs linked against v0; a target root holding
# v1 (plus the host's libc and loader) made into a database with `aoms db build`.
#
#   libfoo.so.1  v0 FOO_1.0 {foo_a foo_b}   v1 FOO_1.0 {foo_a}, FOO_1.1 {foo_c}
#   libbar.so.1  v0                         v1 soname bumped to libbar.so.2
#   libbaz.so.1  v0 BAZ_1.0 {baz}           v1 BAZ_2.0 {baz} (node removed)
#
#   app-ok        foo_a@FOO_1.0           no finding
#   app-removed   foo_b@FOO_1.0           elf.symbol-missing
#   app-bar       libbar.so.1             elf.needed-missing
#   app-baz       baz@BAZ_1.0             elf.version-node-missing (high, inhibitor)
#   app-baz-weak  baz@BAZ_1.0, need WEAK  elf.version-node-missing (medium, no inhibitor)
#
# Then the same programs with the v0 libraries bundled next to them (RPATH and
# RUNPATH $ORIGIN/lib): the tree satisfies every need, no finding; and a program
# whose bundled library is off its search path: elf.needed-off-path; and app-ok with
# a PT_INTERP the target lacks: elf.interpreter-missing.

# shellcheck disable=SC2016 # '$ORIGIN' is for the linker, not the shell
. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd gcc readelf

F=$FIXTURES/elf-versions
T=$E2E_TMP
ROOT=$T/root
APPS=$T/apps
mkdir -p "$T/v0" "$APPS" || die "mkdir"

# ---- the libraries -----------------------------------------------------------
shlib "$T/v0/libfoo.so.1" libfoo.so.1 "$F/foo.c" "$F/foo-v0.map" || die "building libfoo v0"
shlib "$T/v0/libbar.so.1" libbar.so.1 "$F/bar.c" "" || die "building libbar v0"
shlib "$T/v0/libbaz.so.1" libbaz.so.1 "$F/baz.c" "$F/baz-v0.map" || die "building libbaz v0"

make_target_root "$ROOT" || die "making the target root"
L=$ROOT/usr/lib64
shlib "$L/libfoo.so.1.1.0" libfoo.so.1 "$F/foo.c" "$F/foo-v1.map" -DAOMS_V1 || die "building libfoo v1"
shlib "$L/libbar.so.2.0.0" libbar.so.2 "$F/bar.c" "" || die "building libbar v1"
shlib "$L/libbaz.so.1.1.0" libbaz.so.1 "$F/baz.c" "$F/baz-v1.map" || die "building libbaz v1"
ln -s libfoo.so.1.1.0 "$L/libfoo.so.1" && ln -s libbar.so.2.0.0 "$L/libbar.so.2" &&
	ln -s libbaz.so.1.1.0 "$L/libbaz.so.1" || die "soname symlinks"

# ---- the programs, linked against v0 ----------------------------------------
# app DIR NAME LIB [LDFLAGS...]
app() {
	local dir=$1 name=$2 lib=$3
	shift 3
	build_cc "$dir/$name" "$F/$name.c" -Wl,--no-as-needed "$@" "$T/v0/$lib" ||
		die "building $name"
}
app "$APPS" app-ok libfoo.so.1
app "$APPS" app-removed libfoo.so.1
app "$APPS" app-bar libbar.so.1
app "$APPS" app-baz libbaz.so.1
app "$APPS" app-baz-weak libbaz.so.1
# GNU ld never sets VER_FLG_WEAK on a need; set it the way other linkers would.
WEAK=yes
if ! elfpatch vna-weak "$APPS/app-baz-weak" BAZ_1.0 ||
	! readelf -VW "$APPS/app-baz-weak" | grep -q 'BAZ_1.0 *Flags: WEAK'; then
	e2e_log "NOTE: cannot make a weak version need; skipping that case"
	rm -f "$APPS/app-baz-weak"
	WEAK=
fi

# ---- the target database -------------------------------------------------------
DB=$T/target.db
run_aoms db build --root "$ROOT" -o "$DB"
expect_status 0 "db build"
expect_nonempty_file "$DB" "the built database"
run_aoms db info --db "$DB" --format json
expect_status 0 "db info"
expect_json_valid "$OUT" "db info --format json"
expect_json "$OUT" 're.search(r"\"coverage\": \"complete\"", json.dumps(d))' \
	"a database built from a root has coverage complete"

# ---- scan: json -------------------------------------------------------------------
run_aoms scan --db "$DB" --format json "$APPS"
expect_status 12 "inhibitors (8) | findings (4)"
J=$OUT
expect_json_valid "$J"
expect_report_shape "$J" 12
expect_json "$J" "'$APPS' in d['inputs']" "inputs lists the scanned directory"
expect_json "$J" 'all(not subj(e).startswith("/") for e in d["entries"])' \
	"subject paths are relative to the scanned directory"
expect_json "$J" 'd["run"].get("coverage") == "complete"' "run.coverage is complete"

expect_rules "$J" app-ok ""
expect_rules "$J" app-removed "elf.symbol-missing"
expect_finding "$J" app-removed elf.symbol-missing soname=libfoo.so.1 symbol=foo_b \
	version=FOO_1.0 .severity=high .inhibitor=true
expect_rules "$J" app-bar "elf.needed-missing"
expect_finding "$J" app-bar elf.needed-missing soname=libbar.so.1 .severity=high .inhibitor=true
expect_rules "$J" app-baz "elf.version-node-missing"
expect_finding "$J" app-baz elf.version-node-missing soname=libbaz.so.1 version=BAZ_1.0 \
	.severity=high .inhibitor=true
if [ -n "$WEAK" ]; then
	expect_rules "$J" app-baz-weak "elf.version-node-missing"
	expect_finding "$J" app-baz-weak elf.version-node-missing soname=libbaz.so.1 \
		version=BAZ_1.0 .severity=medium .inhibitor=false
fi
expect_json "$J" 'd["summary"]["inhibitors"] == 3' "three inhibitors"

# ---- exit status and --fail-on --------------------------------------------------
run_aoms scan --db "$DB" --format json --fail-on never "$APPS"
expect_status 0 "--fail-on never"
expect_report_shape "$OUT" 0
run_aoms scan --db "$DB" --format json --fail-on inhibitor "$APPS"
expect_status 8 "--fail-on inhibitor"
run_aoms scan --db "$DB" --format json --fail-on high "$APPS"
expect_status 12 "--fail-on high"

# ---- scan: text ---------------------------------------------------------------------
run_aoms scan --db "$DB" --format text "$APPS"
expect_status 12 "text format"
TXT=$OUT
for s in app-removed elf.symbol-missing foo_b FOO_1.0 app-bar elf.needed-missing libbar.so.1 \
	app-baz elf.version-node-missing BAZ_1.0; do
	expect_contains "$TXT" "$s" "text report"
done
run_aoms scan --db "$DB" "$APPS"
expect_status 12 "default format"
expect_same_bytes "$TXT" "$OUT" "the default format is text"

# ---- bundled: v0 libraries in the tree, found through $ORIGIN ---------------------
B=$T/bundled
mkdir -p "$B/lib" || die "mkdir"
cp "$T/v0/libfoo.so.1" "$B/lib/libfoo.so.1.0.0" && ln -s libfoo.so.1.0.0 "$B/lib/libfoo.so.1" &&
	cp "$T/v0/libbar.so.1" "$T/v0/libbaz.so.1" "$B/lib/" || die "copying the bundled libraries"
# DT_RPATH for two programs, DT_RUNPATH for the others.
app "$B" app-ok libfoo.so.1 -Wl,--disable-new-dtags -Wl,-rpath,'$ORIGIN/lib'
app "$B" app-removed libfoo.so.1 -Wl,--disable-new-dtags -Wl,-rpath,'$ORIGIN/lib'
app "$B" app-bar libbar.so.1 -Wl,--enable-new-dtags -Wl,-rpath,'$ORIGIN/lib'
app "$B" app-baz libbaz.so.1 -Wl,--enable-new-dtags -Wl,-rpath,'$ORIGIN/lib'
readelf -dW "$B/app-ok" | grep -q '(RPATH).*\$ORIGIN/lib' || die "app-ok has no DT_RPATH"
readelf -dW "$B/app-bar" | grep -q '(RUNPATH).*\$ORIGIN/lib' || die "app-bar has no DT_RUNPATH"

run_aoms scan --db "$DB" --format json "$B"
expect_status 0 "bundled libraries satisfy every need"
expect_report_shape "$OUT" 0
for a in app-ok app-removed app-bar app-baz; do
	expect_rules "$OUT" "$a" ""
done
expect_json "$OUT" 'd["entries"] == []' "no finding in the bundled tree"

# ---- an interpreter the target does not have ----------------------------------------
I=$T/interp
mkdir -p "$I" || die "mkdir"
app "$I" app-ok libfoo.so.1 -Wl,--dynamic-linker=/lib64/ld-aoms-e2e.so.2
run_aoms scan --db "$DB" --format json "$I"
expect_status 12 "a missing interpreter is an inhibitor"
expect_report_shape "$OUT" 12
expect_rules "$OUT" app-ok "elf.interpreter-missing"
expect_finding "$OUT" app-ok elf.interpreter-missing interpreter=/lib64/ld-aoms-e2e.so.2 \
	.severity=high .inhibitor=true

# ---- bundled, but off the search path (no RPATH) ----------------------------------
O=$T/offpath
mkdir -p "$O/lib" && cp "$APPS/app-bar" "$O/" && cp "$T/v0/libbar.so.1" "$O/lib/" || die "offpath tree"
run_aoms scan --db "$DB" --format json "$O"
expect_status 0 "a low finding: under the default --fail-on medium"
expect_report_shape "$OUT" 0
run_aoms scan --db "$DB" --format json --fail-on low "$O"
expect_status 4 "a low finding, --fail-on low"
expect_report_shape "$OUT" 4
expect_rules "$OUT" app-bar "elf.needed-off-path"
expect_finding "$OUT" app-bar elf.needed-off-path soname=libbar.so.1 .severity=low .inhibitor=false

e2e_finish
