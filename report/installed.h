/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The installed packages an assessment records (the report's top-level "installed",
 * schema 1.5, docs/report-schema.md "Installed packages"): what a planner needs to
 * solve the host's package transaction without the host — identity, Provides and
 * Requires in RPM's spelling. Only `aoms assess` adds them; scans have none.
 */
#pragma once

#include <stddef.h>
#include "report.h"

struct aoms_installed {
	const char *name;
	const char *epoch;       /* NULL: none (epoch 0) */
	const char *version;
	const char *release;
	const char *arch;
	/* "module:stream" of the module build the package came from (its rpm header's
	 * ModularityLabel; schema 1.6); NULL: not modular */
	const char *module_stream;
	/* "NAME", "NAME OP EVR" (OP one of = < > <= >=) or a rich dependency "(...)" */
	const char *const *provides;
	size_t n_provides;
	const char *const *requires;
	size_t n_requires;
};

/*
 * Copies pkg into the report (kept in the order added: the assessment adds them in
 * rpmdb order, by NEVRA). Not thread-safe with itself. Returns 0, -EINVAL when a
 * name, version, release or arch is missing or empty, -ENOMEM.
 */
int aoms_report_add_installed(struct aoms_report *r, const struct aoms_installed *pkg);
size_t aoms_report_n_installed(const struct aoms_report *r);
/* Owned by the report. */
const struct aoms_installed *aoms_report_installed(const struct aoms_report *r, size_t i);
/* Frees the installed packages, leaving none (the planner drops what it will not
 * solve: a report of thousands of packages per host adds up); aoms_report_free() too. */
void aoms_report_installed_release(struct aoms_report *r);
