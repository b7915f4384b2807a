#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# bench/bench-solve.sh
#
# Measures (wall time, peak RSS) `aoms plan --repo`: the package transaction of a CentOS 8
# root of BENCH_PKGS packages (default 1000) solved with libsolv against a target
# repository of as many Anolis builds (createrepo_c), release swap + distro-sync.
# Both sides are one spec with N subpackages (one rpmbuild each); package i requires
# the library package i+1 provides, so the solver walks a chain of N requires. Rows:
# plan without --repo (reading the report), plan --repo for 1 host, and for BENCH_HOSTS
# copies of the report (default 10: the repository is loaded once, each host solved).
# Environment: AOMS (default build-release/aoms, else build/aoms), BENCH_PKGS,
# BENCH_HOSTS, BENCH_RUNS (default 1), BENCH_KEEP.

set -u -o pipefail
export LC_ALL=C

SRC=$(cd "$(dirname "$0")/.." && pwd)
AOMS=${AOMS:-$SRC/build-release/aoms}
[ -x "$AOMS" ] || AOMS=$SRC/build/aoms
RUNS=${BENCH_RUNS:-1}
PKGS=${BENCH_PKGS:-1000}
HOSTS=${BENCH_HOSTS:-10}

. "$SRC/bench/lib.sh"
warn_sanitized "$AOMS"
command -v rpmbuild >/dev/null && command -v rpm >/dev/null && command -v createrepo_c >/dev/null ||
	die "needs rpmbuild, rpm and createrepo_c"

# NAME RELEASE VENDOR N: a spec whose subpackage i provides libbench-i.so and requires
# libbench-(i+1).so (the last requires nothing)
spec() {
	printf 'Name: %s\nVersion: 1.0\nRelease: %s\nSummary: b\nLicense: MIT\n' "$1" "$2"
	printf 'Vendor: %s\nBuildArch: x86_64\n%%description\nb\n%%files\n' "$3"
	for ((i = 0; i < $4; i++)); do
		printf '%%package -n bench-pkg-%d\nSummary: b\nProvides: libbench-%d.so()(64bit)\n' "$i" "$i"
		[ $((i + 1)) -lt "$4" ] && printf 'Requires: libbench-%d.so()(64bit)\n' $((i + 1))
		printf '%%description -n bench-pkg-%d\nb\n%%files -n bench-pkg-%d\n' "$i" "$i"
	done
}
build() {  # NAME RELEASE VENDOR N
	spec "$@" >"$W/$1.spec"
	rpmbuild -bb --define "_topdir $W/rpmbuild-$1" --define "_dbpath $W/builddb" "$W/$1.spec" \
		>"$W/rpmbuild-$1.log" 2>&1 || die "rpmbuild (see $W/rpmbuild-$1.log)"
}

t0=$(date +%s)
build centos-bench 1.el8 CentOS "$PKGS"
build anolis-bench 1.an8 OpenAnolis "$PKGS"
root=$W/root
mkdir -p "$root/etc" && rpm --root "$root" --dbpath /var/lib/rpm --initdb || die "initdb"
find "$W/rpmbuild-centos-bench/RPMS" -name 'bench-pkg-*.rpm' | xargs rpm --root "$root" \
	--dbpath /var/lib/rpm -i --justdb --nodeps --noscripts --ignorearch 2>/dev/null || die "rpm -i"
printf 'NAME="CentOS Linux"\nID="centos"\nVERSION_ID="8"\nPRETTY_NAME="CentOS Linux 8"\n' \
	>"$root/etc/os-release"
echo "CentOS Linux release 8.5.2111" >"$root/etc/centos-release"
mkdir -p "$W/repo/Packages" &&
	find "$W/rpmbuild-anolis-bench/RPMS" -name 'bench-pkg-*.rpm' -exec cp -t "$W/repo/Packages/" {} + &&
	createrepo_c -q "$W/repo" >/dev/null || die "createrepo_c"
"$AOMS" assess --root "$root" --format json --host h0 -o "$W/h0.json" 2>"$W/assess.err"
[ -s "$W/h0.json" ] || die "assess failed: $(head -3 "$W/assess.err")"
note "roots, repository and assessment made in $(( $(date +%s) - t0 )) s; report $(du -k "$W/h0.json" | cut -f1) KiB"
host_copies "$W/h0.json" "$W/hosts" "$HOSTS"

printf '| %-52s | %9s | %12s |\n' "what" "wall (s)" "peak RSS (MB)"
printf '|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..54})" "-----------" "--------------"
out() { printf '| %-52s | %9s | %12s |\n' "$1" "$2" "$(awk -v k="$3" 'BEGIN { printf "%.1f", k / 1024 }')"; }

read -r wall rss st _ < <(best "$W/p0.out" "$AOMS" plan "$W/h0.json" -o "$W/p0.json")
out "plan, 1 host of $PKGS packages, no --repo" "$wall" "$rss"
read -r wall rss st _ < <(best "$W/p1.out" "$AOMS" plan "$W/h0.json" --repo "$W/repo" -o "$W/p1.json")
out "plan --repo, 1 host of $PKGS packages" "$wall" "$rss"
[ "$st" = 0 ] || die "aoms plan --repo failed (status $st): $(head -3 "$W/p1.out.err")"
python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["hosts"][0]["transaction"]["resolved"]; print("resolved: erase", len(r["erase"]), "install", len(r["install"]))' "$W/p1.json" >&2
read -r wall rss st _ < <(best "$W/pn.out" "$AOMS" plan "$W"/hosts/*.json --repo "$W/repo" -o "$W/pn.json")
out "plan --repo, $HOSTS hosts of $PKGS packages" "$wall" "$rss"
[ "$st" = 0 ] || die "aoms plan --repo failed (status $st): $(head -3 "$W/pn.out.err")"
