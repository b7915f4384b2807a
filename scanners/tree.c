/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "elf-model.h"
#include "path.h"
#include "strbuf.h"
#include "scanner.h"
#include "tree.h"

#define MAX_DEPTH 256
#define MAX_LINK_HOPS 40

struct walk {
	struct aoms_tree *t;
	struct aoms_report *report;
	const char *root;        /* absolute */
	const char *prefix;      /* subject prefix, or NULL */
	bool rooted;             /* below t->sysroot: rel is the whole subject */
	dev_t dev[MAX_DEPTH];
	ino_t ino[MAX_DEPTH];
};

static void file_free(struct aoms_file *f)
{
	if (!f)
		return;
	if (f->model && f->scanner && f->scanner->free && !f->model_shared)
		f->scanner->free(f->model);
	free(f->package);
	if (!f->subject_shared)
		free(f->subject);
	free(f->path);
	free(f->link);
	free(f);
}

static bool tree_inside(const struct aoms_tree *t, const char *path)
{
	for (size_t i = 0; i < t->n_roots; i++)
		if (aoms_path_is_below(path, t->roots[i]))
			return true;
	return false;
}

static int tree_push_locked(struct aoms_tree *t, struct aoms_file *f);

/* Adds n files under one lock and one on_push; every file is taken over. */
static int tree_push_n(struct aoms_tree *t, struct aoms_file *const *files, size_t n)
{
	int r = 0;

	if (!n)
		return 0;
	if (t->lock)
		pthread_mutex_lock(t->lock);
	for (size_t i = 0; i < n; i++) {
		int k = tree_push_locked(t, files[i]);

		if (k < 0 && r == 0)
			r = k;
	}
	if (t->on_push)
		t->on_push(t->ud);
	if (t->lock)
		pthread_mutex_unlock(t->lock);
	return r;
}

static int tree_push(struct aoms_tree *t, struct aoms_file *f)
{
	return tree_push_n(t, &f, 1);
}

/* The walked files still held back (the walking thread only). */
static int tree_flush(struct aoms_tree *t)
{
	size_t n = t->n_batch;

	t->n_batch = 0;
	return tree_push_n(t, t->batch, n);
}

/* A file the walk found: held back until a batch is full when readers wait on the
 * walk, so they take the lock once per batch, not once per file. */
static int tree_push_walked(struct aoms_tree *t, struct aoms_file *f)
{
	if (!t->lock)
		return tree_push(t, f);
	t->batch[t->n_batch++] = f;
	return t->n_batch == AOMS_TREE_BATCH ? tree_flush(t) : 0;
}

static int tree_push_locked(struct aoms_tree *t, struct aoms_file *f)
{
	if (aoms_strmap_get(&t->by_path, f->path)) {
		file_free(f);   /* reached through two inputs */
		return 0;
	}
	if (t->n_files == t->cap_files) {
		size_t cap = t->cap_files ? t->cap_files * 2 : 256;
		struct aoms_file **nf = realloc(t->files, cap * sizeof(*nf));

		if (!nf)
			goto oom;
		t->files = nf;
		t->cap_files = cap;
	}
	if (aoms_strmap_put(&t->by_path, f->path, f) < 0)
		goto oom;
	t->files[t->n_files++] = f;
	return 0;
oom:
	file_free(f);
	return -ENOMEM;
}

/* rel is the tail of f->subject of rel_len bytes. */
static void file_set_rel(struct aoms_file *f, size_t rel_len)
{
	size_t n = strlen(f->subject);

	f->rel = f->subject + (rel_len < n ? n - rel_len : 0);
}

static char *walk_subject(const struct walk *w, const char *rel)
{
	if (!w->prefix)
		return strdup(rel);
	return aoms_strdupf("%s/%s", w->prefix, rel);
}

/* The root-relative name of abs below t->sysroot ("" for the root itself), or NULL
 * when abs is not below it. Points into abs. */
static const char *tree_rooted(const struct aoms_tree *t, const char *abs)
{
	size_t n;

	if (!t->sysroot)
		return NULL;
	n = strlen(t->sysroot);
	if (n == 1 && t->sysroot[0] == '/')
		return abs[0] == '/' ? (abs[1] ? abs : "") : NULL;
	if (strncmp(abs, t->sysroot, n) != 0 || (abs[n] != '/' && abs[n] != '\0'))
		return NULL;
	return abs + n;
}

