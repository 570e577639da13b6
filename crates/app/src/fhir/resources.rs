//! FHIR R4 resources for measures, written by hand (five shapes; a model crate would
//! bring hundreds): Questionnaire from an instrument, QuestionnaireResponse from stored
//! answers, Observation for a total score (US Core screening style: category `survey`,
//! LOINC total code, `derivedFrom` the response), and searchset Bundles. Pure: ids and the
//! public base URL come in, JSON goes out.

use haven_domain::measures::{Answers, Instrument};
use haven_domain::{Language, UserId};
use jiff::Timestamp;
use serde_json::{Value, json};
use uuid::Uuid;

const LOINC: &str = "http://loinc.org";

/// A coding for an instrument's option: LOINC when it has an answer code, else its value.
fn option_coding(instrument: &Instrument, options: &str, value: i64, lang: Language) -> Value {
    let option = instrument.option_sets.get(options).and_then(|set| set.iter().find(|o| o.value == value));
    match option {
        Some(o) => match &o.code {
            Some(code) => json!({ "system": LOINC, "code": code, "display": o.label.get(lang) }),
            None => json!({ "code": value.to_string(), "display": o.label.get(lang) }),
        },
        None => json!({ "code": value.to_string() }),
    }
}

fn loinc_codes(code: Option<&String>, display: &str) -> Value {
    code.map_or_else(|| json!([]), |c| json!([{ "system": LOINC, "code": c, "display": display }]))
}

/// The instrument as a Questionnaire, worded in `lang`.
#[must_use]
pub fn questionnaire(base: &str, instrument: &Instrument, lang: Language) -> Value {
    let items: Vec<Value> = instrument
        .items
        .iter()
        .map(|item| {
            let mut v = json!({
                "linkId": item.id,
                "text": item.text.get(lang),
                "type": "choice",
                "required": item.required,
                "answerOption": instrument
                    .options_of(item)
                    .iter()
                    .map(|o| json!({ "valueCoding": option_coding(instrument, &item.options, o.value, lang) }))
                    .collect::<Vec<_>>(),
            });
            if let Some(code) = &item.loinc {
                v["code"] = json!([{ "system": LOINC, "code": code }]);
            }
            if let Some(c) = &item.ask_if
                && let (Some(asked), Some(value)) = (instrument.item(&c.item), c.equals)
            {
                v["enableWhen"] =
                    json!([{ "question": c.item, "operator": "=", "answerCoding": option_coding(instrument, &asked.options, value, lang) }]);
            }
            v
        })
        .collect();
    let name: String = instrument.short.chars().filter(char::is_ascii_alphanumeric).collect();
    json!({
        "resourceType": "Questionnaire",
        "id": instrument.key,
        "url": format!("{base}/fhir/R4/Questionnaire/{}", instrument.key),
        "version": instrument.version.to_string(),
        "name": name,
        "title": instrument.title.get(lang),
        "status": "active",
        "language": lang.tag(),
        "description": instrument.instructions.get(lang),
        "copyright": instrument.source.get(lang),
        "code": loinc_codes(instrument.loinc.panel.as_ref(), &instrument.short),
        "item": items,
    })
}

/// One stored response.
pub struct Answered<'a> {
    pub id: Uuid,
    pub patient: UserId,
    pub instrument: &'a Instrument,
    pub answers: &'a Answers,
    pub at: Timestamp,
    pub total: Option<i64>,
    pub band: Option<&'a str>,
}

#[must_use]
pub fn questionnaire_response(base: &str, r: &Answered<'_>, lang: Language) -> Value {
    let items: Vec<Value> = r
        .instrument
        .items
        .iter()
        .filter_map(|item| {
            let value = r.answers.get(&item.id)?;
            Some(json!({ "linkId": item.id, "text": item.text.get(lang), "answer": [{ "valueCoding": option_coding(r.instrument, &item.options, *value, lang) }] }))
        })
        .collect();
    json!({
        "resourceType": "QuestionnaireResponse",
        "id": r.id.to_string(),
        "questionnaire": format!("{base}/fhir/R4/Questionnaire/{}", r.instrument.key),
        "status": "completed",
        "subject": { "reference": format!("Patient/{}", r.patient) },
        "authored": r.at.to_string(),
        "item": items,
    })
}

