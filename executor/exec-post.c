/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The steps after the package transaction: the source distribution's repository
 * files that no package owns any more are disabled; a %config file the user changed
 * keeps the user's content (rpm put it aside as .rpmsave, or kept it and wrote
 * .rpmnew: either way the user's bytes end up in place and the target's default in
 * .rpmnew); a boot loader entry for a new kernel when the root uses BLS and the
 * kernel's own scriptlets made none. Everything a step creates is recorded in the
 * journal before it is created, so that rollback removes it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <rpm/header.h>
#include <rpm/rpmdb.h>
#include <rpm/rpmts.h>
#include "exec-private.h"
#include "strbuf.h"

#define POST_TEXT_MAX (1u << 20)

void exec_post_release(struct exec_post *p)
{
	exec_strv_release(&p->changes_path);
	exec_strv_release(&p->changes_what);
	exec_strv_release(&p->notes);
	exec_strv_release(&p->created);
}

static int change(struct exec_post *p, const char *path, const char *what)
{
	int r = exec_strv_add(&p->changes_path, path);

	return r < 0 ? r : exec_strv_add(&p->changes_what, what);
}

static bool owned(struct exec_rpmdb *db, const char *path)
{
	rpmdbMatchIterator mi = rpmtsInitIterator(db->ts, RPMDBI_INSTFILENAMES, path, 0);
	bool yes = mi && rpmdbNextIterator(mi);

	rpmdbFreeIterator(mi);
	return yes;
}

/* Repository files that name a CentOS mirror and that no package owns now: CentOS is
 * end of life, and dnf on the target would fail on them. */
int exec_post_repo_files(const struct exec_root *root, struct exec_rpmdb *db,
			 struct exec_post *out, char **reason)
{
	_cleanup_(closep) int dfd = exec_root_dir(root, "/etc/yum.repos.d", false);
	struct dirent **names = NULL;
	int n, r = 0;

	if (dfd == -ENOENT)
		return 0;
	if (dfd < 0)
		return exec_fail(reason, dfd, "cannot open '/etc/yum.repos.d': %s", strerror(-dfd));
	n = scandirat(dfd, ".", &names, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		const char *e = names[i]->d_name;
		size_t len = strlen(e);
		_cleanup_(freep) char *path = aoms_strdupf("/etc/yum.repos.d/%s", e);
		_cleanup_(freep) char *text = NULL, *to = NULL;
		size_t tl;

		if (r < 0 || len < 6 || strcmp(e + len - 5, ".repo") != 0 || !path || owned(db, path) ||
		    exec_read_at(dfd, e, POST_TEXT_MAX, &text, &tl) < 0 || !strstr(text, "centos.org"))
			continue;
		if (!(to = aoms_strdupf("%s.aoms-disabled", e)))
			r = -ENOMEM;
		else if (renameat(dfd, e, dfd, to) < 0 || exec_fsync_dir(dfd) < 0)
			r = exec_fail(reason, -errno, "cannot disable '%s': %s", path, strerror(errno));
		else
			r = change(out, path, "disabled (renamed to .repo.aoms-disabled): a CentOS "
				   "repository no package owns");
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return r;
}

/* Puts the user's saved bytes of e back at e->path, the target's at .rpmnew. */
static int carry_one(const struct exec_root *root, int journal_fd, const struct exec_file *e,
		     struct exec_post *out)
{
	const char *base;
	_cleanup_(closep) int dfd = exec_root_parent(root, e->path, false, &base);
	_cleanup_(closep) int copy = -1, now = -1;
	_cleanup_(freep) char *copy_name = aoms_strdupf("files.d/%s", e->sha256);
	_cleanup_(freep) char *rpmnew = aoms_strdupf("%s.rpmnew", base);
	_cleanup_(freep) char *rpmsave = aoms_strdupf("%s.rpmsave", base);
	_cleanup_(freep) char *what = NULL;
	struct stat meta = { .st_mode = e->mode, .st_uid = e->uid, .st_gid = e->gid };
	char hex[65], save_hex[65];
	int r;

