/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * scanners/elf-read.c: the ELF model of real objects built at test time with gcc
 * (a versioned shared library, executables linked against it), and hostile
 * copies of them (truncated, bad offsets, looping version chains).
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <libelf.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "elf-model.h"
#include "strbuf.h"
#include "testutil.h"

/* An API call that must succeed. */
#define OK(expr) assert_int_equal((expr), 0)

static bool have_gcc;
static bool built;        /* libfoo.so.1, app, app-rpath, app-nopie, foo.o */
static bool built_static; /* optional: needs libc.a */
static bool built_relr;   /* optional: needs binutils >= 2.38 */
static bool built_debug;  /* optional: needs objcopy */

static const char foo_c[] =
	"#include <unistd.h>\n"
	"int foo_a(void) { return getpid() > 0; }\n"
	"int foo_b(void) { return 2; }\n"
	"int foo_old_impl(void) { return 0; }\n"
	"__asm__(\".symver foo_old_impl,foo_old@FOO_1.0\");\n"
	/* a .note.ABI-tag asking for Linux 5.15.3 */
	"__asm__(\".section .note.ABI-tag,\\\"a\\\",@note\\n\\t.p2align 2\\n"
	"\\t.long 4\\n\\t.long 16\\n\\t.long 1\\n\\t.string \\\"GNU\\\"\\n"
	"\\t.long 0\\n\\t.long 5\\n\\t.long 15\\n\\t.long 3\\n\\t.previous\\n\");\n";

static const char foo_map[] =
	"FOO_1.0 { global: foo_a; foo_old; local: *; };\n"
	"FOO_1.1 { global: foo_b; } FOO_1.0;\n";

static const char main_c[] =
	"#include <stdio.h>\n"
	"extern int foo_a(void);\n"
	"extern int foo_b(void);\n"
	"extern int foo_weak(void) __attribute__((weak));\n"
	"int main(int argc, char **argv)\n"
	"{\n"
	"\tprintf(\"%d\\n\", argc);\n"
	"\treturn foo_a() + foo_b() + (foo_weak ? foo_weak() : 0);\n"
	"}\n";

static int setup(void **state)
{
	if (aoms_test_tmpdir_setup("elf") < 0)
		return -1;
	elf_version(EV_CURRENT);
	have_gcc = system("command -v gcc >/dev/null 2>&1") == 0;
	if (!have_gcc)
		return 0;
	aoms_test_write_file("foo.c", foo_c);
	aoms_test_write_file("foo.map", foo_map);
	aoms_test_write_file("main.c", main_c);
	aoms_test_write_data("text.txt", "#!/bin/sh\necho not an ELF file\n", 31);
	aoms_test_write_data("empty", "", 0);
	aoms_test_write_data("magic-only", ELFMAG, SELFMAG);
	built = aoms_test_sh("gcc -shared -fPIC -o libfoo.so.1 -Wl,-soname,libfoo.so.1 "
			     "-Wl,--version-script=foo.map foo.c") &&
		aoms_test_sh("gcc -o app main.c ./libfoo.so.1 -Wl,-rpath,'$ORIGIN' "
			     "-Wl,--enable-new-dtags") &&
		aoms_test_sh("gcc -o app-rpath main.c ./libfoo.so.1 -Wl,-rpath,'$ORIGIN' "
			     "-Wl,--disable-new-dtags -Wl,-z,now") &&
		aoms_test_sh("gcc -no-pie -fno-pie -o app-nopie main.c ./libfoo.so.1") &&
		aoms_test_sh("gcc -c -fPIC -o foo.o foo.c");
	built_static = aoms_test_sh("echo 'int main(void) { return 0; }' >st.c && "
				    "gcc -static -o static st.c");
	built_relr = aoms_test_sh("gcc -shared -fPIC -o librelr.so -Wl,-z,pack-relative-relocs "
				  "-Wl,--version-script=foo.map foo.c && "
				  "readelf -d librelr.so | grep -q RELR");
	built_debug = built && aoms_test_sh("objcopy --only-keep-debug libfoo.so.1 libfoo.debug");
	return 0;
}

static void need_fixtures(void)
{
	if (!have_gcc)
		skip();
	if (!built) {
		aoms_test_print_log();
		fail_msg("building the test objects with gcc failed");
	}
}

