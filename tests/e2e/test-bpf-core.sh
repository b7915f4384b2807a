#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# CO-RE relocations of eBPF objects judged against the target kernel's BTF that
# `aoms db build --kernel` records (tests/fixtures/bpf-core/):
#
#   core-target.c   the CO-RE cases, names made up so that any kernel answers alike:
#     task_struct.pid/tgid/flags, mm       present                     nothing
#     task_struct___aoms.aoms_gone         a flavor; field missing,
#                                          bpf_core_field_exists()     core-field-missing low
#     aoms_probe_only                      bpf_core_type_exists()      core-type-missing info
#     mm_struct.aoms_no_such_field         unguarded                   core-field-missing high
#     aoms_no_such_type.x                  unguarded                   core-type-missing high
#     bpf_map_type___aoms::..._AOMS_FAKE   bpf_core_enum_value()       core-enumval-missing high
#     bpf_map_type___aoms::..._HASH        exists                      nothing
#   tests/fixtures/bpf/core.c              task_struct.pid             nothing
#   target-kernel.c  a made-up kernel: its .BTF as raw BTF (--btf, a live root's
#                    /sys/kernel/btf/vmlinux) and the object as a vmlinux ELF.
#
# Databases: a live test root holding the host's /sys/kernel/btf/vmlinux (the
# made-up kernel's when the host has none), boot/vmlinux-R (ELF .BTF), --btf FILE;
# the default database has no BTF: one bpf.core-btf-unknown per scan.
# Hostile: CO-RE records with a bad type id, an access string outside the strings,
# an index past the members, an unknown kind, a length past the section.

. "$(dirname "$0")/lib.sh"
e2e_init
need_bpf_cc
# the CO-RE records are read with libbpf 1.0's btf API (scanners/bpf-core.c)
pkg-config --atleast-version=1.0 libbpf 2>/dev/null || skip "libbpf older than 1.0: CO-RE is not checked"

T=$E2E_TMP/in
mkdir -p "$T" || die "mkdir"
CFLAGS=$BPF_CFLAGS
clang $CFLAGS -c "$FIXTURES/bpf-core/core-target.c" -o "$T/core-target.bpf.o" || die "core-target"
clang $CFLAGS -c "$FIXTURES/bpf/core.c" -o "$T/core.bpf.o" || die "core"
clang -target bpf -O2 -g -c "$FIXTURES/bpf-core/target-kernel.c" -o "$E2E_TMP/vmlinux.o" || die "kernel"
P="$FIXTURES/bpf/bpfpatch.py"
python3 "$P" "$E2E_TMP/vmlinux.o" "$E2E_TMP/made-up.btf" dump .BTF - || die "dump .BTF"

REL=9.9.9-aoms.x86_64
# root ROOT with /lib/modules/$REL; $1: BTF for its /sys (live: osrelease names $REL)
make_root() {
	rm -rf "$1" && mkdir -p "$1/lib/modules/$REL" "$1/boot" || die "root"
	: >"$1/lib/modules/$REL/modules.dep"
	if [ -n "${2:-}" ]; then
		mkdir -p "$1/sys/kernel/btf" "$1/proc/sys/kernel" || die "root"
		cp "$2" "$1/sys/kernel/btf/vmlinux" || die "copy BTF"
		echo "$REL" >"$1/proc/sys/kernel/osrelease"
	fi
}

