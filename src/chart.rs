//! The `/stats` chart: figures in, PNG bytes out.
//!
//! Two panels drawn with plotters into an in-memory RGB buffer: reviews per
//! day over the last 30 days (right stacked under wrong) and cards coming due
//! over the next 14 days. The font (DejaVu Sans, `assets/`) is compiled into
//! the binary and registered with plotters' `ab_glyph` backend, so a bare
//! server without any installed font renders the same image. The PNG is
//! encoded with the `png` crate rather than plotters' `image` encoder to keep
//! the dependency tree small. No I/O, no clock: labels and numbers are given.

use std::sync::Once;

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::register_font;

/// Width of the chart in pixels.
pub const WIDTH: u32 = 900;
/// Height of the chart in pixels.
pub const HEIGHT: u32 = 420;

/// The font family name the embedded font is registered under.
const FONT: &str = "rappel-sans";
static FONT_BYTES: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");
static REGISTER: Once = Once::new();

/// Right and wrong answers of one day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayReviews {
    /// Reviews not rated Again.
    pub right: u64,
    /// Reviews rated Again.
    pub wrong: u64,
}

/// What the chart shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartData {
    /// One entry per day, oldest first, today last (30 for `/stats`).
    pub reviews: Vec<DayReviews>,
    /// Cards due per day, today first (overdue cards count for today).
    pub due: Vec<u64>,
}

/// Every word drawn on the chart, in the reader's language.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartLabels {
    pub reviews_title: String,
    pub due_title: String,
    pub right: String,
    pub wrong: String,
    pub due: String,
    /// X axis of the left panel (days relative to today, e.g. "jours").
    pub days_ago: String,
    /// X axis of the right panel.
    pub days_ahead: String,
}

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("cannot draw the chart: {0}")]
    Draw(String),
    #[error("cannot encode the png: {0}")]
    Encode(#[from] png::EncodingError),
}

const RIGHT_COLOUR: RGBColor = RGBColor(67, 160, 71);
const WRONG_COLOUR: RGBColor = RGBColor(229, 57, 53);
const DUE_COLOUR: RGBColor = RGBColor(88, 101, 242);

fn draw_err(e: impl std::fmt::Display) -> ChartError {
    ChartError::Draw(e.to_string())
}

/// Renders `data` as a `WIDTH`×`HEIGHT` RGB PNG.
pub fn render(data: &ChartData, labels: &ChartLabels) -> Result<Vec<u8>, ChartError> {
    REGISTER.call_once(|| {
        // The bytes are a valid TTF checked by the tests; a failure here
        // would only make text fall back to nothing, not crash.
        if register_font(FONT, FontStyle::Normal, FONT_BYTES).is_err() {
            tracing::error!("the embedded chart font is invalid");
        }
    });
    let mut pixels = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_err)?;
        let (left, right) = root.split_horizontally(WIDTH * 3 / 5);
        draw_panel(&left, reviews_panel(&data.reviews, labels))?;
        draw_panel(&right, due_panel(&data.due, labels))?;
        root.present().map_err(draw_err)?;
    }
    encode(&pixels)
}

fn axis_max(max: f64) -> f64 {
    // Headroom above the tallest bar, at least a scale of 1..5.
    (max * 1.15).max(5.0).ceil()
}

/// One series of bars: each `(x, bottom, top)`, their colour, their name in
/// the legend.
type Series<'l> = (Vec<(f64, f64, f64)>, RGBColor, &'l str);

/// One panel of the chart: what it shows and how.
struct Panel<'l> {
    title: &'l str,
    /// The X axis' name; its days are `+n` when `ahead`.
    x_desc: &'l str,
    ahead: bool,
    x_range: std::ops::Range<f64>,
    legend: SeriesLabelPosition,
    series: Vec<Series<'l>>,
}

/// Reviews of the last days: right at the bottom, wrong stacked above.
fn reviews_panel<'l>(days: &[DayReviews], labels: &'l ChartLabels) -> Panel<'l> {
    let n = days.len() as i64;
    let x_of = |i: usize| (i as i64 - n + 1) as f64;
    let right = days
        .iter()
        .enumerate()
        .map(|(i, d)| (x_of(i), 0.0, d.right as f64));
    let wrong = days.iter().enumerate().map(|(i, d)| {
        let bottom = d.right as f64;
        (x_of(i), bottom, bottom + d.wrong as f64)
    });
    Panel {
        title: &labels.reviews_title,
        x_desc: &labels.days_ago,
        ahead: false,
        x_range: (-n as f64 + 0.5)..0.5,
        legend: SeriesLabelPosition::UpperLeft,
        series: vec![
            (right.collect(), RIGHT_COLOUR, &labels.right),
            (wrong.collect(), WRONG_COLOUR, &labels.wrong),
        ],
    }
}

