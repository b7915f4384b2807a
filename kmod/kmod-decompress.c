/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Compressed modules (.ko.xz, .ko.zst, .ko.gz) expanded in memory with the libraries
 * libkmod uses. Output grows in steps and never past the caller's cap, so a bomb
 * costs at most the cap.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "config.h"
#include "kmod.h"
#include "strbuf.h"
#ifdef HAVE_LIBLZMA
#include <lzma.h>
#endif
#ifdef HAVE_LIBZSTD
#include <zstd.h>
#endif

struct outbuf {
	unsigned char *p;
	size_t len, cap, max;
};

/* Room for at least one more byte; -EFBIG at max. */
static int outbuf_grow(struct outbuf *o)
{
	size_t cap = o->cap ? o->cap * 2 : 256u << 10;
	unsigned char *p;

	if (o->cap >= o->max)
		return -EFBIG;
	if (cap > o->max)
		cap = o->max;
	p = realloc(o->p, cap);
	if (!p)
		return -ENOMEM;
	o->p = p;
	o->cap = cap;
	return 0;
}

static int gzip_inflate(const void *buf, size_t size, struct outbuf *o, char **reason)
{
	z_stream z = { .next_in = (Bytef *)buf, .avail_in = (uInt)size };
	int zr = Z_OK, r = 0;

	if (size > UINT32_MAX || inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return -ENOMEM;
	while (zr != Z_STREAM_END && r == 0) {
		if (o->len == o->cap && (r = outbuf_grow(o)) < 0)
			break;
		z.next_out = o->p + o->len;
		z.avail_out = (uInt)(o->cap - o->len);
		zr = inflate(&z, Z_NO_FLUSH);
		o->len = o->cap - z.avail_out;
		if (zr != Z_OK && zr != Z_STREAM_END && !(zr == Z_BUF_ERROR && z.avail_out == 0)) {
			*reason = aoms_strdupf("gzip data does not decompress (%s)",
					       z.msg ? z.msg : "truncated");
			r = -EBADMSG;
		}
	}
	inflateEnd(&z);
	return r;
}

#ifdef HAVE_LIBLZMA
static int xz_decode(const void *buf, size_t size, struct outbuf *o, char **reason)
{
	lzma_stream z = LZMA_STREAM_INIT;
	lzma_ret lr = LZMA_OK;
	int r = 0;

	if (lzma_stream_decoder(&z, 256u << 20, LZMA_CONCATENATED) != LZMA_OK)
		return -ENOMEM;
	z.next_in = buf;
	z.avail_in = size;
	while (lr != LZMA_STREAM_END && r == 0) {
		if (o->len == o->cap && (r = outbuf_grow(o)) < 0)
			break;
		z.next_out = o->p + o->len;
		z.avail_out = o->cap - o->len;
		lr = lzma_code(&z, z.avail_in ? LZMA_RUN : LZMA_FINISH);
		o->len = o->cap - z.avail_out;
		if (lr == LZMA_MEM_ERROR)
			r = -ENOMEM;
		else if (lr != LZMA_OK && lr != LZMA_STREAM_END && !(lr == LZMA_BUF_ERROR && z.avail_out == 0)) {
			*reason = aoms_strdupf("xz data does not decompress (lzma error %d)", (int)lr);
			r = -EBADMSG;
		}
	}
	lzma_end(&z);
	return r;
}
#endif

#ifdef HAVE_LIBZSTD
static int zstd_decode(const void *buf, size_t size, struct outbuf *o, char **reason)
{
	ZSTD_DStream *z = ZSTD_createDStream();
	ZSTD_inBuffer in = { buf, size, 0 };
	size_t zr = 1;
	int r = 0;

	if (!z)
		return -ENOMEM;
	ZSTD_initDStream(z);
	while (zr != 0 && r == 0) {
		ZSTD_outBuffer out;

		if (o->len == o->cap && (r = outbuf_grow(o)) < 0)
			break;
		out = (ZSTD_outBuffer){ o->p, o->cap, o->len };
		zr = ZSTD_decompressStream(z, &out, &in);
		o->len = out.pos;
		if (ZSTD_isError(zr)) {
			*reason = aoms_strdupf("zstd data does not decompress (%s)",
					       ZSTD_getErrorName(zr));
			r = -EBADMSG;
		} else if (zr != 0 && in.pos == in.size && out.pos < out.size) {
			*reason = strdup("zstd data does not decompress (truncated)");
			r = -EBADMSG;
		}
	}
	ZSTD_freeDStream(z);
	return r;
}
#endif

static bool has_magic(const void *buf, size_t size, const char *magic, size_t n)
{
	return size >= n && memcmp(buf, magic, n) == 0;
}

int aoms_kmod_decompress(const void *buf, size_t size, size_t max, void **ret, size_t *ret_size,
			 const char **ret_format, char **ret_reason)
{
	struct outbuf o = { .max = max };
	const char *format;
	char *reason = NULL;
	int r;

	if (has_magic(buf, size, "\xfd" "7zXZ\0", 6)) {
		format = "xz";
#ifdef HAVE_LIBLZMA
		r = xz_decode(buf, size, &o, &reason);
#else
		r = -EPROTONOSUPPORT;
#endif
	} else if (has_magic(buf, size, "\x28\xb5\x2f\xfd", 4)) {
		format = "zstd";
#ifdef HAVE_LIBZSTD
		r = zstd_decode(buf, size, &o, &reason);
#else
		r = -EPROTONOSUPPORT;
#endif
	} else if (has_magic(buf, size, "\x1f\x8b", 2)) {
		format = "gzip";
		r = gzip_inflate(buf, size, &o, &reason);
	} else {
		return 0;
	}
	if (r == -EFBIG)
		reason = aoms_strdupf("%s data expands past %zu MiB", format, max >> 20);
	else if (r == -EPROTONOSUPPORT)
		reason = aoms_strdupf("this aoms was built without %s support", format);
	if (r < 0) {
		free(o.p);
		if (r != -ENOMEM && ret_reason)
			*ret_reason = reason;
		else
			free(reason);
		return r;
	}
	*ret = o.p;
	*ret_size = o.len;
	*ret_format = format;
	return 1;
}
