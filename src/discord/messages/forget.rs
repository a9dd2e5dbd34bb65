//! `/forget-me`: what is deleted, the confirmation and its answer.

use super::Lang;

/// What `/forget-me` will delete, before the confirmation buttons.
pub fn forget_explain(lang: Lang) -> &'static str {
    lang.pick(
        "**Supprimer toutes vos données ?**\n\
         Cela efface définitivement, sur tous les serveurs : votre historique de révisions, \
         l'état de vos cartes et vos révisions prévues, vos réglages, vos points de quiz, \
         vos réponses et votre série de la question du jour, et votre place dans les classements. \
         C'est irréversible.",
        "**Delete all your data?**\n\
         This permanently erases, on every server: your review history, your cards' state and \
         scheduled reviews, your settings, your quiz points, your daily question answers and \
         streak, and your place on the leaderboards. This cannot be undone.",
    )
}

pub fn forget_confirm_button(lang: Lang) -> &'static str {
    lang.pick("Tout supprimer", "Delete everything")
}

pub fn forget_cancel_button(lang: Lang) -> &'static str {
    lang.pick("Annuler", "Cancel")
}

pub fn forget_done(lang: Lang, n_reviews: u64) -> String {
    lang.pick(format!(
            "C'est fait : toutes vos données ont été supprimées ({n_reviews} révision(s) effacée(s)). \
             Si vous utilisez de nouveau rappel, vous repartirez de zéro."
        ), format!(
            "Done: all your data has been deleted ({n_reviews} review(s) erased). \
             If you use rappel again, you will start from scratch."
        ))
}

pub fn forget_cancelled(lang: Lang) -> &'static str {
    lang.pick("Rien n'a été supprimé.", "Nothing was deleted.")
}

pub fn forget_not_yours(lang: Lang) -> &'static str {
    lang.pick(
        "Ce bouton n'est pas pour vous : seule la personne qui a lancé `/oublier` peut confirmer. \
         Pour supprimer vos propres données, utilisez `/oublier`.",
        "This button is not yours: only the person who ran `/forget-me` can confirm. \
         To delete your own data, use `/forget-me`.",
    )
}
