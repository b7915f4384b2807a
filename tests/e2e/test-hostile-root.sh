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

e2e_finish
