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
///
/// This runs on every long paragraph (mixed documents switch language per paragraph),
/// so it allocates nothing: each word is lower-cased and packed into an integer as it
/// is read, and looked up among the packed function words.
pub fn detect(text: &str) -> Option<Lang> {
    let (fr, en) = function_word_counts(text);
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

/// How many French and English function words are among the first 400 words of one to
/// eight bytes of `text` (words are the runs of letters, as [`letter_runs`] cuts them).
///
/// One pass over the bytes, packing each word's lower case as it goes: this runs on a
/// sample of every long paragraph, and an iterator of words cost twice as much.
fn function_word_counts(text: &str) -> (usize, usize) {
    use crate::text::{LANES_HIGH as HIGH, LANES_ONE as ONES, eight_bytes_at};
    let bytes = text.as_bytes();
    let mut counts = Counts::default();
    // Where the current word (run of letters) started.
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(x) = eight_bytes_at(bytes, i) {
            if x & HIGH == 0 {
                // Eight ASCII bytes at once: with the case bit set, a letter is a byte
                // from `a` to `z`, and the additions set the high bit of each byte from
                // `a` up and from past `z` up without carrying into the next byte.
                let y = x | (ONES * 0x20);
                let from_a = y.wrapping_add(ONES * (0x80 - u64::from(b'a')));
                let past_z = y.wrapping_add(ONES * (0x80 - u64::from(b'z') - 1));
                let mut breaks = !(from_a & !past_z) & HIGH;
                while breaks != 0 {
                    let at = i + (breaks.trailing_zeros() / 8) as usize;
                    if counts.word(&bytes[start..at]) {
                        return (counts.fr, counts.en);
                    }
                    start = at + 1;
                    breaks &= breaks - 1;
                }
                i += 8;
                continue;
            }
        }
        // A non-ASCII character nearby, or the last bytes: one character at a time.
        let (letter, len) = letter_at(text, i, bytes[i]);
        if !letter {
            if counts.word(&bytes[start..i]) {
                return (counts.fr, counts.en);
            }
            start = i + len;
        }
        i += len;
    }
    counts.word(bytes.get(start..).unwrap_or_default());
    (counts.fr, counts.en)
}

/// The tallies of [`function_word_counts`].
#[derive(Default)]
struct Counts {
    fr: usize,
    en: usize,
    words: usize,
}

impl Counts {
    /// Counts a word (a run of letters, possibly empty); returns whether the 400-word
    /// sample is complete. Empty runs and words over eight bytes do not count.
    #[inline]
    fn word(&mut self, word: &[u8]) -> bool {
        if !(1..=8).contains(&word.len()) {
            return false;
        }
        // Every function word has at most five bytes.
        if word.len() <= 5 {
            let mut packed = 0u64;
            for (k, b) in word.iter().enumerate() {
                packed |= u64::from(b.to_ascii_lowercase()) << (8 * k);
            }
            match lookup(packed) {
                Some(Lang::Fr) => self.fr += 1,
                Some(Lang::En) => self.en += 1,
                None => {}
            }
        }
        self.words += 1;
        self.words == 400
    }
}

/// Whether the character at `i` (a character boundary, lead byte `b`) is a letter, and
/// its length. ASCII is tested byte by byte and Latin-1 from its second byte; only
/// other characters are decoded.
#[inline]
fn letter_at(text: &str, i: usize, b: u8) -> (bool, usize) {
    let bytes = text.as_bytes();
    let second = || bytes.get(i + 1).copied().unwrap_or(0);
    if b < 0x80 {
        (b.is_ascii_alphabetic(), 1)
    } else if b == 0xC3 {
        // U+00C0–U+00FF: letters but for × and ÷.
        (!matches!(second(), 0x97 | 0xB7), 2)
    } else if b == 0xC2 {
        // U+0080–U+00BF: no letters but ª, µ and º.
        (matches!(second(), 0xAA | 0xB5 | 0xBA), 2)
    } else {
        text.get(i..)
            .and_then(|t| t.chars().next())
            .map_or((false, 1), |c| (c.is_alphabetic(), c.len_utf8()))
    }
}

