//! Prints the OpenAPI document: `cargo run -p qoltanba-protocol --example openapi > openapi.json`.

fn main() -> Result<(), serde_json::Error> {
    println!("{}", qoltanba_protocol::openapi().to_pretty_json()?);
    Ok(())
}
