// SPDX-License-Identifier: GPL-2.0 OR Apache-2.0
/*
 * Syscall tier: sees every update and delete made through bpf(2), single and
 * batch, by any process except the agent, and reports it only if the kernel
 * says it succeeded.
 *
 * The work happens at sys_exit, where the call's arguments are still in the
 * saved user registers: one program run per call instead of two and no map
 * to carry state between them, which halves the added cost per update.
 * sys_enter only keeps the caller's batch count, because the kernel
 * overwrites it and a failed batch needs it (see batch_done).
 */
#include "kernel_types.h"
#include "capture_maps.h"
#include <bpf/bpf_core_read.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define ENOENT 2

/* Layout of the syscalls:sys_{enter,exit}_bpf tracepoint records. */
struct enter_args {
	__u64 common;
	__s64 syscall_nr;
	__u64 cmd;
	__u64 uattr;
	__u64 size;
};

struct exit_args {
	__u64 common;
	__s64 syscall_nr;
	__s64 ret;
};

/* The parts of union bpf_attr we read, as the caller laid them out. */
struct elem_attr {
	__u32 map_fd;
	__u32 pad;
	__u64 key;
	__u64 value;
	__u64 flags;
};

struct batch_attr {
	__u64 in_batch;
	__u64 out_batch;
	__u64 keys;
	__u64 values;
	__u32 count;
	__u32 map_fd;
};

/* The caller's count of a batch call, from sys_enter to sys_exit. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u64); /* pid_tgid: one bpf() in flight per thread */
	__type(value, __u32);
} batch_count SEC(".maps");

static __always_inline int is_batch(__u64 cmd)
{
	return cmd == BPF_MAP_UPDATE_BATCH || cmd == BPF_MAP_DELETE_BATCH ||
	       cmd == BPF_MAP_LOOKUP_AND_DELETE_BATCH;
}

static __always_inline int is_captured(__u64 cmd)
{
	return cmd == BPF_MAP_UPDATE_ELEM || cmd == BPF_MAP_DELETE_ELEM ||
	       cmd == BPF_MAP_LOOKUP_AND_DELETE_ELEM || is_batch(cmd);
}

/* task->files->fdt->fd[fd]->private_data->id, or 0. */
static __always_inline __u32 map_id_of_fd(struct task_struct *task, __u32 fd)
{
	struct fdtable *fdt = task->files->fdt;
	struct file *file = NULL;
	struct bpf_map *map;

	if (!fdt || fd >= fdt->max_fds)
		return 0;
	bpf_probe_read_kernel(&file, sizeof(file), &fdt->fd[fd]);
	if (!file)
		return 0;
	map = BPF_CORE_READ(file, private_data);
	return map ? BPF_CORE_READ(map, id) : 0;
}

SEC("tracepoint/syscalls/sys_enter_bpf")
int on_bpf_enter(struct enter_args *ctx)
{
	struct batch_attr *attr = (void *)ctx->uattr;
	__u64 id;
	__u32 count = 0;

	if (!is_batch(ctx->cmd))
		return 0;
	bpf_probe_read_user(&count, sizeof(count), &attr->count);
	id = bpf_get_current_pid_tgid();
	bpf_map_update_elem(&batch_count, &id, &count, BPF_ANY);
	return 0;
}

/* Copies one element from user memory into a record and publishes it. */
static __always_inline void report(struct mapsync_state *st, struct watch *w, __u32 map_id,
				   __u32 tgid, __u8 op, __u64 key, __u64 value, __u8 flags)
{
	__u32 zero = 0, ks = w->key_size, vs = w->value_size, max = st->inline_max;
	struct scratch *s = bpf_map_lookup_elem(&scratch, &zero);

	if (!s)
		return;
	s->hdr.ts_ns = bpf_ktime_get_ns();
	s->hdr.map_id = map_id;
	s->hdr.tgid = tgid;
	s->hdr.op = op;
	s->hdr.tier = MAPSYNC_TIER_SYSCALL;
	s->hdr.flags = flags;
	s->hdr.key_len = 0;
	s->hdr.value_len = 0;
	if (flags || ks > max || ks > MAPSYNC_INLINE_MAX || bpf_probe_read_user(s->data, ks, (void *)key)) {
		s->hdr.flags = MAPSYNC_F_KEY_MISSING;
		publish(st, w, s);
		return;
	}
	s->hdr.key_len = ks;
	if (op == MAPSYNC_OP_PUT) {
		__u32 off = MAPSYNC_ROUND8(ks);

		if (vs > max || vs > MAPSYNC_INLINE_MAX || off > MAPSYNC_INLINE_MAX ||
		    bpf_probe_read_user(s->data + off, vs, (void *)value))
			s->hdr.flags = MAPSYNC_F_VALUE_LOOKUP;
		else
			s->hdr.value_len = vs;
	}
	publish(st, w, s);
}

