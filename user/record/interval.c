// SPDX-License-Identifier: GPL-2.0
#include "record/interval.h"

void interval__init(struct interval *iv, __u64 fixed_ns)
{
	iv->fixed = fixed_ns != 0;
	iv->ns = fixed_ns ? fixed_ns : BT_AUTO_FIRST_NS;
	iv->ticks = 0;
}

bool interval__tick(struct interval *iv)
{
	if (iv->fixed || iv->ns >= BT_AUTO_MAX_NS || ++iv->ticks < BT_AUTO_PER_LEVEL)
		return false;
	iv->ticks = 0;
	iv->ns = iv->ns * 2 > BT_AUTO_MAX_NS ? BT_AUTO_MAX_NS : iv->ns * 2;
	return true;
}
