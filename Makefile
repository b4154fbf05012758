# The two commands of README.md. Both do all the set-up a fresh Debian 12 machine needs.
.PHONY: workbench test setup bench gui-check

SAMPLE_PROJECT := target/sample.casecode

# A CI run builds once: incremental-compilation caches would only take disk.
ifeq ($(CI),true)
export CARGO_INCREMENTAL := 0
endif

# Build the sample study from sample_transcripts/ and open it in the workbench window.
workbench: setup
	cargo build --release
	./target/release/casecode demo sample_transcripts --project $(SAMPLE_PROJECT) --force
	./target/release/casecode gui $(SAMPLE_PROJECT)

# Everything CI checks: formatting, lints, the UI-free core on its own, and every test.
test: setup
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo check --no-default-features
	cargo test
	# The same command tests again, each project published to a throwaway PostgreSQL cluster.
	CASECODE_TEST_BACKEND=postgres cargo test --test codebook --test corpus_filters --test methods --test codings_import --test matrix_counting

bench:
	@bash scripts/setup.sh bench
	cargo bench --no-default-features --bench core
	cargo bench --no-default-features --bench text
	cargo bench --no-default-features --bench matrix
	cargo bench --no-default-features --bench export
	cargo bench --no-default-features --bench qdpx
	cargo bench --no-default-features --bench revise
	cargo bench --no-default-features --bench team
	cargo bench --no-default-features --bench scale
	cargo bench --no-default-features --bench server
	cargo test --release --test gui_scale -- --ignored --nocapture frame_times

setup:
	@bash scripts/setup.sh

# The real workbench window under Xvfb, driven with xdotool at 1280×720 and 1920×1080: a drag
# must code exactly the text under the pointer (tests/gui_real_window.rs; screenshots in
# target/gui-check/). Each check starts and stops its own Xvfb.
gui-check:
	@bash scripts/setup.sh gui-check
	cargo test --test gui_real_window -- --ignored --test-threads=1
