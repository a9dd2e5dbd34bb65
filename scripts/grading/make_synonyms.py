#!/usr/bin/env python3
"""Regenerate src/core/grade/data/synonyms.txt: a French thesaurus reduced for grading.

Source: Debian package `mythes-fr` 1:7.5.0-1, file /usr/share/mythes/thes_fr.dat
(French thesaurus of OpenOffice.org/LibreOffice by Kevin Hendricks, Frédéric
Labbé, Laurent Godard; LGPL-2.1-or-later). Its format: a line `word|n_senses`
followed by n lines `(pos)|syn|syn|...`. synonyms.txt is LGPL-2.1+ as well.

Reduction:
  * headwords and synonyms lowercased, accents kept; only single words that are
    in src/core/grade/data/lexicon.txt (so: common, alphabetic, no hyphen,
    no space); headwords of >= 4 letters; a synonym that is the headword
    itself or differs from it only by accents is dropped;
  * only *mutual* pairs are kept: s is kept for h when h's entry lists s AND s's
    entry lists h. The thesaurus lists are long and loosely ordered
    ("augmenter" lists accentuer, appuyer, souligner... "accroître" 11th), and
    a one-way link is often a loose association ("public" -> "élève", "su");
    the two-way test keeps the near-synonyms (the (pos) tags are not used: they
    are too loose, "public" is tagged Adjectif only);
  * ranked by closeness, fusing two orderings (reciprocal-rank fusion, k = 5):
    (a) position = (sense index, position) of s in h's list + the same for h in
    s's list (first senses first, earlier in both lists first); (b) overlap =
    cosine of the two entries' synonym sets (near-synonyms share their
    synonyms); (c) frequency of s (wordfreq zipf: a student answers with the
    common word, "obtenir" rather than "extorquer"); at most MAX = 12 kept.
Output: `headword|syn1|syn2|...`, one line per headword, sorted by headword (code-point order).

Command line (from the repository root):
    apt-get download mythes-fr && dpkg-deb -x mythes-fr_*.deb /tmp/mythes
    pip install wordfreq==3.1.1
    python3 scripts/grading/make_synonyms.py /tmp/mythes/usr/share/mythes/thes_fr.dat
"""
import sys
import unicodedata
from functools import lru_cache
from collections import defaultdict
from pathlib import Path

DAT = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/mythes/thes_fr.dat"
MAX = 12  # 8 loses acquérir->obtenir (10th) and durable->permanent (12th)
DATA = Path(__file__).resolve().parents[2] / "src/core/grade/data"
lex = {l for l in (DATA / "lexicon.txt").read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")}


@lru_cache(maxsize=None)
def zipf(w):
    import wordfreq  # PyPI wordfreq 3.1.1, the frequencies behind lexicon.txt
    return wordfreq.zipf_frequency(w, "fr", wordlist="large")


def fold(w):
    return "".join(c for c in unicodedata.normalize("NFD", w) if not unicodedata.combining(c))


# entries[h] = {s: rank}, rank = sense_index * 1000 + position (first occurrence wins)
entries = defaultdict(dict)
with open(DAT, encoding="utf-8") as f:
    f.readline()  # encoding line
    lines = iter(f)
    for line in lines:
        head, _, n = line.rstrip("\n").rpartition("|")
        h = head.strip().lower()
        for sense in range(int(n)):
            _pos, *parts = next(lines).rstrip("\n").split("|")
            for pos, s in enumerate(parts):
                s = s.strip().lower()
                if s and s not in entries[h]:
                    entries[h][s] = sense * 1000 + pos

out = []
for h, syns in entries.items():
    if len(h) < 4 or h not in lex:
        continue
    cands = []
    for s, r in syns.items():
        if s == h or fold(s) == fold(h) or s not in lex:
            continue
        back = entries.get(s, {}).get(h)
        if back is None:
            continue
        hs, ss = set(syns), set(entries[s])
        cos = len(hs & ss) / ((len(hs) * len(ss)) ** 0.5)
        cands.append((cos, r + back, s))
    # fuse the two orderings (reciprocal-rank fusion, k = 5): a synonym close by
    # list overlap or listed early in both entries comes first
    by_cos = {s: i for i, (_, _, s) in enumerate(sorted(cands, key=lambda c: (-c[0], c[1], c[2])))}
    by_pos = {s: i for i, (_, _, s) in enumerate(sorted(cands, key=lambda c: (c[1], c[2])))}
    by_freq = {s: i for i, (_, _, s) in enumerate(sorted(cands, key=lambda c: (-zipf(c[2]), c[2])))}
    cands.sort(key=lambda c: (-sum(1 / (5 + o[c[2]]) for o in (by_cos, by_pos, by_freq)), c[1], c[2]))
    kept = [s for _, _, s in cands[:MAX]]
    if kept:
        out.append(h + "|" + "|".join(kept))
out.sort(key=lambda l: (l.split("|", 1)[0], l))  # by headword, so a binary search on the headword works
header = (
    f"# synonyms: {len(out)} headwords, mutual single-word synonyms among lexicon.txt words, closest first, <= {MAX}; "
    "source: Debian mythes-fr 1:7.5.0-1 thes_fr.dat (LibreOffice French thesaurus, Hendricks/Labbé/Godard); "
    "licence: LGPL-2.1-or-later; made by scripts/grading/make_synonyms.py"
)
(DATA / "synonyms.txt").write_text(header + "\n" + "\n".join(out) + "\n", encoding="utf-8")
print(len(out), "headwords,", sum(l.count("|") for l in out), "pairs")
