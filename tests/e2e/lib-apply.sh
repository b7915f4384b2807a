# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
#
# Helpers of the executor's end-to-end tests (test-apply*.sh); sourcing it sources lib.sh:
#
#	apply_start                    e2e_init, apply_init, apply_setup: how each test starts
#	apply_init                     skips unless aoms has apply/rollback, we are root, rpm...
#	apply_setup                    the sets (3 fillers), $E2E_TMP/pristine (host web01), its
#	                               user-bazd.conf, plan.json and orig.state
#	mk_sets DIR [N_EXTRA]          the CentOS-like and Anolis-like RPM sets (DIR/centos, DIR/anolis)
#	mk_root SETDIR ROOT [HOST]     a root with SETDIR installed, a user-edited %config file
#	assess_plan ROOT PLAN [ARGS]   aoms assess ROOT + aoms plan ARGS -o PLAN
#	root_state ROOT OUT            the whole tree's manifest + the rpmdb's package list
#	expect_state ROOT STATE WHAT   ROOT is exactly STATE (diff on failure)
#	run_apply ROOT PLAN [ARGS]     aoms apply PLAN --root ROOT --repo/--source-repo of $SETS
#
# The fixtures are tests/fixtures/rpmsets/ (mk-rpmsets.sh, mk-root.sh, treehash.py).

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SETS=
REPO=
SRC_REPO=

# apply_start: the start every executor test shares: lib.sh's e2e_init, then apply_init
# and apply_setup.
apply_start() {
	e2e_init
	RPMSETS=$FIXTURES/rpmsets
	apply_init
	apply_setup
}

# apply_init: the executor's tests run the real transaction, so they need aoms with the
# apply and rollback commands, root (rpm chroots into the test root: that is also how
# writes stay inside it) and rpm/rpmbuild/gcc to build and install the sets.
apply_init() {
	local cmds
	cmds=$("$AOMS" help 2>&1 | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }')
	case " $(echo $cmds) " in *" apply "*) ;; *) skip "aoms apply not built" ;; esac
	case " $(echo $cmds) " in *" rollback "*) ;; *) skip "aoms rollback not built" ;; esac
	[ "$(id -u)" = 0 ] || skip "the executor's tests need root (rpm installs into the test root through chroot)"
	need_cmd rpm rpmbuild gcc cmp
	trap '_apply_cleanup; _gpg_cleanup; e2e_cleanup' EXIT
}

# Unmounts what a test mounted under its temporary directory (a tmpfs root, a read-only
# bind mount) before lib.sh removes the directory, deepest first.
_apply_cleanup() {
	local m
	[ -n "$E2E_TMP" ] || return 0
	awk -v t="$E2E_TMP/" 'index($2, t) == 1 { print $2 }' /proc/mounts | sort -r |
		while read -r m; do umount -l "$m" 2>/dev/null; done
	return 0
}

# mk_sets DIR [N_EXTRA]: builds the sets into DIR and sets SETS, REPO (the Anolis
# packages: --repo) and SRC_REPO (the CentOS ones: --source-repo).
mk_sets() {
	"$RPMSETS/mk-rpmsets.sh" "$1" "${2:-0}" || die "mk-rpmsets.sh $*"
	SETS=$1 REPO=$1/anolis SRC_REPO=$1/centos
}

mk_root() {
	"$RPMSETS/mk-root.sh" "$@" || die "mk-root.sh $*"
}

# fresh_root SRC DST: DST becomes an exact copy of the root SRC (modes, owners,
# symlinks, the rpmdb files).
fresh_root() {
	rm -rf "$2" && cp -a "$1" "$2" || die "cannot copy root $1 to $2"
}

# assess_plan ROOT PLAN [aoms plan ARGS...]: the report is PLAN.report.json. Dies
# unless the assessment succeeds; the plan's exit status is left in STATUS.
assess_plan() {
	local root=$1 plan=$2
	shift 2
	run_aoms assess --root "$root" --format json -o "$plan.report.json"
	[ "$STATUS" -eq 0 ] || [ "$STATUS" -eq 4 ] || { _e2e_show_run; die "aoms assess --root $root: $STATUS"; }
	run_aoms plan "$plan.report.json" "$@" -o "$plan"
	[ -s "$plan" ] || { _e2e_show_run; die "aoms plan wrote no $plan"; }
}

# apply_setup: what every executor test starts from, in $E2E_TMP: the sets with three
# fillers (sets/), a CentOS root (pristine/, host web01, never changed: cases run on
# copies), the user's edited configuration (user-bazd.conf), the root's assessment and
# plan (plan.json, which proceeds) and its state (orig.state).
apply_setup() {
	local t=$E2E_TMP
	mk_sets "$t/sets" 3
	mk_root "$SRC_REPO" "$t/pristine" web01
	cp "$t/pristine/etc/bazd.conf" "$t/user-bazd.conf" || die "cp bazd.conf"
	assess_plan "$t/pristine" "$t/plan.json"
	[ "$STATUS" -eq 0 ] || { _e2e_show_run; die "the plan of the pristine root does not proceed"; }
	root_state "$t/pristine" "$t/orig.state"
}

