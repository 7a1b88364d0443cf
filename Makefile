# SPDX-License-Identifier: GPL-2.0
#
# benchtrace build.  Everything lands under $(OUT); `make V=1` shows commands.
#
#   make            build build/benchtrace
#   make test       unit tests (no root) + integration tests (root, real BPF)
#   make unit       unit tests only
#   make asan       ASan+UBSan build under build-asan/ and its unit tests
#   make valgrind   the unit tests under valgrind (memcheck, leaks)
#   make bench      overhead benchmarks (root), ratios against untraced runs made beside
#                   them, and pidstat, perf stat and bpftrace on the same workloads
#   make demo       build, then trace a small workload into ./demo-run
#   make soak       an hour tracing a busy program: memory flat, log size as predicted
#   make check      the tests, installing nothing (make test installs what they need)
#   make install    PREFIX=/usr/local DESTDIR= BINDIR= MANDIR= BASHCOMPDIR= INCLUDEDIR=; make uninstall
#
# Packagers: CPPFLAGS, CFLAGS and LDFLAGS are honoured (CFLAGS replaces the
# default -O2 -g); WERROR=0 builds without -Werror; VMLINUX_H=FILE uses a
# vmlinux.h made elsewhere instead of dumping this kernel's BTF.

OUT ?= build
CC ?= gcc
CLANG ?= clang
BPFTOOL ?= $(shell command -v bpftool || echo /usr/sbin/bpftool)
VMLINUX_BTF ?= /sys/kernel/btf/vmlinux
PKG_CONFIG ?= pkg-config

ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/' \
	-e 's/ppc64le/powerpc/' -e 's/riscv64/riscv/' -e 's/s390x/s390/')

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

LIBBPF_CFLAGS := $(shell $(PKG_CONFIG) --cflags libbpf 2>/dev/null)
LIBBPF_LIBS := $(shell $(PKG_CONFIG) --libs libbpf 2>/dev/null || echo -lbpf)
MHD_CFLAGS := $(shell $(PKG_CONFIG) --cflags libmicrohttpd 2>/dev/null)
# capstone, libstdc++ (for __cxa_demangle, by soname: the runtime every
# Debian system has, no g++ needed) and libmicrohttpd are loaded when first
# used (user/util/lazylib.h): their headers are needed to build, not links.
LDLIBS := $(LIBBPF_LIBS) -lelf -lz -lpthread -lm -ldl

WERROR ?= 1
WERROR_FLAG := $(if $(filter 1,$(WERROR)),-Werror)
CFLAGS ?= -O2 -g
override CFLAGS += -std=gnu11 -Wall -Wextra $(WERROR_FLAG) -Wshadow \
	-Wno-missing-field-initializers -Wformat=2 -D_GNU_SOURCE -DBT_VERSION='"$(VERSION)"' \
	-Iinclude -Iuser -I$(OUT) $(LIBBPF_CFLAGS) $(MHD_CFLAGS) -MMD -MP $(CPPFLAGS)
# libbpf's usdt.bpf.h includes <linux/errno.h>, which wants the target's <asm/...>
MULTIARCH := $(shell $(CC) -print-multiarch 2>/dev/null)
BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_$(ARCH) -Wall $(WERROR_FLAG) \
	-Iinclude -I$(OUT) $(LIBBPF_CFLAGS) -MMD -MP \
	$(if $(MULTIARCH),-idirafter /usr/include/$(MULTIARCH))

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
INCLUDEDIR ?= $(PREFIX)/include
INSTALL ?= install

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

.DELETE_ON_ERROR:
.SECONDARY:
.SUFFIXES:
.PHONY: all clean test check unit integration asan valgrind bench demo soak format deps run-test \
	run-bench run-demo run-soak install install-files uninstall demo-deps bench-deps

