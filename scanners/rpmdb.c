/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Installed packages of a root. Two passes over the rpmdb: the first collects
 * (NEVRA, record number) of every package, the second fetches them one at a time
 * in NEVRA order, so memory holds one package's header and model at a time.
 *
 * Berkeley DB and ndb go through librpm with _dbpath/_db_backend pushed for the
 * duration of the read (librpm's macro context is process-global, hence the
 * librpm lock). sqlite is read with SQLite itself: librpm's sqlite backend
 * opens the database in WAL mode and creates rpmdb.sqlite-shm/-wal next to it
 * even read-only, and the root must not be written to. The blobs are rpm
 * headers, imported with headerImport(), which checks them like librpm does.
 * Where reading in place would still write (a non-empty WAL; rpm 4.14's
 * Berkeley DB environment), a private copy under $TMPDIR is read instead.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sqlite3.h>
#include <rpm/header.h>
#include <rpm/rpmdb.h>
#include <rpm/rpmkeyring.h>
#include <rpm/rpmlog.h>
#include <rpm/rpmmacro.h>
#include <rpm/rpmtag.h>
#include <rpm/rpmts.h>
#include "arena.h"
#include "rootfs.h"
#include "rpmdb.h"
#include "strbuf.h"

struct rpmdb_src;

/* One on-disk format: how to recognise it and read its headers. */
struct rpmdb_ops {
	const char *backend;   /* librpm's name, in messages */
	const char *file;      /* the file that marks it */
	/* 4 bytes at magic_off of file (either byte order), checked before librpm
	 * opens it so that a corrupt file is told apart from a backend librpm lacks */
	const char *magic, *magic_swapped;
	off_t magic_off;
	int (*open)(struct rpmdb_src *s, char **reason);
	/* Next header of the first pass and its record number; NULL at the end. */
	Header (*next)(struct rpmdb_src *s, unsigned *ret_key);
	/* The header with record number key; NULL if gone. */
	Header (*get)(struct rpmdb_src *s, unsigned key);
	void (*close)(struct rpmdb_src *s);
};

struct rpmdb_src {
	const struct rpmdb_ops *ops;
	const char *root;      /* absolute */
	char *dbdir;           /* root-relative, symlinks resolved: "/var/lib/rpm" */
	char *dbdir_abs;       /* root joined with dbdir, for messages and SQLite */
	/* librpm */
	rpmts ts;
	rpmdbMatchIterator mi;
	bool pushed;
	/* SQLite */
	sqlite3 *db;
	sqlite3_stmt *all, *one;
	char *tmpdir;          /* private copy, when reading in place would write */
	/* librpm's messages from opening to closing */
	struct aoms_rpm_capture cap;
};

/* ---- librpm backends (Berkeley DB, ndb) ---- */

/* A private copy of the files of the database at s->dbdir_abs; s->tmpdir. */
static int rpmdb_copy(struct rpmdb_src *s, const char *const *names, char **reason)
{
	int r = aoms_rpm_private_copy(s->dbdir_abs, names, &s->tmpdir);

	if (r < 0 && reason)
		*reason = aoms_strdupf("cannot copy rpmdb '%s' to read it: %s", s->dbdir_abs,
				       strerror(-r));
	return r;
}

static int librpm_open(struct rpmdb_src *s, char **reason)
{
	static const char *const packages[] = { "Packages", NULL };
	/* bdb_ro came with rpm 4.16; 4.14 (EL8) reads Berkeley DB as "bdb". */
	const char *backend = strcmp(s->ops->backend, "bdb") ? s->ops->backend :
			      aoms_rpm_version_atleast(4, 16) ? "bdb_ro" : "bdb";
	rpmKeyring kr;
	int rc;

	/* 4.14's Berkeley DB backend joins (creates) a shared environment, __db.00N
	 * and .dbenv.lock, next to the database even read-only: read a private copy. */
	if (strcmp(backend, "bdb") == 0 && (rc = rpmdb_copy(s, packages, reason)) < 0)
		return rc;
	rpmPushMacro(NULL, "_dbpath", NULL, s->tmpdir ? s->tmpdir : s->dbdir, RMIL_CMDLINE);
	rpmPushMacro(NULL, "_db_backend", NULL, backend, RMIL_CMDLINE);
	s->pushed = true;
	s->ts = rpmtsCreate();
	kr = rpmKeyringNew();
	rpmtsSetKeyring(s->ts, kr);   /* empty: never load keys from the db */
	rpmKeyringFree(kr);
	rpmtsSetVSFlags(s->ts, _RPMVSF_NOSIGNATURES | _RPMVSF_NODIGESTS);
	rc = rpmtsSetRootDir(s->ts, s->tmpdir ? "/" : s->root);
	if (rc == 0)
		rc = rpmtsOpenDB(s->ts, O_RDONLY);
	if (rc != 0 && reason)
		*reason = aoms_strdupf("rpmdb '%s' uses %s, which this librpm cannot read%s%s",
				       s->dbdir_abs, backend, s->cap.error ? ": " : "",
				       s->cap.error ? s->cap.error : "");
	return rc != 0 ? -EPROTONOSUPPORT : 0;
}

