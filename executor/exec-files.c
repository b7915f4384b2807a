/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The files an apply may change besides the packages' own: the release files
 * (etc/os-release, etc/NAME-release), the repository files (etc/yum.repos.d), every
 * %config file of the packages the transaction erases or installs together with its
 * .rpmnew/.rpmsave/.rpmorig siblings (rpm writes those), and the directories the new
 * packages would create. Their state before the apply (absent, a symlink, or a regular
 * file with its sha256, mode, owner and mtime) is what rollback restores and verifies.
 * A %config file whose bytes differ from its header's digest is the user's
 * (config_user): its content is carried over the upgrade (exec-post.c).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <rpm/header.h>
#include <rpm/rpmfi.h>
#include <rpm/rpmtag.h>
#include "exec-private.h"
#include "rpm-digest.h"
#include "strbuf.h"

static const char *const config_suffixes[] = { "", ".rpmnew", ".rpmsave", ".rpmorig" };

static struct exec_file *files_find(struct exec_files *f, const char *path)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].path, path) == 0)
			return &f->v[i];
	return NULL;
}

static int files_add(struct exec_files *f, const char *path, char kind, struct exec_file **ret)
{
	struct exec_file *e = files_find(f, path);

	if (!e) {
		if (f->n == f->cap) {
			size_t cap = f->cap ? 2 * f->cap : 64;
			struct exec_file *v = realloc(f->v, cap * sizeof(*v));

			if (!v)
				return -ENOMEM;
			f->v = v;
			f->cap = cap;
		}
		e = &f->v[f->n];
		*e = (struct exec_file){ .path = strdup(path), .kind = kind };
		if (!e->path)
			return -ENOMEM;
		f->n++;
	}
	if (ret)
		*ret = e;
	return 0;
}

#define SELINUX_XATTR "security.selinux"

/* The SELinux label of dirfd/name ("system_u:object_r:etc_t:s0"), or NULL: none,
 * SELinux off, or no xattrs on the file system. */
static char *read_label(int dirfd, const char *name)
{
	_cleanup_(closep) int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	char buf[1024];
	ssize_t n = fd >= 0 ? fgetxattr(fd, SELINUX_XATTR, buf, sizeof(buf) - 1) : -1;

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return buf[0] ? strdup(buf) : NULL;
}

int exec_file_stat(const struct exec_root *root, struct exec_file *e)
{
	const char *base;
	_cleanup_(closep) int dfd = exec_root_parent(root, e->path, false, &base);
	struct stat st;
	char target[PATH_MAX];
	ssize_t n;

	free(e->link);
	free(e->label);
	e->link = e->label = NULL;
	e->sha256[0] = '\0';
	if (dfd == -ENOENT || dfd == -ENOTDIR || (dfd >= 0 && fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) < 0 &&
						  (errno == ENOENT || errno == ENOTDIR))) {
		e->kind = e->kind == EXEC_NODIR ? EXEC_NODIR : EXEC_ABSENT;
		return 0;
	}
	if (dfd < 0)
		return dfd;
	if (e->kind == EXEC_NODIR && S_ISDIR(st.st_mode))
		return 1;   /* exists: not ours to remove */
	e->mode = st.st_mode;
	e->uid = st.st_uid;
	e->gid = st.st_gid;
	e->mtime = st.st_mtim.tv_sec;
	e->mtime_ns = st.st_mtim.tv_nsec;
	if (S_ISLNK(st.st_mode)) {
		if ((n = readlinkat(dfd, base, target, sizeof(target) - 1)) < 0)
			return -errno;
		target[n] = '\0';
		e->kind = EXEC_LINK;
		e->link = strdup(target);
		return e->link ? 0 : -ENOMEM;
	}
	if (!S_ISREG(st.st_mode))
		return 1;   /* a directory or a device: not a file we carry */
	e->kind = EXEC_REG;
	e->label = read_label(dfd, base);
	return exec_sha256_at(dfd, base, e->sha256);
}

int exec_file_relabel(int dirfd, const char *name, const struct exec_file *e)
{
	_cleanup_(closep) int fd = -1;

	if (!e->label)
		return 0;
	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || fsetxattr(fd, SELINUX_XATTR, e->label, strlen(e->label) + 1, 0) < 0)
		return -errno;
	return 0;
}

/* Opens root-relative directory dir for reading (symlinks resolved inside the root):
 * 1 and *ret, 0 when there is no such directory, or -errno. */
