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

/// Longest word compared on the stack; longer ones (rare: the tokenizer
/// caps words) allocate.
const STACK_CHARS: usize = 24;

/// Optimal string alignment distance (Levenshtein plus adjacent swaps)
/// where a neighbouring key costs [`NEIGHBOUR_COST`]. Words are short
/// (capped at 40 characters by the tokenizer), so the full table is cheap.
pub fn distance(a: &str, b: &str) -> f32 {
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
    let (n, m) = (a.len(), b.len());
    let width = m + 1;
    let mut table = [0.0f32; (STACK_CHARS + 1) * (STACK_CHARS + 1)];
    let mut heap = Vec::new();
    let d: &mut [f32] = if (n + 1) * width <= table.len() {
        &mut table[..(n + 1) * width]
    } else {
        heap.resize((n + 1) * width, 0.0);
        &mut heap
    };
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
}
