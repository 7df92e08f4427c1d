//! `qoltanba-server`: wires configuration to the library; no logic lives here.
fn main() {}
