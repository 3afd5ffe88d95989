GO      ?= go
ARGS    ?= --simulate 200 --dev

.PHONY: all build run test test-deps fuzz fuzz-short vet bench bench-sweep clean

all: build

build:
	$(GO) build -o bin/finstream ./cmd/finstream

## run: the main job on its embedded default (broker, registry, processors, API) with simulated traffic
run:
	$(GO) run ./cmd/finstream run $(ARGS)

## test: installs what the tests need (kcat), vets, runs every test, then every fuzz target for $(FUZZ_SHORT)
test: test-deps
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 30m ./...
	$(MAKE) fuzz-short

FUZZ_SHORT ?= 4s
FUZZ_TIME  ?= 2m

## fuzz-short: every fuzz target for $(FUZZ_SHORT) (part of make test; under a minute)
fuzz-short:
	@GO=$(GO) .ci/fuzz $(FUZZ_SHORT)

## fuzz: every fuzz target for $(FUZZ_TIME); reports the inputs tried per target and that none crashed
fuzz:
	@GO=$(GO) .ci/fuzz $(FUZZ_TIME)

test-deps:
	@.ci/install-deps

SWEEP_USERS  ?= 100000,10000,1000,500
SWEEP_EVENTS ?= 1000000

## bench: the pipeline benchmark (every group, then the hot path), the history sweep and benchmarks/RESULTS.md
bench:
	$(GO) run ./benchmarks/pipeline -users 100000 -events 1000000 -json benchmarks/pipeline/results-all.json
	$(GO) run ./benchmarks/pipeline -hot-path -users 100000 -events 1000000 -json benchmarks/pipeline/results-hot.json
	$(MAKE) bench-sweep
	$(GO) run ./benchmarks/pipeline -report benchmarks/RESULTS.md

## bench-sweep: every group at $(SWEEP_EVENTS) events for each user count in $(SWEEP_USERS) (10 to 2,000 events per user), one JSON per point in benchmarks/pipeline/sweep/, then benchmarks/RESULTS.md
bench-sweep:
	$(GO) run ./benchmarks/pipeline -sweep-users $(SWEEP_USERS) -events $(SWEEP_EVENTS) -ws-clients 200 -ws-min-share 0.05

clean:
	rm -rf bin data
