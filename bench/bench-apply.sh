#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# bench/bench-apply.sh
#
# aoms apply and aoms rollback of a transaction of a few hundred packages: the
# CentOS-like and Anolis-like sets of tests/fixtures/rpmsets/mk-rpmsets.sh with
# BENCH_N filler packages (default 300) on top of their 9/10 real ones, a root with the
# CentOS set installed (mk-root.sh), assess, plan, then, timed:
#   apply      the whole transaction (release swap + distro-sync of every package),
#              with the journal and the rollback cache it writes;
#   rollback   back to the CentOS set;
# and the journal's size (du of ROOT/var/lib/aoms/journal after apply). The rollback is
# checked to give back the root's exact tree manifest and package list (a benchmark of
# a wrong rollback would mean nothing).
# Environment: AOMS (default build-release/aoms, else build/aoms), BENCH_N, BENCH_KEEP,
# BENCH_SETS=DIR (reuse the sets mk-rpmsets.sh made in DIR, built when missing: rpmbuild
# of 2 x BENCH_N subpackages takes a minute or two).
# Needs root (rpm installs into the root through chroot).

set -u -o pipefail
export LC_ALL=C

SRC=$(cd "$(dirname "$0")/.." && pwd)
AOMS=${AOMS:-$SRC/build-release/aoms}
[ -x "$AOMS" ] || AOMS=$SRC/build/aoms
RUNS=1
N=${BENCH_N:-300}
RPMSETS=$SRC/tests/fixtures/rpmsets

. "$SRC/bench/lib.sh"
warn_sanitized "$AOMS"
[ "$(id -u)" = 0 ] || die "needs root (rpm installs into the root through chroot)"
command -v rpmbuild >/dev/null && command -v rpm >/dev/null || die "needs rpmbuild and rpm"

t0=$(date +%s)
SETS=${BENCH_SETS:-$W/sets}
if [ "$(grep -c '^filler-' "$SETS/anolis.list" 2>/dev/null)" != "$N" ]; then
	"$RPMSETS/mk-rpmsets.sh" "$SETS" "$N" || die "mk-rpmsets.sh"
fi
"$RPMSETS/mk-root.sh" "$SETS/centos" "$W/root" bench01 || die "mk-root.sh"
note "sets and root made in $(($(date +%s) - t0)) s"
"$AOMS" assess --root "$W/root" --format json -o "$W/report.json" || die "aoms assess"
"$AOMS" plan "$W/report.json" -o "$W/plan.json" || die "aoms plan"
state() {
	python3 "$RPMSETS/treehash.py" "$1"
	rpm --root "$1" --dbpath /var/lib/rpm -qa --qf '%{NEVRA} %{SHA1HEADER}\n' | sort
}
state "$W/root" >"$W/before.state"
npkgs=$(wc -l <"$SETS/centos.list")
nnew=$(wc -l <"$SETS/anolis.list")
rootkb=$(du -sk --exclude=var/lib/rpm "$W/root" | cut -f1)

read -r awall arss ast acpu < <(measure "$W/apply.out" "$AOMS" apply "$W/plan.json" --root "$W/root" \
	--repo "$SETS/anolis" --source-repo "$SETS/centos" --yes)
[ "$ast" = 0 ] || die "aoms apply failed (status $ast): $(head -n 3 "$W/apply.out.err")"
applied=yes
cmp -s "$SETS/migrated.list" <(rpm --root "$W/root" --dbpath /var/lib/rpm -qa --qf '%{NEVRA}\n' | sort) ||
	applied="NO: the root does not hold the Anolis set and the old kernel (migrated.list; tests/e2e/test-apply.sh says why)"
jkb=$(du -sk "$W/root/var/lib/aoms/journal" | cut -f1)
jfiles=$(find "$W/root/var/lib/aoms/journal" -type f | wc -l)
read -r rwall rrss rst rcpu < <(measure "$W/rollback.out" "$AOMS" rollback --root "$W/root")
[ "$rst" = 0 ] || die "aoms rollback failed (status $rst): $(head -n 3 "$W/rollback.out.err")"
state "$W/root" >"$W/after.state"
restored=yes
cmp -s "$W/before.state" "$W/after.state" || restored="NO: rollback did not restore the root exactly"

printf '| %-56s | %8s | %7s | %13s |\n' "what" "wall (s)" "CPU (s)" "peak RSS (MB)"
printf '|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..58})" "----------" "---------" "---------------"
out() { printf '| %-56s | %8s | %7s | %13s |\n' "$1" "$2" "$3" "$(awk -v k="$4" 'BEGIN { printf "%.1f", k / 1024 }')"; }
out "apply: $npkgs CentOS packages -> $nnew Anolis packages" "$awall" "$acpu" "$arss"
out "rollback: back to the $npkgs CentOS packages" "$rwall" "$rcpu" "$rrss"
printf 'apply gave the Anolis set: %s; rollback gave the original tree and packages: %s\n' \
	"$applied" "$restored"
printf 'journal after apply: %s KiB in %s files (the root without its rpmdb: %s KiB)\n' \
	"$jkb" "$jfiles" "$rootkb"
