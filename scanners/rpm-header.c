/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * RPM header structures checked from their raw bytes (no librpm), so that librpm
 * only ever walks tags of the type and count its code assumes. The tag numbers,
 * types and counts are rpm's own (lib/rpmtag.h, identical in 4.14 and 4.18).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "aoms-macro.h"
#include "rpm-header.h"
#include "strbuf.h"

enum { T_NULL, T_CHAR, T_INT8, T_INT16, T_INT32, T_INT64, T_STRING, T_BIN, T_STRING_ARRAY,
       T_I18NSTRING };

static const char *const type_names[] = { "NULL", "CHAR", "INT8", "INT16", "INT32", "INT64",
					  "STRING", "BIN", "STRING_ARRAY", "I18NSTRING" };
static const unsigned type_sizes[] = { 0, 1, 1, 2, 4, 8, 1, 1, 1, 1 };

/* How many entries a tag must have. */
enum { C_ONE, C_ANY, C_FILES, C_SET };

struct tag_rule {
	uint32_t tag;
	const char *name;
	uint8_t type;
	uint8_t count;
	uint32_t set;   /* C_SET: the tag whose count this one shares */
};

#define DEPSET(N, F, V, NAME) \
	{ N, NAME "NAME", T_STRING_ARRAY, C_ANY, 0 }, \
	{ F, NAME "FLAGS", T_INT32, C_SET, N }, \
	{ V, NAME "VERSION", T_STRING_ARRAY, C_SET, N }

static const struct tag_rule rules[] = {
	{ 1000, "NAME", T_STRING, C_ONE, 0 },
	{ 1001, "VERSION", T_STRING, C_ONE, 0 },
	{ 1002, "RELEASE", T_STRING, C_ONE, 0 },
	{ 1003, "EPOCH", T_INT32, C_ONE, 0 },
	{ 1021, "OS", T_STRING, C_ONE, 0 },
	{ 1022, "ARCH", T_STRING, C_ONE, 0 },
	{ 1044, "SOURCERPM", T_STRING, C_ONE, 0 },
	{ 1106, "SOURCEPACKAGE", T_INT32, C_ONE, 0 },
	{ 1124, "PAYLOADFORMAT", T_STRING, C_ONE, 0 },
	{ 1125, "PAYLOADCOMPRESSOR", T_STRING, C_ONE, 0 },
	{ 1126, "PAYLOADFLAGS", T_STRING, C_ONE, 0 },
	{ 5092, "PAYLOADDIGEST", T_STRING_ARRAY, C_ANY, 0 },
	{ 5093, "PAYLOADDIGESTALGO", T_INT32, C_ONE, 0 },
	{ 1027, "OLDFILENAMES", T_STRING_ARRAY, C_FILES, 0 },
	{ 1116, "DIRINDEXES", T_INT32, C_FILES, 0 },
	{ 1117, "BASENAMES", T_STRING_ARRAY, C_FILES, 0 },
	{ 1118, "DIRNAMES", T_STRING_ARRAY, C_ANY, 0 },
	{ 1028, "FILESIZES", T_INT32, C_FILES, 0 },
	{ 5008, "LONGFILESIZES", T_INT64, C_FILES, 0 },
	{ 1030, "FILEMODES", T_INT16, C_FILES, 0 },
	{ 1033, "FILERDEVS", T_INT16, C_FILES, 0 },
	{ 1034, "FILEMTIMES", T_INT32, C_FILES, 0 },
	{ 1035, "FILEDIGESTS", T_STRING_ARRAY, C_FILES, 0 },
	{ 1036, "FILELINKTOS", T_STRING_ARRAY, C_FILES, 0 },
	{ 1037, "FILEFLAGS", T_INT32, C_FILES, 0 },
	{ 1039, "FILEUSERNAME", T_STRING_ARRAY, C_FILES, 0 },
	{ 1040, "FILEGROUPNAME", T_STRING_ARRAY, C_FILES, 0 },
	{ 1045, "FILEVERIFYFLAGS", T_INT32, C_FILES, 0 },
	{ 1095, "FILEDEVICES", T_INT32, C_FILES, 0 },
	{ 1096, "FILEINODES", T_INT32, C_FILES, 0 },
	{ 1097, "FILELANGS", T_STRING_ARRAY, C_FILES, 0 },
	{ 1140, "FILECOLORS", T_INT32, C_FILES, 0 },
	{ 1141, "FILECLASS", T_INT32, C_FILES, 0 },
	{ 1142, "CLASSDICT", T_STRING_ARRAY, C_ANY, 0 },
	{ 1143, "FILEDEPENDSX", T_INT32, C_FILES, 0 },
	{ 1144, "FILEDEPENDSN", T_INT32, C_FILES, 0 },
	{ 1145, "DEPENDSDICT", T_INT32, C_ANY, 0 },
	{ 5010, "FILECAPS", T_STRING_ARRAY, C_FILES, 0 },
	{ 5011, "FILEDIGESTALGO", T_INT32, C_ONE, 0 },
	{ 5090, "FILESIGNATURES", T_STRING_ARRAY, C_FILES, 0 },
	{ 5091, "FILESIGNATURELENGTH", T_INT32, C_ONE, 0 },
	DEPSET(1047, 1112, 1113, "PROVIDE"),
	DEPSET(1049, 1048, 1050, "REQUIRE"),
	DEPSET(1054, 1053, 1055, "CONFLICT"),
	DEPSET(1090, 1114, 1115, "OBSOLETE"),
	DEPSET(5035, 5037, 5036, "ORDER"),
	DEPSET(5046, 5048, 5047, "RECOMMEND"),
	DEPSET(5049, 5051, 5050, "SUGGEST"),
	DEPSET(5052, 5054, 5053, "SUPPLEMENT"),
	DEPSET(5055, 5057, 5056, "ENHANCE"),
};

