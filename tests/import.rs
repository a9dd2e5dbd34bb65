//! Importers and exporters: every format on small messy sample files, the
//! limits, the `.apkg` reader on a package built here, and round trips
//! (import → TOML → `deck::parse`, export → import).
//!
//! Every successful import goes through [`import`], which also checks that
//! the TOML written for it reads back to the same cards.

use std::io::Write;
use std::path::{Path, PathBuf};

use rappel::core::deck::{self, Card, CardKind, Deck, DeckId, Problem};
use rappel::core::import::{
    self, Columns, Format, ImportLimits, ImportOptions, ImportedDeck, export, guess_kind,
    guess_reverse, slug, to_toml,
};
use rappel::deck_io;

fn fixture(name: &str) -> (String, Vec<u8>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name);
    (name.to_string(), std::fs::read(&path).unwrap())
}

fn options(format: Option<Format>) -> ImportOptions {
    ImportOptions {
        format,
        ..ImportOptions::default()
    }
}

/// Imports `bytes`, checks the TOML round trip, and returns the import.
fn import(file: &str, bytes: &[u8], options: &ImportOptions) -> ImportedDeck {
    let imported = import::import(file, bytes, options)
        .unwrap_or_else(|problems| panic!("{file} did not import: {problems:#?}"));
    check_toml_round_trip(&imported.cards);
    imported
}

fn import_fixture(name: &str) -> ImportedDeck {
    let (file, bytes) = fixture(name);
    import(&file, &bytes, &options(None))
}

/// The `(line, message)` of every error of an import that must fail.
fn errors(file: &str, bytes: &[u8], options: &ImportOptions) -> Vec<(usize, String)> {
    match import::import(file, bytes, options) {
        Ok(imported) => panic!("{file} imported: {:#?}", imported.cards),
        Err(problems) => lines(&problems),
    }
}

fn lines(problems: &[Problem]) -> Vec<(usize, String)> {
    problems
        .iter()
        .map(|p| (p.line, p.message.clone()))
        .collect()
}

/// Asserts that exactly one problem mentions `needle`, on `line`.
fn has(problems: &[(usize, String)], line: usize, needle: &str) {
    let matching: Vec<_> = problems
        .iter()
        .filter(|(_, m)| m.contains(needle))
        .collect();
    assert_eq!(matching.len(), 1, "want one {needle:?}, got {problems:#?}");
    assert_eq!(
        matching[0].0, line,
        "wrong line for {needle:?}: {problems:#?}"
    );
}

fn deck_of(cards: Vec<Card>) -> Deck {
    Deck {
        id: DeckId::parse("essai").unwrap(),
        title: "Essai \"importé\" \\ test".to_string(),
        language: "fr".to_string(),
        source: Some("essai.txt".to_string()),
        cards,
    }
}

fn check_toml_round_trip(cards: &[Card]) {
    let deck = deck_of(cards.to_vec());
    let text = to_toml(&deck);
    let parsed =
        deck::parse("essai.toml", &text).unwrap_or_else(|problems| panic!("{problems:#?}\n{text}"));
    assert_eq!(parsed, deck, "{text}");
}

