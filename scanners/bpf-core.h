/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * CO-RE relocations of an eBPF object and their check against a kernel's BTF.
 *
 * libbpf parses .BTF (btf__new) but has no public API for the CO-RE records of
 * .BTF.ext, so bpf-core.c reads them itself, bounds-checked, in libbpf's layout
 * (libbpf: src/libbpf_internal.h struct btf_ext_header, btf_ext_info_sec; src/relo_core.h
 * struct bpf_core_relo {insn_off, type_id, access_str_off, kind}), and resolves each
 * record's type and access string ("0:1:2") against the object's BTF with libbpf's
 * btf API (btf__type_by_id, btf__name_by_offset, btf_members...) into names: the
 * type ("struct task_struct___old"), the field path by member names and array
 * indexes, the enumerator. bpf-core-match.c looks those names up in a kernel's BTF
 * as libbpf's candidate search does (same kind, name without its "___flavor"),
 * member by member (anonymous members searched through).
 *
 * Limits: at most AOMS_BPF_CORE_MAX_RECORDS records are resolved per object and
 * AOMS_BPF_CORE_MAX distinct relocations kept (the rest are counted in n_dropped); access strings of more than 64 indexes (libbpf's
 * BPF_CORE_SPEC_MAX_LEN) are invalid; type chains are followed 32 deep.
 * Built without libbpf, nothing is parsed and nothing is checked.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "aoms-macro.h"

#define AOMS_BPF_CORE_MAX 4096
#define AOMS_BPF_CORE_MAX_RECORDS (1u << 20)
#define AOMS_BPF_CORE_SPEC_MAX 64

/* enum bpf_core_relo_kind (libbpf relo_core.h) */
enum aoms_bpf_core_kind {
	AOMS_CORE_FIELD_BYTE_OFFSET = 0,
	AOMS_CORE_FIELD_BYTE_SIZE = 1,
	AOMS_CORE_FIELD_EXISTS = 2,
	AOMS_CORE_FIELD_SIGNED = 3,
	AOMS_CORE_FIELD_LSHIFT_U64 = 4,
	AOMS_CORE_FIELD_RSHIFT_U64 = 5,
	AOMS_CORE_TYPE_ID_LOCAL = 6,
	AOMS_CORE_TYPE_ID_TARGET = 7,
	AOMS_CORE_TYPE_EXISTS = 8,
	AOMS_CORE_TYPE_SIZE = 9,
	AOMS_CORE_ENUMVAL_EXISTS = 10,
	AOMS_CORE_ENUMVAL_VALUE = 11,
	AOMS_CORE_TYPE_MATCHES = 12,
	_AOMS_CORE_KIND_MAX,
};

/* One accessor after the root: a member by name, or (name NULL) an array index. */
struct aoms_bpf_core_step {
	const char *name;
	uint32_t index;
};

/* A distinct CO-RE relocation (identical records of a section are folded). */
struct aoms_bpf_core_relo {
	const char *section;      /* the program section ("kprobe/do_exit") */
	unsigned kind;            /* enum aoms_bpf_core_kind; may be unknown when error */
	unsigned type_kind;       /* BTF_KIND_* of the local root type */
	const char *type;         /* its name as the object spells it ("task_struct___old"); "" */
	const char *path;         /* "mm.arg_start", "args[1]"; "" for types and enums */
	struct aoms_bpf_core_step *steps;
	size_t n_steps;
	const char *enumval;      /* enum relocations: the enumerator; else NULL */
	const char *error;        /* the record does not resolve in the object's BTF; else NULL */
	uint32_t count;           /* records folded into this one */
};

struct aoms_arena;
struct aoms_bpf_core {
	struct aoms_arena *arena; /* every string and array below */
	struct aoms_bpf_core_relo *relos;
	size_t n_relos;
	uint64_t n_records;       /* CO-RE records read */
	uint64_t n_dropped;       /* records past the limits, not judged */
};

void aoms_bpf_core_free(struct aoms_bpf_core *c);
DEFINE_FREE_FUNC(struct aoms_bpf_core, aoms_bpf_core_free)

/*
 * Reads the CO-RE records of the .BTF.ext bytes ext against the object's .BTF bytes
 * btf. A record that does not resolve (a type id past the BTF, an access string
 * that is no list of indexes or indexes a member or element that is not there, an
 * unknown kind) becomes a relocation with error set. Returns 0 and *ret; -EBADMSG
 * with *ret_reason (caller frees) when libbpf refuses the BTF or the .BTF.ext header
 * or a record lies outside its section; -EOPNOTSUPP without libbpf; -ENOMEM.
 */
int aoms_bpf_core_parse(const void *btf, size_t btf_size, const void *ext, size_t ext_size,
			struct aoms_bpf_core **ret, char **ret_reason);

/* "field_byte_offset", ... ("kind N" past the table: in buf). */
const char *aoms_bpf_core_kind_name(unsigned kind, char buf[16]);
/* Whether the kind only asks whether something exists (bpf_core_field_exists(),
 * bpf_core_type_exists(), bpf_core_enum_value_exists(), bpf_core_type_matches()):
 * the program learns the answer and copes. */
bool aoms_bpf_core_kind_is_probe(unsigned kind);
/* "struct", "union", "enum", "typedef"... for a BTF_KIND_*. */
const char *aoms_bpf_core_type_kind_word(unsigned type_kind);

/* ---- a kernel's BTF, indexed by essential name (bpf-core-match.c) ---- */

struct aoms_bpf_btf_index;

/*
 * Parses size bytes of kernel BTF with libbpf (btf__new) and indexes its named
 * types by name without "___flavor". data is copied. Returns 0; -EBADMSG with
 * *ret_reason when libbpf refuses it; -EOPNOTSUPP without libbpf; -ENOMEM.
 */
int aoms_bpf_btf_index_new(const void *data, size_t size, struct aoms_bpf_btf_index **ret,
			   char **ret_reason);
void aoms_bpf_btf_index_free(struct aoms_bpf_btf_index *x);
DEFINE_FREE_FUNC(struct aoms_bpf_btf_index, aoms_bpf_btf_index_free)

enum aoms_bpf_core_result {
	AOMS_CORE_OK = 0,
	AOMS_CORE_TYPE_MISSING,     /* no type of that kind and name */
	AOMS_CORE_FIELD_MISSING,    /* the type, but not the field path */
	AOMS_CORE_ENUMVAL_MISSING,  /* the enum, but not the enumerator */
	AOMS_CORE_NOT_CHECKED,      /* the record is invalid or names no type */
};

/* Looks r up in x (read-only: threads may share x). For AOMS_CORE_FIELD_MISSING,
 * *ret_missing (may be NULL) is the first member name no candidate has. */
enum aoms_bpf_core_result aoms_bpf_core_match(const struct aoms_bpf_btf_index *x,
					      const struct aoms_bpf_core_relo *r,
					      const char **ret_missing);

/* "task_struct___old" -> 11, the length without the flavor (libbpf's
 * bpf_core_essential_name_len()). */
size_t aoms_bpf_core_essential_len(const char *name);
