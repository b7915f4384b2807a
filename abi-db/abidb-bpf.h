/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * eBPF facts of a target kernel (schema 2.2): the program types, map types and
 * helpers a kernel declares, each with its numeric id (the uapi enum value, the
 * imm of a helper call), the upstream kernel that introduced it and whether this
 * kernel has it. A kernel is a label ("4.18-el8", "4.19-anck"), as for syscall
 * tables: the facts come from a kernel tree's uapi bpf.h, not from a release, and
 * RHEL 8's 4.18 carries much of upstream 5.14, so availability is a per-kernel
 * fact and never derived from version numbers. Included by abidb.h.
 *
 * A database of schema 2.1 has no such tables: its lookups answer -ENOENT.
 */
#pragma once

enum aoms_abidb_bpf_kind {
	AOMS_ABIDB_BPF_PROG_TYPE = 0,  /* table bpf_prog_type: BPF_PROG_TYPE_* */
	AOMS_ABIDB_BPF_MAP_TYPE,       /* table bpf_map_type: BPF_MAP_TYPE_* */
	AOMS_ABIDB_BPF_HELPER,         /* table bpf_helper: helper "map_lookup_elem" */
	_AOMS_ABIDB_BPF_KIND_MAX,
};

struct aoms_abidb_bpf {
	char *kernel;       /* "4.18-el8" */
	char *name;         /* "BPF_PROG_TYPE_XDP", "BPF_MAP_TYPE_RINGBUF", "ringbuf_output" */
	int id;             /* the enum value / helper id */
	char *upstream;     /* the upstream release that introduced it ("5.8"), NULL: unknown */
	bool gpl_only;      /* helpers: callable by GPL-compatible programs only */
	bool available;     /* this kernel declares it */
};
void aoms_abidb_bpf_release(struct aoms_abidb_bpf *b);

/*
 * Records one fact of kernel (label) for kind: id >= 0, name as the table spells
 * it, upstream may be NULL. Adding the same (kernel, name) again keeps the first
 * row. Returns 0, -EINVAL (empty kernel or name, id < 0, bad kind), or as the
 * other writers do (-EROFS, -ENOMEM, -EIO).
 */
int aoms_abidb_add_bpf(struct aoms_abidb *db, int64_t source_id, enum aoms_abidb_bpf_kind kind,
		       const char *kernel, int id, const char *name, const char *upstream,
		       bool gpl_only, bool available);

/*
 * The row of kind for kernel by name, or (name NULL) by id; for an id that two
 * names share (a renamed *_DEPRECATED type) the current name. Helper names may
 * be given with or without "bpf_" ("bpf_ringbuf_output"). The caller releases
 * *ret with aoms_abidb_bpf_release(). Returns 0; -ENOENT when the kernel's table
 * has no such row (or the database no BPF tables); -EINVAL, -ENOMEM, -EIO.
 */
int aoms_abidb_find_bpf(struct aoms_abidb *db, enum aoms_abidb_bpf_kind kind, const char *kernel,
			const char *name, int id, struct aoms_abidb_bpf *ret);
/* The same for helpers: aoms_abidb_bpf_helper(db, "4.18-el8", "loop", -1, &h). */
int aoms_abidb_bpf_helper(struct aoms_abidb *db, const char *kernel, const char *name_or_null,
			  int id, struct aoms_abidb_bpf *ret);

/*
 * The kernel label whose BPF facts judge wanted, in *ret_label (caller frees):
 *  - wanted NULL: meta "bpf_kernel" when set and known, else the first label;
 *  - a label of the database ("4.19-anck");
 *  - a release ("4.18.0-408.el8", "4.19.91-27.an8"): the label of the same
 *    MAJOR.MINOR, and among several, the one whose suffix the release names
 *    ("el8", "an" for "anck").
 * Returns 0, -ENOENT when none fits (or no BPF facts), -ENOMEM, -EIO.
 */
int aoms_abidb_bpf_kernel(struct aoms_abidb *db, const char *wanted, char **ret_label);

/*
 * The BPF level of kernel: the newest upstream release among the facts it has
 * (RHEL 8 4.18.0-408: "5.15", from BPF_PROG_TYPE_SYSCALL), which stands for the kernel's BPF subsystem
 * features that no table lists one by one (global data 5.2, bpf-to-bpf calls
 * 4.16, kfunc calls 5.13, 1M-instruction programs 5.2). *ret_version is the
 * caller's. Returns 0, -ENOENT when the kernel has no facts, -ENOMEM, -EIO.
 */
int aoms_abidb_bpf_level(struct aoms_abidb *db, const char *kernel, char **ret_version);

/* Calls fn(label, ud) for every kernel label with BPF facts, sorted; fn's non-zero
 * return stops the walk and is returned. 0 (also without BPF tables), -ENOMEM, -EIO. */
int aoms_abidb_foreach_bpf_kernel(struct aoms_abidb *db,
				  int (*fn)(const char *label, void *ud), void *ud);
