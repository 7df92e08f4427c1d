//! `GET /dev/sms` (only with `--dev`): the embedded SMS gateway's outbox as a page, newest first, for
//! demos where nobody has the phone.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use time::format_description::well_known::Rfc3339;

use super::html::{self, escape};
use super::i18n::Lang;
use super::pages::{LangQuery, html_response};
use crate::ra::Ra;
use crate::storage::sms;
use crate::web::WebError;

/// Where the page is served.
pub const DEV_SMS_PAGE: &str = "/dev/sms";

/// The outbox page.
pub async fn dev_sms_page(
    State(ra): State<Arc<Ra>>,
    Query(query): Query<LangQuery>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let lang = Lang::negotiate(query.lang.as_deref(), &headers);
    let t = lang.texts();
    let mut conn = ra.storage().acquire().await.map_err(|e| WebError::Internal(e.to_string()))?;
    let messages = sms::outbox(&mut conn, None).await.map_err(|e| WebError::Internal(e.to_string()))?;
    drop(conn);
    let rows: String = messages
        .iter()
        .rev()
        .map(|m| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&m.created_at.format(&Rfc3339).unwrap_or_default()),
                escape(&m.phone),
                escape(&m.sender),
                escape(&m.text)
            )
        })
        .collect();
    let body = match rows.is_empty() {
        true => format!("<p>{}</p>", escape(t.nothing_sent)),
        false => format!(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{rows}</tbody></table>",
            escape(t.sent_at),
            escape(t.phone),
            escape(t.sender),
            escape(t.text)
        ),
    };
    let main = format!("<div class=\"card\"><h1>{}</h1>{body}</div>", escape(t.sms_outbox));
    Ok(html_response(StatusCode::OK, html::page(lang, DEV_SMS_PAGE, &main), &[]))
}
