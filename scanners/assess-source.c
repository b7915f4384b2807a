/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Which system this is and which way leads from it to Anolis OS 8. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "assess.h"
#include "input-file.h"
#include "rootfs.h"

/* Copies the value of KEY=value (quotes removed) into buf when line sets key. */
static bool osrel_value(const char *line, const char *key, char *buf, size_t n)
{
	size_t kl = strlen(key), len;
	const char *v;

	if (strncmp(line, key, kl) != 0 || line[kl] != '=')
		return false;
	v = line + kl + 1;
	len = strcspn(v, "\r\n");
	if (len >= 2 && (v[0] == '"' || v[0] == '\'') && v[len - 1] == v[0]) {
		v++;
		len -= 2;
	}
	if (len >= n)
		len = n - 1;
	memcpy(buf, v, len);
	buf[len] = '\0';
	return true;
}

/* "7.9.2009" -> 7, 9 */
static void parse_version(const char *s, unsigned *major, unsigned *minor)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (end == s || v > 100)
		return;
	*major = (unsigned)v;
	if (*end == '.') {
		s = end + 1;
		v = strtoul(s, &end, 10);
		if (end != s && v < 100)
			*minor = (unsigned)v;
	}
}

void aoms_assess_source_read(const char *root, struct aoms_assess_source *src)
{
	_cleanup_(fclosep) FILE *f = NULL;
	char line[512], version[64] = "", name[128] = "";
	static const char *const release_files[] = {
		"etc/system-release", "etc/redhat-release", "etc/centos-release",
	};

	memset(src, 0, sizeof(*src));
	if (aoms_root_fopen(root, "etc/os-release", 1 << 16, &f) < 0 &&
	    aoms_root_fopen(root, "usr/lib/os-release", 1 << 16, &f) < 0)
		f = NULL;
	while (f && fgets(line, sizeof(line), f)) {
		osrel_value(line, "ID", src->id, sizeof(src->id));
		osrel_value(line, "VERSION_ID", version, sizeof(version));
		osrel_value(line, "NAME", name, sizeof(name));
		osrel_value(line, "PRETTY_NAME", src->name, sizeof(src->name));
	}
	if (!*src->name)
		snprintf(src->name, sizeof(src->name), "%s", name);
	src->stream = strstr(name, "Stream") != NULL;
	parse_version(version, &src->major, &src->minor);
	/* os-release has no minor on CentOS ("7", "8"): "... release 7.9.2009 (Core)" has */
	for (size_t i = 0; i < ARRAY_SIZE(release_files) && src->minor == 0; i++) {
		_cleanup_(fclosep) FILE *rf = NULL;
		const char *at;

		if (aoms_root_fopen(root, release_files[i], 1 << 16, &rf) < 0 ||
		    !fgets(line, sizeof(line), rf))
			continue;
		if ((at = strstr(line, "release ")))
			parse_version(at + 8, &src->major, &src->minor);
		if (!*src->name)
			snprintf(src->name, sizeof(src->name), "%.*s", (int)strcspn(line, "\n"), line);
	}
}

struct source_row {
	const char *id;
	unsigned major;
	unsigned min_minor;    /* the oldest minor the path takes */
	const char *path;
};

/* The supported ways to Anolis OS 8 (issue 11; ../shared/data/userspace/CENTOS2ANOLIS.md):
 * 7 -> 8 the Leapp way from the last minor (ELevate's and Anolis' Leapp need 7.9), 8 -> 8
 * the centos2anolis way (release swap, then distro-sync) from any minor. */
static const struct source_row source_table[] = {
	{ "centos", 7, 9, "leapp" },
	{ "rhel", 7, 9, "leapp" },
	{ "ol", 7, 9, "leapp" },
	{ "anolis", 7, 9, "leapp" },
	{ "centos", 8, 0, "centos2anolis" },
	{ "rhel", 8, 0, "centos2anolis" },
	{ "almalinux", 8, 0, "centos2anolis" },
	{ "rocky", 8, 0, "centos2anolis" },
	{ "ol", 8, 0, "centos2anolis" },
	{ "anolis", 8, 0, "none" },
};

