/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reading the ELF model with libelf. Every count and offset in the file is
 * hostile: libelf's gelf_get*() accessors check their index against the data
 * they are given, elf_strptr() checks string offsets, and the version chains are
 * additionally bounded by their section size so a looping vn_next cannot spin.
 */
#define _GNU_SOURCE   /* memmem */
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "elf-model.h"
#include "elfio.h"
#include "strbuf.h"
#include "strpool.h"

#ifndef DT_RELR
#define DT_RELR 36
#endif
#ifndef SHT_RELR
#define SHT_RELR 19
#endif
#ifndef NT_GNU_ABI_TAG
#define NT_GNU_ABI_TAG 1
#endif

/* Hard caps so a forged header cannot make us allocate without bound. */
#define MAX_DYNSYMS (1u << 22)
#define MAX_VERSION_ENTRIES 65535

struct elf_reader {
	struct aoms_elfio *io;
	Elf *elf;
	struct aoms_elf *m;
	const char **vername;  /* version index -> name (verdef and verneed), for this object */
	int *vermap;           /* version index -> needs[] index, -1 for verdefs */
	size_t n_vers;
	char *reason;
	aoms_elf_export_fn on_export;
	void *ud;
	struct aoms_strpool *pool;
};

/* libelf's message is added only when libelf reported an error since the last
 * check: a stale one of an earlier file on this thread must not leak in. */
static int reader_fail(struct elf_reader *r, const char *what)
{
	int err = elf_errno();

	if (!r->reason)
		r->reason = err ? aoms_strdupf("%s: %s", what, elf_errmsg(err)) : strdup(what);
	return -EBADMSG;
}

static const char *arena_str(struct elf_reader *r, const char *s)
{
	if (!s)
		return NULL;
	return r->pool ? aoms_strpool_intern(r->pool, s) : aoms_arena_strdup(r->m->arena, s);
}

/* PT_INTERP is read with pread, not elf_rawfile(): the ELF handle is opened with
 * ELF_C_READ so libelf reads only the sections asked for, and elf_rawfile() would
 * pull in the whole file. */
static int read_interp(struct elf_reader *r)
{
	size_t phnum;

	if (elf_getphdrnum(r->elf, &phnum) < 0)
		return reader_fail(r, "cannot read program headers");
	for (size_t i = 0; i < phnum; i++) {
		char buf[4097];
		GElf_Phdr ph;
		ssize_t n;

		if (!gelf_getphdr(r->elf, (int)i, &ph))
			return reader_fail(r, "cannot read program header");
		if (ph.p_type != PT_INTERP)
			continue;
		if (ph.p_filesz == 0 || ph.p_filesz >= sizeof(buf) ||
		    (n = aoms_elfio_pread(r->io, buf, ph.p_filesz, ph.p_offset)) != (ssize_t)ph.p_filesz) {
			r->reason = strdup("PT_INTERP lies outside the file");
			return -EBADMSG;
		}
		r->m->interp = aoms_arena_strndup(r->m->arena, buf, strnlen(buf, (size_t)n));
		return r->m->interp ? 0 : -ENOMEM;
	}
	return 0;
}

static int read_dynamic(struct elf_reader *r, Elf_Scn *scn, const GElf_Shdr *sh)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t n, k = 0;

	if (!data)
		return reader_fail(r, "cannot read .dynamic");
	r->m->dynamic = true;
	n = sh->sh_entsize ? data->d_size / sh->sh_entsize : 0;
	r->m->needed = aoms_arena_alloc(r->m->arena, (n + 1) * sizeof(char *));
	if (!r->m->needed)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		GElf_Dyn d;
		const char *s = NULL;

		if (!gelf_getdyn(data, (int)i, &d) || d.d_tag == DT_NULL)
			break;
		if (d.d_tag == DT_NEEDED || d.d_tag == DT_SONAME || d.d_tag == DT_RPATH ||
		    d.d_tag == DT_RUNPATH) {
			s = elf_strptr(r->elf, sh->sh_link, d.d_un.d_val);
			if (!s)
				return reader_fail(r, "bad string in .dynamic");
			s = arena_str(r, s);
			if (!s)
				return -ENOMEM;
		}
		switch (d.d_tag) {
		case DT_NEEDED: r->m->needed[k++] = s; break;
		case DT_SONAME: r->m->soname = s; break;
		case DT_RPATH: r->m->rpath = s; break;
		case DT_RUNPATH: r->m->runpath = s; break;
		case DT_RELR: r->m->relr = true; break;
		case DT_BIND_NOW: r->m->bind_now = true; break;
		case DT_FLAGS: if (d.d_un.d_val & DF_BIND_NOW) r->m->bind_now = true; break;
		case DT_FLAGS_1: if (d.d_un.d_val & DF_1_NOW) r->m->bind_now = true; break;
		default: break;
		}
	}
	r->m->n_needed = k;
	return 0;
}