/// The runs of letters of `text`, some of them empty, as [`function_word_counts`] reads
/// them: its reference in the tests.
#[cfg(test)]
fn letter_runs(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        if i > bytes.len() {
            return None;
        }
        let start = i;
        while i < bytes.len() {
            let (letter, len) = letter_at(text, i, bytes[i]);
            if !letter {
                let word = text.get(start..i);
                i += len;
                return word;
            }
            i += len;
        }
        // The last run; `i` moves past the end so that the next call stops.
        i = bytes.len() + 1;
        text.get(start..)
    })
}

/// A word of at most eight bytes packed into an integer, so that looking it up is a few
/// integer comparisons rather than one string comparison per candidate.
const fn pack(w: &[u8]) -> u64 {
    let mut x = 0u64;
    let mut i = 0;
    while i < w.len() && i < 8 {
        x |= (w[i] as u64) << (8 * i);
        i += 1;
    }
    x
}

/// French function words (words common to both languages, such as « a », are left out).
static FRENCH: [u64; 31] = [
    pack(b"le"),
    pack(b"la"),
    pack(b"les"),
    pack(b"des"),
    pack(b"du"),
    pack(b"une"),
    pack(b"est"),
    pack(b"et"),
    pack(b"dans"),
    pack(b"pour"),
    pack(b"que"),
    pack(b"qui"),
    pack(b"sur"),
    pack(b"au"),
    pack(b"aux"),
    pack(b"pas"),
    pack(b"avec"),
    pack(b"selon"),
    pack(b"ont"),
    pack(b"ne"),
    pack(b"son"),
    pack(b"sa"),
    pack(b"ses"),
    pack(b"leur"),
    pack(b"mais"),
    pack(b"cette"),
    pack(b"ce"),
    pack(b"plus"),
    pack(b"il"),
    pack(b"elle"),
    pack("été".as_bytes()),
];

/// English function words.
static ENGLISH: [u64; 31] = [
    pack(b"the"),
    pack(b"and"),
    pack(b"of"),
    pack(b"to"),
    pack(b"is"),
    pack(b"in"),
    pack(b"that"),
    pack(b"was"),
    pack(b"for"),
    pack(b"on"),
    pack(b"with"),
    pack(b"as"),
    pack(b"by"),
    pack(b"are"),
    pack(b"it"),
    pack(b"from"),
    pack(b"said"),
    pack(b"has"),
    pack(b"have"),
    pack(b"were"),
    pack(b"this"),
    pack(b"which"),
    pack(b"at"),
    pack(b"be"),
    pack(b"not"),
    pack(b"but"),
    pack(b"his"),
    pack(b"her"),
    pack(b"their"),
    pack(b"an"),
    // Padding that no word packs to (a word has at least one letter).
    0,
];

/// The language a lower-case function word (at most eight bytes) belongs to.
#[cfg(test)]
fn function_word(w: &[u8]) -> Option<Lang> {
    lookup(pack(w))
}

/// The language of a packed lower-case function word.
#[inline]
fn lookup(x: u64) -> Option<Lang> {
    // Open addressing with linear probing; the table is three-quarters empty, so a
    // lookup reads one or two slots.
    let mut slot = hash(x);
    loop {
        let (key, lang) = FUNCTION_WORDS[slot];
        if key == x {
            return lang;
        }
        if key == 0 {
            return None;
        }
        slot = (slot + 1) % FUNCTION_WORDS.len();
    }
}

