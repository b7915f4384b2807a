/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Judging an eBPF object (bpf-object.h) against the target kernel's BPF facts in
 * the database (abidb-bpf.h; the kernel label of ctx->kernel, else the database's
 * bpf_kernel) and its kernel config (CONFIG_DEBUG_INFO_BTF, CONFIG_BPF_LSM). Rules
 * bpf.* (report/rules-builtin.c); the file's summary (verdict derived from the findings,
 * needs "kernel-bpf" = the newest upstream release among the features it uses,
 * "btf" = "vmlinux" when it has CO-RE relocations).
 */
#pragma once

#include "bpf-object.h"
#include "scanner.h"

/* Adds the findings and the summary of f. Returns 0, or -ENOMEM / -EIO (the
 * database) that stop the scan. */
int aoms_check_bpf(const struct aoms_scan_ctx *ctx, const struct aoms_file *f,
		   const struct aoms_bpf_object *o);

/* bpf.malformed for f naming reason, and a summary with verdict "unknown".
 * Returns 0 or -ENOMEM. */
int aoms_bpf_report_malformed(const struct aoms_scan_ctx *ctx, const struct aoms_file *f,
			      const char *reason);

/* A finding of rule for f in the kernel dimension, with f's locus and package and
 * the evidence bpf_kernel (the BPF facts' label; NULL: none). 0 or -ENOMEM. */
int aoms_bpf_finding_new(const struct aoms_scan_ctx *ctx, const struct aoms_file *f,
			 const char *bpf_kernel, const char *rule, enum aoms_severity sev,
			 bool inhibitor, struct aoms_finding **ret);
