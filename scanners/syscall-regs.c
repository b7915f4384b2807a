/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Following registers through straight-line code for syscall-decode.c: immediate
 * loads, register moves, xor r,r, add/or/sub/movk of an immediate, Go's first stack
 * argument (x86 `mov [rsp], imm`, aarch64 `str xN, [sp, #8]`); any other write
 * forgets the register (see syscall-decode.c for why this is enough).
 */
#include "config.h"
#ifdef HAVE_CAPSTONE
#include <string.h>
#include "syscall-decode-private.h"

static int gpr_x86(unsigned reg, bool *partial)
{
	static const struct { unsigned r64, r32, r16, r8; } t[] = {
		{ X86_REG_RAX, X86_REG_EAX, X86_REG_AX, X86_REG_AL },
		{ X86_REG_RBX, X86_REG_EBX, X86_REG_BX, X86_REG_BL },
		{ X86_REG_RCX, X86_REG_ECX, X86_REG_CX, X86_REG_CL },
		{ X86_REG_RDX, X86_REG_EDX, X86_REG_DX, X86_REG_DL },
		{ X86_REG_RSI, X86_REG_ESI, X86_REG_SI, X86_REG_SIL },
		{ X86_REG_RDI, X86_REG_EDI, X86_REG_DI, X86_REG_DIL },
		{ X86_REG_RBP, X86_REG_EBP, X86_REG_BP, X86_REG_BPL },
		{ X86_REG_RSP, X86_REG_ESP, X86_REG_SP, X86_REG_SPL },
		{ X86_REG_R8, X86_REG_R8D, X86_REG_R8W, X86_REG_R8B },
		{ X86_REG_R9, X86_REG_R9D, X86_REG_R9W, X86_REG_R9B },
		{ X86_REG_R10, X86_REG_R10D, X86_REG_R10W, X86_REG_R10B },
		{ X86_REG_R11, X86_REG_R11D, X86_REG_R11W, X86_REG_R11B },
		{ X86_REG_R12, X86_REG_R12D, X86_REG_R12W, X86_REG_R12B },
		{ X86_REG_R13, X86_REG_R13D, X86_REG_R13W, X86_REG_R13B },
		{ X86_REG_R14, X86_REG_R14D, X86_REG_R14W, X86_REG_R14B },
		{ X86_REG_R15, X86_REG_R15D, X86_REG_R15W, X86_REG_R15B },
	};

	*partial = false;
	for (int i = 0; i < (int)(sizeof(t) / sizeof(*t)); i++) {
		if (reg == t[i].r64 || reg == t[i].r32)
			return i;
		if (reg == t[i].r16 || reg == t[i].r8) {
			*partial = true;
			return i;
		}
	}
	if (reg == X86_REG_AH || reg == X86_REG_BH || reg == X86_REG_CH || reg == X86_REG_DH) {
		*partial = true;
		return reg == X86_REG_AH ? 0 : reg == X86_REG_BH ? 1 : reg == X86_REG_CH ? 2 : 3;
	}
	return -1;
}

static int gpr_a64(unsigned reg, bool *is32)
{
	*is32 = false;
	if (reg >= ARM64_REG_X0 && reg <= ARM64_REG_X28)
		return (int)(reg - ARM64_REG_X0);
	if (reg == ARM64_REG_X29 || reg == ARM64_REG_X30)
		return reg == ARM64_REG_X29 ? 29 : 30;
	if (reg >= ARM64_REG_W0 && reg <= ARM64_REG_W30) {
		*is32 = true;
		return (int)(reg - ARM64_REG_W0);
	}
	return -1;
}

static void reg_set(struct regs *s, int i, uint64_t v)
{
	s->val[i] = v;
	s->known |= 1ull << i;
}

bool aoms_sysdec_reg_get(const struct regs *s, int i, uint64_t *v)
{
	if (i < 0 || !(s->known & (1ull << i)))
		return false;
	*v = s->val[i];
	return true;
}

static void forget_reg(struct decoder *d, struct regs *s, unsigned reg)
{
	bool narrow;
	int k = d->x86 ? gpr_x86(reg, &narrow) : gpr_a64(reg, &narrow);

	if (k >= 0)
		s->known &= ~(1ull << k);
	if ((d->x86 && reg == X86_REG_RSP) || (!d->x86 && reg == ARM64_REG_SP))
		s->known &= ~(1ull << REG_STACK);
}

/* Forgets every register the instruction writes: its implicit writes and its register
 * operands accessed for writing on x86 (cheaper than cs_regs_access(), which the
 * sweep would call for every instruction). */
static void forget_written(struct decoder *d, struct regs *s)
{
	const cs_detail *det = d->insn->detail;

	for (uint8_t i = 0; i < det->regs_write_count; i++)
		forget_reg(d, s, det->regs_write[i]);
	if (d->x86) {
		for (uint8_t i = 0; i < det->x86.op_count; i++)
			if (det->x86.operands[i].type == X86_OP_REG &&
			    (det->x86.operands[i].access & CS_AC_WRITE))
				forget_reg(d, s, det->x86.operands[i].reg);
	} else {
		/* capstone 4 leaves aarch64 operand access unset: ask it. */
		cs_regs rd, wr;
		uint8_t n_rd, n_wr;

		if (cs_regs_access(d->cs, d->insn, rd, &n_rd, wr, &n_wr) != CS_ERR_OK) {
			s->known = 0;
			return;
		}
		for (uint8_t i = 0; i < n_wr; i++)
			forget_reg(d, s, wr[i]);
	}
}

