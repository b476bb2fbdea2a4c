// SPDX-License-Identifier: GPL-2.0 OR Apache-2.0
/*
 * Syscall tier: sees every update and delete made through bpf(2), single and
 * batch, by any process except the agent. sys_enter notes calls on watched
 * maps (the fd is resolved to the kernel map id here, while it is still the
 * caller's); sys_exit reports them only if the kernel says they succeeded.
 */
#include <stddef.h>
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

static __always_inline int is_batch(__u32 cmd)
{
	return cmd == BPF_MAP_UPDATE_BATCH || cmd == BPF_MAP_DELETE_BATCH ||
	       cmd == BPF_MAP_LOOKUP_AND_DELETE_BATCH;
}

static __always_inline int is_captured(__u32 cmd)
{
	return cmd == BPF_MAP_UPDATE_ELEM || cmd == BPF_MAP_DELETE_ELEM ||
	       cmd == BPF_MAP_LOOKUP_AND_DELETE_ELEM || is_batch(cmd);
}

/* task->files->fdt->fd[fd]->private_data->id, or 0. */
static __always_inline __u32 map_id_of_fd(__u32 fd)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds;
	struct file *file = NULL;
	struct bpf_map *map;

	if (!fdt || fd >= BPF_CORE_READ(fdt, max_fds))
		return 0;
	fds = BPF_CORE_READ(fdt, fd);
	bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]);
	if (!file)
		return 0;
	map = BPF_CORE_READ(file, private_data);
	return map ? BPF_CORE_READ(map, id) : 0;
}

SEC("tracepoint/syscalls/sys_enter_bpf")
int on_bpf_enter(struct enter_args *ctx)
{
	__u32 cmd = ctx->cmd;
	union bpf_attr *attr = (void *)ctx->uattr;
	struct pending p = {};
	struct watch *w;
	__u32 fd = 0;
	__u64 id;

	if (!is_captured(cmd))
		return 0;
	if (is_batch(cmd)) {
		bpf_probe_read_user(&fd, sizeof(fd), &attr->batch.map_fd);
		bpf_probe_read_user(&p.count, sizeof(p.count), &attr->batch.count);
	} else {
		bpf_probe_read_user(&fd, sizeof(fd), &attr->map_fd);
	}
	p.map_id = map_id_of_fd(fd);
	if (!p.map_id)
		return 0;
	w = bpf_map_lookup_elem(&watched, &p.map_id);
	if (!w || !(w->tiers & (MAPSYNC_TIER_SYSCALL | MAPSYNC_TIER_FENTRY)))
		return 0;
	p.attr = ctx->uattr;
	p.cmd = cmd;
	p.tgid = bpf_get_current_pid_tgid() >> 32;
	id = bpf_get_current_pid_tgid();
	bpf_map_update_elem(&pending, &id, &p, BPF_ANY);
	return 0;
}

/* Copies one element from user memory into a record and publishes it. */
static __always_inline void report(struct mapsync_state *st, struct watch *w, __u32 map_id,
				   __u32 tgid, __u8 op, __u64 key, __u64 value)
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
	s->hdr.flags = 0;
	s->hdr.key_len = 0;
	s->hdr.value_len = 0;
	if (ks > max || ks > MAPSYNC_INLINE_MAX) {
		s->hdr.flags = MAPSYNC_F_KEY_MISSING;
		publish(st, w, s);
		return;
	}
	if (bpf_probe_read_user(s->data, ks, (void *)key)) {
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
	       c->values + (__u64)i * w->value_size);
	return 0;
}

/* How many elements of a batch call the kernel reports as done. */
static __always_inline __u32 batch_done(struct pending *p, __s64 ret)
{
	union bpf_attr *attr = (void *)p->attr;
	__u32 count = 0;

	if (ret != 0 && !(ret == -ENOENT && p->cmd == BPF_MAP_LOOKUP_AND_DELETE_BATCH) &&
	    p->cmd != BPF_MAP_UPDATE_BATCH && p->cmd != BPF_MAP_DELETE_BATCH)
		return 0;
	bpf_probe_read_user(&count, sizeof(count), &attr->batch.count);
	/* On an early error the kernel leaves count as the caller set it. */
	if (ret != 0 && count >= p->count)
		return 0;
	return count;
}

SEC("tracepoint/syscalls/sys_exit_bpf")
int on_bpf_exit(struct exit_args *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct pending *pp = bpf_map_lookup_elem(&pending, &id);
	struct mapsync_state *st;
	union bpf_attr *attr;
	struct pending p;
	struct watch *w;

	if (!pp)
		return 0;
	p = *pp;
	bpf_map_delete_elem(&pending, &id);
	st = capture_state();
	w = bpf_map_lookup_elem(&watched, &p.map_id);
	if (!st || !w || p.tgid == st->agent_tgid || !(w->tiers & MAPSYNC_TIER_SYSCALL))
		return 0;
	attr = (void *)p.attr;
	if (is_batch(p.cmd)) {
		struct batch_ctx c = { .map_id = p.map_id, .tgid = p.tgid };
		__u32 n = batch_done(&p, ctx->ret);

		bpf_probe_read_user(&c.keys, sizeof(c.keys), &attr->batch.keys);
		bpf_probe_read_user(&c.values, sizeof(c.values), &attr->batch.values);
		c.op = p.cmd == BPF_MAP_UPDATE_BATCH ? MAPSYNC_OP_PUT : MAPSYNC_OP_DELETE;
		bpf_loop(n, report_one, &c, 0);
	} else if (ctx->ret == 0) {
		__u64 key = 0, value = 0;

		bpf_probe_read_user(&key, sizeof(key), &attr->key);
		bpf_probe_read_user(&value, sizeof(value), &attr->value);
		report(st, w, p.map_id, p.tgid,
		       p.cmd == BPF_MAP_UPDATE_ELEM ? MAPSYNC_OP_PUT : MAPSYNC_OP_DELETE, key, value);
	}
	return 0;
}
