//! Writes the example `/stats` chart (French labels) for the README:
//! `cargo run --example stats_chart -- docs/stats-example.png`.

use rappel::chart;
use rappel::discord::messages::{Lang, chart_labels};

fn main() -> anyhow::Result<()> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "docs/stats-example.png".to_string());
    let png = chart::render(&chart::example_data(), &chart_labels(Lang::Fr))?;
    std::fs::write(&path, &png)?;
    println!("wrote {path} ({} bytes)", png.len());
    Ok(())
}
