//! The language server, `copydesk lsp`: live diagnostics, hovers, definitions,
//! references, symbols, code actions and code lenses for newsroom Markdown.
//!
//! This is the only module that knows LSP, `tower-lsp-server`, `tokio`, `ropey` and
//! `dashmap`. It is laid out like texlab: [`server`] is the protocol plumbing and
//! state; each feature is a module with a pure `find` over a [`context::Ctx`]
//! (an analysed snapshot, the workspace, the corpus); [`convert`] is the only place
//! that turns byte offsets into LSP positions; [`documents`] keeps the open buffers;
//! [`transport`] guards the stdio stream against malformed frames.
//!
//! Every feature calls the same [`crate::analysis::Engine::analyze`] as
//! `copydesk check`, so the editor and CI never disagree about a finding.

pub mod code_action;
pub mod code_lens;
pub mod context;
pub mod convert;
pub mod definition;
pub mod derived;
pub mod diagnostics;
pub mod documents;
pub mod hover;
pub mod references;
pub mod server;
pub mod sources;
pub mod symbols;
pub mod transport;
pub mod workspace;

use server::Backend;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tower_lsp_server::{LspService, Server};

/// Arguments of `copydesk lsp`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct LspArgs {
    /// Talk over standard input and output. This is the only transport and the
    /// default; the flag is accepted because editor clients (VS Code's among them)
    /// pass it.
    #[arg(long)]
    pub stdio: bool,
}

/// Runs the language server over standard input and output until the editor sends
/// `exit` or closes the stream. Returns the process exit code: 0 after `shutdown`,
/// 1 otherwise (as LSP asks), 2 if the server could not start.
pub fn run() -> i32 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("copydesk-lsp")
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("copydesk lsp: cannot start the async runtime: {e}");
            return 2;
        }
    };
    let code = runtime.block_on(serve_stdio());
    // A blocked read of standard input must not keep the process alive after `exit`.
    runtime.shutdown_background();
    code
}

/// Serves on the process's standard streams, through the [`transport`] guard.
async fn serve_stdio() -> i32 {
    let (reader, mut writer) = tokio::io::duplex(1 << 16);
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<u8>>(64);
    // Reading standard input blocks, so it has a thread of its own.
    let spawned = std::thread::Builder::new()
        .name("copydesk-stdin".to_string())
        .spawn(move || {
            let stdin = std::io::stdin();
            let result = transport::pump(stdin.lock(), |frame| tx.blocking_send(frame).is_ok());
            if let Err(e) = result {
                eprintln!("copydesk lsp: reading standard input failed: {e}");
            }
        });
    if let Err(e) = spawned {
        eprintln!("copydesk lsp: cannot read standard input: {e}");
        return 2;
    }
    tokio::spawn(async move {
        while let Some(frame) = rx.recv().await {
            if writer.write_all(&frame).await.is_err() {
                break;
            }
        }
        // Dropping the writer ends the server's input: standard input is closed.
    });
    serve(reader, tokio::io::stdout()).await
}

/// Serves the protocol on any pair of streams (used by [`run`] and in-process tests).
/// Returns the exit code the session ended with.
pub async fn serve<I, O>(input: I, output: O) -> i32
where
    I: AsyncRead + Unpin,
    O: AsyncWrite,
{
    let (service, socket) = LspService::build(Backend::new)
        .custom_method(transport::INVALID_MESSAGE, Backend::invalid_message)
        .custom_method(transport::IGNORED_MESSAGE, Backend::ignored_message)
        .finish();
    let status = service.inner().exit_status();
    Server::new(input, output, socket).serve(service).await;
    status.code()
}
