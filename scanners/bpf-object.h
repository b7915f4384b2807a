/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The model of an eBPF object (an EM_BPF relocatable ELF file, clang -target bpf):
 * what the bpf scanner judges against the target kernel's BPF facts.
 *
 * Reading never loads anything into a kernel and needs no privileges:
 *  - bpf-elf.c decodes the object through the bounds-checked ELF layer (elfio/):
 *    programs (executable sections and the functions in them), helper calls
 *    (BPF_CALL, src_reg 0: imm = helper id), bpf-to-bpf calls (src_reg 1 with a
 *    relocation to a defined function or none), kfunc calls (src_reg 1 relocated
 *    against an undefined symbol, or src_reg 2), legacy "maps" with their types,
 *    ".maps" names, global data sections, .BTF and the CO-RE records of .BTF.ext;
 *  - bpf-libbpf.c (HAVE_LIBBPF) then opens the image with bpf_object__open_mem()
 *    (no load): libbpf's verdict on the object, program and expected attach types,
 *    BTF-defined map types, instruction counts; libbpf's printing goes to aoms_log();
 *  - without libbpf, a program's type comes from its section name by libbpf's
 *    conventions (bpf-sections.c).
 * Limits: instructions decoded per object AOMS_BPF_MAX_INSNS (then the count is
 * kept, decoding stops: calls past it are not seen); libbpf is given objects up to
 * AOMS_BPF_MAX_LIBBPF bytes; at most AOMS_BPF_MAX_ITEMS programs, maps and kfuncs.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "aoms-macro.h"

#define AOMS_BPF_MAX_INSNS (16u << 20)        /* 128 MiB of code */
#define AOMS_BPF_MAX_LIBBPF (64u << 20)
#define AOMS_BPF_MAX_ITEMS 4096
#define AOMS_BPF_MAX_HELPER_ID 4096           /* ids above are kept as "unknown" */
#define AOMS_BPF_INSN_LIMIT 4096              /* before 5.2; unprivileged always */
#define AOMS_BPF_INSN_LIMIT_BIG 1000000       /* 5.2+, privileged */

struct aoms_bpf_prog {
	char *name;             /* the function ("handle_exec"), or the section's name */
	char *section;          /* "tracepoint/syscalls/sys_enter_execve" */
	int type;               /* enum bpf_prog_type; -1: unknown */
	int attach_type;        /* enum bpf_attach_type; -1: none or unknown */
	char *attach_name;      /* libbpf's name of attach_type, NULL: unknown */
	uint64_t insn_cnt;
};

struct aoms_bpf_map {
	char *name;
	char *section;          /* "maps", ".maps", ".data", ".rodata"... */
	int type;               /* enum bpf_map_type; -1: unknown (.maps without libbpf) */
	bool internal;          /* global data (.data/.rodata/.bss/.kconfig) */
};

struct aoms_bpf_object {
	struct aoms_bpf_prog *progs;
	size_t n_progs;
	struct aoms_bpf_map *maps;
	size_t n_maps;
	int *helpers;           /* distinct helper ids, ascending */
	size_t n_helpers;
	char **kfuncs;          /* distinct kfunc names ("btf_id:N" when unnamed), sorted */
	size_t n_kfuncs;
	uint64_t n_helper_calls, n_bpf_calls, n_kfunc_calls;
	uint64_t n_insns;       /* in all executable sections */
	uint64_t max_prog_insns;
	bool insns_truncated;   /* AOMS_BPF_MAX_INSNS reached */
	bool has_btf, has_btf_ext;
	uint32_t n_core_relos;  /* CO-RE relocation records in .BTF.ext */
	struct aoms_bpf_core *core;  /* those records resolved (bpf-core.h); NULL: none, or
				      * no libbpf to read them */
	char *core_error;       /* why they could not be read (libbpf refused the BTF...) */
	char **data_sections;   /* non-empty .data* .rodata* .bss* sections, sorted */
	size_t n_data_sections;
	char *license;          /* the "license" section, NULL: none */
	bool libbpf_used;       /* libbpf opened it (types are libbpf's) */
};

struct aoms_bpf_core;

/* Accepts NULL. */
void aoms_bpf_object_free(struct aoms_bpf_object *o);
DEFINE_FREE_FUNC(struct aoms_bpf_object, aoms_bpf_object_free)

/*
 * Reads the eBPF object in the size bytes at buf (bpf-elf.c, then libbpf when
 * built with it). Returns 0 and *ret; -EBADMSG when the object is damaged or
 * libbpf refuses it, with *ret_reason (caller frees) naming why; -ENOEXEC when it
 * is no EM_BPF object; -ENOMEM.
 */
int aoms_bpf_object_read(const void *buf, size_t size, const char *name,
			 struct aoms_bpf_object **ret, char **ret_reason);

/* Internal steps of aoms_bpf_object_read(). */
int aoms_bpf_elf_read(const void *buf, size_t size, struct aoms_bpf_object *o, char **ret_reason);
/* 0, -EBADMSG with *ret_reason (libbpf's message), -ENOMEM; 0 and nothing done
 * without libbpf. */
int aoms_bpf_libbpf_read(const void *buf, size_t size, const char *name,
			 struct aoms_bpf_object *o, char **ret_reason);

/* Routes libbpf's printing to aoms_log() (once per process; nothing without
 * libbpf). Every caller of libbpf in scanners/ calls it first. */
void aoms_bpf_libbpf_log_setup(void);

/*
 * libbpf's parse of size bytes of raw BTF (btf__new(), printing routed), into *ret
 * (release with btf__free()). Returns 0; -EBADMSG with *ret_reason (caller frees)
 * "libbpf does not accept WHOSE BTF: ..." when libbpf refuses it; -EOPNOTSUPP
 * without libbpf; -ENOMEM.
 */
struct btf;
int aoms_bpf_btf_new(const void *data, size_t size, const char *whose, struct btf **ret,
		     char **ret_reason);

/* The program type libbpf's section-name conventions give section ("xdp",
 * "kprobe/x", "cgroup/connect4"), or -1; *ret_attach the expected attach type
 * (-1: none). */
int aoms_bpf_section_prog_type(const char *section, int *ret_attach);
