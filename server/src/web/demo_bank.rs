//! `/demo/bank` (only with `--dev`): a demo relying party, "sign your loan agreement", in kk / ru / en.
//! The visitor enters an IIN; the page (server-side, as the relying party "Qoltanba Demo Bank", made at
//! the first start) asks that citizen to sign an attached CMS over the agreement's text, shows the
//! verification code, waits for the outcome (the page's script long-polls `GET /demo/bank/requests/{id}`),
//! then shows the signer from the verified signature (name, IIN, signing time) or the refusal.
//!
//! Stable element ids for tests: `#iin`, `#start`, `#code`, `#status`, `#signer-name`, `#signer-iin`,
//! `#signed-at`, `#refusal`, `#error`.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use qoltanba_pki::cms;
use qoltanba_protocol::{CreateSignRequest, ErrorCode, SignRequestStatus, SignatureFormat};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use super::console::html::escape;
use super::console::i18n::Lang;
use crate::ra::RaError;
use crate::signing::{RelyingParty, Signing, relying_parties};
use crate::storage::Storage;

/// The page.
pub const PAGE: &str = "/demo/bank";
const SCRIPT: &str = "/demo/bank/app.js";
const REQUESTS: &str = "/demo/bank/requests";
const REQUEST: &str = "/demo/bank/requests/{id}";
/// The demo relying party's registered name (shown on the phone).
pub const BANK_NAME: &str = "Qoltanba Demo Bank";
/// How long one status call of the page waits for the outcome.
const WAIT_MS: u64 = 20_000;

const HEADERS: [(&str, &str); 4] = [
    (
        "content-security-policy",
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; \
         frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    ),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("cache-control", "no-store"),
];

/// What the demo bank needs.
#[derive(Clone)]
struct Bank {
    signing: Arc<Signing>,
    party: RelyingParty,
}

/// The demo bank's routes, registering the relying party [`BANK_NAME`] on first use of `storage`.
pub async fn routes(signing: Arc<Signing>, storage: &Storage) -> Result<Router, RaError> {
    let party = match relying_parties::list(storage).await?.into_iter().find(|p| p.name == BANK_NAME) {
        Some(party) => party,
        None => relying_parties::add(storage, BANK_NAME, &[], OffsetDateTime::now_utc()).await?.relying_party,
    };
    Ok(Router::new()
        .route(PAGE, get(page))
        .route(SCRIPT, get(script))
        .route(REQUESTS, post(start))
        .route(REQUEST, get(status))
        .with_state(Bank { signing, party }))
}

