# SPDX-License-Identifier: MIT
# loopprobe - a thin wrapper over CMake.  See README.md.
#
#   make run        install what building and running needs (as root),
#                   build quietly (V=1 shows the output), run loopprobe
#   make test       the test packages too, then every test: unit, CLI,
#                   scenarios, valgrind, and the whole suite again under
#                   ASan+UBSan
#   make bench      the benchmarks in bench/
#   make install    install into PREFIX (default /usr/local)
#   make deb        the Debian packages, in build-deb/
#   make test-fresh-root, make test-deb
#                   the README's commands and the packages on a fresh
#                   Debian 12 root (scripts/fresh-root.sh; CI runs them)
#   make test-windows, make check-macos, make test-aarch64, make test-musl
#                   the other platforms and Linux worlds (below)

BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
PREFIX     ?= /usr/local
ARGS       ?=
# Extra ctest arguments, e.g. CTEST_ARGS='-LE machine-wide' to leave out the
# tests that change machine-wide sysctls for a moment (while other test runs
# share the machine).
CTEST_ARGS ?=
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo

SOURCES := $(wildcard include/*.h base/*.[ch] sys/*.[ch] loader/*.[ch] backends/*.[ch] \
             backends/*/*.[ch] probes/*.[ch] classify/*.[ch] report/*.[ch] entry/*.[ch] \
             fleet/*.[ch] cli/*.[ch] tests/*/*.[ch] examples/*.c bench/*.c)

.PHONY: all deps deps-test configure build run test test-build test-asan bench docs format \
        format-check spdx-check install clean deb test-fresh-root test-deb

all: build

deps:
	@scripts/deps.sh run

deps-test:
	@scripts/deps.sh test

# Configuring and building print nothing unless they fail (then the whole
# log), or V=1 asks for it: make run shows the report, not the compiler.
V ?= 0
ifeq ($(V),1)
QUIET :=
else
QUIET = >$(BUILD)/make.log 2>&1 || { cat $(BUILD)/make.log; exit 1; }
endif

configure: deps
	@mkdir -p $(BUILD)
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(QUIET)

build: configure
	@cmake --build $(BUILD) -j $(JOBS) $(QUIET)

run: build
	@./$(BUILD)/loopprobe $(ARGS)

test: deps-test format-check spdx-check test-build test-asan

test-build:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS) -DLP_BUILD_TESTS=ON
	cmake --build $(BUILD) -j $(JOBS)
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

test-asan:
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DLP_SANITIZE=ON -DLP_BUILD_TESTS=ON
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

# The reference is the system's Python (a version manager's shim would add
# its own start-up to every run).
BENCH_PYTHON ?= $(firstword $(wildcard /usr/bin/python3) python3)

# The wrapper whose waits never return (tests/scenarios/wrap_hang.c) shows
# what a hanging probe costs; LP_BENCH_PAIRS=N changes the number of pairs.
BENCH_HANG = $(BUILD)/tests/scenarios/libwrap_hang.so

bench: build
	./$(BUILD)/bench/lp_bench ./$(BUILD)/loopprobe $(BENCH_PYTHON) \
	  $(if $(wildcard $(BENCH_HANG)),$(BENCH_HANG))
	./$(BUILD)/bench/lp_bench_check
	./$(BUILD)/bench/lp_bench_fleet ./$(BUILD)/loopprobe

# docs/vocabulary.md and the schema's enums, from the tables in loopprobe.h.
docs: build
	cmake --build $(BUILD) --target test_docs
	LP_UPDATE_DOCS=1 ./$(BUILD)/tests/unit/test_docs

format:
	clang-format -i $(SOURCES)

spdx-check:
	@scripts/check-spdx.sh

format-check:
	@clang-format --dry-run --Werror $(SOURCES)
	@echo "clang-format: $(words $(SOURCES)) files clean"

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(DEB_BUILD)

# --- the Debian packages, and the fresh machine ------------------------------
#
#   make deb              builds the packages of debian/ with
#                         dpkg-buildpackage -us -uc -b from a copy of the
#                         sources in build-deb/ (where the .debs land), then
#                         runs lintian on them (an error fails)
#   make test-fresh-root  make run, make test, make install and python3 -m
#                         loopprobe in a clean clone inside a fresh minimal
#                         Debian 12 root (scripts/fresh-root.sh)
#   make test-deb         make deb, then the packages installed with apt-get
#                         into a fresh root, and loopprobe --format json there

DEB_BUILD ?= build-deb

deb:
	@scripts/deps.sh deb
	@scripts/deb.sh $(DEB_BUILD)

test-fresh-root:
	@scripts/deps.sh fresh-root
	scripts/fresh-root.sh readme

test-deb: deb
	@scripts/deps.sh fresh-root
	scripts/fresh-root.sh deb $(DEB_BUILD)

# --- the other platforms: Windows under Wine, macOS compiled --------------
#
#   make test-windows  cross-builds loopprobe and its tests with mingw-w64,
#                      runs them and the command under Wine
#   make check-macos   compiles the macOS build (x86_64 and arm64) with zig cc,
#                      warnings as errors
# Both install their toolchains first (scripts/toolchains.sh), as make test
# installs its packages.

WIN_BUILD   ?= build-win
MACOS_ARCHS ?= x86_64 aarch64
WINE        ?= wine
WINE_ENV     = WINEPREFIX=$(CURDIR)/$(WIN_BUILD)/wineprefix WINEDEBUG=-all \
               WINEDLLOVERRIDES="mscoree,mshtml="


.PHONY: test-windows check-macos

test-windows:
	@scripts/toolchains.sh windows
	cmake -S . -B $(WIN_BUILD) -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-mingw64.cmake \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLP_BUILD_TESTS=ON
	cmake --build $(WIN_BUILD) -j $(JOBS)
	$(WINE_ENV) $(WINE) $(WIN_BUILD)/loopprobe.exe --version
	cd $(WIN_BUILD) && $(WINE_ENV) ctest --output-on-failure -j $(JOBS)
	$(WINE_ENV) $(WINE) $(WIN_BUILD)/loopprobe.exe
	$(WINE_ENV) wineserver -w

check-macos:
	@scripts/toolchains.sh macos
	@set -e; for arch in $(MACOS_ARCHS); do \
	  dir=build-macos-$$(echo $$arch | sed 's/aarch64/arm64/'); \
	  echo "== macOS $$arch in $$dir"; \
	  cmake -S . -B $$dir -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-zig-macos.cmake \
	    -DLP_MACOS_ARCH=$$arch -DLP_BUILD_TESTS=OFF -DLP_WERROR=ON \
	    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null; \
	  cmake --build $$dir -j $(JOBS); \
	  file -L $$dir/loopprobe $$dir/libloopprobe.dylib 2>/dev/null || true; \
	done

# --- the other Linux worlds: glibc on aarch64 under qemu-user, musl ---------
#
#   make test-aarch64  cross-builds loopprobe and its tests for aarch64 with
#                      Debian's gcc-aarch64-linux-gnu against Debian's arm64
#                      packages (unpacked into .toolchains/aarch64/root), runs
#                      them under qemu-aarch64 with that root as /, then
#                      prints the matrix
#   make test-musl     builds loopprobe and its tests with Debian's musl-gcc
#                      (the libraries' headers from .toolchains/musl/root),
#                      runs them, then prints the matrix
# Both install their toolchains first (scripts/toolchains.sh) and build only
# what their tests need (tests/worlds, the target lp_world).

AARCH64_BUILD ?= build-aarch64
MUSL_BUILD    ?= build-musl
WORLD_LIBS     = -DLP_WITH_LIBURING=ON -DLP_WITH_LIBUV=ON -DLP_WITH_LIBEV=ON -DLP_WITH_LIBEVENT=ON

.PHONY: test-aarch64 test-musl

test-aarch64:
	@scripts/toolchains.sh aarch64
	cmake -S . -B $(AARCH64_BUILD) -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-aarch64-linux-gnu.cmake \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLP_BUILD_TESTS=ON $(WORLD_LIBS)
	cmake --build $(AARCH64_BUILD) -j $(JOBS) --target lp_world
	cd $(AARCH64_BUILD) && ctest --output-on-failure -j $(JOBS)
	qemu-aarch64 -L $(CURDIR)/.toolchains/aarch64/root $(AARCH64_BUILD)/loopprobe

test-musl:
	@scripts/toolchains.sh musl
	cmake -S . -B $(MUSL_BUILD) -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-musl.cmake \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLP_BUILD_TESTS=ON $(WORLD_LIBS)
	cmake --build $(MUSL_BUILD) -j $(JOBS) --target lp_world
	cd $(MUSL_BUILD) && ctest --output-on-failure -j $(JOBS)
	$(MUSL_BUILD)/loopprobe
