/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reading an .rpm file with librpm: its header (identity, Provides/Requires,
 * file list) and, streamed once per call, the ELF files of its payload —
 * decompressed by librpm, never extracted to disk, never rpm2cpio.
 *
 * The package is untrusted: librpm reads it only in a child process
 * (rpm-child.h), one per aoms_rpm_open() and one per payload walk, which sends
 * the model and the ELF files back over a pipe (rpm-stream.h); this process
 * never calls librpm on the file. In the child the header structures are checked
 * first (rpm-header.h: every tag the readers use has rpm's type and count), then
 * librpm reads the header verifying its digests (SHA256/SHA1 header digests,
 * when the package has them) but not its signatures (keys we do not have: the
 * package is an input to assess, not something to install), and the payload
 * digest (RPMTAG_PAYLOADDIGEST) is checked over the compressed payload. A child
 * that crashes, exceeds its memory budget or its time is a damaged package
 * (-EBADMSG with a reason), never a lost process. Distinct packages are read in
 * parallel (each in its own child).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "rpm-common.h"

struct aoms_rpm;

/* Whether head (the first n bytes of a file) starts with the RPM lead magic
 * ed ab ee db. */
bool aoms_rpm_is_rpm(const unsigned char *head, size_t n);

/* Limits of reading one package; zero fields take the defaults. */
struct aoms_rpm_opts {
	unsigned timeout_s;     /* per child (header, or payload walk); default 600 */
	uint64_t max_inline;    /* payload files up to this many bytes are passed in a
				 * heap buffer, bigger ones in a mapping of a temporary
				 * file ($TMPDIR, O_TMPFILE); default 64 MiB */
	uint64_t mem_budget;    /* the child's address space beyond what it inherits
				 * (RLIMIT_AS; not under AddressSanitizer); default 1 GiB */
};

#define AOMS_RPM_DEFAULT_TIMEOUT_S 600
#define AOMS_RPM_DEFAULT_MAX_INLINE (64ULL << 20)
#define AOMS_RPM_DEFAULT_MEM_BUDGET (1ULL << 30)

/*
 * Opens the package at path and reads its lead, signature header and header.
 * Returns 0 and *ret (free with aoms_rpm_free()); -ENOEXEC when the file is not
 * an RPM (not a regular file, or no lead magic); -EBADMSG when it is a truncated or corrupt one, with a
 * one-line reason in *ret_reason (caller frees; ret_reason may be NULL); -errno
 * when the file cannot be opened or read; -EIO when librpm cannot be
 * initialised; -ENOMEM. Serialised with the other librpm readers.
 */
int aoms_rpm_open(const char *path, struct aoms_rpm **ret, char **ret_reason);
/* The same with limits (o may be NULL: the defaults). The reasons of -EBADMSG
 * include a header check ("header tag DIRNAMES has type I18NSTRING, expected
 * STRING_ARRAY"), a digest ("Header SHA256 digest: BAD (...)", "payload SHA256
 * digest: BAD (...)"), "librpm crashed reading the package (signal 11)" and
 * "timed out after N s reading the package". Reasons never name the file. */
int aoms_rpm_open_ex(const char *path, const struct aoms_rpm_opts *o, struct aoms_rpm **ret,
		     char **ret_reason);

/* The package's header data, owned by r (valid until aoms_rpm_free(r)). */
const struct aoms_rpm_pkg *aoms_rpm_pkg(const struct aoms_rpm *r);

/* Largest single payload file handed to a callback; bigger ELF files are skipped. */
#define AOMS_RPM_MAX_FILE_SIZE (1ULL << 30)

/*
 * Called for a regular payload file whose content starts with the ELF magic:
 * f describes it (path absolute, as installed), data holds its size bytes (both
 * valid only during the call; a file over the max_inline option is a private
 * writable mapping of a temporary file, so only the pages read cost memory).
 * Hard links: each name of the content is passed, in turn, with the same data. Returns 0 to go on, or a negative errno that
 * stops the walk and is returned by aoms_rpm_foreach_payload_file().
 */
typedef int (*aoms_rpm_payload_fn)(const struct aoms_rpm_file_entry *f, const void *data,
				   size_t size, void *ud);

/*
 * Streams the payload once (in a child), in archive order, calling fn for each
 * ELF file name. Only the first 4 bytes of other files are read; one ELF file at
 * a time is held, in memory up to the max_inline option, else in a temporary
 * file. fn is called for a file once the child has sent it whole. May be called
 * again (streams again); not concurrently on the same r, freely on distinct
 * objects.
 * Returns the number of files passed to fn; fn's negative return; -EBADMSG with
 * a one-line reason in *ret_reason (caller frees; may be NULL) when the payload
 * is truncated, badly compressed or not a valid archive; -EOPNOTSUPP with a
 * reason for a payload format or compressor librpm cannot read; -ENOMEM; -errno
 * when no child or temporary file can be made. A child that crashes or times out
 * is -EBADMSG with its reason.
 */
int aoms_rpm_foreach_payload_file(struct aoms_rpm *r, aoms_rpm_payload_fn fn, void *ud,
				  char **ret_reason);

/* Accepts NULL. */
void aoms_rpm_free(struct aoms_rpm *r);
DEFINE_FREE_FUNC(struct aoms_rpm, aoms_rpm_free)
