//! The entity rules: `entities/house-spelling` and `style/acronym-first-use`.
//!
//! Both work on the mentions the analysis found with [`super::Kb::find`], so they see
//! exactly the spellings the matcher recognised.
//!
//! **House spelling** fires for a mention written in a variant listed under
//! `house_spelling.<lang>` for the document's language (variants of other languages
//! are ignored: `Pashinyan` is the house spelling in English and a variant in
//! French). Variants are compared ignoring case but not accents, so a house spelling
//! may differ from its variant by an accent alone (`Erdoğan` over `Erdogan`). A
//! variant inside a longer mention (`Nikol Pashinyan`, when only `Pashinyan` is
//! listed) is flagged alone. The fix writes the preferred form.
//!
//! **Acronym first use** fires for the first acronym mention of an entity in the body
//! of an article when no earlier mention used one of its names or aliases. An
//! acronym immediately followed by its expansion (`OTSC (Organisation du traité de
//! sécurité collective)`) counts as expanded, as does the usual `Name (ACRONYM)`.
//! Mentions outside every sentence (headings, titles) are ignored: headlines use
//! acronyms that the body spells out. The fix replaces the acronym with
//! `Name (ACRONYM)` in the document's language; when a word that depends on the next
//! sound stands before it (French `l’`, `d’`, `qu’`, `le`, `de`; English `a`/`an`) and
//! the name would not fit it, the fix writes `ACRONYM (Name)` instead, so that
//! `l’EUMA` becomes `l’EUMA (Mission de l’Union européenne en Arménie)` and not
//! `l’Mission`.
//!
//! Some acronyms are understood everywhere without expansion and never fire:
//! UN, ONU, EU, UE, NATO, OTAN, US, USA, UK, USSR, URSS, AFP, AP, BBC, CNN, G7, G8,
//! G20, and event codes of the form COP + number (COP29). The list is here rather than
//! in the data because it is a style decision of this rule, not a fact about the
//! entity.

use crate::analysis::Mention;
use crate::kb::Kb;
use crate::kb::model::{Entity, Form, HouseSpelling};
use crate::kb::normalize;
use crate::lang::Lang;
use crate::rules::{Edit, Finding, Fix, Rule};
use std::collections::HashSet;
use std::ops::Range;
use unicode_normalization::char::{compose, is_combining_mark};

/// Acronyms understood without expansion (see the module documentation).
const WELL_KNOWN: &[&str] = &[
    "UN", "ONU", "EU", "UE", "NATO", "OTAN", "US", "USA", "UK", "USSR", "URSS", "AFP", "AP", "BBC",
    "CNN", "G7", "G8", "G20",
];

/// Checks the entity rules over an article's mentions.
pub fn check(
    text: &str,
    mentions: &[Mention],
    kb: &Kb,
    lang: Lang,
    sentences: &[Range<usize>],
) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut order: Vec<&Mention> = mentions.iter().collect();
    order.sort_by_key(|m| (m.range.start, m.range.end));
    house_spelling(text, &order, kb, lang, sentences, &mut out);
    acronym_first_use(text, &order, kb, lang, sentences, &mut out);
    out.sort_by_key(|f| (f.range.start, f.range.end, f.rule));
    out
}

