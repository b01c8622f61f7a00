//! The `copydesk` binary: everything lives in the library, see [`copydesk::cli`].

fn main() {
    std::process::exit(copydesk::cli::run());
}
