/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Bounds-checked access to one ELF file, on libelf: the layer every reader of ELF
 * input uses (the application model, kernel modules, eBPF objects, syscall sites).
 * libelf checks less than one would think on hostile files, and with ELF_C_READ it
 * reads lazily, so this layer
 *  - checks the header tables against the file size when opening;
 *  - checks a section's bytes lie inside the file before reading them;
 *  - decompresses SHF_COMPRESSED sections only up to a size cap;
 *  - bounds every string, symbol, note and relocation read;
 *  - keeps a one-line reason for the first failure, naming the check that failed
 *    and adding libelf's message only when libelf itself reported the error (so the
 *    reason never depends on what the thread parsed before).
 * A handle is used by one thread at a time; distinct handles run in parallel.
 */
#pragma once

#include <gelf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "aoms-macro.h"

struct aoms_elfio;

/* Decompressed sections larger than this are refused (-EFBIG). */
#define AOMS_ELFIO_MAX_DECOMPRESSED (256u << 20)

/*
 * Opens the ELF file at fd (read lazily, ELF_C_READ) or the image at buf (which
 * must outlive the handle). Returns 0 and *ret; -ENOEXEC when it is not an ELF file;
 * -EBADMSG when it starts like one but its header or header tables are damaged, with
 * *ret_reason (caller frees; may be NULL) set; -ENOMEM; -errno from fstat.
 */
int aoms_elfio_open_fd(int fd, struct aoms_elfio **ret, char **ret_reason);
int aoms_elfio_open_mem(const void *buf, size_t size, struct aoms_elfio **ret,
			char **ret_reason);
/* Accepts NULL. */
void aoms_elfio_free(struct aoms_elfio *e);
DEFINE_FREE_FUNC(struct aoms_elfio, aoms_elfio_free)

/* The libelf handle (owned by e) and the header read at open. */
Elf *aoms_elfio_elf(const struct aoms_elfio *e);
const GElf_Ehdr *aoms_elfio_ehdr(const struct aoms_elfio *e);
/* The file's size in bytes. */
uint64_t aoms_elfio_size(const struct aoms_elfio *e);
/* Reads up to n bytes at off (never past the end). Returns the count, or -1. */
ssize_t aoms_elfio_pread(const struct aoms_elfio *e, void *buf, size_t n, uint64_t off);

/*
 * A read-only view of the n bytes at off, which must lie inside the file: mapped from
 * the file (no copy; for bulk reads such as the code of an object), pointing into
 * the memory image, or read into a buffer where the file cannot be mapped. A mapped
 * view faults with SIGBUS if the file shrinks while it is
 * read: read it under aoms_sigbus_guarded() (common/sigbus-guard.h) over
 * [p, p + n). Returns 0; -EBADMSG when the range lies outside the file or cannot be
 * read; -ENOMEM.
 */
struct aoms_elfio_view {
	const uint8_t *p;
	void *own;        /* the mapping or the buffer; NULL for a memory image */
	size_t map_len;   /* 0 when own is a buffer */
};
int aoms_elfio_view_get(const struct aoms_elfio *e, uint64_t off, size_t n,
			struct aoms_elfio_view *ret);
/* Releases a view (a zeroed one too). */
void aoms_elfio_view_put(struct aoms_elfio_view *v);

/*
 * The reason of the first failure (-EBADMSG) any call on e met, or NULL. Owned by e.
 * aoms_elfio_take_reason() hands it to the caller (who frees it).
 */
const char *aoms_elfio_reason(const struct aoms_elfio *e);
char *aoms_elfio_take_reason(struct aoms_elfio *e);

struct aoms_elfio_section {
	Elf_Scn *scn;
	GElf_Shdr shdr;
	size_t index;
	const char *name;   /* from the section-name table; "" when it has none. Owned by e */
};

/* The number of section headers (0 when there are none). */
size_t aoms_elfio_n_sections(const struct aoms_elfio *e);
/* Section index (1 ..< n_sections). Returns 0; -ENOENT past the end; -EBADMSG. */
int aoms_elfio_section_at(struct aoms_elfio *e, size_t index, struct aoms_elfio_section *ret);
/* The first section named name / of type type. Returns 0, -ENOENT, -EBADMSG. */
int aoms_elfio_find_section(struct aoms_elfio *e, const char *name,
			    struct aoms_elfio_section *ret);