/// The page's words.
struct Words {
    title: &'static str,
    heading: &'static str,
    lead: &'static str,
    iin: &'static str,
    start: &'static str,
    code: &'static str,
    compare: &'static str,
    waiting: &'static str,
    signed: &'static str,
    refused: &'static str,
    expired: &'static str,
    cancelled: &'static str,
    signer: &'static str,
    signed_at: &'static str,
    bad_iin: &'static str,
    no_signature: &'static str,
    too_many: &'static str,
    failed: &'static str,
    agreement: &'static str,
}

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Kk => &Words {
            title: "Qoltanba Демо Банк",
            heading: "Несие шартына қол қойыңыз",
            lead: "ЖСН енгізіңіз: телефоныңызға қол қою сұрауы келеді.",
            iin: "ЖСН",
            start: "Қол қоюға жіберу",
            code: "Тексеру коды",
            compare: "Телефондағы кодпен салыстырыңыз.",
            waiting: "Телефоннан жауап күтілуде…",
            signed: "Шартқа қол қойылды, қолтаңба тексерілді",
            refused: "Клиент қол қоюдан бас тартты",
            expired: "Сұраудың мерзімі өтті",
            cancelled: "Сұрау жаңасымен алмастырылды",
            signer: "Қол қоюшы",
            signed_at: "Қол қойылған уақыт",
            bad_iin: "ЖСН қате",
            no_signature: "Бұл ЖСН-ге ЭЦҚ берілмеген",
            too_many: "Сұраулар тым көп, кейінірек қайталаңыз",
            failed: "Қате, қайталап көріңіз",
            agreement: "Несие шарты № {n}: 1 000 000 теңге, 24 ай, ЖСН {iin}",
        },
        Lang::Ru => &Words {
            title: "Qoltanba Демо Банк",
            heading: "Подпишите кредитный договор",
            lead: "Введите ИИН: на телефон придёт запрос на подпись.",
            iin: "ИИН",
            start: "Отправить на подпись",
            code: "Код проверки",
            compare: "Сверьте его с кодом на телефоне.",
            waiting: "Ждём ответа с телефона…",
            signed: "Договор подписан, подпись проверена",
            refused: "Клиент отказался подписывать",
            expired: "Срок запроса истёк",
            cancelled: "Запрос заменён новым",
            signer: "Подписант",
            signed_at: "Время подписи",
            bad_iin: "Неверный ИИН",
            no_signature: "Для этого ИИН ЭЦП не выпущена",
            too_many: "Слишком много запросов, попробуйте позже",
            failed: "Ошибка, попробуйте ещё раз",
            agreement: "Кредитный договор № {n}: 1 000 000 тенге на 24 месяца, ИИН {iin}",
        },
        Lang::En => &Words {
            title: "Qoltanba Demo Bank",
            heading: "Sign your loan agreement",
            lead: "Enter your IIN: your phone will receive a signing request.",
            iin: "IIN",
            start: "Send for signing",
            code: "Verification code",
            compare: "Compare it with the code on your phone.",
            waiting: "Waiting for your phone…",
            signed: "The agreement is signed; the signature is verified",
            refused: "The customer refused to sign",
            expired: "The request expired",
            cancelled: "A newer request replaced this one",
            signer: "Signer",
            signed_at: "Signed at",
            bad_iin: "Wrong IIN",
            no_signature: "No e-signature was issued for this IIN",
            too_many: "Too many requests; try again later",
            failed: "Something failed; try again",
            agreement: "Loan agreement No. {n}: 1 000 000 KZT over 24 months, IIN {iin}",
        },
    }
}

fn respond(status: StatusCode, content_type: &'static str, body: String) -> Response {
    let mut response = (status, [(header::CONTENT_TYPE, content_type)], body).into_response();
    for (name, value) in HEADERS {
        response.headers_mut().insert(HeaderName::from_static(name), HeaderValue::from_static(value));
    }
    response
}

#[derive(Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

