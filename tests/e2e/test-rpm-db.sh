#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Complete target databases from a root and from RPMs, and RPM-aware scans.
# RPMs are made at test time with rpmbuild (tests/fixtures/rpm-db/):
#
#   aomsfoo-1.0-1          /usr/lib64/libaomsfoo.so.1{,.0}  nodes FOO_1.0 {foo_a} FOO_1.1 {foo_b}
#   aomsbar-compat-2.0-3   /usr/lib64/libaomsbar.so.1       only in the repository
#   aomsapp-3.1-2          /usr/bin/aomsapp needing both, and Requires a capability
#                          nobody provides and aomsfoo >= 2.0
#   aomsfoo-1.1-1          an update adding node FOO_1.2 {foo_c}, in a second repository
#
# A target root (the host's libc and loader) gets aomsfoo installed into its EL-layout
# rpmdb with `rpm --root R --dbpath /var/lib/rpm`. Databases are built both ways and
# must hold the same facts; with both, a need only the repository satisfies is
# "dnf install PACKAGE", not missing; a scanned .rpm has its Requires and payload checked.

. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd gcc readelf rpmbuild rpm

F=$FIXTURES/rpm-db
T=$E2E_TMP
REPO=$T/repo
ROOT=$T/root
mkdir -p "$REPO" "$T/apps" "$T/v2" "$T/apps-new" || die "mkdir"

build_rpm() {
	rpmbuild -bb --nodeps --define "_topdir $T/rpmbuild" --define "src $F" \
		--define "_dbpath $T/builddb" --define "debug_package %{nil}" \
		--define "__strip /bin/true" --define "_build_id_links none" \
		"$F/$1.spec" >"$T/$1.log" 2>&1 || { show "$T/$1.log"; die "rpmbuild $1"; }
}
build_rpm aomsfoo
build_rpm aomsbar-compat
build_rpm aomsapp
cp "$T"/rpmbuild/RPMS/*/*.rpm "$REPO/" || die "collecting RPMs"
build_rpm aomsfoo-update
mkdir -p "$T/mirror" && cp "$REPO"/*.rpm "$T/mirror/" &&
	cp "$T"/rpmbuild/RPMS/*/aomsfoo-1.1-1.*.rpm "$T/mirror/" || die "collecting the mirror"
APP_RPM=$(ls "$REPO"/aomsapp-3.1-2.*.rpm)
ARCH=$(rpm -qp --qf '%{ARCH}' "$APP_RPM" 2>/dev/null)
find "$T/rpmbuild" -name aomsapp -type f -perm -u+x -exec cp {} "$T/apps/" \; -quit

make_target_root "$ROOT" || die "making the target root"
rpm --root "$ROOT" --dbpath /var/lib/rpm --initdb || die "rpm --initdb"
rpm --root "$ROOT" --dbpath /var/lib/rpm -i --nodeps --noscripts "$REPO"/aomsfoo-1.0-1.*.rpm ||
	die "installing aomsfoo into the root"
[ -e "$ROOT/usr/lib64/libaomsfoo.so.1" ] || die "aomsfoo did not install its files"

listing() { (cd "$1" && find . -printf '%p %s %T@\n' | sort); }
# A dangling library symlink in the root: nothing to record, no error.
ln -s libgone.so.1.0 "$ROOT/usr/lib64/libgone.so.1"
listing "$ROOT" >"$T/root-before"

# ---- the databases -------------------------------------------------------------
run_aoms db build --root "$ROOT" -o "$T/root.db"
expect_status 0
run_aoms db build --rpms "$REPO" -o "$T/repo.db"
expect_status 0
run_aoms db build --root "$ROOT" --rpms "$REPO" -o "$T/both.db"
expect_status 0
listing "$ROOT" >"$T/root-after"
expect_same_bytes "$T/root-before" "$T/root-after" "the root after db build"

run_aoms db info --db "$T/root.db" --format json
expect_json "$OUT" 'd["meta"]["coverage"] == "complete"' "root.db coverage"

# The same facts about libaomsfoo from the root and from the RPM.
for db in root repo; do
	run_aoms db query --db "$T/$db.db" --format json --exports libaomsfoo.so.1
	expect_status 0
	json_eval "$OUT" 'json.dumps(d["libraries"], sort_keys=True)' >"$T/exports-$db" ||
		cp "$OUT" "$T/exports-$db"
	run_aoms db query --db "$T/$db.db" --format text --soname libaomsfoo.so.1
	expect_status 0
	expect_contains "$OUT" "aomsfoo" "$db.db: libaomsfoo.so.1 is owned by aomsfoo"
	expect_contains "$OUT" "FOO_1.1" "$db.db: libaomsfoo.so.1 defines FOO_1.1"
	run_aoms db query --db "$T/$db.db" --format text --provides 'libaomsfoo.so.1(FOO_1.1)(64bit)'
	expect_status 0
	expect_contains "$OUT" "aomsfoo-1.0-1" "$db.db: the provides of aomsfoo"
done
expect_same_bytes "$T/exports-root" "$T/exports-repo" "libaomsfoo.so.1 exports from --root and --rpms"

# ---- scanning the application --------------------------------------------------
run_aoms scan --db "$T/both.db" --format json "$T/apps"
expect_report_shape "$OUT"
expect_finding "$OUT" aomsapp elf.needed-not-installed soname=libaomsbar.so.1
expect_no_finding "$OUT" aomsapp elf.needed-missing soname=libaomsbar.so.1
expect_json "$OUT" 'any(r["type"] == "command" and r["context"] == ["dnf", "install", "aomsbar-compat"] for e in d["entries"] for r in e["detail"]["remediations"])' \
	"the remediation is 'dnf install aomsbar-compat'"