static Header librpm_next(struct rpmdb_src *s, unsigned *ret_key)
{
	Header h;

	if (!s->mi)
		s->mi = rpmtsInitIterator(s->ts, RPMDBI_PACKAGES, NULL, 0);
	h = s->mi ? rpmdbNextIterator(s->mi) : NULL;
	if (!h)
		return NULL;
	*ret_key = rpmdbGetIteratorOffset(s->mi);
	return headerLink(h);
}

static Header librpm_get(struct rpmdb_src *s, unsigned key)
{
	rpmdbMatchIterator mi = rpmtsInitIterator(s->ts, RPMDBI_PACKAGES, &key, sizeof(key));
	Header h = headerLink(mi ? rpmdbNextIterator(mi) : NULL);

	rpmdbFreeIterator(mi);
	return h;
}

static void librpm_close(struct rpmdb_src *s)
{
	if (s->mi)
		rpmdbFreeIterator(s->mi);
	if (s->ts)
		rpmtsFree(s->ts);   /* closes the database */
	if (s->pushed) {
		rpmPopMacro(NULL, "_db_backend");
		rpmPopMacro(NULL, "_dbpath");
	}
}

/* ---- SQLite (rpm >= 4.16 databases) ---- */

/* "file:PATH?immutable=1": SQLite then neither locks nor writes anything. */
static char *sqlite_uri(const char *path)
{
	char *uri = malloc(strlen(path) * 3 + sizeof("file:?immutable=1")), *o = uri;

	if (!uri)
		return NULL;
	o = stpcpy(o, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		o += (*p < 128 && isalnum(*p)) || strchr("/-._~", *p) ?
		     sprintf(o, "%c", *p) : sprintf(o, "%%%02X", *p);
	strcpy(o, "?immutable=1");
	return uri;
}

static int sqlite_open(struct rpmdb_src *s, char **reason)
{
	static const char *const files[] = { "rpmdb.sqlite", "rpmdb.sqlite-wal", NULL };
	_cleanup_(freep) char *path = aoms_strdupf("%s/rpmdb.sqlite", s->dbdir_abs);
	_cleanup_(freep) char *wal = path ? aoms_strdupf("%s-wal", path) : NULL;
	_cleanup_(freep) char *uri = NULL, *copy = NULL;
	struct stat st;
	int r;

	if (!wal)
		return -ENOMEM;
	/* A non-empty write-ahead log cannot be read without writing next to it
	 * (the -shm index): read a private copy of both. */
	if (lstat(wal, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
		r = rpmdb_copy(s, files, reason);
		if (r < 0)
			return r;
		copy = aoms_strdupf("%s/rpmdb.sqlite", s->tmpdir);
		if (!copy)
			return -ENOMEM;
		r = sqlite3_open_v2(copy, &s->db, SQLITE_OPEN_READWRITE, NULL);
	} else {
		uri = sqlite_uri(path);
		if (!uri)
			return -ENOMEM;
		r = sqlite3_open_v2(uri, &s->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	}
	if (r == SQLITE_OK && (r = sqlite3_prepare_v2(s->db, "SELECT hnum, blob FROM Packages "
						      "ORDER BY hnum", -1, &s->all, NULL)) == SQLITE_OK)
		r = sqlite3_prepare_v2(s->db, "SELECT blob FROM Packages WHERE hnum = ?", -1,
				       &s->one, NULL);
	if (r != SQLITE_OK) {
		if (reason)
			*reason = aoms_strdupf("rpmdb '%s' is not a readable rpm sqlite database: %s",
					       path, s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(r));
		return r == SQLITE_NOMEM ? -ENOMEM : -EBADMSG;
	}
	return 0;
}

static Header sqlite_header(sqlite3_stmt *st, int col)
{
	const void *blob = sqlite3_column_blob(st, col);
	int n = sqlite3_column_bytes(st, col);

	/* headerImport() reads the 8-byte intro before checking the size. */
	if (!blob || n < 16)
		return NULL;
	return headerImport((void *)blob, (unsigned)n, HEADERIMPORT_COPY);
}

static Header sqlite_next(struct rpmdb_src *s, unsigned *ret_key)
{
	Header h;

	do {
		if (sqlite3_step(s->all) != SQLITE_ROW)
			return NULL;
		*ret_key = (unsigned)sqlite3_column_int64(s->all, 0);
		h = sqlite_header(s->all, 1);
		if (!h)
			rpmlog(RPMLOG_ERR, "damaged header #%u\n", *ret_key);
	} while (!h);
	return h;
}

static Header sqlite_get(struct rpmdb_src *s, unsigned key)
{
	Header h = NULL;

	sqlite3_reset(s->one);
	if (sqlite3_bind_int64(s->one, 1, key) == SQLITE_OK && sqlite3_step(s->one) == SQLITE_ROW)
		h = sqlite_header(s->one, 0);
	sqlite3_reset(s->one);
	return h;
}

static void sqlite_close(struct rpmdb_src *s)
{
	sqlite3_finalize(s->all);
	sqlite3_finalize(s->one);
	sqlite3_close(s->db);
}

/* In preference order, newest format first (librpm's own detection order). */
static const struct rpmdb_ops rpmdb_formats[] = {
	{ "sqlite", "rpmdb.sqlite", NULL, NULL, 0,
	  sqlite_open, sqlite_next, sqlite_get, sqlite_close },
	{ "ndb", "Packages.db", "RpmP", "RpmP", 0,
	  librpm_open, librpm_next, librpm_get, librpm_close },
	{ "bdb", "Packages", "\x61\x15\x06\x00", "\x00\x06\x15\x61", 12,  /* hash 0x061561 */
	  librpm_open, librpm_next, librpm_get, librpm_close },
};

/* ---- locating and walking ---- */

/* A regular file at root-relative path, not reached through a symlink. */
static bool root_regular_file(const char *root, const char *path)
{
	_cleanup_(freep) char *real = aoms_root_realpath(root, path);
	_cleanup_(freep) char *full = aoms_root_join(root, path);
	struct stat st;

	return real && full && strcmp(real, path) == 0 && lstat(full, &st) == 0 &&
	       S_ISREG(st.st_mode);
}

static int rpmdb_locate(struct rpmdb_src *s)
{
	static const char *const dirs[] = { "/var/lib/rpm", "/usr/lib/sysimage/rpm" };

	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		_cleanup_(freep) char *dir = aoms_root_realpath(s->root, dirs[i]);

		if (!dir) {
			if (errno == ENOMEM)
				return -ENOMEM;
			continue;
		}
		for (size_t k = 0; k < ARRAY_SIZE(rpmdb_formats); k++) {
			_cleanup_(freep) char *file = aoms_strdupf("%s%s%s", dir,
								  strcmp(dir, "/") ? "/" : "",
								  rpmdb_formats[k].file);

			if (!file)
				return -ENOMEM;
			if (!root_regular_file(s->root, file))
				continue;
			s->ops = &rpmdb_formats[k];
			s->dbdir = TAKE_PTR(dir);
			s->dbdir_abs = aoms_root_join(s->root, s->dbdir);
			return s->dbdir_abs ? 0 : -ENOMEM;
		}
	}
	return -ENOENT;
}

static int rpmdb_check_magic(struct rpmdb_src *s, char **reason)
{
	_cleanup_(freep) char *path = aoms_strdupf("%s/%s", s->dbdir_abs, s->ops->file);
	_cleanup_(closep) int fd = path ? open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW) : -1;
	char m[4];

	if (!path)
		return -ENOMEM;
	if (!s->ops->magic || (fd >= 0 && pread(fd, m, 4, s->ops->magic_off) == 4 &&
			       (!memcmp(m, s->ops->magic, 4) || !memcmp(m, s->ops->magic_swapped, 4))))
		return 0;
	if (reason)
		*reason = aoms_strdupf("rpmdb '%s' is not a valid %s database", path, s->ops->backend);
	return -EBADMSG;
}

struct rpmdb_entry {
	char *nevra;
	unsigned key;
};

static int entry_cmp(const void *a, const void *b)
{
	const struct rpmdb_entry *x = a, *y = b;
	int c = strcmp(x->nevra, y->nevra);

	return c ? c : (x->key > y->key) - (x->key < y->key);
}

struct rpmdb_walk {
	struct rpmdb_entry *v;
	size_t n, alloc;
};

static int walk_add(struct rpmdb_walk *w, Header h, unsigned key)
{
	_cleanup_(aoms_arena_freep) struct aoms_arena *a = NULL;
	struct aoms_rpm_pkg p;
	int r;

	if (aoms_arena_new(&a) < 0)
		return -ENOMEM;
	r = aoms_rpm_pkg_from_header(h, a, false, &p);
	if (r < 0)
		return r == -EBADMSG ? 0 : r;   /* nameless: not a package */
	if (strcmp(p.name, "gpg-pubkey") == 0)
		return 0;
	if (w->n == w->alloc) {
		size_t na = w->alloc ? w->alloc * 2 : 256;
		struct rpmdb_entry *nv = realloc(w->v, na * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		w->v = nv;
		w->alloc = na;
	}
	w->v[w->n] = (struct rpmdb_entry){ strdup(p.nevra), key };
	return w->v[w->n++].nevra ? 0 : -ENOMEM;
}

static int first_pass(struct rpmdb_src *s, struct rpmdb_walk *w, char **reason)
{
	unsigned key, seen = 0;
	Header h;
	int r = 0;

	while (r == 0 && (h = s->ops->next(s, &key))) {
		seen++;
		r = walk_add(w, h, key);
		headerFree(h);
	}
	if (r == 0 && s->cap.error) {
		r = -EBADMSG;
		if (reason)
			*reason = aoms_strdupf("rpmdb '%s': %s", s->dbdir_abs, s->cap.error);
	} else if (r == 0 && seen == 0 && s->cap.warning) {
		/* librpm falls back to its "dummy" backend, with a warning, when it
		 * was built without the one asked for; a real rpmdb is never empty. */
		r = -EPROTONOSUPPORT;
		if (reason)
			*reason = aoms_strdupf("rpmdb '%s' uses %s, which this librpm cannot read: %s",
					       s->dbdir_abs, s->ops->backend, s->cap.warning);
	}
	if (r == 0 && w->n)
		qsort(w->v, w->n, sizeof(*w->v), entry_cmp);
	return r;
}

static int second_pass(struct rpmdb_src *s, struct rpmdb_walk *w, aoms_rpmdb_fn fn, void *ud,
		       char **reason)
{
	for (size_t i = 0; i < w->n; i++) {
		_cleanup_(aoms_arena_freep) struct aoms_arena *a = NULL;
		struct aoms_rpm_pkg p;
		Header h = s->ops->get(s, w->v[i].key);
		int r;

		if (!h) {
			if (reason)
				*reason = aoms_strdupf("rpmdb '%s': cannot read back package %s",
						       s->dbdir_abs, w->v[i].nevra);
			return -EBADMSG;
		}
		r = aoms_arena_new(&a);
		if (r == 0)
			r = aoms_rpm_pkg_from_header(h, a, true, &p);
		headerFree(h);
		if (r == 0)
			r = fn(&p, ud);
		if (r < 0)
			return r;
	}
	return (int)w->n;
}

int aoms_rpmdb_foreach(const char *root, aoms_rpmdb_fn fn, void *ud, char **ret_reason)
{
	_cleanup_(freep) char *real = realpath(root, NULL);
	_cleanup_(freep) char *reason = NULL;
	struct rpmdb_walk w = { 0 };
	struct rpmdb_src s = { .root = real };
	int r;

	r = real ? aoms_rpm_lib_init(&reason) : -errno;
	if (r < 0)
		goto out;
	r = rpmdb_locate(&s);
	if (r == -ENOENT)
		reason = aoms_strdupf("no rpmdb in '%s' (looked in var/lib/rpm and "
				      "usr/lib/sysimage/rpm)", root);
	if (r < 0)
		goto out;
	r = rpmdb_check_magic(&s, &reason);
	if (r < 0)
		goto out;
	aoms_rpm_lock();
	aoms_rpm_capture_begin(&s.cap);
	r = s.ops->open(&s, &reason);
	if (r == 0)
		r = first_pass(&s, &w, &reason);
	if (r == 0)
		r = second_pass(&s, &w, fn, ud, &reason);
	s.ops->close(&s);
	aoms_rpm_private_remove(s.tmpdir);
	aoms_rpm_capture_end(&s.cap);
	aoms_rpm_unlock();
out:
	if (r == -ENOENT && !reason)
		reason = aoms_strdupf("cannot open root '%s': %s", root, strerror(ENOENT));
	if (r < 0 && ret_reason && reason)
		*ret_reason = TAKE_PTR(reason);
	for (size_t i = 0; i < w.n; i++)
		free(w.v[i].nevra);
	free(w.v);
	free(s.dbdir);
	free(s.dbdir_abs);
	return r;
}
