//! `handoff push`: the dashboard fields to the account's traits in Vitally, and the
//! notes log, lessons learned and upgrade strategy to Vitally notes, created once
//! and updated after. Vitally's REST API: Basic auth with the API key as user name,
//! `GET /resources/customFields?model=accounts`, `GET`/`PUT
//! /resources/accounts/{id}` (traits merged: unsent traits stay), `POST
//! /resources/notes`, `PUT /resources/notes/{id}`.
//!
//! The parts, in the order a push uses them:
//! - [`Settings`] (`settings`): the base URL and the key, from the environment or
//!   the config file's `[vitally]`.
//! - [`Mapping`] (`mapping`): which field goes to which trait.
//! - [`Draft`] (`plan`): the handoff as Vitally should have it, without the
//!   network; [`prepare`] reads from Vitally and returns a [`Plan`], every
//!   request a push would send, to show, confirm or print (`--dry-run`).
//! - [`push`]: sends a plan, reporting each request and handing over the
//!   updated [`VitallyRecord`] after each confirmed write, for the caller to save.
//!
//! The wizard can run [`push`] on a thread of its own: a [`Plan`] and a
//! [`Vitally`] connection are plain owned values, and everything the push has to
//! say goes through the [`Observer`] it is given.
//!
//! ```no_run
//! # use handoff::vitally::{self, Observer, VitallyRecord, client::Call};
//! # fn demo(handoff: &handoff::handoff::Handoff) -> Result<(), Box<dyn std::error::Error>> {
//! struct Lines;
//! impl Observer for Lines {
//!     fn request(&mut self, call: &Call, what: &str, step: Option<(usize, usize)>) {
//!         eprintln!("{} ({what})", call.line());
//!     }
//!     fn record(&mut self, record: &VitallyRecord) -> Result<(), String> {
//!         Ok(()) // save the handoff with this record here, before returning
//!     }
//! }
//! let config = handoff::config::load()?;
//! let connection = vitally::Vitally::new(&vitally::Settings::from_env(&config.vitally)?)?;
//! let mapping = vitally::Mapping::load()?;
//! let now = handoff::handoff::now();
//! let plan = vitally::prepare(handoff, &mapping, &connection, &mut Lines, now)?;
//! println!("{}", plan.summary()); // show it, ask, then:
//! let summary = vitally::push(plan, &connection, "Jane Doe", now, &mut Lines)?;
//! println!("{}", summary.line());
//! # Ok(())
//! # }
//! ```

pub mod cli;
pub mod client;
pub mod mapping;
pub mod notes;
pub mod plan;
mod push;
pub mod record;
pub mod settings;
mod status;

pub use client::{Call, CallError, Vitally};
pub use mapping::Mapping;
pub use plan::{Draft, Plan, prepare};
pub use push::{Summary, push};
pub use record::VitallyRecord;
pub use settings::Settings;

/// Why a push did not happen, or stopped; each is one line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PushError {
    /// Something in the handoff stops it (callers name the file).
    #[error("{0}")]
    Handoff(String),
    /// The trait mapping does not fit the traits Vitally has.
    #[error("{0}")]
    Mapping(String),
    #[error(transparent)]
    Call(#[from] CallError),
    /// The observer could not keep the record; the push stopped there.
    #[error("{0}")]
    Save(String),
}

/// Hears what a push does. Only [`Observer::record`] must be implemented.
pub trait Observer {
    /// A request is about to be sent. `step` is (number, total) among a push's
    /// writes, `None` for the reads that prepare one.
    fn request(&mut self, call: &Call, what: &str, step: Option<(usize, usize)>) {
        let _ = (call, what, step);
    }

    /// The push waits: Vitally's rate limit, or a pause before a retry.
    fn waiting(&mut self, message: &str) {
        let _ = message;
    }

    /// What Vitally now has from this handoff. Keep it (save the handoff with
    /// it as its `vitally` record) before returning: that is what lets the
    /// next push complete a stopped one without duplicates. An error stops the
    /// push.
    fn record(&mut self, record: &VitallyRecord) -> Result<(), String>;

    /// Asked before each request: `true` stops the push there (what was sent
    /// stays recorded).
    fn should_stop(&mut self) -> bool {
        false
    }
}
