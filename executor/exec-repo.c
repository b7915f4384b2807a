/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The package directories the operator names (--repo, --source-repo): their RPM
 * headers read with librpm in this process (trusted repositories, unlike the scanned
 * packages of scanners/, which are read in a child), header digests always checked;
 * when the directory holds keys (RPM-GPG-KEY*), every package must carry a signature
 * that verifies with one of them. A package that goes into a transaction, or into the
 * journal for a rollback, is checked whole first (exec_rpm_verify: payload digest too).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <rpm/header.h>
#include <rpm/rpmcli.h>
#include <rpm/rpmkeyring.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmpgp.h>
#include <rpm/rpmts.h>
#include "exec-private.h"
#include "rpm-setup.h"
#include "strbuf.h"

#define KEY_MAX_BYTES (1u << 20)

static int load_key(struct exec_repo *r, const char *path, char **reason)
{
	_cleanup_(freep) char *text = NULL;
	_cleanup_(closep) int dfd = open(r->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	uint8_t *pkt = NULL;
	size_t len = 0, n;
	rpmPubkey key;
	int rc;

	if (dfd < 0 || (rc = exec_read_at(dfd, path, KEY_MAX_BYTES, &text, &n)) < 0)
		return exec_fail(reason, dfd < 0 ? -errno : rc, "cannot read key '%s/%s'", r->dir, path);
	if (pgpParsePkts(text, &pkt, &len) != PGPARMOR_PUBKEY || !(key = rpmPubkeyNew(pkt, len))) {
		free(pkt);
		return exec_fail(reason, -EBADMSG, "'%s/%s' is not an OpenPGP public key", r->dir, path);
	}
	free(pkt);
	rc = rpmKeyringAddKey(r->keyring, key);
	rpmPubkeyFree(key);
	if (rc == 0)
		r->n_keys++;
	return 0;
}

int exec_repo_init(struct exec_repo *r, const char *dir, char **reason)
{
	DIR *d;
	struct dirent *e;
	int rc = 0;

	*r = (struct exec_repo){ .dir = dir };
	if ((rc = aoms_rpm_lib_init(reason)) < 0)
		return rc;
	if (!(r->keyring = rpmKeyringNew()))
		return -ENOMEM;
	if (!(d = opendir(dir)))
		return exec_fail(reason, -errno, "cannot open repository '%s': %s", dir, strerror(errno));
	while (rc == 0 && (e = readdir(d)))
		if (fnmatch("RPM-GPG-KEY*", e->d_name, 0) == 0)
			rc = load_key(r, e->d_name, reason);
	closedir(d);
	return rc;
}

/* by NEVRA, then path: the same build in two directories keeps one order */
static int by_nevra(const void *a, const void *b)
{
	const struct exec_rpm *x = a, *y = b;
	int c = strcmp(x->nevra, y->nevra);

	return c ? c : strcmp(x->path, y->path);
}

/* Reads path's header: header digests, signatures when the repo has keys. */
static int read_header(struct exec_repo *r, const char *path, Header *ret, char **reason)
{
	struct aoms_rpm_capture cap;
	rpmts ts;
	FD_t fd;
	rpmRC rc;
	int res = 0;

	aoms_rpm_lock();
	aoms_rpm_capture_begin(&cap);
	ts = rpmtsCreate();
	rpmtsSetKeyring(ts, r->keyring);
	rpmtsSetVSFlags(ts, r->n_keys ? 0 : _RPMVSF_NOSIGNATURES);
	fd = Fopen(path, "r.ufdio");
	if (!fd || Ferror(fd)) {
		res = exec_fail(reason, -errno ? -errno : -EIO, "cannot open '%s'", path);
	} else {
		rc = rpmReadPackageFile(ts, fd, path, ret);
		/* librpm hands the header out with NOKEY and NOTTRUSTED too */
		if (rc != RPMRC_OK && *ret)
			*ret = headerFree(*ret);
		if (rc == RPMRC_NOTFOUND)
			res = exec_fail(reason, -EBADMSG, "'%s' is not an RPM package", path);
		else if (rc != RPMRC_OK)
			res = exec_fail(reason, -EBADE, "package '%s' does not verify (%s)%s%s", path,
					rc == RPMRC_NOKEY ? "signed with a key the repository does not hold" :
					rc == RPMRC_NOTTRUSTED ? "key not trusted" : "bad digest or signature",
					cap.error ? ": " : "", cap.error ? cap.error : "");
		else if (r->n_keys && !headerIsEntry(*ret, RPMTAG_RSAHEADER) &&
			 !headerIsEntry(*ret, RPMTAG_DSAHEADER)) {
			res = exec_fail(reason, -EBADE, "package '%s' is not signed, and its repository "
					"'%s' has keys", path, r->dir);
			*ret = headerFree(*ret);
		}
	}
	if (fd)
		Fclose(fd);
	rpmtsFree(ts);
	aoms_rpm_capture_end(&cap);
	aoms_rpm_unlock();
	return res;
}

int exec_repo_add(struct exec_repo *r, const char *path, struct exec_rpm **ret, char **reason)
{
	_cleanup_(freep) char *full = path[0] == '/' ? strdup(path) : aoms_strdupf("%s/%s", r->dir, path);
	struct exec_rpm *k;
	Header h = NULL;
	int rc;

	if (!full)
		return -ENOMEM;
	if ((rc = read_header(r, full, &h, reason)) < 0)
		return rc;
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 64;
		struct exec_rpm *v = realloc(r->v, cap * sizeof(*v));

		if (!v) {
			headerFree(h);
			return -ENOMEM;
		}
		r->v = v;
		r->cap = cap;
	}
	k = &r->v[r->n];
	*k = (struct exec_rpm){ .path = TAKE_PTR(full), .repo = r, .h = h, .nevra = exec_header_nevra(h),
				.name = strdup(headerGetString(h, RPMTAG_NAME)) };
	k->arch = strdup(headerIsSource(h) ? "src" : headerGetString(h, RPMTAG_ARCH) ?
			 headerGetString(h, RPMTAG_ARCH) : "");
	r->n++;
	if (!k->nevra || !k->name || !k->arch)
		return -ENOMEM;
	if (ret)
		*ret = k;
	return 0;
}

