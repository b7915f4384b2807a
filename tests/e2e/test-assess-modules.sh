#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Module streams through --mapping (issue 11), on roots assembled with rpmbuild and
# rpm --root:
#   7 -> 8    a site event splits postgresql into postgresql + postgresql-server of
#             module stream postgresql:12 (modulestream_maps null -> postgresql:12,
#             the packages' `modulestreams`); another moves nodejs-tools into nodejs:14
#             (ELevate's `module_stream` spelling): the assessment names the streams,
#             the plan enables them (dnf module enable) with the packages of each
#   8 -> 8    postgresql installed from postgresql:10 (its ModularityLabel): the event
#             of that in-stream applies, the one of postgresql:9.6 does not; a
#             malformed label counts as non-modular
#   --repo    a target repository with modules.yaml (and the same split over three
#             repositories, --repo three times): the solver takes the enabled
#             stream's build, not another stream's newer one nor the non-modular one;
#             without the mapping the installed stream; modules.yaml that is not YAML
#             or lacks a stream: exit 1 (needs libyaml in the build: else not run)
#   bad input a malformed modulestream member: exit 2 (as any malformed --mapping), naming it

. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd rpmbuild rpm

T=$E2E_TMP
R=$T/rpmbuild/RPMS

# ---- CentOS 7 -> 8 ------------------------------------------------------------------------
rpm_build distpkg --define "pkgname postgresql"
rpm_build distpkg --define "pkgname nodejs-tools"
centos_root "$T/el7" db07 7 9

cat >"$T/site7.json" <<'JSON'
{"packageinfo": [
 {"id": 910001, "action": 4, "architectures": [],
  "in_packageset": {"package": [{"name": "postgresql", "repository": "base"}]},
  "out_packageset": {"package": [
    {"name": "postgresql", "repository": "appstream", "modulestreams": [{"name": "postgresql", "stream": "12"}]},
    {"name": "postgresql-server", "repository": "appstream", "modulestreams": [{"name": "postgresql", "stream": "12"}]}]},
  "modulestream_maps": [{"in_modulestream": null, "out_modulestream": {"name": "postgresql", "stream": "12"}}],
  "initial_release": {"major_version": 7, "minor_version": 9},
  "release": {"major_version": 8, "minor_version": 0}},
 {"id": 910002, "action": 6, "architectures": [],
  "in_packageset": {"package": [{"name": "nodejs-tools", "repository": "base", "module_stream": null}]},
  "out_packageset": {"package": [{"name": "nodejs-tools", "repository": "appstream", "module_stream": {"name": "nodejs", "stream": "14"}}]},
  "modulestream_maps": [{"in_modulestream": null, "out_modulestream": {"name": "nodejs", "stream": "14"}}],
  "initial_release": {"major_version": 7, "minor_version": 9},
  "release": {"major_version": 8, "minor_version": 0}}]}
JSON

run_aoms assess --root "$T/el7" --mapping "$T/site7.json" --format json -o "$T/el7.json"
expect_status_bits 0
expect_report_shape "$T/el7.json"
expect_json "$T/el7.json" 'd["run"]["migration_path"] == "leapp"' "el7: the Leapp path"
pg='[e for e in d["entries"] if e["rule"] == "assess.package-replaced" and e["subject"]["path"] == "postgresql"]'
expect_json "$T/el7.json" "len($pg) == 1 and $pg[0]['evidence']['out_module_streams'] == ['postgresql:12']" "the split names its target stream"
expect_json "$T/el7.json" "[a for a in $pg[0]['actions']] == [{'kind': 'install-package', 'args': {'package': 'postgresql-server'}}]" "the split installs postgresql-server by its package name"
ms='{e["subject"]["path"]: e for e in d["entries"] if e["rule"] == "assess.module-stream"}'
expect_json "$T/el7.json" "sorted($ms) == ['nodejs:14', 'postgresql:12']" "one assess.module-stream per target stream"
expect_json "$T/el7.json" "$ms['postgresql:12']['evidence']['packages'] == ['postgresql', 'postgresql-server'] and $ms['postgresql:12']['evidence']['from_module_streams'] == []" "postgresql:12: its packages"
expect_json "$T/el7.json" "$ms['nodejs:14']['evidence']['packages'] == ['nodejs-tools']" "module_stream (ELevate's spelling) is read"
expect_json "$T/el7.json" "$ms['postgresql:12']['actions'] == [{'kind': 'enable-module-stream', 'args': {'module_stream': 'postgresql:12'}}]" "the enable-module-stream action"
expect_json "$T/el7.json" "['dnf', 'module', 'enable', 'postgresql:12'] in [r['context'] for r in $ms['postgresql:12']['detail']['remediations']]" "its command"
run_aoms assess --root "$T/el7" --mapping "$T/site7.json"
expect_contains "$OUT" "module stream postgresql:12 is enabled for postgresql, postgresql-server" "the text report names the stream and its packages"

