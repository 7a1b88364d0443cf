// SPDX-License-Identifier: GPL-2.0
/*
 * Function symbols of one ELF file (executable or shared library), for
 * attaching uprobes: each with the file offset a uprobe attaches at.
 *
 * C++ names are demangled with the C++ runtime's own __cxa_demangle (see
 * symtab.c for why), so "ns::Cls::step(int)" is what users see and match.
 */
#ifndef BT_SYMTAB_H
#define BT_SYMTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>

struct bt_sym {
	const char *name; /* demangled for C++ ("ns::Cls::step(int)"), else as in the table */
	const char *raw;  /* the symbol table's own (mangled) name */
	__u64 addr;	  /* st_value */
	__u64 size;
	__u64 offset; /* file offset of the first instruction: what a uprobe attaches at */
};

struct symtab;

/*
 * Load the defined function symbols (STT_FUNC, not IFUNC resolvers, not the
 * ".cold" fragments GCC splits off, which are jumped to, not called) from
 * .symtab (the file's own, or its separate debug file's) and .dynsym; aliases at one address are
 * kept once per name. Non-default symbol versions in .dynsym are named "memcpy@GLIBC_2.2.5".
 * Errors, each with one line in @err naming the file and the fix:
 * -ENOENT no such file; -EACCES; -EISDIR; -ENOEXEC not an ELF file, a
 * truncated or corrupt one, or not an executable or shared library;
 * -ENODATA no function symbols at all (stripped); -ENOMEM.
 */
int symtab__load(const char *path, struct symtab **out, char *err, size_t errlen);

/*
 * Open a program or library the user named (symlinks followed, regular
 * files only, safefile.h), with the messages above: the descriptor and the
 * file's size in *size, or -ENOENT, -EACCES, -EISDIR, -ENOEXEC (not a
 * regular file) or another -errno.
 */
int symtab__open_elf(const char *path, off_t *size, char *err, size_t errlen);
/*
 * No .symtab, only .dynsym: only exported functions are known.  False when a
 * separate debug file supplied the .symtab (see symtab__debug_file).
 */
bool symtab__stripped(const struct symtab *st);
/*
 * The separate debug file whose .symtab was read for a stripped binary
 * (found as gdb finds it: /usr/lib/debug/.build-id/xx/yyyy.debug, then the
 * .gnu_debuglink name next to the file, in its .debug/, and under
 * /usr/lib/debug; build ID or CRC checked), or NULL.
 */
const char *symtab__debug_file(const struct symtab *st);
/* Number of dynamic (.dynsym) symbols of any kind, defined or not. */
int symtab__dynsym_count(const struct symtab *st);
int symtab__count(const struct symtab *st);
/* Sorted by name (strcmp), then address. */
const struct bt_sym *symtab__get(const struct symtab *st, int i);
const char *symtab__path(const struct symtab *st);
/* @s's demangled name without its parameter list ("ns::f" for "ns::f(int)"). */
const char *symtab__short_name(const struct bt_sym *s);

/*
 * Functions matching @glob.  A name that equals the pattern exactly wins:
 * then only exact matches count, so every name `benchtrace functions`
 * prints attaches to just that function even when it holds glob characters
 * ("operator[]", "f(char*)").  Otherwise fnmatch(3) against the demangled
 * name, the demangled name without its parameter list ("ns::f" matches
 * "ns::f(int)") and the raw name.  Returns the number of distinct
 * addresses matched (may exceed @max) and fills out[0..min(total, max)),
 * sorted by name.  Aliases at one address count once, under the name the
 * user asked for (exact match first, then fewest leading underscores).
 */
int symtab__find(const struct symtab *st, const char *glob, const struct bt_sym **out, int max);
/* Like symtab__find(), but every matching name, aliases included. */
int symtab__find_names(const struct symtab *st, const char *glob, const struct bt_sym **out,
		       int max);

/*
 * Whether @glob names an IFUNC ("memcpy" in glibc): a symbol whose address is
 * a resolver that picks a CPU-specific implementation once, at load time.
 * symtab__find() never returns those; this says why a name that exists
 * matched nothing.
 */
bool symtab__is_ifunc(const struct symtab *st, const char *glob);

/*
 * The one-line error for @glob matching nothing in @st (@shown: how to name
 * the file to the user): "no function named 'trian_step' in ./train (did
 * you mean 'train_step'?)", or why an IFUNC is not traceable, or how to
 * list what is there.
 */
void symtab__explain_miss(const struct symtab *st, const char *glob, const char *shown, char *err,
			  size_t errlen);

/*
 * Up to 3 names closest to @name (case-insensitive edit distance, '*' and
 * '?' in @name treated as wildcards; only reasonably close ones, or names
 * containing it), formatted "'train_step', 'train_stop'".  C++ names are
 * given without their parameter lists.  Returns how many (0: buf = "").
 */
int symtab__suggest(const struct symtab *st, const char *name, char *buf, size_t len);

/* The function whose code holds @addr, or NULL. */
const struct bt_sym *symtab__at(const struct symtab *st, __u64 addr);

void symtab__free(struct symtab *st);

#endif /* BT_SYMTAB_H */