/// `(id, question, answer, kind, reverse)` of each card, for short asserts.
fn summary(imported: &ImportedDeck) -> Vec<(&str, &str, &str, CardKind, bool)> {
    imported
        .cards
        .iter()
        .map(|c| {
            (
                c.id.as_str(),
                c.question.as_str(),
                c.answer.as_str(),
                c.kind,
                c.reverse,
            )
        })
        .collect()
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

// ---------------------------------------------------------------- Quizlet

#[test]
fn quizlet_export_with_bom_crlf_quotes_and_blank_lines() {
    let (_, bytes) = fixture("quizlet.txt");
    assert!(bytes.starts_with(BOM) && bytes.windows(2).any(|w| w == b"\r\n"));
    let imported = import_fixture("quizlet.txt");
    assert_eq!(imported.format, Format::Quizlet);
    use CardKind::*;
    assert_eq!(
        summary(&imported),
        [
            // An enumeration on one line is a list.
            (
                "methode-rfm",
                "Méthode RFM",
                "Récence\nFréquence\nMontant",
                List,
                false
            ),
            (
                "clients-somnambules",
                "Clients somnambules",
                "Ne sont pas satisfaits mais continuent de consommer par habitude. Ils restent par inertie.",
                Definition,
                true
            ),
            ("clv", "\"CLV\"", "Customer \"lifetime\" value", Term, false),
            (
                "qu-est-ce-que-le-ciblage",
                "Qu'est-ce que le ciblage ?",
                "Faire des stratégies qui visent des segments de clients précis, selon leur valeur et leurs comportements.",
                Definition,
                false
            ),
        ]
    );
    assert!(imported.warnings.is_empty(), "{:#?}", imported.warnings);
    let skipped = lines(&imported.skipped);
    assert_eq!(skipped.len(), 3, "{skipped:#?}");
    has(
        &skipped,
        6,
        "duplicate question \"méthode RFM\" (first at line 1)",
    );
    has(&skipped, 7, "row has no answer: skipped (\"Fidélisation\")");
    has(&skipped, 8, "no a tab between term and definition");
}

#[test]
fn quizlet_custom_separators_allow_multi_line_definitions() {
    let (file, bytes) = fixture("quizlet-custom.txt");
    let options = ImportOptions {
        term_sep: Some(import::separator_arg(" :: ")),
        row_sep: Some(import::separator_arg(";;")),
        ..ImportOptions::default()
    };
    let imported = import(&file, &bytes, &options);
    assert_eq!(imported.format, Format::Quizlet);
    let cards = &imported.cards;
    assert_eq!(cards.len(), 3);
    assert_eq!(cards[0].kind, CardKind::List);
    assert_eq!(
        cards[0].items(),
        ["Recrutement", "Développement", "Fidélisation", "Reconquête"]
    );
    assert_eq!(cards[1].question, "CAC");
    assert_eq!(cards[1].answer, "Coût d'acquisition client");
    assert!(imported.warnings.is_empty(), "{:#?}", imported.warnings);
}

#[test]
fn quizlet_comma_separator_keeps_later_commas_in_the_definition() {
    let text = "RFM,Récence, Fréquence, Montant\nCAC,Coût d'acquisition\n";
    let options = ImportOptions {
        format: Some(Format::Quizlet),
        term_sep: Some(import::separator_arg("comma")),
        ..ImportOptions::default()
    };
    let imported = import("q.txt", text.as_bytes(), &options);
    assert_eq!(imported.cards[0].answer, "Récence\nFréquence\nMontant");
    assert_eq!(imported.cards[0].kind, CardKind::List);
    assert_eq!(imported.cards[1].question, "CAC");
}

#[test]
fn row_line_numbers_count_lines_inside_multi_line_rows() {
    let text = "A :: un\ndeux;;B :: trois;;\n\nB :: encore;;C :: ";
    let options = ImportOptions {
        term_sep: Some(" :: ".into()),
        row_sep: Some(";;".into()),
        ..ImportOptions::default()
    };
    let imported = import("q.txt", text.as_bytes(), &options);
    let skipped = lines(&imported.skipped);
    has(&skipped, 4, "duplicate question \"B\" (first at line 2)");
    has(&skipped, 4, "row has no answer");
}

// ---------------------------------------------------------------- Anki text

#[test]
fn anki_notes_in_plain_text_with_headers_html_and_cloze() {
    let imported = import_fixture("anki.txt");
    assert_eq!(imported.format, Format::AnkiTxt);
    use CardKind::*;
    assert_eq!(
        summary(&imported),
        [
            (
                "methode-rfm",
                "Méthode RFM",
                "Récence\nFréquence\nMontant",
                List,
                false
            ),
            (
                "cac-clv",
                "CAC & CLV",
                "Coût d'acquisition < valeur à vie",
                Term,
                false
            ),
            (
                "sources-de-donnees-internes",
                "Sources de données\ninternes",
                "Historique d'achats\nService client",
                List,
                false
            ),
            // A cloze row: its deletion hidden behind its hint.
            (
                "le-methode-vise-des-segments",
                "Le [méthode] vise des segments",
                "ciblage",
                Term,
                false
            ),
            (
                "crm",
                "CRM",
                "Customer Relationship Management",
                Term,
                false
            ),
        ]
    );
    assert_eq!(imported.cards[0].tags, ["crm::methodes", "rfm"]);
    assert!(imported.cards[2].tags.is_empty());
    let warnings = lines(&imported.warnings);
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    has(&warnings, 12, "only the first two (question, answer)");
    has(
        &lines(&imported.skipped),
        11,
        "row has no answer: skipped (\"Méthode CHAID\")",
    );
}

#[test]
fn older_anki_export_without_headers_is_detected_by_its_html() {
    let imported = import_fixture("anki-legacy.txt");
    assert_eq!(imported.format, Format::AnkiTxt);
    assert_eq!(
        imported.cards[0].items(),
        ["Récence", "Fréquence", "Montant"]
    );
    assert_eq!(
        imported.cards[1].answer,
        "Faire des stratégies qui visent des segments. On a de l’information sur nos clients."
    );
    assert_eq!(imported.cards[1].kind, CardKind::Definition);
    assert!(imported.cards[1].reverse);
}

/// The answer of a one-note Anki text export whose answer field is `html`.
fn anki_text(html: &str) -> String {
    let text = format!("#separator:tab\n#html:true\nQuestion\t{html}\n");
    let imported = import("anki.txt", text.as_bytes(), &options(None));
    imported.cards[0].answer.clone()
}

#[test]
fn html_fields_become_plain_text() {
    let cases = [
        ("a<br>b<br/>c", "a\nb\nc"),
        ("<div>un</div><div>deux</div>", "un\ndeux"),
        ("<b>gras</b> et <i>ita</i>lique", "gras et italique"),
        ("&amp; &lt; &gt; &quot; &#39; &apos;", "& < > \" ' '"),
        ("a&nbsp;&nbsp;b", "a b"),
        ("&#233;t&#xE9; &eacute;", "été é"),
        ("&unknown; & seul", "&unknown; & seul"),
        ("a < b et c<3", "a < b et c<3"),
        (
            "{{c1::Récence}} et {{c2::Montant::M}}",
            "Récence et Montant",
        ),
        ("son [sound:rfm.mp3]<img src=\"x.png\">fin", "son fin"),
        ("<style>.card {color: red}</style>texte", "texte"),
        ("<ul><li>un</li><li>deux</li></ul>", "un\ndeux"),
    ];
    for (html, text) in cases {
        assert_eq!(anki_text(html), text, "for {html:?}");
    }
}

#[test]
fn anki_html_false_keeps_angle_brackets() {
    let text = "#separator:Pipe\n#html:false\nQ|<pas une balise> a&amp;b\n";
    let imported = import("anki.txt", text.as_bytes(), &options(None));
    assert_eq!(imported.cards[0].answer, "<pas une balise> a&amp;b");
}

#[test]
fn anki_unknown_separator_is_an_error_on_its_line() {
    let text = "#html:true\n#separator:Nope\nQ\tR\n";
    has(
        &errors("anki.txt", text.as_bytes(), &options(None)),
        2,
        "unknown separator",
    );
}

// ---------------------------------------------------------------- CSV

#[test]
fn csv_with_french_headers_bom_crlf_and_quoted_lists() {
    let (_, bytes) = fixture("cartes.csv");
    assert!(bytes.starts_with(BOM));
    let imported = import_fixture("cartes.csv");
    assert_eq!(imported.format, Format::Csv);
    let cards = &imported.cards;
    assert_eq!(cards.len(), 4, "{cards:#?}");
    assert_eq!(cards[0].kind, CardKind::List);
    assert_eq!(cards[0].items(), ["Récence", "Fréquence", "Montant"]);
    assert_eq!(cards[0].accept, ["RFM", "R.F.M."]);
    assert_eq!(cards[0].tags, ["methodes", "segmentation"]);
    assert_eq!(
        cards[1].answer,
        "Ne sont pas \"satisfaits\". Ils continuent de consommer par habitude."
    );
    assert_eq!(cards[1].tags, ["segments", "clients fidèles"]);
    assert!(cards[1].reverse);
    assert_eq!(cards[2].kind, CardKind::Term);
    assert_eq!(
        cards[3].kind,
        CardKind::Term,
        "unknown kind falls back to a guess"
    );
    let warnings = lines(&imported.warnings);
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    has(&warnings, 1, "columns ignored: Remarque");
    has(&warnings, 10, "unknown kind \"bizarre\"");
    let skipped = lines(&imported.skipped);
    assert_eq!(skipped.len(), 2, "{skipped:#?}");
    has(&skipped, 8, "row has no answer");
    has(
        &skipped,
        9,
        "duplicate question \"méthode rfm\" (first at line 2)",
    );
}

#[test]
fn semicolon_csv_from_a_french_spreadsheet() {
    let imported = import_fixture("excel.csv");
    assert_eq!(imported.format, Format::Csv);
    assert_eq!(imported.cards[1].question, "CLV");
    assert_eq!(imported.cards[1].kind, CardKind::Definition);
    assert_eq!(imported.cards[1].tags, ["valeur"]);
}

#[test]
fn csv_without_answer_column_names_the_columns_found() {
    let (file, bytes) = fixture("no-answer-column.csv");
    has(
        &errors(&file, &bytes, &options(None)),
        1,
        "no answer column (found: question, definition2, tags)",
    );
}

#[test]
fn two_columns_without_a_header_row_are_question_and_answer() {
    // As Quizlet, Anki and spreadsheets export: no header, CSV or TSV.
    let csv = "Prospect,Personne qui pourrait devenir cliente\n\"Fidélisation\",\"Garder ses clients, longtemps\"\n";
    let tsv = "Prospect\tPersonne qui pourrait devenir cliente\nFidélisation\tGarder ses clients, longtemps\n";
    for (file, text) in [("quizlet.csv", csv), ("anki.tsv", tsv)] {
        let imported = import(file, text.as_bytes(), &options(None));
        assert_eq!(imported.format, Format::Csv, "{file}");
        assert_eq!(imported.columns, Some(Columns::Assumed), "{file}");
        let cards: Vec<(&str, &str)> = imported
            .cards
            .iter()
            .map(|c| (c.question.as_str(), c.answer.as_str()))
            .collect();
        assert_eq!(
            cards,
            [
                ("Prospect", "Personne qui pourrait devenir cliente"),
                ("Fidélisation", "Garder ses clients, longtemps"),
            ],
            "{file}"
        );
        assert!(
            imported.warnings.is_empty(),
            "{file}: {:?}",
            imported.warnings
        );
    }
}

#[test]
fn a_header_row_is_one_naming_known_columns() {
    let named = import(
        "n.csv",
        b"Recto;Verso\nProspect;Client possible\n",
        &options(None),
    );
    assert_eq!(named.columns, Some(Columns::Named));
    assert_eq!(named.cards.len(), 1);
    // A third column without a header is left out, with a warning.
    let three = import("t.csv", b"Prospect,Client possible,vente\n", &options(None));
    assert_eq!(three.columns, Some(Columns::Assumed));
    assert_eq!(three.cards[0].answer, "Client possible");
    has(&lines(&three.warnings), 1, "columns 3 to 3 ignored");
    // One column and no header: nothing to read as an answer.
    has(
        &errors("u.csv", b"Prospect\nClient\n", &options(None)),
        1,
        "one column only",
    );
    // Other formats do not say.
    let quizlet = import("q.txt", b"Prospect\tClient possible\n", &options(None));
    assert_eq!(quizlet.columns, None);
}

#[test]
fn csv_list_kind_with_one_item_is_guessed_instead() {
    let text = "question,answer,kind\nRFM,Récence Fréquence Montant,list\n";
    let imported = import("l.csv", text.as_bytes(), &options(None));
    assert_eq!(imported.cards[0].kind, CardKind::Term);
    has(
        &lines(&imported.warnings),
        2,
        "kind `list` needs one item per line",
    );
}

#[test]
fn csv_ids_are_kept_when_valid_and_free() {
    let text = "question,answer,id\nA,un,mon-id\nB,deux,mon-id\nC,trois,Pas Un Slug\n";
    let imported = import("ids.csv", text.as_bytes(), &options(None));
    let ids: Vec<&str> = imported.cards.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["mon-id", "b", "c"]);
    let warnings = lines(&imported.warnings);
    has(&warnings, 3, "card id `mon-id` is already used");
    has(&warnings, 4, "card id must be a lowercase slug");
}

