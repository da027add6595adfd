//! The closeout checklist: its items, their states, and the rules for changing them.

use serde::{Deserialize, Serialize};

use super::time::{Timestamp, toml_time};
use super::{FieldValue, Handoff};
use crate::form;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChecklistItem {
    /// Stable identity: a default's key, `environment:NAME`, or `custom-N`.
    pub key: String,
    pub title: String,
    pub origin: Origin,
    pub state: ItemState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_by: Option<String>,
    #[serde(
        default,
        with = "toml_time::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub done_at: Option<Timestamp>,
    /// Why an item is out of scope; required for that state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(flatten, skip_deserializing, default)]
    pub unknown: toml::Table,
}

impl ChecklistItem {
    /// The state as one word, with the reason when out of scope: `done`, `todo`,
    /// `out_of_scope: REASON` (as scripts set it and conflicts record it).
    pub fn state_text(&self) -> String {
        match self.state {
            ItemState::Done => "done".into(),
            ItemState::Todo => "todo".into(),
            ItemState::OutOfScope => {
                format!("out_of_scope: {}", self.reason.as_deref().unwrap_or(""))
            }
        }
    }

    /// A new item, not done yet.
    pub fn to_do(key: String, title: String, origin: Origin) -> Self {
        ChecklistItem {
            key,
            title,
            origin,
            state: ItemState::Todo,
            done_by: None,
            done_at: None,
            reason: None,
            unknown: toml::Table::new(),
        }
    }
}

/// Where a checklist item came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    Environment,
    Default,
    Optional,
    Custom,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemState {
    Todo,
    Done,
    OutOfScope,
}

impl ItemState {
    pub fn label(self) -> &'static str {
        match self {
            ItemState::Todo => "to do",
            ItemState::Done => "done",
            ItemState::OutOfScope => "out of scope",
        }
    }
}

impl Handoff {
    /// The customer's environments, as listed in the checklist step.
    pub fn environments(&self) -> Vec<String> {
        match self.value(form::STEP_CHECKLIST, form::FIELD_ENVIRONMENTS) {
            Some(FieldValue::List(items)) => items.clone(),
            Some(FieldValue::Text(t)) if !t.trim().is_empty() => vec![t.clone()],
            _ => Vec::new(),
        }
    }

    /// One infrastructure item per environment, first in the checklist, in the
    /// environments' order; items of environments no longer listed go. An
    /// environment listed twice (in any case: the list is refused as it stands,
    /// see `validate`) still gets one item, so no two items ever share a key.
    pub fn sync_environment_items(&mut self) {
        let template = &form::form().checklist.environment_item;
        let mut envs = self.environments();
        let mut seen: Vec<String> = Vec::new();
        envs.retain(|env| {
            let first = !seen.iter().any(|s| crate::validate::same_entry(s, env));
            seen.push(env.clone());
            first
        });
        let mut old: Vec<ChecklistItem> = Vec::new();
        self.checklist_items.retain(|item| {
            let env = item.origin == Origin::Environment;
            if env {
                old.push(item.clone());
            }
            !env
        });
        let fresh = envs.iter().map(|env| {
            let key = format!("environment:{env}");
            old.iter()
                .find(|i| i.key == key)
                .cloned()
                .unwrap_or_else(|| {
                    let title = template.replace("{environment}", env);
                    ChecklistItem::to_do(key, title, Origin::Environment)
                })
        });
        let fresh: Vec<ChecklistItem> = fresh.collect();
        self.checklist_items.splice(0..0, fresh);
    }

    /// Where the item with this key is in the checklist.
    pub fn item_index(&self, key: &str) -> Option<usize> {
        self.checklist_items.iter().position(|i| i.key == key)
    }

    /// Ticks an item done by `by` at `at`, or takes a done item back to to do.
    /// Returns the item's new state (`None`: there is no such item).
    pub fn toggle_item(&mut self, index: usize, by: &str, at: Timestamp) -> Option<ItemState> {
        let done = self.checklist_items.get(index)?.state == ItemState::Done;
        if done {
            self.mark_todo(index);
        } else {
            self.mark_done(index, by, at);
        }
        Some(self.checklist_items.get(index)?.state)
    }

