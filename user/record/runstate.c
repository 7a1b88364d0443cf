// SPDX-License-Identifier: GPL-2.0
/* Names for a run's outcome and lost-event counters (runstate.h). */
#include "record/runstate.h"

const char *outcome_name(enum bt_outcome o)
{
	static const char *const names[] = {
		[BT_RUNNING] = "running",	  [BT_COMPLETED] = "completed",
		[BT_FAILED] = "failed",		  [BT_KILLED] = "killed",
		[BT_OOM_KILLED] = "oom_killed",	  [BT_DETACHED] = "detached",
		[BT_TRACER_ERROR] = "tracer_error",
	};
	return names[o];
}

const char *lost_source_name(enum bt_stat idx)
{
	static const char *const names[BT_STAT_MAX] = {
		[BT_STAT_RB_DROPS] = "ringbuf",
		[BT_STAT_PROCS_FULL] = "procs_map_full",
		[BT_STAT_THREADS_FULL] = "threads_map_full",
		[BT_STAT_CALL_DROPS] = "calls_ringbuf",
		[BT_STAT_DEPTH_FULL] = "call_depth",
		[BT_STAT_STORAGE_FULL] = "call_stack_alloc",
		[BT_STAT_PY_FULL] = "python_functions_full",
		/* BT_STAT_UNWOUND: calls that never returned are not lost data */
	};
	return idx < BT_STAT_MAX ? names[idx] : NULL;
}

__u64 run__lost_total(const struct run *r)
{
	__u64 n = 0;
	int i;

	for (i = 0; i < BT_STAT_MAX; i++)
		if (lost_source_name(i))
			n += r->lost[i];
	return n;
}