# expect_core JSON: the findings of core-target.bpf.o and core.bpf.o, exactly
expect_core() {
	expect_rules "$1" core-target.bpf.o "bpf.object bpf.facts-missing bpf.core-field-missing bpf.core-field-missing bpf.core-type-missing bpf.core-type-missing bpf.core-enumval-missing"
	expect_finding "$1" core-target.bpf.o bpf.core-field-missing .severity=high .confidence=likely \
		.inhibitor=true "type=struct mm_struct" field=aoms_no_such_field missing_member=aoms_no_such_field \
		"programs=unguarded (kprobe/do_fork)" relocations=field_byte_offset guarded=no btf_kernel=$REL
	expect_finding "$1" core-target.bpf.o bpf.core-field-missing .severity=low .inhibitor=false \
		"type=struct task_struct___aoms" field=aoms_gone "programs=guarded (kprobe/do_exit)" \
		"relocations=field_exists, field_byte_offset" guarded=yes
	expect_finding "$1" core-target.bpf.o bpf.core-type-missing .severity=high \
		"type=struct aoms_no_such_type" fields=x "programs=unguarded (kprobe/do_fork)"
	expect_finding "$1" core-target.bpf.o bpf.core-type-missing .severity=info \
		"type=struct aoms_probe_only" relocations=type_exists
	expect_finding "$1" core-target.bpf.o bpf.core-enumval-missing .severity=high \
		"type=enum bpf_map_type___aoms" enumval=BPF_MAP_TYPE_AOMS_FAKE___aoms relocations=enumval_value
	expect_json "$1" "[(f['verdict'], sorted(f['lacks'])) for f in d['files'] if f['path'] == 'core-target.bpf.o'] == [('incompatible', ['enum bpf_map_type___aoms BPF_MAP_TYPE_AOMS_FAKE___aoms', 'struct aoms_no_such_type', 'struct mm_struct aoms_no_such_field'])]" \
		"core-target: incompatible, lacking the unguarded ones"
	expect_rules "$1" core.bpf.o "bpf.object bpf.facts-missing"
	expect_json "$1" "not any(e['rule'] == 'bpf.core-btf-unknown' for e in d['entries'])" \
		"no bpf.core-btf-unknown with BTF"
}

# --- a live root: /sys/kernel/btf/vmlinux of the running kernel ---
HOST_BTF=/sys/kernel/btf/vmlinux
[ -r "$HOST_BTF" ] || HOST_BTF=$E2E_TMP/made-up.btf
make_root "$E2E_TMP/live" "$HOST_BTF"
run_aoms db build --kernel "$E2E_TMP/live/lib/modules/$REL" -o "$E2E_TMP/live.db"
expect_status 0 "db build --kernel of a live root"
run_aoms scan --db "$E2E_TMP/live.db" --format json "$T"
J=$OUT
cp "$J" "$E2E_TMP/live.json"
expect_json_valid "$J"
expect_core "$J"
run_aoms scan --db "$E2E_TMP/live.db" --kernel "$REL" --format json "$T"
expect_core "$OUT"
# deterministic: --jobs 1 and 2 give the same bytes
run_aoms scan --db "$E2E_TMP/live.db" --format json --jobs 1 "$T"
expect_same_bytes "$E2E_TMP/live.json" "$OUT"
# layered (--db twice): the kernel's BTF in the lower layer still answers
run_aoms scan --db "$E2E_TMP/live.db" --db embedded --kernel "$REL" --format json "$T"
expect_core "$OUT"

# /sys of a root that does not run the kernel is not its BTF
make_root "$E2E_TMP/dead" "$HOST_BTF"
echo 1.2.3 >"$E2E_TMP/dead/proc/sys/kernel/osrelease"
run_aoms db build --kernel "$E2E_TMP/dead/lib/modules/$REL" -o "$E2E_TMP/dead.db"
run_aoms scan --db "$E2E_TMP/dead.db" --format json "$T"
expect_finding "$OUT" core-target.bpf.o bpf.core-btf-unknown objects=2 \
	"reason=the database has no kernel BTF"

# --- a vmlinux (ELF with .BTF) beside the kernel, and --btf FILE, with --root too ---
make_root "$E2E_TMP/elf"
cp "$E2E_TMP/vmlinux.o" "$E2E_TMP/elf/boot/vmlinux-$REL" || die "vmlinux"
run_aoms db build --root "$E2E_TMP/elf" -o "$E2E_TMP/elf.db"
expect_status 0 "db build --root with boot/vmlinux-R"
run_aoms scan --db "$E2E_TMP/elf.db" --format json "$T"
expect_core "$OUT"
make_root "$E2E_TMP/plain"
run_aoms db build --kernel "$E2E_TMP/plain/lib/modules/$REL" --btf "$E2E_TMP/made-up.btf" \
	-o "$E2E_TMP/btf.db"
expect_status 0 "db build --btf"
run_aoms scan --db "$E2E_TMP/btf.db" --format json "$T"
expect_core "$OUT"
# the blob is stored deflated, with where it came from; db info lists it
run_aoms db info --db "$E2E_TMP/btf.db" --format json
expect_json "$OUT" "[(b['release'], b['encoding'], b['size'], b['origin']) for b in d['kernel_btf']] == [('$REL', 'zlib', $(stat -c %s "$E2E_TMP/made-up.btf"), '$E2E_TMP/made-up.btf')]" \
	"db info: kernel_btf"
