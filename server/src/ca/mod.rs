//! The certification authority: keys, issuance with a lint step, CRLs, OCSP answers.
