//! The `copydesk` binary: everything lives in the library, see [`copydesk::cli`].

/// mimalloc rather than the system allocator: the analysis makes many small, short-lived
/// allocations on every thread, where glibc's allocator spent a tenth of a `check` run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(copydesk::cli::run());
}
