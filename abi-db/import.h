/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Fact-table import internals (abi-db/data/README.md "File format"): import.c
 * reads lines, directives and headers; import-libs.c and import-kernel.c turn rows
 * of each table into writer calls; import-kfacts.c imports the kernel's own
 * formats through the kfacts/ parsers.
 * Nothing outside abi-db/ includes this.
 */
#pragma once

#include "abidb-private.h"
#include "kfacts.h"
#include "strbuf.h"

#define IMPORT_MAX_COLS 8
#define IMPORT_MAX_DEFAULTS 16

struct import_ctx;
/* v[] holds the row's fields in the table's canonical column order. */
typedef int (*import_row_fn)(struct import_ctx *ctx, char **v);

struct import_table {
	const char *name;
	const char *cols[IMPORT_MAX_COLS]; /* canonical order */
	import_row_fn row;
	bool needs_source;
	/* the value of a column a header may leave out without a #!default (a column
	 * added later, so that older tables stay valid); NULL: required */
	const char *implicit[IMPORT_MAX_COLS];
};

struct import_ctx {
	struct aoms_abidb *db;
	const char *name;
	const struct import_table *table;
	int colmap[IMPORT_MAX_COLS];  /* header position -> canonical column */
	int ncols;                    /* 0: no header yet */
	int arch_col;                 /* canonical index of "arch", or -1 */
	/* #!default COLUMN VALUE (and #!arch ARCH...) */
	char *def_name[IMPORT_MAX_DEFAULTS];
	char *def_value[IMPORT_MAX_DEFAULTS];
	char *source;                 /* #!source */
	struct aoms_strbuf provenance;
	int64_t source_id;            /* 0: not created yet */
	/* the library and version the last symbols row went to */
	char *last_key;
	int64_t last_lib;
	char *last_version;
	/* the package the last provides row went to */
	char *last_nevra;
	int64_t last_pkg;
	int rows;
};

extern const struct import_table aoms_import_tables[];
extern const size_t aoms_import_n_tables;

/* Records "reason" as the db's error; returns -EINVAL. */
int aoms_import_err(struct import_ctx *ctx, const char *fmt, ...) _printf_(2, 3);

/* "" and "-" mean "not known": NULL. */
const char *aoms_import_opt(const char *s);

/* Parses a CRC field ("0x1a2b3c4d", 1-8 hex digits; "" or "-": unknown, -1) into
 * *ret. -EINVAL (with the error recorded) otherwise. */
int aoms_import_crc(struct import_ctx *ctx, const char *s, int64_t *ret);

/* Parses a decimal integer in [min, max] into *ret; -EINVAL otherwise. */
int aoms_import_int(struct import_ctx *ctx, const char *what, const char *s, int64_t min,
		    int64_t max, int64_t *ret);

/* Forgets the row-id caches (a new #!source starts). */
void aoms_import_reset_cache(struct import_ctx *ctx);

/* Table rows (import-libs.c, import-kernel.c, import-bpf.c). */
int aoms_import_row_libraries(struct import_ctx *ctx, char **v);
int aoms_import_row_symbols(struct import_ctx *ctx, char **v);
int aoms_import_row_interpreters(struct import_ctx *ctx, char **v);
int aoms_import_row_soname_changes(struct import_ctx *ctx, char **v);
int aoms_import_row_meta(struct import_ctx *ctx, char **v);
int aoms_import_row_glibc_sonames(struct import_ctx *ctx, char **v);
int aoms_import_row_packages(struct import_ctx *ctx, char **v);
int aoms_import_row_provides(struct import_ctx *ctx, char **v);
int aoms_import_row_kernels(struct import_ctx *ctx, char **v);
int aoms_import_row_kernel_symbols(struct import_ctx *ctx, char **v);
int aoms_import_row_kabi(struct import_ctx *ctx, char **v);
int aoms_import_row_syscalls(struct import_ctx *ctx, char **v);
int aoms_import_row_kernel_config(struct import_ctx *ctx, char **v);
int aoms_import_row_kernel_modules(struct import_ctx *ctx, char **v);
int aoms_import_row_repo_packages(struct import_ctx *ctx, char **v);
int aoms_import_row_bpf_prog_types(struct import_ctx *ctx, char **v);
int aoms_import_row_bpf_map_types(struct import_ctx *ctx, char **v);
int aoms_import_row_bpf_helpers(struct import_ctx *ctx, char **v);

/* Runs fn(ud) in a transaction of its own unless one is open: committed when fn
 * returns >= 0, rolled back otherwise. Returns fn's result or a commit error. */
int aoms_import_in_tx(struct aoms_abidb *db, int (*fn)(void *ud), void *ud);

/*
 * Reads in line by line, calling line_fn(ud, line, len) with the newline (and a
 * "\r") removed; stops at its first error. Runs in a transaction of its own
 * unless one is open. Returns line_fn's row count sum (what it returns >= 0),
 * or the first error with *ret_line (if given) set to the line number.
 */
int aoms_import_stream(struct aoms_abidb *db, FILE *in, unsigned *ret_line,
		       int (*line_fn)(void *ud, char *line, size_t len), void *ud);
