# The two commands a person needs: `make demo` and `make test`.
# Everything else is here for developers.

SHELL := /bin/bash
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := 1
JOBS ?= $(shell nproc)
# Seconds each fuzz target runs in `make fuzz` (make test runs each for 3).
FUZZ_SECONDS ?= 60
# make chaos: SIGKILLs across the services over one slow replay, and their seed.
CHAOS_KILLS ?= 50
CHAOS_SEED ?= 1
# make test-tsan: the test binaries with threads of their own or of the
# processes they start (the bus, telemetry's exporter, the admin server, the
# store's pool, the services).
TSAN_TESTS ?= ^(bus_test|bus_process_test|telemetry_test|admin_test|store_test|ha_test|execution_service_test|risk_service_test|signal_service_test|signer_test):

.PHONY: all bootstrap build test demo bench chaos format format-check test-tsan fuzz release clean help

all: build

help:
	@echo "make demo        bootstrap, build (release), run the whole suite on the bundled data"
	@echo "make test        bootstrap, build (dev: ASan+UBSan), check formatting, run every test, fuzz 3 s each"
	@echo "make build       configure and build the dev preset"
	@echo "make bench       build (release) and run the benchmarks; see docs/benchmarks.md"
	@echo "make format      apply .clang-format to every C++ and proto file"
	@echo "make chaos       build (release), run the suite while killing services (CHAOS_KILLS=50, CHAOS_SEED=1)"
	@echo "make test-tsan   build with ThreadSanitizer and run the threaded tests (not in CI)"
	@echo "make fuzz        build the libFuzzer targets (clang) and run each FUZZ_SECONDS (60)"

bootstrap:
	@./scripts/bootstrap.sh

build: bootstrap
	@cmake --preset dev >/dev/null
	@cmake --build --preset dev -j $(JOBS)

release: bootstrap
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

test: build format-check
	@ctest --preset dev -j 2
	@JOBS=$(JOBS) ./scripts/fuzz.sh 3

format:
	@./scripts/format.sh apply

format-check:
	@./scripts/format.sh check

demo: release
	@./scripts/demo.sh

bench: release
	@./scripts/bench.sh

chaos: release
	@python3 tests/system/chaos.py --bin build/release/bin --kills $(CHAOS_KILLS) --faults 20 \
		--seed $(CHAOS_SEED) --speed 5 --out build/chaos

test-tsan: bootstrap
	@cmake --preset tsan >/dev/null
	@cmake --build --preset tsan -j $(JOBS)
	@ctest --preset tsan -j 2 -R "$(TSAN_TESTS)"

fuzz: bootstrap
	@JOBS=$(JOBS) ./scripts/fuzz.sh $(FUZZ_SECONDS)

clean:
	@rm -rf build