/* ---- x86_64 ------------------------------------------------------------- */

static bool x86_is_stack0(const cs_x86_op *op)
{
	return op->type == X86_OP_MEM && op->mem.base == X86_REG_RSP &&
	       op->mem.index == X86_REG_INVALID && op->mem.disp == 0 && op->size == 8;
}

void aoms_sysdec_x86_track(struct decoder *d, struct regs *s)
{
	const cs_x86 *x = &d->insn->detail->x86;
	const cs_x86_op *o0 = &x->operands[0], *o1 = &x->operands[1];
	bool narrow = false, narrow1 = false;
	int r0 = x->op_count >= 1 && o0->type == X86_OP_REG ? gpr_x86(o0->reg, &narrow) : -1;
	uint64_t v = 0, w;
	bool have = false;

	if (x->op_count == 2) {
		switch (d->insn->id) {
		case X86_INS_MOV:
		case X86_INS_MOVABS:
			if (o1->type == X86_OP_IMM) {
				v = (uint64_t)o1->imm;
				have = true;
			} else if (o1->type == X86_OP_REG) {
				int r1 = gpr_x86(o1->reg, &narrow1);

				have = !narrow1 && aoms_sysdec_reg_get(s, r1, &v);
			}
			if (x86_is_stack0(o0)) {
				forget_written(d, s);
				if (have)
					reg_set(s, REG_STACK, v);
				else
					s->known &= ~(1ull << REG_STACK);
				return;
			}
			break;
		case X86_INS_XOR:
			have = o1->type == X86_OP_REG && o0->type == X86_OP_REG && o0->reg == o1->reg;
			v = 0;
			break;
		case X86_INS_ADD:
		case X86_INS_OR:
		case X86_INS_SUB:
			if (o1->type == X86_OP_IMM && aoms_sysdec_reg_get(s, r0, &w)) {
				v = d->insn->id == X86_INS_ADD ? w + (uint64_t)o1->imm
				  : d->insn->id == X86_INS_OR ? w | (uint64_t)o1->imm : w - (uint64_t)o1->imm;
				have = true;
			}
			break;
		default:
			break;
		}
	}
	forget_written(d, s);
	if (have && r0 >= 0 && !narrow)
		reg_set(s, r0, o0->size == 4 ? v & 0xffffffffu : v);
	/* A store over [rsp] that was not understood. */
	if (x->op_count >= 1 && x86_is_stack0(o0) && !have)
		s->known &= ~(1ull << REG_STACK);
}

/* ---- aarch64 ------------------------------------------------------------ */

void aoms_sysdec_a64_track(struct decoder *d, struct regs *s)
{
	const cs_arm64 *a = &d->insn->detail->arm64;
	const cs_arm64_op *o0 = &a->operands[0], *o1 = &a->operands[1];
	bool is32 = false, is32b = false;
	int r0 = a->op_count >= 1 && o0->type == ARM64_OP_REG ? gpr_a64(o0->reg, &is32) : -1;
	uint64_t v = 0, w;
	bool have = false;

	if (a->op_count == 2) {
		switch (d->insn->id) {
		case ARM64_INS_MOV:
		case ARM64_INS_MOVZ:
			if (o1->type == ARM64_OP_IMM) {
				v = (uint64_t)o1->imm;
				if (o1->shift.type == ARM64_SFT_LSL && o1->shift.value < 64)
					v <<= o1->shift.value;
				have = true;
			} else if (o1->type == ARM64_OP_REG) {
				if (o1->reg == ARM64_REG_XZR || o1->reg == ARM64_REG_WZR)
					have = true, v = 0;
				else
					have = aoms_sysdec_reg_get(s, gpr_a64(o1->reg, &is32b), &v);
			}
			break;
		case ARM64_INS_MOVK:
			if (o1->type == ARM64_OP_IMM && aoms_sysdec_reg_get(s, r0, &w)) {
				unsigned sh = o1->shift.type == ARM64_SFT_LSL ? o1->shift.value : 0;

				if (sh < 64) {
					v = (w & ~(0xffffull << sh)) | ((uint64_t)o1->imm & 0xffff) << sh;
					have = true;
				}
			}
			break;
		case ARM64_INS_STR:
			/* Go ABI0: the first argument at 8(RSP). */
			if (o1->type == ARM64_OP_MEM && o1->mem.base == ARM64_REG_SP &&
			    o1->mem.index == ARM64_REG_INVALID && o1->mem.disp == 8 && !a->writeback) {
				bool ok = o0->reg == ARM64_REG_XZR ? (v = 0, true)
								   : aoms_sysdec_reg_get(s, r0, &v);

				forget_written(d, s);
				if (ok)
					reg_set(s, REG_STACK, v);
				else
					s->known &= ~(1ull << REG_STACK);
				return;
			}
			break;
		default:
			break;
		}
	}
	forget_written(d, s);
	if (have && r0 >= 0)
		reg_set(s, r0, is32 ? v & 0xffffffffu : v);
}

/* ---- the sweep ---------------------------------------------------------- */

/* stubs[] is sorted by address once the symbols and the PLT are read. */
#endif
