//! Running the command in-process.

/// The repository's zone files, relative to the crate (tests run there).
pub const ZONES: &str = "../../zonefiles";

/// Runs `spf ARGS...`: (exit code, stdout, stderr).
pub fn spf(args: &[&str]) -> (i32, String, String) {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = spf_cli::run(std::iter::once("spf").chain(args.iter().copied()), &mut out, &mut err);
    (code, String::from_utf8_lossy(&out).into_owned(), String::from_utf8_lossy(&err).into_owned())
}
