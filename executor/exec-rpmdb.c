/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * librpm on the root being changed: a transaction set with rpmtsSetRootDir(root) and
 * the root's own database path (/var/lib/rpm, whatever the host rpm's default is), an
 * explicit keyring so that the root's gpg-pubkey packages are never trusted by
 * accident. Read-only it serves the dry run and the staleness check; read-write the
 * transaction. The caller holds the librpm lock (rpmsetup) while db is open, since the
 * pushed _dbpath is process-global.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <rpm/header.h>
#include <rpm/rpmdb.h>
#include <rpm/rpmkeyring.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmmacro.h>
#include <rpm/rpmts.h>
#include "exec-private.h"
#include "rpm-nevra.h"
#include "rpm-setup.h"
#include "strbuf.h"

int exec_rpmdb_open(const char *root, bool write, struct rpmKeyring_s *keyring,
		    struct exec_rpmdb *ret, char **reason)
{
	struct aoms_rpm_capture cap;
	rpmKeyring kr = keyring ? rpmKeyringLink(keyring) : rpmKeyringNew();
	int r;

	if ((r = aoms_rpm_lib_init(reason)) < 0) {
		rpmKeyringFree(kr);
		return r;
	}
	aoms_rpm_lock();
	aoms_rpm_capture_begin(&cap);
	rpmPushMacro(NULL, "_dbpath", NULL, "/var/lib/rpm", RMIL_CMDLINE);
	ret->pushed = true;
	ret->ts = rpmtsCreate();
	rpmtsSetKeyring(ret->ts, kr);
	rpmKeyringFree(kr);
	r = rpmtsSetRootDir(ret->ts, root) != 0 ? -EINVAL :
	    rpmtsOpenDB(ret->ts, write ? O_RDWR : O_RDONLY) != 0 ? -EIO : 0;
	if (r < 0)
		exec_fail(reason, r, "cannot open the rpmdb of '%s'%s%s", root,
			  cap.error ? ": " : "", cap.error ? cap.error : "");
	aoms_rpm_capture_end(&cap);
	if (r < 0) {
		exec_rpmdb_close(ret);
		return r;
	}
	return 0;
}

void exec_rpmdb_close(struct exec_rpmdb *db)
{
	struct aoms_rpm_capture cap;

	/* closing a read-write sqlite rpmdb runs PRAGMA optimize and a checkpoint, which
	 * warn on a full disk: the caller reports what failed, in one line */
	aoms_rpm_capture_begin(&cap);
	if (db->ts)
		rpmtsFree(db->ts);
	aoms_rpm_capture_end(&cap);
	if (db->pushed) {
		rpmPopMacro(NULL, "_dbpath");
		aoms_rpm_unlock();
	}
	*db = (struct exec_rpmdb){ 0 };
}

int exec_rpmdb_reopen(struct exec_rpmdb *db, const char *root, bool write, char **reason)
{
	rpmKeyring kr = db->ts ? rpmtsGetKeyring(db->ts, 0) : NULL;
	int r;

	exec_rpmdb_close(db);
	r = exec_rpmdb_open(root, write, kr, db, reason);
	rpmKeyringFree(kr);
	return r;
}

char *exec_header_nevra(Header h)
{
	const char *n = headerGetString(h, RPMTAG_NAME), *v = headerGetString(h, RPMTAG_VERSION),
		   *r = headerGetString(h, RPMTAG_RELEASE);
	char epoch[24];

	if (!n || !v || !r)
		return NULL;
	snprintf(epoch, sizeof(epoch), "%llu", (unsigned long long)headerGetNumber(h, RPMTAG_EPOCH));
	return aoms_rpm_nevra_format(n, headerIsEntry(h, RPMTAG_EPOCH) ? epoch : NULL, v, r,
				     headerIsSource(h) ? "src" : headerGetString(h, RPMTAG_ARCH));
}

int exec_rpmdb_foreach(struct exec_rpmdb *db, exec_rpmdb_fn fn, void *ud)
{
	struct aoms_rpm_capture cap;
	rpmdbMatchIterator mi;
	Header h;
	int r = 0;

	/* sqlite's complaints on a full disk (a checkpoint that fails) are not the
	 * caller's one line: what it reads is checked */
	aoms_rpm_capture_begin(&cap);
	mi = rpmtsInitIterator(db->ts, RPMDBI_PACKAGES, NULL, 0);
	while (r == 0 && mi && (h = rpmdbNextIterator(mi))) {
		_cleanup_(freep) char *nevra = exec_header_nevra(h);

		if (!nevra || strcmp(headerGetString(h, RPMTAG_NAME), "gpg-pubkey") == 0)
			continue;
		r = fn(h, rpmdbGetIteratorOffset(mi), nevra, ud);
	}
	rpmdbFreeIterator(mi);
	aoms_rpm_capture_end(&cap);
	return r;
}

static int add_nevra(Header h, unsigned offset, const char *nevra, void *ud)
{
	return exec_strv_add(ud, nevra);
}

int exec_installed_read(struct exec_rpmdb *db, struct exec_installed *ret)
{
	struct exec_installed i = { 0 };
	int r = exec_rpmdb_foreach(db, add_nevra, &i.nevras);

	if (r < 0) {
		exec_strv_release(&i.nevras);
		return r;
	}
	exec_strv_sort(&i.nevras);
	aoms_rpm_nevra_fingerprint((const char *const *)i.nevras.v, i.nevras.n, i.fingerprint);
	*ret = i;
	return 0;
}

void exec_installed_release(struct exec_installed *i)
{
	exec_strv_release(&i->nevras);
}

struct damaged_ctx {
	const struct exec_root *root;
	const struct exec_strv *nevras;
	struct exec_strv *out;
};

static int on_damaged(Header h, unsigned offset, const char *nevra, void *ud)
{
	struct damaged_ctx *c = ud;

	if ((c->nevras && !exec_strv_has(c->nevras, nevra)) || !exec_header_files_changed(c->root, h))
		return 0;
	return exec_strv_add(c->out, nevra);
}

int exec_rpmdb_damaged(struct exec_rpmdb *db, const struct exec_root *root,
		       const struct exec_strv *nevras, struct exec_strv *ret)
{
	struct damaged_ctx c = { root, nevras, ret };
	int r = exec_rpmdb_foreach(db, on_damaged, &c);

	exec_strv_sort(ret);
	return r;
}
