/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `aoms db query`: questions people ask a target database. */
#pragma once

/* Exit status of a query: answered, nothing matched (AOMS_EXIT_FINDINGS' bit,
 * "something to look at"), or the usual runtime and usage errors. */
#define AOMS_QUERY_FOUND 0
#define AOMS_QUERY_NO_MATCH 4

/* argv[0] is the command's name ("query"); options follow. Returns an exit
 * status: 0 found, 1 runtime error, 2 usage error, 4 nothing matched. */
int aoms_cmd_query(int argc, char **argv);
