//! What re-grading stored answers would change (`rappel grade --replay`):
//! every answer students typed, graded again with the current grader and
//! the answers their server accepted, compared with the grade it has (its
//! latest correction's, when an appeal or a self-rating corrected it).
//! A grader upgrade is checked on real answers before it ships.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::core::grade::Verdict;
use crate::core::review::verdict_str;

/// How many examples are kept per kind of change.
pub const EXAMPLES_PER_CHANGE: usize = 5;

/// The tally of a replay.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// Answers graded again.
    pub n_graded: u64,
    /// Answers left out: no text kept, or a card no longer in its deck.
    pub n_skipped: u64,
    /// (stored verdict, new verdict) → how many, for the answers that changed.
    pub changes: BTreeMap<(u8, u8), u64>,
    /// A few examples per change: the card and what was typed.
    pub examples: BTreeMap<(u8, u8), Vec<(String, String)>>,
}

fn rank(verdict: Verdict) -> u8 {
    match verdict {
        Verdict::Wrong => 0,
        Verdict::Partial => 1,
        Verdict::Close => 2,
        Verdict::Correct => 3,
    }
}

fn from_rank(rank: u8) -> Verdict {
    match rank {
        0 => Verdict::Wrong,
        1 => Verdict::Partial,
        2 => Verdict::Close,
        _ => Verdict::Correct,
    }
}

impl Report {
    /// One answer to `card` (as shown in the report) that typed `typed`,
    /// stored as `was`, graded `now` today.
    pub fn add(&mut self, card: &str, typed: &str, was: Verdict, now: Verdict) {
        self.n_graded += 1;
        if was == now {
            return;
        }
        let change = (rank(was), rank(now));
        *self.changes.entry(change).or_default() += 1;
        let examples = self.examples.entry(change).or_default();
        if examples.len() < EXAMPLES_PER_CHANGE {
            examples.push((card.to_string(), typed.to_string()));
        }
    }

    /// An answer that cannot be graded again.
    pub fn skip(&mut self) {
        self.n_skipped += 1;
    }

    /// Answers whose grade would change.
    pub fn n_changed(&self) -> u64 {
        self.changes.values().sum()
    }

    /// Answers refused before and accepted now.
    pub fn n_newly_accepted(&self) -> u64 {
        self.count(|was, now| !was.is_accepted() && now.is_accepted())
    }

    /// Answers accepted before and refused now.
    pub fn n_newly_refused(&self) -> u64 {
        self.count(|was, now| was.is_accepted() && !now.is_accepted())
    }

    fn count(&self, which: impl Fn(Verdict, Verdict) -> bool) -> u64 {
        self.changes
            .iter()
            .filter(|((was, now), _)| which(from_rank(*was), from_rank(*now)))
            .map(|(_, n)| n)
            .sum()
    }

    /// The report as printed: the counts, each change with its examples.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "re-graded {} stored answer(s); {} skipped (no text kept, or card no longer in its deck)",
            self.n_graded, self.n_skipped
        );
        let _ = writeln!(
            out,
            "would change: {} (newly accepted: {}, newly refused: {}), unchanged: {}",
            self.n_changed(),
            self.n_newly_accepted(),
            self.n_newly_refused(),
            self.n_graded - self.n_changed()
        );
        for (change, n) in &self.changes {
            let (was, now) = (from_rank(change.0), from_rank(change.1));
            let _ = writeln!(out, "\n{} → {}: {n}", verdict_str(was), verdict_str(now));
            for (card, typed) in self.examples.get(change).into_iter().flatten() {
                let typed: String = typed.chars().take(120).collect();
                let _ = writeln!(out, "  {card}: {typed:?}");
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_counted_with_a_few_examples() {
        let mut report = Report::default();
        report.add("crm/a", "x", Verdict::Wrong, Verdict::Wrong);
        for i in 0..7 {
            report.add("crm/b", &format!("t{i}"), Verdict::Wrong, Verdict::Correct);
        }
        report.add("crm/c", "y", Verdict::Close, Verdict::Partial);
        report.skip();
        assert_eq!(report.n_graded, 9);
        assert_eq!(report.n_changed(), 8);
        assert_eq!(report.n_newly_accepted(), 7);
        assert_eq!(report.n_newly_refused(), 1);
        let text = report.render();
        assert!(text.contains("wrong → correct: 7"), "{text}");
        assert!(text.contains("close → partial: 1"), "{text}");
        assert_eq!(text.matches("crm/b").count(), EXAMPLES_PER_CHANGE, "{text}");
        assert!(text.contains("1 skipped"), "{text}");
    }
}
