/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Growing a vector by doubling: room for one more element. */
#pragma once

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

/* Makes room for element n of the vector *v (elements of size bytes, capacity *cap):
 * 0, or -ENOMEM with *v untouched. */
static inline int aoms_grow(void **v, size_t *cap, size_t n, size_t size)
{
	size_t nc;
	void *nv;

	if (n < *cap)
		return 0;
	nc = *cap ? *cap * 2 : 16;
	if (nc < n + 1 || nc > SIZE_MAX / size)
		return -ENOMEM;
	if (!(nv = realloc(*v, nc * size)))
		return -ENOMEM;
	*v = nv;
	*cap = nc;
	return 0;
}
