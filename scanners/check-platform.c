/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Builds for other platforms in the tree. Applications ship builds for several
 * platforms side by side (Node prebuilds, napi-rs packages, Python wheels merged
 * for several machines, musl next to glibc); the migrated hosts load the one for
 * their platform and never touch the others, so a build whose twin for this
 * platform is in the tree is information. A build with no such twin is what the
 * application has: it stays a blocker.
 */
#include <elf.h>
#include <errno.h>
#include "check-elf-private.h"
#include "platform.h"

static const char *libc_name(enum aoms_libc libc)
{
	return libc == AOMS_LIBC_MUSL ? "musl" : libc == AOMS_LIBC_BIONIC ? "bionic" :
	       libc == AOMS_LIBC_GLIBC ? "glibc" : "none";
}

/* ", musl" in a title; "" for glibc and none. */
static const char *libc_note(enum aoms_libc libc)
{
	return libc == AOMS_LIBC_MUSL ? ", musl" : libc == AOMS_LIBC_BIONIC ? ", Android" : "";
}

/* Whether the hosts being migrated run the file's architecture. */
static bool arch_migrated(const struct check *c)
{
	size_t n;
	const char *const *arches = aoms_platforms_arches(c->ctx->platforms, &n);

	return c->arch && aoms_platform_fit(c->arch, AOMS_LIBC_GLIBC, arches, n) == AOMS_PLATFORM_NATIVE;
}

static int report_other_platform(struct check *c, enum aoms_libc libc,
				 const struct aoms_file *twin)
{
	const char *arches = aoms_platforms_arches_text(c->ctx->platforms);
	const char *arch = c->arch ? c->arch : "an unknown machine";
	/* " with musl libc" in the summary, not with glibc */
	const char *other = libc == AOMS_LIBC_GLIBC ? NULL : aoms_platform_libc_text(libc);
	struct aoms_finding *f = aoms_elf_check_finding(c, "elf.other-platform", AOMS_SEV_INFO,
							false, AOMS_CONF_LIKELY);

	if (!f)
		return -ENOMEM;
	aoms_finding_set_title(f, "%s is not for this platform (%s%s)", c->file->subject, arch,
			       libc_note(libc));
	aoms_finding_set_summary(f, "%s is built for %s%s%s; the hosts being migrated run %s with "
				 "glibc and load the build for their platform beside it (%s). "
				 "This one is never loaded there and was not checked.",
				 c->file->subject, arch, other ? " with " : "", other ? other : "",
				 arches, twin->subject);
	aoms_finding_add_identity(f, "machine", c->arch ? c->arch : "unknown");
	aoms_finding_add_identity(f, "libc", libc_name(libc));
	aoms_finding_add_evidence(f, "twin", twin->subject);
	aoms_finding_add_evidence(f, "arches", arches);
	if (arch_migrated(c))   /* set aside for its libc: no --arch brings it in */
		aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Nothing to do for this migration: "
					"the hosts load the glibc build beside it.");
	else
		aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Nothing to do for this migration; scan "
					"with --arch %s if hosts of that architecture are migrated "
					"too.", c->arch ? c->arch : "ARCH");
	return aoms_elf_check_emit(c, f);
}

/* The target runs the architecture, but the hosts being migrated do not, and the
 * tree has no build of the file for theirs. */
static int report_not_migrated(struct check *c)
{
	const char *arches = aoms_platforms_arches_text(c->ctx->platforms);
	struct aoms_finding *f = aoms_elf_check_finding(c, "elf.machine-unsupported", AOMS_SEV_HIGH,
							true, AOMS_CONF_LIKELY);

	if (!f)
		return -ENOMEM;
	aoms_finding_set_title(f, "%s is built for %s", c->file->subject, c->arch);
	aoms_finding_set_summary(f, "%s is an ELF%d object for %s. %s runs %s, but the hosts being "
				 "migrated run %s (--arch), and the scanned tree holds no build of "
				 "it for them.", c->file->subject, c->m->elf_class == ELFCLASS64 ? 64 : 32,
				 c->arch, aoms_elf_check_target(c), c->arch, arches);
	aoms_finding_add_identity(f, "machine", c->arch);
	aoms_finding_add_identityf(f, "class", "ELF%d", c->m->elf_class == ELFCLASS64 ? 64 : 32);
	aoms_finding_add_evidence(f, "arches", arches);
	aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "Obtain a build for %s, or scan with --arch %s "
				"when %s hosts are migrated.", arches, c->arch, c->arch);
	aoms_finding_add_action(f, AOMS_ACTION_REBUILD, NULL);
	return aoms_elf_check_emit(c, f);
}

int aoms_check_platform(struct check *c)
{
	enum aoms_platform_fit fit = aoms_platforms_fit(c->ctx->platforms, c->m);
	enum aoms_libc libc;
	const struct aoms_file *twin;
	int r;

	if (fit == AOMS_PLATFORM_NATIVE)
		return 0;
	libc = aoms_platform_libc(c->m);
	twin = aoms_platforms_twin(c->ctx->platforms, c->file);
	if (twin)
		return (r = report_other_platform(c, libc, twin)) < 0 ? r : AOMS_CHECK_ELF_OTHER_PLATFORM;
	/* No twin: the file is the application's only build. A compat (i686) or musl
	 * build is judged as before; an unknown or unsupported machine by check_machine. */
	if (fit == AOMS_PLATFORM_COMPAT || libc == AOMS_LIBC_MUSL || libc == AOMS_LIBC_BIONIC ||
	    !c->arch)
		return 0;
	r = aoms_abidb_runs_arch(c->ctx->rs.db, c->arch);
	if (r == 0)
		return 0;
	if (r < 0 && r != -ENOENT)
		return r;
	return (r = report_not_migrated(c)) < 0 ? r : 1;
}