// ---------------------------------------------------------------- detection and errors

#[test]
fn formats_are_detected_from_name_and_content() {
    let cases: [(&str, &[u8], Option<Format>); 7] = [
        ("a.txt", b"#separator:tab\nQ\tR\n", Some(Format::AnkiTxt)),
        ("a.txt", b"Q\tR<br>S\n", Some(Format::AnkiTxt)),
        ("a.txt", b"Q\tR\n", Some(Format::Quizlet)),
        ("a.txt", b"question;reponse\nQ;R\n", Some(Format::Csv)),
        ("a.csv", b"Q,R\n", Some(Format::Csv)),
        ("a.APKG", b"whatever", Some(Format::Apkg)),
        ("a.txt", b"Q,R\n", None),
    ];
    for (file, bytes, format) in cases {
        assert_eq!(import::detect(file, bytes), format, "{file}: {bytes:?}");
    }
}

#[test]
fn undetectable_text_asks_for_a_format() {
    has(
        &errors("a.txt", b"RFM, Recence\n", &options(None)),
        1,
        "pass --format",
    );
}

#[test]
fn latin1_text_is_refused_with_the_line_of_the_first_bad_byte() {
    let bytes = b"Q\tR\nM\xe9thode\tRFM\n";
    has(
        &errors("latin1.txt", bytes, &options(None)),
        2,
        "not UTF-8 text",
    );
}

#[test]
fn utf16_with_bom_is_read() {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in "Méthode\tRFM\r\n".encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    let imported = import("unicode.txt", &bytes, &options(None));
    assert_eq!(imported.cards[0].question, "Méthode");
}

#[test]
fn empty_input_has_no_card() {
    has(
        &errors("vide.txt", b"\n\n", &options(Some(Format::Quizlet))),
        0,
        "no card found",
    );
}

