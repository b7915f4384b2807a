#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# aoms plan --repo: the package transaction solved with libsolv against a target
# repository made with createrepo_c, for a CentOS 8 root assembled with rpmbuild and
# rpm --root (issue 11):
#   good repo     release swap + distro-sync: the exact erase and install lists, with
#                 locations and checksums; a kept third-party package's file require
#                 (/bin/sh) is met by the target's bash; the kernel is install-only;
#                 epochs
#   missing dep   the target's fooapp needs libbar.so.2()(64bit), which nothing
#                 provides: exit 8, plan.unsatisfiable naming fooapp and the capability
#   7 -> 8        PES erase, swap (split, rename) and install solved; a PES target the
#                 repository lacks blocks
#   bad repo      no repomd.xml, a truncated one, a primary that does not match its
#                 checksum, metadata or packages outside DIR: exit 1, no plan
#   two repos     the target split into a BaseOS-like and an AppStream-like repository
#                 (--repo twice): the same transaction, each package naming its
#                 repository, the newer build of two wins; the repositories identified
#                 by their repomd.xml sha256; the same repository twice is refused;
#                 a module's stream in one repository and its default in another, and
#                 two repositories that disagree on a default

. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd rpmbuild rpm createrepo_c sha256sum

T=$E2E_TMP
R=$T/rpmbuild/RPMS/x86_64

pkg() { rpm_build_pkg "$@"; }   # NAME VERSION RELEASE [DEFINE VALUE]...
repo() {  # DIR RPM...: a repository as createrepo_c writes it, the packages in Packages/
	local dir=$1; shift
	mkdir -p "$dir/Packages" && cp "$@" "$dir/Packages/" &&
		createrepo_c -q "$dir" >"$T/createrepo.log" 2>&1 || { show "$T/createrepo.log"; die "createrepo_c $dir"; }
}

