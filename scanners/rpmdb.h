/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The installed packages of a system root, read from its rpmdb without writing
 * anything under the root. See rpm-common.h for threading: calls are serialised
 * with each other and with aoms_rpm_open() by the librpm lock.
 */
#pragma once

#include "rpm-common.h"

/* Called once per package; pkg and everything it points to are owned by the
 * reader and valid only during the call. Returns 0 to go on or a negative errno
 * that stops the walk. */
typedef int (*aoms_rpmdb_fn)(const struct aoms_rpm_pkg *pkg, void *ud);

/*
 * Calls fn for each package installed in root (a directory; "/" for the host),
 * sorted by NEVRA (byte order), skipping the gpg-pubkey pseudo-packages. Every
 * package carries its Provides, Requires and file list.
 *
 * The rpmdb is looked for at the EL locations, var/lib/rpm then
 * usr/lib/sysimage/rpm (symlinks resolved inside root), whatever the host rpm's
 * own default path is; its format is chosen from the files present:
 *   rpmdb.sqlite  sqlite (EL9): read directly with SQLite (immutable, read-only;
 *                 a non-empty write-ahead log is read from a private copy in
 *                 $TMPDIR), because librpm's sqlite backend creates and touches
 *                 rpmdb.sqlite-shm/-wal even when opened read-only;
 *   Packages.db   ndb (SUSE): through librpm's ndb backend;
 *   Packages      Berkeley DB (EL7/EL8): through librpm's read-only bdb_ro
 *                 backend (rpm >= 4.16); with older librpm (4.14, EL8 hosts)
 *                 through bdb on a private copy of Packages in $TMPDIR, since
 *                 bdb creates its environment files (__db.00N, .dbenv.lock)
 *                 next to the database it reads.
 *
 * Returns the number of packages passed to fn; fn's negative return; or, with a
 * one-line reason in *ret_reason (caller frees; may be NULL):
 *   -ENOENT           no rpmdb under root (or root does not exist);
 *   -EPROTONOSUPPORT  librpm cannot read that backend
 *                     ("rpmdb 'R/var/lib/rpm' uses ndb, which this librpm cannot read");
 *   -EBADMSG          the rpmdb is corrupt (nothing is passed to fn then);
 *   -EIO              librpm cannot be initialised;
 *   -ENOMEM, or -errno of a failed system call.
 */
int aoms_rpmdb_foreach(const char *root, aoms_rpmdb_fn fn, void *ud, char **ret_reason);
