//! Keys this version does not know: kept when a file is read, and written back
//! where they were, so a newer version's (or a person's) additions survive any
//! save by this one, with no reordering to make noise in a diff.

use crate::handoff::{Handoff, UnknownPlace};

/// Keys this version does not know (as serde reported them: `mood`,
/// `note.3.colour`) go back into the document, so the next save writes them again.
pub(super) fn keep(handoff: &mut Handoff, text: &str, paths: &[String]) {
    let Ok(whole) = toml::from_str::<toml::Table>(text) else {
        return;
    };
    for path in paths {
        if crate::vitally::record::keep_unknown(&mut handoff.vitally, &whole, path) {
            continue;
        }
        let mut parts = path.splitn(3, '.');
        match (parts.next(), parts.next(), parts.next()) {
            (Some(key), None, None) => {
                if let Some(value) = whole.get(key) {
                    handoff.unknown.insert(key.to_string(), value.clone());
                    handoff.unknown_places.push(place(&whole, key, paths));
                }
            }
            (Some(array), Some(index), Some(rest)) => {
                let key = rest.split('.').next().unwrap_or(rest);
                let Ok(index) = index.parse::<usize>() else {
                    continue;
                };
                let value = whole
                    .get(array)
                    .and_then(|a| a.as_array())
                    .and_then(|a| a.get(index))
                    .and_then(|t| t.as_table())
                    .and_then(|t| t.get(key));
                let target = match array {
                    "note" => handoff.notes_log.get_mut(index).map(|n| &mut n.unknown),
                    "checklist_item" => handoff
                        .checklist_items
                        .get_mut(index)
                        .map(|i| &mut i.unknown),
                    "reopened" => handoff
                        .reopen_history
                        .get_mut(index)
                        .map(|r| &mut r.unknown),
                    "change" => handoff.history.get_mut(index).map(|c| &mut c.unknown),
                    "conflict" => handoff.conflicts.get_mut(index).map(|c| &mut c.unknown),
                    _ => None,
                };
                if let (Some(target), Some(value)) = (target, value) {
                    target.insert(key.to_string(), value.clone());
                }
            }
            _ => {}
        }
    }
}

/// Where an unknown top-level key stands: the known keys after it in the file.
fn place(whole: &toml::Table, key: &str, unknown: &[String]) -> UnknownPlace {
    let followers = whole
        .keys()
        .skip_while(|k| k.as_str() != key)
        .skip(1)
        .filter(|k| !unknown.contains(k))
        .cloned()
        .collect();
    UnknownPlace {
        key: key.to_string(),
        before: followers,
    }
}

/// The document's table (known keys in their order, unknown ones at the end)
/// with each unknown key moved back before the first known key that followed it
/// in the file and is still there.
pub(super) fn in_place(table: toml::Table, places: &[UnknownPlace]) -> toml::Table {
    let (mut unknown, known): (Vec<_>, Vec<_>) = table
        .into_iter()
        .partition(|(k, _)| places.iter().any(|p| p.key == *k));
    let position = |key: &String| known.iter().position(|(k, _)| k == key);
    // For each unknown key, the index of the known key it goes before.
    let anchors: Vec<Option<usize>> = unknown
        .iter()
        .map(|(k, _)| {
            places
                .iter()
                .find(|p| p.key == *k)
                .and_then(|p| p.before.iter().filter_map(position).min())
        })
        .collect();
    let mut out = toml::Table::new();
    let mut unknown: Vec<(Option<usize>, (String, toml::Value))> =
        anchors.into_iter().zip(unknown.drain(..)).collect();
    for (i, (key, value)) in known.into_iter().enumerate() {
        for (_, (k, v)) in unknown.iter().filter(|(anchor, _)| *anchor == Some(i)) {
            out.insert(k.clone(), v.clone());
        }
        out.insert(key, value);
    }
    unknown.retain(|(anchor, _)| anchor.is_none());
    for (_, (k, v)) in unknown {
        out.insert(k, v);
    }
    out
}