/* aoms_elf_read() of tmpdir/name. */
static int read_elf(const char *name, struct aoms_elf **ret, char **ret_reason)
{
	_cleanup_(freep) char *p = aoms_test_path(name);
	_cleanup_(closep) int fd = open(p, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		fail_msg("open %s: %s", p, strerror(errno));
	return aoms_elf_read(fd, p, ret, ret_reason);
}

static char *load(const char *name, size_t *ret_size)
{
	_cleanup_(freep) char *p = aoms_test_path(name);
	FILE *f = fopen(p, "r");
	char *buf;
	struct stat st;

	assert_non_null(f);
	assert_int_equal(fstat(fileno(f), &st), 0);
	buf = malloc((size_t)st.st_size + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)st.st_size, f), (size_t)st.st_size);
	fclose(f);
	*ret_size = (size_t)st.st_size;
	return buf;
}

/* ---- looking into the images with <elf.h> (64-bit, host byte order) ---- */

static Elf64_Ehdr get_ehdr(const char *img, size_t size)
{
	Elf64_Ehdr eh;

	assert_true(size >= sizeof(eh));
	memcpy(&eh, img, sizeof(eh));
	assert_int_equal(eh.e_ident[EI_CLASS], ELFCLASS64);
	return eh;
}

/* The file offset of the header of the first section of type (*ret a copy); fails
 * the test when there is none. */
static size_t find_section(const char *img, size_t size, uint32_t type, Elf64_Shdr *ret)
{
	Elf64_Ehdr eh = get_ehdr(img, size);

	for (size_t i = 0; i < eh.e_shnum; i++) {
		size_t off = eh.e_shoff + i * sizeof(Elf64_Shdr);

		assert_true(off + sizeof(*ret) <= size);
		memcpy(ret, img + off, sizeof(*ret));
		if (ret->sh_type == type) {
			assert_true(ret->sh_offset + ret->sh_size <= size);
			return off;
		}
	}
	fail_msg("no section of type %#x", type);
	return 0;
}

/* ---- the model of good objects ---- */

/* The need of m that has soname and version, or -1. */
static int need_of(const struct aoms_elf *m, const char *soname, const char *version)
{
	for (size_t i = 0; i < m->n_needs; i++)
		if (!strcmp(m->needs[i].soname, soname) && !strcmp(m->needs[i].version, version))
			return (int)i;
	return -1;
}

static const struct aoms_elf_import *import_of(const struct aoms_elf *m, const char *name)
{
	for (size_t i = 0; i < m->n_imports; i++)
		if (!strcmp(m->imports[i].name, name))
			return &m->imports[i];
	return NULL;
}

/* What the three executables share. */
static void check_app(const struct aoms_elf *m, bool pie)
{
	static const struct { const char *name, *soname, *version; bool weak; } imports[] = {
		{ "foo_a", "libfoo.so.1", "FOO_1.0", false },
		{ "foo_b", "libfoo.so.1", "FOO_1.1", false },
		{ "printf", "libc.so.6", "GLIBC_2.2.5", false },
		{ "foo_weak", NULL, NULL, true },
	};

	assert_int_equal(m->elf_class, ELFCLASS64);
	assert_non_null(aoms_elf_arch(m->elf_class, m->machine));
	assert_true(m->dynamic);
	assert_false(m->relr);
	assert_non_null(m->interp);
	assert_int_equal(m->interp[0], '/');
#ifdef __x86_64__
	assert_int_equal(m->machine, EM_X86_64);
	assert_string_equal(m->interp, "/lib64/ld-linux-x86-64.so.2");
#endif
	assert_null(m->soname);
	assert_null(m->exports);   /* an executable: nothing binds to it */
	assert_int_equal(m->n_needed, 2);
	assert_string_equal(m->needed[0], "libfoo.so.1");
	assert_string_equal(m->needed[1], "libc.so.6");
	/* glibc's crt1.o carries a .note.ABI-tag (3.2.0 on Debian 12, 3.2.0 on EL8) */
	assert_true(m->abi_kernel == 0 || m->abi_kernel >= (2u << 16 | 6u << 8));

	/* needs: libfoo's two nodes and glibc's baseline */
	for (size_t i = 0; i < m->n_needs; i++) {
		assert_true(m->needs[i].index >= 2);
		assert_false(m->needs[i].weak);
		for (size_t j = 0; j < i; j++)
			assert_int_not_equal(m->needs[i].index, m->needs[j].index);
	}
	assert_true(need_of(m, "libfoo.so.1", "FOO_1.0") >= 0);
	assert_true(need_of(m, "libfoo.so.1", "FOO_1.1") >= 0);
	assert_true(need_of(m, "libc.so.6", "GLIBC_2.2.5") >= 0);
	assert_int_equal(need_of(m, "libfoo.so.1", "FOO_2.0"), -1);

	for (size_t i = 0; i < ARRAY_SIZE(imports); i++) {
		const struct aoms_elf_import *imp = import_of(m, imports[i].name);

		/* ld resolves a weak undefined symbol to 0 in a non-PIE executable */
		if (!imp && !pie && imports[i].weak)
			continue;
		if (!imp)
			fail_msg("no import %s", imports[i].name);
		assert_int_equal(imp->weak, imports[i].weak);
		if (!imports[i].soname) {
			assert_int_equal(imp->need, -1);
			continue;
		}
		assert_int_equal(imp->need, need_of(m, imports[i].soname, imports[i].version));
	}
	/* defined symbols are not imports */
	assert_null(import_of(m, "main"));
	assert_null(import_of(m, ""));
}

