/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libbpf's section-name conventions (libbpf.c section_defs[], libbpf 1.x): the
 * program type of a section when libbpf is not there to say. A name matches an
 * entry that ends with '/' when it starts with it, another entry when it is equal
 * or continues with '/'. The first match wins, so longer prefixes come first.
 */
#include <string.h>
#include "bpf-object.h"

/* enum bpf_prog_type values (uapi bpf.h; stable numbers) */
enum {
	PT_SOCKET_FILTER = 1, PT_KPROBE, PT_SCHED_CLS, PT_SCHED_ACT, PT_TRACEPOINT, PT_XDP,
	PT_PERF_EVENT, PT_CGROUP_SKB, PT_CGROUP_SOCK, PT_LWT_IN, PT_LWT_OUT, PT_LWT_XMIT,
	PT_SOCK_OPS, PT_SK_SKB, PT_CGROUP_DEVICE, PT_SK_MSG, PT_RAW_TRACEPOINT,
	PT_CGROUP_SOCK_ADDR, PT_LWT_SEG6LOCAL, PT_LIRC_MODE2, PT_SK_REUSEPORT,
	PT_FLOW_DISSECTOR, PT_CGROUP_SYSCTL, PT_RAW_TRACEPOINT_WRITABLE, PT_CGROUP_SOCKOPT,
	PT_TRACING, PT_STRUCT_OPS, PT_EXT, PT_LSM, PT_SK_LOOKUP, PT_SYSCALL, PT_NETFILTER,
};

