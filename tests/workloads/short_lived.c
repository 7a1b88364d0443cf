// SPDX-License-Identifier: GPL-2.0
/*
 * short_lived
 *
 * Burns ~1 ms of CPU and exits 0: a process that lives far shorter than any
 * sampling interval, which must still get its samples.csv row.
 */
#include "report.h"

int main(void)
{
	burn_cpu_ns(1000000);
	report_write(0, NULL);
	return 0;
}
