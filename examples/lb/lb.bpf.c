// SPDX-License-Identifier: GPL-2.0 OR Apache-2.0
/*
 * A layer-4 reverse-proxy load balancer in the manner of Polycube's lbrp, as
 * two tc (sched_cls) programs for the interface that faces the clients:
 *
 *   lb_ingress  client -> VIP:port    find the flow's pinned backend or, for a
 *                                     new flow, the service's slot table's;
 *                                     remember both directions, rewrite the
 *                                     destination (DNAT)
 *   lb_egress   backend -> client     find the session, rewrite the source
 *                                     back to VIP:port (SNAT); no session yet:
 *                                     derive it (below), or drop, or pass
 *
 * Services are keyed by (VIP, protocol, port); each has weighted backends and
 * an index table of SLOTS slots (lb_slots) written by the control plane
 * (LbApply), which decides new flows only. The session table is the state
 * mapsync replicates: per flow, the reply direction (client <-> backend ->
 * the VIP to put back, one lookup for a reply) and the request direction
 * (client <-> VIP -> the backend it is pinned to, so a table change moves no
 * running flow). Both are written once, on the flow's first packet, through
 * mapsync_update() (the emit tier): the agent hears of them at once, without
 * scanning. Later packets only read them.
 *
 * The slot is a seedless hash of the 5-tuple, so every LB host with the same
 * tables picks the same backend for a flow, as lbrp does.
 * That makes the choice a pure function of the flow, and so lets an LB that has
 * not yet received a flow's session (replication is asynchronous; the first
 * reply beats it) translate the reply anyway: it recomputes which backend a
 * request from the reply's client address and port to the VIP would have gone
 * to (the service found through lb_origins), and if that is the reply's sender
 * the reply is the service's (LB_DERIVE).
 * A reply that matches neither a session nor that check is dropped rather than
 * leaked with the backend's address (the client would answer it with a reset).
 *
 * ICMP echo to a VIP is a flow too: the echo identifier stands for the client's
 * port, port 0 for the service's, and the control plane gives each VIP's echo the
 * backends of its first service (key (VIP, 0, ICMP)). Echo replies are never
 * derived: a ping to a backend's own address has the same reply.
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

#define MAX_SERVICES 16
#define MAX_BACKENDS 16  /* per service */
#define SLOTS 256        /* per service: the index table's slots, shared out by weight */
#define MAX_SESSIONS 65536

/* lb_service.flags */
#define LB_DERIVE 1 /* translate a backend's reply with no session when the flow's slot picks that backend */

/* session_key.dir */
#define DIR_REPLY 0   /* client <-> backend: what a reply's source becomes (the VIP) */
#define DIR_REQUEST 1 /* client <-> VIP: the backend a flow is pinned to */

/* A virtual service: (VIP, protocol, port). Explicit padding: map keys compare bytes. */
struct svc_key {
	__be32 vip;
	__be16 port;
	__u8 proto;
	__u8 pad;
};

/* Where the service's backends and slots are: rows id of lb_backends and lb_slots, written by the control plane. */
struct lb_service {
	__u32 id;
	__u16 backend_count;
	__u16 flags;
};

struct lb_backend {
	__be32 ip;
	__be16 port;
	__u16 weight;
};

/* A backend's address and protocol, to find the service a reply with no session belongs to (LB_DERIVE). */
struct origin_key {
	__be32 ip;
	__be16 port;
	__u8 proto;
	__u8 pad;
};

/*
 * A flow in one of two directions (dir): as the backend sees it (client <-> backend, for the
 * replies), or as the client sent it (client <-> VIP, for the requests). Both are written on the
 * flow's first packet and both replicate, so whichever LB a packet reaches finds the same backend
 * even after the slot table changed.
 */
struct session_key {
	__be32 client_ip;
	__be32 backend_ip; /* DIR_REQUEST: the VIP */
	__be16 client_port;
	__be16 backend_port; /* DIR_REQUEST: the service's port */
	__u8 proto;
	__u8 dir;
	__u8 pad[2];
};

/* The other end (DIR_REPLY: the VIP; DIR_REQUEST: the backend), and when the flow's first packet was seen (CLOCK_MONOTONIC). */
struct session {
	__be32 ip;
	__be16 port;
	__u16 pad;
	__u64 created_ns;
};

