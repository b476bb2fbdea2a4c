// SPDX-License-Identifier: GPL-2.0 OR Apache-2.0
/*
 * A tiny tc (sched_cls) network function for the tests: it counts UDP
 * packets per destination port in two maps, one written with the plain
 * helper (seen by the scan tier) and one through mapsync_emit.h (emit tier).
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/udp.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "mapsync_emit.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} udp_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} emit_ports SEC(".maps");

static __always_inline void count(void *map, __u32 port, int emit)
{
	__u64 one = 1, *n = bpf_map_lookup_elem(map, &port);
	__u64 next = n ? *n + 1 : one;

	if (emit)
		mapsync_update(map, &port, &next, BPF_ANY);
	else
		bpf_map_update_elem(map, &port, &next, BPF_ANY);
}

SEC("tc")
int count_udp(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	struct udphdr *udp;
	__u32 port;

	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->protocol != IPPROTO_UDP)
		return TC_ACT_OK;
	udp = (void *)ip + ip->ihl * 4;
	if ((void *)(udp + 1) > end)
		return TC_ACT_OK;
	port = bpf_ntohs(udp->dest);
	count(&udp_ports, port, 0);
	count(&emit_ports, port, 1);
	return TC_ACT_OK;
}
