//! The console's work queues: pending phone-registration tickets and selfie reviews, each with the
//! registry photo beside the pictures the citizen uploaded, and approve / reject forms. A form carries
//! the session's CSRF token and a fresh idempotency key (a double submit decides once); after the
//! decision the browser is sent back to the queue with a notice.

use std::sync::Arc;

use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use qoltanba_protocol::headers::is_valid_idempotency_key;
use qoltanba_protocol::{
    ApiError, ErrorCode, PhoneRegistrationTicket, ReviewDecision, SelfieReview, TicketDecision,
};
use serde::Deserialize;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::auth::{Operator, session_operator};
use super::html::{self, escape};
use super::i18n::{Lang, Texts};
use super::pages::{DASHBOARD_PATH, LOGIN_PATH, hidden, html_response, redirect};
use crate::ra::{Idempotency, Ra, RaError};
use crate::web::WebError;
use crate::web::json::path_id;

/// The pending phone-registration tickets.
pub const TICKETS_PATH: &str = "/console/phone-registrations";
/// `POST` a decision on a ticket.
pub const TICKET_DECISION_PATH: &str = "/console/phone-registrations/{id}/decision";
/// The pending selfie reviews.
pub const REVIEWS_PATH: &str = "/console/selfie-reviews";
/// `POST` a decision on a review.
pub const REVIEW_DECISION_PATH: &str = "/console/selfie-reviews/{id}/decision";
/// Longest reason accepted by the form.
const MAX_REASON: usize = 500;

/// `?lang=` and the notice of the decision just made.
#[derive(Debug, Default, Deserialize)]
pub struct QueueQuery {
    lang: Option<String>,
    error: Option<String>,
    tries_left: Option<u8>,
    saved: Option<u8>,
}

/// An approve or reject form's fields; wiped when dropped (the SMS code).
#[derive(Deserialize, Zeroize, ZeroizeOnDrop)]
pub struct DecisionForm {
    csrf_token: String,
    idempotency_key: String,
    decision: String,
    sms_code: Option<String>,
    reason: Option<String>,
    lang: Option<String>,
}

pub async fn tickets(
    State(ra): State<Arc<Ra>>,
    Query(query): Query<QueueQuery>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let lang = Lang::negotiate(query.lang.as_deref(), &headers);
    let Some(operator) = session_operator(ra.storage(), &headers).await? else {
        return Ok(redirect(&format!("{LOGIN_PATH}?lang={}", lang.tag()), &[]));
    };
    let pending = ra.pending_tickets().await?;
    let cards: String = pending.iter().map(|t| ticket_card(t, lang, &operator.csrf_token)).collect();
    let main = queue_page(lang, lang.texts().phone_registrations, &query, &cards);
    Ok(html_response(StatusCode::OK, html::page(lang, TICKETS_PATH, &main), &[]))
}

pub async fn reviews(
    State(ra): State<Arc<Ra>>,
    Query(query): Query<QueueQuery>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let lang = Lang::negotiate(query.lang.as_deref(), &headers);
    let Some(operator) = session_operator(ra.storage(), &headers).await? else {
        return Ok(redirect(&format!("{LOGIN_PATH}?lang={}", lang.tag()), &[]));
    };
    let pending = ra.pending_reviews().await?;
    let cards: String = pending.iter().map(|r| review_card(r, lang, &operator.csrf_token)).collect();
    let main = queue_page(lang, lang.texts().selfie_reviews, &query, &cards);
    Ok(html_response(StatusCode::OK, html::page(lang, REVIEWS_PATH, &main), &[]))
}

pub async fn decide_ticket(
    State(ra): State<Arc<Ra>>,
    operator: Operator,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    Form(form): Form<DecisionForm>,
) -> Result<Response, WebError> {
    operator.require_csrf(Some(&form.csrf_token))?;
    let lang = Lang::negotiate(form.lang.as_deref(), &headers);
    let id = path_id(&id, "ticket")?;
    let idem = form_idempotency(&form, uri.path())?;
    let decision = match form.decision.as_str() {
        "approve" => TicketDecision::Approve { sms_code: form.sms_code.clone().unwrap_or_default() },
        _ => TicketDecision::Reject { reason: reason(&form) },
    };
    let outcome = ra.decide_phone_ticket(&operator.0.username, id, &decision, Some(&idem)).await;
    back(TICKETS_PATH, lang, outcome.map(drop))
}

