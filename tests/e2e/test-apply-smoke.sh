#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# aoms apply / aoms rollback on a tiny CentOS 8-like root built with rpmbuild and
# rpm --root: centos-release + tool (a %config(noreplace) file the user changed) +
# extra (not in the target). The target has anolis-release and a newer tool.
#   dry run       prints the transaction, the root is untouched
#   refusals      a blocked host (8), a stale or edited plan, a held lock, a bad
#                 digest, a missing source RPM, an unsigned package or one signed
#                 with another key when the repository has keys: exit 1, the root
#                 untouched
#   apply         the target's set, the user's config kept, the target's in .rpmnew,
#                 the new kernel beside the old one with a BLS entry
#   rollback      the original set, the tree byte-identical (content, mode, owner, mtime)
#   resolved      a plan's "resolved" set applied as given, its sha256 checked
#   two repos     aoms plan --repo twice (BaseOS-like; AppStream-like with modules.yaml),
#                 applied with both repositories mounted elsewhere (and the source's RPMs
#                 in two --source-repo), then rolled back; one of them missing: refused,
#                 the root untouched
#   kill          SIGKILL right after "transaction" started: rollback restores; killed
#                 at "backup": the next apply starts over; at "config": it finishes

. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd rpmbuild rpm
[ "$(id -u)" = 0 ] || skip "rpm --root with a transaction needs root (chroot for scriptlets)"

F=$FIXTURES
T=$E2E_TMP
ROOT=$T/root

