//! The keys scripts name things by: `step.field` for a field
//! (`deployment.total_cpu`) and `checklist.<item key>` for a checklist item
//! (`checklist.deployed`, `checklist.environment:Production`). An unknown key
//! is refused with the keys that would have been right.

use crate::form::{Field, Step, form};
use crate::handoff::Handoff;

/// What a key names.
#[derive(Debug, Clone, Copy)]
pub enum Key {
    Field {
        step: &'static Step,
        field: &'static Field,
    },
    /// A checklist item, by its index in the checklist.
    Item(usize),
}

/// Finds what `key` names in `doc`, or says what the keys are (the caller
/// names the key).
pub fn find(doc: &Handoff, key: &str) -> Result<Key, String> {
    let steps = &form().steps;
    let step_keys = || {
        steps
            .iter()
            .filter(|s| has_keys(s))
            .map(|s| s.key.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some((step_key, rest)) = key.split_once('.') else {
        return Err(format!(
            "not a key: keys are step.field, e.g. deployment.total_cpu; the steps are {}",
            step_keys()
        ));
    };
    let Some(step) = steps.iter().find(|s| s.key == step_key && has_keys(s)) else {
        return Err(format!(
            "there is no step {step_key}; the steps are {}",
            step_keys()
        ));
    };
    if let Some(field) = step.field(rest) {
        return Ok(Key::Field { step, field });
    }
    if step.key == crate::form::STEP_CHECKLIST
        && let Some(index) = doc.item_index(rest)
    {
        return Ok(Key::Item(index));
    }
    Err(format!("there is no such key; {}", keys_of(doc, step)))
}

/// `deployment has tdd_links, start_date, …` (and the checklist's items).
fn keys_of(doc: &Handoff, step: &Step) -> String {
    let fields: Vec<&str> = step.fields.iter().map(|f| f.key.as_str()).collect();
    let mut text = format!("{} has {}", step.key, fields.join(", "));
    if step.key == crate::form::STEP_CHECKLIST {
        let items: Vec<&str> = doc.checklist_items.iter().map(|i| i.key.as_str()).collect();
        text.push_str(&format!(", and the items {}", items.join(", ")));
    }
    text
}

/// Steps with something a key can name: fields, or the checklist's items.
fn has_keys(step: &Step) -> bool {
    !step.fields.is_empty() || step.key == crate::form::STEP_CHECKLIST
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata;

    #[test]
    fn fields_and_items_and_what_is_said_about_the_rest() {
        let doc = testdata::new_handoff();
        assert!(matches!(
            find(&doc, "deployment.total_cpu"),
            Ok(Key::Field { field, .. }) if field.key == "total_cpu"
        ));
        assert!(matches!(
            find(&doc, "checklist.environments"),
            Ok(Key::Field { .. })
        ));
        assert!(matches!(
            find(&doc, "checklist.environment:Production"),
            Ok(Key::Item(0))
        ));
        assert_eq!(
            find(&doc, "cpu").expect_err("no dot"),
            "not a key: keys are step.field, e.g. deployment.total_cpu; the steps are handoff, deployment, code_hosts, notes, checklist, lessons, upgrade"
        );
        assert_eq!(
            find(&doc, "review.x").expect_err("review has no keys"),
            "there is no step review; the steps are handoff, deployment, code_hosts, notes, checklist, lessons, upgrade"
        );
        let wrong = find(&doc, "deployment.cpu").expect_err("unknown field");
        assert!(
            wrong.starts_with("there is no such key; deployment has tdd_links, start_date,"),
            "{wrong}"
        );
        let item = find(&doc, "checklist.nope").expect_err("unknown item");
        assert!(
            item.contains("and the items environment:Production, deployed,"),
            "{item}"
        );
    }
}
