/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reading mapped files without dying of SIGBUS. A read of a mapped page past the
 * end of a file that shrank after it was mapped (a `cp` over a binary while it is
 * scanned), or of a page the disk cannot deliver, raises SIGBUS, whose default is to
 * kill the process. aoms_sigbus_guarded() runs a reader with such a fault inside the
 * mapping it names turned into an error return instead; a SIGBUS anywhere else goes
 * to whatever handled it before (the default, or a sanitizer's report).
 *
 * The reader may be left at any point by the fault: it must hold no lock and no
 * allocation it has not recorded where its caller can free it.
 */
#pragma once

#include <stddef.h>

/* Runs fn(ud) and returns what it returns, or -EIO when it read a faulting page of
 * [map, map + len). Threads guard their own mappings independently; guards nest. */
int aoms_sigbus_guarded(const void *map, size_t len, int (*fn)(void *ud), void *ud);
