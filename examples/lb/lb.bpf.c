// SPDX-License-Identifier: GPL-2.0 OR Apache-2.0
/*
 * A layer-4 reverse-proxy load balancer in the manner of Polycube's lbrp, as
 * two tc (sched_cls) programs for the interface that faces the clients:
 *
 *   lb_ingress  client -> VIP:port    choose a backend, remember the session,
 *                                     rewrite the destination (DNAT)
 *   lb_egress   backend -> client     find the session, rewrite the source
 *                                     back to VIP:port (SNAT); no session yet:
 *                                     derive it (below), or drop, or pass
 *
 * The session table is the state mapsync replicates. Its key is the flow as
 * the backend sees it, so the reply direction finds it with one lookup; its
 * value is the virtual service to put back. A session is written once, on the
 * flow's first packet, through mapsync_update() (the emit tier): the agent
 * hears of it at once, without scanning. Later packets only read it.
 *
 * The backend is chosen by a seedless hash of the 5-tuple, so every LB host
 * with the same backend list picks the same backend for a flow, as lbrp does.
 * That makes the choice a pure function of the flow, and so lets an LB that has
 * not yet received a flow's session (replication is asynchronous; the first
 * reply beats it) translate the reply anyway: it recomputes which backend a
 * request from the reply's client address and port to the VIP would have gone
 * to, and if that is the reply's sender the reply is the service's (LB_DERIVE).
 * A reply that matches neither a session nor that check is dropped rather than
 * leaked with the backend's address (the client would answer it with a reset).
 */
#include <stddef.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include "mapsync_emit.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define MAX_BACKENDS 16
#define MAX_SESSIONS 65536

/* lb_service.flags */
#define LB_DERIVE 1 /* translate a backend's reply with no session when the flow's hash picks that backend */

/* The one virtual service (VIP:port, TCP and UDP), set by the loader. */
struct lb_service {
	__be32 vip;
	__be16 port;
	__u16 backend_count;
	__u32 flags;
};

struct lb_backend {
	__be32 ip;
	__be16 port;
	__u16 pad;
};

/* A flow as the backend sees it (client <-> backend). Explicit padding: map keys compare bytes. */
struct session_key {
	__be32 client_ip;
	__be32 backend_ip;
	__be16 client_port;
	__be16 backend_port;
	__u8 proto;
	__u8 pad[3];
};

/* What the reply's source becomes, and when the flow's first packet was seen (CLOCK_MONOTONIC). */
struct session {
	__be32 vip;
	__be16 vport;
	__u16 pad;
	__u64 created_ns;
};

enum lb_counter {
	LB_FORWARDED,          /* client packets DNATed to a backend */
	LB_SESSIONS_CREATED,   /* first packets of a flow on this host */
	LB_REPLIES_TRANSLATED, /* backend replies SNATed back to the VIP */
	LB_REPLIES_UNKNOWN,    /* backend replies with no session, not derived: passed untranslated (leaked) */
	LB_REPLIES_DERIVED,    /* backend replies with no session yet, SNATed because the flow's hash picks that backend */
	LB_REPLIES_DROPPED,    /* backend replies with no session that the hash does not explain (LB_DERIVE on): dropped */
	LB_COUNTERS,
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct lb_service);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} lb_service SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_BACKENDS);
	__type(key, __u32);
	__type(value, struct lb_backend);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} lb_backends SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, MAX_SESSIONS);
	__type(key, struct session_key);
	__type(value, struct session);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} lb_sessions SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, LB_COUNTERS);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} lb_stats SEC(".maps");

/* The parts of a TCP or UDP over IPv4 packet the programs read, and where they are. */
struct flow {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	__u8 proto;
	__u32 l4_off;   /* offset of the TCP/UDP header */
	__u32 csum_off; /* offset of its checksum */
};

static __always_inline void count(__u32 counter)
{
	__u64 *n = bpf_map_lookup_elem(&lb_stats, &counter);

	if (n)
		__sync_fetch_and_add(n, 1);
}

