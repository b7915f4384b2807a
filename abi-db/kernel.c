/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The kernel facts' writers. Symbols and configs point at a kernel row (release,
 * arch) instead of repeating both strings: a symvers holds ~30,000 symbols per
 * kernel and the embedded database carries two such lists.
 */
#include <errno.h>
#include <string.h>
#include "abidb-private.h"
#include "strbuf.h"

#define KERNEL_CRC_MAX 0xffffffffLL

static bool kernel_empty(const char *s)
{
	return !s || !*s;
}

static int kernel_find_locked(struct aoms_abidb *db, const char *release, const char *arch,
			      int64_t *ret_id)
{
	_cleanup_(abidb_stmt_resetp) sqlite3_stmt *st = NULL;
	int r = 0, rc;

	st = aoms_abidb_stmt(db, ABIDB_ST_FIND_KERNEL, &r);
	if (!st)
		return r;
	aoms_abidb_bind_text(st, 1, release, false);
	aoms_abidb_bind_text(st, 2, arch, false);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*ret_id = sqlite3_column_int64(st, 0);
		return 0;
	}
	*ret_id = 0;
	return rc == SQLITE_DONE ? 0 : aoms_abidb_fail(db, rc);
}

int aoms_abidb_kernel_id_locked(struct aoms_abidb *db, int64_t source_id, const char *release,
				const char *arch, int64_t *ret_id)
{
	_cleanup_(freep) char *key = aoms_strdupf("%s\n%s", release, arch);
	int64_t id;
	int r;

	if (!key)
		return -ENOMEM;
	if (db->last_kernel && strcmp(db->last_kernel, key) == 0) {
		*ret_id = db->last_kernel_id;
		return 0;
	}
	r = kernel_find_locked(db, release, arch, &id);
	if (r >= 0 && !id) {
		r = aoms_abidb_run(db, ABIDB_ST_ADD_KERNEL, "TTti", release, arch, NULL, source_id);
		if (r >= 0)
			r = kernel_find_locked(db, release, arch, &id);
	}
	if (r < 0)
		return r;
	free(db->last_kernel);
	db->last_kernel = TAKE_PTR(key);
	db->last_kernel_id = id;
	*ret_id = id;
	return 0;
}

int aoms_abidb_add_kernel(struct aoms_abidb *db, int64_t source_id, const char *release,
			  const char *arch, const char *vermagic)
{
	if (kernel_empty(release) || kernel_empty(arch))
		return -EINVAL;
	return ABIDB_RUN(db, ABIDB_ST_ADD_KERNEL, "TTti", release, arch, vermagic, source_id);
}

struct kernel_sym_args {
	int64_t source_id;
	const char *release, *arch, *name;
	int64_t crc;
	const char *module, *export_type, *ns;
};

static int kernel_add_symbol_locked(struct aoms_abidb *db, const struct kernel_sym_args *a)
{
	int64_t kid;
	int r = aoms_abidb_kernel_id_locked(db, a->source_id, a->release, a->arch, &kid);

	if (r < 0)
		return r;
	return aoms_abidb_run(db, ABIDB_ST_ADD_KSYM, "Tinttti", a->name, kid, a->crc, a->module,
			      a->export_type, a->ns, a->source_id);
}

int aoms_abidb_add_kernel_symbol(struct aoms_abidb *db, int64_t source_id, const char *release,
				 const char *arch, const char *name, int64_t crc,
				 const char *module, const char *export_type,
				 const char *ns)
{
	struct kernel_sym_args a = { source_id, release, arch, name, crc, module, export_type, ns };

	if (kernel_empty(release) || kernel_empty(arch) || kernel_empty(name) ||
	    crc > KERNEL_CRC_MAX)
		return -EINVAL;
	return ABIDB_LOCKED(db, kernel_add_symbol_locked(db, &a));
}

int aoms_abidb_add_kabi(struct aoms_abidb *db, int64_t source_id, const char *list,
			const char *arch, const char *name, int64_t crc, const char *module,
			const char *export_type)
{
	if (kernel_empty(list) || kernel_empty(arch) || kernel_empty(name) || crc > KERNEL_CRC_MAX)
		return -EINVAL;
	return ABIDB_RUN(db, ABIDB_ST_ADD_KABI, "TTTntti", name, arch, list, crc, module,
			 export_type, source_id);
}

int aoms_abidb_add_syscall(struct aoms_abidb *db, int64_t source_id, const char *kernel,
			   const char *arch, int nr, const char *name, const char *abi,
			   const char *entry)
{
	if (kernel_empty(kernel) || kernel_empty(arch) || kernel_empty(name) || nr < 0)
		return -EINVAL;
	return ABIDB_RUN(db, ABIDB_ST_ADD_SYSCALL, "TTiTtti", kernel, arch, (int64_t)nr, name,
			 abi, entry, source_id);
}

static int kernel_add_config_locked(struct aoms_abidb *db, int64_t source_id,
				    const char *release, const char *arch, const char *key,
				    const char *value)
{
	int64_t kid;
	int r = aoms_abidb_kernel_id_locked(db, source_id, release, arch, &kid);

	if (r < 0)
		return r;
	return aoms_abidb_run(db, ABIDB_ST_ADD_KCONFIG, "iTTi", kid, key, value, source_id);
}

int aoms_abidb_add_kernel_config(struct aoms_abidb *db, int64_t source_id, const char *release,
				 const char *arch, const char *key, const char *value)
{
	if (kernel_empty(release) || kernel_empty(arch) || kernel_empty(key) || !value)
		return -EINVAL;
	return ABIDB_LOCKED(db, kernel_add_config_locked(db, source_id, release, arch, key,
							 value));
}

int aoms_abidb_default_kernel(struct aoms_abidb *db, const char *arch, char **ret_release)
{
	_cleanup_(freep) char *key = NULL;

	if (!db || !arch || !*arch || strchr(arch, ' '))
		return -EINVAL;
	key = aoms_strdupf("default_kernel_%s", arch);
	if (!key)
		return -ENOMEM;
	return aoms_abidb_read_meta(db, key, ret_release);
}
