/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The package model from librpm headers, and the private rpmdb copy, shared by
 * the RPM readers (librpm's set-up: rpmsetup/). Only APIs that rpm 4.14 (EL8)
 * already has are used: rpmdsNew/rpmfiNew, headerGetString.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <rpm/header.h>
#include <rpm/rpmds.h>
#include <rpm/rpmfi.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmlog.h>
#include <rpm/rpmtag.h>
#include "arena.h"
#include "rpm-common.h"
#include "rpm-nevra.h"
#include "strbuf.h"

static int copy_file(const char *from, const char *to)
{
	_cleanup_(closep) int in = open(from, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	_cleanup_(closep) int out = -1;
	char buf[65536];
	ssize_t n;

	if (in < 0)
		return -errno;
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (out < 0)
		return -errno;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		for (ssize_t off = 0, w; off < n; off += w)
			if ((w = write(out, buf + off, (size_t)(n - off))) < 0)
				return -errno;
	return n < 0 ? -errno : 0;
}

int aoms_rpm_private_copy(const char *dir, const char *const *names, char **ret_tmpdir)
{
	const char *tmp = getenv("TMPDIR");
	char *t = aoms_strdupf("%s/aoms-rpmdb.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	int r = 0;

	if (!t)
		return -ENOMEM;
	if (!mkdtemp(t)) {
		r = -errno;
		free(t);
		return r;
	}
	for (; r == 0 && *names; names++) {
		_cleanup_(freep) char *from = aoms_strdupf("%s/%s", dir, *names);
		_cleanup_(freep) char *to = aoms_strdupf("%s/%s", t, *names);

		r = from && to ? copy_file(from, to) : -ENOMEM;
	}
	if (r < 0) {
		aoms_rpm_private_remove(t);
		return r;
	}
	*ret_tmpdir = t;
	return 0;
}

void aoms_rpm_private_remove(char *tmpdir)
{
	DIR *d = tmpdir ? opendir(tmpdir) : NULL;
	struct dirent *e;

	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlinkat(dirfd(d), e->d_name, 0);
	if (d)
		closedir(d);
	if (tmpdir)
		rmdir(tmpdir);
	free(tmpdir);
}

/* RPMSENSE_LESS, _GREATER, _EQUAL (2, 4, 8) as one index. */
static const char *const dep_ops[8] = { "", "<", ">", "", "=", "<=", ">=", "" };

static int deps_from_header(Header h, rpmTagVal tag, struct aoms_arena *a,
			    struct aoms_rpm_dep **ret, size_t *ret_n)
{
	rpmds ds = rpmdsNew(h, tag, 0);
	int n = rpmdsCount(ds);
	struct aoms_rpm_dep *v;
	size_t k = 0;

	*ret = NULL;
	*ret_n = 0;
	if (n <= 0) {
		rpmdsFree(ds);
		return 0;
	}
	v = aoms_arena_alloc(a, (size_t)n * sizeof(*v));
	if (!v) {
		rpmdsFree(ds);
		return -ENOMEM;
	}
	rpmdsInit(ds);
	while (rpmdsNext(ds) >= 0 && k < (size_t)n) {
		const char *name = rpmdsN(ds), *evr = rpmdsEVR(ds);
		unsigned sense = (unsigned)rpmdsFlags(ds) & RPMSENSE_SENSEMASK;

		if (!name)
			continue;
		v[k].name = aoms_arena_strdup(a, name);
		v[k].op = dep_ops[(sense >> 1) & 7];
		v[k].evr = aoms_arena_strdup(a, *v[k].op && evr ? evr : "");
		v[k].rpmlib = strncmp(name, "rpmlib(", 7) == 0;
		if (!v[k].name || !v[k].evr) {
			rpmdsFree(ds);
			return -ENOMEM;
		}
		k++;
	}
	rpmdsFree(ds);
	*ret = v;
	*ret_n = k;
	return 0;
}

static int files_from_header(Header h, struct aoms_arena *a, struct aoms_rpm_pkg *p)
{
	rpmfi fi = rpmfiNew(NULL, h, RPMTAG_BASENAMES, RPMFI_FLAGS_QUERY);
	int n = rpmfiFC(fi);
	size_t k = 0;

	if (n <= 0) {
		rpmfiFree(fi);
		return 0;
	}
	p->files = aoms_arena_alloc(a, (size_t)n * sizeof(*p->files));
	if (!p->files) {
		rpmfiFree(fi);
		return -ENOMEM;
	}
	rpmfiInit(fi, 0);
	while (rpmfiNext(fi) >= 0 && k < (size_t)n) {
		struct aoms_rpm_file_entry *f = &p->files[k];
		const char *fn = rpmfiFN(fi);

		if (!fn)
			continue;
		f->path = aoms_arena_strdup(a, fn);
		f->mode = rpmfiFMode(fi);
		f->size = (uint64_t)rpmfiFSize(fi);
		if (S_ISLNK(f->mode))
			f->link = aoms_arena_strdup(a, rpmfiFLink(fi) ? rpmfiFLink(fi) : "");
		if (!f->path || (S_ISLNK(f->mode) && !f->link)) {
			rpmfiFree(fi);
			return -ENOMEM;
		}
		k++;
	}
	rpmfiFree(fi);
	p->n_files = k;
	return 0;
}

static const char *header_str(Header h, rpmTagVal tag, struct aoms_arena *a)
{
	const char *s = headerGetString(h, tag);

	return s ? aoms_arena_strdup(a, s) : NULL;
}

/*
 * The key id of the header's signature, 16 lowercase hex digits; NULL when it has
 * none. Read through headerFormat's pgpsig formatter ("RSA/SHA256, <date>, Key ID
 * 24c6a8a7f4a80eb5"), which rpm 4.14 (EL8) and 4.18 both have; pgpDigParamsSignID()
 * came only with 4.16. The header-only signatures (RSAHEADER, DSAHEADER) first: they
 * are what dnf checks and what rpmdb keeps of a package's signature.
 */
static const char *sigkey_from_header(Header h, struct aoms_arena *a)
{
	static const char *const fmts[] = {
		"%{RSAHEADER:pgpsig}", "%{DSAHEADER:pgpsig}", "%{SIGPGP:pgpsig}", "%{SIGGPG:pgpsig}",
	};
	static const rpmTagVal tags[] = {
		RPMTAG_RSAHEADER, RPMTAG_DSAHEADER, RPMTAG_SIGPGP, RPMTAG_SIGGPG,
	};

	for (size_t i = 0; i < ARRAY_SIZE(fmts); i++) {
		_cleanup_(freep) char *s = NULL;
		const char *id;
		char key[17];
		size_t n;

		if (!headerIsEntry(h, tags[i]) || !(s = headerFormat(h, fmts[i], NULL)))
			continue;
		if (!(id = strstr(s, "Key ID ")))
			continue;
		id += 7;
		n = strspn(id, "0123456789abcdefABCDEF");
		if (n != 16 && n != 8)
			continue;
		for (size_t k = 0; k < n; k++)
			key[k] = (char)(id[k] | 0x20);   /* lowercase hex */
		key[n] = '\0';
		return aoms_arena_strdup(a, key);
	}
	return NULL;
}

static int identity_from_header(Header h, struct aoms_arena *a, struct aoms_rpm_pkg *p)
{
	_cleanup_(freep) char *nevra = NULL;
	char epoch[16];

	p->name = header_str(h, RPMTAG_NAME, a);
	p->version = header_str(h, RPMTAG_VERSION, a);
	p->release = header_str(h, RPMTAG_RELEASE, a);
	if (!p->name || !p->version || !p->release)
		return -EBADMSG;
	if (headerIsEntry(h, RPMTAG_EPOCH)) {
		snprintf(epoch, sizeof(epoch), "%llu", (unsigned long long)headerGetNumber(h, RPMTAG_EPOCH));
		p->epoch = aoms_arena_strdup(a, epoch);
		if (!p->epoch)
			return -ENOMEM;
	}
	p->arch = headerIsSource(h) ? "src" : header_str(h, RPMTAG_ARCH, a);
	if (headerIsEntry(h, RPMTAG_VENDOR))
		p->vendor = header_str(h, RPMTAG_VENDOR, a);
	p->sigkey = sigkey_from_header(h, a);
	/* RPMTAG_MODULARITYLABEL (5096) by number: rpm 4.14.2 (EL8) named it, and the EL7
	 * build hosts' rpm 4.11 headers lack the name */
	if (headerIsEntry(h, (rpmTagVal)5096))
		p->modularity_label = header_str(h, (rpmTagVal)5096, a);
	if (!p->arch)
		p->arch = "";
	nevra = aoms_rpm_nevra_format(p->name, p->epoch, p->version, p->release, p->arch);
	p->nevra = nevra ? aoms_arena_strdup(a, nevra) : NULL;
	return p->nevra ? 0 : -ENOMEM;
}

int aoms_rpm_pkg_from_header(struct headerToken_s *h, struct aoms_arena *arena,
			     bool with_files, struct aoms_rpm_pkg *ret)
{
	struct aoms_rpm_pkg p = { 0 };
	int r;

	r = identity_from_header(h, arena, &p);
	if (r < 0)
		return r;
	r = deps_from_header(h, RPMTAG_PROVIDENAME, arena, &p.provides, &p.n_provides);
	if (r < 0)
		return r;
	r = deps_from_header(h, RPMTAG_REQUIRENAME, arena, &p.requires, &p.n_requires);
	if (r < 0)
		return r;
	if (with_files) {
		r = files_from_header(h, arena, &p);
		if (r < 0)
			return r;
	}
	*ret = p;
	return 0;
}
