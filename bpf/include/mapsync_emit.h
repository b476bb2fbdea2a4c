/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Emit tier, for network-function authors: include this header and write
 * through mapsync_update()/mapsync_delete() instead of bpf_map_update_elem()/
 * bpf_map_delete_elem(). Each successful write is also published on a ring
 * buffer that the mapsync agent reads, so datapath writes are captured at
 * once, with no scan and no tracing program.
 *
 *   #include "mapsync_emit.h"
 *   mapsync_update(&sessions, &key, &val, BPF_ANY);
 *
 * The ring (mapsync_ring) and its state block (mapsync_state) are pinned by
 * name under the object's pin root (default /sys/fs/bpf): every network
 * function on the host shares them, and the agent opens them from there.
 * Keys and values must be fixed-size objects (sizeof is taken).
 */
#ifndef MAPSYNC_EMIT_H
#define MAPSYNC_EMIT_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "mapsync_event.h"
#include "mapsync_ring.h"

#ifndef MAPSYNC_EMIT_RING_SIZE
#define MAPSYNC_EMIT_RING_SIZE (1 << 22)
#endif

/* The fields of the kernel's struct bpf_map we read, relocated by CO-RE. */
struct bpf_map___mapsync {
	__u32 id;
	enum bpf_map_type map_type;
} __attribute__((preserve_access_index));

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, MAPSYNC_EMIT_RING_SIZE);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mapsync_ring SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct mapsync_state);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} mapsync_state SEC(".maps");

static __always_inline void mapsync__emit(void *map, const void *key, __u32 ks, const void *value,
					  __u32 vs, __u8 op)
{
	struct bpf_map___mapsync *m = map;
	__u32 zero = 0, type = m->map_type;
	struct mapsync_state *st = bpf_map_lookup_elem(&mapsync_state, &zero);
	struct mapsync_event *e;

	if (!st)
		return;
	e = bpf_ringbuf_reserve(&mapsync_ring, sizeof(*e) + MAPSYNC_ROUND8(ks) + vs, 0);
	if (!e) {
		__sync_fetch_and_add(&st->drops, 1);
		return;
	}
	e->ts_ns = bpf_ktime_get_ns();
	e->map_id = m->id;
	e->tgid = bpf_get_current_pid_tgid() >> 32;
	e->key_len = ks;
	e->value_len = 0;
	e->op = op;
	e->tier = MAPSYNC_TIER_EMIT;
	e->flags = 0;
	e->pad = 0;
	e->pad2 = 0;
	__builtin_memcpy((void *)(e + 1), key, ks);
	if (op == MAPSYNC_OP_PUT) {
		/* A per-CPU write changes one CPU's slot; the agent reads all of them. */
		if (type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_LRU_PERCPU_HASH ||
		    type == BPF_MAP_TYPE_PERCPU_ARRAY) {
			e->flags = MAPSYNC_F_VALUE_LOOKUP;
		} else {
			__builtin_memcpy((char *)(e + 1) + MAPSYNC_ROUND8(ks), value, vs);
			e->value_len = vs;
		}
	}
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
	mapsync_wake_if_sleeping(&mapsync_ring, st);
}

/* bpf_map_update_elem() that also tells the agent. Returns the helper's result. */
#define mapsync_update(map, key, value, flags)                                              \
	({                                                                                  \
		long __ms_ret = bpf_map_update_elem((map), (key), (value), (flags));        \
		if (__ms_ret == 0)                                                          \
			mapsync__emit((map), (key), sizeof(*(key)), (value), sizeof(*(value)), \
				      MAPSYNC_OP_PUT);                                      \
		__ms_ret;                                                                   \
	})

/* bpf_map_delete_elem() that also tells the agent. Returns the helper's result. */
#define mapsync_delete(map, key)                                                        \
	({                                                                              \
		long __ms_ret = bpf_map_delete_elem((map), (key));                      \
		if (__ms_ret == 0)                                                      \
			mapsync__emit((map), (key), sizeof(*(key)), (void *)0, 0,       \
				      MAPSYNC_OP_DELETE);                               \
		__ms_ret;                                                               \
	})

#endif
