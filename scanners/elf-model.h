/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ELF model: what the application check needs to know of one executable or
 * shared object, read with libelf (never executed). Built by aoms_elf_read(),
 * immutable afterwards, so the check threads share it freely.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include "aoms-macro.h"
#include "arena.h"
#include "libabi.h"
#include "syscall-sites.h"

/* One version requirement (a Vernaux of .gnu.version_r). */
struct aoms_elf_need {
	const char *soname;   /* the Verneed's file */
	const char *version;  /* e.g. "GLIBC_2.34" */
	bool weak;            /* VER_FLG_WEAK */
	uint16_t index;       /* vna_other, what .gnu.version entries refer to */
};

/* The host process an object is a plug-in of, from the entry points it exports or
 * the registration it imports (bits): the host provides some of its symbols and
 * sonames. */
enum aoms_elf_host {
	AOMS_ELF_HOST_PYTHON = 1 << 0,   /* PyInit_*: a CPython extension module */
	AOMS_ELF_HOST_NODE = 1 << 1,     /* napi_register_module_v1, node_register_module_v*,
					  * or imports napi_module_register or
					  * node_module_register: a Node.js addon */
	AOMS_ELF_HOST_JNI = 1 << 2,      /* JNI_OnLoad, JNI_OnLoad_*, Java_*: a JNI library */
	AOMS_ELF_HOST_PERL = 1 << 3,     /* boot_*: a Perl XS module (DynaLoader calls it) */
	AOMS_ELF_HOST_POSTGRES = 1 << 4, /* Pg_magic_func (PG_MODULE_MAGIC): a PostgreSQL
					  * server extension */
};

/* One undefined dynamic symbol. */
struct aoms_elf_import {
	const char *name;
	int need;             /* index into needs[], -1 when unversioned */
	bool weak;            /* STB_WEAK: the program copes with its absence */
};

struct aoms_elf {
	char *path;           /* as walked (absolute when the input was a directory) */
	int elf_class;        /* ELFCLASS32/64 */
	uint16_t machine;     /* e_machine */
	uint16_t type;        /* ET_EXEC, ET_DYN */
	bool dynamic;         /* has a dynamic section */
	bool bind_now;        /* DF_BIND_NOW or DF_1_NOW */
	bool relr;            /* DT_RELR / SHT_RELR: packed relocations (glibc >= 2.36) */
	const char *interp;   /* PT_INTERP, NULL if none */
	const char *soname;   /* DT_SONAME, NULL if none */
	const char *rpath;    /* DT_RPATH, NULL if none */
	const char *runpath;  /* DT_RUNPATH, NULL if none */
	const char **needed;  /* DT_NEEDED, in order */
	size_t n_needed;
	struct aoms_elf_need *needs;
	size_t n_needs;
	struct aoms_elf_import *imports;
	size_t n_imports;
	unsigned hosts;       /* enum aoms_elf_host bits; 0 for an ordinary object */
	unsigned node_abi;    /* node_register_module_vNN's NN (NODE_MODULE_VERSION), else 0 */
	const char *perl_api; /* a Perl XS module's Perl API version ("5.16", from the
			       * "v5.16.0" its boot code hands perl), else NULL */
	uint32_t abi_kernel;  /* .note.ABI-tag minimum kernel as (maj<<16|min<<8|sub), 0 if none */
	/* Defined dynamic symbols and version nodes, for shared objects only (NULL
	 * otherwise): what another object in the tree may bind to. */
	struct aoms_libabi *exports;
	/* The syscalls of its own code (syscall-sites.h), when read with
	 * aoms_elf_read_opts.syscalls; else NULL. */
	struct aoms_elf_syscalls *syscalls;
	/* Private: holds the strings and arrays above. */
	struct aoms_arena *arena;
};

/* Called for every defined dynamic symbol while reading (for building target
 * databases, which need names, not the model's hashes). version is NULL when
 * unversioned; is_default is false for a hidden ("@") version; type is "F" (function),
 * "D" (object), "T" (TLS) or "O" (other). Returns 0 or a negative errno that aborts
 * the read. */
typedef int (*aoms_elf_export_fn)(const char *name, const char *version, bool is_default,
				  const char *type, void *ud);

struct aoms_strpool;

struct aoms_elf_read_opts {
	struct aoms_strpool *pool;      /* NULL: the model keeps its own strings; else names
					 * are interned there (shared by a scan's models) */
	aoms_elf_export_fn on_export;   /* NULL: none; else the exports are reported to it
					 * and ->exports keeps only verdefs and needed, not the
					 * symbol set */
	void *ud;
	bool syscalls;                  /* also find the syscall sites (->syscalls) */
};

/*
 * Reads the ELF file open at fd (path names it in messages and becomes ->path).
 * o may be NULL. Returns 0 and *ret; -ENOEXEC when the file is not an ELF
 * executable or shared object (relocatable, core and debuginfo files included);
 * -EBADMSG when it is an ELF file that cannot be parsed, with a one-line reason in
 * *ret_reason (caller frees; may be NULL); -ENOMEM.
 */
int aoms_elf_read_fd(int fd, const char *path, const struct aoms_elf_read_opts *o,
		     struct aoms_elf **ret, char **ret_reason);
/* The same for an image in memory (size bytes at buf, which must outlive the call
 * only: the model copies what it keeps). */
int aoms_elf_read_mem(const void *buf, size_t size, const char *path,
		      const struct aoms_elf_read_opts *o, struct aoms_elf **ret, char **ret_reason);
/* aoms_elf_read_fd() with no options, or with only an export callback. */
int aoms_elf_read(int fd, const char *path, struct aoms_elf **ret, char **ret_reason);
int aoms_elf_read_exports(int fd, const char *path, struct aoms_elf **ret, char **ret_reason,
			  aoms_elf_export_fn fn, void *ud);

/* Accepts NULL. */
void aoms_elf_free(struct aoms_elf *e);
DEFINE_FREE_FUNC(struct aoms_elf, aoms_elf_free)

/* The RPM-style architecture name of (class, machine): "x86_64", "aarch64", "i686",
 * ...; NULL when aoms has no name for it. */
const char *aoms_elf_arch(int elf_class, uint16_t machine);
