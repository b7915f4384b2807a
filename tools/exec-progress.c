/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The progress line of `aoms apply` and `aoms rollback` on a TTY: the executor's
 * packages counted on the line scan and db build draw. */
#include "aoms.h"

void aoms_tool_exec_progress(const char *phase, const char *item, unsigned done, unsigned total,
			     void *ud)
{
	struct aoms_progress_info p = { .phase = phase, .unit = "packages", .done = done,
					.total = total, .end = done == total };

	aoms_tool_progress_show(&p, ud);
}