static void test_read_exe(void **state)
{
	struct aoms_elf *m = NULL;
	char *reason = NULL;

	need_fixtures();
	OK(read_elf("app", &m, &reason));
	assert_null(reason);
	check_app(m, true);
	assert_int_equal(m->type, ET_DYN);   /* gcc's default PIE */
	assert_string_equal(m->runpath, "$ORIGIN");
	assert_null(m->rpath);
	assert_non_null(strstr(m->path, "/app"));
	aoms_elf_free(m);

	OK(read_elf("app-rpath", &m, NULL));
	check_app(m, true);
	assert_string_equal(m->rpath, "$ORIGIN");
	assert_null(m->runpath);
	assert_true(m->bind_now);
	aoms_elf_free(m);

	OK(read_elf("app-nopie", &m, NULL));
	check_app(m, false);
	assert_int_equal(m->type, ET_EXEC);
	assert_null(m->rpath);
	assert_null(m->runpath);
	aoms_elf_free(m);
	aoms_elf_free(NULL);
}

static void test_read_shared_lib(void **state)
{
	_cleanup_(aoms_elf_freep) struct aoms_elf *m = NULL;
	const struct aoms_libabi *x;
	static const struct { const char *name, *version; bool want; } syms[] = {
		{ "foo_a", "FOO_1.0", true },
		{ "foo_b", "FOO_1.1", true },
		{ "foo_a", NULL, true },
		{ "foo_b", NULL, true },
		{ "foo_old", "FOO_1.0", true },   /* a compat ("@") version */
		{ "foo_old", NULL, true },
		{ "foo_a", "FOO_1.1", false },
		{ "foo_b", "FOO_1.0", false },
		{ "foo_old", "FOO_1.1", false },
		{ "foo_old_impl", NULL, false },  /* local: * */
		{ "foo_c", NULL, false },
		{ "printf", NULL, false },        /* an import, not an export */
	};
	bool has_libc = false;

	need_fixtures();
	OK(read_elf("libfoo.so.1", &m, NULL));
	assert_int_equal(m->type, ET_DYN);
	assert_true(m->dynamic);
	assert_string_equal(m->soname, "libfoo.so.1");
	assert_null(m->interp);
	assert_null(m->rpath);
	assert_null(m->runpath);
	assert_int_equal(m->abi_kernel, 5u << 16 | 15u << 8 | 3u);
	for (size_t i = 0; i < m->n_needed; i++)
		has_libc |= strcmp(m->needed[i], "libc.so.6") == 0;
	assert_true(has_libc);

	x = m->exports;
	assert_non_null(x);
	assert_string_equal(x->soname, "libfoo.so.1");
	assert_true(x->symbols_known);
	assert_int_equal(x->n_verdefs, 2);   /* the base node ("libfoo.so.1") excluded */
	assert_true(aoms_libabi_has_verdef(x, "FOO_1.0"));
	assert_true(aoms_libabi_has_verdef(x, "FOO_1.1"));
	assert_false(aoms_libabi_has_verdef(x, "libfoo.so.1"));
	assert_int_equal(x->n_needed, m->n_needed);
	for (size_t i = 0; i < ARRAY_SIZE(syms); i++)
		if (aoms_libabi_has_symbol(x, syms[i].name, syms[i].version) != syms[i].want)
			fail_msg("has_symbol(%s, %s) != %d", syms[i].name,
				 syms[i].version ? syms[i].version : "NULL", syms[i].want);
}

