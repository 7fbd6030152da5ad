//! Generated assessments for the aggregation tests: deterministic, every kind of answer.

use super::{NOW, new_assessment};
use sansang::assessment::{
    Assessment, Evidence, EvidenceGrade, EvidenceSource, ProfileValue, Response, Ynp,
};
use sansang::questionnaire::{ProfileKind, QuestionKind, Questionnaire};

/// xorshift64*: deterministic variety.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

pub const PLACES: &[&str] = &[
    "Hà Nội",
    " hà  nội",
    "Thừa Thiên Huế",
    "Huế",
    "Cần Thơ",
    "=cmd",
];

/// An assessment with every kind of answer: some unanswered, don't know, not applicable,
/// alternate measures, evidence, profile fields left out, answers to questions later hidden.
pub fn generate(q: &Questionnaire, seed: u64) -> Assessment {
    let mut rng = Rng::new(seed);
    let mut a = new_assessment(q);
    for f in &q.profile {
        if rng.chance(10) {
            continue;
        }
        let v = match f.kind {
            ProfileKind::Choice => {
                ProfileValue::Text(f.options[rng.below(f.options.len())].id.clone())
            }
            ProfileKind::Number => {
                let lo = f.min.unwrap_or(0.0);
                let hi = f.max.unwrap_or(lo + 500.0).min(lo + 100_000.0);
                ProfileValue::Number((lo + (hi - lo) * rng.below(1000) as f64 / 1000.0).round())
            }
            ProfileKind::Text => ProfileValue::Text(PLACES[rng.below(PLACES.len())].to_string()),
        };
        let _ = a.set_profile(q, &f.id, v, NOW);
    }
    let maturity = rng.below(100);
    for (_, question) in q.questions() {
        if rng.chance(12) {
            continue;
        }
        let level = (maturity + rng.below(60)).min(130) as f64 / 130.0;
        let r = if question.allow_dont_know && rng.chance(6) {
            Response::DontKnow
        } else if question.allow_na && rng.chance(6) {
            Response::NotApplicable
        } else if question.allow_alternate && rng.chance(5) {
            Response::Alternate {
                justification: "Dùng hệ thống của tỉnh".into(),
            }
        } else {
            match question.kind {
                QuestionKind::Scale => Response::Scale {
                    level: (level * 4.0).round() as u8,
                },
                QuestionKind::Ynp => Response::Ynp {
                    choice: [Ynp::No, Ynp::Partly, Ynp::Yes][rng.below(3)],
                },
                QuestionKind::Checklist => {
                    let plain: Vec<String> = question
                        .options
                        .iter()
                        .filter(|o| !o.exclusive)
                        .filter(|_| rng.chance(50))
                        .map(|o| o.id.clone())
                        .collect();
                    Response::Checklist { selected: plain }
                }
                QuestionKind::Number => {
                    let lo = question.min.unwrap_or(0.0);
                    let hi = question.max.unwrap_or(lo + 100.0);
                    let x = lo + level * (hi - lo);
                    Response::Number {
                        value: if question.integer {
                            x.round()
                        } else {
                            (x * 10.0).round() / 10.0
                        },
                    }
                }
                QuestionKind::Text => Response::Text {
                    text: "ghi chú, có \"ngoặc kép\"\nvà xuống dòng".into(),
                },
            }
        };
        if a.set_response(q, &question.id, r, NOW).is_err() {
            continue;
        }
        if let Some(ans) = a.answers.get_mut(&question.id)
            && rng.chance(20)
        {
            ans.evidence.push(Evidence {
                grade: [
                    EvidenceGrade::Stated,
                    EvidenceGrade::DocumentSeen,
                    EvidenceGrade::Verified,
                ][rng.below(3)],
                source: EvidenceSource::Link {
                    target: "https://example.vn".into(),
                },
                note: String::new(),
            });
        }
    }
    a
}
