/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The registry row of eBPF objects (EM_BPF; rules bpf.*): bpf-object.h reads,
 * check-bpf.h judges. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check-bpf.h"
#include "scanner.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif

/* Objects above this are not read (a BPF object is kilobytes; the ELF layer and
 * libbpf work on the whole image in memory). */
#define BPF_MAX_FILE (256u << 20)

static bool bpf_probe(struct aoms_probe *p)
{
	return p->is_elf && p->elf_machine == EM_BPF;
}

static int bpf_read_all(int fd, uint64_t size, void **ret)
{
	_cleanup_(freep) unsigned char *buf = malloc(size ? size : 1);
	uint64_t done = 0;

	if (!buf)
		return -ENOMEM;
	while (done < size) {
		ssize_t n = pread(fd, buf + done, size - done, (off_t)done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;  /* shrank while read */
		done += (uint64_t)n;
	}
	*ret = TAKE_PTR(buf);
	return 0;
}

static int bpf_read(struct aoms_scan_ctx *ctx, struct aoms_file *f, int fd)
{
	_cleanup_(freep) void *buf = NULL;
	_cleanup_(freep) char *reason = NULL;
	struct aoms_bpf_object *o = NULL;
	const char *base = strrchr(f->subject, '/');
	off_t size = lseek(fd, 0, SEEK_END);
	int r;

	if (size < 0)
		return -errno;
	if ((uint64_t)size > BPF_MAX_FILE) {
		char msg[96];

		snprintf(msg, sizeof(msg), "%llu bytes, over the %u MiB limit of the eBPF reader",
			 (unsigned long long)size, BPF_MAX_FILE >> 20);
		return aoms_bpf_report_malformed(ctx, f, msg);
	}
	r = bpf_read_all(fd, (uint64_t)size, &buf);
	if (r < 0)
		return r;
	r = aoms_bpf_object_read(buf, (size_t)size, base ? base + 1 : f->subject, &o, &reason);
	if (r == -EBADMSG)
		return aoms_bpf_report_malformed(ctx, f, reason);
	if (r < 0)
		return r;
	f->model = o;
	return 0;
}

static int bpf_check(const struct aoms_scan_ctx *ctx, const struct aoms_file *f)
{
	return f->model ? aoms_check_bpf(ctx, f, f->model) : 0;
}

static void bpf_free(void *model)
{
	aoms_bpf_object_free(model);
}

const struct aoms_scanner aoms_scanner_bpf = {
	.name = "bpf",
	.dimension = AOMS_DIM_KERNEL,
	.probe = bpf_probe,
	.read = bpf_read,
	.check = bpf_check,
	.free = bpf_free,
};
