/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The space check before an apply writes anything. librpm checks the disk space of
 * the packages' files itself, but not what its database needs (rpm's sqlite backend
 * writes the whole transaction into the write-ahead log first, and loses writes
 * without telling rpmtsRun when the file system fills), nor the journal, nor what a
 * rollback of a transaction that died half-way needs. A transaction that runs out of
 * space half-way can leave a root that even a rollback cannot repair on the same full
 * file system, so apply refuses before its transaction unless each file system it
 * writes to has room for the new packages' files (block rounded; the old ones are
 * erased after) and for the rpmdb's write-ahead log twice (the apply's, then a
 * rollback's). The log holds every page each element of the transaction changes:
 * measured on the test sets (tests/fixtures/rpmsets), about the header's size plus
 * 64 KiB of index pages per element (21 elements: a 1.5 MiB log for a 290 KiB rpmdb).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <rpm/header.h>
#include <rpm/rpmfi.h>
#include <rpm/rpmtag.h>
#include "exec-private.h"
#include "strbuf.h"

#define SPACE_FS_MAX 16
#define SPACE_LOG_PER_ELEMENT (64u << 10)   /* the rpmdb's index pages an element changes */

struct space_fs {
	dev_t dev;
	unsigned long long need, avail, bsize;
	char *where;                 /* a root-relative path on it, for the message */
};

struct space {
	const char *root;
	struct space_fs fs[SPACE_FS_MAX];
	size_t n;
	char last_dir[4096];         /* the last directory looked up, and its file system */
	struct space_fs *last_fs;
};

/* The file system of root-relative dir: the nearest existing ancestor's. */
static struct space_fs *space_fs_of(struct space *s, const char *dir)
{
	_cleanup_(freep) char *p = aoms_strdupf("%s/%s", s->root, dir);
	struct stat st;
	struct statvfs sv;

	if (s->last_fs && strcmp(s->last_dir, dir) == 0)
		return s->last_fs;
	if (!p)
		return NULL;
	for (;;) {
		char *slash;

		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			break;
		if (!(slash = strrchr(p, '/')) || slash == p)
			return NULL;
		*slash = '\0';
	}
	snprintf(s->last_dir, sizeof(s->last_dir), "%s", dir);
	for (size_t i = 0; i < s->n; i++)
		if (s->fs[i].dev == st.st_dev)
			return s->last_fs = &s->fs[i];
	if (s->n == SPACE_FS_MAX || statvfs(p, &sv) < 0)
		return s->last_fs = NULL;
	s->fs[s->n] = (struct space_fs){ .dev = st.st_dev, .bsize = sv.f_frsize ? sv.f_frsize : 4096,
					 .avail = (unsigned long long)sv.f_bavail * sv.f_frsize,
					 .where = strdup(dir) };
	return s->last_fs = &s->fs[s->n++];
}

static void space_add(struct space *s, const char *dir, unsigned long long bytes)
{
	struct space_fs *fs = space_fs_of(s, dir);

	if (fs)
		fs->need += (bytes + fs->bsize - 1) / fs->bsize * fs->bsize;
}

static void space_add_header(struct space *s, Header h)
{
	rpmfi fi = rpmfiNew(NULL, h, RPMTAG_BASENAMES, RPMFI_NOHEADER);

	while (fi && rpmfiNext(fi) >= 0)
		if (S_ISREG(rpmfiFMode(fi)) && !(rpmfiFFlags(fi) & RPMFILE_GHOST))
			space_add(s, rpmfiDN(fi), (unsigned long long)rpmfiFSize(fi));
	rpmfiFree(fi);
}

/* What the rpmdb's write-ahead log takes for one element of header h. */
static unsigned long long log_bytes(Header h)
{
	return (h ? headerSizeof(h, HEADER_MAGIC_NO) : 0) + SPACE_LOG_PER_ELEMENT;
}

int exec_space_check(const char *root, const struct exec_txn *t, struct exec_rpm *const *cache,
		     char **reason)
{
	struct space s = { .root = root };
	unsigned long long log = 0;
	int r = 0;

	/* the new packages' files, the old ones still there (rpm erases after installing) */
	for (size_t i = 0; i < t->n_install; i++) {
		space_add_header(&s, t->install[i]->h);
		log += log_bytes(t->install[i]->h);
	}
	for (size_t i = 0; i < t->erase.n; i++)
		log += log_bytes(cache ? cache[i]->h : NULL);
	/* the rpmdb's write-ahead log: the apply's, and then perhaps a rollback's */
	space_add(&s, "/var/lib/rpm", 2 * log);
	for (size_t i = 0; i < s.n; i++) {
		struct space_fs *fs = &s.fs[i];

		if (r == 0 && fs->need > fs->avail)
			r = exec_fail(reason, -ENOSPC, "not enough space on the file system of '%s' in the "
				      "root: the transaction needs %llu KiB there (the new packages, the "
				      "rpmdb's log for it and for a rollback), %llu KiB are free",
				      fs->where ? fs->where : "/", (fs->need + 1023) / 1024,
				      fs->avail / 1024);
		free(fs->where);
	}
	return r;
}
