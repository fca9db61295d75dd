//! `indikator notices`: recount from TED exports, or write a synthetic export.

use anyhow::Context;

use crate::args::NoticesArgs;

pub fn run(args: NoticesArgs) -> anyhow::Result<()> {
    if let Some(rows) = args.generate {
        let Some(path) = args.output else {
            anyhow::bail!("--generate writes a file: give it with -o FILE");
        };
        let file = std::fs::File::create(&path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        indikator_notices::generate(rows, args.seed, file)
            .with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!(
            "wrote {rows} synthetic TED award-notice rows (seed {}) to {}",
            args.seed,
            path.display()
        );
        return Ok(());
    }
    let Some(out) = args.out else {
        anyhow::bail!("give the folder to write the datasets into with --out DIR");
    };
    let progress = |p: &indikator_notices::Progress<'_>| {
        let mib = |bytes: u64| bytes as f64 / (1024.0 * 1024.0);
        eprintln!(
            "{}: {:.1} of {:.1} MiB read, {} rows, {:.0} rows/s",
            p.file,
            mib(p.read),
            mib(p.size),
            p.rows,
            p.rows_per_second
        );
    };
    let recount = indikator_notices::recount(&args.files, &progress)?;
    let written = indikator_notices::write_datasets(&recount, &out, &indikator_notices::today())?;
    for file in &recount.files {
        say!(
            "{}: {} layout, {} rows, {} bytes, SHA-256 {}",
            file.name,
            file.layout.short(),
            file.rows,
            file.bytes,
            file.sha256
        );
    }
    for bad in &recount.bad_rows {
        say!("{}:{}: left out: {}", bad.file, bad.line, bad.problem);
    }
    let unlisted = recount.bad_total - recount.bad_rows.len() as u64;
    if unlisted > 0 {
        say!("… and {unlisted} more bad rows left out");
    }
    for (code, years) in &recount.unknown_countries {
        say!("left out: country code `{code}` is not ISO 3166-1 ({years} country-years)");
    }
    for (index, definition) in indikator_notices::DEFINITIONS.iter().enumerate() {
        let total: u64 = recount
            .counts
            .values()
            .map(|c| c.by_definition[index])
            .sum();
        say!(
            "{}: {} notices in {} country-years",
            definition.id,
            total,
            recount.counts.len()
        );
    }
    say!("wrote {} files to {}", written.len(), out.display());
    Ok(())
}
