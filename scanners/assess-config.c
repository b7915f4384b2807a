/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE 1
/* Configuration the migration must carry over, or that blocks it. */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include "assess.h"
#include "rootfs.h"
#include "strbuf.h"

static int add(const struct aoms_assess_options *o, const char *rule, enum aoms_severity sev,
	       bool inhibitor, const char *subject, const char *remedy, const char *fmt, ...)
	_printf_(7, 8);

static int add(const struct aoms_assess_options *o, const char *rule, enum aoms_severity sev,
	       bool inhibitor, const char *subject, const char *remedy, const char *fmt, ...)
{
	_cleanup_(aoms_finding_freep) struct aoms_finding *f = NULL;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = aoms_assess_findingv(rule, sev, inhibitor, AOMS_DIM_CONFIGURATION, subject, remedy, &f,
				 fmt, ap);
	va_end(ap);
	return r < 0 ? r : aoms_report_add(o->report, TAKE_PTR(f));
}

/* The value of "KEY=value" in a root file, or "" */
static void conf_value(const char *root, const char *path, const char *key, char *buf, size_t n)
{
	_cleanup_(fclosep) FILE *f = NULL;
	char line[512];
	size_t kl = strlen(key);

	*buf = '\0';
	if (aoms_root_fopen(root, path, 1 << 20, &f) < 0)
		return;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, kl) == 0 && line[kl] == '=')
			snprintf(buf, n, "%.*s", (int)strcspn(line + kl + 1, " \t\r\n"), line + kl + 1);
}

static bool root_exists(const char *root, const char *path)
{
	_cleanup_(freep) char *p = aoms_root_realpath(root, path);

	return p != NULL;
}

static int check_selinux(const struct aoms_assess_options *o)
{
	char mode[32];

	conf_value(o->root, "etc/selinux/config", "SELINUX", mode, sizeof(mode));
	if (strcmp(mode, "enforcing") != 0)
		return 0;
	return add(o, "assess.selinux-enforcing", AOMS_SEV_LOW, false, "/etc/selinux/config",
		   "Leapp sets SELinux permissive for the upgrade and relabels; the policy "
		   "modules of third parties need EL8 builds", "SELinux is enforcing");
}

/* Repository files of the distributions aoms knows; the others are third-party. */
static bool repo_known(const char *name)
{
	static const char *const prefixes[] = {
		"CentOS-", "centos", "redhat", "almalinux", "Rocky-", "rocky", "oracle-linux",
		"uek-", "AnolisOS-", "anolis", "epel",
	};

	for (size_t i = 0; i < ARRAY_SIZE(prefixes); i++)
		if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

static int check_repos(const struct aoms_assess_options *o)
{
	_cleanup_(freep) char *real = aoms_root_realpath(o->root, "etc/yum.repos.d");
	_cleanup_(freep) char *dir = real ? aoms_root_join(o->root, real) : NULL;
	struct dirent **ents = NULL;
	int n, r = 0;

	if (!dir || (n = scandir(dir, &ents, NULL, alphasort)) < 0)
		return 0;
	for (int i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;
		size_t len = strlen(name);
		char subject[512];

		if (r == 0 && len > 5 && strcmp(name + len - 5, ".repo") == 0 && !repo_known(name)) {
			snprintf(subject, sizeof(subject), "/etc/yum.repos.d/%s", name);
			r = add(o, "assess.repo-third-party", AOMS_SEV_MEDIUM, false, subject,
				"the upgrade does not use it: provide an EL8 repository of the same "
				"software or disable it", "%s is a third-party repository", name);
		}
		free(ents[i]);
	}
	free(ents);
	return r;
}

static int check_fstab(const struct aoms_assess_options *o)
{
	_cleanup_(fclosep) FILE *f = NULL;
	char line[1024], dev[512], mnt[512], type[64];

	if (aoms_root_fopen(o->root, "etc/fstab", 1 << 20, &f) < 0)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || sscanf(line, "%511s %511s %63s", dev, mnt, type) != 3)
			continue;
		if (strcmp(type, "btrfs") == 0)
			return add(o, "assess.fstab-btrfs", AOMS_SEV_HIGH, true, "/etc/fstab",
				   "move the data to XFS or ext4 before the upgrade",
				   "%s is btrfs, which EL8 cannot mount", mnt);
	}
	return 0;
}

static int check_services(const struct aoms_assess_options *o)
{
	int r = 0;

	if (root_exists(o->root, "etc/ntp.conf"))
		r = add(o, "assess.ntpd", AOMS_SEV_MEDIUM, false, "/etc/ntp.conf",
			"EL8 has no ntpd: convert the configuration to chrony (ntp2chrony)",
			"ntpd is configured; EL8 keeps time with chrony");
	if (r == 0 && root_exists(o->root, "etc/sysconfig/network-scripts/ifup-eth"))
		r = add(o, "assess.network-scripts", AOMS_SEV_LOW, false,
			"/etc/sysconfig/network-scripts",
			"NetworkManager takes over the ifcfg files; install network-scripts on EL8 "
			"only if scripts call ifup/ifdown",
			"the legacy network service's scripts are in use");
	return r;
}

