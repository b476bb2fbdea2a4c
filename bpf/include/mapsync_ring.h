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
 * Call after a record was submitted with BPF_RB_NO_WAKEUP. A reader that is
 * polling needs no wake-up, and a wake-up per record costs ~5 us. Only if
 * the reader said it is going to sleep do we wake it, with an empty
 * discarded record. Ordering: the submit's xchg on the record header is a
 * full barrier (x86-64) between the producer position moving and this read
 * of the flag; the reader sets the flag, fences, then reads the producer
 * position. So either the reader sees the record before it sleeps or we see
 * its flag (a Dekker handshake; the other half is in CaptureLoop.sleep).
 */
static __always_inline void mapsync_wake_if_sleeping(void *ring, struct mapsync_state *st)
{
	void *r;

	if (!*(volatile __u32 *)&st->consumer_sleeping)
		return;
	r = bpf_ringbuf_reserve(ring, 8, 0);
	if (r)
		bpf_ringbuf_discard(r, BPF_RB_FORCE_WAKEUP);
}

#endif
