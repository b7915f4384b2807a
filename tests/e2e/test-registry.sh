#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The scanner registry as a user meets it: files no scanner judges yet but that a
# user expects judged are reported as scan.not-judged (info), never dropped; the
# summary counts files seen, judged per scanner, not judged and skipped; the text
# report says so in one line.
#
#   obj.o           gcc -c                                  relocatable-object
#   drv.ko          ET_REL with .modinfo and this_module    judged by kmod: a toy whose
#                   this_module is too small for a name      kmod.malformed
#   noext           the same module without the .ko name    kmod (by .modinfo)
#   prog.bpf.o      clang -target bpf (when clang is there) judged by bpf, info only
#   libplain.so.1   -nostdlib shared object                 judged by elf, no finding
#   notes.txt       text                                    skipped

. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd gcc

T=$E2E_TMP/in
mkdir -p "$T" || die "mkdir"
printf 'int f(void) { return 1; }\n' >"$E2E_TMP/obj.c"
gcc -c "$E2E_TMP/obj.c" -o "$T/obj.o" || die "building obj.o"
cat >"$E2E_TMP/mod.c" <<'C'
static const char modinfo[] __attribute__((section(".modinfo"), used)) =
	"license=GPL\0vermagic=4.18.0 SMP mod_unload modversions \0name=drv";
struct module { char name[56]; } __this_module
	__attribute__((section(".gnu.linkonce.this_module"))) = { "drv" };
int init_module(void) { return 0; }
C
gcc -c "$E2E_TMP/mod.c" -o "$T/drv.ko" || die "building drv.ko"
cp "$T/drv.ko" "$T/noext"
printf 'int plain(void) { return 2; }\n' >"$E2E_TMP/plain.c"
gcc -shared -fPIC -nostdlib -Wl,-soname,libplain.so.1 "$E2E_TMP/plain.c" -o "$T/libplain.so.1" ||
	die "building libplain.so.1"
echo "release notes" >"$T/notes.txt"
bpf=0
if command -v clang >/dev/null 2>&1; then
	printf 'int prog(void *ctx) __attribute__((section("socket"), used));\nint prog(void *ctx) { return 0; }\nchar _license[] __attribute__((section("license"), used)) = "GPL";\n' \
		>"$E2E_TMP/prog.c"
	clang -O2 -target bpf -c "$E2E_TMP/prog.c" -o "$T/prog.bpf.o" && bpf=1
fi
[ $bpf = 1 ] || e2e_log "no clang -target bpf: the eBPF case is not checked"

run_aoms scan --format json "$T"
expect_status 4 "the toy module is damaged (medium)"
J=$OUT
expect_json_valid "$J"
expect_report_shape "$J" 4
expect_finding "$J" obj.o scan.not-judged .severity=info kind=relocatable-object
expect_finding "$J" drv.ko kmod.malformed .dimension=hardware "reason=corrupt .gnu.linkonce.this_module"
expect_finding "$J" noext kmod.malformed
expect_json "$J" "{f['path']: (f['scanner'], f['verdict']) for f in d['files'] if f['scanner'] == 'kmod'} == {'drv.ko': ('kmod', 'unknown'), 'noext': ('kmod', 'unknown')}" \
	"the modules' verdicts"
expect_rules "$J" libplain.so.1 ""
expect_rules "$J" notes.txt ""
seen=$((5 + bpf))
expect_json "$J" "d['summary']['files'] == {'seen': $seen, 'judged': $((3 + bpf)), 'by_scanner': {'rpm': 0, 'kmod': 2, 'elf': 1, 'bpf': $bpf}, 'not_judged': 1, 'skipped': 1, 'failed': 0}" \
	"summary.files counts"
if [ $bpf = 1 ]; then
	expect_rules "$J" prog.bpf.o "bpf.object"
fi

# The same in the text report: one line of counts.
run_aoms scan "$T"
expect_status 4
check "text report counts files in one line" \
	grep -qx "files: $seen seen, $((3 + bpf)) judged (kmod 2, elf 1$([ $bpf = 1 ] && echo ', bpf 1')), 1 not judged, 1 skipped" "$OUT"

# --jobs 1 and --jobs 2 give the same bytes.
run_aoms scan --format json --jobs 1 "$T"
cp "$OUT" "$E2E_TMP/j1.json"
run_aoms scan --format json --jobs 2 "$T"
expect_same_bytes "$E2E_TMP/j1.json" "$OUT"

e2e_finish
