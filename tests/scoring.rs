//! Scoring, pinned by hand-computed values (the worked example in README "Scoring").

mod common;
use common::*;
use sansang::assessment::Response;
use sansang::scoring::{Status, Warning, score};

#[test]
fn worked_example_dimension_scores() {
    let (q, a) = worked_example();
    let r = score(&q, &a);
    // F1: (2×0.75 + 1×0.5 + 1×0.75 + 1×45/90) / (2+1+1+1) = 3.25/5
    close(r.dimension("F1").unwrap().claimed, 65.0);
    // F5: (2×1 + 1×0 [don't know] + 1×0.5) / 4
    close(r.dimension("F5").unwrap().claimed, 62.5);
    // CPS: (1×0.75 + 1×0.5) / 2
    close(r.dimension("CPS").unwrap().claimed, 62.5);
    close(r.dimension("L1").unwrap().claimed, 100.0);
    // Overall: mean of the task dimensions F1 and F5.
    close(r.overall, 63.75);
    assert_eq!(r.overall_band.as_deref(), Some("advanced"));
    assert_eq!(r.headline_band.as_deref(), Some("advanced"));
    close(r.headline, 63.75);
    assert!(r.warnings.is_empty());
}

#[test]
fn evidenced_scores_count_only_documented_answers() {
    let (q, a) = worked_example();
    let r = score(&q, &a);
    // Only m.f5.1 (weight 2, value 1) has a document seen: 2/4 for F5, nothing for F1.
    close(r.dimension("F5").unwrap().evidenced, 50.0);
    close(r.dimension("F1").unwrap().evidenced, 0.0);
    close(r.overall_evidenced, 25.0);
}

#[test]
fn coverage_counts_dont_know_and_leaves_hidden_out() {
    let (q, a) = worked_example();
    let r = score(&q, &a);
    // 8 scored questions; m.f1.5 is hidden for a province.
    assert_eq!(r.coverage.applicable, 7);
    assert_eq!(r.coverage.answered, 7);
    assert_eq!(r.coverage.dont_know, 1);
    assert_eq!(r.question("m.f1.5").unwrap().status, Status::Hidden);
    let f5 = r.dimension("F5").unwrap();
    assert_eq!(
        (
            f5.coverage.applicable,
            f5.coverage.answered,
            f5.coverage.dont_know
        ),
        (3, 3, 1)
    );
}

#[test]
fn unanswered_questions_are_not_zero() {
    let (q, mut a) = worked_example();
    a.answers.remove("m.f1.2");
    let r = score(&q, &a);
    // (1.5 + 0.75 + 0.5) / 4, not / 5.
    close(r.dimension("F1").unwrap().claimed, 68.75);
    let f1 = r.dimension("F1").unwrap();
    assert_eq!((f1.coverage.applicable, f1.coverage.answered), (4, 3));
    // What-if: answering it fully would give (2.75 + 1) / 5 = 75, +6.25.
    let imp = f1.what_if.iter().find(|i| i.question == "m.f1.2").unwrap();
    assert_eq!(imp.status, Status::Unanswered);
    assert!((imp.gain - 6.25).abs() < 1e-9, "{}", imp.gain);
}

#[test]
fn not_applicable_leaves_the_denominator() {
    let (q, mut a) = worked_example();
    answer(&mut a, &q, "m.f1.2", Response::NotApplicable);
    let r = score(&q, &a);
    close(r.dimension("F1").unwrap().claimed, 68.75);
    let f1 = r.dimension("F1").unwrap();
    assert_eq!((f1.coverage.applicable, f1.coverage.not_applicable), (3, 1));
}

#[test]
fn nothing_answered_means_no_score() {
    let q = mini();
    let a = new_assessment(&q);
    let r = score(&q, &a);
    assert_eq!(r.overall, None);
    assert_eq!(r.dimension("F1").unwrap().claimed, None);
    assert_eq!(r.headline_band, None);
    assert_eq!(r.coverage.answered, 0);
    // m.f1.5 (communes only) and m.f5.3 (after a "yes") are not shown yet.
    assert_eq!(r.coverage.applicable, 6);
}