// ---------------------------------------------------------------- limits

fn small_limits() -> ImportOptions {
    ImportOptions {
        format: Some(Format::Quizlet),
        limits: ImportLimits {
            max_bytes: 1000,
            max_cards: 2,
            max_question_chars: 10,
            max_answer_chars: 20,
        },
        ..ImportOptions::default()
    }
}

#[test]
fn rows_over_a_limit_are_skipped_and_the_others_imported() {
    let long = "x".repeat(21);
    let text = format!("Q1\tR\nQuestion trop longue\tR\nQ3\t{long}\nQ4\tR\n");
    let imported = import("big.txt", text.as_bytes(), &small_limits());
    let questions: Vec<&str> = imported.cards.iter().map(|c| c.question.as_str()).collect();
    assert_eq!(questions, ["Q1", "Q4"]);
    let skipped = lines(&imported.skipped);
    has(
        &skipped,
        2,
        "question is too long: 20 characters, at most 10 allowed (\"Question trop longue\")",
    );
    has(&skipped, 3, "answer is too long: 21 characters, at most 20");
    assert_eq!(skipped.len(), 2, "{skipped:#?}");
}

#[test]
fn strict_limits_name_every_offending_line_and_import_nothing() {
    let long = "x".repeat(21);
    let text = format!("Q1\tR\nQuestion trop longue\tR\nQ3\t{long}\nQ4\tR\nQ5\tR\nQ6\tR\n");
    let strict = ImportOptions {
        strict: true,
        ..small_limits()
    };
    let found = errors("big.txt", text.as_bytes(), &strict);
    has(&found, 2, "question is too long: 20 characters, at most 10");
    has(&found, 3, "answer is too long: 21 characters, at most 20");
    has(&found, 5, "too many cards: at most 2");
    assert_eq!(found.len(), 3, "{found:#?}");
    // Too many cards is about the whole file: an error in either mode.
    has(
        &errors("big.txt", text.as_bytes(), &small_limits()),
        5,
        "too many cards: at most 2",
    );
}

#[test]
fn nothing_valid_is_refused_with_the_reason_of_each_row() {
    let text = "Question trop longue\tR\nQuestion trop longue 2\tR\n";
    let found = errors("big.txt", text.as_bytes(), &small_limits());
    has(&found, 1, "question is too long: 20 characters");
    has(&found, 2, "question is too long: 22 characters");
    has(&found, 0, "no card found");
}

#[test]
fn too_many_bytes_is_refused_before_parsing() {
    let text = "Q\tR\n".repeat(300);
    has(
        &errors("big.txt", text.as_bytes(), &small_limits()),
        0,
        "file is too big: 1200 bytes",
    );
}

#[test]
fn very_long_fields_within_the_default_limits_round_trip() {
    let answer = "Une phrase assez longue sur la relation client. ".repeat(80);
    let question = format!("{} ?", "Question longue".repeat(20));
    let text = format!("{question}\t{answer}\n");
    let imported = import("long.txt", text.as_bytes(), &options(Some(Format::Quizlet)));
    let card = &imported.cards[0];
    assert_eq!(card.kind, CardKind::Definition);
    assert!(card.id.as_str().len() <= 64);
    assert_eq!(card.answer, answer.trim());
}

// ---------------------------------------------------------------- guesses

#[test]
fn kinds_are_guessed_from_the_answer() {
    let cases = [
        ("Récence\nFréquence\nMontant", CardKind::List),
        ("Ils achètent. Ils restent.", CardKind::Definition),
        (&"mot ".repeat(25), CardKind::Definition),
        (
            &format!("court\n{}", "long ".repeat(20)),
            CardKind::Definition,
        ),
        ("M. Dupont", CardKind::Term),
    ];
    for (answer, kind) in cases {
        assert_eq!(guess_kind(answer), kind, "for {answer:?}");
    }
}

#[test]
fn only_short_terms_with_definitions_are_reversed() {
    assert!(guess_reverse("Clients somnambules", CardKind::Definition));
    assert!(!guess_reverse(
        "Qu'est-ce que le ciblage ?",
        CardKind::Definition
    ));
    assert!(!guess_reverse("Clients somnambules", CardKind::Term));
    assert!(!guess_reverse("Clients somnambules", CardKind::List));
    assert!(!guess_reverse(&"long ".repeat(20), CardKind::Definition));
}

#[test]
fn slugs_fold_accents_and_stay_valid() {
    let cases = [
        ("Méthode RFM", "methode-rfm"),
        ("Qu’est-ce que le cœur ?", "qu-est-ce-que-le-coeur"),
        ("  ÉTAPE n°3 : « Fidéliser »  ", "etape-n-3-fideliser"),
        ("???", "card"),
        ("市场", "card"),
    ];
    for (text, want) in cases {
        assert_eq!(slug(text), want, "for {text:?}");
    }
    let long = slug(&"segmentation ".repeat(10));
    assert!(long.len() <= 64 && !long.ends_with('-'), "{long}");
    assert!(long.starts_with("segmentation-segmentation"));
}

#[test]
fn colliding_slugs_get_numbered_suffixes_within_64_chars() {
    let long = "a".repeat(70);
    let text = format!(
        "Méthode RFM\tun\nMethode-RFM\tdeux\nméthode (RFM)\ttrois\n{long}\tx\n{long}!\ty\n"
    );
    let imported = import("s.txt", text.as_bytes(), &options(Some(Format::Quizlet)));
    let ids: Vec<&str> = imported.cards.iter().map(|c| c.id.as_str()).collect();
    let a62 = format!("{}-2", "a".repeat(62));
    assert_eq!(
        ids,
        [
            "methode-rfm",
            "methode-rfm-2",
            "methode-rfm-3",
            &"a".repeat(64),
            &a62
        ]
    );
}

// ---------------------------------------------------------------- TOML output

