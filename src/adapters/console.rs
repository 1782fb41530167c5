//! The local console: type a message, read the reply. Every line counts as addressed to the bot,
//! as in a direct message, so both `!guidance nurse` and `guidance nurse` work.

use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWrite, AsyncWriteExt};

use crate::bot::Signpost;
use crate::message::Incoming;
use crate::message::Origin;
use crate::render::plain;

/// Reads lines from `input` until it ends or `shutdown` resolves, answering each on `output`.
pub async fn run<R, W>(
    core: &Signpost,
    input: R,
    mut output: W,
    shutdown: impl std::future::Future<Output = ()>,
) -> std::io::Result<()>
where
    R: AsyncBufRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let banner = format!(
        "Signpost console. Try {p}help, {p}guidance nurse or {p}abuse-help. Ctrl-D quits.\n> ",
        p = core.prefix()
    );
    output.write_all(banner.as_bytes()).await?;
    output.flush().await?;
    let mut lines = input.lines();
    tokio::pin!(shutdown);
    loop {
        let line = tokio::select! {
            line = lines.next_line() => line?,
            () = &mut shutdown => None,
        };
        let Some(line) = line else { break };
        let message = Incoming {
            text: line,
            origin: Origin::Console,
            addressed: true,
            from_bot: false,
            command_prefix: None,
            sender: None,
            interaction: false,
            // The operator's own terminal.
            moderator: true,
            community: Origin::Console.community(""),
        };
        if let Some(reply) = core.handle(&message) {
            output.write_all(plain::to_text(&reply).as_bytes()).await?;
            output.write_all(b"\n").await?;
        }
        output.write_all(b"> ").await?;
        output.flush().await?;
    }
    output.write_all(b"\n").await?;
    output.flush().await
}
