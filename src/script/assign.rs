//! `KEY=VALUE` and `KEY+=VALUE`: parsed, checked strictly (a value the wizard
//! would keep as a draft is refused here) and applied by the document's rules,
//! each change recorded with where it came from.

use crate::form::FieldKind;
use crate::handoff::{Author, Change, FieldValue, Handoff};
use crate::validate;

use super::keys::{self, Key};

/// Where a scripted value came from, as the history records it.
pub const SOURCE: &str = "set from the command line";

/// One assignment as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub key: String,
    pub value: String,
    /// `KEY+=VALUE`: add to a list instead of replacing it.
    pub append: bool,
}

impl Assignment {
    pub fn parse(text: &str) -> Result<Assignment, String> {
        let Some((key, value)) = text.split_once('=') else {
            return Err(format!(
                "{text} is not an assignment: write KEY=VALUE (or KEY+=VALUE to add to a list)"
            ));
        };
        let (key, append) = match key.strip_suffix('+') {
            Some(key) => (key, true),
            None => (key, false),
        };
        Ok(Assignment {
            key: key.trim().to_string(),
            value: value.to_string(),
            append,
        })
    }
}

/// Applies one assignment to `doc`; returns whether anything changed, or the
/// reason it is refused (without the key: the caller names it).
pub fn apply(
    doc: &mut Handoff,
    assignment: &Assignment,
    author: Author<'_>,
) -> Result<bool, String> {
    match keys::find(doc, &assignment.key)? {
        Key::Field { step, field } => {
            let value = if assignment.append {
                if !matches!(field.kind, FieldKind::List | FieldKind::MultiChoice) {
                    return Err(format!(
                        "+= adds to lists; {} holds one value ({}): use =",
                        field.label,
                        field.kind_hint()
                    ));
                }
                let Some(FieldValue::List(added)) = validate::parse(field, &assignment.value)?
                else {
                    return Err("+= needs something to add".into());
                };
                let mut entries = match doc.value(&step.key, &field.key) {
                    Some(FieldValue::List(entries)) => entries.clone(),
                    Some(FieldValue::Text(t)) if !t.trim().is_empty() => vec![t.clone()],
                    _ => Vec::new(),
                };
                entries.extend(added);
                Some(FieldValue::List(entries))
            } else {
                validate::parse(field, &assignment.value)?
            };
            doc.change_field(&step.key, &field.key, value, author)
        }
        Key::Item(index) => {
            if assignment.append {
                return Err(
                    "+= adds to lists; a checklist item takes done, todo or out_of_scope:REASON"
                        .into(),
                );
            }
            set_item(doc, index, &assignment.value, author)
        }
    }
}

/// `done`, `todo` or `out_of_scope:REASON`, recorded in the history.
fn set_item(
    doc: &mut Handoff,
    index: usize,
    state: &str,
    author: Author<'_>,
) -> Result<bool, String> {
    if !doc.step_is_open(crate::form::STEP_CHECKLIST) {
        return Err(crate::handoff::MAINTENANCE_ONLY.into());
    }
    let item = &doc.checklist_items[index];
    let (key, old) = (item.key.clone(), item.state_text());
    let state = state.trim();
    match state.split_once(':') {
        Some((word, reason)) if word.trim() == "out_of_scope" => {
            if reason.trim().is_empty() {
                return Err("out of scope needs a reason: out_of_scope:REASON".into());
            }
            doc.mark_out_of_scope(index, reason)?;
        }
        _ if state == "done" => {
            if item.state == crate::handoff::ItemState::Done {
                return Ok(false);
            }
            doc.mark_done(index, author.by, author.at);
        }
        _ if state == "todo" => {
            doc.mark_todo(index);
        }
        _ => {
            return Err(format!(
                "{state:?} is not a state: use done, todo or out_of_scope:REASON"
            ));
        }
    }
    let new = doc.checklist_items[index].state_text();
    if new == old {
        return Ok(false);
    }
    doc.history.push(Change {
        at: author.at,
        by: author.by.to_string(),
        field: format!("checklist.{key}"),
        old: Some(FieldValue::Text(old)),
        new: Some(FieldValue::Text(new)),
        source: author.source.map(str::to_string),
        unknown: toml::Table::new(),
    });
    doc.updated_at = author.at;
    Ok(true)
}

