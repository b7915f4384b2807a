/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * JSON strings from bytes that need not be UTF-8 (paths, ELF and database
 * strings): every JSON document aoms writes (reports, `db info`, `db query`)
 * makes its strings here so that it stays valid UTF-8.
 */
#pragma once

#include <stddef.h>

struct json_object;

/* How every JSON document aoms prints is laid out (json-c's to_string flags: the
 * users include <json-c/json.h>): indented, and "/" left unescaped in paths. */
#define AOMS_JSON_FLAGS (JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | \
			 JSON_C_TO_STRING_NOSLASHESCAPE)

/* Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlongs, surrogates
 * or code points above U+10FFFF), or 0. p must be NUL-terminated. */
size_t aoms_utf8_len(const unsigned char *p);

/*
 * A new JSON string of s (the caller owns it: json_object_put()). json-c copies
 * bytes unchecked, so each byte that does not start a well-formed UTF-8 sequence
 * (RFC 3629: no overlongs, surrogates or code points above U+10FFFF) becomes
 * U+FFFD. NULL for a NULL s or on -ENOMEM.
 */
struct json_object *aoms_json_string(const char *s);