static int scan_dir(struct exec_repo *r, const char *rel, int depth, char **reason)
{
	_cleanup_(freep) char *dir = *rel ? aoms_strdupf("%s/%s", r->dir, rel) : strdup(r->dir);
	struct dirent **names = NULL;
	int n, rc = 0;

	if (!dir)
		return -ENOMEM;
	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		return exec_fail(reason, -errno, "cannot read repository '%s': %s", dir, strerror(errno));
	for (int i = 0; i < n; i++) {
		const char *e = names[i]->d_name;
		size_t len = strlen(e);
		_cleanup_(freep) char *sub = *rel ? aoms_strdupf("%s/%s", rel, e) : strdup(e);
		_cleanup_(freep) char *full = sub ? aoms_strdupf("%s/%s", r->dir, sub) : NULL;
		struct stat st;

		if (rc == 0 && !full)
			rc = -ENOMEM;
		if (rc < 0 || e[0] == '.' || lstat(full, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode) && depth < 2)
			rc = scan_dir(r, sub, depth + 1, reason);
		else if (S_ISREG(st.st_mode) && len > 4 && strcmp(e + len - 4, ".rpm") == 0 &&
			 (len < 8 || strcmp(e + len - 8, ".src.rpm") != 0))
			rc = exec_repo_add(r, sub, NULL, reason);
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int exec_repo_scan(struct exec_repo *r, char **reason)
{
	int rc = scan_dir(r, "", 0, reason);

	if (rc == 0 && r->n)
		qsort(r->v, r->n, sizeof(*r->v), by_nevra);
	return rc;
}

int exec_repo_scan_all(struct exec_repo *v, size_t n, char **reason)
{
	size_t total = 0;
	struct exec_rpm *all;
	int r = 0;

	for (size_t i = 0; r == 0 && i < n; i++)
		r = exec_repo_scan(&v[i], reason);
	if (r < 0 || n < 2)
		return r;
	for (size_t i = 0; i < n; i++)
		total += v[i].n;
	if (!(all = realloc(v[0].v, (total ? total : 1) * sizeof(*all))))
		return -ENOMEM;
	v[0].v = all;
	v[0].cap = total;
	for (size_t i = 1; i < n; i++) {
		if (v[i].n)
			memcpy(all + v[0].n, v[i].v, v[i].n * sizeof(*all));
		v[0].n += v[i].n;
		free(v[i].v);
		v[i].v = NULL;
		v[i].n = v[i].cap = 0;
	}
	qsort(all, v[0].n, sizeof(*all), by_nevra);
	return 0;
}

void exec_repo_release(struct exec_repo *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].path);
		free(r->v[i].nevra);
		free(r->v[i].name);
		free(r->v[i].arch);
		headerFree(r->v[i].h);
	}
	free(r->v);
	if (r->keyring)
		rpmKeyringFree(r->keyring);
	*r = (struct exec_repo){ 0 };
}

int exec_rpm_verify(const char *path, struct rpmKeyring_s *keyring, size_t n_keys, char **reason)
{
	struct aoms_rpm_capture cap;
	const char *argv[] = { path, NULL };
	rpmKeyring kr;
	rpmts ts;
	int failed;

	aoms_rpm_lock();
	aoms_rpm_capture_begin(&cap);
	ts = rpmtsCreate();
	kr = keyring ? rpmKeyringLink(keyring) : rpmKeyringNew();
	rpmtsSetKeyring(ts, kr);   /* never the host's keys */
	rpmKeyringFree(kr);
	/* rpmcliVerifySignatures() reads the verify flags and level: with keys, a
	 * signature is required; without, the digests (header and payload) */
	rpmtsSetVfyFlags(ts, n_keys ? 0 : RPMVSF_MASK_NOSIGNATURES);
	rpmtsSetVfyLevel(ts, n_keys ? RPMSIG_DIGEST_TYPE | RPMSIG_SIGNATURE_TYPE : RPMSIG_DIGEST_TYPE);
	failed = rpmcliVerifySignatures(ts, (ARGV_const_t)argv);
	rpmtsFree(ts);
	if (failed)
		exec_fail(reason, -EBADE, "package '%s' fails its %s check%s%s", path,
			  n_keys ? "digest and signature" : "digest", cap.error ? ": " : "",
			  cap.error ? cap.error : "");
	aoms_rpm_capture_end(&cap);
	aoms_rpm_unlock();
	return failed ? -EBADE : 0;
}
