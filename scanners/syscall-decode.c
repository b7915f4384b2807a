/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Finding syscall sites with capstone (syscall-sites.h).
 *
 * Where: the bytes of the executable sections are searched for candidate sites — a
 * raw syscall / svc #0 encoding, a direct call (x86 e8 rel32, aarch64 bl) to a stub:
 * syscall() or its PLT entry, a Go syscall stub — and each candidate is decoded from
 * a window of 256 bytes before it, starting at the last function start the symbol
 * tables (.symtab, else .dynsym) name inside the window, else at the window's start
 * (x86 resynchronises within a few instructions; an undecodable byte is skipped:
 * x86 one byte, aarch64 one word). A candidate counts only when decoding lands on it
 * as a site, so bytes inside other instructions or data do not. The numbers are
 * recovered from straight-line code, which is what a window holds; decoding whole
 * functions would find no more (bench/bench-syscalls.sh: recall 1.0 against objdump
 * with the window, ~30 times faster than decoding everything).
 *
 * Numbers: the sweep follows the straight-line code before a site forward, keeping
 * what it knows of the general registers (immediate loads, register moves, xor r,r,
 * add/or/movk of an immediate; x86 `mov [rsp], imm` and aarch64 `str xN, [sp, #8]`
 * for Go's old stack ABI). Anything else that writes a register forgets it; a jump,
 * call, return or function start forgets everything. That is a backward scan within
 * the basic block as the sweep sees it (a jump *into* the block is not known to the
 * sweep; such code is rare before a syscall).
 */
#define _GNU_SOURCE   /* memmem */
#include "config.h"
#include <elf.h>
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "elf-model.h"
#include "elfio.h"
#include "syscall-sites.h"

#ifndef HAVE_CAPSTONE

bool aoms_syscall_can_decode(void)
{
	return false;
}

int aoms_syscall_sites_read(struct aoms_elfio *io, struct aoms_elf *m)
{
	m->syscalls = aoms_arena_alloc(m->arena, sizeof(*m->syscalls));
	if (!m->syscalls)
		return -ENOMEM;
	*m->syscalls = (struct aoms_elf_syscalls){ .skipped = AOMS_SYSCALL_SKIP_NO_DECODER };
	return 0;
}

#else
#include <capstone/capstone.h>
#ifdef __SSE2__
#include <immintrin.h>
#endif

#include "grow.h"
#include "syscall-decode-private.h"

static int record(struct decoder *d, bool known, uint64_t nr, unsigned via, uint64_t at)
{
	/* Sites inside the stubs themselves get their number from the caller. */
	for (size_t i = 0; i < d->n_stubs; i++)
		if (at >= d->stubs[i].addr && at < d->stubs[i].end)
			return 0;
	if (!known || nr > 4095) {
		d->unresolved++;
		return 0;
	}
	for (size_t i = 0; i < d->n_calls; i++)
		if (d->calls[i].nr == (int)nr) {
			d->calls[i].via |= via;
			d->calls[i].sites++;
			return 0;
		}
	if (aoms_grow((void **)&d->calls, &d->cap_calls, d->n_calls, sizeof(*d->calls)) < 0)
		return -ENOMEM;
	d->calls[d->n_calls++] = (struct aoms_elf_syscall){ .nr = (int)nr, .via = via, .sites = 1 };
	return 0;
}

/* ---- stubs, the budget, the sweep ------------------------------------------ */

/* The stub starting at addr (stubs sorted by address), else NULL. */
static const struct stub *stub_at(const struct decoder *d, uint64_t addr)
{
	size_t a = 0, b = d->n_stubs;

	while (a < b) {
		size_t mid = (a + b) / 2;

		if (d->stubs[mid].addr == addr)
			return &d->stubs[mid];
		if (d->stubs[mid].addr < addr)
			a = mid + 1;
		else
			b = mid;
	}
	return NULL;
}

static int cmp_stub(const void *x, const void *y)
{
	const struct stub *a = x, *b = y;

	return (a->addr > b->addr) - (a->addr < b->addr);
}

static bool budget_left(struct decoder *d)
{
	struct timespec now;

	if (d->insns >= AOMS_SYSCALL_MAX_INSNS) {
		d->partial = true;
		return false;
	}
	if ((d->insns & 0xffff) == 0) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - d->start.tv_sec > AOMS_SYSCALL_MAX_SECONDS) {
			d->partial = true;
			return false;
		}
	}
	return true;
}

