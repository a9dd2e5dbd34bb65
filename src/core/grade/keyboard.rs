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
    match (letter_index(a), letter_index(b)) {
        (Some(ia), Some(ib)) => NEIGHBOURS[ia] & (1 << ib) != 0,
        _ => false,
    }
}

fn letter_index(c: char) -> Option<usize> {
    c.is_ascii_lowercase().then(|| c as usize - 'a' as usize)
}

/// For each letter, the bit set of its neighbouring keys on either layout,
/// computed at compile time: grading compares many word pairs, and a
/// lookup is one load.
const NEIGHBOURS: [u32; 26] = neighbour_table();

const fn neighbour_table() -> [u32; 26] {
    let mut table = [0u32; 26];
    let mut l = 0;
    while l < LAYOUTS.len() {
        let rows = LAYOUTS[l];
        let mut r = 0;
        while r < rows.len() {
            let row = rows[r].as_bytes();
            let mut i = 0;
            while i < row.len() {
                let a = (row[i] - b'a') as usize;
                // Same row: the keys on either side.
                if i + 1 < row.len() {
                    let b = (row[i + 1] - b'a') as usize;
                    table[a] |= 1 << b;
                    table[b] |= 1 << a;
                }
                // The row below is shifted right by half a key: key i
                // touches its keys i - 1 and i.
                if r + 1 < rows.len() {
                    let below = rows[r + 1].as_bytes();
                    let mut k = 0;
                    while k < 2 {
                        if i + k >= 1 && i + k - 1 < below.len() {
                            let b = (below[i + k - 1] - b'a') as usize;
                            table[a] |= 1 << b;
                            table[b] |= 1 << a;
                        }
                        k += 1;
                    }
                }
                i += 1;
            }
            r += 1;
        }
        l += 1;
    }
    table
}

/// Substitution cost between two characters (as code points), in
/// half-edits.
fn substitution(a: u32, b: u32) -> u32 {
    let letter = |c: u32| c.wrapping_sub('a' as u32);
    let (ia, ib) = (letter(a), letter(b));
    if a == b {
        0
    } else if ia < 26 && ib < 26 && NEIGHBOURS[ia as usize] & (1 << ib) != 0 {
        1
    } else {
        2
    }
}

/// Longest word compared on the stack; longer ones (rare: the tokenizer
/// caps words at 40 characters) allocate.
const STACK_CHARS: usize = 40;

/// Optimal string alignment distance (Levenshtein plus adjacent swaps)
/// where a neighbouring key costs [`NEIGHBOUR_COST`].
pub fn distance(a: &str, b: &str) -> f32 {
    bounded(a, b, f32::INFINITY).unwrap_or(f32::INFINITY)
}

/// Whether `a` and `b` are at most `max` apart ([`distance`]); stops as
/// soon as every alignment costs more, which is most comparisons.
pub fn within(a: &str, b: &str, max: f32) -> bool {
    a == b || bounded(a, b, max).is_some()
}

/// A cell no alignment within the limit goes through.
const OVER: u32 = u32::MAX / 4;

/// The distance, or `None` once it is sure to exceed `max`. Folded words
/// are nearly always ASCII and are compared as bytes; others as characters.
fn bounded(a: &str, b: &str, max: f32) -> Option<f32> {
    if a.is_ascii() && b.is_ascii() {
        return table(a.as_bytes(), b.as_bytes(), max);
    }
    let mut a_buf = ['\0'; STACK_CHARS];
    let mut b_buf = ['\0'; STACK_CHARS];
    let (a_vec, b_vec): (Vec<char>, Vec<char>);
    let a: &[char] = match fill(&mut a_buf, a) {
        Some(n) => &a_buf[..n],
        None => {
            a_vec = a.chars().collect();
            &a_vec
        }
    };
    let b: &[char] = match fill(&mut b_buf, b) {
        Some(n) => &b_buf[..n],
        None => {
            b_vec = b.chars().collect();
            &b_vec
        }
    };
    table(a, b, max)
}

