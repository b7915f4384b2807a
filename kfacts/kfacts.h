/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The kernel's own fact formats, as pure parsers that return rows (no database):
 * Module.symvers (and uncompressed symvers-*.gz), kABI stablelists and kernel
 * .config files. abi-db imports with them (aoms_abidb_import_symvers() ...); a
 * module scanner reads a module's own files with them. Depends on common/ only.
 *
 * Parsing is strict: a line that is none of the format's forms is -EINVAL with a
 * one-line reason. The line parsers cut the line in place and the row's strings
 * point into it; the foreach readers read line by line (nothing is kept but the
 * current line), strip "\n" and "\r\n", and hand each row to a callback whose
 * strings are valid during the call only.
 */
#pragma once

#include <stdint.h>
#include <stdio.h>

/* One symvers line, or one kABI stablelist entry. */
struct aoms_symvers_row {
	int64_t crc;              /* the 32-bit modversions CRC; < 0: unknown (a
				   * names-only kABI entry) */
	const char *name;         /* never NULL or empty */
	const char *module;       /* "vmlinux", "drivers/scsi/raid_class"; NULL only
				   * in a names-only kABI entry */
	const char *export_type;  /* "EXPORT_SYMBOL", "EXPORT_SYMBOL_GPL"...; NULL:
				   * not given (the old 3-field form) */
	const char *ns;           /* symbol namespace; NULL: none */
};

/* One .config entry: key "CONFIG_MODVERSIONS", value "y", "m", "n" (for "# ... is
 * not set"), a number, or a string without its quotes and escapes. */
struct aoms_kconfig_row {
	const char *key;
	const char *value;
};

/*
 * Line parsers. line holds one line without its newline; it is modified. Each
 * returns 1 with *ret filled for a row, 0 for a line without one (empty, a
 * comment, a kABI "[section]" line), or -EINVAL for a malformed line with a
 * one-line reason in *ret_reason (if given; the caller frees it; NULL when even
 * that allocation failed). *ret and *ret_reason are written only then.
 */

/* "0xCRC<TAB>symbol<TAB>module[<TAB>export_type[<TAB>namespace]]", or Linux
 * 5.4-5.8's "CRC symbol namespace module export_type" (told apart by which field
 * starts with "EXPORT_"). "#" lines are comments. */
int aoms_symvers_parse_line(char *line, struct aoms_symvers_row *ret, char **ret_reason);

/* A kABI stablelist line: a symvers line (Module.kabi_ARCH, with CRCs), or an
 * indented symbol name under a "[rhel8_x86_64_stablelist]" section line
 * (kabi_stablelist_ARCH: crc -1, module and export_type NULL). */
int aoms_kabi_parse_line(char *line, struct aoms_symvers_row *ret, char **ret_reason);

/* "CONFIG_X=value" (value "..." unquoted, \" and \\ unescaped) and "# CONFIG_X is
 * not set" (value "n"); other "#" lines are comments. */
int aoms_kconfig_parse_line(char *line, struct aoms_kconfig_row *ret, char **ret_reason);

/* A CRC field: "0x" or "0X" and 1-8 hex digits into *ret, "" or "-" meaning
 * unknown (*ret = -1). Returns 0, or -EINVAL (*ret untouched). */
int aoms_kfacts_parse_crc(const char *s, int64_t *ret);

/* Where a foreach reader stopped. */
struct aoms_kfacts_error {
	unsigned line;   /* the line number (1-based) the reader stopped at */
	char *reason;    /* one line, heap; NULL when the callback failed (its
			  * error is its own) or on -ENOMEM */
};
/* Frees e->reason and clears e. */
void aoms_kfacts_error_release(struct aoms_kfacts_error *e);

/*
 * Readers: call fn(row, ud) for each row of in, in file order; fn returns 0 to go
 * on or a negative errno to stop. Each returns the number of rows, or the first
 * error with *ret_err (if given; release it) filled: -EINVAL for a malformed line
 * (the line parser's reason, or "NUL byte in line"), -EIO or -errno on a read
 * error ("read error"), -ENOMEM, or fn's own error.
 */
int aoms_symvers_foreach(FILE *in, int (*fn)(const struct aoms_symvers_row *row, void *ud),
			 void *ud, struct aoms_kfacts_error *ret_err);
int aoms_kabi_foreach(FILE *in, int (*fn)(const struct aoms_symvers_row *row, void *ud),
		      void *ud, struct aoms_kfacts_error *ret_err);
int aoms_kconfig_foreach(FILE *in, int (*fn)(const struct aoms_kconfig_row *row, void *ud),
			 void *ud, struct aoms_kfacts_error *ret_err);
