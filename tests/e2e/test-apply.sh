#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# aoms apply / aoms rollback on a CentOS-like root built with rpmbuild + rpm --root
# (tests/fixtures/rpmsets: release packages, libfoo.so.1 -> libfoo.so.2, a user-edited
# %config(noreplace) file, a file capability, bar split into bar-libs + bar-tools, an
# install-only kernel with its BLS entry, three fillers):
#   dry run   prints the transaction, changes nothing, writes no journal
#   apply     the root holds the Anolis set and the old kernel exactly (NEVRAs, rpm -Va),
#             the new kernel has a BLS entry, the user's configuration survives byte for
#             byte, one journal; the same plan again is refused (the root changed)
#   rollback  the original package set (NEVRA + header SHA1) and a byte-identical tree
#             (tests/fixtures/rpmsets/treehash.py: content, modes, owners, links, xattrs),
#             librpm's temporaries an interrupted transaction left beside bar removed
#   bad input a blocked plan (8), hand-edited plans, a plan of another host, a stale
#             plan, repositories missing a package, packages failing their digests
#             (target and source repository), signed repositories (good, a foreign key,
#             unsigned packages), a read-only root, a held lock and two applies at once,
#             symlinks out of the root: each refused before any change (one line, the
#             root as it was, no journal -- or a journal that rollback closes exactly) or,
#             where it ran, rolled back exactly; the repositories, the plans and the
#             directories outside the root untouched.

. "$(dirname "$0")/lib-apply.sh"
apply_start
T=$E2E_TMP
python3 "$RPMSETS/treehash.py" "$T/sets" >"$T/sets.before"
sha256sum "$T/plan.json" >"$T/plan.sum"

# ---- dry run ----------------------------------------------------------------------------
fresh_root "$T/pristine" "$T/root"
run_apply "$T/root" "$T/plan.json" --dry-run
expect_status 0
for name in anolis-release libfoo foo-tools bazd bar-libs bar-tools centos-release bar; do
	expect_contains "$OUT" "$name" "the dry run's transaction"
done
expect_state "$T/root" "$T/orig.state" "dry run"
check "the dry run writes no state under var/lib/aoms" test ! -e "$T/root/var/lib/aoms"

# ---- apply ---------------------------------------------------------------------------------
run_apply "$T/root" "$T/plan.json"
expect_status 0
expect_anolis "$T/root" "$T/user-bazd.conf" "after apply"
check "libfoo.so.2 is there" test -f "$T/root/usr/lib64/libfoo.so.2.0.0" -a -L "$T/root/usr/lib64/libfoo.so.2"
check "libfoo.so.1 is gone" test ! -e "$T/root/usr/lib64/libfoo.so.1" -a ! -e "$T/root/usr/lib64/libfoo.so.1.0.0"
check "bar's files come from its halves" test -f "$T/root/usr/bin/bar" -a -f "$T/root/usr/share/bar/bar.dat"
for f in etc/hostname root/notes.txt var/lib/bazd/state; do
	expect_same_bytes "$T/pristine/$f" "$T/root/$f" "a file no package owns ($f)"
done
expect_journal "$T/root" "after apply"
root_state "$T/root" "$T/applied.state"

# The plan was made for the root as it was: applying it again is refused.
run_apply "$T/root" "$T/plan.json"
expect_one_line_error apply 'fingerprint|changed|stale|already|applied|journal'
expect_state "$T/root" "$T/applied.state" "a second apply"

# ---- rollback ------------------------------------------------------------------------------
# What an interrupted transaction leaves: librpm's temporaries "PATH;TID" (TID: the
# second it started, in hex). A transaction started in the same second cannot create
# its own ("open failed"); the rollback removes them before it runs.
now=$(date +%s)
for k in 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
	: >"$T/root/usr/bin/bar;$(printf '%08x' $((now + k)))"
done
run_aoms rollback --root "$T/root"
expect_status 0
expect_state "$T/root" "$T/orig.state" "after rollback"
check "librpm's leftover temporaries are gone" \
	python3 -c 'import os, sys; sys.exit(any(";" in n for n in os.listdir(sys.argv[1])))' "$T/root/usr/bin"