run_aoms plan "$T/el7.json" -o "$T/el7.plan"
expect_status 0
expect_json "$T/el7.plan" 'd["schema_version"] == "1.4"' "plan schema 1.4"
expect_json "$T/el7.plan" 'd["hosts"][0]["transaction"]["module_streams"] == [{"module_stream": "nodejs:14", "packages": ["nodejs-tools"], "command": ["dnf", "module", "enable", "nodejs:14"]}, {"module_stream": "postgresql:12", "packages": ["postgresql", "postgresql-server"], "command": ["dnf", "module", "enable", "postgresql:12"]}]' "the transaction enables both streams, with the packages of each"
expect_json "$T/el7.plan" 'd["hosts"][0]["transaction"]["install"] == ["postgresql-server"]' "and installs postgresql-server"
expect_json "$T/el7.plan" '"canary: the Leapp upgrade of db07 enables postgresql:12 once the --mapping events are in its /etc/leapp/files/pes-events.json" in d["steps"][3]["actions"]' "the pilot step: Leapp enables the stream on the 7 -> 8 canary"
expect_json "$T/el7.plan" 'any(a.startswith("mirror module stream postgresql:12") for a in d["steps"][1]["actions"])' "infrastructure preparation mirrors the stream"
run_aoms plan "$T/el7.json" --format text
expect_contains "$OUT" "  module    dnf module enable postgresql:12 (postgresql postgresql-server)" "the text plan enables the stream"

# ---- CentOS 8 -> 8: the installed stream picks the event ---------------------------------
rpm_build distpkg --define "pkgname postgresql" --define "modularitylabel postgresql:10:8030020200716:abcdef12"
rpm_build distpkg --define "pkgname oddlabel" --define "modularitylabel no-colons-here"
centos_root "$T/el8" db08 8 5
cat >"$T/site8.json" <<'JSON'
{"packageinfo": [
 {"id": 920001, "action": 6, "architectures": [],
  "in_packageset": {"package": [{"name": "postgresql", "repository": "centos8-appstream",
    "modulestreams": [{"name": "postgresql", "stream": "10"}, {"name": "postgresql", "stream": "9.6"}]}]},
  "out_packageset": {"package": [{"name": "postgresql", "repository": "anolis8-appstream",
    "modulestreams": [{"name": "postgresql", "stream": "12"}, {"name": "postgresql", "stream": "13"}]}]},
  "modulestream_maps": [
    {"in_modulestream": {"name": "postgresql", "stream": "10"}, "out_modulestream": {"name": "postgresql", "stream": "12"}},
    {"in_modulestream": {"name": "postgresql", "stream": "9.6"}, "out_modulestream": {"name": "postgresql", "stream": "13"}}],
  "initial_release": {"major_version": 8, "minor_version": 5},
  "release": {"major_version": 8, "minor_version": 6}},
 {"id": 920002, "action": 1, "architectures": [],
  "in_packageset": {"package": [{"name": "postgresql", "repository": "centos8-appstream",
    "modulestream": {"name": "postgresql", "stream": "9.6"}}]},
  "initial_release": {"major_version": 8, "minor_version": 5},
  "release": {"major_version": 8, "minor_version": 6}}]}
