#!/usr/bin/env python3
"""Regenerate src/core/grade/data/abbreviations.txt: French note-taking abbreviations.

Source: written by hand for rappel (MIT) from the general conventions of
French note-taking ("prise de notes"): clipped words (info, strat, mkt),
consonant skeletons (bcp, pb, tjs, svt, dvpt), and the usual shorthands of
frequent words and phrases (qqch, cad, pdv). No course-specific acronym
(acronyms are matched by their initials in code).

The list lives in ENTRIES below; the script sorts it, checks it (lowercase
abbreviation without space, one expansion per abbreviation, every word of each
expansion in lexicon.txt or a grammatical word), and writes
`abbr|expansion` lines. It prints the abbreviations that are themselves common
words of lexicon.txt (e.g. "pub", "max", "com"): a grader should expand those
only where the expected text has the expansion.

Command line (from the repository root):
    python3 scripts/grading/make_abbreviations.py
"""
import re
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "src/core/grade/data"

ENTRIES = """
appli|application
compta|comptabilité
dispo|disponible
exo|exercice
opé|opération
perf|performance
algo|algorithme
reco|recommandation
perso|personnel
prépa|préparation
pro|professionnel
proba|probabilité
sécu|sécurité
tx|taux
ac|avec
adm|administration
admin|administration
apr|après
appro|approvisionnement
auj|aujourd'hui
avt|avant
bcp|beaucoup
cad|c'est-à-dire
càd|c'est-à-dire
cial|commercial
clt|client
clts|clients
cmt|comment
com|communication
comm|communication
cond|condition
conso|consommation
cpdt|cependant
cpte|compte
ct|court terme
ctrl|contrôle
dc|donc
dév|développement
dev|développement
doc|document
docs|documents
dpt|département
ds|dans
dvpt|développement
dvt|devant
éco|économie
eco|économie
elt|élément
élt|élément
ens|ensemble
entr|entreprise
env|environ
envt|environnement
éval|évaluation
eval|évaluation
ex|exemple
fct|fonction
fcts|fonctions
gd|grand
gde|grande
gnl|général
gouv|gouvernement
gvt|gouvernement
indiv|individuel
info|information
infos|informations
jms|jamais
lt|long terme
max|maximum
mgmt|management
min|minimum
mkt|marketing
mktg|marketing
moy|moyenne
ms|mais
mt|moyen terme
mvt|mouvement
nb|nombre
nbre|nombre
nbx|nombreux
ns|nous
num|numéro
nv|nouveau
nvl|nouvelle
nvlle|nouvelle
nvx|nouveaux
obj|objectif
org|organisation
orga|organisation
pb|problème
pbs|problèmes
pcq|parce que
pdv|point de vente
pers|personne
ppal|principal
ppe|principe
pq|pourquoi
pr|pour
prod|production
pt|point
pts|points
pub|publicité
qd|quand
qq|quelque
qqch|quelque chose
qqn|quelqu'un
qqs|quelques
qté|quantité
qual|qualité
ref|référence
réf|référence
rdv|rendez-vous
rel|relation
resp|responsable
sect|secteur
sem|semaine
ss|sous
stat|statistique
stats|statistiques
sté|société
strat|stratégie
svt|souvent
tech|technique
techno|technologie
tjrs|toujours
tel|téléphone
tél|téléphone
tjs|toujours
tps|temps
ts|tous
tt|tout
tte|toute
ttes|toutes
vte|vente
vtes|ventes
"""

lex = {l for l in (DATA / "lexicon.txt").read_text(encoding="utf-8").splitlines() if l and not l.startswith("#")}
GRAMMATICAL = {"c'est", "à", "dire", "quelqu'un", "aujourd'hui", "rendez", "vous"}

pairs, seen = [], set()
for line in ENTRIES.strip().splitlines():
    abbr, exp = line.split("|")
    assert re.fullmatch(r"[a-zàâçéèêëîïôöùûü]+", abbr), abbr
    assert abbr not in seen, f"duplicate {abbr}"
    seen.add(abbr)
    for word in re.split(r"[ \-]", exp.replace("c'est-à-dire", "c'est à dire")):
        assert word in lex or word in GRAMMATICAL, f"{abbr}: {word!r} not in lexicon"
    pairs.append((abbr, exp))
pairs.sort()
header = (
    f"# abbreviations: {len(pairs)} French note-taking abbreviations, abbr|expansion; "
    "source: written for rappel from general French note-taking conventions (prise de notes); "
    "licence: MIT (as rappel); made by scripts/grading/make_abbreviations.py"
)
(DATA / "abbreviations.txt").write_text(header + "\n" + "".join(f"{a}|{e}\n" for a, e in pairs), encoding="utf-8")
print(len(pairs), "abbreviations")
print("also common words of lexicon.txt:", " ".join(a for a, _ in pairs if a in lex))
