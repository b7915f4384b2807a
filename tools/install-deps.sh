#!/usr/bin/env bash
# Installs what aoms needs to build (and, with --tests, to run its test suite),
# with apt-get on Debian/Ubuntu or dnf on Anolis/EL8. Does nothing when all is there.
set -euo pipefail

tests=0
[ "${1:-}" = "--tests" ] && tests=1

modules="libelf libdw libkmod rpm libbpf json-c sqlite3 zlib liblzma libzstd"
[ $tests = 1 ] && modules="$modules cmocka"
commands="cc cmake make pkg-config"
[ $tests = 1 ] && commands="$commands python3 gcc readelf rpmbuild clang"
# tests/e2e/test-kmod.sh builds real modules against installed kernel headers
kernel_headers() {
	ls -d /lib/modules/*/build/Module.symvers /usr/src/linux-headers-*/Module.symvers \
		/usr/src/kernels/*/Module.symvers >/dev/null 2>&1
}

missing() {
	for c in $commands; do command -v "$c" >/dev/null 2>&1 || return 0; done
	command -v pkg-config >/dev/null 2>&1 || return 0
	for m in $modules; do pkg-config --exists "$m" || return 0; done
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
	      libbpf-dev libjson-c-dev libsqlite3-dev zlib1g-dev liblzma-dev libzstd-dev"
	[ $tests = 1 ] && pkgs="$pkgs libcmocka-dev python3 binutils rpm db5.3-util clang xz-utils
	                         linux-headers-amd64"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $pkgs
elif command -v dnf >/dev/null 2>&1; then
	pkgs="gcc make cmake pkgconf-pkg-config elfutils-libelf-devel elfutils-devel kmod-devel
	      rpm-devel libbpf-devel json-c-devel sqlite-devel zlib-devel xz-devel libzstd-devel"
	[ $tests = 1 ] && pkgs="$pkgs libcmocka-devel python3 binutils libasan libubsan rpm-build libdb-utils clang
	                         kernel-devel"
	# cmocka lives in PowerTools/CRB on EL8
	$sudo dnf install -y --enablerepo='*powertools*' --enablerepo='*PowerTools*' $pkgs ||
		$sudo dnf install -y $pkgs
else
	echo "install-deps: neither apt-get nor dnf found; install: $modules" >&2
	exit 1
fi
