#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Hostile inputs in one tree next to one good ELF, scanned with the default database.
# aoms must not crash, hang or leave the tree; the good ELF is still reported; each
# damaged ELF and the FIFO is named in a finding or an error; output is deterministic
# whatever the number of threads.
#
#   good            a program needing libaoms-e2e-unknown.so.1: elf.needed-unknown
#   trunc-100       the first 100 bytes of good (program headers cut)   elf.malformed
#   trunc-2000      the first 2000 bytes (dynamic section, sections cut) elf.malformed
#   bad-shoff       e_shoff = 0x7fffffffffff0000
#   bad-phoff       e_phoff = 0xffffffffffffff00
#   huge-shnum      e_shnum = 0xffff (section headers run past the end)
#   huge-dynsize    PT_DYNAMIC and .dynamic claim 0x7fffffffffff0 bytes
#   huge-verneednum DT_VERNEEDNUM = 0xffffffff
#   bad-strtab      DT_STRTAB = 0xffffffffff00 (every name out of range)
#   no-shdrs        section headers removed as sstrip does: still a program that
#                   runs, read through PT_DYNAMIC: the same finding as good
#   fifo            a FIFO (opening it for reading would block)  scan.file-skipped
#   empty           0 bytes, not ELF
#   sparse-2g       a 2 GiB sparse file, not ELF (must not be read whole)
#   loop-a, loop-b  a symlink loop
#   ls-link         -> /usr/bin/ls (outside the tree: must not be scanned)
#   usrlib-link/    -> /usr/lib (outside the tree: must not be walked)

. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd gcc mkfifo truncate
# A FIFO opened for reading blocks forever: fail fast instead of at the ctest timeout.
AOMS_E2E_TIMEOUT=${AOMS_E2E_TIMEOUT:-120}

T=$E2E_TMP
B=$T/bad
mkdir -p "$B" || die "mkdir"

build_app_unknown "$B/good" || die "building good"
G=$B/good
head -c 100 "$G" >"$B/trunc-100"
head -c 2000 "$G" >"$B/trunc-2000"
for f in bad-shoff bad-phoff huge-shnum huge-dynsize huge-verneednum bad-strtab no-shdrs; do
	cp "$G" "$B/$f" || die "cp"
done
elfpatch ehdr "$B/bad-shoff" e_shoff 0x7fffffffffff0000 || die "patching bad-shoff"
elfpatch ehdr "$B/bad-phoff" e_phoff 0xffffffffffffff00 || die "patching bad-phoff"
elfpatch ehdr "$B/huge-shnum" e_shnum 0xffff || die "patching huge-shnum"
elfpatch dynsize "$B/huge-dynsize" 0x7fffffffffff0 || die "patching huge-dynsize"
elfpatch dyntag "$B/huge-verneednum" 0x6fffffff 0xffffffff || die "patching huge-verneednum"
elfpatch dyntag "$B/bad-strtab" 5 0xffffffffff00 || die "patching bad-strtab"
elfpatch ehdr "$B/no-shdrs" e_shoff 0 && elfpatch ehdr "$B/no-shdrs" e_shnum 0 &&
	elfpatch ehdr "$B/no-shdrs" e_shstrndx 0 || die "patching no-shdrs"
mkfifo "$B/fifo" || die "mkfifo"
: >"$B/empty"
truncate -s 2G "$B/sparse-2g" || die "truncate"
ln -s loop-b "$B/loop-a" && ln -s loop-a "$B/loop-b" || die "symlink loop"
ln -s /usr/bin/ls "$B/ls-link" || die "symlink"
ln -s /usr/lib "$B/usrlib-link" || die "symlink"

# ---- one run ----------------------------------------------------------------------
start=$(date +%s)
run_aoms scan --format json "$B"
secs=$(($(date +%s) - start))
e2e_log "scan of the hostile tree took ${secs}s, exit status $STATUS"
expect_status_bits 4 2
J=$OUT
expect_json_valid "$J" || die "no JSON report, nothing more to check"
expect_report_shape "$J" "$STATUS"
check "the scan takes less than 60s (took ${secs}s)" [ "$secs" -lt 60 ]

# The good program is still reported.
expect_finding "$J" good elf.needed-unknown soname=libaoms-e2e-unknown.so.1

# Damaged ELF files are named.
expect_finding "$J" trunc-100 elf.malformed .severity=medium
expect_finding "$J" trunc-2000 elf.malformed .severity=medium
for f in bad-shoff bad-phoff huge-shnum huge-dynsize huge-verneednum bad-strtab; do
	expect_mentioned "$J" "$f"
done
expect_finding "$J" no-shdrs elf.needed-unknown soname=libaoms-e2e-unknown.so.1
expect_finding "$J" fifo scan.file-skipped .severity=info
# Not ELF: nothing to say, but no malformed-ELF claim either.
for f in empty sparse-2g; do
	expect_no_finding "$J" "$f" elf.malformed
done
if ! _e2e_py mentioned "$J" loop-a 2>/dev/null && ! _e2e_py mentioned "$J" loop-b 2>/dev/null; then
	e2e_log "NOTE: the symlink loop is not named in the report (allowed: it leads nowhere)"
fi

# Nothing outside the tree was read.
expect_not_contains "$J" /usr/bin/ls "report"
expect_not_contains "$J" "$(readlink -f /usr/bin/ls)" "report"
expect_not_contains "$J" "/usr/lib/" "report"
expect_no_finding "$J" ls-link elf.version-node-missing
expect_json "$J" 'not [e for e in d["entries"] if subj(e).startswith("usrlib-link/") or "/usrlib-link/" in subj(e)]' \
	"no finding under usrlib-link/ (the outside directory was not walked)"
expect_json "$J" 'not [e for e in d["errors"] if "usrlib-link/" in e["subject"]]' \
	"no error under usrlib-link/"
expect_json "$J" 'all(e["rule"] == "scan.file-skipped" for e in d["entries"] if subj(e).endswith("ls-link"))' \
	"ls-link has no finding but scan.file-skipped"
expect_json "$J" 'len(d["entries"]) < 100' "a handful of findings, not a walk of /usr/lib"

# ---- the text renderer survives the same tree -------------------------------------
run_aoms scan --format text "$B"
expect_status_bits 4 2
expect_contains "$OUT" trunc-100 "text report"

# ---- determinism ----------------------------------------------------------------------
run_aoms scan --format json "$B"
expect_same_bytes "$J" "$OUT" "two runs differ"
run_aoms scan --format json --jobs 1 "$B"
J1=$OUT
expect_status_bits 4 2
run_aoms scan --format json --jobs 4 "$B"
expect_status_bits 4 2
expect_same_bytes "$J1" "$OUT" "--jobs 1 and --jobs 4 differ"

# ---- each file alone, given directly -------------------------------------------------
# (--allow-empty: an empty file or a FIFO alone judges nothing, exit bit 16, on purpose)
for f in trunc-100 trunc-2000 bad-shoff bad-phoff huge-shnum huge-dynsize huge-verneednum bad-strtab \
	no-shdrs empty fifo; do
	run_aoms scan --format json --allow-empty "$B/$f"
	expect_status_bits 0 2
	expect_json_valid "$OUT" "report of $f alone"
done

e2e_finish
