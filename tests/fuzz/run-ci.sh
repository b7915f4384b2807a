#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# tests/fuzz/run-ci.sh [--build-only]
#
# Builds the libFuzzer targets (clang, build-fuzz/, -DAOMS_FUZZ=ON) and runs each one
# for a fixed number of runs with a fixed seed over a scratch copy of its seed corpus
# (the committed corpus is never written), so CI runs the same inputs every time. A
# crash, leak, hang (-timeout) or sanitizer report fails the step; libFuzzer leaves
# the input in build-fuzz/fuzz-out/NAME/ (minimize it, add it to tests/fuzz/crashes/).
# Environment: FUZZ_CI_RUNS (default 50000 a target, 1/20 of it for rpm), FUZZ_BUILD
# (default build-fuzz). On 2 shared cores the step takes about 1 min 40 s from a clean
# build-fuzz/ (50 s of it the clang build).
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${FUZZ_BUILD:-build-fuzz}
runs=${FUZZ_CI_RUNS:-50000}
. tests/fuzz/targets.sh
targets=$FUZZ_TARGETS
# the RPM reader runs ~150 inputs/s under the sanitizers (librpm per package): fewer
declare -A runs_of=([rpm]=$((runs / 20)))

tools/install-deps.sh --fuzz
cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DAOMS_FUZZ=ON -DAOMS_TESTS=OFF >/dev/null
cmake --build "$build" -j"${FUZZ_JOBS:-2}" --target fuzz >"$build/fuzz-build.log" 2>&1 ||
	{ cat "$build/fuzz-build.log" >&2; exit 1; }
[ "${1:-}" = "--build-only" ] && exit 0

status=0
for t in $targets; do
	out=$build/fuzz-out/$t
	rm -rf "$out" && mkdir -p "$out/corpus"
	cp tests/fuzz/corpus/$t/* "$out/corpus/"
	start=$SECONDS
	if lsan_env "$t" "$build/tests/fuzz/fuzz-$t" -runs="${runs_of[$t]:-$runs}" -seed=1 \
		-max_len="${max_len[$t]}" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$out/" "$out/corpus" >"$out/log" 2>&1; then
		n=$(grep -o 'Done [0-9]* runs' "$out/log" | cut -d' ' -f2)
		echo "fuzz-$t: ok, $n runs in $((SECONDS - start)) s"
	else
		echo "fuzz-$t: FAILED (log: $out/log)" >&2
		tail -n 40 "$out/log" >&2
		status=1
	fi
done
exit $status