/// The slot of a packed word in [`FUNCTION_WORDS`] (Fibonacci hashing to 8 bits).
const fn hash(x: u64) -> usize {
    (x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as usize
}

/// [`FRENCH`] and [`ENGLISH`] in one hash table of 256 slots; an empty slot holds 0,
/// which no word packs to.
static FUNCTION_WORDS: [(u64, Option<Lang>); 256] = {
    let mut table = [(0u64, None); 256];
    let mut lang = 0;
    while lang < 2 {
        let (words, tag) = if lang == 0 {
            (&FRENCH, Lang::Fr)
        } else {
            (&ENGLISH, Lang::En)
        };
        let mut i = 0;
        while i < words.len() {
            let x = words[i];
            if x != 0 {
                let mut slot = hash(x);
                while table[slot].0 != 0 && table[slot].0 != x {
                    slot = (slot + 1) % 256;
                }
                // A word in both lists would keep its first (French) language, as the
                // lists were read before.
                if table[slot].0 == 0 {
                    table[slot] = (x, Some(tag));
                }
            }
            i += 1;
        }
        lang += 1;
    }
    table
};

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
    fn letter_runs_split_like_chars() {
        for t in [
            "",
            "l’armée d’Azerbaïdjan\u{a0}: «\u{202f}non\u{202f}» — été 2024",
            "OTSC",
            " ends with space ",
            "日本語とEnglish, ÉTAT-MAJOR…",
            "ª µ º × ÷ ¿ « » \u{a0} ÀÿĀ ß æ",
        ] {
            let expected: Vec<&str> = t.split(|c: char| !c.is_alphabetic()).collect();
            assert_eq!(letter_runs(t).collect::<Vec<_>>(), expected, "{t}");
        }
        // Every character up to U+3000, each between two letters.
        let all: String = (0x20u32..0x3000)
            .filter_map(char::from_u32)
            .flat_map(|c| ['a', c, 'b'])
            .collect();
        let expected: Vec<&str> = all.split(|c: char| !c.is_alphabetic()).collect();
        assert_eq!(letter_runs(&all).collect::<Vec<_>>(), expected);
    }

    /// The counts as the words of [`letter_runs`] give them, one word at a time.
    fn reference_counts(text: &str) -> (usize, usize) {
        let mut counts = (0, 0);
        for word in letter_runs(text)
            .filter(|w| !w.is_empty() && w.len() <= 8)
            .take(400)
        {
            match function_word(word.to_ascii_lowercase().as_bytes()) {
                Some(Lang::Fr) => counts.0 += 1,
                Some(Lang::En) => counts.1 += 1,
                None => {}
            }
        }
        counts
    }

    #[test]
    fn one_pass_counts_match_the_word_by_word_reference() {
        let mut texts: Vec<String> = [
            "",
            "Le ministre a déclaré que la situation était grave.",
            "LES experts, THE minister; l’été d’Été — ÉTÉ été",
            "l’armée d’Azerbaïdjan\u{a0}: «\u{202f}non\u{202f}» — été 2024",
            "日本語とEnglish the and of, ÉTAT-MAJOR… × ÷ ª µ º",
            "incroyablement the extraordinarily le",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // More than 400 words, so that the limit is reached in the middle.
        texts.push("le chat the dog et ".repeat(150));
        texts.push("Selon   les   sources,\u{a0}the  report ".repeat(120));
        texts.push(
            (0x20u32..0x3000)
                .filter_map(char::from_u32)
                .flat_map(|c| ['l', 'e', c, 't', 'h', 'e', ' '])
                .collect(),
        );
        // Words, separators and accented letters in every arrangement across the
        // eight-byte blocks that are read at once.
        let palette = [
            "le ",
            "the ",
            "Été",
            "été",
            "LES",
            "é",
            "a",
            "Z",
            "@",
            "[",
            "`",
            "{",
            "’",
            "-",
            "\u{a0}",
            "7",
            "selon",
            "incroyablement ",
            "日",
            ". ",
            "The",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..2000 {
            let mut t = String::new();
            for _ in 0..(seed % 300) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                t.push_str(palette[(seed % palette.len() as u64) as usize]);
            }
            texts.push(t);
        }
        for t in &texts {
            assert_eq!(function_word_counts(t), reference_counts(t), "{t:.60}");
        }
    }

    #[test]
    fn function_words() {
        for w in ["le", "selon", "cette", "été", "elle"] {
            assert_eq!(function_word(w.as_bytes()), Some(Lang::Fr), "{w}");
        }
        for w in ["the", "which", "their", "an", "said"] {
            assert_eq!(function_word(w.as_bytes()), Some(Lang::En), "{w}");
        }
        for w in ["a", "lea", "thé", "theirs", "élections"] {
            assert_eq!(function_word(w.as_bytes()), None, "{w}");
        }
        for &x in FRENCH.iter().filter(|&&x| x != 0) {
            assert_eq!(lookup(x), Some(Lang::Fr));
        }
        for &x in ENGLISH.iter().filter(|&&x| x != 0) {
            assert_eq!(lookup(x), Some(Lang::En));
        }
        // `function_word_counts` looks up words of at most five bytes only.
        for x in FRENCH.iter().chain(&ENGLISH) {
            assert_eq!(x >> 40, 0, "a function word longer than five bytes");
        }
    }

    #[test]
    fn parses_tags() {
        assert_eq!(Lang::parse("fr-CA"), Some(Lang::Fr));
        assert_eq!(Lang::parse("EN_gb"), Some(Lang::En));
        assert_eq!(Lang::parse("de"), None);
    }
}