static int add(struct aoms_report *r, const char *rule, enum aoms_severity sev, bool inhibitor,
	       const char *subject, const char *title, const struct aoms_assess_source *src,
	       const char *remedy)
{
	_cleanup_(aoms_finding_freep) struct aoms_finding *f = NULL;
	int ret;

	if ((ret = aoms_finding_new(rule, sev, AOMS_DIM_PACKAGES, subject, &f)) < 0)
		return ret;
	f->inhibitor = inhibitor;
	if (aoms_finding_set_title(f, "%s", title) < 0 ||
	    aoms_finding_set_summary(f, "os-release ID %s, version %u.%u, arch %s: %s", src->id,
				     src->major, src->minor, *src->arch ? src->arch : "unknown",
				     remedy ? remedy : title) < 0 ||
	    aoms_finding_add_evidence(f, "os_id", src->id) < 0 ||
	    aoms_finding_add_evidencef(f, "version", "%u.%u", src->major, src->minor) < 0 ||
	    aoms_finding_add_evidence(f, "arch", src->arch) < 0 ||
	    (remedy && aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "%s", remedy) < 0))
		return -ENOMEM;
	return aoms_report_add(r, TAKE_PTR(f));
}

static bool arch_supported(const char *arch)
{
	return !*arch || strcmp(arch, "x86_64") == 0 || strcmp(arch, "aarch64") == 0;
}

int aoms_assess_source_judge(struct aoms_report *r, struct aoms_assess_source *src)
{
	const struct source_row *row = NULL;
	char title[256];

	src->path = "none";
	for (size_t i = 0; i < ARRAY_SIZE(source_table); i++)
		if (strcmp(source_table[i].id, src->id) == 0 && source_table[i].major == src->major)
			row = &source_table[i];
	if (!*src->id || !row) {
		bool el = *src->id && (src->major == 7 || src->major == 8 || src->major == 6);

		snprintf(title, sizeof(title), "%s is not a system aoms migrates to Anolis OS 8",
			 *src->name ? src->name : "the root");
		return add(r, el ? "assess.source-unsupported" : "assess.not-el", AOMS_SEV_HIGH,
			   true, "/etc/os-release", title, src,
			   "aoms migrates CentOS, RHEL, Oracle Linux and Anolis OS 7 (the Leapp way) "
			   "and CentOS, CentOS Stream, RHEL, AlmaLinux, Rocky and Oracle Linux 8 (the "
			   "centos2anolis way); reinstall other systems");
	}
	if (!arch_supported(src->arch)) {
		snprintf(title, sizeof(title), "%s on %s: Anolis OS 8 has no such architecture",
			 src->name, src->arch);
		return add(r, "assess.arch-unsupported", AOMS_SEV_HIGH, true, "/etc/os-release",
			   title, src, "Anolis OS 8 ships x86_64 and aarch64 only");
	}
	if (src->minor < row->min_minor) {
		snprintf(title, sizeof(title), "%s: the %s path starts from %u.%u", src->name,
			 row->path, row->major, row->min_minor);
		return add(r, "assess.minor-too-old", AOMS_SEV_HIGH, true, "/etc/os-release", title,
			   src, "update the system to the last minor release (yum update) and "
			   "reboot, then assess again");
	}
	src->path = row->path;
	snprintf(title, sizeof(title), "%s migrates to Anolis OS 8 the %s way", src->name,
		 strcmp(row->path, "none") == 0 ? "no" : row->path);
	return add(r, "assess.source", AOMS_SEV_INFO, false, "/etc/os-release", title, src,
		   strcmp(row->path, "leapp") == 0 ?
		   "in-place upgrade with Leapp: package evolution events, an upgrade environment" :
		   strcmp(row->path, "none") == 0 ? "already Anolis OS 8: nothing to migrate" :
		   "swap the release packages for Anolis' and distro-sync every package");
}
