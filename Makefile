# optunad — build, run, test, benchmark, install.
#   make run     build and start optunad in the foreground with its defaults (SQLite storage)
#   make demo    start optunad in the background, tune a toy objective with optunactl, stop it
#   make test    everything CI runs (Swift tests, Python client and interop tests, unit and man page checks)
#   make bench   latency and throughput, side by side with Python Optuna
#   make install PREFIX=/usr/local DESTDIR=...

PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift
# On x86-64 the code is compiled for Haswell-level CPUs (AVX2, FMA; every x86-64 server CPU since 2015): the
# samplers' SIMD kernels and the GP's linear algebra run about twice as fast as with the SSE2 baseline.
# OPTUNAD_BASELINE_CPU=1 keeps the baseline (older CPUs); SWIFTFLAGS= overrides it entirely.
ifeq ($(shell uname -m)$(OPTUNAD_BASELINE_CPU),x86_64)
SWIFTFLAGS ?= -Xswiftc -target-cpu -Xswiftc haswell
endif
CONFIG ?= release
BIN = .build/$(CONFIG)
VENV ?= /opt/optuna-venv
PYTHON = $(VENV)/bin/python
APT_PACKAGES = libsqlite3-dev libsystemd-dev pkg-config mandoc scdoc socat jq python3-venv systemd-container

.PHONY: all deps build build-debug run demo test test-swift test-python venv bench stress man install clean

all: build

deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build $(SWIFTFLAGS) -c $(CONFIG) --product optunad
	$(SWIFT) build $(SWIFTFLAGS) -c $(CONFIG) --product optunactl

build-debug: deps
	$(SWIFT) build $(SWIFTFLAGS) --build-tests

run: build
	exec $(BIN)/optunad

demo: build
	PATH="$(CURDIR)/$(BIN):$$PATH" bash protocol/examples/demo.sh

venv:
	@if [ ! -x $(PYTHON) ]; then python3 -m venv $(VENV); fi
	@$(PYTHON) -c 'import optuna, pytest, jsonschema, scipy, pandas, sklearn, cmaes' 2>/dev/null || \
		$(VENV)/bin/pip install -q 'optuna==5.0.0' 'scipy==1.17.1' 'numpy==2.4.6' cmaes pytest jsonschema \
			pandas joblib scikit-learn matplotlib

# Everything CI runs: the Swift suites, the Python client, protocol, fuzz and systemd suites against the real
# binaries, pruner decisions against the installed Optuna, the units, the man pages, and (as root) the end-to-end
# test under a real systemd.
test: deps venv build-debug
	$(SWIFT) test $(SWIFTFLAGS) --skip-build --disable-xctest
	$(MAKE) --no-print-directory test-python test-parity test-system

test-python: venv
	CI=$${CI:-true} OPTUNAD_BIN=$(CURDIR)/.build/debug/optunad OPTUNACTL_BIN=$(CURDIR)/.build/debug/optunactl \
		$(PYTHON) -m pytest -q -p no:cacheprovider tests/python tests/protocol tests/fuzz tests/stress tests/systemd

test-parity: venv
	$(PYTHON) tests/parity/pruner_parity.py check

test-system: build-debug
	systemd/check-units.sh
	man/lint.sh
	fuzz/run.sh 30
	@if [ "$$(id -u)" = 0 ]; then tests/systemd/e2e.sh; else echo "e2e under systemd skipped: needs root"; fi

bench: build venv
	$(SWIFT) build $(SWIFTFLAGS) -c $(CONFIG) --product optunad-inprocess-bench
	$(SWIFT) build $(SWIFTFLAGS) -c $(CONFIG) --product optunad-floor-bench
	$(PYTHON) bench/bench.py --optunad $(BIN)/optunad --floor $(BIN)/optunad-floor-bench
	$(PYTHON) bench/sampler_speed.py --optunad $(BIN)/optunad --inprocess $(BIN)/optunad-inprocess-bench \
		--samplers tpe,tpe-independent --sizes 100,1000,10000 --params 10
	$(PYTHON) bench/sampler_speed.py --optunad $(BIN)/optunad --inprocess $(BIN)/optunad-inprocess-bench \
		--samplers cmaes,nsga2,qmc,random --sizes 1000,10000 --params 5
	$(PYTHON) bench/sampler_speed.py --optunad $(BIN)/optunad --inprocess $(BIN)/optunad-inprocess-bench \
		--samplers grid --sizes 1000,10000 --params 5 --optuna-max 1000
	$(PYTHON) bench/sampler_speed.py --optunad $(BIN)/optunad --inprocess $(BIN)/optunad-inprocess-bench \
		--samplers gp --sizes 100,300 --params 5 --asks 5 --optuna-max 0
	$(PYTHON) bench/pruner_speed.py --optunad $(BIN)/optunad --sizes 300,1000,3000
	$(PYTHON) bench/external_writer.py --optunad $(BIN)/optunad
	$(PYTHON) bench/cold_load.py --optunad $(BIN)/optunad --trials 100000
	$(PYTHON) bench/loop_fairness.py --optunad $(BIN)/optunad

stress: build venv
	$(PYTHON) bench/stress.py --optunad $(BIN)/optunad --connections 256 --seconds 60
	$(PYTHON) bench/stress.py --optunad $(BIN)/optunad --connections 256 --seconds 20 --sync full

man:
	man/build.sh

# Units go where systemd looks under PREFIX (/usr/local/lib/systemd/system for the default PREFIX), with ExecStart=
# pointing at the installed binary; run `systemd-sysusers` and `systemctl daemon-reload` after installing.
UNITDIR = $(DESTDIR)$(PREFIX)/lib/systemd
install: build man
	install -Dm755 $(BIN)/optunad $(DESTDIR)$(PREFIX)/bin/optunad
	install -Dm755 $(BIN)/optunactl $(DESTDIR)$(PREFIX)/bin/optunactl
	for page in man/*.[1-8]; do \
		install -Dm644 $$page $(DESTDIR)$(PREFIX)/share/man/man$${page##*.}/$${page#man/} || exit 1; \
	done
	for dir in system user; do \
		src=systemd; [ $$dir = user ] && src=systemd/user; \
		sed 's|^ExecStart=/usr/bin/optunad|ExecStart=$(PREFIX)/bin/optunad|' $$src/optunad.service \
			| install -Dm644 /dev/stdin $(UNITDIR)/$$dir/optunad.service || exit 1; \
		install -Dm644 $$src/optunad.socket $(UNITDIR)/$$dir/optunad.socket || exit 1; \
	done
	install -Dm644 systemd/optunad.sysusers $(DESTDIR)$(PREFIX)/lib/sysusers.d/optunad.conf

clean:
	rm -rf .build
