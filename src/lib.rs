//! handoff: the implementation-to-TA handoff wizard for Sourcegraph deployments.
//! The binary's `main.rs` is the command line; everything else lives here so the
//! integration tests and benchmarks use the same code.

pub mod atomic;
pub mod commands;
pub mod config;
pub mod export;
pub mod fill;
pub mod form;
pub mod handoff;
pub mod http;
pub mod identity;
pub mod merge;
pub mod outcome;
pub mod plain;
pub mod review;
pub mod script;
pub mod session;
pub mod signals;
pub mod state;
pub mod store;
pub mod sync;
pub mod validate;
pub mod value;
pub mod vitally;

#[doc(hidden)]
pub mod testdata;
pub mod tui;
