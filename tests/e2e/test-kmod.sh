#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The kernel-module scanner (kmod/, rules kmod.*) on real modules built at test time
# against the installed kernel headers (Debian's linux-headers-amd64), judged against
# databases built with `aoms db build --kernel` from fake build trees made of those
# headers' real Module.symvers and .config:
#   kA     the headers' kernel as is
#   kcrc   jiffies_to_msecs with another CRC
#   kgone  msleep removed
# Modules (tests/fixtures/kmod/src):            kA            kcrc       kgone
#   aoms_clean   printk only                     loads-as-is   loads      loads
#   aoms_lacks   msleep                          loads         loads      port (symbol-missing)
#   aoms_crc     jiffies_to_msecs                loads         rebuild    loads
#   aoms_nongpl  ktime_get (GPL), license BSD    port (gpl-only-symbol)
#   aoms_dep_a   exports aoms_dep_a_value        loads
#   aoms_dep_b   needs aoms_dep_a_value          loads with dep_a in the scan, port alone
#   aoms_ns      crypto_cipher_setkey (CRYPTO_INTERNAL) without import_ns: port
# Then the real EL8 modules against the default database (all loads-as-is; "replaced"
# in another kernel's lib/modules/RELEASE/kernel/), and bad
# input: truncated, corrupt .modinfo, __versions naming a symbol twice, a .ko.xz that
# does not decompress, a .ko.gz expanding past 64 MiB, a module for another machine.

. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd make gcc xz gzip

KDIR=
for d in /lib/modules/*/build /usr/src/linux-headers-*-amd64; do
	[ -f "$d/Module.symvers" ] && [ -f "$d/.config" ] && { KDIR=$d; break; }
done
[ -n "$KDIR" ] || skip "no kernel headers with Module.symvers (install linux-headers-amd64)"
REL=$(sed -n 's/.*UTS_RELEASE "\(.*\)".*/\1/p' "$KDIR/include/generated/utsrelease.h" 2>/dev/null)
[ -n "$REL" ] || REL=$(cat "$KDIR/include/config/kernel.release")

# ---- build the modules -----------------------------------------------------------
M=$E2E_TMP/src
cp -r "$FIXTURES/kmod/src" "$M"
make -s -C "$KDIR" M="$M" modules >"$E2E_TMP/make.log" 2>&1 ||
	{ show "$E2E_TMP/make.log" 40; die "building the test modules against $KDIR"; }
python3 - "$M" <<'PY' || die "patching modinfo"
import sys
for f, a, b in (("aoms_nongpl.ko", b"license=GPL\0", b"license=BSD\0"),
                ("aoms_ns.ko", b"import_ns=", b"import_nz=")):
    p = sys.argv[1] + "/" + f
    d = open(p, "rb").read()
    assert d.count(a) == 1, (f, d.count(a))
    open(p, "wb").write(d.replace(a, b))