JSON
run_aoms assess --root "$T/el8" --mapping "$T/site8.json" --format json -o "$T/el8.json"
expect_status_bits 0
expect_json "$T/el8.json" 'd["run"]["migration_path"] == "centos2anolis"' "el8: the centos2anolis path"
expect_json "$T/el8.json" '[p.get("module_stream") for p in d["installed"] if p["name"] == "postgresql"] == ["postgresql:10"]' "the installed package's stream (ModularityLabel) is recorded"
expect_json "$T/el8.json" '[p.get("module_stream") for p in d["installed"] if p["name"] == "oddlabel"] == [None]' "a malformed ModularityLabel counts as non-modular"
expect_json "$T/el8.json" '[(e["subject"]["path"], e["evidence"]["packages"], e["evidence"]["from_module_streams"]) for e in d["entries"] if e["rule"] == "assess.module-stream"] == [("postgresql:12", ["postgresql"], ["postgresql:10"])]' "postgresql:10 -> postgresql:12, not 9.6's postgresql:13"
expect_json "$T/el8.json" 'not [e for e in d["entries"] if e["rule"] == "assess.package-removed"]' "the event of stream 9.6 does not apply to a postgresql of stream 10"
run_aoms assess --root "$T/el8" --format json -o "$T/el8-plain.json"
expect_json "$T/el8-plain.json" 'not [e for e in d["entries"] if e["rule"].startswith("assess.module")]' "without the mapping no stream"
run_aoms plan "$T/el8.json" --format text
expect_contains "$OUT" "  module    dnf module enable postgresql:12 (postgresql)" "the 8 -> 8 plan enables postgresql:12"
expect_contains "$OUT" "then      dnf distro-sync" "before the distro-sync"
expect_contains "$OUT" "canary: dnf module enable postgresql:12 on db08 before the distro-sync" "the pilot step enables the stream on the 8 -> 8 canary"

