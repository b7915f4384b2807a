/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The checker's state: target kernels loaded once, the scanned set's exports. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "grow.h"
#include "kmod-check-private.h"

int aoms_kmod_checker_new(struct aoms_abidb *db, const char *release,
			  struct aoms_kmod_checker **ret)
{
	struct aoms_kmod_checker *c = calloc(1, sizeof(*c));

	if (!c || (release && !(c->release = strdup(release)))) {
		free(c);
		return -ENOMEM;
	}
	c->db = db;
	pthread_mutex_init(&c->lock, NULL);
	*ret = c;
	return 0;
}

void aoms_kmod_checker_free(struct aoms_kmod_checker *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_kernels; i++) {
		aoms_kmod_kernel_free(c->kernels[i].kernel);
		free(c->kernels[i].arch);
	}
	free(c->kernels);
	free(c->scanned);
	aoms_strmap_release(&c->exports);
	pthread_mutex_destroy(&c->lock);
	free(c->release);
	free(c);
}

int aoms_kmod_checker_add(struct aoms_kmod_checker *c, const struct aoms_kmod *m,
			  const char *subject)
{
	int r;

	pthread_mutex_lock(&c->lock);
	r = aoms_grow((void **)&c->scanned, &c->cap_scanned, c->n_scanned, sizeof(*c->scanned));
	if (r == 0)
		c->scanned[c->n_scanned++] = (struct kmod_scanned){ m, subject };
	c->indexed = false;
	pthread_mutex_unlock(&c->lock);
	return r;
}

static int cmp_scanned(const void *a, const void *b)
{
	return strcmp(((const struct kmod_scanned *)a)->subject,
		      ((const struct kmod_scanned *)b)->subject);
}

/* Path order: the first module exporting a name wins, whatever the timing. */
static int checker_index(struct aoms_kmod_checker *c)
{
	aoms_strmap_release(&c->exports);
	c->exports = (struct aoms_strmap)AOMS_STRMAP_INIT;
	if (c->n_scanned)
		qsort(c->scanned, c->n_scanned, sizeof(*c->scanned), cmp_scanned);
	for (size_t i = 0; i < c->n_scanned; i++)
		for (size_t k = 0; k < c->scanned[i].m->n_exports; k++) {
			const char *name = c->scanned[i].m->exports[k].name;

			if (!aoms_strmap_get(&c->exports, name) &&
			    aoms_strmap_put(&c->exports, name, &c->scanned[i]) < 0)
				return -ENOMEM;
		}
	c->indexed = true;
	return 0;
}

int kmod_checker_scanned_export(struct aoms_kmod_checker *c, const char *name,
				const struct kmod_scanned **ret)
{
	int r = 0;

	pthread_mutex_lock(&c->lock);
	if (!c->indexed)
		r = checker_index(c);
	pthread_mutex_unlock(&c->lock);
	/* written only under the lock, and only before the check phase reads it */
	*ret = r == 0 ? aoms_strmap_get(&c->exports, name) : NULL;
	return r;
}

struct newest {
	const char *arch;
	char *release;
};

static int checker_on_kernel(const char *release, const char *arch, const char *vermagic, void *ud)
{
	struct newest *n = ud;

	(void)vermagic;
	if (strcmp(arch, n->arch) != 0)
		return 0;
	n->release = strdup(release);
	return n->release ? 1 : -ENOMEM;
}

/* --kernel; else the database's default kernel for arch; else its newest one. */
static int checker_pick_release(struct aoms_kmod_checker *c, const char *arch, char **ret)
{
	struct newest n = { arch, NULL };
	int r;

	if (c->release)
		return (*ret = strdup(c->release)) ? 0 : -ENOMEM;
	r = aoms_abidb_default_kernel(c->db, arch, ret);
	if (r != -ENOENT)
		return r;
	r = aoms_abidb_foreach_kernel(c->db, checker_on_kernel, &n);
	if (r < 0)
		return r;
	*ret = n.release;
	return n.release ? 0 : -ENOENT;
}

int kmod_checker_kernel(struct aoms_kmod_checker *c, const char *arch,
			const struct aoms_kmod_kernel **ret, char **ret_release)
{
	_cleanup_(freep) char *release = NULL;
	struct aoms_kmod_kernel *k = NULL;
	int r = 0;

	pthread_mutex_lock(&c->lock);
	for (size_t i = 0; i < c->n_kernels; i++)
		if (strcmp(c->kernels[i].arch, arch) == 0) {
			*ret = c->kernels[i].kernel;
			pthread_mutex_unlock(&c->lock);
			return *ret ? 0 : -ENOENT;
		}
	r = checker_pick_release(c, arch, &release);
	if (r >= 0)
		r = aoms_kmod_kernel_load(c->db, release, arch, &k);
	if (r >= 0 || r == -ENOENT) {
		void *p = reallocarray(c->kernels, c->n_kernels + 1, sizeof(*c->kernels));
		char *a = strdup(arch);

		if (p)
			c->kernels = p;
		if (!p || !a) {
			free(a);
			aoms_kmod_kernel_free(k);
			pthread_mutex_unlock(&c->lock);
			return -ENOMEM;
		}
		c->kernels[c->n_kernels++] = (struct kmod_kernel_slot){ a, k };   /* NULL: none */
	}
	pthread_mutex_unlock(&c->lock);
	*ret = k;
	if (ret_release)
		*ret_release = TAKE_PTR(release);
	return r < 0 ? r : 0;
}
