#!/usr/bin/env python3
"""Regenerate src/core/grade/data/lemmas.txt: conjugated verb forms -> infinitive.

Source: the French Hunspell dictionary of Debian's `hunspell-fr-comprehensive`
1:7.0-1 (Dicollecte, MPL-2.0), restricted to the word forms of
src/core/grade/data/lexicon.txt.

Why: the grader's word key removes regular inflection ("diminue" and
"diminuer" share a key) but not irregular conjugation: "maintient" is not
"maintenir", "accroît" not "accroître", so neither the thesaurus nor the word
families (both listed by infinitive) are reached from what students type.

How: every dictionary entry tagged as a verb (`po:v`) is conjugated with the
suffix rules (SFX) of its flags, as Hunspell itself does; a produced form is
kept when it is a lexicon word, differs from its infinitive, belongs to one
infinitive only, and is not also a form of a dictionary entry of another
kind (a noun such as "produit", "fait" or "ventes" keeps its own meaning). Forms are folded
like rappel folds words (lowercase, accents and ligatures removed).

Output: `form|infinitive` per line, folded, sorted.

Command line (from the repository root):
    apt-get download hunspell-fr-comprehensive && dpkg-deb -x hunspell-fr-comprehensive_*.deb /tmp/hfr
    python3 scripts/grading/make_lemmas.py /tmp/hfr/usr/share/hunspell/fr
"""
import re
import sys
import unicodedata
from collections import defaultdict

BASE = sys.argv[1] if len(sys.argv) > 1 else "/tmp/hfr/usr/share/hunspell/fr"
OUT = "src/core/grade/data/lemmas.txt"
LEXICON = "src/core/grade/data/lexicon.txt"


def fold(w):
    w = w.lower().replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    w = unicodedata.normalize("NFKD", w)
    return "".join(c for c in w if not unicodedata.combining(c))


def flags_of(s):
    return [s[i:i + 2] for i in range(0, len(s), 2)]  # FLAG long


rules = defaultdict(list)
with open(BASE + ".aff", encoding="utf-8") as f:
    for line in f:
        parts = line.split()
        if len(parts) >= 5 and parts[0] == "SFX":
            flag, strip, add, cond = parts[1], parts[2], parts[3], parts[4]
            strip = "" if strip == "0" else strip
            add = add.split("/")[0]
            add = "" if add == "0" else add
            rules[flag].append((strip, add, re.compile("(?:" + cond + ")$") if cond != "." else None))

lexicon = set()
with open(LEXICON, encoding="utf-8") as f:
    for line in f:
        if not line.startswith("#") and line.strip():
            lexicon.add(fold(line.strip()))

lemmas = defaultdict(set)
other_entries = set()
with open(BASE + ".dic", encoding="utf-8") as f:
    f.readline()  # the entry count
    for line in f:
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        head, _, morph = line.partition("\t") if "\t" in line else line.partition(" ")
        word, _, flags = head.partition("/")
        verb = "po:v" in morph
        if not word.isalpha():
            continue
        if not verb:
            other_entries.add(fold(word))
        for flag in flags_of(flags):
            for strip, add, cond in rules.get(flag, []):
                if not word.endswith(strip) or (cond is not None and not cond.search(word)):
                    continue
                form = word[: len(word) - len(strip)] + add
                if not form.isalpha():
                    continue
                if verb:
                    lemmas[fold(form)].add(fold(word))
                else:
                    other_entries.add(fold(form))

pairs = []
for form, infinitives in lemmas.items():
    if len(infinitives) != 1 or form not in lexicon or form in other_entries:
        continue
    (infinitive,) = infinitives
    if infinitive != form:
        pairs.append((form, infinitive))
pairs.sort()
with open(OUT, "w", encoding="utf-8") as f:
    f.write(
        f"# lemmas: {len(pairs)} conjugated verb forms of lexicon.txt and their infinitive, form|infinitive, folded; "
        "source: Debian hunspell-fr-comprehensive 1:7.0-1 fr.dic/fr.aff (Dicollecte), conjugated by its SFX rules; "
        "licence: MPL-2.0; made by scripts/grading/make_lemmas.py\n"
    )
    for form, infinitive in pairs:
        f.write(f"{form}|{infinitive}\n")
print(len(pairs), "pairs")