enum { TAG_OLDFILENAMES = 1027, TAG_DIRINDEXES = 1116, TAG_BASENAMES = 1117,
       TAG_DIRNAMES = 1118 };

struct entry {
	uint32_t tag, type, offset, count;
};

struct hdr {
	const unsigned char *index, *data;
	uint32_t il, dl;
	struct entry found[ARRAY_SIZE(rules)];
	bool present[ARRAY_SIZE(rules)];
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int fail(char **ret_reason, const char *fmt, ...) _printf_(2, 3);
static int fail(char **ret_reason, const char *fmt, ...)
{
	va_list ap;

	if (ret_reason) {
		va_start(ap, fmt);
		if (vasprintf(ret_reason, fmt, ap) < 0)
			*ret_reason = NULL;
		va_end(ap);
		if (!*ret_reason)
			return -ENOMEM;
	}
	return -EBADMSG;
}

static const char *type_name(uint32_t type)
{
	return type < ARRAY_SIZE(type_names) ? type_names[type] : "unknown";
}

/* Whether e's data lies inside dl: fixed-size items, or count NUL-terminated strings. */
static bool entry_in_range(const struct hdr *h, const struct entry *e)
{
	size_t left;

	if (e->count == 0 || e->type == T_NULL)
		return true;
	if (e->offset >= h->dl || e->offset % type_sizes[e->type] != 0)
		return false;
	left = h->dl - e->offset;
	if (e->type >= T_STRING && e->type != T_BIN) {
		const unsigned char *p = h->data + e->offset, *end = h->data + h->dl;

		if (e->type == T_STRING && e->count != 1)
			return false;
		for (uint32_t i = 0; i < e->count; i++) {
			const unsigned char *nul = memchr(p, 0, (size_t)(end - p));

			if (!nul)
				return false;
			p = nul + 1;
		}
		return true;
	}
	return e->count <= left / type_sizes[e->type];
}

static const char *rule_name(uint32_t tag)
{
	for (size_t i = 0; i < ARRAY_SIZE(rules); i++)
		if (rules[i].tag == tag)
			return rules[i].name;
	return "?";
}

static uint32_t count_of(const struct hdr *h, uint32_t tag)
{
	for (size_t i = 0; i < ARRAY_SIZE(rules); i++)
		if (rules[i].tag == tag)
			return h->present[i] ? h->found[i].count : 0;
	return 0;
}

static bool has(const struct hdr *h, uint32_t tag)
{
	for (size_t i = 0; i < ARRAY_SIZE(rules); i++)
		if (rules[i].tag == tag)
			return h->present[i];
	return false;
}

static int check_layout(struct hdr *h, bool main, char **ret_reason)
{
	for (uint32_t i = 0; i < h->il; i++) {
		const unsigned char *p = h->index + 16 * (size_t)i;
		struct entry e = { be32(p), be32(p + 4), be32(p + 8), be32(p + 12) };

		if (e.type > T_I18NSTRING)
			return fail(ret_reason, "header tag %u has unknown type %u", e.tag, e.type);
		if (!entry_in_range(h, &e))
			return fail(ret_reason, "header tag %u (%s, %u entries) lies outside the header data",
				    e.tag, type_name(e.type), e.count);
		for (size_t k = 0; main && k < ARRAY_SIZE(rules); k++) {
			if (rules[k].tag != e.tag)
				continue;
			if (h->present[k])
				return fail(ret_reason, "header tag %s appears twice", rules[k].name);
			h->present[k] = true;
			h->found[k] = e;
		}
	}
	return 0;
}

static int check_rules(const struct hdr *h, char **ret_reason)
{
	uint32_t n_files = has(h, TAG_BASENAMES) ? count_of(h, TAG_BASENAMES) :
			   count_of(h, TAG_OLDFILENAMES);

	for (size_t i = 0; i < ARRAY_SIZE(rules); i++) {
		const struct tag_rule *r = &rules[i];
		const struct entry *e = &h->found[i];
		uint32_t want = 0;
		const char *as = NULL;

		if (!h->present[i])
			continue;
		if (e->type != r->type)
			return fail(ret_reason, "header tag %s has type %s, expected %s", r->name,
				    type_name(e->type), type_names[r->type]);
		switch (r->count) {
		case C_ONE: want = 1; break;
		case C_ANY: continue;
		case C_FILES:
			want = n_files;
			as = has(h, TAG_BASENAMES) ? "BASENAMES" : "OLDFILENAMES";
			break;
		case C_SET: want = count_of(h, r->set); as = rule_name(r->set); break;
		}
		if (e->count != want)
			return as ? fail(ret_reason, "header tag %s has %u entries, expected %u (as %s)",
					 r->name, e->count, want, as) :
				    fail(ret_reason, "header tag %s has %u entries, expected %u",
					 r->name, e->count, want);
	}
	return 0;
}

static int check_dirs(const struct hdr *h, char **ret_reason)
{
	uint32_t n_dirs = count_of(h, TAG_DIRNAMES);
	const struct entry *di = NULL;

	if (!has(h, TAG_BASENAMES))
		return has(h, TAG_DIRINDEXES) || has(h, TAG_DIRNAMES) ?
		       fail(ret_reason, "header has DIRNAMES or DIRINDEXES without BASENAMES") : 0;
	if (!has(h, TAG_DIRNAMES) || !has(h, TAG_DIRINDEXES))
		return fail(ret_reason, "header has BASENAMES without DIRNAMES and DIRINDEXES");
	for (size_t i = 0; i < ARRAY_SIZE(rules); i++)
		if (rules[i].tag == TAG_DIRINDEXES)
			di = &h->found[i];
	for (uint32_t i = 0; di && i < di->count; i++) {
		uint32_t v = be32(h->data + di->offset + 4 * (size_t)i);

		if (v >= n_dirs)
			return fail(ret_reason, "header tag DIRINDEXES entry %u is %u, but DIRNAMES has %u entries",
				    i, v, n_dirs);
	}
	return 0;
}

int aoms_rpm_header_check(const unsigned char *blob, size_t size, int main, char **ret_reason)
{
	static const unsigned char magic[4] = { 0x8e, 0xad, 0xe8, 0x01 };
	struct hdr h = { 0 };
	int r;

	if (ret_reason)
		*ret_reason = NULL;
	if (!blob || size < 16 || memcmp(blob, magic, sizeof(magic)) != 0)
		return fail(ret_reason, "%s header: bad magic", main ? "main" : "signature");
	h.il = be32(blob + 8);
	h.dl = be32(blob + 12);
	if (h.il < 1 || h.il > AOMS_RPM_HEADER_MAX_TAGS || h.dl > AOMS_RPM_HEADER_MAX_DATA)
		return fail(ret_reason, "%s header: %u tags and %u data bytes exceed rpm's limits",
			    main ? "main" : "signature", h.il, h.dl);
	if (size != 16 + 16 * (size_t)h.il + h.dl)
		return fail(ret_reason, "%s header: size %zu does not match its %u tags and %u data bytes",
			    main ? "main" : "signature", size, h.il, h.dl);
	h.index = blob + 16;
	h.data = h.index + 16 * (size_t)h.il;
	r = check_layout(&h, main, ret_reason);
	if (r < 0 || !main)
		return r;
	r = check_rules(&h, ret_reason);
	return r < 0 ? r : check_dirs(&h, ret_reason);
}

/* Reads and checks one header structure at *off; advances *off past it. */
static int read_header(int fd, off_t *off, bool main, char **ret_reason)
{
	unsigned char intro[16];
	_cleanup_(freep) unsigned char *blob = NULL;
	uint32_t il, dl;
	size_t size;
	ssize_t n = pread(fd, intro, sizeof(intro), *off);

	if (n < 0)
		return -errno;
	if (n != (ssize_t)sizeof(intro))
		return fail(ret_reason, "truncated %s header", main ? "main" : "signature");
	il = be32(intro + 8);
	dl = be32(intro + 12);
	if (il > AOMS_RPM_HEADER_MAX_TAGS || dl > AOMS_RPM_HEADER_MAX_DATA)
		return aoms_rpm_header_check(intro, sizeof(intro), main, ret_reason);
	size = 16 + 16 * (size_t)il + dl;
	blob = malloc(size);
	if (!blob)
		return -ENOMEM;
	n = pread(fd, blob, size, *off);
	if (n < 0)
		return -errno;
	if ((size_t)n != size)
		return fail(ret_reason, "truncated %s header", main ? "main" : "signature");
	*off += (off_t)size;
	return aoms_rpm_header_check(blob, size, main, ret_reason);
}

int aoms_rpm_header_check_file(int fd, off_t *ret_end, char **ret_reason)
{
	off_t off = 96;   /* the lead */
	int r;

	if (ret_reason)
		*ret_reason = NULL;
	r = read_header(fd, &off, false, ret_reason);
	if (r < 0)
		return r;
	off = (off + 7) & ~(off_t)7;   /* the signature header is padded to 8 bytes */
	r = read_header(fd, &off, true, ret_reason);
	if (r < 0)
		return r;
	*ret_end = off;
	return 0;
}
