//! `indikator import-jsonstat`: a JSON-stat 2.0 dataset as an indicator in the data format.

use anyhow::Context;

use crate::args::ImportArgs;

pub fn run(args: ImportArgs) -> anyhow::Result<()> {
    let ImportArgs {
        file,
        indicator,
        dimensions,
        country,
        country_map,
        unit,
        source_url,
        out,
    } = args;
    let text = std::fs::read_to_string(&file)
        .with_context(|| format!("cannot read {}", file.display()))?;
    let options = indikator_formats::ImportOptions {
        indicator: indicator.clone(),
        fixed: dimensions,
        country,
        country_map,
        unit,
        source_url,
        accessed: indikator_notices::today(),
    };
    let import = indikator_formats::import_jsonstat(&text, &options)
        .with_context(|| file.display().to_string())?;
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    for (ext, body) in [("csv", &import.csv), ("toml", &import.toml)] {
        let path = out.join(format!("{indicator}.{ext}"));
        std::fs::write(&path, body).with_context(|| format!("cannot write {}", path.display()))?;
    }
    say!(
        "wrote {indicator}.csv and {indicator}.toml to {}: {} observations, {} cells without a value left out",
        out.display(),
        import.rows,
        import.missing
    );
    Ok(())
}
