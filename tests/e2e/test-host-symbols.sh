#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Plug-ins, builds for other platforms and loader details, with the embedded default
# database. Every object is linked -nostdlib (no glibc need on any host) unless said.
#
#   venv/.../site-packages/foo.cpython-39-x86_64-linux-gnu.so  PyInit_foo, Py* imports,
#        foo-1.0.dist-info/WHEEL (manylinux2014 tags) + RECORD   elf.host-symbols (info)
#   venv/.../site-packages/_dlext.cpython-39-x86_64-linux-gnu.so  dlopen, dlsym unversioned
#        (libdl: the interpreter has it loaded on EL8)          elf.host-symbols (info)
#   node_modules/addon/prebuilds/linux-x64/addon.node        napi_* uv_*   elf.host-symbols
#   node_modules/addon/prebuilds/linux-arm64/addon.node      e_machine 183 elf.other-platform
#   node_modules/addon/prebuilds/linux-x64/addon.musl.node   libc.musl-*   elf.other-platform
#   node_modules/legacy/prebuilds/linux-x64/legacy.node  no entry point exported, registers
#        through napi_module_register from a constructor (older headers): elf.host-symbols
#   jni/libfoo-jni.so   Java_Foo_bar, JNI_OnLoad, needs libjvm.so (off its path): elf.needed-host;
#                       scanned alone, JNI_GetCreatedJavaVMs too:          elf.host-symbols
#   jdk/lib/libjava.so  needs libjvm.so = jdk/lib/server/libjvm.so        elf.needed-host
#   (all of the above: only info findings, exit 0 with --fail-on low)
#   armonly/prebuilds/linux-arm64/addon.node  no x64 twin: elf.machine-unsupported (blocks)
#   probe/prebuilds/linux-x64/probe.musl.node  syscall(clone3) in a musl build beside a glibc
#        one: elf.other-platform only, its syscalls not judged; the glibc twin: syscall.missing
#   --arch aarch64 too: the arm64 twin is checked, not elf.other-platform
#   pybad/bar.cpython-39-x86_64-linux-gnu.so  a non-Py import: elf.symbol-unresolved too
#   origin/lib/plugins/libplug.so  DT_NEEDED $ORIGIN/../libaoms-e2e-origin.so.1: resolved
#   relr/librelr.so  -z pack-relative-relocs against libc: exactly one DT_RELR finding

. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd gcc readelf

F=$FIXTURES/host
T=$E2E_TMP
NS=(-nostdlib)

# ---- the plug-ins --------------------------------------------------------------------
SP=$T/ok/venv/lib/python3.9/site-packages
mkdir -p "$SP/foo-1.0.dist-info" "$T/ok/node_modules/addon/prebuilds/linux-x64" \
	"$T/ok/node_modules/addon/prebuilds/linux-arm64" "$T/ok/node_modules/legacy/prebuilds/linux-x64" \
	"$T/ok/jni" \
	"$T/ok/jdk/lib/server" "$T/ok/jdk/bin" "$T/stubs" || die "mkdir"
shlib "$SP/foo.cpython-39-x86_64-linux-gnu.so" foo.cpython-39-x86_64-linux-gnu.so "$F/pyext.c" "" "${NS[@]}" ||
	die "building the Python extension"
shlib "$SP/_dlext.cpython-39-x86_64-linux-gnu.so" _dlext.cpython-39-x86_64-linux-gnu.so "$F/pyext-dl.c" "" \
	"${NS[@]}" || die "building the extension that uses dlopen"
printf 'Wheel-Version: 1.0\nGenerator: bdist_wheel (0.37.1)\nRoot-Is-Purelib: false\nTag: cp39-cp39-manylinux_2_17_x86_64\nTag: cp39-cp39-manylinux2014_x86_64\n' \
	>"$SP/foo-1.0.dist-info/WHEEL"
printf 'foo.cpython-39-x86_64-linux-gnu.so,sha256=x,1\nfoo-1.0.dist-info/WHEEL,sha256=y,2\nfoo-1.0.dist-info/RECORD,,\n' \
	>"$SP/foo-1.0.dist-info/RECORD"

PB=$T/ok/node_modules/addon/prebuilds
shlib "$PB/linux-x64/addon.node" addon.node "$F/addon.c" "" "${NS[@]}" || die "building the addon"
cp "$PB/linux-x64/addon.node" "$PB/linux-arm64/addon.node" &&
	elfpatch ehdr "$PB/linux-arm64/addon.node" e_machine 183 || die "patching e_machine"
