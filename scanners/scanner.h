/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The scanner registry (DESIGN.md "Scanners plug in"). A scanner is one row
 * {name, dimension, probe, read, check, free}; the walk, the read phase and the
 * check phase of `aoms scan` only ever go through the table:
 *  - probe: does this scanner want the file? Decided from the file's first bytes
 *    and ELF header (struct aoms_probe), cheaply, for every regular file;
 *  - read: parse the file into the scanner's model (kept on the file), adding
 *    findings for damaged input; runs in parallel while the walk goes on;
 *  - check: judge the model against the target, once every file has been read
 *    (a check may look at other files of the tree);
 *  - free: the model.
 * The first row whose probe claims a file wins (table order, so the outcome never
 * depends on timing). A file no row claims that looks like something a user
 * expects judged gets a scan.not-judged finding (scanners/not-judged.c).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "abidb.h"
#include "finding.h"
#include "report.h"
#include "strmap.h"
#include "tree.h"

struct aoms_elfio;

struct aoms_strpool;
struct aoms_platforms;
struct aoms_kmod_checker;

/* What probes look at. Filled once per regular file by the scan. */
struct aoms_probe {
	const char *path;             /* absolute path as walked */
	const char *subject;          /* as reports call it */
	int fd;                       /* the open file (O_RDONLY), positioned nowhere */
	uint64_t size;                /* from fstat */
	const unsigned char *head;    /* the first n_head bytes of the file */
	size_t n_head;                /* up to AOMS_PROBE_HEAD */
	/* When the file starts with the ELF magic and a whole header: */
	bool is_elf;
	int elf_class;                /* ELFCLASS32 / ELFCLASS64 */
	int elf_data;                 /* ELFDATA2LSB / ELFDATA2MSB */
	uint16_t elf_type;            /* ET_REL, ET_EXEC, ET_DYN, ET_CORE */
	uint16_t elf_machine;         /* e_machine */
	/* Private: the file opened for aoms_probe_has_section(), once. */
	struct aoms_elfio *elf;
	bool elf_opened;
};

#define AOMS_PROBE_HEAD 64

/* What a scanner's read and check see of the running scan. */
struct aoms_scan_ctx {
	struct aoms_report *report;
	struct aoms_abidb *db;            /* the target, read-only */
	struct aoms_tree *tree;           /* every file of the scan (read phase: still growing) */
	struct aoms_strpool *names;       /* shared string pool for models */
	const struct aoms_strmap *sonames; /* check phase: soname/file name -> tree candidates */
	const char *target;               /* "Anolis OS 8", or NULL */
	bool db_complete;                 /* check phase: absence from the database is a verdict */
	bool db_has_packages;             /* check phase: the database knows packages */
	/* check phase: the migrated architectures and the tree's builds for other
	 * platforms (scanners/platform.h) */
	const struct aoms_platforms *platforms;
	/* the kernel to judge kernel interfaces against (`--kernel`: a release or a
	 * facts label such as "4.19-anck"); NULL: the database's default */
	const char *kernel;
	/* the kernel-module checker: the target kernel (`--kernel`) and the scanned
	 * modules' exports (kmod/kmod-check.h) */
	struct aoms_kmod_checker *kmod;
	/* the syscall tables of the kernel that judges syscalls (the same `--kernel`: a
	 * table label or a release; NULL: the target's), per arch (check-syscall.h) */
	struct aoms_syscall_tables *syscalls;
	/* the target kernel's BTF for the CO-RE check, loaded on first use
	 * (scanners/check-bpf-core.h); NULL: not checked */
	struct aoms_bpf_core_target *bpf_core;
};

struct aoms_scanner {
	const char *name;                 /* "elf", "rpm": summary.files.by_scanner */
	enum aoms_dimension dimension;    /* where its findings usually go */
	/* true when the scanner wants the file. Must not keep p (it may use the
	 * aoms_probe_*() helpers, which cache in p). */
	bool (*probe)(struct aoms_probe *p);
	/* Reads f (open at fd) into f->model. Returns 0 when judged (a model, or a finding
	 * that says why there is none); -ENOEXEC when it declines after all (the next
	 * claiming row is asked); another negative errno: the file goes to the report's
	 * errors and the scan goes on (-ENOMEM stops it). */
	int (*read)(struct aoms_scan_ctx *ctx, struct aoms_file *f, int fd);
	/* Judges f (f->model set by read). Returns 0 or a negative errno that stops the scan
	 * (-ENOMEM, a database error). NULL: nothing to check. */
	int (*check)(const struct aoms_scan_ctx *ctx, const struct aoms_file *f);
	/* Frees a model read did set. NULL: nothing to free. */
	void (*free)(void *model);
	/* The model depends on the file's bytes only, checks only read it, and read
	 * adds nothing to the tree or to the report when it sets one: a hard link of a
	 * file this row read is given the same model instead of a second read. */
	bool shares_model;
};

/* The built-in rows. */
extern const struct aoms_scanner aoms_scanner_rpm;
extern const struct aoms_scanner aoms_scanner_elf;
extern const struct aoms_scanner aoms_scanner_bpf;
extern const struct aoms_scanner aoms_scanner_kmod;

#define AOMS_SCANNERS_MAX 32

/*
 * Adds a row after the built-in and earlier registered ones (for scanners that live
 * outside this folder, and tests). s must stay valid for the life of the process.
 * Call before scanning. Returns 0, -EEXIST when a row of that name exists, -ENOSPC
 * when the table is full.
 */
int aoms_scanner_register(const struct aoms_scanner *s);
/* Rows in table order; NULL past the end. */
size_t aoms_scanners_count(void);
const struct aoms_scanner *aoms_scanner_at(size_t i);
/* The row's index in the table, or -1. */
int aoms_scanner_index(const struct aoms_scanner *s);

/*
 * Fills p for the regular file of size bytes open at fd: reads its first bytes and
 * decodes an ELF header with libelf's translation (no other I/O). Returns 0, or a
 * negative errno when the file cannot be read (the caller reports it).
 */
int aoms_probe_init(struct aoms_probe *p, int fd, uint64_t size, const char *path,
		    const char *subject, unsigned char head[AOMS_PROBE_HEAD]);
/* Whether the ELF file has a section of that name (read once, on first use, through
 * the bounds-checked ELF layer). false for non-ELF or damaged files. */
bool aoms_probe_has_section(struct aoms_probe *p, const char *name);
/* Whether path ends with suffix. */
bool aoms_probe_path_ends(const struct aoms_probe *p, const char *suffix);
void aoms_probe_release(struct aoms_probe *p);

/*
 * A file no scanner claimed: when it looks like something a user expects judged (a
 * relocatable object, a kernel module, an eBPF object), adds a scan.not-judged
 * finding saying what it is and why it was not judged, and returns 1; 0 when it is
 * nothing of the kind (skipped); -ENOMEM.
 */
int aoms_scan_not_judged(struct aoms_probe *p, const struct aoms_file *f,
			 struct aoms_report *report);