fn house_spelling(
    text: &str,
    mentions: &[&Mention],
    kb: &Kb,
    lang: Lang,
    sentences: &[Range<usize>],
    out: &mut Vec<Finding>,
) {
    for m in mentions {
        let Some(entity) = kb.get(&m.entity) else {
            continue;
        };
        let spellings = entity.house_spelling(lang);
        if spellings.is_empty() {
            continue;
        }
        let Some(surface) = text.get(m.range.clone()) else {
            continue;
        };
        let Some((within, preferred)) = find_variant(surface, spellings) else {
            continue;
        };
        let range = m.range.start + within.start..m.range.start + within.end;
        let cue = &text[range.clone()];
        let (message, help, title) = match lang {
            Lang::Fr => (
                format!("« {cue} » : l’orthographe maison est « {preferred} »"),
                format!("Écrivez « {preferred} », l’orthographe retenue par la rédaction."),
                format!("Remplacer par « {preferred} »"),
            ),
            Lang::En => (
                format!("\"{cue}\" is not the house spelling: write \"{preferred}\""),
                format!("Write \"{preferred}\", the spelling this newsroom uses."),
                format!("Replace with \"{preferred}\""),
            ),
        };
        out.push(Finding {
            rule: Rule::HouseSpelling,
            severity: Rule::HouseSpelling.default_severity(),
            sentence: sentence_of(sentences, &range).unwrap_or_else(|| range.clone()),
            cue: cue.to_string(),
            message,
            help,
            fixes: vec![Fix {
                title,
                edits: vec![Edit {
                    range: range.clone(),
                    replacement: preferred.to_string(),
                }],
            }],
            range,
        });
    }
}

/// Finds the variant written in `surface`: the byte range within it and the
/// preferred form. A surface that is itself a preferred form is fine.
fn find_variant<'a>(
    surface: &str,
    spellings: &'a [HouseSpelling],
) -> Option<(Range<usize>, &'a str)> {
    let strict = strict_chars(surface);
    let whole: String = strict.iter().map(|&(_, c)| c).collect();
    if spellings
        .iter()
        .any(|h| strict_key(&h.preferred) == whole.trim())
    {
        return None;
    }
    // The longest variant found as whole words wins: `Nikol Pashinyan` over
    // `Pashinyan`.
    let mut best: Option<(Range<usize>, &str, usize)> = None;
    for h in spellings {
        for variant in &h.variants {
            let want: Vec<char> = strict_key(variant).chars().collect();
            if want.is_empty() || best.as_ref().is_some_and(|b| b.2 >= want.len()) {
                continue;
            }
            if let Some(range) = find_words(surface, &strict, &want) {
                best = Some((range, h.preferred.as_str(), want.len()));
            }
        }
    }
    if let Some((range, preferred, _)) = best {
        return Some((range, preferred));
    }
    // A variant written with other accents than listed (`Pashinyán`), as long as it
    // is not the preferred form with other accents.
    let loose = normalize::key(surface);
    for h in spellings {
        if normalize::key(&h.preferred) == loose {
            continue;
        }
        if h.variants.iter().any(|v| normalize::key(v) == loose) {
            return Some((0..surface.len(), h.preferred.as_str()));
        }
    }
    None
}

/// Finds `want` (strict characters) in the strict characters of `surface` at word
/// boundaries; returns the byte range in `surface`.
fn find_words(surface: &str, strict: &[(usize, char)], want: &[char]) -> Option<Range<usize>> {
    let is_word = |c: char| c.is_alphanumeric();
    if want.len() > strict.len() {
        return None;
    }
    for start in 0..=strict.len() - want.len() {
        let end = start + want.len();
        if !strict[start..end]
            .iter()
            .map(|&(_, c)| c)
            .eq(want.iter().copied())
        {
            continue;
        }
        let before_ok = start == 0 || !is_word(strict[start - 1].1) || !is_word(want[0]);
        let after_ok = end == strict.len()
            || !is_word(strict[end].1)
            || !want.last().is_some_and(|&c| is_word(c));
        if before_ok && after_ok {
            let from = strict[start].0;
            let to = strict.get(end).map_or(surface.len(), |&(o, _)| o);
            // Spaces collapsed at the end belong to the next word, not this one.
            let to = from + surface[from..to].trim_end().len();
            return Some(from..to);
        }
    }
    None
}

/// The strict form of a name, for house spellings: case folded, accents kept
/// (composed), spaces collapsed, hyphen and apostrophe variants unified, invisible
/// characters dropped. `Erdoğan` and `Erdogan` differ; `PACHINIAN` and `Pachinian`
/// do not.
pub(crate) fn strict_key(s: &str) -> String {
    let chars: String = strict_chars(s).into_iter().map(|(_, c)| c).collect();
    chars.trim().to_string()
}