shlib "$T/stubs/libc.musl-x86_64.so.1" libc.musl-x86_64.so.1 "$F/origin-lib.c" "" "${NS[@]}" ||
	die "building a musl stand-in"
shlib "$PB/linux-x64/addon.musl.node" addon.musl.node "$F/addon.c" "" "${NS[@]}" \
	-Wl,--no-as-needed "$T/stubs/libc.musl-x86_64.so.1" || die "building the musl addon"

shlib "$T/ok/node_modules/legacy/prebuilds/linux-x64/legacy.node" legacy.node "$F/addon-legacy.c" "" \
	"${NS[@]}" || die "building the legacy addon"
mkdir -p "$T/ok/perl5/auto/Foo" "$T/ok/pgsql/lib" || die "mkdir"
shlib "$T/ok/perl5/auto/Foo/Foo.so" Foo.so "$F/perl-xs.c" "" "${NS[@]}" || die "building the XS module"
mkdir -p "$T/perl516/auto/Foo" || die "mkdir"
shlib "$T/perl516/auto/Foo/Foo.so" Foo.so "$F/perl-xs.c" "" "${NS[@]}" -DAPI='"v5.16.0"' ||
	die "building the CentOS 7 XS module"
mkdir -p "$T/perlvs/auto/Foo" || die "mkdir"
shlib "$T/perlvs/auto/Foo/Foo.so" Foo.so "$F/perl-xs.c" "" "${NS[@]}" -DAPI='"v5.16.0"' -DNO_HANDSHAKE ||
	die "building the module with a mere version string"
shlib "$T/ok/pgsql/lib/aoms_ext.so" aoms_ext.so "$F/pg-ext.c" "" "${NS[@]}" || die "building the extension"
mkdir -p "$T/ok/node_modules/v8addon/prebuilds/linux-x64" || die "mkdir"
shlib "$T/ok/node_modules/v8addon/prebuilds/linux-x64/node.abi108.glibc.node" v8addon.node \
	"$F/addon-v8.c" "" "${NS[@]}" || die "building the V8-ABI addon"

shlib "$T/stubs/libjvm.so" libjvm.so "$F/jvm.c" "" "${NS[@]}" || die "building libjvm.so"
shlib "$T/ok/jni/libfoo-jni.so" libfoo-jni.so "$F/jni.c" "" "${NS[@]}" \
	-Wl,--no-as-needed "$T/stubs/libjvm.so" || die "building the JNI library"
cp "$T/stubs/libjvm.so" "$T/ok/jdk/lib/server/libjvm.so" || die "cp libjvm.so"
shlib "$T/ok/jdk/lib/libjava.so" libjava.so "$F/libjava.c" "" "${NS[@]}" \
	-Wl,--no-as-needed "$T/stubs/libjvm.so" || die "building libjava.so"
build_cc "$T/ok/jdk/bin/java" "$F/start.c" -nostdlib -static || die "building bin/java"
printf 'JAVA_VERSION="17.0.2"\n' >"$T/ok/jdk/release"

run_aoms scan --format json --fail-on low "$T/ok"
expect_status 0 "plug-ins and a JDK: only information"
J=$OUT
expect_json_valid "$J"
expect_report_shape "$J" 0
expect_json "$J" 'all(e["severity"] == "info" for e in d["entries"])' "only info findings"
expect_rules "$J" venv/lib/python3.9/site-packages/foo.cpython-39-x86_64-linux-gnu.so "elf.host-symbols"
expect_finding "$J" venv/lib/python3.9/site-packages/foo.cpython-39-x86_64-linux-gnu.so elf.host-symbols \
	host=python "host_name=CPython 3.9" symbol=PyLong_FromLong
expect_json "$J" 'any(e["rule"] == "elf.host-symbols" and "cp39-cp39-manylinux2014_x86_64" in e["evidence"].get("wheel_tags", []) and sorted(e["evidence"]["symbols"]) == ["PyLong_FromLong", "PyModule_Create2", "_Py_NoneStruct"] for e in d["entries"])' \
	"the Python host is named from the WHEEL tags, with its three symbols"
