/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Platforms of a scan. The twin index keys every native ELF build whose path names
 * a platform by its platform slot; a build for another platform finds its twin with
 * one lookup, so the whole tree costs one pass however many foreign builds it holds.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "elf-model.h"
#include "grow.h"
#include "platform.h"
#include "strbuf.h"

struct aoms_platforms {
	char **arches;
	size_t n_arches;
	char *arches_text;
	struct aoms_strmap twins;   /* slot -> const struct aoms_file * (native) */
	char **slots;               /* the keys, owned */
	size_t n_slots;
	/* Every "*.dist-info/WHEEL" of the tree in path order, so naming a Python
	 * extension's wheel looks at those few files, not at every file above it. */
	const struct aoms_file **wheels;
	size_t n_wheels;
};

static const char *const known_arches[] = {
	"x86_64", "aarch64", "i686", "x32", "armv7hl", "ppc64le", "ppc", "s390x", "riscv64",
	"loongarch64", "mips64el", "sparc64",
};

/* Words that name an OS, a processor or a C library in package and directory names
 * (Node prebuilds, napi-rs packages, Python extension suffixes, Debian multiarch). */
static const char *const platform_words[] = {
	"linux", "linuxmusl", "darwin", "macos", "osx", "win32", "windows", "freebsd",
	"android", "musl", "gnu", "glibc", "gnueabi", "gnueabihf", "musleabi", "musleabihf",
	"eabihf", "x64", "amd64", "x86", "ia32", "i386", "i486", "i586", "i686", "arm",
	"arm64", "armhf", "armel", "armv6", "armv6l", "armv7", "armv7l", "armv7hl", "armv8",
	"aarch64", "ppc", "ppc64", "ppc64le", "s390x", "riscv64", "loongarch64", "mips64el",
	"mipsel", "sparc64", "universal", "universal2",
};

bool aoms_platform_arch_valid(const char *arch)
{
	for (size_t i = 0; arch && i < ARRAY_SIZE(known_arches); i++)
		if (strcmp(arch, known_arches[i]) == 0)
			return true;
	return false;
}

static bool starts_with(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

const char *aoms_platform_libc_text(enum aoms_libc libc)
{
	return libc == AOMS_LIBC_MUSL ? "musl libc" : libc == AOMS_LIBC_BIONIC ? "Android's Bionic libc" :
	       libc == AOMS_LIBC_GLIBC ? "glibc" : NULL;
}

enum aoms_libc aoms_platform_libc(const struct aoms_elf *m)
{
	bool libc_so = false, android = false, glibc_node = false;

	if (starts_with(m->interp, "/lib/ld-musl-"))
		return AOMS_LIBC_MUSL;
	if (starts_with(m->interp, "/system/bin/linker"))
		return AOMS_LIBC_BIONIC;
	for (size_t i = 0; i < m->n_needed; i++) {
		if (starts_with(m->needed[i], "libc.musl-"))
			return AOMS_LIBC_MUSL;
		libc_so |= strcmp(m->needed[i], "libc.so") == 0;
		/* Bionic keeps libm and libdl apart from libc, unversioned; musl has them
		 * inside its libc.so */
		android |= strcmp(m->needed[i], "liblog.so") == 0 ||
			   strcmp(m->needed[i], "libandroid.so") == 0 ||
			   strcmp(m->needed[i], "libc++_shared.so") == 0 ||
			   strcmp(m->needed[i], "libm.so") == 0 || strcmp(m->needed[i], "libdl.so") == 0;
	}
	for (size_t i = 0; i < m->n_needs && !glibc_node; i++)
		glibc_node = starts_with(m->needs[i].version, "GLIBC_");
	if (libc_so && !glibc_node)
		return android ? AOMS_LIBC_BIONIC : AOMS_LIBC_MUSL;
	if (glibc_node || starts_with(m->interp, "/lib64/ld-linux") ||
	    starts_with(m->interp, "/lib/ld-linux"))
		return AOMS_LIBC_GLIBC;
	for (size_t i = 0; i < m->n_needed; i++)
		if (strcmp(m->needed[i], "libc.so.6") == 0)
			return AOMS_LIBC_GLIBC;
	return AOMS_LIBC_NONE;
}

enum aoms_platform_fit aoms_platform_fit(const char *arch, enum aoms_libc libc,
					 const char *const *arches, size_t n)
{
	bool x86_64 = false;

	if (libc == AOMS_LIBC_MUSL || libc == AOMS_LIBC_BIONIC || !arch)
		return AOMS_PLATFORM_FOREIGN;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(arch, arches[i]) == 0)
			return AOMS_PLATFORM_NATIVE;
		x86_64 |= strcmp(arches[i], "x86_64") == 0;
	}
	/* EL8 x86_64 runs i686 programs with glibc.i686 (multilib). */
	return x86_64 && strcmp(arch, "i686") == 0 ? AOMS_PLATFORM_COMPAT : AOMS_PLATFORM_FOREIGN;
}