#[test]
fn toml_output_escapes_every_tricky_character() {
    let tricky = [
        "guillemets \"doubles\" et \\ barre",
        "triple \"\"\" dans le texte",
        "fin par guillemet\"",
        "tab\tet contrôle \u{7}",
        "ligne un\nligne \"deux\"\n\"\"\"",
        "émoji 📚 et ‘apostrophes’",
    ];
    let cards = tricky
        .iter()
        .enumerate()
        .map(|(idx, text)| Card {
            id: deck::CardId::parse(&format!("c{idx}")).unwrap(),
            question: text.to_string(),
            answer: format!("{text}\nsecond item"),
            kind: CardKind::List,
            reverse: idx % 2 == 0,
            accept: vec![text.to_string()],
            tags: vec![text.to_string()],
        })
        .collect::<Vec<_>>();
    check_toml_round_trip(&cards);
}

// ---------------------------------------------------------------- export

/// Exports every deck of the repository and imports it back.
#[test]
fn export_then_import_gives_the_same_cards_for_every_real_deck() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("decks");
    let library = rappel::deck_files::load_dir(&dir).unwrap();
    assert!(library.n_cards() > 100);
    for deck in library.decks() {
        for (delimiter, name) in [(b',', "export.csv"), (b'\t', "export.tsv")] {
            let table = export::to_table(deck, delimiter);
            let imported = import(name, table.as_bytes(), &options(None));
            assert_eq!(imported.format, Format::Csv);
            assert!(imported.warnings.is_empty(), "{:#?}", imported.warnings);
            // Imported text is trimmed: a `"""` answer's final newline goes.
            let want: Vec<Card> = deck
                .cards
                .iter()
                .map(|c| Card {
                    answer: c.answer.trim().to_string(),
                    ..c.clone()
                })
                .collect();
            assert_eq!(imported.cards, want, "{} as {name}", deck.id);
        }
    }
}

#[test]
fn export_header_and_list_field() {
    let imported = import_fixture("cartes.csv");
    let table = export::to_table(&deck_of(imported.cards), b',');
    let mut rows = table.lines();
    assert_eq!(
        rows.next(),
        Some("question,answer,kind,accept,tags,reverse,id")
    );
    assert_eq!(rows.next(), Some("Méthode RFM,\"Récence"));
    assert!(table.contains("Montant\",list,RFM|R.F.M.,methodes segmentation,false,methode-rfm\n"));
    assert!(table.contains(",segments|clients fidèles,true,"));
}

// ---------------------------------------------------------------- .apkg

/// Builds an Anki package holding a collection file named `name` with these
/// `(flds, tags)` notes.
async fn apkg(name: &str, notes: &[(&str, &str)]) -> Vec<u8> {
    use sqlx::Connection;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("collection.sqlite");
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true);
    let mut conn = sqlx::sqlite::SqliteConnection::connect_with(&options)
        .await
        .unwrap();
    sqlx::query(
        "CREATE TABLE notes (id integer primary key, guid text not null, mid integer not null, \
         mod integer not null, usn integer not null, tags text not null, flds text not null, \
         sfld integer not null, csum integer not null, flags integer not null, data text not null)",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    for (idx, (fields, tags)) in notes.iter().enumerate() {
        sqlx::query("INSERT INTO notes VALUES (?, ?, 1, 0, -1, ?, ?, '', 0, 0, '')")
            .bind(1_700_000_000_000_i64 + idx as i64)
            .bind(format!("guid{idx}"))
            .bind(*tags)
            .bind(*fields)
            .execute(&mut conn)
            .await
            .unwrap();
    }
    conn.close().await.unwrap();
    let collection = std::fs::read(&path).unwrap();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file(name, deflated).unwrap();
    zip.write_all(&collection).unwrap();
    zip.start_file("media", deflated).unwrap();
    zip.write_all(b"{}").unwrap();
    zip.finish().unwrap().into_inner()
}

async fn import_apkg(bytes: &[u8]) -> Result<ImportedDeck, Vec<(usize, String)>> {
    deck_io::import_bytes("deck.apkg", bytes, &options(None))
        .await
        .map_err(|problems| lines(&problems))
}

#[tokio::test]
async fn apkg_notes_become_cards() {
    let notes = [
        (
            "Méthode <b>RFM</b>\x1fRécence<br>Fréquence<br>Montant",
            " crm methodes ",
        ),
        (
            "Clients somnambules\x1fNe sont pas satisfaits. Ils consomment par habitude.",
            "",
        ),
        ("Image seule\x1f<img src=\"a.png\">", ""),
        ("Le {{c1::ciblage}}\x1fExtra\x1fthird field", "cloze"),
        ("CAC\x1fCoût d'acquisition\x1fnote perso", ""),
    ];
    for name in ["collection.anki2", "collection.anki21"] {
        let imported = import_apkg(&apkg(name, &notes).await).await.unwrap();
        check_toml_round_trip(&imported.cards);
        assert_eq!(imported.format, Format::Apkg);
        use CardKind::*;
        assert_eq!(
            summary(&imported),
            [
                (
                    "methode-rfm",
                    "Méthode RFM",
                    "Récence\nFréquence\nMontant",
                    List,
                    false
                ),
                (
                    "clients-somnambules",
                    "Clients somnambules",
                    "Ne sont pas satisfaits. Ils consomment par habitude.",
                    Definition,
                    true
                ),
                // Without its note type, a deletion makes a cloze note.
                ("le", "Le […]", "ciblage", Term, false),
                ("cac", "CAC", "Coût d'acquisition", Term, false),
            ],
            "{name}"
        );
        assert_eq!(imported.cards[0].tags, ["crm", "methodes"]);
        has(
            &lines(&imported.skipped),
            3,
            "the answer is only an image or a sound, and media are not imported",
        );
        let warnings = lines(&imported.warnings);
        has(&warnings, 3, "1 note(s) show images or sounds");
        has(
            &warnings,
            5,
            "1 note(s) have more fields than a question and an answer",
        );
        assert_eq!(warnings.len(), 2, "{warnings:#?}");
    }
}

