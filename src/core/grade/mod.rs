//! Grading typed French answers. (Placeholder: exact match only, being replaced.)

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Correct,
    Close,
    Partial,
    Wrong,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Grade {
    pub verdict: Verdict,
    pub score: f32,
    pub feedback: Feedback,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Feedback {
    pub expected: String,
}

pub fn grade(expected: &str, accept: &[String], given: &str) -> Grade {
    let right = std::iter::once(expected)
        .chain(accept.iter().map(String::as_str))
        .any(|a| a.trim().eq_ignore_ascii_case(given.trim()));
    Grade {
        verdict: if right {
            Verdict::Correct
        } else {
            Verdict::Wrong
        },
        score: if right { 1.0 } else { 0.0 },
        feedback: Feedback {
            expected: expected.to_string(),
        },
    }
}