# rpm_list ROOT: every installed package as NEVRA and header SHA1 (the same build, not
# only the same name and version), sorted.
rpm_list() {
	rpm --root "$1" --dbpath /var/lib/rpm -qa --qf '%{NEVRA} %{SHA1HEADER}\n' 2>&1 | LC_ALL=C sort
}

# rpm_nevras ROOT: the installed NEVRAs, sorted (to compare with mk-rpmsets' lists).
rpm_nevras() {
	rpm --root "$1" --dbpath /var/lib/rpm -qa --qf '%{NEVRA}\n' 2>&1 | LC_ALL=C sort
}

# root_state ROOT OUT: treehash.py's manifest of the tree (see there for what it leaves
# out and why), then the rpmdb's package list.
root_state() {
	{
		python3 "$RPMSETS/treehash.py" "$1" || echo "treehash.py failed"
		echo "## rpmdb"
		rpm_list "$1"
	} >"$2"
}

# expect_state ROOT STATE WHAT: ROOT's state now is byte-identical to the file STATE.
expect_state() {
	local now=$E2E_TMP/state-now
	root_state "$1" "$now"
	E2E_CHECKS=$((E2E_CHECKS + 1))
	cmp -s "$2" "$now" && return 0
	fail "$3: the root differs from its recorded state ($(basename "$2"))"
	diff -u "$2" "$now" | sed -n '3,$p' | grep '^[-+]' | head -n 30 | sed 's/^/    | /' >&2
	return 1
}