build() {  # SPEC OUTDIR [rpmbuild args...]
	local spec=$1 out=$2
	shift 2
	rpmbuild -bb --nodeps --define "_topdir $T/rb" --define "_dbpath $T/builddb" \
		--define "debug_package %{nil}" --define "_build_id_links none" "$@" "$spec" \
		>"$T/build.log" 2>&1 || { show "$T/build.log"; die "rpmbuild $spec"; }
	mkdir -p "$out" && mv "$T"/rb/RPMS/*/*.rpm "$out/"
}
build "$F/assess/centos-release.spec" "$T/src" --define "osmajor 8" --define "osminor 5"
build "$F/apply/pkg.spec" "$T/src" --define "pkgname tool" --define "pkgrel 1.el8" --define "vendor CentOS"
build "$F/apply/pkg.spec" "$T/src" --define "pkgname extra" --define "pkgrel 1.el8" --define "vendor CentOS"
build "$F/apply/kernel.spec" "$T/src" --define "pkgrel 348.el8" --define "vendor CentOS"
build "$F/apply/anolis-release.spec" "$T/tgt"
build "$F/apply/kernel.spec" "$T/tgt" --define "pkgrel 372.an8" --define "vendor OpenAnolis Community"
build "$F/apply/pkg.spec" "$T/tgt" --define "pkgname tool" --define "pkgrel 2.an8" \
	--define "vendor OpenAnolis Community"

ARCH=$(rpm --eval '%{_arch}')
OLDK=4.18.0-348.el8.$ARCH NEWK=4.18.0-372.an8.$ARCH
rpmq() { rpm --root "$ROOT" --dbpath /var/lib/rpm -qa 2>/dev/null | sort; }
make_root() {
	rm -rf "$ROOT" && mkdir -p "$ROOT" && rpm --root "$ROOT" --dbpath /var/lib/rpm --initdb &&
		rpm --root "$ROOT" --dbpath /var/lib/rpm -i --nodeps --noscripts "$T"/src/*.rpm \
			>"$T/rpm.log" 2>&1 || { show "$T/rpm.log"; die "installing the source set"; }
	echo web01 >"$ROOT/etc/hostname"
	mkdir -p "$ROOT/boot/loader/entries"
	printf 'title CentOS Linux (%s) 8\nversion %s\nlinux /vmlinuz-%s\noptions root=/dev/vda1 ro quiet\n' \
		"$OLDK" "$OLDK" "$OLDK" >"$ROOT/boot/loader/entries/$OLDK.conf"
	echo "setting = the user's" >"$ROOT/etc/tool.conf"
	touch -d 2020-01-02 "$ROOT/etc/tool.conf"
}
# Every path but the rpmdb and aoms's own directory: type, mode, owner, size, link,
# mtime, and each file's sha256.
tree() {
	(cd "$ROOT" && find . -path ./var/lib/rpm -prune -o -path ./var/lib/aoms -prune -o \
		\( -type d -printf '%p %y %m %U %G\n' -o -printf '%p %y %m %U %G %s %l %T@\n' \) | sort &&
		find . -path ./var/lib/rpm -prune -o -path ./var/lib/aoms -prune -o -type f -print0 |
		sort -z | xargs -0 sha256sum)
}
apply() { run_aoms apply "$T/el8.plan" --root "$ROOT" --repo "$T/tgt" --source-repo "$T/src" "$@"; }
killed_at() {  # STEP: apply dies by SIGKILL right after STEP is logged as started
	local st
	{ AOMS_TEST_APPLY_KILL_AT=$1 "$AOMS" apply "$T/el8.plan" --root "$ROOT" --repo "$T/tgt" \
		--source-repo "$T/src" >/dev/null 2>&1; st=$?; } 2>/dev/null
	expect_eq "$st" 137 "apply killed at $1"
}

make_root
rpmq >"$T/pkgs-before"
tree >"$T/tree-before"
run_aoms assess --root "$ROOT" --format json -o "$T/el8.json"
expect_status 0
run_aoms plan "$T/el8.json" -o "$T/el8.plan"
expect_status 0

# ---- the dry run -------------------------------------------------------------------
apply --dry-run
expect_status 0
expect_contains "$OUT" "erase    centos-release-8.5-1.el8.x86_64"
expect_contains "$OUT" "install  anolis-release-8.8-1.an8.noarch"
expect_contains "$OUT" "install  tool-1.0-2.an8.noarch"
expect_contains "$OUT" "install  kernel-core-$NEWK"
expect_not_contains "$OUT" "erase    kernel-core"
expect_contains "$OUT" "file     /etc/tool.conf: user-modified %config"
expect_not_contains "$OUT" "extra"
tree >"$T/tree-dry"
expect_same_bytes "$T/tree-before" "$T/tree-dry" "the root after a dry run"
check "a dry run writes no journal" test ! -e "$ROOT/var/lib/aoms"

# ---- refusals before any change ----------------------------------------------------
# redigest PLAN: the host entries' digests made again (docs/plan-schema.md), as aoms
# plan would have written them: plans changed here to reach a check behind the digest
# check (a blocked or stale entry, a resolved transaction) are not "edited by hand".
redigest() {
	python3 - "$1" <<'PY' || die "redigest $1"
import hashlib, json, sys
d = json.load(open(sys.argv[1]))
for h in d["hosts"]:
    h.pop("digest", None)
    c = json.dumps(h, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    h["digest"] = "sha256:" + hashlib.sha256(c).hexdigest()
json.dump(d, open(sys.argv[1], "w"))
PY
}
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["hosts"][0]["decision"]="block"; json.dump(d, open(sys.argv[2],"w"))' \
	"$T/el8.plan" "$T/blocked.plan"
redigest "$T/blocked.plan"
run_aoms apply "$T/blocked.plan" --root "$ROOT" --repo "$T/tgt" --source-repo "$T/src"
expect_status 8
expect_contains "$ERR" "aoms apply: the plan blocks host 'web01'"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["hosts"][0]["blocking"]=[{"key":"0123456789abcdef","rule":"x.y","subject":"z"}]; json.dump(d, open(sys.argv[2],"w"))' \
	"$T/el8.plan" "$T/edited.plan"
run_aoms apply "$T/edited.plan" --root "$ROOT" --repo "$T/tgt" --source-repo "$T/src"
expect_status 1
expect_contains "$ERR" "edited by hand"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d["hosts"][0]["fingerprint"]["packages_fingerprint"]="0000000000000000"; json.dump(d, open(sys.argv[2],"w"))' \
	"$T/el8.plan" "$T/stale.plan"
redigest "$T/stale.plan"
run_aoms apply "$T/stale.plan" --root "$ROOT" --repo "$T/tgt" --source-repo "$T/src"
expect_status 1
expect_contains "$ERR" "no host of the plan matches this root"
run_aoms apply "$T/stale.plan" --root "$ROOT" --repo "$T/tgt" --source-repo "$T/src" --host web01
expect_status 1
expect_contains "$ERR" "the plan is stale"
mkdir -p "$T/empty-src"
run_aoms apply "$T/el8.plan" --root "$ROOT" --repo "$T/tgt" --source-repo "$T/empty-src"
expect_status 1
expect_contains "$ERR" "has no RPM of installed package"
cp -r "$T/tgt" "$T/bad-tgt"
tool_rpm=$(ls "$T"/bad-tgt/tool-*.rpm)
python3 -c 'import sys; p=sys.argv[1]; b=bytearray(open(p,"rb").read()); b[-100]^=0xff; open(p,"wb").write(b)' "$tool_rpm"
run_aoms apply "$T/el8.plan" --root "$ROOT" --repo "$T/bad-tgt" --source-repo "$T/src"
expect_status 1
expect_contains "$ERR" "fails its digest check"
# signatures: mandatory when the repository directory holds RPM-GPG-KEY* files
if command -v gpg >/dev/null && command -v rpmsign >/dev/null; then
	export GNUPGHOME=$T/gnupg
	mkdir -p -m 700 "$GNUPGHOME" "$T/signed" "$T/otherkey"
	gen_key() {  # NAME
		printf '%%no-protection\nKey-Type: RSA\nKey-Length: 2048\nName-Real: %s\nName-Email: %s@aoms.invalid\nExpire-Date: 0\n%%commit\n' "$1" "$1" |
			gpg --batch --gen-key >/dev/null 2>&1 || die "gpg --gen-key $1"
	}
	gen_key signer
	gen_key other
	gpg --armor --export signer@aoms.invalid >"$T/signed/RPM-GPG-KEY-test"
	gpg --armor --export other@aoms.invalid >"$T/otherkey/RPM-GPG-KEY-other"
	cp "$T"/tgt/*.rpm "$T/signed/"
	rpmsign --define "_gpg_name signer@aoms.invalid" --define "__gpg $(command -v gpg)" \
		--addsign "$T"/signed/*.rpm </dev/null >"$T/sign.log" 2>&1 || { show "$T/sign.log"; die "rpmsign"; }
	cp "$T"/signed/*.rpm "$T/otherkey/"
	run_aoms apply "$T/el8.plan" --root "$ROOT" --repo "$T/signed" --source-repo "$T/src" --dry-run
	expect_status 0
	run_aoms apply "$T/el8.plan" --root "$ROOT" --repo "$T/otherkey" --source-repo "$T/src" --dry-run
	expect_status 1
	expect_contains "$ERR" "signed with a key the repository does not hold"
	cp "$T"/tgt/tool-*.rpm "$T/signed/"
	run_aoms apply "$T/el8.plan" --root "$ROOT" --repo "$T/signed" --source-repo "$T/src" --dry-run
	expect_status 1
	expect_contains "$ERR" "is not signed, and its repository"
	unset GNUPGHOME
else
	e2e_log "gpg or rpmsign missing: the signature cases are not run"
fi
mkdir -p "$ROOT/var/lib/aoms"
exec 9>"$ROOT/var/lib/aoms/lock"
flock -n 9 || die "cannot take the test's lock"
apply
expect_status 1
expect_contains "$ERR" "another aoms apply or rollback holds"
exec 9>&-
rmdir "$ROOT/var/lib/aoms" 2>/dev/null || rm -rf "$ROOT/var/lib/aoms"
tree >"$T/tree-refused"
expect_same_bytes "$T/tree-before" "$T/tree-refused" "the root after the refusals"
rpmq >"$T/pkgs-refused"
expect_same_bytes "$T/pkgs-before" "$T/pkgs-refused" "the packages after the refusals"

# ---- apply -------------------------------------------------------------------------
apply
expect_status 0
expect_contains "$OUT" "applied: host web01, 2 erased, 3 installed"
rpmq >"$T/pkgs-after"
printf '%s\n' anolis-release-8.8-1.an8.noarch extra-1.0-1.el8.noarch "kernel-core-$OLDK" \
	"kernel-core-$NEWK" tool-1.0-2.an8.noarch | sort >"$T/pkgs-want"
expect_same_bytes "$T/pkgs-want" "$T/pkgs-after" "the packages after apply"
expect_eq "$(cat "$ROOT/etc/tool.conf")" "setting = the user's" "the user's config after apply"
expect_eq "$(cat "$ROOT/etc/tool.conf.rpmnew")" "setting = default of 2.an8" "the target's default"
expect_contains "$ROOT/etc/os-release" 'ID="anolis"'
check "the new kernel's BLS entry" grep -qx "options root=/dev/vda1 ro quiet" \
	"$ROOT/boot/loader/entries/$NEWK.conf"
expect_contains "$OUT" "no /boot/initramfs-$NEWK.img"
id=$(cat "$ROOT/var/lib/aoms/journal/current")
check "the journal holds the original set" cmp -s "$T/pkgs-before" "$ROOT/var/lib/aoms/journal/$id/packages"
check "the journal caches the erased RPMs" test -s "$ROOT/var/lib/aoms/journal/$id/rpms/tool-1.0-1.el8.noarch.rpm"
apply
expect_status 1
expect_contains "$ERR" "migrated already"

# ---- rollback ----------------------------------------------------------------------
run_aoms rollback --root "$ROOT"
expect_status 0
expect_contains "$OUT" "rolled back: the root matches journal $id"
rpmq >"$T/pkgs-rolled"
expect_same_bytes "$T/pkgs-before" "$T/pkgs-rolled" "the packages after rollback"
tree >"$T/tree-rolled"
expect_same_bytes "$T/tree-before" "$T/tree-rolled" "the tree after rollback"

# ---- a damaged journal is not trusted ----------------------------------------------
apply
expect_status 0
id=$(cat "$ROOT/var/lib/aoms/journal/current")
echo tampered >>"$ROOT/var/lib/aoms/journal/$id/packages"
run_aoms rollback --root "$ROOT"
expect_status 1
expect_contains "$ERR" "is damaged and not trusted"
sed -i '$d' "$ROOT/var/lib/aoms/journal/$id/packages"
run_aoms rollback --root "$ROOT"
expect_status 0
tree >"$T/tree-rolled2"
expect_same_bytes "$T/tree-before" "$T/tree-rolled2" "the tree after the second rollback"

# ---- a plan with a resolved transaction (aoms plan --repo) is applied exactly ---------
resolved() {  # PLAN_OUT CHECKSUM_OVERRIDE
	python3 - "$T/el8.plan" "$1" "$T/tgt" "${2:-}" "$NEWK" <<'PY'
import hashlib, json, sys
d = json.load(open(sys.argv[1]))
inst = []
for name in ["anolis-release-8.8-1.an8.noarch", "tool-1.0-2.an8.noarch", "kernel-core-" + sys.argv[5]]:
    h = hashlib.sha256(open("%s/%s.rpm" % (sys.argv[3], name), "rb").read()).hexdigest()
    inst.append({"nevra": name, "location": name + ".rpm", "checksum": "sha256:" + (sys.argv[4] or h)})
d["hosts"][0]["transaction"]["resolved"] = {
    "erase": ["centos-release-8.5-1.el8.x86_64", "tool-1.0-1.el8.noarch"], "install": inst}
json.dump(d, open(sys.argv[2], "w"))
PY
}
resolved "$T/resolved.plan"
resolved "$T/badsum.plan" "$(printf '0%.0s' $(seq 64))"
redigest "$T/resolved.plan"
redigest "$T/badsum.plan"
run_aoms apply "$T/badsum.plan" --root "$ROOT" --repo "$T/tgt" --source-repo "$T/src"
expect_status 1
expect_contains "$ERR" "the plan says 0000"
run_aoms apply "$T/resolved.plan" --root "$ROOT" --repo "$T/tgt" --source-repo "$T/src"
expect_status 0
rpmq >"$T/pkgs-resolved"
expect_same_bytes "$T/pkgs-want" "$T/pkgs-resolved" "the packages after a resolved apply"
run_aoms rollback --root "$ROOT"
expect_status 0

# ---- a plan solved against two repositories, applied from both mounted elsewhere ---------
if command -v createrepo_c >/dev/null; then
	mkdir -p "$T/an8/BaseOS/Packages" "$T/an8/AppStream/Packages"
	cp "$T"/tgt/anolis-release-*.rpm "$T"/tgt/kernel-core-*.rpm "$T/an8/BaseOS/Packages/"
	cp "$T"/tgt/tool-*.rpm "$T/an8/AppStream/Packages/"
	for r in BaseOS AppStream; do
		createrepo_c -q "$T/an8/$r" >"$T/createrepo.log" 2>&1 || { show "$T/createrepo.log"; die "createrepo_c $r"; }
	done
	stream=None
	if grep -q '^#define HAVE_LIBYAML 1' "$AOMS_BUILD/config.h" && command -v modifyrepo_c >/dev/null; then
		printf -- '---\ndocument: modulemd\nversion: 2\ndata:\n  name: tool\n  stream: "1"\n  version: 1\n  context: aa\n  summary: s\n  description: d\n  license: {module: [MIT]}\n  artifacts:\n    rpms:\n    - tool-0:1.0-2.an8.noarch\n...\n---\ndocument: modulemd-defaults\nversion: 1\ndata:\n  module: tool\n  stream: "1"\n...\n' >"$T/modules.yaml"
		modifyrepo_c --mdtype=modules "$T/modules.yaml" "$T/an8/AppStream/repodata" >"$T/modifyrepo.log" 2>&1 ||
			{ show "$T/modifyrepo.log"; die "modifyrepo_c"; }
		stream='"tool:1"'
	fi
	run_aoms plan "$T/el8.json" --repo "$T/an8/BaseOS" --repo "$T/an8/AppStream" -o "$T/two.plan"
	expect_status 0
	expect_json "$T/two.plan" '[(i["nevra"], i["repo"], i.get("module_stream")) for i in d["hosts"][0]["transaction"]["resolved"]["install"]] == [("anolis-release-8.8-1.an8.noarch", "BaseOS", None), ("kernel-core-'"$NEWK"'", "BaseOS", None), ("tool-1.0-2.an8.noarch", "AppStream", '"$stream"')]' "two repositories: each package with its repository"
	expect_json "$T/two.plan" 'd["hosts"][0]["transaction"]["resolved"]["erase"] == ["centos-release-8.5-1.el8.x86_64", "tool-1.0-1.el8.noarch"]' "two repositories: the erase list"
	# the repositories mounted elsewhere than at plan time
	mkdir -p "$T/mnt" && mv "$T/an8/BaseOS" "$T/mnt/os" && mv "$T/an8/AppStream" "$T/mnt/as" || die "moving the repositories"
	run_aoms apply "$T/two.plan" --root "$ROOT" --repo "$T/mnt/os" --source-repo "$T/src"
	expect_status 1
	expect_contains "$ERR" "the plan's repository 'AppStream' (repomd.xml sha256:" "a repository the plan names and no --repo holds"
	expect_contains "$ERR" "at '$T/an8/AppStream' when planned) is not among --repo" "the error says where it was at plan time"
	tree >"$T/tree-missing"
	expect_same_bytes "$T/tree-before" "$T/tree-missing" "the tree after a refused apply (a repository missing)"
	rpmq >"$T/pkgs-missing"
	expect_same_bytes "$T/pkgs-before" "$T/pkgs-missing" "the packages after a refused apply (a repository missing)"
	# a --repo that is no repository at all does not stand in for one
	run_aoms apply "$T/two.plan" --root "$ROOT" --repo "$T/mnt/os" --repo "$T/tgt" --source-repo "$T/src"
	expect_status 1
	expect_contains "$ERR" "the plan's repository 'AppStream'" "a directory without the plan's repomd.xml is not the repository"
	# the source's RPMs split in two --source-repo too
	mkdir -p "$T/src-os" "$T/src-as" && cp "$T"/src/centos-release-* "$T"/src/kernel-* "$T/src-os/" &&
		cp "$T"/src/tool-* "$T"/src/extra-* "$T/src-as/" || die "splitting the source set"
	run_aoms apply "$T/two.plan" --root "$ROOT" --repo "$T/mnt/as" --repo "$T/mnt/os" --source-repo "$T/src-os" --dry-run
	expect_status 1
	expect_contains "$ERR" "has no RPM of installed package tool-1.0-1.el8.noarch" "a source RPM in no --source-repo given"
	run_aoms apply "$T/two.plan" --root "$ROOT" --repo "$T/mnt/as" --repo "$T/mnt/os" --source-repo "$T/src-os" --source-repo "$T/src-as"
	expect_status 0
	expect_contains "$OUT" "applied: host web01, 2 erased, 3 installed" "applied from both repositories"
	rpmq >"$T/pkgs-two"
	expect_same_bytes "$T/pkgs-want" "$T/pkgs-two" "the packages after the apply from two repositories"
	j=$(ls -td "$ROOT"/var/lib/aoms/journal/*/ | head -1)
	expect_contains "${j}host" "repo $T/mnt/as