# ---- the CentOS 8 host ----------------------------------------------------------------
pkg centos-release 8.5 1.el8 pkgprov system-release pkgfile /etc/os-release
pkg bash 4.4 20.el8 pkgfile /bin/sh
pkg libfoo 1.0 1.el8 pkgprov "libfoo.so.1()(64bit)"
pkg fooapp 1.0 1.el8 pkgreq "libfoo.so.1()(64bit)"
pkg acme-tool 2.0 1 pkgvendor Acme pkgreq /bin/sh
pkg kernel 4.18.0 348.el8
pkg perl-Foo 0.1 1.el8 pkgepoch 1
mkdir -p "$T/root"
rpm --root "$T/root" --dbpath /var/lib/rpm --initdb &&
	rpm --root "$T/root" --dbpath /var/lib/rpm -i --nodeps --noscripts --ignorearch "$R"/*.rpm ||
	die "installing the host"
cat >"$T/root/etc/os-release" <<'OS'
NAME="CentOS Linux"
ID="centos"
VERSION_ID="8"
PRETTY_NAME="CentOS Linux 8"
OS
echo 'CentOS Linux release 8.5.2111' >"$T/root/etc/centos-release"
echo web01 >"$T/root/etc/hostname"
rm -rf "$R"

run_aoms assess --root "$T/root" --format json -o "$T/web01.json"
expect_status_bits 0
expect_report_shape "$T/web01.json"
expect_json "$T/web01.json" '[p["name"] for p in d["installed"]] == ["acme-tool", "bash", "centos-release", "fooapp", "kernel", "libfoo", "perl-Foo"]' "the report lists the installed packages"
expect_json "$T/web01.json" '[p.get("epoch") for p in d["installed"] if p["name"] in ("perl-Foo", "bash")] == [None, "1"]' "an epoch is recorded when there is one"
expect_json "$T/web01.json" '[p for p in d["installed"] if p["name"] == "bash"][0]["provides"] == ["bash(x86-64) = 4.4-20.el8", "/bin/sh"]' "bash provides /bin/sh, which acme-tool requires (its own bash = EVR is implied)"
expect_json "$T/web01.json" '[p for p in d["installed"] if p["name"] == "fooapp"][0]["requires"] == ["libfoo.so.1()(64bit)"]' "requires without rpmlib()"

# ---- the target repository ---------------------------------------------------------------
pkg anolis-release 8.8 1.an8 pkgprov system-release pkgfile /etc/os-release
pkg bash 4.4 19.an8 pkgfile /bin/sh
pkg libfoo 1.1 1.an8 pkgprov "libfoo.so.1()(64bit)"
pkg fooapp 1.0 2.an8 pkgreq "libfoo.so.1()(64bit)"
pkg unrelated 1.0 1.an8
pkg kernel 4.18.0 372.an8
pkg perl-Foo 0.1 2.an8 pkgepoch 1
repo "$T/repo" "$R"/*.rpm
sum() { sha256sum "$T/repo/Packages/$1" | cut -d' ' -f1; }

run_aoms plan "$T/web01.json" --repo "$T/repo" -o "$T/web01.plan"
expect_status 0
expect_json "$T/web01.plan" 'd["schema_version"] == "1.4" and d["decision"] == "proceed"' "the solved plan proceeds"
expect_json "$T/web01.plan" 'd["hosts"][0]["transaction"]["resolved"]["repo"] == "'"$T/repo"'"' "resolved.repo is DIR as given"
expect_json "$T/web01.plan" 'd["hosts"][0]["transaction"]["resolved"]["erase"] == ["bash-4.4-20.el8.x86_64", "centos-release-8.5-1.el8.x86_64", "fooapp-1.0-1.el8.x86_64", "libfoo-1.0-1.el8.x86_64", "perl-Foo-1:0.1-1.el8.x86_64"]' "erase: the release package and every package distro-sync replaces (the downgraded bash too), not acme-tool nor the running kernel"
want=$(python3 -c 'import json,sys; print(json.dumps([{"nevra": n[:-4], "location": "Packages/" + n, "checksum": "sha256:" + s, "repo": "repo"} for n, s in zip(sys.argv[1::2], sys.argv[2::2])]))' \
	anolis-release-8.8-1.an8.x86_64.rpm "$(sum anolis-release-8.8-1.an8.x86_64.rpm)" \
	bash-4.4-19.an8.x86_64.rpm "$(sum bash-4.4-19.an8.x86_64.rpm)" \
	fooapp-1.0-2.an8.x86_64.rpm "$(sum fooapp-1.0-2.an8.x86_64.rpm)" \
	kernel-4.18.0-372.an8.x86_64.rpm "$(sum kernel-4.18.0-372.an8.x86_64.rpm)" \
	libfoo-1.1-1.an8.x86_64.rpm "$(sum libfoo-1.1-1.an8.x86_64.rpm)")
want=$(python3 -c 'import json,sys; w=json.loads(sys.argv[1]); w.append({"nevra": "perl-Foo-1:0.1-2.an8.x86_64", "location": "Packages/perl-Foo-0.1-2.an8.x86_64.rpm", "checksum": "sha256:" + sys.argv[2], "repo": "repo"}); print(json.dumps(w))' "$want" "$(sum perl-Foo-0.1-2.an8.x86_64.rpm)")
expect_json "$T/web01.plan" 'd["hosts"][0]["transaction"]["resolved"]["install"] == '"$want" "install: anolis-release and the Anolis builds (a new kernel beside the old, epochs in the NEVRA), with location and sha256"
run_aoms plan "$T/web01.json" --repo "$T/repo" --format text
expect_contains "$OUT" "resolved  5 to erase, 6 to install" "the text plan counts the resolved transaction"
run_aoms plan "$T/web01.json" -o "$T/norepo.plan"
expect_status 0
expect_json "$T/norepo.plan" '"resolved" not in d["hosts"][0]["transaction"]' "without --repo nothing is solved"

# ---- two repositories: BaseOS-like and AppStream-like ---------------------------------------
# the same packages split in two; AppStream also carries an older libfoo (BaseOS's newer
# build wins, as dnf chooses by version among repositories of one priority)
mkdir -p "$T/split"
( cd "$T/repo/Packages" && cp anolis-release-* bash-* kernel-* libfoo-* "$T/split/" ) || die "split"
repo "$T/BaseOS" "$T"/split/*.rpm
rm -rf "$T/split" && mkdir -p "$T/split"
( cd "$T/repo/Packages" && cp fooapp-* perl-Foo-* unrelated-* "$T/split/" ) || die "split"
pkg libfoo 1.0 9.an8 pkgprov "libfoo.so.1()(64bit)"
cp "$R"/libfoo-1.0-9.an8.x86_64.rpm "$T/split/"
repo "$T/AppStream" "$T"/split/*.rpm
run_aoms plan "$T/web01.json" --repo "$T/BaseOS" --repo "$T/AppStream/" -o "$T/two-repos.plan"
expect_status 0
expect_json "$T/two-repos.plan" '[(i["nevra"], i["repo"], i["location"]) for i in d["hosts"][0]["transaction"]["resolved"]["install"]] == [("anolis-release-8.8-1.an8.x86_64", "BaseOS", "Packages/anolis-release-8.8-1.an8.x86_64.rpm"), ("bash-4.4-19.an8.x86_64", "BaseOS", "Packages/bash-4.4-19.an8.x86_64.rpm"), ("fooapp-1.0-2.an8.x86_64", "AppStream", "Packages/fooapp-1.0-2.an8.x86_64.rpm"), ("kernel-4.18.0-372.an8.x86_64", "BaseOS", "Packages/kernel-4.18.0-372.an8.x86_64.rpm"), ("libfoo-1.1-1.an8.x86_64", "BaseOS", "Packages/libfoo-1.1-1.an8.x86_64.rpm"), ("perl-Foo-1:0.1-2.an8.x86_64", "AppStream", "Packages/perl-Foo-0.1-2.an8.x86_64.rpm")]' "two repositories: the same install list, each package with its repository (libfoo 1.1 of BaseOS over AppStream's 1.0-9)"
expect_json "$T/two-repos.plan" '[i["checksum"] for i in d["hosts"][0]["transaction"]["resolved"]["install"]] == [i["checksum"] for i in json.load(open("'"$T/web01.plan"'"))["hosts"][0]["transaction"]["resolved"]["install"]]' "the same packages (sha256) as from the one repository"
expect_json "$T/two-repos.plan" 'd["hosts"][0]["transaction"]["resolved"]["erase"] == json.load(open("'"$T/web01.plan"'"))["hosts"][0]["transaction"]["resolved"]["erase"]' "the same erase list"
repos_want=$(python3 -c 'import json,sys; print(json.dumps([{"id": i, "path": p, "repomd": "sha256:" + s, "revision": r} for i, p, s, r in zip(*[iter(sys.argv[1:])] * 4)]))' 	BaseOS "$T/BaseOS" "$(sha256sum "$T/BaseOS/repodata/repomd.xml" | cut -d' ' -f1)" "$(sed -n 's|.*<revision>\(.*\)</revision>.*|\1|p' "$T/BaseOS/repodata/repomd.xml")" 	AppStream "$T/AppStream/" "$(sha256sum "$T/AppStream/repodata/repomd.xml" | cut -d' ' -f1)" "$(sed -n 's|.*<revision>\(.*\)</revision>.*|\1|p' "$T/AppStream/repodata/repomd.xml")")
expect_json "$T/two-repos.plan" 'd["hosts"][0]["transaction"]["resolved"]["repos"] == '"$repos_want"' and d["hosts"][0]["transaction"]["resolved"]["repo"] == "'"$T/BaseOS"'"' "resolved.repos: id, path as given, repomd.xml sha256 and revision of each; repo the first"
expect_json "$T/web01.plan" '[(r["id"], r["path"]) for r in d["hosts"][0]["transaction"]["resolved"]["repos"]] == [("repo", "'"$T/repo"'")] and {i["repo"] for i in d["hosts"][0]["transaction"]["resolved"]["install"]} == {"repo"}' "one --repo: one repository, every package from it"
run_aoms plan "$T/web01.json" --repo "$T/BaseOS" --repo "$T/AppStream" --format text
expect_contains "$OUT" "            fooapp-1.0-2.an8.x86_64 from AppStream" "the text plan names each package's repository"
expect_contains "$OUT" "            libfoo-1.1-1.an8.x86_64 from BaseOS" "the text plan names each package's repository (BaseOS)"
expect_contains "$OUT" "one regenerated needs a new plan): BaseOS (sha256:$(sha256sum "$T/BaseOS/repodata/repomd.xml" | cut -c1-12)...), AppStream (sha256:$(sha256sum "$T/AppStream/repodata/repomd.xml" | cut -c1-12)...)" "the preparation step names the repositories to keep as they are"
# the same basename twice: ids stay unique
mkdir -p "$T/mirror2" && cp -r "$T/AppStream" "$T/mirror2/BaseOS"
run_aoms plan "$T/web01.json" --repo "$T/BaseOS" --repo "$T/mirror2/BaseOS" -o "$T/ids.plan"
expect_status 0
expect_json "$T/ids.plan" '[r["id"] for r in d["hosts"][0]["transaction"]["resolved"]["repos"]] == ["BaseOS", "BaseOS-2"] and {i["repo"] for i in d["hosts"][0]["transaction"]["resolved"]["install"]} == {"BaseOS", "BaseOS-2"}' "two repositories of one name: BaseOS and BaseOS-2"
# the same repository twice (another path, the same repomd.xml): refused, no plan
cp -r "$T/BaseOS" "$T/BaseOS-copy"
run_aoms plan "$T/web01.json" --repo "$T/BaseOS" --repo "$T/AppStream" --repo "$T/BaseOS-copy" -o "$T/dup.plan"
expect_status 1
expect_eq "$(cat "$ERR")" "aoms plan: repository '$T/BaseOS-copy' is the same as '$T/BaseOS' (the same repomd.xml, sha256:$(sha256sum "$T/BaseOS/repodata/repomd.xml" | cut -d' ' -f1))" "the same repository twice is named"
check "no plan with a repository twice" test ! -e "$T/dup.plan"
mkdir -p "$T/norepodata"
run_aoms plan "$T/web01.json" --repo "$T/BaseOS" --repo "$T/norepodata" -o "$T/dup.plan"
expect_status 1
expect_contains "$ERR" "cannot open '$T/norepodata/repodata/repomd.xml'" "a second --repo without repodata is named"

# ---- a dependency the target lacks ----------------------------------------------------------
rm -f "$R"/fooapp-*.rpm
pkg fooapp 1.0 2.an8 pkgreq "libbar.so.2()(64bit)"
repo "$T/repo-missing" "$R"/*.rpm
run_aoms plan "$T/web01.json" --repo "$T/repo-missing" -o "$T/missing.plan"
expect_status 8
expect_json "$T/missing.plan" 'd["decision"] == "block" and [b["rule"] for b in d["hosts"][0]["blocking"]] == ["plan.unsatisfiable"] and d["hosts"][0]["blocking"][0]["subject"] == "fooapp"' "blocked by plan.unsatisfiable on fooapp"
expect_json "$T/missing.plan" 'd["hosts"][0]["blocking"][0]["title"] == "nothing provides libbar.so.2()(64bit) needed by fooapp-1.0-2.an8.x86_64"' "the blocking item names the package and the missing capability"
expect_json "$T/missing.plan" '"resolved" not in d["hosts"][0]["transaction"]' "no resolved transaction"
run_aoms plan "$T/web01.json" --repo "$T/repo-missing" --format text
expect_contains "$OUT" "plan.unsatisfiable fooapp: nothing provides libbar.so.2()(64bit)" "the text plan names the package and the capability"
# the finding carries the capability; the waiver of its key unblocks
key=$(json_eval "$T/missing.plan" 'd["hosts"][0]["blocking"][0]["key"]')
echo '{"waivers": [{"key": "'"$key"'", "reason": "libbar comes from the site repo", "owner": "ops"}]}' >"$T/w.json"
run_aoms plan "$T/web01.json" --repo "$T/repo-missing" --waivers "$T/w.json" --format text
expect_status 0
expect_contains "$OUT" "fooapp: libbar comes from the site repo" "a waiver of plan.unsatisfiable unblocks"

# ---- 7 -> 8: the package evolution's erase, swap and install, solved ------------------------
rm -rf "$R"
A=$FIXTURES/assess
for args in "centos-release --define osmajor=7 --define osminor=9" "distpkg --define pkgname=wvdial" \
	    "distpkg --define pkgname=MySQL-python"; do
	set -- $args
	spec=$1; shift
	defs=()
	for d in "$@"; do [ "$d" = --define ] || defs+=(--define "${d%%=*} ${d#*=}"); done
	rpmbuild -bb --nodeps --define "_topdir $T/rpmbuild" --define "_dbpath $T/builddb" \
		--define "debug_package %{nil}" --define "_build_id_links none" "${defs[@]}" \
		"$A/$spec.spec" >"$T/build-el7.log" 2>&1 || { show "$T/build-el7.log"; die "rpmbuild $spec"; }
done
mkdir -p "$T/el7"
rpm --root "$T/el7" --dbpath /var/lib/rpm --initdb &&
	rpm --root "$T/el7" --dbpath /var/lib/rpm -i --nodeps --noscripts --ignorearch "$R"/*.rpm ||
	die "installing the el7 host"
echo db01 >"$T/el7/etc/hostname"
rm -rf "$R"
run_aoms assess --root "$T/el7" --format json -o "$T/db01.json"
expect_json "$T/db01.json" 'd["run"]["migration_path"] == "leapp"' "el7: the leapp path"
pkg python3-PyMySQL 0.10.1 2.an8
repo "$T/repo7" "$R"/*.rpm
run_aoms plan "$T/db01.json" --repo "$T/repo7" -o "$T/db01.plan"
expect_status 8
expect_json "$T/db01.plan" '[(b["rule"], b["subject"], b["title"]) for b in d["hosts"][0]["blocking"]] == [("plan.unsatisfiable", "python2-PyMySQL", "package python2-PyMySQL does not exist"), ("plan.unsatisfiable", "centos-linux-release", "package centos-linux-release does not exist")]' "the PES targets python2-PyMySQL (split) and centos-linux-release (renamed) are not in the target: blocked"
# the target's release package provides the name PES renames to (dnf install picks it)
pkg python2-PyMySQL 0.8.0 10.an8
pkg anolis-release 8.8 1.an8 pkgprov centos-linux-release
repo "$T/repo7b" "$R"/*.rpm
run_aoms plan "$T/db01.json" --repo "$T/repo7b" -o "$T/db01b.plan"
expect_status 0
expect_json "$T/db01b.plan" 'd["hosts"][0]["transaction"]["resolved"]["erase"] == ["MySQL-python-1.0-1.el7.x86_64", "centos-release-7.9-1.el7.x86_64", "wvdial-1.0-1.el7.x86_64"]' "7 -> 8: PES erase and the swaps' sources erased"
expect_json "$T/db01b.plan" '[p["nevra"] for p in d["hosts"][0]["transaction"]["resolved"]["install"]] == ["anolis-release-8.8-1.an8.x86_64", "python2-PyMySQL-0.8.0-10.an8.x86_64", "python3-PyMySQL-0.10.1-2.an8.x86_64"]' "7 -> 8: the swaps' targets installed"
# one repository, two hosts, each solved with its own installed set: web01's packages
# the repository lacks stay (distro-sync keeps them), only its release is swapped
run_aoms plan "$T/db01.json" "$T/web01.json" --repo "$T/repo7b" -o "$T/two.plan"
expect_status 0
expect_json "$T/two.plan" '[(h["host"], h["transaction"]["resolved"]["erase"]) for h in d["hosts"]] == [("db01", ["MySQL-python-1.0-1.el7.x86_64", "centos-release-7.9-1.el7.x86_64", "wvdial-1.0-1.el7.x86_64"]), ("web01", ["centos-release-8.5-1.el8.x86_64"])]' "two hosts: each its own erase list"
expect_json "$T/two.plan" '[p["nevra"] for p in d["hosts"][1]["transaction"]["resolved"]["install"]] == ["anolis-release-8.8-1.an8.x86_64"]' "web01 against this repository: the release swap only"
# module defaults merged across repositories: python3-PyMySQL is the artifact of stream
# pymysql:1 in one repository, the stream's default is in another; two repositories
# that disagree on the default leave the module without one (libmodulemd's merge)
if grep -q '^#define HAVE_LIBYAML 1' "$AOMS_BUILD/config.h" && command -v modifyrepo_c >/dev/null; then
	modmd() {  # DIR DOCUMENTS: DIR's repodata gets modules.yaml
		printf -- "$2" >"$T/modules.yaml" &&
			modifyrepo_c --mdtype=modules "$T/modules.yaml" "$1/repodata" >"$T/modifyrepo.log" 2>&1 ||
			{ show "$T/modifyrepo.log"; die "modifyrepo_c $1"; }
	}
	dflt='---\ndocument: modulemd-defaults\nversion: 1\ndata:\n  module: pymysql\n  stream: "%s"\n...\n'
	mkdir -p "$T/mod-as/Packages" "$T/mod-os/Packages"
	cp "$T"/repo7b/Packages/python3-PyMySQL-* "$T/mod-as/Packages/"
	cp "$T"/repo7b/Packages/anolis-release-* "$T"/repo7b/Packages/python2-PyMySQL-* "$T/mod-os/Packages/"
	createrepo_c -q "$T/mod-as" && createrepo_c -q "$T/mod-os" || die "createrepo_c"
	cp -r "$T/mod-os" "$T/mod-os2"
	modmd "$T/mod-as" '---\ndocument: modulemd\nversion: 2\ndata:\n  name: pymysql\n  stream: "1"\n  version: 1\n  context: aa\n  summary: s\n  description: d\n  license: {module: [MIT]}\n  artifacts:\n    rpms:\n    - python3-PyMySQL-0:0.10.1-2.an8.x86_64\n...\n'
	modmd "$T/mod-os" "$(printf -- "$dflt" 1)"
	modmd "$T/mod-os2" "$(printf -- "$dflt" 2)"
	run_aoms plan "$T/db01.json" --repo "$T/mod-os" --repo "$T/mod-as" -o "$T/mod.plan"
	expect_status 0
	expect_json "$T/mod.plan" '[(p["nevra"], p["repo"], p.get("module_stream")) for p in d["hosts"][0]["transaction"]["resolved"]["install"]] == [("anolis-release-8.8-1.an8.x86_64", "mod-os", None), ("python2-PyMySQL-0.8.0-10.an8.x86_64", "mod-os", None), ("python3-PyMySQL-0.10.1-2.an8.x86_64", "mod-as", "pymysql:1")]' "a stream of one repository, its default in another: the default stream's package is installed"
	run_aoms plan "$T/db01.json" --repo "$T/mod-as" -o "$T/mod-nodefault.plan"
	expect_status 8
	expect_json "$T/mod-nodefault.plan" 'sorted(b["subject"] for b in d["hosts"][0]["blocking"]) == ["centos-linux-release", "python2-PyMySQL", "python3-PyMySQL"]' "without the defaults' repository the stream is not active: python3-PyMySQL is not there"
	run_aoms plan "$T/db01.json" --repo "$T/mod-os" --repo "$T/mod-as" --repo "$T/mod-os2" -o "$T/mod-conflict.plan"
	expect_status 8
	expect_json "$T/mod-conflict.plan" '[b["subject"] for b in d["hosts"][0]["blocking"]] == ["python3-PyMySQL"]' "two repositories with different defaults of one module: no default, python3-PyMySQL is not there"
else
	e2e_log "no libyaml in this build (or no modifyrepo_c): the merged module defaults are not tested"
fi

# ---- bad repositories: exit 1, no plan ----------------------------------------------------------
mkdir -p "$T/empty"
run_aoms plan "$T/web01.json" --repo "$T/empty" -o "$T/bad.plan"
expect_status 1
expect_contains "$ERR" "repodata/repomd.xml" "a missing repomd.xml is named"
cp -r "$T/repo" "$T/repo-trunc"
head -c 200 "$T/repo/repodata/repomd.xml" >"$T/repo-trunc/repodata/repomd.xml"
run_aoms plan "$T/web01.json" --repo "$T/repo-trunc" -o "$T/bad.plan"
expect_status 1
expect_contains "$ERR" "is not a repomd.xml" "a truncated repomd.xml"
cp -r "$T/repo" "$T/repo-sum"
primary=$(ls "$T/repo-sum/repodata/"*-primary.xml.*)
printf 'x' >>"$primary"
run_aoms plan "$T/web01.json" --repo "$T/repo-sum" -o "$T/bad.plan"
expect_status 1
expect_contains "$ERR" "does not match its sha256 checksum" "a primary that does not match repomd.xml"
cp -r "$T/repo" "$T/repo-escape"
sed -i 's|href="repodata/|href="../repodata/|' "$T/repo-escape/repodata/repomd.xml"
run_aoms plan "$T/web01.json" --repo "$T/repo-escape" -o "$T/bad.plan"
expect_status 1
expect_contains "$ERR" "is outside the repository" "repomd.xml naming a file outside the repository"
# packages that live elsewhere (xml:base) or above DIR: the executor reads DIR/location
for how in --baseurl=https://mirror.example/anolis/ --location-prefix=../../; do
	rm -rf "$T/repo-where" && mkdir -p "$T/repo-where" && cp -r "$T/repo/Packages" "$T/repo-where/"
	createrepo_c -q "$how" "$T/repo-where" >/dev/null 2>&1 || die "createrepo_c $how"
	run_aoms plan "$T/web01.json" --repo "$T/repo-where" -o "$T/bad.plan"
	expect_status 1
	expect_contains "$ERR" "is not inside the repository" "createrepo_c $how: a package location elsewhere"
done
# a report of an aoms before schema 1.5 lists no installed packages: nothing to solve with
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); del d["installed"]; d["schema_version"] = "1.3"; json.dump(d, open(sys.argv[2], "w"), indent=2)' "$T/web01.json" "$T/old.json"
run_aoms plan "$T/old.json" --repo "$T/repo" -o "$T/bad.plan"
expect_status 1
expect_contains "$ERR" "lists no installed packages" "an old report with --repo"
run_aoms plan "$T/old.json" -o "$T/old.plan"
expect_status 0
check "no plan from a bad repository" test ! -e "$T/bad.plan"
e2e_finish
