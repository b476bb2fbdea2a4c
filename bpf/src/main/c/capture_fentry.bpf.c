// SPDX-License-Identifier: GPL-2.0 OR Apache-2.0
/*
 * fentry tier: fexit on the kernel's hash, LRU, per-CPU and array update and
 * delete functions. Unlike the syscall tier it sees writes that BPF programs
 * make from the datapath. The loader makes this object reuse the syscall
 * object's maps; many kernels (lockdown, LSMs) refuse tracing programs, and
 * the loader then falls back to the scan tier.
 */
#include "kernel_types.h"
#include "capture_maps.h"
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

static __always_inline int is_percpu(__u32 type)
{
	return type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_LRU_PERCPU_HASH ||
	       type == BPF_MAP_TYPE_PERCPU_ARRAY;
}

static __always_inline void capture(struct bpf_map *map, void *key, void *value, __u8 op)
{
	__u32 zero = 0, id = map->id, ks, vs;
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct task_struct *task = bpf_get_current_task_btf();
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);
	struct mapsync_state *st;
	struct scratch *s;
	struct watch *w;

	w = bpf_map_lookup_elem(&watched, &id);
	st = capture_state();
	if (!w || !st || !(w->tiers & MAPSYNC_TIER_FENTRY))
		return;
	/*
	 * Inside a bpf() call: the agent's own write, or one the syscall tier
	 * reports. (A softirq that interrupts such a call is taken for it too:
	 * the documented blind spot of this tier.)
	 */
	if (regs->orig_ax == NR_BPF && ((pid_tgid >> 32) == st->agent_tgid || (w->tiers & MAPSYNC_TIER_SYSCALL)))
		return;
	s = bpf_map_lookup_elem(&scratch, &zero);
	if (!s)
		return;
	ks = map->key_size;
	vs = map->value_size;
	s->hdr.ts_ns = bpf_ktime_get_ns();
	s->hdr.map_id = id;
	s->hdr.tgid = pid_tgid >> 32;
	s->hdr.op = op;
	s->hdr.tier = MAPSYNC_TIER_FENTRY;
	s->hdr.flags = 0;
	s->hdr.key_len = 0;
	s->hdr.value_len = 0;
	if (ks > st->inline_max || ks > MAPSYNC_INLINE_MAX || bpf_probe_read_kernel(s->data, ks, key)) {
		s->hdr.flags = MAPSYNC_F_KEY_MISSING;
	} else {
		__u32 off = MAPSYNC_ROUND8(ks);

		s->hdr.key_len = ks;
		if (op == MAPSYNC_OP_PUT) {
			/* A per-CPU write from BPF changes one CPU's slot; Java reads all of them. */
			if (is_percpu(map->map_type) || vs > st->inline_max || vs > MAPSYNC_INLINE_MAX ||
			    off > MAPSYNC_INLINE_MAX || bpf_probe_read_kernel(s->data + off, vs, value))
				s->hdr.flags = MAPSYNC_F_VALUE_LOOKUP;
			else
				s->hdr.value_len = vs;
		}
	}
	publish(st, w, s);
}

#define ON_UPDATE(fn)                                                                     \
	SEC("fexit/" #fn)                                                                 \
	int BPF_PROG(fexit_##fn, struct bpf_map *map, void *key, void *value, __u64 flags, \
		     long ret)                                                            \
	{                                                                                 \
		if (ret == 0)                                                             \
			capture(map, key, value, MAPSYNC_OP_PUT);                         \
		return 0;                                                                 \
	}

#define ON_DELETE(fn)                                                          \
	SEC("fexit/" #fn)                                                      \
	int BPF_PROG(fexit_##fn, struct bpf_map *map, void *key, long ret)     \
	{                                                                      \
		if (ret == 0)                                                  \
			capture(map, key, NULL, MAPSYNC_OP_DELETE);            \
		return 0;                                                      \
	}

ON_UPDATE(htab_map_update_elem)
ON_UPDATE(htab_lru_map_update_elem)
ON_UPDATE(htab_percpu_map_update_elem)
ON_UPDATE(htab_lru_percpu_map_update_elem)
ON_UPDATE(array_map_update_elem)
ON_DELETE(htab_map_delete_elem)
ON_DELETE(htab_lru_map_delete_elem)