expect_no_finding "$OUT" aomsapp elf.symbol-missing
expect_no_finding "$OUT" aomsapp elf.version-node-missing soname=libaomsfoo.so.1

# A version node the installed library lacks but an update in the mirror provides:
# "dnf install aomsfoo", not a blocker.
shlib "$T/v2/libaomsfoo.so.1" libaomsfoo.so.1 "$F/foo2.c" "$F/foo2.map" || die "libaomsfoo v2"
build_cc "$T/apps-new/aomsapp-new" "$F/app-new.c" "$T/v2/libaomsfoo.so.1" || die "aomsapp-new"
run_aoms db build --root "$ROOT" --rpms "$T/mirror" -o "$T/mirror.db"
expect_status 0
run_aoms scan --db "$T/mirror.db" --format json "$T/apps-new"
expect_finding "$OUT" aomsapp-new elf.needed-not-installed soname=libaomsfoo.so.1 version=FOO_1.2
expect_no_finding "$OUT" aomsapp-new elf.version-node-missing soname=libaomsfoo.so.1
expect_no_finding "$OUT" aomsapp-new elf.symbol-missing
run_aoms scan --db "$T/both.db" --format json "$T/apps-new"
expect_finding "$OUT" aomsapp-new elf.version-node-missing soname=libaomsfoo.so.1 version=FOO_1.2

run_aoms scan --db "$T/root.db" --format json "$T/apps"
expect_finding "$OUT" aomsapp elf.needed-missing soname=libaomsbar.so.1
expect_status_bits 8

# ---- scanning the RPM itself ---------------------------------------------------
NEVRA=aomsapp-3.1-2.$ARCH
RPMNAME=$(basename "$APP_RPM")
run_aoms scan --db "$T/both.db" --format json "$APP_RPM"
expect_report_shape "$OUT"
expect_finding "$OUT" "$APP_RPM" rpm.requires-missing requirement=aoms-capability-nobody-provides
# aomsfoo is installed, but at 1.0: "Requires: aomsfoo >= 2.0" is not met.
expect_finding "$OUT" "$APP_RPM" rpm.requires-missing 'requirement=aomsfoo >= 2.0'
expect_json "$OUT" "any(e['subject']['package'] == '$NEVRA' for e in d['entries'] if e['rule'] == 'rpm.requires-missing')" \
	"the requires finding names the package NEVRA"
expect_finding "$OUT" "$APP_RPM:/usr/bin/aomsapp" elf.needed-not-installed soname=libaomsbar.so.1
expect_json "$OUT" "all(e['subject']['package'] == '$NEVRA' for e in d['entries'] if e['subject']['path'].startswith('$APP_RPM:'))" \
	"payload findings name the package NEVRA"
expect_no_finding "$OUT" "$APP_RPM" rpm.requires-missing 'requirement=libaomsfoo.so.1(FOO_1.1)(64bit)'
expect_status_bits 8

# With the embedded default database: alone, the package's libraries are unknown;
# scanned with the packages that ship them, they are found in their payloads.
run_aoms scan --format json "$APP_RPM"
expect_report_shape "$OUT"
expect_finding "$OUT" "$APP_RPM:/usr/bin/aomsapp" elf.needed-unknown soname=libaomsbar.so.1
# The default database knows no packages: a package-name Requires is not judged.
expect_no_finding "$OUT" "$APP_RPM" rpm.requires-missing requirement=aoms-capability-nobody-provides
run_aoms scan --format json "$REPO"
expect_report_shape "$OUT"
expect_no_finding "$OUT" "$RPMNAME:/usr/bin/aomsapp" elf.needed-unknown soname=libaomsbar.so.1
expect_no_finding "$OUT" "$RPMNAME:/usr/bin/aomsapp" elf.needed-off-path soname=libaomsbar.so.1

# ---- bad input -----------------------------------------------------------------
mkdir -p "$T/badrepo"
cp "$REPO"/*.rpm "$T/badrepo/"
head -c 300 "$APP_RPM" >"$T/badrepo/truncated-1.0-1.$ARCH.rpm"
head -c 3000 "$APP_RPM" >"$T/badrepo/cut-payload-1.0-1.$ARCH.rpm"
printf 'not an rpm' >"$T/badrepo/junk-1.0-1.$ARCH.rpm"
run_aoms db build --rpms "$T/badrepo" -o "$T/bad.db"
expect_status_bits 1
expect_contains "$ERR" "truncated-1.0-1.$ARCH.rpm" "the truncated RPM is named"
run_aoms db query --db "$T/bad.db" --format text --soname libaomsfoo.so.1
expect_status 0
run_aoms scan --db "$T/both.db" --format json "$T/badrepo"
expect_report_shape "$OUT"
expect_mentioned "$OUT" "truncated-1.0-1.$ARCH.rpm"
expect_finding "$OUT" "$RPMNAME" rpm.requires-missing requirement=aoms-capability-nobody-provides

mkdir -p "$T/badroot/var/lib/rpm"
printf 'garbage' >"$T/badroot/var/lib/rpm/rpmdb.sqlite"
run_aoms db build --root "$T/badroot" -o "$T/badroot.db"
expect_status_bits 1
expect_contains "$ERR" "rpmdb" "the broken rpmdb is named"

e2e_finish