expect_state_dir_clean "$T/root" "after rollback"
# a second rollback has nothing left to do: it succeeds or refuses, and changes nothing
run_aoms rollback --root "$T/root"
[ "$STATUS" -eq 0 ] || expect_one_line_error rollback
expect_state "$T/root" "$T/orig.state" "a second rollback"

# ---- a blocked plan ------------------------------------------------------------------------
echo '{"block_on": {"rules": ["assess.release-swap"]}}' >"$T/block.policy"
run_aoms plan "$T/plan.json.report.json" --policy "$T/block.policy" -o "$T/blocked.json"
expect_status 8
fresh_root "$T/pristine" "$T/root"
run_apply "$T/root" "$T/blocked.json"
expect_status 8
expect_state "$T/root" "$T/orig.state" "a blocked plan"
expect_no_journal "$T/root" "a blocked plan"

# ---- hand-edited plans ---------------------------------------------------------------------
edit_plan() {  # IN OUT PYTHON-STATEMENT (on the document d)
	python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
exec(sys.argv[3])
json.dump(d, open(sys.argv[2], "w"), indent=2)' "$@" || die "edit_plan $3"
}
edit_plan "$T/plan.json" "$T/edit-erase.json" 'd["hosts"][0]["transaction"]["erase"].append("filesystem")'
edit_plan "$T/blocked.json" "$T/edit-unblock.json" \
	'd["decision"] = "proceed"; h = d["hosts"][0]; h["decision"] = "proceed"; h["blocking"] = []; d["summary"]["proceed"] = 1; d["summary"]["blocked"] = 0'
edit_plan "$T/plan.json" "$T/edit-fpr.json" 'd["hosts"][0]["fingerprint"]["packages"] = "10"'
head -c 400 "$T/plan.json" >"$T/edit-truncated.json"
for p in edit-erase edit-unblock edit-fpr edit-truncated; do
	fresh_root "$T/pristine" "$T/root"
	run_apply "$T/root" "$T/$p.json"
	expect_refused "$T/root" "$T/orig.state" "a hand-edited plan ($p)"
done

# ---- a plan of another host, a stale plan -----------------------------------------------
mk_root "$SRC_REPO" "$T/other" web02
assess_plan "$T/other" "$T/other.json"
fresh_root "$T/pristine" "$T/root"
run_apply "$T/root" "$T/other.json"
expect_refused "$T/root" "$T/orig.state" "the plan of another host" 'web0[12]|host'
run_aoms plan "$T/plan.json.report.json" "$T/other.json.report.json" -o "$T/two.json"
expect_status 0
run_apply "$T/root" "$T/two.json" --host web02
expect_refused "$T/root" "$T/orig.state" "--host names another host" 'web0[12]|host'
run_apply "$T/root" "$T/two.json" --host web01
expect_status 0
expect_anolis "$T/root" "$T/user-bazd.conf" "a two-host plan with --host"
run_aoms rollback --root "$T/root"
expect_status 0
expect_state "$T/root" "$T/orig.state" "rollback of the two-host plan"

fresh_root "$T/pristine" "$T/root"
rpm --root "$T/root" --dbpath /var/lib/rpm -e filler-0003 2>/dev/null || die "rpm -e filler-0003"
root_state "$T/root" "$T/stale.state"
run_apply "$T/root" "$T/plan.json"
expect_refused "$T/root" "$T/stale.state" "a stale plan" 'fingerprint|changed|stale|package'

