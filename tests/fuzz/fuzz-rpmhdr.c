/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What aoms parses of an RPM itself, without librpm: the raw header check that runs
 * before librpm may walk a package (scanners/rpm-header.h, over a memfd) and the
 * record decoders of the parent side of the librpm child (scanners/rpm-stream.h; the
 * first byte picks the record). Both are fast, so this target reaches the depth the
 * `rpm` target (a child process per input) cannot. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "arena.h"
#include "fuzz.h"
#include "rpm-header.h"
#include "rpm-stream.h"

static void decode_record(const uint8_t *data, size_t size)
{
	struct aoms_arena *arena = NULL;
	struct aoms_rpm_pkg pkg;
	struct aoms_rpm_file_entry fe;
	char *reason = NULL;
	int err;

	if (size < 1 || aoms_arena_new(&arena) < 0)
		return;
	switch (data[0] % 3) {
	case 0: (void)aoms_rpm_rec_get_pkg(data + 1, size - 1, arena, &pkg); break;
	case 1: (void)aoms_rpm_rec_get_file(data + 1, size - 1, arena, &fe); break;
	default:
		if (aoms_rpm_rec_get_error(data + 1, size - 1, &err, &reason) == 0 && err <= 0)
			abort();   /* the contract: a positive errno */
		free(reason);
	}
	aoms_arena_free(arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *reason = NULL;
	off_t end = 0;
	int fd = memfd_create("fuzz.rpm", MFD_CLOEXEC);

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	if (aoms_rpm_header_check_file(fd, &end, &reason) == 0 && (end < 0 || (size_t)end > size))
		abort();   /* the payload starts inside the file */
	free(reason);
	close(fd);
	decode_record(data, size);
	return 0;
}
