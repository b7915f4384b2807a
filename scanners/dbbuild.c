/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "input-file.h"
#include "arena.h"
#include "dbbuild-private.h"
#include "dbbuild.h"
#include "rootfs.h"
#include "strbuf.h"

static bool is_dir(const char *path)
{
	struct stat st;

	return path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* PRETTY_NAME of the root's os-release ("Anolis OS 8.8"), NULL when absent. */
static char *root_os_name(const char *root)
{
	_cleanup_(fclosep) FILE *f = NULL;
	char line[512];

	/* Inside the root, a regular file of sane size: never a FIFO or a device. */
	if (aoms_root_fopen(root, "/etc/os-release", 1u << 20, &f) < 0)
		return NULL;
	while (f && fgets(line, sizeof(line), f)) {
		char *v = line + 12;

		if (strncmp(line, "PRETTY_NAME=", 12) != 0)
			continue;
		v[strcspn(v, "\n")] = '\0';
		if (*v == '"' || *v == '\'') {
			v++;
			v[strcspn(v, "\"'")] = '\0';
		}
		return *v ? strdup(v) : NULL;
	}
	return NULL;
}

static int build_root(struct aoms_dbsink *sink, const char *root, struct aoms_strmap *nevras,
		      struct aoms_arena *arena, char **ret_reason)
{
	_cleanup_(freep) char *prov = aoms_strdupf("aoms db build --root %s", root);
	struct aoms_strmap owners = AOMS_STRMAP_INIT;
	int64_t source;
	int r;

	r = prov ? aoms_abidb_add_source(sink->db, "root", prov, &source) : -ENOMEM;
	if (r < 0)
		return r;
	r = aoms_dbbuild_rpmdb(sink, root, source, &owners, nevras, arena, ret_reason);
	if (r == -ENOENT) {
		/* a root without rpmdb (a Debian root, a bare image): libraries without owners */
		free(*ret_reason);
		*ret_reason = NULL;
		r = 0;
	}
	if (r >= 0)
		r = aoms_dbbuild_root_libraries(sink, root, source, owners.len ? &owners : NULL);
	if (r >= 0)
		r = aoms_dbbuild_kernel(sink, root, source);
	aoms_strmap_release(&owners);
	return r;
}

int aoms_dbbuild(struct aoms_abidb *db, const struct aoms_dbbuild_options *o, char **ret_reason)
{
	_cleanup_(aoms_arena_freep) struct aoms_arena *arena = NULL;
	struct aoms_strmap nevras = AOMS_STRMAP_INIT;   /* installed NEVRAs from the root */
	struct aoms_dbsink sink;
	int r;

	*ret_reason = NULL;
	if ((o->root && !is_dir(o->root)) || (o->rpms && !is_dir(o->rpms)) ||
	    (!o->root && !o->rpms && !o->n_kernels))
		return -ENOENT;
	for (size_t i = 0; i < o->n_kernels; i++)
		if (!is_dir(o->kernels[i]))
			return -ENOENT;
	if (aoms_arena_new(&arena) < 0)
		return -ENOMEM;
	elf_version(EV_CURRENT);
	aoms_dbsink_init(&sink, db, o->report);
	aoms_progress_init(&sink.progress, o->progress, o->progress_ud);
	r = aoms_abidb_begin(db);
	if (r >= 0 && o->root)
		r = build_root(&sink, o->root, &nevras, arena, ret_reason);
	if (r >= 0 && o->rpms) {
		_cleanup_(freep) char *prov = aoms_strdupf("aoms db build --rpms %s", o->rpms);
		int64_t source;

		r = prov ? aoms_abidb_add_source(db, "rpms", prov, &source) : -ENOMEM;
		if (r >= 0)
			r = aoms_dbbuild_rpms(&sink, o->rpms, source, !o->root, &nevras, o->jobs);
	}
	for (size_t i = 0; r >= 0 && i < o->n_kernels; i++) {
		_cleanup_(freep) char *prov = aoms_strdupf("aoms db build --kernel %s", o->kernels[i]);
		int64_t source;

		r = prov ? aoms_abidb_add_source(db, "kernel", prov, &source) : -ENOMEM;
		if (r >= 0)
			r = aoms_dbbuild_kernel_dir(&sink, o->kernels[i], source);
		if (r == -ENOENT) {
			*ret_reason = aoms_strdupf("'%s' is neither a kernel build tree (Module.symvers) "
						   "nor a /lib/modules/RELEASE directory", o->kernels[i]);
			r = -EINVAL;
		}
	}
	if (r >= 0) {
		_cleanup_(freep) char *os = o->name || !o->root ? NULL : root_os_name(o->root);

		r = aoms_dbsink_finish(&sink, o->name ? o->name : os);
	}
	if (r >= 0)
		r = aoms_abidb_mark_built(db);   /* last, in the facts' transaction */
	if (r >= 0)
		r = aoms_abidb_commit(db);
	else
		aoms_abidb_rollback(db);
	if (r >= 0)
		r = sink.libraries;
	aoms_strmap_release(&nevras);
	aoms_progress_release(&sink.progress);
	aoms_dbsink_release(&sink);
	return r;
}