/// Cards coming due in the next days.
fn due_panel<'l>(due: &[u64], labels: &'l ChartLabels) -> Panel<'l> {
    let n = due.len() as f64;
    let bars = due
        .iter()
        .enumerate()
        .map(|(i, &n)| (i as f64, 0.0, n as f64));
    Panel {
        title: &labels.due_title,
        x_desc: &labels.days_ahead,
        ahead: true,
        x_range: -0.5..(n - 0.5),
        legend: SeriesLabelPosition::UpperRight,
        series: vec![(bars.collect(), DUE_COLOUR, &labels.due)],
    }
}

/// Draws `panel` into `area`: axes, bars, legend.
fn draw_panel(
    area: &DrawingArea<BitMapBackend<'_>, plotters::coord::Shift>,
    panel: Panel<'_>,
) -> Result<(), ChartError> {
    let tops = panel.series.iter().flat_map(|(bars, _, _)| bars);
    let max = tops.map(|&(_, _, top)| top).fold(0.0, f64::max);
    let mut chart = bar_chart(area, panel.title, panel.x_range, max)?;
    draw_mesh(&mut chart, panel.x_desc, panel.ahead)?;
    for (bars, colour, label) in panel.series {
        draw_bars(&mut chart, bars.into_iter(), colour, label)?;
    }
    draw_legend(&mut chart, panel.legend)
}

/// The bars' charts: day numbers across, counts up.
type BarChart<'a, 'b> =
    ChartContext<'a, BitMapBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// An empty bar chart under `caption`: days `x_range` across, counts up to `max`.
fn bar_chart<'a, 'b>(
    area: &'a DrawingArea<BitMapBackend<'b>, plotters::coord::Shift>,
    caption: &str,
    x_range: std::ops::Range<f64>,
    max: f64,
) -> Result<BarChart<'a, 'b>, ChartError> {
    ChartBuilder::on(area)
        .caption(caption, (FONT, 20))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(40)
        .build_cartesian_2d(x_range, 0f64..axis_max(max))
        .map_err(draw_err)
}

/// The axes: whole days across (`+n` when `ahead`), whole counts up.
fn draw_mesh(chart: &mut BarChart<'_, '_>, x_desc: &str, ahead: bool) -> Result<(), ChartError> {
    let x_label = |x: &f64| {
        let day = x.round() as i64;
        if ahead {
            format!("+{day}")
        } else {
            format!("{day}")
        }
    };
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_desc(x_desc)
        .x_label_formatter(&x_label)
        .y_label_formatter(&|y| format!("{}", y.round() as i64))
        .label_style((FONT, 13))
        .axis_desc_style((FONT, 14))
        .draw()
        .map_err(draw_err)
}

/// One series of bars of `colour`, each `(x, bottom, top)` (an empty one
/// is not drawn), named `label` in the legend.
fn draw_bars(
    chart: &mut BarChart<'_, '_>,
    bars: impl Iterator<Item = (f64, f64, f64)>,
    colour: RGBColor,
    label: &str,
) -> Result<(), ChartError> {
    let rectangles = bars
        .filter(|&(_, bottom, top)| top > bottom)
        .map(|(x, bottom, top)| {
            Rectangle::new([(x - 0.4, bottom), (x + 0.4, top)], colour.filled())
        });
    chart
        .draw_series(rectangles)
        .map_err(draw_err)?
        .label(label)
        .legend(legend_box(colour));
    Ok(())
}

/// The legend's sample of a bar series of `colour`.
fn legend_box(colour: RGBColor) -> impl Fn((i32, i32)) -> Rectangle<(i32, i32)> {
    move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], colour.filled())
}

/// The series labels, in a light box at `position`.
fn draw_legend<'a, 'b: 'a>(
    chart: &mut BarChart<'a, 'b>,
    position: SeriesLabelPosition,
) -> Result<(), ChartError> {
    chart
        .configure_series_labels()
        .position(position)
        .label_font((FONT, 13))
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK.mix(0.3))
        .draw()
        .map_err(draw_err)
}

fn encode(pixels: &[u8]) -> Result<Vec<u8>, ChartError> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, WIDTH, HEIGHT);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(pixels)?;
        writer.finish()?;
    }
    Ok(out)
}

/// A plausible month of a student (deterministic), for the README's example
/// chart (`cargo run --example stats_chart`) and the tests.
pub fn example_data() -> ChartData {
    let reviews = (0..30u64)
        .map(|i| {
            // Weekends off, a slow start, a busier last week before an exam.
            if i % 7 == 5 || i % 7 == 6 {
                DayReviews::default()
            } else {
                let total = 8 + i + (i * 7 % 5) * 3;
                let wrong = 2 + (i * 3 % 7) / 2;
                DayReviews {
                    right: total - wrong,
                    wrong,
                }
            }
        })
        .collect();
    let due = vec![23, 12, 9, 15, 7, 4, 11, 6, 3, 8, 5, 2, 6, 4];
    ChartData { reviews, due }
}
