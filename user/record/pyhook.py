# SPDX-License-Identifier: GPL-2.0
#
# benchtrace's Python hook (-u py:SPEC), loaded as sitecustomize by every
# interpreter the traced command starts (benchtrace puts this file's
# directory first on PYTHONPATH and the specs in BENCHTRACE_PY).
#
# It never changes what the program computes: it replaces no function and
# adds nothing to the program's namespaces.  It watches function starts
# and ends (sys.monitoring on 3.12+, which stops calling it for every
# function that is not asked for; on 3.9-3.11 a C frame evaluator,
# _btpyeval.so, beside this file; sys.settrace on 3.8, with its local
# tracer on the asked-for frames only) and, for the asked-for ones, makes
# a system call that fails at once,
#     faccessat2(ID, "", BT_PY_MAGIC | op, 0)  ->  EINVAL,
# where benchtrace's BPF program reads the thread's own kernel counters
# (include/bt_abi.h).  The kernel does all the measuring.
#
# This file must stay valid Python 2 syntax: Python 2.7 imports it too,
# and must only be told, without an error, that it cannot be traced.
import os
import sys

_MAGIC = 0x42540000
_ENTER = _MAGIC | 1
_EXIT = _MAGIC | 2
_REGISTER = _MAGIC | 3
_UNSUPPORTED = _MAGIC | 4
_HERE = os.path.dirname(os.path.abspath(__file__))


def _chain():
    """Import the sitecustomize this file stands in front of, if any."""
    ours = sys.modules.pop("sitecustomize", None)
    saved = list(sys.path)
    try:
        sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]
        try:
            __import__("sitecustomize")
        except ImportError as e:
            if getattr(e, "name", "sitecustomize") != "sitecustomize":
                raise
    finally:
        sys.path[:] = [p for p in saved if os.path.abspath(p or ".") != _HERE]
        if "sitecustomize" not in sys.modules and ours is not None:
            sys.modules["sitecustomize"] = ours


def _parse(text):
    """Specs, one a line: NAME, MODULE.QUALNAME or FILE.py:NAME, globs allowed."""
    specs = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        fileglob = None
        if ".py:" in line:
            fileglob, line = line.rsplit(":", 1)
        specs.append((fileglob, line, line.rsplit(".", 1)[-1]))
    return specs


class _Hook(object):
    def __init__(self, specs, mechanism):
        import fnmatch
        import zlib

        self.specs = specs
        self.mechanism = mechanism
        self.match = fnmatch.fnmatchcase
        self.crc = zlib.crc32
        self.ids = {}  # code object -> ID, 0 when not asked for
        self.access = os.access
        self.negate_generators = False

    def _qualname(self, code):
        q = getattr(code, "co_qualname", None)  # 3.11+
        if q:
            return q
        import gc

        for f in gc.get_referrers(code):
            if getattr(f, "__code__", None) is code:
                return getattr(f, "__qualname__", code.co_name)
        return code.co_name

    def classify(self, code, globals_):
        """The ID of code if a spec asks for it, else 0; registered once."""
        ident = 0
        filename = code.co_filename
        try:
            if not filename.startswith(_HERE):
                ident = self._find(code, globals_, filename)
                # for the frame evaluator on 3.11: a generator's frame is also
                # run once to make the generator, which is not a call of it
                if ident and self.negate_generators and code.co_flags & 0x3A0:
                    ident = -ident
        except Exception:  # never into the program
            ident = 0
        self.ids[code] = ident
        return ident

    def _find(self, code, globals_, filename):
        # before 3.11 a qualified name costs a heap search: only for a code
        # object whose own name fits the last part of a spec
        cheap = hasattr(code, "co_qualname")
        name = code.co_name
        for fileglob, glob, last in self.specs:
            if not cheap and not self.match(name, last):
                continue
            if fileglob is not None and not (
                self.match(filename, fileglob)
                or self.match(os.path.basename(filename), fileglob)
                or filename.endswith("/" + fileglob)
            ):
                continue
            qual = self._qualname(code)
            mod = globals_.get("__name__", "") if isinstance(globals_, dict) else ""
            if mod in ("__main__", "__mp_main__") or not mod:  # the script (spawned: renamed)
                mod = os.path.splitext(os.path.basename(filename))[0]
            full = mod + "." + qual
            if self.match(qual, glob) or self.match(full, glob):
                return self.register(full, filename, code.co_firstlineno)
        return 0

    def register(self, full, filename, line):
        key = ("%s\0%s\0%d" % (full, filename, line)).encode("utf-8", "surrogateescape")
        ident = (self.crc(key) & 0x3FFFFFFF) + 2
        text = "%s\t%s\t%d\t%s" % (full, filename, line, self.mechanism)
        try:
            self.access(text.encode("utf-8", "surrogateescape"), _REGISTER, dir_fd=ident)
        except (OSError, ValueError):
            pass
        return ident


