#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Scans with the embedded default database (no --db): Anolis 8 ships glibc 2.28 and
# the database's coverage is partial.
#
#   glibc-new      built on this host; needs libc.so.6 nodes newer than GLIBC_2.28
#                  (GLIBC_2.29 for posix_spawn_file_actions_addchdir_np, GLIBC_2.34
#                  on glibc >= 2.34 hosts): one elf.version-node-missing per node
#   static-hello   gcc -static: no DT_NEEDED, no interpreter, no finding but the
#                  syscall pass's info about glibc's own sites whose number comes
#                  from an argument (syscall.unresolved, when there are any)
#   app-unknown    needs libaoms-e2e-unknown.so.1, not in the tree and unknown to
#                  the partial database: elf.needed-unknown (medium, no inhibitor)
#   libaoms-e2e-user.so.1 (scanned alone) the same need and nothing else: exit 4
#   gui/libplot.so  needs libXi.so.6, libmng.so.2 (and libaoms-e2e-unknown.so.1), which no
#                  table lists: still
#                  elf.needed-unknown, naming the package whose name says it ships each
#                  (libXi, from libXi-devel's name; libmng, AppStream)
#
# And `aoms db info` on the default database reports coverage partial.

. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd gcc readelf

F=$FIXTURES/default-db
T=$E2E_TMP
S=$T/tree
mkdir -p "$S" || die "mkdir"

# On a glibc <= 2.28 host (EL8 itself) there is nothing newer to need: skip that case.
GLIBC_CASE=yes
NODES=''
NEW=''
if build_cc "$S/glibc-new" "$F/glibc-new.c" -pthread 2>/dev/null; then
	NODES=$(verneed_nodes "$S/glibc-new" libc.so.6 | sort -u | tr '\n' ' ')
	# shellcheck disable=SC2086
	NEW=$(glibc_newer_than_2_28 $NODES | tr '\n' ' ')
fi
if [ -z "${NEW// /}" ]; then
	e2e_log "NOTE: this host's glibc is not newer than 2.28; skipping the glibc-new case"
	GLIBC_CASE=
	rm -f "$S/glibc-new"
else
	e2e_log "glibc-new needs from libc.so.6: $NODES; newer than 2.28: $NEW"
fi

STATIC=yes
if ! build_cc "$S/static-hello" -static "$FIXTURES/common/hello.c" 2>/dev/null; then
	e2e_log "NOTE: gcc -static does not link here (libc.a missing?); skipping the static case"
	STATIC=
	rm -f "$S/static-hello"
fi

build_app_unknown "$S/app-unknown" || die "building app-unknown"
mkdir -p "$T/lib2" || die "mkdir"
build_user_lib "$T/lib2/libaoms-e2e-user.so.1" || die "building libaoms-e2e-user"

# ---- scan -------------------------------------------------------------------------
run_aoms scan --format json "$S"
if [ -n "$GLIBC_CASE" ]; then
	expect_status 12 "inhibitors (8) | findings (4)"
else
	expect_status_bits 4 3
fi
J=$OUT
expect_json_valid "$J"
expect_report_shape "$J" "$STATUS"
expect_json "$J" 'd["run"].get("coverage") == "partial"' "run.coverage is partial"

for v in $NEW; do
	expect_finding "$J" glibc-new elf.version-node-missing soname=libc.so.6 version="$v" \
		.severity=high .inhibitor=true
done
# "newest" names a version one can build against, never GLIBC_PRIVATE (which the
# default database knows since it holds EL8's real libc)
[ -n "$NEW" ] && expect_json "$J" 'all("newest: GLIBC_2.28" in e["summary"] for e in d["entries"] if e["rule"] == "elf.version-node-missing" and e["evidence"].get("soname") == "libc.so.6")' \
	"the newest libc.so.6 version named is GLIBC_2.28"
