//! A stand-in for `spf serve` while testing this crate:
//! `cargo run -p spf-serve --example serve -- [--zones DIR] [--listen ADDR] [--web DIR]`.
//! Prints `spf serve: http://ADDR/ ...` and runs until Ctrl-C (or SIGTERM via the shell).

use std::process::ExitCode;

fn usage(msg: &str) -> ExitCode {
    eprintln!("serve: {msg}\nusage: serve [--zones DIR] [--listen ADDR:PORT] [--web DIR]");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut options = spf_serve::Options::default();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let Some(value) = args.next() else {
            return usage(&format!("{flag} needs a value"));
        };
        match flag.as_str() {
            "--zones" => options.zones = Some(value.into()),
            "--web" => options.web_root = value.into(),
            "--listen" => match value.parse() {
                Ok(addr) => options.listen = addr,
                Err(_) => return usage(&format!("{value:?} is not ADDR:PORT")),
            },
            _ => return usage(&format!("unknown option {flag}")),
        }
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return usage(&format!("cannot start the runtime: {e}")),
    };
    match runtime.block_on(spf_serve::serve(options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("serve: {e}");
            ExitCode::FAILURE
        }
    }
}
