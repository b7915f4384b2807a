/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * .rpm files through librpm. The header is read with rpmReadPackageFile() with
 * signature and digest checks off and an empty keyring on the transaction set,
 * so librpm never goes looking for the host's rpmdb to load keys. The payload is
 * read from our own descriptor at the offset where the header ended: librpm's
 * decompressor (Fdopen "r.<io>") feeds rpmfiNewArchiveReader(), both of which
 * keep only per-object state, so distinct packages stream in parallel.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <rpm/header.h>
#include <rpm/rpmarchive.h>
#include <rpm/rpmfi.h>
#include <rpm/rpmfiles.h>
#include <rpm/rpmio.h>
#include <rpm/rpmkeyring.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmtag.h>
#include <rpm/rpmts.h>
#include "arena.h"
#include "rpm-file.h"
#include "strbuf.h"

struct aoms_rpm {
	char *path;
	int fd;
	off_t payload_off;
	Header h;
	const char *compressor;  /* RPMTAG_PAYLOADCOMPRESSOR, "gzip" when absent */
	const char *format;      /* RPMTAG_PAYLOADFORMAT, "cpio" when absent */
	struct aoms_arena *arena;
	struct aoms_rpm_pkg pkg;
};

static const unsigned char rpm_lead_magic[4] = { 0xed, 0xab, 0xee, 0xdb };
static const unsigned char elf_magic[4] = { 0x7f, 'E', 'L', 'F' };

/* Payload compressor (as the header names it) -> librpm's rpmio type. */
static const struct {
	const char *name;
	const char *mode;
} payload_ios[] = {
	{ "gzip", "r.gzdio" },
	{ "bzip2", "r.bzdio" },
	{ "xz", "r.xzdio" },
	{ "lzma", "r.lzdio" },
	{ "zstd", "r.zstdio" },
};

bool aoms_rpm_is_rpm(const unsigned char *head, size_t n)
{
	return head && n >= sizeof(rpm_lead_magic) &&
	       memcmp(head, rpm_lead_magic, sizeof(rpm_lead_magic)) == 0;
}

void aoms_rpm_free(struct aoms_rpm *r)
{
	if (!r)
		return;
	if (r->h)
		headerFree(r->h);
	if (r->fd >= 0)
		close(r->fd);
	aoms_arena_free(r->arena);
	free(r->path);
	free(r);
}

const struct aoms_rpm_pkg *aoms_rpm_pkg(const struct aoms_rpm *r)
{
	return &r->pkg;
}

static rpmts rpm_ts_new(void)
{
	rpmts ts = rpmtsCreate();
	rpmKeyring kr = rpmKeyringNew();

	/* An empty keyring keeps rpmReadPackageFile() from loading the host's. */
	rpmtsSetKeyring(ts, kr);
	rpmKeyringFree(kr);
	rpmtsSetVSFlags(ts, _RPMVSF_NOSIGNATURES | _RPMVSF_NODIGESTS);
	return ts;
}

/* Reads lead, signature and header; called with the librpm lock held. */
static int rpm_read_header(struct aoms_rpm *r, char **ret_reason)
{
	struct aoms_rpm_capture cap;
	rpmts ts = rpm_ts_new();
	FD_t fd = fdDup(r->fd);  /* shares r->fd's file offset */
	rpmRC rc = RPMRC_FAIL;
	int ret = 0;

	aoms_rpm_capture_begin(&cap);
	if (fd && !Ferror(fd))
		rc = rpmReadPackageFile(ts, fd, r->path, &r->h);
	if (rc == RPMRC_OK || rc == RPMRC_NOTTRUSTED || rc == RPMRC_NOKEY) {
		r->payload_off = lseek(r->fd, 0, SEEK_CUR);
		if (r->payload_off < 0)
			ret = -errno;
	} else {
		ret = -EBADMSG;
		if (ret_reason)
			*ret_reason = cap.error ? TAKE_PTR(cap.error) :
				      strdup("cannot read the package header");
	}
	aoms_rpm_capture_end(&cap);
	if (fd)
		Fclose(fd);
	rpmtsFree(ts);
	return ret;
}

