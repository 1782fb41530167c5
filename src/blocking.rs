//! Blocking work called from async code: the store's calls, and building the site the first
//! time it is asked for after a reload.

/// Runs blocking `f`, telling a multi-threaded tokio runtime to move its other tasks off this
/// thread meanwhile. Elsewhere (no runtime, or a current-thread one, as in tests and `signpost
/// ask`) it just runs `f`: there are no other workers to hand tasks to.
pub fn step_aside<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        _ => f(),
    }
}
