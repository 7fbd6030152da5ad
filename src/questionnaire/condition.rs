//! Evaluating skip-logic conditions against what is known so far.

use super::model::{Comparison, Condition};
use serde_json::Value;

/// The value of a profile field or question, as conditions see it.
#[derive(Debug, Clone, PartialEq)]
pub enum Fact {
    /// Not answered, or the question is not shown.
    Unanswered,
    /// Not applicable or an alternate measure: answered, but no comparable value.
    NoValue,
    /// "Don't know": answered, no comparable value, but matches `"eq": "dont_know"` (so a red flag
    /// can tell "nobody knows" from "no").
    DontKnow,
    Text(String),
    Number(f64),
    Set(Vec<String>),
}

/// Anything that can tell the current value of a field.
pub trait Facts {
    fn fact(&self, field: &str) -> Fact;
}

impl Condition {
    pub fn holds(&self, facts: &dyn Facts) -> bool {
        match self {
            Condition::All(a) => a.all.iter().all(|c| c.holds(facts)),
            Condition::Any(a) => a.any.iter().any(|c| c.holds(facts)),
            Condition::Not(n) => !n.not.holds(facts),
            Condition::Compare(c) => c.holds(&facts.fact(&c.field)),
        }
    }
}

/// The value conditions compare a "don't know" answer with.
pub const DONT_KNOW: &str = "dont_know";

/// A [`Fact`] borrowed from where it is kept, so a condition is checked without copying strings
/// (the aggregation's lean scorer checks every condition of every file).
#[derive(Debug, Clone, Copy)]
pub enum FactRef<'a> {
    Unanswered,
    NoValue,
    DontKnow,
    Text(&'a str),
    Number(f64),
    Set(SetRef<'a>),
}

/// The options ticked in a checklist answer.
#[derive(Debug, Clone, Copy)]
pub enum SetRef<'a> {
    /// By id.
    Ids(&'a [String]),
    /// By index into the question's options: bit `i % 64` of word `i / 64` for option `i`.
    Ticked {
        bits: &'a [u64],
        options: &'a [super::model::CheckOption],
    },
}

impl SetRef<'_> {
    pub fn contains(&self, id: &str) -> bool {
        match self {
            SetRef::Ids(ids) => ids.iter().any(|s| s == id),
            SetRef::Ticked { bits, options } => options
                .iter()
                .position(|o| o.id == id)
                .is_some_and(|i| is_ticked(bits, i)),
        }
    }
}

/// Whether option `i` is ticked in `bits` (bit `i % 64` of word `i / 64`, the form of
/// [`SetRef::Ticked`]).
pub fn is_ticked(bits: &[u64], i: usize) -> bool {
    bits.get(i / 64).is_some_and(|w| w >> (i % 64) & 1 == 1)
}

impl Fact {
    pub fn as_ref(&self) -> FactRef<'_> {
        match self {
            Fact::Unanswered => FactRef::Unanswered,
            Fact::NoValue => FactRef::NoValue,
            Fact::DontKnow => FactRef::DontKnow,
            Fact::Text(s) => FactRef::Text(s),
            Fact::Number(n) => FactRef::Number(*n),
            Fact::Set(s) => FactRef::Set(SetRef::Ids(s)),
        }
    }
}

fn value_matches(fact: FactRef, v: &Value) -> bool {
    match (fact, v) {
        (FactRef::DontKnow, Value::String(t)) => t == DONT_KNOW,
        (FactRef::Text(s), Value::String(t)) => s == t,
        (FactRef::Number(n), Value::Number(m)) => m.as_f64().is_some_and(|m| n == m),
        // Scale levels and numbers may be written as strings in hand-made files ("3").
        (FactRef::Number(n), Value::String(t)) => t.parse::<f64>().is_ok_and(|m| n == m),
        (FactRef::Text(s), Value::Number(m)) => s.parse::<f64>().ok() == m.as_f64(),
        _ => false,
    }
}

impl Comparison {
    pub fn holds(&self, fact: &Fact) -> bool {
        self.holds_ref(fact.as_ref())
    }

