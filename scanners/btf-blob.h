/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A kernel's vmlinux BTF as the database keeps it (abidb-kernel.h, table
 * kernel_btf): found and validated by `aoms db build` (dbbuild-btf.c), packed with
 * zlib (vmlinux BTF is ~5 MB and deflates to about a third), unpacked for the CO-RE
 * check (check-bpf-core.c). BTF is always parsed by libbpf, never here.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* The most BTF a kernel may have: a distribution vmlinux has ~5 MB. */
#define AOMS_BTF_MAX (64u << 20)

/* data deflated into *ret (caller frees), *ret_size bytes. 0, -EFBIG (over
 * AOMS_BTF_MAX), -ENOMEM. */
int aoms_btf_blob_pack(const void *data, size_t size, void **ret, size_t *ret_size);

/* The blob of encoding ("raw", "zlib") that decodes to raw_size bytes, decoded into
 * *ret (caller frees). 0; -EBADMSG (an unknown encoding, a stream that does not
 * inflate to exactly raw_size bytes), -EFBIG (raw_size over AOMS_BTF_MAX), -ENOMEM. */
int aoms_btf_blob_unpack(const char *encoding, uint64_t raw_size, const void *blob, size_t size,
			 void **ret);