/* A call or tail jump into a stub of kind k, with the register state before it. */
static int on_stub(struct decoder *d, const struct regs *s, enum stub_kind k, uint64_t at)
{
	uint64_t v = 0;
	bool known;

	if (k == STUB_C)
		known = aoms_sysdec_reg_get(s, d->x86 ? 5 /* rdi */ : 0 /* x0 */, &v);
	else
		known = aoms_sysdec_reg_get(s, 0 /* rax / x0: ABIInternal */, &v) || aoms_sysdec_reg_get(s, REG_STACK, &v);
	return record(d, known, v, k == STUB_C ? AOMS_SYSCALL_VIA_LIBC : AOMS_SYSCALL_VIA_GO, at);
}

/* A direct call or jump to target: a syscall stub (syscall(), its PLT entry, a Go
 * stub) or not. */
static int on_call(struct decoder *d, const struct regs *s, uint64_t target, uint64_t at)
{
	const struct stub *st = stub_at(d, target);

	return st ? on_stub(d, s, st->kind, at) : 0;
}

/* An x86 call or jump (tail call) with one operand: rel32 to a stub, or through the
 * GOT slot of the syscall import (`call *syscall@GOTPCREL(%rip)`: -fno-plt builds,
 * which have no PLT entry to call). */
static int on_x86_transfer(struct decoder *d, const struct regs *s, const cs_insn *in)
{
	const cs_x86_op *o = &in->detail->x86.operands[0];

	if (o->type == X86_OP_IMM)
		return on_call(d, s, (uint64_t)o->imm, in->address);
	if (o->type == X86_OP_MEM && o->mem.base == X86_REG_RIP && o->mem.index == X86_REG_INVALID &&
	    d->syscall_got && in->address + in->size + (uint64_t)o->mem.disp == d->syscall_got)
		return on_stub(d, s, STUB_C, in->address);
	return 0;
}

/* One instruction: 1 when it ends straight-line code. */
static int step(struct decoder *d, struct regs *s, uint64_t only)
{
	const cs_insn *in = d->insn;
	const cs_detail *det = in->detail;
	bool flow = false;
	uint64_t v = 0;
	int r = 0;

	for (uint8_t g = 0; g < det->groups_count; g++)
		if (det->groups[g] == CS_GRP_JUMP || det->groups[g] == CS_GRP_CALL ||
		    det->groups[g] == CS_GRP_RET || det->groups[g] == CS_GRP_IRET)
			flow = true;
	if (d->x86 && in->id == X86_INS_SYSCALL) {
		bool known = aoms_sysdec_reg_get(s, 0, &v);

		if (!only || in->address == only)
			r = record(d, known, v, AOMS_SYSCALL_VIA_INSN, in->address);
		flow = true;
	} else if (!d->x86 && in->id == ARM64_INS_SVC) {
		bool known = aoms_sysdec_reg_get(s, 8, &v);

		if (det->arm64.op_count == 1 && det->arm64.operands[0].imm == 0 &&
		    (!only || in->address == only))
			r = record(d, known, v, AOMS_SYSCALL_VIA_INSN, in->address);
		flow = true;
	} else if ((!only || in->address == only) && d->x86 &&
		   (in->id == X86_INS_CALL || in->id == X86_INS_JMP) && det->x86.op_count == 1) {
		r = on_x86_transfer(d, s, in);
	} else if ((!only || in->address == only) && !d->x86 &&
		   (in->id == ARM64_INS_BL || in->id == ARM64_INS_B) && det->arm64.op_count == 1 &&
		   det->arm64.operands[0].type == ARM64_OP_IMM) {
		r = on_call(d, s, (uint64_t)det->arm64.operands[0].imm, in->address);
	} else if (!flow) {
		if (d->x86)
			aoms_sysdec_x86_track(d, s);
		else
			aoms_sysdec_a64_track(d, s);
	}
	if (r < 0)
		return r;
	return flow;
}

/* Decodes [addr, end) of the section image code (loaded at base). With only set,
 * just the site at address only is recorded. */
