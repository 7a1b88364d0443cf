// SPDX-License-Identifier: GPL-2.0
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include "util/lazylib.h"

int lazylib__open(struct lazylib *l)
{
	const char *why;

	if (l->state)
		return l->state > 0 ? 0 : -1;
	l->handle = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL);
	if (!l->handle) {
		why = dlerror();
		snprintf(l->err, sizeof(l->err), "cannot load %s (Debian package %s): %s",
			 l->soname, l->package, why ? why : "not found");
		l->state = -1;
		return -1;
	}
	l->state = 1;
	return 0;
}

int lazylib__bind(struct lazylib *l, const char *name, void *slot)
{
	void *sym;

	if (lazylib__open(l))
		return -1;
	sym = dlsym(l->handle, name);
	if (!sym) {
		snprintf(l->err, sizeof(l->err),
			 "%s has no %s: not the version benchtrace was "
			 "built against",
			 l->soname, name);
		l->state = -1;
		return -1;
	}
	memcpy(slot, &sym, sizeof(sym));
	return 0;
}
