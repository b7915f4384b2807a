#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# bench/fuzz.sh [TARGET...]  (default: every target of tests/fuzz)
#
# Runs each libFuzzer target of tests/fuzz for a while, one after another, from a copy
# of its seed corpus (the corpus grows under bench/out/fuzz/NAME/corpus, never in the
# tree), and prints per target: executions, seconds, exec/s, final coverage (cov: edges,
# ft: features), corpus size, and what it found (crash-*, leak-*, timeout-*, oom-*
# inputs; a sanitizer report stops the target). Record the figures in bench/README.md
# "Fuzzing". Builds build-fuzz/ first (tests/fuzz/run-ci.sh --build-only: clang).
#
# Environment:
#   FUZZ_SECONDS        seconds per target (default 180)
#   FUZZ_SECONDS_NAME   seconds for target NAME (e.g. FUZZ_SECONDS_rpm=1800)
#   FUZZ_SEED           libFuzzer -seed (default 1)
#   FUZZ_KEEP_CORPUS=1  start from the corpus a previous run left, not from the seeds
set -uo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
build=${FUZZ_BUILD:-build-fuzz}
out=bench/out/fuzz
. tests/fuzz/targets.sh
targets=${*:-$FUZZ_TARGETS}

tests/fuzz/run-ci.sh --build-only || { echo "fuzz: cannot build $build" >&2; exit 1; }
mkdir -p "$out"
printf '%-8s %12s %7s %9s %7s %7s %10s  %s\n' target executions seconds exec/s cov ft corpus found
status=0
for t in $targets; do
	d=$out/$t
	secs_var=FUZZ_SECONDS_$t
	secs=${!secs_var:-${FUZZ_SECONDS:-180}}
	[ -n "${FUZZ_KEEP_CORPUS:-}" ] && [ -d "$d/corpus" ] || {
		rm -rf "$d" && mkdir -p "$d/corpus" && cp tests/fuzz/corpus/$t/* "$d/corpus/"
	}
	rm -f "$d"/crash-* "$d"/leak-* "$d"/timeout-* "$d"/oom-*
	lsan_env "$t" "$build/tests/fuzz/fuzz-$t" -max_total_time="$secs" -seed="${FUZZ_SEED:-1}" \
		-max_len="${max_len[$t]:-4096}" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$d/" "$d/corpus" >"$d.log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$d.log" | tail -n 1)
	took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$d.log" | tail -n 1)
	[ -n "$took" ] || took=$secs
	last=$(grep -E '^#[0-9]+\s+(DONE|pulse|NEW|REDUCE|INITED)' "$d.log" | tail -n 1)
	cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
	ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
	found=$(cd "$d" && ls -1 crash-* leak-* timeout-* oom-* 2>/dev/null | tr '\n' ' ')
	grep -q 'ERROR: \(Address\|Leak\|Undefined\)Sanitizer\|runtime error:\|ERROR: libFuzzer' \
		"$d.log" && found="$found(sanitizer report in $d.log)"
	[ "$rc" = 0 ] && [ -z "$found" ] || status=1
	printf '%-8s %12s %7s %9s %7s %7s %10s  %s\n' "$t" "${execs:-?}" "${took:-?}" \
		"$(( ${execs:-0} / (${took:-1} > 0 ? ${took:-1} : 1) ))" "${cov:-?}" "${ft:-?}" \
		"$(ls "$d/corpus" | wc -l)" "${found:-none}"
done
exit $status
