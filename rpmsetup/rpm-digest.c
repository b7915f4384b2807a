/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <rpm/rpmpgp.h>
#include "rpm-digest.h"

static pthread_once_t digest_once = PTHREAD_ONCE_INIT;
static int digest_init_result;

/* rpmInitCrypto() is what rpmReadConfigFiles() calls first; digests need no more of
 * librpm's configuration, so the report layer does not read rpm's macros for them. */
static void digest_init(void)
{
	digest_init_result = rpmInitCrypto() == 0 ? 0 : -EIO;
}

int aoms_digest_hex(enum aoms_digest_algo algo, const void *data, size_t len, char hex[65])
{
	static const struct { int pgp; size_t size; } algos[] = {
		[AOMS_DIGEST_SHA1] = { PGPHASHALGO_SHA1, 20 },
		[AOMS_DIGEST_SHA256] = { PGPHASHALGO_SHA256, 32 },
	};
	DIGEST_CTX ctx;
	char *got = NULL;
	size_t got_len = 0;

	if ((unsigned)algo >= sizeof(algos) / sizeof(algos[0]))
		return -EINVAL;
	pthread_once(&digest_once, digest_init);
	if (digest_init_result < 0)
		return digest_init_result;
	ctx = rpmDigestInit(algos[algo].pgp, RPMDIGEST_NONE);
	if (!ctx)
		return -EIO;
	if (rpmDigestUpdate(ctx, data, len) != 0) {
		rpmDigestFinal(ctx, NULL, NULL, 0);
		return -EIO;
	}
	/* asAscii: lowercase hex, NUL-terminated */
	if (rpmDigestFinal(ctx, (void **)&got, &got_len, 1) != 0 || !got)
		return -EIO;
	if (strlen(got) != algos[algo].size * 2) {
		free(got);
		return -EIO;
	}
	memcpy(hex, got, algos[algo].size * 2 + 1);
	free(got);
	return 0;
}

int aoms_digest_fd_hex(int pgp_algo, int fd, char *hex, size_t hex_size)
{
	char buf[65536], *got = NULL;
	size_t got_len = 0;
	DIGEST_CTX ctx;
	ssize_t n;

	pthread_once(&digest_once, digest_init);
	if (digest_init_result < 0)
		return digest_init_result;
	if (rpmDigestLength(pgp_algo) == 0 || !(ctx = rpmDigestInit(pgp_algo, RPMDIGEST_NONE)))
		return -EINVAL;
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || rpmDigestUpdate(ctx, buf, (size_t)n) != 0) {
			int e = n < 0 ? -errno : -EIO;

			rpmDigestFinal(ctx, NULL, NULL, 0);
			return e;
		}
	}
	if (rpmDigestFinal(ctx, (void **)&got, &got_len, 1) != 0 || !got)
		return -EIO;
	if (strlen(got) + 1 > hex_size) {
		free(got);
		return -ENOBUFS;
	}
	memcpy(hex, got, strlen(got) + 1);
	free(got);
	return 0;
}