struct export_seen {
	const char *name, *version;
	bool is_default;
	int count;
};

static int on_export(const char *name, const char *version, bool is_default, const char *type,
		     void *ud)
{
	struct export_seen *seen = ud;

	for (; seen->name; seen++)
		if (!strcmp(seen->name, name)) {
			assert_non_null(version);
			assert_string_equal(version, seen->version);
			assert_int_equal(is_default, seen->is_default);
			assert_string_equal(type, "F");
			seen->count++;
		}
	return 0;
}

static int stop_export(const char *name, const char *version, bool is_default, const char *type,
		       void *ud)
{
	return -ECANCELED;
}

static void test_read_exports(void **state)
{
	struct export_seen seen[] = {
		{ "foo_a", "FOO_1.0", true, 0 },
		{ "foo_b", "FOO_1.1", true, 0 },
		{ "foo_old", "FOO_1.0", false, 0 },
		{ NULL, NULL, false, 0 },
	};
	struct aoms_elf *m = NULL;
	_cleanup_(freep) char *p = NULL;
	_cleanup_(closep) int fd = -1;

	need_fixtures();
	p = aoms_test_path("libfoo.so.1");
	fd = open(p, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	OK(aoms_elf_read_exports(fd, p, &m, NULL, on_export, seen));
	for (size_t i = 0; seen[i].name; i++)
		if (seen[i].count != 1)
			fail_msg("%s reported %d times", seen[i].name, seen[i].count);
	aoms_elf_free(m);

	/* the callback's error aborts the read, and nothing leaks */
	m = NULL;
	assert_int_equal(aoms_elf_read_exports(fd, p, &m, NULL, stop_export, NULL), -ECANCELED);
	assert_null(m);
}

static void test_read_optional_objects(void **state)
{
	struct aoms_elf *m = NULL;

	need_fixtures();
	if (built_static) {
		OK(read_elf("static", &m, NULL));
		assert_int_equal(m->type, ET_EXEC);
		assert_false(m->dynamic);
		assert_null(m->interp);
		assert_int_equal(m->n_needed, 0);
		assert_int_equal(m->n_needs, 0);
		assert_int_equal(m->n_imports, 0);
		assert_null(m->exports);
		aoms_elf_free(m);
		m = NULL;
	}
	if (built_relr) {
		OK(read_elf("librelr.so", &m, NULL));
		assert_true(m->relr);
		aoms_elf_free(m);
		m = NULL;
	}
	if (built_debug) /* a separate debuginfo file is not a loadable object */
		assert_int_equal(read_elf("libfoo.debug", &m, NULL), -ENOEXEC);
	if (!built_static && !built_relr && !built_debug)
		skip();
}

/* ---- not ELF objects at all ---- */

static void test_not_elf(void **state)
{
	static const char *const names[] = { "text.txt", "empty", "foo.c" };
	struct aoms_elf *m = NULL;
	char *reason = NULL;

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		assert_int_equal(read_elf(names[i], &m, &reason), -ENOEXEC);
		assert_null(m);
		assert_null(reason);
	}
	if (have_gcc && built) /* relocatable objects are not executables or libraries */
		assert_int_equal(read_elf("foo.o", &m, &reason), -ENOEXEC);
	assert_null(m);
}

/* ---- hostile copies ---- */

/* Reads an image from memory through a file; the result must be r0 or r1 (0 means
 * "don't care"). Returns the error, checks the reason's shape. */
static int read_image(const char *name, const char *img, size_t size, int r0, int r1)
{
	struct aoms_elf *m = NULL;
	char *reason = NULL;
	int r;

	aoms_test_write_data(name, img, size);
	r = read_elf(name, &m, &reason);
	if (r != r0 && r != r1) {
		print_error("%s: aoms_elf_read = %d (%s), reason %s\n", name, r, strerror(-r),
			    reason ? reason : "NULL");
		aoms_elf_free(m);
		free(reason);
		fail_msg("%s: unexpected result", name);
	}
	if (r == -EBADMSG) {
		/* a one-line reason for the elf.malformed finding */
		assert_non_null(reason);
		assert_true(reason[0] != '\0');
		assert_null(strchr(reason, '\n'));
	} else {
		assert_null(reason);
	}
	if (r < 0)
		assert_null(m);
	aoms_elf_free(m);
	free(reason);
	return r;
}