static int vers_slot(struct elf_reader *r, size_t idx)
{
	if (idx >= MAX_VERSION_ENTRIES) {
		r->reason = aoms_strdupf("version index %zu out of range", idx);
		return -EBADMSG;
	}
	if (idx >= r->n_vers) {
		size_t n = idx + 16;
		const char **nv = realloc(r->vername, n * sizeof(*nv));
		int *nm;

		if (!nv)
			return -ENOMEM;
		r->vername = nv;
		nm = realloc(r->vermap, n * sizeof(*nm));
		if (!nm)
			return -ENOMEM;
		r->vermap = nm;
		for (size_t i = r->n_vers; i < n; i++) {
			r->vername[i] = NULL;
			r->vermap[i] = -1;
		}
		r->n_vers = n;
	}
	return 0;
}

static int read_verneed(struct elf_reader *r, Elf_Scn *scn, const GElf_Shdr *sh)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t off = 0, max, cap = 0;

	if (!data)
		return reader_fail(r, "cannot read .gnu.version_r");
	max = data->d_size / sizeof(GElf_Vernaux) + 1;
	for (size_t i = 0; i < max; i++) {
		GElf_Verneed vn;
		const char *file;
		size_t aoff;

		if (!gelf_getverneed(data, (int)off, &vn))
			return reader_fail(r, "bad .gnu.version_r entry");
		file = elf_strptr(r->elf, sh->sh_link, vn.vn_file);
		if (!file)
			return reader_fail(r, "bad string in .gnu.version_r");
		file = arena_str(r, file);
		aoff = off + vn.vn_aux;
		for (size_t j = 0; j < vn.vn_cnt && j < max; j++) {
			GElf_Vernaux va;
			struct aoms_elf_need *need;
			const char *ver;
			int rr;

			if (!gelf_getvernaux(data, (int)aoff, &va))
				return reader_fail(r, "bad .gnu.version_r aux entry");
			ver = elf_strptr(r->elf, sh->sh_link, va.vna_name);
			if (!ver)
				return reader_fail(r, "bad string in .gnu.version_r");
			if (r->m->n_needs == cap) {
				struct aoms_elf_need *nn;

				cap = cap ? cap * 2 : 16;
				nn = aoms_arena_alloc(r->m->arena, cap * sizeof(*nn));
				if (!nn)
					return -ENOMEM;
				if (r->m->n_needs)
					memcpy(nn, r->m->needs, r->m->n_needs * sizeof(*nn));
				r->m->needs = nn;
			}
			need = &r->m->needs[r->m->n_needs];
			need->soname = file;
			need->version = arena_str(r, ver);
			need->weak = va.vna_flags & VER_FLG_WEAK;
			need->index = va.vna_other & 0x7fff;
			if (!file || !need->version)
				return -ENOMEM;
			rr = vers_slot(r, need->index);
			if (rr < 0)
				return rr;
			r->vername[need->index] = need->version;
			r->vermap[need->index] = (int)r->m->n_needs++;
			if (!va.vna_next)
				break;
			aoff += va.vna_next;
		}
		if (!vn.vn_next)
			return 0;
		off += vn.vn_next;
	}
	r->reason = strdup(".gnu.version_r chain does not end");
	return -EBADMSG;
}