/// The response's result as an Observation: its total (with the band as interpretation
/// text), or its risk level for the C-SSRS screener; `None` when it has neither.
#[must_use]
pub fn observation(r: &Answered<'_>, lang: Language, risk_label: Option<String>) -> Option<Value> {
    let i = r.instrument;
    let band_label = r.band.and_then(|k| i.bands.iter().find(|b| b.key == k)).map(|b| b.label.get(lang).to_owned());
    let (code, value) = match (r.total, &i.loinc.total, &i.loinc.risk, risk_label) {
        (Some(total), Some(code), _, _) => (code, ("valueInteger", json!(total))),
        (None, _, Some(code), Some(label)) => (code, ("valueCodeableConcept", json!({ "text": label }))),
        _ => return None,
    };
    let mut o = json!({
        "resourceType": "Observation",
        "id": r.id.to_string(),
        "status": "final",
        "category": [{ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "survey", "display": "Survey" }] }],
        "code": { "coding": [{ "system": LOINC, "code": code, "display": i.short }], "text": i.short },
        "subject": { "reference": format!("Patient/{}", r.patient) },
        "effectiveDateTime": r.at.to_string(),
        "derivedFrom": [{ "reference": format!("QuestionnaireResponse/{}", r.id) }],
    });
    o[value.0] = value.1;
    if let Some(label) = band_label {
        o["interpretation"] = json!([{ "text": label }]);
    }
    Some(o)
}

/// A searchset Bundle of `resources` (each with its type and id).
#[must_use]
pub fn bundle(base: &str, resources: Vec<Value>) -> Value {
    let entries: Vec<Value> = resources
        .into_iter()
        .map(|r| {
            let url = format!("{base}/fhir/R4/{}/{}", r["resourceType"].as_str().unwrap_or_default(), r["id"].as_str().unwrap_or_default());
            json!({ "fullUrl": url, "resource": r, "search": { "mode": "match" } })
        })
        .collect();
    json!({ "resourceType": "Bundle", "type": "searchset", "total": entries.len(), "entry": entries })
}

/// An OperationOutcome with one issue, for a refusal.
#[must_use]
pub fn outcome(code: &str, text: &str) -> Value {
    json!({ "resourceType": "OperationOutcome", "issue": [{ "severity": "error", "code": code, "diagnostics": text }] })
}

/// Reads a posted QuestionnaireResponse's answers: `linkId` → the option's value, found by
/// its LOINC code or by the value itself. `Err(linkId)` for an answer that matches nothing.
pub fn read_answers(instrument: &Instrument, items: &[Value]) -> Result<Answers, String> {
    let mut out = Answers::new();
    for item in items {
        let link = item["linkId"].as_str().unwrap_or_default().to_owned();
        let Some(asked) = instrument.item(&link) else { return Err(link) };
        let Some(answer) = item["answer"].as_array().and_then(|a| a.first()) else { continue };
        let options = instrument.options_of(asked);
        let value = if let Some(v) = answer["valueInteger"].as_i64() {
            options.iter().find(|o| o.value == v).map(|o| o.value)
        } else {
            let coding = &answer["valueCoding"];
            let code = coding["code"].as_str().unwrap_or_default();
            options.iter().find(|o| o.code.as_deref() == Some(code) || (o.code.is_none() && o.value.to_string() == code)).map(|o| o.value)
        };
        match value {
            Some(v) => {
                out.insert(link, v);
            }
            None => return Err(link),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use haven_domain::measures::builtin;

    use super::*;

    #[test]
    fn phq9_as_a_questionnaire_carries_loinc_codes() {
        let q = questionnaire("https://care.example.org", builtin("phq9").unwrap(), Language::Es);
        assert_eq!(q["code"][0]["code"], "44249-1");
        assert_eq!(q["item"][0]["code"][0]["code"], "44250-9");
        assert_eq!(q["item"][0]["answerOption"][0]["valueCoding"]["code"], "LA6568-5");
        assert_eq!(q["language"], "es");
        let c = questionnaire("https://x", builtin("cssrs").unwrap(), Language::En);
        let q3 = c["item"].as_array().unwrap().iter().find(|i| i["linkId"] == "3").unwrap();
        assert_eq!(q3["enableWhen"][0]["question"], "2");
    }

    #[test]
    fn posted_answers_read_back_by_code_or_value_and_junk_is_named() {
        let phq9 = builtin("phq9").unwrap();
        let items = vec![
            json!({ "linkId": "1", "answer": [{ "valueCoding": { "system": LOINC, "code": "LA6569-3" } }] }),
            json!({ "linkId": "2", "answer": [{ "valueInteger": 2 }] }),
        ];
        let a = read_answers(phq9, &items).unwrap();
        assert_eq!((a["1"], a["2"]), (1, 2));
        assert_eq!(read_answers(phq9, &[json!({ "linkId": "3", "answer": [{ "valueInteger": 7 }] })]), Err("3".into()));
        assert_eq!(read_answers(phq9, &[json!({ "linkId": "99" })]), Err("99".into()));
    }
}