static void test_truncated(void **state)
{
	static const size_t cuts[] = { 4, 16, 52, 63, 64, 65, 200, 1000, 4096 };
	static const char *const names[] = { "app", "libfoo.so.1" };

	need_fixtures();
	for (size_t n = 0; n < ARRAY_SIZE(names); n++) {
		size_t size;
		_cleanup_(freep) char *img = load(names[n], &size);

		for (size_t i = 0; i < ARRAY_SIZE(cuts); i++) {
			char name[64];

			assert_true(cuts[i] < size);
			snprintf(name, sizeof(name), "%s.cut%zu", names[n], cuts[i]);
			read_image(name, img, cuts[i], -EBADMSG, -ENOEXEC);
		}
		/* all but the section header table, and all but its last byte */
		{
			Elf64_Ehdr eh = get_ehdr(img, size);

			read_image("cut-shdrs", img, eh.e_shoff, -EBADMSG, -ENOEXEC);
			read_image("cut-last", img, size - 1, -EBADMSG, -ENOEXEC);
		}
	}
	/* the magic alone */
	{
		size_t size;
		_cleanup_(freep) char *img = load("magic-only", &size);

		read_image("magic-only.copy", img, size, -EBADMSG, -ENOEXEC);
	}
}

/* Patches a copy of name with fn, reads it, and returns the result. */
static int patched(const char *name, void (*fn)(char *img, size_t size, void *ud), void *ud,
		   int r0, int r1)
{
	static unsigned serial;
	size_t size;
	char *img = load(name, &size);
	char out[64];
	int r;

	fn(img, size, ud);
	/* the copy's name says which case it was when a check fails */
	snprintf(out, sizeof(out), "%s.patched-%u", name, serial++);
	r = read_image(out, img, size, r0, r1);
	free(img);
	return r;
}

static void patch_ehdr_u64(char *img, size_t size, void *ud)
{
	size_t off = (size_t)(uintptr_t)ud;
	uint64_t huge = UINT64_C(0xfffffffffff00000);

	assert_true(off + 8 <= sizeof(Elf64_Ehdr));
	memcpy(img + off, &huge, 8);
}

static void patch_ehdr_shnum(char *img, size_t size, void *ud)
{
	uint16_t n = 0xfeff;

	memcpy(img + offsetof(Elf64_Ehdr, e_shnum), &n, sizeof(n));
}

static void patch_interp_offset(char *img, size_t size, void *ud)
{
	Elf64_Ehdr eh = get_ehdr(img, size);

	for (size_t i = 0; i < eh.e_phnum; i++) {
		size_t off = eh.e_phoff + i * sizeof(Elf64_Phdr);
		Elf64_Phdr ph;

		assert_true(off + sizeof(ph) <= size);
		memcpy(&ph, img + off, sizeof(ph));
		if (ph.p_type != PT_INTERP)
			continue;
		ph.p_offset = size - 2;   /* the string runs past the end of the file */
		memcpy(img + off, &ph, sizeof(ph));
		return;
	}
	fail_msg("no PT_INTERP");
}

struct shdr_patch {
	uint32_t type;
	bool size;   /* false: sh_link (its string table) -> section 0; true: sh_size huge */
};

static void patch_shdr(char *img, size_t size, void *ud)
{
	const struct shdr_patch *sp = ud;
	Elf64_Shdr sh;
	size_t off = find_section(img, size, sp->type, &sh);

	if (sp->size)
		sh.sh_size = UINT64_C(1) << 40;
	else
		sh.sh_link = 0;
	memcpy(img + off, &sh, sizeof(sh));
}