int aoms_elfio_find_section_type(struct aoms_elfio *e, uint32_t type,
				 struct aoms_elfio_section *ret);

/*
 * The section's contents, decompressed when SHF_COMPRESSED. *ret is owned by e.
 * Returns 0; -ENODATA for SHT_NOBITS; -EBADMSG when the bytes lie outside the file or
 * do not decompress; -EFBIG past AOMS_ELFIO_MAX_DECOMPRESSED; -ENOMEM.
 */
int aoms_elfio_section_data(struct aoms_elfio *e, const struct aoms_elfio_section *s,
			    Elf_Data **ret);

/* The NUL-terminated string at off of string-table section strndx, or NULL when
 * strndx is no string table or off (or its terminator) lies outside it. */
const char *aoms_elfio_string(struct aoms_elfio *e, size_t strndx, size_t off);

/*
 * Callbacks of the iterators: return 0 to go on; anything else stops the walk and is
 * returned by it.
 */
typedef int (*aoms_elfio_symbol_fn)(const GElf_Sym *sym, size_t index, const char *name,
				    void *ud);
typedef int (*aoms_elfio_note_fn)(const GElf_Nhdr *nh, const char *name, const void *desc,
				  void *ud);

struct aoms_elfio_reloc {
	uint64_t offset;    /* r_offset */
	uint32_t type;      /* ELF*_R_TYPE */
	uint32_t sym;       /* ELF*_R_SYM: index into the linked symbol table */
	int64_t addend;     /* 0 for SHT_REL */
	bool has_addend;    /* SHT_RELA */
};
typedef int (*aoms_elfio_reloc_fn)(const struct aoms_elfio_reloc *r, void *ud);

/*
 * Every symbol (index 1 on) of a SHT_SYMTAB or SHT_DYNSYM section, with its name from
 * the linked string table ("" for none). A bad name or entry is -EBADMSG.
 */
int aoms_elfio_foreach_symbol(struct aoms_elfio *e, const struct aoms_elfio_section *symtab,
			      aoms_elfio_symbol_fn fn, void *ud);
/*
 * The same, read a chunk at a time instead of through the section's data as a whole,
 * without names (name is NULL: resolve st_name with aoms_elfio_stream_strings() or
 * aoms_elfio_string()), for one pass over a large .symtab. -EBADMSG when the table
 * lies outside the file or its entries do not convert; no reason is recorded.
 */
int aoms_elfio_stream_symbols(struct aoms_elfio *e, const struct aoms_elfio_section *symtab,
			      aoms_elfio_symbol_fn fn, void *ud);
/*
 * Every NUL-terminated string of the SHT_STRTAB section strndx with its offset and
 * length, a chunk (1 MiB) at a time; a string longer than a chunk is left out, an
 * unterminated last one is passed as it stands. A non-zero return of fn stops and is
 * returned. -EBADMSG when it is not a string table inside the file.
 */
typedef int (*aoms_elfio_string_fn)(uint64_t off, const char *s, size_t len, void *ud);
int aoms_elfio_stream_strings(struct aoms_elfio *e, size_t strndx, aoms_elfio_string_fn fn,
			      void *ud);
/* Every note of a SHT_NOTE section; name is NUL-terminated ("" when namesz is 0), desc
 * has nh->n_descsz bytes inside the section. */
int aoms_elfio_foreach_note(struct aoms_elfio *e, const struct aoms_elfio_section *notes,
			    aoms_elfio_note_fn fn, void *ud);
/* Every relocation of a SHT_REL or SHT_RELA section. */
int aoms_elfio_foreach_reloc(struct aoms_elfio *e, const struct aoms_elfio_section *rel,
			     aoms_elfio_reloc_fn fn, void *ud);

/* Whether [off, off + count * entsize) fits in size, without overflow. */
bool aoms_elfio_range_valid(uint64_t off, uint64_t count, uint64_t entsize, uint64_t size);

/*
 * Decodes an ELF identification and header from the first n bytes of a file (no I/O,
 * libelf's translation). Returns 0; -ENOEXEC when buf does not start with the ELF
 * magic or holds less than a whole header of its class.
 */
struct aoms_elfio_ident {
	int elf_class;       /* ELFCLASS32 / ELFCLASS64 */
	int elf_data;        /* ELFDATA2LSB / ELFDATA2MSB */
	uint16_t type;
	uint16_t machine;
};
int aoms_elfio_ident(const void *buf, size_t n, struct aoms_elfio_ident *ret);
