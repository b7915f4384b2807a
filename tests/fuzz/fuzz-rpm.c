/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The RPM reader (scanners/rpm-file.c over librpm): header, then the payload stream,
 * each ELF member read into the model as a scan does. aoms_rpm_open() takes a path:
 * the input is a memfd opened as /proc/self/fd/N. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include "elf-model.h"
#include "fuzz.h"
#include "rpm-file.h"

static int on_file(const struct aoms_rpm_file_entry *f, const void *data, size_t size, void *ud)
{
	struct aoms_elf *e = NULL;

	if (aoms_elf_read_mem(data, size, f->path, NULL, &e, NULL) == 0)
		aoms_elf_free(e);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	_cleanup_(aoms_rpm_freep) struct aoms_rpm *r = NULL;
	char path[64], *reason = NULL;
	int fd;

	fd = memfd_create("fuzz.rpm", MFD_CLOEXEC);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (aoms_rpm_open(path, &r, &reason) == 0)
		(void)aoms_rpm_foreach_payload_file(r, on_file, NULL, &reason);
	free(reason);
	close(fd);
	return 0;
}
