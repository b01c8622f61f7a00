//! The languages copydesk reads, and how a document's language is decided.

use serde::{Deserialize, Serialize};

/// A language with its own lexicon. French and English are both first-class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    /// The ISO 639-1 code, as written in front matter and configuration.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// Parses `fr`, `en`, and regional tags such as `fr-CA` or `en_GB`.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        let base = s.split(['-', '_']).next().unwrap_or("");
        match base {
            "fr" | "fra" | "fre" | "french" | "français" | "francais" => Some(Lang::Fr),
            "en" | "eng" | "english" | "anglais" => Some(Lang::En),
            _ => None,
        }
    }
}

/// Guesses the language of a text from its function words. Returns `None` when the
/// text is too short or too balanced to tell.
pub fn detect(text: &str) -> Option<Lang> {
    const FR: &[&str] = &[
        "le", "la", "les", "des", "du", "une", "est", "et", "dans", "pour", "que", "qui", "sur",
        "au", "aux", "pas", "avec", "selon", "a", "été", "il", "elle", "ont", "ne", "son", "sa",
        "ses", "leur", "mais", "cette", "ce", "plus",
    ];
    const EN: &[&str] = &[
        "the", "and", "of", "to", "is", "in", "that", "was", "for", "on", "with", "as", "by",
        "are", "it", "from", "said", "has", "have", "were", "this", "which", "at", "be", "not",
        "but", "his", "her", "their", "an",
    ];
    let (mut fr, mut en) = (0usize, 0usize);
    for word in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .take(2000)
    {
        let lower = word.to_lowercase();
        if FR.contains(&lower.as_str()) {
            fr += 1;
        }
        if EN.contains(&lower.as_str()) {
            en += 1;
        }
    }
    if fr + en < 3 {
        return None;
    }
    if fr * 2 > en * 3 {
        Some(Lang::Fr)
    } else if en * 2 > fr * 3 {
        Some(Lang::En)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_french_and_english() {
        assert_eq!(
            detect("Le ministre a déclaré que la situation était grave."),
            Some(Lang::Fr)
        );
        assert_eq!(
            detect("The minister said that the situation was serious."),
            Some(Lang::En)
        );
        assert_eq!(detect("OTSC"), None);
    }

    #[test]
    fn parses_tags() {
        assert_eq!(Lang::parse("fr-CA"), Some(Lang::Fr));
        assert_eq!(Lang::parse("EN_gb"), Some(Lang::En));
        assert_eq!(Lang::parse("de"), None);
    }
}
