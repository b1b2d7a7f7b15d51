fn main() {
    eprintln!("matome: not implemented yet");
    std::process::exit(2);
}
