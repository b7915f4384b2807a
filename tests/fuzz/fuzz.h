/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The libFuzzer entry point every tests/fuzz/fuzz-NAME.c defines: called once per
 * input by libFuzzer (clang -fsanitize=fuzzer) or by replay.c (any compiler, the
 * normal test build). Returns 0; a bug aborts (sanitizer report or abort()).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
