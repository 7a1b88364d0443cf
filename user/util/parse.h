// SPDX-License-Identifier: GPL-2.0
/*
 * The one checked parser for numbers, PIDs and durations.
 *
 * Every parser takes the whole string or nothing: no leading or trailing
 * whitespace, no sign, no "0x" prefix, nothing after the value.  They return
 * 0 on success, -EINVAL when the text is malformed and -ERANGE when it is
 * well formed but out of range; the output is written only on success.
 * Callers turn the code into a message that names the option and the fix,
 * e.g. "bad duration '10parsecs' for -i (use e.g. " DURATION_EXAMPLES ")".
 */
#ifndef BT_PARSE_H
#define BT_PARSE_H

#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>

/* PID_MAX_LIMIT on 64-bit kernels: no PID is ever larger. */
#define BT_PID_MAX 4194304

#define DURATION_EXAMPLES "250ns, 500us, 10ms, 1.5s, 2m, 1h"

/* Enough for any format_duration() result ("18446744073709551615ns"). */
#define DURATION_STRLEN 24

/*
 * DIGITS[.DIGITS][SUFFIX], SUFFIX one of ns us ms s m h (lowercase); no
 * suffix means seconds.  Both sides of the '.' need a digit ("1." and ".5"
 * are rejected).  Computed in integers, so 1.1s is exactly 1100000000 ns.
 * -EINVAL: malformed, or finer than a nanosecond (0.5ns, 1.0000000001s).
 * -ERANGE: zero, or more than UINT64_MAX ns (about 584 years).
 */
int parse_duration(const char *s, __u64 *ns);

/* Decimal 1..BT_PID_MAX.  -ERANGE for 0 or too large. */
int parse_pid(const char *s, pid_t *pid);

/*
 * Comma-separated PIDs ("12,34").  Empty elements ("12,,3", "12,", ",12")
 * are -EINVAL; duplicates are dropped silently, keeping the first
 * occurrence's order; more than max distinct PIDs is -E2BIG.
 * On success pids[0..*n) holds the list.
 */
int parse_pid_list(const char *s, pid_t *pids, int max, int *n);

/* Decimal in [min, max]; -ERANGE outside it (including u64 overflow). */
int parse_u64(const char *s, __u64 min, __u64 max, __u64 *out);

/*
 * DIGITS[.DIGITS] with at most @decimals (<= 19) decimals, scaled by
 * 10^decimals exactly: ("1234.567", 3) -> 1234567, ("0.5", 9) -> 500000000.
 * Times written in s or us read back in ns without a float round trip, which
 * would move them by a few ns.  -EINVAL: malformed ("1.", ".5", "1e3", "-1")
 * or more decimals; -ERANGE: more than UINT64_MAX.
 */
int parse_fixed(const char *s, unsigned int decimals, __u64 *out);

/*
 * Shortest exact form with the largest unit that divides ns:
 * 10000000 -> "10ms", 1500000000 -> "1500ms", 120000000000 -> "2m",
 * 0 -> "0s".  parse_duration() reads every result back to the same value.
 * Returns the length written (without the NUL), or -ENOSPC if buf is too
 * small (buf then holds an empty string when len > 0).
 */
int format_duration(__u64 ns, char *buf, size_t len);

#endif /* BT_PARSE_H */
