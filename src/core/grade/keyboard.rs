//! Typing slips by keyboard geometry: an edit distance where hitting a key
//! next to the right one costs less than any other substitution.
//!
//! Students type on AZERTY (France, Belgium) and QWERTY (Québec, phones set
//! to English); a slip lands on a neighbour of the intended key on either
//! layout. "lanier" for "panier" (l is next to p on AZERTY) is a slip;
//! "ranier" is not. Neighbours are the keys touching a key on the same row
//! and on the rows just above and below.

/// The letter rows of each layout, top to bottom. Rows are offset by about
/// half a key, so key `i` of a row touches keys `i - 1..=i + 1` of the next
/// row down's `i - 1` and `i` (and the row above's `i` and `i + 1`).
const LAYOUTS: [[&str; 3]; 2] = [
    // AZERTY (French)
    ["azertyuiop", "qsdfghjklm", "wxcvbn"],
    // QWERTY
    ["qwertyuiop", "asdfghjkl", "zxcvbnm"],
];

/// Cost of substituting a key by one of its neighbours, in edits.
pub const NEIGHBOUR_COST: f32 = 0.5;

/// Whether `a` and `b` (folded, lowercase ASCII letters) are neighbouring
/// keys on AZERTY or QWERTY.
pub fn neighbours(a: char, b: char) -> bool {
    if a == b {
        return false;
    }
    LAYOUTS.iter().any(|rows| {
        let Some((ra, ia)) = position(rows, a) else {
            return false;
        };
        let Some((rb, ib)) = position(rows, b) else {
            return false;
        };
        let (ia, ib) = (ia as isize, ib as isize);
        match rb as isize - ra as isize {
            0 => (ia - ib).abs() == 1,
            // The row below is shifted right by half a key.
            1 => ib == ia || ib == ia - 1,
            -1 => ib == ia || ib == ia + 1,
            _ => false,
        }
    })
}

fn position(rows: &[&str; 3], c: char) -> Option<(usize, usize)> {
    rows.iter()
        .enumerate()
        .find_map(|(r, row)| row.find(c).map(|i| (r, i)))
}

/// Substitution cost between two characters.
fn substitution(a: char, b: char) -> f32 {
    if a == b {
        0.0
    } else if neighbours(a, b) {
        NEIGHBOUR_COST
    } else {
        1.0
    }
}

/// Optimal string alignment distance (Levenshtein plus adjacent swaps)
/// where a neighbouring key costs [`NEIGHBOUR_COST`]. Words are short
/// (capped at 40 characters by the tokenizer), so the full table is cheap.
pub fn distance(a: &str, b: &str) -> f32 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (n, m) = (a.len(), b.len());
    let width = m + 1;
    let mut d = vec![0.0f32; (n + 1) * width];
    for i in 0..=n {
        d[i * width] = i as f32;
    }
    for (j, cell) in d.iter_mut().enumerate().take(m + 1) {
        *cell = j as f32;
    }
    for i in 1..=n {
        for j in 1..=m {
            let mut best = (d[(i - 1) * width + j] + 1.0)
                .min(d[i * width + j - 1] + 1.0)
                .min(d[(i - 1) * width + j - 1] + substitution(a[i - 1], b[j - 1]));
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1.0);
            }
            d[i * width + j] = best;
        }
    }
    d[n * width + m]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbours_on_either_layout() {
        assert!(neighbours('p', 'l')); // AZERTY: l under o/p
        assert!(neighbours('a', 'q')); // AZERTY: q under a
        assert!(neighbours('a', 'z')); // AZERTY row
        assert!(neighbours('a', 's')); // QWERTY row
        assert!(neighbours('c', 'x'));
        assert!(neighbours('i', 'u'));
        assert!(!neighbours('p', 'r'));
        assert!(!neighbours('a', 'p'));
    }

    #[test]
    fn a_neighbour_costs_half_an_edit() {
        assert_eq!(distance("panier", "lanier"), 0.5);
        assert_eq!(distance("panier", "ranier"), 1.0);
        assert_eq!(distance("inactifs", "innactifs"), 1.0);
        assert_eq!(distance("fidelisation", "fidelistion"), 1.0);
        assert_eq!(distance("parrainage", "parainnage"), 2.0);
    }
}
