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

/// Bytes between two checkpoints of a long line (see [`LineIndex`]).
const CHECKPOINT: usize = 1024;

/// A place inside a long line, with its column from the line start in the units that
/// need counting.
#[derive(Debug, Clone, Copy)]
struct Checkpoint {
    offset: usize,
    utf16: usize,
    chars: usize,
}

impl Checkpoint {
    fn units(&self, unit: ColumnUnit, line_start: usize) -> usize {
        match unit {
            ColumnUnit::Utf8 => self.offset - line_start,
            ColumnUnit::Utf16 => self.utf16,
            ColumnUnit::Char => self.chars,
        }
    }
}

/// Start offsets of every line of a text, for fast offset ↔ position conversion.
///
/// A column is counted from the start of its line. So that a conversion costs the same
/// on a line of three megabytes (a paragraph exported without line breaks) as on a line
/// of eighty characters, lines longer than [`CHECKPOINT`] bytes carry checkpoints every
/// [`CHECKPOINT`] bytes with their columns: a conversion counts from the nearest one.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset where each line starts; always begins with 0.
    starts: Vec<usize>,
    len: usize,
    /// The checkpoints of every long line, in text order.
    checkpoints: Vec<Checkpoint>,
}

impl LineIndex {
    /// Indexes `text`. Lines end at `\n`, `\r\n` or a lone `\r`, as in LSP (old Mac
    /// files and some CMS exports end lines with `\r` alone).
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        starts.extend(
            memchr::memchr2_iter(b'\n', b'\r', bytes)
                // The `\r` of a `\r\n` does not end a line: its `\n` does.
                .filter(|&i| !(bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n')))
                .map(|i| i + 1),
        );
        let mut index = LineIndex {
            starts,
            len: text.len(),
            checkpoints: Vec::new(),
        };
        for line in 0..index.starts.len() {
            let start = index.starts[line];
            let next = index.starts.get(line + 1).copied().unwrap_or(text.len());
            if next - start > CHECKPOINT {
                let end = index.line_range(text, line).end;
                index.add_checkpoints(text, start..end);
            }
        }
        index
    }

    /// Adds the checkpoints of one long line.
    fn add_checkpoints(&mut self, text: &str, line: Range<usize>) {
        let (mut at, mut utf16, mut chars) = (line.start, 0, 0);
        loop {
            let next = floor_char_boundary(text, at + CHECKPOINT);
            if next >= line.end || next <= at {
                return;
            }
            // Each character has one lead byte, and four-byte characters take two UTF-16 units.
            for &b in &text.as_bytes()[at..next] {
                if b & 0xC0 != 0x80 {
                    chars += 1;
                    utf16 += 1;
                }
                if b >= 0xF0 {
                    utf16 += 1;
                }
            }
            self.checkpoints.push(Checkpoint {
                offset: next,
                utf16,
                chars,
            });
            at = next;
        }
    }

    /// The checkpoints inside `line` (a byte range).
    fn checkpoints_in(&self, line: &Range<usize>) -> &[Checkpoint] {
        let from = self.checkpoints.partition_point(|c| c.offset < line.start);
        let to = self.checkpoints.partition_point(|c| c.offset <= line.end);
        &self.checkpoints[from..to.max(from)]
    }

    /// Number of lines (a text ending in a line break has an empty last line).
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
        // The line break: `\n`, `\r\n` or `\r`.
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
        // Count from the last checkpoint of the line before the offset, if any.
        let (from, base) = if unit == ColumnUnit::Utf8 || offset - start <= CHECKPOINT {
            (start, 0)
        } else {
            self.checkpoints_in(&(start..offset))
                .last()
                .map_or((start, 0), |c| (c.offset, c.units(unit, start)))
        };
        let col = base + count_units(&text[from..offset], unit);
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
        let col = pos.col as usize;
        if unit == ColumnUnit::Utf8 {
            let target = range.start.saturating_add(col);
            return if target >= range.end {
                range.end
            } else {
                floor_char_boundary(text, target)
            };
        }
        // Start from the last checkpoint at or before the column: every character
        // before it ends at or before the column.
        let checkpoints = self.checkpoints_in(&range);
        let k = checkpoints.partition_point(|c| c.units(unit, range.start) <= col);
        let (from, mut units) = match k.checked_sub(1).map(|k| checkpoints[k]) {
            Some(c) => (c.offset, c.units(unit, range.start)),
            None => (range.start, 0),
        };
        for (i, ch) in text[from..range.end].char_indices() {
            let w = unit_width(ch, unit);
            if units + w > col {
                return from + i;
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
            // A lone `\r` ends a line, as in LSP.
            ("a\rb", 2, ColumnUnit::Utf16, 1, 0),
            ("a\rb", 3, ColumnUnit::Utf16, 1, 1),
            ("a\r\rb", 3, ColumnUnit::Utf16, 2, 0),
            ("a\n\rb", 3, ColumnUnit::Utf16, 2, 0),
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

    /// The conversions as they were first written, counting from the line start: the
    /// reference for the checkpoints of long lines.
    fn naive_position(text: &str, offset: usize, unit: ColumnUnit) -> LineCol {
        let offset = floor_char_boundary(text, offset);
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        LineCol {
            line: text[..offset].matches('\n').count() as u32,
            col: count_units(&text[line_start..offset], unit) as u32,
        }
    }

    fn naive_offset(text: &str, pos: LineCol, unit: ColumnUnit) -> usize {
        let Some(start) = text
            .match_indices('\n')
            .map(|(i, _)| i + 1)
            .nth((pos.line as usize).wrapping_sub(1))
            .or((pos.line == 0).then_some(0))
        else {
            return text.len();
        };
        let line = text[start..].split('\n').next().unwrap_or("");
        let line = line.strip_suffix('\r').unwrap_or(line);
        let mut units = 0;
        for (i, ch) in line.char_indices() {
            if units + unit_width(ch, unit) > pos.col as usize {
                return start + i;
            }
            units += unit_width(ch, unit);
        }
        start + line.len()
    }

    #[test]
    fn long_lines_convert_like_short_ones() {
        // Lines of a few checkpoints, with characters of every width, and a short line.
        let palette = ["a", "é", "😀", "日", " ", "\u{202f}"];
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut text = String::new();
        for line in 0..4 {
            for _ in 0..(3000 * line + 10) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(palette[(seed % palette.len() as u64) as usize]);
            }
            text.push_str(if line % 2 == 0 { "\n" } else { "\r\n" });
        }
        let index = LineIndex::new(&text);
        assert!(!index.checkpoints.is_empty());
        for unit in [ColumnUnit::Utf8, ColumnUnit::Utf16, ColumnUnit::Char] {
            for offset in (0..=text.len()).step_by(7) {
                let pos = index.position(&text, offset, unit);
                assert_eq!(
                    pos,
                    naive_position(&text, offset, unit),
                    "{offset} {unit:?}"
                );
                if text.as_bytes()[..offset].ends_with(b"\r") {
                    // Inside a CRLF: the position is past the line end, which maps
                    // back to the line end.
                    continue;
                }
                assert_eq!(
                    index.offset(&text, pos, unit),
                    floor_char_boundary(&text, offset),
                    "{offset} {unit:?} back"
                );
            }
            for line in 0..5 {
                for col in (0..25_000).step_by(13) {
                    let pos = LineCol { line, col };
                    assert_eq!(
                        index.offset(&text, pos, unit),
                        naive_offset(&text, pos, unit),
                        "{pos:?} {unit:?}"
                    );
                }
            }
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
