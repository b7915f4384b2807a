# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=bash
# What tests/fuzz/run-ci.sh and bench/fuzz.sh share (sourced from the source root):
# the targets, their -max_len, and the leak suppressions of libraries aoms does not own.
FUZZ_TARGETS="elf elfio rpm rpmhdr import kfacts report bpf"
declare -A max_len=([elf]=16384 [elfio]=16384 [rpm]=16384 [rpmhdr]=16384 [import]=4096
		    [kfacts]=1024 [report]=65536 [bpf]=16384)

# lsan_env NAME CMD...: runs CMD with tests/fuzz/lsan-NAME.supp when there is one
# (known leaks inside a library aoms does not own; the file says which)
lsan_env() {
	local supp=$PWD/tests/fuzz/lsan-$1.supp
	shift
	if [ -f "$supp" ]; then
		LSAN_OPTIONS=suppressions=$supp:fast_unwind_on_malloc=0:print_suppressions=0 "$@"
	else
		"$@"
	fi
}
