//! The Digital ID face check: a pluggable verifier comparing the selfie with the registry photo. The
//! embedded default ([`OperatorReview`]) decides nothing and queues the selfie for an operator.

/// What the face verifier concluded about a selfie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaceVerdict {
    /// The selfie shows the registry's person.
    Match,
    /// It does not (or cannot be judged); the reason is shown to the citizen.
    NoMatch(String),
    /// A person must compare them: the selfie is queued for operator review.
    NeedsReview,
}

/// Compares a selfie with the population registry's reference photo.
pub trait FaceVerifier: Send + Sync {
    /// The verdict on `selfie` (JPEG or PNG bytes) against `reference` (the registry photo).
    fn verify(&self, selfie: &[u8], reference: &[u8]) -> FaceVerdict;
}

/// The embedded default: every selfie goes to an operator.
#[derive(Debug, Clone, Copy, Default)]
pub struct OperatorReview;

impl FaceVerifier for OperatorReview {
    fn verify(&self, _selfie: &[u8], _reference: &[u8]) -> FaceVerdict {
        FaceVerdict::NeedsReview
    }
}