run_aoms db info --format json
expect_json "$OUT" "d['kernel_btf'] == []" "the default database has no BTF"
expect_eq "$(python3 -c "
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(*c.execute('SELECT encoding, raw_size, origin FROM kernel_btf').fetchone())
" "$E2E_TMP/btf.db")" "zlib $(stat -c %s "$E2E_TMP/made-up.btf") $E2E_TMP/made-up.btf" "kernel_btf row"
expect_eq "$(python3 -c "
import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute(\"SELECT value FROM meta WHERE key = 'schema_version'\").fetchone()[0])
" "$E2E_TMP/btf.db")" "2.5" "schema 2.5"

# --- BTF that is not: a clear error, never a crash ---
printf 'not BTF at all\n' >"$E2E_TMP/junk.btf"
run_aoms db build --kernel "$E2E_TMP/plain/lib/modules/$REL" --btf "$E2E_TMP/junk.btf" -o "$E2E_TMP/junk.db"
expect_status 1 "--btf of junk"
expect_contains "$ERR" "holds no kernel BTF" "the error names the problem"
run_aoms db build --root "$E2E_TMP/plain" --btf "$E2E_TMP/made-up.btf" -o "$E2E_TMP/junk.db"
expect_status 2 "--btf without one --kernel"
make_root "$E2E_TMP/badelf"
head -c 300 "$E2E_TMP/vmlinux.o" >"$E2E_TMP/badelf/boot/vmlinux-$REL"
run_aoms db build --root "$E2E_TMP/badelf" -o "$E2E_TMP/badelf.db"
expect_status 1 "a damaged vmlinux is a reported error"
expect_contains "$ERR" "cannot read BTF from" "the error names the file"
expect_nonempty_file "$E2E_TMP/badelf.db"

# --- the default database has no BTF: said once per scan, on the first object ---
run_aoms scan --format json "$T"
J=$OUT
expect_json "$J" "[(e['subject']['path'], e['severity']) for e in d['entries'] if e['rule'] == 'bpf.core-btf-unknown'] == [('core-target.bpf.o', 'info')]" \
	"one bpf.core-btf-unknown, on the first object"
expect_finding "$J" core-target.bpf.o bpf.core-btf-unknown objects=2
expect_json "$J" "not any(e['rule'] in ('bpf.core-field-missing', 'bpf.core-type-missing') for e in d['entries'])" \
	"nothing judged without BTF"

# --- hostile CO-RE records: bpf.core-relo-invalid or bpf.malformed, and the scan goes on ---
B=$E2E_TMP/bad
mkdir -p "$B" || die "mkdir"
O=$T/core-target.bpf.o
python3 "$P" "$O" "$B/typeid.bpf.o" core type_id 0x7fffffff || die "typeid"
python3 "$P" "$O" "$B/access.bpf.o" core access_str_off 0xfffffff0 || die "access"
python3 "$P" "$O" "$B/kind.bpf.o" core kind 99 || die "kind"
python3 "$P" "$O" "$B/len.bpf.o" core core_relo_len 0xffffff00 || die "len"
python3 "$P" "$O" "$B/member.bpf.o" string "0:3" "0:9" || die "member"
run_aoms scan --db "$E2E_TMP/live.db" --format json "$B"
J=$OUT
expect_json_valid "$J"
expect_finding "$J" typeid.bpf.o bpf.core-relo-invalid .severity=medium \
	"reason=type id 2147483647 is not in the object's BTF" records=1
expect_finding "$J" access.bpf.o bpf.core-relo-invalid \
	"reason=the access string lies outside the BTF strings"
expect_finding "$J" kind.bpf.o bpf.core-relo-invalid "reason=unknown relocation kind 99"
expect_finding "$J" member.bpf.o bpf.core-relo-invalid
expect_json "$J" "any(e['evidence']['reason'].startswith('member 9 of') for e in d['entries'] if e['rule'] == 'bpf.core-relo-invalid' and e['subject']['path'] == 'member.bpf.o')" \
	"an index past the members"
expect_finding "$J" len.bpf.o bpf.malformed
# the records that do resolve are still judged
expect_finding "$J" kind.bpf.o bpf.core-type-missing "type=struct aoms_no_such_type"

e2e_finish