BPF_SRCS := $(sort $(wildcard bpf/*.bpf.c))
BPF_OBJS := $(patsubst bpf/%.bpf.c,$(OUT)/bpf/%.bpf.o,$(BPF_SRCS))
# Sources are found by folder (user/<job>/*.c, tests/unit/<job>/test_*.c):
# a new file needs no edit here.
USER_SRCS := $(sort $(wildcard user/*.c user/*/*.c))
USER_OBJS := $(patsubst user/%.c,$(OUT)/user/%.o,$(USER_SRCS))
LIB_OBJS := $(filter-out $(OUT)/user/main.o,$(USER_OBJS))
UNIT_SRCS := $(sort $(wildcard tests/unit/*/test_*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,$(OUT)/tests/unit/%,$(UNIT_SRCS))
INTEG_SRCS := $(sort $(wildcard tests/integration/test_*.c))
INTEG_BINS := $(patsubst tests/integration/%.c,$(OUT)/tests/integration/%,$(INTEG_SRCS))
TESTLIB_SRCS := $(sort $(wildcard tests/lib/*.c))
TESTLIB_OBJS := $(patsubst tests/lib/%.c,$(OUT)/tests/lib/%.o,$(TESTLIB_SRCS))
WORKLOAD_SRCS := $(sort $(wildcard tests/workloads/*.c))
WORKLOAD_BINS := $(patsubst tests/workloads/%.c,$(OUT)/tests/workloads/%,$(WORKLOAD_SRCS)) \
	$(patsubst tests/workloads/%.cc,$(OUT)/tests/workloads/%,$(wildcard tests/workloads/*.cc)) \
	$(OUT)/tests/workloads/lib/libbtwork.so $(OUT)/tests/workloads/py/pywork.py
BENCH_SRCS := $(filter-out %.bpf.c,$(sort $(wildcard tests/bench/*.c)))
BENCH_BINS := $(patsubst tests/bench/%.c,$(OUT)/tests/bench/%,$(BENCH_SRCS))

all: $(OUT)/benchtrace

# CO-RE: any kernel's vmlinux.h will do; by default this one's.
$(OUT)/vmlinux.h: $(VMLINUX_H)
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(if $(VMLINUX_H),cp $(VMLINUX_H) $@,$(BPFTOOL) btf dump file $(VMLINUX_BTF) format c > $@)

$(OUT)/bpf/%.bpf.o: bpf/%.bpf.c $(OUT)/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUT)/benchtrace.bpf.o: $(BPF_OBJS)
	$(call msg,LINK-BPF,$@)
	$(Q)$(BPFTOOL) gen object $@ $^

$(OUT)/benchtrace.skel.h: $(OUT)/benchtrace.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name benchtrace_bpf > $@

# Every user object may include the skeleton; generate it first.
$(OUT)/user/%.o: user/%.c | $(OUT)/benchtrace.skel.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

# The Python hook (-u py:) is built into benchtrace as a C string.
$(OUT)/pyhook.inc: user/record/pyhook.py
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $< > $@

# ... with the frame evaluator it loads into CPython 3.9-3.11, a shared
# object of its own: built with fixed flags (never the sanitizers': it runs
# inside the user's interpreter), then kept in benchtrace as bytes.
$(OUT)/btpyeval.so: user/record/python/btpyeval.c include/bt_abi.h
	$(call msg,CC-SO,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -O2 -g0 -fPIC -shared -Wall -Wextra $(WERROR_FLAG) -Iinclude $< -o $@

$(OUT)/btpyeval.inc: $(OUT)/btpyeval.so
	$(call msg,GEN,$@)
	$(Q)od -An -v -tx1 $< | sed -e 's/\([0-9a-f][0-9a-f]\)/0x\1,/g' > $@

$(OUT)/user/record/python.o: $(OUT)/pyhook.inc $(OUT)/btpyeval.inc

$(OUT)/benchtrace: $(USER_OBJS)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(OUT)/tests/lib/%.o: tests/lib/%.c | $(OUT)/benchtrace.skel.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -Itests/lib -c $< -o $@

$(OUT)/tests/unit/%: tests/unit/%.c $(LIB_OBJS) $(TESTLIB_OBJS)
	$(call msg,CC-TEST,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -Itests/lib $(LDFLAGS) $(filter %.c %.o,$^) $(LDLIBS) -lcmocka -o $@

$(OUT)/tests/integration/%: tests/integration/%.c $(LIB_OBJS) $(TESTLIB_OBJS)
	$(call msg,CC-TEST,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -Itests/lib $(LDFLAGS) $(filter %.c %.o,$^) $(LDLIBS) -lcmocka -o $@

# Workloads are plain programs: no project code, so they stand for "any program".
$(OUT)/tests/workloads/%: tests/workloads/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -O1 -g -Wall -Wextra -Werror -D_GNU_SOURCE -Iinclude -MMD -MP $< -lpthread -lm -o $@

$(OUT)/tests/workloads/%: tests/workloads/%.cc
	$(call msg,CXX,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CXX) -O1 -g -Wall -Wextra -Werror -Iinclude -MMD -MP $< -o $@

# Python workloads run from the build directory like the others.
$(OUT)/tests/workloads/py/%.py: tests/workloads/py/%.py
	$(Q)mkdir -p $(@D)
	$(Q)cp $< $@

$(OUT)/tests/workloads/lib/lib%.so: tests/workloads/lib/%.c
	$(call msg,CC-SO,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -O1 -g -Wall -Wextra -Werror -fPIC -shared -MMD -MP $< -o $@

# a program nobody would strip of its library: found through RUNPATH $$ORIGIN/lib
$(OUT)/tests/workloads/uselib: tests/workloads/uselib.c $(OUT)/tests/workloads/lib/libbtwork.so
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -O1 -g -Wall -Wextra -Werror -MMD -MP $< -L$(OUT)/tests/workloads/lib -lbtwork \
		-Wl,-rpath,'$$ORIGIN/lib' -Wl,--enable-new-dtags -o $@

# ELF fixtures for the symbol tests (tests/fixtures/elf/): built with their
# own flags, never the sanitizers', since they stand for the user's programs.
ELF_FIX := $(OUT)/tests/fixtures/elf
ELF_FIXTURES := $(addprefix $(ELF_FIX)/,prog_nopie prog_pie prog_static prog_stripped cxx \
	prog_dbglink prog_dbgwrong \
	lib/libbtfix.so.1 libbtfix_stripped.so uselib uselib_rpath uselib_norpath notelf \
	truncated cut prog_gofake)
FIX_CFLAGS := -O2 -g -Wall -Wextra -Werror
FIX_LIB := -L$(ELF_FIX)/lib -l:libbtfix.so.1

$(UNIT_BINS) $(INTEG_BINS): | $(ELF_FIXTURES)

$(ELF_FIX)/prog_nopie: tests/fixtures/elf/prog.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(FIX_CFLAGS) -fno-pie -no-pie $< -o $@

$(ELF_FIX)/prog_pie: tests/fixtures/elf/prog.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(FIX_CFLAGS) -fpie -pie $< -o $@

$(ELF_FIX)/prog_static: tests/fixtures/elf/prog.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(FIX_CFLAGS) -static $< -o $@

$(ELF_FIX)/prog_stripped: $(ELF_FIX)/prog_pie
	$(call msg,STRIP,$@)
	$(Q)strip -o $@ $<

# Stripped, with its symbols in a separate debug file found by .gnu_debuglink;
# and one whose debug file was replaced by another program's (CRC mismatch).
$(ELF_FIX)/prog_dbglink: $(ELF_FIX)/prog_pie
	$(call msg,OBJCOPY,$@)
	$(Q)objcopy --only-keep-debug $< $@.debug
	$(Q)objcopy --strip-all --add-gnu-debuglink=$@.debug $< $@

$(ELF_FIX)/prog_dbgwrong: $(ELF_FIX)/prog_pie $(ELF_FIX)/prog_nopie
	$(call msg,OBJCOPY,$@)
	$(Q)objcopy --only-keep-debug $< $@.debug
	$(Q)objcopy --strip-all --add-gnu-debuglink=$@.debug $< $@
	$(Q)objcopy --only-keep-debug $(ELF_FIX)/prog_nopie $@.debug

$(ELF_FIX)/cxx: tests/fixtures/elf/cxx.cc
	$(call msg,CXX,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CXX) $(FIX_CFLAGS) $< -o $@

$(ELF_FIX)/lib/libbtfix.so.1: tests/fixtures/elf/btfix.c tests/fixtures/elf/btfix.map
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(FIX_CFLAGS) -fpic -shared -Wl,-soname,libbtfix.so.1 \
		-Wl,--version-script=tests/fixtures/elf/btfix.map $< -o $@

$(ELF_FIX)/libbtfix_stripped.so: $(ELF_FIX)/lib/libbtfix.so.1
	$(call msg,STRIP,$@)
	$(Q)strip -o $@ $<

# The library sits in lib/ next to the programs: found only through $$ORIGIN.
$(ELF_FIX)/uselib: tests/fixtures/elf/uselib.c $(ELF_FIX)/lib/libbtfix.so.1
	$(call msg,CC,$@)
	$(Q)$(CC) $(FIX_CFLAGS) $< $(FIX_LIB) -Wl,--enable-new-dtags,-rpath,'$$ORIGIN/lib' -o $@

$(ELF_FIX)/uselib_rpath: tests/fixtures/elf/uselib.c $(ELF_FIX)/lib/libbtfix.so.1
	$(call msg,CC,$@)
	$(Q)$(CC) $(FIX_CFLAGS) $< $(FIX_LIB) -Wl,--disable-new-dtags,-rpath,'$$ORIGIN/lib' -o $@

$(ELF_FIX)/uselib_norpath: tests/fixtures/elf/uselib.c $(ELF_FIX)/lib/libbtfix.so.1
	$(call msg,CC,$@)
	$(Q)$(CC) $(FIX_CFLAGS) $< $(FIX_LIB) -o $@

$(ELF_FIX)/notelf: tests/fixtures/elf/notelf.sh
	$(Q)mkdir -p $(@D)
	$(Q)cp $< $@

# An ELF header and little else; and one that lost its last 64 bytes.
$(ELF_FIX)/truncated: $(ELF_FIX)/prog_pie
	$(Q)head -c 300 $< > $@

$(ELF_FIX)/cut: $(ELF_FIX)/prog_pie
	$(Q)head -c $$(($$(stat -c %s $<) - 64)) $< > $@

# A program with the section every Go binary has (tests/unit/test_exits.c).
$(ELF_FIX)/prog_gofake: $(ELF_FIX)/prog_pie
	$(call msg,OBJCOPY,$@)
	$(Q)printf 'go build info' > $@.sec
	$(Q)objcopy --add-section .go.buildinfo=$@.sec $< $@
	$(Q)rm -f $@.sec

$(OUT)/tests/soak/%: tests/soak/%.c $(LIB_OBJS) $(TESTLIB_OBJS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -Itests/lib $(LDFLAGS) $(filter %.c %.o,$^) $(LDLIBS) -o $@

$(OUT)/tests/bench/%: tests/bench/%.c $(LIB_OBJS) $(TESTLIB_OBJS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -Itests/lib $(LDFLAGS) $(filter %.c %.o,$^) $(LDLIBS) -o $@

# The uprobe benchmark's baseline: its own BPF object and skeleton, not benchtrace's.
$(OUT)/tests/bench/%.bpf.o: tests/bench/%.bpf.c $(OUT)/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUT)/tests/bench/%.skel.h: $(OUT)/tests/bench/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $*_bpf > $@

$(OUT)/tests/bench/uprobe: | $(OUT)/tests/bench/empty_probe.skel.h

# ---- fuzzing (tests/fuzz/) ----------------------------------------------------
# `make fuzz` builds the libFuzzer harnesses into build-fuzz/ (clang, ASan,
# UBSan, every user/*.c but main.c instrumented) and runs each for FUZZ_TIME
# seconds on a copy of its seed corpus; any crash, leak, sanitizer report or
# timeout fails it.  A long campaign: make fuzz FUZZ_TIME=1800; only some
# harnesses: FUZZ_ONLY="fuzz_report fuzz_symtab".  `make test` runs each
# FUZZ_CI_TIME seconds.
FUZZ_TIME ?= 10
FUZZ_CI_TIME ?= 5
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(OUT)/tests/fuzz/%,$(FUZZ_SRCS))
# CSV_SRC_CHUNK: csvread.c reads in 61-byte chunks, so small inputs cross chunk boundaries.
FUZZ_CFLAGS := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -DCSV_SRC_CHUNK=61
.PHONY: fuzz fuzz-build run-fuzz clean-fuzz

fuzz fuzz-build:
	$(Q)$(MAKE) --no-print-directory OUT=build-fuzz CC=$(CLANG) CFLAGS="$(FUZZ_CFLAGS)" \
		LDFLAGS="-fsanitize=address,undefined" $(if $(filter fuzz,$@),run-fuzz,$(FUZZ_BINS:$(OUT)/%=build-fuzz/%))

run-fuzz: $(FUZZ_BINS)
	$(Q)tests/fuzz/run-fuzz $(OUT) $(FUZZ_TIME) $(or $(FUZZ_ONLY),$(notdir $(FUZZ_BINS)))

$(OUT)/tests/fuzz/fuzz.o: tests/fuzz/fuzz.c | $(OUT)/benchtrace.skel.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -Itests/fuzz -c $< -o $@

$(OUT)/tests/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(OUT)/tests/fuzz/fuzz.o $(LIB_OBJS)
	$(call msg,CC-FUZZ,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -Itests/fuzz -fsanitize=fuzzer $(LDFLAGS) $(filter %.c %.o,$^) \
		$(LDLIBS) -o $@

clean: clean-fuzz
clean-fuzz:
	rm -rf build-fuzz

deps:
	$(Q)tests/install-deps

demo-deps:
	$(Q)tests/install-deps --demo

bench-deps:
	$(Q)tests/install-deps --bench

# The programs, the man page and the bash completion; nothing else.  The
# build's packages are installed first if missing, as for make demo.
install: demo-deps
	$(Q)$(MAKE) --no-print-directory install-files; ret=$$?; $(GIVE_BACK); exit $$ret

install-files: $(OUT)/benchtrace
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(INCLUDEDIR)
	$(INSTALL) -m 0644 include/benchtrace.h $(DESTDIR)$(INCLUDEDIR)/benchtrace.h
	$(INSTALL) -m 0755 $(OUT)/benchtrace $(DESTDIR)$(BINDIR)/benchtrace
	$(INSTALL) -m 0644 docs/benchtrace.8 $(DESTDIR)$(MANDIR)/man8/benchtrace.8
	$(INSTALL) -m 0644 completions/benchtrace.bash $(DESTDIR)$(BASHCOMPDIR)/benchtrace

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/benchtrace $(DESTDIR)$(MANDIR)/man8/benchtrace.8 \
		$(DESTDIR)$(BASHCOMPDIR)/benchtrace $(DESTDIR)$(INCLUDEDIR)/benchtrace.h

# The tests, with what is installed: make test installs what is missing first.
check:
	$(Q)$(MAKE) --no-print-directory run-test

# The user-facing targets install what is missing, then re-enter make so the
# real build sees the tools (pkg-config, bpftool) that were just installed.
# Under sudo, what was built is given back to the invoking user, so that a
# later plain `make` can update it.
test soak: deps
	$(Q)$(MAKE) --no-print-directory run-$@; ret=$$?; $(GIVE_BACK); exit $$ret

bench: bench-deps
	$(Q)$(MAKE) --no-print-directory run-$@; ret=$$?; $(GIVE_BACK); exit $$ret

demo: demo-deps
	$(Q)$(MAKE) --no-print-directory run-$@; ret=$$?; $(GIVE_BACK); exit $$ret

GIVE_BACK = if [ -n "$$SUDO_UID" ] && [ "$$(id -u)" = 0 ]; then \
	chown -R "$$SUDO_UID:$$SUDO_GID" $(OUT) $(wildcard build-asan build-fuzz demo-run) 2>/dev/null; fi

unit: $(UNIT_BINS)
	$(Q)tests/run-tests $(OUT) unit

integration: $(OUT)/benchtrace $(INTEG_BINS) $(WORKLOAD_BINS)
	$(Q)tests/run-tests $(OUT) integration

# The sanitizer build first (unit tests, and integration tests driving an
# ASan+UBSan benchtrace), the unit tests under valgrind, each fuzzer for
# FUZZ_CI_TIME seconds, then the plain build: the last summary line is the
# whole suite's.
#
# Every stage runs even when one before it failed (tests/run-stages), and the
# last line sums them all.  `make test T=test_python` runs that binary of
# the plain build alone, `T=test_python:test_mpi*` those of its tests.
T ?=
run-test: $(OUT)/benchtrace $(UNIT_BINS) $(INTEG_BINS) $(WORKLOAD_BINS)
ifeq ($(T),)
	$(Q)tests/run-stages \
		"asan=$(MAKE) --no-print-directory asan ASAN_INTEGRATION=1" \
		"valgrind=$(MAKE) --no-print-directory valgrind" \
		"fuzz=$(MAKE) --no-print-directory fuzz FUZZ_TIME=$(FUZZ_CI_TIME)" \
		"plain=tests/run-tests $(OUT) all"
else
	$(Q)BT_TEST_ONLY='$(T)' tests/run-tests $(OUT) all
endif

asan:
	$(Q)mkdir -p build-asan && echo asan > build-asan/.sanitized
	$(Q)$(MAKE) --no-print-directory OUT=build-asan \
		CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined" unit $(if $(ASAN_INTEGRATION),integration)

# The unit tests under valgrind's memcheck: any error or definite leak fails.
VALGRIND := valgrind -q --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect
valgrind: $(UNIT_BINS)
	$(Q)BT_TEST_WRAPPER="$(VALGRIND)" tests/run-tests $(OUT) unit

run-bench: $(OUT)/benchtrace $(BENCH_BINS) $(WORKLOAD_BINS)
	$(Q)for b in $(BENCH_BINS); do $$b $(OUT) || exit 1; done

# An hour of tracing a busy program (SOAK_S to change it): not in CI.
SOAK_S ?= 3600
run-soak: $(OUT)/benchtrace $(OUT)/tests/soak/soak $(WORKLOAD_BINS)
	$(Q)$(OUT)/tests/soak/soak $(OUT) $(SOAK_S)

run-demo: $(OUT)/benchtrace $(OUT)/tests/workloads/demo
	$(Q)rm -rf demo-run
	./$(OUT)/benchtrace -o demo-run -u 'demo_*' -- ./$(OUT)/tests/workloads/demo
	./$(OUT)/benchtrace report demo-run
	@echo "run directory: demo-run/ (samples.csv, events.csv, processes.csv, calls.csv, functions.csv, meta.json, report.html)"

format:
	clang-format -i bpf/*.c bpf/*.h user/*.c user/*/*.c user/*/*.h include/*.h tests/*/*.c tests/unit/*/*.c

clean:
	rm -rf build build-asan demo-run

-include $(shell find $(OUT) build-asan -name '*.d' 2>/dev/null)
