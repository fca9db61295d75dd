//! What to draw: plain series and a spec. No HTTP, no data frames.

use std::fmt;
use std::str::FromStr;

use indikator_ingest::{Flags, Lang};

use crate::ChartError;

/// The pixel densities a PNG may have: 2 for high-resolution screens and print.
pub const DENSITIES: std::ops::RangeInclusive<u32> = 1..=3;

/// The widths a chart may have, in pixels.
pub const WIDTHS: std::ops::RangeInclusive<u32> = 200..=4000;
/// The heights a chart may have, in pixels.
pub const HEIGHTS: std::ops::RangeInclusive<u32> = 150..=3000;

/// One observation to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// First year.
    pub start: i32,
    /// Last year; after `start` for a span such as 2018/2022.
    pub end: i32,
    /// The value; `None` draws nothing.
    pub value: Option<f64>,
    /// Flags to mark.
    pub flags: Flags,
}

impl Point {
    /// Whether the point covers several years.
    pub fn is_span(&self) -> bool {
        self.end > self.start
    }
}

/// One country's points, in period order.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// ISO code, for stable identity.
    pub code: String,
    /// The name written on the chart, in the chart's language.
    pub name: String,
    /// The points.
    pub points: Vec<Point>,
}

/// An event marked with a vertical rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// The year.
    pub year: i32,
    /// A short label.
    pub label: String,
}

/// What the values are, for number formatting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ValueUnit {
    /// A plain number.
    #[default]
    Number,
    /// A percentage: `40%` in English, `40 %` in Swedish and Norwegian.
    Percent,
}

impl ValueUnit {
    /// How values of a data unit are written: percentages as such, counts as numbers.
    pub fn of(unit: indikator_ingest::Unit) -> Self {
        match unit {
            indikator_ingest::Unit::Percent => ValueUnit::Percent,
            _ => ValueUnit::Number,
        }
    }

    /// Its name in `lang`, as a chart's subtitle and the overview's cards write it:
    /// "Number", "Antal", "Prosent".
    pub fn name(self, lang: indikator_ingest::Lang) -> &'static str {
        match self {
            ValueUnit::Percent => crate::i18n::percent(lang),
            ValueUnit::Number => crate::i18n::number(lang),
        }
    }
}

macro_rules! choice {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        #[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
        pub enum $name {
            #[default]
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every choice, the default first.
            pub const ALL: &[$name] = &[$($name::$variant),+];

            /// The name used in options and URLs.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl FromStr for $name {
            type Err = String;

            fn from_str(text: &str) -> Result<Self, String> {
                Self::ALL.iter().copied().find(|c| c.as_str() == text).ok_or_else(|| {
                    let names: Vec<&str> = Self::ALL.iter().map(|c| c.as_str()).collect();
                    format!("`{text}` is not allowed; use {}", names.join(" or "))
                })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

choice!(
    /// The kind of chart.
    Kind {
        /// Lines over years; the default.
        Line = "line",
        /// Bars grouped by year.
        Bar = "bar",
    }
);

choice!(
    /// The value axis.
    Scale {
        /// Linear, from 0 for non-negative data.
        Linear = "linear",
        /// Logarithmic, for positive data.
        Log = "log",
    }
);

choice!(
    /// Colours.
    Theme {
        /// Dark text on white.
        Light = "light",
        /// Light text on near-black.
        Dark = "dark",
    }
);

choice!(
    /// What the text under the plot says.
    Foot {
        /// The flag key, notes, sources and data as of: the chart stands alone (images,
        /// embeds, downloads); the default.
        Full = "full",
        /// The flag key and data as of only, for a page that prints the notes and sources
        /// beside the chart in its own, larger text.
        Brief = "brief",
        /// No title, subtitle or text under the plot: a thumbnail under its own heading (the
        /// overview's cards), whose page says the rest.
        Bare = "bare",
    }
);

/// How a chart looks: kind, scale, theme, language, size and footer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Line or bar.
    pub kind: Kind,
    /// Linear or log.
    pub scale: Scale,
    /// Light or dark.
    pub theme: Theme,
    /// Language of every label and number.
    pub lang: Lang,
    /// Width in pixels, within [`WIDTHS`].
    pub width: u32,
    /// Height in pixels, within [`HEIGHTS`].
    pub height: u32,
    /// What the text under the plot says.
    pub foot: Foot,
    /// PNG pixels per CSS pixel, within [`DENSITIES`]: 2 draws the same chart at twice the
    /// resolution (an 800 × 500 chart as 1600 × 1000 pixels). SVG is the same at any.
    pub density: u32,
}

impl Default for Style {
    fn default() -> Self {
        Self {
            kind: Kind::Line,
            scale: Scale::Linear,
            theme: Theme::Light,
            lang: Lang::En,
            width: 800,
            height: 500,
            foot: Foot::Full,
            density: 1,
        }
    }
}

impl Style {
    /// Checks the size: outside the limits is an error, never a clamp.
    pub fn validate(&self) -> Result<(), ChartError> {
        if !WIDTHS.contains(&self.width) {
            return Err(ChartError::Size {
                what: "width",
                value: self.width,
                range: WIDTHS,
            });
        }
        if !HEIGHTS.contains(&self.height) {
            return Err(ChartError::Size {
                what: "height",
                value: self.height,
                range: HEIGHTS,
            });
        }
        if !DENSITIES.contains(&self.density) {
            return Err(ChartError::Size {
                what: "density",
                value: self.density,
                range: DENSITIES,
            });
        }
        Ok(())
    }
}

/// Everything a chart says besides its series.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChartSpec {
    /// Kind, scale, theme, language, size.
    pub style: Style,
    /// Title.
    pub title: String,
    /// Unit and mode, such as "Index, 2010 = 100".
    pub subtitle: String,
    /// How values are formatted.
    pub unit: ValueUnit,
    /// The most decimals a value is shown with.
    pub decimals: u8,
    /// The years on the axis; `None` means those of the data.
    pub years: Option<(i32, i32)>,
    /// Comparability notes, printed under the chart.
    pub notes: Vec<String>,
    /// Events to mark.
    pub markers: Vec<Marker>,
    /// Source names for the footer.
    pub sources: Vec<String>,
    /// "Data as of" date, `YYYY-MM-DD`.
    pub data_as_of: String,
}
