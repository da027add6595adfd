//! handoff: the implementation-to-TA handoff wizard for Sourcegraph deployments.
//! The binary's `main.rs` is the command line; everything else lives here so the
//! integration tests and benchmarks use the same code.

pub mod export;
pub mod fill;
pub mod form;
pub mod handoff;
pub mod http;
pub mod store;
pub mod validate;

#[doc(hidden)]
pub mod testdata;
pub mod tui;
