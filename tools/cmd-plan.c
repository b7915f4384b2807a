/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "aoms.h"
int aoms_cmd_plan(int argc, char **argv) { return AOMS_EXIT_ERROR; }
