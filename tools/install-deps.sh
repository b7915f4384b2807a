#!/usr/bin/env bash
# Installs what aoms needs to build (and, with --tests, to run its test suite),
# with apt-get on Debian/Ubuntu or dnf on Anolis/EL8. Does nothing when all is there.
set -euo pipefail

tests=0
[ "${1:-}" = "--tests" ] && tests=1

modules="libelf libdw libkmod rpm libbpf capstone json-c sqlite3 zlib"
[ $tests = 1 ] && modules="$modules cmocka"
commands="cc cmake make pkg-config"
[ $tests = 1 ] && commands="$commands python3 gcc readelf rpmbuild clang"

missing() {
	for c in $commands; do command -v "$c" >/dev/null 2>&1 || return 0; done
	command -v pkg-config >/dev/null 2>&1 || return 0
	for m in $modules; do pkg-config --exists "$m" || return 0; done
	return 1
}

if ! missing; then
	exit 0
fi

sudo=""
[ "$(id -u)" = 0 ] || sudo="sudo"

if command -v apt-get >/dev/null 2>&1; then
	pkgs="build-essential cmake pkg-config libelf-dev libdw-dev libkmod-dev librpm-dev
	      libbpf-dev libcapstone-dev libjson-c-dev libsqlite3-dev zlib1g-dev"
	[ $tests = 1 ] && pkgs="$pkgs libcmocka-dev python3 binutils rpm db5.3-util clang"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $pkgs
elif command -v dnf >/dev/null 2>&1; then
	pkgs="gcc make cmake pkgconf-pkg-config elfutils-libelf-devel elfutils-devel kmod-devel
	      rpm-devel libbpf-devel capstone-devel json-c-devel sqlite-devel zlib-devel"
	[ $tests = 1 ] && pkgs="$pkgs libcmocka-devel python3 binutils libasan libubsan rpm-build libdb-utils clang"
	# cmocka lives in PowerTools/CRB on EL8
	$sudo dnf install -y --enablerepo='*powertools*' --enablerepo='*PowerTools*' $pkgs ||
		$sudo dnf install -y $pkgs
else
	echo "install-deps: neither apt-get nor dnf found; install: $modules" >&2
	exit 1
fi
