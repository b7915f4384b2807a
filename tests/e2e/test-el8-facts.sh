#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# What the default database knows from the EL8 facts (abi-db/data/README.md), with
# stub libraries built here that only carry the sonames, and programs linked
# -nostdlib against them (no libc need, no symbol imported), scanned alone:
#
#   app-crypto10   needs libcrypto.so.10: compat-openssl10 is available, not
#                  installed: elf.needed-not-installed (medium), dnf install
#                  compat-openssl10
#   app-ssl3       needs libssl.so.3: EL8 has libssl.so.1.1 instead (a soname
#                  family): elf.needed-missing (high, likely) naming libssl.so.1.1,
#                  a rebuild action against it
#   app-z          needs libz.so.1 (RHEL 8.3 root, zlib): no finding

. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd gcc

T=$E2E_TMP
mkdir -p "$T/stubs" "$T/crypto10" "$T/ssl3" "$T/z" || die "mkdir"
printf 'int aoms_e2e_stub;\n' >"$T/stub.c"
printf 'void _start(void) { for (;;) ; }\n' >"$T/app.c"
for so in libcrypto.so.10 libssl.so.3 libz.so.1; do
	shlib "$T/stubs/$so" "$so" "$T/stub.c" "" -nostdlib || die "building stub $so"
done
build_cc "$T/crypto10/app-crypto10" -nostdlib "$T/app.c" -Wl,--no-as-needed \
	"$T/stubs/libcrypto.so.10" || die "building app-crypto10"
build_cc "$T/ssl3/app-ssl3" -nostdlib "$T/app.c" -Wl,--no-as-needed \
	"$T/stubs/libssl.so.3" || die "building app-ssl3"
build_cc "$T/z/app-z" -nostdlib "$T/app.c" -Wl,--no-as-needed \
	"$T/stubs/libz.so.1" || die "building app-z"

# ---- libcrypto.so.10: install compat-openssl10 --------------------------------------
run_aoms scan --format json "$T/crypto10"
expect_status 4 "a medium finding only"
expect_rules "$OUT" app-crypto10 "elf.needed-not-installed"
expect_finding "$OUT" app-crypto10 elf.needed-not-installed soname=libcrypto.so.10 \
	.severity=medium .inhibitor=false
expect_json "$OUT" 'any(r.get("context") == ["dnf", "install", "compat-openssl10"] for e in d["entries"] for r in e["detail"]["remediations"] if r["type"] == "command")' \
	"the remediation is 'dnf install compat-openssl10'"
expect_json "$OUT" 'any(a["kind"] == "install-package" and a["args"]["package"] == "compat-openssl10" for e in d["entries"] for a in e.get("actions", []))' \
	"the action installs compat-openssl10"

# ---- libssl.so.3: missing, EL8 has libssl.so.1.1 ------------------------------------
run_aoms scan --format json "$T/ssl3"
expect_status_bits 8 1
expect_rules "$OUT" app-ssl3 "elf.needed-missing"
expect_finding "$OUT" app-ssl3 elf.needed-missing soname=libssl.so.3 \
	.severity=high .inhibitor=true
expect_json "$OUT" 'all("libssl.so.1.1" in json.dumps(e) for e in d["entries"])' \
	"the finding names libssl.so.1.1"
expect_json "$OUT" 'any(a.get("kind") == "rebuild" and a.get("args", {}).get("against") == "libssl.so.1.1" for e in d["entries"] for a in e.get("actions", []))' \
	"a rebuild action against libssl.so.1.1"
run_aoms scan --format text "$T/ssl3"
expect_contains "$OUT" "libssl.so.1.1" "the text report"

# ---- libz.so.1: known ---------------------------------------------------------------
run_aoms scan --format json "$T/z"
expect_status 0 "no finding"
expect_rules "$OUT" app-z ""

e2e_finish
