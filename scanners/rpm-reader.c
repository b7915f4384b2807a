/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The librpm side of reading an .rpm file; runs only in a package-reading child
 * (rpm-child.h), never in the scanning process. The header is read with
 * rpmReadPackageFile(): signatures off (_RPMVSF_NOSIGNATURES, in rpm 4.14 and
 * 4.18) but header digests on, and an empty keyring so librpm never goes looking
 * for the host's rpmdb. rpmReadPackageFile() verifies no payload item (it sets
 * RPMVSF_NEEDPAYLOAD itself), so the payload digest is checked here over the
 * compressed payload with rpmDigest*(), which both versions have. The payload is
 * read from our descriptor at the offset where the header ended: librpm's
 * decompressor (Fdopen "r.<io>") feeds rpmfiNewArchiveReader().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <rpm/header.h>
#include <rpm/rpmarchive.h>
#include <rpm/rpmfi.h>
#include <rpm/rpmfiles.h>
#include <rpm/rpmio.h>
#include <rpm/rpmkeyring.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmpgp.h>
#include <rpm/rpmtag.h>
#include <rpm/rpmtd.h>
#include <rpm/rpmts.h>
#include "arena.h"
#include "rpm-child.h"
#include "rpm-file.h"
#include "rpm-file-private.h"
#include "rpm-header.h"
#include "rpm-stream.h"
#include "strbuf.h"

/* librpm prefixes messages with the name it is given; it is stripped again. */
#define RPM_FN "package"

struct reader {
	int fd, wfd;
	off_t payload_off;
	Header h;
	const char *compressor;  /* RPMTAG_PAYLOADCOMPRESSOR, "gzip" when absent */
	const char *format;      /* RPMTAG_PAYLOADFORMAT, "cpio" when absent */
	struct aoms_arena *arena;
	struct aoms_rpm_pkg pkg;
	struct aoms_strbuf out;
	char *reason;
};

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

static int set_reason(struct reader *rd, int err, const char *fmt, ...) _printf_(3, 4);
static int set_reason(struct reader *rd, int err, const char *fmt, ...)
{
	va_list ap;

	if (!rd->reason) {
		va_start(ap, fmt);
		if (vasprintf(&rd->reason, fmt, ap) < 0)
			rd->reason = NULL;
		va_end(ap);
	}
	return err;
}

/* Sends (and empties) the records built in rd->out. */
static int flush(struct reader *rd)
{
	int r = aoms_rpm_child_write(rd->wfd, rd->out.buf, rd->out.len);

	aoms_strbuf_reset(&rd->out);
	return r;
}

static const char *strip_fn(const char *msg)
{
	size_t n = strlen(RPM_FN);

	return strncmp(msg, RPM_FN ": ", n + 2) == 0 ? msg + n + 2 : msg;
}

static rpmts rpm_ts_new(void)
{
	rpmts ts = rpmtsCreate();
	rpmKeyring kr = rpmKeyringNew();

	/* An empty keyring keeps rpmReadPackageFile() from loading the host's. */
	rpmtsSetKeyring(ts, kr);
	rpmKeyringFree(kr);
	rpmtsSetVSFlags(ts, _RPMVSF_NOSIGNATURES);
	return ts;
}

static int read_header(struct reader *rd)
{
	struct aoms_rpm_capture cap;
	rpmts ts;
	FD_t fd;
	rpmRC rc = RPMRC_FAIL;
	off_t end;
	int r = aoms_rpm_header_check_file(rd->fd, &end, &rd->reason);

	if (r < 0)
		return r;
	if (lseek(rd->fd, 0, SEEK_SET) < 0)
		return -errno;
	ts = rpm_ts_new();
	fd = fdDup(rd->fd);  /* shares rd->fd's file offset */
	aoms_rpm_capture_begin(&cap);
	if (fd && !Ferror(fd))
		rc = rpmReadPackageFile(ts, fd, RPM_FN, &rd->h);
	if (rc == RPMRC_OK || rc == RPMRC_NOTTRUSTED || rc == RPMRC_NOKEY) {
		rd->payload_off = lseek(rd->fd, 0, SEEK_CUR);
		r = rd->payload_off < 0 ? -errno : 0;
		if (r == 0 && rd->payload_off != end)
			r = set_reason(rd, -EBADMSG, "the header ends at %lld, librpm read to %lld",
				       (long long)end, (long long)rd->payload_off);
	} else {
		r = set_reason(rd, -EBADMSG, "%s", cap.error ? strip_fn(cap.error) :
						   "cannot read the package header");
	}
	aoms_rpm_capture_end(&cap);
	if (fd)
		Fclose(fd);
	rpmtsFree(ts);
	return r;
}

static int fill(struct reader *rd)
{
	const char *s;
	int r = aoms_rpm_pkg_from_header(rd->h, rd->arena, true, &rd->pkg);

	if (r == -EBADMSG)
		return set_reason(rd, r, "the header has no name, version or release");
	if (r < 0)
		return r;
	s = headerGetString(rd->h, RPMTAG_PAYLOADCOMPRESSOR);
	rd->compressor = aoms_arena_strdup(rd->arena, s ? s : "gzip");
	s = headerGetString(rd->h, RPMTAG_PAYLOADFORMAT);
	rd->format = aoms_arena_strdup(rd->arena, s ? s : "cpio");
	return rd->compressor && rd->format ? 0 : -ENOMEM;
}

