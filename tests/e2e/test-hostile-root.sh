#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# `aoms db build --root` on a hostile root: files it reads are FIFOs, a character
# device like /dev/zero, or symlinks pointing out of the root. Every such file is
# opened without blocking, checked to be a regular file on the open descriptor and
# resolved inside the root (common/rootfs.c), so the build finishes at once, reads
# nothing of the host, and the root is never written.
#
#   etc/ld.so.conf           a FIFO nobody writes to        (used to hang forever)
#   etc/ld.so.conf.d/x.conf  a character device 1:5 (zero)  (used to grow without end)
#   boot/symvers-R.gz        a FIFO                         (used to hang forever)
#   boot/config-R            a character device 1:5         (used to grow without end)
#   etc/os-release           -> /usr/lib/os-release: must be the ROOT's, not the host's
#   usr/lib64/libx.so.1      -> /usr/lib/x86_64-linux-gnu/libc.so.6 (absolute): resolves
#                            inside the root (absent there), never the host's libc
# Then `aoms assess` on a hostile CentOS 7 root (no rpmdb): an enabled unit that links
# to itself (a loop), one whose ExecStart= climbs out of the root with "../" (missing
# inside it: never the host's /usr/bin/id), one over the 1 MiB unit cap, one a FIFO;
# lib/modules/R/extra and a DKMS version linked to "/" (neither walked nor scanned:
# the root is not an out-of-tree module tree), a directory loop under updates/, a
# modules-load.d file that is a FIFO. The assessment finishes and writes nothing.

. "$(dirname "$0")/lib.sh"
e2e_init
need_cmd mkfifo gcc

T=$E2E_TMP
ROOT=$T/root
REL=4.18.0-477.27.1.el8_8.x86_64
make_target_root "$ROOT" || die "making the target root"
mkdir -p "$ROOT/etc/ld.so.conf.d" "$ROOT/boot" "$ROOT/lib/modules/$REL" "$ROOT/usr/lib" || die "mkdir"
: >"$ROOT/lib/modules/$REL/modules.dep"
mkfifo "$ROOT/etc/ld.so.conf" "$ROOT/boot/symvers-$REL.gz" || die "mkfifo"
printf 'PRETTY_NAME="Inside The Root 8"\n' >"$ROOT/usr/lib/os-release"
ln -s /usr/lib/os-release "$ROOT/etc/os-release"
ln -s /usr/lib/x86_64-linux-gnu/libc.so.6 "$ROOT/usr/lib64/libx.so.1"
devices=0
if [ "$(id -u)" = 0 ] && mknod "$ROOT/boot/config-$REL" c 1 5 2>/dev/null &&
	mknod "$ROOT/etc/ld.so.conf.d/x.conf" c 1 5 2>/dev/null; then
	devices=1
else
	e2e_log "not root or no mknod: the character-device cases are not checked"
fi
(cd "$ROOT" && find . -printf '%p %y %s %T@\n' | sort) >"$T/root-before"

AOMS_E2E_TIMEOUT=60 run_aoms db build --root "$ROOT" -o "$T/root.db"
check "db build finished (no hang on FIFOs or devices)" [ "$STATUS" -ne 124 ]
expect_status_bits 0 2
check "the database was written" [ -s "$T/root.db" ]
run_aoms db info --db "$T/root.db" --format json
expect_status 0
expect_json "$OUT" '"Inside The Root 8" in json.dumps(d)' "os-release read inside the root"
expect_json "$OUT" '"Debian" not in json.dumps(d)' "the host's os-release is not read"
run_aoms db query --db "$T/root.db" --format json --soname libx.so.1
expect_status 4 "libx.so.1 leads out of the root: nothing recorded"
(cd "$ROOT" && find . -printf '%p %y %s %T@\n' | sort) >"$T/root-after"
expect_same_bytes "$T/root-before" "$T/root-after" "the root after db build"
[ $devices = 1 ] && e2e_log "character devices checked"

# ---- aoms assess on a hostile root ---------------------------------------------------
H=$T/host
KR=3.10.0-1160.el7.x86_64
W=$H/etc/systemd/system/multi-user.target.wants
mkdir -p "$W" "$H/lib/modules/$KR/updates" "$H/var/lib/dkms/evil" "$H/etc/modules-load.d" || die "mkdir"
printf 'ID="centos"\nVERSION_ID="7"\nNAME="CentOS Linux"\n' >"$H/etc/os-release"
ln -s loop.service "$W/loop.service"
printf '[Service]\nExecStart=/../../../../usr/bin/id\n' >"$H/etc/systemd/system/esc.service"
ln -s ../esc.service "$W/esc.service"
{ head -c 2097152 /dev/zero | tr '\0' '#'; printf '\n[Service]\nExecStart=/big/program\n'; } \
	>"$H/etc/systemd/system/big.service"
ln -s ../big.service "$W/big.service"
mkfifo "$H/etc/systemd/system/fifo.service" "$H/etc/modules-load.d/fifo.conf" || die "mkfifo"
ln -s ../fifo.service "$W/fifo.service"
ln -s / "$H/lib/modules/$KR/extra"
ln -s .. "$H/lib/modules/$KR/updates/loop"
ln -s / "$H/var/lib/dkms/evil/1.0"
(cd "$H" && find . -printf '%p %y %s %T@\n' | sort) >"$T/host-before"
AOMS_E2E_TIMEOUT=120 run_aoms assess --root "$H" --format json -o "$T/host.json"
check "assess finished (no hang on FIFOs, no endless walk)" [ "$STATUS" -ne 124 ]
expect_status_bits 0 16
expect_report_shape "$T/host.json"
expect_finding "$T/host.json" /etc/systemd/system/esc.service assess.unit-exec-missing program=/../../../../usr/bin/id
expect_no_finding "$T/host.json" /etc/systemd/system/big.service assess.unit-exec-missing
expect_json "$T/host.json" 'not any(e["rule"] in ("assess.kmod-out-of-tree", "assess.kmod-dkms") for e in d["entries"])' \
	"links to / are no module trees"
expect_json "$T/host.json" '"/" not in d["inputs"] and not any(i.endswith("/extra") or "dkms" in i for i in d["inputs"])' \
	"the root is not scanned through a link named extra or a DKMS version"
(cd "$H" && find . -printf '%p %y %s %T@\n' | sort) >"$T/host-after"
expect_same_bytes "$T/host-before" "$T/host-after" "the root after assess"

e2e_finish
