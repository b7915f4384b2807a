/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A read-only SQLite VFS over a memory image, for SQLite builds without
 * sqlite3_deserialize() (EL8 ships 3.26, where it is a compile-time option).
 * A memfd opened as /proc/self/fd/N does not work: the unix VFS resolves that
 * symlink to "/memfd:... (deleted)" and newer versions open with O_NOFOLLOW.
 * The utility methods (time, randomness, sleep) are the default VFS's.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include "abidb-private.h"

#define MEMVFS_NAME "aoms-mem"

struct memvfs_file {
	sqlite3_file base;
	const unsigned char *data;
	sqlite3_int64 size;
};

static int memvfs_close(sqlite3_file *f)
{
	return SQLITE_OK;
}

static int memvfs_read(sqlite3_file *f, void *buf, int amt, sqlite3_int64 off)
{
	struct memvfs_file *m = (struct memvfs_file *)f;
	sqlite3_int64 avail = off < m->size ? m->size - off : 0;

	if (off < 0 || amt < 0)
		return SQLITE_IOERR_READ;
	if (avail >= amt) {
		memcpy(buf, m->data + off, (size_t)amt);
		return SQLITE_OK;
	}
	if (avail > 0)
		memcpy(buf, m->data + off, (size_t)avail);
	memset((char *)buf + avail, 0, (size_t)(amt - avail)); /* SQLite wants zero fill */
	return SQLITE_IOERR_SHORT_READ;
}

static int memvfs_write(sqlite3_file *f, const void *buf, int amt, sqlite3_int64 off)
{
	return SQLITE_READONLY;
}

static int memvfs_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return SQLITE_READONLY;
}

static int memvfs_sync(sqlite3_file *f, int flags)
{
	return SQLITE_OK;
}

static int memvfs_file_size(sqlite3_file *f, sqlite3_int64 *ret)
{
	*ret = ((struct memvfs_file *)f)->size;
	return SQLITE_OK;
}

static int memvfs_lock(sqlite3_file *f, int level)
{
	return SQLITE_OK;
}

static int memvfs_check_reserved(sqlite3_file *f, int *ret)
{
	*ret = 0;
	return SQLITE_OK;
}

static int memvfs_file_control(sqlite3_file *f, int op, void *arg)
{
	return SQLITE_NOTFOUND;
}

static int memvfs_sector_size(sqlite3_file *f)
{
	return 512;
}

static int memvfs_device(sqlite3_file *f)
{
	return SQLITE_IOCAP_IMMUTABLE;
}

static const sqlite3_io_methods memvfs_io = {
	.iVersion = 1,
	.xClose = memvfs_close,
	.xRead = memvfs_read,
	.xWrite = memvfs_write,
	.xTruncate = memvfs_truncate,
	.xSync = memvfs_sync,
	.xFileSize = memvfs_file_size,
	.xLock = memvfs_lock,
	.xUnlock = memvfs_lock,
	.xCheckReservedLock = memvfs_check_reserved,
	.xFileControl = memvfs_file_control,
	.xSectorSize = memvfs_sector_size,
	.xDeviceCharacteristics = memvfs_device,
};

/* The image's address and size travel in the URI: "file:img?ptr=N&sz=N". */
static int memvfs_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags,
		       int *ret_flags)
{
	struct memvfs_file *m = (struct memvfs_file *)f;

	m->base.pMethods = NULL;
	if (!name || !(flags & SQLITE_OPEN_MAIN_DB))
		return SQLITE_CANTOPEN;
	m->data = (const unsigned char *)(uintptr_t)sqlite3_uri_int64(name, "ptr", 0);
	m->size = sqlite3_uri_int64(name, "sz", -1);
	if (!m->data || m->size < 0)
		return SQLITE_CANTOPEN;
	m->base.pMethods = &memvfs_io;
	if (ret_flags)
		*ret_flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_MAIN_DB;
	return SQLITE_OK;
}

static int memvfs_delete(sqlite3_vfs *vfs, const char *name, int sync_dir)
{
	return SQLITE_IOERR_DELETE;
}

/* No journal or WAL file ever exists beside an image. */
static int memvfs_access(sqlite3_vfs *vfs, const char *name, int flags, int *ret)
{
	*ret = 0;
	return SQLITE_OK;
}

static int memvfs_full_pathname(sqlite3_vfs *vfs, const char *name, int n_out, char *out)
{
	size_t len = strlen(name);

	if (len + 1 > (size_t)n_out)
		return SQLITE_CANTOPEN;
	memcpy(out, name, len + 1);
	return SQLITE_OK;
}

#define MEMVFS_BASE(vfs) ((sqlite3_vfs *)(vfs)->pAppData)

static int memvfs_randomness(sqlite3_vfs *vfs, int n, char *out)
{
	return MEMVFS_BASE(vfs)->xRandomness(MEMVFS_BASE(vfs), n, out);
}

static int memvfs_sleep(sqlite3_vfs *vfs, int us)
{
	return MEMVFS_BASE(vfs)->xSleep(MEMVFS_BASE(vfs), us);
}

static int memvfs_current_time(sqlite3_vfs *vfs, double *ret)
{
	return MEMVFS_BASE(vfs)->xCurrentTime(MEMVFS_BASE(vfs), ret);
}

static int memvfs_last_error(sqlite3_vfs *vfs, int n, char *out)
{
	return MEMVFS_BASE(vfs)->xGetLastError(MEMVFS_BASE(vfs), n, out);
}

static sqlite3_vfs memvfs = {
	.iVersion = 1,
	.szOsFile = sizeof(struct memvfs_file),
	.mxPathname = 512,
	.zName = MEMVFS_NAME,
	.xOpen = memvfs_open,
	.xDelete = memvfs_delete,
	.xAccess = memvfs_access,
	.xFullPathname = memvfs_full_pathname,
	.xRandomness = memvfs_randomness,
	.xSleep = memvfs_sleep,
	.xCurrentTime = memvfs_current_time,
	.xGetLastError = memvfs_last_error,
};
static int memvfs_registered;

static void memvfs_register(void)
{
	memvfs.pAppData = sqlite3_vfs_find(NULL);
	if (memvfs.pAppData)
		memvfs_registered = sqlite3_vfs_register(&memvfs, 0) == SQLITE_OK;
}

int aoms_abidb_memvfs_open(const void *data, size_t size, sqlite3 **ret)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	char uri[96];

	pthread_once(&once, memvfs_register);
	if (!memvfs_registered)
		return SQLITE_ERROR;
	snprintf(uri, sizeof(uri), "file:aoms-image?ptr=%ju&sz=%zu", (uintmax_t)(uintptr_t)data,
		 size);
	return sqlite3_open_v2(uri, ret,
			       SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
			       MEMVFS_NAME);
}
