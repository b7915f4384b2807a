/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `aoms db build --kernel DIR`: one kernel from its build tree (/usr/src/kernels/R,
 * /lib/modules/R/build: Module.symvers, .config, include/config/kernel.release) or
 * from a /lib/modules/R directory (symvers.gz, config, the exports of every
 * module under kernel/, with CRCs, read by kmod/, and the module list of
 * modules.dep and modules.builtin). Files are read inside DIR only.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "dbbuild-private.h"
#include "kfacts.h"
#include "kmod-kernel.h"
#include "kmod.h"
#include "strbuf.h"

struct kdir {
	struct aoms_dbsink *s;
	const char *dir;
	int64_t source;
	char release[256];
	char arch[32];
	char *vermagic;
	unsigned modules;
};

/* The first line of a small file inside dir, or "". */
static void kdir_first_line(const char *dir, const char *path, char *buf, size_t n)
{
	FILE *f = aoms_dbbuild_fopen(dir, path);

	*buf = '\0';
	if (f && fgets(buf, (int)n, f))
		buf[strcspn(buf, "\r\n")] = '\0';
	if (f)
		fclose(f);
}

static bool kdir_exists(const char *dir, const char *path)
{
	FILE *f = aoms_dbbuild_fopen(dir, path);

	if (f)
		fclose(f);
	return f != NULL;
}

/* UTS_RELEASE is what vermagic holds (Debian's kernel.release differs from it). */
static void kdir_build_release(struct kdir *k)
{
	char line[512];
	const char *q;

	kdir_first_line(k->dir, "/include/generated/utsrelease.h", line, sizeof(line));
	if ((q = strchr(line, '"')) && strchr(q + 1, '"')) {
		snprintf(k->release, sizeof(k->release), "%.*s", (int)strcspn(q + 1, "\""), q + 1);
		return;
	}
	kdir_first_line(k->dir, "/include/config/kernel.release", k->release, sizeof(k->release));
}

static int kdir_on_config(const struct aoms_kconfig_row *row, void *ud)
{
	struct kdir *k = ud;
	static const struct { const char *key, *arch; } arches[] = {
		{ "CONFIG_X86_64", "x86_64" }, { "CONFIG_ARM64", "aarch64" },
		{ "CONFIG_PPC64", "ppc64le" }, { "CONFIG_S390", "s390x" },
		{ "CONFIG_LOONGARCH", "loongarch64" },
	};

	for (size_t i = 0; !*k->arch && i < ARRAY_SIZE(arches); i++)
		if (strcmp(row->key, arches[i].key) == 0 && strcmp(row->value, "y") == 0)
			snprintf(k->arch, sizeof(k->arch), "%s", arches[i].arch);
	return 0;
}

/* The arch from the config's CONFIG_X86_64=y and the like, else the release. */
static void kdir_arch(struct kdir *k, const char *config)
{
	FILE *f = config ? aoms_dbbuild_fopen(k->dir, config) : NULL;
	const char *dot = strrchr(k->release, '.');

	if (f) {
		aoms_kconfig_foreach(f, kdir_on_config, k, NULL);
		fclose(f);
	}
	if (!*k->arch && dot && (strcmp(dot, ".x86_64") == 0 || strcmp(dot, ".aarch64") == 0))
		snprintf(k->arch, sizeof(k->arch), "%s", dot + 1);
}

static int kdir_import(struct kdir *k, const char *path,
		       int (*fn)(struct aoms_abidb *, FILE *, int64_t, const char *, const char *,
				 unsigned *))
{
	FILE *f = aoms_dbbuild_fopen(k->dir, path);
	unsigned line = 0;
	int r;

	if (!f)
		return 0;
	pthread_mutex_lock(&k->s->lock);
	r = fn(k->s->db, f, k->source, k->release, k->arch, &line);
	pthread_mutex_unlock(&k->s->lock);
	fclose(f);
	if ((r == -EINVAL || r == -EBADMSG) && k->s->report) {
		aoms_report_add_error(k->s->report, path, 0, "cannot read '%s%s' line %u: %s", k->dir,
				      path, line, aoms_abidb_errmsg(k->s->db));
		return 0;
	}
	return r < 0 ? r : 1;
}