expect_rules "$J" venv/lib/python3.9/site-packages/_dlext.cpython-39-x86_64-linux-gnu.so "elf.host-symbols"
expect_json "$J" 'any(e["rule"] == "elf.host-symbols" and e["subject"]["path"].endswith("_dlext.cpython-39-x86_64-linux-gnu.so") and sorted(e["evidence"]["symbols"]) == ["PyLong_FromLong", "dlopen", "dlsym"] for e in d["entries"])' \
	"libdl's dlopen and dlsym come from the Python host"
expect_rules "$J" node_modules/addon/prebuilds/linux-x64/addon.node "elf.host-symbols"
expect_finding "$J" node_modules/addon/prebuilds/linux-x64/addon.node elf.host-symbols host=node \
	prebuild=linux-x64 "host_name=Node.js (Node-API)"
expect_rules "$J" node_modules/legacy/prebuilds/linux-x64/legacy.node "elf.host-symbols"
expect_finding "$J" node_modules/legacy/prebuilds/linux-x64/legacy.node elf.host-symbols host=node \
	prebuild=linux-x64 symbol=napi_create_int32
expect_rules "$J" node_modules/addon/prebuilds/linux-arm64/addon.node "elf.other-platform"
expect_finding "$J" node_modules/addon/prebuilds/linux-arm64/addon.node elf.other-platform \
	machine=aarch64 libc=none twin=node_modules/addon/prebuilds/linux-x64/addon.node .severity=info
expect_rules "$J" node_modules/addon/prebuilds/linux-x64/addon.musl.node "elf.other-platform"
expect_finding "$J" node_modules/addon/prebuilds/linux-x64/addon.musl.node elf.other-platform \
	machine=x86_64 libc=musl
expect_json "$J" '{f["path"].split("/")[-1]: f["verdict"] for f in d["files"] if "/addon/" in f["path"]} == {"addon.node": "compatible", "addon.musl.node": "other-platform"} and [f["verdict"] for f in d["files"] if f["path"].endswith("linux-arm64/addon.node")] == ["other-platform"]' \
	"builds for other platforms have the verdict other-platform, not compatible"
expect_json "$J" '[json.dumps(e["detail"]) for e in d["entries"] if e["rule"] == "elf.other-platform" and e["subject"]["path"].endswith("addon.musl.node")] == [json.dumps(e["detail"]) for e in d["entries"] if e["rule"] == "elf.other-platform" and e["subject"]["path"].endswith("addon.musl.node") and "glibc build beside it" in json.dumps(e["detail"]) and "--arch" not in json.dumps(e["detail"])] != []' \
	"the musl build's remedy does not suggest --arch x86_64, which the scan targets already"
# node_module_register and V8's C++ API come from Node; the prebuild's name says the version
expect_rules "$J" node_modules/v8addon/prebuilds/linux-x64/node.abi108.glibc.node "elf.host-symbols"
expect_finding "$J" node_modules/v8addon/prebuilds/linux-x64/node.abi108.glibc.node elf.host-symbols \
	host=node node_module_version=108 "host_name=Node.js (NODE_MODULE_VERSION 108)" \
	symbols=node_module_register
# a Perl XS module and a PostgreSQL extension: the interpreter's and the server's own
expect_rules "$J" perl5/auto/Foo/Foo.so "elf.host-symbols"
expect_finding "$J" perl5/auto/Foo/Foo.so elf.host-symbols host=perl symbols=Perl_croak_nocontext \
	symbols=PL_thr_key "host_name=Perl 5.26"
expect_rules "$J" pgsql/lib/aoms_ext.so "elf.host-symbols"
expect_finding "$J" pgsql/lib/aoms_ext.so elf.host-symbols host=postgres symbols=palloc symbols=ArrayGetNItems
# the tree's JDK holds a libjvm.so that defines the JNI library's JNI_* import
expect_rules "$J" jni/libfoo-jni.so "elf.needed-host"
expect_finding "$J" jni/libfoo-jni.so elf.needed-host soname=libjvm.so host=jvm
expect_rules "$J" jdk/lib/libjava.so "elf.needed-host"
expect_finding "$J" jdk/lib/libjava.so elf.needed-host soname=libjvm.so provider=jdk/lib/server/libjvm.so \
	jdk_release=jdk/release
expect_rules "$J" jdk/lib/server/libjvm.so ""
expect_rules "$J" jdk/bin/java ""

# the JNI library alone: libjvm.so and its JNI_* symbols come from the JVM
run_aoms scan --format json --fail-on low "$T/ok/jni"
expect_status 0 "a JNI library alone: only information"
expect_rules "$OUT" libfoo-jni.so "elf.host-symbols elf.needed-host"
expect_finding "$OUT" libfoo-jni.so elf.needed-host soname=libjvm.so host=jvm
expect_finding "$OUT" libfoo-jni.so elf.host-symbols host=jvm symbol=JNI_GetCreatedJavaVMs

