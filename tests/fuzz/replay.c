/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Replays inputs through a fuzz target without libFuzzer, so that the normal (gcc,
 * ASan+UBSan) test build runs every seed and every crash file: linked with one
 * fuzz-NAME.c, it calls LLVMFuzzerTestOneInput() once per file named on the command
 * line, or per regular file of a directory named there. A bug aborts; exit status
 * 1 when an input cannot be read, else 0.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t n = 0, cap = 0;

	if (!f) {
		fprintf(stderr, "replay: cannot open '%s': %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (n == cap) {
			uint8_t *p = realloc(buf, cap = cap ? 2 * cap : 4096);
			if (!p)
				abort();
			buf = p;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		if (got == 0)
			break;
		n += got;
	}
	fclose(f);
	/* an exact-size copy, so that ASan sees reads past the input's end */
	uint8_t *in = malloc(n ? n : 1);
	if (!in)
		abort();
	memcpy(in, buf, n);
	free(buf);
	LLVMFuzzerTestOneInput(in, n);
	free(in);
	return 0;
}

static int replay_path(const char *path, unsigned *count)
{
	struct dirent **ents;
	int n, r = 0;

	n = scandir(path, &ents, NULL, alphasort);
	if (n < 0) {
		if (errno != ENOTDIR)
			fprintf(stderr, "replay: cannot read '%s': %s\n", path, strerror(errno));
		else if (replay_file(path) == 0)
			return (*count)++, 0;
		return -1;
	}
	for (int i = 0; i < n; i++) {
		if (ents[i]->d_type == DT_REG) {
			char *p;
			if (asprintf(&p, "%s/%s", path, ents[i]->d_name) < 0)
				abort();
			if (replay_file(p) < 0)
				r = -1;
			else
				(*count)++;
			free(p);
		}
		free(ents[i]);
	}
	free(ents);
	return r;
}

int main(int argc, char **argv)
{
	unsigned count = 0;
	int r = 0;

	for (int i = 1; i < argc; i++)
		if (replay_path(argv[i], &count) < 0)
			r = 1;
	printf("replayed %u inputs\n", count);
	return r;
}
