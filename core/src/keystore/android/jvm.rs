//! The `java.security` calls the Android store makes, whose API is the same on a desktop JVM:
//! `KeyStore` load / aliases / getCertificate / getKey / setKeyEntry / deleteEntry, `Signature`
//! (`SHA256withRSA`) and `CertificateFactory`. Tests run them on a desktop JVM with a `PKCS12` store;
//! on the phone the store type is `AndroidKeyStore` and passwords are `None`.
//!
//! Java exceptions become [`KeyStoreError`]s by class ([`error_of`]) and are cleared.

use jni::JNIEnv;
use jni::objects::{JByteArray, JCharArray, JObject, JObjectArray, JString, JValue};

use crate::keystore::{KeyId, KeyStoreError};

/// The Android Keystore provider and store type.
pub const ANDROID_KEY_STORE: &str = "AndroidKeyStore";

/// Runs `call`; a pending Java exception is cleared and turned into a [`KeyStoreError`] about `alias`.
pub fn java<'l, T>(
    env: &mut JNIEnv<'l>,
    alias: &str,
    call: impl FnOnce(&mut JNIEnv<'l>) -> jni::errors::Result<T>,
) -> Result<T, KeyStoreError> {
    match call(env) {
        Ok(value) => Ok(value),
        Err(jni::errors::Error::JavaException) => Err(error_of(env, alias)),
        Err(other) => Err(KeyStoreError::Platform(other.to_string())),
    }
}

/// Clears the pending Java exception and classifies it.
pub fn error_of(env: &mut JNIEnv<'_>, alias: &str) -> KeyStoreError {
    let Ok(throwable) = env.exception_occurred() else {
        return KeyStoreError::Platform("unknown Java error".into());
    };
    let _ = env.exception_clear();
    let class = class_name(env, &throwable).unwrap_or_default();
    let id = || KeyId(alias.to_owned());
    match class.as_str() {
        "android.security.keystore.UserNotAuthenticatedException" => KeyStoreError::AuthenticationRequired,
        "android.security.keystore.KeyPermanentlyInvalidatedException" => KeyStoreError::KeyInvalidated(id()),
        "android.security.keystore.StrongBoxUnavailableException" => {
            KeyStoreError::Unavailable("StrongBox".into())
        }
        "java.security.UnrecoverableKeyException" => KeyStoreError::WrongPassword,
        _ => {
            let message = message(env, &throwable).unwrap_or_default();
            KeyStoreError::Platform(format!("{class}: {message}"))
        }
    }
}

/// The throwable's class name (`java.lang.Foo`).
pub fn class_name(env: &mut JNIEnv<'_>, throwable: &JObject<'_>) -> Option<String> {
    let class = env.call_method(throwable, "getClass", "()Ljava/lang/Class;", &[]).ok()?.l().ok()?;
    let name = env.call_method(&class, "getName", "()Ljava/lang/String;", &[]).ok()?.l().ok()?;
    env.get_string(&name.into()).ok().map(Into::into)
}

fn message(env: &mut JNIEnv<'_>, throwable: &JObject<'_>) -> Option<String> {
    let text = env.call_method(throwable, "getMessage", "()Ljava/lang/String;", &[]).ok()?.l().ok()?;
    if text.is_null() {
        return None;
    }
    env.get_string(&text.into()).ok().map(Into::into)
}

/// `KeyStore.getInstance(kind).load(content, password)`: `content` is a serialized store (desktop
/// `PKCS12`), `None` for `AndroidKeyStore`.
pub fn load<'l>(
    env: &mut JNIEnv<'l>,
    kind: &str,
    content: Option<(&[u8], &str)>,
) -> Result<JObject<'l>, KeyStoreError> {
    java(env, "", |env| {
        let kind = env.new_string(kind)?;
        let store = env
            .call_static_method(
                "java/security/KeyStore",
                "getInstance",
                "(Ljava/lang/String;)Ljava/security/KeyStore;",
                &[JValue::Object(&kind)],
            )?
            .l()?;
        let (stream, password) = match content {
            Some((bytes, password)) => (input_stream(env, bytes)?, chars(env, Some(password))?),
            None => (JObject::null(), JCharArray::default()),
        };
        env.call_method(
            &store,
            "load",
            "(Ljava/io/InputStream;[C)V",
            &[JValue::Object(&stream), JValue::Object(&password)],
        )?;
        Ok(store)
    })
}

