// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/parse.h"

/* isdigit() depends on the locale and takes an int: be explicit. */
static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Parse exactly s[0..len) as an unsigned decimal. */
static int parse_u64_span(const char *s, size_t len, __u64 min, __u64 max, __u64 *out)
{
	bool overflow = false;
	__u64 v = 0;
	size_t i;

	if (!s || len == 0)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		unsigned int d;

		if (!is_digit(s[i]))
			return -EINVAL;
		d = (unsigned int)(s[i] - '0');
		/* Keep scanning after an overflow: "99999999999999999999x" is -EINVAL. */
		if (v > (UINT64_MAX - d) / 10)
			overflow = true;
		else
			v = v * 10 + d;
	}
	if (overflow || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int parse_u64(const char *s, __u64 min, __u64 max, __u64 *out)
{
	if (!s)
		return -EINVAL;
	return parse_u64_span(s, strlen(s), min, max, out);
}

int parse_fixed(const char *s, unsigned int decimals, __u64 *out)
{
	const char *dot = s ? strchr(s, '.') : NULL;
	__u64 ip, frac = 0, scale = 1;
	size_t frac_len = 0, i;
	int err;

	if (!s || decimals > 19)
		return -EINVAL;
	/* Syntax first, so that garbage is -EINVAL even when it is also huge. */
	if (dot) {
		frac_len = strlen(dot + 1);
		if (frac_len == 0 || frac_len > decimals)
			return -EINVAL;
		for (i = 1; i <= frac_len; i++) {
			if (!is_digit(dot[i]))
				return -EINVAL;
			frac = frac * 10 + (__u64)(dot[i] - '0');
		}
	}
	err = parse_u64_span(s, dot ? (size_t)(dot - s) : strlen(s), 0, UINT64_MAX, &ip);
	if (err)
		return err;
	for (i = 0; i < decimals; i++)
		scale *= 10;
	for (i = frac_len; i < decimals; i++)
		frac *= 10;
	if (ip > (UINT64_MAX - frac) / scale)
		return -ERANGE;
	*out = ip * scale + frac;
	return 0;
}

int parse_pid(const char *s, pid_t *pid)
{
	__u64 v;
	int err;

	err = parse_u64(s, 1, BT_PID_MAX, &v);
	if (err)
		return err;
	*pid = (pid_t)v;
	return 0;
}

int parse_pid_list(const char *s, pid_t *pids, int max, int *n)
{
	const char *p = s;
	int count = 0;

	if (!s || max < 0)
		return -EINVAL;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		bool dup = false;
		__u64 v;
		int err, i;

		err = parse_u64_span(p, len, 1, BT_PID_MAX, &v);
		if (err)
			return err;
		for (i = 0; i < count; i++) {
			if (pids[i] == (pid_t)v) {
				dup = true;
				break;
			}
		}
		if (!dup) {
			if (count >= max)
				return -E2BIG;
			pids[count++] = (pid_t)v;
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	*n = count;
	return 0;
}

static const struct {
	const char *suffix;
	__u64 ns;
} duration_units[] = {
    /* Largest first: format_duration() picks the first that divides. */
    {"h", 3600ULL * 1000000000ULL},
    {"m", 60ULL * 1000000000ULL},
    {"s", 1000000000ULL},
    {"ms", 1000000ULL},
    {"us", 1000ULL},
    {"ns", 1ULL},
};

int parse_duration(const char *s, __u64 *ns)
{
	typedef unsigned __int128 u128;
	const char *int_start, *frac_start = NULL, *suffix;
	size_t int_len, frac_len = 0, i;
	__u64 mult = 0, ip, frac = 0, pow10 = 1;
	u128 total, frac_ns;
	int err;

	if (!s || !is_digit(*s))
		return -EINVAL;

	/* Syntax first, so that garbage is -EINVAL even when it is also huge. */
	int_start = s;
	while (is_digit(*s))
		s++;
	int_len = (size_t)(s - int_start);
	if (*s == '.') {
		s++;
		frac_start = s;
		while (is_digit(*s))
			s++;
		frac_len = (size_t)(s - frac_start);
		if (frac_len == 0)
			return -EINVAL;
	}
	suffix = s;
	if (*suffix == '\0') {
		mult = 1000000000ULL;
	} else {
		for (i = 0; i < sizeof(duration_units) / sizeof(duration_units[0]); i++) {
			if (strcmp(suffix, duration_units[i].suffix) == 0) {
				mult = duration_units[i].ns;
				break;
			}
		}
		if (!mult)
			return -EINVAL;
	}

	err = parse_u64_span(int_start, int_len, 0, UINT64_MAX, &ip);
	if (err)
		return err;

	/* Trailing zeros of the fraction carry no value ("1.500000000000s"). */
	while (frac_len > 0 && frac_start[frac_len - 1] == '0')
		frac_len--;
	/*
	 * A fraction whose last significant digit is non-zero and that has more
	 * than 19 digits can never be a whole number of ns: the largest unit is
	 * 2^13 * 3^2 * 5^11 ns.  With at most 19 digits it fits in a u64.
	 */
	if (frac_len > 19)
		return -EINVAL;
	for (i = 0; i < frac_len; i++) {
		frac = frac * 10 + (__u64)(frac_start[i] - '0');
		pow10 *= 10;
	}

	frac_ns = (u128)frac * mult;
	if (frac_ns % pow10)
		return -EINVAL; /* finer than a nanosecond */
	total = (u128)ip * mult + frac_ns / pow10;
	if (total > UINT64_MAX)
		return -ERANGE;
	if (total == 0)
		return -ERANGE;
	*ns = (__u64)total;
	return 0;
}

int format_duration(__u64 ns, char *buf, size_t len)
{
	const char *suffix = "s";
	__u64 v = 0;
	size_t i;
	int n;

	if (ns) {
		for (i = 0; i < sizeof(duration_units) / sizeof(duration_units[0]); i++) {
			if (ns % duration_units[i].ns == 0) {
				v = ns / duration_units[i].ns;
				suffix = duration_units[i].suffix;
				break;
			}
		}
	}
	n = snprintf(buf, len, "%llu%s", (unsigned long long)v, suffix);
	if (n < 0 || (size_t)n >= len) {
		if (len > 0)
			buf[0] = '\0';
		return -ENOSPC;
	}
	return n;
}
