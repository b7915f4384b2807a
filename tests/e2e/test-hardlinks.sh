#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Hard links: a tree holds the same file under several names (Mesa's *_dri.so, git's
# commands, perl and perl5.x). The read phase reads an inode once and gives its other
# names the same model when the row shares models (elf); every other case (a damaged
# object, an ET_REL object nobody judges, a text file) is read under each name. Either
# way the report is the one a tree of copies gives, name for name, and the summary
# counts each name.
#
#   tree/lib/libhl.so.1, tree/lib/libhl-b.so.1   one inode: pidfd_open through syscall()
#   tree/bin/app, tree/bin/app-b, tree/sbin/app   one inode: needs the host's glibc
#   tree/bad, tree/bad-b                          one inode: a truncated ELF
#   tree/obj.o, tree/obj-b.o                      one inode: an ET_REL object
#   tree/notes, tree/notes-b                      one inode: text
. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd gcc ln cp

T=$E2E_TMP
mkdir -p "$T/src" "$T/links/lib" "$T/links/bin" "$T/links/sbin"
cat >"$T/src/hl.c" <<'C'
#define _GNU_SOURCE
#include <sys/syscall.h>
#include <unistd.h>
long hl_open(int pid) { return syscall(434 /* pidfd_open */, pid, 0); }
C
printf 'long hl_open(int);\nint main(void) { return (int)hl_open(1); }\n' >"$T/src/app.c"
shlib "$T/links/lib/libhl.so.1" libhl.so.1 "$T/src/hl.c" || die "cannot build libhl"
build_cc "$T/links/bin/app" "$T/src/app.c" -L"$T/links/lib" -l:libhl.so.1 \
	-Wl,-rpath,'$ORIGIN/../lib' || die "cannot build app"
gcc -c -o "$T/links/obj.o" "$T/src/hl.c" || die "cannot build obj.o"
head -c 100 "$T/links/bin/app" >"$T/links/bad"
echo "plain text" >"$T/links/notes"
ln "$T/links/lib/libhl.so.1" "$T/links/lib/libhl-b.so.1"
ln "$T/links/bin/app" "$T/links/bin/app-b"
ln "$T/links/bin/app" "$T/links/sbin/app"
ln "$T/links/bad" "$T/links/bad-b"
ln "$T/links/obj.o" "$T/links/obj-b.o"
ln "$T/links/notes" "$T/links/notes-b"
cp -r "$T/links" "$T/copies"   # without -a: every name a file of its own
expect_eq "$(stat -c %h "$T/links/bin/app")" 3 "bin/app has three names"
expect_eq "$(stat -c %h "$T/copies/bin/app")" 1 "the copies are files of their own"

same_report() {   # same_report A B MESSAGE: the reports without run and inputs
	E2E_CHECKS=$((E2E_CHECKS + 1))
	python3 - "$1" "$2" <<'PY' && return 0
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for d in (a, b):
    d.pop("run", None); d.pop("inputs", None)
if a != b:
    for k in a:
        if a.get(k) != b.get(k):
            print("member %s differs:\n  %s\n  %s" % (k, json.dumps(a.get(k))[:600], json.dumps(b.get(k))[:600]))
    sys.exit(1)
PY
	fail "$3"
}

for jobs in 1 2; do
	run_aoms scan --jobs $jobs --format json "$T/links"
	cp "$OUT" "$T/links-$jobs.json"
	run_aoms scan --jobs $jobs --format json "$T/copies"
	cp "$OUT" "$T/copies-$jobs.json"
	same_report "$T/links-$jobs.json" "$T/copies-$jobs.json" \
		"--jobs $jobs: hard links report as copies do"
done
same_report "$T/links-1.json" "$T/links-2.json" "--jobs 1 and --jobs 2 agree on hard links"

R=$T/links-2.json
expect_json "$R" 'd["summary"]["files"]["seen"] == 11'
expect_json "$R" 'd["summary"]["files"]["by_scanner"]["elf"] == 7'
expect_json "$R" 'd["summary"]["files"]["not_judged"] == 2'
for lib in lib/libhl.so.1 lib/libhl-b.so.1; do
	expect_finding "$R" "$lib" syscall.missing
done
for bad in bad bad-b; do
	expect_finding "$R" "$bad" elf.malformed
done
for obj in obj.o obj-b.o; do
	expect_finding "$R" "$obj" scan.not-judged
done
expect_json "$R" 'sorted(f["path"] for f in d["files"]) == ["bad", "bad-b", "bin/app", "bin/app-b", "lib/libhl-b.so.1", "lib/libhl.so.1", "sbin/app"]'
e2e_finish
