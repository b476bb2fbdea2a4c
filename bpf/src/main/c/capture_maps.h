/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Maps shared by the capture programs. The syscall and fentry objects both
 * declare them; the loader makes the fentry object reuse the syscall
 * object's maps so every tier writes to one ring and reads one watch list.
 */
#ifndef MAPSYNC_CAPTURE_MAPS_H
#define MAPSYNC_CAPTURE_MAPS_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "mapsync_ring.h"

/* What the agent watches, by kernel map id. */
struct watch {
	__u32 key_size;
	__u32 value_size; /* as bpf() returns it: per-CPU values are all CPUs' */
	__u32 tiers;      /* MAPSYNC_TIER_* bits */
	__u32 pad;
	__u64 drops;      /* records of this map lost to a full ring */
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 24); /* the loader sets the configured size */
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct mapsync_state);
} state SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct watch);
} watched SEC(".maps");

/* Room to assemble one record before bpf_ringbuf_output copies it. */
struct scratch {
	struct mapsync_event hdr;
	__u8 data[2 * MAPSYNC_INLINE_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch SEC(".maps");

static __always_inline struct mapsync_state *capture_state(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&state, &zero);
}

static __always_inline void count_drop(struct mapsync_state *st, struct watch *w)
{
	__sync_fetch_and_add(&st->drops, 1);
	__sync_fetch_and_add(&w->drops, 1);
}

/* Publishes the record assembled in s, or counts it as dropped. */
static __always_inline void publish(struct mapsync_state *st, struct watch *w, struct scratch *s)
{
	__u64 len = sizeof(s->hdr) + MAPSYNC_ROUND8(s->hdr.key_len) + s->hdr.value_len;

	if (len > sizeof(*s) || bpf_ringbuf_output(&events, s, len, BPF_RB_NO_WAKEUP))
		count_drop(st, w);
	else
		mapsync_wake_if_sleeping(&events, st);
}

#endif
