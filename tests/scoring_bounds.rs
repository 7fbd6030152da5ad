//! Numbers at their limits: the validator refuses weights, points, targets and thresholds that
//! could overflow a sum, and over random valid questionnaires and random answers no score is ever
//! NaN or outside 0..100.

mod common;
use common::*;
use sansang::assessment::{Response, Ynp};
use sansang::questionnaire::validate::{MAX_NUMBER, MAX_POINTS, MAX_WEIGHT};
use sansang::questionnaire::{QuestionKind, Questionnaire, load_str};
use serde_json::Value;

/// A small deterministic generator (xorshift), so a failure can be replayed from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    /// Anything from the smallest positive to `max`, extremes often.
    fn positive(&mut self, max: f64) -> f64 {
        match self.below(5) {
            0 => max,
            1 => f64::MIN_POSITIVE,
            2 => 1e-9,
            _ => (self.below(1_000_000) as f64 + 1.0) / 1_000_000.0 * max,
        }
    }
}

fn mini_json() -> Value {
    serde_json::from_str(MINI).unwrap()
}

fn rejected(v: &Value) -> String {
    match load_str(&v.to_string(), "x.json") {
        Ok(_) => String::new(),
        Err(e) => e.render(sansang::i18n::Lang::En),
    }
}

#[test]
fn weights_points_targets_and_thresholds_beyond_their_range_are_refused() {
    let v = mini_json();
    let mut m = v.clone();
    m["dimensions"][0]["weight"] = 1e308.into();
    assert!(
        rejected(&m).contains("above the maximum"),
        "{}",
        rejected(&m)
    );
    // The value is quoted as it was written, not as 309 digits.
    assert!(
        rejected(&m).contains("weight 1e308 is above"),
        "{}",
        rejected(&m)
    );

    // Two contributions of 1e308 each used to overflow Σw to infinity and score NaN.
    let mut m = v.clone();
    let sections = m["sections"].as_array_mut().unwrap();
    let q0 = &mut sections[0]["questions"][0];
    q0["contributes"][0]["weight"] = 1e308.into();
    assert!(rejected(&m).contains("weight"), "{}", rejected(&m));

    let mut m = v.clone();
    let mut found = false;
    for s in m["sections"].as_array_mut().unwrap() {
        for q in s["questions"].as_array_mut().unwrap() {
            if q["kind"] == "checklist" && !found {
                q["options"][0]["points"] = 1e308.into();
                found = true;
            }
        }
    }
    assert!(found);
    assert!(rejected(&m).contains("points"), "{}", rejected(&m));

    let mut m = v.clone();
    let t = &mut m["targets"]["items"][0]["values"];
    let year = t.as_object().unwrap().keys().next().unwrap().clone();
    let key = t[&year].as_object().unwrap().keys().next().unwrap().clone();
    t[&year][&key] = 1e300.into();
    assert!(rejected(&m).contains("target"), "{}", rejected(&m));

    // At the documented maximum, the file is valid.
    let mut m = v.clone();
    m["dimensions"][0]["weight"] = MAX_WEIGHT.into();
    assert_eq!(rejected(&m), "");
}

/// A question's id, kind, option ids, min and max.
type Shape = (String, QuestionKind, Vec<String>, Option<f64>, Option<f64>);

fn randomised(rng: &mut Rng, base: &Value) -> Questionnaire {
    let mut m = base.clone();
    for d in m["dimensions"].as_array_mut().unwrap() {
        d["weight"] = rng.positive(MAX_WEIGHT).into();
    }
    for s in m["sections"].as_array_mut().unwrap() {
        for q in s["questions"].as_array_mut().unwrap() {
            for c in q
                .get_mut("contributes")
                .and_then(Value::as_array_mut)
                .into_iter()
                .flatten()
            {
                c["weight"] = rng.positive(MAX_WEIGHT).into();
            }
            if let Some(opts) = q.get_mut("options").and_then(Value::as_array_mut) {
                let exclusive: Vec<bool> = opts
                    .iter()
                    .map(|o| o["exclusive"].as_bool().unwrap_or(false))
                    .collect();
                for (o, ex) in opts.iter_mut().zip(exclusive) {
                    if !ex {
                        o["points"] = rng.positive(MAX_POINTS).into();
                    }
                }
            }
        }
    }
    if let Some(items) = m
        .get_mut("targets")
        .and_then(|t| t.get_mut("items"))
        .and_then(Value::as_array_mut)
    {
        for item in items {
            for (_, by) in item["values"].as_object_mut().unwrap() {
                for (_, v) in by.as_object_mut().unwrap() {
                    *v = rng.positive(MAX_NUMBER).into();
                }
            }
        }
    }
    load_str(&m.to_string(), "random.json")
        .unwrap_or_else(|e| panic!("{}", e.render(sansang::i18n::Lang::En)))
}

#[test]
fn scores_are_never_nan_over_random_questionnaires_and_answers() {
    let base = mini_json();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..300 {
        let q = randomised(&mut rng, &base);
        let mut a = new_assessment(&q);
        profile(&mut a, &q, "org_name", "X");
        profile(&mut a, &q, "level", ["commune", "province"][round % 2]);
        profile(&mut a, &q, "target_year", "2025");
        let ids: Vec<Shape> = q
            .questions()
            .map(|(_, qq)| {
                (
                    qq.id.clone(),
                    qq.kind,
                    qq.options.iter().map(|o| o.id.clone()).collect(),
                    qq.min,
                    qq.max,
                )
            })
            .collect();
        for (id, kind, options, min, max) in ids {
            let r = match (kind, rng.below(8)) {
                (_, 0) => Response::DontKnow,
                (_, 1) => continue,
                (QuestionKind::Scale, _) => Response::Scale {
                    level: rng.below(5) as u8,
                },
                (QuestionKind::Ynp, k) => Response::Ynp {
                    choice: [Ynp::Yes, Ynp::Partly, Ynp::No][k as usize % 3],
                },
                (QuestionKind::Checklist, _) => Response::Checklist {
                    selected: options
                        .iter()
                        .take(rng.below(options.len() as u64 + 1) as usize)
                        .cloned()
                        .collect(),
                },
                (QuestionKind::Number, _) => {
                    let lo = min.unwrap_or(-MAX_NUMBER);
                    let hi = max.unwrap_or(MAX_NUMBER);
                    let x = match rng.below(4) {
                        0 => lo,
                        1 => hi,
                        _ => lo + (hi - lo) * (rng.below(1000) as f64 / 1000.0),
                    };
                    Response::Number { value: x.round() }
                }
                (QuestionKind::Text, _) => Response::Text { text: "t".into() },
            };
            // Answers the question refuses (e.g. "don't know" not allowed) are skipped.
            let _ = a.set_response(&q, &id, r, NOW);
        }
        let r = sansang::scoring::score(&q, &a);
        let all = r
            .dimensions
            .iter()
            .flat_map(|d| [d.claimed, d.evidenced])
            .chain([r.overall, r.overall_evidenced, r.headline])
            .chain(r.questions.iter().map(|x| x.value.map(|v| v * 100.0)))
            .chain(r.weakest.iter().map(|w| Some(w.gain)))
            .chain(r.next_unanswered.iter().map(|w| Some(w.gain)));
        for s in all.flatten() {
            assert!(
                s.is_finite() && (0.0..=100.0 + 1e-9).contains(&s),
                "round {round}: score {s}"
            );
        }
        if r.overall.is_some() {
            assert!(r.overall_band.is_some(), "round {round}: no band");
        }
    }
}
