#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The NVIDIA driver's libraries (libcuda.so.1, libnvidia-*.so): no OS ships them, the
# hosts' driver does, in the version of its kernel module. An object that needs one is
# told so (elf.needed-unknown with provided_by), never to bundle it, and the CUDA
# toolkit's link-time stub (lib/stubs/libcuda.so) or a copy beside the application is
# not taken for the library.
#
#   alone/libapp.so                 NEEDED libcuda.so.1, nothing in the tree
#   stub/lib/libapp.so + lib/stubs/libcuda.so    the toolkit's stub, off the path
#   copy/lib/libapp.so + lib/libcuda.so.1        a copy on the loader's path
. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd gcc

T=$E2E_TMP
mkdir -p "$T/src" "$T/alone" "$T/stub/lib/stubs" "$T/copy/lib" || die "mkdir"
printf 'int cuInit(unsigned flags) { return (int)flags; }\n' >"$T/src/cuda.c"
printf 'int cuInit(unsigned);\nint app_start(void) { return cuInit(0); }\n' >"$T/src/app.c"
shlib "$T/stub/lib/stubs/libcuda.so" libcuda.so.1 "$T/src/cuda.c" || die "building the stub"
cp "$T/stub/lib/stubs/libcuda.so" "$T/copy/lib/libcuda.so.1" || die "cp"
shlib "$T/alone/libapp.so" libapp.so "$T/src/app.c" "" -Wl,--no-as-needed "$T/stub/lib/stubs/libcuda.so" ||
	die "building libapp.so"
cp "$T/alone/libapp.so" "$T/stub/lib/" && cp "$T/alone/libapp.so" "$T/copy/lib/" || die "cp"

run_aoms scan --format json "$T/alone"
expect_rules "$OUT" libapp.so "elf.needed-unknown"
expect_finding "$OUT" libapp.so elf.needed-unknown soname=libcuda.so.1 "provided_by=the NVIDIA driver"
expect_json "$OUT" 'all("bundle" not in json.dumps(e["detail"]).replace("never bundle", "") for e in d["entries"])' \
	"the remedy does not say to bundle the driver's library"

run_aoms scan --format json "$T/stub"
expect_rules "$OUT" lib/libapp.so "elf.needed-unknown"
expect_finding "$OUT" lib/libapp.so elf.needed-unknown soname=libcuda.so.1 stub=lib/stubs/libcuda.so
expect_json "$OUT" 'not any(a["kind"] == "set-runpath" for e in d["entries"] for a in e.get("actions", []))' \
	"no advice to put the stubs directory on RUNPATH"

run_aoms scan --format json "$T/copy"
expect_finding "$OUT" lib/libapp.so elf.needed-unknown soname=libcuda.so.1 stub=lib/libcuda.so.1
expect_json "$OUT" '[f["verdict"] for f in d["files"] if f["path"] == "lib/libapp.so"] == ["unknown"]' \
	"whether the hosts have the driver is not known"
e2e_finish
