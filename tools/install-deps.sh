#!/usr/bin/env bash
# Installs what aoms needs to build (and, with --tests, to run its test suite),
# with apt-get on Debian/Ubuntu or dnf on Anolis/EL8. Does nothing when all is there.
set -euo pipefail

# --fuzz: clang and the libFuzzer runtime for tests/fuzz/run-ci.sh and bench/fuzz.sh
tests=0 fuzz=0
[ "${1:-}" = "--tests" ] && tests=1
[ "${1:-}" = "--fuzz" ] && fuzz=1

modules="libelf libdw libkmod rpm libbpf capstone json-c sqlite3 zlib liblzma libzstd"
[ $tests = 1 ] && modules="$modules cmocka"
commands="cc cmake make pkg-config"
# go: the static Go program of tests/e2e/test-syscalls.sh (Debian's golang-go is about
# 455 MB installed with its sources; the case skips without it)
[ $tests = 1 ] && commands="$commands python3 gcc readelf rpmbuild clang xmllint go man groff"
[ $fuzz = 1 ] && commands="$commands clang"

# libFuzzer's runtime where clang looks for it (-print-file-name echoes the bare name
# when it finds nothing)
have_libfuzzer() {
	[ -f "$(clang -print-file-name="libclang_rt.fuzzer-$(uname -m).a" 2>/dev/null)" ]
}

# tests/e2e/test-kmod.sh builds real modules against installed kernel headers
kernel_headers() {
	ls -d /lib/modules/*/build/Module.symvers /usr/src/linux-headers-*/Module.symvers \
		/usr/src/kernels/*/Module.symvers >/dev/null 2>&1
}

missing() {
	for c in $commands; do command -v "$c" >/dev/null 2>&1 || return 0; done
	command -v pkg-config >/dev/null 2>&1 || return 0
	for m in $modules; do pkg-config --exists "$m" || return 0; done
	[ $fuzz = 0 ] || have_libfuzzer || return 0
	# the format validators of tests/e2e/test-formats.sh
	[ $tests = 1 ] && ! python3 -c 'import jsonschema' >/dev/null 2>&1 && return 0
	[ $tests = 1 ] && ! kernel_headers && return 0
	return 1
}

if ! missing; then
	exit 0
fi

sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"

if command -v apt-get >/dev/null 2>&1; then
	pkgs="build-essential cmake pkg-config libelf-dev libdw-dev libkmod-dev librpm-dev
	      libbpf-dev libjson-c-dev libsqlite3-dev zlib1g-dev liblzma-dev libzstd-dev
	      libcapstone-dev"
	[ $tests = 1 ] && pkgs="$pkgs libcmocka-dev python3 binutils rpm db5.3-util clang xz-utils
	                       python3-jsonschema libxml2-utils linux-headers-amd64 golang-go man-db groff-base"
	# rpmsign (in rpm) signs with gpg: test-assess-host.sh's signed package
	[ $tests = 1 ] && pkgs="$pkgs gpg"
	# Debian 12: libFuzzer's runtime is in libclang-rt-14-dev (clang 14)
	[ $fuzz = 1 ] && pkgs="$pkgs clang libclang-rt-dev"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $pkgs
elif command -v dnf >/dev/null 2>&1; then
	pkgs="gcc make cmake pkgconf-pkg-config elfutils-libelf-devel elfutils-devel kmod-devel
	      rpm-devel libbpf-devel json-c-devel sqlite-devel zlib-devel xz-devel libzstd-devel
	      capstone-devel"
	[ $tests = 1 ] && pkgs="$pkgs libcmocka-devel python3 binutils libasan libubsan rpm-build libdb-utils clang
	                       python3-jsonschema libxml2 kernel-devel golang man-db groff-base"
	[ $tests = 1 ] && pkgs="$pkgs rpm-sign gnupg2"   # test-assess-host.sh signs a package
	[ $fuzz = 1 ] && pkgs="$pkgs clang compiler-rt"
	# cmocka lives in PowerTools/CRB on EL8
	$sudo dnf install -y --enablerepo='*powertools*' --enablerepo='*PowerTools*' $pkgs ||
		$sudo dnf install -y $pkgs
else
	echo "install-deps: neither apt-get nor dnf found; install: $modules" >&2
	exit 1
fi
