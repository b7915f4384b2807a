/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * .rpm files, parent side: each read runs librpm in a child (rpm-reader.c,
 * rpm-child.h) and this process only parses the child's records (rpm-stream.h),
 * checking every length. A payload file is passed to the callback once the child
 * has sent it whole and nothing contradicts it (the next record is not ERROR).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "arena.h"
#include "rpm-child.h"
#include "rpm-file.h"
#include "rpm-file-private.h"
#include "rpm-stream.h"
#include "strbuf.h"

struct aoms_rpm {
	char *path;
	int fd;
	struct aoms_rpm_opts opts;
	struct aoms_arena *arena;
	struct aoms_rpm_pkg pkg;
};

static const unsigned char rpm_lead_magic[4] = { 0xed, 0xab, 0xee, 0xdb };

bool aoms_rpm_is_rpm(const unsigned char *head, size_t n)
{
	return head && n >= sizeof(rpm_lead_magic) &&
	       memcmp(head, rpm_lead_magic, sizeof(rpm_lead_magic)) == 0;
}

void aoms_rpm_free(struct aoms_rpm *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	aoms_arena_free(r->arena);
	free(r->path);
	free(r);
}

const struct aoms_rpm_pkg *aoms_rpm_pkg(const struct aoms_rpm *r)
{
	return &r->pkg;
}

/* One child's stream. */
struct stream {
	struct aoms_rpm_child child;
	struct aoms_rpm *r;
	char *reason;
	bool finished;   /* END or ERROR seen, or the parent stopped on purpose */
};

static int stream_start(struct stream *s, struct aoms_rpm *r, bool payload)
{
	struct aoms_rpm_job job = { r->path, r->fd, payload };

	*s = (struct stream){ .r = r };
	return aoms_rpm_child_start(&s->child, &job, r->opts.timeout_s, r->opts.mem_budget);
}

static int stream_fail(struct stream *s, int err, const char *what)
{
	if (!s->reason)
		s->reason = aoms_strdupf("the package reader sent %s", what);
	s->finished = true;   /* a live child that lies is killed, not waited for */
	return err;
}

/* Reads the next record head; a broken stream is the child's fault (see end). */
static int stream_head(struct stream *s, struct aoms_rpm_rec_head *h)
{
	int r = aoms_rpm_child_read(&s->child, h, sizeof(*h));

	if (r == -EPIPE || r == -ETIMEDOUT)
		return -EBADMSG;
	if (r < 0)
		return r;
	if (aoms_rpm_rec_head_check(h, AOMS_RPM_MAX_FILE_SIZE) < 0)
		return stream_fail(s, -EBADMSG, "a malformed record");
	return 0;
}

/* A small record's body into a heap buffer. */
static int stream_body(struct stream *s, const struct aoms_rpm_rec_head *h, void **ret)
{
	_cleanup_(freep) void *body = malloc(h->len ? h->len : 1);
	int r;

	if (!body)
		return -ENOMEM;
	r = aoms_rpm_child_read(&s->child, body, h->len);
	if (r == -EPIPE || r == -ETIMEDOUT)
		return -EBADMSG;
	if (r < 0)
		return r;
	*ret = TAKE_PTR(body);
	return 0;
}

static int stream_error(struct stream *s, const struct aoms_rpm_rec_head *h)
{
	_cleanup_(freep) void *body = NULL;
	int err, r = stream_body(s, h, &body);

	if (r < 0)
		return r;
	free(s->reason);
	s->reason = NULL;
	if (aoms_rpm_rec_get_error(body, h->len, &err, &s->reason) < 0)
		return stream_fail(s, -EBADMSG, "a malformed error record");
	s->finished = true;
	if (err == ENOMEM) {
		free(s->reason);
		s->reason = aoms_strdupf("out of memory reading the package (more than %llu MiB)",
					 (unsigned long long)(s->r->opts.mem_budget >> 20));
		return -EBADMSG;
	}
	return err == EOPNOTSUPP ? -EOPNOTSUPP : -EBADMSG;
}

/* Ends the child; a crash or timeout explains a broken stream. */
static int stream_end(struct stream *s, int ret, char **ret_reason)
{
	_cleanup_(freep) char *why = NULL;
	int r = aoms_rpm_child_end(&s->child, s->finished || ret >= 0 ||
				   (ret < 0 && ret != -EBADMSG), &why);

	if (r == -EBADMSG) {
		free(s->reason);
		s->reason = TAKE_PTR(why);
		ret = -EBADMSG;
	} else if (r < 0 && ret >= 0) {
		ret = r;
	}
	if (ret == -EBADMSG && !s->reason && !s->finished)
		s->reason = strdup("the package reader sent a truncated stream");
	if (ret < 0 && ret_reason && s->reason)
		*ret_reason = TAKE_PTR(s->reason);
	free(s->reason);
	return ret;
}