	if (!copy_name || !rpmnew || !rpmsave)
		return -ENOMEM;
	if (dfd < 0 || exec_sha256_at(dfd, base, hex) < 0) {
		/* no package of the target has it: rpm left the user's bytes in .rpmsave */
		what = aoms_strdupf("the user's version is kept as %s.rpmsave (no package of the "
				    "target owns %s)", e->path, e->path);
		return what ? exec_strv_add(&out->notes, what) : -ENOMEM;
	}
	if (strcmp(hex, e->sha256) == 0)
		return change(out, e->path, faccessat(dfd, rpmnew, F_OK, AT_SYMLINK_NOFOLLOW) == 0 ?
			      "user-modified %config kept by rpm (the target's default is in .rpmnew)" :
			      "user-modified %config kept");
	/* rpm replaced it: the target's version goes to .rpmnew, the user's comes back */
	if ((now = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0 ||
	    (r = exec_copy_at(dfd, rpmnew, now, NULL)) < 0)
		return now < 0 ? -errno : r;
	meta.st_mtim.tv_sec = e->mtime;
	meta.st_mtim.tv_nsec = e->mtime_ns;
	meta.st_atim = meta.st_mtim;
	if ((copy = openat(journal_fd, copy_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return -errno;
	if ((r = exec_copy_at(dfd, base, copy, &meta)) < 0 || (r = exec_file_relabel(dfd, base, e)) < 0)
		return r;
	if (exec_sha256_at(dfd, rpmsave, save_hex) == 0 && strcmp(save_hex, e->sha256) == 0 &&
	    (unlinkat(dfd, rpmsave, 0) < 0 || exec_fsync_dir(dfd) < 0))
		return -errno;
	return change(out, e->path, "user-modified %config carried over (the target's default "
		      "is in .rpmnew)");
}

int exec_post_config(const struct exec_root *root, int journal_fd, const struct exec_files *f,
		     struct exec_post *out, char **reason)
{
	for (size_t i = 0; i < f->n; i++) {
		int r;

		if (!f->v[i].config_user || f->v[i].kind != EXEC_REG)
			continue;
		if ((r = carry_one(root, journal_fd, &f->v[i], out)) < 0)
			return exec_fail(reason, r, "cannot carry over '%s': %s", f->v[i].path,
					 strerror(-r));
	}
	return 0;
}

/* The `options` line of a BLS entry in dir, for the new kernel's entry. */
static char *bls_options(int dfd)
{
	struct dirent **names = NULL;
	char *opts = NULL;
	int n = scandirat(dfd, ".", &names, NULL, alphasort);

	for (int i = n - 1; i >= 0; i--) {
		_cleanup_(freep) char *text = NULL;
		size_t len;
		char *o;

		if (!opts && exec_read_at(dfd, names[i]->d_name, POST_TEXT_MAX, &text, &len) == 0 &&
		    (o = strstr(text, "\noptions ")))
			opts = strndup(o + 9, strcspn(o + 9, "\n"));
		free(names[i]);
	}
	free(names);
	return opts;
}

static bool bls_has(int dfd, const char *kver)
{
	struct dirent **names = NULL;
	bool yes = false;
	int n = scandirat(dfd, ".", &names, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		yes = yes || strstr(names[i]->d_name, kver);
		free(names[i]);
	}
	free(names);
	return yes;
}

static int bls_entry(const struct exec_root *root, const char *kver, struct exec_journal *j,
		     struct exec_post *out)
{
	_cleanup_(closep) int dfd = exec_root_dir(root, "/boot/loader/entries", false);
	_cleanup_(closep) int etc = exec_root_dir(root, "/etc", false);
	_cleanup_(freep) char *mid = NULL, *opts = NULL, *name = NULL, *path = NULL, *text = NULL;
	_cleanup_(freep) char *initrd = aoms_strdupf("initramfs-%s.img", kver);
	_cleanup_(closep) int boot = exec_root_dir(root, "/boot", false);
	size_t len;
	int r;

	if (dfd < 0)
		return exec_strv_addf(&out->notes, "the root has no BLS entries (boot/loader/entries): "
				      "make the boot loader entry for kernel %s in the root "
				      "(grub2-mkconfig -o /boot/grub2/grub.cfg, or grubby)", kver);
	if (boot >= 0 && initrd && faccessat(boot, initrd, F_OK, AT_SYMLINK_NOFOLLOW) < 0 &&
	    (r = exec_strv_addf(&out->notes, "no /boot/%s: build it in the root (dracut -f "
				"--kver %s); aoms leaves the initramfs to dracut", initrd, kver)) < 0)
		return r;
	if (bls_has(dfd, kver))
		return change(out, "/boot/loader/entries", "the new kernel's BLS entry exists");
	if (etc >= 0 && exec_read_at(etc, "machine-id", 4096, &mid, &len) == 0)
		mid[strcspn(mid, "\n")] = '\0';
	opts = bls_options(dfd);
	name = aoms_strdupf("%s%s%s.conf", mid && *mid ? mid : "", mid && *mid ? "-" : "", kver);
	path = name ? aoms_strdupf("/boot/loader/entries/%s", name) : NULL;
	text = aoms_strdupf("title Anolis OS (%s) 8\nversion %s\nlinux /vmlinuz-%s\ninitrd "
			    "/initramfs-%s.img $tuned_initrd\noptions %s\ngrub_users $grub_users\n"
			    "grub_arg --unrestricted\ngrub_class kernel\n", kver, kver, kver, kver,
			    opts ? opts : "$kernelopts");
	if (!path || !text)
		return -ENOMEM;
	/* recorded before it exists: a rollback after a crash here removes it */
	if ((r = exec_journal_created(j, path)) < 0 || (r = exec_write_at(dfd, name, text, strlen(text), NULL)) < 0)
		return r;
	r = exec_strv_add(&out->created, path);
	return r < 0 ? r : change(out, path, "BLS entry for the new kernel written");
}

int exec_post_bootloader(const struct exec_root *root, const struct exec_strv *kernels,
			 struct exec_journal *j, struct exec_post *out, char **reason)
{
	for (size_t i = 0; i < kernels->n; i++) {
		int r = bls_entry(root, kernels->v[i], j, out);

		if (r < 0)
			return exec_fail(reason, r, "cannot write the boot entry of kernel %s: %s",
					 kernels->v[i], strerror(-r));
	}
	return 0;
}
