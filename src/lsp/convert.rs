//! The one place where byte offsets meet LSP positions.
//!
//! The analysis and the corpus work in byte offsets into UTF-8 text. LSP positions
//! are a line and a column counted in the negotiated [`Encoding`]: UTF-8 bytes when
//! the client offers it, UTF-16 code units otherwise (the protocol's default).
//! Every conversion goes through [`crate::text::LineIndex`] or, for incoming edits
//! applied to a rope, through [`rope_char_index`], which follows the same rules:
//! lines end at `\n`, `\r\n` or a lone `\r` (as LSP says, and as `copydesk check`
//! counts them), a column past the end of its line is clamped to the line end, a line
//! past the end of the text gives the end of the text, and a column inside a character
//! (half of a surrogate pair) goes to that character's start. Nothing here panics on a
//! position from an editor.

use crate::corpus::SitePos;
use crate::text::{ColumnUnit, LineCol, LineIndex};
use ropey::Rope;
use std::ops::Range;
use tower_lsp_server::ls_types::{
    ClientCapabilities, Position, PositionEncodingKind, Range as LspRange,
};

/// The unit LSP columns are counted in, as negotiated at `initialize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
}

impl Encoding {
    /// Picks UTF-8 when the client lists it among its position encodings, else UTF-16,
    /// which every client must support.
    pub fn negotiate(caps: &ClientCapabilities) -> Encoding {
        let offered = caps
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref());
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    /// The value to announce in `ServerCapabilities::position_encoding`.
    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    /// The matching column unit of the line index.
    pub fn unit(self) -> ColumnUnit {
        match self {
            Encoding::Utf8 => ColumnUnit::Utf8,
            Encoding::Utf16 => ColumnUnit::Utf16,
        }
    }
}

/// A text with its line index and the negotiated encoding: converts in both directions.
#[derive(Clone, Copy)]
pub struct LineMap<'a> {
    pub text: &'a str,
    pub index: &'a LineIndex,
    pub encoding: Encoding,
}

impl<'a> LineMap<'a> {
    pub fn new(text: &'a str, index: &'a LineIndex, encoding: Encoding) -> LineMap<'a> {
        LineMap {
            text,
            index,
            encoding,
        }
    }

    /// The LSP position of a byte offset (clamped to the text).
    pub fn position(&self, offset: usize) -> Position {
        let LineCol { line, col } = self.index.position(self.text, offset, self.encoding.unit());
        Position::new(line, col)
    }

    /// The LSP range of a byte range.
    pub fn range(&self, range: Range<usize>) -> LspRange {
        LspRange::new(self.position(range.start), self.position(range.end))
    }

    /// The byte offset of an LSP position, clamped to the text and to character
    /// boundaries.
    pub fn offset(&self, pos: Position) -> usize {
        self.index.offset(
            self.text,
            LineCol {
                line: pos.line,
                col: pos.character,
            },
            self.encoding.unit(),
        )
    }

    /// The byte range of an LSP range; a reversed range is put in order.
    pub fn byte_range(&self, range: LspRange) -> Range<usize> {
        let (a, b) = (self.offset(range.start), self.offset(range.end));
        a.min(b)..a.max(b)
    }
}

/// The LSP position of a position stored in the corpus, which keeps both units so
/// that references never need to reread a file.
pub fn site_position(pos: SitePos, encoding: Encoding) -> Position {
    let character = match encoding {
        Encoding::Utf8 => pos.utf8,
        Encoding::Utf16 => pos.utf16,
    };
    Position::new(pos.line, character)
}

