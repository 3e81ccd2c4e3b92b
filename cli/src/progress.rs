//! A progress bar on standard error over the bytes of an input file big
//! enough to wait for; hidden when standard error isn't a terminal.

use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};

/// Files smaller than this are done before a bar is worth drawing.
const WORTH_A_BAR: u64 = 4 << 20;

/// A bar over the bytes of `path`, to wrap its reader in.
pub fn reading(path: &Path) -> ProgressBar {
    let size = std::fs::metadata(path).map_or(0, |meta| meta.len());
    if size < WORTH_A_BAR {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(size);
    if let Ok(style) = ProgressStyle::with_template(
        "{msg:>11} [{bar:40}] {binary_bytes}/{binary_total_bytes} ({eta})",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message("reading");
    bar
}