enum lb_counter {
	LB_FORWARDED,          /* client packets DNATed to a backend */
	LB_SESSIONS_CREATED,   /* first packets of a flow on this host */
	LB_REPLIES_TRANSLATED, /* backend replies SNATed back to the VIP */
	LB_REPLIES_UNKNOWN,    /* backend replies with no session, not derived: passed untranslated (leaked) */
	LB_REPLIES_DERIVED,    /* backend replies with no session yet, SNATed because the flow's slot picks that backend */
	LB_REPLIES_DROPPED,    /* backend replies with no session that the slot table does not explain (LB_DERIVE on): dropped */
	LB_SESSIONS_FAILED,    /* a new flow's session could not be stored (map full): forwarded by the slot table, not pinned */
	LB_NO_BACKEND,         /* packets to a service whose slot names no backend (being reconfigured): dropped */
	LB_COUNTERS,
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_SERVICES * 3); /* per service: tcp, udp, and its VIP's ICMP echo */
	__type(key, struct svc_key);
	__type(value, struct lb_service);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} lb_services SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_SERVICES * MAX_BACKENDS);
	__type(key, __u32);
	__type(value, struct lb_backend);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} lb_backends SEC(".maps");

/* Per service, SLOTS backend indexes: a new flow takes the backend of slot hash % SLOTS. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_SERVICES * SLOTS);
	__type(key, __u32);
	__type(value, __u32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} lb_slots SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_SERVICES * MAX_BACKENDS * 2);
	__type(key, struct origin_key);
	__type(value, struct svc_key);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} lb_origins SEC(".maps");

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

/*
 * The parts of a TCP, UDP or ICMP echo over IPv4 packet the programs read, and where they are. An
 * echo's identifier is the client's "port": sport of a request, dport of a reply; the other is 0.
 */
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

#define ICMP_ECHOREPLY 0
#define ICMP_ECHO 8

/* The start of an ICMP echo request or reply (linux/icmp.h pulls in libc headers). */
struct echo_hdr {
	__u8 type;
	__u8 code;
	__sum16 checksum;
	__be16 id;
	__be16 sequence;
};

/* An echo request or reply: its identifier as the client's port (the checksum covers no address). */
static __always_inline int parse_echo(struct echo_hdr *icmp, void *end, struct flow *f, struct iphdr *ip)
{
	if ((void *)(icmp + 1) > end)
		return -1;
	f->saddr = ip->saddr;
	f->daddr = ip->daddr;
	if (icmp->type == ICMP_ECHO) {
		f->sport = icmp->id;
		f->dport = 0;
	} else if (icmp->type == ICMP_ECHOREPLY) {
		f->sport = 0;
		f->dport = icmp->id;
	} else {
		return -1;
	}
	return 0;
}

/* Fills f for an unfragmented TCP, UDP or ICMP echo over IPv4 packet; returns 0, or -1 for anything else. */
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
	else if (f->proto == IPPROTO_ICMP)
		return parse_echo(data + f->l4_off, end, f, ip);
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
 * checksums, and keep a UDP checksum of 0 meaning "none". An ICMP echo has
 * no port and its checksum no pseudo header: only the address changes.
 */