/// The char index in `rope` of an LSP position, with the same clamping rules as
/// [`LineIndex::offset`]. Ropey is built with its `cr_lines` feature and without
/// `unicode_lines`, so that its lines are the line index's lines.
///
/// Every step is one of the rope's own O(log n) conversions, so an edit on a line of
/// megabytes costs no more than one on a short line.
pub fn rope_char_index(rope: &Rope, pos: Position, encoding: Encoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_chars();
    }
    let start = rope.line_to_char(line);
    // The line ending is not part of the line's columns: the line ends before its
    // `\n`, `\r\n` or `\r`, as in the line index.
    let mut end = if line + 1 < rope.len_lines() {
        rope.line_to_char(line + 1)
    } else {
        rope.len_chars()
    };
    if end > start && rope.char(end - 1) == '\n' {
        end -= 1;
    }
    if end > start && rope.char(end - 1) == '\r' {
        end -= 1;
    }
    let column = pos.character as usize;
    // A column inside a character (half of a surrogate pair, a byte inside a UTF-8
    // sequence) goes to that character's start, which is what ropey's conversions do.
    match encoding {
        Encoding::Utf8 => {
            let target = rope.char_to_byte(start).saturating_add(column);
            if target >= rope.char_to_byte(end) {
                end
            } else {
                rope.byte_to_char(target)
            }
        }
        Encoding::Utf16 => {
            let target = rope.char_to_utf16_cu(start).saturating_add(column);
            if target >= rope.char_to_utf16_cu(end) {
                end
            } else {
                rope.utf16_cu_to_char(target)
            }
        }
    }
}

