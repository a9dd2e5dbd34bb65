//! The language a student reads rappel in: French first, English for the
//! others. One type for a user's stored setting (`"fr"`/`"en"`), a quiz's
//! language and the language of a Discord reply.

/// French or English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    /// The language of a Discord locale: `fr`, `fr-FR`, `fr-CA`… are
    /// French; every other locale gets English.
    pub fn from_locale(locale: &str) -> Self {
        if locale == "fr" || locale.starts_with("fr-") {
            Self::Fr
        } else {
            Self::En
        }
    }

    /// The stored form: `fr` or `en`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fr => "fr",
            Self::En => "en",
        }
    }

    /// Reads [`Lang::as_str`]'s form back.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "fr" => Some(Self::Fr),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// `fr` or `en`, whichever is this language.
    pub fn pick<T>(self, fr: T, en: T) -> T {
        match self {
            Self::Fr => fr,
            Self::En => en,
        }
    }
}
