//! The handoff form: steps, fields, kinds, rules and help, read from `assets/form.toml`.

use std::sync::OnceLock;

use serde::Deserialize;

/// The form text, embedded so the binary runs with nothing beside it.
pub const FORM_TOML: &str = include_str!("../assets/form.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Form {
    #[serde(rename = "step")]
    pub steps: Vec<Step>,
    pub checklist: ChecklistDefaults,
    #[serde(rename = "note_category")]
    pub note_categories: Vec<NoteCategory>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub key: String,
    pub title: String,
    pub help: String,
    #[serde(default, rename = "field")]
    pub fields: Vec<Field>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    Text,
    Url,
    Date,
    Integer,
    Number,
    Choice,
    MultiChoice,
    List,
    LongText,
}

/// What each entry of a `list` field must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListItem {
    #[default]
    Text,
    Url,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub key: String,
    pub label: String,
    pub kind: FieldKind,
    #[serde(default)]
    pub required: bool,
    pub help: String,
    #[serde(default)]
    pub choices: Vec<String>,
    /// Choice kinds: free text is accepted as "Other".
    #[serde(default)]
    pub other: bool,
    /// Choice kinds: a warning shown when this choice is picked.
    #[serde(default)]
    pub warn: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub item: ListItem,
    /// Value for a new handoff (list fields).
    #[serde(default)]
    pub default: Vec<String>,
    /// Numbers: the value must be at least this.
    pub min: Option<f64>,
    /// Numbers: the value must be greater than this.
    pub above: Option<f64>,
    /// Dates: the key of a date field of the same step this one may not precede.
    pub not_before: Option<String>,
    /// Numbers: the key of a number field of the same step this one may not exceed.
    pub at_most: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistDefaults {
    /// Title of the per-environment infrastructure item; `{environment}` is replaced.
    pub environment_item: String,
    pub default: Vec<ChecklistTemplate>,
    pub optional: Vec<ChecklistTemplate>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistTemplate {
    pub key: String,
    pub title: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteCategory {
    pub key: String,
    pub label: String,
    pub help: String,
}

/// Keys of the steps whose content is more than fields; the code relies on them.
pub const STEP_CODE_HOSTS: &str = "code_hosts";
pub const STEP_NOTES: &str = "notes";
pub const STEP_CHECKLIST: &str = "checklist";
pub const STEP_REVIEW: &str = "review";
/// The checklist field listing the customer's environments.
pub const FIELD_ENVIRONMENTS: &str = "environments";

/// The form, parsed once. The embedded text is checked by a unit test, so a
/// failure here can only come from a broken build.
pub fn form() -> &'static Form {
    static FORM: OnceLock<Form> = OnceLock::new();
    FORM.get_or_init(|| Form::parse(FORM_TOML).expect("the embedded assets/form.toml is valid"))
}

impl Form {
    pub fn parse(text: &str) -> Result<Form, String> {
        let form: Form = toml::from_str(text).map_err(|e| e.message().to_string())?;
        form.check()?;
        Ok(form)
    }

    /// Rules that serde cannot express: references point at fields that exist.
    fn check(&self) -> Result<(), String> {
        for step in &self.steps {
            for field in &step.fields {
                let refs = [&field.not_before, &field.at_most];
                for target in refs.into_iter().flatten() {
                    if step.field(target).is_none() {
                        return Err(format!(
                            "field {}.{} refers to unknown field {target}",
                            step.key, field.key
                        ));
                    }
                }
                let is_choice = matches!(field.kind, FieldKind::Choice | FieldKind::MultiChoice);
                if is_choice == field.choices.is_empty() {
                    return Err(format!(
                        "field {}.{}: choices are for choice kinds only, and those need some",
                        step.key, field.key
                    ));
                }
            }
        }
        for key in [STEP_NOTES, STEP_CHECKLIST, STEP_REVIEW] {
            if self.step(key).is_none() {
                return Err(format!("the form has no `{key}` step"));
            }
        }
        Ok(())
    }

    #[must_use]
    pub fn step(&self, key: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.key == key)
    }

    #[must_use]
    pub fn step_index(&self, key: &str) -> Option<usize> {
        self.steps.iter().position(|s| s.key == key)
    }

    #[must_use]
    pub fn note_category(&self, key: &str) -> Option<&NoteCategory> {
        self.note_categories.iter().find(|c| c.key == key)
    }

    /// A note category as a person names it: its number (from 1), key or label,
    /// in any case.
    #[must_use]
    pub fn note_category_named(&self, typed: &str) -> Option<&NoteCategory> {
        let typed = typed.trim();
        match typed.parse::<usize>() {
            Ok(n) => n.checked_sub(1).and_then(|i| self.note_categories.get(i)),
            Err(_) => self
                .note_categories
                .iter()
                .find(|c| c.key.eq_ignore_ascii_case(typed) || c.label.eq_ignore_ascii_case(typed)),
        }
    }
}

impl Step {
    #[must_use]
    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }
}

impl Field {
    /// A short description of what the kind expects, for help and messages.
    #[must_use]
    pub fn kind_hint(&self) -> &'static str {
        match self.kind {
            FieldKind::Text => "text",
            FieldKind::Url => "http(s) URL",
            FieldKind::Date => "date, YYYY-MM-DD",
            FieldKind::Integer => "whole number",
            FieldKind::Number => "number",
            FieldKind::Choice => "one choice",
            FieldKind::MultiChoice => "one or more choices",
            FieldKind::List => match self.item {
                ListItem::Text => "list, one entry per line",
                ListItem::Url => "list of URLs",
            },
            FieldKind::LongText => "multi-line text",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_form_parses_and_covers_the_spec() {
        let form = Form::parse(FORM_TOML).expect("embedded form parses");
        let keys: Vec<&str> = form.steps.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "handoff",
                "deployment",
                "code_hosts",
                "notes",
                "checklist",
                "lessons",
                "upgrade",
                "review"
            ]
        );
        let deployment = form.step("deployment").expect("deployment step");
        assert_eq!(deployment.fields.len(), 10);
        assert_eq!(form.checklist.default.len(), 5);
        assert_eq!(form.checklist.optional.len(), 3);
        assert_eq!(form.note_categories.len(), 7);
        // Every field has help text of its own and a known kind (serde rejects unknown ones).
        for step in &form.steps {
            for field in &step.fields {
                assert!(!field.help.trim().is_empty(), "{} has no help", field.key);
            }
        }
    }

    #[test]
    fn unknown_kind_is_refused() {
        let text = FORM_TOML.replace("kind = \"url\"", "kind = \"colour\"");
        let err = Form::parse(&text).expect_err("unknown kind");
        assert!(err.contains("colour"), "{err}");
    }

    #[test]
    fn note_categories_by_number_key_or_label() {
        let form = form();
        let named = |typed: &str| form.note_category_named(typed).map(|c| c.key.as_str());
        assert_eq!(named("1"), Some("upper_limits"));
        assert_eq!(named(" RISK "), Some("risk"));
        assert_eq!(
            named("special deployment details"),
            Some("special_deployment")
        );
        for nothing in ["0", "8", "weather", ""] {
            assert_eq!(named(nothing), None, "{nothing:?}");
        }
    }

    #[test]
    fn dangling_rule_is_refused() {
        let text = FORM_TOML.replace("not_before = \"start_date\"", "not_before = \"nope\"");
        let err = Form::parse(&text).expect_err("dangling reference");
        assert!(err.contains("unknown field nope"), "{err}");
    }
}
