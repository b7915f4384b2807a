#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The eBPF scanner (the bpf row) on objects built here with clang -target bpf
# (tests/fixtures/bpf/*.c), judged against the default database's RHEL 8
# 4.18.0-408 BPF facts and, with --kernel, ANCK 4.19's:
#
#   clean          socket filter, hash map, one helper      bpf.object only
#   helper-loop    bpf_loop (181, 5.17)                     bpf.helper-missing
#   map-bloom      BPF_MAP_TYPE_BLOOM_FILTER (5.16)         bpf.map-type-missing
#   lsm            BPF_PROG_TYPE_LSM, CONFIG_BPF_LSM unset  bpf.prog-type-missing
#   core           CO-RE (preserve_access_index)            bpf.core-btf-unknown on EL8 (BTF=y,
#                                                           no BTF in the database);
#                                                           bpf.core-no-btf on 4.19-anck
#   subprog        a bpf-to-bpf call                        none (4.16 <= 5.14)
#   syscall-prog   BPF_PROG_TYPE_SYSCALL (5.14)             none; missing on 4.19-anck
# Bad input in the same scan: truncated, corrupt BTF, garbage "maps", a section
# larger than the file, a program of 4200 instructions.

. "$(dirname "$0")/lib.sh"
e2e_init
need_bpf_cc