static __always_inline int rewrite(struct __sk_buff *skb, const struct flow *f, int source,
				   __be32 old_ip, __be32 new_ip, __be16 old_port, __be16 new_port)
{
	__u32 ip_field = sizeof(struct ethhdr) + (source ? offsetof(struct iphdr, saddr) : offsetof(struct iphdr, daddr));
	__u32 port_field = f->l4_off + (source ? 0 : sizeof(__be16));
	__u64 l4_flags = f->proto == IPPROTO_UDP ? BPF_F_MARK_MANGLED_0 : 0;

	if (f->proto == IPPROTO_ICMP)
		return bpf_l3_csum_replace(skb, sizeof(struct ethhdr) + offsetof(struct iphdr, check), old_ip, new_ip, 4) ||
			       bpf_skb_store_bytes(skb, ip_field, &new_ip, 4, 0)
			   ? -1
			   : 0;
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

/* The backend the service's slot table gives a flow, or NULL. */
static __always_inline struct lb_backend *slot_backend(const struct lb_service *svc, const struct flow *request)
{
	__u32 slot, *index;

	if (svc->id >= MAX_SERVICES)
		return NULL;
	slot = svc->id * SLOTS + flow_hash(request) % SLOTS;
	index = bpf_map_lookup_elem(&lb_slots, &slot);
	if (!index || *index >= MAX_BACKENDS || *index >= svc->backend_count)
		return NULL;
	slot = svc->id * MAX_BACKENDS + *index;
	return bpf_map_lookup_elem(&lb_backends, &slot);
}

static __always_inline void flow_key(struct session_key *k, __be32 client_ip, __be32 other_ip, __be16 client_port,
				     __be16 other_port, __u8 proto, __u8 dir)
{
	k->client_ip = client_ip;
	k->backend_ip = other_ip;
	k->client_port = client_port;
	k->backend_port = other_port;
	k->proto = proto;
	k->dir = dir;
}

static __always_inline struct lb_service *service_of(__be32 vip, __be16 port, __u8 proto)
{
	struct svc_key k = {.vip = vip, .port = port, .proto = proto};

	return bpf_map_lookup_elem(&lb_services, &k);
}

SEC("tc")
int lb_ingress(struct __sk_buff *skb)
{
	struct flow f = {};
	struct lb_service *svc;
	struct lb_backend *be;
	struct session_key request = {}, reply = {};
	struct session *pinned;
	__be32 backend_ip;
	__be16 backend_port;

	if (parse(skb, &f))
		return TC_ACT_OK;
	svc = service_of(f.daddr, f.dport, f.proto);
	if (!svc)
		return TC_ACT_OK;
	flow_key(&request, f.saddr, f.daddr, f.sport, f.dport, f.proto, DIR_REQUEST);
	/* A known flow keeps its backend whatever the slot table says now: the table decides new flows only. */
	pinned = bpf_map_lookup_elem(&lb_sessions, &request);
	if (pinned) {
		backend_ip = pinned->ip;
		backend_port = pinned->port;
	} else {
		be = slot_backend(svc, &f);
		if (!be || !be->ip) {
			count(LB_NO_BACKEND);
			return TC_ACT_SHOT;
		}
		backend_ip = be->ip;
		backend_port = f.proto == IPPROTO_ICMP ? 0 : be->port; /* an echo keeps its identifier */
		struct session to_backend = {.ip = backend_ip, .port = backend_port, .created_ns = bpf_ktime_get_ns()};
		struct session to_vip = {.ip = f.daddr, .port = f.dport, .created_ns = to_backend.created_ns};

		flow_key(&reply, f.saddr, backend_ip, f.sport, backend_port, f.proto, DIR_REPLY);
		/* Reply direction first: once the request direction is there, later packets skip this. */
		if (mapsync_update(&lb_sessions, &reply, &to_vip, BPF_ANY) == 0 &&
		    mapsync_update(&lb_sessions, &request, &to_backend, BPF_NOEXIST) == 0)
			count(LB_SESSIONS_CREATED);
		else
			count(LB_SESSIONS_FAILED);
	}
	if (rewrite(skb, &f, 0, f.daddr, backend_ip, f.dport, backend_port))
		return TC_ACT_SHOT;
	count(LB_FORWARDED);
	return TC_ACT_OK;
}

/* Would a request from the reply's client address and port to the service have been given the reply's sender? */
static __always_inline int slot_picks_sender(const struct svc_key *service, const struct lb_service *svc,
					     const struct flow *reply)
{
	struct flow request = {
		.saddr = reply->daddr, .daddr = service->vip, .sport = reply->dport, .dport = service->port, .proto = reply->proto,
	};
	struct lb_backend *be = slot_backend(svc, &request);

	return be && be->ip == reply->saddr && be->port == reply->sport;
}

/* A backend's reply this host has no session for (yet): derive it, drop it, or (LB_DERIVE off, lbrp's way) pass it. */
static __always_inline int no_session(struct __sk_buff *skb, const struct flow *f)
{
	struct origin_key o = {.ip = f->saddr, .port = f->sport, .proto = f->proto};
	struct svc_key *service = bpf_map_lookup_elem(&lb_origins, &o);
	struct lb_service *svc;

	if (!service)
		return TC_ACT_OK; /* not a reply of a service's backend (ICMP echo replies never are: see above) */
	svc = bpf_map_lookup_elem(&lb_services, service);
	if (!svc)
		return TC_ACT_OK;
	if (!(svc->flags & LB_DERIVE)) {
		count(LB_REPLIES_UNKNOWN);
		return TC_ACT_OK;
	}
	if (!slot_picks_sender(service, svc, f)) {
		/* The slot table changed since the flow began and its session has not arrived: the sender retransmits. */
		count(LB_REPLIES_DROPPED);
		return TC_ACT_SHOT;
	}
	if (rewrite(skb, f, 1, f->saddr, service->vip, f->sport, service->port))
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
	flow_key(&key, f.daddr, f.saddr, f.dport, f.sport, f.proto, DIR_REPLY);
	s = bpf_map_lookup_elem(&lb_sessions, &key);
	if (!s)
		return no_session(skb, &f);
	if (rewrite(skb, &f, 1, f.saddr, s->ip, f.sport, s->port))
		return TC_ACT_SHOT;
	count(LB_REPLIES_TRANSLATED);
	return TC_ACT_OK;
}