# journals ROOT: the journal directories of the root, one a line.
journals() {
	local d
	for d in "$1"/var/lib/aoms/journal/*; do
		[ -d "$d" ] && echo "$d"
	done
	return 0
}

# expect_no_journal ROOT WHAT: no journal was started (a refusal before any change).
expect_no_journal() {
	E2E_CHECKS=$((E2E_CHECKS + 1))
	[ -z "$(journals "$1")" ] && return 0
	fail "$2: a journal was written: $(journals "$1" | tr '\n' ' ')"
}

# expect_journal ROOT WHAT: exactly one journal directory, not empty.
expect_journal() {
	local j
	j=$(journals "$1")
	E2E_CHECKS=$((E2E_CHECKS + 1))
	if [ -z "$j" ] || [ "$(echo "$j" | wc -l)" -ne 1 ] || [ -z "$(ls -A "$j")" ]; then
		fail "$2: expected one journal under var/lib/aoms/journal, found: '${j//$'\n'/ }'"
		return 1
	fi
}

# expect_state_dir_clean ROOT WHAT: var/lib/aoms holds the journal and the lock only
# (treehash.py leaves the directory out; this is the check of what it leaves out).
expect_state_dir_clean() {
	local extra
	[ -d "$1/var/lib/aoms" ] || return 0
	extra=$(find "$1/var/lib/aoms" -mindepth 1 -maxdepth 1 ! -name journal ! -name lock -printf '%P ')
	E2E_CHECKS=$((E2E_CHECKS + 1))
	[ -z "$extra" ] || fail "$2: unexpected files in var/lib/aoms: $extra"
}

# run_apply ROOT PLAN [ARGS...]: aoms apply with the test's repositories, --yes.
run_apply() {
	local root=$1 plan=$2
	shift 2
	run_aoms apply "$plan" --root "$root" --repo "$REPO" --source-repo "$SRC_REPO" --yes "$@"
}

# expect_one_line_error COMMAND [ERE]: exit status 1 and stderr is exactly one line
# 'aoms COMMAND: ...' (the house style; 'aoms: COMMAND: ' accepted too), matching the
# extended regular expression ERE (case-insensitive) when given: the refusal names what
# is wrong.
expect_one_line_error() {
	local cmd=$1 re=${2:-}
	expect_status 1 || return 1
	E2E_CHECKS=$((E2E_CHECKS + 1))
	if [ "$(wc -l <"$ERR")" -ne 1 ] || ! head -n 1 "$ERR" | grep -qE "^aoms:? $cmd: "; then
		fail "'$E2E_LAST_CMD': stderr is not one line 'aoms $cmd: ...'"
		show "$ERR" 20
		return 1
	fi
	E2E_CHECKS=$((E2E_CHECKS + 1))
	if [ -n "$re" ] && ! grep -qiE -- "$re" "$ERR"; then
		fail "'$E2E_LAST_CMD': the message does not say /$re/: $(cat "$ERR")"
		return 1
	fi
}

# expect_refused ROOT STATE WHAT [ERE]: the last apply stopped with exit 1 and one line
# (naming ERE) before any change: the root is exactly STATE. Issue 12 allows "a clear
# refusal before any change, or a clean stop with the journal intact": when a journal
# was written, rollback must then succeed and leave the root as STATE.
expect_refused() {
	expect_one_line_error apply "${4:-}"
	expect_state "$1" "$2" "$3 (refused)"
	[ -n "$(journals "$1")" ] || return 0
	e2e_log "note: $3: apply left a journal; rolling it back"
	run_aoms rollback --root "$1"
	expect_status 0 "rollback of the journal $3 left"
	expect_state "$1" "$2" "$3 (refused, then rolled back)"
}

# expect_anolis ROOT USERCONF WHAT: the root holds exactly the Anolis set and the
# CentOS kernels (install-only: mk-rpmsets.sh's migrated.list), every file of them as
# packaged (rpm -V) but the user's configuration, which is USERCONF byte for byte; no
# repository file points at CentOS any more; the new kernel has its BLS entry beside the
# old one's.
expect_anolis() {
	local root=$1 userconf=$2 what=$3 v kver
	rpm_nevras "$root" >"$E2E_TMP/nevras"
	expect_same_bytes "$SETS/migrated.list" "$E2E_TMP/nevras" "$what: the installed set is the Anolis set"
	v=$(rpm --root "$root" --dbpath /var/lib/rpm -Va 2>&1 | grep -v ' /etc/bazd\.conf$')
	E2E_CHECKS=$((E2E_CHECKS + 1))
	[ -z "$v" ] || fail "$what: rpm -Va finds files that differ from the Anolis packages: $v"
	expect_same_bytes "$userconf" "$root/etc/bazd.conf" "$what: the user's etc/bazd.conf"
	check "$what: os-release is Anolis" grep -qx 'ID="anolis"' "$root/etc/os-release"
	E2E_CHECKS=$((E2E_CHECKS + 1))
	if grep -lsq centos.org "$root"/etc/yum.repos.d/*.repo; then
		fail "$what: a repository file still points at CentOS: $(grep -ls centos.org "$root"/etc/yum.repos.d/*.repo)"
	fi
	for kver in $(sed -n 's/^kernel-core-\(.*\)\.\([^.]*\)$/\1.\2/p' "$SETS/migrated.list"); do
		E2E_CHECKS=$((E2E_CHECKS + 1))
		grep -qsx "linux /vmlinuz-$kver" "$root"/boot/loader/entries/*.conf ||
			fail "$what: no BLS entry in boot/loader/entries boots vmlinuz-$kver"
	done
}

# gpg_key NAME: a passphrase-less signing key "aoms-e2e-NAME" in its own keyring
# ($E2E_TMP/gnupg-NAME, made once); prints the keyring directory.
gpg_key() {
	local home=$E2E_TMP/gnupg-$1
	if [ ! -d "$home" ]; then
		mkdir -m 0700 "$home" &&
			GNUPGHOME=$home gpg --batch --quiet --pinentry-mode loopback --passphrase '' \
				--quick-gen-key "aoms-e2e-$1 <$1@aoms.test>" rsa2048 sign never \
				>"$home.log" 2>&1 || { show "$home.log"; die "gpg: cannot make key $1"; }
	fi
	echo "$home"
}

# sign_rpms KEY RPM...: (re)signs the packages with the key KEY of gpg_key.
sign_rpms() {
	local key=$1 home
	home=$(gpg_key "$key") || return 1
	shift
	# %__gpg: Debian's rpm names /usr/bin/gpg2, which Debian does not ship
	GNUPGHOME=$home rpmsign --addsign --define "_gpg_name $key@aoms.test" --define "_gpg_path $home" \
		--define "__gpg $(command -v gpg)" \
		"$@" >"$home.sign.log" 2>&1 || { show "$home.sign.log"; die "rpmsign $*"; }
}

# publish_key KEY DIR: the public key of KEY as DIR/RPM-GPG-KEY-aoms-e2e-KEY, where
# apply looks for a repository's keys.
publish_key() {
	local home
	home=$(gpg_key "$1") || return 1
	GNUPGHOME=$home gpg --batch --quiet --armor --export "$1@aoms.test" \
		>"$2/RPM-GPG-KEY-aoms-e2e-$1" || die "gpg --export $1"
}

# Stops the gpg-agents gpg_key started (one per keyring).
_gpg_cleanup() {
	local home
	for home in "$E2E_TMP"/gnupg-*; do
		[ -d "$home" ] && GNUPGHOME=$home gpgconf --kill gpg-agent 2>/dev/null
	done
	return 0
}

# lock_holder ROOT: holds ROOT/var/lib/aoms/lock the three ways a program may lock it
# (flock, a POSIX record lock, which open-file-description locks conflict with too)
# until killed; prints its pid once the locks are held.
lock_holder() {
	local fifo=$E2E_TMP/lock-fifo pid
	rm -f "$fifo" && mkfifo "$fifo"
	python3 - "$1/var/lib/aoms/lock" >"$fifo" <<'PY' &
import fcntl, os, sys, time
os.makedirs(os.path.dirname(sys.argv[1]), exist_ok=True)
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
fcntl.lockf(fd, fcntl.LOCK_EX)
print("locked", flush=True)
time.sleep(3600)
PY
	pid=$!
	read -r _ <"$fifo"
	echo "$pid"
}
