/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The CO-RE check of eBPF objects against the target kernel's BTF in the database
 * (table kernel_btf, btf-blob.h; the relocations: bpf-core.h). Rules
 * bpf.core-type-missing, bpf.core-field-missing, bpf.core-enumval-missing,
 * bpf.core-relo-invalid, and bpf.core-btf-unknown once per scan when the database
 * has no BTF for the kernel (report/rules-builtin.c).
 *
 * The target's BTF is read, inflated, parsed by libbpf and indexed once per scan,
 * on the first object that has CO-RE relocations; a scan without such objects asks
 * the database nothing, and a database without BTF costs one query.
 */
#pragma once

#include "bpf-object.h"
#include "scanner.h"

struct aoms_bpf_core_target;

/* The per-scan state for kernel (`--kernel`: a release; NULL: the newest kernel
 * with BTF). No database work yet. 0 or -ENOMEM. */
int aoms_bpf_core_target_new(struct aoms_abidb *db, const char *kernel,
			     struct aoms_bpf_core_target **ret);
/* Accepts NULL. */
void aoms_bpf_core_target_free(struct aoms_bpf_core_target *t);

/* Judges o's CO-RE relocations (ctx->bpf_core; nothing without it). bpf_kernel is
 * the BPF facts' label for the findings' evidence (may be NULL). 0, -ENOMEM, -EIO. */
int aoms_check_bpf_core(const struct aoms_scan_ctx *ctx, const struct aoms_file *f,
			const struct aoms_bpf_object *o, const char *bpf_kernel);

/* After the check phase: bpf.core-btf-unknown (info) on the first object in path
 * order whose relocations could not be judged, counting them all. 0 or -ENOMEM. */
int aoms_bpf_core_target_finish(const struct aoms_scan_ctx *ctx);
