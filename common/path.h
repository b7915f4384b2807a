/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Lexical path helpers: they never touch the file system (no symlink is followed). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/*
 * Joins base and rel (rel absolute: rel alone) and normalizes "." and ".." and
 * repeated slashes lexically. Returns a heap string (caller frees) or NULL on
 * -ENOMEM. ".." above "/" stays at "/".
 */
char *aoms_path_join_normalize(const char *base, const char *rel);
/* The directory part of path as a heap string ("/" for "/x", "." for "x"). */
char *aoms_path_dirname(const char *path);
/* Whether path equals dir or lies below it (both normalized, absolute). */
int aoms_path_is_below(const char *path, const char *dir);