#[test]
fn what_if_ranks_by_gain() {
    let (q, a) = worked_example();
    let r = score(&q, &a);
    let f1 = r.dimension("F1").unwrap();
    let got: Vec<(&str, f64)> = f1
        .what_if
        .iter()
        .map(|i| (i.question.as_str(), i.gain))
        .collect();
    // 100·w·(1−v)/Σw: f1.1 2×0.25/5, f1.2 0.5/5, f1.4 0.5/5, f1.3 0.25/5.
    let want = [
        ("m.f1.1", 10.0),
        ("m.f1.2", 10.0),
        ("m.f1.4", 10.0),
        ("m.f1.3", 5.0),
    ];
    assert_eq!(got.len(), want.len(), "{got:?}");
    for ((g, gv), (w, wv)) in got.iter().zip(want) {
        assert_eq!(*g, w);
        assert!((gv - wv).abs() < 1e-9);
    }
}

#[test]
fn weakest_items_rank_by_overall_gain() {
    let (q, a) = worked_example();
    let r = score(&q, &a);
    // Overall gain = ½ × dimension gain (two task dimensions of weight 1).
    // m.f5.2 (don't know, w1 of 4 in F5): ½ × 25 = 12.5; m.f5.3: ½ × 12.5; F1 items: ½ × 10 / 5.
    let first = &r.weakest[0];
    assert_eq!(first.question, "m.f5.2");
    assert!((first.gain - 12.5).abs() < 1e-9);
    assert_eq!(first.status, Status::DontKnow);
    assert_eq!(r.weakest[1].question, "m.f5.3");
    assert!((r.weakest[1].gain - 6.25).abs() < 1e-9);
    assert!(
        r.weakest.iter().all(|i| i.question != "m.f5.1"),
        "fully met items are not weak"
    );
}

#[test]
fn red_flag_caps_the_headline() {
    let q = mini();
    let mut a = new_assessment(&q);
    profile(&mut a, &q, "level", "province");
    profile(&mut a, &q, "target_year", "2025");
    answer(&mut a, &q, "m.f1.1", scale(4));
    answer(&mut a, &q, "m.f1.2", yes());
    answer(&mut a, &q, "m.f1.3", ticks(&["a", "b", "c"]));
    answer(&mut a, &q, "m.f1.4", number(95.0));
    answer(&mut a, &q, "m.f5.1", yes());
    answer(&mut a, &q, "m.f5.2", no());
    answer(&mut a, &q, "m.f5.3", scale(4));
    let r = score(&q, &a);
    close(r.dimension("F1").unwrap().claimed, 100.0);
    close(r.dimension("F5").unwrap().claimed, 75.0);
    close(r.overall, 87.5);
    assert_eq!(r.overall_band.as_deref(), Some("leading"));
    assert_eq!(r.headline_band.as_deref(), Some("developing"));
    close(r.headline, 39.9);
    assert_eq!(
        r.warnings,
        vec![Warning::RedFlag {
            id: "no_plan".into(),
            capped_to: "developing".into()
        }]
    );
}

#[test]
fn security_band_bounds_the_headline() {
    let q = mini();
    let mut a = new_assessment(&q);
    profile(&mut a, &q, "level", "province");
    profile(&mut a, &q, "target_year", "2025");
    answer(&mut a, &q, "m.f1.1", scale(4));
    answer(&mut a, &q, "m.f1.2", yes());
    answer(&mut a, &q, "m.f1.3", ticks(&["a", "b", "c"]));
    answer(&mut a, &q, "m.f1.4", number(90.0));
    answer(&mut a, &q, "m.f5.1", no());
    answer(&mut a, &q, "m.f5.2", partly());
    let r = score(&q, &a);
    // m.f5.3 is hidden (m.f5.1 is not "yes"): F5 = 0.5 / 3.
    close(r.dimension("F5").unwrap().claimed, 50.0 / 3.0);
    close(r.overall, (100.0 + 50.0 / 3.0) / 2.0);
    assert_eq!(r.overall_band.as_deref(), Some("established"));
    // F5 is "beginning"; one band of gap allowed → "developing".
    assert_eq!(r.headline_band.as_deref(), Some("developing"));
    assert!(
        matches!(&r.warnings[0], Warning::SecurityGap { security_band, capped_to, .. }
        if security_band == "beginning" && capped_to == "developing")
    );
}