pub async fn decide_review(
    State(ra): State<Arc<Ra>>,
    operator: Operator,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    Form(form): Form<DecisionForm>,
) -> Result<Response, WebError> {
    operator.require_csrf(Some(&form.csrf_token))?;
    let lang = Lang::negotiate(form.lang.as_deref(), &headers);
    let id = path_id(&id, "review")?;
    let idem = form_idempotency(&form, uri.path())?;
    let decision = match form.decision.as_str() {
        "approve" => ReviewDecision::Approve,
        _ => ReviewDecision::Reject { reason: reason(&form) },
    };
    let outcome = ra.decide_selfie(&operator.0.username, id, &decision, Some(&idem)).await;
    back(REVIEWS_PATH, lang, outcome.map(drop))
}

fn reason(form: &DecisionForm) -> String {
    form.reason.as_deref().unwrap_or_default().chars().take(MAX_REASON).collect()
}

/// The form's idempotency key over its decision fields.
fn form_idempotency(form: &DecisionForm, path: &str) -> Result<Idempotency, WebError> {
    if !is_valid_idempotency_key(&form.idempotency_key) {
        return Err(
            ApiError::new(ErrorCode::MissingIdempotencyKey, "the form lacks its idempotency key").into()
        );
    }
    let fields = format!(
        "{}\n{}\n{}",
        form.decision,
        form.sms_code.as_deref().unwrap_or_default(),
        form.reason.as_deref().unwrap_or_default()
    );
    let content_type = "application/x-www-form-urlencoded";
    Ok(Idempotency::new(&form.idempotency_key, &format!("POST {path}"), content_type, fields.as_bytes()))
}

/// Back to the queue, with what happened.
fn back(path: &str, lang: Lang, outcome: Result<(), RaError>) -> Result<Response, WebError> {
    let location = match outcome {
        Ok(()) => format!("{path}?lang={}&saved=1", lang.tag()),
        Err(RaError::Api(error)) => {
            let tries = error.tries_left.map(|n| format!("&tries_left={n}")).unwrap_or_default();
            format!("{path}?lang={}&error={}{tries}", lang.tag(), error.code.name())
        }
        Err(other) => return Err(other.into()),
    };
    Ok(redirect(&location, &[]))
}

fn queue_page(lang: Lang, heading: &str, query: &QueueQuery, cards: &str) -> String {
    let t = lang.texts();
    let cards = match cards.is_empty() {
        true => format!("<p class=\"card\">{}</p>", escape(t.nothing_pending)),
        false => cards.to_owned(),
    };
    format!(
        "<p><a href=\"{DASHBOARD_PATH}?lang={tag}\">{back}</a></p><h1>{heading}</h1>{notice}{cards}",
        tag = lang.tag(),
        back = escape(t.back),
        heading = escape(heading),
        notice = notice(t, query),
    )
}

fn notice(t: &Texts, query: &QueueQuery) -> String {
    let Some(code) = query.error.as_deref() else {
        return match query.saved {
            Some(_) => format!("<p class=\"notice\" role=\"status\">{}</p>", escape(t.decision_saved)),
            None => String::new(),
        };
    };
    let text = match code {
        "code_mismatch" => format!("{} {}", t.error_code_mismatch, query.tries_left.unwrap_or(0)),
        "too_many_attempts" => t.error_too_many_attempts.to_owned(),
        "code_expired" => t.error_code_expired.to_owned(),
        "conflict" => t.error_conflict.to_owned(),
        "invalid_input" => t.error_invalid_input.to_owned(),
        "session_expired" => t.error_session_expired.to_owned(),
        _ => t.error_other.to_owned(),
    };
    format!("<p class=\"error\" role=\"alert\">{}</p>", escape(&text))
}

