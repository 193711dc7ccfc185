# Top-level driver: every target builds through CMake in its own build folder.
JOBS      ?= $(shell nproc)
BUILD     ?= build
CMAKE_GEN := -DCMAKE_BUILD_TYPE=Release
DURATION  ?= 60
SECONDS   ?= 30
# make bench: tickshm, iceoryx, ZeroMQ, Unix sockets and pipes at 1 to 64 readers, symbol scaling,
# and the charts of docs/BENCHMARKS.md refreshed in docs/img.
BENCH_SERIES ?= --readers 1,2,4,8,16,32,64 --symbol-counts 20,1000,65536 --plot docs/img
# Sanitizer builds: -O1 (what the sanitizers' docs advise) with line tables only; they compile in about
# half the time of -O2 -g, which keeps CI inside its budget.
SAN_FLAGS := -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
             -DTICKSHM_BUILD_BENCH=OFF

.PHONY: all build deps test run bench asan tsan format clean chaos fuzz

all: build

deps:
	@scripts/install-deps.sh --quiet

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) $(CMAKE_GEN)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 600

# Quiet on a built tree: the build's output goes to a log, shown only when the build fails.
run: deps $(BUILD)/CMakeCache.txt
	@cmake --build $(BUILD) -j $(JOBS) >$(BUILD)/build.log 2>&1 || { tail -n 40 $(BUILD)/build.log; \
	  echo "make run: the build failed (whole log: $(BUILD)/build.log)"; exit 1; }
	@scripts/launch.sh start

bench: build
	$(BUILD)/bin/tickshm-bench --json $(BUILD)/bench.json $(BENCH_SERIES) $(BENCH_FLAGS)
	$(BUILD)/bin/tickshm-microbench --benchmark_min_time=0.2 --benchmark_out=$(BUILD)/microbench.json \
	  --benchmark_out_format=json

asan: deps
	cmake -S . -B build-asan $(SAN_FLAGS) -DTICKSHM_ASAN=ON -DTICKSHM_TEST_SKIP=chaos
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS) --timeout 900 -LE 'chaos|slow|bench|timing'

# TSan skips the test folders with no threads to check: the programs run none of their own (only the
# bridge's NATS client does), so what it checks is the ring under in-process writer and reader threads
# (common) and the bridge's callbacks; feed, algo and stat tests drive single-threaded processes, and
# e2e, hostile, chaos and fuzz would only be slower.
TSAN_TEST_SKIP := e2e;hostile;chaos;fuzz;feed;algo;stat
tsan: deps
	cmake -S . -B build-tsan $(SAN_FLAGS) -DTICKSHM_TSAN=ON -DTICKSHM_TEST_SKIP='$(TSAN_TEST_SKIP)'
	cmake --build build-tsan -j $(JOBS)
	cd build-tsan && TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
	  ctest --output-on-failure -j $(JOBS) --timeout 900 -LE 'chaos|slow|e2e|cluster|hostile|fuzz|bench|timing'

chaos: build
	cd $(BUILD) && TICKSHM_CHAOS_SECONDS=$(DURATION) ctest --output-on-failure -L chaos --timeout $$(( $(DURATION) + 300 ))

fuzz: deps
	scripts/fuzz.sh $(SECONDS)

format:
	find common feed algo dashboard tools bench bridge tests fuzz -name '*.hpp' -o -name '*.cpp' | xargs clang-format -i

clean:
	rm -rf build build-asan build-tsan build-fuzz