static int sweep(struct decoder *d, const uint8_t *code, uint64_t base, uint64_t addr,
		 uint64_t end, uint64_t only)
{
	struct regs s = { .known = 0 };
	const uint8_t *p = code + (addr - base);
	size_t left = end - addr;
	uint64_t pc = addr;

	while (left > 0) {
		const uint8_t *before = p;
		int r;

		if (!budget_left(d))
			return 0;
		if (!cs_disasm_iter(d->cs, &p, &left, &pc, d->insn)) {
			size_t skip = d->x86 ? 1 : 4;

			if (left < skip)
				break;
			p = before + skip;
			left -= skip;
			pc += skip;
			s.known = 0;
			continue;
		}
		d->insns++;
		r = step(d, &s, only);
		if (r < 0)
			return r;
		if (r)
			s.known = 0;
		if (only && pc > only)
			break;
	}
	return 0;
}

/* Whether decoding from `from` lands on site (reading no byte at or past end, the end
 * of the site's longest instruction), skipping undecodable bytes as sweep()
 * does and over the same bytes, so it answers as sweep() would. Most candidates are
 * the bytes 0f 05 or e8 inside other instructions or data, which decoding does not
 * land on; this tells them apart without capstone's details, several times cheaper
 * than the detailed sweep that follows for the rest. */
static bool lands(struct decoder *d, const uint8_t *code, uint64_t base, uint64_t from,
		  uint64_t site, uint64_t end)
{
	const uint8_t *p = code + (from - base);
	size_t left = end - from, skip = d->x86 ? 1 : 4;
	uint64_t pc = from;

	while (pc < site && left > 0 && budget_left(d)) {
		const uint8_t *before = p;

		if (cs_disasm_iter(d->cs_plain, &p, &left, &pc, d->insn_plain)) {
			d->insns++;
			continue;
		}
		if (left < skip)
			break;
		p = before + skip;
		left -= skip;
		pc += skip;
	}
	return pc == site;
}

/* The PLT entry of the syscall import: the 16-byte entry whose indirect jump (x86) or
 * load (aarch64) reads its GOT slot. Called on .plt and .plt.sec. */
static int find_plt_stub(struct decoder *d, const uint8_t *code, uint64_t base, size_t size)
{
	const uint8_t *p = code;
	size_t left = size;
	uint64_t pc = base, x16 = 0;

	while (left > 0 && cs_disasm_iter(d->cs, &p, &left, &pc, d->insn)) {
		const cs_insn *in = d->insn;

		d->insns++;
		if (d->x86 && (in->id == X86_INS_JMP) && in->detail->x86.op_count == 1) {
			const cs_x86_op *o = &in->detail->x86.operands[0];

			if (o->type == X86_OP_MEM && o->mem.base == X86_REG_RIP &&
			    in->address + in->size + (uint64_t)o->mem.disp == d->syscall_got)
				return aoms_sysdec_add_stub(d, in->address & ~(uint64_t)15, 16, STUB_C);
		} else if (!d->x86 && in->id == ARM64_INS_ADRP && in->detail->arm64.op_count == 2) {
			x16 = (uint64_t)in->detail->arm64.operands[1].imm;
		} else if (!d->x86 && in->id == ARM64_INS_LDR && in->detail->arm64.op_count == 2 &&
			   in->detail->arm64.operands[1].type == ARM64_OP_MEM &&
			   x16 + (uint64_t)in->detail->arm64.operands[1].mem.disp == d->syscall_got) {
			return aoms_sysdec_add_stub(d, in->address - 4, 16, STUB_C);
		}
	}
	return 0;
}

/* Whether addr starts a stub (syscall(), its PLT entry, a Go stub). The range test
 * first: the site search asks this for every call instruction of the code. */
static bool is_stub(const struct decoder *d, uint64_t addr)
{
	return addr - d->stub_lo <= d->stub_hi - d->stub_lo && stub_at(d, addr) != NULL;
}

/* The rel32 target of the e8 call / e9 jump at code[i] (i + 5 <= size), as an address. */
static uint64_t x86_rel32_target(const uint8_t *code, size_t i, uint64_t base)
{
	uint32_t le;

	memcpy(&le, code + i + 1, sizeof(le));   /* one load; x86 code on any host */
	return base + i + 5 + (uint64_t)(int64_t)(int32_t)le32toh(le);
}

