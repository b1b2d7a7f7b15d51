# matome: `make serve` runs the app on the sample posts, `make test` runs every test.
# Both install what is missing first (see scripts/install-*.sh); versions live in
# scripts/versions.env and Cargo.lock.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
# scripts/bin/wasm-opt caches npm's wasm-opt (node_modules/.bin) for Trunk: an unchanged
# wasm is not optimised again (scripts/wasm-opt-cache-check.sh checks it).
export PATH := $(CURDIR)/scripts/bin:$(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export TRUNK_SKIP_VERSION_CHECK := true
export CHROMEDRIVER ?= /usr/bin/chromedriver

.PHONY: tools browser serve compile check content app app-trunk matome dist dist-sub test lint lint-deps test-native test-budget test-wasm test-e2e test-deploy test-tools bench bench-app bench-binary bench-load bench-a11y bench-search bench-serve clean

# `matome` as the targets run it: built with the `native` profile (optimised, no fat LTO),
# or the binary MATOME_BIN names (`make test` passes the one its single build made).
MATOME_BIN ?=
MATOME = $(or $(MATOME_BIN),cargo run --quiet --locked --profile native -p matome-cli --bin matome --)
# The site's configuration and the output folder of `make dist` / `make content`
# (e.g. `make dist CONFIG=../my-site/build.json DIST=../my-site/dist`).
CONFIG ?= build.json
DIST ?= dist

tools:
	@bash scripts/install-tools.sh

browser:
	@bash scripts/install-browser.sh

## Compile the sample posts into the bundle (target/bundle) without the app.
compile:
	$(MATOME) compile --config $(CONFIG)

## Validate the posts and list every problem.
check:
	$(MATOME) check --config $(CONFIG)

## Serve the app on http://127.0.0.1:8080/ with live reload (scripts/serve.sh): Trunk
## rebuilds the app in watch mode, `matome serve` republishes a saved post (only its
## files and the lists it is on) and reloads the open pages.
serve: tools
	MATOME_CONFIG=$(CONFIG) bash scripts/serve.sh

## Release build into dist/, ready for any static host: the release app (`make app`)
## and the posts, published by `matome publish` (pages, data, feeds), touching only files
## whose content changed. The site is served under build.json's `base_path`; another
## one with `make dist BASE_PATH=/sub/path/` (every link, asset and feed URL follows).
BASE_PATH ?=
PUBLISH = $(MATOME) publish --config $(CONFIG) $(if $(BASE_PATH),--base-path $(BASE_PATH)) --app $(APP_DIR)
dist: tools app
	$(PUBLISH) --site $(DIST)

## The release app into APP_DIR: Trunk builds it with relative URLs into
## target/trunk-app (`make app-trunk`), then `matome prepare-app` joins the stylesheets,
## names the files after their content and writes the loader. One app serves every
## base path: publishing places it.
APP_DIR ?= target/app
app: app-trunk
	$(MATOME) prepare-app target/trunk-app --out $(APP_DIR)

app-trunk: tools
	trunk build --release --offline --public-url ./ --dist target/trunk-app

## One self-contained binary for site authors, target/matome: `matome` with the release
## app inside (`matome embed-app`). Copied alone to another machine (no Rust, Trunk,
## Node or make), it initialises, builds, serves and checks a Hugo site where it stands.
matome: app
	$(MATOME) embed-app --app $(APP_DIR) --out target/matome \
		--commit "$$(git rev-parse HEAD 2>/dev/null)" --rustc "$$(rustc --version)"
	@echo "target/matome: $$(du -h target/matome | cut -f1), of which the app: $$(du -ch $(APP_DIR)/* | tail -1 | cut -f1) before compression"

## Content-only publish (an author added or edited posts; the app is unchanged): the app
## from the last `make dist` and the new content into dist/.
content: $(if $(wildcard $(APP_DIR)/index.html),,app)
	@[ -f $(APP_DIR)/index.html ] || { echo "no app in $(APP_DIR): run make dist first" >&2; exit 2; }
	$(PUBLISH) --site $(DIST)

## The same site under /sub/path/, into dist-sub/ (deploy that folder's contents at
## /sub/path/): the same app, published for another base path.
dist-sub: app
	$(MATOME) publish --config build.json --base-path /sub/path/ --app $(APP_DIR) --site dist-sub

## Every test (scripts/test.sh): each artefact built once, the time of each step and the
## count of tests and checks printed at the end (logs in target/test-logs/).
test:
	bash scripts/test.sh

# Tests over ../shared/corpus pass with a `skipped (no ../shared/corpus): <test>` line on
# stderr when it is missing; the last line of the run counts them.
CORPUS_SKIPS = n=$$(grep -c 'skipped (no ../shared/corpus): ' $(1) || true); \
	if [ "$$n" != 0 ]; then echo "$$n corpus test(s) skipped: ../shared/corpus is missing"; fi

## Formatting and clippy (warnings are errors), native and wasm.
lint:
	cargo fmt --all --check
	cargo clippy --locked --workspace --all-targets -- -D warnings
	cargo clippy --locked -p matome-web --target wasm32-unknown-unknown --all-targets -- -D warnings
	@$(MAKE) -s lint-deps

lint-deps:
	@# The compiler stays pure: no image or compression crate below it, and sha2 is the one
	@# hashing crate (every cache key and hashed name is SHA-256: crates/compiler/src/hash.rs).
	@deps=$$(cargo tree --locked -p matome-compiler -e normal --prefix none | awk '{print $$1}' | sort -u); \
	bad=$$(grep -xE 'image|jpeg-encoder|png|brotli|flate2|miniz_oxide|blake2|blake3|xxhash-rust|fnv|twox-hash|md-5|md5|sha1|sha3|siphasher|seahash|matome-site|matome-web' <<<"$$deps" || true); \
	if [ -n "$$bad" ]; then echo "matome-compiler must not depend on: $$bad" >&2; exit 1; fi; \
	grep -qx sha2 <<<"$$deps" || { echo "matome-compiler hashes with sha2, which it no longer depends on" >&2; exit 1; }; \
	echo "matome-compiler depends on no image or compression crate; sha2 is its one hashing crate"

# Snapshot tests (insta) fail on any difference and never write or accept snapshots here,
# whatever INSTA_* the shell has; update them with `cargo insta review` and commit.
# The native tests are those of every package but the app's component tests (they run
# in Chromium, `make test-wasm`) and the end-to-end tests in Chromium (`make test-e2e`);
# the unit tests of the app's library (plain functions: formatting) and of the
# end-to-end harness (its server, page objects) are native tests. cargo-nextest
# runs the test binaries side by side; selecting with its filter keeps the build the
# whole workspace's, which `make test`'s build, the end-to-end tests' and the doc tests
# share.
NATIVE_TESTS = not ((package(matome-web) & not kind(lib)) | (package(matome-e2e) & kind(test)))
test-native: tools
	@mkdir -p target
	INSTA_UPDATE=no INSTA_FORCE_PASS=0 cargo nextest run --locked --workspace -E '$(NATIVE_TESTS)' \
		--success-output final 2>&1 | tee target/test-native.log
	cargo test --locked --workspace --doc 2>&1 | tee -a target/test-native.log
	@$(call CORPUS_SKIPS,target/test-native.log)

## A synthetic 2,000-post site (3,500-odd tags) against the static hosts' limits: files,
## total size, largest file.
test-budget:
	bash scripts/budget-check.sh

## The wasm-opt cache against the real wasm-opt (same bytes; hits, misses, fall-throughs).
test-tools: tools
	bash scripts/wasm-opt-cache-check.sh

test-wasm:
	cargo test --locked -p matome-web --target wasm32-unknown-unknown

## End-to-end tests, E2E_THREADS at once (each test has its own tab, its own server on
## its own loopback address and, when it changes a site, its own copy).
E2E_THREADS ?= 3
test-e2e: dist dist-sub matome
	cargo test --locked --workspace --test e2e -- --test-threads=$(E2E_THREADS) 2>&1 | tee target/test-e2e.log
	@$(call CORPUS_SKIPS,target/test-e2e.log)

## Serve dist/ at / and dist-sub/ at /sub/path/ with nginx and python's http.server;
## check every page, feed and asset over HTTP.
test-deploy: dist dist-sub
	bash scripts/deploy-check.sh $(DIST) dist-sub

bench:
	bash scripts/bench.sh

## The authors' binary (`make matome`) against `make dist` on the synthetic 2,000-post
## site: wall time and peak memory, cold and warm, and the binary's size.
bench-binary: tools
	bash scripts/bench-binary.sh

## Long tasks while the biggest posts render and expand in headless Chromium (needs dist/;
## the corpus site is built by target/matome).
bench-app: matome
	bash scripts/render-bench.sh

## First load on a phone-like Chromium (Lighthouse mobile throttling): each page against
## the same page with its scripts removed, measured in the same run (needs dist/).
bench-load: dist matome browser
	cargo run --quiet --locked -p matome-e2e --example load_bench

## Lighthouse's accessibility score of dist/ (a post, the home, a tag, search), light and
## dark; Lighthouse is installed from npm into target/lighthouse on first use.
bench-a11y: dist browser
	bash scripts/a11y.sh

## Search on the synthetic 2,000-post site in headless Chromium (issue 11): first results
## after the last keystroke, bytes per query (cold), later queries (warm), index size.
## Also the last section of `make bench` (which uses the app of the last `make dist`).
bench-search: dist browser
	bash scripts/bench.sh search

## Save -> visible in `make serve`: a post open in headless Chromium, its file saved, the
## time until the reloaded page has painted the change (median of SERVE_BENCH_RUNS).
bench-serve: dist browser
	cargo build --quiet --locked --profile native -p matome-cli --bin matome
	cargo run --quiet --locked -p matome-e2e --example serve_bench

clean:
	rm -rf dist dist-sub target/bundle target/app target/trunk-app target/serve target/serve-app

## Coverage-guided fuzzing (cargo-fuzz, libFuzzer, nightly) of the post parser and the
## inline parsers, FUZZ_SECONDS per target, seeded with the test fixtures. Not part of
## `make test`; a crash stops it and leaves the input in fuzz/artifacts/.
FUZZ_SECONDS ?= 300
.PHONY: fuzz
fuzz:
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
	@mkdir -p fuzz/corpus/post fuzz/corpus/inline
	@for d in crates/compiler/tests/fixtures/posts/*/ crates/compiler/tests/fixtures/hostile/*/; do \
		cp "$$d/index.md" "fuzz/corpus/post/seed-$$(basename $$d).md"; done
	@for d in crates/compiler/tests/fixtures/inline/*/; do cp "$$d"/input.* "fuzz/corpus/inline/seed-$$(basename $$d)"; done
	cd fuzz && for t in post inline; do \
		nice -n 15 cargo +nightly fuzz run -O $$t corpus/$$t -- -max_total_time=$(FUZZ_SECONDS) \
			-timeout=10 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 || exit 1; done