async fn page(Query(query): Query<LangQuery>, headers: HeaderMap) -> Response {
    let lang = Lang::negotiate(query.lang.as_deref(), &headers);
    let w = words(lang);
    let switcher: String = Lang::ALL
        .into_iter()
        .map(|l| {
            format!(
                " <a href=\"{PAGE}?lang={tag}\" hreflang=\"{tag}\">{}</a>",
                l.native_name(),
                tag = l.tag()
            )
        })
        .collect();
    let e = |s: &str| escape(s);
    let body = format!(
        "<!DOCTYPE html>\n<html lang=\"{tag}\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <style>body{{font-family:system-ui,sans-serif;background:#f4f6f3;margin:0;color:#18301f}}\
         header{{background:#146c43;color:#fff;padding:.8rem 1.5rem;display:flex;justify-content:space-between}}\
         header a{{color:#d9f0e3}}main{{max-width:34rem;margin:2rem auto;background:#fff;padding:1.5rem;\
         border-radius:8px;border:1px solid #d5e2d9}}input{{font-size:1.1rem;padding:.5rem;width:100%;\
         box-sizing:border-box}}button{{margin-top:1rem;background:#146c43;color:#fff;border:0;padding:.6rem 1.2rem;\
         font-size:1rem;border-radius:6px}}#code{{font-size:2.4rem;letter-spacing:.3rem;font-weight:700}}\
         [hidden]{{display:none}}.error{{color:#9b1c1c}}</style></head>\
         <body><header><strong>{title}</strong><nav>{switcher}</nav></header><main>\
         <h1 id=\"heading\">{heading}</h1><p>{lead}</p>\
         <form id=\"form\"><label for=\"iin\">{iin}</label>\
         <input id=\"iin\" name=\"iin\" inputmode=\"numeric\" maxlength=\"12\" autocomplete=\"off\">\
         <button id=\"start\" type=\"submit\">{start}</button></form>\
         <p id=\"error\" class=\"error\" hidden></p>\
         <section id=\"request\" hidden><p>{code_label}: <span id=\"code\"></span></p><p>{compare}</p></section>\
         <p id=\"status\" data-lang=\"{tag}\" data-waiting=\"{waiting}\" data-signed=\"{signed}\" \
         data-refused=\"{refused}\" data-expired=\"{expired}\" data-cancelled=\"{cancelled}\" \
         data-failed=\"{failed}\"></p>\
         <dl id=\"signature\" hidden><dt>{signer}</dt><dd><span id=\"signer-name\"></span>, \
         <span id=\"signer-iin\"></span></dd><dt>{signed_at}</dt><dd id=\"signed-at\"></dd></dl>\
         <p id=\"refusal\" hidden></p>\
         </main><script src=\"{SCRIPT}\"></script></body></html>\n",
        tag = lang.tag(),
        title = e(w.title),
        heading = e(w.heading),
        lead = e(w.lead),
        iin = e(w.iin),
        start = e(w.start),
        code_label = e(w.code),
        compare = e(w.compare),
        waiting = e(w.waiting),
        signed = e(w.signed),
        refused = e(w.refused),
        expired = e(w.expired),
        cancelled = e(w.cancelled),
        failed = e(w.failed),
        signer = e(w.signer),
        signed_at = e(w.signed_at),
    );
    respond(StatusCode::OK, "text/html; charset=utf-8", body)
}

/// The page's script: start a request, show the code, long-poll the outcome, show it.
const APP_JS: &str = r#"'use strict';
const $ = (id) => document.getElementById(id);
const status = $('status');
const show = (id, text) => { const el = $(id); if (text !== undefined) el.textContent = text; el.hidden = false; };
async function follow(id) {
  for (;;) {
    let answer;
    try {
      const response = await fetch('/demo/bank/requests/' + id);
      answer = await response.json();
      if (!response.ok) throw new Error(answer.error || response.status);
    } catch (e) { status.textContent = status.dataset.failed; return; }
    if (answer.status === 'pending') continue;
    status.dataset.outcome = answer.status;
    status.textContent = status.dataset[answer.status] || answer.status;
    if (answer.status === 'signed') {
      show('signer-name', answer.signer_name);
      show('signer-iin', answer.signer_iin);
      show('signed-at', answer.signed_at ? new Date(answer.signed_at).toLocaleString(status.dataset.lang) : '');
      show('signature');
    } else if (answer.status === 'refused') {
      show('refusal', status.textContent);
    }
    $('start').disabled = false;
    return;
  }
}
$('form').addEventListener('submit', async (event) => {
  event.preventDefault();
  for (const id of ['error', 'request', 'signature', 'refusal']) $(id).hidden = true;
  delete status.dataset.outcome;
  status.textContent = '';
  $('start').disabled = true;
  const response = await fetch('/demo/bank/requests?lang=' + status.dataset.lang, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ iin: $('iin').value.trim() }),
  });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) { show('error', answer.error || status.dataset.failed); $('start').disabled = false; return; }
  show('code', answer.verification_code);
  show('request');
  status.textContent = status.dataset.waiting;
  follow(answer.id);
});
"#;

async fn script() -> Response {
    respond(StatusCode::OK, "text/javascript; charset=utf-8", APP_JS.to_owned())
}

#[derive(Deserialize)]
struct StartBody {
    iin: String,
}

