/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The few kernel structures the capture programs read, declared with
 * preserve_access_index so libbpf relocates every field access against the
 * running kernel's BTF (CO-RE). This replaces a 3 MB generated vmlinux.h.
 * Only the fields used are declared; the order and offsets do not matter.
 */
#ifndef MAPSYNC_KERNEL_TYPES_H
#define MAPSYNC_KERNEL_TYPES_H

#include <linux/types.h>
#include <linux/bpf.h>

struct bpf_map {
	enum bpf_map_type map_type;
	__u32 key_size;
	__u32 value_size;
	__u32 id;
} __attribute__((preserve_access_index));

struct file {
	void *private_data;
} __attribute__((preserve_access_index));

struct fdtable {
	unsigned int max_fds;
	struct file **fd;
} __attribute__((preserve_access_index));

struct files_struct {
	struct fdtable *fdt;
} __attribute__((preserve_access_index));

struct task_struct {
	struct files_struct *files;
} __attribute__((preserve_access_index));

/* The saved user registers: at sys_exit they still hold the syscall's arguments. */
struct pt_regs {
	unsigned long di;
	unsigned long si;
	unsigned long orig_ax;
} __attribute__((preserve_access_index));

/* x86-64 syscall number of bpf(2), as pt_regs.orig_ax holds it inside the call. */
#define NR_BPF 321

#endif
