//! The `--dev` server's SMS outbox (`GET /v1/dev/sms`), where the demo and tests read SMS codes.

use qoltanba_protocol::limits::SMS_CODE_LEN;
use qoltanba_protocol::{SmsCode, SmsMessage, paths};
use reqwest::Method;
use zeroize::Zeroizing;

use super::enrollment::Client;
use super::error::ClientError;
use super::transport::Call;

impl Client {
    /// The SMS messages the server "sent" to `phone` (E.164), the newest last; only on a server started
    /// with `--dev` (else [`ClientError::UnexpectedResponse`] for its `404`).
    pub async fn dev_outbox(&self, phone: &str) -> Result<Vec<SmsMessage>, ClientError> {
        let mut call = Call::new(Method::GET, paths::DEV_SMS, paths::DEV_SMS.to_owned());
        call.query.push(("phone", phone));
        self.transport.send(&call).await?.json()
    }

    /// The code in the latest SMS sent to `phone` (its six digits), for the demo and tests to type in;
    /// [`ClientError::NoSmsCode`] if no message to that phone carries one.
    pub async fn dev_sms(&self, phone: &str) -> Result<SmsCode, ClientError> {
        let outbox = self.dev_outbox(phone).await?;
        let latest = outbox.last().ok_or(ClientError::NoSmsCode)?;
        let code = code_in(&latest.text).ok_or(ClientError::NoSmsCode)?;
        Ok(SmsCode { code: code.to_string() })
    }
}

/// The first run of exactly [`SMS_CODE_LEN`] ASCII digits in `text`.
fn code_in(text: &str) -> Option<Zeroizing<String>> {
    text.split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == SMS_CODE_LEN)
        .map(|run| Zeroizing::new(run.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_six_digits_of_the_message() {
        let text = "Qoltanba: your code is 048213. Do not tell it to anyone but the NCA.";
        assert_eq!(code_in(text).as_deref().map(String::as_str), Some("048213"));
    }

    #[test]
    fn ignores_longer_and_shorter_numbers() {
        assert_eq!(
            code_in("call 1414 or +77011234567, code 123456").as_deref().map(String::as_str),
            Some("123456")
        );
        assert!(code_in("call 1414 or +77011234567").is_none());
        assert!(code_in("").is_none());
    }
}
