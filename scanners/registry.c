/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The scanner table and the probe helpers (scanner.h). */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "elfio.h"
#include "scanner.h"

/* Table order decides who wins a file two rows claim: an RPM starts with its own
 * lead magic, so it goes first; kernel modules (ET_REL, or compressed) before the
 * ELF row, which takes executables and shared objects; the bpf row EM_BPF objects. */
static const struct aoms_scanner *table[AOMS_SCANNERS_MAX] = {
	&aoms_scanner_rpm,
	&aoms_scanner_kmod,
	&aoms_scanner_elf,
	&aoms_scanner_bpf,
};
static size_t n_table = 4;
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

int aoms_scanner_register(const struct aoms_scanner *s)
{
	int r = 0;

	pthread_mutex_lock(&table_lock);
	for (size_t i = 0; i < n_table && r == 0; i++)
		if (strcmp(table[i]->name, s->name) == 0)
			r = -EEXIST;
	if (r == 0 && n_table == AOMS_SCANNERS_MAX)
		r = -ENOSPC;
	if (r == 0)
		table[n_table++] = s;
	pthread_mutex_unlock(&table_lock);
	return r;
}

size_t aoms_scanners_count(void)
{
	return n_table;
}

const struct aoms_scanner *aoms_scanner_at(size_t i)
{
	return i < n_table ? table[i] : NULL;
}

int aoms_scanner_index(const struct aoms_scanner *s)
{
	for (size_t i = 0; i < n_table; i++)
		if (table[i] == s)
			return (int)i;
	return -1;
}

int aoms_probe_init(struct aoms_probe *p, int fd, uint64_t size, const char *path,
		    const char *subject, unsigned char head[AOMS_PROBE_HEAD])
{
	struct aoms_elfio_ident id;
	ssize_t n;

	*p = (struct aoms_probe){ .path = path, .subject = subject, .fd = fd, .size = size,
				  .head = head };
	n = pread(fd, head, AOMS_PROBE_HEAD, 0);
	if (n < 0)
		return -errno;
	p->n_head = (size_t)n;
	if (aoms_elfio_ident(head, p->n_head, &id) == 0) {
		p->is_elf = true;
		p->elf_class = id.elf_class;
		p->elf_data = id.elf_data;
		p->elf_type = id.type;
		p->elf_machine = id.machine;
	}
	return 0;
}

/* The file is opened once for all the rows that ask (a .o of 10^4 sections is asked
 * for two or three names); a name is looked up in place, nothing is copied. */
bool aoms_probe_has_section(struct aoms_probe *p, const char *name)
{
	struct aoms_elfio_section s;

	if (!p->elf_opened) {
		p->elf_opened = true;
		if (!p->is_elf || aoms_elfio_open_fd(p->fd, &p->elf, NULL) < 0)
			p->elf = NULL;
	}
	return p->elf && aoms_elfio_find_section(p->elf, name, &s) == 0;
}

bool aoms_probe_path_ends(const struct aoms_probe *p, const char *suffix)
{
	size_t n = strlen(p->path), k = strlen(suffix);

	return n >= k && strcmp(p->path + n - k, suffix) == 0;
}

void aoms_probe_release(struct aoms_probe *p)
{
	aoms_elfio_free(p->elf);
	p->elf = NULL;
	p->elf_opened = false;
}