/* One module: its exports, CRCs and GPL-ness; its vermagic for the kernel's. */
static int kdir_module(struct kdir *k, int dirfd, const char *name, const char *rel)
{
	_cleanup_(aoms_kmod_freep) struct aoms_kmod *m = NULL;
	_cleanup_(freep) char *reason = NULL, *modpath = NULL;
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	int r;

	if (fd < 0)
		return 0;
	r = aoms_kmod_read_fd(fd, name, &m, &reason);
	close(fd);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		if (k->s->report)
			aoms_report_add_error(k->s->report, rel, 0, "cannot read module '%s': %s", rel,
					      reason ? reason : strerror(-r));
		return 0;
	}
	/* "kernel/drivers/net/dummy.ko.xz" -> "kernel/drivers/net/dummy", as symvers names it */
	modpath = strndup(rel, strstr(rel, ".ko") ? (size_t)(strstr(rel, ".ko") - rel) : strlen(rel));
	if (!modpath)
		return -ENOMEM;
	if (!*k->arch) {
		const char *a = aoms_kmod_machine_arch(m->machine, m->elf_class);

		snprintf(k->arch, sizeof(k->arch), "%s", a ? a : "unknown");
	}
	if (!k->vermagic && m->vermagic && !(k->vermagic = strdup(m->vermagic)))
		return -ENOMEM;
	pthread_mutex_lock(&k->s->lock);
	for (size_t i = 0; r >= 0 && i < m->n_exports; i++)
		r = aoms_abidb_add_kernel_symbol(k->s->db, k->source, k->release, k->arch,
						 m->exports[i].name, m->exports[i].crc, modpath,
						 m->exports[i].gpl ? "EXPORT_SYMBOL_GPL" : "EXPORT_SYMBOL",
						 NULL);
	pthread_mutex_unlock(&k->s->lock);
	k->modules++;
	return r < 0 ? r : 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Walks dir/rel (sorted, no symlinks followed, 16 levels at most). */