static int read_verdef(struct elf_reader *r, Elf_Scn *scn, const GElf_Shdr *sh)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t off = 0, max;

	if (!data)
		return reader_fail(r, "cannot read .gnu.version_d");
	max = data->d_size / sizeof(GElf_Verdaux) + 1;
	for (size_t i = 0; i < max; i++) {
		GElf_Verdef vd;
		GElf_Verdaux va;
		const char *name;
		int rr;

		if (!gelf_getverdef(data, (int)off, &vd) ||
		    !gelf_getverdaux(data, (int)(off + vd.vd_aux), &va))
			return reader_fail(r, "bad .gnu.version_d entry");
		name = elf_strptr(r->elf, sh->sh_link, va.vda_name);
		if (!name)
			return reader_fail(r, "bad string in .gnu.version_d");
		rr = vers_slot(r, vd.vd_ndx & 0x7fff);
		if (rr < 0)
			return rr;
		r->vername[vd.vd_ndx & 0x7fff] = arena_str(r, name);
		if (!(vd.vd_flags & VER_FLG_BASE) && r->m->exports) {
			rr = aoms_libabi_add_verdef(r->m->exports, name);
			if (rr < 0)
				return rr;
		}
		if (!vd.vd_next)
			return 0;
		off += vd.vd_next;
	}
	r->reason = strdup(".gnu.version_d chain does not end");
	return -EBADMSG;
}

static bool sym_is_export(const GElf_Sym *s)
{
	int bind = GELF_ST_BIND(s->st_info), type = GELF_ST_TYPE(s->st_info);

	if (bind != STB_GLOBAL && bind != STB_WEAK && bind != STB_GNU_UNIQUE)
		return false;
	return type != STT_SECTION && type != STT_FILE;
}

static const char *sym_type(const GElf_Sym *s)
{
	switch (GELF_ST_TYPE(s->st_info)) {
	case STT_FUNC: case STT_GNU_IFUNC: return "F";
	case STT_OBJECT: case STT_COMMON: return "D";
	case STT_TLS: return "T";
	default: return "O";
	}
}

/* The plug-in kind an exported entry point marks (enum aoms_elf_host), 0 for any other
 * name; a legacy Node module's NODE_MODULE_VERSION goes to *node_abi. */
static unsigned host_of_export(const char *name, unsigned *node_abi)
{
	static const char node_legacy[] = "node_register_module_v";

	if (!strncmp(name, "PyInit_", 7))
		return AOMS_ELF_HOST_PYTHON;
	if (!strcmp(name, "napi_register_module_v1"))
		return AOMS_ELF_HOST_NODE;
	if (!strncmp(name, node_legacy, sizeof(node_legacy) - 1)) {
		unsigned v = 0;

		for (const char *p = name + sizeof(node_legacy) - 1; *p >= '0' && *p <= '9' && v < 100000; p++)
			v = v * 10 + (unsigned)(*p - '0');
		*node_abi = v;
		return AOMS_ELF_HOST_NODE;
	}
	if (!strncmp(name, "Java_", 5) || !strncmp(name, "JNI_OnLoad", 10))
		return AOMS_ELF_HOST_JNI;
	if (!strncmp(name, "boot_", 5) && name[5])
		return AOMS_ELF_HOST_PERL;
	if (!strcmp(name, "Pg_magic_func"))
		return AOMS_ELF_HOST_POSTGRES;
	return 0;
}

/* The plug-in kind an import marks: a Node addon built with the older headers
 * registers itself from a constructor (NAPI_MODULE before Node 10's
 * napi_register_module_v1, or a V8 NODE_MODULE) and exports no entry point. */
static unsigned host_of_import(const char *name)
{
	return !strcmp(name, "napi_module_register") || !strcmp(name, "node_module_register")
		       ? AOMS_ELF_HOST_NODE : 0;
}

