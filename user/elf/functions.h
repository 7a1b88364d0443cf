// SPDX-License-Identifier: GPL-2.0
#ifndef BT_FUNCTIONS_H
#define BT_FUNCTIONS_H

/*
 * `benchtrace functions BINARY|-p PID [GLOB]`; argv[0] is "functions".
 * Returns the exit status: 0 listed, 1 error, 2 usage error.
 */
int functions__main(int argc, char **argv);

#endif /* BT_FUNCTIONS_H */