static int kdir_walk(struct kdir *k, int dirfd, const char *rel, unsigned depth)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;
	int r = 0;

	if (depth > 16 || !(d = fdopendir(dirfd)))
		return 0;
	while ((de = readdir(d))) {
		char **p;

		if (de->d_name[0] == '.')
			continue;
		p = reallocarray(names, n + 1, sizeof(*names));
		if (!p || !(p[n] = strdup(de->d_name))) {
			names = p ? p : names;
			r = -ENOMEM;
			break;
		}
		names = p;
		n++;
	}
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; r >= 0 && i < n; i++) {
		_cleanup_(freep) char *sub = aoms_strdupf("%s/%s", rel, names[i]);
		struct stat st;

		if (!sub) {
			r = -ENOMEM;
		} else if (fstatat(dirfd, names[i], &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode)) {
			int fd = openat(dirfd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (fd >= 0)
				r = kdir_walk(k, fd, sub, depth + 1);
		} else if (S_ISREG(st.st_mode) && strstr(names[i], ".ko")) {
			r = kdir_module(k, dirfd, names[i], sub);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(d);
	return r;
}

/* modules.dep lines are "kernel/PATH.ko.xz: deps", modules.builtin's "kernel/PATH.ko" */
int aoms_dbbuild_module_list(struct aoms_dbsink *s, const char *root, const char *path,
			     int64_t source, const char *release, const char *arch, bool builtin)
{
	_cleanup_(fclosep) FILE *f = aoms_dbbuild_fopen(root, path);
	char line[4096];
	int r = 0;

	while (f && r >= 0 && fgets(line, sizeof(line), f)) {
		char *p = line, *ko, *base;

		p[strcspn(p, ":\r\n")] = '\0';
		if (strncmp(p, "kernel/", 7) != 0 || !(ko = strstr(p, ".ko")))
			continue;
		*ko = '\0';
		p += 7;
		base = strrchr(p, '/');
		base = base ? base + 1 : p;
		if (!*base)
			continue;
		pthread_mutex_lock(&s->lock);
		r = aoms_abidb_add_kernel_module(s->db, source, release, arch, base, p, builtin);
		pthread_mutex_unlock(&s->lock);
		if (r == -EINVAL)   /* a name too long: not a module */
			r = 0;
	}
	return r < 0 ? r : 0;
}

static int kdir_modules_dir(struct kdir *k)
{
	_cleanup_(freep) char *boot = aoms_strdupf("/../../../boot/config-%s", k->release);
	_cleanup_(freep) char *top = aoms_strdupf("%s/kernel", k->dir);
	int r, fd;

	if (!boot || !top)
		return -ENOMEM;
	kdir_arch(k, kdir_exists(k->dir, "/config") ? "/config" : NULL);
	r = kdir_import(k, "/symvers.gz", aoms_abidb_import_symvers);
	if (r == 0 && kdir_exists(k->dir, "/build/Module.symvers"))
		r = kdir_import(k, "/build/Module.symvers", aoms_abidb_import_symvers);
	if (r >= 0 && (fd = open(top, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0)
		r = kdir_walk(k, fd, "kernel", 0);
	for (int b = 0; r >= 0 && b < 2; b++)
		r = aoms_dbbuild_module_list(k->s, k->dir, b ? "/modules.builtin" : "/modules.dep",
					     k->source, k->release, *k->arch ? k->arch : "unknown", b);
	if (r >= 0)
		r = kdir_import(k, "/config", aoms_abidb_import_kconfig);
	if (r == 0) {
		/* ../../../boot/config-R sits outside DIR: only through a real path */
		_cleanup_(freep) char *path = aoms_strdupf("%s%s", k->dir, boot);
		FILE *f = path ? fopen(path, "re") : NULL;
		unsigned line = 0;

		if (f) {
			pthread_mutex_lock(&k->s->lock);
			r = aoms_abidb_import_kconfig(k->s->db, f, k->source, k->release, k->arch, &line);
			pthread_mutex_unlock(&k->s->lock);
			fclose(f);
			r = r == -EINVAL ? 0 : r;
		}
	}
	return r;
}

/* The kernel's vmlinux BTF: a build tree's own, or under the root a
 * /lib/modules/R directory sits in. */
static int kdir_btf(struct kdir *k, bool build, const char *btf_file, char **ret_reason)
{
	_cleanup_(freep) char *up = aoms_strdupf("%s/../../..", k->dir);
	_cleanup_(freep) char *root = up ? realpath(up, NULL) : NULL;
	struct aoms_dbbuild_btf b = { .release = k->release, .arch = *k->arch ? k->arch : "unknown",
				      .file = btf_file, .build_tree = build, .source = k->source };

	if (!up)
		return -ENOMEM;
	b.root = build || !root ? k->dir : root;
	return aoms_dbbuild_kernel_btf(k->s, &b, ret_reason);
}

int aoms_dbbuild_kernel_dir(struct aoms_dbsink *s, const char *dir, const char *btf_file,
			    int64_t source, char **ret_reason)
{
	struct kdir k = { .s = s, .dir = dir, .source = source };
	bool build = kdir_exists(dir, "/Module.symvers");
	const char *base = strrchr(dir, '/');
	int r;

	if (!build && !kdir_exists(dir, "/modules.dep") && !kdir_exists(dir, "/symvers.gz") &&
	    !kdir_exists(dir, "/modules.order") && !kdir_exists(dir, "/modules.builtin"))
		return -ENOENT;
	if (build)
		kdir_build_release(&k);
	if (!*k.release) {   /* /lib/modules/R, /usr/src/kernels/R */
		while (base && base > dir && base[1] == '\0')
			base--;
		snprintf(k.release, sizeof(k.release), "%s", base ? base + 1 : dir);
		k.release[strcspn(k.release, "/")] = '\0';
	}
	if (build) {
		kdir_arch(&k, "/.config");
		if (!*k.arch)
			snprintf(k.arch, sizeof(k.arch), "unknown");
		r = kdir_import(&k, "/Module.symvers", aoms_abidb_import_symvers);
		if (r >= 0)
			r = kdir_import(&k, "/.config", aoms_abidb_import_kconfig);
	} else {
		r = kdir_modules_dir(&k);
	}
	if (r >= 0) {
		pthread_mutex_lock(&s->lock);
		r = aoms_abidb_add_kernel(s->db, source, k.release, *k.arch ? k.arch : "unknown",
					  k.vermagic);
		pthread_mutex_unlock(&s->lock);
	}
	if (r >= 0)
		r = kdir_btf(&k, build, btf_file, ret_reason);
	free(k.vermagic);
	return r < 0 ? r : 1;
}
