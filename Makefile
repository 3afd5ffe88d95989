GO      ?= go
ARGS    ?= --simulate 200 --dev

.PHONY: all build run test test-deps vet bench clean

all: build

build:
	$(GO) build -o bin/finstream ./cmd/finstream

## run: the main job on its embedded default (broker, registry, processors, API) with simulated traffic
run:
	$(GO) run ./cmd/finstream run $(ARGS)

## test: installs what the tests need (kcat), vets, runs every test
test: test-deps
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 30m ./...

test-deps:
	@.ci/install-deps

## bench: the pipeline benchmark (every group, then the hot path) and benchmarks/RESULTS.md
bench:
	$(GO) run ./benchmarks/pipeline -users 100000 -events 1000000 -json benchmarks/pipeline/results-all.json
	$(GO) run ./benchmarks/pipeline -hot-path -users 100000 -events 1000000 -json benchmarks/pipeline/results-hot.json
	$(GO) run ./benchmarks/pipeline -report benchmarks/RESULTS.md

clean:
	rm -rf bin data
