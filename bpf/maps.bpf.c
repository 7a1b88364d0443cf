// SPDX-License-Identifier: GPL-2.0
/* The single definition of every map and global (see common.bpf.h). */
#define BT_DEFINE_GLOBALS
#include "common.bpf.h"

char LICENSE[] SEC("license") = "GPL";