# ---- repositories missing a package, packages failing their checksum ----------------------
# bad_repo NAME FROM: a copy of the repository FROM in $T/NAME
bad_repo() {
	rm -rf "${T:?}/$1" && cp -a "$2" "$T/$1" || die "copy $2"
}
recreaterepo() {
	! command -v createrepo_c >/dev/null || createrepo_c -q --update "$1" >/dev/null 2>&1 ||
		die "createrepo_c $1"
}
# corrupt FILE payload|header: 16 bytes of the package overwritten -- near the end of the
# compressed payload (the headers intact: only the payload digest can tell), or in the
# middle of the main header's data (after the lead and the signature header, which may
# hold unchecked reserved space). A damaged download; the repository metadata still
# has the good checksum.
corrupt() {
	python3 - "$@" <<'PY' || die "corrupt $*"
import struct, sys
path, where = sys.argv[1], sys.argv[2]
data = bytearray(open(path, "rb").read())
def header_end(off):  # a header structure at off: magic(8) il(4) dl(4) index(16*il) store(dl)
    il, dl = struct.unpack(">II", data[off + 8:off + 16])
    return off + 16 + 16 * il, off + 16 + 16 * il + dl
_, sig_end = header_end(96)
main = sig_end + (-sig_end % 8)
store, end = header_end(main)
off = (store + end) // 2 if where == "header" else len(data) - 48
data[off:off + 16] = b"aoms-e2e-corrupt"
open(path, "wb").write(data)
PY
}
try_repos() {  # WHAT ERE TARGET-REPO SOURCE-REPO
	fresh_root "$T/pristine" "$T/root"
	REPO=$3 SRC_REPO=$4 run_apply "$T/root" "$T/plan.json"
	expect_refused "$T/root" "$T/orig.state" "$1" "$2"
}
bad_repo no-release "$REPO"
rm -f "$T"/no-release/anolis-release-*.rpm
recreaterepo "$T/no-release"
try_repos "the target repository lacks anolis-release" anolis-release "$T/no-release" "$SRC_REPO"
bad_repo no-libfoo "$REPO"
rm -f "$T"/no-libfoo/libfoo-*.rpm
recreaterepo "$T/no-libfoo"
try_repos "the target repository lacks libfoo (libfoo.so.2)" 'libfoo' "$T/no-libfoo" "$SRC_REPO"
bad_repo no-src-bazd "$SRC_REPO"
rm -f "$T"/no-src-bazd/bazd-*.rpm
recreaterepo "$T/no-src-bazd"
try_repos "the source repository lacks bazd (rollback impossible)" bazd "$REPO" "$T/no-src-bazd"
bad_repo bad-libfoo "$REPO"
corrupt "$(echo "$T"/bad-libfoo/libfoo-*.rpm)" payload
try_repos "libfoo's payload fails its digest" 'libfoo' "$T/bad-libfoo" "$SRC_REPO"
bad_repo bad-src-bar "$SRC_REPO"
corrupt "$(echo "$T"/bad-src-bar/bar-*.rpm)" header
try_repos "the source bar package's header fails its digest" 'bar' "$REPO" "$T/bad-src-bar"

