//! The OpenAPI 3.1 document of API v1, derived from the wire types, for the server to serve at
//! [`crate::paths::OPENAPI_JSON`].
//!
//! Operations are declared in the private `operations` module; this module adds what holds for all of them, so it cannot be
//! forgotten on one: the error responses (grouped by [`ErrorCode::http_status`], each an [`ApiError`]),
//! the required [`IDEMPOTENCY_KEY_HEADER`] on every `POST`, and the operator's cookie security scheme.

mod operations;

use std::collections::BTreeMap;

use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, Required, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use crate::error::{ApiError, ErrorCode};
use crate::headers::{IDEMPOTENCY_KEY_HEADER, OPERATOR_CSRF_HEADER, OPERATOR_SESSION_COOKIE};
use crate::limits::MAX_IDEMPOTENCY_KEY_LEN;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Qoltanba API",
        version = "1",
        description = "Remote issuance of NCA electronic-signature certificates: the enrollment session \
            (every step returns the whole `Session`, whose `state` names the next step), the operator's \
            decisions, and revocation. Errors are `ApiError` bodies whose `code` fixes the status. Every \
            POST requires an `Idempotency-Key` header; retrying with the same key replays the first \
            answer and never repeats the action."
    ),
    paths(
        operations::start_enrollment,
        operations::session,
        operations::submit_phone,
        operations::submit_sms_code,
        operations::resend_sms_code,
        operations::upload_selfie,
        operations::upload_id_card_photo,
        operations::submit_consent,
        operations::submit_email,
        operations::submit_csrs,
        operations::revoke_certificate,
        operations::operator_login,
        operations::operator_logout,
        operations::phone_registrations,
        operations::decide_phone_registration,
        operations::selfie_reviews,
        operations::decide_selfie_review,
        operations::selfie_review_image,
        operations::id_card_photo,
        operations::registry_photo,
        operations::certificates,
        operations::operator_revoke_certificate,
        operations::dev_sms,
        operations::create_sign_request,
        operations::sign_request,
        operations::register_device,
        operations::device_sign_requests,
        operations::device_events,
        operations::approve_sign_request,
        operations::refuse_sign_request,
        operations::start_login,
        operations::login_status,
        operations::login_qr,
        operations::login_events,
        operations::complete_login,
        operations::scan_login_qr,
        operations::answer_login,
        operations::decline_login,
    ),
    components(schemas(ApiError, ErrorCode)),
    modifiers(&Conventions),
    tags(
        (name = "enrollment", description = "The citizen's enrollment session"),
        (name = "certificates", description = "The holder's own certificates"),
        (name = "operator", description = "The operator console's JSON API"),
        (name = "sign-requests", description = "Relying parties ask citizens to sign"),
        (name = "devices", description = "The citizen's phone: registration, pending requests, answers"),
        (name = "login", description = "QR-code login of a browser with the citizen's phone"),
        (name = "dev", description = "Only when the server runs with --dev"),
    )
)]
struct ApiDoc;

/// The OpenAPI 3.1 document of API v1.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// Adds the conventions every operation shares (see the module documentation).
struct Conventions;

impl Modify for Conventions {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "operator_session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                OPERATOR_SESSION_COOKIE,
                "The operator's session cookie, set by the console's login page",
            ))),
        );
        components.add_security_scheme(
            "relying_party",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The relying party's API key, printed once by `qoltanba-server rp add`",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "device",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("The device token answered by `POST /v1/devices`"))
                    .build(),
            ),
        );
        for item in doc.paths.paths.values_mut() {
            if let Some(get) = item.get.as_mut() {
                add_errors(get, &[]);
            }
            if let Some(post) = item.post.as_mut() {
                let id = post.operation_id.clone().unwrap_or_default();
                if operations::WITHOUT_IDEMPOTENCY_KEY.contains(&id.as_str()) {
                    add_errors(post, &[]);
                } else {
                    add_errors(post, operations::POST_ERRORS);
                    add_idempotency_header(post);
                }
                add_csrf_header(post);
            }
            if let Some(delete) = item.delete.as_mut() {
                add_errors(delete, &[]);
                add_csrf_header(delete);
            }
        }
    }
}

/// The error codes an operation may answer: its own, those of its method, and the common ones.
fn operation_errors(operation_id: &str, method_errors: &[ErrorCode]) -> Vec<ErrorCode> {
    let own = operations::ERRORS.iter().filter(|(id, _)| *id == operation_id).flat_map(|(_, g)| g.iter());
    let mut codes: Vec<ErrorCode> = own
        .flat_map(|group| group.iter())
        .chain(method_errors)
        .chain(operations::COMMON_ERRORS)
        .copied()
        .collect();
    codes.sort_by_key(|c| (c.http_status(), c.name()));
    codes.dedup();
    codes
}

fn add_errors(operation: &mut Operation, method_errors: &[ErrorCode]) {
    let id = operation.operation_id.clone().unwrap_or_default();
    let mut by_status: BTreeMap<u16, Vec<ErrorCode>> = BTreeMap::new();
    for code in operation_errors(&id, method_errors) {
        by_status.entry(code.http_status()).or_default().push(code);
    }
    for (status, codes) in by_status {
        let names: Vec<String> = codes.iter().map(|c| format!("`{}`", c.name())).collect();
        let response = ResponseBuilder::new()
            .description(format!("`ApiError` with code {}", names.join(", ")))
            .content(
                "application/json",
                ContentBuilder::new().schema(Some(Ref::from_schema_name("ApiError"))).build(),
            )
            .build();
        operation.responses.responses.insert(status.to_string(), response.into());
    }
}

/// The CSRF header, on state-changing operations that need an operator session.
fn add_csrf_header(operation: &mut Operation) {
    let operator = operation.tags.as_ref().is_some_and(|tags| tags.iter().any(|t| t == "operator"));
    if !operator || operation.security.as_ref().is_none_or(|s| s.is_empty()) {
        return;
    }
    let parameter = ParameterBuilder::new()
        .name(OPERATOR_CSRF_HEADER)
        .parameter_in(ParameterIn::Header)
        .required(Required::True)
        .description(Some("The session's CSRF token, as returned by the login"))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String).min_length(Some(1))))
        .build();
    operation.parameters.get_or_insert_with(Vec::new).push(parameter);
}

fn add_idempotency_header(operation: &mut Operation) {
    let schema = ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(MAX_IDEMPOTENCY_KEY_LEN));
    let parameter = ParameterBuilder::new()
        .name(IDEMPOTENCY_KEY_HEADER)
        .parameter_in(ParameterIn::Header)
        .required(Required::True)
        .description(Some(
            "Client-chosen key (a UUID v4 is recommended), re-sent unchanged on every retry of the same \
             action: the same request with the same key gets the first answer again; another request with \
             it gets `409 conflict`.",
        ))
        .schema(Some(schema))
        .build();
    operation.parameters.get_or_insert_with(Vec::new).push(parameter);
}
