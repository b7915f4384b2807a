/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Function starts and Go's syscall stubs of a Go program without .symtab, from its
 * .gopclntab (syscall-decode-private.h). `go build -ldflags=-s` — how most vendors
 * ship Go programs — drops .symtab, where the stubs (syscall.Syscall6, ...) are found
 * otherwise; the runtime's own function table stays, because tracebacks need it.
 * Layouts as Go's debug/gosym reads them (src/debug/gosym/pclntab.go), by magic:
 *   0xfffffffb Go 1.2-1.15: nfunc, then (entry, funcoff) pairs of pointer size; a
 *              _func at pclntab+funcoff holds entry (pointer) then nameoff (int32)
 *              from the table's start;
 *   0xfffffffa Go 1.16-1.17: nfunc, nfiles, funcnametab, cutab, filetab, pctab,
 *              functab offsets; functab pairs of pointer size from the functab;
 *   0xfffffff0 Go 1.18-1.19, 0xfffffff1 Go 1.20 on: as 1.16 with textStart after
 *              nfiles, and functab pairs of uint32 (entry as an offset from
 *              textStart); a _func starts with entryoff (uint32) then nameoff.
 * Little-endian objects only (the decoder's two machines). Every offset is checked
 * against the section; the section is read through a window, never whole (25 MB in a
 * large program).
 */
#include "config.h"
#ifdef HAVE_CAPSTONE
#include <elf.h>
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "syscall-decode-private.h"

#define WINDOW (256u << 10)
#define MAX_FUNCS (8u << 20)
#define NAME_MAX_LEN 96   /* longer than every stub name */

/* A section read through a window that moves forward with the reads (the function
 * table, the _func records and the names are each read in increasing order). */
struct window {
	struct aoms_elfio *io;
	uint64_t file_off, size;   /* the section in the file */
	uint8_t *buf;
	uint64_t at;               /* section offset of buf[0] */
	size_t n;
};

/* n bytes at section offset off into out; -EBADMSG outside the section. */
static int win_read(struct window *w, uint64_t off, void *out, size_t n)
{
	if (off > w->size || n > w->size - off)
		return -EBADMSG;
	if (off < w->at || off + n > w->at + w->n) {
		size_t want = w->size - off < WINDOW ? (size_t)(w->size - off) : WINDOW;

		if (want < n || aoms_elfio_pread(w->io, w->buf, want, w->file_off + off) != (ssize_t)want)
			return -EBADMSG;
		w->at = off;
		w->n = want;
	}
	memcpy(out, w->buf + (off - w->at), n);
	return 0;
}

/* An unsigned little-endian field of n (4 or 8) bytes. */
static int win_uint(struct window *w, uint64_t off, size_t n, uint64_t *ret)
{
	uint64_t v = 0;
	int r = win_read(w, off, &v, n);   /* the first n bytes of a zeroed 64-bit LE value */

	if (r == 0)
		*ret = le64toh(v);
	return r;
}

/* The NUL-terminated name at off, cut to NAME_MAX_LEN - 1 bytes (enough to tell a
 * stub: longer names are not stubs). */
static int win_name(struct window *w, uint64_t off, char name[NAME_MAX_LEN])
{
	size_t n = w->size - off < NAME_MAX_LEN - 1 ? (size_t)(w->size - off) : NAME_MAX_LEN - 1;
	int r = off < w->size ? win_read(w, off, name, n) : -EBADMSG;

	if (r == 0)
		name[n] = '\0';
	return r;
}

struct layout {
	size_t ptr;          /* pointer size */
	bool entry32;        /* functab entries are uint32 offsets from text */
	uint64_t nfunc, text, functab, funcs, names;   /* funcs: base of funcoff; names: of nameoff */
};

static int read_layout(struct window *w, struct layout *l)
{
	uint8_t h[8];
	uint64_t magic, v[8];
	int r = win_read(w, 0, h, sizeof(h));

	if (r < 0 || (r = win_uint(w, 0, 4, &magic)) < 0)
		return r;
	if (h[4] || h[5] || (h[7] != 4 && h[7] != 8))
		return -EBADMSG;
	l->ptr = h[7];
	for (size_t i = 0; i < 8; i++)
		if (win_uint(w, 8 + i * l->ptr, l->ptr, &v[i]) < 0)
			v[i] = 0;   /* shorter headers: only the fields read below count */
	l->nfunc = v[0];
	switch (magic) {
	case 0xfffffffb:   /* Go 1.2 */
		l->entry32 = false;
		l->functab = 8 + l->ptr;
		l->funcs = l->names = 0;
		break;
	case 0xfffffffa:   /* Go 1.16 */
		l->entry32 = false;
		l->names = v[2];
		l->functab = l->funcs = v[6];
		break;
	case 0xfffffff0:   /* Go 1.18 */
	case 0xfffffff1:   /* Go 1.20 */
		l->entry32 = true;
		l->text = v[2];
		l->names = v[3];
		l->functab = l->funcs = v[7];
		break;
	default:
		return -EBADMSG;
	}
	return l->nfunc && l->nfunc <= MAX_FUNCS ? 0 : -EBADMSG;
}

/* Entry i of the function table: the function's start and its _func's offset. */
static int functab_at(struct window *w, const struct layout *l, uint64_t i, uint64_t *entry,
		      uint64_t *funcoff)
{
	size_t f = l->entry32 ? 4 : l->ptr;
	int r = win_uint(w, l->functab + i * 2 * f, f, entry);

	if (r == 0)
		r = win_uint(w, l->functab + i * 2 * f + f, f, funcoff);
	if (r == 0 && l->entry32)
		*entry += l->text;
	return r;
}

int aoms_sysdec_read_gopclntab(struct decoder *d)
{
	struct aoms_elfio_section s;
	struct layout l = { 0 };
	struct window tab = { .io = d->io }, func = { .io = d->io }, names = { .io = d->io };
	uint64_t entry, funcoff, next_entry = 0, next_off;
	int r;

	if (aoms_elfio_ehdr(d->io)->e_ident[EI_DATA] != ELFDATA2LSB ||
	    aoms_elfio_find_section(d->io, ".gopclntab", &s) < 0 || s.shdr.sh_type == SHT_NOBITS ||
	    (s.shdr.sh_flags & SHF_COMPRESSED) ||
	    !aoms_elfio_range_valid(s.shdr.sh_offset, 1, s.shdr.sh_size, aoms_elfio_size(d->io)))
		return 0;
	tab.file_off = func.file_off = names.file_off = s.shdr.sh_offset;
	tab.size = func.size = names.size = s.shdr.sh_size;
	tab.buf = malloc(WINDOW);
	func.buf = malloc(WINDOW);
	names.buf = malloc(WINDOW);
	r = tab.buf && func.buf && names.buf ? 0 : -ENOMEM;
	if (r == 0 && read_layout(&tab, &l) < 0)
		goto out;   /* not a table this reader knows: no starts, no stubs */
	if (r == 0 && functab_at(&tab, &l, 0, &next_entry, &next_off) < 0)
		goto out;
	for (uint64_t i = 0; r == 0 && i < l.nfunc; i++) {
		uint64_t nameoff;
		char name[NAME_MAX_LEN];
		enum stub_kind k;

		entry = next_entry;
		funcoff = next_off;
		/* entry nfunc is the end of the last function */
		if (functab_at(&tab, &l, i + 1, &next_entry, &next_off) < 0)
			break;
		if ((r = aoms_sysdec_add_sync(d, entry)) < 0)
			break;
		/* a _func: its entry (uint32 offset, or a pointer before 1.18), then nameoff */
		if (win_uint(&func, l.funcs + funcoff + (l.entry32 ? 4 : l.ptr), 4, &nameoff) < 0 ||
		    win_name(&names, l.names + (uint32_t)nameoff, name) < 0)
			continue;
		k = strstr(name, "yscall") ? aoms_sysdec_stub_kind(name) : 0;
		if (k == STUB_GO && next_entry > entry)
			r = aoms_sysdec_add_stub(d, entry, next_entry - entry, k);
	}
out:
	free(tab.buf);
	free(func.buf);
	free(names.buf);
	return r == -ENOMEM ? r : 0;
}
#endif