static int read_dynsym(struct elf_reader *r, Elf_Scn *scn, const GElf_Shdr *sh, Elf_Data *versym)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t n, k = 0;

	if (!data)
		return reader_fail(r, "cannot read .dynsym");
	n = sh->sh_entsize ? data->d_size / sh->sh_entsize : 0;
	if (n > MAX_DYNSYMS) {
		r->reason = aoms_strdupf(".dynsym claims %zu symbols", n);
		return -EBADMSG;
	}
	/* Sized for the undefined symbols only: a big library has 10^5 exports. */
	for (size_t i = 1; i < n; i++) {
		GElf_Sym s;

		if (gelf_getsym(data, (int)i, &s) && s.st_shndx == SHN_UNDEF)
			k++;
	}
	r->m->imports = aoms_arena_alloc(r->m->arena, (k ? k : 1) * sizeof(*r->m->imports));
	if (!r->m->imports)
		return -ENOMEM;
	k = 0;
	for (size_t i = 1; i < n; i++) {
		GElf_Sym s;
		GElf_Versym v = 1;
		const char *name;
		size_t idx;
		int rr;

		if (!gelf_getsym(data, (int)i, &s))
			return reader_fail(r, "bad .dynsym entry");
		if (GELF_ST_BIND(s.st_info) == STB_LOCAL || s.st_name == 0)
			continue;
		name = elf_strptr(r->elf, sh->sh_link, s.st_name);
		if (!name)
			return reader_fail(r, "bad symbol name in .dynsym");
		if (versym && !gelf_getversym(versym, (int)i, &v))
			return reader_fail(r, "bad .gnu.version entry");
		idx = v & 0x7fff;
		if (s.st_shndx == SHN_UNDEF) {
			struct aoms_elf_import *imp = &r->m->imports[k];

			imp->name = arena_str(r, name);
			if (!imp->name)
				return -ENOMEM;
			imp->weak = GELF_ST_BIND(s.st_info) == STB_WEAK;
			if (name[0] == 'n')
				r->m->hosts |= host_of_import(name);
			imp->need = idx >= 2 && idx < r->n_vers ? r->vermap[idx] : -1;
			k++;
			continue;
		}
		/* A plug-in is a shared object (exports are kept): a program's exports (node
		 * and chromium export 10^4 names for their own plug-ins) are not read. */
		if (r->m->exports && sym_is_export(&s) &&
		    (name[0] == 'P' || name[0] == 'n' || name[0] == 'J' || name[0] == 'b'))
			r->m->hosts |= host_of_export(name, &r->m->node_abi);
		if (!r->m->exports || !sym_is_export(&s) || (versym && idx == 0))
			continue;
		/* A caller taking the names (a database build) has no use for the hashes. */
		if (r->on_export)
			rr = r->on_export(name, idx >= 2 && idx < r->n_vers ? r->vername[idx] : NULL,
					  !(v & 0x8000), sym_type(&s), r->ud);
		else
			rr = aoms_libabi_add_symbol(r->m->exports, name,
						    idx >= 2 && idx < r->n_vers ? r->vername[idx] : NULL);
		if (rr < 0)
			return rr;
	}
	r->m->n_imports = k;
	return 0;
}

static uint32_t note_word(const unsigned char *p, bool big_endian)
{
	return big_endian ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
			  : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* 1 (stop) at the GNU ABI tag for Linux, recording its minimum kernel. */
static int abi_tag_note(const GElf_Nhdr *nh, const char *name, const void *desc, void *ud)
{
	struct elf_reader *r = ud;
	const unsigned char *d = desc;
	bool big_endian = aoms_elfio_ehdr(r->io)->e_ident[EI_DATA] == ELFDATA2MSB;
	uint32_t maj, min, sub;

	if (nh->n_type != NT_GNU_ABI_TAG || nh->n_descsz < 16 || strcmp(name, "GNU") != 0 ||
	    note_word(d, big_endian) != 0 /* ELF_NOTE_OS_LINUX */)
		return 0;
	maj = note_word(d + 4, big_endian);
	min = note_word(d + 8, big_endian);
	sub = note_word(d + 12, big_endian);
	r->m->abi_kernel = (maj > 255 ? 255 : maj) << 16 | (min > 255 ? 255 : min) << 8 |
			   (sub > 255 ? 255 : sub);
	return 1;
}

struct elf_sections {
	Elf_Scn *dynamic, *dynsym, *versym, *verneed, *verdef;
	GElf_Shdr dynamic_sh, dynsym_sh, verneed_sh, verdef_sh;
};

static int find_sections(struct elf_reader *r, struct elf_sections *s)
{
	for (size_t i = 1; i < aoms_elfio_n_sections(r->io); i++) {
		struct aoms_elfio_section sec;
		Elf_Scn *scn;
		GElf_Shdr sh;
		int rr = aoms_elfio_section_at(r->io, i, &sec);

		if (rr < 0)
			return rr;
		scn = sec.scn;
		sh = sec.shdr;
		switch (sh.sh_type) {
		case SHT_DYNAMIC: if (!s->dynamic) { s->dynamic = scn; s->dynamic_sh = sh; } break;
		case SHT_DYNSYM: if (!s->dynsym) { s->dynsym = scn; s->dynsym_sh = sh; } break;
		case SHT_GNU_versym: if (!s->versym) s->versym = scn; break;
		case SHT_GNU_verneed: if (!s->verneed) { s->verneed = scn; s->verneed_sh = sh; } break;
		case SHT_GNU_verdef: if (!s->verdef) { s->verdef = scn; s->verdef_sh = sh; } break;
		case SHT_RELR: r->m->relr = true; break;
		case SHT_NOBITS:
			/* Code without bytes: a separate debuginfo file, not a loadable object. */
			if ((sh.sh_flags & (SHF_ALLOC | SHF_EXECINSTR)) == (SHF_ALLOC | SHF_EXECINSTR))
				return -ENOEXEC;
			break;
		case SHT_NOTE:
			/* A damaged note section is not worth refusing the object for. */
			if (!r->m->abi_kernel && aoms_elfio_foreach_note(r->io, &sec, abi_tag_note, r) < 0)
				free(aoms_elfio_take_reason(r->io));
			break;
		default: break;
		}
	}
	return 0;
}

/* File offset of virtual address vaddr, through the PT_LOAD segments. */
static bool vaddr_to_offset(Elf *elf, size_t phnum, uint64_t vaddr, uint64_t *ret)
{
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_LOAD && vaddr >= ph.p_vaddr &&
		    vaddr - ph.p_vaddr < ph.p_filesz) {
			*ret = ph.p_offset + (vaddr - ph.p_vaddr);
			return true;
		}
	}
	return false;
}

