//! Release links on x86-64 Linux (rust-lld) place the functions a running bot executes next to
//! each other, in the order `scripts/symbol-order.txt` lists them (written by
//! `scripts/order_symbols`). An idle bot then keeps one short stretch of its code resident
//! instead of pieces of most of the file. Symbols the list names that a build no longer has are
//! skipped. `SIGNPOST_SYMBOL_ORDER=off` links without the list (say, with a linker other than lld).
//!
//! Symbol names carry a hash of each crate's build settings, features included, so a list fits
//! only the feature set it was made for: the Matrix-only build has a list of its own.

use std::path::Path;

/// The default features' list.
const ORDER: &str = "scripts/symbol-order.txt";
/// The list for `--no-default-features --features matrix`.
const MATRIX_ORDER: &str = "scripts/symbol-order-matrix.txt";

/// The list made for this build's features: the default list unless the default features are
/// off and Matrix is on. Other mixes match neither list well and link as good as unordered.
fn order_for_features() -> &'static str {
    let on = |feature: &str| std::env::var_os(format!("CARGO_FEATURE_{feature}")).is_some();
    if !on("DEFAULT") && on("MATRIX") {
        MATRIX_ORDER
    } else {
        ORDER
    }
}

fn main() {
    println!("cargo:rerun-if-changed={ORDER}");
    println!("cargo:rerun-if-changed={MATRIX_ORDER}");
    println!("cargo:rerun-if-env-changed=SIGNPOST_SYMBOL_ORDER");
    let release = std::env::var("PROFILE").is_ok_and(|p| p == "release");
    let lld_target = std::env::var("TARGET").is_ok_and(|t| t == "x86_64-unknown-linux-gnu");
    let wanted = std::env::var("SIGNPOST_SYMBOL_ORDER").as_deref() != Ok("off");
    let order = Path::new(env!("CARGO_MANIFEST_DIR")).join(order_for_features());
    if release && lld_target && wanted && order.exists() {
        println!(
            "cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={}",
            order.display()
        );
        println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
    }
}
