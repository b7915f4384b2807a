/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libbpf's view of an eBPF object (bpf-object.h): bpf_object__open_mem() without
 * loading (no bpf() syscall, no privileges), then the program, attach and map
 * types. libbpf prints through a process-wide callback: it is routed to
 * aoms_log() once, and the last warning of the calling thread is kept as the
 * reason when an open fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "aoms-log.h"
#include "bpf-object.h"
#include "config.h"

#ifdef HAVE_LIBBPF
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#if defined(LIBBPF_MAJOR_VERSION) && (LIBBPF_MAJOR_VERSION > 0 || LIBBPF_MINOR_VERSION >= 7)
#define BPF_HAVE_INSN_CNT 1      /* bpf_program__insn_cnt(): libbpf 0.7 */
#endif
#if defined(LIBBPF_MAJOR_VERSION) && LIBBPF_MAJOR_VERSION >= 1
#define BPF_HAVE_TYPE_STR 1      /* libbpf_bpf_attach_type_str(): libbpf 1.0 */
#endif

static __thread char libbpf_last_warning[256];
static pthread_once_t libbpf_print_once = PTHREAD_ONCE_INIT;

static int libbpf_print_fn(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	if (level == LIBBPF_WARN)
		memcpy(libbpf_last_warning, msg, n < sizeof(libbpf_last_warning)
							   ? n + 1 : sizeof(libbpf_last_warning));
	libbpf_last_warning[sizeof(libbpf_last_warning) - 1] = '\0';
	aoms_log(level == LIBBPF_WARN ? AOMS_LOG_INFO : AOMS_LOG_DEBUG, "libbpf: %s", msg);
	return 0;
}

static void libbpf_print_setup(void)
{
	libbpf_set_print(libbpf_print_fn);
}

void aoms_bpf_libbpf_log_setup(void)
{
	pthread_once(&libbpf_print_once, libbpf_print_setup);
}

int aoms_bpf_btf_new(const void *data, size_t size, const char *whose, struct btf **ret,
		     char **ret_reason)
{
	struct btf *btf;
	int r;

	if (ret_reason)
		*ret_reason = NULL;
	if (!data || size > UINT32_MAX)
		return -EBADMSG;
	aoms_bpf_libbpf_log_setup();
	errno = 0;
	btf = btf__new(data, (uint32_t)size);
	/* libbpf < 1.0 returns an error pointer, later ones NULL and errno */
	if (btf && (unsigned long)btf < (unsigned long)-4095) {
		*ret = btf;
		return 0;
	}
	r = btf ? (int)(long)btf : errno ? -errno : -EINVAL;
	if (r == -ENOMEM)
		return r;
	if (ret_reason && asprintf(ret_reason, "libbpf does not accept %s BTF: %s", whose,
				   strerror(-r)) < 0)
		*ret_reason = NULL;
	return -EBADMSG;
}

static struct aoms_bpf_prog *libbpf_find_prog(struct aoms_bpf_object *o, const char *name,
					      const char *section)
{
	for (size_t i = 0; i < o->n_progs; i++)
		if (strcmp(o->progs[i].name, name) == 0 ||
		    (strcmp(o->progs[i].name, o->progs[i].section) == 0 &&
		     strcmp(o->progs[i].section, section) == 0))
			return &o->progs[i];
	return NULL;
}

static int libbpf_programs(struct bpf_object *obj, struct aoms_bpf_object *o)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj) {
		struct aoms_bpf_prog *p = libbpf_find_prog(o, bpf_program__name(prog),
							   bpf_program__section_name(prog));

		if (!p)
			continue;
		/* a section this libbpf does not know is UNSPEC: the table may know it */
		if (bpf_program__type(prog) != BPF_PROG_TYPE_UNSPEC || p->type < 0)
			p->type = (int)bpf_program__type(prog);
		p->attach_type = (int)bpf_program__expected_attach_type(prog);
#ifdef BPF_HAVE_TYPE_STR
		{
			/* 0 is also "none" (BPF_CGROUP_INET_INGRESS) */
			const char *s = p->attach_type > 0 || p->type == BPF_PROG_TYPE_CGROUP_SKB
				? libbpf_bpf_attach_type_str(bpf_program__expected_attach_type(prog))
				: NULL;

			free(p->attach_name);
			p->attach_name = s ? strdup(s) : NULL;
			if (s && !p->attach_name)
				return -ENOMEM;
		}
#endif
#ifdef BPF_HAVE_INSN_CNT
		p->insn_cnt = bpf_program__insn_cnt(prog);
		if (p->insn_cnt > o->max_prog_insns)
			o->max_prog_insns = p->insn_cnt;
#endif
	}
	return 0;
}

/* libbpf's maps replace the ELF reading's: it knows BTF-defined (.maps) types. */
static int libbpf_maps(struct bpf_object *obj, struct aoms_bpf_object *o)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj) {
		const char *name = bpf_map__name(map);

		if (bpf_map__is_internal(map) || !name)
			continue;
		for (size_t i = 0; i < o->n_maps; i++)
			if (strcmp(o->maps[i].name, name) == 0)
				o->maps[i].type = (int)bpf_map__type(map);
	}
	return 0;
}

int aoms_bpf_libbpf_read(const void *buf, size_t size, const char *name,
			 struct aoms_bpf_object *o, char **ret_reason)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = name);
	struct bpf_object *obj;
	long err = 0;
	int r;

	if (size > AOMS_BPF_MAX_LIBBPF)
		return 0;
	aoms_bpf_libbpf_log_setup();
	libbpf_last_warning[0] = '\0';
	errno = 0;
	obj = bpf_object__open_mem(buf, size, &opts);
	/* libbpf < 1.0 returns an error pointer, later ones NULL and errno */
	if (!obj)
		err = errno ? -errno : -EINVAL;
	else if ((unsigned long)obj >= (unsigned long)-4095)
		err = (long)obj;
	if (err) {
		if (err == -ENOMEM)
			return -ENOMEM;
		if (ret_reason && asprintf(ret_reason, "libbpf cannot open it: %s",
					   libbpf_last_warning[0] ? libbpf_last_warning
								  : strerror((int)-err)) < 0)
			*ret_reason = NULL;
		return -EBADMSG;
	}
	r = libbpf_programs(obj, o);
	if (r >= 0)
		r = libbpf_maps(obj, o);
	bpf_object__close(obj);
	if (r >= 0)
		o->libbpf_used = true;
	return r;
}

#else

void aoms_bpf_libbpf_log_setup(void)
{
}

int aoms_bpf_btf_new(const void *data, size_t size, const char *whose, struct btf **ret,
		     char **ret_reason)
{
	(void)data, (void)size, (void)whose, (void)ret;
	if (ret_reason)
		*ret_reason = NULL;
	return -EOPNOTSUPP;
}

int aoms_bpf_libbpf_read(const void *buf, size_t size, const char *name,
			 struct aoms_bpf_object *o, char **ret_reason)
{
	(void)buf, (void)size, (void)name, (void)o, (void)ret_reason;
	return 0;
}

#endif