#[derive(Serialize)]
struct Started {
    id: Uuid,
    verification_code: String,
}

#[derive(Serialize, Default)]
struct Outcome {
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    signer_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    signer_iin: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    signed_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'static str>,
}

fn failure(status: StatusCode, message: &'static str) -> Response {
    let body = serde_json::json!({ "error": message }).to_string();
    respond(status, "application/json", body)
}

fn json<T: Serialize>(status: StatusCode, value: &T) -> Response {
    let mut response = (status, Json(value)).into_response();
    for (name, value) in HEADERS {
        response.headers_mut().insert(HeaderName::from_static(name), HeaderValue::from_static(value));
    }
    response
}

async fn start(
    State(bank): State<Bank>,
    Query(query): Query<LangQuery>,
    headers: HeaderMap,
    Json(body): Json<StartBody>,
) -> Response {
    let w = words(Lang::negotiate(query.lang.as_deref(), &headers));
    let number = Uuid::new_v4().simple().to_string();
    let agreement = w.agreement.replace("{n}", &number[..8]).replace("{iin}", body.iin.trim());
    let request = CreateSignRequest {
        iin: body.iin.trim().to_owned(),
        data: Some(STANDARD.encode(agreement.as_bytes())),
        digest: None,
        format: SignatureFormat::Attached,
        display_text: agreement,
        callback_url: None,
    };
    match bank.signing.create(&bank.party, &request, None).await {
        Ok(created) => json(
            StatusCode::CREATED,
            &Started { id: created.id, verification_code: created.verification_code },
        ),
        Err(RaError::Api(api)) => match api.code {
            ErrorCode::InvalidIin | ErrorCode::InvalidInput => failure(StatusCode::BAD_REQUEST, w.bad_iin),
            ErrorCode::NotFound => failure(StatusCode::NOT_FOUND, w.no_signature),
            ErrorCode::RateLimited => failure(StatusCode::TOO_MANY_REQUESTS, w.too_many),
            _ => failure(StatusCode::BAD_GATEWAY, w.failed),
        },
        Err(error) => {
            tracing::warn!(%error, "demo bank: the sign request failed");
            failure(StatusCode::INTERNAL_SERVER_ERROR, w.failed)
        }
    }
}

async fn status(State(bank): State<Bank>, Path(id): Path<String>) -> Response {
    let Ok(id) = id.parse::<Uuid>() else { return failure(StatusCode::NOT_FOUND, "not found") };
    let state = match bank.signing.poll(&bank.party, id, Some(WAIT_MS)).await {
        Ok(state) => state,
        Err(RaError::Api(api)) if api.code == ErrorCode::NotFound => {
            return failure(StatusCode::NOT_FOUND, "not found");
        }
        Err(error) => {
            tracing::warn!(%error, "demo bank: polling failed");
            return failure(StatusCode::INTERNAL_SERVER_ERROR, "failed");
        }
    };
    let outcome = match (state.status, state.signature.as_deref()) {
        (SignRequestStatus::Signed, Some(signature)) => verified(signature),
        (status, _) => Outcome { status: status.name(), ..Outcome::default() },
    };
    json(StatusCode::OK, &outcome)
}

/// The signed outcome from the CMS itself: the signature must verify, and the signer's name, IIN and
/// signing time come from it.
fn verified(signature: &str) -> Outcome {
    let report = STANDARD.decode(signature.trim()).ok().and_then(|der| cms::verify(&der, None).ok());
    match report.as_ref().filter(|r| r.all_valid()).and_then(|r| r.signers.first()) {
        Some(signer) => Outcome {
            status: SignRequestStatus::Signed.name(),
            signer_name: signer.view.common_name.clone(),
            signer_iin: signer.view.iin.clone(),
            signed_at: signer.signing_time.and_then(|t| t.format(&Rfc3339).ok()),
            error: None,
        },
        None => {
            Outcome { status: "invalid", error: Some("the signature does not verify"), ..Outcome::default() }
        }
    }
}
