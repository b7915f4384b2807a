#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Kernel facts of a root in `aoms db build --root`: each kernel's symvers (gzip, as
# EL kernels ship it in /boot) with CRCs and export types, its config, and the kABI
# stablelist of kernel-abi-stablelists; and the same facts in the embedded default
# database from the shipped RHEL 8 tables. The module list (modules.dep,
# modules.builtin; schema 2.4) from --root and from --kernel /lib/modules/R, judged
# end to end: `aoms assess` of a root that configures e1000e, crc32c (built in) and
# floppy against that kernel finds only floppy removed.

. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd gzip

T=$E2E_TMP
ROOT=$T/root
REL=4.18.0-477.27.1.el8_8.x86_64
mkdir -p "$ROOT/boot" "$ROOT/lib/modules/$REL/kernel" "$ROOT/lib/modules/kabi-rhel88" || die "mkdir"
printf 'kernel/drivers/net/ethernet/intel/e1000e/e1000e.ko.xz:\nextra/acme/floppy.ko:\n' \
	>"$ROOT/lib/modules/$REL/modules.dep"
printf 'kernel/crypto/crc32c_generic.ko\nkernel/arch/x86/crypto/crc32c-intel.ko\n' >"$ROOT/lib/modules/$REL/modules.builtin"
printf '0x75d19f57\t__alloc_disk_node\tvmlinux\tEXPORT_SYMBOL\n0x12345678\taoms_gpl_only\tdrivers/aoms/aoms\tEXPORT_SYMBOL_GPL\n' |
	gzip >"$ROOT/boot/symvers-$REL.gz" || die "symvers"
printf 'CONFIG_BPF_SYSCALL=y\n# CONFIG_AOMS_OFF is not set\nCONFIG_HZ=1000\n' >"$ROOT/boot/config-$REL"
printf '[rhel8_x86_64_stablelist]\n\t__alloc_disk_node\n' >"$ROOT/lib/modules/kabi-rhel88/kabi_stablelist_x86_64"
ln -s kabi-rhel88 "$ROOT/lib/modules/kabi-current"
# A damaged symvers of a second kernel: an error naming it, the build goes on.
mkdir -p "$ROOT/lib/modules/4.18.0-1.el8.x86_64"
: >"$ROOT/lib/modules/4.18.0-1.el8.x86_64/modules.dep"
printf 'not gzip at all' >"$ROOT/boot/symvers-4.18.0-1.el8.x86_64.gz"

run_aoms db build --root "$ROOT" -o "$T/k.db"
expect_status_bits 1
expect_contains "$ERR" "symvers-4.18.0-1.el8.x86_64.gz" "the damaged symvers is named"
run_aoms db info --db "$T/k.db" --format json
expect_json "$OUT" 'd["stats"]["kernel_symbols"] >= 2' "kernel symbols recorded"
expect_json "$OUT" 'd["stats"]["kernel_config"] >= 2' "kernel config recorded"

run_aoms db query --db "$T/k.db" --format json --kernel-symbol aoms_gpl_only
expect_status 0
expect_contains "$OUT" "0x12345678" "the CRC of aoms_gpl_only"
expect_contains "$OUT" "EXPORT_SYMBOL_GPL" "the export type of aoms_gpl_only"
expect_contains "$OUT" "$REL" "the kernel release"
run_aoms db query --db "$T/k.db" --format text --kernel-symbol __alloc_disk_node
expect_status 0
expect_contains "$OUT" "0x75d19f57" "the CRC of __alloc_disk_node"
expect_contains "$OUT" "rhel88" "__alloc_disk_node is on the kABI list"
run_aoms db query --db "$T/k.db" --format json --arch x86_64 --kernel-symbol __alloc_disk_node
expect_json "$OUT" "len([k for k in d.get(\"kabi\", []) if k.get(\"list\") == \"rhel88\" and k.get(\"arch\") == \"x86_64\"]) == 1" "one rhel88 x86_64 kABI row"
run_aoms db query --db "$T/k.db" --format text --kernel-symbol aoms_not_exported
expect_status 4

# The module list, from --root and from --kernel DIR, judged by assess
S=$T/src
mkdir -p "$S/etc/modules-load.d"
printf 'ID="centos"\nVERSION_ID="7"\nNAME="CentOS Linux"\n' >"$S/etc/os-release"
printf 'e1000e\ncrc32c-intel\nfloppy\n' >"$S/etc/modules-load.d/m.conf"
run_aoms db build --kernel "$ROOT/lib/modules/$REL" -o "$T/kdir.db"
expect_status_bits 0 2
for db in k kdir; do
	run_aoms assess --root "$S" --db "$T/$db.db" --kernel "$REL" --format json -o "$T/$db.assess.json"
	expect_finding "$T/$db.assess.json" module:floppy assess.driver-removed use=configured
	expect_json "$T/$db.assess.json" '[e["subject"]["path"] for e in d["entries"] if e["rule"] == "assess.driver-removed"] == ["module:floppy"]' \
		"$db.db: e1000e (modules.dep) and crc32c_intel (modules.builtin) are there, an extra/ module is not the kernel's"
done
run_aoms assess --root "$S" --db "$T/k.db" --kernel 4.18.0-1.el8.x86_64 --format json -o "$T/none.json"
expect_finding "$T/none.json" /lib/modules assess.kernel-modules-unknown

# The embedded default database knows the RHEL 8 kABI with CRCs.
run_aoms db query --format json --arch x86_64 --kernel-symbol __alloc_disk_node
expect_status 0
expect_contains "$OUT" "0x75d19f57" "RHEL 8 kABI CRC of __alloc_disk_node"

e2e_finish
