//! The validator: one broken file per rule, each reported with its path; all problems at once.

mod common;
use common::MINI;
use sansang::i18n::Lang;
use sansang::questionnaire::{LoadError, load_str};
use serde_json::{Value, json};

/// Applies `edit` to the mini questionnaire and returns every rendered problem (English).
fn problems(edit: impl FnOnce(&mut Value)) -> Vec<String> {
    let mut v: Value = serde_json::from_str(MINI).unwrap();
    edit(&mut v);
    match load_str(&v.to_string(), "bad.json") {
        Ok(_) => vec![],
        Err(LoadError::Invalid { issues, .. }) => {
            issues.iter().map(|i| i.render(Lang::En)).collect()
        }
        Err(e) => vec![e.render(Lang::En)],
    }
}

fn assert_reports(edit: impl FnOnce(&mut Value), path: &str, words: &str) {
    let p = problems(edit);
    assert!(
        p.iter().any(|m| m.contains(path) && m.contains(words)),
        "expected a problem at {path:?} saying {words:?}, got {p:#?}"
    );
}

fn q(v: &mut Value, s: usize, i: usize) -> &mut Value {
    &mut v["sections"][s]["questions"][i]
}

#[test]
fn the_fixture_is_valid() {
    assert_eq!(problems(|_| {}), Vec::<String>::new());
}

#[test]
fn wrong_format_version() {
    assert_reports(|v| v["format"] = json!(7), "format", "format 7");
}

#[test]
fn duplicate_question_ids() {
    assert_reports(
        |v| q(v, 1, 0)["id"] = json!("m.f1.1"),
        "sections[1] (f5).questions[0] (m.f1.1)",
        "used twice",
    );
}

#[test]
fn question_id_clashing_with_a_profile_field() {
    assert_reports(
        |v| q(v, 0, 0)["id"] = json!("level"),
        "sections[0] (f1).questions[0] (level)",
        "used twice",
    );
}

#[test]
fn duplicate_dimension_ids() {
    assert_reports(
        |v| v["dimensions"][1]["id"] = json!("CPS"),
        "dimensions[1]",
        "used twice",
    );
}

#[test]
fn invalid_id_characters() {
    assert_reports(
        |v| q(v, 0, 1)["id"] = json!("câu 2"),
        "sections[0] (f1).questions[1] (câu 2).id",
        "not valid",
    );
}

#[test]
fn condition_pointing_to_a_later_question() {
    assert_reports(
        |v| q(v, 0, 0)["show_if"] = json!({"field": "m.f5.1", "eq": "yes"}),
        "questions[0] (m.f1.1).show_if.field",
        "earlier question",
    );
}

#[test]
fn condition_pointing_to_nothing() {
    assert_reports(
        |v| q(v, 1, 2)["show_if"] = json!({"field": "ghost", "eq": "yes"}),
        "show_if.field",
        "\"ghost\"",
    );
}

#[test]
fn condition_with_two_operators() {
    assert_reports(
        |v| q(v, 1, 2)["show_if"] = json!({"field": "m.f5.1", "eq": "yes", "ne": "no"}),
        "(m.f5.3).show_if",
        "2 operators",
    );
}

#[test]
fn condition_value_not_among_the_answers() {
    assert_reports(
        |v| q(v, 1, 2)["show_if"] = json!({"field": "m.f5.1", "eq": "maybe"}),
        "(m.f5.3).show_if",
        "maybe",
    );
}

#[test]
fn condition_gte_on_a_non_number() {
    assert_reports(
        |v| q(v, 1, 2)["show_if"] = json!({"field": "m.f5.1", "gte": 1}),
        "(m.f5.3).show_if",
        "not numeric",
    );
}

#[test]
fn malformed_condition_names_its_place() {
    let p = problems(|v| q(v, 1, 2)["show_if"] = json!({"feld": "m.f5.1"}));
    assert!(
        p[0].contains("sections[1].questions[2].show_if") && p[0].contains("condition is"),
        "{p:?}"
    );
}

#[test]
fn zero_or_negative_weight() {
    assert_reports(
        |v| q(v, 0, 0)["contributes"][0]["weight"] = json!(0),
        "contributes[0].weight",
        "greater than 0",
    );
    assert_reports(
        |v| v["dimensions"][0]["weight"] = json!(-1),
        "dimensions[0].weight",
        "greater than 0",
    );
}

#[test]
fn contribution_to_an_unknown_dimension() {
    assert_reports(
        |v| q(v, 0, 0)["contributes"][0]["to"] = json!("F9"),
        "contributes[0].to",
        "no dimension \"F9\"",
    );
}