static int walk_add(struct walk *w, const char *path, const char *rel, const struct stat *st)
{
	struct aoms_file *f = calloc(1, sizeof(*f));

	if (!f)
		return -ENOMEM;
	f->path = strdup(path);
	/* Without a prefix the subject is the tail of the path: share it (a /usr holds
	 * 10^5 files). */
	if (w->prefix || !f->path)
		f->subject = walk_subject(w, rel);
	else {
		f->subject = f->path + strlen(f->path) - strlen(rel);
		f->subject_shared = true;
	}
	f->size = (uint64_t)st->st_size;
	f->kind = S_ISLNK(st->st_mode) ? AOMS_FILE_SYMLINK : AOMS_FILE_REGULAR;
	if (!f->path || !f->subject) {
		file_free(f);
		return -ENOMEM;
	}
	file_set_rel(f, w->rooted ? strlen(f->subject) : strlen(rel));
	if (f->kind == AOMS_FILE_SYMLINK) {
		char target[PATH_MAX];
		ssize_t n = readlink(path, target, sizeof(target) - 1);

		if (n > 0) {
			_cleanup_(freep) char *dir = aoms_path_dirname(path);

			target[n] = '\0';
			if (w->t->chroot && target[0] == '/')
				f->link = aoms_path_join_normalize(w->t->sysroot ? w->t->sysroot : w->root,
								   target + 1);
			else
				f->link = dir ? aoms_path_join_normalize(dir, target) : NULL;
			if (f->link && !aoms_path_is_below(f->link, w->root)) {
				free(f->link);   /* leads out of the tree: never followed */
				f->link = NULL;
			}
		}
	}
	return tree_push_walked(w->t, f);
}

/* subject as reports call it, rel without the input's prefix (the key's locus). */
static int report_skipped(struct aoms_report *report, const char *subject, const char *rel,
			  const char *what)
{
	struct aoms_finding *f = NULL;
	int r;

	r = aoms_finding_new("scan.file-skipped", AOMS_SEV_INFO, AOMS_DIM_APPLICATIONS, subject, &f);
	if (r >= 0 && strcmp(rel, subject) != 0)
		r = aoms_finding_set_locus(f, rel);
	if (r < 0) {
		aoms_finding_free(f);
		return r;
	}
	aoms_finding_set_title(f, "%s skipped: %s", subject, what);
	aoms_finding_set_summary(f, "%s is a %s, not a regular file; aoms does not open it.", subject,
				 what);
	aoms_finding_add_evidence(f, "reason", what);
	return aoms_report_add(report, f);
}

static const char *special_kind(mode_t mode)
{
	if (S_ISFIFO(mode))
		return "fifo";
	if (S_ISCHR(mode))
		return "character device";
	if (S_ISBLK(mode))
		return "block device";
	if (S_ISSOCK(mode))
		return "socket";
	return "special file";
}

static int walk_dir(struct walk *w, const char *path, const char *rel, unsigned depth);

static bool tree_excluded(const struct aoms_tree *t, const char *rel)
{
	for (size_t i = 0; i < t->n_exclude; i++)
		if (fnmatch(t->exclude[i], rel, 0) == 0)
			return true;
	return false;
}