#[tokio::test]
async fn apkg_newest_format_is_refused_with_advice() {
    let mut bytes = apkg("collection.anki21b", &[("Q\x1fR", "")]).await;
    let found = import_apkg(&bytes).await.unwrap_err();
    has(&found, 0, "Notes in Plain Text");
    // Newer packages also hold a stub collection.anki2: still refused.
    bytes = apkg(
        "collection.anki2",
        &[("Please update\x1fto the latest Anki", "")],
    )
    .await;
    let mut with_stub = zip::ZipWriter::new_append(std::io::Cursor::new(bytes)).unwrap();
    with_stub
        .start_file(
            "collection.anki21b",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
    with_stub.write_all(b"zstd").unwrap();
    let bytes = with_stub.finish().unwrap().into_inner();
    has(
        &import_apkg(&bytes).await.unwrap_err(),
        0,
        "collection.anki21b",
    );
}

#[tokio::test]
async fn apkg_that_is_not_a_zip_or_has_no_collection() {
    has(
        &import_apkg(b"not a zip").await.unwrap_err(),
        0,
        "not an Anki package",
    );
    let bytes = apkg("other.db", &[("Q\x1fR", "")]).await;
    has(
        &import_apkg(&bytes).await.unwrap_err(),
        0,
        "no collection.anki2",
    );
}

/// The package `tests/fixtures/import/genanki/make.py` builds with genanki:
/// three decks (one nested), basic, reversed, optional reversed, cloze and
/// custom note types, HTML, media references.
async fn import_genanki(options: &ImportOptions) -> Result<ImportedDeck, Vec<Problem>> {
    let (_, bytes) = fixture("genanki/crm.apkg");
    deck_io::import_bytes("crm.apkg", &bytes, options).await
}

#[tokio::test]
async fn genanki_package_imports_every_note_type_as_anki_shows_it() {
    let imported = import_genanki(&options(None)).await.unwrap();
    check_toml_round_trip(&imported.cards);
    assert_eq!(imported.format, Format::Apkg);
    use CardKind::*;
    assert_eq!(
        summary(&imported),
        [
            // Basic, with an HTML list.
            (
                "methode-rfm",
                "Méthode RFM",
                "Récence\nFréquence\nMontant",
                List,
                false
            ),
            // Basic and reversed: asked both ways, although a term.
            (
                "churn",
                "Churn",
                "Taux de clients perdus sur une période",
                Term,
                true
            ),
            // Optional reversed without its reverse card.
            (
                "que-veut-dire-crm",
                "Que veut dire CRM ?",
                "Customer Relationship Management",
                Term,
                false
            ),
            // Cloze: c1 twice is a list, c2's hint is shown, then c3.
            (
                "les-4p-place-et-promotion",
                "Les 4P : […], […], Place et Promotion",
                "Produit\nPrix",
                List,
                false
            ),
            (
                "les-4p-produit-prix-lieu-et-promotion",
                "Les 4P : Produit, Prix, [lieu] et Promotion",
                "Place",
                Term,
                false
            ),
            (
                "les-4p-produit-prix-place-et",
                "Les 4P : Produit, Prix, Place et […]",
                "Promotion",
                Term,
                false
            ),
            // Cloze in HTML: formatting and entities go, lines stay.
            (
                "fideliser-un-client-coute-moins-cher-que-d-en-conquerir-un",
                "Fidéliser un client coûte […] moins cher que d'en conquérir un.\nSource : Kotler",
                "5 fois",
                Term,
                false
            ),
            (
                "fideliser-un-client-coute-5-fois-moins-cher-que-d-en-verbe",
                "Fidéliser un client coûte 5 fois moins cher que d'en [verbe].\nSource : Kotler",
                "conquérir un",
                Term,
                false
            ),
            // Media references go, their text stays.
            (
                "marque-de-ce-logo",
                "Marque de ce logo",
                "Nike",
                Term,
                false
            ),
            (
                "prononciation-de-churn",
                "Prononciation de « churn »",
                "tcheurne",
                Term,
                false
            ),
            // A list on one line; a sentence with commas stays one answer.
            (
                "les-4p-du-marketing",
                "Les 4P du marketing",
                "Produit\nPrix\nPlace\nPromotion",
                List,
                false
            ),
            (
                "pourquoi-fideliser",
                "Pourquoi fidéliser ?",
                "Quand le client est satisfait, il revient, il achète et il recommande.",
                Term,
                false
            ),
            // The note type asks its second field and answers its third.
            (
                "prospect",
                "Prospect",
                "Personne qui pourrait devenir cliente",
                Term,
                false
            ),
        ]
    );
    // Each card is tagged with its deck (the package has three).
    let tags: Vec<&[String]> = imported.cards.iter().map(|c| &c.tags[..]).collect();
    assert_eq!(tags[0], ["crm::methodes", "rfm", "CRM"]);
    assert_eq!(tags[1], ["CRM"]);
    for cloze in &tags[3..8] {
        assert_eq!(*cloze, ["CRM::Fidélisation"]);
    }
    assert_eq!(tags[12], ["Marketing"]);
    // Notes 6 (a cloze without deletion), 8 (an image alone) and 12 (a
    // 611-character question) are skipped, each with its reason.
    let skipped = lines(&imported.skipped);
    has(&skipped, 6, "cloze note without any deletion");
    has(&skipped, 8, "the question is only an image or a sound");
    has(
        &skipped,
        12,
        "question is too long: 611 characters, at most 400 allowed",
    );
    assert_eq!(skipped.len(), 3, "{skipped:#?}");
    let warnings = lines(&imported.warnings);
    has(&warnings, 7, "3 note(s) show images or sounds");
    has(&warnings, 13, "1 note(s) have more fields");
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
}

#[tokio::test]
async fn genanki_package_with_strict_is_refused_for_its_long_question() {
    let strict = ImportOptions {
        strict: true,
        ..ImportOptions::default()
    };
    let found = lines(&import_genanki(&strict).await.unwrap_err());
    has(&found, 12, "question is too long: 611 characters");
    assert_eq!(found.len(), 1, "{found:#?}");
}

// ---------------------------------------------------------------- lists on one line

#[test]
fn enumerations_on_one_line_are_lists_and_sentences_are_not() {
    let lists: [(&str, &[&str]); 7] = [
        (
            "Produit; Prix; Place; Promotion",
            &["Produit", "Prix", "Place", "Promotion"],
        ),
        (
            "Produit, Prix, Place et Promotion",
            &["Produit", "Prix", "Place", "Promotion"],
        ),
        (
            "Récence, fréquence, montant.",
            &["Récence", "fréquence", "montant"],
        ),
        ("rouge, vert ou bleu", &["rouge", "vert", "bleu"]),
        (
            "la conquête ; la fidélisation ; la reconquête",
            &["la conquête", "la fidélisation", "la reconquête"],
        ),
        (
            "Price, Product, Place and Promotion",
            &["Price", "Product", "Place", "Promotion"],
        ),
        ("1,5 kg, 2,5 kg, 3 kg", &["1,5 kg", "2,5 kg", "3 kg"]),
    ];
    for (answer, items) in lists {
        let found = import::one_line_items(answer);
        let found: Option<Vec<&str>> = found
            .as_ref()
            .map(|found| found.iter().map(String::as_str).collect());
        assert_eq!(found, Some(items.to_vec()), "{answer:?}");
    }
    let not_lists = [
        // Two items only.
        "Oui, mais seulement en B2B",
        "Récence et fréquence",
        "Produit; Prix",
        // A sentence: clauses, long items, sentence punctuation.
        "Quand le client est satisfait, il revient, il achète et il recommande.",
        "Cependant, dans certains cas, non",
        "Le client revient, car il est satisfait, et il recommande",
        "Ensemble des actions visant à fidéliser, conquérir et retenir les clients",
        "Selon Kotler, le marketing crée de la valeur, pour le client et pour l'entreprise",
        "Récence. Fréquence. Montant",
        "Un chiffre : 1,5, 2,5",
        "Customer Relationship Management",
        "Récence\nFréquence, Montant, Valeur",
    ];
    for answer in not_lists {
        assert_eq!(import::one_line_items(answer), None, "{answer:?}");
    }
}

#[test]
fn csv_enumerations_become_list_cards_unless_the_kind_says_otherwise() {
    let text = "question,answer,kind\n\
        Les 4P,\"Produit, Prix, Place et Promotion\",\n\
        RFM,Récence; Fréquence; Montant,list\n\
        Couleurs,\"rouge, vert, bleu\",term\n\
        Pourquoi fidéliser ?,\"Quand le client est satisfait, il revient et il achète.\",\n";
    let imported = import("l.csv", text.as_bytes(), &options(None));
    let cards: Vec<(&str, CardKind)> = imported
        .cards
        .iter()
        .map(|c| (c.answer.as_str(), c.kind))
        .collect();
    assert_eq!(
        cards,
        [
            ("Produit\nPrix\nPlace\nPromotion", CardKind::List),
            ("Récence\nFréquence\nMontant", CardKind::List),
            ("rouge, vert, bleu", CardKind::Term),
            (
                "Quand le client est satisfait, il revient et il achète.",
                CardKind::Term
            ),
        ]
    );
    assert!(imported.warnings.is_empty(), "{:#?}", imported.warnings);
}

// ---------------------------------------------------------------- command line

fn rappel(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_rappel"))
        .args(args)
        .output()
        .unwrap()
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn cli_import_writes_a_deck_refuses_to_overwrite_and_exports_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let (_, bytes) = fixture("cartes.csv");
    let input: PathBuf = dir.path().join("cartes.csv");
    std::fs::write(&input, bytes).unwrap();
    let out = dir.path().join("decks");
    let args = [
        "decks",
        "import",
        path_str(&input),
        "--id",
        "cartes",
        "--title",
        "Cartes",
        "--out",
        path_str(&out),
    ];
    let first = rappel(&args);
    assert!(first.status.success(), "{first:?}");
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(
        stderr.contains("cartes.csv:8: row has no answer"),
        "{stderr}"
    );
    let written = std::fs::read_to_string(out.join("cartes.toml")).unwrap();
    let deck = deck::parse("cartes.toml", &written).unwrap();
    assert_eq!(deck.cards.len(), 4);
    assert_eq!(deck.source.as_deref(), Some("cartes.csv"));

    let again = rappel(&args);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    let mut forced = args.to_vec();
    forced.push("--force");
    assert!(rappel(&forced).status.success());

    let export = rappel(&[
        "decks",
        "export",
        "cartes",
        "--format",
        "tsv",
        "--decks",
        path_str(&out),
    ]);
    assert!(export.status.success(), "{export:?}");
    let reimported = import("cartes.tsv", &export.stdout, &options(None));
    assert_eq!(reimported.cards, deck.cards);
}

#[test]
fn cli_import_of_a_headerless_csv_says_which_columns_it_assumed() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("quizlet.csv");
    std::fs::write(&input, "Prospect,Personne qui pourrait devenir cliente\n").unwrap();
    let out = dir.path().join("decks");
    let run = rappel(&[
        "decks",
        "import",
        path_str(&input),
        "--id",
        "quizlet",
        "--title",
        "Quizlet",
        "--out",
        path_str(&out),
    ]);
    assert!(run.status.success(), "{run:?}");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.contains("1 cards from"), "{stdout}");
    assert!(
        stdout.contains(
            "(csv, no header row: column 1 read as the question, column 2 as the answer)"
        ),
        "{stdout}"
    );
    let written = std::fs::read_to_string(out.join("quizlet.toml")).unwrap();
    let deck = deck::parse("quizlet.toml", &written).unwrap();
    assert_eq!(deck.cards[0].question, "Prospect");
}

