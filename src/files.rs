//! Reading articles from disk: regular files only, up to a size limit.
//!
//! `copydesk check` and the language server read the same way, so that a path that is
//! a folder, a named pipe, a device (`/dev/zero`) or a process's own standard input
//! (`/proc/self/fd/0`) is refused with a clear reason instead of being read without
//! end or blocking the reader, and a file too large to analyse quickly is refused
//! before it is read. The language server receives such paths from editors as
//! `file:` URIs, which may name anything.

use std::fs::{File, FileType, Metadata};
use std::io::{self, Read};
use std::path::Path;

/// The size limit of `copydesk check` (its `--max-file-size` default) and of the
/// language server, for files on disk and open documents alike.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    Io(io::Error),
    /// The path is not a regular file: what it is instead.
    NotAFile(&'static str),
    /// The file is larger than the limit (its size as far as it is known).
    TooLarge {
        size: u64,
        max: u64,
    },
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::NotAFile(what) => write!(f, "not a regular file but {what}"),
            ReadError::TooLarge { size, max } => write!(
                f,
                "larger than the maximum file size of {} ({})",
                human_size(*max),
                human_size(*size)
            ),
        }
    }
}

impl std::error::Error for ReadError {}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> Self {
        ReadError::Io(e)
    }
}

/// Opens `path` for reading if it is a regular file (symbolic links are followed) and
/// returns it with its size. The type is checked before opening, since opening a
/// named pipe waits for a writer, and again on the open file, in case the path
/// changed in between.
pub fn open_regular(path: &Path) -> Result<(File, u64), ReadError> {
    check_regular(&std::fs::metadata(path)?)?;
    let file = File::open(path)?;
    let meta = file.metadata()?;
    check_regular(&meta)?;
    Ok((file, meta.len()))
}

fn check_regular(meta: &Metadata) -> Result<(), ReadError> {
    if meta.is_file() {
        Ok(())
    } else {
        Err(ReadError::NotAFile(describe(&meta.file_type())))
    }
}

/// What a file that is not a regular file is, in words.
fn describe(t: &FileType) -> &'static str {
    if t.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "a special file"
}

/// Reads a regular file of at most `max` bytes. A file that grows past `max` while
/// it is read is refused too: at most `max + 1` bytes are ever read.
pub fn read_regular(path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    let (file, size) = open_regular(path)?;
    if size > max {
        return Err(ReadError::TooLarge { size, max });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            max,
        });
    }
    Ok(bytes)
}

/// A size in bytes, KiB, MiB or GiB, as people read it.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (unit, size) in UNITS {
        if bytes >= size {
            let value = bytes as f64 / size as f64;
            return if bytes % size == 0 {
                format!("{} {unit}", bytes / size)
            } else {
                format!("{value:.1} {unit}")
            };
        }
    }
    format!("{bytes} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_regular_files_up_to_the_limit() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("a.md");
        std::fs::write(&path, "0123456789").expect("write");
        assert_eq!(read_regular(&path, 10).expect("read"), b"0123456789");
        assert!(matches!(
            read_regular(&path, 9),
            Err(ReadError::TooLarge { size: 10, max: 9 })
        ));
        let err = read_regular(dir.path(), 10).expect_err("a folder");
        assert_eq!(err.to_string(), "not a regular file but a folder");
        assert!(matches!(
            read_regular(&dir.path().join("missing.md"), 10),
            Err(ReadError::Io(_))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn refuses_devices_pipes_and_standard_input() {
        // Each would be read without end, or would block: refused at once.
        for (path, what) in [
            ("/dev/zero", "a character device"),
            ("/dev/null", "a character device"),
        ] {
            let err = read_regular(Path::new(path), 1 << 20).expect_err(path);
            assert_eq!(err.to_string(), format!("not a regular file but {what}"));
        }
        let dir = tempfile::tempdir().expect("temporary folder");
        let fifo = dir.path().join("pipe.md");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let err = read_regular(&fifo, 1 << 20).expect_err("a named pipe");
            assert_eq!(err.to_string(), "not a regular file but a named pipe");
        }
    }

    #[test]
    fn sizes_read_like_people_write_them() {
        assert_eq!(human_size(512), "512 bytes");
        assert_eq!(human_size(10 << 20), "10 MiB");
        assert_eq!(human_size(1536), "1.5 KiB");
    }
}
