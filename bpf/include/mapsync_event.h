/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The record every capture tier writes to its ring buffer, and the state
 * word block the Java reader shares with the producers. This is a wire
 * format between BPF and Java (io.mapsync.bpf.internal.EventLayout):
 * change both sides together.
 */
#ifndef MAPSYNC_EVENT_H
#define MAPSYNC_EVENT_H

#include <linux/types.h>

#define MAPSYNC_OP_PUT 1
#define MAPSYNC_OP_DELETE 2

#define MAPSYNC_TIER_SYSCALL 1
#define MAPSYNC_TIER_FENTRY 2
#define MAPSYNC_TIER_EMIT 4

/* The value did not travel inline: Java reads it back with a lookup. */
#define MAPSYNC_F_VALUE_LOOKUP 1
/* The key did not travel inline: Java rescans the map. */
#define MAPSYNC_F_KEY_MISSING 2

/* Compile-time ceiling of inline key and value bytes; the agent may lower it. */
#define MAPSYNC_INLINE_MAX 512

struct mapsync_event {
	__u64 ts_ns;      /* bpf_ktime_get_ns() when the change was seen */
	__u32 map_id;
	__u32 tgid;       /* current process; in softirq, whichever was interrupted */
	__u32 key_len;    /* key bytes that follow this header */
	__u32 value_len;  /* value bytes after the key, at an 8-byte boundary */
	__u8 op;
	__u8 tier;
	__u8 flags;
	__u8 pad;
	__u32 pad2;
	/* key bytes, padding to 8, value bytes */
};

/*
 * One entry, memory-mapped by the Java reader (StateBlock). consumer_sleeping
 * implements the wake-up protocol: producers submit with BPF_RB_NO_WAKEUP
 * unless the reader announced it is about to sleep, so a busy reader costs
 * no wake-ups. Fields that change have a cache line each: the producers read
 * consumer_sleeping on every record, and a line they share with a counter
 * the reader polls would bounce between CPUs on every record.
 */
struct mapsync_state {
	__u32 agent_tgid;        /* changes made by this process are not captured */
	__u32 inline_max;        /* runtime ceiling on inline bytes, <= MAPSYNC_INLINE_MAX */
	__u32 consumer_sleeping __attribute__((aligned(64))); /* set by the reader before it blocks in poll() */
	__u64 drops __attribute__((aligned(64)));             /* records lost to a full ring, all maps */
};

#define MAPSYNC_ROUND8(n) (((n) + 7) & ~7)

#endif
