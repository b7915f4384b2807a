/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What solve-repo.c (loading the repository) and solve.c (the solving) share. */
#pragma once

#include <solv/pool.h>
#include <solv/repo.h>
#include "solve.h"

struct aoms_solve_repo {
	Pool *pool;
	Repo *repo;       /* the target repository's packages */
};

/* Whether loc is a relative path without "..": the files a repository's metadata
 * names (repomd.xml's data, primary.xml's packages) must be inside its directory. */
bool solve_location_inside(const char *loc);
