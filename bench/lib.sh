# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# Shared by the bench/ scripts: messages, the work directory W (removed at exit unless
# BENCH_KEEP is set), the sanitizer check, timing with peak RSS, best-of-N, ratios,
# table rows, a fleet of host reports. The caller sets RUNS (timed runs per command)
# and sources this first.

BENCH_NAME=$(basename "$0" .sh)
die() { printf '%s: %s\n' "$BENCH_NAME" "$*" >&2; exit 1; }
note() { printf '%s: %s\n' "$BENCH_NAME" "$*" >&2; }

W=$(mktemp -d "${TMPDIR:-/tmp}/aoms-bench.XXXXXX") || die "mktemp"
if [ -n "${BENCH_KEEP:-}" ]; then
	trap 'note "kept $W"' EXIT
else
	trap 'rm -rf "$W"' EXIT
fi

# warn_sanitized BINARY: a sanitizer build's numbers mean nothing.
warn_sanitized() {
	if readelf -sW "$1" 2>/dev/null | grep -q '__asan_init\|__ubsan_handle'; then
		note "WARNING: '$1' is a sanitizer build; its numbers mean nothing."
		note "         Build with -DCMAKE_BUILD_TYPE=Release and without -DAOMS_SANITIZE=ON."
	fi
}

# ---- timing -------------------------------------------------------------------------
# measure OUT CMD...: runs CMD with stdout to OUT, stderr to OUT.err; prints
# "WALL_SECONDS PEAK_RSS_KB STATUS CPU_SECONDS" (CPU: user + system; on a shared
# machine the wall time includes waiting for a core, the CPU time does not).
if [ -x /usr/bin/time ]; then
	measure() {
		local out=$1 st w m u s
		shift
		/usr/bin/time -f '%e %M %U %S' -o "$W/time" "$@" >"$out" 2>"$out.err" </dev/null
		st=$?
		read -r w m u s < <(tail -n 1 "$W/time")
		printf '%s %s %s %s\n' "$w" "$m" "$st" "$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')"
	}
else
	# No /usr/bin/time: a tiny C timer (fork, execvp, wait4). Not python: a child's
	# peak RSS counts the address space it had before exec, python's ~10 MB.
	cat >"$W/timer.c" <<'EOF'
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec a, b;
	struct rusage ru;
	FILE *out;
	int status;
	pid_t pid;

	if (argc < 3 || !(out = fopen(argv[1], "w")))
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &a);
	pid = fork();
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &status, 0, &ru) < 0)
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &b);
	fprintf(out, "%.2f %ld %d %.2f\n", (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9,
		ru.ru_maxrss, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
		ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
		(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
	return fclose(out) == 0 ? 0 : 2;
}
EOF
	gcc -O2 -Wall -o "$W/timer" "$W/timer.c" || die "cannot build the timer"
	measure() {
		local out=$1
		shift
		"$W/timer" "$W/time" "$@" >"$out" 2>"$out.err" </dev/null
		tail -n 1 "$W/time"
	}
fi

# best OUT CMD...: RUNS timed runs; the line with the lowest wall time.
best() {
	local i
	for ((i = 0; i < RUNS; i++)); do
		measure "$@"
	done | sort -n -k1,1 | head -n 1
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "inf" }'; }
verdict() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {
	ok = (op == "<=") ? v <= t : (op == ">=") ? v >= t : v < t; print ok ? "met" : "MISSED" }'; }

row() { printf '| %-44s | %9s | %-6s | %-6s |\n' "$@"; }

# host_copies REPORT DIR N: N copies of the host report REPORT (of host "h0") as
# DIR/h00000.json ..., each under its own host name (a fleet for `aoms plan`); dies on failure.
host_copies() {
	mkdir -p "$2" || die "mkdir $2"
	python3 - "$@" <<'PY' || die "making host reports"
import sys
text = open(sys.argv[1]).read()
for i in range(int(sys.argv[3])):
    open("%s/h%05d.json" % (sys.argv[2], i), "w").write(text.replace('"host": "h0"', '"host": "h%05d"' % i, 1))
PY
}

# ---- building revisions ----------------------------------------------------------------
# bench_build SRC_DIR BUILD_DIR [CMAKE_ARG...]: a Release build of the aoms binary (no
# tests), log in BUILD_DIR.log; dies on failure.
bench_build() {
	local src=$1 dir=$2
	shift 2
	cmake -S "$src" -B "$dir" -DCMAKE_BUILD_TYPE=Release -DAOMS_TESTS=OFF "$@" >"$dir.log" 2>&1 &&
		cmake --build "$dir" -j"$(nproc)" --target aoms >>"$dir.log" 2>&1 ||
		die "building $src failed (see $dir.log)"
}

# bench_build_rev SRC REV: builds revision REV of the repository SRC (git archive into
# the work directory) and prints the binary's path.
bench_build_rev() {
	local src=$1 rev=$2 dir
	git -C "$src" rev-parse -q --verify "$rev^{commit}" >/dev/null || die "no commit '$rev'"
	dir=$W/rev-$(git -C "$src" rev-parse --short "$rev")
	if [ ! -x "$dir-build/aoms" ]; then
		note "building $rev"
		mkdir -p "$dir-src"
		git -C "$src" archive "$rev" | tar -x -C "$dir-src" || die "git archive $rev"
		bench_build "$dir-src" "$dir-build"
	fi
	printf '%s\n' "$dir-build/aoms"
}

# bench_build_tree SRC: builds the working tree SRC (with BENCH_NEW_CMAKE's cmake
# arguments, word-split) and prints the binary's path.
bench_build_tree() {
	note "building the working tree${BENCH_NEW_CMAKE:+ ($BENCH_NEW_CMAKE)}"
	# shellcheck disable=SC2086
	bench_build "$1" "$W/new-build" ${BENCH_NEW_CMAKE:-}
	printf '%s\n' "$W/new-build/aoms"
}
