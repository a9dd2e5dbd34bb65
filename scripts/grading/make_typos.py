#!/usr/bin/env python3
"""Regenerate tests/fixtures/grading/typos.jsonl: a keyboard-slip test set.

Each line is a typed answer that differs from an expected text of the bundled
decks by exactly one keyboard slip (one character replaced by a neighbouring
key of a French AZERTY keyboard) in exactly one word of >= 5 letters. A grader
should accept these ("label": "accept"), except perhaps those whose slipped
word is itself a common French word ("real_word": true: the slip landed on
another word of src/core/grade/data/lexicon.txt, e.g. "actifs" for "inactifs").

Source texts, from decks/*.toml:
  (a) the answer of every term card (kind = "term", or no kind and an answer
      of <= 4 words without a final period); "card": "deck-id/card-id";
  (b) the question of every reversible card (reverse = true), when it has
      <= 6 words; "card": "deck-id/card-id#backward";
  (c) each item (line) of list cards, bullets and numbering removed, when it
      has <= 10 words (short expected texts); no "card" field.
For each text, 3 variants for (a) and (b), 2 for (c), drawn by the PyPI
package nlpaug 1.1.11 (MIT) `nlpaug.augmenter.char.KeyboardAug(lang='fr',
aug_char_min=1, aug_char_max=1, aug_word_min=1, aug_word_max=1,
include_upper_case=False, include_numeric=False, include_special_char=False,
min_char=5)`, whitespace tokenizer, with a fixed seed (SEED). A draw is kept only when exactly one
token changed, in one character, the changed word (the token split on
apostrophes) has >= 5 letters, the new character is a letter, and the text
is new; otherwise it is drawn again (at most 40 draws per text). A slip of
the first letter is kept.

Line: {"expected", "given", "label": "accept", "kind": "typo-keyboard",
"card" (a, b only), "slipped": "<word>→<slipped word>", "real_word": bool}.

Command line (from the repository root):
    pip install nlpaug==1.1.11 --no-deps && pip install numpy pandas gdown   # what KeyboardAug imports; no torch
    python3 scripts/grading/make_typos.py
"""
import glob
import json
import random
import re
import tomllib
from pathlib import Path

import numpy as np
import nlpaug.augmenter.char as nac

SEED = 20261129
ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests/fixtures/grading/typos.jsonl"
lex = {l for l in (ROOT / "src/core/grade/data/lexicon.txt").read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")}
LETTERS = re.compile(r"^[^\W\d_]+$")
APOS = re.compile(r"[’']")

random.seed(SEED)
np.random.seed(SEED)
aug = nac.KeyboardAug(
    lang="fr", aug_char_min=1, aug_char_max=1, aug_word_min=1, aug_word_max=1,
    include_upper_case=False, include_numeric=False, include_special_char=False, min_char=5,
    # whitespace tokens, so that "L’accroissement" or "(le" come back as typed
    # (nlpaug's default tokenizer splits them and re-joins them with spaces)
    tokenizer=str.split, reverse_tokenizer=" ".join,
)


def kind_of(card):
    if card.get("kind"):
        return card["kind"]
    a = card["answer"].strip()
    return "term" if len(a.split()) <= 4 and not a.endswith(".") else "definition"


def sources():
    for path in sorted(glob.glob(str(ROOT / "decks/*.toml"))):
        deck = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        did = deck["deck"]["id"]
        for c in deck["cards"]:
            k = kind_of(c)
            if k == "term":
                yield c["answer"].strip(), f"{did}/{c['id']}", 3
            if c.get("reverse") and len(c["question"].split()) <= 6:
                yield c["question"].strip(), f"{did}/{c['id']}#backward", 3
            if k == "list":
                for item in c["answer"].splitlines():
                    item = re.sub(r"^\s*(?:[-•*–]|\d+[.)])\s*", "", item).strip()
                    if item and len(item.split()) <= 10:
                        yield item, None, 2


def one_slip(expected, given):
    """(word, slipped word) if `given` is `expected` with one letter of one >=5-letter word replaced"""
    a, b = expected.split(), given.split()
    if len(a) != len(b):
        return None
    diff = [(x, y) for x, y in zip(a, b) if x != y]
    if len(diff) != 1:
        return None
    x, y = diff[0]
    if len(x) != len(y) or sum(p != q for p, q in zip(x, y)) != 1:
        return None
    wx, wy = APOS.split(x), APOS.split(y)
    if len(wx) != len(wy):
        return None
    (w, s), = [(p, q) for p, q in zip(wx, wy) if p != q]
    w, s = w.strip(".,;:!?()«»\"…"), s.strip(".,;:!?()«»\"…")
    if len(w) < 5 or not LETTERS.match(w) or not LETTERS.match(s):
        return None
    return w, s


lines, seen_src = [], set()
for text, card, want in sources():
    if (text, card) in seen_src:
        continue
    seen_src.add((text, card))
    if text != " ".join(text.split()):
        continue
    got = []
    for _ in range(40):
        if len(got) == want:
            break
        out = aug.augment(text)
        given = out[0] if isinstance(out, list) else out
        if given == text or given in [g for g, _ in got]:
            continue
        slip = one_slip(text, given)
        if slip:
            got.append((given, slip))
    for given, (w, s) in got:
        rec = {"expected": text, "given": given, "label": "accept", "kind": "typo-keyboard"}
        if card:
            rec["card"] = card
        rec["slipped"] = f"{w}→{s}"
        rec["real_word"] = s.lower() in lex
        lines.append(json.dumps(rec, ensure_ascii=False))
OUT.parent.mkdir(parents=True, exist_ok=True)
OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
n_real = sum('"real_word": true' in l for l in lines)
print(f"{len(lines)} lines from {len(seen_src)} source texts, real_word {n_real} ({n_real / len(lines):.1%}) -> {OUT}")
