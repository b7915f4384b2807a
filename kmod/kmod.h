/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * One Linux kernel module as the loader of the target kernel sees it: its modinfo
 * (vermagic, license, depends, import_ns, ...), the CRCs it was built against
 * (__versions), the symbols it imports (undefined, weak or not) and exports (with
 * their CRCs and whether GPL-only), its signature trailer. Read from a .ko, or a
 * .ko.xz / .ko.zst / .ko.gz decompressed in memory (kmod-decompress.c), through the
 * bounds-checked ELF layer (elfio/). Nothing here judges; kmod-check.h does.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "aoms-macro.h"

/* A compressed module that expands past this is refused (-EFBIG). */
#define AOMS_KMOD_MAX_SIZE (64u << 20)

struct aoms_kmod_symbol {
	const char *name;     /* owned by the module */
	int64_t crc;          /* modversions CRC; < 0: none recorded */
	bool weak;            /* imports: STB_WEAK (may stay unresolved) */
	bool gpl;             /* exports: in __ksymtab_gpl */
};

struct aoms_kmod {
	char *name;           /* .gnu.linkonce.this_module's name, else modinfo name, else
			       * the file name without .ko*; never NULL */
	int elf_class;        /* ELFCLASS32 / ELFCLASS64 */
	uint16_t machine;     /* e_machine */
	/* modinfo values, NULL when absent */
	char *vermagic, *license, *srcversion, *depends, *retpoline, *intree;
	char **import_ns;     /* every import_ns= value, in file order */
	size_t n_import_ns;
	struct aoms_kmod_symbol *imports;   /* undefined symbols, sorted by name, crc from
					     * __versions (< 0 when it lists none) */
	size_t n_imports;
	struct aoms_kmod_symbol *exports;   /* __ksymtab_NAME, sorted by name */
	size_t n_exports;
	bool has_versions;    /* a __versions section (built with modversions) */
	int64_t module_layout_crc;   /* __versions' module_layout; < 0: none */
	bool has_this_module; /* .gnu.linkonce.this_module */
	bool is_signed;       /* "~Module signature appended~" trailer */
	char *signer;         /* from the trailer (X.509 form) or libkmod; NULL: unknown */
	char *compression;    /* "xz", "zstd", "gzip" or NULL */
	/* Private: the storage of every string above and the symbol names. */
	struct aoms_arena *arena;
};

/*
 * Reads the module image at buf (size bytes; a whole uncompressed .ko, signature
 * trailer included). name_hint is the file name, for a module without this_module.
 * Returns 0 and *ret (free with aoms_kmod_free); -ENOEXEC when it is no relocatable
 * ELF object; -EBADMSG for a damaged module with a one-line reason in *ret_reason
 * (the caller frees it) — a relocatable object with neither a vermagic nor
 * .gnu.linkonce.this_module is no module (-ENOEXEC); truncated, corrupt .modinfo (no NUL, no '='), __versions
 * not a whole number of entries, an entry without a NUL in its name, a symbol
 * named twice; -ENOMEM.
 */
int aoms_kmod_read_mem(const void *buf, size_t size, const char *name_hint,
		       struct aoms_kmod **ret, char **ret_reason);

/*
 * Reads the file open at fd: the head decides the format (xz, zstd, gzip magic, or
 * ELF) and a compressed one is expanded in memory, up to AOMS_KMOD_MAX_SIZE. Returns
 * as aoms_kmod_read_mem(), and -EBADMSG when it does not decompress, -EFBIG past the
 * cap (both with *ret_reason), -EPROTONOSUPPORT when this build lacks the
 * decompressor (*ret_reason says which), -errno on read errors.
 */
int aoms_kmod_read_fd(int fd, const char *name_hint, struct aoms_kmod **ret, char **ret_reason);

/* Accepts NULL. */
void aoms_kmod_free(struct aoms_kmod *m);
DEFINE_FREE_FUNC(struct aoms_kmod, aoms_kmod_free)

/* The import / export named name, or NULL. */
const struct aoms_kmod_symbol *aoms_kmod_find_import(const struct aoms_kmod *m, const char *name);
const struct aoms_kmod_symbol *aoms_kmod_find_export(const struct aoms_kmod *m, const char *name);

/* Whether the module's license is one the kernel counts as GPL-compatible
 * (license_is_gpl_compatible(): GPL, GPL v2, GPL and additional rights, Dual
 * BSD/GPL, Dual MIT/GPL, Dual MPL/GPL). No license is not. */
bool aoms_kmod_license_gpl(const struct aoms_kmod *m);

/*
 * Decompresses the size bytes at buf when they start with the xz, zstd or gzip
 * magic. Returns 1 with *ret (malloc'd) / *ret_size / *ret_format ("xz", "zstd",
 * "gzip", static) set; 0 when buf is none of those (nothing set); -EBADMSG when it
 * does not decompress, -EFBIG past max bytes, -EPROTONOSUPPORT when this build
 * lacks that decompressor (each with *ret_reason, caller frees); -ENOMEM.
 */
int aoms_kmod_decompress(const void *buf, size_t size, size_t max, void **ret, size_t *ret_size,
			 const char **ret_format, char **ret_reason);

/* The size of the ELF image in front of a module signature trailer (size itself
 * when there is none), with *ret_signed and *ret_signer (malloc'd, NULL when the
 * trailer does not name it: PKCS#7 keeps the signer inside the signature). */
size_t aoms_kmod_strip_signature(const void *buf, size_t size, bool *ret_signed,
				 char **ret_signer);
