/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A kernel's vmlinux BTF for `aoms db build` (table kernel_btf, btf-blob.h): from
 * `--btf FILE`, else the first found for the release under the root — the running
 * kernel's /sys/kernel/btf/vmlinux when the root is live (its
 * /proc/sys/kernel/osrelease names the release), a vmlinux's .BTF section
 * (usr/lib/debug/lib/modules/R/vmlinux, boot/vmlinux-R, lib/modules/R/build/vmlinux,
 * a build tree's vmlinux). Raw BTF or ELF is told by the magic; the ELF is read
 * through elfio/ (only the .BTF section), and libbpf's btf__new() must accept the
 * bytes before they are stored.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "bpf-object.h"
#include "btf-blob.h"
#include "config.h"
#include "dbbuild-private.h"
#include "elfio.h"
#include "input-file.h"
#include "rootfs.h"
#include "strbuf.h"

#ifdef HAVE_LIBBPF
#include <bpf/btf.h>

/* The .BTF section of the ELF file at fd, copied into *ret. */
static int btf_from_elf(int fd, void **ret, size_t *ret_size, char **ret_reason)
{
	_cleanup_(aoms_elfio_freep) struct aoms_elfio *e = NULL;
	struct aoms_elfio_section s;
	Elf_Data *d;
	int r = aoms_elfio_open_fd(fd, &e, ret_reason);

	if (r < 0)
		return r == -ENOMEM ? r : -EBADMSG;
	r = aoms_elfio_find_section(e, ".BTF", &s);
	if (r == -ENOENT) {
		*ret_reason = strdup("an ELF file without a .BTF section");
		return -EBADMSG;
	}
	if (r >= 0)
		r = aoms_elfio_section_data(e, &s, &d);
	if (r < 0) {
		*ret_reason = aoms_elfio_take_reason(e);
		return r == -ENOMEM ? r : -EBADMSG;
	}
	if (!d->d_buf || !d->d_size || d->d_size > AOMS_BTF_MAX) {
		*ret_reason = aoms_strdupf("a .BTF section of %zu bytes", d->d_size);
		return -EBADMSG;
	}
	if (!(*ret = malloc(d->d_size)))
		return -ENOMEM;
	memcpy(*ret, d->d_buf, d->d_size);
	*ret_size = d->d_size;
	return 0;
}

/* The whole raw BTF file at fd (sysfs reports its size). */
static int btf_from_raw(int fd, void **ret, size_t *ret_size, char **ret_reason)
{
	struct stat st;
	_cleanup_(freep) unsigned char *buf = NULL;
	size_t done = 0;

	if (fstat(fd, &st) < 0)
		return -errno;
	if (st.st_size <= 0 || (uint64_t)st.st_size > AOMS_BTF_MAX) {
		*ret_reason = aoms_strdupf("%lld bytes, not a BTF file", (long long)st.st_size);
		return -EBADMSG;
	}
	if (!(buf = malloc((size_t)st.st_size)))
		return -ENOMEM;
	while (done < (size_t)st.st_size) {
		ssize_t n = pread(fd, buf + done, (size_t)st.st_size - done, (off_t)done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		done += (size_t)n;
	}
	*ret = TAKE_PTR(buf);
	*ret_size = done;
	return 0;
}

/* The BTF in the file at fd, accepted by libbpf. */
static int btf_read_fd(int fd, void **ret, size_t *ret_size, char **ret_reason)
{
	unsigned char magic[4] = { 0 };
	_cleanup_(freep) void *data = NULL;
	size_t size = 0;
	struct btf *btf;
	int r;

	*ret_reason = NULL;
	if (pread(fd, magic, sizeof(magic), 0) != (ssize_t)sizeof(magic)) {
		*ret_reason = strdup("too short for BTF");
		return -EBADMSG;
	}
	r = memcmp(magic, "\177ELF", 4) == 0 ? btf_from_elf(fd, &data, &size, ret_reason)
					      : btf_from_raw(fd, &data, &size, ret_reason);
	if (r < 0)
		return r;
	r = aoms_bpf_btf_new(data, size, "its", &btf, ret_reason);
	if (r < 0)
		return r;
	btf__free(btf);
	*ret = TAKE_PTR(data);
	*ret_size = size;
	return 0;
}

static int btf_store(struct aoms_dbsink *s, const struct aoms_dbbuild_btf *k, const void *data,
		     size_t size, const char *origin)
{
	_cleanup_(freep) void *packed = NULL;
	size_t n = 0;
	int r = aoms_btf_blob_pack(data, size, &packed, &n);

	if (r < 0)
		return r;
	pthread_mutex_lock(&s->lock);
	r = aoms_abidb_add_kernel_btf(s->db, k->source, k->release, k->arch, "zlib", size, packed,
				      n, origin);
	pthread_mutex_unlock(&s->lock);
	return r < 0 ? r : 1;
}

/* Whether the root runs release: its /sys is the running kernel's. */
static bool btf_root_runs(const char *root, const char *release)
{
	_cleanup_(fclosep) FILE *f = NULL;
	char line[256];

	if (aoms_root_fopen(root, "/proc/sys/kernel/osrelease", 4096, &f) < 0 ||
	    !fgets(line, sizeof(line), f))
		return false;
	line[strcspn(line, "\n")] = '\0';
	return strcmp(line, release) == 0;
}

/* Reads shown (open at fd) and records it; a file without valid BTF is an error of
 * the report when discovered, of the build when named (--btf). */
static int btf_take(struct aoms_dbsink *s, const struct aoms_dbbuild_btf *k, int fd,
		    const char *shown, char **ret_reason)
{
	_cleanup_(freep) void *data = NULL;
	_cleanup_(freep) char *why = NULL;
	size_t size = 0;
	int r = btf_read_fd(fd, &data, &size, &why);

	close(fd);
	if (r == -EBADMSG && k->file) {
		*ret_reason = aoms_strdupf("'%s' holds no kernel BTF: %s", shown, why ? why : "damaged");
		return -EINVAL;
	}
	if (r == -EBADMSG) {
		if (s->report)
			aoms_report_add_error(s->report, shown, 0, "cannot read BTF from '%s': %s",
					      shown, why ? why : "damaged");
		return 0;
	}
	return r < 0 ? r : btf_store(s, k, data, size, shown);
}

int aoms_dbbuild_kernel_btf(struct aoms_dbsink *s, const struct aoms_dbbuild_btf *k,
			    char **ret_reason)
{
	_cleanup_(freep) char *a = aoms_strdupf("/usr/lib/debug/lib/modules/%s/vmlinux", k->release);
	_cleanup_(freep) char *b = aoms_strdupf("/boot/vmlinux-%s", k->release);
	_cleanup_(freep) char *c = aoms_strdupf("/lib/modules/%s/build/vmlinux", k->release);
	const char *paths[] = { "/sys/kernel/btf/vmlinux", a, b, c, k->build_tree ? "/vmlinux" : NULL };
	int fd;

	if (!a || !b || !c)
		return -ENOMEM;
	if (k->file) {
		fd = aoms_open_untrusted(AT_FDCWD, k->file, 0, 0);
		if (fd < 0) {
			*ret_reason = aoms_strdupf("cannot read '%s': %s", k->file, strerror(-fd));
			return fd == -ENOMEM ? fd : -EINVAL;
		}
		return btf_take(s, k, fd, k->file, ret_reason);
	}
	for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
		_cleanup_(freep) char *shown = NULL;

		if (!paths[i] || (i == 0 && !btf_root_runs(k->root, k->release)))
			continue;
		fd = aoms_root_open(k->root, paths[i], 0);
		if (fd == -ENOMEM)
			return fd;
		if (fd < 0)
			continue;
		shown = aoms_root_join(k->root, paths[i]);
		if (!shown) {
			close(fd);
			return -ENOMEM;
		}
		return btf_take(s, k, fd, shown, ret_reason);
	}
	return 0;
}

#else

int aoms_dbbuild_kernel_btf(struct aoms_dbsink *s, const struct aoms_dbbuild_btf *k,
			    char **ret_reason)
{
	(void)s;
	if (k->file) {
		*ret_reason = strdup("aoms was built without libbpf: --btf cannot be read");
		return -EINVAL;
	}
	return 0;
}

#endif
