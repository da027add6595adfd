//! Where a handoff stands with Vitally: when it was last pushed and how much a
//! push would send now, for the review page.

use super::{Draft, Mapping};
use crate::handoff::{Handoff, Timestamp};

impl Handoff {
    /// The one line the review page shows about Vitally, e.g. "pushed to Vitally
    /// 14:02 (2 changes since)"; `None` when the handoff was never pushed. Times
    /// of another day than `now` carry their date. `mapping` is the trait
    /// mapping the next push would use (`Mapping::load`).
    pub fn vitally_status(&self, mapping: &Mapping, now: Timestamp) -> Option<String> {
        if self.vitally.is_empty() {
            return None;
        }
        let changes = self.vitally_changes_since(mapping);
        let since = match changes {
            0 => "nothing changed since".to_string(),
            1 => "1 change since".to_string(),
            n => format!("{n} changes since"),
        };
        match self.vitally.pushed_at {
            Some(at) => {
                let shown = crate::handoff::time::local(at);
                let when = if shown.date_naive() == crate::handoff::time::local(now).date_naive() {
                    shown.format("%H:%M").to_string()
                } else {
                    shown.format("%Y-%m-%d %H:%M").to_string()
                };
                Some(format!("pushed to Vitally {when} ({since})"))
            }
            // A first push that stopped part way.
            None if !self.vitally.is_empty() => {
                Some(format!("partly pushed to Vitally ({changes} not sent yet)"))
            }
            None => None,
        }
    }

    /// What a push would send now: mapped fields whose value differs from the
    /// one Vitally has from this handoff (set, changed or emptied), plus notes
    /// not yet in Vitally or changed since they were sent.
    pub fn vitally_changes_since(&self, mapping: &Mapping) -> usize {
        let draft = Draft::new(self, mapping);
        draft.traits_to_send(&self.vitally).len() + draft.notes_to_send(&self.vitally)
    }
}
