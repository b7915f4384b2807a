/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Checking an RPM file's header structures before librpm walks them. librpm checks
 * the header's layout (offsets, alignment) but not that a tag has the type and
 * count rpm defines for it, and its file-list code trusts them: a DIRNAMES stored
 * as I18NSTRING crashes rpmfiNext(). These checks need no librpm: they read the
 * raw bytes (the format is rpm's "header structure", big-endian: magic 8e ad e8
 * 01, four reserved bytes, the entry count il, the data size dl, il entries of
 * {tag, type, offset, count}, dl bytes of data).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* rpm's own limits (hdrchkTags, hdrchkData). */
#define AOMS_RPM_HEADER_MAX_TAGS 0xffffu
#define AOMS_RPM_HEADER_MAX_DATA 0x0fffffffu

/*
 * Checks one header structure: blob holds the 16-byte intro, the index and the
 * data (size bytes, exactly 16 + 16 * il + dl). Every entry must be in range
 * (type known, data inside dl, aligned, strings terminated inside dl); each tag
 * the readers use must have rpm's type and count; the file-list tags must agree
 * in count with BASENAMES; DIRINDEXES entries must index DIRNAMES; the names,
 * flags and versions of a dependency kind must agree in count.
 * main is false for a signature header (only the layout is checked).
 * Returns 0, or -EBADMSG with a one-line reason in *ret_reason (caller frees; may
 * be NULL), e.g. "header tag DIRNAMES has type I18NSTRING, expected
 * STRING_ARRAY"; -ENOMEM.
 */
int aoms_rpm_header_check(const unsigned char *blob, size_t size, int main,
			  char **ret_reason);

/*
 * Reads and checks (aoms_rpm_header_check()) the lead, the signature header and
 * the main header of the package open on fd, from offset 0, with pread (fd's
 * offset is untouched). Returns 0 and *ret_end, the offset where the main header
 * ends (the payload starts); -EBADMSG with a reason (truncated, bad magic, sizes
 * over rpm's limits, or a check above); -errno when reading fails; -ENOMEM.
 */
int aoms_rpm_header_check_file(int fd, off_t *ret_end, char **ret_reason);