#[test]
fn number_targets_follow_level_and_year_then_thresholds() {
    let q = mini();
    let mut a = new_assessment(&q);
    answer(&mut a, &q, "m.f1.4", number(63.0));
    // No profile: thresholds (50 → 0.5).
    close(score(&q, &a).question("m.f1.4").unwrap().value, 0.5);
    profile(&mut a, &q, "level", "commune");
    profile(&mut a, &q, "target_year", "2030");
    let r = score(&q, &a);
    let qs = r.question("m.f1.4").unwrap();
    close(qs.value, 0.9); // 63 / 70
    assert_eq!(qs.target.as_ref().unwrap().value, 70.0);
    profile(&mut a, &q, "target_year", "2025");
    close(score(&q, &a).question("m.f1.4").unwrap().value, 1.0); // 63 ≥ 60, capped at 1
}

#[test]
fn alternate_counts_as_met_and_needs_a_justification() {
    let q = mini();
    let mut a = new_assessment(&q);
    let err = a.set_response(
        &q,
        "m.f5.1",
        Response::Alternate {
            justification: "  ".into(),
        },
        NOW,
    );
    assert!(err.is_err());
    answer(
        &mut a,
        &q,
        "m.f5.1",
        Response::Alternate {
            justification: "Dùng đội ứng cứu của tỉnh".into(),
        },
    );
    close(score(&q, &a).dimension("L1").unwrap().claimed, 100.0);
    // Not allowed where the question does not say so.
    assert!(
        a.set_response(
            &q,
            "m.f5.2",
            Response::Alternate {
                justification: "x".into()
            },
            NOW
        )
        .is_err()
    );
}

#[test]
fn skip_logic_is_live() {
    let q = mini();
    let mut a = new_assessment(&q);
    answer(&mut a, &q, "m.f5.1", yes());
    answer(&mut a, &q, "m.f5.3", scale(4));
    assert!(!a.hidden_questions(&q).contains("m.f5.3"));
    answer(&mut a, &q, "m.f5.1", no());
    assert!(a.hidden_questions(&q).contains("m.f5.3"));
    let r = score(&q, &a);
    // The hidden answer is kept but not scored.
    assert!(a.answers.contains_key("m.f5.3"));
    close(r.dimension("F5").unwrap().claimed, 0.0);
}

#[test]
fn invalid_answers_are_refused() {
    let q = mini();
    let mut a = new_assessment(&q);
    assert!(
        a.set_response(&q, "m.f1.4", number(120.0), NOW).is_err(),
        "above max"
    );
    assert!(a.set_response(&q, "m.f1.4", number(f64::NAN), NOW).is_err());
    assert!(a.set_response(&q, "m.f1.1", scale(5), NOW).is_err());
    assert!(
        a.set_response(&q, "m.f1.1", yes(), NOW).is_err(),
        "wrong kind"
    );
    assert!(
        a.set_response(&q, "m.f1.3", ticks(&["a", "none"]), NOW)
            .is_err(),
        "exclusive"
    );
    assert!(a.set_response(&q, "m.f1.3", ticks(&["zzz"]), NOW).is_err());
    assert!(
        a.set_response(&q, "m.f5.2", Response::NotApplicable, NOW)
            .is_err(),
        "N/A not allowed"
    );
    assert!(a.set_response(&q, "nope", yes(), NOW).is_err());
    assert!(
        a.set_profile(
            &q,
            "staff",
            sansang::assessment::ProfileValue::Number(2.5),
            NOW
        )
        .is_err(),
        "integer"
    );
    assert!(
        a.set_profile(
            &q,
            "level",
            sansang::assessment::ProfileValue::Text("district".into()),
            NOW
        )
        .is_err()
    );
    assert!(
        a.answers.is_empty() && a.profile.is_empty(),
        "nothing refused was stored"
    );
}
