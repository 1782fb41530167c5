//! Release links on x86-64 Linux (rust-lld) place the functions a running bot executes next to
//! each other, in the order `scripts/symbol-order.txt` lists them (written by
//! `scripts/order_symbols`). An idle bot then keeps one short stretch of its code resident
//! instead of pieces of most of the file. Symbols the list names that a build no longer has are
//! skipped. `SIGNPOST_SYMBOL_ORDER=off` links without the list (say, with a linker other than lld).

use std::path::Path;

fn main() {
    const ORDER: &str = "scripts/symbol-order.txt";
    println!("cargo:rerun-if-changed={ORDER}");
    println!("cargo:rerun-if-env-changed=SIGNPOST_SYMBOL_ORDER");
    let release = std::env::var("PROFILE").is_ok_and(|p| p == "release");
    let lld_target = std::env::var("TARGET").is_ok_and(|t| t == "x86_64-unknown-linux-gnu");
    let wanted = std::env::var("SIGNPOST_SYMBOL_ORDER").as_deref() != Ok("off");
    let order = Path::new(env!("CARGO_MANIFEST_DIR")).join(ORDER);
    if release && lld_target && wanted && order.exists() {
        println!(
            "cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={}",
            order.display()
        );
        println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
    }
}