PY
mkdir -p "$E2E_TMP/mods"
cp "$M"/*.ko "$E2E_TMP/mods/"

# ---- the target kernels ----------------------------------------------------------
for v in A crc gone; do
	mkdir -p "$E2E_TMP/k$v/include/config"
	cp "$KDIR/.config" "$E2E_TMP/k$v/"
done
cp "$KDIR/Module.symvers" "$E2E_TMP/kA/"
echo "$REL" >"$E2E_TMP/kA/include/config/kernel.release"
echo "$REL-crc" >"$E2E_TMP/kcrc/include/config/kernel.release"
echo "$REL-gone" >"$E2E_TMP/kgone/include/config/kernel.release"
awk -F'\t' 'BEGIN { OFS = "\t" } $2 == "jiffies_to_msecs" { $1 = "0xdeadbeef" } { print }' \
	"$KDIR/Module.symvers" >"$E2E_TMP/kcrc/Module.symvers"
awk -F'\t' '$2 != "msleep"' "$KDIR/Module.symvers" >"$E2E_TMP/kgone/Module.symvers"
DB=$E2E_TMP/t.db
run_aoms db build --kernel "$E2E_TMP/kA" --kernel "$E2E_TMP/kcrc" --kernel "$E2E_TMP/kgone" -o "$DB"
expect_status 0 "db build --kernel x3"
run_aoms db info --db "$DB" --format json
expect_json "$OUT" "sorted(k['release'] for k in d['kernels']) == sorted(['$REL', '$REL-crc', '$REL-gone'])" \
	"db info lists the three kernels"
expect_json "$OUT" "d['stats']['kernel_symbols'] > 10000" "the exports were recorded"

# verdicts FILE: "name verdict" per file, sorted
verdicts() { json_eval "$1" "' '.join(f['path'].split('/')[-1] + '=' + f['verdict'] for f in d['files'])"; }

run_aoms scan --db "$DB" --kernel "$REL" --format json "$E2E_TMP/mods"
expect_status 12 "scan against $REL (port findings block)"
expect_eq "$(verdicts "$OUT")" "aoms_clean.ko=loads-as-is aoms_crc.ko=loads-as-is aoms_dep_a.ko=loads-as-is aoms_dep_b.ko=loads-as-is aoms_lacks.ko=loads-as-is aoms_nongpl.ko=port aoms_ns.ko=port" \
	"verdicts against $REL"
expect_json "$OUT" "d['summary']['files']['by_scanner']['kmod'] == 7" "by_scanner counts kmod"
expect_finding "$OUT" aoms_nongpl.ko kmod.gpl-only-symbol symbol=ktime_get module=aoms_nongpl .inhibitor=true .dimension=kernel
expect_finding "$OUT" aoms_ns.ko kmod.namespace-not-imported symbol=crypto_cipher_setkey namespace=CRYPTO_INTERNAL
expect_rules "$OUT" aoms_clean.ko "kmod.unsigned"
expect_finding "$OUT" aoms_clean.ko kmod.unsigned .severity=low .dimension=hardware
expect_json "$OUT" "[f['lacks'] for f in d['files'] if f['path'].endswith('aoms_ns.ko')] == [['namespace CRYPTO_INTERNAL']]" \
	"lacks names the namespace"

run_aoms scan --db "$DB" --kernel "$REL-crc" --format json "$E2E_TMP/mods"
expect_eq "$(verdicts "$OUT")" "aoms_clean.ko=loads-as-is aoms_crc.ko=rebuild aoms_dep_a.ko=loads-as-is aoms_dep_b.ko=loads-as-is aoms_lacks.ko=loads-as-is aoms_nongpl.ko=port aoms_ns.ko=port" \
	"verdicts against $REL-crc"
expect_finding "$OUT" aoms_crc.ko kmod.symbol-crc-mismatch module=aoms_crc
expect_json "$OUT" "[a for e in d['entries'] if e['rule'] == 'kmod.symbol-crc-mismatch' for a in e['actions']] == [{'kind': 'rebuild', 'args': {'against': 'kernel-devel-$REL-crc'}}]" \
	"a rebuild action against the target's kernel-devel" || json_eval "$OUT" "[e.get('actions') for e in d['entries'] if e['rule'] == 'kmod.symbol-crc-mismatch']"

run_aoms scan --db "$DB" --kernel "$REL-gone" --format json "$E2E_TMP/mods"
expect_eq "$(verdicts "$OUT")" "aoms_clean.ko=loads-as-is aoms_crc.ko=loads-as-is aoms_dep_a.ko=loads-as-is aoms_dep_b.ko=loads-as-is aoms_lacks.ko=port aoms_nongpl.ko=port aoms_ns.ko=port" \
	"verdicts against $REL-gone"
expect_finding "$OUT" aoms_lacks.ko kmod.symbol-missing symbol=msleep .inhibitor=true

# the dependency: aoms_dep_b alone finds no exporter of aoms_dep_a_value
run_aoms scan --db "$DB" --kernel "$REL" --format json "$E2E_TMP/mods/aoms_dep_b.ko"
expect_eq "$(verdicts "$OUT")" "aoms_dep_b.ko=port" "aoms_dep_b alone"
expect_finding "$OUT" aoms_dep_b.ko kmod.symbol-missing symbol=aoms_dep_a_value

# no --kernel: the database's newest x86_64 kernel; an unknown --kernel is a usage error
run_aoms scan --db "$DB" --kernel 9.9.9-none --format json "$E2E_TMP/mods"
expect_status 2 "an unknown --kernel"
expect_contains "$ERR" "no kernel '9.9.9-none'" "the usage error names the kernel"

# ---- the real EL8 modules against the default database ------------------------------
run_aoms scan --format json "$FIXTURES/kmod/el8"
expect_status 0 "EL8 fixtures against the default database"
expect_eq "$(verdicts "$OUT")" "crc-itu-t.ko.xz=loads-as-is uio.ko.xz=loads-as-is uio_pci_generic.ko.xz=loads-as-is" \
	"the EL8 fixture modules load as is on 4.18.0-240.15.1.el8_3"
SAMPLES=$AOMS_SRC/../shared/data/el8/rhel-8.3/kernel-4.18.0-240.15.1.el8_3.x86_64/sample-modules
if [ -d "$SAMPLES" ]; then
	run_aoms scan --format json "$SAMPLES"
	expect_status 0 "the 32 EL8 sample modules"
	expect_json "$OUT" "len(d['files']) == 32 and all(f['verdict'] == 'loads-as-is' for f in d['files'])" \
		"all 32 EL8 sample modules load as is" || json_eval "$OUT" "[(f['path'], f['verdict'], f['lacks']) for f in d['files'] if f['verdict'] != 'loads-as-is']"
	expect_json "$OUT" "d['entries'] == []" "and without a finding"
else
	e2e_log "no $SAMPLES: the 32 EL8 sample modules are not scanned"
fi
# Another kernel's own modules: an EL8 module re-stamped for 4.18.0-553.1.1.el8_10 (same
# length), in that kernel's tree: "replaced" (the migration swaps the kernel and its
# modules), without a finding; in its extra/ (third-party) or under the target's own
# release, judged.
K=$E2E_TMP/own/lib/modules
OTHER=4.18.0-553.1.1.el8_10.x86_64
mkdir -p "$K/$OTHER/kernel/drivers/uio" "$K/$OTHER/extra" "$K/4.18.0-240.15.1.el8_3.x86_64/kernel/drivers/uio"
xz -dc "$FIXTURES/kmod/el8/uio.ko.xz" | sed "s/4\.18\.0-240\.15\.1\.el8_3\.x86_64/$OTHER/g" \
	>"$K/$OTHER/kernel/drivers/uio/uio.ko" || die "re-stamping uio.ko"
cp "$K/$OTHER/kernel/drivers/uio/uio.ko" "$K/$OTHER/extra/uio.ko"
cp "$FIXTURES/kmod/el8/uio.ko.xz" "$K/4.18.0-240.15.1.el8_3.x86_64/kernel/drivers/uio/"
run_aoms scan --format json "$E2E_TMP/own"
expect_json "$OUT" "{f['path']: f['verdict'] for f in d['files']} == {'lib/modules/$OTHER/kernel/drivers/uio/uio.ko': 'replaced', 'lib/modules/$OTHER/extra/uio.ko': 'loads-as-is', 'lib/modules/4.18.0-240.15.1.el8_3.x86_64/kernel/drivers/uio/uio.ko.xz': 'loads-as-is'}" \
	"another kernel's own module is replaced, the same module in extra/ and the target's own are judged" ||
	json_eval "$OUT" "[(f['path'], f['verdict']) for f in d['files']]"
expect_json "$OUT" "not [e for e in d['entries'] if '/kernel/' in e['subject']['path']]" \
	"no finding for the kernel trees' modules"
run_aoms scan "$E2E_TMP/own"
expect_contains "$OUT" "1 kernel module is another kernel's own" "the text report says one was set aside"

# a Debian module against EL8: vermagic flags and CRCs differ, symbols exist -> not loads-as-is
run_aoms scan --format json "$E2E_TMP/mods/aoms_clean.ko"
expect_finding "$OUT" aoms_clean.ko kmod.vermagic-mismatch .inhibitor=true

# ---- bad input -----------------------------------------------------------------------
B=$E2E_TMP/bad
mkdir -p "$B"
head -c 300 "$E2E_TMP/mods/aoms_clean.ko" >"$B/trunc.ko"
head -c 4000 "$E2E_TMP/mods/aoms_crc.ko" >"$B/trunc2.ko"
printf 'vermagic=x SMP \0novalue\0' >"$B/mi.bin"
objcopy --update-section .modinfo="$B/mi.bin" "$E2E_TMP/mods/aoms_clean.ko" "$B/modinfo.ko" 2>/dev/null ||
	objcopy --remove-section .modinfo --add-section .modinfo="$B/mi.bin" "$E2E_TMP/mods/aoms_clean.ko" "$B/modinfo.ko"
python3 - "$B" <<'PY'
import struct, sys
b = sys.argv[1]
e = lambda crc, name: struct.pack("<Q", crc) + name.ljust(56, b"\0")
open(b + "/vers.bin", "wb").write(e(1, b"module_layout") + e(2, b"printk") + e(3, b"printk"))
open(b + "/bad.ko.xz", "wb").write(b"\xfd7zXZ\0" + b"\x55" * 200)
PY
objcopy --update-section __versions="$B/vers.bin" "$E2E_TMP/mods/aoms_clean.ko" "$B/dupvers.ko"
head -c $((70 << 20)) /dev/zero | gzip -c >"$B/bomb.ko.gz"
cp "$E2E_TMP/mods/aoms_clean.ko" "$B/arm.ko"
printf '\xb7\x00' | dd of="$B/arm.ko" bs=1 seek=18 conv=notrunc status=none   # EM_AARCH64
cp "$E2E_TMP/mods/aoms_clean.ko" "$B/good.ko"
run_aoms scan --db "$DB" --format json --jobs 2 "$B"
expect_status_bits 4 1
expect_json "$OUT" "d['errors'] == []" "bad modules are findings, not errors"
for f in trunc.ko trunc2.ko modinfo.ko dupvers.ko bad.ko.xz bomb.ko.gz; do
	expect_finding "$OUT" "$f" kmod.malformed
done
expect_finding "$OUT" dupvers.ko kmod.malformed "reason=corrupt __versions: a symbol is listed twice: printk"
expect_finding "$OUT" bomb.ko.gz kmod.malformed "reason=gzip data expands past 64 MiB"
expect_finding "$OUT" arm.ko kmod.no-target-kernel
expect_json "$OUT" "{f['path'].split('/')[-1]: f['verdict'] for f in d['files']} == {'arm.ko': 'unknown', 'bad.ko.xz': 'unknown', 'bomb.ko.gz': 'unknown', 'dupvers.ko': 'unknown', 'good.ko': 'loads-as-is', 'modinfo.ko': 'unknown', 'trunc.ko': 'unknown', 'trunc2.ko': 'unknown'}" \
	"verdicts of the bad modules, and the good one beside them" || json_eval "$OUT" "[(f['path'], f['verdict']) for f in d['files']]"
run_aoms scan --db "$DB" --kernel "$REL" --format json "$B/arm.ko"
expect_finding "$OUT" arm.ko kmod.arch-mismatch .inhibitor=true

e2e_finish