    pub fn holds_ref(&self, fact: FactRef) -> bool {
        if let Some(want) = self.answered {
            return want == !matches!(fact, FactRef::Unanswered);
        }
        if let Some(v) = &self.ne {
            return !value_matches(fact, v);
        }
        if let Some(v) = &self.eq {
            return value_matches(fact, v);
        }
        if let Some(vs) = &self.in_ {
            return vs.iter().any(|v| value_matches(fact, v));
        }
        if let Some(opt) = &self.includes {
            return matches!(fact, FactRef::Set(s) if s.contains(opt));
        }
        if let Some(x) = self.gte {
            return matches!(fact, FactRef::Number(n) if n >= x);
        }
        if let Some(x) = self.lte {
            return matches!(fact, FactRef::Number(n) if n <= x);
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct Map(HashMap<&'static str, Fact>);
    impl Facts for Map {
        fn fact(&self, f: &str) -> Fact {
            self.0.get(f).cloned().unwrap_or(Fact::Unanswered)
        }
    }

    fn cond(json: &str) -> Condition {
        serde_json::from_str(json).unwrap()
    }

    fn refused(json: &str) -> String {
        serde_json::from_str::<Condition>(json)
            .expect_err(json)
            .to_string()
    }

    #[test]
    fn every_shape_reads_by_its_key_and_round_trips() {
        for json in [
            r#"{"field":"level","eq":"commune"}"#,
            r#"{"eq":3,"field":"q2"}"#,
            r#"{"all":[{"field":"a","answered":true},{"any":[]}]}"#,
            r#"{"not":{"field":"q1","in":["no","partly"]}}"#,
            r#"{"field":"q2","gte":2.5}"#,
        ] {
            let c = cond(json);
            let again: Condition =
                serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap();
            assert_eq!(c, again, "{json}");
        }
        assert!(matches!(cond(r#"{"not":{"all":[]}}"#), Condition::Not(_)));
    }

    #[test]
    fn wrong_shapes_say_what_a_condition_is() {
        for json in [
            "[]",
            "3",
            "{}",
            r#"{"all":[],"field":"x"}"#,
            r#"{"field":"x","bogus":1}"#,
        ] {
            let e = refused(json);
            assert!(e.contains("a condition: {"), "{json}: {e}");
        }
        assert!(refused(r#"{"all":[],"field":"x"}"#).contains("cannot be combined"));
        assert!(refused(r#"{"field":"x","eq":1,"eq":2}"#).contains("duplicate field `eq`"));
    }

    /// The input `cargo fuzz` found: nested brackets made the untagged enum try every shape at
    /// every level (exponential time, gigabytes). Now the first bracket is refused.
    #[test]
    fn nested_brackets_are_refused_at_once() {
        let deep = format!("{}6E-886{}", "[".repeat(40), "]".repeat(40));
        assert!(refused(&deep).contains("a condition"));
        let found = b"[[[[[[[[[[[[[[[[[[[[6E-886]]]]]]]]]]]]]]]]]]][x\"d\xdd";
        assert!(serde_json::from_slice::<Condition>(found).is_err());
        // Deep but well-formed nesting is read (within serde_json's depth limit).
        let nots = format!(
            "{}{{\"field\":\"a\",\"answered\":true}}{}",
            "{\"not\":".repeat(60),
            "}".repeat(60)
        );
        assert!(matches!(cond(&nots), Condition::Not(_)));
    }

    #[test]
    fn operators() {
        let facts = Map(HashMap::from([
            ("level", Fact::Text("commune".into())),
            ("q1", Fact::Text("no".into())),
            ("q2", Fact::Number(3.0)),
            ("q3", Fact::Set(vec!["vneid".into()])),
            ("q4", Fact::NoValue),
            ("q5", Fact::DontKnow),
        ]));
        let t = |j: &str| cond(j).holds(&facts);
        assert!(t(r#"{"field":"level","in":["province","commune"]}"#));
        assert!(!t(r#"{"field":"level","eq":"province"}"#));
        assert!(t(r#"{"field":"q1","eq":"no"}"#));
        assert!(t(r#"{"field":"q2","gte":3}"#));
        assert!(!t(r#"{"field":"q2","lte":2}"#));
        assert!(t(r#"{"field":"q2","eq":"3"}"#));
        assert!(t(r#"{"field":"q3","includes":"vneid"}"#));
        assert!(!t(r#"{"field":"q3","includes":"epay"}"#));
        assert!(t(r#"{"field":"q4","answered":true}"#));
        assert!(
            !t(r#"{"field":"q4","eq":"no"}"#),
            "no value matches nothing"
        );
        assert!(t(r#"{"field":"q4","ne":"yes"}"#));
        assert!(
            !t(r#"{"field":"q4","eq":"dont_know"}"#),
            "N/A is not don't know"
        );
        assert!(t(r#"{"field":"q5","eq":"dont_know"}"#));
        assert!(t(r#"{"field":"q5","in":["no","dont_know"]}"#));
        assert!(!t(r#"{"field":"q5","eq":"no"}"#), "don't know is not no");
        assert!(t(r#"{"field":"q5","answered":true}"#));
        assert!(!t(r#"{"field":"q5","lte":0}"#));
        assert!(t(r#"{"field":"missing","answered":false}"#));
        assert!(
            !t(r#"{"field":"missing","gte":0}"#),
            "unanswered never compares"
        );
        assert!(t(
            r#"{"all":[{"field":"q1","eq":"no"},{"not":{"field":"q2","lte":1}}]}"#
        ));
        assert!(t(
            r#"{"any":[{"field":"q1","eq":"yes"},{"field":"q2","eq":3}]}"#
        ));
    }
}
