/* TEMPORARY (lead): weak placeholders while the rpm and kernel builders land. */
#include <errno.h>
#include "dbbuild-private.h"
__attribute__((weak)) int aoms_dbbuild_rpms(struct aoms_dbsink *sink, const char *dir, int64_t source, bool installed, const struct aoms_strmap *skip, unsigned jobs) { return -ENOSYS; }
__attribute__((weak)) int aoms_dbbuild_rpmdb(struct aoms_dbsink *sink, const char *root, int64_t source, struct aoms_strmap *owners, struct aoms_strmap *nevras, struct aoms_arena *arena, char **ret_reason) { return -ENOENT; }
__attribute__((weak)) int aoms_dbbuild_kernel(struct aoms_dbsink *sink, const char *root, int64_t source) { return 0; }
__attribute__((weak)) int aoms_abidb_set_library_installed(struct aoms_abidb *db, int64_t id, bool installed) { return 0; }
