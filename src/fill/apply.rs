//! From findings to a changed handoff, by the document's rules: which proposals
//! would apply ([`plan`], or [`plan_for`] the ones a person picked), and applying
//! them together ([`apply`]). The command line and the wizard's "Fill from…"
//! overlay both go through here, so a value is checked and recorded the same way
//! whichever way it arrives.
//!
//! - A value the form refuses for its field is never applied; while there is one,
//!   nothing is (a source that proposes something invalid has partly failed).
//! - A completed handoff keeps every step but the code hosts closed: proposals for
//!   closed steps are set aside (shown, not applied), the rest still apply, so the
//!   TA can refresh the code hosts from the instance after completion.
//! - Applying is all or nothing, and every applied value is a `[[change]]` with the
//!   source's [`Source::history_label`].

use super::{Findings, Proposal, Source, changes};
use crate::form::form;
use crate::handoff::{Author, Handoff, Timestamp};
use crate::validate;

/// What applying some proposals would do, proposal by proposal.
#[derive(Debug, Default, PartialEq)]
pub struct Plan<'a> {
    /// Valid values for open steps: these apply, together.
    pub apply: Vec<&'a Proposal>,
    /// Valid values for steps a completed handoff keeps closed: set aside.
    pub closed: Vec<&'a Proposal>,
    /// Values the form refuses, each with its one-line reason: while there is
    /// one, nothing applies.
    pub invalid: Vec<(&'a Proposal, String)>,
}

impl Plan<'_> {
    /// Labels of the set-aside proposals, for one line: "Total CPU (cores), …".
    pub fn closed_labels(&self) -> String {
        labels(self.closed.iter().copied())
    }

    /// The invalid proposals as one line: "Total CPU (cores): must be a number; …".
    pub fn invalid_line(&self) -> String {
        self.invalid
            .iter()
            .map(|(p, why)| format!("{}: {why}", label(p)))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// The plan for every proposal that would change the handoff ("same" ones left out).
pub fn plan<'a>(handoff: &Handoff, findings: &'a Findings) -> Plan<'a> {
    plan_for(handoff, changes(handoff, findings))
}

/// The plan for the proposals a person chose.
pub fn plan_for<'a>(handoff: &Handoff, chosen: impl IntoIterator<Item = &'a Proposal>) -> Plan<'a> {
    let mut plan = Plan::default();
    for proposal in chosen {
        if let Err(why) = check(proposal) {
            plan.invalid.push((proposal, why));
        } else if handoff.step_is_open(&proposal.step) {
            plan.apply.push(proposal);
        } else {
            plan.closed.push(proposal);
        }
    }
    plan
}

/// Sets every proposal's value, each recorded as a change by `by` at `at` from
/// `source`, or none of them: the first value refused (invalid, or for a closed
/// step) leaves the handoff as it was and is the one-line answer. Returns how
/// many fields changed (a value the field already holds changes nothing).
pub fn apply(
    handoff: &mut Handoff,
    proposals: &[&Proposal],
    source: Source,
    by: &str,
    at: Timestamp,
) -> Result<usize, String> {
    let mut changed = handoff.clone();
    let mut count = 0;
    for proposal in proposals {
        let refused = |why: String| format!("{}: {why}", label(proposal));
        check(proposal).map_err(refused)?;
        let author = Author {
            by,
            at,
            source: Some(source.history_label()),
        };
        if changed
            .change_field(
                &proposal.step,
                &proposal.field,
                Some(proposal.value.clone()),
                author,
            )
            .map_err(refused)?
        {
            count += 1;
        }
    }
    *handoff = changed;
    Ok(count)
}

/// Whether the form takes the value for its field.
fn check(proposal: &Proposal) -> Result<(), String> {
    let field = form()
        .step(&proposal.step)
        .and_then(|s| s.field(&proposal.field))
        .ok_or_else(|| format!("there is no field {}", proposal.key()))?;
    validate::check(field, &proposal.value)
}

fn label(proposal: &Proposal) -> String {
    super::field_label(&proposal.step, &proposal.field)
}

