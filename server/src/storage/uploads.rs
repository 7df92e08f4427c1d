//! Pictures uploaded by citizens: selfies and ID-card photos.

use sqlx::{AnyConnection, Row, any::AnyRow};
use time::OffsetDateTime;
use uuid::Uuid;

use super::StorageError;
use super::timestamp::{from_db, to_db, uuid_from_db};

/// What a picture shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UploadKind {
    /// The Digital ID selfie.
    Selfie,
    /// A photo of the ID card.
    IdCard,
}

impl UploadKind {
    /// The stored name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Selfie => "selfie",
            Self::IdCard => "id_card",
        }
    }

    fn parse(text: &str) -> Result<Self, StorageError> {
        match text {
            "selfie" => Ok(Self::Selfie),
            "id_card" => Ok(Self::IdCard),
            _ => Err(StorageError::Corrupt { column: "kind" }),
        }
    }
}

/// One uploaded picture.
#[derive(Clone, PartialEq, Eq)]
pub struct Upload {
    /// Upload identifier.
    pub id: Uuid,
    /// The session that uploaded it.
    pub session_id: Uuid,
    /// Selfie or ID card.
    pub kind: UploadKind,
    /// MIME type (`image/jpeg`, `image/png`).
    pub content_type: String,
    /// The image.
    pub bytes: Vec<u8>,
    /// When it arrived.
    pub created_at: OffsetDateTime,
}

impl std::fmt::Debug for Upload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Upload")
            .field("id", &self.id)
            .field("session_id", &self.session_id)
            .field("kind", &self.kind)
            .field("content_type", &self.content_type)
            .field("bytes", &format_args!("<{} bytes>", self.bytes.len()))
            .field("created_at", &self.created_at)
            .finish()
    }
}

/// Stores a picture. `Conflict` `foreign_key` if the session does not exist.
pub async fn insert(conn: &mut AnyConnection, upload: &Upload) -> Result<(), StorageError> {
    sqlx::query(
        "INSERT INTO uploads (id, session_id, kind, content_type, bytes, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(upload.id.to_string())
    .bind(upload.session_id.to_string())
    .bind(upload.kind.name())
    .bind(&upload.content_type)
    .bind(&upload.bytes)
    .bind(to_db(upload.created_at))
    .execute(conn)
    .await?;
    Ok(())
}

/// The picture with this id, if it exists.
pub async fn find(conn: &mut AnyConnection, id: Uuid) -> Result<Option<Upload>, StorageError> {
    let row = sqlx::query(
        "SELECT id, session_id, kind, content_type, bytes, created_at FROM uploads WHERE id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(conn)
    .await?;
    row.map(|r| upload(&r)).transpose()
}

/// The session's pictures of one kind, oldest first.
pub async fn by_session(
    conn: &mut AnyConnection,
    session_id: Uuid,
    kind: UploadKind,
) -> Result<Vec<Upload>, StorageError> {
    let rows = sqlx::query(
        "SELECT id, session_id, kind, content_type, bytes, created_at FROM uploads \
         WHERE session_id = $1 AND kind = $2 ORDER BY created_at, id",
    )
    .bind(session_id.to_string())
    .bind(kind.name())
    .fetch_all(conn)
    .await?;
    rows.iter().map(upload).collect()
}

/// The session's latest picture of one kind, if it uploaded one.
pub async fn latest(
    conn: &mut AnyConnection,
    session_id: Uuid,
    kind: UploadKind,
) -> Result<Option<Upload>, StorageError> {
    let row = sqlx::query(
        "SELECT id, session_id, kind, content_type, bytes, created_at FROM uploads \
         WHERE session_id = $1 AND kind = $2 ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(session_id.to_string())
    .bind(kind.name())
    .fetch_optional(conn)
    .await?;
    row.map(|r| upload(&r)).transpose()
}

/// Whether the session uploaded a picture of this kind (without reading it).
pub async fn exists(
    conn: &mut AnyConnection,
    session_id: Uuid,
    kind: UploadKind,
) -> Result<bool, StorageError> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM uploads WHERE session_id = $1 AND kind = $2")
        .bind(session_id.to_string())
        .bind(kind.name())
        .fetch_one(conn)
        .await?;
    Ok(count > 0)
}

fn upload(row: &AnyRow) -> Result<Upload, StorageError> {
    let id: String = row.try_get("id")?;
    let session_id: String = row.try_get("session_id")?;
    let kind: String = row.try_get("kind")?;
    Ok(Upload {
        id: uuid_from_db(&id, "id")?,
        session_id: uuid_from_db(&session_id, "session_id")?,
        kind: UploadKind::parse(&kind)?,
        content_type: row.try_get("content_type")?,
        bytes: row.try_get("bytes")?,
        created_at: from_db(row.try_get("created_at")?, "created_at")?,
    })
}