if [ -n "$GLIBC_CASE" ]; then
	for v in $NODES; do
		case " $NEW " in *" $v "*) continue ;; esac
		expect_no_finding "$J" glibc-new elf.version-node-missing version="$v"
	done
	expect_no_finding "$J" glibc-new elf.needed-missing
	expect_no_finding "$J" glibc-new elf.needed-unknown
	expect_no_finding "$J" glibc-new elf.interpreter-missing
fi

if [ -n "$STATIC" ]; then
	expect_json "$J" "[e['rule'] for e in d['entries'] if subj(e).endswith('static-hello') and e['rule'] != 'syscall.unresolved'] == []" \
		"static-hello has no finding but syscall.unresolved"
	expect_json "$J" "'write' in [f for f in d['files'] if f['path'].endswith('static-hello')][0]['syscalls']" \
		"static-hello's syscalls include write"
fi

expect_finding "$J" app-unknown elf.needed-unknown soname=libaoms-e2e-unknown.so.1 \
	.severity=medium .inhibitor=false
expect_no_finding "$J" app-unknown elf.needed-missing soname=libaoms-e2e-unknown.so.1
expect_no_finding "$J" app-unknown elf.symbol-unresolved

# Alone (a library linked -nostdlib, so no libc need), elf.needed-unknown is a
# medium finding: bit 4, no inhibitor bit.
run_aoms scan --format json "$T/lib2"
expect_status 4 "a medium finding only"
expect_json_valid "$OUT"
expect_report_shape "$OUT" 4
expect_rules "$OUT" libaoms-e2e-user.so.1 "elf.needed-unknown"
expect_finding "$OUT" libaoms-e2e-user.so.1 elf.needed-unknown soname=libaoms-e2e-unknown.so.1 \
	.severity=medium .inhibitor=false
run_aoms scan --format json --fail-on high "$T/lib2"
expect_status 0 "--fail-on high and a medium finding"

# Libraries no table lists, but EL8's package list names: the package is said.
mkdir -p "$T/gui" "$T/stubs" || die "mkdir"
for so in libXi.so.6 libmng.so.2; do
	shlib "$T/stubs/$so" "$so" "$F/unknown-lib.c" "" || die "building a $so stand-in"
done
shlib "$T/gui/libplot.so" libplot.so "$F/user-unknown.c" "" -nostdlib -Wl,--no-as-needed \
	"$T/stubs/libXi.so.6" "$T/stubs/libmng.so.2" "$(unknown_lib)" || die "building libplot.so"
run_aoms scan --format json "$T/gui"
expect_finding "$OUT" libplot.so elf.needed-unknown soname=libXi.so.6 package_by_name=libXi \
	.severity=medium
expect_json "$OUT" 'any(e["evidence"].get("soname") == "libXi.so.6" and "repository" not in e["evidence"] and any("dnf install libXi " in r["context"] for r in e["detail"]["remediations"]) for e in d["entries"])' \
	"libXi (named from libXi-devel) without a repository, with its dnf install"
expect_finding "$OUT" libplot.so elf.needed-unknown soname=libmng.so.2 package_by_name=libmng \
	repository=AppStream
expect_finding "$OUT" libplot.so elf.needed-unknown soname=libaoms-e2e-unknown.so.1
expect_json "$OUT" 'not any("package_by_name" in e["evidence"] for e in d["entries"] if e["evidence"].get("soname") == "libaoms-e2e-unknown.so.1")' \
	"no package for a library EL8 has no package named for"

# ---- db info ------------------------------------------------------------------------
run_aoms db info
expect_status 0 "db info"
check "db info (text) says coverage partial" grep -qiE 'coverage.*partial' "$OUT" || show "$OUT"
run_aoms db info --format json
expect_status 0 "db info --format json"
expect_json_valid "$OUT" "db info --format json"
expect_json "$OUT" 're.search(r"\"coverage\": \"partial\"", json.dumps(d))' \
	"db info --format json has coverage partial"

e2e_finish
