// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the libFuzzer harnesses (tests/fuzz/fuzz_*.c).
 *
 * The readers under test take paths, not buffers (they open files the way
 * `benchtrace report` does, refusing symlinks and FIFOs), so the harnesses
 * write each input into a private directory: one mkdtemp() per process,
 * mode 0700, on tmpfs when there is one, removed at exit.
 */
#ifndef BT_FUZZ_H
#define BT_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The private directory (created on first use; abort() if it cannot be). */
const char *fuzz_dir(void);

/* fuzz_dir()/name into buf. */
void fuzz_path(char *buf, size_t len, const char *name);

/* Replace fuzz_dir()/name with data[0..len), gzip-compressed if gz. */
void fuzz_write(const char *name, const void *data, size_t len, bool gz);

/* Remove fuzz_dir()/name if it is there. */
void fuzz_unlink(const char *name);

/* A NUL-terminated copy of data[0..len) (free it). */
char *fuzz_str(const uint8_t *data, size_t len);

/*
 * A run directory from one input: sections "@@ NAME\n" followed by the
 * file's contents up to the next "\n@@ ".  NAME is one of the run files
 * (meta.json, samples.csv, ... and their .csv.gz forms, which are written
 * gzip-compressed); other names are ignored.  Files not named are absent.
 * Returns the directory.
 */
const char *fuzz_rundir(const uint8_t *data, size_t len);

#endif /* BT_FUZZ_H */
