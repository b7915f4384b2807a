/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The kernel's own fact formats into the database: Module.symvers, kABI
 * stablelists and kernel .config files, parsed by kfacts/ and written row by row
 * (abidb-kernel.h "streaming imports").
 */
#include <errno.h>
#include "import.h"

struct kfacts_import {
	struct aoms_abidb *db;
	FILE *in;
	unsigned *ret_line;
	int64_t source_id;
	const char *release, *arch;
	const char *list;        /* kabi: the list */
	int (*read)(struct kfacts_import *k, struct aoms_kfacts_error *err);
};

static int kfacts_add_symbol(const struct aoms_symvers_row *row, void *ud)
{
	struct kfacts_import *k = ud;

	return aoms_abidb_add_kernel_symbol(k->db, k->source_id, k->release, k->arch, row->name,
					    row->crc, row->module, row->export_type, row->ns);
}

static int kfacts_add_kabi(const struct aoms_symvers_row *row, void *ud)
{
	struct kfacts_import *k = ud;

	return aoms_abidb_add_kabi(k->db, k->source_id, k->list, k->arch, row->name, row->crc,
				   row->module, row->export_type);
}

static int kfacts_add_config(const struct aoms_kconfig_row *row, void *ud)
{
	struct kfacts_import *k = ud;

	return aoms_abidb_add_kernel_config(k->db, k->source_id, k->release, k->arch, row->key,
					    row->value);
}

static int kfacts_read_symvers(struct kfacts_import *k, struct aoms_kfacts_error *err)
{
	return aoms_symvers_foreach(k->in, kfacts_add_symbol, k, err);
}

static int kfacts_read_kabi(struct kfacts_import *k, struct aoms_kfacts_error *err)
{
	return aoms_kabi_foreach(k->in, kfacts_add_kabi, k, err);
}

static int kfacts_read_kconfig(struct kfacts_import *k, struct aoms_kfacts_error *err)
{
	return aoms_kconfig_foreach(k->in, kfacts_add_config, k, err);
}

/* A parse error's reason becomes the database's error; a writer's error has
 * already set its own. */
static int kfacts_run(void *ud)
{
	struct kfacts_import *k = ud;
	struct aoms_kfacts_error err = { 0 };
	int r;

	r = k->read(k, &err);
	if (r < 0) {
		if (err.reason)
			aoms_abidb_set_error(k->db, "%s", err.reason);
		if (k->ret_line)
			*k->ret_line = err.line;
	}
	aoms_kfacts_error_release(&err);
	return r;
}

static int kfacts_import(struct kfacts_import *k)
{
	const char *a = k->list ? k->list : k->release;

	if (!a || !*a || !k->arch || !*k->arch)
		return -EINVAL;
	return aoms_import_in_tx(k->db, kfacts_run, k);
}

int aoms_abidb_import_symvers(struct aoms_abidb *db, FILE *in, int64_t source_id,
			      const char *release, const char *arch, unsigned *ret_line)
{
	struct kfacts_import k = { db, in, ret_line, source_id, release, arch, NULL,
				   kfacts_read_symvers };

	return kfacts_import(&k);
}

int aoms_abidb_import_kabi(struct aoms_abidb *db, FILE *in, int64_t source_id,
			   const char *list, const char *arch, unsigned *ret_line)
{
	struct kfacts_import k = { db, in, ret_line, source_id, NULL, arch, list,
				   kfacts_read_kabi };

	return kfacts_import(&k);
}

int aoms_abidb_import_kconfig(struct aoms_abidb *db, FILE *in, int64_t source_id,
			      const char *release, const char *arch, unsigned *ret_line)
{
	struct kfacts_import k = { db, in, ret_line, source_id, release, arch, NULL,
				   kfacts_read_kconfig };

	return kfacts_import(&k);
}