/* Free space the upgrade needs: kernels and initramfs in /boot, the package cache in
 * /var, the new packages in /usr (Leapp's own checks ask for similar amounts). */
static int check_space(const struct aoms_assess_options *o)
{
	static const struct { const char *dir; unsigned long long mib; } need[] = {
		{ "boot", 100 }, { "var", 2048 }, { "usr", 1024 },
	};
	int r = 0;

	for (size_t i = 0; r == 0 && i < ARRAY_SIZE(need); i++) {
		_cleanup_(freep) char *real = aoms_root_realpath(o->root, need[i].dir);
		_cleanup_(freep) char *dir = real ? aoms_root_join(o->root, real) : NULL;
		struct statvfs st;
		unsigned long long mib;
		char subject[64];

		if (!dir || statvfs(dir, &st) < 0)
			continue;
		mib = (unsigned long long)st.f_bavail * st.f_frsize >> 20;
		if (mib >= need[i].mib)
			continue;
		snprintf(subject, sizeof(subject), "/%s", need[i].dir);
		r = add(o, "assess.disk-space", AOMS_SEV_HIGH, true, subject,
			"free space or grow the filesystem, then assess again",
			"/%s has %llu MiB free; the upgrade needs %llu MiB", need[i].dir, mib,
			need[i].mib);
	}
	return r;
}

/* A regular file (through links inside the root) at root-relative path. */
static bool root_file(const char *root, const char *path)
{
	int fd = aoms_root_open(root, path, 0);

	if (fd >= 0)
		close(fd);
	return fd >= 0;
}

/* The first unit link of name under etc/systemd/system/X.wants/: root-relative, or
 * NULL (caller frees). */
static char *enabled_link(const char *root, const char *name)
{
	char **dirs = NULL;
	int n = aoms_assess_list_dir(root, "etc/systemd/system", 4096, &dirs);
	char *found = NULL;

	for (int i = 0; !found && i < n; i++) {
		size_t len = strlen(dirs[i]);
		_cleanup_(freep) char *link = NULL;
		_cleanup_(freep) char *abs = NULL;
		struct stat st;

		if (len < 7 || strcmp(dirs[i] + len - 6, ".wants"))
			continue;
		link = aoms_strdupf("/etc/systemd/system/%s/%s", dirs[i], name);
		abs = link ? aoms_root_join(root, link) : NULL;
		if (abs && lstat(abs, &st) == 0)   /* the link itself: enabled, wherever it points */
			found = TAKE_PTR(link);
	}
	aoms_assess_names_free(dirs, n);
	return found;
}

/* EL8's iptables is iptables-nft: the iptables service's rules load into nftables. */
static int check_iptables(const struct aoms_assess_options *o)
{
	static const char *const saved[] = { "etc/sysconfig/iptables", "etc/sysconfig/ip6tables" };
	static const char *const units[] = { "iptables.service", "ip6tables.service" };
	_cleanup_(aoms_finding_freep) struct aoms_finding *f = NULL;
	_cleanup_(freep) char *link = NULL;
	const char *rules = NULL;
	int r;

	for (size_t i = 0; !rules && i < ARRAY_SIZE(saved); i++)
		rules = root_file(o->root, saved[i]) ? saved[i] : NULL;
	for (size_t i = 0; !link && i < ARRAY_SIZE(units); i++)
		link = enabled_link(o->root, units[i]);
	if (!rules && !link)
		return 0;
	_cleanup_(freep) char *subject = rules ? aoms_strdupf("/%s", rules) : strdup(link);
	if (!subject)
		return -ENOMEM;
	r = aoms_assess_finding("assess.iptables", AOMS_SEV_MEDIUM, false, AOMS_DIM_CONFIGURATION,
				subject, "translate the saved rules and check them on EL8 "
				"(iptables-restore-translate -f /etc/sysconfig/iptables), or move "
				"them to firewalld or nftables, before the cut-over", &f,
				"the iptables service's rules move to EL8's nftables backend "
				"(iptables-nft)");
	if (r < 0)
		return r;
	if ((link && aoms_finding_add_evidence(f, "enabled", link) < 0) ||
	    (rules && aoms_finding_add_evidencef(f, "saved_rules", "/%s", rules) < 0) ||
	    aoms_finding_add_action(f, AOMS_ACTION_INSTALL_PACKAGE, "package", "iptables-services",
				    NULL) < 0)
		return -ENOMEM;
	return aoms_report_add(o->report, TAKE_PTR(f));
}