/// Every alias in the store.
pub fn aliases(env: &mut JNIEnv<'_>, store: &JObject<'_>) -> Result<Vec<String>, KeyStoreError> {
    java(env, "", |env| {
        let all = env.call_method(store, "aliases", "()Ljava/util/Enumeration;", &[])?.l()?;
        let mut aliases = Vec::new();
        while env.call_method(&all, "hasMoreElements", "()Z", &[])?.z()? {
            let alias = env.call_method(&all, "nextElement", "()Ljava/lang/Object;", &[])?.l()?;
            let alias = JString::from(alias);
            let text: String = env.get_string(&alias)?.into();
            env.delete_local_ref(alias)?;
            aliases.push(text);
        }
        Ok(aliases)
    })
}

/// Whether `alias` names an entry.
pub fn contains(env: &mut JNIEnv<'_>, store: &JObject<'_>, alias: &str) -> Result<bool, KeyStoreError> {
    java(env, alias, |env| {
        let name = env.new_string(alias)?;
        env.call_method(store, "containsAlias", "(Ljava/lang/String;)Z", &[JValue::Object(&name)])?.z()
    })
}

/// The DER SubjectPublicKeyInfo of the certificate under `alias` (`getPublicKey().getEncoded()`).
pub fn public_key(env: &mut JNIEnv<'_>, store: &JObject<'_>, alias: &str) -> Result<Vec<u8>, KeyStoreError> {
    let certificate = certificate(env, store, alias)?;
    java(env, alias, |env| {
        let key = env.call_method(&certificate, "getPublicKey", "()Ljava/security/PublicKey;", &[])?.l()?;
        let encoded = env.call_method(&key, "getEncoded", "()[B", &[])?.l()?;
        env.convert_byte_array(JByteArray::from(encoded))
    })
}

/// How many certificates the chain under `alias` has (1: the self-signed placeholder of a key whose
/// CA chain is not installed yet).
pub fn chain_len(env: &mut JNIEnv<'_>, store: &JObject<'_>, alias: &str) -> Result<usize, KeyStoreError> {
    java(env, alias, |env| {
        let name = env.new_string(alias)?;
        let chain = env
            .call_method(
                store,
                "getCertificateChain",
                "(Ljava/lang/String;)[Ljava/security/cert/Certificate;",
                &[JValue::Object(&name)],
            )?
            .l()?;
        if chain.is_null() {
            return Ok(0);
        }
        Ok(usize::try_from(env.get_array_length(&JObjectArray::from(chain))?).unwrap_or(0))
    })
}

/// Signs `message` with the private key under `alias`: `Signature("SHA256withRSA")`.
pub fn sign(
    env: &mut JNIEnv<'_>,
    store: &JObject<'_>,
    alias: &str,
    password: Option<&str>,
    message: &[u8],
) -> Result<Vec<u8>, KeyStoreError> {
    let key = private_key(env, store, alias, password)?;
    java(env, alias, |env| {
        let algorithm = env.new_string("SHA256withRSA")?;
        let signature = env
            .call_static_method(
                "java/security/Signature",
                "getInstance",
                "(Ljava/lang/String;)Ljava/security/Signature;",
                &[JValue::Object(&algorithm)],
            )?
            .l()?;
        env.call_method(&signature, "initSign", "(Ljava/security/PrivateKey;)V", &[JValue::Object(&key)])?;
        let bytes = env.byte_array_from_slice(message)?;
        env.call_method(&signature, "update", "([B)V", &[JValue::Object(&bytes)])?;
        let signed = env.call_method(&signature, "sign", "()[B", &[])?.l()?;
        env.convert_byte_array(JByteArray::from(signed))
    })
}