/* The memory slot of the ff 15 / ff 25 (call / jmp *disp32(%rip)) at code[i]
 * (i + 6 <= size). */
static uint64_t x86_rip_slot(const uint8_t *code, size_t i, uint64_t base)
{
	uint32_t le;

	memcpy(&le, code + i + 2, sizeof(le));
	return base + i + 6 + (uint64_t)(int64_t)(int32_t)le32toh(le);
}

/* Whether the bytes at code[i] (i < size) may be a site: 0f 05 (syscall); e8 / e9
 * (call / jmp rel32: a tail call) to a stub; ff 15 / ff 25 through the syscall
 * import's GOT slot. Bytes only: decoding confirms. */
static inline bool x86_is_site(const struct decoder *d, const uint8_t *code, size_t i,
			       size_t size, uint64_t base)
{
	switch (code[i]) {
	case 0x0f:
		return i + 2 <= size && code[i + 1] == 0x05;
	case 0xe8:
	case 0xe9:
		return d->n_stubs && i + 5 <= size && is_stub(d, x86_rel32_target(code, i, base));
	case 0xff:
		return d->syscall_got && i + 6 <= size && (code[i + 1] == 0x15 || code[i + 1] == 0x25) &&
		       x86_rip_slot(code, i, base) == d->syscall_got;
	default:
		return false;
	}
}

#ifdef __SSE2__
/* What a block search looks for besides 0f 05 (syscall): e8 / e9 when there are
 * stubs, with the top byte of the rel32 one of t1, t2 when near; ff 15 / ff 25 when
 * there is a GOT slot. */
struct site_filter {
	bool rel, near, got;
	int8_t t1, t2;
};

/* Blocks of W bytes tested at once with GCC's vector extensions (SSE2: 16, AVX2:
 * 32), x86_is_site() on the few offsets that match; the offset of the first site,
 * else SIZE_MAX with *next the first offset not tested. */
#define DEFINE_BLOCK_SEARCH(NAME, W, MOVEMASK, ...)					\
__VA_ARGS__ static size_t NAME(const struct decoder *d, const uint8_t *code, size_t i,	\
			       size_t size, uint64_t base, const struct site_filter *f,	\
			       size_t *next)						\
{											\
	typedef int8_t vec __attribute__((vector_size(W)));				\
											\
	for (; i + W + 4 <= size; i += W) {						\
		vec v, w, top, m;							\
		unsigned bits;								\
											\
		memcpy(&v, code + i, W);						\
		memcpy(&w, code + i + 1, W);						\
		m = (vec)((v == 0x0f) & (w == 0x05));					\
		if (f->rel) {   /* e8 or e9, the top byte of its rel32 in reach */	\
			vec c = (vec)((v & (int8_t)0xfe) == (int8_t)0xe8);		\
											\
			if (f->near) {							\
				memcpy(&top, code + i + 4, W);				\
				c &= (vec)((top == f->t1) | (top == f->t2));		\
			}								\
			m |= c;								\
		}									\
		if (f->got)   /* ff then 15 or 25 (or 05, 35: x86_is_site tells) */	\
			m |= (vec)((v == (int8_t)0xff) & ((w & (int8_t)0xcf) == 0x05));	\
		for (bits = (unsigned)MOVEMASK(m); bits; bits &= bits - 1) {		\
			size_t at = i + (size_t)__builtin_ctz(bits);			\
											\
			if (x86_is_site(d, code, at, size, base))			\
				return at;						\
		}									\
	}										\
	*next = i;									\
	return SIZE_MAX;								\
}

#define MOVEMASK_SSE2(m) _mm_movemask_epi8((__m128i)(m))
DEFINE_BLOCK_SEARCH(x86_search_sse2, 16, MOVEMASK_SSE2)
#ifdef __x86_64__
#define MOVEMASK_AVX2(m) _mm256_movemask_epi8((__m256i)(m))
DEFINE_BLOCK_SEARCH(x86_search_avx2, 32, MOVEMASK_AVX2, __attribute__((target("avx2"))))
#endif
#endif