#[test]
fn cli_import_reports_errors_with_file_and_line_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("latin1.txt");
    std::fs::write(&input, b"Q\tR\nM\xe9thode\tRFM\n").unwrap();
    let out = dir.path().join("decks");
    let run = rappel(&[
        "decks",
        "import",
        path_str(&input),
        "--id",
        "x",
        "--title",
        "X",
        "--out",
        path_str(&out),
    ]);
    assert!(!run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("latin1.txt:2: not UTF-8 text"), "{stderr}");
    assert!(!out.join("x.toml").exists());
}

/// A CSV export of 50 cards whose card 31 (line 32) has a 611-character
/// question.
fn csv_with_one_long_question() -> String {
    let mut csv = String::from("question,answer\n");
    for n in 1..=50 {
        if n == 31 {
            csv.push_str(&format!("{}??,Oui\n", "Très longue question ".repeat(29)));
        } else {
            csv.push_str(&format!("Question {n},Réponse {n}\n"));
        }
    }
    csv
}

#[test]
fn cli_import_keeps_the_valid_rows_and_lists_the_skipped_ones() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("gros.csv");
    let csv = csv_with_one_long_question();
    assert_eq!(csv.lines().nth(31).unwrap().chars().count(), 611 + 4);
    std::fs::write(&input, csv).unwrap();
    let out = dir.path().join("decks");
    let args = [
        "decks",
        "import",
        path_str(&input),
        "--id",
        "gros",
        "--title",
        "Gros",
        "--out",
        path_str(&out),
    ];
    let run = rappel(&args);
    assert!(run.status.success(), "{run:?}");
    let stderr = String::from_utf8_lossy(&run.stderr);
    let skipped: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("skipped: "))
        .collect();
    assert_eq!(skipped.len(), 1, "{stderr}");
    assert!(
        skipped[0]
            .contains("gros.csv:32: question is too long: 611 characters, at most 400 allowed"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.contains("49 cards from"), "{stdout}");
    assert!(stdout.contains("1 row(s) skipped"), "{stdout}");
    let written = std::fs::read_to_string(out.join("gros.toml")).unwrap();
    let deck = deck::parse("gros.toml", &written).unwrap();
    assert_eq!(deck.cards.len(), 49);
    assert!(
        deck.cards
            .iter()
            .all(|c| c.question.starts_with("Question "))
    );

    // --strict: all or nothing.
    let strict_out = dir.path().join("strict");
    let mut strict = args.to_vec();
    strict[8] = path_str(&strict_out);
    strict.push("--strict");
    let run = rappel(&strict);
    assert!(!run.status.success(), "{run:?}");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("gros.csv:32: question is too long: 611 characters"),
        "{stderr}"
    );
    assert!(
        stderr.contains("nothing written (--strict; without it, the valid rows are imported)"),
        "{stderr}"
    );
    assert!(!strict_out.join("gros.toml").exists());
}