/// The char range in `rope` of an LSP range, put in order.
pub fn rope_char_range(rope: &Rope, range: LspRange, encoding: Encoding) -> Range<usize> {
    let a = rope_char_index(rope, range.start, encoding);
    let b = rope_char_index(rope, range.end, encoding);
    a.min(b)..a.max(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position::new(line, character)
    }

    /// Converts `offset` to a position and back, and checks the rope agrees.
    fn check(text: &str, offset: usize, enc: Encoding, expected: Position, back: usize) {
        let index = LineIndex::new(text);
        let map = LineMap::new(text, &index, enc);
        let got = map.position(offset);
        assert_eq!(got, expected, "{text:?} @ {offset} {enc:?}");
        let off = map.offset(got);
        assert_eq!(off, back, "{text:?} @ {offset} {enc:?} back");
        let rope = Rope::from_str(text);
        let ch = rope_char_index(&rope, got, enc);
        assert_eq!(
            rope.char_to_byte(ch),
            back,
            "{text:?} @ {offset} {enc:?} rope"
        );
    }

    #[test]
    fn conversion_table() {
        use Encoding::{Utf8, Utf16};
        // (text, byte offset, encoding, expected position, byte offset it maps back to)
        let table: &[(&str, usize, Encoding, Position, usize)] = &[
            // Empty document: the only position is 0:0.
            ("", 0, Utf16, pos(0, 0), 0),
            ("", 5, Utf16, pos(0, 0), 0),
            // End of file, with and without a final newline.
            ("abc", 3, Utf16, pos(0, 3), 3),
            ("abc\n", 4, Utf16, pos(1, 0), 4),
            ("abc", 99, Utf16, pos(0, 3), 3),
            // CRLF: the `\r` belongs to the line ending.
            ("a\r\nb", 1, Utf16, pos(0, 1), 1),
            ("a\r\nb", 3, Utf16, pos(1, 0), 3),
            ("a\r\nb", 4, Utf16, pos(1, 1), 4),
            // A lone CR ends a line too, and so does a CR before a CRLF.
            ("a\rb", 1, Utf16, pos(0, 1), 1),
            ("a\rb", 2, Utf16, pos(1, 0), 2),
            ("a\r\r\nb", 4, Utf16, pos(2, 0), 4),
            ("a\n\rb", 3, Utf16, pos(2, 0), 3),
            // An emoji is two UTF-16 units and four bytes.
            ("😀x", 4, Utf16, pos(0, 2), 4),
            ("😀x", 4, Utf8, pos(0, 4), 4),
            ("😀x", 5, Utf16, pos(0, 3), 5),
            // Inside the emoji: moved back to its start.
            ("😀x", 2, Utf16, pos(0, 0), 0),
            // A combining accent is its own code point.
            ("e\u{301}x", 3, Utf16, pos(0, 2), 3),
            ("e\u{301}x", 3, Utf8, pos(0, 3), 3),
            // NBSP (two bytes, one unit) and narrow NBSP (three bytes, one unit).
            ("a\u{a0}b", 3, Utf16, pos(0, 2), 3),
            ("a\u{202f}b", 4, Utf16, pos(0, 2), 4),
            ("a\u{202f}b", 4, Utf8, pos(0, 4), 4),
            // French quotation marks with narrow NBSP, on a second line.
            ("x\n«\u{202f}OTSC\u{202f}»", 7, Utf16, pos(1, 2), 7),
        ];
        for &(text, offset, enc, expected, back) in table {
            check(text, offset, enc, expected, back);
        }
    }

    #[test]
    fn clamps_positions_from_the_editor() {
        let text = "ab\r\ncd\n😀e";
        let index = LineIndex::new(text);
        let rope = Rope::from_str(text);
        for enc in [Encoding::Utf8, Encoding::Utf16] {
            let map = LineMap::new(text, &index, enc);
            // (position, expected byte offset)
            let table = [
                // A column past the end of the line stops before the CRLF.
                (pos(0, 99), 2),
                // A line past the end gives the end of the text.
                (pos(9, 0), text.len()),
                (pos(u32::MAX, u32::MAX), text.len()),
                (pos(1, 2), 6),
                (pos(1, 3), 6),
            ];
            for (p, expected) in table {
                assert_eq!(map.offset(p), expected, "{p:?} {enc:?}");
                let ch = rope_char_index(&rope, p, enc);
                assert_eq!(rope.char_to_byte(ch), expected, "{p:?} {enc:?} rope");
            }
        }
        // A UTF-16 column inside the surrogate pair goes to the emoji's start.
        let map = LineMap::new(text, &index, Encoding::Utf16);
        assert_eq!(map.offset(pos(2, 1)), 7);
        assert_eq!(
            rope.char_to_byte(rope_char_index(&rope, pos(2, 1), Encoding::Utf16)),
            7
        );
        // A UTF-8 column inside the emoji's bytes goes to its start too.
        let map = LineMap::new(text, &index, Encoding::Utf8);
        assert_eq!(map.offset(pos(2, 3)), 7);
        assert_eq!(
            rope.char_to_byte(rope_char_index(&rope, pos(2, 3), Encoding::Utf8)),
            7
        );
    }

    #[test]
    fn reversed_ranges_are_ordered() {
        let text = "hello";
        let index = LineIndex::new(text);
        let map = LineMap::new(text, &index, Encoding::Utf16);
        assert_eq!(map.byte_range(LspRange::new(pos(0, 4), pos(0, 1))), 1..4);
    }

    #[test]
    fn negotiates_utf8_only_when_offered() {
        let mut caps = ClientCapabilities::default();
        assert_eq!(Encoding::negotiate(&caps), Encoding::Utf16);
        caps.general = Some(tower_lsp_server::ls_types::GeneralClientCapabilities {
            position_encodings: Some(vec![PositionEncodingKind::UTF16]),
            ..Default::default()
        });
        assert_eq!(Encoding::negotiate(&caps), Encoding::Utf16);
        caps.general = Some(tower_lsp_server::ls_types::GeneralClientCapabilities {
            position_encodings: Some(vec![
                PositionEncodingKind::UTF8,
                PositionEncodingKind::UTF16,
            ]),
            ..Default::default()
        });
        assert_eq!(Encoding::negotiate(&caps), Encoding::Utf8);
    }

    proptest::proptest! {
        /// The rope and the line index agree on every position, in range or not.
        #[test]
        fn rope_agrees_with_line_index(
            text in "(a|é|😀|\r\n|\n|\r|\u{a0}|\u{301}| ){0,24}",
            line in 0u32..6,
            character in 0u32..12,
            utf8 in proptest::bool::ANY,
        ) {
            let enc = if utf8 { Encoding::Utf8 } else { Encoding::Utf16 };
            let index = LineIndex::new(&text);
            let map = LineMap::new(&text, &index, enc);
            let rope = Rope::from_str(&text);
            let p = pos(line, character);
            let ch = rope_char_index(&rope, p, enc);
            proptest::prop_assert_eq!(rope.char_to_byte(ch), map.offset(p));
        }
    }
}