/* The offset of the first x86 candidate at or after i, or size when there is none.
 * 0f starts ~3 % of x86 code (every two-byte opcode), e8 ~2 % and e9 ~1 %: testing
 * byte by byte costs more than the rest of the search. One vector pass tests 16 or 32
 * offsets at once for the bytes a site starts with, and x86_is_site() the few that
 * match before the next block is loaded. */
size_t aoms_sysdec_x86_next_site(const struct decoder *d, const uint8_t *code, size_t i,
				 size_t size, uint64_t base)
{
#ifdef __SSE2__
	struct site_filter f = { .rel = d->n_stubs > 0, .got = d->syscall_got != 0 };
	size_t at;

	if (f.rel) {
		/* The rel32 of a call from this range into the stubs' lies in [rmin, rmax];
		 * within 16 MiB its top byte takes one of two values, which most calls of a
		 * large object (elsewhere than the stubs) do not have. */
		int64_t rmax = (int64_t)(d->stub_hi - (base + i + 5));
		int64_t rmin = (int64_t)(d->stub_lo - (base + size + 5));

		if (rmax < INT32_MIN || rmin > INT32_MAX) {
			f.rel = false;   /* out of a rel32's reach */
		} else if (rmax - rmin < (1 << 24)) {
			f.near = true;
			f.t1 = (int8_t)((uint32_t)(int32_t)(rmin < INT32_MIN ? INT32_MIN : rmin) >> 24);
			f.t2 = (int8_t)((uint32_t)(int32_t)(rmax > INT32_MAX ? INT32_MAX : rmax) >> 24);
		}
	}
#ifdef __x86_64__
	if (d->avx2)
		at = x86_search_avx2(d, code, i, size, base, &f, &i);
	else
#endif
		at = x86_search_sse2(d, code, i, size, base, &f, &i);
	if (at != SIZE_MAX)
		return at;
#endif
	for (; i < size; i++)
		if (x86_is_site(d, code, i, size, base))
			return i;
	return size;
}

/* The next candidate site at or after *at (offset into the section at base): a raw
 * syscall instruction, or a direct call or tail jump to a stub — syscall(), its PLT
 * entry, a Go stub — (x86 e8/e9 rel32, aarch64 bl/b), or an x86 call or jump through
 * the syscall import's GOT slot. Bytes only: decoding confirms. */
static bool next_site(const struct decoder *d, const uint8_t *code, size_t size, uint64_t base,
		      size_t *at)
{
	if (d->x86) {
		*at = aoms_sysdec_x86_next_site(d, code, *at, size, base);
		return *at < size;
	}
	for (size_t i = *at; i + 4 <= size; i += 4) {
		uint32_t w = (uint32_t)code[i] | (uint32_t)code[i + 1] << 8 |
			     (uint32_t)code[i + 2] << 16 | (uint32_t)code[i + 3] << 24;
		/* bl / b: imm26 * 4, signed (the int32_t cast keeps the sign for the shift) */
		int64_t off = (int64_t)(int32_t)((w & 0x03ffffffu) << 6) >> 4;

		if (w == 0xd4000001 || (d->n_stubs && (w & 0x7c000000u) == 0x14000000u &&
					is_stub(d, base + i + (uint64_t)off))) {
			*at = i;
			return true;
		}
	}
	return false;
}

/* The last sync point at or before addr, not before lo. */
static uint64_t sync_before(const struct decoder *d, uint64_t addr, uint64_t lo)
{
	size_t a = 0, b = d->n_syncs;

	while (a < b) {
		size_t mid = (a + b) / 2;

		if (d->syncs[mid] <= addr)
			a = mid + 1;
		else
			b = mid;
	}
	return a > 0 && d->syncs[a - 1] > lo ? d->syncs[a - 1] : lo;
}

/* Sites are searched in a section's bytes read a chunk at a time into one buffer per
 * object, so a Go binary's 60 MB .text or a 200 MB browser never sits whole in memory;
 * each chunk starts a window early, so every site keeps the bytes before it that the
 * sweep decodes. 256 KiB: the buffer stays in the core's L2 between the copy and the
 * search. (Mapping the code instead costs as much: setting up the page tables of a
 * /usr scan's 2 GB took what the copy takes, and needs a SIGBUS guard.) */
#define CHUNK (256u << 10)
#define OVERLAP (SITES_WINDOW + 16)
#define QUICK_WINDOW 64

