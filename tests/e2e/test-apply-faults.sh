#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Crash safety of aoms apply (issue 12): the executor killed with SIGKILL at every step
# it has (AOMS_TEST_APPLY_KILL_AT=STEP: it kills itself right after the journal records
# STEP as started; AOMS_TEST_APPLY_KILL_AT=list prints the steps), on the CentOS-like
# root of tests/fixtures/rpmsets:
#   kill + rollback   rollback restores the exact original state (tree manifest and
#                     rpmdb package list) after a kill at each step
#   kill + apply      a second apply after the kill either finishes (the Anolis set, the
#                     user's configuration kept) or refuses with one line; rollback then
#                     restores the original state either way
#   rollback killed   rollback SIGKILLed from outside after a few delays, then run again:
#                     the exact original state
#   damaged journal   each file of a journal left by a kill, damaged in turn: rollback
#                     either restores the exact original state or fails saying so (exit
#                     1), never reports success over a wrong restore
#   full disk         the root on small tmpfs mounts (sizes from the root's size to 2.5x
#                     what apply needs): apply stops cleanly (one line, exit 1) and
#                     rollback restores the original state on the same full file system;
#                     at least one size must run out of space (needs mount -t tmpfs)

. "$(dirname "$0")/lib-apply.sh"
apply_start
T=$E2E_TMP

# run_killed STEP ROOT: apply with AOMS_TEST_APPLY_KILL_AT=STEP; it must die of SIGKILL
# (status 137), nothing else (run_aoms would count the signal as a crash).
run_killed() {
	local step=$1 root=$2
	E2E_RUNS=$((E2E_RUNS + 1))
	OUT=$E2E_TMP/run-$E2E_RUNS.out ERR=$E2E_TMP/run-$E2E_RUNS.err
	E2E_LAST_CMD="AOMS_TEST_APPLY_KILL_AT=$step aoms apply ... --root $root"
	# (the braces' 2>/dev/null takes bash's "Killed" job message)
	{ AOMS_TEST_APPLY_KILL_AT=$step timeout -k 10 "${AOMS_E2E_TIMEOUT:-300}" "$AOMS" apply \
		"$T/plan.json" --root "$root" --repo "$REPO" --source-repo "$SRC_REPO" --yes \
		</dev/null >"$OUT" 2>"$ERR"; } 2>/dev/null
	STATUS=$?
	expect_status 137 "killed at step $step"
}

# ---- the steps -------------------------------------------------------------------------------
fresh_root "$T/pristine" "$T/root"
E2E_RUNS=$((E2E_RUNS + 1))
OUT=$E2E_TMP/run-$E2E_RUNS.out ERR=$E2E_TMP/run-$E2E_RUNS.err
E2E_LAST_CMD="AOMS_TEST_APPLY_KILL_AT=list aoms apply ..."
AOMS_TEST_APPLY_KILL_AT=list "$AOMS" apply "$T/plan.json" --root "$T/root" --repo "$REPO" \
	--source-repo "$SRC_REPO" --yes </dev/null >"$OUT" 2>"$ERR"