static const char *dyn_string(struct elf_reader *r, Elf_Data *strtab, uint64_t off)
{
	const char *base = strtab->d_buf;

	if (off >= strtab->d_size || !memchr(base + off, '\0', strtab->d_size - off))
		return NULL;
	return arena_str(r, base + off);
}

/* Objects whose section headers were stripped (sstrip): DT_NEEDED and friends from
 * PT_DYNAMIC, strings through DT_STRTAB mapped by the PT_LOAD segments. */
static int read_dynamic_segment(struct elf_reader *r)
{
	size_t phnum, n, k = 0;
	uint64_t strtab = 0, strsz = 0, stroff;
	Elf_Data *dyn = NULL, *str;

	if (elf_getphdrnum(r->elf, &phnum) < 0)
		return reader_fail(r, "cannot read program headers");
	for (size_t i = 0; i < phnum && !dyn; i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(r->elf, (int)i, &ph) && ph.p_type == PT_DYNAMIC)
			dyn = elf_getdata_rawchunk(r->elf, (int64_t)ph.p_offset, ph.p_filesz, ELF_T_DYN);
	}
	if (!dyn)
		return 0;
	r->m->dynamic = true;
	n = dyn->d_size / gelf_fsize(r->elf, ELF_T_DYN, 1, EV_CURRENT);
	for (size_t i = 0; i < n; i++) {
		GElf_Dyn d;

		if (!gelf_getdyn(dyn, (int)i, &d) || d.d_tag == DT_NULL)
			break;
		if (d.d_tag == DT_STRTAB) strtab = d.d_un.d_ptr;
		if (d.d_tag == DT_STRSZ) strsz = d.d_un.d_val;
	}
	if (!strsz || strsz > (1u << 24) || !vaddr_to_offset(r->elf, phnum, strtab, &stroff) ||
	    !(str = elf_getdata_rawchunk(r->elf, (int64_t)stroff, strsz, ELF_T_BYTE)))
		return reader_fail(r, "bad DT_STRTAB");
	r->m->needed = aoms_arena_alloc(r->m->arena, (n + 1) * sizeof(char *));
	if (!r->m->needed)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		GElf_Dyn d;
		const char *v;

		if (!gelf_getdyn(dyn, (int)i, &d) || d.d_tag == DT_NULL)
			break;
		if (d.d_tag != DT_NEEDED && d.d_tag != DT_SONAME && d.d_tag != DT_RPATH &&
		    d.d_tag != DT_RUNPATH)
			continue;
		if (!(v = dyn_string(r, str, d.d_un.d_val)))
			return reader_fail(r, "bad string in PT_DYNAMIC");
		if (d.d_tag == DT_NEEDED) r->m->needed[k++] = v;
		else if (d.d_tag == DT_SONAME) r->m->soname = v;
		else if (d.d_tag == DT_RPATH) r->m->rpath = v;
		else r->m->runpath = v;
	}
	r->m->n_needed = k;
	return 0;
}

