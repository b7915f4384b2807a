/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Kernel facts of a target: its kernels (release + arch), the symbols each
 * exports to modules (Module.symvers: CRC, exporting module, export type,
 * namespace), kABI stablelists (which symbols the vendor keeps stable, with the
 * CRC it guarantees), syscall tables and kernel configs. Included by abidb.h.
 *
 * CRCs are the 32-bit modversions checksums; an int64_t below 0 means unknown
 * (a source-level export list knows names, not CRCs).
 */
#pragma once

/* ---- writing ------------------------------------------------------------ */
/* All return 0, -EINVAL for a NULL or empty required string (and as stated), or
 * as the other writers do (-EROFS, -ENOMEM, -EIO). */

/* The release of the default kernel for arch (meta "default_kernel_ARCH", e.g.
 * "4.18.0-240.15.1.el8_3" in the default database: the kernel whose full
 * Module.symvers and config it holds). *ret_release is the caller's to free.
 * Returns 0, -ENOENT when the database names none, -EINVAL, -ENOMEM, -EIO. */
int aoms_abidb_default_kernel(struct aoms_abidb *db, const char *arch, char **ret_release);

/* Records a kernel (release "4.18.0-408.el8", arch "x86_64"); vermagic may be
 * NULL. Adding it again fills a missing vermagic. The symbol and config writers
 * record their kernel themselves. */
int aoms_abidb_add_kernel(struct aoms_abidb *db, int64_t source_id, const char *release,
			  const char *arch, const char *vermagic);

/* A symbol kernel release exports on arch. crc < 0 unknown (crc > 0xffffffff is
 * -EINVAL); module "vmlinux" or the module path without ".ko" ("drivers/scsi/
 * raid_class"); export_type as Module.symvers spells it ("EXPORT_SYMBOL",
 * "EXPORT_SYMBOL_GPL"...); namespace NULL for none. module, export_type and
 * namespace may be NULL (unknown). Adding the same (name, release, arch) again
 * fills what the first row left unknown. */
int aoms_abidb_add_kernel_symbol(struct aoms_abidb *db, int64_t source_id, const char *release,
				 const char *arch, const char *name, int64_t crc,
				 const char *module, const char *export_type,
				 const char *ns);

/* A symbol on kABI stablelist list ("rhel8") for arch, with the CRC the list
 * guarantees (crc < 0: a names-only list). module and export_type may be NULL. */
int aoms_abidb_add_kabi(struct aoms_abidb *db, int64_t source_id, const char *list,
			const char *arch, const char *name, int64_t crc, const char *module,
			const char *export_type);

/* Syscall number nr (>= 0) of kernel ("4.18-el8", a table label) on arch. abi:
 * "common", "64", "x32"... or NULL; entry: the handler symbol, NULL for a
 * reserved number. A second row for the same (kernel, arch, nr) is ignored. */
int aoms_abidb_add_syscall(struct aoms_abidb *db, int64_t source_id, const char *kernel,
			   const char *arch, int nr, const char *name, const char *abi,
			   const char *entry);

/* A kernel config option: key "CONFIG_MODVERSIONS", value "y", "m", "n" (for "is
 * not set"), a number or a string without its quotes. The first value stays. */
int aoms_abidb_add_kernel_config(struct aoms_abidb *db, int64_t source_id, const char *release,
				 const char *arch, const char *key, const char *value);

/* A module kernel release ships for arch (schema 2.4): name as modules.dep spells
 * its file ("e1000e", "nf_conntrack"; '-' is stored as '_', as the kernel
 * normalizes module names), path its place under the kernel's module tree without
 * "kernel/" and the ".ko[.xz|.gz|.zst]" suffix ("drivers/net/ethernet/intel/
 * e1000e/e1000e") or NULL, builtin true when modules.builtin lists it (part of
 * vmlinux, never a file). Adding it again fills a missing path and keeps builtin
 * once set. -EOPNOTSUPP on a read-only database older than 2.4. */
int aoms_abidb_add_kernel_module(struct aoms_abidb *db, int64_t source_id, const char *release,
				 const char *arch, const char *name, const char *path,
				 bool builtin);