static int root_opendir(const struct exec_root *root, const char *dir, DIR **ret)
{
	_cleanup_(closep) int dfd = exec_root_dir(root, dir, false);

	if (dfd == -ENOENT || dfd == -ENOTDIR)
		return 0;
	if (dfd < 0)
		return dfd;
	if (!(*ret = fdopendir(dfd)))
		return -errno;
	TAKE_FD(dfd);   /* the DIR owns it */
	return 1;
}

/* Every entry of root-relative directory dir whose name matches want (NULL: all). */
static int add_dir_entries(const struct exec_root *root, struct exec_files *f, const char *dir,
			   bool (*want)(const char *name))
{
	DIR *d = NULL;
	struct dirent *de;
	int r = root_opendir(root, dir, &d);

	if (r <= 0)
		return r;
	r = 0;
	while (r == 0 && (de = readdir(d))) {
		_cleanup_(freep) char *path = NULL;

		if (de->d_name[0] == '.' || (want && !want(de->d_name)))
			continue;
		path = aoms_strdupf("%s/%s", dir, de->d_name);
		r = path ? files_add(f, path, EXEC_ABSENT, NULL) : -ENOMEM;
	}
	closedir(d);
	return r;
}

static bool is_release(const char *name)
{
	size_t n = strlen(name);

	return (n > 8 && strcmp(name + n - 8, "-release") == 0) || strcmp(name, "os-release") == 0 ||
	       strcmp(name, "system-release-cpe") == 0;
}

/* Whether the bytes of the file of fi at path differ from fi's digest; missing: what
 * the caller says. */
static bool file_changed(const struct exec_root *root, rpmfi fi, const char *path, bool missing)
{
	const char *base;
	_cleanup_(closep) int dfd = exec_root_parent(root, path, false, &base);
	_cleanup_(closep) int fd = dfd >= 0 ? openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) : -1;
	_cleanup_(freep) char *want = NULL;
	char hex[129];
	int algo = 0;
	struct stat st;

	if (!S_ISREG(rpmfiFMode(fi)))
		return false;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return missing;
	want = rpmfiFDigestHex(fi, &algo);
	if (!want || !*want || aoms_digest_fd_hex(algo, fd, hex, sizeof(hex)) < 0)
		return false;
	return strcmp(hex, want) != 0;
}

bool exec_header_files_changed(const struct exec_root *root, Header h)
{
	rpmfi fi = rpmfiNew(NULL, h, RPMTAG_BASENAMES, RPMFI_NOHEADER);
	bool changed = false;

	while (!changed && fi && rpmfiNext(fi) >= 0)
		if (!(rpmfiFFlags(fi) & (RPMFILE_CONFIG | RPMFILE_GHOST)) &&
		    rpmfiFState(fi) == RPMFILE_STATE_NORMAL)
			changed = file_changed(root, fi, rpmfiFN(fi), true);
	rpmfiFree(fi);
	return changed;
}

/* The %config files of h (with siblings); installed: also whether the user changed each. */
static int add_config(const struct exec_root *root, struct exec_files *f, Header h, bool installed)
{
	rpmfi fi = rpmfiNew(NULL, h, RPMTAG_BASENAMES, RPMFI_NOHEADER);
	int r = 0;

	while (r == 0 && fi && rpmfiNext(fi) >= 0) {
		const char *fn = rpmfiFN(fi);
		struct exec_file *e;

		if (!(rpmfiFFlags(fi) & RPMFILE_CONFIG) || S_ISDIR(rpmfiFMode(fi)))
			continue;
		for (size_t s = 0; r == 0 && s < ARRAY_SIZE(config_suffixes); s++) {
			_cleanup_(freep) char *p = aoms_strdupf("%s%s", fn, config_suffixes[s]);

			r = p ? files_add(f, p, EXEC_ABSENT, &e) : -ENOMEM;
			if (r == 0 && s == 0 && installed && file_changed(root, fi, fn, false))
				e->config_user = true;
		}
	}
	rpmfiFree(fi);
	return r;
}