static int read_model(struct elf_reader *r)
{
	struct elf_sections s = { 0 };
	GElf_Ehdr eh = *aoms_elfio_ehdr(r->io);
	Elf_Data *versym = NULL;
	int rr;

	if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)
		return -ENOEXEC;
	r->m->elf_class = gelf_getclass(r->elf);
	r->m->machine = eh.e_machine;
	r->m->type = eh.e_type;
	rr = find_sections(r, &s);
	if (rr < 0)
		return rr;
	rr = read_interp(r);
	if (rr < 0)
		return rr;
	if (s.dynamic && (rr = read_dynamic(r, s.dynamic, &s.dynamic_sh)) < 0)
		return rr;
	if (!s.dynamic && (rr = read_dynamic_segment(r)) < 0)
		return rr;
	/* Only shared objects (a soname, or no interpreter) can be bound to. */
	if (eh.e_type == ET_DYN && (r->m->soname || !r->m->interp)) {
		rr = aoms_libabi_new(r->m->soname ? r->m->soname : "", NULL, &r->m->exports);
		if (rr < 0)
			return rr;
	}
	if (s.verdef && (rr = read_verdef(r, s.verdef, &s.verdef_sh)) < 0)
		return rr;
	if (s.verneed && (rr = read_verneed(r, s.verneed, &s.verneed_sh)) < 0)
		return rr;
	if (s.versym && !(versym = elf_getdata(s.versym, NULL)))
		return reader_fail(r, "cannot read .gnu.version");
	if (s.dynsym && (rr = read_dynsym(r, s.dynsym, &s.dynsym_sh, versym)) < 0)
		return rr;
	if (r->m->exports) {
		for (size_t i = 0; i < r->m->n_needed; i++)
			if ((rr = aoms_libabi_add_needed(r->m->exports, r->m->needed[i])) < 0)
				return rr;
		r->m->exports->symbols_known = s.dynsym != NULL;
	}
	return 0;
}

void aoms_elf_free(struct aoms_elf *e)
{
	if (!e)
		return;
	aoms_libabi_free(e->exports);
	aoms_arena_free(e->arena);
	free(e->path);
	free(e);
}

/* Reads the model from an opened handle (taken). */
/* An XS module's .rodata larger than this is not searched for its API version. */
#define PERL_RODATA_MAX (16u << 20)

/*
 * The Perl API version a Perl XS module was built for: its boot code hands perl the
 * string "v" PERL_API_VERSION_STRING ("v5.16.0"; Perl_xs_handshake() since 5.22,
 * XS_APIVERSION_BOOTCHECK's Perl_xs_apiversion_bootcheck() before), which perl
 * compares with its own and refuses the module on a mismatch. The first "v5.N.0"
 * string of .rodata, as "5.N", of a module that imports one of the two; nothing when
 * there is none. 0 or -ENOMEM.
 */
static int read_perl_api(struct aoms_elfio *io, struct aoms_elf *m)
{
	struct aoms_elfio_section s;
	Elf_Data *data;
	const char *p, *end;
	bool checks = false;

	/* only a module that hands perl a version has one to find */
	for (size_t i = 0; i < m->n_imports && !checks; i++)
		checks = !strcmp(m->imports[i].name, "Perl_xs_handshake") ||
			 !strcmp(m->imports[i].name, "Perl_xs_apiversion_bootcheck");
	if (!checks || aoms_elfio_find_section(io, ".rodata", &s) < 0 ||
	    s.shdr.sh_size > PERL_RODATA_MAX)
		return 0;
	if (aoms_elfio_section_data(io, &s, &data) < 0 || !data->d_buf) {
		free(aoms_elfio_take_reason(io));
		return 0;
	}
	p = data->d_buf;
	end = p + data->d_size;
	for (const char *v = p; (v = memmem(v, (size_t)(end - v), "v5.", 3)); v += 3) {
		const char *q = v + 3;
		size_t minor = 0;

		if (v > p && v[-1] != '\0')
			continue;
		while (q < end && *q >= '0' && *q <= '9' && minor < 4)
			q++, minor++;
		/* "v5.16.0\0": the API version's patch level is always 0 */
		if (!minor || end - q < 3 || memcmp(q, ".0\0", 3) != 0)
			continue;
		m->perl_api = aoms_arena_strndup(m->arena, v + 1, (size_t)(q - v - 1));
		return m->perl_api ? 0 : -ENOMEM;
	}
	return 0;
}

