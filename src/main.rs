//! The `casecode` binary: everything lives in the library; see `casecode --help`.

fn main() -> std::process::ExitCode {
    casecode::cli::main()
}
