/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The decoder state of syscall-decode.c (capstone builds only), shared with
 * syscall-regs.c, which follows what the straight-line code puts in registers. */
#pragma once

#include <capstone/capstone.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include "elf-model.h"
#include "elfio.h"
#include "syscall-sites.h"

#define SITES_WINDOW 256
#define N_REGS 32             /* canonical general registers */
#define REG_STACK N_REGS      /* the pseudo-register of Go's ABI0 first stack argument */

enum stub_kind { STUB_C = 1, STUB_GO = 2 };

struct stub {
	uint64_t addr, end;   /* [addr, end): end == addr when the size is unknown */
	enum stub_kind kind;
};

struct regs {
	uint64_t val[N_REGS + 1];
	uint64_t known;       /* bit per register */
};

struct decoder {
	struct aoms_elfio *io;
	struct aoms_elf *m;
	bool x86;
	bool avx2;                    /* the host has it: the site search's wide blocks */
	csh cs;
	cs_insn *insn;
	csh cs_plain;                 /* the same decoder without details: lands() */
	cs_insn *insn_plain;
	uint64_t *syncs;
	size_t n_syncs, cap_syncs;
	struct stub *stubs;
	size_t n_stubs, cap_stubs;
	uint64_t syscall_got;         /* GOT slot of the syscall import, 0 if none */
	uint64_t stub_lo, stub_hi;    /* [lo, hi]: the addresses stubs start at, for a cheap
				       * first test of every call the site search meets */
	uint8_t *buf;                 /* a chunk of code read (decode_section) */
	struct aoms_elf_syscall *calls;
	size_t n_calls, cap_calls;
	unsigned unresolved;
	bool partial;
	uint64_t insns;
	struct timespec start;
	bool musl_sym, glibc_sym;     /* runtime marks seen among the symbols */
};

/* The symbols (syscall-symbols.c): function starts into d->syncs (sorted), stubs,
 * runtime marks, the syscall import's GOT slot. 0 or -ENOMEM (a damaged table only
 * costs what it would have told). */
int aoms_sysdec_read_symbols(struct decoder *d);
int aoms_sysdec_add_stub(struct decoder *d, uint64_t addr, uint64_t size, enum stub_kind kind);
int aoms_sysdec_add_sync(struct decoder *d, uint64_t addr);
/* STUB_C or STUB_GO when name is a stub's (a ".abi0" suffix ignored), else 0. */
enum stub_kind aoms_sysdec_stub_kind(const char *name);
/* Function starts and Go stubs from .gopclntab (syscall-gopclntab.c), for a Go program
 * without .symtab; nothing when there is none or its layout is unknown. 0 or -ENOMEM. */
int aoms_sysdec_read_gopclntab(struct decoder *d);
/* The stub of a static glibc program stripped of .symtab: syscall() found by its code
 * (x86_64, syscall-decode.c), none when it is not there. 0 or -ENOMEM. */
int aoms_sysdec_find_glibc_syscall(struct decoder *d);

/*
 * The offset of the first x86 candidate site at or after i in code (size bytes at
 * address base): 0f 05; e8 / e9 whose rel32 lands on a stub's start; ff 15 / ff 25
 * whose RIP-relative slot is d->syscall_got. size when there is none. Vector blocks
 * (AVX2 when d->avx2, else SSE2) with a scalar tail; test-scanners-syscall compares
 * both with a byte-by-byte reference.
 */
size_t aoms_sysdec_x86_next_site(const struct decoder *d, const uint8_t *code, size_t i,
				 size_t size, uint64_t base);

/* Register tracking (syscall-regs.c): what d->insn, just decoded, does to s. */
void aoms_sysdec_x86_track(struct decoder *d, struct regs *s);
void aoms_sysdec_a64_track(struct decoder *d, struct regs *s);
/* Whether register i (canonical number; REG_STACK for Go's stack slot) holds a known
 * value, put in *v. */
bool aoms_sysdec_reg_get(const struct regs *s, int i, uint64_t *v);
