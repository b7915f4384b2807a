/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Packing a kernel's BTF for the database (btf-blob.h), with zlib. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "btf-blob.h"

int aoms_btf_blob_pack(const void *data, size_t size, void **ret, size_t *ret_size)
{
	uLongf n;
	void *out;

	if (size > AOMS_BTF_MAX)
		return -EFBIG;
	n = compressBound((uLong)size);
	out = malloc(n);
	if (!out)
		return -ENOMEM;
	if (compress2(out, &n, data, (uLong)size, Z_DEFAULT_COMPRESSION) != Z_OK) {
		free(out);
		return -ENOMEM;   /* Z_MEM_ERROR; the buffer is compressBound() */
	}
	*ret = out;
	*ret_size = n;
	return 0;
}

int aoms_btf_blob_unpack(const char *encoding, uint64_t raw_size, const void *blob, size_t size,
			 void **ret)
{
	uLongf n = (uLongf)raw_size;
	void *out;
	int rc;

	if (raw_size > AOMS_BTF_MAX)
		return -EFBIG;
	if (strcmp(encoding, "raw") != 0 && strcmp(encoding, "zlib") != 0)
		return -EBADMSG;
	if (strcmp(encoding, "raw") == 0 && size != raw_size)
		return -EBADMSG;
	out = malloc(raw_size ? raw_size : 1);
	if (!out)
		return -ENOMEM;
	if (strcmp(encoding, "raw") == 0) {
		memcpy(out, blob, size);
	} else if ((rc = uncompress(out, &n, blob, (uLong)size)) != Z_OK || n != raw_size) {
		free(out);
		return rc == Z_MEM_ERROR ? -ENOMEM : -EBADMSG;
	}
	*ret = out;
	return 0;
}