# ---- signatures ------------------------------------------------------------------------------
# A repository with RPM-GPG-KEY* files makes signatures mandatory (aoms help apply): signed
# by its key, the set applies and rolls back; one package signed by another key, or not
# signed, is refused.
if command -v gpg >/dev/null && command -v rpmsign >/dev/null; then
	bad_repo signed "$REPO"
	sign_rpms anolis "$T"/signed/*.rpm
	publish_key anolis "$T/signed"
	recreaterepo "$T/signed"
	bad_repo signed-src "$SRC_REPO"
	sign_rpms centos "$T"/signed-src/*.rpm
	publish_key centos "$T/signed-src"
	recreaterepo "$T/signed-src"
	fresh_root "$T/pristine" "$T/root"
	REPO=$T/signed SRC_REPO=$T/signed-src run_apply "$T/root" "$T/plan.json"
	expect_status 0 "apply from signed repositories"
	expect_anolis "$T/root" "$T/user-bazd.conf" "apply from signed repositories"
	run_aoms rollback --root "$T/root"
	expect_status 0
	expect_state "$T/root" "$T/orig.state" "rollback of an apply from signed repositories"

	bad_repo signed-foreign "$T/signed"
	sign_rpms stranger "$T"/signed-foreign/libfoo-*.rpm
	recreaterepo "$T/signed-foreign"
	try_repos "libfoo signed by a key the repository does not have" libfoo "$T/signed-foreign" "$T/signed-src"
	bad_repo signed-unsigned "$T/signed"
	rpmsign --delsign "$T"/signed-unsigned/libfoo-*.rpm >/dev/null 2>&1 || die "rpmsign --delsign"
	recreaterepo "$T/signed-unsigned"
	try_repos "libfoo unsigned in a repository with keys" libfoo "$T/signed-unsigned" "$T/signed-src"
	bad_repo signed-src-unsigned "$T/signed-src"
	rpmsign --delsign "$T"/signed-src-unsigned/bar-*.rpm >/dev/null 2>&1 || die "rpmsign --delsign"
	recreaterepo "$T/signed-src-unsigned"
	try_repos "bar unsigned in a source repository with keys" bar "$T/signed" "$T/signed-src-unsigned"
else
	e2e_log "SKIP (signatures): gpg or rpmsign not found"
fi

# ---- a read-only root ----------------------------------------------------------------------
fresh_root "$T/pristine" "$T/root"
mkdir -p "$T/ro"
if mount --bind "$T/root" "$T/ro" 2>/dev/null; then
	if mount -o remount,bind,ro "$T/ro" 2>/dev/null; then
		run_apply "$T/ro" "$T/plan.json"
		expect_one_line_error apply 'read-only|EROFS'
		umount "$T/ro"
		expect_state "$T/root" "$T/orig.state" "a read-only root"
		expect_no_journal "$T/root" "a read-only root"
	else
		umount "$T/ro"
		e2e_log "SKIP (read-only root): cannot remount a bind mount read-only"
	fi
else
	e2e_log "SKIP (read-only root): mount --bind is not permitted here"
fi

# ---- two applies at once -------------------------------------------------------------------
fresh_root "$T/pristine" "$T/root"
holder=$(lock_holder "$T/root")
run_apply "$T/root" "$T/plan.json"
expect_one_line_error apply 'lock|another|running|busy|progress'
run_aoms rollback --root "$T/root"
expect_one_line_error rollback 'lock|another|running|busy|progress'
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
expect_state "$T/root" "$T/orig.state" "apply while the lock is held"
expect_no_journal "$T/root" "apply while the lock is held"

fresh_root "$T/pristine" "$T/root"
for i in 1 2; do
	"$AOMS" apply "$T/plan.json" --root "$T/root" --repo "$REPO" --source-repo "$SRC_REPO" \
		--yes </dev/null >"$T/twice-$i.out" 2>"$T/twice-$i.err" &
	eval "pid$i=\$!"
done
wait "$pid1"; s1=$?
wait "$pid2"; s2=$?
expect_eq "$(printf '%s\n' "$s1" "$s2" | sort | tr '\n' ' ')" "0 1 " "two applies at once: exit statuses"
for i in 1 2; do
	if [ -s "$T/twice-$i.err" ] && ! grep -qE '^aoms:? apply: ' "$T/twice-$i.err"; then
		fail "two applies at once: stderr of run $i: $(head -n 3 "$T/twice-$i.err")"
	fi
done
expect_anolis "$T/root" "$T/user-bazd.conf" "two applies at once"
expect_journal "$T/root" "two applies at once"
run_aoms rollback --root "$T/root"
expect_status 0
expect_state "$T/root" "$T/orig.state" "rollback after two applies at once"

# ---- symlinks pointing out of the root -----------------------------------------------------
# try_outside WHAT LINK: LINK (relative to the root) becomes a symlink to the absolute
# $T/outside, which holds what LINK held; apply must not write there. If it refuses, the
# root is as it was; if it applies, rollback gives that root back.
try_outside() {
	local what=$1 link=$2
	fresh_root "$T/pristine" "$T/root"
	rm -rf "$T/outside"
	mkdir -p "$T/root/$link"
	mv "$T/root/$link" "$T/outside" && ln -s "$T/outside" "$T/root/$link" || die "symlink $link"
	python3 "$RPMSETS/treehash.py" "$T/outside" >"$T/outside.before"
	root_state "$T/root" "$T/outside-root.state"
	run_apply "$T/root" "$T/plan.json"
	if [ "$STATUS" -eq 0 ]; then
		run_aoms rollback --root "$T/root"
		expect_status 0
		expect_state "$T/root" "$T/outside-root.state" "$what: rollback"
	else
		expect_refused "$T/root" "$T/outside-root.state" "$what"
	fi
	python3 "$RPMSETS/treehash.py" "$T/outside" >"$T/outside.after"
	expect_same_bytes "$T/outside.before" "$T/outside.after" "$what: the directory outside the root"
}
try_outside "etc/yum.repos.d is a symlink out of the root" etc/yum.repos.d
try_outside "var/lib/aoms is a symlink out of the root" var/lib/aoms

# ---- nothing written outside the roots -----------------------------------------------------
python3 "$RPMSETS/treehash.py" "$T/sets" >"$T/sets.after"
expect_same_bytes "$T/sets.before" "$T/sets.after" "the repositories"
check "the plan is untouched" sha256sum --quiet -c "$T/plan.sum"
e2e_finish
