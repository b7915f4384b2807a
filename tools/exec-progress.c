/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The progress line of `aoms apply` and `aoms rollback` on a TTY (stderr). */
#include <stdio.h>
#include "aoms.h"

void aoms_tool_exec_progress(const char *phase, const char *item, unsigned done, unsigned total,
			     void *ud)
{
	struct aoms_tool_progress *p = ud;

	fprintf(stderr, "\r\033[Kaoms %s: %s %u/%u %s", p->cmd, phase, done, total, item ? item : "");
	fflush(stderr);
	p->shown = true;
}

void aoms_tool_progress_end(struct aoms_tool_progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
	p->shown = false;
}
