/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A module file: read whole (bounded), decompressed when it is .ko.xz/.zst/.gz, its
 * signature trailer split off (include/linux/module_signature.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kmod.h"
#include "strbuf.h"

#define SIG_MAGIC "~Module signature appended~\n"
#define SIG_MAGIC_LEN (sizeof(SIG_MAGIC) - 1)
#define SIG_INFO_LEN 12   /* algo, hash, id_type, signer_len, key_id_len, pad[3], be32 sig_len */

size_t aoms_kmod_strip_signature(const void *buf, size_t size, bool *ret_signed,
				 char **ret_signer)
{
	const unsigned char *p = buf, *info;
	uint64_t sig_len, total;

	*ret_signed = false;
	*ret_signer = NULL;
	if (size < SIG_MAGIC_LEN + SIG_INFO_LEN ||
	    memcmp(p + size - SIG_MAGIC_LEN, SIG_MAGIC, SIG_MAGIC_LEN) != 0)
		return size;
	info = p + size - SIG_MAGIC_LEN - SIG_INFO_LEN;
	sig_len = (uint64_t)info[8] << 24 | info[9] << 16 | info[10] << 8 | info[11];
	total = SIG_MAGIC_LEN + SIG_INFO_LEN + sig_len + info[4] + info[3];
	if (total > size)
		return size;   /* not a trailer after all: the ELF checks judge the bytes */
	*ret_signed = true;
	if (info[3])   /* the pre-PKCS#7 form names the signer in the clear */
		*ret_signer = strndup((const char *)p + size - total, info[3]);
	return size - (size_t)total;
}

/* The whole file, up to max bytes. */
static int kmod_slurp(int fd, size_t max, unsigned char **ret, size_t *ret_size)
{
	struct stat st;
	unsigned char *buf;
	size_t n = 0;

	if (fstat(fd, &st) < 0)
		return -errno;
	if ((uint64_t)st.st_size > max)
		return -EFBIG;
	buf = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!buf)
		return -ENOMEM;
	while (n < (size_t)st.st_size) {
		ssize_t k = pread(fd, buf + n, (size_t)st.st_size - n, (off_t)n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			free(buf);
			return k < 0 ? -errno : -EIO;
		}
		n += (size_t)k;
	}
	*ret = buf;
	*ret_size = n;
	return 0;
}

int aoms_kmod_read_fd(int fd, const char *name_hint, struct aoms_kmod **ret, char **ret_reason)
{
	_cleanup_(freep) unsigned char *raw = NULL;
	_cleanup_(freep) void *plain = NULL;
	const char *format = NULL;
	size_t size = 0, plain_size = 0;
	int r = kmod_slurp(fd, AOMS_KMOD_MAX_SIZE, &raw, &size);

	if (r == -EFBIG) {
		if (ret_reason)
			*ret_reason = aoms_strdupf("larger than %u MiB", AOMS_KMOD_MAX_SIZE >> 20);
		return r;
	}
	if (r < 0)
		return r;
	r = aoms_kmod_decompress(raw, size, AOMS_KMOD_MAX_SIZE, &plain, &plain_size, &format,
				 ret_reason);
	if (r < 0)
		return r;
	r = r > 0 ? aoms_kmod_read_mem(plain, plain_size, name_hint, ret, ret_reason)
		  : aoms_kmod_read_mem(raw, size, name_hint, ret, ret_reason);
	if (r >= 0 && format && !((*ret)->compression = strdup(format))) {
		aoms_kmod_free(TAKE_PTR(*ret));
		return -ENOMEM;
	}
	return r;
}
