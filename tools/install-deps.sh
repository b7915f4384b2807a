#!/usr/bin/env bash
# Installs what aoms needs to build (and, with --tests, to run its test suite),
# with apt-get on Debian/Ubuntu, dnf on Anolis/EL8, or yum on EL7-era build hosts
# (CentOS 7: package names as on EL7 and EPEL, which it enables). Does nothing when
# all is there.
set -euo pipefail

# --fuzz: clang and the libFuzzer runtime for tests/fuzz/run-ci.sh and bench/fuzz.sh
tests=0 fuzz=0
[ "${1:-}" = "--tests" ] && tests=1
[ "${1:-}" = "--fuzz" ] && fuzz=1

modules="libelf libdw libkmod rpm libbpf capstone json-c sqlite3 zlib liblzma libzstd"
# libsolv + libsolvext: aoms plan --repo (planner/solve*.c)
modules="$modules libsolv libsolvext"
# libyaml: a --repo's modules.yaml (planner/solve-modules.c)
modules="$modules yaml-0.1"
[ $tests = 1 ] && modules="$modules cmocka"
commands="cc cmake make pkg-config"
# go: the static Go program of tests/e2e/test-syscalls.sh (Debian's golang-go is about
# 455 MB installed with its sources; the case skips without it)
[ $tests = 1 ] && commands="$commands python3 gcc readelf rpmbuild clang xmllint go man groff"
# createrepo_c: the target repositories of test-plan-solve.sh and the executor's tests;
# gpg, rpmsign: signed repositories (tests/e2e/test-apply.sh)
[ $tests = 1 ] && commands="$commands createrepo_c gpg rpmsign"
[ $fuzz = 1 ] && commands="$commands clang"

# libFuzzer's runtime where clang looks for it (-print-file-name echoes the bare name
# when it finds nothing)
have_libfuzzer() {
	[ -f "$(clang -print-file-name="libclang_rt.fuzzer-$(uname -m).a" 2>/dev/null)" ]
}

# tests/e2e/test-html-browser.sh opens the HTML report in headless Chromium
have_browser() {
	command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1
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
	[ $tests = 1 ] && ! have_browser && return 0
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
	      libcapstone-dev libsolv-dev libsolvext-dev"
	[ $tests = 1 ] && pkgs="$pkgs libcmocka-dev python3 binutils rpm db5.3-util clang xz-utils
	                       python3-jsonschema libxml2-utils linux-headers-amd64 golang-go man-db groff-base
	                       chromium createrepo-c"
	# rpmsign (in rpm) signs with gpg: test-assess-host.sh's signed package
	[ $tests = 1 ] && pkgs="$pkgs gpg"
	# Debian 12: libFuzzer's runtime is in libclang-rt-14-dev (clang 14)
	[ $fuzz = 1 ] && pkgs="$pkgs clang libclang-rt-dev"
	# Debian's rpm package carries rpmsign
	[ $tests = 1 ] && pkgs="$pkgs createrepo-c gnupg"
	pkgs="$pkgs libyaml-dev"   # plan --repo with modules.yaml
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $pkgs
elif command -v dnf >/dev/null 2>&1; then
	pkgs="gcc make cmake pkgconf-pkg-config elfutils-libelf-devel elfutils-devel kmod-devel
	      rpm-devel libbpf-devel json-c-devel sqlite-devel zlib-devel xz-devel libzstd-devel
	      capstone-devel libsolv-devel"
	[ $tests = 1 ] && pkgs="$pkgs libcmocka-devel python3 binutils libasan libubsan rpm-build libdb-utils clang
	                       python3-jsonschema libxml2 kernel-devel golang man-db groff-base
	                       createrepo_c"
	[ $tests = 1 ] && pkgs="$pkgs rpm-sign gnupg2"   # test-assess-host.sh signs a package
	[ $fuzz = 1 ] && pkgs="$pkgs clang compiler-rt"
	[ $tests = 1 ] && pkgs="$pkgs createrepo_c gnupg2 rpm-sign"
	pkgs="$pkgs libyaml-devel"   # plan --repo with modules.yaml
	# cmocka lives in PowerTools/CRB on EL8
	$sudo dnf install -y --enablerepo='*powertools*' --enablerepo='*PowerTools*' $pkgs ||
		$sudo dnf install -y $pkgs
	# Chromium is EPEL's: without EPEL the browser test skips, the rest runs
	[ $tests = 1 ] && { $sudo dnf install -y chromium ||
		echo "install-deps: chromium not available (enable EPEL); test-html-browser skips" >&2; }
elif command -v yum >/dev/null 2>&1; then
	# EL7: cmake is 2.8 (aoms needs 3.11: EPEL's cmake3), pkg-config is pkgconfig,
	# libzstd, capstone and cmocka come from EPEL, and there is no libbpf (aoms builds
	# without its libbpf cross-check, packaging/aoms.spec says what else differs).
	$sudo yum install -y epel-release || true
	pkgs="gcc make cmake3 pkgconfig elfutils-libelf-devel elfutils-devel kmod-devel
	      rpm-devel json-c-devel sqlite-devel zlib-devel xz-devel libzstd-devel
	      capstone-devel libsolv-devel"
	[ $tests = 1 ] && pkgs="$pkgs libcmocka-devel python3 binutils libasan rpm-build libdb-utils
	                       clang python36-jsonschema libxml2 kernel-devel golang man-db
	                       groff-base createrepo_c"
	[ $fuzz = 1 ] && pkgs="$pkgs clang compiler-rt"
	[ $tests = 1 ] && pkgs="$pkgs createrepo_c gnupg2 rpm-sign"
	pkgs="$pkgs libyaml-devel"   # plan --repo with modules.yaml
	# yum installs what it finds and names what it does not
	$sudo yum install -y $pkgs
	[ $tests = 1 ] && { $sudo yum install -y chromium ||
		echo "install-deps: chromium not available (EPEL); test-html-browser skips" >&2; }
	# build.sh and the tests call cmake
	if ! command -v cmake >/dev/null 2>&1 && command -v cmake3 >/dev/null 2>&1; then
		$sudo alternatives --install /usr/local/bin/cmake cmake "$(command -v cmake3)" 20
	fi
else
	echo "install-deps: none of apt-get, dnf, yum found; install: $modules" >&2
	exit 1
fi