/// The strict characters of `s`, each with the byte offset of the character it
/// comes from.
fn strict_chars(s: &str) -> Vec<(usize, char)> {
    let mut out: Vec<(usize, char)> = Vec::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        if is_combining_mark(c) {
            // Compose with the letter before, so that decomposed and precomposed
            // accents compare equal.
            if let Some(last) = out.last_mut()
                && let Some(composed) = compose(last.1, c)
            {
                last.1 = composed;
                continue;
            }
            out.push((i, c));
            continue;
        }
        if normalize::is_invisible(c) {
            continue;
        }
        let mapped = if c.is_whitespace() {
            ' '
        } else if normalize::is_hyphen(c) {
            '-'
        } else if normalize::is_apostrophe(c) {
            '\''
        } else {
            out.extend(c.to_lowercase().map(|l| (i, l)));
            continue;
        };
        if mapped == ' ' && out.last().is_some_and(|l| l.1 == ' ') {
            continue;
        }
        out.push((i, mapped));
    }
    out
}

fn acronym_first_use(
    text: &str,
    mentions: &[&Mention],
    kb: &Kb,
    lang: Lang,
    sentences: &[Range<usize>],
    out: &mut Vec<Finding>,
) {
    // Entities already introduced by name, and entities whose first acronym has
    // been looked at.
    let mut named: HashSet<&str> = HashSet::new();
    let mut done: HashSet<&str> = HashSet::new();
    for (k, m) in mentions.iter().enumerate() {
        let id: &str = &m.entity;
        let sentence = sentence_of(sentences, &m.range);
        if sentence.is_none() && !sentences.is_empty() {
            continue;
        }
        // Once an entity is named or its first acronym judged, its later mentions
        // change nothing; nor do the mentions of an entity that has no acronym. Both
        // skip `form_of`, which folds every form of the entity.
        if named.contains(id) || done.contains(id) {
            continue;
        }
        let Some(entity) = kb.get(id) else { continue };
        if !entity.has_acronyms() {
            continue;
        }
        let Some(surface) = text.get(m.range.clone()) else {
            continue;
        };
        match entity.form_of(surface) {
            Some(Form::Name | Form::Alias) => {
                named.insert(id);
                continue;
            }
            Some(Form::Acronym) => {}
            _ => continue,
        }
        if named.contains(id) || !done.insert(id) || is_well_known(surface) {
            continue;
        }
        if in_parentheses(text, &m.range)
            || expanded_after(text, m, mentions.get(k + 1..).unwrap_or_default(), entity)
        {
            continue;
        }
        out.push(acronym_finding(text, m, entity, lang, sentence));
    }
}

fn is_well_known(acronym: &str) -> bool {
    let a = acronym.trim();
    WELL_KNOWN.contains(&a)
        || a.strip_prefix("COP")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether the acronym stands alone in parentheses after some words, as in
/// `mission civile de l’Union européenne en Arménie (EUMA)`: the writer has just
/// spelt it out, in words the knowledge base need not know.
fn in_parentheses(text: &str, range: &Range<usize>) -> bool {
    let before = text.get(..range.start).unwrap_or_default().trim_end();
    let after = text.get(range.end..).unwrap_or_default().trim_start();
    let Some(lead) = before.strip_suffix('(') else {
        return false;
    };
    after.starts_with(')')
        && lead
            .trim_end()
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric)
}

/// Whether the acronym is followed at once by a name of the same entity, as in
/// `OTSC (Organisation du traité de sécurité collective)`.
fn expanded_after(text: &str, m: &Mention, later: &[&Mention], entity: &Entity) -> bool {
    let Some(next) = later.iter().find(|n| n.entity == m.entity) else {
        return false;
    };
    let Some(gap) = text.get(m.range.end..next.range.start) else {
        return false;
    };
    let only_punctuation = gap
        .chars()
        .all(|c| c.is_whitespace() || matches!(c, '(' | ',' | ':' | '–' | '—' | '-' | '['));
    only_punctuation
        && gap.chars().count() <= 4
        && text
            .get(next.range.clone())
            .and_then(|s| entity.form_of(s))
            .is_some_and(|f| matches!(f, Form::Name | Form::Alias))
}

