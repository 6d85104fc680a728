# PyMemLab -- the two commands:
#
#   make serve    build what is missing and serve the playground at http://localhost:8000/
#                 (PORT=9000 make serve for another port)
#   make test     install what is missing (Debian, as root), build all five configurations
#                 and run every test suite
#
# Inner loop for core work (not needed by users):
#   make check-native             build native, run its C tests and tests/py (seconds)
#   make check SUITES="py-asan"   run chosen suites of tests/run_all.sh after building all
#   make native | asan | stress | emscripten | wasi     build one configuration
#   make fuzz                     build the libFuzzer harness build/fuzz/fuzz_run
#                                 (then tests/fuzz/run.sh; see tests/fuzz/README.md)
#   make web                      bundle the page into build/web/ (node web/build.mjs)
#   make known-failures           rewrite tests/known_failures.txt from the current core
#   make clean                    remove build/

SHELL := /bin/bash
PORT ?= 8000

# Debian packages the builds and tests need.  A fresh Debian 12 machine of this project
# already has cmake, clang, make and node 20 (with npm); the rest is installed when missing.
SERVE_PACKAGES := cmake ninja-build emscripten
APT_PACKAGES := $(SERVE_PACKAGES) clang lld-14 wasi-libc libclang-rt-14-dev-wasm32 \
                binaryen wabt chromium
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

CONFIGS := native asan stress emscripten wasi

.PHONY: serve test check check-native deps serve-deps npm-deps build-all known-failures \
        web fuzz clean $(CONFIGS)

# $(call apt_ensure,PACKAGES): apt-get install those of PACKAGES that dpkg does not list as
# installed (plus node and npm if there is no node); nothing, not even apt-get update, when
# all are there.
define apt_ensure
	@missing=""; \
	for p in $(1); do \
	    dpkg -s "$$p" 2>/dev/null | grep -q '^Status: install ok installed' || missing="$$missing $$p"; \
	done; \
	command -v node >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	    echo "installing:$$missing"; \
	    $(SUDO) apt-get update && \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y $$missing; \
	fi
endef

# --- the two commands ----------------------------------------------------------------------

serve: serve-deps
	@$(MAKE) --no-print-directory emscripten web
	node web/serve.mjs --port $(PORT)

test: deps
	@$(MAKE) --no-print-directory npm-deps build-all web fuzz
	tests/run_all.sh

# --- inner loop ------------------------------------------------------------------------------

check-native: native
	tests/run_all.sh ctest-native py-native

check: build-all npm-deps web fuzz
	tests/run_all.sh $(SUITES)

known-failures: native
	tests/corpus_check.sh --update ./build/native/pymemlab run

# --- installing what is missing ----------------------------------------------------------------

deps:
	$(call apt_ensure,$(APT_PACKAGES))

serve-deps:
	$(call apt_ensure,$(SERVE_PACKAGES))

npm-deps: node_modules/.package-lock.json

# npm writes node_modules/.package-lock.json; it is stale when package(-lock).json changed.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# The page's bundles (build/web/): esbuild over web/, well under a second.
web: npm-deps
	node web/build.mjs

# --- builds (CMakePresets.json; cmake re-configures by itself when CMakeLists.txt changes) --

build-all: $(CONFIGS)

$(CONFIGS): %: build/%/CMakeCache.txt
	cmake --build build/$*

build/%/CMakeCache.txt: CMakePresets.json
	cmake --preset $*

# The fuzzing harness is one target of its own configuration (the C tests are not built there).
fuzz: build/fuzz/CMakeCache.txt
	cmake --build build/fuzz --target fuzz_run

clean:
	rm -rf build
