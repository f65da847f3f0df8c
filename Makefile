# loopprobe - a thin wrapper over CMake.  See README.md.
#
#   make run        install what is missing (as root), build, run loopprobe
#   make test       the same set-up, then every test: unit, CLI, scenarios,
#                   valgrind, and the whole suite again under ASan+UBSan
#   make bench      the benchmarks in bench/
#   make install    install into PREFIX (default /usr/local)

BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
PREFIX     ?= /usr/local
ARGS       ?=
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=RelWithDebInfo

SOURCES := $(wildcard include/*.h backends/*.[ch] probes/*.[ch] report/*.[ch] cli/*.[ch] \
             tests/unit/*.[ch] tests/scenarios/*.c bench/*.c)

.PHONY: all deps deps-test configure build run test test-build test-asan bench format \
        format-check install clean

all: build

deps:
	@scripts/deps.sh run

deps-test:
	@scripts/deps.sh test

configure: deps
	@cmake -S . -B $(BUILD) $(CMAKE_FLAGS) -DCMAKE_INSTALL_PREFIX=$(PREFIX) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	./$(BUILD)/loopprobe $(ARGS)

test: deps-test format-check test-build test-asan

test-build:
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-asan:
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DLP_SANITIZE=ON
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build
	./$(BUILD)/bench/lp_bench

format:
	clang-format -i $(SOURCES)

format-check:
	@clang-format --dry-run --Werror $(SOURCES)
	@echo "clang-format: $(words $(SOURCES)) files clean"

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