fn acronym_finding(
    text: &str,
    m: &Mention,
    entity: &Entity,
    lang: Lang,
    sentence: Option<Range<usize>>,
) -> Finding {
    let acronym = &text[m.range.clone()];
    let name = entity.name(lang);
    // A name that contains the acronym (`Bayraktar TB2` for `TB2`) is its own
    // expansion: `Bayraktar TB2 (TB2)` would say it twice.
    let contains = normalize::key(name)
        .split(' ')
        .any(|word| word == normalize::key(acronym));
    let expansion = if contains {
        name.to_string()
    } else {
        format!("{name} ({acronym})")
    };
    let replacement = if contains || article_fits(text, m.range.start, name, lang) {
        expansion.clone()
    } else {
        format!("{acronym} ({name})")
    };
    let (message, help, title) = match lang {
        Lang::Fr => (
            format!("« {acronym} » : sigle non développé à sa première mention"),
            format!("Développez-le à la première mention : « {expansion} »."),
            format!("Développer en « {replacement} »"),
        ),
        Lang::En => (
            format!("\"{acronym}\" is not spelt out at its first mention"),
            format!("Spell it out at first mention: \"{expansion}\"."),
            format!("Expand to \"{replacement}\""),
        ),
    };
    Finding {
        rule: Rule::AcronymFirstUse,
        severity: Rule::AcronymFirstUse.default_severity(),
        range: m.range.clone(),
        sentence: sentence.unwrap_or_else(|| m.range.clone()),
        cue: acronym.to_string(),
        message,
        help,
        fixes: vec![Fix {
            title,
            edits: vec![Edit {
                range: m.range.clone(),
                replacement,
            }],
        }],
    }
}