static int rpm_fill(struct aoms_rpm *r)
{
	const char *s;
	int ret;

	ret = aoms_rpm_pkg_from_header(r->h, r->arena, true, &r->pkg);
	if (ret < 0)
		return ret;
	s = headerGetString(r->h, RPMTAG_PAYLOADCOMPRESSOR);
	r->compressor = aoms_arena_strdup(r->arena, s ? s : "gzip");
	s = headerGetString(r->h, RPMTAG_PAYLOADFORMAT);
	r->format = aoms_arena_strdup(r->arena, s ? s : "cpio");
	return r->compressor && r->format ? 0 : -ENOMEM;
}

int aoms_rpm_open(const char *path, struct aoms_rpm **ret, char **ret_reason)
{
	_cleanup_(aoms_rpm_freep) struct aoms_rpm *r = NULL;
	unsigned char head[4];
	struct stat st;
	ssize_t n;
	int err;

	err = aoms_rpm_lib_init(ret_reason);
	if (err < 0)
		return err;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	/* O_NONBLOCK: a FIFO must not block the open; it is no RPM anyway. */
	r->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (r->fd < 0 || fstat(r->fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -ENOEXEC;
	n = pread(r->fd, head, sizeof(head), 0);
	if (n < 0)
		return -errno;
	if (!aoms_rpm_is_rpm(head, (size_t)n))
		return -ENOEXEC;
	r->path = strdup(path);
	if (!r->path || aoms_arena_new(&r->arena) < 0)
		return -ENOMEM;

	aoms_rpm_lock();
	err = rpm_read_header(r, ret_reason);
	if (err == 0) {
		err = rpm_fill(r);
		if (err == -EBADMSG && ret_reason)
			*ret_reason = strdup("the header has no name, version or release");
	}
	aoms_rpm_unlock();
	if (err < 0)
		return err;
	*ret = TAKE_PTR(r);
	return 0;
}

/* ---- the payload ---- */

struct payload_walk {
	FD_t zfd;
	rpmfi fi;
	aoms_rpm_payload_fn fn;
	void *ud;
	char *reason;
	int count;
};

static int walk_fail(struct payload_walk *w, const char *path)
{
	if (!w->reason)
		w->reason = aoms_strdupf("payload file '%s' is truncated or corrupt", path);
	return -EBADMSG;
}

/* Reads exactly size bytes of the current file, into a buffer grown as data
 * arrives (the header's size is not trusted for the allocation). */
static int walk_read_file(struct payload_walk *w, const char *path, const unsigned char *head,
			  size_t size, unsigned char **ret)
{
	size_t cap = size < (1u << 20) ? size : (1u << 20), got = sizeof(elf_magic);
	_cleanup_(freep) unsigned char *buf = malloc(cap);

	if (!buf)
		return -ENOMEM;
	memcpy(buf, head, got);
	while (got < size) {
		ssize_t n;

		if (got == cap) {
			unsigned char *nb;

			cap = cap > size / 2 ? size : cap * 2;
			nb = realloc(buf, cap);
			if (!nb)
				return -ENOMEM;
			buf = nb;
		}
		n = rpmfiArchiveRead(w->fi, buf + got, cap - got);
		if (n <= 0)
			return walk_fail(w, path);
		got += (size_t)n;
	}
	*ret = TAKE_PTR(buf);
	return 0;
}

static int walk_file(struct payload_walk *w)
{
	struct aoms_rpm_file_entry f = { 0 };
	_cleanup_(freep) unsigned char *data = NULL;
	unsigned char head[sizeof(elf_magic)];
	ssize_t n;
	int r;

	f.mode = rpmfiFMode(w->fi);
	f.size = (uint64_t)rpmfiFSize(w->fi);
	f.path = rpmfiFN(w->fi);
	if (!S_ISREG(f.mode) || !rpmfiArchiveHasContent(w->fi) || f.size < sizeof(head) ||
	    f.size > AOMS_RPM_MAX_FILE_SIZE || !f.path)
		return 0;
	n = rpmfiArchiveRead(w->fi, head, sizeof(head));
	if (n != (ssize_t)sizeof(head))
		return walk_fail(w, f.path);
	if (memcmp(head, elf_magic, sizeof(head)) != 0)
		return 0;  /* the archive reader skips the rest itself */
	r = walk_read_file(w, f.path, head, (size_t)f.size, &data);
	if (r < 0)
		return r;
	r = w->fn(&f, data, (size_t)f.size, w->ud);
	if (r < 0)
		return r;
	w->count++;
	return 0;
}

static int walk_archive(struct payload_walk *w, const char *compressor)
{
	char buf[4096];
	ssize_t n;
	int rc, r;

	while ((rc = rpmfiNext(w->fi)) >= 0) {
		r = walk_file(w);
		if (r < 0)
			return r;
	}
	if (rc != RPMERR_ITER_END) {
		_cleanup_(freep) char *msg = rpmfileStrerror(rc);

		if (!w->reason)
			w->reason = aoms_strdupf("corrupt %s payload: %s", compressor,
						 msg ? msg : "read error");
		return -EBADMSG;
	}
	/* rpm stops at the archive trailer; reading on to the end of the stream
	 * makes the decompressor verify its checksum (gzip CRC32, xz check). */
	while ((n = Fread(buf, 1, sizeof(buf), w->zfd)) > 0)
		;
	if (n < 0 || Ferror(w->zfd)) {
		if (!w->reason)
			w->reason = aoms_strdupf("the %s payload fails its integrity check",
						 compressor);
		return -EBADMSG;
	}
	return w->count;
}

static const char *payload_io(const char *compressor)
{
	for (size_t i = 0; i < ARRAY_SIZE(payload_ios); i++)
		if (strcmp(payload_ios[i].name, compressor) == 0)
			return payload_ios[i].mode;
	return NULL;
}

/* The decompressed payload stream, positioned at its start; NULL and errno. */
static FD_t payload_open(struct aoms_rpm *r, const char *mode)
{
	FD_t fd, zfd;

	if (lseek(r->fd, r->payload_off, SEEK_SET) < 0)
		return NULL;
	fd = fdDup(r->fd);
	if (!fd)
		return errno = ENOMEM, NULL;
	zfd = Fdopen(fd, mode);
	if (!zfd || Ferror(zfd)) {
		Fclose(zfd ? zfd : fd);
		return errno = EBADMSG, NULL;
	}
	return zfd;
}

int aoms_rpm_foreach_payload_file(struct aoms_rpm *r, aoms_rpm_payload_fn fn, void *ud,
				  char **ret_reason)
{
	struct payload_walk w = { .fn = fn, .ud = ud };
	struct aoms_rpm_capture cap;
	const char *mode = payload_io(r->compressor);
	rpmfiles files;
	FD_t zfd;
	int ret;

	if (strcmp(r->format, "cpio") != 0 || !mode) {
		if (ret_reason)
			*ret_reason = aoms_strdupf("unsupported payload: %s, %s compression",
						   r->format, r->compressor);
		return -EOPNOTSUPP;
	}
	if (r->pkg.n_files == 0)
		return 0;
	aoms_rpm_capture_begin(&cap);
	zfd = payload_open(r, mode);
	if (!zfd) {
		ret = -errno;
		w.reason = aoms_strdupf("cannot decompress the %s payload", r->compressor);
		goto out;
	}
	files = rpmfilesNew(NULL, r->h, RPMTAG_BASENAMES, RPMFI_KEEPHEADER);
	w.zfd = zfd;
	w.fi = files ? rpmfiNewArchiveReader(zfd, files, RPMFI_ITER_READ_ARCHIVE) : NULL;
	ret = w.fi ? walk_archive(&w, r->compressor) : -ENOMEM;
	rpmfiFree(w.fi);
	rpmfilesFree(files);
	Fclose(zfd);
out:
	if (ret == -EBADMSG && cap.error && w.reason) {
		char *s = aoms_strdupf("%s (%s)", w.reason, cap.error);

		if (s) {
			free(w.reason);
			w.reason = s;
		}
	}
	aoms_rpm_capture_end(&cap);
	if (ret < 0 && ret_reason && w.reason)
		*ret_reason = TAKE_PTR(w.reason);
	free(w.reason);
	return ret;
}
