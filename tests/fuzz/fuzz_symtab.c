// SPDX-License-Identifier: GPL-2.0
/*
 * ELF files a user hands to `sudo benchtrace functions FILE` or --uprobe
 * FILE:FUNC, or plants as a program's library or debug file: the symbol
 * table reader (user/elf/symtab.c), the matching and suggestions over what it
 * read, the C++/Go check and the return-instruction finder
 * (user/elf/exits.c, disassembly of the functions' code), and the dynamic
 * section's DT_NEEDED/RPATH/RUNPATH/PT_INTERP as libpath.c reads them.
 *
 * Input: the file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf/exits.h"
#include "elf/libpath.h"
#include "elf/symtab.h"
#include "fuzz.h"

#define MAX_FIND 16

static volatile size_t sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct bt_sym *found[MAX_FIND];
	char path[512], err[512], lib[4096];
	struct symtab *st = NULL;
	int ret, n, i;

	fuzz_write("input", data, size, false);
	fuzz_path(path, sizeof(path), "input");
	ret = symtab__load(path, &st, err, sizeof(err));
	sink += exits__needed(path);
	/* Nothing is named like this: every DT_NEEDED is resolved and read. */
	err[0] = '\0';
	if (lib__find_for_exe(path, "libbt-fuzz-none", lib, sizeof(lib), err, sizeof(err)) !=
		-ENOENT &&
	    !err[0])
		abort();
	if (ret) {
		if (st)
			abort();
		return 0;
	}
	n = symtab__count(st);
	if (n < 1)
		abort();
	for (i = 0; i < n; i++) {
		const struct bt_sym *s = symtab__get(st, i);

		if (!s || !s->name || !s->raw || !symtab__short_name(s))
			abort();
		if (i && strcmp(symtab__get(st, i - 1)->name, s->name) > 0)
			abort();
		if (symtab__at(st, s->addr) == NULL)
			abort();
	}
	if (symtab__get(st, n) || symtab__get(st, -1))
		abort();
	/* Every name found by itself, as `functions` prints it and --uprobe takes it. */
	for (i = 0; i < n && i < 8; i++) {
		const struct bt_sym *s = symtab__get(st, i);

		if (symtab__find(st, s->name, found, MAX_FIND) < 1)
			abort();
		sink += symtab__find_names(st, symtab__short_name(s), found, MAX_FIND);
	}
	sink += symtab__find(st, "*", found, MAX_FIND);
	sink += symtab__find(st, "[[:alpha:]]*_?", found, MAX_FIND);
	sink += symtab__is_ifunc(st, "memcpy");
	symtab__explain_miss(st, "trian_step", path, err, sizeof(err));
	symtab__explain_miss(st, "*", path, err, sizeof(err));
	sink += strlen(err) + symtab__stripped(st) + (size_t)symtab__dynsym_count(st);
	/* The return instructions of a few functions, as a C++ program's probes need. */
	for (i = 0; i < n && i < 3; i++) {
		__u64 *offs = NULL;
		int k = exits__find(st, symtab__get(st, i), &offs, err, sizeof(err));

		if (k < 0 && !err[0])
			abort();
		if (k >= 0)
			free(offs);
	}
	symtab__free(st);
	return 0;
}