/* The sites of code (size bytes at address base) whose offset lies in [at, limit). */
static int decode_range(struct decoder *d, const uint8_t *code, size_t size, uint64_t base,
			size_t at, size_t limit)
{
	int r;

	for (; next_site(d, code, size, base, &at) && at < limit && !d->partial;
	     at += d->x86 ? 1 : 4) {
		uint64_t site = base + at;
		uint64_t from = site > base + SITES_WINDOW ? site - SITES_WINDOW : base;
		/* the site's instruction whole (x86: up to 15 bytes), within the code */
		size_t longest = d->x86 ? 15 : 4;
		uint64_t end = size - at > longest ? site + longest : base + size;

		from = sync_before(d, site, from);
		/* Decoding from QUICK_WINDOW before the site, rather than from the window's
		 * start, tells most candidates that are not sites apart for a quarter of the
		 * work: x86 decoding resynchronises within a few instructions, and of the
		 * 14,932 candidates of a /usr scan none landed from the window's start
		 * without landing from 64 bytes before (16: 72, 32: 18). sweep() only
		 * records a site it lands on, which makes it the exact test for the rest. */
		if (!lands(d, code, base, site - from > QUICK_WINDOW ? site - QUICK_WINDOW : from,
			   site, end))
			continue;
		if ((r = sweep(d, code, base, from, end, site)) < 0)
			return r;
	}
	return 0;
}

static int decode_section(struct decoder *d, const struct aoms_elfio_section *sec)
{
	const GElf_Shdr *sh = &sec->shdr;
	Elf_Data *data;
	int r;

	if (sh->sh_flags & SHF_COMPRESSED) {
		/* never seen for code, but legal: the access layer expands it whole */
		r = aoms_elfio_section_data(d->io, sec, &data);
		if (r == -ENOMEM)
			return r;
		if (r < 0 || !data->d_buf) {
			free(aoms_elfio_take_reason(d->io));
			return 0;
		}
		return decode_range(d, data->d_buf, data->d_size, sh->sh_addr, 0, data->d_size);
	}
	if (!aoms_elfio_range_valid(sh->sh_offset, 1, sh->sh_size, aoms_elfio_size(d->io)))
		return 0;   /* bytes outside the file: nothing to decode */
	if (!d->buf && !(d->buf = malloc(CHUNK + OVERLAP + 16)))
		return -ENOMEM;
	for (uint64_t pos = 0; pos < sh->sh_size && !d->partial; pos += CHUNK) {
		uint64_t start = pos >= OVERLAP ? pos - OVERLAP : 0;
		uint64_t stop = pos + CHUNK < sh->sh_size ? pos + CHUNK : sh->sh_size;
		uint64_t end = stop + 16 < sh->sh_size ? stop + 16 : sh->sh_size;
		size_t n = (size_t)(end - start);

		if (aoms_elfio_pread(d->io, d->buf, n, sh->sh_offset + start) != (ssize_t)n)
			return 0;   /* the file shrank: what was read was judged */
		r = decode_range(d, d->buf, n, sh->sh_addr + start, (size_t)(pos - start),
				 (size_t)(stop - start));
		if (r < 0)
			return r;
	}
	return 0;
}

/* glibc's x86_64 syscall() (sysdeps/unix/sysv/linux/x86_64/syscall.S, the same since
 * glibc 2.3): the number moves from rdi to rax, the arguments shift down, syscall. */
static const uint8_t glibc_syscall_x86[] = {
	0x48, 0x89, 0xf8, 0x48, 0x89, 0xf7, 0x48, 0x89, 0xd6, 0x48, 0x89, 0xca,
	0x4d, 0x89, 0xc2, 0x4d, 0x89, 0xc8, 0x4c, 0x8b, 0x4c, 0x24, 0x08, 0x0f, 0x05,
};
static const uint8_t endbr64[] = { 0xf3, 0x0f, 0x1e, 0xfa };

/* A static glibc program stripped of .symtab keeps syscall() without its name: found
 * by its bytes, it is a stub like the named one, so its callers' constant numbers are
 * judged and its own site (number from the caller) is not counted unresolved. An
 * endbr64 before it (CET builds) is its first instruction, where calls land. */
