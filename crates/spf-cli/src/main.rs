//! The `spf` binary: a thin shell over [`spf_cli::run`].

fn main() {
    let code = spf_cli::run(std::env::args_os(), &mut std::io::stdout().lock(), &mut std::io::stderr().lock());
    std::process::exit(code);
}
