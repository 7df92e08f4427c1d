//! Key generation, the Android-only part: `KeyPairGenerator("RSA", "AndroidKeyStore")` initialised
//! with a `KeyGenParameterSpec` (API 23+; StrongBox from API 28). Not exercised off a device.

use jni::JNIEnv;
use jni::objects::{JObject, JValue};

use super::jvm::{self, ANDROID_KEY_STORE};
use crate::keystore::KeyStoreError;

/// `KeyProperties.PURPOSE_SIGN`.
const PURPOSE_SIGN: i32 = 4;
/// How long one user authentication (the app's biometric / device-credential prompt) lets the key
/// sign, in seconds.
pub const AUTH_VALIDITY_SECONDS: i32 = 30;
const BUILDER: &str = "android/security/keystore/KeyGenParameterSpec$Builder";
const RETURNS_BUILDER: &str = "Landroid/security/keystore/KeyGenParameterSpec$Builder;";

/// Generates an RSA-2048 signing key under `alias`, in StrongBox when the device has one, otherwise in
/// the TEE.
pub fn generate(env: &mut JNIEnv<'_>, alias: &str) -> Result<(), KeyStoreError> {
    match generate_in(env, alias, true) {
        Err(KeyStoreError::Unavailable(_)) => generate_in(env, alias, false),
        other => other,
    }
}

fn generate_in(env: &mut JNIEnv<'_>, alias: &str, strong_box: bool) -> Result<(), KeyStoreError> {
    jvm::java(env, alias, |env| {
        let spec = spec(env, alias, strong_box)?;
        let (rsa, provider) = (env.new_string("RSA")?, env.new_string(ANDROID_KEY_STORE)?);
        let generator = env
            .call_static_method(
                "java/security/KeyPairGenerator",
                "getInstance",
                "(Ljava/lang/String;Ljava/lang/String;)Ljava/security/KeyPairGenerator;",
                &[JValue::Object(&rsa), JValue::Object(&provider)],
            )?
            .l()?;
        env.call_method(
            &generator,
            "initialize",
            "(Ljava/security/spec/AlgorithmParameterSpec;)V",
            &[JValue::Object(&spec)],
        )?;
        env.call_method(&generator, "generateKeyPair", "()Ljava/security/KeyPair;", &[])?;
        Ok(())
    })
}

/// The `KeyGenParameterSpec`: sign only, RSA-2048, SHA-256, PKCS#1 v1.5 padding, user authentication
/// required (valid [`AUTH_VALIDITY_SECONDS`] after the prompt), StrongBox if `strong_box`.
fn spec<'l>(env: &mut JNIEnv<'l>, alias: &str, strong_box: bool) -> jni::errors::Result<JObject<'l>> {
    let name = env.new_string(alias)?;
    let builder = env.new_object(
        BUILDER,
        "(Ljava/lang/String;I)V",
        &[JValue::Object(&name), JValue::Int(PURPOSE_SIGN)],
    )?;
    let call = |env: &mut JNIEnv<'l>, method: &str, sig: &str, arg: JValue<'_, '_>| {
        env.call_method(&builder, method, format!("({sig}){RETURNS_BUILDER}"), &[arg]).map(drop)
    };
    call(env, "setKeySize", "I", JValue::Int(2048))?;
    let digests = strings(env, "SHA-256")?;
    call(env, "setDigests", "[Ljava/lang/String;", JValue::Object(&digests))?;
    let paddings = strings(env, "PKCS1")?;
    call(env, "setSignaturePaddings", "[Ljava/lang/String;", JValue::Object(&paddings))?;
    call(env, "setUserAuthenticationRequired", "Z", JValue::Bool(1))?;
    call(env, "setUserAuthenticationValidityDurationSeconds", "I", JValue::Int(AUTH_VALIDITY_SECONDS))?;
    if strong_box {
        call(env, "setIsStrongBoxBacked", "Z", JValue::Bool(1))?;
    }
    env.call_method(&builder, "build", "()Landroid/security/keystore/KeyGenParameterSpec;", &[])?.l()
}

/// A one-element `String[]`.
fn strings<'l>(env: &mut JNIEnv<'l>, value: &str) -> jni::errors::Result<JObject<'l>> {
    let value = env.new_string(value)?;
    Ok(env.new_object_array(1, "java/lang/String", &value)?.into())
}
