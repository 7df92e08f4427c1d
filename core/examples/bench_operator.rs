//! The people around one enrollment, for `bench/core-enroll`:
//! - `bench_operator answers DIR`: writes `DIR/answers.toml` (and the selfie) for the first seed citizen
//!   with a registered phone, the SMS code read from the server's dev outbox;
//! - `bench_operator approve URL USER PASSWORD`: the operator, approving every phone registration and
//!   selfie review until killed.

use std::path::Path;
use std::time::Duration;

use qoltanba_core::client::{Client, ClientConfig, OperatorClient};
use qoltanba_protocol::{ReviewDecision, TicketDecision};

type Error = Box<dyn std::error::Error>;

fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["answers", dir] => answers(Path::new(dir)),
        ["approve", url, user, password] => {
            tokio::runtime::Runtime::new()?.block_on(approve(url, user, password))
        }
        _ => Err("usage: bench_operator answers DIR | approve URL USER PASSWORD".into()),
    }
}

fn answers(dir: &Path) -> Result<(), Error> {
    let (citizen, phone) = qoltanba_server::seed::demo_records()
        .into_iter()
        .find_map(|(citizen, phone)| Some((citizen, phone?)))
        .ok_or("no seed citizen with a phone")?;
    std::fs::write(dir.join("selfie.png"), &citizen.photo)?;
    let toml = format!(
        "iin = \"{}\"\nphone = \"{phone}\"\nsms_code = \"dev-outbox\"\nselfie = \"selfie.png\"\n\
         id_card = \"selfie.png\"\npin = \"4827\"\nconsent = true\nemail = \"bench@example.kz\"\n\
         key_storage = \"file\"\npassword = \"Qoltanba2026bench\"\n",
        citizen.iin
    );
    std::fs::write(dir.join("answers.toml"), toml)?;
    Ok(())
}

async fn approve(url: &str, user: &str, password: &str) -> Result<(), Error> {
    let client = Client::new(url, &ClientConfig::default())?;
    let operator = OperatorClient::login(&client, user, password).await?;
    loop {
        for ticket in operator.phone_registrations().await? {
            let heard = client.dev_sms(&ticket.phone).await?;
            let decision = TicketDecision::Approve { sms_code: heard.code };
            operator.decide_phone_registration(ticket.id, &decision).await?;
        }
        for review in operator.selfie_reviews().await? {
            operator.decide_selfie_review(review.id, &ReviewDecision::Approve).await?;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