static void test_bad_offsets(void **state)
{
	static const struct { const char *file; struct shdr_patch p; } shdrs[] = {
		/* string tables that are not string tables */
		{ "app", { SHT_DYNAMIC, false } },
		{ "app", { SHT_DYNSYM, false } },
		{ "app", { SHT_GNU_verneed, false } },
		{ "libfoo.so.1", { SHT_GNU_verdef, false } },
		/* sections larger than the file */
		{ "app", { SHT_DYNSYM, true } },
		{ "app", { SHT_GNU_verneed, true } },
		{ "libfoo.so.1", { SHT_GNU_verdef, true } },
	};

	need_fixtures();
	/* section or program header table past the end */
	patched("app", patch_ehdr_u64, (void *)offsetof(Elf64_Ehdr, e_shoff), -EBADMSG, -EBADMSG);
	patched("libfoo.so.1", patch_ehdr_u64, (void *)offsetof(Elf64_Ehdr, e_shoff),
		-EBADMSG, -EBADMSG);
	patched("app", patch_ehdr_u64, (void *)offsetof(Elf64_Ehdr, e_phoff), -EBADMSG, -EBADMSG);
	patched("app", patch_ehdr_shnum, NULL, -EBADMSG, -EBADMSG);
	/* PT_INTERP's bytes past the end */
	patched("app", patch_interp_offset, NULL, -EBADMSG, -EBADMSG);
	for (size_t i = 0; i < ARRAY_SIZE(shdrs); i++)
		patched(shdrs[i].file, patch_shdr, (void *)&shdrs[i].p, -EBADMSG, -EBADMSG);
}

/* ---- version chains that loop or run away ---- */

struct chain_patch {
	uint32_t type;      /* SHT_GNU_verneed or SHT_GNU_verdef */
	int entry;          /* which entry of the chain: 0 first, -1 last */
	int field;          /* 0: the entry's next (value, or 0: back to the chain's start);
			     * 1: its last aux's next, back to its first aux (and the count
			     * set to value unless 0); 2: its count */
	uint32_t value;
};

/* Where the chain's fields sit, from <elf.h>. */
static size_t next_field(uint32_t type)
{
	return type == SHT_GNU_verneed ? offsetof(Elf64_Verneed, vn_next)
				       : offsetof(Elf64_Verdef, vd_next);
}

/* The offsets (in the section) of the chain's entries, at most 16. */
static size_t chain_entries(const char *img, const Elf64_Shdr *sh, uint32_t type, size_t *offs)
{
	size_t n = 0, off = 0;

	for (;;) {
		uint32_t next;

		assert_true(n < 16 && off + sizeof(Elf64_Verdef) <= sh->sh_size);
		offs[n++] = off;
		memcpy(&next, img + sh->sh_offset + off + next_field(type), sizeof(next));
		if (!next)
			return n;
		off += next;
	}
}

/* The Vernaux chain of the Verneed at e: the offset (in the section) of its last aux. */
static size_t last_vernaux(const char *sec, size_t e, size_t *ret_first)
{
	uint32_t aux, next;
	size_t at;

	memcpy(&aux, sec + e + offsetof(Elf64_Verneed, vn_aux), sizeof(aux));
	at = *ret_first = e + aux;
	for (int i = 0; i < 64; i++) {
		memcpy(&next, sec + at + offsetof(Elf64_Vernaux, vna_next), sizeof(next));
		if (!next)
			return at;
		at += next;
	}
	fail_msg("Vernaux chain too long");
	return 0;
}

static void patch_chain(char *img, size_t size, void *ud)
{
	const struct chain_patch *cp = ud;
	const bool vn = cp->type == SHT_GNU_verneed;
	Elf64_Shdr sh;
	size_t offs[16], n, e, first, last;
	uint32_t v = cp->value;
	uint16_t cnt = (uint16_t)cp->value;
	char *sec;

	find_section(img, size, cp->type, &sh);
	sec = img + sh.sh_offset;
	n = chain_entries(img, &sh, cp->type, offs);
	e = cp->entry < 0 ? offs[n - 1] : offs[cp->entry];
	switch (cp->field) {
	case 0:
		/* relative offsets are 32-bit: 2^32 - e wraps back to offset 0 */
		if (!v)
			v = (uint32_t)(0 - (uint32_t)e);
		assert_int_not_equal(v, 0);
		memcpy(sec + e + next_field(cp->type), &v, sizeof(v));
		break;
	case 1:
		assert_true(vn);
		last = last_vernaux(sec, e, &first);
		assert_true(last > first);   /* needs two aux entries */
		v = (uint32_t)(0 - (uint32_t)(last - first));
		memcpy(sec + last + offsetof(Elf64_Vernaux, vna_next), &v, sizeof(v));
		if (!cnt)
			break;
		/* and a count that never runs out */
		__attribute__((fallthrough));
	case 2:
		memcpy(sec + e + (vn ? offsetof(Elf64_Verneed, vn_cnt) : offsetof(Elf64_Verdef, vd_cnt)),
		       &cnt, sizeof(cnt));
		break;
	default:
		fail();
	}
}