fn ticket_card(ticket: &PhoneRegistrationTicket, lang: Lang, csrf: &str) -> String {
    let t = lang.texts();
    let action = TICKET_DECISION_PATH.replace("{id}", &ticket.id.to_string());
    format!(
        "<section class=\"card\"><h2>{iin_label} {iin}</h2><dl>{phone}{time}</dl>\
         <div class=\"photos\">{photo}</div><div class=\"row\">{approve}{reject}</div></section>",
        iin_label = escape(t.iin),
        iin = escape(&ticket.iin),
        phone = term(t.phone, &ticket.phone),
        time = term(t.opened_at, &rfc3339(ticket.created_at)),
        photo = figure(&ticket.registry_photo_url, t.registry_photo),
        approve = decision_form(&action, lang, csrf, Choice::Approve { code_label: Some(t.sms_code_heard) }),
        reject = decision_form(&action, lang, csrf, Choice::Reject),
    )
}

fn review_card(review: &SelfieReview, lang: Lang, csrf: &str) -> String {
    let t = lang.texts();
    let action = REVIEW_DECISION_PATH.replace("{id}", &review.id.to_string());
    let id_card = review.id_card_photo_url.as_deref().map(|u| figure(u, t.id_card_photo)).unwrap_or_default();
    format!(
        "<section class=\"card\"><h2>{iin_label} {iin}</h2><dl>{attempt}{time}</dl>\
         <div class=\"photos\">{registry}{selfie}{id_card}</div><div class=\"row\">{approve}{reject}</div></section>",
        iin_label = escape(t.iin),
        iin = escape(&review.iin),
        attempt = term(t.attempt, &review.attempt.to_string()),
        time = term(t.opened_at, &rfc3339(review.submitted_at)),
        registry = figure(&review.registry_photo_url, t.registry_photo),
        selfie = figure(&review.selfie_url, t.selfie),
        approve = decision_form(&action, lang, csrf, Choice::Approve { code_label: None }),
        reject = decision_form(&action, lang, csrf, Choice::Reject),
    )
}

/// Which form to draw.
enum Choice<'a> {
    /// Approve, asking for the heard SMS code when labelled.
    Approve { code_label: Option<&'a str> },
    /// Reject with a reason.
    Reject,
}

fn decision_form(action: &str, lang: Lang, csrf: &str, choice: Choice<'_>) -> String {
    let t = lang.texts();
    let key = Uuid::new_v4().to_string();
    let (decision, input, button) = match choice {
        Choice::Approve { code_label } => {
            let input = code_label.map(|label| {
                format!(
                    "<label for=\"code-{key}\">{}</label><input type=\"text\" id=\"code-{key}\" name=\"sms_code\" \
                     inputmode=\"numeric\" pattern=\"[0-9]{{6}}\" maxlength=\"6\" autocomplete=\"off\" required>",
                    escape(label)
                )
            });
            (
                "approve",
                input.unwrap_or_default(),
                format!("<button type=\"submit\">{}</button>", escape(t.approve)),
            )
        }
        Choice::Reject => (
            "reject",
            format!(
                "<label for=\"reason-{key}\">{}</label><input type=\"text\" id=\"reason-{key}\" name=\"reason\" \
                 maxlength=\"{MAX_REASON}\" required>",
                escape(t.reason)
            ),
            format!("<button class=\"secondary\" type=\"submit\">{}</button>", escape(t.reject)),
        ),
    };
    format!(
        "<form method=\"post\" action=\"{action}\">{csrf}{lang}{key}{decision}{input}{button}</form>",
        action = escape(action),
        csrf = hidden("csrf_token", csrf),
        lang = hidden("lang", lang.tag()),
        key = hidden("idempotency_key", &key),
        decision = hidden("decision", decision),
    )
}

fn figure(src: &str, caption: &str) -> String {
    format!(
        "<figure><img src=\"{}\" alt=\"{caption}\"><figcaption>{caption}</figcaption></figure>",
        escape(src),
        caption = escape(caption)
    )
}

fn term(name: &str, value: &str) -> String {
    format!("<dt>{}</dt><dd>{}</dd>", escape(name), escape(value))
}

fn rfc3339(at: time::OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_default()
}
