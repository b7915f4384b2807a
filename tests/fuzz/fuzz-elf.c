/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The ELF model reader (scanners/elf-read.c, through elfio/) on one image: as the scan
 * reads it (with the syscall pass: the code decoded with capstone), and with an export
 * callback (the db-build path). */
#include <stdlib.h>
#include "elf-model.h"
#include "fuzz.h"

static int on_export(const char *name, const char *version, bool is_default,
		     const char *type, void *ud)
{
	if (!name || !type)  /* the callback's contract */
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct aoms_elf_read_opts o = { .on_export = on_export };
	const struct aoms_elf_read_opts scan = { .syscalls = true };
	struct aoms_elf *e = NULL;
	char *reason = NULL;

	if (aoms_elf_read_mem(data, size, "fuzz", &scan, &e, &reason) == 0)
		aoms_elf_free(e);
	free(reason);
	e = NULL;
	reason = NULL;
	if (aoms_elf_read_mem(data, size, "fuzz", &o, &e, &reason) == 0)
		aoms_elf_free(e);
	free(reason);
	return 0;
}