/* Whether root-relative path exists (not followed). */
static bool exists(const struct exec_root *root, const char *path)
{
	const char *base;
	_cleanup_(closep) int dfd = exec_root_parent(root, path, false, &base);
	struct stat st;

	return dfd >= 0 && fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* h's files that do not exist in the root, and their ancestors that do not: what a
 * rollback removes even when an interrupted transaction left them unrecorded. */
static int add_new_paths(const struct exec_root *root, struct exec_files *f, Header h)
{
	rpmfi fi = rpmfiNew(NULL, h, RPMTAG_BASENAMES, RPMFI_NOHEADER);
	int r = 0;

	while (r == 0 && fi && rpmfiNext(fi) >= 0) {
		_cleanup_(freep) char *p = strdup(rpmfiFN(fi));
		char *slash;

		if (!p)
			r = -ENOMEM;
		else if (!S_ISDIR(rpmfiFMode(fi)) && !files_find(f, p) && !exists(root, p))
			r = files_add(f, p, EXEC_ABSENT, NULL);
		while (r == 0 && p && (slash = strrchr(p, '/')) && slash != p) {
			int fd;

			*slash = '\0';
			if (files_find(f, p))
				break;
			fd = exec_root_dir(root, p, false);
			if (fd >= 0) {
				close(fd);
				break;
			}
			r = fd == -ENOENT ? files_add(f, p, EXEC_NODIR, NULL) : 0;
		}
	}
	rpmfiFree(fi);
	return r;
}

struct collect_ctx {
	const struct exec_root *root;
	const struct exec_txn *t;
	struct exec_files *f;
};

static int on_installed(Header h, unsigned offset, const char *nevra, void *ud)
{
	struct collect_ctx *c = ud;

	return exec_strv_has(&c->t->erase, nevra) ? add_config(c->root, c->f, h, true) : 0;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct exec_file *)a)->path, ((const struct exec_file *)b)->path);
}

int exec_files_collect(const struct exec_root *root, struct exec_rpmdb *db,
		       const struct exec_txn *t, struct exec_files *ret, char **reason)
{
	struct exec_files f = { 0 };
	struct collect_ctx c = { root, t, &f };
	size_t k = 0;
	int r;

	r = add_dir_entries(root, &f, "/etc", is_release);
	if (r == 0)
		r = files_add(&f, "/usr/lib/os-release", EXEC_ABSENT, NULL);
	if (r == 0)
		r = add_dir_entries(root, &f, "/etc/yum.repos.d", NULL);
	if (r == 0)
		r = exec_rpmdb_foreach(db, on_installed, &c);
	for (size_t i = 0; r == 0 && i < t->n_install; i++)
		if ((r = add_config(root, &f, t->install[i]->h, false)) == 0)
			r = add_new_paths(root, &f, t->install[i]->h);
	/* state now; entries that are directories or devices are dropped */
	for (size_t i = 0; r >= 0 && i < f.n; i++) {
		r = exec_file_stat(root, &f.v[i]);
		if (r == 0)
			f.v[k++] = f.v[i];
		else {
			free(f.v[i].path);
			free(f.v[i].link);
			free(f.v[i].label);
		}
	}
	if (r > 0)
		r = 0;
	f.n = r < 0 ? f.n : k;
	if (r < 0) {
		exec_files_release(&f);
		return exec_fail(reason, r, "cannot read the files the apply may change: %s", strerror(-r));
	}
	if (f.n)
		qsort(f.v, f.n, sizeof(*f.v), by_path);
	*ret = f;
	return 0;
}

void exec_files_release(struct exec_files *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].path);
		free(f->v[i].link);
		free(f->v[i].label);
	}
	free(f->v);
	*f = (struct exec_files){ 0 };
}

/* ---- the journal's "files" list ---- */

static void put_escaped(struct aoms_strbuf *sb, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p == '%' || *p == 0x7f)
			aoms_strbuf_addf(sb, "%%%02x", *p);
		else
			aoms_strbuf_addc(sb, (char)*p);
}

static char *unescape(const char *s, size_t len)
{
	char *out = malloc(len + 1), *o = out;

	for (size_t i = 0; out && i < len; i++) {
		unsigned v;

		if (s[i] == '%' && i + 2 < len && sscanf(s + i + 1, "%2x", &v) == 1) {
			*o++ = (char)v;
			i += 2;
		} else {
			*o++ = s[i];
		}
	}
	if (out)
		*o = '\0';
	return out;
}

char *exec_files_format(const struct exec_files *f)
{
	struct aoms_strbuf sb = AOMS_STRBUF_INIT;

	for (size_t i = 0; i < f->n; i++) {
		const struct exec_file *e = &f->v[i];

		aoms_strbuf_addf(&sb, "%c %c %o %u %u %lld.%09lld %s ", e->kind, e->config_user ? 'u' : '-',
				 e->mode, e->uid, e->gid, e->mtime, e->mtime_ns, *e->sha256 ? e->sha256 : "-");
		put_escaped(&sb, e->path);
		aoms_strbuf_addc(&sb, ' ');
		put_escaped(&sb, e->link ? e->link : "-");
		aoms_strbuf_addc(&sb, ' ');
		put_escaped(&sb, e->label ? e->label : "-");
		aoms_strbuf_addc(&sb, '\n');
	}
	return sb.buf ? aoms_strbuf_detach(&sb) : strdup("");
}