fn labels<'a>(proposals: impl Iterator<Item = &'a Proposal>) -> String {
    proposals.map(label).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handoff::{FieldValue, MAINTENANCE_ONLY, now};
    use crate::testdata;

    fn findings(proposals: Vec<Proposal>) -> Findings {
        Findings {
            proposals,
            ..Findings::new(Source::Sourcegraph)
        }
    }

    fn sourcegraph_findings() -> Findings {
        findings(vec![
            Proposal::new("code_hosts", "repositories", FieldValue::Integer(4210)),
            Proposal::new("code_hosts", "largest_repo_mb", FieldValue::Number(46080.0)),
            Proposal::new(
                "upgrade",
                "current_version",
                FieldValue::Text("6.4.1".into()),
            ),
        ])
    }

    fn keys(proposals: &[&Proposal]) -> Vec<String> {
        proposals.iter().map(|p| p.key()).collect()
    }

    #[test]
    fn in_progress_everything_that_changes_applies_and_is_recorded() {
        let mut handoff = testdata::new_handoff();
        handoff.set_value(
            "code_hosts",
            "repositories",
            Some(FieldValue::Integer(4210)),
        );
        let found = sourcegraph_findings();
        let plan = plan(&handoff, &found);
        assert_eq!(
            keys(&plan.apply),
            ["code_hosts.largest_repo_mb", "upgrade.current_version"]
        );
        assert!(plan.closed.is_empty() && plan.invalid.is_empty());
        let at = now();
        let applied = apply(&mut handoff, &plan.apply, Source::Sourcegraph, "Sam", at);
        assert_eq!(applied, Ok(2));
        assert_eq!(
            handoff.value("upgrade", "current_version"),
            Some(&FieldValue::Text("6.4.1".into()))
        );
        let recorded: Vec<(&str, &str, Option<&str>)> = handoff
            .history
            .iter()
            .map(|c| (c.field.as_str(), c.by.as_str(), c.source.as_deref()))
            .collect();
        assert_eq!(
            recorded,
            [
                (
                    "code_hosts.largest_repo_mb",
                    "Sam",
                    Some("fill from sourcegraph")
                ),
                (
                    "upgrade.current_version",
                    "Sam",
                    Some("fill from sourcegraph")
                ),
            ]
        );
        assert_eq!(handoff.updated_at, at);
    }

    #[test]
    fn a_completed_handoff_sets_closed_steps_aside_and_applies_code_hosts() {
        let mut handoff = testdata::complete_handoff();
        handoff.set_value(
            "upgrade",
            "current_version",
            Some(FieldValue::Text("6.3.0".into())),
        );
        handoff.complete("Jane", now()).expect("nothing blocks");
        let found = sourcegraph_findings();
        let plan = plan(&handoff, &found);
        assert_eq!(
            keys(&plan.apply),
            ["code_hosts.repositories", "code_hosts.largest_repo_mb"]
        );
        assert_eq!(keys(&plan.closed), ["upgrade.current_version"]);
        assert_eq!(plan.closed_labels(), "Current Sourcegraph version");
        // Applying a closed step anyway is refused as a whole.
        let before = handoff.clone();
        let everything: Vec<&Proposal> = found.proposals.iter().collect();
        assert_eq!(
            apply(&mut handoff, &everything, Source::Sourcegraph, "Sam", now()),
            Err(format!("Current Sourcegraph version: {MAINTENANCE_ONLY}"))
        );
        assert_eq!(handoff, before);
        assert_eq!(
            apply(&mut handoff, &plan.apply, Source::Sourcegraph, "Sam", now()),
            Ok(2)
        );
    }

    #[test]
    fn an_invalid_value_applies_nothing() {
        let mut handoff = testdata::new_handoff();
        let found = findings(vec![
            Proposal::new("deployment", "total_cpu", FieldValue::Number(48.0)),
            Proposal::new("deployment", "total_memory_gb", FieldValue::Number(-3.0)),
            Proposal::new("deployment", "no_such_field", FieldValue::Integer(1)),
        ]);
        let plan = plan(&handoff, &found);
        assert_eq!(keys(&plan.apply), ["deployment.total_cpu"]);
        assert_eq!(plan.invalid.len(), 2);
        let line = plan.invalid_line();
        assert!(line.starts_with("Total memory (GB): "), "{line}");
        assert!(
            line.ends_with(
                "; deployment.no_such_field: there is no field deployment.no_such_field"
            ),
            "{line}"
        );
        let before = handoff.clone();
        let all: Vec<&Proposal> = found.proposals.iter().collect();
        let refused = apply(&mut handoff, &all, Source::Kubectl, "Sam", now())
            .expect_err("an invalid value is refused");
        assert!(refused.starts_with("Total memory (GB): "), "{refused}");
        assert_eq!(handoff, before);
    }

    #[test]
    fn a_chosen_subset_is_planned_as_chosen() {
        let handoff = testdata::new_handoff();
        let found = sourcegraph_findings();
        let plan = plan_for(&handoff, found.proposals.iter().skip(2));
        assert_eq!(keys(&plan.apply), ["upgrade.current_version"]);
    }
}
