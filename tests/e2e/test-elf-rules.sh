#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# ELF rules beyond dependencies, with the embedded default database. Each input is
# a library linked -nostdlib (no libc need, so no glibc finding on any host) or a
# program whose other findings the test ignores.
#
#   libaoms-e2e-plain.so.1   needs nothing                       no finding
#   libaoms-e2e-kernel.so.1  .note.ABI-tag Linux 5.10.0 (> 4.18) elf.kernel-too-old
#   libaoms-e2e-sparc.so.1   plain with e_machine EM_SPARCV9     elf.machine-unsupported
#                            (and no other finding: nothing else is checked)
#   relr                     -z pack-relative-relocs: DT_RELR    elf.loader-feature
#                            (only where the linker can make it)

. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd gcc readelf

F=$FIXTURES/elf-rules
T=$E2E_TMP
mkdir -p "$T/libs" "$T/relr" || die "mkdir"

shlib "$T/libs/libaoms-e2e-plain.so.1" libaoms-e2e-plain.so.1 "$F/plain.c" "" -nostdlib ||
	die "building the plain library"
shlib "$T/libs/libaoms-e2e-kernel.so.1" libaoms-e2e-kernel.so.1 "$F/kernel-note.c" "" -nostdlib ||
	die "building the kernel-note library"
readelf -nW "$T/libs/libaoms-e2e-kernel.so.1" | grep -q 'ABI: 5.10.0' || die "no ABI tag 5.10.0"
shlib "$T/libs/libaoms-e2e-sparc.so.1" libaoms-e2e-sparc.so.1 "$F/plain.c" "" -nostdlib ||
	die "building the sparc library"
elfpatch ehdr "$T/libs/libaoms-e2e-sparc.so.1" e_machine 43 || die "patching e_machine"

run_aoms scan --format json "$T/libs"
expect_status 12 "inhibitors"
J=$OUT
expect_json_valid "$J"
expect_report_shape "$J" 12
expect_rules "$J" libaoms-e2e-plain.so.1 ""
expect_rules "$J" libaoms-e2e-kernel.so.1 "elf.kernel-too-old"
expect_finding "$J" libaoms-e2e-kernel.so.1 elf.kernel-too-old .severity=high .inhibitor=true
expect_json "$J" 'any(e["rule"] == "elf.kernel-too-old" and e["evidence"].get("required_kernel", "").startswith("5.10") for e in d["entries"])' \
	"elf.kernel-too-old has evidence required_kernel 5.10.0"
expect_rules "$J" libaoms-e2e-sparc.so.1 "elf.machine-unsupported"
expect_finding "$J" libaoms-e2e-sparc.so.1 elf.machine-unsupported .severity=high .inhibitor=true

run_aoms scan --format json "$T/libs/libaoms-e2e-plain.so.1"
expect_status 0 "a library needing nothing"
expect_json "$OUT" 'd["entries"] == [] and d["errors"] == []' "no finding, no error"

if build_cc "$T/relr/relr" "$F/relr.c" -Wl,-z,pack-relative-relocs 2>/dev/null &&
	readelf -dW "$T/relr/relr" | grep -q '(RELR)'; then
	run_aoms scan --format json "$T/relr"
	expect_status_bits 8 3
	expect_json_valid "$OUT"
	expect_finding "$OUT" relr elf.loader-feature .severity=high .inhibitor=true
	expect_json "$OUT" 'any(e["rule"] == "elf.loader-feature" and "RELR" in e["evidence"].get("feature", "") for e in d["entries"])' \
		"elf.loader-feature names DT_RELR in evidence feature"
else
	e2e_log "NOTE: the linker cannot make DT_RELR here; skipping that case"
fi

e2e_finish