static int elf_read(struct aoms_elfio *io, const char *path, const struct aoms_elf_read_opts *o,
		    struct aoms_elf **ret, char **ret_reason)
{
	static const struct aoms_elf_read_opts none;
	_cleanup_(aoms_elfio_freep) struct aoms_elfio *handle = io;
	_cleanup_(aoms_elf_freep) struct aoms_elf *m = NULL;
	struct elf_reader r;
	int rr;

	if (!o)
		o = &none;
	r = (struct elf_reader){ .io = io, .elf = aoms_elfio_elf(io), .on_export = o->on_export,
				 .ud = o->ud, .pool = o->pool };
	m = calloc(1, sizeof(*m));
	if (!m || !(m->path = strdup(path)) || aoms_arena_new(&m->arena) < 0)
		return -ENOMEM;
	r.m = m;
	rr = read_model(&r);
	if (rr >= 0 && (m->hosts & AOMS_ELF_HOST_PERL))
		rr = read_perl_api(io, m);
	/* While the bytes are at hand (an RPM member is in memory only now). */
	if (rr >= 0 && o->syscalls)
		rr = aoms_syscall_sites_read(io, m);
	free(r.vername);
	free(r.vermap);
	if (rr < 0) {
		/* The first failure the access layer met, else the model's own. */
		if (ret_reason && rr == -EBADMSG)
			*ret_reason = aoms_elfio_reason(io) ? aoms_elfio_take_reason(io) : TAKE_PTR(r.reason);
		free(r.reason);
		return rr;
	}
	free(r.reason);
	*ret = TAKE_PTR(m);
	return 0;
}

int aoms_elf_read_fd(int fd, const char *path, const struct aoms_elf_read_opts *o,
		     struct aoms_elf **ret, char **ret_reason)
{
	struct aoms_elfio *io;
	int r = aoms_elfio_open_fd(fd, &io, ret_reason);

	return r < 0 ? r : elf_read(io, path, o, ret, ret_reason);
}

int aoms_elf_read_mem(const void *buf, size_t size, const char *path,
		      const struct aoms_elf_read_opts *o, struct aoms_elf **ret, char **ret_reason)
{
	struct aoms_elfio *io;
	int r = aoms_elfio_open_mem(buf, size, &io, ret_reason);

	return r < 0 ? r : elf_read(io, path, o, ret, ret_reason);
}

int aoms_elf_read(int fd, const char *path, struct aoms_elf **ret, char **ret_reason)
{
	return aoms_elf_read_fd(fd, path, NULL, ret, ret_reason);
}

int aoms_elf_read_exports(int fd, const char *path, struct aoms_elf **ret, char **ret_reason,
			  aoms_elf_export_fn fn, void *ud)
{
	return aoms_elf_read_fd(fd, path, &(struct aoms_elf_read_opts){ .on_export = fn, .ud = ud },
				ret, ret_reason);
}

const char *aoms_elf_arch(int elf_class, uint16_t machine)
{
	static const struct { int cls; uint16_t machine; const char *arch; } table[] = {
		{ ELFCLASS64, EM_X86_64, "x86_64" },
		{ ELFCLASS64, EM_AARCH64, "aarch64" },
		{ ELFCLASS32, EM_386, "i686" },
		{ ELFCLASS32, EM_X86_64, "x32" },
		{ ELFCLASS32, EM_ARM, "armv7hl" },
		{ ELFCLASS64, EM_PPC64, "ppc64le" },
		{ ELFCLASS32, EM_PPC, "ppc" },
		{ ELFCLASS64, EM_S390, "s390x" },
		{ ELFCLASS64, EM_RISCV, "riscv64" },
		{ ELFCLASS64, 258 /* EM_LOONGARCH */, "loongarch64" },
		{ ELFCLASS64, EM_MIPS, "mips64el" },
		{ ELFCLASS64, EM_SPARCV9, "sparc64" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(table); i++)
		if (table[i].cls == elf_class && table[i].machine == machine)
			return table[i].arch;
	return NULL;
}