static const char *algo_name(uint32_t algo)
{
	switch (algo) {
	case PGPHASHALGO_MD5: return "MD5";
	case PGPHASHALGO_SHA1: return "SHA1";
	case PGPHASHALGO_SHA256: return "SHA256";
	case PGPHASHALGO_SHA384: return "SHA384";
	case PGPHASHALGO_SHA512: return "SHA512";
	default: return "payload";
	}
}

/* RPMTAG_PAYLOADDIGEST (hex, of the compressed payload), when the package has one. */
static int check_payload_digest(struct reader *rd)
{
	rpmtd td = rpmtdNew();
	uint32_t algo = PGPHASHALGO_SHA256;
	_cleanup_(freep) char *want = NULL, *got = NULL;
	unsigned char buf[65536];
	DIGEST_CTX ctx = NULL;
	off_t off = rd->payload_off;
	ssize_t n;

	if (headerGet(rd->h, RPMTAG_PAYLOADDIGEST, td, HEADERGET_MINMEM)) {
		const char *s = rpmtdNextString(td);

		want = s ? strdup(s) : NULL;
	}
	rpmtdFree(td);
	if (!want)
		return 0;
	if (headerIsEntry(rd->h, RPMTAG_PAYLOADDIGESTALGO))
		algo = (uint32_t)headerGetNumber(rd->h, RPMTAG_PAYLOADDIGESTALGO);
	ctx = rpmDigestInit((int)algo, RPMDIGEST_NONE);
	if (!ctx)
		return 0;   /* an algorithm this librpm lacks: not verifiable here */
	while ((n = pread(rd->fd, buf, sizeof(buf), off)) > 0) {
		rpmDigestUpdate(ctx, buf, (size_t)n);
		off += n;
	}
	rpmDigestFinal(ctx, (void **)&got, NULL, 1);
	if (n < 0)
		return -errno;
	if (!got || strcasecmp(got, want) != 0)
		return set_reason(rd, -EBADMSG, "payload %s digest: BAD (expected %s, got %s)",
				  algo_name(algo), want, got ? got : "nothing");
	return 0;
}

/* ---- the payload ---- */

struct walk {
	struct reader *rd;
	FD_t zfd;
	rpmfiles files;
	rpmfi fi;
};

static int walk_fail(struct walk *w, const char *path)
{
	return set_reason(w->rd, -EBADMSG, "payload file '%s' is truncated or corrupt", path);
}

/* The other names of the current file's content (its hard links). */
static int send_links(struct walk *w, const struct aoms_rpm_file_entry *f)
{
	const int *ix = NULL;
	uint32_t n = rpmfiFNlink(w->fi) > 1 ? rpmfiFLinks(w->fi, &ix) : 0;
	int self = rpmfiFX(w->fi), r = 0;

	for (uint32_t i = 0; r >= 0 && ix && i < n; i++) {
		struct aoms_rpm_file_entry l = *f;
		_cleanup_(freep) char *path = NULL;

		if (ix[i] == self || !(path = rpmfilesFN(w->files, ix[i])))
			continue;
		l.path = path;
		l.mode = rpmfilesFMode(w->files, ix[i]);
		r = aoms_rpm_rec_put_file(&w->rd->out, AOMS_RPM_REC_LINK, &l);
	}
	return r;
}

/* DATA: the head, the 4 bytes read, the rest in slices. On a read error the
 * record is completed with zeros (the ERROR record that follows voids it). */
static int send_data(struct walk *w, const struct aoms_rpm_file_entry *f, const unsigned char *head)
{
	static unsigned char buf[65536];
	uint64_t got = sizeof(elf_magic);
	int r = aoms_rpm_rec_put_head(&w->rd->out, AOMS_RPM_REC_DATA, f->size);
	bool failed = false;

	r = r < 0 ? r : aoms_strbuf_add(&w->rd->out, (const char *)head, sizeof(elf_magic));
	r = r < 0 ? r : flush(w->rd);
	while (r >= 0 && got < f->size) {
		size_t want = f->size - got < sizeof(buf) ? (size_t)(f->size - got) : sizeof(buf);
		ssize_t n = failed ? -1 : rpmfiArchiveRead(w->fi, buf, want);

		if (n <= 0) {
			failed = true;
			memset(buf, 0, want);
			n = (ssize_t)want;
		}
		r = aoms_rpm_child_write(w->rd->wfd, buf, (size_t)n);
		got += (uint64_t)n;
	}
	return r < 0 ? r : failed ? walk_fail(w, f->path) : 0;
}