static int walk_entry(struct walk *w, const char *path, const char *rel, unsigned depth,
		      unsigned char d_type)
{
	struct stat st;

	/* before any stat: an excluded file is neither read nor counted as seen */
	if (tree_excluded(w->t, rel))
		return 0;

	/* Regular files are most of a tree: trust d_type and skip a path lookup. The
	 * reader re-checks with fstat on the descriptor it opens. */
	if (d_type == DT_REG) {
		st = (struct stat){ .st_mode = S_IFREG, .st_size = 0 };
		return walk_add(w, path, rel, &st);
	}
	if (lstat(path, &st) < 0)
		return aoms_report_add_error(w->report, path, errno, "cannot stat '%s': %s", path,
					     strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		for (unsigned i = 0; i < depth; i++)
			if (w->dev[i] == st.st_dev && w->ino[i] == st.st_ino)
				return aoms_report_add_error(w->report, path, ELOOP,
							     "directory loop at '%s'", path);
		if (depth >= MAX_DEPTH)
			return aoms_report_add_error(w->report, path, ELOOP,
						     "'%s' is nested too deep", path);
		w->dev[depth] = st.st_dev;
		w->ino[depth] = st.st_ino;
		return walk_dir(w, path, rel, depth + 1);
	}
	if (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode))
		return walk_add(w, path, rel, &st);
	_cleanup_(freep) char *subject = walk_subject(w, rel);
	return subject ? report_skipped(w->report, subject, w->rooted ? subject : rel,
					special_kind(st.st_mode)) : -ENOMEM;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a + 1, *(char *const *)b + 1);
}

static int walk_dir(struct walk *w, const char *path, const char *rel, unsigned depth)
{
	DIR *d = opendir(path);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int r = 0;

	if (!d)
		return aoms_report_add_error(w->report, path, errno, "cannot open directory '%s': %s",
					     path, strerror(errno));
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (n == cap) {
			char **nn = realloc(names, (cap = cap ? cap * 2 : 32) * sizeof(*nn));

			if (!nn) { r = -ENOMEM; break; }
			names = nn;
		}
		/* d_type rides in the byte before the name, so both sort together. */
		if (!(names[n] = malloc(strlen(de->d_name) + 2))) { r = -ENOMEM; break; }
		names[n][0] = (char)de->d_type;
		strcpy(names[n] + 1, de->d_name);
		n++;
	}
	closedir(d);
	/* Sorted, so that the walk (and "first found" choices) are deterministic. */
	if (r == 0 && n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n && r == 0; i++) {
		const char *name = names[i] + 1;
		_cleanup_(freep) char *child = aoms_strdupf("%s/%s", strcmp(path, "/") ? path : "", name);
		_cleanup_(freep) char *crel = *rel ? aoms_strdupf("%s/%s", rel, name) : strdup(name);

		r = child && crel ? walk_entry(w, child, crel, depth, (unsigned char)names[i][0]) : -ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return r;
}

static int add_root(struct aoms_tree *t, const char *root)
{
	char **nr = realloc(t->roots, (t->n_roots + 1) * sizeof(*nr));

	if (!nr)
		return -ENOMEM;
	t->roots = nr;
	if (!(t->roots[t->n_roots] = strdup(root)))
		return -ENOMEM;
	t->n_roots++;
	return 0;
}

static int add_input(struct aoms_tree *t, const char *input, bool prefix,
		     struct aoms_report *report)
{
	_cleanup_(freep) char *abs = NULL;
	_cleanup_(freep) char *given = NULL;
	struct walk w = { .t = t, .report = report };
	const char *rooted;
	struct stat st;
	int r;

	if (stat(input, &st) < 0)
		return aoms_report_add_error(report, input, errno, "cannot access '%s': %s", input,
					     strerror(errno));
	abs = realpath(input, NULL);
	if (!abs)
		return aoms_report_add_error(report, input, errno, "cannot resolve '%s': %s", input,
					     strerror(errno));
	rooted = tree_rooted(t, abs);
	given = strdup(rooted ? (*rooted ? rooted : "/") : input);
	if (!given)
		return -ENOMEM;
	/* "dir/" and "dir" name the same subjects. */
	for (size_t n = strlen(given); n > 1 && given[n - 1] == '/'; n--)
		given[n - 1] = '\0';
	if (!S_ISDIR(st.st_mode)) {
		const char *base = strrchr(given, '/');

		base = base && base[1] ? base + 1 : given;
		if (tree_excluded(t, base))
			return 0;
		if (rooted)
			base = given;
		if (!S_ISREG(st.st_mode))
			return report_skipped(report, given, base, special_kind(st.st_mode));
		struct aoms_file *f = calloc(1, sizeof(*f));

		if (!f)
			return -ENOMEM;
		f->path = TAKE_PTR(abs);
		f->rel = base;
		f->subject = TAKE_PTR(given);
		f->size = (uint64_t)st.st_size;
		f->kind = AOMS_FILE_REGULAR;
		return tree_push_walked(t, f);
	}
	r = add_root(t, abs);
	if (r < 0)
		return r;
	w.root = abs;
	w.prefix = prefix || rooted ? given : NULL;
	w.rooted = rooted != NULL;
	if (rooted && !*rooted)
		w.prefix = "";   /* the root itself: "/etc/x", not "//etc/x" */
	w.dev[0] = st.st_dev;
	w.ino[0] = st.st_ino;
	return walk_dir(&w, abs, "", 1);
}

