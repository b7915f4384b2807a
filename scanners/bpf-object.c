/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The eBPF object model: reading (ELF layer, then libbpf) and freeing. */
#include <errno.h>
#include <stdlib.h>
#include "bpf-core.h"
#include "bpf-object.h"

static void bpf_strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void aoms_bpf_object_free(struct aoms_bpf_object *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < o->n_progs; i++) {
		free(o->progs[i].name);
		free(o->progs[i].section);
		free(o->progs[i].attach_name);
	}
	free(o->progs);
	for (size_t i = 0; i < o->n_maps; i++) {
		free(o->maps[i].name);
		free(o->maps[i].section);
	}
	free(o->maps);
	free(o->helpers);
	bpf_strv_free(o->kfuncs, o->n_kfuncs);
	bpf_strv_free(o->data_sections, o->n_data_sections);
	free(o->license);
	aoms_bpf_core_free(o->core);
	free(o->core_error);
	free(o);
}

int aoms_bpf_object_read(const void *buf, size_t size, const char *name,
			 struct aoms_bpf_object **ret, char **ret_reason)
{
	_cleanup_(aoms_bpf_object_freep) struct aoms_bpf_object *o = calloc(1, sizeof(*o));
	int r;

	if (ret_reason)
		*ret_reason = NULL;
	if (!o)
		return -ENOMEM;
	r = aoms_bpf_elf_read(buf, size, o, ret_reason);
	if (r >= 0)
		r = aoms_bpf_libbpf_read(buf, size, name, o, ret_reason);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(o);
	return 0;
}
