//! Fuzz target `transport`: see [`bodies::transport`] for what it checks.

#![no_main]

#[allow(dead_code)]
#[path = "../bodies.rs"]
mod bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::transport(data));
