//! The skip-logic condition parser and evaluator on any JSON, against facts derived from the
//! input: never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sansang::questionnaire::Condition;
use sansang::questionnaire::condition::{Fact, Facts};

struct Derived(u8);

impl Facts for Derived {
    fn fact(&self, field: &str) -> Fact {
        match (field.len() as u8 ^ self.0) % 5 {
            0 => Fact::Unanswered,
            1 => Fact::NoValue,
            2 => Fact::Text(field.to_string()),
            3 => Fact::Number(field.len() as f64 - 3.5),
            _ => Fact::Set(vec![field.to_string(), "a".into()]),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(c) = serde_json::from_slice::<Condition>(data) {
        let seed = data.first().copied().unwrap_or(0);
        let _ = c.holds(&Derived(seed));
        let _ = serde_json::to_string(&c).unwrap();
    }
});
