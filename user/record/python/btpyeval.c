// SPDX-License-Identifier: GPL-2.0
/*
 * Loaded by benchtrace's Python hook (user/record/pyhook.py) into CPython
 * 3.9-3.11, where the only other way to see calls (sys.settrace) costs a
 * Python-level callback on every call of every function: 4-11x on
 * call-heavy code, against about 1.2x here.
 *
 * A PEP 523 frame evaluation function: the interpreter calls it for every
 * frame it runs (every call and every resumption of a generator), and it
 * passes each to the default evaluator.  For the code objects the hook
 * asks for (its classify(code, globals) answers with an ID the first time
 * a code object is seen; the answer is cached here), it marks the start
 * and the end with the system call benchtrace's BPF program recognises
 * (include/bt_abi.h): faccessat2(ID, "", BT_PY_MAGIC | op, 0) = -EINVAL.
 *
 * Not built against Python's headers: it is one file for three versions.
 * It declares the few functions it calls, which 3.9-3.11 all export, and
 * reads the frame's code object and globals at the offsets those versions
 * share (PyFrameObject in 3.9 and 3.10, _PyInterpreterFrame in 3.11).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "bt_abi.h"

#ifndef SYS_faccessat2
#define SYS_faccessat2 439
#endif

typedef struct _object PyObject;
typedef PyObject *(*eval_frame_fn)(void *tstate, void *frame, int throwflag);

extern void *PyInterpreterState_Get(void);
extern eval_frame_fn _PyInterpreterState_GetEvalFrameFunc(void *interp);
extern void _PyInterpreterState_SetEvalFrameFunc(void *interp, eval_frame_fn f);
extern PyObject *PyObject_CallFunctionObjArgs(PyObject *callable, ...);
extern long PyLong_AsLong(PyObject *o);
extern void Py_IncRef(PyObject *o);
extern void Py_DecRef(PyObject *o);
extern void PyErr_Clear(void);

/* f_code: after the object header and f_back (3.9, 3.10), or after
 * f_func, f_globals, f_builtins and f_locals (3.11) */
#define FRAME_CODE_OFF 32

struct ent {
	PyObject *code; /* a strong reference: the address is never reused */
	long id;	/* 0: not asked for; < 0: a generator's or coroutine's (3.11) */
};

static PyObject *classify;
static eval_frame_fn next_eval;
static size_t globals_off;
static size_t owner_off; /* 3.11: _PyInterpreterFrame.owner; 0: none */
static struct ent *tab;
static size_t cap, used;
static __thread int classifying; /* classify's own frames pass through */

static size_t slot_of(PyObject *code, size_t n)
{
	return (size_t)(((uintptr_t)code >> 4) * 0x9E3779B97F4A7C15ULL) & (n - 1);
}

static int grow(void)
{
	size_t n = cap ? cap * 2 : 1024, i, j;
	struct ent *t = calloc(n, sizeof(*t));

	if (!t)
		return -1;
	for (i = 0; i < cap; i++) {
		if (!tab[i].code)
			continue;
		for (j = slot_of(tab[i].code, n); t[j].code; j = (j + 1) & (n - 1))
			;
		t[j] = tab[i];
	}
	free(tab);
	tab = t;
	cap = n;
	return 0;
}

/* The code object's ID; asks the hook the first time (never with an exception pending). */
static long lookup(PyObject *code, void *frame, int throwflag)
{
	PyObject *globals, *res;
	size_t i;
	long id;

	if (cap) {
		for (i = slot_of(code, cap); tab[i].code; i = (i + 1) & (cap - 1))
			if (tab[i].code == code)
				return tab[i].id;
	}
	if (classifying || throwflag)
		return 0;
	if ((used + 1) * 2 > cap && grow())
		return 0;
	globals = *(PyObject **)((char *)frame + globals_off);
	classifying = 1;
	res = PyObject_CallFunctionObjArgs(classify, code, globals, NULL);
	classifying = 0;
	id = res ? PyLong_AsLong(res) : 0;
	if (res)
		Py_DecRef(res);
	if (!res || id == -1) { /* IDs are 2 and more: -1 is an error */
		PyErr_Clear(); /* never into the program */
		id = 0;
	}
	for (i = slot_of(code, cap); tab[i].code; i = (i + 1) & (cap - 1))
		;
	Py_IncRef(code);
	tab[i].code = code;
	tab[i].id = id;
	used++;
	return id;
}

static void mark(long id, unsigned int op)
{
	int saved = errno; /* the program may look at errno around a call */

	syscall(SYS_faccessat2, (int)id, "", BT_PY_MAGIC | op, 0);
	errno = saved;
}

static PyObject *bt_eval(void *tstate, void *frame, int throwflag)
{
	PyObject *code = *(PyObject **)((char *)frame + FRAME_CODE_OFF);
	long id = lookup(code, frame, throwflag);
	PyObject *res;

	if (!id)
		return next_eval(tstate, frame, throwflag);
	if (id < 0) {
		/* 3.11 runs a generator function's frame, owned by the thread,
		 * only to make the generator; its runs are owned by the generator */
		if (owner_off && *((char *)frame + owner_off) == 0)
			return next_eval(tstate, frame, throwflag);
		id = -id;
	}
	mark(id, BT_PY_ENTER);
	res = next_eval(tstate, frame, throwflag);
	mark(id, BT_PY_EXIT);
	return res;
}

/*
 * From the hook, through ctypes.PyDLL (the GIL held): classify(code,
 * globals) -> ID (negative for a generator's code on 3.11); goff, where a
 * frame keeps its globals (8 on 3.11, 48 on 3.9 and 3.10); ooff, where its
 * owner (3.11: 69, FRAME_OWNED_BY_THREAD = 0), or 0.  An evaluator
 * installed before (a debugger's, a JIT's) keeps running every frame: this
 * one only brackets them.
 */
int bt_install(PyObject *classify_fn, int goff, int ooff)
{
	void *interp = PyInterpreterState_Get();

	if (next_eval)
		return 0;
	next_eval = _PyInterpreterState_GetEvalFrameFunc(interp);
	Py_IncRef(classify_fn);
	classify = classify_fn;
	globals_off = (size_t)goff;
	owner_off = (size_t)ooff;
	_PyInterpreterState_SetEvalFrameFunc(interp, bt_eval);
	return 0;
}