    /// Done, by whom and when; a reason it was out of scope goes.
    pub fn mark_done(&mut self, index: usize, by: &str, at: Timestamp) -> bool {
        let Some(item) = self.checklist_items.get_mut(index) else {
            return false;
        };
        item.state = ItemState::Done;
        item.done_by = Some(by.to_string());
        item.done_at = Some(at);
        item.reason = None;
        true
    }

    /// Back to to do: who did it and when go.
    pub fn mark_todo(&mut self, index: usize) -> bool {
        let Some(item) = self.checklist_items.get_mut(index) else {
            return false;
        };
        item.state = ItemState::Todo;
        item.done_by = None;
        item.done_at = None;
        item.reason = None;
        true
    }

    /// Out of scope, which needs a reason.
    pub fn mark_out_of_scope(&mut self, index: usize, reason: &str) -> Result<(), String> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(
                "Out of scope needs a reason: say why, or Esc to leave the item as it was".into(),
            );
        }
        let Some(item) = self.checklist_items.get_mut(index) else {
            return Err("There is no such checklist item".into());
        };
        item.state = ItemState::OutOfScope;
        item.reason = Some(reason.to_string());
        item.done_by = None;
        item.done_at = None;
        Ok(())
    }

    /// Adds an item of the engineer's own (the originally scoped work), keyed
    /// `custom-N`; returns where it went, or `None` for an empty title.
    pub fn add_custom_item(&mut self, title: &str) -> Option<usize> {
        let title = title.trim();
        if title.is_empty() {
            return None;
        }
        let n = (1..)
            .find(|n| self.item_index(&format!("custom-{n}")).is_none())
            .unwrap_or(1);
        let item = ChecklistItem::to_do(format!("custom-{n}"), title.to_string(), Origin::Custom);
        self.checklist_items.push(item);
        Some(self.checklist_items.len() - 1)
    }

    /// The optional exit criteria not on the checklist yet.
    pub fn optional_items_left(&self) -> Vec<&'static form::ChecklistTemplate> {
        form::form()
            .checklist
            .optional
            .iter()
            .filter(|t| self.item_index(&t.key).is_none())
            .collect()
    }

    /// Adds one of the optional exit criteria; returns where it went (`None`: no
    /// such criterion, or it is there already).
    pub fn add_optional_item(&mut self, key: &str) -> Option<usize> {
        let template = self
            .optional_items_left()
            .into_iter()
            .find(|t| t.key == key)?;
        let item = ChecklistItem::to_do(
            template.key.clone(),
            template.title.clone(),
            Origin::Optional,
        );
        self.checklist_items.push(item);
        Some(self.checklist_items.len() - 1)
    }

    /// Why this item cannot be deleted, if it cannot: only custom and optional
    /// items may go.
    pub fn item_removal_refused(&self, index: usize) -> Option<&'static str> {
        match self.checklist_items.get(index)?.origin {
            Origin::Custom | Origin::Optional => None,
            Origin::Default => {
                Some("Default items stay on the checklist: mark it out of scope (o) instead")
            }
            Origin::Environment => {
                Some("Remove the environment from Customer environments to drop its item")
            }
        }
    }

    /// Deletes a custom or optional item.
    pub fn remove_item(&mut self, index: usize) -> Result<ChecklistItem, String> {
        if let Some(why) = self.item_removal_refused(index) {
            return Err(why.to_string());
        }
        if index >= self.checklist_items.len() {
            return Err("There is no such checklist item".into());
        }
        Ok(self.checklist_items.remove(index))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testdata;

    #[test]
    fn environments_make_one_infrastructure_item_each_and_keep_state() {
        let mut h = testdata::new_handoff();
        h.checklist_items[0].state = ItemState::Done;
        h.set_value(
            "checklist",
            "environments",
            Some(FieldValue::List(vec!["Dev".into(), "Production".into()])),
        );
        let titles: Vec<&str> = h
            .checklist_items
            .iter()
            .take(3)
            .map(|i| i.title.as_str())
            .collect();
        assert_eq!(
            titles,
            [
                "Infrastructure complete: Dev",
                "Infrastructure complete: Production",
                "Sourcegraph deployed and resourced"
            ]
        );
        assert_eq!(
            h.checklist_items[1].state,
            ItemState::Done,
            "Production keeps its state"
        );
        h.set_value(
            "checklist",
            "environments",
            Some(FieldValue::List(vec!["Dev".into()])),
        );
        assert_eq!(
            h.checklist_items
                .iter()
                .filter(|i| i.origin == Origin::Environment)
                .count(),
            1
        );
    }

    #[test]
    fn an_environment_listed_twice_in_any_case_gets_one_item() {
        let mut h = testdata::new_handoff();
        h.set_value(
            "checklist",
            "environments",
            Some(FieldValue::List(vec![
                "Production".into(),
                "Staging".into(),
                "production".into(),
                "Production".into(),
            ])),
        );
        let keys: Vec<&str> = h
            .checklist_items
            .iter()
            .filter(|i| i.origin == Origin::Environment)
            .map(|i| i.key.as_str())
            .collect();
        assert_eq!(keys, ["environment:Production", "environment:Staging"]);
        let mut all: Vec<&str> = h.checklist_items.iter().map(|i| i.key.as_str()).collect();
        all.sort_unstable();
        let before = all.len();
        all.dedup();
        assert_eq!(all.len(), before, "no two items share a key");
        assert!(
            h.blockers()
                .iter()
                .any(|b| b.message
                    == "Customer environments: \"production\" is listed already (as \"Production\"); \"Production\" is listed already"),
            "{:?}",
            h.blockers()
        );
    }

    #[test]
    fn ticking_records_who_and_when_and_unticking_clears_it() {
        let mut h = testdata::new_handoff();
        let at = testdata::at(20, 16);
        assert_eq!(h.toggle_item(0, "Jane", at), Some(ItemState::Done));
        assert_eq!(h.checklist_items[0].done_by.as_deref(), Some("Jane"));
        assert_eq!(h.checklist_items[0].done_at, Some(at));
        assert_eq!(h.toggle_item(0, "Jane", at), Some(ItemState::Todo));
        assert_eq!(h.checklist_items[0].done_by, None);
        assert_eq!(h.checklist_items[0].done_at, None);
        assert_eq!(h.toggle_item(99, "Jane", at), None);
    }

    #[test]
    fn out_of_scope_needs_a_reason_and_forgets_who_did_it() {
        let mut h = testdata::new_handoff();
        h.mark_done(1, "Jane", testdata::at(20, 16));
        assert!(h.mark_out_of_scope(1, "   ").is_err());
        assert_eq!(h.checklist_items[1].state, ItemState::Done);
        h.mark_out_of_scope(1, " Customer does it ")
            .expect("reason given");
        let item = &h.checklist_items[1];
        assert_eq!(item.state, ItemState::OutOfScope);
        assert_eq!(item.reason.as_deref(), Some("Customer does it"));
        assert_eq!((item.done_by.as_deref(), item.done_at), (None, None));
        h.mark_done(1, "Jane", testdata::at(21, 9));
        assert_eq!(h.checklist_items[1].reason, None, "done drops the reason");
    }

    #[test]
    fn custom_and_optional_items_are_added_and_only_they_deleted() {
        let mut h = testdata::new_handoff();
        assert_eq!(h.add_custom_item("  "), None);
        let first = h.add_custom_item("Migrate saved searches").expect("added");
        let second = h.add_custom_item("Train the admins").expect("added");
        assert_eq!(h.checklist_items[first].key, "custom-1");
        assert_eq!(h.checklist_items[second].key, "custom-2");
        h.remove_item(first).expect("custom items may go");
        let again = h.add_custom_item("Again").expect("added");
        assert_eq!(
            h.checklist_items[again].key, "custom-1",
            "keys are reused once free"
        );

        let left = h.optional_items_left().len();
        let optional = h.add_optional_item("performance_tests").expect("added");
        assert_eq!(h.checklist_items[optional].origin, Origin::Optional);
        assert_eq!(h.add_optional_item("performance_tests"), None, "not twice");
        assert_eq!(h.optional_items_left().len(), left - 1);
        assert_eq!(h.add_optional_item("no_such_thing"), None);

        let before = h.checklist_items.len();
        assert!(h.remove_item(0).is_err(), "an environment's item stays");
        assert!(h.remove_item(1).is_err(), "a default item stays");
        assert_eq!(h.checklist_items.len(), before);
    }
}