/// Replaces the certificate chain of the key under `alias` with `chain` (DER, the key's certificate
/// first): `setKeyEntry(alias, getKey(alias), password, chain)`.
pub fn set_chain(
    env: &mut JNIEnv<'_>,
    store: &JObject<'_>,
    alias: &str,
    password: Option<&str>,
    chain: &[Vec<u8>],
) -> Result<(), KeyStoreError> {
    let key = private_key(env, store, alias, password)?;
    java(env, alias, |env| {
        let kind = env.new_string("X.509")?;
        let factory = env
            .call_static_method(
                "java/security/cert/CertificateFactory",
                "getInstance",
                "(Ljava/lang/String;)Ljava/security/cert/CertificateFactory;",
                &[JValue::Object(&kind)],
            )?
            .l()?;
        let length =
            i32::try_from(chain.len()).map_err(|_| jni::errors::Error::WrongJValueType("len", "int"))?;
        let array = env.new_object_array(length, "java/security/cert/Certificate", JObject::null())?;
        for (index, der) in (0..).zip(chain) {
            let stream = input_stream(env, der)?;
            let certificate = env
                .call_method(
                    &factory,
                    "generateCertificate",
                    "(Ljava/io/InputStream;)Ljava/security/cert/Certificate;",
                    &[JValue::Object(&stream)],
                )?
                .l()?;
            env.set_object_array_element(&array, index, certificate)?;
        }
        let name = env.new_string(alias)?;
        let password = chars(env, password)?;
        env.call_method(
            store,
            "setKeyEntry",
            "(Ljava/lang/String;Ljava/security/Key;[C[Ljava/security/cert/Certificate;)V",
            &[JValue::Object(&name), JValue::Object(&key), JValue::Object(&password), JValue::Object(&array)],
        )?;
        Ok(())
    })
}

/// Deletes the entry under `alias`.
pub fn delete(env: &mut JNIEnv<'_>, store: &JObject<'_>, alias: &str) -> Result<(), KeyStoreError> {
    java(env, alias, |env| {
        let name = env.new_string(alias)?;
        env.call_method(store, "deleteEntry", "(Ljava/lang/String;)V", &[JValue::Object(&name)])?;
        Ok(())
    })
}

fn certificate<'l>(
    env: &mut JNIEnv<'l>,
    store: &JObject<'_>,
    alias: &str,
) -> Result<JObject<'l>, KeyStoreError> {
    let certificate = java(env, alias, |env| {
        let name = env.new_string(alias)?;
        env.call_method(
            store,
            "getCertificate",
            "(Ljava/lang/String;)Ljava/security/cert/Certificate;",
            &[JValue::Object(&name)],
        )?
        .l()
    })?;
    if certificate.is_null() {
        Err(KeyStoreError::NotFound(KeyId(alias.to_owned())))
    } else {
        Ok(certificate)
    }
}

fn private_key<'l>(
    env: &mut JNIEnv<'l>,
    store: &JObject<'_>,
    alias: &str,
    password: Option<&str>,
) -> Result<JObject<'l>, KeyStoreError> {
    let key = java(env, alias, |env| {
        let name = env.new_string(alias)?;
        let password = chars(env, password)?;
        env.call_method(
            store,
            "getKey",
            "(Ljava/lang/String;[C)Ljava/security/Key;",
            &[JValue::Object(&name), JValue::Object(&password)],
        )?
        .l()
    })?;
    if key.is_null() { Err(KeyStoreError::NotFound(KeyId(alias.to_owned()))) } else { Ok(key) }
}

/// `new ByteArrayInputStream(bytes)`.
fn input_stream<'l>(env: &mut JNIEnv<'l>, bytes: &[u8]) -> jni::errors::Result<JObject<'l>> {
    let array = env.byte_array_from_slice(bytes)?;
    env.new_object("java/io/ByteArrayInputStream", "([B)V", &[JValue::Object(&array)])
}

/// A Java `char[]` holding `password` (null for `None`). The Java copy is the JVM's to clear.
fn chars<'l>(env: &mut JNIEnv<'l>, password: Option<&str>) -> jni::errors::Result<JCharArray<'l>> {
    let Some(password) = password else { return Ok(JCharArray::default()) };
    let units = zeroize::Zeroizing::new(password.encode_utf16().collect::<Vec<u16>>());
    let length = i32::try_from(units.len()).map_err(|_| jni::errors::Error::WrongJValueType("len", "int"))?;
    let array = env.new_char_array(length)?;
    env.set_char_array_region(&array, 0, &units)?;
    Ok(array)
}
