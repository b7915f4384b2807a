/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reading an .rpm file with librpm: its header (identity, Provides/Requires,
 * file list) and, streamed once per call, the ELF files of its payload —
 * decompressed by librpm in memory, never extracted to disk, never rpm2cpio.
 * Signatures and digests are not verified: the package is an input to assess,
 * not something to install. See rpm-common.h for threading.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include "rpm-common.h"

struct aoms_rpm;

/* Whether head (the first n bytes of a file) starts with the RPM lead magic
 * ed ab ee db. */
bool aoms_rpm_is_rpm(const unsigned char *head, size_t n);

/*
 * Opens the package at path and reads its lead, signature header and header.
 * Returns 0 and *ret (free with aoms_rpm_free()); -ENOEXEC when the file is not
 * an RPM (not a regular file, or no lead magic); -EBADMSG when it is a truncated or corrupt one, with a
 * one-line reason in *ret_reason (caller frees; ret_reason may be NULL); -errno
 * when the file cannot be opened or read; -EIO when librpm cannot be
 * initialised; -ENOMEM. Serialised with the other librpm readers.
 */
int aoms_rpm_open(const char *path, struct aoms_rpm **ret, char **ret_reason);

/* The package's header data, owned by r (valid until aoms_rpm_free(r)). */
const struct aoms_rpm_pkg *aoms_rpm_pkg(const struct aoms_rpm *r);

/* Largest single payload file handed to a callback; bigger ELF files are skipped. */
#define AOMS_RPM_MAX_FILE_SIZE (1ULL << 30)

/*
 * Called for a regular payload file whose content starts with the ELF magic:
 * f describes it (path absolute, as installed), data holds its size bytes (both
 * valid only during the call). Returns 0 to go on, or a negative errno that
 * stops the walk and is returned by aoms_rpm_foreach_payload_file().
 */
typedef int (*aoms_rpm_payload_fn)(const struct aoms_rpm_file_entry *f, const void *data,
				   size_t size, void *ud);

/*
 * Streams the payload once, in archive order, calling fn for each ELF file.
 * Only the first 4 bytes of other files are read; each ELF file is read into one
 * buffer freed after fn returns, so memory is bounded by the largest ELF file
 * (at most AOMS_RPM_MAX_FILE_SIZE). Of a set of hard links only the entry that
 * carries the content is reported. May be called again (streams again); not
 * concurrently on the same r, freely on distinct objects.
 * Returns the number of files passed to fn; fn's negative return; -EBADMSG with
 * a one-line reason in *ret_reason (caller frees; may be NULL) when the payload
 * is truncated, badly compressed or not a valid archive; -EOPNOTSUPP with a
 * reason for a payload format or compressor librpm cannot read; -ENOMEM.
 */
int aoms_rpm_foreach_payload_file(struct aoms_rpm *r, aoms_rpm_payload_fn fn, void *ud,
				  char **ret_reason);

/* Accepts NULL. */
void aoms_rpm_free(struct aoms_rpm *r);
DEFINE_FREE_FUNC(struct aoms_rpm, aoms_rpm_free)
