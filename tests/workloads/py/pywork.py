# SPDX-License-Identifier: GPL-2.0
#
# pywork.py MODE [ARGS]: Python functions for tests/integration/test_python.c,
# the way users write them.  Each mode writes `key value` lines to the file
# BT_REPORT names (as tests/workloads/report.h does for the C workloads):
# what the program itself counted, for the test to compare with.
#
#   fib N               fib(N), recursive; reports fib_calls
#   mixed               Trainer.step x5, a generator of 7 items, a function
#                       raising from 3 calls, one called from 4 threads x 25
#   burn MS COUNT       burn(): COUNT calls spinning MS ms of thread CPU;
#                       reports each call's own CPU (time.thread_time)
#   sleep MS            nap(): sleeps MS ms once
#   alloc MB            grow(): allocates and touches MB MiB, then frees it
#   pool N              N calls of work() in 4 multiprocessing workers
#                       (fork and spawn, N each)
#   native              native_caller() x2, each calling os.getpid() 3 times
#                       (libc's getpid, for -u libc:getpid beside it)
#   subprocess          child(): runs `pywork.py fib 5` in a new interpreter
#   rank N              N calls of rank_step() (under mpirun: in each rank)
#   other N             fib(N), timed by the program: wall_ns (for the cost
#                       of tracing, tests/bench/python.c)
#   setprofile N        the same under an in-process sys.setprofile timer of
#                       fib, the way profiling libraries time calls
import os
import sys
import threading
import time


def report(**kv):
    path = os.environ.get("BT_REPORT")
    if not path:
        return
    tmp = path + ".tmp"
    kv["pid"] = os.getpid()
    with open(tmp, "w") as f:
        for k, v in kv.items():
            f.write("%s %s\n" % (k, v))
    os.rename(tmp, path)


calls = [0]


def fib(n):
    calls[0] += 1
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def unrelated():
    return 0


class Trainer:
    def __init__(self):
        self.steps = 0

    def step(self):
        self.steps += 1
        return sum(range(1000))


def batches(n):
    for i in range(n):
        yield i * i


def fails(i):
    raise ValueError(i)


def shared(i):
    return i + 1


def burn(ms):
    end = time.thread_time() + ms / 1000.0
    x = 0
    while time.thread_time() < end:
        x += 1
    return x


def nap(ms):
    time.sleep(ms / 1000.0)


def grow(mb):
    buf = bytearray(mb << 20)
    for i in range(0, len(buf), 4096):
        buf[i] = 1
    return len(buf)


def work(i):
    return sum(range(i * 1000))


def native_caller():
    for _ in range(3):
        os.getpid()


def child():
    import subprocess

    subprocess.run([sys.executable, __file__, "fib", "5"], check=True, env=dict(os.environ, BT_REPORT=""))


def rank_step(i):
    return sum(range(i * 1000))


def pool(n):
    import multiprocessing as mp

    total = 0
    for method in ("fork", "spawn"):
        with mp.get_context(method).Pool(4) as p:
            total += sum(p.map(work, range(n), chunksize=1))
    return total


def main():
    mode = sys.argv[1]
    if mode == "fib":
        fib(int(sys.argv[2]))
        report(fib_calls=calls[0])
    elif mode == "other":
        t0 = time.perf_counter()
        fib(int(sys.argv[2]))
        unrelated()
        report(fib_calls=calls[0], wall_ns=int((time.perf_counter() - t0) * 1e9))
    elif mode == "setprofile":
        target, times, stack = fib.__code__, [], []

        def prof(frame, event, arg):
            if frame.f_code is target:
                if event == "call":
                    stack.append(time.perf_counter())
                elif event == "return":
                    times.append(time.perf_counter() - stack.pop())

        t0 = time.perf_counter()
        sys.setprofile(prof)
        fib(int(sys.argv[2]))
        sys.setprofile(None)
        report(fib_calls=len(times), wall_ns=int((time.perf_counter() - t0) * 1e9))
    elif mode == "mixed":
        t = Trainer()
        for _ in range(5):
            t.step()
        items = list(batches(7))
        for i in range(3):
            try:
                fails(i)
            except ValueError:
                pass
        threads = [threading.Thread(target=lambda: [shared(i) for i in range(25)])
                   for _ in range(4)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        report(steps=t.steps, items=len(items))
    elif mode == "burn":
        ms, count = float(sys.argv[2]), int(sys.argv[3])
        own = []
        for _ in range(count):
            t0 = time.thread_time()
            burn(ms)
            own.append(int((time.thread_time() - t0) * 1e9))
        report(burn_cpu_ns_sum=sum(own), burn_cpu_ns_min=min(own), burn_cpu_ns_max=max(own))
    elif mode == "native":
        native_caller()
        native_caller()
        report(done=1)
    elif mode == "subprocess":
        child()
        report(done=1)
    elif mode == "rank":
        for i in range(int(sys.argv[2])):
            rank_step(i)
    elif mode == "sleep":
        nap(float(sys.argv[2]))
        report(done=1)
    elif mode == "alloc":
        grow(int(sys.argv[2]))
        report(done=1)
    elif mode == "pool":
        report(total=pool(int(sys.argv[2])))
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