// ---------------------------------------------------------------- any input

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(200))]

    /// Whatever the bytes, every importer returns cards that make a valid
    /// deck, or problems; it never panics.
    #[test]
    fn any_input_gives_a_valid_deck_or_problems(
        text in "([a-zé\"'<>&;{}:|,\\t\\r\\n #.?]|<br>|&amp;|\\{\\{c1::|\"\"){0,80}",
        format in proptest::sample::select(vec![None, Some(Format::Quizlet), Some(Format::AnkiTxt), Some(Format::Csv)]),
    ) {
        let bytes = format!("question,answer\n{text}");
        for input in [text.as_bytes(), bytes.as_bytes()] {
            if let Ok(imported) = import::import("any.txt", input, &options(format)) {
                check_toml_round_trip(&imported.cards);
            }
        }
    }
}

// ------------------------------------------------ fuzz: arbitrary bytes (issue 8)

mod fuzz {
    //! Every importer takes arbitrary bytes (not only text that looks like
    //! an export) without panicking; the time an import takes is measured
    //! by `cargo bench --bench budgets`.

    use proptest::prelude::*;
    use rappel::core::import::{self, Collection, Format, ImportOptions, Note};

    /// Bytes biased towards what the parsers branch on: separators, quotes,
    /// HTML, Anki headers and cloze markers, invalid UTF-8 and BOMs.
    fn hostile_bytes() -> impl Strategy<Value = Vec<u8>> {
        let piece = prop_oneof![
            prop::collection::vec(any::<u8>(), 0..16),
            Just(b"\t".to_vec()),
            Just(b"\r\n".to_vec()),
            Just(b"\"".to_vec()),
            Just(b";".to_vec()),
            Just(b",".to_vec()),
            Just(b"#separator:tab\n".to_vec()),
            Just(b"#html:true\n".to_vec()),
            Just(b"<br><div>&nbsp;&amp;</div>".to_vec()),
            Just(b"{{c1::x::y}}".to_vec()),
            Just(b"\xef\xbb\xbf".to_vec()),
            Just(b"\xff\xfe".to_vec()),
            Just(b"question,answer\n".to_vec()),
            "\\PC{0,20}".prop_map(String::into_bytes),
        ];
        prop::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
    }

    fn any_options() -> impl Strategy<Value = ImportOptions> {
        let format = prop::sample::select(vec![
            None,
            Some(Format::Quizlet),
            Some(Format::AnkiTxt),
            Some(Format::Csv),
            Some(Format::Apkg),
        ]);
        let sep = prop::option::of("[\t;,|-]{1,3}|\\PC{1,3}");
        let separator = prop::option::of(prop::sample::select(vec!['\t', ',', ';', '|', 'é']));
        (format, sep.clone(), sep, separator).prop_map(|(format, term_sep, row_sep, separator)| {
            ImportOptions {
                format,
                term_sep,
                row_sep,
                separator,
                ..ImportOptions::default()
            }
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn any_bytes_give_cards_or_problems_quickly(
            bytes in hostile_bytes(),
            options in any_options(),
            name in prop::sample::select(vec!["x.txt", "x.csv", "x.tsv", "x.apkg", "x"]),
        ) {
            let _ = import::detect(name, &bytes);
            match import::import(name, &bytes, &options) {
                Ok(imported) => prop_assert!(!imported.cards.is_empty()),
                Err(problems) => prop_assert!(!problems.is_empty()),
            }
        }

        #[test]
        fn any_anki_notes_give_cards_or_problems_quickly(
            fields in prop::collection::vec("(\\PC|\u{1f}|<[a-z/]{0,4}>|&[a-z#0-9]{0,5};?|\\{\\{c[0-9]::){0,40}", 0..20),
        ) {
            let notes: Vec<Note> = fields
                .into_iter()
                .map(|fields| Note { fields, ..Note::default() })
                .collect();
            let collection = Collection { notes, ..Collection::default() };
            match import::import_notes("x.apkg", &collection, &ImportOptions::default()) {
                Ok(imported) => prop_assert!(!imported.cards.is_empty()),
                Err(problems) => prop_assert!(!problems.is_empty()),
            }
        }
    }
}