/* Fills f for an unfragmented TCP or UDP over IPv4 packet; returns 0, or -1 for anything else. */
static __always_inline int parse(struct __sk_buff *skb, struct flow *f)
{
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = data + sizeof(*eth);
	__be16 *ports;

	if ((void *)(ip + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl < 5)
		return -1;
	/* A fragment after the first carries no ports; the first alone cannot be translated consistently. */
	if (ip->frag_off & bpf_htons(0x3fff))
		return -1;
	f->proto = ip->protocol;
	f->l4_off = sizeof(*eth) + ip->ihl * 4;
	if (f->proto == IPPROTO_TCP)
		f->csum_off = f->l4_off + offsetof(struct tcphdr, check);
	else if (f->proto == IPPROTO_UDP)
		f->csum_off = f->l4_off + offsetof(struct udphdr, check);
	else
		return -1;
	ports = data + f->l4_off;
	if ((void *)(ports + 2) > end)
		return -1;
	f->saddr = ip->saddr;
	f->daddr = ip->daddr;
	f->sport = ports[0];
	f->dport = ports[1];
	return 0;
}

/*
 * Rewrites one address and its port (source or destination): the IP header
 * checksum, then the TCP/UDP checksum (the address through the pseudo
 * header), then the fields. The helpers handle offloaded (partial)
 * checksums, and keep a UDP checksum of 0 meaning "none".
 */
static __always_inline int rewrite(struct __sk_buff *skb, const struct flow *f, int source,
				   __be32 old_ip, __be32 new_ip, __be16 old_port, __be16 new_port)
{
	__u32 ip_field = sizeof(struct ethhdr) + (source ? offsetof(struct iphdr, saddr) : offsetof(struct iphdr, daddr));
	__u32 port_field = f->l4_off + (source ? 0 : sizeof(__be16));
	__u64 l4_flags = f->proto == IPPROTO_UDP ? BPF_F_MARK_MANGLED_0 : 0;

	if (bpf_l3_csum_replace(skb, sizeof(struct ethhdr) + offsetof(struct iphdr, check), old_ip, new_ip, 4) ||
	    bpf_l4_csum_replace(skb, f->csum_off, old_ip, new_ip, l4_flags | BPF_F_PSEUDO_HDR | 4) ||
	    bpf_l4_csum_replace(skb, f->csum_off, old_port, new_port, l4_flags | 2) ||
	    bpf_skb_store_bytes(skb, ip_field, &new_ip, 4, 0) ||
	    bpf_skb_store_bytes(skb, port_field, &new_port, 2, 0))
		return -1;
	return 0;
}

/* Seedless, so every LB host maps a flow to the same backend (murmur3's 32-bit finalizer over the tuple). */
static __always_inline __u32 flow_hash(const struct flow *f)
{
	__u32 h = f->saddr ^ (f->daddr * 0x9e3779b1u) ^ (((__u32)f->sport << 16 | f->dport) * 0x85ebca6bu) ^ f->proto;

	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

SEC("tc")
int lb_ingress(struct __sk_buff *skb)
{
	struct flow f = {};
	struct lb_service *svc;
	struct lb_backend *be;
	struct session_key key = {};
	__u32 zero = 0, index;

	if (parse(skb, &f))
		return TC_ACT_OK;
	svc = bpf_map_lookup_elem(&lb_service, &zero);
	if (!svc || f.daddr != svc->vip || f.dport != svc->port || svc->backend_count == 0)
		return TC_ACT_OK;
	index = flow_hash(&f) % svc->backend_count;
	be = bpf_map_lookup_elem(&lb_backends, &index);
	if (!be || !be->ip)
		return TC_ACT_SHOT;

	key.client_ip = f.saddr;
	key.backend_ip = be->ip;
	key.client_port = f.sport;
	key.backend_port = be->port;
	key.proto = f.proto;
	/* Only a flow's first packet writes (and so replicates) its session; the lookup also keeps it fresh in the LRU. */
	if (!bpf_map_lookup_elem(&lb_sessions, &key)) {
		struct session s = {.vip = f.daddr, .vport = f.dport, .created_ns = bpf_ktime_get_ns()};

		if (mapsync_update(&lb_sessions, &key, &s, BPF_NOEXIST) == 0)
			count(LB_SESSIONS_CREATED);
	}
	if (rewrite(skb, &f, 0, f.daddr, be->ip, f.dport, be->port))
		return TC_ACT_SHOT;
	count(LB_FORWARDED);
	return TC_ACT_OK;
}

static __always_inline int from_backend(const struct lb_service *svc, const struct flow *f)
{
	for (__u32 i = 0; i < MAX_BACKENDS && i < svc->backend_count; i++) {
		/* A copy for the key: the counter itself stays in a register, where the verifier tracks its bound. */
		__u32 key = i;
		struct lb_backend *be = bpf_map_lookup_elem(&lb_backends, &key);

		if (be && be->ip == f->saddr && be->port == f->sport)
			return 1;
	}
	return 0;
}

/* Would a request from the reply's client address and port to the VIP have been sent to the reply's sender? */
static __always_inline int hash_picks_sender(const struct lb_service *svc, const struct flow *reply)
{
	struct flow request = {
		.saddr = reply->daddr, .daddr = svc->vip, .sport = reply->dport, .dport = svc->port, .proto = reply->proto,
	};
	__u32 index = flow_hash(&request) % svc->backend_count;
	struct lb_backend *be = bpf_map_lookup_elem(&lb_backends, &index);

	return be && be->ip == reply->saddr && be->port == reply->sport;
}

/* A backend's reply this host has no session for (yet): derive it, drop it, or (LB_DERIVE off, lbrp's way) pass it. */
static __always_inline int no_session(struct __sk_buff *skb, const struct flow *f)
{
	__u32 zero = 0;
	struct lb_service *svc = bpf_map_lookup_elem(&lb_service, &zero);

	if (!svc || svc->backend_count == 0 || !from_backend(svc, f))
		return TC_ACT_OK; /* not a reply of the service's */
	if (!(svc->flags & LB_DERIVE)) {
		count(LB_REPLIES_UNKNOWN);
		return TC_ACT_OK;
	}
	if (!hash_picks_sender(svc, f)) {
		/* The backend list changed since the flow began and its session has not arrived: the sender retransmits. */
		count(LB_REPLIES_DROPPED);
		return TC_ACT_SHOT;
	}
	if (rewrite(skb, f, 1, f->saddr, svc->vip, f->sport, svc->port))
		return TC_ACT_SHOT;
	count(LB_REPLIES_DERIVED);
	return TC_ACT_OK;
}

SEC("tc")
int lb_egress(struct __sk_buff *skb)
{
	struct flow f = {};
	struct session_key key = {};
	struct session *s;

	if (parse(skb, &f))
		return TC_ACT_OK;
	key.client_ip = f.daddr;
	key.backend_ip = f.saddr;
	key.client_port = f.dport;
	key.backend_port = f.sport;
	key.proto = f.proto;
	s = bpf_map_lookup_elem(&lb_sessions, &key);
	if (!s)
		return no_session(skb, &f);
	if (rewrite(skb, &f, 1, f.saddr, s->vip, f.sport, s->vport))
		return TC_ACT_SHOT;
	count(LB_REPLIES_TRANSLATED);
	return TC_ACT_OK;
}
