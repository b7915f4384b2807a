/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The kernel fact parsers (kfacts/): the symvers, kABI and .config readers over the
 * same input, each row checked against the contract of kfacts.h. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include "fuzz.h"
#include "kfacts.h"

static int on_symvers(const struct aoms_symvers_row *row, void *ud)
{
	if (!row->name || !*row->name || row->crc > 0xffffffffLL || (!row->module && row->crc >= 0))
		abort();
	return 0;
}

static int on_kconfig(const struct aoms_kconfig_row *row, void *ud)
{
	if (!row->key || !row->value)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aoms_kfacts_error err = {};
	FILE *in;

	if (size == 0 || !(in = fmemopen((void *)data, size, "r")))
		return 0;
	(void)aoms_symvers_foreach(in, on_symvers, NULL, &err);
	aoms_kfacts_error_release(&err);
	rewind(in);
	(void)aoms_kabi_foreach(in, on_symvers, NULL, &err);
	aoms_kfacts_error_release(&err);
	rewind(in);
	(void)aoms_kconfig_foreach(in, on_kconfig, NULL, &err);
	aoms_kfacts_error_release(&err);
	fclose(in);
	return 0;
}