static int read_pkg(struct aoms_rpm *r, char **ret_reason)
{
	struct stream s;
	struct aoms_rpm_rec_head h;
	bool have_pkg = false;
	int ret = stream_start(&s, r, false);

	if (ret < 0)
		return ret;
	while (ret >= 0 && (ret = stream_head(&s, &h)) >= 0) {
		_cleanup_(freep) void *body = NULL;

		if (h.type == AOMS_RPM_REC_END) {
			s.finished = true;
			ret = have_pkg ? 0 : stream_fail(&s, -EBADMSG, "no package");
			break;
		}
		if (h.type == AOMS_RPM_REC_ERROR) {
			ret = stream_error(&s, &h);
			break;
		}
		if (h.type != AOMS_RPM_REC_PKG || have_pkg) {
			ret = stream_fail(&s, -EBADMSG, "an unexpected record");
			break;
		}
		ret = stream_body(&s, &h, &body);
		if (ret >= 0 && (ret = aoms_rpm_rec_get_pkg(body, h.len, r->arena, &r->pkg)) == -EBADMSG)
			ret = stream_fail(&s, ret, "a malformed package record");
		have_pkg = ret >= 0;
	}
	return stream_end(&s, ret, ret_reason);
}

int aoms_rpm_open_ex(const char *path, const struct aoms_rpm_opts *o, struct aoms_rpm **ret,
		     char **ret_reason)
{
	_cleanup_(aoms_rpm_freep) struct aoms_rpm *r = NULL;
	unsigned char head[4];
	struct stat st;
	ssize_t n;
	int err;

	err = aoms_rpm_lib_init(ret_reason);   /* once, here: children inherit it */
	if (err < 0)
		return err;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	/* O_NONBLOCK: a FIFO must not block the open; it is no RPM anyway. */
	r->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (r->fd < 0 || fstat(r->fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -ENOEXEC;
	n = pread(r->fd, head, sizeof(head), 0);
	if (n < 0)
		return -errno;
	if (!aoms_rpm_is_rpm(head, (size_t)n))
		return -ENOEXEC;
	r->opts = o ? *o : (struct aoms_rpm_opts){ 0 };
	if (!r->opts.timeout_s)
		r->opts.timeout_s = AOMS_RPM_DEFAULT_TIMEOUT_S;
	if (!r->opts.max_inline)
		r->opts.max_inline = AOMS_RPM_DEFAULT_MAX_INLINE;
	if (!r->opts.mem_budget)
		r->opts.mem_budget = AOMS_RPM_DEFAULT_MEM_BUDGET;
	r->path = strdup(path);
	if (!r->path || aoms_arena_new(&r->arena) < 0)
		return -ENOMEM;
	err = read_pkg(r, ret_reason);
	if (err < 0)
		return err;
	*ret = TAKE_PTR(r);
	return 0;
}

int aoms_rpm_open(const char *path, struct aoms_rpm **ret, char **ret_reason)
{
	return aoms_rpm_open_ex(path, NULL, ret, ret_reason);
}

/* ---- the payload ---- */

/* A file whose content arrived, delivered once the next record is seen. */
struct pending {
	struct aoms_arena *arena;          /* entries and names */
	struct aoms_rpm_file_entry *names; /* the file, then its hard links */
	size_t n_names, cap;
	void *data;                        /* heap buffer or mapping */
	uint64_t size;
	bool mapped, have_data;
};

static void pending_clear(struct pending *p)
{
	if (p->mapped && p->data)
		munmap(p->data, p->size ? p->size : 1);
	else
		free(p->data);
	aoms_arena_free(p->arena);
	free(p->names);
	*p = (struct pending){ 0 };
}

static int pending_add(struct pending *p, const void *body, size_t n)
{
	struct aoms_rpm_file_entry e;
	int r;

	if (!p->arena && aoms_arena_new(&p->arena) < 0)
		return -ENOMEM;
	r = aoms_rpm_rec_get_file(body, n, p->arena, &e);
	if (r < 0)
		return r;
	if (!S_ISREG(e.mode) || e.size > AOMS_RPM_MAX_FILE_SIZE || e.link ||
	    (p->n_names && e.size != p->names[0].size))
		return -EBADMSG;
	if (p->n_names == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 4;
		struct aoms_rpm_file_entry *v = reallocarray(p->names, cap, sizeof(*v));

		if (!v)
			return -ENOMEM;
		p->names = v;
		p->cap = cap;
	}
	p->names[p->n_names++] = e;
	return 0;
}

/* A temporary file in $TMPDIR: O_TMPFILE, else mkstemp + unlink. */
static int tmpfile_open(void)
{
	const char *dir = getenv("TMPDIR");
	_cleanup_(freep) char *t = NULL;
	int fd;

	dir = dir && *dir ? dir : "/tmp";
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	t = aoms_strdupf("%s/aoms-member.XXXXXX", dir);
	if (!t)
		return -ENOMEM;
	fd = mkostemp(t, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	unlink(t);
	return fd;
}

static bool all_zero(const unsigned char *p, size_t n)
{
	return n == 0 || (p[0] == 0 && memcmp(p, p + 1, n - 1) == 0);
}

/* A big file into a temporary file (zero runs left as holes), then mapped. */
static int data_to_tmpfile(struct stream *s, struct pending *p)
{
	static _Thread_local unsigned char buf[1 << 16];
	_cleanup_(closep) int fd = tmpfile_open();
	uint64_t off = 0;
	void *map;
	int r;

	if (fd < 0)
		return fd;
	while (off < p->size) {
		size_t n = p->size - off < sizeof(buf) ? (size_t)(p->size - off) : sizeof(buf);

		r = aoms_rpm_child_read(&s->child, buf, n);
		if (r < 0)
			return r == -EPIPE || r == -ETIMEDOUT ? -EBADMSG : r;
		if (!all_zero(buf, n))
			for (size_t w = 0; w < n;) {
				ssize_t k = pwrite(fd, buf + w, n - w, (off_t)(off + w));

				if (k < 0)
					return -errno;
				w += (size_t)k;
			}
		off += n;
	}
	if (ftruncate(fd, (off_t)p->size) < 0)
		return -errno;
	/* Writable private pages: libelf may write to its image; nothing reaches the file. */
	map = mmap(NULL, p->size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		return -errno;
	p->data = map;
	p->mapped = true;
	return 0;
}

static int stream_data(struct stream *s, const struct aoms_rpm_rec_head *h, struct pending *p)
{
	int r;

	if (!p->n_names || p->have_data || h->len != p->names[0].size)
		return stream_fail(s, -EBADMSG, "file data out of place");
	p->size = h->len;
	p->have_data = true;
	if (p->size > s->r->opts.max_inline)
		return data_to_tmpfile(s, p);
	p->data = malloc(p->size ? p->size : 1);
	if (!p->data)
		return -ENOMEM;
	r = aoms_rpm_child_read(&s->child, p->data, p->size);
	return r == -EPIPE || r == -ETIMEDOUT ? -EBADMSG : r;
}

static int pending_deliver(struct pending *p, aoms_rpm_payload_fn fn, void *ud, int *count)
{
	int r = 0;

	if (!p->have_data)
		r = p->n_names ? -EBADMSG : 0;
	for (size_t i = 0; r >= 0 && p->have_data && i < p->n_names; i++) {
		r = fn(&p->names[i], p->data, p->size, ud);
		if (r >= 0)
			(*count)++;
	}
	pending_clear(p);
	return r;
}

static int payload_records(struct stream *s, aoms_rpm_payload_fn fn, void *ud)
{
	struct pending p = { 0 };
	struct aoms_rpm_rec_head h;
	int count = 0, r;

	while ((r = stream_head(s, &h)) >= 0) {
		_cleanup_(freep) void *body = NULL;

		if (h.type == AOMS_RPM_REC_ERROR) {
			r = stream_error(s, &h);
			break;
		}
		if (h.type == AOMS_RPM_REC_END || h.type == AOMS_RPM_REC_FILE) {
			r = pending_deliver(&p, fn, ud, &count);
			if (r == -EBADMSG)
				r = stream_fail(s, r, "a file without data");
			if (r < 0) {
				s->finished = true;   /* fn stopped the walk */
				break;
			}
			if (h.type == AOMS_RPM_REC_END) {
				s->finished = true;
				break;
			}
		}
		if (h.type == AOMS_RPM_REC_DATA) {
			r = stream_data(s, &h, &p);
		} else if (h.type == AOMS_RPM_REC_FILE || h.type == AOMS_RPM_REC_LINK) {
			r = h.type == AOMS_RPM_REC_LINK && (!p.n_names || p.have_data) ? -EBADMSG :
			    stream_body(s, &h, &body);
			if (r >= 0)
				r = pending_add(&p, body, h.len);
			if (r == -EBADMSG)
				r = stream_fail(s, r, "a malformed file record");
		} else {
			r = stream_fail(s, -EBADMSG, "an unexpected record");
		}
		if (r < 0)
			break;
	}
	pending_clear(&p);
	return r < 0 ? r : count;
}

int aoms_rpm_foreach_payload_file(struct aoms_rpm *r, aoms_rpm_payload_fn fn, void *ud,
				  char **ret_reason)
{
	struct stream s;
	int ret;

	if (r->pkg.n_files == 0)
		return 0;
	ret = stream_start(&s, r, true);
	if (ret < 0)
		return ret;
	ret = payload_records(&s, fn, ud);
	return stream_end(&s, ret, ret_reason);
}
