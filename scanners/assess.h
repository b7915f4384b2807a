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

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/stat.h>
#include "abidb.h"
#include "installed.h"
#include "pes.h"
#include "report.h"
#include "rpm-common.h"

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
	/* `--vendor-key`: signing key ids (8 or 16 hex digits) the site counts as the
	 * source vendor's, beside the built-in ones (an internal rebuild's key) */
	const char *const *vendor_keys;
	size_t n_vendor_keys;
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

/* The files and directories the assessment scans with every scanner, root-joined
 * host paths of files resolved inside the root. */
struct aoms_assess_paths {
	char **v;
	size_t n, cap;
};
/* Adds root-relative rel (resolved inside root; absent: nothing added). Returns 0,
 * 1 when added, -ENOMEM. */
int aoms_assess_paths_add(struct aoms_assess_paths *p, const char *root, const char *rel);
void aoms_assess_paths_release(struct aoms_assess_paths *p);
/* Whether rel resolves inside root to a path that still ends in its own last
 * levels of tail ("modules/R/extra"): a directory replaced by a link to "/" or to
 * another tree is not what its name says, and is neither walked nor scanned. */
bool aoms_assess_same_place(const char *root, const char *rel, const char *tail);

/* The names in root-relative directory dir (resolved inside root), sorted, without
 * "." and ".."; at most max. Returns the count (0 when absent), -ENOMEM. The caller
 * frees *ret with aoms_assess_names_free(). */
int aoms_assess_list_dir(const char *root, const char *dir, size_t max, char ***ret);
void aoms_assess_names_free(char **names, int n);

/* Calls fn for each entry below root-relative dir (resolved inside root), never
 * following a symlink, directories entered up to max_depth levels, at most max
 * entries in all; rel is root-relative ("/lib/modules/R/extra/x.ko"), st its lstat.
 * fn returns 0 to go on or a negative errno, which stops the walk and is returned. */
int aoms_assess_walk(const char *root, const char *dir, unsigned max_depth, size_t max,
		     int (*fn)(const char *rel, const struct stat *st, void *ud), void *ud);

/* A finding of an assess.* rule with its title, summary and hint; subject and the
 * rest as given. Returns 0 and *ret, or -ENOMEM. */
int aoms_assess_finding(const char *rule, enum aoms_severity sev, bool inhibitor,
			enum aoms_dimension dim, const char *subject, const char *hint,
			struct aoms_finding **ret, const char *fmt, ...) _printf_(8, 9);
int aoms_assess_findingv(const char *rule, enum aoms_severity sev, bool inhibitor,
			 enum aoms_dimension dim, const char *subject, const char *hint,
			 struct aoms_finding **ret, const char *fmt, va_list ap) _printf_(8, 0);

/* Kernel: out-of-tree modules (extra/, updates/, weak-updates/, DKMS trees; their
 * paths appended to *scan), live loaded modules with an out-of-tree or unsigned
 * taint, and the drivers the host uses that the target kernel lacks. */
int aoms_assess_kernel(const struct aoms_assess_options *o, const struct aoms_assess_source *src,
		       struct aoms_assess_paths *scan);
/* Reads /proc/modules lines ("name size refs deps state addr[ (taint)]") from f and
 * calls fn with each module's name as the file spells it and its taint flags ("OE";
 * "" for none). Lines without a name are skipped. Returns 0 or fn's negative return. */
int aoms_assess_proc_modules(FILE *f, int (*fn)(const char *name, const char *taint, void *ud),
			     void *ud);
/* Services: the programs of enabled systemd units (ExecStart=, ExecStartPre=,
 * ExecStartPost=; drop-ins applied). _read collects them (-ENOMEM only) and offers
 * their paths in _wanted(): a map of root-relative path -> bool *, which the package
 * walk sets for every path a package owns. _judge then adds a finding for a
 * program that is missing, and appends those no package owns to *scan (scripts among
 * them checked for a gone interpreter). */
struct aoms_assess_units;
struct aoms_strmap;
int aoms_assess_units_read(const struct aoms_assess_options *o, struct aoms_assess_units **ret);
struct aoms_strmap *aoms_assess_units_wanted(struct aoms_assess_units *u);
int aoms_assess_units_judge(const struct aoms_assess_options *o, struct aoms_assess_units *u,
			    struct aoms_assess_paths *scan);
void aoms_assess_units_free(struct aoms_assess_units *u);

/* Reads etc/os-release and etc/system-release under root into *src (never fails:
 * unknown fields stay empty). */
void aoms_assess_source_read(const char *root, struct aoms_assess_source *src);
/* Adds the source findings (assess.*) and sets src->path. Returns 0 or -ENOMEM. */
int aoms_assess_source_judge(struct aoms_report *r, struct aoms_assess_source *src);
/* The installed packages: mapping, swap, third-party (their files appended to
 * *scan_paths, root-joined, n in *n_scan). Sets meta packages/packages_fingerprint.
 * owned (NULL: none) maps root-relative paths to bool *: set true for each path a
 * package lists. */
struct aoms_strmap;
int aoms_assess_packages(const struct aoms_assess_options *o, struct aoms_assess_source *src,
			 struct aoms_strmap *owned, char ***scan_paths, size_t *n_scan,
			 char **ret_reason);
/* Configuration and services: SELinux, repo files, fstab, network-scripts, ntpd,
 * free space. Returns 0 or -ENOMEM. */
int aoms_assess_config(const struct aoms_assess_options *o, const struct aoms_assess_source *src);
/* Scripts under dir (root-relative) whose #! interpreter EL8 lacks. */
int aoms_assess_scripts(const struct aoms_assess_options *o, const char *dir);
/* The same for one root-relative file (a unit's program): a finding when it is a
 * script whose interpreter EL8 lacks. Returns 0 or -ENOMEM. */
int aoms_assess_script(const struct aoms_assess_options *o, const char *rel);
/* Reads a site mapping in pes-events.json format into pes (marked site). Returns the
 * number of events, -EBADMSG with *ret_error (caller frees), -ENOMEM, -errno. */
int aoms_assess_mapping_read(struct aoms_pes *pes, const char *path, char **ret_error);

/* One installed package as the report records it (assess-installed.c), with its
 * file list until aoms_assess_installed_record() knows which files others require. */
struct aoms_assess_installed {
	struct aoms_installed pkg;
	const char **files;
	size_t n_files;
};
struct aoms_arena;
/* Copies p into *ret, every string in a. Returns 0 or -ENOMEM. */
int aoms_assess_installed_copy(struct aoms_arena *a, const struct aoms_rpm_pkg *p,
			       struct aoms_assess_installed *ret);
/* Adds v[0..n) to r's installed packages (report/installed.h), each package's files
 * that some package of v requires added to its Provides. Returns 0 or -ENOMEM. */
int aoms_assess_installed_record(struct aoms_report *r, struct aoms_assess_installed *v,
				 size_t n);
