fn main() -> std::process::ExitCode {
    sansang::cli::main()
}