/* ---- streaming imports -------------------------------------------------- */
/* The kernel's own formats, parsed by kfacts/ (kfacts.h), written row by row. */
/* Each runs in its own transaction unless the caller opened one, and returns the
 * number of rows imported, or -EINVAL on a malformed line (*ret_line, if given,
 * gets its number; aoms_abidb_errmsg() the reason), -EIO on a read error,
 * -ENOMEM, or a writer's error. Empty lines and "#" comment lines are skipped. */

/*
 * Reads a kernel's Module.symvers (or an uncompressed symvers-*.gz):
 * "0xCRC<TAB>symbol<TAB>module<TAB>export_type[<TAB>namespace]" per line, also the
 * Linux 5.4-5.8 order "CRC symbol namespace module export_type" (told apart by
 * which field starts with "EXPORT_") and the old 3-field form without export
 * type. Records kernel release/arch and its symbols tagged with source_id.
 */
int aoms_abidb_import_symvers(struct aoms_abidb *db, FILE *in, int64_t source_id,
			      const char *release, const char *arch, unsigned *ret_line);

/* Reads a kABI stablelist for list and arch: the Module.kabi_ARCH reference
 * (symvers lines, with CRCs) or the kabi_stablelist_ARCH file of the
 * kernel-abi-stablelists package ("[rhel8_x86_64_stablelist]" section lines,
 * then one symbol per indented line; no CRC). */
int aoms_abidb_import_kabi(struct aoms_abidb *db, FILE *in, int64_t source_id,
			   const char *list, const char *arch, unsigned *ret_line);

/* Reads a kernel .config (/boot/config-RELEASE): "CONFIG_X=value" lines and
 * "# CONFIG_X is not set" (recorded as "n"). Other comments are skipped. */
int aoms_abidb_import_kconfig(struct aoms_abidb *db, FILE *in, int64_t source_id,
			      const char *release, const char *arch, unsigned *ret_line);

/* ---- lookups (thread-safe) ---------------------------------------------- */
/* A find_*() copies its strings into *ret, which the caller releases with the
 * matching _release(); a foreach_*() callback gets strings valid during the call
 * and stops the walk (returning its value) by returning non-zero. arch NULL
 * means any arch; rows then come by arch first. Lookups return -EINVAL for a NULL
 * name, -ENOMEM, -EIO; find_*() returns -ENOENT when nothing matches. */

struct aoms_abidb_ksym {
	char *name, *release, *arch;
	int64_t crc;          /* < 0: unknown */
	char *module;         /* "vmlinux", a module path, NULL: unknown */
	char *export_type;    /* NULL: unknown */
	char *ns;             /* symbol namespace, NULL: none */
};
void aoms_abidb_ksym_release(struct aoms_abidb_ksym *k);
/* Rows for name, by arch then newest release first (rpmvercmp order). */
int aoms_abidb_foreach_kernel_symbol(struct aoms_abidb *db, const char *name, const char *arch,
				     int (*fn)(const struct aoms_abidb_ksym *k, void *ud),
				     void *ud);
/* Every symbol kernel release exports on arch (both required), by name: what a
 * module checker loads once per kernel. -EINVAL for a NULL release or arch. */
int aoms_abidb_foreach_kernel_export(struct aoms_abidb *db, const char *release, const char *arch,
				     int (*fn)(const struct aoms_abidb_ksym *k, void *ud),
				     void *ud);
int aoms_abidb_find_kernel_symbol(struct aoms_abidb *db, const char *name, const char *arch,
				  struct aoms_abidb_ksym *ret);

struct aoms_abidb_kabi {
	char *list, *arch, *name;
	int64_t crc;          /* < 0: a names-only list */
	char *module, *export_type; /* NULL: unknown */
};
void aoms_abidb_kabi_release(struct aoms_abidb_kabi *k);
/* Rows for name, by arch then list (newest first). list NULL: any list. */
int aoms_abidb_foreach_kabi(struct aoms_abidb *db, const char *name, const char *arch,
			    const char *list,
			    int (*fn)(const struct aoms_abidb_kabi *k, void *ud), void *ud);
/* Every kABI stablelist row of arch, newest list first, by name. */
int aoms_abidb_foreach_kabi_of_arch(struct aoms_abidb *db, const char *arch,
				    int (*fn)(const struct aoms_abidb_kabi *k, void *ud), void *ud);
int aoms_abidb_find_kabi(struct aoms_abidb *db, const char *name, const char *arch,
			 const char *list, struct aoms_abidb_kabi *ret);

