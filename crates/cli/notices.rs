//! `indikator notices`: recount from notice data, print the definitions, or write synthetic
//! input.

use anyhow::Context;

use crate::args::NoticesArgs;

pub fn run(args: NoticesArgs) -> anyhow::Result<()> {
    let rules = match &args.definitions_file {
        Some(path) => indikator_notices::Rules::read(path)?,
        None => indikator_notices::Rules::default(),
    };
    if args.definitions {
        say!("{}", rules.to_commented_toml().trim_end());
        return Ok(());
    }
    if let Some(count) = args.generate {
        let Some(path) = args.output else {
            anyhow::bail!("--generate writes a file: give it with -o FILE");
        };
        let layout = indikator_notices::Generated::from(args.layout);
        indikator_notices::generate_into(layout, count, args.seed, &path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!(
            "wrote {count} synthetic {} (seed {}) to {}",
            layout.describe(),
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
        let seconds = p.seconds.max(1e-9);
        let files = if p.files_total > 0 {
            format!(" in {} of {} files", p.files, p.files_total)
        } else {
            String::new()
        };
        let of = if p.size > 0 {
            format!(" of {:.1}", mib(p.size))
        } else {
            String::new()
        };
        eprintln!(
            "{}: {:.1}{of} MiB read ({:.0} MiB/s), {} {}{files}, {:.0} {}/s",
            p.file,
            mib(p.read),
            mib(p.read) / seconds,
            p.records,
            p.noun,
            p.records as f64 / seconds,
            p.noun
        );
    };
    let options = indikator_notices::Options {
        rules,
        kind: args.kind.into(),
        table: args.notice_table.clone(),
    };
    let recount = indikator_notices::recount(&args.files, &options, &progress)?;
    let prefix = args
        .prefix
        .unwrap_or_else(|| indikator_notices::prefix_for(&recount.files).to_owned());
    for file in &recount.files {
        say!(
            "{}: {} layout, {} {}, {} counted, {} bytes, SHA-256 {}",
            file.name,
            file.layout.short(),
            file.rows,
            file.layout.record_noun(),
            file.counted,
            file.bytes,
            file.sha256
        );
    }
    for bad in &recount.bad_rows {
        say!("{}: left out: {}", bad.location(), bad.problem);
    }
    let unlisted = recount.bad_total - recount.bad_rows.len() as u64;
    if unlisted > 0 {
        say!("… and {unlisted} more bad rows left out");
    }
    for (code, years) in &recount.unknown_countries {
        say!("left out: country code `{code}` is not ISO 3166-1 ({years} country-years)");
    }
    // What was read and left out is said before the datasets are written, so that a run
    // with nothing to count still shows why.
    let written =
        indikator_notices::write_datasets(&recount, &out, &prefix, &indikator_notices::today())?;
    for line in &written.left_out {
        say!("{line}");
    }
    for dataset in &written.datasets {
        say!(
            "{}: {} notices in {} country-years",
            dataset.id,
            dataset.notices,
            dataset.rows
        );
    }
    if let Some(table) = &args.notice_table {
        say!("wrote the notice table to {}", table.display());
    }
    say!("wrote {} files to {}", written.paths.len(), out.display());
    Ok(())
}
