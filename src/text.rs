//! Line index: conversions between byte offsets and (line, column) positions.
//!
//! The whole analysis works in byte offsets into the UTF-8 source. Front ends need
//! lines and columns in some unit: the CLI prints 1-based character columns, SARIF
//! and LSP want UTF-16 code units (or UTF-8 bytes when the client negotiates it).
//! This module is the one place that knows how to convert, and it clamps instead of
//! panicking so that an out-of-range position from an editor can never crash us.

use std::ops::Range;

/// The unit a column is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnUnit {
    /// UTF-8 bytes (LSP `utf-8` position encoding).
    Utf8,
    /// UTF-16 code units (LSP default, SARIF default).
    Utf16,
    /// Unicode scalar values, which is what a person counts in a terminal.
    Char,
}

/// A zero-based line and column, the column counted in some [`ColumnUnit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Start offsets of every line of a text, for fast offset ↔ position conversion.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset where each line starts; always begins with 0.
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    /// Indexes `text`. Lines end at `\n`; a `\r` before it belongs to the line ending.
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// Number of lines (a text ending in `\n` has an empty last line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The byte range of line `line` without its line ending, clamped to the text.
    pub fn line_range(&self, text: &str, line: usize) -> Range<usize> {
        let Some(&start) = self.starts.get(line) else {
            return self.len..self.len;
        };
        let mut end = self.starts.get(line + 1).copied().unwrap_or(self.len);
        let bytes = text.as_bytes();
        if end > start && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end
    }

    /// Zero-based line holding byte `offset` (offsets past the end map to the last line).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Converts a byte offset to a position. The offset is clamped to the text and
    /// moved back to a character boundary first.
    pub fn position(&self, text: &str, offset: usize, unit: ColumnUnit) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.starts[line];
        let col = count_units(&text[start..offset], unit);
        LineCol {
            line: line as u32,
            col: col as u32,
        }
    }

    /// Converts a position back to a byte offset. A line past the end gives the end of
    /// the text; a column past the end of its line is clamped to the line end, and a
    /// column inside a character (half of a surrogate pair) goes to that character's start.
    pub fn offset(&self, text: &str, pos: LineCol, unit: ColumnUnit) -> usize {
        let line = pos.line as usize;
        if line >= self.starts.len() {
            return self.len;
        }
        let range = self.line_range(text, line);
        let line_text = &text[range.clone()];
        let mut units = 0usize;
        for (i, ch) in line_text.char_indices() {
            let w = unit_width(ch, unit);
            if units + w > pos.col as usize {
                return range.start + i;
            }
            units += w;
        }
        range.end
    }
}

fn unit_width(ch: char, unit: ColumnUnit) -> usize {
    match unit {
        ColumnUnit::Utf8 => ch.len_utf8(),
        ColumnUnit::Utf16 => ch.len_utf16(),
        ColumnUnit::Char => 1,
    }
}

/// Length of `s` in the given unit.
pub fn count_units(s: &str, unit: ColumnUnit) -> usize {
    match unit {
        ColumnUnit::Utf8 => s.len(),
        ColumnUnit::Utf16 => s.chars().map(char::len_utf16).sum(),
        ColumnUnit::Char => s.chars().count(),
    }
}

/// One byte in every lane of a `u64`, and the high bit of every lane: the constants of
/// the scans that test eight bytes at once.
pub const LANES_ONE: u64 = u64::from_le_bytes([1; 8]);
pub const LANES_HIGH: u64 = LANES_ONE * 0x80;

/// The eight bytes at `at` as a little-endian `u64` (byte `k` in bits `8k..8k + 8`), or
/// `None` when fewer than eight remain.
#[inline]
pub fn eight_bytes_at(bytes: &[u8], at: usize) -> Option<u64> {
    let chunk: [u8; 8] = bytes.get(at..at.checked_add(8)?)?.try_into().ok()?;
    Some(u64::from_le_bytes(chunk))
}

/// The largest character boundary at or before `offset`.
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut o = offset.min(text.len());
    while o > 0 && !text.is_char_boundary(o) {
        o -= 1;
    }
    o
}

/// The smallest character boundary at or after `offset`.
pub fn ceil_char_boundary(text: &str, offset: usize) -> usize {
    let mut o = offset.min(text.len());
    while o < text.len() && !text.is_char_boundary(o) {
        o += 1;
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(text: &str, offset: usize, unit: ColumnUnit) -> (LineCol, usize) {
        let idx = LineIndex::new(text);
        let pos = idx.position(text, offset, unit);
        (pos, idx.offset(text, pos, unit))
    }

    #[test]
    fn conversion_table() {
        // (text, byte offset, unit, expected line, expected column)
        let cases: &[(&str, usize, ColumnUnit, u32, u32)] = &[
            ("", 0, ColumnUnit::Utf16, 0, 0),
            ("abc", 3, ColumnUnit::Utf16, 0, 3),
            ("abc\n", 4, ColumnUnit::Utf16, 1, 0),
            ("a\r\nb", 3, ColumnUnit::Utf16, 1, 0),
            ("😀x", 4, ColumnUnit::Utf16, 0, 2),
            ("😀x", 4, ColumnUnit::Utf8, 0, 4),
            ("😀x", 4, ColumnUnit::Char, 0, 1),
            ("e\u{301}x", 3, ColumnUnit::Utf16, 0, 2),
            ("a\u{a0}b", 3, ColumnUnit::Utf16, 0, 2),
            ("a\u{202f}b", 4, ColumnUnit::Utf16, 0, 2),
            ("a\u{202f}b", 4, ColumnUnit::Utf8, 0, 4),
        ];
        for &(text, offset, unit, line, col) in cases {
            let (pos, back) = roundtrip(text, offset, unit);
            assert_eq!(pos, LineCol { line, col }, "{text:?} @ {offset} {unit:?}");
            assert_eq!(back, offset, "{text:?} @ {offset} {unit:?} back");
        }
    }

    #[test]
    fn clamps_out_of_range_positions() {
        let text = "ab\r\ncd";
        let idx = LineIndex::new(text);
        // A column past the end of the line stops before the CRLF.
        assert_eq!(
            idx.offset(text, LineCol { line: 0, col: 99 }, ColumnUnit::Utf16),
            2
        );
        // A line past the end gives the end of the text.
        assert_eq!(
            idx.offset(text, LineCol { line: 9, col: 0 }, ColumnUnit::Utf16),
            6
        );
        // An offset past the end is clamped.
        assert_eq!(
            idx.position(text, 99, ColumnUnit::Utf16),
            LineCol { line: 1, col: 2 }
        );
        // An offset inside a multi-byte character moves to its start.
        let emoji = "x😀";
        let idx = LineIndex::new(emoji);
        assert_eq!(
            idx.position(emoji, 3, ColumnUnit::Utf16),
            LineCol { line: 0, col: 1 }
        );
        // A UTF-16 column inside a surrogate pair goes to the character's start.
        assert_eq!(
            idx.offset(emoji, LineCol { line: 0, col: 2 }, ColumnUnit::Utf16),
            1
        );
    }
}