def _monitoring(hook):
    """3.12+: sys.monitoring, off for every code object not asked for."""
    mon = sys.monitoring
    ev = mon.events
    tool = None
    for t in (4, 3, 5, 2):
        try:
            mon.use_tool_id(t, "benchtrace")
            tool = t
            break
        except ValueError:
            continue
    if tool is None:
        return False
    ids = hook.ids
    classify = hook.classify
    access = hook.access
    disable = mon.DISABLE
    getframe = sys._getframe

    def start(code, offset, *rest):
        ident = ids.get(code)
        if ident is None:
            ident = classify(code, getframe(1).f_globals)
        if ident:
            access(b"", _ENTER, dir_fd=ident)
            return None
        return disable

    def end(code, offset, value):
        ident = ids.get(code)
        if ident:
            access(b"", _EXIT, dir_fd=ident)
            return None
        return disable

    # PY_THROW and PY_UNWIND cannot be disabled: never return DISABLE there
    def throw(code, offset, exc):
        ident = ids.get(code)
        if ident is None:
            ident = classify(code, getframe(1).f_globals)
        if ident:
            access(b"", _ENTER, dir_fd=ident)

    def unwind(code, offset, exc):
        ident = ids.get(code)
        if ident:
            access(b"", _EXIT, dir_fd=ident)

    mon.register_callback(tool, ev.PY_START, start)
    mon.register_callback(tool, ev.PY_RESUME, start)
    mon.register_callback(tool, ev.PY_THROW, throw)
    mon.register_callback(tool, ev.PY_RETURN, end)
    mon.register_callback(tool, ev.PY_YIELD, end)
    mon.register_callback(tool, ev.PY_UNWIND, unwind)
    mon.set_events(
        tool,
        ev.PY_START | ev.PY_RESUME | ev.PY_THROW | ev.PY_RETURN | ev.PY_YIELD | ev.PY_UNWIND,
    )
    return True


def _evalframe(hook):
    """3.9-3.11: _btpyeval.so (user/record/python/btpyeval.c), a C frame evaluator."""
    import ctypes

    lib = ctypes.PyDLL(os.path.join(_HERE, "_btpyeval.so"))
    lib.bt_install.argtypes = (ctypes.py_object, ctypes.c_int, ctypes.c_int)
    lib.bt_install.restype = ctypes.c_int
    # where a frame keeps its globals, and (3.11) its owner
    if sys.version_info >= (3, 11):
        hook.negate_generators = True
        ret = lib.bt_install(hook.classify, 8, 69)
    else:
        ret = lib.bt_install(hook.classify, 48, 0)
    if ret:
        return False
    hook.lib = lib
    return True


def _settrace(hook):
    """3.8 (or no _btpyeval.so): a global trace function, local ones on asked-for frames only."""
    import threading

    ids = hook.ids
    classify = hook.classify
    access = hook.access

    def local(frame, event, arg):
        if event == "return":
            access(b"", _EXIT, dir_fd=ids[frame.f_code])
        return local

    def call(frame, event, arg):
        code = frame.f_code
        ident = ids.get(code)
        if ident is None:
            ident = classify(code, frame.f_globals)
        if ident:
            frame.f_trace_lines = False  # the local tracer wants 'return' only
            access(b"", _ENTER, dir_fd=ident)
            return local
        return None

    sys.settrace(call)
    threading.settrace(call)
    return True


def _install():
    specs = _parse(os.environ.get("BENCHTRACE_PY", ""))
    if not specs:
        return
    impl = getattr(sys, "implementation", None)
    name = getattr(impl, "name", "cpython")
    v = sys.version_info
    if name != "cpython" or v < (3, 8):
        try:
            os.access("%s %d.%d %s" % (name, v[0], v[1], sys.executable), _UNSUPPORTED)
        except Exception:
            pass
        return
    if v >= (3, 12):
        hook = _Hook(specs, "sys.monitoring %d.%d" % (v[0], v[1]))
        _monitoring(hook)
    else:
        hook = _Hook(specs, "eval-frame %d.%d" % (v[0], v[1]))
        try:
            if v >= (3, 9) and _evalframe(hook):
                return
        except Exception:
            pass
        hook.mechanism = "sys.settrace %d.%d" % (v[0], v[1])
        _settrace(hook)


try:
    _install()
finally:
    _chain()