# a build for another platform is not judged at all, its syscalls included
P=$T/probe/node_modules/probe/prebuilds/linux-x64
mkdir -p "$P" || die "mkdir"
shlib "$P/probe.glibc.node" probe.glibc.node "$F/clone3-probe.c" "" -O2 "${NS[@]}" || die "building the probe"
shlib "$P/probe.musl.node" probe.musl.node "$F/clone3-probe.c" "" -O2 "${NS[@]}" \
	-Wl,--no-as-needed "$T/stubs/libc.musl-x86_64.so.1" || die "building the musl probe"
run_aoms scan --format json "$T/probe"
expect_finding "$OUT" node_modules/probe/prebuilds/linux-x64/probe.glibc.node syscall.missing syscall=clone3
expect_rules "$OUT" node_modules/probe/prebuilds/linux-x64/probe.musl.node "elf.other-platform"
expect_json "$OUT" 'not [f for f in d["files"] if f["path"].endswith("probe.musl.node") and f.get("syscalls")]' \
	"the musl build's syscalls are not listed"

# --arch aarch64 as well: the arm64 build is for a migrated host, so it is checked
run_aoms scan --format json --arch x86_64 --arch aarch64 "$T/ok"
expect_no_finding "$OUT" node_modules/addon/prebuilds/linux-arm64/addon.node elf.other-platform
expect_finding "$OUT" node_modules/addon/prebuilds/linux-arm64/addon.node elf.host-symbols host=node \
	prebuild=linux-arm64

run_aoms scan --arch sparc "$T/ok"
expect_status 2 "an unknown --arch is a usage error"

# ---- the only build is foreign: a blocker ---------------------------------------------
mkdir -p "$T/armonly/node_modules/armonly/prebuilds/linux-arm64" || die "mkdir"
cp "$PB/linux-arm64/addon.node" "$T/armonly/node_modules/armonly/prebuilds/linux-arm64/" || die "cp"
run_aoms scan --format json "$T/armonly"
expect_status_bits 8 3
expect_rules "$OUT" node_modules/armonly/prebuilds/linux-arm64/addon.node "elf.machine-unsupported"
expect_finding "$OUT" node_modules/armonly/prebuilds/linux-arm64/addon.node elf.machine-unsupported \
	machine=aarch64 .severity=high .inhibitor=true

# ---- an XS module built for CentOS 7's perl 5.16: EL8's perl 5.26 refuses it -----------
run_aoms scan --format json "$T/perl516"
expect_status_bits 8 3
expect_rules "$OUT" auto/Foo/Foo.so "elf.host-symbols elf.host-version"
expect_finding "$OUT" auto/Foo/Foo.so elf.host-version host=perl version=5.16 target_version=5.26 \
	.severity=high .inhibitor=true
expect_finding "$OUT" auto/Foo/Foo.so elf.host-symbols "host_name=Perl 5.16"
# "v5.16.0" that the module does not hand to perl is no API version
run_aoms scan --format json "$T/perlvs"
expect_no_finding "$OUT" auto/Foo/Foo.so elf.host-version

# ---- the only build is for musl: it cannot load on a glibc target ---------------------
mkdir -p "$T/muslonly/node_modules/m/prebuilds/linux-x64" || die "mkdir"
cp "$PB/linux-x64/addon.musl.node" "$T/muslonly/node_modules/m/prebuilds/linux-x64/" || die "cp"
run_aoms scan --format json "$T/muslonly"
expect_status_bits 8 3
expect_rules "$OUT" node_modules/m/prebuilds/linux-x64/addon.musl.node "elf.host-symbols elf.needed-missing"
expect_finding "$OUT" node_modules/m/prebuilds/linux-x64/addon.musl.node elf.needed-missing \
	soname=libc.musl-x86_64.so.1 "libc=musl libc" .severity=high .inhibitor=true .confidence=certain
expect_json "$OUT" '[f["verdict"] for f in d["files"]] == ["incompatible"]' "a musl-only build is incompatible"

# ---- a Python extension with a symbol the interpreter does not define ---------------
mkdir -p "$T/pybad" || die "mkdir"
shlib "$T/pybad/bar.cpython-39-x86_64-linux-gnu.so" bar.so "$F/pyext-bad.c" "" "${NS[@]}" ||
	die "building the bad extension"