static void test_version_chain_loops(void **state)
{
	static const struct { const char *file; struct chain_patch p; int r0, r1; } t[] = {
		/* the last Verneed points back at the first: a cycle */
		{ "app", { SHT_GNU_verneed, -1, 0, 0 }, -EBADMSG, -EBADMSG },
		/* far past the section */
		{ "app", { SHT_GNU_verneed, 0, 0, 0x7ffffff0 }, -EBADMSG, -EBADMSG },
		{ "app", { SHT_GNU_verneed, 0, 0, 3 }, -EBADMSG, 0 },
		/* a Vernaux chain that loops, a huge count, and both: bounded by
		 * vn_cnt and the section size; parsed or rejected, no hang */
		{ "app", { SHT_GNU_verneed, 0, 1, 0 }, -EBADMSG, 0 },
		{ "app", { SHT_GNU_verneed, 0, 1, 0xffff }, -EBADMSG, 0 },
		{ "app", { SHT_GNU_verneed, 0, 2, 0xffff }, -EBADMSG, 0 },
		{ "app", { SHT_GNU_verneed, -1, 2, 0xffff }, -EBADMSG, 0 },
		/* the same for the Verdef chain of the library */
		{ "libfoo.so.1", { SHT_GNU_verdef, -1, 0, 0 }, -EBADMSG, -EBADMSG },
		{ "libfoo.so.1", { SHT_GNU_verdef, 1, 0, 0 }, -EBADMSG, -EBADMSG },
		{ "libfoo.so.1", { SHT_GNU_verdef, 0, 0, 0x7ffffff0 }, -EBADMSG, -EBADMSG },
		{ "libfoo.so.1", { SHT_GNU_verdef, 0, 2, 0xffff }, -EBADMSG, 0 },
	};

	need_fixtures();
	for (size_t i = 0; i < ARRAY_SIZE(t); i++)
		patched(t[i].file, patch_chain, (void *)&t[i].p, t[i].r0, t[i].r1);
}

/* ---- aoms_elf_arch ---- */

static void test_arch(void **state)
{
	static const struct { int cls; uint16_t machine; const char *want; } t[] = {
		{ ELFCLASS64, EM_X86_64, "x86_64" },   { ELFCLASS64, EM_AARCH64, "aarch64" },
		{ ELFCLASS32, EM_386, "i686" },        { ELFCLASS32, EM_X86_64, "x32" },
		{ ELFCLASS32, EM_ARM, "armv7hl" },     { ELFCLASS64, EM_PPC64, "ppc64le" },
		{ ELFCLASS32, EM_PPC, "ppc" },         { ELFCLASS64, EM_S390, "s390x" },
		{ ELFCLASS64, EM_RISCV, "riscv64" },   { ELFCLASS64, 258, "loongarch64" },
		{ ELFCLASS64, EM_MIPS, "mips64el" },   { ELFCLASS64, EM_SPARCV9, "sparc64" },
		/* a machine in the wrong class, and unknown machines */
		{ ELFCLASS32, EM_AARCH64, NULL },      { ELFCLASS64, EM_386, NULL },
		{ ELFCLASS64, EM_NONE, NULL },         { ELFCLASS64, EM_IA_64, NULL },
		{ ELFCLASSNONE, EM_X86_64, NULL },     { 7, EM_X86_64, NULL },
		{ ELFCLASS64, 0xffff, NULL },
	};

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		const char *got = aoms_elf_arch(t[i].cls, t[i].machine);

		if (t[i].want ? !got || strcmp(got, t[i].want) : got != NULL)
			fail_msg("aoms_elf_arch(%d, %u) = %s, want %s", t[i].cls, t[i].machine,
				 got ? got : "NULL", t[i].want ? t[i].want : "NULL");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_exe),
		cmocka_unit_test(test_read_shared_lib),
		cmocka_unit_test(test_read_exports),
		cmocka_unit_test(test_read_optional_objects),
		cmocka_unit_test(test_not_elf),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bad_offsets),
		cmocka_unit_test(test_version_chain_loops),
		cmocka_unit_test(test_arch),
	};

	/* A reader that spins on a looping chain fails the test instead of hanging it. */
	alarm(300);
	return cmocka_run_group_tests(tests, setup, aoms_test_teardown);
}
