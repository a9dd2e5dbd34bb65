#!/usr/bin/env python3
"""Regenerate src/core/grade/data/lexicon.txt: the most frequent French word forms.

Frequencies: the PyPI package `wordfreq` 3.1.1, its "large" French list
(`wordfreq.top_n_list('fr', ..., wordlist='large')`). wordfreq's code is
Apache-2.0; its word-frequency data is CC-BY-SA 4.0 (see
src/core/grade/data/LICENSES.md), so lexicon.txt is CC-BY-SA 4.0 too.

Filter: every candidate must be accepted, as written in lowercase, by the
French Hunspell dictionary of Debian's `hunspell-fr-comprehensive` 1:7.0-1
(Dicollecte/Grammalecte, MPL-2.0; "toutes variantes", so both the classical
and the 1990-reform spellings pass). This drops the proper names, English
words, acronyms and unaccented misspellings ("etait", "deja") that wordfreq
lowercases into its list. A form spelt with "oe" is kept when its "œ"
spelling is accepted ("coeur" as well as "cœur"). Only the filter is used:
no word of the Hunspell dictionary is copied that wordfreq does not list.

Kept: forms made only of lowercase French letters (no hyphen, apostrophe,
digit), length >= 2, the first N (default 50,000) accepted forms in
frequency order; the output keeps that order (most frequent first), so a
word's line number is its frequency rank (the grader weighs words by it).

Command line (from the repository root):
    pip install wordfreq==3.1.1
    apt-get install hunspell            # the `hunspell` program
    apt-get download hunspell-fr-comprehensive && dpkg-deb -x hunspell-fr-comprehensive_*.deb /tmp/hfr
    python3 scripts/grading/make_lexicon.py /tmp/hfr/usr/share/hunspell/fr [N]
"""
import re
import subprocess
import sys
from pathlib import Path

import wordfreq

DIC = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/hunspell/fr"
N = int(sys.argv[2]) if len(sys.argv) > 2 else 50_000
OUT = Path(__file__).resolve().parents[2] / "src/core/grade/data/lexicon.txt"
ALPHA = re.compile(r"[a-zàâäçéèêëîïôöùûüÿœæ]{2,}")

cands = [w for w in wordfreq.top_n_list("fr", 400_000, wordlist="large") if ALPHA.fullmatch(w)]
cands = cands[: 3 * N]
probe = sorted(set(cands) | {w.replace("oe", "œ") for w in cands if "oe" in w})
# `hunspell -l` prints the words it rejects.
rejected = set(
    subprocess.run(
        ["hunspell", "-d", DIC, "-i", "utf-8", "-l"],
        input="\n".join(probe) + "\n", capture_output=True, text=True, check=True,
    ).stdout.split()
)

def accepted(w):
    if w not in rejected:
        return True
    return "oe" in w and w.replace("oe", "œ") not in rejected

words, last_rank = [], 0
for rank, w in enumerate(cands, 1):
    if accepted(w):
        words.append(w)
        if len(words) == N:
            last_rank = rank
            break
cut = words[-1]
zipf = wordfreq.zipf_frequency(cut, "fr", wordlist="large")
header = (
    f"# lexicon: {len(words)} most frequent alphabetic French word forms, most frequent first (len>=2), cut-off zipf {zipf:.2f} "
    f"({cut}); source: wordfreq 3.1.1 'large' fr list (PyPI), filtered by the Hunspell fr dictionary of "
    "Debian hunspell-fr-comprehensive 1:7.0-1; licence: CC-BY-SA 4.0 (wordfreq data); "
    "made by scripts/grading/make_lexicon.py"
)
OUT.write_text(header + "\n" + "\n".join(dict.fromkeys(words)) + "\n", encoding="utf-8")
print(f"{len(words)} words, last kept {cut!r} (alphabetic rank {last_rank}) zipf {zipf:.2f} -> {OUT}")