struct batch_ctx {
	__u64 keys;
	__u64 values;
	__u32 map_id;
	__u32 tgid;
	__u8 op;
};

static long report_one(__u32 i, struct batch_ctx *c)
{
	struct mapsync_state *st = capture_state();
	struct watch *w = bpf_map_lookup_elem(&watched, &c->map_id);

	if (!st || !w)
		return 1;
	report(st, w, c->map_id, c->tgid, c->op, c->keys + (__u64)i * w->key_size,
	       c->values + (__u64)i * w->value_size, 0);
	return 0;
}

/*
 * How many elements of a batch call the kernel did, or -1 when that cannot
 * be known (Java then rescans the map). The kernel writes the count back
 * even when it fails part-way; when it fails before starting, the count is
 * left as the caller set it.
 */
static __always_inline __s64 batch_done(__u64 cmd, __u32 count, __s64 ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 *before = bpf_map_lookup_elem(&batch_count, &id);
	__u32 caller = before ? *before : 0;

	if (before)
		bpf_map_delete_elem(&batch_count, &id);
	if (ret == 0 || (ret == -ENOENT && cmd == BPF_MAP_LOOKUP_AND_DELETE_BATCH))
		return count;
	if (cmd == BPF_MAP_LOOKUP_AND_DELETE_BATCH)
		return 0;
	if (!before)
		return -1;
	return count < caller ? count : 0;
}

SEC("tracepoint/syscalls/sys_exit_bpf")
int on_bpf_exit(struct exit_args *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);
	__u64 cmd = regs->di, uattr = regs->si;
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct mapsync_state *st;
	struct watch *w;
	__u32 map_id;

	if (!is_captured(cmd))
		return 0;
	st = capture_state();
	if (!st || tgid == st->agent_tgid)
		return 0;
	if (is_batch(cmd)) {
		struct batch_attr a = {};
		struct batch_ctx c = {};
		__s64 n;

		if (bpf_probe_read_user(&a, sizeof(a), (void *)uattr))
			return 0;
		map_id = map_id_of_fd(task, a.map_fd);
		w = map_id ? bpf_map_lookup_elem(&watched, &map_id) : NULL;
		if (!w || !(w->tiers & MAPSYNC_TIER_SYSCALL))
			return 0;
		n = batch_done(cmd, a.count, ctx->ret); /* read after the kernel wrote it back */
		if (n < 0) {
			report(st, w, map_id, tgid, MAPSYNC_OP_PUT, 0, 0, MAPSYNC_F_KEY_MISSING);
			return 0;
		}
		c.keys = a.keys;
		c.values = a.values;
		c.map_id = map_id;
		c.tgid = tgid;
		c.op = cmd == BPF_MAP_UPDATE_BATCH ? MAPSYNC_OP_PUT : MAPSYNC_OP_DELETE;
		bpf_loop(n, report_one, &c, 0);
	} else if (ctx->ret == 0) {
		struct elem_attr a;

		if (bpf_probe_read_user(&a, sizeof(a), (void *)uattr))
			return 0;
		map_id = map_id_of_fd(task, a.map_fd);
		w = map_id ? bpf_map_lookup_elem(&watched, &map_id) : NULL;
		if (!w || !(w->tiers & MAPSYNC_TIER_SYSCALL))
			return 0;
		report(st, w, map_id, tgid, cmd == BPF_MAP_UPDATE_ELEM ? MAPSYNC_OP_PUT : MAPSYNC_OP_DELETE,
		       a.key, a.value, 0);
	}
	return 0;
}
