/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A target kernel as the module check needs it, loaded once from the database:
 * every export (CRC, export type, namespace) in a hash map, the kABI stablelist of
 * its arch, the loader-relevant config (modversions, force load, signatures,
 * retpoline, namespaces) and its vermagic. Read-only once loaded.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include "abidb.h"
#include "aoms-macro.h"
#include "strmap.h"

struct aoms_kmod_ksym {
	const char *name;
	int64_t crc;            /* < 0 unknown */
	const char *module;     /* "vmlinux", a module path; NULL unknown */
	const char *ns;         /* NULL: none */
	bool gpl_only;          /* EXPORT_SYMBOL_GPL (not _GPL_FUTURE) */
};

struct aoms_kmod_kernel {
	char *release, *arch;
	char *vermagic;             /* as recorded, or derived from the config; NULL */
	bool vermagic_derived;      /* derived: only the known flag words are compared */
	bool config_known;          /* any config recorded */
	bool modversions;           /* CONFIG_MODVERSIONS=y */
	bool force_load;            /* CONFIG_MODULE_FORCE_LOAD=y */
	bool sig, sig_force;        /* CONFIG_MODULE_SIG, CONFIG_MODULE_SIG_FORCE */
	bool retpoline;             /* CONFIG_RETPOLINE=y and the kernel warns (< 6.2) */
	bool namespaces;            /* symbol namespaces exist (>= 5.4) */
	bool ns_missing_ok;         /* CONFIG_MODULE_ALLOW_MISSING_NAMESPACE_IMPORTS=y */
	size_t n_symbols, n_crcs;   /* exports, those with a CRC */
	size_t n_kabi;              /* kABI rows of the arch */
	struct aoms_strmap symbols; /* name -> struct aoms_kmod_ksym */
	struct aoms_strmap kabi;    /* name -> struct aoms_kmod_ksym (crc guaranteed) */
	struct aoms_arena *arena;
};

/*
 * Loads kernel release on arch. Returns 0 and *ret (free with
 * aoms_kmod_kernel_free), -ENOENT when the database has no such kernel, -ENOMEM,
 * -EIO.
 */
int aoms_kmod_kernel_load(struct aoms_abidb *db, const char *release, const char *arch,
			  struct aoms_kmod_kernel **ret);
void aoms_kmod_kernel_free(struct aoms_kmod_kernel *k);
DEFINE_FREE_FUNC(struct aoms_kmod_kernel, aoms_kmod_kernel_free)

/* The export name, or NULL. */
const struct aoms_kmod_ksym *aoms_kmod_kernel_symbol(const struct aoms_kmod_kernel *k,
						     const char *name);
/* The kABI row of name, or NULL. */
const struct aoms_kmod_ksym *aoms_kmod_kernel_kabi(const struct aoms_kmod_kernel *k,
						   const char *name);

/* "x86_64", "aarch64", ... for an e_machine (and class), or NULL. */
const char *aoms_kmod_machine_arch(uint16_t machine, int elf_class);

/* Major * 256 + minor of a release ("4.18.0-240.el8" -> 0x412); 0 when unreadable. */
unsigned aoms_kmod_release_version(const char *release);
