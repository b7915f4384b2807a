/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `aoms assess`: a whole system (a live "/" or a mounted or extracted root), read-only.
 * Source detection and the migration path, the installed packages mapped to the
 * target (PES events for 7 -> 8, the release swap for 8 -> 8), third-party packages
 * and unowned files under /opt, /usr/local and /srv scanned with every scanner,
 * scripts whose interpreter EL8 lacks, and the configuration the migration must
 * carry. Findings go to the report, grouped by the five dimensions; the report's run
 * facts (meta) carry the host's identity, its source, its path, the fingerprint of
 * its installed packages and the decision (docs/report-schema.md "Assessments").
 */
#pragma once

#include "abidb.h"
#include "pes.h"
#include "report.h"

/* What assessing found out about the source system. */
struct aoms_assess_source {
	char id[32];            /* os-release ID: "centos", "rhel", "anolis", ...; "" none */
	char name[128];         /* PRETTY_NAME or NAME */
	unsigned major, minor;  /* minor from *-release ("release 7.9.2009"); 0 unknown */
	bool stream;            /* CentOS Stream */
	char arch[32];          /* the installed packages' arch; "" unknown */
	const char *path;       /* "leapp" (7 -> 8), "centos2anolis" (8 -> 8), "none" */
};

struct aoms_assess_options {
	const char *root;             /* "/" for the live system */
	struct aoms_abidb *db;        /* the target, for the scans */
	struct aoms_pes *pes;         /* package evolution: shipped + --mapping */
	struct aoms_report *report;
	const char *kernel;           /* --kernel, or NULL */
	const char *host;             /* host name for the plan; NULL: the root's
				       * etc/hostname, else "localhost" */
	const char *role;             /* the host's role for the plan's waves ("web",
				       * "db", ...); NULL: none */
	unsigned jobs;
};

/*
 * Assesses opts->root. Returns 0 when the assessment ran (findings, errors and the
 * decision are in the report: meta "decision" is "proceed" or "block"), or a negative
 * errno when it could not go on: -ENOENT root missing, -EBADMSG the rpmdb is corrupt
 * (*ret_reason says why; caller frees), -ENOMEM, -EIO.
 */
int aoms_assess(const struct aoms_assess_options *opts, char **ret_reason);

/* ---- parts (assess-*.c) ---- */

/* Reads etc/os-release and etc/system-release under root into *src (never fails:
 * unknown fields stay empty). */
void aoms_assess_source_read(const char *root, struct aoms_assess_source *src);
/* Adds the source findings (assess.*) and sets src->path. Returns 0 or -ENOMEM. */
int aoms_assess_source_judge(struct aoms_report *r, struct aoms_assess_source *src);
/* The installed packages: mapping, swap, third-party (their files appended to
 * *scan_paths, root-joined, n in *n_scan). Sets meta packages/packages_fingerprint. */
int aoms_assess_packages(const struct aoms_assess_options *o, struct aoms_assess_source *src,
			 char ***scan_paths, size_t *n_scan, char **ret_reason);
/* Configuration and services: SELinux, repo files, fstab, network-scripts, ntpd,
 * free space. Returns 0 or -ENOMEM. */
int aoms_assess_config(const struct aoms_assess_options *o, const struct aoms_assess_source *src);
/* Scripts under dir (root-relative) whose #! interpreter EL8 lacks. */
int aoms_assess_scripts(const struct aoms_assess_options *o, const char *dir);
/* Reads a site mapping in pes-events.json format into pes (marked site). Returns the
 * number of events, -EBADMSG with *ret_error (caller frees), -ENOMEM, -errno. */
int aoms_assess_mapping_read(struct aoms_pes *pes, const char *path, char **ret_error);