int aoms_tree_add_input(struct aoms_tree *t, const char *input, bool prefix,
			struct aoms_report *report)
{
	int r = add_input(t, input, prefix, report);
	int k = tree_flush(t);

	return r < 0 ? r : k;
}

/* Links inside one archive stay inside it: "A.rpm!/x" -> "A.rpm!/y". */
static bool same_archive(const char *path, const char *link)
{
	const char *bang = strchr(path, '!');

	return bang && strncmp(path, link, (size_t)(bang - path) + 1) == 0;
}

/* path with its first directory component that is an in-tree symlink replaced by
 * the link's target; NULL when no component is a link or the link leaves the tree. */
static char *subst_dir_link(const struct aoms_tree *t, const char *path)
{
	_cleanup_(freep) char *copy = strdup(path);

	if (!copy)
		return NULL;
	for (char *s = strchr(copy + 1, '/'); s; s = strchr(s + 1, '/')) {
		struct aoms_file *f;

		*s = '\0';
		f = aoms_strmap_get(&t->by_path, copy);
		*s = '/';
		if (f && f->kind == AOMS_FILE_SYMLINK)
			return f->link ? aoms_path_join_normalize(f->link, s + 1) : NULL;
	}
	return NULL;
}

int aoms_tree_add_member(struct aoms_tree *t, const char *path, const char *subject,
			 const char *rel, const char *package, struct aoms_elf *elf)
{
	struct aoms_file *f = calloc(1, sizeof(*f));

	if (!f) {
		aoms_elf_free(elf);
		return -ENOMEM;
	}
	f->kind = AOMS_FILE_MEMBER;
	f->scanner = &aoms_scanner_elf;
	f->model = f->elf = elf;
	f->path = strdup(path);
	f->subject = strdup(subject);
	f->package = package ? strdup(package) : NULL;
	if (!f->path || !f->subject || (package && !f->package)) {
		file_free(f);
		return -ENOMEM;
	}
	file_set_rel(f, strlen(rel ? rel : subject));
	return tree_push(t, f);
}

int aoms_tree_add_member_link(struct aoms_tree *t, const char *path, const char *link)
{
	struct aoms_file *f = calloc(1, sizeof(*f));

	if (!f)
		return -ENOMEM;
	f->kind = AOMS_FILE_SYMLINK;
	f->path = strdup(path);
	f->subject = strdup(path);
	f->link = strdup(link);
	if (!f->path || !f->subject || !f->link) {
		file_free(f);
		return -ENOMEM;
	}
	f->rel = f->subject;
	return tree_push(t, f);
}

struct aoms_file *aoms_tree_resolve(const struct aoms_tree *t, const char *abs_path)
{
	_cleanup_(freep) char *cur = strdup(abs_path);

	for (unsigned hops = 0; cur && hops < MAX_LINK_HOPS; hops++) {
		struct aoms_file *f = aoms_strmap_get(&t->by_path, cur);
		char *next;

		if (f && f->kind != AOMS_FILE_SYMLINK)
			return f;
		if (f)
			next = f->link && (tree_inside(t, f->link) || same_archive(f->path, f->link))
				       ? strdup(f->link) : NULL;
		else
			next = subst_dir_link(t, cur);
		free(cur);
		cur = next;
	}
	return NULL;
}

void aoms_tree_release(struct aoms_tree *t)
{
	for (size_t i = 0; i < t->n_files; i++)
		file_free(t->files[i]);
	free(t->files);
	for (size_t i = 0; i < t->n_roots; i++)
		free(t->roots[i]);
	free(t->roots);
	aoms_strmap_release(&t->by_path);
	*t = (struct aoms_tree)AOMS_TREE_INIT;
}
