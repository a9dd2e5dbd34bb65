#!/usr/bin/env python3
"""Regenerate src/core/grade/data/families.txt: French derivational word families.

Source: src/core/grade/data/lexicon.txt only (so families.txt shares its
licence, CC-BY-SA 4.0). Nothing is listed by hand: the families come from
regular suffix alternations of French morphology applied to every word of the
lexicon, and a derived form is kept only when it is itself in the lexicon.

How:
  1. Verbs are recognised by their infinitive ending (-er, -ir, -re, -oir) AND
     by at least two other conjugated forms of them in the lexicon (e.g.
     "fidéliser": "fidélise", "fidélisait", "fidélisé"...). This keeps "cher"
     (-> "chant") or "mer" out.
  2. Verb -> noun/adjective alternations (table VERB_RULES below), e.g.
     -quérir/-quisition, -enir/-ention, -uire/-uction, -ettre/-ission,
     -cevoir/-ception, -er/-ation, -ier/-ication, -er/-ement, -yer/-iement,
     -ir/-issement, -ir/-ition, -oudre/-olution, -aître/-aissance,
     -crire/-cription, -endre/-ension, -er/-eur/-ateur/-able/-age, and the
     nominalised participles -ant, -ée/-ie.
  3. Noun/adjective alternations (table WORD_RULES), e.g. -tion/-tif/-tive,
     -ion/-ionnel/-ionnelle, -if/-ive/-ivité, -el/-elle/-ellement, -able/-abilité,
     -eur/-rice/-euse, adjective/-iser/-isation ("fidèle"/"fidéliser"),
     -e/-ité ("fidèle"/"fidélité").
  4. Candidates are tried as spelt, and with the usual accent alternations:
     re-/ré- at the start ("retenir"/"rétention", "recevoir"/"réception"),
     è/é in the last syllable of the stem ("fidèle"/"fidélité").
  5. A family is a star around one verb: the verb, its derivatives, and the
     words at most two noun/adjective alternations away from them, never
     through another verb (so "fonder"/"fondre", which share "fondant", stay
     apart). Words with no verb ("fidèle"/"fidélité" when "fidéliser" is not
     recognised) are grouped by their noun/adjective alternations. Families
     over MAX_FAMILY words keep the verb's direct derivatives only; a family
     contained in another is dropped.
Output: one family per line, `verb|other|other...` (verbs first, shortest
first, then the rest sorted), lines sorted by their first word (code-point order).

Command line (from the repository root):
    python3 scripts/grading/make_families.py
"""
import re
from collections import defaultdict
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "src/core/grade/data"
lex = {l for l in (DATA / "lexicon.txt").read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")}
MIN_STEM = 3
MAX_FAMILY = 12

# infinitive ending -> endings of conjugated forms that prove a verb
CONJ = {
    "er": ["e", "es", "ent", "ons", "ez", "ait", "aient", "é", "és", "ée", "ées", "era", "erait"],
    "ir": ["it", "is", "issent", "issait", "issons", "i", "ie", "ira", "irait", "t", "s", "ent", "ait", "u", "ue"],
    "re": ["s", "t", "ent", "ait", "u", "ue", "is", "it", "ra", "rait", "sait", "sent", "ons"],
    "oir": ["oit", "ois", "oivent", "evait", "u", "ue", "evra", "evrait", "evons"],
}

# (verb ending, derived ending): the verb is stem + ending, the derived word stem + derived ending
VERB_RULES = [
    ("quérir", "quisition"), ("quérir", "quéreur"), ("quérir", "quis"), ("quérir", "quise"),
    ("enir", "ention"), ("enir", "enant"), ("enir", "enu"), ("enir", "enue"),
    ("uire", "uction"), ("uire", "ucteur"), ("uire", "uctrice"), ("uire", "uctif"), ("uire", "uctive"), ("uire", "uisant"),
    ("ettre", "ission"), ("ettre", "ise"), ("ettre", "etteur"), ("ettre", "issible"),
    ("cevoir", "ception"), ("cevoir", "cepteur"), ("cevoir", "ceptif"), ("cevoir", "ceptive"), ("cevoir", "cevable"), ("cevoir", "çu"),
    ("oudre", "olution"), ("aître", "aissance"), ("aître", "aissant"),
    ("crire", "cription"), ("crire", "cripteur"), ("crire", "crit"), ("crire", "crite"), ("crire", "criture"),
    ("endre", "ension"), ("endre", "ente"), ("endre", "eur"), ("endre", "endant"),
    ("ndre", "nte"), ("aindre", "ainte"), ("eindre", "einte"),
    ("ier", "ication"), ("ier", "icateur"), ("ifier", "ification"),
    ("yer", "iement"), ("yer", "yeur"),
    ("er", "ation"), ("er", "ateur"), ("er", "atrice"), ("er", "atif"), ("er", "ative"),
    ("er", "ement"), ("er", "eur"), ("er", "able"), ("er", "age"), ("er", "ure"),
    ("er", "ance"), ("er", "ant"), ("er", "ée"), ("cer", "çant"), ("ger", "geant"), ("ger", "geance"),
    ("ir", "issement"), ("ir", "issant"), ("ir", "ition"), ("ir", "ie"), ("ir", "ant"),
    ("ir", "issable"), ("ir", "ure"),
    ("re", "ant"), ("oir", "ant"),
]

# word ending -> word ending, between nouns and adjectives (and adjective -> -iser verb)
WORD_RULES = [
    ("ation", "atif"), ("ation", "ative"), ("ction", "ctif"), ("ction", "ctive"), ("ption", "ptif"),
    ("ption", "ptive"), ("ution", "utif"), ("ution", "utive"), ("ention", "entif"), ("ention", "entive"),
    ("ession", "essif"), ("ession", "essive"), ("ension", "ensif"), ("ension", "ensive"),
    ("ion", "ionnel"), ("ion", "ionnelle"), ("ion", "ionner"),
    ("if", "ive"), ("if", "ivité"), ("if", "ivement"),
    ("el", "elle"), ("el", "ellement"), ("el", "alité"), ("el", "aliser"), ("el", "alisation"),
    ("al", "ale"), ("al", "alité"), ("al", "aliser"), ("al", "alisation"),
    ("able", "abilité"), ("able", "abiliser"), ("ible", "ibilité"),
    ("eur", "rice"), ("eur", "euse"), ("ien", "ienne"),
    ("e", "iser"), ("e", "isation"), ("e", "ité"), ("e", "ement"),
    ("ateur", "ation"), ("iser", "isation"), ("iser", "iste"), ("isme", "iste"),
]


def variants(w):
    """the word as spelt and with the usual accent alternations"""
    out = [w]
    if w.startswith("re") and len(w) > 4:
        out.append("ré" + w[2:])
    m = re.search(r"è([^aeiouyéèêàâîïôûù]+)([aeiouyéèê][a-zéèêàâîïôûùç]*)$", w)
    if m:
        out.append(w[: m.start()] + "é" + w[m.start() + 1 :])
    return out


# infinitive endings specific enough to prove a verb by themselves (irregular verbs
# whose conjugated forms do not follow CONJ: "acquérir", "recevoir", "émettre")
VERB_ENDINGS = ("quérir", "venir", "tenir", "uire", "ettre", "cevoir", "oudre", "aître", "crire", "endre", "aindre", "eindre", "oindre")


def is_verb(w):
    if w.endswith(VERB_ENDINGS) and len(w) >= 6:
        return True
    for inf in ("oir", "er", "ir", "re"):
        if w.endswith(inf):
            stem = w[: -len(inf)]
            if len(stem) < MIN_STEM - 1:
                return False
            forms = {stem + e for e in CONJ[inf]}
            if inf == "er" and (stem.endswith("c") or stem.endswith("g")):
                forms |= {stem[:-1] + "ç" + e for e in ("ait", "ons") if stem.endswith("c")}
                forms |= {stem + "e" + e for e in ("ait", "ons") if stem.endswith("g")}
            return sum(f in lex for f in forms) >= 2
    return False


verbs = {w for w in lex if is_verb(w)}
vedges = defaultdict(set)  # verb -> words derived from it (VERB_RULES)
wedges = defaultdict(set)  # word <-> word (WORD_RULES), symmetric


def derive(base, rules, add, require=None):
    for end, new in rules:
        if not base.endswith(end):
            continue
        stem = base[: -len(end)]
        if len(stem) < (2 if len(end) >= 4 else MIN_STEM):
            continue
        for cand in variants(stem + new):
            if cand in lex and cand != base and (require is None or require(cand)):
                add(base, cand)
                break


def add_v(v, d):
    vedges[v].add(d)


def add_w(a, b):
    wedges[a].add(b)
    wedges[b].add(a)


for v in verbs:
    derive(v, VERB_RULES, add_v)
for w in lex:
    # "-iser"/"-ionner" must land on a verb; the other word rules on any lexicon word
    derive(w, [r for r in WORD_RULES if not r[1].endswith("er")], add_w)
    derive(w, [r for r in WORD_RULES if r[1].endswith("er")], add_w, require=lambda c: c in verbs)

# A family is a star around one verb: the verb, the words derived from it, and
# the words reached from those by at most two noun/adjective alternations,
# never passing through another verb. Stars keep two verbs apart that share a
# homograph ("fonder"/"fondre" through "fondant", "jouer"/"jouir" through "jouant").
families = []
for v in sorted(verbs):
    fam = {v} | vedges[v]
    frontier = set(fam)
    for _hop in range(2):
        nxt = set()
        for x in frontier:
            if x in verbs and x != v:
                continue
            nxt |= {y for y in wedges[x] if y not in verbs or x == v}
        nxt -= fam
        fam |= nxt
        frontier = nxt
    if len(fam) > MAX_FAMILY:  # too wide: keep the verb's own derivatives only
        fam = {v} | vedges[v]
    if len(fam) >= 2:
        families.append(fam)
# words with no verb: components of the noun/adjective alternations
covered = set().union(*families) if families else set()
seen = set()
for w in sorted(wedges):
    if w in seen or w in covered or w in verbs:
        continue
    comp, stack = set(), [w]
    while stack:
        x = stack.pop()
        if x in comp:
            continue
        comp.add(x)
        stack.extend(y for y in wedges[x] - comp if y not in verbs)
    seen |= comp
    if 2 <= len(comp) <= MAX_FAMILY:
        families.append(comp)
# drop a family contained in another
families.sort(key=len, reverse=True)
kept = []
for f in families:
    if not any(f <= g for g in kept):
        kept.append(f)
families = kept


def order(fam):
    vs = sorted((w for w in fam if w in verbs), key=lambda w: (len(w), w))
    return vs + sorted(fam - set(vs))


lines = sorted({"|".join(order(f)) for f in families}, key=lambda l: (l.split("|", 1)[0], l))  # by first word
header = (
    f"# families: {len(lines)} derivational word families (verb|noun|adjective...) of lexicon.txt words, "
    "generated by regular French suffix alternations; source: lexicon.txt (wordfreq 3.1.1); "
    "licence: CC-BY-SA 4.0; made by scripts/grading/make_families.py"
)
(DATA / "families.txt").write_text(header + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
print(len(lines), "families,", sum(l.count("|") + 1 for l in lines), "words,", len(verbs), "verbs")