struct aoms_abidb_syscall {
	char *kernel, *arch, *name;
	int nr;
	char *abi, *entry;    /* NULL: not given / a reserved number */
};
void aoms_abidb_syscall_release(struct aoms_abidb_syscall *s);
/* Rows for syscall name (nr < 0) or number nr (name NULL) on arch, kernel NULL
 * meaning any table: by arch, newest kernel first, x32 rows last, by number. */
int aoms_abidb_foreach_syscall(struct aoms_abidb *db, const char *arch, const char *name,
			       int nr, const char *kernel,
			       int (*fn)(const struct aoms_abidb_syscall *s, void *ud),
			       void *ud);
/* The first of those: syscall name (or, name NULL, number nr) on arch. */
int aoms_abidb_find_syscall(struct aoms_abidb *db, const char *arch, const char *name, int nr,
			    const char *kernel, struct aoms_abidb_syscall *ret);

/* The number of modules (built-in ones included) the database knows kernel release
 * ships on arch: 0 when it has no module list for that kernel (also for a database
 * older than schema 2.4), so absence from it proves nothing. -EINVAL, -EIO. */
int aoms_abidb_count_kernel_modules(struct aoms_abidb *db, const char *release, const char *arch);

/* Whether kernel release on arch has module name (spelled with '-' or '_'):
 * 1 with *ret_builtin set (NULL: not wanted), 0 when its list lacks it. Meaningful
 * only when aoms_abidb_count_kernel_modules() > 0. -EINVAL, -ENOMEM, -EIO. */
int aoms_abidb_has_kernel_module(struct aoms_abidb *db, const char *release, const char *arch,
				 const char *name, bool *ret_builtin);

/* The value of config key for the kernel release (NULL: the newest recorded) on
 * arch; *ret_value is the caller's to free. -ENOENT when not recorded. */
int aoms_abidb_get_kernel_config(struct aoms_abidb *db, const char *release, const char *arch,
				 const char *key, char **ret_value);

/* Calls fn(release, arch, vermagic or NULL) for every kernel, sorted by arch then
 * newest release first. */
int aoms_abidb_foreach_kernel(struct aoms_abidb *db,
			      int (*fn)(const char *release, const char *arch,
					const char *vermagic, void *ud),
			      void *ud);

/*
 * A kernel's vmlinux BTF (schema 2.3, table kernel_btf): the blob as the writer
 * stored it. abi-db neither parses nor compresses it: encoding names what data
 * holds ("raw": the BTF bytes; "zlib": them deflated, raw_size bytes once
 * inflated), origin where it was found ("/sys/kernel/btf/vmlinux").
 */
struct aoms_abidb_btf {
	char *release;
	char *arch;
	char *encoding;     /* "raw", "zlib" */
	uint64_t raw_size;  /* bytes of BTF once decoded */
	char *origin;       /* NULL: unknown */
	void *data;
	size_t size;
};
void aoms_abidb_btf_release(struct aoms_abidb_btf *b);

/*
 * Records the BTF of kernel (release, arch), creating the kernel row when new and
 * replacing an earlier blob. Returns 0; -EINVAL (empty release, arch, encoding or
 * data); -EROFS, -ENOMEM, -EIO as the other writers.
 */
int aoms_abidb_add_kernel_btf(struct aoms_abidb *db, int64_t source_id, const char *release,
			      const char *arch, const char *encoding, uint64_t raw_size,
			      const void *data, size_t size, const char *origin);

/*
 * The BTF of the kernel release wanted, or (wanted NULL) of the newest kernel that
 * has one (x86_64 first), into *ret (release with aoms_abidb_btf_release()).
 * Returns 0; -ENOENT when there is none (or the database predates 2.3); -ENOMEM,
 * -EIO.
 */
int aoms_abidb_kernel_btf(struct aoms_abidb *db, const char *wanted, struct aoms_abidb_btf *ret);
/* Calls fn for every kernel BTF, by arch then newest release, without its bytes
 * (b->data NULL, b->size the stored size; b valid during the call). fn's non-zero
 * return stops the walk and is returned. 0 (also before 2.3), -ENOMEM, -EIO. */
int aoms_abidb_foreach_kernel_btf(struct aoms_abidb *db,
				  int (*fn)(const struct aoms_abidb_btf *b, void *ud), void *ud);
