//! Field validation on arbitrary input, for every field of the form: never a panic,
//! and a value that parses is valid when checked again.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    for step in &handoff::form::form().steps {
        for field in &step.fields {
            if let Ok(Some(value)) = handoff::validate::parse(field, input) {
                assert_eq!(handoff::validate::check(field, &value), Ok(()), "{}: {input:?}", field.key);
                let again = handoff::validate::parse(field, &value.to_input());
                assert_eq!(again, Ok(Some(value)), "{}: {input:?}", field.key);
            }
        }
    }
});
