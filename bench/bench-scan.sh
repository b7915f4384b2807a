#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# bench/bench-scan.sh [TREE]  (default /usr)
#
# Measures `aoms scan` on a tree against two references, on a warm page cache (each
# command runs once untimed first):
#   floor    a native C walk (nftw, FTW_PHYS: no symlink following) that opens every
#            regular file and reads its first 64 bytes, single-threaded: the cost of
#            merely touching the tree, which no scanner can beat by much;
#   readelf  `readelf -dW --version-info --dyn-syms` over the ELF files the floor
#            finds (by magic), via xargs -P1: what a shell-script checker would run.
# Prints aoms wall time and peak RSS, the floor's and readelf's wall times, the
# ratios and the targets: aoms <= 2x floor, >= 10x faster than readelf, RSS < 100 MB.
#
# Environment:
#   AOMS             the aoms binary (default: build/aoms). Use a release build:
#                    cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build
#   AOMS_BENCH_ARGS  extra `aoms scan` arguments, e.g. "--jobs 1" or "--db FILE"
#   BENCH_RUNS       timed runs of each command, the best is kept (default 1)
#   BENCH_KEEP       set to keep the work directory (report, ELF list, logs)

set -u -o pipefail
export LC_ALL=C

TREE=${1:-/usr}
SRC=$(cd "$(dirname "$0")/.." && pwd)
AOMS=${AOMS:-$SRC/build/aoms}
RUNS=${BENCH_RUNS:-1}

. "$SRC/bench/lib.sh"

[ -d "$TREE" ] || die "'$TREE' is not a directory"
[ -x "$AOMS" ] || die "aoms binary '$AOMS' not found (set AOMS, or build with -DCMAKE_BUILD_TYPE=Release)"
command -v gcc >/dev/null || die "gcc is needed to build the floor program"
command -v readelf >/dev/null || die "readelf is needed"
command -v python3 >/dev/null || die "python3 is needed"
warn_sanitized "$AOMS"


# ---- the floor program ----------------------------------------------------------
cat >"$W/floor.c" <<'EOF'
/* Walks a tree without following symlinks, reads the first 64 bytes of every
 * regular file. -l: print the paths of ELF files (by magic), NUL-terminated. */
#define _XOPEN_SOURCE 700
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int list;
static unsigned long n_files, n_elf;

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	unsigned char buf[64];
	ssize_t n;
	int fd;

	(void)ftw;
	if (type != FTW_F || !S_ISREG(st->st_mode))
		return 0;
	fd = open(path, O_RDONLY | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	n_files++;
	if (n >= 4 && memcmp(buf, "\177ELF", 4) == 0) {
		n_elf++;
		if (list) {
			fputs(path, stdout);
			putchar('\0');
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	int i = 1;

	if (argc > 1 && strcmp(argv[1], "-l") == 0) {
		list = 1;
		i++;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: floor [-l] DIR\n");
		return 2;
	}
	if (nftw(argv[i], visit, 64, FTW_PHYS) != 0) {
		perror(argv[i]);
		return 1;
	}
	fprintf(stderr, "%lu %lu\n", n_files, n_elf);
	return 0;
}
EOF
gcc -O2 -Wall -o "$W/floor" "$W/floor.c" || die "cannot build the floor program"

# shellcheck disable=SC2206
AOMS_CMD=("$AOMS" scan --format json ${AOMS_BENCH_ARGS:-} "$TREE")
READELF_CMD=(xargs -0 -P1 -n 64 -a "$W/elf.list" readelf -dW --version-info --dyn-syms)

# Warm-up (untimed): fills the page cache; the floor run also lists the ELF files.
note "warming up on $TREE ..."
"$W/floor" -l "$TREE" >"$W/elf.list" 2>"$W/floor.count" || die "the floor walk failed"
read -r N_FILES N_ELF <"$W/floor.count"
"${AOMS_CMD[@]}" >"$W/report.json" 2>"$W/aoms.err"
st=$?
if [ "$st" -ge 16 ] || [ $((st & 2)) -ne 0 ]; then
	head -n 20 "$W/aoms.err" >&2
	die "aoms failed with status $st"
fi
SUMMARY=$(python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; print("%d findings, %d errors" % (s["findings"], s["errors"]))' "$W/report.json" 2>/dev/null || echo "report unreadable")
"${READELF_CMD[@]}" >/dev/null 2>&1

note "timing ($RUNS run(s) each) ..."
read -r A_WALL A_RSS A_ST _ < <(best "$W/aoms.out" "${AOMS_CMD[@]}")
read -r F_WALL _ _ _ < <(best "$W/floor.out" "$W/floor" "$TREE")
read -r R_WALL _ _ _ < <(best "$W/readelf.out" "${READELF_CMD[@]}")

A_MB=$(awk -v k="$A_RSS" 'BEGIN { printf "%.1f", k / 1024 }')
AF=$(ratio "$A_WALL" "$F_WALL")
RA=$(ratio "$R_WALL" "$A_WALL")
CPU=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | sed 's/.*: //')


echo
echo "aoms scan benchmark, $(date -u +%Y-%m-%d), $(nproc) cores${CPU:+, $CPU}"
echo "tree $TREE: $N_FILES regular files, $N_ELF ELF; aoms: $SUMMARY, exit status $A_ST"
echo "aoms: $AOMS ${AOMS_BENCH_ARGS:-}"
echo
row measure value target ""
row "--------------------------------------------" "---------" "------" "------"
row "aoms scan wall (s)" "$A_WALL" "" ""
row "aoms scan peak RSS (MB)" "$A_MB" "< 100" "$(verdict "$A_MB" "<" 100)"
row "floor: walk + read 64 B of each file (s)" "$F_WALL" "" ""
row "readelf -dW --version-info --dyn-syms (s)" "$R_WALL" "" ""
row "aoms / floor" "$AF" "<= 2" "$(verdict "$AF" "<=" 2)"
row "readelf / aoms" "$RA" ">= 10" "$(verdict "$RA" ">=" 10)"
