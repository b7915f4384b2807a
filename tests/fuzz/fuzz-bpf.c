/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The eBPF object reader on one image: its ELF decoding, the CO-RE records of
 * .BTF.ext resolved against its BTF (scanners/bpf-core.c) and libbpf's open. */
#include <stdlib.h>
#include "bpf-object.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aoms_bpf_object *o = NULL;
	char *reason = NULL;

	if (aoms_bpf_object_read(data, size, "fuzz", &o, &reason) == 0)
		aoms_bpf_object_free(o);
	free(reason);
	return 0;
}