#[test]
fn dimension_nobody_scores() {
    assert_reports(
        |v| {
            v["dimensions"].as_array_mut().unwrap().push(json!({"id": "XHS", "group": "pillar", "label": {"vi": "Xã hội số", "en": "Digital society"}}))
        },
        "dimensions[4] (XHS)",
        "no question contributes",
    );
}

#[test]
fn bands_with_a_gap() {
    assert_reports(
        |v| v["bands"][1]["max"] = json!(35),
        "bands",
        "gap between band \"developing\"",
    );
}

#[test]
fn bands_overlapping() {
    assert_reports(|v| v["bands"][2]["min"] = json!(30), "bands", "overlap");
}

#[test]
fn bands_not_reaching_100() {
    assert_reports(|v| v["bands"][4]["max"] = json!(90), "bands", "ends at 90");
}

#[test]
fn bands_not_starting_at_0() {
    assert_reports(|v| v["bands"][0]["min"] = json!(5), "bands", "starts at 5");
}

#[test]
fn missing_language() {
    assert_reports(
        |v| q(v, 0, 0)["text"]["en"] = json!(""),
        "(m.f1.1).text.en",
        "empty",
    );
    let p = problems(|v| v["title"] = json!({"vi": "Chỉ tiếng Việt"}));
    assert!(
        p[0].contains("title") && p[0].contains("missing field `en`"),
        "{p:?}"
    );
}

#[test]
fn thresholds_out_of_order() {
    assert_reports(
        |v| q(v, 0, 3)["thresholds"] = json!([{"at_least": 0, "score": 0}, {"at_least": 80, "score": 1}, {"at_least": 50, "score": 0.5}]),
        "(m.f1.4).thresholds[2]",
        "not above the previous",
    );
}

#[test]
fn threshold_score_outside_0_1() {
    assert_reports(
        |v| q(v, 0, 3)["thresholds"][2]["score"] = json!(2),
        "thresholds[2].score",
        "outside 0..1",
    );
}

#[test]
fn scale_without_five_levels() {
    assert_reports(
        |v| {
            q(v, 0, 0)["levels"].as_array_mut().unwrap().pop();
        },
        "(m.f1.1).levels",
        "exactly 5 levels",
    );
}

#[test]
fn field_of_another_kind() {
    assert_reports(
        |v| q(v, 0, 1)["levels"] = q(v, 0, 0)["levels"].clone(),
        "(m.f1.2).levels",
        "takes no \"levels\"",
    );
}

#[test]
fn scored_question_without_recommendation_or_seed() {
    assert_reports(
        |v| {
            q(v, 0, 1).as_object_mut().unwrap().remove("recommendation");
        },
        "(m.f1.2).recommendation",
        "no recommendation",
    );
    assert_reports(
        |v| q(v, 0, 1)["seed"] = json!([]),
        "(m.f1.2).seed",
        "no seed reference",
    );
}

#[test]
fn malformed_seed_reference() {
    assert_reports(
        |v| q(v, 0, 0)["seed"][0]["lines"] = json!("153-151"),
        "seed[0].lines",
        "malformed",
    );
    assert_reports(
        |v| q(v, 0, 0)["seed"][0]["doc"] = json!("4"),
        "seed[0].doc",
        "not in the \"sources\" registry",
    );
}

#[test]
fn every_cited_document_must_be_in_the_registry() {
    // A question citing a document the registry does not declare.
    assert_reports(
        |v| q(v, 0, 0)["seed"][0]["doc"] = json!("001"),
        "sections[0] (f1).questions[0] (m.f1.1).seed[0].doc",
        "document \"001\" is not in the \"sources\" registry",
    );
    // A questionnaire with no registry at all: every citation is reported.
    let p = problems(|v| {
        v.as_object_mut().unwrap().remove("sources");
    });
    assert!(
        p.iter().filter(|m| m.contains("registry")).count() >= 5,
        "{p:#?}"
    );
}

#[test]
fn registry_entries_need_both_languages_and_a_readable_date() {
    assert_reports(
        |v| v["sources"][0]["short"]["en"] = json!(" "),
        "sources[0] (004).short.en",
        "empty",
    );
    assert_reports(
        |v| v["sources"][0]["name"]["vi"] = json!(""),
        "sources[0] (004).name.vi",
        "empty",
    );
    assert_reports(
        |v| v["sources"][1]["date"] = json!("3/6/2020"),
        "sources[1] (002).date",
        "malformed",
    );
    assert_reports(
        |v| v["sources"][2]["id"] = json!("002"),
        "sources[2] (002)",
        "used twice",
    );
    assert_reports(|v| v["sources"][0]["status"] = json!("valid"), "", "status");
}

