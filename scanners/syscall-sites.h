/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The syscalls an ELF object's own code makes (issue 10, rules syscall.*): found in
 * the read phase, while the object's bytes are at hand, and kept on the model as a
 * small result (numbers, counts), never the code.
 *
 * Sites are x86_64 `syscall` and aarch64 `svc #0`, calls to the C library's
 * `syscall()` and calls to Go's syscall stubs (syscall.Syscall*, syscall.RawSyscall*,
 * runtime/internal/syscall.Syscall6, golang.org/x/sys/unix.Syscall*). The number is
 * recovered by following the instructions of the straight-line code before the site
 * (scanners/syscall-decode.c says how); a site whose number is not recovered is
 * counted. Wrapper imports (getrandom@GLIBC_2.25, ...) are mapped to their syscall at
 * check time from the model's imports (scanners/syscall-table.c).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct aoms_elfio;
struct aoms_elf;

/* How a number was found (bits of aoms_elf_syscall.via). */
enum aoms_syscall_via {
	AOMS_SYSCALL_VIA_INSN = 1 << 0,      /* a syscall / svc #0 instruction */
	AOMS_SYSCALL_VIA_LIBC = 1 << 1,      /* a call to syscall() */
	AOMS_SYSCALL_VIA_GO = 1 << 2,        /* a call to a Go syscall stub */
};

/* The runtime whose code makes the calls (who may fall back on ENOSYS). */
enum aoms_syscall_runtime {
	AOMS_SYSCALL_RT_UNKNOWN = 0,
	AOMS_SYSCALL_RT_GLIBC,
	AOMS_SYSCALL_RT_MUSL,
	AOMS_SYSCALL_RT_GO,
};

struct aoms_elf_syscall {
	int nr;             /* the number, in the object's architecture's numbering */
	unsigned via;       /* enum aoms_syscall_via bits */
	unsigned sites;     /* how many sites use it */
};

/* Why the code was not decoded (aoms_elf_syscalls.skipped). */
enum aoms_syscall_skip {
	AOMS_SYSCALL_DECODED = 0,
	AOMS_SYSCALL_SKIP_POLICY,        /* a dynamic object, not Go, not importing syscall() */
	AOMS_SYSCALL_SKIP_NO_DECODER,    /* built without capstone */
	AOMS_SYSCALL_SKIP_ARCH,          /* not x86_64 or aarch64 */
};

struct aoms_elf_syscalls {
	struct aoms_elf_syscall *calls;  /* sorted by nr, no repeats */
	size_t n_calls;
	unsigned unresolved;             /* sites whose number was not recovered */
	bool partial;                    /* the budget ran out: not every byte was decoded */
	enum aoms_syscall_skip skipped;
	enum aoms_syscall_runtime runtime;
	uint64_t n_insns;                /* instructions decoded */
	uint64_t code_bytes;             /* bytes of executable sections */
};

/* Budget per object: past either, decoding stops and the result is partial. */
#define AOMS_SYSCALL_MAX_INSNS (50u * 1000 * 1000)
#define AOMS_SYSCALL_MAX_SECONDS 5

/*
 * Finds the syscall sites of the object open as io whose model m has been read
 * (machine, imports, dynamic), and sets m->syscalls (allocated in m's arena).
 * Only windows before candidate sites are decoded (syscall-decode.c). Returns 0,
 * -ENOMEM, or -EIO when the file shrank while its code was read (the code is mapped); damaged code is never an error (undecodable bytes are skipped).
 */
int aoms_syscall_sites_read(struct aoms_elfio *io, struct aoms_elf *m);

/* Whether this build decodes code (capstone). */
bool aoms_syscall_can_decode(void);
