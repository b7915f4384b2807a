/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The stream a package-reading child (scanners/rpm-child.h) sends its parent: a
 * sequence of records, each a 16-byte head {type, 0, length} in host byte order
 * (both ends are the same binary) and length bytes. Records:
 *   PKG   the package model (struct aoms_rpm_pkg), once, when the header was read
 *   FILE  a payload ELF file: mode, size, path; DATA follows
 *   DATA  the file's bytes, length equal to FILE's size
 *   LINK  another name (mode, size, path) of the last FILE's content: a hard link
 *   ERROR errno and a one-line reason; the child's last record
 *   END   success; the child's last record
 * The child is untrusted (librpm runs on hostile input in it): the decoders check
 * every length and count against the record's size and never trust a string's
 * termination. Encoding and decoding need no librpm.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include "rpm-common.h"
#include "strbuf.h"

enum aoms_rpm_rec_type {
	AOMS_RPM_REC_PKG = 'P',
	AOMS_RPM_REC_FILE = 'F',
	AOMS_RPM_REC_DATA = 'D',
	AOMS_RPM_REC_LINK = 'L',
	AOMS_RPM_REC_ERROR = 'E',
	AOMS_RPM_REC_END = 'Z',
};

struct aoms_rpm_rec_head {
	uint32_t type;
	uint32_t zero;
	uint64_t len;
};

/* Largest PKG record (rpm's headers are at most 256 MiB; paths repeat dirnames). */
#define AOMS_RPM_REC_MAX_PKG (512ULL << 20)
/* Largest FILE, LINK and ERROR record. */
#define AOMS_RPM_REC_MAX_SMALL (64ULL << 10)

/*
 * Whether h is a record head the parent accepts: a known type, zero padding, and a
 * length within the type's limit (DATA up to max_data). Returns 0 or -EBADMSG.
 */
int aoms_rpm_rec_head_check(const struct aoms_rpm_rec_head *h, uint64_t max_data);

/* Append a record (head and body) to out. All return 0 or -ENOMEM. */
int aoms_rpm_rec_put_pkg(struct aoms_strbuf *out, const struct aoms_rpm_pkg *p);
int aoms_rpm_rec_put_file(struct aoms_strbuf *out, enum aoms_rpm_rec_type type,
			  const struct aoms_rpm_file_entry *f);
int aoms_rpm_rec_put_error(struct aoms_strbuf *out, int err, const char *reason);
/* Only the head of a record of type and length len (DATA, END). */
int aoms_rpm_rec_put_head(struct aoms_strbuf *out, enum aoms_rpm_rec_type type, uint64_t len);

/*
 * Decode a record body of n bytes. Strings and arrays are allocated in arena (the
 * caller owns it). Return 0, -EBADMSG when the body is malformed (a length or
 * count beyond the body, a string with a NUL inside, an unknown operator, bytes
 * left over), -ENOMEM.
 */
int aoms_rpm_rec_get_pkg(const void *body, size_t n, struct aoms_arena *arena,
			 struct aoms_rpm_pkg *ret);
int aoms_rpm_rec_get_file(const void *body, size_t n, struct aoms_arena *arena,
			  struct aoms_rpm_file_entry *ret);
/* *ret_err is a positive errno (EBADMSG when the child sent another value);
 * *ret_reason a heap string the caller frees. */
int aoms_rpm_rec_get_error(const void *body, size_t n, int *ret_err, char **ret_reason);