#[test]
fn a_document_outside_the_seeds_needs_no_line_numbers() {
    let outside = |v: &mut Value| {
        v["sources"].as_array_mut().unwrap().push(json!({
            "id": "nq202", "short": {"vi": "Nghị quyết 202/2025/QH15", "en": "Resolution 202/2025/QH15"},
            "name": {"vi": "Nghị quyết 202/2025/QH15", "en": "Resolution 202/2025/QH15"},
            "issuer": {"vi": "Quốc hội", "en": "National Assembly"}, "date": "2025-06-12",
            "kind": "resolution", "status": "in_force", "outside_seeds": true
        }));
    };
    assert_eq!(
        problems(|v| {
            outside(v);
            q(v, 0, 0)["seed"]
                .as_array_mut()
                .unwrap()
                .push(json!({"doc": "nq202", "item": "Điều 1"}));
        }),
        Vec::<String>::new()
    );
    // A seed document still needs them.
    assert_reports(
        |v| {
            q(v, 0, 0)["seed"]
                .as_array_mut()
                .unwrap()
                .push(json!({"doc": "004", "item": "IV.1.a"}));
        },
        "seed[1].lines",
        "malformed",
    );
}

#[test]
fn number_without_scoring() {
    assert_reports(
        |v| {
            let o = q(v, 0, 3).as_object_mut().unwrap();
            o.remove("thresholds");
            o.remove("target");
        },
        "(m.f1.4)",
        "needs \"thresholds\" or a \"target\"",
    );
}

#[test]
fn unknown_target() {
    assert_reports(
        |v| q(v, 0, 3)["target"] = json!("nope"),
        "(m.f1.4).target",
        "no target \"nope\"",
    );
}

#[test]
fn target_keys_must_be_options() {
    assert_reports(
        |v| v["targets"]["items"][0]["values"]["2025"]["ward"] = json!(50),
        "values.2025.ward",
        "not an option of level",
    );
    assert_reports(
        |v| v["targets"]["items"][0]["values"]["2040"] = json!({"*": 100}),
        "values.2040",
        "not an option of target_year",
    );
}

#[test]
fn checklist_exclusive_option_with_points() {
    assert_reports(
        |v| q(v, 0, 2)["options"][3]["points"] = json!(1),
        "options[3].points",
        "exclusive option",
    );
}

#[test]
fn red_flag_with_unknown_band_or_field() {
    assert_reports(
        |v| v["security_rule"]["red_flags"][0]["cap_band"] = json!("meh"),
        "red_flags[0] (no_plan).cap_band",
        "no band \"meh\"",
    );
    assert_reports(
        |v| v["security_rule"]["red_flags"][0]["when"]["field"] = json!("zz"),
        "red_flags[0] (no_plan).when.field",
        "\"zz\"",
    );
}

#[test]
fn unknown_field_is_named() {
    let p = problems(|v| q(v, 0, 0)["weigth"] = json!(2));
    assert!(
        p[0].contains("sections[0].questions[0]") && p[0].contains("weigth"),
        "{p:?}"
    );
}

#[test]
fn syntax_error_names_line_and_column() {
    let err = load_str("{\n  \"format\": 1,\n  \"id\": \n}", "broken.json").unwrap_err();
    let msg = err.render(Lang::En);
    assert!(msg.starts_with("broken.json:4:1"), "{msg}");
}

#[test]
fn all_problems_are_reported_at_once() {
    let p = problems(|v| {
        v["format"] = json!(2);
        q(v, 0, 0)["contributes"][0]["weight"] = json!(0);
        v["bands"][4]["max"] = json!(99);
        q(v, 1, 0)["text"]["vi"] = json!(" ");
    });
    assert_eq!(p.len(), 4, "{p:#?}");
}

#[test]
fn messages_exist_in_vietnamese() {
    let mut v: Value = serde_json::from_str(MINI).unwrap();
    v["bands"][4]["max"] = json!(99);
    let Err(LoadError::Invalid { issues, .. }) = load_str(&v.to_string(), "x.json") else {
        panic!()
    };
    let vi = issues[0].render(Lang::Vi);
    assert!(
        vi.contains("mức cao nhất") && vi.contains("Cách sửa"),
        "{vi}"
    );
}