int aoms_sysdec_find_glibc_syscall(struct decoder *d)
{
	for (size_t i = 1; i < aoms_elfio_n_sections(d->io); i++) {
		struct aoms_elfio_section s;
		const GElf_Shdr *sh = &s.shdr;

		if (aoms_elfio_section_at(d->io, i, &s) < 0)
			break;
		if (sh->sh_type != SHT_PROGBITS || !(sh->sh_flags & SHF_EXECINSTR) ||
		    (sh->sh_flags & SHF_COMPRESSED) ||
		    !aoms_elfio_range_valid(sh->sh_offset, 1, sh->sh_size, aoms_elfio_size(d->io)))
			continue;
		if (!d->buf && !(d->buf = malloc(CHUNK + OVERLAP + 16)))
			return -ENOMEM;
		for (uint64_t pos = 0; pos < sh->sh_size; pos += CHUNK) {
			uint64_t start = pos >= OVERLAP ? pos - OVERLAP : 0;
			uint64_t end = pos + CHUNK < sh->sh_size ? pos + CHUNK : sh->sh_size;
			size_t n = (size_t)(end - start);
			const uint8_t *p;

			if (aoms_elfio_pread(d->io, d->buf, n, sh->sh_offset + start) != (ssize_t)n)
				break;
			p = memmem(d->buf, n, glibc_syscall_x86, sizeof(glibc_syscall_x86));
			if (p) {
				size_t at = (size_t)(p - d->buf);
				bool cet = at >= sizeof(endbr64) &&
					   !memcmp(p - sizeof(endbr64), endbr64, sizeof(endbr64));

				if (cet)
					at -= sizeof(endbr64);
				/* through the syscall instruction: its site is the stub's own */
				return aoms_sysdec_add_stub(d, sh->sh_addr + start + at,
							    sizeof(glibc_syscall_x86) +
							    (cet ? sizeof(endbr64) : 0), STUB_C);
			}
		}
	}
	return 0;
}

static bool is_go(struct aoms_elfio *io)
{
	struct aoms_elfio_section s;

	return aoms_elfio_find_section(io, ".go.buildinfo", &s) == 0 ||
	       aoms_elfio_find_section(io, ".gopclntab", &s) == 0 ||
	       aoms_elfio_find_section(io, ".note.go.buildid", &s) == 0;
}

static bool imports_syscall(const struct aoms_elf *m)
{
	for (size_t i = 0; i < m->n_imports; i++)
		if (strcmp(m->imports[i].name, "syscall") == 0)
			return true;
	return false;
}

static enum aoms_syscall_runtime runtime_of(const struct decoder *d, bool go)
{
	const struct aoms_elf *m = d->m;

	if (go)
		return AOMS_SYSCALL_RT_GO;
	if ((m->interp && strstr(m->interp, "ld-musl")) || d->musl_sym)
		return AOMS_SYSCALL_RT_MUSL;
	for (size_t i = 0; i < m->n_needed; i++)
		if (strcmp(m->needed[i], "libc.so.6") == 0)
			return AOMS_SYSCALL_RT_GLIBC;
	/* glibc's static start-up, or its ABI note (musl writes none). */
	if (d->glibc_sym || m->abi_kernel)
		return AOMS_SYSCALL_RT_GLIBC;
	return AOMS_SYSCALL_RT_UNKNOWN;
}

static int decode_all(struct decoder *d)
{
	int r = 0;

	if (d->syscall_got)
		for (size_t i = 1; i < aoms_elfio_n_sections(d->io) && r >= 0; i++) {
			struct aoms_elfio_section s;
			Elf_Data *data;

			if (aoms_elfio_section_at(d->io, i, &s) < 0)
				break;
			if ((s.shdr.sh_flags & SHF_EXECINSTR) && strncmp(s.name, ".plt", 4) == 0 &&
			    aoms_elfio_section_data(d->io, &s, &data) == 0 && data->d_buf)
				r = find_plt_stub(d, data->d_buf, s.shdr.sh_addr, data->d_size);
		}
	if (d->n_stubs > 1)
		qsort(d->stubs, d->n_stubs, sizeof(*d->stubs), cmp_stub);
	for (size_t i = 1; i < aoms_elfio_n_sections(d->io) && r >= 0 && !d->partial; i++) {
		struct aoms_elfio_section s;

		if (aoms_elfio_section_at(d->io, i, &s) < 0)
			break;
		if (s.shdr.sh_type != SHT_PROGBITS || !(s.shdr.sh_flags & SHF_EXECINSTR))
			continue;
		d->m->syscalls->code_bytes += s.shdr.sh_size;
		r = decode_section(d, &s);
	}
	free(aoms_elfio_take_reason(d->io));
	return r;
}