static bool is_platform_word(const char *w, size_t n)
{
	for (size_t i = 0; i < ARRAY_SIZE(platform_words); i++)
		if (strlen(platform_words[i]) == n && memcmp(platform_words[i], w, n) == 0)
			return true;
	return false;
}

/* One path component, lowercased, "x86_64"/"x86-64" as one word, its platform words
 * left out and the rest joined with '.'. */
static int slot_component(struct aoms_strbuf *sb, const char *c, size_t len, bool *tagged)
{
	_cleanup_(freep) char *low = strndup(c, len);
	bool first = true;
	char *p, *w;

	if (!low)
		return -ENOMEM;
	for (p = low; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	while ((p = strstr(low, "x86_64")) || (p = strstr(low, "x86-64")))
		memmove(p + 3, p + 6, strlen(p + 6) + 1), memcpy(p, "x64", 3);
	for (w = low; *w; ) {
		size_t n = strcspn(w, "-._");

		if (n && is_platform_word(w, n)) {
			*tagged = true;
		} else if (n) {
			if (!first && aoms_strbuf_addc(sb, '.') < 0)
				return -ENOMEM;
			if (aoms_strbuf_add(sb, w, n) < 0)
				return -ENOMEM;
			first = false;
		}
		w += n;
		if (*w)
			w++;
	}
	return 0;
}

char *aoms_platform_slot(const char *path, bool *ret_tagged)
{
	struct aoms_strbuf sb = AOMS_STRBUF_INIT;
	bool tagged = false;

	for (const char *p = path; *p; ) {
		size_t n = strcspn(p, "/");

		if (slot_component(&sb, p, n, &tagged) < 0) {
			aoms_strbuf_release(&sb);
			return NULL;
		}
		p += n;
		if (*p) {
			if (aoms_strbuf_addc(&sb, '/') < 0) {
				aoms_strbuf_release(&sb);
				return NULL;
			}
			p++;
		}
	}
	*ret_tagged = tagged;
	return aoms_strbuf_detach(&sb);
}

static int platforms_add_arch(struct aoms_platforms *p, const char *arch, size_t len)
{
	char **v;

	for (size_t i = 0; i < p->n_arches; i++)
		if (strlen(p->arches[i]) == len && !strncmp(p->arches[i], arch, len))
			return 0;
	v = realloc(p->arches, (p->n_arches + 2) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	p->arches = v;
	if (!(v[p->n_arches] = strndup(arch, len)))
		return -ENOMEM;
	v[++p->n_arches] = NULL;
	return 0;
}

/* x86_64; with a database that has no x86_64 facts, also its arches (a database
 * built from an aarch64 root is for migrating aarch64 hosts, while an x86_64 program
 * scanned with it is still told that its facts are missing). */
static int platforms_default(struct aoms_platforms *p, struct aoms_abidb *db)
{
	_cleanup_(freep) char *meta = NULL;
	int has = db ? aoms_abidb_has_arch(db, "x86_64") : 1;
	int r = has < 0 ? has : platforms_add_arch(p, "x86_64", 6);

	if (r < 0)
		return r;
	if (has == 0 && (meta = aoms_abidb_get_meta(db, "arches")))
		for (const char *a = meta; *a; ) {
			size_t n = strcspn(a, " ,");

			if (n && (r = platforms_add_arch(p, a, n)) < 0)
				return r;
			a += n;
			a += strspn(a, " ,");
		}
	return 0;
}

static int platforms_index(struct aoms_platforms *p, const struct aoms_tree *t)
{
	static const char wheel[] = ".dist-info/WHEEL";

	size_t cap_slots = 0, cap_wheels = 0;

	/* grown as found: a /usr tree has 165,000 files and a few hundred slots */
	for (size_t i = 0; i < t->n_files; i++) {
		const struct aoms_file *f = t->files[i];
		size_t len = strlen(f->path);
		bool tagged;
		char *slot;

		if (f->kind == AOMS_FILE_REGULAR && len > sizeof(wheel) - 1 &&
		    memcmp(f->path + len - (sizeof(wheel) - 1), wheel, sizeof(wheel) - 1) == 0) {
			if (aoms_grow((void **)&p->wheels, &cap_wheels, p->n_wheels, sizeof(*p->wheels)) < 0)
				return -ENOMEM;
			p->wheels[p->n_wheels++] = f;
		}
		if (!f->elf || aoms_platforms_fit(p, f->elf) != AOMS_PLATFORM_NATIVE)
			continue;
		slot = aoms_platform_slot(f->path, &tagged);
		if (!slot)
			return -ENOMEM;
		if (!tagged || aoms_strmap_get(&p->twins, slot)) {   /* the first in path order */
			free(slot);
			continue;
		}
		if (aoms_grow((void **)&p->slots, &cap_slots, p->n_slots, sizeof(*p->slots)) < 0) {
			free(slot);
			return -ENOMEM;
		}
		p->slots[p->n_slots++] = slot;
		if (aoms_strmap_put(&p->twins, slot, (void *)f) < 0)
			return -ENOMEM;
	}
	return 0;
}

int aoms_platforms_new(const struct aoms_tree *t, struct aoms_abidb *db,
		       const char *const *arches, size_t n, struct aoms_platforms **ret)
{
	_cleanup_(aoms_platforms_freep) struct aoms_platforms *p = calloc(1, sizeof(*p));
	struct aoms_strbuf sb = AOMS_STRBUF_INIT;
	int r = p ? 0 : -ENOMEM;

	for (size_t i = 0; i < n && r >= 0; i++)
		r = platforms_add_arch(p, arches[i], strlen(arches[i]));
	if (r >= 0 && !n)
		r = platforms_default(p, db);
	for (size_t i = 0; r >= 0 && i < p->n_arches; i++)
		r = aoms_strbuf_addf(&sb, "%s%s", i ? ", " : "", p->arches[i]);
	if (r >= 0 && !(p->arches_text = aoms_strbuf_detach(&sb)))
		r = -ENOMEM;
	if (r >= 0 && t)
		r = platforms_index(p, t);
	aoms_strbuf_release(&sb);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(p);
	return 0;
}

void aoms_platforms_free(struct aoms_platforms *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_arches; i++)
		free(p->arches[i]);
	free(p->arches);
	free(p->arches_text);
	aoms_strmap_release(&p->twins);
	for (size_t i = 0; i < p->n_slots; i++)
		free(p->slots[i]);
	free(p->slots);
	free(p->wheels);
	free(p);
}

const struct aoms_file *const *aoms_platforms_wheels(const struct aoms_platforms *p,
						       size_t *ret_n)
{
	*ret_n = p ? p->n_wheels : 0;
	return p ? p->wheels : NULL;
}

const char *const *aoms_platforms_arches(const struct aoms_platforms *p, size_t *ret_n)
{
	static const char *const x86_64[] = { "x86_64", NULL };

	*ret_n = p ? p->n_arches : 1;
	return p ? (const char *const *)p->arches : x86_64;
}

const char *aoms_platforms_arches_text(const struct aoms_platforms *p)
{
	return p ? p->arches_text : "x86_64";
}

enum aoms_platform_fit aoms_platforms_fit(const struct aoms_platforms *p, const struct aoms_elf *m)
{
	size_t n;
	const char *const *arches = aoms_platforms_arches(p, &n);

	return aoms_platform_fit(aoms_elf_arch(m->elf_class, m->machine), aoms_platform_libc(m),
				 arches, n);
}

const struct aoms_file *aoms_platforms_twin(const struct aoms_platforms *p,
					    const struct aoms_file *f)
{
	_cleanup_(freep) char *slot = NULL;
	bool tagged;

	if (!p || !p->twins.len || !(slot = aoms_platform_slot(f->path, &tagged)) || !tagged)
		return NULL;
	return aoms_strmap_get(&p->twins, slot);
}
