#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# bench/bench-plan.sh
#
# Measures (wall time, peak RSS) the assessment and the planner:
#   1. loading the package-evolution data: `aoms assess` of a one-package CentOS 7.9
#      root with the shipped compact PES table, and again with the full upstream
#      pes-events.json (1.9 MB, 2,289 events) given as --mapping;
#   2. assessing a CentOS 7.9 root of BENCH_PKGS packages (default 2000; one spec with
#      that many subpackages, one rpmbuild, rpm -i --justdb), some of them names the PES
#      events remove or split; the packages are signed with a throwaway gpg key made
#      here, which `assess --vendor-key` counts as the source vendor's, as a real
#      CentOS host's packages are signed by CentOS (unsigned, every package would be
#      assess.package-third-party: 2,001 findings, 3 MB a report);
#   3. planning BENCH_HOSTS host reports (default 1000): copies of that assessment under
#      other host names.
# Environment: AOMS (default build-release/aoms, else build/aoms), BENCH_PKGS,
# BENCH_HOSTS, BENCH_RUNS (default 1), BENCH_KEEP; BENCH_UNSIGNED=1 leaves the packages
# unsigned and passes no --vendor-key (the worst case for the planner: every package a
# finding).

set -u -o pipefail
export LC_ALL=C

SRC=$(cd "$(dirname "$0")/.." && pwd)
AOMS=${AOMS:-$SRC/build-release/aoms}
[ -x "$AOMS" ] || AOMS=$SRC/build/aoms
RUNS=${BENCH_RUNS:-1}
PKGS=${BENCH_PKGS:-2000}
HOSTS=${BENCH_HOSTS:-1000}
PES_JSON=$SRC/../shared/data/userspace/leapp/pes-events-centos7-to-el8.almalinux-leapp-data.json

. "$SRC/bench/lib.sh"
warn_sanitized "$AOMS"
command -v rpmbuild >/dev/null && command -v rpm >/dev/null || die "needs rpmbuild and rpm"
command -v rpmsign >/dev/null && command -v gpg >/dev/null || die "needs rpmsign and gpg (gnupg)"

# The throwaway signing key, in the work directory (removed with it).
export GNUPGHOME=$W/gnupg
mkdir -m 700 "$GNUPGHOME" || die "mkdir $GNUPGHOME"
gpg --batch --pinentry-mode loopback --passphrase '' --quick-gen-key 'aoms bench <bench@aoms.invalid>' \
	rsa2048 sign never >"$W/gpg.log" 2>&1 || die "gpg key (see $W/gpg.log)"
KEYID=$(gpg --list-keys --with-colons | awk -F: '/^pub/ { print tolower($5); exit }')
[ ${#KEYID} = 16 ] || die "no key id from gpg ($KEYID)"
VKEY=(--vendor-key "$KEYID")
[ -z "${BENCH_UNSIGNED:-}" ] || VKEY=()

# A spec with PKGS noarch subpackages of vendor CentOS: a few real names PES knows.
spec() {
	printf 'Name: benchbase\nVersion: 1.0\nRelease: 1.el7\nSummary: b\nLicense: MIT\n'
	printf 'Vendor: CentOS\nBuildArch: x86_64\n%%description\nb\n%%files\n'
	local real=(wvdial empathy rsh MySQL-python python-psycopg2 git ntp)
	for ((i = 0; i < $1; i++)); do
		local n=bench-pkg-$i
		[ "$i" -lt ${#real[@]} ] && n=${real[$i]}
		printf '%%package -n %s\nSummary: b\n%%description -n %s\nb\n%%files -n %s\n' "$n" "$n" "$n"
	done
}
make_root() {  # ROOT NPKGS
	local root=$1 top=$W/rpmbuild-$2
	spec "$2" >"$W/bench-$2.spec"
	rpmbuild -bb --define "_topdir $top" --define "_dbpath $W/builddb" "$W/bench-$2.spec" \
		>"$W/rpmbuild-$2.log" 2>&1 || die "rpmbuild (see $W/rpmbuild-$2.log)"
	[ -n "${BENCH_UNSIGNED:-}" ] ||
	find "$top/RPMS" -name '*.rpm' -print0 | xargs -0 rpmsign --define "_gpg_name aoms bench" \
		--define "_gpg_path $GNUPGHOME" --define "__gpg $(command -v gpg)" \
		--define "_gpg_sign_cmd_extra_args --batch --pinentry-mode loopback" \
		--addsign >"$W/sign-$2.log" 2>&1 || die "rpmsign (see $W/sign-$2.log)"
	mkdir -p "$root/etc" && rpm --root "$root" --dbpath /var/lib/rpm --initdb || die "initdb"
	find "$top/RPMS" -name '*.rpm' | xargs rpm --root "$root" --dbpath /var/lib/rpm -i \
		--justdb --nodeps --noscripts --nosignature --ignorearch 2>/dev/null || die "rpm -i"
	printf 'NAME="CentOS Linux"\nID="centos"\nVERSION_ID="7"\nPRETTY_NAME="CentOS Linux 7 (Core)"\n' \
		>"$root/etc/os-release"
	echo "CentOS Linux release 7.9.2009 (Core)" >"$root/etc/centos-release"
}

t0=$(date +%s)
make_root "$W/small" 1
make_root "$W/big" "$PKGS"
note "roots made in $(( $(date +%s) - t0 )) s"

printf '| %-53s | %9s | %8s | %13s |\n' "what" "wall (s)" "CPU (s)" "peak RSS (MB)"
printf '|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..55})" "-----------" "----------" "---------------"
out() { printf '| %-53s | %9s | %8s | %13s |\n' "$1" "$2" "$4" "$(awk -v k="$3" 'BEGIN { printf "%.1f", k / 1024 }')"; }

read -r wall rss st cpu < <(best "$W/a1" "$AOMS" assess --root "$W/small" --format json "${VKEY[@]}")
out "assess, 1 package (shipped PES table, 2,163 events)" "$wall" "$rss" "$cpu"
read -r wall rss st cpu < <(best "$W/a2" "$AOMS" assess --root "$W/small" --format json "${VKEY[@]}" --mapping "$PES_JSON")
out "assess, 1 package + full pes-events.json as --mapping" "$wall" "$rss" "$cpu"
read -r wall rss st cpu < <(best "$W/big.json" "$AOMS" assess --root "$W/big" --format json --host h0 "${VKEY[@]}")
out "assess, $PKGS packages" "$wall" "$rss" "$cpu"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["run"]["decision"], d["run"]["packages"], len(d["entries"]))' \
	"$W/big.json" >&2 || die "the assessment is not JSON (status $st)"
# signed by the vendor key: no package may count as third-party
[ -n "${BENCH_UNSIGNED:-}" ] || python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); n=sum(e["rule"] == "assess.package-third-party" for e in d["entries"]); sys.exit(n != 0)' \
	"$W/big.json" || die "packages of the signed root count as third-party: is --vendor-key honoured?"
note "report: $(stat -c %s "$W/big.json") bytes"

host_copies "$W/big.json" "$W/hosts" "$HOSTS"
read -r wall rss st cpu < <(best "$W/plan.out" "$AOMS" plan "$W"/hosts/*.json -o "$W/plan.json")
out "plan, $HOSTS host reports" "$wall" "$rss" "$cpu"
[ "$st" = 0 ] || [ "$st" = 8 ] || die "aoms plan failed (status $st): $(head -3 "$W/plan.out.err")"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("plan:", d["decision"], d["summary"])' "$W/plan.json" >&2
