#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# bench/bench-rpm-huge.sh — issue 7's bounded memory for huge members: an RPM of about
# 1 MB whose payload holds a sparse 1 GiB ELF file (tests/fixtures/rpm/aomsbig.spec),
# scanned and read by `db build --rpms` with a Release aoms. Prints each command's wall
# time and peak RSS (children included: librpm reads in a child process) against the
# 200 MB target.
#
# Environment: AOMS (default: a fresh Release build of the working tree), BENCH_KEEP.

set -u -o pipefail
export LC_ALL=C
SRC=$(cd "$(dirname "$0")/.." && pwd)
RUNS=1
. "$SRC/bench/lib.sh"

command -v rpmbuild >/dev/null || die "rpmbuild is needed"
[ -n "${AOMS:-}" ] || AOMS=$(bench_build_tree "$SRC") || exit 1
warn_sanitized "$AOMS"
F=$SRC/tests/fixtures/rpm
mkdir -p "$W/rpms"
rpmbuild -bb --define "_topdir $W/top" --define "_sourcedir $F" --define "_rpmdir $W/out" \
	--define '_build_name_fmt %%{NAME}.rpm' --define "_dbpath $W/db" \
	--define "_binary_payload w6.gzdio" "$F/aomsbig.spec" >"$W/rpmbuild.log" 2>&1 ||
	die "rpmbuild aomsbig (see $W/rpmbuild.log)"
cp "$W/out/aomsbig.rpm" "$W/rpms/"
size=$(stat -c %s "$W/rpms/aomsbig.rpm")

read -r s_wall s_rss s_st _ < <(measure "$W/scan.json" "$AOMS" scan --format json "$W/rpms")
read -r b_wall b_rss b_st _ < <(measure "$W/build.out" "$AOMS" db build --rpms "$W/rpms" -o "$W/repo.db")
printf 'package: %s bytes holding a sparse 1 GiB ELF member\n' "$size"
row command "wall (s)" "RSS MB" "< 200 MB"
for c in scan build; do
	eval "wall=\$${c:0:1}_wall rss=\$${c:0:1}_rss st=\$${c:0:1}_st"
	mb=$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')
	row "aoms ${c/build/db build --rpms} (exit $st)" "$wall" "$mb" "$(verdict "$mb" "<" 200)"
done