/// Whether the word before `at` still reads right when `name` replaces the acronym:
/// a French elided word (`l’`, `d’`, `qu’`, ...) needs a name starting with a vowel,
/// a French word that elides (`le`, `de`, ...) a name starting with a consonant, and
/// an English `a` or `an` a name of the matching sound.
fn article_fits(text: &str, at: usize, name: &str, lang: Lang) -> bool {
    let before = text.get(..at).unwrap_or_default();
    let folded = normalize::key(name);
    let starts_with_vowel = folded
        .chars()
        .next()
        .is_some_and(|c| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y'));
    // English sounds a few vowel letters as a consonant: "a European", "a Union".
    let vowel_sound = starts_with_vowel
        && !["eu", "uni", "uk", "us", "ur", "one"]
            .iter()
            .any(|p| folded.starts_with(p));
    let mut rev = before.chars().rev();
    match rev.next() {
        Some(c) if normalize::is_apostrophe(c) || c == '\'' => {
            // An elided word: one of French's elided forms before the apostrophe.
            let mut word: Vec<char> = rev.take_while(|c| c.is_alphabetic()).collect();
            word.reverse();
            let word: String = word.into_iter().collect::<String>().to_lowercase();
            let elided = matches!(
                word.as_str(),
                "l" | "d"
                    | "qu"
                    | "j"
                    | "m"
                    | "n"
                    | "s"
                    | "t"
                    | "c"
                    | "jusqu"
                    | "lorsqu"
                    | "puisqu"
            );
            !elided || starts_with_vowel
        }
        Some(c) if c.is_whitespace() => {
            let word = before
                .trim_end()
                .rsplit(|c: char| !c.is_alphabetic())
                .next()
                .unwrap_or_default()
                .to_lowercase();
            match (lang, word.as_str()) {
                (Lang::En, "a") => !vowel_sound,
                (Lang::En, "an") => vowel_sound,
                // These French words elide before a vowel: `le` + `Organisation`
                // would have to become `l’Organisation`.
                (
                    Lang::Fr,
                    "le" | "la" | "de" | "du" | "que" | "ce" | "se" | "ne" | "je" | "me" | "te",
                ) => !starts_with_vowel,
                _ => true,
            }
        }
        _ => true,
    }
}

/// The sentence containing the start of `range`, if any.
fn sentence_of(sentences: &[Range<usize>], range: &Range<usize>) -> Option<Range<usize>> {
    let k = sentences.partition_point(|s| s.start <= range.start);
    let s = sentences.get(k.checked_sub(1)?)?;
    (range.start < s.end).then(|| s.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kb::fixture;
    use std::sync::Arc;

    /// The fixture's mentions in `text`, as the analysis would give them.
    fn mentions(kb: &Kb, text: &str) -> Vec<Mention> {
        kb.find(text)
            .into_iter()
            .map(|m| Mention {
                surface: text[m.range.clone()].to_string(),
                entity: Arc::from(kb.entities()[m.entity].id.as_str()),
                range: m.range,
            })
            .collect()
    }

    /// Runs the rules over `text` as one prose block and one sentence.
    fn run(text: &str, lang: Lang) -> Vec<Finding> {
        let kb = fixture::kb();
        let whole = 0..text.len();
        check(
            text,
            &mentions(&kb, text),
            &kb,
            lang,
            std::slice::from_ref(&whole),
        )
    }

    /// The text with each finding's first fix applied, and the rule codes.
    fn fixed(text: &str, lang: Lang) -> (String, Vec<&'static str>) {
        let findings = run(text, lang);
        let mut out = text.to_string();
        let mut edits: Vec<&Edit> = findings.iter().flat_map(|f| &f.fixes[0].edits).collect();
        edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
        for e in edits {
            out.replace_range(e.range.clone(), &e.replacement);
        }
        (out, findings.iter().map(|f| f.rule.code()).collect())
    }

    #[test]
    fn house_spelling_of_the_document_language() {
        let (text, rules) = fixed("Le Premier ministre Pashinyan a parlé.", Lang::Fr);
        assert_eq!(text, "Le Premier ministre Pachinian a parlé.");
        assert_eq!(rules, vec!["entities/house-spelling"]);
        let f = &run("Selon Pashinyan, rien.", Lang::Fr)[0];
        assert_eq!(f.cue, "Pashinyan");
        assert_eq!(f.severity, Rule::HouseSpelling.default_severity());
        assert_eq!(
            f.message,
            "« Pashinyan » : l’orthographe maison est « Pachinian »"
        );
        assert_eq!(f.sentence, 0.."Selon Pashinyan, rien.".len());
        // English has its own house spelling, and French variants do not apply.
        assert!(run("Prime Minister Pashinyan spoke.", Lang::En).is_empty());
        assert_eq!(
            fixed("Mr Pachinian spoke.", Lang::En).0,
            "Mr Pashinyan spoke."
        );
        assert!(run("M. Pachinian a parlé.", Lang::Fr).is_empty());
        assert!(run("M. PACHINIAN a parlé.", Lang::Fr).is_empty());
    }

    #[test]
    fn house_spelling_longest_variant_and_accents() {
        assert_eq!(
            fixed("Nikol Pashinyan a parlé.", Lang::Fr).0,
            "Nikol Pachinian a parlé."
        );
        assert_eq!(
            fixed("M. Pachinyan a parlé.", Lang::Fr).0,
            "M. Pachinian a parlé."
        );
        // An accent alone makes the difference between house spelling and variant.
        assert_eq!(
            fixed("M. Erdogan a parlé.", Lang::Fr).0,
            "M. Erdoğan a parlé."
        );
        assert!(run("M. Erdoğan a parlé.", Lang::Fr).is_empty());
        assert!(run("M. Erdog\u{306}an a parlé.", Lang::Fr).is_empty());
        assert!(run("Mr Erdogan spoke.", Lang::En).is_empty());
    }

    #[test]
    fn acronym_expansion_keeps_french_elision() {
        let (text, rules) = fixed("L’Arménie a gelé sa participation à l’OTSC.", Lang::Fr);
        assert_eq!(
            text,
            "L’Arménie a gelé sa participation à l’Organisation du traité de sécurité collective (OTSC)."
        );
        assert_eq!(rules, vec!["style/acronym-first-use"]);
        let f = &run("À l’OTSC, rien.", Lang::Fr)[0];
        assert_eq!(f.cue, "OTSC");
        assert_eq!(f.severity, Rule::AcronymFirstUse.default_severity());
        assert_eq!(
            f.message,
            "« OTSC » : sigle non développé à sa première mention"
        );
        // A name starting with a consonant does not fit `l’`: the expansion follows.
        assert_eq!(
            fixed("Les observateurs de l’EUMA patrouillent.", Lang::Fr).0,
            "Les observateurs de l’EUMA (Mission de l’Union européenne en Arménie) patrouillent."
        );
    }

    #[test]
    fn acronym_expansion_in_english() {
        assert_eq!(
            fixed("Armenia froze its role in the CSTO.", Lang::En).0,
            "Armenia froze its role in the Collective Security Treaty Organization (CSTO)."
        );
        // `an` does not fit `European`, so the expansion follows the acronym.
        assert_eq!(
            fixed("It is an EUMA patrol.", Lang::En).0,
            "It is an EUMA (European Union Mission in Armenia) patrol."
        );
        assert_eq!(
            fixed("It is a CSTO drill.", Lang::En).0,
            "It is a Collective Security Treaty Organization (CSTO) drill."
        );
    }

    #[test]
    fn acronym_already_expanded_or_well_known() {
        for text in [
            "L’Organisation du traité de sécurité collective (OTSC) s’est réunie. L’OTSC a tranché.",
            "L’OTSC (Organisation du traité de sécurité collective) s’est réunie.",
            "L’ONU et l’UE, à la COP29.",
            "MBDA livre des missiles.",
            "La mission civile européenne en Arménie (EUMA) patrouille.",
        ] {
            assert!(run(text, Lang::Fr).is_empty(), "{text}");
        }
        // A name that contains the acronym replaces it.
        let kb = fixture::kb();
        let text = "Le TB2 vole.";
        let findings = check(
            text,
            &mentions(&kb, text),
            &kb,
            Lang::Fr,
            std::slice::from_ref(&(0..text.len())),
        );
        assert_eq!(findings[0].fixes[0].edits[0].replacement, "Bayraktar TB2");
        // One hint per entity, on its first acronym.
        let findings = run("L’OTSC, puis l’OTSC, puis l’ОДКБ.", Lang::Fr);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].range, "L’".len().."L’OTSC".len());
        // The fix uses the document's language, whatever the acronym's; a French
        // word that would need eliding keeps the acronym first.
        assert_eq!(
            fixed("Selon la CSTO, rien.", Lang::Fr).0,
            "Selon la CSTO (Organisation du traité de sécurité collective), rien."
        );
        assert_eq!(
            fixed("Selon CSTO, rien.", Lang::Fr).0,
            "Selon Organisation du traité de sécurité collective (CSTO), rien."
        );
    }

    #[test]
    fn headings_are_not_first_mentions() {
        let kb = fixture::kb();
        let text =
            "L’OTSC en crise\n\nL’Organisation du traité de sécurité collective (OTSC) vacille.";
        let body = text.find("\n\n").map_or(0, |i| i + 2)..text.len();
        assert!(check(text, &mentions(&kb, text), &kb, Lang::Fr, &[body]).is_empty());
    }

    #[test]
    fn strict_keys() {
        assert_eq!(strict_key("Erdoğan"), strict_key("ERDOĞAN"));
        assert_eq!(strict_key("Erdoğan"), strict_key("Erdog\u{306}an"));
        assert_ne!(strict_key("Erdoğan"), strict_key("Erdogan"));
        assert_eq!(strict_key("Haut\u{2011}Karabakh"), "haut-karabakh");
        assert_eq!(
            strict_key(" Nikol\u{a0}\u{a0}Pachinian "),
            "nikol pachinian"
        );
    }
}