repo $T/mnt/os
source-repo $T/src-os
source-repo $T/src-as" "the journal records every repository"
	run_aoms rollback --root "$ROOT"
	expect_status 0
	tree >"$T/tree-two"
	expect_same_bytes "$T/tree-before" "$T/tree-two" "the tree after rolling back the apply from two repositories"
	rpmq >"$T/pkgs-two-rolled"
	expect_same_bytes "$T/pkgs-before" "$T/pkgs-two-rolled" "the packages after rolling back the apply from two repositories"
else
	e2e_log "no createrepo_c: the two-repository case is not run"
fi

# ---- killed -----------------------------------------------------------------------------
AOMS_TEST_APPLY_KILL_AT=list run_aoms apply
expect_status 0
expect_contains "$OUT" "transaction"
killed_at transaction
apply
expect_status 1
expect_contains "$ERR" "interrupted during the package transaction"
run_aoms rollback --root "$ROOT"
expect_status 0
tree >"$T/tree-killed"
expect_same_bytes "$T/tree-before" "$T/tree-killed" "the tree after a kill and rollback"
rpmq >"$T/pkgs-killed"
expect_same_bytes "$T/pkgs-before" "$T/pkgs-killed" "the packages after a kill and rollback"

killed_at backup
apply
expect_status 0
expect_contains "$OUT" "stopped before changing the root"
run_aoms rollback --root "$ROOT"
expect_status 0

killed_at config
apply
expect_status 0
expect_contains "$OUT" "an interrupted apply finished"
expect_eq "$(cat "$ROOT/etc/tool.conf")" "setting = the user's" "the user's config after a resumed apply"
run_aoms rollback --root "$ROOT"
expect_status 0
tree >"$T/tree-end"
expect_same_bytes "$T/tree-before" "$T/tree-end" "the tree at the end"

e2e_finish