/// Every field whose value breaks a rule, as `(step.field, why)`: the rules that
/// involve two fields (a completion date before the start) are only seen here.
pub fn problems(doc: &Handoff) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for step in &crate::form::form().steps {
        for field in &step.fields {
            if doc.value(&step.key, &field.key).is_some()
                && let Some(why) = doc.field_problem(step, field)
            {
                found.push((format!("{}.{}", step.key, field.key), why));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata;

    fn author() -> Author<'static> {
        Author {
            by: "Jane",
            at: testdata::at(5, 9),
            source: Some(SOURCE),
        }
    }

    fn set(doc: &mut Handoff, text: &str) -> Result<bool, String> {
        apply(doc, &Assignment::parse(text)?, author())
    }

    #[test]
    fn assignments_parse() {
        assert_eq!(
            Assignment::parse("deployment.instance_url=https://x.io/?a=b"),
            Ok(Assignment {
                key: "deployment.instance_url".into(),
                value: "https://x.io/?a=b".into(),
                append: false
            })
        );
        assert!(Assignment::parse("deployment.tdd_links+=https://x.io").is_ok_and(|a| a.append));
        assert!(Assignment::parse("no value").is_err());
    }

    #[test]
    fn values_are_strict_and_recorded_with_their_source() {
        let mut doc = testdata::new_handoff();
        assert_eq!(set(&mut doc, "deployment.total_cpu=56"), Ok(true));
        assert_eq!(set(&mut doc, "deployment.total_cpu=56"), Ok(false));
        assert_eq!(
            set(&mut doc, "deployment.total_cpu=lots"),
            Err("Enter a number, e.g. 48 or 1.5".into())
        );
        assert_eq!(doc.history.len(), 1);
        assert_eq!(doc.history[0].source.as_deref(), Some(SOURCE));
        set(&mut doc, "deployment.instance_types=m6a.4xlarge ×3").expect("set");
        set(&mut doc, "deployment.instance_types+=r6a.2xlarge ×1").expect("append");
        assert_eq!(
            doc.value("deployment", "instance_types"),
            Some(&FieldValue::List(vec![
                "m6a.4xlarge ×3".into(),
                "r6a.2xlarge ×1".into()
            ]))
        );
        assert!(
            set(&mut doc, "deployment.total_cpu+=1")
                .is_err_and(|e| e.starts_with("+= adds to lists"))
        );
        set(&mut doc, "code_hosts.hosts=github.com").expect("a listed choice in any case");
        assert_eq!(
            doc.value("code_hosts", "hosts"),
            Some(&FieldValue::List(vec!["GitHub.com".into()]))
        );
    }

    #[test]
    fn checklist_items_take_a_state() {
        let mut doc = testdata::new_handoff();
        assert_eq!(set(&mut doc, "checklist.deployed=done"), Ok(true));
        assert_eq!(set(&mut doc, "checklist.deployed=done"), Ok(false));
        let i = doc.item_index("deployed").expect("item");
        assert_eq!(doc.checklist_items[i].done_by.as_deref(), Some("Jane"));
        set(
            &mut doc,
            "checklist.search_indexing=out_of_scope: no search yet",
        )
        .expect("set");
        let j = doc.item_index("search_indexing").expect("item");
        assert_eq!(
            doc.checklist_items[j].state_text(),
            "out_of_scope: no search yet"
        );
        assert_eq!(
            set(&mut doc, "checklist.search_indexing=out_of_scope:"),
            Err("out of scope needs a reason: out_of_scope:REASON".into())
        );
        assert!(set(&mut doc, "checklist.deployed=finished").is_err());
        assert_eq!(doc.history.len(), 2);
        assert_eq!(doc.history[1].field, "checklist.search_indexing");
    }
}