static const struct {
	const char *sec;
	int type;
} section_types[] = {
	{ "socket", PT_SOCKET_FILTER },
	{ "sk_reuseport/migrate", PT_SK_REUSEPORT }, { "sk_reuseport", PT_SK_REUSEPORT },
	{ "kprobe/", PT_KPROBE }, { "uprobe/", PT_KPROBE }, { "uprobe.s/", PT_KPROBE },
	{ "kretprobe/", PT_KPROBE }, { "uretprobe/", PT_KPROBE }, { "uretprobe.s/", PT_KPROBE },
	{ "kprobe.multi/", PT_KPROBE }, { "kretprobe.multi/", PT_KPROBE },
	{ "ksyscall/", PT_KPROBE }, { "kretsyscall/", PT_KPROBE }, { "usdt/", PT_KPROBE },
	{ "usdt.s/", PT_KPROBE }, { "kprobe", PT_KPROBE }, { "uprobe", PT_KPROBE },
	{ "kretprobe", PT_KPROBE }, { "uretprobe", PT_KPROBE },
	{ "tc/ingress", PT_SCHED_CLS }, { "tc/egress", PT_SCHED_CLS }, { "tcx/", PT_SCHED_CLS },
	{ "tc", PT_SCHED_CLS }, { "classifier", PT_SCHED_CLS }, { "action", PT_SCHED_ACT },
	{ "tracepoint/", PT_TRACEPOINT }, { "tp/", PT_TRACEPOINT },
	{ "raw_tracepoint.w/", PT_RAW_TRACEPOINT_WRITABLE }, { "raw_tp.w/", PT_RAW_TRACEPOINT_WRITABLE },
	{ "raw_tracepoint/", PT_RAW_TRACEPOINT }, { "raw_tp/", PT_RAW_TRACEPOINT },
	{ "raw_tracepoint", PT_RAW_TRACEPOINT }, { "raw_tp", PT_RAW_TRACEPOINT },
	{ "tp_btf/", PT_TRACING }, { "fentry/", PT_TRACING }, { "fmod_ret/", PT_TRACING },
	{ "fexit/", PT_TRACING }, { "fentry.s/", PT_TRACING }, { "fmod_ret.s/", PT_TRACING },
	{ "fexit.s/", PT_TRACING }, { "iter/", PT_TRACING }, { "iter.s/", PT_TRACING },
	{ "freplace/", PT_EXT },
	{ "lsm/", PT_LSM }, { "lsm.s/", PT_LSM }, { "lsm_cgroup/", PT_LSM },
	{ "syscall", PT_SYSCALL },
	{ "xdp.frags/devmap", PT_XDP }, { "xdp/devmap", PT_XDP }, { "xdp.frags/cpumap", PT_XDP },
	{ "xdp/cpumap", PT_XDP }, { "xdp.frags", PT_XDP }, { "xdp", PT_XDP },
	{ "perf_event", PT_PERF_EVENT },
	{ "lwt_in", PT_LWT_IN }, { "lwt_out", PT_LWT_OUT }, { "lwt_xmit", PT_LWT_XMIT },
	{ "lwt_seg6local", PT_LWT_SEG6LOCAL },
	{ "sockops", PT_SOCK_OPS },
	{ "sk_skb/stream_parser", PT_SK_SKB }, { "sk_skb/stream_verdict", PT_SK_SKB },
	{ "sk_skb", PT_SK_SKB }, { "sk_msg", PT_SK_MSG },
	{ "lirc_mode2", PT_LIRC_MODE2 }, { "flow_dissector", PT_FLOW_DISSECTOR },
	{ "cgroup_skb/ingress", PT_CGROUP_SKB }, { "cgroup_skb/egress", PT_CGROUP_SKB },
	{ "cgroup/skb", PT_CGROUP_SKB },
	{ "cgroup/sock_create", PT_CGROUP_SOCK }, { "cgroup/sock_release", PT_CGROUP_SOCK },
	{ "cgroup/sock", PT_CGROUP_SOCK }, { "cgroup/post_bind4", PT_CGROUP_SOCK },
	{ "cgroup/post_bind6", PT_CGROUP_SOCK },
	{ "cgroup/bind4", PT_CGROUP_SOCK_ADDR }, { "cgroup/bind6", PT_CGROUP_SOCK_ADDR },
	{ "cgroup/connect4", PT_CGROUP_SOCK_ADDR }, { "cgroup/connect6", PT_CGROUP_SOCK_ADDR },
	{ "cgroup/connect_unix", PT_CGROUP_SOCK_ADDR },
	{ "cgroup/sendmsg4", PT_CGROUP_SOCK_ADDR }, { "cgroup/sendmsg6", PT_CGROUP_SOCK_ADDR },
	{ "cgroup/sendmsg_unix", PT_CGROUP_SOCK_ADDR },
	{ "cgroup/recvmsg4", PT_CGROUP_SOCK_ADDR }, { "cgroup/recvmsg6", PT_CGROUP_SOCK_ADDR },
	{ "cgroup/recvmsg_unix", PT_CGROUP_SOCK_ADDR },
	{ "cgroup/getpeername4", PT_CGROUP_SOCK_ADDR }, { "cgroup/getpeername6", PT_CGROUP_SOCK_ADDR },
	{ "cgroup/getpeername_unix", PT_CGROUP_SOCK_ADDR },
	{ "cgroup/getsockname4", PT_CGROUP_SOCK_ADDR }, { "cgroup/getsockname6", PT_CGROUP_SOCK_ADDR },
	{ "cgroup/getsockname_unix", PT_CGROUP_SOCK_ADDR },
	{ "cgroup/sysctl", PT_CGROUP_SYSCTL },
	{ "cgroup/getsockopt", PT_CGROUP_SOCKOPT }, { "cgroup/setsockopt", PT_CGROUP_SOCKOPT },
	{ "cgroup/dev", PT_CGROUP_DEVICE },
	{ "struct_ops.s/", PT_STRUCT_OPS }, { "struct_ops/", PT_STRUCT_OPS },
	{ "struct_ops", PT_STRUCT_OPS },
	{ "sk_lookup", PT_SK_LOOKUP }, { "netfilter", PT_NETFILTER },
};

static bool section_matches(const char *sec, const char *pattern)
{
	size_t n = strlen(pattern);

	if (n && pattern[n - 1] == '/')
		return strncmp(sec, pattern, n) == 0;
	return strncmp(sec, pattern, n) == 0 && (sec[n] == '\0' || sec[n] == '/');
}

int aoms_bpf_section_prog_type(const char *section, int *ret_attach)
{
	*ret_attach = -1;
	for (size_t i = 0; i < ARRAY_SIZE(section_types); i++)
		if (section_matches(section, section_types[i].sec))
			return section_types[i].type;
	return -1;
}
