/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Import rows of the eBPF fact tables: bpf-prog-types, bpf-map-types, bpf-helpers. */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include "import.h"

/* A 0/1 column. */
static int import_bpf_flag(struct import_ctx *ctx, const char *what, const char *s, bool *ret)
{
	if (strcmp(s, "0") != 0 && strcmp(s, "1") != 0)
		return aoms_import_err(ctx, "%s '%s' is not 0 or 1", what, s);
	*ret = s[0] == '1';
	return 0;
}

/* kernel id name upstream [gpl_only] available */
static int import_bpf_row(struct import_ctx *ctx, enum aoms_abidb_bpf_kind kind, char **v,
			  const char *gpl, const char *available)
{
	bool gpl_only = false, avail = false;
	int64_t id;
	int r;

	if (!*v[0] || !*v[2])
		return aoms_import_err(ctx, "empty kernel or name");
	r = aoms_import_int(ctx, "id", v[1], 0, INT_MAX, &id);
	if (r >= 0 && gpl)
		r = import_bpf_flag(ctx, "gpl_only", gpl, &gpl_only);
	if (r >= 0)
		r = import_bpf_flag(ctx, "available", available, &avail);
	if (r < 0)
		return r;
	return aoms_abidb_add_bpf(ctx->db, ctx->source_id, kind, v[0], (int)id, v[2],
				  aoms_import_opt(v[3]), gpl_only, avail);
}

int aoms_import_row_bpf_prog_types(struct import_ctx *ctx, char **v)
{
	return import_bpf_row(ctx, AOMS_ABIDB_BPF_PROG_TYPE, v, NULL, v[4]);
}

int aoms_import_row_bpf_map_types(struct import_ctx *ctx, char **v)
{
	return import_bpf_row(ctx, AOMS_ABIDB_BPF_MAP_TYPE, v, NULL, v[4]);
}

int aoms_import_row_bpf_helpers(struct import_ctx *ctx, char **v)
{
	return import_bpf_row(ctx, AOMS_ABIDB_BPF_HELPER, v, v[4], v[5]);
}
