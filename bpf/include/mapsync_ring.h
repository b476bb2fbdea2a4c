/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The producer half of the wake-up protocol shared by every ring the agent
 * reads (see RingReader on the Java side for the consumer half).
 */
#ifndef MAPSYNC_RING_H
#define MAPSYNC_RING_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "mapsync_event.h"

/*
 * Records go out with BPF_RB_NO_WAKEUP: a reader that is polling needs no
 * wake-up, and a wake-up per record costs ~5 us. Only if the reader said it
 * is going to sleep do we wake it, with an empty discarded record. The
 * atomic read is a full barrier ordered after the record moved the producer
 * position: either the reader sees the record before it sleeps or we see
 * its flag.
 */
static __always_inline void mapsync_wake_if_sleeping(void *ring, struct mapsync_state *st)
{
	__u32 zero = 0;
	void *r;

	/* Hide the zero from clang, which would turn an add of 0 into a plain load. */
	asm volatile("" : "+r"(zero));
	if (!__sync_fetch_and_add(&st->consumer_sleeping, zero))
		return;
	r = bpf_ringbuf_reserve(ring, 8, 0);
	if (r)
		bpf_ringbuf_discard(r, BPF_RB_FORCE_WAKEUP);
}

#endif