T=$E2E_TMP/in
mkdir -p "$T" || die "mkdir"
CFLAGS=$BPF_CFLAGS
for src in "$FIXTURES"/bpf/*.c; do
	name=$(basename "$src" .c)
	clang $CFLAGS -c "$src" -o "$T/$name.bpf.o" || die "building $name.bpf.o"
done

# --- judged against the default kernel (4.18-el8) ---
run_aoms scan --format json "$T"
J=$OUT
cp "$J" "$E2E_TMP/el8.json"
expect_status_bits 8 1
expect_json_valid "$J"
expect_report_shape "$J" "$STATUS"
expect_rules "$J" clean.bpf.o "bpf.object"
expect_finding "$J" clean.bpf.o bpf.object .severity=info bpf_kernel=4.18-el8 reader=libbpf
expect_json "$J" "[e['evidence']['helpers'] for e in d['entries'] if e['subject']['path'] == 'clean.bpf.o'] == [['bpf_map_lookup_elem']]" \
	"clean: helper list"
expect_json "$J" "[f['verdict'] for f in d['files'] if f['path'] == 'clean.bpf.o'] == ['compatible']" \
	"clean: compatible"
expect_rules "$J" helper-loop.bpf.o "bpf.object bpf.helper-missing"
expect_finding "$J" helper-loop.bpf.o bpf.helper-missing .severity=high .inhibitor=true \
	kind=helper name=bpf_loop id=181 introduced_upstream=5.17
expect_rules "$J" map-bloom.bpf.o "bpf.object bpf.map-type-missing"
expect_finding "$J" map-bloom.bpf.o bpf.map-type-missing .dimension=kernel \
	name=BPF_MAP_TYPE_BLOOM_FILTER id=30 introduced_upstream=5.16
expect_rules "$J" lsm.bpf.o "bpf.object bpf.prog-type-missing"
expect_finding "$J" lsm.bpf.o bpf.prog-type-missing name=BPF_PROG_TYPE_LSM config=CONFIG_BPF_LSM
# the default database has no BTF of EL8: the CO-RE fields are not looked up
# (tests/e2e/test-bpf-core.sh), said once per scan
expect_rules "$J" core.bpf.o "bpf.object bpf.core-btf-unknown"
expect_json "$J" "[int(e['evidence']['core_relos']) > 0 for e in d['entries'] if e['subject']['path'] == 'core.bpf.o' and e['rule'] == 'bpf.object'] == [True]" \
	"core: CO-RE relocations counted"
expect_rules "$J" subprog.bpf.o "bpf.object"
expect_finding "$J" subprog.bpf.o bpf.object bpf_calls=1
expect_rules "$J" syscall-prog.bpf.o "bpf.object"
expect_json "$J" "{f['path']: f['lacks'] for f in d['files'] if f['scanner'] == 'bpf' and f['lacks']} == {'helper-loop.bpf.o': ['helper bpf_loop'], 'map-bloom.bpf.o': ['map-type BPF_MAP_TYPE_BLOOM_FILTER'], 'lsm.bpf.o': ['prog-type BPF_PROG_TYPE_LSM']}" \
	"files[].lacks"

# --- --kernel: ANCK 4.19 (by label and by release) ---
run_aoms scan --format json --kernel 4.19-anck "$T"
J=$OUT
expect_finding "$J" syscall-prog.bpf.o bpf.prog-type-missing name=BPF_PROG_TYPE_SYSCALL bpf_kernel=4.19-anck
expect_finding "$J" core.bpf.o bpf.core-no-btf .severity=medium .confidence=possible
expect_no_finding "$J" lsm.bpf.o bpf.prog-type-missing
run_aoms scan --format json --kernel 4.19.91-27.an8.x86_64 "$T/syscall-prog.bpf.o"
expect_finding "$OUT" syscall-prog.bpf.o bpf.prog-type-missing bpf_kernel=4.19-anck
# A kernel the database does not know at all is a usage error, said before scanning
# (bpf.facts-missing remains for a database that records the kernel but no BPF facts).
run_aoms scan --format json --kernel 9.9-nope "$T/clean.bpf.o"
expect_status 2 "unknown --kernel"
expect_contains "$ERR" "9.9-nope" "the message names the kernel"

# --- bad input: each a finding naming the file, and the scan goes on ---
B=$E2E_TMP/bad
mkdir -p "$B" || die "mkdir"
cp "$T/clean.bpf.o" "$B/"
head -c 400 "$T/clean.bpf.o" >"$B/truncated.bpf.o"
P="$FIXTURES/bpf/bpfpatch.py"
python3 "$P" "$T/clean.bpf.o" "$B/badbtf.bpf.o" fill .BTF 0xff || die "badbtf"
python3 "$P" "$T/clean.bpf.o" "$B/hugesec.bpf.o" size socket 0x7fffffff00 || die "hugesec"
printf 'char m[20] __attribute__((section("maps"), used)) = "garbage garbage!!!";\nint p(void *c) __attribute__((section("socket"), used));\nint p(void *c) { return 0; }\nchar l[] __attribute__((section("license"), used)) = "GPL";\n' \
	>"$E2E_TMP/maps.c"
clang $CFLAGS -c "$E2E_TMP/maps.c" -o "$B/garbagemaps.bpf.o" || die "garbagemaps"
{
	printf 'int big(void *ctx) __attribute__((section("socket"), used));\nint big(void *ctx) {\n'
	for i in $(seq 4200); do printf '\tasm volatile("r1 = %d" ::: "r1");\n' "$i"; done
	printf '\treturn 0;\n}\nchar l[] __attribute__((section("license"), used)) = "GPL";\n'
} >"$E2E_TMP/big.c"
clang $CFLAGS -c "$E2E_TMP/big.c" -o "$B/big.bpf.o" || die "big"
run_aoms scan --format json "$B"
J=$OUT
expect_json_valid "$J"
expect_rules "$J" clean.bpf.o "bpf.object"
expect_finding "$J" truncated.bpf.o bpf.malformed
expect_finding "$J" badbtf.bpf.o bpf.malformed
expect_json "$J" "any('BTF' in e['evidence']['reason'] for e in d['entries'] if e['subject']['path'] == 'badbtf.bpf.o' and e['rule'] == 'bpf.malformed')" \
	"corrupt BTF: the reason says BTF"
expect_finding "$J" hugesec.bpf.o bpf.malformed
expect_mentioned "$J" garbagemaps.bpf.o
expect_finding "$J" big.bpf.o bpf.insn-limit .severity=low
expect_json "$J" "[f['verdict'] for f in d['files'] if f['path'] == 'truncated.bpf.o'] == ['unknown']" \
	"damaged: verdict unknown"

# Deterministic: --jobs 1 and 2 give the same bytes.
run_aoms scan --format json --jobs 1 "$T"
expect_same_bytes "$E2E_TMP/el8.json" "$OUT"

e2e_finish