STATUS=$?
expect_status 0
mapfile -t steps <"$OUT"
e2e_log "steps: ${steps[*]}"
[ ${#steps[@]} -ge 2 ] || die "AOMS_TEST_APPLY_KILL_AT=list printed ${#steps[@]} steps"
for s in "${steps[@]}"; do
	case $s in '' | *[!a-z0-9_.-]*) die "step name '$s' is not one word" ;; esac
done
expect_state "$T/root" "$T/orig.state" "listing the steps"
expect_no_journal "$T/root" "listing the steps"

# ---- kill at each step, then rollback --------------------------------------------------------
for s in "${steps[@]}"; do
	fresh_root "$T/pristine" "$T/root"
	run_killed "$s" "$T/root"
	expect_journal "$T/root" "killed at $s"
	run_aoms rollback --root "$T/root"
	expect_status 0 "rollback after a kill at $s"
	expect_state "$T/root" "$T/orig.state" "rollback after a kill at $s"
	expect_state_dir_clean "$T/root" "rollback after a kill at $s"
done

# ---- kill at each step, then apply again -----------------------------------------------------
for s in "${steps[@]}"; do
	fresh_root "$T/pristine" "$T/root"
	run_killed "$s" "$T/root"
	run_apply "$T/root" "$T/plan.json"
	if [ "$STATUS" -eq 0 ]; then
		expect_anolis "$T/root" "$T/user-bazd.conf" "apply resumed after a kill at $s"
	else
		expect_one_line_error apply
	fi
	run_aoms rollback --root "$T/root"
	expect_status 0 "rollback after a kill at $s and a second apply"
	expect_state "$T/root" "$T/orig.state" "rollback after a kill at $s and a second apply"
done

# ---- rollback killed, then run again ---------------------------------------------------------
# No hook names rollback's steps, so it is killed from outside after a delay; whatever
# point that is (or none, when it finished first), a second rollback restores the root.
for delay in 0.05 0.2 0.5 1 2; do
	fresh_root "$T/pristine" "$T/root"
	run_apply "$T/root" "$T/plan.json"
	[ "$STATUS" -eq 0 ] || { fail "apply before the rollback kill ($delay s): status $STATUS"; continue; }
	"$AOMS" rollback --root "$T/root" </dev/null >"$T/rb-killed.out" 2>"$T/rb-killed.err" &
	rb=$!
	sleep "$delay"
	killed=no
	kill -9 "$rb" 2>/dev/null && killed=yes
	{ wait "$rb"; } 2>/dev/null
	e2e_log "rollback killed after $delay s: $killed"
	run_aoms rollback --root "$T/root"
	# (finished before the kill: the second rollback has nothing to do, 0 or a refusal)
	[ $killed = no ] && [ "$STATUS" -ne 0 ] && expect_one_line_error rollback ||
		expect_status 0 "rollback after a rollback killed after $delay s"
	expect_state "$T/root" "$T/orig.state" "rollback after a rollback killed after $delay s"
done

# ---- a damaged journal -----------------------------------------------------------------------
# The middle step: the journal then holds the plan, the saved files and the cached
# packages, and the transaction may have begun.
mid=${steps[$((${#steps[@]} / 2))]}
fresh_root "$T/pristine" "$T/killed"
run_killed "$mid" "$T/killed"
jdir=$(journals "$T/killed")
[ -n "$jdir" ] || die "no journal after a kill at $mid"
mapfile -t jfiles < <(cd "$jdir" && find . -type f -size +0 | LC_ALL=C sort)
e2e_log "damaging each of ${#jfiles[@]} journal files (kill at $mid)"
for f in "${jfiles[@]}"; do
	fresh_root "$T/killed" "$T/root"
	j=$(journals "$T/root")
	size=$(stat -c %s "$j/$f")
	# flip the bits of one byte in the middle
	python3 -c 'import sys
p, off = sys.argv[1], int(sys.argv[2])
with open(p, "r+b") as fh:
    fh.seek(off); b = fh.read(1); fh.seek(off); fh.write(bytes([b[0] ^ 0xff]))' "$j/$f" $((size / 2))
	run_aoms rollback --root "$T/root"
	if [ "$STATUS" -eq 0 ]; then
		expect_state "$T/root" "$T/orig.state" "rollback reported success with $f damaged"
	else
		expect_one_line_error rollback
	fi
done

# ---- a full disk -----------------------------------------------------------------------------
fs_used() {  # MOUNTPOINT: bytes in use
	python3 -c 'import os, sys; s = os.statvfs(sys.argv[1]); print((s.f_blocks - s.f_bfree) * s.f_frsize)' "$1"
}
full_disk() {
	local mnt=$T/mnt used need size n_full=0 frac
	mkdir -p "$mnt"
	if ! mount -t tmpfs -o size=64m aoms-e2e "$mnt" 2>"$T/mount.err"; then
		FULL_DISK_SKIPPED="mount -t tmpfs failed: $(head -n 1 "$T/mount.err")"
		return 0
	fi
	# what the root takes, and what apply needs on top of it (journal included)
	cp -a "$T/pristine" "$mnt/root" || die "copy to tmpfs"
	used=$(fs_used "$mnt")
	run_apply "$mnt/root" "$T/plan.json"
	expect_status 0 "apply on a roomy tmpfs"
	need=$(($(fs_used "$mnt") - used))
	umount "$mnt"
	e2e_log "full disk: the root takes $used bytes, apply $need more"
	for frac in 5 30 60 90 120 160 250; do
		size=$(((used + need * frac / 100) / 4096 * 4096 + 4096))
		mount -t tmpfs -o size="$size" aoms-e2e "$mnt" || die "mount tmpfs size=$size"
		cp -a "$T/pristine" "$mnt/root" || die "copy to a tmpfs of $size bytes"
		run_apply "$mnt/root" "$T/plan.json"
		applied=$STATUS
		if [ "$STATUS" -eq 0 ]; then
			expect_anolis "$mnt/root" "$T/user-bazd.conf" "apply on $size bytes"
		else
			n_full=$((n_full + 1))
			expect_one_line_error apply 'space|ENOSPC|full'
		fi
		run_aoms rollback --root "$mnt/root"
		expect_status 0 "rollback on a tmpfs of $size bytes (apply exited $applied)"
		expect_state "$mnt/root" "$T/orig.state" "rollback on a tmpfs of $size bytes"
		umount "$mnt"
	done
	E2E_CHECKS=$((E2E_CHECKS + 1))
	[ "$n_full" -gt 0 ] || fail "full disk: apply ran out of space at no size (the test tests nothing)"
}
FULL_DISK_SKIPPED=
full_disk

if [ "$E2E_FAILS" -eq 0 ] && [ -n "$FULL_DISK_SKIPPED" ]; then
	skip "the kill tests passed ($E2E_CHECKS checks); the full-disk test could not run: $FULL_DISK_SKIPPED"
fi
e2e_finish
