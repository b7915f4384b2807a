#!/usr/bin/env bash
# The two set-up commands of the README:
#   ./build.sh scan PATH...   install build dependencies, build aoms (release), scan PATH
#   ./build.sh test           install test dependencies, build with ASan+UBSan and
#                             -Werror, run the whole test suite (ctest)
set -euo pipefail
cd "$(dirname "$0")"
jobs=$(nproc 2>/dev/null || echo 2)

case "${1:-}" in
scan)
	shift
	[ $# -gt 0 ] || set -- /usr/bin
	tools/install-deps.sh
	cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DAOMS_TESTS=OFF >/dev/null
	cmake --build build-release -j"$jobs" --target aoms >/dev/null
	exec build-release/aoms scan "$@"
	;;
test)
	tools/install-deps.sh --tests
	cmake -S . -B build -DCMAKE_BUILD_TYPE=Debug -DAOMS_SANITIZE=ON -DAOMS_WERROR=ON >/dev/null
	cmake --build build -j"$jobs"
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --test-dir build --output-on-failure -j"$jobs"
	;;
*)
	echo "usage: ./build.sh scan [PATH...] | ./build.sh test" >&2
	exit 2
	;;
esac