struct boot {
	char grub_cfg[128];     /* root-relative, "" none */
	bool bios, uefi;
	int bls;                /* boot/loader/entries/X.conf */
	const char *legacy;     /* a legacy GRUB or extlinux configuration, or NULL */
};

static void boot_detect(const char *root, struct boot *b)
{
	static const char *const legacy[] = {
		"boot/grub/grub.conf", "boot/grub/menu.lst", "boot/extlinux/extlinux.conf",
		"boot/extlinux.conf", "boot/syslinux/syslinux.cfg",
	};
	char **names = NULL;
	int n;

	if ((b->bios = root_file(root, "boot/grub2/grub.cfg")))
		snprintf(b->grub_cfg, sizeof(b->grub_cfg), "/boot/grub2/grub.cfg");
	n = aoms_assess_list_dir(root, "boot/efi/EFI", 64, &names);
	for (int i = 0; i < n; i++) {
		_cleanup_(freep) char *cfg = aoms_strdupf("boot/efi/EFI/%s/grub.cfg", names[i]);

		if (cfg && !b->uefi && root_file(root, cfg)) {
			b->uefi = true;
			if (!b->bios)
				snprintf(b->grub_cfg, sizeof(b->grub_cfg), "/%s", cfg);
		}
	}
	aoms_assess_names_free(names, n);
	n = aoms_assess_list_dir(root, "boot/loader/entries", 4096, &names);
	for (int i = 0; i < n; i++)
		b->bls += strlen(names[i]) > 5 && !strcmp(names[i] + strlen(names[i]) - 5, ".conf");
	aoms_assess_names_free(names, n);
	for (size_t i = 0; !b->legacy && i < ARRAY_SIZE(legacy); i++)
		b->legacy = root_file(root, legacy[i]) ? legacy[i] : NULL;
}

static int check_boot(const struct aoms_assess_options *o, const struct aoms_assess_source *src)
{
	_cleanup_(aoms_finding_freep) struct aoms_finding *f = NULL;
	struct boot b = { 0 };
	bool block = !strcmp(src->path, "leapp");
	int r;

	boot_detect(o->root, &b);
	if (!*b.grub_cfg && b.legacy) {
		_cleanup_(freep) char *subject = aoms_strdupf("/%s", b.legacy);

		if (!subject)
			return -ENOMEM;
		r = aoms_assess_finding("assess.boot-loader-legacy", block ? AOMS_SEV_HIGH : AOMS_SEV_MEDIUM,
					block, AOMS_DIM_CONFIGURATION, subject,
					"install GRUB 2 (grub2-install, grub2-mkconfig -o "
					"/boot/grub2/grub.cfg) and boot with it, then assess again", &f,
					"the host boots with %s, not GRUB 2", b.legacy);
		return r < 0 ? r : aoms_report_add(o->report, TAKE_PTR(f));
	}
	if (!*b.grub_cfg)
		return 0;   /* no boot loader in the root: a container or a chroot */
	r = aoms_assess_finding("assess.boot-loader", AOMS_SEV_INFO, false, AOMS_DIM_CONFIGURATION,
				b.grub_cfg, b.bls ? "EL8's grubby manages the BLS entries; custom "
				"grub.cfg menu entries must be re-created" : "the upgrade converts the "
				"menu to BLS entries (boot/loader/entries); custom grub.cfg menu "
				"entries must be re-created", &f,
				"GRUB 2 on %s, %s", b.bios && b.uefi ? "BIOS and UEFI" : b.uefi ? "UEFI" :
				"BIOS", b.bls ? "with BLS entries" : "without BLS entries");
	if (r < 0)
		return r;
	if (aoms_finding_add_evidence(f, "firmware", b.bios && b.uefi ? "bios+uefi" :
				      b.uefi ? "uefi" : "bios") < 0 ||
	    aoms_finding_add_evidencef(f, "bls_entries", "%d", b.bls) < 0 ||
	    (b.legacy && aoms_finding_add_evidencef(f, "legacy_config", "/%s", b.legacy) < 0))
		return -ENOMEM;
	return aoms_report_add(o->report, TAKE_PTR(f));
}

int aoms_assess_config(const struct aoms_assess_options *o, const struct aoms_assess_source *src)
{
	int r;

	if ((r = check_selinux(o)) < 0 || (r = check_repos(o)) < 0 || (r = check_fstab(o)) < 0 ||
	    (r = check_services(o)) < 0 || (r = check_iptables(o)) < 0 || (r = check_boot(o, src)) < 0)
		return r;
	return strcmp(src->path, "none") == 0 ? 0 : check_space(o);
}
