/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Scripts whose #! interpreter EL8 no longer ships under that name (python 2). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "assess.h"
#include "rootfs.h"
#include "strbuf.h"

#define SCRIPTS_MAX_DEPTH 16
#define SCRIPTS_MAX_FILES 100000

struct walk {
	const struct aoms_assess_options *o;
	size_t seen;
};

/* EL8 has no /usr/bin/python (only python3, or python2 from a module stream with
 * /usr/bin/python2): these interpreter lines fail with "bad interpreter". */
static const char *gone_interpreter(const char *line)
{
	static const char *const gone[] = {
		"/usr/bin/python", "/bin/python", "/usr/bin/python2", "/bin/python2",
		"/usr/bin/python2.7", "/usr/bin/env python", "/usr/bin/env python2",
	};
	size_t len = strcspn(line, " \t\r\n");

	if (strncmp(line, "/usr/bin/env ", 13) == 0)
		len = 13 + strcspn(line + 13, " \t\r\n");
	for (size_t i = 0; i < ARRAY_SIZE(gone); i++)
		if (strlen(gone[i]) == len && strncmp(line, gone[i], len) == 0)
			return gone[i];
	return NULL;
}

/* Judges the script open at fd (closed here), rel its root-relative path. */
static int judge_fd(const struct aoms_assess_options *o, int fd, const char *rel)
{
	_cleanup_(aoms_finding_freep) struct aoms_finding *f = NULL;
	char buf[128] = "";
	const char *interp;
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 3 || buf[0] != '#' || buf[1] != '!')
		return 0;
	buf[n] = '\0';
	if (!(interp = gone_interpreter(buf + 2 + strspn(buf + 2, " "))))
		return 0;
	if (aoms_finding_new("script.interpreter-missing", AOMS_SEV_HIGH, AOMS_DIM_APPLICATIONS,
			     rel, &f) < 0 ||
	    aoms_finding_set_title(f, "%s runs %s, which EL8 does not have", rel, interp) < 0 ||
	    aoms_finding_set_summary(f, "the #! line of %s names %s: EL8 has no unversioned "
				     "python and no python 2 by default", rel, interp) < 0 ||
	    aoms_finding_add_identity(f, "interpreter", interp) < 0 ||
	    aoms_finding_add_remedy(f, AOMS_REMEDY_HINT, "port the script to python3 "
				    "(#!/usr/bin/python3), or install python2 and use "
				    "#!/usr/bin/python2") < 0)
		return -ENOMEM;
	return aoms_report_add(o->report, TAKE_PTR(f));
}

static int judge_file(struct walk *w, int dirfd, const char *name, const char *rel)
{
	return judge_fd(w->o, openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC),
			rel);
}

int aoms_assess_script(const struct aoms_assess_options *o, const char *rel)
{
	int fd = aoms_root_open(o->root, rel, 0);

	return fd == -ENOMEM ? fd : judge_fd(o, fd, rel);
}

static int walk_dir(struct walk *w, int dirfd, const char *rel, unsigned depth)
{
	DIR *d;
	struct dirent *de;
	int r = 0;

	if (depth > SCRIPTS_MAX_DEPTH || !(d = fdopendir(dirfd))) {
		close(dirfd);
		return 0;
	}
	while (r == 0 && (de = readdir(d)) && w->seen < SCRIPTS_MAX_FILES) {
		struct stat st;
		_cleanup_(freep) char *sub = NULL;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
		    fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (!(sub = aoms_strdupf("%s/%s", rel, de->d_name)))
			r = -ENOMEM;
		else if (S_ISDIR(st.st_mode)) {
			int fd = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (fd >= 0)
				r = walk_dir(w, fd, sub, depth + 1);
		} else if (S_ISREG(st.st_mode) && (st.st_mode & 0111)) {
			w->seen++;
			r = judge_file(w, dirfd, de->d_name, sub);
		}
	}
	closedir(d);
	return r;
}

int aoms_assess_scripts(const struct aoms_assess_options *o, const char *dir)
{
	_cleanup_(freep) char *real = aoms_root_realpath(o->root, dir);
	_cleanup_(freep) char *path = real ? aoms_root_join(o->root, real) : NULL;
	struct walk w = { o, 0 };
	int fd;

	if (!path || (fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return 0;
	return walk_dir(&w, fd, real, 0);
}