static int walk_file(struct walk *w)
{
	struct aoms_rpm_file_entry f = { 0 };
	unsigned char head[sizeof(elf_magic)];
	int r;

	f.mode = rpmfiFMode(w->fi);
	f.size = (uint64_t)rpmfiFSize(w->fi);
	f.path = rpmfiFN(w->fi);
	if (!S_ISREG(f.mode) || !rpmfiArchiveHasContent(w->fi) || f.size < sizeof(head) ||
	    f.size > AOMS_RPM_MAX_FILE_SIZE || !f.path)
		return 0;
	if (rpmfiArchiveRead(w->fi, head, sizeof(head)) != (ssize_t)sizeof(head))
		return walk_fail(w, f.path);
	if (memcmp(head, elf_magic, sizeof(head)) != 0)
		return 0;  /* the archive reader skips the rest itself */
	r = aoms_rpm_rec_put_file(&w->rd->out, AOMS_RPM_REC_FILE, &f);
	r = r < 0 ? r : send_links(w, &f);
	return r < 0 ? r : send_data(w, &f, head);
}

static int walk_archive(struct walk *w)
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

		return set_reason(w->rd, -EBADMSG, "corrupt %s payload: %s", w->rd->compressor,
				  msg ? msg : "read error");
	}
	/* rpm stops at the archive trailer; reading on to the end of the stream
	 * makes the decompressor verify its checksum (gzip CRC32, xz check). */
	while ((n = Fread(buf, 1, sizeof(buf), w->zfd)) > 0)
		;
	if (n < 0 || Ferror(w->zfd))
		return set_reason(w->rd, -EBADMSG, "the %s payload fails its integrity check",
				  w->rd->compressor);
	return 0;
}

static const char *payload_io(const char *compressor)
{
	for (size_t i = 0; i < ARRAY_SIZE(payload_ios); i++)
		if (strcmp(payload_ios[i].name, compressor) == 0)
			return payload_ios[i].mode;
	return NULL;
}

static int walk_payload(struct reader *rd)
{
	struct walk w = { .rd = rd };
	struct aoms_rpm_capture cap;
	const char *mode = payload_io(rd->compressor);
	FD_t fd;
	int r;

	if (strcmp(rd->format, "cpio") != 0 || !mode)
		return set_reason(rd, -EOPNOTSUPP, "unsupported payload: %s, %s compression",
				  rd->format, rd->compressor);
	if (rd->pkg.n_files == 0)
		return 0;
	if (lseek(rd->fd, rd->payload_off, SEEK_SET) < 0)
		return -errno;
	aoms_rpm_capture_begin(&cap);
	fd = fdDup(rd->fd);
	w.zfd = fd ? Fdopen(fd, mode) : NULL;
	if (!w.zfd || Ferror(w.zfd)) {
		r = set_reason(rd, -EBADMSG, "cannot decompress the %s payload", rd->compressor);
		if (w.zfd || fd)
			Fclose(w.zfd ? w.zfd : fd);
		aoms_rpm_capture_end(&cap);
		return r;
	}
	w.files = rpmfilesNew(NULL, rd->h, RPMTAG_BASENAMES, RPMFI_KEEPHEADER);
	w.fi = w.files ? rpmfiNewArchiveReader(w.zfd, w.files, RPMFI_ITER_READ_ARCHIVE) : NULL;
	r = w.fi ? walk_archive(&w) : -ENOMEM;
	rpmfiFree(w.fi);
	rpmfilesFree(w.files);
	Fclose(w.zfd);
	if (r == -EBADMSG && cap.error && rd->reason) {
		char *s = aoms_strdupf("%s (%s)", rd->reason, strip_fn(cap.error));

		if (s) {
			free(rd->reason);
			rd->reason = s;
		}
	}
	aoms_rpm_capture_end(&cap);
	return r;
}

int aoms_rpm_reader_run(int wfd, void *job)
{
	const struct aoms_rpm_job *j = job;
	struct aoms_rpm_capture cap;   /* librpm stays silent in the child */
	struct reader rd = { .fd = j->fd, .wfd = wfd };
	int r;

	aoms_rpm_capture_begin(&cap);
	r = aoms_arena_new(&rd.arena);
	if (r >= 0)
		r = read_header(&rd);
	if (r >= 0)
		r = fill(&rd);
	if (r >= 0 && !j->payload) {
		r = check_payload_digest(&rd);
		if (r >= 0)
			r = aoms_rpm_rec_put_pkg(&rd.out, &rd.pkg);
	} else if (r >= 0) {
		r = walk_payload(&rd);
	}
	if (r >= 0)
		r = aoms_rpm_rec_put_head(&rd.out, AOMS_RPM_REC_END, 0);
	else
		r = aoms_rpm_rec_put_error(&rd.out, -r, rd.reason ? rd.reason : strerror(-r));
	r = r < 0 ? -ENOMEM : flush(&rd);
	aoms_rpm_capture_end(&cap);
	/* The child exits right after, but the reader also runs in-process (the fuzz
	 * target), where what it holds must go. */
	aoms_strbuf_release(&rd.out);
	headerFree(rd.h);
	aoms_arena_free(rd.arena);
	free(rd.reason);
	return r;
}