/// [`bounded`] on two sequences of characters. Costs are counted in
/// half-edits (a neighbouring key is 1, any other edit 2) so the table holds
/// integers; three rolling rows on the stack (a word pair is compared many
/// times per answer); only the cells within `max` of the diagonal are
/// computed, since every step off it is an insertion or a deletion.
fn table<T: Copy + Eq + Into<u32>>(a: &[T], b: &[T], max: f32) -> Option<f32> {
    let (n, m) = (a.len(), b.len());
    if (n.abs_diff(m) as f32) > max {
        return None;
    }
    let limit = if max.is_finite() {
        (max * 2.0).floor() as u32
    } else {
        OVER - 1
    };
    // A cell further than `band` from the diagonal needs more than `max`.
    let band = (limit / 2) as usize;
    let width = m + 1;
    let mut stack = [0u32; 3 * (STACK_CHARS + 1)];
    let mut heap = Vec::new();
    let rows: &mut [u32] = if 3 * width <= stack.len() {
        &mut stack[..3 * width]
    } else {
        heap.resize(3 * width, 0);
        &mut heap
    };
    // Row i lives at (i % 3) * width: rows i - 1 and i - 2 are the two before.
    for (j, cell) in rows[..width].iter_mut().enumerate() {
        *cell = if j <= band { 2 * j as u32 } else { OVER };
    }
    let mut prev_min = 0;
    for i in 1..=n {
        let (cur, prev, prev2) = (i % 3 * width, (i - 1) % 3 * width, (i + 1) % 3 * width);
        let lo = i.saturating_sub(band).max(1);
        let hi = (i + band).min(m);
        rows[cur] = if i <= band { 2 * i as u32 } else { OVER };
        // The cells just outside the band are read by this row and the next.
        if lo > 1 {
            rows[cur + lo - 1] = OVER;
        }
        if hi < m {
            rows[cur + hi + 1] = OVER;
        }
        let mut row_min = rows[cur];
        for j in lo..=hi {
            let mut best = (rows[prev + j] + 2)
                .min(rows[cur + j - 1] + 2)
                .min(rows[prev + j - 1] + substitution(a[i - 1].into(), b[j - 1].into()));
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[prev2 + j - 2] + 2);
            }
            rows[cur + j] = best;
            row_min = row_min.min(best);
        }
        // A swap reaches back two rows, so stop only when two rows are over.
        if row_min > limit && prev_min > limit {
            return None;
        }
        prev_min = row_min;
    }
    let d = rows[n % 3 * width + m];
    (d <= limit).then_some(d as f32 / 2.0)
}

/// The characters of `s` into `buf`, if they fit.
fn fill(buf: &mut [char; STACK_CHARS], s: &str) -> Option<usize> {
    let mut n = 0;
    for c in s.chars() {
        *buf.get_mut(n)? = c;
        n += 1;
    }
    Some(n)
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
        assert!(!neighbours('a', 'a'));
        assert!(!neighbours('é', 'e'));
    }

    #[test]
    fn the_table_is_the_layouts_geometry() {
        // Every neighbour pair found by scanning the rows is in the table,
        // both ways, and nothing else: 'g' touches t y (above), f h (row),
        // v b (below) on AZERTY and on QWERTY; 'm' touches l p on AZERTY,
        // n j k on QWERTY.
        let g: Vec<char> = ('a'..='z').filter(|&c| neighbours('g', c)).collect();
        assert_eq!(g, vec!['b', 'f', 'h', 't', 'v', 'y']);
        let m: Vec<char> = ('a'..='z').filter(|&c| neighbours('m', c)).collect();
        assert_eq!(m, vec!['j', 'k', 'l', 'n', 'p']);
    }

    #[test]
    fn a_neighbour_costs_half_an_edit() {
        assert_eq!(distance("panier", "lanier"), 0.5);
        assert_eq!(distance("panier", "ranier"), 1.0);
        assert_eq!(distance("inactifs", "innactifs"), 1.0);
        assert_eq!(distance("fidelisation", "fidelistion"), 1.0);
        assert_eq!(distance("parrainage", "parainnage"), 2.0);
    }

    #[test]
    fn within_agrees_with_the_full_distance() {
        let words = [
            "",
            "a",
            "panier",
            "lanier",
            "ranier",
            "inactifs",
            "innactifs",
            "actifs",
            "fidelisation",
            "fidelistion",
            "parrainage",
            "parainnage",
            "clients",
            "client",
            "ab",
            "ba",
            "acb",
        ];
        for a in words {
            for b in words {
                let d = distance(a, b);
                for max in [0.0, 0.5, 1.0, 1.5, 2.0, 3.0] {
                    assert_eq!(within(a, b, max), d <= max, "{a} / {b} within {max}");
                }
            }
        }
        assert_eq!(distance("abc", "bac"), 1.0);
        assert_eq!(distance("", "abc"), 3.0);
    }
}
