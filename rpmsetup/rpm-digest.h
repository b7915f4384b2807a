/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Message digests through librpm's rpmDigest*() (rpmpgp.h), which rpm 4.14 (EL8,
 * OpenSSL or NSS underneath) and 4.18 (Debian 12, libgcrypt) both have: aoms writes
 * no cryptography of its own and links no second crypto library. Used by report/ for
 * the ids Leapp's report format spells as hex digests (render-leapp.c).
 */
#pragma once

#include <stddef.h>

enum aoms_digest_algo {
	AOMS_DIGEST_SHA1,     /* 40 hex digits */
	AOMS_DIGEST_SHA256,   /* 64 hex digits */
};

/* Lowercase hex of the digest of data (len bytes) into hex, which must hold 65 bytes.
 * Thread-safe. Returns 0; -EINVAL for an unknown algo; -ENOMEM; -EIO when librpm's
 * crypto backend fails. */
int aoms_digest_hex(enum aoms_digest_algo algo, const void *data, size_t len, char hex[65]);

/*
 * The digest of everything readable from fd (from its current offset to EOF) as
 * lowercase hex into hex (hex_size >= 129 holds every algorithm). pgp_algo is a
 * pgpHashAlgo (PGPHASHALGO_SHA256 = 8, PGPHASHALGO_MD5 = 1: the numbers rpm headers
 * store for file digests). Thread-safe. Returns 0; -EINVAL for an algorithm librpm
 * lacks; -ENOBUFS when hex is too small; -EIO; the -errno of a failed read().
 */
int aoms_digest_fd_hex(int pgp_algo, int fd, char *hex, size_t hex_size);
