//! What the operator reads: the pending phone-registration tickets and selfie reviews (wire form), the
//! pictures to compare, and the certificates of an IIN.

use qoltanba_protocol::{
    CertificateItem, ErrorCode, PhoneRegistrationTicket, SelfieReview, SelfieReviewStatus, TicketStatus,
    paths,
};
use sqlx::AnyConnection;
use uuid::Uuid;

use super::error::api;
use super::{Ra, RaError};
use crate::storage::reviews::{self, PhoneTicket, SelfieReviewRecord};
use crate::storage::uploads::{self, UploadKind};
use crate::storage::{certificates, registry, sessions};

/// A picture to show: its MIME type and bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct Picture {
    /// `image/jpeg` or `image/png`.
    pub content_type: String,
    /// The image.
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Picture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Picture({}, {} bytes)", self.content_type, self.bytes.len())
    }
}

impl Ra {
    /// Pending phone-registration tickets, oldest first.
    pub async fn pending_tickets(&self) -> Result<Vec<PhoneRegistrationTicket>, RaError> {
        let mut conn = self.storage.acquire().await?;
        let pending = reviews::tickets(&mut conn, TicketStatus::Pending).await?;
        Ok(pending.iter().map(ticket_wire).collect())
    }

    /// One ticket (`not_found`).
    pub async fn ticket(&self, id: Uuid) -> Result<PhoneRegistrationTicket, RaError> {
        let mut conn = self.storage.acquire().await?;
        let ticket = reviews::ticket(&mut conn, id).await?;
        ticket.as_ref().map(ticket_wire).ok_or_else(|| api(ErrorCode::NotFound, "no such ticket"))
    }

    /// Pending selfie reviews, oldest first.
    pub async fn pending_reviews(&self) -> Result<Vec<SelfieReview>, RaError> {
        let mut conn = self.storage.acquire().await?;
        let pending = reviews::reviews(&mut conn, SelfieReviewStatus::Pending).await?;
        let mut out = Vec::with_capacity(pending.len());
        for record in &pending {
            out.push(review_wire(&mut conn, record).await?);
        }
        Ok(out)
    }

    /// One selfie review (`not_found`).
    pub async fn review(&self, id: Uuid) -> Result<SelfieReview, RaError> {
        let mut conn = self.storage.acquire().await?;
        let record = reviews::review(&mut conn, id)
            .await?
            .ok_or_else(|| api(ErrorCode::NotFound, "no such review"))?;
        review_wire(&mut conn, &record).await
    }

    /// The selfie of a review (`not_found`).
    pub async fn review_selfie(&self, id: Uuid) -> Result<Picture, RaError> {
        let mut conn = self.storage.acquire().await?;
        let record = reviews::review(&mut conn, id)
            .await?
            .ok_or_else(|| api(ErrorCode::NotFound, "no such review"))?;
        let upload = uploads::find(&mut conn, record.upload_id).await?.ok_or(RaError::CorruptSession(id))?;
        Ok(Picture { content_type: upload.content_type, bytes: upload.bytes })
    }

    /// The latest ID-card photo of a session (`not_found` if it uploaded none).
    pub async fn id_card_photo(&self, session: Uuid) -> Result<Picture, RaError> {
        let mut conn = self.storage.acquire().await?;
        let upload = uploads::latest(&mut conn, session, UploadKind::IdCard)
            .await?
            .ok_or_else(|| api(ErrorCode::NotFound, "no ID-card photo"))?;
        Ok(Picture { content_type: upload.content_type, bytes: upload.bytes })
    }

    /// The population registry's photo of a person (`not_found`).
    pub async fn registry_photo(&self, iin: &str) -> Result<Picture, RaError> {
        let mut conn = self.storage.acquire().await?;
        let citizen = registry::find(&mut conn, iin)
            .await?
            .ok_or_else(|| api(ErrorCode::NotFound, "no such person"))?;
        Ok(Picture { content_type: citizen.photo_content_type, bytes: citizen.photo })
    }

    /// The certificates issued for an IIN, oldest first (`invalid_iin`).
    pub async fn certificates(&self, iin: &str) -> Result<Vec<CertificateItem>, RaError> {
        if iin.parse::<qoltanba_pki::iin::Iin>().is_err() {
            return Err(api(ErrorCode::InvalidIin, "the IIN is not 12 digits with a valid check digit"));
        }
        let mut conn = self.storage.acquire().await?;
        let now = self.now();
        Ok(certificates::by_iin(&mut conn, iin).await?.iter().map(|c| c.item(now)).collect())
    }
}

fn ticket_wire(ticket: &PhoneTicket) -> PhoneRegistrationTicket {
    PhoneRegistrationTicket {
        id: ticket.id,
        session_id: ticket.session_id,
        iin: ticket.iin.clone(),
        phone: ticket.phone.clone(),
        registry_photo_url: paths::operator_registry_photo(&ticket.iin),
        created_at: ticket.created_at,
        status: ticket.status,
        decided_at: ticket.decided_at,
        reason: ticket.reason.clone(),
    }
}

async fn review_wire(conn: &mut AnyConnection, record: &SelfieReviewRecord) -> Result<SelfieReview, RaError> {
    let session =
        sessions::find(conn, record.session_id).await?.ok_or(RaError::CorruptSession(record.session_id))?;
    let id_card = uploads::exists(conn, record.session_id, UploadKind::IdCard).await?;
    Ok(SelfieReview {
        id: record.id,
        session_id: record.session_id,
        iin: session.iin.clone(),
        attempt: u8::try_from(record.attempt).unwrap_or(u8::MAX),
        selfie_url: paths::operator_selfie_review_image(record.id),
        registry_photo_url: paths::operator_registry_photo(&session.iin),
        id_card_photo_url: id_card.then(|| paths::operator_id_card_photo(record.session_id)),
        submitted_at: record.created_at,
        status: record.status,
        reason: record.reason.clone(),
    })
}
