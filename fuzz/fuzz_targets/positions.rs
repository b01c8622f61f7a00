//! Fuzz target `positions`: see [`bodies::positions`] for what it checks.

#![no_main]

#[allow(dead_code)]
#[path = "../bodies.rs"]
mod bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::positions(data));