static int cmp_call(const void *a, const void *b)
{
	const struct aoms_elf_syscall *x = a, *y = b;

	return (x->nr > y->nr) - (x->nr < y->nr);
}

static int decoder_finish(struct decoder *d)
{
	struct aoms_elf_syscalls *out = d->m->syscalls;

	if (d->n_calls) {
		out->calls = aoms_arena_alloc(d->m->arena, d->n_calls * sizeof(*out->calls));
		if (!out->calls)
			return -ENOMEM;
		qsort(d->calls, d->n_calls, sizeof(*d->calls), cmp_call);
		memcpy(out->calls, d->calls, d->n_calls * sizeof(*out->calls));
		out->n_calls = d->n_calls;
	}
	out->unresolved = d->unresolved;
	out->partial = d->partial;
	out->n_insns = d->insns;
	return 0;
}

bool aoms_syscall_can_decode(void)
{
	return true;
}

int aoms_syscall_sites_read(struct aoms_elfio *io, struct aoms_elf *m)
{
	struct decoder d = { .io = io, .m = m };
	bool x86 = m->machine == EM_X86_64 && m->elf_class == ELFCLASS64;
	bool go;
	int r;

	m->syscalls = aoms_arena_alloc(m->arena, sizeof(*m->syscalls));
	if (!m->syscalls)
		return -ENOMEM;
	*m->syscalls = (struct aoms_elf_syscalls){ 0 };
	if (!x86 && !(m->machine == EM_AARCH64 && m->elf_class == ELFCLASS64)) {
		m->syscalls->skipped = AOMS_SYSCALL_SKIP_ARCH;
		return 0;
	}
	d.x86 = x86;
#if defined(__SSE2__) && defined(__x86_64__)
	d.avx2 = __builtin_cpu_supports("avx2");
#endif
	go = is_go(io);
	/* Dynamic C/C++ objects make their syscalls through libc, which the target
	 * brings: their code is searched only when they import syscall(). Reading every
	 * executable section of every dynamic object would make a /usr scan several
	 * times slower for raw syscall instructions that are rare outside libc. */
	if (m->n_needed && !go && !imports_syscall(m)) {
		m->syscalls->skipped = AOMS_SYSCALL_SKIP_POLICY;
		m->syscalls->runtime = runtime_of(&d, false);
		return 0;
	}
	if (cs_open(x86 ? CS_ARCH_X86 : CS_ARCH_ARM64, x86 ? CS_MODE_64 : CS_MODE_ARM, &d.cs) != CS_ERR_OK)
		return -ENOMEM;
	cs_option(d.cs, CS_OPT_DETAIL, CS_OPT_ON);
	if (cs_open(x86 ? CS_ARCH_X86 : CS_ARCH_ARM64, x86 ? CS_MODE_64 : CS_MODE_ARM,
		    &d.cs_plain) != CS_ERR_OK) {
		cs_close(&d.cs);
		return -ENOMEM;
	}
	clock_gettime(CLOCK_MONOTONIC, &d.start);
	r = (d.insn = cs_malloc(d.cs)) && (d.insn_plain = cs_malloc(d.cs_plain)) ? 0 : -ENOMEM;
	if (r >= 0)
		r = aoms_sysdec_read_symbols(&d);
	if (r >= 0)
		r = decode_all(&d);
	if (r >= 0)
		r = decoder_finish(&d);
	m->syscalls->runtime = runtime_of(&d, go);
	if (d.insn)
		cs_free(d.insn, 1);
	if (d.insn_plain)
		cs_free(d.insn_plain, 1);
	cs_close(&d.cs);
	cs_close(&d.cs_plain);
	free(d.buf);
	free(d.syncs);
	free(d.stubs);
	free(d.calls);
	return r;
}
#endif