# ---- --repo with modules.yaml: the solve keeps to the enabled stream -----------------------
if grep -q '^#define HAVE_LIBYAML 1' "$AOMS_BUILD/config.h" && command -v createrepo_c >/dev/null &&
	command -v modifyrepo_c >/dev/null; then
	pkg() { rpm_build_pkg "$@"; }   # NAME VERSION RELEASE [DEFINE VALUE]...
	modules_into() {  # YAML REPO: YAML as REPO's modules metadata
		modifyrepo_c --mdtype=modules "$1" "$2/repodata" >"$T/modifyrepo.log" 2>&1 ||
			{ show "$T/modifyrepo.log"; die "modifyrepo_c $2"; }
	}
	pkg anolis-release 8.8 1.an8 pkgvendor OpenAnolis
	pkg postgresql 9.2 30.an8 pkgvendor OpenAnolis                   # not modular
	pkg postgresql 10.21 1.module_an8 pkgvendor OpenAnolis modularitylabel postgresql:10:1:aa
	pkg postgresql 12.9 1.module_an8 pkgvendor OpenAnolis modularitylabel postgresql:12:1:aa
	pkg postgresql 13.5 1.module_an8 pkgvendor OpenAnolis modularitylabel postgresql:13:1:aa
	mkdir -p "$T/repo/Packages" && cp "$R"/x86_64/*.rpm "$T/repo/Packages/" &&
		createrepo_c -q "$T/repo" >"$T/createrepo.log" 2>&1 || { show "$T/createrepo.log"; die "createrepo_c"; }
	for v in 10:10.21 12:12.9 13:13.5; do
		printf -- '---\ndocument: modulemd\nversion: 2\ndata:\n  name: postgresql\n  stream: "%s"\n  version: 1\n  context: aa\n  arch: x86_64\n  summary: s\n  description: d\n  license: {module: [MIT]}\n  artifacts:\n    rpms:\n    - postgresql-0:%s-1.module_an8.x86_64\n    - postgresql-0:%s-1.module_an8.src\n...\n' \
			"${v%%:*}" "${v#*:}" "${v#*:}"
	done >"$T/modules.yaml"
	printf -- '---\ndocument: modulemd-defaults\nversion: 1\ndata:\n  module: postgresql\n  stream: "10"\n...\n' >>"$T/modules.yaml"
	cp -r "$T/repo" "$T/repo-bad"
	modules_into "$T/modules.yaml" "$T/repo"
	printf 'document: modulemd\ndata: [unclosed\n' >"$T/bad-modules.yaml"
	cp -r "$T/repo-bad" "$T/repo-nostream"
	printf -- '---\ndocument: modulemd\nversion: 2\ndata:\n  name: postgresql\n...\n' >"$T/nostream-modules.yaml"
	modules_into "$T/nostream-modules.yaml" "$T/repo-nostream"
	modules_into "$T/bad-modules.yaml" "$T/repo-bad"
	rm -rf "$R"

	run_aoms plan "$T/el8.json" --repo "$T/repo" -o "$T/el8-repo.plan"
	expect_status 0
	expect_json "$T/el8-repo.plan" '[(i["nevra"], i.get("module_stream")) for i in d["hosts"][0]["transaction"]["resolved"]["install"]] == [("anolis-release-8.8-1.an8.x86_64", None), ("postgresql-12.9-1.module_an8.x86_64", "postgresql:12")]' "the enabled stream's postgresql 12.9, not 13.5 of another stream nor the non-modular one"
	expect_json "$T/el8-repo.plan" 'd["hosts"][0]["transaction"]["resolved"]["erase"] == ["centos-release-8.5-1.el8.x86_64", "postgresql-1.0-1.el7.x86_64"]' "the source's postgresql leaves"
	run_aoms plan "$T/el8-plain.json" --repo "$T/repo" -o "$T/el8-plain-repo.plan"
	expect_status 0
	expect_json "$T/el8-plain-repo.plan" '[(i["nevra"], i.get("module_stream")) for i in d["hosts"][0]["transaction"]["resolved"]["install"]] == [("anolis-release-8.8-1.an8.x86_64", None), ("postgresql-10.21-1.module_an8.x86_64", "postgresql:10")]' "without the mapping the host stays on its installed stream 10"
	# the module's streams spread over three repositories (the defaults in the last), the
	# non-modular postgresql in another: filtered across them as in one
	mkdir -p "$T/sp-base/Packages" "$T/sp-app/Packages" "$T/sp-plus/Packages"
	cp "$T"/repo/Packages/anolis-release-* "$T"/repo/Packages/postgresql-9.2-* "$T/sp-base/Packages/"
	cp "$T"/repo/Packages/postgresql-1[02].* "$T/sp-app/Packages/"
	cp "$T"/repo/Packages/postgresql-13.* "$T/sp-plus/Packages/"
	for r in sp-base sp-app sp-plus; do
		createrepo_c -q "$T/$r" >"$T/createrepo.log" 2>&1 || { show "$T/createrepo.log"; die "createrepo_c $r"; }
	done
	awk 'BEGIN { RS = "\\.\\.\\.\n"; ORS = "...\n" } /stream: "1[02]"/' "$T/modules.yaml" >"$T/app-modules.yaml"
	awk 'BEGIN { RS = "\\.\\.\\.\n"; ORS = "...\n" } /stream: "13"|modulemd-defaults/' "$T/modules.yaml" >"$T/plus-modules.yaml"
	grep -q 'stream: "12"' "$T/app-modules.yaml" && grep -q 'modulemd-defaults' "$T/plus-modules.yaml" &&
		! grep -q 'stream: "13"' "$T/app-modules.yaml" || die "splitting modules.yaml"
	modules_into "$T/app-modules.yaml" "$T/sp-app"
	modules_into "$T/plus-modules.yaml" "$T/sp-plus"
	run_aoms plan "$T/el8.json" --repo "$T/sp-base" --repo "$T/sp-app" --repo "$T/sp-plus" -o "$T/el8-split.plan"
	expect_status 0
	expect_json "$T/el8-split.plan" '[(i["nevra"], i["repo"], i.get("module_stream")) for i in d["hosts"][0]["transaction"]["resolved"]["install"]] == [("anolis-release-8.8-1.an8.x86_64", "sp-base", None), ("postgresql-12.9-1.module_an8.x86_64", "sp-app", "postgresql:12")]' "streams over three repositories: the enabled stream's postgresql, the other repositories' non-modular and stream-13 builds left out"
	run_aoms plan "$T/el8-plain.json" --repo "$T/sp-base" --repo "$T/sp-app" --repo "$T/sp-plus" -o "$T/el8-plain-split.plan"
	expect_status 0
	expect_json "$T/el8-plain-split.plan" '[(i["nevra"], i["repo"]) for i in d["hosts"][0]["transaction"]["resolved"]["install"]] == [("anolis-release-8.8-1.an8.x86_64", "sp-base"), ("postgresql-10.21-1.module_an8.x86_64", "sp-app")]' "streams over three repositories: the installed stream 10 kept"
	run_aoms plan "$T/el8.json" --repo "$T/repo-bad" -o "$T/el8-bad.plan"
	expect_status 1
	expect_contains "$ERR" "modules.yaml.gz' is not YAML" "a modules.yaml that is not YAML is refused"
	check "no plan from a bad modules.yaml" test ! -e "$T/el8-bad.plan"
	run_aoms plan "$T/el8.json" --repo "$T/repo-nostream" -o "$T/el8-bad.plan"
	expect_status 1
	expect_contains "$ERR" "a modulemd document without data.name and data.stream" "a module without its stream is refused"
else
	e2e_log "no libyaml in this build (or no createrepo_c/modifyrepo_c): the --repo case is not run"
fi

# ---- bad input ------------------------------------------------------------------------------
bad() {  # NAME PYTHON-EDIT MESSAGE DESCRIPTION: a copy of site7.json changed by the edit of
	# d, as --mapping: exit 2, MESSAGE on stderr
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); exec(sys.argv[2]); json.dump(d, open(sys.argv[3], "w"))' \
		"$T/site7.json" "$2" "$T/$1.json"
	run_aoms assess --root "$T/el7" --mapping "$T/$1.json" --format json -o "$T/bad.json"
	expect_status 2
	expect_contains "$ERR" "$3" "$4"
}
bad nostream 'd["packageinfo"][0]["out_packageset"]["package"][1]["modulestreams"][0] = {"name": "postgresql"}' \
	"packageinfo[0].out_packageset.package[1].modulestreams[0].stream: missing or not a string" "a stream without its stream is named"
bad colon 'd["packageinfo"][1]["out_packageset"]["package"][0]["module_stream"]["stream"] = "14:x"' \
	"packageinfo[1].out_packageset.package[0].module_stream.stream: '14:x' is not a module stream" "a stream with ':' is named"
bad maps 'd["packageinfo"][0]["modulestream_maps"][0]["out_modulestream"] = "postgresql:12"' \
	"packageinfo[0].modulestream_maps[0].out_modulestream: not an object" "a map that is not an object is named"
bad list 'd["packageinfo"][0]["in_packageset"]["package"][0]["modulestreams"] = {"name": "x", "stream": "1"}' \
	"packageinfo[0].in_packageset.package[0].modulestreams: not a list" "modulestreams that is not a list is named"
check "no report from a bad mapping" test ! -e "$T/bad.json"

e2e_finish
