/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the syscall pass takes from an object's symbols (syscall-decode-private.h):
 * function starts (where decoding may start), stubs (syscall(), musl's __syscall, Go's
 * syscall.Syscall*, ...; calls to them are sites), glibc's and musl's start-up
 * symbols (the runtime of a static program), and the GOT slot of an imported
 * syscall().
 *
 * A large static or Go program's .symtab (200,000 symbols) and .strtab (13 MB of
 * names) are read a chunk at a time (elfio's streams), not through libelf's whole
 * copies: the names are passed over once first, keeping only those a stub or a start-up
 * symbol can have (holding "yscall", or ending with a start-up name: a symbol's name
 * may be the tail of a longer string); then each symbol's name, if it has one of
 * those, is found among them. .dynsym is read through libelf: the model reader has
 * already loaded it. Without .symtab, a Go program's .gopclntab gives its functions
 * (syscall-gopclntab.c).
 */
#define _GNU_SOURCE   /* memmem */
#include "config.h"
#ifdef HAVE_CAPSTONE
#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "grow.h"
#include "syscall-decode-private.h"

int aoms_sysdec_add_sync(struct decoder *d, uint64_t addr)
{
	if (aoms_grow((void **)&d->syncs, &d->cap_syncs, d->n_syncs, sizeof(*d->syncs)) < 0)
		return -ENOMEM;
	d->syncs[d->n_syncs++] = addr;
	return 0;
}

int aoms_sysdec_add_stub(struct decoder *d, uint64_t addr, uint64_t size, enum stub_kind kind)
{
	if (aoms_grow((void **)&d->stubs, &d->cap_stubs, d->n_stubs, sizeof(*d->stubs)) < 0)
		return -ENOMEM;
	d->stubs[d->n_stubs++] = (struct stub){ .addr = addr, .end = addr + size, .kind = kind };
	if (d->n_stubs == 1 || addr < d->stub_lo)
		d->stub_lo = addr;
	if (d->n_stubs == 1 || addr > d->stub_hi)
		d->stub_hi = addr;
	return 0;
}

static const char *const go_stubs[] = {
	"syscall.Syscall", "syscall.Syscall6", "syscall.Syscall9", "syscall.RawSyscall",
	"syscall.RawSyscall6", "syscall.rawSyscallNoError", "syscall.RawSyscallNoError",
	"syscall.rawVforkSyscall", "syscall.runtime_doAllThreadsSyscall",
	"runtime/internal/syscall.Syscall6", "internal/runtime/syscall.Syscall6",
	"internal/runtime/syscall/linux.Syscall6",
	"golang.org/x/sys/unix.Syscall", "golang.org/x/sys/unix.Syscall6",
	"golang.org/x/sys/unix.RawSyscall", "golang.org/x/sys/unix.RawSyscall6",
	"golang.org/x/sys/unix.SyscallNoError", "golang.org/x/sys/unix.RawSyscallNoError",
};
/* syscall() and musl's cancellable entry (number in its second argument: its call
 * sites are not judged, its own site is not counted). */
static const char *const c_stubs[] = { "syscall", "__syscall", "__syscall_cp_asm" };
/* The start-up symbols that tell the runtime of a static program. */
static const char musl_mark[] = "__init_libc";
static const char *const glibc_marks[] = { "__libc_setup_tls", "__libc_start_main" };

enum stub_kind aoms_sysdec_stub_kind(const char *name)
{
	size_t n = strlen(name);

	if (n > 5 && strcmp(name + n - 5, ".abi0") == 0)
		n -= 5;
	for (size_t i = 0; i < sizeof(go_stubs) / sizeof(*go_stubs); i++)
		if (strlen(go_stubs[i]) == n && strncmp(go_stubs[i], name, n) == 0)
			return STUB_GO;
	for (size_t i = 0; i < sizeof(c_stubs) / sizeof(*c_stubs); i++)
		if (strcmp(c_stubs[i], name) == 0)
			return STUB_C;
	return 0;
}

/* A defined function: a place decoding may start, maybe a stub or a start-up mark.
 * name is NULL when it cannot be a stub or a mark. */
static int consider(struct decoder *d, const GElf_Sym *s, const char *name)
{
	int type = GELF_ST_TYPE(s->st_info);
	enum stub_kind k;

	if (s->st_shndx == SHN_UNDEF || (type != STT_FUNC && type != STT_GNU_IFUNC) || !s->st_value)
		return 0;
	if (aoms_sysdec_add_sync(d, s->st_value) < 0)
		return -ENOMEM;
	if (!name)
		return 0;
	if (name[0] == '_' && strcmp(name, musl_mark) == 0)
		d->musl_sym = true;
	for (size_t i = 0; name[0] == '_' && i < sizeof(glibc_marks) / sizeof(*glibc_marks); i++)
		if (strcmp(name, glibc_marks[i]) == 0)
			d->glibc_sym = true;
	/* Every stub's name holds "yscall"; most symbols are ruled out by that alone. */
	k = strstr(name, "yscall") ? aoms_sysdec_stub_kind(name) : 0;
	return k ? aoms_sysdec_add_stub(d, s->st_value, s->st_size, k) : 0;
}

static int on_dynsym(const GElf_Sym *s, size_t index, const char *name, void *ud)
{
	return consider(ud, s, name);
}

/* ---- .symtab, streamed ---------------------------------------------------- */

struct kept_name {
	uint64_t off;   /* in the string table */
	size_t len;
	char *s;
};

struct symtab_pass {
	struct decoder *d;
	struct kept_name *names;   /* by offset (the stream's order) */
	size_t n_names, cap_names;
};

static bool ends_with(const char *s, size_t len, const char *tail)
{
	size_t n = strlen(tail);

	return len >= n && memcmp(s + len - n, tail, n) == 0;
}

static bool may_matter(const char *s, size_t len)
{
	if (memmem(s, len, "yscall", 6) || ends_with(s, len, musl_mark))
		return true;
	for (size_t i = 0; i < sizeof(glibc_marks) / sizeof(*glibc_marks); i++)
		if (ends_with(s, len, glibc_marks[i]))
			return true;
	return false;
}

static int on_string(uint64_t off, const char *s, size_t len, void *ud)
{
	struct symtab_pass *p = ud;
	struct kept_name *k;

	if (!may_matter(s, len))
		return 0;
	if (aoms_grow((void **)&p->names, &p->cap_names, p->n_names, sizeof(*p->names)) < 0)
		return -ENOMEM;
	k = &p->names[p->n_names];
	if (!(k->s = strndup(s, len)))
		return -ENOMEM;
	k->off = off;
	k->len = len;
	p->n_names++;
	return 0;
}

/* The name at offset off when it lies in a kept string, else NULL. */
static const char *kept_name_at(const struct symtab_pass *p, uint64_t off)
{
	size_t a = 0, b = p->n_names;

	while (a < b) {   /* the last kept string starting at or before off */
		size_t mid = (a + b) / 2;

		if (p->names[mid].off <= off)
			a = mid + 1;
		else
			b = mid;
	}
	if (a == 0 || off - p->names[a - 1].off >= p->names[a - 1].len)
		return NULL;
	return p->names[a - 1].s + (off - p->names[a - 1].off);
}

static int on_symtab(const GElf_Sym *s, size_t index, const char *name, void *ud)
{
	struct symtab_pass *p = ud;

	return consider(p->d, s, kept_name_at(p, s->st_name));
}

static int read_symtab(struct decoder *d, const struct aoms_elfio_section *sym)
{
	struct symtab_pass p = { .d = d };
	int r = aoms_elfio_stream_strings(d->io, sym->shdr.sh_link, on_string, &p);

	if (r >= 0)
		r = aoms_elfio_stream_symbols(d->io, sym, on_symtab, &p);
	for (size_t i = 0; i < p.n_names; i++)
		free(p.names[i].s);
	free(p.names);
	return r;
}

/* ---- the syscall import's GOT slot ---------------------------------------- */

/* The GOT slot of the dynamic symbol index want[0], from .rela.plt / .rela.dyn. */
static int on_reloc(const struct aoms_elfio_reloc *r, void *ud)
{
	uint64_t *want = ud;

	if (r->sym == want[0]) {
		want[1] = r->offset;
		return 1;
	}
	return 0;
}

static int on_dynsym_syscall(const GElf_Sym *s, size_t index, const char *name, void *ud)
{
	uint64_t *want = ud;

	if (s->st_shndx == SHN_UNDEF && strcmp(name, "syscall") == 0) {
		want[0] = index;
		return 1;
	}
	return 0;
}

static uint64_t syscall_got(struct decoder *d, const struct aoms_elfio_section *dyn)
{
	uint64_t want[2] = { 0, 0 };

	if (aoms_elfio_foreach_symbol(d->io, dyn, on_dynsym_syscall, want) != 1)
		return 0;
	for (size_t i = 1; i < aoms_elfio_n_sections(d->io) && !want[1]; i++) {
		struct aoms_elfio_section s;

		if (aoms_elfio_section_at(d->io, i, &s) < 0)
			break;
		if ((s.shdr.sh_type == SHT_RELA || s.shdr.sh_type == SHT_REL) &&
		    s.shdr.sh_link == dyn->index)
			aoms_elfio_foreach_reloc(d->io, &s, on_reloc, want);
	}
	return want[1];
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

int aoms_sysdec_read_symbols(struct decoder *d)
{
	struct aoms_elfio_section sym, dyn;
	bool have_sym = aoms_elfio_find_section_type(d->io, SHT_SYMTAB, &sym) == 0;
	bool have_dyn = aoms_elfio_find_section_type(d->io, SHT_DYNSYM, &dyn) == 0;
	int r = 0;

	/* a stripped program: a Go program's stubs from .gopclntab, a static glibc
	 * program's syscall() from its code */
	if (have_sym)
		r = read_symtab(d, &sym);
	else if ((r = aoms_sysdec_read_gopclntab(d)) >= 0 && !d->n_stubs && d->x86 && !d->m->n_needed)
		r = aoms_sysdec_find_glibc_syscall(d);
	/* .dynsym's defined functions are in .symtab too: read it only without one */
	if (r >= 0 && have_dyn && !have_sym)
		r = aoms_elfio_foreach_symbol(d->io, &dyn, on_dynsym, d);
	if (r == -ENOMEM)
		return r;
	if (have_dyn)
		d->syscall_got = syscall_got(d, &dyn);
	/* A damaged symbol table only costs boundaries. */
	free(aoms_elfio_take_reason(d->io));
	if (d->n_syncs)
		qsort(d->syncs, d->n_syncs, sizeof(*d->syncs), cmp_u64);
	return 0;
}
#endif
