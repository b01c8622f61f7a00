//! Progress of a long `check` on standard error: files done, total and rate.
//!
//! It is shown only where a person is watching: standard error is a terminal, the
//! format is `text`, and the `CI` environment variable is not set (CI logs are
//! files, where a line redrawn ten times a second is noise). `--progress` forces it
//! (then, on something that is not a terminal, it prints a plain line every few
//! seconds instead of redrawing one), `--no-progress` turns it off.
//!
//! The analysis threads only bump an atomic counter; a reporter thread reads it a few
//! times a second, so a run without progress pays nothing and one with progress pays
//! one relaxed increment per file. Short runs show nothing on a terminal: the first
//! report waits half a second. Forced onto something else (a log), progress ends
//! with a last line, so that the log says how many files were checked and how fast.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a run goes before the first report.
const FIRST_REPORT: Duration = Duration::from_millis(500);
/// How often a terminal line is redrawn.
const REDRAW: Duration = Duration::from_millis(200);
/// How often a plain line is printed when standard error is not a terminal.
const PLAIN_EVERY: Duration = Duration::from_secs(5);

/// Whether to show progress, from the flags and the surroundings.
pub fn wanted(
    flag: Option<bool>,
    err_is_terminal: bool,
    text_format: bool,
    ci: Option<&std::ffi::OsStr>,
) -> bool {
    if let Some(forced) = flag {
        return forced;
    }
    // `CI=false` or `CI=0` is someone saying it is not CI.
    let in_ci = ci.is_some_and(|v| !v.is_empty() && v != "false" && v != "0");
    err_is_terminal && text_format && !in_ci
}

/// The shared counter of files done.
#[derive(Debug, Default)]
pub struct Counter {
    done: AtomicUsize,
    total: AtomicUsize,
}

impl Counter {
    /// Records one more file done.
    pub fn tick(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    /// Sets how many files there are to do.
    pub fn set_total(&self, total: usize) {
        self.total.store(total, Ordering::Relaxed);
    }
}

/// A running reporter; [`Reporter::finish`] stops it and clears its line.
pub struct Reporter {
    counter: Arc<Counter>,
    stop: Arc<(Mutex<bool>, Condvar)>,
    drew: Arc<AtomicBool>,
    terminal: bool,
    started: Instant,
    thread: Option<JoinHandle<()>>,
}

impl Reporter {
    /// Starts reporting on standard error. `terminal` says whether it is one (redraw
    /// one line) or not (print a plain line now and then).
    pub fn start(terminal: bool) -> Reporter {
        let counter = Arc::new(Counter::default());
        let stop = Arc::new((Mutex::new(false), Condvar::new()));
        let drew = Arc::new(AtomicBool::new(false));
        let thread = {
            let (counter, stop, drew) =
                (Arc::clone(&counter), Arc::clone(&stop), Arc::clone(&drew));
            std::thread::Builder::new()
                .name("copydesk-progress".to_string())
                .spawn(move || report(&counter, &stop, &drew, terminal))
                .ok()
        };
        Reporter {
            counter,
            stop,
            drew,
            terminal,
            started: Instant::now(),
            thread,
        }
    }

    pub fn counter(&self) -> &Counter {
        &self.counter
    }

    /// Stops the reporter and, on a terminal, erases its line so that the report
    /// starts on a clean one.
    pub fn finish(mut self) {
        self.stop_thread();
    }

    fn stop_thread(&mut self) {
        {
            let (lock, cvar) = &*self.stop;
            *lock.lock().unwrap_or_else(PoisonError::into_inner) = true;
            cvar.notify_all();
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        let mut err = std::io::stderr().lock();
        if self.terminal {
            if self.drew.load(Ordering::Relaxed) {
                let _ = write!(err, "\r\x1b[2K");
            }
        } else {
            // In a log, the last line says how the run went, however short it was.
            let line = status_line(
                self.counter.done.load(Ordering::Relaxed),
                self.counter.total.load(Ordering::Relaxed),
                self.started.elapsed(),
            );
            let _ = writeln!(err, "{line}");
        }
        let _ = err.flush();
    }
}

impl Drop for Reporter {
    fn drop(&mut self) {
        if self.thread.is_some() {
            self.stop_thread();
        }
    }
}

/// The reporter thread: waits, then reports until told to stop.
fn report(counter: &Counter, stop: &(Mutex<bool>, Condvar), drew: &AtomicBool, terminal: bool) {
    let started = Instant::now();
    let (lock, cvar) = stop;
    let mut wait = FIRST_REPORT;
    loop {
        let guard = lock.lock().unwrap_or_else(PoisonError::into_inner);
        let (guard, _) = cvar
            .wait_timeout_while(guard, wait, |stopped| !*stopped)
            .unwrap_or_else(PoisonError::into_inner);
        if *guard {
            return;
        }
        drop(guard);
        let line = status_line(
            counter.done.load(Ordering::Relaxed),
            counter.total.load(Ordering::Relaxed),
            started.elapsed(),
        );
        let mut err = std::io::stderr().lock();
        let written = if terminal {
            write!(err, "\r\x1b[2K{line}")
        } else {
            writeln!(err, "{line}")
        };
        let _ = written.and_then(|()| err.flush());
        drew.store(true, Ordering::Relaxed);
        wait = if terminal { REDRAW } else { PLAIN_EVERY };
    }
}

/// `checked 1,234 / 10,000 files (12%, 2,345 files/s)`.
pub fn status_line(done: usize, total: usize, elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64();
    let rate = if secs > 0.0 {
        (done as f64 / secs).round() as usize
    } else {
        0
    };
    let percent = (done * 100).checked_div(total).unwrap_or(0);
    format!(
        "checked {} / {} files ({percent}%, {} files/s)",
        thousands(done),
        thousands(total),
        thousands(rate)
    )
}

/// `12345` → `12,345`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn shown_only_to_a_person_unless_asked() {
        assert!(wanted(None, true, true, None));
        assert!(!wanted(None, false, true, None), "a pipe");
        assert!(!wanted(None, true, false, None), "json, sarif, github");
        assert!(!wanted(None, true, true, Some(OsStr::new("true"))), "CI");
        assert!(wanted(None, true, true, Some(OsStr::new("false"))));
        assert!(wanted(Some(true), false, false, Some(OsStr::new("1"))));
        assert!(!wanted(Some(false), true, true, None));
    }

    #[test]
    fn the_line_reads_well() {
        assert_eq!(
            status_line(1234, 10_000, Duration::from_millis(500)),
            "checked 1,234 / 10,000 files (12%, 2,468 files/s)"
        );
        assert_eq!(
            status_line(0, 0, Duration::ZERO),
            "checked 0 / 0 files (0%, 0 files/s)"
        );
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
