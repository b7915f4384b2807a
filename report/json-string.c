/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* JSON strings from arbitrary bytes (json-string.h). */
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "json-string.h"

/* Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlongs, surrogates
 * or code points above U+10FFFF), or 0. */
size_t aoms_utf8_len(const unsigned char *p)
{
	size_t n;
	unsigned char lo = 0x80, hi = 0xbf;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

struct json_object *aoms_json_string(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	struct json_object *o;
	char *buf, *q;

	if (!s)
		return NULL;
	while (*p && aoms_utf8_len(p))
		p += aoms_utf8_len(p);
	if (!*p)
		return json_object_new_string(s);
	/* Each bad byte grows to 3 bytes. */
	buf = malloc(strlen(s) * 3 + 1);
	if (!buf)
		return NULL;
	for (p = (const unsigned char *)s, q = buf; *p;) {
		size_t n = aoms_utf8_len(p);

		if (n) {
			memcpy(q, p, n);
			q += n;
			p += n;
		} else {
			memcpy(q, "\xef\xbf\xbd", 3);
			q += 3;
			p++;
		}
	}
	*q = '\0';
	o = json_object_new_string(buf);
	free(buf);
	return o;
}