int exec_files_parse(const char *text, struct exec_files *ret)
{
	struct exec_files f = { 0 };

	for (const char *line = text; *line;) {
		const char *end = strchrnul(line, '\n');
		char kind, user, sha[65], path[4096], link[4096], label[1024];
		unsigned mode, uid, gid;
		long long mt, mtns;
		struct exec_file *e;
		_cleanup_(freep) char *l = strndup(line, (size_t)(end - line));

		if (!l || sscanf(l, "%c %c %o %u %u %lld.%lld %64s %4095s %4095s %1023s", &kind, &user, &mode,
				 &uid, &gid, &mt, &mtns, sha, path, link, label) != 11 ||
		    !strchr("-fld", kind) || files_add(&f, "", kind, &e) < 0) {
			exec_files_release(&f);
			return l ? -EBADMSG : -ENOMEM;
		}
		free(e->path);
		*e = (struct exec_file){ .path = unescape(path, strlen(path)), .kind = kind,
					 .config_user = user == 'u', .mode = mode, .uid = uid, .gid = gid,
					 .mtime = mt, .mtime_ns = mtns };
		if (kind == EXEC_LINK)
			e->link = unescape(link, strlen(link));
		if (kind == EXEC_REG && strcmp(label, "-") != 0 && !(e->label = unescape(label, strlen(label)))) {
			exec_files_release(&f);
			return -ENOMEM;
		}
		if (strcmp(sha, "-") != 0)
			snprintf(e->sha256, sizeof(e->sha256), "%s", sha);
		if (!e->path || (kind == EXEC_LINK && !e->link)) {
			exec_files_release(&f);
			return -ENOMEM;
		}
		line = *end ? end + 1 : end;
	}
	*ret = f;
	return 0;
}

/* Whether semi (a name's last ';') ends it with librpm's ";%08x" suffix. */
static bool is_rpm_tid_suffix(const char *semi)
{
	if (strlen(semi) != 9)
		return false;
	for (const char *p = semi + 1; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return false;
	return true;
}

/* In root-relative directory dir, librpm's temporaries of the paths (sorted,
 * root-relative) the transaction installs; the directory is read once for all. */
static int clear_dir(const struct exec_root *root, const char *dir, const struct exec_strv *paths)
{
	DIR *d = NULL;
	struct dirent *de;
	int removed = 0, r = root_opendir(root, dir, &d);

	if (r <= 0)
		return r;
	while ((de = readdir(d))) {
		const char *semi = strrchr(de->d_name, ';');
		_cleanup_(freep) char *path = NULL;

		if (!semi || de->d_type == DT_DIR || !is_rpm_tid_suffix(semi))
			continue;
		path = strcmp(dir, ".") ? aoms_strdupf("%s/%.*s", dir, (int)(semi - de->d_name), de->d_name)
					: strndup(de->d_name, (size_t)(semi - de->d_name));
		if (!path) {
			removed = -ENOMEM;
			break;
		}
		if (exec_strv_has(paths, path) && unlinkat(dirfd(d), de->d_name, 0) == 0)
			removed++;
	}
	closedir(d);
	return removed;
}

int exec_txn_clear_leftovers(const struct exec_root *root, struct exec_rpm *const *install,
			     size_t n_install)
{
	struct exec_strv paths = { 0 }, dirs = { 0 };
	int removed = 0, r = 0;

	for (size_t i = 0; r >= 0 && i < n_install; i++) {
		rpmfi fi = rpmfiNew(NULL, install[i]->h, RPMTAG_BASENAMES, RPMFI_NOHEADER);

		while (r >= 0 && fi && rpmfiNext(fi) >= 0) {
			const char *fn = rpmfiFN(fi), *slash;

			if (*fn != '/' || S_ISDIR(rpmfiFMode(fi)))
				continue;   /* rpm installs absolute paths; a directory has no temporary */
			slash = strrchr(fn + 1, '/');
			r = exec_strv_add(&paths, fn + 1);
			if (r >= 0)
				r = slash ? exec_strv_addf(&dirs, "%.*s", (int)(slash - fn - 1), fn + 1)
					  : exec_strv_add(&dirs, ".");
		}
		rpmfiFree(fi);
	}
	exec_strv_sort(&paths);
	exec_strv_sort(&dirs);
	exec_strv_uniq(&dirs);
	for (size_t i = 0; r >= 0 && i < dirs.n; i++)
		if ((r = clear_dir(root, dirs.v[i], &paths)) > 0)
			removed += r;
	exec_strv_release(&paths);
	exec_strv_release(&dirs);
	return r < 0 ? r : removed;
}