run_aoms scan --format json "$T/pybad"
expect_rules "$OUT" bar.cpython-39-x86_64-linux-gnu.so "elf.host-symbols elf.symbol-unresolved"
expect_finding "$OUT" bar.cpython-39-x86_64-linux-gnu.so elf.symbol-unresolved symbol=aoms_e2e_not_python
expect_finding "$OUT" bar.cpython-39-x86_64-linux-gnu.so elf.host-symbols symbol=PyLong_FromLong \
	"host_name=CPython 3.9"

# ---- a library that leans on the one beside it ------------------------------------------
# (the JDK's libfontmanager.so on libawt_headless.so, which the JVM loads first)
mkdir -p "$T/sib/lib" "$T/sib/other" || die "mkdir"
printf 'int sib_fn(int x) { return x + 1; }\nint sib_gn(int x) { return x - 1; }\n' >"$T/sib.c"
printf 'int sib_fn(int), sib_gn(int);\nint user_fn(int x) { return sib_fn(x) + sib_gn(x); }\n' >"$T/user.c"
shlib "$T/sib/lib/libsib.so" libsib.so "$T/sib.c" "" "${NS[@]}" || die "building libsib.so"
shlib "$T/sib/lib/libuser.so" libuser.so "$T/user.c" "" "${NS[@]}" || die "building libuser.so"
cp "$T/sib/lib/libuser.so" "$T/sib/other/libuser.so" || die "cp"
run_aoms scan --format json "$T/sib"
expect_finding "$OUT" lib/libuser.so elf.symbol-unresolved .severity=info defined_beside=lib/libsib.so \
	symbols=sib_fn symbols=sib_gn
expect_finding "$OUT" other/libuser.so elf.symbol-unresolved .severity=low
expect_json "$OUT" '{f["path"]: f["verdict"] for f in d["files"]}["lib/libuser.so"] == "compatible"' \
	"symbols its neighbour defines leave it compatible"

# ---- $ORIGIN in DT_NEEDED -------------------------------------------------------------
mkdir -p "$T/origin/lib/plugins" || die "mkdir"
shlib "$T/origin/lib/libaoms-e2e-origin.so.1" '$ORIGIN/../libaoms-e2e-origin.so.1' "$F/origin-lib.c" "" \
	"${NS[@]}" || die "building the \$ORIGIN library"
shlib "$T/origin/lib/plugins/libplug.so" libplug.so "$F/origin-user.c" "" "${NS[@]}" \
	-Wl,--no-as-needed "$T/origin/lib/libaoms-e2e-origin.so.1" || die "building its user"
readelf -dW "$T/origin/lib/plugins/libplug.so" | grep -q 'NEEDED.*\$ORIGIN/\.\./libaoms-e2e-origin' ||
	die "no \$ORIGIN in DT_NEEDED"
run_aoms scan --format json --fail-on low "$T/origin"
expect_status 0 "\$ORIGIN in DT_NEEDED resolves"
expect_rules "$OUT" lib/plugins/libplug.so ""

# ---- DT_RELR: one finding -------------------------------------------------------------
mkdir -p "$T/relr" || die "mkdir"
if shlib "$T/relr/librelr.so" librelr.so "$F/relr-lib.c" "" -Wl,-z,pack-relative-relocs \
	-Wl,--no-as-needed 2>/dev/null && readelf -dW "$T/relr/librelr.so" | grep -q '(RELR)'; then
	run_aoms scan --format json "$T/relr"
	expect_status_bits 8 3
	expect_json "$OUT" 'sum(1 for e in d["entries"] if "RELR" in json.dumps(e)) == 1' \
		"exactly one finding is about DT_RELR"
	expect_finding "$OUT" librelr.so elf.loader-feature feature=DT_RELR .severity=high
	if readelf -VW "$T/relr/librelr.so" | grep -q GLIBC_ABI_DT_RELR; then
		expect_json "$OUT" 'any(e["rule"] == "elf.loader-feature" and "version `GLIBC_ABI_DT_RELR'"'"' not found" in e["summary"] for e in d["entries"])' \
			"the loader's own words"
		expect_no_finding "$OUT" librelr.so elf.version-node-missing version=GLIBC_ABI_DT_RELR
	fi
else
	e2e_log "NOTE: the linker cannot make DT_RELR here; skipping that case"
fi

e2e_finish
