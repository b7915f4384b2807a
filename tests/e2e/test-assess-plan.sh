#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# aoms assess on real roots assembled with rpmbuild + rpm --root, then aoms plan:
#   el8 root  centos-release 8.5 (os-release, a repo file) + a distribution package
#             -> proceed; plan = swap centos-release -> anolis-release, then distro-sync
#   el7 root  centos-release 7.9, wvdial (PES removes it), MySQL-python (PES splits it),
#             acme-agent (Vendor Acme: an ELF needing the build host's glibc 2.34 and a
#             python 2 script under /opt) -> block; plan blocked (exit 8)
#   waivers   a waiver of the blocking items unblocks; an expired one does not
#   bad input a truncated report, the same host twice, a bad waiver date: exit 1, no plan

. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd gcc rpmbuild rpm

T=$E2E_TMP

R=$T/rpmbuild/RPMS
rpm_build centos-release --define "osmajor 8" --define "osminor 5"
rpm_build distpkg --define "pkgname bash"
rpm_install_root "$T/el8" "$R"/x86_64/centos-release-8.5-1.el8.*.rpm "$R"/x86_64/bash-1.0-1.el7.*.rpm
echo web01 >"$T/el8/etc/hostname"

rm -rf "$R"
rpm_build centos-release --define "osmajor 7" --define "osminor 9"
rpm_build distpkg --define "pkgname wvdial"
rpm_build distpkg --define "pkgname MySQL-python"
rpm_build acme
rpm_install_root "$T/el7" "$R"/*/*.rpm
echo db01 >"$T/el7/etc/hostname"
echo 'SELINUX=enforcing' | { mkdir -p "$T/el7/etc/selinux" && cat >"$T/el7/etc/selinux/config"; }
printf '[acme]\nbaseurl=https://repo.acme.example/el7\n' >"$T/el7/etc/yum.repos.d/acme.repo"
[ -x "$T/el7/opt/acme/bin/acmed" ] || die "acme-agent did not install its files"
(cd "$T" && find el7 el8 -printf '%p %s %T@\n' | sort) >"$T/before"

# ---- CentOS 8: release swap + distro-sync ---------------------------------------------
run_aoms assess --root "$T/el8" --role web --format json -o "$T/el8.json"
expect_status 0
expect_report_shape "$T/el8.json"
expect_json "$T/el8.json" 'd["run"]["decision"] == "proceed" and d["run"]["migration_path"] == "centos2anolis"' "el8: proceed, centos2anolis"
expect_json "$T/el8.json" 'd["run"]["host"] == "web01" and d["run"]["source_version"] == "8.5" and d["run"]["packages"] == "2"' "el8: host, version, packages"
expect_finding "$T/el8.json" centos-release assess.release-swap
run_aoms plan "$T/el8.json" -o "$T/el8.plan"
expect_status 0
expect_json "$T/el8.plan" 'd["schema_version"] == "1.4" and d["decision"] == "proceed"' "el8 plan proceeds"
expect_json "$T/el8.plan" 'd["hosts"][0]["transaction"] == {"method": "distro-sync", "swap": [{"from": "centos-release", "to": "anolis-release"}], "erase": [], "install": [], "distro_sync": True}' "el8 plan: release swap + distro-sync"
expect_json "$T/el8.plan" '[s["name"] for s in d["steps"]] == ["plan", "infrastructure preparation", "business adaptation", "pilot", "batch migration", "cut-over"]' "the six steps"
expect_json "$T/el8.plan" 'd["waves"][0]["name"] == "canary" and d["waves"][0]["hosts"] == ["web01"]' "web01 is the canary"
expect_json "$T/el8.json" 'd["run"]["role"] == "web"' "assess --role: run.role"
expect_json "$T/el8.plan" 'd["hosts"][0]["role"] == "web"' "the plan names the host's role"

# ---- CentOS 7: PES events, third party, blocked ------------------------------------------
run_aoms assess --root "$T/el7" --format json -o "$T/el7.json"
expect_status 8
expect_json "$T/el7.json" 'd["run"]["decision"] == "block" and d["run"]["migration_path"] == "leapp"' "el7: block, leapp"
expect_finding "$T/el7.json" wvdial assess.package-removed
expect_finding "$T/el7.json" MySQL-python assess.package-replaced
expect_finding "$T/el7.json" acme-agent assess.package-third-party
expect_finding "$T/el7.json" /opt/acme/bin/acme-report script.interpreter-missing
expect_finding "$T/el7.json" /etc/yum.repos.d/acme.repo assess.repo-third-party
expect_finding "$T/el7.json" /etc/selinux/config assess.selinux-enforcing
expect_json "$T/el7.json" 'any(e["subject"]["path"] == "/opt/acme/bin/acmed" and "inhibitor" in e["groups"] for e in d["entries"])' "the acme ELF needing glibc 2.34 blocks"
run_aoms plan "$T/el7.json" -o "$T/el7.plan"
expect_status 8
expect_json "$T/el7.plan" 'd["decision"] == "block" and d["hosts"][0]["blocking"] and d["waves"] == []' "el7 plan blocked"
expect_json "$T/el7.plan" 'd["hosts"][0]["transaction"]["erase"] == ["wvdial"] and {"from": "MySQL-python", "to": "python2-PyMySQL"} in d["hosts"][0]["transaction"]["swap"] and d["hosts"][0]["transaction"]["install"] == ["python3-PyMySQL"]' "el7 transaction: erase wvdial, split MySQL-python"

# ---- waivers --------------------------------------------------------------------------
keys=$(json_eval "$T/el7.plan" '" ".join(b["key"] for b in d["hosts"][0]["blocking"])')
waivers() {  # EXPIRES
	python3 -c 'import json,sys; print(json.dumps({"waivers": [{"key": k, "reason": "vendor ships EL8 build", "owner": "ops", "expires": sys.argv[1]} for k in sys.argv[2:]]}))' "$@"
}
waivers 2999-12-31 $keys >"$T/waivers-ok.json"
waivers 2000-01-01 $keys >"$T/waivers-old.json"
run_aoms plan "$T/el7.json" "$T/el8.json" --waivers "$T/waivers-ok.json" -o "$T/waived.plan"
expect_status 0
expect_json "$T/waived.plan" 'd["decision"] == "proceed" and d["hosts"][0]["host"] == "db01" and d["hosts"][0]["waived"]' "a waiver unblocks"
# web01 has a role (web), db01 none: the canary takes the least risky host of each
expect_json "$T/waived.plan" '[w["hosts"] for w in d["waves"]] == [["db01", "web01"]]' "one canary per role"
run_aoms assess --root "$T/el8" --format json -o "$T/el8-norole.json"
run_aoms plan "$T/el7.json" "$T/el8-norole.json" --waivers "$T/waivers-ok.json" -o "$T/waived2.plan"
expect_json "$T/waived2.plan" '[w["hosts"] for w in d["waves"]] == [["web01"], ["db01"]]' "without roles, the less risky host is the canary"
run_aoms plan "$T/el7.json" --waivers "$T/waivers-old.json" -o "$T/expired.plan"
expect_status 8
expect_json "$T/expired.plan" 'd["hosts"][0]["waivers_expired"]' "an expired waiver does not"
run_aoms plan "$T/el7.json" --waivers "$T/waivers-ok.json" --format text
expect_contains "$OUT" "waived" "text plan shows waivers"

# ---- policy ------------------------------------------------------------------------------
echo '{"block_on": {"rules": ["assess.package-removed"], "inhibitor": false}}' >"$T/policy.json"
run_aoms plan "$T/el8.json" "$T/el7.json" --policy "$T/policy.json" -o "$T/policy.plan"
expect_status 8
expect_json "$T/policy.plan" '[b["rule"] for b in d["hosts"][0]["blocking"]] == ["assess.package-removed"]' "the policy's rule blocks, inhibitors do not"

# ---- site mapping -------------------------------------------------------------------------
cat >"$T/site.json" <<'JSON'
{"packageinfo": [{"id": 900001, "action": 7, "architectures": [],
  "in_packageset": {"package": [{"name": "wvdial", "repository": "base"}]},
  "out_packageset": {"package": [{"name": "wvdial-ng", "repository": "site-el8"}]},
  "initial_release": {"major_version": 7, "minor_version": 9},
  "release": {"major_version": 8, "minor_version": 0}}]}
JSON
run_aoms assess --root "$T/el7" --format json -o "$T/site.json.out" --mapping "$T/site.json"
expect_finding "$T/site.json.out" wvdial assess.package-replaced
expect_no_finding "$T/site.json.out" wvdial assess.package-removed

# ---- bad input ----------------------------------------------------------------------------
head -c 300 "$T/el7.json" >"$T/truncated.json"
run_aoms plan "$T/truncated.json" -o "$T/bad.plan"
expect_status 1
run_aoms plan "$T/el7.json" "$T/el7.json" -o "$T/bad.plan"
expect_status 1
expect_contains "$ERR" "same host" "two reports of one host"
echo '{"waivers": [{"key": "0123456789abcdef", "reason": "x", "expires": "2024-02-30"}]}' >"$T/bad-waiver.json"
run_aoms plan "$T/el7.json" --waivers "$T/bad-waiver.json" -o "$T/bad.plan"
expect_status 1
check "no plan from bad input" test ! -e "$T/bad.plan"
mkdir -p "$T/notel/etc"
run_aoms assess --root "$T/notel" --format json -o "$T/notel.json"
expect_status_bits 8
expect_finding "$T/notel.json" /etc/os-release assess.not-el

(cd "$T" && find el7 el8 -printf '%p %s %T@\n' | sort) >"$T/after"
expect_same_bytes "$T/before" "$T/after" "the roots after assess"
e2e_finish
